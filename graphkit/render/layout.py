"""Community-aware map layout and the two figures that say whether a map shows structure.

:func:`community_layout` places each community in its own region, as
VOSviewer's maps do: the communities of each connected component are laid out
first as one weighted graph (igraph's Fruchterman-Reingold on the graph of
communities, the number of co-authorships between two communities as weight),
their discs pushed apart until none overlap, and then each community is laid
out inside its disc with igraph's UMAP layout (which keeps co-authors
nearest), turned and mirrored so that authors who co-author across
communities face those communities. Components are packed in rows, largest
first. Everything is seeded. UMAP's epochs come down on maps larger than
ca-GrQc (:func:`_epochs`: never below 30, where ca-GrQc still scores 0.53 and
0.72), so large builds keep the layout at a few seconds.

UMAP puts authors with the same co-authors (the authors of one paper and no
other) at the same point. :func:`separate_nodes` then spreads every such stack
on a small sunflower spiral around its point (spaced by the nodes' sizes and
the room around the stack: apart when the stack stands alone, tighter in a
crowded region) and pushes any two nodes still closer than half the smaller
one's size apart, and a small node out of a large one's disc until at most
half its size is inside the edge (:func:`_needed`), so that no author hides
behind another, even in a large node of the same colour.

:func:`layout_quality` measures a layout:

- *neighbourhood preservation*: for each author with degree ``d > 0``, the
  fraction of their co-authors among their ``d`` nearest authors on the map
  (Euclidean distance), averaged over those authors;
- *community share*: for each author, the fraction of their ``k = 10``
  nearest authors on the map that belong to their own community, averaged
  over all authors.

On ca-GrQc the community layout reaches 0.58 and 0.77-0.85 in a few seconds
where igraph's DrL needs 13-20 s for 0.61 and 0.69; the comparison of
methods is in benchmarks/RESULTS.md (``python benchmarks/maps.py --compare``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Iterable, Mapping

import networkx as nx
import numpy as np

__all__ = ["community_layout", "layout_quality", "separate_nodes"]

# Pixels per sqrt(author): a community of n authors gets a disc of radius SPACING * sqrt(n).
SPACING = 30.0
GAP = 40.0
MIN_DIST = 0.05
EPOCHS = 100
#: UMAP work per map, (authors + edges inside communities) x epochs, before the epochs come down (:func:`_epochs`).
EPOCH_BUDGET = 2_000_000
MIN_EPOCHS = 30
#: Nodes' centres end at least this share of the smaller node's size (its radius on the page) apart.
SEPARATION = 0.5
#: Node size assumed when :func:`community_layout` is given none (the page's default).
DEFAULT_SIZE = 8.0
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def _fr(edges: list[tuple[int, int]], n: int, *, weights=None, niter: int = 500) -> np.ndarray:
    import igraph as ig

    if n == 1:
        return np.zeros((1, 2))
    g = ig.Graph(n=n, edges=edges)
    coords = g.layout_fruchterman_reingold(weights=weights, niter=niter, grid="grid" if n > 1500 else "nogrid").coords
    return np.asarray(coords, dtype=float)


def _normalise(points: np.ndarray, radius: float) -> np.ndarray:
    """Centre ``points`` and scale them into a disc of ``radius``."""
    centred = points - points.mean(axis=0)
    reach = np.sqrt((centred ** 2).sum(axis=1)).max()
    return centred * (radius / reach) if reach > 0 else centred


def _separate(centres: np.ndarray, radii: np.ndarray, *, rounds: int = 300) -> np.ndarray:
    """Push discs apart until no two overlap (keeping their arrangement)."""
    centres = centres.copy()
    if len(centres) < 2:
        return centres
    need = radii[:, None] + radii[None, :] + GAP
    np.fill_diagonal(need, 0)
    for _ in range(rounds):
        delta = centres[:, None, :] - centres[None, :, :]
        dist = np.sqrt((delta ** 2).sum(axis=2))
        np.fill_diagonal(dist, np.inf)
        overlap = need - dist
        np.fill_diagonal(overlap, 0)
        if (overlap <= 1e-6).all():
            break
        push = np.clip(overlap, 0, None) / 2
        unit = delta / np.where(dist == 0, 1, dist)[:, :, None]
        centres += (unit * push[:, :, None]).sum(axis=1)
    return centres


def _epochs(work: int) -> int:
    """UMAP epochs for a map whose communities hold ``work`` = authors + co-authorships inside communities.

    UMAP's time grows with epochs x (authors + edges); up to ``EPOCH_BUDGET``
    every community gets ``EPOCHS`` (ca-GrQc, 5,242 authors and 13,060 edges
    inside communities, keeps them), beyond it fewer, never below
    ``MIN_EPOCHS``, so that the layout of a 20,000-author map stays at a few
    seconds.

    >>> _epochs(18_302), _epochs(36_833), _epochs(500_000)
    (100, 54, 30)
    """
    if work * EPOCHS <= EPOCH_BUDGET:
        return EPOCHS
    return max(MIN_EPOCHS, EPOCH_BUDGET // work)


def _inside(edges: list, m: int, *, epochs: int = EPOCHS) -> np.ndarray:
    """One community's own layout: UMAP on its graph (co-authors end up nearest), FR when tiny."""
    import igraph as ig

    if m <= 8 or not edges:
        return _fr(edges, m, niter=300)
    g = ig.Graph(n=m, edges=edges)
    return np.asarray(g.layout_umap(min_dist=MIN_DIST, epochs=epochs).coords, dtype=float)


