"""Person names as bibliographic sources write them, split into given and family parts.

BibTeX's three name forms (``First von Last``, ``von Last, First``,
``von Last, Jr, First``), braced corporate names, initials, and the
``Last, First`` / ``First Last`` forms of RIS, Scopus and Web of Science all
go through :func:`split_name`. BibTeX author lists are split on ``and`` by
:func:`split_and`; the von particle is found by BibTeX's own rule (a word
starting with a lower-case letter), with braces protecting a word.

>>> split_name("von Neumann, John")
PersonName(name='John von Neumann', given='John', family='von Neumann')
>>> split_name("Ludwig van der Maaten")
PersonName(name='Ludwig van der Maaten', given='Ludwig', family='van der Maaten')
>>> split_name("Steele, Jr., Guy L.")
PersonName(name='Guy L. Steele Jr.', given='Guy L.', family='Steele')
>>> split_name("{World Health Organization}")
PersonName(name='World Health Organization', given=None, family='World Health Organization')
>>> split_name(r"Petrovi{\\'c}, Sa{\\v{s}}a")
PersonName(name='Saša Petrović', given='Saša', family='Petrović')
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from graphkit.keys import name_key
from graphkit.models import AuthorRef
from graphkit.readers._latex import decode_latex

__all__ = ["AuthorIndex", "PersonName", "author_ref", "is_etal", "last_first_suffix", "split_and", "split_name"]


class PersonName(NamedTuple):
    """A person's name: display form (given first), and the parts where known.

    ``family`` includes a von particle (``van der Maaten``); a suffix such as
    ``Jr.`` is kept in the display name only. A single-word or corporate
    name has no ``given`` part.
    """

    name: str
    given: str | None
    family: str | None


# "and" between names, and a dangling one at either end ("Smith, J. and ",
# "and Lee, K."): hand-edited and truncated bibliographies leave them.
_AND = re.compile(r"\s*(?<!\S)and(?!\S)\s*", re.I)
# Spaces and ties separate words; \~ is an accent (Jo\~{a}o), not a tie.
_SEPARATORS = re.compile(r"(?:\s|(?<!\\)~)+")
# A brace opening a word without a command after it protects the word
# ({World Health Organization}, {van Gogh}) and changes how the name splits.
_PROTECTED = re.compile(r"(?:^|[\s,]|(?<!\\)~)\{(?!\\)")


# What exporters write in place of the authors they leave out: never a person.
_ETAL = re.compile(r"^\W*(?:and\s+)?(?:et\.?\s*al(?:ii|\.)*|etc\.?|others|u\.\s*a\.|\[?\.\.\.\]?|…)\W*$", re.I)


def is_etal(raw: str) -> bool:
    """Whether a written name is a placeholder for authors left out (``et al.``, ``etc.``, ``others``, ``...``).

    >>> [is_etal(x) for x in ("et al.", "Et Al", "{others}", "and others", "...", "et. al.", "Al, Et", "Ethan Allen")]
    [True, True, True, True, True, True, False, False]
    >>> [is_etal(x) for x in ("etc.", "etc", "and etc.", "Etcheverry")]
    [True, True, True, False]
    """
    return _ETAL.match(raw) is not None


def _rejoin(pieces: list[str], glue: str) -> list[str]:
    """Pieces of a split glued back together where the split fell inside braces."""
    out: list[str] = []
    open_count = 0
    for piece in pieces:
        if open_count > 0:
            out[-1] += glue + piece
        else:
            out.append(piece)
        open_count += piece.count("{") - piece.count("}")
    return out


def split_and(value: str) -> list[str]:
    """A BibTeX author or editor field split into its names (``and`` inside braces does not split).

    >>> split_and("Lee, Kenton and {Barnes and Noble} and Luke Zettlemoyer and others")
    ['Lee, Kenton', '{Barnes and Noble}', 'Luke Zettlemoyer', 'others']
    >>> split_and("  ")
    []
    >>> split_and("Smith, J. and "), split_and("and Lee, K. and and Sand, Andy"), split_and("A And")
    (['Smith, J.'], ['Lee, K.', 'Sand, Andy'], ['A And'])
    """
    text = value.strip()
    pieces, start = [], 0
    for m in _AND.finditer(text):
        # "And" capitalised at either end is a name ("A And"); a dangling lower-case "and" is a separator
        if m.group().strip() == "and" or (m.start() > 0 and m.end() < len(text)):
            pieces.append(text[start:m.start()])
            start = m.end()
    pieces.append(text[start:])
    if "{" in value:
        pieces = _rejoin(pieces, " and ")
    return [piece.strip() for piece in pieces if piece.strip()]


def _split_depth0(text: str, separator: str) -> list[str]:
    """``text`` split on commas, or on spaces and ties, outside braces (keeps the braces)."""
    pieces = text.split(",") if separator == "," else _SEPARATORS.split(text)
    if "{" in text:
        pieces = _rejoin(pieces, separator)
    return pieces


def _is_lower(word: str) -> bool:
    """BibTeX's test for a von word: its first letter (outside protective braces) is lower case."""
    if word.startswith("{"):
        if not word.startswith("{\\"):
            return False  # a braced word is protected: never a von particle
        word = decode_latex(word)
    for c in word:
        if c.isalpha():
            return c.islower()
        if c == "{":
            return False
    return False


