"""The graphkit exception tree.

All errors raised on purpose by graphkit derive from :class:`GraphkitError`,
so a caller (the CLI, a notebook) can catch one type and show one line::

    GraphkitError
    ├── InputError            a file or value the user gave cannot be used
    │   └── StrictModeError   --strict and at least one problem was found
    ├── ResolutionError       entity resolution was given inconsistent data
    ├── StoreError            a database could not be opened, written or read
    │   ├── StoreNotFoundError    no database where one was expected
    │   ├── QueryError            the database rejected a query (message kept)
    │   ├── ReadOnlyQueryError    a write query was sent where only reads are allowed
    │   └── ConnectionFailed      a server could not be reached or refused the login
    ├── OutputError           an output folder or file cannot be written (not graphkit's, locked, full disk)
    ├── Interrupted           Ctrl-C stopped a command cleanly
    ├── AnalysisError         a measure cannot be computed on this graph
    └── RenderError           a map or export could not be written
"""

from __future__ import annotations

__all__ = [
    "AnalysisError",
    "ConnectionFailed",
    "GraphkitError",
    "InputError",
    "Interrupted",
    "OutputError",
    "QueryError",
    "ReadOnlyQueryError",
    "RenderError",
    "ResolutionError",
    "StoreError",
    "StoreNotFoundError",
    "StrictModeError",
]


class GraphkitError(Exception):
    """Root of every error graphkit raises on purpose."""


class InputError(GraphkitError):
    """A file or value given by the user cannot be used.

    ``source`` and ``line`` say where, when known.
    """

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        self.source = source
        self.line = line
        where = f"{source}:{line}: " if source and line else (f"{source}: " if source else "")
        super().__init__(f"{where}{message}")


class StrictModeError(InputError):
    """Raised in strict mode when any problem was found."""


class ResolutionError(GraphkitError):
    """Entity resolution was given inconsistent data."""


class StoreError(GraphkitError):
    """A graph store could not be opened, written or read."""


class StoreNotFoundError(StoreError):
    """No database exists where one was expected."""


class QueryError(StoreError):
    """The database rejected a query; the database's own message is kept."""

    def __init__(self, message: str, *, query: str | None = None):
        self.query = query
        super().__init__(message)


class ReadOnlyQueryError(QueryError):
    """A query that writes was sent on a read-only path."""


class ConnectionFailed(StoreError):
    """A database server could not be reached, or refused the credentials."""


class OutputError(GraphkitError):
    """An output folder or file cannot be written: it is not graphkit's, another build holds it,
    or the system refused (read-only place, full disk)."""


class Interrupted(GraphkitError):
    """The user pressed Ctrl-C; the command stopped and changed nothing half-way."""


class AnalysisError(GraphkitError):
    """A measure cannot be computed on the given graph."""


class RenderError(GraphkitError):
    """A map or an export could not be written."""
