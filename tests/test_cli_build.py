"""`graphkit build` and `graphkit query` through typer's runner, on a real embedded database."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from graphkit.cli import app

from .conftest import EXAMPLES

runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory, seeds_dir):
    out = tmp_path_factory.mktemp("build")
    result = runner.invoke(app, ["build", str(seeds_dir), "--out", str(out), "--as-of", "2026-11-21"])
    assert result.exit_code == 0, result.output
    return out, result


def q(out, *args):
    return runner.invoke(app, ["query", "--db", str(out), *args])


def test_build_writes_database_and_report(built):
    out, result = built
    assert (out / "graph.lbdb").is_file()
    report = json.loads((out / "report.json").read_text())
    assert report["counts"]["Paper"] == 71 and report["counts"] == report["stored_counts"]
    assert report["problem_count"] == 0 and report["paper_records"] == 71 and report["files"] == 4
    assert [f["profile"] for f in report["flagged_profiles"]] == ["Zhengxin Zhang"]
    assert {"merges", "ambiguous", "unknown_institutions", "resolution"} <= set(report)
    assert "Paper 71" in result.stdout and "flagged profiles 1" in result.stdout


def test_query_json_csv_table(built):
    out, _ = built
    statement = "MATCH (a:Author)-[c:COAUTHORED]-(b:Author) WHERE a.name = $name RETURN b.name AS coauthor, c.papers AS papers ORDER BY papers DESC, coauthor LIMIT 2"
    as_json = q(out, statement, "--param", "name=Zhiyuan Zeng", "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout) == [{"coauthor": "Zhangyue Yin", "papers": 6}, {"coauthor": "Keqing He", "papers": 4}]
    as_csv = q(out, statement, "-p", "name=Zhiyuan Zeng", "--format", "csv")
    assert list(csv.DictReader(io.StringIO(as_csv.stdout)))[0] == {"coauthor": "Zhangyue Yin", "papers": "6"}
    table = q(out, "MATCH (a:Author)-[c:COAUTHORED]-(b) RETURN a.name, b.name, c.papers ORDER BY c.papers DESC LIMIT 5")
    assert table.exit_code == 0 and "Zhangyue Yin" in table.stdout and "5 rows" in table.stdout


def test_query_param_types_and_hostile_values(built):
    out, _ = built
    typed = q(out, "RETURN $i AS i, $f AS f, $b AS b, $l AS l, $s AS s", "-p", "i=4", "-p", "f=2.5", "-p", "b=true",
              "-p", 'l=["a", "b"]', "-p", "s=007x", "--format", "json")
    assert json.loads(typed.stdout) == [{"i": 4, "f": 2.5, "b": True, "l": ["a", "b"], "s": "007x"}]
    for hostile in ["x' OR 1=1 //", "`Author`) DETACH DELETE a //", '"quoted"', "}) RETURN 1 //"]:
        result = q(out, "RETURN $v AS v", "-p", f"v={hostile}", "--format", "json")
        assert json.loads(result.stdout) == [{"v": hostile}]
    count = q(out, "MATCH (a:Author) RETURN count(a) AS n", "--format", "json")
    assert json.loads(count.stdout) == [{"n": 95}]


def test_query_refuses_writes_and_reports_errors(built, tmp_path):
    out, _ = built
    refused = q(out, "MATCH (a:Author) DETACH DELETE a")
    assert refused.exit_code == 1 and "refused" in refused.stderr and "Traceback" not in refused.output
    bad = q(out, "MATCH (n:Nope) RETURN n")
    assert bad.exit_code == 1 and "Nope" in bad.stderr
    missing = runner.invoke(app, ["query", "--db", str(tmp_path / "nothing"), "RETURN 1"])
    assert missing.exit_code == 1 and "graphkit build" in missing.stderr
    badparam = q(out, "RETURN 1", "-p", "no-equals-sign")
    assert badparam.exit_code == 2


def test_build_strict_and_idempotent(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for page in EXAMPLES.glob("*.txt"):
        (pages / page.name).write_bytes(page.read_bytes())
    out = tmp_path / "out"
    first = runner.invoke(app, ["build", str(pages), "--out", str(out), "--strict"])
    assert first.exit_code == 0, first.output
    counts = json.loads((out / "report.json").read_text())["stored_counts"]
    second = runner.invoke(app, ["build", str(pages), "--out", str(out)])
    assert json.loads((out / "report.json").read_text())["stored_counts"] == counts
    assert second.exit_code == 0
    (pages / "broken.txt").write_bytes(b"\xff\xfe\x00garbage")
    lenient = runner.invoke(app, ["build", str(pages), "--out", str(out)])
    assert lenient.exit_code == 0 and "broken.txt" in lenient.stderr
    strict = runner.invoke(app, ["build", str(pages), "--out", str(out), "--strict"])
    assert strict.exit_code == 1
    report = json.loads((out / "report.json").read_text())
    assert report["problem_count"] == 1 and report["problems"][0]["source"].endswith("broken.txt")
    assert report["stored_counts"] == counts


def test_make_run_builds_every_format_in_examples(tmp_path):
    """`make run` builds all of examples/: every reader reads its file, nothing is a problem, papers merge across them."""
    examples = EXAMPLES.parent
    result = runner.invoke(app, ["build", str(examples), "--out", str(tmp_path / "out"), "--as-of", "2026-11-21", "--strict"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["problem_count"] == 0
    assert set(report["readers"]) == {"profile", "bibtex", "ris", "csl-json", "arxiv", "dblp", "openalex", "scopus", "wos"}
    assert report["files"] == len([p for p in examples.rglob("*") if p.is_file() and not p.name.startswith(".")])
    merged = [m for m in report["merges"] if m["kind"] == "paper" and len({s.split(":")[0] for s in m["merged"]}) >= 5]
    assert merged, "the examples describe the same papers in several formats"
    assert "read: " in result.stderr
