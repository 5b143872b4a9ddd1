"""Scopus CSV exports (``scopus.csv``): one row per document, columns named in the header.

Columns are found by name, in any order (Scopus changes its column set
between export options); the file is read row by row with the :mod:`csv`
module (quoted fields with commas, quotes and line breaks), UTF-8 with or
without a byte-order mark; a file with no UTF-8 character (re-saved by Excel,
or by a tool in a legacy code page) is read whole in the encoding its first
64 KiB fit (Windows-1252, Windows-1250, GB18030, Big5, ...: as
:func:`graphkit.readers._text.legacy_encoding` decides for every reader)
and reported at line 1. ``line`` is the line a row starts on.

- Authors: "Author full names" (``Lee, Kenton (57201234567)``), else
  "Authors" (``Lee K.; Levy O.``; older exports ``Lee K., Levy O.`` or
  ``Lee, K., Levy, O.``) with "Author(s) ID" in the same order; author ids
  become ``scopus:<id>``. When names and ids still differ in number, the ids
  are not used and the row is reported.
- Columns that disagree are reported, and no author is dropped for it:
  "Author(s) ID" not listing the ids of "Author full names" in their order
  (each author keeps the id written with the name); "Authors" naming more
  or fewer people than "Author full names" (the longer list is kept, an
  "Authors" name taking the full name and id it agrees with by family name
  and initial, in order, and no id where none is its own).
- Per-author affiliations from "Authors with affiliations": entries split on
  ``; ``, each ``Last, F., Affiliation, City, Country``, matched to the
  authors by position when the counts agree, else by name. Each entry's
  addresses are the row's own "Affiliations" entries it is made of; when it
  is not made of them, an address is taken to end at a country. The
  country's ISO code where the table in :mod:`graphkit.readers._countries`
  knows it. "Affiliations" are the paper's own list.
- A header row again (exports joined with ``cat``) starts over with it; one
  naming other columns (an older layout) is noted as a problem.
- Paper: "Title", "Year", "Source title" (venue), "DOI", "Link", "Abstract"
  (``[No abstract available]`` is none), "Document Type" (kind), "EID"
  (``scopus:2-s2.0-...``), "PubMed ID" (``pmid:``); "Volume", "Issue", and
  "Page start"-"Page end" as pages, else "Art. No." (the article number).
  Titles, venues and addresses lose inline formatting tags (``<sup>``) and
  have character references (``&amp;``) decoded.
- Problems: a header without a "Title" column (nothing read), a row with
  fewer fields than the header, a row without a title; a DOI, EID or
  PubMed ID cell that holds no such id (no id is made of it: a column read
  from the wrong field would otherwise join unrelated rows).
- A row with more fields than the header is lined up with it (see
  :func:`_lined_up`): its extra fields are funding texts where the header
  has funding columns (Scopus writes one ``Funding Text n`` column per
  text, and a header written for fewer lacks the others), else placed by
  the columns whose values have a shape (year, DOI, EID, link, ids). One
  problem per file says how, with the rows' count and lines; a row no
  reading fits is read by position and reported on its line.
- A quote left open (``"Fifth paper,2022,...`` with no closing quote) makes
  :mod:`csv` read on into the next lines as one field. A quoted field over a
  line end whose quote never closes, or closes with text right after it (the
  quote that closed it opened another field), or that is in a column Scopus
  writes on one line (Authors, Title, Year, DOI, EID...) of a row with the
  wrong number of fields, is taken for one when the lines after its quote's
  line hold a row (the header's number of fields, with a year, an EID or a
  DOI where those columns are). It is reported naming the line the quote
  opened on and the line it ran to; the quote's line is read again without
  that quote (a record when that gives the header's number of fields, else
  not read, and said so), and the lines after it as rows of their own.
  Otherwise a one-line column over several lines is read as one field and
  reported; an Abstract over several lines is read as one field, as Scopus
  writes it.

>>> import io
>>> text = '''\\ufeffAuthors,Author full names,Author(s) ID,Title,Year,Source title,DOI,EID
... "Joshi M.; Levy O.","Joshi, Mandar (57203023001); Levy, Omer (56350001700)","57203023001;56350001700","SpanBERT",2020,"Transactions of the ACL","10.1162/tacl_a_00300","2-s2.0-85091421580"
... '''.encode()
>>> [rec] = parse_scopus(io.BytesIO(text), "scopus.csv")
>>> [(a.name, a.ids) for a in rec.authors], rec.ids, rec.line
([('Mandar Joshi', ('scopus:57203023001',)), ('Omer Levy', ('scopus:56350001700',))], ('doi:10.1162/tacl_a_00300', 'scopus:2-s2.0-85091421580'), 2)
"""

from __future__ import annotations

import codecs
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
from graphkit.readers._text import (EAST_ASIAN_CODECS, LEGACY_ENCODING, ControlChars, binary_problem, encoding_name, legacy_8bit,
                                    legacy_encoding, rejoined, strip_markup, unescape_entities)

__all__ = ["FORMAT", "SUFFIXES", "parse", "parse_scopus", "read", "read_scopus", "sniff"]

FORMAT = "scopus"
SUFFIXES = (".csv", ".scopus")  # .scopus: metaknowledge names its exports scopus_testing.csv.scopus

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


_INITIALS = re.compile(r"(?:[A-Z][a-z]?\.[\s-]?)+")


def _author_ids(row: dict[str, str]) -> list[str]:
    return [i for i in (row.get("Author(s) ID") or "").replace(";", " ").split() if i.isdigit()]


