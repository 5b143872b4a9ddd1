"""Query answers as plain Python values, the same from both stores.

LadybugDB hands back ``Decimal`` for its 128-bit ``sum``, ``UUID`` and
``timedelta`` objects and nodes as dicts with internal ``_ID``/``_LABEL``
keys; the Neo4j driver hands back ``Node``, ``Relationship``, ``Path`` and its
own temporal types. :func:`plain` turns either into int, float, str, bool,
list, dict, None or a ``datetime`` date, time or datetime, so ``graphkit
query --format json`` prints the same JSON (dates as ISO strings) for the same
graph whichever store holds it.

- integers stay ``int`` (a 128-bit ``sum`` of integers is still an int);
  other decimals become ``float``;
- dates, times and datetimes are Python's ``datetime.date``, ``time`` and
  ``datetime`` (the driver's types converted); JSON output writes them as
  ISO 8601 text; durations become ISO 8601 duration strings;
- nodes and relationships become their property dicts plus ``_label`` (the
  node's label or the relationship's type); paths become
  ``{"nodes": [...], "rels": [...]}``;
- UUIDs become strings; points become ``{"srid", "x", "y"[, "z"]}``.

>>> import datetime as dt, decimal
>>> plain(decimal.Decimal("74817")), plain(decimal.Decimal("2.5")), plain(dt.date(2024, 5, 1))
(74817, 2.5, datetime.date(2024, 5, 1))
>>> plain({"_ID": {"offset": 0, "table": 0}, "_LABEL": "Author", "id": "author:x", "name": "X"})
{'id': 'author:x', 'name': 'X', '_label': 'Author'}
>>> plain(dt.timedelta(days=1, seconds=90)), plain(dt.timedelta(seconds=-90))
('P1DT1M30S', '-PT1M30S')
"""

from __future__ import annotations

import datetime as _dt
import decimal
import re
import uuid
from typing import Any

__all__ = ["PLAIN_TYPES", "plain", "plain_row"]

PLAIN_TYPES = (int, float, str, bool, list, dict, type(None), _dt.date, _dt.time)  # datetime is a date
_INTERNAL = re.compile(r"^_(ID|LABEL|SRC|DST)$")


class Rows(list):
    """A query's rows (dicts keyed by column), with the query's ``columns`` in order: known also when
    there are no rows, so a CSV of zero rows keeps its header.

    >>> rows = Rows([], ["a.name", "a.orcid"])
    >>> rows, rows.columns
    ([], ['a.name', 'a.orcid'])
    """

    def __init__(self, rows=(), columns=()):
        super().__init__(rows)
        self.columns = list(columns)


def plain_row(row: dict[str, Any]) -> dict[str, Any]:
    """One result row with every value made plain."""
    return {key: plain(value) for key, value in row.items()}


def plain(value: Any) -> Any:
    """A value from either store as plain Python (see the module docstring)."""
    if value is None or isinstance(value, (bool, int, float, str, _dt.date, _dt.time)):
        return value
    if isinstance(value, decimal.Decimal):
        if value.is_finite() and value == value.to_integral_value():
            return int(value)
        return float(value)
    if isinstance(value, _dt.timedelta):
        if value < _dt.timedelta(0):  # timedelta keeps days negative, seconds positive: -90 s is -1 day + 86310 s
            return "-" + plain(-value)
        return _iso_duration(0, value.days, value.seconds, value.microseconds * 1000)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        if "_LABEL" in value:  # a LadybugDB node or relationship
            out = {k: plain(v) for k, v in value.items() if not _INTERNAL.match(k)}
            out["_label"] = value["_LABEL"]
            return out
        if "_nodes" in value and "_rels" in value:  # a LadybugDB path
            return {"nodes": [plain(n) for n in value["_nodes"]], "rels": [plain(r) for r in value["_rels"]]}
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)) and not _is_driver_type(value):
        return [plain(v) for v in value]
    return _driver_value(value)


def _is_driver_type(value: Any) -> bool:
    return type(value).__module__.startswith("neo4j")


def _driver_value(value: Any) -> Any:
    """Values of the neo4j driver (checked by shape, so the driver stays optional)."""
    kind = type(value).__name__
    if kind == "Node":
        out = {k: plain(v) for k, v in value.items()}
        out["_label"] = next(iter(sorted(value.labels)), None)
        return out
    if kind == "Relationship":
        out = {k: plain(v) for k, v in value.items()}
        out["_label"] = value.type
        return out
    if kind == "Path":
        return {"nodes": [plain(n) for n in value.nodes], "rels": [plain(r) for r in value.relationships]}
    if kind == "Duration":
        return _iso_duration(value.months, value.days, value.seconds, value.nanoseconds)
    if hasattr(value, "to_native"):  # neo4j.time Date, Time, DateTime
        return value.to_native()
    if hasattr(value, "srid"):  # neo4j.spatial points
        return {"srid": value.srid, **dict(zip(("x", "y", "z"), (float(c) for c in value)))}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    return str(value)


def _iso_duration(months: int, days: int, seconds: int, nanoseconds: int) -> str:
    """ISO 8601 duration text, e.g. ``P1Y2M3DT4.5S``."""
    years, months = divmod(months, 12)
    date = "".join(f"{n}{u}" for n, u in ((years, "Y"), (months, "M"), (days, "D")) if n)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if nanoseconds:
        frac = f"{secs + nanoseconds / 1e9:.9f}".rstrip("0").rstrip(".")
    else:
        frac = str(secs) if secs else ""
    time = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M")) if n) + (f"{frac}S" if frac else "")
    text = "P" + date + ("T" + time if time else "")
    return text if text != "P" else "PT0S"
