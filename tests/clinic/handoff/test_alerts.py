"""The urgent reply's marker: its response names (one list, the action's), styled in the
widget only through socket.io metadata, plain text otherwise."""
from __future__ import annotations

from actions import urgent
from clinic.handoff import alerts


def test_the_marked_responses_are_the_urgent_replies_of_the_action():
    assert alerts.URGENT_RESPONSES == set(urgent.RESPONSES_USED) - {urgent.STAND_DOWN_RESPONSE}


def test_widget_message_marks_only_the_urgent_reply():
    marked = alerts.widget_message("Call 998 now.", {"utter_action": "utter_urgent_emergency"})
    assert marked == {"text": "Call 998 now.",
                      "metadata": {"customCss": {"style": "class", "css": "rw-urgent"}}}
    for metadata in (None, {}, {"utter_action": "utter_greet"}, {"utter_action": "utter_urgent_stand_down"},
                     "utter_urgent_care"):
        assert alerts.widget_message("Hello", metadata) == {"text": "Hello"}
