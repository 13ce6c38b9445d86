"""A TCP proxy in front of a live server that loses the first answer: the request reaches
the server whole, the server acts and answers, and the client sees its connection drop
instead, as when a network fails at the worst moment. Later connections pass through."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

_KEY = re.compile(rb"\r\nidempotency-key:\s*([^\r\n]+)", re.I)


@dataclass
class Seen:
    keys: list[str] = field(default_factory=list)
    """The ``Idempotency-Key`` of each connection's first request, in order."""
    dropped: int = 0


def _pump(source: socket.socket, sink: socket.socket, on_first: threading.Event | None,
          head: bytearray | None) -> None:
    try:
        while data := source.recv(65536):
            if head is not None and len(head) < 65536:
                head.extend(data)
            if on_first is not None:
                on_first.set()
                return
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, sink):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)


def _serve(client: socket.socket, upstream_address: tuple[str, int], drop: bool,
           seen: Seen) -> None:
    upstream = socket.create_connection(upstream_address)
    head = bytearray()
    answered = threading.Event() if drop else None
    sending = threading.Thread(target=_pump, args=(client, upstream, None, head), daemon=True)
    sending.start()
    _pump(upstream, client, answered, None)
    sending.join(timeout=30)
    if drop:
        seen.dropped += 1
    if found := _KEY.search(bytes(head)):
        seen.keys.append(found.group(1).decode())
    client.close()
    upstream.close()


@contextmanager
def dropping_proxy(base: str, drop_first: int = 1) -> Iterator[tuple[str, Seen]]:
    """The proxy's base URL, and what it saw; the first ``drop_first`` connections lose
    their answer."""
    parts = urlsplit(base)
    upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
    listener = socket.create_server(("127.0.0.1", 0))
    seen, threads = Seen(), []

    def accept() -> None:
        count = 0
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            count += 1
            thread = threading.Thread(target=_serve, daemon=True,
                                      args=(client, upstream, count <= drop_first, seen))
            threads.append(thread)
            thread.start()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", seen
    finally:
        listener.close()
        for thread in threads:
            thread.join(timeout=30)
