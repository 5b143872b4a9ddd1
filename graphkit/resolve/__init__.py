"""Resolve stage: records in, entities with stable ids out, every merge explained.

- Authors merge when their name keys agree (:func:`~graphkit.resolve.names.name_key`).
  Names that differ only by spacing, initials or a dropped middle name merge
  only on strong evidence: they stand at the same position of the shown
  author lists of one paper on two pages, and those lists otherwise agree.
  Linked by the name alone, such pairs are reported as ambiguous, never
  merged.
- Papers merge on a shared source id (arXiv id, DOI), on a normalised title
  with years within one, on an identical abstract, or when a by-year
  abstract introduces the method a titled paper of the same years is named
  after and the owner is among (or hidden in) its authors.
- Institutions go through the alias table; unknown slugs are kept and listed.
- A profile whose papers split into groups far apart in time, with no shared
  co-author and disjoint categories, is flagged as possibly two people.

No step compares all pairs: every comparison happens inside a block that
shares a key.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx

from graphkit.models import PaperRecord, Profile
from graphkit.resolve.institutions import AliasTable, load_alias_table
from graphkit.resolve.names import alias_key, compact_key, name_key, slug, source_id, title_key

__all__ = [
    "AuthorEntity",
    "Authorship",
    "InstitutionEntity",
    "PaperEntity",
    "Resolution",
    "author_id",
    "load_alias_table",
    "name_key",
    "resolve",
    "title_key",
]

PROFILE_METRICS = ("h_index", "citations", "paper_count", "novelty", "ai_score", "primary_category")
MAX_BLOCK = 50  # pairs are looked at only inside blocks up to this size
SPLIT_GAP_YEARS = 3


@dataclass(slots=True)
class AuthorEntity:
    id: str
    name: str
    name_variants: list[str]
    is_profile_owner: bool = False
    h_index: int | None = None
    citations: int | None = None
    paper_count: int | None = None
    novelty: float | None = None
    ai_score: float | None = None
    primary_category: str | None = None


@dataclass(slots=True)
class PaperEntity:
    id: str
    title: str
    title_inferred: bool
    year: int | None
    date: str | None
    category: str | None
    score: float | None
    has_code: bool
    abstract: str | None
    urls: list[str]
    authors_truncated: bool
    sources: list[str]


@dataclass(slots=True)
class InstitutionEntity:
    id: str
    name: str
    aliases: list[str]


@dataclass(slots=True)
class Authorship:
    author_id: str
    paper_id: str
    position: int | None
    inferred: bool


@dataclass
class Resolution:
    """Entities and the log of how they were formed."""

    authors: dict[str, AuthorEntity] = field(default_factory=dict)
    papers: dict[str, PaperEntity] = field(default_factory=dict)
    institutions: dict[str, InstitutionEntity] = field(default_factory=dict)
    authorships: list[Authorship] = field(default_factory=list)
    paper_institutions: list[tuple[str, str]] = field(default_factory=list)
    merges: list[dict] = field(default_factory=list)
    ambiguous: list[dict] = field(default_factory=list)
    flagged_profiles: list[dict] = field(default_factory=list)
    unknown_institutions: dict[str, int] = field(default_factory=dict)

    def drop_entities(self) -> None:
        """Forget the entities once a graph holds them; the log (merges, flags) stays."""
        self.authors, self.papers, self.institutions = {}, {}, {}
        self.authorships, self.paper_institutions = [], []

    def stats(self) -> dict[str, int]:
        kinds = Counter(m["kind"] for m in self.merges)
        return {
            "author_merges": kinds["author"],
            "paper_merges": kinds["paper"],
            "institution_merges": kinds["institution"],
            "ambiguous_pairs": len(self.ambiguous),
            "flagged_profiles": len(self.flagged_profiles),
            "unknown_institutions": len(self.unknown_institutions),
        }


def author_id(key: str) -> str:
    """Stable author id from a name key: ``author:zhengxin-zhang``."""
    return "author:" + key.replace(" ", "-")


def _paper_id(key: str, year: int | None) -> str:
    digest = hashlib.sha1(f"{key}|{year}".encode()).hexdigest()[:16]
    return f"paper:{digest}"


_LEAD_TITLED = re.compile(r"^([^\s:]{2,40}):")
_LEAD_INFERRED = re.compile(r"^([^\s:(]{2,40})(?: \([^)]*\))?:")


def resolve(
    profiles: Iterable[Profile], records: Sequence[PaperRecord], *, aliases: AliasTable | None = None
) -> Resolution:
    """Resolve extracted profiles and paper records into entities.

    Examples
    --------
    >>> from graphkit.models import PaperRecord, Profile
    >>> owner = Profile(name="Zhengxin Zhang", layout="listing", source="a.txt")
    >>> cards = [
    ...     PaperRecord(owner="Zhengxin Zhang", title="T1", year=2024, authors=("Zhi-Hong Deng", "Zhihao Zhang"), source="a.txt", line=3),
    ...     PaperRecord(owner="Zhengxin Zhang", title="T2", year=2025, authors=("Zhihong Deng",), source="a.txt", line=9),
    ... ]
    >>> res = resolve([owner], cards)
    >>> sorted(res.authors)
    ['author:zhengxin-zhang', 'author:zhihao-zhang', 'author:zhihong-deng']
    >>> res.authors["author:zhihong-deng"].name_variants
    ['Zhi-Hong Deng', 'Zhihong Deng']
    >>> [(a.author_id, a.inferred) for a in res.authorships if a.paper_id == res.authorships[0].paper_id]
    [('author:zhihong-deng', False), ('author:zhihao-zhang', False), ('author:zhengxin-zhang', True)]
    """
    aliases = aliases or load_alias_table()
    profiles = list(profiles)
    res = Resolution()
    keys = _NameKeys()

    # Papers: link records that are one paper, then build one entity per cluster.
    clusters, reasons = _cluster_papers(records, keys)
    position_merges = _positional_merges(clusters, records, keys)
    inst_seen: dict[str, Counter] = defaultdict(Counter)
    for members in clusters:
        _paper_entity(members, records, keys, aliases, res, inst_seen, reasons)

    # Authors: one per name key; owners carry their page's metrics.
    owner_profiles: dict[str, list[Profile]] = defaultdict(list)
    for profile in profiles:
        key = keys(profile.name)
        if key:
            keys.count(profile.name)
            owner_profiles[key].append(profile)
    used = {a.author_id for a in res.authorships} | {author_id(k) for k in owner_profiles}
    for key, spellings in keys.spellings.items():
        aid = author_id(key)
        if aid not in used:
            continue
        variants = sorted(spellings, key=lambda s: (-spellings[s], s))
        entity = AuthorEntity(id=aid, name=variants[0], name_variants=variants)
        if key in position_merges:
            reason = position_merges[key]
            if len(variants) > len({name_key(v) for v in variants}):
                reason += "; the other spellings share a name key (case, diacritics, dashes, periods or spacing differ)"
            res.merges.append({"kind": "author", "id": aid, "name": variants[0], "merged": variants, "reason": reason})
        elif len(variants) > 1:
            res.merges.append(
                {"kind": "author", "id": aid, "name": variants[0], "merged": variants,
                 "reason": f"spellings share the name key {key!r} (case, diacritics, dashes, periods or spacing differ)"}
            )
        for profile in owner_profiles.get(key, ()):
            entity.is_profile_owner = True
            for metric in PROFILE_METRICS:
                if getattr(entity, metric) is None:
                    setattr(entity, metric, getattr(profile, metric))
        if len(owner_profiles.get(key, ())) > 1:
            res.merges.append(
                {"kind": "author", "id": aid, "name": entity.name,
                 "merged": [p.source for p in owner_profiles[key]],
                 "reason": "several profile pages have owners with this name key; metrics taken from the first page showing each"}
            )
        res.authors[aid] = entity

    # Institutions.
    for iid, seen in inst_seen.items():
        entity = res.institutions[iid]
        entity.aliases = sorted(seen, key=lambda s: (-seen[s], s))
        if len(entity.aliases) > 1:
            res.merges.append(
                {"kind": "institution", "id": iid, "name": entity.name, "merged": entity.aliases,
                 "reason": "aliases map to one canonical name in the alias table"}
            )

    res.ambiguous = _ambiguous_pairs(res)
    res.flagged_profiles = _flag_profiles(profiles, records, keys, res)
    return res


class _NameKeys:
    """Memoised name keys plus the spellings seen for each key."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}
        self._ids: dict[str, str] = {}
        self._redirect: dict[str, str] = {}
        self.spellings: dict[str, Counter] = defaultdict(Counter)

    def __call__(self, name: str) -> str:
        key = self._cache.get(name)
        if key is None:
            key = self._cache[name] = name_key(name)
        return self._redirect.get(key, key)

    def redirect(self, mapping: dict[str, str]) -> None:
        """From now on, names with a key in ``mapping`` resolve to the mapped key (one person)."""
        self._redirect.update(mapping)

    def count(self, name: str) -> None:
        self.spellings[self(name)][" ".join(name.split())] += 1

    def author_id(self, key: str) -> str:
        """The author id of a key, one shared string per author (millions of authorships)."""
        aid = self._ids.get(key)
        if aid is None:
            aid = self._ids[key] = author_id(key)
        return aid

    def note(self, name: str) -> None:
        """Make a spelling known without counting it (an inferred, unshown author)."""
        self.spellings[self(name)].setdefault(" ".join(name.split()), 0)


