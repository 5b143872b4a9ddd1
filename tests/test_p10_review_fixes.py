"""Regression tests for what the session-10 review of unseen inputs found in the JSON, XML and DBLP readers,
names, and resolution (papers, institutions, authors).

Inputs are written here in the shape the real exporters give them (OpenAlex API pages and snapshot parts,
Crossref and Zotero CSL-JSON, dblp.xml with its disambiguation pages), from public bibliographic facts.
Expectations are read off the inputs, never computed by the code under test.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.models import PaperRecord, Problem
from graphkit.pipeline import build_knowledge_graph, extract_all
from graphkit.readers import arxiv, csljson, dblp, openalex
from graphkit.readers._ids import doi_id
from graphkit.readers._names import split_name

from .conftest import AS_OF

runner = CliRunner()


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _build(*paths):
    return build_knowledge_graph(list(paths), as_of=AS_OF)


def _work(wid: str, title: str, year: int, authors: list[tuple], *, doi: str | None = None, kind: str = "article",
          truncated: bool = False) -> dict:
    """An OpenAlex work as the API returns it (the fields graphkit reads)."""
    return {
        "id": f"https://openalex.org/{wid}", "doi": f"https://doi.org/{doi}" if doi else None, "title": title,
        "display_name": title, "publication_year": year, "type": kind, "is_authors_truncated": truncated,
        "authorships": [{
            "author_position": "first" if i == 0 else "middle", "raw_author_name": name,
            "author": {"id": aid, "display_name": name, "orcid": None},
            "institutions": [{"id": f"https://openalex.org/{iid}", "display_name": inst, "ror": f"https://ror.org/{ror}",
                              "country_code": cc}] if inst else [],
        } for i, (name, aid, inst, iid, ror, cc) in enumerate(authors)],
    }


# ------------------------------------------------------------------ identifiers, names


def test_sici_doi_keeps_its_angle_brackets():
    # Lorenz 1963 and the next article of that volume: cut at "<" they would share one DOI
    a = doi_id("https://doi.org/10.1175/1520-0469(1963)020<0130:DNF>2.0.CO;2")
    b = doi_id("10.1175/1520-0469(1963)020<0448:TMOV>2.0.CO;2")
    assert a == "doi:10.1175/1520-0469(1963)020<0130:dnf>2.0.co;2"
    assert a != b
    assert doi_id("<https://doi.org/10.1145/3219819.3219999>") == "doi:10.1145/3219819.3219999"


def test_two_sici_papers_stay_two(tmp_path):
    items = [{"id": f"lorenz{n}", "type": "article-journal", "title": title, "DOI": doi,
              "author": [{"family": "Lorenz", "given": "Edward N."}], "issued": {"date-parts": [[1963]]},
              "container-title": "Journal of the Atmospheric Sciences"}
             for n, (title, doi) in enumerate([
                 ("Deterministic Nonperiodic Flow", "10.1175/1520-0469(1963)020<0130:DNF>2.0.CO;2"),
                 ("The Mechanics of Vacillation", "10.1175/1520-0469(1963)020<0448:TMOV>2.0.CO;2")])]
    result = _build(_write(tmp_path / "zotero.json", json.dumps(items)))
    assert result.counts()["Paper"] == 2
    assert not [m for m in result.resolution.merges if m.kind == "paper"]


def test_generational_suffix_is_not_a_name_part():
    for written in ("Guy L. Steele, Jr.", "Guy L. Steele Jr.", "Steele, Jr., Guy L.", "Steele, Guy L., Jr."):
        person = split_name(written)
        assert (person.given, person.family, person.name) == ("Guy L.", "Steele", "Guy L. Steele Jr."), written
    assert split_name("Petrov, IV").family == "Petrov"  # Web of Science initials, not a numeral


def test_initials_run_together_are_initials():
    assert split_name("Muller, KR").given == "K. R."
    assert split_name("Newman, Mark EJ").name == "Mark E. J. Newman"
    assert split_name("LI, YU").given == "YU"  # a name in capitals is left as written


# ------------------------------------------------------------------ console


def test_a_problem_on_line_100_prints_its_line_number(tmp_path):
    lines = [json.dumps(_work(f"W{n}", f"Paper {n}", 2020, [("Ada Lovelace", None, None, None, None, None)]))
             for n in range(1, 100)]
    lines.append(json.dumps({**_work("W100", "x", 2020, []), "title": None, "display_name": None}))
    path = _write(tmp_path / "works.jsonl", "\n".join(lines) + "\n")
    out = runner.invoke(app, ["extract", str(path), "--format", "json"])
    assert f"{path}:100:" in out.stderr


# ------------------------------------------------------------------ OpenAlex


def test_openalex_utf16_select_page_entities_and_snapshot(tmp_path):
    work = _work("W2963403868", "Attention Is All You Need", 2017, [("Ashish Vaswani", None, None, None, None, None)])
    utf16 = _write(tmp_path / "ps.json", b"\xff\xfe" + json.dumps(work).encode("utf-16-le"))
    select = _write(tmp_path / "select.json", json.dumps({
        "meta": {"count": 2, "db_response_time_ms": 12, "page": 1, "per_page": 25},
        "results": [{"doi": "https://doi.org/10.1162/tacl_a_00300", "title": "SpanBERT", "publication_year": 2020,
                     "type": "article"}, {"title": "RoBERTa", "publication_year": 2019, "type": "preprint"}]}))
    people = _write(tmp_path / "authors.json", json.dumps({"meta": {"count": 1}, "results": [
        {"id": "https://openalex.org/A5009876543", "display_name": "Luke Zettlemoyer", "works_count": 300}]}))
    snapshot = tmp_path / "snapshot" / "data" / "works"
    _write(snapshot / "manifest", json.dumps({"entries": [{"url": "s3://openalex/data/works/updated_date=2024-05-01/part_000.gz",
                                                          "meta": {"content_length": 1, "record_count": 1}}]}))
    _write(snapshot / "updated_date=2024-05-01" / "part_000.gz", gzip.compress((json.dumps(work) + "\n").encode()))
    readers: dict = {}
    profiles, records, problems, files = extract_all([utf16, select, people, tmp_path / "snapshot"], as_of=AS_OF, readers=readers)
    assert sorted(r.title for r in records) == ["Attention Is All You Need", "Attention Is All You Need", "RoBERTa", "SpanBERT"]
    assert readers == {"openalex": {"sniffed": 4}}
    assert [str(p) for p in problems] == [f"{people}:1: record 1: OpenAlex openalex:A5009876543: not a work"]


def test_csl_json_citing_an_openalex_url_is_still_csl(tmp_path):
    items = [{"id": "oa-docs", "type": "webpage", "title": "Works - OpenAlex technical documentation",
              "URL": "https://docs.openalex.org/api-entities/works", "author": [{"literal": "OurResearch"}]},
             {"id": "priem2022", "type": "article", "title": "OpenAlex: A fully-open index of scholarly works, authors, venues, "
              "institutions, and concepts", "author": [{"family": "Priem", "given": "Jason"}], "issued": {"date-parts": [[2022]]},
              "DOI": "10.48550/arXiv.2205.01833"}]
    path = _write(tmp_path / "library.json", json.dumps(items))
    readers: dict = {}
    _, records, problems, _ = extract_all([path], as_of=AS_OF, readers=readers)
    assert readers == {"csl-json": {"sniffed": 1}} and len(records) == 2 and not problems


def test_openalex_list_cut_at_the_limit_forms_no_coauthor_pairs(tmp_path):
    names = [(f"Author {n:03d} Bloom", None, None, None, None, None) for n in range(100)]
    page = {"meta": {"count": 1}, "results": [_work("W4385245566", "BLOOM: A 176B-Parameter Open-Access Multilingual Language Model",
                                                   2022, names, truncated=True)]}
    result = _build(_write(tmp_path / "page.json", json.dumps(page)))
    assert result.counts()["AUTHORED"] == 100
    assert result.counts()["COAUTHORED"] == 0
    assert result.hyperauthored == 1
    shown = dict(page["results"][0], is_authors_truncated=False)  # 100 shown and complete: within the limit
    result = _build(_write(tmp_path / "whole.json", json.dumps(shown)))
    assert result.counts()["COAUTHORED"] == 100 * 99 // 2 and result.hyperauthored == 0


# ------------------------------------------------------------------ institutions and affiliations


def test_same_name_different_ror_is_two_institutions(tmp_path):
    works = [_work("W1", "Privacy in mobile sensing", 2021, [("Ana Ortiz", None, "Northeastern University", "I12912129", "04t5xt781", "US")]),
             _work("W2", "Rolling bearing fault diagnosis", 2021, [("Hao Liu", None, "Northeastern University", "I9224756", "03awzbc87", "CN")])]
    result = _build(_write(tmp_path / "page.json", json.dumps({"meta": {"count": 2}, "results": works})))
    insts = result.resolution.institutions if result.resolution.institutions else None
    table = next(t for t in result.tables.nodes if t.name == "Institution")
    rors = sorted(table.columns["ror"])
    assert rors == ["03awzbc87", "04t5xt781"], insts
    assert len(set(table.columns["id"])) == 2


def test_one_ror_under_two_names_does_not_split_an_author(tmp_path):
    # a common name with no author id: only the affiliations place them, and both are ror:01zbnvs85
    works = [_work("W1", "RoBERTa: A Robustly Optimized BERT Pretraining Approach", 2019,
                   [("Wei Chen", None, "Facebook (United States)", "I4210114444", "01zbnvs85", "US")]),
             _work("W2", "BART: Denoising Sequence-to-Sequence Pre-training", 2020,
                   [("Wei Chen", None, "Meta (United States)", "I4210114444", "01zbnvs85", "US")])]
    result = _build(_write(tmp_path / "works.json", json.dumps(works)))
    authors = next(t for t in result.tables.nodes if t.name == "Author")
    assert list(authors.columns["name"]) == ["Wei Chen"]
    assert result.report()["identities"]["counts"]["identity_split"] == 0


# ------------------------------------------------------------------ CSL-JSON


def test_csl_dates_people_and_crossref_fields(tmp_path):
    items = [
        {"id": "babbage", "type": "book", "title": "Passages from the Life of a Philosopher", "issued": "1864",
         "author": [{"family": "Babbage", "given": "Charles"}, None, 17, {"family": ""}, {"given": ""}]},
        {"id": "gpt2", "type": "report", "title": "Language Models are Unsupervised Multitask Learners", "issued": "2019-02-14",
         "author": [{"literal": "Radford, Alec"}, {"literal": "Google, Inc."}]},
        {"type": "journal-article", "title": ["SpanBERT: Improving Pre-training by Representing and Predicting Spans"],
         "DOI": "10.1162/tacl_a_00300", "issued": {"date-parts": [[2020, 12]]},
         "abstract": "<jats:p>We present SpanBERT, a pre-training method.</jats:p>",
         "author": [{"family": "Joshi", "given": "Mandar", "affiliation": [{"name": "University of Washington"}]}]},
    ]
    path = _write(tmp_path / "crossref.json", json.dumps(items))
    with path.open("rb") as stream:
        out = list(csljson.parse(stream, str(path)))
    records = [r for r in out if isinstance(r, PaperRecord)]
    problems = [str(p) for p in out if isinstance(p, Problem)]
    assert [(r.year, r.date and r.date.isoformat()) for r in records] == [(1864, None), (2019, "2019-02-14"), (2020, None)]
    assert [a.name for a in records[0].authors] == ["Charles Babbage"]
    assert problems == [f"{path}: record 1: author entries 2, 3, 4, 5 name nobody; skipped"]
    assert [(a.given, a.family) for a in records[1].authors] == [("Alec", "Radford"), (None, None)]
    assert records[1].authors[1].name == "Google, Inc."
    assert records[2].abstract == "We present SpanBERT, a pre-training method."
    assert [a.name for a in records[2].authors[0].affiliations] == ["University of Washington"]


# ------------------------------------------------------------------ papers


def _csl(key, title, year, kind, doi, authors, venue=None):
    item = {"id": key, "type": kind, "title": title, "issued": {"date-parts": [[year]]},
            "author": [{"family": f, "given": g} for g, f in authors]}
    if doi:
        item["DOI"] = doi
    if venue:
        item["container-title"] = venue
    return item


SPANBERT = [("Mandar", "Joshi"), ("Danqi", "Chen"), ("Yinhan", "Liu")]


def test_published_version_gives_doi_venue_whatever_the_order(tmp_path):
    preprint = _csl("a", "SpanBERT: Improving Pre-training by Representing and Predicting Spans", 2019, "article",
                    "10.48550/arXiv.1907.10529", SPANBERT, "arXiv")
    journal = _csl("b", "SpanBERT: Improving Pre-training by Representing and Predicting Spans", 2020, "article-journal",
                   "10.1162/tacl_a_00300", SPANBERT, "Transactions of the Association for Computational Linguistics")
    seen = []
    for order in ([preprint, journal], [journal, preprint]):
        result = _build(_write(tmp_path / f"{len(seen)}.json", json.dumps(order)))
        papers = next(t for t in result.tables.nodes if t.name == "Paper")
        assert len(papers.columns["id"]) == 1
        seen.append((papers.columns["doi"][0], papers.columns["venue"][0], papers.columns["year"][0], papers.columns["kind"][0]))
    assert seen[0] == seen[1] == ("10.1162/tacl_a_00300", "Transactions of the Association for Computational Linguistics", 2020, "article")


def test_same_title_different_publisher_dois_are_two_papers(tmp_path):
    items = [_csl("e1", "Editorial", 2020, "article-journal", "10.1016/j.patcog.2020.107260", [], "Pattern Recognition"),
             _csl("e2", "Editorial", 2020, "article-journal", "10.1145/3394625", [], "Communications of the ACM"),
             _csl("e3", "Editorial", 2021, "article-journal", None, [], "IEEE TKDE"),
             _csl("k", "Graph Neural Networks for Fraud Detection", 2018, "paper-conference", "10.1145/3219819.3219999",
                  [("Ana", "Ortiz"), ("Wei", "Chen")], "KDD"),
             _csl("t", "Graph Neural Networks for Fraud Detection", 2019, "article-journal", "10.1109/tkde.2019.2911111",
                  [("Ana", "Ortiz"), ("Wei", "Chen")], "IEEE TKDE")]
    result = _build(_write(tmp_path / "lib.json", json.dumps(items)))
    assert result.counts()["Paper"] == 5
    assert not [m for m in result.resolution.merges if m.kind == "paper"]


def test_preprint_and_journal_version_years_apart_are_one_paper(tmp_path):
    authors = [("Ana", "Ortiz"), ("Bruno", "Keller"), ("Chen", "Wei")]
    items = [_csl("p", "Learned Index Structures for Spatial Joins", 2019, "article", "10.48550/arXiv.1905.01234", authors, "arXiv"),
             _csl("j", "Learned Index Structures for Spatial Joins", 2021, "article-journal", "10.1145/3441234", authors,
                  "ACM Transactions on Database Systems"),
             _csl("x", "Learned Index Structures for Spatial Joins", 2022, "article-journal", None, [("Dora", "Nagy")], "Other")]
    result = _build(_write(tmp_path / "lib.json", json.dumps(items)))
    assert result.counts()["Paper"] == 2  # the unrelated 2022 paper by someone else stays apart
    [merge] = [m for m in result.resolution.merges if m.kind == "paper"]
    assert "preprint of 2019 published in 2021" in merge.reason


def test_author_lists_align_where_one_position_is_not_recognised(tmp_path):
    bib = _write(tmp_path / "scopus.bib", """@inproceedings{liu2008,
  author = {Liu, F. T. and Ting, K. M. and Zhou, Z.-H.},
  title = {Isolation Forest},
  booktitle = {2008 Eighth IEEE International Conference on Data Mining},
  year = {2008},
  doi = {10.1109/ICDM.2008.17}
}
""")
    ris = _write(tmp_path / "wos.ris", "TY  - CONF\nAU  - Liu, Fei Tony\nAU  - Ting, Kai Ming\nAU  - Zhou, Zhi-Hua\n"
                 "TI  - Isolation Forest\nPY  - 2008\nDO  - 10.1109/ICDM.2008.17\nER  - \n")
    result = _build(bib, ris)
    assert result.counts()["Paper"] == 1
    assert result.counts()["Author"] == 3
    assert result.counts()["AUTHORED"] == 3


def test_one_author_named_twice_on_a_list_is_reported(tmp_path):
    ris = _write(tmp_path / "wos.ris", "TY  - JOUR\nAU  - Zhang, Wei\nAU  - Li, Ming\nAU  - Zhang, Wei\n"
                 "TI  - Spatio-temporal graph attention networks for traffic forecasting\nPY  - 2021\nER  - \n")
    result = _build(ris)
    report = result.report()
    [twice] = [a for a in report["ambiguous"] if a["a"] == a["b"]]
    assert "positions 0 and 2" in twice["reason"]
    assert report["identities"]["counts"]["identity_ambiguous"] >= 1


# ------------------------------------------------------------------ DBLP and arXiv

_DBLP = """<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE dblp SYSTEM "dblp.dtd">
<dblp>
<article key="journals/pr/Wang20" mdate="2020-05-01"><author>Wei Wang</author><author>Hongbin Zha</author>
<title>Point cloud registration.</title><year>2020</year><journal>Pattern Recognit.</journal></article>
<article key="journals/jcphy/Wang21" mdate="2021-05-01"><author>Wei Wang</author><author>Jan S. Hesthaven</author>
<title>Reduced basis methods.</title><year>2021</year><journal>J. Comput. Phys.</journal></article>
<inproceedings key="conf/icde/WangZL19" mdate="2019-05-01"><author>Wei Wang 0001</author><author>Ying Zhang 0001</author>
<title>Efficient top-k similarity join.</title><year>2019</year><booktitle>ICDE</booktitle></inproceedings>
<www key="homepages/w/WeiWang" mdate="2020-01-01" publtype="disambiguation"><author>Wei Wang</author><title>Home Page</title></www>
<www key="homepages/w/WeiWang1" mdate="2020-01-01"><author>Wei Wang 0001</author><title>Home Page</title></www>
</dblp>
"""


def test_dblp_disambiguation_page_name_is_no_ones_id(tmp_path):
    path = _write(tmp_path / "dblp.xml", _DBLP)
    with path.open("rb") as stream:
        records = [r for r in dblp.parse(stream, str(path)) if isinstance(r, PaperRecord)]
    ids = {(a.name, a.ids) for r in records for a in r.authors if a.name == "Wei Wang"}
    assert ids == {("Wei Wang", ()), ("Wei Wang", ("dblp:Wei Wang 0001",))}
    result = _build(path)
    # no Author carries the id of the disambiguation page's name
    authors = next(t for t in result.tables.nodes if t.name == "Author")
    ids = {i for row in authors.columns["ids"] for i in (row or ())}
    assert "dblp:Wei Wang 0001" in ids and "dblp:Wei Wang" not in ids


def test_dblp_reader_refuses_other_xml_and_a_bad_dtd_names_itself(tmp_path):
    feed = _write(tmp_path / "query.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
                  "<title>arXiv Query</title><entry><title>Attention Is All You Need</title></entry></feed>\n")
    with feed.open("rb") as stream:
        out = list(dblp.parse(stream, str(feed)))
    assert [str(p) for p in out] == [f"{feed}: not DBLP XML (its root element is <feed>, not <dblp>); nothing read"]
    folder = tmp_path / "dump"
    _write(folder / "dblp.xml", _DBLP.replace("Hesthaven", "Hesth&auml;ven"))
    _write(folder / "dblp.dtd", "<html><body><h1>404 Not Found</h1></body></html>\n")
    _, records, problems, _ = extract_all([folder], as_of=AS_OF)
    assert len(records) == 3
    assert [str(p) for p in problems] == [f"{folder / 'dblp.dtd'}: not a DTD (no <!ENTITY or <!ELEMENT declarations); "
                                          "read the XML with the HTML entities built in"]
    assert any(a.name == "Jan S. Hesthäven" for r in records for a in r.authors)


def test_dblp_dtd_beside_the_xml_is_no_problem(tmp_path):
    folder = tmp_path / "dump"
    _write(folder / "dblp.xml", _DBLP)
    _write(folder / "dblp.dtd", '<!ENTITY auml "&#228;">\n<!ELEMENT dblp (article)*>\n')
    _, records, problems, _ = extract_all([folder], as_of=AS_OF)
    assert len(records) == 3 and problems == []


def test_cut_off_dblp_gz_keeps_the_records_before_the_cut(tmp_path):
    body = "".join(f'<article key="journals/x/A{n}"><author>Person {n}</author><title>Title number {n}.</title>'
                   f"<year>2020</year><journal>J</journal></article>\n" for n in range(3000))
    data = gzip.compress(f'<?xml version="1.0"?>\n<dblp>\n{body}</dblp>\n'.encode())
    path = _write(tmp_path / "dblp.xml.gz", data[: len(data) * 6 // 10])
    _, records, problems, _ = extract_all([path], as_of=AS_OF)
    assert 1000 < len(records) < 3000
    assert len(problems) == 1 and "truncated" in str(problems[0]) or "not read" in str(problems[0])


def test_kaggle_arxiv_with_a_long_first_record_is_recognised():
    authors = ", ".join(f"A. Person{n}" for n in range(6000))
    first = json.dumps({"id": "1507.00001", "submitter": "ATLAS Collaboration", "authors": authors,
                        "title": "Combined measurement", "categories": "hep-ex"})
    assert len(first) > 64 * 1024
    assert arxiv.sniff(first.encode()[: 64 * 1024])
    assert not openalex.sniff(first.encode()[: 64 * 1024])


def test_openalex_jsonl_problem_names_the_file_line_only():
    out = list(openalex.parse(io.BytesIO(b'{"id": "https://openalex.org/W1", "title": "A"}\n{"id": "bad\x01"}\n'), "w.jsonl"))
    problems = [str(p) for p in out if isinstance(p, Problem)]
    assert len(problems) == 1 and problems[0].startswith("w.jsonl:2: not a JSON value") and "line 1" not in problems[0]
