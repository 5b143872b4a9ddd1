"""The whole pipeline in one call: files -> records -> entities -> knowledge graph.

Stages stay plain functions; this module only strings them together and
collects what a report needs (counts, problems, merges, ambiguities, flags).
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from graphkit.build import MAX_AUTHORS, build_tables, hyperauthored_papers
from graphkit.extract import iter_input_files, read_page
from graphkit.models import PageResult, PaperRecord, Problem, Profile
from graphkit.resolve import Resolution, resolve
from graphkit.resolve.institutions import AliasTable
from graphkit.resolve.records import compact
from graphkit.tables import GraphTables

__all__ = ["BuildResult", "build_knowledge_graph", "extract_all"]


@dataclass
class BuildResult:
    """A built knowledge graph with everything learnt on the way.

    ``tables`` is the graph as column tables (what the stores load);
    ``graph`` is the networkx MultiDiGraph, built from them on first use.
    """

    tables: GraphTables
    resolution: Resolution
    profiles: list[Profile]
    problems: list[Problem]
    files: int
    records: int
    as_of: _dt.date
    inputs: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    max_authors: int = MAX_AUTHORS
    hyperauthored: int = 0  # papers above max_authors: AUTHORED edges, no COAUTHORED pairs

    @functools.cached_property
    def graph(self) -> nx.MultiDiGraph:
        return self.tables.to_networkx()

    def counts(self) -> dict[str, int]:
        return self.tables.counts()

    def report(self) -> dict:
        """Everything a person needs to trust (or question) the graph, as JSON-ready data."""
        from graphkit import __version__

        res = self.resolution
        return {
            "graphkit": __version__,
            "as_of": self.as_of.isoformat(),
            "inputs": self.inputs,
            "files": self.files,
            "profiles": len(self.profiles),
            "paper_records": self.records,
            "counts": self.counts(),
            "hyperauthorship": {"max_authors": self.max_authors, "papers_without_coauthor_pairs": self.hyperauthored},
            "problem_count": len(self.problems),
            "problems": [p.model_dump() for p in self.problems],
            "resolution": res.stats(),
            **res.log(),
            "unknown_institutions": dict(sorted(res.unknown_institutions.items())),
            "timings_s": {k: round(v, 3) for k, v in self.timings.items()},
        }


def extract_all(
    paths: Iterable[str | os.PathLike],
    *,
    as_of: _dt.date | None = None,
    on_page: Callable[[PageResult], None] | None = None,
) -> tuple[list[Profile], list[PaperRecord], list[Problem], int]:
    """Read every input; returns (profiles, paper records, problems, files read).

    The records are compact read-only copies of :class:`PaperRecord` with the same fields
    (:class:`~graphkit.resolve.records.CompactRecord`): a build holds every record until
    resolution ends, and 1M-paper builds must stay within a few GB.
    """
    as_of = as_of or _dt.date.today()
    profiles: list[Profile] = []
    records: list[PaperRecord] = []
    problems: list[Problem] = []
    files = 0
    for path, problem in iter_input_files(paths):
        page = PageResult(source=path, problems=(problem,)) if problem else read_page(path, as_of=as_of)
        files += problem is None
        if page.profile is not None:
            profiles.append(page.profile)
        records.extend(compact(p) for p in page.papers)
        problems.extend(page.problems)
        if on_page is not None:
            on_page(page)
    return profiles, records, problems, files


def build_knowledge_graph(
    paths: Iterable[str | os.PathLike],
    *,
    as_of: _dt.date | None = None,
    aliases: AliasTable | None = None,
    on_page: Callable[[PageResult], None] | None = None,
    max_authors: int = MAX_AUTHORS,
) -> BuildResult:
    """Extract, resolve and build: the knowledge graph of the given inputs.

    >>> from pathlib import Path
    >>> examples = Path(__file__).parents[1] / "examples" / "profiles"
    >>> result = build_knowledge_graph([examples], as_of=_dt.date(2026, 11, 21))
    >>> result.counts()["Paper"], result.problems
    (12, [])
    """
    paths = [str(p) for p in paths]
    as_of = as_of or _dt.date.today()
    timings: dict[str, float] = {}
    start = time.perf_counter()
    profiles, records, problems, files = extract_all(paths, as_of=as_of, on_page=on_page)
    timings["extract"], start = time.perf_counter() - start, time.perf_counter()
    resolution = resolve(profiles, records, aliases=aliases)
    n_records = len(records)
    del records  # the entities hold what the graph needs
    timings["resolve"], start = time.perf_counter() - start, time.perf_counter()
    tables = build_tables(resolution, max_authors=max_authors)
    authored = next(t for t in tables.rels if t.name == "AUTHORED")
    hyper = hyperauthored_papers(pd.DataFrame({"author": authored.columns["source"], "paper": authored.columns["target"]}),
                                 max_authors=max_authors)
    resolution.drop_entities()  # the tables hold them now; keep only the log
    timings["build"] = time.perf_counter() - start
    return BuildResult(tables, resolution, profiles, problems, files, n_records, as_of, paths, timings,
                       max_authors=max_authors, hyperauthored=hyper)
