"""actions.context: the one clock, database and channel reading of every action."""
import dataclasses
from datetime import datetime, timezone

from rasa_sdk import Tracker

from actions import aftercare, aftercare_checkins, booking_common, handoff, privacy, urgent
from actions.context import Clock, channel_of, message_metadata, session_factory


def tracker(metadata=None, channel="socketio"):
    latest = {"text": "x", "intent": {"name": "greet"}, "metadata": metadata}
    events = [{"event": "user", "text": "x", "input_channel": channel, "parse_data": latest}]
    return Tracker("c-1", {}, latest, events, False, None, {}, "action_listen")


def test_channel_from_the_metadata_then_rasas_input_channel():
    assert channel_of(tracker({"channel": "whatsapp", "phone": "+971501234567"})) == "whatsapp"
    assert channel_of(tracker({})) == "socketio"
    assert channel_of(tracker("not a mapping", channel=None)) == "unknown"
    assert channel_of(tracker({"channel": "x" * 100})) == "x" * 32
    assert message_metadata(tracker(["a", "list"])) == {}


def test_a_whole_test_stack_can_fix_the_clock(monkeypatch):
    from clinic import settings as clinic_settings

    fixed = datetime(2027, 1, 17, 7, 0, tzinfo=timezone.utc)
    real = clinic_settings.get_settings()
    monkeypatch.setattr(clinic_settings, "get_settings", lambda: dataclasses.replace(real, fixed_now=fixed))
    assert Clock.now() == fixed


def test_every_action_module_uses_the_one_clock_and_database():
    for module in (aftercare, aftercare_checkins, booking_common):
        assert module.Clock is Clock and module.session_factory is session_factory
    for module in (handoff, privacy, urgent):
        assert module.session_factory is session_factory and module.channel_of is channel_of
    assert handoff.ActionHandoff()._clock == Clock.now  # the handoff's "is the clinic open now?"
