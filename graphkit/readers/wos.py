"""Web of Science plain-text exports (``savedrecs.txt``): tagged fields, ``PT`` ... ``ER`` per record.

The tab-delimited export (a ``PT<tab>AU<tab>...`` header row, one row per
record, people and addresses joined with ``; ``) is read too, into the same
fields.

A line is a two-character tag, a space and a value; a line starting with
three spaces continues the tag above it with one more value (one author,
one address). ``FN``/``VR`` open the file and ``EF`` ends it; exports joined
with ``cat`` go on after ``EF`` with the next one's byte-order mark, ``FN`` or
``VR`` (in the tab-delimited export, the next one's header row). Read line
by line; each record keeps the line of its ``PT``.

- Authors: ``AF`` (full names, ``Lee, Kenton``), else ``AU`` (``Lee, K``), else
  a book's ``BF``/``BA``;
  ``CA`` group authors after them; ``BE`` editors are never authors;
  ``[Anonymous]`` is no author.
- Per-author affiliations from ``C1``: ``[Lee, Kenton; Zettlemoyer, Luke] Univ
  Washington, Seattle, WA 98195 USA`` gives that address to the bracketed
  authors (matched by name to ``AF``); an address without brackets belongs
  to the paper as a whole (its ``institutions``), also among bracketed ones.
  Each address is one line (in the tab-delimited export, one of the items
  ``; `` separates outside brackets); a line continues the address above it
  only when that one is bracketed and unfinished (its names list still open,
  or no closing ``.`` yet). Country codes from the address's last part
  (``USA``, ``Peoples R China``, ``England``).
- ORCIDs from ``OI`` (``Zettlemoyer, Luke/0000-0002-...``), matched to
  authors by name; ResearcherIDs (``RI``) have no place in graphkit's id
  schemes and are not read. A name in ``C1`` or ``OI`` that is exactly one
  ``AU`` or ``AF`` entry (case and spacing aside) is that author, whatever
  other authors its initials fit (``Smith, JA`` beside ``Smith, J``); else
  it is matched by family name and given name or initial, and a name that
  fits several authors of the record (two people called ``Zhang, Wei``) is
  given to none of them, and reported.
- Paper: ``TI``; ``SO`` venue; ``PY`` year, with ``PD`` (``SEP 15``) a date;
  ``DI`` (``doi:``); ``UT`` (``wos:`` and the UT without ``WOS:``); ``PM``
  (``pmid:``); ``AB``; ``DT``/``PT`` kind; ``VL`` volume, ``IS`` issue,
  ``BP``-``EP`` pages, else ``AR`` (the article number). Titles, venues and
  addresses lose inline formatting tags and have character references decoded.
- Problems: lines outside a record or after ``EF``, a record cut off
  without ``ER``, a record without a title, a tab-delimited row with more or
  fewer fields than the header, an impossible date (``PD FEB 30``, its year
  kept; the ``PD`` line, or the row's).

>>> import io
>>> text = b'''FN Clarivate Analytics Web of Science
... VR 1.0
... PT C
... AU Lee, K
...    Zettlemoyer, L
... AF Lee, Kenton
...    Zettlemoyer, Luke
... TI End-to-end Neural Coreference Resolution
... C1 [Lee, Kenton; Zettlemoyer, Luke] Univ Washington, Paul G Allen Sch Comp Sci & Engn, Seattle, WA 98195 USA.
... PY 2017
... DI 10.18653/v1/D17-1018
... UT WOS:000000000000001
... ER
... EF'''
>>> [rec] = parse_wos(io.BytesIO(text), "savedrecs.txt")
>>> rec.author_names, rec.authors[1].affiliations[0].country, rec.ids, rec.kind, rec.line
(('Kenton Lee', 'Luke Zettlemoyer'), 'US', ('doi:10.18653/v1/d17-1018', 'wos:000000000000001'), 'inproceedings', 3)
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from typing import BinaryIO

from graphkit.models import AffiliationRef, AuthorRef, PaperRecord, Problem
from graphkit.readers._countries import country_code
from graphkit.readers._files import open_input
from graphkit.readers._ids import doi_id, orcid_id, with_arxiv_dois
from graphkit.readers._names import AuthorIndex, last_first_suffix, split_name
from graphkit.readers._text import iter_lines, stray_line, stray_problem, strip_markup, unescape_entities
from graphkit.readers.ris import FIRST_YEAR, LAST_YEAR, read_year

__all__ = ["FORMAT", "SUFFIXES", "parse", "parse_wos", "read", "read_wos", "sniff"]

FORMAT = "wos"
SUFFIXES = (".wos", ".ciw", ".isi")  # .isi: the name metaknowledge and many WoS workflows give an export

_TAG = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_SNIFF = re.compile(rb"(?m)^(?:\xef\xbb\xbf)?(?:FN (?:Clarivate|Thomson)|PT [A-Z]\s*$|PT\tAU\t)")
_SNIFF_UTF16 = "PT\tAU\t".encode("utf-16-le")  # the tab-delimited "(Win)" export is UTF-16 LE
_MONTHS = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)}
_PT_KINDS = {"J": "article", "C": "inproceedings", "B": "book", "S": "chapter", "P": "other"}
_YEAR = re.compile(r"\b(\d{4})\b")
_GROUP = re.compile(r"^\[([^\]]*)\]\s*(.*)$")
# Fields with one value per line (a person, an address, a reference); in the
# others a continuation line goes on with the same value.
_ONE_PER_LINE = frozenset("AU AF BA BF BE CA GP C1 C3 CR EM RP".split())


def _wraps_address(above: str, value: str) -> bool:
    """Whether a ``C1`` continuation line ``value`` goes on with the address ``above`` rather than being one of its own.

    A bracketed address wrapped onto the next line has not ended: its names list is still open, or it has no
    closing period yet (Web of Science ends every address with one). A line after a finished address is
    another address, with or without brackets.

    >>> _wraps_address("[Joshi, Mandar] Univ Washington, Allen Sch Comp", "Sci & Engn, Seattle, WA 98195 USA.")
    True
    >>> _wraps_address("[Doe, Jane] Stanford Univ, Stanford, CA 94305 USA.", "Harvard Univ, Cambridge, MA 02138 USA.")
    False
    >>> _wraps_address("[Weld, Daniel S.", "Zettlemoyer, Luke] Univ Washington, Seattle, WA USA."), _wraps_address("[Doe, Jane] A.", "[Roe, R] B.")
    (True, False)
    """
    if not above.startswith("[") or value.startswith("["):
        return False
    return "]" not in above or not above.rstrip().endswith(".")


def sniff(head: bytes) -> bool:
    """Whether ``head`` is a Web of Science export: plain text (``FN Clarivate ...`` or a ``PT J`` line) or tab-delimited (``PT<tab>AU<tab>...``).

    >>> sniff(b"FN Clarivate Analytics Web of Science\\nVR 1.0\\nPT J\\n"), sniff(b"TY  - JOUR\\n"), sniff(b"PT\\tAU\\tBA\\tTI\\r\\n")
    (True, False, True)
    """
    return _SNIFF.search(head) is not None or head[2:2 + len(_SNIFF_UTF16)] == _SNIFF_UTF16


def _kind(tags: dict[str, list[str]]) -> str:
    doc_type = " ".join(tags.get("DT", [])).lower()
    if "proceedings paper" in doc_type:
        return "inproceedings"
    if "book chapter" in doc_type:
        return "chapter"
    if doc_type.startswith("book"):
        return "book"
    if "data paper" in doc_type:
        return "dataset"
    if doc_type:
        return "article" if any(t in doc_type for t in ("article", "review", "editorial", "letter", "note")) else "other"
    pt = (tags.get("PT") or [""])[0].strip().upper()
    return _PT_KINDS.get(pt, "other")


def _plain(text: str) -> str:
    """``text`` on one line, without inline formatting tags and with character references decoded, as every
    reader gives it."""
    return unescape_entities(" ".join(strip_markup(text).split()))


def _one(tags: dict[str, list[str]], tag: str) -> str | None:
    return " ".join(" ".join(tags.get(tag, ())).split()) or None


def _affiliation(address: str) -> AffiliationRef | None:
    address = _plain(address).rstrip(".").strip()
    if not address:
        return None
    return AffiliationRef(name=address, country=country_code(address.rsplit(",", 1)[-1]))


def _date(tags: dict[str, list[str]], year: int | None) -> tuple[_dt.date | None, str | None]:
    """The date of ``PD`` (``SEP 15``) in the year ``PY``, and the ``PD`` text when it names a day the month has not.

    >>> _date({"PD": ["SEP 15"]}, 2019), _date({"PD": ["FEB 30"]}, 2019), _date({"PD": ["FEB 29"]}, 2020), _date({"PD": ["SPR"]}, 2019)
    ((datetime.date(2019, 9, 15), None), (None, 'FEB 30'), (datetime.date(2020, 2, 29), None), (None, None))
    """
    pd = " ".join(tags.get("PD", [])).upper().split()
    if year is None or len(pd) < 2 or pd[0] not in _MONTHS or not pd[1].isdigit():
        return None, None
    try:
        return _dt.date(year, _MONTHS[pd[0]], int(pd[1])), None
    except ValueError:
        return None, " ".join(" ".join(tags.get("PD", [])).split())


def _is_anonymous(raw: str) -> bool:
    """Whether a written author is Web of Science's placeholder for none (``[Anonymous]``)."""
    return raw.strip().lower() == "[anonymous]"


