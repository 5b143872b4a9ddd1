"""Papers: which records are one paper, and the paper entity they make.

Records are linked (union-find, every comparison inside a block sharing a key):

- on a shared identifier once normalised (DOI, arXiv id, also from a CoRR
  volume ``abs/1312.6168``, an arXiv URL or a DBLP CoRR key; DBLP key;
  OpenAlex id; PubMed, Scopus and Web of Science ids);
- on the same normalised title with years within one, when their author
  lists are compatible (they share a family name, or one list is empty);
- on an identical abstract (100 characters or more);
- when a by-year page's abstract introduces the method a titled paper of the
  same years is named after, and the owner is among (or hidden in) its authors.

>>> from graphkit.models import PaperRecord
>>> from graphkit.resolve.records import compact
>>> recs = [compact(PaperRecord(title="Adam: A Method for Stochastic Optimization", year=2014, authors=("Diederik P. Kingma",),
...                             ids=("dblp:journals/corr/abs-1412-6980",), source="a.xml")),
...         compact(PaperRecord(title="Adam", year=2015, ids=("https://arxiv.org/abs/1412.6980v9",), source="b.json"))]
>>> clusters, reasons = cluster_papers(recs)
>>> clusters, sorted(reasons.values())
([[0, 1]], ['same source id arxiv:1412.6980'])
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx

from graphkit.keys import name_key, paper_ids, title_key
from graphkit.resolve.log import Merge
from graphkit.resolve.records import CompactRecord

__all__ = ["PaperEntity", "cluster_papers", "is_preprint", "order_members", "paper_entity", "paper_id", "record_ids"]

_LEAD_TITLED = re.compile(r"^([^\s:]{2,40}):")
_LEAD_INFERRED = re.compile(r"^([^\s:(]{2,40})(?: \([^)]*\))?:")


@dataclass(slots=True)
class PaperEntity:
    id: str
    title: str
    title_inferred: bool
    year: int | None
    date: str | None
    doi: str | None
    venue: str | None
    kind: str | None
    ids: list[str]
    category: str | None
    score: float | None
    has_code: bool
    abstract: str | None
    urls: list[str]
    authors_truncated: bool
    sources: list[str]


#: Every byte but an ASCII letter or digit: what an abstract's key leaves out.
_NOT_ALNUM = bytes(b for b in range(256) if not (48 <= b <= 57 or 65 <= b <= 90 or 97 <= b <= 122))


def abstract_key(abstract: str) -> bytes:
    """A digest of an abstract's first 400 characters that ignores case, accents, punctuation, spacing and
    LaTeX commands (the letters and digits of :func:`~graphkit.keys.title_key`, in order).

    Plain-ASCII text (nearly every abstract) takes a fast path: bytes filtered in C, about 25x faster than
    the regular expressions of ``title_key``; the 1M-paper build spent about 20 s there.

    >>> abstract_key("We present BERT -- a new model.") == abstract_key("we present   BERT: a new-model")
    True
    >>> abstract_key("Na\u00efve Bayes \\\\emph{works}.") == abstract_key("naive bayes works")
    True
    """
    text = abstract[:400]
    if text.isascii() and "\\" not in text:
        key = text.lower().encode().translate(None, _NOT_ALNUM)
    else:
        key = title_key(text).replace(" ", "").encode()
    return hashlib.blake2b(key, digest_size=16).digest()


def paper_id(key: str, year: int | None) -> str:
    """Stable paper id from a title key and the first year: ``paper:`` + 16 hex digits."""
    digest = hashlib.sha1(f"{key}|{year}".encode()).hexdigest()[:16]
    return f"paper:{digest}"


def _families(record: CompactRecord, cache: dict[str, str]) -> set[str]:
    """Family-name keys of a record's authors (the family part where given, else the first and last word)."""
    out: set[str] = set()
    for author in record.iter_authors():
        if author.family:
            key = cache.get(author.family) or cache.setdefault(author.family, name_key(author.family))
            out.update(key.split()[-1:])
        else:
            key = cache.get(author.name) or cache.setdefault(author.name, name_key(author.name))
            tokens = key.split()
            if tokens:
                out.update((tokens[0], tokens[-1]))
    return out


