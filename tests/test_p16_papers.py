"""Which records are one paper (session 16, from the outside QA round in /work/coord16/qa-sources): a conference
paper and its journal version sharing an arXiv eprint, generic titles ("Introduction.", "Editorial.", "Preface."),
a reply with its paper's title, front matter of two years, record order, and a record that fits two versions.

Every input is written here and built by the real pipeline (the CLI once, for the database)."""

from __future__ import annotations

import datetime as dt
import json

from graphkit.pipeline import build_knowledge_graph
from tests.cli import build_into, query

AS_OF = dt.date(2025, 1, 1)


def _build(*paths):
    """Build the inputs in the order given: the result, its report's paper merges (sorted record lists) and the
    pairs of papers listed as ambiguous (each as its two sorted record lists)."""
    result = build_knowledge_graph(list(paths), as_of=AS_OF)
    report = result.report()
    merged = sorted(sorted(m["merged"]) for m in report["merges"] if m["kind"] == "paper")
    records_of = {}
    for pid, entity in result.resolution.papers.items():
        records_of[pid] = entity.sources
    ambiguous = [a for a in report["ambiguous"] if a["a"].startswith("paper:")]
    return result, merged, ambiguous


def _names(merged, folder) -> list[list[str]]:
    """Merged record lists without the folder part of their file names."""
    return [[loc.replace(str(folder) + "/", "") for loc in group] for group in merged]


def _arxiv(path, *records):
    path.write_text("".join(json.dumps({
        "id": arxiv_id, "submitter": None, "authors": authors, "title": title, "comments": None,
        "journal-ref": None, "doi": None, "report-no": None, "categories": "cs.CL", "license": None,
        "abstract": f"  Abstract of {arxiv_id}.\n",
        "versions": [{"version": "v1", "created": f"Mon, 2 Apr {year} 10:00:00 GMT"}], "update_date": f"{year}-05-01",
        "authors_parsed": [[n.split()[-1], n.split()[0], ""] for n in authors.split(", ")],
    }) + "\n" for arxiv_id, authors, title, year in records), encoding="utf-8")


def _dblp(path, body: str):
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<dblp>\n{body}</dblp>\n', encoding="utf-8")


def test_a_conference_paper_and_its_journal_version_sharing_an_arxiv_eprint_are_two_papers_and_reported(tmp_path):
    bib = tmp_path / "versions.bib"
    bib.write_text(
        '@inproceedings{conf,\n  title = "Sparse Lexical Alignment for Low-Resource Translation",\n'
        '  author = "Zorbanova, Alice and Quellhorst, Bruno",\n  booktitle = "Proceedings of the Workshop on MT",\n'
        '  year = "2019", doi = "10.18653/v1/W19-9901", eprint = "1901.09901", archivePrefix = "arXiv"}\n\n'
        '@article{jour,\n  title = "Sparse Lexical Alignment for Low-Resource Translation",\n'
        '  author = "Zorbanova, Alice and Quellhorst, Bruno",\n  journal = "Transactions of the ACL", year = "2020",\n'
        '  doi = "10.1162/tacl_a_09901", eprint = "1901.09901", archivePrefix = "arXiv"}\n', encoding="utf-8")
    arxiv = tmp_path / "preprints.jsonl"
    _arxiv(arxiv, ("1901.09901", "A. Zorbanova, B. Quellhorst", "Sparse lexical alignment for low-resource translation", 2019))
    for order in ((bib, arxiv), (arxiv, bib)):
        result, merged, ambiguous = _build(*order)
        assert result.counts()["Paper"] == 2
        # the preprint joins the version of its own year; the journal version stays a paper of its own
        assert _names(merged, tmp_path) == [["preprints.jsonl:1", "versions.bib:1"]]
        assert len(ambiguous) == 1
        assert "preprints.jsonl:1 and" in ambiguous[0]["reason"] and "versions.bib:7" in ambiguous[0]["reason"]
        assert "10.1162/tacl_a_09901" in ambiguous[0]["reason"]


