"""The three runs of ``make loadtest``: load, faults during load, and a soak.

Each returns plain figures (a dict) and the problems found; :mod:`loadtest.__main__`
prints them and the short test in ``tests/integration/prod`` asserts on them.
"""
from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from loadtest.harness import Faults, Harness, LoadPlan, play, proxy_stats, rss_mb
from loadtest.verify import answered, check_bookings, check_messages, tracker_events

POLITE_WITHIN_S = 5.0


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def latency_ms(records: Sequence[dict]) -> List[float]:
    return [(r["done"] - r["sent"]) * 1000.0 for r in records]


def polite(record: dict) -> bool:
    """A normal answer, or the apology (as a message or as the JSON error of a 5xx)."""
    return answered(record) or bool(record["apology"]) or (record["status"] >= 500 and bool(record["error"]))


@dataclass
class RunResult:
    figures: Dict[str, object] = field(default_factory=dict)
    problems: List[str] = field(default_factory=list)


def _verify(harness: Harness, records: List[dict], result: RunResult) -> None:
    messages = check_messages(records, tracker_events(harness.stack.topology.api_url, harness.stack.token))
    bookings = check_bookings(harness.postgres.url, records)
    result.problems += messages.problems + bookings.problems
    result.figures.update(conversations=messages.conversations, messages=messages.sent,
                          answered=messages.answered, lost_or_reordered=len(messages.problems),
                          bookings_confirmed=bookings.confirmed, double_bookings=bookings.overlapping,
                          partial_bookings=len(bookings.shown_not_confirmed) + len(bookings.confirmed_not_shown))


