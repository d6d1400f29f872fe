"""The widget's socket.io output marks the urgent reply as an alert (rasa-webchat's
customCss class) and leaves every other message as plain text."""
from __future__ import annotations

import asyncio

from addons.channels.socketio import _CountingOutput


class Recorder:
    def __init__(self):
        self.sent = []

    async def emit(self, event, data=None, room=None, **kwargs):
        self.sent.append((event, data, room))


def test_urgent_reply_parts_carry_the_alert_class_others_do_not():
    sio = Recorder()
    output = _CountingOutput(sio, "bot_uttered")

    async def run():
        await output.send_response("web-1", {"text": "Call 998 now.\n\nThen call the clinic.",
                                             "utter_action": "utter_urgent_emergency", "metadata": {}})
        await output.send_response("web-1", {"text": "Hello!", "utter_action": "utter_greet"})

    asyncio.run(run())
    alert = {"customCss": {"style": "class", "css": "rw-urgent"}}
    assert sio.sent == [
        ("bot_uttered", {"text": "Call 998 now.", "metadata": alert}, "web-1"),
        ("bot_uttered", {"text": "Then call the clinic.", "metadata": alert}, "web-1"),
        ("bot_uttered", {"text": "Hello!"}, "web-1"),
    ]