def _ambiguity_problems(ambiguous: dict[str, set[str]], found: dict[str, list[int]], source: str, line: int) -> list[Problem]:
    problems = []
    for name, fields in ambiguous.items():
        what = " and ".join(f for f in ("C1", "OI") if f in fields)
        given = " and ".join(g for f, g in (("C1", "addresses"), ("OI", "ORCID")) if f in fields)
        numbers = " and ".join(", ".join(str(i + 1) for i in found[name]).rsplit(", ", 1))
        problems.append(Problem(
            source=source, line=line,
            message=f"{what} name {name!r}, which matches {len(found[name])} authors of the record (numbers {numbers}): its {given} not given to any of them",
        ))  # fmt: skip
    return problems


def _exact_key(name: str) -> str:
    """A written name compared as it is, but for case and spacing (``Smith, JA`` and ``smith,JA``)."""
    return "".join(name.split()).casefold()


class _WrittenIndex:
    """The authors a ``C1`` or ``OI`` name stands for: a name that is exactly one ``AU`` or ``AF`` entry (case
    and spacing aside) is that author; any other name is looked up as :class:`AuthorIndex` does (family name and
    given name or initial), where ``Smith, JA`` fits both ``Smith, John`` and ``Smith, Jane A.``.

    >>> people = [split_name(n) for n in ("Smith, John", "Smith, Jane A.")]
    >>> index = _WrittenIndex(people, [0, 1], ["Smith, John", "Smith, Jane A."], {"AU": ["Smith, J", "Smith, JA"]})
    >>> index.positions("Smith, JA"), index.positions("smith,  j"), index.positions("Smith, Jane A."), index.positions("Smith, J. A.")
    ([1], [0], [1], [0, 1])
    """

    def __init__(self, people: list, written_at: list[int | None], written: list[str], tags: dict[str, list[str]]):
        self.loose = AuthorIndex(people)
        self.exact: dict[str, set[int]] = {}
        # AF and AU (a book's BF and BA) are one list of authors in two spellings, entry by entry
        pair = ("AF", "AU") if tags.get("AF") or tags.get("AU") else ("BF", "BA")
        for tag in pair:
            entries = tags.get(tag) or []
            if len(entries) != len(written):
                continue  # not entry by entry: no telling whose is whose
            for raw, at in zip(entries, written_at):
                if at is not None and (key := _exact_key(raw)):
                    self.exact.setdefault(key, set()).add(at)

    def positions(self, written: str) -> list[int]:
        """The positions of the authors ``written`` may name; more than one means it fits several."""
        exact = self.exact.get(_exact_key(written))
        return sorted(exact) if exact else self.loose.positions(written)


