"""Which reader reads which file: ``--from``, else the suffix, else sniffing.

Every format module (``graphkit.readers.bibtex`` ...) declares ``FORMAT``,
``SUFFIXES``, ``sniff(head)`` and ``parse(stream, source)``. The registry
imports them lazily (a module that is missing or broken is left out, not fatal)
and, for each input:

1. ``--from FORMAT`` decides when given;
2. else the suffix (after stripping ``.gz``): when one reader claims it and its
   sniff agrees, that reader; when several claim it (``.json``: OpenAlex,
   CSL-JSON, arXiv) the one whose sniff recognises the first 64 KiB;
3. else any reader whose sniff recognises the head (a ``.txt`` that is really
   BibTeX is read as BibTeX);
4. else, when exactly one reader claims the suffix, that reader (it reports
   precisely what is wrong with the file); else the file is a problem, never
   parsed as something else.

Folders are walked iteratively (no recursion limit), in name order; hidden
entries (``.name``) are ignored; files no reader claims by suffix, and anything
that is not a regular file (FIFOs, sockets, devices, symlink loops), are
reported and never opened. A file reached twice (named again, or a symlink or
hard link beside it: the same device and inode) is given once.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "refs.txt").write_text("@article{k, title={T}, author={Lee, Ann}, year=2020}\\n")
>>> _ = (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
>>> [(pathlib.Path(f.path).name, f.format, f.how, f.problem and f.problem.message) for f in iter_inputs([folder])]
[('notes.pdf', None, '', 'no reader for .pdf files; skipped (use --from FORMAT to force one)'), ('refs.txt', 'bibtex', 'sniffed', None)]
"""

from __future__ import annotations

import functools
import importlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType

from graphkit.exceptions import InputError
from graphkit.models import PaperRecord, Problem, Profile
from graphkit.readers._files import HEAD_SIZE, check_regular_file, cut_off, describe_mode, open_input, strip_gz

__all__ = [
    "FORMATS",
    "InputFile",
    "available_formats",
    "choose_reader",
    "get_reader",
    "iter_inputs",
    "read_input",
]

# --from name -> module. Sniffing tries them in this order: the most specific
# signatures first, profile pages (the loosest) last.
FORMATS: dict[str, str] = {
    "dblp": "graphkit.readers.dblp",
    "openalex": "graphkit.readers.openalex",
    "arxiv": "graphkit.readers.arxiv",
    "csl-json": "graphkit.readers.csljson",
    "bibtex": "graphkit.readers.bibtex",
    "ris": "graphkit.readers.ris",
    "wos": "graphkit.readers.wos",
    "scopus": "graphkit.readers.scopus",
    "medline": "graphkit.readers.medline",
    "profile": "graphkit.readers.profile",
}
_loaded: dict[str, ModuleType | None] = {}


def get_reader(fmt: str) -> ModuleType | None:
    """The reader module of a format, or None when it is not available."""
    if fmt not in _loaded:
        module = None
        if fmt in FORMATS:
            try:
                module = importlib.import_module(FORMATS[fmt])
            except ImportError:  # a format still being written, or an optional dependency missing
                module = None
            if module is not None and not all(hasattr(module, a) for a in ("FORMAT", "SUFFIXES", "sniff", "parse")):
                module = None
        _loaded[fmt] = module
    return _loaded[fmt]


def available_formats() -> list[str]:
    """The formats whose readers can be used here, in sniffing order.

    >>> "profile" in available_formats()
    True
    """
    return [fmt for fmt in FORMATS if get_reader(fmt) is not None]


