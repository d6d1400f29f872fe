"""Clinic facts in Arabic: ``template_values(facts, "ar")`` (issue 17, answers in Arabic)."""
import re
from pathlib import Path

import pytest
import yaml

from clinic.facts import (
    DAYS, HOURS, MINUTES, MONTHS, WEEKDAYS, ClinicFacts, arabic_fallbacks, count_ar, human_list_ar, load_facts,
    money_ar,
    opening_hours_text_ar, period_text_ar, service_name, template_values,
)

ROOT = Path(__file__).resolve().parents[2]
LATIN = re.compile(r"[A-Za-z]")
# Latin text an Arabic value may keep: the brand, the e-mail address, payment brands, the
# basement level as signed in the tower
ALLOWED_LATIN = ("Apple Pay", "Tabby", "B2")

# template_values(facts) for the demo clinic.yml before Arabic facts existed: the English
# answers must not change by a character
ENGLISH_BEFORE = {
    "clinic_name": "Noor Skin & Scar Clinic",
    "clinic_phone": "+971 4 000 0000",
    "clinic_whatsapp": "+971 50 000 0000",
    "clinic_email": "hello@example.com",
    "clinic_address": "Office 1402, Example Tower, Sheikh Zayed Road, Trade Centre 1, Dubai",
    "clinic_directions": "Two minutes' walk from the World Trade Centre metro station (Red Line), exit 2.",
    "clinic_parking": "Free visitor parking in the tower's basement (B2); ask reception to validate your ticket.",
    "clinic_hours": "Monday to Thursday 10:00\u201320:00, Friday 14:00\u201321:00, Saturday 10:00\u201318:00; "
                    "closed on Sunday",
    "clinic_practitioners": "Dr. Layla Haddad (Consultant Dermatologist) and Dr. Arjun Menon "
                            "(Specialist Aesthetic Physician)",
    "consultation_price": "free of charge",
    "consultation_duration": "30 minutes",
    "session_price": "AED 950",
    "session_duration": "45 minutes",
    "package_price": "AED 3,400",
    "package_sessions": "4",
    "deposit": "AED 200",
    "cancellation_notice": "24 hours",
    "late_grace": "15 minutes",
    "arrive_early": "10 minutes",
    "payment_methods": "cash, debit and credit cards and Apple Pay",
    "instalments": "interest-free instalments over 4 months with Tabby for courses",
    "emergency_number": "998",
    "retention_period": "12 months",
}


