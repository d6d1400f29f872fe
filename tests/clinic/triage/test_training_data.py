"""Triage agrees with the project's own labelled data."""
import pytest

from clinic.triage import assess_text, assess_texts
from clinic.triage.nlp import DEFAULT_MODEL

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="spaCy en_core_web_md not installed")


def test_every_urgent_symptom_training_example_is_caught(nlu_examples):
    texts = nlu_examples.get("urgent_symptom", [])
    missed = [t for t, r in zip(texts, assess_texts(texts), strict=True) if not r.urgent]
    assert missed == []


def test_few_other_training_examples_are_flagged(nlu_examples):
    others = [t for intent, texts in nlu_examples.items() if intent != "urgent_symptom" for t in texts]
    flagged = [t for t, r in zip(others, assess_texts(others), strict=True) if r.urgent]
    print(f"\ntriage flags {len(flagged)} of {len(others)} non-urgent training examples")
    assert len(flagged) <= 0.01 * len(others), flagged


def test_story_test_messages_keep_their_intent(root):
    import yaml

    stories = yaml.safe_load((root / "tests" / "test_stories.yml").read_text(encoding="utf-8"))
    wrong = [step["user"] for story in stories.get("stories", []) for step in story["steps"]
             if "user" in step and assess_text(step["user"]).urgent != (step.get("intent") == "urgent_symptom")]
    assert wrong == []
