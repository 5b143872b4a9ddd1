"""Session 11 fixes to the analysis commands (centrality, stats, path, growth) and the edge-list reader,
each through the CLI a user runs on a file written here."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math

import networkx as nx
import pytest
from typer.testing import CliRunner

from graphkit.cli import app

runner = CliRunner()

ALL = ["degree", "weighted_degree", "betweenness", "closeness", "harmonic", "eigenvector", "pagerank",
       "core_number", "clustering", "constraint", "community"]


def _edges(tmp_path, text: str, name: str = "edges.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _centrality(*args: str, measures=ALL):
    options = [o for m in measures for o in ("-m", m)]
    return runner.invoke(app, ["centrality", *args, *options, "--top", "0", "--format", "json"])


def _problems(result) -> list[str]:
    return [line.removeprefix("problem: ") for line in result.stderr.splitlines() if line.startswith("problem: ")]


def _build(tmp_path, bib: str, name: str = "out"):
    path = tmp_path / f"{name}.bib"
    path.write_text(bib, encoding="utf-8")
    out = tmp_path / name
    result = runner.invoke(app, ["build", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


# 1. edge-list weights: a finite number >= 0, else the line is a problem; duplicates; a header line


@pytest.mark.parametrize("weight", ["nan", "inf", "-1", "1e400", "1_000"])
def test_an_edge_weight_that_is_not_a_finite_non_negative_number_is_a_problem(tmp_path, weight):
    # was: tracebacks (PowerIterationFailedConvergence, ArpackError, Louvain's InternalError) or wrong numbers
    path = _edges(tmp_path, f"a b {weight}\nb c 1\nc a 2\nc d 1\n")
    result = _centrality("--edgelist", str(path), "--weight-column", "3")
    assert result.exit_code == 0, result.output
    assert _problems(result) == [f"{path}:1: weight '{weight}' is not a finite non-negative number"]
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert sorted(rows) == ["a", "b", "c", "d"]  # the line is skipped, the rest is read
    assert rows["a"]["degree"] == 1 and rows["b"]["degree"] == 1  # no a-b edge
    assert all(r["pagerank"] >= 0 and r["weighted_degree"] is not None for r in rows.values())
    assert runner.invoke(app, ["stats", "--edgelist", str(path), "--weight-column", "3", "--strict"]).exit_code == 1


def test_an_edge_listed_again_with_another_weight_keeps_its_first_weight(tmp_path):
    path = _edges(tmp_path, "# weighted\n1 2 1.5\n2 3 0.5\n3 1 2\n3 4 1\n4 5 3\n2 1 4.0\n1 2\n3 2 0.5\n5 6\n6 5 2\n")
    result = _centrality("--edgelist", str(path), "--weight-column", "3", measures=["weighted_degree"])
    assert result.exit_code == 0, result.output
    # a pair without a weight weighs 1; "3 2 0.5" repeats "2 3 0.5" and is no problem
    assert _problems(result) == [
        f"{path}:7: edge 2-1 is listed again with weight 4.0; the first weight, 1.5, is kept",
        f"{path}:8: edge 1-2 is listed again without a weight; the first weight, 1.5, is kept",
        f"{path}:11: edge 6-5 is listed again with weight 2; the first listing, without a weight (1), is kept",
    ]
    rows = {r["id"]: r["weighted_degree"] for r in json.loads(result.stdout)}
    assert (rows["1"], rows["2"], rows["6"]) == (3.5, 2.0, 1.0)


def test_an_uncommented_snap_header_line_is_not_two_authors(tmp_path):
    path = _edges(tmp_path, "FromNodeId\tToNodeId\n1\t2\n2\t3\n")
    result = _centrality("--edgelist", str(path), measures=["degree"])
    assert result.exit_code == 0, result.output
    assert sorted(r["id"] for r in json.loads(result.stdout)) == ["1", "2", "3"]
    assert _problems(result) == [f"{path}:1: 'FromNodeId ToNodeId' is probably a header line "
                                 "(every other node id is a number); skipped"]
    # two words on the first line of a graph of words are an edge, as before
    words = _edges(tmp_path, "ada grace\ngrace alan\n", "words.txt")
    assert sorted(r["id"] for r in json.loads(_centrality("--edgelist", str(words), measures=["degree"]).stdout)) == [
        "ada", "alan", "grace"]


# 2. an empty edge list is one error; zero rows keep their CSV header; constraint on an empty graph


@pytest.mark.parametrize("text", ["", "# only comments\n# nothing else\n"])
@pytest.mark.parametrize("command", ["centrality", "stats", "map"])
def test_an_edge_list_without_edges_is_one_error(tmp_path, command, text):
    path = _edges(tmp_path, text)
    options = ["--out", str(tmp_path / "map.html")] if command == "map" else []
    result = runner.invoke(app, [command, "--edgelist", str(path), *options])
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == f"error: {path}: no edges"
    assert result.stdout == ""


def test_zero_rows_keep_their_csv_header_and_constraint_takes_an_empty_graph(tmp_path):
    out = _build(tmp_path, "@article{a, title={No authors here}, year={2020}}\n")
    result = runner.invoke(app, ["centrality", "--db", str(out), "-m", "constraint", "--format", "csv"])
    assert result.exit_code == 0, result.output  # was: networkx's "Graph has no nodes or edges" as a traceback
    assert result.stdout == "id,name,constraint\n"


# 3. only self-loops


def test_a_graph_of_self_loops_only(tmp_path):
    path = _edges(tmp_path, "1 1\n2 2\n")
    result = _centrality("--edgelist", str(path), measures=["eigenvector", "pagerank"])
    assert result.exit_code == 0, result.output  # was: "Invalid value for --measure: max() arg is an empty sequence"
    assert {r["id"]: (r["eigenvector"], r["pagerank"]) for r in json.loads(result.stdout)} == {"1": (0.0, 0.5), "2": (0.0, 0.5)}
    stats = runner.invoke(app, ["stats", "--edgelist", str(path), "--format", "json"])
    assert stats.exit_code == 0, stats.output
    summary = json.loads(stats.stdout)
    assert (summary["edges"], summary["self_loops"], summary["density"]) == (2, 2, 0.0)  # was density 2.0
    unknown = runner.invoke(app, ["centrality", "--edgelist", str(path), "-m", "eigenvalue"])
    assert unknown.exit_code == 2 and "unknown measure(s) eigenvalue" in unknown.output


# 4. eigenvector on components whose leading eigenvalues tie


def test_eigenvector_of_tied_components_is_networkx_s_in_any_line_order(tmp_path):
    lines = ["1 2", "2 3", "3 1", "4 5", "5 6", "6 4"]
    first = _edges(tmp_path, "\n".join(lines) + "\n", "a.txt")
    swapped = _edges(tmp_path, "\n".join(lines[3:] + lines[:3]) + "\n", "b.txt")
    expected = nx.eigenvector_centrality(nx.Graph([line.split() for line in lines]))  # 0.408 for all six
    for path in (first, swapped):
        result = _centrality("--edgelist", str(path), measures=["eigenvector"])
        assert result.exit_code == 0, result.output
        values = {r["id"]: r["eigenvector"] for r in json.loads(result.stdout)}
        assert values == pytest.approx(expected, abs=1e-9), path
        assert values["1"] == pytest.approx(1 / math.sqrt(6))


# 5. growth: papers without a year, years without papers, papers dated after today


def test_growth_says_what_it_leaves_out_and_skips_no_year(tmp_path):
    future = dt.date.today().year + 3
    out = _build(tmp_path, (
        "@article{p1, title={First}, author={Lee, Kenton and Ng, Carol}, year={2001}}\n"
        "@article{p2, title={Second}, author={Ng, Carol and Diaz, Ana}, year={2004}}\n"
        f"@article{{p3, title={{Announced}}, author={{Diaz, Ana and Okafor, Chinedu}}, year={{{future}}}}}\n"
        "@article{p4, title={Undated}, author={Okafor, Chinedu and Bello, Ibrahim}}\n"))
    result = runner.invoke(app, ["growth", "--db", str(out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))  # stdout is the CSV alone
    assert [int(r["year"]) for r in rows] == list(range(2001, future + 1))
    assert rows[1] == {"year": "2002", "papers": "0", "new_authors": "0", "new_collaborations": "0", "lcc_authors": "2"}
    assert result.stderr.splitlines() == ["1 paper without a year is not counted",
                                          "1 paper dated after today (counted in its year)"]
    as_json = runner.invoke(app, ["growth", "--db", str(out), "--format", "json"])
    assert len(json.loads(as_json.stdout)) == future - 2000


def test_growth_of_undated_papers_only_is_a_csv_header_and_a_note(tmp_path):
    out = _build(tmp_path, "@article{u, title={Undated}, author={Okafor, Chinedu and Bello, Ibrahim}}\n")
    result = runner.invoke(app, ["growth", "--db", str(out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "year,papers,new_authors,new_collaborations,lcc_authors\n"
    assert result.stderr.strip() == "1 paper without a year is not counted"


# 6. centrality's PageRank is the build's


def test_centrality_pagerank_is_the_build_s_to_1e_12(tmp_path):
    out = _build(tmp_path, (
        "@article{p1, title={One}, author={Lee, Kenton and Ng, Carol and Diaz, Ana}, year={2001}}\n"
        "@article{p2, title={Two}, author={Ng, Carol and Diaz, Ana}, year={2002}}\n"
        "@article{p3, title={Three}, author={Diaz, Ana and Okafor, Chinedu}, year={2003}}\n"
        "@article{p4, title={Four}, author={Okafor, Chinedu and Bello, Ibrahim and Lee, Kenton and Wu, Tao}, year={2004}}\n"
        "@article{p5, title={Five}, author={Smith, Jane and Jones, Bob}, year={2005}}\n"))
    with open(out / "centrality.csv", encoding="utf-8") as f:
        built = {r["id"]: float(r["pagerank"]) for r in csv.DictReader(f)}
    result = _centrality("--db", str(out), measures=["pagerank"])
    assert result.exit_code == 0, result.output
    ours = {r["id"]: r["pagerank"] for r in json.loads(result.stdout)}
    assert ours.keys() == built.keys() and len(ours) == 8
    assert max(abs(ours[a] - built[a]) for a in built) < 1e-12  # was about 1e-5 (networkx's tol=1e-6)


# 9. problems beyond the first 50: no report to point to outside build


def test_problems_beyond_the_limit_do_not_point_to_a_report(tmp_path):
    path = _edges(tmp_path, "".join(f"{i} {i + 1}\n{i} x{i} nan\n" for i in range(60)))
    result = runner.invoke(app, ["stats", "--edgelist", str(path), "--weight-column", "3"])
    assert result.exit_code == 0, result.output
    assert "... and 10 more (not shown; use --strict to fail on them)" in result.stderr
    assert "report" not in result.stderr
    assert result.stderr.splitlines()[-1] == "60 problems"


# 11. path, --write-back, --db with --edgelist, stats as CSV


def test_path_prints_n_d_for_a_paper_without_a_year(tmp_path):
    out = _build(tmp_path, "@article{u, title={Undated}, author={Okafor, Chinedu and Bello, Ibrahim}}\n")
    result = runner.invoke(app, ["path", "Chinedu Okafor", "Ibrahim Bello", "--db", str(out)])
    assert result.exit_code == 0, result.output
    assert "      n.d.  Undated" in result.stdout.splitlines()
    assert "None" not in result.stdout


def test_write_back_with_an_edge_list_is_refused_before_anything_is_computed(tmp_path, monkeypatch):
    def computed(*args, **kwargs):
        raise AssertionError("centrality_table ran before --write-back was refused")

    monkeypatch.setattr("graphkit.analyze.centrality_table", computed)
    path = _edges(tmp_path, "1 2\n2 3\n")
    result = runner.invoke(app, ["centrality", "--edgelist", str(path), "--write-back"])
    assert result.exit_code == 2, result.output
    assert "--write-back needs a database" in result.output


@pytest.mark.parametrize("command", ["centrality", "stats"])
def test_db_and_edgelist_together_are_a_usage_error(tmp_path, command):
    path = _edges(tmp_path, "1 2\n2 3\n")
    both = runner.invoke(app, [command, "--db", str(tmp_path / "out"), "--edgelist", str(path)])
    assert both.exit_code == 2
    assert "--edgelist and --db name two graphs" in both.output
    # --db has a default: without it on the command line the edge list is analysed
    alone = runner.invoke(app, [command, "--edgelist", str(path), "--format", "json"])
    assert alone.exit_code == 0, alone.output


def test_stats_as_csv(tmp_path):
    path = _edges(tmp_path, "1 2\n2 3\n3 1\n3 3\n")
    result = runner.invoke(app, ["stats", "--edgelist", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["statistic", "value"]
    values = {r["statistic"]: r["value"] for r in rows}
    assert (values["nodes"], values["edges"], values["self_loops"], values["density"]) == ("3", "4", "1", "1.0")
