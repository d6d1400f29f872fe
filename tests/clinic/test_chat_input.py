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
