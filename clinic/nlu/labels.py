"""The understanding labels and how they map onto the NLU contract.

The classifier predicts flat labels: an intent (``greet``), or a retrieval intent and
its key (``faq/aftercare_makeup``, ``out_of_scope/smalltalk``). The contract
(``shared/nlu-contract.md``) judges FAQ keys at its own 23 keys: a refined key
``faq/<key>_<subtopic>`` counts as its contract key ``faq/<key>``. ``frustrated``
counts as ``human_handoff``, and ``out_of_scope`` (any key) and ``nlu_fallback`` both
mean the assistant declined the message.
"""
from __future__ import annotations

from typing import Iterable, Optional, Set, Tuple

CONTRACT_FAQ_KEYS = (
    "what_is", "how_it_works", "ingredients", "scar_types", "candidates", "preparation",
    "procedure", "pain", "session_duration", "number_of_sessions", "results", "side_effects",
    "aftercare", "downtime", "maintenance", "safety", "price", "payment", "consultation",
    "booking_policy", "location_hours", "comparison", "privacy",
)
# Longest first, so that "side_effects_bruising" finds "side_effects", not a shorter key.
_BY_LENGTH = sorted(CONTRACT_FAQ_KEYS, key=len, reverse=True)

FAQ = "faq"
OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
DECLINED = "declined"
RETRIEVAL_INTENTS = (FAQ, OUT_OF_SCOPE)
SAME_AS = {"frustrated": "human_handoff"}


def split_label(label: str) -> Tuple[str, Optional[str]]:
    """``faq/aftercare_makeup`` -> (``faq``, ``faq/aftercare_makeup``); ``greet`` -> (``greet``, None)."""
    intent, sep, _ = label.partition("/")
    return (intent, label) if sep else (label, None)


def contract_faq_key(key: str) -> Optional[str]:
    """The contract key a FAQ key belongs to (``aftercare_makeup`` -> ``aftercare``)."""
    for base in _BY_LENGTH:
        if key == base or key.startswith(base + "_"):
            return base
    return None


def contract_label(label: str) -> str:
    """A predicted or accepted label as the contract judges it.

    ``faq/aftercare_makeup`` -> ``faq/aftercare``; ``out_of_scope/...`` and
    ``nlu_fallback`` -> ``declined``; ``frustrated`` -> ``human_handoff``.
    """
    intent, full = split_label(label)
    if intent in (OUT_OF_SCOPE, FALLBACK, DECLINED):
        return DECLINED
    if intent == FAQ and full is not None:
        base = contract_faq_key(full.split("/", 1)[1])
        return f"{FAQ}/{base}" if base else full
    return SAME_AS.get(label, label)


def contract_labels(labels: Iterable[str]) -> Set[str]:
    return {contract_label(label) for label in labels}


def is_declined(label: str) -> bool:
    return contract_label(label) == DECLINED
