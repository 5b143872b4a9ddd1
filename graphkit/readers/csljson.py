"""CSL-JSON (``.json``): the citation data of Zotero, Mendeley, pandoc and citeproc.

A file is a JSON array of items (one item object on its own is read too).
Every item has its 1-based position (``record``); its locator is the line
where it starts when each item starts a line of its own, as Zotero,
citation.js and every pretty-printer write arrays. An array on one line
(Crossref's API, ``JSON.stringify`` without indent) has no useful line per
item: its items and their problems are named by ``record`` alone
(``refs.json: record 17: ...``), as is one item on its own.

A Crossref REST API response is read too: the work in its ``message``
(``"message-type": "work"``) or the works in ``message.items``
(``"work-list"``); Crossref's works are close to CSL (a ``title`` list,
``author`` with an ORCID URL, an organisation's ``name``), and its ``type``
values (``journal-article``, ``proceedings-article``, ``book-chapter``,
``posted-content``...) give the kinds of the CSL types they stand for.

Fields read: ``title`` (rich-text tags such as ``<i>`` dropped); ``author``
(``given``, ``family``, ``dropping-particle``, ``non-dropping-particle``,
``suffix``, or a ``literal`` name; an ``ORCID`` where a tool adds one);
``editor`` is never read as authors; an author's ``affiliation`` (Crossref's
``{"name": ..., "id": [{"id": "https://ror.org/...", "id-type": "ROR"}]}``, its
ROR id as ``ror:``); ``issued`` (``date-parts``, else ``raw`` or ``literal``),
else Crossref's ``published-print`` or ``published-online`` (the earlier, as
Crossref makes ``issued`` of them), ``published``, ``posted``; ``DOI``,
``URL``, ``PMID``, arXiv ids from ``number``/``URL``/``note``/
``archive_location``; ``container-title`` (else ``event-title``) as venue;
``volume``, ``issue`` and ``page`` (else ``page-first``, Crossref's
``article-number``, or a journal article's ``number``: its article number);
``abstract``; ``type`` as kind (Zotero writes a preprint as CSL ``article``).

Problems: an item that is not an object or has no title, an author entry
that names nobody, an ORCID failing its check digit, an affiliation's ROR id
that is none, an impossible date (``[2019, 2, 30]``: its year kept), a
Crossref work with no publication date (its ``created``, when its DOI was
registered, is no publication year: a backfile article of 1950 may have been
registered in 2002).

:func:`sniff` answers yes only to CSL-JSON: a ``.json`` may also be an
OpenAlex response, whose ids start with ``https://openalex.org/``.

>>> import io
>>> text = b'''[{"id": "dettmers2023qlora", "type": "article", "title": "QLoRA: Efficient Finetuning of Quantized LLMs",
...   "author": [{"family": "Dettmers", "given": "Tim"}, {"family": "Pagnoni", "given": "Artidoro"},
...              {"family": "Holtzman", "given": "Ari"}, {"family": "Zettlemoyer", "given": "Luke"}],
...   "issued": {"date-parts": [[2023, 5, 23]]}, "number": "arXiv:2305.14314"}]'''
>>> [rec] = parse_csljson(io.BytesIO(text), "refs.json")
>>> rec.author_names, rec.ids, rec.date, rec.kind, rec.record
(('Tim Dettmers', 'Artidoro Pagnoni', 'Ari Holtzman', 'Luke Zettlemoyer'), ('arxiv:2305.14314',), datetime.date(2023, 5, 23), 'preprint', 1)
"""

from __future__ import annotations

import codecs
import datetime as _dt
import json
import re
from collections.abc import Iterator, Sequence
from typing import BinaryIO, NamedTuple

import orjson

from graphkit.models import AffiliationRef, AuthorRef, PaperRecord, Problem
from graphkit.readers._files import bom_encoding, cut_off, open_input
from graphkit.readers._ids import arxiv_id, doi_id, orcid_id, with_arxiv_dois
from graphkit.readers._names import author_ref, is_etal, split_and, split_name
from graphkit.readers._text import JSON_CONTROL, ControlChars, drop_controls, strip_markup, unescape_entities
from graphkit.readers.openalex import _ror
from graphkit.readers.ris import FIRST_YEAR, LAST_YEAR, read_year

__all__ = ["FORMAT", "SUFFIXES", "parse", "parse_csljson", "read", "read_csljson", "sniff"]

FORMAT = "csl-json"
SUFFIXES = (".json", ".csl.json", ".csljson")