def _author_names(authors: str, count: int) -> list[str]:
    """The names in an "Authors" cell; ``count`` is the number of ids in "Author(s) ID" (0: none).

    Scopus joins them with ``; `` (``Lee K.; Levy O.``); older exports with
    ``, `` (``Lee K., Levy O.``, or ``Lee, K., Levy, O.``), where a name
    without initials (``Suharjito``) is a name of its own unless initials
    follow it. When that reading disagrees with the id count, a reading that
    agrees is taken: each part a name, or parts in (family, given) pairs.

    >>> _author_names("Suharjito, Anderson R., Kusuma G.P.", 3), _author_names("Hochreiter, S., Schmidhuber, J.", 2)
    (['Suharjito', 'Anderson R.', 'Kusuma G.P.'], ['Hochreiter, S.', 'Schmidhuber, J.'])
    >>> _author_names("Lee, Kenton, Levy, Omer", 2), _author_names("Lee K.; Levy O.", 0)
    (['Lee, Kenton', 'Levy, Omer'], ['Lee K.', 'Levy O.'])
    """
    if ";" in authors:
        return _split_list(authors)
    parts = [p.strip() for p in authors.split(",") if p.strip()]
    names: list[str] = []
    for part in parts:
        if names and _INITIALS.fullmatch(part) and "," not in names[-1] and not _SHORT_NAME.match(names[-1]):
            names[-1] += ", " + part  # "Lee, K.": the initials after the family name they belong to
        else:
            names.append(part)
    if count and len(names) != count:
        if len(parts) == count:
            return parts
        if len(parts) == 2 * count:
            return [f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts), 2)]
    return names


def _few(items: list[str], limit: int = 3) -> str:
    """Up to ``limit`` written names or ids, quoted, and how many more.

    >>> _few(["Brown C."]), _few(["a", "b", "c", "d", "e"])
    ("'Brown C.'", "'a', 'b', 'c' and 2 more")
    """
    shown = ", ".join(repr(i) for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _full_authors(full: list[str]) -> tuple[list[AuthorRef], list[str]]:
    """The authors of an "Author full names" cell (``Lee, Kenton (57201234567)``), with their ids; and each one's
    name as the cell writes it (``Lee, Kenton``)."""
    refs: list[AuthorRef] = []
    kept: list[str] = []
    for raw in full:
        m = _FULL_NAME.match(raw)
        name, scopus = (m[1], m[2]) if m else (raw, None)
        person = split_name(name)
        if person.name:
            ids = (f"scopus:{scopus}",) if scopus else ()
            refs.append(AuthorRef(name=person.name, given=person.given, family=person.family, position=len(refs), ids=ids))
            kept.append(name.strip())
    return refs, kept


def _short_authors(names: list[str], ids: list[str]) -> tuple[list[AuthorRef], list[str]]:
    """The authors of the "Authors" names (``Lee K.``), the ids of "Author(s) ID" by position when given;
    and each one's name as the cell writes it."""
    refs: list[AuthorRef] = []
    kept: list[str] = []
    for i, raw in enumerate(names):
        person = split_name(_short_to_bibtex(raw.strip()))
        if person.name:
            refs.append(AuthorRef(name=person.name, given=person.given, family=person.family, position=len(refs),
                                  ids=(f"scopus:{ids[i]}",) if ids else ()))
            kept.append(raw.strip())
    return refs, kept


def _name_keys(author: AuthorRef) -> tuple[str, str]:
    """An author's family name and first initial, as both name columns write them (``Smith J.``, ``Smith, John``)."""
    return name_key(author.family or author.name), name_key(author.given or "")[:1]


def _aligned(base: list[AuthorRef], other: list[AuthorRef]) -> tuple[dict[int, int], list[int], list[int]]:
    """Which author of ``base`` each author of ``other`` is, both lists in the paper's order.

    A name of ``other`` is an author of ``base`` with its family name and an
    initial that agrees, keeping the order; it is taken only when every such
    reading puts it on the same author. Returns ``{other's position:
    base's}``, the positions of ``other`` that fit no author of ``base``, and
    those that fit several (two ``Wang W.``, one of them missing).

    >>> people = lambda *names: [AuthorRef(name=n, family=n.split()[-1], given=n.split()[0], position=i) for i, n in enumerate(names)]
    >>> _aligned(people("John Smith", "Bob Jones", "Carl Brown"), people("J. Smith", "B. Jones"))
    ({0: 0, 1: 1}, [], [])
    >>> _aligned(people("Wei Wang", "Xu Li", "Wen Wang"), people("W. Wang", "Y. Zhou"))
    ({}, [1], [0])
    """
    at: dict[str, list[tuple[int, str]]] = {}
    for i, author in enumerate(base):
        family, initial = _name_keys(author)
        at.setdefault(family, []).append((i, initial))

    def fits(k: int) -> list[int]:
        family, initial = _name_keys(other[k])
        return [i for i, first in at.get(family, ()) if not initial or not first or initial == first]

    earliest: dict[int, int] = {}
    after = 0
    for k in range(len(other)):
        if (found := next((i for i in fits(k) if i >= after), None)) is not None:
            earliest[k], after = found, found + 1
    latest: dict[int, int] = {}
    before = len(base)
    for k in reversed(list(earliest)):  # the same names, each as late as the order allows
        found = next(i for i in reversed(fits(k)) if i < before)
        latest[k], before = found, found
    forced = {k: i for k, i in earliest.items() if latest[k] == i}
    unmatched = [k for k in range(len(other)) if k not in earliest]
    return forced, unmatched, [k for k in earliest if k not in forced]


def _reconciled(short: list[AuthorRef], written: list[str], full: list[AuthorRef], full_written: list[str]) -> tuple[list[AuthorRef], str]:
    """The authors of a row whose "Authors" and "Author full names" name a different number of people:
    the longer list, with the full names and ids of "Author full names" where a name of "Authors" is one of them
    (no id is given to an author that no full name is); and what was kept, said (names as the cells write them).
    """
    counts = f"Authors has {len(short)} names, Author full names {len(full)}"
    if len(full) > len(short):
        _, unmatched, _ = _aligned(full, short)
        note = f"{counts}: the {len(full)} of Author full names kept, with their ids"
        if unmatched:
            note += f"; {_few([written[k] for k in unmatched])} of Authors fit{'s' if len(unmatched) == 1 else ''} none of them: left out"
        return full, note
    forced, unmatched, several = _aligned(short, full)
    whose = {i: k for k, i in forced.items()}
    refs = []
    for i, author in enumerate(short):
        one = full[whose[i]] if i in whose else author
        refs.append(one.model_copy(update={"position": i}))
    note = f"{counts}: the {len(short)} of Authors kept, with the full name and id of Author full names where the names agree"
    if (no_id := [written[i] for i in range(len(short)) if i not in whose]):
        note += f"; without an id: {_few(no_id)}"
    if several:
        note += f"; {_few([full_written[k] for k in several])} of Author full names fit{'s' if len(several) == 1 else ''} several: no id given"
    if unmatched:
        note += f"; {_few([full_written[k] for k in unmatched])} of Author full names fit{'s' if len(unmatched) == 1 else ''} none of them: left out"
    return refs, note


def _id_note(written: list[str], column: list[str]) -> str | None:
    """What is wrong when "Author(s) ID" does not list the ids "Author full names" writes with the names, in order.

    >>> print(_id_note(["111", "222"], ["222", "111"]))
    Author(s) ID (222; 111) lists the ids of Author full names (111; 222) in another order: each author keeps the id written with the name
    >>> print(_id_note(["111", "222"], ["111", "333"]))
    Author(s) ID (111; 333) and the ids in Author full names (111; 222) disagree: each author keeps the id written with the name; '333' of Author(s) ID not used
    """
    if written == column:
        return None
    listed = lambda ids: "; ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")  # noqa: E731
    if sorted(written) == sorted(column):
        return (f"Author(s) ID ({listed(column)}) lists the ids of Author full names ({listed(written)}) in another order: "
                "each author keeps the id written with the name")
    note = f"Author(s) ID ({listed(column)}) and the ids in Author full names ({listed(written)}) disagree: each author keeps the id written with the name"
    if (unused := [i for i in column if i not in written]):
        note += f"; {_few(unused)} of Author(s) ID not used"
    return note


