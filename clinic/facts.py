"""Clinic facts from ``clinic.yml``, rendered as the named values that answers use.

Answers never contain the clinic's phone number, prices or hours: they say
``{clinic_phone}``, ``{session_price}`` and so on, and the Rasa server fills those in
from :func:`template_values` (see ``addons/nlg.py``).

``template_values(facts, "ar")`` gives the same names with Arabic display strings for the
Arabic answers: the free-text facts from the ``arabic:`` block of ``clinic.yml`` (English
where a fact has no Arabic text, see :func:`arabic_fallbacks`), and numbers written the
Arabic way here: counted nouns agree with their number ("10 دقائق", "45 دقيقة",
"24 ساعة", "12 شهرًا"), "950 درهم", Arabic day names, lists joined with "و".
Digits stay Western (0-9), as on most UAE clinic, government and booking pages and in
the Arabic answers themselves ("48 ساعة"); the phone numbers are Western too, so one
message never mixes two digit systems.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

import yaml

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
LANGUAGES = ("en", "ar")
# keys the ``arabic:`` block of clinic.yml may have (all optional)
ARABIC_KEYS = ("name", "address", "directions", "parking", "practitioners", "services", "payment")


@dataclass(frozen=True)
class ClinicFacts:
    """The parsed contents of ``clinic.yml``."""

    name: str
    phone: str
    whatsapp: str
    email: str
    address: str
    directions: str
    parking: str
    timezone: str
    currency: str
    opening_hours: Dict[str, Optional[str]]
    practitioners: List[Dict[str, str]]
    services: Dict[str, Dict[str, Any]]
    booking: Dict[str, Any]
    payment: Dict[str, Any]
    emergency_number: str
    # how long conversations are kept after the last message (python -m clinic retention)
    retention_days: int
    # Arabic text of the free-text facts (optional; see the header of clinic.yml)
    arabic: Dict[str, Any] = field(default_factory=dict)
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "ClinicFacts":
        known = {f for f in cls.__dataclass_fields__ if f not in ("extra", "arabic")}
        missing = sorted(known - set(data))
        if missing:
            raise ValueError(f"clinic.yml is missing: {', '.join(missing)}")
        unknown_days = set(data["opening_hours"]) - set(WEEKDAYS)
        if unknown_days:
            raise ValueError(f"clinic.yml opening_hours has unknown days: {sorted(unknown_days)}")
        for hours in data["opening_hours"].values():
            if hours is not None:
                parse_range(hours)  # raises on a malformed range
        arabic = data.get("arabic") or {}
        _check_arabic(arabic, data)
        return cls(
            **{k: data[k] for k in known},
            arabic=dict(arabic),
            extra={k: v for k, v in data.items() if k not in known and k != "arabic"},
        )


def _check_arabic(arabic: Any, data: Mapping[str, Any]) -> None:
    """Refuse an ``arabic:`` block that would silently show nothing: typos, wrong shapes."""
    def text(value: Any, where: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"clinic.yml arabic.{where} must be a non-empty text")

    if not isinstance(arabic, Mapping):
        raise ValueError("clinic.yml arabic must be a mapping")
    unknown = sorted(set(arabic) - set(ARABIC_KEYS))
    if unknown:
        raise ValueError(f"clinic.yml arabic has unknown keys: {unknown} (known: {list(ARABIC_KEYS)})")
    for key in ("name", "address", "directions", "parking"):
        if key in arabic:
            text(arabic[key], key)
    if "practitioners" in arabic:
        people = arabic["practitioners"]
        if not isinstance(people, list) or len(people) != len(data["practitioners"]):
            raise ValueError("clinic.yml arabic.practitioners must list the practitioners in the same order")
        for i, person in enumerate(people):
            if not isinstance(person, Mapping) or set(person) - {"name", "title"}:
                raise ValueError(f"clinic.yml arabic.practitioners[{i}] may have only name and title")
            for key, value in person.items():
                text(value, f"practitioners[{i}].{key}")
    if "services" in arabic:
        services = arabic["services"]
        if not isinstance(services, Mapping) or set(services) - set(data["services"]):
            raise ValueError(f"clinic.yml arabic.services must use the service keys {sorted(data['services'])}")
        for key, spec in services.items():
            if not isinstance(spec, Mapping) or set(spec) != {"name"}:
                raise ValueError(f"clinic.yml arabic.services.{key} must have (only) a name")
            text(spec["name"], f"services.{key}.name")
    if "payment" in arabic:
        payment = arabic["payment"]
        if not isinstance(payment, Mapping) or set(payment) - {"methods", "instalments"}:
            raise ValueError("clinic.yml arabic.payment may have only methods and instalments")
        if "methods" in payment:
            if not isinstance(payment["methods"], list) or not payment["methods"]:
                raise ValueError("clinic.yml arabic.payment.methods must be a non-empty list")
            for i, method in enumerate(payment["methods"]):
                text(method, f"payment.methods[{i}]")
        if "instalments" in payment:
            text(payment["instalments"], "payment.instalments")


def load_facts(path: Path) -> ClinicFacts:
    """Read and validate ``clinic.yml``."""
    with open(path, encoding="utf-8") as f:
        return ClinicFacts.from_mapping(yaml.safe_load(f))


def parse_range(hours: str) -> tuple:
    """``"10:00-20:00"`` -> ``("10:00", "20:00")``; raises ValueError on a malformed range."""
    start, end = (part.strip() for part in hours.split("-"))
    for t in (start, end):
        hh, mm = t.split(":")
        if not (0 <= int(hh) <= 23 and 0 <= int(mm) <= 59):
            raise ValueError(f"bad time {t!r} in opening hours")
    if start >= end:
        raise ValueError(f"opening hours {hours!r} end before they start")
    return start, end


def money(amount: float, currency: str) -> str:
    """``950`` -> ``AED 950``; ``3400`` -> ``AED 3,400``."""
    if float(amount).is_integer():
        return f"{currency} {int(amount):,}"
    return f"{currency} {amount:,.2f}"


def human_list(items: List[str]) -> str:
    """``[a, b, c]`` -> ``a, b and c``."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def day_groups(hours: Mapping[str, Optional[str]]) -> List[List[Any]]:
    """Runs of consecutive weekdays with the same hours: ``[first, last, hours or None]``."""
    groups: List[List[Any]] = []
    for day in WEEKDAYS:
        value = hours.get(day)
        if groups and groups[-1][2] == value:
            groups[-1][1] = day
        else:
            groups.append([day, day, value])
    return groups


