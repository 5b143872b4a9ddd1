"""`graphkit build` end to end, as a user runs it, on the synthetic profile corpus.

    python benchmarks/build.py [--papers 100000] [--seed 0] [--corpus DIR] [--keep-out DIR]
    python benchmarks/build.py --papers 1000000 --memory-profile

The corpus (benchmarks/synthetic.py) has power-law papers per author, 1-20
authors per paper (up to three shown, as on profile pages), shared names and
both page layouts; it is generated first and not timed (``--corpus DIR``
keeps it there and reuses it on the next run). Then ``graphkit build CORPUS
--out OUT`` runs as a subprocess, exactly as a user types it, every output
written: the graph (LadybugDB), report.json, centrality.csv and the map. The
figures are its wall time and its peak memory (the resident sets of the build
and its child processes together, benchmarks/treemem.py), with the stage times and what centrality computed from report.json.
Targets: 100,000 papers within 60 s and 2 GB; 1,000,000 papers within
5 minutes and 6 GB.

``--memory-profile`` runs the same build in this process instead, recording
the resident memory when each stage starts and the peak so far, and the size
of what the stages hand on (records, tables): where the memory is at the peak.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_corpus  # noqa: E402
from treemem import run_tree  # noqa: E402

AS_OF = "2026-11-21"


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def corpus_at(path: Path | None, papers: int, seed: int, tmp: Path) -> Path:
    corpus = path or tmp / "pages"
    marker = corpus / f".complete-{papers}-{seed}"
    if marker.exists():
        print(f"corpus           reusing {corpus}")
        return corpus
    if corpus.exists():
        shutil.rmtree(corpus)
    start = time.perf_counter()
    pages, size = write_corpus(corpus, papers, seed=seed)
    marker.touch()
    print(f"corpus           {pages:,} pages, {size / 1e6:,.1f} MB (generated in {time.perf_counter() - start:.1f} s, not counted)")
    return corpus


def run_cli(corpus: Path, out: Path) -> None:
    graphkit = Path(sys.executable).with_name("graphkit")
    command = [str(graphkit), "build", str(corpus), "--out", str(out), "--as-of", AS_OF]
    print(f"command          graphkit build {corpus} --out {out} --as-of {AS_OF}")
    done = run_tree(command)
    total = done["seconds"]
    if done["returncode"] != 0:
        sys.exit(f"graphkit build failed ({done['returncode']}):\n{done['stderr'][-3000:]}")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    print(f"records          {report['paper_records']:,} paper records, {report['problem_count']} problems")
    print("graph            " + ", ".join(f"{k} {v:,}" for k, v in report["counts"].items()))
    for stage, seconds in report["timings_s"].items():
        print(f"  {stage:<14} {seconds:7.1f} s")
    centrality = report.get("centrality", {})
    estimated = centrality.get("estimated", {})
    if estimated:
        print(f"centrality       exact: {', '.join(centrality['exact'])}")
        for measure, how in estimated.items():
            bound = how["error_bound"]
            print(f"                 estimated {measure}: {how['estimator'].split(' (')[0]}, seed {how['seed']}, "
                  + (f"{how['sources_per_component']} sources per component, " if "sources_per_component" in how else "")
                  + f"epsilon {bound['epsilon']} at delta {bound['delta']}")
    elif centrality:
        print(f"centrality       all exact: {', '.join(centrality['exact'])}")
    sizes = {p.name: p.stat().st_size for p in out.iterdir() if p.is_file()}
    print("outputs          " + ", ".join(f"{name} {size / 1e6:,.1f} MB" for name, size in sorted(sizes.items())))
    print(f"total (wall)     {total:7.1f} s")
    print(f"peak memory      {done['tree_peak_mb']:,.0f} MB (the build and its child processes together, sampled every 20 ms); "
          f"largest single process {done['largest_process_mb']:,.0f} MB")


def profile_memory(corpus: Path, out: Path) -> None:
    """The build in this process, memory at each stage boundary (the CLI's own code path)."""
    from graphkit.outputs import write_build_outputs
    from graphkit.pipeline import build_knowledge_graph
    from graphkit.store.embedded import DB_FILENAME, EmbeddedStore

    marks: list[tuple[str, float, float, float]] = []
    start = time.perf_counter()

    def mark(stage: str) -> None:
        marks.append((stage, time.perf_counter() - start, rss_mb(), peak_mb()))

    mark("read")
    result = build_knowledge_graph([corpus], as_of=dt.date.fromisoformat(AS_OF), on_stage=mark)
    mark("(tables built)")
    write_build_outputs(result, out, EmbeddedStore(out / DB_FILENAME), on_stage=mark, release_text=True)
    mark("(done)")
    print(f"{'stage starts':<16}{'at s':>8}{'RSS MB':>10}{'peak MB':>10}")
    for stage, seconds, rss, peak in marks:
        print(f"{stage:<16}{seconds:8.1f}{rss:10,.0f}{peak:10,.0f}")
    tables = result.tables
    print("table sizes (pandas deep memory where the column is a Series, else list length):")
    for table in [*tables.nodes, *tables.rels]:
        cols = []
        for name, column in table.columns.items():
            if hasattr(column, "memory_usage"):
                cols.append(f"{name} {column.memory_usage(deep=True) / 2**20:,.0f} MB")
            else:
                cols.append(f"{name} list[{len(column):,}]")
        print(f"  {table.name:<16} {len(table):>10,} rows: {', '.join(cols)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, help="keep the generated corpus here and reuse it")
    parser.add_argument("--keep-out", type=Path, help="build into this folder and keep it (e.g. for query benchmarks)")
    parser.add_argument("--memory-profile", action="store_true", help="run in this process, memory per stage")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=os.environ.get("GRAPHKIT_BENCH_TMP")) as tmp:
        corpus = corpus_at(args.corpus, args.papers, args.seed, Path(tmp))
        out = args.keep_out or Path(tmp) / "out"
        if args.keep_out and out.exists():
            shutil.rmtree(out)
        if args.memory_profile:
            profile_memory(corpus, out)
        else:
            run_cli(corpus, out)


if __name__ == "__main__":
    main()
