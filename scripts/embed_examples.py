"""Fill the training cache with the sentence embeddings of every example, training nothing.

    python scripts/embed_examples.py

The encoders are most of a training's time (clinic/nlu/embedding_cache.py). ``make test``
runs this beside the static checks and the fast tier, which leave a core idle, so the
two trainings that follow (the main model and the held-out one, whose examples are a part
of the same) find every vector in the cache and run no encoder. It reads the
examples as ``rasa train`` does (config.yml, domain.yml, data/) and embeds them as
``ClinicIntentClassifier.train`` would (``embed_examples``), and the warning-sign signal's
reports and their sentences as ``WarningSignTriage.train`` would
(``clinic.triage.learned.embed_for_fit``); a text it missed is embedded by the training
itself, so this only ever saves time.
"""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPONENT = "addons.nlu.intent_classifier.ClinicIntentClassifier"


def main() -> int:
    from rasa.shared.importers.importer import TrainingDataImporter

    from addons.nlu.intent_classifier import ClinicIntentClassifier
    from clinic.triage import learned

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("clinic.nlu.embedding_cache").setLevel(logging.INFO)  # what was read, what embedded
    started = time.monotonic()
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    [settings] = [step for step in config["pipeline"] if step.get("name") == COMPONENT]
    settings = {**ClinicIntentClassifier.get_default_config(),
                **{k: v for k, v in settings.items() if k != "name"}}
    importer = TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")])
    data = importer.get_nlu_data(config.get("language", "en"))
    count = ClinicIntentClassifier(settings, None, None).embed_examples(data)  # type: ignore[arg-type]
    # the warning-sign signal's reports and sentences (WarningSignTriage.train fits on them)
    examples = [((m.get("intent") or ""), m.get("text") or "") for m in data.intent_examples]
    count += learned.embed_for_fit(learned.training_rows(examples), learned.training_embed())
    print(f"==> {count} example embeddings in the training cache ({time.monotonic() - started:.0f} s)",
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
