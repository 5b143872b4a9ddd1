"""How LadybugDB's memory during a bulk load depends on how the rows arrive.

    python benchmarks/store_copy.py [--rows 200000] [--chunk 20000]

A Paper-like node table (id, title, a ~1.3 kB abstract) is loaded into an
empty database three ways, each in a fresh process so that one peak does
not hide another:

- ``arrow-chunks``: ``COPY Paper FROM frame`` once per in-memory Arrow frame
  of ``--chunk`` rows (how the store loaded until the second session);
- ``parquet-chunks``: one Parquet file per ``--chunk`` rows, one COPY each;
- ``parquet-one``: one Parquet file, one COPY (how the store loads now).

It prints each variant's time, peak resident memory and the memory still
held after the last COPY. The input is generated once (not timed).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA = pa.schema([("id", pa.string()), ("title", pa.string()), ("abstract", pa.string())])


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return float("nan")


def generate(path: Path, rows: int, chunk: int) -> list[Path]:
    rng = random.Random(0)
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9))) for _ in range(5000)]
    parts = []
    with pq.ParquetWriter(path, SCHEMA) as whole:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            frame = pa.table(
                {
                    "id": [f"paper:{i}" for i in range(start, start + n)],
                    "title": [" ".join(rng.choices(words, k=8)) for _ in range(n)],
                    "abstract": [" ".join(rng.choices(words, k=200)) for _ in range(n)],
                },
                schema=SCHEMA,
            )
            whole.write_table(frame)
            part = path.with_name(f"part-{len(parts):05d}.parquet")
            pq.write_table(frame, part)
            parts.append(part)
    return parts


def child(variant: str, folder: Path, chunk: int) -> None:
    import ladybug

    db = ladybug.Database(str(folder / f"{variant}.lbdb"))
    conn = ladybug.Connection(db)
    conn.execute("CREATE NODE TABLE Paper(id STRING PRIMARY KEY, title STRING, abstract STRING)")
    start = time.perf_counter()
    if variant == "arrow-chunks":
        for batch in pq.ParquetFile(folder / "whole.parquet").iter_batches(batch_size=chunk):
            frame = pa.Table.from_batches([batch])  # noqa: F841 - COPY reads the local by name
            conn.execute("COPY Paper FROM frame")
            del frame
    elif variant == "parquet-chunks":
        for part in sorted(folder.glob("part-*.parquet")):
            conn.execute(f"COPY Paper FROM '{part}'")
    else:
        conn.execute(f"COPY Paper FROM '{folder / 'whole.parquet'}'")
    seconds = time.perf_counter() - start
    held = rss_mb()
    rows = conn.execute("MATCH (p:Paper) RETURN count(*)").get_next()[0]
    conn.close()
    db.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "held_mb": held, "rows": rows}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--chunk", type=int, default=20_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.folder), args.chunk)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        parts = generate(folder / "whole.parquet", args.rows, args.chunk)
        size = (folder / "whole.parquet").stat().st_size / 1e6
        print(f"input            {args.rows:,} rows, {size:,.0f} MB of Parquet ({len(parts)} parts of {args.chunk:,} rows)")
        for variant in ("arrow-chunks", "parquet-chunks", "parquet-one"):
            out = subprocess.run(
                [sys.executable, __file__, "--child", variant, "--folder", str(folder), "--chunk", str(args.chunk)],
                check=True, capture_output=True, text=True,
            )
            m = json.loads(out.stdout.strip().splitlines()[-1])
            assert m["rows"] == args.rows, m
            print(f"{variant:<16} {m['seconds']:6.1f} s   peak {m['peak_mb']:7,.0f} MB   held after the load {m['held_mb']:7,.0f} MB")


if __name__ == "__main__":
    main()
