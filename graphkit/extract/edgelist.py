"""Read co-authorship edge lists (SNAP's format: whitespace-separated pairs, ``#`` comments).

:func:`parse_edgelist` reads lines (bytes or text); :func:`read_edgelist` opens
a file for it: plain or gzip (SNAP ships ``.txt.gz``), each line decoded as
UTF-8 on its own, so a bad byte is a problem on its own line and the rest is
read.

Only the first two columns, the node ids, are read unless a weight column is
asked for (``weight_column``, the CLI's ``--weight-column``): SNAP's edge lists
are two columns, and a third is as often a timestamp (the temporal networks'
``SRC DST UNIXTS``) or a sign as a weight. Columns left unread are said once,
in ``G.graph["notes"]``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from graphkit.exceptions import InputError
from graphkit.models import Problem

__all__ = ["parse_edgelist", "read_edgelist"]

_BOM = b"\xef\xbb\xbf"
# A weight in plain decimal notation: not Python's "1_000" nor digits of other scripts (float() takes both)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_ID_NUMBER = re.compile(r"[0-9]+")  # SNAP's node ids


def _weight(text: str) -> float | None:
    """The weight a third field gives: a finite number >= 0, else None.

    >>> [_weight(t) for t in ("1.5", "0", "-0", "2e3", "nan", "inf", "-1", "1e400", "1_000")]
    [1.5, 0.0, 0.0, 2000.0, None, None, None, None, None]
    """
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value + 0.0 if math.isfinite(value) and value >= 0 else None  # + 0.0: -0 is 0


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


_ORDINAL = {3: "third", 4: "fourth", 5: "fifth"}


def _ordinal(n: int) -> str:
    return _ORDINAL.get(n, f"{n}th")


def _columns_note(source: str, columns: int, line: int, weight_column: int | None) -> str:
    """What was not read of a file whose widest line (the first at ``line``) has ``columns`` columns."""
    if weight_column is None:
        return (f"{source}: {columns} columns (line {line}): only the first two, the node ids, are read; "
                f"--weight-column 3 reads the third as edge weights")
    return (f"{source}: --weight-column {weight_column}: no line has a {_ordinal(weight_column)} column "
            f"(at most {columns}, line {line}); every edge weighs 1")


def parse_edgelist(lines: Iterable[bytes | str], source: str = "<edge list>", *,
                   weight_column: int | None = None) -> tuple[nx.Graph, list[Problem]]:
    """An undirected graph from the lines of an edge list, and the lines that could not be read.

    Each line holds two node ids; ``#`` and ``%`` start comments. Further
    columns are not read unless ``weight_column`` (counted from 1, so 3 or
    more) names the one holding the edge weights: a finite number >= 0, 1 on
    a line too short to have it. Columns left unread (or a weight column no
    line has) are said once in ``G.graph["notes"]``, never silently taken as
    weights: a third column is often a timestamp. A pair
    listed in both directions is one edge; a self-loop is kept (SNAP counts it
    as an edge). A line that is not UTF-8 is a problem naming its line; the
    lines around it are read.

    >>> G, problems = parse_edgelist([b"# comment\\n", b"1 2\\n", b"2 1\\n", b"3\\t3\\n", b"bad\\n", b"4 J\\xfcrgen\\n"], "e.txt")
    >>> G.number_of_edges(), [str(p) for p in problems]
    (2, ['e.txt:5: expected two node ids, found 1 field', 'e.txt:6: not UTF-8 text (byte 0xfc at byte 4 of the line: invalid start byte)'])

    A line whose weight is not a finite number >= 0 (``nan``, ``inf``,
    ``-1``, ``1e400``, ``1_000``) is a problem and is skipped. An edge listed
    again with another weight keeps its first weight; the later line is a
    problem (a line given as a problem is never used). A first line of two
    words in a file whose other node ids are all numbers (SNAP's
    ``FromNodeId ToNodeId`` without its ``#``) is a header, not two authors.

    >>> G, problems = parse_edgelist(["FromNodeId ToNodeId\\n", "1 2 0.5\\n", "2 3 nan\\n", "2 1 4\\n", "1 2 0.5\\n"], "w.txt",
    ...                              weight_column=3)
    >>> list(G.edges(data="weight"))
    [('1', '2', 0.5)]
    >>> for problem in problems:
    ...     print(problem)
    w.txt:1: 'FromNodeId ToNodeId' is probably a header line (every other node id is a number); skipped
    w.txt:3: weight 'nan' is not a finite non-negative number
    w.txt:4: edge 2-1 is listed again with weight 4; the first weight, 0.5, is kept

    Without ``weight_column`` the same file has no weights, and says why:

    >>> G, problems = parse_edgelist(["1 2 1262304000\\n", "2 3 1262304060\\n"], "t.txt")
    >>> list(G.edges(data="weight")), problems, G.graph["notes"]
    ([('1', '2', None), ('2', '3', None)], [], ['t.txt: 3 columns (line 1): only the first two, the node ids, are read; --weight-column 3 reads the third as edge weights'])

    A run of unreadable lines is one problem, and lines without a single
    edge are an error, not an empty graph: ``FILE: no edges`` for an empty
    file (or one of comments only), and for lines none of which could be read
    (another format given by mistake) the first of their problems.

    >>> parse_edgelist(["# nothing here\\n"], "c.txt")
    Traceback (most recent call last):
    ...
    graphkit.exceptions.InputError: c.txt: no edges
    """
    G = nx.Graph()
    problems: list[Problem] = []
    bad: list[tuple[int, str]] = []  # the current run of unreadable lines of one kind
    kind = [""]
    header: tuple | None = None  # (line, id, id) of the first edge line when neither id is a number, else ()
    widest = (0, 0)  # (columns, line) of the first line with the most columns, a trailing comment left out
    at = weight_column - 1 if weight_column is not None else None  # index of the weight field

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
        flush()  # each problem below is its own
        a, b = fields[0], fields[1]
        if header is None:
            header = (lineno, a, b) if not (_ID_NUMBER.fullmatch(a) or _ID_NUMBER.fullmatch(b)) else ()
        weight = None
        if len(fields) > widest[0]:  # a few times per file
            columns = next((i for i in range(2, len(fields)) if fields[i].startswith("#")), len(fields))
            if columns > widest[0]:
                widest = (columns, lineno)
        if at is None and len(fields) > 2 and not fields[2].startswith("#") and not _is_number(fields[2]):
            # numbers (weights, timestamps, signs) are left unread; words are no edge list's (a BibTeX file given
            # by mistake: ``title = {...}``)
            problems.append(Problem(source=source, line=lineno, message=f"third field {fields[2]!r} is not a number"))
            continue
        if at is not None and len(fields) > at and not any(f.startswith("#") for f in fields[2:at + 1]):
            weight = _weight(fields[at])
            if weight is None:
                message = (f"weight {fields[at]!r} is not a finite non-negative number" if _is_number(fields[at])
                           else f"{_ordinal(weight_column)} field {fields[at]!r} is not a number")
                problems.append(Problem(source=source, line=lineno, message=message))
                continue
        if G.has_edge(a, b):  # listed before: the first listing stands
            before = G[a][b].get("weight")
            if (1.0 if weight is None else weight) != (1.0 if before is None else before):
                given = "without a weight" if weight is None else f"with weight {fields[at]}"
                kept = "the first listing, without a weight (1)," if before is None else f"the first weight, {before:.15g},"
                problems.append(Problem(source=source, line=lineno, message=f"edge {a}-{b} is listed again {given}; {kept} is kept"))
            continue
        if weight is None:
            G.add_edge(a, b)
        else:
            G.add_edge(a, b, weight=weight)
    flush()
    if header and _is_header(G, *header[1:]):
        lineno, a, b = header
        G.remove_nodes_from([a, b])
        problems = [p for p in problems if p.line != lineno]  # a "weight" that was a column name
        problems.append(Problem(source=source, line=lineno, message=f"{a + ' ' + b!r} is probably a header line "
                                "(every other node id is a number); skipped"))
        problems.sort(key=lambda p: p.line)
    columns, line = widest
    if columns > 2 if weight_column is None else columns < weight_column:
        G.graph["notes"] = [_columns_note(source, columns, line, weight_column)]
    if G.number_of_edges() == 0:
        if problems:
            raise InputError(f"no edge could be read ({problems[0]}); is this a whitespace-separated edge list?", source=source)
        raise InputError("no edges", source=source)
    return G, problems


def _is_header(G: nx.Graph, a: str, b: str) -> bool:
    """Whether the first line's ids ``a`` and ``b`` (neither a number) look like column names: they occur on
    no other line, and every other node id is a number."""
    others = [n for n in G if n != a and n != b]
    return (a != b and bool(others) and set(G._adj.get(a, ())) <= {b} and set(G._adj.get(b, ())) <= {a}
            and all(_ID_NUMBER.fullmatch(n) for n in others))


def read_edgelist(path: str | Path, *, weight_column: int | None = None) -> tuple[nx.Graph, list[Problem]]:
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
            return parse_edgelist(handle, source, weight_column=weight_column)
    except OSError as exc:  # a disk error while reading (open_input's own refusals are InputErrors naming the file)
        raise InputError(f"cannot read edge list: {exc.strerror or exc}", source=source) from None
