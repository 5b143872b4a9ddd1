"""Collaboration distance: shortest co-author paths with the papers behind each step."""

from __future__ import annotations

import networkx as nx

from graphkit.exceptions import AnalysisError
from graphkit.keys import name_key

__all__ = ["collaboration_path", "ego_network", "find_author"]


def find_author(G: nx.Graph, name_or_id: str) -> str:
    """The node id of an author given by id, display name or any spelling variant.

    Raises :class:`AnalysisError` naming the candidates when a name is ambiguous.
    """
    if name_or_id in G and G.nodes[name_or_id].get("label", "Author") == "Author":
        return name_or_id
    key = name_key(name_or_id)
    matches = [
        n for n, d in G.nodes(data=True)
        if d.get("label", "Author") == "Author"
        and (name_key(str(d.get("name", n))) == key or any(name_key(v) == key for v in d.get("name_variants") or ()))
    ]
    if not matches:
        raise AnalysisError(f"no author called {name_or_id!r} in the graph")
    if len(matches) > 1:
        raise AnalysisError(f"{name_or_id!r} matches several authors: {', '.join(sorted(matches))}; give an id")
    return matches[0]


def _coauthors_view(G: nx.Graph) -> nx.Graph:
    if G.is_multigraph():
        from graphkit.build import coauthor_graph

        return coauthor_graph(G)
    return G


def collaboration_path(G: nx.Graph, source: str, target: str) -> list[dict]:
    """The shortest chain of co-authorships from ``source`` to ``target``.

    ``G`` is a knowledge graph (then each step lists the papers the two
    authors share) or a co-author graph (steps without papers). Authors may
    be given by id or name. Raises :class:`AnalysisError` when they are not
    connected.

    >>> H = nx.Graph([("a", "b"), ("b", "c")])
    >>> [(s["from"], s["to"]) for s in collaboration_path(H, "a", "c")]
    [('a', 'b'), ('b', 'c')]
    """
    H = _coauthors_view(G)
    a, b = find_author(H, source), find_author(H, target)
    try:
        path = nx.shortest_path(H, a, b)
    except nx.NetworkXNoPath:
        raise AnalysisError(f"{source!r} and {target!r} are not connected by co-authorship") from None
    steps = []
    for u, v in zip(path, path[1:]):
        papers = []
        if G.is_multigraph():
            mine = {p for _, p, key in G.out_edges(u, keys=True) if key == "AUTHORED"}
            shared = sorted(p for _, p, key in G.out_edges(v, keys=True) if key == "AUTHORED" and p in mine)
            papers = [{"id": p, "title": G.nodes[p].get("title"), "year": G.nodes[p].get("year")} for p in shared]
        steps.append({
            "from": u, "from_name": H.nodes[u].get("name", u),
            "to": v, "to_name": H.nodes[v].get("name", v),
            "papers": papers,
        })
    return steps


def ego_network(G: nx.Graph, author: str, radius: int = 1) -> nx.Graph:
    """Everyone within ``radius`` co-authorship steps of an author (given by id or name)."""
    H = _coauthors_view(G)
    return nx.ego_graph(H, find_author(H, author), radius=radius)
