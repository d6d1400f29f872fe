"""The Redis lock store shared by several Rasa processes (a real Redis server)."""
from __future__ import annotations

import asyncio
import threading
import time
import uuid

import pytest
from rasa.core.lock_store import LockError

from addons import lock_store as module
from addons.lock_store import ClinicRedisLockStore


@pytest.fixture
def url(redis_url) -> str:
    return redis_url


def stores(url: str, count: int) -> list:
    """``count`` stores with their own connections, as in ``count`` Rasa processes."""
    prefix = f"test{uuid.uuid4().hex[:8]}"
    return [ClinicRedisLockStore(url=url, key_prefix=prefix) for _ in range(count)]


def test_tickets_issued_at_once_by_several_processes_are_all_different(url):
    many = stores(url, 8)
    conversation = "patient-1"
    tickets: list = []
    start = threading.Barrier(len(many))

    def issue(store: ClinicRedisLockStore) -> None:
        start.wait()
        for _ in range(25):
            # leases long enough that none lapses while 8 writers contend (this tests
            # numbering, not leases; 3 s leases lapsed on a busy CI machine)
            tickets.append(store.issue_ticket(conversation, lock_lifetime=120))

    threads = [threading.Thread(target=issue, args=(s,)) for s in many]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(tickets) == 200 and len(set(tickets)) == 200
    assert len(many[0].get_lock(conversation).tickets) == 200


def test_only_one_turn_of_a_conversation_runs_at_a_time_across_processes(url):
    a, b = stores(url, 2)
    inside, most, order = [0], [0], []

    async def turn(store: ClinicRedisLockStore, n: int) -> None:
        async with store.lock("patient-2"):
            inside[0] += 1
            most[0] = max(most[0], inside[0])
            order.append(n)
            await asyncio.sleep(0.02)
            inside[0] -= 1

    def process(store: ClinicRedisLockStore, first: int) -> None:
        async def go() -> None:
            await asyncio.gather(*(turn(store, first + i) for i in range(10)))
        asyncio.run(go())

    threads = [threading.Thread(target=process, args=(a, 0)), threading.Thread(target=process, args=(b, 100))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(order) == 20 and most[0] == 1
    assert a.get_lock("patient-2") is None  # cleaned up once nobody waits


def test_a_crashed_process_holds_a_conversation_only_until_its_lease_lapses(url):
    crashed, alive = stores(url, 2)
    crashed.issue_ticket("patient-3", module.LEASE_S)  # took a ticket, then died: no renewal, no release

    async def go() -> float:
        started = time.monotonic()
        async with alive.lock("patient-3"):
            return time.monotonic() - started

    waited = asyncio.run(go())
    assert module.LEASE_S - 0.5 <= waited <= module.LEASE_S + 1.5  # not Rasa's 60 s


def test_a_long_turn_keeps_its_lease(url, monkeypatch):
    monkeypatch.setattr(module, "RENEW_EVERY_S", 0.2)
    monkeypatch.setattr(module, "LEASE_S", 0.6)
    holder, waiter = stores(url, 2)
    events = []

    async def long_turn() -> None:
        async with holder.lock("patient-4"):
            events.append("holder in")
            await asyncio.sleep(1.5)  # well past the lease: renewed meanwhile
            events.append("holder out")

    async def next_turn() -> None:
        await asyncio.sleep(0.1)
        async with waiter.lock("patient-4"):
            events.append("waiter in")

    async def go() -> None:
        await asyncio.gather(long_turn(), next_turn())

    asyncio.run(go())
    assert events == ["holder in", "holder out", "waiter in"]


def test_an_unreachable_redis_fails_the_turn_quickly():
    store = ClinicRedisLockStore(url="redis://127.0.0.1:1/0")
    started = time.monotonic()
    with pytest.raises(LockError):
        store.issue_ticket("patient-5")
    assert time.monotonic() - started < module.SOCKET_TIMEOUT_S + 1


def test_without_redis_url_the_store_refuses_to_start(monkeypatch):
    monkeypatch.setattr(module, "get_settings", lambda: type("S", (), {"redis_url": ""})())
    with pytest.raises(LockError, match="REDIS_URL"):
        ClinicRedisLockStore()


def test_a_late_release_by_a_lapsed_holder_does_not_free_the_next_turn(url):
    lapsed, current = stores(url, 2)
    old = lapsed.issue_ticket("patient-6", 0.2)
    time.sleep(0.3)  # its lease lapsed (its process stalled)
    new = current.issue_ticket("patient-6", 5.0)
    assert new != old  # numbers are never reused, even after the queue emptied
    lapsed.cleanup("patient-6", old)  # the stalled process wakes up and releases
    assert [t.number for t in current.get_lock("patient-6").tickets] == [new]
