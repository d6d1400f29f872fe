"""A small async client for the WhatsApp Cloud API (``POST /{phone-number-id}/messages``)."""
from __future__ import annotations

from typing import Any, Dict

from clinic.channels.config import WhatsAppSettings
from clinic.channels.http_retry import RetryingSender, SendResult

OUTSIDE_WINDOW_CODE = 131047  # "Re-engagement message": more than 24 h since the patient wrote


class GraphClient(RetryingSender):
    """Sends message payloads to the WhatsApp Cloud API."""

    settings: WhatsAppSettings

    @property
    def messages_url(self) -> str:
        s = self.settings
        return f"{s.graph_url}/{s.api_version}/{s.phone_number_id}/messages"

    async def send(self, payload: Dict[str, Any]) -> SendResult:
        """POST one message; retries 429/5xx/timeouts with backoff."""
        return await self.post(
            self.messages_url, what=f"whatsapp send ({payload.get('type')})",
            json=payload, headers={"Authorization": f"Bearer {self.settings.access_token}"},
        )


def outside_window(result: SendResult) -> bool:
    """Whether Meta refused the message because the 24-hour window had closed."""
    error = (result.body or {}).get("error") if isinstance(result.body, dict) else None
    return isinstance(error, dict) and error.get("code") == OUTSIDE_WINDOW_CODE
