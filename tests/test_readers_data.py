"""The data-format readers: arXiv metadata JSON Lines, DBLP XML, OpenAlex works.

Exact expectations on the real samples in ../shared/data, on the examples and
on fixtures written from public facts; property-based checks that no reader
raises on arbitrary input.
"""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.models import PaperRecord, Problem
from graphkit.readers import arxiv, dblp, openalex
from tests.conftest import ROOT, shared_path

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = ROOT / "examples"


def papers(items):
    return [r for r in items if isinstance(r, PaperRecord)]


def problems(items):
    return [r for r in items if isinstance(r, Problem)]


def by_id(records, paper_id):
    [rec] = [r for r in records if paper_id in r.ids]
    return rec


# ---------------------------------------------------------------------------------------------- arXiv


@pytest.fixture(scope="module")
def arxiv_sample():
    path = shared_path("data", "arxiv", "arxiv-metadata-sample.jsonl")
    return path, list(arxiv.read(path))


def test_arxiv_sample_counts_and_kinds(arxiv_sample):
    path, items = arxiv_sample
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert problems(items) == []
    recs = papers(items)
    assert len(recs) == len(rows) == 200
    published = sum(1 for r in rows if r["doi"] or r["journal-ref"])
    assert sum(r.kind == "article" for r in recs) == published == 132
    assert sum(r.kind == "preprint" for r in recs) == 68
    assert [r.line for r in recs] == list(range(1, 201))
    assert all(r.source_format == "arxiv" and r.source == str(path) for r in recs)


def test_arxiv_sample_first_record_exact(arxiv_sample):
    _, items = arxiv_sample
    rec = by_id(papers(items), "arxiv:0704.0001")
    assert rec.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert rec.ids == ("arxiv:0704.0001", "doi:10.1103/physrevd.76.013009")
    assert rec.date.isoformat() == "2007-04-02" and rec.year == 2007  # v1, not the v2 or update date
    assert rec.venue == "Phys.Rev.D76:013009,2007" and rec.kind == "article" and rec.category == "hep-ph"
    assert rec.urls == ("https://arxiv.org/abs/0704.0001",)
    assert [(a.name, a.given, a.family, a.position) for a in rec.authors] == [
        ("C. Balázs", "C.", "Balázs", 0),
        ("E. L. Berger", "E. L.", "Berger", 1),
        ("P. M. Nadolsky", "P. M.", "Nadolsky", 2),
        ("C.-P. Yuan", "C.-P.", "Yuan", 3),
    ]
    assert rec.abstract.startswith("A fully differential calculation in perturbative quantum chromodynamics is presented")


def test_arxiv_sample_names_affiliations_and_dates(arxiv_sample):
    _, items = arxiv_sample
    recs = papers(items)
    gyro = by_id(recs, "arxiv:0704.0044")
    assert [(a.name, [f.name for f in a.affiliations]) for a in gyro.authors][:3] == [
        ("A. A. Schekochihin", ["Oxford"]),
        ("S. C. Cowley", ["Culham"]),
        ("W. Dorland", ["Maryland"]),
    ]
    # "1 and 2" are footnote marks into the numbered list that ends the authors string.
    assert [[f.name for f in a.affiliations] for a in by_id(recs, "arxiv:0704.0025").authors] == [
        ["CREST, Japan Science and Technology Agency", "Russian Research Centre “Kurchatov Institute”"],
        ["CREST, Japan Science and Technology Agency", "The University of Tokyo"],
    ]
    evans = [a for a in by_id(recs, "arxiv:0704.0009").authors if a.family == "Evans"][0]
    assert (evans.name, evans.given) == ("Neal J. Evans II", "Neal J.")
    babar = by_id(recs, "arxiv:0704.0020").authors[0]
    assert (babar.name, babar.given, babar.family) == ("The BABAR Collaboration", None, "The BABAR Collaboration")
    stuttgart = by_id(recs, "arxiv:0704.0163").authors[0].affiliations[0].name
    assert stuttgart == "Institut für Theoretische und Angewandte Physik, Universität Stuttgart"  # newline folded
    two = by_id(recs, "arxiv:0704.0002")
    assert (two.date.isoformat(), two.kind, two.category) == ("2007-03-31", "preprint", "math.CO")


