"""Quirks of real exports from other tools' test suites (outside tester, qa-7), each rebuilt here in a small file.

- D1: a Scopus export whose rows carry one field more than the header (a second funding text; the header
  names only ``Funding Text 1``) was read by position: EID became the ``Source`` column's ``Scopus``, and
  every such row became one Paper (``scopus:Scopus``). Now a cell that is no DOI, EID or PubMed number makes
  no id (a problem says so), and rows with extra fields are lined up with the header (the extra fields are
  funding texts where there are funding columns; else where the shaped columns allow), said once per file
  with the rows' count.
- D4: an OpenAlex authorship without an author id whose name is an address is no person: left out, reported.
- D5: OpenAlex's ``conference-paper`` (and its other current types) get their kind.
- D7: ``.isi`` (Web of Science) and ``.csv.scopus`` files are read inside folders, as they are when named.
- D8: a name listed twice in one RIS record is reported, as the WoS reader reports a C1 name that fits two.

Every input is written here for the test; expectations are read off that text (which line holds what).
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from graphkit.cli import app
from tests.cli import extracted as _extract

AS_OF = ["--as-of", "2026-11-21"]


def _run(*args: str):
    return CliRunner().invoke(app, [*args])


def _build(*paths: str) -> dict:
    done = _run("build", *paths, "--out", "out", *AS_OF)
    assert done.exit_code == 0, done.output
    return json.loads(Path("out/report.json").read_text(encoding="utf-8"))


# --- D1: Scopus rows with more fields than the header ---------------------------------------------

FUNDED_HEADER = ("Authors,Author(s) ID,Title,Year,Source title,DOI,Funding Details,Funding Text 1,References,"
                 "Language of Original Document,Document Type,Source,EID")
# Lines 2, 3 and 5 hold a second funding text (14 fields, the header 13); line 4 has none (13 fields).
FUNDED = "\n".join([
    FUNDED_HEADER,
    'Ito A.; Berg P.,111;222,Gene circuits as Petri nets,2022,Sci. Rep.,10.1000/p1,GR-1,"Funded by agency A.",'
    '"Also thanks to foundation B.","Smith, J. (2005) Models",English,Article,Scopus,2-s2.0-1001',
    'Berg P.; Cole D.,222;333,Stochastic cell models,2021,BMC Bioinf.,10.1000/p2,,,,"Roe, R. (2010) Cells",'
    "English,Conference Paper,Scopus,2-s2.0-1002",
    'Cole D.,333,Flux balance revisited,2020,Bioinformatics,10.1000/p3,,,"Poe, E. (2001) Flux",English,Review,Scopus,'
    "2-s2.0-1003",
    'Dunn E.; Ito A.,444;111,Metabolic networks at scale,2019,Nat. Methods,10.1000/p4,GR-2,"Grant C.",'
    '"Grant D.","Lee, K. (2019) Scale",English,Article,Scopus,2-s2.0-1004',
]) + "\n"


def test_scopus_rows_with_a_second_funding_text_keep_their_own_eid_kind_and_venue(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("funded.csv").write_text(FUNDED, encoding="utf-8")
    papers, problems, _ = _extract("funded.csv")
    assert [(p["line"], p["ids"], p["kind"], p["year"], p["venue"]) for p in papers] == [
        (2, ["doi:10.1000/p1", "scopus:2-s2.0-1001"], "article", 2022, "Sci. Rep."),
        (3, ["doi:10.1000/p2", "scopus:2-s2.0-1002"], "inproceedings", 2021, "BMC Bioinf."),
        (4, ["doi:10.1000/p3", "scopus:2-s2.0-1003"], "article", 2020, "Bioinformatics"),
        (5, ["doi:10.1000/p4", "scopus:2-s2.0-1004"], "article", 2019, "Nat. Methods"),
    ]
    assert [[(a["name"], a["ids"]) for a in p["authors"]] for p in papers][3] == [
        ("E. Dunn", ["scopus:444"]), ("A. Ito", ["scopus:111"])]
    # one problem for the file, at the first such row, with the count and what was done
    assert problems == [
        "problem: funded.csv:2: 3 rows (lines 2, 3 and 5) have 14 fields, the header 13: the extra field read as "
        "Funding Text 2 (Scopus writes a column per funding text, and the header lacks this one): the columns up to "
        "Funding Text 1 read from the left, those after it from the right"]

    report = _build("funded.csv")
    assert report["counts"]["Paper"] == 4  # not one Paper "scopus:Scopus" for the three rows
    assert report["paper_records"] == 4 and len(report["problems"]) == 1


def test_scopus_cells_that_are_not_ids_make_no_id_and_are_reported(tmp_path, monkeypatch):
    """Cells that hold no id (as a shifted row's do) never become one: two rows whose EID cell says ``Scopus``
    stay two papers. A row with an extra field that no reading lines up is read by position, with the same care."""
    monkeypatch.chdir(tmp_path)
    header = "Authors,Title,Year,DOI,PubMed ID,EID"
    text = "\n".join([
        header,
        "Ito A.,First paper,2022,Nature Research,English,Scopus",
        "Berg P.,Second paper,2021,Sci. Rep.,English,Scopus",
        "Cole D.,Third paper,2020,10.1000/p3,12345,2-s2.0-3",
        "Dunn E.,Fourth paper,2019,10.1000/p4,EXTRA,7,Scopus",  # 7 fields: no reading puts each shaped one in place
    ]) + "\n"
    Path("shifted.csv").write_text(text, encoding="utf-8")
    papers, problems, _ = _extract("shifted.csv")
    assert [(p["title"], p["ids"]) for p in papers] == [
        ("First paper", []), ("Second paper", []), ("Third paper", ["doi:10.1000/p3", "scopus:2-s2.0-3", "pmid:12345"]),
        ("Fourth paper", ["doi:10.1000/p4"])]
    assert problems == [
        "problem: shifted.csv:2: DOI 'Nature Research' is not a DOI; not used",
        "problem: shifted.csv:2: EID 'Scopus' is not a Scopus EID (2-s2.0- and digits); not used",
        "problem: shifted.csv:2: PubMed ID 'English' is not a PubMed id; not used",
        "problem: shifted.csv:3: DOI 'Sci. Rep.' is not a DOI; not used",
        "problem: shifted.csv:3: EID 'Scopus' is not a Scopus EID (2-s2.0- and digits); not used",
        "problem: shifted.csv:3: PubMed ID 'English' is not a PubMed id; not used",
        "problem: shifted.csv:5: row has 7 fields, the header 6; read by position",
        "problem: shifted.csv:5: EID '7' is not a Scopus EID (2-s2.0- and digits); not used",
        "problem: shifted.csv:5: PubMed ID 'EXTRA' is not a PubMed id; not used",
    ]
    assert _build("shifted.csv")["counts"]["Paper"] == 4


def test_scopus_extra_fields_elsewhere_are_placed_by_the_columns_shapes(tmp_path, monkeypatch):
    """No funding columns: an unquoted comma in a title joins back into it; an extra field between two shaped
    columns is left out; an empty field at the end is a comma ending the line. Each said once, with its rows."""
    monkeypatch.chdir(tmp_path)
    header = "Authors,Author(s) ID,Title,Year,DOI,Link,Source,EID"
    text = "\n".join([
        header,
        # line 2: the title "Graphs, briefly" written without quotes (9 fields)
        "Ito A.,111,Graphs, briefly,2022,10.1000/p1,https://www.scopus.com/1,Scopus,2-s2.0-1",
        # line 3: a stray field between DOI and Link (9 fields)
        "Berg P.,222,Second paper,2021,10.1000/p2,STRAY,https://www.scopus.com/2,Scopus,2-s2.0-2",
        # line 4: a comma at the end of the line (9 fields, the last empty)
        "Cole D.,333,Third paper,2020,10.1000/p3,https://www.scopus.com/3,Scopus,2-s2.0-3,",
        # line 5: another title with an unquoted comma
        "Dunn E.,444,Trees, in short,2019,10.1000/p4,https://www.scopus.com/4,Scopus,2-s2.0-4",
    ]) + "\n"
    Path("odd.csv").write_text(text, encoding="utf-8")
    papers, problems, _ = _extract("odd.csv")
    assert [(p["line"], p["title"], p["year"], p["ids"], p["urls"]) for p in papers] == [
        (2, "Graphs, briefly", 2022, ["doi:10.1000/p1", "scopus:2-s2.0-1"], ["https://www.scopus.com/1"]),
        (3, "Second paper", 2021, ["doi:10.1000/p2", "scopus:2-s2.0-2"], ["https://www.scopus.com/2"]),
        (4, "Third paper", 2020, ["doi:10.1000/p3", "scopus:2-s2.0-3"], ["https://www.scopus.com/3"]),
        (5, "Trees, in short", 2019, ["doi:10.1000/p4", "scopus:2-s2.0-4"], ["https://www.scopus.com/4"]),
    ]
    assert problems == [
        "problem: odd.csv:2: 2 rows (lines 2 and 5) have 9 fields, the header 8: Title holds 2 fields (a ',' in its "
        "text that is not quoted?): read as one, joined with ','; the columns before it read from the left, those "
        "after it from the right",
        "problem: odd.csv:3: 1 row (line 3) has 9 fields, the header 8: 1 field the header has no column for, between "
        "DOI and Link (not read); the columns before them read from the left, those after them from the right",
        "problem: odd.csv:4: 1 row (line 4) has 9 fields, the header 8: the last field empty (a ',' at the end of "
        "the line): read by position",
    ]


# --- D4, D5: OpenAlex ------------------------------------------------------------------------------

def _authorship(author_id, name, orcid=None):
    return {"author_position": "middle", "raw_author_name": name, "institutions": [],
            "author": {"id": author_id and f"https://openalex.org/{author_id}", "display_name": name, "orcid": orcid}}


def test_openalex_authorship_that_is_an_address_is_no_person(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    work = {
        "id": "https://openalex.org/W100", "doi": "https://doi.org/10.1000/heat", "type": "article",
        "title": "Port-Hamiltonian models of heat exchangers", "publication_year": 2009,
        "authorships": [
            _authorship("A1", "Claire Martin"),
            _authorship(None, ",LCPI, Université de Nantes, Nantes, F-44000"),  # an address line read as an author
            _authorship("A2", "Paul Weber"),
            _authorship(None, "Ana Costa (70411)"),  # no id, a number after the name: still a person
            _authorship(None, ";Lab. Mécanique, 12 rue des Écoles, 75005 Paris"),
        ],
    }
    Path("work.json").write_text(json.dumps(work, ensure_ascii=False), encoding="utf-8")
    papers, problems, _ = _extract("work.json")
    assert [(a["name"], a["position"]) for a in papers[0]["authors"]] == [
        ("Claire Martin", 0), ("Paul Weber", 1), ("Ana Costa (70411)", 2)]
    assert problems == [
        "problem: work.json:1: authorship 2 has no author id and its name ',LCPI, Université de Nantes, Nantes, "
        "F-44000' is an address, not a person; left out",
        "problem: work.json:1: authorship 5 has no author id and its name ';Lab. Mécanique, 12 rue des Écoles, "
        "75005 Paris' is an address, not a person; left out",
    ]
    report = _build("work.json")
    assert report["counts"]["Author"] == 3


def test_openalex_current_work_types_get_their_kind(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    works = [
        {"id": "https://openalex.org/W1", "type": "conference-paper", "title": "Vector filters", "authorships": []},
        {"id": "https://openalex.org/W2", "type": "conference-paper", "title": "Body pose from many views",
         "primary_location": {"source": {"display_name": "Lecture Notes in Computer Science", "type": "book series"}},
         "authorships": []},
        {"id": "https://openalex.org/W3", "type": "paratext", "title": "Front matter", "authorships": []},
        {"id": "https://openalex.org/W4", "type": "editorial", "type_crossref": "journal-article",
         "title": "A word from the editors", "authorships": []},
        {"id": "https://openalex.org/W5", "type": "some-future-type", "type_crossref": "proceedings-article",
         "title": "A talk, later a paper", "authorships": []},
    ]
    Path("works.json").write_text(json.dumps({"meta": {"count": 5}, "results": works}), encoding="utf-8")
    papers, problems, _ = _extract("works.json")
    assert [(p["title"], p["kind"]) for p in papers] == [
        ("Vector filters", "inproceedings"), ("Body pose from many views", "inproceedings"),
        ("Front matter", "other"), ("A word from the editors", "other"), ("A talk, later a paper", "inproceedings")]
    assert problems == []


# --- D7: suffixes other tools give these exports -------------------------------------------------

WOS = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Marsh, T
AF Marsh, Tyler
TI The Meaning Behind the Symbols
SO JOURNAL OF SYMBOLS
PY 2015
DI 10.1000/sym
UT WOS:000000000000001
ER

EF
"""
SCOPUS = ('\ufeffAuthors,Title,Year,Source title,DOI,Source,EID\n'
          '"Ito A., Berg P.",Pathways,2018,Cell Syst.,10.1000/path,Scopus,2-s2.0-77\n')


def test_isi_and_csv_scopus_files_are_read_inside_a_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("exports").mkdir()
    Path("exports/savedrecs.isi").write_text(WOS, encoding="utf-8")
    Path("exports/search.csv.scopus").write_text(SCOPUS, encoding="utf-8")
    # a .isi that holds RIS: the WoS reader claims it by suffix, but its sniffer says no and RIS's says yes
    Path("exports/mislabelled.isi").write_text("TY  - JOUR\nTI  - Not WoS at all\nAU  - Lee, Kim\nPY  - 2017\nER  - \n",
                                               encoding="utf-8")
    papers, problems, stderr = _extract("exports")
    assert sorted((Path(p["source"]).name, p["source_format"], p["title"]) for p in papers) == [
        ("mislabelled.isi", "ris", "Not WoS at all"),
        ("savedrecs.isi", "wos", "The Meaning Behind the Symbols"),
        ("search.csv.scopus", "scopus", "Pathways"),
    ]
    assert problems == [] and "skipped" not in stderr
    assert "read: ris 1 (sniffed); wos 1 (suffix); scopus 1 (suffix)" in stderr


# --- D8: one name listed twice in a RIS record ------------------------------------------------------

RIS_TWICE = """TY  - JOUR
TI  - Distributed workflows for exascale
AU  - H. Weber
AU  - H. Weber
AU  - L. Novak
PY  - 2019
DO  - 10.1000/exa
ER  - 

TY  - JOUR
TI  - Two of one name
AU  - Kim, J.
AU  - Park, S.
AU  - J. Kim
AU  - Kim, J
PY  - 2020
ER  - 
"""


def test_ris_name_listed_twice_in_a_record_is_reported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("twice.ris").write_text(RIS_TWICE, encoding="utf-8")
    papers, problems, _ = _extract("twice.ris")
    # the record keeps what the file lists
    assert [[a["name"] for a in p["authors"]] for p in papers] == [
        ["H. Weber", "H. Weber", "L. Novak"], ["J. Kim", "S. Park", "J. Kim", "J Kim"]]
    assert problems == [
        "problem: twice.ris:4: AU name 'H. Weber' is given for 2 authors of the record (numbers 1 and 2): kept as "
        "the file lists them; a build counts them as one author",
        "problem: twice.ris:14: AU name 'J. Kim' is given for 3 authors of the record (numbers 1, 3 and 4): kept as "
        "the file lists them; a build counts them as one author",
    ]
    report = _build("twice.ris")
    assert [(p["line"], p["message"].split(":")[0]) for p in report["problems"]] == [
        (4, "AU name 'H. Weber' is given for 2 authors of the record (numbers 1 and 2)"),
        (14, "AU name 'J. Kim' is given for 3 authors of the record (numbers 1, 3 and 4)")]
    assert report["counts"]["Author"] == 4 and report["counts"]["AUTHORED"] == 4  # what "counts them as one" means
