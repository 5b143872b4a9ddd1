"""The user's word on author identity: a curation file, applied before every other rule.

Like VOSviewer's thesaurus, for people. Three kinds of rule:

- ``same``: these names (or name-at-affiliation, or ids) are one person;
- ``never``: these two are never one person;
- ``id``: this name (at this affiliation) carries this id (``orcid:...``).

A *selector* is a name (``T. Mikolov``; case, accents, hyphens and spacing do
not matter), optionally narrowed to an affiliation (``Lei Zhang @ IBM``: any
of the occurrence's affiliations containing those words), or an id
(``orcid:0000-0002-1825-0097``).

YAML::

    same:
      - [Tomas Mikolov, T. Mikolov]
    never:
      - [Lei Zhang @ IBM, Lei Zhang @ Shanghai Jiao Tong University]
    id:
      - [Lei Zhang @ IBM, orcid:0000-0002-1825-0097]

CSV (a header line ``rule,first,second``, then one rule a line; a ``same``
rule of more than two names repeats its first name)::

    rule,first,second
    same,Tomas Mikolov,T. Mikolov
    never,Lei Zhang @ IBM,Lei Zhang @ Shanghai Jiao Tong University
    id,Lei Zhang @ IBM,orcid:0000-0002-1825-0097

The rules compile to identifiers (a ``same`` rule is a shared pseudo id, a
``never`` rule two different ones of one scheme, an ``id`` rule the id
itself), so the identity engine's id rules carry them out and nothing later
can undo them.

>>> cur = parse_curation("same:\\n  - [Tomas Mikolov, T. Mikolov]\\n", source="ids.yaml")
>>> cur.rules[0].kind, cur.rules[0].selectors, cur.rules[0].line
('same', ('Tomas Mikolov', 'T. Mikolov'), 2)
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from graphkit.exceptions import InputError
from graphkit.models import Problem
from graphkit.resolve.identity import _SUFFIX_WORD, CURATION_SCHEME, Occurrence, OccurrenceRows, affiliation_key, name_form

__all__ = ["Curation", "CurationRule", "apply_curation", "load_curation", "parse_curation"]

_STRICT = ConfigDict(frozen=True, extra="forbid", strict=True)
_KINDS = ("same", "never", "id")


class CurationRule(BaseModel):
    """One rule of a curation file, with the line it was read from."""

    model_config = _STRICT

    kind: Literal["same", "never", "id"]
    selectors: tuple[str, ...]
    line: int = 0


class Curation(BaseModel):
    """All rules of one curation file."""

    model_config = _STRICT

    source: str
    rules: tuple[CurationRule, ...] = ()


def _check(kind: str, items: list, source: str, line: int) -> CurationRule:
    if kind not in _KINDS:
        raise InputError(f"unknown rule {kind!r} (expected one of: {', '.join(_KINDS)})", source=source, line=line)
    if not isinstance(items, list) or not all(isinstance(x, str) and x.strip() for x in items):
        raise InputError(f"a {kind!r} rule is a list of names or ids", source=source, line=line)
    items = [" ".join(x.split()) for x in items]
    if kind == "same" and len(items) < 2:
        raise InputError("a 'same' rule needs at least two names", source=source, line=line)
    if kind == "never" and len(items) != 2:
        raise InputError("a 'never' rule names exactly two people", source=source, line=line)
    if kind == "id":
        if len(items) != 2 or ":" not in items[1] or " " in items[1]:
            raise InputError("an 'id' rule is [name (@ affiliation), scheme:value]", source=source, line=line)
    return CurationRule(kind=kind, selectors=tuple(items), line=line)


def parse_curation(text: str, *, source: str) -> Curation:
    """Read curation rules from YAML or CSV text (CSV when the first line is ``rule,first,second``).

    Raises :class:`~graphkit.exceptions.InputError` naming the file and line of a bad rule.

    >>> parse_curation("rule,first,second\\nnever,Lei Zhang @ IBM,Lei Zhang @ SJTU\\n", source="c.csv").rules[0].line
    2
    >>> parse_curation("merge:\\n  - [A, B]\\n", source="c.yaml")
    Traceback (most recent call last):
    ...
    graphkit.exceptions.InputError: c.yaml:1: unknown rule 'merge' (expected one of: same, never, id)
    """
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip().lower().replace(" ", "")
    if first.startswith("rule,"):
        return _parse_csv(text.lstrip("\ufeff"), source)
    return _parse_yaml(text, source)


def _parse_csv(text: str, source: str) -> Curation:
    rules: list[CurationRule] = []
    same_groups: dict[str, int] = {}
    for line, row in enumerate(csv.reader(io.StringIO(text)), 1):
        if line == 1 or not any(cell.strip() for cell in row) or row[0].strip().startswith("#"):
            continue
        if len(row) != 3:
            raise InputError(f"expected 3 columns (rule,first,second), found {len(row)}", source=source, line=line)
        kind, a, b = (cell.strip() for cell in row)
        rule = _check(kind.lower(), [a, b], source, line)
        if rule.kind == "same" and a in same_groups:  # more names for an earlier group
            k = same_groups[a]
            rules[k] = rules[k].model_copy(update={"selectors": rules[k].selectors + (rule.selectors[1],)})
            continue
        if rule.kind == "same":
            same_groups[a] = len(rules)
        rules.append(rule)
    return Curation(source=source, rules=tuple(rules))


def _parse_yaml(text: str, source: str) -> Curation:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', exc)}", source=source,
                         line=mark.line + 1 if mark else None) from None
    if root is None:
        return Curation(source=source)
    if not isinstance(root, yaml.MappingNode):
        raise InputError("expected a mapping of rule kinds (same, never, id) to lists of rules", source=source, line=1)
    rules: list[CurationRule] = []
    for key_node, value_node in root.value:
        kind = str(key_node.value).strip().lower()
        if kind not in _KINDS:
            _check(kind, [], source, key_node.start_mark.line + 1)
        if not isinstance(value_node, yaml.SequenceNode):
            raise InputError(f"{kind!r}: expected a list of rules", source=source, line=value_node.start_mark.line + 1)
        for item in value_node.value:
            line = item.start_mark.line + 1
            value = yaml.safe_load(yaml.serialize(item))
            if isinstance(value, dict) and kind == "id":
                value = [f"{value.get('name', '')}" + (f" @ {value['affiliation']}" if value.get("affiliation") else ""),
                         str(value.get("id", ""))]
            elif isinstance(value, dict):
                value = value.get("names")
            rules.append(_check(kind, value, source, line))
    return Curation(source=source, rules=tuple(rules))


def load_curation(path: str | Path) -> Curation:
    """Read a curation file (``.yaml``/``.yml`` or ``.csv``); a bad rule is an InputError with file and line."""
    from graphkit.readers._files import open_input

    path = Path(path)
    try:
        with open_input(path) as stream:  # regular files only: a FIFO or a device is refused, not waited on
            text = stream.read().decode("utf-8")
    except InputError as exc:
        why = str(exc).removeprefix(f"{exc.source}: ") if exc.source else str(exc)
        raise InputError(f"cannot read the identities file: {why}", source=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the identities file: {exc.strerror or exc}", source=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("the identities file is not UTF-8 text", source=str(path)) from None
    return parse_curation(text, source=str(path))


def _selector(text: str, places=None):
    """``(exact name key, affiliation word sets, generational suffix)`` or ``("id", scheme:value)``.

    The affiliation's words, and, when ``places`` (an alias table's ``canonical``) knows it, its
    institution's: ``@ MIT`` finds an author at the Massachusetts Institute of Technology.
    """
    name, _, aff = text.partition("@")
    name = name.strip()
    if ":" in name and " " not in name and not aff:
        scheme, _, value = name.partition(":")
        return ("id", f"{scheme.lower()}:{value if scheme.lower() == 'dblp' else value.lower()}")
    suffix = m[1].lower() if (m := _SUFFIX_WORD.search(name)) else None  # Robert Smith Jr., not III
    if not aff.strip():
        return (name_form(name).exact, None, suffix)
    wanted = [set(affiliation_key(aff).split())]
    canonical = places(aff.strip()) if places is not None else None
    if canonical:
        wanted.append(set(affiliation_key(canonical).split()))
    return (name_form(name).exact, wanted, suffix)


def _place_words(affiliation: str) -> set[str]:
    """The words an occurrence's affiliation is matched by: as written, or an institution id's name part
    (``institution:tsinghua-university~ror-03cve4549``)."""
    if affiliation.startswith("institution:"):
        affiliation = affiliation.partition(":")[2].partition("~")[0].replace("-", " ")
    return set(affiliation_key(affiliation).split())


def _matches(sel, occ: Occurrence, exact: str) -> bool:
    if sel[0] == "id":
        wanted = sel[1]
        return any(_norm_id(i) == wanted for i in occ.ids)
    if sel[0] != exact:
        return False
    if sel[2] is not None and not ((m := _SUFFIX_WORD.search(occ.name)) and m[1].lower() == sel[2]):
        return False
    if sel[1] is None:
        return True
    return any(words <= _place_words(a) for a in occ.affiliations for words in sel[1])


def _norm_id(raw: str) -> str:
    scheme, _, value = raw.partition(":")
    scheme = scheme.strip().lower()
    return f"{scheme}:{value.strip() if scheme == 'dblp' else value.strip().lower()}"


def apply_curation(occurrences, curation: Curation, places=None) -> tuple[dict[int, tuple[str, ...]], list[str], list[Problem]]:
    """The ids the rules compile to, by occurrence index; a log line per rule; problems.

    ``occurrences`` is a list of :class:`Occurrence` or an
    :class:`~graphkit.resolve.identity.OccurrenceRows`-shaped table;
    ``places`` an alias table's ``canonical`` (``@ MIT`` then also finds the
    Massachusetts Institute of Technology).

    A rule whose selector matches no occurrence is a problem (a typo in the
    file should not pass silently).

    >>> cur = parse_curation("never:\\n  - [Lei Zhang @ IBM, Lei Zhang @ Fudan]\\n", source="c.yaml")
    >>> occs = [Occurrence("Lei Zhang", affiliations=("IBM Research",)), Occurrence("Lei Zhang", affiliations=("Fudan University",))]
    >>> extra, log, problems = apply_curation(occs, cur)
    >>> extra, problems
    ({0: ('curation-never-1:a',), 1: ('curation-never-1:b',)}, [])
    """
    by_exact: dict[str, list[int]] = {}
    by_id: dict[str, list[int]] = {}
    forms: dict[tuple, str] = {}
    table = occurrences if hasattr(occurrences, "has_evidence") else OccurrenceRows(occurrences)
    for i, name in enumerate(table.name):
        fkey = (name, table.given[i], table.family[i])
        exact = forms.get(fkey)
        if exact is None:
            exact = forms[fkey] = name_form(*fkey).exact
        by_exact.setdefault(exact, []).append(i)
        if table.has_evidence(i):
            for raw in table[i].ids:
                by_id.setdefault(_norm_id(raw), []).append(i)
    extra: dict[int, list[str]] = {}
    log: list[str] = []
    problems: list[Problem] = []
    for n, rule in enumerate(curation.rules, 1):
        counts = []
        sides: list[set[int]] = []
        for side, text in enumerate(rule.selectors[:1] if rule.kind == "id" else rule.selectors):
            sel = _selector(text, places)
            pool = by_id.get(sel[1], []) if sel[0] == "id" else by_exact.get(sel[0], [])
            hits = [i for i in pool if _matches(sel, table[i], sel[0])]
            counts.append(len(hits))
            if rule.kind == "same":
                pseudo = f"{CURATION_SCHEME}-same-{n}:1"
            elif rule.kind == "never":
                pseudo = f"{CURATION_SCHEME}-never-{n}:{'ab'[side]}"
            else:
                pseudo = rule.selectors[1]
            for i in hits:
                extra.setdefault(i, []).append(pseudo)
            sides.append(set(hits))
            if not hits:
                problems.append(Problem(source=curation.source, line=rule.line,
                                        message=f"identities rule {rule.kind!r}: {text!r} matches no author"))
        if rule.kind == "never" and len(sides) == 2 and (both := sides[0] & sides[1]):
            problems.append(Problem(source=curation.source, line=rule.line, message=(
                f"identities rule 'never': {rule.selectors[0]!r} and {rule.selectors[1]!r} both match the same "
                f"{len(both)} occurrence(s) (one spelling to graphkit); narrow one with '@ affiliation' or an id")))
        shown = " / ".join(f"{s!r} ({c})" for s, c in zip(rule.selectors, counts))
        if rule.kind == "id":
            shown = f"{rule.selectors[0]!r} ({counts[0]}) is {rule.selectors[1]}"
        log.append(f"{curation.source}:{rule.line}: {rule.kind}: {shown}")
    return {i: tuple(ids) for i, ids in extra.items()}, log, problems
