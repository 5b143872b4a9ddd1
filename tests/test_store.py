"""The embedded store: the graph contract through Cypher, round trips, idempotence."""

from __future__ import annotations

import datetime as dt
import shutil

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.build import graph_counts
from graphkit.exceptions import QueryError, ReadOnlyQueryError, StoreNotFoundError
from graphkit.pipeline import build_knowledge_graph
from graphkit.store import EmbeddedStore, GraphStore
from graphkit.tables import GraphTables

from .conftest import AS_OF, EXAMPLES


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory, seeds_dir):
    store = EmbeddedStore(tmp_path_factory.mktemp("seeds"))
    store.write(build_knowledge_graph([seeds_dir], as_of=AS_OF).graph)
    return store


def one(store, statement, **params):
    (row,) = store.query(statement, params)
    return row


def test_store_implements_the_interface(seed_store):
    assert isinstance(seed_store, GraphStore)


def test_contract_counts_by_cypher(seed_store):
    assert one(seed_store, "MATCH (p:Paper) RETURN count(p) AS n")["n"] == 71
    owners = seed_store.query("MATCH (a:Author) WHERE a.is_profile_owner RETURN a.name AS name ORDER BY name")
    assert [r["name"] for r in owners] == ["Hengyuan Zhang", "Wenhong Zhu", "Zhengxin Zhang", "Zhiyuan Zeng"]
    assert one(seed_store, "MATCH (i:Institution) RETURN count(i) AS n")["n"] == 4
    zhang = one(seed_store, "MATCH (a:Author {name: 'Zhengxin Zhang'}) RETURN a.h_index AS h, a.citations AS c, a.novelty AS nov, a.primary_category AS cat")
    assert zhang == {"h": 13, "c": 3126, "nov": 54.0, "cat": "CL"}
    no_metrics = one(seed_store, "MATCH (a:Author {name: 'Hengyuan Zhang'}) RETURN a.h_index AS h, a.is_profile_owner AS o")
    assert no_metrics == {"h": None, "o": True}


def test_inferred_owner_authorship(seed_store):
    row = one(seed_store, "MATCH (a:Author {name: $name})-[r:AUTHORED]->(p:Paper) WHERE p.title STARTS WITH 'SpecInfer' "
              "RETURN r.inferred AS inferred, r.position AS position, p.authors_truncated AS truncated", name="Zhengxin Zhang")
    assert row == {"inferred": True, "position": None, "truncated": True}
    shown = one(seed_store, "MATCH (a:Author {name: 'Zhihao Zhang'})-[r:AUTHORED]->(p:Paper) RETURN r.inferred AS inferred, r.position AS position")
    assert shown == {"inferred": False, "position": 2}


def test_coauthored_papers_and_weight(seed_store):
    row = one(seed_store, "MATCH (a:Author {name: 'Zhiyuan Zeng'})-[c:COAUTHORED]-(b:Author {name: 'Keqing He'}) "
              "RETURN c.papers AS papers, c.weight AS weight, c.first_year AS first, c.last_year AS last")
    assert row == {"papers": 4, "weight": 2.0, "first": 2021, "last": 2022}
    wrong_way = one(seed_store, "MATCH (a:Author)-[c:COAUTHORED]->(b:Author) WHERE a.id > b.id RETURN count(c) AS n")
    assert wrong_way["n"] == 0


def test_affiliations_both_kinds(seed_store):
    paper = one(seed_store, "MATCH (p:Paper)-[:AFFILIATED_WITH]->(i:Institution) WHERE p.title STARTS WITH 'Sheared' "
                "RETURN collect(i.name) AS names")
    assert sorted(paper["names"]) == ["Princeton University", "University of Washington"]
    author = one(seed_store, "MATCH (a:Author {name: 'Zhiyuan Zeng'})-[r:AFFILIATED_WITH]->(i:Institution {name: 'University of Washington'}) "
                 "RETURN r.papers AS papers, r.first_year AS first, r.last_year AS last")
    assert author == {"papers": 5, "first": 2023, "last": 2025}


