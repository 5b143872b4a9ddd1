"""Authors: which author occurrences are one person.

The entry point is :func:`resolve_authors`. It takes :class:`AuthorOccurrences`
(one row per author of each record of each resolved paper) and returns an
:class:`AuthorResolution`: the author id of every occurrence, the author
entities, and the typed log (merges, ambiguous pairs).

The rules, in order:

1. Identifiers first. Occurrences sharing a person id (``orcid:``,
   ``openalex:``, ``dblp:``, ``scopus:``) are one person; two different ids of
   one scheme are never one person, whatever the names say.
2. Names. Occurrences without ids join the one id-bearing person with their
   name key (:func:`~graphkit.keys.name_key`: case, diacritics, dashes,
   periods and spacing do not split a person), else form a person of that key.
   When several id-bearing people share a key, id-less occurrences of the key
   stay apart from all of them.
3. Weak name variants (spacing, initials, a dropped middle name) merge only on
   strong evidence: they stand at the same position of two records' shown
   author lists of one paper, and the lists otherwise agree. Linked by the
   name alone they are reported as ambiguous, never merged.

No step compares all pairs: every comparison happens inside a block that
shares a key, and blocks are capped.

Examples
--------
>>> occ = AuthorOccurrences()
>>> r1 = occ.add_record("paper:1", source="a.bib", line=3, year=2020)
>>> occ.add(r1, "Zhi-Hong Deng", position=0)
>>> occ.add(r1, "Wei Wang", position=1, ids=("orcid:0000-0001-0000-0001",))
>>> r2 = occ.add_record("paper:2", source="b.bib", line=9, year=2021)
>>> occ.add(r2, "Zhihong Deng", position=0)
>>> occ.add(r2, "Wei Wang", position=1, ids=("orcid:0000-0001-0000-0002",))
>>> res = resolve_authors(occ)
>>> res.author_of
['author:zhihong-deng', 'author:wei-wang~orcid-0000-0001-0000-0001', 'author:zhihong-deng', 'author:wei-wang~orcid-0000-0001-0000-0002']
>>> res.authors["author:zhihong-deng"].name_variants
['Zhi-Hong Deng', 'Zhihong Deng']
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx

from graphkit.keys import compact_key, name_key, person_id, slug
from graphkit.models import Profile
from graphkit.resolve.log import Ambiguity, Merge

__all__ = [
    "PERSON_ID_SCHEMES",
    "PROFILE_METRICS",
    "AuthorEntity",
    "AuthorOccurrences",
    "AuthorResolution",
    "author_id",
    "resolve_authors",
]

PROFILE_METRICS = ("h_index", "citations", "paper_count", "novelty", "ai_score", "primary_category")
PERSON_ID_SCHEMES = ("orcid", "openalex", "dblp", "scopus")
MAX_BLOCK = 50  # pairs are looked at only inside blocks up to this size
_NO_POSITION = -1


@dataclass(slots=True)
class AuthorEntity:
    id: str
    name: str
    name_variants: list[str]
    orcid: str | None = None
    ids: list[str] = field(default_factory=list)
    is_profile_owner: bool = False
    h_index: int | None = None
    citations: int | None = None
    paper_count: int | None = None
    novelty: float | None = None
    ai_score: float | None = None
    primary_category: str | None = None


def author_id(key: str) -> str:
    """Stable author id from a name key: ``author:zhengxin-zhang``."""
    return "author:" + key.replace(" ", "-")


class AuthorOccurrences:
    """Author occurrences, held column by column (millions of rows stay lean).

    Two tables. Records (one row per input record of a resolved paper):
    ``rec_paper`` (the resolved paper id), ``rec_source``, ``rec_line``,
    ``rec_year``, ``rec_venue``, ``rec_category``, ``rec_title``. Occurrences
    (one row per author of a record, in the record's order): ``record`` (row
    of the record table), ``name`` (as written), ``given``, ``family``,
    ``position`` (0-based, -1 when inferred/unknown; read it with
    :meth:`position_of`), ``ids`` (person ids, canonical ``scheme:value``),
    ``inferred`` (bytes 0/1), ``institution_ids`` (resolved institution ids of
    this author's own affiliations on this record) and ``affiliation_names``
    (those affiliations as written). Strings are interned; empty tuples shared.

    Records of one paper are added consecutively, the paper's primary (most
    complete) record first.
    """

    __slots__ = ("rec_paper", "rec_source", "rec_line", "rec_year", "rec_venue", "rec_category", "rec_title",
                 "record", "name", "given", "family", "position", "ids", "inferred", "institution_ids",
                 "affiliation_names")

    def __init__(self) -> None:
        self.rec_paper: list[str] = []
        self.rec_source: list[str] = []
        self.rec_line: array = array("q")
        self.rec_year: list[int | None] = []
        self.rec_venue: list[str | None] = []
        self.rec_category: list[str | None] = []
        self.rec_title: list[str] = []
        self.record: array = array("q")
        self.name: list[str] = []
        self.given: list[str | None] = []
        self.family: list[str | None] = []
        self.position: array = array("q")
        self.ids: list[tuple[str, ...]] = []
        self.inferred = bytearray()
        self.institution_ids: list[tuple[str, ...]] = []
        self.affiliation_names: list[tuple[str, ...]] = []

    def add_record(self, paper: str, *, source: str, line: int = 0, year: int | None = None, venue: str | None = None,
                   category: str | None = None, title: str = "") -> int:
        """Add a record of a resolved paper; returns its row for :meth:`add`."""
        self.rec_paper.append(paper)
        self.rec_source.append(sys.intern(source))
        self.rec_line.append(line)
        self.rec_year.append(year)
        self.rec_venue.append(venue)
        self.rec_category.append(category)
        self.rec_title.append(title)
        return len(self.rec_paper) - 1

    def add(self, record: int, name: str, *, given: str | None = None, family: str | None = None,
            position: int | None = None, ids: tuple[str, ...] = (), inferred: bool = False,
            institution_ids: tuple[str, ...] = (), affiliation_names: tuple[str, ...] = ()) -> None:
        """Add one author occurrence of record row ``record``."""
        self.record.append(record)
        self.name.append(sys.intern(name))
        self.given.append(given)
        self.family.append(family)
        self.position.append(_NO_POSITION if position is None else position)
        self.ids.append(ids or ())
        self.inferred.append(1 if inferred else 0)
        self.institution_ids.append(institution_ids or ())
        self.affiliation_names.append(affiliation_names or ())

    def add_name(self, record: int, name: str, position: int) -> None:
        """Add an occurrence known only by its name and position (the common case, kept quick)."""
        self.record.append(record)
        self.name.append(name)
        self.given.append(None)
        self.family.append(None)
        self.position.append(position)
        self.ids.append(())
        self.inferred.append(0)
        self.institution_ids.append(())
        self.affiliation_names.append(())

    def __len__(self) -> int:
        return len(self.name)

    def paper_of(self, i: int) -> str:
        return self.rec_paper[self.record[i]]

    def position_of(self, i: int) -> int | None:
        p = self.position[i]
        return None if p == _NO_POSITION else p

    def locator(self, record: int) -> str:
        return f"{self.rec_source[record]}:{self.rec_line[record]}"


@dataclass
class AuthorResolution:
    """What :func:`resolve_authors` found.

    ``author_of[i]`` is occurrence i's author id (None for a name with
    nothing to key on); ``profile_authors[k]`` the author id of the k-th
    profile passed in.
    """

    author_of: list[str | None]
    authors: dict[str, AuthorEntity]
    profile_authors: list[str | None] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    ambiguous: list[Ambiguity] = field(default_factory=list)


class _Keys:
    """Memoised name keys, with redirects (weak variants found to be one person)."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}
        self.redirect: dict[str, str] = {}

    def raw(self, name: str) -> str:
        key = self._cache.get(name)
        if key is None:
            key = self._cache[name] = name_key(name)
        return key

    def __call__(self, name: str) -> str:
        key = self.raw(name)
        return self.redirect.get(key, key)


