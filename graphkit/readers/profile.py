"""Read researcher profile pages (the "listing" and "by-year" layouts).

The layouts are described in ``docs/PROFILE-FORMAT.md`` of the shared docs.
The reader is strict about what it recognises (every line is either understood
or reported as a :class:`~graphkit.models.Problem`) and tolerant of what
varies between pages: missing metric lines, extra or missing blank lines,
CRLF line ends, a byte-order mark, trailing spaces, a card without an
abstract, an abstract wrapped over lines, a page without cards.

Examples
--------
>>> import datetime
>>> page = "Ada Lovelace\\n\\nCL\\nh-index3\\n\\n1 Papers\\n\\n99.5SEMar 11\\nNotes\\n\\nAda Lovelace, Charles Babbage et al. · cmu\\n\\nA summary."
>>> result = parse_profile_text(page, "ada.txt", as_of=datetime.date(2026, 11, 21))
>>> result.profile.h_index, result.profile.citations
(3, None)
>>> card = result.papers[0]
>>> card.score, card.category, card.date.isoformat(), card.author_names, card.authors_truncated
(99.5, 'SE', '2026-03-11', ('Ada Lovelace', 'Charles Babbage'), True)
>>> card.institutions[0].name, card.source_format
('cmu', 'profile')

The page owner is an author of every card; where the shown names omit them,
the record carries them as an inferred :class:`~graphkit.models.AuthorRef`:

>>> page = "Ada Lovelace\\n\\n2024\\n\\nWe propose the Engine, a machine."
>>> [(a.name, a.position, a.inferred) for a in parse_profile_text(page, "b.txt").papers[0].authors]
[('Ada Lovelace', None, True)]
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO, NamedTuple

from graphkit.keys import name_key
from graphkit.models import AffiliationRef, AuthorRef, Layout, PageResult, PaperRecord, Problem, Profile
from graphkit.readers._names import split_name

__all__ = [
    "FORMAT",
    "SUFFIXES",
    "decode_page",
    "derive_title",
    "detect_layout",
    "format_by_year_page",
    "format_listing_page",
    "owner_form",
    "owner_name",
    "parse",
    "parse_authors_line",
    "parse_card_header",
    "parse_compact",
    "parse_profile",
    "parse_profile_text",
    "read",
    "read_authors_line",
    "read_profile",
    "resolve_partial_date",
    "sniff",
    "with_inferred_owner",
]

FORMAT = "profile"
SUFFIXES = (".txt",)

MONTHS = {
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6,
    "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}
_MONTH_NAMES = {v: k for k, v in MONTHS.items() if k != "Sept"}

# `[A-Z]{2,4}?` is lazy so that `99.5SEMar 11` reads as SE + Mar, not SEM + ar.
CARD_HEADER = re.compile(
    r"^(?P<score>\d{1,3}(?:\.\d+)?)?\s*"
    r"(?P<category>[A-Z]{2,4}?)\s*"
    r"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\s+(?P<day>\d{1,2})"
    r"(?:,\s*(?P<year>\d{4}))?"
    r"\s*(?P<code>Code)?$"
)
_CATEGORY = re.compile(r"^[A-Z]{2,4}$")
# thousands separated by commas, or by the no-break spaces some pages print ("1\u00a0234")
_NUMBER = r"(\d{1,3}(?:[,\u00a0\u202f]\d{3})+|\d+)"
_H_INDEX = re.compile(r"^h-index\s*:?\s*" + _NUMBER + r"$", re.IGNORECASE)
_PAPERS_METRIC = re.compile(r"^" + _NUMBER + r"\s*papers?$")
_PAPERS_HEADING = re.compile(r"^" + _NUMBER + r" Papers?$")
_CITATIONS = re.compile(r"^" + _NUMBER + r"\s*citations?$", re.IGNORECASE)
_NOVELTY = re.compile(r"^Novelty\s*(\d+(?:\.\d+)?)\s*%$", re.IGNORECASE)
_AI_SCORE = re.compile(r"^AI Score\s*(\d+(?:\.\d+)?)$", re.IGNORECASE)
# What may follow a year heading's year: a count ("2022 (2)", "2022 (2 papers)"), a colon or a dash ("2021:", "2021 -").
# Also a count after a dot or a bar ("2019 \u00b7 1 paper"), and dashes on both sides ("\u2014 2020 \u2014").
_HEADING_TAIL = (
    r"\s*(?:\(\s*(?P<count>\d{1,6})(?:\s+papers?)?\s*\)\s*:?|[\u00b7\u2022|]\s*(?P<dotted>\d{1,6})\s+papers?"
    r"|[:\-\u2013\u2014])?$"
)
_HEADING_LEAD = r"^(?:[\-\u2013\u2014]+\s*(?=\d{4}\s*[\-\u2013\u2014]+$))?"  # a leading dash only with a closing one
_YEAR_HEADING = re.compile(_HEADING_LEAD + r"(1[89]\d\d|2\d\d\d)" + _HEADING_TAIL, re.IGNORECASE)
_FOUR_DIGITS = re.compile(_HEADING_LEAD + r"(\d{4})" + _HEADING_TAIL, re.IGNORECASE)
# The page's buttons and links saved with its text: "Show more", "Load 25 more papers", "See all", "Read more".
_PAGE_CONTROL = re.compile(
    r"^(?=.*\b(?:all|more|less|fewer)\b)(?:show|see|view|load|read)(?:\s+all)?(?:\s+\d[\d,]*)?(?:\s+(?:more|less|fewer))?"
    r"(?:\s+(?:papers?|publications?|results?|items?|works?))?\s*(?:\.\.\.|\u2026)?\s*[>\u00bb\u203a\u2192\u2193\u25be\u25bc]?$",
    re.IGNORECASE,
)
# The site's own text saved with a page: skip links, cookie notices, breadcrumbs, footers ("\u00a9 2026 Site");
# words an abstract may begin with ("Privacy policy ...", "Sorted by ...") count only on a short line.
_PAGE_CHROME = re.compile(
    r"^(?:skip to (?:the )?(?:main )?content\b|(?:accept|reject) (?:all|cookies)\b|manage (?:cookie )?preferences\b"
    r"|(?:we|this (?:web)?site) uses? cookies\b|home\s*[>\u203a\u00bb/]\s*\w|\u00a9\s*\S|\(c\)\s*\d{4}\b"
    r"|copyright\s+(?:\u00a9\s*)?\d{4}\b|.*\ball rights reserved\b)",
    re.IGNORECASE,
)
_SHORT_CHROME = re.compile(r"^(?:privacy(?: policy)?|terms(?: of (?:service|use))?|cookie (?:settings|policy)|sort(?:ed)? by\b.*)"
                           r"(?:\s*[\u00b7|]\s*.*)?$", re.IGNORECASE)
SHORT_ENTRY_WORDS = 4  # a by-year entry of fewer words, under 40 characters and not a sentence, is no abstract
FIRST_YEAR = 1800  # no paper on a profile page is older
# What a metric can be on a real profile; beyond it the value is a problem, not data
# (a 30-digit count would also overflow the stores' 64-bit integers).
METRIC_RANGES: dict[str, tuple[float, float]] = {
    "h_index": (0, 1_000), "paper_count": (0, 1_000_000), "heading": (0, 1_000_000),
    "citations": (0, 1_000_000_000), "novelty": (0, 100), "ai_score": (0, 100),
}
_ET_AL = re.compile(r"[,\s]*\bet\s+al\.?\s*$", re.IGNORECASE)
# Other ways a shown list says it is cut short: "…", "...", "+3 more", "and 5 others".
_TRUNCATION_MARK = (
    r"(?:\bet\s+al\b\.?|\u2026|\.{3,}|\+\s*\d[\d,]*(?:\s+more)?|\b\d[\d,]*\s+more|\b(?:and\s+)?(?:\d+\s+)?others)"
)
_TRUNCATED_END = re.compile(_TRUNCATION_MARK + r"\s*$", re.IGNORECASE)
_TRUNCATION = re.compile(_TRUNCATION_MARK, re.IGNORECASE)
# Between names: commas, semicolons, "&" and the word "and" ("A, B, and C", "A and B and C", "A; B", "A, B & C").
_AUTHOR_SEP = re.compile(r"\s*(?:[,;]\s*(?:(?:and|&)(?!\S))?|(?<!\S)(?:and|&)(?!\S))\s*")
_TRUNCATION_LAST = frozenset(".\u2026lLsSeE")  # the last characters of those markers, digits aside
# Affiliation and footnote marks beside a name: "Tri Dao¹", "Albert Gu*", "Ré†‡".
_MARK_CHARS = frozenset("*\u2020\u2021\u00a7\u00b6\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079")
_MARK_CLASS = r"[\s*\u2020\u2021\u00a7\u00b6\u00b9\u00b2\u00b3\u2070\u2074-\u2079]"
_MARKS = re.compile(f"^{_MARK_CLASS}+|{_MARK_CLASS}+$")
_INITIALS = re.compile(r"(?:[^\W\d_]\.[-\u2010]?)+")  # "Y.", "J.-P."
_NAME_END = re.compile(r"(?:^|[\s,;])(?:(?:[^\W\d_]\.[-\u2010]?)+|[JS]r\.)$")
_DASH = re.compile(r"[-\u2010-\u2015\u2212]")
_INSTITUTION_SEP = re.compile(r"\s*\u00b7\s*")
_URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]+")
_URL_TRAILING = ".,;:!?*_`'"


def _int(text: str) -> int:
    digits = text.replace(",", "").replace("\u00a0", "").replace("\u202f", "")
    # past 20 digits it is out of range anyway, and int() refuses more than 4,300
    return int(digits) if len(digits) <= 20 else 10**20


# ---------------------------------------------------------------- card parts


def resolve_partial_date(month: int, day: int, as_of: _dt.date) -> _dt.date:
    """The newest date with this month and day that is not after ``as_of``.

    Pages print recent dates without a year; the year is the one in which the
    page was captured, unless that would put the date in the future.

    >>> resolve_partial_date(4, 21, _dt.date(2026, 11, 21))
    datetime.date(2026, 4, 21)
    >>> resolve_partial_date(12, 24, _dt.date(2026, 11, 21))
    datetime.date(2025, 12, 24)
    >>> resolve_partial_date(2, 29, _dt.date(2026, 11, 21))
    datetime.date(2024, 2, 29)
    """
    for year in range(as_of.year, as_of.year - 9, -1):
        try:
            candidate = _dt.date(year, month, day)
        except ValueError:  # Feb 29 in a common year
            continue
        if candidate <= as_of:
            return candidate
    raise ValueError(f"no valid date for month {month}, day {day}")


_MONTH_WORD = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
               r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
# The date forms of other sites, tried only where CARD_HEADER fails: full month names ("March 3, 2024"), no comma
# ("Apr 23 2025"), day first ("21 Apr 2025"), numbers ("CL2024-03-11", "CL2024/03"), a year alone run into the
# category ("CL2024"), dates relative to the capture ("2 days ago"); an arXiv archive prefix ("cs.CL") is no part
# of the category.
_CARD_HEADER_OTHER = re.compile(
    r"^(?P<score>\d{1,3}(?:\.\d+)?)?\s*(?:[a-z]{2,8}\.)?(?P<category>[A-Z]{2,4}?)"
    r"(?:\s*(?P<month>" + _MONTH_WORD + r")\.?\s+(?P<day>\d{1,2})(?:(?:,\s*|\s+)(?P<year>\d{4}))?"
    r"|\s*(?P<dday>\d{1,2})\s+(?P<dmonth>" + _MONTH_WORD + r")\.?(?:,?\s+(?P<dyear>\d{4}))?"
    r"|\s*(?P<iyear>\d{4})(?P<isep>[-/])(?P<imonth>\d{1,2})(?:(?P=isep)(?P<iday>\d{1,2}))?"
    r"|(?P<yonly>\d{4})"
    r"|\s*(?:(?P<ago>\d{1,3}|an?|one)\s+(?P<unit>minute|min|hour|hr|day|week|month|year)s?\s+ago|(?P<rel>today|yesterday)))"
    r"\s*(?P<code>Code)?$",
    re.IGNORECASE,
)
_RELATIVE_DAYS = {"minute": 0, "min": 0, "hour": 0, "hr": 0, "day": 1, "week": 7}


def _card_header_match(line: str) -> re.Match | None:
    """The match of a card header in either form, or None (cheap for lines that cannot be one)."""
    if not (line[-1:].isdigit() or line.endswith(("Code", "ago", "today", "yesterday"))):
        return None
    match = CARD_HEADER.match(line)
    if match is None and len(line) <= 60:
        match = _CARD_HEADER_OTHER.match(line)
        if match is not None and not match["category"].isupper():  # IGNORECASE is for the date words only
            return None
    return match


def parse_card_header(line: str, as_of: _dt.date) -> dict | None:
    """Split a card header such as ``48.1CLApr 21`` into its parts.

    Returns ``None`` when the line is not a card header. Where the header gives
    a year but no day (``CL2024``, ``3 months ago``), ``date`` is None and
    ``year`` holds it; ``issue`` says what is odd about the date. A header never
    costs its card: an impossible date (``Feb 30, 2021``, month 13 in
    ``2021-13-01``) keeps its year (``date`` None, ``year`` 2021; a record has
    no field for a month alone), a year before 1800 or after the as-of year is
    no year (``year`` None), and a date after the as-of date is kept; ``issue``
    names each.

    >>> parse_card_header("99.5SEMar 11", _dt.date(2026, 11, 21))["category"]
    'SE'
    >>> parse_card_header("CLOct 10, 2023Code", _dt.date(2026, 11, 21))["has_code"]
    True
    >>> parse_card_header("Novelty54%", _dt.date(2026, 11, 21)) is None
    True
    >>> [parse_card_header(h, _dt.date(2026, 11, 21))["date"] for h in ("CLMarch 3, 2024", "CL21 Apr 2025", "CL2 days ago")]
    [datetime.date(2024, 3, 3), datetime.date(2025, 4, 21), datetime.date(2026, 11, 19)]
    >>> header = parse_card_header("cs.CL2024", _dt.date(2026, 11, 21))
    >>> header["category"], header["date"], header["year"]
    ('CL', None, 2024)
    >>> header = parse_card_header("LGFeb 30, 2021", _dt.date(2026, 11, 21))
    >>> header["date"], header["year"], header["issue"]
    (None, 2021, 'card header with an impossible date (no day 30 in February 2021); read the year 2021 only')
    >>> header = parse_card_header("LG2021-13-01", _dt.date(2026, 11, 21))
    >>> header["date"], header["year"], header["issue"]
    (None, 2021, 'card header with an impossible date (no month 13); read the year 2021 only')
    >>> header = parse_card_header("LGJan 1, 0207", _dt.date(2026, 11, 21))
    >>> header["date"], header["year"], header["issue"]
    (None, None, 'card header with an impossible date (year 207 is before 1800); the card kept without a year')
    >>> parse_card_header("LGJan 1, 2027", _dt.date(2026, 11, 21))
    Traceback (most recent call last):
    ...
    ValueError: year 2027 is after the as-of year 2026
    """
    match = _card_header_match(line)
    if match is None:
        return None
    if match.re is CARD_HEADER:
        month, day, year = MONTHS[match["month"]], int(match["day"]), match["year"]
    elif match["month"] or match["dmonth"]:
        month = MONTHS[(match["month"] or match["dmonth"])[:3].title()]
        day, year = int(match["day"] or match["dday"]), match["year"] or match["dyear"]
    elif match["iyear"]:
        year, month, day = match["iyear"], int(match["imonth"]), match["iday"] and int(match["iday"])
    elif match["yonly"]:
        month = day = None
        year = match["yonly"]
    else:  # relative to the capture, which the as-of date stands for
        number = 0 if match["rel"] == "today" else 1 if match["rel"] else (
            int(match["ago"]) if match["ago"].isdigit() else 1)
        unit = (match["unit"] or "day").lower()
        if unit in _RELATIVE_DAYS:
            date = as_of - _dt.timedelta(days=number * _RELATIVE_DAYS[unit])
            month, day, year = date.month, date.day, str(date.year)
        else:  # "3 months ago", "2 years ago": the year is certain, the day is not
            months = as_of.year * 12 + as_of.month - 1 - number * (12 if unit == "year" else 1)
            month = day = None
            year = str(months // 12)
    date, year, issue = _card_date(year and int(year), month, day, as_of)
    header = {
        "score": float(match["score"]) if match["score"] else None,
        "category": match["category"],
        "date": date,
        "has_code": match["code"] is not None,
    }
    if date is None:
        header["year"] = year
    if issue is not None:
        header["issue"] = issue
    return header


def _card_date(year: int | None, month: int | None, day: int | None,
               as_of: _dt.date) -> tuple[_dt.date | None, int | None, str | None]:
    """A card header's (date, year, issue) from its parts: as much of the date as is possible, and what is not.

    ``year`` None is a date without a year (the year of capture, see :func:`resolve_partial_date`); ``month``
    None a year alone; ``day`` None a year and month. An impossible day or month keeps the year (a date
    without a year and an impossible day keeps the newest year at which the month is not after ``as_of``); a
    year before ``FIRST_YEAR`` is none. ``issue`` is None for a date with nothing odd. A year after
    ``as_of``'s raises :class:`ValueError`: the card is skipped (the graph as of a date holds no later paper).

    >>> _card_date(None, 2, 30, _dt.date(2026, 1, 5))[1:]
    (2025, 'card header with an impossible date (no day 30 in February); read the year 2025 only (the newest at which February is not after the as-of date 2026-01-05)')
    """
    if year is None:  # the common case: "Apr 21"
        try:
            date = resolve_partial_date(month, day, as_of)
        except ValueError:
            year = as_of.year if month <= as_of.month else as_of.year - 1
            return None, year, (f"card header with an impossible date (no day {day} in {_MONTH_FULL[month]}); read the "
                                f"year {year} only (the newest at which {_MONTH_FULL[month]} is not after the as-of date "
                                f"{as_of})")
        return date, date.year, None
    if year > as_of.year:  # a paper from after the as-of date is no part of the graph as of then
        raise ValueError(f"year {year} is after the as-of year {as_of.year}")
    if year < FIRST_YEAR:
        return None, None, (f"card header with an impossible date (year {year} is before {FIRST_YEAR}); "
                            "the card kept without a year")
    if month is None:
        return None, year, None
    if not 1 <= month <= 12:
        return None, year, f"card header with an impossible date (no month {month}); read the year {year} only"
    if day is None:
        return None, year, None
    try:
        date = _dt.date(year, month, day)
    except ValueError:
        return None, year, (f"card header with an impossible date (no day {day} in {_MONTH_FULL[month]} {year}); "
                            f"read the year {year} only")
    if date > as_of:
        return date, year, f"card date {date} is after the as-of date {as_of}"
    return date, year, None


_MONTH_FULL = dict(enumerate(("January", "February", "March", "April", "May", "June", "July", "August", "September",
                              "October", "November", "December"), start=1))


def looks_like_authors(line: str) -> bool:
    """Whether a line has the shape of an authors line rather than prose.

    The markers ``et al.`` and `` · `` decide at once; otherwise the line (less
    a closing ``…`` or ``+3 more``) must be a list of short parts, split as
    :func:`parse_authors_line` splits it, and must not end like a sentence.

    >>> looks_like_authors("Albert Gu and Ankit Gupta and Christopher Ré"), looks_like_authors("Albert Gu, Tri Dao, ...")
    (True, True)
    >>> looks_like_authors("We study state space models."), looks_like_authors("LeCun, Y., Bengio, Y., Hinton, G.")
    (False, True)
    """
    if "\u00b7" in line or _ET_AL.search(line):
        return True
    line = _cut_truncation(line)[0]
    if not line or len(line) > 2000 or line.endswith(("?", "!", ":")):
        return False
    if line.endswith(".") and not _NAME_END.search(line):  # "Geoffrey Hinton, G." and "King, Jr." end names, not sentences
        return False
    parts = [p.strip() for p in _AUTHOR_SEP.split(line)]
    return all(p and len(p) <= 100 and len(p.split()) <= 8 for p in parts)


_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


def parse_authors_line(line: str) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    """Split an authors line into (names, truncated, institution slugs).

    Names are separated by commas, semicolons, ``&`` or the word ``and``;
    footnote marks (``Tri Dao¹``, ``Albert Gu*``) are no part of a name; ``et
    al.``, ``…``, ``...`` and ``+3 more`` mark a truncated list. Parts that are
    not names are left out (:func:`read_authors_line` says which). Names written
    "Family, Given" between ``;`` or ``and`` are one person each, given names
    first (see :func:`_read_authors`).

    >>> parse_authors_line("Mengzhou Xia, Tianyu Gao, Zhiyuan Zeng et al. · princeton, uw")
    (('Mengzhou Xia', 'Tianyu Gao', 'Zhiyuan Zeng'), True, ('princeton', 'uw'))
    >>> parse_authors_line("Team Olmo")
    (('Team Olmo',), False, ())
    >>> parse_authors_line("John Smith, Jr., Ana Silva et al.")
    (('John Smith, Jr.', 'Ana Silva'), True, ())
    >>> parse_authors_line("Albert Gu\u00b9*, Karan Goel, and Christopher R\u00e9 & Tri Dao; Ana Silva, +3 more")
    (('Albert Gu', 'Karan Goel', 'Christopher Ré', 'Tri Dao', 'Ana Silva'), True, ())
    >>> parse_authors_line("Garcia Lopez, Jose; Muller, Karl-Heinz \u00b7 mit")
    (('Jose Garcia Lopez', 'Karl-Heinz Muller'), False, ('mit',))
    """
    names, truncated, institutions, _ = read_authors_line(line)
    return names, truncated, institutions


def read_authors_line(line: str) -> tuple[tuple[str, ...], bool, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """:func:`parse_authors_line`, and the parts left out as not names, each with the reason.

    >>> read_authors_line("LeCun, Y., Bottou, L.")[0]  # "Family, Initials" pairs
    ('Y. LeCun', 'L. Bottou')
    >>> read_authors_line("Yann LeCun, Y., L.")[3]
    (('Y.', 'initials without a family name'), ('L.', 'initials without a family name'))
    """
    read = _read_authors(line)
    return read.names, read.truncated, read.institutions, read.rejected


class _AuthorsLine(NamedTuple):
    """What :func:`_read_authors` finds in an authors line."""

    names: tuple[str, ...]
    truncated: bool
    institutions: tuple[str, ...]
    rejected: tuple[tuple[str, str], ...]  # (part, why it is no name): left out
    ambiguous: tuple[str, ...]  # stretches that may be names written "Family, Given"
    notes: tuple[str, ...]  # what else was taken out of the line, to report
    extras: dict[int, tuple[tuple[str, ...], tuple[str, ...]]]  # name index -> (ids, affiliations) written beside it


def _read_authors(line: str) -> _AuthorsLine:
    """:func:`read_authors_line`, and the stretches of the line that may be names written "Family, Given"
    but were read as separate names (the reading is kept; the page reader reports each as a problem).

    A list with ``;`` is split at each ``;``, and a part with one comma is one name written "Family,
    Given" (``Garcia Lopez, Jose``), also with a suffix (``King, Martin Luther, Jr.``, BibTeX's ``Steele,
    Jr., Guy L.``). A list whose parts, split at ``and`` or ``&``, all have that form (BibTeX's ``Garcia
    Lopez, J. and Muller, K.-H.``) is read the same way. Names are given first, as
    :func:`~graphkit.readers._names.split_name` writes them:

    >>> _read_authors("Garcia Lopez, Jose; Muller, Karl-Heinz")[0]
    ('Jose Garcia Lopez', 'Karl-Heinz Muller')
    >>> _read_authors("Garcia Lopez, J. and Muller, K.-H. et al.")[:2]
    (('J. Garcia Lopez', 'K.-H. Muller'), True)
    >>> _read_authors("Tri Dao; Albert Gu, Karan Goel, and Christopher R\u00e9")[0]
    ('Tri Dao', 'Albert Gu', 'Karan Goel', 'Christopher Ré')

    A comma list stays a list of names; where it has the shape of "Family, Given" pairs with given names
    as words, the pairs are returned to be reported (initials alone are reported as no names already):

    >>> read = _read_authors("Smith, John, Doe, Jane")
    >>> read.names, read.ambiguous
    (('Smith', 'John', 'Doe', 'Jane'), ('Smith, John, Doe, Jane',))

    An affiliation in brackets after a name, and an ORCID, are the author's, not part of the name; an
    email address is left out (and noted); an institution in the list of names is the paper's:

    >>> read = _read_authors("Wei Zhang (Tsinghua University), Ana Silva https://orcid.org/0000-0002-1825-0097, University of Toronto")
    >>> read.names, read.extras, read.institutions
    (('Wei Zhang', 'Ana Silva'), {0: ((), ('Tsinghua University',)), 1: (('orcid:0000-0002-1825-0097',), ())}, ('University of Toronto',))
    """
    names_part, *rest = _INSTITUTION_SEP.split(line, maxsplit=1)
    notes: list[str] = []
    institutions: tuple[str, ...] = ()
    if rest:
        for slug in _INSTITUTION_SEP.split(rest[0]):
            for slug in slug.split(","):
                if not (slug := slug.strip()):
                    continue
                if "@" in slug or "://" in slug:
                    notes.append(f"authors line: {slug[:60]!r} after ' \u00b7 ' is not an institution (an address); left out")
                else:
                    institutions += (slug,)
    if "\t" in names_part or not names_part.isascii():  # no-break spaces and tabs are spaces in a name
        names_part = " ".join(names_part.split())
    names_part, truncated = _cut_truncation(names_part)
    bracketed = "(" in names_part or "[" in names_part
    if bracketed:  # separators inside brackets ("(Tsinghua University, Beijing)") do not split names
        names_part = _BRACKETED.sub(lambda m: m[0].translate(_HIDE_SEPARATORS), names_part)
    names: list[str] = []
    rejected: list[tuple[str, str]] = []
    ambiguous: list[str] = []
    extras: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for part, inverted in _name_parts(names_part, ambiguous):
        ids: tuple[str, ...] = ()
        affiliations: tuple[str, ...] = ()
        if bracketed:
            part = part.translate(_SHOW_SEPARATORS)
        if not inverted and ("(" in part or "[" in part or "@" in part or "rcid" in part or "RCID" in part):
            part, ids, affiliations = _name_extras(part, notes)
        part = part.strip() if inverted else _clean_part(part)
        if not part:
            continue
        if inverted:  # one "Family, Given" name, already in display form
            names.append(part)
        elif _TRUNCATION.fullmatch(part):  # "A, …, Z": the list is cut in the middle
            truncated = True
        elif names and _is_suffix(part):  # "John Smith, Jr." is one name
            names[-1] = f"{names[-1]}, {part}"
        elif why := _not_a_name(part):
            rejected.append((part, why))
        elif _is_institution(part):
            institutions += (part,)
            notes.append(f"authors line: {part[:60]!r} is an institution, not a person; kept as the paper's institution")
        else:
            if ids or affiliations:
                extras[len(names)] = (ids, affiliations)
            names.append(part)
    return _AuthorsLine(tuple(names), truncated, institutions, tuple(rejected), tuple(ambiguous), tuple(notes), extras)


_BRACKETED = re.compile(r"[(\[][^()\[\]]*[)\]]")
_HIDE_SEPARATORS = str.maketrans({",": "\ue000", ";": "\ue001", "&": "\ue002", " ": "\ue003"})
_SHOW_SEPARATORS = str.maketrans({v: k for k, v in ((",", "\ue000"), (";", "\ue001"), ("&", "\ue002"), (" ", "\ue003"))})
_ORCID = re.compile(
    r"[<(\[]?\s*(?:(?:https?://)?(?:www\.)?orcid\.org/|orcid:?\s*)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])\s*[>)\]]?", re.IGNORECASE
)
_EMAIL = re.compile(r"[<(\[]?\s*(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*[>)\]]?")
_TAIL_BRACKETS = re.compile(r"\s*[(\[]\s*([^()\[\]]*?)\s*[)\]]\s*$")
# Words that make a part of an authors line an institution, never a person or a team.
_INSTITUTION_NAME = re.compile(
    r"\b(?:Universit(?:y|ies|[\u00e4\u00e9\u00e0]t?|at|e|eit|ad|ario)|Institut(?:e|o)?|College|Laborator(?:y|ies)|Academy"
    r"|Hospital|Polytechnic|(?:School|Department|Faculty) of|Cent(?:er|re) for|Inc\.|Ltd\.?|GmbH|Corporation)(?!\w)"
)
_is_institution = functools.lru_cache(maxsize=1 << 16)(lambda part: _INSTITUTION_NAME.search(part) is not None)
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&.\-]*[A-Z][A-Za-z&.\-]*$")


def _name_extras(part: str, notes: list[str]) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A part of an authors line without what is written beside the name: (name, ids, affiliations).

    An ORCID (``https://orcid.org/...``) is an id; an email address is left out and noted; a bracketed tail
    (``Wei Zhang (Tsinghua University)``, ``Tom Li [MIT]``) is an affiliation, noted unless it looks like one.
    A name in another script with a romanised form in brackets (``\u5f20\u4f1f (Wei Zhang)``) is kept as written.

    >>> notes = []
    >>> _name_extras("Maria Curie https://orcid.org/0000-0002-1825-0097", notes), _name_extras("Tom Li [MIT]", notes)
    (('Maria Curie', ('orcid:0000-0002-1825-0097',), ()), ('Tom Li', (), ('MIT',)))
    >>> _name_extras("Wei Zhang (wzhang@example.org)", notes), notes
    (('Wei Zhang', (), ()), ["authors line: the address 'wzhang@example.org' beside 'Wei Zhang' left out"])
    """
    ids: list[str] = []
    addresses: list[str] = []
    text = part
    if "orcid" in text.lower() or "-" in text:
        text = _ORCID.sub(lambda m: ids.append(f"orcid:{m[1].upper()}") or " ", text)
    if "@" in text:
        text = _EMAIL.sub(lambda m: addresses.append(m[0].strip(" <>()[]")) or " ", text)
    affiliations: list[str] = []
    while (tail := _TAIL_BRACKETS.search(text)) is not None:
        outside = text[:tail.start()]
        if not any(c.isascii() and c.isalpha() for c in outside):
            break
        if inner := tail[1]:
            affiliations.insert(0, inner)
            if not (_INSTITUTION_NAME.search(inner) or _ACRONYM.match(inner)):
                notes.append(f"authors line: {inner[:60]!r} in brackets after {outside.strip()[:60]!r} read as an affiliation")
        text = outside
    name = " ".join(text.split())
    for address in addresses:
        notes.append(f"authors line: the address {address[:60]!r} beside {name[:60]!r} left out")
    return name, tuple(ids), tuple(affiliations)


