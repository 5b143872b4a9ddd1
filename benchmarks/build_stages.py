"""The build's "centrality" and "map" stages alone (issue #13): seconds and memory above the tables.

    python benchmarks/build_stages.py --tables T.pkl           # a build's tables, pickled (see --save)
    python benchmarks/build_stages.py --synthetic 169491        # synthetic tables of a 1M-paper build's size
    python benchmarks/build_stages.py --save T.pkl INPUT...     # extract + resolve + build INPUT, pickle the tables
    ... --before REV                                            # also the stages as they were at git revision REV

Each variant runs in a fresh process: load the tables, note the resident memory,
run what ``graphkit.outputs._write_staged`` runs between "centrality" and the
report (the centrality table, its CSV, the map and its HTML; the current code
with the garbage collector paused, as the build runs them), and print the
seconds of each part and the peak resident memory above the tables. ``--before``
runs the same stages with graphkit/analyze/defaults.py, graphkit/render and
the co-author graph as they were at REV (copied out of git into a temporary
package): the networkx graph of the whole co-author graph, its main
institutions, then ``collaboration_network``. Both read the same tables back to
back; on a loaded machine compare the ratio within one run.

The synthetic tables: ``--synthetic N`` authors in groups of 40, papers of 1-8
authors (most 2-4), 80 % of them within one group, authors drawn with a
power law; papers are added until the COAUTHORED rows reach 23.6 per author
(the 1M profile build's 4.0M for 169,491 authors).
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def synthetic_tables(authors: int, *, seed: int = 0, per_author: float = 23.6):
    """GraphTables with ``authors`` authors and about ``per_author`` co-author pairs each (see the module)."""
    import numpy as np
    import pandas as pd

    from graphkit.projections import coauthor_table
    from graphkit.tables import GraphTables, Table

    rng = np.random.default_rng(seed)
    group = 40
    weight = 1.0 / np.arange(1, group + 1) ** 0.8  # a few prolific authors per group
    weight /= weight.sum()
    links, paper_count, pairs = [], 0, 0
    target = per_author * authors
    while pairs < target:
        batch = 200_000
        sizes = rng.choice(np.arange(1, 9), size=batch, p=[.08, .22, .25, .2, .1, .07, .05, .03])
        home = rng.integers(0, max(authors // group, 1), size=batch)
        rows = np.repeat(np.arange(batch), sizes)
        local = rng.choice(group, size=len(rows), p=weight)
        groups = np.where(rng.random(len(rows)) < 0.8, home[rows], rng.integers(0, max(authors // group, 1), size=len(rows)))
        who = np.minimum(groups * group + local, authors - 1)
        frame = pd.DataFrame({"paper": rows + paper_count, "author": who}).drop_duplicates()
        links.append(frame)
        paper_count += batch
        pairs += int((sizes * (sizes - 1) // 2).sum() * 0.7)  # repeated pairs merge
    authorship = pd.concat(links, ignore_index=True)
    n_papers = paper_count
    years = pd.Series(rng.integers(1990, 2026, size=n_papers).astype(float), index=np.arange(n_papers))
    co = coauthor_table(authorship, years)
    ids = np.array([f"author:{i}" for i in range(authors)], dtype=object)
    co_table = Table("rel", "COAUTHORED", "Author", "Author",
                     {"source": "STRING", "target": "STRING", "papers": "INT64", "weight": "DOUBLE",
                      "first_year": "INT64", "last_year": "INT64"},
                     {"source": pd.Series(ids[co["a"].to_numpy()]), "target": pd.Series(ids[co["b"].to_numpy()]),
                      "papers": co["papers"].astype("int64"), "weight": co["weight"],
                      "first_year": co["first_year"], "last_year": co["last_year"]})
    paper_ids = np.array([f"paper:{i}" for i in range(n_papers)], dtype=object)
    inst = rng.integers(0, 200, size=authors)
    return GraphTables(
        [Table("node", "Author", None, None, {"id": "STRING", "name": "STRING"},
               {"id": list(ids), "name": [f"Author {i}" for i in range(authors)]}),
         Table("node", "Paper", None, None, {"id": "STRING", "year": "INT64"},
               {"id": pd.Series(paper_ids), "year": pd.Series(years.to_numpy())}),
         Table("node", "Institution", None, None, {"id": "STRING", "name": "STRING"},
               {"id": [f"inst:{i}" for i in range(200)], "name": [f"Institute {i}" for i in range(200)]})],
        [Table("rel", "AUTHORED", "Author", "Paper", {"source": "STRING", "target": "STRING"},
               {"source": pd.Series(ids[authorship["author"].to_numpy()]),
                "target": pd.Series(paper_ids[authorship["paper"].to_numpy()])}),
         co_table,
         Table("rel", "AFFILIATED_WITH", "Author", "Institution", {"source": "STRING", "target": "STRING", "papers": "INT64"},
               {"source": list(ids), "target": [f"inst:{i}" for i in inst], "papers": [1 + i % 5 for i in range(authors)]})],
    )


def old_modules(rev: str, where: Path):
    """graphkit/analyze/defaults.py and graphkit/render as they were at ``rev``, importable."""
    package = where / "gk_before"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    for name in ("render/__init__.py", "render/layout.py", "analyze/defaults.py"):
        text = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:graphkit/{name}"],
                              check=True, capture_output=True, text=True).stdout
        target = package / name.replace("/__init__.py", ".py").replace("/", "_")
        target.write_text(text.replace("graphkit.render.layout", "gk_before.render_layout"), encoding="utf-8")
    sys.path.insert(0, str(where))
    from gk_before import analyze_defaults, render

    return analyze_defaults, render


def run_stages(tables, before: str | None) -> None:
    """One variant, in this process: the stages' parts and the peak memory above the tables."""
    base = rss_mb()
    lap = [time.perf_counter()]
    parts = []

    def mark(name):
        now = time.perf_counter()
        parts.append(f"{name} {now - lap[0]:.1f}")
        lap[0] = now

    start = lap[0]
    with tempfile.TemporaryDirectory() as tmp:
        if before:
            defaults, render = old_modules(before, Path(tmp))
            coauthors = tables.coauthor_graph()
            for author, institution in tables.main_institutions().items():
                coauthors.nodes[author]["institution"] = institution
            mark("coauthor graph")
            table = defaults.author_centrality(tables)
            mark("author_centrality")
            table.to_csv(Path(tmp) / "centrality.csv", index=False)
            centrality = time.perf_counter() - start
            net = render.collaboration_network(coauthors, title="Collaboration map",
                                               mean_years=render.tables_mean_years(tables))
        else:
            from graphkit.analyze.defaults import author_centrality
            from graphkit.pipeline import gc_paused
            from graphkit.render import tables_network

            paused = gc_paused()  # as the build runs these stages
            paused.__enter__()
            table = author_centrality(tables)
            mark("author_centrality")
            table.to_csv(Path(tmp) / "centrality.csv", index=False)
            centrality = time.perf_counter() - start
            from graphkit.render import write_map  # noqa: F401 - imported as the build imports it

            net = tables_network(tables, table, title="Collaboration map")
            render = sys.modules["graphkit.render"]
        mark("collaboration network")
        map_start = time.perf_counter()
        (Path(tmp) / "collaboration-map.html").write_text(render.map_html(net), encoding="utf-8")
        mark("html")
        if not before:
            paused.__exit__(None, None, None)
    total = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'before ' + before if before else 'current':<16} centrality {centrality:6.1f} s  map {total - centrality:6.1f} s  "
          f"together {total:6.1f} s  peak {peak - base:7,.0f} MB above the tables ({base:,.0f} MB)  [{'; '.join(parts)}]",
          flush=True)
    del map_start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tables", type=Path, help="pickled GraphTables")
    parser.add_argument("--synthetic", type=int, help="synthetic tables with this many authors")
    parser.add_argument("--save", type=Path, help="build the inputs and pickle their tables here")
    parser.add_argument("inputs", nargs="*", type=Path)
    parser.add_argument("--before", help="git revision to compare with")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.save:
        import datetime as dt

        from graphkit.pipeline import build_knowledge_graph

        result = build_knowledge_graph(args.inputs, as_of=dt.date(2026, 11, 21))
        with open(args.save, "wb") as handle:
            pickle.dump(result.tables, handle, protocol=5)
        print(f"saved {args.save}: {result.tables.counts()}")
        return
    if args.variant is not None:
        if args.tables:
            with open(args.tables, "rb") as handle:
                tables = pickle.load(handle)
        else:
            tables = synthetic_tables(args.synthetic)
        run_stages(tables, args.variant or None)
        return
    source = ["--tables", str(args.tables)] if args.tables else ["--synthetic", str(args.synthetic)]
    if args.synthetic and not args.tables:  # build once, share between the variants
        start = time.perf_counter()
        tables = synthetic_tables(args.synthetic)
        path = Path(tempfile.mkdtemp()) / "tables.pkl"
        with open(path, "wb") as handle:
            pickle.dump(tables, handle, protocol=5)
        co = tables.rel_table("COAUTHORED", "Author")
        print(f"synthetic tables: {args.synthetic:,} authors, {len(co):,} COAUTHORED "
              f"({time.perf_counter() - start:.0f} s, not timed below)", flush=True)
        source = ["--tables", str(path)]
    for variant in ([args.before] if args.before else []) + [""]:
        subprocess.run([sys.executable, __file__, *source, "--variant", variant], check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
