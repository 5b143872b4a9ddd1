"""BibTeX (and biblatex) files: Zotero, DBLP, ACL Anthology, Google Scholar exports.

:func:`graphkit.readers._bibsplit.split_blocks` finds the blocks exactly as
bibtexparser 2's :class:`~bibtexparser.splitter.Splitter` does (each block's
start line kept, a block it cannot parse turned into data instead of raising):
plain entries with a few regular-expression matches, every other piece of the
file through bibtexparser's splitter itself. Everything after that is done here, because
bibtexparser's own LaTeX and name middlewares cost about 17 times its plain
parse: field values are resolved (``@string`` macros, ``#`` concatenation,
``crossref``), decoded by :func:`~graphkit.readers._latex.decode_latex` only
where they hold LaTeX, and names split by :mod:`graphkit.readers._names`.

Reading rules:

- ``author`` only: editors are never authors; ``and others``, ``et al.``
  (also glued to the last name: ``Smith, J. et al.``) and the other
  placeholders RIS knows (:func:`~graphkit.readers._names.is_etal`) set
  ``authors_truncated`` and are not authors.
- ids: ``doi`` (an arXiv DataCite DOI gives the arXiv id too); ``eprint`` with
  ``archiveprefix``/``eprinttype`` arXiv, Mendeley's ``arxivId``; arXiv and DOI
  ``url``; ``arXiv:...`` in ``journal``/``note``/``howpublished`` (Google
  Scholar); a ``CoRR``/``ArXiv`` volume ``abs/1810.04805`` (DBLP, Semantic
  Scholar); DBLP keys (``DBLP:conf/...``) and ``biburl`` give
  ``dblp:conf/...``; ``pmid``; a Scopus ``url`` gives ``scopus:`` and its EID,
  Web of Science's ``Unique-ID`` ``wos:``.
  URLs and DOIs lose BibTeX's escapes (Mendeley's ``tacl{\\_}a{\\_}00300``).
- Web of Science's and Scopus's exports: ``ORCID-Numbers`` go to the author
  whose name fits (one author only), ``Affiliation`` addresses to the
  authors named before them, Scopus's ``affiliations`` to the paper.
- names: a DBLP homonym number after a name (``Wei Wang 0001``) becomes the
  author's ``dblp:`` id, not a surname; biblatex's extended form
  (``family=Walt, given=Stéfan J., prefix=van der``, Better BibTeX) is read
  part by part (a suffix written into the family, ``family={Smith, Jr.}``,
  apart). Names separated by ``;`` (outside braces, else inside them: no name
  keeps a ``;``) or by commas alone (three ``First Last`` names or more,
  ``Family, Initials`` pairs) are read one by one, and a name with commas that
  no BibTeX form has (``Smith, Jr., John, Extra``; ``Smith, John, Doe``, no
  suffix between the commas) as BibTeX reads it; each a problem. One comma
  between two whole names written given first (``Jean Laidé, Ben Loaeb``: two
  capitalised words or more each side, no particle, no initial or suffix
  last) may be two names or a family name of two words (``García Márquez,
  Gabriel José``): it is read as BibTeX reads it, one person, and reported
  with how to write it if it is two people, unless another name of the list
  is written ``Last, First`` too (``... and Vargas Llosa, Mario``: no
  doubt). An initial before the comma (``J. Smith, A. Jones``) is no family
  name: two names, reported. ``García Márquez, Gabriel``, ``van der Berg,
  Jan``, ``{Smith Jones}, Anna``, ``Smith, J. R.`` are one person, unreported.
- bytes: UTF-8 (BOM or not), or the encoding a JabRef ``% Encoding:`` line
  among the ``%`` lines opening the file declares (Java's names: ``ISO8859_2``,
  ``Cp1250``); a file that is neither is read in the legacy encoding its
  bytes fit (GB18030, Big5, EUC-JP, Shift-JIS, EUC-KR, Windows-1250 or
  Windows-1252, as for RIS), with its UTF-8 lines kept as UTF-8 (two
  exports joined), and reported (:mod:`graphkit.readers._text`).
  Line ends: LF, CRLF or CR alone (old Mac files). Control characters (a
  corrupt export's NUL or ESC; tab and line ends kept) are dropped from the
  whole text before it is read, as the RIS reader drops them from its lines.
- year: ``year``, else biblatex's ``date``, by the RIS reader's rule
  (:func:`graphkit.readers.ris.read_year`: a year from 1500 to 2199; ``n.d.``
  or ``in press`` say there is none).
- ``kind`` from the entry type (``incollection`` -> chapter, ``phdthesis`` ->
  thesis, ...); an arXiv-only ``article`` or ``misc`` is a preprint, and so
  is a ``misc``, ``unpublished`` or ``online`` entry whose ``eprinttype``,
  ``archivePrefix``, ``howpublished`` or ``publisher`` names a preprint
  server (bioRxiv, medRxiv, SSRN, Research Square, ChemRxiv, OSF, ...).
- ``volume``, ``number`` (else ``issue``; a report's ``number`` is its own)
  and ``pages`` (else biblatex's ``eid``, an article number).
- Inline HTML tags some exports keep (``<i>``, ``<sub>``) are dropped.
- An entry that other entries ``crossref`` (a proceedings volume) lends them
  its fields and is not itself a paper unless it has authors of its own (a
  book that a chapter also cites); an unreferenced ``@proceedings`` entry is
  read as a book without authors. biblatex's ``xdata = {key1, key2}`` lends
  every field of those ``@xdata`` entries (before the crossref's), which are
  no papers. A ``crossref`` or ``xdata`` to a key not in the file is a
  problem; the entry is read as it is.
- Problems (with the entry's line): blocks that do not parse, duplicate keys
  (the first entry is kept), repeated fields (the first value is kept), a
  ``date`` that does not exist (``2021-02-30``: the year is kept), a ``year``
  (or ``date``) that is no year (``20x3``) or outside 1500-2199 (``2999``,
  ``0012``: the entry is read without a year, or with the ``date``'s),
  undefined ``@string`` macros, entries without a title, author lists left
  to a guess (above).

>>> import io
>>> text = rb'''@string{naacl = "Proceedings of NAACL-HLT"}
... @inproceedings{devlin-etal-2019-bert,
...   title = "{BERT}: Pre-training of Deep Bidirectional Transformers for Language Understanding",
...   author = "Devlin, Jacob and Chang, Ming-Wei and Lee, Kenton and Toutanova, Kristina",
...   booktitle = naacl, year = 2019, doi = "10.18653/v1/N19-1423",
... }'''
>>> [rec] = parse_bibtex(io.BytesIO(text), "refs.bib")
>>> rec.title, rec.ids, rec.year, rec.venue, rec.kind, rec.line
('BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding', ('doi:10.18653/v1/n19-1423',), 2019, 'Proceedings of NAACL-HLT', 'inproceedings', 2)
>>> [(a.name, a.family, a.position) for a in rec.authors][2]
('Kenton Lee', 'Lee', 2)
"""

from __future__ import annotations

import codecs
import datetime as _dt
import gc
import logging
import re
import sys
from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

from graphkit.keys import unslashed
from graphkit.models import AffiliationRef, PaperRecord, Problem
from graphkit.readers._bibsplit import DUPLICATE, ENTRY, STRING, split_blocks
from graphkit.readers._countries import country_code
from graphkit.readers._files import open_input
from graphkit.readers._forked import build_in_two
from graphkit.readers._ids import orcid_id, with_arxiv_dois
from graphkit.readers._latex import decode_latex
from graphkit.readers._names import AuthorIndex, PersonName, is_etal, split_and, split_name
from graphkit.readers._text import ControlChars, binary_problem, decode_bytes, strip_markup, unescape_entities
from graphkit.readers.ris import FIRST_YEAR, LAST_YEAR, read_year

__all__ = ["FORMAT", "SUFFIXES", "parse", "parse_bibtex", "parse_compact", "read", "read_bibtex", "sniff"]

FORMAT = "bibtex"
SUFFIXES = (".bib", ".bibtex")

# bibtexparser logs a warning per block it cannot parse; those blocks come
# back to the caller as Problems, so the log lines would only say it twice.
logging.getLogger("bibtexparser.splitter").addHandler(logging.NullHandler())

_SNIFF = re.compile(rb"(?m)(?:^|(?<=\r))[ \t]*@[A-Za-z]+[ \t]*[{(]")  # a lone CR ends a line too (old Mac files)
_CONTENT = re.compile(r"^[ \t]*[^\s%@]", re.M)  # a line that is neither blank, a % comment nor an @ block
_DECLARED = re.compile(rb"%\s*Encoding:\s*([A-Za-z0-9_.:-]+)", re.I)  # JabRef's "% Encoding: ISO8859_2"
_LINE_END = re.compile(rb"\r\n?|\n")
_LONE_CR = re.compile(r"\r(?!\n)")
_BINARY_HEAD = 1 << 16  # the bytes a binary file is told by (see binary_problem)

