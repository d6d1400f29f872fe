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
(a reference, a name, a phone number, a closure's name from the staff's calendar).
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, Mapping, Optional

from clinic.booking.arabic_format import arabic_when
from clinic.facts import ClinicFacts, service_name

# values that hold a day or time written by clinic.booking.dates.describe (or describe_window,
# or actions/aftercare.py's day, or clinic/handoff/hours.py's next opening)
DATE_VALUES = ("when", "old_when", "session_date", "next_opening")
SERVICE_VALUES = ("service_name",)


def arabic_service_names(facts: ClinicFacts) -> Dict[str, str]:
    """Each service's English name (any case) -> its Arabic name (clinic.yml ``arabic.services``)."""
    return {spec["name"].casefold(): service_name(facts, key, "ar") for key, spec in facts.services.items()}


def localise_values(values: Mapping[str, Any], language: str,
                    service_names: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    """``values`` with the days, times and service names in ``language`` (``ar``; others unchanged)."""
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
    return out


def localise_buttons(buttons: Optional[Iterable[Any]], language: str) -> None:
    """Button titles that are days or times ("Sun 19 Jan, 11:00 am"), in ``language``, in place
    (payloads are never changed)."""
    if language != "ar" or not buttons:
        return
    for button in buttons:
        if isinstance(button, dict) and isinstance(button.get("title"), str):
            button["title"] = arabic_when(button["title"])
