"""HTML collaboration maps, opened in real headless Chromium."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.pipeline import build_knowledge_graph
from graphkit.render import collaboration_network, institution_network, map_html, write_map

from .browser import ARTIFACTS, browser, page  # noqa: F401 (fixtures)
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
        f"{HOSTILE[0]}\n\nCL\n\nLGJan 5, 2024\n{HOSTILE[1]} and {HOSTILE[3]}\n\n{HOSTILE[0]}, Eve {HOSTILE[2]}, Bob Jones · {HOSTILE[3]}\n\n{HOSTILE[1]}\n",
        encoding="utf-8",
    )
    G = build_knowledge_graph([pages], as_of=AS_OF).graph
    labels = sorted(d.get("name", "") for _, d in G.nodes(data=True) if d["label"] == "Author")
    assert HOSTILE[0] in labels and "Eve " + HOSTILE[2] in labels  # (a part starting '">' is no name: reported, left out)
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
        # the new controls: every colouring, the year control, labels drawn on the canvas
        for option in page.js("Array.from(document.querySelectorAll('#colour option')).map(o => o.value)"):
            page.page.select_option("#colour", option)
            assert page.js("document.querySelectorAll('#legend *').length") == 3 * page.js("document.querySelectorAll('#legend li').length")
        if page.js("typeof window.graphkitSetYear") == "function":
            page.page.eval_on_selector("#year", "el => { el.value = el.min; el.dispatchEvent(new Event('input')); }")
        page.js("window.network.moveTo({scale: 3}); window.network.emit('zoom', {}); null")
        assert set(lab["name"] for lab in page.js("window.graphkitLabels()")) <= set(n["label"] for n in net.nodes)
        assert page.js("document.querySelectorAll('img, svg, a, iframe, object, embed').length") == 0
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
    # the targets, read back from the page: communities from networkx's Louvain with seed 0
    import networkx as nx

    from graphkit.extract.edgelist import read_edgelist
    from graphkit.render import layout_quality

    G = read_edgelist(shared_path("data", "snap", "ca-GrQc.txt"))[0]
    names = page.js("window.network.body.data.nodes.get().map(n => [n.id, n.name])")
    pos = _visible_positions(page)
    placed = {name: pos[str(i)] for i, name in names}
    quality = layout_quality(G, placed, nx.community.louvain_communities(G, seed=0))
    assert quality["neighbourhood_preservation"] >= 0.5 and quality["community_share"] >= 0.65, quality
    assert len(_assert_labels_apart(page)) >= 20
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


def _visible_positions(page) -> dict:
    return page.js("(() => { const p = window.network.getPositions(); const out = {};"
                   " for (const k in p) out[k] = [p[k].x, p[k].y]; return out; })()")


def _assert_labels_apart(page) -> list[dict]:
    labels = page.js("window.graphkitLabels()")
    size = page.js("[document.getElementById('map').clientWidth, document.getElementById('map').clientHeight]")
    for i, a in enumerate(labels):
        assert 0 <= a["x"] and a["x"] + a["w"] <= size[0] and 0 <= a["y"] and a["y"] + a["h"] <= size[1]
        for b in labels[i + 1:]:
            apart = a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"] or a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"]
            assert apart, (a, b)
    return labels


def test_placeholder_names_do_not_blank_the_map(page, tmp_path):
    # #12 item 9: data never passes through template substitution.
    import networkx as nx

    names = ["__VIS__", "__DATA__", "__TITLE__", "a __VIS__ b", "</script>__VIS__", "$1 \\1 \\g<0>"]
    G = nx.Graph()
    for i, name in enumerate(names):
        G.add_node(f"a{i}", name=name, institution="__VIS__ University")
    G.add_edges_from(("a0", f"a{i}") for i in range(1, len(names)))
    net = collaboration_network(G, title="Map of __VIS__ and __DATA__")
    page.open(write_map(net, tmp_path / "placeholders.html"))
    assert sorted(page.js("window.network.body.data.nodes.get().map(n => n.name)")) == sorted(names)
    assert page.js("document.getElementById('title').textContent") == "Map of __VIS__ and __DATA__"
    assert page.js("document.title") == "Map of __VIS__ and __DATA__"
    assert "__VIS__" in page.js("document.getElementById('legend').textContent")
    page.page.select_option("#colour", "institution")
    assert "__VIS__ University" in page.js("document.getElementById('legend').textContent")
    assert page.errors == [] and page.outside_requests() == []


def test_labels_never_overlap_and_central_authors_come_first(page, tmp_path):
    import networkx as nx

    G = nx.barabasi_albert_graph(400, 2, seed=3)
    H = nx.relabel_nodes(G, {n: f"n{n}" for n in G})
    nx.set_node_attributes(H, {f"n{n}": f"Author With A Long Name {n}" for n in G}, "name")
    net = collaboration_network(H, size_by="degree")
    page.open(write_map(net, tmp_path / "labels.html"))
    labels = _assert_labels_apart(page)
    assert 5 <= len(labels) < 400  # some names, not all of them, at the first view
    hub = max(G.degree, key=lambda kv: (kv[1], -kv[0]))[0]
    assert labels[0]["name"] == f"Author With A Long Name {hub}"
    # zooming in shows more names, still apart
    page.js("window.network.moveTo({scale: window.network.getScale() * 4}); window.network.emit('zoom', {}); null")
    zoomed = _assert_labels_apart(page)
    names_before = {lab["name"] for lab in labels}
    assert {lab["name"] for lab in zoomed} - names_before
    assert page.errors == []


def test_legend_names_communities_by_central_authors(page, examples_graph, tmp_path):
    from graphkit.analyze import communities, pagerank
    from graphkit.build import coauthor_graph

    net = collaboration_network(examples_graph)
    page.open(write_map(net, tmp_path / "map.html"))
    items = page.js("Array.from(document.querySelectorAll('#legend li')).map(li => li.textContent)")
    H = coauthor_graph(examples_graph)
    parts = communities(H, seed=0, weight="weight")
    rank = pagerank(H)
    leader = max(parts[0], key=lambda n: (rank[n], n))
    assert items[0].startswith(H.nodes[leader]["name"]) and f"({len(parts[0])} authors)" in items[0]
    assert not any("community" in item.lower() for item in items[: len(parts)])


def test_year_control_shows_coauthorships_up_to_a_year(page, examples_graph, tmp_path):
    net = collaboration_network(examples_graph)
    page.open(write_map(net, tmp_path / "map.html"))
    years = sorted({d["first_year"] for _, _, k, d in examples_graph.edges(keys=True, data=True) if k == "COAUTHORED"})
    assert len(years) >= 3
    slider = page.js("(() => { const s = document.getElementById('year'); return [s.min, s.max, s.value, document.getElementById('time').hidden]; })()")
    assert int(slider[1]) == int(slider[2]) == years[-1] and not slider[3]
    assert int(slider[0]) <= years[0]
    total = sum(1 for _, _, k in examples_graph.edges(keys=True) if k == "COAUTHORED")
    for year in (years[0], years[len(years) // 2], years[-1]):
        page.page.eval_on_selector("#year", "(el, y) => { el.value = y; el.dispatchEvent(new Event('input')); }", year)
        shown = page.js("window.network.body.data.edges.get({filter: e => !e.hidden}).length")
        expected = sum(1 for _, _, k, d in examples_graph.edges(keys=True, data=True) if k == "COAUTHORED" and d["first_year"] <= year)
        assert shown == expected
        assert page.js("document.getElementById('year-value').textContent") == str(year)
        assert f"{expected} of {total} co-authorships" in page.js("document.getElementById('year-status').textContent")
    assert page.errors == []


def test_average_year_overlay_and_institution_colours(page, examples_graph, tmp_path):
    net = collaboration_network(examples_graph, color_by="institution")
    page.open(write_map(net, tmp_path / "map.html"))
    assert page.js("document.getElementById('colour').value") == "institution"
    assert "University of Washington" in page.js("document.getElementById('legend').textContent")
    # average year of each author's papers, from the knowledge graph itself
    years: dict = {}
    for u, v, k in examples_graph.edges(keys=True):
        if k == "AUTHORED" and examples_graph.nodes[v].get("year"):
            years.setdefault(examples_graph.nodes[u]["name"], []).append(examples_graph.nodes[v]["year"])
    mean = {name: sum(ys) / len(ys) for name, ys in years.items()}
    oldest, newest = min(mean, key=mean.get), max(mean, key=mean.get)
    page.page.select_option("#colour", "year")
    colours = page.js("Object.fromEntries(window.network.body.data.nodes.get().map(n => [n.name, n.color]))")
    assert colours[oldest] == "rgb(68,1,84)" and colours[newest] == "rgb(253,231,37)"
    assert "average year" in page.js("document.getElementById('legend').textContent")
    page.page.select_option("#colour", "community")
    assert page.js("window.network.body.data.nodes.get().every(n => n.color.startsWith('#'))")
    assert page.errors == []


def test_planted_communities_get_their_own_regions(page, tmp_path):
    import networkx as nx

    from graphkit.render import layout_quality

    G = nx.random_partition_graph([40] * 8, 0.2, 0.004, seed=2)
    H = nx.relabel_nodes(G, {n: f"n{n}" for n in G})
    net = collaboration_network(H)
    page.open(write_map(net, tmp_path / "planted.html"))
    pos = _visible_positions(page)
    ids = [n["id"] for n in net.nodes]
    placed = {ids[int(k)]: v for k, v in pos.items()}
    planted = [{f"n{n}" for n in block} for block in G.graph["partition"]]
    quality = layout_quality(H, placed, planted)
    # Fruchterman-Reingold on the whole graph reaches 0.83 and 0.20 here
    assert quality["community_share"] >= 0.9 and quality["neighbourhood_preservation"] >= 0.4, quality


def test_static_pictures_of_the_same_layout(examples_graph, tmp_path):
    import xml.etree.ElementTree as ET

    import matplotlib.image as mpimg

    from graphkit.render import write_image

    net = collaboration_network(examples_graph)
    png = write_image(net, tmp_path / "map.png", dpi=100)
    pixels = mpimg.imread(png)
    assert pixels.shape[1] == 827  # A4 width at 100 dpi
    assert (pixels[:, :, :3].sum(axis=2) < 2.9).mean() > 0.01
    svg = write_image(net, tmp_path / "map.svg", colour_by="year")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg") and float(root.get("width").rstrip("pt")) == pytest.approx(8.27 * 72, rel=0.01)
    # the most central author is named on the picture, as SVG text
    texts = [t.text for t in root.iter() if t.tag.endswith("text")]
    assert net.nodes[0]["label"] in texts
    with pytest.raises(Exception, match="png or .svg"):
        write_image(net, tmp_path / "map.jpg")


def test_cli_writes_pictures_and_refuses_unknown_formats(tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(EXAMPLES), "--out", str(out)]).exit_code == 0
    result = runner.invoke(app, ["map", "--db", str(out), "--png", str(tmp_path / "m.png"), "--svg", str(tmp_path / "m.svg"),
                                 "--color-by", "year"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m.png").stat().st_size > 10_000 and (tmp_path / "m.svg").stat().st_size > 10_000
    assert not (tmp_path / "collaboration-map.html").exists()
    bad = runner.invoke(app, ["map", "--db", str(out), "--png", str(tmp_path / "m.gif")])
    assert bad.exit_code == 1 and "png or .svg" in bad.stderr and "Traceback" not in bad.output


def test_mean_years_from_tables_and_store_agree_with_the_papers(tmp_path):
    from graphkit.render import store_mean_years, tables_mean_years
    from graphkit.store import EmbeddedStore

    result = build_knowledge_graph([EXAMPLES], as_of=AS_OF)
    G = result.graph
    years: dict = {}
    for u, v, k in G.edges(keys=True):
        if k == "AUTHORED" and G.nodes[v].get("year") is not None:
            years.setdefault(u, []).append(G.nodes[v]["year"])
    expected = {a: sum(ys) / len(ys) for a, ys in years.items()}
    assert len(expected) >= 15
    assert tables_mean_years(result.tables) == pytest.approx(expected)
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(EXAMPLES), "--out", str(out), "--as-of", AS_OF.isoformat()]).exit_code == 0
    assert store_mean_years(EmbeddedStore(out)) == pytest.approx(expected)


def test_same_seed_same_map_whatever_the_string_hashing():
    # Ego and top-N maps take subgraphs; networkx iterates those in set order, which
    # follows PYTHONHASHSEED. The map must not: same input and seed, same picture.
    import os
    import subprocess
    import sys

    script = (
        "import json, networkx as nx\n"
        "from graphkit.render import collaboration_network\n"
        "G = nx.relabel_nodes(nx.random_partition_graph([25] * 6, 0.3, 0.01, seed=4), lambda n: f'author {n}')\n"
        "net = collaboration_network(G, top=60, by='degree')\n"
        "ego = collaboration_network(G, ego='author 7', radius=2)\n"
        "print(json.dumps([[(n['id'], n['x'], n['y'], n['color']) for n in m.nodes] for m in (net, ego)]))\n"
    )
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert runs[0] == runs[1] and len(json.loads(runs[0])[0]) == 60


def test_map_out_refuses_a_file_graphkit_did_not_write(tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(EXAMPLES), "--out", str(out)]).exit_code == 0
    mine = tmp_path / "notes.html"
    mine.write_text("<html>my own notes</html>", encoding="utf-8")
    refused = runner.invoke(app, ["map", "--db", str(out), "--out", str(mine)])
    assert refused.exit_code == 1 and "notes.html" in refused.stderr and "--overwrite" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and "Traceback" not in refused.output
    assert mine.read_text(encoding="utf-8") == "<html>my own notes</html>"
    assert not (tmp_path / "notes.html.tmp").exists()
    # graphkit's own map (the build's) is replaced without asking; a foreign file only with --overwrite
    again = runner.invoke(app, ["map", "--db", str(out), "--out", str(out / "collaboration-map.html"), "--top", "5"])
    assert again.exit_code == 0, again.output
    assert "top 5 authors" in (out / "collaboration-map.html").read_text(encoding="utf-8")
    forced = runner.invoke(app, ["map", "--db", str(out), "--out", str(mine), "--overwrite"])
    assert forced.exit_code == 0, forced.output
    assert '<meta name="generator" content="graphkit">' in mine.read_text(encoding="utf-8")


def test_per_author_figures_from_edge_arrays_match_their_definitions():
    """The vectorised tooltips, years, widths and PageRank agree with per-author definitions, odd values included."""
    import math
    import random

    import networkx as nx

    from graphkit.render import _measure

    rng = random.Random(7)
    G = nx.Graph()
    for i in range(60):
        G.add_node(f"a{i}", name=f"Author {i % 23}")  # repeated names: ties broken by name, then any order
    for _ in range(240):
        u, v = rng.sample(range(60), 2)
        lo = rng.choice([None, 1995, 2003, "2010", "n.d.", 0, 2019.6])
        G.add_edge(f"a{u}", f"a{v}", weight=rng.choice([0.5, 1.0, 2.0]), papers=rng.choice([None, 1, 2, 3, 5]),
                   first_year=lo, last_year=rng.choice([None, 2020, "2021"]))
    net = collaboration_network(G)
    nodes = {n["id"]: n for n in net.nodes}

    def year(value):
        try:
            y = int(value)
        except (TypeError, ValueError):
            return None
        return y if 1000 <= y <= 3000 else None

    for n in G:
        papers = {m: G[n][m].get("papers") or 1 for m in G[n]}
        known = [(year(d["first_year"]), year(d["last_year"]), papers[m]) for m, d in G[n].items() if year(d["first_year"])]
        firsts = [lo for lo, _, _ in known]
        assert nodes[n]["first_year"] == (min(firsts) if firsts else None)
        if known:
            mean = sum(p * (lo + (hi if hi is not None else lo)) / 2 for lo, hi, p in known) / sum(p for _, _, p in known)
            assert nodes[n]["mean_year"] == round(mean, 1)
        else:
            assert nodes[n]["mean_year"] is None
        tip = nodes[n]["tooltip"].split("\n")
        assert tip[0] == G.nodes[n]["name"] and f"Co-authors: {len(papers)}" in tip
        top = sorted(papers, key=lambda m: (-papers[m], G.nodes[m]["name"]))[:3]
        shown = next(line for line in tip if line.startswith("Top co-authors: "))[len("Top co-authors: "):].split(", ")
        assert [s.rsplit(" (", 1)[1] for s in shown] == [f"{papers[m]})" for m in top]  # counts in order
        assert [s.rsplit(" (", 1)[0] for s in shown] == [G.nodes[m]["name"] for m in top]
    widths = {frozenset((e["from"], e["to"])): e for e in net.edges}
    for u, v, d in G.edges(data=True):
        e = widths[frozenset((u, v))]
        assert e["width"] == (round(1 + 2.5 * math.log1p(d["weight"]), 2) if d["weight"] else 1.0)
        assert e["first_year"] == year(d["first_year"])
    ranks, reference = _measure(G, "pagerank"), nx.pagerank(G, weight="weight", tol=1e-12)
    assert max(abs(ranks[n] - reference[n]) for n in G) < 1e-8
