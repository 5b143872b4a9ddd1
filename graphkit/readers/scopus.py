"""Scopus CSV exports (``scopus.csv``): one row per document, columns named in the header.

Columns are found by name, in any order (Scopus changes its column set
between export options); the file is read row by row with the :mod:`csv`
module (quoted fields with commas, quotes and line breaks), UTF-8 with or
without a byte-order mark. ``line`` is the line a row starts on.

- Authors: "Author full names" (``Lee, Kenton (57201234567)``), else
  "Authors" (``Lee K.``; older exports ``Lee, K.``) with "Author(s) ID" in the
  same order; author ids become ``scopus:<id>``.
- Per-author affiliations from "Authors with affiliations": entries split on
  ``; ``, each ``Last, F., Affiliation, City, Country``, matched to the
  authors by position when the counts agree, else by name; the country's
  ISO code where the table in :mod:`graphkit.readers._countries` knows it.
  "Affiliations" are the paper's own list.
- Paper: "Title", "Year", "Source title" (venue), "DOI", "Link", "Abstract"
  (``[No abstract available]`` is none), "Document Type" (kind), "EID"
  (``scopus:2-s2.0-...``), "PubMed ID" (``pmid:``).
- Problems: a header without a "Title" column (nothing read), a row with
  more or fewer fields than the header, a row without a title.

>>> import io
>>> text = '''\\ufeffAuthors,Author full names,Author(s) ID,Title,Year,Source title,DOI,EID
... "Joshi M.; Levy O.","Joshi, Mandar (57203023001); Levy, Omer (56350001700)","57203023001;56350001700","SpanBERT",2020,"Transactions of the ACL","10.1162/tacl_a_00300","2-s2.0-85091421580"
... '''.encode()
>>> [rec] = parse_scopus(io.BytesIO(text), "scopus.csv")
>>> [(a.name, a.ids) for a in rec.authors], rec.ids, rec.line
([('Mandar Joshi', ('scopus:57203023001',)), ('Omer Levy', ('scopus:56350001700',))], ('doi:10.1162/tacl_a_00300', 'scopus:2-s2.0-85091421580'), 2)
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from graphkit.keys import name_key
from graphkit.models import AffiliationRef, AuthorRef, PaperRecord, Problem
from graphkit.readers._countries import country_code
from graphkit.readers._files import bom_encoding, open_input
from graphkit.readers._ids import arxiv_id, doi_id, with_arxiv_dois
from graphkit.readers._names import is_etal, split_name
from graphkit.readers._text import LEGACY_ENCODING, legacy_8bit, rejoined

__all__ = ["FORMAT", "SUFFIXES", "parse", "parse_scopus", "read", "read_scopus", "sniff"]

FORMAT = "scopus"
SUFFIXES = (".csv",)

_KINDS = {
    "article": "article", "review": "article", "letter": "article", "note": "article", "editorial": "article",
    "short survey": "article", "data paper": "article", "article in press": "article",
    "conference paper": "inproceedings", "book": "book", "book chapter": "chapter", "report": "report",
}  # fmt: skip
_FULL_NAME = re.compile(r"^(.*?)\s*\((\d+)\)\s*$")
_SHORT_NAME = re.compile(r"^(\S.*?)\s+((?:[A-Z][a-z]?\.[\s-]?)+)$")  # "Lee K." / "Van Der Berg J.-P."
_NO_VALUE = ("[no abstract available]", "[no author name available]", "[no author id available]")
_PEEK = 1 << 16  # enough of the file to tell Excel's 8-bit CSV from UTF-8
csv.field_size_limit(1 << 27)  # an abstract or author list can exceed csv's 128 KiB default


def sniff(head: bytes) -> bool:
    """Whether ``head`` is a Scopus CSV export: its header names Scopus's columns.

    >>> sniff(b'\\xef\\xbb\\xbfAuthors,Author(s) ID,Title,Year,Source title,EID\\r\\n')
    True
    >>> sniff(b"name,title\\nx,y\\n")
    False
    """
    encoding, skip = bom_encoding(head)
    first = head[skip:].split(b"\n", 1)[0]
    if encoding not in (None, "utf-8"):
        first = head[skip:].decode(encoding, "ignore").split("\n", 1)[0].encode()
    return b"Title" in first and b"Authors" in first and (b"EID" in first or b"Source title" in first or b"Author(s) ID" in first)


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip() and part.strip().lower() not in _NO_VALUE]


def _short_to_bibtex(name: str) -> str:
    """``Lee K.`` (Scopus's short form: family first, initials after) as ``Lee, K.``."""
    if "," in name:
        return name
    m = _SHORT_NAME.match(name)
    return f"{m[1]}, {m[2].strip()}" if m else name


def _authors(row: dict[str, str]) -> tuple[list[AuthorRef], bool]:
    """The row's authors and whether the list is cut (an ``et al.`` in place of the rest)."""
    full = _split_list(row.get("Author full names", ""))
    truncated = any(is_etal(raw) for raw in full)
    full = [raw for raw in full if not is_etal(raw)]
    refs: list[AuthorRef] = []
    if full:
        for raw in full:
            m = _FULL_NAME.match(raw)
            name, scopus = (m[1], m[2]) if m else (raw, None)
            person = split_name(name)
            if person.name:
                ids = (f"scopus:{scopus}",) if scopus else ()
                refs.append(AuthorRef(name=person.name, given=person.given, family=person.family, position=len(refs), ids=ids))
        return refs, truncated
    authors = row.get("Authors", "")
    names = _split_list(authors) if ";" in authors else [n for n in re.split(r"(?<=\.),\s*", authors) if n.strip()]
    truncated = truncated or any(is_etal(raw) for raw in names)
    names = [raw for raw in names if not is_etal(raw)]
    ids = [i for i in (row.get("Author(s) ID") or "").replace(";", " ").split() if i.isdigit()]
    if len(ids) != len(names):
        ids = []  # no way to tell whose id is whose
    for i, raw in enumerate(names):
        if raw.strip().lower() in _NO_VALUE:
            continue
        person = split_name(_short_to_bibtex(raw.strip()))
        if person.name:
            refs.append(AuthorRef(name=person.name, given=person.given, family=person.family, position=len(refs), ids=(f"scopus:{ids[i]}",) if ids else ()))
    return refs, truncated


def _affiliation(text: str) -> AffiliationRef | None:
    text = " ".join(text.split()).strip(" ,")
    if not text:
        return None
    return AffiliationRef(name=text, country=country_code(text.rsplit(",", 1)[-1]))


def _affiliations(text: str) -> list[AffiliationRef]:
    """One author's addresses: Scopus joins them with commas, so each ends after its country."""
    out: list[AffiliationRef] = []
    current: list[str] = []
    for part in text.split(","):
        current.append(part)
        if country_code(part) is not None:
            if (ref := _affiliation(",".join(current))) is not None and ref not in out:
                out.append(ref)
            current = []
    if current and (ref := _affiliation(",".join(current))) is not None:
        out.append(ref)
    return out


_INITIALS = re.compile(r"(?:[A-Z][a-z]?\.[\s-]?)+")


def _entry_name_and_rest(entry: str, known: list[str]) -> tuple[str, str]:
    """An "Authors with affiliations" entry split into the author's name and the addresses after it.

    The name is one the row's author columns wrote (longest first); failing
    that, ``Lee K.,`` or ``Lee, K.,`` by shape.
    """
    for name in known:
        if entry.startswith(name) and entry[len(name) : len(name) + 1] in (",", ""):
            return name, entry[len(name) + 1 :].strip()
    parts = [p.strip() for p in entry.split(",")]
    if len(parts) >= 3 and _INITIALS.fullmatch(parts[1]) and not _SHORT_NAME.match(parts[0]):
        return f"{parts[0]}, {parts[1]}", ", ".join(parts[2:])
    return parts[0], ", ".join(parts[1:])


def _known_names(row: dict[str, str]) -> list[str]:
    authors = row.get("Authors", "")
    names = _split_list(authors) if ";" in authors else [n.strip() for n in re.split(r"(?<=\.),\s*", authors)]
    for raw in _split_list(row.get("Author full names", "")):
        m = _FULL_NAME.match(raw)
        names.append(m[1] if m else raw)
    return sorted({n for n in names if n}, key=len, reverse=True)


def _with_affiliations(authors: list[AuthorRef], row: dict[str, str]) -> list[AuthorRef]:
    entries = _split_list(row.get("Authors with affiliations", ""))
    if not entries or not authors:
        return authors
    known = _known_names(row)
    split = [_entry_name_and_rest(e, known) for e in entries]
    by_author: dict[int, str] = {}
    if len(split) == len(authors):
        by_author = {i: rest for i, (_, rest) in enumerate(split)}
    else:
        families: dict[str, list[int]] = {}
        for i, a in enumerate(authors):
            families.setdefault(name_key(a.family or a.name), []).append(i)
        for name, rest in split:
            family = name_key(split_name(_short_to_bibtex(name)).family or name)
            candidates = [i for i in families.get(family, []) if i not in by_author]
            if len(candidates) == 1:
                by_author[candidates[0]] = rest
    out = []
    for i, author in enumerate(authors):
        found = _affiliations(by_author.get(i, ""))
        out.append(author.model_copy(update={"affiliations": tuple(found)}) if found else author)
    return out


def _record(row: dict[str, str], source: str, line: int) -> PaperRecord | Problem:
    title = " ".join((row.get("Title") or "").split())
    if not title:
        return Problem(source=source, line=line, message="row has no Title")
    people, truncated = _authors(row)
    authors = _with_affiliations(people, row)
    ids: list[str] = []
    if doi := doi_id(row.get("DOI") or ""):
        ids.append(doi)
    if (eid := (row.get("EID") or "").strip()):
        ids.append(f"scopus:{eid}")
    if (pmid := (row.get("PubMed ID") or "").strip()).isdigit():
        ids.append(f"pmid:{pmid}")
    venue = " ".join((row.get("Source title") or "").split()) or None
    if venue and venue.lower().startswith("arxiv") and (found := arxiv_id(row.get("Art. No.") or "")):
        ids.append(found)
    year_text = (row.get("Year") or "").strip()
    abstract = " ".join((row.get("Abstract") or "").split())
    link = (row.get("Link") or "").strip()
    institutions = [a for a in (_affiliation(x) for x in _split_list(row.get("Affiliations", ""))) if a is not None]
    kind = _KINDS.get((row.get("Document Type") or "").strip().lower())
    if kind is None:
        kind = "preprint" if any(i.startswith("arxiv:") for i in ids) else "other"
    return PaperRecord(
        title=title,
        ids=with_arxiv_dois(ids),
        year=int(year_text) if year_text.isdigit() else None,
        venue=venue,
        kind=kind,
        abstract=abstract if abstract and abstract.lower() not in _NO_VALUE else None,
        urls=(link,) if link else (),
        authors=tuple(authors),
        authors_truncated=truncated,
        institutions=tuple(institutions),
        source=source,
        source_format=FORMAT,
        line=line,
    )


def parse_scopus(stream: BinaryIO, source: str) -> Iterator[PaperRecord | Problem]:
    """Parse a Scopus CSV export into paper records and problems, row by row.

    Parameters
    ----------
    stream : BinaryIO
        The file's bytes (UTF-8; Scopus writes a byte-order mark).
    source : str
        The file name to put in records and problems.

    Yields
    ------
    PaperRecord or Problem
        One record per row with a title, ``line`` the row's first line.

    Examples
    --------
    >>> import io
    >>> [str(p) for p in parse_scopus(io.BytesIO(b"Authors,Year\\nLee K.,2019\\n"), "s.csv")]
    ['s.csv:1: not a Scopus export: the header has no Title column']
    """
    head = stream.read(_PEEK)
    encoding, skip = bom_encoding(head)
    if encoding is None and legacy_8bit(head):  # re-saved by Excel: Windows-1252, not UTF-8
        encoding = LEGACY_ENCODING
        yield Problem(source=source, line=1, message=f"not UTF-8: read as Windows-1252 ({LEGACY_ENCODING}), the encoding Excel writes")
    text = io.TextIOWrapper(rejoined(head[skip:], stream), encoding=encoding or "utf-8", errors="replace", newline="")
    try:
        yield from _rows(csv.reader(text, delimiter=_delimiter(head[skip:], encoding)), source)
    finally:
        text.detach()  # the caller's stream stays open: closing it is the caller's job


def _delimiter(head: bytes, encoding: str | None) -> str:
    """The header's delimiter: a comma as Scopus writes it, else the ``;`` or tab a spreadsheet re-save uses.

    >>> _delimiter(b'Authors;Title;Year\\r\\n"Lee K.";"T, with a comma";2019', None), _delimiter(b'"Authors","Title"', None)
    (';', ',')
    """
    first = head.split(b"\n", 1)[0].decode(encoding or "utf-8", "replace")
    for delimiter in (",", ";", "\t"):
        if "Title" in (cell.strip().strip('"').lstrip("\ufeff") for cell in first.split(delimiter)):
            return delimiter
    return ","


def _rows(reader, source: str) -> Iterator[PaperRecord | Problem]:
    try:
        header = next(reader)
    except StopIteration:
        yield Problem(source=source, line=0, message="empty file")
        return
    except csv.Error as exc:
        yield Problem(source=source, line=1, message=f"cannot read the CSV header: {exc}")
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    if "Title" not in header:
        yield Problem(source=source, line=1, message="not a Scopus export: the header has no Title column")
        return
    replaced = False
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Problem(source=source, line=start, message=f"malformed CSV row: {exc}")
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not row or not any(cell.strip() for cell in row):
            continue
        if not replaced and any("\ufffd" in cell for cell in row):
            replaced = True
            yield Problem(source=source, line=line, message="bytes that are not UTF-8 replaced")
        if len(row) != len(header):
            yield Problem(source=source, line=line, message=f"row has {len(row)} fields, the header {len(header)}; read by position")
        yield _record(dict(zip(header, row)), source, line)


def read_scopus(path) -> Iterator[PaperRecord | Problem]:
    """Read a Scopus CSV export (``.gz`` too): see :func:`parse_scopus`."""
    with open_input(path) as stream:
        yield from parse_scopus(stream, str(path))


parse = parse_scopus
read = read_scopus
