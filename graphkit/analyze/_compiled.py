"""The compiled path: networkx graphs as igraph graphs, and back.

igraph (C core) computes the heavy measures; graphkit rescales its results to
networkx's definitions so the numbers are networkx's own. When igraph is not
installed every measure falls back to plain networkx.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

import networkx as nx


def _import_igraph():
    """igraph, or None when it is not installed.

    igraph imports matplotlib.pyplot when matplotlib is installed (0.3-0.8 s of
    every command's start-up) for plotting that graphkit never asks igraph for.
    The ``graphkit`` command (which sets ``GRAPHKIT_IGRAPH_WITHOUT_PYPLOT=1``)
    hides matplotlib from that one import; matplotlib itself stays importable
    (the static maps use it directly). Library users keep igraph's plotting.
    """
    hide = os.environ.get("GRAPHKIT_IGRAPH_WITHOUT_PYPLOT") == "1" and "matplotlib" not in sys.modules
    if hide:
        sys.modules["matplotlib"] = None  # import matplotlib raises ImportError: igraph falls back
    try:
        import igraph
    except ImportError:  # pragma: no cover - exercised only where igraph is absent
        return None
    finally:
        if hide:
            del sys.modules["matplotlib"]
    return igraph


ig = _import_igraph()

__all__ = ["HAVE_IGRAPH", "IGraphView", "igraph_view", "use_compiled"]

HAVE_IGRAPH = ig is not None


@dataclass
class IGraphView:
    """An undirected igraph copy of a networkx graph, without self-loops.

    ``nodes[i]`` is the networkx node of igraph vertex ``i``.
    """

    graph: Any
    nodes: list
    weights: list[float] | None

    def to_dict(self, values) -> dict:
        return dict(zip(self.nodes, values))


def igraph_view(G: nx.Graph, weight: str | None = None) -> IGraphView:
    """Convert once; self-loops dropped (no measure here counts them)."""
    if G.is_directed() or G.is_multigraph():
        raise nx.NetworkXNotImplemented("the compiled path takes simple undirected graphs (nx.Graph)")
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    edges = []
    weights = [] if weight else None
    for u, v, data in G.edges(data=True):
        if u == v:
            continue
        edges.append((index[u], index[v]))
        if weights is not None:
            value = data.get(weight)
            weights.append(1.0 if value is None else float(value))  # an edge without a weight counts once
    graph = ig.Graph(n=len(nodes), edges=edges, directed=False)
    return IGraphView(graph, nodes, weights)


def use_compiled(backend: str) -> bool:
    """Whether to take the compiled path for ``backend`` ("auto", "igraph" or "networkx")."""
    if backend == "networkx":
        return False
    if backend == "igraph" and not HAVE_IGRAPH:
        raise ImportError("backend='igraph' needs python-igraph: pip install igraph")
    if backend not in ("auto", "igraph"):
        raise ValueError(f"unknown backend {backend!r}: use 'auto', 'igraph' or 'networkx'")
    return HAVE_IGRAPH
