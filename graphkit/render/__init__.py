"""Render stage: interactive HTML collaboration maps, offline and safe.

:func:`collaboration_network` and :func:`institution_network` return a
``pyvis.network.Network`` (nodes placed by a seeded force-directed layout
computed in Python, physics off); :func:`write_map` and :func:`map_html`
turn it into one self-contained HTML file with graphkit's own template:

- vis-network is inlined from the copy pyvis ships: no CDN, no request;
  a Content-Security-Policy forbids any network access;
- every input string travels as JSON data and is shown with ``textContent``
  or drawn on the canvas, never parsed as HTML (pyvis's own template would
  turn a title containing "href" into markup; this one cannot);
- the layout is fixed (:func:`graphkit.render.layout.community_layout`:
  each community in its own region), so the map is interactive as soon as
  it is drawn;
- the page carries a year control (co-authorships up to year Y, from each
  edge's ``first_year``), colourings by community, main institution and the
  average year of each author's papers, and labels that never overlap (the
  most central authors first, the rest on zoom);
- data never passes through template substitution: the template's
  placeholders are filled in one pass, so a name that reads ``__VIS__`` stays
  a name.

:func:`graphkit.render.static.write_image` draws the same layout as a PNG or
SVG with matplotlib.

Graphs larger than ``max_nodes`` are reduced to the top authors by the size
measure, and the page says what it shows and what it leaves out.
"""

from __future__ import annotations

import json
import math
import re
from importlib import resources
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.exceptions import OutputError, RenderError
from graphkit.render._files import replace_file
from graphkit.render.layout import community_layout, layout_quality
from graphkit.render.static import file_head

__all__ = [
    "MAX_EDGES",
    "MAX_NODES",
    "UNRANKED",
    "collaboration_network",
    "community_layout",
    "institution_network",
    "is_graphkit_map",
    "layout_quality",
    "map_html",
    "store_author_figures",
    "store_mean_years",
    "tables_mean_years",
    "tables_paper_counts",
    "tables_network",
    "write_image",
    "write_map",
]

MAX_NODES = 20_000
#: Co-authorships a map draws at most: beyond it each author's strongest are kept (:meth:`_EdgeTable.strongest`).
#: vis-network stays interactive within seconds at 20,000 authors and ~60,000 edges; a dense build's top
#: 20,000 authors can share 800,000 co-authorships, which no browser draws responsively.
MAX_EDGES = 60_000
PALETTE = [
    "#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c",
    "#ccb974", "#64b5cd", "#1b9e77", "#e7298a",
]
OTHER = "#c7c7c7"


def _vis_js() -> str:
    lib = resources.files("pyvis").joinpath("templates", "lib")
    versions = sorted(p.name for p in lib.iterdir() if p.name.startswith("vis-"))
    if not versions:
        raise RenderError("pyvis does not ship vis-network; reinstall pyvis")
    return lib.joinpath(versions[-1], "vis-network.min.js").read_text(encoding="utf-8")


def _coauthors(G: nx.Graph) -> nx.Graph:
    if G.is_multigraph():
        from graphkit.build import coauthor_graph

        return coauthor_graph(G)
    return G


def _induced(G: nx.Graph, keep, *, order=None) -> nx.Graph:
    """The subgraph on ``keep`` with nodes and edges in ``G``'s order (or ``order``).

    networkx's subgraph views iterate a set when fewer than half the nodes are
    kept, so their order (and with it communities and layout) would change from
    run to run with Python's string hashing.
    """
    keep = set(keep)
    nodes = [n for n in (order if order is not None else G) if n in keep]
    rank = {n: i for i, n in enumerate(nodes)}
    H = nx.Graph()
    H.add_nodes_from((n, G.nodes[n]) for n in nodes)
    edges = [(u, v, d) if rank[u] <= rank[v] else (v, u, d) for u, v, d in G.edges(data=True) if u in keep and v in keep]
    H.add_edges_from(sorted(edges, key=lambda e: (rank[e[0]], rank[e[1]])))
    return H


def _induced_by_table(G: nx.Graph, table: "_EdgeTable", keep) -> tuple[nx.Graph, "_EdgeTable"]:
    """:func:`_induced` (``G``'s order) and its edge table, both picked from ``table``'s arrays (no pass over ``G``'s edges)."""
    index = {n: i for i, n in enumerate(table.nodes)}
    kept = np.zeros(len(table.nodes), dtype=bool)
    kept[[index[n] for n in keep]] = True
    a, b = np.minimum(table.u, table.v), np.maximum(table.u, table.v)
    mask = kept[a] & kept[b]
    a, b = a[mask], b[mask]
    order = np.lexsort((b, a))  # kept nodes keep G's order, so G-positions order the edges as _induced does
    nodes = table.nodes
    H = nx.Graph()
    H.add_nodes_from((nodes[i], G.nodes[nodes[i]]) for i in np.flatnonzero(kept).tolist())
    adj = G.adj
    H.add_edges_from((nodes[x], nodes[y], adj[nodes[x]][nodes[y]]) for x, y in zip(a[order].tolist(), b[order].tolist()))
    # H.edges() yields exactly these edges in this order (each from its earlier end), so its table is a selection.
    picked = np.flatnonzero(mask)[order]
    return H, table.select(kept, picked, a[order], b[order])


def _spread(pos: dict, sizes: dict, *, share: float = 0.15) -> dict:
    """Scale positions up until the nodes cover at most ``share`` of the picture.

    The layout spaces authors for large maps; on a small map (an ego map, a few
    dozen authors) the biggest nodes would otherwise cover their neighbours.
    Scaling keeps every distance ratio, so the layout's quality is unchanged.
    """
    if len(pos) < 2:
        return pos
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    pad = 2 * max(sizes.values(), default=8)
    area = (max(xs) - min(xs) + pad) * (max(ys) - min(ys) + pad)
    covered = sum(math.pi * sizes.get(n, 8) ** 2 for n in pos)
    if covered <= share * area:
        return pos
    # The padding does not grow with the positions: aim at the share on the positions alone.
    factor = math.sqrt(covered / (share * area)) * 1.1
    for _ in range(20):
        if covered <= share * (factor * (max(xs) - min(xs)) + pad) * (factor * (max(ys) - min(ys)) + pad):
            break
        factor *= 1.25
    return {n: (x * factor, y * factor) for n, (x, y) in pos.items()}


