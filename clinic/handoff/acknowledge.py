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
filled in, so it stays in ``domain.yml`` with every other answer; in the conversation's
language (:func:`clinic.language.conversation_language` over the patient's messages, as the
assistant answers): the response's Arabic variation (condition ``message_language: ar``)
with the Arabic clinic facts for an Arabic conversation.
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
from clinic.language import EN, conversation_language
from clinic.rasa_client import RasaClient, RasaError

logger = logging.getLogger(__name__)
WAITING_RESPONSE = "utter_handoff_waiting"
LANGUAGE_SLOT = "message_language"
DOMAIN_REFRESH_SECONDS = 300  # a retrained model may bring the response later


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _language_of(variation: Mapping[str, Any]) -> Optional[str]:
    """The ``message_language`` a variation is for (None: no such condition)."""
    for condition in variation.get("condition") or []:
        if isinstance(condition, Mapping) and condition.get("name") == LANGUAGE_SLOT:
            return condition.get("value")
    return None


def render_response(domain: Mapping[str, Any], name: str, values: Mapping[str, str],
                    language: str = EN) -> Optional[str]:
    """The text of response ``name`` in ``language`` (its variation with the condition
    ``message_language: <language>``; else the first text variation) with ``{placeholders}``
    filled in."""
    variations = [v for v in (domain.get("responses") or {}).get(name) or [] if v.get("text")]
    chosen = next((v for v in variations if language != EN and _language_of(v) == language), None) or next(
        (v for v in variations if _language_of(v) is None), None) or next(iter(variations), None)
    if chosen is None:
        return None
    return string.Formatter().vformat(chosen["text"], (), _Keep(values))


def tracker_language(tracker: Mapping[str, Any]) -> str:
    """``en`` or ``ar`` for a tracker's JSON: the language the assistant answers it in."""
    return conversation_language(
        [e.get("text") or "" for e in tracker.get("events") or [] if e.get("event") == "user"])


class Acknowledger:
    """Sends the one "we have your message" per waiting handoff."""

    def __init__(self, session_factory: sessionmaker, rasa: RasaClient,
                 values: Optional[Dict[str, str]] = None,
                 values_ar: Optional[Dict[str, str]] = None) -> None:
        self.session_factory = session_factory
        self.rasa = rasa
        # clinic facts by language (English ones given: the Arabic ones default to them)
        self._values: Dict[str, Optional[Dict[str, str]]] = {
            EN: values, "ar": values_ar if values_ar is not None else (None if values is None else values)}
        self._texts: Dict[str, str] = {}
        self._fetched = 0.0

    def _facts(self, language: str) -> Dict[str, str]:
        if self._values.get(language) is None:
            from clinic.settings import get_settings

            self._values[language] = template_values(load_facts(get_settings().clinic_file), language)
        return self._values[language] or {}

    async def _message(self, language: str = EN) -> Optional[str]:
        if time.monotonic() - self._fetched > DOMAIN_REFRESH_SECONDS:
            self._texts.clear()
        if language not in self._texts:
            self._fetched = self._fetched if self._texts else time.monotonic()
            text = render_response(await self.rasa.get_domain(), WAITING_RESPONSE, self._facts(language), language)
            if text is None:
                logger.warning("handoff: the model's domain has no %s; no acknowledgements", WAITING_RESPONSE)
            self._texts[language] = text or ""
        return self._texts[language] or None

    async def run_once(self) -> int:
        """Acknowledge every waiting handoff whose patient wrote since the pause."""
        with self.session_factory.begin() as session:
            pending = [(h.id, h.conversation_id) for h in service.waiting_unacknowledged(session)]
        sent = 0
        for handoff_id, conversation_id in pending:
            tracker = await self.rasa.get_tracker(conversation_id)
            if not patient_wrote_while_paused(tracker):
                continue
            text = await self._message(tracker_language(tracker))
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
