from pathlib import Path

import pytest
import yaml

from clinic.facts import ClinicFacts, human_list, load_facts, money, opening_hours_text, template_values

ROOT = Path(__file__).resolve().parents[2]


def test_clinic_file_loads_and_renders_every_value():
    values = template_values(load_facts(ROOT / "clinic.yml"))
    assert values["clinic_name"]
    assert all(isinstance(v, str) and v for v in values.values())


def test_opening_hours_group_consecutive_days_and_name_closed_days():
    hours = {"monday": "09:00-17:00", "tuesday": "09:00-17:00", "wednesday": None,
             "thursday": "10:00-12:00", "friday": "10:00-12:00", "saturday": None}
    assert opening_hours_text(hours) == (
        "Monday to Tuesday 09:00\u201317:00, Thursday to Friday 10:00\u201312:00; "
        "closed on Wednesday and Saturday to Sunday"
    )


@pytest.mark.parametrize("amount, expected", [(950, "AED 950"), (3400, "AED 3,400"), (99.5, "AED 99.50")])
def test_money(amount, expected):
    assert money(amount, "AED") == expected


def test_human_list():
    assert human_list([]) == ""
    assert human_list(["a"]) == "a"
    assert human_list(["a", "b", "c"]) == "a, b and c"


def _facts_dict():
    with open(ROOT / "clinic.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def test_missing_fact_is_refused():
    data = _facts_dict()
    del data["phone"]
    with pytest.raises(ValueError, match="phone"):
        ClinicFacts.from_mapping(data)


@pytest.mark.parametrize("bad", ["25:00-26:00", "18:00-09:00", "9am-5pm"])
def test_malformed_opening_hours_are_refused(bad):
    data = _facts_dict()
    data["opening_hours"]["monday"] = bad
    with pytest.raises(ValueError):
        ClinicFacts.from_mapping(data)


def test_consultation_price_zero_reads_as_free():
    data = _facts_dict()
    data["services"]["consultation"]["price"] = 0
    assert template_values(ClinicFacts.from_mapping(data))["consultation_price"] == "free of charge"
    data["services"]["consultation"]["price"] = 250
    assert template_values(ClinicFacts.from_mapping(data))["consultation_price"] == "AED 250"
