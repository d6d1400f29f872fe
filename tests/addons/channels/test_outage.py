"""Warning signs during an outage: the urgent reply still goes out, fast, and reaches staff.

The assistant here answers nothing (as while the model reloads: Rasa's agent is not ready
and ignores the message) or raises (a store is down). Real HTTP through the REST channel,
a real clinic database and outbox file; the socket.io/WhatsApp/Twilio path is
:func:`addons.channels.outage.run_turn`, exercised with a collecting output.
"""
from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import httpx
import pytest
from sqlalchemy import select

from addons.channels import outage
from addons.channels.rest import ClinicRestInput
from clinic.channels.models import Undelivered
from clinic.db import Base, make_engine, make_session_factory
from clinic.handoff import outbox as outbox_module
from clinic.handoff.models import Handoff
from clinic.handoff.outbox import UrgentOutbox
from tests.addons.channels.harness import ChannelServer

HOOK = "/webhooks/rest/webhook"
TOKEN = "a test API token of some length"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
APOLOGY = "technical problem on our side"


class DownAssistant(ChannelServer):
    """The assistant is down: "crash" raises, anything else gets no answer at all."""

    async def on_new_message(self, message):
        self.received.append(message)
        if message.text.startswith("crash"):
            raise RuntimeError("the tracker store is down")


