"""RIS files (``.ris``): EndNote, Zotero, Mendeley, Scopus, PubMed and publisher exports.

A record runs from ``TY`` to ``ER``; each line is a two-character tag, two
spaces, a hyphen, a space and the value; a line without a tag continues the
value before it when that is free text an export may wrap (a title, abstract,
note, keyword, address or list of names: ``_WRAPPED``); after a code (``TY``,
``PY``, ``DO``...) it is reported and skipped, so it never changes the record's
kind or year. Control characters are dropped and reported once per file, and a
binary file is refused (:func:`~graphkit.readers._text.iter_lines`). Read line by line (a file is never held whole), so every
record keeps the line of its ``TY``.

rispy was measured and not used here: it keeps only the first value of a
repeated ``TI`` or ``AD`` (a second affiliation is lost), silently drops a
record that has no ``ER`` and lines outside any record, and reports no line
numbers; RIS is simple enough that the parse below is shorter than the
workarounds would be.

Tags read:

- authors: ``AU`` and ``A1`` (in order, a name given by both once).
  ``A2``/``A3``/``A4``/``ED`` are editors, series editors and translators in
  the RIS specification and in EndNote's and Zotero's exports, so they are
  never authors. Names are ``Last, First[, Suffix]`` or ``First Last``.
  A line naming several people is read by :func:`split_people`: names
  between ``;`` are one author each, and a comma list whose every item is
  ``Family Initials`` (``Smith J, Doe J``, as PubMed writes) is split too;
  either is a problem on its line, and so is a name whose commas suggest
  several people but cannot be split with certainty (read as written). A
  name given for two authors of one record (``AU  - G. Kalbe`` twice, as
  IEEE Xplore exports have it) is kept as listed and reported on the line
  that repeats it: a build counts it as one author.
- title ``TI``, else ``T1``, ``CT``, ``BT``; venue ``JF``, ``JO``, ``T2``, ``J2``,
  ``JA`` (``BT`` for a chapter); year ``PY``/``Y1``/``DA``, date from a full
  ``YYYY/MM/DD``; ids from ``DO``, DOI/arXiv ``UR`` links and a ``WOS:`` ``AN``; ``AD`` are the
  paper's affiliations (RIS does not tie them to one author), with a country
  code when the address ends in a country; abstract
  ``AB``/``N2``; ``TY`` gives ``kind``; ``VL`` the volume, ``IS`` the issue,
  ``SP`` and ``EP`` the pages (``SP-EP``; ``C7``, the article number, when
  neither is given). Inline formatting tags (``<i>``, ``<sup>``) are dropped
  from every value, and character references (``&amp;``) decoded.
- Tags are upper case; a record whose tags are written in lower case
  (``ti  -``, two spaces, a tag RIS defines) is read, with one problem on the
  line of its first such tag.
- Problems: a line outside any record, a record without ``ER`` (kept),
  a record without a title (skipped), an impossible date such as
  ``2021/02/30`` (its line; the year is kept), a ``PY``/``Y1``/``DA`` value
  that is no year (``20x3``) or a year outside :data:`FIRST_YEAR` to
  :data:`LAST_YEAR` (``2999``, ``0012``): its line; the record is read
  without a year (or with the year of another date tag). ``n.d.``,
  ``in press`` and the like say there is no year and are no problem. Date
  tags that give different years (``PY  - 2019``, ``DA  - 2018/05/03/``)
  are a problem on the line of the one not used: the year comes from
  ``PY``, else ``Y1``, else ``DA`` (``PY`` is the publication year; a
  ``DA`` is often the online-first or the access date), and the date only
  from a tag that gives that year, so year and date never disagree.
  :func:`read_year` is the BibTeX reader's rule too.

>>> import io
>>> text = b'''TY  - JOUR
... AU  - Joshi, Mandar
... AU  - Chen, Danqi
... AU  - Liu, Yinhan
... AU  - Weld, Daniel S.
... AU  - Zettlemoyer, Luke
... AU  - Levy, Omer
... TI  - SpanBERT: Improving Pre-training by Representing and Predicting Spans
... T2  - Transactions of the Association for Computational Linguistics
... PY  - 2020
... DO  - 10.1162/tacl_a_00300
... ER  - '''
>>> [rec] = parse_ris(io.BytesIO(text), "spanbert.ris")
>>> rec.author_names[-1], rec.authors[3].given, rec.ids, rec.year, rec.kind, rec.venue
('Omer Levy', 'Daniel S.', ('doi:10.1162/tacl_a_00300',), 2020, 'article', 'Transactions of the Association for Computational Linguistics')
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from typing import BinaryIO

from graphkit.keys import name_key
from graphkit.models import AffiliationRef, AuthorRef, PaperRecord, Problem
from graphkit.readers._countries import country_code
from graphkit.readers._files import open_input
from graphkit.readers._ids import arxiv_id, doi_id, with_arxiv_dois
from graphkit.readers._names import author_ref, is_etal, last_first_suffix
from graphkit.readers._text import iter_lines, stray_line, stray_problem, strip_markup, unescape_entities

__all__ = [
    "FIRST_YEAR", "FORMAT", "LAST_YEAR", "SUFFIXES", "parse", "parse_ris", "read", "read_ris", "read_year", "sniff", "split_people",
]

FORMAT = "ris"
SUFFIXES = (".ris",)

# Two upper-case letters or a letter and a digit, spaces, a hyphen: "TY  - ".
# Lower case is matched too and kept only for a tag RIS defines written with
# two spaces (see _LOWER_TAG): "is - a" in a wrapped abstract stays text.
_TAG = re.compile(r"^([A-Za-z][A-Za-z0-9]) {1,2}-(?: (.*)|\s*)$")
_RIS_TAGS = frozenset(
    "TY ER A1 A2 A3 A4 AB AD AN AU AV BT C1 C2 C3 C4 C5 C6 C7 C8 CA CN CP CT CY DA DB DI DO DP ED EP ET ID IS "
    "J1 J2 JA JF JO KW L1 L2 L3 L4 LA LB LK M1 M2 M3 N1 N2 NV OP PB PP PY RI RN RP SE SN SP ST T1 T2 T3 TA TI "
    "TT U1 U2 U3 U4 U5 UR VL VO Y1 Y2".split()
)
# The tags whose free text an export may wrap over lines (titles, abstracts, notes, keywords, addresses, publisher,
# place, a list of names in one AU): an untagged line after one of them goes on with its value. After any other
# tag (a code: TY, PY, VL, DO...) it is reported and skipped.
_WRAPPED = frozenset("TI T1 T2 T3 BT CT ST TT JO JF JA J1 J2 AB N1 N2 KW AD PB CY AU A1 A2 A3 A4 ED".split())
_SNIFF = re.compile(rb"(?m)(?:^|(?<=\r))(?:\xef\xbb\xbf)?TY {1,2}- ?\S")  # a lone CR ends a line too (old Mac files)
_DATE = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})")

# The years a bibliographic record can have, in both the RIS and the BibTeX
# reader: the range BibTeX's year field has always been read in. A year outside
# it is a typo or a placeholder (2999, 0012), not a year; 2100-2199 stays
# readable so that a fixed rule, not the day a build runs, decides.
FIRST_YEAR = 1500
LAST_YEAR = 2199
# Four digits alone (2019, 2019a, 2020/05/01), or starting eight (20200501).
_YEAR = re.compile(r"(?<!\d)(\d{4})(?:\d{4})?(?!\d)")
# Values that say there is no year (compared lower case, letters and digits only): no problem.
_NO_YEAR = frozenset(
    "nd nodate sd undated inpress forthcoming toappear submitted accepted inpreparation inprep unpublished "
    "preprint unknown na".split()
) | {""}
_NOT_ALNUM = re.compile(r"[\W_]+")


def read_year(value: str) -> tuple[int | None, str | None]:
    """The year a year or date value gives, or None and why (None when the value says there is none).

    The first year from :data:`FIRST_YEAR` to :data:`LAST_YEAR` counts; a
    value without one is reported by the caller with the reason given here.

    >>> read_year("2019a"), read_year("2020/13/45/"), read_year("in press"), read_year(" ")
    ((2019, None), (2020, None), (None, None), (None, None))
    >>> read_year("20x3"), read_year("2999"), read_year("0012")
    ((None, 'is not a year'), (None, 'is not between 1500 and 2199'), (None, 'is not between 1500 and 2199'))
    """
    outside = False
    for m in _YEAR.finditer(value):
        year = int(m[1])
        if FIRST_YEAR <= year <= LAST_YEAR:
            return year, None
        outside = True
    if outside:
        return None, f"is not between {FIRST_YEAR} and {LAST_YEAR}"
    if _NOT_ALNUM.sub("", value.lower()) in _NO_YEAR:
        return None, None
    return None, "is not a year"


_KINDS = {
    "JOUR": "article", "JFULL": "article", "EJOUR": "article", "MGZN": "article", "NEWS": "article",
    "INPR": "article", "ABST": "article", "CONF": "inproceedings", "CPAPER": "inproceedings",
    "BOOK": "book", "EBOOK": "book", "EDBOOK": "book", "CHAP": "chapter", "ECHAP": "chapter",
    "THES": "thesis", "RPRT": "report", "DATA": "dataset", "DBASE": "dataset", "AGGR": "dataset",
    "PREP": "preprint", "PREPRINT": "preprint",
}  # fmt: skip


def sniff(head: bytes) -> bool:
    """Whether ``head`` looks like RIS: a line starting ``TY  -``.

    >>> sniff(b"TY  - JOUR\\nTI  - x\\n"), sniff(b"@article{x,}")
    (True, False)
    """
    return _SNIFF.search(head) is not None


# Generational suffixes, the third part of "Last, First, Suffix" (or BibTeX's middle one).
_SUFFIX = re.compile(r"(?:jr|sr)\.?|ii|iii|iv|v|[2-9](?:nd|rd|th)", re.I)
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?")  # Smith, O'Brien, Smith-Jones, St.


def _initials(word: str) -> bool:
    """Whether ``word`` is one to three initials run together, as PubMed writes them (``J``, ``JA``, ``J.A.``).

    ``II`` and ``III`` are suffixes (``Gates III``); ``IV`` and ``V`` stay initials, as in the name splitter.
    """
    letters = word.replace(".", "").replace("-", "")
    return 0 < len(letters) <= 3 and letters.isalpha() and letters.isupper() and letters not in ("II", "III")


def _family_initials(part: str) -> str | None:
    """``part`` as ``Family, Initials`` when it is written ``Family Initials`` (``Smith J``, ``van der Berg JA``),
    else None: at most three family words, the last capitalised and no initials itself (``LI J`` is not sure)."""
    *family, initials = part.split() or [""]
    if not family or len(family) > 3 or not _initials(initials):
        return None
    if not all(_NAME_WORD.fullmatch(w) for w in family) or not family[-1][0].isupper() or _initials(family[-1]):
        return None
    return f"{' '.join(family)}, {initials}"


def split_people(value: str) -> tuple[list[str], str | None]:
    """The names one ``AU``/``A1`` value holds, and what to report about it (None for one plain name).

    Names between ``;`` are one author each (a ``;`` is never part of a
    name). A comma list is split only when each of its items is written
    ``Family Initials`` (so are names between ``;`` when each is); any other
    name with more commas than ``Last, First, Suffix`` has, or whose family
    part ends in initials, is kept as written and reported, since it may be
    several people.

    >>> split_people("Smith, John; Doe, Jane; Roe, Rick")
    (['Smith, John', 'Doe, Jane', 'Roe, Rick'], "lists 3 names separated by ';'; read as 3 authors")
    >>> split_people("Smith J, Doe JA, van der Berg J")
    (['Smith, J', 'Doe, JA', 'van der Berg, J'], "lists 3 names written 'Family Initials' and separated by commas; read as 3 authors")
    >>> split_people("Steele, Guy L., Jr."), split_people("Smith, Mary A"), split_people("Ng A")
    ((['Steele, Guy L., Jr.'], None), (['Smith, Mary A'], None), (['Ng A'], None))
    >>> split_people("John Smith, Jane Doe, Rick Roe")
    (['John Smith, Jane Doe, Rick Roe'], 'has 2 commas and may name several people; read as one name')
    >>> split_people("Smith J; Doe J")
    (['Smith, J', 'Doe, J'], "lists 2 names separated by ';'; read as 2 authors")
    >>> split_people("Lee, K.;"), split_people("O&#39;Brien, Pat")
    ((['Lee, K.'], "has a stray ';'; read as 'Lee, K.'"), (["O'Brien, Pat"], None))
    >>> split_people("LI J, WANG X")  # "LI" may be initials: not split, but reported
    (['LI J, WANG X'], 'has 1 comma and may name several people; read as one name')
    >>> split_people("Petrov IV, Smith V")[0], split_people("Gates III, William")
    (['Petrov, IV', 'Smith, V'], (['Gates III, William'], None))
    """
    text = unescape_entities(" ".join(value.split()))  # "O&#39;Brien": an entity's ";" separates nobody
    if ";" not in text:
        return _comma_people(text)
    pieces = [p.strip() for p in text.split(";") if p.strip()]
    if len(pieces) > 1 and all(inverted := [_family_initials(p) for p in pieces]):
        return inverted, f"lists {len(pieces)} names separated by ';'; read as {_as_authors(inverted)}"
    names: list[str] = []
    doubts = ""
    for piece in pieces:
        found, note = _comma_people(piece)
        names.extend(found)
        if len(found) == 1 and note:
            doubts += f"; {piece!r} {note}"
    if len(names) == 1:
        return names, f"has a stray ';'; read as {names[0]!r}{doubts}"
    return names, f"lists {len(names)} names separated by ';'; read as {_as_authors(names)}{doubts}"


def _as_authors(names: list[str]) -> str:
    """How many authors ``names`` are, ``et al.`` not one of them."""
    people = sum(not is_etal(name) for name in names)
    cut = ", the list cut" if people < len(names) else ""
    return f"{people} author{'s' if people != 1 else ''}{cut}"


def _comma_people(text: str) -> tuple[list[str], str | None]:
    """The names of one ``;``-free name: see :func:`split_people`."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 2:
        return [text], None
    inverted = [_family_initials(p) for p in parts]
    if all(inverted):
        return inverted, f"lists {len(parts)} names written 'Family Initials' and separated by commas; read as {len(parts)} authors"
    suffixed = len(parts) == 3 and any(_SUFFIX.fullmatch(p) for p in parts[1:])
    family = parts[0].split()
    if len(parts) > 3 or (len(parts) == 3 and not suffixed) or (len(family) > 1 and _initials(family[-1])):
        return [text], f"has {len(parts) - 1} comma{'s' if len(parts) > 2 else ''} and may name several people; read as one name"
    return [text], None


