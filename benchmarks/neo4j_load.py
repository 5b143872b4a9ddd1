"""Bolt load throughput of the Neo4j store: rows per second for each table.

    docker compose up -d --wait
    NEO4J_URI=bolt://localhost:7687 .venv/bin/python benchmarks/neo4j_load.py [--papers 100000] [--batch 10000]

A seeded synthetic co-authorship graph of the contract's shape (``--papers``
papers, about half as many authors, 1-12 authors a paper, a few institutions)
is loaded through :class:`graphkit.store.neo4j.Neo4jStore` exactly as
``graphkit build --neo4j`` loads it: uniqueness constraints, then batched
``UNWIND $rows ... MERGE`` per table in managed write transactions. The
load is timed into an empty graph, then once more into the full one (what a
re-run of a build costs). The database must hold no Author, Paper or
Institution node to start with, unless ``--replace`` says that the benchmark
may delete them (graphkit never deletes what it did not create). It prints rows, seconds and rows/s per table; the target is
>= 50,000 rows/s per table on a local server.

Without ``NEO4J_URI`` it prints why it cannot run and exits 0: no Neo4j
server runs on the machines this project is developed on.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

import networkx as nx

from graphkit.exceptions import ConnectionFailed
from graphkit.schema import rel_properties
from graphkit.store import cypher
from graphkit.tables import GraphTables

TARGET_ROWS_PER_S = 50_000


def synthetic_graph(n_papers: int, *, seed: int = 0) -> nx.MultiDiGraph:
    """A contract-shaped knowledge graph (ids, names, years, Newman weights)."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    n_authors = max(2, n_papers // 2)
    institutions = [f"institution:i{i}" for i in range(50)]
    for inst in institutions:
        G.add_node(inst, label="Institution", id=inst, name=inst.split(":")[1].upper(), aliases=[])
    for a in range(n_authors):
        aid = f"author:a{a}"
        G.add_node(aid, label="Author", id=aid, name=f"Author {a}", name_variants=[f"Author {a}"], is_profile_owner=a % 100 == 0,
                   h_index=None, citations=None, paper_count=None, novelty=None, ai_score=None, primary_category=None)
    pairs: dict[tuple[str, str], list] = {}
    affiliations: dict[tuple[str, str], list] = {}
    for p in range(n_papers):
        pid = f"paper:p{p}"
        year = 2000 + rng.randrange(25)
        G.add_node(pid, label="Paper", id=pid, title=f"Paper {p}", title_inferred=False, year=year, date=None, category="LG",
                   score=None, has_code=rng.random() < 0.3, abstract=None, urls=[], authors_truncated=False, sources=["synthetic"])
        team = rng.sample(range(n_authors), min(n_authors, 1 + int(rng.paretovariate(1.5)) % 12))
        inst = rng.choice(institutions)
        G.add_edge(pid, inst, "AFFILIATED_WITH", type="AFFILIATED_WITH")
        for position, a in enumerate(team):
            G.add_edge(f"author:a{a}", pid, "AUTHORED", type="AUTHORED", position=position, inferred=False)
            affiliations.setdefault((f"author:a{a}", inst), []).append(year)
        for i, a in enumerate(team):
            for b in team[i + 1:]:
                key = (f"author:a{min(a, b)}", f"author:a{max(a, b)}")
                pairs.setdefault(key, []).append((year, 1 / (len(team) - 1)))
    for (a, b), papers in pairs.items():
        years = [y for y, _ in papers]
        G.add_edge(a, b, "COAUTHORED", type="COAUTHORED", papers=len(papers), weight=sum(w for _, w in papers),
                   first_year=min(years), last_year=max(years))
    for (a, inst), years in affiliations.items():
        G.add_edge(a, inst, "AFFILIATED_WITH", type="AFFILIATED_WITH", papers=len(years), first_year=min(years), last_year=max(years))
    return G


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=10_000, help="rows per UNWIND transaction")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--replace", action="store_true", help="delete the Author, Paper and Institution nodes already there")
    args = parser.parse_args()
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        print("neo4j_load: NEO4J_URI is not set, so there is no server to load into. Start one with "
              "`docker compose up -d --wait` and run: NEO4J_URI=bolt://localhost:7687 python benchmarks/neo4j_load.py")
        return 0
    from graphkit.store.dialect import schema_statements
    from graphkit.store.neo4j import Neo4jStore, redact_uri

    store = Neo4jStore(uri, user=os.environ.get("NEO4J_USER", "neo4j"), password=os.environ.get("NEO4J_PASSWORD", "graphkit-dev"),
                       database=os.environ.get("NEO4J_DATABASE", "neo4j"), batch_size=args.batch)
    try:
        store.check()
    except ConnectionFailed as exc:
        print(f"neo4j_load: {exc}")
        return 1
    start = time.perf_counter()
    tables = GraphTables.from_networkx(synthetic_graph(args.papers, seed=args.seed))
    print(f"synthetic graph: {tables.counts()} ({time.perf_counter() - start:.1f} s to generate, not timed below)")
    for label in ("Author", "Paper", "Institution"):
        ids = [r["id"] for r in store.run(cypher.node_ids(label))]
        if ids and not args.replace:
            print(f"neo4j_load: {redact_uri(uri)} already holds {len(ids):,} {label} nodes; "
                  "use an empty database, or pass --replace to let the benchmark delete them")
            return 1
        for i in range(0, len(ids), args.batch):
            store.run(cypher.prune_nodes(label), {"ids": ids[i:i + args.batch]})
    for statement in schema_statements("neo4j"):
        store.run(statement)
    print(f"{'pass':<6} {'table':<40} {'rows':>9} {'seconds':>8} {'rows/s':>9}  target {TARGET_ROWS_PER_S:,}")
    for run in ("empty", "again"):
        for table in [*tables.nodes, *tables.rels]:
            if table.kind == "node":
                statement = cypher.merge_nodes(table.name, table.types, "neo4j")
                name = table.name
            else:
                props = {p: k for p, k in table.types.items() if p in rel_properties(table.name, table.from_label)}
                statement = cypher.merge_rels(table.name, table.from_label, table.to_label, props, "neo4j")
                name = f"{table.name} {table.from_label}->{table.to_label}"
            t0 = time.perf_counter()
            store._load(statement, table)
            seconds = time.perf_counter() - t0
            rate = len(table) / seconds if seconds else float("inf")
            flag = "" if rate >= TARGET_ROWS_PER_S else "  (below target)"
            print(f"{run:<6} {name:<40} {len(table):>9,} {seconds:>8.2f} {rate:>9,.0f}{flag}")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
