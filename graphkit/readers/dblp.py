"""DBLP XML: the full dump (``dblp.xml``, ``dblp.xml.gz``) or any part of it.

The dump is about 5 GB and 7.5 million records, so it is streamed with
``lxml.etree.iterparse``: each record element is read when it ends, then
cleared and unlinked with everything before it, so memory stays flat (well
under 1 GB) whatever the file's size.

Entities. The dump is ISO-8859-1 with the DTD's character entities
(``&uuml;``). The DTD named by the ``DOCTYPE`` is loaded from the folder of
the file when it is there (``dblp.dtd`` next to ``dblp.xml``); when it is not,
a built-in DTD declaring the HTML entities (HTML 4's: ISO Latin-1, symbols and
special characters, a superset of what ``dblp.dtd`` declares; and HTML5's
others, such as ``&Lstrok;``; from Python's :mod:`html.entities`) stands in,
and a file without a ``DOCTYPE`` is given one. A ``dblp.dtd`` that is there
gets the built-in entities it does not declare after its own (its own win).
Nothing is ever fetched from the network, and no other external entity is
loaded (an entity pointing at a local file reads as empty).

An entity declared nowhere (``&bogus;``) the parser reads past, leaving it
out: ``Bob &bogus; Smith`` would be read as ``Bob Smith``, with the person id
``dblp:Bob Smith``, someone else's. So the record it is in is skipped, with a
problem naming the record's key and the entity's line (a wrong person id is
worse than a missing record); so is a record with any other error the parser
reads past (an undefined namespace prefix). See :class:`_Errors`.

Reading rules:

- papers: ``article``, ``inproceedings``, ``incollection`` (kind ``chapter``),
  ``book``, ``phdthesis``/``mastersthesis`` (``thesis``), ``data``
  (``dataset``); a CoRR article (``publtype="informal"`` or key
  ``journals/corr/...``) is a ``preprint``. ``proceedings``, ``www`` and
  ``person`` records are not papers; ``editor`` elements are never authors.
- authors: the text of each ``author`` element in order; a trailing homonym
  number (``Wei Wang 0001``) is not part of the display name (``Wei Wang``)
  but part of the DBLP person id every author carries (``dblp:Wei Wang 0001``,
  ``dblp:Kenton Lee``); an ``orcid`` attribute gives ``orcid:`` when its
  check digit holds (one that fails it, or is no ORCID iD, is a problem at
  the author's line, and not used). DBLP does not split names, so
  ``given``/``family`` stay empty. A name that a person record (``www``
  with key ``homepages/...``) lists as another name of a person gets that
  person's id (the record's first name), so DBLP's own aliases never split
  a person; see :func:`person_aliases`.
- ids: ``dblp:<key>``; ``ee`` links to doi.org give ``doi:`` and to
  arxiv.org give ``arxiv:``; a CoRR key or volume (``journals/corr/abs-1312-6168``,
  ``abs/1312.6168``) gives ``arxiv:1312.6168``. ``ee`` links are the ``urls``.
- title: the text of ``title`` with its inline markup (``<i>``, ``<sub>``)
  flattened and DBLP's closing period dropped; venue: ``journal`` or
  ``booktitle`` (``series`` for books); a thesis's ``school`` is its
  author's affiliation; ``volume``, ``number`` (the issue) and ``pages`` as
  written.
- ``crossref``: a paper without a ``year`` or a venue of its own takes the
  one it lacks from the ``proceedings`` (or ``book``) record its ``crossref``
  names, when that record is in the input, before or after it (the
  proceedings' ``year``; its ``booktitle``, else its ``title``). The read
  keeps only a map of those records' keys to (year, venue) (DBLP has some
  60,000) and holds back only the papers that wait for a record still to
  come, each given out as soon as it is read; those whose record never comes
  are given out at the end as they are, with one problem counting them.
- the locator is the line where the record starts. A record without a
  title is a problem; so is an element the DTD has no record type for
  (``<informal>`` under ``<dblp>``, or in a ``dblpperson`` page's ``<r>``),
  which is not read; XML that is not well-formed stops the read with a
  problem ("reading stopped at line N") that names the record left open
  there, lost with everything after it (the records before it are kept).
  The parser reports only its first 100 errors: at the 100th, reading stops
  (with a problem), as a record with a later error could not be told.

>>> import io
>>> xml = '''<?xml version="1.0" encoding="ISO-8859-1"?>
... <dblp>
... <article key="journals/corr/abs-1810-04805" publtype="informal">
... <author>Jacob Devlin</author><author>Ming-Wei Chang</author>
... <author>Kenton Lee</author><author>Kristina Toutanova</author>
... <title>BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding.</title>
... <year>2018</year><volume>abs/1810.04805</volume><journal>CoRR</journal>
... <ee type="oa">http://arxiv.org/abs/1810.04805</ee></article>
... <proceedings key="conf/x/2020"><editor>J&uuml;rgen Schmidhuber</editor><title>Proc.</title></proceedings>
... </dblp>'''.encode("latin-1")
>>> [rec] = parse_dblp(io.BytesIO(xml), "dblp.xml")
>>> rec.title, rec.ids, rec.year, rec.venue, rec.kind, rec.line
('BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding', ('dblp:journals/corr/abs-1810-04805', 'arxiv:1810.04805'), 2018, 'CoRR', 'preprint', 3)
>>> rec.authors[2].name, rec.authors[2].ids
('Kenton Lee', ('dblp:Kenton Lee',))
>>> bad = b'''<dblp><article key="journals/x/A"><author>Bob &bogus; Smith</author><title>A.</title></article>
... <article key="journals/x/L"><author>&Lstrok;ukasz Kaiser</author><title>L.</title></article></dblp>'''
>>> [problem, rec] = parse_dblp(io.BytesIO(bad), "dblp.xml")
>>> problem.line, problem.message
(1, 'DBLP article journals/x/A: undefined entity &bogus; at line 1; record skipped rather than read without it (a name read wrong would get a wrong person id)')
>>> rec.authors[0].ids
('dblp:Łukasz Kaiser',)
"""

from __future__ import annotations

import bisect
import codecs
import functools
import html
import html.entities
import os
import re
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from lxml import etree
from pydantic import BaseModel, ConfigDict, Field

from graphkit.exceptions import InputError
from graphkit.models import AffiliationRef, AuthorRef, PaperRecord, Problem
from graphkit.readers._files import open_input
from graphkit.readers._ids import orcid_id

__all__ = [
    "FORMAT",
    "SUFFIXES",
    "PersonAliases",
    "alias_map",
    "parse",
    "parse_compact",
    "parse_dblp",
    "parse_person_aliases",
    "person_aliases",
    "read",
    "read_dblp",
    "sniff",
]

FORMAT = "dblp"
SUFFIXES = (".xml",)

