"""All of graphkit's own Cypher: one catalogue, built from the graph contract.

Every statement graphkit sends to a store is built here, by functions that
return parameterised text: labels, relationship types and property names come
from :mod:`graphkit.schema` (or pass :func:`~graphkit.store.dialect.identifier`),
values are always parameters. The text is shared by the embedded store and
Neo4j; the few differences live in :mod:`graphkit.store.dialect`.

:func:`statements` lists every statement in one dialect, each with a stable
name and example values for the parameters it takes, so a test can hand the
whole catalogue to Neo4j's own Cypher front end (tests/test_cypher_frontend.py)
and run the embedded forms on LadybugDB. Because the lists are derived from
the contract, a property added to :mod:`graphkit.schema` appears in the loads
and reads without an edit here.

>>> names = [s.name for s in statements("neo4j")]
>>> "load-node-Author" in names and "gds-pagerank-stream" in names and "path-shortest" in names
True
>>> [s.name for s in statements("embedded") if s.name.startswith("gds-")]
[]
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from graphkit.schema import NODE_PROPERTIES, REL_ENDPOINTS, REL_PROPERTIES, rel_properties
from graphkit.store.dialect import (
    Dialect,
    add_property_statements,
    identifier,
    project_list,
    schema_statements,
    shortest_path_match,
    typed,
)

__all__ = [
    "GDS_ALGORITHMS",
    "GDS_GRAPH",
    "PARSE_ONLY_PREFIX",
    "Purpose",
    "Statement",
    "author_affiliations",
    "authors",
    "coauthor_edges",
    "column_info",
    "copy_from",
    "count_nodes",
    "count_rels",
    "explain",
    "gds_drop",
    "gds_project",
    "gds_read_back",
    "gds_stream",
    "gds_write",
    "merge_nodes",
    "merge_rels",
    "node_ids",
    "node_maps",
    "parse_only",
    "prune_nodes",
    "prune_rels",
    "read_nodes",
    "read_rels",
    "rel_pairs",
    "set_node_property",
    "scale_node_property",
    "shortest_path",
    "statements",
    "sum_node_property",
]

Purpose = Literal["schema", "load", "prune", "write-back", "read", "guard", "gds"]
GDS_GRAPH = "graphkit-coauthors"  # the default name of the in-memory projection


class Statement(BaseModel):
    """One statement of the catalogue: its name, dialect, text and parameters.

    ``parameters`` holds an example value for each parameter the statement
    takes (the front end needs them declared; the embedded test runs them).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    dialect: Dialect
    purpose: Purpose
    text: str
    parameters: dict[str, Any] = {}


# ------------------------------------------------------------------ helpers

def _label(label: str) -> str:
    if label not in NODE_PROPERTIES:
        raise ValueError(f"unknown label {label!r}")
    return label


def _rel(rel_type: str) -> str:
    if rel_type not in REL_ENDPOINTS:
        raise ValueError(f"unknown relationship type {rel_type!r}")
    return rel_type


# ----------------------------------------------------------- loads and reads

def count_nodes(label: str) -> str:
    """Count the nodes of one label.

    >>> count_nodes("Author")
    'MATCH (n:Author) RETURN count(n) AS n'
    """
    return f"MATCH (n:{_label(label)}) RETURN count(n) AS n"


def count_rels(rel_type: str, from_label: str, to_label: str) -> str:
    """Count the relationships of one type between two labels."""
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
    """The named columns of every node of one label (the embedded store reads its tables so)."""
    columns = ", ".join(f"n.{identifier(p)} AS {identifier(p)}" for p in props)
    return f"MATCH (n:{_label(label)}) RETURN {columns}"


def node_maps(label: str) -> str:
    """Every node of one label as one property map (Neo4j: written-back properties included).

    >>> node_maps("Paper")
    'MATCH (n:Paper) RETURN properties(n) AS p'
    """
    return f"MATCH (n:{_label(label)}) RETURN properties(n) AS p"


