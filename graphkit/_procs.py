"""Processes on this machine: a light module (no heavy imports), used before `graphkit build` forks."""

from __future__ import annotations

import os
import signal

__all__ = ["debug_mark", "die_with", "pid_alive", "trim_heap"]


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


def trim_heap() -> None:
    """Hand freed heap memory back to the system (glibc keeps it otherwise, for later allocations only)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def debug_mark(what: str) -> None:
    """With ``GRAPHKIT_BULK_DEBUG`` set, print the stage reached, this process's resident memory, what Arrow's
    pool holds and the CPU time it has used (for benchmarks and memory work on large builds; nothing otherwise)."""
    if not os.environ.get("GRAPHKIT_BULK_DEBUG"):
        return
    import sys
    import time

    with open("/proc/self/statm") as f:
        rss = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") >> 20
    arrow = sys.modules.get("pyarrow")
    pool = f", Arrow {arrow.total_allocated_bytes() >> 20} MB" if arrow is not None else ""
    cpu = os.times()
    # on standard error: NetworKit's worker process answers on its standard output
    print(f"bulk {time.strftime('%H:%M:%S')} {what}: {rss} MB{pool}, CPU {cpu.user + cpu.system:.0f} s (pid {os.getpid()})",
          file=sys.stderr, flush=True)
