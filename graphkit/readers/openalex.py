"""OpenAlex works: an API response (one work, or a page with ``results`` and
``meta``), a JSON array of works, or the snapshot's JSON Lines (``.gz`` too).

The snapshot is read line by line (memory stays flat); a single JSON document
(an API response) is read whole, as the API returns at most a few hundred
works a page. Reading rules:

- authors: one per ``authorships`` item, in order; the name is
  ``raw_author_name`` (as the paper writes it), else ``author.display_name``;
  a ``Last, First`` name is split and shown given-first. OpenAlex's
  ``display_name`` (its romanised, given-first name of the person) settles
  what the paper's string leaves open (see :func:`_person`): a paper's name
  written family-first (``Zhang Wei`` beside ``Wei Zhang``) is shown in the
  paper's spelling given-first, with the family name the display name says;
  a paper's name in another script (``李晓明`` beside ``Xiaoming Li``) gives
  way to the display name, the one other sources write;
  ids ``openalex:A...`` from ``author.id`` and a bare ``orcid:`` from
  ``author.orcid`` when its check digit holds. ``is_authors_truncated`` sets ``authors_truncated``.
- per-author affiliations: each of ``institutions`` (display name, ``ror:``
  bare, ``openalex:I...``, ``country_code``); then each raw affiliation
  string OpenAlex matched to no institution (``affiliations`` items with no
  ``institution_ids``; the older ``raw_affiliation_strings`` or
  ``raw_affiliation_string`` when the authorship has no institutions at
  all), by name only; then each raw string OpenAlex matched to one
  institution (see :func:`_raw_of_institution`), with that institution's
  ids and country: the resolver learns it as the institution's alias, so the
  same string in a Scopus address or on a profile page is that institution.
  When ``countries`` holds one country, an affiliation without one gets it.
- ids: ``openalex:W...`` (``id``, ``ids.openalex``), ``doi:`` (``doi``,
  ``ids.doi``; lower case, no URL), ``pmid:`` (``ids.pmid``), ``arxiv:`` from
  an arXiv DOI (``10.48550/arXiv.1810.04805``) or an arXiv landing page among
  the ``locations`` (OpenAlex counts the preprint as the same work).
- ``abstract_inverted_index`` is turned back into text; ``publication_year``
  and ``publication_date``; ``primary_location.source.display_name`` is the
  venue; ``type`` maps onto the vocabulary (``book-chapter`` -> chapter,
  ``dissertation`` -> thesis, ``conference-paper`` or an ``article`` in a
  conference source -> inproceedings, editorials, letters, errata, peer
  reviews, paratext and other short types -> other; a type not listed
  takes the kind of ``type_crossref`` when that is known).
- HTML inline tags are stripped (from titles MathML's too), and character references
  (``&amp;``, ``&#8211;``) decoded, in titles, venues, names and affiliations.
- ``biblio``'s ``volume`` and ``issue``, and its ``first_page``-``last_page``
  as pages.
- nulls are normal: an author without an id, a work without a year or venue
  keep what is there. A work without a title, and an object that is not a
  work (an ``openalex.org/A...`` author), are problems; so is an authorship
  without an author id whose name is an address (see :func:`_address`),
  which is left out.
- the locator is the line for JSON Lines, the 1-based record number for a
  page or array.

>>> import io
>>> work = b'''{"id": "https://openalex.org/W1", "doi": "https://doi.org/10.48550/arXiv.2305.14314",
...  "title": "QLoRA: Efficient Finetuning of Quantized LLMs", "publication_year": 2023, "type": "preprint",
...  "abstract_inverted_index": {"QLoRA": [0], "finetunes": [1], "models.": [3], "quantized": [2]},
...  "authorships": [{"author": {"id": "https://openalex.org/A9", "display_name": "Tim Dettmers", "orcid": null},
...    "institutions": [{"id": "https://openalex.org/I201448701", "display_name": "University of Washington",
...      "ror": "https://ror.org/00cvxb145", "country_code": "US"}], "raw_author_name": "Tim Dettmers"}]}'''
>>> [rec] = parse_openalex(io.BytesIO(work), "w.json")
>>> rec.ids, rec.abstract, rec.kind, rec.record
(('openalex:W1', 'doi:10.48550/arxiv.2305.14314', 'arxiv:2305.14314'), 'QLoRA finetunes quantized models.', 'preprint', 1)
>>> a = rec.authors[0]
>>> a.name, a.ids, a.affiliations[0].ids, a.affiliations[0].country
('Tim Dettmers', ('openalex:A9',), ('ror:00cvxb145', 'openalex:I201448701'), 'US')
"""

