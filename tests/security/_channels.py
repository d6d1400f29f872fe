"""Helpers of the issue-19 channel tests: the channel harness, the API token, a fake tracker store."""
from __future__ import annotations

from types import SimpleNamespace

import httpx

from addons.channels.rest import ClinicRestInput
from tests.addons.channels.harness import ChannelServer

HOOK = "/webhooks/rest/webhook"
TOKEN = "a test API token of some length"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def rest_server(**kwargs) -> ChannelServer:
    try:
        channel = ClinicRestInput(rate_limit=1000, auth_token=TOKEN, **kwargs)
    except TypeError:  # the code before issue 19 had no token
        channel = ClinicRestInput(rate_limit=1000, **kwargs)
    return ChannelServer(channel)


def post(server: ChannelServer, body: dict, auth: bool = True) -> httpx.Response:
    return httpx.post(server.url + HOOK, json=body, headers=AUTH if auth else {}, timeout=10)


class FakeTrackerStore:
    """``retrieve`` answers the given trackers (as Rasa's tracker store does)."""

    def __init__(self, trackers: dict) -> None:
        self.trackers = trackers

    async def retrieve(self, sender_id):
        return self.trackers.get(sender_id)


def with_trackers(server: ChannelServer, trackers: dict) -> None:
    server.app.ctx.agent = SimpleNamespace(tracker_store=FakeTrackerStore(trackers))
