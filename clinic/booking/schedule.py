"""The clinic's schedule: parse ``schedule.yml``, load it into the database, read it back.

``schedule.yml`` says who works when (hours, breaks, leave) and when the whole clinic
is closed; ``clinic.yml`` (through :mod:`clinic.facts`) keeps opening hours, services,
prices and durations. :func:`read_rules` combines both into the plain
:class:`~clinic.booking.slots.Rules` that slot computation works on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clinic.booking.models import Closure, Practitioner, Service, WorkingHours
from clinic.booking.slots import ClosureRule, PractitionerWeek, Rules
from clinic.booking.zone import ZONE
from clinic.facts import WEEKDAYS, ClinicFacts, load_facts
from clinic.settings import PROJECT_ROOT, get_settings

DEFAULT_SCHEDULE = PROJECT_ROOT / "schedule.yml"
TIMEZONE = ZONE.key


class ScheduleError(ValueError):
    """``schedule.yml`` is malformed."""


@dataclass(frozen=True)
class Policy:
    lead_time_minutes: int = 120
    slot_step_minutes: int = 15
    horizon_days: int = 60


@dataclass(frozen=True)
class ScheduleFile:
    policy: Policy
    practitioners: Dict[str, Dict[str, Any]]  # name -> {hours, breaks, leave}
    closures: List[Dict[str, Any]]


def slug(name: str) -> str:
    """``Dr. Layla Haddad`` -> ``layla-haddad``."""
    name = re.sub(r"^(dr|mr|mrs|ms)\.?\s+", "", name.strip(), flags=re.I)
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def parse_range(text: str) -> Tuple[str, str]:
    """``"10:00-18:00"`` -> ``("10:00", "18:00")``; raises :class:`ScheduleError`."""
    match = re.fullmatch(r"\s*(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})\s*", str(text))
    if not match:
        raise ScheduleError(f"bad time range {text!r} (use HH:MM-HH:MM)")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if not (h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60) or (h1, m1) >= (h2, m2):
        raise ScheduleError(f"bad time range {text!r}")
    return f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"


def _ranges(value: Any) -> List[Tuple[str, str]]:
    if value is None:
        return []
    return [parse_range(v) for v in (value if isinstance(value, list) else [value])]


def parse_schedule(data: Mapping[str, Any]) -> ScheduleFile:
    """Validate the mapping read from ``schedule.yml``."""
    if not isinstance(data, Mapping) or not isinstance(data.get("practitioners"), Mapping):
        raise ScheduleError("schedule needs a 'practitioners' mapping")
    policy = Policy(**{k: int(v) for k, v in (data.get("booking") or {}).items()})
    practitioners = {}
    for name, spec in data["practitioners"].items():
        spec = spec or {}
        for part in ("hours", "breaks"):
            unknown = set(spec.get(part) or {}) - set(WEEKDAYS)
            if unknown:
                raise ScheduleError(f"{name}: unknown days {sorted(unknown)}")
            for value in (spec.get(part) or {}).values():
                _ranges(value)
        for leave in spec.get("leave") or []:
            if not isinstance(leave.get("date"), date):
                raise ScheduleError(f"{name}: leave needs a date (YYYY-MM-DD)")
        practitioners[str(name)] = spec
    closures = list(data.get("closures") or [])
    for item in closures:
        if not isinstance(item, Mapping) or not isinstance(item.get("date"), date):
            raise ScheduleError(f"closure {item!r} needs a date (YYYY-MM-DD)")
    return ScheduleFile(policy, practitioners, closures)


def read_schedule_file(path: Path) -> ScheduleFile:
    """Read and validate a schedule file; malformed YAML is a :class:`ScheduleError` too."""
    with open(path, encoding="utf-8") as f:
        try:
            data = yaml.safe_load(f)
        except yaml.YAMLError as error:
            raise ScheduleError(f"not valid YAML ({error.__class__.__name__})") from None
    return parse_schedule(data)


@lru_cache(maxsize=8)
def policy_for(path: Path = DEFAULT_SCHEDULE) -> Policy:
    """The booking policy (lead time, slot grid, horizon) of a schedule file, cached."""
    return read_schedule_file(path).policy


@lru_cache(maxsize=1)
def clinic_facts() -> ClinicFacts:
    return load_facts(get_settings().clinic_file)


def load_schedule(session: Session, schedule: ScheduleFile, facts: ClinicFacts) -> Dict[str, int]:
    """Make the database match ``schedule`` and the services of ``facts``; idempotent.

    Practitioners and services are upserted by key; hours, breaks and closures are
    replaced. Practitioners missing from the schedule are deactivated, not deleted, so
    their past appointments keep their names.
    """
    titles = {p["name"]: p.get("title", "") for p in facts.practitioners}
    for key, spec in facts.services.items():
        if "duration_minutes" not in spec:
            continue  # a package is sold, not booked as one appointment
        service = session.scalar(select(Service).where(Service.key == key)) or Service(key=key)
        service.name, service.duration_minutes = spec["name"], int(spec["duration_minutes"])
        service.price = int(spec.get("price") or 0)
        session.add(service)
    session.flush()
    session.execute(delete(Closure).execution_options(synchronize_session=False))
    session.execute(delete(WorkingHours).execution_options(synchronize_session=False))
    session.expire_all()
    known = {p.key: p for p in session.scalars(select(Practitioner))}
    for p in known.values():
        p.active = False
    for name, spec in schedule.practitioners.items():
        practitioner = known.get(slug(name)) or Practitioner(key=slug(name))
        practitioner.name, practitioner.title = name, titles.get(name, practitioner.title or "")
        practitioner.active = True
        session.add(practitioner)
        session.flush()
        for kind, part in (("work", "hours"), ("break", "breaks")):
            for day, value in (spec.get(part) or {}).items():
                for starts, ends in _ranges(value):
                    session.add(WorkingHours(practitioner_id=practitioner.id, weekday=WEEKDAYS.index(day),
                                             kind=kind, starts=starts, ends=ends))
        for leave in spec.get("leave") or []:
            leave_starts, leave_ends = _optional_range(leave)
            session.add(Closure(day=leave["date"], practitioner_id=practitioner.id, starts=leave_starts,
                                ends=leave_ends, reason=str(leave.get("reason", "leave"))[:120]))
    for item in schedule.closures:
        closed_from, closed_to = _optional_range(item)
        session.add(Closure(day=item["date"], starts=closed_from, ends=closed_to,
                            reason=str(item.get("reason", "closed"))[:120]))
    session.flush()
    return {"practitioners": len(schedule.practitioners), "closures": len(schedule.closures)}


def _optional_range(item: Dict[str, Any]) -> Tuple[Optional[str], Optional[str]]:
    """A leave or closure's ``time`` range, or (None, None) for the whole day."""
    return parse_range(item["time"]) if item.get("time") else (None, None)