from __future__ import annotations

import datetime as _dt
import html
import io
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import BinaryIO

import orjson

from graphkit.keys import doi_text, name_key
from graphkit.models import AffiliationRef, AuthorRef, PaperRecord, Problem
from graphkit.readers._files import bom_encoding, open_input
from graphkit.readers._ids import orcid_id
from graphkit.readers._names import PersonName, split_name
from graphkit.readers._text import JSON_CONTROL, ControlChars, strip_markup

__all__ = [
    "FORMAT",
    "SUFFIXES",
    "abstract_text",
    "parse",
    "parse_openalex",
    "read",
    "read_openalex",
    "sniff",
    "work_record",
]

FORMAT = "openalex"
# A .json may also be CSL-JSON and a .jsonl arXiv metadata: the registry sniffs those apart.
SUFFIXES = (".json", ".jsonl", ".ndjson")

_KINDS = {
    "article": "article", "journal-article": "article", "review": "article",
    "proceedings-article": "inproceedings", "book": "book", "monograph": "book", "edited-book": "book",
    "proceedings": "book", "book-chapter": "chapter", "reference-entry": "chapter", "book-section": "chapter",
    "book-part": "chapter", "dataset": "dataset", "dissertation": "thesis", "preprint": "preprint",
    "posted-content": "preprint", "report": "report",
    # OpenAlex's newer types (its work-types list: conference-paper for a paper in proceedings; book-review,
    # editorial, erratum, letter, libguides, paratext, peer-review, retraction, standard and
    # supplementary-materials are no research papers: other), and Crossref's that OpenAlex's type_crossref holds
    "conference-paper": "inproceedings", "conference-proceedings": "book", "reference-book": "book",
    "report-component": "report", "database": "dataset",
    "book-review": "other", "editorial": "other", "erratum": "other", "letter": "other", "libguides": "other",
    "paratext": "other", "peer-review": "other", "retraction": "other", "standard": "other",
    "supplementary-materials": "other", "other": "other",
}  # fmt: skip
# Any OpenAlex entity id (a work is read; an author, institution or source is refused by name, record by record),
# a work's own keys, or an API page's meta (a page fetched with ``select=`` may hold no id at all).
_SNIFF = re.compile(
    rb'"(?:id|openalex)"\s*:\s*"https://openalex\.org/[WAISCPFT]\d+"|"authorships"\s*:|"abstract_inverted_index"\s*:'
    rb'|"db_response_time_ms"\s*:|"publication_year"\s*:'
)
_OPENALEX_ID = re.compile(r"(?:openalex\.org/)?([WAISCPFT]\d+)$", re.I)
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.I)
_ROR = re.compile(r"(?:ror\.org/)?(0[a-z0-9]{6}\d{2})$", re.I)
_DOI = re.compile(r"(10\.\d{3,9}/\S+)", re.I)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.I)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5}|[a-z-]+/\d{7})", re.I)
_ONE_LINE = re.compile(r"line 1 column")  # a JSON Lines value is one line: the file's line number is given instead
_PMID = re.compile(r"(\d+)/?$")
_VERSION = re.compile(r"v\d+$")
_INLINE_TAGS = re.compile(r"</?(?:i|b|em|strong|sub|sup|scp|span|u|tt|mml:[a-z]+)(?:\s[^<>]*)?>", re.I)


def sniff(head: bytes) -> bool:
    """Whether ``head`` looks like OpenAlex works (an ``https://openalex.org/W`` id, ``authorships``,
    or an inverted abstract); CSL-JSON and arXiv metadata have none of these.

    >>> sniff(b'{"meta": {"count": 1}, "results": [{"id": "https://openalex.org/W2963403868"'), sniff(b'[{"type": "article-journal", "title": "x"}]')
    (True, False)
    """
    encoding, skip = bom_encoding(head)
    if encoding not in (None, "utf-8"):  # UTF-16 from Windows PowerShell's ">"
        head = head[skip:].decode(encoding, "ignore").encode("utf-8")
    return _SNIFF.search(head) is not None


