"""Session 14: defects left on the last notes' list and found by outside testers, each checked through
the CLI, the stored graph or the files a user opens."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphkit.cli import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("p14") / "out"
    result = runner.invoke(app, ["build", str(EXAMPLES / "profiles"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_graphml_node_ids_are_read_once_by_igraph_and_networkx(built, tmp_path):
    igraph = pytest.importorskip("igraph")
    import networkx as nx

    path = tmp_path / "g.graphml"
    assert runner.invoke(app, ["export", str(path), "--format", "graphml", "--db", str(built)]).exit_code == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # igraph warns when a data key named id shadows the element's id
        g = igraph.Graph.Read_GraphML(str(path))
    G = nx.read_graphml(path)
    assert sorted(g.vs["id"]) == sorted(G.nodes)
    assert "author:kenton-lee" in G and "id" not in G.nodes["author:kenton-lee"]
    assert g.vs.find(id="author:kenton-lee")["name"] == "Kenton Lee"


@pytest.mark.parametrize("value", ["inf", "1e300", "0"])
def test_timeout_without_a_limit(built, value):
    result = runner.invoke(app, ["query", "--db", str(built), f"--timeout={value}", "--format", "json",
                                 "MATCH (a:Author) RETURN count(a) AS n"])
    assert result.exit_code == 0, result.output
    assert '"n":' in result.output.replace(" ", "")


@pytest.mark.parametrize("value", ["nan", "-1"])
def test_timeout_that_is_not_a_duration_is_refused_in_one_line(built, value):
    result = runner.invoke(app, ["query", "--db", str(built), f"--timeout={value}", "RETURN 1"])
    assert result.exit_code == 2
    assert "not a number of seconds" in result.output and "Traceback" not in result.output


PATH_BIB = """@article{big, title={A Large Collaboration}, author={Ames, Ada and Brook, Ben and Cole, Cara and Dunn, Dan and Eden, Eve},
  year={2015}, journal={J}}
@article{small, title={Two of Them}, author={Ames, Ada and Brook, Ben}, year={2019}, journal={J}}
@article{third, title={Cole and Brook}, author={Cole, Cara and Brook, Ben}, year={2020}, journal={J}}
"""


def test_path_lists_the_papers_behind_each_coauthored_edge(tmp_path):
    import json

    (tmp_path / "refs.bib").write_text(PATH_BIB, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "refs.bib"), "--out", str(out), "--max-authors", "3"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["path", "Ada Ames", "Cara Cole", "--db", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    steps = json.loads(result.output)
    # Ada and Cara share only the five-author paper, which forms no pair: the path goes through Ben
    assert [(s["from_name"], s["to_name"]) for s in steps] == [("Ada Ames", "Ben Brook"), ("Ben Brook", "Cara Cole")]
    assert [p["title"] for p in steps[0]["papers"]] == ["Two of Them"]
    assert [p["title"] for p in steps[0]["hyperauthored_papers"]] == ["A Large Collaboration"]
    assert [p["title"] for p in steps[1]["papers"]] == ["Cole and Brook"]
    table = runner.invoke(app, ["path", "Ada Ames", "Ben Brook", "--db", str(out)])
    assert "A Large Collaboration" not in table.output and "also 1 shared paper with more authors" in table.output


def _identities(out: Path) -> list[dict]:
    import json

    result = runner.invoke(app, ["identities", "--db", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _circles_bib(shared_coauthor: bool, family: str = "Wang", given: str = "Liming") -> str:
    other = "Hsu, Alden" if shared_coauthor else "Petrov, Ivan"
    return f"""@article{{a1, title={{Neural Machine Translation Toolkit}}, author={{{family}, {given} and Hsu, Alden and Okafor, Chidi}}, year={{2018}}, journal={{ACL}}}}
