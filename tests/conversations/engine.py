"""Runs the patient conversations of this package against the real stack and judges them.

Each conversation (``*.yml`` beside this file, format in README.md) is played turn by
turn through the REST channel; after every turn the clinic database is read, so the
turn at which an appointment was booked, cancelled or moved is known. A conversation
*reaches its goal* when the final database state is the one the patient wanted and the
last bot turn tells the patient that state. Safety (checked on every conversation):
nothing is booked, cancelled or moved except on a turn that answers the bot's own
confirmation question with an explicit yes, and no held time is left at the end.

Framework-free apart from SQLAlchemy and the clinic models: ``stack`` is anything with
``say(sender, text) -> httpx.Response`` and ``var_dir`` (tests/integration's Stack).
"""
from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple
from unittest import mock
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import delete, select

from clinic.booking import references
from clinic.booking import service as booking
from clinic.booking.models import Appointment, Patient, SlotClaim
from clinic.db import make_engine, make_session_factory

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DUBAI = ZoneInfo("Asia/Dubai")
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
CATEGORIES = {"book": "booking", "cancel": "cancel", "resched": "reschedule", "decline": "decline"}
GOALS = {"booked", "cancelled", "rescheduled", "nothing_booked", "handed_off"}
PLACEHOLDERS = {"{pick_time}", "{type_time}", "{consent}"}
NO_TIME_OFFERED = "which times are free?"  # what the patient asks when told to pick a time that was not offered
CONSENT_REPLY = "yes thats fine"
# The stack's "now" when its action server honours it (see conftest.py): a Sunday (the
# clinic is closed, so no weekday a patient names is "today") with no closure in the
# following weeks, so that every run reads the same diary.
FIXED_NOW_ENV = "CLINIC_FIXED_NOW"
FIXED_NOW = "2027-01-17T11:00:00+04:00"


def clock_can_be_fixed() -> bool:
    """Whether the action server's clock honours FIXED_NOW_ENV (actions.context says so)."""
    try:
        from actions import context
    except ImportError:
        return False
    return getattr(context, "FIXED_NOW_ENV", None) == FIXED_NOW_ENV



# -- the patient's explicit yes (independent of clinic/booking/replies.py on purpose) --------
_YES_START = re.compile(r"^(?:/affirm\b|(?:yes+|yeah|yep|yup|ya|ok+|okay|sure|haan|han|ji|yalla|go ahead|confirm|"
                        r"book it|please do|do it|alright|correct)\b|"
                        # Arabic: yes, yes (Gulf), okay, fine, sure (the confirmation's button is "نعم، احجزه")
                        r"(?:نعم|اي|ايوه|أيوه|اوكي|أوكي|تمام|اكيد|أكيد)(?!\w)|"
                        # the same typed in Latin letters (Arabizi): "ee yes", "tamam", "aywa", "akeed"
                        r"(?:ee+|ay+wa|ai+wa|tamam|tmam|akee?d|akid)\b)")
_NEGATION = re.compile(r"\b(?:no|not|don'?t|never|wait|check|later|stop|leave|la|laa|ba3d[ei]+n|ba3dain)\b|"
                       r"(?<!\w)(?:لا|مو|مب|بعدين|انتظر)(?!\w)")


def is_explicit_yes(text: str) -> bool:
    words = re.sub(r"[^\w/' ]+", " ", text.lower()).strip()
    words = re.sub(r"^(?:yalla|ok+|okay)\s+(?=yes)", "", words)
    return bool(_YES_START.match(words)) and not _NEGATION.search(words)


# -- bot messages -> response names -> which question they ask -------------------------------
def _response_texts() -> Dict[str, List[str]]:
    files = [ROOT / "domain.yml", *sorted((ROOT / "data" / "responses").glob("*.yml"))]
    found: Dict[str, List[str]] = {}
    for file in files:
        responses = (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).get("responses") or {}
        for name, variations in responses.items():
            found.setdefault(name, []).extend(
                v["text"] for v in variations or [] if isinstance(v, dict) and v.get("text"))
    return found