def abstract_text(index: object) -> str | None:
    """The abstract from OpenAlex's inverted index (word -> positions), or None.

    >>> abstract_text({"Attention": [0], "is": [1], "all": [2], "you": [3], "need": [4]})
    'Attention is all you need'
    """
    if not isinstance(index, dict) or not index:
        return None
    placed: dict[int, str] = {}
    for word, positions in index.items():
        if isinstance(word, str) and isinstance(positions, list):
            for p in positions:
                if isinstance(p, int) and 0 <= p < 1_000_000:
                    placed[p] = word
    text = " ".join(placed[p] for p in sorted(placed))
    return " ".join(text.split()) or None


def _str(value: object) -> str | None:
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    return None


def _openalex(value: object) -> str | None:
    if (s := _str(value)) and (m := _OPENALEX_ID.search(s)):
        return "openalex:" + m[1].upper()
    return None


def _doi(value: object) -> str | None:
    if (s := _str(value)) and (m := _DOI.search(s)):
        return "doi:" + doi_text(m[1].rstrip(".,;"))
    return None


def _orcid(value: object) -> str | None:
    # Only an ORCID whose check digit holds: placeholders (0000-0000-0000-0000) would join strangers.
    if (s := _str(value)) and _ORCID.search(s):
        return orcid_id(s)
    return None


def _text(value: object) -> str | None:
    """A display string with HTML character references decoded (``&amp;`` -> ``&``), whitespace folded.

    >>> _text("Smith &amp; Sons &#8211; Lab"), _text("  "), _text(None)
    ('Smith & Sons – Lab', None, None)
    """
    s = _str(value)
    if s and "<" in s:
        s = _str(strip_markup(s))  # tags before references, so an escaped "&lt;i&gt;" stays text
    return _str(html.unescape(s)) if s and "&" in s else s


def _ror(value: object) -> str | None:
    if (s := _str(value)) and (m := _ROR.search(s)):
        return "ror:" + m[1].lower()
    return None


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _institution(inst: dict) -> AffiliationRef | None:
    ids = [i for i in (_ror(inst.get("ror")), _openalex(inst.get("id"))) if i]
    name = _text(inst.get("display_name"))
    if not name and not ids:
        return None
    country = _str(inst.get("country_code"))
    return AffiliationRef(name=name, ids=tuple(ids), country=country.upper() if country else None)


# Words of addresses, not of names: an authorship without an author id whose name holds one is an address.
_ADDRESS_WORD = re.compile(
    r"\b(?:universit\w*|institut\w*|laborat\w*|department|dept\.|facult\w*|hospital|h[ôo]pital|rue|cedex|"
    r"(?:school|college) of|cent(?:re|er) (?:for|of|de)|campus)\b", re.I)


def _address(authorship: dict) -> str | None:
    """The name of an authorship that is an address, not a person, or None: no author id (nor ORCID), and a
    name that starts with a comma or other separator, holds an address's word (``Université``, ``rue``), or
    a comma and a digit (a postcode) (``,LAGEP, Université de Lyon, Lyon, F-69003``: OpenAlex reads some
    older papers' address lines as authors). A number alone is no address (Figshare's ``Tania Azam (64531)``).

    >>> _address({"author": {"id": None, "display_name": ",LAGEP, Université de Lyon, Lyon, F-69003"}})
    ',LAGEP, Université de Lyon, Lyon, F-69003'
    >>> _address({"author": {"id": None, "display_name": "Smith, John"}}), _address({"author": {"id": None, "display_name": "Tania Azam (64531)"}})
    (None, None)
    >>> _address({"author": {"id": "https://openalex.org/A1", "display_name": "Dept. 4, Lyon"}})
    """
    author = _dict(authorship.get("author"))
    if _openalex(author.get("id")) or _orcid(author.get("orcid")):
        return None
    name = _text(authorship.get("raw_author_name")) or _text(author.get("display_name"))
    if not name:
        return None
    if name[0] in ",;:/|-" or _ADDRESS_WORD.search(name) or ("," in name and any(c.isdigit() for c in name)):
        return name
    return None