@article{{a2, title={{Toolkit Two}}, author={{{family}, {given} and Hsu, Alden and Brandt, Jonas}}, year={{2019}}, journal={{ACL}}}}
@article{{b1, title={{Elliptic Curves over Finite Fields}}, author={{{family}, {given} and {other}}}, year={{2007}}, journal={{Math}}}}
@article{{b2, title={{Modular Forms Again}}, author={{{family}, {given} and Petrov, Ivan and Szabo, Gergely}}, year={{2008}}, journal={{Math}}}}
"""


@pytest.mark.parametrize("shared, family, given, reported", [
    (False, "Wang", "Liming", True),     # a common name, two circles, nothing to tell them apart: said
    (True, "Wang", "Liming", False),     # one co-author joins the circles: one person, nothing to say
    (False, "Mikolov", "Tomas", False),  # a rarer name is one person who changed fields
])
def test_a_common_name_in_disjoint_circles_without_evidence_is_reported(tmp_path, shared, family, given, reported):
    (tmp_path / "refs.bib").write_text(_circles_bib(shared, family, given), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "refs.bib"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [r for r in _identities(out) if r["kind"] == "ambiguous"]
    if reported:
        assert len(rows) == 1 and "2 co-author circles that share nobody" in rows[0]["evidence"]
        assert rows[0]["authors"] == [f"author:{given}-{family}".lower()]
    else:
        assert rows == []
    from graphkit.store.embedded import EmbeddedStore

    names = [r["name"] for r in EmbeddedStore(out).query(
        f"MATCH (a:Author) WHERE a.name = '{given} {family}' RETURN a.name AS name")]
    assert names == [f"{given} {family}"]  # kept as one person either way


def _openalex_work(wid: str, title: str, year: int, authors: list[tuple[str, str, str]]) -> dict:
    """An OpenAlex work: each author as (name, institution name, ROR id)."""
    return {"id": f"https://openalex.org/{wid}", "title": title, "display_name": title, "publication_year": year,
            "type": "article", "authorships": [
                {"author_position": "first" if k == 0 else "middle", "raw_author_name": name,
                 "author": {"id": None, "display_name": name, "orcid": None},
                 "institutions": [{"id": None, "display_name": inst, "ror": f"https://ror.org/{ror}", "country_code": None}]}
                for k, (name, inst, ror) in enumerate(authors)]}


def _csl_item(cid: str, title: str, year: int, authors: list[tuple[str, str, str]]) -> dict:
    """A CSL-JSON item: each author as (family, given, affiliation as written)."""
    return {"id": cid, "type": "article-journal", "title": title, "issued": {"date-parts": [[year]]},
            "author": [{"family": f, "given": g, "affiliation": [{"name": a}]} for f, g, a in authors]}


@pytest.mark.parametrize("institution, ror", [
    ("Tsinghua University", "03cve4549"),           # in the alias table
    ("Institute of Quantum Widgets", "0qwidget1"),  # known to no table: the ROR record's name
])
def test_an_affiliation_pinned_by_ror_is_the_same_place_as_its_name_written(tmp_path, institution, ror):
    import json

    works = {"results": [_openalex_work("W1", "Sparse Attention for Protein Models", 2022,
                                        [("Min-jun Kim", institution, ror), ("Hao Chen", institution, ror)])]}
    items = [_csl_item("c1", "Protein Structure Tokens", 2023, [("Kim", "Minjun", institution), ("Wang", "Yuxuan", institution)]),
             _csl_item("c2", "Monsoon Rainfall Records", 2023, [("Kim", "Minjun", "Seoul National University"),
                                                                ("Park", "Jiwoo", "Seoul National University")])]
    (tmp_path / "oa.json").write_text(json.dumps(works), encoding="utf-8")
    (tmp_path / "items.json").write_text(json.dumps(items), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "oa.json"), str(tmp_path / "items.json"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    from graphkit.store.embedded import EmbeddedStore

    rows = EmbeddedStore(out).query(
        "MATCH (a:Author)-[:AUTHORED]->(p:Paper) WHERE a.name CONTAINS 'Kim' RETURN a.id AS id, p.title AS title ORDER BY title")
    by_paper = {r["title"]: r["id"] for r in rows}
    # the ROR-pinned and the written affiliation are one place: one person there; Seoul's is another
    assert by_paper["Sparse Attention for Protein Models"] == by_paper["Protein Structure Tokens"]
    assert by_paper["Monsoon Rainfall Records"] != by_paper["Protein Structure Tokens"]
    split = [r for r in _identities(out) if r["kind"] == "split"]
    assert len(split) == 1 and "1 at seoul" in split[0]["evidence"].lower() and "institution:" not in split[0]["evidence"]


def test_a_curation_rule_at_an_abbreviation_finds_a_ror_pinned_affiliation(tmp_path):
    import json

    works = {"results": [_openalex_work("W2", "Reaction Yield Prediction", 2022,
                                        [("Wei Zhang", "Massachusetts Institute of Technology", "042nb2s44"),
                                         ("Chidi Okonkwo", "Massachusetts Institute of Technology", "042nb2s44")])]}
    (tmp_path / "oa.json").write_text(json.dumps(works), encoding="utf-8")
    (tmp_path / "refs.bib").write_text("@article{z, title={Graph Yields}, author={Zhang, W. and Okonkwo, Chidi}, year={2023}, journal={J}}\n",
                                       encoding="utf-8")
    rules = tmp_path / "ids.yaml"
    rules.write_text('same:\n  - [W. Zhang, "Wei Zhang @ MIT"]\n', encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "oa.json"), str(tmp_path / "refs.bib"), "--identities", str(rules),
                                 "--out", str(out), "--strict"])
    assert result.exit_code == 0, result.output  # no "matches no author" problem
    from graphkit.store.embedded import EmbeddedStore

    ids = {r["id"] for r in EmbeddedStore(out).query("MATCH (a:Author) WHERE a.name CONTAINS 'Zhang' RETURN a.id AS id")}
    assert len(ids) == 1


def test_graphml_and_gexf_keep_each_papers_kind_beside_the_node_label(tmp_path):
    import networkx as nx

    from graphkit.store.embedded import EmbeddedStore

    built = tmp_path / "out"
    assert runner.invoke(app, ["build", str(EXAMPLES / "bibtex"), str(EXAMPLES / "arxiv"), "--out", str(built)]).exit_code == 0
    kinds = {r["id"]: r["kind"] for r in EmbeddedStore(built).query("MATCH (p:Paper) RETURN p.id AS id, p.kind AS kind")}
    assert any(kinds.values())
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"g.{fmt}"
        assert runner.invoke(app, ["export", str(path), "--format", fmt, "--db", str(built)]).exit_code == 0
        G = read(path)
        assert {n: d.get("kind") for n, d in G.nodes(data=True) if d["node_label"] == "Paper"} == kinds
        assert {d["node_label"] for _, d in G.nodes(data=True)} == {"Author", "Paper"}


def test_a_neo4j_admin_folder_is_readable_as_mkdir_would_make_it(built, tmp_path):
    import os
    import stat

    folder = tmp_path / "import"
    assert runner.invoke(app, ["export", str(folder), "--db", str(built)]).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~mask


def test_eigenvector_of_a_pair_with_a_self_loop_is_networkx_limit(tmp_path):
    import csv
    import io

    import networkx as nx

    edges = tmp_path / "pairs.txt"
    edges.write_text("1 2\n1 1\n3 4\n", encoding="utf-8")
    result = runner.invoke(app, ["centrality", "--edgelist", str(edges), "--measure", "eigenvector", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    got = {r["id"]: float(r["eigenvector"]) for r in rows}
    want = nx.eigenvector_centrality(nx.Graph([(1, 2), (1, 1), (3, 4)]), max_iter=10000, tol=1e-12)
    assert {int(a): round(x, 6) for a, x in got.items()} == {n: round(x, 6) for n, x in want.items()}


TWO_WORKS_BIB = """@article{j, title={Graph Networks for Molecules: A Survey}, author={Okafor, Ada and Lind, Bo}, year={2023},
  journal={J. Chem. Inf. Model.}, doi={10.1021/acs.jcim.3c00123}}
