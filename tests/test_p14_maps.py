"""Session 14 map fixes (qa-4): tooltips of a part of the graph count the whole graph's co-authors (D4), one
line instead of a matplotlib warning per missing glyph and an installed font for CJK names (D5), and the
page's search (D6): a failed search clears the highlight, "1 co-author", ``Family, Given`` names."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import networkx as nx
import pytest

from graphkit.analyze.defaults import author_centrality
from graphkit.pipeline import build_knowledge_graph
from graphkit.render import collaboration_network, static, tables_network, write_image, write_map

from .browser import browser, page  # noqa: F401 (fixtures)
from .conftest import AS_OF, EXAMPLES, ROOT


def _tip(net, author) -> list[str]:
    return next(n for n in net.nodes if n["id"] == author)["tooltip"].split("\n")


def _line(tip: list[str], start: str) -> str:
    return next(line for line in tip if line.startswith(start))


# ---------------------------------------------------------------- D4: co-authors in the whole graph


def _hub_graph() -> nx.Graph:
    """A hub with 12 co-authors: a dense group of 5 and 7 who wrote one paper each with the hub; the hub's
    most frequent co-author ("Zed Solo", 9 papers) wrote with no one else, so a top-N map leaves them out."""
    G = nx.Graph()
    group = [f"g{i}" for i in range(5)]
    loners = [f"l{i}" for i in range(6)] + ["zed"]
    for n in ["hub", *group, *loners]:
        G.add_node(n, name={"hub": "Philipp Hub", "zed": "Zed Solo"}.get(n, f"Author {n}"))
    for i, u in enumerate(group):
        for v in group[i + 1:]:
            G.add_edge(u, v, papers=3, weight=1.5)
        G.add_edge("hub", u, papers=2, weight=1.0)
    for u in loners:
        G.add_edge("hub", u, papers=1, weight=0.5)
    G["hub"]["zed"].update(papers=9, weight=9.0)
    return G


def test_top_map_tooltip_counts_every_coauthor_and_names_the_top_ones():
    G = _hub_graph()
    whole = collaboration_network(G, size_by="degree")
    assert _line(_tip(whole, "hub"), "Co-authors: ") == "Co-authors: 12"  # the whole map: no "on this map"
    top = collaboration_network(G, size_by="degree", top=6)
    shown = {n["id"] for n in top.nodes}
    assert shown == {"hub", "g0", "g1", "g2", "g3", "g4"}
    tip = _tip(top, "hub")
    assert _line(tip, "Co-authors: ") == "Co-authors: 12 (5 on this map)"  # was "Co-authors: 5"
    # Zed Solo (9 papers) is not on the map, and still the hub's top co-author
    assert _line(tip, "Top co-authors: ") == "Top co-authors: Zed Solo (9), Author g0 (2), Author g1 (2)"
    assert _line(_tip(top, "g0"), "Co-authors: ") == "Co-authors: 5"  # all of g0's co-authors are shown
    assert _line(_tip(whole, "hub"), "Top co-authors: ") == _line(tip, "Top co-authors: ")


def test_ego_map_tooltip_counts_coauthors_beyond_the_radius():
    G = _hub_graph()
    G.add_edge("l0", "far", papers=4, weight=2.0)  # l0's strongest co-author is two steps from the hub
    G.nodes["far"]["name"] = "Far Away"
    ego = collaboration_network(G, ego="hub", radius=1)
    assert "far" not in {n["id"] for n in ego.nodes}
    tip = _tip(ego, "l0")
    assert _line(tip, "Co-authors: ") == "Co-authors: 2 (1 on this map)"
    assert _line(tip, "Top co-authors: ") == "Top co-authors: Far Away (4), Philipp Hub (1)"
    assert _line(_tip(ego, "hub"), "Co-authors: ") == "Co-authors: 12"
    # an ego map cut to its top authors: the same figures
    cut = collaboration_network(G, ego="hub", radius=2, top=3, by="degree")
    assert _line(_tip(cut, "hub"), "Co-authors: ") == "Co-authors: 12 (3 on this map)"


@pytest.fixture(scope="module")
def tables():
    return build_knowledge_graph([EXAMPLES], as_of=AS_OF).tables


def test_build_map_cut_to_its_top_authors_counts_every_coauthor(tables):
    G = tables.coauthor_graph()
    centrality = author_centrality(tables)
    net = tables_network(tables, centrality, title="m", max_nodes=7)
    assert len(net.nodes) == 7
    fewer = 0
    for node in net.nodes:
        n = node["id"]
        degree = sum(1 for m in G[n] if m != n)
        tip = node["tooltip"].split("\n")
        on_map = sum(1 for e in net.edges if n in (e["from"], e["to"]))
        count = _line(tip, "Co-authors: ")
        assert count == (f"Co-authors: {degree}" if on_map == degree else f"Co-authors: {degree} ({on_map} on this map)")
        fewer += on_map < degree
        # a build's map counts every co-author, and names the top ones among those it draws (numpy counts only:
        # the rows around a large graph's kept authors would be millions of Python values)
        drawn = {e["to"] if e["from"] == n else e["from"] for e in net.edges if n in (e["from"], e["to"])} - {n}
        papers = {m: G[n][m].get("papers") or 1 for m in G[n] if m != n and m in drawn}
        best = sorted(papers, key=lambda m: (-papers[m], G.nodes[m]["name"]))[:3]
        if best:
            named = _line(tip, "Top co-authors: ")[len("Top co-authors: "):]
            assert named == ", ".join(f"{G.nodes[m]['name']} ({papers[m]})" for m in best)
    assert fewer  # the cut left some co-authors out
    # and the same figures as the map of the co-author graph cut the same way
    cut = collaboration_network(G, max_nodes=7)
    assert {n["id"]: _line(n["tooltip"].split("\n"), "Co-authors: ") for n in cut.nodes} == \
        {n["id"]: _line(n["tooltip"].split("\n"), "Co-authors: ") for n in net.nodes}


# ---------------------------------------------------------------- D5: fonts for names in other scripts


def _cjk_graph() -> nx.Graph:
    G = nx.Graph()
    G.add_node("a", name="太郎 山田")
    G.add_node("b", name="Alice Smith")
    G.add_node("c", name="李娜")
    G.add_edges_from([("a", "b"), ("b", "c")])
    return G


@pytest.fixture
def no_hint_yet(monkeypatch):
    monkeypatch.setattr(static, "_said", set(), raising=False)  # the hint is given once per process


def test_cli_picture_of_cjk_names_says_one_line_not_a_warning_per_glyph(tmp_path):
    edges = tmp_path / "e.txt"
    edges.write_text("太郎山田 Alice\nAlice 李娜\n", encoding="utf-8")
    # the real command, as on a machine without a CJK font (whatever this one has)
    script = ("import sys; import graphkit.render.static as s; s._fallback_families = lambda texts: []; "
              "from graphkit.cli import main; sys.argv = ['graphkit'] + sys.argv[1:]; main()")
    done = subprocess.run([sys.executable, "-c", script, "map", "--edgelist", str(edges), "--svg", str(tmp_path / "m.svg"),
                           "--png", str(tmp_path / "m.png")], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "Glyph" not in done.stderr and "Warning" not in done.stderr  # 16 lines of UserWarning before
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr  # once for both pictures
    assert lines[0].startswith("3 labels use characters the installed fonts lack (太 娜 山 李 田 郎)")
    assert "Noto Sans CJK" in lines[0]
    assert (tmp_path / "m.svg").exists() and (tmp_path / "m.png").exists()


def test_other_warnings_still_come_through(tmp_path, no_hint_yet, monkeypatch, caplog):
    monkeypatch.setattr(static, "_fallback_families", lambda texts: [])
    net = collaboration_network(_cjk_graph())
    real = static._figure

    def figure(*args, **kwargs):
        warnings.warn("something else", RuntimeWarning)
        return real(*args, **kwargs)

    monkeypatch.setattr(static, "_figure", figure)
    with pytest.warns(RuntimeWarning, match="something else") as seen, caplog.at_level(logging.WARNING):
        write_image(net, tmp_path / "m.png")
    assert not [w for w in seen if "Glyph" in str(w.message)]
    assert [r.getMessage() for r in caplog.records if r.name == "graphkit.render.static"] == [
        "3 labels use characters the installed fonts lack (太 娜 山 李 田 郎), drawn as boxes; install a font that has "
        "them, such as Noto Sans CJK (Debian and Ubuntu: fonts-noto-cjk)"]


@pytest.fixture
def installed_stix(tmp_path, monkeypatch):
    """matplotlib's STIX font copied out of its own folder: an installed font with the kana の, which DejaVu lacks."""
    from matplotlib import font_manager

    import matplotlib

    # from matplotlib's own folder, not through its font list: a user's cached list may predate the install
    source = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "STIXGeneral.ttf"
    copy = tmp_path / "fonts" / "STIXGeneral.ttf"
    copy.parent.mkdir()
    shutil.copy(source, copy)
    monkeypatch.setattr(font_manager.fontManager, "ttflist", list(font_manager.fontManager.ttflist))
    font_manager.fontManager.addfont(str(copy))
    yield
    cached = getattr(font_manager.fontManager, "_findfont_cached", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()


def test_an_installed_font_draws_what_the_default_font_lacks(tmp_path, installed_stix, no_hint_yet, caplog):
    G = nx.Graph([("a", "b")])
    G.nodes["a"]["name"], G.nodes["b"]["name"] = "Yamada の", "Alice Smith"
    assert static._fallback_families(["Alice Smith"]) == []  # Latin names: no fallback
    assert static._fallback_families(["Yamada の"]) == ["STIXGeneral"]
    net = collaboration_network(G)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no glyph is missing
        with caplog.at_level(logging.WARNING):
            write_image(net, tmp_path / "m.png")
            write_image(net, tmp_path / "m.svg")
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    svg = (tmp_path / "m.svg").read_text(encoding="utf-8")
    assert "Yamada の" in svg and "'STIXGeneral'" in svg  # SVG text names the fallback family


def test_a_real_cjk_font_is_used_when_installed(tmp_path, no_hint_yet, caplog):
    families = static._fallback_families(["太郎 山田", "李娜"])
    if not families:
        pytest.skip("no installed font draws Chinese or Japanese (e.g. apt-get install fonts-noto-cjk)")
    with caplog.at_level(logging.WARNING):
        write_image(collaboration_network(_cjk_graph()), tmp_path / "m.svg")
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert f"'{families[0]}'" in (tmp_path / "m.svg").read_text(encoding="utf-8")


# ---------------------------------------------------------------- D6: the page's search


def _search_graph() -> nx.Graph:
    G = nx.Graph()
    G.add_node("w1", name="Wei Zhang", institution="IBM Research")
    G.add_node("w2", name="Wei Zhang", institution="Shanghai Jiao Tong University")
    G.add_node("m", name="Mirella Lapata", institution="University of Edinburgh")
    G.add_node("r", name='Robert "Bobby" Tables, Jr.')
    G.add_node("n", name="Na Li")
    G.add_edges_from([("w1", "m"), ("w2", "n"), ("m", "r"), ("m", "n")])
    return G


def _search(map_page, text: str) -> tuple[str, list[int]]:
    map_page.page.fill("#search", text)
    map_page.page.press("#search", "Enter")
    return map_page.js("document.getElementById('status').textContent"), map_page.js("window.network.getSelectedNodes()")


@pytest.fixture
def search_page(page, tmp_path):
    net = collaboration_network(_search_graph())
    page.open(write_map(net, tmp_path / "search.html"))
    page.ids = [n["id"] for n in net.nodes]
    yield page
    assert page.errors == [] and page.outside_requests() == []


@pytest.mark.browser
def test_search_takes_family_given_as_ego_and_path_do(search_page):
    ids = search_page.ids
    status, selected = _search(search_page, "Lapata, Mirella")
    assert [ids[i] for i in selected] == ["m"] and status == "Mirella Lapata: 3 co-authors shown"
    status, selected = _search(search_page, "zhang, wei")  # gave "no author matches"
    assert ids[selected[0]] in ("w1", "w2") and "(match 1 of 2; Enter for the next)" in status
    search_page.page.press("#search", "Enter")
    assert {ids[selected[0]], ids[search_page.js("window.network.getSelectedNodes()")[0]]} == {"w1", "w2"}
    # a name written with its own comma is still found as written
    status, selected = _search(search_page, 'Robert "Bobby" Tables, Jr.')
    assert [ids[i] for i in selected] == ["r"]


@pytest.mark.browser
def test_search_status_says_one_co_author(search_page):
    status, _ = _search(search_page, "Na Li")
    assert status == "Na Li: 2 co-authors shown"
    status, _ = _search(search_page, "bobby")
    assert status == 'Robert "Bobby" Tables, Jr.: 1 co-author shown'  # was "1 co-authors shown"


@pytest.mark.browser
def test_a_search_that_finds_no_one_clears_the_highlight(search_page):
    status, selected = _search(search_page, "Mirella Lapata")
    assert selected and status.startswith("Mirella Lapata")
    status, selected = _search(search_page, "nobody at all")
    assert status == "no author matches" and selected == []
    grey = search_page.js("window.network.body.data.nodes.get().filter(n => n.color === 'rgba(200,200,200,0.35)').length")
    red = search_page.js("window.network.body.data.edges.get().filter(e => e.color && e.color.color === '#d1495b').length")
    assert grey == 0 and red == 0  # before: every other author grey and Lapata's edges red
