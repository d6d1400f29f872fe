"""The settings schema (clinic/config_schema.py): one declaration per environment variable,
the README generated from it, and production refusing placeholder secrets."""
from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest

from clinic import config_schema as schema
from clinic.channels.config import channel_settings_from_env
from clinic.settings import SECRET_NAMES, SettingsError, settings_from_env

ROOT = Path(__file__).resolve().parents[2]
# every place a process, ops/, the bench, a script or a test reads the environment
SOURCE_DIRS = ("clinic", "actions", "addons", "console", "ops", "bench", "scripts", "tests")
READ = re.compile(
    r"""(?:environ\.get|getenv|env\.get|environ\[|env\[|env_flag|schema\.read)\(?\s*["']([A-Z][A-Z0-9_]+)["']""")
# names read through a constant (the constant's module reads the environment with it)
CONSTANTS = re.compile(r"""^(?:[A-Z_]+_ENV|SETTING|DEMO_PASSWORD_NAME)\s*=\s*["']([A-Z][A-Z0-9_]+)["']""", re.M)


def strong() -> str:
    return secrets.token_hex(32)


def production(**overrides: str) -> dict:
    return {"CLINIC_ENV": "production", **{name: strong() for name in SECRET_NAMES}, **overrides}


def source_files():
    for directory in SOURCE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            if "conversations" in path.parts and "tests" in path.parts and path.suffix != ".py":
                continue
            yield path


def names_read_by_the_code() -> dict:
    found: dict = {}
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        for name in READ.findall(text) + CONSTANTS.findall(text):
            found.setdefault(name, path.relative_to(ROOT).as_posix())
    return found


# -- one declaration of each variable ---------------------------------------------------

def test_the_readme_tables_are_generated_from_the_schema():
    block = schema.readme_block((ROOT / "README.md").read_text(encoding="utf-8"))
    assert block, "README.md lacks the settings-table markers"
    assert block == schema.markdown_tables(), (
        "README.md's configuration tables differ from clinic/config_schema.py: "
        "run `python -m clinic.config_schema table --write`")


def test_every_variable_the_code_reads_is_declared():
    read = names_read_by_the_code()
    assert {"DATABASE_URL", "CLINIC_RASA_PATCHES", "RASA_AUTH_TOKEN_FILE", "PROD_DATABASE_URL",
            "CONSOLE_DEMO_PASSWORD", "TEST_POSTGRES_URL"} <= set(read), "the scan finds the known readers"
    undeclared = {name: where for name, where in read.items()
                  if name not in schema.BY_NAME and name not in schema.EXTERNAL}
    # the stack fixtures and ops/topology.py *write* the wiring variables (RASA_1, ...) and the
    # socket.io handler reads the WSGI request's HTTP_* and REMOTE_ADDR: not configuration
    undeclared = {n: w for n, w in undeclared.items()
                  if not n.startswith("HTTP_") and n not in ("REMOTE_ADDR", "RASA_1", "RASA_2")}
    assert not undeclared, f"declare these in clinic/config_schema.py: {undeclared}"


def test_every_declared_variable_is_read_somewhere():
    text = "".join(p.read_text(encoding="utf-8") for p in source_files())
    text += (ROOT / "endpoints.yml").read_text() + (ROOT / "Makefile").read_text()
    unread = [v.name for v in schema.VARIABLES if v.name not in text]
    assert not unread, f"nothing reads {unread}: remove them from the schema"


def test_names_are_unique_and_documented():
    names = [v.name for v in schema.VARIABLES]
    assert len(names) == len(set(names))
    for variable in schema.VARIABLES:
        assert variable.description and variable.group in schema.GROUP_TITLES, variable.name
        assert variable.default_text  # a computed default has its README text
        schema.parse(variable, variable.default_for({}))  # every default is valid


def test_the_required_secrets_are_the_ones_generated_into_env():
    assert SECRET_NAMES == ("RASA_AUTH_TOKEN", "ACTION_SERVER_TOKEN", "CONSOLE_SECRET_KEY")