def read_rels(rel_type: str, from_label: str, to_label: str, props: list[str]) -> str:
    """Every relationship of one type between two labels: ``source``, ``target`` and properties."""
    columns = "".join(f", r.{identifier(p)} AS {identifier(p)}" for p in props)
    return (
        f"MATCH (a:{_label(from_label)})-[r:{_rel(rel_type)}]->(b:{_label(to_label)}) "
        f"RETURN a.id AS source, b.id AS target{columns}"
    )


def column_info(label: str) -> str:
    """LadybugDB's description of a node table (its columns, written-back ones included).

    >>> column_info("Author")
    "CALL table_info('Author') RETURN *"
    """
    return f"CALL table_info('{_label(label)}') RETURN *"


def copy_from(table: str, path_literal: str, *, from_label: str | None = None, to_label: str | None = None) -> str:
    """LadybugDB's bulk load of one table from a staged Parquet file.

    ``path_literal`` is an already quoted Cypher string (COPY takes no
    parameters); a relationship type with several label pairs names the pair.

    >>> copy_from("AFFILIATED_WITH", "'/tmp/x.parquet'", from_label="Paper", to_label="Institution")
    "COPY AFFILIATED_WITH FROM '/tmp/x.parquet' (from='Paper', to='Institution')"
    """
    name = _rel(table) if table in REL_ENDPOINTS else _label(table)
    options = ""
    if from_label and to_label and len(REL_ENDPOINTS.get(table, ())) > 1:
        options = f" (from='{_label(from_label)}', to='{_label(to_label)}')"
    return f"COPY {name} FROM {path_literal}{options}"


def set_node_property(label: str, prop: str, kind: str, dialect: Dialect) -> str:
    """Write one property onto existing nodes from ``$rows`` (``id``, ``value``)."""
    value = typed(dialect, "row.value", kind)
    return f"UNWIND $rows AS row MATCH (n:{_label(label)} {{id: row.id}}) SET n.{identifier(prop)} = {value}"


# ------------------------------------------------------------------ pruning

def node_ids(label: str) -> str:
    """The ids of every node of one label (what a reload keeps or prunes)."""
    return f"MATCH (n:{_label(label)}) RETURN n.id AS id"


def prune_nodes(label: str) -> str:
    """Delete the nodes of one label whose ids are in ``$ids`` (and their relationships)."""
    return f"UNWIND $ids AS id MATCH (n:{_label(label)} {{id: id}}) DETACH DELETE n"


def rel_pairs(rel_type: str, from_label: str, to_label: str) -> str:
    """The (source id, target id) pairs of one relationship type between two labels."""
    return f"MATCH (a:{_label(from_label)})-[r:{_rel(rel_type)}]->(b:{_label(to_label)}) RETURN a.id AS s, b.id AS t"


def prune_rels(rel_type: str, from_label: str, to_label: str) -> str:
    """Delete the relationships whose (source, target) ids are in ``$pairs`` (``s``, ``t``)."""
    return (
        f"UNWIND $pairs AS p MATCH (a:{_label(from_label)} {{id: p.s}})-[r:{_rel(rel_type)}]->"
        f"(b:{_label(to_label)} {{id: p.t}}) DELETE r"
    )


# ------------------------------------------------------------ analysis reads

def authors() -> str:
    """Every author's id and name (the nodes of the co-author graph)."""
    return "MATCH (a:Author) RETURN a.id AS id, a.name AS name"


def author_names() -> str:
    """Every author's id, names and ids: what finds an author given by name, spelling, ORCID or source id."""
    return "MATCH (a:Author) RETURN a.id AS id, a.name AS name, a.name_variants AS name_variants, a.orcid AS orcid, a.ids AS ids"


def coauthor_edges() -> str:
    """Every COAUTHORED relationship with its counts and Newman weight."""
    props = ", ".join(f"c.{p} AS {p}" for p in REL_PROPERTIES["COAUTHORED"])
    return f"MATCH (a:Author)-[c:COAUTHORED]->(b:Author) RETURN a.id AS a, b.id AS b, {props}"


def author_affiliations() -> str:
    """Each author's institutions with the number of papers listing them."""
    return "MATCH (a:Author)-[r:AFFILIATED_WITH]->(i:Institution) RETURN a.id AS a, i.name AS name, r.papers AS papers"


