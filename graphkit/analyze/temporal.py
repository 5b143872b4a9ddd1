"""How collaboration grew, year by year."""

from __future__ import annotations

import networkx as nx
import pandas as pd

__all__ = ["yearly_growth"]


def yearly_growth(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Per year: papers, new authors, new collaborations, and the largest component so far.

    ``new_authors`` counts authors whose first dated paper is in that year;
    ``new_collaborations`` counts co-author pairs whose first shared paper is;
    ``lcc_authors`` is the size of the largest connected group of authors in
    the co-author graph of all years up to and including that one.
    """
    paper_year = {n: d.get("year") for n, d in G.nodes(data=True) if d.get("label") == "Paper"}
    papers: dict[int, int] = {}
    for year in paper_year.values():
        if year is not None:
            papers[year] = papers.get(year, 0) + 1
    first_year: dict[str, int] = {}
    for author, paper, key in G.edges(keys=True):
        year = paper_year.get(paper) if key == "AUTHORED" else None
        if year is not None and year < first_year.get(author, 10**9):
            first_year[author] = year
    new_authors: dict[int, int] = {}
    for year in first_year.values():
        new_authors[year] = new_authors.get(year, 0) + 1
    pairs_by_year: dict[int, list[tuple[str, str]]] = {}
    for u, v, key, d in G.edges(keys=True, data=True):
        if key == "COAUTHORED" and d.get("first_year") is not None:
            pairs_by_year.setdefault(d["first_year"], []).append((u, v))
    years = sorted(set(papers) | set(new_authors) | set(pairs_by_year))
    sets = nx.utils.UnionFind()
    sizes: dict = {}
    largest = 0
    rows = []
    for year in years:
        for author, first in first_year.items():
            if first == year:
                root = sets[author]
                sizes.setdefault(root, 1)
                largest = max(largest, 1)
        for u, v in pairs_by_year.get(year, ()):
            ru, rv = sets[u], sets[v]
            if ru != rv:
                size = sizes.pop(ru, 1) + sizes.pop(rv, 1)
                sets.union(u, v)
                sizes[sets[u]] = size
                largest = max(largest, size)
        rows.append({
            "year": year,
            "papers": papers.get(year, 0),
            "new_authors": new_authors.get(year, 0),
            "new_collaborations": len(pairs_by_year.get(year, ())),
            "lcc_authors": largest,
        })
    return pd.DataFrame(rows, columns=["year", "papers", "new_authors", "new_collaborations", "lcc_authors"])
