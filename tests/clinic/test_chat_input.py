import json

import pytest

from clinic.chat_input import InvalidRequest, parse_chat_body


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
