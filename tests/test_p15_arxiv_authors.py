"""arXiv snapshot lines whose ``authors`` string and ``authors_parsed`` disagree (outside QA, defects 2 and 3).

- An ``authors`` string ending in "et al" / "et al." / "and others" (and the other placeholders ``is_etal`` knows)
  marks the list cut short even when ``authors_parsed`` leaves that entry out (arXiv 0704.0171, 0704.0020 in the
  real sample); no co-author pair is invented for it.
- An ``authors_parsed`` entry with a null in it, or a name the string has and ``authors_parsed`` lacks, is kept,
  and the difference is one problem naming the file and line. A collaboration only one list names, an "et al",
  a suffix written like a name (``John Smith, Jr.``) and a group name before a colon are no difference.

Every input goes through the registry (``iter_inputs``/``read_input``), ``graphkit extract`` or ``graphkit build``;
the expectations are read off the inputs written here.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.models import PaperRecord, Problem
from graphkit.readers.registry import iter_inputs, read_input
from graphkit.store import EmbeddedStore

from .conftest import shared_path

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-21"]


def _line(arxiv_id: str, authors: str | None, parsed: list | None) -> str:
    """A line of the Kaggle snapshot (its key order)."""
    obj: dict = {"id": arxiv_id, "submitter": "A. Submitter"}
    if authors is not None:
        obj["authors"] = authors
    obj.update({"title": f"Paper {arxiv_id}", "comments": None, "journal-ref": None, "doi": None, "report-no": None,
                "categories": "hep-ex", "license": None, "abstract": "  An abstract.\n",
                "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
                "update_date": "2008-11-26"})
    if parsed is not None:
        obj["authors_parsed"] = parsed
    return json.dumps(obj)


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _read(path: Path) -> tuple[list[PaperRecord], list[Problem]]:
    [item] = list(iter_inputs([path]))
    assert (item.format, item.problem) == ("arxiv", None)
    items = list(read_input(item))
    return [r for r in items if isinstance(r, PaperRecord)], [p for p in items if isinstance(p, Problem)]


def _authors(rec: PaperRecord) -> list[tuple[str, str | None, str | None, int]]:
    return [(a.name, a.given, a.family, a.position) for a in rec.authors]


# (authors string, authors_parsed as arXiv's snapshot gives it without the placeholder, names kept)
ET_AL = [
    ("F. Aharonian, et al", [["Aharonian", "F.", ""]], ["F. Aharonian"]),
    ("The BABAR Collaboration, B. Aubert, et al", [["The BABAR Collaboration", "", ""], ["Aubert", "B.", ""]],
     ["The BABAR Collaboration", "B. Aubert"]),
    ("X. Yy and others", [["Yy", "X.", ""]], ["X. Yy"]),
    ("A. Li, B. Wu, et al.", [["Li", "A.", ""], ["Wu", "B.", ""]], ["A. Li", "B. Wu"]),
    ("A. Li, B. Wu, Et Al", [["Li", "A.", ""], ["Wu", "B.", ""]], ["A. Li", "B. Wu"]),
    ("A. Li, B. Wu and others", [["Li", "A.", ""], ["Wu", "B.", ""]], ["A. Li", "B. Wu"]),
    ("A. Li (MIT), B. Wu (CMU), et al", [["Li", "A.", "", "MIT"], ["Wu", "B.", "", "CMU"]], ["A. Li", "B. Wu"]),
    ("A. Li, B. Wu, ...", [["Li", "A.", ""], ["Wu", "B.", ""]], ["A. Li", "B. Wu"]),
]


def test_an_et_al_in_the_authors_string_marks_the_list_cut_short(tmp_path):
    lines = [_line(f"0704.{i:04d}", authors, parsed) for i, (authors, parsed, _) in enumerate(ET_AL, 1)]
    lines.append(_line("0704.0100", "A. Li and B. Wu", [["Li", "A.", ""], ["Wu", "B.", ""]]))  # the whole list
    lines.append(_line("0704.0101", "Ann Allen, Ethan Others", [["Allen", "Ann", ""], ["Others", "Ethan", ""]]))
    records, problems = _read(_write(tmp_path / "etal.jsonl", lines))
    assert problems == [], [str(p) for p in problems]
    got = [([a.name for a in r.authors], r.authors_truncated) for r in records]
    assert got == [(names, True) for *_, names in ET_AL] + [(["A. Li", "B. Wu"], False),
                                                           (["Ann Allen", "Ethan Others"], False)]


def test_the_real_sample_marks_its_two_et_al_records_and_nothing_else():
    path = shared_path("data", "arxiv", "arxiv-metadata-sample.jsonl")
    records, problems = _read(path)
    assert len(records) == 200 and problems == []
    truncated = {r.ids[0]: [a.name for a in r.authors] for r in records if r.authors_truncated}
    assert truncated == {"arxiv:0704.0020": ["The BABAR Collaboration", "B. Aubert"],
                         "arxiv:0704.0171": ["F. Aharonian"]}


def test_the_graph_keeps_the_flag_and_invents_no_co_author(tmp_path):
    path = _write(tmp_path / "etal.jsonl", [
        _line("0704.0171", "F. Aharonian, et al", [["Aharonian", "F.", ""]]),
        _line("0704.0172", "C. Lee, D. Kim, et al.", [["Lee", "C.", ""], ["Kim", "D.", ""]]),
    ])
    out = tmp_path / "out"
    built = runner.invoke(app, ["build", str(path), "--out", str(out), *AS_OF])
    assert built.exit_code == 0, built.output
    store = EmbeddedStore(out / "graph.lbdb")
    papers = {row["title"]: row["truncated"] for row in store.query(
        "MATCH (p:Paper) RETURN p.title AS title, p.authors_truncated AS truncated")}
    assert papers == {"Paper 0704.0171": True, "Paper 0704.0172": True}
    names = sorted(row["name"] for row in store.query("MATCH (a:Author) RETURN a.name AS name"))
    assert names == ["C. Lee", "D. Kim", "F. Aharonian"]
    pairs = sorted(tuple(sorted((row["a"], row["b"]))) for row in store.query(
        "MATCH (a:Author)-[:COAUTHORED]->(b:Author) RETURN a.name AS a, b.name AS b"))
    assert pairs == [("C. Lee", "D. Kim")]


def test_damaged_and_missing_entries_are_kept_and_reported(tmp_path):
    path = _write(tmp_path / "cases.jsonl", [
        _line("2101.00001", "Ann Alpha and Bob Beta", [["Alpha", "Ann", ""], ["Beta", "Bob", ""]]),
        _line("2101.00005", "Eve Eps, Fay Phi", [["Eps", "Eve", ""], ["Phi", None, ""]]),
        _line("2101.00006", "Gus Gam, Hal Eta, Ida Iota", [["Gam", "Gus", ""], ["Eta", "Hal", ""]]),
        _line("2101.00007", "Jo Jay, Kai Kap", [["Jay", "Jo", ""], ["Kap", "Kai", ""], ["Lam", "Lu", ""]]),
        _line("2101.00008", None, [["Mu", "Max", ""], None, ["Nu", None, ""]]),
        _line("2101.00009", "Ola Omi, Pia Pi (MIT), Rex Rho (MIT)", [["Omi", "Ola", ""], ["Rho", "Rex", ""]]),
    ])
    records, problems = _read(path)
    assert [_authors(r) for r in records] == [
        [("Ann Alpha", "Ann", "Alpha", 0), ("Bob Beta", "Bob", "Beta", 1)],
        [("Eve Eps", "Eve", "Eps", 0), ("Fay Phi", "Fay", "Phi", 1)],
        [("Gus Gam", "Gus", "Gam", 0), ("Hal Eta", "Hal", "Eta", 1), ("Ida Iota", None, None, 2)],
        [("Jo Jay", "Jo", "Jay", 0), ("Kai Kap", "Kai", "Kap", 1), ("Lu Lam", "Lu", "Lam", 2)],
        [("Max Mu", "Max", "Mu", 0), ("Nu", None, "Nu", 1)],
        [("Ola Omi", "Ola", "Omi", 0), ("Pia Pi", None, None, 1), ("Rex Rho", "Rex", "Rho", 2)],
    ]
    assert [a.affiliations[0].name for a in records[-1].authors] == ["MIT", "MIT", "MIT"]
    assert not any(r.authors_truncated for r in records)
    assert [(p.source, p.line, p.message) for p in problems] == [
        (str(path), 2, 'arXiv 2101.00005: authors_parsed: entry 2 ["Phi",null,""] is damaged, '
                       '"Fay Phi" read from the authors string'),
        (str(path), 3, 'arXiv 2101.00006: authors_parsed: "Ida Iota" of the authors string is missing (kept)'),
        (str(path), 4, 'arXiv 2101.00007: authors_parsed: "Lu Lam" is not in the authors string (kept)'),
        (str(path), 5, 'arXiv 2101.00008: authors_parsed: entry 2 null holds no name; '
                       'entry 3 ["Nu",null,""] is damaged, read as "Nu"'),
        (str(path), 6, 'arXiv 2101.00009: authors_parsed: "Pia Pi" of the authors string is missing (kept)'),
    ]


# (authors string, authors_parsed, names kept): differences that are no problem
NO_PROBLEM = [
    # a collaboration one list leaves out is kept (the graph lists it apart from the people)
    ("ATLAS Collaboration, G. Aad, B. Abbott", [["Aad", "G.", ""], ["Abbott", "B.", ""]],
     ["ATLAS Collaboration", "G. Aad", "B. Abbott"]),
    ("G. Aad, B. Abbott", [["Aad", "G.", ""], ["Abbott", "B.", ""], ["Collaboration", "ATLAS", ""]],
     ["G. Aad", "B. Abbott", "ATLAS Collaboration"]),
    # arXiv splits a group name off at its colon and keeps a suffix with its name
    ("BELLE Collaboration: A. Li, B. Wu", [["BELLE Collaboration", "", ""], ["Li", "A.", ""], ["Wu", "B.", ""]],
     ["BELLE Collaboration", "A. Li", "B. Wu"]),
    ("John Smith, Jr., Ann Lee", [["Smith", "John", "Jr."], ["Lee", "Ann", ""]], ["John Smith Jr.", "Ann Lee"]),
]


def test_documented_differences_are_no_problem(tmp_path):
    lines = [_line(f"2101.{i:05d}", authors, parsed) for i, (authors, parsed, _) in enumerate(NO_PROBLEM, 1)]
    records, problems = _read(_write(tmp_path / "same.jsonl", lines))
    assert problems == [], [str(p) for p in problems]
    assert [[(a.name, a.position) for a in r.authors] for r in records] == [
        [(name, i) for i, name in enumerate(names)] for *_, names in NO_PROBLEM]


def test_cli_names_the_lost_authors_and_strict_fails(tmp_path):
    path = _write(tmp_path / "cases.jsonl", [
        _line("2101.00005", "Eve Eps, Fay Phi", [["Eps", "Eve", ""], ["Phi", None, ""]]),
        _line("2101.00006", "Gus Gam, Hal Eta, Ida Iota", [["Gam", "Gus", ""], ["Eta", "Hal", ""]]),
    ])
    done = runner.invoke(app, ["extract", str(path), "--format", "json"])
    assert done.exit_code == 0, done.output
    printed = [json.loads(row) for row in done.stdout.splitlines() if row.startswith("{")]
    assert [[a["name"] for a in p["authors"]] for p in printed] == [["Eve Eps", "Fay Phi"],
                                                                    ["Gus Gam", "Hal Eta", "Ida Iota"]]
    problem_lines = [row for row in done.stderr.splitlines() if row.startswith("problem: ")]
    assert [row.split(": arXiv ")[0] for row in problem_lines] == [f"problem: {path}:1", f"problem: {path}:2"]
    assert runner.invoke(app, ["extract", str(path), "--strict"]).exit_code == 1
