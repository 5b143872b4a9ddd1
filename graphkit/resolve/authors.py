"""Authors: which author occurrences are one person.

The entry point is :func:`resolve_authors`. It takes :class:`AuthorOccurrences`
(one row per author of each record of each resolved paper) and returns an
:class:`AuthorResolution`: the author id of every occurrence, the author
entities, and the typed log (merges, ambiguous pairs).

The rules are the identity engine's (:mod:`graphkit.resolve.identity`), in
order: the user's curation file; identifiers (the same ORCID, OpenAlex, DBLP
or Scopus id is one person, two different ids of one scheme never are); one
spelling key is one person unless ids or affiliations say otherwise (a very
common name at different affiliations with no shared co-author is split);
weaker variants (name order, spacing, a missing middle name, initials) merge
on evidence (shared co-authors or affiliations; the same position of one
paper's author lists on two records that otherwise agree), else they are
reported as ambiguous. This module turns :class:`AuthorOccurrences` into the
engine's occurrences (rows built only where needed), finds the positional
evidence, and turns the engine's keys into author entities and the log.

No step compares all pairs: every comparison happens inside a block that
shares a key, and blocks are capped.

Examples
--------
>>> occ = AuthorOccurrences()
>>> r1 = occ.add_record("paper:1", source="a.bib", line=3, year=2020)
>>> occ.add(r1, "Zhi-Hong Deng", position=0)
>>> occ.add(r1, "Wei Wang", position=1, ids=("orcid:0000-0001-0000-0009",))
>>> r2 = occ.add_record("paper:2", source="b.bib", line=9, year=2021)
>>> occ.add(r2, "Zhihong Deng", position=0)
>>> occ.add(r2, "Wei Wang", position=1, ids=("orcid:0000-0001-0000-0017",))
>>> res = resolve_authors(occ)
>>> res.author_of
['author:zhihong-deng', 'author:wei-wang~orcid-0000-0001-0000-0009', 'author:zhihong-deng', 'author:wei-wang~orcid-0000-0001-0000-0017']
>>> res.authors["author:zhihong-deng"].name_variants
['Zhi-Hong Deng', 'Zhihong Deng']
"""

from __future__ import annotations

