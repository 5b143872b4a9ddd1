"""Projections of the knowledge graph, built in one place.

- :func:`coauthor_table`: Newman-weighted co-author pairs from authorships
  (what the build stores as COAUTHORED);
- :func:`affiliation_table`: Author -> Institution links with paper counts and years;
- :func:`coauthor_graph`: the undirected weighted co-author graph;
- :func:`institution_graph`: institutions joined by the papers listing both;
- :func:`main_institutions`: each author's institution listed on most of their papers.

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

__all__ = ["affiliation_table", "coauthor_graph", "coauthor_table", "institution_graph", "main_institutions"]

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


def main_institutions(source: nx.MultiDiGraph | GraphTables) -> dict[str, str]:
    """Each author's institution (its name) listed on most of their papers; ties go to the first seen."""
    best: dict[str, tuple[int, str]] = {}

    def offer(author: str, name: str, papers) -> None:
        if (papers or 0) > best.get(author, (0, ""))[0]:
            best[author] = (papers, name)

    if isinstance(source, nx.Graph):
        for u, v, key, d in source.edges(keys=True, data=True):
            if key == "AFFILIATED_WITH" and source.nodes[u].get("label") == "Author":
                offer(u, source.nodes[v].get("name", v), d.get("papers"))
    else:
        table = source.node_table("Institution")
        names = dict(zip(table.values("id"), table.values("name")))
        aff = source.rel_table("AFFILIATED_WITH", "Author")
        for author, inst, papers in zip(aff.values("source"), aff.values("target"), aff.values("papers")):
            offer(author, names.get(inst, inst), papers)
    return {a: name for a, (_, name) in best.items()}