# "and" or "&" between names, with a comma before it or not ("Lee, K., and Chang, M.-W.", "Lee, K. & Chang, M.").
_CONJUNCTION = re.compile(r"\s*,?\s*(?<!\S)(?:and|&)(?!\S)\s*")


def _is_suffix(part: str) -> bool:
    return len(part) <= 4 and part.rstrip(".").lower() in _SUFFIXES


def _name_parts(text: str, ambiguous: list[str]) -> list[tuple[str, bool]]:
    """The parts of a names list (less its truncation markers and institutions), each with whether it is
    a whole name already turned from "Family, Given" into display form; see :func:`_read_authors`."""
    if ";" in text:
        chunks = [(chunk, _conjuncts(chunk)) for chunk in text.split(";")]
        # "Albert Gu, Karan Goel; Tri Dao" may be three people: a "Family, Given" reading of the list needs
        # a part that can only be one name (a one-word side, initials, a particle)
        evidence = any(len(parts) == 1 and _inverted(parts[0]) and _surely_inverted(parts[0]) for _, parts in chunks)
        return [part for chunk, parts in chunks for part in _conjoined(chunk.strip(), parts, True, evidence, ambiguous)]
    if "&" in text or "and" in text:
        return _conjoined(text, _conjuncts(text), False, False, ambiguous)
    parts = text.split(",")
    if (pairs := _initials_pairs(parts)) is not None:
        return [(name, True) for name in pairs]
    _check_pairs(parts, text, ambiguous)
    return [(part, False) for part in parts]