def _cluster_papers(records: Sequence[PaperRecord], keys: _NameKeys):
    uf = nx.utils.UnionFind(range(len(records)))
    reasons: dict[frozenset, str] = {}

    def link(i: int, j: int, reason: str) -> None:
        if uf[i] != uf[j]:
            uf.union(i, j)
            reasons[frozenset((i, j))] = reason

    by_title: dict[str, list[int]] = defaultdict(list)
    by_abstract: dict[bytes, int] = {}
    by_id: dict[str, int] = {}
    lead_titled: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        by_title[title_key(record.title)].append(i)
        for raw in record.ids:
            if (sid := source_id(raw)) is not None:
                if sid in by_id:
                    link(by_id[sid], i, f"same source id {sid}")
                else:
                    by_id[sid] = i
        if record.abstract and len(record.abstract) >= 100:
            akey = hashlib.blake2b(title_key(record.abstract[:400]).encode(), digest_size=16).digest()
            if akey in by_abstract:
                link(by_abstract[akey], i, "identical abstract")
            else:
                by_abstract[akey] = i
        if not record.title_inferred and (m := _LEAD_TITLED.match(record.title)):
            lead_titled[m[1].casefold()].append(i)

    for group in by_title.values():
        if len(group) < 2:
            continue
        dated = sorted((i for i in group if records[i].year is not None), key=lambda i: records[i].year)
        for a, b in zip(dated, dated[1:]):
            if records[b].year - records[a].year <= 1:
                link(a, b, f"same title, years {records[a].year} and {records[b].year}")
        anchor = dated[0] if dated else group[0]
        for i in group:
            if records[i].year is None and i != anchor:
                link(anchor, i, "same title, one record without a year")

    for i, record in enumerate(records):
        if not record.title_inferred or not record.owner or not (m := _LEAD_INFERRED.match(record.title)):
            continue
        owner_key = keys(record.owner)
        for j in lead_titled.get(m[1].casefold(), ()):
            other = records[j]
            if record.year is None or other.year is None or abs(record.year - other.year) > 1:
                continue
            shown = {keys(n) for n in other.authors}
            if owner_key in shown or other.authors_truncated:
                why = "lists the owner" if owner_key in shown else "has a truncated author list"
                link(i, j, f"by-year abstract introduces {m[1]!r}; the titled paper of {other.year} is named after it and {why}")
                break

    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(records)):
        clusters[uf[i]].append(i)
    return list(clusters.values()), reasons


