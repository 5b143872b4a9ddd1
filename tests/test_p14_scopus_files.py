"""A Scopus quote left open, and a file reached twice through a folder (outside tester, session 14).

- Scopus CSV: a stray ``"`` made :mod:`csv` read the following lines as one
  field. The swallowed record was lost, a problem (if any) named one line, and
  the next record was given the line of the junk before it. Now the problem
  names the line the quote opened on and the line it ran to, the quote's line
  is read again without it, and the lines after it as rows of their own, each
  record with its own line. Abstracts over several lines are read as before.
- A file reached twice through a walked folder (a symlink or hard link beside
  it, or named and in a named folder) was read twice: ``Paper.sources``,
  record and problem counts were inflated. Now it is read once and stderr
  names each one left out, as for a file named twice.

Every input is written here as the tester wrote it; expectations are read off
that text (which line holds what), not computed by the code under test.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from tests.cli import extracted as _extract

AS_OF = ["--as-of", "2026-11-21"]


def _run(*args: str):
    return CliRunner().invoke(app, [*args])


# --- Scopus: a quote left open --------------------------------------------------------------------

# The tester's file: seven records, one a line; the fifth has an unclosed quote before its title.
SWALLOW = """Authors,Author full names,Title,Year,Source title,DOI,EID
Smith J.; Doe J.,"Smith, John; Doe, Jane",First paper,2020,Journal A,10.1000/a1,2-s2.0-1
Roe R.; Doe J.,"Roe, Richard; Doe, Jane","Second paper, with a 12"" display",2021,Journal B,10.1000/a2,2-s2.0-2
Poe E.; Roe R.,"Poe, Eve; Roe, Richard",Third paper on 5" floppies,2021,Journal C,10.1000/a3,2-s2.0-3
Lee F.; Poe E.,"Lee, Frank; Poe, Eve",Fourth paper,2022,Journal D,10.1000/a4,2-s2.0-4
Kim G.; Lee F.,"Kim, Grace; Lee, Frank","Fifth paper,2022,Journal E,10.1000/a5,2-s2.0-5
Park H.; Kim G.,"Park, Hana; Kim, Grace",Sixth paper,2023,Journal F,10.1000/a6,2-s2.0-6
Cho I.; Park H.,"Cho, Ian; Park, Hana",Seventh paper,2023,Journal G,10.1000/a7,2-s2.0-7
"""
SWALLOWED = ("quote opened on line 6 (Title) runs to line 7: 2 lines read as one row; "
             "line 6 read again without that quote, line 7 as a row of its own")


def test_scopus_stray_quote_names_both_lines_and_every_record_is_read_on_its_own_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("swallow.csv").write_text(SWALLOW, encoding="utf-8")
    papers, problems, _ = _extract("swallow.csv")
    assert [(p["line"], p["title"], p["year"], p["ids"][-1]) for p in papers] == [
        (2, "First paper", 2020, "scopus:2-s2.0-1"),
        (3, 'Second paper, with a 12" display', 2021, "scopus:2-s2.0-2"),
        (4, 'Third paper on 5" floppies', 2021, "scopus:2-s2.0-3"),
        (5, "Fourth paper", 2022, "scopus:2-s2.0-4"),
        (6, "Fifth paper", 2022, "scopus:2-s2.0-5"),
        (7, "Sixth paper", 2023, "scopus:2-s2.0-6"),
        (8, "Seventh paper", 2023, "scopus:2-s2.0-7"),
    ]
    assert [a["name"] for a in papers[5]["authors"]] == ["Hana Park", "Grace Kim"]
    assert problems == [f"problem: swallow.csv:6: {SWALLOWED}"]

    done = _run("build", "swallow.csv", "--out", "out", *AS_OF)
    assert done.exit_code == 0, done.output
    report = json.loads(Path("out/report.json").read_text(encoding="utf-8"))
    assert report["paper_records"] == 7
    assert [(p["line"], p["message"]) for p in report["problems"]] == [(6, SWALLOWED)]


# The tester's second file: the example export, two junk lines before its second row, one with an unclosed quote.
HEADER = ('"Authors","Author full names","Title","Year","Source title","Volume","Page start","Page end","DOI","Link",'
          '"Affiliations","Authors with affiliations","Abstract","Language of Original Document","Document Type","Source"')
SPANBERT = ('"Joshi M.; Chen D.","Joshi, Mandar; Chen, Danqi","SpanBERT: Improving Pre-training by Representing and '
            'Predicting Spans","2020","Transactions of the Association for Computational Linguistics","8","64","77",'
            '"10.1162/tacl_a_00300","https://doi.org/10.1162/tacl_a_00300","Princeton University, Princeton, NJ, United States",'
            '"Joshi M., Princeton University, Princeton, NJ, United States; Chen D., Princeton University, Princeton, NJ, '
            'United States","Masking contiguous spans.","English","Article","Scopus"')
LEVY = ('"Levy O.; Goldberg Y.; Dagan I.","Levy, Omer; Goldberg, Yoav; Dagan, Ido","Improving Distributional Similarity '
        'with Lessons Learned from Word Embeddings","2015","Transactions of the Association for Computational Linguistics",'
        '"3","211","225","10.1162/tacl_a_00134","https://doi.org/10.1162/tacl_a_00134","Bar-Ilan University, Ramat-Gan, Israel",'
        '"Levy O., Bar-Ilan University, Ramat-Gan, Israel; Goldberg Y., Bar-Ilan University, Ramat-Gan, Israel; Dagan I., '
        'Bar-Ilan University, Ramat-Gan, Israel","[No abstract available]","English","Article","Scopus"')


def test_scopus_junk_lines_and_a_stray_quote_are_problems_and_the_next_record_keeps_its_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "\n".join([HEADER, SPANBERT, '"unterminated quote, Smith J., 2020', "a,b", LEVY]) + "\n"
    Path("bad.csv").write_text(text, encoding="utf-8")
    papers, problems, _ = _extract("bad.csv")
    assert [(p["line"], p["title"], p["year"]) for p in papers] == [
        (2, "SpanBERT: Improving Pre-training by Representing and Predicting Spans", 2020),
        (5, "Improving Distributional Similarity with Lessons Learned from Word Embeddings", 2015)]
    assert [a["name"] for a in papers[1]["authors"]] == ["Omer Levy", "Yoav Goldberg", "Ido Dagan"]
    assert problems == [
        "problem: bad.csv:3: quote opened on line 3 (Authors) runs to line 5: 3 lines read as one row; "
        "line 3 not read (3 fields without that quote, the header 16); lines 4-5 read as rows of their own",
        "problem: bad.csv:4: row has 2 fields, the header 16; read by position",
        "problem: bad.csv:4: row has no Title",
    ]


SCOPUS_HEADER = ["Authors", "Title", "Year", "Source title", "Abstract", "Document Type", "EID"]


def _quoted(*rows: list[str]) -> str:
    """Rows as Scopus writes them: every field quoted, CRLF line ends (abstracts keep their own line breaks)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerows([SCOPUS_HEADER, *rows])
    return buffer.getvalue()