def _initials_pairs(parts: Sequence[str]) -> list[str] | None:
    """The names of a comma list of "Family, Initials" pairs (``LeCun, Y., Bengio, Y., Hinton, G. E.``), given
    first; None for any other list. Initials alone are no name, so the pairing is certain.

    >>> _initials_pairs("LeCun, Y., Bengio, Y., Hinton, G. E.".split(","))
    ['Y. LeCun', 'Y. Bengio', 'G. E. Hinton']
    >>> _initials_pairs("Yann LeCun, Yoshua Bengio".split(",")), _initials_pairs("LeCun, Y., Bengio".split(","))
    (None, None)
    """
    cleaned = [_clean_part(p) for p in parts]
    if len(cleaned) < 2 or len(cleaned) % 2 or not all(cleaned):
        return None
    names = []
    for family, given in zip(cleaned[::2], cleaned[1::2]):
        if len(family.split()) > 3 or not all(_INITIALS.fullmatch(word) for word in given.split()):
            return None
        if _not_a_name(family) or _INITIALS.fullmatch(family.replace(" ", "")):
            return None
        if (name := _inverted(f"{family}, {given}")) is None:
            return None
        names.append(name)
    return names


def _conjuncts(text: str) -> list[str]:
    """``text`` split at the words ``and`` and ``&`` (and a comma before them)."""
    if "&" not in text and "and" not in text:
        return [text.strip()] if text.strip() else []
    return [part.strip() for part in _CONJUNCTION.split(text) if part.strip()]


