"""The expected course after a session: day number, stage, and the stage's answer.

``data/aftercare/course.yml`` lists the stages (day 0-1, 2-3, 4-7, after a week) and the
response that answers each; :func:`answer_for` turns a treatment date and today (both
local clinic dates) into a :class:`DayAnswer`. :func:`read_treatment_date` reads what a
patient writes about a *past* session ("on Tuesday", "yesterday", "3 days ago",
"2 December", "2/12") with the booking date rules of :mod:`clinic.booking.dates`
(imported, not copied), turned round: a weekday is the most recent one, a day-month
without a year the most recent such date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Tuple

import yaml

from clinic.booking import dates

DEFAULT_COURSE = Path(__file__).resolve().parents[2] / "data" / "aftercare" / "course.yml"
MAX_AGE_DAYS = 365
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10}
_AGO = re.compile(r"\b(\d{1,3}|" + "|".join(NUMBERS) + r") (days?|weeks?) ago\b")
_LAST_WEEKDAY = re.compile(r"\blast (" + "|".join(dates.WEEKDAY_NAMES) + r")\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(dates.WEEKDAY_NAMES) + r")\b")


class CourseError(ValueError):
    """``course.yml`` is malformed."""


@dataclass(frozen=True)
class Stage:
    key: str
    first: int
    last: Optional[int]  # None: open-ended
    response: str

    def covers(self, day: int) -> bool:
        return day >= self.first and (self.last is None or day <= self.last)


@dataclass(frozen=True)
class DayAnswer:
    day: int
    stage: Stage

    @property
    def response(self) -> str:
        return self.stage.response


@dataclass(frozen=True)
class DateReading:
    """``status``: ``ok`` (``day`` set), ``unknown`` (no date found), ``future`` or ``too_old``."""

    status: str
    day: Optional[date] = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def parse_course(data: object) -> Tuple[Stage, ...]:
    """Stages from the YAML data; contiguous from day 0, the last one open-ended."""
    if not isinstance(data, dict) or not isinstance(data.get("stages"), list) or not data["stages"]:
        raise CourseError("course.yml needs a non-empty 'stages' list")
    stages: List[Stage] = []
    expected: Optional[int] = 0
    for item in data["stages"]:
        if not isinstance(item, dict) or not {"key", "first", "response"} <= set(item):
            raise CourseError(f"stage needs key, first and response: {item!r}")
        if expected is None or item["first"] != expected:
            raise CourseError(f"stage {item['key']!r} must start on day {expected}")
        last = item.get("last")
        if last is not None and last < item["first"]:
            raise CourseError(f"stage {item['key']!r} ends before it starts")
        stages.append(Stage(str(item["key"]), int(item["first"]), last, str(item["response"])))
        expected = None if last is None else last + 1
    if stages[-1].last is not None:
        raise CourseError("the last stage must be open-ended (no 'last')")
    return tuple(stages)


@lru_cache(maxsize=4)
def load_course(path: Path = DEFAULT_COURSE) -> Tuple[Stage, ...]:
    with open(path, encoding="utf-8") as handle:
        return parse_course(yaml.safe_load(handle))


def day_number(treated_on: date, today: date) -> int:
    """Days since the session: 0 on the day itself (negative for a future date)."""
    return (today - treated_on).days


def answer_for(treated_on: date, today: date, course: Optional[Tuple[Stage, ...]] = None) -> Optional[DayAnswer]:
    """The day and stage for a session on ``treated_on``; None for a future date."""
    day = day_number(treated_on, today)
    if day < 0:
        return None
    for stage in course or load_course():
        if stage.covers(day):
            return DayAnswer(day, stage)
    return None  # pragma: no cover - parse_course makes the last stage open-ended


def clinic_today(now: datetime) -> date:
    return now.astimezone(dates.ZONE).date()


def _checked(found: Optional[date], today: date) -> DateReading:
    if found is None:
        return DateReading("unknown")
    if found > today:
        return DateReading("future")
    if found < today - timedelta(days=MAX_AGE_DAYS):
        return DateReading("too_old")
    return DateReading("ok", found)


def read_treatment_date(text: str, now: datetime) -> DateReading:
    """The date of a past session in ``text``, read against ``now`` in the clinic's time zone."""
    today = clinic_today(now)
    clean = dates.normalise(text)
    if re.search(r"\bday before yesterday\b", clean):
        return _checked(today - timedelta(days=2), today)
    if re.search(r"\byesterday\b|\blast night\b", clean):
        return _checked(today - timedelta(days=1), today)
    if re.search(r"\btoday\b|\bthis (?:morning|afternoon|evening)\b|\bearlier\b", clean):
        return _checked(today, today)
    ago = _AGO.search(clean)
    if ago:
        count = NUMBERS.get(ago.group(1)) or int(ago.group(1))
        return _checked(today - timedelta(days=count * (7 if ago.group(2).startswith("week") else 1)), today)
    last = _LAST_WEEKDAY.search(clean)
    if last:
        back = (today.weekday() - dates.WEEKDAY_NAMES.index(last.group(1))) % 7 or 7
        return _checked(today - timedelta(days=back), today)
    weekday = _WEEKDAY.search(clean)
    if weekday:  # the coming one by the booking rules (today if it is today), turned into the last one
        query = dates.resolve(weekday.group(1), now)
        coming = query.start.astimezone(dates.ZONE).date() if query.ok and query.start is not None else None
        if coming is None:
            return DateReading("unknown")
        return _checked(coming if coming == today else coming - timedelta(days=7), today)
    if re.search(r"\blast (?:week|month|year)\b|\bweek ago\b", clean):
        return DateReading("unknown")  # too vague to count days from: ask
    # explicit dates: the booking rules prefer the future, so read them from a year ago
    query = dates.resolve(clean, now - timedelta(days=MAX_AGE_DAYS))
    if not query.ok or query.start is None or query.end is None or query.end - query.start > timedelta(days=1):
        return DateReading("unknown")
    found: Optional[date] = query.start.astimezone(dates.ZONE).date()
    if found is not None and found > today and not re.search(r"\b\d{4}\b|[/.\-]\d{2,4}\b", clean):
        found = _year_before(found)
    return _checked(found, today)


def _year_before(day: date) -> Optional[date]:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return None
