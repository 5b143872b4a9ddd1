"""Extract stage: input files in, records and problems out.

One module per source format. :func:`iter_pages` walks files and directories
lazily, so a directory of 100,000 pages is read one file at a time.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from graphkit.readers.profile import decode_page, derive_title, parse_profile_text
from graphkit.models import PageResult, Problem

__all__ = ["derive_title", "iter_input_files", "iter_pages", "parse_profile_text", "read_page"]

PROFILE_SUFFIXES = (".txt",)


def iter_input_files(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[str, Problem | None]]:
    """Yield ``(path, None)`` for each file to read, or ``(path, problem)`` for one skipped.

    Directories are walked recursively in name order, for ``*.txt``; other
    files found there are reported, hidden files (``.name``) are ignored, and
    a folder without a single page is reported too. A file named explicitly
    is read whatever its suffix.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            pages = 0
            for found, problem in _walk(path):
                pages += problem is None
                yield found, problem
            if not pages:
                yield str(path), Problem(source=str(path), line=0, message="no profile pages (*.txt) in this folder")
        elif path.is_file():
            yield str(path), None
        else:
            yield str(path), Problem(source=str(path), line=0, message="no such file or directory")


def _walk(directory: Path) -> Iterator[tuple[str, Problem | None]]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        yield str(directory), Problem(source=str(directory), line=0, message=f"cannot list directory: {exc.strerror}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif entry.name.lower().endswith(PROFILE_SUFFIXES):
            yield entry.path, None
        else:
            yield entry.path, Problem(source=entry.path, line=0, message="not a profile page (*.txt); skipped")


def read_page(path: str, *, as_of: _dt.date | None = None) -> PageResult:
    """Read one profile page from disk; unreadable files become problems."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return PageResult(source=path, problems=(Problem(source=path, line=0, message=f"cannot read: {exc.strerror}"),))
    text, problem = decode_page(data, path)
    if problem is not None:
        return PageResult(source=path, problems=(problem,))
    return parse_profile_text(text, path, as_of=as_of)


def iter_pages(paths: Iterable[str | os.PathLike], *, as_of: _dt.date | None = None) -> Iterator[PageResult]:
    """Read every page under ``paths``, one file at a time.

    Each result carries the file's profile, papers and problems; files that
    were skipped come back as results holding only their problem.
    """
    as_of = as_of or _dt.date.today()
    for path, problem in iter_input_files(paths):
        if problem is not None:
            yield PageResult(source=path, problems=(problem,))
        else:
            yield read_page(path, as_of=as_of)
