"""Institutions: identifiers first (ROR, OpenAlex), then an editable alias table.

The table ships as ``graphkit/data/institutions.csv`` (``alias,canonical``);
pass another file to :func:`load_alias_table` to extend or replace it.
:class:`InstitutionResolver` turns the affiliations records carry into
institution entities with stable ids.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from graphkit.exceptions import InputError
from graphkit.keys import institution_key, slug
from graphkit.resolve.log import Merge
from graphkit.resolve.records import Affiliation

__all__ = ["AliasTable", "InstitutionEntity", "InstitutionResolver", "load_alias_table"]


class AliasTable:
    """Look up the canonical name of an institution alias.

    >>> table = load_alias_table()
    >>> table.canonical("cmu"), table.canonical("Meta AI"), table.canonical("meta_ai")
    ('Carnegie Mellon University', 'Meta AI', 'Meta AI')
    >>> table.canonical("unknown-lab") is None
    True
    """

    def __init__(self, pairs: dict[str, str]):
        self._by_key: dict[str, str] = {}
        # one-word aliases that are a word of their university's name (princeton, washington, cambridge): as a
        # whole affiliation (a profile page's "princeton") the university, as one part of an address its city
        self._places: set[str] = set()
        for alias, canonical in pairs.items():
            key = institution_key(alias)
            self._by_key[key] = canonical
            self._by_key.setdefault(institution_key(canonical), canonical)
            named = institution_key(canonical)
            if " " not in key and key in named.split() and _AN_INSTITUTION.search(named):
                self._places.add(key)

    def canonical(self, alias: str) -> str | None:
        """The canonical name of an alias, or of the first part of an address that is one.

        Bibliographic exports write whole addresses (``Dept Comp Sci, Princeton
        Univ, Princeton, NJ 08544 USA``): when the whole is unknown, each
        comma-separated part is tried in order. A part that only names a place
        an institution is named after (``Washington``, ``Cambridge``) is its
        city there, not the institution; and a part that names an institution
        the table does not know ends the search (the places after it are its
        own: ``George Washington University, Washington, DC`` is not the
        University of Washington).

        >>> table = load_alias_table()
        >>> table.canonical("Computer Science Department, Princeton University, Princeton, NJ, United States")
        'Princeton University'
        >>> table.canonical("Naval Research Laboratory, Washington, DC"), table.canonical("Washington, USA")
        (None, None)
        >>> table.canonical("Dept EECS, MIT, Cambridge, MA"), table.canonical("washington")
        ('Massachusetts Institute of Technology', 'University of Washington')
        """
        found = self._by_key.get(institution_key(alias))
        if found is None and "," in alias:
            for part in alias.split(","):
                if not part.strip():
                    continue
                key = institution_key(part)
                if key in self._places:
                    continue
                if (found := self._by_key.get(key)) is not None:
                    break
                if _AN_INSTITUTION.search(key):
                    return None
        return found

    def __len__(self) -> int:
        return len(self._by_key)


# a word that makes an address part an institution of its own (after institution_key's expansions)
_AN_INSTITUTION = re.compile(r"\b(?:university|universit[a-z]*|universidad|institute|institut[a-z]*|laboratory|laboratories|"
                             r"college|hospital|academy|foundation|corporation|observatory|polytechnic)\b")


def _institution_part(address: str) -> str | None:
    """The part of an unknown address that names its institution: the last comma-separated part with an
    institution's word (the university a department or institute belongs to); None when no part has one,
    or the address is that part alone.

    >>> _institution_part("Leiden University, Leiden, The Netherlands")
    'Leiden University'
    >>> _institution_part("Institute of Physics, Chinese Academy of Sciences, Beijing 100190, China")
    'Chinese Academy of Sciences'
    >>> _institution_part("Google Research, Mountain View, CA"), _institution_part("Leiden University")
    (None, None)
    """
    if "," not in address:
        return None
    parts = [p.strip() for p in address.split(",") if p.strip()]
    named = [p for p in parts if _AN_INSTITUTION.search(institution_key(p))]
    return named[-1] if named and named[-1] != address.strip() else None


def load_alias_table(path: str | Path | None = None) -> AliasTable:
    """Read an ``alias,canonical`` CSV; the packaged table when ``path`` is None."""
    if path is None:
        text = resources.files("graphkit.data").joinpath("institutions.csv").read_text(encoding="utf-8")
        source = "graphkit/data/institutions.csv"
    else:
        from graphkit.readers._files import open_input

        with open_input(path) as stream:  # regular files only; gzip works too
            data = stream.read()
        try:
            text = data.decode("utf-8-sig")  # a byte-order mark (Excel's CSV) is fine
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise InputError(f"alias table is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8",
                             source=str(path), line=line) from None
        source = str(path)
    pairs: dict[str, str] = {}
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header != ["alias", "canonical"]:
        raise InputError("alias table must start with the header 'alias,canonical'", source=source, line=1)
    for lineno, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise InputError(f"expected two columns 'alias,canonical', got {row!r}", source=source, line=lineno)
        pairs[row[0].strip()] = row[1].strip()
    return AliasTable(pairs)


@dataclass(slots=True)
class InstitutionEntity:
    id: str
    name: str
    aliases: list[str]
    ror: str | None = None
    ids: list[str] = field(default_factory=list)
    country: str | None = None


_ID_SCHEMES = ("ror", "openalex")


def _other_ids(held: list[str], given: list[str]) -> bool:
    """Whether an institution holding ``held`` has an id of a scheme ``given`` also has (none of ``given`` is
    known, so those ids differ: another institution under the same name)."""
    schemes = {i.partition(":")[0].lower() for i in given}
    return any(i.partition(":")[0].lower() in schemes for i in held)


class InstitutionResolver:
    """Affiliations as written -> institution ids, one entity per institution.

    Identifiers decide first: affiliations sharing a ROR or OpenAlex id are one
    institution, whatever their names. Otherwise the alias table maps the name
    to a canonical name; a name it does not know stays as written (and is
    counted in :attr:`unknown`, when it has no id either).

    >>> r = InstitutionResolver(load_alias_table())
    >>> r.resolve(Affiliation("cmu")) == r.resolve(Affiliation("Carnegie Mellon University", ("ror:05x2bcf33",)))
    True
    >>> r.resolve(Affiliation("CMU Robotics", ("ror:05x2bcf33",)))
    'institution:carnegie-mellon-university'
    >>> e = r.entities()["institution:carnegie-mellon-university"]
    >>> e.ror, e.aliases
    ('05x2bcf33', ['CMU Robotics', 'Carnegie Mellon University', 'cmu'])
    """

    def __init__(self, aliases: AliasTable):
        self.aliases = aliases
        self._entities: dict[str, InstitutionEntity] = {}
        self._by_id: dict[str, str] = {}
        self._seen: dict[str, Counter] = defaultdict(Counter)
        self._cache: dict[Affiliation, tuple[str | None, bool]] = {}
        self.unknown: dict[str, int] = {}

    def resolve(self, affiliation: Affiliation) -> str | None:
        """The institution id of one affiliation (None when it names nothing)."""
        known = self._cache.get(affiliation)
        if known is None:
            known = self._cache[affiliation] = self._resolve(affiliation)
        iid, unknown = known
        if iid is not None:
            self._seen[iid][affiliation.name or iid] += 1
        if unknown:
            self.unknown[affiliation.name] = self.unknown.get(affiliation.name, 0) + 1
        return iid

    def _resolve(self, aff: Affiliation) -> tuple[str | None, bool]:
        ids = [i for i in aff.ids if i.partition(":")[0].lower() in _ID_SCHEMES]
        iid = next((self._by_id[i] for i in ids if i in self._by_id), None)
        raw = (aff.name or "").strip()
        canonical = self.aliases.canonical(raw) if raw else None
        unknown = bool(raw) and not ids and canonical is None
        if iid is None:
            if not raw and not ids:
                return None, False
            if canonical is None:
                canonical = _institution_part(raw) or raw or ids[0]
            iid = "institution:" + slug(canonical)
            if ids and (named := self._entities.get(iid)) is not None and _other_ids(named.ids, ids):
                # Same name, another id of the same scheme: two institutions (Northeastern University in Boston,
                # ror:04t5xt781, and in Shenyang, ror:03awzbc87), kept apart under an id that says which.
                which = next((i for i in ids if i.lower().startswith("ror:")), ids[0])
                iid = f"{iid}~{slug(which.replace(':', '-'))}"
            if iid not in self._entities:
                self._entities[iid] = InstitutionEntity(id=iid, name=canonical, aliases=[])
            iid = self._entities[iid].id  # one shared id string per institution
        entity = self._entities[iid]
        for i in ids:
            self._by_id.setdefault(i, iid)
            if i not in entity.ids:
                entity.ids.append(i)
                entity.ids.sort()
                if entity.ror is None and i.lower().startswith("ror:"):
                    entity.ror = i.partition(":")[2]
        if entity.country is None and aff.country:
            entity.country = aff.country
        return iid, unknown

    def compared_as(self, affiliation: Affiliation) -> str | None:
        """The text an author's affiliation is compared by, when the institution is known; None when it is not.

        An affiliation an id pins down, or the alias table knows, is its institution: it compares by the
        institution's name however it was written (``Tsinghua University`` from one source, ROR 03cve4549
        from another); one of two institutions of one name (``~`` ids) by its id. Others compare as written.

        >>> r = InstitutionResolver(load_alias_table())
        >>> r.compared_as(Affiliation("Dept EECS, MIT, Cambridge, MA")), r.compared_as(Affiliation("Foo Lab"))
        ('Massachusetts Institute of Technology', None)
        >>> r.compared_as(Affiliation("Foo Lab", ("ror:0abcd1234",)))
        'Foo Lab'
        """
        known = self._cache.get(affiliation)  # resolved (and counted) already when an author's row is added
        if known is None:
            known = self._cache[affiliation] = self._resolve(affiliation)
        iid, unknown = known
        if iid is None or unknown:
            return None
        if "~" in iid:
            return iid
        return self._entities[iid].name

    def entities(self) -> dict[str, InstitutionEntity]:
        """The institutions, aliases filled in (most used first)."""
        for iid, seen in self._seen.items():
            self._entities[iid].aliases = sorted(seen, key=lambda s: (-seen[s], s))
        return self._entities

    def merges(self) -> list[Merge]:
        """One log entry per institution known under several names."""
        out = []
        for entity in self.entities().values():
            if len(entity.aliases) > 1:
                why = ("aliases map to one canonical name in the alias table" if not entity.ids else
                       "aliases share an identifier (" + ", ".join(entity.ids) + ") or map to one canonical name in the alias table")
                out.append(Merge("institution", entity.id, entity.name, entity.aliases, why))
        return out
