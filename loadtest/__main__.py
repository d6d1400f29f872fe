"""``python -m loadtest`` (``make loadtest``): load, faults and soak on the production topology.

Starts its own PostgreSQL and Redis and the topology of ``make run-prod`` on free ports,
then runs, each on a fresh topology:

1. load: ``--conversations`` patients at once (200), ``--messages`` each (20), mixing
   FAQ, booking and aftercare, with same-sender bursts; checks nothing was lost,
   reordered or double-booked and that no answer was a 5xx;
2. faults: a steady load while the action servers, PostgreSQL and Redis are each
   stopped for 15 s and brought back, then one Rasa process is killed;
3. soak: ``--soak-minutes`` (20) at a steady rate; memory growth and latency drift.

Prints one table per run and writes ``build/loadtest/results.json``. Exit status 1 when a
check failed. ``--skip-load``, ``--skip-faults`` and ``--soak-minutes 0`` shorten it.
"""
from __future__ import annotations

import argparse
import json
import signal
import sys
from types import FrameType
from typing import Dict, List, Optional

from loadtest.harness import BUILD, topology_under_test
from loadtest.scenarios import RunResult, faults, load, soak


def show(title: str, result: RunResult) -> None:
    print(f"\n{title}")
    width = max((len(k) for k in result.figures), default=10)
    for key, value in result.figures.items():
        print(f"  {key:<{width}}  {value}")
    for problem in result.problems[:20]:
        print(f"  PROBLEM: {problem}")
    if len(result.problems) > 20:
        print(f"  ... and {len(result.problems) - 20} more problems")
    print("  checks: " + ("passed" if not result.problems else f"{len(result.problems)} FAILED"), flush=True)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-faults", action="store_true")
    parser.add_argument("--soak-minutes", type=float, default=20.0)
    args = parser.parse_args(argv)
    results: Dict[str, RunResult] = {}

    if not args.skip_load:
        print(f"==> load: {args.conversations} conversations x {args.messages} messages", flush=True)
        with topology_under_test("load") as harness:
            results["load"] = load(harness, args.conversations, args.messages)
        show("Load", results["load"])

    if not args.skip_faults:
        print("==> faults during load: action servers, PostgreSQL, Redis (15 s each), then a Rasa process killed",
              flush=True)
        with topology_under_test("faults") as harness:
            results["faults"] = faults(harness)
        show("Faults", results["faults"])

    if args.soak_minutes > 0:
        print(f"==> soak: {args.soak_minutes:g} minutes at a steady rate", flush=True)
        with topology_under_test("soak") as harness:
            results["soak"] = soak(harness, args.soak_minutes)
        show("Soak", results["soak"])

    BUILD.mkdir(parents=True, exist_ok=True)
    (BUILD / "results.json").write_text(json.dumps(
        {name: {"figures": r.figures, "problems": r.problems} for name, r in results.items()}, indent=2))
    print(f"\nResults: {BUILD / 'results.json'}")
    return 1 if any(r.problems for r in results.values()) else 0


def _on_sigterm(signum: int, frame: Optional[FrameType]) -> None:
    raise KeyboardInterrupt  # unwind like Ctrl-C: the topology and private stores are stopped


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("loadtest: interrupted; servers stopped", file=sys.stderr)
        sys.exit(130)
