"""What `graphkit build` leaves in its output folder.

- the graph in the store (``DIR/graph.lbdb``, or the Neo4j server),
- ``DIR/report.json``: counts, problems, merges, ambiguous pairs, flags,
- ``DIR/centrality.csv``: centrality of every author in the co-author graph,
- ``DIR/collaboration-map.html``: the interactive map, self-contained.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from graphkit.pipeline import BuildResult

__all__ = ["write_build_outputs", "write_json_atomic"]


def write_json_atomic(data, path: Path) -> None:
    """Write JSON next to ``path`` and rename it into place."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def write_build_outputs(result: BuildResult, out_dir: Path, store) -> dict[str, str]:
    """Store the graph and write the report (and, when available, centrality and map)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}
    start = time.perf_counter()
    counts = store.write(result.tables)
    result.timings["store"] = time.perf_counter() - start
    written["graph"] = str(getattr(store, "path", None) or store)
    report = result.report()
    report["stored_counts"] = counts
    write_json_atomic(report, out_dir / "report.json")
    written["report"] = str(out_dir / "report.json")
    start = time.perf_counter()
    coauthors = result.tables.coauthor_graph()
    for author, institution in result.tables.main_institutions().items():
        coauthors.nodes[author]["institution"] = institution
    table = author_centrality(coauthors)
    tmp = out_dir / "centrality.csv.tmp"
    table.to_csv(tmp, index=False)
    os.replace(tmp, out_dir / "centrality.csv")
    result.timings["centrality"] = time.perf_counter() - start
    written["centrality"] = str(out_dir / "centrality.csv")
    start = time.perf_counter()
    from graphkit.render import collaboration_network, write_map

    net = collaboration_network(coauthors, title="Collaboration map")
    written["map"] = str(write_map(net, out_dir / "collaboration-map.html"))
    result.timings["map"] = time.perf_counter() - start
    return written


def author_centrality(H):
    """The centrality table `graphkit build` writes for a co-author graph: exact measures
    up to 50,000 authors, betweenness sampled from 2,000 sources above that (stated in
    the column name)."""
    from graphkit.analyze import DEFAULT_MEASURES, centrality_table

    k = 2000 if H.number_of_nodes() > 50_000 else None
    table = centrality_table(H, ["pagerank", *[m for m in DEFAULT_MEASURES if m != "pagerank"], "core_number", "community"], k=k)
    if k:
        table = table.rename(columns={"betweenness": f"betweenness_k{k}"})
    return table
