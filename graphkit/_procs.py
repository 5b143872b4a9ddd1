"""Processes on this machine: a light module (no heavy imports), used before `graphkit build` forks."""

from __future__ import annotations

import os
import signal

__all__ = ["die_with", "pid_alive"]


def pid_alive(pid: int) -> bool:
    """Whether a process with this id is running on this machine.

    >>> pid_alive(os.getpid())
    True
    """
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def die_with(parent: int) -> None:
    """Called in a forked child: on Linux the kernel kills it when ``parent`` dies (a build killed with
    SIGKILL leaves no child working for nobody). Elsewhere the child ends at its next write to the parent."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the call
        os._exit(1)