def _orient(coords: np.ndarray, ids: np.ndarray, towards: np.ndarray) -> np.ndarray:
    """Turn (and maybe mirror) ``coords`` so that points ``ids`` lean along their unit vectors ``towards``."""
    centred = coords - coords.mean(axis=0)
    best, best_score = centred, -np.inf
    for mirror in (False, True):
        p = centred * (1, -1) if mirror else centred
        q = p[ids]
        dot = (q * towards).sum()
        cross = (q[:, 0] * towards[:, 1] - q[:, 1] * towards[:, 0]).sum()
        angle = math.atan2(cross, dot)
        rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
        turned = p @ rot.T
        score = (turned[ids] * towards).sum()
        if score > best_score:
            best, best_score = turned, score
    return best


def _component_layout(n: int, edges: np.ndarray, membership: np.ndarray, *, epochs: int = EPOCHS) -> np.ndarray:
    """Positions (pixels, centred) of one connected component; ``membership`` numbers its communities 0..k-1."""
    k = int(membership.max()) + 1 if n else 0
    if n <= 2:
        return np.array([[0.0, 0.0]] if n == 1 else [[-25.0, 0.0], [25.0, 0.0]])
    sizes = np.bincount(membership, minlength=k)
    radii = SPACING * np.sqrt(sizes)
    # 1. the graph of communities: where each community goes
    a, b = membership[edges[:, 0]], membership[edges[:, 1]]
    between = a != b
    links: dict[tuple[int, int], int] = {}
    for x, y in zip(np.minimum(a, b)[between].tolist(), np.maximum(a, b)[between].tolist()):
        links[x, y] = links.get((x, y), 0) + 1
    if k > 1:
        pairs = list(links)
        spots = _fr(pairs, k, weights=[math.log1p(links[p]) for p in pairs], niter=1000)
        # Start from touching discs: scale so the mean linked pair sits at the sum of their radii.
        span = np.mean([np.linalg.norm(spots[x] - spots[y]) / (radii[x] + radii[y] + GAP) for x, y in pairs]) or 1.0
        centres = _separate(spots / span, radii)
    else:
        centres = np.zeros((1, 2))
    # 2. each community inside its disc
    out = np.zeros((n, 2))
    order = np.argsort(membership, kind="stable")
    starts = np.searchsorted(membership[order], np.arange(k + 1))
    local = np.empty(n, dtype=int)
    for c in range(k):
        local[order[starts[c]:starts[c + 1]]] = np.arange(starts[c + 1] - starts[c])
    # Edges grouped by community with numpy (stable sorts keep each group in the graph's order).
    inner = ~between
    by_c = np.argsort(a[inner], kind="stable")
    inside = np.column_stack([local[edges[inner, 0]], local[edges[inner, 1]]])[by_c]
    inside_starts = np.searchsorted(a[inner][by_c], np.arange(k + 1))
    # Each cross-community edge pulls both its ends towards the other community.
    pull_c = np.concatenate([a[between], b[between]])
    pull_other = np.concatenate([b[between], a[between]])
    pull_id = np.concatenate([local[edges[between, 0]], local[edges[between, 1]]])
    by_pull = np.argsort(pull_c, kind="stable")
    pull_c, pull_other, pull_id = pull_c[by_pull], pull_other[by_pull], pull_id[by_pull]
    pull_starts = np.searchsorted(pull_c, np.arange(k + 1))
    for c in range(k):
        members = order[starts[c]:starts[c + 1]]
        m = len(members)
        if m == 1:
            out[members] = centres[c]
            continue
        coords = _inside(inside[inside_starts[c]:inside_starts[c + 1]].tolist(), m, epochs=epochs)
        # Turn (and maybe mirror) the community so authors who co-author across
        # communities sit on the side facing those communities.
        lo, hi = pull_starts[c], pull_starts[c + 1]
        if hi > lo:
            towards = centres[pull_other[lo:hi]] - centres[c]
            norms = np.sqrt((towards ** 2).sum(axis=1))
            coords = _orient(coords, pull_id[lo:hi], towards / np.where(norms == 0, 1.0, norms)[:, None])
        out[members] = centres[c] + _normalise(coords, radii[c])
    return out - out.mean(axis=0)


