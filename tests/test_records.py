"""A mixed build (a profile page, BibTeX, arXiv, CSL-JSON and OpenAlex files) into a real embedded store.

The five files below describe fictional people (so that the identifiers in
them can be made up without claiming to be anyone's) with the shapes real
exports have. Every expectation is read off the files:

- "Sparse Mixture Routing at Scale" is on the profile page (truncated list,
  paper-level slug ``cmu``), in BibTeX (DOI in upper case) and in OpenAlex (DOI URL,
  per-author institutions): one Paper.
- "Calibrating Dense Retrievers" is in BibTeX (``eprint`` + ``archivePrefix``)
  and in the arXiv file: one Paper, on the arXiv id.
- "Graph Priors for Retrieval" is on the page and in CSL-JSON with the same
  year and authors: one Paper, on title + year + compatible authors.
- OpenAlex gives Ada Okonkwo one author id (and an ORCID) under two names
  ("Ada Okonkwo", "A. N. Okonkwo"): one Author. Two OpenAlex authors called
  Wei Wang carry different ORCIDs: never one Author.
- Author -> Institution comes from each author's own OpenAlex institutions
  where the paper has them (Lena Fischer is tied to ETH Zurich only, not to
  the page's ``cmu``; Jonas Muller, without institutions, to none), and from
  the paper's list where no source ties affiliations to authors (Graph Priors: ``uw``).
"""

from __future__ import annotations

import json

import pytest

from graphkit.pipeline import build_knowledge_graph
from graphkit.store import EmbeddedStore

from .conftest import AS_OF

PAGE = """Ada Okonkwo

LG
h-index12
3papers
1,020citations

2 Papers

61.5LGMar 3, 2024Code
Sparse Mixture Routing at Scale

Ada Okonkwo, Wei Wang, Lena Fischer et al. · cmu

We route each token to two experts and keep their load balanced without an auxiliary loss.

IRJun 12, 2023
Graph Priors for Retrieval

Bo Chen, Ada Okonkwo · uw

Citation-graph priors improve dense retrieval on scientific search.
"""

BIBTEX = r"""@inproceedings{okonkwo2024sparse,
  title = {Sparse Mixture Routing at Scale},
  author = {Okonkwo, Ada and Wang, Wei and Fischer, Lena and M{\"u}ller, Jonas},
  booktitle = {Proceedings of the Workshop on Efficient Models},
  year = {2024},
  doi = {10.5555/SMRS.2024}
}

@article{wang2022calibrating,
  title = {Calibrating Dense Retrievers},
  author = {Wang, Wei and Chen, Bo},
  journal = {Journal of Retrieval Studies},
  year = {2022},
  eprint = {2201.00001},
  archivePrefix = {arXiv}
}
"""

ARXIV = r"""{"id":"2201.00001","submitter":"Wei Wang","authors":"Wei Wang and Bo Chen","title":"Calibrating dense retrievers","comments":null,"journal-ref":null,"doi":null,"categories":"cs.IR","abstract":"  Dense retrievers are calibrated.\n","versions":[{"version":"v1","created":"Sat, 1 Jan 2022 10:00:00 GMT"}],"update_date":"2022-01-05","authors_parsed":[["Wang","Wei",""],["Chen","Bo",""]]}
"""

CSL = """[{"id": "chen2023graph", "type": "paper-conference", "title": "Graph priors for retrieval", "container-title": "Proceedings of the Retrieval Conference",
  "author": [{"family": "Chen", "given": "Bo"}, {"family": "Okonkwo", "given": "Ada"}], "issued": {"date-parts": [[2023, 6]]}, "DOI": "10.5555/GPR.2023"}]
"""


def _inst(name, ror, openalex, country):
    return {"id": f"https://openalex.org/{openalex}", "display_name": name, "ror": f"https://ror.org/{ror}",
            "country_code": country, "type": "education"}


CMU = _inst("Carnegie Mellon University", "05x2bcf33", "I74973139", "US")
THU = _inst("Tsinghua University", "03cve4549", "I99065089", "CN")
ETH = _inst("ETH Zurich", "05a28rw58", "I35440088", "CH")
PKU = _inst("Peking University", "02v51f717", "I20231570", "CN")


def _author(position, name, author_id, orcid, institutions):
    return {"author_position": position,
            "author": {"id": author_id and f"https://openalex.org/{author_id}", "display_name": name,
                       "orcid": orcid and f"https://orcid.org/{orcid}"},
            "institutions": institutions, "raw_author_name": name,
            "raw_affiliation_strings": [i["display_name"] for i in institutions]}


