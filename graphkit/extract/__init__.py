"""Kept for old imports: reading lives in :mod:`graphkit.readers` (one module per format,
:mod:`graphkit.readers.registry` choosing among them).

:func:`iter_pages` reads every input under some paths, one file at a time, as
:class:`~graphkit.models.PageResult` objects (a file's profile, papers and problems).
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable, Iterator

from graphkit.models import PageResult, PaperRecord, Problem, Profile
from graphkit.readers.profile import decode_page, derive_title, parse_profile_text
from graphkit.readers.registry import InputFile, iter_inputs, read_input

__all__ = ["decode_page", "derive_title", "iter_input_files", "iter_pages", "parse_profile_text", "read_page"]


def iter_input_files(paths: Iterable[str | os.PathLike], *, forced: str | None = None) -> Iterator[tuple[str, Problem | None]]:
    """Yield ``(path, None)`` for each file to read, or ``(path, problem)`` for one skipped."""
    for item in iter_inputs(paths, forced=forced):
        yield item.path, item.problem


def _page(item: InputFile, as_of: _dt.date) -> PageResult:
    profile: Profile | None = None
    papers: list[PaperRecord] = []
    problems: list[Problem] = []
    for thing in read_input(item, as_of=as_of):
        if isinstance(thing, PaperRecord):
            papers.append(thing)
        elif isinstance(thing, Problem):
            problems.append(thing)
        elif profile is None:
            profile = thing
    return PageResult(source=item.path, profile=profile, papers=tuple(papers), problems=tuple(problems))


def read_page(path: str, *, as_of: _dt.date | None = None, forced: str | None = None) -> PageResult:
    """Read one input file (any format the registry recognises); unreadable files become problems."""
    (item,) = list(iter_inputs([path], forced=forced, choose=False))[:1] or [InputFile(path)]
    return _page(item, as_of or _dt.date.today())


def iter_pages(paths: Iterable[str | os.PathLike], *, as_of: _dt.date | None = None,
               forced: str | None = None) -> Iterator[PageResult]:
    """Read every input under ``paths``, one file at a time.

    Each result carries the file's profile, papers and problems; files that
    were skipped come back as results holding only their problem.
    """
    as_of = as_of or _dt.date.today()
    for item in iter_inputs(paths, forced=forced, choose=False):  # one open per file: read_input chooses
        yield _page(item, as_of)