def test_arxiv_fixture_tex_fallbacks_and_problems():
    path = FIXTURES / "arxiv" / "tex-and-errors.jsonl"
    items = list(arxiv.read(path))
    assert [(p.line, p.message.split(" (")[0]) for p in problems(items)] == [
        (2, "not a JSON object"),
        (3, "not a JSON object"),
        (4, "arXiv 0704.0003: no title"),
        (8, "arXiv 0704.0004: no title"),
    ]
    recs = papers(items)
    assert [r.line for r in recs] == [1, 6, 7]
    assert [a.name for a in recs[0].authors] == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"]
    maldacena = recs[1]
    # Old-style id, version dropped; no versions: the year comes from the id.
    assert (maldacena.ids, maldacena.year, maldacena.date, maldacena.category) == (
        ("arxiv:hep-th/9711200",), 1997, None, "hep-th")
    # No authors_parsed: the authors string is split.
    assert [(a.name, a.position) for a in recs[2].authors] == [("Ileana Streinu", 0), ("Louis Theran", 1)]


def test_arxiv_example_and_gzip(tmp_path):
    path = EXAMPLES / "arxiv" / "lm-pretraining.jsonl"
    recs = list(arxiv.read(path))
    assert all(isinstance(r, PaperRecord) for r in recs) and len(recs) == 6
    bert = by_id(recs, "arxiv:1810.04805")
    assert bert.title == "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    assert [a.name for a in bert.authors] == ["Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"]
    assert (bert.date.isoformat(), bert.kind, bert.category) == ("2018-10-11", "preprint", "cs.CL")
    gz = tmp_path / "lm.jsonl.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    assert [r.model_dump(exclude={"source"}) for r in arxiv.read(gz)] == [r.model_dump(exclude={"source"}) for r in recs]


def test_arxiv_sniff():
    assert arxiv.sniff((EXAMPLES / "arxiv" / "lm-pretraining.jsonl").read_bytes())
    assert not arxiv.sniff((EXAMPLES / "openalex" / "lm-pretraining.json").read_bytes())
    assert not arxiv.sniff((FIXTURES / "openalex" / "works.jsonl").read_bytes())
    assert not arxiv.sniff(b'[{"id": "ITEM-1", "type": "article-journal", "title": "x"}]')


# ----------------------------------------------------------------------------------------------- DBLP


@pytest.fixture(scope="module")
def dblp_sample():
    path = shared_path("data", "dblp", "dblp-sample.xml")
    return path, list(dblp.read(path))


def test_dblp_sample_counts_and_first_record(dblp_sample):
    path, items = dblp_sample
    assert problems(items) == []
    recs = papers(items)
    text = path.read_text(encoding="latin-1")
    assert len(recs) == text.count("<incollection ") == 131
    assert sum(len(r.authors) for r in recs) == text.count("<author") == 73
    assert {r.kind for r in recs} == {"chapter"} and {r.year for r in recs} == {2014}
    first = recs[0]
    assert (first.title, first.ids, first.line, first.venue, first.authors) == (
        "Curvedness",
        ("dblp:reference/vision/X14bd", "doi:10.1007/978-0-387-31439-6_100117"),
        4,
        "Computer Vision, A Reference Guide",
        (),
    )
    assert first.urls == ("https://doi.org/10.1007/978-0-387-31439-6_100117",)


def test_dblp_sample_homonyms_orcids_entities(dblp_sample):
    _, items = dblp_sample
    recs = papers(items)
    singh = by_id(recs, "dblp:reference/vision/Singh14").authors[0]
    assert (singh.name, singh.ids) == ("Manish Singh", ("dblp:Manish Singh 0001",))
    pont = by_id(recs, "dblp:reference/vision/Pont14b").authors[0]
    assert (pont.name, pont.ids) == ("Sylvia C. Pont", ("dblp:Sylvia C. Pont", "orcid:0000-0002-9834-9600"))
    alexander = by_id(recs, "dblp:reference/vision/Alexander14").authors[0]
    assert alexander.ids[1] == "orcid:0000-0003-2439-350X"
    names = {a.name for r in recs for a in r.authors}
    assert {"Jürgen Beyerer", "Matti Pietikäinen", "François Chaumette"} <= names
    assert not any("&" in n or " 000" in n for n in names)
    homonyms = sorted(a.ids[0] for r in recs for a in r.authors if a.ids[0][-4:].isdigit())
    assert "dblp:Gaurav Srivastava 0004" in homonyms and "dblp:Rui Shen 0002" in homonyms


