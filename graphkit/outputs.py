"""What `graphkit build` leaves in its output folder.

- the graph in the store (``DIR/graph.lbdb``, or the Neo4j server),
- ``DIR/report.json``: counts, problems, merges, ambiguous pairs, flags,
- ``DIR/centrality.csv``: centrality of every author in the co-author graph,
- ``DIR/collaboration-map.html``: the interactive map, self-contained.

Rules for the folder, so that graphkit never deletes or overwrites what it
did not create:

- graphkit writes only into a folder it created (marked by ``DIR/.graphkit-out``)
  or an empty one, or one that holds nothing but outputs graphkit can show it
  wrote (a folder from before the marker: a report with its ``"graphkit"`` key,
  not merely a file named ``report.json``); anything else is refused with one line;
- one build at a time per folder (``DIR/.graphkit-lock``, an ``fcntl`` lock that
  dies with its process): a second build refuses, or waits with ``wait=True``;
- every output of a build is first written into ``DIR/.staging-PID/`` and only
  when all are complete moved over the old ones, one rename each, so graph,
  report, centrality and map always describe the same graph; a build that fails
  leaves the previous outputs as they were;
- what dead builds left (``.staging-PID``, ``graph.lbdb.building-PID`` whose
  process is gone, ``*.tmp``) is removed by the next build.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import io
import json
import math
import os
import re
import shutil
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from graphkit.exceptions import OutputError, StoreError

if TYPE_CHECKING:
    from graphkit.pipeline import BuildResult

# The pipeline, the analysis and the store are imported where used: `graphkit build` imports this
# module before it forks its child (graphkit.worker), and what is imported then both processes share.

__all__ = [
    "LOCK_NAME", "MARKER_NAME", "OUTPUT_NAMES", "build_lock", "claim_output_folder", "distinct_inputs", "inputs_outside_outputs",
    "json_safe", "remove_dead_leftovers", "write_build_outputs", "write_json_atomic",
]

MARKER_NAME = ".graphkit-out"
LOCK_NAME = ".graphkit-lock"
#: Every name graphkit itself writes in an output folder.
OUTPUT_NAMES = frozenset({
    MARKER_NAME, LOCK_NAME, "graph.lbdb", "graph.lbdb.wal", "graph.lbdb.shadow",
    "report.json", "centrality.csv", "collaboration-map.html",
})
_OUTPUT_FILES = ("report.json", "centrality.csv", "collaboration-map.html")
_STAGING = re.compile(r"^\.staging-(\d+)$")


@functools.cache
def _db_leftover() -> re.Pattern:
    from graphkit.store.embedded import LEFTOVER_SUFFIX

    return re.compile(r"^graph\.lbdb" + LEFTOVER_SUFFIX)

_TMP = re.compile(r"^(?:report\.json|centrality\.csv|collaboration-map\.html)(?:\.\d+)?\.tmp$")


def json_safe(data):
    """``data`` with every NaN or infinite float (Python or NumPy) replaced by None, for strict JSON.

    ``json.dumps`` writes ``NaN`` and ``Infinity``, which JSON parsers (``jq``,
    ``JSON.parse``) reject; an undefined value is ``null`` instead.

    >>> json_safe({"x": float("nan"), "y": [1.5, float("-inf")], "z": ("a", None)})
    {'x': None, 'y': [1.5, None], 'z': ['a', None]}
    """
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {k: json_safe(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [json_safe(v) for v in data]
    if type(data).__module__ == "numpy" and hasattr(data, "item"):  # NumPy scalars
        return json_safe(data.item())
    return data


def _is_graphkit_name(name: str) -> bool:
    return name in OUTPUT_NAMES or bool(_STAGING.match(name) or _db_leftover().match(name) or _TMP.match(name))


def _open_up(folder: str, outputs: set[str], drop: set[str], kept: list[str], skipped: list[str], *,
             output: bool = False) -> None:
    """``folder``'s entries in name order (as the walk reads them): those in ``drop`` and the output
    folders in ``outputs`` skipped, the folders on the way to either opened up in turn, every other
    folder kept whole. Of an output folder (``output``) only the folders are kept: its files are graphkit's."""
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.path in drop:
            skipped.append(entry.path)
            continue
        is_dir = entry.is_dir(follow_symlinks=False)
        if output and (not is_dir or _is_graphkit_name(entry.name)):
            continue
        if is_dir and entry.path in outputs:
            skipped.append(entry.path)
            _open_up(entry.path, outputs, drop, kept, skipped, output=True)
        elif is_dir and any(f.startswith(entry.path + os.sep) for f in (*outputs, *drop)):
            _open_up(entry.path, outputs, drop, kept, skipped)
        elif not (entry.is_symlink() and entry.is_dir()):  # the walk does not follow links to folders
            kept.append(entry.path)


