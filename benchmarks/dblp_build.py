"""A DBLP-sized build: a generated DBLP XML file through `graphkit build`, end to end.

    python benchmarks/dblp_build.py --records 7500000 [--data /work/bench-data/dblp] [--keep]

Generates a DBLP-format XML file of ``--records`` publication records with
benchmarks/gen_dblp.py (the full dump: about 7.5 million records by 3.6
million people, ~5 GB; generation not timed), then runs ``graphkit build
FILE --out DIR`` as a subprocess, every output written (graph, report,
centrality, map), and prints its wall time, its peak resident memory, the
stage times from report.json and what centrality computed. Target for the
full size: within 20 minutes and 20 GB. The generated file and the output
are deleted afterwards unless ``--keep``; an existing file of the same size
is reused.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from treemem import run_tree  # noqa: E402

HERE = Path(__file__).resolve().parent
DTD = HERE.parent.parent / "shared" / "data" / "dblp" / "dblp.dtd"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=7_500_000)
    parser.add_argument("--data", type=Path, default=Path("/work/bench-data/dblp"))
    parser.add_argument("--keep", action="store_true", help="keep the generated file and the build output")
    parser.add_argument("--timeout", type=float, default=3600, help="stop the build after this many seconds")
    parser.add_argument("--stderr", type=Path, help="write the build's standard error to this file (with "
                        "GRAPHKIT_BULK_DEBUG=1 in the environment: each stage's time, memory and CPU)")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    xml = args.data / f"dblp-{args.records}.xml"
    out = args.data / f"out-{args.records}"
    summary_file = xml.with_suffix(".json")
    if xml.exists() and summary_file.exists():
        summary = json.loads(summary_file.read_text())
        print(f"input            reusing {xml}")
    else:
        start = time.perf_counter()
        command = [sys.executable, str(HERE / "gen_dblp.py"), "--records", str(args.records), "--out", str(xml), "--force"]
        if DTD.exists():
            command += ["--dtd", str(DTD)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        summary = json.loads(done.stdout.strip().splitlines()[-1])
        summary_file.write_text(json.dumps(summary))
        print(f"input            generated in {time.perf_counter() - start:.0f} s (not counted)")
    print(f"                 {xml} {xml.stat().st_size / 1e9:.2f} GB: {summary['publication_records']:,} publication records, "
          f"{summary['distinct_authors']:,} distinct authors, {summary['author_slots']:,} author slots")
    if out.exists():
        shutil.rmtree(out)
    graphkit = Path(sys.executable).with_name("graphkit")
    command = [str(graphkit), "build", str(xml), "--out", str(out)]
    print(f"command          graphkit build {xml} --out {out}")
    done = run_tree(command, timeout=args.timeout)
    if args.stderr is not None:
        args.stderr.write_text(done["stderr"], encoding="utf-8")
    if done["timed_out"]:
        print(f"stopped          after {args.timeout:.0f} s without finishing")
        print(f"peak memory      {done['tree_peak_mb']:,.0f} MB so far (process tree)")
        return
    total = done["seconds"]
    peak = done["tree_peak_mb"]
    if done["returncode"] != 0:
        sys.exit(f"graphkit build failed ({done['returncode']}):\n{done['stderr'][-3000:]}")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    print(f"records          {report['paper_records']:,} paper records, {report['problem_count']:,} problems")
    print("graph            " + ", ".join(f"{k} {v:,}" for k, v in report["counts"].items()))
    for stage, seconds in report["timings_s"].items():
        print(f"  {stage:<14} {seconds:8.1f} s")
    estimated = report.get("centrality", {}).get("estimated", {})
    for measure, how in estimated.items():
        print(f"centrality       estimated {measure}: {how['estimator'].split(' (')[0]}"
              + (f", {how['sources_per_component']} sources per component" if "sources_per_component" in how else ""))
    print(f"total (wall)     {total:8.1f} s")
    print(f"peak memory      {peak:,.0f} MB (the build and its child processes together, sampled every 20 ms); "
          f"largest single process {done['largest_process_mb']:,.0f} MB")
    if not args.keep:
        shutil.rmtree(out)
        xml.unlink()
        summary_file.unlink()


if __name__ == "__main__":
    main()
