"""Closure names ({reason}) in Arabic conversations (clinic/localise.py, schedule.yml reason_ar)."""
import re
from datetime import date

import pytest
import yaml

from clinic.booking.schedule import DEFAULT_SCHEDULE, read_schedule_file
from clinic.localise import arabic_closure_names, localise_values

ARABIC_ONLY = re.compile(r"^[\u0600-\u06FF\s]+$")


def test_every_closure_in_the_schedule_has_one_arabic_name():
    closures = read_schedule_file(DEFAULT_SCHEDULE).closures
    assert closures
    by_english = {}
    for closure in closures:
        assert ARABIC_ONLY.match(closure.get("reason_ar") or ""), closure
        by_english.setdefault(closure["reason"], set()).add(closure["reason_ar"])
    assert all(len(names) == 1 for names in by_english.values()), by_english


def test_the_schedules_closures_are_named_in_arabic():
    names = arabic_closure_names()
    assert names["national day"] == "اليوم الوطني"
    assert names["eid al-fitr"] == "عيد الفطر" and names["eid al-adha"] == "عيد الأضحى"
    assert names["the prophet's birthday"] == "المولد النبوي الشريف"


def test_reason_is_rendered_in_arabic_conversations_only():
    names = arabic_closure_names()
    values = {"when": "Wednesday 2 December", "reason": "National Day", "reference": "NS-7K3D"}
    arabic = localise_values(values, "ar", {}, names)
    assert arabic["reason"] == "اليوم الوطني" and arabic["when"] == "الأربعاء 2 ديسمبر"
    assert arabic["reference"] == "NS-7K3D"
    assert localise_values(values, "en", {}, names) == values
    assert localise_values({"reason": " eid AL-fitr "}, "ar", {}, names)["reason"] == "عيد الفطر"


def test_a_closure_without_an_arabic_name_keeps_its_own():
    names = arabic_closure_names()
    assert localise_values({"reason": "Staff training"}, "ar", {}, names)["reason"] == "Staff training"
    assert localise_values({"reason": None}, "ar", {}, names)["reason"] is None
    assert localise_values({"reason": "National Day"}, "ar", {})["reason"] == "National Day"  # no names given


def test_names_come_from_the_file_given_and_a_bad_file_gives_none(tmp_path):
    good = tmp_path / "schedule.yml"
    good.write_text(yaml.safe_dump({"practitioners": {}, "closures": [
        {"date": date(2027, 2, 1), "reason": "Staff training", "reason_ar": "تدريب الفريق"},
        {"date": date(2027, 2, 2), "reason": "Staff training", "reason_ar": "اسم آخر"},
        {"date": date(2027, 2, 3), "reason": "Maintenance"},
        {"date": date(2027, 2, 4), "reason": "Bad", "reason_ar": 7},
    ]}, allow_unicode=True), encoding="utf-8")
    assert arabic_closure_names(good) == {"staff training": "تدريب الفريق"}
    broken = tmp_path / "broken.yml"
    broken.write_text("closures: [", encoding="utf-8")
    assert arabic_closure_names(broken) == {}
    assert arabic_closure_names(tmp_path / "missing.yml") == {}
    wrong = tmp_path / "wrong.yml"
    wrong.write_text("- just a list", encoding="utf-8")
    assert arabic_closure_names(wrong) == {}
    binary = tmp_path / "binary.yml"
    binary.write_bytes(b"\xff\xfe\x00closures")
    assert arabic_closure_names(binary) == {}


@pytest.mark.parametrize("language", ["ar", "en"])
def test_values_are_not_changed_in_place(language):
    values = {"reason": "National Day"}
    localise_values(values, language, {}, arabic_closure_names())
    assert values == {"reason": "National Day"}


def test_the_booking_summary_slot_is_rendered_in_arabic():
    from datetime import datetime

    from clinic.booking.existing import BookingSummary
    from clinic.booking.zone import ZONE
    from clinic.facts import load_facts
    from clinic.localise import arabic_service_names
    from clinic.settings import PROJECT_ROOT

    names = arabic_service_names(load_facts(PROJECT_ROOT / "clinic.yml"))
    summary = BookingSummary("NS-7K3W", "consultation", "Consultation",
                             datetime(2027, 1, 21, 11, 30, tzinfo=ZONE)).describe()
    arabic = localise_values({"booking_summary": summary}, "ar", names)["booking_summary"]
    assert not re.search(r"[A-Za-z]", arabic), arabic
    assert "11:30" in arabic and "21" in arabic
    assert localise_values({"booking_summary": summary}, "en", names)["booking_summary"] == summary
    # anything else in the slot is left as it is
    assert localise_values({"booking_summary": "NS-7K3W"}, "ar", names)["booking_summary"] == "NS-7K3W"
