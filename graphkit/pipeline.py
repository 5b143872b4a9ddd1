"""The whole pipeline in one call: files -> records -> entities -> knowledge graph.

Stages stay plain functions; this module only strings them together and
collects what a report needs (counts, problems, merges, ambiguities, flags).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import gc
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from graphkit.bulk import build_bulk, bulk_inputs
from graphkit.build import MAX_AUTHORS, build_tables, hyperauthored_papers, truncated_papers
from graphkit.models import PaperRecord, Problem, Profile
from graphkit.readers._forked import can_fork, map_in_two
from graphkit.readers.registry import InputFile, iter_inputs, read_input
from graphkit.resolve import Resolution, resolve
from graphkit.resolve.identity import IdentityOptions
from graphkit.resolve.institutions import AliasTable
from graphkit.resolve.records import CompactRecord, compact
from graphkit.tables import GraphTables

__all__ = ["BuildResult", "build_knowledge_graph", "extract_all", "gc_paused"]


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
    readers: dict[str, dict[str, int]] = field(default_factory=dict)  # format -> {how chosen: files}
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
            "readers": self.readers,
            "profiles": len(self.profiles),
            "paper_records": self.records,
            "counts": self.counts(),
            "hyperauthorship": {"max_authors": self.max_authors, "papers_without_coauthor_pairs": self.hyperauthored},
            "problem_count": len(self.problems),
            "problems": [p.model_dump() for p in self.problems],
            "resolution": res.stats(),
            **res.log(),
            "unknown_institutions": dict(sorted(res.unknown_institutions.items())),
            "institution_conflicts": dict(sorted(res.institution_conflicts.items())),
            "timings_s": {k: round(v, 3) for k, v in self.timings.items()},
        }


def extract_all(
    paths: Iterable[str | os.PathLike],
    *,
    as_of: _dt.date | None = None,
    forced: str | None = None,
    on_file: Callable[[InputFile], None] | None = None,
    readers: dict[str, dict[str, int]] | None = None,
) -> tuple[list[Profile], list[PaperRecord], list[Problem], int]:
    """Read every input; returns (profiles, paper records, problems, files read).

    ``forced`` is ``--from``: one reader for every file. ``on_file`` is called
    after each input (read or skipped); ``readers``, when given, counts the
    files each reader read and how it was chosen.

    The records are compact read-only copies of :class:`PaperRecord` with the same fields
    (:class:`~graphkit.resolve.records.CompactRecord`): a build holds every record until
    resolution ends, and 1M-paper builds must stay within a few GB. Records are
    compacted as they stream in, so a 7-million-record DBLP file never exists as
    pydantic objects all at once.

    Many files (a folder of profile pages) are read on both cores: this
    process and a forked child take blocks of files from a shared queue, and
    the child sends each block's records back (:func:`split_blocks`). The
    results, ``on_file``'s calls and ``readers`` are the same as read in one
    process, in the same order; ``on_file`` is called in this process, up to a
    block behind while the child's block is on its way.
    """
    as_of = as_of or _dt.date.today()
    profiles: list[Profile] = []
    records: list = []
    problems: list[Problem] = []
    files = 0
    keep, report = records.append, problems.append
    shared: dict = {}  # equal author tuples stored once (a DBLP person on each of their papers)

    def read_one(item: InputFile) -> tuple:
        things = [compact(t, shared) if type(t) is PaperRecord else t
                  for t in read_input(item, as_of=as_of, shared=shared)]
        return item.format, item.how, item.problem, things

    items = list(iter_inputs(paths, forced=forced, choose=False))  # read_input chooses from its own open
    blocks = split_blocks(items)
    for item, (item.format, item.how, item.problem, things) in zip(
            (item for block in blocks for item in block), map_in_two(blocks, read_one)):
        for thing in things:
            if type(thing) is CompactRecord:
                keep(thing)
            elif type(thing) is Problem:
                report(thing)
            elif isinstance(thing, Profile):
                profiles.append(thing)
        del things
        files += item.format is not None
        if item.format is not None and readers is not None:
            counted = readers.setdefault(item.format, {})
            counted[item.how] = counted.get(item.how, 0) + 1
        if on_file is not None:
            on_file(item)
    return profiles, records, problems, files


#: Inputs from this many bytes on are read on both cores (:func:`split_blocks`): below it the fork and the
#: pickled hand-back cost more than the half they save (8 MiB of profile pages read in about 0.5 s).
SPLIT_BYTES = 8 << 20
#: The blocks the two processes take from their queue: small enough that both finish together.
BLOCK_BYTES = 2 << 20


def split_blocks(items: list[InputFile]) -> list[list[InputFile]]:
    """The inputs in blocks of about :data:`BLOCK_BYTES` (a larger file is a block of its own), in order,
    for :func:`~graphkit.readers._forked.map_in_two`; one block when there is too little to share or
    only one core.

    >>> len(split_blocks([InputFile("a.bib"), InputFile("b.bib")]))  # too little to share
    1
    """
    if len(items) < 2 or not can_fork():
        return [items]
    sizes = [_size(item) for item in items]
    if sum(sizes) < SPLIT_BYTES:
        return [items]
    blocks: list[list[InputFile]] = [[]]
    filled = 0
    for item, size in zip(items, sizes):
        if filled and filled + size > BLOCK_BYTES:
            blocks.append([])
            filled = 0
        blocks[-1].append(item)
        filled += size
    return blocks


def _size(item: InputFile) -> int:
    if item.problem is not None:
        return 0
    try:
        return os.stat(item.path).st_size
    except (OSError, ValueError):
        return 0  # read_input reports it


def build_knowledge_graph(
    paths: Iterable[str | os.PathLike],
    *,
    as_of: _dt.date | None = None,
    aliases: AliasTable | None = None,
    forced: str | None = None,
    on_file: Callable[[InputFile], None] | None = None,
    max_authors: int = MAX_AUTHORS,
    identity: IdentityOptions | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> BuildResult:
    """Extract, resolve and build: the knowledge graph of the given inputs.

    ``identity``: the author-identity settings (curation file, bias, homonym splitting).
    ``on_stage`` is called with "resolve" and "tables" as each stage starts (for a progress display).

    >>> from pathlib import Path
    >>> examples = Path(__file__).parents[1] / "examples" / "profiles"
    >>> result = build_knowledge_graph([examples], as_of=_dt.date(2026, 11, 21))
    >>> result.counts()["Paper"], result.problems
    (12, [])
    """
    with gc_paused():
        return _build(paths, as_of=as_of, aliases=aliases, forced=forced, on_file=on_file, max_authors=max_authors,
                      identity=identity, on_stage=on_stage)


@contextlib.contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector while a build makes its millions of long-lived objects
    (extract, resolve and tables here; centrality and the map in outputs.py).

    Each full collection walks every object alive, and a build keeps adding
    (records, occurrences, entities): with the collector on, a 100,000-paper
    build spends about a sixth of its extract, resolve and table time in it.
    A build makes almost no reference cycles (25 objects found after a
    100,000-paper build), so nothing accumulates; the collector is restored
    as it was, also on error.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(paths, *, as_of, aliases, forced, on_file, max_authors, identity, on_stage) -> BuildResult:
    paths = [os.fspath(paths)] if isinstance(paths, (str, os.PathLike)) else [str(p) for p in paths]  # one path alone: itself
    as_of = as_of or _dt.date.today()
    if (identity is None or (identity.curation is None and identity.engine)) and bulk_inputs(paths, forced):
        # all of DBLP: its person ids settle identity (see graphkit.bulk); a curation file needs the general path
        return build_bulk(paths, as_of=as_of, aliases=aliases, forced=forced, on_file=on_file, max_authors=max_authors,
                          identity=identity, on_stage=on_stage)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    readers: dict[str, dict[str, int]] = {}
    profiles, records, problems, files = extract_all(paths, as_of=as_of, forced=forced, on_file=on_file, readers=readers)
    timings["extract"], start = time.perf_counter() - start, time.perf_counter()
    if on_stage is not None:
        on_stage("resolve")
    resolution = resolve(profiles, records, aliases=aliases, identity=identity)
    problems.extend(resolution.identity_problems)  # identities-file rules that matched no author
    n_records = len(records)
    del records  # the entities hold what the graph needs
    timings["resolve"], start = time.perf_counter() - start, time.perf_counter()
    if on_stage is not None:
        on_stage("tables")
    tables = build_tables(resolution, max_authors=max_authors)
    authored = next(t for t in tables.rels if t.name == "AUTHORED")
    hyper = hyperauthored_papers(pd.DataFrame({"author": authored.columns["source"], "paper": authored.columns["target"]}),
                                 max_authors=max_authors, truncated=truncated_papers(resolution))
    resolution.drop_entities()  # the tables hold them now; keep only the log
    timings["build"] = time.perf_counter() - start
    return BuildResult(tables, resolution, profiles, problems, files, n_records, as_of, paths, timings,
                       readers, max_authors=max_authors, hyperauthored=hyper)
