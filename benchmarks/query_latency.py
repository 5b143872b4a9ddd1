"""Latency of every docs/cypher.md query on a big graph (the 1M-paper build).

    python benchmarks/build.py --papers 1000000 --corpus /work/bench-data/corpus-1m --keep-out /work/bench-data/out-1m
    python benchmarks/query_latency.py --db /work/bench-data/out-1m [--runs 5] [--profile-slow 1.0]

Each cookbook entry's embedded form runs ``--runs`` times; the figures are
the median of those runs three ways: ``graphkit query`` as the command line
runs it, through :meth:`EmbeddedStore.query_isolated` (a child process that is
killed at the timeout or a memory limit, the rows handed back through a pipe);
:meth:`EmbeddedStore.query` in this process, as from Python or a notebook
(opening the read-only database, the read-only guard's EXPLAIN, the query,
rows to Python); and the bare statement on one connection kept open (what the
query itself costs).
The cookbook's example names do not exist in a synthetic graph, so name
parameters are replaced by real ones picked from the graph: the author with
the most co-authors (the worst case for neighbourhood queries), two authors
the author with the fewest co-authors (another name) for the path, the two institutions with the most
authors. Queries slower than ``--profile-slow`` seconds (or failing) get LadybugDB's
EXPLAIN plan printed, to explain them.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COOKBOOK = ROOT / "docs" / "cypher.md"
ENTRY = re.compile(r"^## (?P<title>.+?)\n(?P<body>.*?)(?=^## |\Z)", re.S | re.M)
BLOCK = re.compile(r"```cypher(?: (?P<dialect>embedded|neo4j))?\n(?P<query>.*?)```", re.S)


def entries() -> list[tuple[str, dict, bool, str]]:
    out = []
    for match in ENTRY.finditer(COOKBOOK.read_text(encoding="utf-8")):
        body = match["body"]
        params = json.loads(re.search(r"<!-- params: (.*?) -->", body)[1])
        blocks = [b["query"].strip() for b in BLOCK.finditer(body) if b["dialect"] in (None, "embedded")]
        out.append((match["title"], params, "<!-- needs: write-back -->" in body, blocks[0]))
    return out


def pick_params(conn) -> dict:
    """Real names from the graph for the cookbook's name parameters."""
    def one(statement: str):
        result = conn.execute(statement)
        return result.get_next() if result.has_next() else None

    hub_id, hub = one("MATCH (a:Author)-[:COAUTHORED]-(b:Author) WITH a, count(b) AS n RETURN a.id, a.name ORDER BY n DESC, a.id LIMIT 1")
    # the author with the fewest co-authors (another name than the hub): the path query has to search
    far = one(
        f"MATCH (a:Author)-[:COAUTHORED]-(b:Author) WHERE a.name <> {json.dumps(hub)} WITH a, count(b) AS n "
        "RETURN a.name ORDER BY n, a.id LIMIT 1"
    )
    top = conn.execute(
        "MATCH (a:Author)-[:AFFILIATED_WITH]->(i:Institution) WITH i, count(a) AS n RETURN i.name ORDER BY n DESC, i.name LIMIT 2"
    )
    first, second = top.get_next()[0], top.get_next()[0]
    return {"name": hub, "a": hub, "b": far[0] if far else hub, "first": first, "second": second}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="a `graphkit build` output folder")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile-slow", type=float, default=1.0, help="print PROFILE for queries slower than this (s)")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    import ladybug as lb

    from graphkit.store import EmbeddedStore

    store = EmbeddedStore(args.db, query_timeout=args.timeout)
    if not store.exists():
        sys.exit(f"no graph at {store.path}")
    db = lb.Database(str(store.path), read_only=True)
    conn = lb.Connection(db)
    counts = {r[0]: r[1] for r in _rows(conn, "MATCH (n) RETURN label(n), count(*)")}
    print(f"graph {store.path}: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))
    real, t_pick = _timed(pick_params, conn)
    print(f"parameters picked from the graph in {t_pick:.1f} s: {real}")
    has_measures = "betweenness" in str(_rows(conn, "CALL table_info('Author') RETURN *"))
    print(f"\n{'query':<58}{'rows':>7}{'cli s':>9}{'guarded s':>11}{'bare s':>9}   (median of {args.runs})")
    slow = []
    for title, params, needs_write_back, statement in entries():
        if needs_write_back and not has_measures:
            print(f"{title[:57]:<58}  skipped: needs `graphkit centrality --write-back` first")
            continue
        params = {k: real.get(k, v) if isinstance(v, str) else v for k, v in params.items()}
        cli, guarded, bare, rows = [], [], [], 0
        try:
            for _ in range(args.runs):
                _, seconds = _timed(store.query_isolated, statement, params)
                cli.append(seconds)
                result, seconds = _timed(store.query, statement, params)
                guarded.append(seconds)
                rows = len(result)
                _, seconds = _timed(_rows, conn, statement, params)
                bare.append(seconds)
        except Exception as exc:  # a timeout or LadybugDB's buffer pool: the figure is the failure
            print(f"{title[:57]:<58}  failed: {str(exc).splitlines()[0][:120]}")
            slow.append((title, statement, params))
            continue
        c, g, b = statistics.median(cli), statistics.median(guarded), statistics.median(bare)
        print(f"{title[:57]:<58}{rows:>7}{c:>9.3f}{g:>11.3f}{b:>9.3f}")
        if b >= args.profile_slow:
            slow.append((title, statement, params))
    open_db, t_open = _timed(lambda: lb.Connection(lb.Database(str(store.path), read_only=True)))
    print(f"\nopening the database read-only: {t_open:.3f} s")
    for title, statement, params in slow:
        print(f"\n== EXPLAIN {title}")
        for row in _rows(conn, "EXPLAIN " + statement, params):
            print(row[0] if len(row) == 1 else row)


def _timed(fn, *args):
    start = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - start


def _rows(conn, statement: str, params: dict | None = None) -> list:
    result = conn.execute(statement, params or {})
    rows = []
    while result.has_next():
        rows.append(result.get_next())
    return rows


if __name__ == "__main__":
    main()
