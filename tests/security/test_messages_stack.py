"""Issue 19, items 1 and 7, against the real stack (Rasa, actions, web): a message of
20,000 symbols is answered quickly and does not hold up another visitor; a lone
surrogate is a 400; typed internal intents get an ordinary answer, not the apology."""
from __future__ import annotations

import threading
import time
import uuid

import httpx
import pytest

from tests.integration.conftest import stack  # noqa: F401  (the session's servers)

pytestmark = pytest.mark.integration

APOLOGY = "technical problem on our side"


def post(stack, sender: str, body: bytes) -> httpx.Response:  # noqa: F811
    return httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", content=body, timeout=120,
                      headers={"Authorization": f"Bearer {stack.rasa_token}", "Content-Type": "application/json"})


def say(stack, text: str, sender: str = "") -> httpx.Response:  # noqa: F811
    import json

    sender = sender or f"sec-{uuid.uuid4().hex[:12]}"
    return post(stack, sender, json.dumps({"sender": sender, "message": text}).encode())


def test_a_message_of_20000_symbols_does_not_hold_up_another_visitor(stack):  # noqa: F811
    # was: 8,000 "$" took 18 s, and a "hi" sent 0.5 s after 6,000 "%" waited 9.8 s
    assert say(stack, "hello").status_code == 200
    alone = min(_timed(lambda: say(stack, "hi")) for _ in range(3))
    heavy: dict = {}
    thread = threading.Thread(target=lambda: heavy.update(t=_timed(lambda: heavy.update(r=say(stack, "%" * 20000)))))
    thread.start()
    time.sleep(0.5)
    other = _timed(lambda: say(stack, "hi"))
    thread.join()
    assert heavy["r"].status_code == 200 and heavy["t"] < 3.0
    assert other - alone < 1.0  # the target (100 ms) is measured by make bench on a quiet machine


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


@pytest.mark.parametrize("escaped", [b"\\ud800", b"hello \\udfff"])
def test_a_lone_surrogate_gets_a_400_not_a_503(stack, escaped):  # noqa: F811
    response = post(stack, "sec-surrogate", b'{"sender": "sec-surrogate", "message": "' + escaped + b'"}')
    assert response.status_code == 400 and "error" in response.json()


@pytest.mark.parametrize("typed", ["/faq", "/session_start", "/back", "/restart", "/out_of_scope", "/nlu_fallback"])
def test_typed_internal_intents_get_an_ordinary_answer(stack, typed):  # noqa: F811
    sender = f"sec-typed-{uuid.uuid4().hex[:8]}"
    assert say(stack, "hello", sender).status_code == 200
    response = say(stack, typed, sender)
    assert response.status_code == 200
    texts = [m.get("text") or "" for m in response.json()]
    assert texts and not any(APOLOGY in t for t in texts), texts