def test_dates_and_lists_are_typed(seed_store):
    row = one(seed_store, "MATCH (p:Paper) WHERE p.title STARTS WITH 'Understanding by Reconstruction' "
              "RETURN p.date AS date, p.score AS score, p.year AS year, p.sources AS sources")
    assert row["date"] == dt.date(2026, 3, 11) and row["score"] == 99.5 and row["year"] == 2026
    assert len(row["sources"]) == 1 and row["sources"][0].endswith("001_3fe695c5d3f716d5.txt")
    assert one(seed_store, "MATCH (p:Paper) WHERE p.date >= date('2026-01-01') RETURN count(p) AS n")["n"] == 6  # year-less dates: 2 + 3 + 1 cards


def test_read_only_refusal_and_errors(seed_store, tmp_path):
    for write in ("CREATE (a:Author {id: 'x'})", "MATCH (a:Author) DETACH DELETE a", "MATCH (a:Author) SET a.name = 'x'"):
        with pytest.raises(ReadOnlyQueryError):
            seed_store.query(write)
    assert one(seed_store, "MATCH (a:Author) RETURN count(a) AS n")["n"] == 95
    with pytest.raises(QueryError, match="Nope"):
        seed_store.query("MATCH (n:Nope) RETURN n")
    with pytest.raises(StoreNotFoundError, match="graphkit build"):
        EmbeddedStore(tmp_path / "none").query("RETURN 1")


@pytest.mark.parametrize("hostile", ["x' OR 1=1 //", "`Author`", "a\"}) DETACH DELETE n //", "$name", "'; MATCH (n) RETURN n"])
def test_parameters_stay_data(seed_store, hostile):
    rows = seed_store.query("MATCH (a:Author) WHERE a.name = $name RETURN a.name AS name", {"name": hostile})
    assert rows == []
    assert one(seed_store, "RETURN $v AS v", v=hostile)["v"] == hostile


def _edges(G):
    return {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True)}


def test_read_equals_written(seed_store, seeds_dir):
    G = build_knowledge_graph([seeds_dir], as_of=AS_OF).graph
    H = seed_store.read()
    assert graph_counts(H) == seed_store.counts() == graph_counts(G)
    assert dict(G.nodes(data=True)) == dict(H.nodes(data=True))
    assert _edges(G) == _edges(H)


def test_idempotent_and_incremental(tmp_path, seeds_dir):
    store = EmbeddedStore(tmp_path)
    first = store.write(build_knowledge_graph([seeds_dir], as_of=AS_OF).graph)
    again = store.write(build_knowledge_graph([seeds_dir], as_of=AS_OF).graph)
    assert first == again
    before = store.read()
    pages = sorted(seeds_dir.glob("*.txt"))
    partial = tmp_path / "three"
    partial.mkdir()
    for page in pages[:3]:
        shutil.copy(page, partial)
    small = EmbeddedStore(tmp_path / "small")
    small.write(build_knowledge_graph([partial], as_of=AS_OF).graph)
    smaller = small.read()
    shutil.copy(pages[3], partial)
    small.write(build_knowledge_graph([partial], as_of=AS_OF).graph)
    grown = small.read()
    assert set(smaller.nodes) <= set(grown.nodes)
    added = set(grown.nodes) - set(smaller.nodes)
    assert {grown.nodes[n]["label"] for n in added} == {"Author", "Paper"}
    assert sum(grown.nodes[n]["label"] == "Paper" for n in added) == 14  # the by-year page's papers
    unchanged = [n for n in smaller.nodes if smaller.nodes[n] != grown.nodes[n]]
    assert unchanged == []
    assert set(grown.nodes) == set(before.nodes)


def test_merge_mode_upserts(tmp_path):
    G = build_knowledge_graph([EXAMPLES], as_of=AS_OF).graph
    store = EmbeddedStore(tmp_path)
    counts = store.write(G)
    assert store.write(G, mode="merge") == counts
    assert store.set_node_properties("Author", {"score_x": {"author:kenton-lee": 0.25}}) == 1
    assert one(store, "MATCH (a:Author {id: 'author:kenton-lee'}) RETURN a.score_x AS s")["s"] == 0.25
    assert store.read().nodes["author:kenton-lee"]["score_x"] == 0.25


def test_odd_folder_names_and_no_leftovers(tmp_path):
    """Tables are staged as files and COPY names them in a string literal: quotes and backslashes stay literal."""
    G = build_knowledge_graph([EXAMPLES], as_of=AS_OF).graph
    out = tmp_path / "it's a \\ 'quoted' folder"
    store = EmbeddedStore(out)
    assert store.write(G) == graph_counts(G)
    assert _edges(store.read()) == _edges(G)
    assert sorted(p.name for p in out.iterdir()) == ["graph.lbdb"]


