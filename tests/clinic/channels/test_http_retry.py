"""The one retry loop (clinic.channels.http_retry.with_retries) on its own: what is tried
again, how long it waits, what ends it. Its callers are tested with real HTTP in
test_http_clients.py (POST) and tests/clinic/aftercare/test_photos.py (streamed GET)."""
from __future__ import annotations

import asyncio

import httpx
import pytest

from clinic.channels.http_retry import Retry, with_retries


def run(answers, max_attempts=4, backoff=0.5):
    """Call with_retries on a request giving ``answers`` in turn (raising the exceptions)."""
    waits, calls = [], []

    async def sleep(seconds):
        waits.append(seconds)

    async def request():
        answer = answers[len(calls)]
        calls.append(answer)
        if isinstance(answer, Exception):
            raise answer
        return answer

    tried = asyncio.run(with_retries(request, what="test call", max_attempts=max_attempts,
                                     backoff=backoff, sleep=sleep))
    return tried, waits, len(calls)


def test_an_answer_ends_the_loop_at_once():
    tried, waits, calls = run(["done"])
    assert (tried.value, tried.failure, tried.attempts, waits, calls) == ("done", None, 1, [], 1)


def test_retries_wait_with_exponential_back_off_until_an_answer():
    tried, waits, calls = run([Retry("http 503", 503), httpx.ReadTimeout("slow"),
                               httpx.ConnectError("refused"), "done"])
    assert tried.value == "done" and tried.attempts == 4 and calls == 4
    assert waits == [0.5, 1.0, 2.0]


def test_the_server_s_delay_replaces_the_back_off():
    tried, waits, _ = run([Retry("http 429", 429, delay=7.0), "done"])
    assert tried.value == "done" and waits == [7.0]


def test_gives_up_with_the_last_failure_and_no_wait_after_it():
    tried, waits, calls = run([Retry("http 500", 500), httpx.ReadTimeout("slow"), Retry("http 502", 502)],
                              max_attempts=3)
    assert tried.value is None and tried.attempts == 3 and calls == 3
    assert tried.failure == Retry("http 502", 502)
    assert waits == [0.5, 1.0]


def test_a_timeout_as_the_last_failure_has_no_status():
    tried, _, _ = run([Retry("http 500", 500), httpx.ReadTimeout("slow")], max_attempts=2)
    assert tried.failure == Retry("timeout")


def test_other_exceptions_are_not_retried():
    with pytest.raises(ValueError):
        run([ValueError("refused for its size"), "never asked"])


def test_a_falsy_answer_is_an_answer():
    tried, waits, _ = run([b""])
    assert tried.value == b"" and tried.failure is None and waits == []
