"""Resolve stage: records in, entities with stable ids out, every merge explained.

One module per job, strung together by :func:`resolve`:

- :mod:`~graphkit.resolve.papers`: which records are one paper (shared
  identifiers, title and year with compatible authors, abstracts);
- :mod:`~graphkit.resolve.institutions`: affiliations to institutions (ROR and
  OpenAlex ids first, then the alias table; unknown names kept and listed);
- :mod:`~graphkit.resolve.authors`: author occurrences to people, by the
  identity engine (:mod:`~graphkit.resolve.identity`: curation, identifiers,
  names with evidence, homonyms split; every decision explained);
- :mod:`~graphkit.resolve.checks`: findings such as a profile that looks like
  two people.

The log is typed (:mod:`~graphkit.resolve.log`): :class:`Merge`,
:class:`Ambiguity` and :class:`ProfileFlag` entries, each ``as_dict()`` for the
report. No step compares all pairs: every comparison happens inside a block
that shares a key.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from graphkit.keys import name_key, title_key
from graphkit.models import PaperRecord, Profile
from graphkit.resolve.authors import AuthorEntity, AuthorOccurrences, author_id, resolve_authors
from graphkit.resolve.checks import flag_profiles
from graphkit.resolve.identity import IdentityOptions
from graphkit.resolve.institutions import AliasTable, InstitutionEntity, InstitutionResolver, load_alias_table
from graphkit.resolve.log import Ambiguity, Merge, ProfileFlag
from graphkit.resolve.papers import PaperEntity, clashing_ids, cluster_papers, completeness, order_members, paper_entity
from graphkit.resolve.records import CompactRecord, compact, locator

__all__ = [
    "Ambiguity",
    "AuthorEntity",
    "Authorship",
    "InstitutionEntity",
    "Merge",
    "PaperEntity",
    "ProfileFlag",
    "Resolution",
    "author_id",
    "load_alias_table",
    "name_key",
    "resolve",
    "title_key",
]


@dataclass(slots=True)
class Authorship:
    """One AUTHORED relationship.

    ``affiliations`` are the institution ids the sources give this author on
    this paper; ``paper_list`` says the author's institutions come from the
    paper's list instead (no source of the paper ties affiliations to authors).
    """

    author_id: str
    paper_id: str
    position: int | None
    inferred: bool
    affiliations: tuple[str, ...] = ()
    paper_list: bool = True


@dataclass
class Resolution:
    """Entities and the log of how they were formed."""

    authors: dict[str, AuthorEntity] = field(default_factory=dict)
    papers: dict[str, PaperEntity] = field(default_factory=dict)
    institutions: dict[str, InstitutionEntity] = field(default_factory=dict)
    authorships: list[Authorship] = field(default_factory=list)
    paper_institutions: list[tuple[str, str]] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    ambiguous: list[Ambiguity] = field(default_factory=list)
    flagged_profiles: list[ProfileFlag] = field(default_factory=list)
    unknown_institutions: dict[str, int] = field(default_factory=dict)
    institution_conflicts: dict[str, str] = field(default_factory=dict)  # a name written with two institutions' ids
    identities: dict = field(default_factory=dict)  # report.json's "identities" section
    identity_problems: list = field(default_factory=list)  # rules of the identities file that matched nobody

    def drop_entities(self) -> None:
        """Forget the entities once a graph holds them; the log (merges, flags) stays."""
        self.authors, self.papers, self.institutions = {}, {}, {}
        self.authorships, self.paper_institutions = [], []

    def stats(self) -> dict[str, int]:
        kinds = Counter(m.kind for m in self.merges)
        return {
            "author_merges": kinds["author"],
            "paper_merges": kinds["paper"],
            "institution_merges": kinds["institution"],
            "ambiguous_pairs": len(self.ambiguous),
            "flagged_profiles": len(self.flagged_profiles),
            "unknown_institutions": len(self.unknown_institutions),
        }

    def log(self) -> dict:
        """The log, JSON-ready: ``merges``, ``ambiguous``, ``flagged_profiles`` and the ``identities`` section."""
        return {"merges": [m.as_dict() for m in self.merges], "ambiguous": [a.as_dict() for a in self.ambiguous],
                "flagged_profiles": [f.as_dict() for f in self.flagged_profiles], "identities": self.identities}


def _written_twice(occ: AuthorOccurrences, first: int, again: int, aid: str, title: str) -> Ambiguity:
    """One author list names one resolved author at two positions: two people under one name (two Wei Zhangs),
    or an entry written twice. Kept as one author, and said so."""
    where = occ.locator(occ.record[again])
    at = [p if (p := occ.position_of(i)) is not None else "?" for i in (first, again)]
    return Ambiguity(aid, aid, [occ.name[first], occ.name[again]], (
        f"one author list ({where}, {title!r}) names this author at positions {at[0]} and {at[1]}: two people "
        "under one name, or a name written twice; kept as one author (give them ids, or split them in an "
        "identities file)"), 0, 1)


def _two_works(refused, records, clusters, paper_of_cluster, papers) -> list[Ambiguity]:
    """Links the paper clustering did not make because each side holds its own work id (a publisher's DOI, a DBLP
    key: a record without one, or a preprint, matching both a conference paper and its journal extension): one
    entry per pair."""
    wanted = {k for i, j, _ in refused for k in (i, j)}
    paper_of = {k: pid for members, pid in zip(clusters, paper_of_cluster) for k in members if k in wanted}
    out: dict[tuple[str, str], Ambiguity] = {}
    for i, j, why in refused:
        a, b = sorted((paper_of[i], paper_of[j]))
        if a == b or (a, b) in out:
            continue
        what, first, second = (clashing_ids(papers[a].ids, papers[b].ids)
                               or ("publisher's DOI", papers[a].doi or "?", papers[b].doi or "?"))
        where = " and ".join(locator(records[k]) for k in (i, j))
        out[(a, b)] = Ambiguity(a, b, [papers[a].title or "", papers[b].title or ""], (
            f"records {where}: {why}, but the two papers they belong to each hold their own {what} "
            f"({first} and {second}): two works, kept apart"), 0, 0)
    return list(out.values())


def _same_slot(occ: AuthorOccurrences, author_of: list, start: int, end: int, authors: dict | None = None,
               primary_first: bool = True, counts: dict | None = None, why: dict | None = None) -> dict[int, int]:
    """For one paper's occurrences ``start:end`` (its records consecutive, the primary first): the occurrences that
    stand where another record of the paper shows another author, mapped to the occurrence of the author the paper
    keeps there.

    Only where the lists show the same positions, or one shows the first positions of the other (a list cut short:
    ``Kevin Clark, Thang Luong, Quoc V. Le et al.``), and otherwise agree (at least as many agree as differ, one at
    least: two one-author records naming two people are no evidence of a misspelling; and no differing author
    appears elsewhere in the other list: a reordered list is not a respelled one). Such a pair is a misspelling
    (``Zettlemoyre``), a transliteration (``Mueller`` for ``Müller``) or one source's error: the paper keeps one
    author at that position and gains no second. It keeps the one most of its records show there, then one with an
    id, then the primary record's when that record is the more complete (``primary_first``), then the one with more
    occurrences in the build (``counts``, filled on first need: a one-off misspelling gives way), then the one whose
    name spells out more, then the first by id: never by the order the inputs came in. ``why`` gets, per
    occurrence replaced, what decided it and the occurrences of every record showing the kept author there and the
    replaced one (for :func:`_respelled` to cite them all).
    """
    lists: dict[int, dict[int, int]] = {}  # record -> position -> occurrence (shown authors)
    record, position, inferred = occ.record, occ.position, occ.inferred
    for k in range(start, end):
        if inferred[k] or author_of[k] is None or position[k] < 0:
            continue
        lists.setdefault(record[k], {})[position[k]] = k
    if len(lists) < 2:
        return {}
    rows = list(lists.values())
    primary = rows[0]
    mine = {author_of[k] for k in primary.values()}
    contested: dict[int, list[int]] = {}  # position -> occurrences of other authors there
    for other in rows[1:]:
        if other.keys() != primary.keys() and not (
                1 < len(other) < len(primary) and other.keys() == set(range(len(other))) <= primary.keys()):
            continue
        differ = [p for p, k in other.items() if author_of[k] != author_of[primary[p]]]
        if not differ or len(differ) > len(other) - len(differ):  # as many agreeing as not, one at least
            continue
        theirs = {author_of[k] for k in other.values()}
        if any(author_of[other[p]] in mine or author_of[primary[p]] in theirs for p in differ):
            continue
        for p in differ:
            contested.setdefault(p, []).append(other[p])
    out: dict[int, int] = {}
    for p, others in contested.items():
        there = [primary[p], *others]
        support: dict[str, int] = {}
        for row in rows:
            if p in row:
                support[author_of[row[p]]] = support.get(author_of[row[p]], 0) + 1
        first = author_of[primary[p]] if primary_first else None
        if counts is not None and not counts:
            counts.update(Counter(author_of))
        rank = {k: _kept_rank(author_of[k], support, authors, first, counts) for k in there}
        kept = max(there, key=rank.__getitem__)
        for k in there:
            if author_of[k] != author_of[kept]:
                out[k] = kept
                if why is not None:  # what decided it: the first part of the rank that differs, and the records
                    at = next((n for n, (x, y) in enumerate(zip(rank[kept], rank[k])) if x != y), len(_KEPT_BECAUSE) - 1)
                    shown = [[row[p] for row in rows if p in row and author_of[row[p]] == author_of[one]]
                             for one in (kept, k)]
                    why[k] = (_KEPT_BECAUSE[min(at, len(_KEPT_BECAUSE) - 1)].format(n=rank[kept][0], m=rank[k][0]),
                              *shown)
    return out


_KEPT_BECAUSE = ("{n} of its records show it there, {m} the other", "it has an id", "its record is the more complete",
                 "it is on more papers of this build", "its name has fewer initials", "its name has more words",
                 "neither is better supported: the first by id")


def _kept_rank(aid: str, support: dict[str, int], authors: dict | None, first: str | None, counts: dict | None) -> tuple:
    """Which of two authors at one position a paper keeps: the one more records show there, then one with an id,
    then the more complete record's (``first``), then the one seen more in the build, then the name with fewer
    initials and more words (``Minh-Thang Luong`` over ``M.-T. Luong``), then the larger id."""
    entity = authors.get(aid) if authors else None
    words = (entity.name if entity is not None else "").replace("-", " ").split()
    initials = sum(len(word.strip(".")) <= 1 for word in words)
    return (support.get(aid, 0), bool(entity is not None and entity.ids), aid == first, (counts or {}).get(aid, 0),
            -initials, len(words), aid)


#: records named per side where a paper's records disagree on one position (then "and N more")
SHOWN_RECORDS = 4


def _records_showing(occ: AuthorOccurrences, shown: Sequence[int]) -> str:
    """The records (``file:line``) that show one author at a contested position: all of them, or a count and the
    first few."""
    where = list(dict.fromkeys(occ.locator(occ.record[k]) for k in shown))
    listed = ", ".join(where[:SHOWN_RECORDS]) + (f" and {len(where) - SHOWN_RECORDS} more" if len(where) > SHOWN_RECORDS else "")
    return listed if len(where) == 1 else f"{len(where)} records: {listed}"


def _respelled(occ: AuthorOccurrences, kept: int, k: int, author_of: list, title: str, why: tuple = ("",)) -> Ambiguity:
    """Two records of one paper show two different authors at one position of lists that otherwise agree.

    ``why`` is what decided it, and the occurrences showing each of the two there (:func:`_same_slot`): every
    record on each side is cited, so that a reader sees the majority, if one decided.
    """
    decided, *sides = why
    kept_at, lost_at = sides if len(sides) == 2 and sides[0] and sides[1] else ([kept], [k])
    at = occ.position_of(k)
    a, b = author_of[kept], author_of[k]
    n = len({occ.record[x] for x in (*kept_at, *lost_at)})
    return Ambiguity(a, b, [occ.name[kept], occ.name[k]], (
        f"{'two' if n == 2 else n} records of one paper ({title!r}) show different authors at position {at} of author "
        f"lists that otherwise agree: {occ.name[kept]!r} ({_records_showing(occ, kept_at)}) and {occ.name[k]!r} "
        f"({_records_showing(occ, lost_at)}); the paper keeps {occ.name[kept]!r} ({decided or 'the better supported'}) "
        "and the two are not merged (a misspelling, a transliteration or one source's error? give them one id, or join "
        "them in an identities file)"), 0, 1)


def resolve(
    profiles: Iterable[Profile], records: Sequence[PaperRecord | CompactRecord], *, aliases: AliasTable | None = None,
    identity: IdentityOptions | None = None, numbers: Sequence[int] | None = None,
) -> Resolution:
    """Resolve extracted profiles and paper records into entities.

    ``numbers``: the records' numbers in the whole build, when this resolves a part of it (:mod:`graphkit.bulk`),
    so that a paper's id is the one a resolution of all records gives it.

    Records may be :class:`~graphkit.models.PaperRecord` or their compact form
    (:func:`~graphkit.resolve.records.compact`, what the pipeline holds).

    Examples
    --------
    >>> from graphkit.models import PaperRecord, Profile
    >>> from graphkit.readers.profile import with_inferred_owner
    >>> owner = Profile(name="Zhengxin Zhang", layout="listing", source="a.txt")
    >>> def card(title, year, names, line):
    ...     return PaperRecord(owner="Zhengxin Zhang", title=title, year=year, authors=with_inferred_owner(names, "Zhengxin Zhang"),
    ...                        source="a.txt", line=line)
    >>> res = resolve([owner], [card("T1", 2024, ["Zhi-Hong Deng", "Zhihao Zhang"], 3), card("T2", 2025, ["Zhihong Deng"], 9)])
    >>> sorted(res.authors)
    ['author:zhengxin-zhang', 'author:zhihao-zhang', 'author:zhihong-deng']
    >>> res.authors["author:zhihong-deng"].name_variants
    ['Zhi-Hong Deng', 'Zhihong Deng']
    >>> [(a.author_id, a.inferred) for a in res.authorships if a.paper_id == res.authorships[0].paper_id]
    [('author:zhihong-deng', False), ('author:zhihao-zhang', False), ('author:zhengxin-zhang', True)]
    """
    aliases = aliases or load_alias_table()
    profiles = list(profiles)
    records = [compact(r) for r in records] if any(not isinstance(r, CompactRecord) for r in records) else records
    res = Resolution()
    institutions = InstitutionResolver(aliases)
    institutions.learn(records)  # the names written with an id are known before any record is resolved

    # Papers: link records that are one paper, then one entity per cluster.
    title_keys: list[str] = []
    id_lists: list[tuple[str, ...]] = []
    refused: list[tuple[int, int, str]] = []
    clusters, reasons = cluster_papers(records, title_keys=title_keys, id_lists=id_lists, refused=refused)
    occ = AuthorOccurrences()
    paper_of_cluster: list[str] = []
    occ_ranges: list[tuple[int, int]] = []  # per cluster: its occurrence rows
    complete_first: set[str] = set()  # papers whose primary record is more complete than the others
    seen_counts: dict[str, int] = {}  # occurrences per author, counted when a paper's records first disagree
    record_rows: list[tuple[int, int, int]] = []  # (record index, first occurrence, end)
    for members in clusters:
        ordered = order_members(members, records)
        entity, merge = paper_entity(ordered, records, reasons, res.papers, title_keys, id_lists, numbers)
        pid = entity.id
        res.papers[pid] = entity
        if len(ordered) > 1 and completeness(records[ordered[0]]) > max(completeness(records[i]) for i in ordered[1:]):
            complete_first.add(pid)  # its primary record is the more complete, not just the first named
        if merge is not None:
            res.merges.append(merge)
        paper_of_cluster.append(pid)

        # the paper's own institution list, then every author's affiliations
        linked: dict[str, None] = {}
        seen_raw: set = set()
        for i in ordered:
            for aff in records[i].institutions:
                if aff not in seen_raw:
                    seen_raw.add(aff)
                    iid = institutions.resolve(aff)
                    if iid is not None:
                        linked.setdefault(iid, None)
        start = len(occ)
        for i in ordered:
            r = records[i]
            row = occ.add_record(pid, source=r.source, line=r.line, year=r.year, venue=r.venue, category=r.category,
                                 title=r.title, number=r.record)
            first = len(occ)
            if r.authors:
                found = occ.add_authors(row, r.authors, institutions.resolve, institutions.compared_as)
                if found:
                    linked.update(dict.fromkeys(found))
            record_rows.append((i, first, len(occ)))
        occ_ranges.append((start, len(occ)))
        res.paper_institutions.extend((pid, iid) for iid in linked)

    del title_keys, id_lists, reasons  # the papers are made: free these before the author stage's peak
    resolved = resolve_authors(occ, profiles=profiles, identity=identity, places=institutions.aliases.canonical)
    res.identities, res.identity_problems = resolved.identities, resolved.problems
    author_of = resolved.author_of
    res.authors = resolved.authors
    res.merges.extend(resolved.merges)
    res.ambiguous = resolved.ambiguous
    if refused:
        res.ambiguous.extend(_two_works(refused, records, clusters, paper_of_cluster, res.papers))

    # Authorships: per paper, the shown authors of the most complete record first, then names
    # only other records show, then authors no record shows (inferred).
    inferred_col, inst_col, position_col, record_col = occ.inferred, occ.institution_ids, occ.position, occ.record
    authorships = res.authorships
    twice: list[Ambiguity] = []
    replaced: set[str] = set()  # authors a later record showed where the primary record shows someone else
    for pid, (start, end) in zip(paper_of_cluster, occ_ranges):
        seen: dict[str, list] = {}
        per_author = False
        later: list[int] = []
        # two records of one paper (most papers have one): a name standing where the other list shows another
        kept_why: dict[int, tuple] = {}
        instead = _same_slot(occ, author_of, start, end, res.authors, pid in complete_first, seen_counts, kept_why) if end - start > 1 and record_col[start] != record_col[end - 1] else None
        if instead:
            told: set[tuple] = set()
            for k, primary in instead.items():
                # one entry per author left out at a position, citing every record on each side
                if (pair := (position_col[k], author_of[k], author_of[primary])) not in told:
                    told.add(pair)
                    twice.append(_respelled(occ, primary, k, author_of, res.papers[pid].title, kept_why.get(k, ("",))))
                replaced.add(author_of[k])
        for k in range(start, end):
            aid = author_of[k]
            if aid is None:
                continue
            if instead and k in instead:
                aid = author_of[instead[k]]
            if inferred_col[k]:
                later.append(k)
                continue
            insts = inst_col[k]
            entry = seen.get(aid)
            if entry is None:
                seen[aid] = [None if (at := position_col[k]) < 0 else at, False, insts, k]
            else:
                if record_col[entry[3]] == record_col[k] and occ.name[k] and occ.name[entry[3]]:
                    twice.append(_written_twice(occ, entry[3], k, aid, res.papers[pid].title))
                if insts:
                    entry[2] = tuple(dict.fromkeys(entry[2] + insts))
            per_author = per_author or bool(insts)
        for k in later:
            aid = author_of[k]
            if aid not in seen:
                seen[aid] = [None, True, inst_col[k], k]
        for aid, (position, inferred, affiliations, _) in seen.items():
            authorships.append(Authorship(aid, pid, position, inferred, affiliations, not per_author))

    if replaced:  # an author shown only where another list has someone else: not an author of anything
        kept = {a.author_id for a in authorships}
        for aid in replaced - kept:
            if not res.authors[aid].is_profile_owner:
                del res.authors[aid]
    if twice:  # listed with the engine's ambiguous pairs, in the report and by `graphkit identities`
        res.ambiguous.extend(twice)
        if isinstance(res.identities.get("decisions"), list):
            res.identities["decisions"].extend({"kind": "ambiguous", "keys": list(dict.fromkeys((a.a, a.b))), "names": list(a.names),
                                                "reason": a.reason, "occurrences": 2} for a in twice)
            counts = res.identities.setdefault("counts", {})
            counts["identity_ambiguous"] = counts.get("identity_ambiguous", 0) + len(twice)

    res.institutions = institutions.entities()
    res.merges.extend(institutions.merges())
    res.unknown_institutions = institutions.unknown
    res.institution_conflicts = dict(institutions.conflicts)

    shown: dict[int, tuple[str, ...]] = {}
    for index, first, end in record_rows:
        if records[index].owner:
            shown[index] = tuple(author_of[k] for k in range(first, end) if not occ.inferred[k] and author_of[k])
    res.flagged_profiles = resolved.flags + flag_profiles(profiles, resolved.profile_authors, records, shown)
    return res
