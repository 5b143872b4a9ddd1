"""The knowledge graph as column tables: what the build produces and the stores load.

Columns are Python lists or pandas Series (numeric columns of millions of
rows stay in NumPy); :meth:`Table.values` gives any column as Python values
with ``None`` for missing. The same tables become a networkx MultiDiGraph
(:meth:`GraphTables.to_networkx`) and come back from one
(:meth:`GraphTables.from_networkx`), so there is one path from entities to
every store, export and graph.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.schema import NODE_PROPERTIES, REL_ENDPOINTS, rel_properties

__all__ = ["GraphTables", "Table", "to_python", "to_store", "value_type"]


def value_type(values) -> str:
    """The column type for Python values (bool, int, float, str, lists of str).

    >>> value_type([1, None, 3]), value_type([0.5]), value_type([True]), value_type([["a"]])
    ('INT64', 'DOUBLE', 'BOOLEAN', 'STRING[]')
    """
    for value in values:
        if value is None:
            continue
        if isinstance(value, bool):
            return "BOOLEAN"
        if isinstance(value, int):
            return "INT64"
        if isinstance(value, float):
            return "DOUBLE"
        if isinstance(value, (list, tuple)):
            return "STRING[]"
        return "STRING"
    return "STRING"


@dataclass
class Table:
    """Columns of one node label, or of one relationship type between two labels."""

    kind: str  # "node" or "rel"
    name: str  # label or relationship type
    from_label: str | None
    to_label: str | None
    types: dict[str, str]  # column -> STRING, STRING[], BOOLEAN, INT64, DOUBLE, DATE
    columns: dict[str, list | pd.Series]
    #: a table handed over by ``graphkit build``'s worker (:func:`graphkit.worker.read_table`): the Arrow
    #: file holding all its columns, of which ``columns`` holds only some; ``length`` its rows
    stored: str | None = None
    length: int = 0

    def __len__(self) -> int:
        if self.stored is not None or not self.columns:  # columns read elsewhere, or dropped (length kept)
            return self.length
        first = next(iter(self.columns.values()), [])
        return len(first)

    def values(self, name: str, start: int = 0, stop: int | None = None) -> list:
        """One column as Python values, ``None`` where missing."""
        column = self.columns[name]
        if isinstance(column, pd.Series):
            part = column.iloc[start:stop]
            kind = self.types[name]
            if kind == "INT64":
                return [None if v != v else int(v) for v in part.tolist()]
            if kind == "DOUBLE":
                return [None if v != v else float(v) for v in part.tolist()]
            return [None if v is None or v != v else v for v in part.tolist()]
        return column[start:stop]

    def rows(self) -> Iterator[dict]:
        names = list(self.columns)
        for values in zip(*(self.values(n) for n in names)):
            yield dict(zip(names, values))


@dataclass
class GraphTables:
    """Node tables (one per label) and relationship tables (one per type and label pair)."""

    nodes: list[Table] = field(default_factory=list)
    rels: list[Table] = field(default_factory=list)
    _positions: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def node_table(self, label: str) -> Table:
        return next(t for t in self.nodes if t.name == label)

    def coauthor_positions(self) -> tuple[pd.Index, np.ndarray, np.ndarray]:
        """``(ids, a, b)``: the Author table's ids as an index and, per COAUTHORED row, the positions of its
        two authors in it (-1 for an id not in the table). Computed once per tables (centrality and the
        map both read them: hashing 2.4 million ids costs half a second on 1.2 million co-authorships).

        >>> t = GraphTables([Table("node", "Author", None, None, {"id": "STRING"}, {"id": ["a", "b"]})],
        ...                 [Table("rel", "COAUTHORED", "Author", "Author", {"source": "STRING", "target": "STRING"},
        ...                        {"source": ["b"], "target": ["a"]})])
        >>> ids, a, b = t.coauthor_positions()
        >>> list(ids), a.tolist(), b.tolist()
        (['a', 'b'], [1], [0])
        """
        authors = self.node_table("Author").columns["id"]
        co = self.rel_table("COAUTHORED", "Author")
        key = (id(authors), len(authors), id(co.columns["source"]), id(co.columns["target"]), len(co))
        if self._positions is None or self._positions[0] != key:
            ids = pd.Index(authors)
            a, b = (_positions_in(ids, co.columns[end]) for end in ("source", "target"))
            self._positions = (key, ids, a, b)
        return self._positions[1:]

    def drop_coauthorships(self) -> None:
        """Drop the COAUTHORED table's columns (its length kept) and the author positions made of them
        (:meth:`coauthor_positions`): ``graphkit build`` of all of DBLP, once nothing reads them."""
        co = self.rel_table("COAUTHORED", "Author")
        co.length, co.columns = len(co), {}
        self._positions = None

    def rel_table(self, rel_type: str, from_label: str) -> Table:
        return next(t for t in self.rels if t.name == rel_type and t.from_label == from_label)

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type."""
        counts = {t.name: len(t) for t in self.nodes}
        for t in self.rels:
            counts[t.name] = counts.get(t.name, 0) + len(t)
        return dict(sorted(counts.items()))

    def to_networkx(self) -> nx.MultiDiGraph:
        """The knowledge graph: nodes carry ``label`` and properties, edges are keyed by type."""
        G = nx.MultiDiGraph()
        for table in self.nodes:
            names = list(table.types)
            for values in zip(*(table.values(n) for n in names)):
                data = {n: to_python(v, table.types[n]) for n, v in zip(names, values)}
                G.add_node(data["id"], label=table.name, **data)
        for table in self.rels:
            props = [n for n in table.types if n not in ("source", "target")]
            columns = [table.values(p) for p in props]
            for i, (u, v) in enumerate(zip(table.values("source"), table.values("target"))):
                data = {p: to_python(col[i], table.types[p]) for p, col in zip(props, columns)}
                G.add_edge(u, v, table.name, type=table.name, **data)
        return G

    @classmethod
    def from_networkx(cls, G: nx.MultiDiGraph) -> GraphTables:
        """Tables of a knowledge graph; contract columns first, then any extra node properties."""
        return cls(_node_tables(G), _rel_tables(G))

    def coauthor_graph(self) -> nx.Graph:
        """The weighted co-author graph (authors with ``name``; edges with ``papers``,
        ``weight``, ``first_year``, ``last_year``), without building the knowledge graph."""
        from graphkit.projections import coauthor_graph

        return coauthor_graph(self)

    def main_institutions(self) -> dict[str, str]:
        """Each author's institution listed on most of their papers."""
        from graphkit.projections import main_institutions

        return main_institutions(self)


