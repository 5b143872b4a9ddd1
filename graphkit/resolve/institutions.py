"""Institution slugs to canonical names through an editable alias table.

The table ships as ``graphkit/data/institutions.csv`` (``alias,canonical``);
pass another file to :func:`load_alias_table` to extend or replace it.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

from graphkit.exceptions import InputError
from graphkit.resolve.names import alias_key

__all__ = ["AliasTable", "load_alias_table"]


class AliasTable:
    """Look up the canonical name of an institution alias.

    >>> table = load_alias_table()
    >>> table.canonical("cmu"), table.canonical("Meta AI"), table.canonical("meta_ai")
    ('Carnegie Mellon University', 'Meta AI', 'Meta AI')
    >>> table.canonical("unknown-lab") is None
    True
    """

    def __init__(self, pairs: dict[str, str]):
        self._by_key: dict[str, str] = {}
        for alias, canonical in pairs.items():
            self._by_key[alias_key(alias)] = canonical
            self._by_key.setdefault(alias_key(canonical), canonical)

    def canonical(self, alias: str) -> str | None:
        return self._by_key.get(alias_key(alias))

    def __len__(self) -> int:
        return len(self._by_key)


def load_alias_table(path: str | Path | None = None) -> AliasTable:
    """Read an ``alias,canonical`` CSV; the packaged table when ``path`` is None."""
    if path is None:
        text = resources.files("graphkit.data").joinpath("institutions.csv").read_text(encoding="utf-8")
        source = "graphkit/data/institutions.csv"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot read alias table: {exc.strerror}", source=str(path)) from None
        source = str(path)
    pairs: dict[str, str] = {}
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header != ["alias", "canonical"]:
        raise InputError("alias table must start with the header 'alias,canonical'", source=source, line=1)
    for lineno, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise InputError(f"expected two columns 'alias,canonical', got {row!r}", source=source, line=lineno)
        pairs[row[0].strip()] = row[1].strip()
    return AliasTable(pairs)
