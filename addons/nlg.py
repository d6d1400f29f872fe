"""Response generator that fills clinic facts (``clinic.yml``) into every response.

Named in ``endpoints.yml`` (``nlg: type: addons.nlg.ClinicResponseGenerator``). Answers
say ``{clinic_phone}``, ``{session_price}``, ...; the values come from
:func:`clinic.facts.template_values`, read once when the server starts.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from clinic.facts import load_facts, template_values
from clinic.settings import get_settings


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
        return self.generate_from_slots(
            utter_action, tracker.current_slot_values(), output_channel, **values
        )
