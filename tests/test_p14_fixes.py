"""Session 14: defects left on the last notes' list and found by outside testers, each checked through
the CLI, the stored graph or the files a user opens."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphkit.cli import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("p14") / "out"
    result = runner.invoke(app, ["build", str(EXAMPLES / "profiles"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_graphml_node_ids_are_read_once_by_igraph_and_networkx(built, tmp_path):
    igraph = pytest.importorskip("igraph")
    import networkx as nx

    path = tmp_path / "g.graphml"
    assert runner.invoke(app, ["export", str(path), "--format", "graphml", "--db", str(built)]).exit_code == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # igraph warns when a data key named id shadows the element's id
        g = igraph.Graph.Read_GraphML(str(path))
    G = nx.read_graphml(path)
    assert sorted(g.vs["id"]) == sorted(G.nodes)
    assert "author:kenton-lee" in G and "id" not in G.nodes["author:kenton-lee"]
    assert g.vs.find(id="author:kenton-lee")["name"] == "Kenton Lee"


@pytest.mark.parametrize("value", ["inf", "1e300", "0"])
def test_timeout_without_a_limit(built, value):
    result = runner.invoke(app, ["query", "--db", str(built), f"--timeout={value}", "--format", "json",
                                 "MATCH (a:Author) RETURN count(a) AS n"])
    assert result.exit_code == 0, result.output
    assert '"n":' in result.output.replace(" ", "")


@pytest.mark.parametrize("value", ["nan", "-1"])
def test_timeout_that_is_not_a_duration_is_refused_in_one_line(built, value):
    result = runner.invoke(app, ["query", "--db", str(built), f"--timeout={value}", "RETURN 1"])
    assert result.exit_code == 2
    assert "not a number of seconds" in result.output and "Traceback" not in result.output


PATH_BIB = """@article{big, title={A Large Collaboration}, author={Ames, Ada and Brook, Ben and Cole, Cara and Dunn, Dan and Eden, Eve},
  year={2015}, journal={J}}
@article{small, title={Two of Them}, author={Ames, Ada and Brook, Ben}, year={2019}, journal={J}}
@article{third, title={Cole and Brook}, author={Cole, Cara and Brook, Ben}, year={2020}, journal={J}}
"""


def test_path_lists_the_papers_behind_each_coauthored_edge(tmp_path):
    import json

    (tmp_path / "refs.bib").write_text(PATH_BIB, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "refs.bib"), "--out", str(out), "--max-authors", "3"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["path", "Ada Ames", "Cara Cole", "--db", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    steps = json.loads(result.output)
    # Ada and Cara share only the five-author paper, which forms no pair: the path goes through Ben
    assert [(s["from_name"], s["to_name"]) for s in steps] == [("Ada Ames", "Ben Brook"), ("Ben Brook", "Cara Cole")]
    assert [p["title"] for p in steps[0]["papers"]] == ["Two of Them"]
    assert [p["title"] for p in steps[0]["hyperauthored_papers"]] == ["A Large Collaboration"]
    assert [p["title"] for p in steps[1]["papers"]] == ["Cole and Brook"]
    table = runner.invoke(app, ["path", "Ada Ames", "Ben Brook", "--db", str(out)])
    assert "A Large Collaboration" not in table.output and "also 1 shared paper with more authors" in table.output
