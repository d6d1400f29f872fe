"""The NLU training examples of ``data/nlu/*.yml``, read without Rasa.

One reader for the places outside a Rasa training that need the examples: the learned
warning-sign signal (:mod:`clinic.triage.learned`), the corpus splitter
(``scripts/split_corpus.py``) and the tests. Rasa reads the same files itself when it trains;
this reads only what they need: each ``intent`` block's examples (``- `` lines of the
``examples`` text), its intent as written (``faq/aftercare_makeup``) and its metadata.
Synonym, regex and lookup blocks are skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from clinic.settings import PROJECT_ROOT

NLU_DIR = PROJECT_ROOT / "data" / "nlu"
# Rasa's entity markup: [text](entity), [text]{"entity": ...}, [text][{...}]
_ENTITY = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\}|\[[^\]]*\])")


@dataclass(frozen=True)
class Example:
    """One training example: ``text`` as written (entity markup kept)."""

    intent: str
    text: str
    metadata: Dict[str, Any] = field(default_factory=dict)

    @property
    def plain(self) -> str:
        """The text a patient would type: entity markup removed."""
        return _ENTITY.sub(r"\1", self.text).strip()

    @property
    def contract_intent(self) -> str:
        """The intent without its retrieval key (``faq/aftercare_makeup`` -> ``faq``)."""
        return self.intent.split("/")[0]


def read_examples(path: Path) -> List[Example]:
    """The examples of one NLU file, in file order (a missing or empty file has none)."""
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: List[Example] = []
    for block in data.get("nlu") or []:
        if "intent" not in block:
            continue
        metadata = block.get("metadata") or {}
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                out.append(Example(str(block["intent"]), line[2:].strip(), dict(metadata)))
    return out


def examples_on_disk(directory: Optional[Path] = None) -> List[Example]:
    """Every example of every ``*.yml`` file in ``directory`` (default ``data/nlu``), files in
    name order."""
    out: List[Example] = []
    for path in sorted(Path(directory or NLU_DIR).glob("*.yml")):
        out.extend(read_examples(path))
    return out
