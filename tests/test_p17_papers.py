"""Which records are one paper (session 17, from the outside review): front matter of two issues of one journal
and year, preprints of servers other than arXiv (bioRxiv, SSRN, Research Square, PsyArXiv) and their journal
versions years later, and author lists whose given names are written out and differ (Wang Wei, Wang Wen).

Every input is written here in a real format and built by the real pipeline (the CLI once, for the database)."""

from __future__ import annotations

import datetime as dt
import json

from graphkit.pipeline import build_knowledge_graph
from tests.cli import build_into, query

AS_OF = dt.date(2025, 1, 1)


def _build(*paths):
    """Build the inputs in the order given: the result and its report's paper merges, each a sorted list of
    ``file:line`` (or ``file: record N``) without the folder."""
    result = build_knowledge_graph(list(paths), as_of=AS_OF)
    folder = str(paths[0].parent) + "/"
    merged = sorted(sorted(loc.replace(folder, "") for loc in m["merged"])
                    for m in result.report()["merges"] if m["kind"] == "paper")
    return result, merged


def _papers(result) -> list[dict]:
    """The Paper nodes of a build, as their properties."""
    return [data for _, data in result.graph.nodes(data=True) if data.get("label") == "Paper"]


def _ris(path, *records: dict):
    """RIS records, each a dict of tag -> value (a list for a repeated tag)."""
    lines = []
    for record in records:
        for tag, value in record.items():
            for v in value if isinstance(value, list) else [value]:
                lines.append(f"{tag}  - {v}")
        lines.append("ER  - ")
        lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _csl(path, *items: dict):
    """A CSL-JSON array, item N on line N + 1."""
    path.write_text("[\n" + ",\n".join(json.dumps(item) for item in items) + "\n]\n", encoding="utf-8")


# ----------------------------------------------------------------------------- front matter of two issues


def test_editorials_of_two_issues_of_one_journal_and_year_are_two_texts_even_with_an_undated_copy(tmp_path):
    """The editor-in-chief's "Editorial" of the March and of the June issue, exported from two databases that give
    the issue's date, and a BibTeX copy that gives only the year: two texts, each found in both exports; the
    undated copy joins one of them and does not bridge the two."""
    journal = "Journal of Applied Statistical Methods"
    _ris(tmp_path / "toc.ris",
         {"TY": "JOUR", "TI": "Editorial", "AU": "Okonkwo, Adaeze", "JO": journal, "PY": "2020", "DA": "2020/03/15"},
         {"TY": "JOUR", "TI": "Editorial", "AU": "Okonkwo, Adaeze", "JO": journal, "PY": "2020", "DA": "2020/06/15"})
    _csl(tmp_path / "toc.json",
         {"id": "e1", "type": "article-journal", "title": "Editorial", "container-title": journal,
          "author": [{"family": "Okonkwo", "given": "Adaeze"}], "issued": {"date-parts": [[2020, 3, 15]]}},
         {"id": "e2", "type": "article-journal", "title": "Editorial", "container-title": journal,
          "author": [{"family": "Okonkwo", "given": "Adaeze"}], "issued": {"date-parts": [[2020, 6, 15]]}})
    (tmp_path / "undated.bib").write_text(
        f'@article{{ed,\n  title = "Editorial",\n  author = "Okonkwo, Adaeze",\n  journal = "{journal}",\n'
        '  year = "2020"}\n', encoding="utf-8")
    for order in (("toc.ris", "toc.json", "undated.bib"), ("undated.bib", "toc.json", "toc.ris")):
        result, merged = _build(*(tmp_path / name for name in order))
        assert result.counts()["Paper"] == 2
        march, june = ["toc.json:2", "toc.ris:1"], ["toc.json:3", "toc.ris:9"]
        # each issue's editorial from both exports; the undated copy with exactly one of the two
        assert sorted(m for m in merged) in ([sorted(march + ["undated.bib:1"]), june],
                                             [march, sorted(june + ["undated.bib:1"])])
        assert all(not (set(march) & set(m) and set(june) & set(m)) for m in merged)