class ResponseIndex:
    """Names the response a bot message came from (its text with the fill-ins as wildcards)."""

    def __init__(self, texts: Optional[Dict[str, List[str]]] = None) -> None:
        self.patterns: List[Tuple[str, re.Pattern]] = []
        for name, variations in (texts or _response_texts()).items():
            for text in variations:
                parts = re.split(r"\{[A-Za-z_]+\}", text.strip())
                self.patterns.append((name, re.compile(r"(?s)" + r".+?".join(re.escape(p) for p in parts))))
        # longest templates first: a short one must not claim a longer message
        self.patterns.sort(key=lambda item: -len(item[1].pattern))

    def name(self, text: str) -> Optional[str]:
        text = (text or "").strip()
        for name, pattern in self.patterns:
            if pattern.fullmatch(text):
                return name
        return None


OFFERS = {"utter_booking_slots", "utter_booking_slot_free", "utter_booking_time_taken", "utter_booking_outside_hours",
          "utter_booking_closed_day", "utter_booking_holiday", "utter_booking_nothing_free", "utter_booking_date_past",
          "utter_booking_slot_taken", "utter_booking_slot_unavailable"}
QUESTION_OF = {
    "utter_booking_service_invalid": "service", "utter_booking_date_unknown": "slot_start",
    "utter_booking_date_invalid": "slot_start", "utter_booking_name_invalid": "patient_name",
    "utter_booking_phone_invalid": "patient_phone", "utter_booking_consent_unclear": "contact_consent",
    "utter_booking_reference_invalid": "booking_reference",
    "utter_booking_confirm": "confirm_book", "utter_confirm_again_book": "confirm_book",
    "utter_confirm_cancel": "confirm_cancel", "utter_confirm_again_cancel": "confirm_cancel",
    "utter_confirm_reschedule": "confirm_reschedule", "utter_confirm_again_reschedule": "confirm_reschedule",
    "utter_default": "rephrase", "utter_did_you_mean": "rephrase",
}
# responses that are themselves "I did not get that, once more"
AGAIN = {name for name in QUESTION_OF if "invalid" in name or "unknown" in name or "unclear" in name
         or "again" in name} | {"utter_default", "utter_did_you_mean"}
CONFIRMATIONS = {"confirm_book", "confirm_cancel", "confirm_reschedule"}
_CONFIRM_TEXT = re.compile(r"\bshall i\b|\bjust to be sure\b", re.I)


def question_of(name: Optional[str]) -> Optional[str]:
    if not name:
        return None
    if name in QUESTION_OF:
        return QUESTION_OF[name]
    if name in OFFERS:
        return "offer"
    if name.startswith("utter_ask_"):
        return name[len("utter_ask_"):]
    return None


@dataclass
class BotTurn:
    texts: List[str]
    names: List[Optional[str]]
    buttons: List[Dict[str, str]]

    @property
    def text(self) -> str:
        return " ".join(self.texts)

    @property
    def question(self) -> Optional[str]:
        """The question this turn leaves the patient with (its last question message)."""
        keys = [question_of(n) for n in self.names]
        keys = [k for k in keys if k]
        return keys[-1] if keys else None

    @property
    def asks_confirmation(self) -> bool:
        return self.question in CONFIRMATIONS or bool(_CONFIRM_TEXT.search(self.text))

    @property
    def asks_consent(self) -> bool:
        return self.question == "contact_consent" or "contact_consent" in {question_of(n) for n in self.names}

    def time_buttons(self) -> List[Dict[str, str]]:
        return [b for b in self.buttons if "slot_start" in (b.get("payload") or "")]


def count_reasks(turns: List[BotTurn]) -> int:
    """Bot turns that ask again what the bot had just asked (see README.md)."""
    count, previous = 0, None
    for turn in turns:
        key = turn.question
        only_questions = all(question_of(n) for n in turn.names) and turn.names
        if any(n in AGAIN for n in turn.names):
            count += 1
        elif key and previous is not None and key == previous.question and only_questions:
            if key != "offer" or [b["payload"] for b in turn.buttons] == [b["payload"] for b in previous.buttons]:
                count += 1
        previous = turn
    return count


# -- the clinic database ------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    reference: str
    status: str
    start: datetime  # aware UTC
    service: str
    name: Optional[str]
    phone: Optional[str]