def _person_ids(raw: Iterable[str]) -> tuple[str, ...]:
    out = []
    for value in raw:
        pid = person_id(value)
        if pid is not None and pid.partition(":")[0] in PERSON_ID_SCHEMES and pid not in out:
            out.append(pid)
    return tuple(out)


def resolve_authors(occ: AuthorOccurrences, *, profiles: Sequence[Profile] = ()) -> AuthorResolution:
    """Resolve author occurrences into people (see the module docstring for the rules).

    ``profiles`` are the profile pages read: each owner's author takes the
    page's metrics, and is marked ``is_profile_owner``.
    """
    keys = _Keys()
    n = len(occ)
    position_reasons = _positional_merges(occ, keys)

    # 1. identities from person ids (union-find; one value per scheme per identity)
    ids_of = [_person_ids(raw) if raw else () for raw in occ.ids]
    uf = nx.utils.UnionFind()
    held: dict[str, dict[str, str]] = {}  # root -> scheme -> value
    for ids in ids_of:
        for pid in ids:
            if pid not in uf.parents:
                uf[pid]
                held[pid] = {pid.partition(":")[0]: pid}
        for a, b in zip(ids, ids[1:]):
            ra, rb = uf[a], uf[b]
            if ra == rb:
                continue
            ha, hb = held[ra], held[rb]
            if any(s in hb and hb[s] != v for s, v in ha.items()):
                continue  # this would tie two ids of one scheme together: they stay two people
            uf.union(ra, rb)
            root = uf[ra]
            held[root] = {**ha, **hb}

    # 2. group occurrences: identity root, else name key
    key_by_name: dict[str, str] = {}
    for name in occ.name:
        if name not in key_by_name:
            key_by_name[name] = keys(name)
    key_of: list[str] = [key_by_name[name] for name in occ.name]
    roots_of_key: dict[str, set[str]] = defaultdict(set)
    root_of: list[str | None] = [None] * n
    with_ids = [i for i, ids in enumerate(ids_of) if ids]
    for i in with_ids:
        if key_of[i]:
            root_of[i] = uf[ids_of[i][0]]
            roots_of_key[key_of[i]].add(root_of[i])
    root_keys: dict[str, Counter] = defaultdict(Counter)
    if roots_of_key:
        for i in range(n):
            if root_of[i] is None and key_of[i] and len(roots_of_key.get(key_of[i], ())) == 1:
                root_of[i] = next(iter(roots_of_key[key_of[i]]))
        for i in range(n):
            if root_of[i] is not None:
                root_keys[root_of[i]][key_of[i]] += 1
    root_id: dict[str, str] = {}
    for root, counted in root_keys.items():
        main = min(counted, key=lambda k: (-counted[k], -len(k), k))
        if len(roots_of_key[main]) == 1:
            root_id[root] = author_id(main)
        else:
            first = min(i for i in held[root].values())
            root_id[root] = author_id(main) + "~" + slug(first)
    interned: dict[str, str] = {}  # one shared id string per author
    by_key: dict[str, str] = {}
    author_of: list[str | None] = [None] * n
    for i, (key, root) in enumerate(zip(key_of, root_of)):
        if not key:
            continue
        if root is not None:
            aid = root_id[root]
            author_of[i] = interned.setdefault(aid, aid)
        else:
            aid = by_key.get(key)
            if aid is None:
                aid = author_id(key)
                aid = by_key[key] = interned.setdefault(aid, aid)
            author_of[i] = aid

    # 3. entities: spellings, ids, profile metrics
    spellings: dict[str, Counter] = {}
    keys_of_author: dict[str, Counter] = defaultdict(Counter)
    ids_of_author: dict[str, set[str]] = defaultdict(set)
    tidy: dict[str, str] = {}
    for aid, name, inferred, key in zip(author_of, occ.name, occ.inferred, key_of):
        if aid is None:
            continue
        seen = spellings.get(aid)
        if seen is None:
            seen = spellings[aid] = Counter()
        spelling = tidy.get(name)
        if spelling is None:
            spelling = tidy[name] = " ".join(name.split())
        if inferred:
            seen.setdefault(spelling, 0)
        else:
            seen[spelling] += 1
        keys_of_author[aid][key] += 1
    for i in with_ids:
        if author_of[i] is not None:
            ids_of_author[author_of[i]].update(ids_of[i])
    profile_authors: list[str | None] = []
    owner_profiles: dict[str, list[Profile]] = defaultdict(list)
    for profile in profiles:
        key = keys(profile.name)
        if not key:
            profile_authors.append(None)
            continue
        roots = roots_of_key.get(key, ())
        aid = root_id[next(iter(roots))] if len(roots) == 1 else author_id(key)
        aid = interned.setdefault(aid, aid)
        profile_authors.append(aid)
        spellings.setdefault(aid, Counter())[" ".join(profile.name.split())] += 1
        keys_of_author[aid][key] += 0
        owner_profiles[aid].append(profile)

    authors: dict[str, AuthorEntity] = {}
    merges: list[Merge] = []
    for aid, seen in spellings.items():
        variants = sorted(seen, key=lambda s: (-seen[s], s))
        ids = sorted(ids_of_author.get(aid, ()))
        orcid = next((i.partition(":")[2] for i in ids if i.startswith("orcid:")), None)
        entity = AuthorEntity(id=aid, name=variants[0], name_variants=variants, orcid=orcid, ids=ids)
        main_keys = keys_of_author[aid]
        target = next((k for k in main_keys if k in position_reasons), None)
        if ids and len({keys.raw(v) for v in variants}) > 1:
            reason = "occurrences share an identifier (" + ", ".join(ids) + ")"
            if target is not None:
                reason += "; " + position_reasons[target]
            merges.append(Merge("author", aid, variants[0], variants, reason))
        elif target is not None:
            reason = position_reasons[target]
            if len(variants) > len({name_key(v) for v in variants}):
                reason += "; the other spellings share a name key (case, diacritics, dashes, periods or spacing differ)"
            merges.append(Merge("author", aid, variants[0], variants, reason))
        elif len(variants) > 1:
            key = max(main_keys, key=lambda k: main_keys[k])
            merges.append(Merge("author", aid, variants[0], variants,
                                f"spellings share the name key {key!r} (case, diacritics, dashes, periods or spacing differ)"))
        for profile in owner_profiles.get(aid, ()):
            entity.is_profile_owner = True
            for metric in PROFILE_METRICS:
                if getattr(entity, metric) is None:
                    setattr(entity, metric, getattr(profile, metric))
        if len(owner_profiles.get(aid, ())) > 1:
            merges.append(Merge("author", aid, entity.name, [p.source for p in owner_profiles[aid]],
                                "several profile pages have owners with this name key; metrics taken from the first page showing each"))
        authors[aid] = entity

    primary_key = {aid: max(counted, key=lambda k: (counted[k], len(k), k)) for aid, counted in keys_of_author.items()}
    ambiguous = _ambiguous_pairs(occ, author_of, authors, primary_key)
    return AuthorResolution(author_of, authors, profile_authors, merges, ambiguous)


