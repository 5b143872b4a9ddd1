"""``graphkit build``'s extract, resolve and table stages in a child process, on a heap of their own.

Resolution makes tens of millions of short-lived Python objects. Once they
are freed, Python keeps the half-empty memory arenas they lived in: in a
1,000,000-paper build the process stayed at 3.25 GB where its live objects
needed about 1 GB, and the database's load, centrality and the map then grew
on top of that (benchmarks/RESULTS.md, session 7). Here a forked child reads,
resolves and builds the tables, writes them as Arrow IPC files into a private
temporary folder, and exits, giving all of that memory back at once; the
parent, which has done nothing meanwhile but show progress, reads each table
back as Arrow-backed columns as soon as its file is complete (while the child
writes the next) and goes on with the outputs.

The result is the same :class:`~graphkit.pipeline.BuildResult` as
:func:`~graphkit.pipeline.build_knowledge_graph` returns in-process, with
string columns as pandas string Series instead of lists (``Table.values``
gives the same Python values). ``graphkit build`` with the embedded store
asks for less (:data:`HELD`): of the Author, Paper and AUTHORED tables only
the columns read after the store is staged (ids, names, years, the
authorships' ends) come into memory; the tables stay *stored* in the child's
files until the build ends, and the store is staged from those files. Where
``fork`` is not available (Windows) the stages run in-process.

Errors raised in the child are raised again in the parent with the same
message; a child that dies (the system's out-of-memory killer) is reported in
one line; Ctrl-C reaches both processes, and the parent removes the temporary
folder.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import re
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from graphkit._procs import debug_mark, die_with
from graphkit.exceptions import GraphkitError

if TYPE_CHECKING:
    import pyarrow as pa

    from graphkit.tables import GraphTables, Table

# pandas, pyarrow and the rest are imported where used: the child is forked before the parent imports
# them, so that the two processes share (and the memory figures count twice) as little as possible

__all__ = ["BuildInChild", "SpilledJson", "can_fork", "read_tables", "remove_dead_folders", "write_tables"]

#: rows converted to Arrow at a time when the child writes a table (bounded memory beside the tables:
#: 50,000 papers with their abstracts are about 60 MB)
CHUNK_ROWS = 50_000


class SpilledJson:
    """A section of the report the child wrote as JSON (``path``) instead of handing it over as Python objects:
    the explanations of every identity decision (all of DBLP: 2.5M, 760 MB of text, ~2 GB as a dict in the
    parent beside centrality). The report writer inserts it as it is (:func:`graphkit.outputs.write_json_atomic`),
    indented for ``depth``; ``data`` holds its bytes once the file is gone (:meth:`keep_in_memory`)."""

    def __init__(self, path: str, depth: int) -> None:
        self.path, self.depth, self.data = path, depth, None

    @classmethod
    def write(cls, value, path: Path, depth: int) -> "SpilledJson":
        import orjson

        path.write_bytes(orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS))
        return cls(str(path), depth)

    def keep_in_memory(self) -> None:
        if self.data is None:
            self.data = Path(self.path).read_bytes()

    def _bytes(self) -> bytes:
        return self.data if self.data is not None else Path(self.path).read_bytes()

    def json(self) -> bytes:
        """The JSON, each line after the first indented by ``depth`` levels of two spaces."""
        return self._bytes().replace(b"\n", b"\n" + b"  " * self.depth)

    def load(self):
        """The section as Python objects."""
        import orjson

        return orjson.loads(self._bytes())


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class BuildInChild:
    """The build running in a forked child; :meth:`result` relays its progress and returns its result.

    Created before anything starts threads (a progress display): a fork copies
    only the calling thread, and a lock another thread held at that moment
    would stay held in the child.
    """

    def __init__(self, paths, **options) -> None:
        remove_dead_folders()
        self._folder = Path(tempfile.mkdtemp(prefix=f"graphkit-build-{os.getpid()}-"))
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(send, self._folder, list(paths), options, os.getpid()),
                                        name="graphkit-build", daemon=True)
        try:
            self._process.start()
        except BaseException:
            shutil.rmtree(self._folder, ignore_errors=True)
            raise
        finally:
            send.close()  # the child holds the only writing end: its exit ends the pipe

    def result(self, *, on_files: Callable[[int], None] | None = None, on_stage: Callable[[str], None] | None = None,
               held: dict[str, set[str]] | None = None):
        """Wait for the child, calling ``on_files`` (with how many inputs were read since) and ``on_stage``
        as it reports; the build's result.

        ``held`` (``graphkit build`` with the embedded store gives :data:`HELD`): of the tables it names, only
        those columns are read into memory; the tables stay in the child's Arrow files (see
        :func:`read_table`), which stay until :meth:`close`, for the store to be staged from.
        """
        tables: dict[int, Table] = {}
        started = time.time()
        kept = keep = False
        try:
            while True:
                try:
                    message = self._receive.recv()
                except EOFError:
                    self._process.join()
                    raise GraphkitError(_death(self._process.exitcode)) from None
                kind = message[0]
                if kind == "files" and on_files is not None:
                    on_files(message[1])
                elif kind == "stage" and on_stage is not None:
                    on_stage(message[1])
                elif kind == "error":
                    self._process.join()
                    raise _unpickled_error(*message[1:])
                elif kind == "handover":
                    started = message[1]
                elif kind == "table":  # read while the child writes the next
                    table = tables[message[1]] = read_table(self._folder, message[1], message[2], held=held)
                    if table.stored is None:
                        (self._folder / f"{message[1]}.arrow").unlink()
                    else:  # taken (the name says so), kept for the store
                        table.stored = str(Path(table.stored).rename(self._folder / f"{message[1]}.stored.arrow"))
                        kept = True
                    if message[2][5] > 1_000_000:  # the Arrow file's buffers, converted: back to the system
                        from graphkit.outputs import return_freed_memory

                        return_freed_memory()
                elif kind == "done":
                    self._process.join()
                    result = pickle.loads((self._folder / "result.pickle").read_bytes())
                    written = result.tables  # how many tables the child wrote
                    if sorted(tables) != list(range(written)):
                        raise GraphkitError(f"the build's worker process handed over {len(tables)} of "
                                            f"{written} tables; nothing was written")
                    result.tables = _assembled([tables.pop(n) for n in range(written)])
                    spilled = result.resolution.identities.get("authors")
                    if isinstance(spilled, SpilledJson) and not kept:  # the folder goes now: its bytes stay
                        spilled.keep_in_memory()
                    # from the child's first write to the parent's last read: the hand-over's cost to the build
                    result.timings["handover"] = max(time.time() - started, 0.0)
                    debug_mark("handed over")
                    keep = kept  # the stored tables' files stay until the caller's close()
                    return result
        finally:
            self.close(keep_files=keep)

    def close(self, *, keep_files: bool = False) -> None:
        """Stop the child if it still runs and remove the temporary folder (``keep_files``: leave it, for
        the stored tables; a later ``close()`` removes it)."""
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._receive.close()
        if not keep_files:
            shutil.rmtree(self._folder, ignore_errors=True)


_FOLDER = re.compile(r"^graphkit-build-(\d+)-[A-Za-z0-9_]+$")


def remove_dead_folders() -> list[str]:
    """Remove the temporary folders of builds whose process is gone (a build killed with SIGKILL cannot
    remove its own); only this user's folders with graphkit's name and a dead process id in it."""
    from graphkit._procs import pid_alive

    removed = []
    try:
        entries = list(Path(tempfile.gettempdir()).iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _FOLDER.match(entry.name)
        if match is None or pid_alive(int(match.group(1))):
            continue
        try:
            if entry.is_symlink() or not entry.is_dir() or entry.stat().st_uid != os.getuid():
                continue
        except OSError:
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry.name)
    return removed


def _death(code: int | None) -> str:
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        why = " (the system ran out of memory?)" if -code == signal.SIGKILL else ""
        return f"the build's worker process was stopped by {name}{why}; nothing was written"
    return f"the build's worker process ended (exit code {code}) without a result; nothing was written"


def _unpickled_error(payload: bytes | None, name: str, text: str, trace: str) -> BaseException:
    if payload is not None:
        try:
            return pickle.loads(payload)
        except Exception:  # noqa: BLE001 - an exception type that does not come back: its message does
            pass
    if name == "KeyboardInterrupt":
        return KeyboardInterrupt()
    return RuntimeError(f"{name}: {text}\n(in the build's worker process)\n{trace}")


class _FilesRead:
    """The child's progress reports: inputs read, counted and sent at most ten times a second (a message
    per file, 300,000 profile pages, cost the two reading processes CPU time), and stage names."""

    EVERY = 0.1  # seconds

    def __init__(self, send) -> None:
        self._send, self._count, self._last = send, 0, time.monotonic()

    def read(self, _item) -> None:
        self._count += 1
        now = time.monotonic()
        if now - self._last >= self.EVERY:
            self.flush()
            self._last = now

    def flush(self) -> None:
        if self._count:
            self._send.send(("files", self._count))
            self._count = 0

    def stage(self, name: str) -> None:
        self.flush()  # the bar of the reading stage is full before the next stage starts
        self._send.send(("stage", name))


def _child(send, folder: Path, paths: list[str], options: dict, parent: int) -> None:
    """The child: build, write the tables and the rest of the result, report ``done`` (or the error)."""
    die_with(parent)
    from graphkit.pipeline import build_knowledge_graph

    try:
        files = _FilesRead(send)
        result = build_knowledge_graph(paths, on_file=files.read, on_stage=files.stage, **options)
        files.flush()
        send.send(("handover", time.time()))
        try:
            # the rest of the result first, then dropped: its Python objects (all of DBLP: the decisions on
            # 2.5M people, ~2 GB) are not held beside the tables while they are converted and written
            tables, result.tables = result.tables, len(result.tables.nodes) + len(result.tables.rels)
            identities = result.resolution.identities
            if isinstance(identities.get("authors"), dict):  # report["identities"]["authors"]: depth 2
                identities["authors"] = SpilledJson.write(identities["authors"], folder / "explanations.json", 2)
            with open(folder / "result.pickle", "wb") as handle:
                pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
            del result
            debug_mark("result written")
            write_tables(tables, folder, release=True, on_written=lambda n, spec: send.send(("table", n, spec)))
        except OSError as exc:  # a full or small temporary folder: say which, and what to do
            raise GraphkitError(f"cannot hand the built tables over through {folder}: {exc.strerror or exc}; "
                                "set TMPDIR to a folder with more room") from None
        send.send(("done",))
    except BaseException as exc:  # noqa: BLE001 - every error goes to the parent, which raises it
        if isinstance(exc, KeyboardInterrupt):  # Ctrl-C reached the parent too
            os._exit(130)
        try:
            payload = pickle.dumps(exc)
        except Exception:  # noqa: BLE001
            payload = None
        if not isinstance(exc, (GraphkitError, OSError)):
            payload = None  # a bug: its traceback from here is what helps
        send.send(("error", payload, type(exc).__name__, str(exc), traceback.format_exc()))
    finally:
        send.close()
        # now, without multiprocessing's clean-up at exit: nothing of this copy of the parent (its
        # finalizers, the database library's state) is torn down twice, and the heap is not walked
        os._exit(0)


def write_tables(tables: GraphTables, folder: Path, *, release: bool = False,
                 on_written: Callable[[int, tuple], None] | None = None) -> list[tuple]:
    """Write each table as an Arrow IPC file ``folder/<n>.arrow``; what :func:`read_tables` needs to read them.

    ``release`` (the child, which needs them no more): each table's columns are dropped once written, and
    the memory of its long strings (abstracts) goes back to the system before the next table is converted.
    ``on_written(n, spec)`` is called as each file is complete (the parent reads it while the next is written).
    """
    import pyarrow as pa

    from graphkit.outputs import return_freed_memory
    from graphkit.store.embedded import ARROW_TYPES, arrow_arrays

    specs = []
    for n, table in enumerate((*tables.nodes, *tables.rels)):
        # the columns' own types: a categorical column (the bulk build's ids) stays dictionary-encoded
        first = arrow_arrays(table, 0, min(len(table), 1), dictionary=True) if len(table) else {}
        schema = pa.schema([(name, first[name].type if name in first else ARROW_TYPES[kind]) for name, kind in table.types.items()])
        with pa.OSFile(str(folder / f"{n}.arrow"), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
            for start in range(0, len(table), CHUNK_ROWS):
                arrays = arrow_arrays(table, start, start + CHUNK_ROWS, dictionary=True)
                writer.write_batch(pa.record_batch([arrays[name] for name in table.types], schema=schema))
                del arrays
        specs.append((table.kind, table.name, table.from_label, table.to_label, dict(table.types), len(table)))
        if release:
            table.columns = {}
            return_freed_memory()
        if on_written is not None:
            on_written(n, specs[-1])
    return specs


def read_tables(folder: Path, specs: list[tuple]) -> GraphTables:
    """The tables :func:`write_tables` wrote, with Arrow-backed columns (no Python object per string)."""
    return _assembled([read_table(folder, n, spec) for n, spec in enumerate(specs)])


def _assembled(tables: list[Table]) -> GraphTables:
    from graphkit.tables import GraphTables

    assembled = GraphTables()
    for table in tables:
        (assembled.nodes if table.kind == "node" else assembled.rels).append(table)
    return assembled


#: What ``graphkit build`` reads of these tables once the store is staged (the counts, centrality and the
#: map; see :func:`graphkit.outputs.write_build_outputs`): with the embedded store, only these columns are
#: read into memory; the store is staged from the Arrow file the worker wrote (a 7.5M-record DBLP build:
#: about 7 GB of titles, ids, positions and lists the parent need not hold).
HELD = {"Author": {"id", "name"}, "Paper": {"id", "year"}, "AUTHORED": {"source", "target"}}


def read_table(folder: Path, n: int, spec: tuple, *, held: dict[str, set[str]] | None = None) -> Table:
    """Table ``n`` that :func:`write_tables` wrote (``spec`` is its entry in what it returned).

    ``held``: for a table it names (and that has those columns), only those columns are read, and the
    table is *stored*: ``Table.stored`` names its file, which holds every column (the caller keeps it).
    """
    import pyarrow as pa

    from graphkit.tables import Table

    kind, name, from_label, to_label, types, rows = spec
    path = folder / f"{n}.arrow"
    keep = (held or {}).get(name)
    stored = bool(keep) and rows > 0 and keep <= set(types)
    with pa.OSFile(str(path), "rb") as source:
        reader = pa.ipc.open_file(source)
        if stored:  # only the held columns are read from the file
            fields = [reader.schema.get_field_index(c) for c in types if c in keep]
            reader = pa.ipc.open_file(source, options=pa.ipc.IpcReadOptions(included_fields=fields))
        data = reader.read_all()
    if stored:
        # copied out of the file's record batches, which the reader reads whole: a column used as it is
        # would keep every column's bytes alive (all of DBLP: 2.3 GB of titles and lists for 300 MB of ids)
        data = pa.table({c: pa.concat_arrays(data.column(c).chunks) for c in data.column_names})
    columns = {c: _column(data.column(c), t, rows) for c, t in types.items() if not stored or c in keep}
    return Table(kind, name, from_label, to_label, types, columns, stored=str(path) if stored else None, length=rows)


def _column(values: pa.ChunkedArray, kind: str, rows: int):
    if rows == 0:
        return []
    if kind in ("STRING", "INT64", "DOUBLE"):
        # strings: pandas' Arrow-backed string dtype, NaN where missing; numbers: NumPy, an integer
        # column with missing values as float with NaN
        return values.to_pandas()
    if kind == "STRING[]":
        import pandas as pd

        return pd.Series(values, dtype=pd.ArrowDtype(values.type))
    if kind == "DATE":
        return [None if v is None else v.isoformat() for v in values.to_pylist()]
    return values.to_pylist()  # BOOLEAN: True, False and None are shared objects
