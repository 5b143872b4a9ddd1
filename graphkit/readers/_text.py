"""Bytes to text for the text-format readers (BibTeX, RIS, CSL-JSON, Scopus, Web of Science).

A byte-order mark decides the encoding (UTF-8, UTF-16, UTF-32); without one
the text is UTF-8. A file that is not UTF-8 is read in the legacy encoding
its bytes fit (:func:`legacy_encoding`), decided once per file and reported
once, with the line of its first non-ASCII byte:

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

EUC-KR (Korean) and Big5 (Traditional Chinese) use the byte ranges GBK
uses, and a short file cannot be told apart: they are not detected. When the
GB18030 reading's characters all lie in the rows EUC-KR fills with Hangul,
the problem says the file may be Korean. Shift-JIS pairs its bytes with
ASCII ones too often to pass and falls to Windows-1252, as before.
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
import re
from collections.abc import Iterator
from typing import BinaryIO

from graphkit.models import Problem
from graphkit.readers._files import bom_encoding

__all__ = [
    "CHINESE_ENCODING", "LEGACY_ENCODING", "decode_bytes", "drop_controls", "iter_lines", "legacy_8bit", "legacy_encoding",
    "rejoined", "stray_line", "stray_problem", "unescape_entities",
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


# Windows' 8-bit code page: what Excel, EndNote and old JabRef write when they
# do not write UTF-8; a superset of Latin-1's printable characters.
LEGACY_ENCODING = "cp1252"
# Chinese Windows' code page and the reference managers that keep it: GBK (and GB2312) extended.
CHINESE_ENCODING = "gb18030"
_PEEK = 1 << 16
_UTF8_FFFD = "\ufffd".encode()
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_RUNS_LOOKED_AT = 10_000  # runs of non-ASCII text enough to decide; a 30 MB file is not walked run by run
# What each legacy encoding is called in the problem that says it was read so.
_READ_AS = {
    LEGACY_ENCODING: f"Windows-1252 ({LEGACY_ENCODING}), the encoding Excel and older tools write",
    CHINESE_ENCODING: "GB18030 (Chinese; GBK and GB2312 are part of it), the encoding Chinese tools write",
}
_NAMES = {LEGACY_ENCODING: "Windows-1252", CHINESE_ENCODING: "GB18030"}
_KOREAN_TOO = "; its characters fit EUC-KR (Korean) as well: if the file is Korean, save it as UTF-8"


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def drop_controls(text: str) -> str:
    """``text`` without control characters (tab and line ends kept): a corrupt export's NUL or ESC is no part of a name.

    >>> drop_controls("Evil\\x1b[31m, Red\\x01\\x0b\\tnext"), drop_controls("clean")
    ('Evil[31m, Red\\tnext', 'clean')
    """
    if text.isprintable():
        return text
    return _CONTROLS.sub("", text)


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


def legacy_encoding(sample: bytes, *, final: bool = True) -> tuple[str, str] | None:
    """The legacy encoding ``sample`` is in, and what to say about it, when it is not UTF-8; None when it is
    (or when it is UTF-8 with some bytes that are not: those are replaced and reported).

    ``final=False`` when ``sample`` is the start of a longer file (it may end inside a character).
    GB18030 when the bytes read as Chinese in it and the UTF-8 reading replaces more than it keeps;
    else Windows-1252 when the UTF-8 reading replaces more than it keeps (a Windows-1252 file with one old
    ``ï¿½`` in it is still Windows-1252; a UTF-8 file with a stray byte is still UTF-8).

    >>> [legacy_encoding(t)[0] if legacy_encoding(t) else None for t in (
    ...     "Müller, Schölkopf, “quotes”, Laidé".encode("cp1252"), "张伟 and 李娜".encode("gbk"),
    ...     "Erdős".encode() + b"\\xfc", b"ASCII", "Garc\ufffda: Müller, Schölkopf".encode() .replace("ü".encode(), b"\\xfc").replace("ö".encode(), b"\\xf6"))]
    ['cp1252', 'gb18030', None, None, 'cp1252']
    """
    if sample.isascii() or _fits(sample, "utf-8", final):
        return None
    valid, replaced = _utf8_counts(sample)
    if valid < replaced and (korean_too := _chinese_text(sample, final)) is not None:
        return CHINESE_ENCODING, _READ_AS[CHINESE_ENCODING] + (_KOREAN_TOO if korean_too else "")
    if valid < replaced:  # mostly 8-bit: a UTF-8 sequence or two in it (old mojibake, a file joined on) do not make it UTF-8
        return LEGACY_ENCODING, _READ_AS[LEGACY_ENCODING]
    return None


def _legacy_problem(sample: bytes, source: str, said: str) -> Problem:
    at = _HIGH_BYTE.search(sample).start()
    line = sample.count(b"\n", 0, at) + 1
    return Problem(source=source, line=line, message=f"not UTF-8: read as {said}")


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
            try:
                return data[skip:].decode(codec), _legacy_problem(data[skip:], source, said)
            except UnicodeDecodeError as bad:  # Windows-1252's five unassigned bytes
                line = data[skip : skip + bad.start].count(b"\n") + 1
                said += f"; bytes that are not {_NAMES[codec]} replaced (first at line {line})"
                return data[skip:].decode(codec, "replace"), _legacy_problem(data[skip:], source, said)
        at = skip + exc.start
        line = data[skip:at].count(b"\n") + 1 if encoding == "utf-8" else 0
        name = "UTF-8" if encoding == "utf-8" else encoding.upper()
        problem = Problem(source=source, line=line, message=f"bytes that are not {name} replaced (first at byte {at})")
        return data[skip:].decode(encoding, "replace"), problem


def iter_lines(stream: BinaryIO, source: str) -> Iterator[tuple[int, str] | Problem]:
    """The lines of ``stream`` (1-based number, text without the line end), read as they come.

    UTF-8 unless a byte-order mark says otherwise, or the file's first 64 KiB
    are in a legacy encoding (:func:`legacy_encoding`, decided once); the
    first line with bytes that are not in the encoding is reported once
    (those bytes replaced), the rest of the file still read. A line ends at ``\\n``, ``\\r\\n`` or a lone ``\\r``
    (old Mac exports) in every encoding, and nowhere else: U+2028 or a form
    feed inside an abstract is part of the line.

    >>> import io
    >>> list(iter_lines(io.BytesIO(b"\\xef\\xbb\\xbfTY  - JOUR\\r\\nER  - \\n"), "a.ris"))
    [(1, 'TY  - JOUR'), (2, 'ER  - ')]
    >>> list(iter_lines(io.BytesIO(b"TY  - JOUR\\rER  - \\r"), "mac.ris"))
    [(1, 'TY  - JOUR'), (2, 'ER  - ')]
    >>> list(iter_lines(io.BytesIO("AB one\\u2028two\\r\\nER\\rEF".encode("utf-16")), "w.txt"))
    [(1, 'AB one\\u2028two'), (2, 'ER'), (3, 'EF')]
    """
    first = stream.read(_PEEK)
    encoding, skip = bom_encoding(first)
    if encoding not in (None, "utf-8"):
        # UTF-16/32 cannot be split into lines as bytes: decode it whole.
        text = (first + stream.read())[skip:].decode(encoding, "replace")
        lines = _LINE_END.split(text)
        if lines[-1] == "":
            lines.pop()  # the last line's end, not an empty line after it
        for number, line in enumerate(lines, 1):
            yield number, drop_controls(line)
        return
    reported = False
    raw_lines = _byte_lines(first[skip:], stream)
    if encoding is None and (legacy := legacy_encoding(first, final=False)) is not None:  # decided once, on the start
        codec = legacy[0]
        yield _legacy_problem(first, source, legacy[1])
        for number, raw in enumerate(raw_lines, 1):
            try:
                line = raw.decode(codec)
            except UnicodeDecodeError:  # past the bytes the encoding was decided on, or Windows-1252's unassigned ones
                line = raw.decode(codec, "replace")
                if not reported:
                    reported = True
                    yield Problem(source=source, line=number, message=f"bytes that are not {_NAMES[codec]} replaced")
            yield number, drop_controls(line)
        return
    for number, raw in enumerate(raw_lines, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("utf-8", "replace")
            if not reported:
                reported = True
                yield Problem(source=source, line=number, message="bytes that are not UTF-8 replaced")
        yield number, drop_controls(line)


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
