"""Shared fixtures (project paths and the loaded project files) and the test tiers.

Every test gets tier markers from what it uses (:func:`tiers_of`), so nobody has to
remember to mark it: a test using a fixture that starts the stack, loads the trained
model, drives the browser or needs Redis, or parametrized for PostgreSQL, is marked
``integration``/``model``/``browser``/``redis``/``postgres``. A test using a fixture that
took longer than ``SLOW_S`` to set up, or whose own run took longer, in the last recorded
run (``tests/durations.json``, ``make test-durations``: trains a classifier, loads an
encoder, starts worker processes, waits out a back-off) is ``slow``. Everything else is
``fast`` (``make test-fast``: under a minute, no trained model, no servers, no
PostgreSQL/Redis/Chromium).
"""
from __future__ import annotations

import glob
import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterable, Iterator, Set

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

SLOW_TIERS = ("integration", "model", "browser", "postgres", "redis", "slow")
SLOW_S = 0.15
DURATIONS = ROOT / "tests" / "durations.json"
RECORD_ENV = "CLINIC_RECORD_DURATIONS"  # set: this run writes DURATIONS
# fixture (module defining it, name) -> the tiers of every test that uses it, directly or
# through another fixture
FIXTURE_TIERS = {
    ("tests.integration.conftest", "stack"): ("integration", "model"),
    ("tests.integration.channels.conftest", "channel_stack"): ("integration", "model"),
    ("tests.conversations.conftest", "fixed_stack"): ("integration", "model"),
    ("tests.browser.conftest", "browser"): ("integration", "browser"),
    ("tests.conftest", "redis_url"): ("redis",),
    ("tests.test_model", "parse"): ("model",),
    ("tests.conftest", "model_parse"): ("model",),
    ("tests.addons.speedups.test_on_the_model", "agents"): ("model",),
}
# directories whose tests start servers whatever fixtures they use
DIRECTORY_TIERS = {"integration": ("integration", "model"), "browser": ("integration", "browser"),
                   "conversations": ("integration", "model")}
POSTGRES_PARAMS = {"postgres", "postgresql"}


def _recorded() -> Dict[str, Dict[str, float]]:
    try:
        return json.loads(DURATIONS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"fixtures": {}, "tests": {}}


def _fixture_key(definition) -> str:
    return f"{getattr(definition.func, '__module__', '')}:{definition.argname}"


def tiers_of(item: pytest.Item, recorded: Dict[str, Dict[str, float]]) -> Set[str]:
    """The slow tiers ``item`` belongs to (empty: it is fast)."""
    tiers = {mark.name for mark in item.iter_markers() if mark.name in SLOW_TIERS}
    info = getattr(item, "_fixtureinfo", None)
    for name in getattr(item, "fixturenames", ()):
        for definition in (info.name2fixturedefs.get(name, ()) if info else ()):
            module = getattr(definition.func, "__module__", "")
            tiers.update(FIXTURE_TIERS.get((module, name), ()))
            if recorded["fixtures"].get(_fixture_key(definition), 0.0) > SLOW_S:
                tiers.add("slow")
    if recorded["tests"].get(item.nodeid, 0.0) > SLOW_S:
        tiers.add("slow")
    callspec = getattr(item, "callspec", None)
    params: Iterable = callspec.params.values() if callspec else ()
    if any(isinstance(value, str) and value in POSTGRES_PARAMS for value in params) or \
            getattr(item, "originalname", item.name).endswith(("_postgres", "_postgresql")):
        tiers.add("postgres")
    parts = Path(str(getattr(item, "path", None) or item.fspath)).resolve().relative_to(ROOT).parts
    if len(parts) > 1 and parts[0] == "tests":
        tiers.update(DIRECTORY_TIERS.get(parts[1], ()))
    return tiers


def seed_embedding_cache(source: Path, target: Path) -> int:
    """Link (or copy) the shards of the training cache ``source`` into ``target``: the run
    reads the vectors ``make test``'s embeddings and trainings stored (the same vectors an
    encoder would compute: keyed by encoder fingerprint and text) and writes its own only
    to ``target``. The cache never changes a shard in place (new shards are renamed in,
    merged ones unlinked), so a hard link never lets the run alter ``source``."""
    count = 0
    for shard in sorted(source.glob("*/*.npz")) if source.is_dir() else []:
        (target / shard.parent.name).mkdir(parents=True, exist_ok=True)
        try:
            os.link(shard, target / shard.parent.name / shard.name)
        except OSError:
            shutil.copyfile(shard, target / shard.parent.name / shard.name)
        count += 1
    return count


def pytest_configure(config: pytest.Config) -> None:
    """Classifiers trained by tests keep the sentence embeddings of their examples in a cache
    of this run's own (clinic/nlu/embedding_cache.py), not in the project's, unless it is off.
    It starts with the project's vectors (:func:`seed_embedding_cache`): a test fitting on the
    training data (the learned warning-sign signal: ~3,000 texts) reads them instead of
    running the encoder on all of them again."""
    from clinic.nlu import embedding_cache

    if os.environ.get(embedding_cache.ENV, "").strip().lower() != embedding_cache.OFF:
        directory = tempfile.mkdtemp(prefix="clinic-embeddings-")
        source = embedding_cache.directory_from_env()
        if source is not None:
            seed_embedding_cache(source, Path(directory))
        os.environ[embedding_cache.ENV] = directory
        config.add_cleanup(lambda: shutil.rmtree(directory, ignore_errors=True))


