"""Session 17 map fixes (outside QA of the maps): the institution map counts each institution's papers (D1), an
ego map sizes and labels authors by their PageRank in the whole graph (D2), options a map cannot honour are usage
errors (D3), the page's search folds accents both ways as --ego does (D5), author tooltips give the paper count
(D6), institution tooltips name no alias that is the name itself and the search status clears with its box (D9).

Every map is drawn by the real CLI from a real build, opened in headless Chromium, and its figures are read back
from the page and compared with the store (``graphkit query`` / ``graphkit centrality``)."""

from __future__ import annotations

import json
import random

import pytest
from typer.testing import CliRunner

from graphkit.cli import app

from .browser import browser, page  # noqa: F401 (fixtures)
from .cli import build_into, query

runner = CliRunner()

# (name, institution): accents, a curly apostrophe, a name written without its accents, an acronym (MIT)
GROUPS = [
    [("Zoë", "O\u2019Brien", "University of Edinburgh"), ("José", "Ñúñez-García", "Universidad de Chile"),
     ("Andre", "Silva", "University of Edinburgh"), ("Amélie", "Lefèvre", "Sorbonne Université")],
    [("Raj", "Patel", "Indian Institute of Science"), ("Ahmed", "Al-Farsi", "King Abdullah University of Science and Technology"),
     ("Mei", "Chen", "Tsinghua University"), ("Yuki", "Sato", "Kyoto University")],
    [("Victor", "Hugo", "MIT"), ("Peggy", "Sue", "ETH Zurich"), ("Walter", "White", "Carnegie Mellon University"),
     ("Chuck", "Noland", "University of Toronto")],
]


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    """A CSL-JSON bibliography of three groups (a few papers across them) with affiliations, built."""
    rng = random.Random(17)
    records = []
    for g, members in enumerate(GROUPS):
        for i in range(10):
            authors = rng.sample(members, rng.randint(2, 4))
            if rng.random() < 0.1:
                authors.append(rng.choice([p for h, ms in enumerate(GROUPS) if h != g for p in ms]))
            records.append({"id": f"p{g}-{i}", "type": "article-journal", "title": f"Study {i} of group {g} on maps",
                            "container-title": "Journal of Informetrics", "issued": {"date-parts": [[2010 + rng.randint(0, 12)]]},
                            "DOI": f"10.5555/p17.{g}.{i}",
                            "author": [{"given": a, "family": f, "affiliation": [{"name": inst}]} for a, f, inst in authors]})
    tmp = tmp_path_factory.mktemp("p17maps")
    source = tmp / "papers.json"
    source.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return build_into(tmp, source)


