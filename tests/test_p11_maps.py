"""Session 11 map fixes: stacked authors, namesakes in the search, the ego kept in a top-N map, temporary
files, author ids and ``Family, Given`` names in ``--ego`` and ``path``, community as a size, empty edge lists."""

from __future__ import annotations

import json
import os
import time

import networkx as nx
import numpy as np
import pytest
from scipy.spatial import cKDTree
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.render import collaboration_network, write_image, write_map
from graphkit.render.layout import SEPARATION, separate_nodes

from .browser import browser, page  # noqa: F401 (fixtures)
from .conftest import shared_path

runner = CliRunner()


def _closest(net) -> float:
    """The smallest centre distance between two drawn nodes, as a share of the smaller one's size."""
    xy = np.array([(n["x"], n["y"]) for n in net.nodes], dtype=float)
    size = np.array([n["size"] for n in net.nodes], dtype=float)
    pairs = cKDTree(xy).query_pairs(float(size.max()), output_type="ndarray")
    if not len(pairs):
        return np.inf
    dist = np.linalg.norm(xy[pairs[:, 0]] - xy[pairs[:, 1]], axis=1)
    return float((dist / np.minimum(size[pairs[:, 0]], size[pairs[:, 1]])).min())


# ---------------------------------------------------------------- 4: no stacks of authors


def _one_big_paper_graph() -> nx.Graph:
    """Two research groups, and a paper of 14 authors who wrote nothing else, one of them from the first group."""
    G = nx.relabel_nodes(nx.random_partition_graph([30, 30], 0.25, 0.02, seed=5), lambda n: f"a{n}")
    team = [f"p{i}" for i in range(13)] + ["a0"]
    G.add_edges_from((u, v) for i, u in enumerate(team) for v in team[i + 1:])
    nx.set_node_attributes(G, {n: f"Author {n}" for n in G}, "name")
    return G


def test_authors_of_one_paper_are_not_stacked():
    G = _one_big_paper_graph()
    for net in (collaboration_network(G), collaboration_network(G, ego="p3", radius=1)):
        assert _closest(net) >= SEPARATION  # UMAP alone put the 13 on one point
        assert len({(n["x"], n["y"]) for n in net.nodes}) == len(net.nodes)
    # same seed, same places; the picture uses the same positions
    again = collaboration_network(G)
    assert [(n["x"], n["y"]) for n in again.nodes] == [(n["x"], n["y"]) for n in collaboration_network(G).nodes]


def test_grqc_map_stacks_no_authors():
    from graphkit.extract.edgelist import read_edgelist
    from graphkit.render import layout_quality

    G = read_edgelist(shared_path("data", "snap", "ca-GrQc.txt"))[0]
    net = collaboration_network(G)
    assert _closest(net) >= SEPARATION  # 238 authors shared a point with another, 35 at one
    # the layout's quality stays where the map tests hold it (networkx's Louvain, seed 0)
    pos = {n["id"]: (n["x"], n["y"]) for n in net.nodes}
    quality = layout_quality(G, pos, nx.community.louvain_communities(G, seed=0))
    assert quality["neighbourhood_preservation"] >= 0.5 and quality["community_share"] >= 0.65, quality


def test_separating_twenty_thousand_nodes_is_fast_and_leaves_far_nodes_alone():
    rng = np.random.default_rng(1)
    points = np.repeat(rng.uniform(0, 4000, (2000, 2)), 10, axis=0)  # 2,000 stacks of 10
    sizes = rng.uniform(6, 36, len(points))
    started = time.perf_counter()
    out = separate_nodes(points, sizes, seed=3)
    assert time.perf_counter() - started < 10  # about half a second
    pairs = cKDTree(out).query_pairs(20, output_type="ndarray")
    dist = np.linalg.norm(out[pairs[:, 0]] - out[pairs[:, 1]], axis=1)
    assert (dist >= SEPARATION * np.minimum(sizes[pairs[:, 0]], sizes[pairs[:, 1]])).all()
    assert (separate_nodes(points, sizes, seed=3) == out).all()
    apart = np.array([[0.0, 0.0], [40.0, 0.0], [0.0, 40.0]])
    assert (separate_nodes(apart, np.full(3, 10.0)) == apart).all()