def _conjoined(text: str, parts: list[str], in_list: bool, evidence: bool,
               ambiguous: list[str]) -> list[tuple[str, bool]]:
    """The names of ``text`` (a whole list, or one part of a ``;`` list: ``in_list``), split at ``and``/``&``
    into ``parts``: written "Family, Given" when every part is one such name and the form is certain (a
    part that can only be one such name, or ``evidence`` of one elsewhere in the ``;`` list); else split
    at every separator, as a list of "Given Family" names is, and noted in ``ambiguous`` if it may have
    been "Family, Given" names."""
    if not parts:
        return []
    if in_list or len(parts) > 1:
        inverted = [_inverted(p) for p in parts]
        if all(inverted):
            # "Albert Gu, Karan Goel; Tri Dao" and "Albert Gu, Karan Goel and Tri Dao, Ana Silva" may
            # be three and four people
            if evidence or any(map(_surely_inverted, parts)):
                return [(name, True) for name in inverted]
            ambiguous.append(text)
            return [(part, False) for part in _AUTHOR_SEP.split(text)]
    pieces = _AUTHOR_SEP.split(text)
    _check_pairs(pieces, text, ambiguous)
    return [(part, False) for part in pieces]


def _clean_part(part: str) -> str:
    part = part.strip()
    if part and (part[0] in _MARK_CHARS or part[-1] in _MARK_CHARS):
        part = _MARKS.sub("", part)
    return part


@functools.lru_cache(maxsize=1 << 16)
def _inverted(part: str) -> str | None:
    """The display name of a part written "Family, Given" (also "Family, Given, Jr." and "Family, Jr.,
    Given"), or None when the part has another shape ("John Smith, Jr." is a name given first).

    >>> _inverted("Garcia Lopez, Jose"), _inverted("Steele, Guy L., Jr."), _inverted("de la Cruz\u00b9, Ana")
    ('Jose Garcia Lopez', 'Guy L. Steele Jr.', 'Ana de la Cruz')
    >>> _inverted("John Smith, Jr."), _inverted("Albert Gu"), _inverted("Albert Gu, \u2026"), _inverted("Gu, 2")
    (None, None, None, None)
    """
    pieces = [_clean_part(p) for p in part.split(",")]
    suffix = None
    if len(pieces) == 3 and _is_suffix(pieces[2]):
        family, given, suffix = pieces
    elif len(pieces) == 3 and _is_suffix(pieces[1]):
        family, suffix, given = pieces
    elif len(pieces) == 2:
        family, given = pieces
    else:
        return None
    if not family or not given or _is_suffix(given) or len(family.split()) > 4 or len(given.split()) > 4:
        return None
    if _not_a_name(family) or _TRUNCATION.search(family) or _TRUNCATION.search(given):
        return None
    if not given[0].isalpha() or _not_a_name(given) not in (None, "initials without a family name"):
        return None
    if any(c.isdigit() for c in given) or any(c in "{}\\~" for c in part):
        return None
    name = split_name(f"{family}, {suffix}, {given}" if suffix else f"{family}, {given}").name
    return name if name and not _not_a_name(name) else None


def _surely_inverted(part: str) -> bool:
    """Whether a "Family, Given" part cannot be two names given first: a side of one word (``Muller,
    Karl``), given names as initials (``Garcia Lopez, J.``) or a family name with a particle (``de la
    Cruz, Ana Sofia``)."""
    family, _, given = part.partition(",")
    family, given = family.split(), given.split()
    return (len(family) == 1 or len(given) == 1 or family[0][:1].islower()
            or any(_INITIALS.fullmatch(word.rstrip(",")) for word in given))


#: Han ideographs, kana and Hangul: scripts whose names are written whole, family name first, without a comma.
_CJK_NAME = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff]")


def _check_pairs(parts: Sequence[str], text: str, ambiguous: list[str]) -> None:
    """Note ``text`` in ``ambiguous`` when its comma-separated ``parts`` could be "Family, Given" pairs whose
    given names would be read as people of their own (``Smith, John, Doe, Jane``); initials-only given
    names (``LeCun, Y.``) are reported as no names already."""
    if "," not in text:
        return
    parts = [p for p in map(_clean_part, parts) if p and not _TRUNCATION.fullmatch(p)]
    if len(parts) < 2 or len(parts) % 2:
        return
    givens = parts[1::2]
    if any(_CJK_NAME.search(g) for g in givens):
        return  # 张伟, 李娜: a name in Chinese, Japanese or Korean script is written whole, with no comma inside
    if all(" " not in g and g[0].isalpha() and not _is_suffix(g) for g in givens) and any(
            not _INITIALS.fullmatch(g) for g in givens) and not any(map(_not_a_name, parts[::2])):
        ambiguous.append(text)


def _cut_truncation(text: str) -> tuple[str, bool]:
    """``text`` without the markers of a truncated list at its end, and whether it had any.

    >>> _cut_truncation("Albert Gu, Tri Dao, \u2026 et al."), _cut_truncation("Ana Silva")
    (('Albert Gu, Tri Dao', True), ('Ana Silva', False))
    """
    truncated = False
    # most lines end in neither a marker's last character nor a digit; markers are short, so each
    # search starts near the end (a search from every position was most of the time of a card)
    while text[-1:] in _TRUNCATION_LAST or text[-1:].isdigit():
        cut = _TRUNCATED_END.search(text, max(0, len(text) - 24))
        if cut is None:
            break
        text, truncated = text[:cut.start()].rstrip(",; \t"), True
    return text, truncated


@functools.lru_cache(maxsize=1 << 16)
def _not_a_name(part: str) -> str | None:
    """Why a part of an authors line is not a person's or a team's name, or None when it may be one."""
    if not part[0].isalpha():
        return f"starts with {part[0]!r}" if any(c.isalpha() for c in part) else "no letters"
    if len(part) > 100 or len(part.split()) > 8:
        return "too long for a name"
    if "@" in part or "://" in part:
        return "an address"
    if len(part) == 1 or all(_INITIALS.fullmatch(word) for word in part.split()):
        return "initials without a family name"
    return None


def with_inferred_owner(names: Sequence[str], owner: str | None) -> tuple[AuthorRef, ...]:
    """The shown names as authors in order, plus the page owner as an inferred author if they omit them.

    The owner counts as shown when a name has the same name key (spelling
    variants); a near-variant such as ``Zhihao Zhang`` on ``Zhengxin Zhang``'s
    page is someone else, and the owner is still inferred. A shorter form of
    the owner's name (``Y. LeCun`` for ``Yann LeCun``, see :func:`owner_form`)
    is the owner on their own page: it stands at its position under the
    owner's name, which nothing else would tie it to.

    >>> [(a.name, a.inferred) for a in with_inferred_owner(["Zhihao Zhang"], "Zhengxin Zhang")]
    [('Zhihao Zhang', False), ('Zhengxin Zhang', True)]
    >>> len(with_inferred_owner(["Zhi-Hong Deng"], "Zhihong Deng"))
    1
    >>> [(a.name, a.position, a.inferred) for a in with_inferred_owner(["Y. LeCun", "L. Bottou"], "Yann LeCun")]
    [('Yann LeCun', 0, False), ('L. Bottou', 1, False)]
    """
    names, missing = _with_owner(names, owner)
    authors = [AuthorRef(name=n, position=i) for i, n in enumerate(names)]
    if missing:
        authors.append(AuthorRef(name=owner, inferred=True))
    return tuple(authors)


# Pages repeat the same co-author names thousands of times: their keys are computed once.
_name_key = functools.lru_cache(maxsize=1 << 17)(name_key)


@functools.lru_cache(maxsize=1 << 17)
def _name_tokens(name: str) -> tuple[str, ...]:
    """A name's key as words, without footnote marks, with given names split at their hyphens and no "Jr."."""
    tokens = _name_key(_DASH.sub(" ", _MARKS.sub("", name))).split()
    while len(tokens) > 2 and tokens[-1] in _SUFFIXES:
        tokens.pop()
    return tuple(tokens)


def owner_form(name: str, owner: str) -> bool:
    """Whether ``name`` is the owner's name as a page may show it: the same name key once footnote marks
    are gone, or the same family name with given names as initials or left off at the end.

    >>> owner_form("Y. LeCun", "Yann LeCun"), owner_form("Z.-H. Deng", "Zhi-Hong Deng"), owner_form("Tri Dao\u00b9", "Tri Dao")
    (True, True, True)
    >>> owner_form("Zhihao Zhang", "Zhengxin Zhang"), owner_form("Y. Bengio", "Yann LeCun"), owner_form("L. LeCun", "Yann LeCun")
    (False, False, False)

    The family name first with the initials after it, as PubMed writes names, is the owner too:

    >>> owner_form("van der Berg A", "Alexander van der Berg"), owner_form("LeCun Y", "Yann LeCun"), owner_form("LeCun L", "Yann LeCun")
    (True, True, False)
    """
    short, full = _name_tokens(name), _name_tokens(owner)
    if short == full or (_name_key(name) == _name_key(owner) != ""):
        return bool(short)
    if name[-1:].isupper() and _family_first(name, full):
        return True
    if len(short) < 2 or len(short) > len(full) or short[-1] != full[-1]:
        return False
    return all(s == f or (len(s) == 1 and f.startswith(s)) or (len(f) == 1 and s.startswith(f))
               for s, f in zip(short[:-1], full[:-1]))


_HONORIFIC = re.compile(r"^(?:(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx|Sir|Dame)\.?\s+)+")
_DEGREES = re.compile(r"(?:,?\s+(?:Ph\.?\s?D\.?|D\.?Phil\.?|M\.D\.|MD|M\.?Sc\.?|MBA|FRS|FREng))+$")
_BADGE = re.compile(r"(?:\s*(?:\(verified\)|[\u2713\u2714\u2611\u2705\u2605\u2606\u2b50\ufe0f\U0001f000-\U0001faff]))+$")
_OWNER_AFFILIATION = re.compile(r"\s+[\u00b7\u2022|]\s+(?P<affiliation>.+)$")
_TWO_FORMS = re.compile(r"^(?P<first>[^()\uff08\uff09]+?)\s*[(\uff08]\s*(?P<second>[^()\uff08\uff09]+?)\s*[)\uff09]$")


def _latin(text: str) -> bool:
    return any(c.isascii() and c.isalpha() for c in text)