def _measure(H: nx.Graph, name: str, *, table: _EdgeTable | None = None) -> dict:
    from graphkit.analyze import HAVE_IGRAPH, centrality_table

    if H.number_of_nodes() == 0:
        return {}
    if name == "pagerank" and HAVE_IGRAPH:
        # igraph's PRPACK solves the same weighted PageRank as networkx (dangling authors spread
        # evenly) exactly, and 5-10x faster on large maps; weights as centrality_table takes them.
        import igraph as ig

        table = table or _EdgeTable(H)
        g = ig.Graph(n=len(table.nodes), edges=np.column_stack([table.u, table.v]), directed=False)
        w = pd.to_numeric(pd.Series(table.weight, dtype=object), errors="coerce")
        weights = w.fillna(1.0).tolist() if w.notna().any() else None
        return dict(zip(table.nodes, g.pagerank(weights=weights, damping=0.85)))
    table = centrality_table(H, [name])
    return dict(zip(table["id"], table[name]))


def _sizes(values: dict) -> dict:
    if not values:
        return {}
    finite = [v for v in values.values() if v is not None and not (isinstance(v, float) and math.isnan(v))]
    lo, hi = (min(finite), max(finite)) if finite else (0, 0)
    spread = (hi - lo) or 1.0
    return {n: 6 + 30 * math.sqrt(((v if v is not None and v == v else lo) - lo) / spread) for n, v in values.items()}


def _new_network(title: str):
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=False, heading="")
    net.graphkit = {"title": title, "note": "", "legends": {}, "palette": list(PALETTE) + [OTHER]}
    return net


def _fill(net, nodes: list[dict], edges: list[tuple]) -> None:
    # pyvis's add_node/add_edge scan lists on every call (quadratic); fill its structures directly.
    net.nodes = nodes
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.edges = [{"from": u, "to": v, "width": w, "first_year": year} for u, v, w, year in edges]
    net.toggle_physics(False)


def collaboration_network(
    G: nx.Graph,
    *,
    size_by: str = "pagerank",
    color_by: str = "community",
    ego: str | None = None,
    radius: int = 1,
    top: int | None = None,
    by: str | None = None,
    max_nodes: int = MAX_NODES,
    max_edges: int = MAX_EDGES,
    seed: int = 0,
    title: str | None = None,
    mean_years: dict | None = None,
    papers: dict | None = None,
):
    """The co-author map as a pyvis ``Network``.

    ``G`` is a knowledge graph or a co-author graph. Modes: the whole graph
    (default), an ego map (``ego`` author within ``radius`` steps), or the
    ``top`` authors by measure ``by`` (default: ``size_by``); an ego map cut to
    its ``top`` authors keeps the ego author and the ``top`` others, and its
    note says so. Node size follows
    ``size_by`` and ``top`` ranks by ``by``, each the author's value in the
    whole graph (as ``graphkit centrality`` gives it), also on an ego map;
    the initial colour follows ``color_by`` ("community",
    "institution" or "year"; the page switches between them); edge width
    follows ``weight``. Nodes are placed by :func:`community_layout` on the
    communities that colour them. At most ``max_edges`` co-authorships are
    drawn (and laid out), each author's strongest first
    (:meth:`_EdgeTable.strongest`); communities and first years still count
    every co-authorship among the shown authors, and the page says how many it
    draws. A tooltip's co-authors and top co-authors are the author's in the
    whole graph, drawn or not ("Co-authors: 68 (10 on this map)" when the map
    shows only some of them).

    The average year of each author's papers comes from ``mean_years``
    (``{author: year}``, see :func:`store_mean_years` and
    :func:`tables_mean_years`), else from a ``mean_year`` node attribute, else
    from the knowledge graph's papers, else from the author's co-authorships (each edge's ``first_year``/``last_year``
    midpoint, weighted by ``papers``), else it is unknown. Each author's
    number of papers (``Papers: N`` in the tooltip) comes from ``papers``
    (``{author: count}``, see :func:`store_author_figures`), else from the
    knowledge graph's ``AUTHORED`` edges; a co-author graph alone has none.

    Each node dict carries ``label``, ``x``, ``y``, ``size``, ``color``, a
    plain-text ``tooltip`` (deliberately not pyvis's HTML ``title``),
    ``groups`` (colour index per colouring), ``first_year`` and ``mean_year``;
    each edge carries ``first_year``.
    """
    from graphkit.analyze import find_author

    if color_by not in COLOURINGS:
        raise RenderError(f"unknown colouring {color_by!r}: use 'community', 'institution' or 'year'")
    for measure in (size_by, by):
        if measure in UNRANKED:
            raise RenderError(f"{measure!r} numbers groups of authors, it does not rank them: size and rank by a "
                              "centrality such as pagerank or degree (color_by='community' colours the communities)")
    H = whole = _coauthors(G)
    full = H.number_of_nodes()
    what = "the whole co-author graph"
    centre = None
    if ego is not None:
        centre = find_author(H, ego)
        H = _induced(H, nx.single_source_shortest_path_length(H, centre, cutoff=radius))
        what = f"co-authors within {radius} step{'s' if radius != 1 else ''} of {H.nodes[centre].get('name', centre)}"
    table = _EdgeTable(H)
    # every co-authorship of the graph, before any cut: an ego map's sizes, ranks and tooltips are the whole graph's
    whole_table = table if centre is None else _EdgeTable(whole)

    def measured(measure: str) -> dict:
        values = _measure(whole, measure, table=whole_table)
        return values if centre is None else {n: values[n] for n in H}

    size_values = measured(size_by)
    left_out = ""
    if top is not None or H.number_of_nodes() > max_nodes:
        rank_by = by or size_by
        ranking = size_values if rank_by == size_by else measured(rank_by)
        limit = min(top if top is not None else max_nodes, max_nodes)
        # an ego map keeps its centre: the top `limit` others and the centre (within max_nodes)
        others = [n for n in ranking if n != centre]
        if centre is not None:
            limit = min(limit, max_nodes - 1)
        keep = sorted(others, key=lambda n: (-(ranking[n] if ranking[n] == ranking[n] else -math.inf), str(n)))[:limit]
        if len(keep) < len(others):
            left_out = f"; {len(others) - len(keep):,} authors with lower {rank_by} left out"
            authors = f"{len(keep):,} {'other ' if centre is not None else ''}author{'s' if len(keep) != 1 else ''}"
            what = (f"the top {authors} by {rank_by}" if centre is None
                    else f"{H.nodes[centre].get('name', centre)} and the top {authors} by {rank_by} among {what}")
        if centre is not None:
            keep.append(centre)
        H, table = _induced_by_table(H, table, keep)
        size_values = {n: size_values[n] for n in H}
    # tooltips give each author's co-authors in the whole graph, also those this map leaves out
    coauthors = None
    if H.number_of_nodes() < full:
        coauthors = whole_table
    if papers is None and G.is_multigraph():
        papers = _authored_counts(G, H)
    return _draw(G, H, table, size_values, full=full, what=what, left_out=left_out, size_by=size_by,
                 color_by=color_by, seed=seed, title=title, mean_years=mean_years, max_edges=max_edges,
                 coauthors=coauthors, papers=papers)


