"""Structure of a co-author graph: components, cores, clustering, communities, brokerage.

Functions take an undirected ``networkx.Graph`` and return dicts keyed by node
(or lists of node sets for communities). k-core, clustering, triangles and
Burt's constraint run on igraph when installed, with networkx's definitions;
self-loops are ignored, as networkx ignores them for these measures.

>>> G = nx.Graph([(1, 2), (2, 3), (3, 1), (3, 4)])
>>> core_number(G) == nx.core_number(G)
True
>>> clustering(G)[3]
0.3333333333333333
"""

from __future__ import annotations

import random

import networkx as nx

from graphkit.analyze._compiled import IGraphView, igraph_view, use_compiled

__all__ = [
    "clustering",
    "communities",
    "connected_components",
    "constraint",
    "core_number",
    "graph_stats",
    "largest_component",
    "louvain_parts",
    "triangles",
]


def connected_components(G: nx.Graph) -> list[set]:
    """Components, largest first."""
    return sorted(nx.connected_components(G), key=len, reverse=True)


def largest_component(G: nx.Graph) -> nx.Graph:
    """The subgraph of the largest connected component (empty graph for an empty input)."""
    if G.number_of_nodes() == 0:
        return G.copy()
    return G.subgraph(max(nx.connected_components(G), key=len))


def core_number(G: nx.Graph, *, backend: str = "auto", view: IGraphView | None = None) -> dict:
    """k-core number of every node (self-loops ignored)."""
    if not use_compiled(backend):
        H = G
        if nx.number_of_selfloops(G):
            H = G.copy()
            H.remove_edges_from(nx.selfloop_edges(G))
        return nx.core_number(H)
    view = view or igraph_view(G)
    return view.to_dict(view.graph.coreness(mode="all"))


def clustering(G: nx.Graph, *, backend: str = "auto", view: IGraphView | None = None) -> dict:
    """Local clustering coefficient (unweighted; 0 for degree < 2), as ``networkx.clustering``."""
    if not use_compiled(backend):
        return nx.clustering(G)
    view = view or igraph_view(G)
    return view.to_dict(view.graph.transitivity_local_undirected(mode="zero"))


def triangles(G: nx.Graph, *, backend: str = "auto", view: IGraphView | None = None) -> dict:
    """Number of triangles through each node, as ``networkx.triangles``."""
    if not use_compiled(backend):
        return nx.triangles(G)
    view = view or igraph_view(G)
    cc = view.graph.transitivity_local_undirected(mode="zero")
    deg = view.graph.degree()
    return view.to_dict(round(c * d * (d - 1) / 2) for c, d in zip(cc, deg))


def constraint(G: nx.Graph, *, weight: str | None = None, backend: str = "auto", view: IGraphView | None = None) -> dict:
    """Burt's constraint: low values mark brokers whose co-authors do not know each other.

    NaN for isolated authors, as networkx. networkx counts a self-loop as a
    contact with oneself; on such graphs this runs on networkx to keep its values.
    An empty graph has no values (networkx refuses it).

    >>> constraint(nx.Graph())
    {}
    """
    if G.number_of_nodes() == 0:
        return {}
    if not use_compiled(backend) or nx.number_of_selfloops(G):
        return nx.constraint(G, weight=weight)
    view = view or igraph_view(G, weight)
    values = view.graph.constraint(weights=view.weights if weight else None)
    deg = view.graph.degree()
    return view.to_dict(float("nan") if d == 0 else c for c, d in zip(values, deg))