def test_dblp_without_dtd_and_gzipped(dblp_sample, tmp_path):
    path, items = dblp_sample
    expected = [r.model_dump(exclude={"source"}) for r in items]
    alone = tmp_path / "alone.xml"  # no dblp.dtd beside it: the built-in entities stand in
    shutil.copyfile(path, alone)
    assert [r.model_dump(exclude={"source"}) for r in dblp.read(alone)] == expected
    gz = tmp_path / "dblp.xml.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    assert [r.model_dump(exclude={"source"}) for r in dblp.read(gz)] == expected


def test_dblp_example_excludes_editors_proceedings_www_and_maps_aliases():
    path = EXAMPLES / "dblp" / "lm-pretraining.xml"
    items = list(dblp.read(path))
    assert problems(items) == []
    recs = papers(items)
    assert len(recs) == 9  # ten records: the proceedings and the person record are not papers
    assert not any("proceedings" in i or "homepages" in i for r in recs for i in r.ids)
    names = {a.name for r in recs for a in r.authors}
    assert not names & {"Jill Burstein", "Christy Doran", "Thamar Solorio"}  # editors
    corr = by_id(recs, "dblp:journals/corr/abs-1810-04805")
    assert (corr.ids, corr.kind, corr.venue, corr.year) == (
        ("dblp:journals/corr/abs-1810-04805", "arxiv:1810.04805"), "preprint", "CoRR", 2018)
    naacl = by_id(recs, "dblp:conf/naacl/DevlinCLT19")
    assert (naacl.ids[1], naacl.kind, naacl.venue) == ("doi:10.18653/v1/n19-1423", "inproceedings", "NAACL-HLT (1)")
    qlora = by_id(recs, "arxiv:2305.14314")
    assert qlora.ids == ("dblp:journals/corr/abs-2305-14314", "arxiv:2305.14314", "doi:10.48550/arxiv.2305.14314")
    # The person record lists "Luke S. Zettlemoyer" as another name: one DBLP person id for both.
    uai = by_id(recs, "dblp:conf/uai/ZettlemoyerC05").authors[0]
    assert (uai.name, uai.ids) == ("Luke S. Zettlemoyer", ("dblp:Luke Zettlemoyer",))
    lstm = by_id(recs, "dblp:journals/neco/HochreiterS97")
    assert [a.name for a in lstm.authors] == ["Sepp Hochreiter", "Jürgen Schmidhuber"]
    [person] = list(dblp.person_aliases(path))
    assert (person.key, person.names, person.ids) == (
        "homepages/z/LukeZettlemoyer", ("Luke Zettlemoyer", "Luke S. Zettlemoyer"), ("dblp:Luke Zettlemoyer",))


def test_dblp_fixture_without_doctype():
    path = FIXTURES / "dblp" / "mixed.xml"
    items = list(dblp.read(path))
    assert [(p.line, p.message) for p in problems(items)] == [(49, "DBLP article journals/test/NoTitle: no title")]
    recs = papers(items)
    assert [(r.line, r.kind) for r in recs] == [(4, "thesis"), (10, "inproceedings"), (26, "inproceedings"), (41, "article")]
    thesis = recs[0]
    assert [(a.name, [f.name for f in a.affiliations]) for a in thesis.authors] == [
        ("Ilya Sutskever", ["University of Toronto, Canada"])]
    assert recs[1].ids == ("dblp:conf/nips/VaswaniSPUJGKP17", "arxiv:1706.03762") and len(recs[1].authors) == 8
    assert recs[2].title == "k-means++: the advantages of careful seeding"  # inline <i> kept as text, lines folded
    assert recs[3].authors[1].name == "Jürgen Schmidhuber"


