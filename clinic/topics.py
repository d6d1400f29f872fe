"""The assistant's topics (``topics.yml``): labels and canonical questions per FAQ key,
in English and Arabic."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict

import yaml

TOPICS_FILE = Path(__file__).with_name("topics.yml")


@dataclass(frozen=True)
class Topic:
    """A choice the assistant can offer: ``name`` is ``faq/<key>`` or an intent name.

    ``label`` is the English button title, ``label_ar`` the Arabic one (empty: the
    English one serves); ``ask`` is the payload in both languages."""

    name: str
    label: str
    ask: str
    label_ar: str = ""

    def label_in(self, language: str) -> str:
        """The button title for a conversation in ``language`` (``en`` or ``ar``)."""
        return self.label_ar if language == "ar" and self.label_ar else self.label


@lru_cache(maxsize=1)
def load_topics(path: Path = TOPICS_FILE) -> Dict[str, Topic]:
    """All topics by name: ``faq/side_effects``, ..., ``book_appointment``, ..."""
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    def topic(name: str, value: dict) -> Topic:
        return Topic(name, value["label"], value["ask"], value.get("label_ar", ""))

    topics = {f"faq/{key}": topic(f"faq/{key}", value) for key, value in data["faq"].items()}
    topics.update({name: topic(name, value) for name, value in data["intents"].items()})
    return topics


@lru_cache(maxsize=1)
def button_questions() -> frozenset:
    """The questions the did-you-mean buttons send (the ``ask`` that are not ``/intent``)."""
    return frozenset(t.ask for t in load_topics().values() if not t.ask.startswith("/"))


def faq_keys() -> list:
    """The FAQ keys, e.g. ``["what_is", ...]``, in file order."""
    return [name.split("/", 1)[1] for name in load_topics() if name.startswith("faq/")]
