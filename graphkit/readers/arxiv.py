"""arXiv metadata: the OAI snapshot as JSON Lines (Kaggle's ``arxiv-metadata-oai-snapshot.json``), and as XML.

One JSON object per line, read line by line (the snapshot holds millions of
records; memory stays flat). A file whose first character is ``<`` is XML:
the arXiv API's Atom feed or an OAI-PMH response of ``export.arxiv.org/oai2``
(``arXiv``, ``arXivRaw`` or ``oai_dc`` metadata), read by
:mod:`graphkit.readers._arxiv_xml` into the same records the JSON Lines give
for the same paper. Reading rules:

- authors from ``authors_parsed`` (``[last, first, suffix]`` lists, an
  optional fourth item being the affiliation written in parentheses after
  the name); the name as written is ``first last suffix``; TeX accents are
  decoded (``Bal\\'azs`` -> ``Balázs``); arXiv's split of a hyphenated
  initial (``C. -P.``) is joined back (``C.-P.``); a fourth item made of
  footnote marks (``1 and 2``) stands for the numbered affiliations listed at
  the end of the ``authors`` string (``((1) CREST, (2) ...)``). When
  ``authors_parsed`` gives nobody an affiliation while the ``authors`` string
  does (arXiv leaves out many numbered ones), the string's are used, provided
  it names the same authors. An entry meaning "et al." / "etc." / "others"
  (``["al", "et", ""]``, ``["others", "", ""]``) is not an author: it sets
  ``authors_truncated``, as does the ``authors`` string ending its list so
  (``F. Aharonian, et al``: the snapshot often leaves that entry out). Written
  onto a name (``B. Jones et al.``, ``["al.", "B. Jones et", ""]``), it is cut
  off the name and sets ``authors_truncated`` the same way.
  When the two lists differ in the number of names, or an entry is damaged
  (``["Smith", null, ""]``), they are compared name by name: an intact entry
  is trusted, a damaged one gives way to the string's name, a name only one
  of them has is kept, and the difference is one problem naming the record
  (a collaboration only one names is not reported). A cheap count of the
  string's names decides this, so a record whose lists agree costs little.
- the ``authors`` string (the snapshot's when ``authors_parsed`` is missing,
  arXivRaw's ``authors``) as arXiv writes it: names separated by commas and
  ``and``; a parenthesised group after a name is that author's affiliation
  (``J. van der Berg (Leiden University)``), or footnote marks (``(1)``,
  ``(1,2)``, ``(1 and 2)``) into a numbered list written as one more group,
  ``((1) MIT, (2) Institute of Physics (IOP), Beijing)`` or
  ``(1 Dip. Astro., Bologna; 2 INAF)``. As arXiv reads these strings, an
  author written without any group takes the affiliations of the next author
  who has one (``A. Li, B. Wu (MIT)``: both at MIT). A group after the list's
  "et al." / "etc." / "and others" (``A. Li, B. Wu et al. (CMS Collaboration)``,
  ``..., et al. for the CMS Collaboration``) is the whole list's: one naming
  only collaborations makes them authors, after the names, as a collaboration
  written in the list is; any other is the affiliation of the authors before
  it that have no group of their own. Unbalanced parentheses or
  a mark with no entry in the list are a problem naming the record; the
  names that are still certain are kept (never a name with a parenthesis in
  it), and an author list that may have lost names is ``authors_truncated``.
- ids: ``arxiv:<id>`` (no version), every DOI in ``doi`` (``doi:``, lower case).
- date: the creation date of the first version (``versions[0].created``),
  which is when the paper first appeared; without versions the year comes
  from the arXiv id (``0704.0001`` -> 2007, ``hep-th/9901001`` -> 1999) and
  ``update_date`` is the last resort.
- ``journal-ref`` is the venue; ``kind`` is ``article`` when the record has a
  ``journal-ref`` or a ``doi`` (arXiv only carries them once the paper was
  published), else ``preprint``.
- ``categories``: the first one is the ``category`` (``cs.CL``).
- titles and names are TeX-decoded; abstracts only have their whitespace
  folded (in an abstract ``~10%`` means "about 10%", and math decoded to
  plain text loses more than it gains).
- mojibake is repaired: some records hold UTF-8 text that was decoded as
  Windows-1252 or Latin-1 on its way into arXiv's metadata (``MÃ¼ller`` for
  ``Müller``, ``$Ï\\x89$`` for ``$ω$``, ``itâ€™s`` for ``it’s``). Each such
  sequence (a lead character ``Â``-``Ó``, ``à``-``ï``, ``ð``-``ô`` followed by
  the characters its UTF-8 continuation bytes read as) that is valid UTF-8
  once turned back into bytes is read as the character it was; a sequence that
  could also be real text (``CAFÉ»``, ``RÉSUMÉ’s``, ``José¹²``: an accented
  letter ending a word before punctuation) only where the word goes on
  (``Ã…ngström``, ``Nguyá»…n``) or the whole string is mojibake. ``São``,
  ``João`` and ``Conceição`` are text, never touched. The records repaired in a
  file are one problem, at the first one's line, counting them.
- the locator is the 1-based line; a line that is not a JSON object, or has
  no id or no title, is a :class:`~graphkit.models.Problem` and the rest goes on.

>>> import io
>>> line = (b'{"id":"1810.04805","authors":"Jacob Devlin, Ming-Wei Chang, Kenton Lee, Kristina Toutanova",'
...         b'"title":"BERT: Pre-training of Deep Bidirectional Transformers for\\\\n  Language Understanding",'
...         b'"journal-ref":null,"doi":null,"categories":"cs.CL","abstract":"  We introduce BERT.\\\\n",'
...         b'"versions":[{"version":"v1","created":"Thu, 11 Oct 2018 00:50:01 GMT"}],'
...         b'"update_date":"2019-05-28","authors_parsed":[["Devlin","Jacob",""],["Chang","Ming-Wei",""],'
...         b'["Lee","Kenton",""],["Toutanova","Kristina",""]]}')
>>> [rec] = parse_arxiv(io.BytesIO(line), "arxiv.jsonl")
>>> rec.title, rec.ids, rec.date.isoformat(), rec.kind, rec.category
('BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding', ('arxiv:1810.04805',), '2018-10-11', 'preprint', 'cs.CL')
>>> [(a.name, a.given, a.family, a.position) for a in rec.authors][2]
('Kenton Lee', 'Kenton', 'Lee', 2)
>>> line = (b'{"id":"hep-th/9901001","title":"T","authors":"A. Smith (1), B. Jones (2) and C. Brown (1 and 2) '
...         b'((1) MIT, (2) CMU)"}')
>>> [rec] = parse_arxiv(io.BytesIO(line), "arxiv.jsonl")
>>> [(a.name, [f.name for f in a.affiliations]) for a in rec.authors]
[('A. Smith', ['MIT']), ('B. Jones', ['CMU']), ('C. Brown', ['MIT', 'CMU'])]
>>> line = '{"id":"0704.0002","title":"The $\\u00cf\\u0089$ meson","authors_parsed":[["M\\u00c3\\u00bcller","J.",""]]}'
>>> rec, problem = parse_arxiv(io.BytesIO(line.encode()), "arxiv.jsonl")
>>> rec.title, rec.authors[0].name
('The ω meson', 'J. Müller')
>>> print(problem)
arxiv.jsonl:1: mojibake (UTF-8 text read as Windows-1252 or Latin-1 upstream) repaired in 1 record, the first here: "$Ï\\x89$" read as "$ω$"
"""

