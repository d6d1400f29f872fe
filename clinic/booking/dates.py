"""What patients write about dates and times -> a :class:`DateQuery` (Asia/Dubai).

Pipeline: normalise the text (case, ordinals, spelling variants), pick out a clock
time ("at 5", "3pm", "10:30") and a part of the day ("afternoon"), then resolve the
date part with our own rules for what dateparser 1.2.0 gets wrong or cannot say
(weekday names with "next"/"this", "friday morning", weekends Saturday-Sunday,
"next week", numeric day-month dates, impossible dates such as 31 February, which
dateparser just calls unparseable) and dateparser for the rest (month names,
"in 3 days"), with day-month order and future dates preferred. A bare hour is read
as the clinic would mean it: "at 5" is 17:00, "at 10" is 10:00. "next Friday" is the
Friday of next week (Monday to Sunday), "Friday" the coming one (today if it is Friday);
the assistant always shows the resolved date on its buttons for the patient to confirm.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterable, List, Mapping, Optional, Tuple

import dateparser

from clinic.booking.arabic_dates import Rule, to_english
from clinic.booking.zone import ZONE

Opening = Mapping[int, Tuple[time, time]]  # weekday (Monday 0) -> local opening and closing time

WEEKDAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
PARTS = {  # part of the day -> local window ("late afternoon" before "afternoon": the first found wins)
    "early morning": (time(8), time(10)), "late morning": (time(10), time(12)),
    "late afternoon": (time(15), time(18)), "early evening": (time(17), time(19)),
    "morning": (time(8), time(12)), "lunchtime": (time(12), time(14)), "noon": (time(12), time(14)),
    "afternoon": (time(12), time(17)), "evening": (time(17), time(23, 59)), "tonight": (time(17), time(23, 59)),
}
# the parts of the day named after prayers, as Gulf English and Arabic say them ("after asr", "بعد
# العصر", see clinic/booking/arabic_dates.py): asr is at about 15:15-15:45 in Dubai, maghrib at sunset
PARTS.update({"asr": (time(15, 30), time(18)), "maghrib": (time(18), time(20, 30))})
# a day of the month said in words ("on the twenty third", "the 15th"): from the tenth on, as
# "first" to "ninth" alone are as often a choice among the offered times ("the second one")
_UNITS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
          "ninth": 9}
_ORDINAL_WORDS = {"tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
                  "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
                  "thirtieth": 30}
_ORDINAL_WORDS.update({f"twenty {w}": 20 + n for w, n in _UNITS.items()})
_ORDINAL_WORDS.update({"thirty first": 31})


def _ordinal_word(match: "re.Match[str]") -> str:
    day = _ORDINAL_WORDS[" ".join(match.group(1).split("-"))]
    return f"{day}{'st' if day in (21, 31) else 'nd' if day == 22 else 'rd' if day == 23 else 'th'}"


SPELLING: List[Rule] = [
    (r"\btmrw?\b|\btmr\b|\btomm?or+ow\b|\b2mor+ow\b|\btomo+r+o\b", "tomorrow"),
    (r"\b(" + "|".join(sorted((k.replace(" ", "[ -]") for k in _ORDINAL_WORDS), key=len, reverse=True)) + r")\b",
     _ordinal_word),
    # "my lunch break", "in my lunch hour": lunchtime
    (r"\blunch ?(?:break|hour|time)\b", "lunchtime"),
    # Hinglish "5 baje" (5 o'clock): a clock time
    (r"\b(\d{1,2}) baje\b", r"at \1"), (r"\bbaje\b", ""),
    (r"\bnxt\b", "next"), (r"\bwknd\b|\bweek-end\b", "weekend"),
    (r"\bmon\b", "monday"), (r"\btues?\b", "tuesday"), (r"\bweds?\b", "wednesday"),
    (r"\bthu(?:rs?)?\b", "thursday"), (r"\bfri\b", "friday"), (r"\bsat\b", "saturday"), (r"\bsun\b", "sunday"),
    # a greeting is no part of the day ("hi good morning, can i come thursday afternoon")
    (r"\bgood (?:morning|afternoon|evening|night)\b", "hello"),
    # "on the 20th", "the 21st pls": a day of the month (not "the 21st of jan", nor "the 2nd one")
    (r"\b(?:on )?the (\d{1,2})(?:st|nd|rd|th)\b(?! ?(?:of )?(?:" + "|".join(MONTHS) + r"|one|slot|time|option|"
     r"choice|sessions?|appointments?|visits?)\b)", r"on day-of-month \1"),
    (r"\bon (\d{1,2})(?:st|nd|rd|th)\b(?! ?(?:of )?(?:" + "|".join(MONTHS) + r")\b)", r"on day-of-month \1"),
    (r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1"), (r"\bmidday\b", "noon"), (r"\ba\.m\.?", "am"), (r"\bp\.m\.?", "pm"),
    # "3 o clock", "3 oclock", "3 o'clock": a clock time ("at 3"), whatever the spelling
    (r"\b(\d{1,2}) ?o ?'? ?clock\b", r"at \1"), (r"\bo'?clock\b", ""),
    (r"\bthis (morning|afternoon|evening)\b", r"today \1"),
    # clock times typed by hand ("10.30", "10 30 is ok", "1030", "4 30 pm", "half 4", "quarter to 5"),
    # written as "10:30" for _clock; day-month dates keep their dots ("15.12", "23.1", "1.2.2027")
    (r"\bhalf (?:past )?(\d{1,2})\b(?![:.]\d)", r"\1:30"),
    (r"\bquarter past (\d{1,2})\b(?![:.]\d)", r"\1:15"),
    (r"\bquarter to (\d{1,2})\b(?![:.]\d)", lambda m: f"{int(m.group(1)) - 1 or 12}:45"),
    (r"(?<![\d./\-])(\d{1,2})\.(00|1[3-9]|[2-5]\d)\b(?![./\-]\d)", r"\1:\2"),
    (r"(?<![\d+:./\-])(?<!\d )(\d{1,2}) (00|15|30|45)\b(?![:./\-]?\d)"
     r"(?! ?(?:days?|weeks?|months?|mins?|minutes?|hours?|hrs?|aed|dhs?|dirhams?|%))", r"\1:\2"),
    (r"(?<![\d+:./\-])(?<!\d )\b(1\d|2[0-3]|0?[1-9])(00|15|30|45)\b(?![:./\-]?\d)"
     r"(?! ?(?:aed|dhs?|dirhams?|%|days?|hours?|mins?|minutes?))", r"\1:\2"),
    # "can we make it 12 instead", "make it 4:30": a bare hour after "make it" is a clock time
    (r"\bmake it (\d{1,2})\b(?![:./\-]?\d)(?! ?(?:am|pm|days?|weeks?|months?|people|persons?|sessions?)\b)",
     r"make it at \1"),
]
EARLIEST = re.compile(r"\b(earliest|asap|as soon as (?:possible|you can)|soonest|first (?:available|free|possible)|"
                      r"next (?:available|free|possible)|any ?time soon|whenever)\b")
PAST = re.compile(r"\b(yesterday|last (?:week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
                  r"\d+ (?:days?|weeks?) ago)\b")


@dataclass(frozen=True)
class DateQuery:
    """``status``: ``ok``, ``past``, ``invalid`` (no such date) or ``unknown`` (no date found).

    ``start``/``end`` (aware, Asia/Dubai) bound the slot starts to look for;
    ``exact`` says a clock time was asked for (offer it, else the nearest).
    """

    status: str
    start: Optional[datetime] = None
    end: Optional[datetime] = None
    exact: bool = False
    earliest: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def window(self) -> Optional[Tuple[datetime, datetime]]:
        """(start, end) when both are known (every ``ok`` query has them), else None."""
        if self.start is None or self.end is None:
            return None
        return self.start, self.end


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")[:300].lower()
    text = to_english(text)  # Arabic and Arabizi days and times ("بكرة الساعة ٥") as the English words
    text = re.sub(r"[?!,;\"“”]+", " ", text)
    for pattern, repl in SPELLING:
        text = re.sub(pattern, repl, text)
    return " ".join(text.split())


def _clock(text: str) -> Tuple[Optional[Tuple[int, int, Optional[str]]], str]:
    """Find a clock time: (hour, minute, am/pm or None) and the text without it."""
    patterns = [
        r"\b(?:at |@ ?|around |about |by )?(\d{1,2})[:h](\d{2}) ?(am|pm)?\b",
        r"\b(?:at |@ ?|around |about |by )?(\d{1,2})(?:\.(\d{2}))? ?(am|pm)\b",
        r"\b(?:at|@|around|about) (\d{1,2})()()\b(?![/.\-]\d)(?! (?:days?|weeks?|months?|" + "|".join(MONTHS) + r")\b)",
    ]
    if re.search(r"\bnoon\b", text) and not re.search(r"\b(after|before)noon\b", text):
        return (12, 0, "pm"), re.sub(r"\b(?:at )?noon\b", " ", text)
    for pattern in patterns:
        match = re.search(pattern, text)
        if match:
            hour, minute, ampm = int(match.group(1)), int(match.group(2) or 0), match.group(3) or None
            return (hour, minute, ampm), text[: match.start()] + " " + text[match.end():]
    return None, text


# two clock times said as a choice or a span: "5 or 6pm whichever is free", "11 ya 12" (Hinglish),
# "1 to 2", "between 4 and 5": not counts ("2 or 3 sessions", "1 to 2 weeks"), days of the month
# ("the 23rd or 24th") or dates ("1/2"); "or" keeps both times, "to"/"and" ends at the second
_SPAN = re.compile(
    r"(?<!day-of-month )(?<![\d:./\-])\b(?:between |from )?(?:at )?(\d{1,2})(?::(\d{2}))? ?(am|pm)? "
    r"(or|ya|to|till|until|and) (?:at )?(\d{1,2})(?::(\d{2}))? ?(am|pm)?\b(?![:./\-]?\d)"
    r"(?! ?(?:days?|weeks?|months?|years?|hours?|hrs?|mins?|minutes?|sessions?|treatments?|times|people|persons?|"
    r"aed|dhs?|dirhams?|%|" + "|".join(MONTHS) + r")\b)")


_ClockTime = Tuple[int, int, Optional[str]]  # (hour, minute, "am"/"pm" or None), as typed
_Span = Tuple[_ClockTime, _ClockTime, bool]


def _span(text: str) -> Tuple[Optional[_Span], str]:
    """Two clock times said as a choice or a span: ((hour, minute, am/pm), (hour, minute, am/pm),
    whether the second is one of the times, not the span's end) and the text without them."""
    match = _SPAN.search(text)
    if not match:
        return None, text
    first = (int(match.group(1)), int(match.group(2) or 0), match.group(3))
    second = (int(match.group(5)), int(match.group(6) or 0), match.group(7))
    if first[2] is None and second[2] and first[0] < second[0] < 12:  # "5 or 6pm": both in the evening
        first = (first[0], first[1], second[2])
    choice = match.group(4) in ("or", "ya")
    return (first, second, choice), text[: match.start()] + " " + text[match.end():]


def clock_of(text: str) -> Optional[Tuple[int, int, Optional[str]]]:
    """The clock time ``text`` says, as typed: (hour, minute, "am"/"pm" or None), else None."""
    return _clock(normalise(text))[0]


def _hour24(hour: int, ampm: Optional[str], opening: Optional[Tuple[time, time]]) -> Optional[int]:
    if ampm:
        if not 1 <= hour <= 12:
            return None
        return hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23:
        return None
    if hour >= 12 or hour == 0:
        return hour
    default = hour + 12 if hour <= 7 else hour
    if opening:
        inside = [h for h in (hour, hour + 12) if opening[0] <= time(h) < opening[1]]
        if len(inside) == 1:
            return inside[0]
    return default


def _weekday_date(text: str, today: date) -> Optional[date]:
    after_next = re.search(r"\b(" + "|".join(WEEKDAY_NAMES) + r") after next\b", text)
    if after_next:  # "friday after next": the one after the coming one
        index = WEEKDAY_NAMES.index(after_next.group(1))
        return today + timedelta(days=((index - today.weekday()) % 7 or 7) + 7)
    match = re.search(r"\b(?:(this|next|coming|on) )?(" + "|".join(WEEKDAY_NAMES) + r")\b", text)
    if not match:
        return None
    index = WEEKDAY_NAMES.index(match.group(2))
    if match.group(1) == "next":  # that day of next week (Monday to Sunday)
        return today + timedelta(days=7 - today.weekday() + index)
    return today + timedelta(days=(index - today.weekday()) % 7)


def _day_of_the_week_said(text: str, today: date) -> Optional[date]:
    """"thursday next week", "next week on monday", "this week saturday": that day of the
    week said (Monday to Sunday), not the whole week."""
    week = re.search(r"\b(next|this) week\b", text)
    day = re.search(r"\b(" + "|".join(WEEKDAY_NAMES) + r")\b", text)
    if not (week and day):
        return None
    index = WEEKDAY_NAMES.index(day.group(1))
    if week.group(1) == "next":
        return today + timedelta(days=7 - today.weekday() + index)
    return today + timedelta(days=(index - today.weekday()) % 7)


def _numeric_date(text: str, today: date) -> Tuple[Optional[date], bool]:
    """Day-month(-year) and ISO dates. Returns (date, found); date None when impossible."""
    iso = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", text)
    if iso:
        return _safe_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3))), True
    match = re.search(r"\b(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2,4}))?\b", text)
    if not match:
        return None, False
    day, month = int(match.group(1)), int(match.group(2))
    return _with_year(day, month, match.group(3), today), True


