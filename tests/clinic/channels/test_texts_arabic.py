"""The messages a channel sends by itself exist in Arabic, with the same placeholders."""
import re

import pytest

from clinic.answers import banned_claims
from clinic.channels.texts import TEXTS, TEXTS_AR, text


def placeholders(value: str) -> set:
    return set(re.findall(r"\{(\w+)\}", value))


def test_every_text_has_an_arabic_text_with_the_same_placeholders():
    assert set(TEXTS_AR) == set(TEXTS)
    for key, english in TEXTS.items():
        assert placeholders(TEXTS_AR[key]) == placeholders(english), key
        arabic = re.sub(r"\{\w+\}", "", TEXTS_AR[key])
        assert re.search(r"[\u0600-\u06FF]{3}", arabic) and not re.search(r"[A-Za-z]{3}", arabic), key
        assert banned_claims(TEXTS_AR[key]) == [], key


@pytest.mark.parametrize("language, script", [("ar", r"[\u0600-\u06FF]"), ("en", r"[A-Za-z]"), (None, r"[A-Za-z]")])
def test_text_picks_the_language(language, script):
    message = text("channel_unavailable", language)
    assert re.match(script, message) and "{" not in message
    assert "998" in message