def test_an_editorial_of_one_issue_from_two_exports_is_still_one_text(tmp_path):
    """The same issue's editorial, dated the same month by both exports (one the 1st, one the 15th), and one of
    them from a file that gives no day: one text."""
    journal = "Annals of Marine Ecology"
    _ris(tmp_path / "a.ris",
         {"TY": "JOUR", "TI": "Editorial", "AU": "Lindqvist, Per", "JO": journal, "PY": "2019", "DA": "2019/09/01"})
    _csl(tmp_path / "b.json",
         {"id": "x", "type": "article-journal", "title": "Editorial.", "container-title": journal,
          "author": [{"family": "Lindqvist", "given": "Per"}], "issued": {"date-parts": [[2019, 9, 15]]}},
         # and the December issue's: another text
         {"id": "y", "type": "article-journal", "title": "Editorial.", "container-title": journal,
          "author": [{"family": "Lindqvist", "given": "Per"}], "issued": {"date-parts": [[2019, 12, 1]]}})
    result, merged = _build(tmp_path / "a.ris", tmp_path / "b.json")
    assert result.counts()["Paper"] == 2
    assert merged == [["a.ris:1", "b.json:2"]]


# ----------------------------------------------------------------------------- preprint servers


def test_preprints_of_biorxiv_ssrn_research_square_and_psyarxiv_join_their_journal_versions_years_later(tmp_path):
    people = "Ferreira, Joana and Lindqvist, Per and Okonkwo, Adaeze"
    (tmp_path / "preprints.bib").write_text(
        # bioRxiv as Google Scholar and bioRxiv's own export write it: an article in the journal "bioRxiv"
        '@article{bio,\n  title = "Single-Cell Atlas of the Regenerating Zebrafish Fin",\n'
        f'  author = "{people}",\n  journal = "bioRxiv",\n  year = "2019",\n'
        '  doi = "10.1101/2019.12.01.876543"}\n\n'
        # PsyArXiv as OSF exports it: a @misc with the OSF DOI and no venue
        '@misc{psy,\n  title = "Attention Lapses Predict Working Memory Failures",\n'
        f'  author = "{people}",\n  year = "2017",\n  doi = "10.31234/osf.io/abcde",\n'
        '  publisher = "PsyArXiv"}\n', encoding="utf-8")
    # SSRN as Crossref's CSL-JSON gives it: an article of the "SSRN Electronic Journal"
    _csl(tmp_path / "ssrn.json",
         {"id": "s", "type": "article-journal", "title": "Bank Capital and the Cost of Credit",
          "container-title": "SSRN Electronic Journal", "DOI": "10.2139/ssrn.3456789",
          "author": [{"family": "Ferreira", "given": "Joana"}, {"family": "Lindqvist", "given": "Per"}],
          "issued": {"date-parts": [[2018, 4, 2]]}})
    # Research Square as an RIS "unpublished work" with its DOI
    _ris(tmp_path / "rs.ris",
         {"TY": "UNPB", "TI": "Soil Microbiome Shifts Under Drought Stress", "AU": ["Ferreira, Joana", "Okonkwo, Adaeze"],
          "PY": "2020", "DO": "10.21203/rs.3.rs-123456/v1"})
    _ris(tmp_path / "journals.ris",
         {"TY": "JOUR", "TI": "Single-cell atlas of the regenerating zebrafish fin", "JO": "Cell Reports",
          "AU": ["Ferreira, Joana", "Lindqvist, Per", "Okonkwo, Adaeze"], "PY": "2022", "DO": "10.1016/j.celrep.2022.110001"},
         {"TY": "JOUR", "TI": "Attention lapses predict working memory failures", "JO": "Cognition",
          "AU": ["Ferreira, Joana", "Lindqvist, Per"], "PY": "2020", "DO": "10.1016/j.cognition.2020.104321"},
         {"TY": "JOUR", "TI": "Bank Capital and the Cost of Credit", "JO": "Journal of Finance",
          "AU": ["Ferreira, Joana", "Lindqvist, Per"], "PY": "2021", "DO": "10.1111/jofi.13001"},
         {"TY": "JOUR", "TI": "Soil microbiome shifts under drought stress", "JO": "Microbiome",
          "AU": ["Ferreira, Joana", "Okonkwo, Adaeze"], "PY": "2023", "DO": "10.1186/s40168-023-01234-5"})
    inputs = [tmp_path / n for n in ("preprints.bib", "ssrn.json", "rs.ris", "journals.ris")]
    result, merged = _build(*inputs)
    assert result.counts()["Paper"] == 4
    assert merged == [["journals.ris:1", "preprints.bib:1"], ["journals.ris:11", "preprints.bib:8"],
                      ["journals.ris:20", "ssrn.json:2"], ["journals.ris:29", "rs.ris:1"]]
    # each paper is its journal version: the publisher's DOI, year and kind, the preprint's DOI among its ids
    papers = {p["title"].casefold(): p for p in _papers(result)}
    atlas = papers["single-cell atlas of the regenerating zebrafish fin"]
    assert (atlas["doi"], atlas["year"], atlas["venue"], atlas["kind"]) == ("10.1016/j.celrep.2022.110001", 2022, "Cell Reports", "article")
    assert "doi:10.1101/2019.12.01.876543" in atlas["ids"]
    assert papers["bank capital and the cost of credit"]["doi"] == "10.1111/jofi.13001"
    assert papers["soil microbiome shifts under drought stress"]["doi"] == "10.1186/s40168-023-01234-5"


