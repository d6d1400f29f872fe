"""Command-line commands of clinic.booking (registered by clinic.__main__)."""
from __future__ import annotations


def register(commands) -> None:
    """Add this package's commands to ``commands`` (an argparse sub-parser collection)."""