def _positional_merges(clusters, records, keys: _NameKeys) -> dict[str, str]:
    """Merge names that one paper shows at the same position on different pages.

    Two records of one paper whose shown author lists agree everywhere except
    for names that are weak variants of each other (spacing, initials, a
    missing middle name) are strong evidence that each such pair is one
    person: ``Matthew E. Peters`` and ``Matthew Peters`` both first on ELMo.
    Every group of names linked this way must be pairwise compatible (so
    ``M. Peters`` cannot join ``Matthew E. Peters`` and ``Matthew J. Peters``);
    a group that is not is left apart, and its pairs stay in the ambiguity
    report. The merged person takes the longest key (the most complete name).

    Redirects ``keys`` and returns ``{merged key: reason}`` for the log.
    """
    links = nx.Graph()
    for members in clusters:
        if len(members) < 2:  # most papers are on one page only
            continue
        listed = [records[i] for i in members if records[i].authors]
        for x in range(len(listed)):
            for y in range(x + 1, len(listed)):
                for position, a, b, why in _same_list_variants(listed[x], listed[y], keys):
                    if not links.has_edge(a, b):
                        shown = (listed[x].authors[position], f"{listed[x].source}:{listed[x].line}",
                                 listed[y].authors[position], f"{listed[y].source}:{listed[y].line}")
                        links.add_edge(a, b, position=position, why=why, title=listed[x].title, shown=shown)
    mapping: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for group in nx.connected_components(links):
        names = sorted(group)
        if any(_weak_reason(a, b) is None for i, a in enumerate(names) for b in names[i + 1:]):
            continue
        target = max(names, key=lambda k: (len(k.split()), len(k), k))
        evidence = []
        for _, _, data in sorted(links.subgraph(group).edges(data=True)):
            name_a, ref_a, name_b, ref_b = data["shown"]
            evidence.append(
                f"{name_a!r} ({ref_a}) and {name_b!r} ({ref_b}) stand at position {data['position']} of the "
                f"author lists of {data['title']!r}, which otherwise agree ({data['why']})"
            )
        reasons[target] = "same position on one paper: " + "; ".join(evidence)
        mapping.update({k: target for k in names if k != target})
    keys.redirect(mapping)
    return reasons


