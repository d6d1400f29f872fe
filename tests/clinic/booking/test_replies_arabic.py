"""Yes/no/unsure/stop/change-of-time replies in Arabic (Gulf and MSA) and Arabizi
(clinic/booking/replies.py), mirroring tests/clinic/booking/test_replies.py."""
import pytest

from clinic.booking.replies import Reply, changes_the_time, read_reply, read_words, wants_to_stop

YES = ["نعم", "ايوه", "إيه", "اي", "اي نعم", "أكيد", "تمام", "اوكي", "طيب", "زين", "موافق", "نعم احجز",
       "تمام احجزه", "ايوووه", "خلاص احجز", "ثبت الموعد", "لا بأس", "لا مانع", "ما في مشكلة", "مو مشكلة",
       "ليش لا", "نَعَم", "نعم، شكراً", "ee", "eeee", "aywa", "tamam", "akeed", "na3am", "ok tamam",
       "mafi mushkila", "aiwa a7jiz", "اي والله", "ايوه ان شاء الله", "yes inshallah",
       "زين", "طيب تمام", "zain"]
NO = ["لا", "لأ", "لاااا", "لا شكرا", "مو الحين", "مب الحين", "ما ابي", "ما أبغى", "لا ما أريد", "مو",
      "كلا", "بعدين", "خلاص لا", "تمام بس خلني أشاور زوجي أول", "ايوه بس مو الحين", "لا، كم السعر؟",
      "la", "la2", "laa shukran", "mabi", "mo al7een", "ba3dain", "ee bas ba3dain"]
UNSURE = ["مو متأكد", "ما ادري", "مدري", "يمكن", "ان شاء الله", "خلاص", "اي وقت", "هل لا يوجد موعد بعد العصر؟",
          "هل لا يوجد موعد بعد العصر", "ليش ما في مواعيد ثانية؟", "تمام بس يوجع؟", "نعم بس هل يوجع؟",
          "كم السعر؟", "شكرا", "سارة أحمد", "بكرة الساعة ٥", "نعم لا", "madri", "inshallah", "yimkin",
          "kam el se3r la?", "khalas", "اي نوع ندبات يعالج", "تمام؟", "aywa?", "ay naw3 el meso",
          "وجهي منتفخ وما أقدر أتنفس زين", "تم خصم مبلغ مرتين", "يلا مع السلامة", "يوجع ولا لا",
          "el 7o8an tooja3 wala la"]


@pytest.mark.parametrize("text", YES)
def test_yes_in_arabic_and_arabizi(text):
    assert read_reply(text, "inform", "book") is Reply.YES


@pytest.mark.parametrize("text", NO)
def test_no_in_arabic_and_arabizi(text):
    assert read_reply(text, "inform", "book") is Reply.NO


@pytest.mark.parametrize("text", UNSURE)
def test_unclear_arabic_replies_are_asked_again(text):
    assert read_reply(text, "inform", "book") is Reply.UNSURE


def test_a_no_inside_a_question_is_no_answer_even_if_the_classifier_says_deny():
    assert read_reply("هل لا يوجد موعد بعد العصر؟", "deny", "book") is Reply.UNSURE
    assert read_reply("ليش لا يوجد موعد ثاني", "deny", "book") is Reply.UNSURE  # no question mark
    assert read_reply("لا", "deny", "book") is Reply.NO


def test_the_question_decides_what_cancel_and_keep_mean_in_arabic():
    assert read_words("نعم ألغيه", "cancel") is Reply.YES
    assert read_words("ألغيه", "cancel") is Reply.YES
    assert read_words("اي ألغيه", "cancel") is Reply.YES
    assert read_words("كنسله", "cancel") is Reply.YES
    assert read_words("alghi", "cancel") is Reply.YES
    assert read_words("ألغيه", "book") is Reply.NO
    assert read_words("لا تلغيه", "cancel") is Reply.NO
    assert read_words("لا خليه", "cancel") is Reply.NO
    assert read_words("خليه", "cancel") is Reply.NO
    assert read_words("la tlghih", "cancel") is Reply.NO
    assert read_words("خليه", "book") is Reply.UNSURE
    assert read_words("ايوه غيره", "reschedule") is Reply.YES
    assert read_words("لا خليه زي ما هو", "reschedule") is Reply.NO
    assert read_words("لا تغيره", "reschedule") is Reply.NO


def test_the_classifier_settles_arabic_words_the_list_does_not_know_but_never_overrides_them():
    assert read_reply("يعطيك العافية سوها", "affirm") is Reply.YES
    assert read_reply("لا", "affirm") is Reply.UNSURE  # disagreement: ask again
    assert read_reply("نعم", "deny") is Reply.UNSURE
    assert read_reply("هل هو آمن", "affirm") is Reply.UNSURE  # a question, even without "؟"
    assert read_reply("ان شاء الله", "affirm") is Reply.UNSURE


def test_english_replies_are_read_as_before():
    assert read_reply("no", "inform") is Reply.NO
    assert read_reply("ok but is it painful?", "inform") is Reply.UNSURE
    assert read_reply("why not", "inform") is Reply.YES


@pytest.mark.parametrize("text,expected", [
    ("لحظة، ممكن نخليها السبت الصبح بدال؟", True),
    ("الثلاثاء أحسن", True),
    ("آسف، خليه يوم الأحد", True),
    ("ممكن وقت ثاني بعد العصر", True),
    ("ba3d bukra a7san", True),
    ("badal el sabt", True),
    ("سارة أحمد", False),
    ("٠٥٠١٢٣٤٥٦٧", False),
    ("نعم", False),
])
def test_a_change_of_time_is_recognised_in_arabic(text, expected):
    assert changes_the_time(text) is expected


@pytest.mark.parametrize("text,expected", [
    ("وقف", True), ("توقف", True), ("خلاص", True), ("انسى الموضوع", True), ("لا خلاص", True),
    ("ما ابي", True), ("خلاص ما أبي", True), ("غيرت رأيي", True), ("مو مهم", True), ("لا شكرا", True),
    ("wagf", True), ("khalas", True), ("mabi", True), ("ensa", True),
    ("ما ابي الصبح، ابي العصر", False),  # a wish about the time
    ("ما عندي رقم الحجز", False), ("لا", False), ("هل أوقف الريتينول قبل الجلسة؟", False),
    ("سارة أحمد", False), ("٠٥٠١٢٣٤٥٦٧", False), ("خلاص احجز", False), ("وقف " + "لو سمحت " * 10, False),
])
def test_leaving_a_form_in_arabic(text, expected):
    assert wants_to_stop(text) is expected


def test_long_or_odd_arabic_input_is_safe():
    assert read_reply("نعم " * 500, "inform") is Reply.YES
    assert read_reply("؟؟؟", "affirm") is Reply.UNSURE
    assert read_reply("ـــ", "inform") is Reply.UNSURE
    assert wants_to_stop("؟") is False


@pytest.mark.parametrize("text,expected", [
    # "thanks, leave it for another time" at the offered times (helper tries6)
    ("شكرا، خليها مرة ثانية", True), ("خليها مرة ثانية ان شاء الله", True), ("khaliha mara thanya", True),
    ("thanks maybe another time", True), ("ok some other time", True),
    ("can i have another time", False), ("خليها الساعة ٥", False), ("مرة ثانية", False),
])
def test_leaving_for_another_time(text, expected):
    assert wants_to_stop(text) is expected
