"""Urgent recall and false-alarm rate of triage on a set of symptom reports."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional

import yaml

from clinic.settings import PROJECT_ROOT

DEFAULT_REPORTS = PROJECT_ROOT / "tests" / "clinic" / "triage" / "symptom_reports.yml"


def load_reports(path: Optional[Path] = None) -> List[Dict[str, object]]:
    """Reports as ``{"text": ..., "urgent": bool}`` from the YAML set (keys ``urgent``, ``expected``)."""
    data = yaml.safe_load(Path(path or DEFAULT_REPORTS).read_text(encoding="utf-8"))
    return [{"text": t, "urgent": True} for t in data["urgent"]] + [
        {"text": t, "urgent": False} for t in data["expected"]
    ]


def evaluate(reports: Iterable[Dict[str, object]],
             is_urgent: Optional[Callable[[str], bool]] = None) -> Dict[str, object]:
    """Recall on urgent reports, false-alarm rate on expected ones, and the errors.

    ``is_urgent`` defaults to :func:`clinic.triage.assess_text`.
    """
    reports = list(reports)
    if is_urgent is None:
        from clinic.triage import assess_texts

        verdicts = {r["text"]: v.urgent for r, v in zip(reports, assess_texts(str(r["text"]) for r in reports))}
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