def _raw_of_institution(authorship: dict, institutions: list[AffiliationRef]) -> list[tuple[str, AffiliationRef]]:
    """The raw affiliation strings OpenAlex matched to one institution, each with that institution.

    An ``affiliations`` item that lists exactly one institution id gives its
    string to that institution; without ``affiliations`` items (older snapshots),
    an authorship with one institution and one raw string gives the string to
    it. A string matched to several institutions, or beside several
    institutions without a list saying which, says nothing: which is whose?

    >>> inst = [_institution({"id": "https://openalex.org/I1", "display_name": "Leiden University", "ror": "https://ror.org/027bh9e22"})]
    >>> [(raw, ref.name) for raw, ref in _raw_of_institution({"raw_affiliation_strings": ["Leiden Univ, Leiden"]}, inst)]
    [('Leiden Univ, Leiden', 'Leiden University')]
    >>> _raw_of_institution({"raw_affiliation_strings": ["Leiden Univ", "Dept Physics"]}, inst)
    []
    >>> [raw for raw, _ in _raw_of_institution({"affiliations": [{"raw_affiliation_string": "Universiteit Leiden",
    ...     "institution_ids": ["https://openalex.org/I1"]}, {"raw_affiliation_string": "X", "institution_ids": ["I1", "I2"]}]}, inst)]
    ['Universiteit Leiden']
    """
    institutions = [a for a in institutions if a.ids]
    if not institutions:
        return []
    out: list[tuple[str, AffiliationRef]] = []
    if items := [i for i in _list(authorship.get("affiliations")) if isinstance(i, dict)]:
        by_id = {i: a for a in institutions for i in a.ids if i.startswith("openalex:")}
        for item in items:
            ids = _list(item.get("institution_ids"))
            if len(ids) == 1 and (ref := by_id.get(_openalex(ids[0]) or "")) is not None:
                if raw := _text(item.get("raw_affiliation_string")):
                    out.append((raw, ref))
        return out
    if len(institutions) != 1:
        return []
    strings = [s for s in _list(authorship.get("raw_affiliation_strings")) if _text(s)]
    if not strings and _text(authorship.get("raw_affiliation_string")):
        strings = [authorship["raw_affiliation_string"]]
    return [(_text(strings[0]), institutions[0])] if len(strings) == 1 else []


def _latin(text: str) -> bool:
    """Whether ``text`` holds a letter of the Latin script (accented and Vietnamese letters too).

    >>> _latin("Nguyễn Văn An"), _latin("李晓明"), _latin("Ли Сяомин"), _latin("")
    (True, False, False, False)
    """
    return any(c.isalpha() and (c <= "\u024f" or "\u1e00" <= c <= "\u1eff" or "\uff21" <= c <= "\uff5a") for c in text)


def _word_key(word: str) -> str:
    """A written word as names are compared: case, accents, dashes and periods ignored (``Min-jun``, ``MINJUN``)."""
    if word.isascii():  # the same as the key below, without its Unicode folding: most names are ASCII
        return word.lower().replace("-", "").replace(".", "").replace(",", "")
    return name_key(word).replace(" ", "")


def _fuller(written: str, display: str) -> str:
    """Of two spellings of one word, the one keeping more (accents, then mixed case); the paper's on a tie."""
    def kept(w: str) -> int:
        return (not w.isascii()) + (not w.isupper() and not w.islower())

    return display if kept(display) > kept(written) else written