# ------------------------------------------------------- same-position merges

def _positional_merges(occ: AuthorOccurrences, keys: _Keys) -> dict[str, str]:
    """Merge names that one paper shows at the same position on different records.

    Two records of one paper whose shown author lists agree everywhere except
    for names that are weak variants of each other (spacing, initials, a
    missing middle name) are strong evidence that each such pair is one
    person: ``Matthew E. Peters`` and ``Matthew Peters`` both first on ELMo.
    Every group of names linked this way must be pairwise compatible (so
    ``M. Peters`` cannot join ``Matthew E. Peters`` and ``Matthew J. Peters``);
    a group that is not is left apart, and its pairs stay in the ambiguity
    report. The merged person takes the longest key (the most complete name).

    Sets ``keys.redirect`` and returns ``{merged key: reason}`` for the log.
    """
    # shown lists per record, records grouped by paper (records of a paper are consecutive)
    paper_records: dict[str, list[int]] = defaultdict(list)
    for record, paper in enumerate(occ.rec_paper):
        paper_records[paper].append(record)
    several = {r for records in paper_records.values() if len(records) > 1 for r in records}
    if not several:  # most papers come from one record only
        return {}
    lists: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for record, position, name, inferred in zip(occ.record, occ.position, occ.name, occ.inferred):
        if not inferred and record in several:
            lists[record].append((position, name))
    by_paper: dict[str, list[int]] = defaultdict(list)
    for record in lists:
        by_paper[occ.rec_paper[record]].append(record)
    links = nx.Graph()
    for records in by_paper.values():
        if len(records) < 2:  # most papers come from one record only
            continue
        shown = {r: [name for _, name in sorted(lists[r])] for r in records}
        for x in range(len(records)):
            for y in range(x + 1, len(records)):
                rx, ry = records[x], records[y]
                for position, a, b, why in _same_list_variants(shown[rx], shown[ry], keys):
                    if not links.has_edge(a, b):
                        evidence = (shown[rx][position], occ.locator(rx), shown[ry][position], occ.locator(ry))
                        links.add_edge(a, b, position=position, why=why, title=occ.rec_title[rx], shown=evidence)
    mapping: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for group in nx.connected_components(links):
        names = sorted(group)
        if any(weak_reason(a, b) is None for i, a in enumerate(names) for b in names[i + 1:]):
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
    keys.redirect.update(mapping)
    return reasons


