"""Analyze stage: pure functions over networkx graphs.

Results are dicts keyed by node id, or pandas DataFrames with ``id``, ``name``
and one column per measure (:func:`centrality_table`). Heavy measures run on
igraph's C core when it is installed, with networkx's definitions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx
import pandas as pd

from graphkit.analyze._compiled import HAVE_IGRAPH, igraph_view, use_compiled
from graphkit.analyze.centrality import (
    betweenness,
    closeness,
    degree,
    eigenvector,
    harmonic,
    pagerank,
    weighted_degree,
)
from graphkit.analyze.defaults import author_centrality
from graphkit.analyze.paths import collaboration_path, ego_network, find_author
from graphkit.analyze.structure import (
    clustering,
    communities,
    connected_components,
    constraint,
    core_number,
    graph_stats,
    largest_component,
    triangles,
)
from graphkit.analyze.temporal import yearly_growth

__all__ = [
    "ALL_MEASURES",
    "DEFAULT_MEASURES",
    "HAVE_IGRAPH",
    "author_centrality",
    "betweenness",
    "centrality_table",
    "closeness",
    "clustering",
    "collaboration_path",
    "communities",
    "connected_components",
    "constraint",
    "core_number",
    "degree",
    "ego_network",
    "eigenvector",
    "find_author",
    "graph_stats",
    "harmonic",
    "largest_component",
    "load_coauthor_graph",
    "pagerank",
    "triangles",
    "weighted_degree",
    "write_back",
    "yearly_growth",
]

ALL_MEASURES = (
    "degree", "weighted_degree", "betweenness", "closeness", "harmonic", "eigenvector", "pagerank",
    "core_number", "clustering", "constraint", "community", "leiden",
)
DEFAULT_MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "harmonic", "eigenvector", "pagerank")


def centrality_table(
    G: nx.Graph,
    measures: Sequence[str] = DEFAULT_MEASURES,
    *,
    k: int | None = None,
    seed: int = 0,
    backend: str = "auto",
) -> pd.DataFrame:
    """One row per author: ``id``, ``name`` and a column per measure, sorted by the first measure.

    ``k`` samples betweenness from ``k`` sources (exact when None). The
    graph is converted to igraph once for all compiled measures.

    >>> H = nx.Graph([("a", "b"), ("b", "c")])
    >>> centrality_table(H, ["degree", "betweenness"])[["id", "degree", "betweenness"]].values.tolist()
    [['b', 2, 1.0], ['a', 1, 0.0], ['c', 1, 0.0]]
    """
    unknown = [m for m in measures if m not in ALL_MEASURES]
    if unknown:
        raise ValueError(f"unknown measure(s) {', '.join(unknown)}; choose from {', '.join(ALL_MEASURES)}")
    weighted = any(d.get("weight") is not None for _, _, d in G.edges(data=True))
    weight = "weight" if weighted else None
    view = igraph_view(G) if use_compiled(backend) and G.number_of_nodes() else None
    kw = {"backend": backend, "view": view} if view is not None else {"backend": "networkx"}
    columns: dict[str, dict] = {}
    for measure in measures:
        if measure == "degree":
            columns[measure] = degree(G)
        elif measure == "weighted_degree":
            columns[measure] = weighted_degree(G, weight=weight) if weight else degree(G)
        elif measure == "betweenness":
            columns[measure] = betweenness(G, k=k, seed=seed, **kw)
        elif measure == "closeness":
            columns[measure] = closeness(G, **kw)
        elif measure == "harmonic":
            columns[measure] = harmonic(G, **kw)
        elif measure == "eigenvector":
            columns[measure] = eigenvector(G, weight=weight)
        elif measure == "pagerank":
            columns[measure] = pagerank(G, weight=weight)
        elif measure == "core_number":
            columns[measure] = core_number(G, **kw)
        elif measure == "clustering":
            columns[measure] = clustering(G, **kw)
        elif measure == "constraint":
            columns[measure] = constraint(G, backend=kw["backend"], view=view)
        elif measure in ("community", "leiden"):  # Louvain's communities, or Leiden's (leidenalg), largest first
            method = "leiden" if measure == "leiden" else "louvain"
            parts = communities(G, method=method, weight=weight, seed=seed, backend=backend)
            columns[measure] = {n: i for i, part in enumerate(parts) for n in part}
    nodes = list(G)
    frame = pd.DataFrame({"id": nodes, "name": [G.nodes[n].get("name", n) for n in nodes]})
    for measure, values in columns.items():
        frame[measure] = [values.get(n) for n in nodes]
    if measures:
        frame = frame.sort_values([measures[0], "id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return frame


def load_coauthor_graph(store) -> nx.Graph:
    """The weighted co-author graph straight from a store: authors (with their main
    institution, the one most of their papers list) and COAUTHORED edges."""
    import contextlib

    from graphkit.store import cypher  # the statements live in the catalogue

    with getattr(store, "graphkit_schema", contextlib.nullcontext)():
        return _coauthor_graph(store, cypher)


def _coauthor_graph(store, cypher) -> nx.Graph:
    H = nx.Graph()
    for row in store.query(cypher.authors()):
        H.add_node(row["id"], label="Author", name=row["name"])
    rows = store.query(cypher.coauthor_edges())
    H.add_edges_from((r["a"], r["b"], {k: r[k] for k in ("papers", "weight", "first_year", "last_year")}) for r in rows)
    main: dict = {}
    for r in store.query(cypher.author_affiliations()):
        if (r["papers"] or 0) > main.get(r["a"], (0, ""))[0]:
            main[r["a"]] = (r["papers"], r["name"])
    for author, (_, name) in main.items():
        H.nodes[author]["institution"] = name
    return H


def write_back(store, table: pd.DataFrame, *, label: str = "Author") -> int:
    """Store measure columns as node properties so Cypher can sort by them; NaN becomes null."""
    values = {}
    for column in table.columns:
        if column in ("id", "name"):
            continue
        values[column] = {
            node: (None if isinstance(v, float) and math.isnan(v) else (v.item() if hasattr(v, "item") else v))
            for node, v in zip(table["id"], table[column])
        }
    return store.set_node_properties(label, values)