def _is_output_folder(folder: str, out_real: str) -> bool:
    return os.path.realpath(folder) == out_real or os.path.isfile(os.path.join(folder, MARKER_NAME))


def inputs_outside_outputs(paths, out_dir) -> tuple[list[str], list[str]]:
    """``paths`` with graphkit's own output folders left out, and the folders left out.

    An output folder is ``out_dir`` or any folder carrying the
    ``.graphkit-out`` marker; what it holds of its own (the files graphkit
    wrote) is never input, so ``graphkit build .`` run twice never reads its
    own ``graphkit-out``. A folder holding one is replaced by its entries (the
    folders among them walked as before, the files named); a named file in an
    output folder is dropped. Folders below an output folder are not output
    folders (graphkit makes none): they are read as any other. Paths without
    an output folder come back unchanged. Entries starting with ``.`` and
    links to folders are left out, as the folder walk leaves them.

    >>> import tempfile
    >>> top = Path(tempfile.mkdtemp())
    >>> (top / "refs.bib").write_text("")
    0
    >>> (top / "graphkit-out" / "pages").mkdir(parents=True)
    >>> (top / "graphkit-out" / "report.json").write_text("{}")
    2
    >>> kept, skipped = inputs_outside_outputs([top], top / "graphkit-out")
    >>> [os.path.relpath(p, top) for p in kept], [os.path.relpath(p, top) for p in skipped]
    (['graphkit-out/pages', 'refs.bib'], ['graphkit-out'])
    >>> shutil.rmtree(top)
    """
    out_real = os.path.realpath(out_dir)
    kept: list[str] = []
    skipped: list[str] = []
    for given in paths:
        path = os.fspath(given)
        if not os.path.isdir(path):
            parents = {os.path.dirname(os.path.abspath(path)), os.path.dirname(os.path.realpath(path))}
            (skipped if any(_is_output_folder(p, out_real) for p in parents) else kept).append(path)
            continue
        outputs: set[str] = set()
        for folder, dirs, _files in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]  # the walk skips hidden entries
            outputs.update(sub for sub in (os.path.join(folder, d) for d in dirs)
                           if not os.path.islink(sub) and _is_output_folder(sub, out_real))
        if _is_output_folder(path, out_real):
            skipped.append(path)
            _open_up(path, outputs, set(), kept, skipped, output=True)
        elif outputs:
            _open_up(path, outputs, set(), kept, skipped)
        else:
            kept.append(path)
    return kept, skipped