def _map(out, path, *args) -> str:
    result = runner.invoke(app, ["map", "--db", str(out), "--out", str(path), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _page_nodes(page, path) -> list[dict]:  # noqa: F811
    """The nodes as the opened page holds them: label, tooltip lines and the size vis-network draws."""
    page.open(path)
    nodes = page.js("""() => {
        const data = JSON.parse(document.getElementById('graph-data').textContent);
        const drawn = window.network.body.data.nodes;
        return data.nodes.map((n, i) => ({label: n[0], tooltip: n[5].split('\\n'), size: drawn.get(i).size}));
    }""")
    assert page.errors == [] and page.outside_requests() == []
    return nodes


def _field(tooltip: list[str], start: str) -> str | None:
    return next((line[len(start):] for line in tooltip if line.startswith(start)), None)


def _centrality(out) -> dict:
    result = runner.invoke(app, ["centrality", "--db", str(out), "-m", "pagerank", "--top", "0", "--format", "json"])
    assert result.exit_code == 0, result.output
    return {row["name"]: row["pagerank"] for row in json.loads(result.stdout)}


# ---------------------------------------------------------------- D1, D9: the institution map


@pytest.mark.browser
def test_institution_map_papers_sizes_and_legend_agree_with_the_graph(build, page, tmp_path):  # noqa: F811
    _map(build, tmp_path / "inst.html", "--institutions")
    nodes = _page_nodes(page, tmp_path / "inst.html")
    truth = {r["name"]: r["papers"] for r in query(build, "MATCH (p:Paper)-[:AFFILIATED_WITH]->(i:Institution) "
                                                          "RETURN i.name AS name, count(DISTINCT p) AS papers")}
    shown = {n["label"]: int(_field(n["tooltip"], "Papers: ")) for n in nodes}
    assert shown == truth  # was "Papers: 0" for every institution
    assert len(set(truth.values())) > 1
    # size follows papers: more papers, a larger node (was the same size for all)
    by_papers = sorted(nodes, key=lambda n: shown[n["label"]])
    for a, b in zip(by_papers, by_papers[1:]):
        assert (a["size"] < b["size"]) if shown[a["label"]] < shown[b["label"]] else (a["size"] == b["size"])
    for n in nodes:  # an alias is never the name itself (was "Carnegie Mellon University / Also known as: Carnegie ...")
        aliases = _field(n["tooltip"], "Also known as: ")
        assert aliases is None or n["label"].casefold() not in [a.strip().casefold() for a in aliases.split(",")]
    mit = next(n for n in nodes if n["label"] == "Massachusetts Institute of Technology")
    assert _field(mit["tooltip"], "Also known as: ") == "MIT"  # a real alias is still given
    legend = page.js("Array.from(document.querySelectorAll('#legend li')).map(li => li.textContent)")
    assert legend and all(item.endswith(" institutions)") or item.endswith(" institution)") for item in legend)
    assert page.js("document.getElementById('key').textContent").startswith("node size: papers listing the institution")


# ---------------------------------------------------------------- D2, D6: author tooltips against the graph


def _papers(out) -> dict:
    return {r["name"]: r["papers"] for r in query(out, "MATCH (a:Author)-[:AUTHORED]->(p:Paper) "
                                                       "RETURN a.name AS name, count(DISTINCT p) AS papers")}


def _check_authors(nodes: list[dict], pagerank: dict, papers: dict) -> None:
    for n in nodes:
        assert _field(n["tooltip"], "pagerank: ") == f"{pagerank[n['label']]:.4g}", n
        assert _field(n["tooltip"], "Papers: ") == f"{papers[n['label']]:,}", n
    # node size follows the whole graph's PageRank
    ranked = sorted(nodes, key=lambda n: pagerank[n["label"]])
    for a, b in zip(ranked, ranked[1:]):
        assert a["size"] <= b["size"] + 1e-9


@pytest.mark.browser
@pytest.mark.parametrize("extra", [[], ["--top", "3"]], ids=["ego", "ego-top"])
def test_ego_map_shows_the_whole_graphs_pagerank_and_papers(build, page, tmp_path, extra):  # noqa: F811
    pagerank, papers = _centrality(build), _papers(build)
    coauthors = {r["name"]: r["n"] for r in query(build, "MATCH (a:Author)-[:COAUTHORED]-(b:Author) "
                                                         "RETURN a.name AS name, count(DISTINCT b) AS n")}
    # an author whose neighbourhood is part of the graph, with more co-authors than --top keeps
    ego = min((n for n, k in coauthors.items() if 4 <= k < len(pagerank) - 1), key=lambda n: (coauthors[n], n))
    note = _map(build, tmp_path / "ego.html", "--ego", ego, *extra)
    nodes = _page_nodes(page, tmp_path / "ego.html")
    assert ego in [n["label"] for n in nodes] and len(nodes) <= coauthors[ego] + 1 < len(pagerank)
    assert note.startswith("Showing ")
    _check_authors(nodes, pagerank, papers)  # the pagerank was the drawn part's (Victor Hugo 0.13 for 0.07)


@pytest.mark.browser
def test_whole_and_build_maps_give_every_authors_paper_count(build, page, tmp_path):  # noqa: F811
    pagerank, papers = _centrality(build), _papers(build)
    _map(build, tmp_path / "all.html")
    nodes = _page_nodes(page, tmp_path / "all.html")
    assert sorted(n["label"] for n in nodes) == sorted(papers)
    _check_authors(nodes, pagerank, papers)  # there was no "Papers:" line
    built = _page_nodes(page, build / "collaboration-map.html")  # the build's own map (drawn from its tables)
    assert {n["label"]: _field(n["tooltip"], "Papers: ") for n in built} == {k: f"{v:,}" for k, v in papers.items()}


# ---------------------------------------------------------------- D5, D9: the page's search


def _search(page, text: str, key: str = "Enter") -> tuple[str, list[str]]:  # noqa: F811
    page.page.fill("#search", text)
    page.page.press("#search", key)
    selected = page.js("window.network.getSelectedNodes()")
    labels = page.js("JSON.parse(document.getElementById('graph-data').textContent).nodes.map(n => n[0])")
    return page.js("document.getElementById('status').textContent"), [labels[i] for i in selected]


def _ego_finds(out, tmp_path, text: str) -> str:
    """The author `graphkit map --ego TEXT` draws its map around (named in the note)."""
    note = _map(out, tmp_path / "found.html", "--ego", text)
    return note.split(" of ", 1)[1].split(": ", 1)[0]


@pytest.mark.browser
@pytest.mark.parametrize("text", ["Zoe O'Brien", "zoe o\u2019brien", "O'Brien, Zoe", "Jose Nunez-Garcia",
                                  "André Silva", "amelie lefevre"])
def test_search_folds_accents_both_ways_as_ego_does(build, page, tmp_path, text):  # noqa: F811
    wanted = _ego_finds(build, tmp_path, text)
    page.open(build / "collaboration-map.html")
    status, selected = _search(page, text)
    assert selected == [wanted], status  # "Zoe O'Brien" gave "no author matches"
    assert status.startswith(wanted + ":")
    assert page.errors == []


@pytest.mark.browser
def test_clearing_the_search_box_clears_its_status(build, page):  # noqa: F811
    page.open(build / "collaboration-map.html")
    status, selected = _search(page, "nobody at all")
    assert status == "no author matches" and selected == []
    status, selected = _search(page, "")
    assert status == "" and selected == []  # "no author matches" stayed
    status, selected = _search(page, "Raj Patel")
    assert selected == ["Raj Patel"] and status.startswith("Raj Patel:")
    status, selected = _search(page, "   ")
    assert status == "" and selected == []
    grey = page.js("window.network.body.data.nodes.get().filter(n => n.color === 'rgba(200,200,200,0.35)').length")
    assert grey == 0


# ---------------------------------------------------------------- D3: options a map cannot honour


@pytest.mark.parametrize("args, option, honoured", [
    (["--institutions", "--top", "3"], "--top", ["--top", "3"]),
    (["--institutions", "--ego", "Victor Hugo"], "--ego", ["--ego", "Victor Hugo"]),
    (["--institutions", "--color-by", "year"], "--color-by year", ["--institutions", "--color-by", "community"]),
    (["--institutions", "--size-by", "degree"], "--size-by", ["--size-by", "degree"]),
    (["--institutions", "--max-nodes", "5"], "--max-nodes", ["--institutions", "--seed", "3"]),
    (["--radius", "2"], "--radius", ["--ego", "Victor Hugo", "--radius", "2"]),
    (["--by", "degree"], "--by", ["--top", "4", "--by", "degree"]),
])
def test_map_refuses_options_it_would_ignore(build, tmp_path, args, option, honoured):
    target = tmp_path / "refused.html"
    result = runner.invoke(app, ["map", "--db", str(build), "--out", str(target), *args])
    assert result.exit_code == 2, result.output  # each wrote the whole map and exited 0
    assert option in " ".join(result.output.split())
    assert not target.exists()
    # the options that apply are taken as before
    result = runner.invoke(app, ["map", "--db", str(build), "--out", str(target), *honoured])
    assert result.exit_code == 0, (honoured, result.output)
    assert target.exists()
