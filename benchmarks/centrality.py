"""graphkit's compiled path against plain networkx, side by side in one run.

    python benchmarks/centrality.py [--edgelist ../shared/data/snap/ca-GrQc.txt] [--papers 250000] [--skip-nx-big]

1. ca-GrQc (5,242 authors): exact betweenness, closeness, k-core, Louvain,
   PageRank with graphkit (igraph C core, conversion included) and networkx;
   the speed-up and the largest difference between the two results.
2. A synthetic co-author graph with about a million edges (papers with 1-20
   authors drawn with a power law): conversion, PageRank, components, k-core,
   clustering; networkx's k-core and clustering for comparison. Peak memory.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edgelist", type=Path, default=ROOT.parent / "shared" / "data" / "snap" / "ca-GrQc.txt")
    parser.add_argument("--papers", type=int, default=125_000, help="papers in the synthetic graph (125,000 give about a million edges)")
    parser.add_argument("--skip-nx-big", action="store_true", help="do not run networkx on the big graph")
    args = parser.parse_args()
    if not analyze.HAVE_IGRAPH:
        sys.exit("igraph is not installed: nothing to compare")
    if args.edgelist.exists():
        section_grqc(args.edgelist)
    else:
        print(f"{args.edgelist} not found: ca-GrQc section skipped")
    section_big(args.papers, args.skip_nx_big)


if __name__ == "__main__":
    main()
