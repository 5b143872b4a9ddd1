"""Paper resolution details: a preprint merged with its published version, DBLP keys keep their case."""

from __future__ import annotations

import pytest

from graphkit.keys import paper_ids, source_id
from graphkit.models import PaperRecord
from graphkit.resolve import resolve


def _rec(title, *, year, kind, venue=None, ids=(), source, authors=("Matthew E. Peters", "Mark Neumann")):
    return PaperRecord(title=title, year=year, kind=kind, venue=venue, ids=ids, authors=authors, source=source, line=1)


@pytest.mark.parametrize("preprint_kind, preprint_venue", [("preprint", None), ("article", "CoRR"), ("article", "arXiv")])
def test_preprint_merged_with_its_published_version_takes_the_published_kind_and_year(preprint_kind, preprint_venue):
    preprint = _rec("Deep contextualized word representations", year=2017, kind=preprint_kind, venue=preprint_venue,
                    ids=("arXiv:1802.05365v2",), source="arxiv.json")
    published = _rec("Deep Contextualized Word Representations", year=2018, kind="inproceedings", venue="NAACL-HLT",
                     ids=("https://arxiv.org/abs/1802.05365", "doi:10.18653/v1/N18-1202"), source="acl.bib")
    for records in ([preprint, published], [published, preprint]):
        res = resolve([], records)
        (paper,) = res.papers.values()
        assert (paper.kind, paper.year) == ("inproceedings", 2018)
        assert paper.sources == ["acl.bib", "arxiv.json"]


def test_two_published_records_keep_the_primary_ones_kind_and_year():
    journal = _rec("Long Short-Term Memory", year=1997, kind="article", venue="Neural Computation",
                   ids=("doi:10.1162/neco.1997.9.8.1735",), source="a.bib")
    again = _rec("Long short-term memory", year=1997, kind="other", ids=("https://doi.org/10.1162/NECO.1997.9.8.1735",),
                 source="b.csv", authors=("Sepp Hochreiter",))
    (paper,) = resolve([], [journal, again]).papers.values()
    assert (paper.kind, paper.year) == ("article", 1997)


def test_a_preprint_alone_stays_a_preprint():
    (paper,) = resolve([], [_rec("A preprint", year=2023, kind="preprint", ids=("arXiv:2305.14314",), source="a")]).papers.values()
    assert (paper.kind, paper.year) == ("preprint", 2023)


def test_dblp_keys_are_case_sensitive_dois_and_arxiv_ids_are_not():
    assert source_id("dblp:conf/acl/Smith20a") != source_id("dblp:conf/acl/smith20a")
    assert source_id("DBLP:conf/acl/Smith20a") == "dblp:conf/acl/Smith20a"
    assert source_id("doi:10.18653/V1/N18-1202") == source_id("https://doi.org/10.18653/v1/n18-1202")
    assert source_id("arXiv:2305.14314V2") == source_id("https://arxiv.org/abs/2305.14314") == "arxiv:2305.14314"
    assert paper_ids("dblp:journals/corr/abs-1810-04805") == ("dblp:journals/corr/abs-1810-04805", "arxiv:1810.04805")


def test_papers_with_dblp_keys_differing_in_case_stay_two():
    a = _rec("Parsing things", year=2020, kind="inproceedings", ids=("dblp:conf/acl/Smith20a",), source="a.xml",
             authors=("John Smith",))
    b = _rec("Parsing other things", year=2020, kind="inproceedings", ids=("dblp:conf/acl/smith20a",), source="a.xml",
             authors=("John Smith",))
    same = _rec("Parsing things", year=2020, kind="inproceedings", ids=("DBLP:conf/acl/Smith20a",), source="b.bib",
                authors=("John Smith",))
    res = resolve([], [a, b, same])
    assert len(res.papers) == 2
    assert sorted(p.ids for p in res.papers.values()) == [["dblp:conf/acl/Smith20a"], ["dblp:conf/acl/smith20a"]]