def _record(tags: dict[str, list[str]], source: str, line: int) -> Iterator[PaperRecord | Problem]:
    """The record of one ``TY`` ... ``ER`` after the problems met in it (in line order), or the problem that it
    has no title."""
    year, date, problems = _dates(tags, source)
    authors, truncated, name_problems = _authors(tags, source)
    paper = _paper(tags, source, line, year, date, authors, truncated)
    if isinstance(paper, PaperRecord):
        if lower := tags.get(_LOWER_TAGS):
            written = list(dict.fromkeys(tag for _, tag in lower))
            problems.append(Problem(source=source, line=lower[0][0], message=(
                f"tags written in lower case ({', '.join(written)}), which RIS does not allow; "
                f"read as {', '.join(t.upper() for t in written)}")))
        yield from sorted(problems + name_problems, key=lambda p: p.line)
    yield paper


def _authors(tags: dict[str, list[str]], source: str) -> tuple[list[AuthorRef], bool, list[Problem]]:
    """The authors of ``AU`` and ``A1``, whether the list is cut (``et al.``), and a problem per line that
    names several people or may (see :func:`split_people`), and per name given for two authors or more.

    >>> authors, _, [problem] = _authors({_PEOPLE: [("AU", 2, "G. Kalbe"), ("AU", 3, "Kalbe, G."), ("AU", 4, "Ng, A")]}, "a.ris")
    >>> [a.name for a in authors], str(problem)
    (['G. Kalbe', 'G. Kalbe', 'A Ng'], "a.ris:3: AU name 'Kalbe, G.' is given for 2 authors of the record (numbers 1 and 2): kept as the file lists them; a build counts them as one author")
    """
    # Some exporters repeat the authors under both tags: the second tag adds only
    # names the first lacks (two people of one name within one tag stay two),
    # all in the file's order.
    written: list[tuple[str, str, int]] = []  # (name, its tag, its line)
    seen: dict[str, str] = {}  # name -> the tag it was first kept from
    problems: list[Problem] = []
    for tag, number, value in tags.get(_PEOPLE, []):
        names, note = split_people(value)
        if note is not None:
            problems.append(Problem(source=source, line=number, message=f"{tag} {value.strip()!r} {note}"))
        for name in names:
            if name and seen.setdefault(name, tag) == tag:
                written.append((name, tag, number))
    authors: list[AuthorRef] = []
    truncated = False
    same: dict[str, list[tuple[int, str, str, int]]] = {}  # a name's key -> (author number, name, tag, line) of each
    for raw, tag, number in written:
        if is_etal(raw):  # "AU  - et al.": the list is cut here, not a person
            truncated = True
            continue
        ref = author_ref(last_first_suffix(raw), len(authors))
        if ref is not None:
            authors.append(ref)
            same.setdefault(name_key(ref.name), []).append((len(authors), raw.strip(), tag, number))
    for found in same.values():
        if len(found) > 1:  # one person listed twice (IEEE Xplore does), or two of one name: said, as WoS's C1 names are
            _, name, tag, number = found[1]
            numbers = " and ".join(", ".join(str(f[0]) for f in found).rsplit(", ", 1))
            problems.append(Problem(source=source, line=number, message=(
                f"{tag} name {name!r} is given for {len(found)} authors of the record (numbers {numbers}): "
                "kept as the file lists them; a build counts them as one author")))
    return authors, truncated, problems