def _authored_counts(G: nx.MultiDiGraph, authors) -> dict:
    """Each of ``authors``' papers in a knowledge graph: their ``AUTHORED`` edges (to distinct papers)."""
    return {n: len({p for _, p, key in G.out_edges(n, keys=True) if key == "AUTHORED"}) for n in authors if n in G}


def tables_network(tables, centrality: pd.DataFrame, *, title: str | None = None, mean_years: dict | None = None,
                   max_nodes: int = MAX_NODES, max_edges: int = MAX_EDGES, seed: int = 0):
    """The build's map from its tables and its centrality table, as :func:`collaboration_network` draws
    the co-author graph of ``tables`` (size by PageRank, colour by community).

    No graph of the whole co-author graph is built: the ``max_nodes`` authors
    with the highest PageRank (ties by id) are picked from ``centrality``
    (:func:`graphkit.analyze.defaults.author_centrality`'s table, sorted so),
    and only their co-authorships are read, as arrays. Their colours are the
    table's ``community`` column (Louvain on the whole co-author graph), so the
    map and ``centrality.csv`` name the same communities. Main institutions and
    the average years (``mean_years`` if given) are computed for the shown
    authors only; their tooltips count their co-authors in the whole graph
    (the COAUTHORED rows that touch them).
    """
    from graphkit.projections import coauthor_graph, main_institutions, subgraph_rows

    full = len(centrality)
    keep = centrality["id"].iloc[:max_nodes] if full > max_nodes else centrality["id"]
    if len(keep) < full:
        # the subgraph and its edge table from the same rows: H yields its edges in exactly their order
        nodes, names, x, y, props, cols = subgraph_rows(tables, keep)
        # the authors only: the map reads co-authorships from the edge table (all of them for the
        # figures, the drawn ones for the layout), so no networkx edge is made for them
        H = nx.Graph()
        H.add_nodes_from((i, {"label": "Author", "name": n}) for i, n in zip(nodes, names))
        table = _EdgeTable.from_rows(nodes, [str(n) for n in names], x, y,
                                     dict(zip(props, cols)))
    else:  # a graph small enough to show whole is drawn in its own edge order, as collaboration_network draws it
        H = coauthor_graph(tables)
        table = _EdgeTable(H)
    for author, institution in main_institutions(tables, authors=keep).items():
        H.nodes[author]["institution"] = institution
    if mean_years is None:
        mean_years = tables_mean_years(tables, authors=keep)
    what, left_out = "the whole co-author graph", ""
    if len(keep) < full:
        what = f"the top {len(keep):,} authors by pagerank"
        left_out = f"; {full - len(keep):,} authors with lower pagerank left out"
    pagerank = dict(zip(keep.tolist(), centrality["pagerank"].iloc[:len(keep)].tolist()))
    size_values = {n: pagerank[n] for n in H}
    parts = None
    if "community" in centrality.columns:  # centrality.csv's communities (of the whole graph), so both agree
        parts = _parts(keep.tolist(), centrality["community"].iloc[:len(keep)].tolist())
    # tooltips give each author's co-authors in the whole graph, also those this map leaves out
    # (counts only, from the tables' positions: the rows around the kept authors of a large graph would be
    # millions of Python values; top co-authors are those drawn)
    coauthors = _whole_degrees(tables, keep.tolist()) if len(keep) < full else None
    return _draw(H, H, table, size_values, full=full, what=what, left_out=left_out, size_by="pagerank",
                 color_by="community", seed=seed, title=title, mean_years=mean_years, max_edges=max_edges,
                 parts=parts, coauthors=coauthors, papers=tables_paper_counts(tables, authors=keep))


def _whole_degrees(tables, authors: list) -> dict:
    """Each of ``authors``' number of co-authors in the whole graph, from a build's tables (numpy only)."""
    ids, a, b = tables.coauthor_positions()
    x, y = np.minimum(a, b), np.maximum(a, b)
    mask = (x >= 0) & (x != y)
    degree = np.bincount(np.concatenate([x[mask], y[mask]]), minlength=len(ids))
    at = ids.get_indexer(pd.Index(authors))
    return {author: int(degree[i]) for author, i in zip(authors, at.tolist()) if i >= 0}


def _parts(nodes: list, membership: list) -> list[set]:
    """The communities ``membership`` gives ``nodes``, largest first (ties: lower community number first).

    >>> [sorted(part) for part in _parts(["a", "b", "c", "d"], [1, 0, 1, 2])]
    [['a', 'c'], ['b'], ['d']]
    """
    groups: dict = {}
    for node, c in zip(nodes, membership):
        groups.setdefault(c, set()).add(node)
    return [groups[c] for c in sorted(groups, key=lambda c: (-len(groups[c]), c))]


