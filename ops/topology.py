"""The production topology on one machine: which process listens where.

One :class:`Topology` names every address; :meth:`Topology.env` turns it into the
environment that ``deploy/supervisord.conf``, ``deploy/haproxy.cfg`` and
``deploy/endpoints.prod.yml`` read. ``make run-prod`` uses the fixed ports below; the
load and fault tests pick free ones.

::

    :5005 public  ─ HAProxy ─┬─ rasa-1 :5011 ─┐           ┌─ actions-1 :5061
    :5006 API     ─┘          └─ rasa-2 :5012 ─┴─ :5055 ───┴─ actions-2 :5062
                                   │  PostgreSQL (trackers + clinic)  Redis (locks, socket.io)
"""
from __future__ import annotations

import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import AbstractSet, Dict, Set, Tuple

from clinic import config_schema as schema
from clinic.settings import PROJECT_ROOT

HOST = "127.0.0.1"
DEFAULT_DATABASE_URL: str = schema.read("PROD_DATABASE_URL", {})
DEFAULT_REDIS: str = schema.read("PROD_REDIS_URL", {})
LOCK_DB, SOCKETIO_DB = 1, 2


@dataclass(frozen=True)
class Topology:
    """Ports of every process, the shared stores and where the stack keeps its files."""

    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str = DEFAULT_REDIS  # without a database number: locks and socket.io use their own
    run_dir: Path = PROJECT_ROOT / "var" / "prod"
    model: Path = PROJECT_ROOT / "models" / "current.tar.gz"
    proxy_port: int = 5005
    api_port: int = 5006
    rasa_ports: Tuple[int, int] = (5011, 5012)
    actions_port: int = 5055
    action_ports: Tuple[int, int] = (5061, 5062)
    web_port: int = 8000
    extra_env: Dict[str, str] = field(default_factory=dict)

    @property
    def public_url(self) -> str:
        return f"http://{HOST}:{self.proxy_port}"

    @property
    def api_url(self) -> str:
        return f"http://{HOST}:{self.api_port}"

    def rasa_url(self, index: int) -> str:
        return f"http://{HOST}:{self.rasa_ports[index]}"

    def action_url(self, index: int) -> str:
        return f"http://{HOST}:{self.action_ports[index]}"

    @property
    def web_url(self) -> str:
        return f"http://{HOST}:{self.web_port}"

    @property
    def supervisor_conf(self) -> Path:
        return PROJECT_ROOT / "deploy" / "supervisord.conf"

    def env(self, haproxy: str) -> Dict[str, str]:
        """Variables for supervisord, HAProxy and the processes (added to ``os.environ``)."""
        redis = self.redis_url.rstrip("/")
        return {
            "PROJECT_ROOT": str(PROJECT_ROOT),
            "PYTHONPATH": str(PROJECT_ROOT),
            "PYTHON": sys.executable,
            "HAPROXY": haproxy,
            "PROD_RUN_DIR": str(self.run_dir),
            "PROD_MODEL": str(self.model),
            "PROXY_BIND": f"{HOST}:{self.proxy_port}",
            "API_BIND": f"{HOST}:{self.api_port}",
            "RASA_1": f"{HOST}:{self.rasa_ports[0]}",
            "RASA_2": f"{HOST}:{self.rasa_ports[1]}",
            "RASA_1_PORT": str(self.rasa_ports[0]),
            "RASA_2_PORT": str(self.rasa_ports[1]),
            "ACTIONS_BIND": f"{HOST}:{self.actions_port}",
            "ACTIONS_1": f"{HOST}:{self.action_ports[0]}",
            "ACTIONS_2": f"{HOST}:{self.action_ports[1]}",
            "ACTIONS_1_PORT": str(self.action_ports[0]),
            "ACTIONS_2_PORT": str(self.action_ports[1]),
            "ACTION_SERVER_HOST": HOST,
            "ACTION_SERVER_URL": f"http://{HOST}:{self.actions_port}/webhook",
            # the console and operators reach the Rasa API on the private entry
            "RASA_URL": self.api_url,
            "WIDGET_SOCKET_URL": self.public_url,
            "WEB_HOST": HOST,
            "WEB_PORT": str(self.web_port),
            "DATABASE_URL": self.database_url,
            "TRACKER_DATABASE_URL": self.database_url,
            "REDIS_URL": f"{redis}/{LOCK_DB}",
            "SOCKETIO_REDIS_URL": f"{redis}/{SOCKETIO_DB}",
            # HAProxy's X-Forwarded-For names the client (per-address rate limit)
            "CHANNEL_TRUSTED_PROXIES": HOST,
            "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            **self.extra_env,
        }


def free_ports(count: int, reserved: AbstractSet[int] = frozenset({5005, 5006, 5055, 8000})) -> Tuple[int, ...]:
    """``count`` distinct TCP ports on 127.0.0.1 that are free now (tests, benchmarks)."""
    ports: Set[int] = set()
    while len(ports) < count:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((HOST, 0))
            port = sock.getsockname()[1]
        if port not in reserved:
            ports.add(port)
    return tuple(sorted(ports))


def on_free_ports(**kwargs: object) -> Topology:
    """A :class:`Topology` whose processes all listen on free ports."""
    p = free_ports(8)
    return Topology(proxy_port=p[0], api_port=p[1], rasa_ports=(p[2], p[3]), actions_port=p[4],
                    action_ports=(p[5], p[6]), web_port=p[7], **kwargs)  # type: ignore[arg-type]