def owner_name(line: str) -> tuple[str, tuple[str, ...]]:
    """The owner's name in the line that heads a page, and what else the line held that is not kept.

    A title (``Dr.``, ``Prof.``), a degree (``, PhD``) and a badge (``\u2713``) are no part of the name;
    ``Family, Given`` is turned round; an affiliation after `` \u00b7 `` or in brackets, and a name in
    another script beside its form in Latin letters (the form the cards use), are left out and noted.

    >>> [owner_name(line)[0] for line in ("Dr. Jane Smith", "Jane Smith, PhD", "Smith, Jane", "Jane Smith \u2713")]
    ['Jane Smith', 'Jane Smith', 'Jane Smith', 'Jane Smith']
    >>> owner_name("\u5f20\u4f1f (Wei Zhang)")
    ('Wei Zhang', ("owner line: read as 'Wei Zhang', the form in Latin letters the cards use; '张伟' is not kept",))
    >>> owner_name("Jane Smith \u00b7 MIT")
    ('Jane Smith', ("owner line: 'MIT' after the name is not kept (a profile holds no affiliation)",))
    """
    notes: list[str] = []
    name = " ".join(line.split())
    if (badge := _BADGE.search(name)) is not None and badge.start() > 0:
        name = name[:badge.start()]
    if (affiliation := _OWNER_AFFILIATION.search(name)) is not None:
        notes.append(f"owner line: {affiliation['affiliation'][:60]!r} after the name is not kept (a profile holds no affiliation)")
        name = name[:affiliation.start()]
    if (two := _TWO_FORMS.match(name)) is not None:
        first, second = two["first"], two["second"]
        if _latin(first) != _latin(second):
            latin, other = (first, second) if _latin(first) else (second, first)
            notes.append(f"owner line: read as {latin!r}, the form in Latin letters the cards use; {other!r} is not kept")
            name = latin
        elif _is_institution(second) or _ACRONYM.match(second):
            notes.append(f"owner line: {second[:60]!r} after the name is not kept (a profile holds no affiliation)")
            name = first
    bare = _DEGREES.sub("", _HONORIFIC.sub("", name)).strip(" ,")
    if "," in bare and (turned := _inverted(bare)) is not None:
        bare = turned
    return (bare or line.strip()), tuple(notes)


def _family_first(name: str, full: tuple[str, ...]) -> bool:
    """Whether ``name`` is ``Family Initials`` (``van der Berg A``, ``Smith JA``) of the name whose tokens are
    ``full``: the family words end ``full`` and the initials begin its given names, in order."""
    words = name.split()
    initials = words[-1].replace(".", "")
    if len(words) < 2 or not (initials.isalpha() and initials.isupper() and len(initials) <= 3):
        return False
    family = _name_tokens(" ".join(words[:-1]))
    given = full[:len(full) - len(family)]
    return (bool(family) and len(family) < len(full) and full[len(full) - len(family):] == family
            and len(initials) <= len(given)
            and all(g.startswith(i) for i, g in zip(initials.lower(), given)))


def _with_owner(names: Sequence[str], owner: str | None) -> tuple[Sequence[str], bool]:
    """``names`` with a shorter form of the owner's name replaced by it, and whether the owner must be
    added as an inferred author (see :func:`with_inferred_owner`)."""
    if not owner or owner in names:  # shown exactly as written: no keys needed
        return names, False
    key = _name_key(owner)
    if not key or key in map(_name_key, names):
        return names, False
    family = _name_tokens(owner)[-1:]
    for i, name in enumerate(names):
        if (_name_tokens(name)[-1:] == family or name[-1:].isupper()) and owner_form(name, owner):
            return (*names[:i], owner, *names[i + 1:]), False
    return names, True


def find_urls(text: str) -> tuple[str, ...]:
    """URLs mentioned in a text, in order, without trailing punctuation."""
    seen: dict[str, None] = {}
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_URL_TRAILING)
        if len(url) > len("https://"):
            seen.setdefault(url, None)
    return tuple(seen)


# ------------------------------------------------------------ derived titles

_INTRO_VERB = re.compile(
    r"\b(?:we|this (?:paper|work|study)|our (?:paper|work))\s+(?:(?:further|also|then|here|first|\w+ly)\s+)?"
    r"(?:propose|introduce|present|develop|design|build|release|construct|create|curate|name|call|term|dub)[sd]?\b",
    re.IGNORECASE,
)
_NAMED = re.compile(r"\b(?:called|named|dubbed|termed|coined)\s+(?P<name>[A-Z][\w\-\u2010+]*)")
_LEAD = re.compile(
    r"^\s+(?:(?:a|an|the|novel|new|simple|general|unified|lightweight|efficient|effective|scalable|"
    r"challenging|large-scale|comprehensive|and|useful)\s+)*"
)
_KIND = (
    r"(?:method|framework|approach|model|dataset|benchmark|system|algorithm|metric|technique|pipeline|"
    r"toolkit|suite|scaffold|corpus|strategy|paradigm|library|tool|agent|architecture|recipe|loss)s?"
)
_AFTER_KIND = re.compile(r"^[\w\s\-]{0,60}?\b" + _KIND + r",?\s+(?:called\s+|named\s+|dubbed\s+)?(?P<name>[A-Z][\w\-\u2010+]*)")
_PHRASE_ACRONYM = re.compile(r"(?P<phrase>(?:[A-Z][\w\-]*\s+){1,6}?[A-Z][\w\-]*)\s+\((?P<acro>[A-Z][A-Za-z0-9\-]*[A-Z][A-Za-z0-9\-]*)\)")
_GENERIC = {"LLM", "LLMs", "RL", "NLP", "AI", "ML", "QA", "KD", "CoT", "RAG", "API", "GPU", "SFT", "DPO", "MoE", "I"}
TITLE_MAX = 100


def _name_like(token: str) -> bool:
    caps = sum(c.isupper() for c in token)
    return token not in _GENERIC and (caps >= 2 or (caps >= 1 and any(c.isdigit() for c in token)))


_DANGLING = {"a", "an", "the", "and", "or", "of", "to", "for", "in", "on", "with", "that", "which", "by", "as", "via"}


def _shorten(text: str, limit: int = TITLE_MAX) -> str:
    text = " ".join(text.split()).strip(" ,;:-")
    if len(text) > limit:
        cut = text[:limit]
        for sep in (";", ":", ",", " \u2014 ", " - "):
            pos = cut.rfind(sep)
            if pos >= limit * 0.4:
                cut = cut[:pos]
                break
        else:
            cut = cut.rsplit(" ", 1)[0]
        text = cut.rstrip(" ,;:-")
    words = text.split(" ")
    while len(words) > 2 and words[-1].lower() in _DANGLING:
        words.pop()
    return " ".join(words)


def _with_expansion(name: str, tail: str) -> str:
    paren = re.match(r"^\s*\((?P<exp>[^()]{2,80})\)", tail)
    if paren and " " not in paren["exp"].strip():
        # "Chain-of-Reasoning (CoR), a framework ..." keeps the acronym beside the name
        name, tail = f"{name} ({paren['exp'].strip()})", tail[paren.end():]
    elif paren:
        return _shorten(f"{name}: {paren['exp']}")
    appos = re.match(r"^\s*,\s*(?P<exp>(?:a|an|the)\s[^.;]{3,200})", tail)
    if appos:
        return _shorten(f"{name}: {appos['exp']}")
    return name


def derive_title(abstract: str) -> str:
    """A short title for a paper known only by its abstract.

    Prefers a method or system the abstract introduces ("we propose PerSyn
    (Personalized data Synthesis)"), else its first clause, at most about
    100 characters.

    >>> derive_title("Distillation is hard. To fix it, we propose PerSyn (Personalized data Synthesis), a router.")
    'PerSyn: Personalized data Synthesis'
    >>> derive_title("We further propose Hybrid Policy Distillation (HPD), which mixes things.")
    'HPD: Hybrid Policy Distillation'
    >>> derive_title("Robustness has become a critical attribute for the deployment of RAG systems. We study it.")
    'Robustness has become a critical attribute for the deployment of RAG systems'
    """
    text = " ".join(abstract.split())
    for verb in _INTRO_VERB.finditer(text):
        window = text[verb.end(): verb.end() + 240]
        lead = _LEAD.match(window)
        rest = window[lead.end():] if lead else window
        direct = re.match(r"(?P<name>[A-Z][\w\-\u2010+]*)", rest)
        if direct and _name_like(direct["name"]):
            return _with_expansion(direct["name"], rest[direct.end():])
        acro = _PHRASE_ACRONYM.search(rest[:120])
        if acro:
            return _shorten(f"{acro['acro']}: {acro['phrase']}")
        kind = _AFTER_KIND.match(rest)
        if kind and _name_like(kind["name"]):
            return _with_expansion(kind["name"], rest[kind.end():])
    named = _NAMED.search(text)
    if named and _name_like(named["name"]):
        return _with_expansion(named["name"], text[named.end():])
    first_sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z(\[])", text, maxsplit=1)[0]
    return _shorten(first_sentence.rstrip(".!? ")) or "Untitled"


# ------------------------------------------------------------------ layouts


def _lines(text: str) -> list[str]:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def detect_layout(lines: Sequence[str], start: int = 0) -> Layout:
    """``"by-year"`` when a year heading comes, from ``start``, before any metric or card header, and no card follows.

    ``start`` is the index of the line after the owner's name. A line that is
    neither (an abstract before the first heading) does not decide the layout.

    >>> detect_layout(["Ada Lovelace", "", "2025", "", "An abstract."], 1)
    'by-year'
    >>> detect_layout(["Ada Lovelace", "A stray abstract.", "2025", "An abstract."], 1)
    'by-year'

    Cards grouped under year headings are a listing all the same (the by-year layout has no cards):

    >>> detect_layout(["Ada Lovelace", "", "2024", "", "CLMar 3, 2024", "Notes", "", "Ada Lovelace", "", "A summary."], 1)
    'listing'
    """
    for index in range(start, len(lines)):
        line = lines[index].strip()
        if not line:
            continue
        if _YEAR_HEADING.match(line):
            # the by-year layout has no cards: a page whose cards stand under year headings is a listing
            cards = any(_card_header_match(other.strip()) is not None for other in lines[index + 1:])
            return "listing" if cards else "by-year"
        if _metric(line) is not None or _card_header_match(line) is not None:
            return "listing"
        # anything else (a stray line before the first heading, the site's text) is reported by the layout's reader
    return "listing"


# A line under a card's title that names where the paper appeared rather than continuing the title.
_VENUE = re.compile(
    r"\b(?:1[89]\d\d|20\d\d)\b|\b(?:Proceedings|Conference|Journal|Transactions|Symposium|Workshop|arXiv|preprint"
    r"|Accepted|Published|In:)|\bpp?\.\s*\d|\b[Vv]ol\.\s*\d"
)


def _one_spaced(text: str) -> str:
    """``text`` with no-break spaces, tabs and runs of spaces as one space."""
    return " ".join(text.split()) if "  " in text or not text.isascii() or "\t" in text else text


# Where an abstract may stop without ending a sentence: a run-on ends in a word, a comma, a colon, a hyphen; an
# abbreviation's dot ("e.g.", "et al.") ends no sentence.
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u2019\u201d)\]]*$")
_ABBREVIATION_END = re.compile(r"(?<![^\s(\[])(?:e\.\s?g|i\.\s?e|cf|vs|al|resp|approx|incl|Fig|Figs|Eq|Eqs|Sec|Ref|Tab|No)\.$")
WRAP_WIDTH = 40  # no tool wraps text narrower: a shorter line above is no wrapped line
# A line that is a field of its own ("Keywords: ...", "DOI: 10...", "Published in: ..."), never an abstract's continuation.
_FIELD_LABEL = re.compile(r"^[A-Z][\w\-]*(?: [\w\-]+){0,2}\s*:(?:\s|$)")


