"""The language of each conversation for the staff console (``en`` or ``ar``), and what
its queue card shows (:meth:`ConversationLanguages.cards`: the patient's name or number,
the last patient message as the transcript shows it, its time).

Worked out the way the assistant answers (:func:`clinic.language.conversation_language`
over the patient's messages in the Rasa tracker), so staff see the language the bot
speaks there. The queue shows it for every handoff: trackers are fetched at most once
per ``ttl`` seconds per conversation, a few at a time and with a short timeout, and a
conversation whose tracker cannot be read simply shows no language (the queue itself
never waits on Rasa for long or fails because of it).
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Tuple

from clinic.handoff.transcript import last_patient_message, patient_identity
from clinic.language import conversation_language

LAST_MESSAGE_CHARS = 140

logger = logging.getLogger(__name__)


def tracker_language(tracker: Mapping[str, Any]) -> str:
    """``en`` or ``ar`` for a tracker's JSON (``GET /conversations/<id>/tracker``)."""
    texts = [e.get("text") or "" for e in tracker.get("events") or [] if e.get("event") == "user"]
    return conversation_language(texts)


def tracker_card(tracker: Mapping[str, Any]) -> Dict[str, Any]:
    """What a queue card shows of a conversation (plain text; the page renders it as text)."""
    last = last_patient_message(list(tracker.get("events") or []))
    text = (last or {}).get("text") or ""
    if len(text) > LAST_MESSAGE_CHARS:
        text = text[: LAST_MESSAGE_CHARS - 1] + "\u2026"
    return {"language": tracker_language(tracker), **patient_identity(tracker),
            "last_message": text or None, "last_message_at": (last or {}).get("time")}


class ConversationLanguages:
    """Conversation id -> language, remembered for ``ttl`` seconds."""

    def __init__(self, get_tracker: Callable[[str], Any], ttl: float = 5.0, timeout: float = 2.0,
                 parallel: int = 4, max_entries: int = 2000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._get_tracker = get_tracker
        self.ttl, self.timeout, self.max_entries = ttl, timeout, max_entries
        self._clock = clock
        self.parallel = parallel
        self._known: Dict[str, Tuple[Dict[str, Any], float]] = {}

    def remember(self, conversation_id: str, tracker: Mapping[str, Any]) -> str:
        """The language of ``tracker`` (already fetched); its card is kept for the queue."""
        card = tracker_card(tracker)
        if len(self._known) >= self.max_entries:
            self._known.clear()
        self._known[conversation_id] = (card, self._clock())
        return card["language"]

    def forget(self, conversation_ids: Iterable[str]) -> None:
        """Read these conversations again next time (they changed: clinic.handoff.live)."""
        for conversation_id in conversation_ids:
            self._known.pop(conversation_id, None)

    async def _fetch(self, conversation_id: str, limit: asyncio.Semaphore) -> None:
        async with limit:
            try:
                tracker = await asyncio.wait_for(self._get_tracker(conversation_id), self.timeout)
            except Exception as error:  # Rasa down or slow, conversation erased: no language shown
                logger.debug("console: no language for a conversation (%s)", type(error).__name__)
                return
        self.remember(conversation_id, tracker)

    async def cards(self, conversation_ids: Iterable[str]) -> Dict[str, Optional[Dict[str, Any]]]:
        """The card of each conversation (``None`` when its tracker cannot be read)."""
        ids = list(dict.fromkeys(conversation_ids))
        now = self._clock()
        stale = [c for c in ids if c not in self._known or now - self._known[c][1] > self.ttl]
        if stale:
            limit = asyncio.Semaphore(self.parallel)
            await asyncio.gather(*(self._fetch(c, limit) for c in stale))
        return {c: dict(self._known[c][0]) if c in self._known else None for c in ids}

    async def of(self, conversation_ids: Iterable[str]) -> Dict[str, Optional[str]]:
        """The language of each conversation (``None`` when its tracker cannot be read)."""
        return {c: card["language"] if card else None for c, card in (await self.cards(conversation_ids)).items()}