def opening_hours_text(hours: Mapping[str, Optional[str]]) -> str:
    """Group consecutive days with the same hours: ``Monday to Thursday 10:00-20:00, ...``."""
    groups = day_groups(hours)
    open_parts, closed = [], []
    for first, last, value in groups:
        days = first.title() if first == last else f"{first.title()} to {last.title()}"
        if value is None:
            closed.append(days)
        else:
            start, end = parse_range(value)
            open_parts.append(f"{days} {start}\u2013{end}")
    text = ", ".join(open_parts)
    if closed:
        text += f"; closed on {human_list(closed)}"
    return text


def template_values(facts: ClinicFacts, language: str = "en") -> Dict[str, str]:
    """The named values that responses may use, all as display strings.

    ``language`` is ``en`` (the default) or ``ar``: the same names, with Arabic display
    strings (English for a fact that has no Arabic text in clinic.yml).
    """
    if language not in LANGUAGES:
        raise ValueError(f"no clinic facts in {language!r}; languages: {LANGUAGES}")
    if language == "ar":
        return _arabic_values(facts)
    cur = facts.currency
    consult = facts.services["consultation"]
    session = facts.services["mesotherapy_session"]
    package = facts.services["mesotherapy_package"]
    booking = facts.booking
    return {
        "clinic_name": facts.name,
        "clinic_phone": facts.phone,
        "clinic_whatsapp": facts.whatsapp,
        "clinic_email": facts.email,
        "clinic_address": facts.address,
        "clinic_directions": facts.directions,
        "clinic_parking": facts.parking,
        "clinic_hours": opening_hours_text(facts.opening_hours),
        "clinic_practitioners": human_list(
            [f"{p['name']} ({p['title']})" for p in facts.practitioners]
        ),
        "consultation_price": "free of charge" if not consult["price"] else money(consult["price"], cur),
        "consultation_duration": f"{consult['duration_minutes']} minutes",
        "session_price": money(session["price"], cur),
        "session_duration": f"{session['duration_minutes']} minutes",
        "package_price": money(package["price"], cur),
        "package_sessions": str(package["sessions"]),
        "deposit": money(booking["deposit"], cur),
        "cancellation_notice": f"{booking['cancellation_notice_hours']} hours",
        "late_grace": f"{booking['late_grace_minutes']} minutes",
        "arrive_early": f"{booking['arrive_early_minutes']} minutes",
        "payment_methods": human_list(facts.payment["methods"]),
        "instalments": facts.payment["instalments"],
        "emergency_number": facts.emergency_number,
        "retention_period": period_text(facts.retention_days),
    }