def _continues(text: str, first: str, above: str, raw: str, strict: bool) -> bool:
    """Whether ``raw`` (a line as the page has it), right under the line ``above``, is the next line of an
    abstract that reads ``text`` so far and whose first line is ``first``: the abstract is wrapped.

    An abstract is one line (``PROFILE-FORMAT.md``); a saved page may wrap it all the same. A wrapped line
    is indented deeper than the abstract's first line (a hanging indent), or carries on a sentence that
    the line above, as long as a wrapped line is (``WRAP_WIDTH``), has not ended; in the by-year layout
    (``strict``), where each line is a paper, it also starts in lower case, as no abstract of its own does.
    A line with a field label (``Keywords:``) is no continuation.

    >>> above = "Self-play has recently emerged as a promising paradigm for training LLMs without"
    >>> _continues(above, above, above, "human data.", False), _continues(above, above, above, "   We show it.", False)
    (True, True)
    >>> _continues(above, above, above, "Keywords: RL", False), _continues(above, above, above, "Another paper.", True)
    (False, False)
    >>> _continues("A short abstract", "A short abstract", "A short abstract", "stray line", False)
    False
    """
    line = raw.strip()
    if raw[:1].isspace() and len(raw) - len(raw.lstrip()) > len(first) - len(first.lstrip()):
        return _FIELD_LABEL.match(line) is None
    if strict and not line[0].islower():
        return False
    if len(above.strip()) < WRAP_WIDTH:
        return False
    if _SENTENCE_END.search(text, len(text) - 4) is not None and _ABBREVIATION_END.search(text, len(text) - 8) is None:
        return False
    return _FIELD_LABEL.match(line) is None


class _PageReader:
    """One pass over one page's lines; collects records and problems."""

    def __init__(self, lines: list[str], source: str, as_of: _dt.date):
        self.lines = lines
        self.source = source
        self.as_of = as_of
        self.papers: list[PaperRecord] = []
        self.skipped_cards = 0  # cards dated after the as-of year, skipped (still cards of the page)
        self.problems: list[Problem] = []
        self.controls: list[tuple[int, str]] = []  # (line, text) of the page's buttons saved with its text
        self.chrome: list[tuple[int, str]] = []  # (line, text) of the site's own text (cookie notice, footer)

    def record(self, owner, title, title_inferred, date, year, category, score, has_code, abstract, urls,
               names, truncated, institutions, line, *, extras=None, venue=None) -> None:
        """Keep one paper as a validated :class:`PaperRecord`; ``extras`` maps the index of a name to the ids
        and affiliations written beside it."""
        authors = with_inferred_owner(names, owner)
        if extras:
            authors = tuple(
                AuthorRef(name=a.name, position=a.position, ids=extras[a.position][0],
                          affiliations=tuple(AffiliationRef(name=n) for n in extras[a.position][1]))
                if a.position in extras else a for a in authors
            )
        self.papers.append(PaperRecord(
            owner=owner, title=title, title_inferred=title_inferred, date=date, year=year, category=category,
            score=score, has_code=has_code, abstract=abstract, urls=urls, authors=authors, venue=venue,
            authors_truncated=truncated, institutions=institutions, source=self.source, source_format=FORMAT, line=line,
        ))

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(source=self.source, line=line, message=message))

    def control(self, lineno: int, line: str) -> bool:
        """Whether ``line`` is a page control ("Show more", "Load 25 more papers"); noted for one problem at the end."""
        if len(line) > 60 or line[0] not in "SsLlVvRr" or not _PAGE_CONTROL.match(line):
            return False
        self.controls.append((lineno, line))
        return True

    def site_text(self, lineno: int, line: str) -> bool:
        """Whether ``line`` is the site's own text (a skip link, a cookie notice, a breadcrumb, a footer); noted
        for one problem at the end, as page controls are."""
        if len(line) > 300 or not (_PAGE_CHROME.match(line) or (len(line) <= 40 and _SHORT_CHROME.match(line))):
            return False
        self.chrome.append((lineno, line))
        return True

    def report_controls(self) -> None:
        for lines, what in ((self.controls, "page controls"), (self.chrome, "site text (navigation, cookie notice, footer)")):
            if lines:
                n, shown = len(lines), list(dict.fromkeys(text[:60] for _, text in lines))
                listed = ", ".join(repr(t) for t in shown[:3]) + (", ..." if len(shown) > 3 else "")
                self.problem(lines[0][0], f"{n} line{'s' if n > 1 else ''} of {what} skipped ({listed})")

    def owner(self) -> tuple[str | None, int]:
        """The owner's name (see :func:`owner_name`) and the index of the line after it; the site's text
        above the name is skipped."""
        for index, raw in enumerate(self.lines):
            line = raw.strip()
            if not line:
                continue
            if CARD_HEADER.match(line) or _YEAR_HEADING.match(line) or _metric(line) is not None:
                self.problem(index + 1, f"expected the profile owner's name first, found {line[:60]!r}")
                return None, index
            if self.site_text(index + 1, line):  # "Skip to main content" above the name
                continue
            name, notes = owner_name(line)
            for note in notes:
                self.problem(index + 1, note)
            return name, index + 1
        return None, len(self.lines)

    # Layout A ---------------------------------------------------------------
    def listing(self, owner: str | None, start: int) -> Profile | None:
        metrics: dict[str, object] = {}
        announced: tuple[int, int] | None = None
        count_line = 0  # the line of the paper count metric
        card: dict | None = None
        state = "header"
        after_blank = True  # whether a blank line came before the current line
        known: set[str] = set()  # the names on the page's authors lines
        group: tuple[int, int] | None = None  # (year, line) of the year heading the cards stand under

        def finish() -> None:
            if card is None:
                return
            if card.get("title") is None:
                self.problem(card["line"], "card has a header but no title; card skipped")
                return
            if state == "authors":
                self.problem(card["line"], "card has no authors line")
            abstract = card.get("abstract")
            year = card["date"].year if card["date"] is not None else card["year"]
            self.record(owner, card["title"], False, card["date"], year, card["category"], card["score"],
                        card["has_code"], abstract, find_urls(abstract) if abstract else (), card.get("authors", ()),
                        card.get("truncated", False), card.get("institutions", ()), card["line"],
                        extras=card.get("extras"), venue=card.get("venue"))

        for index in range(start, len(self.lines)):
            lineno, line = index + 1, self.lines[index].strip()
            if not line:
                after_blank = True
                continue
            blank_before, after_blank = after_blank, False
            header = None
            if line[-1].isdigit() or (line[-1] in "eoy" and line.endswith(("Code", "ago", "today", "yesterday"))):
                try:
                    header = parse_card_header(line, self.as_of)
                except ValueError as exc:  # after the as-of year: the card and its lines are skipped
                    self.problem(lineno, f"card dated after the as-of date ({exc}); the card is skipped: {line!r}")
                    finish()
                    card, state = None, "skip"
                    self.skipped_cards += 1
                    continue
            if header is not None:
                finish()
                if issue := header.pop("issue", None):
                    self.problem(lineno, f"{issue}: {line!r}")
                if group is not None:
                    header = self.in_group(header, line, lineno, group)
                card, state = {"line": lineno, **header}, "title"
                continue
            if self.control(lineno, line):
                continue
            if state != "title" and (heading := _YEAR_HEADING.match(line)) is not None:
                # cards grouped under year headings: the heading ends the card above and dates the cards below
                finish()
                card, state, group = None, "group", (int(heading[1]), lineno)
                continue
            if state == "group":
                self.problem(lineno, f"unexpected line under the year heading at line {group[1]}: {line[:80]!r}")
                continue
            if state == "header":
                metric = _metric(line)
                if metric is None:
                    if not self.site_text(lineno, line):
                        self.problem(lineno, f"unrecognised line in the profile header: {line[:80]!r}")
                elif not _in_range(metric):
                    low, high = METRIC_RANGES[metric[0]]
                    what = "paper count heading" if metric[0] == "heading" else metric[0].replace("_", " ")
                    self.problem(lineno, f"{what} out of range ({low:,}-{high:,}): {line[:60]!r}; ignored")
                elif metric[0] == "heading":
                    if announced is not None and "paper_count" not in metrics:
                        metrics["paper_count"] = announced[0]  # "3,210 Papers" then "5 Papers": the first is the metric
                        count_line = announced[1]
                    elif announced is not None:
                        self.problem(lineno, f"a second paper count heading (the first at line {announced[1]}); "
                                             "the cards are checked against this one")
                    announced = (metric[1], lineno)
                elif metric[0] in metrics:
                    self.problem(lineno, f"{metric[0]} given twice; keeping the first value")
                else:
                    metrics[metric[0]] = metric[1]
                    if metric[0] == "paper_count":
                        count_line = lineno
            elif state == "title":
                card["title"], state = _one_spaced(line), "authors"
            elif state == "authors":
                if not blank_before and self.authors_follow(index):
                    # a line right under the title, with the authors line after a blank: the title's second line or
                    # the venue, never the authors
                    if _VENUE.search(line):
                        card["venue"] = _one_spaced(line)
                        self.problem(lineno, f"line under the title read as the venue (the authors line follows): {line[:80]!r}")
                    else:
                        card["title"] = f"{card['title']} {_one_spaced(line)}"
                        self.problem(lineno, f"line under the title read as the title's second line (the authors line "
                                             f"follows): {line[:80]!r}")
                elif looks_like_authors(line):
                    read = _read_authors(line)
                    card.update(authors=read.names, truncated=read.truncated, institutions=read.institutions,
                                extras=read.extras, authors_line=lineno)
                    known.update(read.names)
                    for part, why in read.rejected:
                        self.problem(lineno, f"authors line: {part[:60]!r} is not a name ({why}); left out")
                    for text in read.ambiguous:
                        self.problem(lineno, f"authors line: {text[:80]!r} may be written 'Family, Given'; "
                                             "read with each comma between two names")
                    for note in read.notes:
                        self.problem(lineno, note)
                    state = "abstract"
                else:
                    self.problem(card["line"], "card has no authors line; the line after the title is read as the abstract")
                    card["abstract"], card["abstract_first"], card["abstract_at"], state = line, index, index, "done"
            elif state == "abstract":
                card["abstract"], card["abstract_first"], card["abstract_at"], state = line, index, index, "done"
            elif state == "skip":  # the lines of a card skipped above
                pass
            elif self.site_text(lineno, line):  # "done" from here on
                pass
            elif not blank_before and card.get("abstract_at") == index - 1 and _continues(
                    card["abstract"], self.lines[card["abstract_first"]], self.lines[index - 1], self.lines[index], False):
                card["abstract"], card["abstract_at"] = f"{card['abstract']} {_one_spaced(line)}", index
            else:
                self.problem(lineno, f"unexpected line after the abstract of the card at line {card['line']}: {line[:80]!r}")
        if card is not None and state == "abstract" and self.cut_after(card["authors_line"]):
            self.cut_authors(card, {owner, *known} if owner else known)
        finish()
        self.report_controls()
        if announced is not None and announced[0] != len(self.papers) + self.skipped_cards:
            self.problem(announced[1], f"page announces {announced[0]} papers but has {len(self.papers) + self.skipped_cards} cards")
        elif "paper_count" in metrics:
            self.check_paper_count(metrics["paper_count"], count_line, announced)
        if owner is None:
            return None
        return Profile(name=owner, layout="listing", source=self.source, **metrics)

    def in_group(self, header: dict, line: str, lineno: int, group: tuple[int, int]) -> dict:
        """A card header under a year heading (``group``: its year and line): a date without a year is in the
        heading's year (not the as-of date's), and a card dated another year is reported (its own date kept)."""
        year, heading_line = group
        match = CARD_HEADER.match(line)
        if match is not None and match["year"] is None and header["date"] is not None and header["date"].year != year:
            try:
                date = _dt.date(year, header["date"].month, header["date"].day)
            except ValueError:  # Feb 29 under a common year
                self.problem(lineno, f"card date {line!r} is not a day of {year}, the year heading at line "
                                     f"{heading_line}; read as {header['date']}")
                return header
            if date > self.as_of:
                self.problem(lineno, f"card date {date} (the year heading at line {heading_line}) is after the as-of "
                                     f"date {self.as_of}; kept")
            return {**header, "date": date}
        shown = header["date"].year if header["date"] is not None else header.get("year")
        if shown is not None and shown != year:
            self.problem(lineno, f"card dated {shown} under the year heading {year} (line {heading_line}); its own date kept")
        return header

    def check_paper_count(self, total: int, lineno: int, announced: tuple[int, int] | None) -> None:
        """Report a paper count metric (``10papers``, the owner's papers in all) that the cards contradict.

        The metric counts every paper of the owner; a page may list only some of them, so it is checked one way
        or the other depending on what the page says of its list:

        - more cards than the metric: always reported (the total cannot be below what the page lists);
        - fewer cards: the page lists a selection when its paper count heading says so (``3,210papers`` then
          ``12 Papers`` over 12 cards, the heading being checked against the cards already) or when it saved a
          control for the rest (``Show more``, ``Load 25 more papers``); otherwise, where the page lists all its
          papers as the documented layout does (heading and metric the same), cards are missing and it is reported.

        Called when the heading, if any, agrees with the cards (a heading that does not is reported on its own).
        """
        shown = len(self.papers) + self.skipped_cards  # a card after the as-of year is on the page all the same
        if shown > total:
            self.problem(lineno, f"the paper count metric says {total:,} papers in all but the page has {shown} cards")
        elif shown < total and announced is None and not self.controls:
            self.problem(lineno, f"the paper count metric says {total:,} papers but the page has {shown} cards, and no "
                                 "paper count heading or 'Show more' control says that it lists only some")

    def authors_follow(self, index: int) -> bool:
        """Whether, after line ``index`` of a card (a line right under its title), a blank line and an authors
        line come, and another line of the card after them: then line ``index`` is not the authors line."""
        following = []
        blank = False
        for raw in self.lines[index + 1:]:
            line = raw.strip()
            if not line:
                blank = True
                continue
            if _card_header_match(line) is not None or len(following) == 2:
                break
            if not following and not blank:
                return False
            following.append(line)
        return len(following) == 2 and looks_like_authors(following[0])

    def cut_after(self, lineno: int) -> bool:
        """Whether the page ends at line ``lineno`` (only blank lines after it)."""
        return not any(line.strip() for line in self.lines[lineno:])

    def cut_authors(self, card: dict, known: set[str]) -> None:
        """Report the last card of a page that ends on its authors line when its last name is the beginning
        of a longer name on the page (the owner's, a co-author's: ``Lena Sch`` on ``Lena Schmidt``'s page):
        the page is cut inside the name, which is left out (the owner is then inferred)."""
        names = card["authors"]
        last = names[-1].casefold() if names and not card.get("truncated") and not card.get("institutions") else None
        where = f"page ends inside the authors line of the card at line {card['line']}: the page is cut there"
        if last and any(name.casefold().startswith(last) and len(name) > len(last) for name in known):
            card["authors"] = names[:-1]
            card["extras"] = {i: extra for i, extra in (card.get("extras") or {}).items() if i < len(names) - 1}
            self.problem(card["authors_line"], f"{where}; the last name {names[-1]!r} is the start of a longer name "
                                               "on the page, left out")

    # Layout B ---------------------------------------------------------------
    def by_year(self, owner: str | None, start: int) -> Profile | None:
        year: int | None = None
        bad_heading: int | None = None  # line of an invalid year heading whose entries are skipped
        counted: tuple[int, int, str] | None = None  # (count, line, text) of a heading such as "2022 (2)"
        entries = 0  # under the current heading
        entry_at = entry_first = -2  # the index of the last and of the first line of the last entry kept
        entry_text = ""

        def check_count() -> None:
            if counted is not None and counted[0] != entries:
                self.problem(counted[1], f"year heading {counted[2]!r} announces {counted[0]} papers but has {entries}")

        for index in range(start, len(self.lines)):
            lineno = index + 1
            line = self.lines[index].strip()
            if not line:
                continue
            if heading := _FOUR_DIGITS.match(line):
                check_count()
                year, bad_heading, entries = int(heading[1]), None, 0
                count = heading["count"] or heading["dotted"]
                counted = (int(count), lineno, line) if count else None
                if not _YEAR_HEADING.match(line) or year > self.as_of.year:
                    why = (f"is after the as-of year {self.as_of.year}" if year > self.as_of.year
                           else f"is before {FIRST_YEAR}")
                    self.problem(lineno, f"year heading {line} {why}; its entries are skipped")
                    year, bad_heading, counted = None, lineno, None
                continue
            if self.control(lineno, line) or self.site_text(lineno, line):
                continue
            # a continuation is indented or starts in lower case: most entries are tested no further
            if (line[0].islower() or self.lines[index][:1].isspace()) and entry_at == index - 1 and _continues(
                    entry_text, self.lines[entry_first], self.lines[index - 1], self.lines[index], True):
                entry_text, entry_at = f"{entry_text} {_one_spaced(line)}", index
                record = self.papers.pop()  # the entry read so far, kept again whole
                self.record(owner, derive_title(entry_text), True, None, year, None, None, False, entry_text,
                            find_urls(entry_text), (), False, (), record.line)
                continue
            if bad_heading is not None:
                self.problem(lineno, f"entry under the invalid year heading at line {bad_heading}; skipped")
                continue
            if year is None:
                self.problem(lineno, f"text before the first year heading: {line[:80]!r}")
                continue
            if len(line.split()) < SHORT_ENTRY_WORDS and len(line) < 40 and not line.endswith((".", "!", "?")):
                self.problem(lineno, f"entry is no abstract (a few words, no sentence): {line[:80]!r}; skipped")
                continue
            entries += 1
            entry_text, entry_at, entry_first = line, index, index
            self.record(owner, derive_title(line), True, None, year, None, None, False, line, find_urls(line),
                        (), False, (), lineno)
        check_count()
        self.report_controls()
        if owner is None:
            return None
        return Profile(name=owner, layout="by-year", source=self.source)


