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
from typing import NamedTuple

from graphkit.readers._latex import decode_latex

__all__ = ["PersonName", "split_and", "split_name"]


class PersonName(NamedTuple):
    """A person's name: display form (given first), and the parts where known.

    ``family`` includes a von particle (``van der Maaten``); a suffix such as
    ``Jr.`` is kept in the display name only. A single-word or corporate
    name has no ``given`` part.
    """

    name: str
    given: str | None
    family: str | None


_AND = re.compile(r"\s+and\s+", re.I)
_SEPARATORS = re.compile(r"[\s~]+")


def split_and(value: str) -> list[str]:
    """A BibTeX author or editor field split into its names (``and`` inside braces does not split).

    >>> split_and("Lee, Kenton and {Barnes and Noble} and Luke Zettlemoyer and others")
    ['Lee, Kenton', '{Barnes and Noble}', 'Luke Zettlemoyer', 'others']
    >>> split_and("  ")
    []
    """
    if "{" not in value:
        return [part.strip() for part in _AND.split(value.strip()) if part.strip()]
    names, start, depth = [], 0, 0
    lowered = value.lower()
    i, n = 0, len(value)
    while i < n:
        c = value[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and c.isspace() and lowered.startswith("and", i + 1):
            j = i + 4
            if j < n and value[j].isspace():
                names.append(value[start:i])
                start, i = j, j
                continue
        i += 1
    names.append(value[start:])
    return [name.strip() for name in names if name.strip()]


def _split_depth0(text: str, separator: str) -> list[str]:
    """``text`` split on ``separator`` characters outside braces (keeps the braces)."""
    if "{" not in text:
        if separator == ",":
            return text.split(",")
        return _SEPARATORS.split(text)
    parts, current, depth = [], [], 0
    for c in text:
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        if depth == 0 and (c == "," if separator == "," else (c.isspace() or c == "~")):
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
    parts.append("".join(current))
    return parts


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
    >>> split_name("Zhifeng~Chen"), split_name("Aristotle")
    (PersonName(name='Zhifeng Chen', given='Zhifeng', family='Chen'), PersonName(name='Aristotle', given=None, family='Aristotle'))
    """
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
