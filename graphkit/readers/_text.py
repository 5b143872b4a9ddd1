"""Bytes to text for the text-format readers (BibTeX, RIS, CSL-JSON, Scopus, Web of Science).

A byte-order mark decides the encoding (UTF-8, UTF-16, UTF-32); without one
the text is UTF-8. A file that is not UTF-8 is read in the legacy encoding
its bytes fit (:func:`legacy_encoding`), reported once, with the line of its first
non-ASCII byte:

- GB18030 (of which GBK and GB2312 are subsets): what Chinese Windows tools
  and reference managers write. Chosen when the text decodes as GB18030
  (strictly), most of its non-ASCII characters are two bytes above 127 each,
  and at least two such characters stand together (a word or a name). A
  Western 8-bit text almost never passes: its accented letters stand alone
  between ASCII letters, where GB18030 either fails or pairs the accent with
  the ASCII letter after it; only four accented letters in a row would make
  two characters standing together.
- Windows-1252 (cp1252): an 8-bit text through and through (no valid UTF-8
  multi-byte character, some bytes above 127: Excel's CSV, EndNote and old
  JabRef exports).

- Big5 (cp950), EUC-JP, Shift-JIS (cp932), EUC-KR (cp949): the text is read
  in each East Asian encoding, and a reading counts only when it decodes
  strictly, holds nothing a name or title never has (private-use or
  unassigned code points, controls, half-width katakana, box drawing,
  another script's letters such as kana read as Chinese, a small kana after
  no kana), has two letters standing together, and at least 60% of its
  letters are its language's common ones (the first level of GB2312, Big5,
  JIS X 0208; kana; Hangul syllables); Japanese also needs kana. Of those,
  the first in the order GB18030, EUC-JP, EUC-KR, Big5, Shift-JIS whose
  share is within 0.25 of the best is taken (the EUC forms, every byte
  above 160, fit Big5's wider ranges; Big5 text rarely fits theirs). Korean
  read as GB18030 is all first-level hanzi: at least 12 letters, all Hangul
  in the EUC-KR reading, make it Korean (Chinese text keeps out of EUC-KR's
  Hangul rows for that long well under once in a thousand); fewer keep
  GB18030 with a hint. Byte pairs that read as Chinese with no reading
  counting are read as GB18030 under a problem that says the names may be
  wrong. Kanji-only Japanese and short Big5 text read the same as Chinese:
  GB18030.

- Windows-1250 (Central European: Polish, Czech, Slovak, ...), ISO-8859-2
  (the same letters at other bytes) and Windows-1258 (Vietnamese) for
  8-bit text that is no East Asian text, when their reading spells the
  text's words far better than Windows-1252's (:func:`_eight_bit`: a
  symbol inside a word, ``£ukasz``; letters no one language has together,
  ``Dvoøák``); else Windows-1252. Hungarian, Slovenian or Croatian text
  whose only letters beyond Western ones are ``ő ű č ć đ`` often reads as
  plausibly Western and stays Windows-1252.

Line by line (:func:`iter_lines`) the encoding is decided at the first line
with a byte above 127, on the 64 KiB from there (ASCII lines before it read
the same in every encoding), and decided again at a line that is not UTF-8
past those bytes: a legacy part joined on after UTF-8 text is read in its
encoding from its first line on. In a part read in a legacy encoding, a
line that is UTF-8 stays UTF-8 (:func:`_utf8_line`: a UTF-8 export joined
before or after a legacy one in a small file), and the legacy reading is
named at its first line that is not UTF-8.
In a UTF-8 file, bytes that are not valid are replaced (U+FFFD) and reported
once, with the line of the first one, so one stray byte costs one character,
not the file; that is decided by the decoder's error, never by a U+FFFD in
the text (a valid UTF-8 file may hold one, written by an earlier tool).

>>> decode_bytes(b"\\xef\\xbb\\xbfKenton Lee", "a.ris")
('Kenton Lee', None)
>>> text, problem = decode_bytes(b"AU  - Lee\\nAU  - M\\xfcller\\n", "a.ris")
>>> text.splitlines()[1], str(problem)
('AU  - Müller', 'a.ris:2: not UTF-8: read as Windows-1252 (cp1252), the encoding Excel and older tools write')
>>> text, problem = decode_bytes("AU  - Lee\\nAU  - 张伟\\n".encode("gbk"), "a.ris")
>>> text.splitlines()[1], str(problem)
('AU  - 张伟', 'a.ris:2: not UTF-8: read as GB18030 (Chinese; GBK and GB2312 are part of it), the encoding Chinese tools write')
>>> text, problem = decode_bytes(b"AU  - Erd\\xc5\\x91s\\nAU  - M\\xfcller\\n", "a.ris")
>>> text.splitlines(), str(problem)
(['AU  - Erdős', 'AU  - M\\ufffdller'], 'a.ris:2: bytes that are not UTF-8 replaced (first at byte 20)')
"""

from __future__ import annotations

import codecs
import html
import io
import itertools
import re
import sys
import unicodedata
from collections.abc import Iterator
from typing import BinaryIO

from graphkit.models import Problem
from graphkit.readers._files import bom_encoding

__all__ = [
    "CENTRAL_EUROPEAN", "CHINESE_ENCODING", "EAST_ASIAN_CODECS", "JSON_CONTROL", "LEGACY_ENCODING", "ControlChars", "binary_problem",
    "decode_bytes", "drop_controls", "encoding_name", "iter_lines", "legacy_8bit", "legacy_encoding",
    "rejoined", "stray_line", "stray_problem", "strip_markup", "unescape_entities",
]


_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def unescape_entities(text: str) -> str:
    """``text`` with HTML character references decoded, when it has any.

    Exporters that build records from web pages (IEEE Xplore and ScienceDirect
    RIS, CSL-JSON from citeproc tools) leave ``&amp;`` and ``&#x2013;`` in
    titles; a lone ``&`` (``Theory & Practice``) stays as it is.

    >>> unescape_entities("Theory &amp; Practice &#8211; 2nd ed."), unescape_entities("R&D; AT&T")
    ('Theory & Practice – 2nd ed.', 'R&D; AT&T')
    """
    if "&" not in text or _ENTITY.search(text) is None:
        return text
    return _ENTITY.sub(lambda m: html.unescape(m[0]), text)


# Inline formatting tags publishers and Crossref leave in titles, venues and affiliations (HTML's, JATS's): a
# tag name, then only attributes written ``name="value"``, so ``a<b and c>d`` is no tag.
_MARKUP = re.compile(
    r"</?(?:i|b|u|em|strong|sup|sub|span|sc|scp|small|tt|jats:[a-z-]+)"
    r"""(?:\s+[a-z][\w:.-]*\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=]+))*\s*/?>""", re.I)