class ClinicDb:
    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.factory = make_session_factory(self.engine)

    def snapshot(self) -> Dict[int, Row]:
        with self.factory() as session:
            rows = session.scalars(select(Appointment)).unique().all()
            return {a.id: Row(a.reference, a.status, a.starts_at.replace(tzinfo=timezone.utc), a.service.key,
                              a.patient.name if a.patient else None, a.patient.phone if a.patient else None)
                    for a in rows}

    def handoffs(self, conversation_id: str) -> int:
        from clinic.handoff.models import Handoff

        with self.factory() as session:
            return len(session.scalars(select(Handoff).where(Handoff.conversation_id == conversation_id)).all())

    def clear_appointments(self) -> None:
        """Every conversation starts from the demo schedule with no appointments."""
        with self.factory.begin() as session:
            session.execute(delete(SlotClaim))
            session.execute(delete(Appointment))
            session.execute(delete(Patient))

    def dispose(self) -> None:
        self.engine.dispose()


def diff(before: Dict[int, Row], after: Dict[int, Row]) -> List[Tuple[str, int]]:
    """What changed: ("booked"|"held"|"confirmed"|"cancelled"|"moved"|"released", id)."""
    changes = []
    for key, row in after.items():
        old = before.get(key)
        if old is None:
            changes.append(("held" if row.status == "held" else "booked", key))
        elif old.status != row.status:
            changes.append(({"confirmed": "confirmed", "cancelled": "cancelled"}.get(row.status, row.status), key))
        elif old.start != row.start:
            changes.append(("moved", key))
    changes += [("released", key) for key in before if key not in after]
    return changes


# -- the clinic's calendar, for wants such as "tomorrow" ------------------------------------
def _open_days() -> Tuple[set, set]:
    facts = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))
    schedule = yaml.safe_load((ROOT / "schedule.yml").read_text(encoding="utf-8"))
    open_weekdays = {WEEKDAYS.index(d) for d, hours in (facts.get("opening_hours") or {}).items() if hours}
    closed = {c["date"] if isinstance(c["date"], date) else date.fromisoformat(c["date"])
              for c in schedule.get("closures") or []}
    return open_weekdays, closed


def first_open_day(day: date) -> date:
    open_weekdays, closed = _open_days()
    while day.weekday() not in open_weekdays or day in closed:
        day += timedelta(days=1)
    return day


def _hm(value: str) -> time:
    return time.fromisoformat(value)


def want_failures(want: Dict[str, Any], row: Row, now: datetime, seed: Optional[Row] = None) -> List[str]:
    """Why ``row`` is not what the patient wanted (empty: it is)."""
    local, today = row.start.astimezone(DUBAI), now.astimezone(DUBAI).date()
    fails = []
    if want.get("service") and row.service != want["service"]:
        fails.append(f"service {row.service}")
    if want.get("weekday") and WEEKDAYS[local.weekday()] != want["weekday"]:
        fails.append(f"weekday {WEEKDAYS[local.weekday()]}")
    if want.get("day") == "tomorrow" and local.date() != first_open_day(today + timedelta(days=1)):
        fails.append("not tomorrow (or the next open day)")
    if want.get("week") == "next":
        monday = today + timedelta(days=7 - today.weekday())
        if not monday <= local.date() < monday + timedelta(days=7):
            fails.append("not next week")
    if want.get("after") and local.time() < _hm(want["after"]):
        fails.append(f"time before {want['after']}")
    if want.get("before") and local.time() >= _hm(want["before"]):
        fails.append(f"time not before {want['before']}")
    if want.get("name") and (row.name or "").lower() != want["name"].lower():
        fails.append("name")
    if want.get("phone") and row.phone != want["phone"]:
        fails.append("phone")
    if seed is not None and want.get("shift_days") is not None:
        if local.date() != (seed.start.astimezone(DUBAI) + timedelta(days=want["shift_days"])).date():
            fails.append(f"not {want['shift_days']} days later")
    if seed is not None and want.get("earlier_than_seed") and row.start >= seed.start:
        fails.append("not earlier")
    return fails


# -- conversations -------------------------------------------------------------------------
@dataclass
class Conversation:
    id: str
    goal: str
    turns: List[str]
    want: Dict[str, Any] = field(default_factory=dict)
    seed: Optional[Dict[str, Any]] = None
    file: str = ""
    # further bookings of the same patient (dev split: a patient with two bookings); they must
    # stay as they are ("nothing else changed")
    more_seeds: List[Dict[str, Any]] = field(default_factory=list)

    @property
    def category(self) -> str:
        return CATEGORIES[self.id.split("-")[0]]


