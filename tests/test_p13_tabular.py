"""Scopus, Web of Science and CSL-JSON after an outside tester's report (session 13).

- Scopus: "Authors", "Author full names" and "Author(s) ID" that disagree (in
  number, or in the order of the ids) are a problem naming the row's line, and
  no author is dropped for it.
- Web of Science: a C1 or OI name that is exactly one AU or AF entry is that
  author, even when its initials fit another one too; in the plain-text and
  the tab-delimited export.
- An impossible date (WoS ``PD FEB 30``, CSL ``[2019, 2, 30]``) is a problem, its
  year kept, as in the RIS, MEDLINE and BibTeX readers.
- A Crossref REST API response (one work, or a work list) is read as the works
  it holds, Crossref's types giving the kinds of the CSL types they stand for.

Every input is written here as the exports write it; expectations are read off
that text, not computed by the readers.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.models import PaperRecord, Problem
from graphkit.readers import csljson, scopus, wos

BOM = "\ufeff"
AS_OF = ["--as-of", "2026-11-21"]
ORCID = "0000-0002-1825-0097"  # ORCID's own example iD: its check digit holds


def _split(items):
    items = list(items)
    return [i for i in items if isinstance(i, PaperRecord)], [i for i in items if isinstance(i, Problem)]


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def _extract(*args: str):
    """``graphkit extract ... --format json --strict``: the papers printed, stderr and the exit code."""
    done = CliRunner().invoke(app, ["extract", *args, "--format", "json", "--strict"])
    papers = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return papers, done.stderr, done.exit_code


def _build(tmp_path: Path, *inputs: Path):
    """``graphkit build --strict``: the exit code, stderr and the problems of report.json."""
    out = tmp_path / "out"
    done = CliRunner().invoke(app, ["build", *map(str, inputs), "--out", str(out), "--strict", *AS_OF])
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return done.exit_code, done.stderr, [(p["source"], p["line"], p["record"], p["message"]) for p in report["problems"]]


# --- Scopus: name and id columns that disagree ---------------------------------------------------

SCOPUS_HEADER = ["Authors", "Author full names", "Author(s) ID", "Title", "Year", "Source title", "DOI", "Document Type", "EID"]


def _scopus(tmp_path: Path, *rows: dict[str, str]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SCOPUS_HEADER, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in SCOPUS_HEADER})
    return _write(tmp_path / "scopus.csv", BOM + buffer.getvalue())


THREE_NAMES = {  # "Authors" names three people, "Author full names" and "Author(s) ID" only two
    "Authors": "Smith J.; Jones B.; Brown C.", "Author full names": "Smith, John (111); Jones, Bob (222)",
    "Author(s) ID": "111; 222", "Title": "Three authors, two full names", "Year": "2020", "Document Type": "Article",
    "EID": "2-s2.0-85000000011",
}  # fmt: skip
IDS_SWAPPED = {  # the full names give 111 to Smith and 222 to Jones; Author(s) ID lists them the other way round
    "Authors": "Smith J.; Jones B.", "Author full names": "Smith, John (111); Jones, Bob (222)", "Author(s) ID": "222; 111",
    "Title": "Ids in another order", "Year": "2021", "Document Type": "Article", "EID": "2-s2.0-85000000012",
}  # fmt: skip
FOUR_NAMES = "Authors has 3 names, Author full names 2: the 3 of Authors kept, with the full name and id of Author full names where the names agree; without an id: 'Brown C.'"
SWAPPED = "Author(s) ID (222; 111) lists the ids of Author full names (111; 222) in another order: each author keeps the id written with the name"


def test_scopus_author_missing_from_full_names_is_kept_without_an_id_and_reported(tmp_path):
    path = _scopus(tmp_path, THREE_NAMES)
    [record], problems = _split(scopus.read(path))
    assert [(a.name, a.given, a.family, a.position, a.ids) for a in record.authors] == [
        ("John Smith", "John", "Smith", 0, ("scopus:111",)),
        ("Bob Jones", "Bob", "Jones", 1, ("scopus:222",)),
        ("C. Brown", "C.", "Brown", 2, ()),
    ]
    assert [str(p) for p in problems] == [f"{path}:2: {FOUR_NAMES}"]


def test_scopus_ids_listed_in_another_order_are_reported_and_each_author_keeps_their_own(tmp_path):
    path = _scopus(tmp_path, IDS_SWAPPED)
    [record], problems = _split(scopus.read(path))
    assert [(a.name, a.ids) for a in record.authors] == [("John Smith", ("scopus:111",)), ("Bob Jones", ("scopus:222",))]
    assert [str(p) for p in problems] == [f"{path}:2: {SWAPPED}"]


def test_scopus_full_names_longer_than_authors_and_ids_of_nobody_are_reported(tmp_path):
    longer = {
        "Authors": "Smith J.; Brown C.", "Author full names": "Smith, John (111); Jones, Bob (222); Brown, Carl (333)",
        "Author(s) ID": "111; 222; 444", "Title": "Two short names, three full ones", "Year": "2022", "EID": "2-s2.0-85000000013",
    }  # fmt: skip
    stray = {  # a full name that is none of the short names, and two Wangs where Author full names has one
        "Authors": "Li X.; Wang W.; Zhou Y.; Wang W.", "Author full names": "Li, Xin (666); Wang, Wei (555); Zhao, Yu (777)",
        "Author(s) ID": "666; 555; 777", "Title": "Two Wangs and a Zhou", "Year": "2022", "EID": "2-s2.0-85000000014",
    }  # fmt: skip
    in_order = {  # two Wangs again, but Wang, Wei comes before Li, Xin: the first Wang W.
        "Authors": "Wang W.; Li X.; Wang W.", "Author full names": "Wang, Wei (555); Li, Xin (666)",
        "Author(s) ID": "555; 666", "Title": "Two Wangs in order", "Year": "2022", "EID": "2-s2.0-85000000015",
    }  # fmt: skip
    path = _scopus(tmp_path, longer, stray, in_order)
    (first, second, third), problems = _split(scopus.read(path))
    assert [(a.name, a.ids) for a in first.authors] == [
        ("John Smith", ("scopus:111",)), ("Bob Jones", ("scopus:222",)), ("Carl Brown", ("scopus:333",))]
    # the Wang of Author full names may be either Wang W.: neither gets the id; Zhao, Yu is none of the names of Authors
    assert [(a.name, a.ids) for a in second.authors] == [
        ("Xin Li", ("scopus:666",)), ("W. Wang", ()), ("Y. Zhou", ()), ("W. Wang", ())]
    assert [(a.name, a.ids) for a in third.authors] == [("Wei Wang", ("scopus:555",)), ("Xin Li", ("scopus:666",)), ("W. Wang", ())]
    assert [str(p) for p in problems] == [
        f"{path}:2: Author(s) ID (111; 222; 444) and the ids in Author full names (111; 222; 333) disagree: "
        "each author keeps the id written with the name; '444' of Author(s) ID not used",
        f"{path}:2: Authors has 2 names, Author full names 3: the 3 of Author full names kept, with their ids",
        f"{path}:3: Authors has 4 names, Author full names 3: the 4 of Authors kept, with the full name and id of "
        "Author full names where the names agree; without an id: 'Wang W.', 'Zhou Y.', 'Wang W.'; 'Wang, Wei' of "
        "Author full names fits several: no id given; 'Zhao, Yu' of Author full names fits none of them: left out",
        f"{path}:4: Authors has 3 names, Author full names 2: the 3 of Authors kept, with the full name and id of "
        "Author full names where the names agree; without an id: 'Wang W.'",
    ]


def test_scopus_disagreements_through_extract_and_build_strict(tmp_path):
    path = _scopus(tmp_path, THREE_NAMES, IDS_SWAPPED)
    papers, stderr, code = _extract(str(path))
    assert code == 1
    assert [[(a["name"], a["ids"]) for a in p["authors"]] for p in papers] == [
        [("John Smith", ["scopus:111"]), ("Bob Jones", ["scopus:222"]), ("C. Brown", [])],
        [("John Smith", ["scopus:111"]), ("Bob Jones", ["scopus:222"])],
    ]
    assert [line for line in stderr.splitlines() if line.startswith("problem:")] == [
        f"problem: {path}:2: {FOUR_NAMES}", f"problem: {path}:3: {SWAPPED}"]
    code, stderr, problems = _build(tmp_path, path)
    assert code == 1 and "strict: 2 input problem(s)" in stderr
    assert problems == [(str(path), 2, None, FOUR_NAMES), (str(path), 3, None, SWAPPED)]


# --- Web of Science: a C1 or OI name that is exactly one author ----------------------------------

WOS_SMITHS = f"""FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Smith, J
   Smith, JA
