"""Bytes to text for the text-format readers (BibTeX, RIS, CSL-JSON, Scopus, Web of Science).

A byte-order mark decides the encoding (UTF-8, UTF-16, UTF-32); without one
the text is UTF-8. Bytes that are not valid in that encoding are replaced
(U+FFFD) and reported once, with the line of the first one, so one stray
Latin-1 byte costs one character, not the file.

>>> decode_bytes(b"\\xef\\xbb\\xbfKenton Lee", "a.ris")
('Kenton Lee', None)
>>> text, problem = decode_bytes(b"AU  - Lee\\nAU  - M\\xfcller\\n", "a.ris")
>>> text.splitlines()[1], str(problem)
('AU  - M\\ufffdller', 'a.ris:2: bytes that are not UTF-8 replaced (first at byte 17)')
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from graphkit.models import Problem
from graphkit.readers._files import bom_encoding

__all__ = ["decode_bytes", "iter_lines", "rejoined", "unescape_entities"]


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


def decode_bytes(data: bytes, source: str) -> tuple[str, Problem | None]:
    """``data`` decoded by its BOM or as UTF-8, with a problem when some bytes had to be replaced."""
    encoding, skip = bom_encoding(data)
    encoding = encoding or "utf-8"
    try:
        return data[skip:].decode(encoding), None
    except UnicodeDecodeError as exc:
        at = skip + exc.start
        line = data[skip:at].count(b"\n") + 1 if encoding == "utf-8" else 0
        name = "UTF-8" if encoding == "utf-8" else encoding.upper()
        problem = Problem(source=source, line=line, message=f"bytes that are not {name} replaced (first at byte {at})")
        return data[skip:].decode(encoding, "replace"), problem


def iter_lines(stream: BinaryIO, source: str) -> Iterator[tuple[int, str] | Problem]:
    """The lines of ``stream`` (1-based number, text without the line end), read as they come.

    UTF-8 unless a byte-order mark says otherwise; the first line with bytes
    that are not UTF-8 is reported once (those bytes replaced), the rest of
    the file still read.

    >>> import io
    >>> list(iter_lines(io.BytesIO(b"\\xef\\xbb\\xbfTY  - JOUR\\r\\nER  - \\n"), "a.ris"))
    [(1, 'TY  - JOUR'), (2, 'ER  - ')]
    """
    first = stream.read(4)
    encoding, skip = bom_encoding(first)
    if encoding not in (None, "utf-8"):
        # UTF-16/32 cannot be split into lines as bytes: decode it whole.
        text = (first + stream.read())[skip:].decode(encoding, "replace")
        for number, line in enumerate(text.splitlines(), 1):
            yield number, line
        return
    reported = False
    lines = rejoined(first[skip:], stream)
    for number, raw in enumerate(lines, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("utf-8", "replace")
            if not reported:
                reported = True
                yield Problem(source=source, line=number, message="bytes that are not UTF-8 replaced")
        yield number, line.rstrip("\r\n")


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