def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    recorded = {"fixtures": {}, "tests": {}} if os.environ.get(RECORD_ENV) else _recorded()
    for item in items:
        tiers = tiers_of(item, recorded)
        for tier in sorted(tiers):
            item.add_marker(getattr(pytest.mark, tier))
        if not tiers:
            item.add_marker(pytest.mark.fast)


def model_parser(model: Path):
    """For a module fixture: ``parse(text)`` with the trained ``model`` (fails, not skips,
    when there is none: ``make test`` trains it first)."""
    if not Path(model).exists():
        pytest.fail(f"no trained model at {model}: run `make model` (make test does this)")
    import asyncio

    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    try:
        yield lambda text: loop.run_until_complete(agent.parse_message(text))
    finally:
        loop.close()


_password_hashes: Dict[str, str] = {}


class _HashOnce:
    """An argon2 ``PasswordHasher`` that hashes each password once per run and hands out
    that hash again (everything else, ``verify`` included, is the real hasher's)."""

    def __init__(self, hasher) -> None:
        self._hasher = hasher

    def hash(self, password: str) -> str:
        if password not in _password_hashes:
            _password_hashes[password] = self._hasher.hash(password)
        return _password_hashes[password]

    def __getattr__(self, name: str):
        return getattr(self._hasher, name)


@contextmanager
def staff_hashed_once() -> Iterator[None]:
    """For a fixture setting up staff accounts (``create_staff``): each password is hashed
    once per test run, not for every account of every test (argon2id at its production cost
    is ~0.2 s of CPU a hash). Only inside the block: a password a test changes is hashed for
    real, and logins verify with the real hasher."""
    from clinic.handoff import staff

    real = staff._hasher
    staff._hasher = _HashOnce(real)  # type: ignore[assignment]
    try:
        yield
    finally:
        staff._hasher = real


@pytest.fixture(scope="session")
def model_parse():
    """``parse(text)`` with models/current.tar.gz, loaded once for every module that reads it
    (tests/test_model.py, tests/test_model_aftercare.py): ~7 s of CPU a load."""
    yield from model_parser(ROOT / "models" / "current.tar.gz")


def load_yaml(path: Path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def domain() -> dict:
    return load_yaml(ROOT / "domain.yml")


@pytest.fixture(scope="session")
def faq_responses() -> dict:
    return load_yaml(ROOT / "data" / "responses" / "faq.yml")["responses"]


@pytest.fixture(scope="session")
def all_responses(domain) -> dict:
    """domain.yml's responses and those beside the NLU data (data/responses/*.yml)."""
    responses = dict(domain["responses"])
    for file in sorted((ROOT / "data" / "responses").glob("*.yml")):
        responses.update(load_yaml(file)["responses"])
    return responses


@pytest.fixture(scope="session")
def nlu_examples() -> dict:
    """Intent name (``faq/<key>`` for FAQ) -> list of example texts."""
    from clinic.nlu.examples import examples_on_disk

    examples: dict = {}
    for example in examples_on_disk(ROOT / "data" / "nlu"):
        examples.setdefault(example.intent, []).append(example.text)
    return examples


@pytest.fixture(scope="session")
def rules() -> list:
    steps = []
    for file in sorted(glob.glob(str(ROOT / "data" / "rules" / "*.yml"))):
        for rule in load_yaml(Path(file)).get("rules") or []:
            steps.append(rule["steps"])
    return steps


@pytest.fixture
def redis_url() -> str:
    """The test Redis (TEST_REDIS_URL, database 15): skipped when absent, failed in CI."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {url} (.ci/run starts it)")
        pytest.skip(f"Redis is not reachable at {url}")
    return url


# -- recording durations (make test-durations) --------------------------------------------

_durations: Dict[str, Dict[str, float]] = {"fixtures": {}, "tests": {}}


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    started = time.perf_counter()
    yield
    if os.environ.get(RECORD_ENV):  # the fixture's own set-up (the fixtures it needs are timed apart)
        key = _fixture_key(fixturedef)
        _durations["fixtures"][key] = max(_durations["fixtures"].get(key, 0.0), time.perf_counter() - started)


def pytest_runtest_logreport(report) -> None:
    if os.environ.get(RECORD_ENV) and report.when == "call":
        _durations["tests"][report.nodeid] = report.duration


def pytest_sessionfinish(session, exitstatus) -> None:
    """Merge this run's timings into DURATIONS (what ran now replaces what was recorded)."""
    if os.environ.get(RECORD_ENV) and _durations["tests"]:
        recorded = _recorded()
        for kind, entries in _durations.items():
            kept = recorded.setdefault(kind, {})
            for key, seconds in entries.items():
                if seconds > SLOW_S:
                    kept[key] = round(seconds, 2)
                else:
                    kept.pop(key, None)
            recorded[kind] = dict(sorted(kept.items()))
        DURATIONS.write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