def _same_list_variants(a: PaperRecord, b: PaperRecord, keys: _NameKeys) -> list[tuple[int, str, str, str]]:
    """Positions where two shown author lists of one paper have weak variants of one name.

    Empty when the lists disagree in any other way (another name, another
    order, a name of one list elsewhere in the other).
    """
    ka, kb = [keys(n) for n in a.authors], [keys(n) for n in b.authors]
    found = []
    for position, (x, y) in enumerate(zip(ka, kb)):
        if x == y:
            continue
        if not x or not y or x in kb or y in ka:
            return []
        why = _weak_reason(x, y)
        if why is None:
            return []
        found.append((position, x, y, why))
    return found


def _weak_reason(a: str, b: str) -> str | None:
    """Why two different name keys might be one person (spacing, initials, middle name), or None."""
    ta, tb = a.split(), b.split()
    if compact_key(a) == compact_key(b):
        return _weak_link("compact", ta, tb)
    if len(ta) < 2 or len(tb) < 2 or ta[-1] != tb[-1]:
        return None
    if "".join(t[0] for t in ta[:-1]) == "".join(t[0] for t in tb[:-1]):
        reason = _weak_link("initials", ta, tb)
        if reason:
            return reason
    if ta[0] == tb[0]:
        return _weak_link("first", ta, tb)
    return None


