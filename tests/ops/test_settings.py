"""``ops/`` reads its variables (PROD_DATABASE_URL, PROD_REDIS_URL, PROD_START_TIMEOUT) through the
settings schema (clinic/config_schema.py), never from ``os.environ`` itself."""
from __future__ import annotations

import re
from pathlib import Path

import ops.__main__ as ops_main
from clinic import config_schema as schema
from clinic.settings import settings_from_env
from ops import stack, topology

OPS = Path(__file__).resolve().parents[2] / "ops"


def test_ops_reads_no_variable_itself():
    readers = re.compile(r"""environ\.get\(|environ\[["']|getenv\(""")
    offenders = [p.name for p in OPS.glob("*.py") if readers.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"read them with clinic.config_schema.read: {offenders}"


def test_the_defaults_are_the_schemas():
    assert topology.DEFAULT_DATABASE_URL == schema.BY_NAME["PROD_DATABASE_URL"].default
    assert topology.DEFAULT_REDIS == schema.BY_NAME["PROD_REDIS_URL"].default
    assert stack.START_TIMEOUT_S == 300.0


def test_run_prod_uses_prod_database_url_and_says_what_is_wrong(monkeypatch, capsys):
    monkeypatch.setattr(ops_main, "get_settings", lambda: settings_from_env(dict(__import__("os").environ)))
    monkeypatch.setattr(ops_main, "haproxy_binary", lambda: "/bin/true")
    monkeypatch.setenv("PROD_DATABASE_URL", "sqlite:///tmp/not-postgres.db")
    assert ops_main.run(["run"]) == 2
    assert "needs PostgreSQL, not sqlite" in capsys.readouterr().err


def test_run_prod_refuses_a_bad_setting_with_its_name(monkeypatch, capsys):
    monkeypatch.setattr(ops_main, "get_settings", lambda: settings_from_env(dict(__import__("os").environ)))
    monkeypatch.setenv("PROD_REDIS_URL", "127.0.0.1:6379")  # no scheme
    assert ops_main.run(["run"]) == 2
    assert "PROD_REDIS_URL must be a URL" in capsys.readouterr().err