def _work(work_id, title, year, doi, authorships):
    return {"id": f"https://openalex.org/{work_id}", "doi": doi and f"https://doi.org/{doi}", "title": title,
            "display_name": title, "publication_year": year, "publication_date": f"{year}-03-03", "type": "article",
            "ids": {"openalex": f"https://openalex.org/{work_id}"},
            "primary_location": {"source": {"display_name": "Proceedings of the Workshop on Efficient Models", "type": "conference"}},
            "authorships": authorships}


OPENALEX = {"meta": {"count": 3, "page": 1, "per_page": 25}, "results": [
    _work("W4000000001", "Sparse mixture routing at scale", 2024, "10.5555/smrs.2024", [
        _author("first", "Ada Okonkwo", "A5000000001", "0000-0002-0000-0006", [CMU]),
        _author("middle", "Wei Wang", "A5000000002", "0000-0001-1111-1118", [THU]),
        _author("middle", "Lena Fischer", "A5000000003", None, [ETH]),
        _author("last", "Jonas M\u00fcller", None, None, [])]),
    _work("W4000000002", "Routing tokens without auxiliary losses", 2025, None, [
        _author("first", "A. N. Okonkwo", "A5000000001", None, [CMU]),
        _author("last", "Lena Fischer", "A5000000003", None, [ETH])]),
    _work("W4000000003", "Protein folding with diffusion", 2023, "10.5555/pfd.2023", [
        _author("first", "Wei Wang", "A5000000099", "0000-0003-9999-9995", [PKU]),
        _author("last", "Mei Lin", None, None, [PKU])]),
]}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "ada-okonkwo.txt").write_text(PAGE, encoding="utf-8")
    (folder / "refs.bib").write_text(BIBTEX, encoding="utf-8")
    (folder / "preprints.jsonl").write_text(ARXIV, encoding="utf-8")
    (folder / "items.json").write_text(CSL, encoding="utf-8")
    (folder / "works.json").write_text(json.dumps(OPENALEX, ensure_ascii=False), encoding="utf-8")
    result = build_knowledge_graph([folder], as_of=AS_OF)
    store = EmbeddedStore(tmp_path_factory.mktemp("store") / "graph.lbdb")
    store.write(result.tables)
    return result, store


def rows(store, cypher, **params):
    return [dict(r) for r in store.query(cypher, params)]


def test_every_file_read_by_its_reader(mixed):
    result, _ = mixed
    assert result.problems == [] and result.files == 5 and result.records == 9
    assert result.readers == {"profile": {"suffix": 1}, "csl-json": {"sniffed": 1}, "arxiv": {"sniffed": 1},
                              "bibtex": {"suffix": 1}, "openalex": {"sniffed": 1}}


def test_papers_merge_across_sources(mixed):
    result, store = mixed
    papers = rows(store, "MATCH (p:Paper) RETURN p.title AS title, p.year AS year, p.doi AS doi, p.ids AS ids, "
                         "p.sources AS sources ORDER BY p.year, p.title")
    got = [(p["year"], p["title"].lower(), p["doi"], sorted(p["ids"]), len(p["sources"])) for p in papers]
    assert got == [
        (2022, "calibrating dense retrievers", None, ["arxiv:2201.00001"], 2),
        (2023, "graph priors for retrieval", "10.5555/gpr.2023", ["doi:10.5555/gpr.2023"], 2),
        (2023, "protein folding with diffusion", "10.5555/pfd.2023", ["doi:10.5555/pfd.2023", "openalex:W4000000003"], 1),
        (2024, "sparse mixture routing at scale", "10.5555/smrs.2024", ["doi:10.5555/smrs.2024", "openalex:W4000000001"], 3),
        (2025, "routing tokens without auxiliary losses", None, ["openalex:W4000000002"], 1),
    ]
    reasons = {m.name.lower(): m.reason for m in result.resolution.merges if m.kind == "paper"}
    assert "same source id doi:10.5555/smrs.2024" in reasons["sparse mixture routing at scale"]
    assert reasons["calibrating dense retrievers"] == "same source id arxiv:2201.00001"
    assert reasons["graph priors for retrieval"] == "same title, years 2023 and 2023"
    [smrs] = rows(store, "MATCH (p:Paper) WHERE p.doi = '10.5555/smrs.2024' RETURN p.venue AS venue, p.category AS category, "
                         "p.has_code AS code, p.authors_truncated AS truncated")
    assert smrs == {"venue": "Proceedings of the Workshop on Efficient Models", "category": "LG", "code": True, "truncated": False}