@pytest.fixture
def factory(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    Base.metadata.create_all(engine, tables=[Handoff.__table__, Undelivered.__table__])
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def box(tmp_path, factory, monkeypatch):
    box = UrgentOutbox(tmp_path / "outbox.db", factory)
    monkeypatch.setattr(outbox_module, "_default", box)
    yield box
    box.wait_idle()


@pytest.fixture
def server(box):
    with DownAssistant(ClinicRestInput(rate_limit=100, auth_token=TOKEN)) as s:
        yield s


def say(server, sender, message):
    return httpx.post(server.url + HOOK, json={"sender": sender, "message": message}, headers=AUTH, timeout=10)


def queued(factory, conversation_id, within=3.0, priority=None):
    """(reason, priority) of the conversation's handoff once there is one (of ``priority``)."""
    deadline, found = time.monotonic() + within, None
    while time.monotonic() < deadline:
        with factory.begin() as session:
            handoff = session.execute(select(Handoff).where(Handoff.conversation_id == conversation_id)).scalar()
            found = (handoff.reason, handoff.priority) if handoff is not None else None
        if found and (priority is None or found[1] == priority):
            return found
        time.sleep(0.05)
    return found


def test_an_emergency_while_the_model_reloads_gets_998_first_fast_and_reaches_staff(server, factory):
    outage.assess("warm up")  # the running server has its spaCy pipeline loaded already
    started = time.perf_counter()
    answer = say(server, "patient-1", "my lips went blue and its hard to breathe")
    replied = time.perf_counter() - started
    assert answer.status_code == 200
    [message] = answer.json()
    assert message["text"].startswith("This may be an emergency. Call 998")
    assert APOLOGY not in message["text"]
    assert replied < 1.0, f"reply took {replied:.2f} s"
    assert queued(factory, "patient-1") == ("urgent", "urgent")
    assert time.perf_counter() - started < 3.0
    with factory.begin() as session:
        [note] = session.execute(select(Undelivered)).scalars().all()
        assert "lips went blue" in note.text and note.reason == "urgent_outage"


def test_a_warning_sign_during_a_store_failure_is_200_with_the_urgent_reply(server, factory):
    answer = say(server, "patient-2", "crash: three days after my session its hot, swollen and leaking pus")
    assert answer.status_code == 200
    assert "call the clinic now" in answer.json()[0]["text"]
    assert queued(factory, "patient-2") == ("urgent", "urgent")


def test_an_arabic_warning_sign_gets_the_arabic_urgent_reply(server, factory):
    answer = say(server, "patient-3", "صديد وحرارة بعد يومين من الجلسة")
    assert answer.status_code == 200
    text = answer.json()[0]["text"]
    assert "اتصل" in text and "998" in text
    assert queued(factory, "patient-3") == ("urgent", "urgent")


def test_ordinary_messages_still_get_the_apology_and_nothing_is_queued(server, factory, box):
    assert APOLOGY in say(server, "patient-4", "how much is a session?").json()[0]["text"]
    failed = say(server, "patient-4", "crash: how much is a session?")
    assert failed.status_code == 503 and APOLOGY in failed.json()["error"]
    assert box.pending() == 0 and queued(factory, "patient-4", within=0.2) is None


def test_an_arabic_message_gets_the_apology_in_arabic(server, factory, box):
    from clinic.channels.texts import text

    failed = say(server, "patient-ar", "crash: كم سعر الجلسة؟")
    assert failed.status_code == 503 and failed.json()["error"] == text("channel_unavailable", "ar")
    assert box.pending() == 0


def test_the_store_being_down_too_keeps_it_in_the_outbox_until_it_is_back(tmp_path, monkeypatch):
    engine = make_engine(f"sqlite:///{tmp_path / 'later.db'}")  # tables missing: the store is "down"
    factory = make_session_factory(engine)
    box = UrgentOutbox(tmp_path / "outbox.db", factory)
    box.drain_soon = lambda: None
    monkeypatch.setattr(outbox_module, "_default", box)
    texts = asyncio.run(outage.outage_messages("my face is swollen and full of pus", "p5", "rest"))
    assert "{" not in texts[0] and "call the clinic now" in texts[0]
    assert box.pending() == 1
    Base.metadata.create_all(engine, tables=[Handoff.__table__, Undelivered.__table__])  # back
    assert box.drain() == 1 and queued(factory, "p5") == ("urgent", "urgent")
    engine.dispose()


class Collecting(outage.CountingOutput):
    def __init__(self):
        self.texts = []

    async def send_text_message(self, recipient_id, text, **kwargs):
        self.texts.append(text)


def test_run_turn_sends_the_urgent_reply_through_the_channels_apology_hook(box, factory):
    from rasa.core.channels.channel import UserMessage

    async def silent(message):
        return None

    said = []

    async def apologise(text):
        said.append(text)

    output = Collecting()
    message = UserMessage("after the filler my throat feels tight and i cant swallow", output, "wa-1",
                          input_channel="whatsapp")
    answered = asyncio.run(outage.run_turn(silent, message, None, "whatsapp", apologise=apologise))
    assert answered is False  # the channel still leaves its own note
    assert said and said[0].startswith("This may be an emergency") and output.texts == []
    assert queued(factory, "wa-1") == ("urgent", "urgent")
    message = UserMessage("hello", output, "wa-2", input_channel="whatsapp")
    asyncio.run(outage.run_turn(silent, message, None, "whatsapp"))
    assert len(output.texts) == 1 and APOLOGY in output.texts[0]


def test_pick_variation_prefers_the_language_and_falls_back_to_the_plain_text():
    variations = [{"text": "en"}, {"text": "ar", "condition": [{"type": "slot", "name": "message_language",
                                                                 "value": "ar"}]}]
    assert outage.pick_variation(variations, "ar") == "ar"
    assert outage.pick_variation(variations, None) == "en"
    assert outage.pick_variation(variations, "fr") == "en"
    assert outage.pick_variation([], "ar") is None


class FakeStore:
    def __init__(self, tracker):
        self.tracker = tracker

    async def retrieve(self, sender_id):
        return self.tracker


def paused_app(text, triage):
    from rasa.shared.core.events import ConversationPaused, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker("waiting-1", slots=[])
    tracker.update(ConversationPaused())
    tracker.update(UserUttered(text, intent={"name": "urgent_symptom", "confidence": 1.0},
                               parse_data={"triage": triage}))
    agent = SimpleNamespace(tracker_store=FakeStore(tracker))
    return SimpleNamespace(ctx=SimpleNamespace(agent=agent))


def test_a_warning_sign_while_waiting_for_a_person_gets_the_urgent_reply_and_an_urgent_handoff(
        box, factory, monkeypatch):
    """Paused after "talk to a person", nobody has taken over: the patient is not left
    with silence, and the waiting handoff becomes urgent."""
    from rasa.core.channels.channel import UserMessage

    from clinic.handoff import service

    monkeypatch.setattr("clinic.db.default_session_factory", lambda: factory)
    with factory.begin() as session:
        service.open_handoff(session, conversation_id="waiting-1", channel="whatsapp", reason="asked",
                             priority="normal")
    text = "my tongue is swelling after the session"
    app = paused_app(text, {"urgent": True, "categories": ["allergic"], "emergency": True})

    async def paused_rasa(message):
        return None  # Rasa stores the message of a paused conversation and runs no action

    output = Collecting()
    message = UserMessage(text, output, "waiting-1", input_channel="whatsapp")
    asyncio.run(outage.run_turn(paused_rasa, message, app, "whatsapp"))
    assert output.texts and output.texts[0].startswith("This may be an emergency")
    assert queued(factory, "waiting-1", priority="urgent") == ("urgent", "urgent")


def test_once_staff_have_taken_over_the_bot_stays_silent(box, factory, monkeypatch):
    from clinic.handoff import service

    monkeypatch.setattr("clinic.db.default_session_factory", lambda: factory)
    with factory.begin() as session:
        handoff = service.open_handoff(session, conversation_id="waiting-1", channel="rest", reason="asked",
                                       priority="normal")
        handoff_id = handoff.id
    with factory.begin() as session:
        service.take_over(session, handoff_id, "sara")
    app = paused_app("there is pus now", {"urgent": True, "categories": ["infection"], "emergency": False})
    outage.begin_turn()
    assert asyncio.run(outage.silence_is_expected(app, "waiting-1")) is True
    plain = paused_app("ok thanks", {"urgent": False, "categories": [], "emergency": False})
    assert asyncio.run(outage.silence_is_expected(plain, "waiting-1")) is True


@pytest.mark.parametrize("text, triage_language, conversation, expected", [
    ("my lips are blue and i feel faint", None, None, "en"),
    ("صديد وحرارة", "ar", None, "ar"),
    ("7arara w sadeed", "ar", None, "ar"),
    ("pus", None, "ar", "ar"),                       # a one-word message keeps an Arabic conversation
    ("there is pus and fever now", None, "ar", "en"),  # an English sentence switches it
    ("there is pus", None, None, "en"),
])
def test_the_urgent_reply_is_in_the_conversations_language(text, triage_language, conversation, expected):
    assert outage.reply_language(text, triage_language, conversation) == expected


def test_a_warning_sign_while_waiting_in_an_arabic_conversation_is_answered_in_arabic(box, factory, monkeypatch):
    import re

    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import UserUttered

    from clinic.handoff import service

    monkeypatch.setattr("clinic.db.default_session_factory", lambda: factory)
    with factory.begin() as session:
        service.open_handoff(session, conversation_id="waiting-1", channel="whatsapp", reason="asked",
                             priority="normal")
    text = "pus"  # one word: the triage reads it in English, the conversation is Arabic
    app = paused_app(text, {"urgent": True, "categories": ["infection"], "emergency": False})
    tracker = app.ctx.agent.tracker_store.tracker
    tracker.events.appendleft(UserUttered("ابي اكلم موظف", intent={"name": "human_handoff", "confidence": 1.0}))

    async def paused_rasa(message):
        return None

    output = Collecting()
    asyncio.run(outage.run_turn(paused_rasa, UserMessage(text, output, "waiting-1", input_channel="whatsapp"),
                                app, "whatsapp"))
    assert output.texts and re.search(r"[\u0600-\u06FF]{3}", output.texts[0])


# -- a tracker store that really fails ----------------------------------------------------
# Rasa wraps the configured store in FailSafeTrackerStore: a read that fails returns no
# conversation and Rasa answers a fresh one (out of context); a save that fails is logged
# and swallowed. ClinicSQLTrackerStore notes the failure for the turn (store_failed), so the
# channel holds back that answer and says it could not answer instead.

@pytest.fixture
def tracker_store(tmp_path):
    from rasa.core.tracker_store import FailSafeTrackerStore
    from rasa.shared.core.domain import Domain

    from addons.tracker_store import ClinicSQLTrackerStore, reset_store_failure

    store = ClinicSQLTrackerStore(domain=Domain.empty(), host=f"sqlite:///{tmp_path / 'tracker.db'}")
    yield store, FailSafeTrackerStore(store)
    reset_store_failure()
    store.engine.dispose()


class SendingOutput(outage.CountingOutput):
    """An output as the real channels write it: :meth:`may_send` first, then send."""

    def __init__(self):
        self.texts = []

    async def send_text_message(self, recipient_id, text, **kwargs):
        if self.may_send():
            self.texts.append(text)


def break_store(store) -> None:
    """The tracker database stops answering (here: its table is gone)."""
    with store.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE events")


def rasa_with(failsafe, answer="Hello! What would you like to know?"):
    """What Rasa's agent does with the store in one turn: read, answer, save."""
    from rasa.shared.core.events import BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    async def on_new_message(message):
        tracker = await failsafe.retrieve(message.sender_id) or DialogueStateTracker(message.sender_id, [])
        tracker.update(UserUttered(message.text))
        await message.output_channel.send_text_message(message.sender_id, answer)
        tracker.update(BotUttered(answer))
        await failsafe.save(tracker)

    return on_new_message


def test_with_a_working_store_the_answer_goes_out(tracker_store, box):
    from rasa.core.channels.channel import UserMessage

    _, failsafe = tracker_store
    output = SendingOutput()
    answered = asyncio.run(outage.run_turn(rasa_with(failsafe), UserMessage("hi", output, "wa-ok"), None, "whatsapp"))
    assert answered is True and output.texts == ["Hello! What would you like to know?"]
    assert not outage.turn_failed()


def test_a_failing_store_holds_back_the_out_of_context_answer_and_apologises(tracker_store, box):
    from rasa.core.channels.channel import UserMessage

    store, failsafe = tracker_store
    break_store(store)
    output = SendingOutput()
    message = UserMessage("how much is a session?", output, "wa-amnesia", input_channel="whatsapp")
    answered = asyncio.run(outage.run_turn(rasa_with(failsafe), message, None, "whatsapp"))
    assert answered is False
    assert len(output.texts) == 1 and APOLOGY in output.texts[0], output.texts
    assert box.pending() == 0  # an ordinary question: nothing for staff


def test_a_warning_sign_while_the_store_fails_gets_the_urgent_reply_and_reaches_staff(tracker_store, box, factory):
    from rasa.core.channels.channel import UserMessage

    store, failsafe = tracker_store
    break_store(store)
    output = SendingOutput()
    message = UserMessage("my cheek is swollen, hot and leaking pus since the session", output, "wa-pus",
                          input_channel="whatsapp")
    asyncio.run(outage.run_turn(rasa_with(failsafe), message, None, "whatsapp"))
    assert len(output.texts) == 1 and "call the clinic now" in output.texts[0], output.texts
    assert queued(factory, "wa-pus") == ("urgent", "urgent")


def test_the_rest_channel_answers_503_when_the_store_fails(tracker_store, box):
    store, failsafe = tracker_store
    break_store(store)

    class AmnesiacAssistant(ChannelServer):
        async def on_new_message(self, message):
            self.received.append(message)
            await rasa_with(failsafe)(message)

    with AmnesiacAssistant(ClinicRestInput(rate_limit=100, auth_token=TOKEN)) as server:
        failed = say(server, "patient-amnesia", "how much is a session?")
    assert failed.status_code == 503 and APOLOGY in failed.json()["error"]
    assert "Hello!" not in failed.text
