"""Response generator that fills clinic facts (``clinic.yml``) into every response.

Named in ``endpoints.yml`` (``nlg: type: addons.nlg.ClinicResponseGenerator``). Answers
say ``{clinic_phone}``, ``{session_price}``, ...; the values come from
:func:`clinic.facts.template_values` in the conversation's language (``45 minutes`` /
``45 دقيقة``), read once per language when the server starts.

Responses may have variations for the slot ``message_language`` (``ar``: the Arabic
texts): it is the conversation's language (:func:`clinic.language.conversation_language`
over the patient's messages: a conversation keeps its language until the patient writes
in the other one or asks to switch), worked out here for every response so no action
has to store it first. The warning-sign triage reading the message being answered as
Arabic or Arabizi (``triage.language == "ar"`` in its parse data) also makes it ``ar``.

When several conditional variations match (``utter_booking_not_booked`` has one for
``hold_released: false`` and, in Arabic, one for ``ar`` and one for both), Rasa picks at
random among them; here only the most specific ones (the most conditions) are kept, so
an Arabic conversation never gets the English conditional text. Otherwise the choice is
Rasa's own (``tests/addons/test_nlg.py`` compares the two on every response).

The values the actions pass (``{when}``, ``{service_name}``, ...) and the day/time titles of
the buttons they attach are written in English by the actions; in an Arabic conversation
they are rendered in Arabic here (:mod:`clinic.localise`), so the actions stay language-free.
The first session's privacy notice is said before Rasa reads the first message: its
language is the one the channel noted in that message's metadata (``text_language``, see
addons/channels/payloads.py), kept by Rasa in the slot ``session_started_metadata``.
"""
from __future__ import annotations

import random
from typing import Any, Dict, List, Optional, Text

from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from clinic.facts import LANGUAGES, load_facts, template_values
from clinic.language import AR, EN, conversation_language
from clinic.localise import arabic_closure_names, arabic_service_names, localise_buttons, localise_values
from clinic.settings import get_settings

LANGUAGE_SLOT = "message_language"


def triage_language(tracker: DialogueStateTracker) -> Optional[Text]:
    """``triage.language`` of the message being answered, if the triage set one."""
    message = tracker.latest_message
    triage = (message.parse_data or {}).get("triage") if message is not None else None
    language = triage.get("language") if isinstance(triage, dict) else None
    return language if isinstance(language, str) and language else None


def user_texts(tracker: DialogueStateTracker) -> List[Text]:
    """The patient's messages, oldest first (button payloads included: they change nothing)."""
    return [event.text or "" for event in tracker.events_after_latest_restart() if isinstance(event, UserUttered)]


def session_language(tracker: DialogueStateTracker) -> Optional[Text]:
    """``text_language`` of the message that started the session (its metadata), if noted."""
    metadata = tracker.get_slot("session_started_metadata")
    language = metadata.get("text_language") if isinstance(metadata, dict) else None
    return language if language in (AR, EN) else None


def message_language(tracker: DialogueStateTracker) -> Text:
    """``en`` or ``ar``: the language to answer this conversation in."""
    if triage_language(tracker) == AR:
        return AR
    return conversation_language(user_texts(tracker), default=session_language(tracker) or EN)


class ClinicResponseGenerator(TemplatedNaturalLanguageGenerator):
    """The domain's responses with clinic facts as template values."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__(domain.responses if domain else {})
        facts = load_facts(get_settings().clinic_file)
        self.facts = {language: template_values(facts, language) for language in LANGUAGES}
        self.service_names = arabic_service_names(facts)
        self.closure_names = arabic_closure_names()  # schedule.yml reason_ar: "{reason}" in Arabic

    def _random_response_for(
        self, utter_action: Text, output_channel: Text, filled_slots: Dict[Text, Any]
    ) -> Optional[Dict[Text, Any]]:
        """Rasa's suitable variations (channel, then conditions), narrowed to the most specific."""
        if utter_action not in self.responses:
            return None
        suitable = ResponseVariationFilter(self.responses).responses_for_utter_action(
            utter_action, output_channel, filled_slots)
        if not suitable:
            return None
        most = max(len(variation.get("condition") or []) for variation in suitable)
        return random.choice([v for v in suitable if len(v.get("condition") or []) == most])

    async def generate(
        self,
        utter_action: Text,
        tracker: DialogueStateTracker,
        output_channel: Text,
        **kwargs: Any,
    ) -> Optional[Dict[Text, Any]]:
        language = message_language(tracker)
        # the action's buttons are the same objects Rasa attaches after this (RemoteAction._utter_responses)
        localise_buttons(kwargs.get("buttons"), language)
        localised = localise_values(kwargs, language, self.service_names, self.closure_names)
        values = {**self.facts.get(language, self.facts[EN]), **localised}
        slots = {**localise_values(tracker.current_slot_values(), language, self.service_names),
                 LANGUAGE_SLOT: language}
        return self.generate_from_slots(utter_action, slots, output_channel, **values)
