"""gunicorn settings that keep the service up under slow clients and faults.

Used by `make run`: gunicorn -c python:inquiry.core.serving "inquiry:create_app()".
"""

from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1

# Threads, so that slow clients cannot stop members. With 2 sync workers, 50 connections
# sending one header byte every 0.5 s stopped the site: in each of three runs 8 of 32 member
# requests failed and nothing else got through in 15-20 s. With 2 workers of 64 threads
# none failed and members' p99 was 143 ms. Each slow client holds a thread, and one worker
# may take most of them: with 32 threads a member was sometimes left waiting behind them.
# Members alone: p99 107-172 ms with sync workers, 145-158 ms threaded, on a shared 2-core
# machine. Measured by bench/slowloris.py. In production put a buffering proxy (nginx,
# Caddy) in front as well: no number of threads holds against thousands of slow clients.
worker_class = "gthread"
threads = 64
# A request that has not finished in 30 s is cut off; a kept-alive connection idles 5 s.
timeout = 30
keepalive = 5
# Headers: at most 50 fields of 8 KB, and a 4 KB request line (the defaults, stated).
limit_request_fields = 50
limit_request_field_size = 8190
limit_request_line = 4094


def die_with_parent(sig: int = signal.SIGTERM) -> bool:
    """Ask the kernel to send this process `sig` when its parent dies (Linux); False where
    that is not possible. Call it first thing in a child process."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def post_fork(server, worker) -> None:
    """A worker ends with its master. Without this, after `kill -9` of the master its
    workers live on holding the port, and a restarted server cannot bind it (39 s in one
    trial). The kernel sends the worker SIGTERM when its parent dies; it finishes the request
    in hand, if any, and exits."""
    if not die_with_parent(signal.SIGTERM):  # not Linux: gunicorn's own check remains
        return
    if os.getppid() != server.pid:  # the master died before the line above took effect
        os.kill(os.getpid(), signal.SIGTERM)
