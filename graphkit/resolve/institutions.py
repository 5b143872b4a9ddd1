"""Institutions: identifiers first (ROR, OpenAlex), then an editable alias table.

The table ships as ``graphkit/data/institutions.csv`` (``alias,canonical``);
pass another file to :func:`load_alias_table` to extend or replace it.
:class:`InstitutionResolver` turns the affiliations records carry into
institution entities with stable ids.

Names are compared by :func:`variant_key`, which reads spellings of one name
alike: dotted acronyms (``M.I.T.``), other languages' words for university,
institute and technical university (``Universiteit Leiden``,
``TU München``), their generic words that translate one to one (``Freie``,
``Katholieke``, ``Institut für``) and city names
(``graphkit/data/institution_places.csv``); and by their acronym forms
(``KU Leuven``, ``EPFL``: :class:`_AcronymIndex`).
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from graphkit.exceptions import InputError
from graphkit.readers._countries import country_code
from graphkit.keys import alias_key, institution_key, slug
from graphkit.resolve.log import Merge
from graphkit.resolve.records import Affiliation

__all__ = ["AliasTable", "InstitutionEntity", "InstitutionResolver", "load_alias_table", "variant_key"]


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
        self._variants = _VariantIndex()  # the names as variant_key reads them (M.I.T., Universität, TU ...)
        for alias, canonical in pairs.items():
            key = institution_key(alias)
            self._by_key[key] = canonical
            self._by_key.setdefault(institution_key(canonical), canonical)
            named = institution_key(canonical)
            if " " not in key and key in named.split() and _AN_INSTITUTION.search(named):
                self._places.add(key)
        self._acronyms = _AcronymIndex()  # EPFL, KU Leuven: an acronym and the long name it spells
        for alias, canonical in pairs.items():
            self._variants.add(alias, canonical)
            self._variants.add(canonical, canonical)
            self._acronyms.add(alias, canonical)
            self._acronyms.add(canonical, canonical)

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

        Spellings :func:`variant_key` reads alike find the same name: a dotted
        acronym, another language's word for university, the other order of
        a foreign name; an English name keeps its order (``Washington
        University`` is another university than ``University of Washington``):

        >>> table.canonical("M.I.T."), table.canonical("E.T.H. Zürich"), table.canonical("Universität Washington")
        ('Massachusetts Institute of Technology', 'ETH Zurich', 'University of Washington')
        >>> table.canonical("Washington University"), table.canonical("Washington University in St. Louis")
        (None, None)
        """
        key, vkey, flexible = _whole_keys(alias)  # initials undotted: M.I.T. is MIT
        found = self._by_key.get(key)
        if found is None:
            found = self._variants.find(vkey, flexible) or self._acronyms.find(alias)
        if found is None and (bare := _bare(alias)) != alias and bare:
            found = self._find(bare)
        if found is None and "," in alias:
            for part in alias.split(","):
                if not part.strip():
                    continue
                key, vkey, flexible = _keys(part)
                if key in self._places:
                    continue
                if (found := self._by_key.get(key) or self._variants.find(vkey, flexible)) is not None:
                    break
                if (bare := _bare(part)) != part and bare and (found := self._find(bare)) is not None:
                    break
                if _AN_INSTITUTION.search(key) or _names_a_kind(vkey):
                    return None
        return found

    def _find(self, name: str) -> str | None:
        """The canonical name of one name (no address parts), or None."""
        key, vkey, flexible = _keys(name)
        found = self._by_key.get(key)
        return found if found is not None else self._variants.find(vkey, flexible) or self._acronyms.find(name)

    def __len__(self) -> int:
        return len(self._by_key)


# OpenAlex's country after a company's name ("Google (United States)"), a company's legal form ("Google Inc",
# "Baidu, Inc.", "Siemens AG"): the name without them is the one the table knows
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
_LEGAL_FORM = re.compile(r"[\s,]+(?:inc|incorporated|llc|ltd|limited|corp|co|gmbh|plc|ag|s\.?a|b\.?v|n\.?v|pty)\.?$", re.I)


def _bare(name: str) -> str:
    """A name without a trailing parenthesis or a company's legal form.

    >>> _bare("Baidu (United States)"), _bare("Google Inc"), _bare("Baidu, Inc."), _bare("Leiden University")
    ('Baidu', 'Google', 'Baidu', 'Leiden University')
    """
    text = _TRAILING_PAREN.sub("", name.strip())
    return _LEGAL_FORM.sub("", text).strip()


