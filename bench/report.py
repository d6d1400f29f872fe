"""The bench's one table (metric, embedded value, production value, target, PASS/FAIL)
and its JSON twin. Targets apply to the embedded single-process default."""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from bench.nlu import Miss

MISS_TEXT_CHARS = 70


@dataclass(frozen=True)
class Row:
    """One measured figure; ``op``/``bound`` make it a target, else it is informative."""

    metric: str
    value: Optional[float]  # None: not measured (skipped)
    unit: str = ""
    op: Optional[str] = None  # ">=" or "<="
    bound: Optional[float] = None
    digits: int = 0
    note: str = ""
    prod: Optional[float] = None  # the same figure on the production topology, if measured

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "SKIP"
        if self.op is None or self.bound is None:
            return ""
        ok = self.value >= self.bound if self.op == ">=" else self.value <= self.bound
        return "PASS" if ok else "FAIL"

    @property
    def value_text(self) -> str:
        if self.value is None:
            return "skipped"
        text = f"{self.value:.{self.digits}f}{(' ' + self.unit) if self.unit else ''}"
        return f"{text} {self.note}".strip()

    @property
    def prod_text(self) -> str:
        if self.prod is None:
            return "-"
        return f"{self.prod:.{self.digits}f}{(' ' + self.unit) if self.unit else ''}"

    @property
    def target_text(self) -> str:
        if self.op is None or self.bound is None:
            return "-"
        bound = f"{self.bound:g}{(' ' + self.unit) if self.unit else ''}"
        return f"{self.op} {bound}"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MISS_TEXT_CHARS else text[: MISS_TEXT_CHARS - 3] + "..."


def print_misses(misses: Sequence[Miss]) -> None:
    """List the dev questions the model got wrong (printed only, never stored)."""
    print(f"\nDev-set misses ({len(misses)}):")
    if not misses:
        print("  none")
    for miss in misses:
        print(f"  - {_short(miss.text)!r}\n      predicted {miss.predicted}; "
              f"accept {'|'.join(miss.accept)}")


def print_table(rows: Sequence[Row]) -> None:
    """Print the rows as one aligned table."""
    header = ("Metric", "Embedded (1 Rasa, SQLite)", "Production (2 Rasa, PG, Redis)", "Target", "Result")
    cells = [header] + [(r.metric, r.value_text, r.prod_text, r.target_text, r.verdict) for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print()
    for index, row in enumerate(cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            print(line)


def write_json(path: Path, rows: Sequence[Row], details: Dict[str, Any]) -> None:
    """Write the same figures (no dev questions) to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload: Dict[str, Any] = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "rows": [dict(asdict(r), value_text=r.value_text, prod_text=r.prod_text, target=r.target_text,
                      result=r.verdict) for r in rows],
        "details": details,
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def failed(rows: List[Row]) -> List[str]:
    """Names of the rows that missed their target."""
    return [r.metric for r in rows if r.verdict == "FAIL"]
