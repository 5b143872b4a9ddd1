"""Where LadybugDB's Cypher and Neo4j 5's Cypher differ: the one place for it.

Everything else in :mod:`graphkit.store.cypher` is shared text. The
differences are schema statements (typed tables vs. constraints), adding a
property (a column vs. nothing), shortest paths and list projection.

>>> print(shortest_path_match("embedded", "a", "COAUTHORED", "b", 6))
MATCH p = (a)-[:COAUTHORED* SHORTEST 1..6]-(b)
>>> print(shortest_path_match("neo4j", "a", "COAUTHORED", "b", 6))
MATCH p = shortestPath((a)-[:COAUTHORED*1..6]-(b))
>>> print(project_list("neo4j", "nodes(p)", "x", "x.name"))
[x IN nodes(p) | x.name]
>>> print(project_list("embedded", "nodes(p)", "x", "x.name"))
list_transform(nodes(p), x -> x.name)
"""

from __future__ import annotations

import re
from typing import Literal

from graphkit.schema import NODE_PROPERTIES, REL_ENDPOINTS, REL_PROPERTIES

__all__ = [
    "Dialect",
    "add_property_statements",
    "identifier",
    "project_list",
    "schema_statements",
    "shortest_path_match",
    "typed",
]

Dialect = Literal["embedded", "neo4j"]
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


def identifier(name: str) -> str:
    """A label, type or property name made safe to splice into Cypher.

    Only plain identifiers pass; they are returned backtick-quoted.

    >>> identifier("pagerank")
    '`pagerank`'
    >>> identifier("x` DETACH DELETE n //")
    Traceback (most recent call last):
    ...
    ValueError: not a plain identifier: 'x` DETACH DELETE n //'
    """
    if not _IDENT.match(name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return f"`{name}`"


def schema_statements(dialect: Dialect) -> list[str]:
    """Statements that create the contract's schema if it does not exist."""
    if dialect == "neo4j":
        return [
            f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
            for label in NODE_PROPERTIES
        ]
    statements = []
    for label, props in NODE_PROPERTIES.items():
        columns = ", ".join(f"{name} {kind}" for name, kind in props.items())
        statements.append(f"CREATE NODE TABLE IF NOT EXISTS {label}({columns}, PRIMARY KEY (id))")
    for rel_type, pairs in REL_ENDPOINTS.items():
        ends = ", ".join(f"FROM {a} TO {b}" for a, b in pairs)
        columns = "".join(f", {name} {kind}" for name, kind in REL_PROPERTIES[rel_type].items())
        statements.append(f"CREATE REL TABLE IF NOT EXISTS {rel_type}({ends}{columns})")
    return statements


def add_property_statements(dialect: Dialect, label: str, prop: str, kind: str) -> list[str]:
    """Statements that make room for a new node property (write-back)."""
    if dialect == "neo4j":
        return []  # Neo4j properties need no declaration
    return [f"ALTER TABLE {identifier(label)[1:-1]} ADD IF NOT EXISTS {identifier(prop)} {kind}"]


def shortest_path_match(dialect: Dialect, a: str, rel_type: str, b: str, max_hops: int) -> str:
    """A MATCH clause binding ``p`` to one shortest path between bound nodes ``a`` and ``b``."""
    rel = identifier(rel_type)[1:-1]
    hops = int(max_hops)
    if dialect == "neo4j":
        return f"MATCH p = shortestPath(({a})-[:{rel}*1..{hops}]-({b}))"
    return f"MATCH p = ({a})-[:{rel}* SHORTEST 1..{hops}]-({b})"


def project_list(dialect: Dialect, list_expr: str, var: str, expr: str) -> str:
    """``[var IN list | expr]`` in the dialect's spelling."""
    if dialect == "neo4j":
        return f"[{var} IN {list_expr} | {expr}]"
    return f"list_transform({list_expr}, {var} -> {expr})"


def typed(dialect: Dialect, expr: str, kind: str) -> str:
    """An expression with its column type made explicit where the dialect needs it.

    LadybugDB infers a parameter's type from its values, so a batch whose
    values are all null would arrive as STRING; the cast keeps the column type.

    >>> typed("embedded", "row.year", "INT64"), typed("neo4j", "row.year", "INT64")
    ('CAST(row.year AS INT64)', 'row.year')
    """
    if dialect == "neo4j" or kind == "STRING":
        return expr
    return f"CAST({expr} AS {kind})"
