"""A small async client for the Rasa HTTP API (``rasa run --enable-api``).

The httpx client is injectable so tests point it at a fake server. Rasa's
``--auth-token`` goes in the ``token`` query parameter of every call. Messages for the
patient are ``bot`` events appended with ``execute_side_effects=true`` and
``output_channel=latest``, so Rasa sends them through the channel the patient last
wrote on, even while the conversation is paused (a REST conversation has no output
channel: Rasa then stores the message and delivers nothing).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional
from urllib.parse import quote

import httpx


class RasaError(RuntimeError):
    """Rasa could not be reached or refused the call; ``str()`` is safe to show."""


class RasaClient:
    """The Rasa HTTP API calls the handoff needs."""

    def __init__(self, base_url: str, token: str, client: Optional[httpx.AsyncClient] = None,
                 timeout: float = 15.0) -> None:
        self._token = token
        self._client = client or httpx.AsyncClient(base_url=base_url, timeout=timeout)

    async def aclose(self) -> None:
        await self._client.aclose()

    def _params(self, **extra: str) -> Dict[str, str]:
        return {"token": self._token, **extra} if self._token else dict(extra)

    @staticmethod
    def _path(conversation_id: str, tail: str = "") -> str:
        return f"/conversations/{quote(conversation_id, safe='')}/tracker{tail}"

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await self._client.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise RasaError(f"The assistant is not reachable ({type(error).__name__}).") from error
        if response.status_code != 200:
            raise RasaError(f"The assistant refused the request (HTTP {response.status_code}).")
        try:
            return response.json()
        except ValueError as error:
            raise RasaError("The assistant sent an unreadable answer.") from error

    async def get_tracker(self, conversation_id: str, include_events: str = "ALL") -> Dict[str, Any]:
        """The conversation with every event of every session (``include_events="NONE"``:
        its state only, e.g. ``latest_event_time``, for the console's change watcher)."""
        return await self._call("GET", self._path(conversation_id),
                                params=self._params(include_events=include_events))

    async def append_events(self, conversation_id: str, events: List[Dict[str, Any]],
                            deliver: bool = True) -> Dict[str, Any]:
        """Append ``events``; with ``deliver``, bot events go out on the latest channel."""
        params = self._params(include_events="NONE")
        if deliver:
            params.update(execute_side_effects="true", output_channel="latest")
        return await self._call("POST", self._path(conversation_id, "/events"),
                                params=params, json=events)

    async def send_bot_message(self, conversation_id: str, text: str,
                               metadata: Optional[Dict[str, Any]] = None) -> None:
        """Deliver ``text`` to the patient through their own channel, paused or not."""
        event: Dict[str, Any] = {"event": "bot", "text": text}
        if metadata:
            event["metadata"] = metadata
        await self.append_events(conversation_id, [event])

    async def pause(self, conversation_id: str) -> None:
        await self.append_events(conversation_id, [{"event": "pause"}], deliver=False)

    async def resume(self, conversation_id: str) -> None:
        """Hand the conversation back to the bot: ``resume`` then ``action_listen``
        (``resume`` alone left the next turn broken on Rasa 3.6)."""
        await self.append_events(
            conversation_id,
            [{"event": "resume"}, {"event": "action", "name": "action_listen"}],
            deliver=False,
        )

    async def get_domain(self) -> Dict[str, Any]:
        """The loaded model's domain (responses, actions, slots)."""
        return await self._call("GET", "/domain", params=self._params(),
                                headers={"Accept": "application/json"})
