"""Urgent recall and false-alarm rate of triage on a set of symptom reports."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, TypedDict

import yaml

from clinic.settings import PROJECT_ROOT

DEFAULT_REPORTS = PROJECT_ROOT / "tests" / "clinic" / "triage" / "symptom_reports.yml"


def load_reports(path: Optional[Path] = None) -> List[Dict[str, object]]:
    """Reports as ``{"text": ..., "urgent": bool}`` from the YAML set (keys ``urgent``, ``expected``)."""
    data = yaml.safe_load(Path(path or DEFAULT_REPORTS).read_text(encoding="utf-8"))
    return [{"text": t, "urgent": True} for t in data["urgent"]] + [
        {"text": t, "urgent": False} for t in data["expected"]
    ]


class Figures(TypedDict):
    """What :func:`evaluate` returns."""

    urgent_reports: int
    expected_reports: int
    urgent_recall: float
    false_alarm_rate: float
    missed: List[str]
    false_alarms: List[str]


def evaluate(reports: Iterable[Dict[str, object]],
             is_urgent: Optional[Callable[[str], bool]] = None) -> Figures:
    """Recall on urgent reports, false-alarm rate on expected ones, and the errors.

    ``is_urgent`` defaults to :func:`clinic.triage.assess_text`.
    """
    reports = list(reports)
    if is_urgent is None:
        from clinic.triage import assess_texts

        results = assess_texts(str(r["text"]) for r in reports)
        verdicts = {r["text"]: v.urgent for r, v in zip(reports, results, strict=True)}
        is_urgent = verdicts.__getitem__

    missed: List[str] = []
    false_alarms: List[str] = []
    urgent_total = expected_total = 0
    for report in reports:
        text, urgent = str(report["text"]), bool(report["urgent"])
        flagged = is_urgent(text)
        if urgent:
            urgent_total += 1
            if not flagged:
                missed.append(text)
        else:
            expected_total += 1
            if flagged:
                false_alarms.append(text)
    return {
        "urgent_reports": urgent_total,
        "expected_reports": expected_total,
        "urgent_recall": (urgent_total - len(missed)) / urgent_total if urgent_total else 1.0,
        "false_alarm_rate": len(false_alarms) / expected_total if expected_total else 0.0,
        "missed": missed,
        "false_alarms": false_alarms,
    }


def main() -> int:
    """Print the figures for the default report set (``python -m clinic.triage.evaluate``)."""
    result = evaluate(load_reports())
    print(f"triage urgent recall {result['urgent_recall']:.3f} "
          f"({result['urgent_reports'] - len(result['missed'])}/{result['urgent_reports']}), "
          f"false-alarm rate {result['false_alarm_rate']:.3f} "
          f"({len(result['false_alarms'])}/{result['expected_reports']})")
    for text in result["missed"]:
        print(f"  MISSED: {text}")
    for text in result["false_alarms"]:
        print(f"  false alarm: {text}")
    return 0 if not result["missed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())


# --- the triage corpus (evaluation/triage/): real reports, written variants, questions -----

CORPUS_DIR = PROJECT_ROOT / "evaluation" / "triage"
SPLITS = ("dev", "test")
LABELS = ("urgent", "emergency", "expected", "question")
# the targets; make test fails under FLOORS (see scripts/eval_triage.py)
TARGETS = {"urgent_recall": 0.98, "emergency_recall": 1.0,
           "false_alarms_expected": 0.15, "false_alarms_questions": 0.02}


def load_corpus(split: str, directory: Optional[Path] = None) -> List[Dict[str, str]]:
    """Rows of ``evaluation/triage/<split>.tsv``: ``id, text, label, source, kind``.

    Fields are read verbatim (no CSV quoting): a report that begins with a quotation mark
    keeps it, as the NLU corpus reader does (:mod:`clinic.nlu.evaluate`)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: one of {', '.join(SPLITS)}")
    return read_rows(Path(directory or CORPUS_DIR) / f"{split}.tsv")


def read_rows(path: Path, labels: Sequence[str] = LABELS) -> List[Dict[str, str]]:
    """The rows of a triage TSV (a corpus split, or the learned signal's training file with
    its own ``labels``), read verbatim (no CSV quoting); a row without text or with another
    label is refused."""
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in rows:
        if row.get("label") not in labels or not row.get("text"):
            raise ValueError(f"{path}: bad row {row.get('id')!r}: label must be one of {tuple(labels)}")
    return rows


def score_corpus(rows: Iterable[Dict[str, str]],
                 assess: Optional[Callable[[List[str]], List[Any]]] = None) -> Dict[str, object]:
    """Urgent and emergency recall, false-alarm rates on expected reports and on questions.

    ``assess`` maps texts to results with ``urgent`` and ``emergency`` (default
    :func:`clinic.triage.assess_texts`). Misses and false alarms are returned as rows.
    """
    rows = list(rows)
    if assess is None:
        from clinic.triage import assess_texts

        assess = assess_texts
    results = assess([r["text"] for r in rows])
    groups: Dict[str, List[bool]] = {"urgent": [], "emergency": [], "expected": [], "question": []}
    errors: Dict[str, List[Dict[str, str]]] = {"missed_urgent": [], "missed_emergency": [],
                                               "false_alarm_expected": [], "false_alarm_question": []}
    for row, result in zip(rows, results, strict=True):
        label = row["label"]
        urgent, emergency = bool(result.urgent), bool(result.emergency)
        if label in ("urgent", "emergency"):
            groups["urgent"].append(urgent)
            if not urgent:
                errors["missed_urgent"].append(row)
        if label == "emergency":
            groups["emergency"].append(emergency)
            if not emergency:
                errors["missed_emergency"].append(row)
        if label in ("expected", "question"):
            groups[label].append(urgent)
            if urgent:
                errors[f"false_alarm_{label}"].append(row)

    def rate(values: List[bool], default: float) -> float:
        return sum(values) / len(values) if values else default

    return {
        "counts": {k: len(v) for k, v in groups.items()},
        "urgent_recall": rate(groups["urgent"], 1.0),
        "emergency_recall": rate(groups["emergency"], 1.0),
        "false_alarms_expected": rate(groups["expected"], 0.0),
        "false_alarms_questions": rate(groups["question"], 0.0),
        "errors": errors,
    }


def below_floors(figures: Dict[str, object], floors: Dict[str, float]) -> List[str]:
    """The figures that miss their floor (recalls must reach it, false alarms stay under it)."""
    failed = []
    for name, floor in floors.items():
        value = float(figures[name])  # type: ignore[arg-type]
        bad = value > floor + 1e-9 if name.startswith("false_alarms") else value < floor - 1e-9
        if bad:
            failed.append(f"{name} {value:.3f} (floor {floor:.3f})")
    return failed