# a word that makes an address part an institution of its own (after institution_key's expansions)
_AN_INSTITUTION = re.compile(r"\b(?:university|universit[a-z]*|universidad|institute|institut[a-z]*|laboratory|laboratories|"
                             r"college|hospital|academy|foundation|corporation|observatory|polytechnic)\b")

# -- spellings of one name -------------------------------------------------------------------------------------

_UNIVERSITY, _INSTITUTE, _TECHNICAL_UNIVERSITY = "university", "institute", "technical-university"
_HEADS = {_UNIVERSITY, _INSTITUTE, _TECHNICAL_UNIVERSITY}
# Other languages' words (accents folded) for the head of a name. Their names have one order, "Universität X",
# meaning "University of X": such a name may meet an English name in either order (Universiteit Leiden is
# Leiden University, Universität Stuttgart the University of Stuttgart).
_FOREIGN_HEADS = {
    **dict.fromkeys(("universitat", "universiteit", "universite", "universidad", "universita", "universidade",
                     "uniwersytet", "universitet", "universiteti", "univerzita", "univerzitet", "universitas",
                     "universiti", "universitatea"), _UNIVERSITY),
    **dict.fromkeys(("institut", "instituto", "istituto", "instytut", "institutet", "instituut"), _INSTITUTE),
    "tu": _TECHNICAL_UNIVERSITY,  # TU Munich, TU Delft, TU Wien: a German/Dutch "Technische Universität"
}
# "technical" as written beside "university" (institution_key reads WoS's "Tech" as "technology"): "Technische
# Universität", "Technical Univ.", "University of Technology", "Universidad Técnica" are one kind of university.
_TECHNICAL = {"technische", "technical", "technology", "tecnica", "tecnico", "technicka", "techniczna", "teknologi"}
_MORE_STOP = {"van", "von", "der", "den", "des", "du", "del", "della", "degli", "dos", "do", "das", "zu", "la", "le", "y",
              "fur", "fuer", "voor", "pour", "per", "para"}  # Institut für, Instituut voor: Institute for
# Other languages' generic words of institution names that translate one to one (accents folded): Freie Universität
# Berlin is the Free University of Berlin, Medizinische Universität Wien the Medical University of Vienna,
# Max-Planck-Institut für Informatik the Max Planck Institute for Informatics. A Romance adjective stays after its
# noun (Universidad Católica): read in English order, the Université libre de Bruxelles would be the Vrije
# Universiteit Brussel, another university of the same English name; such names need the alias table. None: a
# title of honour no part of the name (the Pontifical Catholic University of Chile is its Catholic University).
_TRANSLATED = {
    **dict.fromkeys(("freie", "freien", "vrije", "libre", "libera", "livre"), "free"),
    **dict.fromkeys(("katholieke", "katholische", "katholischen", "catolica", "catolico", "catholique", "cattolica",
                     "katolicki", "katolicka"), "catholic"),
    **dict.fromkeys(("pontificia", "pontificio", "pontifical", "pontificale"), None),
    **dict.fromkeys(("medizinische", "medische", "medizinischen"), "medical"),
    **dict.fromkeys(("autonoma", "autonomo", "autonome"), "autonomous"),
    "federale": "federal",
    **dict.fromkeys(("nationale", "nacional", "nazionale", "nationaal"), "national"),
    # a German discipline's "-ik" is English "-ics" (Institut für Informatik, Fakultät für Mathematik)
    **{w + "ik": w + "ics" for w in ("informat", "mathemat", "phys", "stochast", "statist", "robot", "linguist", "mechan",
                                     "opt", "genet")},
    "elektronik": "electronics", "akustik": "acoustics", "logik": "logic",
}
# initials written with dots (M.I.T., E. T. H.) or spaced capitals (U C L A): the acronym as one word
_DOTTED = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\. ?)+[^\W\d_](?:\.|(?![^\W\d_]))")
_SPACED = re.compile(r"\b[A-Z](?: [A-Z]){2,}\b")


