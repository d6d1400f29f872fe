"""The spaCy pipeline triage runs on outside Rasa (tests, ``make bench``, scripts)."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import spacy
from spacy.language import Language

from clinic.settings import PROJECT_ROOT

DEFAULT_MODEL = PROJECT_ROOT / ".venv" / "spacy" / "en_core_web_md"
# the components the served pipeline leaves out too (addons/nlu/spacy_nlp.py): the triage
# reads tokens, tags and lemmas, never the parse or entities, and the parser was 40 % of
# the time to read the training examples
EXCLUDED = ("parser", "ner")


@lru_cache(maxsize=2)
def load_nlp(model: Optional[str] = None) -> Language:
    """``en_core_web_md`` as Rasa's SpacyNLP loads it for the assistant, loaded once."""
    return spacy.load(str(model or DEFAULT_MODEL), exclude=list(EXCLUDED))


def prepare(text: str) -> str:
    """Text as Rasa's SpacyNLP gives it to spaCy (``case_sensitive: false``)."""
    return text.lower()
