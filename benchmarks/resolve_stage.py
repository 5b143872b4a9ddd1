"""The resolve stage alone: its time and a fingerprint of what it made, for before/after comparisons.

    python benchmarks/resolve_stage.py INPUT CACHE [--root DIR] [--profile]

The first run reads INPUT (any input ``graphkit build`` takes) and stores the
compact records in CACHE (a pickle of their fields); later runs load CACHE,
so only :func:`graphkit.resolve.resolve` is timed. ``--root`` imports
graphkit from another checkout (``git archive <commit> graphkit | tar -x -C
DIR``) so two versions resolve the same records back to back. Printed: wall
and CPU seconds, counts, peak memory, and two fingerprints: ``authors`` (every
author entity, authorship, merge, ambiguity, flag and the identities section)
and ``full`` (the same plus the paper entities).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import pickle
import resource
import sys
import time
from pathlib import Path


def load(source: str, cache: Path):
    from graphkit.resolve.records import CompactRecord

    fields = list(getattr(CompactRecord, "_fields", None) or CompactRecord.__slots__)
    if cache.exists():
        with open(cache, "rb") as handle:
            profiles, stored, rows = pickle.load(handle)
        if list(stored) != fields:
            sys.exit(f"{cache}: stored with other record fields; remove it to read {source} again")
        return profiles, [CompactRecord(*row) for row in rows]
    from graphkit.pipeline import extract_all

    start = time.perf_counter()
    profiles, records, _, _ = extract_all([source], as_of=dt.date(2026, 11, 21))
    print(f"extract {time.perf_counter() - start:.1f}s records={len(records)}", flush=True)
    with open(cache, "wb") as handle:
        pickle.dump((profiles, fields, [tuple(getattr(r, k) for k in fields) for r in records]), handle, protocol=5)
    return profiles, records


def fingerprint(res) -> tuple[str, str]:
    digest = hashlib.sha256()

    def add(value) -> None:
        digest.update(repr(value).encode())

    for key in sorted(res.authors):
        add(res.authors[key])
    for authorship in res.authorships:
        add(authorship)
    add(res.paper_institutions)
    for entry in res.merges + res.ambiguous + res.flagged_profiles:
        add(entry.as_dict())
    add(res.identities)
    add(res.unknown_institutions)
    authors = digest.hexdigest()[:16]
    for key in sorted(res.papers):
        add(res.papers[key])
    return authors, digest.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input")
    parser.add_argument("cache", type=Path)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1], help="the graphkit checkout to import")
    parser.add_argument("--profile", action="store_true", help="run under cProfile and print the top functions")
    parser.add_argument("--stats", type=Path, help="with --profile: also save the profile here (pstats format)")
    args = parser.parse_args()
    sys.path.insert(0, str(args.root))
    from graphkit.resolve import resolve

    profiles, records = load(args.input, args.cache)
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        res = profiler.runcall(resolve, profiles, records)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        if args.stats:
            profiler.dump_stats(args.stats)
    else:
        res = resolve(profiles, records)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    authors, full = fingerprint(res)
    print(f"resolve {wall:.2f}s cpu={cpu:.2f}s authors={len(res.authors)} papers={len(res.papers)} "
          f"authorships={len(res.authorships)} peak={peak:.0f}MB fingerprint authors={authors} full={full}")


if __name__ == "__main__":
    main()
