"""The embedded store's load of a build's tables, COPY by COPY: time and memory per part.

    python benchmarks/build_stages.py --save T.pkl INPUT...        # a build's tables, pickled once
    python benchmarks/store_parts.py --tables T.pkl [--node-rows N] [--rel-rows N] [--node-bytes MB]

Loads the pickled tables, stages them as ``graphkit build`` does (Parquet, then the text columns
released) and loads them into a new database in a temporary folder beside the pickle, printing for
every COPY its seconds and the resident memory before, at its peak and after (MB = 2^20 bytes), then
each table's total. ``--node-rows``/``--rel-rows``/``--node-bytes`` override the part sizes
(``embedded.COPY_ROWS``, ``WHOLE_REL_ROWS``, ``NODE_PART_BYTES``) to compare them.
"""

from __future__ import annotations

import argparse
import pickle
import shutil
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tables", type=Path, required=True)
    parser.add_argument("--node-rows", type=int)
    parser.add_argument("--rel-rows", type=int, help="rows per relationship part (and the one-COPY limit)")
    parser.add_argument("--node-bytes", type=float, help="MB of Arrow data per node part")
    args = parser.parse_args()

    from graphkit.outputs import _release_text
    from graphkit.pipeline import gc_paused
    from graphkit.store import embedded

    if args.node_rows:
        embedded.COPY_ROWS["node"] = args.node_rows
    if args.rel_rows:
        embedded.COPY_ROWS["rel"] = embedded.WHOLE_REL_ROWS = args.rel_rows
    if args.node_bytes:
        embedded.NODE_PART_BYTES = int(args.node_bytes * 2**20)
    with open(args.tables, "rb") as handle:
        tables = pickle.load(handle)
    print(f"tables {tables.counts()}; parts: node rows {embedded.COPY_ROWS['node']:,}, node bytes "
          f"{embedded.NODE_PART_BYTES / 2**20:.0f} MB, rel rows {embedded.COPY_ROWS['rel']:,} "
          f"(one COPY up to {embedded.WHOLE_REL_ROWS:,})")
    folder = Path(tempfile.mkdtemp(dir=args.tables.parent))
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    run = embedded.EmbeddedStore._run
    per_table: dict[str, list[float]] = defaultdict(list)

    def timed(conn, statement, params=None):
        if not statement.startswith("COPY"):
            return run(conn, statement, params)
        before, began = rss_mb(), time.perf_counter()
        peak[0] = before
        out = run(conn, statement, params)
        seconds = time.perf_counter() - began
        table = statement.split()[1]
        per_table[table].append(seconds)
        print(f"COPY {table:<16} part {len(per_table[table]):>3}  {seconds:6.2f} s  before {before:7,.0f}  "
              f"peak {peak[0]:7,.0f}  after {rss_mb():7,.0f} MB", flush=True)
        return out

    embedded.EmbeddedStore._run = staticmethod(timed)
    try:
        with gc_paused():
            staged = embedded.EmbeddedStore(folder / "graph.lbdb").stage(tables)
            _release_text(tables)
            print(f"staged; resident {rss_mb():,.0f} MB")
            began = time.perf_counter()
            staged.load()
            total = time.perf_counter() - began
    finally:
        stop.set()
        shutil.rmtree(folder, ignore_errors=True)
    for table, times in per_table.items():
        print(f"{table:<16} {len(times):>3} part(s)  {sum(times):6.1f} s")
    print(f"load {total:.1f} s")


if __name__ == "__main__":
    main()
