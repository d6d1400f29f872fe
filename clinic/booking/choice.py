"""A typed answer to a list of offered times -> the time the patient chose (or a question).

A patient who types instead of tapping answers the list of free times as they would answer a
receptionist: with the time ("10 30 is ok", "10.30", "1030", "half 4", "4 30 pm"), its place
in the list ("the first one", "2nd one", "last one"), its part of the day ("the morning one",
when only one offered time is in the morning) or a bare yes ("yes thats fine", "ok", "yes
book it", "any is fine"). :func:`choose` matches the answer against the offered times only:

* a time, a place or a part of the day that names one offered time -> ``picked``;
* a bare yes to several times -> ``ask_first``: the assistant asks "Shall I book <the first
  offered time>?" and offers that one time, so nothing is chosen without an explicit yes;
* a bare yes when only one time was offered (that question, or a single free time) -> ``picked``;
* a time offered on several days ("2pm" when 2:00 pm is offered on Wednesday and on Thursday)
  -> ``which_day`` (``options``: those times): the assistant asks which day, never guesses one;
* a day alone ("thursday", "the thursday one") when one offered time is on that day -> ``picked``;
* anything else (another day or time, a question, a no) -> ``none``: the form reads it as before.

Choosing a time books nothing: the booking is made only after the read-back ("Shall I book
it?") is answered yes. Framework-free.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Optional, Sequence, Tuple

from clinic.booking.dates import PARTS, WEEKDAY_NAMES, ZONE, clock_of, normalise
from clinic.booking.replies import Reply, read_words

MAX_TEXT = 120
_ORDINALS = {
    "first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
    "fifth": 4, "5th": 4, "last": -1, "earliest": 0, "earlier": 0,
    "الاول": 0, "الأول": 0, "اول": 0, "أول": 0, "الثاني": 1, "التاني": 1, "الثالث": 2, "التالت": 2,
    "الرابع": 3, "الخامس": 4, "الاخير": -1, "الأخير": -1,
}
_ORDINAL_WORDS = "|".join(sorted(map(re.escape, _ORDINALS), key=len, reverse=True))
# "the first one", "2nd one pls", "first slot", "option 2", "no. 3", "the last", "الأول"
_ORDINAL = re.compile(rf"(?<!\w)(?:the\s+)?({_ORDINAL_WORDS})(?:\s+(?:one|slot|time|option|choice|1|واحد|موعد))?(?!\w)")
_OPTION = re.compile(r"\b(?:option|opt|number|no\.?|#)\s*([1-5])\b|^#?([1-5])$")
_PART_ONE = re.compile(r"\b(morning|afternoon|evening|noon|lunchtime)\s+(?:one|slot|time|option)\b")
# "any is fine", "whichever", "any of them": no preference among the offered times (a yes to them)
_ANY = re.compile(r"^(?:any|anyone|any one|whichever|either|any of (?:them|these|those)|any ?time)"
                  r"(?: (?:is|one|works|will do|fine|ok|okay|good|pls|please|for me|of them|is fine|is ok))*$")
# "thursday", "the thursday one", "thursday pls": a day alone, answering times on several days
_DAY_ALONE = re.compile(rf"^(?:on |the )?({'|'.join(WEEKDAY_NAMES)})"
                        r"(?: (?:one|slot|time|pls|please|is fine|works|then))*$")
# words that make an answer more than a choice among the offered times
_NOT_A_CHOICE = re.compile(r"\b(?:not|no|none|other|another|else|different|instead|next|tomorrow|today|week|"
                           rf"{'|'.join(WEEKDAY_NAMES)})\b")


@dataclass(frozen=True)
class Choice:
    """``kind``: ``picked`` (``start``: the offered time chosen), ``ask_first`` (``start``: the
    first offered time, to ask about), ``which_day`` (``options``: the same time offered on
    several days) or ``none``."""

    kind: str
    start: Optional[datetime] = None
    options: Tuple[datetime, ...] = ()


NONE = Choice("none")


def _by_place(words: str, offered: Sequence[datetime]) -> Optional[datetime]:
    option = _OPTION.search(words)
    if option:
        index = int(option.group(1) or option.group(2)) - 1
        return offered[index] if index < len(offered) else None
    match = _ORDINAL.search(words)
    if not match or len(words.split()) > 6:
        return None
    word = match.group(1)
    if word == "last" and match.group(0) == "last" and words.strip() != "last":
        return None  # "how long does the redness last": a verb, not "the last (one)"
    if word in ("earlier", "earliest", "first") and re.search(r"\b(?:available|free|possible)\b", words):
        return offered[0]  # "the first available" among those offered
    index = _ORDINALS[word]
    return offered[index] if -len(offered) <= index < len(offered) else None


def _by_clock(words: str, offered: Sequence[datetime]) -> Optional[Choice]:
    clock = clock_of(words)
    if clock is None:
        lone = re.fullmatch(r"(?:at\s+)?(\d{1,2})(?:\s+(?:is|pls|please|ok|okay|fine|works|is fine|is ok|one))*", words)
        if not lone:
            return None
        clock = (int(lone.group(1)), 0, None)
    hour, minute, ampm = clock
    if ampm:
        hours = {hour % 12 + (12 if ampm == "pm" else 0)} if 1 <= hour <= 12 else set()
    else:
        hours = {hour} if hour > 12 else {hour % 12, hour % 12 + 12}
    matching = [s for s in offered
                if s.astimezone(ZONE).hour in hours and s.astimezone(ZONE).minute == minute]
    if len({m.astimezone(ZONE).date() for m in matching}) > 1:
        return Choice("which_day", options=tuple(matching))
    return Choice("picked", matching[0]) if matching else NONE


def _by_day(words: str, offered: Sequence[datetime]) -> Optional[datetime]:
    match = _DAY_ALONE.match(words)
    if not match:
        return None
    on_day = [s for s in offered if s.astimezone(ZONE).weekday() == WEEKDAY_NAMES.index(match.group(1))]
    return on_day[0] if len(on_day) == 1 else None


def _by_part(words: str, offered: Sequence[datetime]) -> Optional[datetime]:
    match = _PART_ONE.search(words)
    if not match:
        return None
    begin, end = PARTS[match.group(1)]
    inside = [s for s in offered if begin <= s.astimezone(ZONE).time().replace(tzinfo=None) < end]
    return inside[0] if len(inside) == 1 else None


def _bare_yes(text: str, words: str) -> bool:
    if re.search(r"\d", text):
        return False
    return bool(_ANY.match(words)) or read_words(text, "book") is Reply.YES


def choose(text: str, offered: Sequence[datetime]) -> Choice:
    """The offered time ``text`` chooses (see the module docstring); ``offered`` in the order shown."""
    text = (text or "").strip()[:MAX_TEXT]
    if not offered or not text or text.startswith("/"):
        return NONE
    words = normalise(text)
    raw = " ".join(re.sub(r"[^\w#.\s]", " ", text.lower()).split())
    picked = _by_day(words, offered)
    if picked:
        return Choice("picked", picked)
    if _NOT_A_CHOICE.search(words) and not _ORDINAL.search(raw):
        return NONE
    picked = _by_place(raw, offered)
    if picked:
        return Choice("picked", picked)
    by_clock = _by_clock(words, offered)
    if by_clock is not None:
        return by_clock
    picked = _by_part(words, offered)
    if picked:
        return Choice("picked", picked)
    if _bare_yes(text, raw):
        return Choice("picked", offered[0]) if len(offered) == 1 else Choice("ask_first", offered[0])
    return NONE


# "the 2nd one", "the second time", "option 2" said as a change once a time was chosen: a place
# followed by what it is a place of, or ending the message ("make it the second")
_LATER_PLACE = re.compile(rf"(?<!\w)(?:the\s+)?({_ORDINAL_WORDS})\s+(?:one|slot|time|option|choice)\b|"
                          rf"\bthe\s+({_ORDINAL_WORDS})$")
MAX_LATER_WORDS = 10


def later_pick(text: str, offered: Sequence[datetime]) -> Optional[datetime]:
    """Another of the times offered earlier, named by its place once one was chosen ("actually
    make it the 2nd one" at the name question, "sorry can we do the second time instead" at the
    number question): that time, else None. Only a place followed by "one", "time", "slot"...
    counts (not "my first name is ...", not a yes), and only among two offered times or more."""
    raw = " ".join(re.sub(r"[^\w#.\s]", " ", (text or "").lower()[:MAX_TEXT]).split())
    if len(offered) < 2 or not raw or len(raw.split()) > MAX_LATER_WORDS:
        return None
    option = _OPTION.search(raw)
    if option:
        index = int(option.group(1) or option.group(2)) - 1
        return offered[index] if index < len(offered) else None
    match = _LATER_PLACE.search(raw)
    if not match:
        return None
    index = _ORDINALS[match.group(1) or match.group(2)]
    return offered[index] if -len(offered) <= index < len(offered) else None
