"""Issue 16 item 3: the check-in offer at the booking confirmation (clinic/booking/checkin_offer.py)."""
from __future__ import annotations

import pytest

from clinic.aftercare.checkins import optin_status, opt_out
from clinic.aftercare.models import AftercareOptIn
from clinic.booking import checkin_offer
from clinic.booking.replies import Reply
from tests.actions.aftercare_fixtures import NOW, WA, clinic_sessions


@pytest.fixture
def factory(tmp_path):
    with clinic_sessions(tmp_path) as made:
        yield made


@pytest.mark.parametrize("conversation, offered", [(WA, True), ("web-" + "a" * 32, False), ("rest-" + "b" * 32, False),
                                                   ("tw-971501234567", False), ("conv-book-d01-1234", False),
                                                   ("", False)])
def test_offered_only_on_whatsapp(factory, conversation, offered):
    with factory() as session:
        assert checkin_offer.offer_at_booking(session, conversation) is offered


def test_never_offered_again_once_answered_or_stopped(factory):
    with factory.begin() as session:
        opt_out(session, WA, "chat", NOW)  # "stop" earlier
    with factory() as session:
        assert not checkin_offer.offer_at_booking(session, WA)


@pytest.mark.parametrize("text, intent, wanted", [
    ("/affirm", "affirm", Reply.YES), ("yes please", "affirm", Reply.YES), ("ok", "affirm", Reply.YES),
    ("ايوه", "affirm", Reply.YES), ("no thanks", "deny", Reply.NO), ("/deny", "deny", Reply.NO),
    ("la shukran", "deny", Reply.NO), ("how long does a session take?", "faq", Reply.UNSURE),
])
def test_the_reply_is_read_in_words(text, intent, wanted):
    assert checkin_offer.reading(text, intent) is wanted


def test_yes_opts_in_from_the_booking(factory):
    with factory.begin() as session:
        assert checkin_offer.record_reply(session, WA, Reply.YES, "ar", NOW) is True
    with factory() as session:
        row = session.get(AftercareOptIn, WA)
        assert (row.opted_in, row.source, row.language) == (True, "booking", "ar")


def test_no_is_recorded_and_never_asked_again(factory):
    with factory.begin() as session:
        assert checkin_offer.record_reply(session, WA, Reply.NO, "en", NOW) is False
    with factory() as session:
        assert optin_status(session, WA) is False
        assert not checkin_offer.offer_at_booking(session, WA)


@pytest.mark.parametrize("conversation, reply", [(WA, Reply.UNSURE), ("web-" + "a" * 32, Reply.YES)])
def test_nothing_recorded_when_unsure_or_off_whatsapp(factory, conversation, reply):
    with factory.begin() as session:
        assert checkin_offer.record_reply(session, conversation, reply, "en", NOW) is None
    with factory() as session:
        assert optin_status(session, conversation) is None
