"""Web of Science C1 addresses and DBLP's silent drops, after an outside tester's report (session 14).

- Web of Science: in a ``C1`` field each address is its own, in the plain-text
  export (one a line) and the tab-delimited one (``; `` between them): an address
  without a ``[names]`` prefix after bracketed ones is the paper's, not glued onto
  the address above it. A bracketed address wrapped onto the next line is still
  one address.
- DBLP: an ``orcid`` attribute that fails its check digit is a problem naming the
  file and the author's line (it is still not used); an element under ``<dblp>``
  (or in a ``dblpperson`` page's ``<r>``) that is no record type of ``dblp.dtd``
  is a problem with its line, saying it was not read.

Every input is written here as the exports write it; expectations are read off
that text, not computed by the readers.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from graphkit.cli import app

AS_OF = ["--as-of", "2026-11-21"]
ORCID = "0000-0002-1825-0097"  # ORCID's own example iD: its check digit holds
BAD_ORCID = "0000-0002-6211-4599"  # one digit off a real iD: its check digit fails


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def _extract(*args: str):
    """``graphkit extract ... --format json --strict``: the papers printed, the problem lines and the exit code."""
    done = CliRunner().invoke(app, ["extract", *args, "--format", "json", "--strict"])
    papers = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return papers, [line for line in done.stderr.splitlines() if line.startswith("problem:")], done.exit_code


def _build(tmp_path: Path, *inputs: Path):
    """``graphkit build``: the exit code, the output folder and the problems of report.json."""
    out = tmp_path / "out"
    done = CliRunner().invoke(app, ["build", *map(str, inputs), "--out", str(out), *AS_OF])
    assert (out / "report.json").exists(), done.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return done.exit_code, out, [(p["source"], p["line"], p["message"]) for p in report["problems"]]


def _query(out: Path, cypher: str) -> list[dict]:
    done = CliRunner().invoke(app, ["query", cypher, "--db", str(out), "--format", "json"])
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def _addresses(paper: dict):
    """(name, [address, country] of each affiliation) of each author, and [address, country] of the paper's own."""
    people = [(a["name"], [(f["name"], f["country"]) for f in a["affiliations"]]) for a in paper["authors"]]
    return people, [(f["name"], f["country"]) for f in paper["institutions"]]


STANFORD = ("Stanford Univ, Stanford, CA 94305 USA", "US")
HARVARD = ("Harvard Univ, Cambridge, MA 02138 USA", "US")
MIT = ("MIT, Dept Phys, Cambridge, MA 02139 USA", "US")
OXFORD = ("Univ Oxford, Dept Zool, Oxford OX1 3PS, England", "GB")
TUBINGEN = ("Max Planck Inst Biol, Tubingen, Germany", "DE")
UW = ("Univ Washington, Allen Sch Comp Sci & Engn, Seattle, WA 98195 USA", "US")

# --- Web of Science plain text: one address a line ------------------------------------------------

WOS_PLAIN = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Smith, J
   Jones, B
TI Old record with unbracketed addresses
SO NATURE
PY 1998
C1 Univ Oxford, Dept Zool, Oxford OX1 3PS, England.
   Max Planck Inst Biol, Tubingen, Germany.
UT WOS:000071234500001
ER

PT J
AU Doe, J
   Roe, R
AF Doe, Jane
   Roe, Rick
TI Mixed addresses
SO SCIENCE
PY 2010
C1 [Doe, Jane] Stanford Univ, Stanford, CA 94305 USA.
   Harvard Univ, Cambridge, MA 02138 USA.
   [Roe, Rick] MIT, Dept Phys, Cambridge, MA 02139 USA.
UT WOS:000071234500002
ER

PT J
AU Joshi, M
AF Joshi, Mandar
TI A wrapped address
SO TACL
PY 2020
C1 [Joshi, Mandar] Univ Washington, Allen Sch Comp
   Sci & Engn, Seattle, WA 98195 USA.
   Max Planck Inst Biol, Tubingen, Germany.
