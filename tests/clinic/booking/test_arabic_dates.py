"""Arabic and Arabizi days and times give what the same words in English give.

Now is Thursday 26 November 2026, 11:00 in Dubai (tests/clinic/booking/conftest.py).
"""
from datetime import datetime, time, timedelta

import pytest

from clinic.booking import request
from clinic.booking.arabic_dates import needs_reading, to_english
from clinic.booking.arabic_format import arabic_when, describe_ar, describe_day_ar, describe_window_ar
from clinic.booking.dates import ZONE, describe, describe_in, describe_window, resolve
from tests.clinic.booking.conftest import NOW
from tests.clinic.booking.test_dates import OPENING, fmt

# Arabic or Arabizi -> the English words that must resolve the same
SAME_AS = [
    ("بكرة الساعة ٥", "tomorrow at 5"),
    ("بكره الساعه 5", "tomorrow at 5"),
    ("باچر الساعة ١٠", "tomorrow at 10"),
    ("غداً الساعة 4 م", "tomorrow 4pm"),
    ("بعد بكرة الصبح", "day after tomorrow morning"),
    ("بعد باچر", "day after tomorrow"),
    ("يوم السبت الساعة ١١ ونص", "saturday at 11:30"),
    ("السبت الساعة 11 وربع", "saturday 11:15"),
    ("السبت الساعة ١٢ الا ربع", "saturday 11:45"),
    ("الاثنين الساعة ٣ ونص العصر", "monday 3:30pm"),
    ("الإثنين ١٠ ص", "monday 10am"),
    ("الخميس الجاي", "thursday"),
    ("الخميس الأسبوع الجاي", "next thursday"),
    ("السبت اللي بعده", "next saturday"),
    ("الجمعة بالليل", "friday evening"),
    ("الجمعة المسا", "friday evening"),
    ("الجمعة الساعة ٨ بالليل", "friday 8pm"),
    ("اليوم", "today"),
    ("الليلة", "tonight"),
    ("بكرة الظهر", "lunchtime tomorrow"),
    ("بكرة بعد الظهر", "tomorrow afternoon"),
    ("الأسبوع الجاي", "next week"),
    ("الاسبوع القادم", "next week"),
    ("هذا الأسبوع", "this week"),
    ("نهاية الأسبوع", "this weekend"),
    ("الشهر الجاي", "next month"),
    ("بعد ٣ أيام", "in 3 days"),
    ("بعد أسبوع", "in a week"),
    ("١٥ ديسمبر", "15 december"),
    ("٥ يناير الساعة ٦ المسا", "5 january 6pm"),
    ("١١/١٢", "11/12"),
    ("أمس", "yesterday"),
    ("أقرب موعد", "earliest"),
    ("الساعة خمسة", "at 5"),
    ("الساعة الحادية عشرة", "at 11"),
    ("ممكن موعد بكرة الساعه ٤:٣٠ العصر؟", "tomorrow 4:30pm"),
    # Arabizi
    ("bukra 5 l3asr", "tomorrow 5pm"),
    ("bokra el sa3a 10", "tomorrow at 10"),
    ("ba3d bukra el sob7", "day after tomorrow morning"),
    ("el sabt el sa3a 11 w nus", "saturday at 11:30"),
    ("el 5amis el jay", "thursday"),
    ("yom el jum3a bel lail", "friday evening"),
    ("el esbo3 el jay", "next week"),
    ("elyom", "today"),
]


@pytest.mark.parametrize("arabic, english", SAME_AS, ids=[a for a, _ in SAME_AS])
def test_reads_as_the_english_words(arabic, english):
    said, meant = resolve(arabic, NOW, OPENING), resolve(english, NOW, OPENING)
    assert meant.status != "unknown", english  # the table itself is sensible
    assert (said.status, said.start, said.end, said.exact, said.earliest) == \
        (meant.status, meant.start, meant.end, meant.exact, meant.earliest)