def test_generic_titles_of_two_dblp_keys_or_two_homonyms_are_two_papers_and_make_no_coauthor_edge(tmp_path):
    _dblp(tmp_path / "front.xml", """<incollection key="reference/db/Wang18">
<author>Wei Wang 0001</author><title>Introduction.</title><year>2018</year>
<booktitle>Encyclopedia of Database Systems</booktitle></incollection>
<incollection key="reference/bio/Wang18">
<author>Wei Wang 0002</author><author>Lan Zhou</author><title>Introduction.</title><year>2018</year>
<booktitle>Handbook of Proteomics</booktitle></incollection>
<inproceedings key="conf/iconip/LiuX17b">
<author>Derong Liu</author><author>Shengli Xie</author><title>Editorial.</title><year>2017</year>
<booktitle>ICONIP (3)</booktitle></inproceedings>
<inproceedings key="conf/iconip/LiuX17c">
<author>Derong Liu</author><author>Shengli Xie</author><title>Editorial.</title><year>2017</year>
<booktitle>ICONIP (4)</booktitle></inproceedings>
<article key="journals/kais/Liu17">
<author>Derong Liu</author><author>Shengli Xie</author><title>Adaptive Dynamic Programming for Control.</title>
<year>2017</year><journal>Knowl. Inf. Syst.</journal></article>
<article key="journals/corr/abs-1702-00001">
<author>Derong Liu</author><author>Shengli Xie</author><title>Adaptive dynamic programming for control.</title>
<year>2017</year><volume>abs/1702.00001</volume><journal>CoRR</journal></article>
""")
    out = build_into(tmp_path, tmp_path / "front.xml", as_of="2025-01-01")
    titles = sorted(row["p.title"] for row in query(out, "MATCH (p:Paper) RETURN p.title"))
    # two Introductions, two Editorials; the paper and its CoRR preprint are still one
    assert titles == ["Adaptive Dynamic Programming for Control", "Editorial", "Editorial", "Introduction", "Introduction"]
    pairs = query(out, "MATCH (a:Author)-[:COAUTHORED]->(b:Author) RETURN a.name AS a, b.name AS b")
    assert sorted(tuple(sorted((r["a"], r["b"]))) for r in pairs) == [("Derong Liu", "Shengli Xie"), ("Lan Zhou", "Wei Wang")]
    wang_of = query(out, "MATCH (a:Author)-[:AUTHORED]->(p:Paper) WHERE a.name = 'Wei Wang' RETURN a.id AS a, p.id AS p")
    assert len(wang_of) == 2 and len({r["a"] for r in wang_of}) == 2 and len({r["p"] for r in wang_of}) == 2


def test_a_reply_with_its_papers_title_by_other_people_is_another_paper_but_a_duplicate_entry_merges(tmp_path):
    bib = tmp_path / "cl.bib"
    title = "On the Evaluation of Machine Translation Systems Trained with Back-Translation"
    bib.write_text(
        f'@article{{paper,\n  title = "{title}",\n  author = "Nguyen, Thi Mai and Berglund, Sven",\n'
        '  journal = "Computational Linguistics", year = "2021"}\n\n'
        f'@article{{reply,\n  title = "{title}",\n  author = "Nguyen, Van Huy and Okafor, Chidi",\n'
        '  journal = "Computational Linguistics", year = "2021"}\n\n'
        '@inproceedings{dup1,\n  title = "(Meta-) Evaluation of Machine Translation",\n'
        '  author = "Callison-Burch, Chris and Fordyce, Cameron and Koehn, Philipp",\n  booktitle = "WMT", year = "2007"}\n\n'
        '@inproceedings{dup2,\n  title = "(Meta-) Evaluation of Machine Translation",\n'
        '  author = "Callison-Burch, Chris and Fordyce, Cameron and Koehn, Philipp",\n  booktitle = "WMT", year = "2007"}\n',
        encoding="utf-8")
    result, merged, _ = _build(bib)
    assert result.counts()["Paper"] == 3
    assert _names(merged, tmp_path) == [["cl.bib:11", "cl.bib:16"]]  # one BibTeX file's true duplicate still merges


def test_front_matter_of_two_years_or_two_editors_is_two_texts_and_one_of_two_files_is_one(tmp_path):
    _dblp(tmp_path / "lrec.xml", """<inproceedings key="conf/lrec/Preface2020">
<title>Preface.</title><year>2020</year><booktitle>LREC</booktitle></inproceedings>
<inproceedings key="conf/lrec/Preface2021">
<title>Preface.</title><year>2021</year><booktitle>LREC</booktitle></inproceedings>
""")
    bib = tmp_path / "front.bib"
    bib.write_text(
        '@inproceedings{pre20,\n  title = "Preface",\n  booktitle = "LREC", year = "2020"}\n\n'
        '@proceedings{wnut15,\n  title = "Proceedings of the Workshop on Noisy User-generated Text",\n'
        '  editor = "Baldwin, Tim and de Marneffe, Marie-Catherine", year = "2015",\n'
        '  publisher = "Association for Computational Linguistics"}\n\n'
        '@proceedings{wnut16,\n  title = "Proceedings of the Workshop on Noisy User-generated Text",\n'
        '  editor = "Xu, Wei and Ritter, Alan", year = "2016", publisher = "Association for Computational Linguistics"}\n',
        encoding="utf-8")
    for order in ((tmp_path / "lrec.xml", bib), (bib, tmp_path / "lrec.xml")):
        result, merged, _ = _build(*order)
        assert result.counts()["Paper"] == 4
        assert _names(merged, tmp_path) == [["front.bib:1", "lrec.xml:3"]]  # LREC 2020's preface from two files