def test_dblp_truncated_file_keeps_earlier_records():
    data = (FIXTURES / "dblp" / "mixed.xml").read_bytes()
    cut = data[: data.index(b"<article")]  # ends inside the root, before the LSTM article
    items = list(dblp.parse(io.BytesIO(cut), "cut.xml"))
    assert [r.title for r in papers(items)] == [
        "Training Recurrent Neural Networks", "Attention is All you Need", "k-means++: the advantages of careful seeding"]
    [problem] = problems(items)
    assert problem.message.startswith("XML not well-formed, reading stopped") and problem.line > 40


def test_dblp_never_loads_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE dblp [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
        '<dblp><article key="a/b/C"><author>A&x;B</author><title>T&x;</title></article></dblp>'
    )
    items = list(dblp.parse(io.BytesIO(xml.encode()), str(tmp_path / "x.xml")))
    assert "TOPSECRET" not in repr(items)


def test_dblp_entity_expansion_is_capped():
    entities = '<!ENTITY a0 "xxxxxxxxxx">' + "".join(
        f'<!ENTITY a{i} "' + f"&a{i - 1};" * 10 + '">' for i in range(1, 10))
    xml = f'<?xml version="1.0"?><!DOCTYPE dblp [{entities}]><dblp><article key="k"><title>&a9;</title></article></dblp>'
    [problem] = list(dblp.parse(io.BytesIO(xml.encode()), "laughs.xml"))
    assert isinstance(problem, Problem) and "amplification" in problem.message


def test_dblp_id_helpers():
    assert dblp._arxiv_from_corr("journals/corr/abs-1312-6168", None) == "arxiv:1312.6168"
    assert dblp._arxiv_from_corr("journals/corr/cs-CL-0108005", None) == "arxiv:cs/0108005"
    assert dblp._arxiv_from_corr("journals/corr/X", "abs/2305.14314") == "arxiv:2305.14314"
    assert dblp._ee_id("https://arxiv.org/pdf/math.GT/0309136v2") == "arxiv:math/0309136"
    assert dblp._ee_id("https://doi.org/10.18653/V1/N19-1423") == "doi:10.18653/v1/n19-1423"
    assert dblp._ee_id("https://openreview.net/forum?id=rJ4km2R5t7") is None


