"""RIS after outside testing (qa-2 D2, D7, D8): several people in one ``AU``/``A1`` line (between ``;``, or
PubMed's ``Smith J, Doe J``) are one author each and a problem on that line, a doubtful comma list is kept as
written and reported, and no name keeps a ``;``; date tags that give different years are a problem, the year of
``PY`` kept with no date from the other tag; lower-case tags are read, one problem per record. Each through
``graphkit extract`` or ``graphkit build`` on files written here."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.pipeline import build_knowledge_graph
from tests.cli import extract

runner = CliRunner()
AS_OF = "2026-11-21"


def people(paper):
    return [(a["name"], a["given"], a["family"]) for a in paper["authors"]]


# qa-2's reproducers (d2-semicolon-authors.ris, d8-d9.ris) as they were reported.
QA_AUTHORS = """TY  - JOUR
AU  - Smith, John; Doe, Jane; Roe, Rick
TI  - Semicolon authors in one AU
PY  - 2019
ER  - 
TY  - JOUR
AU  - Smith J, Doe J, Roe R
TI  - Vancouver-style authors in one AU
PY  - 2019
ER  - 
"""
QA_DATES_CASE = """TY  - JOUR
AU  - Date, Tester
TI  - PY and DA disagree
PY  - 2019
DA  - 2018/05/03/
ER  - 
TY  - JOUR
au  - Lower, Case
ti  - lowercase tags
py  - 2010
ER  - 
"""


def test_qa_reproducers_give_every_author_every_record_and_one_problem_each(tmp_path):
    authors, dates = tmp_path / "d2-semicolon-authors.ris", tmp_path / "d8-d9.ris"
    authors.write_text(QA_AUTHORS, encoding="utf-8")
    dates.write_text(QA_DATES_CASE, encoding="utf-8")
    result, papers, problems = extract(authors, dates)
    assert result.exit_code == 0
    assert [(p["title"], p["year"], p["date"], p["line"]) for p in papers] == [
        ("Semicolon authors in one AU", 2019, None, 1),
        ("Vancouver-style authors in one AU", 2019, None, 6),
        ("PY and DA disagree", 2019, None, 1),
        ("lowercase tags", 2010, None, 7),
    ]
    assert people(papers[0]) == [("John Smith", "John", "Smith"), ("Jane Doe", "Jane", "Doe"), ("Rick Roe", "Rick", "Roe")]
    assert people(papers[1]) == [("J Smith", "J", "Smith"), ("J Doe", "J", "Doe"), ("R Roe", "R", "Roe")]
    assert people(papers[3]) == [("Case Lower", "Case", "Lower")]
    assert problems == [
        f"{authors}:2: AU 'Smith, John; Doe, Jane; Roe, Rick' lists 3 names separated by ';'; read as 3 authors",
        f"{authors}:7: AU 'Smith J, Doe J, Roe R' lists 3 names written 'Family Initials' and separated by commas; "
        "read as 3 authors",
        f"{dates}:5: DA '2018/05/03/' gives the year 2018 but PY gives 2019; read the year of PY and not the date in DA",
        f"{dates}:8: tags written in lower case (au, ti, py), which RIS does not allow; read as AU, TI, PY",
    ]
    assert extract(authors, strict=True)[0].exit_code == 1 and extract(dates, strict=True)[0].exit_code == 1


SEMICOLONS = """TY  - JOUR
A1  - Lee, Kenton; Levy,
  Omer
