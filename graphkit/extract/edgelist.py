"""Read co-authorship edge lists (SNAP's format: whitespace-separated pairs, ``#`` comments)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from graphkit.exceptions import InputError
from graphkit.models import Problem

__all__ = ["read_edgelist"]


def read_edgelist(path: str | Path) -> tuple[nx.Graph, list[Problem]]:
    """An undirected graph from an edge list, and the lines that could not be read.

    Each line holds two node ids and optionally a numeric weight; ``#`` and
    ``%`` start comments. A pair listed in both directions is one edge; a
    self-loop is kept (SNAP counts it as an edge).

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
    ...     _ = f.write("# comment\\n1 2\\n2 1\\n3\\t3\\nbad\\n")
    >>> G, problems = read_edgelist(f.name)
    >>> G.number_of_edges(), [(p.line, p.message) for p in problems]
    (2, [(5, 'expected two node ids, found 1 field')])
    >>> os.unlink(f.name)

    A run of unreadable lines is one problem, and a file without a single
    edge (another format given by mistake) is an error, not an empty graph.
    """
    source = str(path)
    G = nx.Graph()
    problems: list[Problem] = []
    try:
        handle = open(path, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read edge list: {exc.strerror}", source=source) from None
    bad: list[tuple[int, str]] = []  # the current run of lines without two node ids

    def flush() -> None:
        if bad:
            first, message = bad[0]
            if len(bad) > 1:
                message += f" (and {len(bad) - 1} more unreadable line(s) up to line {bad[-1][0]})"
            problems.append(Problem(source=source, line=first, message=message))
            bad.clear()

    with handle:
        try:
            for lineno, line in enumerate(handle, start=1):
                fields = line.split()
                if not fields or fields[0].startswith(("#", "%")):
                    continue
                if len(fields) < 2:
                    bad.append((lineno, f"expected two node ids, found {len(fields)} field"))
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
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text near line {lineno + 1} ({exc.reason})", source=source) from None
    flush()
    if G.number_of_edges() == 0 and problems:
        raise InputError(f"no edge could be read ({problems[0]}); is this a whitespace-separated edge list?", source=source)
    return G, problems
