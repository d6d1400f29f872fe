"""Conversation ids owned by the server, one namespace per channel (framework-free).

Every conversation id starts with its channel's prefix, and no public client can choose one:

* ``web-<32 hex>``: the website widget (socket.io); ``rest-<32 hex>``: the try-it page
  (the web app's ``/chat``, which forwards to the REST channel). The server makes the id
  at random and gives the browser a *signed* token
  (``web-<32 hex>.<signature>``, HMAC-SHA256 by :mod:`itsdangerous` with a key derived
  from ``RASA_AUTH_TOKEN``); a browser that comes back with a token whose signature
  checks continues its conversation, anything else gets a new one. The id alone (which
  staff see in the console) is not enough to join a conversation.
* ``wa-<digits>`` / ``tw-<...>``: set by the WhatsApp and Twilio channels from the
  sender's number after the platform's signature check.
* anything else: the REST channel, which only answers callers holding the API token
  (servers, tests, the web app's ``/chat``). Even those may not use the widget's, the
  WhatsApp or the Twilio prefix, so a REST call can never write into those conversations.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any, Optional, Tuple

from itsdangerous import BadSignature, Signer

WEB = "web"
REST = "rest"
WHATSAPP = "wa"
TWILIO = "tw"
CHANNEL_PREFIXES = {WEB: "web-", REST: "rest-", WHATSAPP: "wa-", TWILIO: "tw-"}
RESERVED_PREFIXES = ("web-", "wa-", "tw-")  # never accepted from a REST caller
MAX_TOKEN_CHARS = 128
_SALT = "clinic.conversation-id"


def _shape(namespace: str) -> "re.Pattern[str]":
    return re.compile(rf"^{re.escape(CHANNEL_PREFIXES[namespace])}[0-9a-f]{{32}}$")


class ConversationIds:
    """Issues and verifies the signed conversation tokens of one namespace (``web``, ``rest``)."""

    def __init__(self, secret: str, namespace: str = WEB) -> None:
        if not secret:
            raise ValueError("a secret is required to sign conversation ids")
        self.namespace = namespace
        self._prefix = CHANNEL_PREFIXES[namespace]
        self._shape = _shape(namespace)
        self._signer = Signer(secret, salt=f"{_SALT}.{namespace}", digest_method=hashlib.sha256)

    def issue(self) -> Tuple[str, str]:
        """A new ``(conversation_id, token)``: 128 random bits, and the id signed."""
        conversation_id = self._prefix + secrets.token_hex(16)
        return conversation_id, self._signer.sign(conversation_id).decode("ascii")

    def verify(self, token: Any) -> Optional[str]:
        """The conversation id of a token this server issued, else None."""
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
            return None
        try:
            conversation_id = self._signer.unsign(token.encode("utf-8")).decode("ascii")
        except (BadSignature, UnicodeError):
            return None
        return conversation_id if self._shape.match(conversation_id) else None

    def resume_or_issue(self, token: Any) -> Tuple[str, str, bool]:
        """``(conversation_id, token, new)``: the client's conversation if its token
        checks, else a new one."""
        conversation_id = self.verify(token)
        if conversation_id is not None:
            return conversation_id, token, False
        return (*self.issue(), True)


def claims_other_channel(sender_id: str) -> bool:
    """True when a REST sender id uses a prefix reserved for another channel."""
    return sender_id.lower().startswith(RESERVED_PREFIXES)


_PROCESS_KEY = secrets.token_hex(32)


def conversation_key(settings: Any) -> str:
    """The signing key: ``RASA_AUTH_TOKEN`` (shared by every Rasa process and the web
    app); the salt per namespace keeps the signatures apart from any other use. Without
    a token (tests, a bare development set-up) a random key of this process is used."""
    return getattr(settings, "rasa_auth_token", "") or _PROCESS_KEY