def _t(text: Optional[str]) -> Optional[time]:
    return None if text is None else time.fromisoformat(text)


def read_rules(session: Session, facts: ClinicFacts, policy: Policy) -> Rules:
    """Everything slot computation needs, read from the database and ``facts``."""
    opening: Dict[int, Tuple[time, time]] = {}
    for day, hours in facts.opening_hours.items():
        if hours:
            starts, ends = parse_range(hours)
            opening[WEEKDAYS.index(day)] = (time.fromisoformat(starts), time.fromisoformat(ends))
    practitioners = session.scalars(
        select(Practitioner).where(Practitioner.active.is_(True)).order_by(Practitioner.id)
    ).all()
    keys = {p.id: p.key for p in practitioners}
    weeks = []
    for p in practitioners:
        work: Dict[int, list] = {}
        breaks: Dict[int, list] = {}
        for h in p.hours:
            (work if h.kind == "work" else breaks).setdefault(h.weekday, []).append((_t(h.starts), _t(h.ends)))
        weeks.append(PractitionerWeek(p.key, work, breaks))
    closures = [
        ClosureRule(c.day, keys.get(c.practitioner_id) if c.practitioner_id else None,
                    _t(c.starts), _t(c.ends), c.reason)
        for c in session.scalars(select(Closure))
        if c.practitioner_id is None or c.practitioner_id in keys
    ]
    return Rules(opening, weeks, closures, timedelta(minutes=policy.lead_time_minutes),
                 policy.slot_step_minutes, facts.timezone or TIMEZONE, policy.horizon_days)
