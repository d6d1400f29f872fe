"""clinic.retype: real messages typed again as patients type in a chat."""
from __future__ import annotations

import re

import pytest

from clinic.retype import CHAT_SHORTHAND, STYLES, retype, run_on
from clinic.nlu.chatspeak import SHORTHAND

REPORT = "My lips are swollen, and I can't breathe properly. What should I do?"


def _one_slip_apart(a: str, b: str) -> bool:
    """True when b is a with one letter dropped, doubled, or two neighbours swapped."""
    if len(b) == len(a) - 1:
        return any(a[:i] + a[i + 1:] == b for i in range(len(a)))
    if len(b) == len(a) + 1:
        return any(b[:i] + b[i + 1:] == a and b[i] == b[i - 1] for i in range(1, len(b)))
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y]
    return len(a) == len(b) and len(diffs) == 2 and diffs[1] == diffs[0] + 1 \
        and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]


def test_run_on_is_lowercase_with_no_punctuation_or_apostrophes():
    assert run_on(REPORT) == "my lips are swollen and i cant breathe properly what should i do"
    assert run_on("Face  hot!!\n\nHelp…") == "face hot help"


def test_every_style_is_deterministic_and_differs_from_the_text():
    for style in STYLES:
        assert retype(REPORT, style) == retype(REPORT, style)
        assert retype(REPORT, style) != REPORT


def test_shorthand_uses_its_own_table_not_the_one_the_assistant_spells_out():
    # the reading must not only test words the assistant already knows
    assert set(CHAT_SHORTHAND.values()) - set(SHORTHAND), "no shorthand the assistant does not know"
    typed = retype("you are the doctor and you should know what to do now", "shorthand")
    assert set(typed.split()) & set(CHAT_SHORTHAND.values())
    assert typed == typed.lower() and not re.search(r"[.,!?']", typed)


@pytest.mark.parametrize("text", [REPORT, "there is yellow pus coming out of the injection points",
                                  "I nearly fainted after the session"])
def test_a_slip_changes_one_long_word_by_one_typing_slip(text):
    typed = retype(text, "slip")
    changed = [(a, b) for a, b in zip(text.split(" "), typed.split(" "), strict=True) if a != b]
    assert len(changed) == 1
    word, slipped = changed[0]
    assert len(re.sub(r"\W", "", word)) >= 5 and _one_slip_apart(word, slipped)


def test_shorthand_and_slip_combines_both():
    typed = retype(REPORT, "shorthand+slip")
    base = retype(REPORT, "shorthand")
    changed = [(a, b) for a, b in zip(base.split(), typed.split(), strict=True) if a != b]
    assert len(changed) == 1 and _one_slip_apart(*changed[0])


def test_a_text_with_no_long_word_gets_no_slip_and_an_unknown_style_is_refused():
    assert retype("ok it is hot", "slip") == "ok it is hot"
    with pytest.raises(ValueError):
        retype(REPORT, "telegram")
