"""A local fake of the Graph API (and Twilio's Messages API): real HTTP on a free port.

Records every call; can be told to answer 429 or 500 a number of times, or to hang::

    with FakeGraphAPI() as fake:
        fake.fail_next(2, status=429)
        ... point WHATSAPP_GRAPH_URL / TWILIO_API_URL at fake.url ...
        assert fake.calls[0].json["to"] == "971500000001"

It also serves media as the Cloud API does (``GET /{version}/{media-id}`` answers the
download URL, type, SHA-256 and size; ``GET`` that URL answers the bytes; both need a
bearer token, else 401). ``add_media`` sets what a media id holds (any other id holds a
small JPEG); ``fail_media`` makes the next media GETs fail. Media GETs are recorded in
``media_calls`` (``calls`` keeps the POSTs only).
"""
from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional
from urllib.parse import parse_qs, urlsplit

# a 1x1 JPEG (the smallest valid one: SOI, APP0, a tiny quantisation/huffman set, EOI)
SMALL_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f"
    "141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100"
    "ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000"
    "017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a"
    "3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a9293949596"
    "9798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2"
    "f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9")
SMALL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@dataclass
class FakeMedia:
    data: bytes
    mime_type: str = "image/jpeg"
    file_size: Optional[int] = None  # what the metadata says (default: the real size)
    sha256: Optional[str] = None  # what the metadata says (default: the real digest)


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
    media_failures: List[int] = field(default_factory=list)
    media_error_body: Optional[Dict[str, Any]] = None


class FakeGraphAPI:
    """Thread-backed HTTP server; use as a context manager or call start()/stop()."""

    def __init__(self) -> None:
        self.calls: List[Call] = []
        self.media_calls: List[Call] = []
        self.media: Dict[str, FakeMedia] = {}
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

            def do_GET(self) -> None:  # noqa: N802 - media: metadata, then the bytes
                path = urlsplit(self.path).path
                authorised = (self.headers.get("Authorization") or "").startswith("Bearer ")
                with fake.lock:
                    status = fake.plan.media_failures.pop(0) if fake.plan.media_failures else 200
                    error_body = fake.plan.media_error_body
                    status = status if authorised or status != 200 else 401
                    fake.media_calls.append(Call("GET", self.path, dict(self.headers), b"", status))
                parts = [p for p in path.split("/") if p]
                content_type, data = "application/json", b""
                if status == 200 and len(parts) == 2 and parts[0] == "media-download":
                    content_type, data = "application/octet-stream", fake.media_for(parts[1]).data
                elif status == 200 and len(parts) == 2:
                    media = fake.media_for(parts[1])
                    data = json.dumps({
                        "messaging_product": "whatsapp", "id": parts[1], "mime_type": media.mime_type,
                        "url": f"{fake.url}/media-download/{parts[1]}?ext=1",
                        "sha256": media.sha256 or hashlib.sha256(media.data).hexdigest(),
                        "file_size": media.file_size if media.file_size is not None else len(media.data),
                    }).encode()
                elif status == 200:
                    status = 404
                if status != 200:
                    code = 100 if status < 500 else 2
                    data = json.dumps(error_body or {"error": {"message": "fake media failure", "code": code}}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type if status == 200 else "application/json")
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

    def media_for(self, media_id: str) -> FakeMedia:
        with self.lock:
            return self.media.get(media_id) or FakeMedia(SMALL_JPEG)

    def add_media(self, media_id: str, data: bytes, mime_type: str = "image/jpeg",
                  file_size: Optional[int] = None, sha256: Optional[str] = None) -> None:
        """What ``media_id`` holds (``file_size``/``sha256``: what the metadata claims)."""
        with self.lock:
            self.media[media_id] = FakeMedia(data, mime_type, file_size, sha256)

    def fail_media(self, times: int, status: int = 500, body: Optional[Dict[str, Any]] = None) -> None:
        """Answer the next ``times`` media GETs with ``status``."""
        with self.lock:
            self.plan.media_failures = [status] * times
            self.plan.media_error_body = body

    def hang(self, seconds: float) -> None:
        """Wait ``seconds`` before answering each call (0 to stop hanging)."""
        with self.lock:
            self.plan.hang_seconds = seconds

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()
            self.media_calls.clear()
            self.media.clear()
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
