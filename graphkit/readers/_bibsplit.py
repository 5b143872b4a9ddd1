"""BibTeX text split into blocks: bibtexparser 2's splitter, with a fast path for plain entries.

bibtexparser's :class:`~bibtexparser.splitter.Splitter` walks every mark
(each brace, quote, comma, equals sign and newline) in Python; on 100,000
entries that alone costs as much as graphkit's whole reading should. Its
rules make a cheaper route exact: inside any block, a block start
(``@type{`` or ``@type(``) at the start of a line ends the block being read
(closed or aborted), so the text cut before each such line splits into
pieces that the splitter reads independently. Each piece holding one plain
``@type{key, name = value, ...}`` entry (values braced to four levels,
quoted, bare or ``#``-joined; nothing the splitter would treat differently)
is read here with a few regular-expression matches; every other piece
(``@string``, ``@comment``, ``@preamble``, ``(``-delimited blocks, anything
malformed or unusual) goes to bibtexparser's splitter, with the start of the
next piece appended so that an unclosed block aborts with the splitter's own
reason. Line numbers are the file's real lines: the splitter does not count a
newline right after a backslash (a LaTeX line break ``\\\\`` at the end of a
line), so its lines are corrected here.

:func:`split_blocks` returns the blocks as plain tuples, duplicate keys
already decided across the whole file as bibtexparser's library decides them
(entry keys and ``@string`` keys apart, compared exactly; an entry with a
repeated field is not registered):

- ``(STRING, line, key, raw_value)``
- ``(ENTRY, line, entry_type, key, [(field, raw_value), ...], repeated_fields)``: values
  may keep the spaces around them (strip them; the splitter strips them)
- ``(DUPLICATE, line, "key" or "@string", key, first_line)``
- ``(FAILED, line, raw, reason)``

``line`` is 1-based (the block's ``@`` line).

>>> blocks = split_blocks('@string{acl = "ACL"}\\n@inproceedings{k1,\\n  title = {A {B} c}, booktitle = acl # " 2019"}\\n@misc{k1, title="x"}')
>>> [b[:3] for b in blocks]
[('string', 1, 'acl'), ('entry', 2, 'inproceedings'), ('duplicate', 4, 'key')]
>>> [(name.strip(), value.strip()) for name, value in blocks[1][4]]
[('title', '{A {B} c}'), ('booktitle', 'acl # " 2019"')]
"""

from __future__ import annotations

import re

from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock, String
from bibtexparser.splitter import Splitter

__all__ = ["DUPLICATE", "ENTRY", "FAILED", "STRING", "split_blocks"]

STRING, ENTRY, DUPLICATE, FAILED = "string", "entry", "duplicate", "failed"

# Where pieces start: a block start at the start of a line (after spaces only), as the splitter's _is_at_line_start.
_PIECE = re.compile(r"^[^\S\n]*@\w*[ \t]*[{(]", re.M)
_BLOCK_START = re.compile(r"@\w*[ \t]*[{(]")  # anywhere outside a block, this starts one
_TRAILING_START = re.compile(r"@\w*[ \t]*$")  # a block start without its brace, ending a failed block

# A character after one or more backslashes is never a mark for the splitter. Runs of plain
# characters are matched possessively (Python 3.11): a value that does not end as it should fails
# at once, without backtracking through every way of splitting the run.
_ESCAPED = r"\\++[^\\]"
_BRACED = r"\{(?:[^{}\\]++|" + _ESCAPED + r")*+\}"
for _ in range(3):  # four levels of nested braces; deeper values take the splitter's path
    _BRACED = r"\{(?:[^{}\\]++|" + _ESCAPED + "|" + _BRACED + r")*+\}"