@article{r, title={Graph Networks for Molecules: A Survey}, author={Okafor, Ada and Lind, Bo and Roy, Cy}, year={2024},
  journal={Chem. Rev.}, doi={10.1021/acs.chemrev.4c00001}}
"""
BRIDGES = {
    "no-doi": """@article{c, title={Graph networks for molecules - a survey}, author={Okafor, Ada and Lind, Bo}, year={2023}, journal={JCIM}}\n""",
    "preprint": """@misc{p, title={Graph Networks for Molecules: A Survey}, author={Okafor, Ada and Lind, Bo}, year={2022},
  eprint={2211.04567}, archivePrefix={arXiv}}\n""",
}


@pytest.mark.parametrize("bridge", sorted(BRIDGES))
def test_a_record_matching_two_works_with_their_own_dois_does_not_join_them(tmp_path, bridge):
    import json

    (tmp_path / "refs.bib").write_text(TWO_WORKS_BIB + BRIDGES[bridge], encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "refs.bib"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    from graphkit.store.embedded import EmbeddedStore

    dois = sorted(r["doi"] for r in EmbeddedStore(out).query("MATCH (p:Paper) RETURN p.doi AS doi"))
    assert dois == ["10.1021/acs.chemrev.4c00001", "10.1021/acs.jcim.3c00123"]
    ambiguous = json.loads((out / "report.json").read_text(encoding="utf-8"))["ambiguous"]
    said = [a for a in ambiguous if a["a"].startswith("paper:")]
    assert len(said) == 1 and "two works, kept apart" in said[0]["reason"] and "refs.bib:" in said[0]["reason"]


GENERATIONS_BIB = """@article{s1, author={Raghavan, Priya and Smith, Jr., Robert}, title={Federated Clinical Notes}, journal={JAMIA}, year={2019}}
@article{s2, author={Raghavan, Priya and Smith, Jr., Robert}, title={Private Clinical NLP}, journal={JAMIA}, year={2022}}
@article{s3, author={Smith, III, Robert and Nguyen, Thanh}, title={Karst Aquifer Recharge}, journal={WRR}, year={2015}}
@article{s5, author={Kennedy, II, Joseph P. and Kennedy, III, Joseph P.}, title={Two Generations}, journal={FH}, year={2012}}
"""


def test_two_generational_suffixes_of_one_name_are_two_people(tmp_path):
    (tmp_path / "refs.bib").write_text(GENERATIONS_BIB, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "refs.bib"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    from graphkit.store.embedded import EmbeddedStore

    rows = EmbeddedStore(out).query("MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN a.name AS name, p.title AS title")
    authors = {}
    for r in rows:
        authors.setdefault(r["name"], set()).add(r["title"])
    assert authors["Robert Smith Jr."] == {"Federated Clinical Notes", "Private Clinical NLP"}
    assert authors["Robert Smith III"] == {"Karst Aquifer Recharge"}
    assert authors["Joseph P. Kennedy II"] == authors["Joseph P. Kennedy III"] == {"Two Generations"}  # two AUTHORED edges
    splits = [r for r in _identities(out) if r["kind"] == "split"]
    assert any("generational suffixes (jr, iii)" in r["evidence"] for r in splits)


def test_a_never_rule_between_generations_takes_effect_and_one_matching_both_sides_is_a_problem(tmp_path):
    (tmp_path / "refs.bib").write_text(GENERATIONS_BIB, encoding="utf-8")
    rules = tmp_path / "ids.yaml"
    rules.write_text("never:\n  - [Robert Smith Jr., Robert Smith III]\n  - [Priya Raghavan, \"Raghavan, Priya\"]\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "refs.bib"), "--identities", str(rules), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "ids.yaml:3: identities rule 'never': 'Priya Raghavan' and 'Raghavan, Priya' both match the same 2" in result.output
    assert "ids.yaml:2" not in result.output  # the generations rule matches one side each


def test_decomposed_names_are_one_spelling_and_a_percent_encoded_doi_is_read(tmp_path):
    import json

    nfd, nfc = "Mu\u0308ller, Jo\u0308rg", "Jörg Müller"
    (tmp_path / "a.bib").write_text(f"@article{{a, title={{First}}, author={{{nfd} and Pratt, Ben}}, year={{2020}}, journal={{J}}}}\n"
                                    "@article{b, title={Second}, author={Müller, Jörg and Pratt, Ben}, year={2021}, journal={J}}\n",
                                    encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps([{"id": "c", "type": "article-journal", "title": "Third",
                                                  "DOI": "https://doi.org/10.1021%2Facs.jcim.3c00123",
                                                  "author": [{"family": "Mu\u0308ller", "given": "Jo\u0308rg"}],
                                                  "issued": {"date-parts": [[2022]]}}]), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "a.bib"), str(tmp_path / "c.json"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    from graphkit.store.embedded import EmbeddedStore

    store = EmbeddedStore(out)
    rows = store.query("MATCH (a:Author) WHERE a.name CONTAINS 'rg' RETURN a.name AS name, a.name_variants AS variants")
    assert rows == [{"name": nfc, "variants": [nfc]}]
    assert store.query("MATCH (p:Paper {title: 'Third'}) RETURN p.doi AS doi") == [{"doi": "10.1021/acs.jcim.3c00123"}]


def test_a_profile_page_whose_papers_are_two_orcid_people_is_flagged(tmp_path):
    import json

    page = tmp_path / "wei-zhang.txt"
    page.write_text("""Wei Zhang