TI  - Continued Line
PY  - 2020
ER  - 
TY  - JOUR
AU  - Lee, Kenton;
AU  - Levy, Omer; et al.
TI  - Stray And Cut
PY  - 2020
ER  - 
TY  - JOUR
AU  - Smith J; Doe JA
AU  - O&#39;Brien, Pat; Smith, J., Doe, J.
TI  - Initials And Doubts
PY  - 2020
ER  - 
TY  - JOUR
AU  - Lee, Kenton; Chen, Danqi
A1  - Lee, Kenton; Chen, Danqi
TI  - Both Tags
PY  - 2020
ER  - 
"""


def test_names_between_semicolons_are_one_author_each_and_no_name_keeps_one(tmp_path):
    path = tmp_path / "semicolons.ris"
    path.write_text(SEMICOLONS, encoding="utf-8")
    result, papers, problems = extract(path)
    assert result.exit_code == 0
    assert [(p["title"], people(p), p["authors_truncated"]) for p in papers] == [
        ("Continued Line", [("Kenton Lee", "Kenton", "Lee"), ("Omer Levy", "Omer", "Levy")], False),
        ("Stray And Cut", [("Kenton Lee", "Kenton", "Lee"), ("Omer Levy", "Omer", "Levy")], True),
        ("Initials And Doubts", [
            ("J Smith", "J", "Smith"), ("J. A. Doe", "J. A.", "Doe"), ("Pat O'Brien", "Pat", "O'Brien"),
            ("Doe J. Smith J.", "Doe J.", "Smith"),  # "Smith, J., Doe, J." is not split for certain: kept, and reported
        ], False),
        ("Both Tags", [("Kenton Lee", "Kenton", "Lee"), ("Danqi Chen", "Danqi", "Chen")], False),
    ]
    assert not any(";" in value for p in papers for a in p["authors"] for value in (a["name"], a["given"], a["family"]))
    assert problems == [
        f"{path}:2: A1 'Lee, Kenton; Levy, Omer' lists 2 names separated by ';'; read as 2 authors",
        f"{path}:8: AU 'Lee, Kenton;' has a stray ';'; read as 'Lee, Kenton'",
        f"{path}:9: AU 'Levy, Omer; et al.' lists 2 names separated by ';'; read as 1 author, the list cut",
        f"{path}:14: AU 'Smith J; Doe JA' lists 2 names separated by ';'; read as 2 authors",
        f"{path}:15: AU 'O&#39;Brien, Pat; Smith, J., Doe, J.' lists 2 names separated by ';'; read as 2 authors; "
        "'Smith, J., Doe, J.' has 3 commas and may name several people; read as one name",
        f"{path}:20: AU 'Lee, Kenton; Chen, Danqi' lists 2 names separated by ';'; read as 2 authors",
        f"{path}:21: A1 'Lee, Kenton; Chen, Danqi' lists 2 names separated by ';'; read as 2 authors",
    ]


COMMAS = """TY  - JOUR
AU  - Kim YS, van der Berg J, O'Brien PJ, Müller H, Petrov IV
TI  - PubMed Style
PY  - 2020
ER  - 
TY  - JOUR
AU  - John Smith, Jane Doe, Rick Roe
AU  - LI J, WANG X
AU  - Smith J, Mary
TI  - Doubtful Lists
PY  - 2020
ER  - 
TY  - JOUR
AU  - Steele, Guy L., Jr.
AU  - Smith, Mary A
AU  - Gates III, William
AU  - Lee, Kenton
AU  - Petrov, IV
TI  - Ordinary Names
PY  - 2020
ER  - 
"""


def test_a_comma_list_is_split_only_when_every_name_is_family_then_initials_and_doubts_are_reported(tmp_path):
    path = tmp_path / "commas.ris"
    path.write_text(COMMAS, encoding="utf-8")
    result, papers, problems = extract(path)
    assert result.exit_code == 0
    pubmed, doubtful, ordinary = papers
    assert people(pubmed) == [
        ("Y. S. Kim", "Y. S.", "Kim"), ("J van der Berg", "J", "van der Berg"),
        ("P. J. O'Brien", "P. J.", "O'Brien"), ("H Müller", "H", "Müller"), ("I. V. Petrov", "I. V.", "Petrov"),
    ]
    assert len(doubtful["authors"]) == 3  # kept as written, one name each
    assert [a["name"] for a in ordinary["authors"]] == [
        "Guy L. Steele Jr.", "Mary A Smith", "William Gates III", "Kenton Lee", "I. V. Petrov"]
    assert problems == [
        f"{path}:2: AU \"Kim YS, van der Berg J, O'Brien PJ, Müller H, Petrov IV\" lists 5 names written "
        "'Family Initials' and separated by commas; read as 5 authors",
        f"{path}:7: AU 'John Smith, Jane Doe, Rick Roe' has 2 commas and may name several people; read as one name",
        f"{path}:8: AU 'LI J, WANG X' has 1 comma and may name several people; read as one name",
        f"{path}:9: AU 'Smith J, Mary' has 1 comma and may name several people; read as one name",
    ]


DATES = """TY  - JOUR
TI  - Year From PY
Y1  - 2017/12/04/
PY  - 2019
DA  - 2018/05/03/
ER  - 
TY  - JOUR
TI  - Year From Y1
DA  - 2018
Y1  - 2019/03/01/
ER  - 
TY  - JOUR
TI  - Date From Y1 Kept
PY  - 2019
Y1  - 2019/03/01/
DA  - 2018/05/03/
ER  - 
TY  - JOUR
TI  - Agreeing
PY  - 2019
DA  - 2019/05/03/
ER  - 
"""


def test_date_tags_that_give_different_years_are_reported_and_year_and_date_agree(tmp_path):
    path = tmp_path / "dates.ris"
    path.write_text(DATES, encoding="utf-8")
    result, papers, problems = extract(path)
    assert result.exit_code == 0
    assert [(p["title"], p["year"], p["date"]) for p in papers] == [
        ("Year From PY", 2019, None),
        ("Year From Y1", 2019, "2019-03-01"),
        ("Date From Y1 Kept", 2019, "2019-03-01"),
        ("Agreeing", 2019, "2019-05-03"),
    ]
    assert all(p["date"] is None or p["date"].startswith(str(p["year"])) for p in papers)
    assert problems == [
        f"{path}:3: Y1 '2017/12/04/' gives the year 2017 but PY gives 2019; read the year of PY and not the date in Y1",
        f"{path}:5: DA '2018/05/03/' gives the year 2018 but PY gives 2019; read the year of PY and not the date in DA",
        f"{path}:9: DA '2018' gives the year 2018 but Y1 gives 2019; read the year of Y1",
        f"{path}:16: DA '2018/05/03/' gives the year 2018 but PY gives 2019; read the year of PY and not the date in DA",
    ]


LOWER = """ty  - JOUR
au  - Lower, Case
Ti  - Mixed Case Title
py  - 2010
do  - 10.1000/lower
ab  - An abstract that wraps
of - the line here is text, and so is
xx  - this line: no RIS tag
er  - 
TY  - JOUR
AU  - Upper, Case
TI  - Upper Case Tags
PY  - 2011
ER  - 
"""


def test_lower_case_tags_are_read_with_one_problem_per_record(tmp_path):
    path = tmp_path / "lower.ris"
    path.write_text(LOWER, encoding="utf-8")
    result, papers, problems = extract(path)
    assert result.exit_code == 0
    lower, upper = papers
    assert (lower["title"], people(lower), lower["year"], lower["ids"], lower["line"]) == (
        "Mixed Case Title", [("Case Lower", "Case", "Lower")], 2010, ["doi:10.1000/lower"], 1)
    assert lower["abstract"] == "An abstract that wraps of - the line here is text, and so is xx - this line: no RIS tag"
    assert (upper["title"], upper["line"]) == ("Upper Case Tags", 10)
    assert problems == [
        f"{path}:1: tags written in lower case (ty, au, Ti, py, do, ab, er), which RIS does not allow; "
        "read as TY, AU, TI, PY, DO, AB, ER",
    ]


def test_build_makes_one_author_node_per_person_and_strict_fails_on_the_problems(tmp_path):
    data = tmp_path / "in"
    data.mkdir()
    (data / "authors.ris").write_text(QA_AUTHORS, encoding="utf-8")
    (data / "dates.ris").write_text(QA_DATES_CASE, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(data), "--out", str(out), "--strict", "--as-of", AS_OF])
    assert result.exit_code == 1
    report = json.loads((out / "report.json").read_text())
    assert [(p["source"].rsplit("/", 1)[-1], p["line"]) for p in report["problems"]] == [
        ("authors.ris", 2), ("authors.ris", 7), ("dates.ris", 5), ("dates.ris", 8)]
    assert report["counts"]["Paper"] == 4
    lenient = runner.invoke(app, ["build", str(data), "--out", str(tmp_path / "out2"), "--as-of", AS_OF])
    assert lenient.exit_code == 0 and "4 problems" in lenient.stderr
    built = build_knowledge_graph([data], as_of=dt.date(2026, 11, 21))
    # three people on each of the first two papers (their initials forms joined to them), not one garbled person
    assert sorted(built.tables.node_table("Author").columns["name"]) == [
        "Case Lower", "Jane Doe", "John Smith", "Rick Roe", "Tester Date"]
