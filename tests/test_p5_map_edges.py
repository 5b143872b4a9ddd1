"""Maps draw at most ``max_edges`` co-authorships, each author's strongest first (issue #13: the build's map
of a dense graph stays fast to write and responsive to open)."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest
from typer.testing import CliRunner

from graphkit.analyze.defaults import author_centrality
from graphkit.cli import app
from graphkit.pipeline import build_knowledge_graph
from graphkit.render import _EdgeTable, collaboration_network, tables_network, write_map

from .conftest import AS_OF, EXAMPLES

runner = CliRunner()


def _weighted_graph(n: int, m: int, seed: int) -> nx.Graph:
    rng = random.Random(seed)
    G = nx.Graph()
    G.add_nodes_from(f"a{i}" for i in range(n))
    while G.number_of_edges() < m:
        u, v = rng.sample(range(n), 2)
        # few distinct weights and paper counts, so that ties are common and the tie rules matter
        G.add_edge(f"a{u}", f"a{v}", weight=rng.choice([0.5, 1.0, 2.0, None]), papers=rng.randint(1, 3))
    return G


def _strongest_by_definition(G: nx.Graph, limit: int) -> list[int]:
    """The docstring's rule, one edge at a time: rank at each end, the better rank, then weight, papers, order."""
    edges = list(G.edges(data=True))
    key = lambda i: (-(edges[i][2]["weight"] or 0.0), -edges[i][2]["papers"], i)  # noqa: E731
    rank: dict[tuple[int, str], int] = {}
    for author in G:
        mine = sorted((i for i, (a, b, _) in enumerate(edges) if author in (a, b)), key=key)
        for r, i in enumerate(mine):
            rank[i, author] = r
    best = {i: min(rank[i, a], rank[i, b]) for i, (a, b, _) in enumerate(edges)}
    return sorted(sorted(range(len(edges)), key=lambda i: (best[i], *key(i)))[:limit])


@pytest.mark.parametrize("seed", range(6))
def test_strongest_follows_its_definition(seed):
    G = _weighted_graph(40, 160, seed)
    table = _EdgeTable(G)
    for limit in (1, 25, 40, 90, 159):
        assert table.strongest(limit).tolist() == _strongest_by_definition(G, limit), limit
    assert table.strongest(160) is None and table.strongest(10_000) is None


def test_every_author_keeps_their_strongest_coauthorship():
    G = _weighted_graph(300, 3000, 7)
    table = _EdgeTable(G)
    kept = table.strongest(len(G))  # a budget of one edge per author is enough for everyone's strongest
    assert len(kept) == len(G)
    drawn = {frozenset((table.nodes[table.u[i]], table.nodes[table.v[i]])) for i in kept.tolist()}
    for author in G:
        if G.degree(author):
            best = max(G[author].items(), key=lambda kv: ((kv[1]["weight"] or 0.0), kv[1]["papers"]))
            top_weight = (best[1]["weight"] or 0.0, best[1]["papers"])
            mine = [e for e in drawn if author in e]
            assert mine, author
            assert any(((G.edges[tuple(e)]["weight"] or 0.0), G.edges[tuple(e)]["papers"]) == top_weight for e in mine)


@pytest.fixture(scope="module")
def tables():
    return build_knowledge_graph([EXAMPLES], as_of=AS_OF).tables


def test_build_map_draws_the_budget_and_says_so(tables):
    centrality = author_centrality(tables)
    whole = tables_network(tables, centrality, title="m")
    total = len(whole.edges)
    assert total > 10 and "drawn" not in whole.graphkit["note"]
    net = tables_network(tables, centrality, title="m", max_edges=10)
    assert len(net.edges) == 10
    assert f"10 of their {total:,} collaborations drawn" in net.graphkit["note"]
    # the authors, their communities and tooltips are those of the whole map; only the drawing is thinner
    assert [n["id"] for n in net.nodes] == [n["id"] for n in whole.nodes]
    assert net.graphkit["communities"] == whole.graphkit["communities"]
    assert [n["tooltip"] for n in net.nodes] == [n["tooltip"] for n in whole.nodes]
    drawn = {(e["from"], e["to"]) for e in net.edges}
    assert drawn <= {(e["from"], e["to"]) for e in whole.edges}
    # the colours are centrality.csv's communities (of the whole graph), also when the map is cut
    for max_nodes in (len(centrality), 9):
        cut = tables_network(tables, centrality, title="m", max_nodes=max_nodes)
        shown = centrality.iloc[:max_nodes]
        expected: dict = {}
        for author, community in zip(shown["id"], shown["community"]):
            expected.setdefault(community, []).append(author)
        assert sorted(cut.graphkit["communities"]) == sorted(sorted(group, key=str) for group in expected.values())
        assert [len(c) for c in cut.graphkit["communities"]] == sorted((len(g) for g in expected.values()), reverse=True)
    # and the map from a networkx graph thins the same way
    G = tables.coauthor_graph()
    assert len(collaboration_network(G, max_edges=10).edges) == 10


def test_map_command_takes_max_edges(tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(EXAMPLES), "--out", str(out), "--as-of", AS_OF]).exit_code == 0
    result = runner.invoke(app, ["map", "--db", str(out / "graph.lbdb"), "--out", str(tmp_path / "m.html"), "--max-edges", "5"])
    assert result.exit_code == 0, result.output
    assert "5 of their" in result.output and "collaborations drawn" in result.output
    assert (tmp_path / "m.html").stat().st_size > 0


@pytest.mark.browser
def test_thinned_map_opens_with_the_drawn_edges(tmp_path):
    from playwright.sync_api import sync_playwright

    from .browser import CHROMIUM_ARGS, Page, chromium_path

    G = _weighted_graph(2000, 20_000, 3)
    net = collaboration_network(G, max_edges=3000)
    path = write_map(net, tmp_path / "map.html")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 800}, offline=True)
            page = Page(context.new_page())
            page.open(path)
            assert page.js("window.network.body.data.nodes.length") == 2000
            assert page.js("window.network.body.data.edges.length") == 3000
            assert page.errors == [] and page.outside_requests() == []
        finally:
            browser.close()
    degree = np.zeros(2000, dtype=int)
    index = {n: i for i, n in enumerate(G)}
    for e in net.edges:
        degree[index[e["from"]]] += 1
        degree[index[e["to"]]] += 1
    assert (degree > 0).all()  # 3,000 edges >= 2,000 authors: nobody is left without a line
