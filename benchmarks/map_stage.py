"""The build's map stage on a stored build: CPU and wall seconds of ``collaboration_network`` and ``map_html``.

    python benchmarks/gen_bibtex.py --entries 20000 --out /tmp/h11/g.bib
    graphkit build /tmp/h11/g.bib --out /tmp/h11/out
    python benchmarks/map_stage.py /tmp/h11/out/graph.lbdb --before f22f75e

``--before REV`` also times graphkit/render as it was at git revision REV
(copied out of git into a temporary package), alternating with the current
code in the same process on the same graph, so that a loaded machine slows
both alike. CPU seconds (``time.process_time``) move less with the load than
wall seconds.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def old_render(rev: str, where: Path):
    package = where / "gkrender_before"
    package.mkdir()
    for name in ("__init__.py", "layout.py"):
        text = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:graphkit/render/{name}"],
                              check=True, capture_output=True, text=True).stdout
        (package / name).write_text(text.replace("graphkit.render.layout", "gkrender_before.layout"), encoding="utf-8")
    sys.path.insert(0, str(where))
    import gkrender_before

    return gkrender_before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path, help="a build's graph.lbdb")
    parser.add_argument("--before", help="git revision to compare with")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    import graphkit.render as current
    from graphkit.analyze import load_coauthor_graph
    from graphkit.store import EmbeddedStore

    G = load_coauthor_graph(EmbeddedStore(args.store))
    print(f"{G.number_of_nodes():,} authors, {G.number_of_edges():,} co-author edges")
    with tempfile.TemporaryDirectory() as tmp:
        versions = [("current", current)]
        if args.before:
            versions.insert(0, (f"before ({args.before})", old_render(args.before, Path(tmp))))
        for _ in range(args.rounds):
            for label, module in versions:
                cpu, wall = time.process_time(), time.perf_counter()
                net = module.collaboration_network(G)
                cpu_net, wall_net = time.process_time() - cpu, time.perf_counter() - wall
                cpu = time.process_time()
                module.map_html(net)
                print(f"{label}: collaboration_network {cpu_net:.2f} s CPU ({wall_net:.2f} s wall); "
                      f"map_html {time.process_time() - cpu:.2f} s CPU; {net.graphkit['note']}")


if __name__ == "__main__":
    main()