CHANNEL_FIELDS = {
    "WHATSAPP_GRAPH_URL": "whatsapp.graph_url", "WHATSAPP_API_VERSION": "whatsapp.api_version",
    "WHATSAPP_TEMPLATE_LANGUAGE": "whatsapp.template_language",
    "WHATSAPP_TIMEOUT_SECONDS": "whatsapp.timeout_seconds", "WHATSAPP_SEND_ATTEMPTS": "whatsapp.max_attempts",
    "TWILIO_API_URL": "twilio.api_url", "TWILIO_TIMEOUT_SECONDS": "twilio.timeout_seconds",
    "TWILIO_SEND_ATTEMPTS": "twilio.max_attempts", "WIDGET_SOCKET_URL": "widget_socket_url",
    "SOCKETIO_ALLOWED_ORIGINS": "socketio_allowed_origins", "SOCKETIO_RATE_LIMIT": "socketio_rate_limit",
    "CHANNEL_MAX_WEBHOOK_BYTES": "max_webhook_bytes", "WEBHOOK_RATE_LIMIT": "webhook_rate_limit",
    "ADDRESS_RATE_LIMIT": "address_rate_limit", "RATE_LIMIT_REDIS_URL": "rate_limit_redis_url",
}


@pytest.mark.parametrize("name", sorted(CHANNEL_FIELDS))
def test_the_channel_settings_defaults_are_the_schemas(name):
    value = channel_settings_from_env({})
    for part in CHANNEL_FIELDS[name].split("."):
        value = getattr(value, part)
    assert value == schema.read(name, {}), f"{name}: clinic/channels/config.py and the schema disagree"


def test_settings_read_the_schema_defaults(tmp_path):
    s = settings_from_env({"CLINIC_VAR_DIR": str(tmp_path)})
    assert (s.action_server_port, s.web_port, s.max_message_chars) == (5055, 8000, 20000)
    assert s.action_server_url == "http://127.0.0.1:5055/webhook" and s.rasa_patches
    assert s.urgent_outbox == tmp_path / "urgent-outbox.db"
    moved = settings_from_env({"ACTION_SERVER_PORT": "6123", "CLINIC_RASA_PATCHES": "off"})
    assert moved.action_server_url == "http://127.0.0.1:6123/webhook" and not moved.rasa_patches
    assert settings_from_env({"ACTION_SERVER_URL": "http://proxy:5055/webhook"}).action_server_url \
        == "http://proxy:5055/webhook"


# -- validation -------------------------------------------------------------------------

@pytest.mark.parametrize("variable", [v for v in schema.VARIABLES if v.kind in (schema.INT, schema.FLOAT)],
                         ids=lambda v: v.name)
def test_a_number_that_is_not_one_is_refused_by_name(variable):
    with pytest.raises(SettingsError, match=variable.name):
        settings_from_env({variable.name: "twelve"})
    with pytest.raises(SettingsError, match=variable.name):
        settings_from_env({variable.name: "-1"})


@pytest.mark.parametrize("name,bad", [("CLINIC_ENV", "staging"), ("CLINIC_RASA_PATCHES", "maybe"),
                                      ("DATABASE_URL", "var/clinic.db"), ("CI", "perhaps"),
                                      ("CLINIC_FIXED_NOW", "tomorrow")])
def test_other_bad_values_are_refused_by_name(name, bad):
    with pytest.raises(SettingsError, match=name):
        settings_from_env({name: bad})


def test_every_problem_is_listed_at_once():
    with pytest.raises(SettingsError) as error:
        settings_from_env({"WEB_PORT": "x", "MAX_MESSAGE_CHARS": "0", "CLINIC_ENV": "production"})
    for name in ("WEB_PORT", "MAX_MESSAGE_CHARS", *SECRET_NAMES):
        assert name in str(error.value)


