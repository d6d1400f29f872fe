"""Start, control and stop the production topology under supervisord.

``make run-prod`` runs supervisord in the foreground; the load and fault tests use
:func:`running` to start it in the background on free ports, wait until every process
answers, stop and start single processes with supervisorctl, and shut it all down.
Starting, waiting and stopping are :mod:`ops.launch`'s, as for the bench and the tests.
"""
from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Mapping

from clinic import config_schema as schema
from clinic.settings import PROJECT_ROOT
from ops.launch import StackError, answers_200, prepare_clinic_database, spawn, stop_processes, tail, wait_ready
from ops.topology import Topology

__all__ = ["Stack", "StackError", "prepare", "prepare_clinic_database", "running", "supervisord_command"]

BIN = Path(sys.executable).parent
START_TIMEOUT_S: float = schema.read("PROD_START_TIMEOUT", os.environ)


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
        return tail(self.log(name), lines)

    def _check_supervisord(self) -> None:
        if self.process.poll() is not None:
            raise StackError(f"supervisord exited ({self.process.returncode}):\n{self.tail('supervisord')}")

    def wait_ready(self, timeout: float = START_TIMEOUT_S) -> None:
        """Wait until both Rasa processes, both action servers and the proxy answer
        (ops/launch.py's wait: every pending probe each second)."""
        t = self.topology
        probes = {
            "rasa-1": f"{t.rasa_url(0)}/status?token={self.token}",
            "rasa-2": f"{t.rasa_url(1)}/status?token={self.token}",
            "actions-1": f"{t.action_url(0)}/health",
            "actions-2": f"{t.action_url(1)}/health",
            "proxy": f"{t.public_url}/webhooks/rest/",
        }
        wait_ready({name: (url, answers_200) for name, url in probes.items()}, timeout,
                   check_alive=self._check_supervisord, poll=1.0, client_timeout=3.0,
                   describe=lambda pending: "\n".join(f"--- {name}:\n{self.tail(name)}" for name in pending))

    def stop(self, timeout: float = 60.0) -> None:
        """supervisord stops its programs on SIGTERM; killed after ``timeout`` s."""
        stop_processes([self.process], timeout)


@contextmanager
def running(topology: Topology, env: Dict[str, str], timeout: float = START_TIMEOUT_S) -> Iterator[Stack]:
    """Start supervisord with ``env`` (from :func:`prepare`), wait until ready, always stop it."""
    process = spawn(supervisord_command(topology), env, topology.run_dir / "supervisord.out", new_session=True)
    stack = Stack(topology, env, process)
    try:
        stack.wait_ready(timeout)
        yield stack
    finally:
        stack.stop()
