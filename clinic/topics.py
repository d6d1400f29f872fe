"""The assistant's topics (``topics.yml``): labels and canonical questions per FAQ key."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict

import yaml

TOPICS_FILE = Path(__file__).with_name("topics.yml")


@dataclass(frozen=True)
class Topic:
    """A choice the assistant can offer: ``name`` is ``faq/<key>`` or an intent name."""

    name: str
    label: str
    ask: str


@lru_cache(maxsize=1)
def load_topics(path: Path = TOPICS_FILE) -> Dict[str, Topic]:
    """All topics by name: ``faq/side_effects``, ..., ``book_appointment``, ..."""
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    topics = {
        f"faq/{key}": Topic(f"faq/{key}", value["label"], value["ask"])
        for key, value in data["faq"].items()
    }
    topics.update(
        {name: Topic(name, value["label"], value["ask"]) for name, value in data["intents"].items()}
    )
    return topics


def faq_keys() -> list:
    """The FAQ keys, e.g. ``["what_is", ...]``, in file order."""
    return [name.split("/", 1)[1] for name in load_topics() if name.startswith("faq/")]
