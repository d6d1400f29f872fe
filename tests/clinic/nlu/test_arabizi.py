"""Arabizi spelt in Arabic letters for the multilingual encoder."""
import pytest

from clinic.nlu.arabizi import to_arabic_script


@pytest.mark.parametrize("arabizi, arabic", [
    ("abi a7jiz maw3ed", "ابي احجز موعد"),
    ("kam el si3r?", "كم السعر?"),
    ("3ndi 7ib ba3d el jalsa", "عندي حب بعد الجلسة"),
    ("7arara", "حررة"),  # short vowels inside a word are not written: rough, as Arabizi is
    ("ma el far8 bain el 5o6oo6", "ما الفرق بين الخطوط"),
    ("y3awer?", "يعور?"),
    ("wel nateeja", "والنتيجة"),
    ("lel bashra", "للبشرة"),
])
def test_common_words(arabizi, arabic):
    assert to_arabic_script(arabizi) == arabic


def test_english_and_treatment_words_are_kept():
    assert to_arabic_script("kaif t3mal el mesotherapy") == "كيف تعمل ال mesotherapy"
    assert to_arabic_script("3ndkom botox w filler?") == "عندكم botox و filler?"


def test_awkward_input():
    assert to_arabic_script("") == ""
    assert to_arabic_script("   ") == "   "
    assert to_arabic_script("😀 ok!!") == "😀 ok!!"
    assert to_arabic_script("ABI A7JIZ") == "ابي احجز"
    assert isinstance(to_arabic_script("x" * 20000), str)
