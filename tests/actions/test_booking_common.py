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


def test_the_times_offered_earlier_are_those_of_the_latest_offer_however_long_ago():
    from actions.booking_common import offered_earlier, offered_times

    def offer(*starts):
        return {"event": "bot", "text": "times", "data": {"buttons": [
            {"title": s, "payload": f'/inform{{"slot_start": "{s}"}}'} for s in starts]}}

    old, new = ["2027-01-18T10:00:00+04:00"], ["2027-01-20T12:00:00+04:00", "2027-01-20T12:30:00+04:00"]
    events = [offer(*old), {"event": "user", "text": "wednesday"}, offer(*new),
              {"event": "user", "text": new[0]}, bot("utter_ask_patient_name"),
              {"event": "user", "text": "actually make it the 2nd one"}]
    assert [t.isoformat() for t in offered_earlier(tracker(events))] == new
    assert offered_times(tracker(events)) == []  # not offered just before this message
    assert offered_earlier(tracker([{"event": "user", "text": "hi"}])) == []
