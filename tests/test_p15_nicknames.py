"""Session 15: author names under a short form of the given name (``Bill Gates`` / ``William Gates``, ``Bob Kahn`` /
``Robert E. Kahn``, ``Alex Smola`` / ``Alexander J. Smola``) were never compared: never merged on evidence, never
reported as ambiguous.

Checked through the CLI: BibTeX and CSL-JSON files read by the real readers, ``graphkit build``, then the stored
graph, ``graphkit identities`` and ``report.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphkit.store.embedded import EmbeddedStore
from tests.cli import build_into as _build
from tests.cli import identities as _identities


def _author_of(out: Path) -> dict[str, str]:
    """Paper title -> author id of its first author (every test paper puts the person under test first)."""
    rows = EmbeddedStore(out).query(
        "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) RETURN a.id AS id, a.name AS name, p.title AS title, "
        "r.position AS position")
    return {r["title"]: r["id"] for r in rows if r["position"] == 0}


def _entry(key: str, title: str, authors: list[str], year: int = 2020) -> str:
    return (f"@article{{{key}, title={{{title}}}, author={{{' and '.join(authors)}}}, year={{{year}}}, "
            f"journal={{Journal of Tests}}}}\n")


def _write_bib(tmp_path: Path, entries: list[str]) -> Path:
    path = tmp_path / "refs.bib"
    path.write_text("".join(entries), encoding="utf-8")
    return path


SHARED = ["Okonkwo, Chidi", "Lindqvist, Maja"]


@pytest.mark.parametrize("full, short", [
    ("Gates, William", "Gates, Bill"),  # another first initial: the table says so
    ("Kahn, Robert E.", "Kahn, Bob"),  # another first initial and a middle initial more
    ("Kleinberg, Jonathan", "Kleinberg, Jon"),
    ("Jordan, Michael I.", "Jordan, Mike"),
    ("Smola, Alexander J.", "Smola, Alex"),
    ("Mitchell, Thomas M.", "Mitchell, Tom"),
    ("Manning, Christopher D.", "Manning, Chris"),
    ("Riedel, Sebastian", "Riedel, Seb"),  # not in the table: a start of three letters of a name it does not know
])
def test_a_short_form_merges_on_two_shared_coauthors(tmp_path, full, short):
    bib = _write_bib(tmp_path, [_entry("a1", "Paper Under the Full Name", [full, *SHARED, "Ferreira, Tiago"], 2018),
                                _entry("a2", "Paper Under the Short Name", [short, *SHARED, "Haddad, Rami"], 2021)])
    out = _build(tmp_path, bib)
    by_paper = _author_of(out)
    assert by_paper["Paper Under the Full Name"] == by_paper["Paper Under the Short Name"], by_paper
    merges = [r for r in _identities(out, "merge") if "short form" in r["evidence"]]
    assert len(merges) == 1, merges
    given_short, given_full = short.split(", ")[1], full.split(", ")[1].split()[0]
    assert f"{given_short} is a short form of {given_full}" in merges[0]["evidence"]
    assert "chidi okonkwo" in merges[0]["evidence"] and "maja lindqvist" in merges[0]["evidence"]
    # the more complete spelling names the person
    assert by_paper["Paper Under the Short Name"].startswith("author:" + given_full.lower())


def test_a_short_form_without_evidence_is_reported_as_ambiguous(tmp_path):
    bib = _write_bib(tmp_path, [_entry("a1", "Packet Switching", ["Kahn, Robert E.", "Cerf, Vinton"], 1974),
                                _entry("a2", "Radio Networks", ["Kahn, Bob", "Tobagi, Fouad"], 1978)])
    out = _build(tmp_path, bib)
    by_paper = _author_of(out)
    assert by_paper["Packet Switching"] != by_paper["Radio Networks"]
    rows = _identities(out, "ambiguous")
    assert len(rows) == 1, rows
    assert set(rows[0]["names"]) == {"Robert E. Kahn", "Bob Kahn"}
    assert sorted(rows[0]["authors"]) == sorted(by_paper.values())
    assert "Bob is a short form of Robert" in rows[0]["evidence"] and "not merged" in rows[0]["evidence"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    logged = [d for d in report["identities"]["decisions"] if d["kind"] == "ambiguous"]
    assert [sorted(d["names"]) for d in logged] == [["Bob Kahn", "Robert E. Kahn"]]


def _csl_item(key: str, title: str, authors: list[tuple[str, str, str | None]], year: int) -> dict:
    return {"id": key, "type": "article-journal", "title": title, "issued": {"date-parts": [[year]]},
            "author": [{"family": family, "given": given, **({"affiliation": [{"name": aff}]} if aff else {})}
                       for given, family, aff in authors]}


def test_different_first_initials_through_the_table_from_csl_json(tmp_path):
    # Peggy/Margaret and Ted/Edward start with other letters: only the table relates them; the short forms are
    # filed under the full name's initial, so they meet. Paul/Pauline is a start, not a short form: apart.
    shared = [("Chidi", "Okonkwo", None), ("Maja", "Lindqvist", None)]
    items = [
        _csl_item("c1", "Margaret Full", [("Margaret", "Hamilton", None), *shared], 2017),
        _csl_item("c2", "Peggy Short", [("Peggy", "Hamilton", None), *shared], 2019),
        _csl_item("c3", "Edward Full", [("Edward A.", "Feigenbaum", None), *shared], 2015),
        _csl_item("c4", "Ted Short", [("Ted", "Feigenbaum", None), *shared], 2016),
        _csl_item("c5", "Paul Name", [("Paul", "Durand", None), *shared], 2012),
        _csl_item("c6", "Pauline Name", [("Pauline", "Durand", None), *shared], 2013),
    ]
    path = tmp_path / "refs.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    out = _build(tmp_path, path)
    by_paper = _author_of(out)
    assert by_paper["Margaret Full"] == by_paper["Peggy Short"] == "author:margaret-hamilton", by_paper
    assert by_paper["Edward Full"] == by_paper["Ted Short"] == "author:edward-a-feigenbaum", by_paper
    assert by_paper["Paul Name"] != by_paper["Pauline Name"]
    evidence = " | ".join(r["evidence"] for r in _identities(out, "merge"))
    assert "Peggy is a short form of Margaret" in evidence and "Ted is a short form of Edward" in evidence
    assert not [r for r in _identities(out, "ambiguous") if "Pauline Durand" in r["names"]]


def test_a_start_that_is_not_a_short_form_stays_apart(tmp_path):
    # Dan is the table's short form of Daniel only, Jo of Joanna (and others), not of Joseph: each joins the
    # full name it stands for on shared co-authors and is no variant of the other name at all.
    others = ["Ferreira, Tiago", "Haddad, Rami"]
    bib = _write_bib(tmp_path, [
        _entry("d1", "Dan Paper", ["Brown, Dan", *SHARED, *others]),
        _entry("d2", "Daniel Paper", ["Brown, Daniel", *SHARED]),
        _entry("d3", "Daniela Paper", ["Brown, Daniela", *others]),
        _entry("j1", "Jo Paper", ["Wright, Jo", *SHARED, *others]),
        _entry("j2", "Joanna Paper", ["Wright, Joanna", *SHARED]),
        _entry("j3", "Joseph Paper", ["Wright, Joseph", *others]),
    ])
    out = _build(tmp_path, bib)
    by_paper = _author_of(out)
    assert by_paper["Dan Paper"] == by_paper["Daniel Paper"] != by_paper["Daniela Paper"], by_paper
    assert by_paper["Jo Paper"] == by_paper["Joanna Paper"] != by_paper["Joseph Paper"], by_paper
    rows = _identities(out)
    assert not [r for r in rows if {"Daniela Brown", "Joseph Wright"} & set(r["names"]) and r["kind"] != "author"], rows


def test_a_short_form_of_two_full_names_in_the_build_joins_neither(tmp_path):
    # Alex shares two co-authors with Alexander and two with Alexandra: a variant that could join two people
    # joins neither, and both pairs are reported.
    others = ["Ferreira, Tiago", "Haddad, Rami"]
    bib = _write_bib(tmp_path, [
        _entry("a1", "Alex Paper", ["Smola, Alex", *SHARED, *others]),
        _entry("a2", "Alexander Paper", ["Smola, Alexander J.", *SHARED]),
        _entry("a3", "Alexandra Paper", ["Smola, Alexandra", *others]),
    ])
    out = _build(tmp_path, bib)
    by_paper = _author_of(out)
    assert len(set(by_paper.values())) == 3, by_paper
    rows = _identities(out, "ambiguous")
    pairs = {frozenset(r["names"]): r["evidence"] for r in rows}
    assert set(pairs) == {frozenset({"Alex Smola", "Alexander J. Smola"}), frozenset({"Alex Smola", "Alexandra Smola"})}
    assert all("evidence for more than one person" in why for why in pairs.values()), pairs


def test_a_short_form_at_another_affiliation_is_not_merged(tmp_path):
    # Jack is John's short form and a name of its own: two shared co-authors do not join people placed at
    # affiliations that have nothing in common; the pair is reported with both places.
    shared = [("Chidi", "Okonkwo", None), ("Maja", "Lindqvist", None)]
    items = [
        _csl_item("c1", "John at Oxford", [("John", "Whitfield", "University of Oxford"), *shared], 2017),
        _csl_item("c2", "Jack at MIT", [("Jack", "Whitfield", "Massachusetts Institute of Technology"), *shared], 2019),
    ]
    path = tmp_path / "refs.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    out = _build(tmp_path, path)
    by_paper = _author_of(out)
    assert by_paper["John at Oxford"] != by_paper["Jack at MIT"]
    rows = _identities(out, "ambiguous")
    assert len(rows) == 1 and set(rows[0]["names"]) == {"John Whitfield", "Jack Whitfield"}, rows
    assert "Jack is a short form of John" in rows[0]["evidence"] and "different affiliations" in rows[0]["evidence"]
