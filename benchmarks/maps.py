"""Collaboration maps: layout quality read back from the page, write time, time to interactive.

    python benchmarks/maps.py                      # the page figures (ca-GrQc, BA 1k/20k, the build's maps)
    python benchmarks/maps.py --compare            # plus the layout-method comparison on ca-GrQc
    python benchmarks/maps.py --compare --fa2      # plus ForceAtlas2 (fa2-modified; minutes)
    python benchmarks/maps.py --pyvis              # plus pyvis's defaults for comparison (slow)

Two figures say whether a map shows the structure. Both are measured from
the page: the map is opened in headless Chromium (offline), the positions are
read with ``window.network.getPositions()`` and the graph with
``window.network.body.data`` (its nodes and edges), so what is measured is
what the reader sees. Communities are networkx's Louvain with seed 0 on that
(unweighted) graph. With ``d`` an author's number of co-authors:

- neighbourhood preservation: for each author with ``d > 0``, the fraction
  of their co-authors among their ``d`` nearest authors on the map
  (Euclidean distance between positions), averaged over those authors;
- community share: for each author, the fraction of their 10 nearest
  authors on the map that are in their own Louvain community, averaged over
  all authors.

(``graphkit.render.layout_quality`` computes both.) Time to interactive is
from navigation to the first completed drawing. "The build's own maps" are
the ``collaboration-map.html`` files ``graphkit build`` writes: for the
example profiles and for a synthetic corpus (benchmarks/synthetic.py); the
institution maps (``graphkit map --institutions``) of the same builds are
scored the same way, institutions in place of authors.

``--compare`` lays out ca-GrQc with each candidate method in Python and
scores the positions with the same two figures (no page: the layouts are not
what graphkit ships, except the last row).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graphkit.render import collaboration_network, community_layout, layout_quality, write_map  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
GRQC = ROOT.parent / "shared" / "data" / "snap" / "ca-GrQc.txt"
GRAPHKIT_READY = "html[data-graphkit-ready]"
PYVIS_READY = "window.network !== undefined && window.network.physics.stabilized === true"


def open_page(browser, path: Path, condition: str, timeout_s: float):
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file://") else None)
    start = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit")
    try:
        if condition.startswith("html["):  # graphkit's pages: a selector (the CSP forbids eval-based polling)
            page.wait_for_selector(condition, state="attached", timeout=timeout_s * 1000)
        else:
            page.wait_for_function(condition, timeout=timeout_s * 1000, polling=50)
        elapsed = time.perf_counter() - start
    except Exception:
        elapsed = None
    return context, page, elapsed, requests


def page_quality(page) -> dict:
    """Positions and graph as the page holds them, scored against networkx's Louvain (seed 0)."""
    nodes, edges, pos = page.evaluate("""() => {
        const d = window.network.body.data, p = window.network.getPositions();
        return [d.nodes.getIds(), d.edges.get().map(e => [e.from, e.to]), p]; }""")
    G = nx.Graph()
    G.add_nodes_from(nodes)
    G.add_edges_from((a, b) for a, b in edges if a != b)
    placed = {int(k): (v["x"], v["y"]) for k, v in pos.items()}
    return layout_quality(G, placed, nx.community.louvain_communities(G, seed=0))


def pyvis_default(G: nx.Graph, path: Path) -> None:
    # pyvis's defaults, except that vis-network is inlined (cdn_resources="in_line")
    # so it loads from file:// at all; physics, layout and options are untouched.
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    net.from_nx(G)
    cwd = os.getcwd()
    os.chdir(path.parent)  # pyvis may copy its lib/ folder into the working directory
    try:
        net.write_html(str(path))
    finally:
        os.chdir(cwd)


