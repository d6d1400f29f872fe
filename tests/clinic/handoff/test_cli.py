"""python -m clinic create-staff."""
import io

import clinic.db
import clinic.settings
from clinic.__main__ import main
from clinic.handoff.staff import authenticate


def test_create_staff_reads_the_password_from_stdin(sqlite_factory, monkeypatch, capsys):
    monkeypatch.setattr(clinic.db, "default_session_factory", lambda: sqlite_factory)
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["create-staff", "Sara", "--first-name", "Sara", "--password-stdin"]) == 0
    assert "created staff account sara" in capsys.readouterr().out
    with sqlite_factory.begin() as session:
        assert authenticate(session, "sara", "a long enough password").first_name == "Sara"

    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["create-staff", "omar", "--first-name", "Omar", "--password-stdin"]) == 2
    assert "at least 12" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["create-staff", "sara", "--first-name", "Sara", "--password-stdin"]) == 2


def test_demo_staff_password_is_generated_into_env_once(sqlite_factory, monkeypatch, tmp_path, capsys):
    from clinic.handoff import cli

    monkeypatch.setattr(clinic.db, "default_session_factory", lambda: sqlite_factory)
    # settings from an empty environment: reading them must not load the project's .env
    # (which may hold a CONSOLE_DEMO_PASSWORD) into os.environ behind the test's back
    monkeypatch.setattr(clinic.settings, "get_settings", lambda: clinic.settings.settings_from_env({}))
    monkeypatch.delenv("CONSOLE_DEMO_PASSWORD", raising=False)
    env = tmp_path / ".env"
    env.write_text("RASA_AUTH_TOKEN=x")
    args = type("Args", (), {"first_name": "Demo"})()
    assert cli._demo_staff(args, env_file=env) == 0
    text = env.read_text()
    assert text.startswith("RASA_AUTH_TOKEN=x\nCONSOLE_DEMO_PASSWORD=") and oct(env.stat().st_mode)[-3:] == "600"
    password = text.split("CONSOLE_DEMO_PASSWORD=")[1].strip()
    assert password not in capsys.readouterr().out
    assert cli._demo_staff(args, env_file=env) == 0 and env.read_text() == text
    with sqlite_factory.begin() as session:
        assert authenticate(session, "demo", password)


def test_create_staff_with_a_role_and_change_it(sqlite_factory, monkeypatch, capsys):
    from clinic.handoff.staff import get_staff

    monkeypatch.setattr(clinic.db, "default_session_factory", lambda: sqlite_factory)
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["create-staff", "sara", "--first-name", "Sara", "--role", "Nurse", "--password-stdin"]) == 0
    with sqlite_factory.begin() as session:
        assert get_staff(session, "sara").role == "nurse"
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["create-staff", "omar", "--first-name", "Omar", "--role", "surgeon", "--password-stdin"]) == 2
    assert "Unknown role" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("another long password\n"))
    assert main(["create-staff", "sara", "--update", "--role", "none", "--password-stdin"]) == 0
    with sqlite_factory.begin() as session:
        assert get_staff(session, "sara").role is None
