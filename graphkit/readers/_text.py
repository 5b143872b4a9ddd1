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

from graphkit.models import Problem
from graphkit.readers._files import bom_encoding

__all__ = ["decode_bytes"]


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
