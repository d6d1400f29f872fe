"""Start, control and stop the production topology under supervisord.

``make run-prod`` runs supervisord in the foreground; the load and fault tests use
:func:`running` to start it in the background on free ports, wait until every process
answers, stop and start single processes with supervisorctl, and shut it all down.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Mapping

import httpx

from clinic.settings import PROJECT_ROOT
from ops.topology import Topology

BIN = Path(sys.executable).parent
START_TIMEOUT_S = float(os.environ.get("PROD_START_TIMEOUT", "300"))


class StackError(RuntimeError):
    """The topology did not start or did not answer."""


def prepare_clinic_database(env: Mapping[str, str]) -> None:
    """Create or upgrade the clinic tables of ``env``'s database and load the demo schedule."""
    for command in (["migrate"], ["seed-demo"]):
        result = subprocess.run([sys.executable, "-m", "clinic", *command], cwd=PROJECT_ROOT, env=dict(env),
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise StackError(f"`python -m clinic {' '.join(command)}` failed:\n{result.stdout}{result.stderr}")


def prepare(topology: Topology, base_env: Mapping[str, str], haproxy: str) -> Dict[str, str]:
    """Prepare the clinic database and return the environment for every process."""
    topology.run_dir.mkdir(parents=True, exist_ok=True)
    env = {**base_env, **topology.env(haproxy)}
    prepare_clinic_database(env)
    return env


def supervisord_command(topology: Topology) -> List[str]:
    return [str(BIN / "supervisord"), "-n", "-c", str(topology.supervisor_conf)]


class Stack:
    """A running topology: its addresses, its environment and supervisorctl."""

    def __init__(self, topology: Topology, env: Dict[str, str], process: subprocess.Popen) -> None:
        self.topology = topology
        self.env = env
        self.process = process

    @property
    def token(self) -> str:
        return self.env["RASA_AUTH_TOKEN"]

    def ctl(self, *args: str, check: bool = True) -> str:
        """Run ``supervisorctl`` against this stack (``ctl("stop", "rasa:rasa-1")``)."""
        result = subprocess.run([str(BIN / "supervisorctl"), "-c", str(self.topology.supervisor_conf), *args],
                                cwd=PROJECT_ROOT, env=self.env, capture_output=True, text=True, timeout=60)
        if check and result.returncode != 0:
            raise StackError(f"supervisorctl {' '.join(args)}: {result.stdout}{result.stderr}")
        return result.stdout

    def log(self, name: str) -> Path:
        return self.topology.run_dir / f"{name}.log"

    def tail(self, name: str, lines: int = 20) -> str:
        try:
            return "\n".join(self.log(name).read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def wait_ready(self, timeout: float = START_TIMEOUT_S) -> None:
        """Wait until both Rasa processes, both action servers and the proxy answer."""
        t = self.topology
        probes = {
            "rasa-1": f"{t.rasa_url(0)}/status?token={self.token}",
            "rasa-2": f"{t.rasa_url(1)}/status?token={self.token}",
            "actions-1": f"{t.action_url(0)}/health",
            "actions-2": f"{t.action_url(1)}/health",
            "proxy": f"{t.public_url}/webhooks/rest/",
        }
        deadline = time.monotonic() + timeout
        pending = dict(probes)
        with httpx.Client(timeout=3.0) as client:
            while pending and time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise StackError(f"supervisord exited ({self.process.returncode}):\n{self.tail('supervisord')}")
                for name, url in list(pending.items()):
                    try:
                        if client.get(url).status_code == 200:
                            del pending[name]
                    except httpx.HTTPError:
                        pass
                time.sleep(1.0)
        if pending:
            details = "\n".join(f"--- {name}:\n{self.tail(name)}" for name in pending)
            raise StackError(f"not ready after {timeout:.0f} s: {', '.join(pending)}\n{details}")

    def stop(self, timeout: float = 60.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


@contextmanager
def running(topology: Topology, env: Dict[str, str], timeout: float = START_TIMEOUT_S) -> Iterator[Stack]:
    """Start supervisord with ``env`` (from :func:`prepare`), wait until ready, always stop it."""
    log = (topology.run_dir / "supervisord.out").open("w")
    process = subprocess.Popen(supervisord_command(topology), cwd=PROJECT_ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               start_new_session=True)
    stack = Stack(topology, env, process)
    try:
        stack.wait_ready(timeout)
        yield stack
    finally:
        stack.stop()
        log.close()

