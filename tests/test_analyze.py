"""Analysis: the compiled path equals networkx, SNAP's table, paths, growth, write-back."""

from __future__ import annotations

import json
import math

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from graphkit import analyze
from graphkit.analyze import (
    betweenness,
    centrality_table,
    closeness,
    clustering,
    collaboration_path,
    communities,
    constraint,
    core_number,
    eigenvector,
    harmonic,
    triangles,
    yearly_growth,
)
from graphkit.cli import app
from graphkit.exceptions import AnalysisError
from graphkit.extract.edgelist import read_edgelist
from graphkit.pipeline import build_knowledge_graph
from graphkit.store import EmbeddedStore

from .conftest import AS_OF, EXAMPLES, shared_path

runner = CliRunner()
pytestmark = pytest.mark.skipif(not analyze.HAVE_IGRAPH, reason="igraph not installed: nothing to compare")


def assert_same(ours: dict, theirs: dict, tol: float = 1e-9) -> None:
    assert ours.keys() == theirs.keys()
    for node, value in theirs.items():
        if isinstance(value, float) and math.isnan(value):
            assert math.isnan(ours[node]), node
        else:
            assert ours[node] == pytest.approx(value, abs=tol, rel=tol), node


@st.composite
def coauthor_graphs(draw):
    n = draw(st.integers(1, 30))
    G = nx.Graph()
    G.add_nodes_from(range(n))  # isolated nodes stay
    for u, v in draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=80)):
        G.add_edge(u, v, weight=draw(st.floats(0.1, 5.0)))  # u == v gives self-loops
    return G


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(coauthor_graphs())
def test_compiled_measures_equal_networkx_on_random_graphs(G):
    loop_free = G.copy()
    loop_free.remove_edges_from(list(nx.selfloop_edges(G)))
    assert_same(betweenness(G), nx.betweenness_centrality(G))
    assert_same(betweenness(G, normalized=False), nx.betweenness_centrality(G, normalized=False))
    assert_same(betweenness(G, weight="weight"), nx.betweenness_centrality(G, weight="weight"), tol=1e-7)
    assert_same(closeness(G), nx.closeness_centrality(G))
    assert_same(harmonic(G), nx.harmonic_centrality(G))
    assert core_number(G) == nx.core_number(loop_free)
    assert_same(clustering(G), nx.clustering(G))
    assert triangles(G) == nx.triangles(G)
    assert_same(constraint(G), nx.constraint(G))
    if G.number_of_nodes() >= 3:
        k = min(3, G.number_of_nodes())
        assert_same(betweenness(G, k=k, seed=7), nx.betweenness_centrality(G, k=k, seed=7))


@pytest.fixture(scope="module")
def grqc():
    G, problems = read_edgelist(shared_path("data", "snap", "ca-GrQc.txt"))
    assert problems == []
    return G


def test_compiled_measures_equal_networkx_on_real_graph(grqc):
    sample = nx.Graph(grqc.subgraph(sorted(grqc, key=int)[:1500]))  # exact networkx betweenness takes long on all
    assert_same(betweenness(sample), nx.betweenness_centrality(sample))
    assert_same(betweenness(grqc, k=50, seed=1), nx.betweenness_centrality(grqc, k=50, seed=1))
    assert_same(closeness(grqc), nx.closeness_centrality(grqc))
    assert_same(harmonic(grqc), nx.harmonic_centrality(grqc))
    loop_free = grqc.copy()
    loop_free.remove_edges_from(list(nx.selfloop_edges(grqc)))
    assert core_number(grqc) == nx.core_number(loop_free)
    assert_same(clustering(grqc), nx.clustering(grqc))
    assert_same(constraint(loop_free), nx.constraint(loop_free))
    assert_same(eigenvector(grqc, weight=None), nx.eigenvector_centrality(grqc, max_iter=1000, tol=1e-12), tol=1e-6)


def test_communities_are_partitions_with_networkx_quality(grqc):
    reference = nx.community.modularity(grqc, nx.community.louvain_communities(grqc, seed=0))
    for method in ("louvain", "leiden"):
        parts = communities(grqc, method=method, weight=None, seed=0)
        assert sum(len(p) for p in parts) == grqc.number_of_nodes() and set().union(*parts) == set(grqc)
        assert nx.community.modularity(grqc, parts) == pytest.approx(reference, abs=0.02)
        assert parts == communities(grqc, method=method, weight=None, seed=0)  # seeded: repeatable