def _in_range(metric: tuple[str, object]) -> bool:
    low, high = METRIC_RANGES.get(metric[0], (None, None))
    return low is None or low <= metric[1] <= high


def _metric(line: str) -> tuple[str, object] | None:
    if m := _H_INDEX.match(line):
        return "h_index", _int(m[1])
    if m := _PAPERS_HEADING.match(line):
        return "heading", _int(m[1])
    if m := _PAPERS_METRIC.match(line):
        return "paper_count", _int(m[1])
    if m := _CITATIONS.match(line):
        return "citations", _int(m[1])
    if m := _NOVELTY.match(line):
        return "novelty", float(m[1])
    if m := _AI_SCORE.match(line):
        return "ai_score", float(m[1])
    if _CATEGORY.match(line):
        return "primary_category", line
    return None


def parse_profile_text(text: str, source: str, *, as_of: _dt.date | None = None) -> PageResult:
    """Read one profile page from its text.

    Never raises on odd input: whatever cannot be read becomes a problem with
    the line it was found on, and the rest of the page is still read.
    """
    reader, profile = _read_page(_PageReader(_lines(text), source, as_of or _dt.date.today()), text)
    return PageResult(
        source=source, profile=profile, papers=tuple(reader.papers), problems=tuple(reader.problems)
    )


def _read_page(reader: _PageReader, text: str) -> tuple[_PageReader, Profile | None]:
    """Run ``reader`` over its page; the profile it found (its records and problems stay on it)."""
    lines = reader.lines
    if not text.strip():
        reader.problem(0, "empty file")
        return reader, None
    owner, start = reader.owner()
    if owner is not None and not any(line.strip() for line in lines[start:]):
        # a name alone is no page (and is what random bytes decoded as text often look like)
        reader.problem(start, f"nothing after the owner's name {owner[:60]!r}: no metrics, cards or year headings; skipped")
        reader.report_controls()
        return reader, None
    layout = detect_layout(lines, start)
    profile = reader.by_year(owner, start) if layout == "by-year" else reader.listing(owner, start)
    if profile is not None and not reader.papers and not _page_structure(lines, start):
        # a notes file, a README, a log saved as .txt: its first line is no researcher (its other lines were
        # each "unrecognised"): one problem for the file, nothing read from it
        reader.problems = [Problem(source=reader.source, line=0, message=(
            f"not a profile page (after its first line, {lines[start - 1].strip()[:60]!r}, no metric, paper card "
            "or year heading); skipped"))]
        reader.papers = []
        return reader, None
    return reader, profile


def _page_structure(lines: Sequence[str], start: int) -> bool:
    """Whether the lines from ``start`` (those after the owner's name) have any of a profile page's structure:
    a metric, a card header or a year heading (valid or not: a page of cards all skipped is still a page),
    or the primary category where the format puts it, first under the name. Only a page that gave no paper
    is asked (so no page that did pays for it).

    >>> _page_structure(["Ada Lovelace", "", "CL"], 1), _page_structure(["Ada Lovelace", "2024", "An abstract."], 1)
    (True, True)
    >>> _page_structure(["Shopping list", "milk", "OK", "2 eggs"], 1)
    False
    """
    first = True
    for raw in lines[start:]:
        line = raw.strip()
        if not line:
            continue
        metric = _metric(line)
        if (metric is not None and (first or metric[0] != "primary_category")) or _FOUR_DIGITS.match(line) \
                or _card_header_match(line) is not None:
            return True
        first = False
    return False


_COMPACT: tuple = ()


def _compact_types() -> tuple:
    """The resolver's record types, imported on first use (``graphkit extract`` never needs them)."""
    global _COMPACT
    from graphkit.resolve.records import AT_INDEX, Affiliation, Author, CompactRecord

    _COMPACT = (Author, CompactRecord, Affiliation, AT_INDEX)
    return _COMPACT


