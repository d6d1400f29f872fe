"""clinic.rasa_client against an httpx mock transport."""
import asyncio
import json

import httpx
import pytest

from clinic.rasa_client import RasaClient, RasaError


def client(handler, token="s3cret"):
    transport = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://rasa")
    return RasaClient("http://rasa", token, client=transport)


def test_bot_messages_go_out_on_the_latest_channel_with_the_token():
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, json={})

    asyncio.run(client(handler).send_bot_message("wa-971 5/0?x", "Hi", {"staff": "sara"}))
    [request] = seen
    assert request.method == "POST"
    assert request.url.raw_path.startswith(b"/conversations/wa-971%205%2F0%3Fx/tracker/events?")
    assert dict(request.url.params) == {"token": "s3cret", "include_events": "NONE",
                                        "execute_side_effects": "true", "output_channel": "latest"}
    assert json.loads(request.content) == [{"event": "bot", "text": "Hi", "metadata": {"staff": "sara"}}]


def test_resume_is_followed_by_action_listen_and_trackers_include_every_session():
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, json={"events": []})

    rasa = client(handler)
    asyncio.run(rasa.resume("c1"))
    asyncio.run(rasa.pause("c1"))
    asyncio.run(rasa.get_tracker("c1"))
    assert json.loads(seen[0].content) == [{"event": "resume"}, {"event": "action", "name": "action_listen"}]
    assert "execute_side_effects" not in seen[0].url.params
    assert json.loads(seen[1].content) == [{"event": "pause"}]
    assert seen[2].url.params["include_events"] == "ALL"


@pytest.mark.parametrize("handler", [
    lambda r: (_ for _ in ()).throw(httpx.ConnectError("refused")),
    lambda r: httpx.Response(401, json={"message": "unauthorized"}),
    lambda r: httpx.Response(500, text="Traceback (most recent call last)"),
    lambda r: httpx.Response(200, text="<html>"),
])
def test_failures_become_a_clear_rasa_error(handler):
    with pytest.raises(RasaError) as error:
        asyncio.run(client(handler).get_tracker("c1"))
    assert "Traceback" not in str(error.value) and "assistant" in str(error.value)