def _draw(G: nx.Graph, H: nx.Graph, table: "_EdgeTable", size_values: dict, *, full: int, what: str, left_out: str,
          size_by: str, color_by: str, seed: int, title: str | None, mean_years: dict | None,
          max_edges: int = MAX_EDGES, parts: list[set] | None = None, coauthors: "_EdgeTable | dict | None" = None,
          papers: dict | None = None):
    """The network of the authors in ``H`` (already cut; its co-authorships are ``table``'s), sized by
    ``size_values``; ``G`` gives institutions and years.

    Communities and first years come from every co-authorship in ``table``
    (communities: ``parts`` when given); the page draws (and the layout
    follows) at most ``max_edges`` of them, each author's strongest first.
    Tooltips count co-authors and name the top ones from ``coauthors`` (a
    table holding every co-authorship of each shown author in the whole graph,
    when ``H`` is part of it; or a dict of their counts alone, top co-authors
    then from ``table``), else from ``table``. ``papers``: each author's
    number of papers, shown when given.
    """
    if parts is None:
        parts = _communities(table, seed) if H.number_of_nodes() else []
    drawn = table.strongest(max_edges)
    sizes = _sizes(size_values)
    pos = _spread(community_layout(table.graph(drawn), parts, seed=seed, sizes=sizes), sizes)
    name = lambda n: str(H.nodes[n].get("name", n))  # noqa: E731
    central = lambda n: (-(size_values.get(n) or 0), name(n))  # noqa: E731

    # Colourings: communities named by their most central authors, institutions by name.
    colourings = {}
    group_of: dict = {}
    legend = []
    for i, part in enumerate(parts):
        for n in part:
            group_of[n] = min(i, len(PALETTE))
        if i < len(PALETTE):
            leaders = sorted(part, key=central)[:3]
            legend.append({"color": PALETTE[i], "label": f"{', '.join(name(n) for n in leaders)} ({len(part):,} author{'s' if len(part) != 1 else ''})"})
    if len(parts) > len(PALETTE):
        legend.append({"color": OTHER, "label": f"{len(parts) - len(PALETTE):,} smaller communities"})
    colourings["community"] = {"legend": legend, "groups": group_of}
    institutions = _main_institutions(G) if G.is_multigraph() else {
        n: d["institution"] for n, d in G.nodes(data=True) if d.get("institution")
    }
    if any(institutions.get(n) for n in H):
        ranked = [inst for inst, _ in _most_common(institutions[n] for n in H if institutions.get(n))]
        slot = {inst: i for i, inst in enumerate(ranked[: len(PALETTE)])}
        groups = {n: slot.get(institutions.get(n), len(PALETTE)) for n in H}
        legend = [{"color": PALETTE[i], "label": inst} for inst, i in slot.items()]
        if len(ranked) > len(PALETTE) or any(not institutions.get(n) for n in H):
            legend.append({"color": OTHER, "label": "other institutions or none known"})
        colourings["institution"] = {"legend": legend, "groups": groups}
    elif color_by == "institution":
        raise RenderError("no author on this map has an institution: colour by community or year instead")
    first, mean = _author_years(G, H, mean_years, table=table)
    if color_by == "year" and not mean:
        raise RenderError("no author on this map has a known year: colour by community instead")

    if coauthors is None:
        degree, top_coauthors = table.degree, table.top_coauthors(3)
    elif isinstance(coauthors, dict):  # whole-graph co-author counts only (a build's map of a large graph)
        degree = np.array([coauthors.get(n, d) for n, d in zip(table.nodes, table.degree.tolist())], dtype=np.int64)
        top_coauthors = table.top_coauthors(3)
    else:
        index = {n: i for i, n in enumerate(coauthors.nodes)}
        rows = np.array([index[n] for n in table.nodes], dtype=np.int64)
        degree, top_coauthors = coauthors.degree[rows], coauthors.top_coauthors(3, rows)
    nodes = []
    for i, n in enumerate(H):
        x, y = pos[n]
        groups = {kind: c["groups"].get(n, len(PALETTE)) for kind, c in colourings.items()}
        nodes.append({
            "id": n, "label": name(n), "x": round(x, 1), "y": round(y, 1),
            "size": round(sizes.get(n, 8), 2), "color": (PALETTE + [OTHER])[groups["community"]],
            "groups": groups, "first_year": first.get(n), "mean_year": mean.get(n), "institution": institutions.get(n),
            "tooltip": _tooltip(table.names[i], institutions.get(n), int(degree[i]), top_coauthors[i],
                                size_by, size_values.get(n), mean.get(n), shown=int(table.degree[i]),
                                papers=None if papers is None else papers.get(n, 0)),
        })
    nodes.sort(key=lambda d: central(d["id"]))  # most central first: their labels are placed first
    edges = table.edges(drawn)
    thinned = ""
    if drawn is not None:
        thinned = (f"; {len(edges):,} of their {len(table.u):,} collaborations drawn, "
                   "each author's strongest first")
    net = _new_network(title or "Collaboration map")
    _fill(net, nodes, edges)
    net.graphkit.update({
        "legends": {kind: c["legend"] for kind, c in colourings.items()},
        "colour_by": color_by,
        "key": f"node size: {size_by}; edge width: co-authorship weight",
        "note": f"Showing {what}: {len(nodes):,} of {full:,} authors, {len(edges):,} collaborations{left_out}{thinned}.",
        "communities": [sorted(p, key=str) for p in parts],
    })
    return net


def _communities(table: "_EdgeTable", seed: int) -> list[set]:
    """``communities(H)`` of the graph ``table`` holds (weighted when any edge is), on igraph straight from its arrays."""
    from graphkit.analyze import HAVE_IGRAPH, communities

    weighted = any(w is not None for w in table.weight)
    if not HAVE_IGRAPH:
        return communities(table.graph(weighted=weighted), seed=seed, weight="weight" if weighted else None)
    import igraph as ig

    from graphkit.analyze._compiled import IGraphView
    from graphkit.analyze.structure import louvain_parts

    # the graph igraph_view(H) converts: H's nodes and edges in H's order, self-loops dropped, no weight counts 1
    graph = ig.Graph(n=len(table.nodes), edges=list(zip(table.u.tolist(), table.v.tolist())), directed=False)
    weights = [1.0 if w is None else float(w) for w in table.weight] if weighted else None
    return louvain_parts(IGraphView(graph, table.nodes, weights), weights, seed=seed)


COLOURINGS = ("community", "institution", "year")
#: Measures that label authors rather than rank them: no node size nor top-N follows them.
UNRANKED = ("community", "leiden")


