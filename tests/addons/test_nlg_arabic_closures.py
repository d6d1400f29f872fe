"""utter_booking_holiday says the closure's name in Arabic in an Arabic conversation
(addons/nlg.py passes {reason} through clinic.localise with schedule.yml's reason_ar)."""
import asyncio
import re
from datetime import datetime

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons.nlg import ClinicResponseGenerator
from clinic.booking.dates import ZONE, describe

DAY = describe(datetime(2027, 12, 2, 10, 0, tzinfo=ZONE)).split(" at ")[0]  # as clinic.booking.offer writes it
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(scope="module")
def generator(all_responses):
    return ClinicResponseGenerator(domain=Domain.from_dict({"responses": all_responses}))


def holiday_text(generator, said, reason):
    tracker = DialogueStateTracker.from_events("s", [])
    tracker.update(UserUttered(said, intent={"name": "check_availability", "confidence": 1.0}))
    return asyncio.run(generator.generate("utter_booking_holiday", tracker, "rest", when=DAY, reason=reason))["text"]


def test_a_holiday_in_an_arabic_conversation(generator):
    text = holiday_text(generator, "عندكم موعد يوم ٢ ديسمبر؟", "National Day")
    assert "اليوم الوطني" in text and "الخميس 2 ديسمبر" in text
    assert not LATIN_WORD.search(text), text


def test_a_holiday_in_arabizi_is_answered_in_arabic(generator):
    text = holiday_text(generator, "fe maw3ed yom el eid?", "Eid al-Fitr")
    assert "عيد الفطر" in text and not LATIN_WORD.search(text), text


def test_a_holiday_in_an_english_conversation_keeps_its_english_name(generator):
    text = holiday_text(generator, "anything free on 2 December?", "National Day")
    assert "National Day" in text and DAY in text
