"""The approved-answers registry (``answers.yml``) and the medical wording rules.

Every FAQ answer (``data/responses/faq.yml``) and every medical or aftercare answer in
``domain.yml`` has an entry: a stable id, a version (bump it when the wording changes)
and the date it was last reviewed. :func:`audit` lists what is wrong: answers without
an entry, malformed entries, and banned claims ("guaranteed", "100 %", "permanent",
"painless", "risk-free", "cure", "no side effects", ...) and comparative or superlative
claims ("best", "safest", "better than", "superior", "long-lasting", ...) in the text as
patients see it, with clinic facts from ``clinic.yml`` filled in.

Arabic (issue 17): every entry also records the review of its Arabic variation
(``arabic: {version, reviewed_on, reviewer}``), and the Arabic texts are scanned for the
same kinds of claims (:data:`ARABIC_BANNED_CLAIMS`, written over the spelling of
:func:`clinic.language.normalise_arabic`, with clitics such as و ب ل ال allowed in front).
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional

import yaml

from clinic.language import normalise_arabic
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

# The same claims in Arabic. Patterns are written in ordinary Arabic spelling and normalised
# like the text (normalise_arabic: one alef, ي for ى/ئ, ه for ة, no diacritics), so write no
# upper-case regex escapes here. A word may carry the clitics و ف ب ل ك ال in front.
ARABIC_BANNED_CLAIMS = [
    # guaranteed outcomes ("ضمان" alone also means "ensuring": only guarantees of an outcome)
    r"مضمون(ة|ين|ات)?", r"(نضمن|يضمن|تضمن)( لك| لكم)? (ال)?(نتائج|نتيجة|نجاح|اختفاء|إزالة|شفاء|تحسن)",
    r"(ضمان|بضمان) (ال)?(نتائج|نتيجة|نجاح|اختفاء|إزالة|شفاء|تحسن)",
    r"(مئة|مية|مائة) (بالمئة|بالمية|بالمائة|في المئة)", r"100 ?(بالمئة|بالمية|في المئة)",
    # permanent / forever / final
    r"دائم(ة|ين)?", r"بشكل دائم", r"(ال|لل)أبد", r"مدى الحياة", r"نهائيًا", r"بشكل نهائي",
    r"(علاج|حل|شفاء|إزالة|تخلص|اختفاء) نهائي(ة)?",
    # painless
    r"(بدون|بلا|دون|من غير|خالٍ من|خالي من|خالية من|عديم|عديمة) (أي )?(ال)?ألم", r"لا ألم",
    r"لا (يسبب|تسبب) أي ألم",
    # risk-free, completely safe
    r"(بدون|بلا|دون|من غير|خالٍ من|خالي من|خالية من|عديم|عديمة) (أي )?(ال)?(مخاطر|خطر|خطورة)",
    r"لا (توجد|يوجد) (أي )?(مخاطر|خطر|خطورة)", r"صفر (مخاطر|خطر)",
    r"آمن(ة)? (تمامًا|كليًا|بالكامل|مطلقًا|بشكل تام|بشكل كامل|100 ?%)",
    # cure
    r"(يشفي|تشفي|نشفي)", r"(ال)?شفاء (ال)?تام",
    # no side effects
    r"(بدون|بلا|دون|من غير|خالٍ من|خالي من|خالية من|عديم|عديمة|ليس له|ليس لها) (أي )?(ال)?(آثار|أعراض) (ال)?جانبية",
    r"لا (توجد|يوجد) (أي )?(آثار|أعراض) جانبية",
    # miracle, instant, always works, scar-free, proven, no downtime
    r"معجز(ة|ات)?", r"سحري(ة)?", r"(نتائج|نتيجة) (فورية|فوري)", r"(يعمل|ينجح) دائمًا", r"لا (يفشل|تفشل) أبدًا",
    r"(بدون|بلا|خالية من|خالٍ من|خالي من) (ال)?(ندبات|ندوب|ندبة)",
    r"(تختفي|يختفي|إزالة|يزيل|تزيل|نزيل|اختفاء) (ال)?(ندبات|ندوب|ندبة)( تمامًا| بالكامل| كليًا| كلها)",
    r"مثبت(ة)? (سريريًا|علميًا|طبيًا)",
    r"(بدون|بلا|دون|لا) (يحتاج إلى |تحتاج إلى )?(فترة|وقت) (نقاهة|تعافٍ|تعافي)",
]
ARABIC_COMPARATIVE_CLAIMS = [
    r"أفضل", r"أحسن", r"الأسلم", r"أكثر (أمانًا|أمانا|فعالية|نجاحًا|تقدمًا|تطورًا|قوة|دوامًا)",
    r"(أقل) (ألمًا|ألما|خطورة|خطرًا|تدخلًا|ضررًا|إزعاجًا) من", r"أقوى", r"الأحدث",
    r"(يدوم|تدوم|تستمر|يستمر) (طويلًا|للأبد|إلى الأبد)", r"طويل(ة)? (الأمد|المدى)",
    r"رقم (1|واحد)", r"(ال)?أول(ى)? في (دبي|الإمارات|الدولة|المنطقة|الخليج|العالم)", r"لا مثيل (له|لها)",
    r"لا (يضاهى|تضاهى)", r"منقطع(ة)? النظير",
]
# advice and courtesy with أفضل that claims nothing: "من الأفضل أن تسأل" (it is better to ask;
# not "من الأفضل في دبي", among the best in Dubai, nor "من أفضل العلاجات", one of the best),
# "الأفضل أن تنتظر" (it's best to wait), "قصارى جهدي", "أطيب/أفضل التمنيات"
_ARABIC_HARMLESS = [r"من الأفضل(?! في)", r"الأفضل أن", r"(أطيب|أفضل) التمنيات", r"قصارى جهد(ي|نا)?"]
_AR_CLITICS = r"(?:[وف]?(?:بال|لل|ال|[بلك])?)"


def _arabic_pattern(patterns: List[str]) -> "re.Pattern[str]":
    words = "|".join(normalise_arabic(p) for p in patterns)
    return re.compile(r"(?<![\w-])" + _AR_CLITICS + "(" + words + r")(?![\w-])")


_BANNED_AR = _arabic_pattern(ARABIC_BANNED_CLAIMS + ARABIC_COMPARATIVE_CLAIMS)
_HARMLESS_AR = _arabic_pattern(_ARABIC_HARMLESS)
# Arabic-Indic digits and percent sign, so that "١٠٠٪" is read as "100%" by the English list too
_DIGITS = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},
                         **{chr(0x06F0 + i): str(i) for i in range(10)}, "\u066a": "%"})

# A domain response is a medical answer when its text speaks about the treatment,
# effects or warning signs; it then needs a registry entry like every FAQ answer.
_MEDICAL = re.compile(
    r"\b(side[- ]effects?|reactions?|pain\w*|swelling|swollen|redness|bruis\w*|infection|aftercare"
    r"|breathing|emergency_number|symptoms?|warning signs?|numbing|nurse|heal\w*|allerg\w*|diagnosis)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Review:
    """The review of one language's text: its version and when and by whom it was reviewed."""

    version: int
    reviewed_on: date
    reviewer: str


