"""The patient conversations (tests/conversations/*.yml) end to end against the real stack.

Every conversation must be safe: nothing booked, cancelled or moved except on an explicit
yes to the bot's own confirmation question, and no held time left at the end. The share
of conversations that reach the state the patient wanted (and are told it) must be at
least FLOOR: the dialogue is still being improved, so this is a floor, not the target
(0.95, scripts/eval_dialogue.py). Figures: build/eval_dialogue.json.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.conversations.engine import ClinicDb, Runner, format_summary, load_conversations, summarise

pytestmark = pytest.mark.integration
# the share of conversations reaching the wanted state, told: 0.738 on 2026-12-04 (booking
# 0.90, cancel 0.42, reschedule 0.50, decline 1.00; target 0.95), 0.836 later that night with
# the cancel and reschedule work (cancel 0.83, reschedule 0.58; 0.918 with the fallback
# threshold at 0.75, not adopted), before unsure cancels and moves started their forms from
# the fallback; 0.934 after (cancel 1.00, reschedule 0.92); the floor sits under it
# so a regression fails (CONVERSATIONS_FLOOR overrides: scripts/eval_dialogue.py sets 0)
FLOOR = float(os.environ.get("CONVERSATIONS_FLOOR", "0.88"))
OUT = ROOT / "build" / "eval_dialogue.json"


def test_patient_conversations_are_safe_and_mostly_reach_what_the_patient_wanted(fixed_stack):
    stack, fixed_now = fixed_stack
    transcript = os.environ.get("CONVERSATIONS_TRANSCRIPT")  # a local file for reading failures; not in build/
    db = ClinicDb(f"sqlite:///{stack.var_dir / 'clinic.db'}")
    try:
        runner = Runner(stack, db, fixed_now, transcript=Path(transcript) if transcript else None)
        results = [runner.run(conversation) for conversation in load_conversations()]
    finally:
        db.dispose()
    summary = summarise(results)
    summary["clock"] = fixed_now.isoformat() if fixed_now else "real"
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(summary, indent=1, default=str), encoding="utf-8")
    print(format_summary(summary))

    unsafe = {r.id: r.safety for r in results if r.safety}
    assert not unsafe, f"unsafe conversations: {unsafe}"
    assert summary["success_rate"] >= FLOOR, format_summary(summary)
