"""The build child's hand-over alone: its tables written as Arrow files and read back, timed.

    python benchmarks/handover.py INPUT...

Builds the tables of INPUT in this process (`build_knowledge_graph`), then times
`graphkit.worker.write_tables` (the child's half) and `read_tables` (the parent's), and prints the
files' size. `graphkit build` reports the same two halves together as `timings_s.handover`.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from graphkit import worker
from graphkit.pipeline import build_knowledge_graph


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    start = time.perf_counter()
    result = build_knowledge_graph(sys.argv[1:])
    print(f"build            {time.perf_counter() - start:7.1f} s  {result.counts()}")
    folder = Path(tempfile.mkdtemp(prefix="graphkit-handover-"))
    try:
        start = time.perf_counter()
        specs = worker.write_tables(result.tables, folder)
        print(f"write_tables     {time.perf_counter() - start:7.2f} s  "
              f"{sum(f.stat().st_size for f in folder.iterdir()) / 2**20:,.0f} MB of Arrow files")
        start = time.perf_counter()
        worker.read_tables(folder, specs)
        print(f"read_tables      {time.perf_counter() - start:7.2f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