import re
import sys
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from graphkit.keys import compact_key, name_key, person_id
from graphkit.models import Profile
from graphkit.resolve.identity import IdentityOptions, IdentityResult, Occurrence, informative, resolve_identities
from graphkit.resolve.log import Ambiguity, Merge, ProfileFlag
from graphkit.resolve.records import AT_INDEX

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
_NO_POSITION = -1
MAX_COAUTHORS = 100  # author lists longer than this give no co-author evidence (as --max-authors gives no pairs)


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

    __slots__ = ("rec_paper", "rec_source", "rec_line", "rec_number", "rec_year", "rec_venue", "rec_category", "rec_title",
                 "record", "name", "given", "family", "position", "ids", "inferred", "institution_ids",
                 "affiliation_names")

    def __init__(self) -> None:
        self.rec_paper: list[str] = []
        self.rec_source: list[str] = []
        self.rec_line: array = array("q")
        self.rec_number: array = array("q")  # the 1-based record number where a format numbers records, else 0
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
                   category: str | None = None, title: str = "", number: int | None = None) -> int:
        """Add a record of a resolved paper (``number``: its record number where the format has no lines);
        returns its row for :meth:`add`."""
        self.rec_paper.append(paper)
        self.rec_source.append(sys.intern(source))
        self.rec_line.append(line)
        self.rec_number.append(number or 0)
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

    def add_authors(self, record: int, authors: Sequence, institution: Callable | None = None,
                    compared_as: Callable | None = None) -> list[str]:
        """Add the authors of record row ``record`` as a compact record holds them (names or ``Author`` tuples).

        Same rows as :meth:`add_name` and :meth:`add` per author, in one call
        per record. ``institution`` maps an affiliation to an institution id
        (or None); ``compared_as`` (called after it) to the text identity
        compares it by when the institution is known (None: as written).
        Returns the ids found, in order.
        """
        rec, name_col, given_col, family_col, pos_col, ids_col, inf_col, inst_col, aff_col = (
            self.record.append, self.name.append, self.given.append, self.family.append, self.position.append,
            self.ids.append, self.inferred.append, self.institution_ids.append, self.affiliation_names.append)
        found: list[str] = []
        for position, author in enumerate(authors):
            rec(record)
            if type(author) is str:  # a name at its position, nothing else known
                name_col(author if author.isascii() else _nfc(author))
                given_col(None)
                family_col(None)
                pos_col(position)
                ids_col(())
                inf_col(0)
                inst_col(())
                aff_col(())
                continue
            inst_ids: tuple[str, ...] = ()
            names: tuple[str, ...] = ()
            if author.affiliations and institution is not None:
                resolved = [(aff, institution(aff)) for aff in author.affiliations]
                inst_ids = tuple(dict.fromkeys(iid for _, iid in resolved if iid is not None))
                # An affiliation a ROR or OpenAlex id pins down, or the alias table knows, is that institution,
                # whatever its name says ("Meta (United States)" and "Facebook (United States)", both
                # ror:01zbnvs85; "Tsinghua University" written, and ROR 03cve4549); others as written.
                names = tuple(dict.fromkeys(
                    known if compared_as is not None and iid is not None and (known := compared_as(aff)) is not None
                    else iid if iid is not None and _pinned(aff) else aff.name
                    for aff, iid in resolved if aff.name or (iid is not None and _pinned(aff))))
                found.extend(inst_ids)
            at = author.position
            name_col(sys.intern(_nfc(author.name)))
            given_col(author.given and _nfc(author.given))
            family_col(author.family and _nfc(author.family))
            pos_col(position if at == AT_INDEX else _NO_POSITION if at is None else at)
            ids_col(author.ids or ())
            inf_col(1 if author.inferred else 0)
            inst_col(inst_ids)
            aff_col(names)
        return found

    def __len__(self) -> int:
        return len(self.name)

    def paper_of(self, i: int) -> str:
        return self.rec_paper[self.record[i]]

    def position_of(self, i: int) -> int | None:
        p = self.position[i]
        return None if p == _NO_POSITION else p

    def locator(self, record: int) -> str:
        """Where the record is, as problems say it: ``file:line``, or ``file: record N`` for a numbered record."""
        line, number = self.rec_line[record], self.rec_number[record]
        if not line and number:
            return f"{self.rec_source[record]}: record {number}"
        return f"{self.rec_source[record]}:{line}"

    def record_bounds(self) -> tuple[array, array]:
        """Per record row, its first occurrence row and the row after its last (equal when it has none).

        The occurrences of a record are consecutive, added in record order.
        """
        n = len(self.rec_paper)
        first, end = array("q", [0]) * n, array("q", [0]) * n
        previous = -1
        for i, r in enumerate(self.record):
            if r != previous:
                first[r] = i
                previous = r
            end[r] = i + 1
        return first, end


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
    identities: dict = field(default_factory=dict)  # report.json's "identities" section
    problems: list = field(default_factory=list)  # the curation file's (a rule matching nobody)
    flags: list[ProfileFlag] = field(default_factory=list)  # pages whose owner's papers are people with different ids


def _nfc(text: str) -> str:
    """A name in Unicode's composed form (``Mu\u0308ller``, as macOS tools export it, is ``Müller``): one
    spelling, not two that look the same."""
    return text if text.isascii() else sys.intern(unicodedata.normalize("NFC", text))


def _pinned(aff) -> bool:
    """Whether an affiliation carries an institution id (ROR, OpenAlex) that decides which institution it is."""
    return any(i.partition(":")[0].lower() in ("ror", "openalex") for i in aff.ids)


#: A group written where authors are (``The ATLAS Collaboration``, ``SciPy 1.0 Contributors``, ``GTEx
#: Consortium``): its word last, or after "The". Not a person: no Author node, no co-authorships.
_COLLECTIVE = re.compile(
    r"(?i)(?:^the\s.*\b(?:collaboration|consorti(?:um|a)|contributors|investigators|group|team|committee|project|"
    r"initiative|network|alliance|task force)s?\b|\b(?:collaborations?|consorti(?:um|a)|contributors|investigators|"
    r"(?:working|study|research|writing|steering) groups?|task force|committee)\s*$)")