_KINDS = {
    "article": "article", "inproceedings": "inproceedings", "conference": "inproceedings",
    "proceedings": "book", "book": "book", "booklet": "book", "mvbook": "book", "collection": "book",
    "inbook": "chapter", "incollection": "chapter", "bookinbook": "chapter", "suppbook": "chapter",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "techreport": "report", "report": "report", "dataset": "dataset", "data": "dataset",
}  # fmt: skip

_MONTHS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}  # fmt: skip

# Fields a child entry does not take from its crossref parent: they describe
# the parent itself, not the child.
_NOT_INHERITED = frozenset(
    "title doi url eprint archiveprefix eprinttype eprintclass primaryclass biburl bibsource "
    "timestamp pages abstract pmid note crossref ids keywords file".split()
)

# A year field the common way (four digits in the readable range) is read without read_year.
_PLAIN_YEARS = frozenset(str(year) for year in range(FIRST_YEAR, LAST_YEAR + 1))
# Control characters (see _has_controls): the bytes of those but tab, LF and CR (a CRLF file keeps its
# CRs until its text is cleaned), UTF-8's C1 controls, and the C1 characters of a decoded 8-bit text.
_C0_BYTES = bytes((*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F))
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_C1 = tuple(chr(c) for c in range(0x80, 0xA0))
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_CORR_VOLUME = re.compile(r"^abs/(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.I)
_ARXIV_NUMBER = re.compile(r"^(?:arxiv:)?\s*(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.I)
# "arXiv:2001.08361", "arXiv preprint arXiv:2001.08361" (Google Scholar), "arXiv preprint hep-th/9711200"
_ARXIV_IN_TEXT = re.compile(r"arxiv(?:\.org/abs/|:|\s+preprint(?:\s+arxiv:?)?)\s*(\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?/\d{7})", re.I)
_DOI = re.compile(r"(10\.\d{4,9}/\S+)")
_SCOPUS_EID = re.compile(r"[?&]eid=(2-s2\.0-\d+)", re.I)
_DBLP_REC = re.compile(r"dblp\.(?:org|uni-trier\.de)/rec/(?:bibtex/|bib\d?/)?([a-z]+/[^\s?#]+?)(?:\.bib|\.html|\.xml)?$", re.I)


def sniff(head: bytes) -> bool:
    """Whether ``head`` (the first bytes of a file) looks like BibTeX: a line starting ``@type{``.

    >>> sniff(b"% refs\\n@article{x,\\n title={T}}"), sniff(b"TY  - JOUR\\n")
    (True, False)
    """
    return _SNIFF.search(head) is not None


class _Values:
    """Resolves raw field values: enclosing braces or quotes, macros, ``#`` concatenation."""

    def __init__(self):
        self.macros: dict[str, str] = dict(_MONTHS)
        self.undefined: list[str] = []

    def resolve(self, raw: str) -> str:
        raw = raw.strip()
        if not raw:
            return ""
        first, last = raw[0], raw[-1]
        if "#" not in raw:
            if (first == "{" and last == "}") or (first == '"' and last == '"'):
                return raw[1:-1]  # the common case, before the slow path
            return self._piece(raw)  # one piece: a number or a macro
        return "".join(self._piece(piece) for piece in _split_concatenation(raw))

    def _piece(self, piece: str) -> str:
        piece = piece.strip()
        if not piece:
            return ""
        if piece[0] in "{\"" and len(piece) >= 2 and piece[-1] == ("}" if piece[0] == "{" else '"'):
            return piece[1:-1]
        if piece.isdigit():
            return piece
        value = self.macros.get(piece.lower())
        if value is None:
            self.undefined.append(piece)
            return piece
        return value


_FIELD_START = re.compile(r"\s*([A-Za-z][\w:.+-]*)\s*=\s*")


def _value_end(raw: str, start: int) -> int:
    """Where the value starting at ``raw[start]`` ends: braced or quoted pieces or bare words, joined by ``#``."""
    i, n = start, len(raw)
    while i < n:
        c = raw[i]
        if c == "{":
            depth = 0
            while i < n:
                depth += {"{": 1, "}": -1}.get(raw[i], 0)
                i += 1
                if depth == 0:
                    break
        elif c == '"':
            i += 1
            depth = 0
            while i < n and not (raw[i] == '"' and depth == 0):
                depth += {"{": 1, "}": -1}.get(raw[i], 0)
                i += 1
            i += 1
        else:
            while i < n and (raw[i].isalnum() or raw[i] in "_-.:+/"):
                i += 1
            if i == start:
                return i
        j = i
        while j < n and raw[j].isspace():
            j += 1
        if j < n and raw[j] == "#":
            i = j + 1
            while i < n and raw[i].isspace():
                i += 1
            continue
        return i
    return i


def _missing_commas(raw: str) -> list[tuple[str, str]] | None:
    """A field value that swallowed the next fields because a comma was missing, split back; None when it did not.

    >>> _missing_commas("{Deep learning}\\n  author = {LeCun, Yann} year = 2015")
    [('', '{Deep learning}'), ('author', '{LeCun, Yann}'), ('year', '2015')]
    >>> _missing_commas("{E = mc^2}") is None, _missing_commas('"a" # b') is None
    (True, True)
    """
    raw = raw.strip()
    out: list[tuple[str, str]] = []
    name, start = "", 0
    while True:
        end = _value_end(raw, start)
        if end <= start:
            return None
        out.append((name, raw[start:end]))
        if end >= len(raw):
            return out if len(out) > 1 else None
        m = _FIELD_START.match(raw, end)
        if m is None:
            return None
        name, start = m[1].lower(), m.end()


def _split_concatenation(raw: str) -> list[str]:
    """``raw`` split at ``#`` signs that are outside braces and quotes."""
    return _split_outside(raw, "#")


def _split_outside(raw: str, separator: str) -> list[str]:
    """``raw`` split at ``separator`` (one character) where it is outside braces and quotes.

    >>> _split_outside('a # {b # c} # "d # e"', "#"), _split_outside("family={van, der}, given=J.", ",")
    (['a ', ' {b # c} ', ' "d # e"'], ['family={van, der}', ' given=J.'])
    """
    pieces, start, depth, quoted = [], 0, 0, False
    for i, c in enumerate(raw):
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        elif c == '"' and depth == 0:
            quoted = not quoted
        elif c == separator and depth == 0 and not quoted:
            pieces.append(raw[start:i])
            start = i + 1
    pieces.append(raw[start:])
    return pieces


def _declared(data: bytes) -> tuple[int, str] | None:
    """The line and name of the encoding a JabRef ``% Encoding:`` line declares among the ``%`` comment
    lines that open the file (JabRef 2 writes ``% This file was created with JabRef 2.10.`` above it).

    >>> _declared(b"% This file was created with JabRef 2.10.\\r\\n% Encoding: ISO8859_2\\r\\n\\r\\n@book{k,"), _declared(b"@misc{k,}\\n% Encoding: Cp1250")
    ((2, 'ISO8859_2'), None)
    """
    for number, line in enumerate(_LINE_END.split(data[:1024])[:10], 1):
        line = line.strip()
        if not line:
            continue
        if not line.startswith(b"%"):
            return None
        if (m := _DECLARED.match(line)) is not None:
            return number, m[1].decode("ascii")
    return None


def _codec(name: str) -> str | None:
    """Python's codec for a charset name as Java (JabRef) writes it: ``ISO8859_2``, ``Cp1250``, ``UTF8``, ``x-MacRoman``.

    >>> _codec("ISO8859_2"), _codec("Cp1250"), _codec("UTF8"), _codec("x-MacRoman"), _codec("nonsense")
    ('iso8859-2', 'cp1250', 'utf-8', 'mac-roman', None)
    """
    for candidate in (name, name[2:] if name.lower().startswith("x-") else None):
        if candidate:
            try:
                return codecs.lookup(candidate).name
            except LookupError:
                pass
    return None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode(data: bytes, source: str) -> tuple[str, list[Problem], str | None]:
    """The file's text: in the encoding a JabRef ``% Encoding:`` line declares, else by BOM or as UTF-8;
    its problems, and the declared codec when the text was decoded with it (None: UTF-8, a BOM's
    encoding or a legacy encoding the bytes fit, as
    :func:`~graphkit.readers._text.decode_bytes` reads)."""
    problems: list[Problem] = []
    if (declared := _declared(data)) is not None:
        line, name = declared
        codec = _codec(name)
        if codec is None:
            problems.append(Problem(source=source, line=line, message=f"unknown encoding {name!r} declared; read as UTF-8"))
        elif codec not in ("utf-8", "ascii"):
            if not data.isascii() and _is_utf8(data):
                # re-saved as UTF-8 by another tool that kept JabRef's line: the bytes say otherwise
                problems.append(Problem(source=source, line=line, message=f"declares {name} but is UTF-8; read as UTF-8"))
                return decode_bytes(data, source)[0], problems, None
            try:
                return data.decode(codec), problems, codec
            except UnicodeDecodeError as exc:
                bad = len(_LINE_END.findall(data, 0, exc.start)) + 1
                problems.append(Problem(source=source, line=bad, message=f"bytes that are not {name} (the declared encoding) replaced"))
                return data.decode(codec, "replace"), problems, codec
    text, problem = decode_bytes(data, source)
    return text, problems + ([problem] if problem is not None else []), None


def _has_controls(data: bytes, text: str, codec: str | None) -> bool:
    """Whether ``text`` (``data`` decoded, ``codec`` as :func:`_decode` tells) may hold control characters
    other than tab and line ends: scans of the bytes, about 20 ms on 30 MB, before any work on the text.

    Every encoding read here keeps ASCII's control bytes as they are (UTF-16 and UTF-32 text has NUL
    bytes: it takes the slow way, rightly); C1 controls (U+0080-U+009F) come from UTF-8's ``\\xc2``
    sequences, from a declared 8-bit encoding, or from GB18030's four-byte codes (``\\x81\\x30...``: a
    Chinese file read so). Windows-1252, the fallback for 8-bit files, has none: its unassigned bytes are
    replaced.

    >>> _has_controls(b"a\\x00b", "a\\x00b", None), _has_controls(b"a\\tb\\r\\n", "a\\tb\\r\\n", None)
    (True, False)
    >>> _has_controls("\\x85 \\xa0".encode(), "\\x85 \\xa0", None), _has_controls(b"\\x85", "\\x85", "latin-1"), _has_controls(b"\\xe9", "\\xe9", "latin-1")
    (True, True, False)
    >>> _has_controls(b"\\x810\\x810 \\xd5\\xc5", "\\x80 \u5f20", None)
    True
    """
    if len(data.translate(None, _C0_BYTES)) != len(data):
        return True
    if text.isascii():
        return False
    if codec is None:
        if b"\x810" in data and any(c in text for c in _C1):  # GB18030 (see _text.legacy_encoding)
            return True
        return b"\xc2" in data and _C1_UTF8.search(data) is not None
    return any(c in text for c in _C1)


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    if "<" in value:
        value = strip_markup(value)  # Crossref's BibTeX keeps its titles' HTML (<i>, <sub>)
    text = decode_latex(value)
    return text or None


def _plain_year(fields: dict[str, str]) -> int | None:
    """The year of an entry with a plain four-digit ``year`` in range and no ``date``; None for any other."""
    raw = fields.get("year")
    if raw in _PLAIN_YEARS and "date" not in fields:
        return int(raw)
    return None


def _year_and_date(fields: dict[str, str]) -> tuple[int | None, _dt.date | None, list[tuple[str, str, str]]]:
    """An entry's year (``year``, else the ``date``'s) and date, and the values that gave no year:
    ``(field, value, why)`` for each (see :func:`graphkit.readers.ris.read_year`).

    >>> _year_and_date({"year": "20x3", "date": "2019-06-02"})
    (2019, datetime.date(2019, 6, 2), [('year', '20x3', 'is not a year')])
    >>> _year_and_date({"year": "{2019}"}), _year_and_date({"year": "in press"}), _year_and_date({"year": "2019", "date": "0012-01-01"})
    ((2019, None, []), (None, None, []), (2019, None, [('date', '0012-01-01', 'is not between 1500 and 2199')]))
    """
    if (plain := _plain_year(fields)) is not None:
        return plain, None, []
    year = date = None
    wrong: list[tuple[str, str, str]] = []
    if (raw := fields.get("year")) is not None:
        year, why = read_year(raw)
        if why is not None:
            wrong.append(("year", raw.strip(), why))
    if raw := fields.get("date"):  # biblatex: 2019-06 or 2019-06-02
        date_year, why = read_year(raw)
        if why is not None:
            wrong.append(("date", raw.strip(), why))
        elif date_year is not None:
            year = year or date_year
            if (m := _ISO_DATE.match(raw.strip())) and m[2] and m[3] and int(m[1]) == date_year:
                try:
                    date = _dt.date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    date = None  # reported by _entries
    return year, date, wrong


def _year_problems(key: str, fields: dict[str, str], source: str, line: int) -> Iterator[Problem]:
    """A problem per ``year`` or ``date`` value of an entry that gives no year or an implausible one,
    and for a ``date`` that does not exist."""
    year, _, wrong = _year_and_date(fields)
    for field, value, why in wrong:
        if year is None:
            then = "read without a year"
        else:
            then = f"read the year from the {'date' if field == 'year' else 'year'} field"
        what = f"year {value!r}" if field == "year" else f"year {value!r} in date"
        yield Problem(source=source, line=line, message=f"entry {key}: {what} {why}; {then}")
    date = fields.get("date")
    if date and not any(field == "date" for field, _, _ in wrong) and _impossible_date(date):
        yield Problem(source=source, line=line, message=f"entry {key}: impossible date {date.strip()!r}; read the year only")


def _impossible_date(raw: str) -> bool:
    """Whether a biblatex ``date`` names a day that does not exist (``2021-02-30``; ``2021-00-00`` leaves it out).

    >>> _impossible_date("2021-02-30"), _impossible_date("2020-02-29"), _impossible_date("2021-06"), _impossible_date("2021-00-00")
    (True, False, False, False)
    """
    m = _ISO_DATE.match(raw.strip())
    if m is None or not (m[2] and m[3]) or not (int(m[2]) and int(m[3])):
        return False
    try:
        _dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return True
    return False


_TILDE = re.compile(r"\\(?:~|textasciitilde)\s*(?:\{\})?")  # \~{}, \textasciitilde{}
_ESCAPE = re.compile(r"\\([_&%#$])")


def _url_text(value: str) -> str:
    r"""A URL or DOI field as written, without BibTeX's escapes: Mendeley writes ``tacl{\_}a{\_}00300``.

    Braces and backslashes escape characters here; they are no part of a URL or
    DOI (a URL percent-encodes them), and a ``~`` is a tilde, not a space.

    >>> _url_text(r"https://doi.org/10.1162/tacl{\_}a{\_}00300"), _url_text(r"http://x.org/{~}ann/a{\&}b\%20c{\#}d")
    ('https://doi.org/10.1162/tacl_a_00300', 'http://x.org/~ann/a&b%20c#d')
    >>> _url_text(r"http://x.org/{\~{}}ann/\textasciitilde{}bob"), _url_text("{10.1000/ABC}")
    ('http://x.org/~ann/~bob', '10.1000/ABC')
    """
    if "\\" in value:
        value = _ESCAPE.sub(r"\1", _TILDE.sub("~", value))
    if "{" in value or "}" in value:
        value = value.replace("{", "").replace("}", "")
    return value.strip()


def _paper_ids(key: str, fields: dict[str, str]) -> list[str]:
    ids: list[str] = []

    def add(value: str) -> None:
        if value not in ids:
            ids.append(value)

    if doi := fields.get("doi"):
        if m := _DOI.search(unslashed(_url_text(doi))):  # 10.1021%2Facs... as a URL encoder writes it
            add("doi:" + m[1].rstrip(".,;").lower())
    eprint = (fields.get("eprint") or fields.get("arxivid") or "").strip()  # arxivId: Mendeley
    archive = "arxiv" if "arxivid" in fields and "eprint" not in fields else (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    if eprint and (archive == "arxiv" or not archive) and (m := _ARXIV_NUMBER.match(eprint)):
        add("arxiv:" + m[1].lower())
    journal = fields.get("journal") or fields.get("journaltitle") or ""  # journaltitle: biblatex
    volume = fields.get("volume", "").strip()
    if volume and (m := _CORR_VOLUME.match(volume)) and journal.strip().lower() in ("corr", "arxiv", "{corr}"):
        add("arxiv:" + m[1].lower())
    for text in (journal, fields.get("note", ""), fields.get("howpublished", "")):
        if "arxiv" in text.lower() and (m := _ARXIV_IN_TEXT.search(text)):
            add("arxiv:" + m[1].lower())
    for url in _url_text(fields.get("url", "")).split():
        low = url.lower()
        if "arxiv.org/" in low and (m := re.search(r"arxiv\.org/(?:abs|pdf)/([\w.\-/]+?)(?:v\d+)?(?:\.pdf)?$", url, re.I)):
            add("arxiv:" + m[1].lower())
        elif "doi.org/" in low and (m := _DOI.search(url)):
            add("doi:" + m[1].rstrip(".,;").lower())
        elif "scopus.com" in low and (m := _SCOPUS_EID.search(url)):
            add("scopus:" + m[1])  # Scopus links the record by its EID, as in its RIS export
    if key[:5].lower() == "dblp:" and len(key) > 5:
        add("dblp:" + key[5:])
    elif (biburl := fields.get("biburl")) and (m := _DBLP_REC.search(biburl.strip())):
        add("dblp:" + m[1])
    if (unique := fields.get("unique-id", "").strip()).upper().startswith("WOS:"):
        add("wos:" + unique[4:])  # Web of Science's accession number, as its RIS and plain-text exports give it
    if pmid := fields.get("pmid", "").strip():
        if pmid.isdigit():
            add("pmid:" + pmid)
    return ids


def _kind(entry_type: str, fields: dict[str, str], ids: list[str]) -> str:
    kind = _KINDS.get(entry_type)
    arxiv_only = any(i.startswith("arxiv:") for i in ids) and not any(i.startswith("doi:") and not i.startswith("doi:10.48550/") for i in ids)
    journal = (fields.get("journal") or fields.get("journaltitle") or "").strip().lower()
    if kind == "article" and (journal in ("corr", "arxiv") or journal.startswith("arxiv")):
        return "preprint"
    if kind is None:
        if arxiv_only:
            return "preprint"
        if entry_type in _POSTED and any(_PREPRINT_SERVER.search(fields.get(f) or "") for f in _SERVER_FIELDS):
            return "preprint"  # @misc{..., eprinttype = {bioRxiv}} or howpublished = {SSRN}
        return "other"
    return kind


_POSTED = frozenset(("misc", "unpublished", "online", "electronic", "www"))  # entry types a preprint is written as
_SERVER_FIELDS = ("eprinttype", "archiveprefix", "howpublished", "publisher")
#: Preprint servers by name (also in a URL: ``howpublished = {\url{https://www.biorxiv.org/...}}``)
_PREPRINT_SERVER = re.compile(
    r"arxiv|biorxiv|medrxiv|chemrxiv|psyarxiv|socarxiv|techrxiv|\bssrn\b|research\s*square|\bosf\b|preprints\.org", re.I)


# biblatex's extended name format (Better BibTeX writes it for names with a particle):
# "family=Walt, given=Stéfan J., prefix=van der, useprefix=true"; "-i" keys give the initials.
_NAME_KEYS = frozenset("family given prefix suffix useprefix juniorcomma sortingnamekeytemplate".split())
_NAME_PART = re.compile(r"\s*([A-Za-z]+(?:-i)?)\s*=\s*(.*?)\s*", re.S)


def _name_parts(raw: str) -> list[str]:
    """``raw`` split at commas outside braces and quotes."""
    return _split_outside(raw, ",")


def _extended_name(raw: str) -> str | None:
    """A name in biblatex's extended format as BibTeX's ``von Last, Jr, First``; None when it is not one.

    Every comma part must be ``key=value`` with a name key, so a plain
    ``Last, First`` holding an ``=`` is never taken for one.

    >>> _extended_name("family=Walt, given=Stéfan J., prefix=van der, useprefix=true")
    'van der Walt, Stéfan J.'
    >>> _extended_name('family=Steele, given="Guy L.", given-i=G'), _extended_name("given=Plato")
    ('Steele, {Guy L.}', '{Plato}')
    >>> _extended_name("family=King, given=Martin Luther, suffix=Jr."), _extended_name("Lee, Kenton=x")
    ('King, Jr., Martin Luther', None)
    >>> _extended_name("family={Smith, Jr.}, given={John}")  # Zotero's "Smith, Jr." family name: the suffix apart
    '{Smith}, Jr., {John}'
    """
    values: dict[str, str] = {}
    for part in _name_parts(raw):
        m = _NAME_PART.fullmatch(part)
        if m is None or (key := m[1].lower()).removesuffix("-i") not in _NAME_KEYS:
            return None
        value = m[2]
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = "{" + value[1:-1] + "}"  # a quoted value protects its commas as braces do
        values.setdefault(key, value)
    given, suffix, family = values.get("given"), values.get("suffix"), values.get("family")
    if family and not suffix and family[0] == "{" and family[-1] == "}" and "," in family:
        head, comma, tail = family[1:-1].rpartition(",")
        if head.strip() and _SUFFIX.fullmatch(tail.strip()):
            family, suffix = "{" + head.strip() + "}", tail.strip()
    family = " ".join(v for v in (values.get("prefix"), family) if v)
    if not family:
        return "{" + given.strip("{}") + "}" if given else None  # a single name: no split into parts
    if suffix:
        return f"{family}, {suffix}, {given or ''}"
    return f"{family}, {given}" if given else f"{family},"


class _Cut(NamedTuple):
    """What a written name in an author list stands for when the list is cut there: the person
    before a glued ``et al.`` (``Smith, J. et al.``), or None for ``others`` or ``et al.`` alone."""

    person: PersonName | None


class _Guessed(NamedTuple):
    """A written name of an author list that is several names or no BibTeX form: the persons it is read
    as, whether a truncation mark was among them, and what to report (``Smith, John; Doe, Jane``:
    two persons and "authors separated by ';' rather than 'and'")."""

    persons: tuple[PersonName, ...]
    truncated: bool
    notes: tuple[str, ...]


class _Either(NamedTuple):
    """A written name ``Two Words, Two Words`` that BibTeX reads as ``Last, First`` but that may be two
    names separated by a comma (``Jean Laidé, Ben Loaeb``): both readings, for the author list around
    it to decide (:func:`_settled`)."""

    one: PersonName
    two: tuple[PersonName, PersonName]
    raw: str


# "et al." written after the last name, in the same piece: "Smith, J. et al.", "Smith, J., et al"
_ETAL_AFTER = re.compile(r"(?:^|[\s,~]+)\{?et\.?[\s~]*al(?:ii|\.)*\}?[\s.]*$", re.I)
_ETAL_ENDS = frozenset("lLiI.}")
# What BibTeX's "von Last, Jr, First" holds between its commas (and Better BibTeX's "family={Smith, Jr.}" after
# its comma); upper-case numerals only: "Xi" and "Vi" are given names.
_SUFFIX = re.compile(r"(?i:jr|sr|jnr|snr|junior|senior|esq)\.?|II|III|IV|V|VI|2nd|3rd|4th")
_INITIALS = re.compile(r"(?:[A-Z]\.?(?:[\s~]+|-)?){1,4}")  # "J.", "J. K.", "JK", "M.-W."
_SEMICOLON_ENTITY = re.compile(r"&#?[A-Za-z0-9]{1,31};")  # M&#252;ller: the ";" ends an HTML entity


def _person(raw: str) -> PersonName | _Cut | None:
    """One written name of an author list: its person, a :class:`_Cut`, or None for no name.

    >>> _person("Smith, J. et al."), _person("et al"), _person("{others}"), _person("Vidal, Ana")
    (_Cut(person=PersonName(name='J. Smith', given='J.', family='Smith')), _Cut(person=None), _Cut(person=None), PersonName(name='Ana Vidal', given='Ana', family='Vidal'))
    """
    if is_etal(raw):
        return _Cut(None)
    if raw[-1:] in _ETAL_ENDS and (m := _ETAL_AFTER.search(raw)) is not None:  # the search only where it can match
        person = _person(raw[: m.start()]) if m.start() else None
        return _Cut(person if person is None or type(person) is PersonName else person.person)
    person = split_name((_extended_name(raw) or raw) if "=" in raw else raw)
    return person if person.name else None


def _written(raw: str) -> PersonName | _Cut | _Guessed | _Either | None:
    """One piece of an author list between ``and``\\ s: :func:`_person`'s reading, or a :class:`_Guessed`
    when it holds names separated by ``;`` or commas, or is a name with commas no BibTeX form has, or an
    :class:`_Either` when it may be ``Last, First`` or two names (:func:`_two_names`; the caller settles it).

    >>> _written("Smith, John; Doe, Jane; Roe, Rick")  # doctest: +NORMALIZE_WHITESPACE
    _Guessed(persons=(PersonName(name='John Smith', given='John', family='Smith'),
        PersonName(name='Jane Doe', given='Jane', family='Doe'), PersonName(name='Rick Roe', given='Rick', family='Roe')),
        truncated=False, notes=("authors separated by ';' rather than 'and'; read as 3 names",))
    >>> [p.name for p in _written("John Smith, Jane Doe, Rick Roe").persons], _written("Steele, Jr., Guy L.").name
    (['John Smith', 'Jane Doe', 'Rick Roe'], 'Guy L. Steele Jr.')
    >>> [p.name for p in _written("{Smith, John; Doe, Jane}").persons], _written(r"M&#252;ller, J{\\\"o}rg")
    (['John Smith', 'Jane Doe'], PersonName(name='Jörg Müller', given='Jörg', family='Müller'))
    >>> _written("Smith, Jr., John, Extra").notes
    ("name 'Smith, Jr., John, Extra' has 3 commas (BibTeX's forms have at most two: 'von Last, Jr, First'); read as 'John Extra Smith Jr.'",)
    """
    if ";" in raw:
        if "&" in raw:
            raw = _SEMICOLON_ENTITY.sub(lambda m: unescape_entities(m[0]), raw)
        pieces = [piece.strip() for piece in _split_names(raw, ";")]
        if len(pieces) == 1 and len(_split_names(raw, ";", braces=False)) > 1:
            # {Smith, John; Doe, Jane}: a list braced whole (a one-field Zotero author) is no corporate
            # name; no name keeps a ";", so braces do not hold one together
            pieces = [_balanced(piece).strip() for piece in _split_names(raw, ";", braces=False)]
        if len(pieces) > 1:
            pieces = [piece for piece in pieces if piece]
            persons, truncated, notes = _gathered([_settled(read, pieces) if type(read := _written(piece)) is _Either else read
                                                   for piece in pieces])
            said = f"authors separated by ';' rather than 'and'; read as {len(persons)} name{'s' * (len(persons) != 1)}"
            return _Guessed(persons, truncated, (said, *notes))
    if raw.count(",") > 1 and ("=" not in raw or _extended_name(raw) is None):
        return _commas(raw)
    if "," in raw and ("=" not in raw or _extended_name(raw) is None) and (either := _two_names(raw)) is not None:
        return either
    return _person(raw)


_TIE = re.compile(r"(?<!\\)~")  # a tie between words; \~ is an accent


def _name_words(text: str) -> list[str]:
    """The words of ``text`` outside braces (``{Smith Jones}`` is one word), ties as spaces."""
    return [word for word in _split_names(" ".join(_TIE.sub(" ", text).split()), " ") if word]


def _capitalised(word: str) -> bool:
    """Whether a word starts with a capital letter (LaTeX accents read: ``{\\'E}mile``)."""
    if "\\" in word or "{" in word:
        word = decode_latex(word)
    return next((c for c in word if c.isalpha()), "").isupper()


def _two_names(raw: str) -> _Either | _Guessed | None:
    r"""A written name with one comma whose both sides read as whole names given first: two names
    separated by a comma, or BibTeX's ``Last, First`` with a family name of two words; None for any other.

    The part before the comma is two words or more, each capitalised (no ``van der`` particle, no
    braces holding a family name of two words together: ``{Smith Jones}, Anna Maria``), the last
    no initial or suffix; the part after is two words or more, the first capitalised, the last no
    initial or suffix (``Smith, J. R.`` and ``Steele, Guy L.`` stay ``Last, First``). An initial
    before the comma (``J. Smith, A. Jones``) is no family name: two names for sure (a
    :class:`_Guessed`); otherwise both readings (an :class:`_Either`).

    >>> _two_names("Jean Laidé, Ben Loaeb").two, _two_names("García Márquez, Gabriel").__class__
    ((PersonName(name='Jean Laidé', given='Jean', family='Laidé'), PersonName(name='Ben Loaeb', given='Ben', family='Loaeb')), <class 'NoneType'>)
    >>> [_two_names(x) for x in ("van der Berg, Jan Piet", "{Smith Jones}, Anna Maria", "Smith Jones, J. R.", "Lee, Kenton")]
    [None, None, None, None]
    >>> _two_names("J. Smith, A. Jones").notes
    ("authors separated by ',' rather than 'and' in 'J. Smith, A. Jones'; read as 2 names",)
    """
    head, _, tail = raw.partition(",")
    if len(tail.replace("~", " ").split()) < 2 or len(head.replace("~", " ").split()) < 2:  # "Lee, Kenton": at once
        return None
    if raw[-1:] in _ETAL_ENDS and _ETAL_AFTER.search(raw) is not None:
        return None  # "et al." glued to the last name: _person's reading
    parts = _split_names(raw, ",")
    if len(parts) != 2:
        return None
    before, after = _name_words(parts[0]), _name_words(parts[1])
    if len(before) < 2 or len(after) < 2 or not _capitalised(after[0]):
        return None
    if any(_INITIALS.fullmatch(words[-1]) or _SUFFIX.fullmatch(words[-1]) for words in (before, after)):
        return None
    if not all(map(_capitalised, before)):
        return None  # a von particle: "van der Berg, Jan Piet"
    one, first, second = split_name(raw), split_name(parts[0]), split_name(parts[1])
    if not (one.name and first.name and second.name):
        return None
    if any(_INITIALS.fullmatch(word) for word in before):
        return _Guessed((first, second), False, (f"authors separated by ',' rather than 'and' in {raw!r}; read as 2 names",))
    return _Either(one, (first, second), raw)


def _settled(either: _Either, pieces: list[str]) -> PersonName | _Guessed:
    """The reading of an :class:`_Either`: one person as BibTeX reads it, ``Last, First``; reported as possibly
    two unless another name of the list (``pieces``, its own among them) is written with a comma too (the list
    already has its separator). Splitting it would be a guess either way: ``García Márquez, Gabriel José and
    Mario Vargas Llosa`` is two people and right, a hand-typed ``Jean Laidé, Ben Loaeb`` is two people in one
    name; the problem says how to write either.

    >>> either = _two_names("García Márquez, Gabriel José")
    >>> _settled(either, [either.raw, "Vargas Llosa, Mario"]).name, _settled(either, [either.raw, "Mario Vargas Llosa"]).persons[0].name
    ('Gabriel José García Márquez', 'Gabriel José García Márquez')
    """
    others = [piece for piece in pieces if piece != either.raw and not is_etal(piece)]
    if any(len(_split_names(piece, ",")) > 1 for piece in others):
        return either.one
    head, _, tail = either.raw.partition(",")
    return _Guessed((either.one,), False, (
        f"{either.raw!r} read as BibTeX reads it, one person {either.one.name!r} with the family name {head.strip()!r}; "
        f"if it is two people ({either.two[0].name!r}, {either.two[1].name!r}), separate them with 'and', "
        f"and if it is one, brace the family name: {'{' + head.strip() + '}, ' + tail.strip()!r}",))


def _commas(raw: str) -> PersonName | _Cut | _Guessed | None:
    """A written name with two commas or more (outside braces): BibTeX's ``von Last, Jr, First``, or names
    separated by commas (three ``First Last`` names or more, ``Family, Initials`` pairs), or no name form.

    >>> [p.name for p in _commas("Smith, J., Doe, J. K., et al.").persons], _commas("John Smith, Jane Doe,").notes
    (['J. Smith', 'J. K. Doe'], ("authors separated by ',' rather than 'and' in 'John Smith, Jane Doe,'; read as 2 names",))
    >>> _commas("King, Martin Luther, Jr."), _commas("Lee, K., et al.")
    (PersonName(name='Martin Luther King Jr.', given='Martin Luther', family='King'), _Cut(person=PersonName(name='K. Lee', given='K.', family='Lee')))
    """
    parts = [part.strip() for part in _split_names(raw, ",")]
    cut = closed = False  # a comma after the last name: before "and" ("A B, C D, and E F") or "et al."
    while len(parts) > 1 and (not parts[-1] or is_etal(parts[-1])):
        cut, closed = cut or bool(parts[-1]), True
        parts.pop()
    if (len(parts) >= 3 or (closed and len(parts) == 2)) and all(map(_first_last, parts)):
        names = [_person(part) for part in parts]
    elif len(parts) >= 4 and len(parts) % 2 == 0 and _initials_pairs(parts):
        names = [_person(f"{parts[k]}, {parts[k + 1]}") for k in range(0, len(parts), 2)]
    else:
        names = None
    if names is not None:
        persons, truncated, _ = _gathered(names)
        return _Guessed(persons, cut or truncated, (f"authors separated by ',' rather than 'and' in {raw!r}; read as {len(persons)} names",))
    person = _person(", ".join(parts))
    if type(person) is not PersonName:
        return _Cut(None) if cut else person
    if len(parts) <= 2 or (len(parts) == 3 and (not parts[1] or any(_SUFFIX.fullmatch(part.strip("{}")) for part in parts[1:]))):
        return _Cut(person) if cut else person  # "von Last, Jr, First", "Last, First, Jr.", a stray comma at the end
    if len(parts) == 3:
        why = f"name {raw!r} has {parts[1]!r} between its commas, which is no suffix such as Jr."
    else:
        why = f"name {raw!r} has {len(parts) - 1} commas (BibTeX's forms have at most two: 'von Last, Jr, First')"
    return _Guessed((person,), cut, (f"{why}; read as {person.name!r}",))


def _gathered(reads: list[PersonName | _Cut | _Guessed | None]) -> tuple[tuple[PersonName, ...], bool, list[str]]:
    """The persons that the readings of several written names stand for, whether one was a truncation mark,
    and their notes."""
    persons: list[PersonName] = []
    truncated, notes = False, []
    for read in reads:
        if type(read) is _Guessed:
            persons.extend(read.persons)
            truncated = truncated or read.truncated
            notes.extend(read.notes)
        elif type(read) is _Cut:
            truncated = True
            persons.extend(() if read.person is None else (read.person,))
        elif read is not None:
            persons.append(read)
    return tuple(persons), truncated, notes


def _first_last(part: str) -> bool:
    """Whether ``part`` of a comma list is a whole name written given name first (``Jane Doe``, ``J. K. Rowling``):
    two words or more, a capital first, a family name last (no initial, no suffix)."""
    words = part.replace("~", " ").split()
    return (len(words) >= 2 and (words[0][0].isupper() or words[0][0] in "{\\")
            and not _INITIALS.fullmatch(words[-1]) and not _SUFFIX.fullmatch(words[-1]))


def _initials_pairs(parts: list[str]) -> bool:
    """Whether ``parts`` alternate a family name and its initials (``Smith, J., Doe, J. K.``): initials alone
    are no name, so each pair is one person."""
    return all(
        _INITIALS.fullmatch(parts[k + 1]) and not _INITIALS.fullmatch(parts[k]) and not _SUFFIX.fullmatch(parts[k])
        and not _SUFFIX.fullmatch(parts[k + 1]) and parts[k][:1].isupper()
        for k in range(0, len(parts), 2)
    )


def _balanced(text: str) -> str:
    """``text`` without the braces that close nothing or are never closed (a piece of a braced list).

    >>> _balanced("{Smith, {Jr.}, Jo"), _balanced(" Doe, Jane}")
    ('Smith, {Jr.}, Jo', ' Doe, Jane')
    """
    unmatched: list[int] = []
    opened: list[int] = []
    for i, c in enumerate(text):
        if c == "{":
            opened.append(i)
        elif c == "}":
            if opened:
                opened.pop()
            else:
                unmatched.append(i)
    drop = set(unmatched + opened)
    return "".join(c for i, c in enumerate(text) if i not in drop) if drop else text


def _split_names(raw: str, separator: str, *, braces: bool = True) -> list[str]:
    """``raw`` split at ``separator`` where it is outside braces (or anywhere, ``braces=False``) and not a
    LaTeX space (``\\;``, ``\\,``).

    >>> _split_names(r"{Barnes; Noble}; J.\\,R.\\,R. Tolkien, Smith", ";"), _split_names(r"J.\\,R. Tolkien, Smith", ",")
    (['{Barnes; Noble}', ' J.\\\\,R.\\\\,R. Tolkien, Smith'], ['J.\\\\,R. Tolkien', ' Smith'])
    """
    pieces, start, depth = [], 0, 0
    for i, c in enumerate(raw):
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        elif c == separator and (depth == 0 or not braces) and raw[i - 1 : i] != "\\":
            pieces.append(raw[start:i])
            start = i + 1
    pieces.append(raw[start:])
    return pieces


def _people(
    value: str | None, people: dict[str, PersonName | _Cut | _Guessed | _Either | None], notes: list[str] | None = None
) -> tuple[list[PersonName], bool]:
    """The authors' split names and whether the list is cut (``and others``, ``et al.``); what the list
    leaves to a guess (names separated by ``;`` or commas, too many commas) appended to ``notes``.

    ``people`` caches each spelling's split for the whole file: a bibliography
    repeats its people, and the records keep the strings alive anyway.

    >>> _people("Smith, J. et al.", {}), _people("Lee, Kenton and others", {})[1], _people("A, B and et al", {})[1]
    (([PersonName(name='J. Smith', given='J.', family='Smith')], True), True, True)
    >>> notes = []
    >>> [p.name for p in _people("Lee, Kenton and Smith, J.; Doe, J.", {}, notes)[0]], notes
    (['Kenton Lee', 'J. Smith', 'J. Doe'], ["authors separated by ';' rather than 'and'; read as 2 names"])
    """
    if not value:
        return [], False
    truncated = False
    out: list[PersonName] = []
    pieces = split_and(value)
    for raw in pieces:
        try:
            person = people[raw]
        except KeyError:
            person = people[raw] = _written(raw)
        if person is None:
            continue
        if type(person) is _Either:  # "Two Words, Two Words": the rest of the list decides
            person = _settled(person, pieces)
        if type(person) is _Guessed:
            out.extend(person.persons)
            truncated = truncated or person.truncated
            if notes is not None:
                notes.extend(person.notes)
            continue
        if type(person) is _Cut:  # "others" or "et al." (anywhere: still nobody called that)
            truncated = True
            person = person.person
            if person is None:
                continue
        out.append(person)
    return out, truncated


def _author_ref(person: PersonName, position: int) -> dict:
    """An author as the field dict PaperRecord validates into an AuthorRef."""
    if person.family and person.family.isdigit() and len(person.family) == 4 and person.given:
        # DBLP writes a homonym number after the name (Wei Wang 0001): an id, not a surname
        again = split_name(person.given)
        return {"name": again.name, "given": again.given, "family": again.family, "position": position, "ids": (f"dblp:{person.name}",)}
    return {"name": person.name, "given": person.given, "family": person.family, "position": position}


# Fields of Web of Science's and Scopus's BibTeX exports that tie ids and addresses to the authors.
_EXPORT_FIELDS = frozenset(("orcid-numbers", "affiliation", "affiliations"))
_REPRINT = re.compile(r"\s*\((?:Corresponding|Reprint) Author\)", re.I)
_ADDRESS_END = re.compile(r"\.[ \t\r]*\n")  # Web of Science ends each address with "." and a line


def _address(text: str) -> AffiliationRef | None:
    text = " ".join(text.split()).strip(" .;,")
    if not text:
        return None
    return AffiliationRef(name=text, country=country_code(text.rsplit(",", 1)[-1]))


def _wos_addresses(value: str, index: AuthorIndex) -> Iterator[tuple[list[str], AffiliationRef]]:
    """Web of Science's BibTeX ``Affiliation``: per address, the names before it and the address.

    One address a line: ``Joshi, Mandar; Weld, Daniel S., Univ Washington, Seattle, WA 98195 USA.``
    (the reprint address carries ``(Corresponding Author)`` after its name); a line
    that does not start with an author's family name is an address alone.
    """
    for chunk in _ADDRESS_END.split(value):
        text = _REPRINT.sub("", decode_latex(chunk))
        *names, last = text.split(";")
        parts = last.split(",", 2)
        if len(parts) == 3 and index.has_family((names[0] if names else parts[0]).split(",", 1)[0]):
            names.append(parts[0] + "," + parts[1])
            address = _address(parts[2])
        else:
            names, address = [], _address(text)
        if address is not None:
            yield names, address


def _export_extras(fields: dict[str, str], persons: list[PersonName], authors: list[dict]) -> tuple[AffiliationRef, ...]:
    """What Web of Science's and Scopus's BibTeX exports add: ORCIDs and addresses given to the authors
    (``authors``' dicts, changed in place) that their names fit, and the paper's institutions.

    ``ORCID-Numbers`` (``Levy, Omer/0000-0001-...; Weld, Daniel/...``, Web of Science) go to the one
    author each name fits; ``Affiliation`` (Web of Science) addresses to the authors named before them,
    an address no author fits to the paper; ``affiliations`` (Scopus, ``;``-separated) to the paper.
    """
    index = AuthorIndex(persons)
    for entry in re.split(r"[;\n]", fields.get("orcid-numbers", "")):
        name, _, value = entry.rpartition("/")
        if (orcid := orcid_id(value)) is not None and (i := index.find(name)) is not None and orcid not in authors[i].get("ids", ()):
            authors[i]["ids"] = (*authors[i].get("ids", ()), orcid)
    institutions: list[AffiliationRef] = []
    for names, address in _wos_addresses(fields.get("affiliation", ""), index):
        found = {i for name in names if (i := index.find(name)) is not None}
        for i in sorted(found):
            if address not in authors[i].setdefault("affiliations", []):
                authors[i]["affiliations"].append(address)
        if not found and address not in institutions:
            institutions.append(address)
    for text in decode_latex(fields.get("affiliations", "")).split(";"):
        if (address := _address(text)) is not None and address not in institutions:
            institutions.append(address)
    for author in authors:
        if "affiliations" in author:
            author["affiliations"] = tuple(author["affiliations"])
    return tuple(institutions)


def _compact_author(person: PersonName, shared: dict):
    """An author as :func:`graphkit.resolve.records.compact` stores an AuthorRef at its list position."""
    from graphkit.resolve.records import AT_INDEX, Author

    ref = _author_ref(person, 0)
    given, family, ids = ref["given"], ref["family"], ref.get("ids", ())
    name = sys.intern(ref["name"])
    if given is None and family is None and not ids:
        return name
    author = Author(name, sys.intern(given) if given else given, sys.intern(family) if family else family, AT_INDEX,
                    tuple(sys.intern(i) for i in ids), (), False)
    return shared.setdefault(author, author)


def parse_bibtex(stream: BinaryIO, source: str) -> Iterator[PaperRecord | Problem]:
    """Parse a BibTeX file into paper records and problems.

    Parameters
    ----------
    stream : BinaryIO
        The file's bytes (UTF-8, with or without a byte-order mark; other
        bytes are replaced and reported).
    source : str
        The file name to put in records and problems.

    Yields
    ------
    PaperRecord or Problem
        One record per entry with a title, in file order, ``line`` its
        ``@`` line; a problem per malformed block.

    Examples
    --------
    >>> import io
    >>> text = rb'''@book{who, author = {{World Health Organization}}, title = {Report}, year = 2020}
    ... @misc{x, title = "Broken", author = "Lee, Kenton and others", year = 2019}
    ... @misc{x, title = "Again"}'''
    >>> [str(r) if isinstance(r, Problem) else (r.author_names, r.authors_truncated) for r in parse_bibtex(io.BytesIO(text), "r.bib")]
    [(('World Health Organization',), False), (('Kenton Lee',), True), 'r.bib:3: duplicate key x (first at line 2); keeping the first']
    """
    return _parse(stream, source, _record_builder(source))


def parse_compact(stream: BinaryIO, source: str, *, shared: dict | None = None, as_of=None) -> Iterator:
    """Parse a BibTeX file into the compact records a build holds, and problems.

    The same records as :func:`parse_bibtex` passed through
    :func:`graphkit.resolve.records.compact` (``shared`` stores equal author
    tuples once), built directly: no pydantic validation per record, each
    person's author built once per file. ``as_of`` is ignored (the profile
    reader's option, accepted for one calling convention).

    >>> import io
    >>> from graphkit.resolve.records import compact
    >>> text = b"@misc{k, title = {T}, author = {Lee, Kenton and Wei Wang 0001 and Plato}, year = 2019}"
    >>> [rec] = parse_compact(io.BytesIO(text), "r.bib", shared={})
    >>> rec == compact(next(parse_bibtex(io.BytesIO(text), "r.bib"))), rec.author_names
    (True, ('Kenton Lee', 'Wei Wang', 'Plato'))
    """
    return _parse(stream, source, _compact_builder(source, {} if shared is None else shared))


def _parse(stream: BinaryIO, source: str, build) -> Iterator:
    data = stream.read()
    if (binary := binary_problem(data[:_BINARY_HEAD], source)) is not None:
        yield binary  # an executable or image named .bib: refused, as every text reader refuses one
        return
    text, problems, codec = _decode(data, source)
    yield from problems
    if "\r" in text:
        text = _LONE_CR.sub("\n", text)  # old Mac line ends (CR only): each one ends a line
    if _has_controls(data, text, codec):
        # a corrupt export's NUL or ESC: no part of any field, dropped and reported once (as in RIS)
        controls = ControlChars(source)
        text = controls.drop_text(text)
        if (problem := controls.problem()) is not None:
            yield problem
    pending, by_key = _blocks(split_blocks(text), source)
    if not pending and _CONTENT.search(text) is not None:
        # Text but not one entry, macro or broken entry: not a bibliography
        # (notes, a RIS or CSV file under a .bib name, --from bibtex on the wrong file).
        yield Problem(source=source, line=1, message="no BibTeX entries (@type{key, ...}) in the file")
    del text, data  # the split blocks are gone too: only the resolved fields stay
    # The resolved fields are some million live objects without reference
    # cycles; frozen, the collector stops walking them again on every full
    # collection while the records are built (measured: a fifth of the time on
    # 100,000 entries). Unfrozen when the file is done or abandoned.
    gc.freeze()
    try:
        yield from _records(pending, by_key, source, build)
    finally:
        gc.unfreeze()


_Pending = list[tuple[int, Problem | tuple[str, str, dict[str, str]]]]


def _blocks(blocks: list[tuple], source: str) -> tuple[_Pending, dict[str, dict[str, str]]]:
    """First pass over the split blocks: macros in file order, each entry's fields resolved, problems in order."""
    values = _Values()
    macros, undefined, resolve = values.macros, values.undefined, values.resolve
    by_key: dict[str, dict[str, str]] = {}
    pending: _Pending = []
    for block in blocks:
        what, line = block[0], block[1]
        if what == ENTRY:
            _, _, entry_type, key, raw_fields, repeated = block
            if repeated:
                pending.append((line, Problem(source=source, line=line, message=f"field {', '.join(sorted(repeated))} given twice; keeping the first value")))
            fields: dict[str, str] = {}
            for name, raw in raw_fields:
                name = name.strip().lower()
                raw = raw.strip()
                if "=" in raw and (glued := _missing_commas(raw)) is not None:
                    # title = {A}<newline> author = {B}: the splitter reads one value; read two fields
                    after = ", ".join(n for n, _ in glued[1:])
                    pending.append((line, Problem(source=source, line=line, message=f"entry {key}: no comma after field {name} (before {after}); read as separate fields")))
                    for name, raw in [(name, glued[0][1]), *glued[1:]]:
                        if name not in fields:
                            fields[name] = resolve(raw)
                    continue
                if name in fields:
                    continue  # a repeated field: the first value stays
                if raw and "#" not in raw and (raw[0] == "{" and raw[-1] == "}" or raw[0] == '"' and raw[-1] == '"'):
                    fields[name] = raw[1:-1]  # the common case, inline
                else:
                    fields[name] = resolve(raw)
            if undefined:
                for name in undefined:
                    pending.append((line, Problem(source=source, line=line, message=f"entry {key}: undefined macro {name}")))
                undefined.clear()
            by_key.setdefault(key.lower(), fields)
            pending.append((line, (entry_type.lower(), key, fields)))
        elif what == STRING:
            _, _, key, raw = block
            undefined.clear()
            macros[key.strip().lower()] = resolve(raw)
            for name in undefined:
                pending.append((line, Problem(source=source, line=line, message=f"@string {key}: undefined macro {name}")))
            undefined.clear()
        elif what == DUPLICATE:
            _, _, kind, key, first = block
            pending.append((line, Problem(source=source, line=line, message=f"duplicate {kind} {key} (first at line {first}); keeping the first")))
        else:
            _, _, raw, reason = block
            head = raw.split("\n", 1)[0].strip()[:60]
            pending.append((line, Problem(source=source, line=line, message=f"cannot parse {head!r}: {reason or 'malformed entry'}")))
    return pending, by_key


def _records(pending: _Pending, by_key: dict[str, dict[str, str]], source: str, build) -> Iterator:
    """Second pass: ``xdata`` and ``crossref`` inheritance, then per entry its record (built by ``build``,
    after the problems its author list left to a guess) or a problem, on both cores for a large file
    (:func:`graphkit.readers._forked.build_in_two`)."""

    def one(item):
        return item if isinstance(item, Problem) else build(*item)

    for built in build_in_two(list(_entries(pending, by_key, source)), one):
        if type(built) is list:  # an entry's author-list problems before its record (see _with_notes)
            yield from built
        else:
            yield built


_CONTAINERS = ("proceedings", "book", "mvbook", "collection", "mvproceedings", "mvcollection")


def _entries(pending: _Pending, by_key: dict[str, dict[str, str]], source: str) -> Iterator:
    """Each problem, and each paper entry as ``(type, key, fields, line)`` with the fields of its ``xdata``
    entries and its crossref lent (in that order, as biblatex lends them)."""
    # crossref parents lend their fields; one without authors (a proceedings volume, an edited
    # collection) is a container, not a paper. A book with authors that a chapter cites is both.
    parents = {f["crossref"].strip().lower() for _, item in pending if isinstance(item, tuple) and (f := item[2]).get("crossref")}
    for line, item in pending:
        if not isinstance(item, tuple):
            yield item
            continue
        entry_type, key, fields = item
        if entry_type == "xdata":
            continue  # biblatex's fields shared by the entries naming it: never a paper
        if key.lower() in parents and entry_type in _CONTAINERS and not fields.get("author", "").strip():
            continue
        if "xdata" in fields:
            fields, missing = _with_xdata(fields, by_key)
            for ref in missing:
                yield Problem(source=source, line=line, message=f"entry {key}: xdata to unknown entry {ref}; read without it")
        ref = fields.get("crossref", "").strip()
        parent = by_key.get(ref.lower()) if ref else None
        if ref and parent is None:
            yield Problem(source=source, line=line, message=f"entry {key}: crossref to unknown entry {ref}; read without it")
        elif parent is not None:
            fields = dict(fields)
            for name, value in parent.items():
                if name not in fields and name not in _NOT_INHERITED:
                    fields[name] = value
            if "booktitle" not in fields and "title" in parent:
                fields["booktitle"] = parent["title"]
        # a plain year in range (one set lookup) is all most entries have; any other year or a date is checked
        if (fields.get("year", "2000") not in _PLAIN_YEARS or "date" in fields) and fields.get("title", "").strip():
            yield from _year_problems(key, fields, source, line)
        if fields.get("orcid-numbers") and fields.get("title", "").strip():
            yield from _orcid_problems(key, fields, source, line)
        yield entry_type, key, fields, line


def _with_xdata(fields: dict[str, str], by_key: dict[str, dict[str, str]]) -> tuple[dict[str, str], list[str]]:
    """``fields`` with every field it lacks taken from the entries its biblatex ``xdata`` names (keys
    separated by commas, the first that has a field lends it; an ``@xdata`` naming others lends theirs
    after its own), and the keys no entry has.

    >>> shared = {"journal": "J", "year": "2018", "xdata": "pub"}
    >>> _with_xdata({"title": "T", "xdata": "shared, gone"}, {"shared": shared, "pub": {"publisher": "P", "year": "1999"}})
    ({'title': 'T', 'xdata': 'shared, gone', 'journal': 'J', 'year': '2018', 'publisher': 'P'}, ['gone'])
    """
    merged = dict(fields)
    missing: list[str] = []
    todo = [ref.strip() for ref in fields["xdata"].split(",") if ref.strip()]
    seen: set[str] = set()
    while todo:
        ref = todo.pop(0)
        if ref.lower() in seen:
            continue  # named twice, or xdata entries naming each other
        seen.add(ref.lower())
        lent = by_key.get(ref.lower())
        if lent is None:
            missing.append(ref)
            continue
        for name, value in lent.items():
            if name not in merged:
                merged[name] = value
        if lent.get("xdata"):
            todo[:0] = [nested.strip() for nested in lent["xdata"].split(",") if nested.strip()]
    return merged, missing


_ORCID_SHAPE = re.compile(r"\d{4}-?\d{4}-?\d{4}-?\d{3}[\dXx]")


def _orcid_problems(key: str, fields: dict[str, str], source: str, line: int) -> Iterator[Problem]:
    """What :func:`_export_extras` leaves out of ``ORCID-Numbers``, said: an iD failing its check digit,
    a name that fits several authors (the iD given to none) or none."""
    index = AuthorIndex(_people(fields.get("author"), {})[0])
    for entry in re.split(r"[;\n]", fields["orcid-numbers"]):
        name, _, value = entry.rpartition("/")
        name, value = name.strip(), value.strip()
        if not value:
            continue
        if orcid_id(value) is None:
            if _ORCID_SHAPE.search(value):
                yield Problem(source=source, line=line, message=(
                    f"entry {key}: ORCID-Numbers iD {value!r} of {name!r} fails its check digit; not used"))
            continue
        fits = len(index.positions(name)) if name else 0
        if fits != 1:
            yield Problem(source=source, line=line, message=(
                f"entry {key}: ORCID-Numbers name {name!r} fits "
                f"{'no author' if fits == 0 else f'{fits} authors'} of the entry; its ORCID {value!r} not used"))


def _values(entry_type: str, key: str, fields: dict[str, str]) -> tuple | None:
    """An entry's record values but its authors: (title, ids, year, date, venue, kind, abstract, urls, volume, issue,
    pages); None without a title."""
    title = _text(fields.get("title"))
    if not title:
        return None
    ids = _paper_ids(key, fields)
    year, date, _ = _year_and_date(fields)
    venue = fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")
    if venue is None and entry_type in ("phdthesis", "mastersthesis", "thesis"):
        venue = fields.get("school") or fields.get("institution")
    urls = tuple(_url_text(fields.get("url", "")).split())
    number = fields.get("number") if entry_type not in _NUMBERED else None  # a report's number is no issue
    return (title, with_arxiv_dois(ids), year, date, _text(venue), _kind(entry_type, fields, ids), _text(fields.get("abstract")), urls,
            _text(fields.get("volume")), _text(number or fields.get("issue")), _text(fields.get("pages") or fields.get("eid")))


_NUMBERED = frozenset(("techreport", "report"))  # entry types whose ``number`` is the report's own number


def _record_builder(source: str):
    people: dict[str, PersonName | None] = {}

    def build(entry_type: str, key: str, fields: dict[str, str], line: int) -> PaperRecord | Problem:
        values = _values(entry_type, key, fields)
        if values is None:
            return Problem(source=source, line=line, message=f"entry {key or '(no key)'} has no title")
        title, ids, year, date, venue, kind, abstract, urls, volume, issue, pages = values
        notes: list[str] = []
        persons, truncated = _people(fields.get("author"), people, notes)
        authors = [_author_ref(person, i) for i, person in enumerate(persons)]
        institutions = () if _EXPORT_FIELDS.isdisjoint(fields) else _export_extras(fields, persons, authors)
        # One validation of the whole record, authors given as dicts: pydantic-core
        # builds the AuthorRefs itself, 40% faster than constructing each in Python.
        record = PaperRecord.model_validate(
            {
                "title": title, "ids": ids, "year": year, "date": date, "venue": venue, "kind": kind,
                "abstract": abstract, "urls": urls, "authors": tuple(authors), "authors_truncated": truncated,
                "institutions": institutions, "source": source, "source_format": FORMAT, "line": line,
                "volume": volume, "issue": issue, "pages": pages,
            }
        )  # fmt: skip
        return _with_notes(record, notes, key, source, line)

    return build


def _compact_builder(source: str, shared: dict):
    from graphkit.resolve.records import CompactRecord, compact

    full = _record_builder(source)  # for the rare entry with ORCIDs or addresses (Web of Science, Scopus)
    people: dict[str, PersonName | None] = {}
    authors_of: dict[PersonName, object] = {}  # each person's compact author, built once
    source = sys.intern(source)
    bibtex = sys.intern(FORMAT)

    def build(entry_type: str, key: str, fields: dict[str, str], line: int):
        if not _EXPORT_FIELDS.isdisjoint(fields):
            record = full(entry_type, key, fields, line)
            if type(record) is list:  # the author list's problems, then the record
                return [*record[:-1], compact(record[-1], shared)]
            return record if isinstance(record, Problem) else compact(record, shared)
        values = _values(entry_type, key, fields)
        if values is None:
            return Problem(source=source, line=line, message=f"entry {key or '(no key)'} has no title")
        title, ids, year, date, venue, kind, abstract, urls, volume, issue, pages = values
        notes: list[str] = []
        persons, truncated = _people(fields.get("author"), people, notes)
        authors = []
        for person in persons:
            author = authors_of.get(person)
            if author is None:
                author = authors_of[person] = _compact_author(person, shared)
            authors.append(author)
        record = CompactRecord(
            title, False, tuple(sys.intern(i) for i in ids), year, date, sys.intern(venue) if venue else venue,
            sys.intern(kind), abstract, urls, tuple(authors), truncated, (), None, None, None, False, source, bibtex, line, None,
            volume and sys.intern(volume), issue and sys.intern(issue), pages and sys.intern(pages),
        )
        return _with_notes(record, notes, key, source, line)

    return build


def _with_notes(record, notes: list[str], key: str, source: str, line: int):
    """``record``, or a list of the problems its author list left to a guess and then ``record``."""
    if not notes:
        return record
    return [*(Problem(source=source, line=line, message=f"entry {key}: {note}") for note in notes), record]


def read_bibtex(path) -> Iterator[PaperRecord | Problem]:
    """Read a BibTeX file (``.gz`` too): see :func:`parse_bibtex`."""
    with open_input(path) as stream:
        yield from parse_bibtex(stream, str(path))


parse = parse_bibtex
read = read_bibtex
