"""actions.booking_common: the tracker-event readers the booking actions share."""
from rasa_sdk import Tracker

from actions.booking_common import last_response, last_value, times_asked


def tracker(events):
    return Tracker("c-1", {}, {"text": "x"}, events, False, None, {}, "action_listen")


def bot(response):
    return {"event": "bot", "text": "...", "metadata": {"utter_action": response}}


def test_the_last_response_is_the_newest_bot_message():
    events = [bot("utter_ask_service"), {"event": "user", "text": "no"}, bot("utter_booking_needs_consent"),
              {"event": "user", "text": "ok fine"}]
    assert last_response(tracker(events)) == "utter_booking_needs_consent"
    assert last_response(tracker([{"event": "user", "text": "hi"}])) is None
    assert last_response(tracker([{"event": "bot", "text": "no metadata"}])) is None


def test_the_last_value_survives_the_slot_being_cleared():
    events = [{"event": "slot", "name": "service", "value": "consultation"},
              {"event": "slot", "name": "service", "value": "mesotherapy_session"},
              {"event": "slot", "name": "service", "value": None}]
    assert last_value(tracker(events), "service") == "mesotherapy_session"
    assert last_value(tracker(events), "slot_start") is None


def test_times_asked_counts_since_the_form_began():
    events = [bot("utter_ask_service"), {"event": "active_loop", "name": "booking_form"},
              bot("utter_ask_service"), {"event": "user", "text": "?"}, bot("utter_ask_service")]
    assert times_asked(tracker(events), "utter_ask_service") == 2
