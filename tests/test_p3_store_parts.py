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
    assert not list(tmp_path.glob("*.staging-*"))  # the staged parts are gone
    assert nx.utils.graphs_equal(store.read(), result.graph)
