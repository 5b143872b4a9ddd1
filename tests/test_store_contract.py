"""One contract suite for every store: embedded always, Neo4j when NEO4J_URI is reachable.

Run the Neo4j half locally:  docker compose up -d --wait && NEO4J_URI=bolt://localhost:7687 make test
"""

from __future__ import annotations

import pytest

from graphkit.exceptions import QueryError, ReadOnlyQueryError
from graphkit.pipeline import build_knowledge_graph
from graphkit.store import GraphStore

from .conftest import AS_OF, EXAMPLES


@pytest.fixture(scope="module")
def examples():
    return build_knowledge_graph([EXAMPLES], as_of=AS_OF)


def _edges(G):
    return {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True)}


def test_write_counts_and_read_back(store_backend, examples):
    store = store_backend(examples.tables)
    assert isinstance(store, GraphStore)
    assert store.counts() == examples.counts()
    H = store.read()
    assert dict(H.nodes(data=True)) == dict(examples.graph.nodes(data=True))
    assert _edges(H) == _edges(examples.graph)


def test_idempotent_and_replacing(store_backend, examples, seeds_dir):
    store = store_backend(examples.tables)
    assert store.write(examples.graph) == examples.counts()  # again, from the MultiDiGraph
    seeds = build_knowledge_graph([seeds_dir], as_of=AS_OF)
    assert store.write(seeds.tables) == seeds.counts()  # a different graph replaces the first
    assert store.write(examples.tables) == examples.counts()


def test_queries_take_parameters_as_data(store_backend, examples):
    store = store_backend(examples.tables)
    rows = store.query("MATCH (a:Author {name: $name})-[c:COAUTHORED]-(b:Author) RETURN b.name AS coauthor ORDER BY coauthor", {"name": "Tim Dettmers"})
    assert [r["coauthor"] for r in rows] == ["Ari Holtzman", "Artidoro Pagnoni", "Luke Zettlemoyer", "Mike Lewis", "Sam Shleifer", "Younes Belkada"]
    hostile = "x' }) MATCH (n) DETACH DELETE n //"
    assert store.query("MATCH (a:Author) WHERE a.name = $name RETURN a", {"name": hostile}) == []
    assert store.counts() == examples.counts()


def test_queries_are_read_only(store_backend, examples):
    store = store_backend(examples.tables)
    for write in ("CREATE (a:Author {id: 'x'})", "MATCH (a:Author) DETACH DELETE a", "MATCH (p:Paper) SET p.title = 'x'"):
        with pytest.raises(ReadOnlyQueryError):
            store.query(write)
    with pytest.raises(QueryError):
        store.query("MATCH (n:Author) RETURN n.no_such_function(")
    assert store.counts() == examples.counts()


def test_write_back_properties(store_backend, examples):
    store = store_backend(examples.tables)
    assert store.set_node_properties("Author", {"rank_x": {"author:kenton-lee": 1.5, "author:omer-levy": 0.5}}) == 2
    rows = store.query("MATCH (a:Author) WHERE a.rank_x IS NOT NULL RETURN a.name AS name ORDER BY a.rank_x DESC")
    assert [r["name"] for r in rows] == ["Kenton Lee", "Omer Levy"]


def test_resumable_after_interrupted_load(store_backend, examples, monkeypatch):
    store = store_backend.store
    if store.dialect != "neo4j":
        pytest.skip("the embedded store loads into a fresh file and swaps it in: nothing to resume")
    calls = {"n": 0}
    original = type(store)._write

    def failing(self, statement, **params):
        calls["n"] += 1
        if calls["n"] == 12:
            raise RuntimeError("interrupted")
        return original(self, statement, **params)

    monkeypatch.setattr(type(store), "_write", failing)
    with pytest.raises(RuntimeError):
        store.write(examples.tables)
    monkeypatch.setattr(type(store), "_write", original)
    assert store.write(examples.tables) == examples.counts()
    assert _edges(store.read()) == _edges(examples.graph)


# ------------------------------------------------------------ the catalogue, run

def test_every_catalogue_statement_runs(store_backend, examples, tmp_path):
    """Each statement of graphkit.store.cypher in the store's dialect runs on the real store.

    Reads run on the examples; writes (schema, loads with rows that match nothing or add
    one probe node, write-back, pruning) run on a copy. Neo4j's GDS calls are covered by
    test_gds_engine_matches_networkx; COPY needs a staged file, which every build exercises.
    """
    from graphkit.store.cypher import statements

    store = store_backend(examples.tables)
    ran = 0
    for statement in statements(store.dialect):
        if statement.purpose == "gds" or statement.name.startswith("copy-"):
            continue
        if statement.purpose == "read":
            store.query(statement.text, statement.parameters)
        else:
            _run_write(store, statement.text, statement.parameters, tmp_path)
        ran += 1
    assert ran >= 40
    rows = store.query(next(s for s in statements(store.dialect) if s.name == "path-shortest").text,
                       {"source": "author:omer-levy", "target": "author:jacob-devlin"})
    assert rows and rows[0]["ids"][0] == "author:omer-levy" and rows[0]["ids"][-1] == "author:jacob-devlin"


def _run_write(store, text, params, tmp_path):
    if store.dialect == "neo4j":
        store.run(text, params)
        return
    import shutil

    import ladybug

    scratch = tmp_path / "scratch.lbdb"
    if not scratch.exists():
        shutil.copy(store.path, scratch)
    db = ladybug.Database(str(scratch))
    conn = ladybug.Connection(db)
    try:
        conn.execute(text, params)
    finally:
        conn.close()
        db.close()


def test_gds_engine_matches_networkx(store_backend, examples):
    """`centrality --engine gds` computes what the local engine computes (Neo4j with GDS only)."""
    from graphkit.analyze import centrality_table, load_coauthor_graph
    from graphkit.analyze.gds import gds_centrality_table
    from graphkit.exceptions import AnalysisError

    store = store_backend(examples.tables)
    measures = ["degree", "pagerank", "betweenness", "core_number", "weighted_degree"]
    if store.dialect != "neo4j":
        with pytest.raises(AnalysisError, match="Neo4j server"):
            gds_centrality_table(store, measures)
        return
    local = centrality_table(load_coauthor_graph(store), measures).set_index("id")
    for write_back in (False, True):
        remote = gds_centrality_table(store, measures + ["community", "leiden"], write_back=write_back).set_index("id")
        assert set(remote.index) == set(local.index)
        for measure in ("degree", "core_number"):
            assert remote[measure].to_dict() == local[measure].to_dict()
        for measure in ("weighted_degree", "betweenness"):
            assert remote[measure].to_dict() == pytest.approx(local[measure].to_dict(), abs=1e-9)
        # GDS leaves the rank of authors without co-authors where it starts; networkx spreads it
        assert remote["pagerank"].sum() == pytest.approx(1.0)
        assert remote["pagerank"].corr(local["pagerank"].reindex(remote.index), method="spearman") > 0.9
        assert remote["community"].notna().all() and remote["leiden"].notna().all()
    rows = store.query("MATCH (a:Author) WHERE a.pagerank IS NOT NULL RETURN count(a) AS n")
    assert rows[0]["n"] == len(local)
    assert not store.run("CALL gds.graph.list() YIELD graphName RETURN graphName")  # projections dropped