_KINDS = {
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
    "review": "article", "review-book": "article", "paper-conference": "inproceedings",
    "book": "book", "classic": "book", "chapter": "chapter", "entry-encyclopedia": "chapter",
    "entry-dictionary": "chapter", "thesis": "thesis", "report": "report", "dataset": "dataset",
    "manuscript": "preprint", "preprint": "preprint", "article": "article",
}  # fmt: skip
# Crossref's own work types (its REST API's ``type``), as the CSL types they stand for
_CROSSREF_KINDS = {
    "journal-article": "article", "proceedings-article": "inproceedings", "book-chapter": "chapter",
    "book-section": "chapter", "book-part": "chapter", "reference-entry": "chapter", "monograph": "book",
    "edited-book": "book", "reference-book": "book", "posted-content": "preprint", "dissertation": "thesis",
    "report-component": "report", "database": "dataset",
}  # fmt: skip
_POSTED_KINDS = {"dissertation": "thesis", "report": "report"}  # posted-content's subtypes that are no preprint
_PREPRINT_SERVERS = ("arxiv", "biorxiv", "medrxiv", "chemrxiv", "ssrn", "research square", "preprints.org", "techrxiv", "osf preprints")
_CSL_TYPES = frozenset(_KINDS) | {"webpage", "post", "post-weblog", "software", "speech", "patent", "motion_picture", "entry"}
_MARKERS = (b'"issued"', b'"container-title"', b'"date-parts"', b'"family"', b'"literal"', b'"citation-key"')
_TYPE_VALUE = re.compile(rb'"type"\s*:\s*"([a-z_-]+)"')
_CROSSREF_WORKS = re.compile(rb'"message-type"\s*:\s*"work(?:-list)?"')  # a Crossref REST API response
_YEAR = re.compile(r"(\d{4})")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\b")
_ISO_PARTS = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_PUBLISHED = ("published-print", "published-online")  # Crossref's issued is the earlier of these two
_LATER_DATES = ("published", "posted")  # Crossref's, where issued and both of those have no date
# fields only Crossref's works have (its REST API and DOI content negotiation): one without a date is reported
_CROSSREF_FIELDS = (*_PUBLISHED, *_LATER_DATES, "created", "deposited", "indexed")
_PEOPLE_SEPARATOR = re.compile(r"\s*;\s*")
_CORPORATE = re.compile(
    r"\b(?:inc|ltd|llc|corp|co|gmbh|ag|plc|s\.?a|universit\w*|institut\w*|consortium|group|team|collaboration|"
    r"committee|association|society|foundation|department|laborator\w*|lab|council|agency|ministry|project)\b", re.I)
_OPENALEX_ID = re.compile(rb'"(?:id|openalex)"\s*:\s*"https://openalex\.org/[WAISCPFT]\d+"')  # an OpenAlex entity, not a URL cited in one
_BLANK = re.compile(rb"[ \t\r\n]*")  # JSON's whitespace
# The "items" array of a Crossref work-list (or a wrapper's): a key, since '"' inside a string is escaped
_ITEMS_ARRAY = re.compile(rb'"items"[ \t\r\n]*:[ \t\r\n]*\[')
_STARTS = {dict: b"{", list: b"[", str: b'"', type(None): b"n", bool: b"tf", int: b"-0123456789", float: b"-0123456789"}


def sniff(head: bytes) -> bool:
    """Whether ``head`` looks like CSL-JSON (and not OpenAlex or arXiv metadata).

    >>> sniff(b'[{"type": "article-journal", "title": "T", "author": [{"family": "Lee"}]}]')
    True
    >>> sniff(b'{"id": "https://openalex.org/W2963403868", "type": "article", "title": "T"}')
    False
    """
    encoding, skip = bom_encoding(head)
    if encoding not in (None, "utf-8"):
        head = head[skip:].decode(encoding, "ignore").encode("utf-8")
    else:
        head = head[skip:]
    start = head.lstrip()[:1]
    if start not in (b"[", b"{") or _OPENALEX_ID.search(head):
        return False
    if start == b"{" and _CROSSREF_WORKS.search(head):
        return True
    if b'"title"' not in head and b'"author"' not in head:
        return False
    types = _TYPE_VALUE.findall(head)
    if not types:
        return False
    return any(t.decode() in _CSL_TYPES for t in types) or any(m in head for m in _MARKERS)


def _text(value) -> str | None:
    if isinstance(value, list):  # some exporters write a list of strings
        value = value[0] if value else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    if "<" in value:
        value = strip_markup(value)  # Crossref's titles are HTML, its abstracts JATS
    return " ".join(drop_controls(unescape_entities(value)).split()) or None


def _date_numbers(parts: list) -> list[int]:
    """The leading whole numbers of one ``date-parts`` list.

    Exporters write numbers, numeric strings, blanks (``["2017", ""]``),
    nulls, or one ISO string (``["2020-05"]``): keep what is a date, stop at
    the first part that is not.

    >>> _date_numbers([2016, 8, 13]), _date_numbers(["2017", "", ""]), _date_numbers(["2020-05-03"]), _date_numbers([None])
    ([2016, 8, 13], [2017], [2020, 5, 3], [])
    """
    if len(parts) == 1 and isinstance(parts[0], str) and (m := _ISO_PARTS.match(parts[0].strip())):
        return [int(p) for p in m.groups() if p]
    numbers: list[int] = []
    for part in parts[:3]:
        if isinstance(part, bool) or not isinstance(part, (int, float, str)):
            break
        try:
            numbers.append(int(part))
        except ValueError:
            break
    return numbers


def _day(numbers: list[int]) -> tuple[_dt.date | None, bool]:
    """The date of year, month and day numbers, and whether they name a day no month has (``2019, 2, 30``).

    A month or day of 0 is one left out (``2021, 0, 0``), not an impossible date.
    """
    if len(numbers) != 3 or not numbers[1] or not numbers[2]:
        return None, False
    try:
        return _dt.date(*numbers), False
    except ValueError:
        return None, True


