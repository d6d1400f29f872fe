"""Shared plumbing of the WhatsApp and Twilio channels (Rasa/Sanic side).

Webhooks answer fast: the message id is claimed in SQL before the 200 (so a crash
between the two makes the platform redeliver, and a redelivery after the claim is
ignored), and the assistant's turn runs in a background task.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Coroutine, Optional, Set

from sqlalchemy.orm import sessionmaker

from clinic.channels import store

logger = logging.getLogger(__name__)


class BackgroundTasks:
    """Keeps references to running tasks (so they are not garbage-collected)."""

    def __init__(self) -> None:
        self.tasks: Set[asyncio.Task] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any], what: str) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)

        def done(t: asyncio.Task) -> None:
            self.tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                logger.error("%s failed: %s", what, type(t.exception()).__name__)

        task.add_done_callback(done)

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait for every running task (tests and shutdown)."""
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=timeout)


class ChannelStore:
    """The channel tables, reached from async code through a worker thread."""

    def __init__(self, factory: Optional[sessionmaker] = None) -> None:
        self._factory = factory

    @property
    def factory(self) -> sessionmaker:
        if self._factory is None:
            from clinic.db import default_session_factory

            self._factory = default_session_factory()
        return self._factory

    async def claim(self, message_id: str, channel: str, conversation_id: str) -> bool:
        first = await asyncio.to_thread(store.claim_message, self.factory, message_id, channel, conversation_id)
        if first:
            await asyncio.to_thread(store.touch_contact, self.factory, conversation_id, channel)
        return first

    async def within_window(self, conversation_id: str) -> bool:
        return await asyncio.to_thread(store.within_window, self.factory, conversation_id)

    async def record_media(self, conversation_id: str, channel: str, ref: str, mime: str) -> int:
        return await asyncio.to_thread(store.record_media, self.factory, conversation_id, channel, ref, mime)

    async def note_undelivered(self, conversation_id: str, channel: str, reason: str, text: str) -> None:
        try:
            await asyncio.to_thread(store.record_undelivered, self.factory, conversation_id, channel, reason, text)
        except Exception as error:  # the note is best effort; the log line remains
            logger.error("%s: could not record an undelivered message: %s", channel, type(error).__name__)

    async def save_choices(self, conversation_id: str, payloads: list) -> None:
        await asyncio.to_thread(store.save_choices, self.factory, conversation_id, payloads)

    async def choice_payload(self, conversation_id: str, number: int) -> Optional[str]:
        return await asyncio.to_thread(store.choice_payload, self.factory, conversation_id, number)
