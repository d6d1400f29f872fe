"""A small async client for the WhatsApp Cloud API (``POST /{phone-number-id}/messages``)."""
from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Dict, Optional

import httpx

from clinic.channels.config import WhatsAppSettings
from clinic.channels.http_retry import SendResult, post_with_retries

OUTSIDE_WINDOW_CODE = 131047  # "Re-engagement message": more than 24 h since the patient wrote


class GraphClient:
    """Sends message payloads; the HTTP client is injectable for tests."""

    def __init__(self, settings: WhatsAppSettings, client: Optional[httpx.AsyncClient] = None,
                 backoff: float = 0.5, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self.settings = settings
        self.backoff = backoff
        self.sleep = sleep
        self._client = client

    @property
    def client(self) -> httpx.AsyncClient:
        # created lazily, inside the server's event loop
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.settings.timeout_seconds)
        return self._client

    @property
    def messages_url(self) -> str:
        s = self.settings
        return f"{s.graph_url}/{s.api_version}/{s.phone_number_id}/messages"

    async def send(self, payload: Dict[str, Any]) -> SendResult:
        """POST one message; retries 429/5xx/timeouts with backoff."""
        return await post_with_retries(
            self.client, self.messages_url, what=f"whatsapp send ({payload.get('type')})",
            max_attempts=self.settings.max_attempts, backoff=self.backoff, sleep=self.sleep,
            json=payload, headers={"Authorization": f"Bearer {self.settings.access_token}"},
        )

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()


def outside_window(result: SendResult) -> bool:
    """Whether Meta refused the message because the 24-hour window had closed."""
    error = (result.body or {}).get("error") if isinstance(result.body, dict) else None
    return isinstance(error, dict) and error.get("code") == OUTSIDE_WINDOW_CODE
