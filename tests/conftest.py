"""Shared fixtures: project paths and the loaded project files."""
from __future__ import annotations

import glob
import os
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


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
    examples: dict = {}
    for file in sorted(glob.glob(str(ROOT / "data" / "nlu" / "*.yml"))):
        for block in load_yaml(Path(file)).get("nlu") or []:
            if "intent" in block:
                lines = [
                    line[2:].strip()
                    for line in block["examples"].splitlines()
                    if line.strip().startswith("- ")
                ]
                examples.setdefault(block["intent"], []).extend(lines)
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
