"""Checks over resolved entities: findings reported to the user, never "fixed".

A profile whose papers split into groups far apart in time, with no shared
co-author and disjoint categories, is flagged as possibly two people under
one name (profile aggregators do merge namesakes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from graphkit.models import Profile
from graphkit.resolve.log import ProfileFlag
from graphkit.resolve.records import CompactRecord, locator

__all__ = ["SPLIT_GAP_YEARS", "flag_profiles"]

SPLIT_GAP_YEARS = 3


def flag_profiles(
    profiles: Sequence[Profile],
    profile_authors: Sequence[str | None],
    records: Sequence[CompactRecord],
    shown_authors: dict[int, tuple[str, ...]],
) -> list[ProfileFlag]:
    """Profiles whose papers split into groups that look like two different people.

    ``profile_authors`` are the owners' author ids (parallel to ``profiles``);
    ``shown_authors`` maps a record's index to the author ids of its shown
    (not inferred) authors.

    >>> from graphkit.models import PaperRecord
    >>> from graphkit.resolve.records import compact
    >>> def card(i, year, co, cat):
    ...     return compact(PaperRecord(title=f"T{i}", year=year, category=cat, owner="A", source="a.txt", line=i))
    >>> recs = [card(1, 2017, "x", "CV"), card(2, 2025, "y", "CL"), card(3, 2024, "y", "CL")]
    >>> flags = flag_profiles([Profile(name="A", layout="listing", source="a.txt")], ["author:a"], recs,
    ...                       {0: ("author:x",), 1: ("author:y",), 2: ("author:y",)})
    >>> [(f.profile, f.suspect_papers) for f in flags]
    [('A', ['a.txt:1'])]
    """
    by_source: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        if record.owner and record.year is not None:
            by_source[record.source].append(index)
    flagged = []
    for profile, owner_id in zip(profiles, profile_authors):
        papers = sorted(by_source.get(profile.source, ()), key=lambda i: records[i].year)
        years = sorted({records[i].year for i in papers})
        for early_end, late_start in zip(years, years[1:]):
            if late_start - early_end < SPLIT_GAP_YEARS:
                continue
            early = [i for i in papers if records[i].year <= early_end]
            late = [i for i in papers if records[i].year >= late_start]

            def circle(group: list[int]) -> set[str]:
                return {a for i in group for a in shown_authors.get(i, ())} - {owner_id}

            early_co, late_co = circle(early), circle(late)
            early_cat = {records[i].category for i in early if records[i].category}
            late_cat = {records[i].category for i in late if records[i].category}
            if early_co and late_co and not (early_co & late_co) and early_cat and late_cat and not (early_cat & late_cat):
                minority = early if len(early) <= len(late) else late
                first, last = records[early[0]], records[late[-1]]
                flagged.append(ProfileFlag(
                    profile=profile.name,
                    author_id=owner_id,
                    source=profile.source,
                    reason=(
                        f"{len(early)} paper(s) up to {early_end} and {len(late)} from {late_start} on share no "
                        f"co-author and no category ({', '.join(sorted(early_cat))} vs {', '.join(sorted(late_cat))}): "
                        "possibly two people under one name"
                    ),
                    groups=[
                        {"years": [first.year, records[early[-1]].year], "categories": sorted(early_cat),
                         "papers": [records[i].title for i in early[:20]]},
                        {"years": [records[late[0]].year, last.year], "categories": sorted(late_cat),
                         "papers": [records[i].title for i in late[:20]]},
                    ],
                    suspect_papers=[locator(records[i]) for i in minority],
                ))
    return flagged
