import json

import pytest

from clinic.chat_input import (MODEL_MAX_CHARS, InvalidRequest, bound_suffix_search, is_valid_text,
                               parse_chat_body, text_for_model)


def body(**fields) -> bytes:
    return json.dumps(fields).encode()


def test_valid_body():
    assert parse_chat_body(body(sender="a-1", message="hi"), 100) == ("a-1", "hi", None)
    assert parse_chat_body(body(sender="a", message="", metadata={"x": 1}), 100) == ("a", "", {"x": 1})


@pytest.mark.parametrize("raw, status", [
    (b"not json", 400),
    (b"\xff\xfe\xfd", 400),  # invalid UTF-8
    (b"[1, 2]", 400),
    (b'"text"', 400),
    (body(message="hi"), 400),  # no sender
    (body(sender="", message="hi"), 400),
    (body(sender="x" * 129, message="hi"), 400),
    (body(sender="<script>", message="hi"), 400),
    (body(sender="a b", message="hi"), 400),
    (body(sender=123, message="hi"), 400),
    (body(sender="a"), 400),  # no message
    (body(sender="a", message=None), 400),
    (body(sender="a", message=42), 400),
    (body(sender="a", message=["hi"]), 400),
    (body(sender="a", message="hi", metadata="x"), 400),
    (body(sender="a", message="x" * 101), 413),
])
def test_client_mistakes_are_refused_with_a_status(raw, status):
    with pytest.raises(InvalidRequest) as error:
        parse_chat_body(raw, 100)
    assert error.value.status == status
    assert str(error.value)  # a message the client can read


def test_deeply_nested_json_is_a_client_error_not_a_crash():
    nested = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(InvalidRequest):
        parse_chat_body(nested, 100)


def test_deeply_nested_metadata_is_refused_and_shallow_metadata_kept():
    deep = {"a": None}
    for _ in range(20):
        deep = {"a": deep}
    body = json.dumps({"sender": "s1", "message": "hi", "metadata": deep}).encode()
    with pytest.raises(InvalidRequest, match="nested"):
        parse_chat_body(body, 100)
    ok = json.dumps({"sender": "s1", "message": "hi", "metadata": {"customData": {"lang": ["en"]}}}).encode()
    assert parse_chat_body(ok, 100)[2] == {"customData": {"lang": ["en"]}}


@pytest.mark.parametrize("text, expected", [
    ("how much does it cost?", "how much does it cost?"),
    ("soooooo painful!!!!!!!", "sooo painful!!!"),
    ("price   for\t\t two", "price for two"),
    ("pus\n\n\n  and fever", "pus\nand fever"),          # a newline still ends the sentence
    ("AED 10000 or 0000", "AED 10000 or 0000"),            # digits are never collapsed
    ("$" * 20000, "$$$"),
    ("$%" * 10000, "$%$%$%$%$%"),
    ("😀" * 5000 + " hi", "😀😀😀 hi"),
    ("", ""),
])
def test_text_for_model_collapses_runs(text, expected):
    assert text_for_model(text) == expected


def test_text_for_model_caps_the_length_at_a_word_boundary():
    text = "my scar is red " * 1000
    bounded = text_for_model(text)
    assert len(bounded) <= MODEL_MAX_CHARS and text.startswith(bounded)
    assert text[len(bounded)] == " "  # a whole word last
    assert len(text_for_model("x" * 100 + "y" * 5000)) <= MODEL_MAX_CHARS


def test_lone_surrogates_are_not_valid_text():
    assert is_valid_text("مرحبا 😀") and not is_valid_text("a\ud800b")


class _Tokenizer:
    def __init__(self, search):
        self.suffix_search = search


def test_bound_suffix_search_looks_at_the_end_only_and_keeps_the_pattern():
    import re

    regex = re.compile(r"\.\.\.$|[!?]$")
    seen = []
    tokenizer = _Tokenizer(lambda s: seen.append(len(s)) or regex.search(s))
    bound_suffix_search(tokenizer, window=8)
    assert tokenizer.suffix_search("x" * 1000 + "...").group() == "..."
    assert seen == [8]
    real = _Tokenizer(regex.search)
    bound_suffix_search(real)
    bound_suffix_search(real)  # idempotent: wrapped once
    assert real.suffix_search.__self__.pattern == regex.pattern
    assert real.suffix_search.__self__._search == regex.search