def _day_of_month(text: str, today: date) -> Tuple[Optional[date], bool]:
    """"on the 20th" (normalised to "day-of-month 20"): that day of this month, or of the next
    one once it is past. Returns (date, found); date None when that month has no such day."""
    match = re.search(r"\bday-of-month (\d{1,2})\b", text)
    if not match:
        return None, False
    day = int(match.group(1))
    if day >= today.day:
        return _safe_date(today.year, today.month, day), True
    following = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return _safe_date(following.year, following.month, day), True


def _month_name_date(text: str, today: date) -> Tuple[Optional[date], bool]:
    names = "|".join(sorted(MONTHS, key=len, reverse=True))
    match = re.search(rf"\b(\d{{1,2}}) (?:of )?({names})\b(?: (\d{{4}}))?", text) or None
    if match:
        day, month, year = int(match.group(1)), MONTHS[match.group(2)], match.group(3)
    else:
        match = re.search(rf"\b({names}) (\d{{1,2}})\b(?: (\d{{4}}))?", text)
        if not match:
            return None, False
        day, month, year = int(match.group(2)), MONTHS[match.group(1)], match.group(3)
    return _with_year(day, month, year, today), True


def _safe_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _with_year(day: int, month: int, year: Optional[str], today: date) -> Optional[date]:
    if year:
        y = int(year)
        return _safe_date(y + 2000 if y < 100 else y, month, day)
    found = _safe_date(today.year, month, day)
    if found is None:  # 29 February of a non-leap year may exist next year; 31 February never
        return _safe_date(today.year + 1, month, day) if (month, day) == (2, 29) else None
    return found if found >= today else _safe_date(today.year + 1, month, day)