def _dates(tags: dict[str, list[str]], source: str) -> tuple[int | None, _dt.date | None, list[Problem]]:
    """The year and date from ``PY``/``Y1``/``DA`` (the first of each found), and a problem per impossible date,
    per value that gives no year or an implausible one (see :func:`read_year`) and per value whose year is not
    the one read.

    An impossible date (``2021/02/30``) still gives its year; a value without a
    year gives neither year nor date, and the record takes the year of the next
    tag that has one, else none. The year is the first tag's in the order
    ``PY``, ``Y1``, ``DA``; a tag that gives another year gives no date either,
    so the date always falls in the year.

    >>> year, date, [problem] = _dates({_DATE_LINES: [("PY", 3, "2021"), ("DA", 4, "2021/02/30")]}, "a.ris")
    >>> year, date, str(problem)
    (2021, None, "a.ris:4: impossible date '2021/02/30' in DA; read the year only")
    >>> year, date, [problem] = _dates({_DATE_LINES: [("PY", 3, "2999"), ("DA", 4, "2021/05/30")]}, "a.ris")
    >>> year, date, str(problem)
    (2021, datetime.date(2021, 5, 30), "a.ris:3: year '2999' in PY is not between 1500 and 2199; read the year from DA")
    >>> year, date, [problem] = _dates({_DATE_LINES: [("DA", 4, "2018/05/03/"), ("PY", 5, "2019")]}, "a.ris")
    >>> year, date, str(problem)
    (2019, None, "a.ris:4: DA '2018/05/03/' gives the year 2018 but PY gives 2019; read the year of PY and not the date in DA")
    """
    year = date = year_tag = None
    found: list[Problem | tuple[str, int, str, str]] = []  # problems, and values without a year (told once the year is known)
    for tag, number, value in sorted(tags.get(_DATE_LINES, ()), key=lambda d: _DATE_TAGS[d[0]]):
        value_year, why = read_year(value)
        if why is not None:
            found.append((tag, number, value.strip(), why))
            continue
        if value_year is None:
            continue  # empty, "n.d.", "in press": no year given, nothing wrong
        if year is None:
            year, year_tag = value_year, tag
        elif value_year != year:
            dated = f" and not the date in {tag}" if _DATE.match(value.strip()) else ""
            found.append(Problem(source=source, line=number, message=(
                f"{tag} {value.strip()!r} gives the year {value_year} but {year_tag} gives {year}; "
                f"read the year of {year_tag}{dated}")))
            continue
        if (m := _DATE.match(value.strip())) and int(m[1]) == value_year:
            month, day = int(m[2]), int(m[3])
            if not month or not day:
                continue  # 2021/00/00: the month or day left out, not wrong
            try:
                when = _dt.date(int(m[1]), month, day)
            except ValueError:
                found.append(Problem(source=source, line=number, message=f"impossible date {value.strip()!r} in {tag}; read the year only"))
                continue
            date = date or when
    problems = [item if isinstance(item, Problem) else _year_problem(*item, source, year_tag) for item in found]
    return year, date, problems