UT WOS:000071234500003
ER
EF
"""


def test_wos_plain_text_address_without_brackets_after_bracketed_ones_is_the_papers(tmp_path):
    path = _write(tmp_path / "savedrecs.txt", WOS_PLAIN)
    papers, problems, code = _extract(str(path))
    assert (code, problems) == (0, [])
    old, mixed, wrapped = papers
    # no address has brackets: both are the paper's, as before
    assert _addresses(old) == ([("J Smith", []), ("B Jones", [])], [OXFORD, TUBINGEN])
    # Harvard is its own address, the paper's; Stanford stays Jane Doe's alone, MIT Rick Roe's
    assert _addresses(mixed) == ([("Jane Doe", [STANFORD]), ("Rick Roe", [MIT])], [HARVARD])
    # a bracketed address wrapped onto the next line (no closing period yet) is one address; the line after it is another
    assert _addresses(wrapped) == ([("Mandar Joshi", [UW])], [TUBINGEN])


# --- Web of Science tab-delimited: addresses joined with "; " --------------------------------------

TAB_HEADER = "PT\tAU\tAF\tTI\tSO\tC1\tPY\tUT"
TAB_ROWS = [
    "J\tDoe, J; Roe, R\tDoe, Jane; Roe, Rick\tMixed tab\tSCIENCE"
    "\t[Doe, Jane] Stanford Univ, Stanford, CA 94305 USA; Harvard Univ, Cambridge, MA 02138 USA\t2010\tWOS:000071234500004",
    "J\tSmith, J; Jones, B\tSmith, John; Jones, Bob\tOld tab\tNATURE"
    "\tUniv Oxford, Dept Zool, Oxford OX1 3PS, England; Max Planck Inst Biol, Tubingen, Germany\t1998\tWOS:000071234500005",
    # the names in brackets are joined with "; " too: two people, one address; then an address without brackets
    # between bracketed ones, and one at the start
    "J\tDoe, J; Roe, R\tDoe, Jane; Roe, Rick\tMixed tab two\tSCIENCE"
    "\tMax Planck Inst Biol, Tubingen, Germany; [Doe, Jane; Roe, Rick] Stanford Univ, Stanford, CA 94305 USA; "
    "Harvard Univ, Cambridge, MA 02138 USA; [Roe, Rick] MIT, Dept Phys, Cambridge, MA 02139 USA\t2011\tWOS:000071234500006",
]


def test_wos_tab_delimited_address_without_brackets_after_bracketed_ones_is_the_papers(tmp_path):
    path = _write(tmp_path / "savedrecs.txt", "\r\n".join([TAB_HEADER, *TAB_ROWS, ""]))
    papers, problems, code = _extract(str(path))
    assert (code, problems) == (0, [])
    mixed, old, two = papers
    assert _addresses(mixed) == ([("Jane Doe", [STANFORD]), ("Rick Roe", [])], [HARVARD])
    assert _addresses(old) == ([("John Smith", []), ("Bob Jones", [])], [OXFORD, TUBINGEN])
    assert _addresses(two) == ([("Jane Doe", [STANFORD]), ("Rick Roe", [STANFORD, MIT])], [TUBINGEN, HARVARD])


def test_wos_build_makes_the_unbracketed_address_its_own_institution(tmp_path):
    plain = _write(tmp_path / "savedrecs.txt", WOS_PLAIN)
    tab = _write(tmp_path / "tab-savedrecs.txt", "\r\n".join([TAB_HEADER, *TAB_ROWS[:1], ""]))
    code, out, problems = _build(tmp_path, plain, tab)
    assert (code, problems) == (0, [])
    institutions = {row["id"]: row["aliases"] for row in _query(out, "MATCH (i:Institution) RETURN i.id AS id, i.aliases AS aliases")}
    # Harvard is an Institution of its own; no alias holds two addresses joined
    assert institutions["institution:harvard-university"] == [HARVARD[0]]
    assert institutions["institution:stanford-university"] == [STANFORD[0]]
    assert not [alias for aliases in institutions.values() for alias in aliases if "Harvard" in alias and "Stanford" in alias]
    # Jane Doe's AUTHORED edges carry Stanford alone; Harvard is the papers' own
    authored = _query(out, "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) WHERE a.name = 'Jane Doe' "
                           "RETURN p.title AS title, r.affiliations AS affiliations ORDER BY title")
    assert authored == [{"title": "Mixed addresses", "affiliations": ["institution:stanford-university"]},
                        {"title": "Mixed tab", "affiliations": ["institution:stanford-university"]}]
    papers = _query(out, "MATCH (p:Paper)-[:AFFILIATED_WITH]->(i:Institution) WHERE i.id = 'institution:harvard-university' "
                         "RETURN p.title AS title ORDER BY title")
    assert papers == [{"title": "Mixed addresses"}, {"title": "Mixed tab"}]


# --- DBLP: ORCIDs failing their check digit, record types the DTD has not -------------------------

DBLP = f"""<?xml version="1.0" encoding="US-ASCII"?>
<dblp>
<article mdate="2022-02-23" key="journals/tacl/JoshiCLWZL20">
<author orcid="{BAD_ORCID}">Mandar Joshi</author>
<author orcid="{ORCID}">Danqi Chen</author>
<title>SpanBERT: Improving Pre-training by Representing and Predicting Spans.</title>
<year>2020</year>
<journal>Trans. Assoc. Comput. Linguistics</journal>
</article>
<informal mdate="2020-01-01" key="x/y">
<author>Info Person</author>
<title>Unknown record element.</title>
<year>2021</year>
</informal>
<inproceedings key="conf/x/B"><author orcid="not-an-orcid">Ann Lee</author><title>B.</title><year>2021</year></inproceedings>
<informal key="x/z"><author>Zed Person</author><title>Z.</title></informal>
</dblp>
"""


def _dblp_problems(path: Path) -> list[tuple[int, str]]:
    return [
        (4, f"DBLP article journals/tacl/JoshiCLWZL20: ORCID '{BAD_ORCID}' of 'Mandar Joshi' fails its check digit; not used"),
        (10, "DBLP informal x/y: <informal> is no record type of dblp.dtd; not read"),
        (15, "DBLP inproceedings conf/x/B: ORCID 'not-an-orcid' of 'Ann Lee' is not an ORCID iD; not used"),
        (16, "DBLP informal x/z: <informal> is no record type of dblp.dtd; not read"),
    ]


def test_dblp_bad_orcid_and_unknown_record_types_are_reported_by_extract(tmp_path):
    path = _write(tmp_path / "dblp.xml", DBLP)
    papers, problems, code = _extract(str(path))
    assert code == 1  # --strict: the problems count
    assert problems == [f"problem: {path}:{line}: {message}" for line, message in _dblp_problems(path)]
    # the bad iD is still not used; a good one is; the records around the unknown elements are read
    assert [[(a["name"], a["ids"]) for a in p["authors"]] for p in papers] == [
        [("Mandar Joshi", ["dblp:Mandar Joshi"]), ("Danqi Chen", ["dblp:Danqi Chen", f"orcid:{ORCID}"])],
        [("Ann Lee", ["dblp:Ann Lee"])],
    ]


def test_dblp_bad_orcid_and_unknown_record_types_are_reported_by_build(tmp_path):
    path = _write(tmp_path / "dblp.xml", DBLP)
    code, out, problems = _build(tmp_path, path)
    assert code == 0
    assert problems == [(str(path), line, message) for line, message in _dblp_problems(path)]
    people = _query(out, "MATCH (a:Author) RETURN a.name AS name, a.orcid AS orcid ORDER BY name")
    assert people == [{"name": "Ann Lee", "orcid": None}, {"name": "Danqi Chen", "orcid": ORCID},
                      {"name": "Mandar Joshi", "orcid": None}]


DBLP_PERSON = """<?xml version="1.0" encoding="US-ASCII"?>
<dblpperson name="Ann Lee" pid="1/1" n="3">
<person key="homepages/1/1" mdate="2020-01-01"><author pid="1/1">Ann Lee</author></person>
<r><article key="journals/x/A" mdate="2020-01-01"><author>Ann Lee</author><title>A.</title><year>2020</year></article></r>
<r><informal key="x/i" mdate="2020-01-01"><author>Ann Lee</author><title>I.</title><year>2020</year></informal></r>
<r><inproceedings key="conf/x/B" mdate="2020-01-01"><author>Ann Lee</author><title>B.</title><year>2021</year></inproceedings></r>
<r><informal key="x/j" mdate="2020-01-01"><author>Ann Lee</author><title>J.</title></informal></r>
<coauthors n="0" nc="0">
</coauthors>
</dblpperson>
"""


def test_dblp_person_page_unknown_record_types_are_reported_and_its_other_parts_are_not(tmp_path):
    path = _write(tmp_path / "ann-lee.xml", DBLP_PERSON)
    papers, problems, code = _extract(str(path), "--from", "dblp")
    assert [p["ids"][0] for p in papers] == ["dblp:journals/x/A", "dblp:conf/x/B"]
    assert code == 1 and problems == [
        f"problem: {path}:5: DBLP informal x/i: <informal> is no record type of dblp.dtd; not read",
        f"problem: {path}:7: DBLP informal x/j: <informal> is no record type of dblp.dtd; not read",
    ]
