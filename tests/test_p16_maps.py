"""Session 16: on a map, a small author is never drawn inside a large author's disc (the outside librarian found
eight co-authors of a lab head hidden within his node, all of one community colour)."""

from __future__ import annotations

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

from graphkit.render import collaboration_network
from graphkit.render.layout import SEPARATION, separate_nodes

from .conftest import shared_path


def _deepest(net) -> float:
    """The deepest any drawn node's centre lies inside a larger node's disc, in units of its own size:
    0.5 when it sits half its size inside the larger one's edge, above 1 when its whole disc is within."""
    xy = np.array([(n["x"], n["y"]) for n in net.nodes], dtype=float)
    size = np.array([n["size"] for n in net.nodes], dtype=float)
    pairs = cKDTree(xy).query_pairs(float(size.max()), output_type="ndarray")
    small = np.minimum(size[pairs[:, 0]], size[pairs[:, 1]])
    large = np.maximum(size[pairs[:, 0]], size[pairs[:, 1]])
    dist = np.linalg.norm(xy[pairs[:, 0]] - xy[pairs[:, 1]], axis=1)
    return float(((large - dist) / small).max()) if len(pairs) else -np.inf


def _lab() -> nx.Graph:
    """A lab head who wrote with 24 students, each pair of students on one paper with him and on nothing else,
    and with one member of each of five other groups."""
    G = nx.Graph()
    students = [f"s{i}" for i in range(24)]
    for a, b in zip(students[::2], students[1::2]):
        G.add_edges_from([("head", a), ("head", b), (a, b)])
    for g in range(5):
        group = [f"g{g}.{i}" for i in range(6)]
        G.add_edges_from((u, v) for i, u in enumerate(group) for v in group[i + 1:])
        G.add_edge("head", group[0])
    nx.set_node_attributes(G, {n: f"Author {n}" for n in G}, "name")
    return G


def test_students_are_not_drawn_inside_the_lab_heads_node():
    net = collaboration_network(_lab())
    sizes = {n["id"]: n["size"] for n in net.nodes}
    assert sizes["head"] > 3 * max(s for n, s in sizes.items() if n.startswith("s"))  # the head is the big disc
    # (before: students' whole discs lay within the head's, 5.3 of their sizes deep)
    # every student straddles the head's edge at worst (half their size inside it; 0.1 px for the page's rounding)
    assert _deepest(net) <= 1 - SEPARATION + 0.1 / min(sizes.values())


def test_small_nodes_near_a_large_ones_centre_move_to_its_edge():
    points = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [-2.0, -2.0]])  # near the centre, not stacked
    sizes = np.array([36.0, 6.0, 6.0, 6.0])
    out = separate_nodes(points, sizes, seed=1)
    dist = np.linalg.norm(out[1:] - out[0], axis=1)
    assert (dist >= 36 - (1 - SEPARATION) * 6).all(), dist  # centre at most half its size inside the edge
    small = out[1:]
    assert min(np.linalg.norm(small[i] - small[j]) for i in range(3) for j in range(i + 1, 3)) >= SEPARATION * 6


def test_grqc_map_hides_no_author_in_a_larger_one():
    from graphkit.extract.edgelist import read_edgelist

    G = read_edgelist(shared_path("data", "snap", "ca-GrQc.txt"))[0]
    net = collaboration_network(G)
    assert _deepest(net) <= 1 - SEPARATION + 0.1 / min(n["size"] for n in net.nodes)
