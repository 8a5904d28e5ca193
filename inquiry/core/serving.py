"""gunicorn settings that keep the service up under faults.

Used by `make run`: gunicorn -c python:inquiry.core.serving "inquiry:create_app()".
"""

from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1


def post_fork(server, worker) -> None:
    """A worker ends with its master. Without this, after `kill -9` of the master its
    workers live on holding the port, and a restarted server cannot bind it (39 s in one
    trial). The kernel sends the worker SIGTERM when its parent dies; it finishes the request
    in hand, if any, and exits."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: gunicorn's own parent check remains
        return
    if os.getppid() != server.pid:  # the master died before the line above took effect
        os.kill(os.getpid(), signal.SIGTERM)