class _Keys:
    """Memoised name keys, with redirects (weak variants found to be one person)."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}
        self.redirect: dict[str, str] = {}
        self.collective: set[str] = set()  # names of groups, not people, met by many()

    def raw(self, name: str) -> str:
        key = self._cache.get(name)
        if key is None:
            key = self._cache[name] = name_key(name)
        return key

    def many(self, names: list[str]) -> list[str]:
        """The key of every name (each distinct name keyed once); a collective name (``The ATLAS
        Collaboration``) keys to nothing, as a name with nothing to key on does: it is no person."""
        cache = self._cache
        for name in dict.fromkeys(names):
            if name not in cache:
                if _COLLECTIVE.search(name):
                    cache[name] = ""
                    self.collective.add(name)
                else:
                    cache[name] = name_key(name)
        return list(map(cache.__getitem__, names))

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


class _EngineView:
    """:class:`AuthorOccurrences` as the identity engine reads them.

    The engine walks the name columns of every occurrence, and asks for a full
    row (:class:`~graphkit.resolve.identity.Occurrence`: ids, affiliations,
    co-authors, record) only for names something could split or join, so a
    build of millions of authorships builds few rows.
    """

    __slots__ = ("occ", "name", "given", "family", "ids", "keys", "pages", "_first", "_end")

    def __init__(self, occ: AuthorOccurrences, ids: list[tuple[str, ...]], keys: list[str], pages=frozenset()):
        self.occ = occ
        self.pages = pages  # (source, name key) of each profile page and its owner
        self.name, self.given, self.family = occ.name, occ.given, occ.family
        self.ids, self.keys = ids, keys
        self._first: array | None = None
        self._end: array | None = None

    def __len__(self) -> int:
        return len(self.name)

    def has_evidence(self, i: int) -> bool:
        return bool(self.ids[i] or self.occ.affiliation_names[i] or self.occ.institution_ids[i])

    def evidence(self, i: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The ids and affiliations of occurrence ``i``, as its row has them, without the rest of the row."""
        return self.ids[i], self.occ.affiliation_names[i] or self.occ.institution_ids[i]

    def circle(self, i: int) -> tuple[tuple, list[str]]:
        """What ties occurrence ``i`` to others of its name (its paper; the profile page it owns) and its
        co-authors' keys (some may be empty), without building its row."""
        occ = self.occ
        record, lo, hi = self._list_of(i)
        keys = self.keys
        paper, source = occ.rec_paper[record], occ.rec_source[record]
        ties = ((paper,) if paper is not None else ()) + ((("page", source),) if (source, keys[i]) in self.pages else ())
        return ties, ([] if hi - lo > MAX_COAUTHORS else keys[lo:i] + keys[i + 1:hi])

    def _list_of(self, i: int) -> tuple[int, int, int]:
        """Occurrence ``i``'s record row and the occurrence rows of its author list (``lo`` to ``hi``)."""
        record = self.occ.record[i]
        if self._first is None:
            self._first, self._end = self.occ.record_bounds()
        return record, self._first[record], self._end[record]

    def __getitem__(self, i: int) -> Occurrence:
        occ = self.occ
        record, lo, hi = self._list_of(i)
        keys = self.keys
        # a list of hundreds of authors says little about who knows whom, and would cost its square
        if hi - lo > MAX_COAUTHORS:
            coauthors = ()
        elif 1 in occ.inferred[lo:hi]:
            coauthors = tuple(keys[k] for k in range(lo, hi) if k != i and keys[k] and not occ.inferred[k])
        else:  # the common case, in slices
            coauthors = tuple(keys[lo:i] + keys[i + 1:hi])
            if "" in coauthors:
                coauthors = tuple(k for k in coauthors if k)
        affiliations = occ.affiliation_names[i] or occ.institution_ids[i]
        position = occ.position[i]
        return Occurrence(occ.name[i], occ.given[i], occ.family[i], self.ids[i], affiliations, coauthors,
                          occ.rec_paper[record], None if position == _NO_POSITION else position,
                          f"{occ.rec_source[record]}:{occ.rec_line[record]}#{record}")  # one per list, also where
        # a reader numbers records rather than lines (JSON: every record at line 0) or puts many on one line