# ---------------------------------------------------------------- 5: namesakes in the search


@pytest.mark.browser
def test_search_reaches_every_author_of_a_shared_name(page, tmp_path):
    G = nx.Graph()
    G.add_node("a1", name="Yang Liu", institution="Tsinghua University")
    G.add_node("a2", name="Yang Liu", institution="University of Edinburgh")
    G.add_node("a3", name="Yang Liu")  # no institution known: told apart by id
    G.add_node("a4", name="Mirella Lapata", institution="University of Edinburgh")
    G.add_node("a5", name="Zhaopeng Tu", institution="Tencent")
    G.add_edges_from([("a1", "a5"), ("a2", "a4"), ("a3", "a4"), ("a1", "a2")])
    net = collaboration_network(G)
    page.open(write_map(net, tmp_path / "namesakes.html"))
    options = page.js("Array.from(document.querySelectorAll('#names option')).map(o => o.value)")
    assert len(options) == len(set(options)) == 5
    assert {"Yang Liu (Tsinghua University)", "Yang Liu (University of Edinburgh)", "Yang Liu (a3)",
            "Mirella Lapata", "Zhaopeng Tu"} == set(options)
    ids = [n["id"] for n in net.nodes]
    # each offer finds its own author
    for option, author in (("Yang Liu (University of Edinburgh)", "a2"), ("Yang Liu (Tsinghua University)", "a1"),
                           ("Yang Liu (a3)", "a3")):
        page.page.fill("#search", option)
        page.page.dispatch_event("#search", "change")
        assert page.js("window.network.getSelectedNodes()") == [ids.index(author)]
        assert page.js("document.getElementById('status').textContent").startswith(option + ":")
    # the bare name finds each of them in turn, Enter after Enter
    page.page.fill("#search", "yang liu")
    reached = []
    for _ in range(4):
        page.page.press("#search", "Enter")
        reached.append(ids[page.js("window.network.getSelectedNodes()")[0]])
        assert " of 3; Enter for the next)" in page.js("document.getElementById('status').textContent")
    assert sorted(reached[:3]) == ["a1", "a2", "a3"] and reached[3] == reached[0]
    assert page.js("window.graphkitFind('constructor')") == -1  # no object property answers a search
    assert page.errors == [] and page.outside_requests() == []


# ---------------------------------------------------------------- 6: the ego stays in a top-N map


def test_top_n_ego_map_keeps_the_ego(tmp_path):
    # the ego wrote one paper with the hub of a dense group: lowest PageRank within two steps
    G = nx.complete_graph([f"g{i}" for i in range(8)])
    G.add_edge("ego", "g0")
    edges = tmp_path / "edges.txt"
    edges.write_text("".join(f"{u}\t{v}\n" for u, v in G.edges()), encoding="utf-8")
    for top in (1, 3):
        net = collaboration_network(G, ego="ego", radius=2, top=top)
        shown = {n["id"] for n in net.nodes}
        assert "ego" in shown and len(shown) == top + 1
        assert f"Showing ego and the top {top} other author" in net.graphkit["note"]
    result = runner.invoke(app, ["map", "--edgelist", str(edges), "--ego", "ego", "--radius", "2", "--top", "3",
                                 "--out", str(tmp_path / "ego.html")])
    assert result.exit_code == 0, result.output
    assert "Showing ego and the top 3 other authors by pagerank among co-authors within 2 steps of ego: 4 of 9" in result.stdout
    assert '"ego"' in (tmp_path / "ego.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- 7: never a file graphkit did not create


@pytest.mark.parametrize("suffix", ["html", "png", "svg"])
def test_a_users_tmp_file_and_a_link_of_that_name_survive(tmp_path, suffix):
    net = collaboration_network(nx.Graph([("a", "b"), ("b", "c")]))
    write = (lambda path: write_map(net, path)) if suffix == "html" else (lambda path: write_image(net, path, dpi=50))
    precious = tmp_path / f"x.{suffix}.tmp"
    precious.write_text("precious", encoding="utf-8")
    important = tmp_path / "important.txt"
    important.write_text("important", encoding="utf-8")
    (tmp_path / f"y.{suffix}.tmp").symlink_to(important)
    write(tmp_path / f"x.{suffix}")
    write(tmp_path / f"y.{suffix}")
    assert precious.read_text(encoding="utf-8") == "precious" and important.read_text(encoding="utf-8") == "important"
    assert (tmp_path / f"y.{suffix}.tmp").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["important.txt", f"x.{suffix}", f"x.{suffix}.tmp", f"y.{suffix}", f"y.{suffix}.tmp"])
    umask = os.umask(0o022)
    os.umask(umask)
    assert (tmp_path / f"x.{suffix}").stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0o600