def _dateparser(text: str, now: datetime) -> Optional[date]:
    found = dateparser.parse(text, languages=["en"], settings={
        "DATE_ORDER": "DMY", "PREFER_DATES_FROM": "future", "TIMEZONE": ZONE.key,
        "RETURN_AS_TIMEZONE_AWARE": True, "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DAY_OF_MONTH": "first"})
    return found.astimezone(ZONE).date() if found else None


def _window(text: str, now: datetime) -> Tuple[str, Optional[date], Optional[date]]:
    """The date part: (status, first day, last day)."""
    today = now.date()
    if PAST.search(text):
        # "i had a session last month, can i book the next one friday": the day to book wins
        rest = _window(PAST.sub(" ", text), now)
        return rest if rest[0] == "ok" else ("past", None, None)
    day = _day_of_the_week_said(text, today)
    if day:
        return "ok", day, day
    rules = [
        (r"\bday after tomorrow\b", lambda: (today + timedelta(days=2),) * 2),
        # "now" is today, but not "1 session for now", "till now", "just now", "as of now"
        (r"\btoday\b|\btonight\b|(?<!for )(?<!till )(?<!until )(?<!by )(?<!of )(?<!just )(?<!from )\bnow\b",
         lambda: (today, today)),
        (r"\btomorrow\b", lambda: (today + timedelta(days=1),) * 2),
        (r"\bnext weekend\b", lambda: _weekend(today, 1)),
        (r"\bweekend\b", lambda: _weekend(today, 0)),
        (r"\bnext week\b", lambda: (today + timedelta(days=7 - today.weekday()),
                                    today + timedelta(days=13 - today.weekday()))),
        (r"\bthis week\b|\brest of the week\b", lambda: _this_week(today)),
        (r"\bnext month\b", lambda: _month_after(today)),
        (r"\bin (?:a|one) week\b|\bin 7 days\b|\ba week from (?:now|today)\b",
         lambda: (today + timedelta(days=7),) * 2),
    ]
    for pattern, make in rules:
        if re.search(pattern, text):
            first, last = make()
            return "ok", first, last
    for finder in (_day_of_month, _numeric_date, _month_name_date):
        found, matched = finder(text, today)
        if matched:
            return ("ok", found, found) if found else ("invalid", None, None)
    weekday = _weekday_date(text, today)
    if weekday:
        return "ok", weekday, weekday
    month = re.search(r"\b(" + "|".join(m for m in MONTHS if len(m) > 3) + r")\b", text)
    if month and not re.search(r"\d", text):  # "in december": the whole month
        return ("ok",) + _whole_month(MONTHS[month.group(1)], today)
    relative = re.search(r"\bin (\d{1,3}|a|two|three) (days?|weeks?|months?)\b", text)
    if relative or re.search("|".join(MONTHS), text):
        found = _dateparser(relative.group(0) if relative else text, now)
        if found:
            return ("past" if found < today else "ok"), found, found
    return "unknown", None, None