def strip_markup(text: str) -> str:
    """``text`` without inline formatting tags (``<i>``, ``<b>``, ``<sup>``, ``<span class="x">``, ``<jats:p>``),
    their contents kept; every reader of a text format drops them alike, so one affiliation or title written with
    them in one export and without in another is the same text. A text holding such a tag only as an opening one
    without attributes (``a<b>c``, maths rather than markup) keeps it, and ``<`` as maths (``p<0.05``, ``a < b``)
    is never touched. Character references (``&amp;``) are left to :func:`unescape_entities`, after this, so an
    escaped ``&lt;i&gt;`` stays text.

    >>> strip_markup("Lab of <b>Bold</b> &amp; <i>E. coli</i> H<sub>2</sub>O"), strip_markup('<span class="sc">MIT</span>')
    ('Lab of Bold &amp; E. coli H2O', 'MIT')
    >>> strip_markup("p<0.05 and a < b"), strip_markup("if a<b and c>d"), strip_markup("x<i> and y")
    ('p<0.05 and a < b', 'if a<b and c>d', 'x<i> and y')
    """
    if "<" not in text:
        return text
    tags = [m[0] for m in _MARKUP.finditer(text)]
    if not any(tag[1] == "/" or "=" in tag for tag in tags):
        return text
    return _MARKUP.sub("", text)


# Windows' 8-bit code page: what Excel, EndNote and old JabRef write when they
# do not write UTF-8; a superset of Latin-1's printable characters.
LEGACY_ENCODING = "cp1252"
# Chinese Windows' code page and the reference managers that keep it: GBK (and GB2312) extended.
CHINESE_ENCODING = "gb18030"
# Central European Windows' code page (Polish, Czech, Slovak, Hungarian, Slovenian, Croatian, Romanian).
CENTRAL_EUROPEAN = "cp1250"
_PEEK = 1 << 16
_UTF8_FFFD = "\ufffd".encode()
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_CJK_BESIDE_ASCII = re.compile(r"[A-Za-z0-9][^\x00-\x7f]|[^\x00-\x7f][A-Za-z0-9]")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_RUNS_LOOKED_AT = 10_000  # runs of non-ASCII text enough to decide; a 30 MB file is not walked run by run
# What each legacy encoding is called in the problem that says it was read so.
_READ_AS = {
    LEGACY_ENCODING: f"Windows-1252 ({LEGACY_ENCODING}), the encoding Excel and older tools write",
    CHINESE_ENCODING: "GB18030 (Chinese; GBK and GB2312 are part of it), the encoding Chinese tools write",
    "cp950": "Big5 (Traditional Chinese; cp950), the encoding Taiwanese and Hong Kong tools write",
    "euc_jp": "EUC-JP (Japanese), the encoding older Japanese Unix tools write",
    "cp932": "Shift-JIS (Japanese; cp932), the encoding Japanese Windows tools write",
    "euc_kr": "EUC-KR (Korean; cp949), the encoding Korean tools write",
    CENTRAL_EUROPEAN: f"Windows-1250 ({CENTRAL_EUROPEAN}; Central European), the encoding Polish, Czech, Slovak and Hungarian "
                      "Windows tools write",
    "iso8859_2": "ISO-8859-2 (Latin-2; Central European), the encoding older Polish and Czech Unix tools write",
    "cp1258": "Windows-1258 (cp1258; Vietnamese), the encoding Vietnamese Windows tools write",
}
_NAMES = {LEGACY_ENCODING: "Windows-1252", CHINESE_ENCODING: "GB18030", "cp950": "Big5", "euc_jp": "EUC-JP",
          "cp932": "Shift-JIS", "euc_kr": "EUC-KR", "cp949": "EUC-KR", CENTRAL_EUROPEAN: "Windows-1250",
          "iso8859_2": "ISO-8859-2", "cp1258": "Windows-1258"}


def encoding_name(codec: str) -> str:
    """What a problem calls the encoding ``codec``: ``Windows-1250`` for ``cp1250``, ``UTF-8`` for ``utf-8``.

    >>> encoding_name("cp1250"), encoding_name("utf-8")
    ('Windows-1250', 'UTF-8')
    """
    return _NAMES.get(codec, codec.upper())