def _date(issued) -> tuple[int | None, _dt.date | None, str | None]:
    """Year and date of CSL's ``issued``: date-parts, ``raw``/``literal``, or a plain (EDTF) string as CSL 1.1 allows;
    and, for an impossible date (``2019-02-30``), the date as written (its year is still read).

    >>> _date({"date-parts": [[2019, 6, 2]]}), _date("2019-02-14"), _date("1864"), _date({"literal": "Summer 2019"})
    ((2019, datetime.date(2019, 6, 2), None), (2019, datetime.date(2019, 2, 14), None), (1864, None, None), (2019, None, None))
    >>> _date({"date-parts": [[2019, 2, 30]]}), _date({"raw": "2019-02-30"}), _date({"date-parts": [[2021, 0, 0]]})
    ((2019, None, '[2019, 2, 30]'), (2019, None, '2019-02-30'), (2021, None, None))
    """
    if isinstance(issued, list):  # a bare date-parts list
        issued = {"date-parts": issued}
    elif isinstance(issued, (str, int)) and not isinstance(issued, bool):  # EDTF: "2019-02-14", "1864", "2019-21"
        issued = {"raw": str(issued)}
    if not isinstance(issued, dict):
        return None, None, None
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        numbers = _date_numbers(parts[0])
        if numbers:
            date, impossible = _day(numbers)
            return numbers[0], date, f"[{', '.join(map(str, numbers))}]" if impossible else None
    for key in ("raw", "literal"):
        if isinstance(text := issued.get(key), str) and (m := _YEAR.search(text)):
            if (iso := _ISO_DATE.match(text.strip())) is not None:
                date, impossible = _day([int(iso[1]), int(iso[2]), int(iso[3])])
                return int(m[1]), date, text.strip() if impossible else None
            return int(m[1]), None, None
    return None, None, None


def _publication_date(item: dict) -> tuple[str, int | None, _dt.date | None, str | None]:
    """The field an item's date is read from, with its year, date and impossible date as :func:`_date` gives them.

    ``issued``, else Crossref's ``published-print`` or ``published-online``
    (the earlier, as Crossref makes ``issued`` of them), else ``published``,
    else ``posted``. Crossref's ``created`` is when the DOI was registered,
    which may be decades after publication: never a publication date.

    >>> _publication_date({"issued": {"date-parts": [[None]]}, "posted": {"date-parts": [[2021, 5, 5]]}})
    ('posted', 2021, datetime.date(2021, 5, 5), None)
    >>> _publication_date({"published-print": {"date-parts": [[2020, 3]]}, "published-online": {"date-parts": [[2019, 11, 2]]}})
    ('published-online', 2019, datetime.date(2019, 11, 2), None)
    >>> _publication_date({"created": {"date-parts": [[2002, 7, 25]]}})
    ('issued', None, None, None)
    """
    year, date, impossible = _date(item.get("issued"))
    if year is not None:
        return "issued", year, date, impossible
    printed = [(key, *_date(item.get(key))) for key in _PUBLISHED if item.get(key) is not None]
    if printed := [found for found in printed if found[1] is not None]:
        return min(printed, key=lambda found: (found[1], found[2] is None, found[2] or _dt.date.min))
    for key in _LATER_DATES:
        if item.get(key) is not None and (found := _date(item.get(key)))[0] is not None:
            return key, *found
    return "issued", None, None, None


def _no_date(item: dict) -> str:
    """The problem of a Crossref work without a publication date, naming its registration year when it has one."""
    message = f"no publication date (issued, {', '.join((*_PUBLISHED, *_LATER_DATES))}); read without a year"
    if (registered := _date(item.get("created"))[0]) is not None:
        message += f", not the year its DOI was registered ({registered}, created)"
    return message


def _issued_text(issued) -> str:
    """What ``issued`` says, as text, to name in a problem when no year could be read from it."""
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list):
            return " ".join(str(p) for p in parts[0] if p is not None).strip()
        issued = issued.get("raw") or issued.get("literal")
    return str(issued).strip() if isinstance(issued, (str, int)) and not isinstance(issued, bool) else ""


def _author(person, position: int) -> AuthorRef | None:
    if isinstance(person, str):
        return author_ref(person, position)
    if not isinstance(person, dict):
        return None
    family = _text(person.get("family"))
    given = _text(person.get("given"))
    literal = _text(person.get("literal")) or _text(person.get("name"))  # "name": Crossref's for an organisation
    ids = ()
    if isinstance(orcid := person.get("ORCID") or person.get("orcid"), str) and (found := orcid_id(orcid)):
        ids = (found,)
    affiliations = _affiliations(person.get("affiliation"))
    if not family and not given:
        if not literal:
            return None
        if literal.count(",") == 1 and len(literal.split(",")[0].split()) <= 3 and not _CORPORATE.search(literal):
            # "Levy, Omer": a person written as one string (citation.js, some Zotero exports), not "Google, Inc."
            person = split_name(literal)
            if person.name and person.given:
                return AuthorRef(name=person.name, given=person.given, family=person.family, position=position, ids=ids,
                                 affiliations=affiliations)
        return AuthorRef(name=literal, position=position, ids=ids, affiliations=affiliations)
    particles = [_text(person.get(k)) for k in ("dropping-particle", "non-dropping-particle")]
    family_full = " ".join(p for p in (*particles, family) if p) or None
    suffix = _text(person.get("suffix"))
    name = " ".join(p for p in (given, family_full, suffix) if p)
    return AuthorRef(name=name, given=given, family=family_full, position=position, ids=ids, affiliations=affiliations)


def _affiliation_list(value) -> list:
    if isinstance(value, (dict, str)):
        return [value]
    return value if isinstance(value, list) else []


