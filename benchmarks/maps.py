"""Map writing and time to interactive in headless Chromium, graphkit against pyvis's defaults.

    python benchmarks/maps.py [--sizes 1000 5000 20000] [--pyvis-timeout 60]

For each size a co-author-like graph (Barabasi-Albert, m=3; plus ca-GrQc when
../shared is present) is drawn twice: with graphkit's renderer (layout in
Python, physics off, vis-network inlined) and with pyvis's defaults
(``Network(cdn_resources="in_line")`` + ``from_nx`` + ``write_html``: physics
in the browser; inlined so vis-network loads offline at all). Time to
interactive is measured from navigation to the first completed drawing
(graphkit) or until vis reports the layout stabilised (pyvis), capped at
--pyvis-timeout.
Requests a page tries to make are counted (the browser context is offline).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import networkx as nx

from graphkit.render import collaboration_network, write_map

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def pyvis_default(G: nx.Graph, path: Path) -> None:
    # pyvis's defaults, except that vis-network is inlined (cdn_resources="in_line")
    # so it loads from file:// at all; physics, layout and options are untouched.
    from pyvis.network import Network

    import os

    net = Network(cdn_resources="in_line")
    net.from_nx(G)
    cwd = os.getcwd()
    os.chdir(path.parent)  # pyvis may copy its lib/ folder into the working directory
    try:
        net.write_html(str(path))
    finally:
        os.chdir(cwd)


def time_to_interactive(browser, path: Path, condition: str, timeout_s: float) -> tuple[float | None, int]:
    context = browser.new_context(offline=True)
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file://") else None)
    start = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit")
    try:
        page.wait_for_function(condition, timeout=timeout_s * 1000, polling=100)
        elapsed = time.perf_counter() - start
    except Exception:
        elapsed = None
    context.close()
    return elapsed, len(requests)


PYVIS_READY = "window.network !== undefined && window.network.physics.stabilized === true"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--pyvis-timeout", type=float, default=60.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    graphs = [(f"BA n={n}", nx.barabasi_albert_graph(n, 3, seed=1)) for n in args.sizes]
    grqc = ROOT.parent / "shared" / "data" / "snap" / "ca-GrQc.txt"
    if grqc.exists():
        from graphkit.extract.edgelist import read_edgelist

        graphs.insert(1, ("ca-GrQc", read_edgelist(grqc)[0]))
    print(f"{'graph':<14}{'nodes':>8}{'edges':>8} | {'graphkit write':>14}{'size MB':>9}{'interactive':>12}{'requests':>9} | "
          f"{'pyvis write':>11}{'size MB':>9}{'interactive':>12}{'requests':>9}")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, G in graphs:
            G = nx.relabel_nodes(G, {n: str(n) for n in G})
            ours = Path(tmp) / f"{name}-graphkit.html".replace(" ", "_")
            start = time.perf_counter()
            write_map(collaboration_network(G, seed=0), ours)
            t_ours = time.perf_counter() - start
            tti_ours, req_ours = time_to_interactive(browser, ours, "window.graphkitReady !== undefined", 60)
            theirs = Path(tmp) / f"{name}-pyvis.html".replace(" ", "_")
            start = time.perf_counter()
            pyvis_default(G, theirs)
            t_theirs = time.perf_counter() - start
            tti_theirs, req_theirs = time_to_interactive(browser, theirs, PYVIS_READY, args.pyvis_timeout)
            fmt = lambda t: f"{t:.2f} s" if t is not None else f"> {args.pyvis_timeout:.0f} s"  # noqa: E731
            print(f"{name:<14}{G.number_of_nodes():>8,}{G.number_of_edges():>8,} | {t_ours:>12.2f} s{ours.stat().st_size / 1e6:>9.2f}"
                  f"{fmt(tti_ours):>12}{req_ours:>9} | {t_theirs:>9.2f} s{theirs.stat().st_size / 1e6:>9.2f}{fmt(tti_theirs):>12}{req_theirs:>9}")
        browser.close()


if __name__ == "__main__":
    main()