def distinct_inputs(paths, *, forced: str | None = None) -> tuple[list[str], list[str]]:
    """``paths`` with every file read once, and what was left out as read before.

    A path is the same file or folder as an earlier one when their real paths
    (``os.path.realpath``: links, ``..``) are equal; a file is also read again
    when an earlier path, or its own folder's walk, reaches it, by its name or
    as a symlink or hard link of it (the same device and inode). The first
    naming is kept: a path named again is dropped, and so is a path whose every
    file was read before; the walk passes over the other files read before
    (:func:`~graphkit.readers.registry.iter_inputs`). Each one left out is
    named, as ``link.bib (the same file as a.bib)`` where the names differ.

    >>> import tempfile
    >>> top = Path(tempfile.mkdtemp())
    >>> for name in ("a.bib", "b.bib"):
    ...     _ = (top / name).write_text("")
    >>> kept, again = distinct_inputs([top / "a.bib", top, f"{top}/../{top.name}"])
    >>> [os.path.relpath(p, top) for p in kept], len(again)
    (['a.bib', '.'], 2)
    >>> os.link(top / "a.bib", top / "hard.bib")
    >>> kept, again = distinct_inputs([top])
    >>> [os.path.relpath(p, top) for p in kept], [a.replace(str(top), "top") for a in again]
    (['.'], ['top/hard.bib (the same file as top/a.bib)'])
    >>> shutil.rmtree(top)
    """
    named: list[tuple[str, str]] = []
    again: list[str] = []
    seen: set[str] = set()
    for given in paths:
        path = os.fspath(given)
        real = os.path.realpath(path)
        if real in seen:
            again.append(path)
        else:
            seen.add(real)
            named.append((path, real))
    if not _may_meet_twice([path for path, _ in named]):
        return [path for path, _ in named], again  # no link, no inode listed twice: no walk needed
    from graphkit.readers.registry import iter_inputs

    def same_as(path: str, earlier: str) -> str:
        return path if os.path.normpath(path) == os.path.normpath(earlier) else f"{path} (the same file as {earlier})"

    kept: list[str] = []
    first: dict = {}  # each file's identity -> the path it was first read as
    for path, _ in named:
        inside: list[tuple[str, str]] = []  # files its own walk reaches twice
        files: dict[str, tuple] = {}
        for item in iter_inputs([path], forced=forced, choose=False, skipped=inside):
            if item.problem is None:
                try:
                    st = os.stat(item.path)
                except OSError:
                    continue
                files[item.path] = (st.st_dev, st.st_ino) if st.st_ino else os.path.normcase(os.path.realpath(item.path))
        before = [(walked, first[key]) for walked, key in files.items() if key in first]
        if files and len(before) == len(files):
            again.append(same_as(path, first[files[path]]) if path in files else path)
            continue
        kept.append(path)
        for walked, key in files.items():
            first.setdefault(key, walked)
        again.extend(same_as(walked, earlier) for walked, earlier in sorted(before + inside))
    return kept, again


def _may_meet_twice(paths: list[str]) -> bool:
    """Whether walking ``paths`` (no two with one real path) may reach a file twice: a symlink in a folder,
    or one inode under two names. From the folders' listings, without a ``stat`` per file (a folder of
    300,000 pages is listed in well under a second)."""
    seen: set[tuple[int, int]] = set()
    folders: list[str] = []
    for path in paths:
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            continue
        if stat.S_ISDIR(st.st_mode):
            folders.append(path)
        elif (key := (st.st_dev, st.st_ino)) in seen:
            return True
        else:
            seen.add(key)
    while folders:
        folder = folders.pop()
        try:
            device = os.stat(folder).st_dev
            with os.scandir(folder) as scan:
                for entry in scan:
                    if entry.name.startswith("."):
                        continue
                    if entry.is_symlink():
                        return True
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    elif (key := (device, entry.inode())) in seen:
                        return True
                    else:
                        seen.add(key)
        except OSError:
            continue
    return False


_LOCK_TEXT = re.compile(rb"\d{0,10}\n?")
_CSV_HEADER = re.compile(r"id,name((?:,[a-z_]+)*)\r?\n")


def _graphkit_report(path: Path) -> bool:
    """Whether ``path`` is a report graphkit wrote: a JSON object with a ``"graphkit"`` (version) key and the
    sections every build report has (a file of one's own that merely says "graphkit" is not one)."""
    import orjson

    try:
        report = orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(report, dict) and {"graphkit", "as_of", "counts", "problems"} <= report.keys()


def _graphkit_centrality(path: Path) -> bool:
    """Whether ``path`` is a centrality table graphkit wrote: ``id,name`` and graphkit's measures as header, the
    ones every build computes among them (``id,name,degree,pagerank`` of one's own networkx is not one)."""
    from graphkit.analyze import ALL_MEASURES
    from graphkit.render.static import file_head

    head = file_head(path, 4096) or b""
    match = _CSV_HEADER.match(head.decode("utf-8", "replace"))
    if match is None:
        return False
    measures = [m.removesuffix("_estimated") for m in match.group(1).split(",")[1:]]
    return all(m in ALL_MEASURES for m in measures) and _ALWAYS_MEASURED <= set(measures)


_ALWAYS_MEASURED = frozenset(("degree", "weighted_degree", "pagerank", "core_number", "community"))


