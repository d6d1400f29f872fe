"""Runs a channel's Sanic blueprint on a free port in a thread, with a fake assistant.

The fake assistant records each ``UserMessage`` and answers through the message's
output channel ("echo: <text>", plus buttons when the text is "buttons"), so tests see
real HTTP in and real HTTP out (to the fake Graph API) without a Rasa model.
"""
from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any, List

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic

# Sanic rewrites some of its own methods when a server starts ("touch-up"); in test
# mode it keeps the originals, so more than one server can start in one process.
Sanic.test_mode = True

BUTTONS = [{"title": "What is it?", "payload": "What is scar reduction mesotherapy?"},
           {"title": "Prices", "payload": "How much does it cost?"},
           {"title": "Side effects", "payload": "What are the side effects?"},
           {"title": "Book a consultation", "payload": "/book_appointment"}]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChannelServer:
    """``with ChannelServer(channel) as server: httpx.post(server.url + "/webhooks/...")``."""

    _count = 0

    def __init__(self, channel: InputChannel, delay: float = 0.0) -> None:
        ChannelServer._count += 1
        self.channel = channel
        self.delay = delay
        self.received: List[UserMessage] = []
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = Sanic(f"channel_test_{ChannelServer._count}")
        self.app.blueprint(channel.blueprint(self.on_new_message),
                           url_prefix=f"/webhooks/{channel.url_prefix()}")
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._server: Any = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    async def on_new_message(self, message: UserMessage) -> None:
        self.received.append(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        if message.text == "buttons":
            await message.output_channel.send_text_with_buttons(message.sender_id, "Choose:", BUTTONS)
        elif message.text == "crash":
            raise RuntimeError("the assistant failed")
        elif message.text == "silent":  # as when the action server is down
            return
        else:
            await message.output_channel.send_text_message(message.sender_id, f"echo: {message.text}")

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)

        async def serve() -> None:
            self._server = await self.app.create_server(host="127.0.0.1", port=self.port,
                                                        return_asyncio_server=True)
            await self._server.startup()
            self._ready.set()
            await self._server.serve_forever()

        try:
            self._task = self.loop.create_task(serve())
            self.loop.run_until_complete(self._task)
        except BaseException:  # cancelled on stop
            import traceback
            self.error = traceback.format_exc()

    def drain(self, timeout: float = 30.0) -> None:
        """Wait until the channel's background tasks are done."""
        asyncio.run_coroutine_threadsafe(self.channel.background.drain(timeout), self.loop).result(timeout + 5)

    def __enter__(self) -> "ChannelServer":
        self._thread.start()
        if not self._ready.wait(15):
            raise RuntimeError(f"the channel server did not start: {getattr(self, 'error', None)!r}")
        return self

    def __exit__(self, *exc: Any) -> None:
        def stop() -> None:
            self._server.close()
            self._task.cancel()

        self.loop.call_soon_threadsafe(stop)
        self._thread.join(10)
