"""Typed entries of the resolution log: merges, ambiguous pairs, flagged profiles.

Each entry turns into the JSON object ``report.json`` has always carried with
:meth:`as_dict`; item access (``merge["reason"]``) reads the same keys.

>>> m = Merge("author", "author:ada-lovelace", "Ada Lovelace", ["Ada Lovelace", "ADA LOVELACE"], "spellings share a key")
>>> m.as_dict()["merged"], m["name"]
(['Ada Lovelace', 'ADA LOVELACE'], 'Ada Lovelace')
>>> Merge("paper", "paper:1", "T", ["a.txt:3", "b.bib:9"], "same source id doi:10.1/x").as_dict()["title"]
'T'
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Ambiguity", "LogEntry", "Merge", "ProfileFlag"]


class LogEntry:
    """Shared behaviour: a JSON-ready dict, and item access by its keys."""

    __slots__ = ()

    def as_dict(self) -> dict:
        raise NotImplementedError

    def __getitem__(self, key: str):
        return self.as_dict()[key]

    def get(self, key: str, default=None):
        return self.as_dict().get(key, default)


@dataclass(slots=True)
class Merge(LogEntry):
    """Several inputs became one entity.

    ``kind`` is ``author``, ``paper`` or ``institution``; ``name`` is the
    entity's display name (a paper's title); ``merged`` lists what was merged
    (spellings, ``source:line`` locators, aliases, profile files).
    """

    kind: str
    id: str
    name: str
    merged: list[str]
    reason: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, ("title" if self.kind == "paper" else "name"): self.name,
                "merged": list(self.merged), "reason": self.reason}


@dataclass(slots=True)
class Ambiguity(LogEntry):
    """Two authors linked by weak evidence only: reported, never merged."""

    a: str
    b: str
    names: list[str]
    reason: str
    shared_coauthors: int
    shared_papers: int

    def as_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "names": list(self.names), "reason": self.reason,
                "shared_coauthors": self.shared_coauthors, "shared_papers": self.shared_papers}


@dataclass(slots=True)
class ProfileFlag(LogEntry):
    """A profile whose papers look like the work of two people."""

    profile: str
    author_id: str | None
    source: str
    reason: str
    groups: list[dict] = field(default_factory=list)
    suspect_papers: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"profile": self.profile, "author_id": self.author_id, "source": self.source, "reason": self.reason,
                "groups": self.groups, "suspect_papers": list(self.suspect_papers)}
