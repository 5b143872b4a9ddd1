"""Author identity: which author occurrences are one person, and why.

An *occurrence* is one author of one paper as one source shows them (name,
given/family parts, ids, affiliations, co-authors, the paper and position).
:func:`resolve_identities` groups occurrences into people with these rules,
in this order:

1. Curation first (:mod:`graphkit.resolve.curation`): the user's "one
   person", "never one person" and "this name at this affiliation is ORCID
   X" rules, compiled to identifiers so the rules below respect them.
2. Identifiers: the same ORCID, OpenAlex, DBLP (with its homonym number) or
   Scopus id is one person whatever the names say; two different ids of one
   scheme are never one person. An id on one occurrence and none on another
   is evidence, not proof.
3. One spelling, one person unless there is contrary evidence: spellings that
   differ only in case, diacritics, LaTeX, hyphens or periods (and the order,
   where the source says which part is the family name) share a key. Within a key, occurrences are linked by a shared affiliation,
   co-author or id. Linked groups at *different* affiliations of a name that
   many people carry (:data:`COMMON_FAMILY_NAMES`: the family names most
   frequent in China, Korea, Vietnam and South Asia, where one spelling is
   often dozens of researchers, and any family name the corpus at hand
   shows with at least five different given names) are split; an occurrence with nothing to
   place it joins the dominant group only when that group holds most of the
   placed ones, else it stays apart and is reported as ambiguous. A name with
   no contrary evidence stays one person.
4. Weaker name variants merge on evidence, the weaker the more: name order
   swapped (``Liu Chao``/``Chao Liu``), other spacing (``Zhi Hong``/
   ``Zhihong``) or a second family name dropped (``García``/``García López``/
   ``García-López``) need one shared affiliation or co-author; a middle name
   missing (``Ajay K. Gupta``/``Ajay Gupta``), initials for given names
   (``T. Mikolov``/``Tomas Mikolov``), either of these with a second family
   name dropped, or only the second family name kept (``López``) need two, or
   one strong piece (the same paper at the same author position on two
   sources whose lists otherwise agree). A particle left out (``Jan van der
   Berg``/``Jan Berg``) is said so. Where given names are one word of
   syllables with no middle names (Chinese and Korean family names), each
   initial must stand for a syllable or a name the other writes: ``Y. Y. Wang``
   is ``Yu-Yan``, ``Yuyan`` or ``Yu Yan Wang``, never ``Yang`` or ``Yu Wang``
   (elsewhere ``C. D. Manning`` may be ``Christopher Manning``). A swap of two words that are both
   frequent family names (``Wei Li``/``Li Wei``: each order a name many people
   carry) needs a shared co-author or that strong piece: a shared affiliation
   does not count for it. A first given name that is a short form of the
   other's, the family name the same (``Bill``/``William Gates``,
   ``Bob``/``Robert E. Kahn``, ``Alex``/``Alexander J. Smola``), is the weakest
   variant: it needs two pieces in either bias, co-authors, ids or the same
   paper position (a shared affiliation is none: many people at one place write
   ``Alex`` or ``Chris``), and the other given names must agree as for a
   missing middle name or initials. Short forms are those of the table
   ``graphkit/data/given_name_variants.csv`` (:data:`SHORT_FORMS`; the only way
   across first initials: ``Peggy``/``Margaret``, ``Jack``/``John``) and no
   others: the start of a given name is as often a name of its own
   (``Emma``/``Emmanuel``, ``Leon``/``Leonard``, ``Min``/``Minjun``). A name the table lists
   is a short form of its listed full names only (``Dan`` of ``Daniel``, not of
   ``Daniela``; ``Jo`` of ``Joanna``, not of ``Joseph``). A short form is also a
   name of its own (Jack, Max): two sides placed at affiliations with no place
   in common are kept apart whatever co-authors they share, unless the same
   paper position joins them. Two names of one author list are never one
   person; a variant that could join two people joins neither (``Alex`` with
   evidence for ``Alexander`` and for ``Alexandra``). Without enough evidence
   the pair is reported as ambiguous.

Nothing compares all pairs: comparisons happen inside a name key or a block
(family name + first initial; a short form of the table is also filed under
the initials of its full names, ``Bill Gates`` with the W's), and blocks above
``max_block`` people are skipped and counted.

One knob, ``bias``: ``"precision"`` (the default) or ``"recall"`` (fewer
splits: only the listed family names count as common, a name splits only
on affiliations each seen at least twice, an
unplaced occurrence joins the dominant group when it holds half the placed
ones, a missing middle name or initials need one piece of evidence). ``split_homonyms=False`` turns
step 3's splitting off (identifiers still keep people apart).

>>> occs = [
...     Occurrence("Tomas Mikolov", affiliations=("Brno University of Technology",), coauthors=("kai chen",)),
...     Occurrence("T. Mikolov", affiliations=("Brno University of Technology",), coauthors=("kai chen",)),
...     Occurrence("Lei Zhang", affiliations=("IBM",)),
...     Occurrence("Lei Zhang", affiliations=("IBM Research",)),
...     Occurrence("Lei Zhang", affiliations=("Shanghai Jiao Tong University",)),
... ]
>>> result = resolve_identities(occs)
>>> result.keys
['tomas mikolov', 'tomas mikolov', 'lei zhang', 'lei zhang', 'lei zhang~shanghai-jiao-tong']
>>> [d.kind for d in result.decisions]
['split', 'merge']
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from itertools import islice
from typing import Literal, NamedTuple

from graphkit.keys import alias_key, name_key, slug
from graphkit.resolve.records import locator

__all__ = [
    "COMMON_FAMILY_NAMES",
    "IdentityDecision",
    "IdentityOptions",
    "IdentityResult",
    "NameForm",
    "OccurrenceRows",
    "Occurrence",
    "SHORT_FORMS",
    "affiliation_key",
    "identity_rows",
    "is_common_name",
    "name_form",
    "name_match",
    "occurrences_from_records",
    "resolve_identities",
]

Bias = Literal["precision", "recall"]
ID_SCHEMES = ("orcid", "openalex", "dblp", "scopus")
CURATION_SCHEME = "curation"  # pseudo ids the curation file compiles to; never shown as an author id
MAX_BLOCK = 200
# An occurrence with nothing to place it joins the dominant person of its name when that person
# holds this share of the placed occurrences (the chance it is theirs, roughly).
ATTACH_SHARE = {"precision": 0.8, "recall": 0.5}
BUSY_FAMILY = 5  # a family name seen with this many different given names is common in the corpus at hand
MAX_AMBIGUOUS = 10_000  # pairs kept in the report; the count is always exact

# The family names that, spelled in Latin letters, are shared by the most
# researchers: the most frequent Chinese (pinyin), Korean, Vietnamese and South
# Asian surnames. A spelling with one of these is often many people, so
# different affiliations count as contrary evidence; elsewhere a researcher
# moving between institutions is the likelier story.
# (the Chinese and Korean ones: there a given name is one word of syllables, with no middle names beside it)
_SYLLABLE_GIVEN = frozenset(
    """
    wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie song tang
    han feng deng cao peng zeng xiao tian dong yuan pan cai jiang yu du ye cheng su wei lu ding ren shen yao jin
    qiu fu zhong xue yan hou lei long tan shi gu mo kong bai qin kang wen cui fang jia xia yin zou xiong meng qian
    qi fan hao duan lv lyu tao hong
    kim lee park choi jung jeong kang cho jo yoon yun jang lim im oh seo shin kwon hwang ahn song yoo ryu hong
    jeon ko moon yang son bae baek heo nam
    """.split()
)
COMMON_FAMILY_NAMES = _SYLLABLE_GIVEN | frozenset(
    """
    nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly
    kumar singh sharma gupta jain patel shah reddy rao das khan ali ahmed rahman hossain islam
    """.split()
)

_EXTRA_FOLD = str.maketrans({"ð": "d", "þ": "th", "æ": "ae", "ø": "o", "ß": "ss", "ł": "l", "đ": "d", "œ": "oe", "ı": "i"})
_PARTICLES = frozenset("van von de der den da di del della dos das du la le ten ter bin ibn al el".split())
_SUFFIXES = frozenset("jr sr ii iii iv".split())
_SPLIT = re.compile(r"[\s.,]+")
_GENERIC_AFFILIATION = frozenset(
    """university univ universidad universitat universite universita college school institute inst institution
    department dept faculty of the at and for in de la der des di du laboratory laboratories lab labs research center
    centre division group inc corp corporation ltd co""".split()  # "science", "technology" stay: HKU is not HKUST
)


class Occurrence(NamedTuple):
    """One author of one paper as one source shows them (the engine's input).

    ``affiliations`` are names as written or ids (``ror:...``); ``coauthors``
    are name keys of the paper's other authors; ``paper`` and ``position``
    say where the name stands; ``where`` is the author list (record) it
    stands in, ``source:line``: two names of one list are never one person.
    (The same paper at the same position on two sources is strong evidence;
    the caller, who sees the lists, passes such pairs as ``links``.)
    A tuple, not a model: a build passes millions of these.
    """

    name: str
    given: str | None = None
    family: str | None = None
    ids: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    coauthors: tuple[str, ...] = ()
    paper: str | None = None
    position: int | None = None
    where: str = ""


class OccurrenceRows:
    """Occurrences as the engine reads them: name columns for the pass over all, rows on demand.

    Wraps a list of :class:`Occurrence`. A resolver holding millions of
    occurrences in columns passes its own object with the same shape
    (``name``, ``given``, ``family`` sequences, ``has_evidence(i)``: any id or
    affiliation, ``evidence(i)``: the ids and affiliations alone, ``circle(i)``:
    what ties the occurrence to others of its name and its co-authors' keys,
    ``__getitem__``, ``__len__``), so no row is built for a name nothing can split.
    """

    __slots__ = ("rows", "name", "given", "family")

    def __init__(self, rows: Sequence[Occurrence]):
        self.rows = rows
        self.name = [o.name for o in rows]
        self.given = [o.given for o in rows]
        self.family = [o.family for o in rows]

    def has_evidence(self, i: int) -> bool:
        o = self.rows[i]
        return bool(o.ids or o.affiliations)

    def evidence(self, i: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        o = self.rows[i]
        return o.ids, o.affiliations

    def circle(self, i: int) -> tuple[tuple, Sequence[str]]:
        """What ties occurrence ``i`` to others of its name (its paper) and its co-authors' keys, without the rest
        of its row."""
        o = self.rows[i]
        return ((o.paper,) if o.paper is not None else ()), o.coauthors

    def __getitem__(self, i: int) -> Occurrence:
        return self.rows[i]

    def __len__(self) -> int:
        return len(self.rows)


class _WithIds:
    """Occurrences with ids added (what the curation file compiles to)."""

    __slots__ = ("base", "extra", "name", "given", "family")

    def __init__(self, base, extra: dict[int, tuple[str, ...]]):
        self.base, self.extra = base, extra
        self.name, self.given, self.family = base.name, base.given, base.family

    def has_evidence(self, i: int) -> bool:
        return i in self.extra or self.base.has_evidence(i)

    def evidence(self, i: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        ids, affiliations = self.base.evidence(i)
        return (ids + self.extra[i] if i in self.extra else ids), affiliations

    def circle(self, i: int) -> tuple[tuple, Sequence[str]]:
        return self.base.circle(i)

    def __getitem__(self, i: int) -> Occurrence:
        occ = self.base[i]
        return occ._replace(ids=occ.ids + self.extra[i]) if i in self.extra else occ

    def __len__(self) -> int:
        return len(self.base)


class NameForm(NamedTuple):
    """A name taken apart for matching.

    ``exact`` folds case, diacritics, hyphens and periods and keeps the
    words and their order; ``given`` and ``family`` are token tuples (a
    hyphenated word is one token). ``parts`` is the family name with its
    hyphenated words taken apart (``García-López``: ``garcia``, ``lopez``),
    empty when no hyphen joins two of its words. ``alt`` is the name with ``ü``, ``ö``, ``ä``, ``ø``, ``å`` and
    ``æ`` written out as ``ue``, ``oe``, ``ae``, ``oe``, ``aa``, ``ae`` (the German and Nordic transliteration many
    exports use: ``Jürgen Müller`` / ``Juergen Mueller``), or None when the name has none of these letters.
    """

    exact: str
    given: tuple[str, ...]
    family: tuple[str, ...]
    parts: tuple[str, ...] = ()
    alt: NameForm | None = None


@dataclass(frozen=True, slots=True)
class IdentityOptions:
    """The user's settings for author identity, passed from ``graphkit build`` to the resolver.

    ``bias`` is the one knob (``"precision"``, the default, or ``"recall"``
    for fewer splits); ``split_homonyms=False`` keeps every spelling one
    person unless identifiers say otherwise; ``curation`` is the user's
    identities file (:func:`graphkit.resolve.curation.load_curation`).
    """

    bias: Bias = "precision"
    split_homonyms: bool = True
    curation: object | None = None
    engine: bool = True  # False: one author per full-name key, nothing else (the old rule; benchmarks compare)


@dataclass(frozen=True, slots=True)
class IdentityDecision:
    """One entry of the identity log.

    ``kind`` is ``merge`` (names or groups joined), ``split`` (one spelling,
    several people), ``ambiguous`` (a possible match left apart),
    ``identifier`` (occurrences joined by an id), ``conflict`` (different
    ids of one scheme kept apart) or ``curation`` (a rule of the user's
    identities file and what it matched); ``keys`` are the author keys concerned,
    ``names`` the spellings, ``reason`` the evidence in words.
    """

    kind: str
    keys: tuple[str, ...]
    names: tuple[str, ...]
    reason: str
    occurrences: int = 0
    sides: tuple[int, ...] = ()  # one occurrence index per person concerned (filled into ``keys``)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "keys": list(self.keys), "names": list(self.names),
                "reason": self.reason, "occurrences": self.occurrences}


@dataclass(slots=True)
class IdentityResult:
    """The author key of every occurrence, in input order, and the log.

    ``explanations`` map each author key whose forming took more than one
    spelling's key (a merge, a split, an id) to its explanation;
    :meth:`explain` answers for every key. ``merged_on`` lists, per author
    key, why other spellings or groups joined it (ids, evidence).
    """

    keys: list[str]
    decisions: list[IdentityDecision] = field(default_factory=list)
    explanations: dict[str, str] = field(default_factory=dict)
    merged_on: dict[str, list[str]] = field(default_factory=dict)
    added_ids: dict[int, tuple[str, ...]] = field(default_factory=dict)  # occurrence -> ids the curation file gave it
    skipped_blocks: int = 0
    problems: list = field(default_factory=list)

    def explain(self, key: str) -> str:
        """Why the author ``key`` is one person (and whom it was split from)."""
        return self.explanations.get(key, "all its occurrences share one spelling key, with no contrary evidence")

    def stats(self) -> dict[str, int]:
        kinds = Counter(d.kind for d in self.decisions)
        return {"identity_" + k: kinds[k] for k in ("merge", "split", "ambiguous", "identifier", "conflict", "curation")} | {
            "identity_skipped_blocks": self.skipped_blocks}


# ----------------------------------------------------------------------------- names


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().translate(_EXTRA_FOLD)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _tokens(text: str) -> list[str]:
    out = []
    for raw in _SPLIT.split(_fold(text)):
        raw = raw.strip("'`")
        if not raw:
            continue
        parts = [p for p in re.split(r"[-\u2010-\u2015]", raw) if p]
        # J.-P. is two initials; Jean-Pierre (or Zhi-Hong) is one given name.
        if len(parts) > 1 and all(len(p) == 1 for p in parts):
            out.extend(parts)
        else:
            out.append("".join(re.sub(r"[^\w]", "", p) for p in parts))
    return [t for t in out if t]


def name_form(name: str, given: str | None = None, family: str | None = None) -> NameForm:
    """Take a name apart: given and family tokens, and the order-keeping exact key.

    Family/given parts the source separates are used as given; otherwise
    ``Family, Given`` or the last word (with particles such as ``van``) is the
    family name. Suffixes (Jr., III) are dropped for matching.

    >>> name_form("Zhi-Hong Deng").exact == name_form("Zhihong DENG").exact
    True
    >>> name_form("Vincent van Gogh").family, name_form("Gogh, Vincent van").family
    (('van', 'gogh'), ('gogh',))
    >>> name_form("Björk Guðmundsdóttir").exact == name_form("Bjork Gudmundsdottir").exact
    True
    >>> name_form("J.-P. Sartre").given
    ('j', 'p')
    """
    if family:
        g, f = _tokens(given or ""), _tokens(family)
        exact_tokens = g + f
        written = family
    elif "," in name:
        fam, _, giv = name.partition(",")
        g, f = _tokens(giv), _tokens(fam)
        exact_tokens = g + f
        written = fam
    else:
        toks = _tokens(name)
        while len(toks) > 1 and toks[-1] in _SUFFIXES:
            toks.pop()
        cut = len(toks) - 1
        while cut > 1 and toks[cut - 1] in _PARTICLES:
            cut -= 1
        g, f = toks[:cut], toks[cut:]
        exact_tokens = toks
        written = name
    g = [t for t in g if t not in _SUFFIXES] or g
    f = [t for t in f if t not in _SUFFIXES] or f
    exact = " ".join(t for t in exact_tokens if t not in _SUFFIXES)
    alt = None
    if _TRANSLITERATED.search(unicodedata.normalize("NFC", f"{name} {given or ''} {family or ''}")):
        def spelled(text):
            return unicodedata.normalize("NFC", text).translate(_TRANSLITERATION) if text else text

        alt = name_form(spelled(name), spelled(given), spelled(family))
    return NameForm(exact, tuple(g), tuple(f), _family_parts(written, f) if _DASH.search(written) else (), alt)


_DASH = re.compile(r"[-\u2010-\u2015]")
# letters German and Nordic names write out in ASCII as two (Müller: Mueller, Ødegård: Oedegaard)
_TRANSLITERATION = str.maketrans({
    "ü": "ue", "ö": "oe", "ä": "ae", "ø": "oe", "å": "aa", "æ": "ae",
    "Ü": "Ue", "Ö": "Oe", "Ä": "Ae", "Ø": "Oe", "Å": "Aa", "Æ": "Ae"})
_TRANSLITERATED = re.compile("[üöäøåæÜÖÄØÅÆ]")
# a word that may be such a transliteration written out (the other side of the pair)
_DIGRAPH = re.compile("ae|oe|ue|aa")
TRANSLITERATION = "one writes ü, ö, ä, ø or å out as ue, oe, ae, oe or aa"


def _family_parts(written: str, family: list[str]) -> tuple[str, ...]:
    """The family name's words with hyphenated ones taken apart (``García-López``: ``garcia``, ``lopez``), or
    ``()`` when no hyphen joins two of its words. ``written`` is the text the family name ends.

    >>> _family_parts("María José García-López", ["garcialopez"]), _family_parts("J.-P. Sartre", ["sartre"])
    (('garcia', 'lopez'), ())
    """
    words = _tokens(_DASH.sub(" ", written))
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    if len(words) <= len(family):
        return ()
    # the family name is the end of the written text: as many words as its hyphen-joined tokens hold
    glued, n = "".join(family), 0
    for k in range(len(words) - 1, -1, -1):
        n += len(words[k])
        if n >= len(glued):
            parts = tuple(words[k:])
            return parts if "".join(parts) == glued and len(parts) > len(family) else ()
    return ()


def _initial_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Given-name tokens that could be one person's: ``t`` / ``tomas``, ``a k`` / ``ajay``."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    it = iter(long_)
    for tok in short:
        for other in it:
            if tok == other or (len(tok) == 1 and other.startswith(tok)) or (len(other) == 1 and tok.startswith(other)):
                break
        else:
            return False
    return bool(short) and short[0][0] == long_[0][0]


def _glues_initial(a: list[str], b: list[str]) -> bool:
    """Whether one spelling runs an initial into a word where the other keeps them apart.

    ``Thomas Z. Hu`` and ``Thomas Zhu`` differ only in spacing, but the ``Z``
    is an initial, not a syllable: that is another name, not another spacing.
    Initials run together (``J P`` / ``JP``) and syllables run together
    (``Zhi Hong`` / ``Zhihong``) stay spacing variants.

    >>> _glues_initial(["thomas", "z", "hu"], ["thomas", "zhu"])
    True
    >>> _glues_initial(["zhi", "hong", "deng"], ["zhihong", "deng"]), _glues_initial(["j", "p", "morgan"], ["jp", "morgan"])
    (False, False)
    """
    def cuts(tokens):
        out, at = set(), 0
        for t in tokens:
            at += len(t)
            out.add(at)
        return out

    shared = sorted(cuts(a) & cuts(b))
    for tokens in (a, b):
        at, segment = 0, []
        for t in tokens:
            segment.append(len(t))
            at += len(t)
            if at in shared:
                if len(segment) > 1 and min(segment) == 1 < max(segment):
                    return True
                segment = []
    return False


def name_match(a: NameForm, b: NameForm) -> tuple[int, str] | None:
    """How strongly two different name forms could be one person: ``(tier, reason)`` or None.

    Tier 1: the same words in another order or spacing, or a second family
    name dropped; tier 2: a given name missing or abbreviated (a middle name
    or initial present in one only, initials where the other spells given
    names out), also with a second family name dropped, or only the second
    family name kept (:func:`_compound_family`); tier 3: one first given name a
    short form of the other's (``Bill``/``William``, ``Alex``/``Alexander``,
    :func:`_short_form_match`), the rest of the given names as tier 2 allows.
    The higher the tier, the more evidence a merge needs.

    >>> name_match(name_form("Liu Chao"), name_form("Chao Liu"))
    (1, 'the same names in another order')
    >>> name_match(name_form("Ajay K. Gupta"), name_form("Ajay Gupta"))[0]
    2
    >>> name_match(name_form("Zhi Hong Deng"), name_form("Zhihong Deng"))
    (1, 'names differ only in spacing')
    >>> name_match(name_form("T. Mikolov"), name_form("Tomas Mikolov"))
    (2, 'initials where the other spells the given name out')
    >>> name_match(name_form("Gabriel García"), name_form("García Márquez, Gabriel"))[0]
    1
    >>> name_match(name_form("Lei Zhang"), name_form("Lin Zhang")) is None
    True
    >>> name_match(name_form("Bob Kahn"), name_form("Robert E. Kahn"))
    (3, 'Bob is a short form of Robert')

    A shared particle or a different second family name is no second family name dropped:

    >>> name_match(name_form("Luis van der Becker"), name_form("Luis van Zhiweiro")) is None
    True
    >>> name_match(name_form("Gabriel García López"), name_form("Gabriel García Márquez")) is None
    True

    A hyphenated family name is a compound one; a hyphenated given name is one name:

    >>> name_match(name_form("María José García-López"), name_form("Maria-Jose Garcia"))[0]
    1
    >>> name_match(name_form("Min-Jun Kim"), name_form("Min Kim")) is None
    True

    Umlauts written out (tier 1) and spellings of one name in another script's transliteration (tier 2):

    >>> name_match(name_form("Jürgen Müller"), name_form("Mueller, Juergen"))
    (1, 'one writes ü, ö, ä, ø or å out as ue, oe, ae, oe or aa')
    >>> name_match(name_form("Muhammad Al-Rashid"), name_form("Mohamed Alrashid"))
    (2, 'Muhammad and Mohamed are spellings of one name')
    >>> name_match(name_form("Juergen Mueller"), name_form("Jurgen Muller")), name_form("Muller").exact == name_form("Müller").exact
    (None, True)
    """
    m = _name_match(a, b)
    if m is None and (a.alt is not None or b.alt is not None):
        m = _name_match(a.alt or a, b.alt or b)
        if m is not None:
            m = (1, TRANSLITERATION) if m[0] == 0 else (max(m[0], 1), f"{m[1]}, and {TRANSLITERATION}")
    return m


def _name_match(a: NameForm, b: NameForm) -> tuple[int, str] | None:
    """:func:`name_match` without the transliterations of umlauts."""
    if a.exact == b.exact:
        return 0, "the same name"
    if a.exact.replace(" ", "") == b.exact.replace(" ", "") and not _glues_initial(a.exact.split(), b.exact.split()):
        return 1, "names differ only in spacing"
    if sorted(a.given + a.family) == sorted(b.given + b.family):
        return 1, SWAPPED
    fa, fb = "".join(a.family), "".join(b.family)
    ga, gb = a.given, b.given
    if fa != fb:
        return _compound_family(a, b)
    if not ga or not gb:
        return None
    why = _given_match(ga, gb, syllables=fa in _SYLLABLE_GIVEN)
    if why:
        # Berg, Jan van der / Jan Berg: the words one has more are a particle written after the given names
        longer, shorter = (ga, gb) if len(ga) > len(gb) else (gb, ga)
        extra = longer[len(shorter):]
        if (extra and longer[:len(shorter)] == shorter and all(t in _PARTICLES for t in extra)
                and fa not in COMMON_FAMILY_NAMES):  # (Nguyen, Thi Le: no particle in a Vietnamese name)
            why = _dropped_particle(extra)
        return 2, why
    why = _spelling_match(ga, gb)
    if why:
        return 2, why
    why = _short_form_match(ga, gb)
    return (3, why) if why else None


SWAPPED = "the same names in another order"


def _given_match(ga: tuple[str, ...], gb: tuple[str, ...], syllables: bool = False) -> str | None:
    """Why two different given-name token tuples could be one person's (tier 2), or None.

    ``syllables``: the family name is one whose given names are one word of syllables with no middle names
    (Chinese, Korean), so initials more than the other's names must each stand for one of them or a syllable
    (:func:`_initials_fit`); elsewhere an initial more is a middle name left out (``C. D. Manning`` /
    ``Christopher Manning``).

    A hyphen makes one word of two given names (``Maria-Jose``); where the other spelling writes them apart
    (``María J.``) the word is read as the two:

    >>> _given_match(("mariajose",), ("maria", "j")), _given_match(("minjun",), ("min",))
    ('one name has a middle name or initial the other lacks', None)

    Initials beside a name spelled out (``A. P. J. Abdul``) fit a spelling that writes that name too:

    >>> _given_match(("a", "p", "j", "abdul"), ("avul", "pakir", "jainulabdeen", "abdul"))
    'initials where the other spells the given name out'
    >>> _given_match(("ajay", "k"), ("a", "kumar")) is None
    True
    """
    if len(ga) != len(gb):
        ga, gb = _aligned(ga, gb), _aligned(gb, ga)
    full_a = [t for t in ga if len(t) > 1]
    full_b = [t for t in gb if len(t) > 1]
    if ga[0] == gb[0] and len(ga[0]) > 1 and _initial_compatible(ga, gb):
        return "one name has a middle name or initial the other lacks"
    if _initial_compatible(ga, gb) and (not full_a or not full_b or _within(full_a, full_b) or _within(full_b, full_a)) and (
            not syllables or _initials_fit(ga, gb)):
        return "initials where the other spells the given name out"
    return None


def _within(few: list[str], many: list[str]) -> bool:
    """Whether the words ``few`` are words of ``many``, in order: the names spelled out beside initials
    (``A. P. J. Abdul``) that the other spelling spells out too (``Avul Pakir Jainulabdeen Abdul``).

    >>> _within(["abdul"], ["avul", "pakir", "jainulabdeen", "abdul"]), _within(["ajay"], ["kumar"])
    (True, False)
    """
    it = iter(many)
    return all(w in it for w in few)


_VOWELS = frozenset("aeiouy")


def _initials_fit(ga: tuple[str, ...], gb: tuple[str, ...]) -> bool:
    """Whether, where one side writes only initials and more of them than the other side has given names, each
    initial stands for a name the other writes: a name of its own, or a syllable of a compound given name
    (``Yu-Yan``, ``Yuyan``, ``Xiao-Ming``: one word once the hyphen is gone). An initial with nothing to stand
    for is another name (``Y. Y. Wang`` is not ``Yang Wang`` nor ``Yu Wang``). Elsewhere (as many initials as
    names, fewer, or initials on both sides) it holds. Asked for names whose given names carry no middle names.

    >>> _initials_fit(("y", "y"), ("yuyan",)), _initials_fit(("y", "y"), ("yang",)), _initials_fit(("y", "y"), ("yu",))
    (True, False, False)
    >>> _initials_fit(("j", "p"), ("jeanpierre",)), _initials_fit(("x", "m"), ("xiaoming",)), _initials_fit(("y",), ("yang",))
    (True, True, True)
    """
    for ini, names in ((ga, gb), (gb, ga)):
        if len(ini) > len(names) and all(len(t) == 1 for t in ini) and any(len(t) > 1 for t in names):
            return _covers(ini, names)
    return True


def _covers(ini: tuple[str, ...], names: tuple[str, ...]) -> bool:
    """Whether the initials ``ini``, in order, are the names ``names`` each takes one or more of (a compound
    given name one initial per syllable)."""
    if not names:
        return not ini
    word, rest = names[0], names[1:]
    if len(word) == 1:
        return bool(ini) and ini[0] == word and _covers(ini[1:], rest)
    return any(_syllables(word, ini[:k]) and _covers(ini[k:], rest) for k in range(1, len(ini) - len(rest) + 1))


def _syllables(word: str, letters: tuple[str, ...]) -> bool:
    """Whether ``word`` cuts into ``len(letters)`` syllables that start with those letters: each piece holds a
    vowel, and each cut falls where a syllable may start (a vowel, or a consonant before a vowel, or two where the
    second is ``h``, ``r``, ``l`` or the pair is ``ng``: ``yu|yan``, ``xiao|ming``, ``minh|thang``,
    ``jean|pierre``, ``zhi|hong``; not ``ya|ng``)."""
    if not word or word[0] != letters[0]:
        return False
    if len(letters) == 1:
        return any(c in _VOWELS for c in word)
    for cut in range(2, len(word)):
        head, tail = word[:cut], word[cut:]
        onset = 2 if len(tail) > 2 and (tail[1] in "hrl" or tail[:2] == "ng") and tail[0] not in _VOWELS else 1
        starts = tail[0] in _VOWELS or (len(tail) > onset and tail[onset] in _VOWELS)
        if (starts and any(c in _VOWELS for c in head) and tail[0] == letters[1]
                and _syllables(tail, letters[1:])):
            return True
    return False


def _read_given_name_table() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """The table shipped as ``graphkit/data/given_name_variants.csv``: given-name short forms, short form -> the
    full names it stands for (``bill``: ``william``), and spellings of one name (rows whose third column is
    ``spelling``: ``mohammed``, ``muhammad``), name -> the other spellings of its class. Lines starting with
    ``#`` are comments."""
    text = resources.files("graphkit.data").joinpath("given_name_variants.csv").read_text(encoding="utf-8")
    table: dict[str, set[str]] = defaultdict(set)
    spelling: dict[str, set[str]] = {}
    rows = (line.split(",") for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    for row in islice(rows, 1, None):  # the header
        short, full = ("".join(_tokens(cell)) for cell in row[:2])
        if not (short and full and short != full):
            continue
        if len(row) > 2 and row[2].strip() == "spelling":  # one class: each spelling is every other's
            joined = spelling.get(short, {short}) | spelling.get(full, {full})
            for name in joined:
                spelling[name] = joined
        else:
            table[short].add(full)
    return ({short: frozenset(fulls) for short, fulls in table.items()},
            {name: frozenset(names - {name}) for name, names in spelling.items()})


#: given-name short forms and the full names each stands for (``bob``: ``robert``); spellings of one name in
#: several transliterations (``muhammad``: ``mohammed``, ``mohamed``, ...)
SHORT_FORMS, SPELLINGS = _read_given_name_table()
# the full names of the table: names of their own, so a longer name they start is another name (Joseph/Josephine)
_FULL_NAMES = frozenset(full for fulls in SHORT_FORMS.values() for full in fulls)
# short forms whose full names start with another letter (Bill: W): filed in those blocks too
_OTHER_INITIALS = {short: tuple(sorted({f[0] for f in fulls} - {short[0]}))
                   for short, fulls in [*SHORT_FORMS.items(), *SPELLINGS.items()] if any(f[0] != short[0] for f in fulls)}


def _spelling_match(ga: tuple[str, ...], gb: tuple[str, ...]) -> str | None:
    """Why two given-name token tuples of one family name could be one person's through two spellings of the
    first given name in the table (:data:`SPELLINGS`: ``Mohammed``/``Muhammad``, ``Yusuf``/``Yousef``), the rest
    the same or a tier-2 variant; None otherwise. Unlike a short form, each spelling stands for one name only.

    >>> _spelling_match(("mohammed",), ("muhammad",)), _spelling_match(("yusuf", "a"), ("yousef",))
    ('Mohammed and Muhammad are spellings of one name', 'Yusuf and Yousef are spellings of one name')
    >>> _spelling_match(("mohammed",), ("mahmoud",))
    """
    s, o = ga[0], gb[0]
    if s == o or o not in SPELLINGS.get(s, ()):
        return None
    spelled = (o,) + ga[1:]
    if spelled == gb or _given_match(spelled, gb):
        return f"{s.capitalize()} and {o.capitalize()} are spellings of one name"
    return None


def _short_form_match(ga: tuple[str, ...], gb: tuple[str, ...]) -> str | None:
    """Why two given-name token tuples of one family name could be one person's through a short form of the
    first given name (tier 3), or None.

    The short form is one the table (:data:`SHORT_FORMS`) lists for the other's first name (``Bob``/``Robert``,
    ``Peggy``/``Margaret``: across initials only so). A name the table does not list is no short form: the
    start of a name is as often a name of its own (``Emma``/``Emmanuel``, ``Leon``/``Leonard``,
    ``Eva``/``Evangelos``). With the short form read as the full name, the given names must be the same or a
    tier-2 variant (a middle name or initials more or less).

    >>> _short_form_match(("mike",), ("michael", "i")), _short_form_match(("seb",), ("sebastian",))
    ('Mike is a short form of Michael', 'Seb is a short form of Sebastian')
    >>> _short_form_match(("dan",), ("daniela",)), _short_form_match(("emma",), ("emmanuel",))
    (None, None)
    """
    for short, other in ((ga, gb), (gb, ga)):
        s = short[0]
        if len(s) < 2 or s == other[0]:
            continue
        fulls = SHORT_FORMS.get(s)
        if fulls is None:  # only the table's pairs: the start of a name is as often a name of its own (Emma, Leon)
            continue
        for full in fulls:
            spelled = (full,) + short[1:]
            if spelled == other or _given_match(spelled, other):
                return f"{s.capitalize()} is a short form of {full.capitalize()}"
    return None


def _aligned(x: tuple[str, ...], y: tuple[str, ...]) -> tuple[str, ...]:
    """``x`` with each word that ``y`` writes as several taken apart (``mariajose`` by ``maria j``: ``maria``,
    ``jose``; an initial of ``y`` stands for the rest of the word); words ``y`` does not cover whole stay.

    >>> _aligned(("mariajose",), ("maria", "j")), _aligned(("minjun",), ("min",)), _aligned(("jp",), ("j", "p"))
    (('maria', 'jose'), ('minjun',), ('jp',))
    """
    if len(x) >= len(y):
        return x
    out: list[str] = []
    j = 0
    for t in x:
        if j < len(y) and len(t) > len(y[j]) > 1 and t.startswith(y[j]):
            pieces, rest, k = [], t, j
            while rest and k < len(y):
                w = y[k]
                if len(w) > 1 and rest.startswith(w):
                    pieces.append(w)
                    rest = rest[len(w):]
                elif len(w) == 1 and rest[0] == w:
                    pieces.append(rest)
                    rest = ""
                else:
                    break
                k += 1
            if not rest and len(pieces) > 1:
                out.extend(pieces)
                j = k
                continue
        out.append(t)
        j += 1
    return tuple(out)


def _compound_family(a: NameForm, b: NameForm) -> tuple[int, str] | None:
    """Whether one family name is part of the other's compound (Spanish and Portuguese double family names,
    hyphenated ones): ``García`` / ``García López`` / ``García-López``, the given names compatible.

    The first part alone (the one Spanish usage keeps) with the same given names (spacing and hyphens aside:
    ``María José`` / ``Maria-Jose``) is tier 1; with a middle name or initials more or less, tier 2. The last
    part alone (``López``: the one Portuguese usage keeps, and some authors use their second family name) and
    a first family name read from a name written as one string (``Gabriel García Márquez``, where ``García``
    may be a middle name) are tier 2. More than particles must be shared (``da Taona`` / ``da Silva``).
    Never when a part is a family name of :data:`COMMON_FAMILY_NAMES`: East and South Asian family names are
    one word, so there a hyphen joins the syllables of a given name written last (``Wei Li-Wang`` is not
    ``Wei Li``).

    >>> _compound_family(name_form("Maria-Jose Garcia"), name_form("María José García-López"))
    (1, 'one gives a second family name the other lacks')
    >>> _compound_family(name_form("M. J. Garcia"), name_form("García López, María José"))[0]
    2
    >>> _compound_family(name_form("Wei Li"), name_form("Wei Li-Wang"))
    >>> _compound_family(name_form("Ana Garcés"), name_form("Ana García-López"))
    """
    best = None
    for s, l in ((a, b), (b, a)):
        short = s.parts or s.family
        if not short or not s.given or not any(t not in _PARTICLES for t in short):
            continue
        whole = l.parts or l.family
        readings = [(l.given, whole, False)]
        if len(l.given) > 1 and len(l.family) == 1 and not l.parts:  # one string: a middle word may be a family name
            readings.append((l.given[:-1], l.given[-1:] + whole, True))
        for given, family, guessed in readings:
            n = len(short)
            if not given or n >= len(family) or any(t in COMMON_FAMILY_NAMES for t in family):
                continue
            if family[:n] == short:
                first = True
            elif family[-n:] == short:
                first = False
            else:
                continue
            if s.given == given or ("".join(s.given) == "".join(given) and not _glues_initial(list(s.given), list(given))):
                tier = 1 if first and not guessed else 2
            elif _given_match(s.given, given):
                tier = 2
            else:
                continue
            if best is None or tier < best[0]:
                extra = family[:-n] if not first else family[n:]
                if all(t in _PARTICLES for t in extra):  # van der Berg / Berg: a particle, no family name
                    said = _dropped_particle(extra)
                else:
                    said = ("one gives a second family name the other lacks" if first
                            else "one gives only the second of the other's family names")
                best = (tier, said)
    return best


def _dropped_particle(words: Sequence[str]) -> str:
    """The reason for a name that leaves out a particle (``van der``, ``de``, ``von``) the other writes: a
    particle is part of the family name, not a family name of its own."""
    return f"one drops the particle {' '.join(words)!r} the other writes before the family name"


def is_common_name(form: NameForm) -> bool:
    """Whether a spelling is likely to be carried by many researchers (its family name is very common).

    >>> is_common_name(name_form("Lei Zhang")), is_common_name(name_form("Tomas Mikolov"))
    (True, False)
    """
    return "".join(form.family) in COMMON_FAMILY_NAMES or (bool(form.family) and form.family[-1] in COMMON_FAMILY_NAMES)


def affiliation_key(text: str) -> str:
    """The distinctive words of an affiliation, for matching (ids are kept as they are).

    >>> affiliation_key("University of Maryland, College Park")
    'maryland park'
    >>> affiliation_key("ror:047s2c258")
    'ror:047s2c258'
    """
    if ":" in text and " " not in text:
        return text.lower()
    words = [w for w in alias_key(text).split() if w not in _GENERIC_AFFILIATION]
    return " ".join(words) or alias_key(text)


def _word_in(word: str, words: set[str]) -> bool:
    # "telecommun" and "telecommunications", "tech" and "technological": abbreviations of one word
    return word in words or (len(word) >= 4 and any(w.startswith(word) or (len(w) >= 4 and word.startswith(w)) for w in words))


def _inside(short: set[str], long_: set[str]) -> bool:
    return all(_word_in(w, long_) for w in short)


def _affiliation_groups(keys: set[str]) -> dict[str, str]:
    """Map each affiliation key of one name to a representative.

    Two keys are one place when the words of one are all in the other
    (allowing abbreviations). A short key that fits two places that are not
    one (``california`` in ``california los angeles`` and ``california
    berkeley``) stays apart from both.

    >>> sorted(_affiliation_groups({"california", "california los angeles", "california berkeley", "ibm", "ibm watson"}).items())
    [('california', 'california'), ('california berkeley', 'california berkeley'), ('california los angeles', 'california los angeles'), ('ibm', 'ibm'), ('ibm watson', 'ibm')]
    """
    ordered = sorted(keys, key=lambda k: (-len(k.split()), k))  # longest first: the most specific places
    words = {k: set(k.split()) for k in ordered}
    rep: dict[str, str] = {}
    for k in ordered:
        homes = {rep[r] for r in rep if _inside(words[k], words[r])}
        if len(homes) == 1:
            rep[k] = homes.pop()
        else:
            rep[k] = k
    # A representative is the most specific spelling; name it by the shortest member for readability.
    members: dict[str, list[str]] = defaultdict(list)
    for k, r in rep.items():
        members[r].append(k)
    return {k: min(members[r], key=lambda m: (len(m.split()), m)) for k, r in rep.items()}


# ----------------------------------------------------------------------------- units


class _Unit:
    """A group of occurrences already judged one person."""

    __slots__ = ("members", "exacts", "ids", "affs", "coauthors", "records", "notes", "merged", "variants_joined")

    def __init__(self, members: list[int]):
        self.members = members
        # plain dicts: a build makes one unit per spelling, hundreds of thousands of them
        self.exacts: dict[str, int] = {}
        self.ids: dict[str, set[str]] = {}
        self.affs: dict[str, int] = {}
        self.coauthors: set[str] = set()
        self.records: set[str] | None = None  # the author lists it stands in; None: not gathered yet (_load_circle)
        self.notes: list[str] = []
        self.merged: list[str] = []  # why other spellings or groups joined (ids, evidence)
        self.variants_joined = False  # weaker name variants joined on evidence

    def conflicts(self, other: _Unit) -> str | None:
        for scheme, values in self.ids.items():
            theirs = other.ids.get(scheme)
            if theirs and not (values & theirs):
                if scheme == _GENERATION:
                    return "different generational suffixes"
                if scheme.startswith(CURATION_SCHEME):
                    return "a 'never' rule of the identities file"
                return f"different {scheme} ids ({', '.join(sorted(values | theirs))})"
        return None

    def absorb(self, other: _Unit) -> None:
        self.members.extend(other.members)
        _add_counts(self.exacts, other.exacts)
        for scheme, values in other.ids.items():
            self.ids.setdefault(scheme, set()).update(values)
        _add_counts(self.affs, other.affs)
        if self.records is not None and other.records is not None:
            self.records |= other.records
            self.coauthors |= other.coauthors
        else:  # gathered again when needed
            self.records, self.coauthors = None, set()
        self.notes.extend(other.notes)
        self.merged.extend(other.merged)
        self.variants_joined |= other.variants_joined


@lru_cache(maxsize=1 << 16)  # one person's id recurs on each of their papers
def _split_id(raw: str) -> tuple[str, str] | None:
    scheme, sep, value = raw.partition(":")
    if not sep or not value:
        return None
    scheme = scheme.strip().lower()
    value = value.strip()
    if scheme != "dblp":
        value = value.lower()
    return scheme, value


def resolve_identities(
    occurrences: Sequence[Occurrence],
    *,
    bias: Bias = "precision",
    split_homonyms: bool = True,
    max_block: int = MAX_BLOCK,
    curation=None,
    links: Sequence[tuple[int, int, str]] = (),
    places=None,
) -> IdentityResult:
    """Group author occurrences into people; return each occurrence's author key and the log.

    Author keys are name keys (``tomas mikolov``); when one spelling is
    several people, each with an id is named by it (``wei
    wang~orcid-0000-0001-...``), the largest without one keeps the plain key
    and the others are named by their affiliation (``lei zhang~ibm``). Keys
    are derived from content, so the same input gives the same keys.

    ``links`` are pairs of occurrence indices (with the reason in words)
    that the caller knows stand at one position of one paper's author lists
    on two sources that otherwise agree: strong evidence for a weak variant.
    ``places`` (an alias table's ``canonical``) lets a curation rule's
    ``@ affiliation`` find an institution by any of its names.

    Examples
    --------
    Different ORCIDs keep one spelling apart; the same ORCID joins two:

    >>> occs = [Occurrence("Wei Wang", ids=("orcid:0000-0001-0000-0001",)),
    ...         Occurrence("Wei Wang", ids=("orcid:0000-0002-0000-0002",)),
    ...         Occurrence("W. Wang", ids=("orcid:0000-0002-0000-0002",))]
    >>> resolve_identities(occs).keys
    ['wei wang~orcid-0000-0001-0000-0001', 'wei wang~orcid-0000-0002-0000-0002', 'wei wang~orcid-0000-0002-0000-0002']
    """
    if bias not in ("precision", "recall"):
        raise ValueError(f"bias must be 'precision' or 'recall', not {bias!r}")
    # The engine allocates many small objects and makes no reference cycles: with millions of
    # records alive, the cycle collector's full passes would cost more than the work itself.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _resolve(occurrences, bias=bias, split_homonyms=split_homonyms, max_block=max_block,
                        curation=curation, links=links, places=places)
    finally:
        if collecting:
            gc.enable()


