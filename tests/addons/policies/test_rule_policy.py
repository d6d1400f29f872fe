"""BoundedRulePolicy predicts exactly what Rasa's RulePolicy predicts, from fewer states.

Both policies are trained on the project's own rules and domain, then asked for the
next action at every step of the end-to-end test stories and of long conversations
made by chaining those stories (longer than any rule), with slots and forms active.
"""
from functools import lru_cache
from pathlib import Path

import pytest
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter

from addons.policies.rule_policy import BoundedRulePolicy, last_states

ROOT = Path(__file__).resolve().parents[3]


@lru_cache(maxsize=1)
def project():
    importer = TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")])
    domain = importer.get_domain()
    rules = TrainingDataGenerator(importer.get_stories(), domain, augmentation_factor=0).generate()
    tests = TrainingDataImporter.load_from_dict(domain_path=str(ROOT / "domain.yml"),
                                                training_data_paths=[str(ROOT / "tests" / "test_stories.yml")])
    stories = TrainingDataGenerator(tests.get_stories(), domain, augmentation_factor=0).generate()
    return domain, rules, stories


def trained(policy_class, tmp_path):
    domain, rules, _ = project()
    (tmp_path / policy_class.__name__).mkdir()
    storage = LocalModelStorage(tmp_path / policy_class.__name__)
    policy = policy_class.create({**policy_class.get_default_config()}, storage,
                                 Resource(policy_class.__name__), ExecutionContext(GraphSchema({}), "test"))
    policy.train(rules, domain)
    return policy


def chained(stories, times):
    """One long conversation: the stories' events one after another, ``times`` over."""
    events = []
    for _ in range(times):
        for story in stories:
            events.extend(e for e in story.events if e.type_name not in ("session_started",))
    return DialogueStateTracker.from_events("long", events)


def prefixes(tracker):
    """The conversation as it stood before each of its actions (what a policy sees)."""
    events = list(tracker.events)
    for i, event in enumerate(events):
        if isinstance(event, ActionExecuted):
            yield DialogueStateTracker.from_events(tracker.sender_id, events[:i])


@pytest.fixture(scope="module")
def loaded():
    """The project's domain, rules and test stories (a fixture: its cost is recorded as such)."""
    return project()


@pytest.fixture(scope="module")
def policies(tmp_path_factory, loaded):
    tmp = tmp_path_factory.mktemp("policies")
    return trained(RulePolicy, tmp), trained(BoundedRulePolicy, tmp)


def test_long_conversations_have_more_states_than_the_longest_rule(policies):
    _, bounded = policies
    domain, _, stories = project()
    assert 2 < bounded._longest_rule() < len(chained(stories, 1).past_states(domain))


def test_last_states_are_the_tail_of_rasas_states(loaded):
    domain, _, stories = loaded
    long = chained(stories, 2)
    full = long.past_states(domain)
    for count in (1, 3, 7, len(full), len(full) + 5):
        assert last_states(long, domain, count) == full[-count:]


def test_same_prediction_at_every_step(policies):
    rasa_policy, bounded = policies
    domain, _, stories = project()
    checked = 0
    for tracker in list(stories) + [chained(stories, 1)]:
        for prefix in prefixes(tracker):
            expected = rasa_policy.predict_action_probabilities(prefix, domain)
            actual = bounded.predict_action_probabilities(prefix, domain)
            assert actual.probabilities == expected.probabilities
            assert actual.events == expected.events
            assert actual.is_end_to_end_prediction == expected.is_end_to_end_prediction
            assert actual.is_no_user_prediction == expected.is_no_user_prediction
            assert actual.hide_rule_turn == expected.hide_rule_turn
            checked += 1
    assert checked > 200


def test_learns_the_same_rules(policies):
    rasa_policy, bounded = policies
    assert bounded.lookup == rasa_policy.lookup
