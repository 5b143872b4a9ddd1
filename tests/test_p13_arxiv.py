"""arXiv authors strings with affiliations: numbered footnotes ``((1) MIT, (2) CMU)`` and inline ``Name (Institution)``.

The same author strings are written here as an arXivRaw OAI-PMH response (``export.arxiv.org/oai2``) and as lines of
the Kaggle snapshot, with and without ``authors_parsed``; both are read through the registry (``iter_inputs``,
``read_input``, ``extract_all``) and through ``graphkit extract``. Expectations are read off the inputs (who is
marked with which number), never computed by the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.models import PaperRecord, Problem
from graphkit.pipeline import extract_all
from graphkit.readers.registry import iter_inputs, read_input

from .conftest import AS_OF

runner = CliRunner()

NUMBERED = "A. Smith (1), B. Jones (2), C. Brown (1 and 2) ((1) MIT, (2) CMU)"
NUMBERED_AUTHORS = [("A. Smith", ["MIT"]), ("B. Jones", ["CMU"]), ("C. Brown", ["MIT", "CMU"])]
INLINE = "J. van der Berg (Leiden University), K. M\\\"uller (TU Berlin) and L. O'Neil"
INLINE_AUTHORS = [("J. van der Berg", ["Leiden University"]), ("K. Müller", ["TU Berlin"]), ("L. O'Neil", [])]

_OAI_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
<responseDate>2024-05-13T09:12:44Z</responseDate>
<request verb="ListRecords" metadataPrefix="arXivRaw">http://export.arxiv.org/oai2</request>
<ListRecords>
"""
_OAI_TAIL = """</ListRecords>
</OAI-PMH>
"""


def _raw_record(arxiv_id: str, authors: str) -> str:
    return f"""<record>
<header>
 <identifier>oai:arXiv.org:{arxiv_id}</identifier>
 <datestamp>2008-11-26</datestamp>
 <setSpec>physics:hep-th</setSpec>
</header>
<metadata>
<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/" xsi:schemaLocation="http://arxiv.org/OAI/arXivRaw/ http://arxiv.org/OAI/arXivRaw.xsd">
<id>{arxiv_id}</id><submitter>A. Smith</submitter><version version="v1"><date>Mon, 4 Jan 1999 10:00:00 GMT</date><size>20kb</size><source_type>D</source_type></version><title>Paper {arxiv_id}</title><authors>{escape(authors)}</authors><categories>hep-th</categories><abstract>  An abstract.
</abstract></arXivRaw>
</metadata>
</record>
"""


def _oai_raw(*records: tuple[str, str]) -> str:
    return _OAI_HEAD + "".join(_raw_record(i, a) for i, a in records) + _OAI_TAIL


def _snapshot_line(arxiv_id: str, authors: str, parsed: list | None = None) -> str:
    # the Kaggle snapshot's key order; authors_parsed left out as in the lines the tester found
    obj = {"id": arxiv_id, "submitter": "A. Smith", "authors": authors, "title": f"Paper {arxiv_id}",
           "comments": None, "journal-ref": None, "doi": None, "report-no": None, "categories": "hep-th",
           "license": None, "abstract": "  An abstract.\n",
           "versions": [{"version": "v1", "created": "Mon, 4 Jan 1999 10:00:00 GMT"}], "update_date": "2008-11-26"}
    if parsed is not None:
        obj["authors_parsed"] = parsed
    return json.dumps(obj)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _read(path: Path) -> list[PaperRecord | Problem]:
    """One file through the registry: the reader it chooses, then its records and problems."""
    [item] = list(iter_inputs([path]))
    assert (item.format, item.problem) == ("arxiv", None)
    return list(read_input(item))


def _split(items) -> tuple[list[PaperRecord], list[Problem]]:
    return [r for r in items if isinstance(r, PaperRecord)], [p for p in items if isinstance(p, Problem)]


def _people(rec: PaperRecord) -> list[tuple[str, list[str]]]:
    return [(a.name, [f.name for f in a.affiliations]) for a in rec.authors]