def period_text(days: int) -> str:
    """``365`` -> ``12 months``; ``90`` -> ``90 days``; ``730`` -> ``24 months``."""
    if days % 365 == 0:
        return f"{days // 365 * 12} months"
    return f"{days} days"


# ---------------------------------------------------------------------------- Arabic

ARABIC_DAYS = {
    "monday": "الاثنين", "tuesday": "الثلاثاء", "wednesday": "الأربعاء", "thursday": "الخميس",
    "friday": "الجمعة", "saturday": "السبت", "sunday": "الأحد",
}
# currency code -> Arabic name as written after a price ("950 درهم"); others keep the code
ARABIC_CURRENCIES = {
    "AED": "درهم", "SAR": "ريال", "QAR": "ريال", "OMR": "ريال", "KWD": "دينار", "BHD": "دينار",
    "USD": "دولار", "EUR": "يورو",
}
# counted nouns: (singular, dual, plural for 3-10, singular accusative for 11-99)
MINUTES = ("دقيقة", "دقيقتين", "دقائق", "دقيقة")
HOURS = ("ساعة", "ساعتين", "ساعات", "ساعة")
DAYS = ("يوم", "يومين", "أيام", "يومًا")
MONTHS = ("شهر", "شهرين", "أشهر", "شهرًا")
FREE_AR = "مجانية"
_ARABIC_LETTER_START = re.compile(r"^[\u0621-\u064A](?!\.)")


def count_ar(n: int, noun: tuple) -> str:
    """A number with its noun, in Arabic agreement: ``1`` -> ``دقيقة واحدة``, ``2`` ->
    ``دقيقتين``, ``3``-``10`` -> plural (``10 دقائق``), ``11``-``99`` -> singular
    accusative (``45 دقيقة``, ``12 شهرًا``); from 100 on the last two digits decide
    (``100 يوم``, ``103 أيام``, ``120 يومًا``)."""
    singular, dual, plural, accusative = noun
    if n == 1:
        return f"{singular} {'واحدة' if singular.endswith('ة') else 'واحد'}"
    if n == 2:
        return dual
    rest = n % 100
    if rest in (0, 1, 2):
        return f"{n} {singular}"
    if rest <= 10:
        return f"{n} {plural}"
    return f"{n} {accusative}"


def money_ar(amount: float, currency: str) -> str:
    """``950`` -> ``950 درهم``; ``3400`` -> ``3,400 درهم`` (Western digits, as in the UAE)."""
    name = ARABIC_CURRENCIES.get(currency, currency)
    if float(amount).is_integer():
        return f"{int(amount):,} {name}"
    return f"{amount:,.2f} {name}"


def _with_and(item: str) -> str:
    # "و" joins an Arabic word; before a Latin word, a digit or an abbreviation ("د.") it
    # stands apart so it is not read as part of it
    return f"و{item}" if _ARABIC_LETTER_START.match(item) else f"و {item}"