def _authors(row: dict[str, str]) -> tuple[list[AuthorRef], bool, list[str]]:
    """The row's authors, whether the list is cut (an ``et al.`` in place of the rest), and where the columns
    that name them disagree (the names of "Authors", "Author full names", the ids of "Author(s) ID").

    >>> authors, cut, notes = _authors({"Authors": "Smith J.; Jones B.; Brown C.", "Author(s) ID": "111; 222",
    ...                                  "Author full names": "Smith, John (111); Jones, Bob (222)"})
    >>> [(a.name, a.ids) for a in authors]
    [('John Smith', ('scopus:111',)), ('Bob Jones', ('scopus:222',)), ('C. Brown', ())]
    >>> notes
    ["Authors has 3 names, Author full names 2: the 3 of Authors kept, with the full name and id of Author full names where the names agree; without an id: 'Brown C.'"]
    """
    full = _split_list(row.get("Author full names", ""))
    truncated = any(is_etal(raw) for raw in full)
    full = [raw for raw in full if not is_etal(raw)]
    ids = _author_ids(row)
    notes: list[str] = []
    refs, full_written = _full_authors(full)
    names = _author_names(row.get("Authors", ""), len(refs) or len(ids))
    truncated = truncated or any(is_etal(raw) for raw in names)
    names = [raw for raw in names if not is_etal(raw) and raw.strip().lower() not in _NO_VALUE]
    if not refs:
        if ids and len(ids) != len(names):
            notes.append(f"Authors has {len(names)} names, Author(s) ID {len(ids)} ids: the ids are not used (no way to tell whose is whose)")
            ids = []
        return _short_authors(names, ids)[0], truncated, notes
    written = [i.removeprefix("scopus:") for a in refs for i in a.ids]
    if ids and not written and len(ids) == len(refs):  # full names without their ids: those of Author(s) ID, in order
        refs = [a.model_copy(update={"ids": (f"scopus:{i}",)}) for a, i in zip(refs, ids)]
    elif ids and (note := _id_note(written, ids)):
        notes.append(note)
    if names and len(names) != len(refs):  # (when they agree, the full names are the authors: no need to read the others)
        short, written_short = _short_authors(names, [])
        if short and len(short) != len(refs):
            refs, note = _reconciled(short, written_short, refs, full_written)
            notes.append(note)
    return refs, truncated, notes


def _plain(text: str) -> str:
    """A cell's text on one line, without inline formatting tags and with character references decoded, as
    every reader gives it (``<sup>13</sup>C``, ``Physics &amp; Astronomy``)."""
    return unescape_entities(" ".join(strip_markup(text).split()))


def _affiliation(text: str) -> AffiliationRef | None:
    text = _plain(text).strip(" ,")
    if not text:
        return None
    return AffiliationRef(name=text, country=country_code(text.rsplit(",", 1)[-1]))


_POSTCODE = re.compile(r"(?=.*\d)[A-Z\d][A-Z\d -]{1,9}")


def _affiliations(text: str) -> list[AffiliationRef]:
    """One author's addresses when the row's "Affiliations" do not spell them: each is taken to end after its country.

    A country or postal code right after a country goes on with the same
    address (``Hong Kong, Hong Kong``; ``Singapore, 117583, Singapore``).

    >>> [a.name for a in _affiliations("CUHK, Hong Kong, Hong Kong, NUS, Singapore, 117583, Singapore, ETH, Zurich, Switzerland")]
    ['CUHK, Hong Kong, Hong Kong', 'NUS, Singapore, 117583, Singapore', 'ETH, Zurich, Switzerland']
    """
    pieces: list[list[str]] = []
    current: list[str] = []
    for part in text.split(","):
        current.append(part)
        if country_code(part) is not None:
            if pieces and all(country_code(p) is not None or _POSTCODE.fullmatch(p.strip()) for p in current):
                pieces[-1] += current
            else:
                pieces.append(current)
            current = []
    if current:
        pieces.append(current)
    out: list[AffiliationRef] = []
    for piece in pieces:
        if (ref := _affiliation(",".join(piece))) is not None and ref not in out:
            out.append(ref)
    return out