_ORCID_SHAPE = re.compile(r"\d{4}-?\d{4}-?\d{4}-?\d{3}[\dXx]")


def _record(tags: dict[str, list[str]], source: str, line: int, at: dict[str, int] | None = None) -> Iterator[PaperRecord | Problem]:
    """The record of one ``PT`` ... ``ER`` (or one tab-delimited row), after the problems found in it.

    ``at`` gives the line of a tag where it has one of its own (the plain-text export); the record's line else.
    """
    title = _plain(" ".join(tags.get("TI", [])))
    if not title:
        yield Problem(source=source, line=line, message="record has no title (TI)")
        return
    written = tags.get("AF") or tags.get("AU") or tags.get("BF") or tags.get("BA") or []  # BF/BA: a book's authors
    people = []
    written_at: list[int | None] = []  # the author each entry of ``written`` is, None for no author
    for raw in written:
        person = None if _is_anonymous(raw) else split_name(last_first_suffix(raw.strip()))
        if person is None or not person.name:
            written_at.append(None)  # "[Anonymous]": no author, as Scopus's "[No author name available]"
            continue
        written_at.append(len(people))
        people.append(person)
    # C1 groups and OI entries name authors as "Last, First", where AU may say "Lee, K": a name that fits
    # several authors of the record (two called "Zhang, Wei") is given to none of them
    index = _WrittenIndex(people, written_at, written, tags)
    groups = [g.strip() for g in tags.get("CA", []) if g.strip()]
    affiliations: dict[int, list[AffiliationRef]] = {}
    institutions: list[AffiliationRef] = []
    ambiguous: dict[str, set[str]] = {}  # a name that fits several authors: the fields it was read from
    found: dict[str, list[int]] = {}
    unmatched: dict[str, None] = {}  # C1 names no author of the record fits
    for value in tags.get("C1", []):
        m = _GROUP.match(value.strip())
        address = _affiliation(m[2] if m else value)
        if address is None:
            continue
        if m is None:
            if address not in institutions:
                institutions.append(address)
            continue
        for name in m[1].split(";"):
            positions = found[name.strip()] = index.positions(name)
            if len(positions) > 1:
                ambiguous.setdefault(name.strip(), set()).add("C1")
            elif positions and address not in affiliations.setdefault(positions[0], []):
                affiliations[positions[0]].append(address)
            elif not positions and name.strip():
                unmatched.setdefault(name.strip(), None)  # the address stays the paper's, below
                if address not in institutions:
                    institutions.append(address)
    if unmatched:
        names = ", ".join(repr(n) for n in list(unmatched)[:3]) + (f" and {len(unmatched) - 3} more" if len(unmatched) > 3 else "")
        yield Problem(source=source, line=line, message=(
            f"C1 name{'s' if len(unmatched) > 1 else ''} {names} match{'' if len(unmatched) > 1 else 'es'} no author of the "
            "record: the address kept as the paper's"))
    orcids: dict[int, str] = {}
    for entry in " ".join(tags.get("OI", [])).split(";"):
        name, _, value = entry.rpartition("/")
        orcid = orcid_id(value)
        if not orcid:
            if value.strip() and _ORCID_SHAPE.search(value):
                yield Problem(source=source, line=line, message=(
                    f"OI ORCID {value.strip()!r} of {name.strip()!r} fails its check digit; not used"))
            continue
        positions = found[name.strip()] = index.positions(name)
        if len(positions) > 1:
            ambiguous.setdefault(name.strip(), set()).add("OI")
        elif positions:
            orcids.setdefault(positions[0], orcid)
    yield from _ambiguity_problems(ambiguous, found, source, line)
    authors = [
        AuthorRef(
            name=p.name, given=p.given, family=p.family, position=i,
            ids=(orcids[i],) if i in orcids else (), affiliations=tuple(affiliations.get(i, ())),
        )  # fmt: skip
        for i, p in enumerate(people)
    ]
    authors += [AuthorRef(name=g, position=len(people) + j) for j, g in enumerate(groups)]
    year_text = " ".join(tags.get("PY", [])).strip()
    year = int(year_text) if year_text.isdigit() and FIRST_YEAR <= int(year_text) <= LAST_YEAR else None
    if year is None and year_text:
        year, why = read_year(year_text)  # the rule of the RIS and BibTeX readers; a year given otherwise is reported
        if why is not None:
            early = _YEAR.search(" ".join(tags.get("EA", [])))
            yield Problem(source=source, line=(at or {}).get("PY", line), message=(
                f"year {year_text!r} in PY {why}; read {'the year of EA' if early else 'without a year'}"))
    date, impossible = _date(tags, year)
    if impossible is not None:
        yield Problem(source=source, line=(at or {}).get("PD", line), message=(
            f"impossible date {impossible!r} in PD (PY {year}); read the year only"))
    if year is None and (early := _YEAR.search(" ".join(tags.get("EA", [])))):
        year = int(early[1])  # an early-access record has no PY yet: EA is "JAN 2021"
    ids: list[str] = []
    if doi := doi_id(" ".join(tags.get("DI", []))):
        ids.append(doi)
    ut = " ".join(tags.get("UT", [])).strip()
    if ut:
        ids.append("wos:" + (ut[4:] if ut.upper().startswith("WOS:") else ut))
    pmid = " ".join(tags.get("PM", [])).strip()
    if pmid.isdigit():
        ids.append(f"pmid:{pmid}")
    venue = _plain(" ".join(tags.get("SO", []))) or None
    start, end = _one(tags, "BP"), _one(tags, "EP")
    pages = (f"{start}-{end}" if start and end and end != start else start or end) or _one(tags, "AR")
    abstract = " ".join(" ".join(tags.get("AB", [])).split()) or None
    yield PaperRecord(
        title=title,
        ids=with_arxiv_dois(ids),
        year=year,
        date=date,
        venue=venue,
        kind=_kind(tags),
        abstract=abstract,
        authors=tuple(authors),
        institutions=tuple(institutions),
        source=source,
        source_format=FORMAT,
        line=line,
        volume=_one(tags, "VL"),
        issue=_one(tags, "IS"),
        pages=pages,
    )


