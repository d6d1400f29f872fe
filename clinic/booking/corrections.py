"""A name or a mobile number corrected after it was given ("sorry wrong number its 050...",
"sorry spelling wrong, its Fatima Al Zaabi"), read while the booking form asks something
else (the number, the consent question) or at the confirmation.

A receptionist takes the new detail and goes on; without this the correction was read as the
answer to the question asked (an unclear consent, an invalid number) or, at "Shall I book
it?", as a no ("wait the number is wrong, ..."), and the booking was lost or made with the
wrong detail.

* :func:`new_phone`: the one usable mobile number a message gives, when it differs from the
  one given before (a number typed later in the form can only be a correction);
* :func:`new_name`: a name after a correction cue that speaks about the name or its spelling
  ("sorry spelling wrong, its ...", "my name is ... not ...", "i mean ..."), when it differs
  from the one given before.
"""
from __future__ import annotations

import re
from typing import Optional

from clinic.booking.request import MAX_NAME_WORDS, find_phones, read_phone
from clinic.booking.phone import normalise_name

# words that say the message corrects a detail already given
_CUE = re.compile(r"\b(?:sorry|sry|oops|correction|correct(?:ed)?|wrong|mistake|typo|spell\w*|spelt|i mean|"
                  r"i meant|should be|actually)\b", re.I)
# where the corrected name starts: "its Fatima", "it's", "name is", "i mean", "should be", "spelled"
_NAME_AFTER = re.compile(r"\b(?:it'?s|it is|name is|name's|i mean|i meant|should be|spel\w* (?:as|like)?|"
                         r"correct(?:ion)? is|write|put)\s*:?\s+(?P<name>[^\W\d_][^\d,;:!?\n]*)", re.I)


def new_phone(text: str, current: Optional[str], uae_only: bool = True) -> Optional[str]:
    """The mobile number ``text`` corrects ``current`` to (E.164), or None: no number, two
    numbers, a foreign one for a booking (``uae_only``), or the same number again."""
    if not text or text.strip().startswith("/") or not find_phones(text):
        return None
    said = read_phone(text, uae_only)
    return said.phone if said.phone and said.phone != current else None


def new_name(text: str, current: Optional[str]) -> Optional[str]:
    """The name ``text`` corrects ``current`` to, or None when the message is no correction
    of the name (no cue, no name after it, digits only, or the same name)."""
    if not text or text.strip().startswith("/") or not _CUE.search(text):
        return None
    for match in _NAME_AFTER.finditer(text):
        words = match.group("name").split()[:MAX_NAME_WORDS]
        name = normalise_name(" ".join(words))
        typed_capitals = all(word[:1].isupper() for word in words)
        if name and (len(words) >= 2 or typed_capitals) and name.lower() != (current or "").lower():
            return name
    return None
