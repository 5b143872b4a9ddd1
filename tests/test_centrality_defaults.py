"""What `graphkit build` computes by default: exact on small graphs, estimated (and saying so) above."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from graphkit import analyze
from graphkit.analyze.defaults import _sampled, author_centrality, coauthor_arrays

pytestmark = pytest.mark.skipif(not analyze.HAVE_IGRAPH, reason="igraph not installed")


def two_parts() -> nx.Graph:
    """A 400-author scale-free component, a 6-author path, two isolated authors; Newman-like weights."""
    G = nx.barabasi_albert_graph(400, 3, seed=7)
    G = nx.disjoint_union(G, nx.path_graph(6))
    G.add_nodes_from([1000, 1001])
    for i, (u, v) in enumerate(G.edges()):
        G.edges[u, v]["weight"] = 0.25 + (i % 4) / 4
    return nx.relabel_nodes(G, {n: f"author:{n}" for n in G})


def test_small_graphs_are_exact_and_equal_networkx():
    G = two_parts()
    table = author_centrality(G).set_index("id")
    assert table.attrs["centrality"]["estimated"] == {}
    expected = {
        "betweenness": nx.betweenness_centrality(G),
        "closeness": nx.closeness_centrality(G),
        "harmonic": nx.harmonic_centrality(G),
        "pagerank": nx.pagerank(G, weight="weight", tol=1e-12, max_iter=1000),
        "core_number": nx.core_number(G),
        "degree": dict(G.degree()),
        "weighted_degree": dict(G.degree(weight="weight")),
    }
    for measure, values in expected.items():
        for node, value in values.items():
            assert table.loc[node, measure] == pytest.approx(value, abs=1e-9), (measure, node)
    assert list(table["pagerank"]) == sorted(table["pagerank"], reverse=True)


def test_communities_are_numbered_largest_first():
    G = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(7))
    table = author_centrality(G).set_index("id")
    assert table.loc[list(range(3, 10)), "community"].tolist() == [0] * 7
    assert table.loc[[0, 1, 2], "community"].tolist() == [1] * 3


def test_large_components_are_estimated_small_ones_stay_exact():
    G = two_parts()
    table = author_centrality(G, sources=60, seed=3).set_index("id")
    info = table.attrs["centrality"]
    assert set(info["estimated"]) == {"betweenness", "closeness", "harmonic"}
    assert info["estimated"]["betweenness"]["sources_per_component"] == 60
    assert info["estimated"]["betweenness"]["components_sampled"] == 1
    assert 0 < info["estimated"]["harmonic"]["error_bound"]["epsilon"] < 0.2
    assert "betweenness" not in table and "betweenness_estimated" in table
    exact_b, exact_c, exact_h = nx.betweenness_centrality(G), nx.closeness_centrality(G), nx.harmonic_centrality(G)
    path = [f"author:{n}" for n in range(400, 406)] + ["author:1000", "author:1001"]
    for node in path:  # the small component and the isolated authors: every author a source, exact
        assert table.loc[node, "betweenness_estimated"] == pytest.approx(exact_b[node], abs=1e-12)
        assert table.loc[node, "closeness_estimated"] == pytest.approx(exact_c[node], abs=1e-12)
        assert table.loc[node, "harmonic_estimated"] == pytest.approx(exact_h[node], abs=1e-9)
    big = [f"author:{n}" for n in range(400)]
    for column, exact in (("betweenness_estimated", exact_b), ("closeness_estimated", exact_c), ("harmonic_estimated", exact_h)):
        ours = np.array([table.loc[n, column] for n in big])
        theirs = np.array([exact[n] for n in big])
        assert np.corrcoef(ours, theirs)[0, 1] > 0.9, column
        assert abs(ours.sum() / theirs.sum() - 1) < 0.15, column
    # the ten highest by exact betweenness are among the twenty highest by the estimate
    top_exact = set(sorted(big, key=exact_b.get, reverse=True)[:10])
    top_est = set(table.loc[big, "betweenness_estimated"].sort_values(ascending=False).index[:20])
    assert len(top_exact & top_est) >= 8


def test_the_estimate_is_unbiased_on_average_over_seeds():
    import igraph as ig

    G = nx.barabasi_albert_graph(150, 2, seed=1)
    values = nx.betweenness_centrality(G)
    exact = np.array([values[n] for n in range(150)])
    g = ig.Graph(n=150, edges=list(G.edges()))
    runs = [_sampled(g, 30, seed)[0] for seed in range(25)]
    single = np.abs(runs[0] - exact).sum() / exact.sum()
    mean = np.abs(np.mean(runs, axis=0) - exact).sum() / exact.sum()
    assert mean < single / 2.5  # errors average out (by about 1/5 for 25 runs): no systematic bias


def test_same_seed_same_values_and_exact_on_request():
    G = two_parts()
    a = author_centrality(G, sources=60, seed=1)
    b = author_centrality(G, sources=60, seed=1)
    c = author_centrality(G, sources=60, seed=2)
    assert a.equals(b) and not a.equals(c)
    forced = author_centrality(G, sources=60, exact=True).set_index("id")
    assert forced.attrs["centrality"]["estimated"] == {}
    exact = nx.betweenness_centrality(G)
    assert max(abs(forced.loc[n, "betweenness"] - v) for n, v in exact.items()) < 1e-12


def test_tables_and_networkx_graph_give_the_same_table(built_examples):
    result = built_examples
    from_tables = author_centrality(result.tables)
    from_graph = author_centrality(result.tables.coauthor_graph())
    assert len(from_tables) == result.counts()["Author"] > 0
    assert from_tables.drop(columns="community").round(12).equals(from_graph.drop(columns="community").round(12))


def test_arrays_of_an_empty_graph():
    ids, names, u, v, w = coauthor_arrays(nx.Graph())
    assert ids == [] and len(u) == len(v) == len(w) == 0
    assert author_centrality(nx.Graph()).empty


@pytest.fixture(scope="module")
def built_examples():
    from graphkit.pipeline import build_knowledge_graph

    from .conftest import AS_OF, EXAMPLES

    return build_knowledge_graph([EXAMPLES], as_of=AS_OF)


def test_build_says_what_it_computed_in_the_report_and_the_csv_header(tmp_path):
    import csv
    import json

    from typer.testing import CliRunner

    from graphkit.cli import app

    from .conftest import EXAMPLES

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(EXAMPLES), "--out", str(out), "--as-of", "2026-11-21"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    with open(out / "centrality.csv", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == ["id", "name", "degree", "weighted_degree", "pagerank", "core_number", "community",
                      "betweenness", "closeness", "harmonic"]
    assert report["centrality"]["estimated"] == {}
    assert report["centrality"]["authors"] == report["counts"]["Author"]
    assert set(report["timings_s"]) >= {"store", "centrality", "map"}


def test_stage_progress_names_each_stage_on_a_terminal():
    import io
    import time

    from rich.console import Console

    from graphkit.progress import StageProgress

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100)
    with StageProgress(console=console, delay=0.0) as progress:
        progress.stage("read", total=3)
        for _ in range(3):
            progress.advance()
        for name in ("resolve", "tables", "store", "centrality", "map"):
            progress.stage(name)
            time.sleep(0.12)  # rich redraws ten times a second
    text = buffer.getvalue()
    for name in ("read", "resolve", "tables", "store", "centrality", "map", "3/3"):
        assert name in text, name
    quiet = io.StringIO()
    with StageProgress(console=Console(file=quiet), delay=0.0) as progress:  # not a terminal: nothing drawn
        progress.stage("read")
    assert quiet.getvalue() == ""


def test_kadabra_estimates_betweenness_within_its_stated_bound(monkeypatch):
    import graphkit.analyze.defaults as defaults

    pytest.importorskip("networkit")
    monkeypatch.setattr(defaults, "SAMPLE_WORK", 10_000)  # estimate even this small graph
    G = nx.barabasi_albert_graph(600, 3, seed=5)
    exact = nx.betweenness_centrality(G)
    within = 0
    for seed in range(10):
        table = author_centrality(G, seed=seed).set_index("id").sort_index()
        method = table.attrs["centrality"]["estimated"]["betweenness"]
        assert method["estimator"].startswith("KADABRA") and method["seed"] == seed
        bound = method["error_bound"]["epsilon_networkx_scale"]
        errors = [abs(table.loc[n, "betweenness_estimated"] - value) for n, value in exact.items()]
        within += max(errors) <= bound
        again = author_centrality(G, seed=seed).set_index("id").sort_index()
        assert again["betweenness_estimated"].equals(table["betweenness_estimated"])  # deterministic for a seed
    # The bound holds for every author at once with probability 1 - delta = 0.95 per run:
    # 9.5 of 10 runs expected; fewer than 8 has probability below 0.012.
    assert within >= 8, within


def test_the_lean_path_of_huge_graphs_gives_the_same_table(monkeypatch):
    """Above LEAN_EDGES (all of DBLP) igraph's graph is dropped after the core numbers and the small components,
    and PageRank and the sampled distances come from one SciPy adjacency: the same table, PageRank to 1e-12."""
    import graphkit.analyze.defaults as defaults

    pytest.importorskip("networkit")
    monkeypatch.setattr(defaults, "SAMPLE_WORK", 10_000)  # estimate (with KADABRA) even this small graph
    G = two_parts()
    G.add_edges_from([("author:2000", "author:2001", {"weight": 1.0}), ("author:2001", "author:2002", {"weight": 0.5})])
    usual = author_centrality(G, seed=4).set_index("id").sort_index()
    monkeypatch.setattr(defaults, "LEAN_EDGES", 0)
    lean = author_centrality(G, seed=4).set_index("id").sort_index()
    info = lean.attrs["centrality"]
    assert "PRPACK" in usual.attrs["centrality"]["pagerank"] and "power iteration" in info["pagerank"]
    assert info["estimated"] == usual.attrs["centrality"]["estimated"] and info["estimated"]["betweenness"]["estimator"].startswith("KADABRA")
    assert list(lean.index) == list(usual.index) and list(lean.columns) == list(usual.columns)
    assert np.abs(lean["pagerank"] - usual["pagerank"]).max() < 1e-12
    expected = nx.pagerank(G, weight="weight", tol=1e-14, max_iter=1000)
    assert max(abs(lean.loc[n, "pagerank"] - p) for n, p in expected.items()) < 1e-12
    for column in usual.columns.drop("pagerank"):
        assert lean[column].equals(usual[column]), column
    # the sampled estimates are the usual ones: the small components exact, the large one from the same sources
    assert lean.loc["author:2001", "closeness_estimated"] == pytest.approx(nx.closeness_centrality(G)["author:2001"], abs=1e-12)


def test_hop_distances_are_igraphs():
    """The sampled estimates' breadth-first searches (SciPy, NumPy arrays) give igraph's distances."""
    import igraph as ig

    from graphkit.analyze.defaults import _Hops

    rng = np.random.default_rng(3)
    n = 3000
    u, v = rng.integers(0, n, 2500), rng.integers(0, n, 2500)  # sparse: many components, isolated authors
    u, v = u[u != v], v[u != v]
    g = ig.Graph(n=n, edges=np.column_stack([u, v]).tolist())
    hops = _Hops(u, v, n)
    for source in rng.integers(0, n, 40).tolist():
        expected = np.asarray(g.distances(source=[source], mode="all")[0], float)
        expected[np.isinf(expected)] = -1
        assert hops.from_(source).tolist() == expected.astype(int).tolist()
