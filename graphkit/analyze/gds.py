"""Centrality on the server: Neo4j Graph Data Science instead of networkx/igraph.

When the graph lives in Neo4j and outgrows one machine's memory, the heavy
measures run where the data is. :func:`gds_centrality_table` projects the
co-author graph into GDS (a Cypher projection: every author, COAUTHORED as
undirected relationships carrying the Newman ``weight``), runs one GDS
procedure per measure, and drops the projection again, also when a procedure
fails. It returns the same table as
:func:`graphkit.analyze.centrality_table` (``id``, ``name``, one column per
measure, sorted by the first) and, with ``write_back=True``, leaves the values
on the Author nodes under the same property names as
``graphkit centrality --write-back`` and on the same scales.

Measures and the GDS procedure behind each (statements in
:mod:`graphkit.store.cypher`, checked by Neo4j's front end):

============== ==================== ==========================================
measure        procedure            as graphkit computes it
============== ==================== ==========================================
degree         gds.degree           number of co-authors (int)
weighted_degree gds.degree (weight) sum of Newman weights
pagerank       gds.pageRank         weighted by Newman weight, damping 0.85;
                                    scaled to sum 1 as networkx does
betweenness    gds.betweenness      exact, normalised as networkx does; or
                                    sampled from ``k`` sources (GDS's estimate,
                                    not extrapolated: compare rankings)
core_number    gds.kcore            k-core number (int)
community      gds.louvain          Louvain on Newman weights (int id)
leiden         gds.leiden           Leiden on Newman weights, seeded (int id)
============== ==================== ==========================================

Values agree with networkx's definitions up to each algorithm's tolerance;
community ids are labels (their numbering differs from igraph's).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import pandas as pd

from graphkit.exceptions import AnalysisError, GraphkitError
from graphkit.store import cypher

__all__ = ["GDS_MEASURES", "gds_centrality_table"]

GDS_MEASURES = ("degree", "weighted_degree", "betweenness", "pagerank", "core_number", "community", "leiden")
_INTEGER = {"degree", "core_number", "community", "leiden"}


def gds_centrality_table(
    store,
    measures: Sequence[str] = ("degree", "betweenness", "pagerank"),
    *,
    k: int | None = None,
    seed: int = 0,
    write_back: bool = False,
    max_iterations: int = 100,
    damping_factor: float = 0.85,
    tolerance: float = 1e-7,
) -> pd.DataFrame:
    """Measures computed by GDS on a :class:`~graphkit.store.neo4j.Neo4jStore`; one row per author.

    Parameters
    ----------
    store : Neo4jStore
        A Neo4j 5 server with the Graph Data Science plugin (docker-compose.yml starts one).
    measures : sequence of str
        Any of :data:`GDS_MEASURES`; the table is sorted by the first.
    k : int, optional
        Sample betweenness from ``k`` source authors (exact when None).
    seed : int
        Seed for sampled betweenness and Leiden.
    write_back : bool
        Write each measure onto the Author nodes (``gds.<algo>.write``) under its
        measure name instead of streaming it; the table is then read back from them.

    Examples
    --------
    Without a server this fails in seconds with a one-line reason:

    >>> from graphkit.store.neo4j import Neo4jStore
    >>> gds_centrality_table(Neo4jStore("bolt://127.0.0.1:9"), ["pagerank"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graphkit.exceptions.ConnectionFailed: cannot reach Neo4j at bolt://127.0.0.1:9: ...
    """
    unknown = [m for m in measures if m not in GDS_MEASURES]
    if unknown:
        raise ValueError(f"measure(s) {', '.join(unknown)} have no GDS engine; choose from {', '.join(GDS_MEASURES)}")
    if getattr(store, "dialect", None) != "neo4j":
        raise AnalysisError("the GDS engine runs on a Neo4j server: pass --neo4j URI (or a Neo4jStore)")
    store.check()
    graph = f"{cypher.GDS_GRAPH}-{uuid.uuid4().hex[:8]}"  # concurrent runs never share a projection
    settings = {"damping_factor": damping_factor, "max_iterations": max_iterations, "tolerance": tolerance,
                "sampling_size": k, "seed": seed}
    try:
        projected = store.run(cypher.gds_project(), {"graph": graph})
    except GraphkitError as exc:
        raise AnalysisError(f"GDS projection failed (is the graph-data-science plugin installed?): {exc}") from None
    n = projected[0]["nodes"] if projected else 0
    columns: dict[str, dict[str, Any]] = {}
    try:
        for measure in measures:
            algorithm = "betweenness_sampled" if measure == "betweenness" and k is not None else measure
            if write_back:
                statement = cypher.gds_write(algorithm)
                store.run(statement, _params(statement, graph, settings, prop=measure))
            else:
                statement = cypher.gds_stream(algorithm)
                rows = store.run(statement, _params(statement, graph, settings))
                columns[measure] = {row["id"]: row["value"] for row in rows}
    finally:
        store.run(cypher.gds_drop(), {"graph": graph})
    if not write_back:
        names = {row["id"]: row["name"] for row in store.run(cypher.authors())}
        for measure in measures:
            columns[measure] = _rescale(measure, columns[measure], n)
        return _table(names, columns, measures)
    for measure in measures:  # the stored values on graphkit's scales too, as the local --write-back leaves them
        if measure == "pagerank":
            total = store.run(cypher.sum_node_property("Author", measure))[0]["total"]
            factor = 1 / total if total else 1.0
        elif measure == "betweenness":
            factor = _betweenness_factor(n)
        else:
            continue
        store.run(cypher.scale_node_property("Author", measure), {"factor": factor})
    rows = store.run(cypher.gds_read_back(list(measures)))
    columns = {m: {row["id"]: row[m] for row in rows} for m in measures}
    return _table({row["id"]: row["name"] for row in rows}, columns, measures)


def _params(statement: str, graph: str, settings: dict[str, Any], *, prop: str | None = None) -> dict[str, Any]:
    """The parameters one catalogue statement takes."""
    values = {"graph": graph, "property": prop, **settings}
    return {name: value for name, value in values.items() if f"${name}" in statement}


def _betweenness_factor(n: int) -> float:
    # GDS counts each unordered pair once on an undirected graph, as networkx's
    # unnormalised score does; graphkit reports networkx's normalised form.
    return 2 / ((n - 1) * (n - 2)) if n > 2 else 1.0


def _rescale(measure: str, values: dict[str, Any], n: int) -> dict[str, Any]:
    """Streamed GDS values on graphkit's scales (networkx's definitions)."""
    if measure in _INTEGER:
        return {k: None if v is None else int(v) for k, v in values.items()}
    if measure == "betweenness":
        factor = _betweenness_factor(n)
        return {k: None if v is None else float(v) * factor for k, v in values.items()}
    if measure == "pagerank":  # GDS's scores sum to about the number of nodes; networkx's to 1
        total = sum(v for v in values.values() if v is not None)
        return {k: None if v is None else float(v) / total if total else float(v) for k, v in values.items()}
    return {k: None if v is None else float(v) for k, v in values.items()}


def _table(names: dict[str, str], columns: dict[str, dict], measures: Sequence[str]) -> pd.DataFrame:
    """The centrality table: ``id``, ``name``, a column per measure, sorted by the first."""
    ids = sorted(names)
    frame = pd.DataFrame({"id": ids, "name": [names[i] for i in ids]})
    for measure in measures:
        values = columns.get(measure, {})
        column = [values.get(i) for i in ids]
        if measure in _INTEGER:
            column = [None if v is None else int(v) for v in column]
        frame[measure] = column
    if measures:
        frame = frame.sort_values([measures[0], "id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return frame