def _data():
    with open(ROOT / "clinic.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="module")
def facts():
    return load_facts(ROOT / "clinic.yml")


@pytest.fixture(scope="module")
def arabic(facts):
    return template_values(facts, "ar")


def test_english_values_are_unchanged(facts):
    assert template_values(facts) == ENGLISH_BEFORE
    assert template_values(facts, "en") == ENGLISH_BEFORE


def test_the_arabic_block_changes_nothing_in_english():
    data = _data()
    with_arabic = template_values(ClinicFacts.from_mapping(data))
    del data["arabic"]
    assert template_values(ClinicFacts.from_mapping(data)) == with_arabic
    assert "arabic" not in ClinicFacts.from_mapping(_data()).extra


def test_arabic_has_every_english_name(facts, arabic):
    assert set(arabic) == set(template_values(facts, "en"))
    assert all(isinstance(v, str) and v for v in arabic.values())


def test_unknown_language_is_refused(facts):
    with pytest.raises(ValueError, match="fr"):
        template_values(facts, "fr")


def test_arabic_values_have_no_latin_words_but_names_brands_and_email(facts, arabic):
    allowed = (facts.name, facts.email) + ALLOWED_LATIN
    for key, value in arabic.items():
        rest = value
        for text in allowed:
            rest = rest.replace(text, "")
        assert not LATIN.search(rest), f"{key}: {value!r}"


def test_facts_shown_in_english_in_arabic_answers(facts):
    """Only the brand and the language-neutral values: add Arabic text to clinic.yml for anything else."""
    assert arabic_fallbacks(facts) == [
        "clinic_email", "clinic_name", "clinic_phone", "clinic_whatsapp", "emergency_number", "package_sessions",
    ]


@pytest.mark.parametrize("key, expected", [
    ("arrive_early", "10 دقائق"),
    ("late_grace", "15 دقيقة"),
    ("session_duration", "45 دقيقة"),
    ("consultation_duration", "30 دقيقة"),
    ("cancellation_notice", "24 ساعة"),
    ("session_price", "950 درهم"),
    ("package_price", "3,400 درهم"),
    ("deposit", "200 درهم"),
    ("consultation_price", "مجانية"),
    ("retention_period", "12 شهرًا"),
    ("clinic_hours", "من الاثنين إلى الخميس من 10:00 حتى 20:00، والجمعة من 14:00 حتى 21:00، "
                     "والسبت من 10:00 حتى 18:00؛ والعيادة مغلقة يوم الأحد"),
    ("clinic_practitioners", "د. ليلى حداد (استشارية أمراض جلدية) و د. أرجون مينون (أخصائي طب تجميلي)"),
    ("payment_methods", "النقد، وبطاقات الخصم والائتمان، و Apple Pay"),
    ("clinic_phone", "+971 4 000 0000"),
    ("emergency_number", "998"),
])
def test_exact_arabic_values(arabic, key, expected):
    assert arabic[key] == expected


@pytest.mark.parametrize("n, noun, expected", [
    (1, MINUTES, "دقيقة واحدة"), (1, DAYS, "يوم واحد"), (2, MINUTES, "دقيقتين"), (2, HOURS, "ساعتين"),
    (3, MINUTES, "3 دقائق"), (10, MINUTES, "10 دقائق"), (11, MINUTES, "11 دقيقة"), (45, MINUTES, "45 دقيقة"),
    (24, HOURS, "24 ساعة"), (48, HOURS, "48 ساعة"), (12, MONTHS, "12 شهرًا"), (6, MONTHS, "6 أشهر"),
    (90, DAYS, "90 يومًا"), (100, DAYS, "100 يوم"), (103, DAYS, "103 أيام"), (120, DAYS, "120 يومًا"),
])
def test_counted_nouns_agree_with_the_number(n, noun, expected):
    assert count_ar(n, noun) == expected


@pytest.mark.parametrize("days, expected", [(365, "12 شهرًا"), (730, "24 شهرًا"), (90, "90 يومًا"), (30, "30 يومًا")])
def test_retention_period_in_arabic(days, expected):
    assert period_text_ar(days) == expected


@pytest.mark.parametrize("amount, currency, expected", [
    (950, "AED", "950 درهم"), (3400, "AED", "3,400 درهم"), (99.5, "AED", "99.50 درهم"), (100, "SAR", "100 ريال"),
    (100, "GBP", "100 GBP"),
])
def test_money_in_arabic(amount, currency, expected):
    assert money_ar(amount, currency) == expected


def test_arabic_lists_join_with_wa():
    assert human_list_ar([]) == ""
    assert human_list_ar(["النقد"]) == "النقد"
    assert human_list_ar(["النقد", "البطاقات"]) == "النقد والبطاقات"
    assert human_list_ar(["أ", "ب", "ج"]) == "أ، وب، وج"
    assert human_list_ar(["النقد", "Apple Pay"]) == "النقد و Apple Pay"


def test_arabic_opening_hours_group_days_and_name_closed_days():
    hours = {"monday": "09:00-17:00", "tuesday": "09:00-17:00", "wednesday": None,
             "thursday": "10:00-12:00", "friday": "10:00-12:00", "saturday": None}
    assert opening_hours_text_ar(hours) == (
        "من الاثنين إلى الثلاثاء من 09:00 حتى 17:00 ومن الخميس إلى الجمعة من 10:00 حتى 12:00؛ "
        "والعيادة مغلقة أيام الأربعاء ومن السبت إلى الأحد"
    )
    every_day = {day: "10:00-18:00" for day in WEEKDAYS}
    assert opening_hours_text_ar(every_day) == "من الاثنين إلى الأحد من 10:00 حتى 18:00"
    assert opening_hours_text_ar({}) == "العيادة مغلقة من الاثنين إلى الأحد"


def test_missing_arabic_text_falls_back_to_english():
    data = _data()
    data["arabic"] = {"practitioners": [{"title": "استشارية أمراض جلدية"}, {}]}
    facts = ClinicFacts.from_mapping(data)
    values = template_values(facts, "ar")
    assert values["clinic_address"] == data["address"]
    assert values["instalments"] == data["payment"]["instalments"]
    assert values["payment_methods"] == "cash, debit and credit cards and Apple Pay"
    assert values["clinic_practitioners"] == (
        "Dr. Layla Haddad (استشارية أمراض جلدية) و Dr. Arjun Menon (Specialist Aesthetic Physician)")
    assert values["arrive_early"] == "10 دقائق"  # computed values are Arabic whatever the block holds
    assert {"clinic_address", "clinic_directions", "clinic_parking", "instalments"} <= set(arabic_fallbacks(facts))


def test_clinic_file_without_arabic_block_still_loads():
    data = _data()
    del data["arabic"]
    facts = ClinicFacts.from_mapping(data)
    assert facts.arabic == {}
    assert template_values(facts, "ar")["clinic_address"] == data["address"]


def test_consultation_price_in_arabic_reads_free_or_price():
    data = _data()
    data["services"]["consultation"]["price"] = 250
    assert template_values(ClinicFacts.from_mapping(data), "ar")["consultation_price"] == "250 درهم"


@pytest.mark.parametrize("arabic, match", [
    ({"adress": "x"}, "unknown keys"),
    ({"address": ""}, "address"),
    ({"practitioners": [{"name": "د. ليلى حداد"}]}, "same order"),
    ({"practitioners": [{"nom": "x"}, {}]}, "only name and title"),
    ({"services": {"facial": {"name": "x"}}}, "service keys"),
    ({"payment": {"methods": []}}, "methods"),
    ({"payment": {"instalment": "x"}}, "only methods and instalments"),
    ("نص", "mapping"),
])
def test_malformed_arabic_block_is_refused(arabic, match):
    data = _data()
    data["arabic"] = arabic
    with pytest.raises(ValueError, match=match):
        ClinicFacts.from_mapping(data)


def test_service_names(facts):
    assert service_name(facts, "mesotherapy_session") == "Scar-reduction mesotherapy session"
    assert service_name(facts, "mesotherapy_session", "ar") == "جلسة ميزوثيرابي لتخفيف الندبات"
    assert service_name(facts, "consultation", "ar") == "استشارة"


def _arabic_response_texts():
    files = [ROOT / "domain.yml", *sorted((ROOT / "data" / "responses").glob("*.yml"))]
    for path in files:
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
        for name, variations in responses.items():
            for variation in variations:
                conditions = variation.get("condition") or []
                if any(c.get("name") == "message_language" and c.get("value") == "ar" for c in conditions):
                    yield name, variation.get("text") or ""
                    for button in variation.get("buttons") or []:
                        yield f"{name} button", button.get("title") or ""


class _Keep(dict):
    def __missing__(self, key):  # values actions pass at run time ({when}, {reference}) stay as they are
        return "{" + key + "}"


def test_arabic_answers_filled_with_arabic_facts_have_no_english_units(arabic):
    """The reason for all this: "...قبل الموعد بـ10 minutes" must not happen again."""
    english_words = re.compile(r"\b(minutes?|hours?|months?|days?|free of charge|AED|Monday|closed|and)\b", re.I)
    texts = list(_arabic_response_texts())
    assert len(texts) > 50, "no Arabic variations found"
    for name, text in texts:
        # values actions pass at run time stay placeholders, and are left out like the
        # English line of the bilingual replies: only the filled-in facts count
        filled = re.sub(r"\{[^}]*\}", "", text.format_map(_Keep(arabic)))
        written = english_words.findall(re.sub(r"\{[^}]*\}", "", text))
        assert english_words.findall(filled) == written, f"{name}: {filled}"