def _entry_key(parts: list[str]) -> str:
    return ", ".join(" ".join(p.split()) for p in parts).casefold()


def _row_affiliations(row: dict[str, str]) -> dict[str, str]:
    """The row's "Affiliations" entries by their comparison key."""
    return {_entry_key(entry.split(",")): entry for entry in _split_list(row.get("Affiliations", ""))}


def _split_by_row(entry: str, known: dict[str, str]) -> tuple[str, list[AffiliationRef]] | None:
    """An "Authors with affiliations" entry read as ``Name, aff1, aff2`` where each ``affN`` is one of the row's "Affiliations"; None when it is not.

    >>> known = _row_affiliations({"Affiliations": "Dept EE, CUHK, Hong Kong, Hong Kong; NUS, Singapore, 117583, Singapore"})
    >>> name, found = _split_by_row("Lee, K., Dept EE, CUHK, Hong Kong, Hong Kong, NUS, Singapore, 117583, Singapore", known)
    >>> name, [a.name for a in found]
    ('Lee, K.', ['Dept EE, CUHK, Hong Kong, Hong Kong', 'NUS, Singapore, 117583, Singapore'])
    """
    if not known:
        return None
    parts = entry.split(",")
    longest = max(len(key.split(",")) for key in known)
    # after[i]: where the affiliation that starts at part i ends, when parts[i:] is a run of the row's affiliations
    after: list[int | None] = [None] * len(parts) + [len(parts)]
    for i in range(len(parts) - 1, 0, -1):
        for j in range(min(len(parts), i + longest), i, -1):  # the longest affiliation first
            if after[j] is not None and _entry_key(parts[i:j]) in known:
                after[i] = j
                break
    start = next((i for i in range(1, len(parts)) if after[i] is not None), None)  # the name: as few parts as can be
    if start is None:
        return None
    found: list[AffiliationRef] = []
    i = start
    while i < len(parts):
        j = after[i]
        if (ref := _affiliation(known[_entry_key(parts[i:j])])) is not None and ref not in found:
            found.append(ref)
        i = j
    return ",".join(parts[:start]).strip(), found


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
    names = _author_names(row.get("Authors", ""), len(_author_ids(row)))
    for raw in _split_list(row.get("Author full names", "")):
        m = _FULL_NAME.match(raw)
        names.append(m[1] if m else raw)
    return sorted({n for n in names if n}, key=len, reverse=True)


def _with_affiliations(authors: list[AuthorRef], row: dict[str, str]) -> list[AuthorRef]:
    entries = _split_list(row.get("Authors with affiliations", ""))
    if not entries or not authors:
        return authors
    known = _known_names(row)
    row_affiliations = _row_affiliations(row)
    split = []
    for entry in entries:
        if (by_row := _split_by_row(entry, row_affiliations)) is None:
            name, rest = _entry_name_and_rest(entry, known)
            by_row = name, _affiliations(rest)
        split.append(by_row)
    by_author: dict[int, list[AffiliationRef]] = {}
    if len(split) == len(authors):
        by_author = {i: found for i, (_, found) in enumerate(split)}
    else:
        families: dict[str, list[int]] = {}
        for i, a in enumerate(authors):
            families.setdefault(name_key(a.family or a.name), []).append(i)
        for name, found in split:
            family = name_key(split_name(_short_to_bibtex(name)).family or name)
            candidates = [i for i in families.get(family, []) if i not in by_author]
            if len(candidates) == 1:
                by_author[candidates[0]] = found
    out = []
    for i, author in enumerate(authors):
        found = by_author.get(i)
        out.append(author.model_copy(update={"affiliations": tuple(found)}) if found else author)
    return out


_EID = re.compile(r"2-s2\.0-\d+")
_DOI_CELL = re.compile(r"(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*)?10\.\d{4,9}/\S+", re.I)
_ID_WHAT = {"DOI": "a DOI", "EID": "a Scopus EID (2-s2.0- and digits)", "PubMed ID": "a PubMed id"}


def _row_ids(row: dict[str, str]) -> Iterator[tuple[str, str | None]]:
    """The row's DOI, EID and PubMed ID, each as an id, or None when its cell holds something that is not one
    (a column read from the wrong field must never make an id: ``scopus:Scopus`` would join every such row).

    >>> list(_row_ids({"DOI": "10.1038/S41598-022-04849-0", "EID": "2-s2.0-85123480963", "PubMed ID": "35064163"}))
    [('DOI', 'doi:10.1038/s41598-022-04849-0'), ('EID', 'scopus:2-s2.0-85123480963'), ('PubMed ID', 'pmid:35064163')]
    >>> list(_row_ids({"DOI": "Nature Research", "EID": "Scopus", "PubMed ID": "English"}))
    [('DOI', None), ('EID', None), ('PubMed ID', None)]
    """
    doi = (row.get("DOI") or "").strip()
    if doi:
        yield "DOI", doi_id(doi) if _DOI_CELL.fullmatch(doi) else None
    if (eid := (row.get("EID") or "").strip()):
        yield "EID", f"scopus:{eid}" if _EID.fullmatch(eid) else None
    if (pmid := (row.get("PubMed ID") or "").strip()):
        yield "PubMed ID", f"pmid:{pmid}" if pmid.isdigit() else None