AF Smith, John
   Smith, Jane A.
TI Two Smiths at CERN
SO PHYSICS LETTERS B
DT Article
C1 [Smith, JA] CERN, Geneva, Switzerland.
OI Smith, J/{ORCID}
PY 2019
UT WOS:000000000000101
ER

EF
"""
CERN = ("CERN, Geneva, Switzerland", "CH")


def _people(record: PaperRecord):
    return [(a.name, a.ids, [(x.name, x.country) for x in a.affiliations]) for a in record.authors]


def test_wos_c1_and_oi_names_that_are_one_au_entry_go_to_that_author(tmp_path):
    path = _write(tmp_path / "savedrecs.txt", WOS_SMITHS)
    [record], problems = _split(wos.read(path))
    assert _people(record) == [("John Smith", (f"orcid:{ORCID}",), []), ("Jane A. Smith", (), [CERN])]
    assert problems == [] and record.institutions == ()
    # case and spacing aside: "SMITH,JA" and "smith,  j" are the same entries
    text = WOS_SMITHS.replace("[Smith, JA]", "[SMITH,JA]").replace("OI Smith, J/", "OI smith,  j/")
    [record], problems = _split(wos.read(_write(tmp_path / "spaced.txt", text)))
    assert _people(record) == [("John Smith", (f"orcid:{ORCID}",), []), ("Jane A. Smith", (), [CERN])] and problems == []
    # a name that is an AF entry goes to its author as before
    text = WOS_SMITHS.replace("[Smith, JA]", "[Smith, Jane A.]").replace("OI Smith, J/", "OI Smith, John/")
    [record], problems = _split(wos.read(_write(tmp_path / "full.txt", text)))
    assert _people(record) == [("John Smith", (f"orcid:{ORCID}",), []), ("Jane A. Smith", (), [CERN])] and problems == []
    # a name that is no entry and fits both Smiths is still given to neither, and reported
    text = WOS_SMITHS.replace("[Smith, JA]", "[Smith, J. A.]").replace("OI Smith, J/", "OI Smith, J./")
    path = _write(tmp_path / "loose.txt", text)
    [record], problems = _split(wos.read(path))
    assert _people(record) == [("John Smith", (), []), ("Jane A. Smith", (), [])]
    assert [str(p) for p in problems] == [
        f"{path}:3: C1 name 'Smith, J. A.', which matches 2 authors of the record (numbers 1 and 2): its addresses not given to any of them",
        f"{path}:3: OI name 'Smith, J.', which matches 2 authors of the record (numbers 1 and 2): its ORCID not given to any of them",
    ]


def test_wos_exact_names_in_the_tab_delimited_export_and_two_equal_entries_stay_ambiguous(tmp_path):
    header = "PT\tAU\tAF\tTI\tSO\tC1\tOI\tPY\tUT"
    rows = [
        f"J\tSmith, J; Smith, JA\tSmith, John; Smith, Jane A.\tTwo Smiths at CERN\tPHYSICS LETTERS B"
        f"\t[Smith, JA] CERN, Geneva, Switzerland\tSmith, J/{ORCID}\t2019\tWOS:000000000000101",
        # two AU entries "Lee, K" (AF Lee, Kenton and Lee, Kathy): the name is both of them
        "J\tLee, K; Lee, K\tLee, Kenton; Lee, Kathy\tTwo Lees\tNATURE\t[Lee, K] Univ Washington, Seattle, WA 98195 USA"
        "\t\t2020\tWOS:000000000000102",
    ]
    path = _write(tmp_path / "savedrecs.txt", "\r\n".join([header, *rows, ""]))
    (smiths, lees), problems = _split(wos.read(path))
    assert _people(smiths) == [("John Smith", (f"orcid:{ORCID}",), []), ("Jane A. Smith", (), [CERN])]
    assert _people(lees) == [("Kenton Lee", (), []), ("Kathy Lee", (), [])]
    assert [str(p) for p in problems] == [
        f"{path}:3: C1 name 'Lee, K', which matches 2 authors of the record (numbers 1 and 2): its addresses not given to any of them"]
    # and through the command line, sniffed as a WoS export
    papers, stderr, code = _extract(str(path))
    assert code == 1 and [[(a["name"], a["ids"]) for a in p["authors"]] for p in papers][0] == [
        ("John Smith", [f"orcid:{ORCID}"]), ("Jane A. Smith", [])]
    assert [a["affiliations"] for a in papers[0]["authors"]] == [[], [{"name": CERN[0], "ids": [], "country": "CH"}]]


# --- impossible dates -----------------------------------------------------------------------------


def test_wos_impossible_pd_is_reported_and_the_year_kept(tmp_path):
    text = WOS_SMITHS.replace("PY 2019\n", "PD FEB 30\nPY 2019\n")
    path = _write(tmp_path / "savedrecs.txt", text)
    [record], problems = _split(wos.read(path))
    assert (record.year, record.date) == (2019, None)
    assert [str(p) for p in problems] == [f"{path}:13: impossible date 'FEB 30' in PD (PY 2019); read the year only"]
    # a day the month has is read as before
    [record], problems = _split(wos.read(_write(tmp_path / "ok.txt", WOS_SMITHS.replace("PY 2019\n", "PD FEB 28\nPY 2019\n"))))
    assert str(record.date) == "2019-02-28" and problems == []
    # tab-delimited: the row's line
    tab = "PT\tAU\tTI\tPD\tPY\tUT\r\nJ\tLee, K\tA\tSEP 15\t2020\tWOS:1\r\nJ\tLee, K\tB\tFEB 29\t2019\tWOS:2\r\n"
    path = _write(tmp_path / "tab.txt", tab)
    records, problems = _split(wos.read(path))
    assert [(r.title, r.year, r.date and str(r.date)) for r in records] == [("A", 2020, "2020-09-15"), ("B", 2019, None)]
    assert [str(p) for p in problems] == [f"{path}:3: impossible date 'FEB 29' in PD (PY 2019); read the year only"]


def test_csljson_impossible_issued_date_is_reported_and_the_year_kept(tmp_path):
    items = [
        {"id": "a", "type": "article-journal", "title": "February the thirtieth", "issued": {"date-parts": [[2019, 2, 30]]}},
        {"id": "b", "type": "article-journal", "title": "A real day", "issued": {"date-parts": [[2019, 2, 28]]}},
        {"id": "c", "type": "article-journal", "title": "Month and day left out", "issued": {"date-parts": [[2021, 0, 0]]}},
        {"id": "d", "type": "report", "title": "Raw", "issued": {"raw": "2018-04-31"}},
    ]
    path = _write(tmp_path / "refs.json", json.dumps(items))
    records, problems = _split(csljson.read(path))
    assert [(r.year, r.date and str(r.date)) for r in records] == [(2019, None), (2019, "2019-02-28"), (2021, None), (2018, None)]
    assert [str(p) for p in problems] == [
        f"{path}: record 1: impossible date '[2019, 2, 30]' in issued; read the year only",
        f"{path}: record 4: impossible date '2018-04-31' in issued; read the year only",
    ]
    # CSL items one per line: the item's line
    lines = _write(tmp_path / "refs.jsonl", "\n".join(json.dumps(i) for i in items[:2]) + "\n")
    records, problems = _split(csljson.read(lines))
    assert [str(p) for p in problems] == [f"{lines}:1: impossible date '[2019, 2, 30]' in issued; read the year only"]
    # build --strict fails on it and the report names the record
    code, stderr, found = _build(tmp_path, path)
    assert code == 1 and "record 1: impossible date" in stderr
    assert found == [
        (str(path), 0, 1, "impossible date '[2019, 2, 30]' in issued; read the year only"),
        (str(path), 0, 4, "impossible date '2018-04-31' in issued; read the year only"),
    ]


# --- a Crossref REST API response ------------------------------------------------------------------


def _work(doi: str, kind: str, title: str, authors: list[dict], issued: list[int], container: list[str], **extra) -> dict:
    return {
        "indexed": {"date-parts": [[2024, 1, 5]], "date-time": "2024-01-05T10:00:00Z"}, "publisher": "Crossref Test",
        "DOI": doi, "type": kind, "title": [title], "author": authors, "container-title": container,
        "issued": {"date-parts": [issued]}, "URL": f"http://dx.doi.org/{doi}", "reference-count": 0, **extra,
    }  # fmt: skip


SPANBERT = _work(
    "10.1162/tacl_a_00300", "journal-article", "SpanBERT: Improving Pre-training by Representing and Predicting Spans",
    [{"ORCID": f"http://orcid.org/{ORCID}", "authenticated-orcid": False, "given": "Mandar", "family": "Joshi",
      "sequence": "first", "affiliation": [{"name": "University of Washington"}]},
     {"given": "Omer", "family": "Levy", "sequence": "additional", "affiliation": []}],
    [2020, 12], ["Transactions of the Association for Computational Linguistics"],
)  # fmt: skip


def test_crossref_work_response_is_read_as_its_work(tmp_path):
    path = _write(tmp_path / "work.json", json.dumps({"status": "ok", "message-type": "work", "message-version": "1.0.0",
                                                      "message": SPANBERT}))
    [record], problems = _split(csljson.read(path))
    assert problems == []
    assert (record.title, record.ids, record.year, record.kind, record.venue, record.record) == (
        "SpanBERT: Improving Pre-training by Representing and Predicting Spans", ("doi:10.1162/tacl_a_00300",), 2020,
        "article", "Transactions of the Association for Computational Linguistics", 1)
    assert [(a.name, a.ids, [x.name for x in a.affiliations]) for a in record.authors] == [
        ("Mandar Joshi", (f"orcid:{ORCID}",), ["University of Washington"]), ("Omer Levy", (), [])]
    # sniffed as CSL-JSON by extract, and a strict build of it has nothing to report
    papers, stderr, code = _extract(str(path))
    assert code == 0 and "read as csl-json (sniffed)" in stderr and "problem:" not in stderr
    assert [(p["title"][:8], p["kind"], p["ids"]) for p in papers] == [("SpanBERT", "article", ["doi:10.1162/tacl_a_00300"])]
    code, stderr, found = _build(tmp_path, path)
    assert (code, found) == (0, [])


def test_crossref_work_list_and_crossref_types_give_the_kinds_of_their_csl_types(tmp_path):
    person = [{"given": "Kenton", "family": "Lee", "sequence": "first", "affiliation": []}]
    items = [
        _work("10.18653/v1/d17-1018", "proceedings-article", "End-to-end Neural Coreference Resolution", person, [2017],
              ["Proceedings of EMNLP 2017"]),
        _work("10.1007/978-3-030-00001-1_2", "book-chapter", "A Chapter", person, [2019, 3, 1], ["A Book"]),
        _work("10.1101/2020.01.01.000001", "posted-content", "A Preprint", person, [2020, 1, 2], [], subtype="preprint"),
        _work("10.5555/thesis.1", "dissertation", "A Thesis", person, [2018], []),
        # an organisation as author: Crossref's "name"
        _work("10.1016/j.physletb.2012.08.020", "journal-article", "Observation of a new particle",
              [{"name": "ATLAS Collaboration", "sequence": "first", "affiliation": []}], [2012, 9], ["Physics Letters B"]),
    ]
    response = {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                "message": {"facets": {}, "total-results": 5, "items": items, "items-per-page": 20, "query": {"start-index": 0}}}
    path = _write(tmp_path / "works.json", json.dumps(response))
    records, problems = _split(csljson.read(path))
    assert problems == []
    assert [(r.record, r.kind, r.year, r.date and str(r.date), r.author_names) for r in records] == [
        (1, "inproceedings", 2017, None, ("Kenton Lee",)),
        (2, "chapter", 2019, "2019-03-01", ("Kenton Lee",)),
        (3, "preprint", 2020, "2020-01-02", ("Kenton Lee",)),
        (4, "thesis", 2018, None, ("Kenton Lee",)),
        (5, "article", 2012, None, ("ATLAS Collaboration",)),
    ]
    # Crossref's types in a plain CSL array too (journal-article was kind "other")
    plain = _write(tmp_path / "plain.json", json.dumps([{"type": "journal-article", "title": "T", "issued": {"date-parts": [[2020]]}}]))
    [record], problems = _split(csljson.read(plain))
    assert record.kind == "article" and problems == []
    # a Crossref response that holds no works is said to, not read as an item without a title
    other = _write(tmp_path / "member.json", json.dumps({"status": "ok", "message-type": "member", "message": {"id": 98, "primary-name": "X"}}))
    assert [str(p) for p in csljson.read(other)] == [f"{other}: a Crossref API response of 'member', not of works: nothing read"]


def test_csl_json_years_follow_the_rule_of_bibtex_and_ris(tmp_path):
    from typer.testing import CliRunner

    from graphkit.cli import app

    path = tmp_path / "years.json"
    path.write_text(
        '[{"id":"a","type":"article-journal","title":"One","author":[{"family":"Doe","given":"J"}],'
        '"issued":{"date-parts":[["20x3"]]}},'
        '{"id":"b","type":"article-journal","title":"Two","author":[{"family":"Doe","given":"J"}],"issued":{"date-parts":[[2999]]}},'
        '{"id":"c","type":"article-journal","title":"Three","author":[{"family":"Doe","given":"J"}],"issued":{"date-parts":[[2019, 5]]}},'
        '{"id":"d","type":"article-journal","title":"Four","author":[{"family":"Doe","given":"J"}],"issued":{"literal":"in press"}}]',
        encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path), "--format", "json", "--strict"])
    assert result.exit_code == 1
    years = [json.loads(line)["year"] for line in result.stdout.splitlines() if '"type": "paper"' in line]
    assert years == [None, None, 2019, None]
    problems = [line for line in result.stderr.splitlines() if line.startswith("problem:")]
    assert problems == [f"problem: {path}: record 1: issued '20x3' is not a year; read without a year",
                        f"problem: {path}: record 2: year 2999 in issued is not between 1500 and 2199; read without a year"]