def separate_nodes(points: np.ndarray, sizes: np.ndarray, *, seed: int = 0, share: float = SEPARATION,
                   rounds: int = 200) -> np.ndarray:
    """``points`` moved so that no two are closer than :func:`_needed` (``share`` times the smaller of their
    ``sizes``, and for a small node beside a large one, no closer than where the small node's centre is
    ``1 - share`` of its size inside the large one's edge: it straddles the edge and is never drawn within
    a large node of its own colour).

    First every stack (points within a hundredth of the smallest size of each
    other) is laid on a sunflower spiral around its point, turned by an angle
    drawn from ``seed``: spaced 2.2 sizes apart (the nodes do not touch) when
    nothing is near, tighter when the nearest other point is close, never below
    ``share`` sizes. Then pairs still too close are pushed apart along the line
    between them (a seeded direction for two at the same point), each by half
    what it lacks, until none is (at most ``rounds`` rounds). Points far enough
    apart never move. Vectorised: k-d tree neighbour pairs, no loop over points.

    >>> p = separate_nodes(np.zeros((11, 2)), np.full(11, 6.0))
    >>> from scipy.spatial.distance import pdist
    >>> bool(pdist(p).min() >= 3.0), bool((pdist(p) > 0).all())
    (True, True)
    >>> separate_nodes(np.array([[0.0, 0.0], [100.0, 0.0]]), np.array([6.0, 6.0])).tolist()
    [[0.0, 0.0], [100.0, 0.0]]
    """
    from scipy.spatial import cKDTree

    p = np.array(points, dtype=float).reshape(-1, 2)
    s = np.asarray(sizes, dtype=float).reshape(-1)
    n = len(p)
    if n < 2:
        return p
    rng = np.random.default_rng(seed)
    _unstack(p, s, rng, share)
    # Candidate pairs come from a k-d tree with a margin (``skin``) beyond what any pair may need, and are
    # looked up again only once some point has moved half the margin since: a pair left out was farther
    # apart than it needs plus the margin, so it cannot have come too close meanwhile (a Verlet list).
    # On a 20,000-author map: 0.4 s against 4.9 s for a k-d tree search every round.
    reach = 1.03 * float(_needed(s.max(), s.min(), share))
    skin = 0.5 * reach
    anchor = None
    for _ in range(rounds):
        if anchor is None or float(((p - anchor) ** 2).sum(axis=1).max()) > (skin / 2) ** 2:
            anchor = p.copy()
            pairs = cKDTree(p).query_pairs(reach + skin, output_type="ndarray")
            if not len(pairs):
                break
            ci, cj = pairs[:, 0], pairs[:, 1]
            cneed = _needed(s[ci], s[cj], share)
            gap = p[ci] - p[cj]
            keep = np.sqrt((gap ** 2).sum(axis=1)) < 1.03 * cneed + skin
            ci, cj, cneed = ci[keep], cj[keep], cneed[keep]
        delta = p[ci] - p[cj]
        dist = np.sqrt((delta ** 2).sum(axis=1))
        close = dist < 1.03 * cneed  # a margin: the page rounds positions to tenths of a pixel
        if not close.any():
            break
        i, j, need, delta, dist = ci[close], cj[close], cneed[close], delta[close], dist[close]
        same = dist == 0
        if same.any():
            angle = rng.uniform(0, 2 * math.pi, int(same.sum()))
            delta[same] = np.column_stack([np.cos(angle), np.sin(angle)])
            dist[same] = 1.0
        # each end moves half of what the pair lacks (with 6% to spare, so that shared pushes settle in few rounds)
        push = ((1.06 * need - np.where(same, 0.0, dist)) / (2 * dist))[:, None] * delta
        for axis in (0, 1):  # summed per point in C (np.add.at is several times slower)
            p[:, axis] += np.bincount(i, push[:, axis], n) - np.bincount(j, push[:, axis], n)
    return p


