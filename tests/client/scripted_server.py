"""A real HTTP server on a free local port that answers from a script, for the SDK's retry
and paging tests: each request takes the next scripted answer and is recorded.

An answer is ``(status, headers, body)``, or ``DROP``: the connection is closed without an
answer, as when a server or a proxy dies mid-request.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

DROP = "drop"
Answer = tuple[int, dict[str, str], Any] | str


@dataclass
class Received:
    method: str
    path: str
    query: list[tuple[str, str]]
    body: Any
    headers: dict[str, str]


@dataclass
class Script:
    answers: list[Answer]
    received: list[Received] = field(default_factory=list)


def _handler(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            return

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            url = urlsplit(self.path)
            script.received.append(Received(
                self.command, url.path, parse_qsl(url.query),
                json.loads(raw) if raw else None, dict(self.headers.items())))
            answer = script.answers.pop(0) if script.answers else (599, {}, "script ended")
            if answer == DROP:
                self.close_connection = True
                self.connection.close()
                return
            assert not isinstance(answer, str)
            status, headers, body = answer
            data = b"" if body is None else (
                body.encode() if isinstance(body, str) else json.dumps(body).encode())
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if data:
                content_type = "text/plain" if isinstance(body, str) else "application/json"
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = _answer

    return Handler


@contextmanager
def scripted_server(*answers: Answer) -> Iterator[tuple[str, Script]]:
    """Serve ``answers`` in order; yields the base URL and the script (its ``received``)."""
    script = Script(list(answers))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", script
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