def _this_week(today: date) -> Tuple[date, date]:
    """Today to Sunday; on a Sunday (the week's last day, the clinic's closed day) the seven
    days from today: "can i come this week?" asked on a Sunday means the coming days."""
    days_left = 6 - today.weekday()
    return today, today + timedelta(days=days_left or 6)


def _weekend(today: date, weeks: int) -> Tuple[date, date]:
    """The coming (or current) UAE weekend, Saturday-Sunday, ``weeks`` later."""
    if today.weekday() == 6:
        saturday = today - timedelta(days=1)
    else:
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    saturday += timedelta(weeks=weeks)
    return saturday, saturday + timedelta(days=1)


def _whole_month(month: int, today: date) -> Tuple[date, date]:
    """The next ``month`` (this one counts from today)."""
    year = today.year if month >= today.month else today.year + 1
    first = max(date(year, month, 1), today)
    return first, date(year, month, calendar.monthrange(year, month)[1])


def _month_after(today: date) -> Tuple[date, date]:
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def resolve(text: str, now: datetime, opening: Optional[Opening] = None,
            entities: Iterable[str] = ()) -> DateQuery:
    """Resolve ``text`` against ``now``; ``opening`` maps weekday -> (open, close) local times.

    ``entities`` are optional spaCy DATE/TIME texts, tried when the whole text says nothing.
    """
    now = now.astimezone(ZONE)
    text = normalise(text)
    if EARLIEST.search(text):
        return DateQuery("ok", now, now + timedelta(days=60), earliest=True)
    span, rest = _span(text)
    clock, rest = (None, rest) if span else _clock(rest)
    part = next((p for p in PARTS if re.search(rf"\b{p}\b", rest)), None)
    status, first, last = _window(rest, now)
    if status == "unknown" and (clock or part or span):
        status, first, last = "ok", now.date(), now.date()
    if status == "unknown":
        extra = normalise(" ".join(entities))
        if extra:
            return resolve(extra, now, opening)
        return DateQuery("unknown")
    if status != "ok" or first is None or last is None:
        return DateQuery(status)
    hours = (opening or {}).get(first.weekday())
    if clock:
        hour = _hour24(clock[0], clock[2], hours)
        if hour is None or clock[1] > 59:
            return DateQuery("invalid")
        start = datetime.combine(first, time(hour, clock[1]), tzinfo=ZONE)
        if start < now and first == now.date() and "today" not in rest and "tonight" not in rest:
            # "at 5" after five today means tomorrow; "saturday at 11" on a Saturday afternoon, next Saturday
            start += timedelta(days=7 if _weekday_date(rest, now.date()) else 1)
        return DateQuery("past" if start < now else "ok", start, start + timedelta(minutes=1), exact=True)
    if span:
        return _span_query(span, first, hours, now, rest)
    begin, end = (PARTS[part] if part else (time(0), None))
    start = datetime.combine(first, begin, tzinfo=ZONE)
    stop = (datetime.combine(last, end, tzinfo=ZONE) if end
            else datetime.combine(last + timedelta(days=1), time(0), tzinfo=ZONE))
    if stop <= now:
        if first == last == now.date() and not re.search(r"\btoday\b|\btonight\b", rest):
            if _weekday_date(rest, now.date()):  # "saturday morning" on a Saturday evening: next Saturday
                return resolve(f"next {WEEKDAY_NAMES[first.weekday()]} {part or ''}", now, opening)
            return resolve(f"tomorrow {part or ''}", now, opening)
        return DateQuery("past")
    return DateQuery("ok", max(start, now), stop)