from __future__ import annotations

import datetime as _dt
import difflib
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

import orjson

from graphkit.models import AffiliationRef, AuthorRef, PaperRecord, Problem
from graphkit.readers._files import json_line_error, open_input
from graphkit.readers._latex import decode_latex, has_latex
from graphkit.readers._names import is_etal
from graphkit.readers._text import JSON_CONTROL, ControlChars

__all__ = ["FORMAT", "SUFFIXES", "parse", "parse_arxiv", "read", "read_arxiv", "sniff"]

FORMAT = "arxiv"
# The snapshot is JSON Lines whatever its name (Kaggle ships it as
# ``arxiv-metadata-oai-snapshot.json``); OpenAlex (.json, .jsonl) and CSL-JSON
# (.json) claim these suffixes too, and DBLP claims .xml (the arXiv API's feed and
# OAI-PMH responses are XML): the registry tells them apart by sniffing.
SUFFIXES = (".jsonl", ".ndjson", ".json", ".xml", ".atom")

_NEW_ID = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")
_OLD_ID = re.compile(r"^[a-z-]+(?:\.[a-z]{2})?/(\d{2})(\d{2})\d{3}$", re.I)
_VERSION = re.compile(r"v\d+$")
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_HYPHEN_INITIAL = re.compile(r"\.\s+-(?=\w)")  # arXiv writes C.-P. Yuan as "C. -P."
_LETTER = re.compile(r"[^\W\d_]")
_SNIFF_ID = re.compile(rb'"id"\s*:\s*"(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"')
# names are separated by commas, semicolons, "and", "&", and a colon after a group's name ("BELLE Collaboration: A. Li")
_AUTHOR_SPLIT = re.compile(r"[,;:]\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+")
_SUFFIX = re.compile(r"(?:jr|sr|ii|iii|iv)\.?", re.I)  # "John Smith, Jr.": a suffix split off like a name
_MARKERS = re.compile(r"^\d+(?:\s*(?:,|and|&)\s*\d+)*$")
_PAREN = re.compile(r"[()]")
_GROUP = re.compile(r"\([^()]*\)")
_DIGITS = re.compile(r"\d+")
_LIST_START = re.compile(r"\s*\(\s*\d+\s*\)")  # a numbered list's first entry: "(1) MIT, (2) CMU"
_LIST_MARK = re.compile(r"\(\s*(\d+)\s*\)\s*")
_BARE_MARK = re.compile(r"(?:^|[;,])\s*(\d+)\s+(?=[^\W\d_])")  # the list without parentheses: "1 Bologna; 2 INAF"
_LIST_FIRST = frozenset("(0123456789")  # how a numbered list's group starts
_COLLABORATION = re.compile(r"\b(?:collaboration|consortium|group|team)\b", re.I)
# "et al" / "etc." written onto a name ("B. Jones et al.", "B. Jones etc"): the list is cut there, the rest is the name
_GLUED_ETAL = re.compile(r"\s+(?:et\.?\s*al(?:ii|\.)*|etc\.?)\W*$", re.I)
_ETAL_FOR = re.compile(r"\s+(?:et\.?\s*al(?:ii|\.)*|etc\.?)[\s.]+((?:for|on\s+behalf\s+of)\s.*)$", re.I)  # "... for the CMS Collaboration"
_ETAL_WORD = re.compile(r"\b(?:et\.?\s*al|etc)\b", re.I)  # whether a string may hold one (the cheap test first)
_ETAL_FAMILY = re.compile(r"(?:^|\s)(?:al(?:ii|\.)*|etc\.?)\W*$", re.I)  # an authors_parsed family name that may be one
# a parenthesised group right after a list's "et al" / "etc." / "others": the list's, not a person's
_AFTER_ETAL_GROUP = re.compile(r"(?:\bet\.?\s*al(?:ii|\.)*|\betc\b\.?|\bothers\b)[\s,;.]*\(([^()]*)\)", re.I)
_GROUP_COLLABORATION = re.compile(r"\b(?:collaboration|consortium)s?\b", re.I)
_ON_BEHALF = re.compile(r"^(?:for|on\s+behalf\s+of)\s+(?:the\s+)?", re.I)


_KAGGLE_START = re.compile(rb'\{\s*"id"\s*:\s*"(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Za-z]{2})?/\d{7})(?:v\d+)?"\s*,\s*"submitter"\s*:')


# XML: the arXiv API's Atom feed (the arxiv namespace, or the feed's or an entry's arxiv.org id), an OAI-PMH
# response from arXiv (its identifiers, metadata namespaces or base URL), or one arXiv/arXivRaw metadata record.
_ATOM_FEED = re.compile(rb"""<(?:[\w.-]+:)?feed\b[^>]*\bxmlns(?::[\w.-]+)?\s*=\s*["']http://www\.w3\.org/2005/Atom["']""")
_ARXIV_ATOM = re.compile(rb"http://arxiv\.org/schemas/atom|<(?:[\w.-]+:)?id>\s*https?://(?:export\.)?arxiv\.org/(?:abs|api)/")
_OAI_ROOT = re.compile(rb"<(?:[\w.-]+:)?OAI-PMH\b")
_OAI_ARXIV = re.compile(rb"<(?:[\w.-]+:)?identifier>\s*oai:arXiv\.org:|https?://arxiv\.org/OAI/arXiv(?:Raw)?/|export\.arxiv\.org/oai2")
_METADATA_ROOT = re.compile(rb"""<arXiv(?:Raw)?\b[^>]*\bxmlns\s*=\s*["']http://arxiv\.org/OAI/arXiv(?:Raw)?/["']""")


def _sniff_xml(text: bytes) -> bool:
    if _ATOM_FEED.search(text):
        return _ARXIV_ATOM.search(text) is not None
    if _OAI_ROOT.search(text):
        return _OAI_ARXIV.search(text) is not None
    return _METADATA_ROOT.search(text) is not None


def sniff(head: bytes) -> bool:
    """Whether ``head`` looks like arXiv metadata: JSON Lines, the API's Atom feed or an OAI-PMH response.

    JSON Lines: the first object must carry ``authors_parsed``, or an arXiv-style ``id``
    with ``versions`` or ``categories`` (OpenAlex works and CSL-JSON items have neither).
    XML: an Atom feed from the arXiv API, an OAI-PMH response with arXiv's
    identifiers (``oai:arXiv.org:``) or metadata formats; other Atom feeds,
    other repositories' OAI-PMH and DBLP XML are not arXiv's.

    >>> sniff(b'{"id":"0704.0001","submitter":"P","versions":[]}\\n'), sniff(b'{"id":"https://openalex.org/W1"}')
    (True, False)
    >>> sniff(b'{"id":"1507.00001","submitter":"ATLAS Collaboration","authors":"G. Aad, ')
    True
    >>> atom = b'<feed xmlns="http://www.w3.org/2005/Atom"><id>http://arxiv.org/api/x</id><entry>'
    >>> sniff(atom), sniff(atom.replace(b"arxiv.org/api", b"example.org/blog"))
    (True, False)
    >>> sniff(b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords><record><header>'
    ...       b'<identifier>oai:arXiv.org:1706.03762</identifier>')
    True
    """
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return _sniff_xml(text)
    if not text.startswith(b"{"):
        return False
    first = text.split(b"\n", 1)[0]
    if b'"authors_parsed"' in first:
        return True
    if not _SNIFF_ID.search(first):
        return False
    # the Kaggle snapshot's key order: a consortium paper's long "authors" string may push the rest past the head
    return b'"versions"' in first or b'"categories"' in first or _KAGGLE_START.match(first) is not None