LG
h-index21
2papers

2 Papers

LGMar 14, 2022
Reaction Yield Prediction with Graphs

Wei Zhang, Chidi Okonkwo · mit

Graphs predict yields.

LGJun 1, 2023
Protein Tokens for Language Models

Wei Zhang, Hao Chen · tsinghua

Tokens for proteins.
""", encoding="utf-8")
    works = {"results": [
        {**_openalex_work("W7", "Reaction Yield Prediction with Graphs", 2022,
                          [("Wei Zhang", "MIT", "042nb2s44"), ("Chidi Okonkwo", "MIT", "042nb2s44")])},
        {**_openalex_work("W8", "Protein Tokens for Language Models", 2023,
                          [("Wei Zhang", "Tsinghua University", "03cve4549"), ("Hao Chen", "Tsinghua University", "03cve4549")])},
    ]}
    works["results"][0]["authorships"][0]["author"]["orcid"] = "https://orcid.org/0000-0001-5000-0007"
    works["results"][1]["authorships"][0]["author"]["orcid"] = "https://orcid.org/0000-0002-6000-0008"
    (tmp_path / "oa.json").write_text(json.dumps(works), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(page), str(tmp_path / "oa.json"), "--out", str(out), "--as-of", "2026-01-01"])
    assert result.exit_code == 0, result.output
    flags = json.loads((out / "report.json").read_text(encoding="utf-8"))["flagged_profiles"]
    assert len(flags) == 1 and "2 people with different orcid ids" in flags[0]["reason"], flags
    assert flags[0]["author_id"] in flags[0]["reason"]


def test_an_unknown_address_and_its_institution_alone_are_one_institution(tmp_path):
    import json

    items = [_csl_item("a", "Tulip Genomics", 2020, [("Jansen", "Eva", "Leiden University, Leiden, The Netherlands")]),
             _csl_item("b", "Canal Hydrology", 2021, [("Bakker", "Sem", "Leiden University")]),
             _csl_item("c", "Solid Plasma", 2021, [("Li", "Na", "Institute of Physics, Chinese Academy of Sciences, Beijing, China")]),
             _csl_item("d", "Quiet Search", 2022, [("Kaur", "Simran", "Acme Widget Works, Springfield, OR")])]
    (tmp_path / "items.json").write_text(json.dumps(items), encoding="utf-8")
    (tmp_path / "refs.bib").write_text("@article{p, title={Encoded}, author={Lowe, Ada}, year={2020}, journal={J},"
                                       " doi={https://doi.org/10.1021%2Facs.jcim.3c00123}}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "items.json"), str(tmp_path / "refs.bib"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    from graphkit.store.embedded import EmbeddedStore

    store = EmbeddedStore(out)
    names = sorted(r["name"] for r in store.query("MATCH (i:Institution) RETURN i.name AS name"))
    assert names == ["Acme Widget Works, Springfield, OR", "Chinese Academy of Sciences", "Leiden University"]
    aliases = store.query("MATCH (i:Institution {name: 'Leiden University'}) RETURN i.aliases AS aliases")[0]["aliases"]
    assert "Leiden University, Leiden, The Netherlands" in aliases
    assert store.query("MATCH (p:Paper {title: 'Encoded'}) RETURN p.doi AS doi") == [{"doi": "10.1021/acs.jcim.3c00123"}]


def test_a_second_build_into_a_locked_folder_stops_before_reading(tmp_path):
    from graphkit.outputs import build_lock, claim_output_folder

    bib = tmp_path / "refs.bib"
    bib.write_text("@article{a, title={One}, author={Lowe, Ada}, year={2020}, journal={J}}\n@article{b, author={X}}\n",
                   encoding="utf-8")
    out = tmp_path / "out"
    claim_output_folder(out)
    with build_lock(out):
        result = runner.invoke(app, ["build", str(bib), "--out", str(out)])
    assert result.exit_code == 1
    assert "another graphkit build" in result.output
    assert "has no title" not in result.output and "read:" not in result.output  # nothing was read
    assert runner.invoke(app, ["build", str(bib), "--out", str(out)]).exit_code == 0


def test_identities_of_a_report_of_another_shape_is_one_line(tmp_path):
    import json

    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(EXAMPLES / "ris"), "--out", str(out)]).exit_code == 0
    for other in ({"graphkit": "0.0.9", "merges": {"authors": 3}}, {"graphkit": "9.9", "identities": "garbage"},
                  {"graphkit": "9.9", "identities": {"decisions": [{"kind": "merge", "names": "Ada"}]}}):
        (out / "report.json").write_text(json.dumps(other), encoding="utf-8")
        result = runner.invoke(app, ["identities", "--db", str(out)])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "a build report this graphkit cannot read" in result.output.strip().splitlines()[-1]


def test_one_path_given_alone_to_the_python_api_is_that_path():
    from graphkit.pipeline import build_knowledge_graph, extract_all

    listed = build_knowledge_graph([EXAMPLES / "ris"]).counts()
    assert build_knowledge_graph(str(EXAMPLES / "ris")).counts() == listed
    assert build_knowledge_graph(EXAMPLES / "ris").counts() == listed
    assert extract_all(str(EXAMPLES / "ris"))[3] == len(list((EXAMPLES / "ris").glob("*.ris")))


def test_nothing_built_counts_the_files_it_was_given(tmp_path):
    (tmp_path / "empty.bib").write_text("", encoding="utf-8")
    (tmp_path / "junk.dat").write_bytes(b"\x01\x02junk")
    result = runner.invoke(app, ["build", str(tmp_path / "empty.bib"), str(tmp_path / "junk.dat"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "from 2 input file(s)" in result.output and not (tmp_path / "o").exists()


@pytest.mark.parametrize("name, text", [
    ("centrality.csv", "id,name,degree,pagerank\nalice,Alice Smith,3,0.2\n"),
    ("centrality.csv", "id,name\nalice,Alice Smith\n"),
    ("report.json", '{"graphkit": "notes on graph tools I tried", "todo": "keep"}'),
])
def test_a_users_file_shaped_like_an_output_is_not_taken_for_graphkits(tmp_path, name, text):
    out = tmp_path / "mine"
    out.mkdir()
    (out / name).write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["build", str(EXAMPLES / "ris"), "--out", str(out)])
    assert result.exit_code == 1 and "is not a graphkit output folder" in result.output
    assert (out / name).read_text(encoding="utf-8") == text and [p.name for p in out.iterdir()] == [name]


def test_an_unmarked_folder_of_graphkits_own_outputs_is_still_rebuilt(tmp_path):
    out = tmp_path / "old"
    assert runner.invoke(app, ["build", str(EXAMPLES / "ris"), "--out", str(out)]).exit_code == 0
    (out / ".graphkit-out").unlink()  # a folder from before the marker
    assert runner.invoke(app, ["build", str(EXAMPLES / "ris"), "--out", str(out)]).exit_code == 0


def test_a_graph_of_another_schema_or_a_damaged_file_is_one_line_naming_it(tmp_path, built):
    import shutil

    import ladybug

    other = tmp_path / "other"
    other.mkdir()
    db = ladybug.Database(str(other / "graph.lbdb"))
    conn = ladybug.Connection(db)
    conn.execute("CREATE NODE TABLE Author(id STRING, name STRING, PRIMARY KEY(id))")
    conn.execute("CREATE REL TABLE COAUTHORED(FROM Author TO Author, papers INT64)")
    conn.close()
    db.close()
    for command in (["stats"], ["centrality"], ["growth"], ["path", "A", "B"], ["map", "--out", str(tmp_path / "m.html")]):
        result = runner.invoke(app, [*command, "--db", str(other)])
        assert result.exit_code == 1, result.output
        last = result.output.strip().splitlines()[-1]
        assert f"{other / 'graph.lbdb'} is not a graph this graphkit version reads" in last and "rebuild" in last, last
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    shutil.copy(built / "graph.lbdb", damaged / "graph.lbdb")
    with open(damaged / "graph.lbdb", "r+b") as handle:
        handle.truncate((damaged / "graph.lbdb").stat().st_size // 2)
    result = runner.invoke(app, ["stats", "--db", str(damaged)])
    assert result.exit_code == 1 and "retry" not in result.output
    assert "damaged" in result.output or "not a graph" in result.output, result.output


def test_a_map_that_cannot_be_written_names_the_users_file(built, tmp_path):
    if not Path("/proc/self").is_dir():
        pytest.skip("needs /proc (Linux): a folder where no file can be created")
    target = Path("/proc/graphkit-test-map.html")
    result = runner.invoke(app, ["map", "--db", str(built), "--out", str(target)])
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert str(target) in last and ".tmp" not in last and ".graphkit-" not in last, last


@pytest.mark.parametrize("flag, name", [("--svg", "pic.png"), ("--png", "pic.svg")])
def test_a_picture_flag_and_its_file_suffix_must_agree(built, tmp_path, flag, name):
    result = runner.invoke(app, ["map", "--db", str(built), flag, str(tmp_path / name)])
    assert result.exit_code == 2 and "writes that format" in result.output
    assert not (tmp_path / name).exists()


def test_a_graph_without_authors_has_no_diameter():
    import networkx as nx

    from graphkit.analyze import graph_stats

    assert graph_stats(nx.Graph())["diameter"] is None
    assert graph_stats(nx.Graph([(1, 1)]))["diameter"] == 0 and graph_stats(nx.Graph([(1, 2), (2, 3)]))["diameter"] == 2


COLLECTIVE_BIB = """@article{a, title={Observation of a New Boson}, author={{ATLAS Collaboration} and Aad, Georges and Abbott, Brad},
  year={2012}, journal={PLB}}