def _year(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1000 <= year <= 3000 else None


def _years(values) -> np.ndarray:
    """:func:`_year` over a sequence at once: float years, NaN where unknown or out of range."""
    if not len(values):
        return np.zeros(0)
    years = np.floor(pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(float))
    years[(years < 1000) | (years > 3000)] = np.nan
    return years


class _EdgeTable:
    """The map's co-authorships as arrays (one pass over the graph), for per-author figures without per-author loops.

    ``u``/``v`` index ``nodes`` (``H``'s order); self-loops are dropped (no
    figure counts them).
    """

    def __init__(self, H: nx.Graph, *, nodes: list | None = None, edges=None):
        self.nodes = list(H) if nodes is None else nodes
        self.names = [str(H.nodes[n].get("name", n)) for n in self.nodes]
        index = {n: i for i, n in enumerate(self.nodes)}
        rows = [(index[a], index[b], d.get("weight"), d.get("papers"), d.get("first_year"), d.get("last_year"))
                for a, b, d in (H.edges(data=True) if edges is None else edges) if a != b]
        u, v, weight, papers, lo, hi = zip(*rows) if rows else ((),) * 6
        self.u = np.asarray(u, dtype=np.int64)
        self.v = np.asarray(v, dtype=np.int64)
        self.weight = list(weight)
        self.papers_shown = [p or 1 for p in papers]  # as the tooltip prints them
        self.papers = pd.to_numeric(pd.Series(self.papers_shown, dtype=object), errors="coerce").fillna(1).to_numpy(float)
        self.first_year = _years(lo)
        self.last_year = _years(hi)
        n = len(self.nodes)
        self.degree = np.bincount(self.u, minlength=n) + np.bincount(self.v, minlength=n)

    @classmethod
    def around(cls, G: nx.Graph, authors) -> "_EdgeTable":
        """The table of every co-authorship in ``G`` of ``authors``: they and their co-authors (in ``G``'s
        order, as on a map of the whole graph), and only the edges that touch ``authors``.

        Its ``degree`` and :meth:`top_coauthors` are exact for ``authors`` (a map of part of ``G`` gives
        them their figures in the whole graph); for their co-authors they count only these edges.

        >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])
        >>> table = _EdgeTable.around(G, ["b"])
        >>> table.nodes, table.degree.tolist()
        (['a', 'b', 'c'], [1, 2, 1])
        """
        authors = set(authors)
        near = set(authors)
        for n in authors:
            near.update(G[n])
        nodes = [n for n in G if n in near]
        # each edge once, also one between two of the authors
        return cls(G, nodes=nodes, edges=G.edges([n for n in nodes if n in authors], data=True))

    @classmethod
    def from_rows(cls, nodes: list, names: list[str], u: np.ndarray, v: np.ndarray, columns: dict) -> "_EdgeTable":
        """The table of a graph given as arrays (``u < v``, no self-loop), as ``_EdgeTable(H)`` would read it."""
        new = object.__new__(cls)
        new.nodes, new.names = nodes, names
        new.u, new.v = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
        m = len(new.u)
        new.weight = list(columns.get("weight", [None] * m))
        new.papers_shown = [p or 1 for p in columns.get("papers", [None] * m)]
        new.papers = pd.to_numeric(pd.Series(new.papers_shown, dtype=object), errors="coerce").fillna(1).to_numpy(float)
        new.first_year = _years(columns.get("first_year", [None] * m))
        new.last_year = _years(columns.get("last_year", [None] * m))
        n = len(nodes)
        new.degree = np.bincount(new.u, minlength=n) + np.bincount(new.v, minlength=n)
        return new

    def select(self, kept: np.ndarray, picked: np.ndarray, u: np.ndarray, v: np.ndarray) -> "_EdgeTable":
        """The table of the subgraph on nodes ``kept`` (a mask) with edges ``picked`` running ``u`` -> ``v`` (old indices)."""
        new = object.__new__(_EdgeTable)
        position = np.cumsum(kept) - 1
        keep = np.flatnonzero(kept).tolist()
        new.nodes = [self.nodes[i] for i in keep]
        new.names = [self.names[i] for i in keep]
        new.u, new.v = position[u], position[v]
        picks = picked.tolist()
        new.weight = [self.weight[i] for i in picks]
        new.papers_shown = [self.papers_shown[i] for i in picks]
        new.papers = self.papers[picked]
        new.first_year = self.first_year[picked]
        new.last_year = self.last_year[picked]
        n = len(new.nodes)
        new.degree = np.bincount(new.u, minlength=n) + np.bincount(new.v, minlength=n)
        return new

    def first_years(self) -> dict:
        """Each author's earliest co-authorship year."""
        n = len(self.nodes)
        first = np.full(n, np.inf)
        known = ~np.isnan(self.first_year)
        for ends in (self.u, self.v):
            np.minimum.at(first, ends[known], self.first_year[known])
        return {self.nodes[i]: int(first[i]) for i in np.flatnonzero(np.isfinite(first))}

    def midpoint_means(self) -> dict:
        """Each author's average co-authorship year: edge midpoints weighted by papers."""
        n = len(self.nodes)
        known = ~np.isnan(self.first_year)
        mid = (self.first_year + np.where(np.isnan(self.last_year), self.first_year, self.last_year)) / 2
        w = np.where(known, self.papers, 0.0)
        wm = np.where(known, self.papers * mid, 0.0)
        total = np.bincount(self.u, wm, n) + np.bincount(self.v, wm, n)
        count = np.bincount(self.u, w, n) + np.bincount(self.v, w, n)
        return {self.nodes[i]: float(total[i] / count[i]) for i in np.flatnonzero(count != 0)}

    def top_coauthors(self, k: int, rows: np.ndarray | None = None) -> list[list[tuple[str, object]]]:
        """Each author's ``k`` co-authors with most joint papers (ties by name): ``[(name, papers), ...]``.

        ``rows``: only the authors at these positions of ``nodes``, in this order.
        """
        n = len(self.nodes)
        src = np.concatenate([self.u, self.v])
        dst = np.concatenate([self.v, self.u])
        papers = np.concatenate([self.papers, self.papers])
        shown = self.papers_shown + self.papers_shown
        name_rank = np.empty(n, dtype=np.int64)
        name_rank[np.argsort(np.array(self.names, dtype=object), kind="stable")] = np.arange(n)
        order = np.lexsort((name_rank[dst], -papers, src))
        starts = np.searchsorted(src[order], np.arange(n + 1))
        out = []
        for i in (range(n) if rows is None else rows.tolist()):
            picked = order[starts[i]:min(starts[i] + k, starts[i + 1])]
            out.append([(self.names[dst[j]], shown[j]) for j in picked.tolist()])
        return out

    def _weights(self) -> np.ndarray:
        return pd.to_numeric(pd.Series(self.weight, dtype=object), errors="coerce").to_numpy(float)

    def strongest(self, limit: int) -> np.ndarray | None:
        """The co-authorships to draw when there are more than ``limit``: each author's strongest first.

        Every co-authorship is ranked at each of its two authors (by weight,
        then joint papers, then table order); its rank is the better of the
        two. The ``limit`` edges of best rank are kept (ties by weight, papers,
        order): every author keeps their strongest co-authorship, then their
        second, and so on while the budget lasts. Returns the kept edges'
        indices in table order, or None when all fit.
        """
        m = len(self.u)
        if m <= limit:
            return None
        w = np.nan_to_num(self._weights(), nan=0.0)
        src = np.concatenate([self.u, self.v])
        edge = np.concatenate([np.arange(m), np.arange(m)])
        order = np.lexsort((edge, -np.tile(self.papers, 2), -np.tile(w, 2), src))
        ends = src[order]
        starts = np.searchsorted(ends, ends)  # first position of each author's run
        rank = np.empty(2 * m, dtype=np.int64)
        rank[order] = np.arange(2 * m) - starts
        best = np.minimum(rank[:m], rank[m:])
        kept = np.lexsort((np.arange(m), -self.papers, -w, best))[:max(int(limit), 0)]
        return np.sort(kept)

    def graph(self, drawn: np.ndarray | None = None, *, weighted: bool = False) -> nx.Graph:
        """The authors and (the ``drawn``, else all) co-authorships as a networkx graph, in table order
        (with ``weighted``, each edge's ``weight``, None where the table has none)."""
        G = nx.Graph()
        G.add_nodes_from(self.nodes)
        picks = np.arange(len(self.u)) if drawn is None else drawn
        nodes = self.nodes
        pairs = zip(self.u[picks].tolist(), self.v[picks].tolist())
        if weighted:
            G.add_edges_from((nodes[a], nodes[b], {"weight": self.weight[i]}) for (a, b), i in zip(pairs, picks.tolist()))
        else:
            G.add_edges_from((nodes[a], nodes[b]) for a, b in pairs)
        return G

    def edges(self, drawn: np.ndarray | None = None) -> list[tuple]:
        """``(from, to, width, first_year)`` per co-authorship (the ``drawn`` ones, else all), as the page takes them."""
        w = self._weights()
        width = np.where(np.isnan(w) | (w == 0), 1.0, np.round(1 + 2.5 * np.log1p(np.where(np.isnan(w), 0, w)), 2))
        u, v, first = self.u, self.v, self.first_year
        if drawn is not None:
            u, v, width, first = u[drawn], v[drawn], width[drawn], first[drawn]
        years = [None if y != y else int(y) for y in first.tolist()]
        nodes = self.nodes
        return [(nodes[a], nodes[b], c, y) for a, b, c, y in zip(u.tolist(), v.tolist(), width.tolist(), years)]


def _author_years(G: nx.Graph, H: nx.Graph, given: dict | None, *, table: _EdgeTable | None = None) -> tuple[dict, dict]:
    """First year of each author (their first co-authorship, or first paper) and the average year of their papers."""
    table = table or _EdgeTable(H)
    first: dict = table.first_years()
    mean: dict = {}
    if given:
        mean = {n: float(given[n]) for n in H if given.get(n) is not None}
    elif any(d.get("mean_year") is not None for _, d in H.nodes(data=True)):
        mean = {n: float(d["mean_year"]) for n, d in H.nodes(data=True) if d.get("mean_year") is not None}
    elif G.is_multigraph():
        years: dict = {}
        for u, v, key in G.edges(keys=True):
            if key == "AUTHORED" and u in H:
                year = _year(G.nodes[v].get("year"))
                if year is not None:
                    years.setdefault(u, []).append(year)
        mean = {n: sum(ys) / len(ys) for n, ys in years.items()}
        for n, ys in years.items():
            first[n] = min(min(ys), first.get(n, 9999))
    else:
        mean = table.midpoint_means()
    return first, {n: round(y, 1) for n, y in mean.items()}


def _most_common(values):
    counts: dict = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _main_institutions(G: nx.MultiDiGraph) -> dict:
    best: dict = {}
    for u, v, key, d in G.edges(keys=True, data=True):
        if key == "AFFILIATED_WITH" and G.nodes[u].get("label") == "Author":
            papers = d.get("papers") or 0
            if papers > best.get(u, (0, ""))[0]:
                best[u] = (papers, G.nodes[v].get("name", v))
    return {n: name for n, (_, name) in best.items()}


def _tooltip(name: str, institution: str | None, coauthors: int, top: list, measure: str, value, mean_year=None,
             *, shown: int | None = None, papers: int | None = None) -> str:
    """An author's tooltip: their ``papers`` (when known), ``coauthors`` in the whole graph, ``shown`` of them
    on the map (said when fewer).

    >>> print(_tooltip("Philipp Koehn", None, 68, [("Barry Haddow", 12)], "pagerank", 0.0123, shown=10, papers=143))
    Philipp Koehn
    Papers: 143
    Co-authors: 68 (10 on this map)
    Top co-authors: Barry Haddow (12)
    pagerank: 0.0123
    """
    lines = [name]
    if institution:
        lines.append(f"Main institution: {institution}")
    if papers is not None:
        lines.append(f"Papers: {papers:,}")
    on_map = f" ({shown:,} on this map)" if shown is not None and shown != coauthors else ""
    lines.append(f"Co-authors: {coauthors:,}{on_map}")
    if top:
        lines.append("Top co-authors: " + ", ".join(f"{other} ({papers})" for other, papers in top))
    if value is not None and value == value:
        lines.append(f"{measure}: {value:.4g}" if isinstance(value, float) else f"{measure}: {value}")
    if mean_year is not None:
        lines.append(f"Average year of papers: {mean_year:.1f}")
    return "\n".join(lines)


def institution_network(G: nx.MultiDiGraph, *, seed: int = 0, title: str | None = None):
    """Institutions as nodes, edge width = papers listing both; size = papers listing the institution.

    Laid out like the author map (:func:`community_layout` on the communities
    of the institution graph) and coloured by those communities, each named by
    its institutions with the most papers.
    """
    from graphkit.analyze import communities
    from graphkit.build import institution_graph

    if not G.is_multigraph():
        raise RenderError("the institution map needs a knowledge graph (build a database, not an edge list)")
    I = institution_graph(G)
    I = _induced(I, I, order=sorted(I, key=str))  # the projection's order follows sets: fix it
    papers = _institution_papers(G, I)
    parts = communities(I, seed=seed, weight="weight") if I.number_of_nodes() else []
    sizes = _sizes(papers)
    pos = _spread(community_layout(I, parts, seed=seed, sizes=sizes), sizes)
    name = lambda n: str(I.nodes[n].get("name", n))  # noqa: E731
    central = lambda n: (-papers[n], name(n))  # noqa: E731
    group_of = {n: min(i, len(PALETTE)) for i, part in enumerate(parts) for n in part}
    legend = [{"color": PALETTE[i], "label": f"{', '.join(name(n) for n in sorted(part, key=central)[:3])} "
                                             f"({len(part):,} institution{'s' if len(part) != 1 else ''})"}
              for i, part in enumerate(parts[: len(PALETTE)])]
    if len(parts) > len(PALETTE):
        legend.append({"color": OTHER, "label": f"{len(parts) - len(PALETTE):,} smaller groups"})
    nodes = []
    for n in sorted(I, key=central):
        data = I.nodes[n]
        partners = sorted(I[n], key=lambda m: (-I[n][m]["papers"], str(m)))[:3]
        aliases = _other_names(name(n), data.get("aliases"))
        tooltip = "\n".join(
            [name(n), f"Papers: {papers[n]:,}"] + ([f"Also known as: {', '.join(aliases)}"] if aliases else [])
            + (["Top partners: " + ", ".join(f"{I.nodes[m].get('name', m)} ({I[n][m]['papers']})" for m in partners)] if partners else [])
        )
        x, y = pos[n]
        nodes.append({"id": n, "label": name(n), "x": round(x, 1), "y": round(y, 1), "size": round(sizes[n], 2),
                      "color": (PALETTE + [OTHER])[group_of[n]], "groups": {"community": group_of[n]},
                      "first_year": None, "mean_year": None, "tooltip": tooltip})
    edges = [(u, v, round(1 + 2 * math.log1p(d["papers"]), 2), None) for u, v, d in I.edges(data=True)]
    net = _new_network(title or "Institution map")
    _fill(net, nodes, edges)
    net.graphkit.update({
        "legends": {"community": legend},
        "key": "node size: papers listing the institution; edge width: papers listing both",
        "note": f"Institutions: {len(nodes):,}; links between institutions listed on the same paper: {len(edges):,}.",
        "communities": [sorted(p, key=str) for p in parts],
    })
    return net


def _institution_papers(G: nx.MultiDiGraph, institutions) -> dict:
    """Each institution's papers: the distinct papers with an ``AFFILIATED_WITH`` edge to it.

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("p1", {"label": "Paper"}), ("p2", {"label": "Paper"}), ("a", {"label": "Author"}),
    ...                   ("i", {"label": "Institution"})])
    >>> G.add_edges_from([("p1", "i", "AFFILIATED_WITH"), ("p2", "i", "AFFILIATED_WITH"), ("a", "i", "AFFILIATED_WITH")])
    ['AFFILIATED_WITH', 'AFFILIATED_WITH', 'AFFILIATED_WITH']
    >>> _institution_papers(G, ["i"])
    {'i': 2}
    """
    label = G.nodes
    return {n: len({p for p, _, key in G.in_edges(n, keys=True)
                    if key == "AFFILIATED_WITH" and label[p].get("label") == "Paper"}) for n in institutions}


def _other_names(name: str, aliases) -> list[str]:
    """An institution's aliases other than its own name (however written), each once.

    >>> _other_names("Carnegie Mellon University", ["Carnegie Mellon University", "CMU", "cmu", "carnegie mellon university"])
    ['CMU']
    """
    from graphkit.keys import name_key

    seen = {name_key(name)}
    out = []
    for alias in aliases or ():
        key = name_key(str(alias))
        if key and key not in seen:
            seen.add(key)
            out.append(str(alias))
    return out


def _json_for_script(value) -> str:
    # Safe inside <script type="application/json">: no "<", ">" or "&" survive, nor JS line separators.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


PLACEHOLDER = re.compile(r"__(TITLE|DATA|VIS)__")


def map_html(net, *, inline_frame: bool = False, height: int = 640) -> str:
    """The map as one HTML document; ``inline_frame`` wraps it in an ``<iframe srcdoc>`` for notebooks.

    The template's placeholders are replaced in a single pass over the
    template, so nothing inserted (a name, the data, vis-network itself) is
    ever searched for placeholders again.
    """
    meta = getattr(net, "graphkit", None) or {}
    palette: list[str] = list(meta.get("palette") or (list(PALETTE) + [OTHER]))
    colour_index = {c: i for i, c in enumerate(palette)}
    index = {n["id"]: i for i, n in enumerate(net.nodes)}
    legends = meta.get("legends") or {"community": list(meta.get("legend") or [])}
    kinds = list(legends)
    nodes = []
    for n in net.nodes:
        colour = n.get("color", OTHER)
        if colour not in colour_index:  # a pyvis network filled by hand: keep its own colours
            colour_index[colour] = len(palette)
            palette.append(colour)
        groups = n.get("groups") or {}
        nodes.append([str(n.get("label", n["id"])), n.get("x", 0), n.get("y", 0), n.get("size", 8),
                      [groups.get(kind, colour_index[colour]) for kind in kinds] or [colour_index[colour]],
                      str(n.get("tooltip", n.get("label", ""))), _year(n.get("first_year")), n.get("mean_year")])
    for node, option in zip(nodes, _search_names(net.nodes)):
        node.append(option)
    edges = [[index[e["from"]], index[e["to"]], e.get("width", 1), _year(e.get("first_year"))] for e in net.edges]
    colour_by = meta.get("colour_by") or (kinds[0] if kinds else "community")
    payload = {"title": meta.get("title", "Map"), "note": meta.get("note", ""), "key": meta.get("key", ""),
               "kinds": kinds or ["community"], "legends": [legends[k] for k in kinds] or [[]],
               "colourBy": colour_by, "palette": palette, "nodes": nodes, "edges": edges}
    template = resources.files("graphkit.render").joinpath("template.html").read_text(encoding="utf-8")
    values = {
        "TITLE": _escape_text(str(payload["title"])),
        "DATA": _json_for_script(payload),
        "VIS": _vis_js().replace("</script", "<\\/script"),
    }
    page = PLACEHOLDER.sub(lambda m: values[m.group(1)], template)
    if not inline_frame:
        return page
    srcdoc = page.replace("&", "&amp;").replace('"', "&quot;")
    return f'<iframe srcdoc="{srcdoc}" style="width:100%;height:{int(height)}px;border:1px solid #ddd" sandbox="allow-scripts"></iframe>'


def _search_names(nodes: list[dict]) -> list[str]:
    """The name the page's search offers for each node: its label, told apart when several share it.

    Authors who share a name (any case) are offered as ``Name (main
    institution)``; those with no institution, or sharing it too, as
    ``Name (id)``.

    >>> _search_names([{"id": "a1", "label": "Yang Liu", "institution": "University of Edinburgh"},
    ...                {"id": "a2", "label": "yang liu", "institution": "Tsinghua University"},
    ...                {"id": "a3", "label": "Yang Liu"}, {"id": "a4", "label": "Mirella Lapata"}])
    ['Yang Liu (University of Edinburgh)', 'yang liu (Tsinghua University)', 'Yang Liu (a3)', 'Mirella Lapata']
    >>> _search_names([{"id": "a1", "label": "Wei Wang", "institution": "UCLA"}, {"id": "a2", "label": "Wei Wang", "institution": "UCLA"}])
    ['Wei Wang (UCLA; a1)', 'Wei Wang (UCLA; a2)']
    """
    labels = [str(n.get("label", n["id"])) for n in nodes]
    counts: dict = {}
    for label in labels:
        counts[label.casefold()] = counts.get(label.casefold(), 0) + 1
    names = []
    for n, label in zip(nodes, labels):
        institution = n.get("institution")
        names.append(f"{label} ({institution})" if counts[label.casefold()] > 1 and institution else label)
    taken: dict = {}
    for name in names:
        taken[name.casefold()] = taken.get(name.casefold(), 0) + 1
    out, seen = [], set()
    for n, label, name in zip(nodes, labels, names):
        if counts[label.casefold()] > 1 and (name == label or taken[name.casefold()] > 1):
            institution = n.get("institution")
            name = f"{label} ({institution}; {n['id']})" if institution else f"{label} ({n['id']})"
        if name.casefold() in seen:  # a label that reads like another's offer
            name = f"{name} ({n['id']})"
        seen.add(name.casefold())
        out.append(name)
    return out


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_image(net, path: str | Path, **options) -> Path:
    """A static PNG or SVG of the map (see :func:`graphkit.render.static.write_image`)."""
    from graphkit.render.static import write_image as write

    return write(net, path, **options)


GENERATOR = '<meta name="generator" content="graphkit">'


def _template_head() -> bytes:
    # Maps written before the generator tag start with the template's lines up to the viewport tag.
    template = resources.files("graphkit.render").joinpath("template.html").read_text(encoding="utf-8")
    return template[: template.index(GENERATOR)].encode()


def is_graphkit_map(path: str | Path) -> bool:
    """Whether ``path`` is a regular file that graphkit wrote as a map.

    Its head carries graphkit's generator tag, or (maps written before the
    tag) starts with the template's own first lines, byte for byte.

    >>> is_graphkit_map("no-such-file.html")
    False
    """
    head = file_head(path, 2048)  # the tag sits in the template's first lines
    return head is not None and (GENERATOR.encode() in head or head.startswith(_template_head()))


def write_map(net, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the self-contained HTML map; returns its path.

    An existing file is replaced only when graphkit wrote it as a map
    (:func:`is_graphkit_map`) or ``overwrite`` is true; otherwise
    :class:`~graphkit.exceptions.OutputError`, and the file is left as it was.
    The page is written to a new hidden file beside ``path`` and renamed over
    it (:func:`graphkit.render._files.replace_file`): no other file (a
    ``map.html.tmp`` of yours, or what a link of that name points to) is
    written or removed, and a failure leaves no half-written map.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name for the map")
    if (path.exists() or path.is_symlink()) and not overwrite and not is_graphkit_map(path):
        raise OutputError(f"{path} exists and is not a map graphkit wrote; graphkit will not replace it (use --overwrite)")
    page = map_html(net).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    return replace_file(path, lambda handle: handle.write(page))



def store_mean_years(store) -> dict:
    """``{author id: average year of their papers}`` read from a store (embedded or Neo4j)."""
    return store_author_figures(store)[0]


def store_author_figures(store) -> tuple[dict, dict]:
    """``({author id: average year of their papers}, {author id: number of papers})`` read from a store
    (embedded or Neo4j) in one pass over its ``AUTHORED`` relationships (one per author and paper)."""
    from graphkit.schema import rel_properties
    from graphkit.store import cypher  # the statements live in the catalogue

    year_of = {r["id"]: r["year"] for r in store.query(cypher.read_nodes("Paper", ["id", "year"])) if r["year"] is not None}
    totals: dict = {}
    papers: dict = {}
    for r in store.query(cypher.read_rels("AUTHORED", "Author", "Paper", list(rel_properties("AUTHORED", "Author")))):
        papers[r["source"]] = papers.get(r["source"], 0) + 1
        year = year_of.get(r["target"])
        if year is not None:
            total, count = totals.get(r["source"], (0, 0))
            totals[r["source"]] = (total + year, count + 1)
    return {author: total / count for author, (total, count) in totals.items()}, papers


def tables_paper_counts(tables, *, authors=None) -> dict:
    """``{author id: number of papers}`` from a build's ``GraphTables`` (its AUTHORED table: one row per
    author and paper). ``authors``: only these authors. Vectorised."""
    from graphkit.projections import column

    source = column(tables.rel_table("AUTHORED", "Author"), "source")
    if authors is not None:
        source = source[source.isin(pd.Index(authors))]
    counts = source.value_counts(sort=False)
    return dict(zip(counts.index.tolist(), counts.tolist()))


def tables_mean_years(tables, *, authors=None) -> dict:
    """``{author id: average year of their papers}`` from a build's ``GraphTables`` (AUTHORED and Paper tables).

    ``authors``: only these authors (any iterable of ids). Vectorised: one
    join and one group-by, no Python loop over the authorships.
    """
    from graphkit.projections import column

    papers = tables.node_table("Paper")
    year = pd.to_numeric(column(papers, "year"), errors="coerce")
    # a paper id listed twice takes its last year with one, as a dict built row by row would
    known = pd.DataFrame({"id": column(papers, "id"), "year": year})[year.notna().to_numpy()]
    known = known.drop_duplicates("id", keep="last")
    if known.empty:
        return {}
    authored = tables.rel_table("AUTHORED", "Author")
    links = pd.DataFrame({"author": column(authored, "source"), "paper": column(authored, "target")})
    if authors is not None:
        links = links[links["author"].isin(pd.Index(authors))]
    at = pd.Index(known["id"]).get_indexer(links["paper"])
    links = links.assign(year=np.where(at >= 0, known["year"].to_numpy(float)[at], np.nan))[at >= 0]
    if links.empty:
        return {}
    # integer years sum exactly in floats, so each mean equals the row-by-row total / count
    grouped = links.groupby("author", sort=False)["year"].agg(["sum", "count"])
    return dict(zip(grouped.index.tolist(), (grouped["sum"] / grouped["count"]).tolist()))
