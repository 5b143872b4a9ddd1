"""The knowledge graph as column tables, and back: shared by both stores and the exports."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from dataclasses import dataclass

import networkx as nx

from graphkit.schema import NODE_PROPERTIES, REL_ENDPOINTS, rel_properties
from graphkit.store.dialect import value_type

__all__ = ["Table", "graph_from_tables", "node_tables", "rel_tables", "to_python", "to_store"]


@dataclass
class Table:
    """Columns of one node label, or of one relationship type between two labels."""

    kind: str  # "node" or "rel"
    name: str  # label or relationship type
    from_label: str | None
    to_label: str | None
    types: dict[str, str]  # column -> STRING, STRING[], BOOLEAN, INT64, DOUBLE, DATE
    columns: dict[str, list]

    def __len__(self) -> int:
        first = next(iter(self.columns.values()), [])
        return len(first)

    def rows(self) -> Iterator[dict]:
        names = list(self.columns)
        for values in zip(*(self.columns[n] for n in names)):
            yield dict(zip(names, values))


def node_tables(G: nx.MultiDiGraph) -> list[Table]:
    """One table per label; contract columns first, then any extra properties found."""
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
        columns = {name: [] for name in types}
        for node, data in nodes:
            columns["id"].append(node)
            for name in types:
                if name != "id":
                    columns[name].append(data.get(name))
        tables.append(Table("node", label, None, None, types, columns))
    return tables


def rel_tables(G: nx.MultiDiGraph) -> list[Table]:
    """One table per relationship type and pair of labels, with ``source`` and ``target`` columns."""
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
        columns = {name: [] for name in types}
        for u, v, data in edges:
            columns["source"].append(u)
            columns["target"].append(v)
            for name in types:
                if name not in ("source", "target"):
                    columns[name].append(data.get(name))
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


def graph_from_tables(nodes: list[Table], rels: list[Table]) -> nx.MultiDiGraph:
    """Rebuild the knowledge graph from tables read out of a store."""
    G = nx.MultiDiGraph()
    for table in nodes:
        names = list(table.types)
        for values in zip(*(table.columns[n] for n in names)):
            data = {n: to_python(v, table.types[n]) for n, v in zip(names, values)}
            G.add_node(data["id"], label=table.name, **data)
    for table in rels:
        props = [n for n in table.types if n not in ("source", "target")]
        for values in zip(table.columns["source"], table.columns["target"], *(table.columns[p] for p in props)):
            data = {p: to_python(v, table.types[p]) for p, v in zip(props, values[2:])}
            G.add_edge(values[0], values[1], table.name, type=table.name, **data)
    return G

