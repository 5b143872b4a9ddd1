"""End-to-end build: extract, resolve, build and store a synthetic corpus.

    python benchmarks/build.py [--papers 100000] [--seed 0]

The corpus (benchmarks/synthetic.py) has power-law papers per author, 1-20
authors per paper (up to three shown, as on profile pages), shared names and
both page layouts. It runs graphkit.pipeline.build_knowledge_graph and the
embedded store's write, exactly as `graphkit build` does, and prints the time
of each stage and the peak resident memory of this process. Targets:
100,000 papers in <= 60 s within 2 GB; 1,000,000 papers in <= 10 minutes
within 8 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_corpus  # noqa: E402

from graphkit.pipeline import build_knowledge_graph  # noqa: E402
from graphkit.store import EmbeddedStore  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "pages"
        t = time.perf_counter()
        pages, size = write_corpus(corpus, args.papers, seed=args.seed)
        print(f"corpus           {pages:,} pages, {size / 1e6:,.1f} MB (generated in {time.perf_counter() - t:.1f} s, not counted)")
        base = peak_mb()
        t0 = time.perf_counter()
        result = build_knowledge_graph([corpus], as_of=dt.date(2026, 11, 21))
        after_build = peak_mb()
        t = time.perf_counter()
        counts = EmbeddedStore(Path(tmp) / "out").write(result.tables)
        result.timings["store"] = time.perf_counter() - t
        total = time.perf_counter() - t0
    print(f"records          {result.records:,} paper records, {len(result.problems)} problems")
    print("graph            " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"resolution       {result.resolution.stats()}")
    for stage, seconds in result.timings.items():
        print(f"{stage:<16} {seconds:7.1f} s")
    print(f"total            {total:7.1f} s")
    print(f"peak memory      {peak_mb():,.0f} MB (after generating the corpus: {base:,.0f} MB; after building the graph: {after_build:,.0f} MB)")


if __name__ == "__main__":
    main()
