"""Private PostgreSQL and Redis servers for the load and fault tests.

The fault tests really stop the database and Redis. They must not stop the machine's
shared services, so each run starts its own: a throw-away PostgreSQL cluster (Debian's
``initdb``/``pg_ctl``, run as the ``postgres`` user when we are root) and a
``redis-server`` without persistence, each on a free port under a temporary directory.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import List, Optional

import redis

from ops.topology import HOST, free_ports

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


class StoreError(RuntimeError):
    """A private server could not be started."""


def _as_postgres(command: List[str]) -> List[str]:
    """PostgreSQL refuses to run as root: run it as the ``postgres`` user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _pg_tool(name: str) -> str:
    for directory in PG_BIN_DIRS:
        if (directory / name).exists():
            return str(directory / name)
    found = shutil.which(name)
    if not found:
        raise StoreError(f"PostgreSQL's {name} is not installed (Debian: apt-get install postgresql)")
    return found


class PrivatePostgres:
    """A PostgreSQL cluster of our own that can be stopped and started again."""

    def __init__(self, database: str = "clinic") -> None:
        self.port = free_ports(1)[0]
        self.dir = Path(tempfile.mkdtemp(prefix="clinic-pg-"))
        self.data = self.dir / "data"
        self.database = database
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@{HOST}:{self.port}/{self.database}"

    def _run(self, *command: str) -> None:
        result = subprocess.run(_as_postgres(list(command)), capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise StoreError(f"{' '.join(command[:2])} failed: {result.stdout}{result.stderr}")

    def create(self) -> "PrivatePostgres":
        self._run(_pg_tool("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8")
        self.start()
        self._run(_pg_tool("createdb"), "-h", HOST, "-p", str(self.port), "-U", "postgres", self.database)
        return self

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses={HOST} -c fsync=off "
                   f"-c max_connections=300")
        self._run(_pg_tool("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"),
                  "-w", "start")

    def stop(self) -> None:
        """A fast shutdown: open connections are cut, as when a database server goes down."""
        self._run(_pg_tool("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        try:
            self.stop()
        except StoreError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    """A redis-server of our own (nothing on disk) that can be stopped and started again."""

    def __init__(self) -> None:
        self.port = free_ports(1)[0]
        self.process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}"

    def start(self) -> "PrivateRedis":
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen([binary, "--port", str(self.port), "--bind", HOST, "--save", "",
                                         "--appendonly", "no"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        client = redis.Redis(host=HOST, port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                client.ping()
                return self
            except redis.RedisError:
                time.sleep(0.1)
        raise StoreError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