def shortest_path(dialect: Dialect, *, max_hops: int = 8) -> str:
    """One shortest co-author chain between authors ``$source`` and ``$target`` (ids).

    >>> print(shortest_path("neo4j", max_hops=4))
    MATCH (a:Author {id: $source}), (b:Author {id: $target}) MATCH p = shortestPath((a)-[:COAUTHORED*1..4]-(b)) RETURN [x IN nodes(p) | x.id] AS ids
    >>> print(shortest_path("embedded", max_hops=4))
    MATCH (a:Author {id: $source}), (b:Author {id: $target}) MATCH p = (a)-[:COAUTHORED* SHORTEST 1..4]-(b) RETURN list_transform(nodes(p), x -> x.id) AS ids
    """
    return (
        "MATCH (a:Author {id: $source}), (b:Author {id: $target}) "
        + shortest_path_match(dialect, "a", "COAUTHORED", "b", max_hops)
        + f" RETURN {project_list(dialect, 'nodes(p)', 'x', 'x.id')} AS ids"
    )


def explain(statement: str) -> str:
    """The read-only guard's probe: the server's plan of a query, without running it.

    >>> explain("MATCH (a:Author) RETURN a.name")
    'EXPLAIN MATCH (a:Author) RETURN a.name'
    """
    return "EXPLAIN " + statement


#: The embedded guard's parse-only probe begins with this statement, whose variable nothing binds.
PARSE_ONLY_PREFIX = "RETURN graphkit_parse_only_;\n"


def parse_only(statement: str) -> str:
    """The embedded store's syntax probe: ``statement`` after a statement that can never bind.

    LadybugDB parses every statement of a query before it binds the first,
    and stops at the first that fails: so what it says of this text is the
    parser's verdict on ``statement`` (``Parser exception: ...``, one line
    down) or else the probe's binder error; ``statement`` itself is never
    bound, planned or run. Not in :func:`statements`: it fails by design.

    >>> parse_only("MATCH (a:Author RETURN a")
    'RETURN graphkit_parse_only_;\\nMATCH (a:Author RETURN a'
    """
    return PARSE_ONLY_PREFIX + statement


# ----------------------------------------------------------------------- GDS
# Each algorithm: GDS procedure family, the column it yields, the config it
# takes (values are parameters), and the graphkit measure it answers. The
# projection is undirected, so degree counts co-authors and Leiden and k-core
# (which refuse directed graphs) run.
GDS_ALGORITHMS: dict[str, dict[str, Any]] = {
    "degree": {"procedure": "gds.degree", "yield": "score", "config": {}},
    "weighted_degree": {"procedure": "gds.degree", "yield": "score", "config": {"relationshipWeightProperty": "'weight'"}},
    "pagerank": {
        "procedure": "gds.pageRank", "yield": "score",
        "config": {"relationshipWeightProperty": "'weight'", "dampingFactor": "$damping_factor",
                   "maxIterations": "$max_iterations", "tolerance": "$tolerance"},
    },
    "betweenness": {"procedure": "gds.betweenness", "yield": "score", "config": {}},
    "betweenness_sampled": {
        "procedure": "gds.betweenness", "yield": "score",
        "config": {"samplingSize": "$sampling_size", "samplingSeed": "$seed"},
    },
    "core_number": {"procedure": "gds.kcore", "yield": "coreValue", "config": {}},
    "community": {"procedure": "gds.louvain", "yield": "communityId", "config": {"relationshipWeightProperty": "'weight'"}},
    "leiden": {
        "procedure": "gds.leiden", "yield": "communityId",
        "config": {"relationshipWeightProperty": "'weight'", "randomSeed": "$seed"},
    },
}
_GDS_EXAMPLE_PARAMS = {"graph": GDS_GRAPH, "damping_factor": 0.85, "max_iterations": 100, "tolerance": 1e-7,
                       "sampling_size": 100, "seed": 0, "property": "pagerank"}


def _gds_algorithm(measure: str) -> dict[str, Any]:
    if measure not in GDS_ALGORITHMS:
        raise ValueError(f"no GDS algorithm for {measure!r}; choose from {', '.join(GDS_ALGORITHMS)}")
    return GDS_ALGORITHMS[measure]


