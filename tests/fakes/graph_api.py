"""A local fake of the Graph API (and Twilio's Messages API): real HTTP on a free port.

Records every call; can be told to answer 429 or 500 a number of times, or to hang::

    with FakeGraphAPI() as fake:
        fake.fail_next(2, status=429)
        ... point WHATSAPP_GRAPH_URL / TWILIO_API_URL at fake.url ...
        assert fake.calls[0].json["to"] == "971500000001"
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional
from urllib.parse import parse_qs


@dataclass
class Call:
    method: str
    path: str
    headers: Dict[str, str]
    body: bytes
    status: int

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    @property
    def form(self) -> Dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8")).items()}


@dataclass
class _Plan:
    failures: List[int] = field(default_factory=list)  # statuses to answer next, in order
    hang_seconds: float = 0.0
    error_body: Optional[Dict[str, Any]] = None


class FakeGraphAPI:
    """Thread-backed HTTP server; use as a context manager or call start()/stop()."""

    def __init__(self) -> None:
        self.calls: List[Call] = []
        self.plan = _Plan()
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with fake.lock:
                    status = fake.plan.failures.pop(0) if fake.plan.failures else 200
                    hang = fake.plan.hang_seconds
                    error_body = fake.plan.error_body
                if hang:
                    time.sleep(hang)
                with fake.lock:
                    fake.calls.append(Call("POST", self.path, dict(self.headers), body, status))
                if status == 200:
                    if "/Accounts/" in self.path:
                        status, payload = 201, {"sid": f"SM{len(fake.calls):032x}", "status": "queued"}
                    else:
                        payload = {"messaging_product": "whatsapp",
                                   "messages": [{"id": f"wamid.fake{len(fake.calls)}"}]}
                else:
                    payload = error_body or {"error": {"message": "fake failure", "code": status}}
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    if status == 429:
                        self.send_header("Retry-After", "0")
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # stop() waits for the serving loop to notice: poll often (the default is 0.5 s)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, times: int, status: int = 500, body: Optional[Dict[str, Any]] = None) -> None:
        """Answer the next ``times`` calls with ``status`` (429, 500, 400, ...)."""
        with self.lock:
            self.plan.failures = [status] * times
            self.plan.error_body = body

    def hang(self, seconds: float) -> None:
        """Wait ``seconds`` before answering each call (0 to stop hanging)."""
        with self.lock:
            self.plan.hang_seconds = seconds

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()
            self.plan = _Plan()

    def wait_for_calls(self, count: int, timeout: float = 30.0) -> List[Call]:
        """Block until at least ``count`` calls were recorded (or the timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.calls) >= count:
                    return list(self.calls)
            time.sleep(0.05)
        with self.lock:
            return list(self.calls)

    def start(self) -> "FakeGraphAPI":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "FakeGraphAPI":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