def _record(row: dict[str, str], source: str, line: int) -> Iterator[PaperRecord | Problem]:
    """The record of one row, after the problems found in it."""
    title = _plain(row.get("Title") or "")
    if not title:
        yield Problem(source=source, line=line, message="row has no Title")
        return
    people, truncated, notes = _authors(row)
    for note in notes:
        yield Problem(source=source, line=line, message=note)
    authors = _with_affiliations(people, row)
    ids: list[str] = []
    for name, found in _row_ids(row):
        if found is None:
            yield Problem(source=source, line=line, message=f"{name} {(row.get(name) or '').strip()!r} is not {_ID_WHAT[name]}; not used")
        else:
            ids.append(found)
    venue = _plain(row.get("Source title") or "") or None
    article = " ".join((row.get("Art. No.") or "").split()) or None
    if venue and venue.lower().startswith("arxiv"):
        if found := arxiv_id(article or ""):
            ids.append(found)
        article = None  # an arXiv id, no article number
    year_text = (row.get("Year") or "").strip()
    if year_text and not year_text.isdigit():
        yield Problem(source=source, line=line, message=f"Year {year_text!r} is not a year; read without a year")
    abstract = " ".join((row.get("Abstract") or "").split())
    link = (row.get("Link") or "").strip()
    institutions = [a for a in (_affiliation(x) for x in _split_list(row.get("Affiliations", ""))) if a is not None]
    kind = _KINDS.get((row.get("Document Type") or "").strip().lower())
    if kind is None:
        kind = "preprint" if any(i.startswith("arxiv:") for i in ids) else "other"
    yield PaperRecord(
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
        volume=_cell(row, "Volume"),
        issue=_cell(row, "Issue"),
        pages=_pages(_cell(row, "Page start"), _cell(row, "Page end")) or article,
    )


def _cell(row: dict[str, str], column: str) -> str | None:
    return " ".join((row.get(column) or "").split()) or None


def _pages(start: str | None, end: str | None) -> str | None:
    """A row's pages from "Page start" and "Page end": ``start-end``, or the one given.

    >>> _pages("101", "110"), _pages("7", "7"), _pages(None, "12"), _pages(None, None)
    ('101-110', '7', '12', None)
    """
    if start and end and end != start:
        return f"{start}-{end}"
    return start or end


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
    if (binary := binary_problem(head, source)) is not None:
        yield binary  # an executable or image named .csv: refused, as every text reader refuses one
        return
    encoding, skip = bom_encoding(head)
    legacy = legacy_encoding(head, final=len(head) < _PEEK) if encoding is None else None
    if legacy is not None and (legacy[0] in EAST_ASIAN_CODECS or legacy_8bit(head)):
        # re-saved by Excel, or written by a tool in a legacy code page: the encoding its bytes fit, as for RIS
        # (an 8-bit one only with no UTF-8 character in the file: one is read whole in one encoding, and a UTF-8
        # file with a stray byte stays UTF-8; East Asian byte pairs may make a UTF-8 character by chance)
        encoding, said = legacy
        if encoding == LEGACY_ENCODING:
            said = f"Windows-1252 ({LEGACY_ENCODING}), the encoding Excel writes"
        yield Problem(source=source, line=1, message=f"not UTF-8: read as {said}")
    raw = _Watched(rejoined(head[skip:], stream), encoding or "utf-8")
    text = io.TextIOWrapper(raw, encoding=encoding or "utf-8", errors="replace", newline="")
    delimiter = _delimiter(head[skip:], encoding)
    lines = _Lines(text, ControlChars(source))
    try:
        yield from _rows(csv.reader(lines, delimiter=delimiter), lines, source, delimiter, raw)
    finally:
        text.detach()  # the caller's stream stays open: closing it is the caller's job
    if (problem := lines.controls.problem()) is not None:
        yield problem  # a NUL or ESC in a cell is no part of a title or name: dropped, reported once


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


def _header_cell(cell: str) -> str:
    """A header cell's name: a byte-order mark (a file joined on in the middle of this one) and its quotes dropped.

    >>> _header_cell('\ufeff"Authors"'), _header_cell(" Title ")
    ('Authors', 'Title')
    """
    cell = cell.strip()
    if cell.startswith("\ufeff"):
        cell = cell[1:].strip()
        if len(cell) >= 2 and cell[0] == cell[-1] == '"':  # the csv module leaves quotes after a BOM as they are
            cell = cell[1:-1].replace('""', '"').strip()
    return cell


def _header_row(row: list[str]) -> list[str] | None:
    """The column names, when ``row`` is a Scopus header (Title, Authors and EID, Source title or Author(s) ID); else None."""
    names = [_header_cell(cell) for cell in row]
    if "Title" in names and "Authors" in names and any(n in names for n in ("EID", "Source title", "Author(s) ID")):
        return names
    return None


class _Watched(io.RawIOBase):
    r"""A byte stream passed through as it is read, noting the line of the first bytes that are not valid
    in ``encoding`` (``bad``, 0 while there are none): a U+FFFD in the text is then a replaced byte, else
    a character the file holds.

    >>> w = _Watched(io.BytesIO("caf\ufffd".encode()), "utf-8"); _ = w.read(); w.bad
    0
    >>> w = _Watched(io.BytesIO(b"a\ncaf\xe9!"), "utf-8"); _ = w.read(); w.bad
    2
    """

    def __init__(self, stream: BinaryIO, encoding: str):
        self._stream = stream
        self.encoding = encoding
        self._check = codecs.getincrementaldecoder(encoding)("strict")
        self._lines = 0  # line ends read before the current block
        self.bad = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        if not self.bad:
            pending = len(self._check.getstate()[0])  # a character's first bytes from the block before
            try:
                self._check.decode(data, final=not n)
            except UnicodeDecodeError as exc:
                self.bad = self._lines + data.count(b"\n", 0, max(0, exc.start - pending)) + 1
            self._lines += data.count(b"\n")
        return n