def _city_names() -> dict[str, str]:
    text = resources.files("graphkit.data").joinpath("institution_places.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))[1:]
    return {alias_key(written): alias_key(english) for written, english in rows if alias_key(written)}


_CITIES = _city_names()
# the words _keys reads differently (a key without any is its own variant key)
_SPECIAL = frozenset(_MORE_STOP | _FOREIGN_HEADS.keys() | _TECHNICAL | _CITIES.keys() | _TRANSLATED.keys()
                     | {_UNIVERSITY, "studi"})


def _undotted(text: str) -> str:
    """``text`` with dotted or spaced initials written as one acronym.

    >>> _undotted("M.I.T."), _undotted("Dept. Physics, U. C. L. A."), _undotted("J. Smith, St. Louis, U S A")
    ('MIT', 'Dept. Physics, UCLA', 'J. Smith, St. Louis, USA')
    """
    if "." in text:
        text = _DOTTED.sub(lambda m: m[0].replace(".", "").replace(" ", ""), text)
    if " " in text:
        text = _SPACED.sub(lambda m: m[0].replace(" ", ""), text)
    return text


def variant_key(text: str) -> tuple[str, bool]:
    """The key two spellings of one institution name share, and whether its order is free.

    :func:`~graphkit.keys.institution_key` (folded, abbreviations expanded, small words left out), with
    acronyms undotted, other languages' words for university, institute and technical university as the
    English word, a technical university's forms (``TU``, ``Technische Universität``, ``University of
    Technology``) as one word, and city names in English. The order is free when the name's head (its
    university, institute or technical university) is at one end and was written in another language or as a
    technical university: those names are compared in both orders. An English name keeps its order.

    >>> variant_key("Technische Universität München"), variant_key("TU Munich"), variant_key("Munich Univ. of Technology")
    (('technical-university munich', True), ('technical-university munich', True), ('munich technical-university', True))
    >>> variant_key("Universiteit van Amsterdam"), variant_key("University of Washington"), variant_key("M.I.T.")
    (('university amsterdam', True), ('university washington', False), ('mit', False))

    Generic words that translate one to one are the English word, where they stand (a Romance adjective after
    its noun stays there):

    >>> variant_key("Freie Universität Berlin")[0], variant_key("Max-Planck-Institut für Informatik")[0]
    ('free university berlin', 'max planck institute informatics')
    >>> variant_key("Pontificia Universidad Católica de Chile")[0], variant_key("Université libre de Bruxelles")[0]
    ('university catholic chile', 'university free brussels')
    """
    return _keys(text)[1:]


@lru_cache(maxsize=1 << 16)
def _keys(text: str) -> tuple[str, str, bool]:
    """``institution_key`` of ``text`` with its initials undotted, and its :func:`variant_key`.

    Cached: the parts of addresses (a university, a city, a country) recur across millions of records.
    """
    key = institution_key(_undotted(text))
    split = key.split()
    if _SPECIAL.isdisjoint(split):  # most parts: nothing to read otherwise
        return key, key, False
    words: list[str] = []
    flexible = False
    for word in split:
        if word in _MORE_STOP:
            continue
        if (head := _FOREIGN_HEADS.get(word)) is not None:
            word, flexible = head, True
        elif word == "studi" and words and words[-1] == _UNIVERSITY:  # Università degli Studi di Milano
            continue
        elif word in _TRANSLATED:
            if (word := _TRANSLATED[word]) is None:
                continue
        else:
            word = _CITIES.get(word, word)
        if word == _UNIVERSITY and words and words[-1] in _TECHNICAL:
            words[-1] = _TECHNICAL_UNIVERSITY
            continue
        if word in _TECHNICAL and words and words[-1] == _UNIVERSITY:
            words[-1] = _TECHNICAL_UNIVERSITY
            continue
        words.append(word)
    if _TECHNICAL_UNIVERSITY in words:
        flexible = True
    flexible = flexible and len(words) > 1 and (words[0] in _HEADS or words[-1] in _HEADS)
    return key, " ".join(words), flexible


def _whole_keys(text: str) -> tuple[str, str, bool]:
    """:func:`_keys` of a whole affiliation: an address (mostly seen once) is not cached, but kept for the next
    call (the resolver asks for one address's keys twice in a row); a name alone is cached."""
    if "," not in text:
        return _keys(text)
    memo = _LAST_WHOLE[0]
    if memo is None or memo[0] != text:
        memo = _LAST_WHOLE[0] = (text, _keys.__wrapped__(text))
    return memo[1]


_LAST_WHOLE: list = [None]  # (text, keys) of the last address


def _names_a_kind(vkey: str) -> bool:
    """Whether a variant key holds a university, institute or technical university."""
    return _UNIVERSITY in vkey or _INSTITUTE in vkey or _TECHNICAL_UNIVERSITY in vkey


def _other_order(key: str) -> str:
    """The other order of a key whose head is at one end: ``university leiden`` <-> ``leiden university``."""
    words = key.split()
    if words[0] in _HEADS:
        return " ".join(words[1:] + words[:1])
    return " ".join(words[-1:] + words[:-1])


class _VariantIndex:
    """Names by :func:`variant_key`: a name in its own order, and a name of free order in the other one too.

    A name in English order finds a name of its key, else a free-order name written the other way round
    (``Leiden University`` finds ``Universiteit Leiden``). A free-order name also tries its other order; when
    both orders find different names, it is neither (``Universität Washington``, were both the University of
    Washington and Washington University known). With ``bind``, the first English name a free-order name
    meets fixes its order: ``University of Washington`` found ``Universität Washington``, so ``Washington
    University`` does not (English orders are two universities; only a table or an id joins them).
    """

    __slots__ = ("_own", "_turned", "_free", "_closed")

    def __init__(self):
        self._own: dict[str, str] = {}
        self._turned: dict[str, str] = {}
        self._free: set[str] = set()  # keys of _own that only free-order names hold
        self._closed: set[str] = set()  # keys English names no longer find (the other order of a bound name)

    def add(self, name: str, value: str) -> None:
        vkey, flexible = variant_key(name)
        if not vkey:
            return
        if vkey not in self._own:
            self._own[vkey] = value
            if flexible:
                self._free.add(vkey)
        elif not flexible:
            self._free.discard(vkey)
        if flexible:
            self._turned.setdefault(_other_order(vkey), value)

    def set(self, vkey: str, value: str) -> None:
        self._own[vkey] = value
        self._free.discard(vkey)
        self._closed.discard(vkey)

    def find(self, vkey: str, flexible: bool, *, bind: bool = False) -> str | None:
        if not vkey:
            return None
        english = not flexible
        if (found := self._own.get(vkey)) is not None and not (english and vkey in self._closed):
            if bind and english and vkey in self._free:
                self._bind(vkey, found)
            return found
        turned = None if english and vkey in self._closed else self._turned.get(vkey)
        candidates = {v for v in (turned, self._own.get(_other_order(vkey)) if flexible else None) if v is not None}
        if len(candidates) != 1:
            return None
        found = candidates.pop()
        if bind and english:
            self._bind(vkey, found)
        return found

    def _bind(self, vkey: str, value: str) -> None:
        """An English name of key ``vkey`` met the free-order name ``value``: its other order is not it."""
        self._own[vkey] = value
        self._free.discard(vkey)
        self._closed.add(_other_order(vkey))


# a name written as an acronym in capitals, then what else it says (EPFL, KU Leuven, LMU Munich, PUC Chile)
_ACRONYM = re.compile(r"([A-Z]{2,6})(?:[\s\-]+(.+))?")
_AMBIGUOUS = "\0ambiguous"


@lru_cache(maxsize=1 << 14)
def _acronym_form(text: str) -> str | tuple[str, ...] | None:
    """A name written as an acronym, as ``acronym|rest`` (``lmu|munich``), or a long name's words (small words
    left out, hyphenated parts one word each), or None (an address, a name of one word or of kinds only).

    >>> _acronym_form("LMU München"), _acronym_form("Ludwig-Maximilians-Universität München")
    ('lmu|munich', ('ludwig', 'maximilians', 'universitat', 'munchen'))
    >>> _acronym_form("KU"), _acronym_form("CS Department"), _acronym_form("Dept CS, KU Leuven")
    (None, None, None)
    """
    if "," in text:
        return None
    text = _bare(text)
    if (m := _ACRONYM.fullmatch(_undotted(text) if "." in text else text)) is not None:
        acronym, rest = m[1].lower(), _keys(m[2])[1] if m[2] else ""
        if rest and _KIND_WORDS.issuperset(rest.split()):  # CS Department, AI Lab: which one, it does not say
            return None
        return f"{acronym}|{rest}" if rest or len(acronym) > 2 else None
    words = tuple(w for w in _keys(text)[0].split() if w not in _MORE_STOP)  # cached: the table asked for it
    return words if 2 <= len(words) <= 8 else None


@lru_cache(maxsize=1 << 14)
def _spelled(words: tuple[str, ...], i: int) -> frozenset[str]:
    """The rests an acronym of the first ``i`` of ``words`` may be written with (``''`` for an acronym of all).

    The rest of the short name is the rest of the long one, as :func:`variant_key` reads it (``München`` is
    ``Munich``); ``VU University Amsterdam`` repeats the university the acronym stands for. An acronym of all
    the words has three letters at least, and its last letter a word that tells the institution apart
    (``EPFL``'s ``Lausanne``), not a kind (``OSU`` is not read as ``Ohio State University``).

    >>> sorted(_spelled(("vrije", "universiteit", "amsterdam"), 2))
    ['amsterdam', 'university amsterdam']
    >>> _spelled(("ecole", "polytechnique", "federale", "lausanne"), 4), _spelled(("ohio", "state", "university"), 3)
    (frozenset({''}), frozenset())
    """
    if i == len(words):
        last = _keys(words[-1])[1]
        return frozenset(("",)) if i > 2 and last and last not in _KIND_WORDS else frozenset()
    rest = _keys(" ".join(words[i:]))[1]
    if _KIND_WORDS.issuperset(rest.split()):
        return frozenset()
    return frozenset((rest, *(f"{head} {rest}" for head in _keys(" ".join(words[:i]))[1].split() if head in _HEADS)))


class _AcronymIndex:
    """Names by their acronym forms: a name written as an acronym finds the long name it spells (the initials of
    its first words, and the same rest), and a long name the acronym form of it (``LMU Munich`` and
    ``Ludwig-Maximilians-Universität München``). An acronym two long names spell (``UCL``: University College
    London, Université catholique de Louvain) finds neither, and a long name does not find an acronym another
    long name known spells.

    Long names are kept by their initials; the rests are read only for an acronym of the same letters.
    """

    __slots__ = ("_short", "_acronyms", "_long")

    def __init__(self):
        self._short: dict[str, str] = {}  # acronym|rest -> value
        self._acronyms: set[str] = set()
        self._long: dict[str, list[tuple[tuple[str, ...], int, str]]] = {}  # initials -> (words, run, value)

    def add(self, name: str, value: str) -> None:
        form = _acronym_form(name)
        if form is None:
            return
        if type(form) is str:  # an acronym
            if self._short.setdefault(form, value) != value:
                self._short[form] = _AMBIGUOUS
            self._acronyms.add(form.partition("|")[0])
            return
        initials = "".join(w[0] for w in form)
        for i in range(2, min(len(form), 6) + 1):
            self._long.setdefault(initials[:i], []).append((form, i, value))

    def _spellers(self, acronym: str, rest: str) -> set[str]:
        """The values of the long names an acronym with this rest spells."""
        return {value for words, i, value in self._long.get(acronym, ()) if rest in _spelled(words, i)}

    def short_forms(self, name: str) -> list[tuple[str, str]]:
        """The (acronym, rest) forms :meth:`find` reads ``name`` by: its own, for an acronym; for a long name, the
        known acronyms it spells."""
        form = _acronym_form(name)
        if form is None:
            return []
        if type(form) is str:
            return [tuple(form.split("|", 1))]
        initials = "".join(w[0] for w in form)
        return [(initials[:i], rest) for i in range(2, min(len(form), 6) + 1) for rest in _spelled(form, i)
                if f"{initials[:i]}|{rest}" in self._short]

    def find(self, name: str) -> str | None:
        form = _acronym_form(name)
        if form is None:
            return None
        if type(form) is str:
            acronym, _, rest = form.partition("|")
            found = self._spellers(acronym, rest)
        elif not self._acronyms:
            return None
        else:
            initials = "".join(w[0] for w in form)
            found = set()
            for i in range(2, min(len(form), 6) + 1):
                if initials[:i] in self._acronyms:
                    for rest in _spelled(form, i):
                        # an acronym another long name already spells is that one's (UCL, known as
                        # University College London, is not the Université catholique de Louvain)
                        if (value := self._short.get(f"{initials[:i]}|{rest}")) is not None and \
                                not self._spellers(initials[:i], rest):
                            found.add(value)
        return found.pop() if len(found) == 1 and _AMBIGUOUS not in found else None


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
    >>> _institution_part("Dept Informatics, TU Munich, Garching, Germany")
    'TU Munich'

    A ``University of X`` followed by a place keeps it: systems name their campuses so (``University of
    California, Berkeley``; ``University at Buffalo, State University of New York, Buffalo``), and two
    campuses are two institutions:

    >>> _institution_part("Dept of EECS, University of California, Berkeley, CA 94720, USA")
    'University of California, Berkeley'
    >>> _institution_part("Stony Brook University, State University of New York, Stony Brook, NY 11794, USA")
    'State University of New York, Stony Brook'
    """
    if "," not in address:
        return None
    parts = [p.strip() for p in address.split(",") if p.strip()]
    at = [i for i, p in enumerate(parts) if _AN_INSTITUTION.search((k := _keys(p))[0]) or _names_a_kind(k[1])]
    if not at:
        return None
    i = at[-1]
    part = parts[i]
    if (i + 1 < len(parts) and (of := _OF_FORM.match(part)) and _PLACE.fullmatch(parts[i + 1])
            and country_code(parts[i + 1]) is None and _may_have_campuses(part[of.end():], parts[i + 1])):
        part = f"{part}, {parts[i + 1]}"
    return part if part != address.strip() else None


def _may_have_campuses(place: str, after: str) -> bool:
    """Whether a ``University of <place>`` followed by the place ``after`` may be a system naming its campus or
    another university of the place (``University of California, Berkeley``; ``University of Rome, Tor
    Vergata``; ``National University of Ireland, Galway``): not when ``after`` is the place itself
    (``University of Vienna, Vienna``).

    >>> _may_have_campuses(" California", "Berkeley"), _may_have_campuses(" Vienna", "Vienna")
    (True, False)
    >>> _may_have_campuses(" Rome", "Tor Vergata"), _may_have_campuses(" Ireland", "Galway"), _may_have_campuses(" Wien", "Wien")
    (True, True, False)
    """
    key = " ".join(_CITIES.get(w, w) for w in alias_key(place).split())
    return not key or key != " ".join(_CITIES.get(w, w) for w in alias_key(after).split())


# "University of X", "State University of New York", "Universidad de X": a name whose campus may follow it
_OF_FORM = re.compile(r"^(?:\w+\s+)?(?:university|universit\w*|universidad|institute|polytechnic)\s+(?:of|at|de|do|di)\b", re.I)
# a place written alone: one to four capitalised words, no digits (a postcode), not a two-letter state code
_PLACE = re.compile(r"(?!(?:[A-Z]{2}|[A-Z]\.[A-Z]\.)$)[^\W\d_][\w.'\-]*(?:\s+[^\W\d_][\w.'\-]*){0,3}")


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
# words that say what kind of place an institution is, not which one
_KIND_WORDS = _HEADS | {"college", "school", "department", "faculty", "center", "laboratory", "laboratories", "research",
                        "national", "science", "sciences", "technology", "academy", "hospital", "foundation",
                        "international", "state", "group", "medical", "engineering", "united", "states", "kingdom"}


def _name_words(name: str) -> tuple[frozenset[str], str] | None:
    """The words that tell an institution's name from others' (kind words and a parenthesised country left
    out), and its acronym (``mit``); None when it has none.

    >>> _name_words("Massachusetts Institute of Technology"), _name_words("Google (United States)")
    ((frozenset({'massachusetts'}), 'mit'), (frozenset({'google'}), ''))
    """
    key = variant_key(name.partition("(")[0] or name)[0].split()
    own = frozenset(w for w in key if w not in _KIND_WORDS)
    if not own:
        return None
    acronym = "".join(w[0] for w in institution_key(name.partition("(")[0] or name).split())
    return own, acronym if len(acronym) > 2 else ""


def _as_affiliation(aff) -> Affiliation:
    return aff if isinstance(aff, Affiliation) else Affiliation(aff.name, tuple(aff.ids), aff.country)


def _other_ids(held: list[str], given: list[str]) -> bool:
    """Whether an institution holding ``held`` has an id of a scheme ``given`` also has (none of ``given`` is
    known, so those ids differ: another institution under the same name)."""
    schemes = {i.partition(":")[0].lower() for i in given}
    return any(i.partition(":")[0].lower() in schemes for i in held)


class InstitutionResolver:
    """Affiliations as written -> institution ids, one entity per institution.

    Identifiers decide first: affiliations sharing a ROR or OpenAlex id are one
    institution, whatever their names. Otherwise the alias table maps the name
    to a canonical name; a name it does not know is looked up among the names
    this build has met (by :func:`variant_key`: ``Universiteit Leiden`` meets
    ``Leiden University``), and else stays as written (and is counted in
    :attr:`unknown`, when it has no id either).

    A name written with an id the build knows is an alias of that institution
    for the rest of the build: an OpenAlex affiliation string given with its
    ROR id makes the same string elsewhere (a Scopus address, a profile page)
    that institution (see :meth:`learn`). An alias is learned only when it
    names the institution (shares a word of its name, or its acronym: no
    ``Department of Physics``), and not when the alias table or an earlier
    id gives it to another institution: those are listed in :attr:`conflicts`.

    >>> r = InstitutionResolver(load_alias_table())
    >>> r.resolve(Affiliation("cmu")) == r.resolve(Affiliation("Carnegie Mellon University", ("ror:05x2bcf33",)))
    True
    >>> r.resolve(Affiliation("CMU Robotics", ("ror:05x2bcf33",)))
    'institution:carnegie-mellon-university'
    >>> e = r.entities()["institution:carnegie-mellon-university"]
    >>> e.ror, e.aliases
    ('05x2bcf33', ['CMU Robotics', 'Carnegie Mellon University', 'cmu'])
    >>> r.resolve(Affiliation("Leiden University", ("ror:027bh9e22",)))
    'institution:leiden-university'
    >>> r.resolve(Affiliation("Faculty of Science, Universiteit Leiden, Leiden", ("ror:027bh9e22",)))
    'institution:leiden-university'
    >>> r.resolve(Affiliation("Faculty of Science, Universiteit Leiden, Leiden")), r.resolve(Affiliation("University of Leiden"))
    ('institution:leiden-university', 'institution:leiden-university')
    """

    def __init__(self, aliases: AliasTable):
        self.aliases = aliases
        self._entities: dict[str, InstitutionEntity] = {}
        self._by_id: dict[str, str] = {}
        self._seen: dict[str, Counter] = defaultdict(Counter)
        self._cache: dict[Affiliation, tuple[str | None, bool]] = {}
        self._names = _VariantIndex()  # the build's names by variant_key -> institution id
        self._acronyms = _AcronymIndex()  # the build's names by their acronym forms -> institution id
        # every long name of the input (learn), by its variant key: an acronym two of them spell joins neither,
        # whichever the build meets first (UNC: North Carolina, Universidad Nacional de Colombia, de Córdoba)
        self._input_names = _AcronymIndex()
        self.unknown: dict[str, int] = {}
        #: names written with one institution's id that the alias table or another id gives to another
        #: institution (not learned as its aliases): name -> why
        self.conflicts: dict[str, str] = {}

    def learn(self, records: Iterable) -> None:
        """Meet, before resolving any record, the affiliations of ``records`` that carry an id.

        Their names are then known as their institutions' aliases however the
        records are ordered: a Scopus address read before the OpenAlex work
        that gives the same string with its ROR id is that institution too.
        Takes compact records or :class:`~graphkit.models.PaperRecord`; costs
        one pass over the affiliations (each distinct one resolved once).
        """
        cache = self._cache
        names: set[str] = set()
        for record in records:
            for aff in record.institutions:
                names.add(aff.name or "")
                if aff.ids and (aff := _as_affiliation(aff)) not in cache:
                    cache[aff] = self._resolve(aff)
            for author in record.authors:
                if type(author) is str:
                    continue
                for aff in author.affiliations:
                    names.add(aff.name or "")
                    if aff.ids and (aff := _as_affiliation(aff)) not in cache:
                        cache[aff] = self._resolve(aff)
        for name in sorted(names):
            if name:
                for long in (name, _institution_part(name)):
                    if long and type(_acronym_form(long)) is tuple:
                        self._input_names.add(long, variant_key(long)[0])

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
        part = None
        if iid is None and canonical is None and raw:
            # a name the table does not know: one this build has met (another spelling, an id's alias)?
            part = _institution_part(raw)
            met = self._met(raw, part)
            if met is not None and not (ids and _other_ids(self._entities[met].ids, ids)):
                iid = met
                unknown = unknown and not self._entities[met].ids
        if iid is None:
            if not raw and not ids:
                return None, False
            if canonical is None:
                canonical = part or raw or ids[0]
            iid = "institution:" + slug(canonical)
            if ids and (named := self._entities.get(iid)) is not None and _other_ids(named.ids, ids):
                # Same name, another id of the same scheme: two institutions (Northeastern University in Boston,
                # ror:04t5xt781, and in Shenyang, ror:03awzbc87), kept apart under an id that says which.
                which = next((i for i in ids if i.lower().startswith("ror:")), ids[0])
                iid = f"{iid}~{slug(which.replace(':', '-'))}"
            if iid not in self._entities:
                self._entities[iid] = InstitutionEntity(id=iid, name=canonical, aliases=[])
                self._names.add(canonical, iid)
                self._acronyms.add(canonical, iid)
            iid = self._entities[iid].id  # one shared id string per institution
        entity = self._entities[iid]
        for i in ids:
            self._by_id.setdefault(i, iid)
            if i not in entity.ids:
                entity.ids.append(i)
                entity.ids.sort()
                if entity.ror is None and i.lower().startswith("ror:"):
                    entity.ror = i.partition(":")[2]
        if ids and raw and raw != entity.name:
            self._learn(raw, entity)
        if entity.country is None and aff.country:
            entity.country = aff.country
        return iid, unknown

    def _met(self, raw: str, part: str | None) -> str | None:
        """The institution of a name (or its institution part) this build has met, or None."""
        found = self._names.find(*_whole_keys(raw)[1:], bind=True)
        if found is None and (found := self._acronym(raw)) is not None:
            self._acronyms.add(raw, found)  # a long name joined to its acronym holds it: no other long name takes it
        if found is None and part is not None:
            found = self._names.find(*variant_key(part), bind=True) or self._acronym(part)
        return found

    def _acronym(self, name: str) -> str | None:
        """The institution an acronym (or a long name) finds by :class:`_AcronymIndex`, unless the acronym is one
        two long names of the input spell (met yet or not: the result does not depend on the order)."""
        found = self._acronyms.find(name)
        if found is None or any(len(self._input_names._spellers(acronym, rest)) > 1
                                for acronym, rest in self._acronyms.short_forms(name)):
            return None
        return found

    def _learn(self, name: str, entity: InstitutionEntity) -> None:
        """Know ``name``, written with ``entity``'s id, as its alias: the whole string when it names the
        institution, and its institution part when that has every word of the institution's name."""
        own = _name_words(entity.name)
        if not own:
            return
        learned = []
        whole = _whole_keys(name)[1:]
        words = set(whole[0].split())
        if words & own[0] or own[1] in words:
            learned.append((name, whole))
        part = _institution_part(name)
        if part is not None and own[0] <= set((pkey := variant_key(part))[0].split()):
            learned.append((part, pkey))
        for text, key in learned:
            if not key[0]:
                continue
            other = self.aliases.canonical(text)
            if other is not None and "institution:" + slug(other) != entity.id and other != entity.name:
                self.conflicts.setdefault(text, f"{text!r} is written with the id of {entity.name} ({', '.join(entity.ids)})"
                                                f" but the alias table gives it to {other}; not learned as an alias")
                continue
            held = self._names.find(*key)
            if held is not None and held != entity.id and self._entities[held].ids:
                mine = self._entities[held]
                self.conflicts.setdefault(text, f"{text!r} is written with the ids of {entity.name} ({', '.join(entity.ids)})"
                                                f" and of {mine.name} ({', '.join(mine.ids)}); learned for the first only")
                continue
            self._names.set(key[0], entity.id)

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
                why = ("aliases map to one canonical name in the alias table or are spellings of one name" if not entity.ids else
                       "aliases share an identifier (" + ", ".join(entity.ids) + "), are written with it elsewhere, or map to "
                       "one canonical name in the alias table")
                out.append(Merge("institution", entity.id, entity.name, entity.aliases, why))
        return out
