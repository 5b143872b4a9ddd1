"""The extract stage of a build on the synthetic profile corpus, its paths side by side in one process.

    python benchmarks/extract_paths.py --corpus /work/bench-data/corpus-100k [--rounds 3]

The corpus is read into memory first (not timed). Then, alternating, best of
``--rounds`` (CPU seconds of this process, so that other work on the machine
disturbs the ratio less than wall time would):

- ``validated + compact``: every page through ``parse_profile`` (validated
  pydantic ``PaperRecord`` objects) and ``compact`` (what builds did before);
- ``compact path``: every page through ``parse_compact`` (the compact records
  a build holds, made straight from the page's values);
- ``extract_all`` (files opened, readers chosen, the compact path) with the
  cyclic garbage collector on, and paused as ``build_knowledge_graph`` pauses it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import time
from pathlib import Path

from graphkit.models import PaperRecord
from graphkit.pipeline import extract_all
from graphkit.readers import profile
from graphkit.readers._files import open_input
from graphkit.readers.registry import iter_inputs
from graphkit.resolve.records import CompactRecord, compact

AS_OF = dt.date(2026, 11, 21)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True, help="a folder of profile pages (benchmarks/build.py --corpus)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    items = list(iter_inputs([args.corpus], choose=False))
    pages = []
    for item in items:
        with open_input(item.path) as stream:
            pages.append((item.path, stream.read()))

    def validated() -> int:
        shared: dict = {}
        kept = [compact(x, shared) for path, data in pages
                for x in profile.parse_profile(io.BytesIO(data), path, as_of=AS_OF) if type(x) is PaperRecord]
        return len(kept)

    def direct() -> int:
        shared: dict = {}
        kept = [x for path, data in pages
                for x in profile.parse_compact(io.BytesIO(data), path, as_of=AS_OF, shared=shared) if type(x) is CompactRecord]
        return len(kept)

    def extract(collect: bool):
        def run() -> int:
            if not collect:
                gc.disable()
            try:
                return len(extract_all([args.corpus], as_of=AS_OF)[1])
            finally:
                gc.enable()
        return run

    runs = {"validated + compact": validated, "compact path": direct,
            "extract_all, GC on": extract(True), "extract_all, GC paused": extract(False)}
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(args.rounds):
        for name, run in runs.items():
            gc.collect()
            start = time.process_time()
            records = run()
            best[name] = min(best[name], time.process_time() - start)
    print(f"corpus           {len(pages):,} pages, {records:,} records; best of {args.rounds}, CPU seconds")
    for name, seconds in best.items():
        print(f"  {name:<24} {seconds:6.2f} s")
    print(f"reader ratio     {best['validated + compact'] / best['compact path']:.2f}x; "
          f"GC ratio {best['extract_all, GC on'] / best['extract_all, GC paused']:.2f}x")


if __name__ == "__main__":
    main()