def test_snap_table_reproduced_through_cli(grqc):
    path = shared_path("data", "snap", "ca-GrQc.txt")
    result = runner.invoke(app, ["stats", "--edgelist", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert (stats["nodes"], stats["edges"], stats["lcc_nodes"], stats["lcc_edges"]) == (5242, 14496, 4158, 13428)
    assert round(stats["avg_clustering"], 4) == 0.5296
    assert (stats["triangles"], stats["diameter"]) == (48260, 17)
    assert stats["avg_clustering"] == pytest.approx(nx.average_clustering(grqc), abs=1e-12)


def test_centrality_cli_json_sorted_by_first_measure(grqc):
    path = shared_path("data", "snap", "ca-GrQc.txt")
    result = runner.invoke(app, ["centrality", "--edgelist", str(path), "-m", "pagerank", "-m", "degree", "--top", "5", "--format", "json"])
    rows = json.loads(result.stdout)
    assert [set(r) for r in rows] == [{"id", "name", "pagerank", "degree"}] * 5
    assert [r["pagerank"] for r in rows] == sorted((r["pagerank"] for r in rows), reverse=True)
    expected = nx.pagerank(grqc)
    assert rows[0]["id"] == max(expected, key=expected.get)
    bad = runner.invoke(app, ["centrality", "--edgelist", str(path), "-m", "fame"])
    assert bad.exit_code == 2 and "unknown measure" in bad.output


def test_leiden_communities_through_the_cli(tmp_path):
    """``--measure leiden`` on the local engine (it was GDS's only): Leiden's communities, largest first, seeded."""
    path = tmp_path / "edges.txt"
    big = [(a, b) for a in range(6) for b in range(a + 1, 6)]  # a clique of 6
    small = [(a, b) for a in range(10, 14) for b in range(a + 1, 14)]  # a clique of 4
    path.write_text("".join(f"{a} {b}\n" for a, b in big + small + [(5, 10)]), encoding="utf-8")
    result = runner.invoke(app, ["centrality", "--edgelist", str(path), "-m", "leiden", "-m", "degree", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    groups = {}
    for row in rows:
        groups.setdefault(row["leiden"], set()).add(row["id"])
    assert groups == {0: {str(n) for n in range(6)}, 1: {str(n) for n in range(10, 14)}}
    again = runner.invoke(app, ["centrality", "--edgelist", str(path), "-m", "leiden", "-m", "degree", "--format", "json"])
    assert json.loads(again.stdout) == rows


def test_edgelist_problems_are_reported(tmp_path):
    path = tmp_path / "edges.txt"
    path.write_text("# header\n1 2\n2 3 0.5\nlonely\n3 4 heavy\n", encoding="utf-8")
    G, problems = read_edgelist(path, weight_column=3)
    assert G.number_of_edges() == 2 and [p.line for p in problems] == [4, 5]
    result = runner.invoke(app, ["stats", "--edgelist", str(path), "--strict"])
    assert result.exit_code == 1 and "edges.txt:4" in result.stderr


def test_collaboration_path_with_linking_papers(seeds_dir):
    G = build_knowledge_graph([seeds_dir], as_of=AS_OF).graph
    steps = collaboration_path(G, "Keqing He", "Hannaneh Hajishirzi")
    assert [(s["from_name"], s["to_name"]) for s in steps] == [("Keqing He", "Zhiyuan Zeng"), ("Zhiyuan Zeng", "Hannaneh Hajishirzi")]
    assert len(steps[0]["papers"]) == 4
    assert [p["title"] for p in steps[1]["papers"]] == ["EvalTree: Profiling Language Model Weaknesses via Hierarchical Capability Trees"]
    with pytest.raises(AnalysisError, match="not connected"):
        collaboration_path(G, "Keqing He", "Wenhong Zhu")
    with pytest.raises(AnalysisError, match="no author"):
        collaboration_path(G, "Keqing He", "Nobody Atall")
    ego = analyze.ego_network(G, "Keqing He", radius=1)
    assert {ego.nodes[n]["name"] for n in ego} == {"Keqing He", "Zhiyuan Zeng", "Yanan Wu", "Yuanmeng Yan"}


def test_path_cli(tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(EXAMPLES), "--out", str(out)]).exit_code == 0
    result = runner.invoke(app, ["path", "Omer Levy", "Tim Dettmers", "--db", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    steps = json.loads(result.stdout)
    assert steps[0]["from_name"] == "Omer Levy" and steps[-1]["to_name"] == "Tim Dettmers"
    assert all(step["papers"] for step in steps)


def test_yearly_growth_on_examples():
    G = build_knowledge_graph([EXAMPLES], as_of=AS_OF).graph
    growth = yearly_growth(G).set_index("year")
    assert growth["papers"].sum() == 12
    assert growth.loc[2014, "papers"] == 1 and growth.loc[2023, "papers"] == 1
    assert growth["new_authors"].sum() == sum(d["label"] == "Author" for _, d in G.nodes(data=True))
    assert growth["lcc_authors"].is_monotonic_increasing
    assert growth["new_collaborations"].sum() == sum(1 for *_, k in G.edges(keys=True) if k == "COAUTHORED")


def test_write_back_then_sort_in_cypher(tmp_path):
    G = build_knowledge_graph([EXAMPLES], as_of=AS_OF).graph
    store = EmbeddedStore(tmp_path)
    store.write(G)
    table = centrality_table(analyze.load_coauthor_graph(store), ["pagerank", "betweenness", "constraint"])
    assert analyze.write_back(store, table) == 3 * len(table)
    top = store.query("MATCH (a:Author) RETURN a.id AS id ORDER BY a.pagerank DESC LIMIT 1")
    assert top[0]["id"] == table.iloc[0]["id"]
    assert store.query("MATCH (a:Author) WHERE a.betweenness > 0 RETURN count(a) AS n")[0]["n"] == int((table["betweenness"] > 0).sum())