# In the tab-delimited export each field is one cell: people and addresses
# are joined with "; " where the plain-text export puts one per line.
_SPLIT_CELL = frozenset("AU AF BA BF BE CA GP C3 CR EM".split())
# C1 addresses are joined with "; " too, and so are the names in an address's brackets: split outside them only.
_C1_ADDRESSES = re.compile(r";(?![^\[]*\])")


_TAG_NAME = re.compile(r"^[A-Z][A-Z0-9]$")


def _header_names(line: str) -> list[str] | None:
    """The column tags of a tab-delimited header row (``PT<tab>AU<tab>...``, a byte-order mark or not), or None for a data row.

    >>> _header_names("\\ufeffPT\\tAU\\tTI\\t"), _header_names("J\\tLee, K\\tT")
    (['PT', 'AU', 'TI', ''], None)
    """
    names = [cell.strip().lstrip("\ufeff") for cell in line.split("\t")]
    if names[0] != "PT" or not all(_TAG_NAME.match(name) for name in names if name):
        return None
    return names


def _tab_delimited(header: str, lines: Iterator, source: str) -> Iterator[PaperRecord | Problem]:
    """The rest of a tab-delimited export (``PT<tab>AU<tab>...`` header, one row per record) as records.

    >>> import io
    >>> text = ("PT\\tAU\\tAF\\tTI\\tC1\\tPY\\tUT\\r\\n"
    ...         "J\\tLee, K; Levy, O\\tLee, Kenton; Levy, Omer\\tT\\t[Lee, Kenton] Univ Washington, Seattle, WA USA; "
    ...         "[Levy, Omer] Tel Aviv Univ, Tel Aviv, Israel\\t2019\\tWOS:000000000000002\\t\\r\\n")
    >>> [rec] = parse_wos(io.BytesIO(text.encode()), "savedrecs.txt")
    >>> [(a.name, [f.name for f in a.affiliations]) for a in rec.authors], rec.ids, rec.line
    ([('Kenton Lee', ['Univ Washington, Seattle, WA USA']), ('Omer Levy', ['Tel Aviv Univ, Tel Aviv, Israel'])], ('wos:000000000000002',), 2)
    """
    names = _header_names(header)
    for item in lines:
        if isinstance(item, Problem):
            yield item
            continue
        number, line = item
        if not line.strip():
            continue
        if (again := _header_names(line)) is not None:
            # another export joined on (cat): its header starts over, and may name other columns
            if again != names:
                yield Problem(source=source, line=number, message="another header row, with other columns: the rows after it are read by it")
            names = again
            continue
        cells = line.split("\t")
        width = max((i + 1 for i, name in enumerate(names) if name), default=0)
        if (len(cells) > len(names) and any(c.strip() for c in cells[len(names):])) or len(cells) < width:
            cut = " (cut off?)" if len(cells) < width else ""
            yield Problem(source=source, line=number, message=f"row has {len(cells)} fields, the header {len(names)}{cut}; read by position")
        tags: dict[str, list[str]] = {}
        for tag, cell in zip(names, cells):
            cell = cell.strip()
            if not cell or not tag:
                continue
            if tag in _SPLIT_CELL:
                tags[tag] = [v.strip() for v in cell.split(";") if v.strip()]
            elif tag == "C1":
                tags[tag] = [a.strip() for a in _C1_ADDRESSES.split(cell) if a.strip()]
            else:
                tags[tag] = [cell]
        yield from _record(tags, source, number)


