"""CLINIC_FIXED_NOW: a fixed clock for a whole test stack, never in production."""
from datetime import datetime, timezone

import pytest

from clinic.settings import SettingsError, settings_from_env


def test_unset_means_the_real_clock():
    assert settings_from_env({}).fixed_now is None


def test_an_iso_time_with_offset_is_kept_in_utc():
    fixed = settings_from_env({"CLINIC_FIXED_NOW": "2027-01-17T11:00:00+04:00"}).fixed_now
    assert fixed == datetime(2027, 1, 17, 7, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("value", ["tomorrow", "2027-01-17T11:00:00"])
def test_a_bad_value_is_refused(value):
    with pytest.raises(SettingsError):
        settings_from_env({"CLINIC_FIXED_NOW": value})


def test_refused_in_production():
    secrets = {name: "x" * 40 for name in ("RASA_AUTH_TOKEN", "ACTION_SERVER_TOKEN", "CONSOLE_SECRET_KEY")}
    production = {**secrets, "CLINIC_ENV": "production"}
    settings_from_env(production)  # the rest of this environment is acceptable
    with pytest.raises(SettingsError, match="CLINIC_FIXED_NOW"):
        settings_from_env({**production, "CLINIC_FIXED_NOW": "2027-01-17T11:00:00+04:00"})
