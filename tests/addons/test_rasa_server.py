"""The Rasa server command line: API always authenticated, loopback, tuned process."""
from pathlib import Path

from addons import rasa_server
from clinic import settings as settings_module


def test_command_always_enables_the_api_with_a_joined_token():
    argv = rasa_server.command(5123, "-starts-with-dash", Path("m.tar.gz"), Path("e.yml"), Path("c.yml"))
    assert argv[1:3] == ["-m", "addons.rasa_cli"]
    assert argv[3:6] == ["run", "--enable-api", "--auth-token=-starts-with-dash"]
    assert argv[argv.index("--interface") + 1] == "127.0.0.1"
    assert argv[argv.index("--port") + 1] == "5123"


def test_process_env_adds_thread_and_allocator_settings_but_explicit_values_win():
    env = rasa_server.process_env({"MALLOC_ARENA_MAX": "4", "PATH": "/bin"})
    assert env["TF_INTRA_OP_PARALLELISM_THREADS"] == "1"
    assert env["RASA_TELEMETRY_ENABLED"] == "false"
    assert env["MALLOC_ARENA_MAX"] == "4" and env["PATH"] == "/bin"


def test_refuses_to_start_without_a_token(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(rasa_server, "get_settings",
                        lambda: settings_module.settings_from_env({"CLINIC_VAR_DIR": str(tmp_path)}))
    monkeypatch.setattr(rasa_server.os, "execve", lambda *a: (_ for _ in ()).throw(AssertionError("started")))
    assert rasa_server.main([]) == 2
    assert "RASA_AUTH_TOKEN" in capsys.readouterr().err


def test_rasa_cli_installs_the_speedups_before_running_rasa(monkeypatch):
    import rasa.__main__

    from addons import rasa_cli, speedups

    order = []
    monkeypatch.setattr(speedups, "install", lambda: order.append("speedups"))
    monkeypatch.setattr(rasa.__main__, "main", lambda: order.append("rasa"))
    monkeypatch.setattr(rasa_cli.sys, "argv", ["addons/rasa_cli.py", "run"])
    rasa_cli.main()
    assert order == ["speedups", "rasa"]
    assert rasa_cli.sys.argv == ["rasa", "run"]
