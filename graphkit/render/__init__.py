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
- the layout is fixed, so the map is interactive as soon as it is drawn.

Graphs larger than ``max_nodes`` are reduced to the top authors by the size
measure, and the page says what it shows and what it leaves out.
"""

from __future__ import annotations

import json
import math
import random
from importlib import resources
from pathlib import Path

import networkx as nx

from graphkit.exceptions import RenderError

__all__ = [
    "MAX_NODES",
    "collaboration_network",
    "institution_network",
    "map_html",
    "write_map",
]

MAX_NODES = 20_000
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


def _component_layout(view, n: int) -> list[tuple[float, float]]:
    if n == 1:
        return [(0.0, 0.0)]
    if n == 2:
        return [(-0.5, 0.0), (0.5, 0.0)]
    # The grid variant keeps Fruchterman-Reingold near-linear: 20,000 nodes in about a second.
    return view.graph.layout_fruchterman_reingold(niter=300, grid="grid" if n > 1000 else "nogrid").coords


def _layout(H: nx.Graph, seed: int) -> dict:
    """Seeded force-directed positions in pixels.

    Each connected component is laid out on its own (igraph's
    Fruchterman-Reingold, grid-accelerated above 1,000 nodes; networkx's spring
    layout without igraph), scaled to its size, and the components are packed in
    rows, largest first, so small groups do not scatter to the edges.
    """
    if H.number_of_nodes() == 0:
        return {}
    try:
        from graphkit.analyze._compiled import igraph_view

        def place(component: nx.Graph) -> dict:
            view = igraph_view(component)
            return dict(zip(view.nodes, _component_layout(view, component.number_of_nodes())))
    except ImportError:  # pragma: no cover - igraph missing
        def place(component: nx.Graph) -> dict:
            return {k: tuple(v) for k, v in nx.spring_layout(component, seed=seed).items()}

    state = random.getstate()
    random.seed(seed)  # python-igraph's layouts draw from Python's random module
    try:
        boxes = []
        for nodes in sorted(nx.connected_components(H), key=lambda c: (-len(c), min(map(str, c)))):
            pos = place(nx.Graph(H.subgraph(nodes)))
            xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
            span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
            side = 110 * math.sqrt(len(nodes)) if len(nodes) > 2 else 60.0  # pixels for this component
            cx, cy = min(xs), min(ys)
            boxes.append(({k: ((x - cx) / span * side, (y - cy) / span * side) for k, (x, y) in pos.items()}, side))
    finally:
        random.setstate(state)
    total = sum((side + 30) ** 2 for _, side in boxes)
    width = max(boxes[0][1], math.sqrt(total) * 1.1)
    out: dict = {}
    x = y = row_height = 0.0
    for pos, side in boxes:
        if x > 0 and x + side > width:
            x, y, row_height = 0.0, y + row_height + 30, 0.0
        for k, (px, py) in pos.items():
            out[k] = (x + px, y + py)
        x += side + 30
        row_height = max(row_height, side)
    cx = sum(p[0] for p in out.values()) / len(out)
    cy = sum(p[1] for p in out.values()) / len(out)
    return {k: (px - cx, py - cy) for k, (px, py) in out.items()}


def _measure(H: nx.Graph, name: str) -> dict:
    from graphkit.analyze import centrality_table

    if H.number_of_nodes() == 0:
        return {}
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
    net.graphkit = {"title": title, "note": "", "legend": [], "palette": list(PALETTE) + [OTHER]}
    return net


def _fill(net, nodes: list[dict], edges: list[tuple]) -> None:
    # pyvis's add_node/add_edge scan lists on every call (quadratic); fill its structures directly.
    net.nodes = nodes
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.edges = [{"from": u, "to": v, "width": w} for u, v, w in edges]
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
    seed: int = 0,
    title: str | None = None,
):
    """The co-author map as a pyvis ``Network``.

    ``G`` is a knowledge graph or a co-author graph. Modes: the whole graph
    (default), an ego map (``ego`` author within ``radius`` steps), or the
    ``top`` authors by measure ``by`` (default: ``size_by``). Node size follows
    ``size_by``; colour follows ``color_by`` ("community" or "institution",
    the latter from a knowledge graph); edge width follows ``weight``.

    Each node dict carries ``label``, ``x``, ``y``, ``size``, ``color`` and a
    plain-text ``tooltip`` (deliberately not pyvis's HTML ``title``).
    """
    from graphkit.analyze import communities, find_author

    H = _coauthors(G)
    full = H.number_of_nodes()
    what = "the whole co-author graph"
    if ego is not None:
        centre = find_author(H, ego)
        H = nx.ego_graph(H, centre, radius=radius)
        what = f"co-authors within {radius} step{'s' if radius != 1 else ''} of {H.nodes[centre].get('name', centre)}"
    size_values = _measure(H, size_by)
    left_out = ""
    if top is not None or H.number_of_nodes() > max_nodes:
        rank_by = by or size_by
        ranking = size_values if rank_by == size_by else _measure(H, rank_by)
        limit = min(top if top is not None else max_nodes, max_nodes)
        keep = sorted(ranking, key=lambda n: (-(ranking[n] if ranking[n] == ranking[n] else -math.inf), str(n)))[:limit]
        if len(keep) < H.number_of_nodes():
            left_out = f"; {H.number_of_nodes() - len(keep):,} authors with lower {rank_by} left out"
            what = f"the top {len(keep):,} authors by {rank_by}" + ("" if ego is None else f" among {what}")
        H = H.subgraph(keep).copy()
        size_values = {n: size_values[n] for n in H}
    pos = _layout(H, seed)
    sizes = _sizes(size_values)

    institutions = _main_institutions(G) if G.is_multigraph() else {
        n: d["institution"] for n, d in G.nodes(data=True) if d.get("institution")
    }
    if color_by == "institution":
        groups = [institutions.get(n) for n in H]
        ranked = [name for name, _ in _most_common(g for g in groups if g)]
        color_of = {n: (ranked.index(institutions[n]) if institutions.get(n) in ranked[: len(PALETTE)] else len(PALETTE)) for n in H}
        legend = [{"color": PALETTE[i], "label": name} for i, name in enumerate(ranked[: len(PALETTE)])]
    elif color_by == "community":
        parts = communities(H, seed=seed, weight="weight" if _weighted(H) else None) if H.number_of_nodes() else []
        color_of = {n: (i if i < len(PALETTE) else len(PALETTE)) for i, part in enumerate(parts) for n in part}
        legend = []
        for i, part in enumerate(parts[: len(PALETTE)]):
            leader = max(part, key=lambda n: (size_values.get(n) or 0, str(n)))
            legend.append({"color": PALETTE[i], "label": f"community {i + 1}: {len(part):,} authors, around {H.nodes[leader].get('name', leader)}"})
    else:
        raise RenderError(f"unknown colouring {color_by!r}: use 'community' or 'institution'")
    if len(legend) and len(set(color_of.values())) > len(legend):
        legend.append({"color": OTHER, "label": "other (smaller) groups"})

    nodes = []
    for n in H:
        x, y = pos[n]
        nodes.append({
            "id": n, "label": str(H.nodes[n].get("name", n)), "x": round(x, 1), "y": round(y, 1),
            "size": round(sizes.get(n, 8), 2), "color": (PALETTE + [OTHER])[color_of.get(n, len(PALETTE))],
            "tooltip": _author_tooltip(H, n, institutions.get(n), size_by, size_values.get(n)),
        })
    edges = [(u, v, _edge_width(d.get("weight"))) for u, v, d in H.edges(data=True) if u != v]
    net = _new_network(title or "Collaboration map")
    _fill(net, nodes, edges)
    net.graphkit["legend"] = legend + [{"color": "#ffffff", "label": f"node size: {size_by}; edge width: co-authorship weight"}]
    net.graphkit["note"] = f"Showing {what}: {len(nodes):,} of {full:,} authors, {len(edges):,} collaborations{left_out}."
    return net


def _weighted(H: nx.Graph) -> bool:
    return any(d.get("weight") is not None for _, _, d in H.edges(data=True))


def _edge_width(weight) -> float:
    return round(1 + 2.5 * math.log1p(weight), 2) if weight else 1.0


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


def _author_tooltip(H: nx.Graph, n, institution: str | None, measure: str, value) -> str:
    data = H.nodes[n]
    lines = [str(data.get("name", n))]
    if institution:
        lines.append(f"Main institution: {institution}")
    papers = {}
    for m in H[n]:
        papers[m] = H[n][m].get("papers") or 1
    lines.append(f"Co-authors: {len(papers):,}")
    if papers:
        top = sorted(papers, key=lambda m: (-papers[m], str(H.nodes[m].get("name", m))))[:3]
        lines.append("Top co-authors: " + ", ".join(f"{H.nodes[m].get('name', m)} ({papers[m]})" for m in top))
    if value is not None and value == value:
        lines.append(f"{measure}: {value:.4g}" if isinstance(value, float) else f"{measure}: {value}")
    return "\n".join(lines)


def institution_network(G: nx.MultiDiGraph, *, seed: int = 0, title: str | None = None):
    """Institutions as nodes, edge width = papers listing both; size = papers listing the institution."""
    from graphkit.build import institution_graph

    if not G.is_multigraph():
        raise RenderError("the institution map needs a knowledge graph (build a database, not an edge list)")
    I = institution_graph(G)
    papers = {n: sum(1 for _, _, k in G.in_edges(n, keys=True) if k == "AFFILIATED_WITH" and G.nodes[_].get("label") == "Paper") for n in I}
    pos = _layout(I, seed)
    sizes = _sizes(papers)
    nodes = []
    for i, n in enumerate(sorted(I, key=lambda n: (-papers[n], n))):
        data = I.nodes[n]
        partners = sorted(I[n], key=lambda m: -I[n][m]["papers"])[:3]
        tooltip = "\n".join(
            [str(data.get("name", n)), f"Papers: {papers[n]}", f"Also known as: {', '.join(data.get('aliases') or []) or '-'}"]
            + (["Top partners: " + ", ".join(f"{I.nodes[m].get('name', m)} ({I[n][m]['papers']})" for m in partners)] if partners else [])
        )
        x, y = pos[n]
        nodes.append({"id": n, "label": str(data.get("name", n)), "x": round(x, 1), "y": round(y, 1),
                      "size": round(sizes[n], 2), "color": PALETTE[i % len(PALETTE)], "tooltip": tooltip})
    edges = [(u, v, round(1 + 2 * math.log1p(d["papers"]), 2)) for u, v, d in I.edges(data=True)]
    net = _new_network(title or "Institution map")
    _fill(net, nodes, edges)
    net.graphkit["note"] = f"Institutions: {len(nodes):,}; links between institutions listed on the same paper: {len(edges):,}."
    net.graphkit["legend"] = [{"color": "#ffffff", "label": "node size: papers; edge width: papers listing both"}]
    return net


def _json_for_script(value) -> str:
    # Safe inside <script type="application/json">: no "<", ">" or "&" survive, nor JS line separators.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def map_html(net, *, inline_frame: bool = False, height: int = 640) -> str:
    """The map as one HTML document; ``inline_frame`` wraps it in an ``<iframe srcdoc>`` for notebooks."""
    meta = getattr(net, "graphkit", None) or {"title": "Map", "note": "", "legend": [], "palette": list(PALETTE) + [OTHER]}
    palette: list[str] = list(meta["palette"])
    colour_index = {c: i for i, c in enumerate(palette)}
    index = {n["id"]: i for i, n in enumerate(net.nodes)}
    nodes = []
    for n in net.nodes:
        colour = n.get("color", OTHER)
        if colour not in colour_index:
            colour_index[colour] = len(palette)
            palette.append(colour)
        nodes.append([str(n.get("label", n["id"])), n.get("x", 0), n.get("y", 0), n.get("size", 8), colour_index[colour], str(n.get("tooltip", n.get("label", "")))])
    edges = [[index[e["from"]], index[e["to"]], e.get("width", 1)] for e in net.edges]
    payload = {"title": meta["title"], "note": meta["note"], "legend": meta["legend"], "palette": palette, "nodes": nodes, "edges": edges}
    template = resources.files("graphkit.render").joinpath("template.html").read_text(encoding="utf-8")
    page = (template.replace("__TITLE__", _escape_text(meta["title"]))
            .replace("__DATA__", _json_for_script(payload))
            .replace("__VIS__", _vis_js().replace("</script", "<\\/script")))
    if not inline_frame:
        return page
    srcdoc = page.replace("&", "&amp;").replace('"', "&quot;")
    return f'<iframe srcdoc="{srcdoc}" style="width:100%;height:{int(height)}px;border:1px solid #ddd" sandbox="allow-scripts"></iframe>'


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_map(net, path: str | Path) -> Path:
    """Write the self-contained HTML map; returns its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(map_html(net), encoding="utf-8")
    tmp.replace(path)
    return path