def test_authors_identifiers_first(mixed):
    _, store = mixed
    [ada] = rows(store, "MATCH (a:Author) WHERE a.orcid = '0000-0002-0000-0006' RETURN a.id AS id, a.name AS name, "
                        "a.ids AS ids, a.name_variants AS variants, a.is_profile_owner AS owner, a.h_index AS h")
    assert ada["name"] == "Ada Okonkwo" and sorted(ada["variants"]) == ["A. N. Okonkwo", "Ada Okonkwo"]
    assert sorted(ada["ids"]) == ["openalex:A5000000001", "orcid:0000-0002-0000-0006"]
    assert ada["owner"] is True and ada["h"] == 12
    titles = rows(store, "MATCH (a:Author {id: $id})-[:AUTHORED]->(p:Paper) RETURN p.title AS t ORDER BY t", id=ada["id"])
    assert [t["t"].lower() for t in titles] == ["graph priors for retrieval", "routing tokens without auxiliary losses",
                                                 "sparse mixture routing at scale"]
    weis = rows(store, "MATCH (a:Author)-[:AUTHORED]->(p:Paper) WHERE a.orcid IN ['0000-0001-1111-1118', '0000-0003-9999-9995'] "
                       "RETURN a.id AS id, a.orcid AS orcid, p.title AS title ORDER BY orcid")
    assert [(w["orcid"], w["title"].lower()) for w in weis] == [("0000-0001-1111-1118", "sparse mixture routing at scale"),
                                                              ("0000-0003-9999-9995", "protein folding with diffusion")]
    assert weis[0]["id"] != weis[1]["id"]  # one name, two ORCIDs: two people


def test_per_author_affiliations(mixed):
    _, store = mixed
    links = rows(store, "MATCH (a:Author)-[r:AFFILIATED_WITH]->(i:Institution) WHERE a.name <> 'Wei Wang' OR a.orcid IS NOT NULL "
                        "RETURN a.name AS author, i.name AS institution, r.papers AS papers, r.first_year AS first, r.last_year AS last "
                        "ORDER BY author, institution")
    assert [tuple(r.values()) for r in links] == [
        ("Ada Okonkwo", "Carnegie Mellon University", 2, 2024, 2025),
        ("Ada Okonkwo", "University of Washington", 1, 2023, 2023),  # Graph Priors: no per-author data, the paper's list
        ("Bo Chen", "University of Washington", 1, 2023, 2023),
        ("Lena Fischer", "ETH Zurich", 2, 2024, 2025),  # not CMU, although the page lists cmu for the paper
        ("Mei Lin", "Peking University", 1, 2023, 2023),
        ("Wei Wang", "Peking University", 1, 2023, 2023),
        ("Wei Wang", "Tsinghua University", 1, 2024, 2024),
    ]
    assert rows(store, "MATCH (a:Author)-[r:AFFILIATED_WITH]->() WHERE a.name = 'Jonas M\u00fcller' RETURN count(r) AS n") == [{"n": 0}]
    authored = rows(store, "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) WHERE p.doi = '10.5555/smrs.2024' "
                           "RETURN a.name AS name, r.position AS position, r.inferred AS inferred, r.affiliations AS affiliations "
                           "ORDER BY position")
    assert [tuple(r.values()) for r in authored] == [
        ("Ada Okonkwo", 0, False, ["institution:carnegie-mellon-university"]),
        ("Wei Wang", 1, False, ["institution:tsinghua-university"]),
        ("Lena Fischer", 2, False, ["institution:eth-zurich"]),
        ("Jonas M\u00fcller", 3, False, []),
    ]
    listed = rows(store, "MATCH (p:Paper)-[:AFFILIATED_WITH]->(i:Institution) WHERE p.doi = '10.5555/smrs.2024' "
                         "RETURN i.name AS name, i.ror AS ror, i.country AS country, i.ids AS ids ORDER BY name")
    assert [tuple(r.values()) for r in listed] == [
        ("Carnegie Mellon University", "05x2bcf33", "US", ["openalex:I74973139", "ror:05x2bcf33"]),
        ("ETH Zurich", "05a28rw58", "CH", ["openalex:I35440088", "ror:05a28rw58"]),
        ("Tsinghua University", "03cve4549", "CN", ["openalex:I99065089", "ror:03cve4549"]),
    ]


def test_one_paper_from_two_sources_keeps_one_person_per_position(mixed):
    # BibTeX and arXiv both show "Wei Wang" first on "Calibrating Dense Retrievers"; two other
    # Wei Wangs carry ORCIDs, so the name alone cannot decide, but the shared paper does.
    _, store = mixed
    positions = rows(store, "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) WHERE NOT r.inferred "
                            "RETURN p.title AS title, r.position AS position, count(a) AS authors")
    assert positions and all(r["authors"] == 1 for r in positions), positions
    (wang,) = rows(store, "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) WHERE p.title =~ '(?i)calibrating.*' "
                          "AND r.position = 0 RETURN a.ids AS ids")
    assert wang["ids"] == []
