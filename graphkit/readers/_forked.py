"""Turning a long list of parsed entries into records on both cores.

A reader whose per-entry work is pure Python (BibTeX: LaTeX decoding and name
splitting, about two thirds of its time) hands that work to
:func:`build_in_two`: a forked child builds the second half of the entries
while this process builds the first, and sends its records back pickled. The
records come out in entry order, the same values as built in one process.

Forking is used only where it is safe and worth it: on Linux, from at least
:data:`FORK_ENTRIES` entries. Should the child fail in any way (it cannot be
forked, dies, sends nothing), this process builds the second half itself.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence

#: Entries from which the second half is built in a forked child: below this the fork, the pickling and
#: the copied pages cost more than the half they save (20,000 BibTeX entries build in about 0.7 s).
FORK_ENTRIES = 20_000


def can_fork() -> bool:
    """Linux with ``os.fork`` and two CPUs for this process (macOS's system libraries are not fork-safe)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) >= 2


def build_in_two(items: Sequence, build: Callable, *, min_items: int | None = None) -> Iterator:
    """``build(item)`` for every item, in order; the second half in a forked child when worth it.

    ``build`` must be a pure function of its item (its caches may differ
    between the two processes) and its results must pickle.

    >>> list(build_in_two([1, 2, 3], lambda x: x * 10))
    [10, 20, 30]
    """
    threshold = FORK_ENTRIES if min_items is None else min_items
    if len(items) < max(threshold, 2) or not can_fork():
        yield from map(build, items)
        return
    half = len(items) // 2
    child = _Child(items[half:], build)
    try:
        yield from map(build, items[:half])
        rest = child.result()
    finally:
        child.close()
    yield from (rest if rest is not None else map(build, items[half:]))


class _Child:
    """A forked process building ``items``; a thread here reads its pickled results as they come."""

    def __init__(self, items: Sequence, build: Callable):
        self.pid = None
        self._chunks: list[bytes] = []
        read_end, write_end = os.pipe()
        try:
            with warnings.catch_warnings():  # Python 3.12+ warns about forking beside threads (the child uses none)
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            self._reader = None
            return
        if pid == 0:  # the child: build, send, leave without running the parent's cleanup or flushing its buffers
            code = 1
            try:
                os.close(read_end)
                data = pickle.dumps([build(item) for item in items], protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as out:
                    out.write(data)
                code = 0
            except BaseException:  # noqa: BLE001 - any failure: the parent builds these itself
                pass
            finally:
                os._exit(code)
        self.pid = pid
        os.close(write_end)
        self._stream = os.fdopen(read_end, "rb")
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            while chunk := self._stream.read(1 << 20):
                self._chunks.append(chunk)
        except OSError:
            self._chunks.clear()

    def result(self) -> list | None:
        """The child's results, or None when it failed."""
        if self._reader is None:
            return None
        self._reader.join()
        status = self._wait()
        if status != 0 or not self._chunks:
            return None
        try:
            return pickle.loads(b"".join(self._chunks))
        except Exception:  # noqa: BLE001 - a truncated or damaged stream: build here instead
            return None
        finally:
            self._chunks.clear()

    def _wait(self) -> int | None:
        if self.pid is None:
            return None
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            status = None
        self.pid = None
        return os.waitstatus_to_exitcode(status) if status is not None else None

    def close(self) -> None:
        """Stop the child if it still runs (the consumer stopped early) and release the pipe."""
        if self.pid is not None:
            try:
                os.kill(self.pid, 9)
            except ProcessLookupError:
                pass
            self._wait()
        if self._reader is not None:
            self._reader.join()
            self._stream.close()
            self._reader = None
