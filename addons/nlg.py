"""Response generator that fills clinic facts (``clinic.yml``) into every response.

Named in ``endpoints.yml`` (``nlg: type: addons.nlg.ClinicResponseGenerator``). Answers
say ``{clinic_phone}``, ``{session_price}``, ...; the values come from
:func:`clinic.facts.template_values`, read once when the server starts.

Responses may have variations for the slot ``message_language`` (``ar``: the Arabic
texts): it is the conversation's language (:func:`clinic.language.conversation_language`
over the patient's messages: a conversation keeps its language until the patient writes
in the other one or asks to switch), worked out here for every response so no action
has to store it first. The warning-sign triage reading the message being answered as
Arabic or Arabizi (``triage.language == "ar"`` in its parse data) also makes it ``ar``.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from clinic.facts import load_facts, template_values
from clinic.language import AR, conversation_language
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


def message_language(tracker: DialogueStateTracker) -> Text:
    """``en`` or ``ar``: the language to answer this conversation in."""
    if triage_language(tracker) == AR:
        return AR
    return conversation_language(user_texts(tracker))


class ClinicResponseGenerator(TemplatedNaturalLanguageGenerator):
    """The domain's responses with clinic facts as template values."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__(domain.responses if domain else {})
        self.facts = template_values(load_facts(get_settings().clinic_file))

    async def generate(
        self,
        utter_action: Text,
        tracker: DialogueStateTracker,
        output_channel: Text,
        **kwargs: Any,
    ) -> Optional[Dict[Text, Any]]:
        values = {**self.facts, **kwargs}
        slots = tracker.current_slot_values()
        slots = {**slots, LANGUAGE_SLOT: message_language(tracker)}
        return self.generate_from_slots(utter_action, slots, output_channel, **values)
