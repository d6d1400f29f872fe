"""A Redis lock store that is safe for several Rasa processes and survives a crash.

Two Rasa processes sharing a tracker store must not handle two messages of one
conversation at once, or one of them is lost (DESIGN.md). Rasa's ``RedisLockStore``
keeps a queue of tickets per conversation in Redis, but:

* it changes that queue by read-modify-write with no transaction: two processes issuing
  a ticket at the same moment can both get the same number, or one can delete the other's
  ticket while cleaning up (then the message fails with ``LockError``);
* a ticket lives 60 s: when a process dies mid-turn, every later message of that
  conversation waits up to a minute;
* a waiting message re-checks once a second, so each message of a quick burst
  ("hi" / "I have a question" / "about redness") is answered about a second late.

Rasa also numbers tickets from 1 again whenever a queue empties, so a late release or
renewal by a process whose ticket lapsed can hit someone else's ticket of the same
number. Here each change to a queue is one Redis transaction (``WATCH``/``MULTI``,
retried on conflict); ticket numbers come from a per-conversation counter
(``INCR``, kept a day) and are never reused; tickets are leases of ``LEASE_S`` seconds that their owner renews while it
waits and works, so a crashed process's tickets lapse within seconds; and waiting
messages poll every ``POLL_S`` seconds. Sockets time out after ``SOCKET_TIMEOUT_S`` so
an unreachable Redis fails a turn quickly (the channel then answers politely) instead of
hanging it. Configured by one URL, ``REDIS_URL`` (for example ``redis://host:6379/1``).

``deploy/endpoints.prod.yml``::

    lock_store:
      type: addons.lock_store.ClinicRedisLockStore

The members of Rasa's ``LockStore`` and ``TicketLock`` this class relies on (among them
the private ``_acquire_lock``) are registered in :mod:`addons.compat` (``lock_store``) and
checked against the installed Rasa at start-up.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Callable, Optional, Text, TypeVar

import redis
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from clinic.settings import get_settings

logger = logging.getLogger(__name__)

LEASE_S = 3.0  # a ticket lapses this long after its owner last renewed it
RENEW_EVERY_S = 1.0
POLL_S = 0.05
SOCKET_TIMEOUT_S = 2.0
COUNTER_TTL_S = 24 * 3600
T = TypeVar("T")


class ClinicRedisLockStore(LockStore):
    """Ticket locks in Redis with atomic updates and renewed leases."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, *,
                 url: Optional[str] = None, key_prefix: Optional[str] = None) -> None:
        kwargs = endpoint_config.kwargs if endpoint_config else {}
        url = url or get_settings().redis_url
        if not url:
            raise LockError("REDIS_URL is not set: the Redis lock store needs it (README, "
                            "\"Production topology\")")
        self.red = redis.Redis.from_url(url, socket_timeout=SOCKET_TIMEOUT_S,
                                        socket_connect_timeout=SOCKET_TIMEOUT_S)
        prefix = key_prefix or kwargs.get("key_prefix")
        namespace = f"{prefix}:" if prefix else ""
        self.key_prefix = namespace + DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX
        # its own namespace: no conversation id can name another conversation's counter
        self.counter_prefix = namespace + "lockseq:"
        super().__init__()

    # -- storage (used by Rasa's base class for reads) -------------------------------

    def _key(self, conversation_id: Text) -> str:
        return self.key_prefix + conversation_id

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        raw = self.red.get(self._key(conversation_id))
        return TicketLock.from_dict(json.loads(raw)) if raw else None

    def delete_lock(self, conversation_id: Text) -> None:
        self.red.delete(self._key(conversation_id))

    def save_lock(self, lock: TicketLock) -> None:
        self.red.set(self._key(lock.conversation_id), lock.dumps())

    # -- every change is one transaction ---------------------------------------------

    def _change(self, conversation_id: Text, change: Callable[[TicketLock], T]) -> T:
        """Apply ``change`` to the stored lock atomically; delete the lock once empty."""
        key = self._key(conversation_id)

        def attempt(pipe: Any) -> T:
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else TicketLock(conversation_id)
            result = change(lock)
            pipe.multi()
            if lock.tickets:
                pipe.set(key, lock.dumps())
            else:
                pipe.delete(key)
            return result

        return self.red.transaction(attempt, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LEASE_S) -> int:
        counter = self.counter_prefix + conversation_id

        def issue(lock: TicketLock) -> int:
            # a fresh number on every attempt, so the queue stays in issue order
            number = int(self.red.incr(counter))
            self.red.expire(counter, COUNTER_TTL_S)
            lock.remove_expired_tickets()
            lock.tickets.append(Ticket(number, time.time() + lock_lifetime))
            return number

        try:
            return self._change(conversation_id, issue)
        except redis.RedisError as error:
            raise LockError(f"Could not issue a ticket: {type(error).__name__}") from error

    def update_lock(self, conversation_id: Text) -> None:
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def renew(self, conversation_id: Text, ticket_number: int) -> None:
        """Extend the lease of ``ticket_number`` by ``LEASE_S`` from now."""
        def extend(lock: TicketLock) -> None:
            for index, ticket in enumerate(lock.tickets):
                if ticket.number == ticket_number:
                    lock.tickets[index] = Ticket(ticket_number, time.time() + LEASE_S)

        self._change(conversation_id, extend)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        try:
            self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))
        except redis.RedisError as error:  # the lease lapses on its own
            logger.warning("lock store: could not release a ticket: %s", type(error).__name__)

    # -- the lock ----------------------------------------------------------------------

    async def _keep_renewing(self, conversation_id: Text, ticket_number: int) -> None:
        while True:
            await asyncio.sleep(RENEW_EVERY_S)
            try:
                self.renew(conversation_id, ticket_number)
            except redis.RedisError as error:
                logger.warning("lock store: could not renew a lease: %s", type(error).__name__)

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LEASE_S,
                   wait_time_in_seconds: float = POLL_S) -> AsyncGenerator[TicketLock, None]:
        """Hold the conversation's lock; the ticket's lease is renewed until released."""
        ticket = self.issue_ticket(conversation_id, LEASE_S)
        renewing = asyncio.ensure_future(self._keep_renewing(conversation_id, ticket))
        try:
            yield await self._acquire_lock(conversation_id, ticket, POLL_S)
        finally:
            renewing.cancel()
            self.cleanup(conversation_id, ticket)
