"""Typed records passed between pipeline stages.

Records are source-neutral: every reader (profile pages, BibTeX, RIS,
CSL-JSON, arXiv, DBLP, OpenAlex, Scopus, Web of Science) emits the same
:class:`PaperRecord` whose authors are :class:`AuthorRef` and whose
affiliations are :class:`AffiliationRef`. Facts only one source has (a
profile card's score, code flag and category; the page owner) are optional
fields that only that reader fills.

Records are strict and frozen: a stage never mutates what it was given, and a
field of the wrong type is a bug caught where it happens, not three stages
later. For convenience an author or affiliation may be given as a plain
string; it becomes a ref with that name (authors numbered in order):

>>> rec = PaperRecord(title="T", authors=("Ada Lovelace", "Charles Babbage"), institutions=("cmu",), source="x.bib")
>>> [(a.name, a.position) for a in rec.authors], rec.institutions[0].name
([('Ada Lovelace', 0), ('Charles Babbage', 1)], 'cmu')
>>> rec.author_names
('Ada Lovelace', 'Charles Babbage')
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["AffiliationRef", "AuthorRef", "Layout", "PageResult", "PaperRecord", "Problem", "Profile"]

Layout = Literal["listing", "by-year"]

_STRICT = ConfigDict(frozen=True, extra="forbid", strict=True)


class Problem(BaseModel):
    """Something in an input that could not be read as expected.

    ``line`` is 1-based; 0 means the problem concerns the whole file (or the
    line is unknown). ``record`` is the 1-based record number for formats
    whose records are not lines (a JSON array, an XML element), else None.

    >>> str(Problem(source="a.bib", line=3, message="no title"))
    'a.bib:3: no title'
    >>> str(Problem(source="w.json", line=0, record=2, message="no title"))
    'w.json: record 2: no title'
    """

    model_config = _STRICT

    source: str
    line: int = Field(ge=0)
    message: str
    record: int | None = None

    def __str__(self) -> str:
        where = self.source
        if self.line:
            where += f":{self.line}"
        if self.record is not None:
            where += f": record {self.record}"
        return f"{where}: {self.message}"


class Profile(BaseModel):
    """The researcher a profile page is about, with the metrics it shows.

    A metric the page does not show is ``None``, never 0.
    """

    model_config = _STRICT

    name: str
    primary_category: str | None = None
    h_index: int | None = None
    paper_count: int | None = None
    citations: int | None = None
    novelty: float | None = None
    ai_score: float | None = None
    layout: Layout
    source: str


class AffiliationRef(BaseModel):
    """An institution as one source writes it for a paper or one author of it.

    ``name`` is as written (a profile slug such as ``cmu``, a full address
    line from Scopus or Web of Science, an OpenAlex display name); ``ids``
    are ``scheme:value`` (``ror:03dbr7087``, ``openalex:I97018004``);
    ``country`` an ISO 3166 code when the source gives one.
    """

    model_config = _STRICT

    name: str | None = None
    ids: tuple[str, ...] = ()
    country: str | None = None


class AuthorRef(BaseModel):
    """One author of one paper as one source shows them.

    ``name`` is the name as written (LaTeX decoded); ``given`` and ``family``
    are filled where the source separates them (BibTeX ``Last, First``,
    arXiv's ``authors_parsed``, CSL-JSON). ``position`` is 0-based in the
    source's list, None for an inferred author. ``ids`` are ``scheme:value``
    (``orcid:0000-0002-1825-0097``, ``openalex:A5023888391``,
    ``dblp:Wei Wang 0001``, ``scopus:7004212771``). ``inferred`` marks a
    profile page's owner whom the shown list omits.
    """

    model_config = _STRICT

    name: str
    given: str | None = None
    family: str | None = None
    position: int | None = None
    ids: tuple[str, ...] = ()
    affiliations: tuple[AffiliationRef, ...] = ()
    inferred: bool = False


def _as_affiliations(value):
    if isinstance(value, (list, tuple)):
        return tuple(AffiliationRef(name=v) if isinstance(v, str) else v for v in value)
    return value


class PaperRecord(BaseModel):
    """One paper as one source shows it.

    ``ids`` are identifiers the source gives the paper, as ``scheme:value``
    (``doi:10.18653/v1/n18-1202``, ``arxiv:1802.05365``, ``dblp:conf/naacl/PetersNIGCLZ18``,
    ``openalex:W2962739339``, ``pmid:``, ``scopus:2-s2.0-...``, ``wos:000...``;
    URLs of DOIs and arXiv ids work too). Records sharing one, once
    normalised, are one paper.

    ``institutions`` are the paper's affiliations that the source does not
    tie to one author (a profile card's institution slugs); per-author
    affiliations live on each :class:`AuthorRef`.

    ``source`` is the input file; ``line`` (1-based, 0 unknown) and
    ``record`` (1-based record number where records are not lines) locate the
    record in it; ``source_format`` names the reader (``profile``, ``bibtex``,
    ``ris``, ``csl-json``, ``arxiv``, ``dblp``, ``openalex``, ``scopus``, ``wos``).

    Profile-page facts: ``owner`` (the page's researcher), ``category``,
    ``score``, ``has_code``, ``title_inferred`` (a by-year page's derived title).

    Where the paper was published in its venue: ``volume``, ``issue`` and ``pages`` (a range ``123-130``, a
    first page or an article number ``e1234``), each as the source writes it, stripped; None when absent.
    """

    model_config = _STRICT

    title: str
    title_inferred: bool = False
    ids: tuple[str, ...] = ()
    year: int | None = None
    date: _dt.date | None = None
    venue: str | None = None
    kind: str | None = None
    abstract: str | None = None
    urls: tuple[str, ...] = ()
    authors: tuple[AuthorRef, ...] = ()
    authors_truncated: bool = False
    institutions: tuple[AffiliationRef, ...] = ()
    owner: str | None = None
    category: str | None = None
    score: float | None = None
    has_code: bool = False
    source: str
    source_format: str | None = None
    line: int = Field(default=0, ge=0)
    record: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None

    @field_validator("authors", mode="before")
    @classmethod
    def _author_strings(cls, value):
        if isinstance(value, (list, tuple)):
            return tuple(AuthorRef(name=v, position=i) if isinstance(v, str) else v for i, v in enumerate(value))
        return value

    _institution_strings = field_validator("institutions", mode="before")(_as_affiliations)

    @property
    def author_names(self) -> tuple[str, ...]:
        """The shown authors' names in order (inferred authors left out)."""
        return tuple(a.name for a in self.authors if not a.inferred)


class PageResult(BaseModel):
    """Everything read from one input file: a profile (if any), its papers, its problems."""

    model_config = _STRICT

    source: str
    profile: Profile | None = None
    papers: tuple[PaperRecord, ...] = ()
    problems: tuple[Problem, ...] = ()