def _ror_ids(entry) -> tuple[list[str], list[str]]:
    """The ``ror:`` ids of one Crossref affiliation's ``id`` list, and the ROR ids written there that are none.

    >>> _ror_ids({"name": "Princeton University", "id": [{"id": "https://ror.org/00hx57361", "id-type": "ROR"},
    ...                                                   {"id": "0000 0001 2097 5006", "id-type": "ISNI"}]})
    (['ror:00hx57361'], [])
    >>> _ror_ids({"name": "X", "id": [{"id": "https://ror.org/princeton", "id-type": "ROR"}]})
    ([], ['https://ror.org/princeton'])
    """
    found: list[str] = []
    rejected: list[str] = []
    if not isinstance(entry, dict):
        return found, rejected
    for written in _affiliation_list(entry.get("id")):
        value, kind = (written.get("id"), written.get("id-type")) if isinstance(written, dict) else (written, None)
        if not isinstance(value, str) or not value.strip():
            continue
        if str(kind or "").lower() != "ror" and "ror.org/" not in value.lower():
            continue  # ISNI, Wikidata: no scheme of the graph's institutions
        if (ror := _ror(value.strip().rstrip("/"))) is None:
            rejected.append(value.strip())
        elif ror not in found:
            found.append(ror)
    return found, rejected


def _affiliations(value) -> tuple[AffiliationRef, ...]:
    """An author's ``affiliation`` as Crossref's CSL gives it: ``[{"name": ..., "id": [...]}]`` (or plain strings),
    with the ``ror:`` ids of Crossref's ``id`` lists."""
    found: list[AffiliationRef] = []
    for entry in _affiliation_list(value):
        name = _text(entry.get("name") if isinstance(entry, dict) else entry)
        ids = tuple(_ror_ids(entry)[0])
        same = next((i for i, a in enumerate(found) if name and a.name == name), None)
        if same is not None:  # the same name twice: one affiliation with the ids of both
            found[same] = AffiliationRef(name=name, ids=tuple(dict.fromkeys((*found[same].ids, *ids))))
        elif name or ids:
            found.append(AffiliationRef(name=name, ids=ids))
    return tuple(found)


def _placeholder(person) -> bool:
    if isinstance(person, str):
        return is_etal(person)
    if not isinstance(person, dict) or _text(person.get("given")):
        return False
    written = _text(person.get("literal")) or _text(person.get("family"))
    return written is not None and is_etal(written)


def _ids(item: dict) -> tuple[list[str], list[str]]:
    ids: list[str] = []
    urls: list[str] = []

    def add(found: str | None) -> None:
        if found and found not in ids:
            ids.append(found)

    if isinstance(doi := item.get("DOI"), str):
        add(doi_id(doi))
    if isinstance(url := item.get("URL"), str) and url.strip():
        urls.append(url.strip())
        low = url.lower()
        if "arxiv.org/" in low:
            add(arxiv_id(url))
        elif "doi.org/" in low:
            add(doi_id(url))
    archive = str(item.get("archive") or item.get("publisher") or "").lower()
    for key in ("number", "archive_location", "note", "container-title"):
        value = item.get(key)
        if isinstance(value, str) and ("arxiv" in value.lower() or (key in ("number", "archive_location") and archive == "arxiv")):
            add(arxiv_id(value))
    if isinstance(pmid := item.get("PMID"), (str, int)) and str(pmid).strip().isdigit():
        add(f"pmid:{str(pmid).strip()}")
    return ids, urls


def _records(item, number: int, source: str, line: int = 0, crossref: bool = False) -> Iterator[PaperRecord | Problem]:
    """The record of one item and a problem for each author entry that names nobody (``null``, ``17``, ``{}``),
    for an impossible or missing date, for an ORCID failing its check digit and an affiliation's ROR id that is none.

    ``crossref``: the item is a work of a Crossref API response (a work without a date is reported).
    """
    dropped: list[int] = []
    notes: list[str] = []
    found = _record(item, number, source, dropped, notes, crossref)
    if line:  # a record keeps its number too; a problem is named by its line alone, as the others below
        found = found.model_copy(update={"line": line} if isinstance(found, PaperRecord) else {"line": line, "record": None})
    yield found
    for note in notes:
        yield Problem(source=source, line=line, record=None if line else number, message=note)
    if dropped:
        where = ", ".join(map(str, dropped[:5])) + (f" and {len(dropped) - 5} more" if len(dropped) > 5 else "")
        yield Problem(source=source, line=line, record=None if line else number,
                      message=f"author entr{'ies' if len(dropped) > 1 else 'y'} {where} name{'' if len(dropped) > 1 else 's'} nobody; skipped")
    people = item.get("author") if isinstance(item, dict) else None
    for entry, person in enumerate(people if isinstance(people, list) else [people] if isinstance(people, dict) else [], 1):
        value = (person.get("ORCID") or person.get("orcid")) if isinstance(person, dict) else None
        if isinstance(value, str) and value.strip() and orcid_id(value) is None:
            yield Problem(source=source, line=line, record=None if line else number,
                          message=f"author entry {entry}: ORCID {value.strip()!r} fails its check digit; not used")
        affiliations = _affiliation_list(person.get("affiliation")) if isinstance(person, dict) else []
        for value in (value for affiliation in affiliations for value in _ror_ids(affiliation)[1]):
            yield Problem(source=source, line=line, record=None if line else number,
                          message=f"author entry {entry}: affiliation ROR id {value!r} is no ROR id; not used")


