"""Yes/no replies at a confirmation, in the patient's words (clinic/booking/replies.py)."""
import pytest

from clinic.booking.replies import Reply, read_reply, read_words

YES = ["yes", "yes please", "go ahead", "ok do it", "okkk", "Yesss", "sure, book it",
       "yeah that's fine", "ok", "yep go for it", "confirm", "haan please", "no problem, go ahead", "👍",
       "ya pls", "alright then", "perfect thanks"]
NO = ["no", "nope", "not now", "let me check first", "actually no, let me check with my husband first",
      "no thanks", "stop", "never mind", "nvm", "start again", "wait", "hold on, I'll ask my wife",
      "i changed my mind", "nah leave it", "dont book", "not yet", "maybe later"]
UNSURE = ["thanks", "", "   ", "hmm", "not sure", "what time was it again?", "is it painful?",
          "ok but is it painful?", "Amal Haddad", "tomorrow at 5", "yes no", "maybe"]


@pytest.mark.parametrize("text", YES)
def test_yes_in_words(text):
    assert read_reply(text, "inform", "book") is Reply.YES


@pytest.mark.parametrize("text", NO)
def test_no_in_words(text):
    assert read_reply(text, "inform", "book") is Reply.NO


@pytest.mark.parametrize("text", UNSURE)
def test_unclear_replies_are_asked_again(text):
    assert read_reply(text, "inform", "book") is Reply.UNSURE


def test_the_question_decides_what_cancel_and_keep_mean():
    assert read_words("yes cancel it", "cancel") is Reply.YES
    assert read_words("cancel it", "cancel") is Reply.YES
    assert read_words("cancel it", "book") is Reply.NO
    assert read_words("no keep it", "cancel") is Reply.NO
    assert read_words("don't cancel", "cancel") is Reply.NO
    assert read_words("keep it", "reschedule") is Reply.NO
    assert read_words("yes move it", "reschedule") is Reply.YES


def test_buttons_are_taken_at_their_intent():
    assert read_reply("/affirm", "affirm") is Reply.YES
    assert read_reply("/deny", "deny") is Reply.NO
    assert read_reply("/inform{\"service\": \"consultation\"}", "inform") is Reply.UNSURE


def test_the_classifier_settles_words_the_list_does_not_know_but_never_overrides_them():
    assert read_reply("bas, proceed with it", "affirm") is Reply.YES
    assert read_reply("rather keep my slot for now", "deny") is Reply.NO
    assert read_reply("nope", "affirm") is Reply.UNSURE  # disagreement: ask again
    assert read_reply("is it safe?", "affirm") is Reply.UNSURE
    assert read_reply("thanks", "thank") is Reply.UNSURE


def test_long_or_odd_input_is_safe():
    assert read_reply("yes " * 500, "inform") is Reply.YES
    assert read_reply(None, None) is Reply.UNSURE
    assert read_reply("'; DROP TABLE x; --", "inform") is Reply.UNSURE


def test_only_a_clear_yes_changes_anything_and_unclear_is_asked_once():
    from clinic.booking.replies import Step, next_step

    assert next_step(Reply.YES, asked_again=False) is Step.DO
    assert next_step(Reply.YES, asked_again=True) is Step.DO
    assert next_step(Reply.NO, asked_again=False) is Step.KEEP
    assert next_step(Reply.UNSURE, asked_again=False) is Step.ASK_AGAIN
    assert next_step(Reply.UNSURE, asked_again=True) is Step.KEEP


@pytest.mark.parametrize("text,expected", [
    ("wait sorry, can we make it saturday morning instead?", True),
    ("actually tuesday would be better", True),
    ("how about friday at 5", True),
    ("Amal Haddad", False),
    ("0501234567", False),
])
def test_a_change_of_time_is_recognised(text, expected):
    from clinic.booking.replies import changes_the_time

    assert changes_the_time(text) is expected


@pytest.mark.parametrize("text,expected", [
    ("stop", True), ("never mind", True), ("start again", True), ("nvm forget it", True),
    ("actually i changed my mind", True), ("should i stop retinol before?", False),
    ("Priya Nair", False), ("0501234567", False), ("/deny", False),
    ("stop " + "please " * 20, False),
    ("nvm i will check my schedule and come back", True), ("ok let me check with my husband and get back to you", True),
    ("i'll call later to book", True), ("when can i come back for the second session?", False),
    ("Lavanya Subramaniam", False), ("tuesday after 4", False),
    ("actually no its fine, dont book, i'll see how it goes", True), ("no need to book, thanks", True),
    ("dont book the morning one, evening is better", False),
    # a question, then a stop: what follows the question counts
    ("😳 3400?? no thanks, leave it", True), ("can i stop? i mean the retinol", False),
    ("is it ok to stop retinol? thanks", False),
])
def test_leaving_a_form(text, expected):
    from clinic.booking.replies import wants_to_stop

    assert wants_to_stop(text) is expected


@pytest.mark.parametrize("text, expected", [("ok", True), ("great thanks", True), ("Perfect!", True), ("تمام", True),
                                            ("yes ok", True), ("Zain", False), ("Amal Haddad", False),
                                            ("ok 0501234567", False), ("Okay Nair", False)])
def test_a_bare_acknowledgement_is_told_from_a_name(text, expected):
    from clinic.booking.replies import acknowledges

    assert acknowledges(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("ok fine u can keep my number, book it", True), ("yes keep my number", True), ("ok book it", True),
    ("yes", False), ("ok", False),                       # a bare yes says too little after a no
    ("can you keep my number?", False), ("no dont keep my number", False),
])
def test_consent_given_after_refusing_it(text, expected):
    from clinic.booking.replies import consents_after_refusing

    assert consents_after_refusing(text) is expected
