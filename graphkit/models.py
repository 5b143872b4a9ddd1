"""Typed records passed between pipeline stages.

Records are strict and frozen: a stage never mutates what it was given, and a
field of the wrong type is a bug caught where it happens, not three stages
later.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Layout", "PaperRecord", "PageResult", "Problem", "Profile"]

Layout = Literal["listing", "by-year"]

_STRICT = ConfigDict(frozen=True, extra="forbid", strict=True)


class Problem(BaseModel):
    """Something in an input that could not be read as expected.

    ``line`` is 1-based; 0 means the problem concerns the whole file.
    """

    model_config = _STRICT

    source: str
    line: int = Field(ge=0)
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}" if self.line else f"{self.source}: {self.message}"


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


class PaperRecord(BaseModel):
    """One paper as one page (or one bibliographic record) shows it.

    ``ids`` are identifiers the source gives the paper, as ``kind:value``
    (``arxiv:2305.14314v2``, ``doi:10.18653/v1/N18-1202``; URLs of either
    kind work too). Records sharing one, once normalised, are one paper.
    Profile pages show none.
    """

    model_config = _STRICT

    owner: str | None
    title: str
    title_inferred: bool = False
    date: _dt.date | None = None
    year: int | None = None
    category: str | None = None
    score: float | None = None
    has_code: bool = False
    abstract: str | None = None
    urls: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    authors_truncated: bool = False
    institutions: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    source: str
    line: int = Field(ge=0)


class PageResult(BaseModel):
    """Everything read from one input file: a profile (if any), its papers, its problems."""

    model_config = _STRICT

    source: str
    profile: Profile | None = None
    papers: tuple[PaperRecord, ...] = ()
    problems: tuple[Problem, ...] = ()
