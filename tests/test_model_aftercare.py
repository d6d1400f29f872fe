"""Replies to check-ins and reminders on the trained model: the templates' quick-reply payloads
and typed "stop" / "all good" reach their intents; a reply describing a warning sign is still
the triage's urgent_symptom; other replies keep their usual intents (the normal conversation).

``AFTERCARE_TEST_MODEL`` points at another model (a private training); default
models/current.tar.gz."""
import os
from pathlib import Path

import pytest

from clinic.aftercare.messages import QUICK_REPLIES
from tests.conftest import ROOT, model_parser

pytestmark = pytest.mark.model
MODEL = Path(os.environ.get("AFTERCARE_TEST_MODEL") or ROOT / "models" / "current.tar.gz")


@pytest.fixture(scope="module")
def parse(request):
    if os.environ.get("AFTERCARE_TEST_MODEL"):
        yield from model_parser(MODEL)
    else:  # models/current.tar.gz: the session's, loaded once (tests/conftest.py)
        yield request.getfixturevalue("model_parse")


PAYLOAD_INTENTS = {"all good": "aftercare_all_good", "stop": "aftercare_stop", "كل شيء بخير": "aftercare_all_good",
                   "توقف": "aftercare_stop", "I'll be there": "aftercare_all_good", "نعم، سأحضر": "aftercare_all_good",
                   "reschedule my appointment": "reschedule_appointment",
                   "cancel my appointment": "cancel_appointment", "أريد تغيير موعدي": "reschedule_appointment",
                   "أريد إلغاء موعدي": "cancel_appointment"}


def test_every_quick_reply_payload_is_understood(parse):
    payloads = {p for ps in QUICK_REPLIES.values() for p in ps}
    assert payloads == set(PAYLOAD_INTENTS)
    wrong = {p: parse(p)["intent"]["name"] for p in payloads}
    assert {p: i for p, i in wrong.items() if i != PAYLOAD_INTENTS[p]} == {}


# (a bare "إلغاء" / "الغاء", "cancellation", is as much "cancel my appointment" as "stop the
# messages": the model may fall back on it, and the check-in's own button sends "توقف")
@pytest.mark.parametrize("text", ["stop", "STOP", "Stop", "stop please", "unsubscribe", "توقف",
                                  "stop sending me these messages"])
def test_stop_in_english_and_arabic(parse, text):
    assert parse(text)["intent"]["name"] == "aftercare_stop"


@pytest.mark.parametrize("text", ["all good", "All good thanks", "all good, no problems"])
def test_all_good(parse, text):
    assert parse(text)["intent"]["name"] == "aftercare_all_good"


@pytest.mark.parametrize("text", [
    "it's day 3 and my cheek is hot, red and there is pus coming out",
    "the area is getting more swollen and now I have a fever",
    "I can't breathe properly and my lips are swelling",
])
def test_a_warning_sign_in_a_reply_goes_to_the_triage(parse, text):
    assert parse(text)["intent"]["name"] == "urgent_symptom"


@pytest.mark.parametrize("text, intent", [
    ("no no I'm fine", "deny"), ("should I stop retinol before my next session?", "faq"),
    ("I want to cancel my booking", "cancel_appointment"),
])
def test_other_replies_keep_their_usual_intent(parse, text, intent):
    assert parse(text)["intent"]["name"] == intent