def _needed(a, b, share: float):
    """How far apart the centres of two nodes of sizes ``a`` and ``b`` (radii on the page) must be: ``share``
    times the smaller size, or, beside a larger node, the larger size less ``1 - share`` of the smaller, so
    that at least the outer part of the smaller node lies outside the larger one (a map draws authors of one
    community in one colour: a small disc inside a large one is not seen).

    >>> float(_needed(6.0, 6.0, 0.5)), float(_needed(36.0, 6.0, 0.5)), float(_needed(6.0, 36.0, 0.5))
    (3.0, 33.0, 33.0)
    """
    small, large = np.minimum(a, b), np.maximum(a, b)
    return np.maximum(share * small, large - (1 - share) * small)


def _unstack(p: np.ndarray, s: np.ndarray, rng: np.random.Generator, share: float) -> None:
    """Lay each stack of (nearly) coincident points of ``p`` on a spiral around its point, in place."""
    from scipy.sparse import coo_matrix
    from scipy.spatial import cKDTree
    from scipy.sparse.csgraph import connected_components

    n = len(p)
    pairs = cKDTree(p).query_pairs(0.01 * max(float(s.min()), 1e-9), output_type="ndarray")
    if not len(pairs):
        return
    k, label = connected_components(coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n)),
                                    directed=False)
    counts = np.bincount(label, minlength=k)
    members = np.flatnonzero(counts[label] > 1)
    order = members[np.lexsort((members, label[members]))]  # stack by stack, each in the points' order
    stack = label[order]
    starts = np.searchsorted(stack, stack)
    rank = np.arange(len(order)) - starts
    heads = order[starts == np.arange(len(order))]  # one point per stack
    # the room around a stack: its nearest point that is not in it (the other stacks count once, by their head)
    single = np.flatnonzero(counts[label] == 1)
    others = np.concatenate([single, heads])
    room = np.full(k, np.inf)
    if len(others) > 1:
        dist, _ = cKDTree(p[others]).query(p[heads], k=2)
        room[label[heads]] = dist[:, 1]
    biggest = np.zeros(k)
    np.maximum.at(biggest, label[order], s[order])
    size, m = biggest[stack], counts[stack]
    # a spiral of step c reaches c * sqrt(m) and its neighbours sit about 1.8 c apart: keep it within half the room
    spacing = np.clip(1.8 * (room[stack] / 2) / np.sqrt(m), share * size, 2.2 * size)
    radius = spacing / 1.8 * np.sqrt(rank + 0.5)
    angle = rank * GOLDEN_ANGLE + rng.uniform(0, 2 * math.pi, k)[stack]
    p[order] = p[order[starts]] + np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def community_layout(G: nx.Graph, parts: Iterable[Iterable[Hashable]], *, seed: int = 0,
                     sizes: Mapping | None = None) -> dict:
    """Positions in pixels, each community in its own region.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph; weights are not used (the layout follows who
        co-authored with whom, not how often).
    parts : iterable of iterables of nodes
        Communities covering the nodes of ``G`` (for example
        :func:`graphkit.analyze.communities`); a node in none is its own.
    seed : int
        Seed for every random choice.
    sizes : mapping, optional
        ``{node: size}`` as the page draws them (radius in pixels; default
        :data:`DEFAULT_SIZE`): no two nodes end closer than
        :data:`SEPARATION` times the smaller one's size
        (:func:`separate_nodes`, within each component).

    Returns
    -------
    dict
        ``{node: (x, y)}``.

    Examples
    --------
    >>> G = nx.Graph([(1, 2), (2, 3), (3, 1), (4, 5), (5, 6), (6, 4), (3, 4)])
    >>> pos = community_layout(G, [{1, 2, 3}, {4, 5, 6}])
    >>> near = lambda a, b: math.dist(pos[a], pos[b])
    >>> near(1, 2) < near(1, 5) and near(5, 6) < near(5, 2)
    True

    Authors with the same co-authors are not stacked on one point:

    >>> K = nx.complete_graph(11)
    >>> pos = community_layout(K, [set(K)])
    >>> min(math.dist(pos[a], pos[b]) for a, b in K.edges()) >= SEPARATION * DEFAULT_SIZE
    True
    """
    nodes = list(G)
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    membership = np.full(len(nodes), -1)
    for c, part in enumerate(parts):
        for n in part:
            if n in index:
                membership[index[n]] = c
    spare = membership.max() + 1
    for i in np.flatnonzero(membership < 0):
        membership[i] = spare
        spare += 1
    # Edges in the graph's own order (never a set's, whose order changes between runs), each with its component.
    all_edges = np.array([(index[u], index[v]) for u, v in G.edges() if u != v], dtype=int).reshape(-1, 2)
    component_of = np.empty(len(nodes), dtype=int)
    components = sorted(nx.connected_components(G), key=lambda c: (-len(c), min(map(str, c))))
    for c, component in enumerate(components):
        component_of[[index[n] for n in component]] = c
    edge_component = component_of[all_edges[:, 0]]
    node_size = np.full(len(nodes), DEFAULT_SIZE)
    if sizes is not None:
        node_size = np.array([float(sizes.get(n, DEFAULT_SIZE)) for n in nodes])
    epochs = _epochs(len(nodes) + int((membership[all_edges[:, 0]] == membership[all_edges[:, 1]]).sum()))
    local = np.empty(len(nodes), dtype=int)
    state = random.getstate()
    random.seed(seed)  # python-igraph's layouts draw from Python's random module
    try:
        boxes = []
        for c, component in enumerate(components):
            ids = np.array(sorted(index[n] for n in component))
            local[ids] = np.arange(len(ids))
            edges = local[all_edges[edge_component == c]].reshape(-1, 2)
            _, local_membership = np.unique(membership[ids], return_inverse=True)
            points = _component_layout(len(ids), edges, local_membership.ravel(), epochs=epochs)
            if len(ids) > 2:  # (two authors alone sit 50 pixels apart)
                points = separate_nodes(points, node_size[ids], seed=seed + c)
            lo, hi = points.min(axis=0), points.max(axis=0)
            boxes.append((ids, points - lo, hi - lo))
    finally:
        random.setstate(state)
    # Pack components in rows, largest first, into a roughly square picture.
    width = max(max(size[0] for _, _, size in boxes), math.sqrt(sum((s[0] + GAP) * (s[1] + GAP) for _, _, s in boxes)) * 1.1)
    out = np.zeros((len(nodes), 2))
    x = y = row = 0.0
    for ids, points, size in boxes:
        if x > 0 and x + size[0] > width:
            x, y, row = 0.0, y + row + GAP, 0.0
        out[ids] = points + (x, y)
        x += size[0] + GAP
        row = max(row, size[1])
    out -= out.mean(axis=0)
    return {n: (float(px), float(py)) for n, (px, py) in zip(nodes, out)}


