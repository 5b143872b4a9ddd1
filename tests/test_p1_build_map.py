"""The build's map and centrality from the tables (issue #13), and two small fixes: communities on edges
without a weight, and --png/--svg that refuse to replace a picture graphkit did not draw."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from typer.testing import CliRunner

from graphkit.analyze import communities
from graphkit.analyze.defaults import author_centrality
from graphkit.cli import app
from graphkit.pipeline import build_knowledge_graph
from graphkit.projections import main_institutions, tables_subgraph
from graphkit.render import collaboration_network, tables_mean_years, tables_network

from .conftest import AS_OF, EXAMPLES

runner = CliRunner()


@pytest.fixture(scope="module")
def tables():
    return build_knowledge_graph([EXAMPLES], as_of=AS_OF).tables


def _old_map(tables, max_nodes):
    """The map as the build drew it before: the whole co-author graph in networkx, cut by the map itself."""
    G = tables.coauthor_graph()
    for author, institution in main_institutions(tables).items():
        G.nodes[author]["institution"] = institution
    return collaboration_network(G, title="Collaboration map", mean_years=tables_mean_years(tables), max_nodes=max_nodes)


@pytest.mark.parametrize("max_nodes", [20_000, 40, 7])
def test_map_from_tables_is_the_map_of_the_whole_graph(tables, max_nodes):
    table = author_centrality(tables)
    new = tables_network(tables, table, title="Collaboration map", max_nodes=max_nodes)
    old = _old_map(tables, max_nodes)
    n = len(table)
    assert len(new.nodes) == min(n, max_nodes) and len(new.edges) > 0
    assert new.graphkit == old.graphkit
    assert new.edges == old.edges
    # PageRank is solved on the same graph twice; PRPACK's last bits may differ between runs
    for a, b in zip(new.nodes, old.nodes):
        assert {k: v for k, v in a.items() if k != "tooltip"} == {k: v for k, v in b.items() if k != "tooltip"}
    if max_nodes < n:
        assert f"{n - max_nodes:,} authors with lower pagerank left out" in new.graphkit["note"]
        top = set(table["id"].iloc[:max_nodes])
        assert {d["id"] for d in new.nodes} == top


def test_vectorised_institutions_and_years_match_their_definitions(tables):
    # main institution: most papers, the first seen on ties, only from one paper on
    inst_names = dict(zip(tables.node_table("Institution").values("id"), tables.node_table("Institution").values("name")))
    aff = tables.rel_table("AFFILIATED_WITH", "Author")
    best: dict = {}
    for author, inst, papers in zip(aff.values("source"), aff.values("target"), aff.values("papers")):
        if (papers or 0) > best.get(author, (0, None))[0]:
            best[author] = (papers, inst_names.get(inst, inst))
    expected = {a: name for a, (_, name) in best.items()}
    assert expected and main_institutions(tables) == expected
    some = sorted(expected)[:3]
    assert main_institutions(tables, authors=some) == {a: expected[a] for a in some}
    # average year: every paper of the author with a known year
    year_of = {p: y for p, y in zip(tables.node_table("Paper").values("id"), tables.node_table("Paper").values("year"))
               if y is not None}
    years: dict = {}
    authored = tables.rel_table("AUTHORED", "Author")
    for author, paper in zip(authored.values("source"), authored.values("target")):
        if paper in year_of:
            years.setdefault(author, []).append(year_of[paper])
    means = {a: sum(ys) / len(ys) for a, ys in years.items()}
    assert means and tables_mean_years(tables) == means
    assert tables_mean_years(tables, authors=some) == {a: means[a] for a in some if a in means}


def test_subgraph_from_tables_is_the_induced_coauthor_graph(tables):
    G = tables.coauthor_graph()
    keep = list(G)[::2]
    H = tables_subgraph(tables, reversed(keep))
    assert list(H) == keep  # the Author table's order, whatever order the authors come in
    expected = G.subgraph(keep)
    assert {frozenset(e) for e in H.edges()} == {frozenset(e) for e in expected.edges() if e[0] != e[1]}
    for u, v, data in H.edges(data=True):
        assert data == G.edges[u, v] and list(H).index(u) < list(H).index(v)
    assert dict(H.nodes(data="name")) == {n: G.nodes[n]["name"] for n in keep}


def test_centrality_with_kadabra_in_a_thread_is_seeded(tables):
    from graphkit.analyze import defaults

    # force the estimated path on the small graph: KADABRA runs beside igraph's measures
    G = nx.barabasi_albert_graph(400, 3, seed=1)
    saved = defaults.SAMPLE_WORK
    defaults.SAMPLE_WORK = 1000
    try:
        first, second = author_centrality(G, seed=3), author_centrality(G, seed=3)
    finally:
        defaults.SAMPLE_WORK = saved
    assert "betweenness" in first.attrs["centrality"]["estimated"]
    assert "KADABRA" in first.attrs["centrality"]["estimated"]["betweenness"]["estimator"]
    np.testing.assert_array_equal(first["betweenness_estimated"], second["betweenness_estimated"])
    exact = nx.betweenness_centrality(G)
    bound = first.attrs["centrality"]["estimated"]["betweenness"]["error_bound"]["epsilon_networkx_scale"]
    errors = np.abs(first["betweenness_estimated"].to_numpy() - np.array([exact[n] for n in first["id"]]))
    assert errors.max() <= bound and errors.max() > 0  # an estimate within its bound, not the exact values


@pytest.mark.parametrize("backend", ["igraph", "networkx"])
def test_communities_take_an_edge_without_weight_as_one(backend):
    G = nx.Graph()
    G.add_edge("a", "b", weight=None)
    G.add_edge("b", "c", weight=2.0)
    G.add_edge("c", "a", weight=1.0)
    G.add_edges_from([("x", "y", {"weight": 1.0}), ("y", "z", {"weight": None}), ("z", "x", {"weight": 1.0})])
    G.add_edge("c", "x", weight=0.1)
    parts = communities(G, weight="weight", backend=backend)
    assert sorted(sorted(p) for p in parts) == [["a", "b", "c"], ["x", "y", "z"]]
    assert G.edges["a", "b"]["weight"] is None  # the caller's graph is left as it was
    # the same as an explicit weight of 1
    H = G.copy()
    H.edges["a", "b"]["weight"] = H.edges["y", "z"]["weight"] = 1.0
    assert sorted(map(sorted, parts)) == sorted(map(sorted, communities(H, weight="weight", backend=backend)))


def test_map_pictures_refuse_a_file_graphkit_did_not_draw(tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(EXAMPLES), "--out", str(out)]).exit_code == 0
    for suffix in ("png", "svg"):
        mine = tmp_path / f"holiday.{suffix}"
        mine.write_bytes(b"my own picture")
        refused = runner.invoke(app, ["map", "--db", str(out), f"--{suffix}", str(mine)])
        assert refused.exit_code == 1 and mine.name in refused.stderr and "--overwrite" in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1 and "Traceback" not in refused.output
        assert mine.read_bytes() == b"my own picture" and not (tmp_path / f"holiday.{suffix}.tmp").exists()
        forced = runner.invoke(app, ["map", "--db", str(out), f"--{suffix}", str(mine), "--overwrite"])
        assert forced.exit_code == 0, forced.output
        assert mine.read_bytes() != b"my own picture"
        # graphkit's own picture is replaced without asking
        before = mine.stat().st_mtime_ns
        again = runner.invoke(app, ["map", "--db", str(out), f"--{suffix}", str(mine), "--top", "5"])
        assert again.exit_code == 0, again.output
        assert mine.stat().st_mtime_ns != before


def test_edge_table_and_communities_from_arrays_match_the_graph_s(tables):
    from graphkit.projections import subgraph_rows
    from graphkit.render import _communities, _EdgeTable

    keep = list(tables.coauthor_graph())[1::3]
    H = tables_subgraph(tables, keep)
    nodes, names, x, y, props, cols = subgraph_rows(tables, keep)
    fast, slow = _EdgeTable.from_rows(nodes, [str(n) for n in names], x, y, dict(zip(props, cols))), _EdgeTable(H)
    assert len(slow.u) > 5
    for name in ("nodes", "names", "weight", "papers_shown"):
        assert getattr(fast, name) == getattr(slow, name), name
    for name in ("u", "v", "papers", "first_year", "last_year", "degree"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name), err_msg=name)
    G = tables.coauthor_graph()
    assert _communities(_EdgeTable(G), 0) == communities(G, weight="weight", seed=0)
    assert _communities(fast, 5) == communities(H, weight="weight", seed=5)
