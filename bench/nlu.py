"""In-process NLU measurements: dev-set accuracy and parse latency.

The dev questions are held out: they are only read at runtime and only misses are
printed (by the report); they are never written anywhere.
"""
from __future__ import annotations

import asyncio
import os
import time
import warnings
from contextlib import redirect_stderr
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Tuple

from addons.quiet import quiet_rasa_logs
from bench import ROOT, BenchError
from clinic.nlu.evaluate import Question, is_right, prediction_of, read_questions
from bench.stats import percentile

LATENCY_ROUNDS = 5


@dataclass
class Miss:
    text: str
    predicted: str
    accept: Tuple[str, ...]


@dataclass
class NluResult:
    total: int
    correct: int
    misses: List[Miss] = field(default_factory=list)
    latencies_ms: List[float] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies_ms, 50)

    @property
    def p95_ms(self) -> float:
        return percentile(self.latencies_ms, 95)


def dev_set_path() -> Path:
    """``$BENCH_DEV_SET``, else the repository's ``evaluation/dev_questions.tsv``."""
    override = os.environ.get("BENCH_DEV_SET")
    return Path(override) if override else ROOT / "evaluation" / "dev_questions.tsv"


def load_dev_set(path: Path) -> List[Question]:
    """Read the TSV (columns text, accept with ``|``-separated labels, topic)."""
    if not path.is_file():
        raise BenchError(f"dev set not found: {path} (set BENCH_DEV_SET to override)")
    questions = [q for q in read_questions(path) if q.text]
    if not questions:
        raise BenchError(f"dev set is empty: {path}")
    return questions


async def _measure(model: Path, questions: List[Question]) -> NluResult:
    from rasa.core.agent import Agent  # heavy: imported only when measuring

    from addons import speedups

    speedups.install()  # as the server runs (addons.rasa_cli); the answers are the same
    agent = Agent.load(str(model))
    result = NluResult(total=len(questions), correct=0)
    # Round 1 scores accuracy and doubles as the latency warm-up round.
    for question in questions:
        predicted = prediction_of(await agent.parse_message(question.text)).label
        if is_right(question, predicted):
            result.correct += 1
        else:
            result.misses.append(Miss(question.text, predicted, question.accept))
    for _ in range(LATENCY_ROUNDS):
        for question in questions:
            started = time.perf_counter()
            await agent.parse_message(question.text)
            result.latencies_ms.append((time.perf_counter() - started) * 1000.0)
    return result


def measure_nlu(model: Path, log_path: Path) -> NluResult:
    """Load ``model`` in-process; score the dev set, then time parses.

    Library warnings printed while loading go to ``log_path``, not the terminal.
    """
    questions = load_dev_set(dev_set_path())
    with log_path.open("w", encoding="utf-8") as log, redirect_stderr(log), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quiet_rasa_logs()
        return asyncio.run(_measure(model, questions))
