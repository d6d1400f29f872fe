"""What a patient's message already says about the booking they want -> :class:`BookingRequest`.

"I'd like to book a consultation", "consultation tmrw 5pm", "session on wednesday afternoon",
"Priya Nair 050 987 6543", "my no. is 0501234567", "can I come thursday after work? I finish
at 5:30": the service, the day and time (with preferences such as "after 5:30", "afternoon",
"the earliest"), the name and the mobile number, each optional. The forms prefill what is
found and ask only for the rest.

* service: a small word lookup over the bookable services of clinic.yml (typos included);
* day and time: :func:`clinic.booking.dates.resolve` (the project's date rules), after the
  "after 5:30" / "after work" / "I finish at 5:30" lower bounds are taken out and kept as
  ``not_before``;
* mobile number: ``phonenumbers.PhoneNumberMatcher`` (UAE default region; Arabic-Indic and
  Persian digits, +971, 00971, 05x); two different numbers are ambiguous and give none;
* name: the spaCy model runs without its entity recogniser (addons/nlu/spacy_nlp.py excludes
  "ner" to save memory), so there is no PERSON entity. A name is taken only where a patient
  puts one: after "my name is / name: / this is / I'm", or as the words right next to the
  phone number ("Priya Nair 050 987 6543"); each candidate must pass
  :func:`clinic.booking.phone.normalise_name` (no reply words, no sentences).

Later in the form the same reading serves the messages that are not the answer asked for
(issue 14): a change of service ("actually make it a session not a consultation",
:func:`new_service_said`), a change of time while a name or number is asked
(:func:`about_the_time`), a name typed on its own while the time is asked (:func:`lone_name`),
a number that cannot be used (two of them, a foreign one: :func:`read_phone`), a part of the
day on any day ("any evening", "mornings only": :func:`daily_hours`), and whether a message
the classifier was unsure about is a booking request (:func:`is_booking_request`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterable, List, Optional, Sequence, Tuple

import phonenumbers

from clinic.booking.dates import (
    PARTS, WEEKDAY_NAMES, ZONE, DateQuery, Opening, clock_of, normalise, resolve, says_a_day,
)
from clinic.booking.phone import DEFAULT_REGION, NOT_NAME_WORDS, is_mobile, normalise_name, normalise_phone
from clinic.language import normalise_arabic

MAX_TEXT = 300
# service key -> patterns that name it in a message (word starts, so typos of the ending pass)
SERVICE_PATTERNS = {
    "consultation": r"\bc(?:o|ou)n?su?l\w*|\bassess?ment\b|\bfirst (?:visit|appointment)\b|\bcheck ?up\b",
    # "one sitting" (Indian English), "book my next one" (the next of a course: a session)
    "mesotherapy_session": r"\bsess?ions?\b|\bsesh\b|\bmeso\w*|\btreatment\b|\bsittings?\b|"
                           r"\bbook(?: me)?(?: my)? next one\b",
}
# loose words for an answer to "Which appointment would you like?" ("the free one")
SERVICE_WORDS = {
    "mesotherapy_session": ("session", "mesotherapy", "treatment", "meso"),
    "consultation": ("consult", "consultation", "free", "assessment", "first visit"),
}
AFTER_WORK = time(17, 0)
_AFTER = re.compile(r"\b(?:after|from|not before|anytime after|any time after|finish(?:ing)? (?:work )?(?:at|by)?|"
                    r"off (?:work )?at|get off at)\s*(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?\b"
                    # "after 3 sessions", "from 2 weeks": a count, not a clock time
                    r"(?!\s*(?:sessions?|treatments?|rounds?|visits?|injections?|shots?|times?|days?|weeks?|"
                    r"months?|years?|yrs?|hours?|hrs?|mins?|minutes?|aed|dhs?|dirhams?|%))")
_AFTER_WORK = re.compile(r"\bafter (?:work|office|my shift|office hours|duty)\b")
_NAME_LEAD = re.compile(r"\b(?:my name is|my name's|name is|name\s*:|(?:ismi|esmi|isme|esme|ismy)\b|"
                        r"(?:اسمي|إسمي|الاسم|الإسم)(?:\s+هو)?\s*:?)"
                        r"\s*([^\W\d_][^\d,;:!?\n،]*)", re.I)  # Arabic: "اسمي محمد", Arabizi: "ismi Maryam"
# weaker lead-ins ("I'm looking for...", "this is urgent"): the name must be capitalised or end the clause
_NAME_LEAD_WEAK = re.compile(r"\b(?:this is|i am|i'm|im|call me|it's|under the name)\s+([^\W\d_][^\d,;:!?\n]*)", re.I)
_ANY_PART = re.compile(r"\b(?:any|an|every|most|weekday)\s+(morning|afternoon|evening)s?\b|"
                       r"\b(morning|afternoon|evening)s\b")
_ONE_PART = re.compile(r"\b(morning|afternoon|evening)\b")
_SPAN_OF_DAYS = re.compile(r"\b(?:next|this) week\b|\bweekend\b|\bnext month\b|\brest of the week\b")
_WEEKDAY = re.compile(r"\b(?:" + "|".join(WEEKDAY_NAMES) + r")\b")
_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['\-.][^\W\d_]+)*\.?$")
MAX_NAME_WORDS = 4


@dataclass(frozen=True)
class BookingRequest:
    """What one message says; every field optional.

    ``when``: the resolved day/time window (``when.ok``), or None when no day or time was said;
    ``when_text``: the message, kept for the form's slot validation;
    ``not_before``: a local time of day the patient cannot come before ("after 5:30");
    ``earliest``: "the earliest", "asap".
    """

    service: Optional[str] = None
    when: Optional[DateQuery] = None
    when_text: Optional[str] = None
    not_before: Optional[time] = None
    earliest: bool = False
    name: Optional[str] = None
    phone: Optional[str] = None

    @property
    def has_time(self) -> bool:
        return self.when is not None or self.not_before is not None or self.earliest


def service_key(value: object) -> Optional[str]:
    """An answer to the service question (key, button title or words) -> a service key."""
    if not isinstance(value, str):
        return None
    text = value.lower().strip()[:200]
    if text in SERVICE_WORDS:
        return text
    return find_service(text) or next(
        (key for key, words in SERVICE_WORDS.items() if any(word in text for word in words)), None)


def find_service(text: str) -> Optional[str]:
    """The bookable service a message names ("consultaion", "a meso session"), or None."""
    text = normalise(text or "")[:MAX_TEXT]
    found = [key for key, pattern in SERVICE_PATTERNS.items() if re.search(pattern, text)]
    return found[0] if len(found) == 1 else None  # both named: the form asks


def find_phones(text: str) -> List[Tuple[str, int, int]]:
    """Every valid number in ``text``: (E.164, start, end), different numbers only."""
    text = unicodedata.normalize("NFKC", text or "")[:MAX_TEXT]
    found: List[Tuple[str, int, int]] = []
    for match in phonenumbers.PhoneNumberMatcher(text, DEFAULT_REGION):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        if e164 not in [f[0] for f in found]:
            found.append((e164, match.start, match.end))
    return found


def the_mobile(found: Sequence[Tuple[str, int, int]]) -> Optional[Tuple[str, int, int]]:
    """The one number to use among those found: the only one, or the only mobile among
    landlines ("my mobile is 0501231234, office no 042345678"); None for none or two mobiles."""
    if len(found) == 1:
        return found[0]
    mobiles = [f for f in found if is_mobile(f[0])]
    return mobiles[0] if len(mobiles) == 1 else None


def find_phone(text: str) -> Optional[str]:
    """The one mobile number a message gives ("my no. is 0501234567"); None for none or two."""
    direct = normalise_phone(text)
    if direct:
        return direct
    found = the_mobile(find_phones(text))
    return found[0] if found else None


# labels that start the next detail ("Name: Joseph Mathew. Mob: 050...", "Priya Nair, tel 050...")
_LABEL_WORDS = frozenset({"mob", "mobile", "mob.", "no", "no.", "num", "number", "tel", "ph", "phone", "contact",
                          "cell", "whatsapp", "wa", "email", "service", "date", "day", "name",
                          "ra8mi", "raqmi", "ra2mi", "rakmi", "rakami", "ra8am", "raqam"})  # Arabizi: my number
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "mst", "st", "sr", "jr"})  # "Dr. Amal Haddad": no sentence end


def _name_words(words: Sequence[str]) -> Optional[str]:
    """The longest run (up to 4) of name-like words from the start of ``words``; a word that
    ends a sentence ("Mathew." in "Joseph Mathew. Mob: 050...") ends the name, a label starts
    the next detail."""
    taken: List[str] = []
    for word in words:
        clean = word.strip(".,;:!?\"()")
        if (not clean or not _NAME_WORD.match(clean) or clean.lower().replace("'", "") in NOT_NAME_WORDS
                or clean.lower() in _LABEL_WORDS):
            break
        taken.append(clean)
        if len(taken) == MAX_NAME_WORDS or (len(clean) > 1 and clean.lower() not in _TITLES
                                            and word.rstrip("\"()").endswith((".", ":", ";", "!", "?"))):
            break
    return normalise_name(" ".join(taken)) if taken else None


def find_name(text: str, phones: Iterable[Tuple[str, int, int]] = ()) -> Optional[str]:
    """A name the patient gave: after "my name is ..." or right next to their number."""
    text = unicodedata.normalize("NFKC", text or "")[:MAX_TEXT]
    lead = _NAME_LEAD.search(text)
    if lead:
        name = _name_words(lead.group(1).split())
        if name:
            return name
    for weak in _NAME_LEAD_WEAK.finditer(text):
        words = weak.group(1).split()
        name = _name_words(words)
        typed = words[:len(name.split())] if name else []  # capitals as typed (the name is title-cased)
        if name and (all(w[0].isupper() for w in typed) or len(name.split()) == len(words)):
            return name
    for _, start, end in phones:
        # the words just before the number, past a label ("Priya Nair, mob 050 ...")
        for part in reversed(re.split(r"[,;:\n]", text[:start].rstrip(" ,;:-"))[-2:]):
            before = part.split()
            while before and before[-1].strip(".:").lower() in _LABEL_WORDS | {"my", "is", "on"}:
                before.pop()
            if before:
                break
        name = _name_words(list(reversed(before)))
        if name:
            return " ".join(reversed(name.split()))
        name = _name_words(re.split(r"[,;:\n]", text[end:].strip(" ,;:"))[0].split())
        if name:
            return name
    return None


def _not_before(text: str) -> Tuple[Optional[time], str]:
    """("after 5:30", "after work", "I finish at 5:30") -> (17:30, text without it)."""
    after_work = _AFTER_WORK.search(text)
    text = _AFTER_WORK.sub(" ", text)
    match = _AFTER.search(text)  # a time said ("I finish at 5:30") is more precise than "after work"
    if not match:
        return (AFTER_WORK if after_work else None), text
    hour, minute, ampm = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if hour > 23 or minute > 59:
        return (AFTER_WORK if after_work else None), text
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm is None and 1 <= hour <= 7:
        hour += 12  # "after 5" at a clinic means the evening
    return time(hour % 24, minute), text[: match.start()] + " " + text[match.end():]


def daily_hours(text: str) -> Optional[Tuple[time, time]]:
    """"any evening", "evenings are better", "mornings only", and a part of the day said with
    a span of days ("next week evening", "this weekend afternoon"): that part of the day on
    every day (local start, end), or None. "tomorrow evening" and "thursday next week evening"
    are one day and are left to resolve()."""
    clean = normalise(text or "")[:MAX_TEXT]
    match = _ANY_PART.search(clean)
    if match:
        return PARTS[match.group(1) or match.group(2)]
    part = _ONE_PART.search(clean)
    if part and _SPAN_OF_DAYS.search(clean) and not _WEEKDAY.search(clean):
        return PARTS[part.group(1)]
    return None


def preference(text: str, now: datetime, opening: Optional[Opening] = None,
               entities: Iterable[str] = ()) -> Tuple[Optional[DateQuery], Optional[time]]:
    """The day/time a message asks for, with "after ..." kept apart as ``not_before``.

    Returns (query or None when nothing about a day or time was said, not_before). A lower
    bound alone ("anytime after 5:30") or a part of the day on no day in particular ("any
    evening", see :func:`daily_hours`) looks over the next two weeks.
    """
    now = now.astimezone(ZONE)
    not_before, rest = _not_before(normalise(text or "")[:MAX_TEXT])
    hours = daily_hours(rest)
    if hours:
        without_part = _ANY_PART.sub(" ", rest)
        dated = resolve(without_part, now, opening, entities)
        if dated.status == "unknown":
            return DateQuery("ok", now, now + timedelta(days=14)), max(hours[0], not_before or hours[0])
        if dated.ok and not dated.exact:  # "any evening next week": the days said, that part of each
            return dated, max(hours[0], not_before or hours[0])
    query = resolve(rest, now, opening, entities)
    if query.status == "unknown":
        if not_before is None:
            return None, None
        return DateQuery("ok", now, now + timedelta(days=14)), not_before
    if not_before is None or not query.ok:
        return query, None
    window = query.window
    if query.exact or window is None:  # "tomorrow 6pm, I finish at 5:30": the clock time said wins
        return query, None
    start, end = window
    day_bound = datetime.combine(start.date(), not_before, tzinfo=ZONE)
    if end - start <= timedelta(days=1) and day_bound > start:
        if day_bound >= end:
            return DateQuery("ok", day_bound, datetime.combine(start.date() + timedelta(days=1), time(0),
                                                               tzinfo=ZONE)), not_before
        return DateQuery("ok", day_bound, end), not_before
    return query, not_before


def typed(text: Optional[str]) -> str:
    """What the patient typed, cut at :data:`MAX_TEXT`; empty when nothing was typed or the
    message is a button's payload ("/book_appointment{...}"), which says nothing in words."""
    text = (text or "")[:MAX_TEXT]
    return "" if not text.strip() or text.strip().startswith("/") else text


def read_request(text: str, now: datetime, opening: Optional[Opening] = None) -> BookingRequest:
    """Everything ``text`` says about the booking wanted."""
    text = typed(text)
    if not text:
        return BookingRequest()
    phones = find_phones(text)
    chosen = the_mobile(phones)
    phone = chosen[0] if chosen else None
    without_phones = text
    for _, start, end in sorted(phones, key=lambda p: -p[1]):
        without_phones = without_phones[:start] + " " + without_phones[end:]
    query, not_before = preference(without_phones, now, opening)
    return BookingRequest(
        service=find_service(text), when=query if query is not None and query.ok else None,
        when_text=text if query is not None else None, not_before=not_before,
        earliest=bool(query and query.earliest), name=find_name(text, [chosen] if chosen else ()),
        phone=phone)


def keep_preferred(slots: Sequence, not_before: Optional[time], limit: int,
                   not_after: Optional[time] = None) -> list:
    """The slots (with ``.start``) that start at or after ``not_before`` and before
    ``not_after`` (local times of day)."""
    kept = [s for s in slots
            if (not_before is None or s.start.astimezone(ZONE).time() >= not_before)
            and (not_after is None or s.start.astimezone(ZONE).time() < not_after)]
    return kept[:limit]


def latest_start(text: str) -> Optional[time]:
    """The end of a part of the day asked for on any day ("mornings only" -> 12:00), else None."""
    hours = daily_hours(text)
    return hours[1] if hours and hours[1] < time(23) else None


# "a session not a consultation", "instead of the consultation", "rather than a session"
_NEGATED = re.compile(r"\b(?:not|instead of|rather than|no more|no longer)\s+(?:an?|the|my|that|this)?\s*$")
# a service the patient already had, not the one wanted ("make it the meso session, i already did
# consult before", "i had the consultation last week")
_ALREADY_HAD = re.compile(r"\b(?:already|i did|i had|i've had|ive had|i have had|i've done|ive done|i have done|"
                          r"done (?:the|my|a))\s+(?:\S+\s+){0,2}$")


def service_change(text: str, current: Optional[str]) -> Optional[str]:
    """"actually make it a session not a consultation", "a consultation instead": the service
    the patient now wants, when it differs from ``current`` (None if no change is said)."""
    clean = normalise(text or "")[:MAX_TEXT]
    named = []
    for key, pattern in SERVICE_PATTERNS.items():
        for match in re.finditer(pattern, clean):
            if not _NEGATED.search(clean[:match.start()]) and not _ALREADY_HAD.search(clean[:match.start()]):
                named.append(key)
    wanted = set(named)
    if len(wanted) != 1:
        return None
    key = wanted.pop()
    return key if key != current else None


@dataclass(frozen=True)
class PhoneAnswer:
    """A reply to "Which mobile number?": the number (E.164), or why it cannot be used:
    ``two`` (two different numbers), ``foreign`` (not a UAE number, where only those are
    taken) or ``invalid`` (no valid number)."""

    phone: Optional[str] = None
    problem: Optional[str] = None


def read_phone(text: str, uae_only: bool = False) -> PhoneAnswer:
    """The one number ``text`` gives ("my no. is 050 123 4567"; a mobile beside a landline),
    or the problem with it."""
    found = find_phones(text)
    if len(found) > 1 and the_mobile(found) is None:
        return PhoneAnswer(problem="two")
    phone = find_phone(text)
    if not phone:
        return PhoneAnswer(problem="invalid")
    if uae_only and phonenumbers.region_code_for_number(phonenumbers.parse(phone, None)) != DEFAULT_REGION:
        return PhoneAnswer(problem="foreign")
    return PhoneAnswer(phone)


def has_digits_of_a_number(text: str) -> bool:
    """Six or more digits: the message is meant as a phone number, whatever else it says."""
    return sum(ch.isdigit() for ch in unicodedata.normalize("NFKC", text or "")) >= 6


def lone_name(text: str, now: datetime, single: bool = False) -> Optional[str]:
    """"Priya Nair" typed on its own while the form asks something else: a name of two to
    four words (one word too with ``single``: "sara", when the classifier is sure the message
    is a detail), with no day, time, service or number in it; None otherwise."""
    name = normalise_name(text)
    if not name or not (1 if single else 2) <= len(name.split()) <= MAX_NAME_WORDS or find_service(text):
        return None
    return name if resolve(text, now).status == "unknown" else None


def service_answer(text: str) -> Optional[str]:
    """The service named in an answer to "Which appointment would you like?", whatever the
    classifier read it as ("استشارة" and "jalsa" read as questions about a consultation or a
    session); None for a question ("is the consultation free?") or when both or neither is named."""
    text = typed(text)
    if not text or "?" in text or "؟" in text:
        return None
    return find_service(text)


# Someone else to book as well ("me and my sister tmrw", "for both of us", "انا واختي"): each
# booking is for one person, so the patient is told at once that the other one comes next
# (utter_booking_one_person) instead of finding out at the confirmation.
_RELATIVE = (r"(?:sister|sis|brother|bro|friend|frnd|mom|mum|mother|mama|mummy|dad|father|husband|hubby|wife|"
             r"daughter|son|cousin|colleague|fiance|fiancee|partner|aunt|aunty|auntie|niece|nephew|"
             r"(?:mother|sister|brother|daughter|father)[ -]in[ -]law|bff|roommate|flatmate)")
_PEOPLE = re.compile("|".join([
    rf"\b(?:me|myself|i)\s*(?:and|&|n|\+|with)\s*(?:my\s+)?{_RELATIVE}\b",
    rf"\b(?:my\s+)?{_RELATIVE}\s*(?:and|&|n|\+)\s*(?:me|myself|i)\b",
    rf"\bmy\s+{_RELATIVE}\s+(?:\w+\s+){{0,2}}(?:too|also|as well)\b",  # "can my mom come too"
    rf"\b(?:for|with)\s+my\s+{_RELATIVE}\s+(?:and|&|n)\s+(?:me|myself|i)\b",
    r"\b(?:both of us|the two of us|us both|we both|us two|me and her|me and him)\b",
    r"\bfor (?:two|2|three|3|four|4) (?:people|persons|ppl|ladies|of us|patients)\b",
    r"\b(?:two|2|three|3) (?:appointments|appts|bookings|slots)\b",
    # Arabic and Arabizi: "انا واختي", "لي ولاختي", "لشخصين", "موعدين", "ana w o5ti"
    r"(?:انا|لي|الي)\s+و\s?(?:ل|ال)?(?:اخت|اخو|صديق|صاحب|زوج|ام|امي|بنت|ولد|خال|عم|بنات|ربيع)",
    r"لشخصين|موعدين|حجزين|احنا الثنين|احنا الاثنين|نحن الاثنين|لثنين|ل٢ اشخاص|ل2 اشخاص",
    r"\bana (?:w|wa|o) ?(?:o5ti|ukhti|okhti|5ti|a5oy|akhoy|sadee8ti|sadeeqti|zoji|zawji|ommi|mama)\b",
    r"\b(?:shakhsain|shakhsen|2 ashkhas|mo3eden|maw3adain)\b",
]))


# "ok book one friday 7pm", "can i get it saturday": the service of the message before
_ONE_OF_THEM = re.compile(r"\b(?:book|get|take|have|do|want|need|reserve)\s+(?:me\s+|us\s+)?(?:one|it|that)\b")


def service_referred_to(text: str, previous: Optional[str]) -> Optional[str]:
    """The service "one" or "it" stands for in a booking request that names none ("ok book
    one friday 7pm" after "how much is a session?"): the one service the patient's previous
    message named, else None."""
    text = typed(text)
    if not text or not previous or find_service(text) or not _ONE_OF_THEM.search(normalise(text)):
        return None
    return find_service(typed(previous))


def for_more_than_one(text: str) -> bool:
    """Whether the message asks to book for someone else as well ("me and my sister tmrw",
    "can my mom come too", "for two people", "انا واختي")."""
    text = normalise_arabic(unicodedata.normalize("NFKC", typed(text)))  # lower case, one alef, ASCII digits
    return bool(text) and _PEOPLE.search(text) is not None


# The service question unanswered this many times (a day, a name, "ok" typed instead of a
# choice): the usual first visit is booked rather than the question asked a third time, and
# the patient is told how to change it (utter_booking_service_assumed).
ASSUMED_SERVICE = "consultation"
ASSUMED_AFTER_ASKING = 2


def assumed_service(times_asked: int) -> Optional[str]:
    """The service to take when "Which appointment would you like?" has been asked
    ``times_asked`` times in this booking and the latest message still chose none: the
    consultation (free, and where every new patient starts) from the second time on, else
    None (ask again)."""
    return ASSUMED_SERVICE if times_asked >= ASSUMED_AFTER_ASKING else None


def time_before_service(text: str, earlier: Optional[str], now: datetime) -> Optional[str]:
    """A day or time typed when asked which appointment ("tmrw", then "4pm ok"): the wish to
    keep until the time is asked, on the day or at the part of the day said before
    (``earlier``); None when the message names a service or says no day or time."""
    text = typed(text)
    if not text or find_service(text) or not says_a_time(text, now):
        return None
    return at_the_time_of(on_the_day_of(text, earlier, now), earlier, now)


def new_service_said(text: str, current: Optional[str]) -> Optional[str]:
    """A change of service said in words once one is chosen ("actually make it a session",
    "a consultation instead of a session", "session not consultation"): the new service when
    it differs from ``current``, else None (see :func:`service_change_said`)."""
    said = service_change_said(text) if current else None
    return said if said != current else None


def service_change_said(text: str) -> Optional[str]:
    """The service a message of change asks for ("actually make it a session"), even if it is
    the one already chosen (the form may have taken it from the same message), else None."""
    from clinic.booking.replies import changes_the_time  # replies is the older, lower module

    lowered = f" {(text or '').lower()[:MAX_TEXT]} "
    if not (changes_the_time(text) or " not " in lowered or " instead" in lowered):
        return None
    return service_change(text, None)


def about_the_time(text: str, now: datetime) -> bool:
    """While a name or number is asked: the message changes the day or time instead ("wait,
    can we make it saturday instead?", "any evening", "next tuesday") and is no name or number."""
    from clinic.booking.replies import changes_the_time

    text = typed(text)
    if not text or has_digits_of_a_number(text):
        return False
    if resolve(text, now).status == "unknown" and not daily_hours(text):
        return False
    # without words of change, only a short answer such as "any evening" or "next tuesday"
    return changes_the_time(text) or (normalise_name(text) is None and len(text.split()) <= 4)


_NOT_A_REQUEST = re.compile(r"\b(?:how much|cost|price|how long|what is|what's|side effects?|hurt|pain\w*)\b")


# words that ask for an appointment, in English, Arabizi and Arabic ("abi a7jiz maw3ed bukra")
_BOOKING_WORDS = re.compile(r"\b(?:book|booking|appointment|appt|apointment|appoinment|reserve|slot|"
                            r"a7jiz|a7jez|a7joz|ahjiz|e7jez|7ajz|maw3ed|maw3id|mow3ed|mou3ed|mw3d)\b|"
                            r"احجز|حجز|موعد|ميعاد")
# ... unless they are about an existing one (cancel and move have their own readings)
_CHANGE_WORDS = re.compile(r"\b(?:cancel\w*|resched\w*|move|postpone|change|shift|alghi|elghi|kansil|kansel|"
                           r"ghayyir|ghayer|8ayer|ajjil)\b|الغ|إلغ|كنسل|غير|أجل|اجل|انقل")


# an appointment asked for in so many words (not "book", "reserve", "slot": a flight, a table)
_APPOINTMENT_WORDS = re.compile(r"\b(?:appointment|appt|apointment|appoinment|maw3ed|maw3id|mow3ed|mou3ed|mw3d)\b|"
                                r"موعد|ميعاد")
# what other businesses book: a request for one of these is not the clinic's
_ELSEWHERE = re.compile(r"\b(?:flights?|tickets?|hotels?|rooms?|tables?|restaurants?|dinner|lunch|taxi|cab|cars?|"
                        r"movies?|cinema|seats?|salon|haircut|hair|nails?|spa|massage|dentist|dental|vet|visa|"
                        r"passport|bus|train|airport|party|people|persons?|pax)\b")


# a report about a session already had, or about the skin since ("my face is still red from
# the session on friday, normal?"): a worry or a question, not a request, unless it asks to book
_REPORT = re.compile(r"\b(?:from|since|after) (?:my |the |last |yesterday'?s? )*(?:sess?ion|treatment|meso\w*)\b|"
                     r"\b(?:had|did|got|done) (?:my |the |a )?(?:sess?ion|treatment|meso\w*)\b|"
                     r"\b(?:red|redness|swell\w*|swollen|bruis\w*|itch\w*|bumps?|sore|normal)\b")


# "i want to do the meso session", "i need a consultation": the service wanted, in so many words
# (not "i want to know about the session": a question)
_WANTS = re.compile(r"\b(?:i|we|i'd|we'd|id)\s+(?:really\s+)?(?:want|wanna|need|would like|like|'d like)\s+"
                    r"(?:to\s+(?:do|get|have|take|start|try|book|come for)\s+|for\s+)?(?:a|an|the|one|my|some)?\s*"
                    r"(?:scar\s+|acne\s+)?(?:sess?ion|meso\w*|consult\w*|treatment|sitting|appointment)")


def is_booking_request(text: str, now: datetime) -> bool:
    """"consultation tomorrow 5pm", "session on wednesday afternoon", "abi a7jiz maw3ed
    bukra": a message that names a service, or asks for an appointment, with a day or time
    is a request to book it, and so is a service wanted in so many words ("i want to do the
    meso session") (for a message the classifier was not sure about), unless it
    asks about the treatment ("how much is a session on friday?") or is about an existing
    booking ("cancel my appointment tomorrow") or about another business ("book me a flight tomorrow")."""
    text = typed(text)
    if not text or _NOT_A_REQUEST.search(text.lower()) or _ELSEWHERE.search(text.lower()):
        return False
    if _REPORT.search(text.lower()) and not _BOOKING_WORDS.search(text.lower()):
        return False
    said = read_request(text, now)
    if not said.has_time:
        # "salam, i want to do the meso session": the service wanted, no question about it
        return bool(said.service) and bool(_WANTS.search(text.lower())) and "?" not in text
    if said.service:
        return True
    lowered = text.lower()
    return bool(_BOOKING_WORDS.search(lowered)) and not _CHANGE_WORDS.search(lowered)


_FILLER = re.compile(r"\b(?:the|a|an|one|1|for|pls|plz|please|just|only|ok|okay|yes|i mean|meant|scar|"
                     r"reduction|therapy|mesotherapy|sess?ions?|treatment|free|first)\b")


def names_only_a_service(text: str) -> bool:
    """"the meso session", "consultation pls": the message names a bookable service and says
    nothing more (no question, no day), as the answer to "Did you mean...?" can."""
    text = typed(text)
    if not text or "?" in text or "؟" in text or len(text.split()) > 5 or not find_service(text):
        return False
    rest = normalise(text)
    for pattern in SERVICE_PATTERNS.values():
        rest = re.sub(pattern, " ", rest)
    return not _FILLER.sub(" ", rest).strip()


# "can i come saturday", "could we come in tmrw 5pm", "i'd like to come thursday", "put me down
# for friday": a visit asked for without a booking word (not "come back to work", "come out")
_VISIT = re.compile(r"\b(?:can|could|may|shall)\s+(?:i|we|u|you)\s+(?:please\s+|pls\s+)?"
                    r"(?:come|come in|visit|drop by|pop in|stop by|get (?:a |an |one )?(?:slot|appointment|appt))\b"
                    r"(?!\s+(?:back|out|off|home|to work|to the gym|to office))|"
                    r"\b(?:i|we)(?:'d| would)?\s+(?:like|want|wanna|need)\s+(?:to\s+)?(?:come|visit)\b"
                    r"(?!\s+(?:back|out|off|home))|"
                    r"\bput (?:me|us) (?:down|in)\b|\bfit (?:me|us) in\b|\bbook (?:me|us|it|one)\b")


def _about_something_else(lowered: str) -> bool:
    """A message about the treatment, another business or an existing booking, or a report about
    a session had that does not ask for an appointment in so many words: no request for new times
    (:func:`asks_to_book`, :func:`asks_for_free_times`)."""
    return bool(_NOT_A_REQUEST.search(lowered) or _ELSEWHERE.search(lowered) or _CHANGE_WORDS.search(lowered)
                or (_REPORT.search(lowered) and not _BOOKING_WORDS.search(lowered)))


def asks_to_book(text: str, now: datetime) -> bool:
    """Whether one part of a message ("can i come saturday for one", "and book me a session
    friday 6pm", "wanna book a consult on wednesday") asks to book: a booking request
    (:func:`is_booking_request`), or a visit asked for with a day or time ("can i come tmrw
    around 11"). Used on the parts of a message that also asks something else
    (:mod:`clinic.nlu.parts`); a part that asks about the treatment, a report about a session
    had, or another business's booking is none."""
    text = typed(text)
    if not text:
        return False
    if is_booking_request(text, now):
        return True
    if _about_something_else(text.lower()):
        return False
    return bool(_VISIT.search(normalise(text))) and says_a_time(text, now)


def is_clear_booking_request(text: str, now: datetime) -> bool:
    """A booking request clear enough to start the booking even when the classifier called the
    message off-topic ("mumkin maw3ed esteshara bukra sa3a 5?"): a day or time, and the clinic's
    service or an appointment asked for in so many words, and nothing another business books
    ("book me a flight to london tomorrow", "table for 2 at 8pm" stay declined)."""
    text = (text or "")[:MAX_TEXT]
    if not is_booking_request(text, now):
        return False
    return bool(read_request(text, now).service or _APPOINTMENT_WORDS.search(text.lower()))


# words that ask what is free ("saturday got space?", "what times do u have next week thurs");
# not "open" or "time" alone: "are you open on friday", "what time do you close" are the hours
_FREE_WORDS = re.compile(r"\b(?:free|available|availability|avail|space|slots?|timings?|times|openings|vacanc\w*|"
                         r"fadi|fa9i|mitwaffir|mitwafer)\b|فاضي|متاح|متوفر")


def asks_for_free_times(text: str, now: datetime) -> bool:
    """"saturday got space?", "r u free monday after 4", "what times do u have next week thurs":
    a question about the free times of a day or time (for a message the classifier was not
    sure about), not about the treatment or another business."""
    text = typed(text)
    lowered = text.lower()
    if not text or _about_something_else(lowered) or _REPORT.search(lowered):  # no report at all here
        return False
    return bool(_FREE_WORDS.search(lowered)) and read_request(text, now).has_time


def says_a_time(text: str, now: datetime) -> bool:
    """Whether a message says anything about a day or time, "after 5" and "any evening" included."""
    text = typed(text)
    if not text:
        return False
    query, not_before = preference(text, now)
    return query is not None or not_before is not None


_DAYS = "|".join(WEEKDAY_NAMES)
_TWO_DAYS = re.compile(rf"\b({_DAYS})\s*(?:or|and|/|,|or maybe|or else)\s*({_DAYS})\b")


def two_days(text: str) -> Optional[Tuple[str, str]]:
    """"wed or thu afternoon", "monday/tuesday after 5": the wish once for each day
    ("wednesday afternoon", "thursday afternoon"), so that both days are offered; None when
    the text does not name two weekdays side by side."""
    words = normalise((text or "")[:MAX_TEXT])
    match = _TWO_DAYS.search(words)
    if not match or match.group(1) == match.group(2):
        return None
    before, after = words[:match.start()], words[match.end():]
    return before + match.group(1) + after, before + match.group(2) + after


_PART_WORD = re.compile(r"\b(" + "|".join(PARTS) + r")\b")
# "tuesday same time", "thursday at the same time", "نفس الوقت", "nafs el wa2t": the clock time said before
SAME_TIME = re.compile(r"\b(?:at |on )?(?:the )?same (?:time|timing|timings|hour|slot)\b"
                       r"|(?:بنفس|نفس) (?:الوقت|الساعه|الساعة)|\bnafs (?:el |al |il )?(?:wa2t|wa8t|waqt|wagt|sa3a)\b")


def _clock_said(earlier: str) -> Optional[str]:
    """The clock time of ``earlier`` (an ISO time, or words such as "tuesday 5pm") as "5:00 pm",
    or None when it says none."""
    try:
        start = datetime.fromisoformat(earlier)
    except ValueError:
        said = clock_of(earlier)
        if said is None:
            return None
        hour, minute, ampm = said
        return f"{hour}:{minute:02d}{' ' + ampm if ampm else ''}"
    local = start.astimezone(ZONE) if start.tzinfo else start
    return f"{local.hour % 12 or 12}:{local.minute:02d} {'am' if local.hour < 12 else 'pm'}"


def at_the_time_of(text: str, earlier: Optional[str], now: datetime) -> str:
    """"actually make it tuesday" once "monday evening" or "monday after 5" was said
    (``earlier``, the wish kept in words): the new day at the part of the day or after the
    time said before. ``text`` unchanged when it names no day, says a time or a part of the
    day itself, or ``earlier`` said neither (a time already chosen, an ISO time, is not
    carried over: the new day's times are offered, unless the text says "same time")."""
    text = (text or "")[:MAX_TEXT]
    if not earlier or not says_a_day(text, now):
        return text
    said = normalise(text)
    if SAME_TIME.search(said) and clock_of(said) is None:  # "no wait make it wednesday same time"
        clock = _clock_said(earlier)
        if clock:
            return " ".join(f"{SAME_TIME.sub(' ', said)} at {clock}".split())
    if clock_of(said) is not None or _PART_WORD.search(said) or _not_before(said)[0] is not None or daily_hours(said):
        return text
    before = normalise(earlier)
    not_before, _ = _not_before(before)
    if not_before is not None:
        return f"{text} after {not_before:%H:%M}"
    part = _PART_WORD.search(before)
    return f"{text} {part.group(1)}" if part else text


def on_the_day_of(text: str, earlier: Optional[str], now: datetime) -> str:
    """"do you have anything after 5?" or "can we make it 12 instead" once a day was said
    ("consultation tuesday", or the time chosen, ``earlier``: words or an ISO time): the
    new time on that day. ``text`` unchanged when it names a day itself, says no time, or
    ``earlier`` names no single day."""
    text = (text or "")[:MAX_TEXT]
    if not earlier or not says_a_time(text, now) or says_a_day(text, now):
        return text
    days = _TWO_DAYS.search(normalise(earlier)) if two_days(earlier) else None
    if days:  # "2pm" after "wed or thu afternoon": 2pm on either day
        return f"{text} {' or '.join(days.groups())}"
    day = single_day(earlier, now)
    return f"{day.isoformat()} {text}" if day else text


def single_day(said: str, now: datetime) -> Optional[date]:
    """The one day ``said`` names ("consultation tuesday", "tmrw 6pm", an ISO time or date),
    or None when it names none or several."""
    try:
        return datetime.fromisoformat(said).astimezone(ZONE).date()
    except (TypeError, ValueError):
        query, _ = preference(said, now)
        window = None if query is None or not query.ok or query.earliest else query.window
        if window is None:
            return None
        first, last = window[0].astimezone(ZONE).date(), (window[1] - timedelta(seconds=1)).astimezone(ZONE).date()
        return first if first == last else None
