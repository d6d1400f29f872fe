"""The values actions pass with a response (``{when}``, ``{service_name}``, ...) in the
conversation's language.

The actions are language-free: they fill ``{when}`` with :func:`clinic.booking.dates.describe`
("Sunday 19 January at 11:00 am"), ``{service_name}`` with the service's name from the
database, and slot buttons with the short form ("Sun 19 Jan, 11:00 am"). The response
generator (addons/nlg.py) knows the language it answers in and passes those values, and
the titles of the buttons that come with the response, through :func:`localise_values`
and :func:`localise_buttons`; in an Arabic conversation they become
"الأحد 19 يناير الساعة 11:00 صباحًا", "استشارة", "الأحد 19 يناير، 11:00 ص". One place decides
the language (the response generator), so an action can never send English facts inside an
Arabic reply because it forgot to ask. Values in any other shape are left as they are
(a reference, a name, a phone number).

``{reason}``, the name of a whole-clinic closure ("National Day", from ``schedule.yml``
through the database), becomes its ``reason_ar`` from the same closure entry of
``schedule.yml`` ("اليوم الوطني"; :func:`arabic_closure_names`); a closure the file gives
no Arabic name keeps its English one.

``{booking_summary}`` (a slot, "consultation on Thursday 21 January at 11:00 am") becomes
"استشارة يوم الخميس 21 يناير الساعة 11:00 صباحًا": the generator passes the slots through
:func:`localise_values` too.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterable, Mapping, Optional, Union

from clinic.booking.arabic_format import arabic_when
from clinic.booking.schedule import DEFAULT_SCHEDULE, read_schedule_file
from clinic.facts import ClinicFacts, service_name

# values that hold a day or time written by clinic.booking.dates.describe (or describe_window,
# or actions/aftercare.py's day, or clinic/handoff/hours.py's next opening)
DATE_VALUES = ("when", "old_when", "session_date", "next_opening")
SERVICE_VALUES = ("service_name",)
CLOSURE_VALUES = ("reason",)
# values written by clinic.booking.existing.BookingSummary.describe: "consultation on Thursday 21
# January at 11:00 am" (the slot booking_summary, read by the cancel and move questions)
SUMMARY_VALUES = ("booking_summary",)


def arabic_service_names(facts: ClinicFacts) -> Dict[str, str]:
    """Each service's English name (any case) -> its Arabic name (clinic.yml ``arabic.services``)."""
    return {spec["name"].casefold(): service_name(facts, key, "ar") for key, spec in facts.services.items()}


def arabic_closure_names(schedule_file: Union[str, Path, None] = None) -> Dict[str, str]:
    """Each closure's English name (any case) -> its Arabic name: the ``reason_ar`` of the
    closures in ``schedule_file`` (default: the schedule the booking reads, ``schedule.yml``).

    A missing or malformed file gives no names (the booking itself reports a bad schedule;
    the answers then keep the English names). Two entries with one English name and two
    Arabic names keep the first.
    """
    try:
        schedule = read_schedule_file(Path(schedule_file or DEFAULT_SCHEDULE))
    except (OSError, ValueError):  # ScheduleError is a ValueError; so is a file that is not UTF-8
        return {}
    names: Dict[str, str] = {}
    for closure in schedule.closures:
        english, arabic = closure.get("reason"), closure.get("reason_ar")
        if isinstance(english, str) and isinstance(arabic, str) and english.strip() and arabic.strip():
            # the database keeps the first 120 characters (clinic/booking/schedule.py load_schedule)
            names.setdefault(english.strip()[:120].casefold(), arabic.strip())
    return names


def localise_values(values: Mapping[str, Any], language: str,
                    service_names: Optional[Mapping[str, str]] = None,
                    closure_names: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    """``values`` with the days, times, service names and closure names in ``language``
    (``ar``; others unchanged)."""
    out = dict(values)
    if language != "ar":
        return out
    for key in DATE_VALUES:
        if isinstance(out.get(key), str):
            out[key] = arabic_when(out[key])
    for key in SERVICE_VALUES:
        value = out.get(key)
        if isinstance(value, str) and service_names and value.strip().casefold() in service_names:
            out[key] = service_names[value.strip().casefold()]
    for key in CLOSURE_VALUES:
        value = out.get(key)
        if isinstance(value, str) and closure_names and value.strip().casefold() in closure_names:
            out[key] = closure_names[value.strip().casefold()]
    for key in SUMMARY_VALUES:
        if isinstance(out.get(key), str):
            out[key] = arabic_summary(out[key], service_names or {})
    return out


def arabic_summary(text: str, service_names: Mapping[str, str]) -> str:
    """"consultation on Thursday 21 January at 11:00 am" in Arabic; any other text unchanged."""
    service, on, when = text.rpartition(" on ")
    arabic_day = arabic_when(when)
    if not on or arabic_day == when or service.strip().casefold() not in service_names:
        return text
    return f"{service_names[service.strip().casefold()]} يوم {arabic_day}"


def localise_buttons(buttons: Optional[Iterable[Any]], language: str) -> None:
    """Button titles that are days or times ("Sun 19 Jan, 11:00 am"), in ``language``, in place
    (payloads are never changed)."""
    if language != "ar" or not buttons:
        return
    for button in buttons:
        if isinstance(button, dict) and isinstance(button.get("title"), str):
            button["title"] = arabic_when(button["title"])
