"""ops/launch.py, the one launcher of background processes: start, readiness, failure
reports with the log's end, and a stop that leaves nothing running. Tiny HTTP servers
stand in for Rasa and the action server."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from ops import launch
from ops.topology import free_ports

ROOT = Path(__file__).resolve().parents[2]


def http_server(name: str, port: int, delay: float = 0.0) -> launch.Service:
    code = (f"import time, http.server; time.sleep({delay}); print('starting {name}', flush=True); "
            f"http.server.test(HandlerClass=http.server.SimpleHTTPRequestHandler, port={port}, bind='127.0.0.1')")
    return launch.Service(name, f"{name} server", [sys.executable, "-c", code], f"http://127.0.0.1:{port}/")


def gone(process: subprocess.Popen) -> bool:
    return process.poll() is not None


def test_services_start_answer_and_are_stopped_afterwards(tmp_path):
    a, b = free_ports(2)
    with launch.launched([http_server("one", a), http_server("two", b, delay=0.3)], {}, tmp_path,
                         start_timeout=20, stop_timeout=5, poll=0.05) as group:
        processes = list(group.processes.values())
        assert not any(gone(p) for p in processes)
        assert "starting two" in group.tail("two")
    assert all(gone(p) for p in processes)
    assert (tmp_path / "one.log").exists() and (tmp_path / "two.log").exists()


def test_a_process_that_dies_while_starting_is_named_with_the_end_of_its_log(tmp_path):
    [port] = free_ports(1)
    broken = launch.Service("rasa", "Rasa server",
                            [sys.executable, "-c", "import sys; print('no model here'); sys.exit(3)"],
                            f"http://127.0.0.1:{free_ports(1)[0]}/")
    with pytest.raises(launch.StackError) as error:
        with launch.launched([http_server("actions", port), broken], {}, tmp_path,
                             start_timeout=20, stop_timeout=5, poll=0.05):
            pytest.fail("started")
    assert "Rasa server exited with code 3" in str(error.value) and "no model here" in str(error.value)


def test_a_process_that_never_answers_times_out_and_is_stopped(tmp_path):
    [port] = free_ports(1)
    code = "import time; print('hello', flush=True); time.sleep(60)"
    silent = launch.Service("web", "web app", [sys.executable, "-c", code], f"http://127.0.0.1:{port}/")
    started = time.monotonic()
    with pytest.raises(launch.StackError, match=r"not ready after 1 s: web") as error:
        with launch.launched([silent], {}, tmp_path, start_timeout=1, stop_timeout=5, poll=0.05):
            pytest.fail("started")
    assert time.monotonic() - started < 10
    assert "hello" in str(error.value)
    assert not [p for p in psutil.Process().children(recursive=True) if "time.sleep(60)" in " ".join(p.cmdline())]


def test_a_process_ignoring_sigterm_is_killed_with_its_children(tmp_path):
    code = ("import signal, subprocess, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); print('up', flush=True); "
            "time.sleep(60)")
    process = launch.spawn([sys.executable, "-c", code], {}, tmp_path / "stubborn.log")
    deadline = time.monotonic() + 10
    while "up" not in launch.tail(tmp_path / "stubborn.log") and time.monotonic() < deadline:
        time.sleep(0.02)
    [child] = psutil.Process(process.pid).children()
    launch.stop_processes([process], timeout=0.2)
    assert gone(process)
    child.wait(5)  # raises when it is still running
    assert not child.is_running()


def test_the_readiness_predicates():
    import httpx

    request = httpx.Request("GET", "http://x/status")
    assert launch.model_loaded(httpx.Response(200, json={"model_file": "m.tar.gz"}, request=request))
    assert not launch.model_loaded(httpx.Response(200, json={"model_file": None}, request=request))
    assert launch.answers_200(httpx.Response(200, request=request))
    assert not launch.answers_200(httpx.Response(503, request=request))


def test_rasa_and_the_action_server_are_started_one_way():
    rasa = launch.rasa_server(5999, Path("m.tar.gz"), "t0ken")
    assert rasa.command[1:3] == ["-m", "addons.rasa_server"] and "--port" in rasa.command
    assert str(launch.ENDPOINTS) in rasa.command and rasa.probe.endswith("/status?token=t0ken")
    assert launch.action_server(5998).probe == "http://127.0.0.1:5998/health"


@pytest.mark.parametrize("path", ["bench/servers.py", "ops/stack.py", "tests/integration/conftest.py",
                                  "tests/integration/channels/conftest.py"])
def test_no_other_module_starts_processes_itself(path):
    """The bench, the production stack and both integration fixtures use ops/launch.py."""
    text = (ROOT / path).read_text(encoding="utf-8")
    assert "Popen(" not in text and "addons.rasa_server" not in text and "addons.action_server" not in text
    assert "launch" in text