def _foreign_entries(folder: Path) -> list[str]:
    """The entries of an unmarked ``folder`` that graphkit cannot show it wrote, by name order.

    A folder from before the marker holds only graphkit's outputs; each must prove it by its
    content (a user's own ``report.json`` or ``centrality.csv`` is never replaced): the report by
    its ``"graphkit"`` key, the table by its header, the map by its generator tag, the database by
    LadybugDB's magic bytes (its log files only beside it), the lock by holding a PID. Anything
    else, a link or a folder among them, is foreign.
    """
    from graphkit.render import is_graphkit_map
    from graphkit.store.embedded import is_ladybug_file

    proofs = {
        "report.json": _graphkit_report,
        "centrality.csv": _graphkit_centrality,
        "collaboration-map.html": is_graphkit_map,
        "graph.lbdb": is_ladybug_file,
        LOCK_NAME: lambda p: p.stat().st_size <= 11 and _LOCK_TEXT.fullmatch(p.read_bytes()) is not None,
    }
    database = folder / "graph.lbdb"
    proofs["graph.lbdb.wal"] = proofs["graph.lbdb.shadow"] = lambda _: not database.is_symlink() and is_ladybug_file(database)
    foreign = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        proof = proofs.get(entry.name)
        try:
            ours = proof is not None and not entry.is_symlink() and entry.is_file() and proof(entry)
        except OSError:  # what graphkit cannot read, it cannot show it wrote
            ours = False
        if not ours:
            foreign.append(entry.name)
    return foreign


def _oserror(action: str, path: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot {action} {path}: {exc.strerror or exc}")


def check_output_folder(folder: Path) -> None:
    """Refuse with :class:`OutputError` now, touching nothing, an ``--out`` that :func:`claim_output_folder`
    would refuse at the end of a build (a folder of the user's, a file, a dangling link)."""
    if folder.is_symlink() and not folder.exists():
        raise OutputError(f"--out {folder} is a dangling symlink (to {os.readlink(folder)!r}, which does not exist); "
                          "give a folder for graphkit's outputs")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"--out {folder} is a file, not a folder; give a folder for graphkit's outputs")
    try:
        if folder.exists() and not (folder / MARKER_NAME).is_file():
            foreign = _foreign_entries(folder)
            # marked since the first look: another build is claiming the folder this moment (it creates the
            # folder, then the marker), and the lock decides between the two
            if foreign and not (folder / MARKER_NAME).is_file():
                more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
                raise OutputError(
                    f"{folder} is not a graphkit output folder (it holds {foreign[0]!r}{more}); "
                    "graphkit writes only into folders it created: choose a new or empty --out"
                )
    except OSError as exc:
        raise _oserror("write into", folder, exc) from None


def claim_output_folder(folder: Path) -> bool:
    """Make ``folder`` a graphkit output folder, or refuse with :class:`OutputError`; whether this call created it.

    A new folder is created and marked; an existing one is accepted when it is
    marked, empty, or holds only outputs graphkit can show it wrote (a folder
    from before the marker; see :func:`_foreign_entries`). Two builds may race
    to create it: one creates it, the other finds it made.
    """
    check_output_folder(folder)
    created = False
    try:
        try:
            folder.mkdir(parents=True)
            created = True
        except FileExistsError:
            if not folder.is_dir():
                raise
        if not (folder / MARKER_NAME).is_file():
            (folder / MARKER_NAME).write_text("graphkit output folder: graphkit may replace the files it wrote here\n",
                                              encoding="utf-8")
    except OSError as exc:
        raise _oserror("write into", folder, exc) from None
    return created


class FolderBusy(OutputError):
    """Another build holds the folder's build lock."""


