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


def _identities(out: Path) -> list[dict]:
    import json

    result = runner.invoke(app, ["identities", "--db", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _circles_bib(shared_coauthor: bool, family: str = "Wang", given: str = "Liming") -> str:
    other = "Hsu, Alden" if shared_coauthor else "Petrov, Ivan"
    return f"""@article{{a1, title={{Neural Machine Translation Toolkit}}, author={{{family}, {given} and Hsu, Alden and Okafor, Chidi}}, year={{2018}}, journal={{ACL}}}}
@article{{a2, title={{Toolkit Two}}, author={{{family}, {given} and Hsu, Alden and Brandt, Jonas}}, year={{2019}}, journal={{ACL}}}}
@article{{b1, title={{Elliptic Curves over Finite Fields}}, author={{{family}, {given} and {other}}}, year={{2007}}, journal={{Math}}}}
@article{{b2, title={{Modular Forms Again}}, author={{{family}, {given} and Petrov, Ivan and Szabo, Gergely}}, year={{2008}}, journal={{Math}}}}
"""


@pytest.mark.parametrize("shared, family, given, reported", [
    (False, "Wang", "Liming", True),     # a common name, two circles, nothing to tell them apart: said
    (True, "Wang", "Liming", False),     # one co-author joins the circles: one person, nothing to say
    (False, "Mikolov", "Tomas", False),  # a rarer name is one person who changed fields
])
def test_a_common_name_in_disjoint_circles_without_evidence_is_reported(tmp_path, shared, family, given, reported):
    (tmp_path / "refs.bib").write_text(_circles_bib(shared, family, given), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "refs.bib"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [r for r in _identities(out) if r["kind"] == "ambiguous"]
    if reported:
        assert len(rows) == 1 and "2 co-author circles that share nobody" in rows[0]["evidence"]
        assert rows[0]["authors"] == [f"author:{given}-{family}".lower()]
    else:
        assert rows == []
    from graphkit.store.embedded import EmbeddedStore

    names = [r["name"] for r in EmbeddedStore(out).query(
        f"MATCH (a:Author) WHERE a.name = '{given} {family}' RETURN a.name AS name")]
    assert names == [f"{given} {family}"]  # kept as one person either way