def cluster_papers(records: Sequence[CompactRecord], *, title_keys: list[str] | None = None,
                   id_lists: list[tuple[str, ...]] | None = None,
                   refused: list | None = None) -> tuple[list[list[int]], dict[frozenset, str]]:
    """Groups of record indices that are one paper, and why each link was made.

    ``title_keys``, when given a list, is filled with each record's title key;
    ``id_lists`` with each record's canonical ids (:func:`record_ids`), so the
    entities need not parse them again. Two groups that each hold a
    publisher's DOI, and not the same one, are two works: a link by title,
    abstract or year between them (through a preprint or a record without a
    DOI) is not made, and ``refused``, when given a list, gets ``(i, j,
    reason)`` for each.
    """
    tkeys = title_keys if title_keys is not None else []
    keep_ids = id_lists.append if id_lists is not None else None
    uf = nx.utils.UnionFind(range(len(records)))
    reasons: dict[frozenset, str] = {}
    published: dict[int, frozenset[str]] = {}  # per group root with a publisher's DOI: its DOIs

    def link(i: int, j: int, reason: str, *, by_id: bool = False) -> None:
        ri, rj = uf[i], uf[j]
        if ri == rj:
            return
        di, dj = published.get(ri), published.get(rj)
        if not by_id and di and dj and not di & dj:
            if refused is not None:
                refused.append((i, j, reason))
            return
        uf.union(i, j)
        reasons[frozenset((i, j))] = reason
        if di or dj:
            published.pop(ri, None)
            published.pop(rj, None)
            published[uf[i]] = (di or frozenset()) | (dj or frozenset())

    by_title: dict[str, list[int]] = defaultdict(list)
    by_abstract: dict[bytes, tuple[int, tuple[str, ...]]] = {}
    by_id: dict[str, int] = {}
    lead_titled: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        tkey = title_key(record.title)
        tkeys.append(tkey)
        by_title[tkey].append(i)
        sids = record_ids(record)
        if keep_ids is not None:
            keep_ids(sids)
        if own := _published_dois(record, sids):
            published[uf[i]] = own
        for sid in sids:
            if sid in by_id:
                link(by_id[sid], i, f"same source id {sid}", by_id=True)
            else:
                by_id[sid] = i
        if record.abstract and len(record.abstract) >= 100:
            akey = abstract_key(record.abstract)
            if akey in by_abstract:
                j, other_ids = by_abstract[akey]
                if not _two_works(other_ids, sids):  # one abstract reused for two papers (a series, parts I and II)
                    link(j, i, "identical abstract")
            else:
                by_abstract[akey] = (i, sids)
        if not record.title_inferred and (m := _LEAD_TITLED.match(record.title)):
            lead_titled[m[1].casefold()].append(i)

    names: dict[str, str] = {}
    for group in by_title.values():
        if len(group) < 2:
            continue
        families = {i: _families(records[i], names) for i in group}
        dois = {i: _published_dois(records[i]) for i in group}

        def compatible(a: int, b: int) -> bool:
            if dois[a] and dois[b] and not dois[a] & dois[b]:
                return False  # each has its own publisher's DOI: two works (a journal extension, "Editorial.")
            if not families[a] or not families[b]:
                # no authors on one side: only within one venue ("Preface." of two proceedings is two texts)
                va, vb = _venue_key(records[a]), _venue_key(records[b])
                return not va or not vb or va == vb
            return bool(families[a] & families[b])

        dated = sorted((i for i in group if records[i].year is not None), key=lambda i: records[i].year)
        for a, b in zip(dated, dated[1:]):
            if records[b].year - records[a].year <= 1 and compatible(a, b):
                link(a, b, f"same title, years {records[a].year} and {records[b].year}")
        if len(dated) <= _MAX_PREPRINT_GROUP and any(is_preprint(records[i]) for i in dated):
            # A preprint and its published version often lie years apart: same title and shared authors
            for a in dated:
                if not is_preprint(records[a]) or not families[a]:
                    continue
                for b in dated:
                    gap = records[b].year - records[a].year
                    if (1 < gap <= _PREPRINT_YEARS and not is_preprint(records[b]) and families[b]
                            and compatible(a, b) and uf[a] != uf[b]):
                        link(a, b, f"same title and authors, preprint of {records[a].year} published in {records[b].year}")
        anchor = dated[0] if dated else group[0]
        for i in group:
            if records[i].year is None and i != anchor and compatible(anchor, i):
                link(anchor, i, "same title, one record without a year")

    for i, record in enumerate(records):
        if not record.title_inferred or not record.owner or not (m := _LEAD_INFERRED.match(record.title)):
            continue
        owner_key = name_key(record.owner)
        for j in lead_titled.get(m[1].casefold(), ()):
            other = records[j]
            if record.year is None or other.year is None or abs(record.year - other.year) > 1:
                continue
            shown = {name_key(n) for n in other.author_names}
            if owner_key in shown or other.authors_truncated:
                why = "lists the owner" if owner_key in shown else "has a truncated author list"
                link(i, j, f"by-year abstract introduces {m[1]!r}; the titled paper of {other.year} is named after it and {why}")
                break

    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(records)):
        clusters[uf[i]].append(i)
    return list(clusters.values()), reasons


