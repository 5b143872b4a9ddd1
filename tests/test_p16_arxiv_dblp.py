"""arXiv author lists cut short by "et al." / "etc." written onto a name or before a group, and DBLP ``crossref``.

- arXiv: ``A. Smith, B. Jones et al. (CMS Collaboration)`` and ``A. Smith, B. Jones, etc.`` name two people, the
  list is ``authors_truncated``, and a collaboration in the group after the list is an author as when listed
  (QA report 15, item 9). In the snapshot's string, with or without ``authors_parsed``, in arXivRaw and Atom.
- DBLP: a paper without a year or venue of its own takes them from the proceedings/book its ``crossref`` names,
  whether that record comes before or after it; one whose target is absent keeps what it has, with one problem
  counting such records.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.models import PaperRecord, Problem
from graphkit.readers import dblp
from graphkit.readers.registry import iter_inputs, read_input
from graphkit.store import EmbeddedStore

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-21"]


def _built(tmp_path, path) -> EmbeddedStore:
    """``graphkit build PATH --out TMP/out``, which must succeed; its embedded store, open."""
    out = tmp_path / "out"
    built = runner.invoke(app, ["build", str(path), "--out", str(out), *AS_OF])
    assert built.exit_code == 0, built.output
    return EmbeddedStore(out / "graph.lbdb")
GRAPHKIT = str(Path(sys.executable).with_name("graphkit"))


def _line(arxiv_id: str, authors: str, parsed: list | None = None) -> str:
    """A line of the Kaggle snapshot (its key order)."""
    obj: dict = {"id": arxiv_id, "submitter": "A. Submitter", "authors": authors, "title": f"Paper {arxiv_id}",
                 "categories": "hep-ex", "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}]}
    if parsed is not None:
        obj["authors_parsed"] = parsed
    return json.dumps(obj)


def _read(path: Path) -> tuple[list[PaperRecord], list[Problem]]:
    [item] = list(iter_inputs([path]))
    assert item.problem is None
    items = list(read_input(item))
    return [r for r in items if isinstance(r, PaperRecord)], [p for p in items if isinstance(p, Problem)]


def _shown(rec: PaperRecord) -> tuple[list[tuple[str, list[str]]], bool]:
    return [(a.name, [f.name for f in a.affiliations]) for a in rec.authors], rec.authors_truncated


SMITH, JONES = ["Smith", "A.", ""], ["Jones", "B.", ""]
CASES = [  # (authors string, authors_parsed, (authors with affiliations, truncated))
    ("A. Smith, B. Jones et al. (CMS Collaboration)", None,
     ([("A. Smith", []), ("B. Jones", []), ("CMS Collaboration", [])], True)),
    ("A. Smith, B. Jones et al. (CMS Collaboration)", [SMITH, JONES],
     ([("A. Smith", []), ("B. Jones", []), ("CMS Collaboration", [])], True)),
    ("A. Smith, B. Jones et al. (CMS Collaboration)", [SMITH, ["al.", "B. Jones et", ""]],
     ([("A. Smith", []), ("B. Jones", []), ("CMS Collaboration", [])], True)),
    ("A. Smith, B. Jones, et al. (for the CMS Collaboration)", [SMITH, JONES],
     ([("A. Smith", []), ("B. Jones", []), ("CMS Collaboration", [])], True)),
    ("A. Smith, B. Jones et al. for the ATLAS Collaboration", None,
     ([("A. Smith", []), ("B. Jones", []), ("ATLAS Collaboration", [])], True)),
    ("A. Smith, B. Jones, etc.", None, ([("A. Smith", []), ("B. Jones", [])], True)),
    ("A. Smith, B. Jones, etc.", [SMITH, JONES, ["etc.", "", ""]], ([("A. Smith", []), ("B. Jones", [])], True)),
    ("A. Smith, B. Jones etc", None, ([("A. Smith", []), ("B. Jones", [])], True)),
    ("A. Smith, B. Jones et al", [SMITH, ["Jones et al", "B.", ""]], ([("A. Smith", []), ("B. Jones", [])], True)),
    ("A. Smith, B. Jones et al. (MIT)", None, ([("A. Smith", ["MIT"]), ("B. Jones", ["MIT"])], True)),
    ("A. Smith (CMU), B. Jones, et al. (Theory Group, CERN)", None,
     ([("A. Smith", ["CMU"]), ("B. Jones", ["Theory Group, CERN"])], True)),
    # the whole list, and names that only look like a placeholder
    ("A. Smith, B. Jones (CMU)", None, ([("A. Smith", ["CMU"]), ("B. Jones", ["CMU"])], False)),
    ("Ann Etcheverry, Mohammed Al", [["Etcheverry", "Ann", ""], ["Al", "Mohammed", ""]],
     ([("Ann Etcheverry", []), ("Mohammed Al", [])], False)),
]


def test_et_al_and_etc_cut_the_list_and_never_make_or_stay_in_a_name(tmp_path):
    path = tmp_path / "etal.jsonl"
    path.write_text("".join(_line(f"0704.{i:04d}", a, p) + "\n" for i, (a, p, _) in enumerate(CASES, 1)), "utf-8")
    records, problems = _read(path)
    assert [str(p) for p in problems] == []
    assert [_shown(r) for r in records] == [want for *_, want in CASES]
    # who is a person: given and family names split where authors_parsed gives them
    assert [(a.name, a.given, a.family, a.position) for a in records[2].authors] == [
        ("A. Smith", "A.", "Smith", 0), ("B. Jones", "B.", "Jones", 1), ("CMS Collaboration", None, None, 2)]


def test_arxiv_raw_and_atom_cut_the_list_the_same_way(tmp_path):
    raw = tmp_path / "raw.xml"
    raw.write_text(
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><GetRecord><record><header>'
        "<identifier>oai:arXiv.org:0704.0001</identifier></header><metadata>"
        '<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>0704.0001</id><title>Raw</title>'
        "<authors>A. Smith, B. Jones et al. (CMS Collaboration)</authors></arXivRaw></metadata></record>"
        "</GetRecord></OAI-PMH>", "utf-8")
    atom = tmp_path / "feed.xml"
    atom.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>http://arxiv.org/api/q</id><entry>'
        "<id>http://arxiv.org/abs/0704.0002v1</id><published>2007-04-02T19:18:42Z</published><title>Atom</title>"
        "<author><name>A. Smith</name></author><author><name>B. Jones etc.</name></author></entry></feed>", "utf-8")
    (raw_rec,), raw_problems = _read(raw)
    (atom_rec,), atom_problems = _read(atom)
    assert raw_problems == [] and atom_problems == []
    assert _shown(raw_rec) == ([("A. Smith", []), ("B. Jones", []), ("CMS Collaboration", [])], True)
    assert _shown(atom_rec) == ([("A. Smith", []), ("B. Jones", [])], True)


def test_the_graph_has_no_et_al_author_and_keeps_the_flag(tmp_path):
    path = tmp_path / "etal.jsonl"
    path.write_text(_line("0704.0001", "A. Smith, B. Jones et al. (CMS Collaboration)") + "\n"
                    + _line("0704.0002", "C. Lee, D. Kim, etc.") + "\n", "utf-8")
    store = _built(tmp_path, path)
    names = sorted(row["name"] for row in store.query("MATCH (a:Author) RETURN a.name AS name"))
    assert names == ["A. Smith", "B. Jones", "C. Lee", "D. Kim"]  # a collaboration is no person (resolve/authors.py)
    flags = {row["title"]: row["t"] for row in store.query("MATCH (p:Paper) RETURN p.title AS title, "
                                                           "p.authors_truncated AS t")}
    assert flags == {"Paper 0704.0001": True, "Paper 0704.0002": True}
    institutions = [row["n"] for row in store.query("MATCH (i:Institution) RETURN i.name AS n")]
    assert institutions == []  # the collaboration is no one's affiliation


def test_a_collaboration_after_the_last_name_is_an_author_and_no_affiliation(tmp_path):
    # was: "A. Smith, B. Jones (CMS Collaboration)" gave both people the collaboration as their institution
    path = tmp_path / "collab.jsonl"
    path.write_text(_line("0704.0003", "A. Smith, B. Jones (CMS Collaboration)") + "\n"
                    + _line("0704.0004", "E. Fox, G. Hale (for the LIGO Scientific Collaboration and the Virgo "
                                         "Collaboration)") + "\n"
                    + _line("0704.0005", "H. Ito, J. Ruiz (Theory Group, CERN)") + "\n", "utf-8")
    store = _built(tmp_path, path)
    names = sorted(row["name"] for row in store.query("MATCH (a:Author) RETURN a.name AS name"))
    assert names == ["A. Smith", "B. Jones", "E. Fox", "G. Hale", "H. Ito", "J. Ruiz"]
    institutions = sorted(row["n"] for row in store.query("MATCH (i:Institution) RETURN i.name AS n"))
    assert len(institutions) == 1 and "CERN" in institutions[0]  # an affiliation after the last name stays theirs
    assert not any("Collaboration" in i for i in institutions)

DBLP_XML = """<?xml version="1.0" encoding="ISO-8859-1"?>
<dblp>
<inproceedings key="conf/x/Lee20"><author>Ann Lee</author><title>Before its proceedings.</title>
<crossref>conf/x/2020</crossref></inproceedings>
<inproceedings key="conf/x/Wu20"><author>Bo Wu</author><title>Own year and venue.</title><year>2019</year>
<booktitle>X Workshop</booktitle><crossref>conf/x/2020</crossref></inproceedings>
<proceedings key="conf/x/2020"><editor>Q. Editor</editor><title>Proceedings of X 2020.</title>
<booktitle>X</booktitle><year>2020</year></proceedings>
<inproceedings key="conf/x/Ng20"><author>Cy Ng</author><title>After its proceedings.</title><booktitle>X Short</booktitle>
<crossref>conf/x/2020</crossref></inproceedings>
<incollection key="books/z/Po15"><author>Ed Po</author><title>A chapter.</title><crossref>books/z/Z15</crossref></incollection>
<book key="books/z/Z15"><editor>R. Editor</editor><title>The Z Book.</title><year>2015</year></book>
<inproceedings key="conf/y/Li21"><author>Di Li</author><title>Its proceedings absent.</title>
<crossref>conf/y/2021</crossref></inproceedings>
<inproceedings key="conf/y/Ma21"><author>Al Ma</author><title>Also absent.</title><year>2021</year>
<crossref>conf/y/2021</crossref></inproceedings>
</dblp>
"""
DBLP_WANT = {  # title -> (year, venue)
    "Before its proceedings": (2020, "X"),
    "Own year and venue": (2019, "X Workshop"),
    "After its proceedings": (2020, "X Short"),
    "A chapter": (2015, "The Z Book"),
    "The Z Book": (2015, None),
    "Its proceedings absent": (None, None),
    "Also absent": (2021, None),
}
DBLP_PROBLEM = ("d.xml:13: DBLP crossref not in this input for 2 records without a year or venue of their own "
                "(the first: dblp:conf/y/Li21); read as written")


def test_dblp_crossref_lends_year_and_venue_from_either_side(tmp_path):
    path = tmp_path / "d.xml"
    path.write_bytes(DBLP_XML.encode("latin-1"))
    records, problems = _read(path)
    assert {r.title: (r.year, r.venue) for r in records} == DBLP_WANT
    assert len(records) == 7
    assert [str(p).replace(f"{path}", "d.xml") for p in problems] == [DBLP_PROBLEM]
    # the compact records a build holds are filled the same way
    with path.open("rb") as stream:
        compact = [r for r in dblp.parse_compact(stream, str(path), shared={}) if not isinstance(r, Problem)]
    assert {r.title: (r.year, r.venue) for r in compact} == DBLP_WANT


def test_dblp_crossref_years_reach_the_cli_and_the_graph(tmp_path):
    path = tmp_path / "d.xml"
    path.write_bytes(DBLP_XML.encode("latin-1"))
    done = subprocess.run([GRAPHKIT, "extract", str(path), "--format", "json"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    papers = {r["title"]: (r["year"], r["venue"]) for r in rows if r.get("type") == "paper"}
    assert papers == DBLP_WANT
    store = _built(tmp_path, path)
    graph = {row["t"]: (row["y"], row["v"]) for row in store.query(
        "MATCH (p:Paper) RETURN p.title AS t, p.year AS y, p.venue AS v")}
    assert graph == DBLP_WANT
