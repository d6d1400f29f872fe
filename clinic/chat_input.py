"""Validation of a chat message sent by a client (REST channel and web page), and the
bounded text the language model reads.

Framework-free so that the Rasa channel and the web console share one set of rules.

:func:`text_for_model` is what the NLU pipeline reads of a message (installed where the
text enters NLU, :mod:`addons.nlu.bounded_parse`): runs of one character and of
whitespace collapsed, runs of symbols shortened, at most :data:`MODEL_MAX_CHARS`
characters. The conversation keeps the full text for staff. :func:`bound_suffix_search`
removes the step of spaCy's tokenizer whose cost grew with the square of a run of
punctuation (``$$$$...``: 8,000 of them took 14 s).
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable, Dict, Optional, Tuple

SENDER_PATTERN = re.compile(r"^[A-Za-z0-9_.:@+\-]{1,128}$")
MAX_METADATA_DEPTH = 8

# What the language model reads of a message (the full text stays in the conversation).
MODEL_MAX_CHARS = 1000
MAX_REPEAT = 3          # "sooooo" -> "sooo", "!!!!!!" -> "!!!" (digits are kept: "10000")
MAX_SYMBOL_RUN = 10     # "$%$%$%$%..." -> its first 10 characters
SUFFIX_WINDOW = 32      # the longest suffix spaCy's tokenizer needs to see (its rules: < 10)
_WHITESPACE_RUN = re.compile(r"\s{2,}")
_REPEAT_RUN = re.compile(r"([^\d\s])\1{%d,}" % MAX_REPEAT)
_SYMBOL_RUN = re.compile(r"[^\w\s]{%d,}" % (MAX_SYMBOL_RUN + 1))


class InvalidRequest(ValueError):
    """The request body does not follow the chat format; ``status`` is the HTTP code."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def parse_chat_body(raw: bytes, max_chars: int) -> Tuple[str, str, Optional[Dict[str, Any]]]:
    """Validate ``{"sender": str, "message": str, "metadata": {...}?}``.

    Returns ``(sender, message, metadata)``; raises :class:`InvalidRequest` with a
    message that is safe to show the client.
    """
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: deeply nested JSON
        raise InvalidRequest("The body must be a JSON object encoded as UTF-8.") from None
    if not isinstance(body, dict):
        raise InvalidRequest("The body must be a JSON object.")
    sender, message, metadata = body.get("sender"), body.get("message"), body.get("metadata")
    if not isinstance(sender, str) or not SENDER_PATTERN.match(sender):
        raise InvalidRequest(
            "'sender' is required: 1-128 characters of letters, digits and _ . : @ + -"
        )
    if not isinstance(message, str):
        raise InvalidRequest("'message' is required and must be a string.")
    if len(message) > max_chars:
        raise InvalidRequest(f"'message' is longer than {max_chars} characters.", status=413)
    if not is_valid_text(message):
        raise InvalidRequest("'message' must be valid Unicode text (it has a lone surrogate such as \\ud800).")
    if metadata is not None and not isinstance(metadata, dict):
        raise InvalidRequest("'metadata' must be a JSON object when given.")
    if metadata is not None and nesting_depth(metadata) > MAX_METADATA_DEPTH:
        raise InvalidRequest(f"'metadata' may be nested at most {MAX_METADATA_DEPTH} levels deep.")
    return sender, message, metadata


def nesting_depth(value: Any, limit: int = 64) -> int:
    """How deeply ``value`` nests lists and objects (counting stops past ``limit``)."""
    depth, level = 0, [value]
    while level and depth <= limit:
        depth += 1
        level = [child for item in level if isinstance(item, (dict, list))
                 for child in (item.values() if isinstance(item, dict) else item)
                 if isinstance(child, (dict, list))]
    return depth


def is_valid_text(text: str) -> bool:
    """False for text that cannot be stored or sent on: a lone surrogate (``"\\ud800"``
    in JSON decodes to one, and every later ``encode("utf-8")`` fails)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def text_for_model(text: str, max_chars: int = MODEL_MAX_CHARS) -> str:
    """The text the NLU pipeline reads: bounded work, the same meaning.

    Whitespace runs become one space (one newline if they held one: triage ends a
    sentence there), a character repeated more than :data:`MAX_REPEAT` times is kept
    :data:`MAX_REPEAT` times (not digits: prices and numbers stay), a run of more than
    :data:`MAX_SYMBOL_RUN` symbols keeps its first ones, and the result is cut to
    ``max_chars`` (at a space when there is one near the end). Linear in the length.
    """
    if not text:
        return text
    text = _WHITESPACE_RUN.sub(lambda m: "\n" if "\n" in m.group() else " ", text)
    text = _REPEAT_RUN.sub(lambda m: m.group(1) * MAX_REPEAT, text)
    text = _SYMBOL_RUN.sub(lambda m: m.group()[:MAX_SYMBOL_RUN], text)
    if len(text) > max_chars:
        cut = text.rfind(" ", max_chars - 50, max_chars + 1)
        text = text[:cut if cut > 0 else max_chars]
    return text


class _TailSearch:
    """A suffix regex searched in the last ``window`` characters only.

    spaCy's tokenizer splits affixes off a whitespace-free chunk one at a time and, for
    each, searches its suffix regex (hundreds of ``...$`` alternatives) across the whole
    rest of the chunk: a chunk of n symbols cost n searches of up to n characters. A
    suffix is never longer than a few characters, so searching the tail finds the same
    suffix (only runs of dots longer than the window are split differently); the
    ``pattern`` attribute keeps the tokenizer serialisable.
    """

    def __init__(self, search: Callable[[str], Any], window: int) -> None:
        self._search = search
        self.window = window
        self.pattern = getattr(getattr(search, "__self__", None), "pattern", None)

    def search(self, string: str) -> Any:
        return self._search(string[-self.window:] if len(string) > self.window else string)


def bound_suffix_search(tokenizer: Any, window: int = SUFFIX_WINDOW) -> Any:
    """Make a spaCy ``Tokenizer``'s suffix search linear (in place; idempotent)."""
    search = getattr(tokenizer, "suffix_search", None)
    if search is not None and not isinstance(getattr(search, "__self__", None), _TailSearch):
        tokenizer.suffix_search = _TailSearch(search, window).search
    return tokenizer