@article{b, title={SciPy 1.0}, author={Virtanen, Pauli and Gommers, Ralf and {SciPy 1.0 Contributors}}, year={2020}, journal={NM}}
@article{c, title={Jets Again}, author={Aad, Georges and {The ATLAS Collaboration}}, year={2013}, journal={PLB}}
@article{d, title={People Named Like Words}, author={Team, John and Network, Thea and Collins, Theodore}, year={2014}, journal={J}}
"""


def test_collective_names_are_listed_not_made_authors(tmp_path):
    import json

    (tmp_path / "refs.bib").write_text(COLLECTIVE_BIB, encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(tmp_path / "refs.bib"), "--out", str(out)]).exit_code == 0
    from graphkit.store.embedded import EmbeddedStore

    store = EmbeddedStore(out)
    names = sorted(r["name"] for r in store.query("MATCH (a:Author) RETURN a.name AS name"))
    assert names == ["Brad Abbott", "Georges Aad", "John Team", "Pauli Virtanen", "Ralf Gommers", "Thea Network",
                     "Theodore Collins"]
    # the Newman weight counts the people: Aad and Abbott share one two-person paper
    weight = store.query("MATCH (a:Author {name: 'Georges Aad'})-[c:COAUTHORED]-(b:Author {name: 'Brad Abbott'}) "
                         "RETURN c.weight AS w")
    assert weight == [{"w": 1.0}]
    section = json.loads((out / "report.json").read_text(encoding="utf-8"))["identities"]
    assert section["collective_names"] == {"ATLAS Collaboration": 1, "SciPy 1.0 Contributors": 1, "The ATLAS Collaboration": 1}


def _listing_page(owner: str, h_index: int, cards: list[tuple[str, str, str]]) -> str:
    """A profile page in the listing layout: each card (date, title, co-authors after the owner)."""
    lines = [owner, "", "LG", f"h-index{h_index}", f"{len(cards)}papers", "", f"{len(cards)} Papers", ""]
    for date, title, coauthors in cards:
        lines += [f"LG{date}", title, "", f"{owner}, {coauthors}", "", f"{title} in a sentence of its own.", ""]
    return "\n".join(lines)


def test_pages_of_one_name_with_different_metrics_name_every_pages_metrics(tmp_path):
    import json

    (tmp_path / "zoe-nlp.txt").write_text(_listing_page("Zoe Brandt", 11, [
        ("Mar 1, 2023", "Parsing Tweets Quickly", "Ana Ruiz, Li Wei"),
        ("Apr 2, 2024", "Parsing Tweets Slowly", "Ana Ruiz")]), encoding="utf-8")
    (tmp_path / "zoe-stats.txt").write_text(_listing_page("Zoe Brandt", 30, [
        ("May 3, 2015", "Bayesian Survival Models", "Omar Haddad"),
        ("Jun 4, 2016", "Frailty Priors Revisited", "Omar Haddad, Ines Sousa")]), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path), "--out", str(out), "--as-of", "2026-11-01"])
    assert result.exit_code == 0, result.output
    merges = json.loads((out / "report.json").read_text(encoding="utf-8"))["merges"]
    pages = [m for m in merges if "several profile pages" in m["reason"]]
    assert len(pages) == 1 and "possibly two people" in pages[0]["reason"]
    assert "h-index 30" in pages[0]["reason"] and "h-index 11" in pages[0]["reason"]  # no page's metrics dropped unsaid
