"""Doing a build's per-item work on both cores, with the results in the items' order.

A reader whose per-entry work is pure Python (BibTeX: LaTeX decoding and name
splitting, about two thirds of its time) hands that work to
:func:`build_in_two`: a forked child builds one half of the entries while this
process builds the other. A build that reads many files
(:func:`graphkit.pipeline.extract_all` on a folder of profile pages) hands them
to :func:`map_in_two` in blocks, which this process and a forked child take in
turn from a shared queue; the child sends each block's results back pickled as
soon as it is done. Either way the results come out in item order, the same
values as built in one process.

Forking is used only where it is safe and worth it: on Linux with two CPUs,
from a caller's threshold on, and not inside a process that is already one of
the two (:func:`both_cores_busy`). Should the child fail in any way (it cannot
be forked, dies, sends a result that does not unpickle), this process does the
blocks the child did not deliver itself. On Linux the child dies with its parent.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import sys
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence

from graphkit._procs import die_with

#: Entries from which the second half is built in a forked child: below this the fork, the pickling and
#: the copied pages cost more than the half they save (20,000 BibTeX entries build in about 0.7 s).
FORK_ENTRIES = 20_000

_HEADER = struct.Struct("<qQ")  # block number (-1: the child is done), length of the pickled results
_busy = False  # this process is one of two already working on both cores


def can_fork() -> bool:
    """Linux with ``os.fork`` and two CPUs for this process (macOS's system libraries are not fork-safe),
    and both cores not already busy with a :func:`map_in_two` in this process."""
    if _busy or not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) >= 2


@contextlib.contextmanager
def both_cores_busy():
    """While two processes share the work, neither forks a third (a large BibTeX file among the pages)."""
    global _busy
    was, _busy = _busy, True
    try:
        yield
    finally:
        _busy = was


def build_in_two(items: Sequence, build: Callable, *, min_items: int | None = None) -> Iterator:
    """``build(item)`` for every item, in order; one half in a forked child when worth it.

    ``build`` must be a pure function of its item (its caches may differ
    between the two processes) and its results must pickle.

    >>> list(build_in_two([1, 2, 3], lambda x: x * 10))
    [10, 20, 30]
    """
    threshold = FORK_ENTRIES if min_items is None else min_items
    if len(items) < max(threshold, 2) or not can_fork():
        return map(build, items)
    half = len(items) // 2
    return map_in_two([items[:half], items[half:]], build)


def map_in_two(blocks: Sequence[Sequence], work: Callable) -> Iterator:
    """``work(item)`` for every item of every block, in order, on both cores when :func:`can_fork`.

    This process and a forked child take the blocks in turn from a shared
    queue (a pipe of block numbers: each read takes one), so a process whose
    core is slower simply takes fewer; the child sends each block's results
    back as soon as it is done. While the block due next is still on its way,
    this process takes and does further blocks, so neither waits for the other.
    ``work`` must be a pure function of its item and its results must pickle.

    >>> list(map_in_two([[1, 2], [3], [4]], lambda x: -x))
    [-1, -2, -3, -4]
    """
    if len(blocks) < 2 or not can_fork():
        return (work(item) for block in blocks for item in block)
    if len(blocks) > _MAX_BLOCKS:  # the queue holds them all before the fork: merge neighbours
        size = -(-len(blocks) // _MAX_BLOCKS)
        blocks = [[item for block in blocks[k:k + size] for item in block] for k in range(0, len(blocks), size)]
    return _in_two(blocks, work)


_TOKEN = struct.Struct("<i")
_MAX_BLOCKS = 16_000  # block numbers that fit a pipe's 64 KiB: written before the fork, they never block


def _in_two(blocks: Sequence[Sequence], work: Callable) -> Iterator:
    queue, fill = os.pipe()
    numbers = b"".join(_TOKEN.pack(n) for n in range(len(blocks)))
    try:
        os.set_blocking(fill, False)  # a pipe smaller than usual (a user over the system's pipe quota) must
        written = os.write(fill, numbers)  # not hang the build: it is then read in this process alone
    except BlockingIOError:
        written = 0
    finally:
        os.close(fill)  # once every number is taken, a read gets the end of the pipe
    if written < len(numbers):
        os.close(queue)
        yield from (work(item) for block in blocks for item in block)
        return

    def claim() -> int | None:
        token = os.read(queue, _TOKEN.size)
        return _TOKEN.unpack(token)[0] if len(token) == _TOKEN.size else None

    child = _Child(blocks, work, queue)
    mine: dict[int, Iterable] = {}  # blocks this process took, done before their turn came (or lazily: n)
    taken = -1  # the highest block number this process took: every lower one is taken by someone
    try:
        with both_cores_busy():
            for n, block in enumerate(blocks):
                # take numbers until n is this process's, or while the child's block n is on its way
                while n not in mine and (n > taken or not child.ready(n)):
                    got = claim()
                    if got is None:
                        break
                    taken = got  # block n itself is done as it is consumed; later ones at once
                    mine[got] = map(work, block) if got == n else [work(item) for item in blocks[got]]
                if n in mine:
                    yield from mine.pop(n)
                    continue
                results = child.take(n)  # the child's (or nobody's, should it have failed)
                yield from (map(work, block) if results is None else results)
    finally:
        child.close()
        os.close(queue)


class _Child:
    """A forked process doing ``work`` on the blocks whose numbers it takes from ``queue``; a thread here
    reads each block's pickled results as they come."""

    def __init__(self, blocks: Sequence[Sequence], work: Callable, queue: int):
        self.pid = None
        self._frames: dict[int, bytes] = {}
        self._finished = True  # nothing more will come
        self._complete = False  # the child sent its end mark
        self._arrived = threading.Condition()
        read_end, write_end = os.pipe()
        parent = os.getpid()
        try:
            with warnings.catch_warnings():  # Python 3.12+ warns about forking beside threads (the child uses none)
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            self._reader = None
            return
        if pid == 0:  # the child: work, send, leave without running the parent's cleanup or flushing its buffers
            code = 1
            try:
                os.close(read_end)
                die_with(parent)
                global _busy
                _busy = True
                with os.fdopen(write_end, "wb") as out:
                    while len(token := os.read(queue, _TOKEN.size)) == _TOKEN.size:
                        number = _TOKEN.unpack(token)[0]
                        data = pickle.dumps([work(item) for item in blocks[number]], protocol=pickle.HIGHEST_PROTOCOL)
                        out.write(_HEADER.pack(number, len(data)))
                        out.write(data)
                        out.flush()  # the parent may be waiting for this block
                        del data
                    out.write(_HEADER.pack(-1, 0))
                code = 0
            except BaseException:  # noqa: BLE001 - any failure: the parent does the missing blocks itself
                pass
            finally:
                os._exit(code)
        self.pid = pid
        self._finished = False
        os.close(write_end)
        self._stream = os.fdopen(read_end, "rb")
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        complete = False
        try:
            while header := self._stream.read(_HEADER.size):
                if len(header) < _HEADER.size:
                    break
                number, size = _HEADER.unpack(header)
                if number < 0:
                    complete = True
                    break
                data = self._stream.read(size)
                if len(data) < size:
                    break
                with self._arrived:
                    self._frames[number] = data
                    self._arrived.notify_all()
        except OSError:
            pass
        finally:  # without the end mark the child failed: what did not arrive whole is done here
            with self._arrived:
                self._complete = complete
                self._finished = True
                self._arrived.notify_all()

    def ready(self, number: int) -> bool:
        """Whether block ``number`` has arrived or never will (this process must do it)."""
        with self._arrived:
            return number in self._frames or self._finished

    def take(self, number: int) -> list | None:
        """Block ``number``'s results (waiting for them), or None when the child did not deliver them."""
        with self._arrived:
            while number not in self._frames and not self._finished:
                self._arrived.wait()
            data = self._frames.pop(number, None)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - a damaged stream: done here instead
            return None

    def close(self) -> None:
        """Stop the child if it still runs (the consumer stopped early, an error), reap it, release the pipe."""
        pid, self.pid = self.pid, None
        if pid is not None:
            with self._arrived:
                complete = self._complete
            if not complete:
                try:
                    os.kill(pid, 9)
                except ProcessLookupError:
                    pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        if self._reader is not None:
            self._reader.join()
            self._stream.close()
            self._reader = None
        self._frames.clear()
