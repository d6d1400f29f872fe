"""A patient's existing booking: which one they mean, and what they ask to do with it.

Cancelling and moving as a receptionist would (issue 14): a patient rarely has the
reference to hand. They write "need to cancel my appt tmrw", "can i move my thursday
session to next week", "by my number 050 ...", or write from the WhatsApp number they
booked with. This module, framework-free, decides:

* :func:`read_change`: what the opening message says (a reference, one phone number,
  which booking: "my thursday session", "tomorrow's appointment"; for a move the new day
  and time: "to next week", "monday instead of saturday", or a shift of the booked time:
  "same time next week", "one day later", "an hour earlier", "earlier than my booking");
* :func:`find_booking`: the patient's upcoming bookings on the phone number (typed, or
  vouched for by WhatsApp/Twilio), narrowed by the reference or the day said, as a typed
  :class:`Lookup` (one, several to choose from, none, or a reference that is not on that
  number); only day, time and service of a booking are ever described
  (:class:`BookingSummary`), never the name or number it was made under;
* :func:`choose`: the patient's pick among several ("the thursday one", "the
  consultation", "the second", or the button's payload);
* :func:`shifted_start`: the new time a relative move asks for, once the booking is known.

The caller (actions/booking_form.py) turns the answers into responses.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import List, Optional, Sequence, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.booking import request
from clinic.booking.dates import DateQuery, describe, describe_clock, describe_day, normalise, resolve
from clinic.booking.models import Appointment, Patient
from clinic.booking.phone import normalise_phone
from clinic.booking.references import TYPED, normalise_reference
from clinic.booking.store import DUBAI, naive_utc
from clinic.channels.ids import CHANNEL_PREFIXES, REST, WEB

MAX_TEXT = 300
MAX_CHOICES = 5
CHOICE_KEY = "booking_choice"  # the payload key of a booking offered as a button


@dataclass(frozen=True)
class BookingSummary:
    """What may be shown of a booking found by a phone number: day, time and service."""

    reference: str
    service_key: str
    service_name: str
    starts_at: datetime  # aware, Asia/Dubai

    def describe(self) -> str:
        """``consultation on Thursday 21 January at 11:00 am``."""
        return f"{self.service_name.lower()} on {describe(self.starts_at)}"

    def button(self) -> dict:
        """A button for choosing it: its day, time and service; the payload names its start
        (already shown), not its reference."""
        title = f"{describe(self.starts_at, short=True)}: {self.service_name}"
        payload = json.dumps({CHOICE_KEY: self.starts_at.astimezone(DUBAI).isoformat()})
        return {"title": title, "payload": f"/inform{payload}"}


@dataclass(frozen=True)
class ChangeRequest:
    """What a cancel or move message says; every field optional.

    ``booked``: the day (window) of the booking meant ("my thursday session");
    ``new_text``: the words asking for the new day and time (a move), for the booking
    form's date rules; ``shift``: a move relative to the booked time ("same time next
    week": 7 days); ``earlier``: "earlier than my booking"; ``no_reference``: "I don't have
    the reference".
    """

    reference: Optional[str] = None
    phone: Optional[str] = None
    booked: Optional[DateQuery] = None
    new_text: Optional[str] = None
    shift: Optional[timedelta] = None
    earlier: bool = False
    service: Optional[str] = None
    no_reference: bool = False


@dataclass(frozen=True)
class Lookup:
    """``kind``: ``one`` (``bookings[0]`` is it), ``several`` (to choose from, soonest
    first), ``none`` (no upcoming booking on that number), ``mismatch`` (the reference is
    not an upcoming booking on that number: nothing about it is said) or ``need_phone``."""

    kind: str
    bookings: Tuple[BookingSummary, ...] = field(default_factory=tuple)

    @property
    def booking(self) -> Optional[BookingSummary]:
        return self.bookings[0] if self.kind == "one" else None


# -- reading the message --------------------------------------------------------------------
_NO_REFERENCE = re.compile(
    r"\b(?:(?:do ?n'?t|dont|do not|didn'?t|did not|never) (?:have|got|get|know|remember|save|keep|find)|"
    r"(?:lost|forgot|forget|misplaced|deleted|can'?t find|cant find|cannot find|no)"
    r"(?: the| my)? (?:ref|reference|booking (?:number|no|ref|code|id)|confirmation|code)|"
    r"without (?:the |a |my )?(?:ref|reference)|no idea|not sure what it is|"
    r"(?:by|with|under|using|from) (?:my |this |the same )?(?:phone|mobile|number|no|whatsapp)(?: number| no)?)\b")
_SHIFTS = [  # (pattern, days, minutes): a move relative to the booked time
    (r"\bsame time (?:next week|a week later|the week after)\b|\b(?:next week|a week later),? same time\b|"
     r"\b(?:a|one|1) week (?:later|after)\b|\bby (?:a|one|1) week\b|\bpush\w* (?:it |my \w+ |this )?(?:by )?"
     r"(?:a|one|1) week\b|\bweek after,? same time\b", 7, 0),
    (r"\b(?:two|2) weeks (?:later|after)\b|\bby (?:two|2) weeks\b", 14, 0),
    (r"\b(?:a|one|1) day (?:later|after)\b|\bthe day after\b(?! tomorrow)|\bnext day\b|\bby (?:a|one|1) day\b|"
     r"\bday later\b", 1, 0),
    (r"\b(?:two|2) days (?:later|after)\b|\bby (?:two|2) days\b", 2, 0),
    (r"\b(?:a|one|1) day (?:earlier|before)\b|\bthe day before\b|\bday earlier\b", -1, 0),
    (r"\b(?:an|one|1) (?:hour|hr) later\b|\bby (?:an|one|1) (?:hour|hr)\b", 0, 60),
    (r"\b(?:two|2) (?:hours|hrs) later\b", 0, 120),
    (r"\b(?:half an hour|30 ?min\w*) later\b", 0, 30),
    (r"\b(?:an|one|1) (?:hour|hr) earlier\b", 0, -60),
    (r"\b(?:half an hour|30 ?min\w*) earlier\b", 0, -30),
]
_EARLIER = re.compile(r"\b(?:earlier|sooner|bring (?:it|my \w+|the \w+) forward|move (?:it )?forward)\b")
# where the new day and time start in a move ("to next week", "instead", "can we do tuesday")
_MOVE_VERB = (r"(?:move|moving|shift|shifting|push|pushing|change|changing|reschedule|reschedul\w*|resched\w*|"
              r"postpone|postponing|prepone|bring|switch|swap|rebook|make it|put)")
_NEW_AFTER = re.compile(
    rf"\b{_MOVE_VERB}\b.*?\b(?:to|till|until|for|into|on to|onto)\b(?!\s+(?:a|another|some|other)\s+(?:day|time)\b)"
    rf"|\b(?:can|could) (?:we|i|u|you) (?:do|come|make it|have|go for|take)\b(?: on| in| at)?"
    rf"|\b(?:how|what) about\b|\bbut (?:i )?(?:need|want|can do|can come|prefer|would like)\b(?: on| it on| in)?"
    rf"|\bi (?:can|could) (?:come|do|make it)(?: on| in| at)?\b|\bprefer\b|\brather\b")
_OLD_LEAD = re.compile(
    r"\b(?:instead of|rather than|from|(?:can'?t|cant|cannot|won'?t|wont|will not|not able to|unable to|can not|"
    r"couldn'?t|not) (?:make it|come|attend|go|be there)(?: to| for)?(?: it)?(?: on| at| in)?"
    r"|booked(?: (?:for|on|at))?|"
    r"(?:booking|appointment|appt|session) (?:is|was)(?: (?:on|for|at))?)\s+")
_OLD_STOP = re.compile(r",|\bbut\b|\bcan\b|\bcould\b|\bso\b|\band\b|\bpls\b|\bplease\b|\binstead\b|\bto\b|\bi\b|$")
_POSSESSIVE = re.compile(r"(?:\b(?:my|the|our)\s+((?:\S+\s+){0,2}?)(?:appt|appointment|session|booking|consultation|"
                         r"slot|visit|sesh|one)\b|(\S+)'s\s+(?:appt|appointment|session|booking|consultation|slot)\b)"
                         r"(?:\s+((?:on |for |at )?(?:tomorrow|today|tonight|"
                         r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"
                         r"(?: (?:morning|afternoon|evening|at \d{1,2}(?::\d{2})? ?(?:am|pm)?))?))?")


def _without_details(text: str) -> str:
    """The message without references and phone numbers (their digits are no dates)."""
    text = TYPED.sub(" ", text)
    for _, start, end in sorted(request.find_phones(text), key=lambda p: -p[1]):
        text = text[:start] + " " + text[end:]
    return text


def _dated(text: str, now: datetime) -> Optional[DateQuery]:
    query = resolve(text, now) if text and text.strip() else None
    return query if query is not None and query.status != "unknown" else None


def _shift(text: str) -> Optional[timedelta]:
    for pattern, days, minutes in _SHIFTS:
        if re.search(pattern, text):
            return timedelta(days=days, minutes=minutes)
    return None


def _split_move(text: str) -> Tuple[str, str]:
    """(words about the booked time, words about the new time) of a move message."""
    old_parts: List[str] = []
    lead = _OLD_LEAD.search(text)
    rest = text
    if lead:
        stop = _OLD_STOP.search(text, lead.end())
        stop_at = stop.start() if stop else len(text)  # the pattern ends in "|$": it always matches
        old_parts.append(text[lead.end():stop_at])
        rest = text[:lead.start()] + " " + text[stop_at:]
    new = _NEW_AFTER.search(rest)
    if new:  # "move my saturday session to | next week": the booked day is before the marker
        old_parts.append(rest[:new.end()])
        return " ".join(old_parts), rest[new.end():]
    possessive = _POSSESSIVE.search(rest)
    if possessive:  # "can i reschedule my thursday session": the day names the booking
        words = [possessive.group(1) or possessive.group(2) or "", possessive.group(3) or ""]
        old_parts.append(" ".join(words))
        rest = rest[:possessive.start()] + " " + rest[possessive.end():]
    return " ".join(old_parts), rest


def read_change(text: str, now: datetime, kind: str = "cancel") -> ChangeRequest:
    """What a cancel (``kind`` cancel) or move (``reschedule``) message says."""
    text = request.typed(text)
    if not text:
        return ChangeRequest()
    phones = request.find_phones(text)
    clean = normalise(_without_details(text))
    common = ChangeRequest(reference=normalise_reference(text), phone=phones[0][0] if len(phones) == 1 else None,
                           service=request.find_service(text), no_reference=bool(_NO_REFERENCE.search(clean)))
    if kind != "reschedule":
        return replace(common, booked=_dated(clean, now))
    old, new = _split_move(clean)
    shift = _shift(clean)
    earlier = shift is None and bool(_EARLIER.search(clean))
    # the booking form's own reading of a wished time ("friday evening", "after 6", "any evening")
    new_dated = None if shift or earlier or not new.strip() else request.preference(new, now)[0]
    return replace(common, booked=_dated(old, now), new_text=new.strip() if new_dated else None,
                   shift=shift, earlier=earlier)


def says_no_reference(text: str) -> bool:
    """"i dont have the reference", "lost my booking number": the patient has no reference."""
    return bool(_NO_REFERENCE.search(normalise(text or "")[:MAX_TEXT]))


def looks_like_a_reference(text: str) -> bool:
    """A reference typed wrongly ("NS-7K3", "ns7k3wx"): asked again as a reference."""
    return bool(re.search(r"(?i)\bns[\s\-_.:#]*[a-z0-9]{2,6}\b", text or ""))


# -- finding the booking --------------------------------------------------------------------
def typed_number_finds_bookings(conversation_id: str) -> bool:
    """Whether a mobile number *typed* in this conversation may, without the booking's
    reference, open the bookings made with it.

    Not on the public website channels (the widget's ``web-`` and the try-it page's
    ``rest-`` conversations): anyone can type anyone's number there, and a booking says who
    is treated, for what and when. There the reference (in the confirmation) is needed, with
    the number. The WhatsApp and Twilio sender's own number is vouched for by the channel
    after its signature check; a REST integration holding the API token answers for its
    users' identity.
    """
    low = (conversation_id or "").lower()
    return not low.startswith((CHANNEL_PREFIXES[WEB], CHANNEL_PREFIXES[REST]))


def summary(appointment: Appointment) -> BookingSummary:
    starts = appointment.starts_at  # naive UTC as stored
    starts = starts.replace(tzinfo=timezone.utc) if starts.tzinfo is None else starts
    return BookingSummary(appointment.reference, appointment.service.key, appointment.service.name,
                          starts.astimezone(DUBAI))


def upcoming_on_phone(session: Session, phone: str, now: datetime) -> List[BookingSummary]:
    """The confirmed bookings on ``phone`` that have not started yet, soonest first."""
    clean = normalise_phone(phone)
    if not clean:
        return []
    rows = session.scalars(
        select(Appointment).join(Patient, Appointment.patient_id == Patient.id)
        .where(Patient.phone == clean).where(Appointment.status == "confirmed")
        .where(Appointment.starts_at > naive_utc(now)).order_by(Appointment.starts_at, Appointment.id)
    ).unique().all()
    return [summary(a) for a in rows]


def _on_day(bookings: Sequence[BookingSummary], when: Optional[DateQuery]) -> List[BookingSummary]:
    """The bookings inside the window said ("thursday", "tomorrow", "friday 3pm")."""
    if when is None or not when.ok or when.start is None or when.end is None:
        return list(bookings)
    if when.exact:
        return [b for b in bookings if b.starts_at == when.start]
    if when.earliest:
        return list(bookings)
    return [b for b in bookings if when.start <= b.starts_at < when.end]


def find_booking(session: Session, *, phone: Optional[str], now: datetime, reference: Optional[str] = None,
                 booked: Optional[DateQuery] = None, service: Optional[str] = None) -> Lookup:
    """The booking the patient means, among the upcoming ones on their ``phone``."""
    if not phone or not normalise_phone(phone):
        return Lookup("need_phone")
    bookings = upcoming_on_phone(session, phone, now)
    ref = normalise_reference(reference) if reference else None
    if ref:
        match = tuple(b for b in bookings if b.reference == ref)
        return Lookup("one", match) if match else Lookup("mismatch")
    if not bookings:
        return Lookup("none")
    narrowed = _on_day(bookings, booked)
    if service and len(narrowed) > 1:
        narrowed = [b for b in narrowed if b.service_key == service] or narrowed
    if len(narrowed) == 1:
        return Lookup("one", tuple(narrowed))
    if len(bookings) == 1:  # the day said is not its day: the read-back shows the real one
        return Lookup("one", tuple(bookings))
    return Lookup("several", tuple((narrowed or bookings)[:MAX_CHOICES]))


_ORDINALS = {"first": 0, "1st": 0, "one": None, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3,
             "4th": 3, "fifth": 4, "5th": 4}


def choose(bookings: Sequence[BookingSummary], text: str, now: datetime) -> Optional[BookingSummary]:
    """The booking the patient picked among ``bookings`` (a button's payload, "the thursday
    one", "the consultation", "the second one", "the later one"), or None when unclear."""
    text = (text or "")[:MAX_TEXT]
    if not bookings or not text.strip():
        return None
    if text.strip().startswith("/"):
        match = re.search(rf'"{CHOICE_KEY}"\s*:\s*"([^"]+)"', text)
        if not match:
            return None
        try:
            start = datetime.fromisoformat(match.group(1))
        except ValueError:
            return None
        picked = [b for b in bookings if b.starts_at == start]
        return picked[0] if len(picked) == 1 else None
    clean = normalise(_without_details(text))
    ref = normalise_reference(text)
    if ref:
        picked = [b for b in bookings if b.reference == ref]
        return picked[0] if picked else None
    candidates = list(bookings)
    when = _dated(clean, now)
    if when is not None and when.ok:
        candidates = _on_day(candidates, when)
        if not candidates and when.exact and when.start is not None:
            # "the 3pm one" on another day than resolve guessed
            at = when.start.time()
            candidates = [b for b in bookings if b.starts_at.time() == at]
    service = request.find_service(clean)
    if service:
        candidates = [b for b in candidates if b.service_key == service]
    if len(candidates) > 1:
        words = clean.split()
        if any(w in ("last", "later", "latter", "second") for w in words) and len(candidates) == 2:
            return candidates[-1] if "second" not in words else candidates[1]
        for word in words:
            index = _ORDINALS.get(word)
            if index is not None and index < len(candidates):
                return candidates[index]
        if any(w in ("earlier", "sooner", "former") for w in words):
            return candidates[0]
    return candidates[0] if len(candidates) == 1 and (when is not None or service) else None


def shifted_start(booked: BookingSummary, change: ChangeRequest) -> Optional[datetime]:
    """The new start a relative move asks for ("same time next week": the booked time + 7 days)."""
    if change.shift is None:
        return None
    return booked.starts_at + change.shift


# "tuesday same time", "thursday at the same time", "نفس الوقت", "nafs el wa2t": the booked clock time
_SAME_TIME = request.SAME_TIME


def new_time_wish(booked: BookingSummary, change: ChangeRequest) -> Optional[str]:
    """The new time a move asks for, in words the booking form's date rules read: a relative
    move as the moved start ("same time next week"); a new day "at the same time" ("tuesday
    same time") as that day at the booked clock time; else the words as said (or None)."""
    target = shifted_start(booked, change)
    if target is not None:
        return describe(target)
    text = change.new_text
    if text and _SAME_DAY.search(text):  # "after office same day instead": the booked day
        text = " ".join(_SAME_DAY.sub(f" {describe_day(booked.starts_at)} ", text).split())
    if text and _SAME_TIME.search(text):
        text = " ".join(f"{_SAME_TIME.sub(' ', text)} at {describe_clock(booked.starts_at)}".split())
    return text


# "can i come after office same day instead", "later that day", "نفس اليوم", "nafs el yom": the booked day
_SAME_DAY = re.compile(r"\b(?:on )?(?:the |that )?same (?:day|date)\b|\b(?:later|earlier) (?:on )?that day\b|"
                       # (the Arabic and Arabizi "اليوم" is read as "today" before this: "نفس today")
                       r"(?<!\w)(?:ب|ل|في )?نفس (?:اليوم|today)(?!\w)|"
                       r"\b(?:b|fi |fe )?nafs (?:(?:el|al|il)[ -]?(?:yom|youm|yoom)|today)\b", re.I)


# what may stand around "same time" in an answer at the offered times ("same time pls", "same
# time as before", "نفس الوقت لو سمحت")
_SAME_TIME_FILLER = frozenset("""pls please plz ok okay yes ya the as before my booking booked old one usual now current
    is fine works لو سمحت بس""".split())


def says_only_same_time(text: str) -> bool:
    """"same time pls", "نفس الوقت لو سمحت": "same time" and nothing more than filler."""
    text = normalise((text or "")[:request.MAX_TEXT])
    if not _SAME_TIME.search(text):
        return False
    return all(word in _SAME_TIME_FILLER for word in normalise(_SAME_TIME.sub(" ", text)).split())


def same_time_on_offered_day(text: str, booked_start: datetime, offered: Sequence[datetime]) -> Optional[str]:
    """"same time" typed at the times offered for a move: the offered day at the booked clock
    time ("Wednesday 20 January at 11:00 am", in words the form reads), or None when the
    message says more than that, no time is offered, or the offered times span several days."""
    days = {start.astimezone(DUBAI).date() for start in offered}
    if len(days) != 1 or not says_only_same_time(text):
        return None
    return f"{describe_day(offered[0])} at {describe_clock(booked_start)}"


# --- a cancel or move the classifier was not sure about -------------------------------------------

# what the patient does to the booking, in their words (English, Arabizi, Arabic)
_CANCEL_CUE = re.compile(
    r"\b(?:cancel\w*|cancl\w*|cansel\w*|cancle\w*|call(?:ing)? off|can'?t make it|cant make it|cannot make it|"
    r"won'?t make it|wont make it|can'?t come|cant come|cannot come|won'?t be able to come|not coming|"
    r"alghi|elghi|kansel)\b|(?:ألغ|الغ|الغاء|إلغاء|كنسل)")
_MOVE_CUE = re.compile(
    rf"\b(?:{_MOVE_VERB}|another (?:day|time|date|slot)|different (?:day|time|date|slot)|new (?:time|date)|"
    rf"instead|later date|earlier|sooner|a5ir|ghayir|ghayyer)\b"
    rf"|(?:أجل|اجل|أأجل|غير|أغير|اغير|أحول|احول|انقل|أنقل|تأجيل|تغيير)")
_BOOKING_WORD = re.compile(
    r"\b(?:appointment|appt|apt|appoint\w*|booking|booked|book|session|consultation|consult|slot|reservation|"
    r"visit|meso|treatment|it|mine|my (?:one|time|day)|maw3ed|maw3id|mw3d|7ajz|hajz)\b|(?:موعد|حجز|جلسة|استشارة)",
    re.IGNORECASE)
# a question about cancelling, not a request: "what's your cancellation policy for appointments?"
_ABOUT_THE_RULES = re.compile(
    r"\b(?:polic\w*|fee|fees|charge\w*|refund\w*|deposit|penalt\w*|free of charge|for free|rules?|"
    r"what if|what happens|lose my)\b|(?:رسوم|سياسة|استرداد|غرامة)")
# a move said as the new time relative to the booked one: "same time next week", "push it by an hour"
_SHIFT_CUE = re.compile(r"\b(?:same time (?:next|the following) (?:week|wk)|(?:next|following) (?:week|wk) same time|"
                        r"by an? (?:hour|day|week)|an? (?:hour|day|week) (?:later|earlier))\b")
CHANGE_INTENTS = {"cancel_appointment": "cancel", "reschedule_appointment": "reschedule"}
UNSURE_FLOOR = 0.5  # the classifier's own confidence in the cancel or move, below the fallback's
# a message whose best guess is a detail or off-topic because of the number or the Arabic in it
# ("ابي الغي موعدي يوم الخميس رقمي 050...", "same time next week pls, cant make it thursday. 056..."):
# the cancel or move the words say, when the classifier ranks it too at this much or more
NUMBER_PULLED = {"inform", "out_of_scope"}
SECOND_FLOOR = 0.15


def says_a_change(text: str) -> bool:
    """Whether the words ask to cancel or move a booking ("cancel", "change it to", "same time
    next week", "الغي", "ghayir") or name one by its reference."""
    text = (text or "")[:MAX_TEXT]
    low = text.lower()
    return bool(TYPED.search(text) or _CANCEL_CUE.search(low) or _MOVE_CUE.search(low) or _SHIFT_CUE.search(low))


def unsure_change(text: str, ranking: Sequence[dict]) -> Optional[str]:
    """``"cancel"`` or ``"reschedule"`` for a message the fallback caught that is plainly a
    cancel or a move: the classifier's best guess (``nlu_fallback`` aside) is that intent at
    :data:`UNSURE_FLOOR` or more, *and* the words say it (a cancel or move word and a word
    for the booking or its reference: "need to cancel my appt tmrw, something came up",
    "pls change NS-7K3W to thursday 4pm"). Also when the best guess is a detail or off-topic
    (:data:`NUMBER_PULLED`: a number or Arabic in the message) and the cancel or move the
    words say is ranked next at :data:`SECOND_FLOOR` or more. Else None: the fallback asks
    "did you mean".
    """
    text = (text or "")[:MAX_TEXT]
    if not text.strip() or text.lstrip().startswith("/"):
        return None
    ranked = [r for r in ranking or [] if r.get("name") != "nlu_fallback"]
    best = ranked[0] if ranked else None
    low = text.lower()
    if not (_BOOKING_WORD.search(low) or TYPED.search(text)) or _ABOUT_THE_RULES.search(low):
        return None
    said = {kind for kind, cue in (("cancel", _CANCEL_CUE), ("reschedule", _MOVE_CUE), ("reschedule", _SHIFT_CUE))
            if cue.search(low)}
    kind = CHANGE_INTENTS.get((best or {}).get("name") or "")
    if kind and best is not None:
        sure_enough = float(best.get("confidence") or 0.0) >= UNSURE_FLOOR
        return kind if sure_enough and kind in said else None
    if (best or {}).get("name") not in NUMBER_PULLED:
        return None
    # the best-ranked cancel or move that the words say, when the classifier ranks it too
    for other in ranked[1:]:
        kind = CHANGE_INTENTS.get(other.get("name") or "")
        if kind and kind in said:
            return kind if float(other.get("confidence") or 0.0) >= SECOND_FLOOR else None
    return None
