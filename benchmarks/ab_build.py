"""Two installs of graphkit building the same input, back to back: a comparison one noisy machine can trust.

    python benchmarks/ab_build.py --old OLD/.venv/bin/graphkit [--new .venv/bin/graphkit] --pairs 2 INPUT...

Runs ``graphkit build INPUT... --out DIR`` with the old command, then the new one, ``--pairs`` times
(the machine's speed drifts by a quarter or more within an hour, so only runs side by side compare),
and prints per run the wall time and peak memory of the whole process tree (benchmarks/treemem.py) and
the stage times and Author count from report.json. The output folder is a temporary one, removed after.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from treemem import run_tree  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--old", required=True, help="the graphkit command of the install to compare against")
    parser.add_argument("--new", default=str(Path(sys.executable).with_name("graphkit")))
    parser.add_argument("--pairs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.pairs):
            for tag, command in (("old", args.old), ("new", args.new)):
                out = Path(tmp) / f"{tag}-{k}"
                done = run_tree([command, "build", *args.inputs, "--out", str(out)])
                if done["returncode"] != 0:
                    sys.exit(f"{tag}: graphkit build failed ({done['returncode']}):\n{done['stderr'][-2000:]}")
                report = json.loads((out / "report.json").read_text(encoding="utf-8"))
                stages = " ".join(f"{name} {seconds:5.1f}" for name, seconds in report["timings_s"].items())
                print(f"{tag}  total {done['seconds']:6.1f} s  peak {done['tree_peak_mb']:6,.0f} MB  {stages}  "
                      f"Authors {report['counts'].get('Author', 0):,}", flush=True)


if __name__ == "__main__":
    main()
