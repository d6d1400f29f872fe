"""The fuzz bench's generated messages (bench/fuzz.py): every category, reproducible,
bodies the REST channel either takes or must refuse with a 400."""
from __future__ import annotations

import json
import re
from collections import Counter

from bench.fuzz import CATEGORIES, CLIENT_ERRORS, FuzzResult, cases, request_body


def test_cases_cover_every_category_and_repeat_with_the_seed():
    first = list(cases(240, seed=7))
    assert Counter(name for name, _ in first) == {name: 20 for name in CATEGORIES}
    assert first == list(cases(240, seed=7)) and first != list(cases(240, seed=8))


def test_bodies_are_json_except_the_ones_that_must_be_refused():
    for name, message in cases(240):
        body = request_body("fuzz-1", message)
        if name == "invalid_utf8":
            try:
                body.decode("utf-8")
                raise AssertionError("an invalid_utf8 body decoded")
            except UnicodeDecodeError:
                continue
        parsed = json.loads(body)
        assert parsed["sender"] == "fuzz-1" and parsed["message"] == message
        assert len(message) <= 20000  # MAX_MESSAGE_CHARS: the size limit is not what is tested
        if name == "lone_surrogate":  # sent as a JSON escape, as an attacker would
            assert re.search(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}", body)
    assert CLIENT_ERRORS <= set(CATEGORIES)


def test_result_percentiles_and_slowest_categories():
    result = FuzzResult(4)
    for name, ms in [("a", 10.0), ("a", 20.0), ("b", 300.0), ("c", 5.0)]:
        result.latencies_ms.append(ms)
        result.by_category[name].append(ms)
    assert result.p(50) == 15.0 and [c for c, _ in result.slowest(2)] == ["b", "a"]
    assert result.summary()["slowest_categories"][0]["category"] == "b"
