"""On the trained model: the speed-ups understand and predict exactly what Rasa does.

Two agents load ``models/current.tar.gz``: one with Rasa's own graph runner, prediction
call and feature combination, one with ``SequentialGraphRunner``, the concrete-function
call and the features combined once.
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
from rasa.utils.tensorflow.models import RasaModel

from addons.speedups import features, graph_runner, tf_predict
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

    rasa_predict = RasaModel._rasa_predict
    runner = rasa.core.processor.DaskGraphRunner
    try:
        rasa.core.processor.DaskGraphRunner = DaskGraphRunner
        RasaModel._rasa_predict = tf_predict._original_rasa_predict
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
    RasaModel._rasa_predict = rasa_predict


def with_prediction(call):
    """Run ``call`` with Rasa's prediction call and feature combination, then with ours."""
    try:
        RasaModel._rasa_predict = tf_predict._original_rasa_predict
        features.uninstall()
        expected = call("stock")
        RasaModel._rasa_predict = tf_predict.rasa_predict
        features.install()
        actual = call("fast")
        actual_again = call("fast")  # the second call goes through the concrete function
    finally:
        RasaModel._rasa_predict = tf_predict._original_rasa_predict
        features.uninstall()
    return expected, actual, actual_again


@pytest.mark.parametrize("text", TEXTS)
def test_same_parse(agents, text):
    stock, fast, loop = agents
    chosen = {"stock": stock, "fast": fast}
    expected, actual, again = with_prediction(
        lambda which: loop.run_until_complete(chosen[which].parse_message(text)))
    assert actual == expected
    assert again == expected


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


def test_real_batches_take_the_direct_call(agents):
    """DIET's and the ResponseSelector's batches match their signature (no fallback)."""
    import rasa.utils.train_utils

    _, fast, loop = agents
    nodes = fast.processor.graph_runner._instantiated_nodes
    classifiers = [node._component for name, node in nodes.items()
                   if name.startswith(("run_DIETClassifier", "run_ResponseSelector"))]
    assert len(classifiers) == 2
    seen = {}
    originals = {id(c): c._create_model_data for c in classifiers}
    for classifier in classifiers:
        def spy(messages, training=False, _c=classifier, **kwargs):
            data = originals[id(_c)](messages, training=training, **kwargs)
            seen[id(_c)] = data
            return data
        classifier._create_model_data = spy
    try:
        with_prediction(lambda which: loop.run_until_complete(fast.parse_message("is it painful")))
    finally:
        for classifier in classifiers:
            del classifier._create_model_data
    for classifier in classifiers:
        predict = classifier.model._clinic_predict
        generator, _ = rasa.utils.train_utils.create_data_generators(
            model_data=seen[id(classifier)], batch_sizes=1, epochs=1, shuffle=False)
        batch = next(iter(generator))[0]
        assert predict.accepts(list(batch))
        direct = predict(batch)
        public = predict.concrete(batch)
        assert sorted(direct) == sorted(public)
        for key in direct:
            if hasattr(direct[key], "numpy"):
                assert (direct[key].numpy() == public[key].numpy()).all()
