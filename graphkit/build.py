"""Build stage: entities in, the knowledge graph and its projections out.

The knowledge graph is a ``networkx.MultiDiGraph`` following the contract in
:mod:`graphkit.schema`: every node has ``label`` plus the label's properties;
every edge is keyed by its relationship type and carries ``type`` plus the
type's properties. COAUTHORED runs from the smaller author id to the larger.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.resolve import Resolution

__all__ = ["build_graph", "coauthor_graph", "coauthor_table", "graph_counts", "institution_graph", "nodes_with_label"]


def build_graph(res: Resolution) -> nx.MultiDiGraph:
    """The knowledge graph of a resolution, with COAUTHORED and author affiliations derived.

    >>> from graphkit.models import PaperRecord
    >>> from graphkit.resolve import resolve
    >>> rec = PaperRecord(owner=None, title="T", year=2020, authors=("A B", "C D", "E F"), institutions=("cmu",), source="x", line=1)
    >>> G = build_graph(resolve([], [rec]))
    >>> sorted(G.nodes[n]["label"] for n in G)
    ['Author', 'Author', 'Author', 'Institution', 'Paper']
    >>> G.edges["author:a-b", "author:c-d", "COAUTHORED"]["weight"]
    0.5
    """
    G = nx.MultiDiGraph()
    for label, entities in (("Author", res.authors), ("Paper", res.papers), ("Institution", res.institutions)):
        G.add_nodes_from((e.id, {"label": label, **dataclasses.asdict(e)}) for e in entities.values())
    G.add_edges_from(
        (a.author_id, a.paper_id, "AUTHORED", {"type": "AUTHORED", "position": a.position, "inferred": a.inferred})
        for a in res.authorships
    )
    G.add_edges_from((p, i, "AFFILIATED_WITH", {"type": "AFFILIATED_WITH"}) for p, i in res.paper_institutions)
    authorship = pd.DataFrame(
        {"author": [a.author_id for a in res.authorships], "paper": [a.paper_id for a in res.authorships]}
    )
    years = pd.Series({p.id: p.year for p in res.papers.values()}, dtype="float64")
    for row in _author_affiliations(authorship, res.paper_institutions, years).itertuples(index=False):
        G.add_edge(row.author, row.institution, "AFFILIATED_WITH", type="AFFILIATED_WITH", papers=int(row.papers),
                   first_year=_int_or_none(row.first_year), last_year=_int_or_none(row.last_year))
    for row in coauthor_table(authorship, years).itertuples(index=False):
        G.add_edge(row.a, row.b, "COAUTHORED", type="COAUTHORED", papers=int(row.papers), weight=float(row.weight),
                   first_year=_int_or_none(row.first_year), last_year=_int_or_none(row.last_year))
    return G


def _int_or_none(value) -> int | None:
    return None if value is None or value != value else int(value)


def coauthor_table(authorship: pd.DataFrame, years: pd.Series) -> pd.DataFrame:
    """Newman-weighted co-author pairs from an ``author, paper`` table.

    One row per pair ``a < b`` with ``papers`` (shared papers), ``weight``
    (sum over shared papers of 1/(n-1), n = the paper's known authors, as in
    ``networkx.algorithms.bipartite.collaboration_weighted_projected_graph``)
    and ``first_year``/``last_year``. Vectorised: papers are grouped by their
    number of authors and all pairs of a group are formed at once.
    """
    columns = ["a", "b", "papers", "weight", "first_year", "last_year"]
    if authorship.empty:
        return pd.DataFrame(columns=columns)
    authors, author_codes = pd.factorize(authorship["author"], sort=True)
    papers, paper_codes = pd.factorize(authorship["paper"])
    order = np.lexsort((authors, papers))
    authors, papers = authors[order], papers[order]
    starts = np.flatnonzero(np.r_[True, papers[1:] != papers[:-1]])
    sizes = np.diff(np.r_[starts, len(papers)])
    paper_years = years.reindex(paper_codes).to_numpy()
    chunks = []
    for n in np.unique(sizes):
        if n < 2:
            continue
        first = starts[sizes == n]
        block = authors[first[:, None] + np.arange(n)]  # one row per paper, authors sorted
        i, j = np.triu_indices(n, k=1)
        a, b = block[:, i].ravel(), block[:, j].ravel()
        year = np.repeat(paper_years[papers[first]], len(i))
        chunks.append(pd.DataFrame({"a": a, "b": b, "w": 1.0 / (n - 1), "year": year}))
    if not chunks:
        return pd.DataFrame(columns=columns)
    pairs = pd.concat(chunks, ignore_index=True)
    table = pairs.groupby(["a", "b"], sort=True).agg(
        papers=("w", "size"), weight=("w", "sum"), first_year=("year", "min"), last_year=("year", "max")
    ).reset_index()
    table["a"] = author_codes[table["a"].to_numpy()]
    table["b"] = author_codes[table["b"].to_numpy()]
    return table[columns]


def _author_affiliations(authorship: pd.DataFrame, paper_institutions: list[tuple[str, str]], years: pd.Series) -> pd.DataFrame:
    links = pd.DataFrame(paper_institutions, columns=["paper", "institution"])
    if links.empty or authorship.empty:
        return pd.DataFrame(columns=["author", "institution", "papers", "first_year", "last_year"])
    joined = authorship.merge(links, on="paper")
    joined["year"] = years.reindex(joined["paper"]).to_numpy()
    return joined.groupby(["author", "institution"], sort=True).agg(
        papers=("paper", "nunique"), first_year=("year", "min"), last_year=("year", "max")
    ).reset_index()


def nodes_with_label(G: nx.Graph, label: str) -> list:
    """Node ids carrying ``label``."""
    return [n for n, data in G.nodes(data=True) if data.get("label") == label]


def coauthor_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """The undirected weighted co-author graph of a knowledge graph.

    Nodes are the authors with their properties; edges carry ``papers``,
    ``weight``, ``first_year`` and ``last_year``. Authors without co-authors
    stay in as isolated nodes.
    """
    H = nx.Graph()
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if d.get("label") == "Author")
    H.add_edges_from(
        (u, v, {k: val for k, val in d.items() if k != "type"})
        for u, v, key, d in G.edges(keys=True, data=True)
        if key == "COAUTHORED"
    )
    return H


def institution_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """Institutions joined by the papers that list both; edge ``papers`` and ``weight``.

    ``weight`` is the Newman weight over papers (1/(k-1) for a paper listing
    k institutions), from networkx's bipartite projection.
    """
    papers_to_inst = nx.Graph()
    institutions = [n for n, d in G.nodes(data=True) if d.get("label") == "Institution"]
    papers_to_inst.add_nodes_from(institutions)
    papers_to_inst.add_edges_from(
        (u, v) for u, v, key in G.edges(keys=True) if key == "AFFILIATED_WITH" and G.nodes[u].get("label") == "Paper"
    )
    projected = nx.bipartite.collaboration_weighted_projected_graph(papers_to_inst, institutions)
    H = nx.Graph()
    H.add_nodes_from((n, G.nodes[n]) for n in institutions)
    for u, v, d in projected.edges(data=True):
        shared = len(set(papers_to_inst[u]) & set(papers_to_inst[v]))
        H.add_edge(u, v, papers=shared, weight=d["weight"])
    return H


def graph_counts(G: nx.MultiDiGraph) -> dict[str, int]:
    """Nodes per label and edges per relationship type ."""
    counts: Counter = Counter(d.get("label") for _, d in G.nodes(data=True))
    for u, _, key in G.edges(keys=True):
        counts[key] += 1
    return dict(sorted(counts.items()))