def _record(item, number: int, source: str, dropped: list[int] | None = None, notes: list[str] | None = None,
            crossref: bool = False) -> PaperRecord | Problem:
    if not isinstance(item, dict):
        return Problem(source=source, line=0, record=number, message=f"item is a JSON {type(item).__name__}, not an object")
    title = _text(item.get("title"))
    if not title:
        key = str(item.get("id") or "")[:40]
        return Problem(source=source, line=0, record=number, message=f"item {key} has no title" if key else "item has no title")
    authors: list[AuthorRef] = []
    people = written = item.get("author")
    if isinstance(people, dict):  # one person not wrapped in a list
        people = [people]
    elif isinstance(people, str):  # hand-written: "Smith, John; Doe, Jane" or BibTeX's "... and ..."
        people = _PEOPLE_SEPARATOR.split(people) if ";" in people else split_and(people)
    truncated = False
    strings: list[int] = []  # entries of a list written as strings, not name objects
    if isinstance(people, list):
        for entry, person in enumerate(people, 1):
            if _placeholder(person):  # {"literal": "et al."}, {"family": "others"}: the list is cut here
                truncated = True
                continue
            ref = _author(person, len(authors))
            if ref is not None:
                authors.append(ref)
                if type(person) is str and people is written:
                    strings.append(entry)
            elif dropped is not None:
                dropped.append(entry)
    if notes is not None and (strings or isinstance(written, str) and authors):
        # not CSL-JSON's form (a list of name objects, "literal" for a name not in parts), but a name is plain:
        # read as BibTeX and RIS read a name string, and said
        names = ", ".join(repr(a.name) for a in authors[:3]) + (" ..." if len(authors) > 3 else "")
        what = ("author is a string, not a list of names" if isinstance(written, str) else
                f"author entr{'ies' if len(strings) > 1 else 'y'} {', '.join(map(str, strings[:5]))} "
                f"{'are strings, not name objects' if len(strings) > 1 else 'is a string, not a name object'}")
        notes.append(f"{what} (CSL-JSON writes {{\"family\": ..., \"given\": ...}} or {{\"literal\": ...}}); read as {names}")
    ids, urls = _ids(item)
    field, year, date, impossible = _publication_date(item)
    if impossible is not None and notes is not None:
        notes.append(f"impossible date {impossible!r} in {field}; read the year only")
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:  # the year rule of the BibTeX and RIS readers
        if notes is not None:
            notes.append(f"year {year} in {field} is not between {FIRST_YEAR} and {LAST_YEAR}; read without a year")
        year = date = None
    elif year is None and notes is not None:
        if (written := _issued_text(item.get("issued"))) and (why := read_year(written)[1]) is not None:
            notes.append(f"issued {written!r} {why}; read without a year")
        elif crossref or any(key in item for key in _CROSSREF_FIELDS):
            notes.append(_no_date(item))
    csl_type = str(item.get("type") or "").lower()
    kind = _KINDS.get(csl_type) or _CROSSREF_KINDS.get(csl_type, "other")
    if csl_type == "posted-content":
        kind = _POSTED_KINDS.get(str(item.get("subtype") or "").lower(), kind)
    ids = list(with_arxiv_dois(ids))
    server = (_text(item.get("container-title")) or _text(item.get("publisher")) or "").lower()
    if kind == "article" and csl_type == "article" and (any(i.startswith("arxiv:") for i in ids) or server.startswith(_PREPRINT_SERVERS)):
        kind = "preprint"  # CSL's plain "article" is what Zotero writes for a preprint
    venue = _text(item.get("container-title")) or _text(item.get("event-title")) or _text(item.get("event"))
    if kind == "preprint" and venue is None:
        venue = _text(item.get("publisher"))
    pages = _text(item.get("page")) or _text(item.get("page-first")) or _text(item.get("article-number"))
    if pages is None and csl_type == "article-journal":
        pages = _text(item.get("number"))  # an article number where the journal has no pages (e1234, 103456)
    return PaperRecord(
        title=title,
        ids=with_arxiv_dois(ids),
        year=year,
        date=date,
        venue=venue,
        kind=kind,
        abstract=_text(item.get("abstract")),
        urls=tuple(urls),
        authors=tuple(authors),
        authors_truncated=truncated,
        source=source,
        source_format=FORMAT,
        record=number,
        volume=_text(item.get("volume")),
        issue=_text(item.get("issue")),
        pages=pages,
    )


def _item_lines(data: bytes, opened: int, items: list) -> list[int] | None:
    """The line where each item of the JSON array opened at ``data[opened]`` starts (``items``: the array parsed);
    None when they do not each start a line of their own (the array on one line, two items on a line).

    A pretty-printed array has its first item at the start of a line (after
    its indentation) and every other one at the start of a line with the
    same indentation, after a comma; lines are counted up to each. Strings
    hold no line breaks (JSON escapes them), so every line starts in the
    structure, and deeper values are indented further. Each item found must
    start as the parsed item does (``{`` an object, ``"`` a string...).

    >>> items = [{"title": "A", "author": [{"family": "X"}]}, {"title": "B"}, 3, "C"]
    >>> text = b'[\\n  {"title": "A",\\n   "author": [\\n     {"family": "X"}]},\\n  {"title": "B"},\\n  3, "C"\\n]'
    >>> _item_lines(text, 0, items), _item_lines(text.replace(b'3, "C"', b'3,\\n  "C"'), 0, items)
    (None, [2, 5, 6, 7])
    """
    first = _BLANK.match(data, opened + 1).end()
    line_start = data.rfind(b"\n", 0, first) + 1
    if not items or line_start <= opened:  # the first item on the line of the "["
        return None
    next_item = re.compile(rb"\n" + re.escape(data[line_start:first]) + rb"(?=[^ \t\r\n\]}])")
    starts = [first]
    for m in next_item.finditer(data, first):
        if len(starts) == len(items):
            break
        at = m.end()
        before = at - 1
        while data[before] in b" \t\r\n":
            before -= 1
        if data[before] != 44:  # not after a comma: the value of a key written on its own line, not an item
            return None
        starts.append(at)
    if len(starts) != len(items) or any(data[at] not in _STARTS.get(type(item), b"") for at, item in zip(starts, items)):
        return None
    lines: list[int] = []
    line, counted = 1, 0
    for at in starts:
        line += data.count(b"\n", counted, at)
        counted = at
        lines.append(line)
    return lines


