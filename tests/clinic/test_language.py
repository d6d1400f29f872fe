import pytest

from clinic.language import (
    conversation_language, detect, message_language, normalise_arabic, switch_request,
)
from clinic.triage import arabic


@pytest.mark.parametrize("text, expected", [
    ("hi", "en"), ("ok", "en"), ("how much", "en"), ("Hello, how much is a session?", "en"),
    ("see you at 5pm on the 2nd", "en"), ("can I come 2morrow", "en"), ("ana", "en"),
    ("kam el se3r", "arabizi"), ("abi a7jiz maw3ed", "arabizi"), ("3ndi 7arara", "arabizi"),
    ("mafi sadeed", "arabizi"), ("shlonak, bkam el jalsa?", "arabizi"), ("I have 7arara", "arabizi"),
    ("marhaba", "arabizi"), ("yalla", "arabizi"), ("shlonak", "arabizi"), ("ma hya el mesotherapy", "arabizi"),
    ("el", "en"), ("fi", "en"), ("Ana Lopez", "en"),        # ambiguous words alone are not Arabizi
    ("من هو الطبيب؟", "ar"),                                  # من is Persian too, but nothing here is Persian
    ("مرحبا", "ar"), ("كم السعر؟", "ar"), ("سلام 👋", "ar"), ("ابي احجز موعد باچر", "ar"),
    ("كم سعر mesotherapy", "ar"), ("ما هو PRP - Mesotherapy؟", "ar"),   # more (or as many) Arabic words
    ("price? كم", "ar"), ("السعر كم please", "ar"), ("how much is mesotherapy كم", "en"),
    ("قیمت چقدر است", "other"), ("قیمت کیا ہے", "other"), ("Привет", "other"), ("你好", "other"),
    ("😀👍", "unknown"), ("", "unknown"), ("   ", "unknown"), ("0501234567", "unknown"), ("?!...", "unknown"),
    ("١٢٣", "unknown"),
])
def test_detect(text, expected):
    assert detect(text) == expected


def test_arabic_with_a_persian_keyboard_letter_is_still_arabic():
    # ی (Farsi yeh) typed for ي, but the article and Arabic words make it clearly Arabic
    assert detect("كم السعر في العیاده") == "ar"


def test_normalise_arabic():
    assert normalise_arabic("أَهلاً ـ بِكُم في العِيادَة") == "اهلا بكم في العياده"
    assert normalise_arabic("إلى آخر مستشفى") == "الي اخر مستشفي"
    assert normalise_arabic("٣٨٫٥ و ۴") == "38.5 و 4"
    assert normalise_arabic("مسؤول، سائل؟") == "مسوول, سايل?"
    assert normalise_arabic(None) == ""


def test_triage_uses_the_shared_normaliser():
    assert arabic.normalise("حَرَارَة ٣٩") == normalise_arabic("حَرَارَة ٣٩") == "حراره 39"


@pytest.mark.parametrize("text", [
    "English please", "english", "in English", "speak english", "Can you speak English?", "ENGLISH PLS",
    "reply in english please", "switch to english", "بالانجليزي", "انجليزي لو سمحت",
])
def test_switch_to_english(text):
    assert switch_request(text) == "en"


@pytest.mark.parametrize("text", [
    "عربي", "بالعربي", "بالعربي لو سمحت", "ممكن عربي؟", "تكلم عربي", "اللغة العربية", "arabic please",
    "Arabic", "in arabic", "3arabi", "arabi", "bel 3arabi", "can you speak arabic",
])
def test_switch_to_arabic(text):
    assert switch_request(text) == "ar"


@pytest.mark.parametrize("text", [
    "", "hi", "is the doctor english?", "how much in english pounds", "do you have arabic speaking staff",
    "عندي حرارة", "كم السعر", "/greet",
])
def test_no_switch(text):
    assert switch_request(text) is None


@pytest.mark.parametrize("texts, expected", [
    ([], "en"),
    (["hi"], "en"),
    (["مرحبا"], "ar"),
    (["3ndi 7arara"], "ar"),
    (["hi", "كم السعر", "ok", "1", "👍", "/affirm", "thank you"], "ar"),   # neutral messages keep Arabic
    (["كم السعر", "how much"], "en"),                                       # two English content words switch
    (["كم السعر", "price"], "ar"),                                          # one word does not
    (["كم السعر", "English please"], "en"),
    (["how much is it", "عربي"], "ar"),
    (["مرحبا", "English please", "ok", "كم"], "ar"),                       # writing Arabic again switches back
    (["hello", "قیمت چقدر است"], "en"),                                     # Persian: keep the conversation's
    (["مرحبا", "Привет"], "ar"),
    ([None, "", "   "], "en"),
])
def test_conversation_language(texts, expected):
    assert conversation_language(texts) == expected


def test_message_language_keeps_the_previous_language_for_neutral_messages():
    assert message_language("ok", "ar") == "ar"
    assert message_language("ok", "en") == "en"
    assert message_language("/book_appointment", "ar") == "ar"
    assert message_language("I want to book", "ar") == "en"


@pytest.mark.parametrize("text", ["Sara Ahmed", "Mohammed Al Mansoori", "sara@example.com", "Thursday 5pm",
                                  "0501234567", "Dubai Marina"])
def test_names_addresses_and_times_typed_into_a_form_keep_an_arabic_conversation(text):
    assert message_language(text, "ar") == "ar"


def test_english_questions_switch_an_arabic_conversation_back():
    for text in ("how much", "Is it painful?", "can I book for tomorrow", "what are the side effects"):
        assert message_language(text, "ar") == "en", text


def test_every_switch_language_training_example_is_a_switch_request():
    import yaml

    from clinic.settings import PROJECT_ROOT

    data = yaml.safe_load((PROJECT_ROOT / "data" / "nlu" / "language.yml").read_text(encoding="utf-8"))
    [block] = [b for b in data["nlu"] if b.get("intent") == "switch_language"]
    examples = [line[2:].strip() for line in block["examples"].splitlines() if line.strip()]
    assert examples and all(switch_request(text) in ("en", "ar") for text in examples)


@pytest.mark.parametrize("text", [
    "cancel NS-7K3D please", "reschedule NS-9B2C to friday", "NS-5H7A", "can i move ns-7k3d to monday",
    "my reference is 9B2C",
])
def test_booking_references_and_codes_are_not_arabizi(text):
    assert detect(text) in ("en", "unknown")


def test_arabizi_with_a_reference_is_still_arabizi():
    assert detect("abi alghi maw3ed NS-7K3D") == "arabizi"


@pytest.mark.parametrize("text", ["yalla saturday morning inshallah", "hala, how much the session",
                                  "salam, wallah i cant come on thursday my son is sick, cancel pls"])
def test_gulf_english_words_in_an_english_message_keep_it_english(text):
    from clinic.language import EN, detect

    assert detect(text) == EN


@pytest.mark.parametrize("text", ["yalla abi a7jiz bukra", "abi maw3ed bukra inshallah", "marhaba", "inshallah"])
def test_the_same_words_in_arabizi_or_alone_are_still_arabizi(text):
    from clinic.language import ARABIZI, detect

    assert detect(text) == ARABIZI
