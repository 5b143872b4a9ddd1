"""The store's bulk load in parts: a table larger than one COPY's share arrives whole."""

from __future__ import annotations

import networkx as nx

from graphkit.pipeline import build_knowledge_graph
from graphkit.store import EmbeddedStore
from graphkit.store import embedded

from .conftest import AS_OF, EXAMPLES


def test_tables_copied_in_many_parts_read_back_equal(tmp_path, monkeypatch):
    result = build_knowledge_graph([EXAMPLES], as_of=AS_OF)
    monkeypatch.setattr(embedded, "COPY_ROWS", {"node": 4, "rel": 7})  # every table in several parts, a short last one
    monkeypatch.setattr(embedded, "WHOLE_REL_ROWS", 20)  # small relationship tables in one COPY, larger in parts
    monkeypatch.setattr(embedded, "STAGE_CHUNK_ROWS", 3)  # several row groups per part
    copies = []
    run = embedded.EmbeddedStore._run
    monkeypatch.setattr(embedded.EmbeddedStore, "_run", staticmethod(
        lambda conn, statement, params=None: (copies.append(statement) if statement.startswith("COPY") else None,
                                              run(conn, statement, params))[1]))
    store = EmbeddedStore(tmp_path)
    assert store.write(result.tables) == result.counts()
    papers = result.counts()["Paper"]
    assert sum(s.startswith("COPY Paper ") for s in copies) == -(-papers // 4) > 1
    # a relationship table of up to WHOLE_REL_ROWS rows in one COPY, a larger one in parts of 7
    expected: dict[str, int] = {}
    for table in result.tables.rels:
        if len(table):
            expected[table.name] = expected.get(table.name, 0) + (1 if len(table) <= 20 else -(-len(table) // 7))
    assert {name: sum(s.startswith(f"COPY {name} ") for s in copies) for name in expected} == expected
    assert any(len(t) > 20 for t in result.tables.rels) and any(0 < len(t) <= 20 for t in result.tables.rels)
    assert not list(tmp_path.glob("*.staging-*"))  # the staged parts are gone
    assert nx.utils.graphs_equal(store.read(), result.graph)


def _copies(monkeypatch) -> list[str]:
    copies: list[str] = []
    run = embedded.EmbeddedStore._run
    monkeypatch.setattr(embedded.EmbeddedStore, "_run", staticmethod(
        lambda conn, statement, params=None: (copies.append(statement) if statement.startswith("COPY") else None,
                                              run(conn, statement, params))[1]))
    return copies


def test_a_node_part_ends_at_its_share_of_bytes(tmp_path, monkeypatch):
    """Text-heavy nodes go in smaller parts than short ones: a part ends at NODE_PART_BYTES of data."""
    result = build_knowledge_graph([EXAMPLES], as_of=AS_OF)
    papers = result.tables.node_table("Paper")
    monkeypatch.setattr(embedded, "STAGE_CHUNK_ROWS", 1)
    copies = _copies(monkeypatch)
    # one byte: every row is a part of its own; then half the table's data: two parts, or three where
    # the per-row overhead ends the first part early
    monkeypatch.setattr(embedded, "NODE_PART_BYTES", 1)
    assert EmbeddedStore(tmp_path / "a").write(result.tables) == result.counts()
    assert sum(s.startswith("COPY Paper ") for s in copies) == len(papers)
    copies.clear()
    monkeypatch.setattr(embedded, "NODE_PART_BYTES", embedded._arrow(papers).nbytes // 2 + 1)
    store = EmbeddedStore(tmp_path / "b")
    assert store.write(result.tables) == result.counts()
    assert 2 <= sum(s.startswith("COPY Paper ") for s in copies) <= 3
    assert nx.utils.graphs_equal(store.read(), result.graph)


def test_node_parts_by_bytes_and_rows_together(tmp_path, monkeypatch):
    """Whichever limit comes first ends a part; no part is empty and every row arrives once."""
    result = build_knowledge_graph([EXAMPLES], as_of=AS_OF)
    papers = result.tables.node_table("Paper")
    monkeypatch.setattr(embedded, "STAGE_CHUNK_ROWS", 2)
    monkeypatch.setattr(embedded, "COPY_ROWS", {"node": 5, "rel": 1_000_000})
    monkeypatch.setattr(embedded, "NODE_PART_BYTES", 10**9)
    store = EmbeddedStore(tmp_path)
    staged = store.stage(result.tables)
    try:
        import pyarrow.parquet as pq

        parts = next(paths for table, _, paths in staged.tables if table.name == "Paper")
        sizes = [pq.read_metadata(p).num_rows for p in parts]
        assert sizes == [5] * (len(papers) // 5) + ([len(papers) % 5] if len(papers) % 5 else [])
    finally:
        staged.discard()