def _year_problem(tag: str, number: int, value: str, why: str, source: str, year_tag: str | None) -> Problem:
    then = f"read the year from {year_tag}" if year_tag else "read without a year"
    return Problem(source=source, line=number, message=f"year {value!r} in {tag} {why}; {then}")


def _paper(
    tags: dict[str, list[str]], source: str, line: int, year: int | None, date: _dt.date | None,
    authors: list[AuthorRef], truncated: bool,
) -> PaperRecord | Problem:
    def first(*names: str) -> str | None:
        for name in names:
            for value in tags.get(name, ()):
                if value.strip():
                    return unescape_entities(" ".join(strip_markup(value).split()))
        return None

    kind_tag = (first("TY") or "").upper()
    title = first("TI", "T1", "CT") or (first("BT") if kind_tag in ("BOOK", "EBOOK", "EDBOOK") else None)
    if not title:
        return Problem(source=source, line=line, message="record has no title (TI or T1)")
    ids: list[str] = []
    urls: list[str] = []
    for value in tags.get("DO", []):
        if (doi := doi_id(value)) and doi not in ids:
            ids.append(doi)
    for value in tags.get("AN", []):
        if value.strip().upper().startswith("WOS:"):  # Web of Science's RIS export names its accession number here
            ids.append("wos:" + value.strip()[4:])
    for value in tags.get("UR", []) + tags.get("L2", []):
        for url in re.split(r"[;\s]+", value.strip()):
            if not url:
                continue
            if url not in urls:
                urls.append(url)
            low = url.lower()
            scopus = _SCOPUS_EID.search(url) if "scopus.com" in low else None  # Scopus's RIS links the record by its EID
            for found in (
                arxiv_id(url) if "arxiv" in low else None,
                doi_id(url) if "doi.org/" in low else None,
                f"scopus:{scopus[1]}" if scopus else None,
            ):
                if found and found not in ids:
                    ids.append(found)
    venue = first("JF", "JO", "T2", "J2", "JA") or (first("BT") if kind_tag in ("CHAP", "ECHAP", "CONF", "CPAPER") else None)
    kind = _KINDS.get(kind_tag) or ("preprint" if any(i.startswith("arxiv:") for i in ids) else "other")
    institutions = []
    for value in tags.get("AD", []):
        name = unescape_entities(" ".join(strip_markup(value).split()))
        if name and all(a.name != name for a in institutions):
            institutions.append(AffiliationRef(name=name, country=country_code(name.rsplit(",", 1)[-1])))
    start, end = first("SP"), first("EP")
    if start and end and end != start and not _RANGE.search(start):
        pages = f"{start}-{end}"
    else:
        pages = start or end or first("C7")  # SP may hold the whole range; C7 is an article number
    return PaperRecord(
        title=title,
        ids=with_arxiv_dois(ids),
        year=year,
        date=date,
        venue=venue,
        kind=kind,
        abstract=first("AB", "N2"),
        urls=tuple(urls),
        authors=tuple(authors),
        authors_truncated=truncated,
        institutions=tuple(institutions),
        source=source,
        source_format=FORMAT,
        line=line,
        volume=first("VL"),
        issue=first("IS"),
        pages=pages,
    )