def _gen_dblp():
    spec = importlib.util.spec_from_file_location("gen_dblp", ROOT / "benchmarks" / "gen_dblp.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dblp_reads_what_the_generator_wrote():
    out = io.BytesIO()
    stats = _gen_dblp().generate(out, records=3000, authors=1500, seed=3)
    items = list(dblp.parse(io.BytesIO(out.getvalue()), "gen.xml"))
    assert problems(items) == []
    recs = papers(items)
    assert len(recs) == stats["papers"]
    assert sum(len(r.authors) for r in recs) == stats["author_slots"]
    assert len({a.ids[0] for r in recs for a in r.authors}) == stats["distinct_authors"]
    assert sum(1 for r in recs for a in r.authors if len(a.ids) == 2) == stats["orcid_attributes"]
    assert sum(r.kind == "preprint" for r in recs) == stats["kinds"]["corr"]
    assert all(not a.name[-1].isdigit() for r in recs for a in r.authors)


# ------------------------------------------------------------------------------------------- OpenAlex


def test_openalex_api_page_example():
    path = EXAMPLES / "openalex" / "lm-pretraining.json"
    recs = list(openalex.read(path))
    assert all(isinstance(r, PaperRecord) for r in recs)
    assert [(r.record, r.line) for r in recs] == [(1, 0), (2, 0), (3, 0)]
    qlora, roberta, spanbert = recs
    assert qlora.ids == ("doi:10.48550/arxiv.2305.14314", "arxiv:2305.14314")
    assert (qlora.year, qlora.date.isoformat(), qlora.kind, qlora.venue) == (
        2023, "2023-05-23", "preprint", "arXiv (Cornell University)")
    assert qlora.abstract.startswith("Low-rank adapters are trained through a frozen 4-bit quantized model")
    uw = qlora.authors[0].affiliations[0]
    assert (uw.name, uw.ids, uw.country) == ("University of Washington", ("ror:00cvxb145", "openalex:I201448701"), "US")
    luke = roberta.authors[8]
    assert (luke.name, luke.position, [a.name for a in luke.affiliations]) == (
        "Luke Zettlemoyer", 8, ["University of Washington", "Facebook AI"])
    assert [a.name for a in roberta.authors[0].affiliations] == ["Facebook AI"]  # per author, not per paper
    assert (spanbert.kind, spanbert.year, spanbert.date, spanbert.ids) == ("article", 2020, None, ("doi:10.1162/tacl_a_00300",))
    assert [a.name for a in spanbert.authors[1].affiliations] == ["Princeton University"]  # raw string, no institution


def test_openalex_json_lines_nulls_and_problems(tmp_path):
    path = FIXTURES / "openalex" / "works.jsonl"
    items = list(openalex.read(path))
    assert [(p.line, p.message.split(" (")[0]) for p in problems(items)] == [
        (3, "not a JSON value"), (4, "OpenAlex openalex:W1: no title"),
        (5, "authorship 2 names no author"), (5, "authorship 3 names no author")]  # left out, and said so
    lstm, thesis = papers(items)
    assert (lstm.line, lstm.ids, lstm.date.isoformat(), lstm.venue, lstm.abstract) == (
        1, ("doi:10.1162/neco.1997.9.8.1735", "pmid:9377276"), "1997-11-15", "Neural Computation", None)
    assert [(a.name, a.ids, [f.name for f in a.affiliations]) for a in lstm.authors] == [
        ("Sepp Hochreiter", (), ["Fakultät für Informatik, Technische Universität München"]),
        ("Jürgen Schmidhuber", (), ["IDSIA"]),
    ]
    # Nulls everywhere: what is there is kept, what is not is left out.
    assert (thesis.line, thesis.year, thesis.kind, thesis.ids, thesis.venue) == (5, None, "thesis", (), None)
    assert [(a.name, [(f.name, f.country) for f in a.affiliations]) for a in thesis.authors] == [
        ("Ilya Sutskever", [("University of Toronto", "CA")])]
    gz = tmp_path / "part_000.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    assert [r.model_dump(exclude={"source"}) for r in openalex.read(gz)] == [
        r.model_dump(exclude={"source"}) for r in items]


def test_openalex_single_work_list_and_ids():
    work = {
        "id": "https://openalex.org/W2741809807",
        "ids": {"openalex": "https://openalex.org/W2741809807", "pmid": "https://pubmed.ncbi.nlm.nih.gov/29456894"},
        "title": "x",
        "type": "article",
        "is_authors_truncated": True,
        "primary_location": {"source": {"display_name": "Conf", "type": "conference"}},
        "locations": [{"landing_page_url": "https://arxiv.org/abs/1706.03762v5"}],
        "authorships": [{"author": {"id": "https://openalex.org/A5023888391", "display_name": "D",
                                    "orcid": "https://orcid.org/0000-0002-1825-0097"}}],
    }
    [rec] = list(openalex.parse(io.BytesIO(json.dumps(work, indent=2).encode()), "w.json"))
    assert rec.ids == ("openalex:W2741809807", "pmid:29456894", "arxiv:1706.03762")
    assert (rec.kind, rec.authors_truncated, rec.record) == ("inproceedings", True, 1)
    assert rec.authors[0].ids == ("openalex:A5023888391", "orcid:0000-0002-1825-0097")
    listed = list(openalex.parse(io.BytesIO(json.dumps([work, 7]).encode()), "l.json"))
    assert [type(r).__name__ for r in listed] == ["PaperRecord", "Problem"] and listed[1].record == 2


