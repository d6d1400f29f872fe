"""clinic.nlu.parts: a message that carries a question and a booking request, or two questions."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from clinic.nlu.parts import PARSE_KEY, Parts, Plan, booking_request, cut, plan_of, read, split

DUBAI = ZoneInfo("Asia/Dubai")
NOW = datetime(2027, 1, 17, 11, 0, tzinfo=DUBAI)  # Sunday 11:00 (the clinic closed)
THRESHOLD = 0.85


@pytest.mark.parametrize("text, parts", [
    ("how long is the mesotherapy session and can i come saturday for one",
     ["how long is the mesotherapy session", "can i come saturday for one"]),
    ("how much is it, does it hurt, and can u book me for saturday 2pm",
     ["how much is it", "does it hurt", "can u book me for saturday 2pm"]),
    ("can i come tmrw 5pm? also does it hurt", ["can i come tmrw 5pm", "does it hurt"]),
    ("i want consultation on thursday afternoon. btw is there parking?",
     ["i want consultation on thursday afternoon", "is there parking"]),
    ("hi, how much is it", ["how much is it"]),  # a greeting is no part
    ("scars and marks on my cheek", ["scars and marks on my cheek"]),  # "and" between nouns joins
    # a part that only names its topic belongs to the question after it
    ("the bruise on my cheek, how long till it goes", ["the bruise on my cheek, how long till it goes"]),
    ("my acne scars. the price for 4 sessions?", ["my acne scars, the price for 4 sessions"]),
    ("the redness is still there, can i go to the gym", ["the redness is still there", "can i go to the gym"]),
    # a short question with no verb continues the one before it
    ("how many treatments do people usually need and how far apart",
     ["how many treatments do people usually need, how far apart"]),
    ("how much is it and how long does it take", ["how much is it", "how long does it take"]),
    ("", []),
])
def test_a_message_is_cut_at_its_joints(text, parts):
    assert split(text) == parts


@pytest.mark.parametrize("text, booking", [
    ("how long is the mesotherapy session and can i come saturday for one", 1),
    ("does it hurt a lot? i want to book a session thursday evening", 1),
    ("can i come tmrw 5pm for the consultation? also does it hurt", 0),
    ("shu el se3r lel jalsa? w abi maw3ed esteshara yom el thulatha", 1),
    # no booking part: questions only, a day asked about, a report, a booking of something else
    ("how much is a session and do you open on friday?", None),
    ("my face is still red from the session on friday, is it normal? can i go to gym tomorrow", None),
    ("how much is it? can i come back to work tomorrow", None),
    ("is it safe? and can you book me a table for 2 tonight", None),
])
def test_the_part_that_asks_to_book(text, booking):
    assert cut(text, NOW).booking == booking


def test_a_message_of_one_part_is_not_worth_reading_again():
    assert not cut("book me a consultation tomorrow 5pm", NOW).worth_reading
    parts = cut("does it hurt? i want to book a session thursday evening", NOW)
    assert parts.worth_reading and parts.others == ["does it hurt"]


def test_the_plan_answers_the_questions_read_surely_and_books_when_asked():
    parts = Parts(["how much is it", "does it hurt", "can u book me for saturday 2pm"], booking=2)
    plan = read(parts, [("faq", 0.97, "faq/price"), ("faq", 0.91, "faq/pain")], ("nlu_fallback", 0.5, None),
                THRESHOLD)
    assert plan == Plan(["faq/price", "faq/pain"], True) and plan.several
    unsure = read(parts, [("faq", 0.97, "faq/price"), ("faq", 0.6, "faq/pain")], ("faq", 0.7, "faq/price"),
                  THRESHOLD)
    assert unsure.answers == ["faq/price"]  # an unsure part is not answered on a guess
    same = read(Parts(["how much is it", "whats the price"]), [("faq", 0.95, "faq/price")] * 2,
                ("faq", 0.99, "faq/price"), THRESHOLD)
    assert same.answers == ["faq/price"] and not same.several  # one answer: the usual rule serves


def test_the_whole_message_answers_when_no_part_alone_is_sure():
    parts = Parts(["how long is the mesotherapy session", "can i come saturday for one"], booking=1)
    plan = read(parts, [("faq", 0.7, "faq/session_duration")], ("faq", 0.9, "faq/session_duration"), THRESHOLD)
    assert plan == Plan(["faq/session_duration"], True)
    assert not read(parts, [("inform", 0.9, None)], ("nlu_fallback", 0.4, None), THRESHOLD).several


def test_the_plan_travels_on_the_parse():
    assert plan_of({PARSE_KEY: {"answers": ["faq/pain"], "book": True}}) == Plan(["faq/pain"], True)
    assert plan_of({PARSE_KEY: {"answers": ["faq/pain"], "book": False}}) is None  # one thing
    assert plan_of({PARSE_KEY: {"answers": ["utter_greet", "faq/pain"], "book": False}}) is None
    assert plan_of({}) is None and plan_of(None) is None and plan_of({PARSE_KEY: "x"}) is None


def test_the_booking_part_names_the_service_and_the_day():
    said = booking_request("shu el se3r lel jalsa? w abi maw3ed esteshara yom el thulatha", NOW)
    assert said.service == "consultation" and said.when is not None
    assert f"{said.when.start:%a}" == "Tue"
    whole = booking_request("Hi my name is Salma Yusuf, mob 0554433221, want a meso session on saturday morning", NOW)
    assert (whole.service, whole.name, whole.phone) == ("mesotherapy_session", "Salma Yusuf", "+971554433221")
    assert f"{whole.when.start:%a}" == "Sat"