def _words(text: str) -> list[str]:
    return [w for w in _split_depth0(text.strip(), " ") if w]


def _von_last(words: list[str]) -> tuple[list[str], list[str]]:
    """The ``von Last`` words split: the last word is always Last; von runs to the last lower-case word before it."""
    cut = 0
    for i in range(len(words) - 1):
        if _is_lower(words[i]):
            cut = i + 1
    return words[:cut], words[cut:]


def _clean(words: list[str]) -> str | None:
    text = " ".join(words)
    if not text:
        return None
    text = decode_latex(text)
    return text or None


def _split_plain(raw: str) -> PersonName | None:
    """The common case fast: no braces, no LaTeX, no von particle, at most one comma."""
    family_part, comma, given_part = raw.partition(",")
    if "," in given_part:
        return None
    words = family_part.split()
    if not words:
        return None
    if comma:
        if any(w[0].islower() for w in words[:-1]):
            return None
        family, given = " ".join(words), " ".join(given_part.split()) or None
    else:
        if any(w[0].islower() for w in words[:-1]):
            return None
        family, given = words[-1], " ".join(words[:-1]) or None
    if "--" in raw or "''" in raw or "``" in raw:
        return None  # let decode_latex turn them into dashes and quotes
    return PersonName(f"{given} {family}" if given else family, given, family)


_JR = re.compile(r"(?:jr|sr)\.?", re.I)
_NUMERAL = re.compile(r"II|III")  # not "IV": Web of Science writes I. V. Petrov as "Petrov, IV"


def _trailing_suffix(raw: str) -> tuple[str, str] | None:
    """(the name without it, the suffix) when ``raw`` ends with a generational suffix written after the
    name: ``Guy L. Steele, Jr.``, ``King, Martin Luther, Jr.``, ``Guy L. Steele Jr.``, ``John Doe III``.

    ``Smith, Jr.`` alone and BibTeX's ``Steele, Jr., Guy L.`` (the suffix in the middle) are left as written.
    """
    text = raw.strip()
    head, comma, last = text.rpartition(",")
    if comma and _JR.fullmatch(last.strip()) and ("," in head or len(head.split()) >= 2):
        return head.strip(), last.strip()
    words = text.split()
    if (len(words) >= 3 and "," not in text and (_JR.fullmatch(words[-1]) or (
            _NUMERAL.fullmatch(words[-1]) and not words[-2].isupper()))):
        return " ".join(words[:-1]), words[-1]
    return None


