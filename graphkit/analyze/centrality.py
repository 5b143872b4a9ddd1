"""Centrality of authors in a co-author graph.

Every function takes an undirected ``networkx.Graph`` and returns a dict keyed
by node. The values are networkx's own definitions (normalisation included);
betweenness, closeness and harmonic centrality run on igraph's C core when it
is installed (``backend="auto"``) and on networkx otherwise.

Examples
--------
>>> G = nx.path_graph(4)
>>> betweenness(G) == nx.betweenness_centrality(G)
True
>>> closeness(G)[1]
0.75
"""

from __future__ import annotations

import math
import random

import networkx as nx

from graphkit.analyze._compiled import IGraphView, igraph_view, use_compiled

__all__ = [
    "MEASURES",
    "betweenness",
    "closeness",
    "degree",
    "eigenvector",
    "harmonic",
    "pagerank",
    "weighted_degree",
]


def degree(G: nx.Graph) -> dict:
    """Number of distinct co-authors (a self-loop, if any, counts as networkx counts it)."""
    return dict(G.degree())


def weighted_degree(G: nx.Graph, weight: str = "weight") -> dict:
    """Sum of edge weights: with Newman weights, an author's collaborative output."""
    return dict(G.degree(weight=weight))


def betweenness(
    G: nx.Graph,
    *,
    k: int | None = None,
    seed: int | None = None,
    weight: str | None = None,
    normalized: bool = True,
    backend: str = "auto",
    view: IGraphView | None = None,
) -> dict:
    """Betweenness centrality, exact or from ``k`` sampled sources.

    Equal to ``networkx.betweenness_centrality(G, k=k, seed=seed, weight=weight,
    normalized=normalized)``: the same sources are sampled for the same seed.
    ``weight`` is a *distance* (as in networkx); Newman weights are strengths,
    so pass ``weight=None`` (the default) or a distance attribute.

    >>> betweenness(nx.path_graph(4), k=5)
    Traceback (most recent call last):
    ...
    ValueError: k=5: betweenness samples from 1 to 4 source nodes (the graph has 4)
    """
    n = G.number_of_nodes()
    if k is not None and not 0 < k <= n:  # random.sample's own error blames no one; k=0 divides by zero
        raise ValueError(f"k={k}: betweenness samples from 1 to {n} source nodes (the graph has {n})")
    if not use_compiled(backend) or n < 3:
        return nx.betweenness_centrality(G, k=k, seed=seed, weight=weight, normalized=normalized)
    view = view or igraph_view(G, weight)
    weights = view.weights if weight else None
    if k is None:
        raw = view.graph.betweenness(directed=False, weights=weights)
        # igraph counts each unordered pair once; networkx's normalisation divides
        # ordered pairs by (n-1)(n-2), its unnormalised value counts unordered pairs.
        scale = 2 / ((n - 1) * (n - 2)) if normalized else 1.0
        return view.to_dict(b * scale for b in raw)
    sources = random.Random(seed).sample(list(G.nodes()), k)  # networkx's own draw for this seed
    index = {node: i for i, node in enumerate(view.nodes)}
    raw = view.graph.betweenness(directed=False, weights=weights, sources=[index[s] for s in sources], targets=None)
    sampled = set(sources)
    # networkx rescales sampled sums differently for source and non-source nodes (networkx >= 3.5).
    if normalized:
        src_scale = 2 / ((k - 1) * (n - 2)) if k > 1 else math.nan
        other_scale = 2 / (k * (n - 2))
    else:
        src_scale = (n - 1) / (k - 1) if k > 1 else math.nan
        other_scale = (n - 1) / k
    return {node: b * (src_scale if node in sampled else other_scale) for node, b in zip(view.nodes, raw)}


def _component_sizes(view: IGraphView) -> list[int]:
    membership = view.graph.connected_components().membership
    sizes: dict[int, int] = {}
    for c in membership:
        sizes[c] = sizes.get(c, 0) + 1
    return [sizes[c] for c in membership]


def closeness(G: nx.Graph, *, backend: str = "auto", view: IGraphView | None = None) -> dict:
    """Closeness with the Wasserman-Faust correction for disconnected graphs (networkx's default)."""
    if not use_compiled(backend):
        return nx.closeness_centrality(G)
    n = G.number_of_nodes()
    view = view or igraph_view(G)
    raw = view.graph.closeness(mode="all", normalized=True)
    sizes = _component_sizes(view)
    out = {}
    for node, c, r in zip(view.nodes, raw, sizes):
        out[node] = 0.0 if r <= 1 or c != c else c * (r - 1) / (n - 1)
    return out


def harmonic(G: nx.Graph, *, backend: str = "auto", view: IGraphView | None = None) -> dict:
    """Harmonic centrality: sum of 1/distance to every reachable author (unnormalised, as networkx)."""
    if not use_compiled(backend):
        return nx.harmonic_centrality(G)
    view = view or igraph_view(G)
    return view.to_dict(float(h) for h in view.graph.harmonic_centrality(mode="all", normalized=False))


def eigenvector(G: nx.Graph, *, weight: str | None = "weight") -> dict:
    """Eigenvector centrality (weighted by default), defined on disconnected graphs too.

    The leading eigenvector of the whole adjacency matrix, unit length: the
    component with the largest leading eigenvalue carries it and every other
    author gets 0, which is what ``networkx.eigenvector_centrality`` converges
    to. Each candidate component is solved with networkx's sparse eigensolver.
    """
    out = dict.fromkeys(G, 0.0)
    if G.number_of_edges() == 0:
        return out
    comps = [c for c in nx.connected_components(G) if len(c) > 1]
    strength = dict(G.degree(weight=weight))
    largest = max(comps, key=len)
    best, best_lambda = None, -1.0
    # A component's leading eigenvalue is at most its largest (weighted) degree,
    # so only components whose largest degree beats the best eigenvalue so far can win.
    for comp in sorted(comps, key=lambda c: (c is not largest, -max(strength[n] for n in c))):
        if max(strength[n] for n in comp) <= best_lambda:
            continue
        H = G.subgraph(comp)
        if len(comp) < 3:
            vector = dict.fromkeys(comp, 1 / math.sqrt(len(comp)))
            lam = float(next(iter(H.edges(data=True)))[2].get(weight, 1.0)) if weight else 1.0
        else:
            vector = nx.eigenvector_centrality_numpy(H, weight=weight)
            A = nx.to_scipy_sparse_array(H, nodelist=list(vector), weight=weight)
            x = [vector[n] for n in vector]
            lam = float((A @ x) @ x)
        if lam > best_lambda:
            best, best_lambda = vector, lam
    out.update(best or {})
    return out


def pagerank(G: nx.Graph, *, alpha: float = 0.85, weight: str | None = "weight") -> dict:
    """PageRank (networkx's SciPy implementation; weighted by default)."""
    return nx.pagerank(G, alpha=alpha, weight=weight)


MEASURES = {
    "degree": degree,
    "weighted_degree": weighted_degree,
    "betweenness": betweenness,
    "closeness": closeness,
    "harmonic": harmonic,
    "eigenvector": eigenvector,
    "pagerank": pagerank,
}