def test_title_matching_does_not_depend_on_where_an_unrelated_record_of_the_title_stands(tmp_path):
    entries = {
        "school": '@inproceedings{school,\n  title = "Neural Machine Translation",\n'
                  '  author = "Ferreira, Joana and Lindqvist, Per",\n  booktitle = "Lisbon NLP Summer School", year = "2019"}\n\n',
        "notes": '@article{notes,\n  title = "Neural Machine Translation",\n  author = "Ferreira, Joana and Lindqvist, Per",\n'
                 '  journal = "Lisbon Lecture Notes in NLP", year = "2020"}\n\n',
        "handbook": '@incollection{handbook,\n  title = "Neural Machine Translation",\n  author = "Okonkwo, Ada",\n'
                    '  booktitle = "Handbook of Computational Linguistics", year = "2020"}\n\n',
    }
    for n, order in enumerate((("school", "handbook", "notes"), ("school", "notes", "handbook"),
                               ("handbook", "notes", "school"))):
        bib = tmp_path / f"nmt{n}.bib"
        bib.write_text("".join(entries[k] for k in order), encoding="utf-8")
        result, merged, _ = _build(bib)
        assert result.counts()["Paper"] == 2, order
        lines = {k: 1 + "".join(entries[x] for x in order[:i]).count("\n") for i, k in enumerate(order)}
        assert _names(merged, tmp_path) == [sorted(f"nmt{n}.bib:{lines[k]}" for k in ("school", "notes"))], order


def test_a_record_without_a_doi_that_fits_a_workshop_paper_and_its_journal_version_is_reported(tmp_path):
    bib = tmp_path / "versions.bib"
    bib.write_text(
        '@inproceedings{ws,\n  title = "Morphological Probing of Multilingual Encoders",\n'
        '  author = "Ventimiglio, Chiara and Oblonsky, Dmitri",\n  booktitle = "Proceedings of the BlackboxNLP Workshop",\n'
        '  year = "2019", doi = "10.18653/v1/W19-9902"}\n\n'
        '@article{j,\n  title = "Morphological Probing of Multilingual Encoders",\n'
        '  author = "Ventimiglio, Chiara and Oblonsky, Dmitri",\n  journal = "Computational Linguistics", year = "2020",\n'
        '  doi = "10.1162/coli_a_09902"}\n', encoding="utf-8")
    _dblp(tmp_path / "dblp.xml", """<inproceedings key="conf/blackbox/VentimiglioO19">
<author>Chiara Ventimiglio</author><author>Dmitri Oblonsky</author>
<title>Morphological Probing of Multilingual Encoders.</title><year>2019</year><booktitle>BlackboxNLP@ACL</booktitle>
</inproceedings>
""")
    for order in ((bib, tmp_path / "dblp.xml"), (tmp_path / "dblp.xml", bib)):
        result, merged, ambiguous = _build(*order)
        assert result.counts()["Paper"] == 2
        assert _names(merged, tmp_path) == [["dblp.xml:3", "versions.bib:1"]]  # the version of its own year
        assert len(ambiguous) == 1
        reason = ambiguous[0]["reason"]
        assert "dblp.xml:3" in reason and "versions.bib:7" in reason and "10.1162/coli_a_09902" in reason
        assert sorted(ambiguous[0]["names"]) == ["Morphological Probing of Multilingual Encoders"] * 2


def test_one_paper_listed_a_year_apart_in_one_venue_or_with_a_middle_name_first_is_one_paper(tmp_path):
    # the second QA round: the first version of these rules split an article's online-first and issue years,
    # a conference paper listed under two years, and a one-author paper by R. Thomas McCoy / Tom McCoy
    (tmp_path / "zotero.bib").write_text(
        '@article{okafor2020, title = {Citation lags across disciplines}, author = {Okafor, Chidi and Lindqvist, Per},'
        ' journal = {Journal of Informetrics}, year = {2020}, doi = {10.1016/j.joi.2019.101001}}\n'
        '@inproceedings{ferreira2020, title = {Robust curriculum learning under label noise},'
        ' author = {Ferreira, Joana and Brandt, Ole}, booktitle = {ICLR}, year = {2020}}\n'
        '@inproceedings{mccoy2019, title = {Parallel prefix sums revisited}, author = {McCoy, Tom},'
        ' booktitle = {SPAA}, year = {2019}}\n', encoding="utf-8")
    (tmp_path / "mendeley.bib").write_text(
        '@article{Okafor2019, title = {Citation lags across disciplines}, author = {Chidi Okafor and Per Lindqvist},'
        ' journal = {Journal of Informetrics}, year = {2019}}\n'
        '@inproceedings{Ferreira2019, title = {Robust Curriculum Learning under Label Noise},'
        ' author = {Joana Ferreira and Ole Brandt}, booktitle = {ICLR}, year = {2019}}\n'
        '@inproceedings{McCoy2019, title = {Parallel Prefix Sums Revisited}, author = {R. Thomas McCoy},'
        ' booktitle = {SPAA}, year = {2019}}\n', encoding="utf-8")
    result, merged, _ = _build(tmp_path / "zotero.bib", tmp_path / "mendeley.bib")
    assert result.counts()["Paper"] == 3
    assert _names(merged, tmp_path) == [["mendeley.bib:1", "zotero.bib:1"], ["mendeley.bib:2", "zotero.bib:2"],
                                        ["mendeley.bib:3", "zotero.bib:3"]]
