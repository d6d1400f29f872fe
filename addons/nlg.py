"""Response generator that fills clinic facts (``clinic.yml``) into every response.

Named in ``endpoints.yml`` (``nlg: type: addons.nlg.ClinicResponseGenerator``). Answers
say ``{clinic_phone}``, ``{session_price}``, ...; the values come from
:func:`clinic.facts.template_values`, read once when the server starts.

Responses may have variations for the slot ``message_language`` (the urgent replies
in Arabic): it is the language the warning-sign triage read in the message being
answered (``triage.language`` in its parse data, e.g. ``"ar"`` for Arabic or Arabizi),
so no action has to store it first.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from clinic.facts import load_facts, template_values
from clinic.settings import get_settings

LANGUAGE_SLOT = "message_language"


def message_language(tracker: DialogueStateTracker) -> Optional[Text]:
    """``triage.language`` of the message being answered, if the triage set one."""
    message = tracker.latest_message
    triage = (message.parse_data or {}).get("triage") if message is not None else None
    language = triage.get("language") if isinstance(triage, dict) else None
    return language if isinstance(language, str) and language else None


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
        language = message_language(tracker)
        if language:
            slots = {**slots, LANGUAGE_SLOT: language}
        return self.generate_from_slots(utter_action, slots, output_channel, **values)
