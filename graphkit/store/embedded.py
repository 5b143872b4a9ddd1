"""The embedded store: LadybugDB, an in-process graph database with Cypher.

A full write builds a fresh database file with ``COPY`` (the bulk path:
hundreds of thousands of rows a second) and swaps it in with one atomic
rename, so a build is idempotent by construction and a reader never sees half
a graph. Each table is first staged as a Parquet file beside the database and
copied in one statement: LadybugDB reads Parquet itself in bounded memory,
while what COPY takes from in-memory frames stays held until the database
closes (a million papers: +1.4 GB against +4.8 GB; benchmarks/store_copy.py).
Small incremental writes (``mode="merge"``) and write-back of analysis
results use batched ``UNWIND $rows ... MERGE/SET``.
Queries pass the allow-list of :mod:`graphkit.store.guard` (the words of
the statement, then LadybugDB's own ``EXPLAIN`` plan) and run on a read-only
connection with a timeout (:data:`QUERY_TIMEOUT`), a bounded buffer pool
(:data:`QUERY_MEMORY_BYTES`) and Ctrl-C wired to LadybugDB's interrupt.

A full write never removes anything but a LadybugDB file: a folder, or a
file that does not start with LadybugDB's magic bytes, at the database path
is refused. Leftovers of builds that died (``graph.lbdb.building-PID``,
``graph.lbdb.staging-PID`` whose PID is not running) are removed by the
next write.
"""

from __future__ import annotations

import bisect
import math
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from graphkit._procs import debug_mark, die_with, pid_alive
from graphkit.exceptions import Interrupted, QueryError, ReadOnlyQueryError, StoreError, StoreNotFoundError
from graphkit.schema import NODE_PROPERTIES, REL_ENDPOINTS, REL_PROPERTIES, rel_properties
from graphkit.store import cypher
from graphkit.store.dialect import add_property_statements, schema_statements
from graphkit.store.guard import embedded_plan_refusal, embedded_refusal_detail, missing_parameters
from graphkit.tables import GraphTables, Table, to_store, value_type

__all__ = [
    "DB_FILENAME", "QUERY_MEMORY_BYTES", "QUERY_TIMEOUT", "EmbeddedStore", "is_ladybug_file", "pid_alive", "remove_dead_leftovers",
]