@pytest.mark.parametrize("text, start, end", [
    # asr: 15:30-18:00
    ("الخميس الجاي بعد العصر", "2026-11-26 15:30", "2026-11-26 18:00"),
    ("بكرة العصر", "2026-11-27 15:30", "2026-11-27 18:00"),
    ("bukra l3asr", "2026-11-27 15:30", "2026-11-27 18:00"),
    # maghrib: 18:00-20:30
    ("السبت بعد المغرب", "2026-11-28 18:00", "2026-11-28 20:30"),
    ("el sabt ba3d el maghrib", "2026-11-28 18:00", "2026-11-28 20:30"),
    ("بكرة الصباح", "2026-11-27 08:00", "2026-11-27 12:00"),
])
def test_parts_of_the_day(text, start, end):
    query = resolve(text, NOW, OPENING)
    assert query.ok and not query.exact
    assert (fmt(query.start), fmt(query.end)) == (start, end)


@pytest.mark.parametrize("text, hour, minute", [
    ("بكرة الساعة ٥", 17, 0), ("بكرة ٥ العصر", 17, 0), ("بكرة ٥م", 17, 0), ("بكرة 9 ص", 9, 0),
    ("بكرة الساعة ١٠ بالليل", 22, 0), ("بكرة الساعة ١٠ الصبح", 10, 0), ("بكرة الساعة ٢ الظهر", 14, 0),
    ("bukra 5 l3asr", 17, 0), ("bukra el sa3a 4 w rub3", 16, 15), ("bukra el sa3a 5 illa rub3", 16, 45),
])
def test_clock_times(text, hour, minute):
    query = resolve(text, NOW, OPENING)
    assert query.ok and query.exact
    assert query.start == datetime(2026, 11, 27, hour, minute, tzinfo=ZONE)


def test_after_a_time_is_a_lower_bound():
    query, not_before = request.preference("بكرة بعد الساعة ٥", NOW, OPENING)
    assert not_before == time(17) and query.start == datetime(2026, 11, 27, 17, tzinfo=ZONE)
    query, not_before = request.preference("bukra ba3d el dawam", NOW, OPENING)
    assert not_before == time(17) and query.ok


@pytest.mark.parametrize("text", [
    "مساء الخير", "صباح الخير، كم سعر الجلسة؟", "مرحبا", "ابي احجز", "masa el 5er", "كم سعر الجلسة",
    "اسمي صباح", "خميس الكعبي", "جمعة المهيري", "Masa Ali", "Sabah Haddad",
])
def test_greetings_names_and_questions_are_no_time(text):
    assert resolve(text, NOW, OPENING).status == "unknown"


def test_english_text_is_left_alone():
    for text in ["tomorrow at 5", "see you at 5pm on the 2nd", "Priya Nair 050 987 6543", "next thursday"]:
        assert not needs_reading(text) and to_english(text) == text


@pytest.mark.parametrize("text", ["ba3d el dhuhr", "بعد الظهر"])
def test_a_part_of_the_day_after_an_iso_date_stays_on_that_date(text):
    # the form puts the day said before in front ("2026-12-03 ba3d el dhuhr", after "yom el khamees"):
    # the day of the month of that date is no clock time ("21" was read as 21:00 today)
    query = resolve(f"2026-12-03 {text}", NOW, OPENING)
    assert (fmt(query.start), fmt(query.end)) == ("2026-12-03 12:00", "2026-12-03 17:00")


def test_numbers_that_are_not_times_stay():
    assert "0501234567" in to_english("رقمي ٠٥٠١٢٣٤٥٦٧")
    assert to_english("عندي 3 أسئلة").split()[1] == "3"


