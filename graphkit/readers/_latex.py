"""LaTeX accents, escapes and markup in bibliographic text, decoded to Unicode.

BibTeX files, arXiv metadata and DBLP exports write names and titles in
LaTeX: ``{\\"u}``, ``\\'{\\i}``, ``{\\O}``, ``\\c{c}``, ``~`` for a tie, ``--`` for
a dash, braces to protect capitals. :func:`decode_latex` turns such text
into the plain Unicode a reader shows, fast: one precompiled pattern, and
text without any LaTeX in it only has its whitespace collapsed.

>>> decode_latex(r"Petrovi{\\'c} and {\\O}ion")
'Petrović and Øion'
>>> decode_latex(r"J{\\"{u}}rgen~Schmidhuber")
'Jürgen Schmidhuber'
>>> decode_latex(r"Mar\\'{\\i}a Garc\\'\\i a")
'María García'
>>> decode_latex(r"{BERT}: Pre-training of Deep Bidirectional {T}ransformers")
'BERT: Pre-training of Deep Bidirectional Transformers'
>>> decode_latex(r"Pages 1--10 \\& more---really")
'Pages 1–10 & more—really'

Unknown commands are not guessed at: one that takes a braced argument keeps
the argument (``\\emph{x}`` -> ``x``); one on its own keeps its name
(``\\LaTeX`` -> ``LaTeX``), so no letters silently vanish.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["decode_latex", "has_latex"]

# Accent commands -> the Unicode combining mark they put on the next letter.
_ACCENTS = {
    "`": "\u0300", "'": "\u0301", "^": "\u0302", "~": "\u0303", "=": "\u0304", "u": "\u0306",
    ".": "\u0307", '"': "\u0308", "r": "\u030a", "H": "\u030b", "v": "\u030c", "d": "\u0323",
    "c": "\u0327", "k": "\u0328", "b": "\u0331", "t": "\u0361",
}  # fmt: skip

# Control words that stand for one character (or a short string).
_SYMBOLS = {
    "i": "ı", "j": "ȷ", "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "ss": "ß", "SS": "SS",
    "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "dh": "ð", "DH": "Ð",
    "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ", "i": "ı",
    "textendash": "–", "textemdash": "—", "ldots": "…", "dots": "…", "textellipsis": "…",
    "textquoteleft": "‘", "textquoteright": "’", "textquotesingle": "'", "textquotedbl": '"', "textquotedblleft": "“", "textquotedblright": "”",
    "quad": " ", "qquad": " ", "space": " ", "newline": " ", "par": " ", "textbackslash": "\\",
    "textasciitilde": "~", "textasciicircum": "^", "textunderscore": "_", "textbar": "|",
    "textless": "<", "textgreater": ">", "textregistered": "®", "texttrademark": "™",
    "copyright": "©", "textcopyright": "©", "pounds": "£", "euro": "€", "texteuro": "€",
    "textdegree": "°", "S": "§", "P": "¶", "dag": "†", "ddag": "‡", "guillemotleft": "«",
    "guillemotright": "»", "textperiodcentered": "·", "textbullet": "•",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
    "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ",
    "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ",
    "Omega": "Ω", "sim": "∼", "times": "×", "pm": "±", "leq": "≤", "le": "≤", "geq": "≥",
    "ge": "≥", "neq": "≠", "approx": "≈", "infty": "∞", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "cdot": "·", "circ": "∘", "ell": "ℓ", "partial": "∂", "nabla": "∇",
    "in": "∈", "sum": "∑", "prod": "∏", "log": "log", "ast": "∗", "star": "⋆",
    "sqrt": "√", "ll": "≪", "gg": "≫", "ne": "≠", "cdots": "⋯", "propto": "∝", "hbar": "ℏ",
    "leftrightarrow": "↔", "Rightarrow": "⇒", "mapsto": "↦", "forall": "∀", "exists": "∃",
    "varrho": "ϱ", "vartheta": "ϑ", "varpi": "ϖ", "Upsilon": "Υ", "emptyset": "∅", "int": "∫",
}  # fmt: skip

# Math sub- and superscripts of digits and signs (H$_2$O, $^{13}$C, Q$^2$) as
# the Unicode characters titles print; other scripts keep their text.
_SCRIPT = re.compile(r"(?<!\\)([_^])(?:\{([0-9+\-=()]+)\}|([0-9+\-]))")
_SINGLE_QUOTES = re.compile(r"`([^`'\n]*)'")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SUPER = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")


def _script(m: re.Match) -> str:
    digits = m.group(2) if m.group(2) is not None else m.group(3)
    return digits.translate(_SUB if m.group(1) == "_" else _SUPER)

# Control words whose trailing spaces TeX's rule eats here too: letters
# (Bj\o rn) and quotes (d\textquotesingle Alch\'e).
_LETTERS = frozenset(
    "i j o O l L ss SS ae AE oe OE aa AA dh DH th TH ng NG dj DJ textquotesingle textquotedbl "
    "textquoteleft textquoteright textquotedblleft textquotedblright".split()
)

# Formatting commands whose (braced) argument is the text itself.
_DROP = frozenset(
    "emph textit textbf textsc texttt textrm textsf textsl textup textmd textnormal mbox "
    "hbox text mathrm mathit mathbf mathsf mathtt mathcal mathbb mathnormal url href "
    "it bf sc tt rm sf sl em noopsort protect relax nocase bibitem textsuperscript "
    "textsubscript ensuremath boldsymbol operatorname".split()
)

# Control symbols: a backslash and one non-letter.
_CONTROL = {
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", "\\": " ",
    " ": " ", ",": " ", ";": " ", ":": " ", "!": "", "/": "", "-": "", "@": "",
}  # fmt: skip

_BRACED = r"\s*\{\s*(\\[ij](?![A-Za-z])|[^{}\\\s]*)\s*\}"
# A bare \i eats the spaces after it, as any control word does in TeX.
_BARE = r"(\\[ij](?![A-Za-z])\s*|[A-Za-z0-9])"
_TOKEN = re.compile(
    # 1-3: accent made of punctuation, its braced or bare argument
    r"\\([`'^\"~=.])(?:" + _BRACED + r"|\s*" + _BARE + ")"
    # 4-6: accent named by one letter: needs a brace or a space before its argument
    + r"|\\([cvuHkdbrt])(?![A-Za-z])(?:" + _BRACED + r"|\s+" + _BARE + ")"
    # 7-8: a control word and the spaces after it
    + r"|\\([A-Za-z]+)(\s*)"
    # 9: a control symbol
    + r"|\\(.)"
    # 10: ligatures and ties
    + r"|(---|--|``|''|~|\$|\\)",
    re.S,
)
_BACKSLASH_LOST = re.compile(r"\{(['\"`^~])\{(\\?[A-Za-z])\}\}")
_NEEDS_WORK = re.compile(r"[\\{}~$`]|--|''")
_LIGATURES = {"---": "—", "--": "–", "``": "“", "''": "”", "~": " ", "$": "", "\\": ""}


def _accent(mark: str, arg: str | None) -> str:
    if not arg:
        return ""
    arg = arg.rstrip()
    if arg in ("\\i", "\\j"):
        arg = arg[1]  # an accent on a dotless i is an accented i
    return unicodedata.normalize("NFC", arg[0] + mark + arg[1:])


# Replacements by token (``\\'c``, ``\\v{s}``, ``--``): the same few tokens
# recur all through a file, and a dict lookup is cheaper than re-deciding.
_DONE: dict[str, str] = {}


def _replace(m: re.Match) -> str:
    token = m.group(0)
    done = _DONE.get(token)
    if done is not None:
        return done
    text = _decide(m)
    # An unknown command's output depends on what follows it: not cached.
    if (m.group(7) is None or m.group(7) in _SYMBOLS or m.group(7) in _DROP) and len(_DONE) < 4096:
        _DONE[token] = text
    return text


def _decide(m: re.Match) -> str:
    if m.group(1) is not None:
        return _accent(_ACCENTS[m.group(1)], m.group(2) if m.group(2) is not None else m.group(3))
    if m.group(4) is not None:
        return _accent(_ACCENTS[m.group(4)], m.group(5) if m.group(5) is not None else m.group(6))
    word = m.group(7)
    if word is not None:
        # TeX eats the spaces after a control word; only a letter (Bj\o rn)
        # loses them here, since writers rarely protect \ldots or \LaTeX.
        space = " " if m.group(8) else ""
        symbol = _SYMBOLS.get(word)
        if symbol is not None:
            return symbol if word in _LETTERS else symbol + space
        if word in _DROP:
            return ""
        # An unknown command with an argument keeps the argument (the braces
        # go later); without one it keeps its name, so nothing vanishes.
        end = m.end()
        return "" if end < len(m.string) and m.string[end] == "{" else word + space
    if m.group(9) is not None:
        return _CONTROL.get(m.group(9), m.group(9))
    return _LIGATURES[m.group(10)]


# An accent on an accented letter (Vietnamese: Nguy\~{\^e}n), or on \i written
# with braces of its own: the inner command is decoded first.
_NESTED = re.compile(r"\\([`'^\"~=.]|[cvuHkdbrt](?![A-Za-z]))\s*\{\s*(\\[^{}]*(?:\{[^{}]*\})?)\s*\}")


def _nested(m: re.Match) -> str:
    inner = m.group(2).strip()
    if inner in ("\\i", "\\j"):
        return _accent(_ACCENTS[m.group(1)], inner)  # an accented dotless i is an accented i
    inner = _TOKEN.sub(_replace, inner).replace("{", "").replace("}", "").strip()
    return _accent(_ACCENTS[m.group(1)], inner)


def has_latex(text: str) -> bool:
    """Whether ``text`` holds anything :func:`decode_latex` would change besides spacing.

    >>> has_latex("Kenton Lee"), has_latex(r"G{\\"o}del")
    (False, True)
    """
    return _NEEDS_WORK.search(text) is not None


def decode_latex(text: str) -> str:
    """``text`` with LaTeX accents, escapes, dashes, ties and braces decoded to Unicode.

    Whitespace runs (newlines included) become one space and the ends are
    stripped. Never raises: unbalanced braces and stray backslashes are
    dropped, not reported.

    Parameters
    ----------
    text : str
        A BibTeX field value, an arXiv title or author list, a DBLP name.

    Returns
    -------
    str
        The text in NFC Unicode.

    Examples
    --------
    >>> decode_latex(r"\\v{S}imon Kri\\v{z}an and Ste{\\ss}en")
    'Šimon Križan and Steßen'
    >>> decode_latex("\\\\emph{Deep} $\\\\alpha$-nets   over\\nlines")
    'Deep α-nets over lines'
    >>> decode_latex(r"Nguy{\\~{\\^e}}n Du")
    'Nguyễn Du'
    >>> decode_latex(r"{\\L}ukasz Kaiser and \\c{C}a\\u{g}lar G\\\"{u}l\\c cehre")
    'Łukasz Kaiser and Çağlar Gülçehre'
    >>> decode_latex("St{'{e}}fan van der Walt and Jaime Fern{'{a}}ndez del R{'{\\\\i}}o")
    'Stéfan van der Walt and Jaime Fernández del Río'
    >>> decode_latex(r"Counting H$_2$O and $^{13}$C at $\\sqrt{s}=7$ TeV")
    'Counting H₂O and ¹³C at √s=7 TeV'
    >>> decode_latex("Collective dynamics of `small-world' networks, Newton's law")
    "Collective dynamics of ‘small-world’ networks, Newton's law"
    >>> decode_latex("Null\\x00 byte\\x1b[0m and \\u200d kept")
    'Null byte[0m and \u200d kept'
    >>> decode_latex("plain   text\\n")
    'plain text'
    """
    if _NEEDS_WORK.search(text) is not None:
        if "{'{" in text or '{"{' in text or "{`{" in text:
            # Some exporters drop the backslash: St{'{e}}fan means St{\'{e}}fan.
            text = _BACKSLASH_LOST.sub(r"{\\\1{\2}}", text)
        if "$" in text:
            text = _SCRIPT.sub(_script, text)
        if "{\\" in text:
            text = _NESTED.sub(_nested, text)
        text = _TOKEN.sub(_replace, text)
        if "`" in text:
            # TeX's single quotes `small-world' (a lone ' stays: it is an apostrophe)
            text = _SINGLE_QUOTES.sub("‘\\1’", text)
        text = text.replace("{", "").replace("}", "")
        text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split())
    if not text.isprintable():
        # NUL and other control bytes (a corrupt export) have no place in a
        # title or a name, and break the store's CSV and the maps' JSON.
        text = " ".join("".join(c for c in text if unicodedata.category(c) != "Cc").split())
    return text
