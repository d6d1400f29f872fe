"""Errors of the booking service; ``code`` names the situation for callers that pick a response."""
from __future__ import annotations

from typing import List, Sequence

from clinic.booking.slots import Slot


class BookingError(Exception):
    """Base class; ``code`` names the situation for callers that pick a response."""

    code = "error"

    def __init__(self, message: str = "", alternatives: Sequence[Slot] = ()) -> None:
        super().__init__(message or self.code)
        self.alternatives: List[Slot] = list(alternatives)


class SlotTaken(BookingError):
    """Somebody else has the slot (possibly a moment ago); ``alternatives`` are the nearest free."""

    code = "taken"


class NotBookable(BookingError):
    """The start is in the past, outside hours, on a closed day or off the slot grid."""

    code = "not_bookable"


class InvalidDetails(BookingError):
    """Name, phone number or service is not acceptable."""

    code = "invalid"


class NotFound(BookingError):
    """No live appointment with that reference and phone number."""

    code = "not_found"
