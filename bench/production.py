"""The bench's production column: the same loads on the production topology.

Starts what ``make run-prod`` runs (HAProxy, two Rasa processes, two action servers)
on free ports over a private PostgreSQL and Redis (:mod:`loadtest.harness`), then drives
the public proxy with the bench's own Locust profiles.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List

import httpx

from bench import BenchError
from bench.load import LoadResult, run_locust
from bench.servers import WEBHOOK, peak_rss_mb


@dataclass(frozen=True)
class ProductionResult:
    steady: LoadResult
    saturate: LoadResult
    rss_mb: float  # peak RSS of both Rasa processes together


def measure_production(steady_users: int, steady_s: int, saturate_users: int, saturate_s: int,
                       warm_up: List[str]) -> ProductionResult:
    from loadtest.harness import topology_under_test  # starts servers: imported only when used

    with topology_under_test("bench") as harness:
        url = harness.stack.topology.public_url
        auth = {"Authorization": f"Bearer {harness.stack.token}"}  # the REST channel needs the API token
        with httpx.Client(base_url=url, timeout=60.0, headers=auth) as client:
            for n in range(4):  # reach both processes (round robin)
                for text in warm_up:
                    if client.post(WEBHOOK, json={"sender": f"bench-warm-up-{n}", "message": text}).status_code != 200:
                        raise BenchError(f"production warm-up failed; logs in {harness.run_dir}")
        steady = run_locust("steady", steady_users, steady_s, url, label="prod-steady", token=harness.stack.token)
        saturate = run_locust("saturate", saturate_users, saturate_s, url, label="prod-saturate",
                              token=harness.stack.token)
        rss = 0.0
        for name in ("rasa:rasa-1", "rasa:rasa-2"):
            pid = harness.stack.ctl("pid", name).strip()
            rss += peak_rss_mb(int(pid))
        return ProductionResult(steady, saturate, rss)
