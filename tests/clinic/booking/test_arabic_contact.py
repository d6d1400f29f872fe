"""Mobile numbers and names as Arabic-speaking patients type them."""
import pytest

from clinic.booking import request
from clinic.booking.phone import normalise_name, normalise_phone
from tests.clinic.booking.conftest import NOW


@pytest.mark.parametrize("text", [
    "٠٥٠١٢٣٤٥٦٧", "٠٥٠ ١٢٣ ٤٥٦٧", "+٩٧١ ٥٠ ١٢٣ ٤٥٦٧", "٠٠٩٧١٥٠١٢٣٤٥٦٧", "٩٧١٥٠١٢٣٤٥٦٧",
    "۰۵۰۱۲۳۴۵۶۷",                                   # Persian digits
    "\u202a+971 50 123 4567\u202c", "\u200f0501234567\u200f", "\u2066050 123 4567\u2069",  # direction marks
    "رقمي ٠٥٠١٢٣٤٥٦٧", "رقم الجوال: 0501234567", "جوالي 050 123 4567", "الرقم ٠٥٠١٢٣٤٥٦٧.",
])
def test_arabic_indic_digits_and_direction_marks(text):
    assert normalise_phone(text) == "+971501234567"


@pytest.mark.parametrize("text", ["٠٥٠١٢٣", "٠٥٠١٢٣٤٥٦٧ واتصل", "رقمي ٠٥٠أ٢٣٤٥٦٧", "٠٥٠١٢٣٤٥٦٧٨٩٠١٢٣"])
def test_arabic_numbers_that_are_not_a_mobile_are_refused(text):
    assert normalise_phone(text) is None


@pytest.mark.parametrize("text", ["تواصل معي على ٠٥٠١٢٣٤٥٦٧ لو سمحت", "الرقم ٠٥٠١٢٣٤٥٦٧ والاسم سارة"])
def test_a_number_inside_an_arabic_sentence(text):
    assert request.read_phone(text).phone == "+971501234567"


@pytest.mark.parametrize("text, name", [
    ("محمد علي", "محمد علي"), ("سارة أحمد", "سارة أحمد"), ("مُحَمَّد", "محمد"), ("اسمي فاطمة الزهراء", "فاطمة الزهراء"),
    ("اسمي هو خالد", "خالد"), ("الاسم: نور", "نور"), ("انا عبدالله", "عبدالله"), ("معك أحمد", "أحمد"),
    ("عبد الله بن زايد", "عبد الله بن زايد"), ("أمل", "أمل"), ("زين", "زين"), ("هلا", "هلا"), ("علي", "علي"),
    ("خميس جمعة", "خميس جمعة"), ("صباح", "صباح"),
])
def test_arabic_names_pass(text, name):
    assert normalise_name(text) == name


@pytest.mark.parametrize("text", [
    "نعم", "ايوه", "لا", "اوكي تمام", "شكرا", "ابي احجز", "أبي أحجز موعد", "ممكن بكرة؟", "كم السعر", "الغاء",
    "لو سمحت", "انا", "السلام عليكم", "na3am", "tamam", "<script>", "محمد ٥", "؟؟",
])
def test_arabic_replies_are_not_names(text):
    assert normalise_name(text) is None


def test_english_names_still_pass():
    assert normalise_name("Abi Smith") == "Abi Smith"
    assert normalise_name("priya nair") == "Priya Nair"


@pytest.mark.parametrize("text, name", [
    ("اسمي محمد علي ورقمي ٠٥٠١٢٣٤٥٦٧", "محمد علي"),
    ("ابي موعد بكرة، اسمي سارة", "سارة"),
    ("الاسم: خالد العلي، الجوال ٠٥٠١٢٣٤٥٦٧", "خالد العلي"),
])
def test_a_name_after_ismi(text, name):
    assert request.find_name(text, request.find_phones(text)) == name


def test_the_phone_matcher_reads_arabic_indic_digits():
    found = request.find_phones("اسمي محمد ورقمي ٠٥٠١٢٣٤٥٦٧")
    assert [f[0] for f in found] == ["+971501234567"]
    said = request.read_request("اسمي محمد ورقمي ٠٥٠١٢٣٤٥٦٧", NOW)
    assert said.phone == "+971501234567" and said.name == "محمد"
