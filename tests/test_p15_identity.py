"""Session 15: two author-identity defects.

1. A family name that is one part of a compound family name (``García`` / ``García López`` /
   ``García-López``), with compatible given names, was no name variant at all: never merged, never reported,
   and it made merges of other spellings "contested" (``garcialopez`` and ``garcia`` taken for two names).
2. A swap of two words that are both frequent family names (``Li Wei`` / ``Wei Li``) merged on one shared
   affiliation alone.

Checked through the CLI (BibTeX and CSL-JSON read by the real readers, the stored graph, ``graphkit
identities``) and, for the id case, through the engine with its real occurrences.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphkit.resolve.identity import Occurrence, name_form, name_match, resolve_identities
from graphkit.store.embedded import EmbeddedStore
from tests.cli import build_into as _build
from tests.cli import identities as _identities


def _authors_of(out: Path, word: str) -> dict[str, str]:
    """Paper title -> author id, for the authors whose name contains ``word``."""
    rows = EmbeddedStore(out).query(
        f"MATCH (a:Author)-[:AUTHORED]->(p:Paper) WHERE a.name CONTAINS '{word}' RETURN a.id AS id, p.title AS title")
    return {r["title"]: r["id"] for r in rows}


def _bib(long_name: str, short_name: str, shared: list[str]) -> str:
    first = " and ".join([long_name, *shared, "Soto, Ana"])
    second = " and ".join([short_name, *shared, "Vidal, Carla"])
    return (f"@article{{a1, title={{Soil Microbes of the Andes}}, author={{{first}}}, year={{2019}}, journal={{J}}}}\n"
            f"@article{{a2, title={{Soil Microbes of the Pyrenees}}, author={{{second}}}, year={{2021}}, journal={{J}}}}\n")


@pytest.mark.parametrize("long_name, short_name, shared", [
    # the first family name alone, the given name hyphenated and without accents: one shared co-author (tier 1)
    ("García-López, María José", "Garcia, Maria-Jose", ["Ruiz, Pablo"]),
    # and with initials or a given name dropped: two pieces of evidence, as other such variants
    ("García-López, María José", "Garcia, M. J.", ["Ruiz, Pablo", "Ortega, Luis"]),
    ("García-López, María José", "García, María", ["Ruiz, Pablo", "Ortega, Luis"]),
    # the second family name alone (Portuguese usage keeps the last one): two pieces of evidence
    ("Silva-Santos, João Pedro", "Santos, João Pedro", ["Ruiz, Pablo", "Ortega, Luis"]),
])
def test_a_part_of_a_compound_family_name_merges_on_shared_coauthors(tmp_path, long_name, short_name, shared):
    (tmp_path / "refs.bib").write_text(_bib(long_name, short_name, shared), encoding="utf-8")
    out = _build(tmp_path, tmp_path / "refs.bib")
    family = long_name.split(",")[0].split("-")[-1].split()[-1][:4]
    by_paper = _authors_of(out, family)
    assert set(by_paper) == {"Soil Microbes of the Andes", "Soil Microbes of the Pyrenees"}
    assert len(set(by_paper.values())) == 1, by_paper
    merges = [r for r in _identities(out) if r["kind"] == "merge" and "family name" in r["evidence"]]
    assert len(merges) == 1 and "Ruiz" in merges[0]["evidence"].title(), merges


def test_a_compound_variant_without_evidence_is_reported_not_merged(tmp_path):
    (tmp_path / "refs.bib").write_text(_bib("García-López, María José", "Garcia, Maria-Jose", []), encoding="utf-8")
    out = _build(tmp_path, tmp_path / "refs.bib")
    by_paper = _authors_of(out, "Garc")
    assert len(set(by_paper.values())) == 2
    rows = [r for r in _identities(out) if r["kind"] == "ambiguous"]
    assert len(rows) == 1, rows
    assert set(rows[0]["names"]) == {"María José García-López", "Maria-Jose Garcia"}
    assert "second family name" in rows[0]["evidence"] and "not merged" in rows[0]["evidence"]
    assert sorted(rows[0]["authors"]) == sorted(set(by_paper.values()))


def test_a_first_family_name_alone_does_not_contest_other_merges():
    # An ORCID makes María José García-López and Maria-Jose Garcia one person; two initialled spellings
    # share two co-authors with her. The short family name is a variant, not another person: one person.
    orcid = ("orcid:0000-0002-1825-0097",)
    circle = ("pablo ruiz", "ana soto")
    occs = [Occurrence("María José García-López", ids=orcid, coauthors=circle, where="a.bib:1"),
            Occurrence("Maria-Jose Garcia", ids=orcid, coauthors=("luis ortega",), where="b.ris:3"),
            Occurrence("M. J. García-López", coauthors=circle, where="c.bib:7"),
            Occurrence("María J. García-López", coauthors=circle, where="d.bib:9")]
    result = resolve_identities(occs)
    assert len(set(result.keys)) == 1, result.keys
    assert not [d for d in result.decisions if d.kind == "ambiguous"], result.decisions


def test_compound_family_names_keep_different_people_apart():
    tiers = {
        ("María José García-López", "Maria-Jose Garcia"): 1,
        ("García López, María José", "María José García"): 1,
        ("María José García López", "María José García"): 2,  # one string: García may be a middle name
        ("María José García-López", "M. J. García"): 2,
        ("María José García-López", "María José López"): 2,  # the second family name alone
        ("María José García-López", "Maria Jose Garces"): None,  # another family name
        ("Maria Garcia-Lopez", "Mario Garcia"): None,  # another given name
        ("Maria Garcia-Lopez", "Maria Garcia-Marquez"): None,  # two different second family names
        ("Wei Li-Wang", "Wei Li"): None,  # East Asian family names are one word: a hyphen joins a given name
        ("Wei Li Wang", "Wei Li"): None,
        ("Anna Kim-Park", "Anna Kim"): None,
        ("Min-Jun Kim", "Min Kim"): None,  # a hyphenated given name is one name, not a name and a middle name
        ("Jean-Pierre Dupont-Roc", "Jean Dupont"): None,
        ("Luis da Silva", "Luis da Costa-Silva"): None,  # a shared particle is no shared family name
    }
    got = {pair: (m[0] if (m := name_match(name_form(pair[0]), name_form(pair[1]))) else None) for pair in tiers}
    assert got == tiers


def test_a_hyphenated_east_asian_name_is_not_merged_with_its_first_part(tmp_path):
    # Two shared co-authors would join a name variant; Wei Li-Wang is not one of Wei Li.
    bib = _bib("Li-Wang, Wei", "Li, Wei", ["Ruiz, Pablo", "Ortega, Luis"]) + _bib(
        "García-López, Ana", "García, Ana", ["Ruiz, Pablo", "Ortega, Luis"]).replace("{a1,", "{a3,").replace(
        "{a2,", "{a4,").replace("Soil", "Rock")
    (tmp_path / "refs.bib").write_text(bib, encoding="utf-8")
    out = _build(tmp_path, tmp_path / "refs.bib")
    assert len(set(_authors_of(out, "Wei").values())) == 2
    assert len(set(_authors_of(out, "Ana G").values())) == 1


def _csl(cid: str, title: str, authors: list[tuple[str, str, str]]) -> dict:
    return {"id": cid, "type": "article-journal", "title": title, "issued": {"date-parts": [[2022]]},
            "author": [{"family": f, "given": g, "affiliation": [{"name": a}]} for f, g, a in authors]}


def test_a_swap_of_two_frequent_family_names_needs_more_than_a_shared_affiliation(tmp_path):
    tsinghua = "Tsinghua University"
    items = [
        # Li Wei / Wei Li: both words frequent family names, only the affiliation shared: two people, reported
        _csl("c1", "Graph Kernels for Molecules", [("Li", "Wei", tsinghua), ("Dupont", "Claire", tsinghua)]),
        _csl("c2", "Sparse Solvers on GPUs", [("Wei", "Li", tsinghua), ("Moreau", "Luc", tsinghua)]),
        # Zhou Yang / Yang Zhou with a shared co-author: one person
        _csl("c3", "Tensor Sketches", [("Zhou", "Yang", tsinghua), ("Keller", "Jonas", tsinghua)]),
        _csl("c4", "Sketching Streams", [("Yang", "Zhou", tsinghua), ("Keller", "Jonas", tsinghua)]),
        # Liu Chao / Chao Liu: Chao Liu reads one way only, so the affiliation joins them as before
        _csl("c5", "Rainfall Nowcasting", [("Liu", "Chao", tsinghua), ("Novak", "Petra", tsinghua)]),
        _csl("c6", "Flood Maps from Radar", [("Chao", "Liu", tsinghua), ("Horvat", "Ivo", tsinghua)]),
    ]
    (tmp_path / "items.json").write_text(json.dumps(items), encoding="utf-8")
    out = _build(tmp_path, tmp_path / "items.json")
    rows = EmbeddedStore(out).query("MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN a.id AS id, p.title AS t")
    by_title: dict[str, set[str]] = {}
    for r in rows:
        by_title.setdefault(r["t"], set()).add(r["id"])

    def same(t1: str, t2: str) -> bool:  # the two papers share an author besides the co-author written alike
        return bool(by_title[t1] & by_title[t2] - {"author:jonas-keller"})

    assert not same("Graph Kernels for Molecules", "Sparse Solvers on GPUs")
    assert same("Tensor Sketches", "Sketching Streams")
    assert same("Rainfall Nowcasting", "Flood Maps from Radar")
    ambiguous = [r for r in _identities(out) if r["kind"] == "ambiguous" and "another order" in r["evidence"]]
    assert len(ambiguous) == 1, ambiguous
    assert set(ambiguous[0]["names"]) == {"Wei Li", "Li Wei"}
    assert "only the same affiliation tsinghua" in ambiguous[0]["evidence"]
    assert "frequent family names" in ambiguous[0]["evidence"]
