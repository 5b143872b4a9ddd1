"""Projections of the knowledge graph, built in one place.

- :func:`coauthor_table`: Newman-weighted co-author pairs from authorships
  (what the build stores as COAUTHORED);
- :func:`affiliation_table`: Author -> Institution links with paper counts and years;
- :func:`coauthor_graph`: the undirected weighted co-author graph;
- :func:`institution_graph`: institutions joined by the papers listing both;
- :func:`main_institutions`: each author's institution listed on most of their papers;
- :func:`tables_subgraph`: the co-author graph of some authors, picked from the tables' arrays.

Each graph function takes either the knowledge graph (a ``networkx.MultiDiGraph``)
or its :class:`~graphkit.tables.GraphTables`.

>>> import pandas as pd
>>> pairs = coauthor_table(pd.DataFrame({"author": ["a", "b", "c"], "paper": ["p", "p", "p"]}), pd.Series({"p": 2020.0}))
>>> pairs[["a", "b", "weight"]].values.tolist()
[['a', 'b', 0.5], ['a', 'c', 0.5], ['b', 'c', 0.5]]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from graphkit.tables import GraphTables

__all__ = [
    "affiliation_table", "coauthor_graph", "coauthor_table", "column", "institution_graph", "main_institutions",
    "subgraph_rows", "tables_subgraph",
]

_PAIR_COLUMNS = ["a", "b", "papers", "weight", "first_year", "last_year"]


def coauthor_table(authorship: pd.DataFrame, years: pd.Series, *, max_authors: int | None = None) -> pd.DataFrame:
    """Newman-weighted co-author pairs from an ``author, paper`` table.

    One row per pair ``a < b`` with ``papers`` (shared papers), ``weight``
    (sum over shared papers of 1/(n-1), n = the paper's known authors, as in
    ``networkx.algorithms.bipartite.collaboration_weighted_projected_graph``)
    and ``first_year``/``last_year``. Vectorised: papers are grouped by their
    number of authors and all pairs of a group are formed at once. Papers
    with more than ``max_authors`` authors (hyperauthorship) form no pairs.
    """
    if authorship.empty:
        return pd.DataFrame(columns=_PAIR_COLUMNS)
    authors, author_codes = pd.factorize(authorship["author"], sort=True)
    papers, paper_codes = pd.factorize(authorship["paper"])
    order = np.lexsort((authors, papers))
    authors, papers = authors[order], papers[order]
    starts = np.flatnonzero(np.r_[True, papers[1:] != papers[:-1]])
    sizes = np.diff(np.r_[starts, len(papers)])
    paper_years = years.reindex(paper_codes).to_numpy()
    chunks = []
    for n in np.unique(sizes):
        if n < 2 or (max_authors is not None and n > max_authors):
            continue
        first = starts[sizes == n]
        block = authors[first[:, None] + np.arange(n)]  # one row per paper, authors sorted
        i, j = np.triu_indices(n, k=1)
        a, b = block[:, i].ravel(), block[:, j].ravel()
        year = np.repeat(paper_years[papers[first]], len(i))
        chunks.append(pd.DataFrame({"a": a, "b": b, "w": 1.0 / (n - 1), "year": year}))
    if not chunks:
        return pd.DataFrame(columns=_PAIR_COLUMNS)
    pairs = pd.concat(chunks, ignore_index=True)
    table = pairs.groupby(["a", "b"], sort=True).agg(
        papers=("w", "size"), weight=("w", "sum"), first_year=("year", "min"), last_year=("year", "max")
    ).reset_index()
    # ids stay in pandas' compact string arrays: no Python string per row
    table["a"] = pd.Series(author_codes.take(table["a"].to_numpy()), index=table.index)
    table["b"] = pd.Series(author_codes.take(table["b"].to_numpy()), index=table.index)
    return table[_PAIR_COLUMNS]


def affiliation_table(links: pd.DataFrame, years: pd.Series) -> pd.DataFrame:
    """Author -> Institution rows from ``author, paper, institution`` links.

    ``papers`` counts the author's papers tying them to the institution;
    ``first_year``/``last_year`` span those papers.

    >>> links = pd.DataFrame({"author": ["a", "a"], "paper": ["p", "q"], "institution": ["i", "i"]})
    >>> affiliation_table(links, pd.Series({"p": 2020.0, "q": 2022.0})).values.tolist()
    [['a', 'i', 2, 2020.0, 2022.0]]
    """
    columns = ["author", "institution", "papers", "first_year", "last_year"]
    if links.empty:
        return pd.DataFrame(columns=columns)
    links = links.assign(year=years.reindex(links["paper"]).to_numpy())
    return links.groupby(["author", "institution"], sort=True).agg(
        papers=("paper", "nunique"), first_year=("year", "min"), last_year=("year", "max")
    ).reset_index()[columns]


def coauthor_graph(source: nx.MultiDiGraph | GraphTables) -> nx.Graph:
    """The undirected weighted co-author graph.

    Nodes are the authors (with their properties when given the knowledge
    graph, their ``name`` when given tables); edges carry ``papers``,
    ``weight``, ``first_year`` and ``last_year``. Authors without co-authors
    stay in as isolated nodes.
    """
    H = nx.Graph()
    if isinstance(source, nx.Graph):
        H.add_nodes_from((n, d) for n, d in source.nodes(data=True) if d.get("label") == "Author")
        H.add_edges_from(
            (u, v, {k: val for k, val in d.items() if k != "type"})
            for u, v, key, d in source.edges(keys=True, data=True)
            if key == "COAUTHORED"
        )
        return H
    authors = source.node_table("Author")
    H.add_nodes_from((i, {"label": "Author", "name": n}) for i, n in zip(authors.values("id"), authors.values("name")))
    co = source.rel_table("COAUTHORED", "Author")
    cols = {p: co.values(p) for p in ("papers", "weight", "first_year", "last_year")}
    H.add_edges_from(
        (u, v, {p: cols[p][i] for p in cols}) for i, (u, v) in enumerate(zip(co.values("source"), co.values("target")))
    )
    return H


def institution_graph(source: nx.MultiDiGraph | GraphTables) -> nx.Graph:
    """Institutions joined by the papers that list both; edge ``papers`` and ``weight``.

    ``weight`` is the Newman weight over papers (1/(k-1) for a paper listing
    k institutions), from networkx's bipartite projection.
    """
    papers_to_inst = nx.Graph()
    if isinstance(source, nx.Graph):
        institutions = {n: d for n, d in source.nodes(data=True) if d.get("label") == "Institution"}
        links = [(u, v) for u, v, key in source.edges(keys=True)
                 if key == "AFFILIATED_WITH" and source.nodes[u].get("label") == "Paper"]
    else:
        table = source.node_table("Institution")
        names = list(table.types)
        institutions = {row["id"]: {"label": "Institution", **row} for row in
                        (dict(zip(names, values)) for values in zip(*(table.values(n) for n in names)))}
        aff = source.rel_table("AFFILIATED_WITH", "Paper")
        links = list(zip(aff.values("source"), aff.values("target")))
    papers_to_inst.add_nodes_from(institutions)
    papers_to_inst.add_edges_from(links)
    projected = nx.bipartite.collaboration_weighted_projected_graph(papers_to_inst, list(institutions))
    H = nx.Graph()
    H.add_nodes_from(institutions.items())
    for u, v, d in projected.edges(data=True):
        shared = len(set(papers_to_inst[u]) & set(papers_to_inst[v]))
        H.add_edge(u, v, papers=shared, weight=d["weight"])
    return H


def column(table, name: str) -> pd.Series:
    """A table's column as a pandas Series indexed by row position (no Python value per row for NumPy columns).

    >>> from graphkit.tables import Table
    >>> column(Table("node", "Author", None, None, {"id": "STRING"}, {"id": ["a", "b"]}), "id").tolist()
    ['a', 'b']
    """
    values = table.columns[name]
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    return pd.Series(values, dtype=object)


def _python_values(table, name: str, rows: np.ndarray) -> list:
    """``table.values(name)`` at row positions ``rows``: Python values, None where missing."""
    values = table.columns[name]
    if not isinstance(values, pd.Series):
        return [values[i] for i in rows.tolist()]
    part = values.iloc[rows].tolist()
    kind = table.types[name]
    if kind == "INT64":
        return [None if v != v else int(v) for v in part]
    if kind == "DOUBLE":
        return [None if v != v else float(v) for v in part]
    return [None if v is None or v != v else v for v in part]


def tables_subgraph(tables: GraphTables, authors) -> nx.Graph:
    """The co-author graph on ``authors`` only, as :func:`coauthor_graph` of the tables restricted to them.

    Nodes keep the Author table's order and edges run from the earlier author
    to the later in that order, sorted by both (so communities and layouts do
    not depend on the order ``authors`` come in); self-loops are left out.
    Only the chosen rows become Python objects.

    >>> from graphkit.tables import GraphTables, Table
    >>> t = GraphTables([Table("node", "Author", None, None, {"id": "STRING", "name": "STRING"},
    ...                        {"id": ["a", "b", "c"], "name": ["A", "B", "C"]})],
    ...                 [Table("rel", "COAUTHORED", "Author", "Author", {"source": "STRING", "target": "STRING",
    ...                        "papers": "INT64", "weight": "DOUBLE", "first_year": "INT64", "last_year": "INT64"},
    ...                        {"source": ["b", "a"], "target": ["c", "b"], "papers": [1, 2], "weight": [1.0, 2.0],
    ...                         "first_year": [None, 2020], "last_year": [None, 2021]})])
    >>> H = tables_subgraph(t, ["b", "a"])
    >>> list(H.nodes(data="name")), list(H.edges(data="papers"))
    ([('a', 'A'), ('b', 'B')], [('a', 'b', 2)])
    """
    node_ids, names, x, y, props, cols = subgraph_rows(tables, authors)
    H = nx.Graph()
    H.add_nodes_from((i, {"label": "Author", "name": n}) for i, n in zip(node_ids, names))
    ends = [node_ids[i] for i in x.tolist()], [node_ids[i] for i in y.tolist()]
    H.add_edges_from((u, v, dict(zip(props, values))) for u, v, *values in zip(*ends, *cols))
    return H


def subgraph_rows(tables: GraphTables, authors) -> tuple[list, list, np.ndarray, np.ndarray, list[str], list[list]]:
    """What :func:`tables_subgraph` builds its graph from: ``(ids, names, x, y, properties, columns)``.

    ``x[i] < y[i]`` index ``ids`` (the kept authors in the Author table's order)
    for the ``i``-th edge, sorted by ``(x, y)``; ``columns`` holds the edges'
    ``properties`` as Python values. (networkx yields the graph's edges in this
    very order, so per-edge arrays need no pass over the graph.)
    """
    author_table = tables.node_table("Author")
    co = tables.rel_table("COAUTHORED", "Author")
    ids, a, b = tables.coauthor_positions()
    kept = np.zeros(len(ids), dtype=bool)
    at = ids.get_indexer(pd.Index(list(authors)))
    kept[at[at >= 0]] = True
    x, y = np.minimum(a, b), np.maximum(a, b)
    mask = (x >= 0) & (x != y)
    mask[mask] = kept[x[mask]] & kept[y[mask]]
    rows = np.flatnonzero(mask)
    rows = rows[np.lexsort((y[rows], x[rows]))]
    nodes = np.flatnonzero(kept)
    position = np.cumsum(kept) - 1
    props = [p for p in ("papers", "weight", "first_year", "last_year") if p in co.columns]
    cols = [_python_values(co, p, rows) for p in props]
    return ids[nodes].tolist(), _python_values(author_table, "name", nodes), position[x[rows]], position[y[rows]], props, cols


def main_institutions(source: nx.MultiDiGraph | GraphTables, *, authors=None) -> dict[str, str]:
    """Each author's institution (its name) listed on most of their papers; ties go to the first seen.

    ``authors``: only these authors (tables only; a group-by over their rows).
    """
    if not isinstance(source, nx.Graph):
        return _tables_main_institutions(source, authors)
    best: dict[str, tuple[int, str]] = {}
    for u, v, key, d in source.edges(keys=True, data=True):
        if key == "AFFILIATED_WITH" and source.nodes[u].get("label") == "Author":
            papers = d.get("papers")
            if (papers or 0) > best.get(u, (0, ""))[0]:
                best[u] = (papers, source.nodes[v].get("name", v))
    return {a: name for a, (_, name) in best.items()}


def _tables_main_institutions(tables: GraphTables, authors) -> dict[str, str]:
    aff = tables.rel_table("AFFILIATED_WITH", "Author")
    if not len(aff):
        return {}
    links = pd.DataFrame({"author": column(aff, "source"), "institution": column(aff, "target"),
                          "papers": pd.to_numeric(column(aff, "papers"), errors="coerce")})
    links = links[(links["papers"] > 0).to_numpy()]  # an institution counts from one paper on
    if authors is not None:
        links = links[links["author"].isin(pd.Index(authors))]
    if links.empty:
        return {}
    best = links.loc[links.groupby("author", sort=False)["papers"].idxmax()]  # idxmax: the first of the largest
    table = tables.node_table("Institution")
    names = dict(zip(table.values("id"), table.values("name")))
    return {a: names.get(i, i) for a, i in zip(best["author"].tolist(), best["institution"].tolist())}
