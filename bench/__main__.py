"""``python -m bench``: run every measurement once and print one table.

Exit status: 0 when everything was measured (even if targets were missed), 1 when
something could not be measured, 130 when interrupted. Environment:
``BENCH_SKIP_TRAIN=1`` skips the training-time measurement, ``BENCH_SKIP_PRODUCTION=1``
the production-topology column; ``BENCH_FUZZ_N`` sets the size of the fuzz (10,000); ``BENCH_DEV_SET`` points
at another dev set; ``BENCH_START_TIMEOUT`` (s) bounds the server start-up.
"""
from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any, Dict, List, Optional, Tuple

from bench import BUILD, MODEL, BenchError, env_flag
from bench.booking import measure as measure_booking
from bench.fuzz import FuzzResult, other_visitor_delay, print_result, run_fuzz
from bench.load import LoadResult, run_locust
from bench.nlu import NluResult, measure_nlu
from bench.report import Row, failed, print_misses, print_table, write_json
from bench.production import ProductionResult, measure_production
from bench.servers import peak_rss_mb, running_servers, turn_growth, warm_up
from bench.training import time_training
from clinic.triage import evaluate as evaluate_triage
from clinic.triage import load_reports
from ops.services import ServiceMissing, haproxy_binary

STEADY_USERS, STEADY_SECONDS = 20, 60  # 20 conversations x 1 msg/s = 20 msg/s offered
SATURATE_USERS, SATURATE_SECONDS = 40, 30  # closed loop, no think time
WARM_UP_MESSAGES = ["hello", "how much does it cost?", "blue banana telescope", "thanks, bye"]
RESULTS = BUILD / "results.json"
FUZZ_N = int(os.environ.get("BENCH_FUZZ_N", "10000"))


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def resolve_model() -> Path:
    """The model ``models/current.tar.gz`` links to (fixed for the whole run)."""
    if not MODEL.exists():
        raise BenchError(f"no model at {MODEL}: run `make model` first")
    return MODEL.resolve()


def build_rows(nlu: NluResult, train_s: Optional[float], steady: LoadResult,
               saturate: LoadResult, rss_mb: float, growth: Tuple[float, float],
               booking: Dict[str, float], triage: Dict[str, Any],
               prod: Optional[ProductionResult] = None, fuzz: Optional[FuzzResult] = None,
               delay: Optional[Dict[str, float]] = None) -> List[Row]:
    """The table: figures with targets get PASS/FAIL, the others are context. Targets
    are for the embedded default; the production column is the same load on the
    production topology."""
    offered = f"@ {STEADY_USERS} msg/s offered"
    closed = f"({SATURATE_USERS} users, closed loop)"
    ps = prod.steady if prod else None
    pz = prod.saturate if prod else None
    return [
        Row("NLU dev accuracy", nlu.accuracy, op=">=", bound=0.85, digits=3,
            note=f"({nlu.correct}/{nlu.total})"),
        Row("NLU parse p50 (in-process)", nlu.p50_ms, "ms", digits=1),
        Row("NLU parse p95 (in-process)", nlu.p95_ms, "ms", digits=1),
        Row(f"REST turn p50 {offered}", steady.p50_ms, "ms", prod=ps and ps.p50_ms),
        Row(f"REST turn p95 {offered}", steady.p95_ms, "ms", op="<=", bound=60, prod=ps and ps.p95_ms),
        Row("REST achieved rate", steady.rps, "msg/s", digits=1,
            note=f"({steady.requests} turns)", prod=ps and ps.rps),
        Row("REST failures (steady)", steady.failures, op="<=", bound=0, prod=ps and ps.failures),
        Row(f"Sustained msg/s {closed}", saturate.ok_rps, "msg/s", op=">=", bound=40,
            digits=1, note=f"({saturate.requests} turns)", prod=pz and pz.ok_rps),
        Row("REST turn p95 at saturation", saturate.p95_ms, "ms", prod=pz and pz.p95_ms),
        Row("REST failures (saturation)", saturate.failures, prod=pz and pz.failures),
        Row("Turn, messages 1-10 of one conversation", growth[0], "ms", digits=1),
        Row("Turn, messages 71-80 of one conversation", growth[1], "ms", digits=1),
        Row("Full training time", train_s, "s", op="<=", bound=300),
        Row("Rasa server peak RSS (VmHWM; production: both processes)", rss_mb, "MB", op="<=", bound=1638,
            prod=prod and prod.rss_mb),
        Row("Availability lookup p95 (in-process, SQLite)", booking["availability_p95_ms"], "ms", digits=1),
        Row("Booking commit p95 (in-process, SQLite)", booking["booking_p95_ms"], "ms", digits=1),
        Row("Triage urgent recall (symptom set)", triage["urgent_recall"], op=">=", bound=1.0, digits=3,
            note=f"({triage['urgent_reports']} urgent reports)"),
        Row("Triage false-alarm rate (expected reports)", triage["false_alarm_rate"], digits=3,
            note=f"({triage['expected_reports']} expected reports)"),
        *fuzz_rows(fuzz, delay),
    ]