def _rows(reader, lines: _Lines, source: str, delimiter: str, raw: _Watched | None = None) -> Iterator[PaperRecord | Problem]:
    try:
        header = next(reader)
    except StopIteration:
        yield Problem(source=source, line=0, message="empty file")
        return
    except csv.Error as exc:
        yield Problem(source=source, line=1, message=f"cannot read the CSV header: {exc}")
        return
    lines.take()
    header = [_header_cell(h) for h in header]
    if "Title" not in header:
        yield Problem(source=source, line=1, message="not a Scopus export: the header has no Title column")
        return
    replaced = False
    shifted: dict[tuple[int, int, str], list[int]] = {}  # rows with more fields than the header, by how they were read
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            taken = lines.take()
            yield Problem(source=source, line=taken[0][0] if taken else lines.number, message=f"malformed CSV row: {exc}")
            continue
        taken = lines.take()
        line = taken[0][0]
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(taken) > 1 and (stray := _stray_quote(row, taken, header, delimiter)) is not None:
            opened, column = stray
            lines.put_back(taken[opened + 1:])  # read again: rows of their own
            yield from _reread(taken[: opened + 1], taken[-1][0], column, header, delimiter, source)
            continue
        if (again := _header_row(row)) is not None:
            # another export joined on (cat): its header starts over, and may name other columns (an older layout)
            if again != header:
                yield Problem(source=source, line=line, message="another header row, with other columns: the rows after it are read by it")
            header = again
            continue
        if not replaced and (raw.bad if raw is not None else any("\ufffd" in cell for cell in row)):
            replaced = True  # reported once, at the line of the first (a U+FFFD the file holds is no problem)
            said = encoding_name(raw.encoding) if raw is not None else "UTF-8"
            yield Problem(source=source, line=raw.bad if raw is not None else line, message=f"bytes that are not {said} replaced")
        names, cells = header, row
        if len(row) > len(header) and (aligned := _lined_up(row, header, delimiter)) is not None:
            names, cells, how = aligned
            shifted.setdefault((len(row), len(header), how), []).append(line)
        elif len(row) != len(header):
            yield Problem(source=source, line=line, message=f"row has {len(row)} fields, the header {len(header)}; read by position")
        if len(taken) > 1:
            for name, first, last in _broken_cells(row, taken, names):
                yield Problem(source=source, line=first, message=(
                    f"{name} runs over lines {first}-{last} (a quote left open?); read as one field"))
        yield from _record(dict(zip(names, cells)), source, line)
    for (fields, columns, how), rows in shifted.items():  # one problem per file for each way rows were aligned
        yield Problem(source=source, line=rows[0], message=f"{_rows_said(rows)} {fields} fields, the header {columns}: {how}")


def _rows_said(lines: list[int]) -> str:
    """``3 rows (lines 4, 6 and 9) have`` / ``56 rows (lines 4, 6, 7 and 53 more) have`` / ``1 row (line 4) has``.

    >>> _rows_said([4]), _rows_said([4, 6, 9]), _rows_said(list(range(4, 60)))
    ('1 row (line 4) has', '3 rows (lines 4, 6 and 9) have', '56 rows (lines 4, 5, 6 and 53 more) have')
    """
    if len(lines) == 1:
        return f"1 row (line {lines[0]}) has"
    shown = ", ".join(map(str, lines[:3]))
    shown = f"{shown} and {len(lines) - 3} more" if len(lines) > 3 else " and ".join(shown.rsplit(", ", 1))
    return f"{len(lines)} rows (lines {shown}) have"


_FUNDING = re.compile(r"Funding (?:Text(?: (\d+))?|Details)")
_ISSN = re.compile(r"[\dXx]{8}|\d{4}-\d{3}[\dXx]")
#: What a field must look like to be read as the column's (an empty field fits any): the columns whose values
#: have a shape, by which a row with more fields than the header is lined up with it.
_SHAPES = {
    "Author(s) ID": lambda v: bool(re.fullmatch(r"[\d;\s]+", v)) or v.lower() in _NO_VALUE,
    "Author full names": lambda v: "(" in v or v.lower() in _NO_VALUE,
    "Year": lambda v: bool(re.fullmatch(r"\d{4}", v)),
    "Page count": str.isdigit, "Cited by": str.isdigit,
    "DOI": lambda v: bool(_DOI_CELL.fullmatch(v)),
    "Link": lambda v: v.startswith(("http://", "https://")),
    "ISSN": lambda v: all(_ISSN.fullmatch(p.strip()) for p in v.split(";") if p.strip()),
    "PubMed ID": str.isdigit,
    "Document Type": lambda v: bool(re.fullmatch(r"[A-Za-z][A-Za-z ]*", v)),
    "Publication Stage": lambda v: v in ("Final", "Article in Press"),
    "Open Access": lambda v: v.startswith("All Open Access"),
    "Source": lambda v: v == "Scopus",
    "EID": lambda v: bool(_EID.fullmatch(v)),
}


