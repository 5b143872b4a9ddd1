"""Start-up: what `graphkit --help` and each command cost before doing any work.

    python benchmarks/startup.py [--runs 15]

Times, as a user runs them (subprocesses, median of ``--runs``): a bare
``python -c pass``, ``graphkit --help``, and ``graphkit COMMAND --help`` for
every command; the target is ``graphkit --help`` within 0.3 s of the bare
start. Then, for each command's help and for ``import graphkit``, which heavy
libraries were imported (none should be, until a command runs), and the
libraries each command imports when it really runs on the bundled examples
(every command pays only for what it uses).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
HEAVY = ("pandas", "numpy", "networkx", "igraph", "pyarrow", "ladybug", "pydantic", "scipy", "lxml", "pyvis", "neo4j")

# the command's own app, not graphkit.cli's main(): main() leaves with os._exit, before the probe could look
PROBE = """
import json, os, sys
sys.argv = {argv!r}
os.environ.setdefault("GRAPHKIT_IGRAPH_WITHOUT_PYPLOT", "1")
from graphkit.cli import app
try:
    app()
except SystemExit:
    pass
sys.stderr.write("\\nHEAVY " + json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)) + "\\n")
"""


def wall(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def heavy_imports(argv: list[str]) -> list[str]:
    code = PROBE.format(argv=["graphkit", *argv], heavy=HEAVY)
    done = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, cwd=ROOT)
    line = [l for l in done.stderr.splitlines() if l.startswith("HEAVY ")]
    return json.loads(line[-1][6:]) if line else ["(failed: " + done.stderr.strip().splitlines()[-1] + ")"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    graphkit = str(Path(PYTHON).with_name("graphkit"))
    commands = ["extract", "build", "query", "centrality", "stats", "path", "growth", "map", "export"]
    bare = wall([PYTHON, "-c", "pass"], args.runs)
    imp = wall([PYTHON, "-c", "import graphkit"], args.runs)
    helps = wall([graphkit, "--help"], args.runs)
    print(f"median of {args.runs} runs each")
    print(f"{'python -c pass':<34}{bare:7.3f} s")
    label = 'python -c "import graphkit"'
    print(f"{label:<34}{imp:7.3f} s")
    print(f"{'graphkit --help':<34}{helps:7.3f} s   (+{helps - bare:.3f} s over a bare start; target <= 0.3 s)")
    for command in commands:
        print(f"{'graphkit ' + command + ' --help':<34}{wall([graphkit, command, '--help'], args.runs):7.3f} s")
    done = subprocess.run([PYTHON, "-c", "import sys, graphkit; print(sorted(m for m in %r if m in sys.modules))" % (HEAVY,)],
                          capture_output=True, text=True)
    print(f"\nheavy libraries imported by `import graphkit`: {done.stdout.strip()}")
    print(f"heavy libraries imported by `graphkit --help`: {heavy_imports(['--help'])}")
    for command in commands:
        print(f"  {'graphkit ' + command + ' --help':<30} {heavy_imports([command, '--help'])}")
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "out")
        examples = str(ROOT / "examples" / "profiles")
        edges = str(Path(tmp) / "edges.txt")
        Path(edges).write_text("a b\nb c\n", encoding="utf-8")
        runs = [
            ["extract", examples],
            ["build", examples, "--out", out, "--as-of", "2026-11-21"],
            ["query", "MATCH (a:Author) RETURN count(a) AS n", "--db", out],
            ["centrality", "--edgelist", edges, "--measure", "degree"],
            ["stats", "--edgelist", edges],
            ["growth", "--db", out],
        ]
        print("\nheavy libraries imported when the command runs (on the bundled examples):")
        for argv in runs:
            print(f"  graphkit {argv[0]:<12} {heavy_imports(argv)}")


if __name__ == "__main__":
    main()