_RANGE = re.compile(r"\d\s*[-\u2010-\u2015]")  # "123-130", "123–30": a value that is a page range already
_SCOPUS_EID = re.compile(r"[?&]eid=(2-s2\.0-\d+)", re.I)
_PEOPLE = "authors in file order"  # not a RIS tag: AU and A1 values with their tag and line, as they came
_DATE_LINES = "dates with their lines"  # not a RIS tag: PY, Y1 and DA values with their tag and line
_DATE_TAGS = {"PY": 0, "Y1": 1, "DA": 2}
_LOWER_TAGS = "tags in lower case"  # not a RIS tag: the line and spelling of each tag not written in upper case



def parse_ris(stream: BinaryIO, source: str) -> Iterator[PaperRecord | Problem]:
    """Parse a RIS file into paper records and problems, line by line.

    Parameters
    ----------
    stream : BinaryIO
        The file's bytes (UTF-8, with or without a byte-order mark).
    source : str
        The file name to put in records and problems.

    Yields
    ------
    PaperRecord or Problem
        One record per ``TY`` ... ``ER`` with a title, ``line`` its ``TY`` line.

    Examples
    --------
    >>> import io
    >>> text = b"TY  - CONF\\nTI  - A\\nAU  - Lee, K.\\nER  -\\nstray\\nTY  - GEN\\nAU  - Nobody\\nER  - \\n"
    >>> [str(r) if isinstance(r, Problem) else (r.title, r.kind, r.author_names) for r in parse_ris(io.BytesIO(text), "a.ris")]
    [('A', 'inproceedings', ('K. Lee',)), "a.ris:5: line outside a record (no TY before it): 'stray'", 'a.ris:6: record has no title (TI or T1)']
    """
    tags: dict[str, list[str]] | None = None
    start = 0
    last_tag: str | None = None
    # Lines outside any record are reported once per run, up to the next TY:
    # a file that is not RIS at all (--from ris on a .bib) is one problem, not
    # one per line.
    stray: list = []  # [first line, first text, count]
    for item in iter_lines(stream, source):
        if isinstance(item, Problem):
            yield item
            continue
        number, line = item
        m = _TAG.match(line)
        if m is not None and not m[1].isupper() and (m[1].upper() not in _RIS_TAGS or line[2:5] != "  -"):
            m = None  # "is - a" wrapped from an abstract: text, not a tag
        if m is None:
            if not line.strip():
                continue
            if tags is not None and last_tag not in _WRAPPED:
                # a code (TY, PY, VL, DO...) is one line: text after it is no part of it (a record's kind never changes so)
                yield Problem(source=source, line=number, message=(
                    f"line without a tag after {last_tag}, which does not run over lines; skipped: {line.strip()[:60]!r}"))
            elif tags is not None:
                tags[last_tag][-1] += " " + line.strip()  # a continuation line
                if last_tag in ("AU", "A1"):
                    tags[_PEOPLE][-1] = (*tags[_PEOPLE][-1][:2], tags[last_tag][-1])
            else:
                stray = stray_line(stray, number, line)
            continue
        tag, value = m[1].upper(), (m[2] or "")
        if tag == "TY":
            if stray:
                yield stray_problem(stray, source, "TY")
                stray = []
            if tags is not None:
                yield Problem(source=source, line=start, message="record has no ER line before the next TY; read up to there")
                yield from _record(tags, source, start)
            tags, start, last_tag = {"TY": [value]}, number, "TY"
            if m[1] != tag:
                tags[_LOWER_TAGS] = [(number, m[1])]
            continue
        if tags is None:
            stray = stray_line(stray, number, line)
            continue
        if m[1] != tag:
            tags.setdefault(_LOWER_TAGS, []).append((number, m[1]))
        if tag == "ER":
            yield from _record(tags, source, start)
            tags, last_tag = None, None
            continue
        tags.setdefault(tag, []).append(value)
        if tag in ("AU", "A1"):
            tags.setdefault(_PEOPLE, []).append((tag, number, value))
        elif tag in _DATE_TAGS:
            tags.setdefault(_DATE_LINES, []).append((tag, number, value))
        last_tag = tag
    if stray:
        yield stray_problem(stray, source, "TY")
    if tags is not None:
        yield Problem(source=source, line=start, message="record has no ER line at the end of the file; read up to there")
        yield from _record(tags, source, start)


def read_ris(path) -> Iterator[PaperRecord | Problem]:
    """Read a RIS file (``.gz`` too): see :func:`parse_ris`."""
    with open_input(path) as stream:
        yield from parse_ris(stream, str(path))


parse = parse_ris
read = read_ris
