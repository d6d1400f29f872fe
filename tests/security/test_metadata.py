"""Issue 19, item 3: public channels keep only the metadata keys they define, small;
the channel and the phone number never come from the client.

Each test failed on the code the issue was filed against (REST passed the client's
metadata through, the widget kept any key but ``channel``/``phone``).
"""
from __future__ import annotations

import asyncio
import json

from addons.channels.socketio import ClinicSocketIOInput
from tests.addons.channels.harness import ChannelServer
from tests.security._channels import post, rest_server
from tests.addons.channels.test_socketio_channel import ORIGIN, Widget


def test_rest_metadata_cannot_claim_whatsapp_or_set_the_phone():
    with rest_server() as server:
        answer = post(server, {"sender": "visitor-1", "message": "book",
                               "metadata": {"channel": "whatsapp", "phone": "+971505550199"}})
        assert answer.status_code == 200
        metadata = server.received[0].metadata or {}
        assert "channel" not in metadata and "phone" not in metadata


def test_a_megabyte_of_metadata_is_not_stored():
    with rest_server() as server:
        answer = post(server, {"sender": "visitor-2", "message": "hi",
                               "metadata": {"language": "en", "notes": "x" * 1_000_000}})
        assert answer.status_code in (200, 400, 413)
        for message in server.received:
            assert len(json.dumps(message.metadata or {})) <= 256


def test_the_widget_keeps_only_its_own_keys():
    with ChannelServer(ClinicSocketIOInput(allowed_origins=(ORIGIN,))) as server:
        async def go():
            widget = Widget(server.url)
            token = await widget.open()
            await widget.say("hi", token, custom={"language": "en", "utm": "x" * 500, "phone": "+971505550199"})
            for _ in range(100):
                if server.received:
                    break
                await asyncio.sleep(0.05)
            assert server.received[0].metadata == {"language": "en", "channel": "web"}
            await widget.close()
        asyncio.run(go())