DB_FILENAME = "graph.lbdb"
ARROW_TYPES = {
    "STRING": pa.string(),
    "STRING[]": pa.list_(pa.string()),
    "BOOLEAN": pa.bool_(),
    "INT64": pa.int64(),
    "DOUBLE": pa.float64(),
    "DATE": pa.date32(),
}
_BATCH = 5000
# 0 lets LadybugDB size its buffer pool (a share of RAM, taken only as used).
def _megabytes(name: str, default: int, least: int) -> int:
    """A whole number of megabytes from the environment variable ``name``, in bytes; a one-line error
    (raised where the store is first imported) when it is not one, or under ``least``."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default * 2**20
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < least:
        raise StoreError(f"{name}={raw!r}: give a whole number of megabytes, at least {least}")
    return value * 2**20


BUFFER_POOL_BYTES = _megabytes("GRAPHKIT_BUFFER_POOL_MB", 0, 0)
# Queries get their own, bounded buffer pool: LadybugDB keeps a query's intermediate
# results in it, so a path query that explodes ends with "the buffer pool is full"
# instead of taking the machine's memory.
QUERY_MEMORY_BYTES = _megabytes("GRAPHKIT_QUERY_MEMORY_MB", 1024, 16)
QUERY_TIMEOUT = 60.0  # seconds; `--timeout` on the reading commands changes it
_MAGIC = b"LBUG"
#: The files LadybugDB keeps beside a database ``DB``: its log, shadow pages and checkpoint files and locks.
SIDE_FILES = (".wal", ".shadow", ".wal.checkpoint", ".checkpoint.apply.lock", ".checkpoint.intent.lock")
#: A database file or side file of a build that died (its PID in the name).
LEFTOVER_SUFFIX = r"\.(?:building|staging)-(\d+)(?:" + "|".join(map(re.escape, SIDE_FILES)) + ")?$"
_LEFTOVER = re.compile(LEFTOVER_SUFFIX)
STAGE_CHUNK_ROWS = 10_000  # rows converted to Arrow at a time (one Parquet row group) while staging a table
# Rows per COPY: LadybugDB's COPY holds about five times its file's size while it loads it (a 100,000-paper
# Paper table: +820 MB in one COPY, +480 MB in four), and appends to a table already loaded, so large
# tables go in parts of this many rows. Appending costs time (4 parts: 1.2x one COPY; 20 parts: 3.7x, each
# COPY slower than the last), hence parts no smaller than this.
COPY_ROWS = {"node": 1_000_000, "rel": 1_000_000}
# ... and a node table's part ends earlier, at this much Arrow data: what COPY holds grows with the
# text, not the rows (a profile paper with its abstract is ~1.3 kB, about 50,000 in a part; a DBLP
# paper ~0.3 kB, about 200,000). 20 parts of a million DBLP papers took 18 s against 6.5 s in two.
NODE_PART_BYTES = 64 * 2**20
# ... but a relationship table of up to this many rows goes in one COPY: an append to a relationship table
# rebuilds its adjacency lists (1.19M co-authorships: 2.4 s in one COPY, 1.8 s + 1.2 s in parts of 1M).
WHOLE_REL_ROWS = 1_500_000
# ... and one of more than this many rows (all of DBLP: 61M co-authorships) in equal parts of at most this
# many: each append rebuilds the adjacency lists, so 61 parts of 1M would cost many times one COPY (61M rows:
# 330 s in 8 parts). Such a table only comes with a graph large enough that the load runs after centrality
# and the map (graphkit.outputs.HUGE_COAUTHORSHIPS), with the build's other memory freed.
BIG_REL_ROWS = 16_000_000
# A graph that large (``stage(..., large=True)``) is loaded with the build's other memory freed, in fewer and
# larger parts: a relationship table in equal parts of at most LARGE_REL_ROWS (all of DBLP's 62M
# co-authorships: 464 s in 8 parts, 372 s in 4; 62M random co-authorships of 3.6M authors: 147 s in two
# parts, 90 s in one, which holds 2.3 GB more at its peak), a node table in parts of up to
# LARGE_NODE_PART_BYTES (its 7.4M papers: 37 parts of 64 MiB otherwise).
LARGE_REL_ROWS = 64_000_000
LARGE_NODE_PART_BYTES = 512 * 2**20
# A COPY of more rows than this is what needs the room (62M rows: 7.5 GB at its peak): load(gate=) waits
# before it.
GATED_ROWS = 32_000_000


def _ladybug():
    import ladybug

    return ladybug


class EmbeddedStore:
    """A knowledge graph in one LadybugDB file.

    ``path`` is an output folder (the database is ``DIR/graph.lbdb``) or the
    database file itself. ``query_timeout`` (seconds, None: no limit) bounds
    every query and read.
    """

    dialect = "embedded"

    def __init__(self, path: str | os.PathLike, *, query_timeout: float | None = QUERY_TIMEOUT):
        path = Path(path)
        self.path = path if path.suffix == ".lbdb" else path / DB_FILENAME
        self.query_timeout = query_timeout

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.path)!r})"

    def exists(self) -> bool:
        return self.path.is_file()

    # ------------------------------------------------------------ connections
    @contextmanager
    def _connect(self, *, read_only: bool, path: Path | None = None, buffer_pool: int | None = None) -> Iterator[Any]:
        lb = _ladybug()
        target = path or self.path
        if read_only and not target.is_file():
            raise StoreNotFoundError(
                f"no graph database at {target}; build one with `graphkit build PAGES --out {target.parent}`"
            )
        try:
            db = lb.Database(str(target), read_only=read_only,
                             buffer_pool_size=BUFFER_POOL_BYTES if buffer_pool is None else buffer_pool)
        except RuntimeError as exc:
            if "Cannot read checkpoint" in str(exc) or "corrupted" in str(exc).lower():
                raise StoreError(f"cannot open {target}: the database file is damaged (LadybugDB: "
                                 f"{str(exc).splitlines()[0].split(' The database may be')[0][:160]}); rebuild it with `graphkit build INPUT... "
                                 f"--out {target.parent}`") from None
            raise StoreError(f"cannot open {target}: {exc}") from None
        conn = lb.Connection(db)
        try:
            yield conn
        finally:
            conn.close()
            db.close()

    @staticmethod
    def _run(conn, statement: str, params: dict | None = None):
        try:
            return conn.execute(statement, params or {})
        except (TypeError, ValueError) as exc:  # parameters LadybugDB cannot take, e.g. a list of mixed types
            raise QueryError(f"cannot pass the parameters: {exc}", query=statement) from None
        except RuntimeError as exc:
            message = str(exc)
            if message.rstrip(".") == "Interrupted":
                raise QueryError("the query was stopped at the timeout; narrow it or give a longer --timeout",
                                 query=statement) from None
            if "buffer pool is full" in message:
                raise QueryError(f"the query needs more memory than the {QUERY_MEMORY_BYTES // 2**20} MB query limit "
                                 "(GRAPHKIT_QUERY_MEMORY_MB); narrow it, e.g. bound path lengths", query=statement) from None
            if "read-only" in message:
                raise ReadOnlyQueryError(
                    "write queries are refused: the database is opened read-only for queries", query=statement
                ) from None
            if message.startswith("Parser exception"):
                message = _parser_line(message)
            raise QueryError(message, query=statement) from None

    # ----------------------------------------------------------------- writes
    def write(self, graph: nx.MultiDiGraph | GraphTables, *, mode: Literal["replace", "merge"] = "replace") -> dict[str, int]:
        """Write the knowledge graph (a MultiDiGraph or its tables); returns counts read back.

        ``replace`` (default) makes the database hold exactly this graph: a
        fresh file is bulk-loaded and renamed over the old one. ``merge``
        upserts the nodes and relationships into the existing database.
        """
        tables = graph if isinstance(graph, GraphTables) else GraphTables.from_networkx(graph)
        if mode == "merge" and self.exists():
            self._merge(tables.nodes, tables.rels)
            return self.counts()
        return self._stage(tables.nodes, tables.rels, expected=tables.counts()).load()

    def stage(self, graph: nx.MultiDiGraph | GraphTables, *, large: bool = False) -> "StagedWrite":
        """The first half of ``write(graph)`` (replace mode): every table staged as Parquet beside the
        database; the returned :class:`StagedWrite`'s ``load()`` does the rest (the COPYs, the swap, the
        counts) and returns what ``write`` returns.

        The staging is Python work that needs the interpreter; the load is LadybugDB's, which runs in
        a thread beside other Python work with little contention (``graphkit build`` computes
        centrality and the map meanwhile). Nothing is replaced until ``load()`` ends well; should
        ``load()`` never be called, ``discard()`` removes the staged files. ``large``: staged in the larger
        parts of a graph that is loaded with nothing else in memory (see :data:`LARGE_REL_ROWS`).
        """
        tables = graph if isinstance(graph, GraphTables) else GraphTables.from_networkx(graph)
        return self._stage(tables.nodes, tables.rels, expected=tables.counts(), large=large)

    def _stage(self, nodes: list[Table], rels: list[Table], *, expected: dict | None = None,
               large: bool = False) -> "StagedWrite":
        self._check_replaceable()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create {self.path.parent}: {exc.strerror or exc}") from None
        remove_dead_leftovers(self.path)
        tmp = self.path.with_name(self.path.name + f".building-{os.getpid()}")
        staging = self.path.with_name(self.path.name + f".staging-{os.getpid()}")
        _remove_db(tmp)
        _remove_db(staging)
        staged = StagedWrite(self, tmp, staging, expected)
        try:
            staging.mkdir()
            for table in nodes:
                staged.tables.append((table, "", self._stage_parts(table, staging, large)))
            for table in rels:
                options = f"(from='{table.from_label}', to='{table.to_label}')" if len(REL_ENDPOINTS[table.name]) > 1 else ""
                staged.tables.append((table, options, self._stage_parts(table, staging, large)))
        except OSError as exc:  # a full disk, a read-only place: one line, nothing half-written left
            staged.discard()
            raise StoreError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        except BaseException:
            staged.discard()
            raise
        return staged

    def _check_replaceable(self) -> None:
        """Refuse to replace anything at the database path that is not a LadybugDB database."""
        if self.path.is_symlink() or (self.path.exists() and not self.path.is_file()):
            raise StoreError(f"{self.path} exists and is not a graphkit database; graphkit will not replace it")
        if self.path.exists() and not is_ladybug_file(self.path):
            raise StoreError(f"{self.path} is not a LadybugDB database; graphkit will not replace it")

    @staticmethod
    def _stage_parts(table: Table, staging: Path, large: bool = False) -> list[Path]:
        """The table as Parquet files of at most ``COPY_ROWS`` rows each, a node table's also of at most
        ``NODE_PART_BYTES`` of data (bounded memory per COPY); ``large``: see :meth:`stage`."""
        name = f"{table.name}-{table.from_label}-{table.to_label}" if table.kind == "rel" else table.name
        step = COPY_ROWS[table.kind]
        if table.kind == "rel" and len(table) <= WHOLE_REL_ROWS:
            step = max(len(table), 1)
        elif table.kind == "rel" and (large or len(table) > BIG_REL_ROWS):
            parts = -(-len(table) // (LARGE_REL_ROWS if large else BIG_REL_ROWS))
            step = -(-len(table) // parts)
        elif large:  # a node table: its size in bytes ends its parts
            step = max(len(table), 1)
        node_bytes = LARGE_NODE_PART_BYTES if large else NODE_PART_BYTES
        return _write_parquet_parts(table, staging, name, step, node_bytes if table.kind == "node" else math.inf)

    def _add_columns(self, conn, table: Table) -> None:
        for name, kind in table.types.items():
            if name not in NODE_PROPERTIES[table.name]:
                for statement in add_property_statements("embedded", table.name, name, kind):
                    self._run(conn, statement)

    def _merge(self, nodes: list[Table], rels: list[Table]) -> None:
        with self._connect(read_only=False) as conn:
            for statement in schema_statements("embedded"):
                self._run(conn, statement)
            for table in nodes:
                self._add_columns(conn, table)
                self._batches(conn, cypher.merge_nodes(table.name, table.types, "embedded"), table)
            for table in rels:
                props = {p: k for p, k in table.types.items() if p not in ("source", "target")}
                self._batches(conn, cypher.merge_rels(table.name, table.from_label, table.to_label, props, "embedded"), table)

    def _batches(self, conn, statement: str, table: Table) -> None:
        batch = []
        for row in table.rows():
            batch.append({k: to_store(v, table.types[k]) for k, v in row.items()})
            if len(batch) >= _BATCH:
                self._run(conn, statement, {"rows": batch})
                batch = []
        if batch:
            self._run(conn, statement, {"rows": batch})

    def set_node_properties(self, label: str, values: dict[str, dict[str, Any]]) -> int:
        """Write analysis results onto nodes: ``{property: {node id: value}}``.

        New properties become new columns; returns the number of values written.
        """
        written = 0
        with self._connect(read_only=False) as conn:
            if not self.exists():
                raise StoreNotFoundError(f"no graph database at {self.path}")
            for prop, by_id in values.items():
                kind = value_type(by_id.values())
                for statement in add_property_statements("embedded", label, prop, kind):
                    self._run(conn, statement)
                rows = [{"id": k, "value": v} for k, v in by_id.items()]
                for start in range(0, len(rows), _BATCH):
                    self._run(conn, cypher.set_node_property(label, prop, kind, "embedded"), {"rows": rows[start:start + _BATCH]})
                written += len(rows)
        return written

    # ------------------------------------------------------------------ reads
    def query(self, statement: str, params: dict[str, Any] | None = None, *,
              timeout: float | None = None, _executed: Any = None) -> list[dict[str, Any]]:
        """Run a read-only Cypher query; rows as dicts keyed by column name.

        The statement must pass the allow-list (:func:`~graphkit.store.guard.embedded_refusal`)
        and its plan must hold only read operators, else :class:`ReadOnlyQueryError`; but one
        LadybugDB's parser cannot read is a :class:`QueryError` saying so in one line
        (``Parser exception: ... (line: L, offset: O)``), unless it holds a clause that writes
        or reads files (refused, parsed or not). Every
        ``$parameter`` it uses must be in ``params`` (None passes a null), else :class:`QueryError`
        naming the missing ones (LadybugDB would read them as null). It runs for at most
        ``timeout`` seconds (default: the store's ``query_timeout``; 0: no limit) in a buffer
        pool of :data:`QUERY_MEMORY_BYTES`, and Ctrl-C stops it (:class:`Interrupted`).
        """
        timeout = self.query_timeout if timeout is None else timeout
        _check_statement(statement, params)
        with self._connect(read_only=True, buffer_pool=QUERY_MEMORY_BYTES) as conn:
            if timeout:
                conn.set_query_timeout(max(1, int(timeout * 1000)))
            try:
                plan = self._run(conn, _EXPLAIN + statement, params).get_next()[0]
            except ReadOnlyQueryError:
                raise
            except QueryError as exc:  # LadybugDB's parser speaks of the EXPLAIN statement: show the user's
                raise QueryError(_unexplain(str(exc)), query=statement) from None
            reason = embedded_plan_refusal(str(plan))
            if reason:
                raise ReadOnlyQueryError(f"refused: {reason}", query=statement)
            return _interruptible(conn, lambda: self._rows(conn, statement, params, _executed))

    def query_isolated(self, statement: str, params: dict[str, Any] | None = None, *,
                       timeout: float | None = None, memory_mb: float | None = None) -> list[dict[str, Any]]:
        """:meth:`query` in a child process that is stopped when it outlives the timeout or outgrows the memory.

        LadybugDB checks its timeout between the steps of a plan, so one huge
        step (``UNWIND range(1, 2000000000)``) runs on past it, and the memory it
        takes is not the buffer pool's. The child is killed when the query has run
        ``QUERY_GRACE`` seconds past the timeout (reading its rows afterwards is
        not bound by it), or when its resident memory passes ``memory_mb``
        (default :func:`query_memory_limit_mb`), and dies with the parent; the parent raises
        :class:`QueryError` saying which, and Ctrl-C stops the child too. The
        rows come back through a pipe. Linux and macOS (``fork``); elsewhere
        this is :meth:`query`.
        """
        import multiprocessing
        import time

        timeout = self.query_timeout if timeout is None else timeout
        _check_statement(statement, params)  # here, without a child
        if "fork" not in multiprocessing.get_all_start_methods():
            return self.query(statement, params, timeout=timeout)
        limit = memory_mb if memory_mb is not None else query_memory_limit_mb()
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_query_child, args=(self, statement, params, timeout, send, os.getpid()),
                                daemon=True)
        child.start()
        send.close()
        deadline = time.monotonic() + timeout + QUERY_GRACE if timeout else math.inf
        outcome = None
        try:
            while outcome is None:
                if receive.poll(0.05):
                    try:
                        outcome = receive.recv()
                    except EOFError:  # the child died without a word (killed from outside, a crash)
                        child.join(1)
                        raise QueryError(f"the query process ended without an answer (exit {child.exitcode})",
                                         query=statement) from None
                    if outcome == ("executed",):  # the timeout is the query's: reading its rows is not bound by it
                        outcome, deadline = None, math.inf
                        continue
                    break
                if time.monotonic() > deadline:
                    child.kill()
                    raise QueryError(f"the query was stopped at the timeout ({timeout:g} s): one step of it ran on; "
                                     "narrow it or give a longer --timeout", query=statement)
                used = _resident_mb(child.pid)
                if used > limit:
                    child.kill()
                    raise QueryError(f"the query was stopped: it took {used:,.0f} MB of memory, over the "
                                     f"{limit:,.0f} MB limit (GRAPHKIT_QUERY_PROCESS_MB); narrow it, e.g. with LIMIT",
                                     query=statement)
        except KeyboardInterrupt:
            child.kill()
            raise Interrupted("interrupted (Ctrl-C); the query was stopped, nothing was changed") from None
        finally:
            receive.close()
            child.join(5)
        kind, payload = outcome
        if kind == "rows":
            from graphkit.store.values import Rows

            columns, rows = payload
            return Rows(rows, columns=columns)
        error_type, message = payload
        raise error_type(message, query=statement)

    def _rows(self, conn, statement: str, params: dict | None, executed=None) -> list[dict[str, Any]]:
        result = self._run(conn, statement, params)
        if executed is not None:  # the query has run; what is left is reading its rows
            executed()
        columns = result.get_column_names()
        from graphkit.store.values import Rows

        rows = Rows(columns=columns)
        while result.has_next():
            rows.append({c: _clean(v) for c, v in zip(columns, result.get_next())})
        return rows

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type, read from the database."""
        counts: dict[str, int] = {}
        with self._connect(read_only=True) as conn:
            for label in NODE_PROPERTIES:
                counts[label] = self._run(conn, cypher.count_nodes(label)).get_next()[0]
            for rel_type, pairs in REL_ENDPOINTS.items():
                counts[rel_type] = sum(
                    self._run(conn, cypher.count_rels(rel_type, a, b)).get_next()[0] for a, b in pairs
                )
        return dict(sorted(counts.items()))

    def read(self) -> nx.MultiDiGraph:
        """The stored knowledge graph as a networkx MultiDiGraph (including written-back properties)."""
        with self.graphkit_schema():
            return self._read()

    @contextmanager
    def graphkit_schema(self) -> Iterator[None]:
        """Run graphkit's own statements: a database without graphkit's tables or properties (another
        version's, an empty or foreign file) is one :class:`StoreError` naming it, not the binder's message."""
        try:
            yield
        except QueryError as exc:
            message = str(exc)
            if not message.startswith(("Binder exception", "Catalog exception")):
                raise
            raise StoreError(f"{self.path} is not a graph this graphkit version reads ({message.rstrip('.')}): from "
                             f"another version, or not graphkit's; rebuild it with `graphkit build INPUT... "
                             f"--out {self.path.parent}`") from None

    def _read(self) -> nx.MultiDiGraph:
        nodes, rels = [], []
        with self._connect(read_only=True) as conn:
            if self.query_timeout:
                conn.set_query_timeout(max(1, int(self.query_timeout * 1000)))
            for label in NODE_PROPERTIES:
                types = self._column_types(conn, label)
                frame = self._run(conn, cypher.read_nodes(label, list(types))).get_as_arrow()
                nodes.append(Table("node", label, None, None, types, {c: frame.column(c).to_pylist() for c in types}))
            for rel_type, pairs in REL_ENDPOINTS.items():
                for a, b in pairs:
                    props = rel_properties(rel_type, a)
                    frame = self._run(conn, cypher.read_rels(rel_type, a, b, list(props))).get_as_arrow()
                    types = {"source": "STRING", "target": "STRING", **props}
                    rels.append(Table("rel", rel_type, a, b, types, {c: frame.column(c).to_pylist() for c in types}))
        return GraphTables(nodes, rels).to_networkx()

    def _column_types(self, conn, label: str) -> dict[str, str]:
        info = self._run(conn, f"CALL table_info('{label}') RETURN *")
        columns = info.get_column_names()
        types = {}
        while info.has_next():
            row = dict(zip(columns, info.get_next()))
            types[row["name"]] = _normalise_type(row["type"])
        return types


class StagedWrite:
    """A database write whose tables are staged as Parquet (:meth:`EmbeddedStore.stage`); :meth:`load`
    COPYs them into a new database file, renames it over the old one and returns the counts read back."""

    def __init__(self, store: EmbeddedStore, tmp: Path, staging: Path, expected: dict | None):
        self.store, self.tmp, self.staging, self.expected = store, tmp, staging, expected
        self.tables: list[tuple[Table, str, list[Path]]] = []

    def discard(self) -> None:
        """Remove what was staged (and any half-built database)."""
        _remove_db(self.tmp)
        _remove_db(self.staging)

    def load(self, gate: Callable[[], object] | None = None) -> dict[str, int]:
        """The COPYs, the swap and the counts read back; ``gate`` is called (and waited for) before the first
        COPY of more than :data:`GATED_ROWS` rows (``graphkit build`` of all of DBLP: until its other
        process, which holds 4 GB, has ended)."""
        store = self.store
        try:
            with store._connect(read_only=False, path=self.tmp) as conn:
                for statement in schema_statements("embedded"):
                    store._run(conn, statement)
                for table, options, paths in self.tables:
                    if table.kind == "node":
                        store._add_columns(conn, table)
                    for path in paths:
                        if gate is not None and len(table) > GATED_ROWS * len(paths):  # equal parts
                            gate()
                            gate = None
                        store._run(conn, f"COPY {table.name} FROM {_string_literal(path)} {options}".rstrip())
                        path.unlink()
                        debug_mark(f"COPY {path.name}")
            _remove_db(store.path)
            os.replace(self.tmp, store.path)
        except OSError as exc:  # a full disk, a read-only place: one line, nothing half-written left
            raise StoreError(f"cannot write {store.path}: {exc.strerror or exc}") from None
        except QueryError as exc:  # the same refusals met inside LadybugDB come back as its own long message
            reason = _SYSTEM_REFUSAL.search(str(exc))
            if reason is None and "IO exception" not in str(exc):
                raise
            if reason is None:  # LadybugDB read back a page it could not write: say what the disk has left
                free = shutil.disk_usage(store.path.parent).free
                raise StoreError(f"cannot write {store.path}: LadybugDB could not write its file "
                                 f"({free / 2**20:.1f} MB free on that disk; is it full?)") from None
            raise StoreError(f"cannot write {store.path}: {reason.group(0)}") from None
        finally:
            self.discard()
        written = store.counts()
        if self.expected is not None and written != self.expected:
            raise StoreError(f"counts after writing {store.path} differ from the graph: wrote {self.expected}, found {written}")
        return written


def _normalise_type(kind: str) -> str:
    kind = kind.upper()
    return "DOUBLE" if kind in ("FLOAT", "DOUBLE") else kind


_DICTIONARY: dict = {}  # id(categories) -> (categories, their Arrow strings), for the last few categorical columns


def _from_categories(column: pd.Series, start: int, stop: int | None, dictionary: bool) -> pa.Array:
    """Rows of a categorical column (a column of ids the bulk build encodes once per id) as Arrow strings, or,
    with ``dictionary``, as a dictionary array over one shared dictionary (what a build's child hands over:
    an Arrow file writes it once)."""
    categories = column.cat.categories
    known = _DICTIONARY.get(id(categories))
    if known is None or known[0] is not categories:  # converted once per column, not once per part
        if len(_DICTIONARY) >= 8:
            _DICTIONARY.clear()
        known = _DICTIONARY[id(categories)] = (categories, pa.array(categories).cast(pa.string()))
    strings = known[1]
    codes = pa.array(column.array.codes[start:stop])  # the codes themselves (Series.cat.codes copies them all)
    if dictionary:
        return pa.DictionaryArray.from_arrays(codes, strings)
    return strings.take(codes)


def arrow_arrays(table: Table, start: int = 0, stop: int | None = None, *, dictionary: bool = False) -> dict[str, pa.Array]:
    """Rows ``start:stop`` of each column of ``table`` as an Arrow array of its column type (``dictionary``:
    a categorical column as a dictionary array)."""
    arrays = {}
    for name, kind in table.types.items():
        column = table.columns[name]
        if isinstance(column, pd.Series):  # numeric columns straight from NumPy, NaN as null
            part = column.iloc[start:stop]
            if isinstance(column.dtype, pd.CategoricalDtype):  # ids of the bulk build
                arrays[name] = _from_categories(column, start, stop, dictionary)
                continue
            if dictionary and column.dtype in (np.int32, np.float32):  # handed over as narrow as the bulk build made it
                arrays[name] = pa.array(part, from_pandas=True)
                continue
            array = pa.array(part, type=ARROW_TYPES[kind], from_pandas=True)
            # an Arrow-backed column (the bulk build's) comes as its chunks
            arrays[name] = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
            continue
        values = column[start:stop]
        if kind == "DATE":
            values = [to_store(v, kind) for v in values]
        elif kind == "STRING[]":
            arrays[name] = _string_lists(values)
            continue
        arrays[name] = pa.array(values, type=ARROW_TYPES[kind])
    return arrays


_NO_STRINGS = pa.scalar([], type=ARROW_TYPES["STRING[]"])


def _string_lists(values: list) -> pa.Array:
    """Lists (or tuples) of strings as an Arrow list array, ``None`` as an empty list.

    >>> _string_lists([("a", "b"), None, []]).to_pylist()
    [['a', 'b'], [], []]
    """
    try:  # Arrow reads tuples and lists alike, nine times faster than copying each into a list first
        array = pa.array(values, type=ARROW_TYPES["STRING[]"])
    except (TypeError, pa.ArrowException):  # sets and other iterables
        return pa.array([list(v) if v is not None else [] for v in values], type=ARROW_TYPES["STRING[]"])
    if not array.null_count:
        return array
    import pyarrow.compute as pc

    return pc.if_else(array.is_null(), _NO_STRINGS, array)


class _StoredRows:
    """Rows of a stored table (:attr:`Table.stored`: the Arrow file ``graphkit build``'s worker wrote) as the
    column types of its table, read a file batch at a time (the last one kept: staging reads in order)."""

    def __init__(self, table: Table):
        self.table = table
        self._source = pa.OSFile(table.stored, "rb")
        self._reader = pa.ipc.open_file(self._source)
        self._starts = [0]
        self._last: tuple[int, pa.RecordBatch] | None = None

    def close(self) -> None:
        self._last = self._reader = None
        self._source.close()

    def _batch(self, i: int) -> pa.RecordBatch:
        if self._last is None or self._last[0] != i:
            self._last = (i, self._reader.get_batch(i))
        return self._last[1]

    def _locate(self, row: int) -> int:
        """The index of the file's batch holding ``row`` (batches are read in order to learn their lengths)."""
        while self._starts[-1] <= row and len(self._starts) <= self._reader.num_record_batches:
            self._starts.append(self._starts[-1] + self._batch(len(self._starts) - 1).num_rows)
        return bisect.bisect_right(self._starts, row) - 1

    def arrays(self, start: int, stop: int) -> dict[str, pa.Array]:
        pieces = []
        while start < stop:
            i = self._locate(start)
            batch = self._batch(i)
            begin = start - self._starts[i]
            pieces.append(batch.slice(begin, min(stop - start, batch.num_rows - begin)))
            start += pieces[-1].num_rows
        arrays = {}
        for name, kind in self.table.types.items():
            parts = [piece.column(name) for piece in pieces]
            array = parts[0] if len(parts) == 1 else pa.concat_arrays(parts)
            if pa.types.is_dictionary(array.type):  # the bulk build's ids
                array = array.dictionary_decode()
            arrays[name] = array if array.type == ARROW_TYPES[kind] else array.cast(ARROW_TYPES[kind])
        return arrays


def _arrow(table: Table, start: int = 0, stop: int | None = None, stored: _StoredRows | None = None) -> pa.Table:
    if stored is not None:
        arrays = stored.arrays(start, len(table) if stop is None else min(stop, len(table)))
    else:
        arrays = arrow_arrays(table, start, stop)
    n_rows = len(range(len(table))[start:stop])
    if table.kind == "rel":
        # a relationship table holds every column of its type, even for pairs without them
        padded = {name: arrays.get(name, pa.nulls(n_rows, ARROW_TYPES[kind])) for name, kind in REL_PROPERTIES[table.name].items()}
        arrays = {"from": arrays["source"], "to": arrays["target"], **padded}
    return pa.table(arrays)


def _write_parquet_parts(table: Table, staging: Path, name: str, max_rows: int, max_bytes: float) -> list[Path]:
    """Stage a table as Parquet files ``name-0.parquet``, ``name-1.parquet``, ...: a file ends at
    ``max_rows`` rows or once it holds ``max_bytes`` of Arrow data, whichever comes first. Rows are
    converted ``STAGE_CHUNK_ROWS`` at a time (one row group each), so staging memory stays bounded."""
    paths: list[Path] = []
    writer = None
    rows = size = start = 0
    stored = _StoredRows(table) if table.stored is not None else None  # every column from the worker's file
    try:
        while start < len(table):
            stop = min(start + STAGE_CHUNK_ROWS, start + max_rows - rows, len(table))
            frame = _arrow(table, start, stop, stored)
            if writer is None:
                paths.append(staging / f"{name}-{len(paths)}.parquet")
                writer = pq.ParquetWriter(paths[-1], frame.schema, compression="none")
            writer.write_table(frame)
            rows, size, start = rows + frame.num_rows, size + frame.nbytes, stop
            if rows >= max_rows or size >= max_bytes:
                writer.close()
                writer, rows, size = None, 0, 0
    finally:
        if writer is not None:
            writer.close()
        if stored is not None:
            stored.close()
    return paths


#: What the system says in LadybugDB's message when it refuses a write (the rest of the message is LadybugDB's internals).
_SYSTEM_REFUSAL = re.compile(r"No space left on device|Read-only file system|Disk quota exceeded|Permission denied")


def _string_literal(path: Path) -> str:
    """A file path as a Cypher string literal (COPY takes no parameters)."""
    return "'" + str(path).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _remove_db(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + side) for side in SIDE_FILES)):
        if candidate.is_dir() and not candidate.is_symlink():
            shutil.rmtree(candidate)
        elif candidate.exists() or candidate.is_symlink():
            candidate.unlink()