def _resolve(occurrences, *, bias, split_homonyms, max_block, curation, links, places=None) -> IdentityResult:
    decisions: list[IdentityDecision] = []
    problems: list = []
    added_ids: dict[int, tuple[str, ...]] = {}
    occurrences = occurrences if hasattr(occurrences, "has_evidence") else OccurrenceRows(occurrences)
    if curation is not None and curation.rules:
        from graphkit.resolve.curation import apply_curation

        extra, log, problems = apply_curation(occurrences, curation, places)
        occurrences = _WithIds(occurrences, extra)
        added_ids = {i: real for i, ids in extra.items() if (real := tuple(x for x in ids if not x.startswith(CURATION_SCHEME)))}
        decisions.extend(IdentityDecision("curation", (), (), line) for line in log)
    attach_share = ATTACH_SHARE[bias]
    min_aff_support = 1 if bias == "precision" else 2
    need = _PRECISION_NEED if bias == "precision" else {1: 1, 2: 1, 3: 2}

    forms: dict = {}
    occ_form: list[NameForm] = []
    groups: dict[str, list[int]] = defaultdict(list)
    featured: set[str] = set()  # spellings with an id or affiliation somewhere: the only ones that may split
    suffixed: dict[str, str] = {}  # spelling key -> the suffix (jr, ii) some occurrence of it carries
    names, givens, families, has_evidence = occurrences.name, occurrences.given, occurrences.family, occurrences.has_evidence
    for i, name in enumerate(names):
        given, family = givens[i], families[i]
        fkey = name if given is None and family is None else (name, given, family)
        form = forms.get(fkey)
        if form is None:
            form = forms[fkey] = name_form(name, given, family)
        occ_form.append(form)
        groups[form.exact].append(i)
        if form.exact not in featured and has_evidence(i):
            featured.add(form.exact)
        if form.exact not in suffixed and (m := _SUFFIX_WORD.search(name)):
            suffixed[form.exact] = m[1].lower()
    if suffixed:
        generations = _part_suffixed(suffixed, groups, featured, occurrences, occ_form, decisions)
        if generations:  # Jr. and III of one name: ids of one scheme, so never joined
            occurrences = _WithIds(occurrences, generations)
    # A family name this corpus shows with many different given names is a common one here.
    given_of: dict[str, set[str]] = defaultdict(set)
    for form in forms.values():
        if form.family and form.given and len(form.given[0]) > 1:
            given_of[form.family[-1]].add(form.given[0])
    busy = frozenset(f for f, g in given_of.items() if len(g) >= BUSY_FAMILY) if bias == "precision" else frozenset()
    del forms, given_of

    units: list[_Unit] = []
    for exact, members in groups.items():
        if exact not in featured:
            unit = _Unit(members)
            unit.exacts[exact] = len(members)
            units.append(unit)
            # (a common family name with initials only, X. Li, is so many people that two papers say it already)
            initials = all(len(t) == 1 for t in occ_form[members[0]].given)
            if ((len(members) >= 4 or (initials and len(members) >= 2))
                    and _splits_by_affiliation(occ_form[members[0]], split_homonyms, busy)):
                if said := _note_unplaced_circles(members, occurrences, decisions, min_circle=1 if initials else 2):
                    unit.notes.append(said)
            continue
        units.extend(_split_group(exact, members, occurrences, occ_form, decisions,
                                  split=split_homonyms, attach_share=attach_share, min_aff_support=min_aff_support,
                                  busy=busy))

    # Identifiers across spellings: the same id is one person.
    parent = list(range(len(units)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int, kind: str, reason: str) -> bool:
        ra, rb = find(a), find(b)
        if ra == rb:
            return True
        why_not = units[ra].conflicts(units[rb])
        if why_not:
            decisions.append(IdentityDecision("conflict", (), _names(units[ra], units[rb], occurrences), f"kept apart: {why_not}",
                                              len(units[ra].members) + len(units[rb].members),
                                              (units[ra].members[0], units[rb].members[0])))
            return False
        if len(units[ra].members) < len(units[rb].members):
            ra, rb = rb, ra
        names = _names(units[ra], units[rb], occurrences)
        sides = (units[ra].members[0], units[rb].members[0])
        units[ra].absorb(units[rb])
        units[ra].notes.append(reason)
        units[ra].merged.append(reason)
        units[ra].variants_joined |= kind == "merge"
        parent[rb] = ra
        decisions.append(IdentityDecision(kind, (), names, reason, len(units[ra].members), sides))
        return True

    by_id: dict[tuple[str, str], int] = {}
    for u, unit in enumerate(units):
        for scheme, values in unit.ids.items():
            for value in values:
                first = by_id.setdefault((scheme, value), u)
                if first != u and find(first) != find(u):
                    shown = "curation rule" if scheme.startswith(CURATION_SCHEME) else f"{scheme} id {value}"
                    union(first, u, "identifier", f"the same {shown}")

    # Weaker name variants, inside blocks.
    skipped = _merge_variants(units, find, union, occurrences, occ_form, decisions, need, max_block, links, busy)

    # Keys: a spelling that is one person keeps the plain key; when it is several, people with an
    # id are named by it, and the largest without one keeps the plain key.
    roots: dict[int, list[int]] = defaultdict(list)
    for u in range(len(units)):
        roots[find(u)].append(u)
    keys: list[str] = [""] * len(names)
    by_base: dict[str, list[_Unit]] = defaultdict(list)
    keyed: dict[str, str] = {}
    for r in roots:
        unit = units[r]
        spelled: Counter = Counter()
        for written, n in Counter(map(names.__getitem__, unit.members)).items():
            spelled[" ".join(written.split())] += n
        # The most frequent spelling names the person; where weaker variants joined on evidence,
        # the most complete one does (Matthew E. Peters over Matthew Peters).
        complete = {s: keyed[s] if s in keyed else keyed.setdefault(s, name_key(s)) for s in spelled}
        if unit.variants_joined:
            # names spelled out before initials ("Karl-Heinz Müller" over "K.-H. Muller"), then more names
            # ("Matthew E. Peters" over "Matthew Peters"), then accents and cases ("Müller" over "Mueller")
            pick = max(spelled, key=lambda s: (sum(len(t) > 1 for t in complete[s].split()), len(complete[s].split()),
                                               informative(s), len(complete[s]), spelled[s], s))
        else:
            pick = max(spelled, key=lambda s: (spelled[s], len(complete[s].split()), len(complete[s]), s))
        base = complete[pick] or "unnamed"
        by_base[base].append(unit)
    explanations: dict[str, str] = {}
    merged_on: dict[str, list[str]] = {}
    for base, people in by_base.items():
        people.sort(key=lambda u: (-len(u.members), min(u.members)))
        taken: set[str] = set()
        for unit in people:
            if len(people) == 1 or (base not in taken and not _real_ids(unit)):
                key = base
            else:
                key = _suffixed(base, unit, occurrences, taken)
            taken.add(key)
            for i in unit.members:
                keys[i] = key
            if unit.merged:
                merged_on[key] = list(dict.fromkeys(unit.merged))
            if unit.notes or len(people) > 1 or len(unit.exacts) > 1:
                why = list(dict.fromkeys(unit.notes))
                if len(people) > 1:
                    others = ", ".join(_describe(u) for u in people if u is not unit)
                    why.append(f"split from {len(people) - 1} other person(s) with this name: {others}")
                explanations[key] = f"{len(unit.members)} occurrence(s) as {', '.join(sorted(unit.exacts))}" + (
                    ": " + "; ".join(why) if why else "")
    decisions = [replace(d, keys=tuple(dict.fromkeys(keys[i] for i in d.sides))) if d.sides else d for d in decisions]
    return IdentityResult(keys=keys, decisions=decisions, explanations=explanations, merged_on=merged_on,
                          added_ids=added_ids, skipped_blocks=skipped,
                          problems=problems)


#: how often the pairs a run left apart are weighed again after merges (each round only if the last joined some)
_REWEIGH_ROUNDS = 3

#: pieces of evidence a name variant of each tier needs to be joined, with ``--identity-bias precision``
_PRECISION_NEED = {1: 1, 2: 2, 3: 2}


def informative(spelling: str) -> int:
    """How much of a name a spelling keeps that others may have lost: its accents (not plain ASCII), its cases (not
    all capitals or all lower case, as some exports write names): 0 to 2.

    >>> [informative(s) for s in ("José García", "JOSÉ GARCÍA", "Jose Garcia", "JOSE GARCIA")]
    [2, 1, 1, 0]
    """
    return (not spelling.isascii()) + (not spelling.isupper() and not spelling.islower())


_GENERATION = f"{CURATION_SCHEME}-generation"  # the pseudo ids of two generations of one name (Jr., III)
_SUFFIX_WORD = re.compile(r"(?:\s|,)(jr|sr|ii|iii|iv)\b\.?", re.I)


def _generation_of(unit: _Unit, occurrences) -> str | None:
    """The generational suffix (jr, iii) a unit's names carry, if any."""
    if _GENERATION in unit.ids:
        return next(iter(unit.ids[_GENERATION])).rsplit(" ", 1)[-1]
    m = _SUFFIX_WORD.search(occurrences.name[unit.members[0]])
    return m[1].lower() if m else None


def _part_suffixed(suffixed: dict[str, str], groups: dict, featured: set, occurrences, occ_form: list,
                   decisions: list) -> dict[int, tuple[str, ...]]:
    """Where one author list names a person with a suffix and without (``Jan Hajič`` and ``Jan Hajič jr.``), the
    spellings with the suffix are another person: they get a key of their own (``jan hajic jr``), and the two
    are never joined (two names of one list). Elsewhere a suffix stays out of the key (``Guy L. Steele Jr.`` is
    ``Guy L. Steele``). Two generations of one name (``Jr.`` and ``III``, ``II`` and ``III``) are two people:
    each gets a key of its own and a pseudo id of one scheme (returned, by occurrence), so nothing joins them;
    the name without a suffix stays apart from both unless evidence joins it to one."""
    generations: dict[int, tuple[str, ...]] = {}
    for exact, suffix in list(suffixed.items()):
        members = groups[exact]
        found = {i: m[1].lower() for i in members if (m := _SUFFIX_WORD.search(occurrences.name[i]))}
        flagged = set(found)
        kinds = sorted(set(found.values()), key=("jr", "sr", "ii", "iii", "iv").index)
        if len(kinds) > 1:
            plain = [i for i in members if i not in flagged]
            if plain:
                groups[exact] = plain
            else:
                del groups[exact]
            for kind in kinds:
                apart = f"{exact} {kind}"
                mine = sorted(i for i in flagged if found[i] == kind)
                for i in mine:
                    occ_form[i] = occ_form[i]._replace(exact=apart)
                    generations[i] = (f"{_GENERATION}:{apart}",)
                groups[apart] = mine
                featured.add(apart)
            written = tuple(dict.fromkeys(" ".join(occurrences.name[min(i for i in flagged if found[i] == k)].split())
                                          for k in kinds))
            decisions.append(IdentityDecision(
                "split", (), written, f"one name with different generational suffixes ({', '.join(kinds)}): "
                f"{len(kinds)} people, each keeping the suffix in their key", len(flagged),
                tuple(min(i for i in flagged if found[i] == k) for k in kinds)))
            continue
        if len(flagged) == len(members):
            continue
        lists_with = {occurrences[i].where for i in flagged}
        both = next((occurrences[i].where for i in members if i not in flagged and occurrences[i].where in lists_with), None)
        if both is None:
            continue
        apart = f"{exact} {suffix}"
        for i in flagged:
            occ_form[i] = occ_form[i]._replace(exact=apart)
        groups[exact] = [i for i in members if i not in flagged]
        groups[apart] = sorted(flagged)
        if exact in featured:
            featured.add(apart)
        first = groups[exact][0]
        written = (" ".join(occurrences.name[first].split()), " ".join(occurrences.name[min(flagged)].split()))
        decisions.append(IdentityDecision(
            "split", (), written, f"one author list ({both.partition('#')[0]}) names both {written[0]!r} and "
            f"{written[1]!r}: two people (the one with {suffix!r} keeps it in their key)",
            len(members), (first, min(flagged))))
    return generations


def _names(a: _Unit, b: _Unit, occurrences) -> tuple[str, ...]:
    names = dict.fromkeys(" ".join(occurrences.name[i].split()) for i in a.members[:5] + b.members[:5])
    return tuple(names)


def _describe(unit: _Unit) -> str:
    if unit.ids:
        return ", ".join(f"{s}:{v}" for s, vals in sorted(unit.ids.items()) if not s.startswith(CURATION_SCHEME) for v in sorted(vals)) or "a curated person"
    if unit.affs:
        return "at " + " / ".join(_top(unit.affs, 2))
    return f"{len(unit.members)} occurrence(s) without affiliation or id"


def _real_ids(unit: _Unit) -> list[tuple[str, str]]:
    return [(s, v) for s, vals in sorted(unit.ids.items()) if not s.startswith(CURATION_SCHEME) for v in sorted(vals)]


def _suffixed(base: str, unit: _Unit, occurrences, taken: set[str]) -> str:
    real = _real_ids(unit)
    if real:
        tail = slug(f"{real[0][0]} {real[0][1]}")
    elif unit.affs:
        tail = slug(_top(unit.affs, 1)[0])
    else:
        first = occurrences[min(unit.members)]
        tail = slug(first.paper or first.where or "unplaced")
    key = f"{base}~{tail}"
    n = 2
    while key in taken:
        key, n = f"{base}~{tail}-{n}", n + 1
    return key


def _new_unit(members: list[int], occurrences, occ_form, affkey: dict[int, list[str]] | None = None) -> _Unit:
    unit = _Unit(members)
    for i in members:
        occ = occurrences[i]
        exact = occ_form[i].exact
        unit.exacts[exact] = unit.exacts.get(exact, 0) + 1
        for raw in occ.ids:
            if (parsed := _split_id(raw)) is not None:
                unit.ids.setdefault(parsed[0], set()).add(parsed[1])
        places = affkey.get(i, ()) if affkey is not None else {affiliation_key(a) for a in occ.affiliations}
        for place in dict.fromkeys(places):
            unit.affs[place] = unit.affs.get(place, 0) + 1
    return unit


def _add_counts(into: dict, more: dict) -> None:
    for k, n in more.items():
        into[k] = into.get(k, 0) + n


def _top(counts: dict, n: int) -> list:
    """The n most counted keys (ties by key)."""
    return sorted(counts, key=lambda k: (-counts[k], k))[:n]


def _load_circle(unit: _Unit, occurrences) -> None:
    """Co-authors and the author lists it stands in: gathered only for units a block compares."""
    if unit.records is not None:
        return
    unit.records = set()
    for i in unit.members:
        occ = occurrences[i]
        unit.coauthors.update(occ.coauthors)
        if occ.where:
            unit.records.add(occ.where)


def _split_group(exact, members, occurrences, occ_form, decisions, *, split, attach_share, min_aff_support,
                 busy=frozenset()) -> list[_Unit]:
    """One spelling key: one person unless ids or (for common names) affiliations say otherwise."""
    if len(members) > 1 and (unit := _one_by_id(exact, members, occurrences, occ_form, split, busy)) is not None:
        return [unit]
    # Each row (co-authors, ids, affiliations) is built once here, then read from this dict.
    rows = {i: occurrences[i] for i in members}
    has_ids = any(row.ids for row in rows.values())
    has_affs = any(row.affiliations for row in rows.values())
    if not (has_ids or has_affs):
        unit = _Unit(members)
        unit.exacts[exact] = len(members)
        return [unit]
    if len(members) == 1:
        return [_new_unit(members, rows, occ_form)]

    by_aff = _splits_by_affiliation(occ_form[members[0]], split, busy)
    # Occurrences are linked by a shared id, affiliation or co-author.
    local = {i: i for i in members}

    def find(x):
        while local[x] != x:
            local[x] = local[local[x]]
            x = local[x]
        return x

    affkey = _places({i: rows[i].affiliations for i in members if rows[i].affiliations})
    ids_of: dict[int, dict[str, str]] = {}
    for i in members:
        parsed = [p for raw in rows[i].ids if (p := _split_id(raw))]
        if parsed:
            ids_of[i] = dict(parsed)
    root_ids: dict[int, dict[str, str]] = {i: dict(ids_of.get(i, {})) for i in members}

    def link(a, b):
        ra, rb = find(a), find(b)
        if ra == rb:
            return
        ia, ib = root_ids[ra], root_ids[rb]
        if any(s in ib and ib[s] != v for s, v in ia.items()):
            return
        local[rb] = ra
        ia.update(ib)

    seen: dict[tuple, int] = {}
    for i in members:
        for f in [("id",) + kv for kv in ids_of.get(i, {}).items()] + [("aff", a) for a in affkey.get(i, ())]:
            if f in seen:
                link(seen[f], i)
            else:
                seen[f] = i
    # One paper shown by two sources with this spelling on both is one person there, whatever
    # else the two occurrences carry (unless their ids differ: ``link`` refuses that).
    on_paper: dict[str, int] = {}
    for i in members:
        paper = rows[i].paper
        if paper is None:
            continue
        first = on_paper.setdefault(paper, i)
        if first != i and rows[first].where != rows[i].where:
            link(first, i)
    # Co-authors link groups too, but a co-author's name can itself be several people, so only
    # distinctive ones count: two join groups at different affiliations; an unplaced group (no
    # affiliation, no id) joins the one placed group it shares the most with, never bridging two.
    def shared_counts(roots_circles):
        # (sorted throughout: the order of links decides nothing, but it must not follow the hash seed)
        by_co: dict[str, list[int]] = defaultdict(list)
        for r in sorted(roots_circles):
            for c in roots_circles[r]:
                if _coauthor_weight(c):
                    by_co[c].append(r)
        shared: Counter = Counter()
        for c in sorted(by_co):
            rs = by_co[c]
            if 1 < len(rs) <= 50:
                w = _coauthor_weight(c)
                for x in range(len(rs)):
                    for y in range(x + 1, len(rs)):
                        shared[(rs[x], rs[y])] += w
        return dict(sorted(shared.items()))

    def circles_now():
        circles: dict[int, set[str]] = defaultdict(set)
        anchored: dict[int, bool] = defaultdict(bool)
        for i in members:
            r = find(i)
            circles[r].update(rows[i].coauthors)
            anchored[r] |= i in affkey or i in ids_of
        return circles, anchored

    def several() -> bool:  # one group already: no co-author can link anything more
        root = find(members[0])
        return any(find(i) != root for i in members)

    if several():
        circles, anchored = circles_now()
        for (a, b), n in sorted(shared_counts(circles).items(), key=lambda kv: (-kv[1], kv[0])):
            if n >= 2 and anchored[a] and anchored[b]:
                link(a, b)
    if several():
        circles, anchored = circles_now()
        best: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for (a, b), n in shared_counts(circles).items():
            if n < 1:  # one co-author of a very common name (written out) weighs half a distinctive one: too little
                continue
            for x, y in ((a, b), (b, a)):
                if not anchored[x]:
                    best[x].append((n, y))
        for x, options in best.items():
            placed_options = sorted((o for o in options if anchored[o[1]]), reverse=True)
            if placed_options:
                if len(placed_options) == 1 or placed_options[0][0] > placed_options[1][0]:
                    link(placed_options[0][1], x)
            else:
                for _, y in options:  # unplaced with unplaced: one shared distinctive co-author
                    link(x, y)
    comps: dict[int, list[int]] = defaultdict(list)
    for i in members:
        comps[find(i)].append(i)
    parts = [_new_unit(c, rows, occ_form, affkey) for c in comps.values()]
    for p in parts:
        _load_circle(p, rows)

    if not by_aff:
        # A rarer name: different affiliations alone are a move, not another person. Apart stay
        # groups with different ids of one scheme, and (when splitting) groups at different
        # affiliations whose co-author circles are both known and disjoint.
        parts.sort(key=lambda u: (not u.ids, not u.affs, -len(u.members)))
        people: list[_Unit] = []
        for p in parts:
            home = next((q for q in people if not q.conflicts(p) and not (split and _separate_circles(q, p))), None)
            if home is None:
                people.append(p)
            else:
                home.absorb(p)
        for person in people:
            _note_moves(person)
        if len(people) > 1:
            pairs = [(p, q) for k, p in enumerate(people) for q in people[k + 1:]]
            clash = any(p.conflicts(q) for p, q in pairs)
            apart = any(_separate_circles(p, q) for p, q in pairs if not p.conflicts(q))
            why = " and ".join(w for w, on in (("different ids of one scheme", clash),
                                               ("different affiliations with disjoint co-author circles", apart)) if on)
            _log_split(exact, people, occurrences, decisions, why or "different ids or affiliations")
        return people

    anchored = [p for p in parts if p.ids or p.affs]
    floating = [p for p in parts if not (p.ids or p.affs)]
    anchored.sort(key=lambda u: -len(u.members))
    if min_aff_support > 1 and len(anchored) > 1:
        # Fewer splits: an affiliation seen once is more likely a move or a typo than another person.
        keep = [anchored[0]] + [p for p in anchored[1:] if p.ids or len(p.members) >= min_aff_support]
        for p in anchored[1:]:
            if p not in keep:
                home = next((q for q in keep if not q.conflicts(p)), None)
                if home is None:
                    keep.append(p)
                else:
                    home.absorb(p)
        anchored = keep
    if not anchored:
        return [_merge_all(floating)]
    placed = sum(len(p.members) for p in anchored)
    dominant = anchored[0]
    people = list(anchored)
    unplaced = 0
    for p in floating:
        # co-authors too few to place a group (one of a very common name) still keep it from the dominant person
        # when they point to another one
        weights = [_shared_coauthors(p.coauthors, q.coauthors)[0] for q in anchored] if len(anchored) > 1 else [0]
        elsewhere = max(weights[1:], default=0) > weights[0]
        if len(anchored) == 1 or (len(dominant.members) / placed >= attach_share and not elsewhere):
            dominant.absorb(p)
            dominant.notes.append(f"{len(p.members)} occurrence(s) with nothing to place them joined the dominant person")
        else:
            people.append(p)
            unplaced += len(p.members)
    if len(people) > 1:
        clash = any(p.conflicts(q) for k, p in enumerate(anchored) for q in anchored[k + 1:])
        affs = len({a for p in anchored for a in p.affs}) > 1
        why = " and ".join(w for w, on in (("different ids of one scheme", clash), ("different affiliations", affs)) if on)
        _log_split(exact, people, occurrences, decisions, f"{why or 'nothing placing them together'}; {_apart(people)}")
    if unplaced:
        decisions.append(IdentityDecision(
            "ambiguous", (), (" ".join(occurrences.name[members[0]].split()),),
            f"{unplaced} occurrence(s) without affiliation, co-author or id could belong to any of "
            f"{len(anchored)} people with this name; kept apart", unplaced,
            tuple(p.members[0] for p in people)))
    return people


def _note_unplaced_circles(members, occurrences, decisions, min_circle: int = 2) -> str:
    """Report a common name kept as one person for want of ids and affiliations when its papers fall into
    co-author circles that share nobody: nothing tells them apart, nothing joins them, so say so.

    Occurrences are joined by any co-author in common (even one with a common name), by one paper, and by
    one profile page whose owner they are (the page says the papers are one person's); circles of
    ``min_circle`` papers or more count (one for a common family name written with initials only). Returns the
    reason given (for the person's explanation), or ``""``.
    """
    from networkx.utils import UnionFind  # as the paper clustering uses it; networkx is loaded by then

    circle_of = UnionFind(members)
    first: dict = {}
    for i in members:
        ties, coauthors = occurrences.circle(i)
        for key in [*coauthors, *ties]:
            if key and (j := first.setdefault(key, i)) != i:
                circle_of.union(i, j)
    sizes = Counter(circle_of[i] for i in members)
    circles = [n for n in sizes.values() if n >= min_circle]
    if len(circles) < 2:
        return ""
    name = " ".join(occurrences.name[members[0]].split())
    described = ", ".join(str(n) for n in sorted(circles, reverse=True)[:6])
    said = (f"a common name with no ids or affiliations: its {len(members)} occurrences fall into {len(circles)} "
            f"co-author circles that share nobody (papers: {described}); kept as one person, nothing to tell them apart")
    decisions.append(IdentityDecision("ambiguous", (), (name,), said, len(members), (members[0],)))
    return said


def _one_by_id(exact, members, occurrences, occ_form, split, busy) -> _Unit | None:
    """The group as one person, without building its rows, when its ids alone decide it; else None.

    That is when every occurrence carries an id, one of them is on every occurrence, and no scheme
    shows two values (a DBLP person or an ORCID on each of their papers): the linking in
    :func:`_split_group` would join them all and find nothing to keep apart, so this gives the same
    person (the same ids, affiliation counts and note), with the co-author circle left to be
    gathered when a comparison needs it.
    """
    evidence = getattr(occurrences, "evidence", None)
    if evidence is None:
        return None
    values: dict[str, str] = {}
    shared: set[tuple[str, str]] | None = None
    places: dict[int, tuple[str, ...]] = {}
    for i in members:
        ids, affiliations = evidence(i)
        parsed = {p for raw in ids if (p := _split_id(raw)) is not None}
        if not parsed:
            return None
        for scheme, value in parsed:
            if values.setdefault(scheme, value) != value:
                return None
        shared = parsed if shared is None else shared & parsed
        if not shared:
            return None
        if affiliations:
            places[i] = affiliations
    unit = _Unit(list(members))
    unit.exacts[exact] = len(members)
    unit.ids = {scheme: {value} for scheme, value in values.items()}
    if places:
        for keys in _places(places).values():
            for place in keys:
                unit.affs[place] = unit.affs.get(place, 0) + 1
        if not _splits_by_affiliation(occ_form[members[0]], split, busy):
            _note_moves(unit)
    return unit


def _splits_by_affiliation(form: NameForm, split: bool, busy) -> bool:
    """Whether different affiliations alone make different people for this name: a common one (or a family
    name this corpus shows with many given names), when homonyms are split."""
    return split and (is_common_name(form) or (bool(form.family) and form.family[-1] in busy))


def _places(affiliations: dict[int, tuple[str, ...]]) -> dict[int, list[str]]:
    """Per occurrence, its affiliations as place keys, each once, the written variants of one place as one."""
    keys = {i: [affiliation_key(a) for a in written] for i, written in affiliations.items()}
    rep = _affiliation_groups({k for ks in keys.values() for k in ks})
    return {i: list(dict.fromkeys(rep[k] for k in ks)) for i, ks in keys.items()}


def _note_moves(person: _Unit) -> None:
    """The note on a person of a rarer name seen at several affiliations (kept one person)."""
    if len(person.affs) > 1:
        person.notes.append(f"seen at {len(person.affs)} affiliations ({', '.join(_top(person.affs, 3))}); "
                            "not a name many people carry, and nothing else says two people: one person")


def _distinctive(coauthors: set[str]) -> set[str]:
    """Co-author name keys that point to one person more than to many (not a very common family name)."""
    return {c for c in coauthors if c.rsplit(" ", 1)[-1] not in COMMON_FAMILY_NAMES}


def _coauthor_weight(key: str) -> float:
    """How much one shared co-author (a name key) says that two groups of one spelling are one person: 1 for a
    distinctive name; 1/2 for a very common family name with a given name written out (``hui chen``: many people,
    but far fewer than ``h chen``), so two of them count as one distinctive co-author; 0 for a common family name
    with initials only (``h chen``, ``x m li``).

    >>> _coauthor_weight("tomas mikolov"), _coauthor_weight("hui chen"), _coauthor_weight("van an nguyen"), _coauthor_weight("x m li")
    (1.0, 0.5, 0.5, 0.0)
    """
    head, _, last = key.rpartition(" ")
    if last not in COMMON_FAMILY_NAMES:
        return 1.0
    return 0.5 if any(len(t) > 1 for t in head.split()) else 0.0


def _shared_coauthors(a: set[str], b: set[str]) -> tuple[float, list[str], list[str]]:
    """The co-authors two groups share, weighed by :func:`_coauthor_weight`: (the weight, the names that count,
    sorted, the names that count for nothing: initials of a very common family name)."""
    both = sorted(a & b)
    counted = [c for c in both if _coauthor_weight(c)]
    return sum(_coauthor_weight(c) for c in counted), counted, [c for c in both if c not in counted]


def _separate_circles(a: _Unit, b: _Unit, min_circle: int = 2) -> bool:
    """Different affiliations and known co-author circles sharing no distinctive name: likely two people."""
    return (bool(a.affs) and bool(b.affs) and not (set(a.affs) & set(b.affs))
            and len(a.coauthors) >= min_circle and len(b.coauthors) >= min_circle
            and not _distinctive(a.coauthors & b.coauthors))


def _elsewhere(a: dict[str, int], b: dict[str, int]) -> bool:
    """Whether two people are placed at affiliations and no place of one is a place of the other: compared as
    ids (``ror:...``) where both sides have ids, as names (the words of one key all in the other's, as
    :func:`_affiliation_groups` reads them) where both have names; an id on one side and only a name on the
    other says nothing.

    >>> _elsewhere({"stanford": 2}, {"stanford palo alto": 1}), _elsewhere({"mit": 1}, {"oxford": 1})
    (False, True)
    >>> _elsewhere({"ror:042nb2s44": 1}, {"mit": 1}), _elsewhere({}, {"mit": 1})
    (False, False)
    """
    ids_a, ids_b = {k for k in a if ":" in k}, {k for k in b if ":" in k}
    names_a, names_b = [set(k.split()) for k in a if ":" not in k], [set(k.split()) for k in b if ":" not in k]
    compared = False
    if ids_a and ids_b:
        if ids_a & ids_b:
            return False
        compared = True
    if names_a and names_b:
        if any(_inside(x, y) or _inside(y, x) for x in names_a for y in names_b):
            return False
        compared = True
    return compared


def _apart(people: list[_Unit]) -> str:
    """What co-authors say of people kept apart: none shared, or how few (one distinctive co-author in
    common does not join two groups at different affiliations; two do)."""
    best: tuple[float, list[str], list[str]] = (0.0, [], [])
    for k, p in enumerate(people):
        for q in people[k + 1:]:
            if not p.conflicts(q):
                shared = _shared_coauthors(p.coauthors, q.coauthors)
                if (shared[0], len(shared[2])) > (best[0], len(best[2])):
                    best = shared
    weight, counted, uncounted = best
    if not counted:
        if uncounted:
            return (f"no distinctive shared co-author links them (only {', '.join(uncounted[:3])}: initials of a very "
                    "common family name, no evidence)")
        return "no shared co-author or id links them"
    names = ", ".join(counted[:3])
    common = [c for c in counted if _coauthor_weight(c) < 1]
    if not common:
        if len(counted) == 1:
            return f"only one distinctive co-author in common ({names}), too few to join them"
        return (f"{len(counted)} distinctive co-authors in common ({names}), but groups without an affiliation or id "
                "in common stay apart")
    said = (f"co-author(s) in common {names} ({', '.join(common[:3])}: a very common family name, half the weight of a "
            f"distinctive co-author) weigh {weight:g}")
    if weight < 2:
        return f"{said}, too few to join them"
    return f"{said}, but groups without an affiliation or id in common stay apart"


def _merge_all(parts: list[_Unit]) -> _Unit:
    first = parts[0]
    for p in parts[1:]:
        first.absorb(p)
    return first


def _log_split(exact, people, occurrences, decisions, why) -> None:
    name = " ".join(occurrences.name[people[0].members[0]].split())
    described = "; ".join(f"{len(p.members)} {_describe(p)}" if p.ids or p.affs else _describe(p) for p in people[:6])
    for p in people:
        p.notes.append(f"one of {len(people)} people named {name!r} ({why})")
    decisions.append(IdentityDecision("split", (), (name,), f"{len(people)} people: {why}: {described}",
                                      sum(len(p.members) for p in people), tuple(p.members[0] for p in people)))


def _merge_variants(units, find, union, occurrences, occ_form, decisions, need, max_block, links, busy=frozenset()) -> int:
    """Join weaker variants of one name (order, middle names, initials) on enough evidence.

    ``links`` are occurrence pairs the caller knows stand at one position of
    one paper's author lists on two sources: strong evidence.
    """
    blocks: dict[tuple, list[int]] = defaultdict(list)
    exact_form: dict[str, NameForm] = {}
    for u, unit in enumerate(units):
        for exact in unit.exacts:
            if exact not in exact_form:
                exact_form[exact] = occ_form[unit.members[0]] if occ_form[unit.members[0]].exact == exact else next(
                    occ_form[i] for i in unit.members if occ_form[i].exact == exact)
    exact_count: Counter = Counter()
    for u, unit in enumerate(units):
        for exact in unit.exacts:
            exact_count[exact] += 1
            form = exact_form[exact]
            if not form.family or not form.given:
                continue
            blocks[(form.family[-1], form.given[0][0])].append(u)
            if form.given[0] in _OTHER_INITIALS:  # Bill Gates also with the W's (William): the table's pairs
                for initial in _OTHER_INITIALS[form.given[0]]:
                    blocks[(form.family[-1], initial)].append(u)
            blocks[("swap",) + tuple(sorted(form.given + form.family))].append(u)
            # Müller / Mueller: filed under the name with its umlauts written out
            if form.alt is not None and form.alt.family and form.alt.given:
                blocks[("translit", form.alt.family[-1], form.alt.given[0])].append(u)
            elif _DIGRAPH.search(form.family[-1]) or _DIGRAPH.search(form.given[0]):
                blocks[("translit", form.family[-1], form.given[0])].append(u)
            blocks[("compact", exact.replace(" ", ""))].append(u)
            if len(form.family) == 1 and len(form.given) > 1:  # García Márquez written as one string
                blocks[(form.given[-1], form.given[0][0])].append(u)
            if len(form.family) > 1:
                blocks[(form.family[0], form.given[0][0])].append(u)
            if form.parts:  # García-López: with García and with López
                blocks[(form.parts[0], form.given[0][0])].append(u)
                blocks[(form.parts[-1], form.given[0][0])].append(u)
    if len(exact_count) == len(units) and len(blocks) == 0:
        return 0
    skipped = 0
    candidates: list[tuple] = []
    pending: list[tuple] = []
    seen_pairs: set[tuple[int, int]] = set()
    matched: dict[tuple[str, str], tuple[int, str] | None] = {}
    strong: dict[tuple[int, int], str] = {}
    if links:
        unit_of = {}
        for u, unit in enumerate(units):
            for i in unit.members:
                unit_of[i] = u
        for i, j, reason in links:
            a, b = sorted((unit_of[i], unit_of[j]))
            if a != b:
                strong.setdefault((a, b), reason)

    def pairs():
        nonlocal skipped
        for bkey, block in blocks.items():
            block = list(dict.fromkeys(block))
            if len(block) < 2:
                continue
            if len(block) > max_block:
                skipped += 1
                continue
            yield from _block_pairs(bkey, block, units, exact_form)
        yield from strong

    for a, b in pairs():
        if (a, b) in seen_pairs:
            continue
        seen_pairs.add((a, b))
        ua, ub = units[a], units[b]
        if set(ua.exacts) & set(ub.exacts):
            continue  # one spelling already judged (split apart or not)
        if find(a) == find(b):
            continue  # one person already (an id, a curation rule): nothing to merge, nothing to report
        gen_a, gen_b = _generation_of(ua, occurrences), _generation_of(ub, occurrences)
        if gen_a and gen_b and gen_a != gen_b:
            continue  # Jr. and III: two people
        match, spelled = None, None
        for ea in ua.exacts:
            for eb in ub.exacts:
                pair = (ea, eb) if ea < eb else (eb, ea)
                m = matched.get(pair, False)
                if m is False:
                    m = matched[pair] = name_match(exact_form[ea], exact_form[eb])
                if m and (match is None or m[0] < match[0]):
                    match, spelled = m, ea
        if match is None:
            continue
        # Wei Li / Li Wei: each word a frequent family name, so each order is a name of its own that many
        # people carry; a shared affiliation (a large one is shared by many of both) does not join them
        # ... nor a short form of a given name (Alex: Alexander or Alexandra; Chris: Christopher or Christine), which
        # many people at one large institution write: only co-authors, ids or the same paper position count
        places_weak = (match[1] == SWAPPED and _common_swap(exact_form[spelled], busy)) or match[0] == 3
        if (gen_a is None) != (gen_b is None):
            match = (match[0], "one name carries a generational suffix the other lacks")
        _load_circle(ua, occurrences)
        _load_circle(ub, occurrences)
        if ua.records & ub.records:
            continue  # two names of one author list are two people
        pending.append((match, a, b, places_weak))
    # Co-authors count as the people this build makes of them: two spellings of one person (joined by
    # an id) are one shared co-author; a name the build split into several people is no evidence.
    people = _coauthor_people(pending, units, find, occurrences)

    def weigh(tier, a, b, ua, ub, places_weak, people):
        """The evidence that the spellings or people ``ua`` and ``ub`` are one: (count, in words, against)."""
        shared_affs = set(ua.affs) & set(ub.affs)
        mine, theirs = people(ua, (a, b)), people(ub, (a, b))
        shared_co = sorted(mine[p] for p in mine.keys() & theirs.keys())
        same_spot = strong.get((a, b))
        evidence = (0 if places_weak else len(shared_affs)) + len(shared_co) + (3 if same_spot else 0)
        # a short form is also a name of its own (Jack, Alex, Max): at affiliations that are not one place, the
        # two are as likely two people, whatever co-authors they share (only the same paper position outweighs it)
        elsewhere = tier == 3 and not same_spot and _elsewhere(ua.affs, ub.affs)
        # co-authors written as variants of one rare name on the two sides (S. Della Pietra, Stephen A. Della
        # Pietra) count where what is shared exactly is not enough, two of them at least: old papers write every
        # name in initials
        variant_co = sorted(_variant_coauthors(mine, theirs, busy)) if evidence < need[tier] else []
        if len(variant_co) < 2:  # one such co-author may be a coincidence of initials: two or more count
            variant_co = []
        evidence += len(variant_co)
        parts = []
        if same_spot:
            parts.append(same_spot)
        if shared_co:
            parts.append("shared co-author(s) " + ", ".join(shared_co[:3]))
        if variant_co:
            parts.append("co-author(s) under variants of one name " + ", ".join(variant_co[:3]))
        if shared_affs:
            parts.append("the same affiliation " + ", ".join(sorted(shared_affs)[:2]) + (
                (" (no evidence for a short form: many people at one place write it)" if tier == 3 else
                 " (no evidence when both words are frequent family names: each order is a name many people carry)")
                if places_weak else ""))
        against = ("at different affiliations (" + " / ".join(_top(u.affs, 1)[0] for u in (ua, ub))
                   + "): a short form is also a name of its own") if elsewhere else ""
        return evidence, "; ".join(parts), against

    def left_apart(why, evidence, tier, parts, against):
        if evidence >= need[tier]:
            return f"{why} and {parts}, but {against}: not merged"
        return f"{why}, but {'only ' + parts if parts else 'no shared affiliation, co-author or id'}: not merged"

    for (tier, why), a, b, places_weak in pending:
        evidence, parts, against = weigh(tier, a, b, units[a], units[b], places_weak, people)
        candidates.append((tier, -evidence, a, b, why, evidence, parts, against, places_weak))
    candidates.sort(key=lambda c: c[:4])
    # A weak variant with enough evidence for two different people joins neither. Recall's lower bar makes more
    # such pairs, but they never contest a pair with the evidence precision asks for (``strong``): only pairs
    # as weak contest it, so recall never splits what precision joins.
    targets: dict[int, set[int]] = defaultdict(set)
    strong_targets: dict[int, set[int]] = defaultdict(set)
    for tier, _, a, b, _, evidence, _, against, _ in candidates:
        if evidence >= need[tier] and not against:
            targets[a].add(b)
            targets[b].add(a)
            if evidence >= _PRECISION_NEED[tier]:
                strong_targets[a].add(b)
                strong_targets[b].add(a)
    ambiguous = 0
    weak: list[tuple] = []  # (decision index, a, b, tier, why, places_weak) of pairs left apart for want of evidence
    for tier, _, a, b, why, evidence, parts, against, places_weak in candidates:
        names = _names(units[a], units[b], occurrences)
        if evidence < need[tier] or against:
            ambiguous += 1
            if ambiguous <= MAX_AMBIGUOUS:
                weak.append((len(decisions), a, b, tier, why, places_weak))
                decisions.append(IdentityDecision(
                    "ambiguous", (), names, left_apart(why, evidence, tier, parts, against),
                    len(units[a].members) + len(units[b].members), (units[a].members[0], units[b].members[0])))
            continue
        rivals = strong_targets if evidence >= _PRECISION_NEED[tier] else targets
        if _contested(a, rivals, units, find, exact_form) or _contested(b, rivals, units, find, exact_form):
            decisions.append(IdentityDecision("ambiguous", (), names, f"{why}, with evidence for more than one person: not merged",
                                              len(units[a].members) + len(units[b].members), (units[a].members[0], units[b].members[0])))
            continue
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if not _spellings_fit([exact_form[e] for e in units[ra].exacts], [exact_form[e] for e in units[rb].exacts]):
            continue  # M. Peters cannot join Matthew E. Peters and Matthew J. Peters at once
        # (spellings of two family names are in one person by an id or the identities file, never by a name
        # variant: Karl-Heinz Mueller joined to Karl Heinz Müller by a 'same' rule does not keep Karl-Heinz
        # Müller from joining them)
        apart = _apart_places(units[ra], units[rb], units[a], units[b], occurrences)
        union(a, b, "merge", f"{why}; evidence: {parts}" + (f"; {apart}" if apart else ""))
    # The pairs left apart, weighed again between the people the merges made: a co-author the two share only
    # once another merge made two of its spellings one person (García-López) is evidence at the end of the run,
    # as it is for the pair that merge joined; and what a pair left apart is told must still be true at the end.
    for _ in range(_REWEIGH_ROUNDS):
        open_pairs = [(k, a, b, tier, why, pw) for k, a, b, tier, why, pw in weak if find(a) != find(b)]
        if not open_pairs:
            break
        persons = _coauthor_people([(None, find(a), find(b)) for _, a, b, *_ in open_pairs], units, find, occurrences)
        weighed = []
        for k, a, b, tier, why, places_weak in open_pairs:
            ra, rb = find(a), find(b)
            pa, pb = units[ra], units[rb]
            _load_circle(pa, occurrences)
            _load_circle(pb, occurrences)
            evidence, parts, against = weigh(tier, a, b, pa, pb, places_weak, persons)
            weighed.append((k, a, b, tier, why, evidence, parts, against, bool(pa.records & pb.records)))
        joined_now = 0
        for k, a, b, tier, why, evidence, parts, against, same_list in weighed:
            ra, rb = find(a), find(b)
            d = decisions[k]
            if (ra != rb and evidence >= need[tier] and not against and not same_list
                    and not _contested(a, targets, units, find, exact_form)
                    and not _contested(b, targets, units, find, exact_form)
                    and _spellings_fit([exact_form[e] for e in units[ra].exacts],
                                       [exact_form[e] for e in units[rb].exacts])):
                apart = _apart_places(units[ra], units[rb], units[a], units[b], occurrences)
                if union(a, b, "merge", f"{why}; evidence between the people other merges made: {parts}"
                                        + (f"; {apart}" if apart else "")):
                    joined_now += 1
                    continue
            if not same_list:
                decisions[k] = replace(d, reason=left_apart(why, evidence, tier, parts, against))
        if not joined_now:
            break
    # a pair left apart whose two sides other merges made one person (María J. García-López and Maria-Jose
    # Garcia, both joined to María José García-López) is no open question
    joined = {k for k, a, b, *_ in weak if find(a) == find(b)}
    if joined:
        decisions[:] = [d for k, d in enumerate(decisions) if k not in joined]
    return skipped


#: members of a person looked at for the affiliations a merge's explanation names (a large person is not read whole)
_SHOWN_MEMBERS = 50


def _apart_places(pa: _Unit, pb: _Unit, ua: _Unit, ub: _Unit, occurrences) -> str:
    """What a name-variant merge's explanation says of the two people's affiliations when they have none in common
    (each side placed, and no affiliation of one is one of the other's: two institutions, however near), so that
    a reader can judge the merge; ``""`` when they share one or a side has none. ``pa``/``pb`` are the two people
    joined, ``ua``/``ub`` the spellings the pair compared (named beside their affiliations).

    Affiliations compare as the build gives them to the engine: by their institution's name where the institution
    is known (``Universität Hamburg`` and ``Technische Universität Hamburg`` are two), else as written; ids only
    with ids, names only with names.

    >>> a, b = _Unit([0]), _Unit([1])
    >>> a.affs, b.affs = {"hamburg": 1}, {"technische hamburg": 1}
    >>> occs = OccurrenceRows([Occurrence("Max Müller", affiliations=("Universität Hamburg",)),
    ...                        Occurrence("Maximilian Müller", affiliations=("Technische Universität Hamburg",))])
    >>> _apart_places(a, b, a, b, occs)
    'at different affiliations: Universität Hamburg (Max Müller) / Technische Universität Hamburg (Maximilian Müller)'
    >>> b.affs = {"hamburg": 2}
    >>> _apart_places(a, b, a, b, occs)
    ''
    """
    mine, theirs = set(pa.affs), set(pb.affs)
    if not mine or not theirs or mine & theirs:
        return ""
    ids_a, ids_b = {k for k in mine if ":" in k}, {k for k in theirs if ":" in k}
    if not ((ids_a and ids_b) or (mine - ids_a and theirs - ids_b)):
        return ""  # an id on one side, a name on the other: nothing says they differ
    shown = []
    for person, spelling in ((pa, ua), (pb, ub)):
        written: Counter = Counter()
        for i in islice(person.members, _SHOWN_MEMBERS):
            written.update({" ".join(a.split()) for a in occurrences.evidence(i)[1]})
        places = [w for w, _ in sorted(written.items(), key=lambda kv: (-kv[1], kv[0]))[:2]] or _top(person.affs, 2)
        name = " ".join(occurrences.name[spelling.members[0]].split())
        shown.append(f"{', '.join(places)}{' and others' if len(written) > 2 else ''} ({name})")
    return "at different affiliations: " + " / ".join(shown)


def _spellings_fit(one: list[NameForm], other: list[NameForm]) -> bool:
    """Whether the spellings of two people can be one person's: each spelling of one side fits every spelling of
    the other, or, where the other side already holds spellings that do not fit one another (joined by an id or
    the identities file: ``Thang Luong`` and ``Minh-Thang Luong``), at least one of them.

    >>> f = name_form
    >>> _spellings_fit([f("M. Peters"), f("Matthew E. Peters")], [f("Matthew J. Peters")])
    False
    >>> _spellings_fit([f("M.-T. Luong")], [f("Thang Luong"), f("Minh-Thang Luong")])
    True
    """
    def clash(p: NameForm, q: NameForm) -> bool:
        return name_match(p, q) is None and not _other_family(p, q)

    for mine, theirs in ((one, other), (other, one)):
        if any(clash(p, q) for k, p in enumerate(mine) for q in mine[k + 1:]):
            continue  # already one person by an id or a rule: checked from the other side
        joined = any(clash(p, q) for k, p in enumerate(theirs) for q in theirs[k + 1:])
        for p in mine:
            fits = [not clash(p, q) for q in theirs]
            if not (any(fits) if joined else all(fits)):
                return False
    return True


@lru_cache(maxsize=1 << 16)
def _key_form(key: str) -> NameForm:
    return name_form(key)


#: co-authors looked at per side for variant names (a prolific author's circle is not compared whole)
MAX_VARIANT_COAUTHORS = 60


def _variant_coauthors(mine: dict, theirs: dict, busy=frozenset()) -> list[str]:
    """Co-authors of two candidates that are not one person to this build but whose names are variants of one
    rare name (``s della pietra`` and ``stephen a della pietra``), each side's used once, as ``a ~ b``.

    A common family name (``Wang``, or one this corpus shows with many given names) is no evidence: ``J. Li``
    and ``Jun Li`` are as likely two people as one.

    >>> _variant_coauthors({1: "s della pietra", 2: "j li"}, {3: "stephen a della pietra", 4: "jun li"})
    ['s della pietra ~ stephen a della pietra']
    """
    # keyed by the last word (the family name's) before any name is taken apart: most pairs end there
    only_b: dict[str, list[str]] = defaultdict(list)
    for person, key in islice(theirs.items(), MAX_VARIANT_COAUTHORS):
        if person not in mine:
            only_b[key.rpartition(" ")[2]].append(key)
    if not only_b:
        return []
    found, used = [], set()
    for person, key in islice(mine.items(), MAX_VARIANT_COAUTHORS):
        if person in theirs:
            continue
        last = key.rpartition(" ")[2]
        others = only_b.get(last)
        if not others or last in busy or last in COMMON_FAMILY_NAMES:
            continue
        form = _key_form(key)
        if not form.family or form.family[-1] in busy or is_common_name(form):
            continue
        for other in others:
            # (a short form, tier 3, is too weak a sign that two co-authors are one)
            if other not in used and (m := name_match(form, _key_form(other))) is not None and m[0] < 3:
                used.add(other)
                found.append(f"{key} ~ {other}")
                break
    return found


def _common_swap(form: NameForm, busy=frozenset()) -> bool:
    """Whether every word of a name is a frequent family name (listed, or one this corpus shows with many given
    names), so that the name in another order is as likely someone else: ``Wei Li`` / ``Li Wei``, not ``Chao
    Liu`` / ``Liu Chao`` (``Chao Liu`` reads one way only).

    >>> _common_swap(name_form("Wei Li")), _common_swap(name_form("Chao Liu")), _common_swap(name_form("Chao Liu"), {"chao"})
    (True, False, True)
    """
    words = form.given + form.family
    return len(words) > 1 and all(w in COMMON_FAMILY_NAMES or w in busy for w in words)


def _other_family(p: NameForm, q: NameForm) -> bool:
    """Whether two name forms have different family names (both known)."""
    return bool(p.family) and bool(q.family) and p.family[-1] != q.family[-1]


def _coauthor_people(pending, units, find, occurrences):
    """For the candidate pairs ``pending``, a function giving a unit's co-authors as the people this build
    makes of them so far (unit roots: after the splits and the joins by id), each with a name key to show.

    A co-author key the build split into several people is left out (namesakes are no evidence); a key
    no unit carries (a name outside the engine's view) stands for itself.
    """
    wanted: set[str] = set()
    for _, a, b, *_ in pending:
        wanted |= units[a].coauthors
        wanted |= units[b].coauthors
    roots: dict[str, set[int]] = defaultdict(set)
    if wanted:
        keys = getattr(occurrences, "keys", None)
        if keys is None:  # rows given as they are: the name keys of their names
            from graphkit.keys import name_key

            names, cache = occurrences.name, {}
            keys = [cache[n] if n in cache else cache.setdefault(n, name_key(n)) for n in names]
        for u, unit in enumerate(units):
            r = None
            for i in unit.members:
                k = keys[i]
                if k in wanted:
                    if r is None:
                        r = find(u)
                    roots[k].add(r)

    made: dict[int, dict] = {}  # per unit, once: a prolific author stands in many pairs

    def people(unit: _Unit, pair: tuple[int, int]) -> dict:
        out = made.get(id(unit))
        if out is None:
            out = made[id(unit)] = {}
            for c in sorted(unit.coauthors - set(unit.exacts)):  # sorted: the order names them in explanations
                found = roots.get(c)
                if not found:
                    out[("name", c)] = c
                elif len(found) == 1:
                    (r,) = found
                    if r not in out or c < out[r]:
                        out[r] = c
        own = (find(pair[0]), find(pair[1]))
        return {p: c for p, c in out.items() if p not in own} if own[0] in out or own[1] in out else out

    return people


def _block_pairs(bkey, block, units, exact_form):
    """Pairs of a block worth a look: the same first given name, one the start of the other (``Maria-Jose``
    and ``María José``: a hyphen joins given names into one word; ``Jon``/``Jonathan``), a short form and a
    full name the table gives it (``Mike``/``Michael``), or one side gives an initial.

    (A swap block holds one set of words in several orders: every pair.)
    """
    if bkey[0] in ("swap", "compact", "translit"):
        for x in range(len(block)):
            for y in range(x + 1, len(block)):
                yield (block[x], block[y]) if block[x] < block[y] else (block[y], block[x])
        return
    by_first: dict[str, list[int]] = defaultdict(list)
    for u in block:
        by_first[exact_form[next(iter(units[u].exacts))].given[0]].append(u)
    for first, same in by_first.items():
        if len(first) == 1:  # an initial: any name of the block may be the one it stands for
            for a in same:
                for b in block:
                    if a != b:
                        yield (a, b) if a < b else (b, a)
        else:  # a middle name more or less
            for x in range(len(same)):
                for y in range(x + 1, len(same)):
                    yield (same[x], same[y]) if same[x] < same[y] else (same[y], same[x])
    if len(by_first) > 1:
        # a first given name that starts another (maria, mariajose): in sorted order the names a name starts
        # follow it
        full = sorted(f for f in by_first if len(f) > 1)
        for k, first in enumerate(full):
            for other in islice(full, k + 1, None):
                if not other.startswith(first):
                    break
                for a in by_first[first]:
                    for b in by_first[other]:
                        yield (a, b) if a < b else (b, a)
        # a short form and the full names the table gives it (Mike, Michael; Bill, William: filed in the W's too),
        # and spellings of one name (Mohammed, Muhammad: each pair once, from its smaller name)
        for first in full:
            for other in [*SHORT_FORMS.get(first, ()), *(o for o in SPELLINGS.get(first, ()) if o > first)]:
                if other in by_first and not other.startswith(first):
                    for a in by_first[first]:
                        for b in by_first[other]:
                            yield (a, b) if a < b else (b, a)


def _contested(u, targets, units, find, exact_form) -> bool:
    """Whether unit ``u`` has enough evidence for two people who cannot be one."""
    roots = sorted({find(t) for t in targets[u]})
    for k, r1 in enumerate(roots):
        for r2 in roots[k + 1:]:
            e1, e2 = set(units[r1].exacts), set(units[r2].exacts)
            if e1 & e2 or any(name_match(exact_form[x], exact_form[y]) is None for x in e1 for y in e2):
                return True
    return False


def occurrences_from_records(records) -> list[Occurrence]:
    """One :class:`Occurrence` per shown author of each record (inferred owners left out).

    Co-authors are the other shown authors' name keys; an affiliation is its
    first id (``ror:...``) when the source gives one, else its name. A
    record's paper is its first id, else its source and line.

    >>> from graphkit.models import PaperRecord
    >>> rec = PaperRecord(title="T", authors=("Ada Lovelace", "Charles Babbage"), source="x.bib", line=4)
    >>> [(o.name, o.coauthors, o.paper, o.position) for o in occurrences_from_records([rec])]
    [('Ada Lovelace', ('charles babbage',), 'x.bib:4', 0), ('Charles Babbage', ('ada lovelace',), 'x.bib:4', 1)]
    """
    out: list[Occurrence] = []
    for rec in records:
        shown = [a for a in rec.authors if not a.inferred]
        keys = [name_key(a.name) for a in shown]
        where = locator(rec)
        paper = rec.ids[0] if rec.ids else where
        for n, a in enumerate(shown):
            affs = tuple(aff.ids[0] if aff.ids else aff.name for aff in a.affiliations if aff.ids or aff.name)
            co = () if len(keys) > 100 else tuple(k for m, k in enumerate(keys) if m != n and k)  # hyperauthored: no evidence
            out.append(Occurrence(a.name, a.given, a.family, a.ids, affs, co, paper,
                                  a.position if a.position is not None else n, where))
    return out


def identity_rows(report: dict, *, name: str | None = None, kinds: Sequence[str] = ()) -> list[dict]:
    """The rows ``graphkit identities`` prints, from a build's ``report.json``.

    One row per identity decision (merge, split, ambiguous, identifier,
    conflict, curation) with its evidence, then, when ``name`` is given, one
    ``author`` row per author of that name with its explanation. ``name``
    matches any spelling (case, accents, hyphens do not matter) or an author
    id; ``kinds`` keeps only those kinds. A report from before the identity
    section falls back on its author merges and ambiguous pairs.

    >>> report = {"identities": {"decisions": [
    ...     {"kind": "split", "keys": ["author:lei-zhang", "author:lei-zhang~ibm"], "names": ["Lei Zhang"],
    ...      "reason": "2 people: different affiliations", "occurrences": 5},
    ...     {"kind": "ambiguous", "keys": ["author:chao-liu", "author:liu-chao"], "names": ["Chao Liu", "Liu Chao"],
    ...      "reason": "the same names in another order, but no shared affiliation: not merged", "occurrences": 2}],
    ...     "authors": {"author:lei-zhang~ibm": "3 occurrence(s) as lei zhang: one of 2 people named 'Lei Zhang'"}}}
    >>> [(r["kind"], r["authors"]) for r in identity_rows(report, name="LEI ZHANG")]
    [('split', ['author:lei-zhang', 'author:lei-zhang~ibm']), ('author', ['author:lei-zhang~ibm'])]
    >>> len(identity_rows(report, kinds=["ambiguous"]))
    1
    """
    section = report.get("identities")
    if section is None:  # a report written before identities had their own section
        decisions = [{"kind": "merge", "keys": [m.get("id")], "names": m.get("merged", []), "reason": m.get("reason", ""),
                      "occurrences": None} for m in report.get("merges", []) if m.get("kind") == "author"]
        decisions += [{"kind": "ambiguous", "keys": [a.get("a"), a.get("b")], "names": a.get("names", []),
                       "reason": a.get("reason", ""), "occurrences": None} for a in report.get("ambiguous", [])]
        section = {"decisions": decisions, "authors": {}}
    else:  # spellings merged under one key are in the report's merges, not among the decisions
        covered = {k for d in section.get("decisions", []) if d.get("kind") in ("merge", "identifier") for k in d.get("keys", [])}
        section = dict(section, decisions=list(section.get("decisions", [])) + [
            {"kind": "merge", "keys": [m.get("id")], "names": m.get("merged", []), "reason": m.get("reason", ""),
             "occurrences": None}
            for m in report.get("merges", []) if m.get("kind") == "author" and m.get("id") not in covered])
    wanted = name_form(name).exact if name else None
    wanted_id = "author:" + name_key(name).replace(" ", "-") if name else None

    def about(names, keys) -> bool:
        if wanted is None:
            return True
        return any(name_form(n).exact == wanted for n in names) or any(
            k and (k == name or k == wanted_id or k.startswith(wanted_id + "~")) for k in keys)

    rows = []
    for d in section.get("decisions", []):
        if kinds and d.get("kind") not in kinds:
            continue
        if not about(d.get("names", []), d.get("keys", [])):
            continue
        rows.append({"kind": d.get("kind"), "names": list(d.get("names", [])), "authors": list(d.get("keys", [])),
                     "occurrences": d.get("occurrences", 0), "evidence": d.get("reason", "")})
    if (wanted is not None and not kinds) or "author" in kinds:  # --kind author alone: every explanation
        for aid, text in sorted(section.get("authors", {}).items()):
            if about((), (aid,)):
                rows.append({"kind": "author", "names": [], "authors": [aid], "occurrences": None, "evidence": text})
    return rows