@dataclass(frozen=True)
class AnswerEntry:
    """One approved answer: which response, its id, version and review date (of the English
    text), and the review of its Arabic variation (``None`` when the entry has none)."""

    response: str
    id: str
    version: int
    reviewed_on: date
    reviewer: str = ""
    arabic: Optional[Review] = None


def _review(response: str, fields: object) -> Review:
    """The ``arabic:`` review fields of an entry; raises ValueError when malformed."""
    if not isinstance(fields, dict):
        raise ValueError(f"{response}: arabic must be a mapping with version, reviewed_on and reviewer")
    version, reviewed, reviewer = fields.get("version"), fields.get("reviewed_on"), fields.get("reviewer")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError(f"{response}: arabic version must be a whole number >= 1")
    if not isinstance(reviewed, date):
        raise ValueError(f"{response}: arabic reviewed_on must be a date (YYYY-MM-DD)")
    if not isinstance(reviewer, str) or not reviewer.strip():
        raise ValueError(f"{response}: arabic reviewer missing (who reviewed it, or who must)")
    return Review(version, reviewed, reviewer.strip())


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
        arabic = _review(response, fields["arabic"]) if "arabic" in fields else None
        seen_ids[entry_id] = response
        entries[response] = AnswerEntry(response, entry_id, version, reviewed, str(fields.get("reviewer") or ""),
                                        arabic)
    return entries


def banned_claims(text: str) -> List[str]:
    """The banned claims found in ``text``, English or Arabic (empty when it is fine).
    Arabic claims are given in normalised spelling (without clitics)."""
    english = [m.group(0) for m in _BANNED.finditer(_HARMLESS.sub(" ", (text or "").translate(_DIGITS)))]
    return english + arabic_banned_claims(text)


def arabic_banned_claims(text: str) -> List[str]:
    """The Arabic banned claims in ``text``, in normalised spelling (empty when it is fine)."""
    if not re.search(r"[\u0600-\u06FF]", text or ""):
        return []
    return [m.group(1) for m in _BANNED_AR.finditer(_HARMLESS_AR.sub(" ", normalise_arabic(text)))]


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
