"""Where a record was published (session 17): volume, issue and pages read by every reader that has them, and used
by the build to tell apart front matter of two issues and a paper from a reply printed under its title; BibTeX
preprints of servers other than arXiv; inline HTML dropped alike by every text-format reader.

Each input is a small file in its real format, read through ``graphkit extract --format json`` or built and
queried through the real command line (``tests/cli.py``)."""

from __future__ import annotations

import gzip
import json

from tests.cli import build_into, extracted, query


def _place(paper: dict) -> tuple:
    return paper["volume"], paper["issue"], paper["pages"]


def _ris(path, *records: dict):
    """RIS records, each a dict of tag -> value (a list for a repeated tag)."""
    lines = []
    for record in records:
        for tag, value in record.items():
            lines += [f"{tag}  - {v}" for v in (value if isinstance(value, list) else [value])]
        lines += ["ER  - ", ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _titles(out) -> list[str]:
    return sorted(row["t"] for row in query(out, "MATCH (p:Paper) RETURN p.title AS t"))


# ----------------------------------------------------------------------------- each reader's volume, issue, pages


def test_bibtex_reads_volume_number_and_pages(tmp_path):
    (tmp_path / "refs.bib").write_text(r"""
@article{levy2015,
  author = {Levy, Omer and Goldberg, Yoav and Dagan, Ido},
  title = {Improving Distributional Similarity with Lessons Learned from Word Embeddings},
  journal = {Transactions of the Association for Computational Linguistics},
  volume = { 3 }, number = {1}, pages = {211--225}, year = {2015},
}
@article{eid2020,
  author = {Kim, Min-jun},
  title = {An Article Numbered, Not Paged},
  journaltitle = {Physical Review D}, volume = {101}, issue = {4}, eid = {045012}, date = {2020},
}
@techreport{tr2019,
  author = {Lee, Kenton}, title = {A Report}, institution = {University of Washington},
  number = {UW-CSE-19-01}, year = {2019},
}
""", encoding="utf-8")
    papers, problems, _ = extracted(tmp_path / "refs.bib")
    assert problems == []
    assert [_place(p) for p in papers] == [("3", "1", "211–225"), ("101", "4", "045012"), (None, None, None)]


def test_ris_reads_vl_is_and_sp_ep_as_one_range(tmp_path):
    _ris(tmp_path / "x.ris",
         {"TY": "JOUR", "TI": "Deep Residual Learning", "AU": "He, Kaiming", "JO": "IEEE TPAMI", "PY": "2016",
          "VL": "38", "IS": "2", "SP": "295", "EP": "307"},
         {"TY": "JOUR", "TI": "A Range Written in SP", "AU": "He, Kaiming", "PY": "2017", "SP": "12-19", "EP": "19"},
         {"TY": "JOUR", "TI": "Article Number Only", "AU": "He, Kaiming", "PY": "2018", "VL": "9", "C7": "e1234"})
    papers, problems, _ = extracted(tmp_path / "x.ris")
    assert problems == []
    assert [_place(p) for p in papers] == [("38", "2", "295-307"), (None, None, "12-19"), ("9", None, "e1234")]


def test_csljson_reads_volume_issue_page_and_an_article_number(tmp_path):
    items = [
        {"id": "a", "type": "article-journal", "title": "Paged", "author": [{"family": "Doe", "given": "Jane"}],
         "container-title": "Nature", "volume": "577", "issue": "7792", "page": "706-710",
         "issued": {"date-parts": [[2020]]}},
        {"id": "b", "type": "article-journal", "title": "Numbered", "author": [{"family": "Doe", "given": "Jane"}],
         "container-title": "PLOS ONE", "volume": 15, "issue": "3", "number": "e0229012",
         "issued": {"date-parts": [[2020]]}},
        {"id": "c", "type": "report", "title": "A Report", "number": "TR-7", "issued": {"date-parts": [[2020]]}},
    ]
    (tmp_path / "items.json").write_text(json.dumps(items), encoding="utf-8")
    papers, problems, _ = extracted(tmp_path / "items.json")
    assert problems == []
    assert [_place(p) for p in papers] == [("577", "7792", "706-710"), ("15", "3", "e0229012"), (None, None, None)]


def test_openalex_reads_biblio(tmp_path):
    work = {"id": "https://openalex.org/W2100837269", "title": "Attention Is All You Need", "publication_year": 2017,
            "type": "article", "authorships": [],
            "biblio": {"volume": "30", "issue": None, "first_page": "5998", "last_page": "6008"}}
    one_page = {"id": "https://openalex.org/W2100837270", "title": "A Note", "publication_year": 2017,
                "type": "article", "authorships": [], "biblio": {"volume": "2", "issue": "1", "first_page": "7",
                                                                   "last_page": "7"}}
    (tmp_path / "works.jsonl").write_text(json.dumps(work) + "\n" + json.dumps(one_page) + "\n", encoding="utf-8")
    papers, problems, _ = extracted(tmp_path / "works.jsonl")
    assert problems == []
    assert [_place(p) for p in papers] == [("30", None, "5998-6008"), ("2", "1", "7")]


def test_dblp_reads_volume_number_and_pages(tmp_path):
    (tmp_path / "d.xml").write_text("""<?xml version="1.0" encoding="UTF-8"?>
<dblp>
<article key="journals/tacl/LevyGD15">
<author>Omer Levy</author><author>Yoav Goldberg</author><author>Ido Dagan</author>
<title>Improving Distributional Similarity with Lessons Learned from Word Embeddings.</title>
<pages>211-225</pages><year>2015</year><volume>3</volume><journal>Trans. Assoc. Comput. Linguistics</journal>
<number>1</number>
</article>
<inproceedings key="conf/acl/X20">
<author>Ann Lee</author><title>No Place.</title><year>2020</year><booktitle>ACL</booktitle>
</inproceedings>
</dblp>
""", encoding="utf-8")
    papers, problems, _ = extracted(tmp_path / "d.xml")
    assert problems == []
    assert [_place(p) for p in papers] == [("3", "1", "211-225"), (None, None, None)]


def test_dblp_compact_build_keeps_the_place(tmp_path):
    """The build reads DBLP through its own compact records: two front-matter texts of one volume's two issues
    are two papers there too."""
    body = "".join(f"""<article key="journals/jx/Editorial{n}">
<author>Adaeze Okonkwo</author><title>Editorial.</title><year>2020</year><volume>12</volume><number>{n}</number>
<journal>J. Appl. Stat. Methods</journal><pages>1-2</pages>
</article>
""" for n in (1, 2))
    (tmp_path / "a.xml").write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<dblp>\n{body}</dblp>\n', encoding="utf-8")
    # the same two in RIS, another file: each joins its own issue's DBLP record, not the other's
    _ris(tmp_path / "b.ris", *({"TY": "JOUR", "TI": "Editorial", "AU": "Okonkwo, Adaeze", "JO": "J. Appl. Stat. Methods",
                                "PY": "2020", "VL": "12", "IS": str(n), "SP": "1", "EP": "2"} for n in (1, 2)))
    out = build_into(tmp_path, tmp_path / "a.xml", tmp_path / "b.ris")
    assert len(query(out, "MATCH (p:Paper) RETURN p.id")) == 2
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    merged = sorted(sorted(loc.rsplit("/", 1)[1] for loc in m["merged"]) for m in report["merges"] if m["kind"] == "paper")
    assert merged == [["a.xml:3", "b.ris:1"], ["a.xml:7", "b.ris:12"]]  # issue 1 with issue 1, 2 with 2


def test_medline_reads_vi_ip_pg(tmp_path):
    (tmp_path / "pubmed.txt").write_text("""PMID- 32015507
DP  - 2020 Mar
TI  - A pneumonia outbreak associated with a new coronavirus of probable bat origin.
VI  - 579
IP  - 7798
PG  - 270-273
FAU - Zhou, Peng
AU  - Zhou P
JT  - Nature
""", encoding="utf-8")
    papers, problems, _ = extracted(tmp_path / "pubmed.txt")
    assert problems == []
    assert [_place(p) for p in papers] == [("579", "7798", "270-273")]


def test_scopus_reads_volume_issue_pages_and_article_number(tmp_path):
    (tmp_path / "scopus.csv").write_text(
        '"Authors","Title","Year","Source title","Volume","Issue","Art. No.","Page start","Page end","EID"\n'
        '"Lee K.","Paged","2019","Neural Computation","31","4","","601","640","2-s2.0-85063000001"\n'
        '"Lee K.","Numbered","2020","Scientific Reports","10","1","4567","","","2-s2.0-85063000002"\n'
        '"Lee K.","A Preprint","2021","arXiv","","","2101.00001","","","2-s2.0-85063000003"\n', encoding="utf-8")
    papers, problems, _ = extracted(tmp_path / "scopus.csv")
    assert problems == []
    assert [_place(p) for p in papers] == [("31", "4", "601-640"), ("10", "1", "4567"), (None, None, None)]
    assert "arxiv:2101.00001" in papers[2]["ids"]


def test_wos_reads_vl_is_bp_ep_and_ar(tmp_path):
    (tmp_path / "savedrecs.txt").write_text("""FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Lee, K
TI Paged
SO NEURAL COMPUTATION
PY 2019
VL 31
IS 4
BP 601
EP 640
UT WOS:000460000000001
ER

PT J
AU Lee, K
TI Numbered
SO SCIENTIFIC REPORTS
PY 2020
VL 10
IS 1
AR 4567
UT WOS:000460000000002
ER

EF
""", encoding="utf-8")
    papers, problems, _ = extracted(tmp_path / "savedrecs.txt")
    assert problems == []
    assert [_place(p) for p in papers] == [("31", "4", "601-640"), ("10", "1", "4567")]


# ----------------------------------------------------------------------------- BibTeX preprints


def test_bibtex_misc_on_a_preprint_server_is_a_preprint(tmp_path):
    (tmp_path / "pre.bib").write_text(r"""
@misc{bio, author = {Doe, Jane}, title = {A bioRxiv Preprint}, year = {2020}, eprinttype = {bioRxiv},
  doi = {10.1101/2020.03.01.971234}}
@online{ssrn, author = {Doe, Jane}, title = {An SSRN Paper}, year = {2019}, howpublished = {SSRN}}
@unpublished{rs, author = {Doe, Jane}, title = {A Research Square Preprint}, year = {2021},
  publisher = {Research Square}, note = {In review}}
@misc{osf, author = {Doe, Jane}, title = {A PsyArXiv Preprint}, year = {2021},
  howpublished = {\url{https://psyarxiv.com/abcde}}}
@misc{med, author = {Doe, Jane}, title = {A medRxiv Preprint}, year = {2021}, archivePrefix = {medRxiv}}
@misc{blog, author = {Doe, Jane}, title = {A Blog Post}, year = {2021}, howpublished = {Personal blog}}
@misc{soft, author = {Doe, Jane}, title = {Some Software}, year = {2021}, publisher = {Zenodo}}
""", encoding="utf-8")
    papers, problems, _ = extracted(tmp_path / "pre.bib")
    assert problems == []
    assert [(p["title"], p["kind"]) for p in papers] == [
        ("A bioRxiv Preprint", "preprint"), ("An SSRN Paper", "preprint"), ("A Research Square Preprint", "preprint"),
        ("A PsyArXiv Preprint", "preprint"), ("A medRxiv Preprint", "preprint"), ("A Blog Post", "other"),
        ("Some Software", "other")]


# ----------------------------------------------------------------------------- inline HTML


def test_ris_affiliation_with_inline_html_is_the_csl_json_institution(tmp_path):
    """The outside tester's D4: one affiliation, with inline tags and an escaped ampersand, in RIS and in CSL-JSON,
    is one institution."""
    written = "Lab of <b>Bold</b> &amp; <i>Italic</i> Studies, Univ<sup>1</sup> of Somewhere"
    item = {"id": "x", "type": "article-journal", "title": "A Study of Labs", "issued": {"date-parts": [[2021]]},
            "container-title": "J. Labs",
            "author": [{"family": "Hugo", "given": "Victor", "affiliation": [{"name": written}]}]}
    (tmp_path / "a.json").write_text(json.dumps([item]), encoding="utf-8")
    _ris(tmp_path / "b.ris", {"TY": "JOUR", "TI": "Another Study of Labs", "AU": "Hugo, Victor", "JO": "J. Labs",
                              "PY": "2022", "AD": written})
    papers, problems, _ = extracted(tmp_path / "b.ris")
    assert problems == []
    assert [i["name"] for i in papers[0]["institutions"]] == ["Lab of Bold & Italic Studies, Univ1 of Somewhere"]
    out = build_into(tmp_path, tmp_path / "a.json", tmp_path / "b.ris")
    rows = query(out, "MATCH (a:Author)-[:AUTHORED]->(p:Paper)-[:AFFILIATED_WITH]->(i:Institution) "
                      "RETURN i.id AS i, count(DISTINCT p) AS n")
    assert len(rows) == 1 and rows[0]["n"] == 2  # one institution, both papers at it


def test_text_readers_drop_inline_tags_but_keep_maths(tmp_path):
    """WoS, Scopus, MEDLINE and BibTeX drop the tags the CSL-JSON reader drops; ``<`` as maths stays."""
    (tmp_path / "savedrecs.txt").write_text("""FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Lee, K
TI Growth of <i>E. coli</i> at p<0.05 when a < b
SO J <b>Micro</b>
PY 2019
C1 [Lee, K] Dept <i>Microbiol</i> &amp; Immunol, Boston, MA 02115 USA.
ER

EF
""", encoding="utf-8")
    (tmp_path / "scopus.csv").write_text(
        '"Authors","Title","Year","Source title","Affiliations","EID"\n'
        '"Lee K.","H<sub>2</sub>O when x<y","2019","J. Water","Dept <i>Chem</i>, MIT, Cambridge, United States",'
        '"2-s2.0-85063000001"\n', encoding="utf-8")
    (tmp_path / "pubmed.txt").write_text("PMID- 1\nDP  - 2020\nTI  - The <i>TP53</i> gene, p<0.01.\n"
                                         "FAU - Zhou, Peng\nAU  - Zhou P\nAD  - Dept of <i>Virology</i>, Wuhan, China.\n",
                                         encoding="utf-8")
    (tmp_path / "crossref.bib").write_text(
        "@article{x, author = {Doe, Jane}, title = {Structure of <i>Escherichia coli</i> if $a<b$},"
        " journal = {J. Bact.}, year = {2020}}\n", encoding="utf-8")
    wos, scopus, medline, bib = (extracted(tmp_path / name)[0] for name in
                                 ("savedrecs.txt", "scopus.csv", "pubmed.txt", "crossref.bib"))
    assert (wos[0]["title"], wos[0]["venue"]) == ("Growth of E. coli at p<0.05 when a < b", "J Micro")
    assert wos[0]["authors"][0]["affiliations"][0]["name"] == "Dept Microbiol & Immunol, Boston, MA 02115 USA"
    assert scopus[0]["title"] == "H2O when x<y"
    assert scopus[0]["institutions"][0]["name"] == "Dept Chem, MIT, Cambridge, United States"
    assert medline[0]["title"] == "The TP53 gene, p<0.01"
    assert medline[0]["authors"][0]["affiliations"][0]["name"] == "Dept of Virology, Wuhan, China"
    assert bib[0]["title"] == "Structure of Escherichia coli if a<b"


# ----------------------------------------------------------------------------- the build


def test_editorials_of_two_issues_from_two_files_are_two_papers(tmp_path):
    """One journal's "Editorial" of issues 1 and 2 of 2020, in BibTeX and in RIS: two papers (each file's issue 1
    is one paper with the other's issue 1); and of two volumes, with no issue: two papers."""
    journal = "Journal of Applied Statistical Methods"
    (tmp_path / "a.bib").write_text("".join(
        f"@article{{ed{n}, author = {{Okonkwo, Adaeze}}, title = {{Editorial}}, journal = {{{journal}}},"
        f" year = {{2020}}, volume = {{12}}, number = {{{n}}}}}\n" for n in (1, 2)), encoding="utf-8")
    _ris(tmp_path / "b.ris",
         *({"TY": "JOUR", "TI": "Editorial", "AU": "Okonkwo, Adaeze", "JO": journal, "PY": "2020", "VL": "12", "IS": str(n)}
           for n in (1, 2)))
    out = build_into(tmp_path, tmp_path / "a.bib", tmp_path / "b.ris")
    rows = query(out, "MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN p.id AS p, count(a) AS n")
    assert len(rows) == 2 and all(r["n"] == 1 for r in rows)

    (tmp_path / "v").mkdir()
    _ris(tmp_path / "v" / "c.ris", {"TY": "JOUR", "TI": "Preface", "JO": journal, "PY": "2021", "VL": "13"})
    _ris(tmp_path / "v" / "d.ris", {"TY": "JOUR", "TI": "Preface", "JO": journal, "PY": "2021", "VL": "14"},
         {"TY": "JOUR", "TI": "Another Paper", "AU": "Okonkwo, Adaeze", "JO": journal, "PY": "2021"})
    out = build_into(tmp_path / "v", tmp_path / "v" / "c.ris", tmp_path / "v" / "d.ris")
    assert _titles(out) == ["Another Paper", "Preface", "Preface"]


_JOURNAL = "Journal of Applied Statistical Methods"
_TITLE = "On the Robustness of Bootstrap Intervals"
_AUTHORS = ["Okonkwo, Adaeze", "Haddad, Karim"]


def _paper_and_reply(tmp_path, *, issues: bool) -> tuple[str, list[str], str]:
    """A paper (a.bib, pp. 101-118) and its authors' reply under its title (b.ris, pp. 301-302) in volume 12,
    in issues 1 and 3 when ``issues``; the journal, authors and title."""
    number = ", number = {1}" if issues else ""
    (tmp_path / "a.bib").write_text(
        f"@article{{p, author = {{{' and '.join(_AUTHORS)}}}, title = {{{_TITLE}}}, journal = {{{_JOURNAL}}},"
        f" year = {{2020}}, volume = {{12}}{number}, pages = {{101--118}}}}\n", encoding="utf-8")
    _ris(tmp_path / "b.ris", {"TY": "JOUR", "TI": _TITLE, "AU": _AUTHORS, "JO": _JOURNAL, "PY": "2020", "VL": "12",
                              **({"IS": "3"} if issues else {}), "SP": "301", "EP": "302"})
    return _JOURNAL, _AUTHORS, _TITLE


def test_a_reply_under_its_papers_title_is_its_own_paper_but_an_article_number_is_no_other_place(tmp_path):
    """A journal paper and its authors' reply printed under the same title in a later issue (another page range),
    from two files, are two papers; the paper from a database that gives its article number instead of pages is
    the paper (a number beside a range tells nothing)."""
    journal, authors, title = _paper_and_reply(tmp_path, issues=True)
    out = build_into(tmp_path, tmp_path / "a.bib", tmp_path / "b.ris")
    assert _titles(out) == [title, title]

    (tmp_path / "n").mkdir()
    _ris(tmp_path / "n" / "c.ris", {"TY": "JOUR", "TI": title, "AU": authors, "JO": journal, "PY": "2020", "VL": "12",
                                    "IS": "1", "C7": "e101"})
    out = build_into(tmp_path / "n", tmp_path / "a.bib", tmp_path / "n" / "c.ris")
    assert _titles(out) == [title]


def test_places_of_gzipped_csl_json_reach_the_build(tmp_path):
    """A paper with a page range in one CSL-JSON file and an article number in another is one paper; a second
    "Editorial" of another issue is its own."""
    journal = "PLOS Computational Biology"
    base = {"type": "article-journal", "container-title": journal, "issued": {"date-parts": [[2019]]},
            "author": [{"family": "Doe", "given": "Jane"}, {"family": "Roe", "given": "Richard"}]}
    first = [{**base, "id": "a", "title": "Ten Simple Rules for Reproducible Research", "volume": "15", "page": "1-10"},
             {**base, "id": "b", "title": "Editorial", "volume": "15", "issue": "2",
              "author": [{"family": "Ouellette", "given": "Francis"}]}]
    second = [{**base, "id": "c", "title": "Ten Simple Rules for Reproducible Research", "volume": "15",
               "number": "e1006803"},
              {**base, "id": "d", "title": "Editorial", "volume": "15", "issue": "5",
               "author": [{"family": "Ouellette", "given": "Francis"}]}]
    (tmp_path / "a.json").write_text(json.dumps(first), encoding="utf-8")
    with gzip.open(tmp_path / "b.json.gz", "wt", encoding="utf-8") as f:
        json.dump(second, f)
    out = build_into(tmp_path, tmp_path / "a.json", tmp_path / "b.json.gz")
    assert _titles(out) == ["Editorial", "Editorial", "Ten Simple Rules for Reproducible Research"]


def test_a_record_giving_only_an_article_number_does_not_join_a_paper_and_its_reply(tmp_path):
    """The paper (pp. 101-118) and the reply under its title (pp. 301-302) stay two papers when a third export
    gives only an article number, which fits either: it joins one of them, never both."""
    journal, authors, title = _paper_and_reply(tmp_path, issues=False)
    _ris(tmp_path / "c.ris", {"TY": "JOUR", "TI": title, "AU": authors, "JO": journal, "PY": "2020", "VL": "12",
                              "C7": "e101"})
    for order in ((tmp_path / "a.bib", tmp_path / "b.ris", tmp_path / "c.ris"),
                  (tmp_path / "c.ris", tmp_path / "b.ris", tmp_path / "a.bib")):
        folder = tmp_path / f"o{order[0].suffix}"
        folder.mkdir()
        out = build_into(folder, *order)
        assert _titles(out) == [title, title]
