"""The clinic's time zone: ``timezone`` in clinic.yml (the settings' ``clinic_file``), read once.

Every booking module takes its zone from here (:data:`ZONE`), so no module names the zone."""
from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo

from clinic.facts import load_facts
from clinic.settings import get_settings


@lru_cache(maxsize=1)
def clinic_zone() -> ZoneInfo:
    return ZoneInfo(load_facts(get_settings().clinic_file).timezone)


ZONE = clinic_zone()
