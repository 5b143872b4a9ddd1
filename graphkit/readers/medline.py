"""PubMed exports in MEDLINE ("PubMed") format: ``pubmed-<query>-set.txt`` (Save), ``.nbib`` (Cite).

One record per PubMed citation, records separated by blank lines; each line
is a tag of up to four letters padded to four characters, a hyphen, a space
and the value (``PMID- 32015507``, ``TI  - ...``, ``FAU - Zhou, Peng``); a line
starting with spaces continues the value above it. Read line by line (a file
is never held whole); each record keeps the line of its ``PMID``.

Tags read:

- authors in file order: ``FAU`` (``Zhou, Peng``) with the ``AU`` after it
  (``Zhou P``), or ``AU`` alone (records before 2002 have no ``FAU``);
  ``CN`` (a collective name, ``COVID-19 Genomics UK (COG-UK) Consortium``)
  is a group author in its place. ``AUID`` (``ORCID: 0000-...``) and ``AD``
  belong to the author whose ``FAU``/``AU``/``CN`` comes before them (several
  ``AD`` per author); an ``AD`` before any author (older records: one address
  for the whole paper) is the paper's affiliation. Editors (``FED``/``ED``) and
  investigators (``FIR``/``IR``) are never authors.
- ``PMID`` (``pmid:``); DOIs from ``LID``/``AID`` values marked ``[doi]``;
  ``PMC`` as a PubMed Central link; title ``TI`` (the period MEDLINE adds is
  dropped), a book's ``BTI`` when there is no ``TI``; ``AB``; venue ``JT``, else
  ``TA``, a chapter's book ``BTI``; year from ``DP`` (``2020 Mar``, ``2019
  Winter``, ``2020 Jan-Feb``; ``DEP`` when ``DP`` has none) and a date only
  when ``DP`` gives the day (``2020 Mar 12``); ``PT`` gives ``kind``; ``VI``
  volume, ``IP`` issue, ``PG`` pages (``270-273``, MEDLINE's ``270-3``, or
  an article number). Values lose inline formatting tags (``<i>``), and
  character references are decoded.
  Addresses lose e-mail addresses and get a country code when they end in a
  country.
- Problems: a record without a title (skipped), a line that is neither a
  tag nor an indented continuation (skipped), lines before the first record,
  a ``DP`` without a year or with an impossible day, a ``PMID`` that is not a
  number, an ``AUID`` ORCID whose check digit fails.

>>> import io
>>> text = b'''PMID- 32015507
... DP  - 2020 Mar
... TI  - A pneumonia outbreak associated with a new coronavirus of probable bat
...       origin.
... LID - 10.1038/s41586-020-2012-7 [doi]
... FAU - Zhou, Peng
... AU  - Zhou P
... AD  - CAS Key Laboratory of Special Pathogens and Biosafety, Wuhan Institute of
...       Virology, Chinese Academy of Sciences, Wuhan, China.
... FAU - Shi, Zheng-Li
... AU  - Shi ZL
... AUID- ORCID: 0000-0001-8089-163X
... PT  - Journal Article
... JT  - Nature
... '''
>>> [rec] = parse_medline(io.BytesIO(text), "pubmed-set.txt")
>>> rec.title, rec.ids, rec.year, rec.kind, rec.venue
('A pneumonia outbreak associated with a new coronavirus of probable bat origin', ('pmid:32015507', 'doi:10.1038/s41586-020-2012-7'), 2020, 'article', 'Nature')
>>> [(a.given, a.family, a.ids, [f.country for f in a.affiliations]) for a in rec.authors]
[('Peng', 'Zhou', (), ['CN']), ('Zheng-Li', 'Shi', ('orcid:0000-0001-8089-163X',), [])]
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from typing import BinaryIO

from graphkit.models import AffiliationRef, AuthorRef, PaperRecord, Problem
from graphkit.readers._countries import country_code
from graphkit.readers._files import bom_encoding, open_input
from graphkit.readers._ids import doi_id, orcid_id, with_arxiv_dois
from graphkit.readers._names import is_etal, last_first_suffix, split_name
from graphkit.readers._text import iter_lines, stray_line, stray_problem, strip_markup, unescape_entities

__all__ = ["FORMAT", "SUFFIXES", "parse", "parse_medline", "read", "read_medline", "sniff"]

FORMAT = "medline"
SUFFIXES = (".nbib", ".medline")

# A tag of two to four capitals (a digit may follow the first), padded with spaces, a hyphen: "PMID- ", "TI  - ".
_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {0,3}-(?: (.*)|\s*)$")
_SNIFF_FIRST = re.compile(r"^PMID ?- ?\d")
_SNIFF_MORE = re.compile(r"(?m)^(?:TI  |BTI |FAU |AU  |DP  |SO  )- ")
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_YEAR = re.compile(r"^\s*(\d{4})\b")
_DAY_DATE = re.compile(r"^(\d{4}) ([A-Za-z]{3,9})\.? (\d{1,2})$")
_MARKER = re.compile(r"\s*\[([A-Za-z]+)\]\s*$")
_EMAIL = re.compile(r"[\s.;,]*(?:Electronic address:\s*)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\.?\s*$", re.I)
_SHORT = re.compile(r"^(.+?)\s+([A-Z]{1,4})$")  # AU: "Zhou P", "de Souza Santos MA"
_SUFFIX = frozenset("Jr Sr 2nd 3rd 4th II III".split())
_EDITORS = frozenset(("FED", "ED", "FIR", "IR"))  # people who are not authors: their AD and AUID are not read

_PT_KINDS = (  # the first publication type found decides, in this order
    ("preprint", "preprint"), ("book chapter", "chapter"), ("book", "book"), ("congress", "inproceedings"),
    ("dataset", "dataset"), ("technical report", "report"),
)  # fmt: skip


def sniff(head: bytes) -> bool:
    """Whether ``head`` looks like MEDLINE: ``PMID-`` first (after blank lines), and other MEDLINE tags.

    >>> sniff(b"\\nPMID- 32015507\\nOWN - NLM\\nTI  - A pneumonia outbreak.\\n"), sniff(b"TY  - JOUR\\nTI  - x\\n")
    (True, False)
    >>> sniff(b"PMID- 1\\nnot a tag\\n"), sniff("PMID- 1\\nFAU - Lee, Ann\\n".encode("utf-16"))
    (False, True)
    """
    encoding, skip = bom_encoding(head)
    text = head[skip:].decode(encoding or "utf-8", "replace").lstrip("\r\n\t ")
    return _SNIFF_FIRST.match(text) is not None and _SNIFF_MORE.search(text.replace("\r", "\n")) is not None


def _title(value: str) -> str:
    """A title without the period MEDLINE ends every title with (an ellipsis kept).

    >>> _title("A new coronavirus of probable bat origin."), _title("Is it safe?"), _title("And so on...")
    ('A new coronavirus of probable bat origin', 'Is it safe?', 'And so on...')
    """
    if value.endswith(".") and not value.endswith(".."):
        return value[:-1].rstrip()
    return value


def _person(full: str | None, short: str | None) -> tuple[str, str | None, str | None] | None:
    """(name, given, family) from ``FAU`` (``Zhou, Peng``), else ``AU`` (``Zhou P``); None for no name.

    >>> _person("Shi, Zheng-Li", "Shi ZL"), _person(None, "de Souza Santos MA")
    (('Zheng-Li Shi', 'Zheng-Li', 'Shi'), ('M. A. de Souza Santos', 'M. A.', 'de Souza Santos'))
    >>> _person("Roberts, Richard J Jr", None), _person(None, "Roberts RJ Jr")
    (('Richard J Roberts Jr', 'Richard J', 'Roberts'), ('R. J. Roberts Jr', 'R. J.', 'Roberts'))
    """
    if full:
        raw = full
    elif short:
        words = short.split()
        raw = short
        if len(words) > 2 and words[-1] in _SUFFIX:
            words, suffix = words[:-1], words[-1]
        else:
            suffix = None
        if m := _SHORT.match(" ".join(words)):
            initials = " ".join(c + "." for c in m[2])
            raw = f"{m[1]}, {initials}" + (f", {suffix}" if suffix else "")
    else:
        return None
    family, comma, given = raw.partition(",")
    words = given.split()
    if comma and "," not in given and len(words) > 1 and words[-1] in _SUFFIX:
        raw = f"{family}, {' '.join(words[:-1])}, {words[-1]}"  # "Roberts, Richard J Jr": the suffix is no given name
    person = split_name(last_first_suffix(raw))
    return (person.name, person.given, person.family) if person.name else None


def _affiliation(value: str) -> AffiliationRef | None:
    """An ``AD`` address without the e-mail PubMed keeps at its end, with a country code when it ends in a country.

    >>> _affiliation("Wuhan Institute of Virology, Wuhan, China. Electronic address: zlshi@wh.iov.cn.")
    AffiliationRef(name='Wuhan Institute of Virology, Wuhan, China', ids=(), country='CN')
    """
    name = unescape_entities(" ".join(strip_markup(value).split()))
    while (m := _EMAIL.search(name)) is not None and m.start() > 0:
        name = name[:m.start()]
    name = name.rstrip(" .;,")
    if not name:
        return None
    return AffiliationRef(name=name, country=country_code(name.rsplit(",", 1)[-1]))


def _kind(types: list[str], has_title: bool, book: bool, journal: bool) -> str:
    low = [t.lower() for t in types]
    for word, kind in _PT_KINDS:
        if word in low:
            return kind
    if book:  # a Bookshelf record: a chapter has its own TI, a whole book only its BTI
        return "chapter" if has_title else "book"
    return "article" if journal or low else "other"


def _dates(value: str | None, line: int, epub: str | None, source: str) -> tuple[int | None, _dt.date | None, list[Problem]]:
    """The year and (when the day is given) date of a ``DP`` value, and its problem.

    >>> _dates("2020 Mar 12", 5, None, "p.txt")[:2], _dates("2019 Winter", 5, None, "p.txt")[:2]
    ((2020, datetime.date(2020, 3, 12)), (2019, None))
    >>> year, date, [problem] = _dates("2021 Feb 30", 5, None, "p.txt"); year, date, str(problem)
    (2021, None, "p.txt:5: impossible date '2021 Feb 30' in DP; read the year only")
    """
    problems: list[Problem] = []
    year = date = None
    if value is not None:
        if m := _YEAR.match(value):
            year = int(m[1])
        elif value.strip():
            problems.append(Problem(source=source, line=line, message=f"no year in DP {value.strip()!r}"))
        if year is not None and (m := _DAY_DATE.match(value.strip())):
            month = _MONTHS.get(m[2][:3].lower())
            try:
                date = _dt.date(year, month or 0, int(m[3]))
            except ValueError:
                problems.append(Problem(source=source, line=line, message=f"impossible date {value.strip()!r} in DP; read the year only"))
    if year is None and epub and (m := _YEAR.match(epub)):
        year = int(m[1])  # DEP: 20200203, the electronic publication
    return year, date, problems


def _record(entries: list[list], source: str, start: int) -> Iterator[PaperRecord | Problem]:
    """The record of one block of ``TAG - value`` entries (``[tag, line, value]``), after its problems;
    or the problem that it has no title."""
    def first(*tags: str) -> str | None:
        for tag in tags:
            for entry in entries:
                if entry[0] == tag and entry[2].strip():
                    return unescape_entities(" ".join(strip_markup(entry[2]).split()))
        return None

    pmid = first("PMID")
    title = first("TI") or first("BTI") or first("TT")
    if not title:
        which = f" (PMID {pmid})" if pmid else ""
        yield Problem(source=source, line=start, message=f"record{which} has no title (TI or BTI); skipped")
        return
    problems: list[Problem] = []
    ids: list[str] = []
    if pmid:
        if pmid.isdigit():
            ids.append(f"pmid:{pmid}")
        else:
            line = next(e[1] for e in entries if e[0] == "PMID")
            problems.append(Problem(source=source, line=line, message=f"PMID {pmid!r} is not a number; not used as an id"))
    people: list[dict] = []
    institutions: list[AffiliationRef] = []
    current: dict | None = None  # the person the AD and AUID lines below belong to
    truncated = False
    for tag, line, raw in entries:
        value = " ".join(raw.split())
        if tag in ("FAU", "CN") or (tag == "AU" and not (current and current["tag"] == "FAU" and current["short"] is None)):
            if tag != "CN" and is_etal(value):
                truncated, current = True, None
                continue
            current = {"tag": tag, "full": value if tag == "FAU" else None, "short": value if tag == "AU" else None,
                       "group": value if tag == "CN" else None, "ids": [], "affiliations": []}
            if value:
                people.append(current)
        elif tag == "AU":
            current["short"] = value
        elif tag in _EDITORS:
            current = {"tag": tag, "short": None}  # their lines below are not read
        elif tag == "AUID" and current is None:
            problems.append(Problem(source=source, line=line, message=f"AUID {value!r} before any author; not used"))
        elif tag == "AUID" and "ids" in current:
            if value.upper().startswith("ORCID"):
                if (found := orcid_id(value)) is None:
                    problems.append(Problem(source=source, line=line, message=f"AUID {value!r} is not a valid ORCID iD; not used"))
                elif found not in current["ids"]:
                    current["ids"].append(found)
        elif tag == "AD" and (address := _affiliation(value)) is not None:
            if current is None:
                if address not in institutions:
                    institutions.append(address)
            elif "affiliations" in current and address not in current["affiliations"]:
                current["affiliations"].append(address)
        elif tag in ("LID", "AID"):
            marker = _MARKER.search(value)
            if (marker is None or marker[1].lower() == "doi") and (doi := doi_id(value)) and doi not in ids:
                ids.append(doi)
    authors: list[AuthorRef] = []
    for person in people:
        extra = {"ids": tuple(person["ids"]), "affiliations": tuple(person["affiliations"]), "position": len(authors)}
        if person["group"]:
            authors.append(AuthorRef(name=person["group"], **extra))
        elif (named := _person(person["full"], person["short"])) is not None:
            name, given, family = named
            authors.append(AuthorRef(name=name, given=given, family=family, **extra))
    dp_line = next((e[1] for e in entries if e[0] == "DP"), start)
    year, date, date_problems = _dates(first("DP"), dp_line, first("DEP"), source)
    has_title = first("TI") is not None
    book = first("BTI") is not None
    journal = first("JT", "TA")
    venue = journal or (first("BTI") if has_title else first("CTI"))
    urls = []
    if (pmc := first("PMC")) and re.fullmatch(r"PMC\d+", pmc):
        urls.append(f"https://www.ncbi.nlm.nih.gov/pmc/articles/{pmc}/")
    yield from problems
    yield from date_problems
    yield PaperRecord(
        title=_title(title),
        ids=with_arxiv_dois(ids),
        year=year,
        date=date,
        venue=venue,
        kind=_kind([e[2].strip() for e in entries if e[0] == "PT"], has_title, book, journal is not None),
        abstract=first("AB"),
        urls=tuple(urls),
        authors=tuple(authors),
        authors_truncated=truncated,
        institutions=tuple(institutions),
        source=source,
        source_format=FORMAT,
        line=start,
        volume=first("VI"),
        issue=first("IP"),
        pages=first("PG"),
    )


def _odd_problem(run: list, source: str) -> Problem:
    first, text, count = run
    what = "line is" if count == 1 else f"{count} lines are"
    return Problem(source=source, line=first, message=(
        f"{what} neither 'TAG - value' nor an indented continuation; skipped{'' if count == 1 else ', the first'}: {text!r}"))


def parse_medline(stream: BinaryIO, source: str) -> Iterator[PaperRecord | Problem]:
    """Parse a MEDLINE file into paper records and problems, line by line.

    Parameters
    ----------
    stream : BinaryIO
        The file's bytes (UTF-8, with or without a byte-order mark).
    source : str
        The file name to put in records and problems.

    Yields
    ------
    PaperRecord or Problem
        One record per blank-line-separated block (or ``PMID``) with a title, ``line`` its first line.

    Examples
    --------
    >>> import io
    >>> text = b"PMID- 1\\nTI  - A.\\nAU  - Lee K\\nstray words\\n\\nPMID- 2\\nAU  - Nobody N\\n"
    >>> [str(r) if isinstance(r, Problem) else (r.title, r.author_names) for r in parse_medline(io.BytesIO(text), "p.txt")]
    ["p.txt:4: line is neither 'TAG - value' nor an indented continuation; skipped: 'stray words'", ('A', ('K. Lee',)), 'p.txt:6: record (PMID 2) has no title (TI or BTI); skipped']
    """
    entries: list[list] | None = None  # [tag, line, value] of the record being read
    start = 0
    stray: list = []  # lines before any record: [first line, first text, count]
    odd: list = []  # lines in a record that are neither a tag nor a continuation
    for item in iter_lines(stream, source):
        if isinstance(item, Problem):
            yield item
            continue
        number, line = item
        if not line.strip():
            if entries is not None:
                if odd:
                    yield _odd_problem(odd, source)
                    odd = []
                yield from _record(entries, source, start)
                entries = None
            continue
        m = _TAG.match(line)
        if m is None:
            if entries is not None and line[:1].isspace() and entries:
                entries[-1][2] += " " + line.strip()  # a continuation line
            elif entries is not None and not line[:1].isspace():
                odd = stray_line(odd, number, line)
            else:
                stray = stray_line(stray, number, line)
            continue
        if odd:
            yield _odd_problem(odd, source)
            odd = []
        tag, value = m[1], (m[2] or "")
        if entries is not None and tag == "PMID" and any(e[0] == "PMID" for e in entries):
            yield from _record(entries, source, start)  # the next record without a blank line before it
            entries = None
        if entries is None:
            if stray:
                yield stray_problem(stray, source, "PMID")
                stray = []
            entries, start = [], number
        entries.append([tag, number, value])
    if odd:
        yield _odd_problem(odd, source)
    if stray:
        yield stray_problem(stray, source, "PMID")
    if entries is not None:
        yield from _record(entries, source, start)


def read_medline(path) -> Iterator[PaperRecord | Problem]:
    """Read a MEDLINE file (``.gz`` too): see :func:`parse_medline`."""
    with open_input(path) as stream:
        yield from parse_medline(stream, str(path))


parse = parse_medline
read = read_medline