def test_cli_map_and_export_leave_a_users_tmp_files_alone(tmp_path):
    edges = tmp_path / "edges.txt"
    edges.write_text("1\t2\n2\t3\n", encoding="utf-8")
    for name in ("m.html.tmp", "m.png.tmp", "m.svg.tmp"):
        (tmp_path / name).write_text("precious", encoding="utf-8")
    result = runner.invoke(app, ["map", "--edgelist", str(edges), "--out", str(tmp_path / "m.html"),
                                 "--png", str(tmp_path / "m.png"), "--svg", str(tmp_path / "m.svg")])
    assert result.exit_code == 0, result.output
    for name in ("m.html.tmp", "m.png.tmp", "m.svg.tmp"):
        assert (tmp_path / name).read_text(encoding="utf-8") == "precious"
    from graphkit.render.export import export_graph

    G = nx.MultiDiGraph()
    G.add_node("a", label="Author", name="A")
    (tmp_path / f".g.json.{os.getpid()}.tmp").write_text("precious", encoding="utf-8")  # the name export used
    export_graph(G, "json", tmp_path / "g.json")
    assert (tmp_path / f".g.json.{os.getpid()}.tmp").read_text(encoding="utf-8") == "precious"
    assert json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["nodes"][0]["id"] == "a"


def test_a_failed_write_removes_only_its_own_temporary_file(tmp_path):
    from graphkit.render._files import replace_file

    target = tmp_path / "map.html"
    target.write_text("old map", encoding="utf-8")
    (tmp_path / "map.html.tmp").write_text("precious", encoding="utf-8")

    def fail(handle):
        handle.write(b"half a page")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        replace_file(target, fail)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html", "map.html.tmp"]
    assert target.read_text(encoding="utf-8") == "old map"
    assert (tmp_path / "map.html.tmp").read_text(encoding="utf-8") == "precious"


# ---------------------------------------------------------------- 10: ids, URLs and Family, Given


WORKS = {"results": [
    {"id": "https://openalex.org/W4000000001", "title": "Literate Programming Revisited", "publication_year": 2020,
     "type": "article", "authorships": [
         {"author": {"id": "https://openalex.org/A5010577007", "display_name": "Donald E. Knuth",
                     "orcid": "https://orcid.org/0000-0002-1825-0097"}, "institutions": [], "raw_author_name": "Donald E. Knuth"},
         {"author": {"id": "https://openalex.org/A5000000002", "display_name": "Ada Lovelace", "orcid": None},
          "institutions": [], "raw_author_name": "Ada Lovelace"}]},
    {"id": "https://openalex.org/W4000000002", "title": "Compilers for Analytical Engines", "publication_year": 2021,
     "type": "article", "authorships": [
         {"author": {"id": "https://openalex.org/A5000000002", "display_name": "Ada Lovelace", "orcid": None},
          "institutions": [], "raw_author_name": "Ada Lovelace"},
         {"author": {"id": "https://openalex.org/A5000000003", "display_name": "Grace Hopper", "orcid": None},
          "institutions": [], "raw_author_name": "Grace Hopper"}]},
]}
DBLP = """<?xml version="1.0" encoding="UTF-8"?>
<dblp>
<inproceedings mdate="2020-01-01" key="conf/acl/TuLLLL16">
<author>Zhaopeng Tu</author>
<author>Zhengdong Lu</author>
<author>Yang Liu 0003</author>
<title>Modeling Coverage for Neural Machine Translation.</title>
<year>2016</year>
<booktitle>ACL</booktitle>
</inproceedings>
</dblp>
"""


