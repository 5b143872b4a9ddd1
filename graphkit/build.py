"""Build stage: entities in, the knowledge graph and its projections out.

The knowledge graph is a ``networkx.MultiDiGraph`` following the contract in
:mod:`graphkit.schema`: every node has ``label`` plus the label's properties;
every edge is keyed by its relationship type and carries ``type`` plus the
type's properties. COAUTHORED runs from the smaller author id to the larger.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.resolve import Resolution
from graphkit.schema import NODE_PROPERTIES, rel_properties
from graphkit.tables import GraphTables, Table

__all__ = ["build_graph", "build_tables", "coauthor_graph", "coauthor_table", "graph_counts", "institution_graph"]


def build_tables(res: Resolution) -> GraphTables:
    """The knowledge graph of a resolution as column tables, COAUTHORED and author affiliations derived.

    This is the build path for large inputs: no per-edge Python objects.
    """
    tables = GraphTables()
    for label, entities in (("Author", res.authors), ("Paper", res.papers), ("Institution", res.institutions)):
        types = dict(NODE_PROPERTIES[label])
        rows = list(entities.values())
        tables.nodes.append(Table("node", label, None, None, types, {f: [getattr(e, f) for e in rows] for f in types}))
    authorship = pd.DataFrame(
        {"author": [a.author_id for a in res.authorships], "paper": [a.paper_id for a in res.authorships]}
    )
    tables.rels.append(Table("rel", "AUTHORED", "Author", "Paper", {"source": "STRING", "target": "STRING", **rel_properties("AUTHORED", "Author")}, {
        "source": authorship["author"], "target": authorship["paper"],
        "position": [a.position for a in res.authorships], "inferred": [a.inferred for a in res.authorships],
    }))
    tables.rels.append(Table("rel", "AFFILIATED_WITH", "Paper", "Institution", {"source": "STRING", "target": "STRING"}, {
        "source": [p for p, _ in res.paper_institutions], "target": [i for _, i in res.paper_institutions],
    }))
    years = pd.Series({p.id: p.year for p in res.papers.values()}, dtype="float64")
    affiliations = _author_affiliations(authorship, res.paper_institutions, years)
    tables.rels.append(Table("rel", "AFFILIATED_WITH", "Author", "Institution",
                             {"source": "STRING", "target": "STRING", **rel_properties("AFFILIATED_WITH", "Author")}, {
        "source": affiliations["author"], "target": affiliations["institution"],
        "papers": affiliations["papers"], "first_year": affiliations["first_year"], "last_year": affiliations["last_year"],
    }))
    pairs = coauthor_table(authorship, years)
    tables.rels.append(Table("rel", "COAUTHORED", "Author", "Author",
                             {"source": "STRING", "target": "STRING", **rel_properties("COAUTHORED", "Author")}, {
        "source": pairs["a"], "target": pairs["b"], "papers": pairs["papers"], "weight": pairs["weight"],
        "first_year": pairs["first_year"], "last_year": pairs["last_year"],
    }))
    return tables


def build_graph(res: Resolution) -> nx.MultiDiGraph:
    """The knowledge graph of a resolution as a networkx MultiDiGraph (see :func:`build_tables`).

    >>> from graphkit.models import PaperRecord
    >>> from graphkit.resolve import resolve
    >>> rec = PaperRecord(owner=None, title="T", year=2020, authors=("A B", "C D", "E F"), institutions=("cmu",), source="x", line=1)
    >>> G = build_graph(resolve([], [rec]))
    >>> sorted(G.nodes[n]["label"] for n in G)
    ['Author', 'Author', 'Author', 'Institution', 'Paper']
    >>> G.edges["author:a-b", "author:c-d", "COAUTHORED"]["weight"]
    0.5
    """
    return build_tables(res).to_networkx()


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
    # ids stay in pandas' compact string arrays: no Python string per row
    table["a"] = pd.Series(author_codes.take(table["a"].to_numpy()), index=table.index)
    table["b"] = pd.Series(author_codes.take(table["b"].to_numpy()), index=table.index)
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
