"""Keep Rasa quiet in offline measurements (``make eval-nlu``, ``make eval-triage``, the
bench): its structlog debug events would echo every parsed text into the output."""
from __future__ import annotations

import logging


def quiet_rasa_logs() -> None:
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    for name in ("rasa", "tensorflow", "absl", "spacy", "sqlalchemy"):
        logging.getLogger(name).setLevel(logging.ERROR)
