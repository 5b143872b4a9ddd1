"""Readers' compact paths give exactly what compacting their records gives.

A build holds compact records (graphkit.resolve.records.CompactRecord); the
BibTeX and DBLP readers build them directly (parse_compact) instead of
validating a pydantic record and compacting it. The two routes must agree
record for record, problem for problem.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from graphkit.models import PaperRecord
from graphkit.readers import bibtex, dblp
from graphkit.resolve.records import compact
from tests.conftest import ROOT, shared_path


def both_routes(module, data: bytes, source: str):
    shared: dict = {}
    via_records = [compact(r, shared) if isinstance(r, PaperRecord) else r for r in module.parse(io.BytesIO(data), source)]
    direct = list(module.parse_compact(io.BytesIO(data), source, shared={}))
    assert [type(x) for x in direct] == [type(x) for x in via_records]  # CompactRecord is a named tuple: == alone would pass a plain tuple
    return via_records, direct


def _bib_files():
    return sorted([*ROOT.joinpath("examples").rglob("*.bib"), *ROOT.joinpath("tests", "fixtures").rglob("*.bib")])


@pytest.mark.parametrize("path", _bib_files(), ids=lambda p: p.name)
def test_bibtex_compact_route_equals_compacted_records(path):
    via_records, direct = both_routes(bibtex, path.read_bytes(), str(path))
    assert via_records and direct == via_records


def test_bibtex_compact_route_on_the_anthology_sample():
    path = shared_path("data", "bibtex", "anthology-sample.bib")
    via_records, direct = both_routes(bibtex, path.read_bytes(), str(path))
    assert len(via_records) > 50 and direct == via_records


def test_bibtex_compact_route_on_generated_entries_shares_each_person(tmp_path):
    sys.path.insert(0, str(Path(ROOT, "benchmarks")))
    import gen_bibtex

    out = io.StringIO()
    gen_bibtex.generate(out, entries=1500, people=700)
    data = out.getvalue().encode("utf-8")
    via_records, direct = both_routes(bibtex, data, "gen.bib")
    assert len(direct) >= 1500 and direct == via_records
    # one object per person, not one per authorship
    authors = [a for r in direct if hasattr(r, "authors") for a in r.authors]
    assert len({id(a) for a in authors}) < len(authors) / 2


def _dblp_files():
    files = [*ROOT.joinpath("examples").rglob("*.xml"), *ROOT.joinpath("tests", "fixtures").rglob("*.xml")]
    return sorted(p for p in files if dblp.sniff(p.read_bytes()[:4096]))


@pytest.mark.parametrize("path", _dblp_files(), ids=lambda p: p.name)
def test_dblp_compact_route_equals_compacted_records(path):
    via_records, direct = both_routes(dblp, path.read_bytes(), str(path))
    assert via_records and direct == via_records


def test_dblp_compact_route_on_the_shared_sample():
    folder = shared_path("data", "dblp")
    paths = sorted(p for p in folder.iterdir() if p.suffix == ".xml")
    assert paths
    for path in paths:
        via_records, direct = both_routes(dblp, path.read_bytes(), str(path))
        assert direct == via_records, path


def test_dblp_compact_route_on_a_generated_dump_shares_each_person():
    sys.path.insert(0, str(Path(ROOT, "benchmarks")))
    import gen_dblp

    out = io.BytesIO()
    gen_dblp.generate(out, records=3000, authors=1400)
    via_records, direct = both_routes(dblp, out.getvalue(), "gen.xml")
    assert len(direct) > 2000 and direct == via_records
    authors = [a for r in direct if hasattr(r, "authors") for a in r.authors]
    assert len({id(a) for a in authors}) < len(authors) / 2


def test_dblp_alias_learnt_mid_read_reaches_later_records_on_the_compact_route():
    # Not seekable: no pre-scan, so the person record's alias is learnt during the read.
    xml = (b'<dblp><article key="a/1"><author>Luke S. Zettlemoyer</author><title>One.</title></article>'
           b'<www key="homepages/z/LukeZettlemoyer"><author>Luke Zettlemoyer</author><author>Luke S. Zettlemoyer</author>'
           b'<title>Home Page</title></www>'
           b'<article key="a/2"><author>Luke S. Zettlemoyer</author><title>Two.</title></article></dblp>')

    class Stream(io.BytesIO):
        def seekable(self):
            return False

    direct = list(dblp.parse_compact(Stream(xml), "d.xml", shared={}))
    via_records = [compact(r) for r in dblp.parse(Stream(xml), "d.xml")]
    assert direct == via_records
    assert [r.authors[0].ids for r in direct] == [("dblp:Luke S. Zettlemoyer",), ("dblp:Luke Zettlemoyer",)]