def _config(entries: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in entries.items()) + "}"


def gds_project() -> str:
    """Project the co-author graph into GDS as ``$graph``: authors, undirected COAUTHORED with the Newman weight.

    A Cypher projection (``gds.graph.project`` as an aggregation): an author
    without co-authors comes with a null ``b`` and is projected alone, so every
    author gets a value. One label and one type, so neither is projected.
    """
    return (
        "MATCH (a:Author) OPTIONAL MATCH (a)-[c:COAUTHORED]->(b:Author) "
        "WITH gds.graph.project($graph, a, b, {relationshipProperties: {weight: coalesce(c.weight, 0.0)}}, "
        "{undirectedRelationshipTypes: ['*']}) AS g "
        "RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships"
    )


def gds_drop() -> str:
    """Drop the projection ``$graph`` (no error when it is already gone)."""
    return "CALL gds.graph.drop($graph, false) YIELD graphName RETURN graphName AS graph"


def gds_stream(measure: str) -> str:
    """Stream one measure from the projection ``$graph``: ``id`` (Author.id) and ``value``.

    >>> print(gds_stream("core_number"))
    CALL gds.kcore.stream($graph, {}) YIELD nodeId, coreValue RETURN gds.util.asNode(nodeId).id AS id, coreValue AS value
    """
    algo = _gds_algorithm(measure)
    return (
        f"CALL {algo['procedure']}.stream($graph, {_config(algo['config'])}) YIELD nodeId, {algo['yield']} "
        f"RETURN gds.util.asNode(nodeId).id AS id, {algo['yield']} AS value"
    )


def gds_write(measure: str) -> str:
    """Write one measure from the projection ``$graph`` back as the Author property ``$property``."""
    algo = _gds_algorithm(measure)
    config = {**algo["config"], "writeProperty": "$property"}
    return (
        f"CALL {algo['procedure']}.write($graph, {_config(config)}) YIELD nodePropertiesWritten "
        "RETURN nodePropertiesWritten AS written"
    )


def sum_node_property(label: str, prop: str) -> str:
    """The sum of one numeric property over a label's nodes (PageRank's scale after a GDS write).

    >>> sum_node_property("Author", "pagerank")
    'MATCH (n:Author) RETURN sum(n.`pagerank`) AS total'
    """
    return f"MATCH (n:{_label(label)}) RETURN sum(n.{identifier(prop)}) AS total"


def scale_node_property(label: str, prop: str) -> str:
    """Multiply one numeric property by ``$factor`` where it is set (GDS scores onto graphkit's scale)."""
    p = identifier(prop)
    return f"MATCH (n:{_label(label)}) WHERE n.{p} IS NOT NULL SET n.{p} = n.{p} * $factor"


def gds_read_back(props: list[str]) -> str:
    """Authors with the named (written-back) properties, for the table the CLI prints."""
    columns = "".join(f", a.{identifier(p)} AS {identifier(p)}" for p in props)
    return f"MATCH (a:Author) RETURN a.id AS id, a.name AS name{columns}"


# ---------------------------------------------------------------- catalogue

_EXAMPLE_VALUES = {
    "STRING": "x", "STRING[]": ["x"], "BOOLEAN": True, "INT64": 1, "DOUBLE": 0.5, "DATE": _dt.date(2024, 1, 1),
}
# The measures `graphkit centrality --write-back` stores, with their column types.
WRITE_BACK_KINDS = {"degree": "INT64", "weighted_degree": "DOUBLE", "betweenness": "DOUBLE", "pagerank": "DOUBLE",
                    "core_number": "INT64", "community": "INT64"}


def _example_row(types: dict[str, str]) -> dict[str, Any]:
    return {name: _EXAMPLE_VALUES.get(kind, "x") for name, kind in types.items()}


