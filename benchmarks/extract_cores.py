"""Reading a folder of inputs on one core and on two, back to back.

    python benchmarks/extract_cores.py --pairs 2 /work/bench-data/corpus-1m

Runs ``graphkit.pipeline.extract_all`` (the build's extract stage: every file read, the records compacted)
in a fresh process per run, alternately on one core (the second reader disabled) and on two
(graphkit.readers._forked.map_in_two), ``--pairs`` times, and prints each run's wall time, CPU time of
the reading process, the records and problems, and the peak memory of the process tree
(benchmarks/treemem.py), with the two-core time over the one-core time of each pair. Both runs of a pair
must return the same records; a digest of them is compared.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from treemem import run_tree  # noqa: E402

_RUN = r"""
import datetime as dt, hashlib, json, pickle, sys, time
from graphkit import pipeline
from graphkit.readers import _forked
_forked._busy = sys.argv[1] == "one"
start, cpu = time.perf_counter(), time.process_time()
with pipeline.gc_paused():
    profiles, records, problems, files = pipeline.extract_all(sys.argv[2:], as_of=dt.date(2026, 11, 21))
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
digest = hashlib.sha256()
for r in records:
    digest.update(repr(r).encode())
print(json.dumps({"seconds": seconds, "cpu": cpu, "records": len(records), "profiles": len(profiles),
                  "problems": len(problems), "files": files, "digest": digest.hexdigest()[:16]}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--pairs", type=int, default=2)
    args = parser.parse_args()
    for k in range(args.pairs):
        runs = {}
        for mode in ("one", "two"):
            done = run_tree([sys.executable, "-c", _RUN, mode, *args.inputs])
            if done["returncode"] != 0:
                sys.exit(f"{mode}: extract failed ({done['returncode']}):\n{done['stderr'][-2000:]}")
            runs[mode] = figures = json.loads(done["stdout"].strip().splitlines()[-1])
            print(f"{mode}  extract {figures['seconds']:6.1f} s  cpu here {figures['cpu']:6.1f} s  "
                  f"peak {done['tree_peak_mb']:6,.0f} MB  files {figures['files']:,}  records {figures['records']:,}  "
                  f"profiles {figures['profiles']:,}  problems {figures['problems']:,}  digest {figures['digest']}", flush=True)
        same = runs["one"]["digest"] == runs["two"]["digest"]
        print(f"pair {k + 1}: two cores / one core = {runs['two']['seconds'] / runs['one']['seconds']:.2f}; "
              f"same records: {same}", flush=True)
        if not same:
            sys.exit("the two reads differ")


if __name__ == "__main__":
    main()