_RUN_INITIALS = re.compile(r"[A-Z]{2,3}")


@lru_cache(maxsize=1 << 16)
def split_name(raw: str) -> PersonName:
    r"""One person's name split into given and family parts, LaTeX decoded.

    Parameters
    ----------
    raw : str
        One name in any BibTeX form, or ``Last, First`` / ``First Last`` as
        RIS, Scopus, Web of Science and CSL literals write them.

    Returns
    -------
    PersonName
        ``name`` is the display form, given names first; empty when ``raw``
        holds no name at all.

    Examples
    --------
    >>> split_name("Lee, Kenton")
    PersonName(name='Kenton Lee', given='Kenton', family='Lee')
    >>> split_name("Zettlemoyer, L. S.")
    PersonName(name='L. S. Zettlemoyer', given='L. S.', family='Zettlemoyer')
    >>> split_name(r"Charles Louis Xavier Joseph de la Vall{\'e}e Poussin")
    PersonName(name='Charles Louis Xavier Joseph de la Vallée Poussin', given='Charles Louis Xavier Joseph', family='de la Vallée Poussin')
    >>> split_name("Guy L. Steele, Jr."), split_name("Guy L. Steele Jr.")  # a suffix is not a name part
    (PersonName(name='Guy L. Steele Jr.', given='Guy L.', family='Steele'), PersonName(name='Guy L. Steele Jr.', given='Guy L.', family='Steele'))
    >>> split_name("Muller, KR"), split_name("LI, YU").name  # initials run together; a name in capitals is left
    (PersonName(name='K. R. Muller', given='K. R.', family='Muller'), 'YU LI')
    >>> split_name("Zhifeng~Chen"), split_name("Aristotle")
    (PersonName(name='Zhifeng Chen', given='Zhifeng', family='Chen'), PersonName(name='Aristotle', given=None, family='Aristotle'))
    """
    person = _split_name(raw)
    if person.family and " " in person.family and _JR.fullmatch(person.family.rsplit(" ", 1)[1]):
        # "Hajic jr., Jan" (ACL Anthology): the suffix written into the family part
        family, suffix = person.family.rsplit(" ", 1)
        return PersonName(" ".join(p for p in (person.given, family, suffix) if p), person.given, family)
    if "," in raw and person.given and person.family and not person.family.isupper() and any(
            _RUN_INITIALS.fullmatch(t) for t in person.given.split()):
        # "Muller, KR", "Newman, Mark EJ" (Web of Science, Google Scholar): initials written run together
        given = " ".join(". ".join(t) + "." if _RUN_INITIALS.fullmatch(t) else t for t in person.given.split())
        return PersonName(f"{given} {person.family}", given, person.family)
    return person


def _split_name(raw: str) -> PersonName:
    if (suffixed := _trailing_suffix(raw)) is not None:
        rest, suffix = suffixed
        person = split_name(rest)
        if person.name:
            return PersonName(f"{person.name} {suffix}", person.given, person.family)
    if "{" not in raw and "\\" not in raw and "~" not in raw:
        plain = _split_plain(raw)
        if plain is not None:
            return plain
    elif _PROTECTED.search(raw) is None:
        # Braces only around accents (Petrovi{\'c}): decode first, then the
        # name splits like any other; only protective braces need the slow way.
        plain = _split_plain(decode_latex(raw))
        if plain is not None:
            return plain
    parts = _split_depth0(raw, ",")
    jr: str | None = None
    if len(parts) == 1:
        words = _words(parts[0])
        if not words:
            return PersonName("", None, None)
        first_lower = next((i for i in range(len(words) - 1) if _is_lower(words[i])), None)
        if first_lower is None:
            given, family = _clean(words[:-1]), _clean(words[-1:])
        else:
            von, last = _von_last(words[first_lower:])
            given, family = _clean(words[:first_lower]), _clean(von + last)
    else:
        words = _words(parts[0])
        if len(parts) == 2:
            given = _clean(_words(parts[1]))
        else:
            jr = _clean(_words(parts[1]))
            given = _clean(_words(" ".join(parts[2:])))
        von, last = _von_last(words)
        family = _clean(von + last)
        if family is None:  # ", First": nothing before the comma
            family, given = given, None
    display = " ".join(p for p in (given, family, jr) if p)
    return PersonName(display, given, family)