def test_bad_input_gives_no_time_and_no_error():
    for text in ["", None, "ساعة" * 500, "الساعة 99", "الساعة ٢٥ ونص", "٣١ فبراير", "😀", "‏"]:
        query = resolve(text or "", NOW, OPENING)
        assert query.status in ("unknown", "invalid", "ok")
    assert resolve("الساعة ٢٥", NOW, OPENING).status in ("unknown", "invalid")
    assert resolve("٣١ فبراير", NOW, OPENING).status == "invalid"


def test_the_services_and_a_whole_arabic_request():
    said = request.read_request("ابي احجز استشارة بكرة الساعة ٥، اسمي محمد علي ورقمي ٠٥٠١٢٣٤٥٦٧", NOW, OPENING)
    assert said.service == "consultation"
    assert said.when and said.when.start == datetime(2026, 11, 27, 17, tzinfo=ZONE) and said.when.exact
    assert said.phone == "+971501234567"
    assert said.name == "محمد علي"
    assert request.service_key("جلسة") == "mesotherapy_session"
    assert request.service_key("استشارة") == "consultation"
    assert not request.is_booking_request("كم سعر الجلسة بكرة؟", NOW)


# --------------------------------------------------------------------------- Arabic output

def test_describe_in_arabic():
    dt = datetime(2027, 1, 19, 11, 0, tzinfo=ZONE)  # a Tuesday
    assert describe_ar(dt) == "الثلاثاء 19 يناير الساعة 11:00 صباحًا"
    assert describe_ar(dt, short=True) == "الثلاثاء 19 يناير، 11:00 ص"
    assert describe_ar(dt.replace(hour=12, minute=30)) == "الثلاثاء 19 يناير الساعة 12:30 ظهرًا"
    assert describe_ar(dt.replace(hour=17, minute=45)) == "الثلاثاء 19 يناير الساعة 5:45 مساءً"
    assert describe_in(dt, "en") == describe(dt) and describe_in(dt, "ar") == describe_ar(dt)
    day = datetime(2026, 11, 27, tzinfo=ZONE)
    assert describe_window_ar(day.replace(hour=8), day.replace(hour=12)) == \
        "الجمعة 27 نوفمبر، من 8:00 صباحًا حتى 12:00 ظهرًا"
    assert describe_window_ar(day, day + timedelta(days=1)) == "الجمعة 27 نوفمبر"
    assert not any("a" <= ch.lower() <= "z" for ch in describe_ar(dt) + describe_ar(dt, short=True))


def test_arabic_when_reads_back_every_english_description():
    start = datetime(2027, 1, 1, 0, 0, tzinfo=ZONE)
    for step in range(0, 365 * 24 * 4, 37):  # a year of times, every 9h15
        dt = start + timedelta(minutes=15 * step)
        assert arabic_when(describe(dt)) == describe_ar(dt)
        assert arabic_when(describe(dt, short=True)) == describe_ar(dt, short=True)
        later = dt + timedelta(hours=3)
        assert arabic_when(describe_window(dt, later)) == describe_window_ar(dt, later)
        assert arabic_when(describe(dt).split(" at ")[0]) == describe_ar(dt).split(" الساعة ")[0]


def test_a_day_in_arabic():
    assert describe_day_ar(datetime(2026, 12, 5).date()) == "السبت 5 ديسمبر"
    assert describe_day_ar(datetime(2027, 12, 4).date(), with_year=True) == "السبت 4 ديسمبر 2027"


def test_arabic_when_other_shapes():
    assert arabic_when("Tuesday 1 December 2027") == "الثلاثاء 1 ديسمبر 2027"
    assert arabic_when("today at 14:00") == "اليوم الساعة 14:00"
    assert arabic_when("tomorrow at 10:00") == "غدًا الساعة 10:00"
    assert arabic_when("on Monday at 10:00") == "يوم الاثنين الساعة 10:00"
    for text in ["NS-7K3D", "Priya Nair", "+971501234567", "National Day", "", "Sunday funday at 5"]:
        assert arabic_when(text) == text
    assert arabic_when(None) is None
