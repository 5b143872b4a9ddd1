"""Extraction throughput: MB/s and records/s on one core.

    python benchmarks/extract.py [--papers 20000] [--seed 0]

Writes a synthetic corpus of both page layouts to a temporary folder, then
reads it back with graphkit.extract.iter_pages (one process, one core) and
prints the figures. Target: >= 20 MB/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_corpus  # noqa: E402

from graphkit.extract import iter_pages  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "pages"
        pages, size = write_corpus(corpus, args.papers, seed=args.seed)
        start = time.perf_counter()
        n_papers = n_profiles = n_problems = 0
        for page in iter_pages([corpus], as_of=dt.date(2026, 11, 21)):
            n_papers += len(page.papers)
            n_profiles += page.profile is not None
            n_problems += len(page.problems)
        elapsed = time.perf_counter() - start
    mb = size / 1e6
    print(f"pages            {pages:,}")
    print(f"input            {mb:,.1f} MB")
    print(f"paper records    {n_papers:,}  (profiles {n_profiles:,}, problems {n_problems})")
    print(f"time             {elapsed:.2f} s")
    print(f"throughput       {mb / elapsed:.1f} MB/s")
    print(f"records/s        {n_papers / elapsed:,.0f}")


if __name__ == "__main__":
    main()