_KOREAN_TOO = "; its characters fit EUC-KR (Korean) as well: if the file is Korean, save it as UTF-8"
_UNSURE = (
    "GB18030, but the reading holds characters no name or title has (private-use or unassigned code points, "
    "kana among Chinese): the file may be Big5, EUC-JP, Shift-JIS or EUC-KR and its names wrong; save it as UTF-8"
)
# The East Asian encodings tried, in the order a near tie goes: GB18030 first (what Chinese reference managers
# write), then the EUC forms (both bytes of each character above 160), which fit Big5 and Shift-JIS's wider
# byte ranges too, when text in those rarely fits theirs.
_EAST_ASIAN = (CHINESE_ENCODING, "euc_jp", "euc_kr", "cp950", "cp932")
_DECODE_AS = {"euc_kr": "cp949"}
#: The codecs :func:`legacy_encoding` names for East Asian text.
EAST_ASIAN_CODECS = frozenset(_DECODE_AS.get(c, c) for c in _EAST_ASIAN)  # Korean Windows' superset of EUC-KR: the same reading of every EUC-KR byte
_STANDARD = {CHINESE_ENCODING: "gb2312", "cp950": "cp950", "euc_jp": "euc_jp", "cp932": "euc_jp"}
_LEVEL_1_LAST = {CHINESE_ENCODING: 0xD7, "euc_jp": 0xCF, "cp932": 0xCF}  # the last row of the first level
_KANA, _HANGUL = "\u3041-\u30ff", "\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3"
_FOREIGN = {
    CHINESE_ENCODING: re.compile(f"[{_KANA}{_HANGUL}]"), "cp950": re.compile(f"[{_KANA}{_HANGUL}]"),
    "euc_jp": re.compile(f"[{_HANGUL}]"), "cp932": re.compile(f"[{_HANGUL}]"), "euc_kr": re.compile(f"[{_KANA}]"),
}
# Layout glyphs of the legacy code sets, never in a name or title: half-width katakana (Shift-JIS's single
# bytes, where Windows-1252 keeps its accented capitals), box drawing, vertical and small forms.
_NO_TEXT = re.compile("[\uff61-\uff9f\u2500-\u259f\ufe10-\ufe1f\ufe30-\ufe6f]")
_SMALL_KANA = frozenset("ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
_COMMON_SHARE = 0.6  # a reading whose letters are less often the common ones is not text in that language
_BETTER_BY = 0.25  # how much more common a reading's letters must be to be taken over one before it in _EAST_ASIAN
_HANGUL_ONLY = 12  # Hangul-only letters that make a file Korean, not Chinese (see the module docstring)


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def drop_controls(text: str) -> str:
    """``text`` without control characters (tab and line ends kept): a corrupt export's NUL or ESC is no part of a name.

    >>> drop_controls("Evil\\x1b[31m, Red\\x01\\x0b\\tnext"), drop_controls("clean")
    ('Evil[31m, Red\\tnext', 'clean')
    """
    if text.isprintable():
        return text
    return _CONTROLS.sub("", text)


# Control characters a line may hold that are dropped and reported (a line end inside a CSV cell is not one).
_DROPPED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _control_name(char: str) -> str:
    return "NUL" if char == "\x00" else f"U+{ord(char):04X}"


class ControlChars:
    r"""Control characters dropped from a file's lines (tab and line ends kept), reported once per file:
    :meth:`drop` cleans a line, :meth:`problem` names the first line that had any and how many more did.

    >>> c = ControlChars("a.ris"); c.drop(3, "Nul\x00title"), c.drop(4, "clean"), c.drop(9, "E\x1bSC\x00")
    ('Nultitle', 'clean', 'ESC')
    >>> str(c.problem())
    'a.ris:3: control characters dropped (NUL, U+001B); also in 1 more line (9)'
    >>> ControlChars("b.ris").problem() is None
    True
    """

    __slots__ = ("source", "lines", "count", "names", "last")

    def __init__(self, source: str):
        self.source = source
        self.lines: list[int] = []  # the first few lines that had any
        self.count = 0  # the lines that had any
        self.names: list[str] = []
        self.last = -1  # the last line noted

    def note(self, number: int, chars) -> None:
        """Notes the control characters ``chars`` found in line ``number`` (lines noted in file order)."""
        if number != self.last:
            self.last = number
            self.count += 1
            if len(self.lines) < 6:
                self.lines.append(number)
        for char in chars:
            if len(self.names) < 4 and (name := _control_name(char)) not in self.names:
                self.names.append(name)

    def drop(self, number: int, line: str) -> str:
        """``line`` (line ``number``) without its control characters, noted when it had any."""
        if line.isprintable() or _DROPPED.search(line) is None:
            return line
        self.note(number, _DROPPED.findall(line))
        return _DROPPED.sub("", line)

    def drop_text(self, text: str) -> str:
        """``text`` (a whole file, lines counted from 1 at ``\n``) without its control characters, noted."""
        line, at, found = 1, 0, False
        for match in _DROPPED.finditer(text):
            line += text.count("\n", at, match.start())
            at, found = match.start(), True
            self.note(line, match.group())
        return _DROPPED.sub("", text) if found else text

    def drop_json(self, number: int, value):
        r"""A parsed JSON value (of line ``number``) with control characters dropped from its strings, noted.

        >>> c = ControlChars("w.jsonl"); c.drop_json(2, {"title": "Nul\x00title", "n": [1, "a\x1bb"]}), str(c.problem())
        ({'title': 'Nultitle', 'n': [1, 'ab']}, 'w.jsonl:2: control characters dropped (NUL, U+001B)')
        """
        if isinstance(value, str):
            return self.drop(number, value)
        if isinstance(value, list):
            return [self.drop_json(number, item) for item in value]
        if isinstance(value, dict):
            return {key: self.drop_json(number, item) for key, item in value.items()}
        return value

    def note_json(self, data: bytes) -> None:
        """Notes the control characters JSON text ``data`` escapes (``\u0000``) in its strings, by line."""
        line, at = 1, 0
        for match in JSON_CONTROL.finditer(data):
            line += data.count(b"\n", at, match.start())
            at = match.start()
            self.note(line, chr(int(match.group()[2:], 16)))

    def problem(self) -> Problem | None:
        """The one problem for the file: its first line with control characters, and how many more had them."""
        if not self.count:
            return None
        plural = "s" if len(self.names) > 1 else ""
        message = f"control character{plural} dropped ({', '.join(self.names)})"
        if self.count > 1:
            more = self.count - 1
            shown = ", ".join(map(str, self.lines[1:6])) + (", …" if self.count > 6 else "")
            message += f"; also in {more} more line{'s' if more > 1 else ''} ({shown})"
        return Problem(source=self.source, line=self.lines[0], message=message)


#: A control character (those :class:`ControlChars` drops) escaped in JSON text: ``\u0000``, ``\u001b``...
#: Test ``b"\\u00" in raw`` first: a cheap look that skips almost every line.
JSON_CONTROL = re.compile(rb"\\u00(?:0[0-8bcefBCEF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])")


# Bytes a text file holds (printable ASCII, tab, line ends, form feed, ESC, and every byte above 127).
_TEXT_BYTES = bytes([9, 10, 12, 13, 27]) + bytes(range(32, 127)) + bytes(range(128, 256))


def binary_problem(head: bytes, source: str) -> Problem | None:
    r"""The problem that refuses a binary file by its first bytes ``head`` (none for text), in the words the
    profile reader uses (:func:`graphkit.readers.profile.decode_page`): ``binary file (NUL byte); skipped``,
    at the line of the first NUL.

    A file is binary when it holds NUL bytes and either many of them (at least
    8 and one in a hundred bytes: an executable, an image) or bytes that are not UTF-8 with control bytes throughout
    (at least 16 and one in a hundred: compressed data). A stray NUL in a text file, in any encoding,
    is not that: the text readers drop it and report it (:class:`ControlChars`).
    UTF-16 and UTF-32 with a byte-order mark, and UTF-16 without one
    (:func:`~graphkit.readers._files.bom_encoding`), are text.

    >>> print(binary_problem(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\n\x00\x00\x03\x00>\x00", "x.ris"))
    x.ris:1: binary file (NUL byte); skipped
    >>> binary_problem(b"TY  - JOUR\nTI  - Nul\x00title\nER  - \n", "a.ris") is None
    True
    >>> binary_problem(b"TY  - JOUR\nTI  - \x00\x1b\x01 in Z\xfcrich\nER  - \n" * 2, "latin.ris") is None
    True
    """
    nul = head.find(b"\x00")
    if nul < 0:
        return None
    if bom_encoding(head)[0] not in (None, "utf-8"):
        return None
    nuls = head.count(b"\x00")
    if nuls < 8 or nuls * 100 < len(head):
        controls = len(head.translate(None, _TEXT_BYTES))
        if controls < 16 or controls * 100 < len(head):
            return None  # a few control bytes in text
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            pass  # not UTF-8, and control bytes throughout
        else:
            return None
    return Problem(source=source, line=head.count(b"\n", 0, nul) + 1, message="binary file (NUL byte); skipped")


def _fits(sample: bytes, encoding: str, final: bool) -> bool:
    """Whether ``sample`` decodes in ``encoding`` (``final=False``: it may end inside a character, cut by a read)."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(sample, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _utf8_counts(sample: bytes) -> tuple[int, int]:
    """The valid multi-byte characters and the replaced bytes of ``sample`` read as UTF-8.

    Counted from the decoder's replacements: a U+FFFD that is in the file (three valid bytes) is a valid
    character, not a replaced byte. Only called for bytes that are not UTF-8: C-speed passes only.

    >>> _utf8_counts(b"M\\xfcller \\xef\\xbf\\xbd Erd\\xc5\\x91s")
    (2, 1)
    """
    text = sample.decode("utf-8", "replace")
    written = sample.count(_UTF8_FFFD)  # EF never continues a sequence: these always decode as themselves
    replaced = text.count("\ufffd") - written
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return non_ascii - replaced, replaced


def legacy_8bit(sample: bytes) -> bool:
    """Whether ``sample`` is 8-bit text rather than UTF-8: not valid UTF-8, and no valid multi-byte character in it.

    A UTF-8 file with one corrupt byte still has its other accents as valid
    UTF-8 sequences and stays UTF-8 (the bad byte is replaced and reported);
    a file saved by Excel as "CSV" has none. A U+FFFD written in the file is
    a valid character like any other.

    >>> legacy_8bit("Müller, Schölkopf".encode("cp1252")), legacy_8bit("Müller, Sch\xf6lkopf".encode("utf-8") + b"\\xf6")
    (True, False)
    >>> legacy_8bit(b"plain ASCII"), legacy_8bit("Müller".encode("utf-8")[:-4]), legacy_8bit("\ufffd".encode() + b" M\\xfcller")
    (False, False, False)
    """
    if sample.isascii() or _fits(sample, "utf-8", final=False):
        return False
    return _utf8_counts(sample)[0] == 0


def _chinese_text(sample: bytes, final: bool) -> bool | None:
    """None when ``sample`` does not read as Chinese in GB18030 (see the module docstring); else whether
    its characters also fit the rows EUC-KR fills with Hangul (a short Korean file reads so too).

    >>> _chinese_text("张伟 and 李娜".encode("gbk"), True), _chinese_text("李娜".encode("gbk"), True)
    (False, True)
    >>> _chinese_text("Größe, Müller, Jürgen".encode("cp1252"), True), _chinese_text("张 伟".encode("gbk"), True)
    (None, None)
    >>> _chinese_text("Il dit\xa0: «\xa0Ça va\xa0» à l’été".encode("cp1252"), True)
    
    """
    try:
        text = codecs.getincrementaldecoder(CHINESE_ENCODING)().decode(sample, final=final)
    except UnicodeDecodeError:
        return None
    total = paired = together = 0
    last_row = 0  # the highest lead byte of a paired character
    for i, m in enumerate(_NON_ASCII.finditer(text)):
        if i == _RUNS_LOOKED_AT:
            break
        run = m[0]
        encoded = run.encode(CHINESE_ENCODING)
        total += len(run)
        in_run, k = 0, 0
        while k < len(encoded):
            if encoded[k + 1] < 0x40:  # a four-byte character (second byte a digit)
                k += 4
                continue
            if encoded[k + 1] >= 0x80 and encoded[k] != 0xA0 != encoded[k + 1]:
                # both bytes high: not an accented letter before an ASCII one; and no no-break space (0xA0 is in
                # no GB2312 character, and French Windows-1252 text puts one beside « and »)
                in_run += 1
                last_row = max(last_row, encoded[k])
            k += 2
        paired += in_run
        if in_run > 1:  # a word or a name (朱镕基: a rare character of GBK's own may stand among them)
            together += in_run
    if together < 2 or 2 * paired <= total:
        return None
    return last_row <= 0xC8 and _fits(sample, "euc-kr", final)


def _cjk_core(codec: str, ch: str) -> bool:
    """Whether ``ch`` is one of the letters text in ``codec``'s language is mostly made of: the first,
    most-used level of each standard's ideographs (GB2312's 3,755, Big5's 5,401, JIS X 0208's 2,965,
    each standard's own frequency cut), kana for Japanese, Hangul syllables for Korean."""
    o = ord(ch)
    if codec == "euc_kr":
        return 0xAC00 <= o <= 0xD7A3
    if codec in ("euc_jp", "cp932") and 0x3041 <= o <= 0x30FF:
        return True
    if not 0x4E00 <= o <= 0x9FFF:
        return False
    code = ch.encode(_STANDARD[codec], "ignore")
    if codec == "cp950":
        return len(code) == 2 and 0xA440 <= int.from_bytes(code, "big") <= 0xC67E
    return len(code) == 2 and 0xB0 <= code[0] <= _LEVEL_1_LAST[codec]


def _cjk_reading(sample: bytes, codec: str, final: bool) -> tuple[int, int, int, int] | None:
    """``sample`` read in ``codec``: (letters, of them its language's common ones, letters standing
    together with another, kana), or None when the reading fails or holds what no name or title has
    (a private-use or unassigned code point, a control character, half-width katakana, or another
    language's letters: kana read as Chinese or Korean, Hangul read as Chinese or Japanese)."""
    try:
        text = codecs.getincrementaldecoder(codec)().decode(sample, final=final)
    except UnicodeDecodeError:
        return None
    letters = core = together = kana = 0
    foreign = _FOREIGN[codec]
    for i, m in enumerate(_NON_ASCII.finditer(text)):
        if i == _RUNS_LOOKED_AT:
            break
        run, prev = 0, " "
        for ch in m[0]:
            category = unicodedata.category(ch)
            if category[0] == "C" or _NO_TEXT.match(ch) or foreign.match(ch):
                return None
            if ch in _SMALL_KANA and not "\u3041" <= prev <= "\u30ff":
                return None  # a small kana ends a syllable begun by a kana, never a word or a kanji
            prev = ch
            if category[0] != "L":
                run = 0
                continue
            letters += 1
            kana += "\u3041" <= ch <= "\u30ff"
            core += _cjk_core(codec, ch)
            run += 1
            together += 2 if run == 2 else run > 2
    return letters, core, together, kana


_HIGH_RUN = re.compile(rb"[\x80-\xff]{2,}")
#: The share of bytes above 127 followed by another such byte that text in Big5 or Shift-JIS has at the least:
#: their characters' second bytes are above 127 more often than not, and the characters come in runs (陳大文:
#: 3 of 5), where Windows-1252's accents and symbols stand alone between ASCII letters (near 0).
_PAIRED = 0.3


def _paired_share(sample: bytes) -> float:
    """The share of ``sample``'s bytes above 127 that another such byte follows.

    >>> round(_paired_share("陳大文".encode("big5")), 2), _paired_share("HÄMÄLÄINEN, 10 °C·min".encode("cp1252"))
    (0.6, 0.0)
    """
    high = len(_HIGH_BYTE.findall(sample))
    if not high:
        return 0.0
    return sum(len(run) - 1 for run in _HIGH_RUN.findall(sample)) / high


def _east_asian(sample: bytes, final: bool) -> tuple[str, str] | None:
    """The East Asian encoding ``sample`` is in, and what to say about it; None when it is in none (see the
    module docstring for the rule)."""
    chinese = _chinese_text(sample, final)  # None, or whether its characters fit EUC-KR's Hangul rows too
    readings = {codec: _cjk_reading(sample, codec, final) for codec in _EAST_ASIAN}
    share = {
        codec: r[1] / r[0] for codec, r in readings.items()
        if r is not None and r[2] >= 2 and r[1] / r[0] >= _COMMON_SHARE and (r[3] or codec not in ("euc_jp", "cp932"))
    }
    share.pop(CHINESE_ENCODING, None)
    if _paired_share(sample) < _PAIRED:
        # Big5 and Shift-JIS take an ASCII letter as a character's second byte: Windows-1252 text, whose accents
        # and symbols stand alone between letters (HÄMÄLÄINEN, 10 °C·min), reads as Chinese in them
        share.pop("cp950", None)
        share.pop("cp932", None)
    if chinese is not None and (gb := readings[CHINESE_ENCODING]) is not None:
        share[CHINESE_ENCODING] = gb[1] / max(gb[0], 1)  # Chinese by the byte pairs: however rare its characters
        korean = readings["euc_kr"]
        if chinese and korean is not None and korean[1] == korean[0] >= _HANGUL_ONLY:
            return _DECODE_AS["euc_kr"], _READ_AS["euc_kr"]
    if not share:
        return (CHINESE_ENCODING, _UNSURE) if chinese is not None else None
    top = max(share.values())
    best = next(c for c in _EAST_ASIAN if share.get(c, -1) >= top - _BETTER_BY)
    return _DECODE_AS.get(best, best), _READ_AS[best] + (_KOREAN_TOO if best == CHINESE_ENCODING and chinese else "")


# The non-ASCII letters (lower case) of the languages each 8-bit code page is written in: a word read in a code
# page should be spelled in one of its languages. Windows-1252: Western Europe; Windows-1250 and ISO-8859-2 (the
# same letters at other bytes): Central Europe. Faroese (ø beside á or í) is left out: with it, Czech read as
# Windows-1252 (Dvořák as Dvoøák) would spell a Faroese word.
_WESTERN = ("äöüß", "àâæçéèêëîïôœùûüÿ", "áéíóúñü", "áâãàçéêíóôõú", "àèéìíòóùú", "àçéèíïòóúü", "áéèëïóöü",
            "æøåéó", "åäöé", "äöåšž", "õäöüšž", "áéíóúýðþæö")
_CENTRAL = ("ąćęłńóśźż", "áčďéěíňóřšťúůýž", "áäčďéíĺľňóôŕšťúýž", "áéíóöőúüű", "čćđšžé", "ăâîşţșț", "äöüßé")
_LANGUAGES = {LEGACY_ENCODING: tuple(map(frozenset, _WESTERN)), CENTRAL_EUROPEAN: tuple(map(frozenset, _CENTRAL)),
              "iso8859_2": tuple(map(frozenset, _CENTRAL))}
# Vietnamese (Windows-1258 writes its tones as combining marks after the vowel): its letters, and the marks.
_VIETNAMESE = frozenset("ăâđêôơư")
_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323")
_VOWELS = frozenset("aeiouyăâêôơư")
#: The code pages an 8-bit text is read in, in the order a tie goes (Windows-1252 before them all).
_EIGHT_BIT = (CENTRAL_EUROPEAN, "iso8859_2", "cp1258")
_SINGLE_BYTE = frozenset((LEGACY_ENCODING, *_EIGHT_BIT))
_WORD = re.compile(rb"[^\x00-\x20\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]*[\x80-\xff][^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]*")
_WORDS_LOOKED_AT = 5_000  # different words enough to decide
_CLEARER = 3  # how many times fewer misspelt words another code page's reading must have than Windows-1252's
_INSIDE_WORDS = frozenset("'’-‐")
_MICRO = "\u00b5"  # the micro sign, a letter to Unicode, written before units in every language: µM, µg
_BESIDE_WORDS = frozenset("®©™±°×·")
_SUPERSCRIPTS = frozenset("¹²³")
_ORDINALS = frozenset("ºª")  # letters to Unicode, but written after a number: nº, 3ª  # punctuation that stands between a word's letters


def _misspelt(word: str, codec: str) -> int:
    """How badly ``word`` (a word of a text read in ``codec``) is spelt in ``codec``'s languages: 2 for a
    character no text has, a symbol or digit touching a letter (``£ukasz``, ``Pawe³``) or a capital after a
    small letter (``TrâÌn``); 1 for letters no one language of the code page has together (``Dvoøák``, but
    also a loanword: ``Tupíspråk``); 0 for a word spelt so.

    >>> _misspelt("Łukasz", "cp1250"), _misspelt("£ukasz", "cp1252"), _misspelt("Dvoøák", "cp1252"), _misspelt("¿Qué", "cp1252")
    (0, 2, 1, 0)
    """
    letters = set()
    last = len(word) - 1
    for i, ch in enumerate(word):
        if ch.isascii():
            continue
        category = unicodedata.category(ch)
        if category[0] == "L":
            if category == "Lu" and i and word[i - 1].islower():
                return 2
            if ch not in _ORDINALS and ch != _MICRO:
                letters.add(ch.lower())
        elif category[0] == "C" or category[0] == "M" and codec != "cp1258":
            return 2
        elif category[0] != "M":
            before = i > 0 and word[i - 1].isalpha()
            after = i < last and word[i + 1].isalpha()
            if category[0] == "P" and (not before or not after or ch in _INSIDE_WORDS):
                continue  # ¿Qué, «mot», l’école
            if ch in _BESIDE_WORDS and not (before and after):
                continue  # MATLAB®, ±SD, 5°C: signs Western text writes beside a word, not inside one
            if ch in _SUPERSCRIPTS and not (before and after) and (after or sum(c.isalpha() for c in word[:i]) < 3):
                continue  # R³, cm², ³He (but Pawe³ and W³adys³aw: Paweł and Władysław read as Windows-1252)
            if before or after:
                return 2
    if codec == "cp1258":
        return _misspelt_vietnamese(word)
    return int(bool(letters) and not any(letters <= language for language in _LANGUAGES[codec]))


def _misspelt_vietnamese(word: str) -> int:
    """2 when ``word``, read in Windows-1258, is no Vietnamese: a tone mark after a consonant (``così`` read
    so puts an acute on the ``s``); 1 for a letter Vietnamese has not; else 0."""
    prev = " "
    for ch in unicodedata.normalize("NFD", word):
        if ch in _VIETNAMESE_MARKS:
            if prev.lower() not in _VOWELS and prev not in _VIETNAMESE_MARKS:
                return 2
        elif not ch.isascii() and ch.lower() not in _VIETNAMESE and unicodedata.category(ch)[0] == "L":
            return 1
        prev = ch
    return 0


def _eight_bit(sample: bytes) -> str:
    """The 8-bit code page ``sample`` (not UTF-8, no East Asian text) is in: Windows-1252 unless another's
    reading spells its words far better.

    Each different word with a byte above 127 is read in each code page; a reading misspells a word
    (:func:`_misspelt`) where the bytes were written in another. Windows-1250, ISO-8859-2 or Windows-1258
    is taken when, among the words it reads otherwise than Windows-1252 does, it misspells at least
    :data:`_CLEARER` times fewer than Windows-1252 (and Windows-1252 misspells some). Western text
    rarely misspells in Windows-1252, and its words read otherwise in Windows-1250 only where they
    differ (``Søren`` as ``Sřren``: a Czech letter, not a misspelling): it stays Windows-1252 when unsure.
    ISO-8859-2 and Windows-1250 have the same letters at other bytes: ``ą`` of one is ``±`` or ``ą`` of
    the other; a tie goes to Windows-1250, which Windows tools write.

    Signs Western text writes beside words (``MATLAB®``, ``R³``, ``±SD``, ``µM``) are no misspelling:

    >>> [_eight_bit(t.encode(c)) for t, c in (("Łukasz Wróbel, Paweł", "cp1250"), ("Jiří Dvořák, Černý", "cp1250"),
    ...     ("Paweł Świątek", "iso8859_2"), ("Søren Åberg, Hélène à Peña", "cp1252"), ("Jürgen Müller", "cp1250"))]
    ['cp1250', 'cp1250', 'iso8859_2', 'cp1252', 'cp1252']
    >>> [_eight_bit(t.encode("cp1252")) for t in ("Søren Bjørnsson, Hélène in R³", "Søren, 10 µM and 5 µg", "Åke: A MATLAB® kit ±SD")]
    ['cp1252', 'cp1252', 'cp1252']
    """
    words = set()
    for m in _WORD.finditer(sample):
        words.add(m[0])
        if len(words) == _WORDS_LOOKED_AT:
            break
    best, margin = LEGACY_ENCODING, 0
    for codec in _EIGHT_BIT:
        western = other = 0
        for word in words:
            as_western = word.decode(LEGACY_ENCODING, "replace")
            try:
                as_other = word.decode(codec)
            except UnicodeDecodeError:
                other += 2
                continue
            if as_other == as_western:
                continue
            score = 2 if "\ufffd" in as_western else _misspelt(as_western, LEGACY_ENCODING)
            western += score
            other += _misspelt(as_other, codec)
        if western >= 2 and other * _CLEARER < western and western - other > margin:
            best, margin = codec, western - other
    return best


def legacy_encoding(sample: bytes, *, final: bool = True) -> tuple[str, str] | None:
    """The legacy encoding ``sample`` is in, and what to say about it, when it is not UTF-8; None when it is
    (or when it is UTF-8 with some bytes that are not: those are replaced and reported).

    ``final=False`` when ``sample`` may end inside a character (cut by a read).
    An East Asian encoding (:func:`_east_asian`) when the UTF-8 reading replaces more than it keeps and
    the bytes read as text in one; else Windows-1252 when the UTF-8 reading replaces more than it keeps
    (a Windows-1252 file with one old ``ï¿½`` in it is still Windows-1252; a UTF-8 file with a stray byte
    is still UTF-8).

    >>> [legacy_encoding(t)[0] if legacy_encoding(t) else None for t in (
    ...     "Müller, Schölkopf, “quotes”, Laidé".encode("cp1252"), "张伟 and 李娜".encode("gbk"),
    ...     "Erdős".encode() + b"\\xfc", b"ASCII", "Garc\ufffda: Müller, Schölkopf".encode() .replace("ü".encode(), b"\\xfc").replace("ö".encode(), b"\\xf6"))]
    ['cp1252', 'gb18030', None, None, 'cp1252']
    >>> [legacy_encoding(t.encode(c))[0] for t, c in (("資料探勘研究 陳大文", "big5"), ("機械学習の研究", "euc_jp"),
    ...     ("機械学習の研究", "shift_jis"), ("기계 학습 연구 김철수 이영희", "euc_kr"))]
    ['cp950', 'euc_jp', 'cp932', 'cp949']
    """
    if sample.isascii() or _fits(sample, "utf-8", final):
        return None
    valid, replaced = _utf8_counts(sample)
    if valid >= replaced:
        return None
    # mostly 8-bit: a UTF-8 sequence or two in it (old mojibake, a file joined on) do not make it UTF-8; the
    # legacy encoding is told from the lines that are not UTF-8 (a UTF-8 export's CJK lines joined on would
    # read as no East Asian text)
    sample = _not_utf8_lines(sample)
    if (east_asian := _east_asian(sample, final)) is not None:
        return east_asian
    codec = _eight_bit(sample)
    return codec, _READ_AS[codec]


def _not_utf8_lines(sample: bytes) -> bytes:
    """``sample`` without its lines that are UTF-8 with bytes above 127 (all of it when none is)."""
    lines = sample.split(b"\n")
    kept = [line for line in lines if line.isascii() or not _reads_as(line, "utf-8")]
    return b"\n".join(kept) if len(kept) < len(lines) else sample


def _legacy_problem(sample: bytes, source: str, said: str, first: int = 1) -> Problem:
    """The problem that says ``sample`` (whose first line is line ``first``) was read as ``said``, at its first line
    with a byte above 127."""
    at = _HIGH_BYTE.search(sample).start()
    line = sample.count(b"\n", 0, at) + first
    return Problem(source=source, line=line, message=f"not UTF-8: read as {said}")


def _mixed(data: bytes, codec: str, source: str, said: str) -> tuple[str, Problem] | None:
    r"""``data`` (in the legacy ``codec``) read line by line when some of its lines are UTF-8 (two exports
    joined, :func:`_utf8_line`): those lines as UTF-8, the others in ``codec``; None when none is.

    >>> text, problem = _mixed("Erdős\n".encode() + "Müller\n".encode("cp1252"), "cp1252", "a.bib", "Windows-1252")
    >>> text, str(problem)
    ('Erdős\nMüller\n', 'a.bib:2: not UTF-8: read as Windows-1252; the lines before it are UTF-8')
    """
    lines = data.splitlines(keepends=True)  # bytes end lines at \n, \r\n and \r only
    utf8 = [None if raw.isascii() else _utf8_line(raw, codec) for raw in lines]
    if not any(utf8):
        return None
    first = next(i for i, (raw, text) in enumerate(zip(lines, utf8)) if text is None and not raw.isascii())
    before = any(utf8[:first])
    message = f"not UTF-8: read as {said}" + ("; the lines before it are UTF-8" if before else "")
    bad = None
    parts = []
    for i, (raw, text) in enumerate(zip(lines, utf8)):
        if text is None:
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                text = raw.decode(codec, "replace")
                bad = bad or i + 1
        parts.append(text)
    if bad is not None:
        message += f"; bytes that are not {_NAMES[codec]} replaced (first at line {bad})"
    return "".join(parts), Problem(source=source, line=first + 1, message=message)


def decode_bytes(data: bytes, source: str) -> tuple[str, Problem | None]:
    """``data`` decoded by its BOM or as UTF-8 (in the legacy encoding its bytes fit when they are not UTF-8),
    with a problem when it was not clean UTF-8.

    >>> decode_bytes("Erdős".encode("utf-8"), "a.bib"), decode_bytes("@misc{k, author={Müller}}".encode("cp1252"), "a.bib")[0]
    (('Erdős', None), '@misc{k, author={Müller}}')
    >>> decode_bytes("@misc{k, title={A \ufffd}}".encode("utf-8"), "a.bib")
    ('@misc{k, title={A \ufffd}}', None)
    """
    encoding, skip = bom_encoding(data)
    encoding = encoding or "utf-8"
    try:
        return data[skip:].decode(encoding), None
    except UnicodeDecodeError as exc:
        if encoding == "utf-8" and (legacy := legacy_encoding(data[skip:])) is not None:
            codec, said = legacy
            if (mixed := _mixed(data[skip:], codec, source, said)) is not None:
                return mixed
            try:
                text = data[skip:].decode(codec)
                if codec == "cp1258":
                    text = unicodedata.normalize("NFC", text)  # its tones are combining marks: one letter each
                return text, _legacy_problem(data[skip:], source, said)
            except UnicodeDecodeError as bad:  # Windows-1252's five unassigned bytes
                line = data[skip : skip + bad.start].count(b"\n") + 1
                said += f"; bytes that are not {_NAMES[codec]} replaced (first at line {line})"
                return data[skip:].decode(codec, "replace"), _legacy_problem(data[skip:], source, said)
        at = skip + exc.start
        line = data[skip:at].count(b"\n") + 1 if encoding == "utf-8" else 0
        name = "UTF-8" if encoding == "utf-8" else encoding.upper()
        message = f"bytes that are not {name} replaced (first at byte {at})"
        if encoding == "utf-8":
            message += _more_damaged(data[skip:], line)
        return data[skip:].decode(encoding, "replace"), Problem(source=source, line=line, message=message)


def _more_damaged(data: bytes, first: int) -> str:
    r"""What to add about the lines after line ``first`` of ``data`` (UTF-8 with bytes that are not) whose bytes
    were replaced: every such line is named (up to five, then a count), as :func:`iter_lines` names them.

    >>> _more_damaged(b"ok\n\xff\nok\n\xfe\n\xfd", 2)
    '; bytes replaced in 2 more lines after line 2 (lines 4, 5)'
    >>> _more_damaged(b"\xff", 1)
    ''
    """
    lines = []
    for number, raw in enumerate(data.split(b"\n"), 1):
        if number > first and not raw.isascii() and not _reads_as(raw, "utf-8"):
            lines.append(number)
    if not lines:
        return ""
    shown = ", ".join(map(str, lines[:5])) + (", …" if len(lines) > 5 else "")
    plural = "s" if len(lines) > 1 else ""
    return f"; bytes replaced in {len(lines)} more line{plural} after line {first} (line{plural} {shown})"


def iter_lines(stream: BinaryIO, source: str) -> Iterator[tuple[int, str] | Problem]:
    """The lines of ``stream`` (1-based number, text without the line end), read as they come.

    UTF-8 unless a byte-order mark says otherwise, or the 64 KiB from the
    first line with a byte above 127 are in a legacy encoding
    (:func:`legacy_encoding`); a line that is not UTF-8 past them is decided
    on again (see the module docstring). The first line with bytes that are
    not in the encoding is reported (those bytes replaced), the other such
    lines in one problem at the end; the rest of the file is still read. A line ends at ``\\n``, ``\\r\\n`` or a lone ``\\r``
    (old Mac exports) in every encoding, and nowhere else: U+2028 or a form
    feed inside an abstract is part of the line.

    >>> import io
    >>> list(iter_lines(io.BytesIO(b"\\xef\\xbb\\xbfTY  - JOUR\\r\\nER  - \\n"), "a.ris"))
    [(1, 'TY  - JOUR'), (2, 'ER  - ')]
    >>> list(iter_lines(io.BytesIO(b"TY  - JOUR\\rER  - \\r"), "mac.ris"))
    [(1, 'TY  - JOUR'), (2, 'ER  - ')]
    >>> list(iter_lines(io.BytesIO("AB one\\u2028two\\r\\nER\\rEF".encode("utf-16")), "w.txt"))
    [(1, 'AB one\\u2028two'), (2, 'ER'), (3, 'EF')]

    Control characters are dropped from the lines, reported once at the end
    (:class:`ControlChars`); a binary file is refused at its first bytes
    (:func:`binary_problem`), as the profile reader refuses one.

    >>> [str(x) if isinstance(x, Problem) else x for x in iter_lines(io.BytesIO(b"TI  - Nul\\x00title\\nER  -"), "n.ris")]
    [(1, 'TI  - Nultitle'), (2, 'ER  -'), 'n.ris:1: control character dropped (NUL)']
    """
    first = stream.read(_PEEK)
    if (binary := binary_problem(first, source)) is not None:
        yield binary
        return
    controls = ControlChars(source)
    yield from _lines(first, stream, source, controls)
    if (problem := controls.problem()) is not None:
        yield problem


def _lines(first: bytes, stream: BinaryIO, source: str, controls: ControlChars) -> Iterator[tuple[int, str] | Problem]:
    drop = controls.drop
    encoding, skip = bom_encoding(first)
    if encoding not in (None, "utf-8"):
        # UTF-16/32 cannot be split into lines as bytes: decode it whole.
        text = (first + stream.read())[skip:].decode(encoding, "replace")
        lines = _LINE_END.split(text)
        if lines[-1] == "":
            lines.pop()  # the last line's end, not an empty line after it
        for number, line in enumerate(lines, 1):
            yield number, drop(number, line)
        return
    raw_lines = enumerate(_byte_lines(first[skip:], stream), 1)
    if encoding == "utf-8":  # the byte-order mark says so: nothing to guess
        yield from _decoded(raw_lines, [], "utf-8", sys.maxsize, source, _Damage(source), drop)
        return
    for number, raw in raw_lines:  # ASCII reads the same in every encoding here: decided at the first other byte
        if raw.isascii():
            yield number, drop(number, raw.decode("ascii"))
            continue
        yield from _decoded(raw_lines, [(number, raw)], None, 0, source, _Damage(source), drop)
        return


class _Damage:
    """The lines whose bytes were replaced: the first reported as it comes, the others in one problem at the end."""

    def __init__(self, source: str):
        self.source = source
        self.lines: list[int] = []
        self.count = 0

    def add(self, number: int, codec: str) -> Problem | None:
        self.count += 1
        if len(self.lines) < 6:
            self.lines.append(number)
        if self.count == 1:
            return Problem(source=self.source, line=number, message=f"bytes that are not {_NAMES.get(codec, 'UTF-8')} replaced")
        return None

    def summary(self) -> Problem | None:
        if self.count < 2:
            return None
        shown = ", ".join(map(str, self.lines[1:6])) + (", …" if self.count > 6 else "")
        more = self.count - 1
        return Problem(source=self.source, line=self.lines[1],
                       message=f"bytes replaced in {more} more line{'s' if more > 1 else ''} after line {self.lines[0]} (lines {shown})")


def _decoded(raw_lines: Iterator[tuple[int, bytes]], ahead: list[tuple[int, bytes]], codec: str | None, decided_to: int,
             source: str, damage: _Damage, drop) -> Iterator[tuple[int, str] | Problem]:
    """The lines ``ahead`` and then ``raw_lines`` decoded; ``codec`` None: to be decided on the lines from the first
    of ``ahead`` on. A UTF-8 reading is decided again at a line that is not UTF-8 past the lines it was decided on
    (``decided_to``): a legacy part joined on after UTF-8 text is read in its encoding from its first line on."""
    while True:
        if codec is None or codec == "utf-8" and ahead:
            # What the next _PEEK bytes are in, from the line that asks (at most one look per _PEEK bytes read).
            size = sum(len(raw) + 1 for _, raw in ahead)
            while size < _PEEK and (item := next(raw_lines, None)) is not None:
                ahead.append(item)
                size += len(item[1]) + 1
            sample = b"\n".join(raw for _, raw in ahead)
            legacy = legacy_encoding(sample[: 4 * _PEEK], final=len(sample) <= 4 * _PEEK)
            decided_to = ahead[-1][0]
            if legacy is not None:
                # named at its first line that is not UTF-8: the UTF-8 lines before it stay UTF-8 (below)
                number, utf8_before = _first_not_utf8(ahead)
                said = legacy[1] if codec is None and not utf8_before else f"{legacy[1]}; the lines before it are UTF-8"
                codec = legacy[0]
                yield Problem(source=source, line=number, message=f"not UTF-8: read as {said}")
            else:
                codec = "utf-8"
        again = None
        for number, raw in itertools.chain(ahead, raw_lines):
            try:
                if codec != "utf-8" and not raw.isascii() and (line := _utf8_line(raw, codec)) is not None:
                    yield number, drop(number, line)  # a UTF-8 line in a legacy file: two exports joined
                    continue
                line = raw.decode(codec)
                if codec == "cp1258" and not line.isascii():
                    line = unicodedata.normalize("NFC", line)  # its tones are combining marks: one letter each
            except UnicodeDecodeError:
                if codec == "utf-8" and number > decided_to:
                    again = number, raw
                    break
                line = raw.decode(codec, "replace")
                if (problem := damage.add(number, codec)) is not None:
                    yield problem
            yield number, drop(number, line)
        if again is None:
            if (problem := damage.summary()) is not None:
                yield problem
            return
        ahead = [again]


def _reads_as(raw: bytes, codec: str) -> bool:
    try:
        raw.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _first_not_utf8(lines: list[tuple[int, bytes]]) -> tuple[int, bool]:
    """The number of the first of ``lines`` that is not UTF-8 (the last line when all are), and whether a
    non-ASCII UTF-8 line came before it."""
    utf8_before = False
    for number, raw in lines:
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return number, utf8_before
        utf8_before = True
    return lines[-1][0], utf8_before


def _utf8_line(raw: bytes, codec: str) -> str | None:
    """``raw`` (a line with bytes above 127, in a file read in the legacy ``codec``) read as UTF-8, when it
    is UTF-8: a UTF-8 export joined to a legacy one (``cat a.ris b.ris``), in either order.

    An 8-bit text's accents stand alone between ASCII letters, where UTF-8 needs two to four bytes above
    127 in a row: a line that decodes as UTF-8 is UTF-8. An East Asian text's byte pairs decode as UTF-8
    more often (one two-character GBK name in 100), into letters of mixed scripts: there the UTF-8 reading
    must hold no control, unassigned or private-use character and letters of one East Asian script only
    (CJK with kana, or Hangul).

    >>> _utf8_line("Erdős, Ação".encode(), "cp1252"), _utf8_line("Müller".encode("cp1252"), "cp1252")
    ('Erdős, Ação', None)
    >>> _utf8_line("AU  - 李娜".encode(), "gb18030"), _utf8_line("AU  - 隆透".encode("gbk"), "gb18030")  # ¡ and U+0378
    ('AU  - 李娜', None)
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if codec in _SINGLE_BYTE:
        return text
    scripts = set()
    for ch in _NON_ASCII.findall(text):
        for c in ch:
            category = unicodedata.category(c)
            if category[0] == "C":
                return None
            if category[0] == "L":
                name = unicodedata.name(c, "")
                scripts.add("CJK" if name.startswith(("CJK", "HIRAGANA", "KATAKANA")) else name.split(" ", 1)[0])
    # byte pairs of Chinese text decode as Latin, Greek or Cyrillic letters (1.7 % of two-character GBK names),
    # and a Shift-JIS pair's bytes as a CJK character and an ASCII letter: only East Asian letters of one script,
    # two or more, none touching an ASCII letter, make a UTF-8 line in an East Asian file
    if len(scripts) != 1 or not scripts <= {"CJK", "HANGUL"} or _CJK_BESIDE_ASCII.search(text):
        return None
    if codec == CHINESE_ENCODING and _reads_as(raw, "gb2312"):
        return None  # common characters in GB2312's rows (UTF-8's second and third bytes are mostly below them)
    return text if sum(len(run) for run in _NON_ASCII.findall(text)) >= 2 else None


# The line ends of text files: str.splitlines() would also end a line at
# U+2028, U+2029, \x85, \x0b, \x0c and \x1c-\x1e, which exports keep inside values.
_LINE_END = re.compile(r"\r\n|\r|\n")


def _byte_lines(prefix: bytes, stream: BinaryIO) -> Iterator[bytes]:
    """The lines of ``prefix`` and then the rest of ``stream``, without their ends (``\\n``, ``\\r\\n``, a lone ``\\r``).

    >>> list(_byte_lines(b"a\\r", io.BytesIO(b"\\nb\\rc\\n\\nd")))
    [b'a', b'b', b'c', b'', b'd']
    """
    pending: list[bytes] = []  # the start of a line whose end has not been read yet
    after_cr = False  # the last piece ended with \r: a \n at the start of the next belongs to it
    chunk = prefix or stream.read(_PEEK)
    while chunk:
        if after_cr and chunk.startswith(b"\n"):
            chunk = chunk[1:]
        after_cr = chunk.endswith(b"\r")
        lines = chunk.splitlines(keepends=True)  # bytes split at \n, \r\n and \r only
        if lines and pending:
            lines[0] = b"".join(pending) + lines[0]
            pending = []
        if lines and not lines[-1].endswith((b"\n", b"\r")):
            pending.append(lines.pop())
        for line in lines:
            yield line.rstrip(b"\r\n")
        chunk = stream.read(_PEEK)
    if pending:
        yield b"".join(pending)


def rejoined(prefix: bytes, stream: BinaryIO) -> BinaryIO:
    """A buffered stream giving ``prefix`` (bytes already read from ``stream``) and then the rest of ``stream``."""
    return io.BufferedReader(_Prefixed(prefix, stream)) if prefix else stream


class _Prefixed(io.RawIOBase):
    """A raw stream that gives ``prefix`` and then the rest of ``stream``."""

    def __init__(self, prefix: bytes, stream: BinaryIO):
        self._prefix = prefix
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def stray_line(run: list, number: int, line: str) -> list:
    """The run of lines outside a record (``[first line, its text, count]``), one more line counted.

    Tagged formats (RIS, Web of Science) report such a run as one problem, not one per line.

    >>> stray_line(stray_line([], 4, "junk"), 5, "more")
    [4, 'junk', 2]
    """
    if not run:
        return [number, line.strip()[:60], 1]
    run[2] += 1
    return run


def stray_problem(run: list, source: str, opener: str) -> Problem:
    """The problem for a run of lines outside a record; ``opener`` is the tag that starts a record.

    >>> stray_problem([4, "junk", 2], "refs.ris", "TY").message
    "2 lines outside a record (no TY before them), the first: 'junk'"
    """
    first, text, count = run
    if count == 1:
        return Problem(source=source, line=first, message=f"line outside a record (no {opener} before it): {text!r}")
    return Problem(source=source, line=first, message=f"{count} lines outside a record (no {opener} before them), the first: {text!r}")