def human_list_ar(items: List[str]) -> str:
    """``[أ, ب]`` -> ``أ وب``; ``[أ, ب, ج]`` -> ``أ، وب، وج`` (every later item takes و)."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    separator = "، " if len(items) > 2 else " "
    return items[0] + "".join(separator + _with_and(item) for item in items[1:])


def _day_range_ar(first: str, last: str) -> str:
    if first == last:
        return ARABIC_DAYS[first]
    return f"من {ARABIC_DAYS[first]} إلى {ARABIC_DAYS[last]}"


def opening_hours_text_ar(hours: Mapping[str, Optional[str]]) -> str:
    """``من الاثنين إلى الخميس من 10:00 حتى 20:00، والجمعة من 14:00 حتى 21:00؛ والعيادة
    مغلقة يوم الأحد``: the same grouping as :func:`opening_hours_text`. Times are written
    "من ... حتى ..." rather than with a dash, which reads unambiguously right to left in
    any channel (WhatsApp, SMS, a screen reader), with or without bidi isolation."""
    groups = day_groups(hours)
    open_parts, closed = [], []
    for first, last, value in groups:
        if value is None:
            closed.append(_day_range_ar(first, last))
        else:
            start, end = parse_range(value)
            open_parts.append(f"{_day_range_ar(first, last)} من {start} حتى {end}")
    if not closed:
        return human_list_ar(open_parts)
    if len(closed) > 1:
        closed_text = "أيام " + human_list_ar(closed)
    else:  # "يوم الأحد", "من الجمعة إلى السبت"
        closed_text = closed[0] if closed[0].startswith("من ") else "يوم " + closed[0]
    if not open_parts:
        return f"العيادة مغلقة {closed_text}"
    return f"{human_list_ar(open_parts)}؛ والعيادة مغلقة {closed_text}"


def period_text_ar(days: int) -> str:
    """``365`` -> ``12 شهرًا``; ``90`` -> ``90 يومًا`` (as :func:`period_text`)."""
    if days % 365 == 0:
        return count_ar(days // 365 * 12, MONTHS)
    return count_ar(days, DAYS)


def service_name(facts: ClinicFacts, key: str, language: str = "en") -> str:
    """A service's display name (``services.<key>.name``), in Arabic when clinic.yml has it."""
    if language == "ar":
        arabic = (facts.arabic.get("services") or {}).get(key) or {}
        if arabic.get("name"):
            return arabic["name"]
    return facts.services[key]["name"]


def _arabic_values(facts: ClinicFacts) -> Dict[str, str]:
    arabic = facts.arabic
    values = template_values(facts)  # the English value stands in for any missing Arabic text
    cur = facts.currency
    consult = facts.services["consultation"]
    session = facts.services["mesotherapy_session"]
    package = facts.services["mesotherapy_package"]
    booking = facts.booking
    people = arabic.get("practitioners") or [{} for _ in facts.practitioners]
    payment = arabic.get("payment") or {}
    values.update({
        "clinic_name": arabic.get("name", facts.name),
        "clinic_address": arabic.get("address", facts.address),
        "clinic_directions": arabic.get("directions", facts.directions),
        "clinic_parking": arabic.get("parking", facts.parking),
        "clinic_hours": opening_hours_text_ar(facts.opening_hours),
        "clinic_practitioners": human_list_ar([
            f"{ar.get('name', p['name'])} ({ar.get('title', p['title'])})"
            for p, ar in zip(facts.practitioners, people, strict=True)
        ]),
        "consultation_price": FREE_AR if not consult["price"] else money_ar(consult["price"], cur),
        "consultation_duration": count_ar(int(consult["duration_minutes"]), MINUTES),
        "session_price": money_ar(session["price"], cur),
        "session_duration": count_ar(int(session["duration_minutes"]), MINUTES),
        "package_price": money_ar(package["price"], cur),
        "deposit": money_ar(booking["deposit"], cur),
        "cancellation_notice": count_ar(int(booking["cancellation_notice_hours"]), HOURS),
        "late_grace": count_ar(int(booking["late_grace_minutes"]), MINUTES),
        "arrive_early": count_ar(int(booking["arrive_early_minutes"]), MINUTES),
        "payment_methods": (human_list_ar(payment["methods"]) if "methods" in payment
                            else values["payment_methods"]),
        "instalments": payment.get("instalments", facts.payment["instalments"]),
        "retention_period": period_text_ar(int(facts.retention_days)),
    })
    return values


def arabic_fallbacks(facts: ClinicFacts) -> List[str]:
    """The template values shown in English in Arabic answers (no Arabic text, or the same in both)."""
    english, arabic = template_values(facts), template_values(facts, "ar")
    return sorted(k for k in english if arabic[k] == english[k])
