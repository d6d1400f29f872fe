"""The website a source address belongs to: the unit every corpus is split by.

:func:`site` gives the registrable domain (``www.a.co.uk/x`` -> ``a.co.uk``); on GitHub,
where each repository holds a different website's source, the repository
(``github.com/owner/repo/blob/...`` -> ``github.com/owner/repo``). Splits and
cross-validation folds keep a website whole (``scripts/split_corpus.py``,
:mod:`clinic.triage.crossval`), so no page or site feeds both training and testing.
"""
from __future__ import annotations

from urllib.parse import urlparse

_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu"}
_REPOSITORY_HOSTS = {"github.com", "www.github.com"}


def site(url: str) -> str:
    """The registrable domain of a url (``www.a.co.uk/x`` -> ``a.co.uk``); for a file on
    GitHub, its repository (``github.com/owner/repo``)."""
    parsed = urlparse(url)
    host = (parsed.hostname or url).lower()
    owner_repo = [part for part in parsed.path.split("/") if part][:2]
    if host in _REPOSITORY_HOSTS and len(owner_repo) == 2:
        return "github.com/" + "/".join(owner_repo).lower()
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])
