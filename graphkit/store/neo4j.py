"""The Neo4j store (official ``neo4j`` driver, Neo4j 5 semantics).

Same interface and the same Cypher as the embedded store; the differences
live in :mod:`graphkit.store.dialect`. Loads are idempotent and resumable:
uniqueness constraints first, then batched ``UNWIND $rows ... MERGE`` in
managed write transactions (nodes before relationships), then the stale
part of an earlier graph is removed, then counts are read back and
compared. Running a load again after an interruption ends with the same graph.

Install the driver with ``pip install neo4j`` (in a clone: ``pip install -e '.[neo4j]'``); start a server with
``docker compose up -d --wait`` (see docker-compose.yml).
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import networkx as nx

from graphkit.exceptions import ConnectionFailed, GraphkitError, QueryError, ReadOnlyQueryError, StoreError
from graphkit.schema import NODE_PROPERTIES, REL_ENDPOINTS, rel_properties
from graphkit.store import cypher
from graphkit.store.dialect import schema_statements
from graphkit.store.guard import lexical_refusal, plan_operators, plan_refusal
from graphkit.store.values import Rows, plain, plain_row
from graphkit.tables import GraphTables, Table, to_python, to_store, value_type

__all__ = ["Neo4jStore", "redact_uri"]

CONNECT_TIMEOUT_S = 5.0
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
QUERY_TIMEOUT_S = 60.0


def _driver_module():
    try:
        import neo4j
    except ImportError:
        raise GraphkitError("the Neo4j store needs the neo4j driver: pip install neo4j (in a clone: pip install -e '.[neo4j]')") from None
    return neo4j


def redact_uri(uri: str) -> str:
    """A URI safe to print: a password in it is replaced by ``***``.

    >>> redact_uri("bolt://neo4j:s3cret@db.example.org:7687")
    'bolt://neo4j:***@db.example.org:7687'
    >>> redact_uri("neo4j://localhost")
    'neo4j://localhost'
    """
    return re.sub(r"(://[^/@:]*):[^/@]*@", r"\1:***@", uri)


def _split_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """The URI without ``user:password@`` (the driver refuses it), and those two."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return uri, None, None
    if "@" not in parts.netloc:
        return uri, None, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, sep, password = userinfo.partition(":")
    return urlunsplit(parts._replace(netloc=host)), unquote(user) or None, unquote(password) if sep else None