# Inside quotes braces do not count; a quote right after "{" may be the {"} escape: the splitter's path.
_QUOTED = r'"(?:[^"\\{]++|' + _ESCAPED + r'|\{(?!"))*+"'
_KEY = r'[^{}",=@\\]*+'  # no mark, no "@", no backslash: nothing the splitter could read otherwise
# A field's name without the spaces around it (spaces inside it stay, as the splitter's strip leaves them).
_NAME = r'\s*+((?:[^{}",=@\\\s]++(?:\s++(?=[^{}",=@\\\s]))?)*+)\s*+'
_FIELD_TEXT = _NAME + "=\\s*+((?:[^{}\",\\\\]++|" + _ESCAPED + "|" + _BRACED + "|" + _QUOTED + ")*+)"
_HEAD = re.compile(r"[^\S\n]*(@\w*[ \t]*)\{(" + _KEY + "),")
# A whole plain entry after its head: fields ending in "," and then "}" (a trailing comma or not).
_BODY = re.compile("(?:" + _FIELD_TEXT + ",)*+(?:" + _FIELD_TEXT + r"\}|\s*\})")
_FIELD = re.compile(_FIELD_TEXT + "[,}]")
_SPECIAL = ("@comment", "@preamble", "@string")
# @string{name = value}: the splitter reads to the "}" closing the block, counting braces only (quotes do not count).
_STRING = re.compile(r"[^\S\n]*(@\w*[ \t]*)\{(" + _KEY + r")=((?:[^{}\\]++|" + _ESCAPED + "|" + _BRACED + r")*+)\}")


def _fast_entry(text: str, start: int, end: int):
    """The plain entry filling ``text[start:end]`` as ``(entry_type, key, fields, repeated)``; None if it is not one."""
    head = _HEAD.match(text, start, end)
    if head is None:
        return _fast_string(text, start, end)
    kind = head[1].lower()
    if kind.startswith(_SPECIAL):
        return None
    body = _BODY.match(text, head.end(), end)
    if body is None:
        return None
    if _BLOCK_START.search(text, body.end(), end) is not None:
        return None  # another block later in the piece (after text on the same line)
    # The body matched field by field from its start, so the fields found from there are the body's fields.
    fields = _FIELD.findall(text, head.end(), body.end())  # values with their spaces: strip them
    repeated = None
    if len(fields) > 1 and len(dict(fields)) != len(fields):
        seen: set[str] = set()
        repeated = {n for n, _ in fields if n in seen or seen.add(n)}
    return kind[1:].strip(), head[2].strip(), fields, repeated


def _fast_string(text: str, start: int, end: int):
    """The plain ``@string{name = value}`` filling ``text[start:end]`` as ``(None, name, value)``; None if it is not one."""
    m = _STRING.match(text, start, end)
    if m is None or not m[1].lower().startswith("@string"):
        return None
    if _BLOCK_START.search(text, m.end(), end) is not None:
        return None
    return None, m[2].strip(), m[3].strip(), None


def _slow_blocks(text: str, start: int, end: int, *, last: bool):
    """bibtexparser's blocks for ``text[start:end]``, lines 0-based within it.

    Unless this is the last piece, a block left open at its end is read again
    with the next piece's block start appended, so that it aborts exactly as
    it does in the whole file; the block that stub opens is dropped.
    """
    piece = text[start:end]
    blocks = Splitter(piece).split().blocks
    if last or not blocks or not isinstance(blocks[-1], ParsingFailedBlock) or "end of file" not in str(getattr(blocks[-1].error, "abort_reason", "")):
        return blocks
    # The last block was still open where the piece ends: read again with the next block's start appended.
    stub = _PIECE.match(text, end)
    return Splitter(piece + text[end : stub.end()]).split().blocks[:-1]