@functools.cache
def _suffix_table() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(format, its suffixes) of the available readers, in sniffing order (asked for twice per input file)."""
    return tuple((fmt, tuple(get_reader(fmt).SUFFIXES)) for fmt in available_formats())


def _claimed_by(name: str) -> list[str]:
    """Formats whose suffixes match ``name`` (``.gz`` stripped), the longest suffix first."""
    base = strip_gz(name).lower()
    hits = []
    for fmt, suffixes in _suffix_table():
        if base.endswith(suffixes):
            hits.append((-max(len(s) for s in suffixes if base.endswith(s)), fmt))
    return [fmt for _, fmt in sorted(hits, key=lambda h: h[0])]


def _suffix_of(name: str) -> str:
    base = strip_gz(os.path.basename(name))
    dot = base.rfind(".")
    return base[dot:].lower() if dot > 0 else ""


@dataclass(slots=True)
class InputFile:
    """One input and the reader chosen for it.

    ``how`` is ``--from``, ``suffix`` or ``sniffed``; a file that will not be
    read has ``format`` None and a ``problem`` saying why.
    """

    path: str
    format: str | None = None
    how: str = ""
    problem: Problem | None = None

    def describe(self) -> str:
        """``a.json: read as openalex (sniffed)``, or the problem."""
        if self.problem is not None:
            return str(self.problem)
        return f"{self.path}: read as {self.format} ({self.how})"


def _sniff(fmt: str, head: bytes) -> bool:
    try:
        return bool(get_reader(fmt).sniff(head))
    except Exception:  # noqa: BLE001 - a sniffer that trips over odd bytes just says no
        return False


def choose_reader(path: str, head: bytes, *, forced: str | None = None) -> InputFile:
    """Pick the reader for ``path`` whose first bytes are ``head`` (see the module docstring).

    >>> choose_reader("w.json", b'{"id": "https://openalex.org/W1", "authorships": []}').describe()
    'w.json: read as openalex (sniffed)'
    >>> choose_reader("a.bib", b"@article{k, title={T}}").describe()
    'a.bib: read as bibtex (suffix)'
    >>> print(choose_reader("data.bin", b"\\x00\\x01").describe())
    data.bin: no reader recognises this file; skipped (use --from FORMAT to force one)
    """
    if forced is not None:
        if get_reader(forced) is None:
            return InputFile(path, problem=Problem(source=path, line=0, message=f"no reader for --from {forced}"))
        return InputFile(path, forced, "--from")
    if not head.strip(b" \t\r\n\x00"):
        return InputFile(path, problem=Problem(source=path, line=0, message="empty file" if not head else "blank file"))
    claimed = _claimed_by(os.path.basename(path))
    if len(claimed) == 1 and _sniff(claimed[0], head):
        return InputFile(path, claimed[0], "suffix")
    for fmt in claimed:
        if _sniff(fmt, head):
            return InputFile(path, fmt, "sniffed")
    for fmt in available_formats():
        if fmt not in claimed and _sniff(fmt, head):
            return InputFile(path, fmt, "sniffed")
    if len(claimed) == 1:  # its reader says precisely what is wrong with the file
        return InputFile(path, claimed[0], "suffix")
    what = f"this {_suffix_of(path)} file" if claimed else "this file"
    tried = f" (tried {', '.join(claimed)})" if len(claimed) > 1 else ""
    return InputFile(path, problem=Problem(
        source=path, line=0, message=f"no reader recognises {what}{tried}; skipped (use --from FORMAT to force one)"))


def _bare(exc: InputError, path: str) -> str:
    text = str(exc)
    return text[len(path) + 2:] if text.startswith(path + ": ") else text


def _choose(path: str, forced: str | None) -> InputFile:
    try:
        with open_input(path) as stream:
            head = stream.peek(HEAD_SIZE)[:HEAD_SIZE] if hasattr(stream, "peek") else stream.read(HEAD_SIZE)
    except InputError as exc:
        return InputFile(path, problem=Problem(source=path, line=0, message=_bare(exc, path)))
    return choose_reader(path, head, forced=forced)


def iter_inputs(paths: Iterable[str | os.PathLike], *, forced: str | None = None, choose: bool = True,
                skipped: list[tuple[str, str]] | None = None) -> Iterator[InputFile]:
    """Every input file under ``paths`` with its reader, or the problem that keeps it out.

    A file named explicitly is read whatever its suffix (sniffed when no reader
    claims it); a folder contributes the files a reader claims by suffix (all
    regular files with ``forced``), walked in name order. With ``choose``
    False no file is opened here: candidates come back without a reader, and
    :func:`read_input` chooses one from the same open it reads with. One
    path given alone (a ``str`` or ``Path``, not in a list) is that path, not
    its characters.

    A file is given once however it is reached again: named again, through a
    folder, or as a symlink or hard link of a file given before (the same
    device and inode). The later ones are passed over, each put in
    ``skipped`` when given, as (its path, the path it was given as).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.bib").write_text("@article{k, title={T}}")
    >>> (folder / "link.bib").symlink_to("a.bib")
    >>> skipped = []
    >>> [pathlib.Path(f.path).name for f in iter_inputs([folder, folder / "a.bib"], skipped=skipped)]
    ['a.bib']
    >>> [(pathlib.Path(p).name, pathlib.Path(first).name) for p, first in skipped]
    [('link.bib', 'a.bib'), ('a.bib', 'a.bib')]
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    given_before: dict = {}  # each file's identity (device, inode) -> the path it was given as
    skipped = [] if skipped is None else skipped
    for given in paths:
        path = os.fspath(given)
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            found, passed = 0, len(skipped)
            for item in _walk(path, forced, choose, given_before, skipped):
                found += item.problem is None
                yield item
            if not found and len(skipped) == passed:
                yield InputFile(path, problem=Problem(source=path, line=0, message=(
                    "no input files in this folder (no file a reader claims by its suffix: "
                    + ", ".join(_all_suffixes()) + ")")))
            continue
        try:
            st = check_regular_file(path)
        except InputError as exc:
            yield InputFile(path, problem=Problem(source=path, line=0, message=_bare(exc, path)))
            continue
        if (earlier := _given_before(st, path, given_before)) is not None:
            skipped.append((path, earlier))
            continue
        yield _choose(path, forced) if choose else _unchosen(path, forced)