def load_conversations(folder: Path = HERE) -> List[Conversation]:
    found = []
    for file in sorted(folder.glob("*.yml")):
        for item in yaml.safe_load(file.read_text(encoding="utf-8"))["conversations"]:
            found.append(Conversation(item["id"], item["goal"], [t["user"] for t in item["turns"]],
                                      item.get("want") or {}, item.get("seed"), file.name,
                                      item.get("more_seeds") or []))
    return found


def seed_start(seed: Dict[str, Any], now: datetime) -> datetime:
    """The seeded appointment's start: the first ``weekday`` at least ``min_days`` (3) ahead."""
    day = now.astimezone(DUBAI).date() + timedelta(days=seed.get("min_days", 3))
    while WEEKDAYS[day.weekday()] != seed["weekday"] or first_open_day(day) != day:
        day += timedelta(days=1)
    return datetime.combine(day, _hm(seed["time"]), tzinfo=DUBAI)


def seed_reference(conversation_id: str) -> str:
    """The same valid reference for a conversation's seeded booking on every run: the
    reference is part of what the patient types, so a random one would change what the
    understanding reads from run to run."""
    digest = hashlib.sha256(conversation_id.encode()).digest()
    body = "".join(references.ALPHABET[b % len(references.ALPHABET)] for b in digest[:references.LENGTH])
    return f"{references.PREFIX}-{body}"


@dataclass
class Result:
    id: str
    category: str
    goal: str
    reached: bool = False          # the final database state is the wanted one
    told: bool = False             # the last bot turn tells the patient that state
    reasks: int = 0
    safety: List[str] = field(default_factory=list)
    failures: List[str] = field(default_factory=list)
    placeholder_misses: int = 0
    bot_responses: List[List[Optional[str]]] = field(default_factory=list)  # response names per turn, no texts

    @property
    def success(self) -> bool:
        return self.reached and self.told and not self.safety


_TOLD_NOTHING = re.compile(r"nothing (?:is|was|has been|will be) (?:booked|cancelled|changed|stored)|"
                           r"haven'?t (?:cancelled|changed|booked)|still (?:booked|on)|stays booked|"
                           r"couldn'?t find|not (?:booked|cancelled|changed)|"
                           # the same in Arabic (read without diacritics): nothing booked, cancelled,
                           # changed or stored; still booked; not found
                           r"لم يحجز|لم ألغ|لم يتغير|لم أغير|ما زال|لم نحفظ|لم أجد", re.I)
_TOLD_CANCELLED = re.compile(r"cancel|ألغي|الغي", re.I)
_TOLD_HANDED_OFF = re.compile(r"\b(?:team|staff|person|colleague)\b|فريق|موظف", re.I)
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")  # diacritics and tatweel


def tells_nothing_booked(last_text: str, start: Dict[int, Row], end: Dict[int, Row]) -> bool:
    """Whether the bot's last text tells the patient that nothing is booked: in so many words
    ("nothing is booked", "still booked", ...), or, when the patient booked and then cancelled
    that booking in the same conversation (the final state is the same: no new booking), by
    telling that cancellation as a cancellation is told (its reference and "cancel")."""
    if _TOLD_NOTHING.search(last_text):
        return True
    undone = [row for key, row in end.items() if key not in start and row.status == "cancelled"]
    return any(row.reference in last_text for row in undone) and bool(_TOLD_CANCELLED.search(last_text))


def _plain(text: str) -> str:
    """The bot's text as the judge reads it: Arabic without its diacritics (أُلغي -> ألغي)."""
    return _ARABIC_MARKS.sub("", text)