def _line_ends(text: str, start: int, end: int) -> int:
    """The line ends (``\\n``, ``\\r\\n`` or a lone ``\\r``, as :func:`~graphkit.readers._text.iter_lines` counts
    them) in ``text[start:end]``; neither bound may split a ``\\r\\n``."""
    newlines = text.count("\n", start, end)
    returns = text.count("\r", start, end)
    return newlines + returns - text.count("\r\n", start, end) if returns else newlines


_WHITESPACE = re.compile(r"[ \t\r\n]*")
_LINE_HEAD = re.compile(r"[ \t]*[\[,]?[ \t]*")  # what may stand before an item on its line
_SCANNER = json.JSONDecoder()


class _Walk(NamedTuple):
    """What :func:`_walk_array` finds: the (start, end) offsets of the array's complete items, how it ended
    (``"closed"`` at its ``]``; ``"end"``: the text ended between two items; ``"cut"``: it ended after a number,
    which may have been cut; ``"error"``: an item could not be read; ``"separator"``: no ``,`` or ``]`` after an
    item) and where it stopped."""

    spans: list[tuple[int, int]]
    how: str
    stop: int


def _walk_array(text: str, opened: int) -> _Walk:
    """The items of the JSON array opened at ``text[opened]``, found one by one (the array need not be whole:
    a cut-off file's complete items are found up to the cut). An item ends with its value; a number with
    nothing after it may have been cut (``20`` of ``2023``) and is not complete.

    >>> _walk_array('[{"a": 1}\\n , "b", 3', 0)
    _Walk(spans=[(1, 9), (13, 16)], how='cut', stop=18)
    >>> _walk_array('[{"a": 1} {"b": 2}]', 0), _walk_array('[1, 2] ', 0)
    (_Walk(spans=[(1, 9)], how='separator', stop=10), _Walk(spans=[(1, 2), (4, 5)], how='closed', stop=6))
    """
    spans: list[tuple[int, int]] = []
    at = _WHITESPACE.match(text, opened + 1).end()
    if text.startswith("]", at):
        return _Walk(spans, "closed", at + 1)
    while True:
        if at >= len(text):
            return _Walk(spans, "end", at)
        try:
            end = _SCANNER.raw_decode(text, at)[1]
        except json.JSONDecodeError:
            return _Walk(spans, "error", at)
        after = _WHITESPACE.match(text, end).end()
        if after >= len(text):  # "]" or "," not there: complete only if the value says so
            if text[end - 1] in '}]"el':  # an object, array, string, true, false or null ends so
                spans.append((at, end))
                return _Walk(spans, "end", after)
            return _Walk(spans, "cut", at)
        spans.append((at, end))
        if text[after] == "]":
            return _Walk(spans, "closed", after + 1)
        if text[after] != ",":
            return _Walk(spans, "separator", after)
        at = _WHITESPACE.match(text, after + 1).end()


def _own_lines(text: str, spans: Sequence[tuple[int, int]], cut: int | None = None) -> list[int] | None:
    """The line each item of ``spans`` starts on; None unless each item starts a line of its own (after its
    indentation, and a ``[`` or a leading comma), ``cut`` too (where an item cut off starts): in an array on one
    line, or with two items on a line, no line is sure and the items are named by their numbers.

    >>> text = '[{"a": 1},\\n\\t2\\r , 3\\r\\n]'
    >>> _own_lines(text, _walk_array(text, 0).spans), _own_lines(text, _walk_array(text, 0).spans[:2], cut=text.index("3"))
    ([1, 2, 3], [1, 2])
    >>> _own_lines('[1, 2]', _walk_array('[1, 2]', 0).spans), _own_lines('[\\n1, 2,\\n3]', _walk_array('[\\n1, 2,\\n3]', 0).spans)
    (None, None)
    """
    lines: list[int] = []
    line, counted = 1, 0
    for at in [at for at, _ in spans] + ([cut] if cut is not None else []):
        # the line's start, looked for back to the item before only (a search to the file's start each time would
        # make a large file's walk quadratic): none there, and the two items share a line
        start = max(text.rfind("\n", counted, at), text.rfind("\r", counted, at)) + 1
        if (lines and not start) or _LINE_HEAD.fullmatch(text, start, at) is None:
            return None
        line += _line_ends(text, counted, at)
        counted = at
        lines.append(line)
    return lines[:len(spans)]


def _array_start(data: bytes) -> int | None:
    """The offset of the ``[`` of the array of items in ``data``: the document itself, or the ``items`` of a
    Crossref work-list or of a wrapper; None when there is none."""
    opened = _BLANK.match(data).end()
    if data[opened : opened + 1] == b"[":
        return opened
    found = _ITEMS_ARRAY.search(data) if data[opened : opened + 1] == b"{" else None
    return found.end() - 1 if found else None


