"""Institution names the alias table does not know: spellings of one institution are one Institution node.

Builds run the real CLI into the real embedded database; the OpenAlex and CSL-JSON files are read by the real readers.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.readers.openalex import read_openalex
from graphkit.resolve.institutions import InstitutionResolver, load_alias_table
from graphkit.resolve.records import Affiliation, compact

runner = CliRunner()


def _csl(cid: str, title: str, year: int, authors: list[tuple[str, str, str]]) -> dict:
    """A CSL-JSON item: each author as (family, given, affiliation as written)."""
    return {"id": cid, "type": "article-journal", "title": title, "issued": {"date-parts": [[year]]},
            "author": [{"family": f, "given": g, "affiliation": [{"name": a}]} for f, g, a in authors]}


def _authorship(name: str, institutions: list[tuple[str, str, str]], **raw) -> dict:
    """An OpenAlex authorship: institutions as (OpenAlex id, display name, ROR id), raw strings as given."""
    return {"author_position": "first", "raw_author_name": name, "author": {"id": None, "display_name": name, "orcid": None},
            "institutions": [{"id": f"https://openalex.org/{i}", "display_name": n, "ror": f"https://ror.org/{r}",
                              "country_code": "NL"} for i, n, r in institutions], **raw}


def _work(wid: str, title: str, year: int, authorships: list[dict]) -> dict:
    return {"id": f"https://openalex.org/{wid}", "title": title, "publication_year": year, "type": "article",
            "authorships": authorships}


def _build(tmp_path, files: dict[str, object]):
    paths = []
    for name, content in files.items():
        (tmp_path / name).write_text(json.dumps(content), encoding="utf-8")
        paths.append(str(tmp_path / name))
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", *paths, "--out", str(out)])
    assert result.exit_code == 0, result.output
    from graphkit.store.embedded import EmbeddedStore

    store = EmbeddedStore(out)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return store, report


def _institution_of(store, title: str) -> list[str]:
    return sorted(r["name"] for r in store.query(
        "MATCH (p:Paper {title: $t})-[*1..2]-(i:Institution) RETURN DISTINCT i.name AS name", {"t": title}))


# -- 1. dotted acronyms --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, canonical", [
    ("M.I.T.", "Massachusetts Institute of Technology"),
    ("M. I. T.", "Massachusetts Institute of Technology"),
    ("U.C.L.A.", "University of California, Los Angeles"),
    ("E.T.H. Zürich", "ETH Zurich"),
    ("Dept. of EECS, M.I.T., Cambridge, MA", "Massachusetts Institute of Technology"),
])
def test_a_dotted_acronym_is_the_institution_of_its_undotted_alias(written, canonical):
    assert load_alias_table().canonical(written) == canonical


def test_a_dotted_acronym_is_one_institution_node_with_its_full_name(tmp_path):
    items = [_csl("a", "Soft Robots", 2021, [("Rus", "Daniela", "M.I.T.")]),
             _csl("b", "Hard Robots", 2022, [("Lowe", "Ada", "Massachusetts Institute of Technology")])]
    store, _ = _build(tmp_path, {"items.json": items})
    names = [r["name"] for r in store.query("MATCH (i:Institution) RETURN i.name AS name")]
    assert names == ["Massachusetts Institute of Technology"]


# -- 2. language variants and word order ---------------------------------------------------------------------------

def test_language_variants_of_one_institution_are_one_node_and_others_stay_apart(tmp_path):
    items = [_csl("a", "Glacier Flow", 2020, [("Huber", "Anna", "Technical University of Munich")]),
             _csl("b", "Alpine Soils", 2021, [("Maier", "Jonas", "TU Munich")]),
             _csl("c", "Snow Cover", 2021, [("Bauer", "Lena", "Technische Universität München")]),
             _csl("d", "Sea Ice", 2022, [("Jensen", "Mads", "Technical University of Denmark")]),
             _csl("e", "Tulips", 2020, [("Jansen", "Eva", "Leiden University")]),
             _csl("f", "Canals", 2021, [("Bakker", "Sem", "Universiteit Leiden")]),
             _csl("g", "Engines", 2021, [("Weber", "Max", "Universität Stuttgart")]),
             _csl("h", "Turbines", 2022, [("Klein", "Mia", "University of Stuttgart")]),
             _csl("i", "Salmon", 2020, [("Olsen", "Kari", "University of Washington")]),
             _csl("j", "Barley", 2021, [("Moore", "Sam", "Washington University in St. Louis")])]
    store, report = _build(tmp_path, {"items.json": items})
    names = sorted(r["name"] for r in store.query("MATCH (i:Institution) RETURN i.name AS name"))
    assert names == ["Leiden University", "Technical University of Denmark", "Technical University of Munich",
                     "University of Washington", "Universität Stuttgart", "Washington University in St. Louis"]
    munich = store.query("MATCH (i:Institution {name: 'Technical University of Munich'}) RETURN i.aliases AS aliases")
    assert sorted(munich[0]["aliases"]) == ["TU Munich", "Technical University of Munich", "Technische Universität München"]
    merged = {m["name"]: sorted(m["merged"]) for m in report["merges"] if m.get("kind") == "institution"}
    assert merged["Leiden University"] == ["Leiden University", "Universiteit Leiden"]
    assert merged["Universität Stuttgart"] == ["University of Stuttgart", "Universität Stuttgart"]


def test_the_two_english_orders_stay_apart_without_the_table_or_an_id():
    r = InstitutionResolver(load_alias_table())
    # Stuttgart University and the University of Stuttgart may be two places: English order is kept
    assert r.resolve(Affiliation("University of Stuttgart")) == r.resolve(Affiliation("Universität Stuttgart"))
    assert r.resolve(Affiliation("Stuttgart University")) != r.resolve(Affiliation("University of Stuttgart"))
    # a foreign name meets one English order; the other English order is not joined through it
    leiden = r.resolve(Affiliation("Universiteit Leiden"))
    assert r.resolve(Affiliation("Leiden University")) == leiden
    assert r.resolve(Affiliation("University of Leiden")) != leiden
    # the table knows the University of Washington: a German spelling is it, Washington University is not
    table = load_alias_table()
    assert table.canonical("Universität Washington") == "University of Washington"
    assert table.canonical("Washington University") is None


# -- 3. OpenAlex raw affiliation strings ---------------------------------------------------------------------------

_LEIDEN = ("I121797337", "Leiden University", "027bh9e22")
_DELFT = ("I98358874", "Delft University of Technology", "02e2c7k09")
_RAW = "Faculty of Science, Leiden Institute of Advanced Computer Science, Leiden Univ, Leiden, The Netherlands"


def test_a_raw_string_of_one_institution_is_its_alias_for_another_source(tmp_path):
    works = {"results": [
        _work("W1", "Bulb Genomics", 2021, [_authorship("Eva Jansen", [_LEIDEN], raw_affiliation_strings=[_RAW])]),
        # two institutions, two strings: which is whose? nothing learned
        _work("W2", "Dike Sensors", 2022, [_authorship("Sem Bakker", [_LEIDEN, _DELFT],
                                                       raw_affiliation_strings=["Lab of Water, Building 23, Mekelweg 5",
                                                                                "Huygens Lab, Niels Bohrweg 2"])]),
    ]}
    items = [_csl("a", "Crocus Genetics", 2023, [("de Vries", "Noor", _RAW)]),
             _csl("b", "Dune Mapping", 2023, [("Visser", "Lotte", "Huygens Lab, Niels Bohrweg 2")])]
    store, report = _build(tmp_path, {"oa.json": works, "items.json": items})
    assert _institution_of(store, "Crocus Genetics") == ["Leiden University"]
    leiden = store.query("MATCH (i:Institution {name: 'Leiden University'}) RETURN i.aliases AS a, i.ror AS ror")[0]
    assert leiden["ror"] == "027bh9e22" and _RAW in leiden["a"]
    assert "Huygens Lab, Niels Bohrweg 2" not in leiden["a"]
    assert _institution_of(store, "Dune Mapping") == ["Huygens Lab"]  # its own institution, not Leiden's
    assert report["unknown_institutions"] == {"Huygens Lab, Niels Bohrweg 2": 1}


def test_the_reader_gives_a_raw_string_the_ids_of_its_one_institution(tmp_path):
    works = [_work("W1", "A", 2021, [_authorship("Eva Jansen", [_LEIDEN], raw_affiliation_string="Leiden Univ, Leiden")]),
             _work("W2", "B", 2021, [_authorship("Sem Bakker", [_LEIDEN, _DELFT], raw_affiliation_strings=["Leiden Univ", "Delft"])]),
             _work("W3", "C", 2021, [_authorship("Lotte Visser", [_LEIDEN, _DELFT], affiliations=[
                 {"raw_affiliation_string": "TU Delft, Delft", "institution_ids": ["https://openalex.org/I98358874"]},
                 {"raw_affiliation_string": "Leiden and Delft", "institution_ids": ["https://openalex.org/I121797337",
                                                                                    "https://openalex.org/I98358874"]}])])]
    (tmp_path / "oa.json").write_text(json.dumps(works), encoding="utf-8")
    records = list(read_openalex(tmp_path / "oa.json"))
    affs = [[(a.name, a.ids) for a in r.authors[0].affiliations] for r in records]
    assert affs[0] == [("Leiden University", ("ror:027bh9e22", "openalex:I121797337")),
                       ("Leiden Univ, Leiden", ("ror:027bh9e22", "openalex:I121797337"))]
    assert [n for n, _ in affs[1]] == ["Leiden University", "Delft University of Technology"]
    assert affs[2][2] == ("TU Delft, Delft", ("ror:02e2c7k09", "openalex:I98358874"))
    assert "Leiden and Delft" not in [n for n, _ in affs[2]]


def test_an_alias_another_institution_holds_is_a_conflict_not_learned():
    r = InstitutionResolver(load_alias_table())
    # the alias table gives the Allen School to the University of Washington: not an alias of the Allen Institute
    allen = r.resolve(Affiliation("Allen Institute for AI", ("ror:02b9rk978",)))
    school = "Paul G. Allen School of Computer Science & Engineering"
    assert r.resolve(Affiliation(school, ("ror:02b9rk978",))) == allen
    assert r.resolve(Affiliation(school)) == "institution:university-of-washington"
    assert "University of Washington" in r.conflicts[school]
    # a string written with two institutions' ids stays the first's
    leiden = r.resolve(Affiliation("Leiden University", ("ror:027bh9e22",)))
    r.resolve(Affiliation("Delft University of Technology", ("ror:02e2c7k09",)))
    joint = "Leiden-Delft Erasmus Centre"
    r.resolve(Affiliation(joint, ("ror:027bh9e22",)))
    r.resolve(Affiliation(joint, ("ror:02e2c7k09",)))
    assert r.resolve(Affiliation(joint)) == leiden
    assert "Delft University of Technology" in r.conflicts[joint]
    # a string that does not name its institution (no word of its name) is not learned
    r.resolve(Affiliation("Department of Physics", ("ror:027bh9e22",)))
    assert r.resolve(Affiliation("Department of Physics")) != leiden


def test_learn_meets_the_raw_strings_before_any_record_whatever_the_order(tmp_path):
    works = [_work("W1", "Bulb Genomics", 2021, [_authorship("Eva Jansen", [_LEIDEN], raw_affiliation_strings=[_RAW])])]
    (tmp_path / "oa.json").write_text(json.dumps(works), encoding="utf-8")
    records = [compact(r) for r in read_openalex(tmp_path / "oa.json")]
    r = InstitutionResolver(load_alias_table())
    r.learn(records)
    # a Scopus-style address read before the OpenAlex work: already that institution
    assert r.resolve(Affiliation(_RAW)) == "institution:leiden-university"
    assert r.compared_as(Affiliation(_RAW)) == "Leiden University"
    assert r.unknown == {}


@pytest.mark.parametrize("order", ["name first", "id first"])
def test_a_raw_string_is_its_institution_whichever_file_comes_first_and_conflicts_are_in_the_report(tmp_path, order):
    works = [_work("W1", "Bulb Genomics", 2021, [_authorship("Eva Jansen", [_LEIDEN], raw_affiliation_strings=[_RAW])]),
             # the alias table gives the Allen School to the University of Washington: a conflict, not learned
             _work("W2", "Reading Machines", 2022, [_authorship("Noah Smith", [("I4210140341", "Allen Institute for AI",
                                                                                "02b9rk978")],
                                                    raw_affiliation_strings=["Paul G. Allen School of Computer Science & Engineering"])])]
    items = [_csl("a", "Crocus Genetics", 2023, [("de Vries", "Noor", _RAW)])]
    files = {"a.json": items, "b.json": works} if order == "name first" else {"a.json": works, "b.json": items}
    store, report = _build(tmp_path, files)
    assert _institution_of(store, "Crocus Genetics") == ["Leiden University"]
    assert report["unknown_institutions"] == {}
    conflict = report["institution_conflicts"]["Paul G. Allen School of Computer Science & Engineering"]
    assert "Allen Institute for AI" in conflict and "University of Washington" in conflict