def fuzz_rows(fuzz: Optional[FuzzResult], delay: Optional[Dict[str, float]]) -> List[Row]:
    """The fuzz of odd messages (issue 19): latency, 5xx, another visitor's delay."""
    if fuzz is None or not fuzz.latencies_ms:
        return [Row("Fuzz turn p99 (odd messages)", None)]
    slowest = ", ".join(f"{c} {v:.0f}" for c, v in fuzz.slowest(2))
    rows = [
        Row("Fuzz turn p50 (odd messages)", fuzz.p(50), "ms", note=f"({fuzz.n} messages)"),
        Row("Fuzz turn p95 (odd messages)", fuzz.p(95), "ms"),
        Row("Fuzz turn p99 (odd messages)", fuzz.p(99), "ms", op="<=", bound=150,
            note=f"(slowest p99: {slowest})"),
        Row("Fuzz 5xx answers", fuzz.server_errors, op="<=", bound=0),
    ]
    if delay:
        worst = max(delay, key=delay.get)
        rows.append(Row("Another visitor's extra delay, 0.5 s after 20,000 chars", delay[worst], "ms",
                        op="<=", bound=100, note=f"(worst: {worst})"))
    return rows


def details(model: Path, nlu: NluResult, train_s: Optional[float], steady: LoadResult,
            saturate: LoadResult, rss_mb: float, growth: Tuple[float, float],
            booking: Dict[str, float], triage: Dict[str, Any],
            prod: Optional[ProductionResult] = None, fuzz: Optional[FuzzResult] = None,
            delay: Optional[Dict[str, float]] = None) -> Dict[str, Any]:
    """Raw figures for results.json (aggregates only: no dev questions)."""
    def load(result: LoadResult) -> Dict[str, Any]:
        return {"users": result.users, "seconds": result.seconds, "requests": result.requests,
                "failures": result.failures, "rps": result.rps, "ok_rps": result.ok_rps,
                "p50_ms": result.p50_ms, "p95_ms": result.p95_ms, "log": str(result.log)}

    return {
        "model": model.name,
        "nlu": {"total": nlu.total, "correct": nlu.correct, "accuracy": nlu.accuracy,
                "parses_timed": len(nlu.latencies_ms), "p50_ms": nlu.p50_ms,
                "p95_ms": nlu.p95_ms},
        "training_s": train_s,
        "steady": load(steady),
        "saturate": load(saturate),
        "rasa_peak_rss_mb": rss_mb,
        "turn_growth_ms": {"first_10": growth[0], "last_10_of_80": growth[1]},
        "booking_ms": booking,
        "triage": {k: v for k, v in triage.items() if not isinstance(v, (list, tuple))},
        "fuzz": None if fuzz is None else {**fuzz.summary(), "other_visitor_delay_ms": delay},
        "production": None if prod is None else {
            "steady": load(prod.steady), "saturate": load(prod.saturate), "rasa_peak_rss_mb": prod.rss_mb},
    }


