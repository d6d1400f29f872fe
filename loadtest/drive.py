"""Play conversations against the REST channel with Locust (run as its own process).

``python -m loadtest.drive PLAN.json`` reads a plan (host, users, messages per
conversation, think time, duration), runs Locust as a library, and writes every turn
to ``plan["record"]`` (JSON lines: who sent what, when, the HTTP status, the replies'
count, whether it was the polite apology, any booking reference shown) and Locust's
totals to ``plan["summary"]``. Locust uses gevent: this module is never imported by the
test process itself.

Each Locust user is one patient. With ``duration_s`` 0 it plays one conversation and
stops (the load test: N conversations x M messages); otherwise it starts a new
conversation after each one until the time is up (the fault run and the soak).
"""
from __future__ import annotations

import json
import random
import sys
import time
import uuid
from typing import Any, Dict, List, Optional

import gevent
from locust import HttpUser, constant, events, task
from locust.env import Environment
from locust.exception import StopUser

from loadtest.conversations import Burst, Say, booked, start

WEBHOOK = "/webhooks/rest/webhook"
APOLOGY = "Sorry, I can't answer properly just now"
REQUEST_TIMEOUT_S = 60

PLAN: Dict[str, Any] = {}
RECORD: List[Dict[str, Any]] = []
FINISHED = {"conversations": 0, "active": 0, "stopping": False}


def _turn(user: HttpUser, sender: str, index: int, group: int, text: str) -> List[dict]:
    sent = time.time()
    status, replies, error = 0, [], None
    with user.client.post(WEBHOOK, json={"sender": sender, "message": text}, name="turn",
                          headers={"Authorization": f"Bearer {PLAN.get('token', '')}"},
                          catch_response=True, timeout=REQUEST_TIMEOUT_S) as response:
        status = response.status_code or 0
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, list):
            replies = body
        elif isinstance(body, dict):
            error = body.get("error")
        elif not status:  # no HTTP answer at all: keep what the client saw
            error = f"no response: {type(response.error).__name__}"
        if status == 200 and replies:
            response.success()
        else:
            response.failure(f"HTTP {status}" if status != 200 else "empty reply")
    texts = " ".join(str(m.get("text") or "") for m in replies)
    RECORD.append({
        "sender": sender, "index": index, "group": group, "text": text, "sent": sent,
        "done": time.time(), "status": status, "replies": len(replies),
        "apology": APOLOGY in texts or bool(error and APOLOGY in error),
        "error": error, "references": booked(replies),
    })
    return replies


class Patient(HttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.rng = random.Random(PLAN.get("seed", 0) * 100003 + id(self))

    def _think(self) -> None:
        gevent.sleep(self.rng.uniform(PLAN["think_min_s"], PLAN["think_max_s"]))

    def _conversation(self) -> None:
        sender = f"load-{uuid.uuid4().hex}"
        conversation = start(self.rng, PLAN["messages"])
        index = group = 0
        replies: Optional[Any] = None
        FINISHED["active"] += 1
        try:
            step = next(conversation)
            while not FINISHED["stopping"]:
                if isinstance(step, Say):
                    replies = _turn(self, sender, index, group, step.text)
                    index += 1
                else:  # a burst: typed in quick succession, sent without waiting for answers
                    assert isinstance(step, Burst)
                    jobs = [gevent.spawn(_turn, self, sender, index + i, group, text)
                            for i, text in enumerate(step.texts)]
                    gevent.joinall(jobs)
                    replies = [job.value or [] for job in jobs]
                    index += len(step.texts)
                group += 1
                self._think()
                step = conversation.send(replies)
        except StopIteration:
            pass
        finally:
            FINISHED["active"] -= 1
        FINISHED["conversations"] += 1

    @task
    def converse(self) -> None:
        if FINISHED["stopping"]:
            gevent.sleep(1)
            return
        self._conversation()
        if not PLAN["duration_s"]:
            raise StopUser()


def main(plan_path: str) -> int:
    PLAN.update(json.loads(open(plan_path, encoding="utf-8").read()))
    environment = Environment(user_classes=[Patient], host=PLAN["host"], events=events)
    runner = environment.create_local_runner()
    started = time.time()
    runner.start(PLAN["users"], spawn_rate=PLAN["spawn_rate"])
    if PLAN["duration_s"]:
        gevent.sleep(PLAN["duration_s"])
        FINISHED["stopping"] = True  # conversations end after their current turn
        while FINISHED["active"] and time.time() - started < PLAN["timeout_s"]:
            gevent.sleep(0.2)
    else:
        while FINISHED["conversations"] < PLAN["users"] and time.time() - started < PLAN["timeout_s"]:
            gevent.sleep(0.5)
    runner.quit()
    elapsed = time.time() - started
    total = environment.stats.total
    with open(PLAN["record"], "w", encoding="utf-8") as handle:
        for row in RECORD:
            handle.write(json.dumps(row) + "\n")
    with open(PLAN["summary"], "w", encoding="utf-8") as handle:
        json.dump({"elapsed_s": elapsed, "requests": total.num_requests, "failures": total.num_failures,
                   "p50_ms": total.get_response_time_percentile(0.5),
                   "p95_ms": total.get_response_time_percentile(0.95),
                   "conversations": FINISHED["conversations"]}, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
