"""The website a source address belongs to: the unit every corpus is split by.

:func:`site` gives the registrable domain (``www.a.co.uk/x`` -> ``a.co.uk``). Splits and
cross-validation folds keep a website whole (``scripts/split_corpus.py``,
:mod:`clinic.triage.crossval`), so no page or site feeds both training and testing.
"""
from __future__ import annotations

from urllib.parse import urlparse

_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu"}


def site(url: str) -> str:
    """The registrable domain of a url (``www.a.co.uk/x`` -> ``a.co.uk``)."""
    host = (urlparse(url).hostname or url).lower()
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])
