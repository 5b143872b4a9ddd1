"""Paper records held compactly while a build resolves them.

A pydantic :class:`~graphkit.models.PaperRecord` costs about three times the
memory of the same fields in a slots dataclass, and a build holds every record
until resolution ends (a million papers, several million authorships). The
resolver therefore works on :class:`CompactRecord`: the same fields, with
repeated strings interned, each author a plain interned ``str`` when it is just
a name at its list position (the common case), else a small :class:`Author`
tuple, and affiliations as ``(name, ids, country)`` tuples. Given a
``shared`` dict, equal author tuples are stored once: a DBLP person (``dblp:``
id, no other detail) costs one pointer per paper, not a tuple per paper
(builds reach 25 million authorships).

>>> from graphkit.models import AuthorRef, PaperRecord
>>> rec = compact(PaperRecord(title="T", authors=("Ada Lovelace", AuthorRef(name="C B", ids=("orcid:0000-0002-1825-0097",))),
...                           source="x.bib"))
>>> rec.authors[0], [a.name for a in rec.iter_authors()], rec.author_names
('Ada Lovelace', ['Ada Lovelace', 'C B'], ('Ada Lovelace', 'C B'))
"""

from __future__ import annotations

import datetime as _dt
import sys
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

from graphkit.models import AffiliationRef, AuthorRef, PaperRecord

__all__ = ["AT_INDEX", "Affiliation", "Author", "CompactRecord", "compact"]

AT_INDEX = -1  # a stored Author's position: "its index in the list" (so equal authors can share one tuple)


class Affiliation(NamedTuple):
    """An :class:`~graphkit.models.AffiliationRef` as a plain tuple."""

    name: str | None
    ids: tuple[str, ...] = ()
    country: str | None = None


class Author(NamedTuple):
    """An :class:`~graphkit.models.AuthorRef` as a plain tuple."""

    name: str
    given: str | None = None
    family: str | None = None
    position: int | None = None
    ids: tuple[str, ...] = ()
    affiliations: tuple[Affiliation, ...] = ()
    inferred: bool = False


class CompactRecord(NamedTuple):
    """A :class:`PaperRecord`'s fields without pydantic's per-instance bookkeeping.

    ``authors`` holds, per author, either the name (an author at its list
    position with nothing else known) or an :class:`Author`; read them with
    :meth:`iter_authors`. A named tuple (read-only like the record, and made
    in a fifth of a frozen dataclass's time: a build makes millions).
    """

    title: str
    title_inferred: bool
    ids: tuple[str, ...]
    year: int | None
    date: _dt.date | None
    venue: str | None
    kind: str | None
    abstract: str | None
    urls: tuple[str, ...]
    authors: tuple[str | Author, ...]
    authors_truncated: bool
    institutions: tuple[Affiliation, ...]
    owner: str | None
    category: str | None
    score: float | None
    has_code: bool
    source: str
    source_format: str | None
    line: int
    record: int | None
    volume: str | None = None  # last, with defaults: readers that build compact records positionally need not name them
    issue: str | None = None
    pages: str | None = None

    def iter_authors(self) -> Iterator[Author]:
        """Every author as an :class:`Author`, in record order (inferred ones included)."""
        for index, author in enumerate(self.authors):
            if type(author) is str:
                yield Author(author, position=index)
            elif author.position == AT_INDEX:
                yield author._replace(position=index)
            else:
                yield author

    @property
    def author_names(self) -> tuple[str, ...]:
        """The shown authors' names in order (inferred authors left out)."""
        authors = self.authors
        for a in authors:
            if type(a) is not str:
                break
        else:
            return authors  # the common case: names only
        return tuple(a if type(a) is str else a.name for a in authors if type(a) is str or not a.inferred)

    @property
    def locator(self) -> str:
        """``source:line`` (or ``source: record N``) for logs."""
        return locator(self)


def locator(record) -> str:
    """Where a record (a :class:`~graphkit.models.PaperRecord` or its compact form) was read: ``source:line``,
    or ``source: record N`` when its reader knows no line (an item of a JSON array on one line).

    >>> from graphkit.models import PaperRecord
    >>> locator(PaperRecord(title="T", source="a.bib", line=4)), locator(PaperRecord(title="T", source="w.json", record=3))
    ('a.bib:4', 'w.json: record 3')
    """
    if record.line or record.record is None:
        return f"{record.source}:{record.line}"
    return f"{record.source}: record {record.record}"


def _intern(text: str | None) -> str | None:
    return sys.intern(_nfc(text)) if text else text


def _nfc(text: str) -> str:
    """``text`` in Unicode's composed form (NFC): ``Mu\u0308ller`` as macOS tools export it is ``Müller``.

    >>> _nfc("Jo\u0308rg Mu\u0308ller") == "Jörg Müller"
    True
    """
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _affiliation(ref: AffiliationRef | Affiliation, shared: dict | None = None) -> Affiliation:
    if isinstance(ref, Affiliation):
        return ref
    affiliation = Affiliation(_intern(ref.name), tuple(sys.intern(i) for i in ref.ids), _intern(ref.country))
    return affiliation if shared is None else shared.setdefault(affiliation, affiliation)


def _author(ref: AuthorRef, index: int, shared: dict | None) -> str | Author:
    name = sys.intern(_nfc(ref.name))
    if (ref.position == index and not ref.inferred and ref.given is None and ref.family is None
            and not ref.ids and not ref.affiliations):
        return name
    author = Author(name, _intern(ref.given), _intern(ref.family), AT_INDEX if ref.position == index else ref.position,
                    tuple(sys.intern(i) for i in ref.ids), tuple(_affiliation(a, shared) for a in ref.affiliations), ref.inferred)
    if shared is None:
        return author
    return shared.setdefault(author, author)


def _shared(value: tuple, shared: dict | None) -> tuple:
    if not value:
        return ()
    return value if shared is None else shared.setdefault(value, value)


def compact(r: PaperRecord | CompactRecord, shared: dict | None = None) -> CompactRecord:
    """The compact form of a record (a compact record is returned as it is).

    ``shared`` (a dict kept for one build) stores equal author tuples once. Volume, issue and pages are interned
    too: they repeat (every proceedings' first paper starts at page 1), and a build holds millions.
    """
    if isinstance(r, CompactRecord):
        return r
    return CompactRecord(
        r.title if r.title is None else _nfc(r.title), r.title_inferred, tuple(sys.intern(i) for i in r.ids), r.year, r.date, _intern(r.venue), _intern(r.kind),
        r.abstract, r.urls, tuple(_author(a, i, shared) for i, a in enumerate(r.authors)), r.authors_truncated,
        _shared(tuple(_affiliation(a, shared) for a in r.institutions), shared), _intern(r.owner), _intern(r.category), r.score, r.has_code,
        sys.intern(r.source), _intern(r.source_format), r.line, r.record, _intern(r.volume), _intern(r.issue), _intern(r.pages),
    )
