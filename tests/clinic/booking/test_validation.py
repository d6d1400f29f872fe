"""Phone numbers, names and booking references as patients type them."""
import re

import pytest

from clinic.booking.phone import mask_phone, normalise_name, normalise_phone
from clinic.booking.references import ALPHABET, new_reference, normalise_reference

INJECTIONS = ["'; DROP TABLE booking_patients; --", "1' OR '1'='1", "<script>alert(1)</script>", "${jndi:ldap://x}",
              "\" OR \"\"=\"", "admin'--"]


@pytest.mark.parametrize("text", ["050 123 4567", "0501234567", "+971 50 123 4567", "+971501234567",
                                  "971501234567", "00971 50 123 4567", "(050) 123-4567", "501234567",
                                  "my number is 050 123 4567", "Mobile: +971501234567", "it's 0501234567.",
                                  "\uff10\uff15\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17"])
def test_uae_mobiles_with_or_without_prefix_become_e164(text):
    assert normalise_phone(text) == "+971501234567"


def test_foreign_numbers_keep_their_country():
    assert normalise_phone("+44 7911 123456") == "+447911123456"


@pytest.mark.parametrize("text", ["050-abc-4567", "call me", "my number is 050 abc 4567", "number", "12345",
                                  "0501234567890123", "+971 99 123 4567",
                                  "", None, 501234567, "\U0001F4DE 0501234567", "\u0660\u0665\u0660x", "x" * 300]
                         + INJECTIONS)
def test_invalid_numbers_are_refused(text):
    assert normalise_phone(text) is None


@pytest.mark.parametrize("text, expected", [
    ("  Amal   Haddad ", "Amal Haddad"), ("my name is Priya Nair", "Priya Nair"), ("I'm Fatima", "Fatima"),
    ("name: Ahmed Al Mansoori", "Ahmed Al Mansoori"), ("Mary-Jane O'Neil", "Mary-Jane O'Neil"),
    ("J. Smith", "J. Smith"),
    ("\u0645\u062d\u0645\u062f \u0639\u0644\u064a", "\u0645\u062d\u0645\u062f \u0639\u0644\u064a"),
    ("Zo\u00eb", "Zo\u00eb"),
])
def test_names_are_trimmed(text, expected):
    assert normalise_name(text) == expected


@pytest.mark.parametrize("text", ["", " ", "A", "1234", "Amal 2", "a" * 300, "a " * 40, "\U0001F600",
                                  "amal@example.com", "A..B", None, 42, "my name is", "my name is 123"] + INJECTIONS)
def test_bad_names_are_refused(text):
    assert normalise_name(text) is None


def test_mask_phone_hides_the_middle():
    assert mask_phone("+971501234567") == "+971 \u2022\u2022\u2022 \u2022\u2022\u2022 567"


def test_references_use_the_unambiguous_alphabet():
    assert not set("0O1IL5S2Z8BUVDQ") & set(ALPHABET)
    refs = {new_reference() for _ in range(200)}
    assert all(re.fullmatch(rf"NS-[{ALPHABET}]{{4}}", r) for r in refs) and len(refs) > 190


@pytest.mark.parametrize("text, expected", [
    ("NS-7K3W", "NS-7K3W"), ("ns 7k3w", "NS-7K3W"), ("my ref is #NS7K3W thanks", "NS-7K3W"),
    ("NS-7K3Q", None), ("NS-0000", None), ("hello", None), ("", None), (None, None), ("NS-7K3W" * 100, None),
])
def test_normalise_reference(text, expected):
    assert normalise_reference(text) == expected