@lru_cache(maxsize=1 << 16)  # an author's names repeat on each of their works
def _person(raw: str, display: str) -> PersonName | None:
    """The name of an authorship whose ``raw_author_name`` differs from ``author.display_name``, given-first
    with its parts, or None when the display name settles nothing (the paper's name is read as before).

    - ``raw`` in another script than Latin, ``display`` in Latin letters: the display name, which is the
      form other sources (Scopus, Web of Science, a BibTeX file) write.
    - ``raw`` without a comma that starts with the display name's family name and ends with given names
      that agree with the display's (the same words, or their initials): a family-first name. The paper's
      words are kept, given names first; a word the paper wrote in capitals takes the display's case.

    The display name alone is never taken over a Latin ``raw`` with other words: OpenAlex's author
    clusters can hold another person's occurrence, and the paper's string is then the truer one.

    >>> _person("Zhang Wei", "Wei Zhang"), _person("YAMAMOTO Takeshi", "Takeshi Yamamoto").name
    (PersonName(name='Wei Zhang', given='Wei', family='Zhang'), 'Takeshi Yamamoto')
    >>> _person("李晓明", "Xiaoming Li"), _person("Li X.-M.", "Xiaoming Li")
    (PersonName(name='Xiaoming Li', given='Xiaoming', family='Li'), PersonName(name='X.-M. Li', given='X.-M.', family='Li'))
    >>> _person("Nguyễn Văn Anh", "Anh Van Nguyen")  # the given names in the paper's order, its accents kept
    PersonName(name='Văn Anh Nguyễn', given='Văn Anh', family='Nguyễn')
    >>> _person("Kim Min-jun", "Min-Jun Kim").family, _person("Ludwig van der Maaten", "L. van der Maaten")
    ('Kim', None)
    >>> _person("Li Li", "Li Li"), _person("Zhang Wei", "Hui Chen"), _person("Zhang Wei", "Xin Zhang")
    (None, None, None)
    """
    if not raw.isascii() and not _latin(raw):
        if any(c.isalpha() for c in raw) and _latin(display):
            person = split_name(display)
            return person if person.name else None
        return None
    words, last = raw.split(), display.rsplit(None, 1)[-1]
    if "," in raw or words[-1].lower() == last.lower() or _word_key(words[-1]) == _word_key(last):
        return None  # the paper says which part is the family name, or ends with the display's (J. Smith, John Smith)
    shown = split_name(display)
    if not shown.given or not shown.family:
        return None
    family = shown.family.split()
    k = len(family)
    if len(words) <= k:
        return None
    family_keys = [_word_key(w) for w in family]
    if [_word_key(w) for w in words[:k]] != family_keys or [_word_key(w) for w in words[-k:]] == family_keys:
        return None  # not family-first, or the family name at both ends (Li Li): nothing to settle
    rest, display_given = words[k:], shown.given.split()
    rest_keys, given_keys = [_word_key(w) for w in rest], [_word_key(w) for w in display_given]
    if sorted(rest_keys) != sorted(given_keys) and "".join(rest_keys) != "".join(given_keys) and (
            rest_keys[0][:1] != given_keys[0][:1]):
        return None  # other given names: not the display name's person, or not family-first
    if rest_keys == given_keys:
        rest = [_fuller(w, d) for w, d in zip(rest, display_given)]
    elif sorted(rest_keys) == sorted(given_keys):
        by_key = dict(zip(given_keys, display_given))
        rest = [_fuller(w, by_key[key]) for w, key in zip(rest, rest_keys)]
    given, family_name = " ".join(rest), " ".join(_fuller(w, d) for w, d in zip(words[:k], family))
    return PersonName(f"{given} {family_name}", given, family_name)


def _author(authorship: dict, position: int) -> AuthorRef | None:
    author = _dict(authorship.get("author"))
    name = _text(authorship.get("raw_author_name"))
    display = _text(author.get("display_name"))
    if not name:
        name = display
    if not name or _address(authorship) is not None:
        return None
    given = family = None
    if display and name != display and (person := _person(name, display)) is not None:
        name, given, family = person
    elif "," in name:
        # "Smith, John" as some papers write it: shown given-first so it meets "John Smith".
        person = split_name(name)
        if person.name:
            name, given, family = person
    ids = tuple(i for i in (_openalex(author.get("id")), _orcid(author.get("orcid"))) if i)
    affiliations: list[AffiliationRef] = []
    for inst in _list(authorship.get("institutions")):
        if isinstance(inst, dict) and (ref := _institution(inst)) is not None and ref not in affiliations:
            affiliations.append(ref)
    raw_unmatched = [
        _text(a.get("raw_affiliation_string"))
        for a in _list(authorship.get("affiliations"))
        if isinstance(a, dict) and not _list(a.get("institution_ids"))
    ]
    if not affiliations and "affiliations" not in authorship:
        raw_unmatched = [_text(s) for s in _list(authorship.get("raw_affiliation_strings"))]
        if not raw_unmatched:  # older snapshots: one string per authorship
            raw_unmatched = [_text(authorship.get("raw_affiliation_string"))]
    for raw in raw_unmatched:
        if raw and all(raw != a.name for a in affiliations):
            affiliations.append(AffiliationRef(name=raw))
    for raw, ref in _raw_of_institution(authorship, affiliations):
        if all(raw != a.name for a in affiliations):
            # the string as the paper writes it, with its institution's ids: an alias of that institution
            affiliations.append(AffiliationRef(name=raw, ids=ref.ids, country=ref.country))
    countries = {c.upper() for c in _list(authorship.get("countries")) if isinstance(c, str) and len(c) == 2}
    if len(countries) == 1:
        # One country for the whole authorship: it is the country of each affiliation that lacks one.
        (country,) = countries
        affiliations = [a if a.country else a.model_copy(update={"country": country}) for a in affiliations]
    return AuthorRef(name=name, given=given, family=family, position=position, ids=ids, affiliations=tuple(affiliations))