def layout_quality(G: nx.Graph, pos: Mapping, parts: Iterable[Iterable[Hashable]], *, k: int = 10) -> dict:
    """Neighbourhood preservation and community share of a layout (definitions in the module docstring).

    Examples
    --------
    >>> G = nx.Graph([(1, 2), (3, 4)])
    >>> pos = {1: (0, 0), 2: (1, 0), 3: (10, 0), 4: (11, 0)}
    >>> layout_quality(G, pos, [{1, 2}, {3, 4}], k=1)
    {'neighbourhood_preservation': 1.0, 'community_share': 1.0}
    """
    from scipy.spatial import cKDTree

    nodes = [n for n in G if n in pos]
    if len(nodes) < 2:
        return {"neighbourhood_preservation": float("nan"), "community_share": float("nan")}
    index = {n: i for i, n in enumerate(nodes)}
    points = np.array([pos[n] for n in nodes], dtype=float)
    community = {n: c for c, part in enumerate(parts) for n in part}
    membership = np.array([community.get(n, -1 - i) for i, n in enumerate(nodes)])
    neighbours = [{index[m] for m in G[n] if m != n and m in index} for n in nodes]
    degree = np.array([len(s) for s in neighbours])
    want = int(min(len(nodes) - 1, max(k, degree.max()))) + 1
    # The point itself comes first (ties at distance 0 aside: drop it by identity).
    _, near = cKDTree(points).query(points, k=want)
    near = np.asarray(near).reshape(len(nodes), want)
    kept, shares = [], []
    for i, row in enumerate(near):
        row = row[row != i]
        if degree[i]:
            kept.append(len(neighbours[i].intersection(row[: degree[i]].tolist())) / degree[i])
        shares.append(float((membership[row[:k]] == membership[i]).mean()))
    return {"neighbourhood_preservation": round(float(np.mean(kept)), 4) if kept else float("nan"),
            "community_share": round(float(np.mean(shares)), 4)}