# Every top-level element the DTD allows: all of them are cleared once read.
_TOP = ("article", "inproceedings", "proceedings", "book", "incollection", "phdthesis", "mastersthesis",
        "www", "person", "data")  # fmt: skip
_KINDS = {
    "article": "article", "inproceedings": "inproceedings", "incollection": "chapter", "book": "book",
    "phdthesis": "thesis", "mastersthesis": "thesis", "data": "dataset",
}  # fmt: skip
_PERSONS = ("www", "person")

_SNIFF = re.compile(
    rb"<!DOCTYPE\s+dblp\b|<dblp(?:person)?[\s>]|<(?:article|inproceedings|incollection|phdthesis|www)\s[^>]*\bkey=\"",
)
_HOMONYM = re.compile(r"^(.*\S)\s+(\d{4})$")
_SPACES = re.compile(r"\s+")
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\d{3,9}/\S+)$", re.I)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Za-z]{2})?/\d{7})", re.I)
_CORR_KEY = re.compile(r"^journals/corr/(?:abs-(\d{4})-(\d{4,5})|([a-z]+(?:-[a-z]+)?)(?:-[A-Z]{2})?-(\d{7}))$")
_CORR_VOLUME = re.compile(r"^(?:abs/(\d{4}\.\d{4,5})|([a-z]+(?:-[a-z]+)?)(?:\.[A-Za-z]{2})?/(\d{7}))$")
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.I)
_XML_DECL = re.compile(rb"^(\xef\xbb\xbf)?(<\?xml[^>]*\?>)?")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def sniff(head: bytes) -> bool:
    """Whether ``head`` looks like DBLP XML (the ``dblp`` DOCTYPE or root, or keyed DBLP records).

    >>> sniff(b'<?xml version="1.0"?>\\n<!DOCTYPE dblp SYSTEM "dblp.dtd">\\n<dblp>'), sniff(b"<html><body>")
    (True, False)
    """
    return _SNIFF.search(head) is not None


# -- entities ---------------------------------------------------------------------------------------


def _entity_decl(name: str, text: str) -> str:
    # "&" and "<" escaped twice: an entity's text is parsed again where it is used (XML 1.0, appendix D)
    value = "".join(f"&#38;#{ord(c)};" if c in "&<" else f"&#{ord(c)};" for c in text)
    return f'<!ENTITY {name} "{value}">\n'


# HTML 4's names with their HTML 4 values (&lang; and &rang; differ in HTML5), then HTML5's others (&Lstrok;):
# XML's own five are never declared again.
_HTML_ENTITIES = {name[:-1]: text for name, text in html.entities.html5.items() if name.endswith(";")}
_HTML_ENTITIES.update((name, chr(code)) for name, code in html.entities.name2codepoint.items())
_BUILTIN_DTD = "".join(
    _entity_decl(name, text) for name, text in sorted(_HTML_ENTITIES.items())
    if name not in ("amp", "lt", "gt", "quot", "apos")
).encode("ascii")


_HTML_DTD_NAME = "graphkit-html-entities.dtd"
_HTML_AFTER = f'\n<!ENTITY % graphkit-html SYSTEM "{_HTML_DTD_NAME}">%graphkit-html;\n'.encode("ascii")


class _EntityResolver(etree.Resolver):
    """Serves DTDs from the input's folder or the built-in entity DTD; loads nothing else."""

    def __init__(self, folder: Path | None):
        super().__init__()
        self.folder = folder
        self.not_a_dtd: str | None = None  # a DTD file beside the input that is something else (a saved error page)

    def resolve(self, system_url, public_id, context):
        name = os.path.basename((system_url or "").replace("\\", "/"))
        if name == _HTML_DTD_NAME:
            return self.resolve_string(_BUILTIN_DTD, context)
        if name.lower().endswith(".dtd"):
            if self.folder is not None:
                local = self.folder / name
                if local.is_file():
                    if _looks_like_dtd(local):
                        try:
                            text = local.read_bytes()
                        except OSError:
                            text = None
                        if text is not None:
                            # Its declarations first (the first one binds), then the HTML entities it lacks,
                            # read from the built-in DTD by reference (the file's own lines keep their numbers);
                            # not after a file cut off in a declaration, whose error would then be about ours.
                            more = _HTML_AFTER if text.rstrip().endswith(b">") else b""
                            return self.resolve_string(text + more, context, base_url=str(local))
                    else:
                        self.not_a_dtd = str(local)
            return self.resolve_string(_BUILTIN_DTD, context)
        # Any other external entity (a file, a URL) is read as empty: never fetched.
        return self.resolve_string(b"", context)


