"""Read co-authorship edge lists (SNAP's format: whitespace-separated pairs, ``#`` comments).

:func:`parse_edgelist` reads lines (bytes or text); :func:`read_edgelist` opens
a file for it: plain or gzip (SNAP ships ``.txt.gz``), each line decoded as
UTF-8 on its own, so a bad byte is a problem on its own line and the rest is
read.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from graphkit.exceptions import InputError
from graphkit.models import Problem

__all__ = ["parse_edgelist", "read_edgelist"]

_BOM = b"\xef\xbb\xbf"


def parse_edgelist(lines: Iterable[bytes | str], source: str = "<edge list>") -> tuple[nx.Graph, list[Problem]]:
    """An undirected graph from the lines of an edge list, and the lines that could not be read.

    Each line holds two node ids and optionally a numeric weight; ``#`` and
    ``%`` start comments. A pair listed in both directions is one edge; a
    self-loop is kept (SNAP counts it as an edge). A line that is not UTF-8
    is a problem naming its line; the lines around it are read.

    >>> G, problems = parse_edgelist([b"# comment\\n", b"1 2\\n", b"2 1\\n", b"3\\t3\\n", b"bad\\n", b"4 J\\xfcrgen\\n"], "e.txt")
    >>> G.number_of_edges(), [str(p) for p in problems]
    (2, ['e.txt:5: expected two node ids, found 1 field', 'e.txt:6: not UTF-8 text (byte 0xfc at byte 4 of the line: invalid start byte)'])

    A run of unreadable lines is one problem, and lines without a single
    edge (another format given by mistake) are an error, not an empty graph.
    """
    G = nx.Graph()
    problems: list[Problem] = []
    bad: list[tuple[int, str]] = []  # the current run of unreadable lines of one kind
    kind = [""]

    def unreadable(lineno: int, what: str, message: str) -> None:
        if bad and kind[0] != what:
            flush()  # another kind of unreadable line starts its own run
        kind[0] = what
        bad.append((lineno, message))

    def flush() -> None:
        if bad:
            first, message = bad[0]
            if len(bad) > 1:
                message += f" (and {len(bad) - 1} more unreadable line(s) up to line {bad[-1][0]})"
            problems.append(Problem(source=source, line=first, message=message))
            bad.clear()

    for lineno, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            if lineno == 1 and raw.startswith(_BOM):
                raw = raw[len(_BOM):]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                unreadable(lineno, "encoding", f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at byte {exc.start + 1} of the line: {exc.reason})")
                continue
        else:
            line = raw
        fields = line.split()
        if not fields or fields[0].startswith(("#", "%")):
            continue
        if len(fields) < 2:
            unreadable(lineno, "fields", f"expected two node ids, found {len(fields)} field")
            continue
        if len(fields) >= 3 and not fields[2].startswith("#"):
            try:
                weight = float(fields[2])
            except ValueError:
                flush()  # each unreadable weight is its own problem
                problems.append(Problem(source=source, line=lineno, message=f"third field {fields[2]!r} is not a number"))
                continue
            flush()
            G.add_edge(fields[0], fields[1], weight=weight)
        else:
            flush()
            G.add_edge(fields[0], fields[1])
    flush()
    if G.number_of_edges() == 0 and problems:
        raise InputError(f"no edge could be read ({problems[0]}); is this a whitespace-separated edge list?", source=source)
    return G, problems


def read_edgelist(path: str | Path) -> tuple[nx.Graph, list[Problem]]:
    """An undirected graph from an edge list file (plain or gzip), and the lines that could not be read.

    See :func:`parse_edgelist`. A file that cannot be opened or a corrupt gzip
    stream is an :class:`~graphkit.exceptions.InputError` naming the file.

    >>> import gzip, os, tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".txt.gz", delete=False) as f:
    ...     _ = f.write(gzip.compress(b"# FromNodeId\\tToNodeId\\n1\\t2\\n2\\t3\\nbad\\n"))
    >>> G, problems = read_edgelist(f.name)
    >>> G.number_of_edges(), [(p.line, p.message) for p in problems]
    (2, [(4, 'expected two node ids, found 1 field')])
    >>> os.unlink(f.name)
    """
    from graphkit.readers._files import open_input  # regular files only; gzip by its magic bytes

    source = str(path)
    try:
        with open_input(path) as handle:
            return parse_edgelist(handle, source)
    except OSError as exc:  # a disk error while reading (open_input's own refusals are InputErrors naming the file)
        raise InputError(f"cannot read edge list: {exc.strerror or exc}", source=source) from None
