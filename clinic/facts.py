"""Clinic facts from ``clinic.yml``, rendered as the named values that answers use.

Answers never contain the clinic's phone number, prices or hours: they say
``{clinic_phone}``, ``{session_price}`` and so on, and the Rasa server fills those in
from :func:`template_values` (see ``addons/nlg.py``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

import yaml

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


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
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "ClinicFacts":
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        missing = sorted(known - set(data))
        if missing:
            raise ValueError(f"clinic.yml is missing: {', '.join(missing)}")
        unknown_days = set(data["opening_hours"]) - set(WEEKDAYS)
        if unknown_days:
            raise ValueError(f"clinic.yml opening_hours has unknown days: {sorted(unknown_days)}")
        for day, hours in data["opening_hours"].items():
            if hours is not None:
                _parse_range(hours)  # raises on a malformed range
        return cls(
            **{k: data[k] for k in known},
            extra={k: v for k, v in data.items() if k not in known},
        )


def load_facts(path: Path) -> ClinicFacts:
    """Read and validate ``clinic.yml``."""
    with open(path, encoding="utf-8") as f:
        return ClinicFacts.from_mapping(yaml.safe_load(f))


def _parse_range(hours: str) -> tuple:
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


def opening_hours_text(hours: Mapping[str, Optional[str]]) -> str:
    """Group consecutive days with the same hours: ``Monday to Thursday 10:00-20:00, ...``."""
    groups: List[List[Any]] = []
    for day in WEEKDAYS:
        value = hours.get(day)
        if groups and groups[-1][2] == value:
            groups[-1][1] = day
        else:
            groups.append([day, day, value])
    open_parts, closed = [], []
    for first, last, value in groups:
        days = first.title() if first == last else f"{first.title()} to {last.title()}"
        if value is None:
            closed.append(days)
        else:
            start, end = _parse_range(value)
            open_parts.append(f"{days} {start}\u2013{end}")
    text = ", ".join(open_parts)
    if closed:
        text += f"; closed on {human_list(closed)}"
    return text


def template_values(facts: ClinicFacts) -> Dict[str, str]:
    """The named values that responses may use, all as display strings."""
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