def _primary(members: list[int], records: Sequence[PaperRecord]) -> int:
    def rank(i: int):
        r = records[i]
        return (not r.title_inferred, bool(r.authors) and not r.authors_truncated, len(r.authors), r.date is not None, -i)

    return max(members, key=rank)


def _paper_entity(members, records, keys, aliases, res, inst_seen, reasons) -> None:
    primary = records[_primary(members, records)]
    group = [records[i] for i in members]
    years = [r.year for r in group if r.year is not None]
    pid = _paper_id(title_key(primary.title), min(years) if years else None)
    if pid in res.papers:  # same title and first year but not linked (e.g. years 2 apart in between)
        pid = _paper_id(title_key(primary.title) + f"#{members[0]}", min(years) if years else None)
    dates = sorted(r.date for r in group if r.date is not None)
    date = primary.date or (dates[0] if dates else None)
    urls: dict[str, None] = {}
    sources: dict[str, None] = {}
    ordered = [primary] + [r for r in group if r is not primary]
    for r in ordered:
        urls.update(dict.fromkeys(r.urls))
        sources.setdefault(r.source, None)
    complete = any(r.authors and not r.authors_truncated and not r.title_inferred for r in group)
    abstracts = [r.abstract for r in group if r.abstract]
    res.papers[pid] = PaperEntity(
        id=pid,
        title=primary.title,
        title_inferred=primary.title_inferred,
        year=primary.year if primary.year is not None else (min(years) if years else None),
        date=date.isoformat() if date else None,
        category=primary.category or next((r.category for r in group if r.category), None),
        score=primary.score if primary.score is not None else next((r.score for r in group if r.score is not None), None),
        has_code=any(r.has_code for r in group),
        abstract=max(abstracts, key=len) if abstracts else None,
        urls=list(urls),
        authors_truncated=(not complete) and any(r.authors_truncated for r in group),
        sources=sorted(sources),
    )
    if len(members) > 1:
        why = sorted({reasons[frozenset((a, b))] for a in members for b in members if frozenset((a, b)) in reasons})
        res.merges.append(
            {"kind": "paper", "id": pid, "title": primary.title,
             "merged": [f"{r.source}:{r.line}" for r in group], "reason": "; ".join(why)}
        )

    # Authorships: the most complete list first, then names only other records show,
    # then owners the shown names omit (inferred).
    seen: dict[str, tuple[int | None, bool]] = {}
    for record in ordered:
        for position, name in enumerate(record.authors):
            key = keys(name)
            if key:
                keys.count(name)
                seen.setdefault(key, (position, False))
    for record in group:
        if record.owner:
            key = keys(record.owner)
            if key and key not in seen:
                seen[key] = (None, True)
                keys.note(record.owner)
    for key, (position, inferred) in seen.items():
        res.authorships.append(Authorship(keys.author_id(key), pid, position, inferred))

    slugs: dict[str, None] = {}
    for r in group:
        slugs.update(dict.fromkeys(r.institutions))
    linked: set[str] = set()
    for raw in slugs:
        canonical = aliases.canonical(raw)
        if canonical is None:
            res.unknown_institutions[raw] = res.unknown_institutions.get(raw, 0) + 1
            canonical = raw
        iid = "institution:" + slug(canonical)
        if iid not in res.institutions:
            res.institutions[iid] = InstitutionEntity(id=iid, name=canonical, aliases=[])
        iid = res.institutions[iid].id  # one shared id string per institution
        inst_seen[iid][raw] += 1
        if iid not in linked:
            linked.add(iid)
            res.paper_institutions.append((pid, iid))


