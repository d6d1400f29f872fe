"""Short, human-friendly booking references such as ``NS-7K3W``.

The alphabet leaves out letters and digits that people confuse when reading or
typing (0/O/D/Q, 1/I/L, 5/S, 2/Z, 8/B, U/V), so a reference read out over the phone or
copied from a screenshot is typed right. 4 characters of 21 give 194,481 references;
a collision with an existing one is caught by the unique constraint and retried.
"""
from __future__ import annotations

import re
import secrets
from typing import Optional

ALPHABET = "3467ACEFGHJKMNPRTWXY9"
PREFIX = "NS"
LENGTH = 4


def new_reference() -> str:
    """A random reference, e.g. ``NS-7K3W``."""
    return f"{PREFIX}-" + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


# a reference as patients type it: "NS-7K3W", "ns 7k3w", "NS7K3W", "#NS-7K3W" (the one
# pattern the booking forms, the classifier and its language routing all use)
TYPED = re.compile(rf"#?\b{PREFIX}[\s\-_.:#]*([{ALPHABET}]{{{LENGTH}}})\b", re.IGNORECASE)


def normalise_reference(text: Optional[str]) -> Optional[str]:
    """What a patient typed (``ns 7k3w``, ``NS7K3W``, ``#NS-7K3W``) -> ``NS-7K3W``, or None."""
    if not text:
        return None
    match = TYPED.search(text[:200])
    return f"{PREFIX}-{match.group(1).upper()}" if match else None


def mask_references(text: str, replacement: str) -> str:
    """``text`` with every typed reference replaced by ``replacement``."""
    return TYPED.sub(replacement, text)