@contextlib.contextmanager
def build_lock(folder: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold the folder's build lock; refuse (or with ``wait``, wait) while another build holds it."""
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _oserror("lock", folder, exc) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise FolderBusy(
                f"another graphkit build (pid {holder}) is writing {folder}; wait for it, use --wait, or choose another --out"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def remove_dead_leftovers(folder: Path) -> list[str]:
    """Remove what builds that died left in ``folder``; call it holding the build lock.

    Staging folders and database files carry their builder's PID and are removed
    only when that process is gone; ``*.tmp`` of graphkit's own outputs are removed
    (no other build can be writing them while the lock is held).
    """
    from graphkit._procs import pid_alive

    removed = []
    for entry in folder.iterdir():
        match = _STAGING.match(entry.name) or _db_leftover().match(entry.name)
        dead = match is not None and not pid_alive(int(match.group(1)))
        if dead or _TMP.match(entry.name):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry.name)
    return sorted(removed)


def _json_default(value):
    if type(value).__module__ == "numpy" and hasattr(value, "item"):  # NumPy scalars orjson does not take
        return json_safe(value.item())
    from graphkit.worker import SpilledJson

    if isinstance(value, SpilledJson):  # a section the build's child wrote as JSON: inserted as it is
        import orjson

        return orjson.Fragment(value.json())
    return str(value)


def write_json_atomic(data, path: Path) -> None:
    """Write JSON into a new, exclusively created file beside ``path`` and rename it into place
    (a user's ``r.json.tmp`` is never touched).

    orjson writes NaN and infinities as ``null`` (as :func:`json_safe` does) and
    is ~30x faster than the standard library on a million-paper report (100 MB:
    0.14 s against 4.6 s).

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "r.json"
    >>> write_json_atomic({"x": float("nan"), "when": __import__("datetime").date(2026, 11, 21)}, out)
    >>> json.loads(out.read_text())
    {'x': None, 'when': '2026-11-21'}
    >>> _ = out.with_name("r.json.tmp").write_text("mine")
    >>> write_json_atomic({"x": 1}, out)
    >>> json.loads(out.read_text()), out.with_name("r.json.tmp").read_text(), len(list(out.parent.iterdir()))
    ({'x': 1}, 'mine', 2)
    >>> shutil.rmtree(out.parent)
    """
    import orjson

    from graphkit.render._files import replace_file  # an exclusively created temporary file: never a user's X.tmp

    options = orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE
    data = orjson.dumps(data, option=options, default=_json_default)
    replace_file(Path(path), lambda handle: handle.write(data))


def write_build_outputs(result: BuildResult, out_dir: Path, store, *, wait: bool = False, on_stage=None,
                        release_text: bool = False, locked: bool = False) -> dict[str, str]:
    """Store the graph and write report, centrality and map into ``out_dir``, all replaced together.

    ``on_stage`` is called with "store", "centrality" and "map" as each starts (for a progress display).
    ``release_text`` (what ``graphkit build`` does): once the tables are staged for the embedded
    store, drop the text columns nothing after needs (papers' titles, abstracts, venues and the
    like, authorships' affiliation lists) from ``result.tables``, so that the database's load does
    not run on top of them (a million papers: about 1.5 GB of strings).

    See the module for the folder rules; :class:`OutputError` when they refuse or
    the system does (a read-only place, a full disk), with the old outputs kept.
    ``locked``: the caller claimed the folder and holds its build lock (``graphkit build`` takes it
    before reading, so a second build stops at once).
    """
    from graphkit.pipeline import gc_paused

    if not locked:
        claim_output_folder(out_dir)
    with contextlib.nullcontext() if locked else build_lock(out_dir, wait=wait):
        remove_dead_leftovers(out_dir)
        stage = out_dir / f".staging-{os.getpid()}"
        step = ["graph.lbdb"]  # what is being written, for the error message
        try:
            stage.mkdir()
            # staging, centrality and the map make millions of short-lived objects beside the build's
            # long-lived ones, and no cycles: with the collector on, its full passes over the build's
            # heap cost 2 s of a 100,000-entry build (see pipeline.gc_paused)
            with gc_paused():
                written = _write_staged(result, out_dir, stage, store, step, on_stage or (lambda name: None), release_text)
        except OSError as exc:  # a full disk, a read-only place: one line; the old outputs stay as they were
            raise _oserror("write", out_dir / step[0], exc) from None
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    return written


#: co-authorships from which the store's load and centrality run one after the other (see _write_staged)
HUGE_COAUTHORSHIPS = 16_000_000


def _huge(tables) -> bool:
    try:
        return len(tables.rel_table("COAUTHORED", "Author")) > HUGE_COAUTHORSHIPS
    except StopIteration:
        return False


def _centrality_and_map(result: BuildResult, on_stage, prepared=None, then=None):
    """The centrality table and the map's network, from the build's tables (no networkx graph of the
    whole co-author graph); nothing is written here (see :func:`_write_staged`). ``then`` is called once
    the map is drawn, while KADABRA's betweenness may still run (in its own process)."""
    from graphkit.analyze.defaults import centrality_in_parts

    start = time.perf_counter()
    on_stage("centrality")
    # from the tables' arrays: no networkx graph of every author. KADABRA's betweenness may still be
    # running: the map needs only PageRank and the communities, so it is drawn meanwhile.
    pending = centrality_in_parts(result.tables, prepared=prepared)
    centrality_time = time.perf_counter() - start
    start = time.perf_counter()
    on_stage("map")
    from graphkit.render import map_html, tables_network

    # the map's authors are the top of the table's PageRank; only their graph is built.
    # Average years come from the papers themselves, not estimated from the graph.
    net = tables_network(result.tables, pending.frame, title="Collaboration map")
    page = map_html(net)
    del net
    result.timings["map"] = time.perf_counter() - start
    if then is not None:
        then()
    start = time.perf_counter()
    table = pending.finish()
    result.timings["centrality"] = centrality_time + time.perf_counter() - start
    return table, page


#: Columns centrality and the map read after the store is staged; the other text columns of these tables go.
_KEEP_AFTER_STAGING = {"Paper": {"id"}, "AUTHORED": {"source", "target"}}


def _release_text(tables) -> None:
    """Drop the text columns of Paper and AUTHORED that nothing reads once the store is staged, and hand
    the freed memory back to the system (glibc keeps it otherwise; the database's load then grows on top)."""
    for table in (*tables.nodes, *tables.rels):
        keep = _KEEP_AFTER_STAGING.get(table.name)
        if keep is None:
            continue
        for name in [n for n, kind in table.types.items() if kind in ("STRING", "STRING[]") and n not in keep]:
            table.columns.pop(name, None)
            table.types.pop(name, None)
    return_freed_memory()


def return_freed_memory() -> None:
    """Hand memory freed by dropped columns back to the system: Arrow's pool (columns read back from the
    build's child) and glibc's heap (long Python strings); otherwise it is only reused by later allocations."""
    import pyarrow as pa

    from graphkit._procs import trim_heap

    pa.default_memory_pool().release_unused()
    trim_heap()


def _release_coauthorships(tables, prepared) -> None:
    """Drop the co-authorship columns, their author positions and centrality's references to them once the
    map is drawn (all of DBLP: 62M rows, ~3 GB): the store is staged already, and what is left of centrality
    (KADABRA's betweenness) holds its own arrays, freed when it ends. The table keeps its length."""
    tables.drop_coauthorships()
    if prepared is not None:
        prepared.arrays = prepared.without_loops = None


def _cancel(prepared) -> None:
    """Stop the NetworKit process a :func:`~graphkit.analyze.defaults.prepare_centrality` started (the build stops)."""
    if prepared is not None and prepared.job is not None and hasattr(prepared.job, "cancel"):
        prepared.job.cancel()


def _write_staged(result: BuildResult, out_dir: Path, stage: Path, store, step: list[str], on_stage,
                  release_text: bool = False) -> dict[str, str]:
    from graphkit._procs import debug_mark
    from graphkit.analyze.defaults import Background, prepare_centrality
    from graphkit.store.embedded import EmbeddedStore, is_ladybug_file

    local = isinstance(store, EmbeddedStore) and store.path.parent.resolve() == out_dir.resolve()
    written: dict[str, str] = {}
    target = EmbeddedStore(stage / store.path.name) if local else store

    # The database is loaded in a thread while centrality and the map are computed: LadybugDB's COPY
    # (and a Neo4j server's work) mostly leave the interpreter free, so they overlap on two cores. The
    # tables are staged as Parquet first, here: that part is Python's and would crawl beside the map.
    # Only the store writes meanwhile (centrality.csv and the map are written once it is done):
    # LadybugDB aborts the whole process when the disk fills under it at a checkpoint.
    on_stage("store")
    start = time.perf_counter()

    def named(exc: StoreError) -> OutputError:  # the database where the user will look for it, not the staging folder
        return OutputError(str(exc).replace(str(target.path), str(store.path)) if local else str(exc))

    # all of DBLP: the load runs once centrality's memory is freed (below), in larger parts; NetworKit's
    # communities (the map waits for them: 3.5 minutes there) start before the staging, in their own process
    huge = isinstance(target, EmbeddedStore) and _huge(result.tables)
    prepared = prepare_centrality(result.tables) if huge else None
    try:
        staged = target.stage(result.tables, large=huge) if isinstance(target, EmbeddedStore) else None
    except StoreError as exc:
        _cancel(prepared)
        raise named(exc) from None
    except BaseException:
        _cancel(prepared)
        raise
    if staged is not None and release_text:
        _release_text(result.tables)
    staging_time = time.perf_counter() - start
    debug_mark("staged")

    def write_store():
        begun = time.perf_counter()
        counts = staged.load(gate=centrality_done.wait if huge else None) if staged is not None \
            else target.write(result.tables)
        result.timings["store"] = staging_time + time.perf_counter() - begun
        return counts

    # all of DBLP: the database's COPY of tens of millions of co-authorships, and igraph's and NetworKit's
    # graphs of them, do not fit in memory beside each other; the load starts once the map is drawn and
    # igraph's graph is gone, beside KADABRA's betweenness in its own process (which then runs longest)
    storing = [Background(write_store) if not huge else None]
    # all of DBLP: the COPY of the co-authorships (one part, 7.5 GB at its peak) waits for KADABRA's process
    centrality_done = threading.Event()

    def load_now():
        if storing[0] is None:
            _release_coauthorships(result.tables, prepared)
            return_freed_memory()
            debug_mark("loading")
            storing[0] = Background(write_store)

    try:
        # NetworKit's communities and betweenness estimate start now, beside the load (a child process on
        # large graphs, one NetworKit thread: the same values); the load went first, as it takes longest
        if prepared is None:
            prepared = prepare_centrality(result.tables)
        debug_mark("centrality prepared")
        table, page = _centrality_and_map(result, on_stage, prepared, then=load_now)
        centrality_done.set()
        prepared = None  # noqa: F841 - its arrays freed (load_now reads it before)
        debug_mark("centrality and map")
    except BaseException:
        centrality_done.set()
        if storing[0] is not None:
            storing[0].join()  # never leave the thread writing into a staging folder that is being removed
        raise
    storing = storing[0]
    # centrality.csv is formatted in memory while the store loads (all of DBLP: 472 MB, 15 s) and written
    # once the load is done
    try:
        csv = io.BytesIO()
        table.to_csv(csv, index=False, encoding="utf-8")
    except BaseException:
        storing.join()
        raise
    if not storing.done():
        on_stage("store")  # what is left to wait for
    try:
        counts = storing.result()
    except StoreError as exc:
        raise named(exc) from None
    debug_mark("stored")
    result.timings["outputs"] = time.perf_counter() - start
    written["graph"] = str(getattr(store, "path", None) or store)
    written["report"] = str(out_dir / "report.json")  # written last, below
    step[0] = "centrality.csv"
    with open(stage / "centrality.csv", "xb") as handle:
        handle.write(csv.getbuffer())
    del csv
    written["centrality"] = str(out_dir / "centrality.csv")
    step[0] = "collaboration-map.html"
    (stage / "collaboration-map.html").write_text(page, encoding="utf-8")
    written["map"] = str(out_dir / "collaboration-map.html")
    report = result.report()  # last, so that it holds every stage's time and what centrality.csv computed
    report["stored_counts"] = counts
    report["centrality"] = table.attrs["centrality"]
    step[0] = "report.json"
    write_json_atomic(report, stage / "report.json")
    # everything is complete: move it over the old outputs, the graph last, after checking
    # that each old one is a plain file (or absent), so the swap cannot stop half-way
    step[0] = ""
    db_names = (store.path.name, store.path.name + ".wal", store.path.name + ".shadow") if local else ()
    for name in (*_OUTPUT_FILES, *db_names):
        target = out_dir / name
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise OutputError(f"{target} is not a file graphkit wrote; graphkit will not replace it")
    if local and store.path.exists() and not is_ladybug_file(store.path):
        raise OutputError(f"{store.path} is not a LadybugDB database; graphkit will not replace it")
    for name in _OUTPUT_FILES:
        os.replace(stage / name, out_dir / name)
    if local:
        for suffix in (".wal", ".shadow"):  # an old database's log must not be replayed onto the new one
            with contextlib.suppress(FileNotFoundError):
                os.unlink(out_dir / (store.path.name + suffix))
        os.replace(stage / store.path.name, store.path)
        if (stage / (store.path.name + ".wal")).exists():
            os.replace(stage / (store.path.name + ".wal"), out_dir / (store.path.name + ".wal"))
    return written

