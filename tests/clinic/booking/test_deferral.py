"""Putting it off (clinic/booking/deferral.py): read from the words or the classifier's
``defer``; a no at a confirmation, leaving a form at any question, and the friendly
"message us when you're ready" answer with "nothing is booked"."""
import pytest

from clinic.booking.deferral import (BOOKING_DEFERRED, BOOKING_DEFERRED_NO_HOLD, NOT_BOOKED, NOT_BOOKED_NO_HOLD,
                                     Leaving, defers, left_the_booking, leaving_form, not_booked_response)
from clinic.booking.replies import Reply, read_reply

# the patients' words of issue 13's brief and our own variants (never training examples)
DEFERRALS = [
    "actually no, let me check with my husband first", "let me think about it", "i'll get back to u",
    "not now maybe later", "will confirm after i check my schedule", "wait let me ask my wife",
    "let me discuss with my family and revert", "i will think and tell you", "ok i will let u know",
    "maybe next month, will msg you", "give me some time to decide", "let me see my calendar and confirm",
    "hold on need to talk to my husband", "will come back to you tmrw", "not ready yet, later inshallah",
    "Let Me Think About It!!", "ok thanks, i'll get back to you",
    # Arabic and Arabizi
    "خليني أفكر وأرد عليك", "بشاور زوجي", "مو الحين", "khalni afakir w arja3lik ba3dain", "mo al7een",
]
NOT_DEFERRALS = [
    "", "   ", "yes please", "book it", "Amal Haddad", "0501234567", "tomorrow at 5", "/deny",
    "do i need to decide today?", "how long should i think about it before booking",
    "can i come back for a second session?", "later in the evening is better", "next week tuesday",
    "no", "stop", "should i stop retinol before?", "بعدين", "هل لازم اقرر الحين؟",
    "i want to book, my husband will come with me " + "and " * 20 + "let me know",
]


@pytest.mark.parametrize("text", DEFERRALS)
def test_deferrals_are_read_from_the_words(text):
    assert defers(text)


@pytest.mark.parametrize("text", NOT_DEFERRALS)
def test_questions_details_and_plain_answers_are_no_deferral(text):
    assert not defers(text)


def test_the_classifiers_defer_counts_whatever_the_words():
    assert defers("hmm", "defer")
    assert not defers("hmm", "out_of_scope")


@pytest.mark.parametrize("text", DEFERRALS)
def test_a_deferral_at_a_confirmation_is_a_no(text):
    assert read_reply(text, "out_of_scope", "book") is Reply.NO
    assert read_reply(text, None, "book") is Reply.NO


@pytest.mark.parametrize("text", ["will confirm after i check my schedule", "ok i will let u know",
                                  "let me see my calendar and confirm", "sure, but i'll get back to you"])
def test_a_yes_word_with_a_deferral_books_nothing(text):
    """"confirm" and "ok" are yes words: putting it off wins, since doing nothing can be undone."""
    assert read_reply(text, "affirm", "book") is not Reply.YES
    assert read_reply(text, "defer", "book") is Reply.NO


def test_the_classifiers_defer_is_a_no_when_the_words_say_nothing():
    assert read_reply("khalni afakir", "defer", "book") is Reply.NO


@pytest.mark.parametrize("slot", ["service", "slot_start", "patient_name", "patient_phone", "contact_consent",
                                  "booking_reference"])
def test_a_deferral_leaves_the_form_at_any_question(slot):
    assert leaving_form("let me think about it", None, slot) is Leaving.DEFER
    assert leaving_form("Noura Saeed", "defer", slot) is Leaving.DEFER


def test_stop_leaves_except_at_the_consent_question_and_the_opening_never_leaves():
    assert leaving_form("never mind", "deny", "patient_name") is Leaving.STOP
    assert leaving_form("no thanks", "deny", "contact_consent") is Leaving.STAY
    assert leaving_form("let me think about it", "defer", None) is Leaving.STAY
    assert leaving_form("Noura Saeed", "inform", "patient_name") is Leaving.STAY
    assert leaving_form("tomorrow at 5", "inform", "slot_start") is Leaving.STAY


def test_after_the_form_the_last_message_tells_whether_it_was_left():
    assert left_the_booking("i'll get back to u", "nlu_fallback")
    assert left_the_booking("never mind", "deny")
    assert not left_the_booking("yes thats fine", "affirm")
    assert not left_the_booking("/affirm", "affirm")


@pytest.mark.parametrize("text, intent, released, expected", [
    ("let me think about it", "defer", True, BOOKING_DEFERRED),
    ("i'll get back to u", "nlu_fallback", False, BOOKING_DEFERRED_NO_HOLD),
    ("no", "deny", True, NOT_BOOKED),
    ("never mind", "deny", False, NOT_BOOKED_NO_HOLD),
])
def test_the_answer_says_nothing_is_booked_and_is_friendly_to_a_deferral(text, intent, released, expected):
    assert not_booked_response(text, intent, released) == expected


def test_the_answers_exist_and_say_nothing_is_booked(domain):
    responses = domain["responses"]
    for name in (BOOKING_DEFERRED, BOOKING_DEFERRED_NO_HOLD, "utter_deferred"):
        english = [v["text"] for v in responses[name] if not v.get("condition")]
        arabic = [v["text"] for v in responses[name] if v.get("condition")]
        assert english and arabic, name
        if name != "utter_deferred":
            assert "Nothing is booked" in english[0] and "لم يُحجز" in arabic[0]
        assert "whenever you're ready" in english[0]


def test_cancel_it_drops_a_new_booking_but_not_a_cancel_or_a_move():
    for text in ("too expensive for me, cancel it pls", "cancel this booking", "pls cancel it"):
        assert leaving_form(text, None, "patient_name", new_booking=True) is Leaving.STOP, text
        assert leaving_form(text, None, "patient_phone") is Leaving.STAY, text  # the cancel form's request
        assert left_the_booking(text, None, new_booking=True) and not left_the_booking(text, None), text
    for text in ("can i cancel it later?", "what if i need to cancel it", "Noura Saeed"):
        assert leaving_form(text, None, "patient_name", new_booking=True) is Leaving.STAY, text
    assert leaving_form("cancel it", None, "contact_consent", new_booking=True) is Leaving.STAY