#: DOI prefixes of preprint servers and repositories: a paper there has its own DOI beside its publisher's
#: (arXiv, bioRxiv/medRxiv, SSRN, Zenodo, ResearchGate, figshare, OSF, Preprints.org, Research Square, TechRxiv,
#: ChemRxiv, Authorea).
_PREPRINT_DOI_PREFIXES = tuple(f"doi:{p}/" for p in (
    "10.48550", "10.1101", "10.2139", "10.5281", "10.13140", "10.6084", "10.31219", "10.31234", "10.31235",
    "10.20944", "10.21203", "10.36227", "10.26434", "10.22541"))
_MAX_PREPRINT_GROUP = 50  # records of one title compared pairwise for a preprint's published version
_PREPRINT_YEARS = 4  # years from a preprint to its published version that still link them


def _two_works(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two records' canonical ids say they are two works: different arXiv ids, or different DOIs
    (a preprint server's aside).

    >>> _two_works(("arxiv:0704.0026",), ("arxiv:0704.0112",)), _two_works(("arxiv:0704.0026",), ("doi:10.1/x",))
    (True, False)
    """
    for scheme in ("arxiv:", "doi:"):
        mine = {i for i in a if i.startswith(scheme) and not i.startswith(_PREPRINT_DOI_PREFIXES)}
        theirs = {i for i in b if i.startswith(scheme) and not i.startswith(_PREPRINT_DOI_PREFIXES)}
        if mine and theirs and not mine & theirs:
            return True
    return False


def _published_dois(record: CompactRecord, ids: tuple[str, ...] | None = None) -> frozenset[str]:
    """A record's DOIs other than a preprint server's (``ids``: its :func:`record_ids`, when known)."""
    return frozenset(i for i in (record_ids(record) if ids is None else ids)
                     if i.startswith("doi:") and not i.startswith(_PREPRINT_DOI_PREFIXES))


def _venue_key(record: CompactRecord) -> str:
    return " ".join((record.venue or "").casefold().split())


def record_ids(record: CompactRecord) -> tuple[str, ...]:
    """A record's paper identifiers in canonical form (:func:`~graphkit.keys.paper_ids`), each once, in order.

    >>> from graphkit.models import PaperRecord
    >>> from graphkit.resolve.records import compact
    >>> record_ids(compact(PaperRecord(title="T", ids=("arXiv:1412.6980", "dblp:journals/corr/abs-1412-6980"), source="a")))
    ('arxiv:1412.6980', 'dblp:journals/corr/abs-1412-6980')
    """
    if not record.ids:
        return ()
    if len(record.ids) == 1:
        return paper_ids(record.ids[0])
    return tuple(dict.fromkeys(i for raw in record.ids for i in paper_ids(raw)))


_PREPRINT_VENUES = ("corr", "arxiv")


def is_preprint(record: CompactRecord) -> bool:
    """Whether a record is a preprint: kind ``preprint``, or an article whose journal is arXiv or CoRR.

    >>> from graphkit.models import PaperRecord
    >>> from graphkit.resolve.records import compact
    >>> is_preprint(compact(PaperRecord(title="T", kind="article", venue="CoRR", source="a"))), is_preprint(
    ...     compact(PaperRecord(title="T", kind="inproceedings", venue="NAACL", source="a")))
    (True, False)
    """
    if record.kind == "preprint":
        return True
    venue = (record.venue or "").strip().casefold()
    return record.kind == "article" and (venue in _PREPRINT_VENUES or venue.startswith("arxiv"))


_ARXIV_DOI = "doi:10.48550/arxiv."  # the DOI arXiv gives every preprint


def order_members(members: list[int], records: Sequence[CompactRecord]) -> list[int]:
    """A cluster's records, the primary one (most complete) first, the rest in input order."""
    if len(members) == 1:
        return members
    primary = max(members, key=lambda i: (completeness(records[i]), -i))
    return [primary] + [i for i in members if i != primary]


def completeness(r: CompactRecord) -> tuple:
    """How complete a record of a paper is, to choose the primary one: a title of its own, a whole author list,
    more authors shown, a date."""
    shown = len(r.author_names)
    return not r.title_inferred, shown > 0 and not r.authors_truncated, shown, r.date is not None


def _single_entity(r: CompactRecord, taken: dict, index: int, tkey: str | None,
                   sids: tuple[str, ...] | None = None) -> PaperEntity:
    """:func:`paper_entity` of a one-record paper (most papers): no merging to do."""
    tkey = tkey if tkey is not None else title_key(r.title)
    pid = paper_id(tkey, r.year)
    if pid in taken:
        pid = paper_id(tkey + f"#{index}", r.year)
    ids = list(record_ids(r) if sids is None else sids)
    return PaperEntity(
        id=pid, title=r.title, title_inferred=r.title_inferred, year=r.year,
        date=r.date.isoformat() if r.date else None,
        doi=next((i[4:] for i in ids if i.startswith("doi:")), None), venue=r.venue, kind=r.kind, ids=sorted(ids),
        category=r.category, score=r.score, has_code=r.has_code, abstract=r.abstract or None,
        urls=list(dict.fromkeys(r.urls)), authors_truncated=r.authors_truncated,
        sources=[r.source],
    )


def paper_entity(
    ordered: list[int], records: Sequence[CompactRecord], reasons: dict[frozenset, str], taken: dict,
    title_keys: Sequence[str] | None = None, id_lists: Sequence[tuple[str, ...]] | None = None,
) -> tuple[PaperEntity, Merge | None]:
    """The entity of one cluster (``ordered`` from :func:`order_members`) and its merge log entry.

    ``taken`` holds the ids given so far: a clash gets a disambiguated id.
    ``title_keys`` and ``id_lists``, when given, are :func:`cluster_papers`'
    (per record, so they are not computed again). When a preprint and its
    published version are one paper, the paper takes the published
    version's kind and year.

    >>> from graphkit.models import PaperRecord
    >>> from graphkit.resolve.records import compact
    >>> recs = [compact(PaperRecord(title="Deep Contextualized Word Representations", year=2017, kind="preprint",
    ...                             ids=("arXiv:1802.05365",), authors=("Matthew E. Peters", "Mark Neumann"), source="a")),
    ...         compact(PaperRecord(title="Deep contextualized word representations", year=2018, kind="inproceedings",
    ...                             venue="NAACL-HLT", ids=("arXiv:1802.05365",), source="b"))]
    >>> entity, merge = paper_entity(order_members([0, 1], recs), recs, cluster_papers(recs)[1], {})
    >>> entity.kind, entity.year, entity.venue, merge.reason
    ('inproceedings', 2018, 'NAACL-HLT', 'same source id arxiv:1802.05365')
    """
    if len(ordered) == 1:
        i = ordered[0]
        return _single_entity(records[i], taken, i, title_keys[i] if title_keys else None, id_lists[i] if id_lists else None), None
    group = [records[i] for i in ordered]
    primary = group[0]
    years = [r.year for r in group if r.year is not None]
    first_year = min(years) if years else None
    pid = paper_id(title_key(primary.title), first_year)
    if pid in taken:  # same title and first year but not linked (e.g. years 2 apart in between)
        pid = paper_id(title_key(primary.title) + f"#{min(ordered)}", first_year)
    dates = sorted(r.date for r in group if r.date is not None)
    date = primary.date or (dates[0] if dates else None)
    urls: dict[str, None] = {}
    sources: dict[str, None] = {}
    ids: dict[str, None] = {}
    for i, r in zip(ordered, group):
        urls.update(dict.fromkeys(r.urls))
        sources.setdefault(r.source, None)
        ids.update(dict.fromkeys(record_ids(r) if id_lists is None else id_lists[i]))
    complete = any(r.author_names and not r.authors_truncated and not r.title_inferred for r in group)
    abstracts = [r.abstract for r in group if r.abstract]
    doi = next((i[4:] for i in ids if i.startswith("doi:")), None)

    def first(attr: str):
        return next((getattr(r, attr) for r in group if getattr(r, attr) is not None), None)

    # a preprint and its published version: the paper is the published one (its kind, year, venue, date and
    # DOI), whatever order the inputs came in
    year, kind, venue = primary.year if primary.year is not None else first_year, first("kind"), first("venue")
    if any(is_preprint(r) for r in group):
        published = next((r for r in group if r.kind is not None and not is_preprint(r)), None)
        if published is not None:
            kind = published.kind
            year = published.year if published.year is not None else year
            venue = published.venue or venue
            date = published.date or date
            own = [i for i in (record_ids(published) if id_lists is None else id_lists[ordered[group.index(published)]])
                   if i.startswith("doi:") and not i.startswith(_ARXIV_DOI)]
            doi = own[0][4:] if own else next((i[4:] for i in ids if i.startswith("doi:") and not i.startswith(_ARXIV_DOI)), doi)
    if date is not None and year is not None and date.year != year:
        # the date of another version (the preprint's, a reprint's) does not date this one: a date of the
        # paper's year if a record has one, else none
        date = next((d for d in dates if d.year == year), None)

    entity = PaperEntity(
        id=pid,
        title=primary.title,
        title_inferred=primary.title_inferred,
        year=year,
        date=date.isoformat() if date else None,
        doi=doi,
        venue=venue,
        kind=kind,
        ids=sorted(ids),
        category=first("category"),
        score=first("score"),
        has_code=any(r.has_code for r in group),
        abstract=max(abstracts, key=len) if abstracts else None,
        urls=list(urls),
        authors_truncated=(not complete) and any(r.authors_truncated for r in group),
        sources=sorted(sources),
    )
    merge = None
    if len(ordered) > 1:
        why = sorted({reasons[frozenset((a, b))] for a in ordered for b in ordered if frozenset((a, b)) in reasons})
        merge = Merge("paper", pid, primary.title, [records[i].locator for i in sorted(ordered)], "; ".join(why))
    return entity, merge
