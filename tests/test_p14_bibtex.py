"""BibTeX after outside testing (qa-2 D2, D3, D10): an author list separated by ``;`` or by commas alone
is read name by name, and a name with commas no BibTeX form has is read as BibTeX reads it, each
reported with its file and line (so ``--strict`` stops on it), no name keeping a ``;``; biblatex's
``xdata`` lends its fields as ``crossref`` does, an ``@xdata`` entry is no paper and a missing key is a
problem; Better BibTeX's ``family={Smith, Jr.}`` keeps its suffix apart. Each through ``graphkit
extract`` or ``graphkit build`` on files written here."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from graphkit.cli import app
from tests.cli import extract, query

runner = CliRunner()
AS_OF = "2026-11-21"


def names(paper):
    return [(a["name"], a["given"], a["family"]) for a in paper["authors"]]


# qa-2/d2-semicolon-authors.bib
D2 = (
    "@article{semi, author={Smith, John; Doe, Jane; Roe, Rick}, title={Semicolons in bib}, year=2019}\n"
    "@article{commas, author={John Smith, Jane Doe, Rick Roe}, title={Commas in bib}, year=2019}\n"
    "@article{four, author={Smith, Jr., John, Extra}, title={Too many commas}, year=2019}\n"
)
SMITH_DOE_ROE = [("John Smith", "John", "Smith"), ("Jane Doe", "Jane", "Doe"), ("Rick Roe", "Rick", "Roe")]


def test_authors_separated_by_semicolons_or_commas_are_read_apart_and_reported_with_file_and_line(tmp_path):
    path = tmp_path / "d2.bib"
    path.write_text(D2, encoding="utf-8")
    result, papers, problems = extract(path)
    assert result.exit_code == 0
    assert [names(p) for p in papers] == [SMITH_DOE_ROE, SMITH_DOE_ROE, [("John Extra Smith Jr.", "John Extra", "Smith")]]
    assert problems == [
        f"{path}:1: entry semi: authors separated by ';' rather than 'and'; read as 3 names",
        f"{path}:2: entry commas: authors separated by ',' rather than 'and' in 'John Smith, Jane Doe, Rick Roe'; read as 3 names",
        f"{path}:3: entry four: name 'Smith, Jr., John, Extra' has 3 commas (BibTeX's forms have at most two: "
        "'von Last, Jr, First'); read as 'John Extra Smith Jr.'",
    ]
    strict, _, _ = extract(path, strict=True)
    assert strict.exit_code != 0


def test_other_lists_written_without_and_are_read_apart_and_no_name_keeps_a_semicolon(tmp_path):
    """Braced, mixed, Oxford-comma, initials-pair and cut lists are read apart and reported, an HTML entity's
    ``;`` is no separator; the names whose commas are BibTeX's (or Better BibTeX's) forms are not reported."""
    path = tmp_path / "lists.bib"
    path.write_text(
        "@article{braced, author = {{Smith, John; Doe, Jane}}, title = {A Braced List}, year = 2019}\n"
        "@article{mixed, author = {Lee, Kenton and Smith, J.; Doe, J.}, title = {Mixed}, year = 2019}\n"
        "@article{oxford, author = {John Smith, Jane Doe, and Rick Roe}, title = {Oxford Comma}, year = 2019}\n"
        "@article{pairs, author = {Smith, J., Doe, J. K., Roe, R.}, title = {Initials Pairs}, year = 2019}\n"
        "@article{cut, author = {Smith, John; Doe, Jane; et al.}, title = {Cut List}, year = 2019}\n"
        "@article{entity, author = {M&#252;ller, J{\\\"o}rg; Lee, Kenton}, title = {Entity}, year = 2019}\n"
        "@article{three, author = {Smith, John, Doe}, title = {No Suffix}, year = 2019}\n"
        "@article{forms, author = {King, Jr., Martin Luther and Steele, Guy L., Jr. and J.\\,R.\\,R. Tolkien and "
        "Garcia Marquez, Gabriel Jose and {Barnes and Noble, Inc.} and family=Walt, given=St\\'efan J., prefix=van der, "
        "useprefix=true and Lee, K., et al.}, title = {Forms}, year = 2019}\n",
        encoding="utf-8",
    )
    result, papers, problems = extract(path)
    assert result.exit_code == 0
    assert [(names(p), p["authors_truncated"]) for p in papers] == [
        (SMITH_DOE_ROE[:2], False),
        ([("Kenton Lee", "Kenton", "Lee"), ("J. Smith", "J.", "Smith"), ("J. Doe", "J.", "Doe")], False),
        (SMITH_DOE_ROE, False),
        ([("J. Smith", "J.", "Smith"), ("J. K. Doe", "J. K.", "Doe"), ("R. Roe", "R.", "Roe")], False),
        (SMITH_DOE_ROE[:2], True),
        ([("Jörg Müller", "Jörg", "Müller"), ("Kenton Lee", "Kenton", "Lee")], False),
        ([("Doe Smith John", "Doe", "Smith")], False),
        ([("Martin Luther King Jr.", "Martin Luther", "King"), ("Guy L. Steele Jr.", "Guy L.", "Steele"),
          ("J. R. R. Tolkien", "J. R. R.", "Tolkien"), ("Gabriel Jose Garcia Marquez", "Gabriel Jose", "Garcia Marquez"),
          ("Barnes and Noble, Inc.", None, "Barnes and Noble, Inc."), ("Stéfan J. van der Walt", "Stéfan J.", "van der Walt"),
          ("K. Lee", "K.", "Lee")], True),
    ]
    assert not any(";" in a["name"] or ";" in (a["family"] or "") for p in papers for a in p["authors"])
    assert problems == [
        f"{path}:1: entry braced: authors separated by ';' rather than 'and'; read as 2 names",
        f"{path}:2: entry mixed: authors separated by ';' rather than 'and'; read as 2 names",
        f"{path}:3: entry oxford: authors separated by ',' rather than 'and' in 'John Smith, Jane Doe,'; read as 2 names",
        f"{path}:4: entry pairs: authors separated by ',' rather than 'and' in 'Smith, J., Doe, J. K., Roe, R.'; read as 3 names",
        f"{path}:5: entry cut: authors separated by ';' rather than 'and'; read as 2 names",
        f"{path}:6: entry entity: authors separated by ';' rather than 'and'; read as 2 names",
        f"{path}:7: entry three: name 'Smith, John, Doe' has 'John' between its commas, which is no suffix such as Jr.; "
        "read as 'Doe Smith John'",
    ]


def test_build_strict_stops_on_a_semicolon_list_and_makes_three_people_of_it(tmp_path):
    data = tmp_path / "in"
    data.mkdir()
    (data / "d2.bib").write_text(D2.splitlines()[0] + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(data), "--out", str(out), "--strict", "--as-of", AS_OF])
    assert result.exit_code == 1
    report = json.loads((out / "report.json").read_text())
    assert [(p["source"].rsplit("/", 1)[-1], p["line"], p["message"]) for p in report["problems"]] == [
        ("d2.bib", 1, "entry semi: authors separated by ';' rather than 'and'; read as 3 names")]
    lenient = tmp_path / "lenient"
    result = runner.invoke(app, ["build", str(data), "--out", str(lenient), "--as-of", AS_OF])
    assert result.exit_code == 0 and "1 problem" in result.stderr
    rows = query(lenient, "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) RETURN r.position AS pos, a.name AS name ORDER BY pos")
    assert rows == [{"pos": 0, "name": "John Smith"}, {"pos": 1, "name": "Jane Doe"}, {"pos": 2, "name": "Rick Roe"}]


# qa-2/d3-xdata.bib, and an @xdata after the entry that names it
XDATA = (
    "@xdata{shared,\n  journal = {Shared Journal},\n  year = {2018},\n  publisher = {Foo}\n}\n"
    "@article{xd,\n  author = {A. B. Cee},\n  title = {Xdata user},\n  xdata = {shared}\n}\n"
    "@article{two, author = {Lee, Kenton}, title = {Two Keys}, xdata = {later, shared}}\n"
    "@article{own, author = {Lee, Kenton}, title = {Own Fields First}, journal = {Own}, xdata = {shared}}\n"
    "@article{gone, author = {Lee, Kenton}, title = {Missing Key}, year = 2020, xdata = {nowhere}}\n"
    "@inproceedings{both, author = {Lee, Kenton}, title = {With Crossref}, xdata = {shared}, crossref = {proc}}\n"
    "@proceedings{proc, title = {Proceedings Title}, year = 1999, booktitle = {Proc Booktitle}}\n"
    "@xdata{later, journal = {Later Journal}, xdata = {pub}}\n"
    "@xdata{pub, publisher = {P}, year = {2017}}\n"
)


def test_xdata_lends_its_fields_is_no_paper_and_a_missing_key_is_a_problem(tmp_path):
    path = tmp_path / "xdata.bib"
    path.write_text(XDATA, encoding="utf-8")
    result, papers, problems = extract(path)
    assert result.exit_code == 0
    assert [(p["title"], p["year"], p["venue"], p["line"]) for p in papers] == [
        ("Xdata user", 2018, "Shared Journal", 6),
        ("Two Keys", 2017, "Later Journal", 11),  # "later" first, and the "pub" it names before "shared"
        ("Own Fields First", 2018, "Own", 12),
        ("Missing Key", 2020, None, 13),
        ("With Crossref", 2018, "Shared Journal", 14),  # xdata before crossref, as biblatex lends them
    ]
    assert problems == [f"{path}:13: entry gone: xdata to unknown entry nowhere; read without it"]


def test_build_reads_xdata_as_extract_does(tmp_path):
    data = tmp_path / "in"
    data.mkdir()
    (data / "xdata.bib").write_text(XDATA.replace("xdata = {nowhere}", "xdata = {shared}"), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(data), "--out", str(out), "--strict", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    rows = query(out, "MATCH (p:Paper) RETURN p.title AS title, p.year AS year, p.venue AS venue ORDER BY title")
    assert rows == [
        {"title": "Missing Key", "year": 2020, "venue": "Shared Journal"},
        {"title": "Own Fields First", "year": 2018, "venue": "Own"},
        {"title": "Two Keys", "year": 2017, "venue": "Later Journal"},
        {"title": "With Crossref", "year": 2018, "venue": "Shared Journal"},
        {"title": "Xdata user", "year": 2018, "venue": "Shared Journal"},
    ]


def test_better_bibtex_family_with_a_suffix_keeps_the_suffix_apart(tmp_path):
    path = tmp_path / "bbt.bib"
    path.write_text(
        "@article{a, author = {family={Smith, Jr.}, given={John}}, title = {Braced Family}, year = 2019}\n"
        '@article{b, author = {family="Smith, Jr.", given=John and family=Smith, given=John, suffix=Jr.}, '
        "title = {Quoted Family}, year = 2019}\n",
        encoding="utf-8",
    )
    result, papers, problems = extract(path)
    assert result.exit_code == 0 and problems == []
    smith = ("John Smith Jr.", "John", "Smith")
    assert [names(p) for p in papers] == [[smith], [smith, smith]]
