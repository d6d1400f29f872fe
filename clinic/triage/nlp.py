"""The spaCy pipeline triage runs on outside Rasa (tests, ``make bench``, scripts)."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import spacy
from spacy.language import Language

from clinic.settings import PROJECT_ROOT

DEFAULT_MODEL = PROJECT_ROOT / ".venv" / "spacy" / "en_core_web_md"


@lru_cache(maxsize=2)
def load_nlp(model: Optional[str] = None) -> Language:
    """``en_core_web_md`` (the model Rasa's SpacyNLP uses), loaded once."""
    return spacy.load(str(model or DEFAULT_MODEL))


def prepare(text: str) -> str:
    """Text as Rasa's SpacyNLP gives it to spaCy (``case_sensitive: false``)."""
    return text.lower()
