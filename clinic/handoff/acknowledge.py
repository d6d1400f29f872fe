"""One acknowledgement for a patient who writes while waiting for a person.

Why here: while a conversation is paused, Rasa stores the patient's messages and runs
no action at all, so the action server cannot answer them. The console process already
talks to Rasa's HTTP API, so a background task there (:func:`watch`) looks at waiting
handoffs that have not been acknowledged; when the tracker shows a user message after
the pause, it claims the acknowledgement in SQL (a conditional UPDATE, so it happens
exactly once even with several console processes) and appends one ``bot`` event with
the domain's ``utter_handoff_waiting`` text through the patient's own channel. Later
messages, and anything after a member of staff takes over, get no automatic reply.
The text comes from the loaded model's domain (``GET /domain``) with the clinic facts
filled in, so it stays in ``domain.yml`` with every other answer.
"""
from __future__ import annotations

import asyncio
import logging
import string
import time
from typing import Any, Dict, Mapping, Optional

from sqlalchemy.orm import sessionmaker

from clinic.facts import load_facts, template_values
from clinic.handoff import service
from clinic.handoff.transcript import patient_wrote_while_paused
from clinic.rasa_client import RasaClient, RasaError

logger = logging.getLogger(__name__)
WAITING_RESPONSE = "utter_handoff_waiting"
DOMAIN_REFRESH_SECONDS = 300  # a retrained model may bring the response later


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render_response(domain: Mapping[str, Any], name: str, values: Mapping[str, str]) -> Optional[str]:
    """The first text variation of response ``name`` with ``{placeholders}`` filled in."""
    variations = (domain.get("responses") or {}).get(name) or []
    text = next((v.get("text") for v in variations if v.get("text")), None)
    if text is None:
        return None
    return string.Formatter().vformat(text, (), _Keep(values))


class Acknowledger:
    """Sends the one "we have your message" per waiting handoff."""

    def __init__(self, session_factory: sessionmaker, rasa: RasaClient,
                 values: Optional[Dict[str, str]] = None) -> None:
        self.session_factory = session_factory
        self.rasa = rasa
        self._values = values
        self._text: Optional[str] = None
        self._fetched = 0.0

    async def _message(self) -> Optional[str]:
        if self._text is None or time.monotonic() - self._fetched > DOMAIN_REFRESH_SECONDS:
            self._fetched = time.monotonic()
            if self._values is None:
                from clinic.settings import get_settings

                self._values = template_values(load_facts(get_settings().clinic_file))
            self._text = render_response(await self.rasa.get_domain(), WAITING_RESPONSE, self._values)
            if self._text is None:
                logger.warning("handoff: the model's domain has no %s; no acknowledgements", WAITING_RESPONSE)
                self._text = ""
        return self._text or None

    async def run_once(self) -> int:
        """Acknowledge every waiting handoff whose patient wrote since the pause."""
        with self.session_factory.begin() as session:
            pending = [(h.id, h.conversation_id) for h in service.waiting_unacknowledged(session)]
        sent = 0
        for handoff_id, conversation_id in pending:
            if not patient_wrote_while_paused(await self.rasa.get_tracker(conversation_id)):
                continue
            text = await self._message()
            if text is None:
                return sent
            with self.session_factory.begin() as session:
                if not service.claim_acknowledgement(session, handoff_id):
                    continue
            try:
                await self.rasa.send_bot_message(conversation_id, text, {"handoff_ack": handoff_id})
            except RasaError:
                with self.session_factory.begin() as session:
                    service.release_acknowledgement(session, handoff_id)
                raise
            sent += 1
        return sent


async def watch(acknowledger: Acknowledger, interval: float = 1.0) -> None:
    """Run :meth:`Acknowledger.run_once` forever; errors are logged (by type only) once."""
    last_error = None
    while True:
        try:
            await acknowledger.run_once()
            last_error = None
        except asyncio.CancelledError:
            raise
        except Exception as error:  # keep watching whatever happens
            if type(error).__name__ != last_error:
                logger.warning("handoff acknowledgements failing: %s", type(error).__name__)
                last_error = type(error).__name__
        await asyncio.sleep(interval)
