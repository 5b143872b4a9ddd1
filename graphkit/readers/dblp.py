"""DBLP XML: the full dump (``dblp.xml``, ``dblp.xml.gz``) or any part of it.

The dump is about 5 GB and 7.5 million records, so it is streamed with
``lxml.etree.iterparse``: each record element is read when it ends, then
cleared and unlinked with everything before it, so memory stays flat (well
under 1 GB) whatever the file's size.

Entities. The dump is ISO-8859-1 with the DTD's character entities
(``&uuml;``). The DTD named by the ``DOCTYPE`` is loaded from the folder of
the file when it is there (``dblp.dtd`` next to ``dblp.xml``); when it is not,
a built-in DTD declaring the HTML 4 entities (ISO Latin-1, symbols and
special characters: a superset of what ``dblp.dtd`` declares, from Python's
:mod:`html.entities`) stands in, and a file without a ``DOCTYPE`` is given
one. Nothing is ever fetched from the network, and no other external entity
is loaded (an entity pointing at a local file reads as empty).

Reading rules:

- papers: ``article``, ``inproceedings``, ``incollection`` (kind ``chapter``),
  ``book``, ``phdthesis``/``mastersthesis`` (``thesis``), ``data``
  (``dataset``); a CoRR article (``publtype="informal"`` or key
  ``journals/corr/...``) is a ``preprint``. ``proceedings``, ``www`` and
  ``person`` records are not papers; ``editor`` elements are never authors.
- authors: the text of each ``author`` element in order; a trailing homonym
  number (``Wei Wang 0001``) is not part of the display name (``Wei Wang``)
  but part of the DBLP person id every author carries (``dblp:Wei Wang 0001``,
  ``dblp:Kenton Lee``); an ``orcid`` attribute gives ``orcid:`` (when its check digit holds). DBLP does
  not split names, so ``given``/``family`` stay empty. A name that a person
  record (``www`` with key ``homepages/...``) lists as another name of a
  person gets that person's id (the record's first name), so DBLP's own
  aliases never split a person; see :func:`person_aliases`.
- ids: ``dblp:<key>``; ``ee`` links to doi.org give ``doi:`` and to
  arxiv.org give ``arxiv:``; a CoRR key or volume (``journals/corr/abs-1312-6168``,
  ``abs/1312.6168``) gives ``arxiv:1312.6168``. ``ee`` links are the ``urls``.
- title: the text of ``title`` with its inline markup (``<i>``, ``<sub>``)
  flattened and DBLP's closing period dropped; venue: ``journal`` or
  ``booktitle`` (``series`` for books); a thesis's ``school`` is its
  author's affiliation.
- the locator is the line where the record starts. A record without a
  title is a problem; XML that is not well-formed stops the read with a
  problem at the line where it broke (the records before it are kept).

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
"""

from __future__ import annotations

import html
import html.entities
import os
import re
import sys
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

_BUILTIN_DTD = "".join(
    f'<!ENTITY {name} "&#{code};">\n' for name, code in sorted(html.entities.name2codepoint.items())
).encode("ascii")


class _EntityResolver(etree.Resolver):
    """Serves DTDs from the input's folder or the built-in entity DTD; loads nothing else."""

    def __init__(self, folder: Path | None):
        super().__init__()
        self.folder = folder
        self.not_a_dtd: str | None = None  # a DTD file beside the input that is something else (a saved error page)

    def resolve(self, system_url, public_id, context):
        name = os.path.basename((system_url or "").replace("\\", "/"))
        if name.lower().endswith(".dtd"):
            if self.folder is not None:
                local = self.folder / name
                if local.is_file():
                    if _looks_like_dtd(local):
                        return self.resolve_filename(str(local), context)
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