def load(harness: Harness, conversations: int, messages: int, think: Tuple[float, float] = (3.0, 9.0),
         fault: Optional[Tuple[float, str]] = None) -> RunResult:
    """``conversations`` patients at once, ``messages`` each; optionally one fault at a time
    offset (``(seconds, Faults method name)``), restored as soon as it is in place."""
    before = proxy_stats(harness)
    plan = LoadPlan(users=conversations, messages=messages, think_min_s=think[0], think_max_s=think[1])
    windows: List[Tuple[str, float, float]] = []
    injector = None
    if fault:
        injector = threading.Thread(target=_inject, args=(harness, [fault], 0.0, windows, time.time()))
        injector.start()
    records, summary = play(harness, plan, "load")
    if injector:
        injector.join()
    after = proxy_stats(harness)
    result = RunResult()
    lat = latency_ms([r for r in records if answered(r)])
    elapsed = max(r["done"] for r in records) - min(r["sent"] for r in records) if records else 0.0
    per_server = {k: after[k]["requests"] - before.get(k, {}).get("requests", 0)
                  for k in after if k.startswith("rasa/")}
    result.figures.update(
        elapsed_s=round(elapsed, 1), throughput=round(len(records) / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(percentile(lat, 0.5)), p95_ms=round(percentile(lat, 0.95)),
        http_5xx=sum(1 for r in records if r["status"] >= 500),
        not_polite=sum(1 for r in records if not polite(r)),
        slowest_s=round(max(latency_ms(records) or [0.0]) / 1000.0, 2),
        per_rasa_process=per_server, locust_failures=summary["failures"])
    _verify(harness, records, result)
    for name, t_stop, t_back in windows:
        result.figures.update(_fault_figures(name, records, t_stop, t_back, None))
    return result


def _inject(harness: Harness, schedule: List[Tuple[float, str]], hold_s: float,
            windows: List[Tuple[str, float, float]], t0: float) -> None:
    faults = Faults(harness)
    for offset, method in schedule:
        time.sleep(max(0.0, t0 + offset - time.time()))
        t_stop = time.time()
        restore: Callable[[], None] = getattr(faults, method)()
        time.sleep(hold_s)
        restore()
        windows.append((method, t_stop, time.time()))


def _fault_figures(name: str, records: List[dict], t_stop: float, t_back: float,
                   t_next: Optional[float]) -> Dict[str, object]:
    """How patients fared during one fault and how soon answers were normal again."""
    during = [r for r in records if t_stop <= r["sent"] <= t_back]
    # answered before the next fault began (a turn still open then belongs to that fault)
    after = [r for r in records if r["sent"] > t_back and (t_next is None or r["done"] < t_next)]
    failing_after = [r for r in after if not answered(r)]
    recovered_at = max((r["done"] for r in failing_after), default=t_back)
    late = [r for r in after if r["sent"] > recovered_at]
    return {f"{name}.turns_during": len(during),
            f"{name}.polite_during": sum(1 for r in during if polite(r)),
            f"{name}.normal_answers_during": sum(1 for r in during if answered(r)),
            f"{name}.slowest_answer_s": round(max((r["done"] - r["sent"] for r in during), default=0.0), 2),
            f"{name}.outage_s": round(t_back - t_stop, 1),
            f"{name}.recovered_after_s": round(recovered_at - t_back, 1),
            f"{name}.normal_after_recovery": f"{sum(1 for r in late if answered(r))}/{len(late)}"}


FAULT_SCHEDULE = [(20.0, "stop_action_servers"), (60.0, "stop_postgres"), (100.0, "stop_redis"),
                  (140.0, "kill_rasa_process")]


def faults(harness: Harness, users: int = 60, hold_s: float = 15.0,
           schedule: Sequence[Tuple[float, str]] = tuple(FAULT_SCHEDULE), tail_s: float = 50.0) -> RunResult:
    """A steady load while each dependency is stopped for ``hold_s`` and brought back."""
    duration = schedule[-1][0] + hold_s + tail_s
    windows: List[Tuple[str, float, float]] = []
    t0 = time.time()
    injector = threading.Thread(target=_inject, args=(harness, list(schedule), hold_s, windows, t0))
    injector.start()
    records, _ = play(harness, LoadPlan(users=users, messages=20, think_min_s=2.0, think_max_s=6.0,
                                        duration_s=duration), "faults")
    injector.join()
    result = RunResult()
    result.figures.update(turns=len(records), http_5xx=sum(1 for r in records if r["status"] >= 500),
                          not_polite=sum(1 for r in records if not polite(r)))
    starts = [w[1] for w in windows] + [None]
    for (name, t_stop, t_back), t_next in zip(windows, starts[1:], strict=True):
        figures = _fault_figures(name, records, t_stop, t_back, t_next)
        result.figures.update(figures)
        if figures[f"{name}.polite_during"] != figures[f"{name}.turns_during"]:
            result.problems.append(f"{name}: some patients got no polite answer")
        if figures[f"{name}.slowest_answer_s"] > POLITE_WITHIN_S:  # type: ignore[operator]
            result.problems.append(f"{name}: an answer took longer than {POLITE_WITHIN_S:.0f} s")
    _verify(harness, records, result)
    return result


def soak(harness: Harness, minutes: float, users: int = 40, sample_every_s: float = 30.0) -> RunResult:
    """A steady load for ``minutes``: memory growth and latency drift."""
    samples: List[Tuple[float, float]] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            samples.append((time.time(), sum(rss_mb(harness.stack).values())))
            stop.wait(sample_every_s)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        records, _ = play(harness, LoadPlan(users=users, messages=20, duration_s=minutes * 60.0), "soak")
    finally:
        stop.set()
        sampler.join()
    result = RunResult()
    t0 = min(r["sent"] for r in records)
    t1 = max(r["sent"] for r in records)
    window = min(120.0, (t1 - t0) / 4)
    first = latency_ms([r for r in records if answered(r) and r["sent"] < t0 + window])
    last = latency_ms([r for r in records if answered(r) and r["sent"] > t1 - window])
    warm = [mb for t, mb in samples if t >= t0 + window] or [s[1] for s in samples]
    result.figures.update(
        minutes=round((t1 - t0) / 60.0, 1), turns=len(records), rate=round(len(records) / (t1 - t0), 1),
        not_answered=sum(1 for r in records if not answered(r)),
        rss_start_mb=round(warm[0]), rss_end_mb=round(warm[-1]), rss_growth_mb=round(warm[-1] - warm[0]),
        p50_first_ms=round(percentile(first, 0.5)), p50_last_ms=round(percentile(last, 0.5)),
        p95_first_ms=round(percentile(first, 0.95)), p95_last_ms=round(percentile(last, 0.95)),
        p95_drift_ms=round(percentile(last, 0.95) - percentile(first, 0.95)),
        median_latency_ms=round(statistics.median(latency_ms(records))) if records else 0)
    _verify(harness, records, result)
    return result
