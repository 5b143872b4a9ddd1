"""All of graphkit's own Cypher, as functions that build parameterised queries.

Labels, relationship types and property names come from the contract in
:mod:`graphkit.schema` (or pass :func:`~graphkit.store.dialect.identifier`);
values are always parameters. The text is shared by the embedded store and
Neo4j; the few differences live in :mod:`graphkit.store.dialect`.
"""

from __future__ import annotations

from graphkit.schema import NODE_PROPERTIES, REL_ENDPOINTS
from graphkit.store.dialect import Dialect, identifier, typed

__all__ = [
    "count_nodes",
    "count_rels",
    "merge_nodes",
    "merge_rels",
    "read_nodes",
    "read_rels",
    "set_node_property",
]


def _label(label: str) -> str:
    if label not in NODE_PROPERTIES:
        raise ValueError(f"unknown label {label!r}")
    return label


def _rel(rel_type: str) -> str:
    if rel_type not in REL_ENDPOINTS:
        raise ValueError(f"unknown relationship type {rel_type!r}")
    return rel_type


def count_nodes(label: str) -> str:
    """Count the nodes of one label.

    >>> count_nodes("Author")
    'MATCH (n:Author) RETURN count(n) AS n'
    """
    return f"MATCH (n:{_label(label)}) RETURN count(n) AS n"


def count_rels(rel_type: str, from_label: str, to_label: str) -> str:
    return f"MATCH (:{_label(from_label)})-[r:{_rel(rel_type)}]->(:{_label(to_label)}) RETURN count(r) AS n"


def merge_nodes(label: str, types: dict[str, str], dialect: Dialect) -> str:
    """Upsert a batch of nodes by ``id`` from ``$rows``.

    >>> print(merge_nodes("Institution", {"id": "STRING", "name": "STRING", "aliases": "STRING[]"}, "neo4j"))
    UNWIND $rows AS row MERGE (n:Institution {id: row.id}) SET n.`name` = row.`name`, n.`aliases` = row.`aliases`
    """
    sets = ", ".join(f"n.{identifier(p)} = {typed(dialect, f'row.{identifier(p)}', k)}" for p, k in types.items() if p != "id")
    return f"UNWIND $rows AS row MERGE (n:{_label(label)} {{id: row.id}})" + (f" SET {sets}" if sets else "")


def merge_rels(rel_type: str, from_label: str, to_label: str, types: dict[str, str], dialect: Dialect) -> str:
    """Upsert a batch of relationships from ``$rows`` (``source``, ``target``, properties).

    Both ends are matched with their label so the id index is used.
    """
    sets = ", ".join(f"r.{identifier(p)} = {typed(dialect, f'row.{identifier(p)}', k)}" for p, k in types.items())
    return (
        f"UNWIND $rows AS row MATCH (a:{_label(from_label)} {{id: row.source}}), (b:{_label(to_label)} {{id: row.target}}) "
        f"MERGE (a)-[r:{_rel(rel_type)}]->(b)" + (f" SET {sets}" if sets else "")
    )


def read_nodes(label: str, props: list[str]) -> str:
    columns = ", ".join(f"n.{identifier(p)} AS {identifier(p)}" for p in props)
    return f"MATCH (n:{_label(label)}) RETURN {columns}"


def read_rels(rel_type: str, from_label: str, to_label: str, props: list[str]) -> str:
    columns = "".join(f", r.{identifier(p)} AS {identifier(p)}" for p in props)
    return (
        f"MATCH (a:{_label(from_label)})-[r:{_rel(rel_type)}]->(b:{_label(to_label)}) "
        f"RETURN a.id AS source, b.id AS target{columns}"
    )


def set_node_property(label: str, prop: str, kind: str, dialect: Dialect) -> str:
    """Write one property onto existing nodes from ``$rows`` (``id``, ``value``)."""
    value = typed(dialect, "row.value", kind)
    return f"UNWIND $rows AS row MATCH (n:{_label(label)} {{id: row.id}}) SET n.{identifier(prop)} = {value}"