def _span_query(span: _Span, day: date, hours: Optional[Tuple[time, time]], now: datetime, rest: str) -> DateQuery:
    """The slot starts from the first time of ``span`` to the second on ``day`` (its last minute
    included when the second is one of the times: "5 or 6pm"); the next day when it has passed
    today and today was not said."""
    first, second, choice = span
    begin, until = _hour24(first[0], first[2], hours), _hour24(second[0], second[2], hours)
    if begin is None or until is None or first[1] > 59 or second[1] > 59:
        return DateQuery("invalid")
    start = datetime.combine(day, time(begin, first[1]), tzinfo=ZONE)
    stop = datetime.combine(day, time(until, second[1]), tzinfo=ZONE) + timedelta(minutes=1 if choice else 0)
    if stop <= start:
        return DateQuery("invalid")
    if stop <= now and day == now.date() and "today" not in rest and "tonight" not in rest:
        later = timedelta(days=7 if _weekday_date(rest, now.date()) else 1)
        start, stop = start + later, stop + later
    if stop <= now:
        return DateQuery("past")
    return DateQuery("ok", max(start, now), stop)


def says_a_day(text: str, now: datetime) -> bool:
    """Whether ``text`` names a day ("tuesday", "tomorrow", "23/1", "next week"), not only a
    time of day ("at 12", "after 5", "evening")."""
    _, rest = _clock(normalise(text))
    return _window(rest, now.astimezone(ZONE))[0] != "unknown"