def test_production_accepts_real_secrets_and_development_accepts_placeholders():
    assert settings_from_env(production(PRIVACY_AUDIT_KEY=strong())).is_production
    settings_from_env({"PRIVACY_AUDIT_KEY": "change-me", "RASA_AUTH_TOKEN": "change-me",
                       "DATABASE_URL": "postgresql://clinic:change-me@db/clinic"})


@pytest.mark.parametrize("variable", [v for v in schema.VARIABLES if v.secret], ids=lambda v: v.name)
@pytest.mark.parametrize("placeholder", ["change-me", "changeme-" + "a" * 40, "example-" + "b" * 40,
                                         "your-token-" + "c" * 40, "REPLACE-ME-" + "d" * 40])
def test_production_refuses_every_placeholder_secret(variable, placeholder):
    with pytest.raises(SettingsError, match=variable.name):
        settings_from_env(production(**{variable.name: placeholder}))


@pytest.mark.parametrize("variable", [v for v in schema.VARIABLES if v.secret and v.minimum],
                         ids=lambda v: v.name)
def test_production_refuses_short_secrets(variable):
    with pytest.raises(SettingsError, match=variable.name):
        settings_from_env(production(**{variable.name: "k3Yq" * 3}))


@pytest.mark.parametrize("name", [v.name for v in schema.VARIABLES if v.kind == schema.URL])
def test_production_refuses_an_example_password_inside_a_url(name):
    url = "postgresql://clinic:change-me-postgres-password@db:5432/clinic"
    with pytest.raises(SettingsError, match=name):
        settings_from_env(production(**{name: url}))
    settings_from_env(production(**{name: f"postgresql://clinic:{strong()}@db:5432/clinic"}))


def test_production_requires_the_core_secrets_and_refuses_the_test_clock():
    for name in SECRET_NAMES:
        with pytest.raises(SettingsError, match=f"{name} is required"):
            settings_from_env(production(**{name: ""}))
    with pytest.raises(SettingsError, match="CLINIC_FIXED_NOW"):
        settings_from_env(production(CLINIC_FIXED_NOW="2027-01-17T11:00:00+04:00"))


def test_generated_secrets_are_never_taken_for_placeholders():
    assert not [t for t in (secrets.token_urlsafe(32) for _ in range(5000)) if schema.looks_like_placeholder(t)]


def test_the_command_prints_the_tables_and_checks_an_environment(capsys, monkeypatch, tmp_path):
    assert schema.main(["table"]) == 0
    assert capsys.readouterr().out == schema.markdown_tables()
    monkeypatch.setattr(schema, "README", tmp_path / "README.md")  # .env beside it: none
    monkeypatch.setenv("CLINIC_ENV", "production")
    for name in SECRET_NAMES:
        monkeypatch.setenv(name, "change-me")
    assert schema.main(["check"]) == 1
    assert "RASA_AUTH_TOKEN is an example value" in capsys.readouterr().err


def test_write_readme_replaces_only_the_block(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{schema.TABLE_START}\nstale\n{schema.TABLE_END}\nafter\n")
    assert schema.write_readme(readme) is True
    text = readme.read_text()
    assert text.startswith("before\n") and text.endswith(f"{schema.TABLE_END}\nafter\n")
    assert schema.readme_block(text) == schema.markdown_tables()
    assert schema.write_readme(readme) is False


def test_a_misspelt_setting_is_named_as_unknown(capsys, monkeypatch, tmp_path):
    env = {"CLINIC_ENVIRONMENT": "production", "WHATSAPP_APP_SECRETS": "x", "HOME": "/root",
           "RASA_TELEMETRY_ENABLED": "false", "DATABASE_URL": "sqlite:///x.db"}
    assert schema.unknown(env) == ["CLINIC_ENVIRONMENT", "WHATSAPP_APP_SECRETS"]
    monkeypatch.setattr(schema, "README", tmp_path / "README.md")
    monkeypatch.setenv("CLINIC_ENVIRONMENT", "production")
    assert schema.main(["check"]) == 0  # a warning, not a refusal
    assert "CLINIC_ENVIRONMENT is not a setting of the clinic" in capsys.readouterr().err
