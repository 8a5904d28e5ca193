"""gunicorn settings that keep the service up under faults.

Used by `make run`: gunicorn -c python:inquiry.core.serving "inquiry:create_app()".
"""

from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1


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