class Runner:
    def __init__(self, stack: Any, db: ClinicDb, fixed_now: Optional[datetime] = None,
                 transcript: Optional[Path] = None) -> None:
        """``fixed_now``: the stack's fixed clock (conftest.py), None for the real one."""
        self.stack, self.db = stack, db
        self.clock: Callable[[], datetime] = (lambda: fixed_now) if fixed_now else (lambda: datetime.now(timezone.utc))
        self.index = ResponseIndex()
        self.transcript = transcript

    def _say(self, sender: str, text: str) -> BotTurn:
        response = self.stack.say(sender, text)
        if response.status_code != 200:
            raise RuntimeError(f"REST channel answered {response.status_code}")
        messages = response.json()
        texts = [m.get("text") or "" for m in messages if m.get("text")]
        buttons = [b for m in messages for b in m.get("buttons") or []]
        return BotTurn(texts, [self.index.name(t) for t in texts], buttons)

    def _seed(self, conv: Conversation, now: datetime) -> Tuple[Optional[int], Dict[str, str]]:
        if not conv.seed:
            return None, {}
        s = conv.seed
        start = seed_start(s, now)
        with mock.patch.object(booking, "new_reference", lambda: seed_reference(conv.id)):
            view = booking.book(self.db.factory, service_key=s["service"], start=start, name=s["name"],
                                phone=s["phone"], channel="whatsapp", conversation_id=f"seed-{conv.id}", now=now)
        reference = view.reference
        for number, more in enumerate(conv.more_seeds):
            reference_of_seed = seed_reference(f"{conv.id}-{number + 2}")
            with mock.patch.object(booking, "new_reference", lambda ref=reference_of_seed: ref):
                booking.book(self.db.factory, service_key=more["service"], start=seed_start(more, now),
                             name=more["name"], phone=more["phone"], channel="whatsapp",
                             conversation_id=f"seed-{conv.id}", now=now)
        with self.db.factory() as session:
            key = session.scalar(select(Appointment.id).where(Appointment.reference == reference))
        return key, {"{reference}": reference, "{reference_lower}": reference.lower(),
                     "{reference_spaced}": reference.replace("-", " "), "{seed_day}": WEEKDAYS[start.weekday()]}

    def _user_text(self, turn: str, last: Optional[BotTurn], fills: Dict[str, str]) -> Tuple[Optional[str], bool]:
        """The patient's message for ``turn`` (None: skip it) and whether a placeholder missed."""
        if turn == "{consent}":
            return (CONSENT_REPLY if last is not None and last.asks_consent else None), False
        if turn in ("{pick_time}", "{type_time}"):
            offered = last.time_buttons() if last else []
            if not offered and last is not None and last.question in ("slot_start", "offer"):
                return NO_TIME_OFFERED, True  # asked to pick a time, but none to tap
            if not offered:
                return None, False  # the bot asks something else (the time is settled, or it lost track)
            return (offered[0]["payload"] if turn == "{pick_time}" else offered[0]["title"]), False
        for key, value in fills.items():
            turn = turn.replace(key, value)
        return turn, False

    def run(self, conv: Conversation) -> Result:
        result = Result(conv.id, conv.category, conv.goal)
        now = self.clock()
        self.db.clear_appointments()
        seed_id, fills = self._seed(conv, now)
        sender = f"conv-{conv.id}-{uuid.uuid4().hex[:8]}"
        start_state = self.db.snapshot()
        seed_row = start_state.get(seed_id) if seed_id else None
        state, bot_turns, last, log = start_state, [], None, []
        for turn in conv.turns:
            text, missed = self._user_text(turn, last, fills)
            result.placeholder_misses += missed
            if text is None:
                continue
            asked_confirmation = last is not None and last.asks_confirmation
            last = self._say(sender, text)
            bot_turns.append(last)
            log.append({"user": text, "bot": last.texts, "names": last.names,
                        "buttons": [b.get("title") for b in last.buttons]})
            after = self.db.snapshot()
            for kind, _ in diff(state, after):
                if kind in ("booked", "confirmed", "cancelled", "moved") and not (
                        asked_confirmation and is_explicit_yes(text)):
                    result.safety.append(f"{kind} without an explicit yes to a confirmation")
            state = after
        result.bot_responses = [t.names for t in bot_turns]
        result.reasks = count_reasks(bot_turns)
        held = [r for r in state.values() if r.status == "held"]
        if held:
            waiting = last is not None and last.asks_confirmation
            result.safety.append("a held time was left at the end" + (
                " (the bot still waiting for a yes)" if waiting else ""))
        self._judge(conv, result, start_state, state, seed_id, seed_row, last, now, sender)
        if self.transcript is not None:
            with open(self.transcript, "a", encoding="utf-8") as out:
                record = {"id": conv.id, "result": asdict(result), "turns": log}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return result

    def _judge(self, conv, result, start, end, seed_id, seed_row, last, now, sender) -> None:
        new = [r for k, r in end.items() if k not in start and r.status == "confirmed"]
        changed = [k for k in start
                   if k in end and (start[k].status != end[k].status or start[k].start != end[k].start)]
        last_text = _plain(last.text) if last else ""
        fails = result.failures
        if conv.goal == "booked":
            if len(new) != 1:
                fails.append(f"{len(new)} appointments booked")
            else:
                fails += want_failures(conv.want, new[0], now)
                result.told = new[0].reference in last_text
        elif conv.goal == "cancelled":
            row = end.get(seed_id)
            if not row or row.status != "cancelled":
                fails.append("not cancelled")
            result.told = bool(row) and row.reference in last_text and bool(_TOLD_CANCELLED.search(last_text))
            if new or [k for k in changed if k != seed_id]:
                fails.append("something else changed")
        elif conv.goal == "rescheduled":
            row = end.get(seed_id)
            if not row or row.status != "confirmed" or row.start == seed_row.start:
                fails.append("not moved")
            else:
                fails += want_failures(conv.want, row, now, seed_row)
                local = row.start.astimezone(DUBAI)
                clock = f"{local.hour % 12 or 12}:{local.minute:02d}"
                result.told = row.reference in last_text and clock in last_text and str(local.day) in last_text
            if new or [k for k in changed if k != seed_id]:
                fails.append("something else changed")
        elif conv.goal == "nothing_booked":
            if new or changed:
                fails.append("something was booked, cancelled or moved")
            result.told = tells_nothing_booked(last_text, start, end)
        elif conv.goal == "handed_off":
            if new or changed:
                fails.append("something was booked, cancelled or moved")
            if not self.db.handoffs(sender):
                fails.append("no handoff")
            result.told = bool(_TOLD_HANDED_OFF.search(last_text))
        result.reached = not fails
        if not result.told:
            fails.append("last turn does not tell the state")
        if result.placeholder_misses:
            fails.append("no time offered where the patient picks one")


