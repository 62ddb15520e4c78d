"""A local stand-in for LINE's Messaging API at the HTTP boundary, and a Huey worker in a thread.

The fake answers ``POST /v2/bot/message/push`` like LINE: 200 the first time a retry key is seen,
409 for a key it already accepted (LINE's documented behaviour for ``X-Line-Retry-Key``). Every request
is recorded with its headers and JSON body.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from huey.api import Huey
from huey.consumer import Consumer


@dataclass
class Push:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    status: int


@dataclass
class FakeLine:
    url: str
    requests: list[Push] = field(default_factory=list)

    @property
    def accepted(self) -> list[Push]:
        return [r for r in self.requests if r.status == 200]

    def texts(self) -> list[tuple[str, str]]:
        return [(p.body["to"], p.body["messages"][0]["text"]) for p in self.accepted]


@contextmanager
def fake_line_server() -> Iterator[FakeLine]:
    seen: set[str] = set()
    lock = threading.Lock()
    fake: FakeLine

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            key = self.headers.get("X-Line-Retry-Key", "")
            with lock:
                status = 409 if key and key in seen else 200
                seen.add(key)
                fake.requests.append(Push(self.path, dict(self.headers), json.loads(raw or b"{}"), status))
            body = {"sentMessages": [{"id": "1", "quoteToken": "q"}]} if status == 200 else {"message": "duplicate"}
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake = FakeLine(url=f"http://127.0.0.1:{server.server_port}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def running_worker(huey: Huey) -> Iterator[Consumer]:
    """A real Huey consumer (one worker thread) on ``huey``'s storage, stopped gracefully afterwards.

    While it runs, tests wait on in-memory things only (the mail outbox, the fake LINE server): SQLite's
    shared in-memory test database refuses a read from one connection while another writes."""
    consumer = Consumer(huey, workers=1, worker_type="thread", periodic=False, initial_delay=0.05, backoff=1.1,
                        max_delay=0.2, check_worker_health=False)  # fmt: skip
    consumer.start()
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)


def wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("the worker did not finish in time")