def split_blocks(text: str) -> list[tuple]:
    """The blocks of a BibTeX text as tuples (see the module docstring), in file order.

    >>> [b[0:2] + b[3:] for b in split_blocks("@misc{a, title={x}\\n@misc{b, title = {y}}")]
    [('failed', 1, 'Unexpected block start: `@misc`. Was still looking for field-value closing `,` or `}`'), ('entry', 2, 'b', [('title', '{y}')], None)]
    """
    starts = [m.start() for m in _PIECE.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    starts.append(len(text))
    out: list[tuple] = []
    append = out.append
    entries: dict[str, int] = {}  # exact key -> line, as bibtexparser's library registers them
    strings: dict[str, int] = {}
    line = 0  # 0-based: the newlines before the piece
    for i in range(len(starts) - 1):
        start, end = starts[i], starts[i + 1]
        entry = _fast_entry(text, start, end)
        if entry is not None and entry[0] is None:  # a plain @string
            _, key, value, _ = entry
            first = strings.get(key)
            if first is not None:
                append((DUPLICATE, line + 1, "@string", key, first))
            else:
                strings[key] = line + 1
                append((STRING, line + 1, key, value))
        elif entry is not None:
            entry_type, key, fields, repeated = entry
            if repeated is None:
                first = entries.get(key)
                if first is not None:
                    append((DUPLICATE, line + 1, "key", key, first))
                else:
                    entries[key] = line + 1
                    append((ENTRY, line + 1, entry_type, key, fields, None))
            else:
                append((ENTRY, line + 1, entry_type, key, fields, repeated))
        elif _BLOCK_START.search(text, start, end) is not None:
            blocks = _slow_blocks(text, start, end, last=i == len(starts) - 2)
            if text.find("\\\n", start, end) < 0:
                for block in blocks:
                    _add_block(block, line + (block.start_line or 0) + 1, out, entries, strings)
            else:
                for block, at in _real_lines(text, start, blocks):
                    _add_block(block, line + at + 1, out, entries, strings)
        line += text.count("\n", start, end)
    return out


def _real_lines(text: str, start: int, blocks: list):
    r"""Each splitter block of the piece starting at ``text[start]`` with its line (0-based) within the piece.

    The splitter does not count a newline right after a backslash (it is no
    mark for it), so after a LaTeX line break (``\\`` ending a line) its
    lines fall short: each block is found by its text instead.

    >>> text = "x \\\ny @misc{a, title={b}}"
    >>> [(type(b).__name__, b.start_line, at) for b, at in _real_lines(text, 0, Splitter(text).split().blocks)]
    [('ImplicitComment', 0, 0), ('Entry', 0, 1)]
    """
    at = start
    for block in blocks:
        raw = block.raw or ""
        found = text.find(raw, at) if raw else -1
        if found < 0:  # not expected: keep the splitter's count
            yield block, block.start_line or 0
            continue
        yield block, text.count("\n", start, found)
        at = found + len(raw)
        if isinstance(block, ParsingFailedBlock) and (head := _TRAILING_START.search(raw)):
            at -= len(head[0])  # a failed block's text runs into the start of the block that ended it


def _add_block(block, line: int, out: list[tuple], entries: dict[str, int], strings: dict[str, int]) -> None:
    """One splitter block as a tuple (``line`` 1-based), duplicates decided against the whole file's keys."""
    if isinstance(block, DuplicateBlockKeyBlock):  # a duplicate within the piece: decided again below
        block = block.ignore_error_block
    if isinstance(block, String):
        first = strings.get(block.key)
        if first is not None:
            out.append((DUPLICATE, line, "@string", block.key, first))
        else:
            strings[block.key] = line
            out.append((STRING, line, block.key, block.value))
    elif isinstance(block, DuplicateFieldKeyBlock):
        entry = block.ignore_error_block
        out.append((ENTRY, line, entry.entry_type, entry.key, [(f.key, f.value) for f in entry.fields], set(block.duplicate_keys)))
    elif isinstance(block, ParsingFailedBlock):
        reason = str(getattr(block.error, "abort_reason", "") or block.error or "").strip()
        out.append((FAILED, line, block.raw or "", reason))
    elif isinstance(block, Entry):
        first = entries.get(block.key)
        if first is not None:
            out.append((DUPLICATE, line, "key", block.key, first))
        else:
            entries[block.key] = line
            out.append((ENTRY, line, block.entry_type, block.key, [(f.key, f.value) for f in block.fields], None))