def _same_list_variants(a: list[str], b: list[str], keys: _Keys) -> list[tuple[int, str, str, str]]:
    """Positions where two shown author lists of one paper have weak variants of one name.

    Empty when the lists disagree in any other way (another name, another
    order, a name of one list elsewhere in the other).
    """
    ka, kb = [keys(n) for n in a], [keys(n) for n in b]
    found = []
    for position, (x, y) in enumerate(zip(ka, kb)):
        if x == y:
            continue
        if not x or not y or x in kb or y in ka:
            return []
        why = weak_reason(x, y)
        if why is None:
            return []
        found.append((position, x, y, why))
    return found


def weak_reason(a: str, b: str) -> str | None:
    """Why two different name keys might be one person (spacing, initials, middle name), or None.

    >>> weak_reason("matthew e peters", "matthew peters")
    'one name has a middle name or initial the other lacks'
    >>> weak_reason("zhihao zhang", "zhengxin zhang") is None
    True
    """
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


# ------------------------------------------------------------ ambiguous pairs

def _ambiguous_pairs(occ: AuthorOccurrences, author_of: list[str | None], authors: dict[str, AuthorEntity],
                     primary_key: dict[str, str]) -> list[Ambiguity]:
    """Pairs of authors linked by weak evidence only: reported, not merged.

    Authors whose identifiers say they differ (two ORCIDs) are not reported.
    """
    blocks: dict[tuple, list[str]] = defaultdict(list)
    for aid in authors:
        key = primary_key.get(aid, "")
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
                if (a, b) in pairs or primary_key[a] == primary_key[b]:
                    continue
                reason = weak_reason(primary_key[a], primary_key[b])
                if reason and not (authors[a].ids and authors[b].ids and _ids_differ(authors[a], authors[b])):
                    pairs[(a, b)] = reason
    if not pairs:
        return []
    papers_of: dict[str, set[str]] = defaultdict(set)
    authors_of: dict[str, set[str]] = defaultdict(set)
    rec_paper = occ.rec_paper
    for record, aid in zip(occ.record, author_of):
        if aid is not None:
            paper = rec_paper[record]
            papers_of[aid].add(paper)
            authors_of[paper].add(aid)

    def coauthors(aid: str) -> set[str]:
        return {c for p in papers_of[aid] for c in authors_of[p]} - {aid}

    return [
        Ambiguity(a, b, [authors[a].name, authors[b].name], reason,
                  len(coauthors(a) & coauthors(b)), len(papers_of[a] & papers_of[b]))
        for (a, b), reason in sorted(pairs.items())
    ]


def _ids_differ(a: AuthorEntity, b: AuthorEntity) -> bool:
    schemes_a = {i.partition(":")[0]: i for i in a.ids}
    return any(schemes_a.get(i.partition(":")[0], i) != i for i in b.ids)
