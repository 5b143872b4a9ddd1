"""HTML collaboration maps, opened in real headless Chromium."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.pipeline import build_knowledge_graph
from graphkit.render import collaboration_network, institution_network, map_html, write_map

from .browser import ARTIFACTS, CHROMIUM_ARGS, Page, chromium_path
from .conftest import AS_OF, EXAMPLES, shared_path

runner = CliRunner()
pytestmark = pytest.mark.browser

HOSTILE = [
    "<img src=x onerror=alert('img')>",
    "</script><script>alert('script')</script>",
    '"><svg onload=alert(\'svg\')>',
    "Eve <a href=\"javascript:alert('href')\">click</a>",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 800}, offline=True)
    yield Page(context.new_page())
    context.close()


@pytest.fixture(scope="module")
def examples_graph():
    return build_knowledge_graph([EXAMPLES], as_of=AS_OF).graph


def test_map_loads_offline_with_every_node(page, examples_graph, tmp_path):
    net = collaboration_network(examples_graph)
    path = write_map(net, tmp_path / "map.html")
    page.open(path)
    authors = sum(d["label"] == "Author" for _, d in examples_graph.nodes(data=True))
    assert page.js("window.network.body.data.nodes.length") == authors == len(net.nodes)
    assert page.js("window.network.body.data.edges.length") == len(net.edges)
    assert page.errors == [] and page.dialogs == []
    assert page.outside_requests() == []
    html = path.read_text()
    assert "http://" not in html.split("<script>", 1)[0] and "cdn" not in html.lower().split("<script>", 1)[0]
    assert "<link" not in html and 'src="http' not in html


def test_hostile_strings_stay_text(page, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "eve.txt").write_text(
        f"{HOSTILE[0]}\n\nCL\n\nLGJan 5, 2024\n{HOSTILE[1]} and {HOSTILE[3]}\n\n{HOSTILE[0]}, {HOSTILE[2]}, Bob Jones · {HOSTILE[3]}\n\n{HOSTILE[1]}\n",
        encoding="utf-8",
    )
    G = build_knowledge_graph([pages], as_of=AS_OF).graph
    labels = sorted(d.get("name", "") for _, d in G.nodes(data=True) if d["label"] == "Author")
    assert HOSTILE[0] in labels and HOSTILE[2] in labels
    for net, name in ((collaboration_network(G, color_by="institution"), "authors"), (institution_network(G), "institutions")):
        path = write_map(net, tmp_path / f"{name}.html")
        page.open(path)
        shown = page.js("window.network.body.data.nodes.get().map(n => n.name)")
        assert sorted(shown) == sorted(n["label"] for n in net.nodes)
        # hover every node: tooltips are set as text
        texts = page.js("""() => { const out = [];
            for (const id of window.network.body.data.nodes.getIds()) {
              window.network.emit('hoverNode', {node: id, event: {}, pointer: {DOM: {x: 5, y: 5}}});
              const t = document.getElementById('tooltip'); out.push([t.textContent, t.children.length]); }
            return out; }""")
        assert all(children == 0 for _, children in texts)
        joined = "\n".join(t for t, _ in texts) + page.js("document.getElementById('legend').textContent")
        assert any(h in joined for h in HOSTILE)
        assert page.js("document.querySelectorAll('img, svg, a, iframe, object, embed').length") == 0
        assert page.js("document.querySelectorAll('script').length") == 3
        page.js("window.graphkitHighlight(0)")
        assert page.dialogs == [] and page.errors == [] and page.outside_requests() == []
    html = map_html(collaboration_network(G))
    assert HOSTILE[1] not in html and "<img src=x" not in html


def test_modes_render_expected_nodes(page, examples_graph, tmp_path):
    ego = collaboration_network(examples_graph, ego="Kenton Lee", radius=1)
    expected = {"Kenton Lee", "Jacob Devlin", "Ming-Wei Chang", "Kristina Toutanova", "Luheng He", "Mike Lewis",
                "Luke Zettlemoyer", "Matthew E. Peters", "Mark Neumann", "Mohit Iyyer"}  # Matthew Peters on ELMo is him
    page.open(write_map(ego, tmp_path / "ego.html"))
    assert set(page.js("window.network.body.data.nodes.get().map(n => n.name)")) == expected
    top = collaboration_network(examples_graph, top=5, by="degree")
    page.open(write_map(top, tmp_path / "top.html"))
    labels = set(page.js("window.network.body.data.nodes.get().map(n => n.name)"))
    assert len(labels) == 5 and {"Luke Zettlemoyer", "Kenton Lee"} <= labels
    assert "top 5 authors by degree" in page.js("document.getElementById('note').textContent")
    inst = institution_network(examples_graph)
    page.open(write_map(inst, tmp_path / "inst.html"))
    assert set(page.js("window.network.body.data.nodes.get().map(n => n.name)")) == {
        "University of Washington", "Meta AI", "Allen Institute for AI", "Google"}
    assert page.errors == []


def test_search_focuses_and_highlights(page, examples_graph, tmp_path):
    page.open(write_map(collaboration_network(examples_graph), tmp_path / "map.html"))
    page.page.fill("#search", "tim dett")
    page.page.press("#search", "Enter")
    assert page.js("window.network.getSelectedNodes().length") == 1
    assert "Tim Dettmers" in page.js("document.getElementById('status').textContent")


def test_reduced_big_graph_says_what_is_left_out(page, tmp_path):
    import networkx as nx

    G = nx.barabasi_albert_graph(600, 2, seed=1)
    H = nx.relabel_nodes(G, {n: f"n{n}" for n in G})
    net = collaboration_network(H, max_nodes=250)
    page.open(write_map(net, tmp_path / "big.html"))
    assert page.js("window.network.body.data.nodes.length") == 250
    note = page.js("document.getElementById('note').textContent")
    assert "250 of 600" in note and "350 authors with lower pagerank left out" in note


def test_grqc_map_screenshot_looks_like_a_map(page):
    import matplotlib.image as mpimg

    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / "ca-GrQc-map.html"
    result = runner.invoke(app, ["map", "--edgelist", str(shared_path("data", "snap", "ca-GrQc.txt")), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size <= 5_000_000
    page.open(out, timeout_ms=60000)
    assert page.js("window.network.body.data.nodes.length") == 5242
    assert page.errors == [] and page.outside_requests() == []
    shot = ARTIFACTS / "ca-GrQc-map.png"
    page.page.screenshot(path=str(shot))
    pixels = mpimg.imread(shot)[:, 340:, :3]  # right of the panel
    ink = (pixels.sum(axis=2) < 2.9).mean()
    colours = {tuple((p * 8).astype(int)) for p in pixels.reshape(-1, 3)[::97]}
    assert ink > 0.02 and len(colours) > 10


def test_build_writes_map_and_cli_modes(tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(EXAMPLES), "--out", str(out)]).exit_code == 0
    assert (out / "collaboration-map.html").stat().st_size > 100_000
    ego = runner.invoke(app, ["map", "--db", str(out), "--ego", "Omer Levy", "--radius", "2", "--out", str(tmp_path / "e.html")])
    assert ego.exit_code == 0 and "within 2 steps of Omer Levy" in ego.stdout
    missing = runner.invoke(app, ["map", "--db", str(out), "--ego", "Nobody Here"])
    assert missing.exit_code == 1 and "no author" in missing.stderr
    bad = runner.invoke(app, ["map", "--db", str(out), "--size-by", "fame"])
    assert bad.exit_code == 2
    data = json.loads((out / "report.json").read_text())
    assert data["counts"]["Author"] == 21  # 22 names on the pages; Matthew Peters and Matthew E. Peters are one
