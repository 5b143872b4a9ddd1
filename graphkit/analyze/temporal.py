"""How collaboration grew, year by year."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pandas as pd

__all__ = ["yearly_growth"]


def yearly_growth(G: nx.MultiDiGraph, *, today: dt.date | None = None) -> pd.DataFrame:
    """Per year: papers, new authors, new collaborations, and the largest component so far.

    ``new_authors`` counts authors whose first dated paper is in that year;
    ``new_collaborations`` counts co-author pairs whose first shared paper is;
    ``lcc_authors`` is the size of the largest connected group of authors in
    the co-author graph of all years up to and including that one. Every year
    from the first to the last has a row, with zeros in a year without
    papers (a plot of the table skips no year).

    Papers without a year are not counted anywhere: ``table.attrs["undated_papers"]``
    says how many there were. Papers dated after ``today``'s year (default:
    today) are counted in their year, and ``table.attrs["future_papers"]`` says
    how many there were (announced papers, or a typo in a year).

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("p1", {"label": "Paper", "year": 2001}), ("p2", {"label": "Paper", "year": 2003}),
    ...                   ("p3", {"label": "Paper", "year": None})])
    >>> G.add_edge("a", "p1", key="AUTHORED"); G.add_edge("a", "p2", key="AUTHORED")
    'AUTHORED'
    'AUTHORED'
    >>> table = yearly_growth(G, today=dt.date(2002, 6, 1))
    >>> table.values.tolist(), table.attrs
    ([[2001, 1, 1, 0, 1], [2002, 0, 0, 0, 1], [2003, 1, 0, 0, 1]], {'undated_papers': 1, 'future_papers': 1})
    """
    paper_year = {n: d.get("year") for n, d in G.nodes(data=True) if d.get("label") == "Paper"}
    papers: dict[int, int] = {}
    for year in paper_year.values():
        if year is not None:
            papers[year] = papers.get(year, 0) + 1
    this_year = (today or dt.date.today()).year
    first_year: dict[str, int] = {}
    for author, paper, key in G.edges(keys=True):
        year = paper_year.get(paper) if key == "AUTHORED" else None
        if year is not None and year < first_year.get(author, 10**9):
            first_year[author] = year
    authors_by_year: dict[int, list[str]] = {}
    for author, year in first_year.items():
        authors_by_year.setdefault(year, []).append(author)
    new_authors = {year: len(authors) for year, authors in authors_by_year.items()}
    pairs_by_year: dict[int, list[tuple[str, str]]] = {}
    for u, v, key, d in G.edges(keys=True, data=True):
        if key == "COAUTHORED" and d.get("first_year") is not None:
            pairs_by_year.setdefault(d["first_year"], []).append((u, v))
    seen = set(papers) | set(new_authors) | set(pairs_by_year)
    years = range(min(seen), max(seen) + 1) if seen else range(0)
    sets = nx.utils.UnionFind()
    sizes: dict = {}
    largest = 0
    rows = []
    for year in years:
        for author in authors_by_year.get(year, ()):
            sizes.setdefault(sets[author], 1)
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
    table = pd.DataFrame(rows, columns=["year", "papers", "new_authors", "new_collaborations", "lcc_authors"])
    table.attrs["undated_papers"] = sum(1 for year in paper_year.values() if year is None)
    table.attrs["future_papers"] = sum(n for year, n in papers.items() if year > this_year)
    return table