class _CompactPageReader(_PageReader):
    """A page reader that keeps compact records (what a build holds), built directly from the page's values.

    The values are the ones :meth:`_PageReader.record` validates into a :class:`PaperRecord`;
    building the :class:`~graphkit.resolve.records.CompactRecord` from them skips the
    validation and the later copy (``compact(PaperRecord(...))`` gives an equal record).
    """

    def __init__(self, lines: list[str], source: str, as_of: _dt.date, shared: dict):
        super().__init__(lines, sys.intern(source), as_of)
        self.shared = shared
        self.inferred = None  # the page owner as an inferred author, once made

    def record(self, owner, title, title_inferred, date, year, category, score, has_code, abstract, urls,
               names, truncated, institutions, line, *, extras=None, venue=None) -> None:
        Author, CompactRecord, Affiliation, at_index = _COMPACT or _compact_types()
        shared, intern = self.shared, sys.intern
        names, missing = _with_owner(names, owner)
        authors = tuple(map(intern, names))
        if extras:
            listed = list(authors)
            for i, (ids, affiliations) in extras.items():
                author = Author(listed[i], None, None, at_index, tuple(map(intern, ids)),
                                tuple(Affiliation(intern(a)) for a in affiliations), False)
                listed[i] = shared.setdefault(author, author)
            authors = tuple(listed)
        if missing:
            inferred = self.inferred or Author(intern(owner), None, None, None, (), (), True)
            self.inferred = inferred = shared.setdefault(inferred, inferred)  # one owner per page
            authors += (inferred,)
        if institutions:
            institutions = shared.get(institutions) or _affiliations(institutions, shared)
        self.papers.append(CompactRecord(
            title, title_inferred, (), year, date, venue and intern(venue), None, abstract, urls, authors, truncated, institutions,
            owner and intern(owner), category and intern(category), score, has_code, self.source, FORMAT, line, None,
        ))


def _affiliations(names: tuple[str, ...], shared: dict) -> tuple:
    """A card's institution slugs as shared affiliation tuples; the slugs' tuple maps to them in ``shared``
    (a tuple of strings never equals a tuple of affiliations, so the two kinds of key cannot clash)."""
    from graphkit.resolve.records import Affiliation

    affiliations = tuple([shared.setdefault(a, a) for a in (Affiliation(sys.intern(n)) for n in names)])
    affiliations = shared.setdefault(affiliations, affiliations)
    shared[names] = affiliations
    return affiliations


# ------------------------------------------------------- the reader protocol

_PAGE_SIGNS = (CARD_HEADER, _YEAR_HEADING, _H_INDEX, _PAPERS_METRIC, _PAPERS_HEADING, _CITATIONS, _NOVELTY, _AI_SCORE)
_OTHER_FORMATS = ("@", "{", "[", "<", "%", "TY  -", "PT ", "FN ", "\"", "PMID-")


def sniff(head: bytes) -> bool:
    r"""Whether ``head`` (a file's first bytes) looks like a profile page.

    A page starts with a short line (the owner's name) soon followed by a
    metric, a card header or a year heading.

    >>> sniff(b"Ada Lovelace\n\nh-index3\n"), sniff(b"@article{x,\n title={T}}\n")
    (True, False)
    """
    text, _ = decode_page(head, "", partial=True)
    if text is None:
        return False
    lines = [line.strip() for line in _lines(text)[:60] if line.strip()]
    if not lines or len(lines[0]) > 200 or lines[0].startswith(_OTHER_FORMATS):
        return False
    return any(sign.match(line) for line in lines[1:40] for sign in _PAGE_SIGNS)


def _line_of(data: bytes, at: int) -> int:
    return data.count(b"\n", 0, at) + 1


def decode_page(data: bytes, source: str, *, partial: bool = False) -> tuple[str | None, Problem | None]:
    r"""Text of a page and None; None and a problem saying why the bytes are not a text page; or the text
    and a problem saying how it was read.

    UTF-8 (with or without a byte-order mark) and UTF-16/32 with a byte-order
    mark are read; ``partial`` tolerates a character cut at the end of ``data``.
    Text in a legacy encoding is read in it, as the other text readers read it
    (:func:`~graphkit.readers._text.legacy_encoding`: GB18030 for a Chinese
    page, Windows-1252 for an 8-bit one...), and reported with the encoding's
    name. A UTF-8 page with a stray byte is not misread so: it is refused.

    >>> decode_page("Ada".encode("utf-16"), "a.txt")
    ('Ada', None)
    >>> str(decode_page(b"Ada\nx\x00y", "a.txt")[1])
    'a.txt:2: binary file (NUL byte); skipped'
    >>> text, problem = decode_page("J\u00fcrgen Schmidhuber\n\nh-index99".encode("cp1252"), "j.txt")
    >>> text.split("\n")[0], str(problem)
    ('Jürgen Schmidhuber', 'j.txt:1: not UTF-8: read as Windows-1252 (cp1252), the encoding older Windows tools write')
    >>> text, problem = decode_page("\u5f20\u4f1f\n\nh-index9".encode("gbk"), "z.txt")
    >>> text.split("\n")[0], str(problem).split(",")[0]
    ('张伟', 'z.txt:1: not UTF-8: read as GB18030 (Chinese; GBK and GB2312 are part of it)')
    """
    from graphkit.readers._files import bom_encoding
    from graphkit.readers._text import LEGACY_ENCODING, legacy_encoding

    if not data:
        return None, Problem(source=source, line=0, message="empty file")
    encoding, skip = bom_encoding(data)
    try:
        if partial:
            import codecs

            text = codecs.getincrementaldecoder(encoding or "utf-8")().decode(data[skip:], final=False)
        else:
            text = data[skip:].decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        if encoding is None and b"\x00" in data:
            nul = data.find(b"\x00")
            return None, Problem(source=source, line=data.count(b"\n", 0, nul) + 1, message="binary file (NUL byte); skipped")
        if encoding is None and (legacy := legacy_encoding(data, final=not partial)) is not None:
            codec, said = legacy
            at = next(i for i, byte in enumerate(data) if byte > 127)
            if codec == LEGACY_ENCODING:  # a page is no Excel export: the words of the other readers do not fit
                said = f"Windows-1252 ({LEGACY_ENCODING}), the encoding older Windows tools write"
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as bad:  # bytes the encoding has no character for (or a character cut by ``partial``)
                text = data.decode(codec, "replace")
                if not partial:
                    said += f"; bytes that are not valid in it replaced (first at line {_line_of(data, bad.start)})"
            return text, Problem(source=source, line=_line_of(data, at), message=f"not UTF-8: read as {said}")
        at = exc.start + skip
        line = data.count(b"\n", 0, at) + 1
        return None, Problem(
            source=source, line=line,
            message=f"not {encoding or 'UTF-8'} text (byte 0x{data[at]:02x} at offset {at}); skipped",
        )
    nul = text.find("\x00")
    if nul >= 0:
        return None, Problem(source=source, line=text.count("\n", 0, nul) + 1, message="binary file (NUL byte); skipped")
    return text, None


def parse_profile(
    stream: BinaryIO, source: str, *, as_of: _dt.date | None = None
) -> Iterator[Profile | PaperRecord | Problem]:
    """Read one page from a binary stream: its :class:`Profile` (if any), then records and problems.

    Pages are small, so the stream is read whole.
    """
    text, problem = decode_page(stream.read(), source)
    if problem is not None:
        yield problem
    if text is None:
        return
    page = parse_profile_text(text, source, as_of=as_of)
    if page.profile is not None:
        yield page.profile
    yield from page.papers
    yield from page.problems


def parse_compact(
    stream: BinaryIO, source: str, *, as_of: _dt.date | None = None, shared: dict | None = None
) -> Iterator[Profile | Problem]:
    """:func:`parse_profile` for a build: the page's records come as compact records.

    Yields what :func:`parse_profile` yields, in the same order, except that each
    :class:`PaperRecord` is a :class:`~graphkit.resolve.records.CompactRecord` equal to
    ``compact(record, shared)``, built without the pydantic record in between (a build
    holds every record; validating and then copying each one was most of extraction).
    ``shared`` (a dict kept for one build) stores equal author and affiliation tuples once.
    """
    text, problem = decode_page(stream.read(), source)
    if problem is not None:
        yield problem
    if text is None:
        return
    reader = _CompactPageReader(_lines(text), source, as_of or _dt.date.today(), {} if shared is None else shared)
    reader, profile = _read_page(reader, text)
    if profile is not None:
        yield profile
    yield from reader.papers
    yield from reader.problems


def read_profile(path: str | os.PathLike, *, as_of: _dt.date | None = None) -> Iterator[Profile | PaperRecord | Problem]:
    """Open ``path`` (see :func:`~graphkit.readers._files.open_input`) and :func:`parse_profile` it."""
    from graphkit.readers._files import open_input

    with open_input(path) as stream:
        yield from parse_profile(stream, os.fspath(path), as_of=as_of)


parse = parse_profile
read = read_profile


# ---------------------------------------------------------------- rendering


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def format_listing_page(profile: Profile, papers: Iterable[PaperRecord], *, as_of: _dt.date | None = None) -> str:
    """Write a page in the listing layout (the inverse of the reader).

    Dates in the as-of year are written without a year, as the sites do.
    """
    papers = list(papers)
    out = [profile.name, ""]
    if profile.primary_category:
        out.append(profile.primary_category)
    if profile.h_index is not None:
        out.append(f"h-index{profile.h_index}")
    if profile.paper_count is not None:
        out.append(f"{profile.paper_count}papers")
    if profile.citations is not None:
        out.append(f"{profile.citations:,}citations")
    if profile.novelty is not None:
        out.append(f"Novelty{_format_number(profile.novelty)}%")
    if profile.ai_score is not None:
        out.append(f"AI Score{_format_number(profile.ai_score)}")
    out += ["", f"{len(papers)} Papers", ""]
    for paper in papers:
        if paper.date is None or paper.category is None:
            raise ValueError("listing cards need a date and a category")
        date = f"{_MONTH_NAMES[paper.date.month]} {paper.date.day}"
        if as_of is None or paper.date.year != as_of.year or paper.date > as_of:
            date += f", {paper.date.year}"
        score = _format_number(paper.score) if paper.score is not None else ""
        out.append(f"{score}{paper.category}{date}{'Code' if paper.has_code else ''}")
        out.append(paper.title)
        out.append("")
        authors = ", ".join(paper.author_names) + (" et al." if paper.authors_truncated else "")
        if paper.institutions:
            authors += " \u00b7 " + ", ".join(i.name or "" for i in paper.institutions)
        out.append(authors)
        out.append("")
        if paper.abstract:
            out += [paper.abstract, ""]
    return "\n".join(out).rstrip("\n")


def format_by_year_page(profile: Profile, papers: Iterable[PaperRecord]) -> str:
    """Write a page in the by-year layout: year headings, one abstract per line."""
    by_year: dict[int, list[str]] = {}
    for paper in papers:
        if paper.year is None or not paper.abstract:
            raise ValueError("by-year entries need a year and an abstract")
        by_year.setdefault(paper.year, []).append(paper.abstract)
    out = [profile.name, "", ""]
    for year in sorted(by_year, reverse=True):
        out += [str(year), "", *by_year[year], ""]
    return "\n".join(out).rstrip("\n")