def statements(dialect: Dialect) -> list[Statement]:
    """Every statement graphkit sends in ``dialect``, each named, with example parameters.

    Names are the same in both dialects where the statement exists in both
    (``path-shortest``), so the two forms can be shown side by side.
    """
    out: list[Statement] = []

    def add(name: str, purpose: Purpose, text: str, **params: Any) -> None:
        out.append(Statement(name=name, dialect=dialect, purpose=purpose, text=text, parameters=params))

    for i, text in enumerate(schema_statements(dialect)):
        add(f"schema-{i + 1}", "schema", text)
    for label, types in NODE_PROPERTIES.items():
        if dialect == "embedded":  # a full build bulk-loads each table from staged Parquet
            add(f"copy-node-{label}", "load", copy_from(label, f"'/tmp/staging/{label}.parquet'"))
        add(f"load-node-{label}", "load", merge_nodes(label, types, dialect), rows=[_example_row(types)])
    for rel_type, pairs in REL_ENDPOINTS.items():
        for a, b in pairs:
            props = rel_properties(rel_type, a)
            row = {"source": "x", "target": "y", **_example_row(props)}
            if dialect == "embedded":
                add(f"copy-rel-{rel_type}-{a}-{b}", "load",
                    copy_from(rel_type, f"'/tmp/staging/{rel_type}-{a}-{b}.parquet'", from_label=a, to_label=b))
            add(f"load-rel-{rel_type}-{a}-{b}", "load", merge_rels(rel_type, a, b, props, dialect), rows=[row])
            add(f"count-rel-{rel_type}-{a}-{b}", "read", count_rels(rel_type, a, b))
            add(f"read-rel-{rel_type}-{a}-{b}", "read", read_rels(rel_type, a, b, list(props)))
            if dialect == "neo4j":
                add(f"prune-pairs-{rel_type}-{a}-{b}", "prune", rel_pairs(rel_type, a, b))
                add(f"prune-rel-{rel_type}-{a}-{b}", "prune", prune_rels(rel_type, a, b), pairs=[{"s": "x", "t": "y"}])
    for label, types in NODE_PROPERTIES.items():
        add(f"count-node-{label}", "read", count_nodes(label))
        if dialect == "neo4j":
            add(f"read-node-{label}", "read", node_maps(label))
            add(f"prune-ids-{label}", "prune", node_ids(label))
            add(f"prune-node-{label}", "prune", prune_nodes(label), ids=["x"])
        else:
            add(f"read-node-{label}", "read", read_nodes(label, list(types)))
            add(f"columns-{label}", "read", column_info(label))
    for prop, kind in WRITE_BACK_KINDS.items():
        for i, text in enumerate(add_property_statements(dialect, "Author", prop, kind)):
            add(f"write-back-column-{prop}" + (f"-{i + 1}" if i else ""), "write-back", text)
        add(f"write-back-{prop}", "write-back", set_node_property("Author", prop, kind, dialect),
            rows=[{"id": "x", "value": _EXAMPLE_VALUES[kind]}])
    add("read-authors", "read", authors())
    add("read-author-names", "read", author_names())
    add("read-coauthor-edges", "read", coauthor_edges())
    add("read-author-affiliations", "read", author_affiliations())
    add("path-shortest", "read", shortest_path(dialect), source="author:a", target="author:b")
    add("guard-explain", "guard", explain(authors()))  # both stores plan a user's query before running it
    if dialect == "neo4j":
        add("gds-project", "gds", gds_project(), graph=GDS_GRAPH)
        for measure in GDS_ALGORITHMS:
            params = {k: v for k, v in _GDS_EXAMPLE_PARAMS.items() if f"${k}" in gds_write(measure) + gds_stream(measure)}
            stream_params = {k: v for k, v in params.items() if f"${k}" in gds_stream(measure)}
            add(f"gds-{measure}-stream", "gds", gds_stream(measure), **stream_params)
            add(f"gds-{measure}-write", "gds", gds_write(measure), **params)
        for prop in ("pagerank", "betweenness"):
            add(f"gds-sum-{prop}", "gds", sum_node_property("Author", prop))
            add(f"gds-scale-{prop}", "gds", scale_node_property("Author", prop), factor=0.5)
        add("gds-read-back", "gds", gds_read_back(list(WRITE_BACK_KINDS)))
        add("gds-drop", "gds", gds_drop(), graph=GDS_GRAPH)
    return out
