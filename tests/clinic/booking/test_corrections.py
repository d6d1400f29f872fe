"""A name or number corrected after it was given (clinic/booking/corrections.py)."""
import pytest

from clinic.booking.corrections import new_name, new_phone

OLD_PHONE = "+971501112299"


@pytest.mark.parametrize("text, expected", [
    ("sorry wrong number its 0502223388", "+971502223388"),
    ("wait the number is wrong, it should be 0509876534", "+971509876534"),
    ("0502223388", "+971502223388"),              # a new number alone, typed once one was given
    ("0501112299", None),                         # the same number again
    ("yes thats fine", None),
    ("my numbers are 0502223388 and 0553334444", None),  # two mobiles: no correction guessed
])
def test_a_new_number(text, expected):
    assert new_phone(text, OLD_PHONE) == expected


def test_a_foreign_number_corrects_no_booking():
    assert new_phone("sorry its +44 7911 123456", OLD_PHONE) is None
    assert new_phone("sorry its +44 7911 123456", OLD_PHONE, uae_only=False) == "+447911123456"


@pytest.mark.parametrize("text, expected", [
    ("sorry spelling wrong, its Fatima Al Zaabi", "Fatima Al Zaabi"),
    ("my name is wrong, it should be Rahul Verma", "Rahul Verma"),
    ("sorry i mean Priya", "Priya"),
    ("sorry its fine", None),                     # no name after the cue
    ("oops it's ok", None),
    ("actually it should be tuesday", None),      # a day, not a name
    ("sorry its for my sister", None),
    ("Fatima Al Zaabi", None),                    # no correction cue: the form's own question decides
    ("sorry spelling wrong, its Fatma Al Zabi", None),  # the same name
])
def test_a_new_name(text, expected):
    assert new_name(text, "Fatma Al Zabi") == expected
