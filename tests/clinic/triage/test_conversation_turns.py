"""No warning sign in what patients type while booking: every message of the development
conversations (tests/conversations/dev/) that end in a booking, a cancel, a move or nothing
booked. A false alarm there pauses the booking for a nurse: the Arabizi "bukra" (tomorrow),
read as the Hindi "bukar" (fever) by the slip correction, had done so for every booking made
for tomorrow in Arabizi."""
from __future__ import annotations

from pathlib import Path

import yaml

from clinic.triage import assess_texts
from tests.clinic.triage.test_typed import needs_spacy

DEV = Path(__file__).resolve().parents[2] / "conversations" / "dev"
CALM_GOALS = {"booked", "cancelled", "rescheduled", "nothing_booked"}


def calm_turns() -> list:
    turns = []
    for path in sorted(DEV.glob("*.yml")):
        for conversation in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
            if conversation["goal"] in CALM_GOALS:
                turns += [turn["user"] for turn in conversation["turns"] if "{" not in turn["user"]]
    return turns


def test_there_are_enough_turns_to_mean_something():
    assert len(calm_turns()) > 500  # 970 on 2026-12-06


@needs_spacy
def test_no_turn_of_a_booking_conversation_is_a_warning_sign():
    turns = calm_turns()
    flagged = [text for text, result in zip(turns, assess_texts(turns), strict=True) if result.urgent]
    assert flagged == []
