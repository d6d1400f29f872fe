"""Refined labels are judged at the contract's keys."""
import pytest

from clinic.nlu.labels import CONTRACT_FAQ_KEYS, DECLINED, contract_faq_key, contract_label, split_label


@pytest.mark.parametrize("label, expected", [
    ("faq/aftercare_makeup", "faq/aftercare"),
    ("faq/side_effects_bruising", "faq/side_effects"),
    ("faq/side_effects", "faq/side_effects"),
    ("faq/scar_types_pigmentation", "faq/scar_types"),
    ("faq/safety_practitioner", "faq/safety"),
    ("out_of_scope/smalltalk", DECLINED),
    ("out_of_scope", DECLINED),
    ("nlu_fallback", DECLINED),
    ("frustrated", "human_handoff"),
    ("human_handoff", "human_handoff"),
    ("greet", "greet"),
])
def test_contract_label(label, expected):
    assert contract_label(label) == expected


def test_a_key_that_only_starts_like_a_contract_key_is_not_taken_for_it():
    # "pain" is a contract key; "painkillers" is not a subtopic of it (no underscore)
    assert contract_faq_key("painkillers") is None
    assert contract_label("faq/painkillers") == "faq/painkillers"


def test_the_longest_contract_key_wins():
    # "side_effects_bruising" must not stop at a shorter key that is a prefix of it
    assert contract_faq_key("session_duration") == "session_duration"
    assert all(contract_faq_key(k) == k for k in CONTRACT_FAQ_KEYS)


def test_split_label():
    assert split_label("faq/price") == ("faq", "faq/price")
    assert split_label("greet") == ("greet", None)
