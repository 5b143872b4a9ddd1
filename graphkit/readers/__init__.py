"""Readers: one module per input format, each emitting :class:`~graphkit.models.PaperRecord` and
:class:`~graphkit.models.Problem`.

Laid out like networkx's ``readwrite``: ``graphkit.readers.bibtex`` has a pure
``parse_bibtex(stream, source)`` and a thin ``read_bibtex(path)``. This package
only re-exports; :mod:`graphkit.readers.registry` picks a reader for a file
(``--from``, else the suffix, else sniffing) and walks folders.
"""

from __future__ import annotations

from graphkit.readers._files import decode_text, open_input, read_head
from graphkit.readers.registry import FORMATS, InputFile, available_formats, choose_reader, iter_inputs, read_input

__all__ = [
    "FORMATS",
    "InputFile",
    "available_formats",
    "choose_reader",
    "decode_text",
    "iter_inputs",
    "open_input",
    "read_head",
    "read_input",
]