# -- mojibake: UTF-8 text decoded as Windows-1252 or Latin-1 upstream ("MÃ¼ller" for "Müller") ----------------

# What the bytes 0x80-0x9F read as in Windows-1252 ("€" for 0x80); Latin-1 reads them as the C1 controls U+0080-U+009F.
_CP1252_HIGH = {c: b for b in range(0x80, 0xA0) if (c := bytes([b]).decode("cp1252", "ignore"))}
_AS_LATIN1 = str.maketrans({c: chr(b) for c, b in _CP1252_HIGH.items()})  # each back to the Latin-1 char of its byte
_TRAIL = "[\x80-\xbf" + re.escape("".join(_CP1252_HIGH)) + "]"  # a UTF-8 continuation byte (0x80-0xBF) as read
# A UTF-8 lead byte as read (all Latin-1 letters) with its continuation bytes. Two-byte leads stop at 0xD3 (Ó): the
# characters beyond (Armenian, Hebrew, Arabic, NKo) are no arXiv text, while "Gauß–Bonnet" or "Ö–" are.
_SEQUENCE = re.compile(f"[\u00c2-\u00d3]{_TRAIL}|[\u00e0-\u00ef]{_TRAIL}{{2}}|[\u00f0-\u00f4]{_TRAIL}{{3}}")
# Continuation characters that may also end a word as written (closing signs, footnote marks, accents used as
# quotes): after an accented capital, or two after an accented small letter, they can be text ("CAFÉ»",
# "RÉSUMÉ’s", "José¹²", "café\u00a0»"). Opening signs ("“", "¡") never follow a word's last letter, nor "‰" or
# "™" an accented one: with those a sequence is sure ("Ï‰" is ω).
_AFTER_WORD = frozenset("\u00a0’”»›–—…•†‡·¹²³ªº´¨")
_CLOSING = frozenset("’”»›")
_ONE_LETTER_WORDS = frozenset("ÅÈÉÓ")  # capitals that are words on their own (Swedish å, Italian è, Portuguese é, ó)


def _sure(text: str, start: int, end: int) -> bool:
    """Whether the sequence ``text[start:end]`` can only be mojibake, not an accented letter ending a word and a sign.

    >>> [_sure(t, i, i + 2) for t, i in (("MÃ¼ller", 1), ("GÃ³mez", 1), ("Ã…ngström", 0), ("$Ï€$", 1))]
    [True, True, True, True]
    >>> [_sure(t, i, i + 2) for t, i in (("CAFÉ»", 3), ("RÉSUMÉ’s", 5), ("NESTLÉ®", 5), ("QUEM É¿", 5))]
    [False, False, False, False]
    """
    seq = text[start:end]
    if seq[0] == "â":  # "â€™": no word has â and two signs
        return True
    before, after = text[start - 1 : start], text[end : end + 1]
    if len(seq) > 2:  # a small letter with two or three signs: "Nguyá»…n" goes on, "José¹²" ends
        return not _AFTER_WORD.issuperset(seq[1:]) or after.isalpha()
    sign = seq[1]
    if before.islower() or sign < "\xa0" or sign in "‰€" or (sign.isalpha() and sign not in _AFTER_WORD):
        # "MichaÅ‚": no word has an accented capital after small letters; a C1 control, "‰", "€" or a letter
        # ("MÃœLLER", "JOSÃ‰") never follows an accented capital
        return True
    if after.islower() and sign not in _CLOSING:  # "Ã–zdemir", "SÃ¡nchez" go on in small letters ("JOSÉ’s" ends)
        return True
    capitals = before.isupper() and not text[start - 2 : start - 1].islower()  # a word in capitals: "NESTLÉ®", "SÉ¡"
    alone = seq[0] in _ONE_LETTER_WORDS and not before.isalpha() and not after.isalpha()  # "QUEM É¿"
    return not (sign in _AFTER_WORD or capitals or alone)


def _unmangle(text: str) -> str:
    """``text`` with its mojibake sequences read as what they were: the sure ones, or all when the string is
    mojibake through and through (every character beyond ASCII in a sequence, one of them sure)."""
    found: list[tuple[int, int, str, bool]] = []
    for m in _SEQUENCE.finditer(text):
        try:
            char = m[0].translate(_AS_LATIN1).encode("latin-1").decode("utf-8")
        except UnicodeError:  # not UTF-8 as bytes: text as written ("Ã©" is; "Ã(" is not even a sequence)
            continue
        if "\x80" <= char < "\xa0":  # a C1 control is no text either way
            continue
        if "\u0250" <= char <= "\u02ff" or (char.isupper() and m.start() and text[m.start() - 1].islower()):
            continue  # IPA letters (É\xa0 is ɠ) and a capital inside a word (mÅ² is mŲ): text as written
        found.append((m.start(), m.end(), char, _sure(text, m.start(), m.end())))
    if not found:
        return text
    whole = (any(sure for *_, sure in found)
             and sum(end - start for start, end, *_ in found) == len(text) - len(text.encode("ascii", "ignore")))
    parts: list[str] = []
    done = 0
    for start, end, char, sure in found:
        if sure or whole:
            parts += (text[done:start], char)
            done = end
    return "".join(parts) + text[done:] if parts else text


def _demojibake(text: str) -> str:
    """``text`` with UTF-8 that was read as Windows-1252 or Latin-1 read back (one cheap check for clean text).

    >>> _demojibake("MÃ¼ller"), _demojibake("$Ï\\x89$"), _demojibake("itâ€™s"), _demojibake("ÃƒÂ¼ber"), _demojibake("MichaÅ‚")
    ('Müller', '$ω$', 'it’s', 'über', 'Michał')
    >>> _demojibake("São Paulo, João, Conceição"), _demojibake("CAFÉ» and RÉSUMÉ’s"), _demojibake("Gauß–Bonnet")
    ('São Paulo, João, Conceição', 'CAFÉ» and RÉSUMÉ’s', 'Gauß–Bonnet')
    >>> _demojibake("an area of 3 mÅ² here"), _demojibake("É\xa0possível"), _demojibake("É—a")
    ('an area of 3 mÅ² here', 'É\xa0possível', 'É—a')
    """
    if text.isascii() or _SEQUENCE.search(text) is None:
        return text
    for _ in range(3):  # text garbled twice ("ÃƒÂ¼") comes back in two passes
        fixed = _unmangle(text)
        if fixed == text:
            break
        text = fixed
    return text


_READ_FIELDS = ("id", "title", "authors", "authors_parsed", "abstract", "journal-ref", "doi", "categories")
_TEXT_FIELDS = ("title", "authors", "journal-ref", "abstract")


def _demojibake_record(obj: dict) -> tuple[str, str] | None:
    """Repairs the mojibake in a snapshot record's text fields, in place; the first string repaired and its repair."""
    first = None
    for key in _TEXT_FIELDS:
        value = obj.get(key)
        if type(value) is str and not value.isascii() and (fixed := _demojibake(value)) != value:
            obj[key] = fixed
            first = first or (value, fixed)
    parsed = obj.get("authors_parsed")
    for item in parsed if type(parsed) is list else ():
        if type(item) is list:
            for i, part in enumerate(item):
                if type(part) is str and not part.isascii() and (fixed := _demojibake(part)) != part:
                    item[i] = fixed
                    first = first or (part, fixed)
    return first