def communities(
    G: nx.Graph,
    *,
    method: str = "louvain",
    weight: str | None = "weight",
    resolution: float = 1.0,
    seed: int = 0,
    backend: str = "auto",
) -> list[set]:
    """Communities, largest first: ``louvain`` or ``leiden`` (leidenalg, modularity), seeded.

    Louvain runs on igraph's C implementation when installed and on
    ``networkx.community.louvain_communities`` otherwise; the two explore
    nodes in different orders, so partitions can differ while modularity is
    alike. Leiden needs ``leidenalg``. An edge whose weight is None counts as 1.
    """
    if method not in ("louvain", "leiden"):
        raise ValueError(f"unknown community method {method!r}: use 'louvain' or 'leiden'")
    if G.number_of_nodes() == 0:
        return []
    if method == "louvain" and not use_compiled(backend):
        if weight and any(d.get(weight, 1) is None for _, _, d in G.edges(data=True)):
            # an edge whose weight is None counts as 1, as on the compiled path
            G = nx.Graph(G)
            for _, _, d in G.edges(data=True):
                if d.get(weight, 1) is None:
                    d[weight] = 1.0
        parts = nx.community.louvain_communities(G, weight=weight, resolution=resolution, seed=seed)
        return sorted(parts, key=len, reverse=True)
    view = igraph_view(G, weight)
    weights = view.weights if weight else None
    if method == "louvain":
        return louvain_parts(view, weights, resolution=resolution, seed=seed)
    if method == "leiden":
        import leidenalg

        partition = leidenalg.find_partition(
            view.graph, leidenalg.RBConfigurationVertexPartition, weights=weights,
            resolution_parameter=resolution, seed=seed,
        )
        membership = partition.membership
    return _groups(view.nodes, membership)


def louvain_parts(view: IGraphView, weights: list | None, *, resolution: float = 1.0, seed: int = 0) -> list[set]:
    """:func:`communities`' Louvain (igraph, seeded) on a graph already in igraph: vertex ``i`` is ``view.nodes[i]``.

    For callers that hold the graph as arrays and need not convert a networkx graph again.

    >>> import igraph as ig
    >>> view = IGraphView(ig.Graph(n=4, edges=[(0, 1), (2, 3)]), ["a", "b", "c", "d"], None)
    >>> sorted(map(sorted, louvain_parts(view, None)))
    [['a', 'b'], ['c', 'd']]
    """
    state = random.getstate()
    random.seed(seed)  # python-igraph draws from Python's random module
    try:
        membership = view.graph.community_multilevel(weights=weights, resolution=resolution).membership
    finally:
        random.setstate(state)
    return _groups(view.nodes, membership)


def _groups(nodes, membership) -> list[set]:
    groups: dict[int, set] = {}
    for node, c in zip(nodes, membership):
        groups.setdefault(c, set()).add(node)
    return sorted(groups.values(), key=len, reverse=True)


def graph_stats(G: nx.Graph, *, backend: str = "auto") -> dict:
    """SNAP-style summary of an undirected graph.

    ``edges`` counts self-loops, as SNAP does; ``density`` does not (the
    share of the ``n (n - 1) / 2`` pairs of distinct authors that are linked,
    at most 1); ``diameter`` is that of the largest component (None without authors);
    ``avg_clustering`` averages over all nodes (zeros included).

    >>> {k: v for k, v in graph_stats(nx.Graph([(1, 1), (2, 2)])).items() if k in ("edges", "self_loops", "density")}
    {'edges': 2, 'self_loops': 2, 'density': 0.0}
    """
    n, m = G.number_of_nodes(), G.number_of_edges()
    loops = nx.number_of_selfloops(G)
    comps = connected_components(G)
    lcc = G.subgraph(comps[0]) if comps else G
    stats = {
        "nodes": n,
        "edges": m,
        "self_loops": loops,
        "components": len(comps),
        "lcc_nodes": lcc.number_of_nodes(),
        "lcc_edges": lcc.number_of_edges(),
        "density": 2 * (m - loops) / (n * (n - 1)) if n > 1 else 0.0,
    }
    if use_compiled(backend) and n:
        view = igraph_view(G)
        cc = view.graph.transitivity_local_undirected(mode="zero")
        deg = view.graph.degree()
        stats["avg_clustering"] = sum(cc) / n
        stats["triangles"] = round(sum(c * d * (d - 1) / 2 for c, d in zip(cc, deg)) / 3)
        lcc_view = igraph_view(nx.Graph(lcc))
        stats["diameter"] = lcc_view.graph.diameter(directed=False) if lcc.number_of_nodes() > 1 else 0
    else:
        stats["avg_clustering"] = nx.average_clustering(G) if n else 0.0
        stats["triangles"] = sum(nx.triangles(G).values()) // 3
        stats["diameter"] = nx.diameter(lcc) if lcc.number_of_nodes() > 1 else 0
    if not n:
        stats["diameter"] = None  # a graph without authors has no distances at all
    return stats
