"""How the embedded query path's limits end a query that explodes, and what the guard costs.

    .venv/bin/python benchmarks/query_limits.py

Builds the example graph (21 authors, 49 co-authorships) into a temporary
folder, then runs ``graphkit query`` on the path query of issue #12 case 6,
``MATCH p=(a:Author)-[:COAUTHORED*1..30]-(b:Author) RETURN count(p)`` (which
grew past 8 GB in 73 s before the limits), in a subprocess each time, and
prints how it ended, after how long and the process's peak memory:

- the defaults (60 s timeout, 1 GB query buffer pool),
- ``--timeout 5``,
- ``GRAPHKIT_QUERY_MEMORY_MB=256`` without a timeout,
- Ctrl-C (SIGINT) 2 s after the start, without a timeout.

Then the guard's cost: the allow-list check of every embedded query in
docs/cypher.md (microseconds each) and a whole ``EmbeddedStore.query`` with
and without the ``EXPLAIN`` plan check on one small query.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPLODING = "MATCH p=(a:Author)-[:COAUTHORED*1..30]-(b:Author) RETURN count(p)"


def run(db: Path, args: list[str], env: dict[str, str], *, sigint_after: float | None = None) -> tuple[float, float, int, str]:
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "graphkit.cli", "query", "--db", str(db), *args, EXPLODING],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env})
    if sigint_after is not None:
        time.sleep(sigint_after)
        child.send_signal(signal.SIGINT)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    err = child.stderr.read().strip()
    child.stdout.close()
    child.stderr.close()
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), err


def main() -> None:
    from graphkit.store import EmbeddedStore
    from graphkit.store.embedded import QUERY_MEMORY_BYTES
    from graphkit.store.guard import embedded_refusal

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "g"
        subprocess.run([sys.executable, "-m", "graphkit.cli", "build", str(ROOT / "examples" / "profiles"), "--out", str(db),
                        "--as-of", "2026-11-21"], check=True, capture_output=True)
        print(f"exploding query: {EXPLODING}")
        print(f"{'limits':<44} {'ended after':>11} {'peak RSS':>9}  exit  message")
        cases = [
            ("defaults (60 s, 1 GB pool)", [], {}, None),
            ("--timeout 5", ["--timeout", "5"], {}, None),
            ("--timeout 0, GRAPHKIT_QUERY_MEMORY_MB=256", ["--timeout", "0"], {"GRAPHKIT_QUERY_MEMORY_MB": "256"}, None),
            ("--timeout 0, Ctrl-C after 2 s", ["--timeout", "0"], {}, 2.0),
        ]
        for label, args, env, sigint in cases:
            elapsed, rss, code, err = run(db, args, env, sigint_after=sigint)
            print(f"{label:<44} {elapsed:>9.1f} s {rss:>6,.0f} MB  {code:>4}  {err[:90]}", flush=True)

        sys.path.insert(0, str(ROOT))
        from tests.test_cookbook import entries

        queries = [q for _, _, _, blocks in entries() for d, q in blocks if d in (None, "embedded")]
        start = time.perf_counter()
        rounds = 200
        for _ in range(rounds):
            for q in queries:
                assert embedded_refusal(q) is None
        per = (time.perf_counter() - start) / (rounds * len(queries)) * 1e6
        print(f"allow-list check: {per:.0f} µs per cookbook query ({len(queries)} queries)")

        store = EmbeddedStore(db)
        small = "MATCH (a:Author {name: $name})-[c:COAUTHORED]-(b:Author) RETURN b.name AS name ORDER BY name"
        params = {"name": "Omer Levy"}
        for _ in range(3):
            store.query(small, params)
        start = time.perf_counter()
        for _ in range(20):
            store.query(small, params)
        guarded = (time.perf_counter() - start) / 20 * 1000
        start = time.perf_counter()
        for _ in range(20):
            with store._connect(read_only=True, buffer_pool=QUERY_MEMORY_BYTES) as conn:  # no guard, no EXPLAIN
                store._rows(conn, small, params)
        bare = (time.perf_counter() - start) / 20 * 1000
        print(f"EmbeddedStore.query on a small query: {guarded:.1f} ms guarded (open, allow-list, EXPLAIN, run) "
              f"vs {bare:.1f} ms bare (open, run)")


if __name__ == "__main__":
    main()
