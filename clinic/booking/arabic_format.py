"""Days and times in Arabic, for Arabic conversations: what :mod:`clinic.booking.dates`
writes in English (:func:`~clinic.booking.dates.describe`, ``describe_window``), in Arabic.

Arabic day and month names (the Gregorian month names used in the UAE: يناير ... ديسمبر),
Western digits as in every other Arabic answer (clinic/facts.py: "48 ساعة", "من 10:00 حتى
20:00"; the phone numbers are Western too, so one message never mixes two digit systems),
and the 12-hour clock with صباحًا / ظهرًا / مساءً (ص / م on the short button titles, as on
UAE booking pages). Awaiting native-speaker review with the other Arabic texts.

:func:`arabic_when` reads back what the English functions wrote, so the response generator
(addons/nlg.py, through :mod:`clinic.localise`) can put the actions' ``{when}`` in Arabic
while the actions stay language-free. No dateparser here: this module is imported by the
Rasa server's response generator.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta
from typing import Optional, Tuple

from clinic.booking.zone import ZONE

WEEKDAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

ARABIC_WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
ARABIC_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
                 "أكتوبر", "نوفمبر", "ديسمبر"]


def _clock_ar(hour: int, minute: int, short: bool = False) -> str:
    if short:
        mark = "ص" if hour < 12 else "م"
    else:
        mark = "صباحًا" if hour < 12 else ("ظهرًا" if hour == 12 else "مساءً")
    return f"{hour % 12 or 12}:{minute:02d} {mark}"


def _day_ar(weekday: int, day: int, month: int, year: Optional[int] = None) -> str:
    text = f"{ARABIC_WEEKDAYS[weekday]} {day} {ARABIC_MONTHS[month - 1]}"
    return f"{text} {year}" if year else text


def describe_day_ar(day: date, with_year: bool = False) -> str:
    """``السبت 5 ديسمبر`` (``with_year``: ``السبت 5 ديسمبر 2027``)."""
    return _day_ar(day.weekday(), day.day, day.month, day.year if with_year else None)


def describe_ar(dt: datetime, short: bool = False) -> str:
    """``describe`` in Arabic: ``الخميس 3 ديسمبر الساعة 2:00 مساءً`` (``short``:
    ``الخميس 3 ديسمبر، 2:00 م``), Asia/Dubai."""
    local = dt.astimezone(ZONE)
    day = _day_ar(local.weekday(), local.day, local.month)
    if short:
        return f"{day}، {_clock_ar(local.hour, local.minute, short=True)}"
    return f"{day} الساعة {_clock_ar(local.hour, local.minute)}"


def describe_window_ar(start: datetime, end: datetime) -> str:
    """``describe_window`` in Arabic: ``الجمعة 27 نوفمبر، من 8:00 صباحًا حتى 12:00 ظهرًا``."""
    first, last = start.astimezone(ZONE), (end - timedelta(seconds=1)).astimezone(ZONE)
    day = _day_ar(first.weekday(), first.day, first.month)
    if first.time() == time(0) and last.time() >= time(23, 59):
        return day
    stop = end.astimezone(ZONE)
    return f"{day}، من {_clock_ar(first.hour, first.minute)} حتى {_clock_ar(stop.hour, stop.minute)}"


_EN_DAY = r"(?P<weekday>" + "|".join(w.title() for w in WEEKDAY_NAMES) + r")"
_EN_DAY_SHORT = r"(?P<weekday>" + "|".join(w[:3].title() for w in WEEKDAY_NAMES) + r")"
_EN_MONTH = r"(?P<month>" + "|".join(calendar.month_name[1:]) + r")"
_EN_MONTH_SHORT = r"(?P<month>" + "|".join(calendar.month_abbr[1:]) + r")"
_EN_CLOCK = r"(?P<{0}h>\d{{1,2}}):(?P<{0}m>\d{{2}}) (?P<{0}ampm>am|pm)"
# what describe() / describe_window() (and the day-only "Thursday 3 December", with a year
# for another year: actions/aftercare.py) write, whole
_DESCRIBED = [
    re.compile(rf"^{_EN_DAY} (?P<day>\d{{1,2}}) {_EN_MONTH}(?: (?P<year>\d{{4}}))?"
               rf"(?: at {_EN_CLOCK.format('a')}|, {_EN_CLOCK.format('c')} to {_EN_CLOCK.format('b')})?$"),
    re.compile(rf"^{_EN_DAY_SHORT} (?P<day>\d{{1,2}}) {_EN_MONTH_SHORT}, {_EN_CLOCK.format('a')}$"),
]
# clinic/handoff/hours.py describe_opening: "today at 14:00", "tomorrow at 10:00", "on Monday at 10:00"
_OPENING = re.compile(rf"^(?:(?P<rel>today|tomorrow)|on {_EN_DAY}) at (?P<clock>\d{{2}}:\d{{2}})$")


def _hour24_of(match: re.Match, key: str) -> Tuple[int, int]:
    hour = int(match.group(f"{key}h")) % 12 + (12 if match.group(f"{key}ampm") == "pm" else 0)
    return hour, int(match.group(f"{key}m"))


def arabic_when(text: str) -> str:
    """The Arabic of a day or time the English way ``describe``, ``describe_window``
    (or ``describe_opening`` of clinic/handoff/hours.py) wrote it; any other text unchanged.

    The actions fill ``{when}`` with :func:`describe` whatever the language; the response
    generator (addons/nlg.py), which knows the conversation's language, passes the values
    through this, so ``arabic_when(describe(dt)) == describe_ar(dt)`` (tested over a year of
    times) and the actions stay language-free.
    """
    if not isinstance(text, str) or len(text) > 80:
        return text
    for short, pattern in enumerate(_DESCRIBED):
        match = pattern.match(text)
        if not match:
            continue
        names = [w.title() for w in WEEKDAY_NAMES] if not short else [w[:3].title() for w in WEEKDAY_NAMES]
        months = list(calendar.month_name) if not short else list(calendar.month_abbr)
        weekday, month = names.index(match.group("weekday")), months.index(match.group("month"))
        year = match.groupdict().get("year")
        day = _day_ar(weekday, int(match.group("day")), month, int(year) if year else None)
        if match.groupdict().get("ch") is not None:
            return f"{day}، من {_clock_ar(*_hour24_of(match, 'c'))} حتى {_clock_ar(*_hour24_of(match, 'b'))}"
        if match.group("ah") is None:
            return day
        start = _clock_ar(*_hour24_of(match, "a"), short=bool(short))
        return f"{day}، {start}" if short else f"{day} الساعة {start}"
    opening = _OPENING.match(text)
    if opening:
        rel = opening.group("rel")
        if rel:
            day = "اليوم" if rel == "today" else "غدًا"
        else:
            day = "يوم " + ARABIC_WEEKDAYS[[w.title() for w in WEEKDAY_NAMES].index(opening.group("weekday"))]
        return f"{day} الساعة {opening.group('clock')}"
    return text