def _positions_in(ids: pd.Index, column) -> np.ndarray:
    """Each value's position in ``ids`` (-1 where absent). A categorical column (the bulk build's: its categories
    are the Author table's ids) maps its few categories, not its millions of rows."""
    if isinstance(column, pd.Series) and isinstance(column.dtype, pd.CategoricalDtype):
        where = ids.get_indexer(column.cat.categories).astype(np.int64)
        codes = column.array.codes
        return np.where(codes >= 0, where[codes], -1)
    return ids.get_indexer(pd.Index(column)).astype(np.int64)


def _node_tables(G: nx.MultiDiGraph) -> list[Table]:
    by_label: dict[str, list[tuple[str, dict]]] = {label: [] for label in NODE_PROPERTIES}
    for node, data in G.nodes(data=True):
        label = data.get("label")
        if label not in by_label:
            raise ValueError(f"node {node!r} has no contract label (got {label!r})")
        by_label[label].append((node, data))
    tables = []
    for label, nodes in by_label.items():
        types = dict(NODE_PROPERTIES[label])
        extra = sorted({k for _, d in nodes for k in d} - set(types) - {"label"})
        for name in extra:
            types[name] = value_type(d.get(name) for _, d in nodes)
        columns = {name: [node if name == "id" else data.get(name) for node, data in nodes] for name in types}
        tables.append(Table("node", label, None, None, types, columns))
    return tables


def _rel_tables(G: nx.MultiDiGraph) -> list[Table]:
    labels = nx.get_node_attributes(G, "label")
    buckets: dict[tuple[str, str, str], list[tuple[str, str, dict]]] = {
        (t, a, b): [] for t, pairs in REL_ENDPOINTS.items() for a, b in pairs
    }
    for u, v, key, data in G.edges(keys=True, data=True):
        slot = (key, labels.get(u), labels.get(v))
        if slot not in buckets:
            raise ValueError(f"edge {u!r}-[{key}]->{v!r} is not in the graph contract")
        buckets[slot].append((u, v, data))
    tables = []
    for (rel_type, a, b), edges in buckets.items():
        types = {"source": "STRING", "target": "STRING", **rel_properties(rel_type, a)}
        columns = {"source": [u for u, _, _ in edges], "target": [v for _, v, _ in edges]}
        for name in types:
            if name not in columns:
                columns[name] = [d.get(name) for _, _, d in edges]
        tables.append(Table("rel", rel_type, a, b, types, columns))
    return tables


def to_python(value, kind: str):
    """A stored value as the knowledge graph holds it (dates as ISO strings, lists as lists)."""
    if value is None:
        return [] if kind == "STRING[]" else None
    if kind == "DATE" and isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    if kind == "DATE" and hasattr(value, "iso_format"):  # neo4j.time.Date
        return value.iso_format()
    if kind == "STRING[]":
        return list(value)
    return value


def to_store(value, kind: str):
    """A knowledge-graph value as a store parameter (ISO dates become dates)."""
    if kind == "DATE" and isinstance(value, str):
        return _dt.date.fromisoformat(value)
    if kind == "STRING[]":
        return list(value or [])
    return value
