"""The approved-answers registry (``answers.yml``) and the medical wording rules.

Every FAQ answer (``data/responses/faq.yml``) and every medical or aftercare answer in
``domain.yml`` has an entry: a stable id, a version (bump it when the wording changes)
and the date it was last reviewed. :func:`audit` lists what is wrong: answers without
an entry, malformed entries, and banned claims ("guaranteed", "100 %", "permanent",
"painless", "risk-free", "cure", "no side effects", ...) and comparative or superlative
claims ("best", "safest", "better than", "superior", "long-lasting", ...) in the text as
patients see it, with clinic facts from ``clinic.yml`` filled in.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional

import yaml

from clinic.settings import PROJECT_ROOT

REGISTRY_FILE = PROJECT_ROOT / "answers.yml"
FAQ_PREFIX = "utter_faq/"

# Claims a clinic must not make about a medical treatment (word-boundary aware).
BANNED_CLAIMS = [
    r"guarantee[ds]?", r"guaranteeing", r"100\s?%", r"100 per ?cent", r"hundred per ?cent",
    r"permanent(ly)?", r"painless(ly)?", r"pain[- ]free", r"risk[- ]free", r"no risks?",
    r"without (any )?risks?", r"zero risk", r"cures?", r"cured", r"curing",
    r"no side[- ]effects?", r"without (any )?side[- ]effects?", r"side[- ]effect[- ]free",
    r"(completely|totally|perfectly|100 ?%|absolutely) safe", r"miracle", r"always works",
    r"never fails", r"instant results?", r"scar[- ]free", r"(remove|erase|eliminate)s? (your |all )?scars? completely",
    r"clinically proven", r"no downtime",
]
# Comparative and superlative claims (issue 16): UAE health-advertising rules allow no claim that a
# treatment is better, safer or longer-lasting than others, or the best, without evidence.
COMPARATIVE_CLAIMS = [
    r"best(-[a-z]+)*", r"safest", r"safer than", r"better than", r"(works?|worked|working) better",
    r"superior(ity)?", r"long(er)?[- ]?lasting", r"lasts? forever", r"(more effective|less invasive|less "
    r"painful|less risky) than", r"most (effective|advanced|successful|powerful)", r"number one", r"no\. ?1",
    r"#1", r"unrivall?ed", r"unmatched",
]
_BANNED = re.compile(r"(?<![\w-])(" + "|".join(BANNED_CLAIMS + COMPARATIVE_CLAIMS) + r")(?![\w-])",
                     re.IGNORECASE)
# Idioms with "best" that claim nothing ("results are modest at best", "it's usually best to wait",
# "I'll do my best", "all the best"); blanked out before the scan. "Mesotherapy is best to ..." is
# not one of them: only "it's/it is (usually) best to" counts as advice.
_HARMLESS = re.compile(
    r"(?<![\w-])(at best|it(['’]s| is| may be| would be)( (usually|often|generally|always))? best to"
    r"|(do|try) (my|our|your|their) best|all the best|best (wishes|regards))(?![\w-])",
    re.IGNORECASE,
)

# A domain response is a medical answer when its text speaks about the treatment,
# effects or warning signs; it then needs a registry entry like every FAQ answer.
_MEDICAL = re.compile(
    r"\b(side[- ]effects?|reactions?|pain\w*|swelling|swollen|redness|bruis\w*|infection|aftercare"
    r"|breathing|emergency_number|symptoms?|warning signs?|numbing|nurse|heal\w*|allerg\w*|diagnosis)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AnswerEntry:
    """One approved answer: which response, its id, version and review date."""

    response: str
    id: str
    version: int
    reviewed_on: date
    reviewer: str = ""


def load_registry(path: Optional[Path] = None) -> Dict[str, AnswerEntry]:
    """The registry as ``{response name: AnswerEntry}``; raises ValueError when malformed."""
    data = yaml.safe_load(Path(path or REGISTRY_FILE).read_text(encoding="utf-8")) or {}
    entries: Dict[str, AnswerEntry] = {}
    seen_ids: Dict[str, str] = {}
    for response, fields in (data.get("answers") or {}).items():
        if not isinstance(fields, dict):
            raise ValueError(f"{response}: entry must be a mapping")
        entry_id, version, reviewed = fields.get("id"), fields.get("version"), fields.get("reviewed_on")
        if not isinstance(entry_id, str) or not entry_id:
            raise ValueError(f"{response}: missing id")
        if entry_id in seen_ids:
            raise ValueError(f"{response}: id {entry_id!r} already used by {seen_ids[entry_id]}")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ValueError(f"{response}: version must be a whole number >= 1")
        if not isinstance(reviewed, date):
            raise ValueError(f"{response}: reviewed_on must be a date (YYYY-MM-DD)")
        seen_ids[entry_id] = response
        entries[response] = AnswerEntry(response, entry_id, version, reviewed, str(fields.get("reviewer") or ""))
    return entries


def banned_claims(text: str) -> List[str]:
    """The banned claims found in ``text`` (empty when it is fine)."""
    return [m.group(0) for m in _BANNED.finditer(_HARMLESS.sub(" ", text or ""))]


def response_texts(variants: Iterable[Mapping]) -> List[str]:
    """The texts (and button titles) of a response's variants."""
    texts = []
    for variant in variants or []:
        texts.append(str(variant.get("text") or ""))
        texts.extend(str(b.get("title") or "") for b in variant.get("buttons") or [])
    return texts


def needs_entry(name: str, variants: Iterable[Mapping]) -> bool:
    """FAQ answers and medical answers need a registry entry."""
    return name.startswith(FAQ_PREFIX) or any(_MEDICAL.search(t) for t in response_texts(variants))


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with clinic facts filled in (unknown placeholders left as they are)."""
    class _Keep(dict):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    try:
        return string.Formatter().vformat(text, (), _Keep(values))
    except (ValueError, IndexError):
        return text


def audit(responses: Mapping[str, List[Mapping]], registry: Mapping[str, AnswerEntry],
          values: Mapping[str, str]) -> List[str]:
    """Every problem with the answers: missing entries and banned claims."""
    problems = []
    for name, variants in sorted(responses.items()):
        if needs_entry(name, variants) and name not in registry:
            problems.append(f"{name}: no entry in answers.yml (add id, version, reviewed_on)")
        for text in response_texts(variants):
            for claim in banned_claims(fill(text, values)):
                problems.append(f"{name}: banned claim {claim!r}")
    return problems