def _shown(text: str) -> str:
    """``text`` quoted for a problem, control characters escaped, at most 60 characters."""
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}" for c in text)
    return f'"{text if len(text) <= 60 else text[:57] + "..."}"'


class _Repairs:
    """The records of one file whose mojibake was repaired: one problem for all, at the first one's line."""

    __slots__ = ("count", "first", "line")

    def __init__(self) -> None:
        self.count, self.first, self.line = 0, ("", ""), 0

    def note(self, line: int, before: str, after: str) -> None:
        if not self.count:
            self.first, self.line = (before, after), line
        self.count += 1

    def problem(self, source: str) -> Problem | None:
        if not self.count:
            return None
        before, after = _changed_words(*self.first)
        records = f"{self.count} record{'s' if self.count != 1 else ''}"
        return Problem(source=source, line=self.line, message=(
            f"mojibake (UTF-8 text read as Windows-1252 or Latin-1 upstream) repaired in {records}, "
            f"the first here: {_shown(before)} read as {_shown(after)}"))


def _changed_words(before: str, after: str) -> tuple[str, str]:
    """The words of ``before`` that ``after`` changed, and what they are in ``after``.

    >>> _changed_words("J. MÃ¼ller and Ã…ngstrÃ¶m, 2007", "J. Müller and Ångström, 2007")
    ('MÃ¼ller and Ã…ngstrÃ¶m,', 'Müller and Ångström,')
    """
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    tail = 0  # characters alike at the ends, after the changes
    while tail < min(len(before), len(after)) - start and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    start = before.rfind(" ", 0, start) + 1
    space = before.find(" ", len(before) - tail)
    tail = 0 if space < 0 else len(before) - space
    return before[start : len(before) - tail], after[start : len(after) - tail]


def _clean(text: str) -> str:
    # decode_latex folds whitespace too; most fields hold no TeX and only need the fold.
    return decode_latex(text) if has_latex(text) else " ".join(text.split())


def _arxiv_id(raw: object) -> str | None:
    if not isinstance(raw, str) or not raw.strip():
        return None
    return _VERSION.sub("", raw.strip()).lower()


def _year_from_id(arxiv_id: str) -> int | None:
    m = _NEW_ID.match(arxiv_id) or _OLD_ID.match(arxiv_id)
    if not m:
        return None
    yy = int(m[1])
    return (1900 if yy >= 91 else 2000) + yy


def _first_version_date(versions: object) -> _dt.date | None:
    if not isinstance(versions, list) or not versions:
        return None
    first = versions[0]
    created = first.get("created") if isinstance(first, dict) else None
    if not isinstance(created, str):
        return None
    # "Mon, 2 Apr 2007 19:18:42 GMT": the day, month and year around the month's name (strptime is slow).
    parts = created.replace(",", " ").split()
    for i in range(1, len(parts) - 1):
        month = _MONTHS.get(parts[i][:3].lower())
        if month and parts[i - 1].isdigit() and parts[i + 1].isdigit():
            try:
                return _dt.date(int(parts[i + 1]), month, int(parts[i - 1]))
            except ValueError:
                return None
    return None


def _iso_date(raw: object) -> _dt.date | None:
    if isinstance(raw, str):
        try:
            return _dt.date.fromisoformat(raw.strip()[:10])
        except ValueError:
            return None
    return None


def _blocks(text: str) -> tuple[list[tuple[bool, str]], str | None]:
    """``text`` as runs of names and parenthesised groups (their inner text), and the unread text of an unclosed group.

    A ``)`` that closes nothing stays in its run, where it makes its name unreadable.

    >>> _blocks("A. Smith (1), B. Jones ((1) Institute of Physics (IOP), Beijing)")
    ([(False, 'A. Smith '), (True, '1'), (False, ', B. Jones '), (True, '(1) Institute of Physics (IOP), Beijing'), (False, '')], None)
    >>> _blocks("A. Smith (MIT, B. Jones (CMU)")
    ([(False, 'A. Smith ')], '(MIT, B. Jones (CMU)')
    """
    blocks: list[tuple[bool, str]] = []
    depth = start = opened = 0
    for m in _PAREN.finditer(text):
        i = m.start()
        if m[0] == "(":
            if not depth:
                blocks.append((False, text[start:i]))
                start, opened = i + 1, i
            depth += 1
        elif depth:
            depth -= 1
            if not depth:
                blocks.append((True, text[start:i]))
                start = i + 1
    if depth:
        return blocks, text[opened:]
    blocks.append((False, text[start:]))
    return blocks, None


def _entry_name(text: str) -> str:
    """A numbered list's entry without the separators around it (``MIT and`` -> ``MIT``)."""
    while True:
        text = text.strip().strip(",;").strip()
        for tail in (" and", " &"):
            if text.endswith(tail):
                text = text[: -len(tail)]
                break
        else:
            return text