def parse_wos(stream: BinaryIO, source: str) -> Iterator[PaperRecord | Problem]:
    """Parse a Web of Science plain-text export into paper records and problems, line by line.

    Parameters
    ----------
    stream : BinaryIO
        The file's bytes (UTF-8, with or without a byte-order mark).
    source : str
        The file name to put in records and problems.

    Yields
    ------
    PaperRecord or Problem
        One record per ``PT`` ... ``ER`` with a title, ``line`` its ``PT`` line.

    Examples
    --------
    >>> import io
    >>> text = b"FN Clarivate Analytics Web of Science\\nVR 1.0\\nPT J\\nAU Levy, O\\nTI A\\nER\\noops\\nPT J\\nAU X, Y\\n"
    >>> [str(r) if isinstance(r, Problem) else r.author_names for r in parse_wos(io.BytesIO(text), "w.txt")]
    [('O Levy',), "w.txt:7: line outside a record (no PT before it): 'oops'", 'w.txt:8: record has no ER line at the end of the file; read up to there', 'w.txt:8: record has no title (TI)']
    """
    tags: dict[str, list[str]] | None = None
    at: dict[str, int] = {}  # the record's tags: the line of each one's first value
    start = 0
    last_tag: str | None = None
    ended = False
    seen = False
    # Lines outside any record are reported once per run, up to the next PT:
    # a file that is not WoS at all (--from wos on a .bib) is one problem.
    stray: list = []  # [first line, first text, count]
    after_end: list = []  # the same for lines after EF
    lines = iter_lines(stream, source)
    for item in lines:
        if isinstance(item, Problem):
            yield item
            continue
        number, line = item
        if not line.strip():
            continue
        if ended:
            # Exports joined with cat: the next one opens with a byte-order mark, FN or VR.
            if not line.startswith("\ufeff") and line[:3] not in ("FN ", "VR ") and line.rstrip() not in ("FN", "VR"):
                after_end = stray_line(after_end, number, line)
                continue
            if after_end:
                yield _after_end_problem(after_end, source)
                after_end = []
            ended = False
        if not seen:
            seen = True
            if line.lstrip("\ufeff").startswith("PT\t"):
                yield from _tab_delimited(line, lines, source)
                return
        if line.startswith("   ") or line.startswith("\t"):
            if tags is not None and last_tag is not None:
                values = tags[last_tag]
                value = line.strip()
                if last_tag not in _ONE_PER_LINE or (last_tag == "C1" and _wraps_address(values[-1], value)):
                    values[-1] += " " + value  # a long value wrapped onto the next line
                else:
                    values.append(value)
            else:
                stray = stray_line(stray, number, line)
            continue
        m = _TAG.match(line.lstrip("\ufeff"))
        tag, value = (m[1], m[2] or "") if m else (None, line)
        if tag == "PT":
            if stray:
                yield stray_problem(stray, source, "PT")
                stray = []
            if tags is not None:
                yield Problem(source=source, line=start, message="record has no ER line before the next PT; read up to there")
                yield from _record(tags, source, start, at)
            tags, start, last_tag, at = {"PT": [value]}, number, "PT", {}
        elif tags is None:
            if tag == "EF":
                ended = True
            elif tag not in ("FN", "VR"):
                stray = stray_line(stray, number, line)
        elif tag == "ER":
            yield from _record(tags, source, start, at)
            tags, last_tag = None, None
        elif tag == "EF":
            yield Problem(source=source, line=start, message="record has no ER line before EF; read up to there")
            yield from _record(tags, source, start, at)
            tags, last_tag, ended = None, None, True
        elif tag is None:
            yield Problem(source=source, line=number, message=f"line without a field tag: {line.strip()[:60]!r}")
        else:
            tags.setdefault(tag, []).append(value)
            at.setdefault(tag, number)
            last_tag = tag
    if stray:
        yield stray_problem(stray, source, "PT")
    if after_end:
        yield _after_end_problem(after_end, source)
    if tags is not None:
        yield Problem(source=source, line=start, message="record has no ER line at the end of the file; read up to there")
        yield from _record(tags, source, start, at)


def _after_end_problem(run: list, source: str) -> Problem:
    """The problem for a run of lines after ``EF`` that do not open another export (``[first line, its text, count]``).

    >>> str(_after_end_problem([9, "PT J", 3], "w.txt"))
    "w.txt:9: 3 lines after EF (the end of the export) not read, the first: 'PT J'"
    """
    first, text, count = run
    lines = "line" if count == 1 else f"{count} lines"
    return Problem(source=source, line=first, message=f"{lines} after EF (the end of the export) not read, the first: {text!r}")


def read_wos(path) -> Iterator[PaperRecord | Problem]:
    """Read a Web of Science plain-text export (``.gz`` too): see :func:`parse_wos`."""
    with open_input(path) as stream:
        yield from parse_wos(stream, str(path))


parse = parse_wos
read = read_wos