def test_a_preprint_doi_two_journal_papers_list_joins_neither_and_cold_spring_harbor_journals_are_no_preprints(tmp_path):
    """Two journal papers that both list one bioRxiv DOI (a preprint that became two papers, or a copy error)
    stay two, the bioRxiv preprint joining the one of its title; a Genome Research paper and its correction of
    the same title, authors and year hold two DOIs of Cold Spring Harbor's prefix, which bioRxiv's shares: those
    are publishers' DOIs, two works, not a preprint's."""
    _ris(tmp_path / "a.ris",
         {"TY": "JOUR", "TI": "Chromatin Loops in Early Development", "JO": "Genome Research", "PY": "2018",
          "AU": ["Zorbanova, Alice", "Quellhorst, Bruno"], "DO": "10.1101/gr.231234.117"},
         {"TY": "JOUR", "TI": "Chromatin loops in early development", "JO": "Genome Research", "PY": "2018",
          "AU": ["Zorbanova, Alice", "Quellhorst, Bruno"], "DO": "10.1101/gr.240001.118"},
         {"TY": "JOUR", "TI": "Enhancer Grammar of the Fly Embryo", "JO": "Nature Genetics", "PY": "2021",
          "AU": ["Zorbanova, Alice"], "DO": ["10.1038/s41588-021-00001-1", "10.1101/2018.05.05.123456"]},
         {"TY": "JOUR", "TI": "Enhancer Usage Across Tissues", "JO": "Genome Biology", "PY": "2021",
          "AU": ["Zorbanova, Alice"], "DO": ["10.1186/s13059-021-00002-2", "10.1101/2018.05.05.123456"]})
    (tmp_path / "b.bib").write_text(
        '@article{pre,\n  title = "Enhancer Grammar of the Fly Embryo",\n  author = "Zorbanova, Alice",\n'
        '  journal = "bioRxiv",\n  year = "2018",\n  doi = "10.1101/2018.05.05.123456"}\n', encoding="utf-8")
    result, merged = _build(tmp_path / "a.ris", tmp_path / "b.bib")
    assert result.counts()["Paper"] == 4
    assert merged == [["a.ris:19", "b.bib:1"]]  # the bioRxiv preprint with its journal version only
    dois = sorted(p["doi"] for p in _papers(result))
    assert dois == ["10.1038/s41588-021-00001-1", "10.1101/gr.231234.117", "10.1101/gr.240001.118", "10.1186/s13059-021-00002-2"]


# ----------------------------------------------------------------------------- given names written out


