"""A small async client for the WhatsApp Cloud API (``POST /{phone-number-id}/messages``)."""
from __future__ import annotations

from typing import Any, Dict

from clinic.channels.config import WhatsAppSettings
from clinic.channels.http_retry import RetryingSender, SendResult

OUTSIDE_WINDOW_CODE = 131047  # "Re-engagement message": more than 24 h since the patient wrote
# "Message undeliverable" (the number is not on WhatsApp or cannot receive), "recipient not in
# the allowed list" (test numbers), and the old "not a valid WhatsApp user"
NOT_ON_WHATSAPP_CODES = frozenset({131026, 131030, 1013})
SENT, RETRY, REFUSED, NOT_ON_WHATSAPP = "sent", "retry", "refused", "not_on_whatsapp"


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


def error_code(result: SendResult) -> object:
    """Meta's error code in a refused call's body (None when there is none)."""
    error = (result.body or {}).get("error") if isinstance(result.body, dict) else None
    return error.get("code") if isinstance(error, dict) else None


def delivery_outcome(result: SendResult) -> str:
    """What a send means for a job to be sent later (check-ins, reminders):

    ``sent``; ``not_on_whatsapp`` (the number cannot receive WhatsApp: give up); ``refused``
    (any other 4xx but 429, e.g. a template that is not approved or has the wrong parameters:
    give up, staff must fix it); ``retry`` (429, 5xx, timeouts, connection errors: try later).
    """
    if result.ok:
        return SENT
    if result.status is None or result.status == 429 or result.status >= 500:
        return RETRY
    if error_code(result) in NOT_ON_WHATSAPP_CODES:
        return NOT_ON_WHATSAPP
    return REFUSED
