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
from graphkit.readers import bibtex
from graphkit.resolve.records import compact
from tests.conftest import ROOT, shared_path


def both_routes(module, data: bytes, source: str):
    shared: dict = {}
    via_records = [compact(r, shared) if isinstance(r, PaperRecord) else r for r in module.parse(io.BytesIO(data), source)]
    direct = list(module.parse_compact(io.BytesIO(data), source, shared={}))
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
