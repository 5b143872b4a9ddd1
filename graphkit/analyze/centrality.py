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
import numpy as np

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

    The limit ``networkx.eigenvector_centrality`` converges to, unit length:
    the component with the largest leading eigenvalue carries it and every
    other author gets 0. Components whose leading eigenvalues tie (two equal
    triangles) share it as networkx's power iteration from the all-ones
    vector does: each tied component's unit eigenvector ``v`` weighted by
    ``sum(v)``, whatever the order of the lines. A self-loop counts within a
    component of co-authors, as in networkx; an author whose only edge is a
    self-loop is no component and gets 0 (so a graph of self-loops only is
    all zeros, where networkx would rank the loops themselves). Edges of
    weight 0 count as absent. Each candidate component is solved with
    networkx's sparse eigensolver.

    >>> two = nx.Graph([(1, 2), (2, 3), (3, 1), (4, 5), (5, 6), (6, 4)])
    >>> {n: round(x, 6) for n, x in eigenvector(two).items()}
    {1: 0.408248, 2: 0.408248, 3: 0.408248, 4: 0.408248, 5: 0.408248, 6: 0.408248}
    >>> eigenvector(nx.Graph([(1, 1), (2, 2)]))
    {1: 0.0, 2: 0.0}
    >>> {n: round(x, 4) for n, x in eigenvector(nx.Graph([(1, 2), (1, 1), (3, 4)])).items()}
    {1: 0.8507, 2: 0.5257, 3: 0.0, 4: 0.0}
    """
    out = dict.fromkeys(G, 0.0)
    H = nx.Graph()  # the edges that count, each with its weight (1 when it has none)
    if weight:
        for u, v, value in G.edges(data=weight, default=1.0):
            value = 1.0 if value is None else float(value)
            if value > 0:
                H.add_edge(u, v, **{weight: value})
    else:
        H.add_edges_from(G.edges())
    comps = [c for c in nx.connected_components(H) if len(c) > 1]
    if not comps:
        return out
    strength = dict(H.degree(weight=weight))
    largest = max(comps, key=len)
    found: list[tuple[float, dict]] = []  # (leading eigenvalue, unit eigenvector) of each candidate component
    best_lambda = -1.0
    # A component's leading eigenvalue is at most its largest (weighted) degree,
    # so only components whose largest degree reaches the best eigenvalue so far can win or tie.
    for comp in sorted(comps, key=lambda c: (c is not largest, -max(strength[n] for n in c))):
        if max(strength[n] for n in comp) < best_lambda * (1 - _TIE):
            continue
        sub = H.subgraph(comp)
        if len(comp) < 3 and not nx.number_of_selfloops(sub):  # one edge: both ends equal, its weight the eigenvalue
            vector = dict.fromkeys(comp, 1 / math.sqrt(len(comp)))
            lam = next(iter(sub.edges(data=True)))[2][weight] if weight else 1.0
        elif len(comp) < 3:  # a pair with a self-loop: too small for the sparse solver, solved densely
            import numpy as np

            nodes = list(comp)
            values, vectors = np.linalg.eigh(nx.to_numpy_array(sub, nodelist=nodes, weight=weight))
            lead = np.abs(vectors[:, -1])
            vector = dict(zip(nodes, (lead / np.linalg.norm(lead)).tolist()))
            lam = float(values[-1])
        else:
            vector, lam = _leading(sub, weight)
        found.append((lam, vector))
        best_lambda = max(best_lambda, lam)
    tied = [vector for lam, vector in found if lam >= best_lambda * (1 - _TIE)]
    scale = [sum(vector.values()) for vector in tied]
    norm = math.sqrt(sum(s * s for s in scale))
    for vector, s in zip(tied, scale):
        for node, x in vector.items():
            out[node] = float(f"{x * s / norm:.12g}")  # the solver's last digits are noise: tied authors stay tied
    return out


def _leading(sub: nx.Graph, weight: str | None) -> tuple[dict, float]:
    """The unit leading eigenvector of a connected component's (weighted) adjacency matrix and its eigenvalue,
    by ARPACK's Lanczos solver (``scipy.sparse.linalg.eigsh``) from the all-ones start vector: the same
    digits on every run (networkx's ``eigenvector_centrality_numpy`` starts from a random vector, so authors
    with one value came out in another order each run)."""
    import numpy as np
    from scipy.sparse.linalg import eigsh

    nodes = list(sub)
    A = nx.to_scipy_sparse_array(sub, nodelist=nodes, weight=weight, dtype=float)
    values, vectors = eigsh(A, k=1, which="LA", v0=np.ones(len(nodes)), tol=0)
    lead = np.abs(vectors[:, 0])
    lead /= np.linalg.norm(lead)
    return dict(zip(nodes, lead.tolist())), float(values[0])


#: Leading eigenvalues this close (relatively) are one eigenvalue: the components tie.
_TIE = 1e-9


def pagerank(G: nx.Graph, *, alpha: float = 0.85, weight: str | None = "weight") -> dict:
    """PageRank (weighted by default), solved exactly by igraph's PRPACK, as ``graphkit build`` does.

    networkx's definition (dangling authors spread their rank evenly; an edge
    without a weight counts 1; a self-loop is one link to oneself), without
    networkx's iteration error: its ``tol=1e-6`` left values 1e-5 from the
    build's centrality.csv, which this matches to 1e-12.

    >>> H = nx.Graph([("a", "b", {"weight": 1.0}), ("b", "c", {"weight": 3.0}), ("c", "c"), ("d", "e", {"weight": 0.0})])
    >>> ranks, iterated = pagerank(H), nx.pagerank(H, tol=1e-14, max_iter=1000)
    >>> max(abs(ranks[n] - iterated[n]) for n in H) < 1e-12
    True
    """
    if G.number_of_nodes() == 0:
        return {}
    from graphkit.analyze._compiled import ig
    from graphkit.analyze.defaults import _pagerank

    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    edges, weights = [], []
    # both directions of each edge, as networkx reads an undirected graph (igraph's undirected
    # PageRank counts a self-loop twice, networkx once)
    for u, v, value in G.edges(data=weight or "weight", default=1.0):
        w = 1.0 if not weight or value is None else float(value)
        a, b = index[u], index[v]
        edges.append((a, b))
        weights.append(w)
        if a != b:
            edges.append((b, a))
            weights.append(w)
    g = ig.Graph(n=len(nodes), edges=edges, directed=True)
    return dict(zip(nodes, _pagerank(g, np.asarray(weights, float), damping=alpha).tolist()))


MEASURES = {
    "degree": degree,
    "weighted_degree": weighted_degree,
    "betweenness": betweenness,
    "closeness": closeness,
    "harmonic": harmonic,
    "eigenvector": eigenvector,
    "pagerank": pagerank,
}