def _lined_up(row: list[str], header: list[str], delimiter: str) -> tuple[list[str], list[str], str] | None:
    """A row with more fields than the header, lined up with it: each field's column name, the fields (a column
    that holds several, joined), and what was done, said; None when no reading puts every field with a shape
    (a year, an EID, a DOI, a link...) in its column (the row is then read by position, and said so).

    The columns before the extra fields are read from the left and those after them from the right. Where the
    header has funding columns, the extra fields are funding texts: Scopus writes a ``Funding Text n`` column
    per text, and a header written for fewer (litstudy's ``scopus.csv``) lacks the others. Otherwise they lie
    where the shapes allow: between two columns (not read); in one column that holds a delimiter it does not
    quote (read joined); or somewhere among several columns, which are then not read.

    >>> header = ["Authors", "Title", "Year", "Funding Details", "Funding Text 1", "References", "Source", "EID"]
    >>> names, cells, how = _lined_up(["Lee K.", "T", "2020", "G1", "Thanks", "More thanks", "Refs", "Scopus", "2-s2.0-1"], header, ",")
    >>> dict(zip(names, cells))["EID"], dict(zip(names, cells))["Funding Text 2"]
    ('2-s2.0-1', 'More thanks')
    >>> header = ["Authors", "Author(s) ID", "Title", "Year", "Source", "EID"]
    >>> names, cells, how = _lined_up(["Lee K.", "57200000001", "Title", " with a comma", "2020", "Scopus", "2-s2.0-1"], header, ",")
    >>> dict(zip(names, cells))["Title"], how
    ('Title, with a comma', "Title holds 2 fields (a ',' in its text that is not quoted?): read as one, joined with ','; the columns before it read from the left, those after it from the right")
    """
    n = len(row) - len(header)
    # The splits k (header[:k] read from the left, header[k:] from the right) that put every shaped field in place
    # form the range lo..hi: no shaped column at or after lo fails read from the right, none before hi from the left.
    lo, hi = 0, len(header)
    for c, name in enumerate(header):
        if (fits := _SHAPES.get(name)) is None:
            continue
        if (left := row[c].strip()) and not fits(left):
            hi = min(hi, c)
        if (right := row[c + n].strip()) and not fits(right):
            lo = max(lo, c + 1)
    if lo > hi:
        return None
    funding = [(c, m) for c, name in enumerate(header) if (m := _FUNDING.fullmatch(name))]
    if funding and lo <= (k := funding[-1][0] + 1) <= hi:
        texts = [int(m[1] or 1) for _, m in funding if m[0].startswith("Funding Text")]
        first = max(texts, default=0) + 1
        extra = [f"Funding Text {first + j}" for j in range(n)]
        said = ", ".join(extra) if n <= 3 else f"{extra[0]} to {extra[-1]}"
        how = (f"the extra field{'s' if n > 1 else ''} read as {said} (Scopus writes a column per funding text, and the "
               f"header lacks {'these' if n > 1 else 'this one'}): the columns up to {header[k - 1]} read from the left, "
               + ("those after it from the right" if k < len(header) else "none after it"))
        return header[:k] + extra + header[k:], row, how
    if hi == len(header) and not any(cell.strip() for cell in row[hi:]):  # a delimiter at the end of the line
        last = f"the last {n} fields" if n > 1 else "the last field"
        return header, row, f"{last} empty (a {delimiter!r} at the end of the line): read by position"
    extra_names = [f"(field {i + 1}, no column)" for i in range(len(row))]
    if lo == hi:
        names = header[:lo] + extra_names[lo:lo + n] + header[lo:]
        where = (f"between {header[lo - 1]} and {header[lo]}" if 0 < lo < len(header)
                 else f"before {header[0]}" if lo == 0 else f"after {header[-1]}")
        return names, row, (f"{n} field{'s' if n > 1 else ''} the header has no column for, {where} (not read); "
                            "the columns before them read from the left, those after them from the right")
    if hi - lo == 1:  # one column holds the extra fields: its text has delimiters it does not quote
        column = header[lo]
        cells = row[:lo] + [delimiter.join(row[lo:lo + n + 1])] + row[lo + n + 1:]
        return header, cells, (f"{column} holds {n + 1} fields (a {delimiter!r} in its text that is not quoted?): "
                               f"read as one, joined with {delimiter!r}; the columns before it read from the left, "
                               "those after it from the right")
    names = header[:lo] + extra_names[lo:hi + n] + header[hi:]
    unread = header[lo:hi]
    return names, row, (f"{n} field{'s' if n > 1 else ''} the header has no column for, somewhere in "
                        f"{', '.join(unread[:-1])} and {unread[-1]}: those columns not read (no way to tell which "
                        "fields are theirs); the columns before them read from the left, those after them from the right")


class _Lines:
    """The text's lines for :func:`csv.reader`, each with its line number; lines put back are read again.

    ``take()`` gives the lines read since it was last called: a row's lines.
    """

    def __init__(self, text: Iterator[str], controls: ControlChars | None = None):
        self._text = text
        self.controls = controls  # control characters are dropped from the lines read, and noted there
        self._back: list[tuple[int, str]] = []  # the lines to read again, the next one last
        self._taken: list[tuple[int, str]] = []
        self.number = 0  # the last line read from the text

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._back:
            item = self._back.pop()
        else:
            text = next(self._text)
            self.number += 1
            if self.controls is not None:
                text = self.controls.drop(self.number, text)
            item = (self.number, text)
        self._taken.append(item)
        return item[1]

    def take(self) -> list[tuple[int, str]]:
        taken, self._taken = self._taken, []
        return taken

    def put_back(self, lines: list[tuple[int, str]]) -> None:
        self._back.extend(reversed(lines))


#: Columns Scopus always writes on one line: a line break in one is a sign of a quote left open.
_ONE_LINE = frozenset({
    "Authors", "Author full names", "Author(s) ID", "Title", "Year", "Source title", "Volume", "Issue", "Art. No.",
    "Page start", "Page end", "Page count", "Cited by", "DOI", "Link", "EID", "PubMed ID", "ISSN", "ISBN", "CODEN",
    "Language of Original Document", "Abbreviated Source Title", "Document Type", "Publication Stage",
    "Open Access", "Source",
})
_BREAK = re.compile(r"\r\n|\r|\n")
_YEAR = re.compile(r"\s*\d{4}\s*")


def _cells_by_line(row: list[str], header: list[str]) -> Iterator[tuple[int, str, int]]:
    """Each cell of ``row`` that runs over a line end: how many line ends come before it in the row (the
    line it opened on, counted from the row's first), its column, and how many it holds."""
    before = 0
    for i, cell in enumerate(row):
        if (breaks := len(_BREAK.findall(cell))):
            yield before, header[i] if i < len(header) else f"field {i + 1}", breaks
            before += breaks


def _broken_cells(row: list[str], taken: list[tuple[int, str]], header: list[str]) -> Iterator[tuple[str, int, int]]:
    """The one-line columns of ``row`` that run over line ends, with their first and last lines."""
    for opened, name, breaks in _cells_by_line(row, header):
        if name in _ONE_LINE:  # (a quote never closed holds the last line's end too)
            yield name, taken[opened][0], taken[min(opened + breaks, len(taken) - 1)][0]