def resolve_authors(occ: AuthorOccurrences, *, profiles: Sequence[Profile] = (),
                    identity: IdentityOptions | None = None, places: Callable | None = None) -> AuthorResolution:
    """Resolve author occurrences into people (see the module docstring for the rules).

    ``profiles`` are the profile pages read: each owner's author takes the
    page's metrics, and is marked ``is_profile_owner``. ``identity`` holds
    the user's settings (bias, homonym splitting, curation file); ``places``
    (the alias table's ``canonical``) lets the curation file's ``@ MIT`` find
    the institution by any of its names.
    """
    options = identity or IdentityOptions()
    keys = _Keys()
    n = len(occ)
    key_of = keys.many(occ.name)
    # equal id tuples are often one object (a DBLP person on each of their papers): parse each once
    parsed: dict[tuple[str, ...], tuple[str, ...]] = {(): ()}
    ids_of = [parsed[raw] if raw in parsed else parsed.setdefault(raw, _person_ids(raw)) for raw in occ.ids]
    if options.engine:
        view = _EngineView(occ, ids_of, key_of, {(profile.source, keys.raw(profile.name)) for profile in profiles})
        result = resolve_identities(view, bias=options.bias, split_homonyms=options.split_homonyms,
                                    curation=options.curation, links=_positional_links(occ, keys), places=places)
    else:  # the full-name key and nothing else, for benchmarks
        result = IdentityResult(keys=key_of)

    interned: dict[str, str] = {}
    author_key: dict[str, str] = {}  # engine key -> author id
    for key in dict.fromkeys(k for k, raw in zip(result.keys, key_of) if raw):  # each author key once, in order
        author_key[key] = interned.setdefault(author_id(key), author_id(key))
    author_of = [author_key[key] if raw else None for key, raw in zip(result.keys, key_of)]

    # entities: spellings, ids, profile metrics
    spellings: dict[str, Counter] = {}
    keys_of_author: dict[str, Counter] = defaultdict(Counter)
    ids_of_author: dict[str, set[str]] = defaultdict(set)
    # counted in C: (author, spelling, inferred) and (author, name key) pairs, then per author in
    # order of first occurrence (the order the entities and their variants are listed in)
    spelled = {name: " ".join(name.split()) for name in dict.fromkeys(occ.name)}
    for (aid, spelling, inferred), count in Counter(zip(author_of, map(spelled.__getitem__, occ.name), occ.inferred)).items():
        if aid is None:
            continue
        seen = spellings.get(aid)
        if seen is None:
            seen = spellings[aid] = Counter()
        if inferred:
            seen.setdefault(spelling, 0)
        else:
            seen[spelling] += count
    for (aid, key), count in Counter(zip(author_of, key_of)).items():
        if aid is not None:
            keys_of_author[aid][key] += count
    for aid, ids in zip(author_of, ids_of):
        if ids and aid is not None:
            ids_of_author[aid].update(ids)
    for i, added in result.added_ids.items():  # "this name at this affiliation is ORCID X"
        if author_of[i] is not None:
            ids_of_author[author_of[i]].update(_person_ids(added))

    # profile owners: the author their own page's occurrences of the owner's name resolved to
    # (only for the owners' names and pages: counted in C, then grouped)
    owner_votes: dict[tuple[str, str], Counter] = {}
    by_key: dict[str, Counter] = defaultdict(Counter)
    wanted = {keys.raw(profile.name) for profile in profiles}
    if wanted:
        pages = {(profile.source, keys.raw(profile.name)) for profile in profiles}
        rec_source = occ.rec_source
        for (source, key, aid), votes in Counter(
                (rec_source[r], k, a) for r, k, a in zip(occ.record, key_of, author_of) if k in wanted and a is not None).items():
            by_key[key][aid] += votes
            if (source, key) in pages:
                owner_votes.setdefault((source, key), Counter())[aid] += votes
    profile_authors: list[str | None] = []
    flags: list[ProfileFlag] = []
    owner_profiles: dict[str, list[Profile]] = defaultdict(list)
    for profile in profiles:
        key = keys.raw(profile.name)
        if not key:
            profile_authors.append(None)
            continue
        votes = owner_votes.get((profile.source, key)) or by_key.get(key)
        aid = max(votes, key=lambda a: (votes[a], a)) if votes else author_id(key)
        aid = interned.setdefault(aid, aid)
        if (mine := owner_votes.get((profile.source, key))) and len(mine) > 1:
            flag = _page_of_two(profile, aid, mine, ids_of_author)
            if flag is not None:
                flags.append(flag)
        profile_authors.append(aid)
        spellings.setdefault(aid, Counter())[" ".join(profile.name.split())] += 1
        keys_of_author[aid][key] += 0
        owner_profiles[aid].append(profile)

    engine_key = {aid: key for key, aid in author_key.items()}
    authors: dict[str, AuthorEntity] = {}
    merges: list[Merge] = []
    for aid, seen in spellings.items():
        # ties go to the spelling the author id was made from
        own = engine_key.get(aid, "")
        # the spelling the id was made from names the author (the fuller one where weaker variants joined), written
        # with its accents and cases where some source has them ("José García-López" over "Jose Garcia-Lopez"), then
        # the most frequent
        # (a profile owner: as their own page writes it)
        owned = {" ".join(p.name.split()) for p in owner_profiles.get(aid, ())}
        variants = sorted(seen, key=lambda s: (s not in owned, keys.raw(s) != own, -informative(s), -seen[s], s))
        ids = sorted(ids_of_author.get(aid, ()))
        orcid = next((i.partition(":")[2] for i in ids if i.startswith("orcid:")), None)
        entity = AuthorEntity(id=aid, name=variants[0], name_variants=variants, orcid=orcid, ids=ids)
        how = result.merged_on.get(engine_key.get(aid, ""), [])
        if how:
            reason = "; ".join(how)
            if len(variants) > len({keys.raw(v) for v in variants}):
                reason += "; the other spellings share a name key (case, diacritics, dashes, periods or spacing differ)"
            merges.append(Merge("author", aid, variants[0], variants, reason))
        elif len(variants) > 1:
            key = max(keys_of_author[aid], key=lambda k: keys_of_author[aid][k])
            merges.append(Merge("author", aid, variants[0], variants,
                                f"spellings share the name key {key!r} (case, diacritics, dashes, periods or spacing differ)"))
        for profile in owner_profiles.get(aid, ()):
            entity.is_profile_owner = True
            for metric in PROFILE_METRICS:
                if getattr(entity, metric) is None:
                    setattr(entity, metric, getattr(profile, metric))
        if len(owner_profiles.get(aid, ())) > 1:
            merges.append(Merge("author", aid, entity.name, [p.source for p in owner_profiles[aid]],
                                "several profile pages have owners with this name key; metrics taken from the first page "
                                "showing each" + _page_metrics(owner_profiles[aid])))
        authors[aid] = entity

    ambiguous = _ambiguities(occ, author_of, authors, result, author_key)
    section = _identity_section(result, author_key, options)
    if keys.collective:  # groups written as authors: listed, never Author nodes
        groups = Counter(name for name in occ.name if name in keys.collective)
        section["collective_names"] = dict(sorted(groups.items(), key=lambda kv: (-kv[1], kv[0])))
        section["counts"]["collective_names"] = len(groups)
    return AuthorResolution(author_of, authors, profile_authors, merges, ambiguous, identities=section,
                            problems=list(result.problems), flags=flags)


