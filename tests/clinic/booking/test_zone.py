"""The booking modules' zone is clinic.yml's ``timezone`` (clinic/booking/zone.py)."""
from clinic.booking import arabic_format, dates, schedule, slots, store
from clinic.booking.zone import ZONE
from clinic.facts import load_facts
from clinic.settings import get_settings


def test_the_zone_is_the_one_of_clinic_yml():
    assert ZONE.key == load_facts(get_settings().clinic_file).timezone


def test_every_booking_module_uses_it():
    assert dates.ZONE is arabic_format.ZONE is store.DUBAI is ZONE
    assert schedule.TIMEZONE == slots.Rules.__dataclass_fields__["tz"].default == ZONE.key