def test_given_names_written_out_must_agree_not_only_their_initials(tmp_path):
    (tmp_path / "a.bib").write_text(
        '@inproceedings{w1,\n  title = "Graph Contrastive Learning for Traffic Forecasting",\n'
        '  author = "Wang, Wei and Zhang, Lei",\n  booktitle = "KDD",\n  year = "2021"}\n\n'
        '@inproceedings{x1,\n  title = "Robust Point Cloud Registration",\n'
        '  author = "Wang, Xiao-Ming and Li, Hua",\n  booktitle = "CVPR",\n  year = "2020"}\n\n'
        '@inproceedings{c1,\n  title = "Dependency Parsing with Stack Pointers",\n'
        '  author = "Manning, Christopher D. and Dozat, Timothy",\n  booktitle = "ACL",\n  year = "2018"}\n',
        encoding="utf-8")
    _csl(tmp_path / "b.json",
         # same title and year, given names written out and other: two papers
         {"id": "w2", "type": "paper-conference", "title": "Graph contrastive learning for traffic forecasting",
          "container-title": "KDD", "issued": {"date-parts": [[2021]]},
          "author": [{"family": "Wang", "given": "Wen"}, {"family": "Zhang", "given": "Lin"}]},
         # Xiao-Ming, Xiaoming: one name
         {"id": "x2", "type": "paper-conference", "title": "Robust point cloud registration",
          "container-title": "CVPR", "issued": {"date-parts": [[2020]]},
          "author": [{"family": "Wang", "given": "Xiaoming"}, {"family": "Li", "given": "Hua"}]},
         # a middle initial more, and an initial for a name: one person each
         {"id": "c2", "type": "paper-conference", "title": "Dependency parsing with stack pointers",
          "container-title": "ACL", "issued": {"date-parts": [[2018]]},
          "author": [{"family": "Manning", "given": "Christopher"}, {"family": "Dozat", "given": "T."}]})
    _ris(tmp_path / "c.ris",  # written family-first without a comma, as Chinese names often are: Wang Wen again
         {"TY": "CONF", "TI": "Graph Contrastive Learning for Traffic Forecasting", "T2": "KDD", "PY": "2021",
          "AU": ["Wen Wang", "Lin Zhang"]})
    result, merged = _build(tmp_path / "a.bib", tmp_path / "b.json", tmp_path / "c.ris")
    assert merged == [["a.bib:13", "b.json:4"], ["a.bib:7", "b.json:3"], ["b.json:2", "c.ris:1"]]
    assert result.counts()["Paper"] == 4


def test_two_wang_papers_stay_two_in_the_database_and_their_authors_are_two_people(tmp_path):
    (tmp_path / "a.bib").write_text(
        '@article{a,\n  title = "Sparse Attention for Long Documents",\n  author = "Wang, Wei and Chen, Jing",\n'
        '  journal = "TACL",\n  year = "2022"}\n', encoding="utf-8")
    (tmp_path / "b.bib").write_text(
        '@article{b,\n  title = "Sparse attention for long documents",\n  author = "Wang, Wen and Chen, Jun",\n'
        '  journal = "TACL",\n  year = "2022"}\n', encoding="utf-8")
    out = build_into(tmp_path, tmp_path / "a.bib", tmp_path / "b.bib", as_of="2025-01-01")
    rows = query(out, "MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN a.name AS a, p.id AS p")
    assert len({r["p"] for r in rows}) == 2
    by_paper = {}
    for r in rows:
        by_paper.setdefault(r["p"], set()).add(r["a"])
    assert sorted(map(sorted, by_paper.values())) == [["Jing Chen", "Wei Wang"], ["Jun Chen", "Wen Wang"]]


def test_one_paper_from_two_exports_spelling_a_western_given_name_two_ways_is_one_paper(tmp_path):
    # outside the Chinese and Korean family names, a given name spelt otherwise is one person's more often than
    # another's: a transliteration, an umlaut written out, a first name dropped (was: each of these two papers)
    spellings = [("Jürgen", "Juergen", "Schmidhuber"), ("Alexandre", "Alexander", "Tkatchenko"),
                 ("Ilya", "Ilia", "Loshchilov"), ("Julius Robert", "Robert", "Mayer")]
    bib, csl = [], []
    for k, (one, other, family) in enumerate(spellings):
        title = f"A Study of Learned Optimisers, Part {k + 1}"
        bib.append(f'@article{{s{k},\n  title = "{title}",\n  author = "{family}, {one}",\n'
                   f'  journal = "Neural Computation",\n  year = "2019"}}\n')
        csl.append({"id": f"c{k}", "type": "article-journal", "title": title, "container-title": "Neural Computation",
                    "issued": {"date-parts": [[2019]]}, "author": [{"family": family, "given": other}]})
    (tmp_path / "a.bib").write_text("\n".join(bib), encoding="utf-8")
    _csl(tmp_path / "b.json", *csl)
    result, merged = _build(tmp_path / "a.bib", tmp_path / "b.json")
    assert result.counts()["Paper"] == len(spellings)
    assert len(merged) == len(spellings)
