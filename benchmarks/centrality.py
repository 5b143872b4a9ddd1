"""graphkit's compiled path against plain networkx, side by side in one run.

    python benchmarks/centrality.py [--edgelist ../shared/data/snap/ca-GrQc.txt] [--papers 250000] [--skip-nx-big]

1. ca-GrQc (5,242 authors): exact betweenness, closeness, k-core, Louvain,
   PageRank with graphkit (igraph C core, conversion included) and networkx;
   the speed-up and the largest difference between the two results.
2. A synthetic co-author graph with about a million edges (papers with 1-20
   authors drawn with a power law): conversion, PageRank, components, k-core,
   clustering; networkx's k-core and clustering for comparison. Peak memory.
3. ``--cli``: ``graphkit centrality --edgelist ca-GrQc.txt --measure betweenness``
   as a user runs it (a subprocess: start-up, reading and printing included),
   the median of 5 runs, against ``networkx.betweenness_centrality`` on the same
   file in this run (reading not included for networkx).
4. ``--libraries``: igraph, NetworKit and rustworkx side by side (the two
   others only when installed: ``pip install networkit rustworkx``): exact
   betweenness, closeness and harmonic centrality on ca-GrQc; on a synthetic
   co-author graph the size of the 100k-paper build (``--lib-authors``,
   ``--lib-papers``) exact igraph betweenness as the reference and every
   library's estimator against it (time, Spearman rank correlation, how many
   of the exact top 100 are in the estimate's top 100, mean relative error
   of the top 1%); ``--lib-big-papers`` adds timings on a graph the size of the
   1M-paper build.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np

from graphkit import analyze
from graphkit.analyze._compiled import igraph_view
from graphkit.extract.edgelist import read_edgelist

ROOT = Path(__file__).resolve().parents[1]


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start


def max_diff(a: dict, b: dict) -> float:
    return max((abs(a[k] - b[k]) for k in b if a[k] == a[k] and b[k] == b[k]), default=0.0)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_coauthor_graph(n_papers: int, seed: int = 0) -> nx.Graph:
    rng = np.random.default_rng(seed)
    n_authors = n_papers
    sizes = np.minimum(20, 1 + rng.zipf(2.2, n_papers))
    # Productive authors write more papers: authors drawn with a power law.
    weights = 1 / np.arange(1, n_authors + 1) ** 0.6
    weights /= weights.sum()
    G = nx.Graph()
    G.add_nodes_from(range(n_authors))
    members = rng.choice(n_authors, size=int(sizes.sum()), p=weights)
    start = 0
    edges = []
    for size in sizes:
        team = np.unique(members[start:start + size])
        start += size
        for i in range(len(team)):
            for j in range(i + 1, len(team)):
                edges.append((int(team[i]), int(team[j])))
    G.add_edges_from(edges)
    return G


def section_grqc(path: Path) -> None:
    G, _ = read_edgelist(path)
    print(f"== ca-GrQc: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges")
    rows = []
    ours, t_ours = timed(analyze.betweenness, G)
    theirs, t_nx = timed(nx.betweenness_centrality, G)
    rows.append(("betweenness (exact)", t_ours, t_nx, max_diff(ours, theirs)))
    ours, t_ours = timed(analyze.closeness, G)
    theirs, t_nx = timed(nx.closeness_centrality, G)
    rows.append(("closeness", t_ours, t_nx, max_diff(ours, theirs)))
    loop_free = G.copy()
    loop_free.remove_edges_from(list(nx.selfloop_edges(G)))
    ours, t_ours = timed(analyze.core_number, G)
    theirs, t_nx = timed(nx.core_number, loop_free)
    rows.append(("k-core", t_ours, t_nx, max_diff(ours, theirs)))
    ours, t_ours = timed(analyze.communities, G, weight=None, seed=0)
    theirs, t_nx = timed(nx.community.louvain_communities, G, seed=0)
    rows.append(("louvain (modularity diff)", t_ours, t_nx,
                 abs(nx.community.modularity(G, ours) - nx.community.modularity(G, theirs))))
    nx.pagerank(nx.path_graph(3))  # import SciPy once, outside the timing
    ours, t_ours = timed(analyze.pagerank, G, weight=None)
    theirs, t_nx = timed(nx.pagerank, G, weight=None)
    rows.append(("pagerank (networkx both)", t_ours, t_nx, max_diff(ours, theirs)))
    print(f"{'measure':<28}{'graphkit s':>12}{'networkx s':>12}{'speed-up':>10}{'max |diff|':>14}")
    for name, a, b, diff in rows:
        print(f"{name:<28}{a:>12.3f}{b:>12.3f}{b / a:>9.1f}x{diff:>14.2e}")


def section_big(n_papers: int, skip_nx: bool) -> None:
    G, t_gen = timed(synthetic_coauthor_graph, n_papers)
    print(f"\n== synthetic co-author graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges (generated in {t_gen:.1f} s)")
    view, t_conv = timed(igraph_view, G)
    print(f"{'conversion to igraph':<34}{t_conv:>8.2f} s")
    for name, fn in [
        ("pagerank (networkx, SciPy)", lambda: analyze.pagerank(G, weight=None)),
        ("connected components", lambda: analyze.connected_components(G)),
        ("k-core (graphkit, incl. conversion)", lambda: analyze.core_number(G)),
        ("clustering (graphkit, incl. conversion)", lambda: analyze.clustering(G)),
        ("louvain (graphkit, incl. conversion)", lambda: analyze.communities(G, weight=None)),
    ]:
        _, seconds = timed(fn)
        print(f"{name:<40}{seconds:>8.2f} s")
    if not skip_nx:
        for name, fn in [("k-core (networkx)", lambda: nx.core_number(G)), ("clustering (networkx)", lambda: nx.clustering(G))]:
            _, seconds = timed(fn)
            print(f"{name:<40}{seconds:>8.2f} s")
    print(f"peak memory                             {peak_mb():>8,.0f} MB")


def section_cli(path: Path) -> None:
    import statistics
    import subprocess

    graphkit = Path(sys.executable).with_name("graphkit")
    command = [str(graphkit), "centrality", "--edgelist", str(path), "--measure", "betweenness", "--top", "5"]
    times = []
    for _ in range(5):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - start)
    G, _ = read_edgelist(path)
    _, t_nx = timed(nx.betweenness_centrality, G)
    cli = statistics.median(times)
    print(f"== {' '.join(['graphkit', *command[1:]])}")
    print(f"graphkit CLI (subprocess, median of 5)  {cli:8.3f} s   runs: {', '.join(f'{t:.2f}' for t in times)}")
    print(f"networkx betweenness_centrality         {t_nx:8.3f} s")
    print(f"speed-up                                {t_nx / cli:8.1f}x")


def synthetic_edges(n_papers: int, n_authors: int, seed: int = 0) -> np.ndarray:
    """Unique co-author pairs (i < j) of papers with 2-4 authors drawn with a power law.

    About as dense as the synthetic profile corpus's co-author graph: 120,000
    papers on 32,000 authors give ~400,000 pairs (the 100k build: 403,357).
    """
    rng = np.random.default_rng(seed)
    sizes = np.minimum(4, 1 + rng.zipf(1.6, n_papers))
    weights = 1 / np.arange(1, n_authors + 1) ** 0.6
    weights /= weights.sum()
    codes = []
    for size in np.unique(sizes):
        if size < 2:
            continue
        team = np.sort(rng.choice(n_authors, size=(int((sizes == size).sum()), size), p=weights), axis=1)
        i, j = np.triu_indices(size, 1)
        a, b = team[:, i].ravel(), team[:, j].ravel()
        codes.append((a * n_authors + b)[a != b])
    pairs = np.unique(np.concatenate(codes))
    return np.stack([pairs // n_authors, pairs % n_authors], axis=1)


def _libraries():
    libs = {}
    for name in ("networkit", "rustworkx"):
        try:
            libs[name] = __import__(name)
        except ImportError:
            print(f"{name} not installed: skipped (pip install {name})")
    return libs


def _as_graphs(n: int, edges: np.ndarray, libs: dict):
    import igraph as ig

    graphs = {"igraph": timed(ig.Graph, n=n, edges=edges, directed=False)}
    if "networkit" in libs:
        nk = libs["networkit"]

        def build_nk():
            g = nk.Graph(n)
            g.addEdges((np.ascontiguousarray(edges[:, 0]), np.ascontiguousarray(edges[:, 1])))
            return g

        graphs["networkit"] = timed(build_nk)
    if "rustworkx" in libs:
        rx = libs["rustworkx"]

        def build_rx():
            g = rx.PyGraph(multigraph=False)
            g.add_nodes_from(range(n))
            g.add_edges_from_no_data(list(zip(edges[:, 0].tolist(), edges[:, 1].tolist())))
            return g

        graphs["rustworkx"] = timed(build_rx)
    return graphs


def _accuracy(estimate: np.ndarray, exact: np.ndarray) -> str:
    from scipy.stats import spearmanr

    top = np.argsort(-exact)[:100]
    top_est = np.argsort(-estimate)[:100]
    one_pct = np.argsort(-exact)[: max(1, len(exact) // 100)]
    rel = np.abs(estimate[one_pct] - exact[one_pct]) / exact[one_pct]
    return (f"spearman {spearmanr(estimate, exact).statistic:.3f}, top-100 overlap {len(set(top) & set(top_est))}, "
            f"top-1% mean rel. error {rel.mean():.3f}")


def section_libraries(args) -> None:
    from graphkit.analyze.defaults import MIN_SOURCES, SAMPLE_WORK, author_centrality

    libs = _libraries()
    threads = libs["networkit"].getMaxNumberOfThreads() if "networkit" in libs else 1
    print(f"NetworKit threads: {threads}; igraph: one core (it holds the GIL)")
    if args.edgelist.exists():
        G, _ = read_edgelist(args.edgelist)
        G.remove_edges_from(list(nx.selfloop_edges(G)))
        index = {v: i for i, v in enumerate(G)}
        edges = np.array([(index[u], index[v]) for u, v in G.edges()], dtype=np.int64)
        n = len(index)
        print(f"\n== ca-GrQc, exact ({n:,} nodes, {len(edges):,} edges)")
        graphs = _as_graphs(n, edges, libs)
        print("graph construction: " + ", ".join(f"{k} {t:.3f} s" for k, (_, t) in graphs.items()))
        gi = graphs["igraph"][0]
        rows = [("betweenness", "igraph", lambda: gi.betweenness(directed=False)),
                ("closeness", "igraph", lambda: gi.closeness()),
                ("harmonic", "igraph", lambda: gi.harmonic_centrality())]
        if "networkit" in libs:
            nk, gn = libs["networkit"], graphs["networkit"][0]
            rows += [("betweenness", "networkit", lambda: nk.centrality.Betweenness(gn, normalized=True).run().scores()),
                     ("closeness", "networkit", lambda: nk.centrality.Closeness(gn, True, nk.centrality.ClosenessVariant.GENERALIZED).run().scores()),
                     ("harmonic", "networkit", lambda: nk.centrality.HarmonicCloseness(gn, False).run().scores())]
        if "rustworkx" in libs:
            rx, gr = libs["rustworkx"], graphs["rustworkx"][0]
            rows += [("betweenness", "rustworkx", lambda: rx.betweenness_centrality(gr, normalized=True)),
                     ("closeness", "rustworkx", lambda: rx.closeness_centrality(gr, wf_improved=True))]
        for measure, lib, fn in sorted(rows):
            _, seconds = timed(fn)
            print(f"  {measure:<12} {lib:<10} {seconds:8.3f} s")

    for label, papers, authors, reference in (("like the 100k build", args.lib_papers, args.lib_authors, True),
                                              ("like the 1M build", args.lib_big_papers, args.lib_big_authors, False)):
        if not papers:
            continue
        edges, t_gen = timed(synthetic_edges, papers, authors)
        n, m = authors, len(edges)
        k = max(MIN_SOURCES, SAMPLE_WORK // m)
        print(f"\n== synthetic co-author graph {label}: {n:,} authors, {m:,} edges (generated in {t_gen:.1f} s); "
              f"graphkit's default samples k = {k} sources")
        graphs = _as_graphs(n, edges, libs)
        print("graph construction: " + ", ".join(f"{name} {t:.2f} s" for name, (_, t) in graphs.items()))
        gi = graphs["igraph"][0]
        exact = None
        if reference:
            raw, t_exact = timed(gi.betweenness, directed=False)
            exact = np.asarray(raw) * 2 / ((n - 1) * (n - 2))
            print(f"  exact betweenness, igraph (reference)                {t_exact:8.2f} s")
        H = nx.Graph()
        H.add_nodes_from(range(n))
        H.add_edges_from(edges.tolist())
        table, t_ours = timed(author_centrality, H)
        ours = table.set_index("id").sort_index()
        column = "betweenness_estimated" if "betweenness_estimated" in ours else "betweenness"
        print(f"  graphkit author_centrality, every measure (igraph)   {t_ours:8.2f} s"
              + (f"   {column}: {_accuracy(ours[column].to_numpy(), exact)}" if exact is not None else ""))
        rng = np.random.default_rng(0)
        sources = rng.choice(n, size=k, replace=False).tolist()
        raw, t_ig = timed(gi.betweenness, directed=False, sources=sources, targets=None)
        est = np.asarray(raw) * (n - 1) / k * 2 / ((n - 1) * (n - 2))
        print(f"  igraph betweenness from {k} sources                   {t_ig:8.2f} s"
              + (f"   {_accuracy(est, exact)}" if exact is not None else ""))
        _, t_dist = timed(gi.distances, source=sources[: min(k, 64)])
        print(f"  igraph distances from {min(k, 64)} sources                       {t_dist:8.2f} s")
        if "networkit" in libs:
            nk, gn = libs["networkit"], graphs["networkit"][0]
            nk.engineering.setSeed(0, True)
            for label_nk, make in ((f"NetworKit EstimateBetweenness {k} sources", lambda: nk.centrality.EstimateBetweenness(gn, k, True, True)),
                                   ("NetworKit KADABRA eps=0.01 delta=0.1", lambda: nk.centrality.KadabraBetweenness(gn, 0.01, 0.1)),
                                   ("NetworKit KADABRA eps=0.002 delta=0.1", lambda: nk.centrality.KadabraBetweenness(gn, 0.002, 0.1))):
                algo, seconds = timed(lambda: make().run())
                scores = np.asarray(algo.scores())
                if "KADABRA" in label_nk:
                    scores = scores * n / (2 * (n - 2))  # KADABRA counts both orders of a pair against n(n-1): to networkx's scale
                print(f"  {label_nk:<53}{seconds:8.2f} s" + (f"   {_accuracy(scores, exact)}" if exact is not None else ""))
            try:
                _, seconds = timed(lambda: nk.centrality.ApproxCloseness(gn, k, 0.1, True).run())
                print(f"  NetworKit ApproxCloseness {k} samples                  {seconds:8.2f} s")
            except RuntimeError as exc:  # it takes connected graphs only
                print(f"  NetworKit ApproxCloseness: {exc}")
    print(f"\npeak memory {peak_mb():,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edgelist", type=Path, default=ROOT.parent / "shared" / "data" / "snap" / "ca-GrQc.txt")
    parser.add_argument("--papers", type=int, default=125_000, help="papers in the synthetic graph (125,000 give about a million edges)")
    parser.add_argument("--skip-nx-big", action="store_true", help="do not run networkx on the big graph")
    parser.add_argument("--cli", action="store_true", help="only the CLI against networkx on ca-GrQc")
    parser.add_argument("--libraries", action="store_true", help="only igraph, NetworKit and rustworkx side by side")
    parser.add_argument("--lib-papers", type=int, default=120_000)
    parser.add_argument("--lib-authors", type=int, default=32_000)
    parser.add_argument("--lib-big-papers", type=int, default=0, help="e.g. 1200000 (with --lib-big-authors 170000)")
    parser.add_argument("--lib-big-authors", type=int, default=170_000)
    args = parser.parse_args()
    if not analyze.HAVE_IGRAPH:
        sys.exit("igraph is not installed: nothing to compare")
    if args.cli:
        section_cli(args.edgelist)
        return
    if args.libraries:
        section_libraries(args)
        return
    if args.edgelist.exists():
        section_grqc(args.edgelist)
    else:
        print(f"{args.edgelist} not found: ca-GrQc section skipped")
    section_big(args.papers, args.skip_nx_big)


if __name__ == "__main__":
    main()