def test_failed_write_keeps_the_old_database(tmp_path):
    G = build_knowledge_graph([EXAMPLES], as_of=AS_OF).graph
    store = EmbeddedStore(tmp_path)
    counts = store.write(G)
    broken = GraphTables.from_networkx(G)
    authors = next(t for t in broken.nodes if t.name == "Author")
    for column in authors.columns.values():  # the same id twice: the database refuses the COPY
        column.append(column[0])
    with pytest.raises(QueryError, match="(?i)duplicate|primary key"):
        store.write(broken)
    assert store.counts() == counts
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.lbdb"]


# ------------------------------------------------------------ round trip

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)


@st.composite
def contract_graphs(draw):
    G = nx.MultiDiGraph()
    n_auth, n_pap, n_inst = draw(st.integers(1, 6)), draw(st.integers(1, 5)), draw(st.integers(0, 3))
    authors = [f"author:{i}" for i in range(n_auth)]
    papers = [f"paper:{i}" for i in range(n_pap)]
    insts = [f"institution:{i}" for i in range(n_inst)]
    opt_int = st.none() | st.integers(-(2**40), 2**40)
    opt_float = st.none() | st.floats(allow_nan=False, allow_infinity=False)
    for a in authors:
        G.add_node(a, label="Author", id=a, name=draw(_text), name_variants=draw(st.lists(_text, max_size=3)),
                   orcid=draw(st.none() | _text), ids=draw(st.lists(_text, max_size=2)), is_profile_owner=draw(st.booleans()), h_index=draw(opt_int), citations=draw(opt_int),
                   paper_count=draw(opt_int), novelty=draw(opt_float), ai_score=draw(opt_float),
                   primary_category=draw(st.none() | _text))
    for p in papers:
        date = draw(st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)))
        G.add_node(p, label="Paper", id=p, title=draw(_text), title_inferred=draw(st.booleans()), year=draw(opt_int),
                   date=date.isoformat() if date else None, doi=draw(st.none() | _text), venue=draw(st.none() | _text),
                   kind=draw(st.none() | _text), ids=draw(st.lists(_text, max_size=2)), category=draw(st.none() | _text), score=draw(opt_float),
                   has_code=draw(st.booleans()), abstract=draw(st.none() | _text), urls=draw(st.lists(_text, max_size=2)),
                   authors_truncated=draw(st.booleans()), sources=draw(st.lists(_text, max_size=2)))
    for i in insts:
        G.add_node(i, label="Institution", id=i, name=draw(_text), aliases=draw(st.lists(_text, max_size=2)),
                   ror=draw(st.none() | _text), ids=draw(st.lists(_text, max_size=2)), country=draw(st.none() | _text))
    for a in authors:
        for p in draw(st.lists(st.sampled_from(papers), unique=True, max_size=3)):
            G.add_edge(a, p, "AUTHORED", type="AUTHORED", position=draw(st.none() | st.integers(0, 30)), inferred=draw(st.booleans()),
                       affiliations=draw(st.lists(st.sampled_from(insts), max_size=2)) if insts else [])
    if insts:
        for p in draw(st.lists(st.sampled_from(papers), unique=True, max_size=3)):
            G.add_edge(p, draw(st.sampled_from(insts)), "AFFILIATED_WITH", type="AFFILIATED_WITH")
        for a in draw(st.lists(st.sampled_from(authors), unique=True, max_size=3)):
            G.add_edge(a, draw(st.sampled_from(insts)), "AFFILIATED_WITH", type="AFFILIATED_WITH",
                       papers=draw(st.integers(1, 9)), first_year=draw(opt_int), last_year=draw(opt_int))
    for x in range(len(authors)):
        for y in range(x + 1, len(authors)):
            if draw(st.booleans()):
                G.add_edge(authors[x], authors[y], "COAUTHORED", type="COAUTHORED", papers=draw(st.integers(1, 9)),
                           weight=draw(st.floats(0, 10)), first_year=draw(opt_int), last_year=draw(opt_int))
    return G


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(G=contract_graphs())
def test_round_trip_random_graphs(tmp_path, G):
    store = EmbeddedStore(tmp_path / "rt.lbdb")
    store.write(G)
    H = store.read()
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert _edges(H) == _edges(G)