def describe(dt: datetime, short: bool = False) -> str:
    """``Thursday 3 December at 2:00 pm`` (``short``: ``Thu 3 Dec, 2:00 pm``), Asia/Dubai."""
    local = dt.astimezone(ZONE)
    if short:
        return f"{local:%a} {local.day} {local:%b}, {describe_clock(local)}"
    return f"{describe_day(local)} at {describe_clock(local)}"


def describe_day(dt: datetime) -> str:
    """``Thursday 3 December``, Asia/Dubai (the day part of :func:`describe`)."""
    local = dt.astimezone(ZONE)
    return f"{local:%A} {local.day} {local:%B}"


def describe_clock(dt: datetime) -> str:
    """``2:00 pm``, Asia/Dubai (the time part of :func:`describe`)."""
    local = dt.astimezone(ZONE)
    return f"{local.hour % 12 or 12}:{local.minute:02d} {'am' if local.hour < 12 else 'pm'}"


def describe_window(start: datetime, end: datetime) -> str:
    """``Friday 27 November, 8:00 am to 12:00 pm`` (or just the day when it is all of it)."""
    first, last = start.astimezone(ZONE), (end - timedelta(seconds=1)).astimezone(ZONE)
    day = describe_day(first)
    if first.time() == time(0) and last.time() >= time(23, 59):
        return day
    return f"{day}, {describe_clock(first)} to {describe_clock(end)}"


def describe_in(dt: datetime, language: str = "en", short: bool = False) -> str:
    """:func:`describe` in ``language`` (``en``, or ``ar``: :mod:`clinic.booking.arabic_format`)."""
    if language == "ar":
        from clinic.booking.arabic_format import describe_ar

        return describe_ar(dt, short)
    return describe(dt, short)