def is_ladybug_file(path: Path) -> bool:
    """Whether ``path`` is a regular file that starts with LadybugDB's magic bytes."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(_MAGIC)) == _MAGIC
    except OSError:
        return False


def remove_dead_leftovers(db_path: Path) -> list[Path]:
    """Remove ``DB.building-PID`` and ``DB.staging-PID`` beside ``db_path`` whose PID is not running."""
    removed: list[Path] = []
    if not db_path.parent.is_dir():
        return removed
    for candidate in db_path.parent.iterdir():
        match = _LEFTOVER.search(candidate.name)
        if candidate.name.startswith(db_path.name + ".") and match and not pid_alive(int(match.group(1))):
            _remove_db(candidate)
            removed.append(candidate)
    return removed


_EXPLAIN = "EXPLAIN "


def _unexplain(message: str) -> str:
    """A LadybugDB error about ``EXPLAIN <statement>`` as if about the statement itself.

    >>> _unexplain('Parser exception: bad (line: 1, offset: 12)\\n"EXPLAIN RETURN +"\\n               ^')
    'Parser exception: bad (line: 1, offset: 4)\\n"RETURN +"\\n       ^'
    """
    n = len(_EXPLAIN)
    message = re.sub(r"\(line: 1, offset: (\d+)\)", lambda m: f"(line: 1, offset: {max(0, int(m.group(1)) - n)})", message)
    lines = message.split("\n")
    for i, line in enumerate(lines):
        if line.startswith('"' + _EXPLAIN):
            lines[i] = '"' + line[1 + n:]
            if i + 1 < len(lines) and lines[i + 1][:n].strip() == "":
                lines[i + 1] = lines[i + 1][n:]
    return "\n".join(lines).rstrip()


def _interruptible(conn, work):
    """Run ``work()`` (which executes on ``conn``) in a thread, so Ctrl-C in the main thread
    reaches LadybugDB's interrupt instead of waiting for the query to end."""
    box: dict[str, Any] = {}

    def run():
        try:
            box["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed over to the calling thread
            box["error"] = exc

    thread = threading.Thread(target=run, name="graphkit-query", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.1)
    except KeyboardInterrupt:
        conn.interrupt()
        thread.join(10)
        raise Interrupted("interrupted (Ctrl-C); the query was stopped, nothing was changed") from None
    if "error" in box:
        raise box["error"]
    return box["value"]


#: Seconds a query's child process is given past its timeout before it is killed (LadybugDB's own
#: timeout, checked between steps, usually ends it first with its own message).
QUERY_GRACE = 2.0
#: The smallest ``GRAPHKIT_QUERY_PROCESS_MB`` taken: the query's process holds about 110 MB before it starts.
MIN_QUERY_PROCESS_MB = 200


def query_memory_limit_mb() -> float:
    """Resident memory (MB) a query's child process may take: ``GRAPHKIT_QUERY_PROCESS_MB`` (0: no limit), else
    half the memory available when the query starts (at least 1 GB): the rows it hands back are copied
    into the calling process, which needs room for them too."""
    configured = os.environ.get("GRAPHKIT_QUERY_PROCESS_MB")
    if configured:
        try:
            limit = float(configured)
        except ValueError:
            limit = math.nan
        if limit == 0:
            return math.inf  # as --timeout 0: no limit
        if not MIN_QUERY_PROCESS_MB <= limit < math.inf:
            raise StoreError(f"GRAPHKIT_QUERY_PROCESS_MB={configured!r}: give a number of megabytes of at least "
                             f"{MIN_QUERY_PROCESS_MB} (the query's process starts near 110), or 0 for no limit")
        return limit
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return max(1024.0, 0.5 * int(line.split()[1]) / 1024)
    except (OSError, ValueError, IndexError):
        pass
    return 8192.0


def _resident_mb(pid: int) -> float:
    """A process's resident memory in MB (0 where it cannot be read)."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def _query_child(store: "EmbeddedStore", statement: str, params: dict | None, timeout: float | None, send,
                 parent: int) -> None:
    """The child's side of :meth:`EmbeddedStore.query_isolated`: the rows, or the error's type and message."""
    import signal

    die_with(parent)  # the command killed (SIGTERM, SIGKILL, the OOM killer): no query left running for nobody
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C (and kills this process)
    try:
        rows = store.query(statement, params, timeout=timeout or 0, _executed=lambda: send.send(("executed",)))
        outcome = ("rows", (list(rows.columns), list(rows)))
    except (QueryError, StoreError) as exc:
        kind = type(exc) if isinstance(exc, QueryError) else QueryError
        outcome = ("error", (kind, str(exc)))
    except Exception as exc:  # noqa: BLE001 - reported by the parent as the query's error
        outcome = ("error", (QueryError, f"{type(exc).__name__}: {exc}"))
    try:
        send.send(outcome)
    except Exception as exc:  # noqa: BLE001 - e.g. a value pickle cannot take
        send.send(("error", (QueryError, f"cannot hand the rows back: {exc}")))
    finally:
        send.close()


def _check_statement(statement: str, params: dict | None) -> None:
    """What is wrong with a query before it reaches the database, in this order: the guard refuses what it
    would do (a clause that writes or reads files, a CALL, several statements: :class:`ReadOnlyQueryError`,
    parsed or not); LadybugDB's parser cannot read it (:class:`QueryError`, :func:`syntax_error`); the
    guard refuses a word it does not know (:class:`ReadOnlyQueryError`, :func:`embedded_refusal_detail`);
    it uses a ``$parameter`` that ``params`` does not give (:class:`QueryError`, :func:`missing_parameters`).
    The parser is asked here only when the guard or the parameters object: a statement both pass goes on
    to ``EXPLAIN``, whose parser says the same."""
    refusal = embedded_refusal_detail(statement)
    if refusal and refusal[1]:
        raise ReadOnlyQueryError(f"refused: {refusal[0]}", query=statement)
    missing = [] if refusal else missing_parameters(statement, params)
    if refusal or missing:
        syntax = syntax_error(statement)  # a misspelt keyword or a missing `)` is not a refusal
        if syntax:
            raise QueryError(syntax, query=statement)
    if refusal:
        raise ReadOnlyQueryError(f"refused: {refusal[0]}", query=statement)
    if missing:
        names = ", ".join("$" + name for name in missing)
        raise QueryError(f"the query uses {names} but no value was given for {'it' if len(missing) == 1 else 'them'}: "
                         f"pass params={{{', '.join(repr(name) + ': ...' for name in missing)}}} (None for null)",
                         query=statement)


#: LadybugDB's parser lists every token it would have taken; past this many, the first few say enough.
_EXPECTING_SHOWN = 8
_EXPECTING = re.compile(r"expecting \{((?:'[^']*'|[^'{}])*)\}")


def _parser_line(message: str) -> str:
    """LadybugDB's ``Parser exception`` in one line: up to its position (the echo of the statement and
    the caret go), newlines in the quoted input as spaces, a long list of expected tokens cut short.

    >>> _parser_line('Parser exception: Invalid input <MATCH (a:Author\\nRETURN>: expected rule oC_SingleQuery '
    ...              '(line: 2, offset: 0)\\n"RETURN a"\\n ^^^^^^')
    'Parser exception: Invalid input <MATCH (a:Author RETURN>: expected rule oC_SingleQuery (line: 2, offset: 0)'
    >>> _parser_line("Parser exception: mismatched input '<EOF>' expecting {'(', '{', ',', ANY, ADD, ALL, ALTER, "
    ...              "AS, BY, CALL, CASE, CAST} (line: 1, offset: 31)")
    "Parser exception: mismatched input '<EOF>' expecting {'(', '{', ',', ANY, ADD, ALL, ALTER, AS, ... 4 more} (line: 1, offset: 31)"
    """
    head = re.match(r".*?\(line: \d+, offset: \d+\)", message, re.S)
    line = " ".join((head.group(0) if head else message.split("\n", 1)[0]).split("\n"))

    def shorten(match: re.Match) -> str:
        items = re.findall(r"'[^']*'|[^,\s][^,]*", match.group(1))
        if len(items) <= _EXPECTING_SHOWN + 2:
            return match.group(0)
        return f"expecting {{{', '.join(i.strip() for i in items[:_EXPECTING_SHOWN])}, ... {len(items) - _EXPECTING_SHOWN} more}}"

    return _EXPECTING.sub(shorten, line)


def syntax_error(statement: str) -> str | None:
    """What LadybugDB's parser says of ``statement``, in one line with its position, or None when it parses.

    The parser alone is asked, on a throwaway in-memory database, through
    :func:`graphkit.store.cypher.parse_only`: the statement is never bound,
    planned or run, so this is safe for a statement the guard refuses.

    >>> syntax_error("MATCH (a:Author RETURN a")
    'Parser exception: Invalid input <MATCH (a:Author RETURN>: expected rule oC_SingleQuery (line: 1, offset: 16)'
    >>> syntax_error("MATCH (a:Author) RETRUN a")
    'Parser exception: Invalid input <MATCH (a:Author) RETRUN>: expected rule oC_SingleQuery (line: 1, offset: 17)'
    >>> syntax_error("CREATE (a:Author {id: 'x'})") is None  # valid, though no query here may write
    True
    """
    lb = _ladybug()
    db = lb.Database(":memory:", buffer_pool_size=_PARSE_POOL_BYTES)
    conn = lb.Connection(db)
    try:
        conn.execute(cypher.parse_only(statement))
        return None  # (never: the probe cannot bind)
    except RuntimeError as exc:
        message = str(exc)
    finally:
        conn.close()
        db.close()
    if not message.startswith("Parser exception"):
        return None  # the probe's binder error: the statement parsed
    # the probe is a line of its own ahead of the statement, and its newline may lead the quoted input
    message = message.replace("<\n", "<", 1)
    message = re.sub(r"\(line: (\d+), offset: (\d+)\)",
                     lambda m: f"(line: {int(m.group(1)) - _PROBE_LINES}, offset: {m.group(2)})", message)
    return _parser_line(message)


_PARSE_POOL_BYTES = 64 * 2**20  # the parse-only database holds nothing
_PROBE_LINES = cypher.PARSE_ONLY_PREFIX.count("\n")


def _clean(value: Any) -> Any:
    """Query values for callers: the one normaliser both stores share (graphkit.store.values.plain: a 128-bit sum is an int)."""
    from graphkit.store.values import plain

    return plain(value)
