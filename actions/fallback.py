"""``action_did_you_mean``: the answer to a message the model did not understand.

The first failure offers the two likeliest topics (and a person) as buttons, titled in
the conversation's language; a second failure in a row hands the conversation to a
person (``action_handoff``'s ``hand_off``, in the same turn; the bot keeps answering until
staff take over), so a patient is never stuck in a loop. A script the
assistant does not read (Persian, Urdu, ...) gets a short English and Arabic reply
offering a person, and the handoff itself the second time. The decisions are
:mod:`clinic.fallback`'s; the response texts (and their Arabic variations) the domain's.
A short follow-up to the answer before it ("and saturday?" after the opening hours) gets
that answer when it is also the message's own likeliest FAQ key.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import resume_after_consent
from actions.booking_common import Clock
from actions.handoff import ActionHandoff
from actions.parts import answer_parts
from clinic.booking.existing import unsure_change
from clinic.booking.request import asks_for_free_times, is_booking_request, names_only_a_service
from clinic.fallback import buttons, consecutive_failures, decide, follow_up, last_answered_key
from clinic.language import conversation_language
from clinic.topics import load_topics

NOT_UNDERSTOOD = "not_understood"  # the handoff's reason (clinic.handoff.models.REASONS)
RESPONSE_FOR = {
    "empty": "utter_empty_message",
    "no_words": "utter_no_words",
    "other_language": "utter_other_language",
    "switch_language": "utter_language_switched",
    "offer_human": "utter_offer_human",
    "did_you_mean": "utter_did_you_mean",
}


def user_texts(tracker: Tracker) -> List[str]:
    """The user's messages in this conversation, oldest first."""
    return [event.get("text") or "" for event in tracker.events if event.get("event") == "user"]


class ActionDidYouMean(Action):
    """Offer the two likeliest topics, or a person after repeated failures."""

    def __init__(self, handoff: Optional[ActionHandoff] = None) -> None:
        self._handoff = handoff or ActionHandoff()

    def name(self) -> Text:
        return "action_did_you_mean"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        change = unsure_change(message.get("text") or "", message.get("intent_ranking") or [])
        if change:  # "need to cancel my appt tmrw", read as a cancel at 0.7: the cancel starts
            return [FollowupAction(f"{change}_form")]
        resumed = resume_after_consent(tracker)  # "ok fine u can keep my number, book it" after a no
        if resumed is not None:
            return resumed
        # "how much is it, does it hurt, and can u book me a session for saturday 2pm": unsure as a
        # whole, sure of each part (clinic.nlu.parts): the answers, then the booking
        planned = answer_parts(dispatcher, tracker)
        if planned is not None:
            return planned
        text = message.get("text") or ""
        if is_booking_request(text, Clock.now()) or asks_for_free_times(text, Clock.now()) or (
                names_only_a_service(text) and consecutive_failures(tracker.events or []) > 1):
            # "session sat 11am": a service and a time, however unsure the classifier was;
            # "saturday got space?": the free times, which the booking form offers; "the meso
            # session" after "Did you mean...?": what the patient wants is that service
            return [FollowupAction("booking_form")]
        selector = message.get("response_selector") or {}
        faq = selector.get("faq") or selector.get("default") or {}
        # "and saturday?" after the opening hours: that answer again (clinic.fallback.follow_up)
        key = follow_up(message.get("text") or "", message.get("intent_ranking") or [], faq.get("ranking") or [],
                        last_answered_key(tracker.events or []))
        if key:
            dispatcher.utter_message(response=f"utter_{key}")
            return []
        topics = load_topics()
        decision = decide(
            text=message.get("text") or "",
            intent_ranking=message.get("intent_ranking") or [],
            faq_ranking=faq.get("ranking") or [],
            failures_in_a_row=consecutive_failures(tracker.events or []),
            topics=topics,
        )
        language = conversation_language(user_texts(tracker))
        dispatcher.utter_message(response=RESPONSE_FOR[decision.kind],
                                 buttons=buttons(decision, topics, language))
        if decision.kind == "offer_human":  # the handoff, in this turn (it leaves the bot answering)
            return self._handoff.hand_off(dispatcher, tracker, NOT_UNDERSTOOD)
        return []