def _ambiguous_pairs(res: Resolution) -> list[dict]:
    """Pairs of authors linked by weak evidence only: reported, not merged."""
    keys = {aid: aid.removeprefix("author:").replace("-", " ") for aid in res.authors}
    blocks: dict[tuple, list[str]] = defaultdict(list)
    for aid, key in keys.items():
        tokens = key.split()
        blocks[("compact", compact_key(key))].append(aid)
        if len(tokens) >= 2:
            blocks[("initials", tokens[-1], "".join(t[0] for t in tokens[:-1]))].append(aid)
            blocks[("first", tokens[-1], tokens[0])].append(aid)
    pairs: dict[tuple[str, str], str] = {}
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                a, b = sorted((members[x], members[y]))
                if (a, b) in pairs:
                    continue
                reason = _weak_reason(keys[a], keys[b])
                if reason:
                    pairs[(a, b)] = reason
    if not pairs:
        return []
    papers_of: dict[str, set[str]] = defaultdict(set)
    authors_of: dict[str, set[str]] = defaultdict(set)
    for a in res.authorships:
        papers_of[a.author_id].add(a.paper_id)
        authors_of[a.paper_id].add(a.author_id)

    def coauthors(aid: str) -> set[str]:
        return {c for p in papers_of[aid] for c in authors_of[p]} - {aid}

    out = []
    for (a, b), reason in sorted(pairs.items()):
        out.append(
            {"a": a, "b": b, "names": [res.authors[a].name, res.authors[b].name], "reason": reason,
             "shared_coauthors": len(coauthors(a) & coauthors(b)), "shared_papers": len(papers_of[a] & papers_of[b])}
        )
    return out


def _weak_link(kind: str, a: list[str], b: list[str]) -> str | None:
    if kind == "compact":
        return "names differ only in spacing"
    given_a, given_b = a[:-1], b[:-1]
    if kind == "initials" and len(given_a) == len(given_b):
        compatible = all(x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)) for x, y in zip(given_a, given_b))
        if compatible and given_a != given_b:
            return "one name gives initials where the other spells the given names out"
    if kind == "first" and len(given_a) != len(given_b):
        short, long_ = sorted((given_a, given_b), key=len)
        it = iter(long_)
        if all(any(tok == other or (len(other) == 1 and tok.startswith(other)) or (len(tok) == 1 and other.startswith(tok)) for other in it) for tok in short):
            return "one name has a middle name or initial the other lacks"
    return None


def _flag_profiles(profiles, records, keys, res) -> list[dict]:
    """Profiles whose papers split into groups that look like two different people."""
    by_source: dict[str, list[PaperRecord]] = defaultdict(list)
    for record in records:
        if record.owner and record.year is not None:
            by_source[record.source].append(record)
    flagged = []
    for profile in profiles:
        owner_key = keys(profile.name)
        papers = sorted(by_source.get(profile.source, ()), key=lambda r: r.year)
        years = sorted({r.year for r in papers})
        for early_end, late_start in zip(years, years[1:]):
            if late_start - early_end < SPLIT_GAP_YEARS:
                continue
            early = [r for r in papers if r.year <= early_end]
            late = [r for r in papers if r.year >= late_start]

            def circle(group):
                return {keys(n) for r in group for n in r.authors} - {owner_key}

            early_co, late_co = circle(early), circle(late)
            early_cat = {r.category for r in early if r.category}
            late_cat = {r.category for r in late if r.category}
            if early_co and late_co and not (early_co & late_co) and early_cat and late_cat and not (early_cat & late_cat):
                minority = early if len(early) <= len(late) else late
                flagged.append(
                    {
                        "profile": profile.name,
                        "author_id": author_id(owner_key),
                        "source": profile.source,
                        "reason": (
                            f"{len(early)} paper(s) up to {early_end} and {len(late)} from {late_start} on share no "
                            f"co-author and no category ({', '.join(sorted(early_cat))} vs {', '.join(sorted(late_cat))}): "
                            "possibly two people under one name"
                        ),
                        "groups": [
                            {"years": [early[0].year, early[-1].year], "categories": sorted(early_cat), "papers": [r.title for r in early[:20]]},
                            {"years": [late[0].year, late[-1].year], "categories": sorted(late_cat), "papers": [r.title for r in late[:20]]},
                        ],
                        "suspect_papers": [f"{r.source}:{r.line}" for r in minority],
                    }
                )
    return flagged