def build_maps(tmp: Path, papers: int) -> list[tuple[str, Path]]:
    """``graphkit build`` on the example profiles and on a synthetic corpus; their own maps."""
    from synthetic import write_corpus

    out = []
    corpus = tmp / "synthetic"
    write_corpus(corpus, papers, seed=0)
    for name, source in (("build: examples", ROOT / "examples" / "profiles"), (f"build: synthetic {papers:,} papers", corpus)):
        target = tmp / name.replace(" ", "_").replace(":", "").replace(",", "")
        subprocess.run([sys.executable, "-c", "from graphkit.cli import main; main()", "build", str(source), "--out", str(target), "--as-of", "2026-11-21"],
                       check=True, capture_output=True)
        out.append((name, target / "collaboration-map.html"))
        institutions = target.parent / f"{target.name}-institutions.html"
        subprocess.run([sys.executable, "-c", "from graphkit.cli import main; main()", "map", "--db", str(target), "--institutions",
                        "--out", str(institutions)], check=True, capture_output=True)
        out.append((name.replace("build:", "institutions:"), institutions))
    return out


def compare_layouts(G: nx.Graph, *, fa2: bool) -> None:
    """Candidate layouts of ca-GrQc, scored in Python with the same two figures."""
    import igraph as ig

    from graphkit.analyze import communities

    G = nx.Graph(G)
    G.remove_edges_from(nx.selfloop_edges(G))
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()])
    louvain = nx.community.louvain_communities(G, seed=0)

    def sfdp():
        dot = "graph{\n" + "".join(f"{index[u]}--{index[v]};\n" for u, v in G.edges()) + "".join(f"{i};\n" for i in range(len(nodes))) + "}\n"
        text = subprocess.run(["sfdp", "-Tplain"], input=dot, capture_output=True, text=True, check=True).stdout
        pos = {int(p[1]): (float(p[2]), float(p[3])) for p in (line.split() for line in text.splitlines()) if p[0] == "node"}
        return [pos[i] for i in range(len(nodes))]

    def forceatlas2():
        from fa2_modified import ForceAtlas2

        layout = ForceAtlas2(barnesHutOptimize=True, verbose=False).forceatlas2_networkx_layout(G, pos=None, iterations=1000)
        return [layout[n] for n in nodes]

    methods = [
        ("igraph Fruchterman-Reingold (niter 500)", lambda: g.layout_fruchterman_reingold(niter=500).coords),
        ("igraph Fruchterman-Reingold, grid (niter 300; graphkit before)", lambda: g.layout_fruchterman_reingold(niter=300, grid="grid").coords),
        ("igraph DrL", lambda: g.layout_drl().coords),
        ("igraph UMAP (min_dist 0.05, 100 epochs), whole graph", lambda: g.layout_umap(min_dist=0.05, epochs=100).coords),
    ]
    if subprocess.run(["which", "sfdp"], capture_output=True).returncode == 0:
        methods.append(("graphviz sfdp (Debian graphviz)", sfdp))
    if fa2:
        methods.append(("ForceAtlas2 Barnes-Hut, 1000 iterations (fa2-modified)", forceatlas2))

    def ours_on(parts):
        pos = community_layout(G, parts, seed=0)
        return [pos[n] for n in nodes]

    methods.append(("community layout on networkx Louvain (seed 0)", lambda: ours_on(louvain)))
    methods.append(("community layout on graphkit's communities (igraph Louvain; shipped)",
                    lambda: ours_on(communities(G, seed=0, weight=None))))
    print("\nLayout methods on ca-GrQc (positions scored in Python against networkx's Louvain, seed 0)")
    print(f"| {'method':<70} | {'time':>8} | preservation | community share |")
    print(f"|{'-' * 72}|{'-' * 10}|{'-' * 14}|{'-' * 17}|")
    for name, run in methods:
        random.seed(0)
        start = time.perf_counter()
        coords = run()
        elapsed = time.perf_counter() - start
        q = layout_quality(G, dict(zip(nodes, map(tuple, coords))), louvain)
        print(f"| {name:<70} | {elapsed:>6.1f} s | {q['neighbourhood_preservation']:>12.3f} | {q['community_share']:>15.3f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000], help="Barabasi-Albert graphs (m=3) to draw")
    parser.add_argument("--build-papers", type=int, default=3000, help="synthetic corpus for the build's own map (0: skip)")
    parser.add_argument("--compare", action="store_true", help="also compare layout methods on ca-GrQc")
    parser.add_argument("--fa2", action="store_true", help="include ForceAtlas2 (fa2-modified) in --compare")
    parser.add_argument("--pyvis", action="store_true", help="also time pyvis's defaults")
    parser.add_argument("--pyvis-timeout", type=float, default=60.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    graphs = [(f"BA n={n:,}", lambda n=n: nx.barabasi_albert_graph(n, 3, seed=1)) for n in args.sizes]
    if GRQC.exists():
        from graphkit.extract.edgelist import read_edgelist

        graphs.insert(1, ("ca-GrQc", lambda: read_edgelist(GRQC)[0]))
    print(f"| {'map':<32} | {'nodes':>7} | {'edges':>7} | {'write':>7} | {'size':>8} | {'interactive':>11} | requests "
          f"| preservation | community share | labels |")
    print(f"|{'-' * 34}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 10}|{'-' * 13}|{'-' * 10}|{'-' * 14}|{'-' * 17}|{'-' * 8}|")
    with tempfile.TemporaryDirectory() as tmp_name, sync_playwright() as p:
        tmp = Path(tmp_name)
        browser = p.chromium.launch(executable_path=os.environ.get("GRAPHKIT_CHROMIUM", "/usr/bin/chromium"), args=ARGS)
        pages: list[tuple[str, Path, float | None]] = []
        for name, make in graphs:
            G = make()
            G = nx.relabel_nodes(G, {n: str(n) for n in G})
            path = tmp / f"{name}.html".replace(" ", "_")
            start = time.perf_counter()
            write_map(collaboration_network(G, seed=0), path)
            pages.append((name, path, time.perf_counter() - start))
        if args.build_papers:
            pages += [(name, path, None) for name, path in build_maps(tmp, args.build_papers)]
        for name, path, written in pages:
            context, page, tti, requests = open_page(browser, path, GRAPHKIT_READY, 120)
            if tti is None:
                print(f"| {name:<32} | not drawn within 120 s |")
                context.close()
                continue
            n_nodes, n_edges = page.evaluate("[window.network.body.data.nodes.length, window.network.body.data.edges.length]")
            q = page_quality(page)
            labels = page.evaluate("window.graphkitLabels().length")
            context.close()
            w = f"{written:.2f} s" if written is not None else "(build)"
            print(f"| {name:<32} | {n_nodes:>7,} | {n_edges:>7,} | {w:>7} | {path.stat().st_size / 1e6:>5.2f} MB | "
                  f"{tti:>9.2f} s | {len(requests):>8} | {q['neighbourhood_preservation']:>12.3f} | {q['community_share']:>15.3f} | {labels:>6} |",
                  flush=True)
        if args.pyvis:
            print("\npyvis defaults (physics in the browser)")
            for name, make in graphs:
                G = nx.relabel_nodes(make(), str)
                theirs = tmp / f"{name}-pyvis.html".replace(" ", "_")
                start = time.perf_counter()
                pyvis_default(G, theirs)
                t_write = time.perf_counter() - start
                context, _, tti, requests = open_page(browser, theirs, PYVIS_READY, args.pyvis_timeout)
                context.close()
                shown = f"{tti:.2f} s" if tti is not None else f"> {args.pyvis_timeout:.0f} s"
                print(f"| {name} | write {t_write:.2f} s | {theirs.stat().st_size / 1e6:.2f} MB | interactive {shown} | requests {len(requests)} |")
        browser.close()
    if args.compare and GRQC.exists():
        from graphkit.extract.edgelist import read_edgelist

        compare_layouts(read_edgelist(GRQC)[0], fa2=args.fa2)


if __name__ == "__main__":
    main()