def test_scopus_abstracts_over_several_lines_are_read_as_before(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = _quoted(
        ["Lee K.", "One", "2019", "J", 'First part.\r\nSecond, with "quotes", commas, 2019, and 2-s2.0-9', "Article", "2-s2.0-1"],
        ["Roe R.", "Two", "2020", "J", "Line one\nline two\nline three", "Article", "2-s2.0-2"],
        ["Poe E.", "Three", "2021", "J", "", "Article", "2-s2.0-3"],
    )
    Path("abstracts.csv").write_text(text, encoding="utf-8", newline="")
    papers, problems, _ = _extract("abstracts.csv")
    assert [(p["line"], p["title"], p["abstract"]) for p in papers] == [
        (2, "One", 'First part. Second, with "quotes", commas, 2019, and 2-s2.0-9'),
        (4, "Two", "Line one line two line three"),
        (7, "Three", None),
    ]
    assert problems == []


def test_scopus_stray_quote_after_a_long_abstract_and_one_left_open_to_the_end(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # line 2-3: an abstract over two lines, then a quote left open before Document Type, running over lines 4-5
    Path("after.csv").write_text(
        "Authors,Title,Year,Source title,Abstract,Document Type,EID\n"
        'Lee K.,One,2019,J,"First part.\nSecond part","Article,2-s2.0-1\n'
        "Roe R.,Two,2020,J,x,Article,2-s2.0-2\n"
        "Poe E.,Three,2021,J,y,Article,2-s2.0-3\n", encoding="utf-8")
    papers, problems, _ = _extract("after.csv")
    assert [(p["line"], p["title"], p["kind"], p["abstract"]) for p in papers] == [
        (2, "One", "article", "First part. Second part"), (4, "Two", "article", "x"), (5, "Three", "article", "y")]
    assert problems == ["problem: after.csv:3: quote opened on line 3 (Document Type) runs to line 5: 4 lines read as one row; "
                        "lines 2-3 read again without that quote, lines 4-5 as rows of their own"]
    # two quotes left open, the second never closed: csv read on to the end of the file
    Path("end.csv").write_text(
        "Authors,Title,Year,Source title,Abstract,Document Type,EID\n"
        'A A.,"One,2019,J,x,Article,2-s2.0-1\n'
        'B B.,"Two,2020,J,x,Article,2-s2.0-2\n'
        "C C.,Three,2021,J,y,Article,2-s2.0-3\n"
        "D D.,Four,2021,J,y,Article,2-s2.0-4\n", encoding="utf-8")
    papers, problems, _ = _extract("end.csv")
    assert [(p["line"], p["title"], p["year"]) for p in papers] == [
        (2, "One", 2019), (3, "Two", 2020), (4, "Three", 2021), (5, "Four", 2021)]
    assert problems == [
        "problem: end.csv:2: quote opened on line 2 (Title) runs to line 3: 2 lines read as one row; "
        "line 2 read again without that quote, line 3 as a row of its own",
        "problem: end.csv:3: quote opened on line 3 (Title) runs to line 5: 3 lines read as one row; "
        "line 3 read again without that quote, lines 4-5 as rows of their own",
    ]


def test_scopus_title_over_two_lines_is_read_as_one_field_and_reported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # its quotes closed, and the line after it is no row of its own: one title, said to be odd
    Path("title.csv").write_text(
        "Authors,Title,Year,Source title,Abstract,Document Type,EID\n"
        'Lee K.,"A title:\nsubtitle, more",2019,J,x,Article,2-s2.0-1\n'
        "Roe R.,Two,2020,J,x,Article,2-s2.0-2\n", encoding="utf-8")
    papers, problems, _ = _extract("title.csv")
    assert [(p["line"], p["title"], p["year"]) for p in papers] == [(2, "A title: subtitle, more", 2019), (4, "Two", 2020)]
    assert problems == ["problem: title.csv:2: Title runs over lines 2-3 (a quote left open?); read as one field"]


# --- A file reached twice through a folder --------------------------------------------------------

BIB = """@article{a1, author = {Smith, John and Doe, Jane}, title = {First paper}, year = {2020}, doi = {10.1000/b1}}
@article{a2, author = {Roe, Richard}, title = {Second paper}, year = {20x3}, doi = {10.1000/b2}}
"""
YEAR = "entry a2: year '20x3' is not a year; read without a year"


@pytest.fixture
def twice(tmp_path, monkeypatch):
    """``twice/a.bib``, a symlink ``twice/link.bib`` to it and a hard link ``twice/hard.bib``; cwd: tmp_path."""
    monkeypatch.chdir(tmp_path)
    Path("twice").mkdir()
    Path("twice/a.bib").write_text(BIB, encoding="utf-8")
    Path("twice/link.bib").symlink_to("a.bib")
    os.link("twice/a.bib", "twice/hard.bib")
    return tmp_path


def test_a_file_linked_beside_itself_is_built_once_and_named(twice):
    done = _run("build", "twice", "twice/a.bib", "./twice/../twice/a.bib", "--out", "out", *AS_OF)
    assert done.exit_code == 0, done.output
    assert ("read once (named more than once): twice/../twice/a.bib, twice/hard.bib (the same file as twice/a.bib), "
            "twice/link.bib (the same file as twice/a.bib), twice/a.bib") in done.stderr
    assert "graphkit build: 1 files, 0 profiles, 2 paper records, 1 problems" in done.output
    report = json.loads(Path("out/report.json").read_text(encoding="utf-8"))
    assert (report["files"], report["paper_records"]) == (1, 2)
    assert [(p["source"], p["message"]) for p in report["problems"]] == [("twice/a.bib", YEAR)]
    done = _run("query", "MATCH (p:Paper) RETURN p.title AS title, p.sources AS sources ORDER BY title",
                "--db", "out", "--format", "json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout) == [{"title": "First paper", "sources": ["twice/a.bib"]},
                                       {"title": "Second paper", "sources": ["twice/a.bib"]}]


def test_extract_reads_a_linked_file_once_and_a_folder_of_links_only_is_no_problem(twice):
    papers, problems, stderr = _extract("twice")
    assert [(p["source"], p["title"]) for p in papers] == [("twice/a.bib", "First paper"), ("twice/a.bib", "Second paper")]
    assert problems == [f"problem: twice/a.bib:2: {YEAR}"]
    assert ("read once (named more than once): twice/hard.bib (the same file as twice/a.bib), "
            "twice/link.bib (the same file as twice/a.bib)") in stderr
    # a hard link named in another folder, and a folder holding only a link to a file read before
    Path("other").mkdir()
    os.link("twice/a.bib", "other/copy.bib")
    Path("links").mkdir()
    Path("links/again.bib").symlink_to("../twice/a.bib")
    papers, problems, stderr = _extract("twice/a.bib", "other/copy.bib", "links")
    assert [p["source"] for p in papers] == ["twice/a.bib", "twice/a.bib"]
    assert problems == [f"problem: twice/a.bib:2: {YEAR}"]
    assert "read once (named more than once): other/copy.bib (the same file as twice/a.bib), links" in stderr
