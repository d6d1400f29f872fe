import stat

import pytest

from clinic.settings import SECRET_NAMES, SettingsError, ensure_env_file, settings_from_env

STRONG = "x" * 40


def test_defaults_are_embedded_sqlite(tmp_path):
    s = settings_from_env({"CLINIC_VAR_DIR": str(tmp_path)})
    assert s.database_url == f"sqlite:///{tmp_path}/clinic.db"
    assert s.tracker_database_url == f"sqlite:///{tmp_path}/tracker.db"
    assert s.action_server_host == "127.0.0.1" and s.web_host == "127.0.0.1"
    assert not s.is_production


def test_one_variable_moves_both_databases_to_postgres():
    url = "postgresql://clinic@db:5432/clinic"
    s = settings_from_env({"DATABASE_URL": url})
    assert s.database_url == url and s.tracker_database_url == url


def test_tracker_database_can_be_set_separately():
    s = settings_from_env({"DATABASE_URL": "postgresql://a/b", "TRACKER_DATABASE_URL": "postgresql://c/d"})
    assert s.tracker_database_url == "postgresql://c/d"


def test_production_refuses_missing_or_weak_secrets():
    with pytest.raises(SettingsError, match="RASA_AUTH_TOKEN"):
        settings_from_env({"CLINIC_ENV": "production", "ACTION_SERVER_TOKEN": STRONG})
    with pytest.raises(SettingsError, match="ACTION_SERVER_TOKEN"):
        settings_from_env({"CLINIC_ENV": "production", "RASA_AUTH_TOKEN": STRONG, "ACTION_SERVER_TOKEN": "short"})
    with pytest.raises(SettingsError, match="CONSOLE_SECRET_KEY"):
        settings_from_env({"CLINIC_ENV": "production", "RASA_AUTH_TOKEN": STRONG, "ACTION_SERVER_TOKEN": STRONG})
    s = settings_from_env({"CLINIC_ENV": "production", **{name: STRONG for name in SECRET_NAMES}})
    assert s.is_production


def test_unknown_environment_is_refused():
    with pytest.raises(SettingsError):
        settings_from_env({"CLINIC_ENV": "staging"})


def test_env_file_is_created_private_and_then_kept(tmp_path):
    env = tmp_path / ".env"
    assert ensure_env_file(env) is True
    first = env.read_text()
    values = dict(line.split("=", 1) for line in first.splitlines() if "=" in line)
    assert set(values) == set(SECRET_NAMES) >= {"RASA_AUTH_TOKEN", "ACTION_SERVER_TOKEN", "CONSOLE_SECRET_KEY"}
    assert all(len(v) >= 32 for v in values.values())
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    assert ensure_env_file(env) is False
    assert env.read_text() == first


def test_env_file_gets_only_the_missing_secret(tmp_path):
    env = tmp_path / ".env"
    env.write_text("RASA_AUTH_TOKEN=keepme")
    assert ensure_env_file(env) is True
    text = env.read_text()
    assert "RASA_AUTH_TOKEN=keepme\n" in text and text.count("ACTION_SERVER_TOKEN=") == 1