def _items(count: int) -> str:
    return f"{count} item{'' if count == 1 else 's'}"


def _gzip_cut(cut: Exception | None) -> str:
    return "truncated gzip file: " if cut is not None else ""


def parse_csljson(stream: BinaryIO, source: str) -> Iterator[PaperRecord | Problem]:
    """Parse a CSL-JSON file into paper records and problems.

    Parameters
    ----------
    stream : BinaryIO
        The file's bytes: UTF-8 JSON (a byte-order mark is allowed).
    source : str
        The file name to put in records and problems.

    Yields
    ------
    PaperRecord or Problem
        One record per item with a title, ``record`` its 1-based position.

    A file cut off inside its array (a cut ``.json.gz``, an interrupted
    download) keeps its complete items; the cut is one problem at the line of
    the item it cut, which is lost. A file that is not JSON further on keeps
    the items before the error.

    Examples
    --------
    >>> import io
    >>> [str(p) for p in parse_csljson(io.BytesIO(b'[{"type": "book"}, 3'), "r.json")]
    ['r.json: record 1: item has no title', 'r.json:1: the file ends inside item 2 (line 1): the 1 item before it kept, item 2 lost']
    >>> [str(p) for p in parse_csljson(io.BytesIO(b'[{"type": "book"}, 3]'), "r.json")]
    ['r.json: record 1: item has no title', 'r.json: record 2: item is a JSON int, not an object']
    """
    data = stream.read()
    cut = cut_off(stream)  # a cut .gz: the data before the cut was read, and the cut is reported here, once
    if b"\\u00" in data and JSON_CONTROL.search(data) is not None:
        # "\u0000" or "\u001b" in a field: dropped from every value read (_text), and said once, at its first line
        controls = ControlChars(source)
        controls.note_json(data)
        yield controls.problem()
    encoding, skip = bom_encoding(data)
    try:
        if encoding not in (None, "utf-8"):
            data = data[skip:].decode(encoding).encode("utf-8")
        else:
            data = data[skip:]
        document = orjson.loads(data)
    except (orjson.JSONDecodeError, UnicodeDecodeError) as exc:
        if isinstance(exc, orjson.JSONDecodeError) and exc.lineno > 1 and _first_line_object(data):
            yield from _json_lines(data, source)  # one item per line, as some tools write CSL
            if cut is not None:
                yield Problem(source=source, line=data.count(b"\n") + 1,
                              message="truncated gzip file; the rest of the file was not read")
            return
        if isinstance(exc, orjson.JSONDecodeError) and (opened := _array_start(data)) is not None:
            yield from _broken_array(data, opened, source, exc, cut)
            return
        line = getattr(exc, "lineno", 0) or 0
        message = getattr(exc, "msg", None) or str(exc)
        if isinstance(exc, orjson.JSONDecodeError):
            message = f"{message} (line {exc.lineno}, column {exc.colno})"
        if cut is not None:
            message = f"{message}; truncated gzip file, the rest of the file was not read"
        yield Problem(source=source, line=line, message=f"not valid JSON: {message}")
        return
    crossref = False
    opened = _BLANK.match(data).end()  # where the array of items starts, when the document is one
    if isinstance(document, dict) and "message-type" in document and "message" in document:
        # a Crossref REST API response: one work ("work") or a page of them ("work-list", in message.items)
        what, message = document.get("message-type"), document.get("message")
        if what == "work" and isinstance(message, dict):
            document = message
        elif what == "work-list" and isinstance(message, dict) and isinstance(message.get("items"), list):
            document = message["items"]
        else:
            yield Problem(source=source, line=0, message=f"a Crossref API response of {str(what)[:40]!r}, not of works: nothing read")
            return
        crossref = True
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        document = document["items"]  # a wrapper some tools write around the array
    if isinstance(document, dict):
        document = [document]  # one item: record 1, the file's only one
        lines = None
    elif not isinstance(document, list):
        yield Problem(source=source, line=0, message=f"CSL-JSON is an array of items, not a JSON {type(document).__name__}")
        return
    else:
        if data[opened : opened + 1] != b"[":  # the array of a Crossref work-list or of a wrapper
            found = _ITEMS_ARRAY.search(data)
            opened = found.end() - 1 if found else None
        lines = _item_lines(data, opened, document) if opened is not None else None
        if lines is None and opened is not None and len(document) > 1 and (
                data.find(b"\n", opened, end := len(data.rstrip())) >= 0 or data.find(b"\r", opened, end) >= 0):
            # not one item a line with one indentation (mixed indentation, leading commas, CR line ends): each item
            # found where it starts, named by its line unless two items start on one line
            text = data.decode("utf-8")
            walk = _walk_array(text, len(data[:opened].decode("utf-8")))
            if len(walk.spans) == len(document):
                lines = _own_lines(text, walk.spans)
    for number, item in enumerate(document, 1):
        yield from _records(item, number, source, lines[number - 1] if lines else 0, crossref=crossref)
    if cut is not None:  # the JSON is whole: only the end of the gzip stream (its checksum) is missing
        yield Problem(source=source, line=data.count(b"\n") + 1,
                      message=f"truncated gzip file after the whole JSON: all {len(document)} items read, the data unchecked "
                              "(the gzip checksum is missing)")