def _page_metrics(pages: list[Profile]) -> str:
    """The pages' metrics where they differ, so that none is dropped unsaid (two people under one name, or one
    profile captured at two times)."""
    shown = {(p.h_index, p.citations) for p in pages}
    if len(shown) < 2:
        return ""

    def metrics(p: Profile) -> str:
        given = [f"{k} {v}" for k, v in (("h-index", p.h_index), ("citations", p.citations)) if v is not None]
        return f"{p.source}: {', '.join(given) or 'none'}"

    return (f"; the pages give different metrics (possibly two people under one name: ids or an identities file "
            f"can split them): {'; '.join(metrics(p) for p in pages[:6])}")


def _page_of_two(profile: Profile, owner: str, votes: Counter, ids_of_author: dict) -> ProfileFlag | None:
    """A flag for a profile page whose owner's papers resolved to people with different ids of one scheme (two
    ORCIDs): the page's metrics went to ``owner``, the one with the most of its papers, and the page says so."""
    people = sorted(votes, key=lambda a: (-votes[a], a))
    schemes: dict[str, set[str]] = defaultdict(set)
    for aid in people:
        for pid in ids_of_author.get(aid, ()):
            scheme, _, value = pid.partition(":")
            if scheme in ("orcid", "openalex", "scopus"):
                schemes[scheme].add(value)
    clash = sorted(s for s, values in schemes.items() if len(values) > 1)
    if not clash:
        return None
    shown = "; ".join(f"{aid} ({votes[aid]} paper(s){', ' + ', '.join(sorted(ids_of_author.get(aid, ())))[:80] if ids_of_author.get(aid) else ''})"
                      for aid in people[:4])
    return ProfileFlag(profile=profile.name, author_id=owner, source=profile.source, reason=(
        f"the owner's papers on this page belong to {len(people)} people with different {' and '.join(clash)} ids: "
        f"{shown}; the page's metrics and owner mark went to {owner} ({votes[owner]} of {sum(votes.values())} "
        "papers; give the people ids or an identities file to choose)"))