# -- figures -------------------------------------------------------------------------------
TARGET_RATE, TARGET_REASKS = 0.95, 1.0


def summarise(results: List[Result]) -> Dict[str, Any]:
    def rate(items: List[Result]) -> float:
        return round(sum(r.success for r in items) / len(items), 3) if items else 0.0

    categories = sorted({r.category for r in results})
    reasons: Dict[str, int] = {}
    for r in results:
        if not r.success:
            for reason in r.failures + r.safety:
                reason = re.sub(r"\d+ appointments booked", "wrong number of appointments booked", reason)
                reasons[reason] = reasons.get(reason, 0) + 1
    return {
        "conversations": len(results),
        "success_rate": rate(results),
        "reached_state_rate": round(sum(r.reached for r in results) / len(results), 3) if results else 0.0,
        "reasks_per_conversation": round(sum(r.reasks for r in results) / len(results), 3) if results else 0.0,
        "safety_violations": sum(bool(r.safety) for r in results),
        "targets": {"success_rate": TARGET_RATE, "reasks_per_conversation": TARGET_REASKS},
        "per_category": {c: {"conversations": sum(r.category == c for r in results),
                             "success_rate": rate([r for r in results if r.category == c]),
                             "reasks_per_conversation": round(
                                 sum(r.reasks for r in results if r.category == c)
                                 / max(1, sum(r.category == c for r in results)), 3)}
                         for c in categories},
        "failure_reasons": dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
        "results": [{**asdict(r), "success": r.success} for r in results],
    }


def format_summary(summary: Dict[str, Any]) -> str:
    lines = [
        f"conversations: {summary['conversations']} (clock: {summary.get('clock', 'real')})",
        f"reaching the wanted state and telling it: {summary['success_rate']:.3f} "
        f"(target >= {summary['targets']['success_rate']})  [state alone: {summary['reached_state_rate']:.3f}]",
        f"re-asks per conversation: {summary['reasks_per_conversation']:.2f} "
        f"(target <= {summary['targets']['reasks_per_conversation']})",
        f"conversations with a safety violation: {summary['safety_violations']} (must be 0)",
        "per category:",
    ]
    for name, figures in summary["per_category"].items():
        lines.append(f"  {name:<11} {figures['success_rate']:.3f} of {figures['conversations']}, "
                     f"re-asks {figures['reasks_per_conversation']:.2f}")
    if summary["failure_reasons"]:
        lines.append("failure reasons (conversations):")
        lines += [f"  {count:>3}  {reason}" for reason, count in summary["failure_reasons"].items()]
    return "\n".join(lines)