def _given_before(st: os.stat_result, path: str, given_before: dict) -> str | None:
    """The path the file ``path`` (whose ``os.stat`` is ``st``) was given as before, if it was; else None,
    and it is now."""
    key = (st.st_dev, st.st_ino) if st.st_ino else os.path.normcase(os.path.realpath(path))  # no inode: Windows' DirEntry
    earlier = given_before.get(key)
    if earlier is None:
        given_before[key] = path
    return earlier


def _unchosen(path: str, forced: str | None) -> InputFile:
    if forced is not None:
        return choose_reader(path, b"", forced=forced)
    return InputFile(path)


def _all_suffixes() -> list[str]:
    return sorted({s for fmt in available_formats() for s in get_reader(fmt).SUFFIXES})


def _walk(top: str, forced: str | None, choose: bool, given_before: dict, skipped: list[tuple[str, str]]) -> Iterator[InputFile]:
    """Depth-first, names in order, without recursion (a folder 1,000 deep is fine); a file given before
    (in ``given_before``, see :func:`iter_inputs`) is put in ``skipped``."""
    stack: list[tuple[str, Iterator[os.DirEntry] | None]] = [(top, None)]
    while stack:
        folder, entries = stack[-1]
        if entries is None:
            try:
                with os.scandir(folder) as scan:
                    listed = sorted(scan, key=lambda e: e.name)
            except OSError as exc:
                stack.pop()
                yield InputFile(folder, problem=Problem(source=folder, line=0, message=f"cannot list folder: {exc.strerror}"))
                continue
            entries = iter(listed)
            stack[-1] = (folder, entries)
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError as exc:
            yield InputFile(entry.path, problem=Problem(source=entry.path, line=0, message=f"cannot read: {exc.strerror}"))
            continue
        mode = st.st_mode
        if stat.S_ISDIR(mode):
            stack.append((entry.path, None))
            continue
        if stat.S_ISLNK(mode):  # a link to a file is read; links to folders are not followed (no loops)
            try:
                st = os.stat(entry.path)
                mode = st.st_mode
            except OSError:
                try:
                    check_regular_file(entry.path)
                except InputError as exc:
                    yield InputFile(entry.path, problem=Problem(source=entry.path, line=0, message=_bare(exc, entry.path)))
                continue
            if stat.S_ISDIR(mode):
                yield InputFile(entry.path, problem=Problem(source=entry.path, line=0,
                                                            message="symlink to a folder; not followed"))
                continue
        if not stat.S_ISREG(mode):
            yield InputFile(entry.path, problem=Problem(source=entry.path, line=0,
                                                        message=f"{describe_mode(mode)}, not a regular file; skipped"))
            continue
        if entry.name.lower().endswith(".dtd"):
            continue  # a document type (DBLP's dblp.dtd beside dblp.xml): the XML reader loads it, it is no data
        if entry.name == "manifest" and _in_openalex_snapshot(folder):
            continue  # the snapshot's list of its own parts (urls and record counts), not works
        if forced is None and not _claimed_by(entry.name) and not _bare_gz(entry.name):
            suffix = _suffix_of(entry.name)
            what = f"{suffix} files" if suffix else "files without a suffix"
            yield InputFile(entry.path, problem=Problem(
                source=entry.path, line=0, message=f"no reader for {what}; skipped (use --from FORMAT to force one)"))
            continue
        if (earlier := _given_before(st, entry.path, given_before)) is not None:
            skipped.append((entry.path, earlier))
            continue
        yield _choose(entry.path, forced) if choose else _unchosen(entry.path, forced)


