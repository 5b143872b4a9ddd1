"""Review fixes of the command line: inputs below output folders, edge lists (gzip, bad bytes), --k,
folders graphkit did not create, unreadable inputs, query parameters, inputs named twice, small messages.

Real files written here, the real CLI (``CliRunner``; a subprocess where a real unreadable file needs
a process without root's override), the real embedded store.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.outputs import MARKER_NAME

runner = CliRunner()

BIB = """@article{dao2022flash,
  title = {FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness},
  author = {Dao, Tri and Fu, Daniel Y. and Ermon, Stefano and Rudra, Atri and R{\\'e}, Christopher},
  journal = {Advances in Neural Information Processing Systems},
  year = {2022}
}
@article{gu2023mamba,
  title = {Mamba: Linear-Time Sequence Modeling with Selective State Spaces},
  author = {Gu, Albert and Dao, Tri},
  journal = {arXiv preprint arXiv:2312.00752},
  year = {2023}
}
"""

BIB2 = """@inproceedings{lecun1998,
  title = {Gradient-based learning applied to document recognition},
  author = {LeCun, Yann and Bottou, L{\\'e}on and Bengio, Yoshua and Haffner, Patrick},
  booktitle = {Proceedings of the IEEE},
  year = {1998}
}
"""


def _work(title: str, year: int, authors: list[tuple[str, str]]) -> dict:
    return {
        "id": None, "doi": None, "title": title, "display_name": title, "publication_year": year, "type": "article",
        "authorships": [{"author_position": "first" if i == 0 else "middle",
                         "author": {"id": f"https://openalex.org/{aid}", "display_name": name, "orcid": None},
                         "institutions": [], "raw_author_name": name}
                        for i, (aid, name) in enumerate(authors)],
    }


OPENALEX = {"meta": {"count": 2}, "results": [
    _work("Hungry Hungry Hippos: Towards Language Modeling with State Space Models", 2023,
          [("A5100365434", "Daniel Y. Fu"), ("A5011122233", "Tri Dao"), ("A5044455566", "Christopher Re")]),
    _work("Simple Hardware-Efficient Long Convolutions for Sequence Modeling", 2023,
          [("A5100365434", "Daniel Y. Fu"), ("A5077788899", "Elliot L. Epstein")]),
]}


def _invoke(*args: str):
    result = runner.invoke(app, [str(a) for a in args])
    # a traceback is never the answer: only typer's own exits
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """One build of a BibTeX file and an OpenAlex response: the output folder."""
    top = tmp_path_factory.mktemp("built")
    (top / "refs.bib").write_text(BIB, encoding="utf-8")
    (top / "works.json").write_text(json.dumps(OPENALEX), encoding="utf-8")
    out = top / "out"
    result = _invoke("build", top / "refs.bib", top / "works.json", "--out", out, "--strict")
    assert result.exit_code == 0, result.output
    return out


# ------------------------------------------------------------- C1: only output folders themselves are left out


def test_inputs_below_an_earlier_output_folder_are_read(tmp_path, monkeypatch):
    proj = tmp_path / "proj"
    proj.mkdir()
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    monkeypatch.chdir(proj)
    assert _invoke("build", "../refs.bib", "--out", ".").exit_code == 0  # proj itself is now an output folder
    assert (proj / MARKER_NAME).is_file()
    (proj / "mypages").mkdir()
    (proj / "mypages" / "lecun.bib").write_text(BIB2, encoding="utf-8")
    result = _invoke("build", "mypages", "--out", "results", "--strict")
    assert result.exit_code == 0, result.output
    assert "not read as input" not in result.stderr
    report = json.loads((proj / "results" / "report.json").read_text())
    assert (report["files"], report["paper_records"], report["problem_count"]) == (1, 1, 0)


def test_an_output_folder_walked_from_above_leaves_out_only_its_own_files(tmp_path, monkeypatch):
    proj = tmp_path / "proj"
    (proj / "mypages").mkdir(parents=True)
    (proj / MARKER_NAME).write_text("graphkit output folder\n")
    (proj / "report.json").write_text('{"graphkit": "0.1.0", "files": 3}\n')
    (proj / "refs.bib").write_text(BIB, encoding="utf-8")  # in the output folder: left out
    (proj / "mypages" / "lecun.bib").write_text(BIB2, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = _invoke("build", ".", "--out", "elsewhere", "--strict")
    assert result.exit_code == 0, result.output
    assert "not read as input (graphkit output folders): ./proj\n" in result.stderr
    report = json.loads((tmp_path / "elsewhere" / "report.json").read_text())
    assert (report["files"], report["paper_records"], report["inputs"]) == (1, 1, ["./proj/mypages"])


def test_only_output_folders_named_is_a_problem(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("refs.bib").write_text(BIB, encoding="utf-8")
    assert _invoke("build", "refs.bib", "--out", "first").exit_code == 0
    result = _invoke("build", "first", "--out", "second", "--strict")
    assert result.exit_code == 1
    assert "problem: first: nothing to read: only graphkit output folders" in result.stderr
    assert "nothing to build" in result.stderr and not Path("second/report.json").exists()  # nothing written


# ------------------------------------------------------------- C2: edge lists: gzip, bad bytes, per line


def test_gzip_edge_list_and_a_bad_byte_deep_in_a_file(tmp_path):
    lines = "# FromNodeId\tToNodeId\n" + "".join(f"{i}\t{i + 1}\n" for i in range(1, 4000))
    snap = tmp_path / "ca-Tiny.txt.gz"
    snap.write_bytes(gzip.compress(lines.encode()))
    result = _invoke("stats", "--edgelist", snap, "--format", "json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert (stats["nodes"], stats["edges"]) == (4000, 3999)
    latin1 = tmp_path / "names.txt"
    latin1.write_bytes(lines.encode() + "4000 Jürgen\n4001 4002\n".encode("latin-1"))  # line 4001
    result = _invoke("centrality", "--edgelist", latin1, "-m", "degree", "--top", "1", "--strict")
    assert result.exit_code == 1
    assert f"problem: {latin1}:4001: not UTF-8 text (byte 0xfc" in result.stderr
    assert "Traceback" not in result.output and "UnboundLocalError" not in result.output
    # the lines around it were read
    assert _invoke("stats", "--edgelist", latin1, "--format", "json").stdout.count('"edges": 4000') == 1


# ------------------------------------------------------------- C3: --k


def test_k_is_checked_and_capped_at_the_number_of_authors(tmp_path):
    edges = tmp_path / "edges.txt"
    edges.write_text("a b\nb c\nc d\nd a\na c\ne a\n")  # 5 authors
    for bad in ("0", "-5"):
        result = _invoke("centrality", "--edgelist", edges, "--k", bad)
        assert result.exit_code == 2 and "--k" in result.output and "--measure" not in result.output
    exact = _invoke("centrality", "--edgelist", edges, "-m", "betweenness", "--format", "json")
    capped = _invoke("centrality", "--edgelist", edges, "-m", "betweenness", "--k", "20", "--format", "json")
    assert capped.exit_code == 0, capped.output
    assert json.loads(capped.stdout) == json.loads(exact.stdout)
    assert "--k 20: the graph has 5 authors; betweenness is computed exactly" in capped.stderr


# ------------------------------------------------------------- C6: never overwrite what graphkit did not create


def test_a_users_report_and_table_are_not_taken_for_graphkits(tmp_path, built):
    mine = tmp_path / "analysis"
    mine.mkdir()
    (mine / "report.json").write_text('{"experiment": "ablation 3", "accuracy": 0.91}\n')
    (mine / "centrality.csv").write_text("id,name,score\nx,Ada,1\n")
    before = {p.name: p.read_bytes() for p in mine.iterdir()}
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    result = _invoke("build", tmp_path / "refs.bib", "--out", mine)
    assert result.exit_code == 1
    assert "is not a graphkit output folder" in result.stderr and "centrality.csv" in result.stderr
    assert {p.name: p.read_bytes() for p in mine.iterdir()} == before
    # what graphkit wrote before the marker proves itself by its content, and is rebuilt
    older = tmp_path / "older"
    older.mkdir()
    for name in ("report.json", "centrality.csv", "collaboration-map.html", "graph.lbdb"):
        shutil.copy(built / name, older / name)
    assert _invoke("build", tmp_path / "refs.bib", "--out", older).exit_code == 0
    assert (older / MARKER_NAME).is_file()


# ------------------------------------------------------------- C7: an unreadable input is a problem, not a usage error

_NO_OVERRIDE = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if os.geteuid() == 0 else []


def _as_user(*args: str) -> subprocess.CompletedProcess:
    """The real command in a process that file permissions bind (root without its override)."""
    if _NO_OVERRIDE and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: no process here is refused a mode-000 file")
    return subprocess.run([*_NO_OVERRIDE, sys.executable, "-m", "graphkit.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_an_unreadable_input_is_a_problem_and_the_others_are_read(tmp_path):
    good, secret = tmp_path / "refs.bib", tmp_path / "secret.bib"
    good.write_text(BIB, encoding="utf-8")
    secret.write_text(BIB2, encoding="utf-8")
    secret.chmod(0)
    edges = tmp_path / "edges.txt"
    edges.write_text("1 2\n")
    edges.chmod(0)
    result = _as_user("extract", good, secret, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "Usage" not in result.stderr and f"problem: {secret}: permission denied" in result.stderr
    assert len(result.stdout.splitlines()) == 2  # both papers of the readable file
    result = _as_user("stats", "--edgelist", edges)
    assert result.returncode == 1 and "Usage" not in result.stderr
    assert result.stderr.strip() == f"error: {edges}: permission denied"


# ------------------------------------------------------------- C8, C9: query parameters


def test_a_parameter_the_query_uses_must_be_given(built):
    cypher = "MATCH (a:Author {name: $name}) WHERE a.id <> '$nope' RETURN a.name"
    for extra in ([], ["--param", "nmae=Tri Dao"]):
        result = _invoke("query", cypher, "--db", built, *extra)
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr.strip() == "error: the query uses $name; give --param name=VALUE"
    ok = _invoke("query", cypher, "--db", built, "--param", "name=Tri Dao", "--format", "json")
    assert ok.exit_code == 0 and json.loads(ok.stdout) == [{"a.name": "Tri Dao"}]


def test_key_colon_equals_json_keeps_digits_text(built):
    result = _invoke("query", "RETURN $code AS code, $n AS n, $q AS q", "--db", built, "--param", 'code:="007"',
                     "--param", "n=007", "--param", 'q="as written"', "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"code": "007", "n": 7, "q": '"as written"'}]
    assert "key:=JSON" in " ".join(_invoke("query", "--help").stdout.split())
    bad = _invoke("query", "RETURN $code AS code", "--db", built, "--param", "code:=007")
    assert bad.exit_code == 2 and "code:= takes a JSON value" in bad.output


# ------------------------------------------------------------- C11: a file named twice is read once


def test_a_file_named_twice_is_read_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("refs").mkdir()
    Path("refs/flash.bib").write_text(BIB, encoding="utf-8")
    Path("refs/lecun.bib").write_text(BIB2, encoding="utf-8")
    result = _invoke("build", "refs", "refs/flash.bib", "./refs/../refs", "--out", "o", "--strict")
    assert result.exit_code == 0, result.output
    assert "read once (named more than once): refs/../refs, refs/flash.bib" in result.stderr
    report = json.loads(Path("o/report.json").read_text())
    assert (report["files"], report["paper_records"]) == (2, 3)
    # the file first, then its folder: the folder's other files are still read
    result = _invoke("extract", "refs/flash.bib", "refs", "--format", "json")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 3


# ------------------------------------------------------------- C13: smaller messages


def test_smaller_messages(tmp_path, built):
    afile = tmp_path / "page.txt"
    afile.write_text("not a database\n")
    result = _invoke("query", "MATCH (a:Author) RETURN a.name", "--db", afile)
    assert result.exit_code == 1 and "is a file, not a graph database" in result.stderr and "--out " + str(afile) not in result.stderr

    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "out-dangling").symlink_to(tmp_path / "nonexistent-target")
    result = _invoke("build", tmp_path / "refs.bib", "--out", tmp_path / "out-dangling")
    assert result.exit_code == 1 and "is a dangling symlink" in result.stderr and "File exists" not in result.stderr

    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "report.json").write_text('{"x": 1}')
    result = _invoke("identities", "--db", fake)
    assert result.exit_code == 1 and "not a graphkit build report" in result.stderr

    result = _invoke("identities", "--db", built, "--name", "Nobody Atall")
    assert result.exit_code == 1 and "no author called 'Nobody Atall'" in result.stderr

    result = _invoke("path", "openalex:A5100365434", "Albert Gu", "--db", built, "--format", "json")
    assert result.exit_code == 0, result.output
    steps = json.loads(result.stdout)
    assert [s["from_name"] for s in steps] == ["Daniel Y. Fu", "Tri Dao"] and steps[-1]["to_name"] == "Albert Gu"

    (tmp_path / "taken.html").write_text("<p>my own page</p>")
    result = _invoke("map", "--db", built, "--out", tmp_path / "taken.html")
    assert result.exit_code == 1 and result.stdout == "" and "will not replace it" in result.stderr

    result = _invoke("extract", tmp_path / "refs.bib", "--as-of", "2024-13-01")
    assert result.exit_code == 2 and "'--as-of'" in result.output


def test_a_users_folder_as_out_is_refused_before_reading(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes\n")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "broken.bib").write_text("@article{k, title = {T}, author = {A, B}, year = 2020}\n")
    rules = tmp_path / "identities.yaml"
    rules.write_text("same: [unclosed\n")  # an error graphkit would meet later, while setting the build up
    result = CliRunner().invoke(app, ["build", str(pages), "--out", str(folder), "--identities", str(rules)])
    assert result.exit_code == 1
    assert "is not a graphkit output folder" in result.stderr  # refused first, before anything is loaded or read
    assert "identities" not in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
