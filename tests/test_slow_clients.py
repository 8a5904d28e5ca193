"""Fifty slow clients (one header byte every half second) do not stop members: with the
settings `make run` uses, a member still walks in at once."""

from __future__ import annotations

import signal
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from hostile_mix import DROPPED, Visitor, walk_to_first_page, workers_of  # noqa: E402

from .servers import free_port as _port
from .servers import start_gunicorn  # noqa: E402


def _slow(port: int, stop: threading.Event) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        for byte in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 1000:
            if stop.wait(0.5):
                return
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                return


def test_fifty_slow_clients_leave_members_served(app, cycle):
    port = _port()
    server = start_gunicorn(app, port)
    stop = threading.Event()
    slow = [threading.Thread(target=_slow, args=(port, stop)) for _ in range(50)]
    try:
        deadline = time.monotonic() + 30
        while len(workers_of(server.pid)) < 2 or Visitor(port).get("/")[0] == DROPPED:
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
        for thread in slow:
            thread.start()
        time.sleep(3)  # every slow client is connected and trickling
        took = []
        for _ in range(5):
            began = time.monotonic()
            walk_to_first_page(Visitor(port, timeout=10), cycle.active_code("member"))
            took.append(time.monotonic() - began)
        assert max(took) < 3, took  # four requests each
    finally:
        stop.set()
        for thread in slow:
            thread.join(timeout=10)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