def _numbered(inner: str) -> dict[str, str] | None:
    """The entries of the numbered affiliation list that is the group ``inner``, or None when it is not one.

    >>> _numbered("(1) Institute of Physics (IOP), Beijing, and (2) CMU")
    {'1': 'Institute of Physics (IOP), Beijing', '2': 'CMU'}
    >>> _numbered("1 Dip. Astro., Bologna; 2 INAF, Via Beirut 2 - 4, Trieste"), _numbered("10 Downing Street")
    ({'1': 'Dip. Astro., Bologna', '2': 'INAF, Via Beirut 2 - 4, Trieste'}, None)
    """
    if _LIST_START.match(inner):
        parts = _LIST_MARK.split(inner)
    elif inner.lstrip()[:1].isdigit():
        # Without parentheses the numbers must run 1, 2, 3...: "(2 Rue Lhomond)" is an address.
        parts = _BARE_MARK.split(inner.strip())
        if len(parts) < 5 or parts[0].strip() or parts[1::2] != [str(i) for i in range(1, len(parts) // 2 + 1)]:
            return None
    else:
        return None
    entries: dict[str, str] = {}
    for i in range(1, len(parts) - 1, 2):
        if (name := _entry_name(parts[i + 1])) and _LETTER.search(name):
            entries.setdefault(parts[i], name)
    return entries


def _footnotes(authors: object) -> dict[str, str]:
    """Numbered affiliations in an authors string: ``... ((1) CREST, (2) Tokyo)``."""
    if not isinstance(authors, str) or "(" not in authors:
        return {}
    blocks, unread = _blocks(_clean(authors))
    groups = [part for is_group, part in blocks if is_group]
    if unread is not None:
        groups.append(unread[1:])  # a list that lost its closing parenthesis: authors_parsed's marks still point into it
    notes: dict[str, str] = {}
    for entries in filter(None, map(_numbered, groups)):
        for number, name in entries.items():
            notes.setdefault(number, name)
    return notes


def _affiliations(raw: list, authors: object, notes: list) -> tuple[AffiliationRef, ...]:
    """An ``authors_parsed`` entry's affiliations (its items after the third); ``notes`` caches the numbered list."""
    names: list[str] = []
    for item in raw:
        text = _clean(item) if isinstance(item, str) else ""
        if _MARKERS.match(text):
            # Footnote marks ("1 and 2") point into the numbered list at the end of the authors string.
            if not notes:
                notes.append(_footnotes(authors))
            names.extend(notes[0][n] for n in _DIGITS.findall(text) if n in notes[0])
        elif _LETTER.search(text):
            names.append(text)
    return tuple(AffiliationRef(name=n) for n in dict.fromkeys(names))


def _is_etal_item(item: list) -> bool:
    """Whether an ``authors_parsed`` entry stands for authors left out.

    arXiv splits "et al" like a name (``["al", "et", ""]``) and writes
    ``["others", "", ""]``: both read in either order, never a person.

    >>> _is_etal_item(["al", "et", ""]), _is_etal_item(["others", "", ""]), _is_etal_item(["Allen", "Ethan", ""])
    (True, True, False)
    """
    family, given = item[0].strip(), (item[1].strip() if len(item) > 1 else "")
    return is_etal(f"{given} {family}") or is_etal(f"{family} {given}")


def _without_etal(name: str) -> str | None:
    """``name`` without an "et al" / "etc." written onto its end, or None when it has none.

    >>> _without_etal("B. Jones et al."), _without_etal("B. Jones, etc"), _without_etal("B. Jones et. al"), _without_etal("Ethan Al")
    ('B. Jones', 'B. Jones', 'B. Jones', None)
    """
    m = _GLUED_ETAL.search(name)
    if m is None:
        return None
    rest = name[: m.start()].rstrip(" ,;")
    return rest if _LETTER.search(rest) else None


def _etal_parts(name: str) -> list[str] | None:
    """A name with an "et al" written onto it: the person, then the collaborations named after it ("B. Jones et al.
    for the CMS Collaboration"); None when ``name`` has no "et al" at its end or before a collaboration.

    >>> _etal_parts("B. Jones et al."), _etal_parts("B. Jones et al. for the CMS Collaboration"), _etal_parts("B. Jones")
    (['B. Jones'], ['B. Jones', 'CMS Collaboration'], None)
    """
    if (rest := _without_etal(name)) is not None:
        return [rest]
    m = _ETAL_FOR.search(name)
    if m is None or (collaborations := _collaborations(m[1])) is None:
        return None
    person = name[: m.start()].rstrip(" ,;")
    return [person, *collaborations] if _LETTER.search(person) else None


def _unglued(family: str, given: str) -> tuple[str, str] | None:
    """A family name and given names that read ``... et al`` (``["al.", "B. Jones et", ""]``, ``["Jones et al.", "B.",
    ""]``): the person's family and given names without it, or None when the name has no such end.

    >>> _unglued("al.", "B. Jones et"), _unglued("Jones etc.", "B."), _unglued("Al", "Mohammed")
    (('Jones', 'B.'), ('Jones', 'B.'), None)
    """
    if _ETAL_FAMILY.search(family) is None:
        return None
    rest = _without_etal(f"{given} {family}".strip())
    if rest is None:
        return None
    words = rest.split()
    return words[-1], " ".join(words[:-1])


_THE = re.compile(r"^the\s+", re.I)


def _collaborations(inner: str) -> list[str] | None:
    """The collaborations a parenthesised group after a list's "et al" names (``CMS Collaboration``, ``for the LIGO
    Scientific Collaboration and the Virgo Collaboration``), or None when it names something else (an affiliation).

    >>> _collaborations("for the CMS Collaboration"), _collaborations("ATLAS Collaboration and CMS Collaboration")
    (['CMS Collaboration'], ['ATLAS Collaboration', 'CMS Collaboration'])
    >>> _collaborations("for the LIGO Scientific Collaboration and the Virgo Collaboration")
    ['LIGO Scientific Collaboration', 'Virgo Collaboration']
    >>> _collaborations("Theory Group, CERN"), _collaborations("CMS Collaboration, CERN")
    (None, None)
    """
    text = _ON_BEHALF.sub("", inner.strip())
    if _GROUP_COLLABORATION.search(text) is None:
        return None
    names = [n.strip() for n in _AUTHOR_SPLIT.split(text) if n.strip()]
    names = [_THE.sub("", _ON_BEHALF.sub("", n)) for n in names]  # "... and the Virgo Collaboration"
    if names and all(_GROUP_COLLABORATION.search(n) for n in names):
        return names
    return None


def _split_author(family: str, given: str, suffix: str, position: int,
                  affiliations: tuple[AffiliationRef, ...] = ()) -> AuthorRef | None:
    """An author whose source separates the family name, the given names and a suffix (TeX still in them)."""
    family, given, suffix = _clean(family), _clean(given), _clean(suffix)
    if " -" in given:
        given = _HYPHEN_INITIAL.sub(".-", given)
    name = " ".join(p for p in (given, family, suffix) if p)
    if not name:
        return None
    return AuthorRef(name=name, given=given or None, family=family or None, position=position, affiliations=affiliations)


def _parsed_authors(parsed: list, raw_authors: object) -> tuple[list[AuthorRef], bool, dict[int, object]]:
    """The authors ``authors_parsed`` lists, whether it marks the list cut short, and its damaged entries.

    An entry with a null or another non-string in its name (``["Smith", null, ""]``) keeps what it has; the
    damaged entries are returned by their index in the list with the author read from them (None: nothing).
    """
    authors: list[AuthorRef] = []
    truncated = False
    notes: list = []
    damaged: dict[int, object] = {}
    for index, item in enumerate(parsed):
        if not isinstance(item, list) or not all(isinstance(x, str) for x in item[:3]):
            damaged[index] = None
            if not isinstance(item, list):
                continue
            item = [x if isinstance(x, str) else "" for x in item[:3]] + item[3:]
        if not item:
            continue
        if _is_etal_item(item):
            truncated = True
            continue
        if (unglued := _unglued(item[0], item[1] if len(item) > 1 else "")) is not None:  # "B. Jones et al."
            item = [*unglued, *item[2:]]
            truncated = True
        author = _split_author(item[0], item[1] if len(item) > 1 else "", item[2] if len(item) > 2 else "", len(authors),
                               _affiliations(item[3:], raw_authors, notes) if len(item) > 3 else ())
        if author is not None:
            authors.append(author)
            if index in damaged:
                damaged[index] = author
    return authors, truncated, damaged


def _string_authors(raw: str) -> tuple[list[AuthorRef], bool, str | None]:
    """The authors in an arXiv authors string, whether it leaves authors out, and what in it could not be read.

    >>> authors, truncated, problem = _string_authors(
    ...     r"J. van der Berg (Leiden University), K. M\\"uller (TU Berlin) and L. O'Neil")
    >>> [(a.name, [f.name for f in a.affiliations]) for a in authors], truncated, problem
    ([('J. van der Berg', ['Leiden University']), ('K. Müller', ['TU Berlin']), ("L. O'Neil", [])], False, None)
    >>> authors, truncated, problem = _string_authors("A. Smith (1), B. Jones (3) ((1) MIT, (2) CMU)")
    >>> [(a.name, [f.name for f in a.affiliations]) for a in authors], problem
    ([('A. Smith', ['MIT']), ('B. Jones', [])], 'authors: affiliation (3) of B. Jones is not in the numbered list')
    """
    text = _clean(raw)
    if "(" not in text and ")" not in text:
        names = [n.strip() for n in _AUTHOR_SPLIT.split(text) if n.strip()]
        people = [n for n in names if not is_etal(n)]
        truncated = len(people) < len(names)
        if _ETAL_WORD.search(text):  # "B. Jones et al": the name, and the list cut short
            cut = [part for n in people for part in (_etal_parts(n) or (n,))]
            truncated = truncated or cut != people
            people = cut
        if any(len(n) <= 4 and _SUFFIX.fullmatch(n) for n in people[1:]):
            people = _with_suffixes(people)
        return [AuthorRef(name=n, position=i) for i, n in enumerate(people)], truncated, None
    return _grouped_authors(text)


def _with_suffixes(names: list[str]) -> list[str]:
    """``names`` with each suffix split off like a name (``Jr.``) joined back to the name before it.

    >>> _with_suffixes(["John Smith", "Jr.", "Ann Lee", "III"])
    ['John Smith Jr.', 'Ann Lee III']
    """
    joined: list[str] = []
    for name in names:
        if joined and len(name) <= 4 and _SUFFIX.fullmatch(name):
            joined[-1] += " " + name
        else:
            joined.append(name)
    return joined


def _written_count(raw: str) -> tuple[int, bool]:
    """How many names the authors string writes at most, and whether it marks the list cut short ("et al").

    A cheap count (no names built, TeX left as it is): when it equals the number of authors ``authors_parsed``
    gives, the two lists are taken to agree; else :func:`_reconciled` compares them name by name.

    >>> _written_count("F. Aharonian, et al"), _written_count("A. Li (1), B. Wu (1, 2) ((1) MIT, (2) CMU) and others")
    ((1, True), (2, True))
    >>> _written_count("John Smith, Jr., Ann Lee,"), _written_count("BELLE Collaboration: A. Li, et al., B. Wu")
    ((2, False), (4, False))
    >>> _written_count("A. Smith, B. Jones et al. (CMS Collaboration)"), _written_count("A. Smith, B. Jones etc.")
    ((3, True), (2, True))
    """
    text = raw
    collaborations = 0  # named in a group after an "et al": authors (:func:`_grouped_authors`)
    if "(" in raw:
        for m in _AFTER_ETAL_GROUP.finditer(raw):
            collaborations += len(_collaborations(m[1]) or ())
    while "(" in text:  # groups (affiliations, marks, the numbered list) separate names like commas; inner ones first
        text, found = _GROUP.subn(",", text)
        if not found:  # unbalanced: the count may be off, and then the lists are compared name by name
            break
    pieces = _AUTHOR_SPLIT.split(text)
    if min(map(len, pieces)) <= 6:  # a blank piece (a separator at an end), a suffix ("Jr."), or a short name
        pieces = [p for p in pieces if p.strip() and not (len(p) <= 6 and _SUFFIX.fullmatch(p.strip()))]
        if not pieces:
            return 0, False
    # "et al" ends the list; one anywhere else is counted as a name, and the count then sends the record to the
    # name-by-name comparison, which finds it
    if is_etal(pieces[-1]):
        return len(pieces) - 1 + collaborations, True
    parts = _etal_parts(pieces[-1]) if _ETAL_WORD.search(pieces[-1]) else None  # "B. Jones et al": a name, cut short
    return len(pieces) + collaborations + (len(parts) - 1 if parts else 0), parts is not None


def _grouped_authors(text: str) -> tuple[list[AuthorRef], bool, str | None]:
    """:func:`_string_authors` for a string with parentheses: affiliations, footnote marks, numbered lists."""
    blocks, unread = _blocks(text)
    # each name with its groups' inner texts; an "et al" is there as None: the groups after it are the whole list's
    people: list[tuple[str | None, list[str]]] = []
    notes: dict[str, str] = {}
    unreadable: list[str] = []
    truncated = False
    current: list[str] | None = None
    etal_groups: list[str] | None = None  # the groups of the last "et al"
    glued = _ETAL_WORD.search(text) is not None
    # the groups after the last name: one naming only collaborations is the whole list's, as after an "et al"
    last_names = max((i for i, (is_group, part) in enumerate(blocks) if not is_group and _LETTER.search(part)), default=-1)
    for index, (is_group, part) in enumerate(blocks):
        if is_group:
            part = part.strip()
            if part[:1] in _LIST_FIRST and (entries := _numbered(part)) is not None:
                for number, name in entries.items():
                    notes.setdefault(number, name)
            elif current is not None:
                if (current is etal_groups or index > last_names) and (collaborations := _collaborations(part)):
                    # "A. Li, B. Wu et al. (CMS Collaboration)", "A. Li, B. Wu (CMS Collaboration)": the
                    # collaboration is an author, as when listed, and no one's affiliation
                    people.extend((c, []) for c in collaborations)
                else:
                    current.append(part)
            continue
        for piece in _AUTHOR_SPLIT.split(part):
            name = piece.strip()
            if not name:
                continue
            if current == [] and current is not etal_groups and len(name) <= 4 and _SUFFIX.fullmatch(name):
                people[-1] = (f"{people[-1][0]} {name}", current)  # "J. Smith, Jr. (MIT)"
                continue
            current = None
            if ")" in name:  # a parenthesis closing nothing: which part of this is a name is anyone's guess
                unreadable.append(name)
            elif is_etal(name):
                truncated = True
                current = etal_groups = []
                people.append((None, current))
            elif _LETTER.search(name):
                if glued and (parts := _etal_parts(name)) is not None:  # "B. Jones et al. (CMS Collaboration)"
                    people.append((parts[0], []))
                    truncated = True
                    current = etal_groups = []
                    people.append((None, current))
                    people.extend((c, []) for c in parts[1:])
                    continue
                current = []
                people.append((name, current))
    refs: dict[str, AffiliationRef] = {}  # one ref per institution named (records are frozen: shared safely)
    affiliations: list[tuple[AffiliationRef, ...]] = []
    missing: list[str] = []
    for name, groups in people:
        found: list[str] = []
        for group in groups:
            if group[:1].isdigit() and _MARKERS.match(group):
                for number in _DIGITS.findall(group):
                    if number in notes:
                        found.append(notes[number])
                    elif unread is None:  # else the list is in the unread text, and that is the problem
                        missing.append(f"({number}) of {name or 'et al.'}")
            elif _LETTER.search(group):
                found.append(group)
        affiliations.append(tuple(refs.get(a) or refs.setdefault(a, AffiliationRef(name=a)) for a in dict.fromkeys(found)))
    # An author written without any group has the affiliations of the next one who has a group (arXiv's reading of
    # "A. Li, B. Wu (MIT)"); a collaboration's name is no person and has none.
    later: tuple[AffiliationRef, ...] = ()
    for i in range(len(people) - 1, -1, -1):
        name, groups = people[i]
        if groups:
            later = affiliations[i]
        elif later and name is not None and not _COLLABORATION.search(name):
            affiliations[i] = later
    authors: list[AuthorRef] = []
    for (name, _), found_affiliations in zip(people, affiliations):
        if name is not None:  # an "et al" is no author
            authors.append(AuthorRef(name=name, position=len(authors), affiliations=found_affiliations))
    problems: list[str] = []
    if unread is not None:
        shown = unread if len(unread) <= 80 else unread[:77] + "..."
        problems.append(f'unbalanced parentheses, "{shown}" not read')
        # the rest of an unclosed numbered list holds no names; anything else may have swallowed some
        truncated = truncated or (_numbered(unread[1:]) is None and _AUTHOR_SPLIT.search(unread) is not None)
    if unreadable:
        problems.append("unbalanced parentheses, " + ", ".join(f'"{n}"' for n in unreadable) + " not read as names")
        truncated = True
    if missing:
        problems.append(f"affiliation {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not in the numbered list")
    return authors, truncated, ("authors: " + "; ".join(problems)) if problems else None


def _with_problem(rec: PaperRecord | Problem, problem: str | None, arxiv_id: str, source: str,
                  line: int) -> PaperRecord | Problem | list[PaperRecord | Problem]:
    """A record, or the record and the problem met reading its authors."""
    if problem is None:
        return rec
    return [rec, Problem(source=source, line=line, message=f"arXiv {arxiv_id}: {problem}")]


def _same_people(parsed: list[AuthorRef], written: list[AuthorRef]) -> bool:
    """Whether ``authors_parsed`` and the authors string name the same people, in the same order."""
    return len(parsed) == len(written) and all(
        (p.family or p.name).casefold() in w.name.casefold() for p, w in zip(parsed, written))


def _key(name: str) -> str:
    """The word two forms of one author's name end with: the family name's last (``Smith`` of ``John Smith Jr.``)."""
    words = name.casefold().split()
    while len(words) > 1 and _SUFFIX.fullmatch(words[-1]):
        words.pop()
    return words[-1] if words else ""


def _shown_item(item: object) -> str:
    """An ``authors_parsed`` entry as JSON for a problem, at most 60 characters."""
    text = orjson.dumps(item, default=str).decode()
    return text if len(text) <= 60 else text[:57] + "..."


def _reconciled(parsed: list, authors: list[AuthorRef], damaged: dict[int, object],
                raw: object) -> tuple[list[AuthorRef], str | None, bool]:
    """The authors of a record whose ``authors_parsed`` and ``authors`` string differ, the difference, and whether
    the string marks its list cut short (an "et al" anywhere in it).

    Per name: an intact ``authors_parsed`` entry is trusted (arXiv split it); a damaged one (a null in it) gives way
    to the string's name where that name ends with its family name; a name only one list has is kept. A collaboration
    only one list names is no difference worth a problem (the graph lists it apart); a string that cannot be read
    whole is not compared (its certain names may be fewer).

    >>> parsed = [["Gam", "Gus", ""], ["Phi", None, ""]]
    >>> authors, damaged = _parsed_authors(parsed, "")[::2]
    >>> authors, problem, etal = _reconciled(parsed, authors, damaged, "Gus Gam, Fay Phi, Ida Iota")
    >>> [(a.name, a.given, a.family, a.position) for a in authors]
    [('Gus Gam', 'Gus', 'Gam', 0), ('Fay Phi', 'Fay', 'Phi', 1), ('Ida Iota', None, None, 2)]
    >>> print(problem)
    authors_parsed: entry 2 ["Phi",null,""] is damaged, "Fay Phi" read from the authors string; "Ida Iota" of the authors string is missing (kept)
    """
    notes: list[str] = []
    by_author = {id(a): (i, a) for i, a in damaged.items() if a is not None}  # those the string may stand in for
    written: list[AuthorRef] = []
    etal = False
    if isinstance(raw, str):
        written, etal, unclear = _string_authors(raw)  # without a problem, truncated means an "et al"
        if unclear is not None:
            written, etal = [], False
    out: list[AuthorRef] = []
    borrow = not any(a.affiliations for a in authors)  # authors_parsed left out the string's affiliations
    if written:
        wkeys, pkeys = [_key(w.name) for w in written], [_key(a.family or a.name) for a in authors]
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wkeys, pkeys, autojunk=False).get_opcodes():
            ws, ps = written[i1:i2], authors[j1:j2]
            if op == "replace":  # pairs where the string's name holds the entry's words (a damaged entry's key may be off)
                while ws and ps and all(part.casefold() in ws[0].name.casefold()
                                        for part in (ps[0].family or "", ps[0].given or "") if part):
                    out.append(_pair(ws.pop(0), ps.pop(0), by_author, parsed, notes, borrow))
            elif op == "equal":
                out.extend(_pair(w, a, by_author, parsed, notes, borrow) for w, a in zip(ws, ps))
                continue
            for a in ps:
                out.append(a)
                if not _COLLABORATION.search(a.name):
                    notes.append(f'"{a.name}" is not in the authors string (kept)')
            for w in ws:
                out.append(w)
                if not _COLLABORATION.search(w.name):
                    notes.append(f'"{w.name}" of the authors string is missing (kept)')
    else:
        out = authors
    unread = [(i, "holds no name") for i, a in damaged.items() if a is None]
    unread += [(i, f'is damaged, read as "{a.name}"') for i, a in by_author.values()]  # the string did not stand in
    notes = [f"entry {i + 1} {_shown_item(parsed[i])} {what}" for i, what in sorted(unread)] + notes
    out = [a if a.position == i else a.model_copy(update={"position": i}) for i, a in enumerate(out)]
    return out, ("authors_parsed: " + "; ".join(notes)) if notes else None, etal


def _pair(w: AuthorRef, a: AuthorRef, by_author: dict[int, tuple[int, AuthorRef]], parsed: list,
          notes: list[str], borrow: bool) -> AuthorRef:
    """One author both lists name: ``authors_parsed``'s (with the string's affiliations when ``borrow``), unless its
    entry is damaged and the string writes the name whole."""
    index, _ = by_author.pop(id(a), (None, None))
    if index is None or w.name == a.name:
        return a.model_copy(update={"affiliations": w.affiliations}) if borrow and w.affiliations else a
    family = a.family if a.family and w.name.casefold().endswith(a.family.casefold()) else None
    given = w.name[: len(w.name) - len(family)].strip() or None if family else None
    notes.append(f'entry {index + 1} {_shown_item(parsed[index])} is damaged, "{w.name}" read from the authors string')
    return a.model_copy(update={"name": w.name, "given": given, "family": family,
                                "affiliations": a.affiliations or w.affiliations})


def _record(obj: dict, source: str, line: int) -> PaperRecord | Problem | list[PaperRecord | Problem]:
    arxiv_id = _arxiv_id(obj.get("id"))
    if arxiv_id is None:
        return Problem(source=source, line=line, message="arXiv record without an id")
    parsed = obj.get("authors_parsed")
    raw_authors = obj.get("authors")
    truncated = False
    problem = None
    if isinstance(parsed, list) and parsed:
        authors, truncated, damaged = _parsed_authors(parsed, raw_authors)
        count, etal = _written_count(raw_authors) if isinstance(raw_authors, str) else (len(authors), False)
        truncated = truncated or etal  # arXiv's authors_parsed often leaves out the string's "et al"
        if damaged or count != len(authors):
            authors, problem, etal = _reconciled(parsed, authors, damaged, raw_authors)
            truncated = truncated or etal
        elif (authors and isinstance(raw_authors, str) and "(" in raw_authors
                and not any(a.affiliations for a in authors)):
            # arXiv's authors_parsed leaves out many numbered affiliations its authors string holds
            written, _, unclear = _string_authors(raw_authors)
            if unclear is None and _same_people(authors, written) and any(w.affiliations for w in written):
                authors = [a.model_copy(update={"affiliations": w.affiliations}) for a, w in zip(authors, written)]
    elif isinstance(raw_authors, str):
        authors, truncated, problem = _string_authors(raw_authors)
    else:
        authors = []
    if not authors and problem is None and isinstance(title := obj.get("title"), str) and title.strip():
        # kept without authors, as the other readers keep a record that names none; but said
        problem = _no_authors(parsed, raw_authors)
    rec = _paper(
        arxiv_id, obj.get("title"), doi=obj.get("doi"), first=_first_version_date(obj.get("versions")),
        updated=_iso_date(obj.get("update_date")), journal=obj.get("journal-ref"), categories=obj.get("categories"),
        abstract=obj.get("abstract"), authors=authors, truncated=truncated, source=source, line=line,
    )
    return _with_problem(rec, problem, arxiv_id, source, line)


def _no_authors(parsed: object, raw: object) -> str:
    """Why a JSON record gives no author (kept without authors): its ``authors_parsed`` and ``authors`` as they are.

    >>> _no_authors("nope", 5)
    'no authors read: authors_parsed is a string, not a list, and authors a number, not a string; kept without authors'
    >>> _no_authors(None, None), _no_authors([], "")
    ('no authors (neither authors_parsed nor authors); kept without authors', 'no authors (authors_parsed and authors are empty); kept without authors')
    """
    if parsed is None and raw is None:
        return "no authors (neither authors_parsed nor authors); kept without authors"
    if parsed in (None, []) and (raw is None or isinstance(raw, str) and not raw.strip()):
        return "no authors (authors_parsed and authors are empty); kept without authors"
    said = []
    if parsed is not None and not isinstance(parsed, list):
        said.append(f"authors_parsed is {_json_type(parsed)}, not a list")
    if raw is not None and not isinstance(raw, str):
        said.append(f"authors {_json_type(raw)}, not a string" if said else f"authors is {_json_type(raw)}, not a string")
    return f"no authors read: {', and '.join(said) or 'no name in authors_parsed or authors'}; kept without authors"


def _json_type(value: object) -> str:
    return ("a string" if isinstance(value, str) else "a list" if isinstance(value, list) else "an object"
            if isinstance(value, dict) else "true or false" if isinstance(value, bool) else "a number"
            if isinstance(value, (int, float)) else "null")


def _paper(arxiv_id: str, title_raw: object, *, doi: object, first: _dt.date | None, updated: _dt.date | None,
           journal: object, categories: object, abstract: object, authors: list[AuthorRef], truncated: bool,
           source: str, line: int) -> PaperRecord | Problem:
    """The record of one paper from its fields as every arXiv form (JSON Lines, Atom, OAI-PMH) gives them.

    ``first`` is the date of the first version; ``updated`` (the last
    version's) is used only when neither it nor the id gives the year.
    """
    title = _clean(title_raw) if isinstance(title_raw, str) else ""
    if not title:
        return Problem(source=source, line=line, message=f"arXiv {arxiv_id}: no title")
    ids = [f"arxiv:{arxiv_id}"]
    if isinstance(doi, str):
        for token in doi.split():
            token = token.strip(".,;").lower()
            if token.startswith("10.") and "/" in token and f"doi:{token}" not in ids:
                ids.append(f"doi:{token}")
    date = first
    year = date.year if date else _year_from_id(arxiv_id)
    if year is None:
        date = updated
        year = date.year if date else None
    venue = _clean(journal) if isinstance(journal, str) and journal.strip() else None
    category = categories.split()[0] if isinstance(categories, str) and categories.split() else None
    # Abstracts keep their TeX: "~10%" means "about", and math decoded to plain text loses more than it gains.
    abstract = " ".join(abstract.split()) or None if isinstance(abstract, str) else None
    return PaperRecord(
        title=title,
        ids=tuple(ids),
        year=year,
        date=date,
        venue=venue,
        kind="article" if venue or len(ids) > 1 else "preprint",
        abstract=abstract,
        urls=(f"https://arxiv.org/abs/{arxiv_id}",),
        authors=tuple(authors),
        authors_truncated=truncated,
        category=category,
        source=source,
        source_format=FORMAT,
        line=line,
    )


def parse_arxiv(stream: BinaryIO, source: str) -> Iterator[PaperRecord | Problem]:
    """Records and problems from arXiv metadata (JSON Lines or XML) read from the binary ``stream``.

    Never raises on bad input: each bad line or record is a :class:`~graphkit.models.Problem`
    naming ``source`` and the line.
    """
    stream, xml = _xml_or_lines(stream)
    if xml:
        from graphkit.readers._arxiv_xml import parse_xml  # it builds on this module's helpers

        yield from parse_xml(stream, source)
        return
    repairs = _Repairs()
    controls = ControlChars(source)
    for line_no, raw in enumerate(stream, 1):
        if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        try:
            obj = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            text = raw.decode("utf-8", "replace")
            try:
                obj = orjson.loads(text)
            except orjson.JSONDecodeError:
                yield Problem(source=source, line=line_no, message=f"not a JSON object ({json_line_error(exc, raw)})")
                continue
            yield Problem(source=source, line=line_no, message="bytes that are not UTF-8 replaced")
        if not isinstance(obj, dict):
            yield Problem(source=source, line=line_no, message="not a JSON object")
            continue
        # the snapshot escapes what is not ASCII ("\u00c3"): a line with neither that nor raw UTF-8 has no mojibake
        if (not raw.isascii() or b"\\u00" in raw) and (repaired := _demojibake_record(obj)) is not None:
            repairs.note(line_no, *repaired)
        if b"\\u00" in raw and JSON_CONTROL.search(raw) is not None:
            # "\u0000" in a title: dropped and reported (after the repair: "\u00c3\u0089" is a garbled "É", no control);
            # only from the fields read (a garbled "submitter" is no one's business)
            for key in _READ_FIELDS:
                if key in obj:
                    obj[key] = controls.drop_json(line_no, obj[key])
        try:
            rec = _record(obj, source, line_no)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
            # A field of an unexpected shape: this record is reported, the rest proceed.
            yield Problem(source=source, line=line_no, message=f"unreadable arXiv record ({exc.__class__.__name__})")
            continue
        if isinstance(rec, list):
            yield from rec
        else:
            yield rec
    if (problem := repairs.problem(source)) is not None:
        yield problem
    if (problem := controls.problem()) is not None:
        yield problem


class _Replay(io.RawIOBase):
    """A stream's first bytes, already read, then the rest of it (for a stream that cannot peek or seek)."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._head:
            data = self._rest.read(len(buffer))
        else:
            data, self._head = self._head[: len(buffer)], self._head[len(buffer) :]
        buffer[: len(data)] = data
        return len(data)


def _xml_or_lines(stream: BinaryIO) -> tuple[BinaryIO, bool]:
    """The stream to read (the same bytes from its start) and whether it holds XML (its first character is ``<``)."""
    if hasattr(stream, "peek"):
        head = stream.peek(4096)[:4096]
    elif stream.seekable():
        start = stream.tell()
        head = stream.read(4096)
        stream.seek(start)
    else:
        head = stream.read(4096)
        stream = io.BufferedReader(_Replay(head, stream))
    return stream, head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def read_arxiv(path) -> Iterator[PaperRecord | Problem]:
    """Records and problems from the arXiv metadata file at ``path``, JSON Lines or XML (``.gz`` read transparently)."""
    with open_input(path) as stream:
        yield from parse_arxiv(stream, str(path))


parse = parse_arxiv
read = read_arxiv
