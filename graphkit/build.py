"""Build stage: entities in, the knowledge graph and its projections out.

The knowledge graph is a ``networkx.MultiDiGraph`` following the contract in
:mod:`graphkit.schema`: every node has ``label`` plus the label's properties;
every edge is keyed by its relationship type and carries ``type`` plus the
type's properties. COAUTHORED runs from the smaller author id to the larger.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pandas as pd

from graphkit.projections import affiliation_table, coauthor_graph, coauthor_table, institution_graph
from graphkit.resolve import Resolution
from graphkit.schema import NODE_PROPERTIES, rel_properties
from graphkit.tables import GraphTables, Table

__all__ = [
    "MAX_AUTHORS",
    "build_graph",
    "build_tables",
    "coauthor_graph",
    "coauthor_table",
    "graph_counts",
    "hyperauthored_papers",
    "institution_graph",
]

# Papers with more authors than this get AUTHORED edges but no COAUTHORED pairs
# (hyperauthorship: consortia papers would otherwise add n(n-1)/2 edges each).
MAX_AUTHORS = 100


def hyperauthored_papers(authorship: pd.DataFrame, *, max_authors: int = MAX_AUTHORS, truncated=()) -> int:
    """How many papers of an ``author, paper`` table have more than ``max_authors`` authors.

    ``truncated``: papers whose sources cut the author list (OpenAlex's list endpoints stop at 100); one of them
    showing ``max_authors`` authors has more.

    >>> hyperauthored_papers(pd.DataFrame({"author": ["a", "b", "c"], "paper": ["p", "p", "q"]}), max_authors=1)
    1
    >>> hyperauthored_papers(pd.DataFrame({"author": ["a", "b", "c"], "paper": ["p", "p", "q"]}), max_authors=1, truncated=["q"])
    2
    """
    return len(_over_limit(authorship, max_authors, truncated))


def _over_limit(authorship: pd.DataFrame, max_authors: int, truncated=()) -> list:
    """The papers that form no COAUTHORED pairs: over ``max_authors`` shown, or at it with a list cut short."""
    if authorship.empty:
        return []
    counts = authorship["paper"].value_counts()
    return counts.index[counts > max_authors].tolist() + _at_limit(authorship, max_authors, truncated, counts)


def _at_limit(authorship: pd.DataFrame, max_authors: int, truncated, counts: pd.Series | None = None) -> list:
    """The papers of ``truncated`` that show exactly ``max_authors`` authors (so have more)."""
    if not truncated or authorship.empty:
        return []
    counts = authorship["paper"].value_counts() if counts is None else counts
    return [p for p in truncated if counts.get(p, 0) == max_authors]


def truncated_papers(res: Resolution) -> list[str]:
    """The papers whose author lists every source cut short."""
    return [p.id for p in res.papers.values() if p.authors_truncated]


def build_tables(res: Resolution, *, max_authors: int = MAX_AUTHORS) -> GraphTables:
    """The knowledge graph of a resolution as column tables, COAUTHORED and author affiliations derived.

    This is the build path for large inputs: no per-edge Python objects.
    Author -> Institution links come from each author's own affiliations where
    a source gives them, from the paper's institution list only where no
    source of the paper ties affiliations to authors.
    """
    tables = GraphTables()
    for label, entities in (("Author", res.authors), ("Paper", res.papers), ("Institution", res.institutions)):
        types = dict(NODE_PROPERTIES[label])
        rows = list(entities.values())
        tables.nodes.append(Table("node", label, None, None, types, {f: [getattr(e, f) for e in rows] for f in types}))
    authorships = res.authorships
    authorship = pd.DataFrame({"author": [a.author_id for a in authorships], "paper": [a.paper_id for a in authorships]})
    tables.rels.append(Table("rel", "AUTHORED", "Author", "Paper", {"source": "STRING", "target": "STRING", **rel_properties("AUTHORED", "Author")}, {
        "source": authorship["author"], "target": authorship["paper"],
        "position": [a.position for a in authorships], "inferred": [a.inferred for a in authorships],
        "affiliations": [list(a.affiliations) if a.affiliations else _NONE for a in authorships],
    }))
    tables.rels.append(Table("rel", "AFFILIATED_WITH", "Paper", "Institution", {"source": "STRING", "target": "STRING"}, {
        "source": [p for p, _ in res.paper_institutions], "target": [i for _, i in res.paper_institutions],
    }))
    years = pd.Series({p.id: p.year for p in res.papers.values()}, dtype="float64")
    affiliations = affiliation_table(_author_institution_links(res, authorship), years)
    tables.rels.append(Table("rel", "AFFILIATED_WITH", "Author", "Institution",
                             {"source": "STRING", "target": "STRING", **rel_properties("AFFILIATED_WITH", "Author")}, {
        "source": affiliations["author"], "target": affiliations["institution"],
        "papers": affiliations["papers"], "first_year": affiliations["first_year"], "last_year": affiliations["last_year"],
    }))
    at_limit = _at_limit(authorship, max_authors, truncated_papers(res))
    paired = authorship[~authorship["paper"].isin(at_limit)] if at_limit else authorship  # over it, cut short
    pairs = coauthor_table(paired, years, max_authors=max_authors)
    tables.rels.append(Table("rel", "COAUTHORED", "Author", "Author",
                             {"source": "STRING", "target": "STRING", **rel_properties("COAUTHORED", "Author")}, {
        "source": pairs["a"], "target": pairs["b"], "papers": pairs["papers"], "weight": pairs["weight"],
        "first_year": pairs["first_year"], "last_year": pairs["last_year"],
    }))
    return tables


_NONE: list = []  # one shared (never mutated) empty list for the many authorships without affiliations


def _author_institution_links(res: Resolution, authorship: pd.DataFrame) -> pd.DataFrame:
    """``author, paper, institution`` rows: own affiliations, else the paper's list."""
    columns = ["author", "paper", "institution"]
    own = [(a.author_id, a.paper_id, i) for a in res.authorships if not a.paper_list for i in a.affiliations]
    uses_list = [a.paper_list for a in res.authorships]
    frames = [pd.DataFrame(own, columns=columns)] if own else []
    if res.paper_institutions and any(uses_list):
        paper_links = pd.DataFrame(res.paper_institutions, columns=["paper", "institution"])
        frames.append(authorship[uses_list].merge(paper_links, on="paper")[columns])
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


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


def graph_counts(G: nx.MultiDiGraph) -> dict[str, int]:
    """Nodes per label and edges per relationship type ."""
    counts: Counter = Counter(d.get("label") for _, d in G.nodes(data=True))
    for u, _, key in G.edges(keys=True):
        counts[key] += 1
    return dict(sorted(counts.items()))