class Neo4jStore:
    """A knowledge graph on a Neo4j 5 server (``bolt://``, ``neo4j://`` or their ``+s`` forms).

    Credentials may also come in the URI (``bolt://user:password@host``); the
    password is never printed back, in an error or in ``repr``.
    """

    dialect = "neo4j"

    def __init__(self, uri: str, *, user: str = "neo4j", password: str = "", database: str = "neo4j",
                 batch_size: int = 10_000, query_timeout: float = QUERY_TIMEOUT_S):
        bare, uri_user, uri_password = _split_credentials(uri)
        self.uri = bare
        self.user = uri_user or user
        self.database = database
        self.batch_size = batch_size
        self.query_timeout = query_timeout
        self._password = uri_password if uri_password is not None else password
        self._driver = None

    def __repr__(self) -> str:
        return f"Neo4jStore({redact_uri(self.uri)!r}, database={self.database!r})"

    @property
    def path(self) -> str:  # shown where the embedded store shows its file
        return f"{redact_uri(self.uri)} (database {self.database})"

    # ------------------------------------------------------------ connection
    def driver(self):
        """A connected driver; fails within seconds with a one-line reason."""
        if self._driver is not None:
            return self._driver
        neo4j = _driver_module()
        from neo4j import exceptions as nex

        uri = redact_uri(self.uri)
        scheme = self.uri.split("://", 1)[0].lower() if "://" in self.uri else ""
        if scheme not in SCHEMES:
            raise ConnectionFailed(f"not a Neo4j Bolt URI {uri!r}: use one of {', '.join(s + '://' for s in SCHEMES)}")
        logging.getLogger("neo4j").addHandler(logging.NullHandler())  # the reason is raised, not logged
        try:
            driver = neo4j.GraphDatabase.driver(
                self.uri, auth=(self.user, self._password), connection_timeout=CONNECT_TIMEOUT_S,
                connection_acquisition_timeout=CONNECT_TIMEOUT_S + 2, max_transaction_retry_time=5.0,
            )
        except (ValueError, nex.ConfigurationError) as exc:
            raise ConnectionFailed(f"not a Neo4j URI {uri!r}: {self._clean(exc)}") from None
        try:
            driver.verify_connectivity()
        except nex.AuthError:
            driver.close()
            raise ConnectionFailed(f"Neo4j at {uri} refused the credentials of user {self.user!r} (wrong password?)") from None
        except (nex.ServiceUnavailable, nex.SessionExpired, OSError) as exc:
            driver.close()
            raise ConnectionFailed(f"cannot reach Neo4j at {uri}: {self._clean(exc)}{_routing_hint(scheme, exc)}") from None
        except nex.Neo4jError as exc:
            driver.close()
            raise ConnectionFailed(f"Neo4j at {uri}: {self._clean(exc)}") from None
        self._driver = driver
        return driver

    def check(self) -> None:
        """Connect now (fails within seconds, one line): call before work that needs the server."""
        self.driver()

    def _clean(self, exc: BaseException) -> str:
        """The error's first line with the URI and password redacted."""
        text = _first_line(exc).replace(self.uri, redact_uri(self.uri))
        return text.replace(self._password, "***") if self._password else text

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _session(self, *, read: bool = False):
        neo4j = _driver_module()
        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self.driver().session(database=self.database, default_access_mode=mode)

    def _write(self, statement: str, **params) -> None:
        def work(tx):
            tx.run(statement, params).consume()

        try:
            with self._session() as session:
                session.execute_write(work)
        except GraphkitError:
            raise
        except Exception as exc:  # neo4j errors carry the server's message
            raise QueryError(self._clean(exc), query=statement) from None

    def _in_read_tx(self, statement: str, work):
        try:
            with self._session(read=True) as session:
                return session.execute_read(work)
        except GraphkitError:
            raise
        except Exception as exc:
            raise QueryError(self._clean(exc), query=statement) from None

    def _read(self, statement: str, params: dict | None = None, *, timeout: float | None = None) -> list[dict]:
        neo4j = _driver_module()

        def work(tx):
            result = tx.run(neo4j.Query(statement, timeout=timeout or self.query_timeout), params or {})
            return Rows([record.data() for record in result], result.keys())

        return self._in_read_tx(statement, work)

    def run(self, statement: str, params: dict[str, Any] | None = None, *, timeout: float | None = None) -> list[dict[str, Any]]:
        """Run one of graphkit's own statements (GDS calls) in a write transaction; plain rows.

        Not for user queries: those go through :meth:`query` and its read-only checks.
        """
        neo4j = _driver_module()

        def work(tx):
            result = tx.run(neo4j.Query(statement, timeout=timeout or self.query_timeout), params or {})
            return [plain_row(record.data()) for record in result]

        try:
            with self._session() as session:
                return session.execute_write(work)
        except GraphkitError:
            raise
        except Exception as exc:
            raise QueryError(self._clean(exc), query=statement) from None

    # ---------------------------------------------------------------- writes
    def write(self, graph: nx.MultiDiGraph | GraphTables) -> dict[str, int]:
        """Make the database hold exactly this graph; returns the counts read back."""
        tables = graph if isinstance(graph, GraphTables) else GraphTables.from_networkx(graph)
        for statement in schema_statements("neo4j"):
            self._write(statement)
        for table in tables.nodes:
            self._load(cypher.merge_nodes(table.name, table.types, "neo4j"), table)
        for table in tables.rels:
            props = {p: k for p, k in table.types.items() if p not in ("source", "target")}
            self._load(cypher.merge_rels(table.name, table.from_label, table.to_label, props, "neo4j"), table)
        self._prune(tables)
        written = self.counts()
        if written != tables.counts():
            raise StoreError(f"counts after loading into {self.uri} differ: wrote {tables.counts()}, found {written}")
        return written

    def _load(self, statement: str, table: Table) -> None:
        batch: list[dict] = []
        for row in table.rows():
            batch.append({k: to_store(v, table.types[k]) for k, v in row.items()})
            if len(batch) >= self.batch_size:
                self._write(statement, rows=batch)
                batch = []
        if batch:
            self._write(statement, rows=batch)

    def _prune(self, tables: GraphTables) -> None:
        """Delete nodes and relationships of an earlier load that this graph no longer has."""
        for table in tables.nodes:
            keep = set(table.values("id"))
            stale = [r["id"] for r in self._read(cypher.node_ids(table.name)) if r["id"] not in keep]
            for start in range(0, len(stale), self.batch_size):
                self._write(cypher.prune_nodes(table.name), ids=stale[start:start + self.batch_size])
        for table in tables.rels:
            keep = set(zip(table.values("source"), table.values("target")))
            rows = self._read(cypher.rel_pairs(table.name, table.from_label, table.to_label))
            stale = [{"s": r["s"], "t": r["t"]} for r in rows if (r["s"], r["t"]) not in keep]
            for start in range(0, len(stale), self.batch_size):
                self._write(cypher.prune_rels(table.name, table.from_label, table.to_label), pairs=stale[start:start + self.batch_size])

    def set_node_properties(self, label: str, values: dict[str, dict[str, Any]]) -> int:
        """Write analysis results as node properties (batched)."""
        written = 0
        for prop, by_id in values.items():
            statement = cypher.set_node_property(label, prop, value_type(by_id.values()), "neo4j")
            rows = [{"id": k, "value": v} for k, v in by_id.items()]
            for start in range(0, len(rows), self.batch_size):
                self._write(statement, rows=rows[start:start + self.batch_size])
            written += len(rows)
        return written

    # ----------------------------------------------------------------- reads
    def query(self, statement: str, params: dict[str, Any] | None = None, *, timeout: float | None = None) -> list[dict[str, Any]]:
        """Run a query that the server confirms only reads; refused otherwise.

        ``timeout`` (seconds) bounds the server-side run (default ``query_timeout``).
        Values come back plain (:func:`graphkit.store.values.plain`).
        """
        reason = lexical_refusal(statement)
        if reason is None:
            summary = self._explain(statement, params)
            reason = plan_refusal(summary.query_type, plan_operators(summary.plan))
        if reason is not None:
            raise ReadOnlyQueryError(f"query refused: {reason}", query=statement)
        found = self._read(statement, params, timeout=timeout)
        return Rows([plain_row(row) for row in found], found.columns)

    def _explain(self, statement: str, params: dict | None):
        return self._in_read_tx(statement, lambda tx: tx.run(cypher.explain(statement), params or {}).consume())

    def counts(self) -> dict[str, int]:
        counts = {label: self._read(cypher.count_nodes(label))[0]["n"] for label in NODE_PROPERTIES}
        for rel_type, pairs in REL_ENDPOINTS.items():
            counts[rel_type] = sum(self._read(cypher.count_rels(rel_type, a, b))[0]["n"] for a, b in pairs)
        return dict(sorted(counts.items()))

    def read(self) -> nx.MultiDiGraph:
        G = nx.MultiDiGraph()
        for label, types in NODE_PROPERTIES.items():
            for row in self._read(cypher.node_maps(label)):
                props = row["p"]
                data = {k: to_python(props.get(k), kind) for k, kind in types.items()}
                data.update({k: plain(v) for k, v in props.items() if k not in types})
                G.add_node(data["id"], label=label, **data)
        for rel_type, pairs in REL_ENDPOINTS.items():
            for a, b in pairs:
                props = rel_properties(rel_type, a)
                for row in self._read(cypher.read_rels(rel_type, a, b, list(props))):
                    G.add_edge(row["source"], row["target"], rel_type, type=rel_type,
                               **{p: to_python(row[p], kind) for p, kind in props.items()})
        return G


def _routing_hint(scheme: str, exc: BaseException) -> str:
    """What to try when a neo4j:// (routing) connection fails: the driver says only that routing failed."""
    if not scheme.startswith("neo4j"):
        return ""
    return ("; neo4j:// asks the server for a routing table first: for a single server try bolt://HOST:7687, "
            "check the host and port, and for a cluster that its members are up and reachable from here")


def _first_line(exc: BaseException) -> str:
    """The server's or driver's message on one line, without the driver's resolution details."""
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    text = " ".join(message.split())
    text = re.sub(r" \(resolved to \(.*?\)\)", "", text)
    text = re.sub(r"Failed to establish connection to ResolvedIPv4Address\(\('([^']*)', (\d+)\)\)", r"\1:\2", text)
    return text if len(text) <= 300 else text[:297] + "..."