def _looks_like_row(cells: list[str], header: list[str]) -> bool:
    """Whether ``cells`` read as a record of ``header`` (its number of fields, and a year, an EID or a DOI
    where those columns are) or as a header.

    >>> header = ["Authors", "Title", "Year", "EID"]
    >>> _looks_like_row(["Lee K.", "T", "2019", "2-s2.0-1"], header), _looks_like_row(["x", " y", " z", "w"], header)
    (True, False)
    """
    if _header_row(cells) is not None:
        return True
    if len(cells) != len(header):
        return False
    row = dict(zip(header, cells))
    checks = [("Year", lambda v: bool(_YEAR.fullmatch(v))), ("EID", lambda v: v.strip().startswith("2-s2.0-")),
              ("DOI", lambda v: v.strip().startswith("10."))]
    known = [check(row[name]) for name, check in checks if name in row]
    return not known or any(known)


def _quoted_fields(text: str, delimiter: str) -> list[tuple[int | None, str]]:
    """Each field of ``text`` (one row's lines) as :mod:`csv` reads it: where its opening quote is (None for
    a field not quoted), and how the field ends: ``"plain"`` (not quoted), ``"closed"`` (right after its
    closing quote), ``"open"`` (the quote never closed) or ``"text"`` (text follows the closing quote, which
    :mod:`csv` reads on as the field's).

    >>> _quoted_fields('a,"b ""c"" d",e', ","), _quoted_fields('"x"y,"z', ",")
    ([(None, 'plain'), (2, 'closed'), (None, 'plain')], [(0, 'text'), (5, 'open')])
    """
    rest_of_field = re.compile(f"[^{re.escape(delimiter)}\\r\\n]*")
    fields: list[tuple[int | None, str]] = []
    i = 0
    while True:
        opening, how = None, "plain"
        if text.startswith('"', i):
            opening, i = i, i + 1
            while (j := text.find('"', i)) >= 0 and text.startswith('"', j + 1):  # "" in a quoted field: one quote
                i = j + 2
            if j < 0:
                fields.append((opening, "open"))
                return fields
            i = j + 1
            how = "closed" if i == len(text) or text[i] in (delimiter, "\r", "\n") else "text"
        i = rest_of_field.match(text, i).end()
        fields.append((opening, how))
        if not text.startswith(delimiter, i):
            return fields
        i += 1


def _holds_a_row(lines: list[tuple[int, str]], header: list[str], delimiter: str) -> bool:
    """Whether ``lines`` (those a quote left open ran over) hold a row of ``header``: read as they are, or,
    when a quote is left open in them too, without that quote."""
    text = "".join(t for _, t in lines)
    for _ in range(2):
        try:
            if any(_looks_like_row(cells, header) for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)):
                return True
        except csv.Error:
            return False
        opening, how = _quoted_fields(text, delimiter)[-1]
        if how != "open":
            return False
        text = text[:opening] + text[opening + 1:]
    return False


def _stray_quote(row: list[str], taken: list[tuple[int, str]], header: list[str], delimiter: str) -> tuple[int, str] | None:
    """Where a quote left open made :mod:`csv` read on into rows of their own: the index in ``taken`` (the
    row's lines) of the line it opened on, and its column; None when the row's line ends are its own (an
    Abstract over several lines, its quotes closed).

    A quoted field over a line end is taken for one when its quote is never closed, or is followed by text
    (the quote that closed it opened another field), or when it is in a column Scopus writes on one line in
    a row with the wrong number of fields; and the lines after the quote's line hold a row.
    """
    text = "".join(t for _, t in taken)
    for i, (opening, how) in enumerate(_quoted_fields(text, delimiter)):
        if opening is None or i >= len(row) or not _BREAK.search(row[i]):
            continue
        name = header[i] if i < len(header) else f"field {i + 1}"
        if how == "closed" and not (name in _ONE_LINE and len(row) != len(header)):
            continue
        line = len(_BREAK.findall(text, 0, opening))
        if line + 1 < len(taken) and _holds_a_row(taken[line + 1:], header, delimiter):
            return line, name
    return None


def _reread(lines: list[tuple[int, str]], last: int, column: str, header: list[str], delimiter: str,
            source: str) -> Iterator[PaperRecord | Problem]:
    """The row of ``lines`` (the quote left open on the last of them) read again without that quote, after the
    problem that says so; ``last`` is the line the quote ran to."""
    first, opened = lines[0][0], lines[-1][0]
    text = "".join(t for _, t in lines)
    said = f"quote opened on line {opened} ({column}) runs to line {last}: {last - first + 1} lines read as one row"
    after, own = (f"line {last}", "a row of its own") if last == opened + 1 else (f"lines {opened + 1}-{last}", "rows of their own")
    rows: list[list[str]] = []
    at, how = _quoted_fields(text, delimiter)[-1]
    if how == "open":
        try:
            rows = list(csv.reader(io.StringIO(text[:at] + text[at + 1:], newline=""), delimiter=delimiter))
        except csv.Error:
            rows = []
    whose = f"line {opened}" if first == opened else f"lines {first}-{opened}"
    if len(rows) == 1 and len(rows[0]) == len(header):
        yield Problem(source=source, line=opened, message=f"{said}; {whose} read again without that quote, {after} as {own}")
        yield from _record(dict(zip(header, rows[0])), source, first)
        return
    fields = f" ({len(rows[0])} fields without that quote, the header {len(header)})" if len(rows) == 1 else ""
    yield Problem(source=source, line=opened, message=f"{said}; {whose} not read{fields}; {after} read as {own}")


def read_scopus(path) -> Iterator[PaperRecord | Problem]:
    """Read a Scopus CSV export (``.gz`` too): see :func:`parse_scopus`."""
    with open_input(path) as stream:
        yield from parse_scopus(stream, str(path))


parse = parse_scopus
read = read_scopus