def _broken_array(data: bytes, opened: int, source: str, exc: orjson.JSONDecodeError,
                  cut: Exception | None) -> Iterator[PaperRecord | Problem]:
    """The complete items of an array that is cut off or not JSON further on (opened at ``data[opened]``), and
    one problem for where the file stops being readable: the line of the item cut off (lost) or of the error."""
    text = codecs.getincrementaldecoder("utf-8")("replace").decode(data, final=False)  # a character cut at the end
    start = len(data[:opened].decode("utf-8", "replace"))
    walk = _walk_array(text, start)
    crossref = _CROSSREF_WORKS.search(data, 0, opened) is not None
    lines = _own_lines(text, walk.spans, walk.stop if walk.how in ("cut", "error") else None)
    kept = 0
    lines = lines or [0] * len(walk.spans)
    for number, (span, line) in enumerate(zip(walk.spans, lines), 1):
        try:
            item = orjson.loads(text[span[0]:span[1]])
        except orjson.JSONDecodeError as bad:  # what orjson refuses and Python's json takes (NaN, a lone surrogate)
            yield Problem(source=source, line=line, record=None if line else number,
                          message=f"item {number} is not valid JSON: {bad.msg}; skipped")
            continue
        kept += 1
        yield from _records(item, number, source, line, crossref=crossref)
    count = len(walk.spans)
    before = f"the {_items(kept)} before it" if kept else "no item before it"
    at_line = 1 + _line_ends(text, 0, walk.stop)
    rest = ", and the rest of the file not read" if cut is not None else ""
    if walk.how == "closed":  # the array is whole: is what is around it (nothing, a wrapper) whole too?
        after = len(text[:walk.stop].encode("utf-8"))
        try:
            orjson.loads(data[:opened] + b"[]" + data[after:])
        except orjson.JSONDecodeError as around:
            at = around.pos - opened - 2 + after if around.pos >= opened + 2 else around.pos
            at_line = data.count(b"\n", 0, at) + 1
            if around.msg == "unexpected end of data":
                message = f"{_gzip_cut(cut)}the file ends after the array of items (line {at_line}): all {_items(kept)} kept{rest}"
            else:
                message = f"not valid JSON after the array of items (line {at_line}): {around.msg}; all {_items(kept)} kept{rest}"
        else:  # only items that were not JSON, each reported above
            if cut is not None:
                yield Problem(source=source, line=at_line, message=f"truncated gzip file after the whole JSON: {kept} items "
                                                                   "read, the data unchecked (the gzip checksum is missing)")
            return
    elif walk.how == "cut":
        message = f"{_gzip_cut(cut)}the file ends inside item {count + 1} (line {at_line}): {before} kept, item {count + 1} lost{rest}"
    elif walk.how == "end" and not count:
        message = f"{_gzip_cut(cut)}the file ends inside the array of items (line {at_line}), before its first item{rest}"
    elif walk.how == "end":  # the text ends between two items
        message = (f"{_gzip_cut(cut)}the file ends after item {count} (line {at_line}), the array not closed: "
                   f"{_items(kept)} kept{rest}")
    elif walk.how == "separator":
        message = (f"not valid JSON after item {count} (line {at_line}): no ',' or ']' after it; {_items(kept)} kept, "
                   "the rest of the file not read")
    else:  # stopped at item count + 1, or right after item count: cut off there, or not JSON
        try:
            orjson.loads(text[walk.stop:])
            why, at = exc.msg, 0  # Python's json refuses what orjson takes: orjson's word on the whole file
        except orjson.JSONDecodeError as bad:
            why, at = bad.msg, bad.pos
        if why == "unexpected end of data":
            message = f"{_gzip_cut(cut)}the file ends inside item {count + 1} (line {at_line}): {before} kept, item {count + 1} lost{rest}"
        else:
            upto = text[walk.stop:].encode("utf-8")[:at].decode("utf-8", "replace")
            at_line += _line_ends(upto, 0, len(upto))
            message = f"not valid JSON at item {count + 1} (line {at_line}): {why}; {before} kept, the rest of the file not read"
    yield Problem(source=source, line=at_line, message=message)


def _first_line_object(data: bytes) -> bool:
    first = data.lstrip().split(b"\n", 1)[0]
    try:
        return isinstance(orjson.loads(first), dict)
    except orjson.JSONDecodeError:
        return False


def _json_lines(data: bytes, source: str) -> Iterator[PaperRecord | Problem]:
    """CSL items one per line (JSON Lines): ``record`` counts the items, ``line`` is the item's line.

    >>> import io
    >>> text = b'{"type": "book", "title": "A"}\\n\\n{"type": "book", "title": "B"\\n{"type": "book", "title": "C"}\\n'
    >>> [str(r) if isinstance(r, Problem) else (r.title, r.line, r.record) for r in parse_csljson(io.BytesIO(text), "i.jsonl")]
    [('A', 1, 1), 'i.jsonl:3: not valid JSON: unexpected end of data', ('C', 4, 3)]
    """
    number = 0
    for line_number, line in enumerate(data.split(b"\n"), 1):
        if not line.strip():
            continue
        number += 1
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield Problem(source=source, line=line_number, message=f"not valid JSON: {exc.msg}")
            continue
        yield from _records(item, number, source, line_number)


def read_csljson(path) -> Iterator[PaperRecord | Problem]:
    """Read a CSL-JSON file (``.gz`` too): see :func:`parse_csljson`."""
    with open_input(path) as stream:
        yield from parse_csljson(stream, str(path))


parse = parse_csljson
read = read_csljson
