"""Property-based fuzzing of the public entry points: never a 5xx, and the assistant still answers.

1,000 generated cases in total, most of them malformed bodies that the endpoints must
reject fast with a 4xx: random bytes (invalid UTF-8), random unicode, control
characters, wrong JSON types, 100 KB bodies and injection strings; plus well-formed
messages with random unicode text that go through the whole assistant. The targets
are every public endpoint the stack serves: the REST webhook and the web page's chat
proxy always; the WhatsApp webhook and the staff console login when their routes are
mounted. Deeply nested JSON has its own test.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Dict, List

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.fuzz import INJECTIONS
from bench.fuzz import text_strategy as fuzz_texts

pytestmark = pytest.mark.integration

TOTAL_CASES = 1000
MESSAGE_CASES = 100  # well-formed messages through NLU, dialogue and actions (slower)
SENDERS = st.from_regex(r"\Afuzz-[A-Za-z0-9_.:@+\-]{1,40}\Z")
CONTROL = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=31), max_size=50)
# the odd messages of `make bench`'s fuzz (bench/fuzz.py: punctuation runs, long
# whitespace, emoji, Arabic, URLs, huge, lone surrogates, ...), plus Hypothesis' own text
TEXT = st.one_of(st.text(max_size=300), CONTROL, st.sampled_from(INJECTIONS),
                 st.lists(st.sampled_from(INJECTIONS + ["price", "pus", "😀", "سعر"]), max_size=8).map(" ".join),
                 fuzz_texts())
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=50))


def _json(value) -> bytes:
    return json.dumps(value).encode()


def _big_body(size: int) -> bytes:
    return b'{"sender": "fuzz-big", "message": "' + b"x" * size + b'"}'


MALFORMED = st.one_of(
    st.binary(max_size=2000),                                              # random bytes, invalid UTF-8
    st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass")),  # not JSON at all
    st.builds(lambda b: b'{"sender": "fuzz-a", "message": "' + b + b'"}', st.binary(min_size=1, max_size=50)),
    st.recursive(JSON_SCALARS, lambda c: st.one_of(st.lists(c, max_size=4), st.dictionaries(st.text(max_size=8), c,
                                                                                             max_size=4)),
                 max_leaves=20).map(_json),                                 # JSON of any shape
    st.fixed_dictionaries({"sender": st.one_of(JSON_SCALARS, st.text(max_size=300)),
                           "message": st.one_of(JSON_SCALARS, st.lists(JSON_SCALARS, max_size=3))}).map(_json),
    st.integers(100_000, 110_000).map(_big_body),                          # 100 KB bodies
    st.sampled_from(INJECTIONS).map(str.encode),
)


@dataclass
class Target:
    """A public endpoint: how to send it raw bytes."""

    name: str
    url: str
    content_type: str = "application/json"
    extra_headers: Dict[str, str] = None

    def post(self, client: httpx.Client, body: bytes) -> httpx.Response:
        headers = {"Content-Type": self.content_type, **(self.extra_headers or {})}
        return client.post(self.url, content=body, headers=headers)


def _mounted(client: httpx.Client, url: str) -> bool:
    try:
        return client.get(url).status_code < 400
    except httpx.HTTPError:
        return False


def targets(stack, client: httpx.Client) -> List[Target]:
    """Every public POST endpoint this stack serves."""
    found = [Target("rest", f"{stack.rasa_url}/webhooks/rest/webhook",  # for servers: the API token
                    extra_headers={"Authorization": f"Bearer {stack.rasa_token}"}),
             Target("web_chat", f"{stack.web_url}/chat")]
    if _mounted(client, f"{stack.rasa_url}/webhooks/whatsapp/"):
        found.append(Target("whatsapp", f"{stack.rasa_url}/webhooks/whatsapp/webhook",
                            extra_headers={"X-Hub-Signature-256": "sha256=" + "0" * 64}))
    if _mounted(client, f"{stack.web_url}/console/login"):
        found.append(Target("console_login", f"{stack.web_url}/console/login",
                            content_type="application/x-www-form-urlencoded"))
    return found


def assert_not_5xx(target: Target, body: bytes, response: httpx.Response) -> None:
    assert response.status_code < 500, f"{target.name}: {response.status_code} for body {body[:120]!r}"
    assert "Traceback" not in response.text


def run_cases(examples: int, strategy, check: Callable) -> int:
    """Run ``check`` on ``examples`` generated values; returns how many ran."""
    ran = []

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def case(value):
        ran.append(1)
        check(value)

    case()
    return len(ran)


def assert_still_answers(stack) -> None:
    reply = stack.say("fuzz-after", "how much does a session cost?")
    assert reply.status_code == 200 and reply.json(), reply.text


def test_fuzzed_requests_never_get_a_5xx(stack):
    with httpx.Client(timeout=60) as client:
        endpoints = targets(stack, client)
        per_target = (TOTAL_CASES - MESSAGE_CASES) // len(endpoints)
        ran = 0
        for target in endpoints:
            ran += run_cases(per_target, MALFORMED,
                             lambda body, target=target: assert_not_5xx(target, body, target.post(client, body)))

        rest = endpoints[0]

        def message(case):
            sender, text = case
            body = _json({"sender": sender, "message": text})
            assert_not_5xx(rest, body, rest.post(client, body))

        ran += run_cases(TOTAL_CASES - per_target * len(endpoints), st.tuples(SENDERS, TEXT), message)
    assert ran >= TOTAL_CASES, f"only {ran} cases ran"
    assert_still_answers(stack)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_rejected_not_a_crash(stack, depth):
    nested = b"[" * depth + b"]" * depth
    bodies = [nested, b'{"sender": "fuzz-n", "message": "hi", "metadata": {"a": ' + nested + b"}}"]
    with httpx.Client(timeout=60) as client:
        for target in targets(stack, client):
            for body in bodies:
                assert_not_5xx(target, body, target.post(client, body))
    assert_still_answers(stack)