def _identity_section(result, author_key: dict[str, str], options: IdentityOptions) -> dict:
    """The ``identities`` section of report.json: settings, counts, decisions, explanations."""
    def aid(key: str) -> str:
        return author_key.get(key) or author_id(key)

    decisions = []
    for d in result.decisions:
        row = d.as_dict()
        row["keys"] = [aid(k) for k in d.keys]
        decisions.append(row)
    return {
        "settings": {"bias": options.bias, "split_homonyms": options.split_homonyms,
                     "identities_file": getattr(options.curation, "source", None)},
        "counts": result.stats(),
        "decisions": decisions,
        "authors": {aid(k): text for k, text in sorted(result.explanations.items())},
    }


def _ambiguities(occ, author_of, authors, result, author_key) -> list[Ambiguity]:
    """The engine's ambiguous pairs of two authors, with their shared co-authors and papers."""
    pairs = []
    for d in result.decisions:
        if d.kind == "ambiguous" and len(d.keys) == 2:
            a, b = sorted(author_key.get(k) or author_id(k) for k in d.keys)
            if a in authors and b in authors and a != b:
                pairs.append((a, b, d.reason))
    if not pairs:
        return []
    # only the papers of the authors in a pair, and only their authors (not a map of the whole build)
    wanted = {aid for a, b, _ in pairs for aid in (a, b)}
    papers_of: dict[str, set[str]] = defaultdict(set)
    authors_of: dict[str, set[str]] = defaultdict(set)
    rec_paper = occ.rec_paper
    for record, aid in zip(occ.record, author_of):
        if aid in wanted:
            papers_of[aid].add(rec_paper[record])
    their_papers = {p for ps in papers_of.values() for p in ps}
    for record, aid in zip(occ.record, author_of):
        if aid is not None and (paper := rec_paper[record]) in their_papers:
            authors_of[paper].add(aid)

    def coauthors(aid: str) -> set[str]:
        return {c for p in papers_of[aid] for c in authors_of[p]} - {aid}

    seen: set[tuple[str, str]] = set()
    out = []
    for a, b, reason in sorted(pairs):
        if (a, b) in seen:
            continue
        seen.add((a, b))
        out.append(Ambiguity(a, b, [authors[a].name, authors[b].name], reason,
                             len(coauthors(a) & coauthors(b)), len(papers_of[a] & papers_of[b])))
    return out


# ------------------------------------------------------- same-position merges

def _positional_links(occ: AuthorOccurrences, keys: _Keys) -> list[tuple[int, int, str]]:
    """Occurrence pairs one paper shows at the same position on two records whose lists otherwise agree.

    Strong evidence that two weak variants are one person: ``Matthew E.
    Peters`` and ``Matthew Peters`` both first on ELMo.
    """
    # Most papers come from one record only: look at the others' records alone.
    rec_paper = occ.rec_paper
    several = {paper for paper, n in Counter(rec_paper).items() if n > 1}
    if not several:
        return []
    first, end = occ.record_bounds()
    by_paper: dict[str, list[int]] = defaultdict(list)
    lists: dict[int, list[tuple[int, int]]] = {}  # record -> [(position, occurrence)] of its shown authors
    position, inferred = occ.position, occ.inferred
    for record, paper in enumerate(rec_paper):
        if paper in several:
            shown_here = [(position[i], i) for i in range(first[record], end[record]) if not inferred[i]]
            if shown_here:
                lists[record] = shown_here
                by_paper[paper].append(record)
    links: list[tuple[int, int, str]] = []
    for records in by_paper.values():
        if len(records) < 2:
            continue
        shown = {r: [i for _, i in sorted(lists[r])] for r in records}
        for x in range(len(records)):
            for y in range(x + 1, len(records)):
                rx, ry = records[x], records[y]
                names_x = [occ.name[i] for i in shown[rx]]
                names_y = [occ.name[i] for i in shown[ry]]
                for position, _, _, _ in _same_list_variants(names_x, names_y, keys):
                    i, j = shown[rx][position], shown[ry][position]
                    links.append((i, j, f"same position on one paper: {occ.name[j]!r} ({occ.locator(ry)}) and "
                                        f"{occ.name[i]!r} ({occ.locator(rx)}) stand at position {position} of the author "
                                        f"lists of {occ.rec_title[rx]!r}, which otherwise agree"))
    return links


