"""The Rasa server command line: API always authenticated, loopback, tuned process."""
import json
import os
import subprocess
import sys
from pathlib import Path

from addons import rasa_server
from clinic import settings as settings_module


def test_command_always_enables_the_api_and_never_holds_the_token():
    argv = rasa_server.command(5123, Path("m.tar.gz"), Path("e.yml"), Path("c.yml"))
    assert argv[1:3] == ["-m", "addons.rasa_cli"]
    assert argv[3:5] == ["run", "--enable-api"]
    assert not any(a.startswith("--auth-token") for a in argv)
    assert argv[argv.index("--interface") + 1] == "127.0.0.1"
    assert argv[argv.index("--port") + 1] == "5123"


def test_main_passes_the_token_in_the_environment(monkeypatch, tmp_path):
    token = "t0ken-" + "x" * 40
    monkeypatch.setattr(rasa_server, "get_settings", lambda: settings_module.settings_from_env(
        {"CLINIC_VAR_DIR": str(tmp_path), "RASA_AUTH_TOKEN": token}))
    started = {}
    monkeypatch.setattr(rasa_server.os, "execve", lambda path, argv, env: started.update(argv=argv, env=env))
    rasa_server.main([])
    assert started["env"]["RASA_AUTH_TOKEN"] == token
    assert not any(token in a for a in started["argv"])


def test_rasa_cli_gives_rasa_run_the_token_from_the_environment(monkeypatch, tmp_path):
    import argparse

    import rasa.cli.run

    from addons import compat, rasa_cli

    seen = {}
    monkeypatch.setattr(rasa.cli.run, "run", lambda args: seen.update(token=args.auth_token))
    assert rasa_cli.wants_env_token(["rasa", "run", "--enable-api", "--port", "5005"])
    assert not rasa_cli.wants_env_token(["rasa", "run", "--enable-api", "--auth-token=x"])
    assert not rasa_cli.wants_env_token(["rasa", "train"])
    rasa_cli.pass_token_in_process("from-env")
    rasa.cli.run.run(argparse.Namespace(auth_token=None))
    assert seen["token"] == "from-env"
    compat.uninstall("cli_auth_token")  # before monkeypatch puts Rasa's back
    secret = tmp_path / "token"
    secret.write_text("from-file\n")
    assert rasa_cli.token_from_env({"RASA_AUTH_TOKEN_FILE": str(secret), "RASA_AUTH_TOKEN": "x"}) == "from-file"
    assert rasa_cli.token_from_env({"RASA_AUTH_TOKEN": "from-env"}) == "from-env"
    assert rasa_cli.token_from_env({}) is None


def test_process_env_adds_thread_and_allocator_settings_but_explicit_values_win():
    env = rasa_server.process_env({"MALLOC_ARENA_MAX": "4", "PATH": "/bin"})
    assert env["TF_INTRA_OP_PARALLELISM_THREADS"] == "1"
    assert env["RASA_TELEMETRY_ENABLED"] == "false"
    assert env["MALLOC_ARENA_MAX"] == "4" and env["PATH"] == "/bin"


def test_the_server_process_runs_numpys_blas_on_one_thread():
    # what the server's process sees: numpy loaded with the process settings, asked through
    # threadpoolctl (the library scikit-learn uses to read the same thing)
    script = ("import json, numpy, threadpoolctl; "
              "print(json.dumps([p['num_threads'] for p in threadpoolctl.threadpool_info() "
              "if p['internal_api'] == 'openblas']))")
    env = rasa_server.process_env({k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"})
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                         check=True, timeout=60)
    assert json.loads(out.stdout) == [1]


def test_refuses_to_start_without_a_token(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(rasa_server, "get_settings",
                        lambda: settings_module.settings_from_env({"CLINIC_VAR_DIR": str(tmp_path)}))
    monkeypatch.setattr(rasa_server.os, "execve", lambda *a: (_ for _ in ()).throw(AssertionError("started")))
    assert rasa_server.main([]) == 2
    assert "RASA_AUTH_TOKEN" in capsys.readouterr().err


def test_rasa_cli_installs_the_patches_before_running_rasa(monkeypatch):
    import rasa.__main__

    from addons import compat, rasa_cli

    order = []
    monkeypatch.setattr(compat, "startup", lambda *names: order.append(("startup", names)))
    monkeypatch.setattr(rasa.__main__, "main", lambda: order.append("rasa"))
    monkeypatch.setattr(rasa_cli.sys, "argv", ["addons/rasa_cli.py", "run"])
    rasa_cli.main()
    assert order == [("startup", rasa_cli.STARTUP_PATCHES), "rasa"]
    assert {"action_response", "gc_freeze", "graph_runner", "training_cache", "bounded_parse"} <= set(
        rasa_cli.STARTUP_PATCHES)
    assert rasa_cli.sys.argv == ["rasa", "run"]


def test_the_server_process_runs_the_arabic_encoders_openmp_on_one_thread():
    # scikit-learn (and TensorFlow) load OpenMP before the Arabic encoder does, which then
    # cannot set its thread count any more: the server's process settings must have
    script = ("import json, sklearn.linear_model, threadpoolctl; "
              "from clinic.nlu.multilingual import MultilingualEncoder; MultilingualEncoder.load(threads=1); "
              "print(json.dumps([p['num_threads'] for p in threadpoolctl.threadpool_info() "
              "if p['user_api'] == 'openmp']))")
    env = rasa_server.process_env({k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"})
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                         check=True, timeout=60)
    threads = json.loads(out.stdout)
    assert threads and set(threads) == {1}
