"""Papers: which records are one paper, and the paper entity they make.

Records are linked (union-find, every comparison inside a block sharing a key):

- on a shared work identifier once normalised (a publisher's DOI, a DBLP
  key, an OpenAlex, PubMed, Scopus or Web of Science id), at once;
- on a shared preprint id (an arXiv id, also from a CoRR volume
  ``abs/1312.6168``, an arXiv URL or a DBLP CoRR key; a preprint server's
  DOI), on the same normalised title, on an identical abstract (100
  characters or more), or when a by-year page's abstract introduces the
  method a titled paper of the same years is named after and the owner is
  among (or hidden in) its authors: weighed after, strongest first, never
  between two groups holding different DOIs or DBLP keys (two works).

A title alone needs years within one (a preprint, :func:`is_preprint`: of
arXiv, bioRxiv, SSRN, Research Square, OSF and other servers, by kind, venue or
DOI, may come up to four years before its published version; two years of one
venue are two texts) and author lists that agree (two people, or a one-person
list's one, by family name and initial, given names written out on both sides
agreeing too, and no ORCID or DBLP homonym number telling them apart). Front
matter (:data:`GENERIC_TITLES`: "Preface.", "Editorial.") needs the same venue
and year too, two files, and no other month of issue (or volume, issue or first
page, where records carry them): two issues' editorials stay two, and a copy
that gives no date joins one of them, never both. The result does not depend on
the order of the records.

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
from functools import lru_cache
from typing import NamedTuple

import networkx as nx

from graphkit.keys import name_key, paper_ids, title_key
from graphkit.resolve.identity import _SYLLABLE_GIVEN, name_form, name_match
from graphkit.resolve.log import Merge
from graphkit.resolve.records import CompactRecord

__all__ = ["GENERIC_TITLES", "PaperEntity", "authors_agree", "clashing_ids", "cluster_papers", "is_preprint", "order_members", "paper_entity", "paper_id", "record_ids"]

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


def _people(record: CompactRecord, cache: dict[str, str]) -> tuple[int, list[_Person], dict[str, list[int]]]:
    """A record's author list for comparing two lists: its length, the first :data:`_COMPARED_AUTHORS` people
    (family keys with the given name's initial, ORCID and DBLP homonym number) and where each family stands."""
    people: list[_Person] = []
    where: dict[str, list[int]] = {}
    count = 0
    for author in record.iter_authors():
        count += 1
        if len(people) >= _COMPARED_AUTHORS:
            continue
        if author.family:
            family = (cache.get(author.family) or cache.setdefault(author.family, name_key(author.family))).split()
            given_key = (cache.get(author.given) or cache.setdefault(author.given, name_key(author.given))) if author.given else ""
            # the initials of every given name: R. Thomas McCoy is Tom McCoy
            names = {family[-1]: "".join(g[0] for g in given_key.split())} if family else {}
            givens = {family[-1]: given_key} if family else {}
        else:
            key = cache.get(author.name) or cache.setdefault(author.name, name_key(author.name))
            tokens = key.split()
            # family last or first (``Wang Wei``): both, each with the initial of the word after the given part
            if len(tokens) > 1:
                names = {tokens[-1]: tokens[0][0], tokens[0]: tokens[1][0]}
                givens = {tokens[-1]: key[:-len(tokens[-1]) - 1], tokens[0]: key[len(tokens[0]) + 1:]}
            else:
                names = givens = {tokens[0]: ""} if tokens else {}
        if not names:
            continue
        orcid = homonym = None
        for pid in author.ids:
            if pid.startswith("orcid:"):
                orcid = pid
            elif pid.startswith("dblp:") and (m := _DBLP_NUMBERED.match(pid, 5)):
                homonym = (name_key(m[1]), m[2])
        for family in names:
            where.setdefault(family, []).append(len(people))
        people.append(_Person(names, givens, orcid, homonym))
    return count, people, where


class _Person(NamedTuple):
    names: dict[str, str]  # family key -> initials of the given names, first first ("" when none is known)
    givens: dict[str, str]  # family key -> the given names' key (name_key: "xiaoming", "r thomas"; "" when none)
    orcid: str | None
    homonym: tuple[str, str] | None  # a DBLP person id with its homonym number: (name key, number)


def _givens_agree(a: str, b: str, family: str) -> bool:
    """Whether two given names (keys, :func:`~graphkit.keys.name_key`) of one family name could be one person's,
    where both spell their first given name out: the same once spaces and hyphens are gone (``Xiao-Ming``,
    ``Xiao Ming``, ``Xiaoming``), else a variant :func:`~graphkit.resolve.identity.name_match` knows (a middle
    name more, a short form, a spelling). Only for family names whose given names are one word of syllables
    (Chinese, Korean: ``Wei Wang`` and ``Wen Wang`` are two people); elsewhere one person's given name is
    spelt many ways across exports (``Jürgen``/``Juergen``, ``Alexandre``/``Alexander``, ``Ilya``/``Ilia``, a
    nickname, a first name dropped) and the caller's initials decide, as they do where either starts with an
    initial.

    >>> _givens_agree("wei", "wen", "wang"), _givens_agree("xiao ming", "xiaoming", "wang"), _givens_agree("ilya", "ilia", "sutskever")
    (False, True, True)
    >>> _givens_agree("juergen", "jurgen", "schmidhuber"), _givens_agree("xiaoming", "x", "li")
    (True, True)
    """
    if a == b or not a or not b or family not in _SYLLABLE_GIVEN:
        return True
    if a[1:2] in _WORD_END or b[1:2] in _WORD_END:
        return True  # an initial first: "J. Ferreira" fits every J
    if a.replace(" ", "") == b.replace(" ", ""):
        return True
    return _variant_givens(a, b, family) if a < b else _variant_givens(b, a, family)


_WORD_END = ("", " ")


@lru_cache(maxsize=1 << 14)
def _variant_givens(a: str, b: str, family: str) -> bool:
    return name_match(name_form(f"{a} {family}", a, family), name_form(f"{b} {family}", b, family)) is not None


def _two_people(p: _Person, q: _Person) -> bool:
    """Whether two people of one name are told apart by their ids: two ORCIDs, or two DBLP homonym numbers."""
    if p.orcid and q.orcid and p.orcid != q.orcid:
        return True
    return bool(p.homonym and q.homonym and p.homonym[0] == q.homonym[0] and p.homonym[1] != q.homonym[1])


def authors_agree(a: tuple, b: tuple) -> bool:
    """Whether two author lists (:func:`_people`) can be one paper's: half the people of the shorter list (at
    least one, at most :data:`_AGREEING_AUTHORS`) are found in the other, each by a family name with a compatible
    initial and no id telling them apart. A shared family name is not enough (``Thi Mai Nguyen`` is not ``Van
    Huy Nguyen``), nor is a name two DBLP homonyms share (``Wei Wang 0001`` and ``Wei Wang 0002``).

    >>> from graphkit.models import PaperRecord
    >>> from graphkit.resolve.records import compact
    >>> def people(*names):
    ...     return _people(compact(PaperRecord(title="T", authors=names, source="a")), {})
    >>> authors_agree(people("Thi Mai Nguyen", "Sven Berglund"), people("Van Huy Nguyen", "Chidi Okafor"))
    False
    >>> authors_agree(people("J. Ferreira", "P. Lindqvist", "A. Okonkwo"), people("Joana Ferreira", "Per Lindqvist"))
    True
    """
    (na, pa, _), (nb, pb, wb) = a, b
    if (na, len(pa)) > (nb, len(pb)):
        (na, pa, _), (nb, pb, wb) = b, a
    need = max(1, min((na + 1) // 2, _AGREEING_AUTHORS))
    found = 0
    used: set[int] = set()
    for p in pa:
        hit = False
        for family, initial in p.names.items():
            for k in wb.get(family, ()):
                if k in used:
                    continue
                q = pb[k]
                other = q.names[family]
                if ((initial and other and initial[0] not in other and other[0] not in initial) or _two_people(p, q)
                        or not _givens_agree(p.givens[family], q.givens[family], family)):
                    continue
                used.add(k)
                hit = True
                break
            if hit:
                break
        if hit:
            found += 1
            if found >= need:
                return True
    return False


def cluster_papers(records: Sequence[CompactRecord], *, title_keys: list[str] | None = None,
                   id_lists: list[tuple[str, ...]] | None = None,
                   refused: list | None = None) -> tuple[list[list[int]], dict[frozenset, str]]:
    """Groups of record indices that are one paper, and why each link was made.

    ``title_keys``, when given a list, is filled with each record's title key;
    ``id_lists`` with each record's canonical ids (:func:`record_ids`), so the
    entities need not parse them again.

    A shared work id (a publisher's DOI, a DBLP key, an OpenAlex, PubMed,
    Scopus or WoS id) links at once. Every other link (a shared preprint id,
    the title, the abstract) is weighed afterwards, strongest first, in an
    order that does not depend on the input's: two groups that each hold a
    work id of one scheme (a publisher's DOI, a DBLP key outside the preprint
    repositories), and not the same one, are two works, so such a link
    between them (through a preprint or a record without either id) is not
    made, and ``refused``, when given a list, gets ``(i, j, reason)`` for each
    whose own two records hold no clashing ids (a record that could be either
    of two versions: ambiguous).

    >>> from graphkit.models import PaperRecord
    >>> from graphkit.resolve.records import compact
    >>> conf = compact(PaperRecord(title="Sparse Alignment", year=2019, ids=("doi:10.1/conf", "arXiv:1901.09901"),
    ...                            authors=("Alice Zorbanova",), source="a.bib", line=1))
    >>> journal = compact(PaperRecord(title="Sparse Alignment", year=2020, ids=("doi:10.1/jour", "arXiv:1901.09901"),
    ...                               authors=("Alice Zorbanova",), source="a.bib", line=7))
    >>> preprint = compact(PaperRecord(title="Sparse Alignment", year=2019, ids=("arXiv:1901.09901",), source="b.json", line=3))
    >>> refused = []
    >>> sorted(sorted(c) for c in cluster_papers([journal, preprint, conf], refused=refused)[0]), [r[:2] for r in refused]
    ([[0], [1, 2]], [(1, 0)])
    """
    tkeys = title_keys if title_keys is not None else []
    all_ids = id_lists if id_lists is not None else []
    base = len(all_ids)
    uf = nx.utils.UnionFind(range(len(records)))
    reasons: dict[frozenset, str] = {}
    works: dict[int, frozenset[str]] = {}  # per group root holding work ids: its work ids
    # per group root holding front matter that says where it was published (a month of issue, a volume, issue or
    # page): those records, so that an undated "Editorial." does not join two issues' into one
    placed: dict[int, list[int]] = {}
    title_links: dict[tuple[int, int], bool] = {}  # a title's link between two records: whether front matter

    def own(i: int) -> frozenset[str]:
        return _work_ids(all_ids[base + i])

    def join(i: int, j: int, reason: str) -> None:
        ri, rj = uf[i], uf[j]
        if ri == rj:
            return
        wi, wj = works.pop(ri, None), works.pop(rj, None)
        uf.union(i, j)
        reasons[frozenset((i, j))] = reason
        if wi or wj:
            works[uf[i]] = (wi or frozenset()) | (wj or frozenset())
        if placed and (ri in placed or rj in placed):
            placed[uf[i]] = placed.pop(ri, []) + placed.pop(rj, [])

    by_title: dict[str, list[int]] = defaultdict(list)
    by_abstract: dict[bytes, int] = {}
    same_abstract: dict[bytes, list[int]] = {}
    by_id: dict[str, int] = {}
    shared_weak: dict[str, list[int]] = {}
    lead_titled: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        tkey = title_key(record.title)
        tkeys.append(tkey)
        by_title[tkey].append(i)
        sids = record_ids(record)
        all_ids.append(sids)
        if sids and (mine := _work_ids(sids)):
            works[i] = mine  # its own group until its ids are looked up below
        for sid in sids:
            if sid not in by_id:
                by_id[sid] = i
            elif sid.startswith(_PREPRINT_IDS):  # a preprint's id names the preprint, not a published version
                shared_weak.setdefault(sid, [by_id[sid]]).append(i)
            else:
                join(by_id[sid], i, f"same source id {sid}")
        if record.abstract and len(record.abstract) >= 100:
            akey = abstract_key(record.abstract)
            if akey in by_abstract:
                same_abstract.setdefault(akey, [by_abstract[akey]]).append(i)
            else:
                by_abstract[akey] = i
        if not record.title_inferred and (m := _LEAD_TITLED.match(record.title)):
            lead_titled[m[1].casefold()].append(i)
    del by_abstract

    # links to weigh: (strength, year gap, i, j, reason); applied strongest first, ties in the records' own order
    # (file, line), so the input's order decides nothing
    candidates: list[tuple[int, int, int, int, str]] = []

    def year_gap(a: int, b: int) -> int:
        ya, yb = records[a].year, records[b].year
        return abs(ya - yb) if ya is not None and yb is not None else _NO_YEAR_GAP

    for sid, members in shared_weak.items():
        for a, b in _pairs(members, records):
            candidates.append((0, year_gap(a, b), a, b, f"same source id {sid}"))
    for members in same_abstract.values():
        for a, b in _pairs(members, records):
            if not _two_works(all_ids[base + a], all_ids[base + b]):  # one abstract reused for two papers (a series, parts I and II)
                candidates.append((1, year_gap(a, b), a, b, "identical abstract"))
    del shared_weak, same_abstract

    names: dict[str, str] = {}
    placed_records: set[int] = set()
    for tkey, group in by_title.items():
        if len(group) < 2:
            continue
        generic = tkey in GENERIC_TITLES or len(group) > _MAX_TITLE_BLOCK
        if generic:
            # front matter ("Preface.", "Editorial.") and titles many records share: only within one venue and year
            parts: dict[tuple, list[int]] = defaultdict(list)
            for i in group:
                record = records[i]
                if record.year is not None and (venue := _venue_key(record)):
                    parts[(venue, record.year)].append(i)
            blocks = [part for part in parts.values() if len(part) > 1]
        else:
            blocks = [group]
        for block in blocks:
            people = {i: _people(records[i], names) for i in block}
            preprint = {i: is_preprint(records[i], all_ids[base + i]) for i in block}
            for a, b in _pairs(block, records, window=_PREPRINT_YEARS if any(preprint.values()) else 1):
                if why := _same_title_link(records[a], records[b], people[a], people[b], preprint[a], preprint[b],
                                           own(a), own(b), generic):
                    candidates.append((2, year_gap(a, b), a, b, why))
                    title_links[(a, b)] = generic
                    for k in (a, b):
                        if k not in placed_records and (_has_place(records[k]) or generic and records[k].date is not None):
                            placed_records.add(k)
                            placed.setdefault(uf[k], []).append(k)
    del by_title

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
                candidates.append((3, year_gap(i, j), i, j,
                                   f"by-year abstract introduces {m[1]!r}; the titled paper of {other.year} is named after it and {why}"))
                break

    told: set[tuple[int, int]] = set()
    if len(candidates) > 1:
        candidates.sort(key=lambda c: (c[0], c[1], _place(records[c[2]]), _place(records[c[3]]), c[2], c[3]))
    for _, _, i, j, reason in candidates:
        ri, rj = uf[i], uf[j]
        if ri == rj:
            continue
        if (generic := title_links.get((i, j))) is not None and ri in placed and rj in placed and any(
                (generic or _venue_key(records[x]) == _venue_key(records[y]))
                and _placed_apart(records[x], records[y], generic=generic) for x in placed[ri] for y in placed[rj]):
            # front matter of two issues, or a paper and a reply printed under its title elsewhere in its journal,
            # which this record (an undated copy, an article number) would join
            continue
        wi, wj = works.get(ri), works.get(rj)
        if wi and wj and _clash(wi, wj):
            if (refused is not None and (i, j) not in told
                    and not _clash(own(i), own(j))):
                told.add((i, j))
                refused.append((i, j, reason))  # a record that would fit either of two works
            continue
        join(i, j, reason)

    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(records)):
        clusters[uf[i]].append(i)
    return list(clusters.values()), reasons


def _place(record: CompactRecord) -> tuple[str, int, int]:
    """Where a record was read, to order records whatever order the inputs came in."""
    return record.source, record.line, record.record if record.record is not None else -1


def _pairs(members: list[int], records: Sequence[CompactRecord], window: int | None = None):
    """Pairs of ``members`` to compare: every pair whose years lie within ``window`` (a record without a year
    pairs with every other), each record with at most :data:`_MAX_COMPARED` others of the closest years, so a
    block's cost stays bounded. Which pairs does not depend on the order of ``members``."""
    if len(members) == 2:
        a, b = members
        ya, yb = records[a].year, records[b].year
        if window is None or ya is None or yb is None or abs(ya - yb) <= window:
            yield a, b
        return
    ordered = sorted(members, key=lambda i: (records[i].year if records[i].year is not None else -1,
                                             _place(records[i]), i))
    undated = [i for i in ordered if records[i].year is None]
    dated = ordered[len(undated):]
    for n, a in enumerate(dated):
        ya = records[a].year
        for b in dated[n + 1:n + 1 + _MAX_COMPARED]:
            if window is not None and records[b].year - ya > window:
                break
            yield a, b
    for n, a in enumerate(undated):
        for b in (undated[n + 1:] + dated)[:_MAX_COMPARED]:
            yield a, b


def _same_title_link(ra: CompactRecord, rb: CompactRecord, people_a: tuple, people_b: tuple, preprint_a: bool,
                     preprint_b: bool, own_a: frozenset | None, own_b: frozenset | None, generic: bool) -> str | None:
    """Why two records of one title are one paper, or None when they are not (or nothing says they are)."""
    if own_a and own_b and _clash(own_a, own_b):
        return None  # each has its own publisher's DOI or DBLP key: two works (a journal extension, "Editorial.")
    ya, yb = ra.year, rb.year
    with_a, with_b = people_a[0] > 0, people_b[0] > 0
    if generic:
        # same venue and year (the caller's block); one file does not list one front-matter text twice
        if ra.source == rb.source or with_a != with_b or (with_a and not authors_agree(people_a, people_b)):
            return None
        if _placed_apart(ra, rb, generic=True):
            return None  # two issues' "Editorial.": another volume, issue, first page or month of issue
        return f"same title, venue and year {ya}, and {'authors' if with_a else 'no authors'}"
    va, vb = _venue_key(ra), _venue_key(rb)
    if va and va == vb and _PLACE_FIELDS and _placed_apart(ra, rb, generic=False):
        return None  # one journal, two places in it: a paper and a reply, comment or erratum of its title
    if ya is not None and yb is not None:
        gap = abs(ya - yb)
        if gap > 1:
            # a preprint and its published version: shared authors, the preprint first, up to _PREPRINT_YEARS
            early, late = (preprint_a, preprint_b) if ya < yb else (preprint_b, preprint_a)
            if gap > _PREPRINT_YEARS or not early or late or not (with_a and with_b):
                return None
            if not authors_agree(people_a, people_b):
                return None
            return f"same title and authors, preprint of {min(ya, yb)} published in {max(ya, yb)}"
        if gap and not preprint_a and not preprint_b and not (with_a or with_b):
            return None  # no authors to tell, two years: two editions, two texts (a paper's online and issue years
            # one apart, with its authors, is one paper)
    if with_a and with_b:
        if not authors_agree(people_a, people_b):
            return None
    elif va and vb and va != vb:
        return None  # no authors on one side: only within one venue ("Preface." of two proceedings is two texts)
    if ya is None or yb is None:
        return "same title, one record without a year"
    return f"same title, years {min(ya, yb)} and {max(ya, yb)}"


#: Where in its venue a record was published, of the fields ``volume``, ``issue`` and ``pages`` (first page,
#: range or article number) the records carry; none yet (the readers do not keep them), so only the month of
#: issue tells two issues apart. Each a field a record may lack: only two records that both give one compare it.
_PLACE_FIELDS = tuple(f for f in ("volume", "issue", "pages") if f in CompactRecord._fields)
_PAGE_SPLIT = re.compile(r"\s*(?:[-\u2010-\u2015\u2212,+]|\bto\b)\s*")
_PAGE_PREFIX = re.compile(r"^(?:pp?\.?|pages?|art(?:icle)?\.?(?: no\.?)?|no\.)\s*", re.I)


def _first_page(pages: str | None) -> tuple[str, bool]:
    """A record's first page as compared (folded, no ``pp.``, no leading zeros) and whether it was given as a
    range (``123-130``, ``123–30``), not a page or article number (``e1234``, ``103456``); ``""`` without one.

    >>> _first_page("123–30"), _first_page("pp. 0123-0130"), _first_page("e1234"), _first_page("Article 103456"), _first_page(" ")
    (('123', True), ('123', True), ('e1234', False), ('103456', False), ('', False))
    """
    if not pages or not (text := _PAGE_PREFIX.sub("", pages.strip())):
        return "", False
    first, *rest = _PAGE_SPLIT.split(text, 1)
    first = first.casefold()
    return (first.lstrip("0") or first) if first.isdigit() else first, bool(rest and rest[0])


def _places_differ(a: tuple, b: tuple, generic: bool) -> bool:
    """Whether two places ``(volume, issue, pages)`` in one venue are two texts: another volume; and for front
    matter (``generic``) another issue or first page, for a titled paper another first page where both give
    page ranges (an article number beside a range is the same paper numbered two ways). A part one side lacks
    tells nothing.

    >>> _places_differ(("12", "3", "e101"), ("12", "4", None), True), _places_differ(("12", "3", None), ("12", "4", None), False)
    (True, False)
    >>> _places_differ((None, None, "101-104"), ("", None, "201–4"), False), _places_differ(("7", None, "1-12"), ("7", None, "103456"), False)
    (True, False)
    """
    (va, ia, pa), (vb, ib, pb) = a, b
    if va and vb and va.strip().casefold() != vb.strip().casefold():
        return True
    if generic and ia and ib and ia.strip().casefold() != ib.strip().casefold():
        return True
    (fa, range_a), (fb, range_b) = _first_page(pa), _first_page(pb)
    return bool(fa and fb and fa != fb and (generic or (range_a and range_b)))


def _placed_apart(ra: CompactRecord, rb: CompactRecord, generic: bool) -> bool:
    """Whether two records of one title and venue are two texts by where they were published
    (:func:`_places_differ`), and for front matter also by the month of issue both give."""
    if _PLACE_FIELDS and _places_differ(_place_of(ra), _place_of(rb), generic):
        return True
    da, db = ra.date, rb.date
    return generic and da is not None and db is not None and (da.year, da.month) != (db.year, db.month)


def _has_place(record: CompactRecord) -> bool:
    return any(getattr(record, f, None) for f in _PLACE_FIELDS)


def _place_of(record: CompactRecord) -> tuple:
    return tuple(getattr(record, f, None) for f in ("volume", "issue", "pages"))


#: DOI prefixes of preprint servers and repositories: a paper there has its own DOI beside its publisher's
#: (arXiv, bioRxiv/medRxiv, SSRN, Zenodo, ResearchGate, figshare, OSF and its PsyArXiv and SocArXiv,
#: Preprints.org, Research Square, TechRxiv, ChemRxiv, Authorea, ESS Open Archive, SciELO Preprints). bioRxiv and
#: medRxiv share Cold Spring Harbor's prefix with its journals: theirs are the DOIs whose suffix starts with a digit
#: (``10.1101/2020.03.01.971234``, ``10.1101/123456``; Genome Research's is ``10.1101/gr.…``).
_PREPRINT_DOI_PREFIXES = (
    *(f"doi:{p}/" for p in ("10.48550", "10.2139", "10.5281", "10.13140", "10.6084", "10.31219", "10.31234",
                            "10.31235", "10.20944", "10.21203", "10.36227", "10.26434", "10.22541")),
    *(f"doi:10.1101/{d}" for d in "0123456789"), "doi:10.1002/essoar.", "doi:10.1590/scielopreprints.")
_PREPRINT_YEARS = 4  # years from a preprint to its published version that still link them
#: DBLP keys of preprint repositories (CoRR, IACR ePrint, ECCC): a preprint, beside its published version's key
_REPOSITORY_KEYS = ("dblp:journals/corr/", "dblp:journals/iacr/", "dblp:journals/eccc/")
#: ids that name a preprint, not a published work: a link on one is weighed like a title's
_PREPRINT_IDS = ("arxiv:", *_PREPRINT_DOI_PREFIXES, *_REPOSITORY_KEYS)
_MAX_TITLE_BLOCK = 200  # records of one title beyond which the title is treated as generic (front matter)
_MAX_COMPARED = 50  # records of one block each record is compared with (those of the closest years)
_COMPARED_AUTHORS = 30  # people of an author list compared with another list
_AGREEING_AUTHORS = 10  # people two long author lists must share (half the shorter list, up to this)
_NO_YEAR_GAP = 99  # a pair with a record without a year: weighed after every dated one
_DBLP_NUMBERED = re.compile(r"(.*\S)\s+(\d{4})$")  # "dblp:Wei Wang 0001": a DBLP homonym's number

#: Titles of front matter and other texts many works share ("Preface.", "Editorial."): two records of one are one
#: text only within one venue and year, from two files, with the same authors (or none on both).
GENERIC_TITLES = frozenset(title_key(t) for t in (
    "Preface", "Foreword", "Introduction", "Editorial", "Guest Editorial", "Editorial Note", "Editor's Note",
    "Editors' Note", "Editor's Introduction", "Guest Editors' Introduction", "Letter from the Editor",
    "From the Editor", "Front Matter", "Frontmatter", "Back Matter", "Title Page", "Table of Contents", "Contents",
    "Index", "Author Index", "Subject Index", "Keyword Index", "Erratum", "Errata", "Corrigendum", "Correction",
    "Retraction", "Editorial Board", "Committees", "Organization", "Program Committee", "Reviewers",
    "List of Reviewers", "Acknowledgments", "Acknowledgements", "Message from the Chairs", "Welcome",
    "Keynote", "Keynote Address", "Keynote Talk", "Invited Talk", "Panel", "Panel Discussion", "Tutorial",
    "Abstract", "Abstracts", "Summary", "Overview", "Conclusion", "Conclusions", "Book Review", "Book Reviews",
    "Reviews", "Comment", "Comments", "Reply", "Response", "Rejoinder", "Discussion", "Obituary", "In Memoriam",
    "Announcements", "News", "Calendar", "Letters", "Letter to the Editor", "Epilogue", "Prologue", "Afterword",
    "Appendix", "Bibliography", "References", "Glossary", "Notes", "Preliminaries", "Proceedings",
))


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


def _work_ids(ids: tuple[str, ...]) -> frozenset[str]:
    """The ids among a record's canonical ``ids`` that each name one published work: its DOIs other than a
    preprint server's, and its DBLP key outside the preprint repositories (DBLP lists a work once)."""
    return frozenset(i for i in ids if (i.startswith("doi:") and not i.startswith(_PREPRINT_DOI_PREFIXES))
                     or (i.startswith("dblp:") and not i.startswith(_REPOSITORY_KEYS)))


def clashing_ids(a: Sequence[str], b: Sequence[str]) -> tuple[str, str, str] | None:
    """How two papers' ids (canonical, :func:`record_ids`) say they are two works: what the ids are and each
    side's, or None when they do not.

    >>> clashing_ids(["dblp:conf/iconip/LiuX17b"], ["dblp:conf/iconip/LiuX17c", "doi:10.1/x"])
    ('DBLP key', 'conf/iconip/LiuX17b', 'conf/iconip/LiuX17c')
    """
    mine, theirs = _work_ids(tuple(a)), _work_ids(tuple(b))
    for scheme, what in (("doi:", "publisher's DOI"), ("dblp:", "DBLP key")):
        x = sorted(i[len(scheme):] for i in mine if i.startswith(scheme))
        y = sorted(i[len(scheme):] for i in theirs if i.startswith(scheme))
        if x and y and not set(x) & set(y):
            return what, ", ".join(x), ", ".join(y)
    return None


def _clash(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sets of work ids name two works: each holds ids of one scheme (DOI, DBLP key), none shared.

    >>> _clash(frozenset({"doi:10.1/a", "dblp:conf/x/A19"}), frozenset({"doi:10.1/b"}))
    True
    >>> _clash(frozenset({"doi:10.1/a"}), frozenset({"dblp:conf/x/A19"}))
    False
    """
    for scheme in ("doi:", "dblp:"):
        mine = {i for i in a if i.startswith(scheme)}
        if mine:
            theirs = {i for i in b if i.startswith(scheme)}
            if theirs and not mine & theirs:
                return True
    return False


def _venue_key(record: CompactRecord) -> str:
    return " ".join((record.venue or "").casefold().split())


def record_ids(record: CompactRecord) -> tuple[str, ...]:
    """A record's paper identifiers in canonical form (:func:`~graphkit.keys.paper_ids`), each once, in order.

    >>> from graphkit.models import PaperRecord
    >>> from graphkit.resolve.records import compact
    >>> record_ids(compact(PaperRecord(title="T", ids=("arXiv:1412.6980", "dblp:journals/corr/abs-1412-6980"), source="a")))
    ('arxiv:1412.6980', 'dblp:journals/corr/abs-1412-6980')
    """
    return canonical_ids(record.ids)


def canonical_ids(written: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`record_ids` of a record's ``ids`` field as written.

    >>> canonical_ids(("doi:10.1000/X", "https://doi.org/10.1000/x"))
    ('doi:10.1000/x',)
    """
    if not written:
        return ()
    if len(written) == 1:
        return paper_ids(written[0])
    return tuple(dict.fromkeys(i for raw in written for i in paper_ids(raw)))


#: Preprint servers as a record's venue (journal, container, publisher) names them, folded: its first word
#: (``bioRxiv``, ``SSRN Electronic Journal``, ``arXiv preprint arXiv:...``, ``medRxiv (Cold Spring Harbor Laboratory)``)
#: or its start (``Research Square``, ``OSF Preprints``), or the whole venue (``Preprints``).
_PREPRINT_VENUE_WORDS = frozenset((
    "corr", "arxiv", "biorxiv", "medrxiv", "chemrxiv", "ssrn", "researchsquare", "techrxiv", "authorea",
    "preprints.org", "psyarxiv", "socarxiv", "edarxiv", "engrxiv", "eartharxiv", "sportrxiv", "metaarxiv",
    "lawarxiv", "mindrxiv", "agrixiv", "africarxiv", "essoar",
))
_PREPRINT_VENUE_STARTS = ("arxiv", "research square", "osf preprints", "scielo preprints", "ess open archive", "peerj preprints")
_PREPRINT_VENUE_WHOLE = frozenset(("preprints", "osf", "preprint"))
_FIRST_WORD = re.compile(r"[^\s(:,;]+")


def _preprint_venue(venue: str) -> bool:
    """Whether a venue names a preprint server.

    >>> [_preprint_venue(v) for v in ("bioRxiv", "SSRN Electronic Journal", "Research Square (Research Square)",
    ...                               "arXiv preprint arXiv:1810.04805", "OSF Preprints", "Nature", "Preprints in Biology")]
    [True, True, True, True, True, False, False]
    """
    folded = venue.strip().casefold()
    m = _FIRST_WORD.match(folded)
    return bool(m and m[0].rstrip(".") in _PREPRINT_VENUE_WORDS) or folded.startswith(_PREPRINT_VENUE_STARTS) or (
        folded in _PREPRINT_VENUE_WHOLE)


#: Kinds a record of a preprint can carry when a reader cannot tell (BibTeX @misc/@unpublished, RIS UNPB or
#: GEN are ``other``): with a preprint server's DOI and nothing saying otherwise, such a record is a preprint.
_UNSURE_KINDS = frozenset((None, "other", "preprint", "report", "article"))
#: Kinds a preprint never has: a paper in proceedings, a chapter, a book or thesis is the published version.
_PUBLISHED_KINDS = frozenset(("inproceedings", "chapter", "book", "thesis"))


def is_preprint(record: CompactRecord, ids: tuple[str, ...] | None = None) -> bool:
    """Whether a record is a preprint: kind ``preprint``; a venue that is a preprint server (arXiv, CoRR, bioRxiv,
    medRxiv, SSRN, Research Square, ChemRxiv, OSF Preprints and its PsyArXiv, SocArXiv, ..., Preprints.org,
    TechRxiv, Authorea); or, for a record whose reader could not tell (``other``, an article of no venue), a
    preprint server's DOI (:data:`_PREPRINT_DOI_PREFIXES`) and no publisher's. ``ids`` are the record's canonical
    ids when known (:func:`record_ids`).

    >>> from graphkit.models import PaperRecord
    >>> from graphkit.resolve.records import compact
    >>> is_preprint(compact(PaperRecord(title="T", kind="article", venue="CoRR", source="a"))), is_preprint(
    ...     compact(PaperRecord(title="T", kind="inproceedings", venue="NAACL", source="a")))
    (True, False)
    >>> is_preprint(compact(PaperRecord(title="T", kind="article", venue="bioRxiv", source="a"))), is_preprint(
    ...     compact(PaperRecord(title="T", kind="other", ids=("https://doi.org/10.1101/2020.03.01.971234",), source="a")))
    (True, True)
    >>> is_preprint(compact(PaperRecord(title="T", kind="article", venue="Genome Research", ids=("doi:10.1101/gr.123.111",), source="a")))
    False
    """
    kind = record.kind
    if kind == "preprint":
        return True
    if kind in _PUBLISHED_KINDS:
        return False
    if record.venue and _preprint_venue(record.venue):
        return True
    if kind not in _UNSURE_KINDS or (kind == "article" and record.venue) or not record.ids:
        return False
    if ids is None:
        ids = record_ids(record)
    preprint_doi = False
    for i in ids:
        if i.startswith("doi:"):
            if not i.startswith(_PREPRINT_DOI_PREFIXES):
                return False  # a publisher's DOI beside it: the published version, its preprint's DOI noted
            preprint_doi = True
    return preprint_doi


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
    numbers: Sequence[int] | None = None,
) -> tuple[PaperEntity, Merge | None]:
    """The entity of one cluster (``ordered`` from :func:`order_members`) and its merge log entry.

    ``taken`` holds the ids given so far: a clash gets a disambiguated id.
    ``title_keys`` and ``id_lists``, when given, are :func:`cluster_papers`'
    (per record, so they are not computed again). When a preprint and its
    published version are one paper, the paper takes the published
    version's kind and year. ``numbers``, when given, are the records' numbers in the whole build (a build
    resolving its records in parts): a clash's id is made from them.

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
        return _single_entity(records[i], taken, i if numbers is None else numbers[i], title_keys[i] if title_keys else None,
                              id_lists[i] if id_lists else None), None
    group = [records[i] for i in ordered]
    primary = group[0]
    years = [r.year for r in group if r.year is not None]
    first_year = min(years) if years else None
    pid = paper_id(title_key(primary.title), first_year)
    if pid in taken:  # same title and first year but not linked (e.g. years 2 apart in between)
        pid = paper_id(title_key(primary.title) + f"#{min(ordered) if numbers is None else min(numbers[i] for i in ordered)}",
                       first_year)
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
    preprints = [is_preprint(r, None if id_lists is None else id_lists[i]) for i, r in zip(ordered, group)]
    if any(preprints):
        published = next((r for r, p in zip(group, preprints) if r.kind is not None and not p), None)
        if published is not None:
            kind = published.kind
            year = published.year if published.year is not None else year
            venue = published.venue or venue
            date = published.date or date
            own = [i for i in (record_ids(published) if id_lists is None else id_lists[ordered[group.index(published)]])
                   if i.startswith("doi:") and not i.startswith(_PREPRINT_DOI_PREFIXES)]
            doi = own[0][4:] if own else next((i[4:] for i in ids if i.startswith("doi:") and not i.startswith(_PREPRINT_DOI_PREFIXES)), doi)
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
