"""endpoints.yml takes the action server's address from the environment (``${ACTION_SERVER_URL}``),
which every Rasa command here gets from the settings schema, so nothing rewrites the file."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from clinic import config_schema as schema

ROOT = Path(__file__).resolve().parents[2]
ENDPOINTS = ROOT / "endpoints.yml"
# a copy of endpoints.yml with its text changed: read_text(...).replace(...) or re.sub
REWRITE = re.compile(r"""endpoints\.yml["']\s*\)\s*\.read_text\([^)]*\)\s*\.replace\(""")


def test_endpoints_yml_names_no_address_of_its_own():
    text = ENDPOINTS.read_text(encoding="utf-8")
    assert "url: ${ACTION_SERVER_URL}" in text
    settings = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert "5055" not in settings and "127.0.0.1" not in settings


def test_the_url_follows_the_action_servers_host_and_port():
    env = {"ACTION_SERVER_PORT": "6123"}
    schema.fill_endpoint_variables(env)
    assert env["ACTION_SERVER_URL"] == "http://127.0.0.1:6123/webhook"
    env = {"ACTION_SERVER_URL": "http://proxy:5055/webhook", "ACTION_SERVER_PORT": "6123"}
    schema.fill_endpoint_variables(env)  # an explicit URL (the production proxy) is kept
    assert env["ACTION_SERVER_URL"] == "http://proxy:5055/webhook"


def test_rasa_reads_the_action_endpoint_from_the_environment(monkeypatch):
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import read_endpoint_config

    monkeypatch.setenv("ACTION_SERVER_TOKEN", "t" * 40)
    monkeypatch.delenv("ACTION_SERVER_URL", raising=False)
    with pytest.raises(RasaException, match="ACTION_SERVER_URL"):  # unset: Rasa refuses, loudly
        read_endpoint_config(str(ENDPOINTS), "action_endpoint")
    monkeypatch.setenv("ACTION_SERVER_PORT", "6123")
    import os

    schema.fill_endpoint_variables(os.environ)
    endpoint = read_endpoint_config(str(ENDPOINTS), "action_endpoint")
    assert endpoint.url == "http://127.0.0.1:6123/webhook"
    assert endpoint.headers["Authorization"] == "Bearer " + "t" * 40


def test_the_rasa_command_sets_it_before_rasa_reads_the_file(monkeypatch):
    import rasa.__main__

    from addons import compat, rasa_cli

    seen = {}
    monkeypatch.setattr(compat, "startup", lambda *names: None)
    monkeypatch.setattr(rasa.__main__, "main", lambda: seen.update(url=__import__("os").environ["ACTION_SERVER_URL"]))
    monkeypatch.setattr(sys, "argv", ["rasa", "shell"])
    monkeypatch.delenv("ACTION_SERVER_URL", raising=False)
    monkeypatch.setenv("ACTION_SERVER_HOST", "127.0.0.1")
    monkeypatch.setenv("ACTION_SERVER_PORT", "6124")
    rasa_cli.main()
    assert seen["url"] == "http://127.0.0.1:6124/webhook"


def test_nothing_rewrites_endpoints_yml():
    """Tests, the bench and ops move the port through the environment, not a copied file."""
    offenders = []
    for directory in ("tests", "bench", "ops", "scripts"):
        for path in (ROOT / directory).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if path.resolve() != Path(__file__).resolve() and (REWRITE.search(text) or "write_endpoints" in text):
                offenders.append(path.relative_to(ROOT).as_posix())
    assert not offenders, offenders