def _title(work: dict) -> str | None:
    title = _str(work.get("title")) or _str(work.get("display_name"))
    if title and "<" in title:
        title = _str(_INLINE_TAGS.sub("", title))
    # References decoded after the tags are gone, so an escaped "&lt;i&gt;" stays text.
    return _text(title)


def _date(value: object) -> _dt.date | None:
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _paper_ids(work: dict) -> list[str]:
    ids_obj = _dict(work.get("ids"))
    ids: list[str] = []
    for candidate in (
        _openalex(work.get("id")),
        _openalex(ids_obj.get("openalex")),
        _doi(work.get("doi")),
        _doi(ids_obj.get("doi")),
    ):
        if candidate and candidate not in ids:
            ids.append(candidate)
    pmid = ids_obj.get("pmid")
    if isinstance(pmid, (str, int)) and not isinstance(pmid, bool) and (m := _PMID.search(str(pmid).strip())):
        ids.append(f"pmid:{m[1]}")
    arxiv: list[str] = []
    for i in ids:
        if i.startswith("doi:") and (m := _ARXIV_DOI.match(i[4:])):
            arxiv.append(_VERSION.sub("", m[1]))
    for loc in [work.get("primary_location"), *_list(work.get("locations"))]:
        for url in (_str(_dict(loc).get("landing_page_url")), _str(_dict(loc).get("pdf_url"))):
            if url and (m := _ARXIV_URL.search(url)):
                arxiv.append(m[1].lower())
    for a in arxiv:
        if f"arxiv:{a}" not in ids:
            ids.append(f"arxiv:{a}")
    return ids


def _kind(work: dict) -> str | None:
    """The kind of a work's ``type``; a type this reader does not know takes the kind of ``type_crossref``
    when that is one it knows, else ``other``.

    >>> _kind({"type": "conference-paper"}), _kind({"type": "paratext"}), _kind({"type": "novel-type", "type_crossref": "proceedings-article"})
    ('inproceedings', 'other', 'inproceedings')
    """
    raw = _str(work.get("type"))
    if raw is None:
        return None
    kind = _KINDS.get(raw.lower()) or _KINDS.get((_str(work.get("type_crossref")) or "").lower(), "other")
    source = _dict(_dict(work.get("primary_location")).get("source"))
    if kind == "article" and _str(source.get("type")) == "conference":
        kind = "inproceedings"
    return kind


def _urls(work: dict) -> tuple[str, ...]:
    urls: list[str] = []
    for loc in [work.get("primary_location"), *_list(work.get("locations"))]:
        url = _str(_dict(loc).get("landing_page_url"))
        if url and url not in urls:
            urls.append(url)
    return tuple(urls)