class _Prefixed:
    """A stream whose first bytes are replaced (``read`` only, as iterparse needs)."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                data, self._head = self._head + self._rest.read(), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._rest.read(size)


def _with_doctype(stream: BinaryIO) -> tuple[BinaryIO, bytes]:
    """The stream with a DBLP ``DOCTYPE`` added when it has none, and its first bytes (as in the file)."""
    head = original = stream.read(64 * 1024)
    # Only into an ASCII-compatible encoding (UTF-16 and UTF-32 have NUL bytes in their first characters).
    if b"<!DOCTYPE" not in head and b"\x00" not in head[:256]:
        m = _XML_DECL.match(head)
        end = m.end() if m else 0
        # Same line as the declaration: line numbers stay those of the file.
        head = head[:end] + b'<!DOCTYPE dblp SYSTEM "dblp.dtd">' + head[end:]
    return _Prefixed(head, stream), original


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


def alias_map(stream: BinaryIO, *, chunk_size: int = 16 * 1024 * 1024) -> dict[str, str]:
    """Every other name of a person mapped to the person's primary name, from a quick scan.

    A name DBLP lists on a disambiguation page (``publtype="disambiguation"``: the papers written under it
    belong to several people, not yet told apart) maps to :data:`NOT_A_PERSON`: its authors get no ``dblp:``
    id, and the identity engine decides who they are from the evidence, as for any source without ids.

    Scans the raw bytes for person records with more than one ``author``
    (regular expressions over fixed-size chunks: memory stays bounded and a
    5 GB dump takes seconds, where a second XML parse would take minutes).
    Entities are decoded as :func:`html.unescape` does.

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
            names = [_clean(html.unescape(n.decode(encoding, "replace"))) for n in _AUTHOR_TEXT.findall(block[2])]
            names = [n for n in names if n]
            _add_aliases(aliases, names, _DISAMBIGUATION in block[0][:block.start(2) - block.start()])
        start = max(data.rfind(b"<www", done), data.rfind(b"<person", done))
        carry = data[start:] if start >= 0 else data[-16:]
        if len(carry) > chunk_size:  # an unclosed record: give up on it rather than grow
            carry = b""
        data = stream.read(chunk_size)
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


def _author(full: str, orcid: str | None, position: int, aliases: dict[str, str], affiliations=()) -> AuthorRef:
    # A homonym number is four digits after a space: test the last character before the regex.
    m = _HOMONYM.match(full) if full[-1].isdigit() else None
    person = aliases.get(full, full) if aliases else full
    if person == NOT_A_PERSON:  # a name on a disambiguation page: no one's id
        checked = orcid and (o := _ORCID.search(orcid)) and orcid_id(o[1])
        return (m[1] if m else full), ((checked,) if checked else ())
    # Only an ORCID whose check digit holds: a placeholder (0000-0000-0000-0000) would join strangers.
    if orcid and (o := _ORCID.search(orcid)) and (checked := orcid_id(o[1])):
        ids = (f"dblp:{person}", checked)
    else:
        ids = (f"dblp:{person}",)
    return AuthorRef(name=m[1] if m else full, position=position, ids=ids, affiliations=affiliations)


def _values(el, source: str):
    """A paper element's values: (title, ids, year, venue, kind, urls, written authors, school, line), or a Problem."""
    # The hot loop of a 7.5-million-record read: one pass over the children, text handled inline.
    tag = el.tag
    key = el.get("key") or ""
    written: list[tuple[str, str | None]] = []
    title = year_text = journal = booktitle = series = volume = school = None
    ees: list[str] = []
    for child in el:
        ctag = child.tag
        if ctag == "author":
            text = child.text
            if text and (full := " ".join(text.split())):
                written.append((full, child.get("orcid")))
        elif ctag == "title":
            title = _text(child)
        elif ctag == "year":
            year_text = (child.text or "").strip()
        elif ctag == "ee":
            text = child.text
            if text and (url := text.strip()):
                ees.append(url)
        elif ctag in ("pages", "url", "editor", "crossref", "number", "cite", "note", "publisher", "isbn"):
            continue
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
    kind = _KINDS[tag]
    if tag == "article" and (corr or "informal" in (el.get("publtype") or "").split()):
        kind = "preprint"
    # A thesis's school is its one author's affiliation.
    school = school if school and len(written) == 1 else None
    return title, tuple(ids), year, journal or booktitle or series or None, kind, tuple(ees), written, school, line


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


def _record(el, source: str, aliases: dict[str, str]) -> PaperRecord | Problem:
    values = _values(el, source)
    if type(values) is Problem:
        return values
    title, ids, year, venue, kind, urls, written, school, line = values
    school_ref = (AffiliationRef(name=school),) if school else ()
    authors = tuple(_author(full, orcid, i, aliases, school_ref) for i, (full, orcid) in enumerate(written))
    return PaperRecord(
        title=title, ids=ids, year=year, venue=venue, kind=kind, urls=urls, authors=authors,
        source=source, source_format=FORMAT, line=line,
    )  # fmt: skip