def test_openalex_older_fields_and_other_entities():
    old = {"id": "https://openalex.org/W2", "title": "x", "host_venue": {"display_name": "Neural Computation"},
           "authorships": [{"author": {"display_name": "Sepp Hochreiter"}, "raw_affiliation_string": "IDSIA",
                            "countries": ["CH"]}]}
    author = {"id": "https://openalex.org/A5023888391", "display_name": "Someone"}
    rec, problem = openalex.parse(io.BytesIO(json.dumps({"meta": {}, "results": [old, author]}).encode()), "p.json")
    assert (rec.venue, [(a.name, a.country) for a in rec.authors[0].affiliations]) == (
        "Neural Computation", [("IDSIA", "CH")])
    assert (problem.record, problem.message) == (2, "OpenAlex openalex:A5023888391: not a work")


def test_openalex_sniff_tells_it_from_csl_json_and_arxiv():
    assert openalex.sniff((EXAMPLES / "openalex" / "lm-pretraining.json").read_bytes())
    assert openalex.sniff((FIXTURES / "openalex" / "works.jsonl").read_bytes())
    assert not openalex.sniff((EXAMPLES / "arxiv" / "lm-pretraining.jsonl").read_bytes())
    csl = FIXTURES / "csl-json" / "zotero.json"
    if csl.exists():
        assert not openalex.sniff(csl.read_bytes())
    assert not openalex.sniff(b'[{"id": "devlin2019", "type": "paper-conference", "title": "BERT", '
                              b'"author": [{"family": "Devlin", "given": "Jacob"}]}]')


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (EXAMPLES / "arxiv" / "lm-pretraining.jsonl", "arxiv"),
        (FIXTURES / "arxiv" / "tex-and-errors.jsonl", "arxiv"),
        (EXAMPLES / "dblp" / "lm-pretraining.xml", "dblp"),
        (FIXTURES / "dblp" / "mixed.xml", "dblp"),
        (EXAMPLES / "openalex" / "lm-pretraining.json", "openalex"),
        (FIXTURES / "openalex" / "works.jsonl", "openalex"),
    ],
    ids=lambda v: v if isinstance(v, str) else v.name,
)
def test_exactly_one_reader_sniffs_each_data_file(path, expected):
    import importlib

    names = ["arxiv", "dblp", "openalex", "bibtex", "ris", "csljson", "scopus", "wos", "profile"]
    modules = []
    for name in names:
        try:
            modules.append(importlib.import_module(f"graphkit.readers.{name}"))
        except ImportError:  # a reader another engineer has not landed yet
            continue
    head = path.read_bytes()[: 64 * 1024]
    assert [m.FORMAT for m in modules if m.sniff(head)] == [expected]


# ------------------------------------------------------------------------------------ property-based

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "title", "authorships", "author", "institutions", "ror", "orcid", "doi", "ids",
                         "authors_parsed", "versions", "created", "results", "abstract_inverted_index",
                         "publication_year", "primary_location", "source", "type", "raw_author_name",
                         "affiliations", "locations", "journal-ref", "categories", "pmid", "display_name"])
        | st.text(max_size=8),
        children, max_size=6),
    max_leaves=25,
)

_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _all_records_or_problems(items):
    assert all(isinstance(r, (PaperRecord, Problem)) for r in items)


@_SETTINGS
@given(st.binary(max_size=2000))
def test_no_reader_raises_on_arbitrary_bytes(data):
    for module in (arxiv, dblp, openalex):
        _all_records_or_problems(list(module.parse(io.BytesIO(data), "x")))
        assert isinstance(module.sniff(data), bool)


@_SETTINGS
@given(json_values)
def test_json_readers_never_raise_on_odd_shapes(value):
    one_line = json.dumps(value).encode()
    for module in (arxiv, openalex):
        _all_records_or_problems(list(module.parse(io.BytesIO(one_line + b"\n" + one_line), "x")))
    _all_records_or_problems(list(openalex.parse(io.BytesIO(json.dumps({"results": [value]}, indent=1).encode()), "x")))


@_SETTINGS
@given(st.text(max_size=300))
def test_dblp_never_raises_on_arbitrary_record_text(text):
    xml = f'<?xml version="1.0" encoding="UTF-8"?><dblp><article key="k">{text}</article>{text}</dblp>'
    _all_records_or_problems(list(dblp.parse(io.BytesIO(xml.encode("utf-8", "surrogatepass")), "x")))