def work_record(work: dict, source: str, *, line: int = 0, record: int | None = None) -> PaperRecord | Problem:
    """One OpenAlex work object as a record (or a problem when it has no title)."""
    openalex_id = _openalex(work.get("id"))
    if openalex_id and not openalex_id.startswith("openalex:W"):
        # An author, institution or source object (a page of another entity): not a work.
        return Problem(source=source, line=line, record=record, message=f"OpenAlex {openalex_id}: not a work")
    title = _title(work)
    if not title:
        return Problem(source=source, line=line, record=record, message=f"OpenAlex {openalex_id or 'work'}: no title")
    authors: list[AuthorRef] = []
    for authorship in _list(work.get("authorships")):
        if isinstance(authorship, dict) and (a := _author(authorship, len(authors))) is not None:
            authors.append(a)
    year = work.get("publication_year")
    date = _date(work.get("publication_date"))
    # host_venue: the field older API responses and snapshots have instead of primary_location.
    source_obj = _dict(_dict(work.get("primary_location")).get("source")) or _dict(work.get("host_venue"))
    biblio = _dict(work.get("biblio"))
    first, last = _number(biblio.get("first_page")), _number(biblio.get("last_page"))
    return PaperRecord(
        title=title,
        ids=tuple(_paper_ids(work)),
        year=year if isinstance(year, int) and not isinstance(year, bool) and 0 < year < 10000 else (date.year if date else None),
        date=date,
        venue=_text(source_obj.get("display_name")),
        kind=_kind(work),
        abstract=abstract_text(work.get("abstract_inverted_index")),
        urls=_urls(work),
        authors=tuple(authors),
        authors_truncated=work.get("is_authors_truncated") is True,
        source=source,
        source_format=FORMAT,
        line=line,
        record=record,
        volume=_number(biblio.get("volume")),
        issue=_number(biblio.get("issue")),
        pages=f"{first}-{last}" if first and last and last != first else first or last,
    )


