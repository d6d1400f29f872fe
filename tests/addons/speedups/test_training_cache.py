"""Training without Rasa's training cache: nothing is cached, and the model is the same."""
import asyncio
import logging

import pytest
from rasa.core.agent import Agent
from rasa.engine import caching
from rasa.model_training import train_nlu
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.speedups import training_cache as module

CONFIG = """
recipe: default.v1
language: en
assistant_id: training-cache-test
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 3
  - name: DIETClassifier
    epochs: 5
    number_of_transformer_layers: 0
    random_seed: 7
policies: []
"""
NLU = """
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hi
    - hello there
    - good morning
    - hey
- intent: ask_price
  examples: |
    - how much is it
    - what does a session cost
    - price please
    - is it expensive
- intent: ask_recovery
  examples: |
    - how long is the redness
    - when can i wear makeup again
    - how long does recovery take
    - is there downtime
"""
TEXTS = ["hi", "how much", "makeup after the session?", "recovery time", "what"]


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "config.yml").write_text(CONFIG)
    (tmp_path / "nlu.yml").write_text(NLU)
    monkeypatch.setenv(caching.CACHE_LOCATION_ENV, str(tmp_path / "cache"))
    yield tmp_path
    module.uninstall()


def cached_entries(project) -> int:
    cache = caching.LocalTrainingCache()
    try:
        with cache._sessionmaker() as session:
            return session.query(caching.LocalTrainingCache.CacheEntry).count()
    finally:
        cache._sessionmaker.kw["bind"].dispose()


def train(project, name: str) -> str:
    return train_nlu(str(project / "config.yml"), str(project / "nlu.yml"), str(project / "models"),
                     fixed_model_name=name)


def parses(model: str):
    agent = Agent.load(model)
    loop = asyncio.new_event_loop()
    try:
        return [loop.run_until_complete(agent.parse_message(text)) for text in TEXTS]
    finally:
        loop.close()


def assert_same_understanding(actual_parses, expected_parses):
    for actual, expected in zip(actual_parses, expected_parses, strict=True):
        assert [i["name"] for i in actual["intent_ranking"]] == [i["name"] for i in expected["intent_ranking"]]
        assert actual["intent"]["confidence"] == pytest.approx(expected["intent"]["confidence"], abs=1e-4)


def test_rasa_caches_every_component_and_we_cache_nothing(project, monkeypatch):
    fingerprinted = []
    original = TrainingData.fingerprint
    monkeypatch.setattr(TrainingData, "fingerprint", lambda self: fingerprinted.append(1) or original(self))
    stock = train(project, "stock")
    assert cached_entries(project) > 0 and fingerprinted  # Rasa's training fills its cache

    fingerprinted.clear()

    (project / "cache").rename(project / "stock-cache")
    module.install()
    ours = train(project, "ours")
    assert cached_entries(project) == 0
    assert not fingerprinted  # the training data (the costly part) is never fingerprinted

    assert_same_understanding(parses(ours), parses(stock))


def test_a_training_without_force_still_trains_everything(project, caplog):
    module.install()
    first = train(project, "first")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="rasa.engine.training.hooks"):
        second = train(project, "second")  # the data did not change: Rasa would restore from its cache
    assert "Finished training component 'DIETClassifier'" in caplog.text
    assert "from cache" not in caplog.text
    assert cached_entries(project) == 0
    assert_same_understanding(parses(second), parses(first))