def author_ref(raw: str, position: int) -> AuthorRef | None:
    """An :class:`~graphkit.models.AuthorRef` for one written name at one position, None for no name.

    The name split is cached (a large bibliography repeats its people); the
    record is not, since name and position together rarely repeat.

    >>> author_ref("Dettmers, Tim", 0)
    AuthorRef(name='Tim Dettmers', given='Tim', family='Dettmers', position=0, ids=(), affiliations=(), inferred=False)
    >>> author_ref(" ", 1) is None
    True
    """
    person = split_name(raw)
    if not person.name:
        return None
    return AuthorRef(name=person.name, given=person.given, family=person.family, position=position)


def last_first_suffix(raw: str) -> str:
    """``Last, First, Suffix`` (RIS, Web of Science) in BibTeX's order ``Last, Suffix, First`` for :func:`split_name`.

    >>> split_name(last_first_suffix("Steele, Guy L., Jr."))
    PersonName(name='Guy L. Steele Jr.', given='Guy L.', family='Steele')
    """
    parts = [p.strip() for p in raw.split(",")]
    if len(parts) == 3:
        return f"{parts[0]}, {parts[2]}, {parts[1]}"
    return raw


class AuthorIndex:
    """Finds the authors of one record that a ``Last, First`` name (Web of Science's spelling, in its C1
    addresses, OI ORCIDs and BibTeX export fields) stands for."""

    def __init__(self, persons: list[PersonName]):
        self.full: dict[str, list[int]] = {}
        self.family: dict[str, list[tuple[int, str]]] = {}
        for i, person in enumerate(persons):
            self.full.setdefault(name_key(person.name), []).append(i)
            self.family.setdefault(name_key(person.family or person.name), []).append((i, name_key(person.given or "")))

    def has_family(self, name: str) -> bool:
        return name_key(name) in self.family

    def positions(self, written: str) -> list[int]:
        """The positions of the authors ``written`` may name: those of the full name, else those whose family
        name and given name or initial agree. More than one means the name fits several authors.

        >>> index = AuthorIndex([split_name(n) for n in ("Weld, Daniel S.", "Lee, Kenton", "Lee, Kathy", "Wang, Wei")])
        >>> index.positions("Lee, K"), index.positions("Lee, Kenton"), index.positions("Wang, Wen"), index.positions("Wang, W")
        ([1, 2], [1], [], [3])
        """
        key = name_key
        person = split_name(last_first_suffix(written.strip()))
        if not person.name:
            return []
        found = self.full.get(key(person.name))
        if found:
            return list(found)
        given = key(person.given or "").split()[:1]
        fits = []
        for i, other in self.family.get(key(person.family or person.name), []):
            first = other.split()[:1]
            if not given or not first:
                fits.append(i)
            elif len(given[0]) > 1 and len(first[0]) > 1:
                if given[0] == first[0]:
                    fits.append(i)
            elif given[0][0] == first[0][0]:
                fits.append(i)
        return fits

    def find(self, written: str) -> int | None:
        """The position of the one author ``written`` names, or None unless exactly one fits.

        >>> index = AuthorIndex([split_name(n) for n in ("Weld, Daniel S.", "Lee, Kenton", "Lee, Kathy", "Wang, Wei")])
        >>> index.find("Weld, Daniel"), index.find("Lee, K"), index.find("Lee, Kenton"), index.find("Wang, Wen"), index.find("Wang, W")
        (0, None, 1, None, 3)
        """
        fits = self.positions(written)
        return fits[0] if len(fits) == 1 else None