def run() -> int:
    started = time.monotonic()
    BUILD.mkdir(parents=True, exist_ok=True)
    model = resolve_model()
    if not env_flag("BENCH_SKIP_PRODUCTION"):
        haproxy_binary()  # before minutes of measuring, not after
    step(f"model {model.name}; logs and results under {BUILD}")

    step(f"NLU: dev-set accuracy and parse latency, in-process (log: {BUILD / 'nlu.log'})")
    nlu = measure_nlu(model, BUILD / "nlu.log")

    step("booking: availability lookup and booking commit, in-process (200 each)")
    booking = measure_booking(200)
    step("triage: the symptom report set (tests/clinic/triage/symptom_reports.yml)")
    triage = evaluate_triage(load_reports())

    train_s: Optional[float] = None
    if env_flag("BENCH_SKIP_TRAIN"):
        step("training time: skipped (BENCH_SKIP_TRAIN=1)")
    else:
        step(f"training a full model from scratch (log: {BUILD / 'train.log'})")
        train_s = time_training(BUILD / "train.log")

    step(f"starting the Rasa and action servers (logs: {BUILD}/rasa.log, actions.log)")
    with running_servers(model) as servers:
        warm_up(servers, WARM_UP_MESSAGES)
        step(f"steady load: {STEADY_USERS} conversations x 1 msg/s for {STEADY_SECONDS} s "
             f"(log: {BUILD / 'locust-steady.log'})")
        steady = run_locust("steady", STEADY_USERS, STEADY_SECONDS, servers.rasa_url, token=servers.rasa_token)
        step(f"saturation: {SATURATE_USERS} users, no think time, for {SATURATE_SECONDS} s "
             f"(log: {BUILD / 'locust-saturate.log'})")
        saturate = run_locust("saturate", SATURATE_USERS, SATURATE_SECONDS, servers.rasa_url, token=servers.rasa_token)
        step("turn cost against conversation length: one conversation of 80 messages")
        growth = turn_growth(servers)
        rss_mb = peak_rss_mb(servers.rasa.pid)
        step(f"fuzz: {FUZZ_N} odd messages, one at a time (bench/fuzz.py); then another visitor's "
             "delay behind a 20,000-character message")
        fuzz = run_fuzz(servers.rasa_url, servers.rasa_token, FUZZ_N,
                        progress=lambda i: print(f"    {i}/{FUZZ_N}", flush=True))
        delay = other_visitor_delay(servers.rasa_url, servers.rasa_token)
        print_result(fuzz)
        step("stopping the servers")

    prod: Optional[ProductionResult] = None
    if env_flag("BENCH_SKIP_PRODUCTION"):
        step("production topology: skipped (BENCH_SKIP_PRODUCTION=1)")
    else:
        step("production topology: HAProxy, 2 Rasa processes, 2 action servers, PostgreSQL, Redis; "
             "the same steady and saturating loads")
        prod = measure_production(STEADY_USERS, STEADY_SECONDS, SATURATE_USERS, SATURATE_SECONDS,
                                  WARM_UP_MESSAGES)

    rows = build_rows(nlu, train_s, steady, saturate, rss_mb, growth, booking, triage, prod, fuzz, delay)
    print_misses(nlu.misses)
    print_table(rows)
    write_json(RESULTS, rows, details(model, nlu, train_s, steady, saturate, rss_mb, growth, booking, triage,
                                      prod, fuzz, delay))
    missed = failed(rows)
    print(f"\nResults: {RESULTS} (bench took {time.monotonic() - started:.0f} s)")
    print(f"Targets missed: {', '.join(missed)}" if missed else "All targets met.")
    return 0


def _on_sigterm(signum: int, frame: Optional[FrameType]) -> None:
    raise KeyboardInterrupt  # unwind like Ctrl-C, so the servers are stopped


def main() -> int:
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return run()
    except (BenchError, ServiceMissing) as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted; servers stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
