"""Checks on the trained model (models/current.tar.gz, made by `make model`)."""
import asyncio

import pytest

from clinic.topics import load_topics
from tests.conftest import ROOT

MODEL = ROOT / "models" / "current.tar.gz"


@pytest.fixture(scope="module")
def parse():
    if not MODEL.exists():
        pytest.fail("no trained model: run `make model` (make test does this)")
    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))
    loop = asyncio.new_event_loop()
    yield lambda text: loop.run_until_complete(agent.parse_message(text))
    loop.close()


def label(result) -> str:
    intent = result["intent"]["name"]
    if intent != "faq":
        return intent
    selector = result["response_selector"]
    chosen = selector.get("faq") or selector["default"]
    return chosen["response"]["intent_response_key"]


def test_every_did_you_mean_button_leads_to_its_topic(parse):
    """The buttons send a plain question; it must be understood as the topic offered."""
    for topic in load_topics().values():
        if topic.ask.startswith("/"):
            continue
        assert label(parse(topic.ask)) == topic.name, topic.ask


@pytest.mark.parametrize("text", ["", "🙏🙏", "كم سعر الجلسة", "...!!!"])
def test_no_english_words_is_never_guessed(parse, text):
    assert parse(text)["intent"]["name"] == "nlu_fallback"


@pytest.mark.parametrize("text, expected", [
    ("/human_handoff", "human_handoff"),
    ("/book_appointment", "book_appointment"),
])
def test_button_payloads(parse, text, expected):
    assert parse(text)["intent"]["name"] == expected


def test_a_very_long_message_is_still_classified(parse):
    result = parse("what are the side effects " * 800)
    assert result["intent"]["name"]