@pytest.fixture(scope="module")
def id_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ids")
    inputs = folder / "in"
    inputs.mkdir()
    (inputs / "works.json").write_text(json.dumps(WORKS), encoding="utf-8")
    (inputs / "acl.xml").write_text(DBLP, encoding="utf-8")
    out = folder / "out"
    result = runner.invoke(app, ["build", str(inputs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("given, name", [
    ("Knuth, Donald E.", "Donald E. Knuth"),
    ("https://openalex.org/A5010577007", "Donald E. Knuth"),
    ("https://api.openalex.org/authors/a5000000003", "Grace Hopper"),
    ("https://orcid.org/0000-0002-1825-0097", "Donald E. Knuth"),
    ("Lovelace, Ada", "Ada Lovelace"),
    ("https://dblp.org/pers/hd/l/Liu_0003:Yang", "Yang Liu"),
    ("Tu, Zhaopeng", "Zhaopeng Tu"),
])
def test_map_ego_by_family_given_and_id_urls(id_build, tmp_path, given, name):
    result = runner.invoke(app, ["map", "--db", str(id_build), "--ego", given, "--out", str(tmp_path / "ego.html")])
    assert result.exit_code == 0, result.output
    assert f"within 1 step of {name}:" in result.stdout


def test_path_by_family_given_and_id_urls(id_build):
    result = runner.invoke(app, ["path", "--db", str(id_build), "Knuth, Donald E.", "https://openalex.org/A5000000003"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("2 steps from Donald E. Knuth to Grace Hopper")
    result = runner.invoke(app, ["path", "--db", str(id_build), "https://orcid.org/0000-0002-1825-0097", "Lovelace, Ada"])
    assert result.exit_code == 0 and result.stdout.startswith("1 step from Donald E. Knuth to Ada Lovelace"), result.output
    result = runner.invoke(app, ["path", "--db", str(id_build), "https://dblp.org/pers/hd/l/Liu_0003:Yang", "Tu, Zhaopeng"])
    assert result.exit_code == 0 and result.stdout.startswith("1 step from Yang Liu to Zhaopeng Tu"), result.output
    missing = runner.invoke(app, ["path", "--db", str(id_build), "https://openalex.org/A5999999999", "Lovelace, Ada"])
    assert missing.exit_code == 1 and "(nor any with the id 'openalex:A5999999999')" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1 and "Traceback" not in missing.output


# ---------------------------------------------------------------- 11: community is no size; an empty edge list


def test_community_is_no_size_or_rank_and_an_empty_edge_list_is_a_problem(tmp_path):
    edges = tmp_path / "edges.txt"
    edges.write_text("1\t2\n2\t3\n", encoding="utf-8")
    for option in ("--by", "--size-by"):
        args = ["map", "--edgelist", str(edges), option, "community", "--out", str(tmp_path / "m.html")]
        result = runner.invoke(app, args + (["--top", "2"] if option == "--by" else []))
        assert result.exit_code == 2 and "'community' numbers groups of authors" in result.output
        assert "Traceback" not in result.output and not (tmp_path / "m.html").exists()
    with pytest.raises(Exception, match="does not rank them"):
        collaboration_network(nx.Graph([("a", "b")]), size_by="community")
    empty = tmp_path / "empty.txt"
    empty.write_text("# FromNodeId\tToNodeId\n", encoding="utf-8")
    result = runner.invoke(app, ["map", "--edgelist", str(empty), "--out", str(tmp_path / "e.html")])
    assert result.exit_code == 1 and str(empty) in result.stderr and "no edges" in result.stderr
    assert not (tmp_path / "e.html").exists()