def _looks_like_dtd(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(64 * 1024)
    except OSError:
        return False
    return b"<!ENTITY" in head or b"<!ELEMENT" in head


_UTF8_CONTINUATION = bytes(range(0x80, 0xC0))


def _column_encoding(head: bytes) -> str | None:
    """The file's encoding when the parser's columns (characters) can be told in its bytes: UTF-8 or one
    byte a character (ISO-8859-1, the dump's)."""
    if b"\x00" in head[:256]:
        return None
    m = _ENCODING.search(head[:200])
    try:
        name = codecs.lookup(m[1].decode("ascii") if m else "utf-8").name
    except LookupError:
        return None
    if name == "utf-8":
        return name
    one_byte = len(bytes(range(256)).decode(name, "replace")) == 256 and b"<&;\n".decode(name, "replace") == "<&;\n"
    return name if one_byte else None


# How many bytes read before the last look at the parser's errors are kept (for a record that started there).
_KEEP = 1024 * 1024


class _Feed:
    """The stream as iterparse reads it (``read`` only), its first bytes replaced, the last ones kept.

    The bytes read since the reader last looked at the parser's errors, after at least ``_KEEP`` earlier
    ones, are kept with the line and column each chunk starts at: they place an error the parser read
    past in its record (see :class:`_Errors`). Per 32 KB chunk that costs a count of its newlines and of
    the characters after the last one.
    """

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head = head
        self._rest = rest
        self.encoding = _column_encoding(head)  # None: columns cannot be told in bytes
        # Characters in UTF-8 are its bytes but continuation bytes; in the others, one byte each.
        self._not_counted = _UTF8_CONTINUATION if self.encoding == "utf-8" else None
        self.kept: deque[tuple[int, int, bytes]] = deque()  # (line, column of the first byte, bytes), oldest first
        self._kept_size = 0
        self.line = 1  # where the next chunk starts
        self.column = 0  # characters before it on its line
        self.fresh = False  # a chunk was read since the errors were last looked at
        self.dropped = False  # kept does not start at the beginning of the stream
        self.eof = False
        self.failure: InputError | None = None  # the stream's own error (a cut-off .gz), raised after the parse

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                data, self._head = self._head + self._rest.read(), b""
            else:
                data, self._head = self._head[:size], self._head[size:]
        else:
            try:
                data = self._rest.read(size)
            except InputError as exc:  # a cut-off .gz: the parser ends here, the reader raises it after
                self.failure, data = exc, b""
        if data:
            self.kept.append((self.line, self.column, data))
            self._kept_size += len(data)
            newlines = data.count(b"\n")
            if newlines:
                self.line += newlines
                tail = data[data.rfind(b"\n") + 1:]
                self.column = len(tail.translate(None, self._not_counted) if self._not_counted else tail)
            else:
                self.column += len(data.translate(None, self._not_counted) if self._not_counted else data)
            self.fresh = True
        else:
            self.eof = True
        return data

    def settle(self) -> None:
        """The errors were looked at: keep only the last ``_KEEP`` bytes or so."""
        self.fresh = False
        kept = self.kept
        while len(kept) > 1 and self._kept_size - len(kept[0][2]) >= _KEEP:
            self._kept_size -= len(kept.popleft()[2])
            self.dropped = True


def _with_doctype(stream: BinaryIO) -> tuple[_Feed, bytes]:
    """The stream with a DBLP ``DOCTYPE`` added when it has none, and its first bytes (as in the file)."""
    head = original = stream.read(64 * 1024)
    # Only into an ASCII-compatible encoding (UTF-16 and UTF-32 have NUL bytes in their first characters).
    if b"<!DOCTYPE" not in head and b"\x00" not in head[:256]:
        m = _XML_DECL.match(head)
        end = m.end() if m else 0
        # Same line as the declaration: line numbers stay those of the file.
        head = head[:end] + b'<!DOCTYPE dblp SYSTEM "dblp.dtd">' + head[end:]
    return _Feed(head, stream), original


# -- errors the parser reads past -------------------------------------------------------------------

# libxml2 (2.13 on) reports at most this many errors of one parse and drops the rest unseen.
_MAX_ERRORS = 100
_UNDECLARED = (etree.ErrorTypes.WAR_UNDECLARED_ENTITY, etree.ErrorTypes.ERR_UNDECLARED_ENTITY)
_ENTITY_NAME = re.compile(r"Entity '([^']+)' not defined")
_RECORD_TAG = re.compile(rb"<(/?)(" + "|".join(_TOP).encode("ascii") + rb")\b([^>]*)>")
_KEY_ATTR = re.compile(rb"""(?:^|\s)key\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ENTITY_REF = re.compile(r"&([^\s&;#]+);")
_UNKNOWN = object()  # from _Errors._place: the bytes kept cannot tell the record
_STOP = object()  # from _Errors.take: stop reading here
_SKIPPED = "; record skipped rather than read without it (a name read wrong would get a wrong person id)"


def _error_text(entry) -> str:
    """A log entry's message (its type's name when libxml2 gave none)."""
    message = _clean(entry.message or "")
    return entry.type_name if message in ("", "(null)") else message


class _Errors:
    """The errors the parser reports, each placed in the record it is in, as the read goes.

    libxml2 reads past some errors (an entity no DTD declares, an undefined namespace prefix): the text
    is read without the entity, ``Bob &bogus; Smith`` as ``Bob Smith``. Its error log has each one's line
    and column (characters). :meth:`look` runs once per chunk parsed, before the records that chunk ended
    are read; only when the log has grown does it find the record around each new error in the bytes
    :class:`_Feed` kept (the last start tag of a record not closed before it) and flag it by element and
    key (and line, as keys can repeat), so that :meth:`take` skips the record with a problem. An error
    whose record the bytes kept cannot tell flags the records its line falls in; one outside every record
    is a problem of its own; a fatal one is kept for the reader to say where reading stopped. Past
    ``_MAX_ERRORS`` the parser reports none: :meth:`take` stops the read there.
    """

    def __init__(self, feed: _Feed, source: str):
        self.feed = feed
        self.source = source
        self.seen = 0  # log entries looked at
        self.errors = 0  # errors (not warnings) among them: what the parser counts to its limit
        self.undefined: set[str] = set()  # entity names found undefined
        self.flagged: dict[tuple[str, str], list[list]] = {}  # (tag, key) -> [[line, [reason, ...]], ...]
        self.by_line: list[list] = []  # [line, reason] of errors whose record could not be told
        self.capped: int | None = None  # the line of the last error the parser reports
        self.pending = False  # records must be checked against the above
        self.fatal: tuple | None = None  # (log entry, "dtd" or where it is as _place says)
        self.problems: list[Problem] = []  # errors outside records and in the DTD
        self._buf: bytes | None = None  # the bytes kept, joined, and where their lines start
        self._starts: list[int] = []

    # -- looking -----------------------------------------------------------------------------------

    def look(self, log) -> None:
        """Place the errors the log has gained since the last look; forget older bytes."""
        if len(log) > self.seen:
            entries = list(log)[self.seen:]
            self.seen += len(entries)
            for entry in entries:
                self._add(entry)
            self._buf = None
            self.pending = bool(self.flagged or self.by_line or self.capped is not None)
        self.feed.settle()

    def _add(self, entry) -> None:
        if entry.level < 2:  # a warning: nothing was left out
            return
        self.errors += 1
        line = max(entry.line, 0)
        if self.errors >= _MAX_ERRORS and self.capped is None:
            self.capped = line
        message = _error_text(entry)
        in_dtd = (entry.filename or "").lower().endswith(".dtd")  # the DTD beside the file
        if entry.level >= 3:
            # The first fatal error stops the parser (libxml2 may log it twice, the first time without a message).
            if self.fatal is None or self.fatal[0].message in (None, "", "(null)"):
                self.fatal = (entry, "dtd" if in_dtd else self._place(line, entry.column, None))
            return
        if in_dtd:
            self.problems.append(Problem(source=entry.filename, line=line, message=f"DTD error, reading went on: {message}"))
            return
        m = _ENTITY_NAME.match(message) if entry.type in _UNDECLARED else None
        if m:
            self.undefined.add(m[1])
            reason = f"undefined entity &{m[1]}; at line {line}"
        else:
            reason = f"XML error at line {line} ({message})"
        where = self._place(line, entry.column, m[1] if m else None)
        if where is None:
            self.problems.append(Problem(source=self.source, line=line, message=(
                f"{reason[0].upper()}{reason[1:]} outside any record, reading went on")))
        elif where is _UNKNOWN:
            self.by_line.append([line, f"{reason} (in this record or another on that line: the bytes kept cannot tell)"])
        else:
            tag, key, first = where
            flags = self.flagged.setdefault((tag, key), [])
            for flag in flags:
                if flag[0] == first:
                    flag[1].append(reason)
                    break
            else:
                flags.append([first, [reason]])

    def _place(self, line: int, column: int, entity: str | None):
        """The record around an error, as (tag, key, line of its start tag); None outside every record;
        ``_UNKNOWN`` when the bytes kept cannot tell."""
        kept, enc = self.feed.kept, self.feed.encoding
        if enc is None or not kept or line < kept[0][0]:
            return _UNKNOWN
        if self._buf is None:
            self._buf = b"".join(data for _, _, data in kept)
            self._starts = [0, *(m.end() for m in re.finditer(rb"\n", self._buf))]
        buf, starts = self._buf, self._starts
        n = line - kept[0][0]
        if n >= len(starts):
            return _UNKNOWN
        start = starts[n]
        chars = column - 1 - (kept[0][1] if n == 0 else 0)  # characters before the error's end on its line, kept
        if chars < 0:
            return _UNKNOWN
        text = buf[start:starts[n + 1] - 1] if n + 1 < len(starts) else buf[start:]
        if enc == "utf-8":
            lead = len(text) - len(text.lstrip(_UTF8_CONTINUATION))  # the end of a character counted before
            at = start + lead + len(text[lead:].decode(enc, "replace")[:chars].encode(enc, "replace"))
        else:
            at = start + chars
        if entity:  # the column is just past the reference: check it, or take the one reference close by
            ref = f"&{entity};".encode(enc, "replace")
            if buf[at - len(ref):at] != ref:
                near = [start + m.end() for m in re.finditer(re.escape(ref), text) if abs(start + m.end() - at) <= 3]
                if len(near) != 1:
                    return _UNKNOWN
                at = near[0]
        lt = buf.rfind(b"<", 0, at)
        if lt >= 0 and (m := _RECORD_TAG.match(buf, lt)) and not m[1] and m.end() > at:  # in a start tag
            return self._record(m)
        for lo in (max(at - 65536, 0), 0):  # the last record start tag not closed before the error
            depth = 0
            for m in reversed(list(_RECORD_TAG.finditer(buf, lo, at))):
                if m[1]:
                    depth += 1
                elif m[3].endswith(b"/"):
                    continue
                elif depth:
                    depth -= 1
                else:
                    return self._record(m)
            if lo == 0:
                break
        return _UNKNOWN if self.feed.dropped else None

    def _record(self, m) -> tuple[str, str, int]:
        k = _KEY_ATTR.search(m[3])
        key = (k[1] if k[1] is not None else k[2]).decode(self.feed.encoding, "replace") if k else ""
        if "&" in key:  # as the parser read it: undefined entities left out
            key = html.unescape(_ENTITY_REF.sub(lambda r: "" if r[1] in self.undefined else r[0], key))
        key = key.replace("\t", " ").replace("\n", " ").replace("\r", " ")
        return m[2].decode("ascii"), key, self.feed.kept[0][0] + bisect.bisect_right(self._starts, m.start()) - 1

    # -- reading -----------------------------------------------------------------------------------

    def take(self, el):
        """A problem for a record an error was placed in (to be skipped), ``_STOP``, or None."""
        line = el.sourceline or 0
        if self.capped is not None and line >= self.capped:
            return _STOP
        key = el.get("key") or ""
        reasons: list[str] = []
        flags = self.flagged.get((el.tag, key))
        if flags:
            for i, (first, flagged) in enumerate(flags):
                # sourceline: the line its start tag ends on (past line 65535, its first child's)
                if first <= line:
                    reasons += flagged
                    del flags[i]
                    if not flags:
                        del self.flagged[(el.tag, key)]
                    break
        if self.by_line:
            nxt = el.getnext()
            after = nxt.sourceline if nxt is not None else None
            for item in list(self.by_line):
                if line <= item[0] and (after is None or after >= item[0]):
                    reasons.append(item[1])
                    if after is None or after > item[0]:  # else it may be in the next record: skip that too
                        self.by_line.remove(item)
        self.pending = bool(self.flagged or self.by_line or self.capped is not None)
        if not reasons:
            return None
        return Problem(source=self.source, line=line,
                       message=f"DBLP {el.tag} {key or '(no key)'}: {'; '.join(reasons)}{_SKIPPED}")

    def left(self) -> Iterator[Problem]:
        """Problems for the errors placed in records never read (reading stopped before their end)."""
        for (tag, key), flags in self.flagged.items():
            for first, reasons in flags:
                yield Problem(source=self.source, line=first,
                              message=f"DBLP {tag} {key or '(no key)'}: {'; '.join(reasons)}{_SKIPPED}")
        for line, reason in self.by_line:
            yield Problem(source=self.source, line=line, message=f"{reason[0].upper()}{reason[1:]}, reading went on")


# -- person records and aliases ---------------------------------------------------------------------


class PersonAliases(BaseModel):
    """A DBLP person record (``www`` with key ``homepages/...``): the names of one person.

    ``names`` are DBLP name strings (homonym numbers kept), the first being
    the person's primary name, whose id ``dblp:<name>`` every paper author
    written with any of the names gets. ``ids`` holds that id and an
    ``orcid:`` when the record links an ORCID page. The registry ignores
    these (they are not papers); the resolver may use them as an alias table.

    >>> PersonAliases(key="homepages/l/KentonLee", names=("Kenton Lee",), ids=("dblp:Kenton Lee",), source="d.xml", line=3).names
    ('Kenton Lee',)
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    key: str
    names: tuple[str, ...]
    ids: tuple[str, ...] = ()
    source: str
    line: int = Field(default=0, ge=0)


_ENTITY_NAMES = re.compile(rb"&([^\s&;#<>\"']+);")
_HTML5_NAMES = frozenset(name.encode("ascii") for name in html.entities.html5)
_WWW_BLOCK = re.compile(rb'<(www|person)\b[^>]*\bkey="homepages/[^"]*"[^>]*>(.*?)</\1>', re.S)
_AUTHOR_TEXT = re.compile(rb"<author\b[^>]*>(.*?)</author>", re.S)


_DISAMBIGUATION = b'publtype="disambiguation"'
#: What :func:`alias_map` maps a name to when DBLP lists it on a disambiguation page: the papers written under it
#: are not yet assigned to one person, so the name is no person's id.
NOT_A_PERSON = ""


def _add_aliases(aliases: dict[str, str], names: list[str], disambiguation: bool) -> None:
    if disambiguation:
        for name in names:
            aliases[name] = NOT_A_PERSON
        return
    for other in names[1:]:
        if other != names[0]:
            aliases.setdefault(other, names[0])


def _unknown_entity(text: bytes) -> bool:
    """Whether ``text`` names an entity :func:`html.unescape` does not know (nor the built-in DTD)."""
    return any(name + b";" not in _HTML5_NAMES for name in _ENTITY_NAMES.findall(text))


def alias_map(stream: BinaryIO, *, chunk_size: int = 16 * 1024 * 1024) -> dict[str, str]:
    """Every other name of a person mapped to the person's primary name, from a quick scan.

    A name DBLP lists on a disambiguation page (``publtype="disambiguation"``: the papers written under it
    belong to several people, not yet told apart) maps to :data:`NOT_A_PERSON`: its authors get no ``dblp:``
    id, and the identity engine decides who they are from the evidence, as for any source without ids.

    Scans the raw bytes for person records with more than one ``author``
    (regular expressions over fixed-size chunks: memory stays bounded and a
    5 GB dump takes seconds, where a second XML parse would take minutes).
    Entities are decoded as :func:`html.unescape` does; a person record with
    an entity that is no HTML one is left out, as the XML read skips it.

    >>> import io
    >>> alias_map(io.BytesIO(b'<dblp><www key="homepages/z/LukeZettlemoyer"><author>Luke Zettlemoyer</author>'
    ...                      b'<author>Luke S. Zettlemoyer</author><title>Home Page</title></www>'
    ...                      b'<www key="homepages/w/WeiWang" publtype="disambiguation"><author>Wei Wang</author></www></dblp>'))
    {'Luke S. Zettlemoyer': 'Luke Zettlemoyer', 'Wei Wang': ''}
    """
    first = stream.read(chunk_size)
    m = _ENCODING.search(first[:200])
    encoding = "latin-1" if m and m[1].lower() in (b"iso-8859-1", b"latin-1", b"latin1") else "utf-8"
    aliases: dict[str, str] = {}
    carry, data = b"", first
    while data:
        data = carry + data
        done = 0
        for block in _WWW_BLOCK.finditer(data):
            done = block.end()
            if b"&" in block[2] and _unknown_entity(block[2]):
                continue  # the XML read skips this person record (the entity is no HTML one): so does the scan
            names = [_clean(html.unescape(n.decode(encoding, "replace"))) for n in _AUTHOR_TEXT.findall(block[2])]
            names = [n for n in names if n]
            _add_aliases(aliases, names, _DISAMBIGUATION in block[0][:block.start(2) - block.start()])
        start = max(data.rfind(b"<www", done), data.rfind(b"<person", done))
        carry = data[start:] if start >= 0 else data[-16:]
        if len(carry) > chunk_size:  # an unclosed record: give up on it rather than grow
            carry = b""
        try:
            data = stream.read(chunk_size)
        except (OSError, EOFError, InputError):  # a cut-off .gz: the names before the cut; the record read reports it
            break
    return aliases


# -- records ----------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join(text.split())


def _text(el) -> str:
    # Titles hold inline markup (<i>, <sub>, <sup>, <tt>, <ref>): keep all text in order.
    if len(el):
        return " ".join("".join(el.itertext()).split())
    text = el.text
    return " ".join(text.split()) if text else ""


def _arxiv_from_corr(key: str, volume: str | None) -> str | None:
    if m := _CORR_KEY.match(key):
        return f"arxiv:{m[1]}.{m[2]}" if m[1] else f"arxiv:{m[3]}/{m[4]}"
    if volume and (m := _CORR_VOLUME.match(volume.strip())):
        return f"arxiv:{m[1]}" if m[1] else f"arxiv:{m[2]}/{m[3]}"
    return None


def _ee_id(url: str) -> str | None:
    if m := _DOI_URL.match(url):
        return "doi:" + m[1].rstrip(".,;").lower()
    if m := _ARXIV_URL.search(url):
        arxiv_id = m[1].lower()
        # arXiv's old ids drop the subject class: math.GT/0309136 is math/0309136.
        if "/" in arxiv_id:
            archive, _, number = arxiv_id.partition("/")
            arxiv_id = f"{archive.split('.')[0]}/{number}"
        return "arxiv:" + arxiv_id
    return None


@functools.lru_cache(maxsize=1 << 16)
def _orcid_fault(orcid: str) -> str | None:
    """Why an ``orcid`` attribute is not used, or None when it is an ORCID iD whose check digit holds (or is empty).

    >>> _orcid_fault("0000-0002-1825-0097"), _orcid_fault("0000-0002-1825-0098"), _orcid_fault("n/a")
    (None, 'fails its check digit', 'is not an ORCID iD')
    """
    if not orcid.strip():
        return None
    o = _ORCID.search(orcid)
    if o is None:
        return "is not an ORCID iD"
    return None if orcid_id(o[1]) else "fails its check digit"


def _values(el, source: str):
    """A paper element's values: (title, ids, year, venue, kind, urls, written authors, school, line, problems,
    place), or a Problem; ``problems`` are those of ``orcid`` attributes not used, ``place`` is (volume, number,
    pages), each None when the element has none.

    >>> el = etree.fromstring('<article key="journals/x/A">\\n<author orcid="0000-0002-1825-0098">Ann Lee</author><title>T.</title></article>')
    >>> values = _values(el, "d.xml")
    >>> values[6], [str(p) for p in values[9]]
    ([('Ann Lee', '0000-0002-1825-0098')], ["d.xml:2: DBLP article journals/x/A: ORCID '0000-0002-1825-0098' of 'Ann Lee' fails its check digit; not used"])
    """
    # The hot loop of a 7.5-million-record read: one pass over the children, text handled inline.
    tag = el.tag
    key = el.get("key") or ""
    written: list[tuple[str, str | None]] = []
    problems: list[Problem] = []
    title = year_text = journal = booktitle = series = volume = school = number = pages = None
    ees: list[str] = []
    for child in el:
        ctag = child.tag
        if ctag == "author":
            text = child.text
            if text and (full := " ".join(text.split())):
                orcid = child.get("orcid")
                written.append((full, orcid))
                if orcid is not None and (fault := _orcid_fault(orcid)):
                    problems.append(Problem(source=source, line=child.sourceline or el.sourceline or 0, message=(
                        f"DBLP {tag} {key or '(no key)'}: ORCID {orcid.strip()!r} of {full!r} {fault}; not used")))
        elif ctag == "title":
            title = _text(child)
        elif ctag == "year":
            year_text = (child.text or "").strip()
            year_line = child.sourceline
        elif ctag == "ee":
            text = child.text
            if text and (url := text.strip()):
                ees.append(url)
        elif ctag in ("url", "editor", "crossref", "cite", "note", "publisher", "isbn"):
            continue
        elif ctag == "pages":
            pages = _text(child) or None
        elif ctag == "number":
            number = _text(child) or None
        elif ctag == "journal":
            journal = _text(child)
        elif ctag == "booktitle":
            booktitle = _text(child)
        elif ctag == "volume":
            volume = _text(child)
        elif ctag == "series":
            series = _text(child)
        elif ctag == "school":
            school = _text(child)
    line = el.sourceline or 0
    if title and title[-1] == "." and not title.endswith(".."):
        title = title[:-1].rstrip()
    if not title:
        return Problem(source=source, line=line, message=f"DBLP {tag} {key or '(no key)'}: no title")
    ids = [f"dblp:{key}"] if key else []
    corr = key.startswith("journals/corr/") or journal == "CoRR"
    if corr and (arxiv_id := _arxiv_from_corr(key, volume)):
        ids.append(arxiv_id)
    for url in ees:
        if (i := _ee_id(url)) and i not in ids:
            ids.append(i)
    year = int(year_text) if year_text and len(year_text) == 4 and year_text.isdigit() else None
    if year is None and year_text:  # reported, as the other readers report a year that is none
        problems.append(Problem(source=source, line=year_line or line, message=(
            f"DBLP {tag} {key or '(no key)'}: year {year_text!r} is not a year; read without a year")))
    kind = _KINDS[tag]
    if tag == "article" and (corr or "informal" in (el.get("publtype") or "").split()):
        kind = "preprint"
    # A thesis's school is its one author's affiliation.
    school = school if school and len(written) == 1 else None
    return (title, tuple(ids), year, journal or booktitle or series or None, kind, tuple(ees), written, school, line, problems,
            (volume or None, number, pages))


def _author_values(full: str, orcid: str | None, aliases: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """An author's display name and ids from the written name and ``orcid`` attribute."""
    # A homonym number is four digits after a space: test the last character before the regex.
    m = _HOMONYM.match(full) if full[-1].isdigit() else None
    person = aliases.get(full, full) if aliases else full
    if person == NOT_A_PERSON:  # a name on a disambiguation page: no one's id
        checked = orcid and (o := _ORCID.search(orcid)) and orcid_id(o[1])
        return (m[1] if m else full), ((checked,) if checked else ())
    # Only an ORCID whose check digit holds: a placeholder (0000-0000-0000-0000) would join strangers.
    if orcid and (o := _ORCID.search(orcid)) and (checked := orcid_id(o[1])):
        return (m[1] if m else full), (f"dblp:{person}", checked)
    return (m[1] if m else full), (f"dblp:{person}",)


def _author(full: str, orcid: str | None, position: int, aliases: dict[str, str], affiliations=()) -> AuthorRef:
    name, ids = _author_values(full, orcid, aliases)
    return AuthorRef(name=name, position=position, ids=ids, affiliations=affiliations)


def _record(el, source: str, aliases: dict[str, str]) -> PaperRecord | Problem | list:
    """The record of a paper element, or its problem; a list of the record and its problems when it has some."""
    values = _values(el, source)
    if type(values) is Problem:
        return values
    title, ids, year, venue, kind, urls, written, school, line, problems, (volume, number, pages) = values
    school_ref = (AffiliationRef(name=school),) if school else ()
    authors = tuple(_author(full, orcid, i, aliases, school_ref) for i, (full, orcid) in enumerate(written))
    record = PaperRecord(
        title=title, ids=ids, year=year, venue=venue, kind=kind, urls=urls, authors=authors,
        source=source, source_format=FORMAT, line=line, volume=volume, issue=number, pages=pages,
    )  # fmt: skip
    return [record, *problems] if problems else record


def _compact_builder(source: str, shared: dict, plain: bool = False):
    """A function from a paper element to the record :func:`graphkit.resolve.records.compact` would make of it
    (a list of it and its problems when it has some, as :func:`_record`); with ``plain``, its authors (and their
    affiliations) are plain tuples of the named tuples' fields: pickled in a third of the time and unpickled in a
    tenth (the bulk build sends every record between processes; :mod:`graphkit.bulk` reads them by position).

    Each written name (with its ``orcid`` attribute) becomes its compact
    author once per read, shared through ``shared``: DBLP repeats its
    3.6 million people over 25 million authorships.
    """
    from graphkit.resolve.records import AT_INDEX, Affiliation, Author, CompactRecord

    intern = sys.intern
    source = intern(source)
    fmt = intern(FORMAT)
    kinds = {k: intern(k) for k in (*_KINDS.values(), "preprint")}
    people: dict[str | tuple[str, str], Author] = {}
    known = [0]  # how many aliases the cached authors were made with: person records met later add some


    new = tuple.__new__  # a named tuple from its fields without its Python-level __new__

    def author(full: str, orcid: str | None, aliases: dict[str, str], affiliations: tuple) -> Author:
        name, ids = _author_values(full, orcid, aliases)
        made = (intern(name), None, None, AT_INDEX, tuple(intern(i) for i in ids), affiliations, False)
        return shared.setdefault(made, made if plain else new(Author, made))

    def build(el, aliases: dict[str, str]):
        values = _values(el, source)
        if type(values) is Problem:
            return values
        title, ids, year, venue, kind, urls, written, school, line, problems, (volume, number, pages) = values
        if school:
            affiliation = (intern(school), (), None)
            affiliations = (shared.setdefault(affiliation, affiliation if plain else new(Affiliation, affiliation)),)
            authors = tuple(author(full, orcid, aliases, affiliations) for full, orcid in written)
        else:
            if len(aliases) != known[0]:
                people.clear()
                known[0] = len(aliases)
            authors = []
            for full, orcid in written:
                cached = full if orcid is None else (full, orcid)  # the name alone, mostly: no tuple per person
                made = people.get(cached)
                if made is None:
                    made = people[cached] = author(full, orcid, aliases, ())
                authors.append(made)
            authors = tuple(authors)
        record = (  # positional: every field given
            title, False, tuple(intern(i) for i in ids), year, None, intern(venue) if venue else venue, kinds[kind], None,
            urls, authors, False, (), None, None, None, False, source, fmt, line, None,
            volume and intern(volume), number and intern(number), pages and intern(pages),
        )
        record = new(CompactRecord, record)
        return [record, *problems] if problems else record

    return build


def _person(el, source: str) -> PersonAliases | None:
    key = el.get("key") or ""
    if not key.startswith("homepages/"):
        return None
    names = [n for n in (_text(a) for a in el.iterchildren("author")) if n]
    if not names:
        return None
    ids = [f"dblp:{names[0]}"]
    for url in el.iterchildren("url"):
        if "orcid.org" in (url.text or "") and (o := _ORCID.search(url.text)) and (checked := orcid_id(o[1])):
            ids.append(checked)
            break
    return PersonAliases(key=key, names=tuple(dict.fromkeys(names)), ids=tuple(ids), source=source, line=el.sourceline or 0)


_RECORD_TYPES = frozenset(_TOP)


def _target_values(el) -> tuple[int | None, str | None]:
    """What a ``proceedings`` or ``book`` record lends the papers whose ``crossref`` names it: (year, venue).

    >>> _target_values(etree.fromstring('<proceedings key="conf/x/2020"><title>Proceedings of X 2020.</title>'
    ...                                 '<booktitle>X</booktitle><year>2020</year></proceedings>'))
    (2020, 'X')
    """
    year_text = booktitle = title = None
    for child in el:
        ctag = child.tag
        if ctag == "year":
            year_text = (child.text or "").strip()
        elif ctag == "booktitle":
            booktitle = _text(child)
        elif ctag == "title":
            title = _text(child)
    if title and title[-1] == "." and not title.endswith(".."):
        title = title[:-1].rstrip()
    year = int(year_text) if year_text and len(year_text) == 4 and year_text.isdigit() else None
    return year, booktitle or title or None


def _lent(rec, year: int | None, venue: str | None):
    """``rec`` (a record, or a list of it and its problems) with the year and venue it lacks from its crossref."""
    first = rec[0] if type(rec) is list else rec
    update = {}
    if first.year is None and year is not None:
        update["year"] = year
    if first.venue is None and venue is not None:
        update["venue"] = venue
    if not update:
        return rec
    filled = first._replace(**update) if isinstance(first, tuple) else first.model_copy(update=update)
    return [filled, *rec[1:]] if type(rec) is list else filled


class _Crossrefs:
    """The ``crossref`` targets (proceedings, books) of one read and the papers waiting for theirs."""

    __slots__ = ("targets", "waiting")

    def __init__(self) -> None:
        self.targets: dict[str, tuple[int | None, str | None]] = {}
        self.waiting: dict[str, list] = {}  # target key -> the records (or record lists) that wait for it, in order

    def target(self, key: str, values: tuple[int | None, str | None]) -> list:
        """Notes a target record; the papers that were waiting for it, filled."""
        self.targets[key] = values
        waiting = self.waiting.pop(key, None)
        return [_lent(rec, *values) for rec in waiting] if waiting else []

    def paper(self, rec, el) -> list:
        """The records to give out now for a paper record ``rec`` of the element ``el``: it (filled from its
        crossref when that is known), or nothing when it waits for its crossref."""
        first = rec[0] if type(rec) is list else rec
        if type(first) is Problem or first is None or (first.year is not None and first.venue is not None):
            return [rec]
        key = (el.findtext("crossref") or "").strip()
        if not key:
            return [rec]
        if key in self.targets:
            return [_lent(rec, *self.targets[key])]
        self.waiting.setdefault(key, []).append(rec)
        return []

    def left(self, source: str) -> Iterator:
        """The papers whose crossref never came, as they are, and one problem counting them."""
        if not self.waiting:
            return
        left = [rec for recs in self.waiting.values() for rec in recs]
        left.sort(key=lambda rec: (rec[0] if type(rec) is list else rec).line)
        self.waiting = {}
        for rec in left:
            if type(rec) is list:
                yield from rec
            else:
                yield rec
        first = left[0][0] if type(left[0]) is list else left[0]
        count = len(left)
        shown = first.ids[0] if first.ids else repr(first.title)
        yield Problem(source=source, line=first.line, message=(
            f"DBLP crossref not in this input for {count} record{'s' if count != 1 else ''} without a year or venue "
            f"of {'their' if count != 1 else 'its'} own (the first: {shown}); read as written"))


def _unread(elements, root_tag: str, source: str) -> Iterator[Problem]:
    """A problem for each of ``elements`` (children of the root, between the records read) that is, or in a
    ``dblpperson`` page's ``<r>`` holds, an element the DTD has no record type for (``<informal>``): never read.

    >>> root = etree.fromstring('<dblp><informal key="x/y"><title>T.</title></informal><www key="h/a"/></dblp>')
    >>> [problem] = _unread(root, "dblp", "d.xml")
    >>> str(problem)
    'd.xml:1: DBLP informal x/y: <informal> is no record type of dblp.dtd; not read'
    """
    if root_tag not in ("dblp", "dblpperson"):  # XML that is not DBLP's: reported as that
        return
    for el in elements:
        if root_tag == "dblpperson":
            if el.tag != "r" or not len(el):  # the page's person, coauthors and the like are no records
                continue
            el = el[0]
        if not isinstance(el.tag, str) or el.tag in _RECORD_TYPES:
            continue
        tag = etree.QName(el).localname
        key = el.get("key") or "(no key)"
        yield Problem(source=source, line=el.sourceline or 0, message=f"DBLP {tag} {key}: <{tag}> is no record type of dblp.dtd; not read")


def _elements(stream: BinaryIO, source: str, *, papers: bool, persons: bool, aliases: dict[str, str], build=None):
    if build is None:
        def build(el, aliases):
            return _record(el, source, aliases)
    folder = Path(source).parent if source else None
    try:
        feed, head = _with_doctype(stream)
    except OSError as exc:  # an unreadable stream (a corrupt gzip): one problem, nothing read
        yield Problem(source=source, line=0, message=f"cannot read: {exc}")
        return
    if not head.strip():
        yield Problem(source=source, line=0, message="empty file")
        return
    parser = etree.iterparse(
        feed,
        events=("end",),
        tag=_TOP,
        load_dtd=True,
        no_network=True,
        resolve_entities=True,  # the DTD's entities; the resolver refuses every other external entity
        huge_tree=True,  # no hard-coded size limits on a multi-GB stream (entity amplification stays capped)
        remove_comments=True,
        remove_pis=True,
    )
    resolver = _EntityResolver(folder if folder and folder.is_dir() else None)
    parser.resolvers.add(resolver)
    errors = _Errors(feed, source)
    found = 0
    crossrefs = _Crossrefs()
    failure: Exception | None = None
    stopped_at: int | None = None  # where reading stopped at the parser's error limit
    last_top = None  # the root's child that held the last record read: what lies after it is not read yet
    try:
        for _, el in parser:
            if feed.fresh:  # a chunk was parsed: its errors are in the log before its records are read
                errors.look(parser.error_log)
            found += 1
            parent = el.getparent()
            if parent is None:
                continue
            top = el
            while (up := top.getparent()) is not None and up.getparent() is not None:
                top = up
            if papers and (before := top.getprevious()) is not None and before is not last_top:
                # elements the iterparse tag filter passed over since the last record: an unknown record type
                between = []
                while before is not None and before is not last_top:
                    between.append(before)
                    before = before.getprevious()
                yield from _unread(reversed(between), top.getparent().tag, source)
            last_top = top
            if errors.pending and (skipped := errors.take(el)) is not None:
                if skipped is _STOP:
                    stopped_at = el.sourceline or 0
                    break
                yield skipped
            elif el.tag in _PERSONS:
                if persons and (p := _person(el, source)) is not None:
                    yield p
                if papers and el.get("key", "").startswith("homepages/"):
                    # Aliases seen before the papers that use them apply even without the pre-scan.
                    names = [n for n in (_text(a) for a in el.iterchildren("author")) if n]
                    _add_aliases(aliases, names, "disambiguation" in (el.get("publtype") or "").split())
            elif papers and el.tag in _KINDS:
                try:
                    rec = build(el, aliases)
                except (ValueError, TypeError) as exc:
                    rec = Problem(source=source, line=el.sourceline or 0, message=f"unreadable DBLP record ({exc})")
                head = rec[0] if type(rec) is list else rec  # the record, before its problems
                if el.tag == "book" or (head is not None and type(head) is not Problem
                                        and (head.year is None or head.venue is None)):
                    # a paper lacking a year or venue may wait for its crossref; a book is also a crossref target
                    out = () if rec is None else crossrefs.paper(rec, el)
                    if el.tag == "book" and (key := el.get("key")):
                        out = [*out, *crossrefs.target(key, _target_values(el))]
                    for rec in out:
                        if type(rec) is list:
                            yield from rec
                        else:
                            yield rec
                elif type(rec) is list:  # the record and its problems
                    yield from rec
                elif rec is not None:
                    yield rec
            elif papers and el.tag == "proceedings" and (key := el.get("key")):
                for rec in crossrefs.target(key, _target_values(el)):
                    if type(rec) is list:
                        yield from rec
                    else:
                        yield rec
            # Bounded memory: drop this record and everything before it.
            el.clear(keep_tail=False)
            root = top.getparent()
            while top.getprevious() is not None:
                del root[0]
    except etree.XMLSyntaxError as exc:  # a fatal error, or (at the end) any error: the log tells which
        failure = exc
    except OSError as exc:
        failure = exc
        yield Problem(source=source, line=0, message=f"cannot read: {exc}")
    errors.look(parser.error_log)  # the errors after the last record read
    yield from crossrefs.left(source)
    if papers and failure is None and stopped_at is None and (root := getattr(parser, "root", None)) is not None:
        yield from _unread(root if last_top is None else last_top.itersiblings(), root.tag, source)
    yield from errors.problems
    yield from errors.left()
    if stopped_at is not None:
        yield Problem(source=source, line=stopped_at, message=(
            f"reading stopped at line {stopped_at}: the XML parser reports only the first {_MAX_ERRORS} errors "
            f"(the last at line {errors.capped}); the records from line {stopped_at} on are not read, "
            "as an error in them would go unseen"))
    elif errors.fatal is not None:
        entry, where = errors.fatal
        message = _error_text(entry)
        if where == "dtd":
            yield Problem(source=entry.filename, line=max(entry.line, 0), message=(
                f"DTD not well-formed, reading {source} stopped before its records: {message}"))
        else:
            line = max(entry.line, 0)
            lost = ""
            if isinstance(where, tuple):  # the record open where it broke
                lost = f"; the {where[0]} {where[1] or '(no key)'} (line {where[2]}) open there is not read"
            yield Problem(source=source, line=line,
                          message=f"XML not well-formed, reading stopped at line {line}: {message}{lost}")
    elif isinstance(failure, etree.XMLSyntaxError) and not (feed.eof and errors.seen):  # none of those above
        message = _clean(str(getattr(failure, "msg", None) or failure))
        line = max(getattr(failure, "lineno", 0) or 0, 0)
        yield Problem(source=source, line=line, message=f"XML not well-formed, reading stopped at line {line}: {message}")
    elif failure is None:
        root = getattr(parser, "root", None)
        tag = root.tag if root is not None and isinstance(root.tag, str) else None
        if not found and tag not in (None, "dblp", "dblpperson"):
            # An arXiv API feed, an OAI-PMH response, a DBLP search result: XML, but not DBLP's
            yield Problem(source=source, line=0, message=(
                f"not DBLP XML (its root element is <{etree.QName(tag).localname}>, not <dblp>); nothing read"))
    if resolver.not_a_dtd is not None:
        yield Problem(source=resolver.not_a_dtd, line=0, message=(
            "not a DTD (no <!ENTITY or <!ELEMENT declarations); read the XML with the HTML entities built in"))
    if feed.failure is not None:
        raise feed.failure  # the records before the cut are read: now the cut itself


def parse_dblp(stream: BinaryIO, source: str, *, aliases: dict[str, str] | None = None) -> Iterator[PaperRecord | Problem]:
    """Paper records and problems from DBLP XML read from the binary ``stream``.

    ``aliases`` maps other names of a person to the primary name (see
    :func:`alias_map`); when not given and the stream can seek, the stream is
    scanned for them first. Person records met during the read add to it
    either way. Never raises on bad input.
    """
    yield from _papers(stream, source, aliases, None)


def parse_compact(stream: BinaryIO, source: str, *, shared: dict | None = None, aliases: dict[str, str] | None = None,
                  as_of=None, plain: bool = False) -> Iterator:
    """The compact records a build holds, and problems, from DBLP XML read from ``stream``.

    The same records as :func:`parse_dblp` passed through
    :func:`graphkit.resolve.records.compact` (``shared`` stores equal author
    tuples once), built directly: no pydantic validation, each written name
    made into its author once per read. ``as_of`` is ignored (the profile
    reader's option, accepted for one calling convention). With ``plain``,
    each author is a plain tuple of :class:`~graphkit.resolve.records.Author`'s
    fields (its affiliations of ``Affiliation``'s), read by position.

    >>> import io
    >>> from graphkit.resolve.records import compact
    >>> xml = b'<dblp><article key="journals/x/A1"><author>Wei Wang 0001</author><author>Ana Lee</author><title>T.</title></article></dblp>'
    >>> [rec] = parse_compact(io.BytesIO(xml), "d.xml", shared={})
    >>> rec == compact(next(parse_dblp(io.BytesIO(xml), "d.xml"))), rec.author_names, rec.authors[0].ids
    (True, ('Wei Wang', 'Ana Lee'), ('dblp:Wei Wang 0001',))
    >>> [flat] = parse_compact(io.BytesIO(xml), "d.xml", shared={}, plain=True)
    >>> flat == rec, type(flat.authors[0]), flat.authors[0] == rec.authors[0]
    (True, <class 'tuple'>, True)
    """
    yield from _papers(stream, source, aliases, _compact_builder(source, {} if shared is None else shared, plain))


def _papers(stream: BinaryIO, source: str, aliases: dict[str, str] | None, build) -> Iterator:
    if aliases is None:
        aliases = {}
        try:
            if stream.seekable():
                start = stream.tell()
                try:
                    aliases = alias_map(stream)
                except (OSError, EOFError, InputError):  # a cut-off .gz: read what is there; the read reports it
                    aliases = {}
                stream.seek(start)
        except OSError as exc:
            yield Problem(source=source, line=0, message=f"cannot read: {exc}")
            return
    yield from _elements(stream, source, papers=True, persons=False, aliases=aliases, build=build)


def parse_person_aliases(stream: BinaryIO, source: str) -> Iterator[PersonAliases | Problem]:
    """The person records (``homepages/...``) of DBLP XML read from ``stream``, as :class:`PersonAliases`."""
    yield from _elements(stream, source, papers=False, persons=True, aliases={})


def read_dblp(path) -> Iterator[PaperRecord | Problem]:
    """Paper records and problems from the DBLP XML file at ``path`` (``.gz`` read transparently)."""
    with open_input(path) as stream:
        yield from parse_dblp(stream, str(path))


def person_aliases(path) -> Iterator[PersonAliases | Problem]:
    """The person records of the DBLP XML file at ``path``: one person's names (aliases) each."""
    with open_input(path) as stream:
        yield from parse_person_aliases(stream, str(path))


parse = parse_dblp
read = read_dblp
