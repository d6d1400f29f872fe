"""A production topology of its own for one load or fault run.

:func:`topology_under_test` starts a private PostgreSQL and Redis, migrates and seeds
the clinic database, and runs the topology of ``make run-prod`` on free ports with fresh
tokens. :func:`play` runs :mod:`loadtest.drive` (Locust) against it; :class:`Faults`
stops and starts its parts; :func:`proxy_stats` reads HAProxy's per-server counters.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Tuple

import httpx
import psutil

from clinic.settings import PROJECT_ROOT
from loadtest.stores import PrivatePostgres, PrivateRedis
from ops.services import haproxy_binary
from ops.stack import Stack, prepare, running
from ops.topology import on_free_ports

BUILD = PROJECT_ROOT / "build" / "loadtest"


@dataclass(frozen=True)
class LoadPlan:
    users: int  # concurrent conversations
    messages: int  # per conversation (bookers send at least 8)
    think_min_s: float = 3.0
    think_max_s: float = 9.0
    duration_s: float = 0.0  # 0: each user plays one conversation; else keep going this long
    spawn_rate: float = 20.0
    timeout_s: float = 900.0
    seed: int = 1


@dataclass
class Harness:
    stack: Stack
    postgres: PrivatePostgres
    redis: PrivateRedis
    run_dir: Path


@contextmanager
def topology_under_test(name: str) -> Iterator[Harness]:
    """Private stores + the whole topology on free ports; everything stopped afterwards."""
    run_dir = BUILD / name
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    postgres = PrivatePostgres().create()
    redis = PrivateRedis().start()
    try:
        topology = on_free_ports(database_url=postgres.url, redis_url=redis.url, run_dir=run_dir,
                                 extra_env={"WEBHOOK_RATE_LIMIT": "100000"})  # a load test, not abuse
        base = dict(os.environ)  # the topology's own stores and ports override what is set here
        base.update(RASA_AUTH_TOKEN=secrets.token_urlsafe(32), ACTION_SERVER_TOKEN=secrets.token_urlsafe(32),
                    CONSOLE_SECRET_KEY=secrets.token_urlsafe(32), CLINIC_VAR_DIR=str(run_dir / "var"))
        env = prepare(topology, base, haproxy_binary())
        with running(topology, env) as stack:
            yield Harness(stack, postgres, redis, run_dir)
    finally:
        redis.stop()
        postgres.destroy()


def play(harness: Harness, plan: LoadPlan, name: str) -> Tuple[List[dict], dict]:
    """Run Locust with ``plan`` through the public proxy; return its turn records and totals."""
    path = harness.run_dir / f"{name}.plan.json"
    record, summary = harness.run_dir / f"{name}.jsonl", harness.run_dir / f"{name}.summary.json"
    path.write_text(json.dumps({**asdict(plan), "host": harness.stack.topology.public_url,
                                "token": harness.stack.token,  # the REST channel needs the API token
                                "record": str(record), "summary": str(summary)}))
    log = harness.run_dir / f"{name}.locust.log"
    with log.open("w") as handle:
        result = subprocess.run([sys.executable, "-m", "loadtest.drive", str(path)], cwd=PROJECT_ROOT,
                                env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}, stdout=handle,
                                stderr=subprocess.STDOUT, timeout=plan.timeout_s + plan.duration_s + 120)
    if result.returncode != 0 or not summary.exists():
        raise RuntimeError(f"the load driver failed ({result.returncode}); see {log}")
    records = [json.loads(line) for line in record.read_text().splitlines() if line.strip()]
    return records, json.loads(summary.read_text())


def proxy_stats(harness: Harness) -> Dict[str, Dict[str, int]]:
    """HAProxy's counters per ``backend/server``: requests, 5xx answers."""
    path = harness.run_dir / "haproxy.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(str(path))
        sock.sendall(b"show stat\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    lines = data.decode().lstrip("# ").splitlines()
    header = lines[0].split(",")
    stats = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split(","), strict=False))  # a short line: its own fields only
        if row.get("svname") and row["svname"] not in ("FRONTEND", "BACKEND"):
            stats[f"{row['pxname']}/{row['svname']}"] = {
                "requests": int(row.get("stot") or 0), "5xx": int(row.get("hrsp_5xx") or 0)}
    return stats


def rss_mb(stack: Stack, names: Tuple[str, ...] = ("rasa:rasa-1", "rasa:rasa-2")) -> Dict[str, float]:
    """Resident memory of each named program (with its children), in MB."""
    result = {}
    for name in names:
        pid = stack.ctl("pid", name, check=False).strip()
        try:
            process = psutil.Process(int(pid))
            result[name] = sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20
        except (ValueError, psutil.Error):
            result[name] = 0.0
    return result


def wait_healthy(url: str, timeout: float = 120.0) -> float:
    """Seconds until ``url`` answers 200 (raises after ``timeout``)."""
    started = time.monotonic()
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() - started < timeout:
            try:
                if client.get(url).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not come back within {timeout:.0f} s")


class Faults:
    """Stop one part of a running topology; each method returns how to bring it back."""

    def __init__(self, harness: Harness) -> None:
        self.h = harness

    def stop_action_servers(self) -> Callable[[], None]:
        self.h.stack.ctl("stop", "actions:*")

        def restore() -> None:
            self.h.stack.ctl("start", "actions:*")
        return restore

    def stop_postgres(self) -> Callable[[], None]:
        self.h.postgres.stop()
        return self.h.postgres.start

    def stop_redis(self) -> Callable[[], None]:
        self.h.redis.stop()

        def restore() -> None:
            self.h.redis.start()
        return restore

    def stop_rasa_process(self) -> Callable[[], None]:
        """Stop rasa-1 the way an operator or a rolling deploy does (SIGTERM: it finishes
        the turns it has), then start it again."""
        self.h.stack.ctl("stop", "rasa:rasa-1")
        url = f"{self.h.stack.topology.rasa_url(0)}/status?token={self.h.stack.token}"

        def restore() -> None:
            self.h.stack.ctl("start", "rasa:rasa-1")
            wait_healthy(url, 300.0)
        return restore

    def kill_rasa_process(self) -> Callable[[], None]:
        """SIGKILL rasa-1 mid-load; supervisord restarts it by itself."""
        self.h.stack.ctl("signal", "KILL", "rasa:rasa-1")
        url = f"{self.h.stack.topology.rasa_url(0)}/status?token={self.h.stack.token}"

        def restored() -> None:  # nothing to do but wait for supervisord's restart
            wait_healthy(url, 300.0)
        return restored