def _number(value: object) -> str | None:
    """A ``biblio`` value as written (OpenAlex writes strings; a number is taken as its digits)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _str(value)


def _safe(work: object, source: str, *, line: int = 0, record: int | None = None) -> PaperRecord | Problem:
    if not isinstance(work, dict):
        return Problem(source=source, line=line, record=record, message="not an OpenAlex work object")
    try:
        return work_record(work, source, line=line, record=record)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        # A field of an unexpected shape: this work is reported, the rest proceed.
        return Problem(source=source, line=line, record=record, message=f"unreadable OpenAlex work ({exc.__class__.__name__})")


def _bad_orcids(work: object, source: str, *, line: int, record: int | None) -> Iterator[Problem]:
    """A problem for each author ORCID that fails its check digit (left off the author, not silently), and for each
    authorship that names nobody or is an address (left out)."""
    if not isinstance(work, dict) or not _title(work):  # a work without a title is one problem already
        return
    year = work.get("publication_year")
    if year is not None and not (isinstance(year, int) and not isinstance(year, bool) and 0 < year < 10000):
        dated = _date(work.get("publication_date"))
        yield Problem(source=source, line=line, record=record, message=(
            f"publication_year {_shown(year)} is not a year; read "
            f"{'the year of publication_date' if dated else 'without a year'}"))
    authorships = work.get("authorships")
    if authorships is not None and not isinstance(authorships, list):
        yield Problem(source=source, line=line, record=record, message=(
            f"authorships is {_shown(authorships)}, not a list; no authors read, the work kept without them"))
    for number, authorship in enumerate(_list(authorships), 1):
        if not isinstance(authorship, dict) or not (_text(authorship.get("raw_author_name"))
                                                    or _text(_dict(authorship.get("author")).get("display_name"))):
            yield Problem(source=source, line=line, record=record,
                          message=f"authorship {number} names no author (no display_name or raw_author_name); left out")
            continue
        if (address := _address(authorship)) is not None:
            yield Problem(source=source, line=line, record=record, message=(
                f"authorship {number} has no author id and its name {address!r} is an address, not a person; left out"))
            continue
        author = _dict(authorship.get("author"))
        value = author.get("orcid")
        if isinstance(value, str) and value.strip() and _orcid(value) is None:
            who = _text(author.get("display_name")) or _text(authorship.get("raw_author_name")) or "an author"
            yield Problem(source=source, line=line, record=record,
                          message=f"ORCID {value.strip()!r} of {who!r} fails its check digit; not used")


def _shown(value: object) -> str:
    """A JSON value for a problem, at most 40 characters.

    >>> _shown("20x0"), _shown(True), _shown({"a": 1})
    ("'20x0'", 'true', 'an object')
    """
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return "an object" if isinstance(value, dict) else "a list" if isinstance(value, list) else "null"


def _document(obj: object, source: str, *, line: int = 0) -> Iterator[PaperRecord | Problem]:
    """The works of one parsed JSON value: a work, a page with ``results``, or a list of works.

    A list with no object in it (a JSON Lines line ``[1, 2, 3]``) is one problem, not one per value.
    """
    if isinstance(obj, list) and obj and not any(isinstance(work, dict) for work in obj):
        obj = None  # not a list of works: said once, below
    if isinstance(obj, dict) and isinstance(obj.get("results"), list):
        for i, work in enumerate(obj["results"], 1):
            yield _safe(work, source, line=line, record=i)
            yield from _bad_orcids(work, source, line=line, record=i)
    elif isinstance(obj, list):
        for i, work in enumerate(obj, 1):
            yield _safe(work, source, line=line, record=i)
            yield from _bad_orcids(work, source, line=line, record=i)
    elif isinstance(obj, dict):
        yield _safe(obj, source, line=line, record=None if line else 1)
        yield from _bad_orcids(obj, source, line=line, record=None if line else 1)
    else:
        yield Problem(source=source, line=line, message="not an OpenAlex work, page of results or list of works")


def _loads(raw: bytes) -> tuple[object, bool]:
    """Parsed JSON and whether bytes that are not UTF-8 had to be replaced; raises JSONDecodeError."""
    try:
        return orjson.loads(raw), False
    except orjson.JSONDecodeError:
        text = raw.decode("utf-8", "replace")
        if "\ufffd" not in text:
            raise
        return orjson.loads(text), True


def parse_openalex(stream: BinaryIO, source: str) -> Iterator[PaperRecord | Problem]:
    """Records and problems from OpenAlex works read from the binary ``stream``.

    JSON Lines when the first line is a whole JSON value, else one JSON
    document. Never raises on bad input.
    """
    first = stream.readline()
    encoding, skip = bom_encoding(first[:4])
    if encoding not in (None, "utf-8"):  # UTF-16 or UTF-32 (Windows PowerShell's ">"): read as its UTF-8 text
        try:
            text = (first + stream.read())[skip:].decode(encoding)
        except UnicodeDecodeError as exc:
            yield Problem(source=source, line=0, message=f"not valid {encoding.upper()} text ({exc.reason} at byte {exc.start + skip})")
            return
        stream = io.BytesIO(text.encode("utf-8"))
        first, skip = stream.readline(), 0
    first = first[skip:]
    line_no = 1
    skipped = b""  # blank lines before the first value, kept for a whole-document read
    while first and not first.strip():
        skipped += first
        first = stream.readline()
        line_no += 1
    if not first:
        return
    try:
        obj, replaced = _loads(first)
        lines_mode = True
    except orjson.JSONDecodeError:
        lines_mode = False
    if not lines_mode:
        # One (pretty-printed) document: an API response, read whole.
        data = skipped + first + stream.read()
        try:
            obj, replaced = _loads(data)
        except orjson.JSONDecodeError as exc:
            yield Problem(source=source, line=0, message=f"not JSON or JSON Lines ({exc})")
            return
        if replaced:
            yield Problem(source=source, line=0, message="bytes that are not UTF-8 replaced")
        controls = ControlChars(source)
        if b"\\u00" in data and JSON_CONTROL.search(data) is not None:  # "\u0000" in a title: dropped, reported
            controls.note_json(data)
            obj = ControlChars(source).drop_json(0, obj)
        yield from _document(obj, source)
        if (problem := controls.problem()) is not None:
            yield problem
        return
    raw = first
    controls = ControlChars(source)
    while True:
        if raw.strip():
            try:
                obj, replaced = _loads(raw)
            except orjson.JSONDecodeError as exc:
                yield Problem(source=source, line=line_no, message=f"not a JSON value ({_ONE_LINE.sub('column', str(exc))})")
            else:
                if replaced:
                    yield Problem(source=source, line=line_no, message="bytes that are not UTF-8 replaced")
                if b"\\u00" in raw and JSON_CONTROL.search(raw) is not None:  # "\u0000" in a title: dropped, reported
                    obj = controls.drop_json(line_no, obj)
                yield from _document(obj, source, line=line_no)
        raw = stream.readline()
        if not raw:
            break
        line_no += 1
    if (problem := controls.problem()) is not None:
        yield problem


def read_openalex(path) -> Iterator[PaperRecord | Problem]:
    """Records and problems from the OpenAlex file at ``path`` (``.gz`` read transparently)."""
    with open_input(path) as stream:
        yield from parse_openalex(stream, str(path))


parse = parse_openalex
read = read_openalex