def _bare_gz(name: str) -> bool:
    """A gzip file whose name says nothing else (``part_000.gz``, as the OpenAlex snapshot names its parts):
    its content is sniffed."""
    return name.lower().endswith(".gz") and "." not in strip_gz(name).lstrip(".")


def _in_openalex_snapshot(folder: str) -> bool:
    """Whether ``folder`` holds the ``updated_date=YYYY-MM-DD`` parts of an OpenAlex snapshot entity."""
    try:
        with os.scandir(folder) as scan:
            return any(e.name.startswith("updated_date=") and e.is_dir() for e in scan)
    except OSError:
        return False


def read_input(item: InputFile, *, as_of=None, shared: dict | None = None,
               plain: bool = False) -> Iterator[Profile | PaperRecord | Problem]:
    """Read one chosen input: its records, profiles and problems (the skip problem if it was skipped).

    ``shared`` (a dict kept for one build) asks for what a build holds: a reader
    that offers ``parse_compact`` then yields compact records
    (:class:`~graphkit.resolve.records.CompactRecord`, equal author tuples stored
    once through ``shared``) instead of :class:`PaperRecord`; other readers yield
    their records as usual. ``plain`` (with ``shared``) asks a reader that
    offers it for compact records whose authors are plain tuples (the bulk
    DBLP build's transport between processes).

    Never raises on bad input: an error the reader did not turn into a
    problem itself (a truncated gzip stream, a disk error, a reader bug)
    ends the file with a problem naming it.
    """
    if item.problem is not None:
        yield item.problem
        return
    path = item.path
    try:
        opened = open_input(path)
    except InputError as exc:  # nothing of it read: said as a file that cannot be chosen is (_choose)
        yield Problem(source=path, line=exc.line or 0, message=_bare(exc, path))
        return
    try:
        with opened as stream:
            if item.format is None:  # not chosen yet: choose from this open's first bytes
                head = stream.peek(HEAD_SIZE)[:HEAD_SIZE]
                chosen = choose_reader(path, head)
                item.format, item.how, item.problem = chosen.format, chosen.how, chosen.problem
                if item.problem is not None:
                    yield item.problem
                    return
            module = get_reader(item.format)
            if shared is not None and hasattr(module, "parse_compact"):  # takes as_of whether it uses it or not
                yield from module.parse_compact(stream, path, as_of=as_of, shared=shared, **({"plain": True} if plain else {}))
            elif item.format == "profile":
                yield from module.parse(stream, path, as_of=as_of)
            else:
                yield from module.parse(stream, path)
            if (exc := cut_off(stream)) is not None:  # read whole, the records before the cut kept: now the cut
                yield Problem(source=path, line=exc.line or 0, message=_bare(exc, path) + "; the rest of the file was not read")
    except InputError as exc:
        yield Problem(source=path, line=exc.line or 0, message=_bare(exc, path) + "; the rest of the file was not read")
    except (OSError, EOFError, ValueError, UnicodeError, RecursionError, MemoryError) as exc:
        yield Problem(source=path, line=0, message=f"{item.format} reader stopped: {type(exc).__name__}: {exc}; the rest of the file was not read")
    except Exception as exc:  # noqa: BLE001 - a reader bug must not lose the other files
        yield Problem(source=path, line=0, message=(f"{item.format} reader failed ({type(exc).__name__}: {exc}); "
                                                    "the rest of the file was not read; please report this"))
