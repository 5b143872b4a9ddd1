"""Every query in docs/cypher.md runs and answers, so the cookbook never rots."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from graphkit.analyze import centrality_table, load_coauthor_graph, write_back
from graphkit.pipeline import build_knowledge_graph

from .conftest import AS_OF, EXAMPLES

COOKBOOK = Path(__file__).resolve().parents[1] / "docs" / "cypher.md"
ENTRY = re.compile(r"^## (?P<title>.+?)\n(?P<body>.*?)(?=^## |\Z)", re.S | re.M)
BLOCK = re.compile(r"```cypher(?: (?P<dialect>embedded|neo4j))?\n(?P<query>.*?)```", re.S)


def entries():
    out = []
    for match in ENTRY.finditer(COOKBOOK.read_text(encoding="utf-8")):
        body = match["body"]
        params = json.loads(re.search(r"<!-- params: (.*?) -->", body)[1])
        needs_write_back = "<!-- needs: write-back -->" in body
        blocks = [(b["dialect"], b["query"].strip()) for b in BLOCK.finditer(body)]
        out.append((match["title"], params, needs_write_back, blocks))
    return out


def test_cookbook_has_at_least_twelve_queries():
    assert len(entries()) >= 12
    for title, _, _, blocks in entries():
        assert blocks, f"{title}: no cypher block"


@pytest.fixture(scope="module")
def example_tables():
    return build_knowledge_graph([EXAMPLES], as_of=AS_OF).tables


@pytest.mark.parametrize("entry", entries(), ids=[e[0].split(".")[0] for e in entries()])
def test_cookbook_query_answers(entry, store_backend, example_tables):
    title, params, needs_write_back, blocks = entry
    store = store_backend(example_tables)
    if needs_write_back:
        write_back(store, centrality_table(load_coauthor_graph(store), ["betweenness", "pagerank"]))
    runnable = [q for dialect, q in blocks if dialect in (None, store.dialect)]
    assert runnable, f"{title}: nothing for {store.dialect}"
    for query in runnable:
        rows = store.query(query, params)
        assert rows, f"{title}: no rows on the examples"
