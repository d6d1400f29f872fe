"""On the trained model: the speed-ups understand and predict exactly what Rasa does.

Two agents load ``models/current.tar.gz``: one with Rasa's own graph runner, one with
``SequentialGraphRunner``.
Every message gives the same parse (intents, confidences, FAQ keys, rankings), and
every step of the end-to-end test stories the same next action.
"""
import asyncio

import pytest
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter

from addons.speedups import graph_runner
from tests.conftest import ROOT

MODEL = ROOT / "models" / "current.tar.gz"
TEXTS = [
    "hi", "how much does it cost?", "is redness normal the day after", "WHAT IS MESOTHERAPY",
    "can u tell me price pls", "i want to book a consultation", "thursday 3pm", "Aisha Khan",
    "+971 50 123 4567", "my face is swollen and hot with pus", "no fever, just a bit red",
    "what is the capital of peru", "", "🙏🙏", "كم سعر الجلسة", "/book_appointment",
    "ok", "no", "talk to a person", "delete my data", "what are the side effects " * 200,
]


@pytest.fixture(scope="module")
def agents():
    if not MODEL.exists():
        pytest.fail("no trained model: run `make model` (make test does this)")
    import rasa.core.processor
    from rasa.core.agent import Agent

    runner = rasa.core.processor.DaskGraphRunner
    try:
        rasa.core.processor.DaskGraphRunner = DaskGraphRunner
        stock = Agent.load(str(MODEL))
        rasa.core.processor.DaskGraphRunner = graph_runner.SequentialGraphRunner
        fast = Agent.load(str(MODEL))
    finally:
        rasa.core.processor.DaskGraphRunner = runner
    assert type(stock.processor.graph_runner) is DaskGraphRunner
    assert type(fast.processor.graph_runner) is graph_runner.SequentialGraphRunner
    loop = asyncio.new_event_loop()
    yield stock, fast, loop
    loop.close()


@pytest.mark.parametrize("text", TEXTS)
def test_same_parse(agents, text):
    stock, fast, loop = agents
    expected = loop.run_until_complete(stock.parse_message(text))
    assert loop.run_until_complete(fast.parse_message(text)) == expected


def story_steps(domain):
    """Each test story as it stood before each of its actions: (sender, events)."""
    tests = TrainingDataImporter.load_from_dict(domain_path=str(ROOT / "domain.yml"),
                                                training_data_paths=[str(ROOT / "tests" / "test_stories.yml")])
    for story in TrainingDataGenerator(tests.get_stories(), domain, augmentation_factor=0).generate():
        events = list(story.events)
        for i, event in enumerate(events):
            if isinstance(event, ActionExecuted):
                yield story.sender_id, events[:i]


def test_same_next_action_at_every_step_of_the_test_stories(agents):
    stock, fast, _ = agents
    steps = list(story_steps(stock.domain))
    assert len(steps) > 100
    for sender, events in steps:
        # a fresh tracker for each: predicting a follow-up action clears it on the tracker
        expected = stock.processor._predict_next_with_tracker(
            DialogueStateTracker.from_events(sender, events, stock.domain.slots))
        actual = fast.processor._predict_next_with_tracker(
            DialogueStateTracker.from_events(sender, events, fast.domain.slots))
        assert (actual.max_confidence_index, actual.policy_name, actual.events) == (
            expected.max_confidence_index, expected.policy_name, expected.events)
        assert actual.probabilities == expected.probabilities


def test_plans_are_computed_once_per_set_of_targets(agents):
    _, fast, _ = agents
    runner = fast.processor.graph_runner
    targets = [fast.processor.model_metadata.nlu_target]
    assert runner.plan(targets) is runner.plan(targets)
    names = [name for name, _ in runner.plan(targets)]
    for position, (name, needs) in enumerate(runner.plan(targets)):
        assert all(names.index(n) < position for n in needs if n in names), name