def _same_list_variants(a: list[str], b: list[str], keys: _Keys) -> list[tuple[int, str, str, str]]:
    """Positions where two shown author lists of one paper have weak variants of one name.

    Empty when the lists disagree in order (a name of one list elsewhere in
    the other) or show another person (another family name) at some
    position. A position whose names share the family name but are not
    recognisably one spelling (``Zhou, Z.-H.`` and ``Zhou, Zhi-Hua`` as two
    exports render them) only stays unlinked: it does not cancel the others.

    >>> k = _Keys()
    >>> [p for p, *_ in _same_list_variants(["F.T. Liu", "K.M. Ting", "Z. Q. Zhou"], ["Fei Tony Liu", "Kai Ming Ting", "Wei Zhou"], k)]
    [0, 1]
    >>> _same_list_variants(["F.T. Liu", "K.M. Ting"], ["Fei Tony Liu", "Kai Ming Wong"], k)
    []
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
            if _family(x) != _family(y):
                return []
            continue
        found.append((position, x, y, why))
    return found


_SUFFIX_TOKENS = frozenset(("jr", "sr", "ii", "iii", "iv"))


def _family(key: str) -> str:
    tokens = _without_suffix(key.split())
    return tokens[-1] if tokens else ""


def _without_suffix(tokens: list[str]) -> list[str]:
    return tokens[:-1] if len(tokens) > 2 and tokens[-1] in _SUFFIX_TOKENS else tokens


def weak_reason(a: str, b: str) -> str | None:
    """Why two different name keys might be one person (spacing, initials, middle name), or None.

    >>> weak_reason("matthew e peters", "matthew peters")
    'one name has a middle name or initial the other lacks'
    >>> weak_reason("zhihao zhang", "zhengxin zhang") is None
    True
    >>> weak_reason("z h zhou", "zhihua zhou"), weak_reason("guy l steele jr", "g l steele")
    ('one name gives initials of a hyphenated given name the other spells out', 'one name gives initials where the other spells the given names out')
    """
    ta, tb = _without_suffix(a.split()), _without_suffix(b.split())
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
    return _weak_link("joined", ta, tb)


def _weak_link(kind: str, a: list[str], b: list[str]) -> str | None:
    if kind == "compact":
        return "names differ only in spacing"
    given_a, given_b = a[:-1], b[:-1]
    if kind == "initials" and len(given_a) == len(given_b):
        compatible = all(x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)) for x, y in zip(given_a, given_b))
        if compatible and given_a != given_b:
            return "one name gives initials where the other spells the given names out"
    if kind == "joined":
        # "z h" and "zhihua" (Zhi-Hua, its hyphen gone from the key): one given name against its syllables' initials
        for initials, joined in ((given_a, given_b), (given_b, given_a)):
            if len(joined) == 1 and len(initials) >= 2 and all(len(t) == 1 for t in initials):
                word = joined[0]
                if word[0] == initials[0] and _in_order(initials[1:], word[1:]):
                    return "one name gives initials of a hyphenated given name the other spells out"
        return None
    if kind == "first" and len(given_a) != len(given_b):
        short, long_ = sorted((given_a, given_b), key=len)
        it = iter(long_)
        if all(any(tok == other or (len(other) == 1 and tok.startswith(other)) or (len(tok) == 1 and other.startswith(tok)) for other in it) for tok in short):
            return "one name has a middle name or initial the other lacks"
    return None


def _in_order(letters: list[str], word: str) -> bool:
    at = 0
    for letter in letters:
        at = word.find(letter, at) + 1
        if at == 0:
            return False
    return True


# ------------------------------------------------------------ ambiguous pairs
