"""Tracker JSON -> what staff read."""
from clinic.handoff.transcript import patient_wrote_while_paused, summarise


def user(text, intent="faq", **parse):
    return {"event": "user", "text": text, "timestamp": 1.0,
            "parse_data": {"intent": {"name": intent}, **parse}}


def bot(text, **extra):
    return {"event": "bot", "text": text, "timestamp": 2.0, **extra}


TRACKER = {
    "paused": True,
    "slots": {"booking_date": "2026-12-01", "handoff_reason": None, "session_started_metadata": {"x": 1},
              "name": "x" * 500},
    "events": [
        {"event": "session_started", "timestamp": 0.5},
        user("<script>alert(1)</script>", "greet"),
        bot("Hi!", data={"buttons": [{"title": "Prices", "payload": "/faq"}]}),
        user("my lips are swelling", "urgent_symptom",
             entities=[{"entity": "warning_sign", "value": "swelling"}],
             triage={"urgent": True, "categories": ["allergic_reaction"], "emergency": True}),
        {"event": "pause", "timestamp": 3.0},
        bot("Sara (clinic team): hello", metadata={"staff": "sara"}),
        {"event": "action", "name": "action_listen"},
    ],
}


def test_summary_lists_messages_intents_slots_triage_and_bookings():
    summary = summarise(TRACKER)
    assert [(m["who"], m["text"]) for m in summary["messages"]] == [
        ("note", "New session"), ("patient", "<script>alert(1)</script>"), ("bot", "Hi!"),
        ("patient", "my lips are swelling"), ("note", "Bot paused: waiting for staff"),
        ("staff", "Sara (clinic team): hello"),
    ]
    assert summary["messages"][2]["buttons"] == ["Prices"]
    assert summary["last_intents"] == ["urgent_symptom", "greet"]
    assert summary["triage"] == ["swelling", "allergic_reaction", "EMERGENCY (998)", "urgent_symptom"]
    assert summary["bookings"] == {"booking_date": "2026-12-01"}
    assert set(summary["slots"]) == {"booking_date", "name"} and len(summary["slots"]["name"]) == 200
    assert summary["paused"] is True


def test_empty_or_odd_trackers_do_not_fail():
    assert summarise({})["messages"] == []
    odd = {"events": [{"event": "user"}, {"event": "bot", "data": None}, {"event": "whatever"}]}
    assert [m["text"] for m in summarise(odd)["messages"]] == ["", ""]


def test_patient_wrote_while_paused():
    events = TRACKER["events"]
    assert not patient_wrote_while_paused(TRACKER)
    assert patient_wrote_while_paused({"events": events + [user("hello?")]})
    resumed = events + [{"event": "resume"}, user("thanks")]
    assert not patient_wrote_while_paused({"events": resumed})
    assert not patient_wrote_while_paused({"events": [user("hi")]})


def test_the_urgent_reply_is_an_alert_in_the_transcript():
    from clinic.handoff.transcript import message_items

    items = message_items([
        {"event": "user", "text": "my lips are blue", "timestamp": 1.0},
        {"event": "bot", "text": "Call 998 now.", "timestamp": 2.0,
         "metadata": {"utter_action": "utter_urgent_emergency"}},
        {"event": "bot", "text": "Anything else?", "timestamp": 3.0,
         "metadata": {"utter_action": "utter_anything_else"}},
    ])
    assert [item.get("alert", False) for item in items] == [False, True, False]
