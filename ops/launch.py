"""The one launcher of the assistant's processes outside ``make run``.

Everything that starts Rasa and the action server in the background goes through here:
the integration fixtures (``tests/integration/conftest.py``, its ``channels`` folder),
the bench (``bench/servers.py``) and, for the production topology under supervisord,
``ops/stack.py`` (its readiness wait and its stop). One place decides how a process is
started (its own log file, no stdin), how readiness is probed (every pending probe each
round; a process that exits while starting fails at once with the end of its log), and
how processes are stopped (SIGTERM, a grace period, SIGKILL, then any child left behind).

Callers keep what differs: the environment (ports, tokens, databases), the log folder,
the time allowed to start and to stop, and what they turn a :class:`StackError` into.
"""
from __future__ import annotations

import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Mapping, Sequence, Tuple

import httpx
import psutil

from clinic.settings import PROJECT_ROOT

PYTHON = sys.executable
ENDPOINTS = PROJECT_ROOT / "endpoints.yml"  # the action server's URL is ${ACTION_SERVER_URL}
CREDENTIALS = PROJECT_ROOT / "credentials.yml"

Ready = Callable[[httpx.Response], bool]


class StackError(RuntimeError):
    """A process did not start, did not answer, or a preparation step failed."""


def answers_200(response: httpx.Response) -> bool:
    return response.status_code == 200


def model_loaded(response: httpx.Response) -> bool:
    """Rasa's ``/status`` names the model it has loaded."""
    return response.status_code == 200 and bool(response.json().get("model_file"))


@dataclass(frozen=True)
class Service:
    """One process: its log is ``<log_dir>/<name>.log``; it is ready when ``ready`` holds for
    the answer to ``probe``."""

    name: str
    what: str  # for messages: "Rasa server"
    command: Sequence[str]
    probe: str
    ready: Ready = answers_200


def rasa_server(port: int, model: Path, token: str, *, credentials: Path = CREDENTIALS,
                endpoints: Path = ENDPOINTS, python: str = PYTHON, ready: Ready = answers_200) -> Service:
    """Rasa through ``addons.rasa_server`` (speed-ups, checked versions) on 127.0.0.1:``port``.
    Its API token is checked as the ``token`` query parameter (not a header)."""
    return Service("rasa", "Rasa server",
                   [python, "-m", "addons.rasa_server", "--port", str(port), "--model", str(model),
                    "--endpoints", str(endpoints), "--credentials", str(credentials)],
                   f"http://127.0.0.1:{port}/status?token={token}", ready)


def action_server(port: int, *, python: str = PYTHON) -> Service:
    """The action server; it reads its port and token from ``ACTION_SERVER_PORT`` and
    ``ACTION_SERVER_TOKEN`` of the environment it is started with."""
    return Service("actions", "action server", [python, "-m", "addons.action_server"],
                   f"http://127.0.0.1:{port}/health")


def prepare_clinic_database(env: Mapping[str, str]) -> None:
    """Create or upgrade the clinic tables of ``env``'s database and load the demo schedule."""
    for command in (["migrate"], ["seed-demo"]):
        result = subprocess.run([sys.executable, "-m", "clinic", *command], cwd=PROJECT_ROOT, env=dict(env),
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise StackError(f"`python -m clinic {' '.join(command)}` failed:\n{result.stdout}{result.stderr}")


def tail(log: Path, lines: int = 15) -> str:
    """The last ``lines`` lines of ``log`` (``(no log)`` when there is none)."""
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_ready(probes: Mapping[str, Tuple[str, Ready]], timeout: float, *,
               check_alive: Callable[[], None] = lambda: None,
               describe: Callable[[List[str]], str] = lambda pending: "",
               poll: float = 0.5, client_timeout: float = 5.0) -> None:
    """Poll every pending probe (``name: (url, ready)``) each round until all are ready.

    ``check_alive`` raises :class:`StackError` when a process has died; on timeout the
    error names what is still pending, followed by ``describe(pending)``.
    """
    deadline = time.monotonic() + timeout
    pending = dict(probes)
    with httpx.Client(timeout=client_timeout) as client:
        while pending:
            check_alive()
            for name, (url, ready) in list(pending.items()):
                try:
                    if ready(client.get(url)):
                        del pending[name]
                except (httpx.HTTPError, ValueError):  # not listening yet, or not JSON yet
                    pass
            if not pending:
                return
            if time.monotonic() >= deadline:
                break
            time.sleep(poll)
    names = list(pending)
    raise StackError(f"not ready after {timeout:.0f} s: {', '.join(names)}\n{describe(names)}".rstrip())


def stop_processes(processes: Iterable[subprocess.Popen], timeout: float) -> None:
    """SIGTERM each running process, wait up to ``timeout`` s each, SIGKILL what is left,
    then kill any child the processes left behind."""
    running = [p for p in processes if p.poll() is None]
    children: List[psutil.Process] = []
    for process in running:
        try:
            children += psutil.Process(process.pid).children(recursive=True)
        except psutil.Error:
            pass
    for process in running:
        process.terminate()
    for process in running:
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)
    for child in children:
        try:
            child.kill()  # psutil checks it is still the same process (pid and start time)
        except psutil.Error:
            pass


@dataclass
class Launched:
    """Processes started by :func:`launched`, by service name."""

    log_dir: Path
    env: Dict[str, str]
    services: Dict[str, Service] = field(default_factory=dict)
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)

    def log(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def tail(self, name: str, lines: int = 15) -> str:
        return tail(self.log(name), lines)

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise StackError(f"{self.services[name].what} exited with code {process.returncode} while "
                                 f"starting; log {self.log(name)}:\n{self.tail(name)}")

    def stop(self, timeout: float) -> None:
        stop_processes(reversed(list(self.processes.values())), timeout)


def spawn(command: Sequence[str], env: Mapping[str, str], log: Path, *, new_session: bool = False) -> subprocess.Popen:
    """Start ``command`` in the project root, its output (stdout and stderr) going to ``log``."""
    with log.open("w", encoding="utf-8") as handle:  # the child keeps its own descriptor
        return subprocess.Popen(list(command), cwd=PROJECT_ROOT, env=dict(env), stdout=handle,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=new_session)


@contextmanager
def launched(services: Sequence[Service], env: Mapping[str, str], log_dir: Path, *, start_timeout: float,
             stop_timeout: float = 20.0, new_session: bool = False,
             poll: float = 0.5) -> Iterator[Launched]:
    """Start ``services`` in order with ``env``, wait until every one answers (``start_timeout``
    for all of them), yield them, and always stop them (``stop_timeout`` each).

    ``new_session``: the processes get a session of their own, so a Ctrl-C in the terminal
    reaches only the caller (which then stops them).
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    group = Launched(log_dir, dict(env))
    try:
        for service in services:
            group.services[service.name] = service
            group.processes[service.name] = spawn(service.command, env, group.log(service.name),
                                                  new_session=new_session)
        wait_ready({s.name: (s.probe, s.ready) for s in services}, start_timeout,
                   check_alive=group.check_alive, poll=poll,
                   describe=lambda pending: "\n".join(f"--- {group.services[n].what}, log {group.log(n)}:\n"
                                                      f"{group.tail(n)}" for n in pending))
        yield group
    finally:
        group.stop(stop_timeout)
