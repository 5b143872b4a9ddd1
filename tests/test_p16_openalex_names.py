"""OpenAlex author names: the paper's ``raw_author_name`` read with OpenAlex's ``author.display_name``.

A paper printing a name family-first (``Zhang Wei``) or in another script (``李晓明``) is read with the given and
family parts the display name (``Wei Zhang``, ``Xiaoming Li``) settles, so the same person in a Scopus or RIS copy of
the same paper is one Author. Builds run the real CLI into the real embedded database.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.readers.openalex import parse_openalex
from graphkit.store.embedded import EmbeddedStore

runner = CliRunner()

DOI = "10.5555/soil.2019.001"
TITLE = "Capacitive Soil Moisture Sensing with Printed Electrodes"


def _authorship(raw: str, display: str, author_id: str | None = None, institution: tuple[str, str] | None = None,
                orcid: str | None = None) -> dict:
    """An OpenAlex authorship as the API writes it; ``institution`` is (display name, ROR id)."""
    institutions = [] if institution is None else [{
        "id": "https://openalex.org/I99065089", "display_name": institution[0], "ror": f"https://ror.org/{institution[1]}",
        "country_code": "CN", "type": "education"}]
    return {"author_position": "middle", "raw_author_name": raw, "institutions": institutions, "countries": [],
            "author": {"id": author_id and f"https://openalex.org/{author_id}", "display_name": display,
                       "orcid": orcid and f"https://orcid.org/{orcid}"}}


def _work(authorships: list[dict], wid: str = "W4301000001", doi: str = DOI, title: str = TITLE) -> dict:
    return {"id": f"https://openalex.org/{wid}", "doi": f"https://doi.org/{doi}", "title": title,
            "display_name": title, "publication_year": 2019, "publication_date": "2019-03-01", "type": "article",
            "authorships": authorships}


def _read(*authorships: dict) -> list:
    page = {"meta": {"count": 1, "db_response_time_ms": 12, "page": 1, "per_page": 25}, "results": [_work(list(authorships))]}
    [rec] = list(parse_openalex(io.BytesIO(json.dumps(page, ensure_ascii=False).encode()), "works.json"))
    return list(rec.authors)


# -- the reader ----------------------------------------------------------------------------------------------------

def test_a_family_first_raw_name_is_read_given_first_with_the_display_names_family():
    zhang, yamamoto, kim, nguyen = _read(
        _authorship("Zhang Wei", "Wei Zhang", "A5000000102"),
        _authorship("YAMAMOTO Takeshi", "Takeshi Yamamoto"),
        _authorship("Kim Min-jun", "Min-Jun Kim"),
        _authorship("Nguyen Van Anh", "Anh Van Nguyen"))
    assert (zhang.name, zhang.given, zhang.family, zhang.ids) == ("Wei Zhang", "Wei", "Zhang", ("openalex:A5000000102",))
    assert (yamamoto.name, yamamoto.given, yamamoto.family) == ("Takeshi Yamamoto", "Takeshi", "Yamamoto")
    assert (kim.name, kim.given, kim.family) == ("Min-jun Kim", "Min-jun", "Kim")  # the paper's spelling, reordered
    assert (nguyen.name, nguyen.given, nguyen.family) == ("Van Anh Nguyen", "Van Anh", "Nguyen")
    assert [a.position for a in (zhang, yamamoto, kim, nguyen)] == [0, 1, 2, 3]


def test_family_first_initials_are_read_with_the_display_names_family():
    [li] = _read(_authorship("Li X.-M.", "Xiaoming Li"))
    assert (li.name, li.given, li.family) == ("X.-M. Li", "X.-M.", "Li")


def test_a_raw_name_in_another_script_gives_way_to_the_romanised_display_name():
    li, ivanov, same = _read(
        _authorship("李晓明", "Xiaoming Li", "A5000000101"),
        _authorship("Иван Петров", "Ivan Petrov"),
        _authorship("山田太郎", "山田太郎"))  # no romanised name: the paper's is all there is
    assert (li.name, li.given, li.family, li.ids) == ("Xiaoming Li", "Xiaoming", "Li", ("openalex:A5000000101",))
    assert (ivanov.name, ivanov.given, ivanov.family) == ("Ivan Petrov", "Ivan", "Petrov")
    assert (same.name, same.given, same.family) == ("山田太郎", None, None)


def test_the_paper_name_stays_where_the_display_name_settles_nothing():
    # The same words in the same order, another person's display name (an OpenAlex cluster error), a "Last, First"
    # string (the paper says which is the family), initials given-first: all read as before.
    zhang, smith, chen, garcia, abbreviated = _read(
        _authorship("Zhang Wei", "Wei Zhang"),
        _authorship("J. Smith", "John Smith"),
        _authorship("Zhang Wei", "Hui Chen"),
        _authorship("García-López, José María", "José María García-López"),
        _authorship("Ludwig van der Maaten", "L. van der Maaten"))
    assert (zhang.name, zhang.family) == ("Wei Zhang", "Zhang")  # the changed case, beside the unchanged ones
    assert (smith.name, smith.given, smith.family) == ("J. Smith", None, None)
    assert (chen.name, chen.given, chen.family) == ("Zhang Wei", None, None)
    assert (garcia.name, garcia.given, garcia.family) == ("José María García-López", "José María", "García-López")
    assert (abbreviated.name, abbreviated.family) == ("Ludwig van der Maaten", None)


# -- end to end: one person across an OpenAlex record and a Scopus or RIS copy of the same paper --------------------

def _build(tmp_path, files: dict[str, str]) -> tuple[EmbeddedStore, str]:
    paths = []
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
        paths.append(str(tmp_path / name))
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", *paths, "--out", str(out), "--as-of", "2025-06-01"])
    assert result.exit_code == 0, result.output
    return EmbeddedStore(out), result.output


def _authors(store: EmbeddedStore) -> list[tuple[str, str, int]]:
    return sorted((r["name"], r["title"], r["pos"]) for r in store.query(
        "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) RETURN a.name AS name, p.title AS title, r.position AS pos"))


def _openalex_page(*works: dict) -> str:
    return json.dumps({"meta": {"count": len(works), "db_response_time_ms": 9, "page": 1, "per_page": 25},
                       "results": list(works)}, ensure_ascii=False)


TSINGHUA = ("Tsinghua University", "03cve4549")


def _ris(*records: tuple[list[str], str, str]) -> str:
    return "".join("TY  - JOUR\n" + "".join(f"AU  - {a}\n" for a in authors) + f"TI  - {title}\nT2  - Vadose Zone Sensing\n"
                   f"PY  - 2019\nDO  - {doi}\nER  - \n\n" for authors, title, doi in records)


def test_build_joins_a_family_first_openalex_name_with_the_ris_copy_of_the_same_paper(tmp_path):
    openalex = _openalex_page(
        _work([_authorship("Zhang Wei", "Wei Zhang", "A5000000102", TSINGHUA),
               _authorship("Olivia Bennett", "Olivia Bennett", "A5000000131")]),
        # another Wei Zhang, elsewhere with other co-authors: the name is more than one person in this corpus
        _work([_authorship("Wei Zhang", "Wei Zhang", "A5000000103", ("Zhejiang University", "00a2xv884")),
               _authorship("Hui Chen", "Hui Chen", "A5000000130")],
              wid="W4301000002", doi="10.5555/soil.2020.002", title="Cross-Season Validation of Paddy Moisture Maps"))
    # the RIS copy of the OpenAlex paper, and a second paper of Tsinghua's Wei Zhang with the same co-author
    ris = _ris((["Zhang, Wei", "Bennett, Olivia"], TITLE, DOI),
               (["Zhang, Wei", "Bennett, Olivia"], "Printed Electrode Drift in Clay Soils", "10.5555/soil.2019.009"))
    store, output = _build(tmp_path, {"openalex-works.json": openalex, "export.ris": ris})
    assert "Paper 3" in output
    people = sorted((r["name"], r["ids"], sorted(r["titles"])) for r in store.query(
        "MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN a.name AS name, a.ids AS ids, collect(p.title) AS titles"))
    # one Author for the Tsinghua Wei Zhang (OpenAlex + both RIS records), one for Zhejiang's, one each co-author
    assert people == [
        ("Hui Chen", ["openalex:A5000000130"], ["Cross-Season Validation of Paddy Moisture Maps"]),
        ("Olivia Bennett", ["openalex:A5000000131"], [TITLE, "Printed Electrode Drift in Clay Soils"]),
        ("Wei Zhang", ["openalex:A5000000102"], [TITLE, "Printed Electrode Drift in Clay Soils"]),
        ("Wei Zhang", ["openalex:A5000000103"], ["Cross-Season Validation of Paddy Moisture Maps"]),
    ]
    assert store.query("MATCH (a:Author) RETURN count(a) AS n") == [{"n": 4}]
    assert [(n, p) for n, t, p in _authors(store) if t == TITLE] == [("Olivia Bennett", 1), ("Wei Zhang", 0)]


SCOPUS_HEADER = ["Authors", "Author full names", "Author(s) ID", "Title", "Year", "Source title", "DOI",
                 "Affiliations", "Authors with affiliations", "Document Type", "Source", "EID"]


def _scopus(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(SCOPUS_HEADER)
    writer.writerows(rows)
    return "\ufeff" + buf.getvalue()


@pytest.mark.parametrize("raw", ["李晓明", "Li Xiaoming"])
def test_build_joins_a_chinese_character_or_family_first_openalex_name_with_scopus(tmp_path, raw):
    openalex = _openalex_page(_work([
        _authorship(raw, "Xiaoming Li", "A5000000101", TSINGHUA),
        _authorship("Zhang Wei", "Wei Zhang", "A5000000102", TSINGHUA)]))
    scopus = _scopus([[
        "Li X.; Zhang W.", "Li, Xiaoming (57200000101); Zhang, Wei (57200000102)", "57200000101;57200000102;", TITLE,
        "2019", "Vadose Zone Sensing", DOI, "Department of Electronic Engineering, Tsinghua University, Beijing, China",
        "Li X., Department of Electronic Engineering, Tsinghua University, Beijing, China; "
        "Zhang W., Department of Electronic Engineering, Tsinghua University, Beijing, China",
        "Article", "Scopus", "2-s2.0-85150000001"]])
    store, output = _build(tmp_path, {"openalex-works.json": openalex, "scopus.csv": scopus})
    assert "Paper 1" in output
    people = sorted((r["name"], sorted(r["ids"])) for r in store.query("MATCH (a:Author) RETURN a.name AS name, a.ids AS ids"))
    assert people == [("Wei Zhang", ["openalex:A5000000102", "scopus:57200000102"]),
                      ("Xiaoming Li", ["openalex:A5000000101", "scopus:57200000101"])]
    assert _authors(store) == [("Wei Zhang", TITLE, 1), ("Xiaoming Li", TITLE, 0)]
