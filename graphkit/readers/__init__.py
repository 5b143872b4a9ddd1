"""Readers: one module per input format, each emitting :class:`~graphkit.models.PaperRecord` and
:class:`~graphkit.models.Problem`.

Laid out like networkx's ``readwrite``: ``graphkit.readers.bibtex`` has a pure
``parse_bibtex(stream, source)`` and a thin ``read_bibtex(path)``. This package
only re-exports; :mod:`graphkit.readers.registry` picks a reader for a file.
"""

from __future__ import annotations

from graphkit.readers._files import decode_text, open_input, read_head

__all__ = ["decode_text", "open_input", "read_head"]
