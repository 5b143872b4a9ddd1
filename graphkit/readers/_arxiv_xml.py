"""arXiv metadata as XML: the arXiv API's Atom feed and OAI-PMH responses from ``export.arxiv.org/oai2``.

:func:`graphkit.readers.arxiv.parse` hands a stream here when its first
character is ``<``. Every form gives the record the JSON Lines snapshot gives
for the same paper (:func:`graphkit.readers.arxiv._paper` builds both):

- the API's Atom feed (``export.arxiv.org/api/query``): one ``entry`` a paper.
  The id is the ``id`` URL's arXiv id without its version; the date is
  ``published`` (the first version's); ``arxiv:doi``, else a ``link`` titled
  ``doi``; ``arxiv:journal_ref`` is the venue; ``arxiv:primary_category``
  (else the first ``category``) the category. An author is one ``name`` (the
  feed does not split names, so ``given``/``family`` stay empty) with its
  ``arxiv:affiliation`` elements. An error feed's entry (id
  ``http://arxiv.org/api/errors#...``) is a problem carrying its message.
- OAI-PMH ``ListRecords`` and ``GetRecord`` responses, one ``record`` a
  paper, in the metadata formats arXiv offers: ``arXiv`` (``keyname``,
  ``forenames`` and ``suffix`` separated, ``affiliation`` elements;
  ``created`` is the first version's date), ``arXivRaw`` (``authors`` as one
  string, read as the snapshot's ``authors`` string is, inline and numbered
  affiliations included, so that its authors are those of the snapshot's
  ``authors_parsed``; a string that cannot be read whole is a problem at the
  record's line; the date of the ``v1`` ``version``) and ``oai_dc``
  (``dc:creator`` as ``Last, First``; the earliest ``dc:date``; the
  ``dc:identifier`` that is an abs URL gives the id, one that is a DOI the
  DOI; the first ``dc:description`` not starting ``Comment:`` is the
  abstract; Dublin Core has no category or journal reference). A record marked deleted (``<header status="deleted">``) is no
  paper and is skipped; a ``resumptionToken`` is ignored (the file is the
  one page it holds); an OAI-PMH ``error`` is a problem. An ``arXiv`` or
  ``arXivRaw`` metadata record on its own (as harvesters save them) is read
  as well.

Mojibake in the text (UTF-8 read as Windows-1252 or Latin-1 upstream) is
repaired as in the JSON Lines and reported the same way, one problem for the
file. The locator is the line where the ``entry`` or ``record`` starts. The parse
is streamed (each record is dropped once read) and safe: no external DTD or
entity is loaded and nothing is fetched from the network; a ``DOCTYPE``'s own
entities expand within libxml2's amplification limit (lxml's defaults).
XML that is not well-formed stops the read with a problem at the line where
it broke; the records before it are kept.

>>> import io
>>> feed = b'''<?xml version="1.0" encoding="UTF-8"?>
... <feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
...   <id>http://arxiv.org/api/0F2pJ3u1aRl9LQfUeb1Iv0BT5OU</id>
...   <entry>
...     <id>http://arxiv.org/abs/hep-th/9711200v3</id>
...     <updated>1998-01-22T18:22:42Z</updated>
...     <published>1997-11-27T20:39:54Z</published>
...     <title>The Large N Limit of Superconformal Field Theories and Supergravity</title>
...     <summary>  We show that the large $N$ limit of certain conformal field theories.</summary>
...     <author><name>Juan M. Maldacena</name><arxiv:affiliation>Harvard University</arxiv:affiliation></author>
...     <arxiv:doi>10.1023/A:1026654312961</arxiv:doi>
...     <arxiv:journal_ref>Adv.Theor.Math.Phys.2:231-252,1998</arxiv:journal_ref>
...     <arxiv:primary_category term="hep-th"/>
...   </entry>
... </feed>'''
>>> [rec] = parse_xml(io.BytesIO(feed), "query.xml")
>>> rec.ids, rec.date.isoformat(), rec.venue, rec.kind, rec.category, rec.line
(('arxiv:hep-th/9711200', 'doi:10.1023/a:1026654312961'), '1997-11-27', 'Adv.Theor.Math.Phys.2:231-252,1998', 'article', 'hep-th', 4)
>>> rec.authors[0].name, rec.authors[0].affiliations[0].name
('Juan M. Maldacena', 'Harvard University')
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import unquote

from lxml import etree

from graphkit.models import AffiliationRef, AuthorRef, PaperRecord, Problem
from graphkit.readers._names import is_etal
from graphkit.readers.arxiv import (
    _HYPHEN_INITIAL,
    _arxiv_id,
    _clean,
    _demojibake,
    _etal_parts,
    _first_version_date,
    _paper,
    _Repairs,
    _split_author,
    _string_authors,
    _unglued,
    _with_problem,
)

__all__ = ["parse_xml"]

ATOM = "http://www.w3.org/2005/Atom"
ARXIV_ATOM = "http://arxiv.org/schemas/atom"
OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_ARXIV = "http://arxiv.org/OAI/arXiv/"
OAI_RAW = "http://arxiv.org/OAI/arXivRaw/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"

_ENTRY = f"{{{ATOM}}}entry"
_RECORD = f"{{{OAI}}}record"
_ERROR = f"{{{OAI}}}error"
_METADATA = (f"{{{OAI_ARXIV}}}arXiv", f"{{{OAI_RAW}}}arXivRaw", f"{{{OAI_DC}}}dc")
_ROOTS = ("feed", "entry", "OAI-PMH", "arXiv", "arXivRaw", "dc")

_ABS_URL = re.compile(r"^https?://(?:www\.|export\.)?arxiv\.org/abs/(\S+?)/?$", re.I)
_OAI_ID = re.compile(r"^oai:arXiv\.org:(\S+)$", re.I)
_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{3,9}/\S+)$", re.I)
_API_ERROR = "http://arxiv.org/api/errors"


class _NoExternal(etree.Resolver):
    """Any external entity or DTD (a file, a URL) reads as empty: nothing is ever loaded."""

    def resolve(self, system_url, public_id, context):
        return self.resolve_string(b"", context)


def _text(el, path: str) -> str | None:
    found = el.find(path)
    return _joined(found)


def _joined(el) -> str | None:
    if el is None:
        return None
    text = "".join(el.itertext())
    return text if text.strip() else None


def _iso(raw: str | None) -> _dt.date | None:
    if not raw:
        return None
    try:
        return _dt.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        return None


def _affiliations(els) -> tuple[AffiliationRef, ...]:
    names = (_clean(t) for t in map(_joined, els) if t)
    return tuple(AffiliationRef(name=n) for n in dict.fromkeys(names) if n)


def _id_from(raw: str | None, pattern: re.Pattern) -> str | None:
    m = pattern.match(raw.strip()) if raw else None
    return _arxiv_id(m[1]) if m else None


# -- the arXiv API's Atom feed ----------------------------------------------------------------------


def _atom_authors(entry) -> tuple[list[AuthorRef], bool]:
    authors: list[AuthorRef] = []
    truncated = False
    for el in entry.iterfind(f"{{{ATOM}}}author"):
        raw = _text(el, f"{{{ATOM}}}name")
        if raw is None:
            continue
        name = _clean(raw)
        if is_etal(name):
            truncated = True
            continue
        collaborations: list[str] = []
        if (parts := _etal_parts(name)) is not None:  # "B. Jones et al.": the list is cut short there
            (name, *collaborations), truncated = parts, True
        if " -" in name:
            name = _HYPHEN_INITIAL.sub(".-", name)
        affiliations = _affiliations(el.iterfind(f"{{{ARXIV_ATOM}}}affiliation"))
        authors.append(AuthorRef(name=name, position=len(authors), affiliations=affiliations))
        for collaboration in collaborations:  # "... et al. for the CMS Collaboration": an author, as when listed
            authors.append(AuthorRef(name=collaboration, position=len(authors)))
    return authors, truncated


def _atom_entry(entry, source: str) -> PaperRecord | Problem:
    line = entry.sourceline or 0
    raw_id = (_text(entry, f"{{{ATOM}}}id") or "").strip()
    if raw_id.startswith(_API_ERROR):
        message = _clean(_text(entry, f"{{{ATOM}}}summary") or raw_id.partition("#")[2] or "no message")
        return Problem(source=source, line=line, message=f"arXiv API error: {message}")
    arxiv_id = _id_from(raw_id, _ABS_URL)
    if arxiv_id is None:
        return Problem(source=source, line=line, message=f"Atom entry without an arXiv id ({raw_id or 'no id'})")
    doi = _text(entry, f"{{{ARXIV_ATOM}}}doi")
    if doi is None:
        links = (link.get("href") or "" for link in entry.iterfind(f"{{{ATOM}}}link") if link.get("title") == "doi")
        doi = " ".join(m[1] for m in (_DOI.match(unquote(h.strip())) for h in links) if m) or None
    primary = entry.find(f"{{{ARXIV_ATOM}}}primary_category")
    category = primary.get("term") if primary is not None else None
    if not category:
        first = entry.find(f"{{{ATOM}}}category")
        category = first.get("term") if first is not None else None
    authors, truncated = _atom_authors(entry)
    return _paper(
        arxiv_id, _text(entry, f"{{{ATOM}}}title"), doi=doi, first=_iso(_text(entry, f"{{{ATOM}}}published")),
        updated=_iso(_text(entry, f"{{{ATOM}}}updated")), journal=_text(entry, f"{{{ARXIV_ATOM}}}journal_ref"),
        categories=category, abstract=_text(entry, f"{{{ATOM}}}summary"), authors=authors, truncated=truncated,
        source=source, line=line,
    )


# -- OAI-PMH metadata formats ------------------------------------------------------------------------


def _oai_arxiv(meta, header_id: str | None, source: str, line: int) -> PaperRecord | Problem:
    ns = f"{{{OAI_ARXIV}}}"
    arxiv_id = _arxiv_id(_text(meta, f"{ns}id")) or header_id
    if arxiv_id is None:
        return Problem(source=source, line=line, message="arXiv record without an id")
    authors: list[AuthorRef] = []
    truncated = False
    notes: list[Problem] = []  # an author the record does not name in full, said at its line
    number = 0
    for number, el in enumerate(meta.iterfind(f"{ns}authors/{ns}author"), 1):
        family, given, suffix = (_text(el, f"{ns}{part}") or "" for part in ("keyname", "forenames", "suffix"))
        if is_etal(f"{given} {family}") or is_etal(f"{family} {given}"):
            truncated = True
            continue
        if (unglued := _unglued(family, given)) is not None:  # keyname "al.", forenames "B. Jones et"
            (family, given), truncated = unglued, True
        author = _split_author(family, given, suffix, len(authors), _affiliations(el.iterfind(f"{ns}affiliation")))
        if author is not None:
            authors.append(author)
        if author is None or not family.strip():
            what = f"has no <keyname> (family name); read as {author.name!r}" if author is not None else "names nobody; left out"
            notes.append(Problem(source=source, line=el.sourceline or line, message=f"arXiv {arxiv_id}: author {number} {what}"))
    rec = _paper(
        arxiv_id, _text(meta, f"{ns}title"), doi=_text(meta, f"{ns}doi"), first=_iso(_text(meta, f"{ns}created")),
        updated=_iso(_text(meta, f"{ns}updated")), journal=_text(meta, f"{ns}journal-ref"),
        categories=_text(meta, f"{ns}categories"), abstract=_text(meta, f"{ns}abstract"), authors=authors,
        truncated=truncated, source=source, line=line,
    )
    return _said(rec, notes, arxiv_id, "<authors>" if not number else None, source, line)


def _said(rec: PaperRecord | Problem, notes: list[Problem], arxiv_id: str, missing: str | None, source: str,
          line: int) -> PaperRecord | Problem | list[PaperRecord | Problem]:
    """A record and the problems met reading its authors; ``missing`` names the element of authors the record
    lacks (None: it has one): it is kept without authors, as the other readers keep a record that names none."""
    if type(rec) is Problem:  # no title: one problem for the record
        return rec
    if missing is not None and not rec.authors:
        notes = [*notes, Problem(source=source, line=line, message=f"arXiv {arxiv_id}: no authors (no {missing}); kept without authors")]
    return [rec, *notes] if notes else rec


def _oai_raw(meta, header_id: str | None, source: str, line: int) -> PaperRecord | Problem | list[PaperRecord | Problem]:
    ns = f"{{{OAI_RAW}}}"
    arxiv_id = _arxiv_id(_text(meta, f"{ns}id")) or header_id
    if arxiv_id is None:
        return Problem(source=source, line=line, message="arXiv record without an id")
    versions = list(meta.iterfind(f"{ns}version"))
    first = next((v for v in versions if v.get("version") == "v1"), versions[0] if versions else None)
    created = _text(first, f"{ns}date") if first is not None else None
    last = _text(versions[-1], f"{ns}date") if versions else None
    raw_authors = _text(meta, f"{ns}authors")
    authors, truncated, problem = _string_authors(raw_authors) if raw_authors else ([], False, None)
    rec = _paper(
        arxiv_id, _text(meta, f"{ns}title"), doi=_text(meta, f"{ns}doi"),
        first=_first_version_date([{"created": created}]), updated=_first_version_date([{"created": last}]),
        journal=_text(meta, f"{ns}journal-ref"), categories=_text(meta, f"{ns}categories"),
        abstract=_text(meta, f"{ns}abstract"), authors=authors, truncated=truncated, source=source, line=line,
    )
    if problem is None and not (raw_authors or "").strip():
        return _said(rec, [], arxiv_id, "<authors>", source, line)
    return _with_problem(rec, problem, arxiv_id, source, line)


def _oai_dc(meta, header_id: str | None, source: str, line: int) -> PaperRecord | Problem:
    ns = f"{{{DC}}}"
    arxiv_id, dois = None, []
    for raw in (t.strip() for t in map(_joined, meta.iterfind(f"{ns}identifier")) if t):
        if arxiv_id is None and (found := _id_from(raw, _ABS_URL)):
            arxiv_id = found
        elif m := _DOI.match(raw):
            dois.append(m[1])
    arxiv_id = arxiv_id or header_id
    if arxiv_id is None:
        return Problem(source=source, line=line, message="arXiv record without an id")
    authors: list[AuthorRef] = []
    truncated = False
    for raw in filter(None, map(_joined, meta.iterfind(f"{ns}creator"))):
        family, _, rest = raw.partition(",")
        given, _, suffix = rest.partition(",")
        if is_etal(raw) or is_etal(f"{given} {family}"):
            truncated = True
            continue
        if (unglued := _unglued(family, given)) is not None:  # "Jones et al., B."
            (family, given), truncated = unglued, True
        if (author := _split_author(family, given, suffix, len(authors))) is not None:
            authors.append(author)
    dates = sorted(d for d in (_iso(t) for t in map(_joined, meta.iterfind(f"{ns}date"))) if d)
    descriptions = (t for t in map(_joined, meta.iterfind(f"{ns}description")) if t)
    abstract = next((t for t in descriptions if not t.lstrip().startswith("Comment:")), None)
    rec = _paper(
        arxiv_id, _text(meta, f"{ns}title"), doi=" ".join(dois) or None, first=dates[0] if dates else None,
        updated=dates[-1] if dates else None, journal=None, categories=None, abstract=abstract, authors=authors,
        truncated=truncated, source=source, line=line,
    )
    return _said(rec, [], arxiv_id, None if truncated else "<dc:creator>", source, line)


_FORMATS = {_METADATA[0]: _oai_arxiv, _METADATA[1]: _oai_raw, _METADATA[2]: _oai_dc}


def _oai_record(record, source: str) -> PaperRecord | Problem | list[PaperRecord | Problem] | None:
    line = record.sourceline or 0
    header = record.find(f"{{{OAI}}}header")
    if header is not None and header.get("status") == "deleted":
        return None  # withdrawn from the repository: not a paper
    identifier = (_text(header, f"{{{OAI}}}identifier") or "").strip() if header is not None else ""
    metadata = record.find(f"{{{OAI}}}metadata")
    meta = next(iter(metadata), None) if metadata is not None else None
    if meta is None:
        return Problem(source=source, line=line, message=f"OAI-PMH record {identifier or '(no identifier)'}: no metadata")
    read = _FORMATS.get(meta.tag)
    if read is None:
        name = etree.QName(meta).localname
        return Problem(source=source, line=line, message=(
            f"OAI-PMH record {identifier or '(no identifier)'}: metadata format <{name}> not read (arXiv, arXivRaw, oai_dc are)"))
    return read(meta, _id_from(identifier, _OAI_ID), source, line)


# -- the stream -------------------------------------------------------------------------------------


def _demojibake_element(el) -> tuple[str, str] | None:
    """Repairs the mojibake in the text of ``el`` and its descendants, in place; the first string repaired and its repair."""
    first = None
    for node in el.iter():
        text = node.text
        if text and not text.isascii() and (fixed := _demojibake(text)) != text:
            node.text = fixed
            first = first or (text, fixed)
        tail = node.tail
        if node is not el and tail and not tail.isascii() and (fixed := _demojibake(tail)) != tail:
            node.tail = fixed
            first = first or (tail, fixed)
    return first


def _drop(el) -> None:
    """Bounded memory: forget this element and everything before it."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def parse_xml(stream: BinaryIO, source: str) -> Iterator[PaperRecord | Problem]:
    """Records and problems from an arXiv API feed or OAI-PMH response read from the binary ``stream``.

    Never raises on bad input: a bad record is a :class:`~graphkit.models.Problem`
    naming ``source`` and its line; XML that is not well-formed ends the read with one.
    """
    parser = etree.iterparse(
        stream,
        events=("end",),
        tag=(_ENTRY, _RECORD, _ERROR, *_METADATA),
        load_dtd=False,
        no_network=True,
        # lxml's default: a DOCTYPE's internal entities are expanded (libxml2 caps their amplification: no
        # billion laughs) and no external one is ever loaded (a reference to one is an error, not a file read)
        resolve_entities="internal",
        remove_comments=True,
        remove_pis=True,
    )
    parser.resolvers.add(_NoExternal())
    found = 0
    repairs = _Repairs()
    try:
        for _, el in parser:
            tag = el.tag
            if tag in _METADATA and el.getparent() is not None:
                continue  # read with its record, whose header comes with it
            found += 1
            line = el.sourceline or 0
            if (repaired := _demojibake_element(el)) is not None:
                repairs.note(line, *repaired)
            try:
                if tag == _ENTRY:
                    rec = _atom_entry(el, source)
                elif tag == _RECORD:
                    rec = _oai_record(el, source)
                elif tag == _ERROR:
                    code = f" {el.get('code')}" if el.get("code") else ""
                    rec = Problem(source=source, line=line, message=f"OAI-PMH error{code}: {_clean(_joined(el) or 'no message')}")
                else:  # one metadata record on its own
                    rec = _FORMATS[tag](el, None, source, line)
            except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
                rec = Problem(source=source, line=line, message=f"unreadable arXiv record ({exc.__class__.__name__})")
            if isinstance(rec, list):  # a record and the problem met reading it
                yield from rec
            elif rec is not None:
                yield rec
            _drop(el)
    except etree.XMLSyntaxError as exc:
        # This parse's own log (the exception's also holds earlier parses' errors): where libxml2 first failed.
        errors = parser.error_log.filter_from_errors()
        error = errors[0] if len(errors) else None
        message = " ".join((error.message if error is not None else str(exc)).split())
        line = max((error.line if error is not None else 0) or getattr(exc, "lineno", 0) or 0, 0)
        if (problem := repairs.problem(source)) is not None:
            yield problem
        yield Problem(source=source, line=line, message=f"XML not well-formed, reading stopped: {message}")
        return
    if (problem := repairs.problem(source)) is not None:
        yield problem
    root = getattr(parser, "root", None)
    name = etree.QName(root).localname if root is not None and isinstance(root.tag, str) else None
    if not found and name == "OAI-PMH":
        request = root.find(f"{{{OAI}}}request")
        verb = request.get("verb") if request is not None else None
        yield Problem(source=source, line=0, message=(
            f"OAI-PMH response without records ({verb or 'no verb'}); nothing read (ListRecords and GetRecord hold papers)"))
    elif not found and name not in _ROOTS:
        yield Problem(source=source, line=0, message=(
            f"not arXiv XML (its root element is <{name}>, not the API's <feed> or an OAI-PMH response); nothing read"))
