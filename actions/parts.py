"""``action_answer_parts``: a message that carries two things gets both.

"how long is the mesotherapy session and can i come saturday for one", "can i come tmrw 5pm
for the consultation? also does it hurt", "how much is it and does it hurt": the NLU reads the
message's parts (``clinic.nlu.parts``, in ``addons/nlu/intent_classifier.py``) and puts the plan
on the parse (``parts``: the FAQ keys to answer, whether to book) with the entity ``parts``.
The rules of ``data/rules/faq.yml`` bring a FAQ question or a booking request that carries it
here; ``action_did_you_mean`` hands over the same plan when the whole message fell under the
threshold. This action only carries the plan out: each answer by its response name, then the
booking form, which reads the day, time and service from the same message.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import faq_answer
from actions.context import latest_intent
from clinic.nlu.parts import plan_of

BOOKING_FORM = "booking_form"


def answer_parts(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[Dict[Text, Any]]]:
    """Carry out the latest message's plan: its answers, then the booking form when it asks to
    book. Returns the events, or None when the message carries no plan (nothing was said)."""
    plan = plan_of(tracker.latest_message)
    if plan is None:
        return None
    for key in plan.answers:
        dispatcher.utter_message(response=f"utter_{key}")
    return [FollowupAction(BOOKING_FORM)] if plan.book else []


class ActionAnswerParts(Action):
    """Both things a message asks: the answers, then the booking when it asks to book."""

    def name(self) -> Text:
        return "action_answer_parts"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        events = answer_parts(dispatcher, tracker)
        if events is not None:
            return events
        # no plan after all (the rules only bring messages that carry one): the usual reply
        if latest_intent(tracker) == "book_appointment":
            return [FollowupAction(BOOKING_FORM)]
        if not faq_answer(dispatcher, tracker):
            dispatcher.utter_message(response="utter_default")
        return []