def _line_of(text: str, arxiv_id: str) -> int:
    """The 1-based line of the ``<record>`` holding ``arxiv_id`` (read off the written text)."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if f"oai:arXiv.org:{arxiv_id}<" in line)
    return next(i for i in range(at, -1, -1) if lines[i] == "<record>") + 1


# ------------------------------------------------------------------ defect 1: numbered affiliations


def test_numbered_affiliations_from_arxivraw_and_a_snapshot_line_without_authors_parsed(tmp_path):
    raw = _write(tmp_path / "oai-raw.xml", _oai_raw(("hep-th/9901001", NUMBERED)))
    snap = _write(tmp_path / "snapshot.jsonl", _snapshot_line("hep-th/9901001", NUMBERED) + "\n")
    # the snapshot's own authors_parsed for such a string: footnote marks as the fourth item
    parsed = _write(tmp_path / "parsed.jsonl", _snapshot_line("hep-th/9901001", NUMBERED, [
        ["Smith", "A.", "", "1"], ["Jones", "B.", "", "2"], ["Brown", "C.", "", "1 and 2"]]) + "\n")
    records = {}
    for path in (raw, snap, parsed):
        [rec], problems = _split(_read(path))
        assert problems == []
        assert _people(rec) == NUMBERED_AUTHORS
        assert rec.authors_truncated is False and [a.position for a in rec.authors] == [0, 1, 2]
        records[path.name] = rec.model_dump(exclude={"source", "line", "record"})
    # the same record from each form (the string does not split given and family names)
    for rec in records.values():
        for author in rec["authors"]:
            author["given"] = author["family"] = None
    assert records["oai-raw.xml"] == records["snapshot.jsonl"] == records["parsed.jsonl"]


@pytest.mark.parametrize("authors, expected", [
    pytest.param("A. Smith (1,2), B. Jones (2) and C. Brown (1) ((1) MIT, (2) CMU)",
                 [("A. Smith", ["MIT", "CMU"]), ("B. Jones", ["CMU"]), ("C. Brown", ["MIT"])], id="comma-marks"),
    pytest.param("A. Smith (1, 2), B. Jones (2), and C. Brown (1) ((1) MIT and (2) CMU)",
                 [("A. Smith", ["MIT", "CMU"]), ("B. Jones", ["CMU"]), ("C. Brown", ["MIT"])], id="list-with-and"),
    pytest.param("A. Smith (1 and 2) and B. Jones (2) ((1) MIT; (2) CMU)",
                 [("A. Smith", ["MIT", "CMU"]), ("B. Jones", ["CMU"])], id="list-with-semicolon"),
    pytest.param("A. Smith (1), B. Jones (2) and C. Brown (1,2) ((1) Institute of Physics (IOP), Beijing, (2) CMU)",
                 [("A. Smith", ["Institute of Physics (IOP), Beijing"]), ("B. Jones", ["CMU"]),
                  ("C. Brown", ["Institute of Physics (IOP), Beijing", "CMU"])], id="nested-parentheses"),
    pytest.param("A. Smith (2) and B. Jones (1) ( (1) MIT, (2) Max-Planck-Institut f\\\"ur Physik (Werner-Heisenberg-Institut) )",
                 [("A. Smith", ["Max-Planck-Institut für Physik (Werner-Heisenberg-Institut)"]), ("B. Jones", ["MIT"])],
                 id="spaced-list-tex"),
    # the list written without parentheses around its numbers, as some older records have it
    pytest.param("A. Smith (1,2), B. Jones (2) (1 Dip. Astronomia, Bologna; 2 INAF, Via Ranzani 1, Bologna)",
                 [("A. Smith", ["Dip. Astronomia, Bologna", "INAF, Via Ranzani 1, Bologna"]),
                  ("B. Jones", ["INAF, Via Ranzani 1, Bologna"])], id="bare-numbers"),
])
def test_numbered_affiliation_variants(tmp_path, authors, expected):
    raw = _write(tmp_path / "oai-raw.xml", _oai_raw(("hep-th/9901002", authors)))
    snap = _write(tmp_path / "snapshot.jsonl", _snapshot_line("hep-th/9901002", authors) + "\n")
    for path in (raw, snap):
        [rec], problems = _split(_read(path))
        assert problems == [], [str(p) for p in problems]
        assert _people(rec) == expected
        assert not any("(" in a.name or ")" in a.name for a in rec.authors)


# ------------------------------------------------------------------ defect 2: inline affiliations


def test_arxivraw_inline_affiliations_are_those_of_the_snapshot(tmp_path):
    raw = _write(tmp_path / "oai-raw.xml", _oai_raw(("0705.0001", INLINE)))
    snap = _write(tmp_path / "snapshot.jsonl", _snapshot_line("0705.0001", INLINE, [
        ["van der Berg", "J.", "", "Leiden University"], ["M\\\"uller", "K.", "", "TU Berlin"], ["O'Neil", "L.", ""]]) + "\n")
    [from_raw], raw_problems = _split(_read(raw))
    [from_snap], snap_problems = _split(_read(snap))
    assert raw_problems == snap_problems == []
    assert _people(from_raw) == _people(from_snap) == INLINE_AUTHORS
    rest = {"source", "line", "authors"}
    assert from_raw.model_dump(exclude=rest) == from_snap.model_dump(exclude=rest)


def test_an_affiliation_written_once_after_several_authors_is_theirs_in_both_forms(tmp_path):
    # arXiv's authors_parsed gives the group to every author before it who has none (0704.0163 is written so)
    authors = ("Peter Brommer and Franz G\\\"ahler (Institut f\\\"ur Theoretische und Angewandte Physik, "
               "Universit\\\"at Stuttgart)")
    stuttgart = "Institut für Theoretische und Angewandte Physik, Universität Stuttgart"
    raw = _write(tmp_path / "oai-raw.xml", _oai_raw(("0704.0163", authors)))
    snap = _write(tmp_path / "snapshot.jsonl", _snapshot_line("0704.0163", authors, [
        ["Brommer", "Peter", "", stuttgart], ["G\\\"ahler", "Franz", "", stuttgart]]) + "\n")
    expected = [("Peter Brommer", [stuttgart]), ("Franz Gähler", [stuttgart])]
    assert _people(_split(_read(raw))[0][0]) == _people(_split(_read(snap))[0][0]) == expected


def test_numbered_affiliations_the_snapshot_left_out_of_authors_parsed_come_from_its_string(tmp_path):
    # 0704.0187 as the snapshot has it: authors_parsed without the numbered affiliations its authors string holds
    authors = ("G. Worseck (1), C. Fechner (2,3), L. Wisotzki (1) and A. Dall'Aglio\n  (1) ((1) Astrophysikalisches "
               "Institut Potsdam, (2) Hamburger Sternwarte, (3)\n  Universit\\\"at Potsdam)")
    snap = _write(tmp_path / "snapshot.jsonl", _snapshot_line("0704.0187", authors, [
        ["Worseck", "G.", ""], ["Fechner", "C.", ""], ["Wisotzki", "L.", ""], ["Dall'Aglio", "A.", ""]]) + "\n")
    raw = _write(tmp_path / "oai-raw.xml", _oai_raw(("0704.0187", authors)))
    expected = [("G. Worseck", ["Astrophysikalisches Institut Potsdam"]),
                ("C. Fechner", ["Hamburger Sternwarte", "Universität Potsdam"]),
                ("L. Wisotzki", ["Astrophysikalisches Institut Potsdam"]),
                ("A. Dall'Aglio", ["Astrophysikalisches Institut Potsdam"])]
    [from_snap], problems = _split(_read(snap))
    assert problems == [] and _people(from_snap) == expected
    assert [(a.given, a.family) for a in from_snap.authors][1] == ("C.", "Fechner")  # still authors_parsed's names
    assert _people(_split(_read(raw))[0][0]) == expected


# ------------------------------------------------------------------ strings that cannot be read whole


MALFORMED = [
    # the list's closing parenthesis lost: the three names are certain, what they are marked with is not
    ("hep-th/9902001", "A. Smith (1), B. Jones (2), C. Brown (1 and 2) ((1) MIT, (2) CMU",
     [("A. Smith", []), ("B. Jones", []), ("C. Brown", [])], False, "unbalanced parentheses"),
    # an affiliation never closed swallows the rest: only the name before it is certain
    ("hep-th/9902002", "A. Smith (MIT, B. Jones (CMU)", [("A. Smith", [])], True, "unbalanced parentheses"),
    # a parenthesis closing nothing: that piece is no name
    ("hep-th/9902003", "A. Smith MIT), B. Jones (CMU)", [("B. Jones", ["CMU"])], True, "unbalanced parentheses"),
    # a number with no entry in the list
    ("hep-th/9902004", "A. Smith (1), B. Jones (3) ((1) MIT, (2) CMU)", [("A. Smith", ["MIT"]), ("B. Jones", [])], False,
     "affiliation (3) of B. Jones is not in the numbered list"),
]


def test_malformed_strings_are_problems_at_their_record_and_keep_the_certain_names(tmp_path):
    text = _oai_raw(*((i, a) for i, a, *_ in MALFORMED), ("hep-th/9902005", NUMBERED))
    raw = _write(tmp_path / "oai-raw.xml", text)
    snap = _write(tmp_path / "snapshot.jsonl", "".join(_snapshot_line(i, a) + "\n" for i, a, *_ in MALFORMED)
                  + _snapshot_line("hep-th/9902005", NUMBERED) + "\n")
    for path, lines in ((raw, [_line_of(text, i) for i, *_ in MALFORMED]), (snap, [1, 2, 3, 4])):
        records, problems = _split(_read(path))
        assert [r.ids[0] for r in records] == [f"arxiv:{i}" for i, *_ in MALFORMED] + ["arxiv:hep-th/9902005"]
        for rec, (arxiv_id, _, people, truncated, _) in zip(records, MALFORMED):
            assert (_people(rec), rec.authors_truncated) == (people, truncated), arxiv_id
        assert _people(records[-1]) == NUMBERED_AUTHORS
        assert not any("(" in a.name or ")" in a.name for r in records for a in r.authors)
        assert [(p.source, p.line) for p in problems] == [(str(path), line) for line in lines]
        for problem, (arxiv_id, _, _, _, why) in zip(problems, MALFORMED):
            assert problem.message.startswith(f"arXiv {arxiv_id}: authors: ") and why in problem.message


# ------------------------------------------------------------------ through extract_all and `graphkit extract`


def test_extract_all_and_the_cli_give_the_affiliations_and_name_the_problem(tmp_path):
    inputs = [("hep-th/9901001", NUMBERED), ("0705.0001", INLINE), ("hep-th/9902002", "A. Smith (MIT, B. Jones (CMU)")]
    text = _oai_raw(*inputs)
    raw = _write(tmp_path / "oai-raw.xml", text)
    snap = _write(tmp_path / "snapshot.jsonl", "".join(_snapshot_line(i, a) + "\n" for i, a in inputs))
    readers: dict = {}
    _, records, problems, files = extract_all([tmp_path], as_of=AS_OF, readers=readers)
    assert files == 2 and readers == {"arxiv": {"sniffed": 2}}
    by_file: dict = {}
    for r in records:
        by_file.setdefault(Path(r.source).name, []).append(
            (r.ids[0], [(a.name, [f.name for f in a.affiliations]) for a in r.iter_authors()]))
    expected = [("arxiv:hep-th/9901001", NUMBERED_AUTHORS), ("arxiv:0705.0001", INLINE_AUTHORS),
                ("arxiv:hep-th/9902002", [("A. Smith", [])])]
    assert by_file == {"oai-raw.xml": expected, "snapshot.jsonl": expected}
    assert sorted((Path(p.source).name, p.line) for p in problems) == [
        ("oai-raw.xml", _line_of(text, "hep-th/9902002")), ("snapshot.jsonl", 3)]

    for path, line in ((raw, _line_of(text, "hep-th/9902002")), (snap, 3)):
        result = runner.invoke(app, ["extract", str(path), "--format", "json"])
        assert result.exit_code == 0, result.output
        papers = [json.loads(row) for row in result.stdout.splitlines()]
        assert [(p["ids"][0], [(a["name"], [f["name"] for f in a["affiliations"]]) for a in p["authors"]])
                for p in papers] == expected
        assert f"{path}:{line}: arXiv hep-th/9902002: authors: unbalanced parentheses" in result.stderr
        assert "1 problem" in result.stderr
        assert runner.invoke(app, ["extract", str(path), "--strict"]).exit_code == 1
