"""Booking dialogue figures on the patient conversations of tests/conversations/.

Runs the conversations end to end (the pytest runner starts the real Rasa server, action
server and clinic database) and prints: the share of conversations that reach the state
the patient wanted and are told it (target >= 0.95), re-asks per conversation (target
<= 1), safety violations (must be 0) and the figures per category. Writes
build/eval_dialogue.json (response names and failure reasons, no conversation text).

    python scripts/eval_dialogue.py            # run, then print
    python scripts/eval_dialogue.py --no-run   # print the last run's figures
    python scripts/eval_dialogue.py --check    # exit 1 below a target or on any safety violation
    python scripts/eval_dialogue.py --split dev                 # the development split (tests/conversations/dev)
    python scripts/eval_dialogue.py --model /tmp/x/mine.tar.gz  # another trained model (CONVERSATIONS_MODEL)

Develop against the dev split; the test split (the default) is for measuring.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conversations.engine import TARGET_RATE, TARGET_REASKS, format_summary  # noqa: E402

OUTS = {"test": ROOT / "build" / "eval_dialogue.json", "dev": ROOT / "build" / "eval_dialogue_dev.json"}
TESTS = {"test": "tests/conversations/test_conversations.py", "dev": "tests/conversations/test_dev_conversations.py"}


def run_conversations(split: str = "test", model: str = "") -> None:
    """The pytest runner, with no floor: its safety failures are reported, not fatal here."""
    env = {**os.environ, "CONVERSATIONS_FLOOR": "0", "PYTHONPATH": str(ROOT), "CONVERSATIONS_SPLIT": split}
    if model:
        env["CONVERSATIONS_MODEL"] = str(Path(model).resolve())
    subprocess.run([sys.executable, "-m", "pytest", TESTS[split], "-q",
                    "-p", "no:cacheprovider"], cwd=ROOT, env=env, check=False)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-run", action="store_true", help="print the figures of the last run")
    parser.add_argument("--check", action="store_true", help="exit 1 below the targets or on a safety violation")
    parser.add_argument("--split", choices=sorted(OUTS), default="test",
                        help="test (the measured set, default) or dev (tests/conversations/dev, to develop against)")
    parser.add_argument("--model", default=os.environ.get("CONVERSATIONS_MODEL", ""),
                        help="the trained model to run (default models/current.tar.gz)")
    args = parser.parse_args(argv)
    out = OUTS[args.split]
    if not args.no_run:
        if out.exists():
            out.unlink()
        run_conversations(args.split, args.model)
    if not out.exists():
        print(f"no figures: {out.relative_to(ROOT)} was not written (did the stack start?)", file=sys.stderr)
        return 1
    summary = json.loads(out.read_text(encoding="utf-8"))
    print(format_summary(summary))
    print(f"figures: {out.relative_to(ROOT)}")
    if args.check:
        ok = (summary["success_rate"] >= TARGET_RATE and summary["reasks_per_conversation"] <= TARGET_REASKS
              and summary["safety_violations"] == 0)
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