def _compact_builder(source: str, shared: dict):
    """A function from a paper element to the record :func:`graphkit.resolve.records.compact` would make of it.

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


    def author(full: str, orcid: str | None, aliases: dict[str, str], affiliations: tuple) -> Author:
        name, ids = _author_values(full, orcid, aliases)
        made = Author(intern(name), None, None, AT_INDEX, tuple(intern(i) for i in ids), affiliations, False)
        return shared.setdefault(made, made)

    def build(el, aliases: dict[str, str]):
        values = _values(el, source)
        if type(values) is Problem:
            return values
        title, ids, year, venue, kind, urls, written, school, line = values
        if school:
            affiliation = Affiliation(intern(school), (), None)
            affiliations = (shared.setdefault(affiliation, affiliation),)
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
        return CompactRecord(
            title, False, tuple(intern(i) for i in ids), year, None, intern(venue) if venue else venue, kinds[kind], None,
            urls, authors, False, (), None, None, None, False, source, fmt, line, None,
        )

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


def _elements(stream: BinaryIO, source: str, *, papers: bool, persons: bool, aliases: dict[str, str], build=None):
    if build is None:
        def build(el, aliases):
            return _record(el, source, aliases)
    folder = Path(source).parent if source else None
    try:
        wrapped, head = _with_doctype(stream)
    except OSError as exc:  # an unreadable stream (a corrupt gzip): one problem, nothing read
        yield Problem(source=source, line=0, message=f"cannot read: {exc}")
        return
    if not head.strip():
        yield Problem(source=source, line=0, message="empty file")
        return
    parser = etree.iterparse(
        wrapped,
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
    found = 0
    try:
        for _, el in parser:
            found += 1
            parent = el.getparent()
            if parent is None:
                continue
            top = el
            while (up := top.getparent()) is not None and up.getparent() is not None:
                top = up
            if el.tag in _PERSONS:
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
                if rec is not None:
                    yield rec
            # Bounded memory: drop this record and everything before it.
            el.clear(keep_tail=False)
            root = top.getparent()
            while top.getprevious() is not None:
                del root[0]
    except etree.XMLSyntaxError as exc:
        message = _clean(str(getattr(exc, "msg", None) or exc))
        line = max(getattr(exc, "lineno", 0) or 0, 0)
        yield Problem(source=source, line=line, message=f"XML not well-formed, reading stopped: {message}")
    except OSError as exc:
        yield Problem(source=source, line=0, message=f"cannot read: {exc}")
    else:
        root = getattr(parser, "root", None)
        tag = root.tag if root is not None and isinstance(root.tag, str) else None
        if not found and tag not in (None, "dblp", "dblpperson"):
            # An arXiv API feed, an OAI-PMH response, a DBLP search result: XML, but not DBLP's
            yield Problem(source=source, line=0, message=(
                f"not DBLP XML (its root element is <{etree.QName(tag).localname}>, not <dblp>); nothing read"))
    if resolver.not_a_dtd is not None:
        yield Problem(source=resolver.not_a_dtd, line=0, message=(
            "not a DTD (no <!ENTITY or <!ELEMENT declarations); read the XML with the HTML entities built in"))


def parse_dblp(stream: BinaryIO, source: str, *, aliases: dict[str, str] | None = None) -> Iterator[PaperRecord | Problem]:
    """Paper records and problems from DBLP XML read from the binary ``stream``.

    ``aliases`` maps other names of a person to the primary name (see
    :func:`alias_map`); when not given and the stream can seek, the stream is
    scanned for them first. Person records met during the read add to it
    either way. Never raises on bad input.
    """
    yield from _papers(stream, source, aliases, None)


def parse_compact(stream: BinaryIO, source: str, *, shared: dict | None = None, aliases: dict[str, str] | None = None,
                  as_of=None) -> Iterator:
    """The compact records a build holds, and problems, from DBLP XML read from ``stream``.

    The same records as :func:`parse_dblp` passed through
    :func:`graphkit.resolve.records.compact` (``shared`` stores equal author
    tuples once), built directly: no pydantic validation, each written name
    made into its author once per read. ``as_of`` is ignored (the profile
    reader's option, accepted for one calling convention).

    >>> import io
    >>> from graphkit.resolve.records import compact
    >>> xml = b'<dblp><article key="journals/x/A1"><author>Wei Wang 0001</author><author>Ana Lee</author><title>T.</title></article></dblp>'
    >>> [rec] = parse_compact(io.BytesIO(xml), "d.xml", shared={})
    >>> rec == compact(next(parse_dblp(io.BytesIO(xml), "d.xml"))), rec.author_names, rec.authors[0].ids
    (True, ('Wei Wang', 'Ana Lee'), ('dblp:Wei Wang 0001',))
    """
    yield from _papers(stream, source, aliases, _compact_builder(source, {} if shared is None else shared))


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
