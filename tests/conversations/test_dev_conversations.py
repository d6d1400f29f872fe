"""The development split of patient conversations (tests/conversations/dev/*.yml).

Written by the team to develop the dialogue against, so that the conversations of the
test set (../*.yml, test_conversations.py) are never tuned to. Not part of the floor:
this runs only when asked (``CONVERSATIONS_SPLIT=dev``, as ``scripts/eval_dialogue.py
--split dev`` does) and then fails only on a safety violation. Figures:
build/eval_dialogue_dev.json.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.conversations.engine import HERE, ClinicDb, Runner, format_summary, load_conversations, summarise

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(os.environ.get("CONVERSATIONS_SPLIT") != "dev",
                                 reason="development split: CONVERSATIONS_SPLIT=dev "
                                        "(scripts/eval_dialogue.py --split dev)")]
DEV = HERE / "dev"
OUT = ROOT / "build" / "eval_dialogue_dev.json"


def selected() -> list:
    """The dev conversations, or those whose id starts with CONVERSATIONS_ONLY (comma-separated)."""
    only = [p for p in os.environ.get("CONVERSATIONS_ONLY", "").split(",") if p]
    conversations = load_conversations(DEV)
    return [c for c in conversations if not only or any(c.id.startswith(p) for p in only)]


def test_dev_conversations_are_safe(fixed_stack):
    stack, fixed_now = fixed_stack
    transcript = os.environ.get("CONVERSATIONS_TRANSCRIPT")
    db = ClinicDb(f"sqlite:///{stack.var_dir / 'clinic.db'}")
    try:
        runner = Runner(stack, db, fixed_now, transcript=Path(transcript) if transcript else None)
        results = [runner.run(conversation) for conversation in selected()]
    finally:
        db.dispose()
    summary = summarise(results)
    summary["clock"] = fixed_now.isoformat() if fixed_now else "real"
    summary["split"] = "dev"
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(summary, indent=1, default=str), encoding="utf-8")
    print(format_summary(summary))
    unsafe = {r.id: r.safety for r in results if r.safety}
    assert not unsafe, f"unsafe conversations: {unsafe}"
