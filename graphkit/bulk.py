"""The bulk build of large DBLP-only inputs: all of DBLP on one small machine.

DBLP is curated: its editors give every person one name (``Wei Wang 0001``,
with a homonym number where several people share a name) and list another
name of a person in a person record. The DBLP reader turns these into a
``dblp:`` person id on every author. On DBLP-only input the resolver's
identity rules therefore come down to the ids: the same DBLP person id is one
person, two different ones never are (:mod:`graphkit.resolve.identity`, rule 2).
What costs the general resolver its time and memory on millions of records
(every occurrence an object, every name compared with its variants) decides
nothing there.

So a build whose inputs are all DBLP XML, from :data:`BULK_BYTES` on, takes
this path. It builds the same graph as the general resolver would:

- **papers**: most records share neither a title key nor a work id (DOI,
  arXiv id, DBLP key) with any other record; each is a paper of its own, and
  its row is made as :func:`~graphkit.resolve.papers.paper_entity` makes one
  from a single record. The others (a CoRR preprint and its published version,
  front matter under one title, records sharing a DOI), and every record with
  an affiliation (a thesis's school) or an author the ids alone do not settle
  (a collective name, a name written twice in one list), are resolved by the
  general resolver (:func:`graphkit.resolve.resolve`), in blocks that keep
  every group of records that could be one paper together.
- **authors**: one per DBLP person id, named as the identity rules name it:
  by the name key of the person's most frequent spelling, with the DBLP id
  added where several DBLP persons share that key (``author:wei-wang~dblp-wei-wang-0001``).
- **co-authorships**: from the authorship table, in NumPy.

Records pass through in their compact form, pickled in blocks between the two
passes, so memory holds integer columns and the pickled bytes, not millions of
Python objects. What the bulk path does not do is compare name variants across
DBLP persons (``J. Roe`` and ``John Roe``, two DBLP persons): the general
resolver never merges them either (two DBLP ids are never one person), but it
lists such pairs as ambiguous; the report says which path built the graph.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import os
import pickle
import signal
import tempfile
import time
from array import array
from collections import Counter, defaultdict
from dataclasses import replace
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute  # noqa: F401 - pa.compute

from graphkit._procs import debug_mark
from graphkit.build import MAX_AUTHORS
from graphkit.exceptions import GraphkitError
from graphkit.keys import name_key, slug, title_key
from graphkit.models import Problem
from graphkit.readers._forked import map_in_two
from graphkit.readers.registry import InputFile, iter_inputs, read_input
from graphkit.resolve import Resolution, resolve
from graphkit.resolve.authors import _COLLECTIVE, _person_ids, author_id
from graphkit.resolve.log import Merge
from graphkit.resolve.papers import canonical_ids, paper_id
from graphkit.resolve.records import AT_INDEX, Affiliation, Author, CompactRecord
from graphkit.schema import NODE_PROPERTIES, rel_properties
from graphkit.tables import GraphTables, Table

__all__ = ["BULK_BYTES", "bulk_inputs", "build_bulk"]

#: DBLP-only inputs of at least this many bytes take the bulk path (about 480,000 records of the dump); below it the
#: general resolver's comparisons of name variants are cheap, and its listing of ambiguous pairs is worth having.
#: ``GRAPHKIT_DBLP_BULK_BYTES`` sets another threshold (0: every DBLP-only build; tests use it).
BULK_BYTES = 256 << 20
#: records pickled together between the two passes
CHUNK = 20_000
#: records the general resolver takes at once (whole groups of records that could be one paper are never cut)
BLOCK = 100_000

# The records travel between the processes as plain tuples, their authors too (``read_input(plain=True)``): pickled
# in a third of a named tuple's time and unpickled in a tenth. They are read here by position.
_FIELD = {name: i for i, name in enumerate(CompactRecord._fields)}
_INFERRED, _AUTHORS, _INSTITUTIONS, _OWNER = (_FIELD[f] for f in ("title_inferred", "authors", "institutions", "owner"))
# the fields _chunk_keys unpacks, in order
assert CompactRecord._fields[:17] == ("title", "title_inferred", "ids", "year", "date", "venue", "kind", "abstract", "urls",
                                      "authors", "authors_truncated", "institutions", "owner", "category", "score",
                                      "has_code", "source")
_NAME, _AUTHOR_POSITION, _AUTHOR_IDS, _AFFILIATIONS, _AUTHOR_INFERRED = (
    Author._fields.index(f) for f in ("name", "position", "ids", "affiliations", "inferred"))
_new = tuple.__new__  # a named tuple from its fields, without its Python-level __new__
#: decisions listed per kind in the report (all are counted)
LISTED = 10_000
#: other people named in a split person's explanation (DBLP has hundreds of people named Wei Wang)
SHOWN = 10


def bulk_threshold() -> int:
    raw = os.environ.get("GRAPHKIT_DBLP_BULK_BYTES")
    try:
        return int(raw) if raw else BULK_BYTES
    except ValueError:
        return BULK_BYTES


def bulk_inputs(paths: list[str], forced: str | None) -> bool:
    """Whether ``paths`` are DBLP XML only, together at least :func:`bulk_threshold` bytes."""
    if forced not in (None, "dblp"):
        return False
    items = list(iter_inputs(paths, forced=forced, choose=False))
    if not items:
        return False
    total = 0
    for item in items:
        if item.problem is not None:
            continue
        try:
            total += os.stat(item.path).st_size
        except (OSError, ValueError):
            continue
    if total < bulk_threshold():
        return False
    chosen = list(iter_inputs(paths, forced=forced, choose=True))
    return all(item.format == "dblp" for item in chosen if item.problem is None) and any(
        item.format == "dblp" for item in chosen)


class _Pass1:
    """What the first pass keeps: integer columns per record and per author slot, the records pickled."""

    def __init__(self) -> None:
        self.n = 0
        self.title_hash = array("q")
        self.id_hash = array("q")  # (id hash, record) pairs, flat
        self.id_record = array("q")
        self.special = bytearray()  # per record: 1 when the general resolver must see it
        # the pickled blocks, in an unnamed temporary file (gone when closed, whatever happens): the second pass
        # reads back the few records it needs, and the 2 GB of all of DBLP's stay out of memory meanwhile
        self.spill = tempfile.TemporaryFile(prefix="graphkit-dblp-")
        self.chunks: list[tuple[int, int, int]] = []  # (offset, length, records) in the spill file
        # author slots of every record, in order
        self.slot_person = array("i")
        self.slot_spelling = array("i")
        self.person_index: dict[str, int] = {}
        self.person_ids: list[tuple[str, ...]] = []  # per person: the canonical ids seen (dblp first seen, orcids)
        self.spelling_index: dict[str, int] = {}
        self.parsed: dict = {}  # Author tuple -> (person, spelling) or None
        self.rows: list[pa.Table] = []  # per chunk: each record's row as a paper of its own
        self.widths = array("i")  # per record: its author slots

    def chunk(self, blob: bytes, records: list[CompactRecord]) -> None:
        """A block of records as read and its pickled bytes (kept for the second pass); :func:`_chunk_keys`
        makes their title and id hashes and paper rows here, while the reading process parses the next block."""
        try:
            offset = self.spill.seek(0, os.SEEK_END)
            self.spill.write(blob)
        except OSError as exc:
            raise GraphkitError(f"cannot keep the records read in the temporary folder ({tempfile.gettempdir()}): "
                                f"{exc.strerror or exc}; set TMPDIR to a folder with more room") from None
        self.chunks.append((offset, len(blob), len(records)))
        titles, id_hashes, id_records, table = _chunk_keys(records)
        base = self.n
        self.title_hash.extend(titles)
        self.id_hash.extend(id_hashes)
        self.id_record.extend(base + i for i in id_records)
        self.rows.append(table)
        self.widths.extend(len(r[_AUTHORS]) for r in records)
        parsed, slot = self.parsed, self._slot
        persons, spellings, special = self.slot_person, self.slot_spelling, self.special
        for r in records:
            self.n += 1
            odd = bool(r[_INSTITUTIONS]) or r[_INFERRED] or bool(r[_OWNER])
            seen: set[int] = set()
            for index, author in enumerate(r[_AUTHORS]):
                got = parsed.get(author)
                if got is None:
                    got = slot(author, index)
                    if type(author) is str or author[_AUTHOR_POSITION] == AT_INDEX:
                        parsed[author] = got
                person, spelling, plain = got
                if person < 0 or not plain or person in seen:
                    odd = True
                seen.add(person)
                persons.append(person)
                spellings.append(spelling)
            special.append(odd)

    def _slot(self, author, index: int) -> tuple[int, int, bool]:
        """(person, spelling, plain): plain when the slot is what the single-record path can take as it is."""
        if type(author) is str:
            name, ids, plain = author, (), True
        else:
            name, ids = author[_NAME], author[_AUTHOR_IDS]
            plain = not author[_AUTHOR_INFERRED] and not author[_AFFILIATIONS] and author[_AUTHOR_POSITION] in (AT_INDEX, index)
        spelled = " ".join(name.split())
        spelling = self.spelling_index.setdefault(spelled, len(self.spelling_index))
        canonical = _person_ids(ids)
        dblp = next((i for i in canonical if i.startswith("dblp:")), None)
        if dblp is None or _COLLECTIVE.search(name) or not name_key(name):
            return -1, spelling, False
        person = self.person_index.get(dblp)
        if person is None:
            person = self.person_index[dblp] = len(self.person_ids)
            self.person_ids.append(canonical)
        elif canonical != self.person_ids[person] and not set(canonical) <= set(self.person_ids[person]):
            self.person_ids[person] = tuple(dict.fromkeys(self.person_ids[person] + canonical))
        return person, spelling, plain



def _read(paths: list[str], forced: str | None, as_of) -> Iterator[tuple]:
    """The inputs' records in pickled blocks of :data:`CHUNK` (``(item, bytes, records)``), and after each
    file ``(item, None, problems)``. The XML is parsed in a forked child when both cores are free, which sends
    the pickled blocks (pickled once: the second pass reads them again) while this process takes them in."""
    from graphkit.readers._forked import can_fork

    if not can_fork():
        yield from _read_here(paths, forced, as_of)
        return
    import struct

    size = struct.Struct("<q")
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: read, send, leave without running the parent's clean-up
        code = 0
        try:
            os.close(r)
            with os.fdopen(w, "wb", buffering=1 << 20) as out:
                for item, blob, things in _read_here(paths, forced, as_of):
                    frame = pickle.dumps((item, blob, None if blob is not None else things), protocol=pickle.HIGHEST_PROTOCOL)
                    out.write(size.pack(len(frame)))
                    out.write(frame)
                debug_mark("parsed")
        except BaseException:  # noqa: BLE001 - the parent sees the stream end early and says so
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    ended = False
    try:
        with os.fdopen(r, "rb", buffering=1 << 20) as source:
            while True:
                head = source.read(size.size)
                if len(head) < size.size:
                    break
                item, blob, things = pickle.loads(source.read(size.unpack(head)[0]))
                if blob is not None:
                    things = pickle.loads(blob)
                yield item, blob, things
            ended = True
    finally:
        if not ended:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise GraphkitError("the process reading the DBLP input stopped early (out of memory?); nothing was built")


def _read_here(paths: list[str], forced: str | None, as_of) -> Iterator[tuple]:
    shared: dict = {}
    for item in iter_inputs(paths, forced=forced, choose=False):
        pending: list = []
        problems: list = []
        for thing in read_input(item, as_of=as_of, shared=shared, plain=True):
            if type(thing) is CompactRecord:
                pending.append(thing)
                if len(pending) >= CHUNK:
                    yield item, _pickled(pending), pending
                    pending = []
                    shared.clear()  # equal authors are stored once per block: the blocks do not stay here
            else:
                problems.append(thing)
        if pending:
            yield item, _pickled(pending), pending
        yield item, None, problems


def _pickled(records: list[CompactRecord]) -> bytes:
    """A block of records pickled as plain tuples (:data:`_FIELD`; their authors are plain already)."""
    return pickle.dumps(list(map(tuple, records)), protocol=pickle.HIGHEST_PROTOCOL)


def _record(values: tuple) -> CompactRecord:
    """The record the general resolver takes of a record read back as plain tuples (:func:`_pickled`)."""
    authors = tuple(a if type(a) is str else
                    _new(Author, (*a[:_AFFILIATIONS], tuple(_new(Affiliation, f) for f in a[_AFFILIATIONS]),
                                  *a[_AFFILIATIONS + 1:]))
                    for a in values[_AUTHORS])
    institutions = tuple(_new(Affiliation, f) for f in values[_INSTITUTIONS])
    fields = list(values)
    fields[_AUTHORS], fields[_INSTITUTIONS] = authors, institutions
    return _new(CompactRecord, fields)


_PAPER_COLUMNS = ("id", "title", "title_inferred", "year", "date", "doi", "venue", "kind", "ids", "category", "score",
                  "has_code", "abstract", "urls", "authors_truncated", "sources")


def _chunk_keys(records: list[tuple]) -> tuple:
    """Per record (a plain tuple of :class:`CompactRecord`'s fields): its title key's hash, its work ids' hashes,
    and its row as a paper of its own (:func:`graphkit.resolve.papers.paper_entity` of one record). Hashes are
    Python's, the same in a forked child."""
    from graphkit.store.embedded import ARROW_TYPES

    titles, id_hashes, id_records = array("q"), array("q"), array("q")
    columns: dict[str, list] = {c: [] for c in _PAPER_COLUMNS}
    (c_id, c_title, c_inferred, c_year, c_date, c_doi, c_venue, c_kind, c_ids, c_category, c_score, c_code,
     c_abstract, c_urls, c_truncated, c_sources) = columns.values()
    for n, (title, inferred, written_ids, year, date, venue, kind, abstract, urls, _authors, truncated, _institutions,
            _owner, category, score, has_code, source, *_rest) in enumerate(records):
        tkey = title_key(title)
        titles.append(hash(tkey))
        ids = canonical_ids(written_ids)
        for sid in ids:
            id_hashes.append(hash(sid))
            id_records.append(n)
        c_id.append(paper_id(tkey, year))
        c_title.append(title)
        c_inferred.append(inferred)
        c_year.append(year)
        c_date.append(date)
        c_doi.append(next((i[4:] for i in ids if i.startswith("doi:")), None))
        c_venue.append(venue)
        c_kind.append(kind)
        c_ids.append(sorted(ids))
        c_category.append(category)
        c_score.append(score)
        c_code.append(has_code)
        c_abstract.append(abstract or None)
        c_urls.append(list(dict.fromkeys(urls)))
        c_truncated.append(truncated)
        c_sources.append([source])
    types = NODE_PROPERTIES["Paper"]
    table = pa.table({c: pa.array(v, type=ARROW_TYPES[types[c]]) for c, v in columns.items()})
    return titles, id_hashes, id_records, table


def _grouped(pass1: _Pass1) -> np.ndarray:
    """Per record, the group it is resolved with: -1 for a paper of its own, else the root of its group (records
    sharing a title key or a work id, transitively) or of itself (records the general resolver must see)."""
    n = pass1.n
    titles = np.frombuffer(pass1.title_hash, dtype=np.int64)
    linked = np.zeros(n, dtype=bool)
    pairs: list[tuple[np.ndarray, np.ndarray]] = []
    for keys, records in ((titles, np.arange(n, dtype=np.int64)),
                          (np.frombuffer(pass1.id_hash, dtype=np.int64), np.frombuffer(pass1.id_record, dtype=np.int64))):
        if not len(keys):
            continue
        order = np.argsort(keys, kind="stable")
        k, r = keys[order], records[order]
        same = k[1:] == k[:-1]
        # each record of a run of equal keys is linked to the run's first
        starts = np.flatnonzero(np.r_[True, ~same])
        first = np.repeat(r[starts], np.diff(np.r_[starts, len(k)]))
        keep = first != r
        pairs.append((first[keep], r[keep]))
        linked[first[keep]] = True
        linked[r[keep]] = True
    special = np.frombuffer(bytes(pass1.special), dtype=np.uint8).astype(bool)
    group = np.full(n, -1, dtype=np.int64)
    if pairs:
        a = np.concatenate([p[0] for p in pairs])
        b = np.concatenate([p[1] for p in pairs])
        if len(a):
            from scipy.sparse import coo_matrix
            from scipy.sparse.csgraph import connected_components

            members = np.flatnonzero(linked)
            local = np.full(n, -1, dtype=np.int64)
            local[members] = np.arange(len(members))
            graph = coo_matrix((np.ones(len(a), dtype=np.int8), (local[a], local[b])), shape=(len(members), len(members)))
            _, labels = connected_components(graph, directed=False)
            group[members] = members[np.unique(labels, return_index=True)[1]][labels]
    alone = special & (group < 0)
    group[alone] = np.flatnonzero(alone)
    return group


def _blocks(group: np.ndarray) -> list[np.ndarray]:
    """The records of every group, in blocks of about :data:`BLOCK` records; a group is never cut."""
    members = np.flatnonzero(group >= 0)
    if not len(members):
        return []
    order = members[np.argsort(group[members], kind="stable")]
    roots = group[order]
    starts = np.flatnonzero(np.r_[True, roots[1:] != roots[:-1]])
    blocks, begin = [], 0
    for s in starts[1:]:
        if s - begin >= BLOCK:
            blocks.append(np.sort(order[begin:s]))
            begin = s
    blocks.append(np.sort(order[begin:]))
    return blocks


class _Rows:
    """Paper and authorship rows as they are made, turned into Arrow arrays block by block."""

    def __init__(self) -> None:
        self.papers: dict[str, list] = {c: [] for c in _PAPER_COLUMNS}
        self.paper_chunks: list[pa.Table] = []
        # authorship: person (or -1 and an author id of a general block), paper row, position, inferred, affiliations
        self.a_person = array("i")
        self.a_paper = array("q")
        self.a_position = array("i")
        self.a_inferred = bytearray()
        self.a_affiliations: dict[int, list[str]] = {}  # authorship row -> institution ids
        self.paper_list = bytearray()
        self.n_papers = 0

    def paper(self, values: tuple) -> int:
        for column, value in zip(self.papers.values(), values):
            column.append(value)
        self.n_papers += 1
        if len(self.papers["id"]) >= CHUNK:
            self.close_chunk()
        return self.n_papers - 1

    def close_chunk(self) -> None:
        if not self.papers["id"]:
            return
        types = NODE_PROPERTIES["Paper"]
        from graphkit.store.embedded import ARROW_TYPES

        arrays = {}
        for c, values in self.papers.items():
            kind = types[c]
            if kind == "DATE":
                values = [None if v is None else _dt.date.fromisoformat(v) for v in values]
            arrays[c] = pa.array(values, type=ARROW_TYPES[kind])
        self.paper_chunks.append(pa.table(arrays))
        self.papers = {c: [] for c in _PAPER_COLUMNS}


def _resolve_block(job: tuple[list, list[int]], *, aliases, identity) -> Resolution:
    """The general resolver's resolution of one block's records (``job``: the records and their numbers in
    the whole build)."""
    records, numbers = job
    return resolve([], records, aliases=aliases, identity=identity, numbers=numbers)


def build_bulk(paths: list[str], *, as_of: _dt.date, aliases=None, forced: str | None = None,
               on_file: Callable[[InputFile], None] | None = None, max_authors: int = MAX_AUTHORS,
               identity=None, on_stage: Callable[[str], None] | None = None):
    """Extract, resolve and build a DBLP-only input in bulk (see the module docstring); a
    :class:`~graphkit.pipeline.BuildResult` as :func:`~graphkit.pipeline.build_knowledge_graph` returns."""
    from graphkit.build import hyperauthored_papers
    from graphkit.pipeline import BuildResult

    timings: dict[str, float] = {}
    start = time.perf_counter()
    problems: list[Problem] = []
    readers: dict[str, dict[str, int]] = {}
    pass1 = _Pass1()
    files = 0
    for item, blob, things in _read(paths, forced, as_of):
        if blob is not None:
            pass1.chunk(blob, things)
            continue
        for thing in things:
            if type(thing) is Problem:
                problems.append(thing)
        files += item.format is not None
        if item.format is not None:
            counted = readers.setdefault(item.format, {})
            counted[item.how] = counted.get(item.how, 0) + 1
        if on_file is not None:
            on_file(item)
    pass1.parsed = {}
    timings["extract"], start = time.perf_counter() - start, time.perf_counter()
    debug_mark("read")
    if on_stage is not None:
        on_stage("resolve")

    group = _grouped(pass1)
    blocks = _blocks(group)
    block_of = np.full(pass1.n, -1, dtype=np.int32)
    for b, members in enumerate(blocks):
        block_of[members] = b
    del group
    slot_person = np.frombuffer(pass1.slot_person, dtype=np.int32)

    rows = _Rows()
    # papers of their own: their rows as the reading made them, their authors at their list positions
    simple = block_of < 0
    widths = np.frombuffer(pass1.widths, dtype=np.int32).astype(np.int64)
    offsets = np.r_[0, np.cumsum(widths)]
    record_of_slot = np.repeat(np.arange(pass1.n, dtype=np.int64), widths)
    simple_slot = simple[record_of_slot]
    row_of_record = np.cumsum(simple) - 1
    rows.a_person.frombytes(slot_person[simple_slot].astype(np.int32).tobytes())
    rows.a_paper.frombytes(row_of_record[record_of_slot[simple_slot]].astype(np.int64).tobytes())
    rows.a_position.frombytes((np.arange(len(record_of_slot)) - offsets[record_of_slot])[simple_slot].astype(np.int32).tobytes())
    rows.a_inferred.extend(bytes(int(simple_slot.sum())))
    rows.paper_list.extend(b"\x01" * int(simple_slot.sum()))
    del record_of_slot, simple_slot, offsets, widths
    mask_start = 0
    for k, table in enumerate(pass1.rows):
        keep = simple[mask_start:mask_start + table.num_rows]
        mask_start += table.num_rows
        pass1.rows[k] = None  # each block's rows dropped as its kept rows are copied
        rows.paper_chunks.append(table.filter(pa.array(keep)) if not keep.all() else table)
        del table
    pass1.rows = []
    rows.n_papers = int(simple.sum())

    debug_mark("papers of their own")
    waiting: list[list[CompactRecord]] = [[] for _ in blocks]
    numbers: list[list[int]] = [[] for _ in blocks]
    n = 0
    for offset, length, count in pass1.chunks:
        ahead = block_of[n:n + count]
        wanted = np.flatnonzero(ahead >= 0).tolist()
        if wanted:  # only the blocks holding records the general resolver takes are read back
            pass1.spill.seek(offset)
            chunk = pickle.loads(pass1.spill.read(length))
            for k in wanted:
                b = ahead[k]
                waiting[b].append(_record(chunk[k]))
                numbers[b].append(n + k)
            del chunk
        n += count
    pass1.chunks = []
    pass1.spill.close()

    # the groups: the general resolver, block by block; its authors are DBLP persons again
    res = Resolution()
    ambiguities: list = []  # (Ambiguity, person of a, person of b): its author ids named at the end
    extra_authors: dict[str, object] = {}  # an author of a general block without a DBLP id (none in DBLP as read)
    institutions: dict[str, object] = {}
    paper_institutions: list[tuple[int, str]] = []
    unknown: Counter = Counter()
    conflicts: dict[str, str] = {}
    # the blocks are independent (no group is cut): this process and a forked child take them in turn
    # (their results come back in block order, the same values as resolved one after the other)
    jobs = [[(records, numbers[b])] for b, records in enumerate(waiting) if records]
    del waiting, numbers
    for part in map_in_two(jobs, functools.partial(_resolve_block, aliases=aliases, identity=identity)):
        person_of: dict[str, int] = {}
        for aid, entity in part.authors.items():
            dblp = next((i for i in entity.ids if i.startswith("dblp:")), None)
            if dblp is not None and dblp in pass1.person_index:
                person_of[aid] = pass1.person_index[dblp]
            else:
                person_of[aid] = -1 - len(extra_authors)
                extra_authors.setdefault(aid, entity)
        row_of: dict[str, int] = {}
        for pid, entity in part.papers.items():
            row_of[pid] = rows.paper(tuple(getattr(entity, c) for c in _PAPER_COLUMNS))
        for a in part.authorships:
            person = person_of[a.author_id]
            rows.a_person.append(person)
            rows.a_paper.append(row_of[a.paper_id])
            rows.a_position.append(-1 if a.position is None else a.position)
            rows.a_inferred.append(bool(a.inferred))
            rows.paper_list.append(bool(a.paper_list))
            if a.affiliations:
                rows.a_affiliations[len(rows.a_person) - 1] = list(a.affiliations)
        for pid, iid in part.paper_institutions:
            paper_institutions.append((row_of[pid], iid))
        for iid, entity in part.institutions.items():
            institutions.setdefault(iid, entity)
        res.merges.extend(m for m in part.merges if m.kind != "author")
        # the pairs a block's resolver reports between two papers (a record that fits two works), and a name written
        # twice in one author list; its pairs of two authors are name variants across DBLP persons, left out
        for a in part.ambiguous:
            if not a.a.startswith("author:"):
                ambiguities.append((a, None, None))
            elif a.a == a.b:
                ambiguities.append((a, person_of.get(a.a), person_of.get(a.b)))
        unknown.update(part.unknown_institutions)
        conflicts.update(part.institution_conflicts)
        del part
    rows.close_chunk()
    del jobs

    papers = pa.concat_tables(rows.paper_chunks) if rows.paper_chunks else None
    rows.paper_chunks = []
    timings["resolve"], start = time.perf_counter() - start, time.perf_counter()
    debug_mark(f"resolved ({sum(len(b) for b in blocks)} records in {len(blocks)} blocks)")
    if on_stage is not None:
        on_stage("tables")

    tables, identities, merges = _tables(pass1, rows, papers, extra_authors, institutions, paper_institutions,
                                         max_authors, identity.bias if identity else "precision",
                                         identity.split_homonyms if identity else True, ambiguities)
    res.merges[:0] = merges
    res.ambiguous = [a for a, _, _ in ambiguities]
    res.identities = identities
    res.unknown_institutions = dict(unknown)
    res.institution_conflicts = conflicts
    authored = tables.rel_table("AUTHORED", "Author")
    hyper = hyperauthored_papers(pd.DataFrame({"author": authored.columns["source"], "paper": authored.columns["target"]}),
                                 max_authors=max_authors)
    timings["build"] = time.perf_counter() - start
    return BuildResult(tables, res, [], problems, files, pass1.n, as_of, paths, timings, readers,
                       max_authors=max_authors, hyperauthored=hyper)


def _columns(arrays: dict[str, pa.Array], types: dict[str, str]) -> dict:
    """Columns as a table handed over from the build's child holds them (:func:`graphkit.worker._column`)."""
    from graphkit.worker import _column

    rows = len(next(iter(arrays.values()))) if arrays else 0
    return {c: _column(pa.chunked_array([arrays[c]]) if isinstance(arrays[c], pa.Array) else arrays[c], kind, rows)
            for c, kind in types.items()}


def _tables(pass1: _Pass1, rows: _Rows, papers: pa.Table | None, extra_authors: dict, institutions: dict,
            paper_institutions: list, max_authors: int, bias: str = "precision", split_homonyms: bool = True,
            ambiguities: list | None = None):
    """The graph's tables: authors named from their DBLP persons, authorship and co-authorship in NumPy."""
    from graphkit.resolve.identity import informative

    person = np.frombuffer(rows.a_person, dtype=np.int32).astype(np.int64)
    paper_row = np.frombuffer(rows.a_paper, dtype=np.int64)
    # the persons that author something (a name a merged paper's other record replaced may author nothing)
    n_persons = len(pass1.person_ids)
    used = np.zeros(n_persons, dtype=bool)
    used[person[person >= 0]] = True

    # spellings per person, counted over every slot the input shows
    slot_person = np.frombuffer(pass1.slot_person, dtype=np.int32)
    slot_spelling = np.frombuffer(pass1.slot_spelling, dtype=np.int32)
    spellings = list(pass1.spelling_index)
    pass1.spelling_index = {}
    n_spellings = max(len(spellings), 1)
    ok = slot_person >= 0
    combined = slot_person[ok].astype(np.int64) * n_spellings + slot_spelling[ok]
    pairs, counts = np.unique(combined, return_counts=True)
    del combined
    found, first_index = np.unique(slot_person, return_index=True)
    first_slot = np.full(n_persons, len(slot_person), dtype=np.int64)
    first_slot[found[found >= 0]] = first_index[found >= 0]
    del found, first_index, ok
    pair_person, pair_spelling = pairs // n_spellings, pairs % n_spellings
    del pairs
    starts = np.flatnonzero(np.r_[True, pair_person[1:] != pair_person[:-1]]) if len(pair_person) else np.zeros(0, np.int64)
    persons = pair_person[starts]
    size = np.zeros(n_persons, dtype=np.int64)
    size[persons] = np.add.reduceat(counts, starts) if len(starts) else 0
    keys: dict[str, str] = {}

    def key_of(s: str) -> str:
        k = keys.get(s)
        if k is None:
            k = keys[s] = name_key(s)
        return k

    # per person: the spellings as (spelling, count), the most frequent naming them (the identity rules' pick)
    spelled: list = [None] * n_persons
    base: list = [None] * n_persons
    p_list, s_list = persons.tolist(), starts.tolist()
    e_list = s_list[1:] + [len(pair_person)]
    sp_list, c_list = pair_spelling.tolist(), counts.tolist()
    del pair_person, pair_spelling, counts
    for p, s, e in zip(p_list, s_list, e_list):
        if not used[p]:
            continue
        if e - s == 1:
            one = spellings[sp_list[s]]
            spelled[p] = one
            base[p] = key_of(one) or "unnamed"
        else:
            seen = [(spellings[sp_list[i]], c_list[i]) for i in range(s, e)]
            spelled[p] = seen
            pick = max(seen, key=lambda sc: (sc[1], len(key_of(sc[0]).split()), len(key_of(sc[0])), sc[0]))[0]
            base[p] = key_of(pick) or "unnamed"
    del p_list, s_list, e_list, sp_list, c_list

    def seen_of(p: int) -> list[tuple[str, int]]:
        one = spelled[p]
        return [(one, int(size[p]))] if type(one) is str else one

    def dblp_of(p: int) -> str:
        return next(i for i in pass1.person_ids[p] if i.startswith("dblp:"))

    ordered = [p for p in np.argsort(first_slot, kind="stable").tolist() if used[p]]  # as the input first shows them
    shared_base = Counter(base[p] for p in ordered)
    groups: dict[str, list[int]] = defaultdict(list)
    for p in ordered:
        if shared_base[base[p]] > 1:
            groups[base[p]].append(p)
    author_ids: list = [None] * n_persons
    for p in ordered:
        author_ids[p] = author_id(base[p])
    decisions: list[dict] = []
    explanations: dict[str, str] = {}
    merges: list[Merge] = []
    split = identified = 0
    suffixed: set[int] = set()
    for b, people in groups.items():
        people.sort(key=lambda p: (-size[p], first_slot[p]))
        taken: set[str] = set()
        for p in people:
            tail = slug(f"dblp {dblp_of(p)[5:]}")
            key = f"{b}~{tail}"
            k = 2
            while key in taken:
                key, k = f"{b}~{tail}-{k}", k + 1
            taken.add(key)
            author_ids[p] = author_id(key)
            suffixed.add(p)
        split += 1
        listed = [dblp_of(q) for q in people[:SHOWN + 1]]
        for k, p in enumerate(people):
            others = [d for j, d in enumerate(listed) if j != k][:SHOWN]
            more = len(people) - 1 - len(others)
            others = ", ".join(others) + (f" and {more} more" if more > 0 else "")
            explanations[author_ids[p]] = (
                f"{size[p]} occurrence(s) as {', '.join(sorted({key_of(s) for s, _ in seen_of(p)}))}: one of "
                f"{len(people)} people named {seen_of(p)[0][0]!r} (different DBLP person ids); split from "
                f"{len(people) - 1} other person(s) with this name: {others}")
        if len(decisions) < LISTED:
            decisions.append({"kind": "split", "keys": [author_ids[p] for p in people],
                              "names": list(dict.fromkeys(s for p in people for s, _ in seen_of(p)))[:5],
                              "reason": f"{len(people)} people: different DBLP person ids of one name: "
                                        + "; ".join(dblp_of(p) for p in people),
                              "occurrences": int(sum(size[p] for p in people))})
    del groups, shared_base

    # authors: name, variants (the spelling the id was made from first, then accents and cases, then the most
    # frequent), ids
    names, variants_col, orcids, ids_col, aid_col = [], [], [], [], []
    for p in ordered:
        aid = author_ids[p]
        ids = sorted(pass1.person_ids[p])
        one = spelled[p]
        if type(one) is str:
            variants = [one]
        else:
            own = None if p in suffixed else base[p]
            count = dict(one)
            variants = sorted(count, key=lambda s: (key_of(s) != own, -informative(s), -count[s], s))
            dblp = next(i for i in ids if i.startswith("dblp:"))
            reason = f"the same dblp id {dblp[5:]}"
            if len(variants) > len({key_of(v) for v in variants}):
                reason += "; the other spellings share a name key (case, diacritics, dashes, periods or spacing differ)"
            merges.append(Merge("author", aid, variants[0], variants, reason))
            identified += 1
            if len(decisions) < 2 * LISTED:
                decisions.append({"kind": "identifier", "keys": [aid], "names": variants[:5],
                                  "reason": f"the same dblp id {dblp[5:]}", "occurrences": int(size[p])})
        aid_col.append(aid)
        names.append(variants[0])
        variants_col.append(variants)
        orcids.append(next((i.partition(":")[2] for i in ids if i.startswith("orcid:")), None))
        ids_col.append(ids)
    spelled = base = keys = None  # noqa: F841 - freed
    pass1.person_ids = []
    for aid, entity in extra_authors.items():
        aid_col.append(aid)
        names.append(entity.name)
        variants_col.append(list(entity.name_variants))
        orcids.append(entity.orcid)
        ids_col.append(list(entity.ids))
    n_authors = len(aid_col)
    author_types = dict(NODE_PROPERTIES["Author"])
    from graphkit.store.embedded import ARROW_TYPES

    strings = pa.list_(pa.string())
    author_arrays = {
        "id": pa.array(aid_col, type=pa.string()), "name": pa.array(names, type=pa.string()),
        "name_variants": pa.array(variants_col, type=strings), "orcid": pa.array(orcids, type=pa.string()),
        "ids": pa.array(ids_col, type=strings), "is_profile_owner": pa.array([False] * n_authors, type=pa.bool_()),
    }
    for c, kind in author_types.items():
        author_arrays.setdefault(c, pa.nulls(n_authors, ARROW_TYPES[kind]))
    del names, variants_col, orcids, ids_col
    tables = GraphTables()
    tables.nodes.append(Table("node", "Author", None, None, author_types, _columns(author_arrays, author_types)))
    debug_mark("authors")
    del author_arrays

    paper_types = dict(NODE_PROPERTIES["Paper"])
    if papers is None:
        papers = pa.table({c: pa.array([], type=ARROW_TYPES[k]) for c, k in paper_types.items()})
    paper_ids_arr = papers.column("id").combine_chunks()
    years = papers.column("year").to_numpy(zero_copy_only=False).astype("float64")
    tables.nodes.append(Table("node", "Paper", None, None, paper_types,
                              _columns({c: papers.column(c) for c in paper_types}, paper_types)))
    del papers
    inst_rows = list(institutions.values())
    inst_types = dict(NODE_PROPERTIES["Institution"])
    tables.nodes.append(Table("node", "Institution", None, None, inst_types,
                              {f: [getattr(e, f) for e in inst_rows] for f in inst_types}))

    # authorship: each author's row in the Author table (persons in order, then extra authors), paper rows
    code_of_person = np.full(max(n_persons, 1), -1, dtype=np.int64)
    code_of_person[np.asarray(ordered, dtype=np.int64)] = np.arange(len(ordered))
    code = np.where(person >= 0, code_of_person[np.maximum(person, 0)], len(ordered) + (-1 - person))
    for k, (a, pa_, pb) in enumerate(ambiguities or ()):
        if pa_ is not None or pb is not None:  # a block's author ids -> the whole build's
            named = [author_ids[x] if x is not None and x >= 0 else y for x, y in ((pa_, a.a), (pb, a.b))]
            ambiguities[k] = (replace(a, a=named[0], b=named[1]), None, None)
    del code_of_person, author_ids
    author_strings = tables.node_table("Author").columns["id"]
    author_strings = pa.array(author_strings) if len(author_strings) else pa.array([], type=pa.string())
    author_index = _index(author_strings)
    positions = np.frombuffer(rows.a_position, dtype=np.int32)
    n_rows = len(person)
    affiliations = pa.array([rows.a_affiliations.get(i, _NONE) for i in range(n_rows)], type=strings) \
        if rows.a_affiliations else pa.ListArray.from_arrays(pa.array(np.zeros(n_rows + 1, dtype=np.int32)), pa.array([], type=pa.string()))
    authored_types = {"source": "STRING", "target": "STRING", **rel_properties("AUTHORED", "Author")}
    columns = _columns({"position": pa.array(positions, mask=positions < 0, type=pa.int64()),
                        "inferred": pa.array(np.frombuffer(bytes(rows.a_inferred), dtype=np.uint8).astype(bool)),
                        "affiliations": affiliations},
                       {k: v for k, v in authored_types.items() if k not in ("source", "target")})
    tables.rels.append(Table("rel", "AUTHORED", "Author", "Paper", authored_types, {
        "source": _ids(code, author_index, author_strings), "target": _ids(paper_row, _index(paper_ids_arr), paper_ids_arr),
        **columns}))
    del affiliations
    debug_mark("authored")
    tables.rels.append(Table("rel", "AFFILIATED_WITH", "Paper", "Institution", {"source": "STRING", "target": "STRING"}, {
        "source": [paper_ids_arr[r].as_py() for r, _ in paper_institutions], "target": [i for _, i in paper_institutions],
    }))
    # Author -> Institution: own affiliations; the paper's list where no source ties them to authors
    from graphkit.projections import affiliation_table

    links = []
    paper_list = np.frombuffer(bytes(rows.paper_list), dtype=np.uint8).astype(bool)
    for i, affs in rows.a_affiliations.items():
        if not paper_list[i]:
            links.extend((author_strings[int(code[i])].as_py(), paper_ids_arr[int(paper_row[i])].as_py(), a) for a in affs)
    if paper_institutions:
        by_paper: dict[int, list[str]] = defaultdict(list)
        for r, iid in paper_institutions:
            by_paper[r].append(iid)
        for i in np.flatnonzero(paper_list & np.isin(paper_row, np.fromiter(by_paper, dtype=np.int64))).tolist():
            links.extend((author_strings[int(code[i])].as_py(), paper_ids_arr[int(paper_row[i])].as_py(), iid)
                         for iid in by_paper[int(paper_row[i])])
    linked = pd.DataFrame(links, columns=["author", "paper", "institution"])
    if len(linked):
        wanted = pd.Index(linked["paper"].unique())
        at = pa.compute.index_in(pa.array(wanted.to_numpy(dtype=object), type=pa.string()), value_set=paper_ids_arr).to_numpy(zero_copy_only=False)
        year_by_id = pd.Series(years[at.astype(np.int64)], index=wanted)
    else:
        year_by_id = pd.Series([], dtype="float64")
    affiliated = affiliation_table(linked, year_by_id)
    tables.rels.append(Table("rel", "AFFILIATED_WITH", "Author", "Institution",
                             {"source": "STRING", "target": "STRING", **rel_properties("AFFILIATED_WITH", "Author")}, {
        "source": affiliated["author"], "target": affiliated["institution"], "papers": affiliated["papers"],
        "first_year": affiliated["first_year"], "last_year": affiliated["last_year"],
    }))
    debug_mark("affiliations")
    coauthored_types = {"source": "STRING", "target": "STRING", **rel_properties("COAUTHORED", "Author")}
    tables.rels.append(Table("rel", "COAUTHORED", "Author", "Author", coauthored_types,
                             _coauthors(code, paper_row, years, author_strings, max_authors, author_index)))
    debug_mark("coauthored")
    identities = {
        "settings": {"bias": bias, "split_homonyms": split_homonyms, "identities_file": None,
                     "path": "bulk: DBLP person ids (graphkit.bulk); name variants across DBLP persons not compared"},
        "counts": {"identity_merge": 0, "identity_split": split, "identity_ambiguous": 0,
                   "identity_identifier": identified, "identity_conflict": 0, "identity_curation": 0,
                   "identity_skipped_blocks": 0},
        "decisions": decisions,
        "authors": explanations,
    }
    return tables, identities, merges


_NONE: list = []


def _index(strings: pa.Array) -> pd.Index | None:
    """The categories of a column of ids (one object for every column of these ids, so that they are turned into
    Arrow once); None should two ids be equal."""
    categories = pd.Index(strings.to_pandas() if len(strings) else [], dtype="str")
    return categories if categories.is_unique else None


def _ids(codes: np.ndarray, categories: pd.Index | None, strings: pa.Array) -> pd.Series:
    """A column of ids as a categorical over ``categories`` (each id stored once, not once per row), or as the
    strings themselves when ``categories`` is None."""
    if categories is not None:
        return pd.Series(pd.Categorical.from_codes(codes, categories=categories))
    return strings.take(pa.array(codes)).to_pandas()


def _coauthors(author: np.ndarray, paper: np.ndarray, years: np.ndarray, author_ids: pa.Array, max_authors: int,
               author_index: pd.Index | None | bool = False) -> dict:
    """COAUTHORED columns from the authorship (rows of the Author table, paper rows), as
    :func:`graphkit.projections.coauthor_table` computes them: pairs ``a < b`` (by id) of a paper's authors,
    ``papers``, Newman weights (1/(n-1) per shared paper), first and last year; sorted by ``(a, b)``. In NumPy
    on integer keys: the 61 million co-authorships of all of DBLP never exist as Python objects or as a pandas
    group-by."""
    n_ids = len(author_ids)
    order = np.asarray(pa.compute.sort_indices(author_ids)).astype(np.int64)  # rows in the order their ids sort
    rank = np.empty(n_ids, dtype=np.int64)
    rank[order] = np.arange(n_ids)
    a = rank[author]
    o = np.lexsort((a, paper))
    a, p = a[o], paper[o]
    del o
    keep = np.r_[True, (a[1:] != a[:-1]) | (p[1:] != p[:-1])]  # an author twice on one paper counts once
    a, p = a[keep], p[keep]
    del keep
    starts = np.flatnonzero(np.r_[True, p[1:] != p[:-1]]) if len(p) else np.array([], dtype=np.int64)
    sizes = np.diff(np.r_[starts, len(p)])
    keys, sizes_of, pyears = [], [], []
    year16 = np.where(np.isnan(years), -1, years).astype(np.int16)  # years as 2 bytes a pair, -1 for none
    for n in np.unique(sizes):
        if n < 2 or n > max_authors:
            continue
        first = starts[sizes == n]
        block = a[first[:, None] + np.arange(n)]
        i, j = np.triu_indices(n, k=1)
        keys.append((block[:, i] * n_ids + block[:, j]).ravel())
        sizes_of.append(np.full(len(first) * len(i), n, dtype=np.int16))
        pyears.append(np.repeat(year16[p[first]], len(i)))
        del block
    del a, p
    none = pd.Series(pd.Categorical.from_codes([], categories=pd.Index([], dtype="str")))
    if not keys:
        return {"source": none, "target": none, "papers": pd.Series([], dtype="int64"), "weight": pd.Series([], dtype="float64"),
                "first_year": pd.Series([], dtype="float64"), "last_year": pd.Series([], dtype="float64")}
    key = np.concatenate(keys)
    del keys
    o = np.argsort(key)
    key = key[o]
    n_of = np.concatenate(sizes_of)[o]
    y = np.concatenate(pyears)[o]
    del sizes_of, pyears, o
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    unique = key[starts]
    del key
    papers = np.diff(np.r_[starts, len(n_of)])
    weight = np.add.reduceat(1.0 / (n_of - 1.0), starts)
    del n_of
    first_year = np.minimum.reduceat(np.where(y < 0, np.int16(32767), y), starts).astype("float64")
    last_year = np.maximum.reduceat(y, starts).astype("float64")
    del y, starts
    first_year[first_year == 32767] = np.nan
    last_year[last_year < 0] = np.nan
    categories = _index(author_ids) if author_index is False else author_index
    return {"source": _ids(order[unique // n_ids], categories, author_ids),
            "target": _ids(order[unique % n_ids], categories, author_ids),
            # counts and years in 4 bytes (stored as INT64: the store converts each part as it writes it)
            "papers": pd.Series(papers.astype("int32")), "weight": pd.Series(weight),
            "first_year": pd.Series(first_year.astype("float32")), "last_year": pd.Series(last_year.astype("float32"))}
