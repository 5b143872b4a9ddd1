"""File access shared by every reader: regular files only, gzip transparently.

:func:`open_input` is the one way a reader opens a file. It refuses anything
that is not a regular file (a FIFO, a device, a folder, a symlink loop) with
an :class:`~graphkit.exceptions.InputError` that says precisely what the path
is, *before* opening it: opening a FIFO for reading blocks until a writer
appears, so ``os.stat`` is checked first and the open itself uses
``O_NONBLOCK`` as a second wall (a FIFO swapped in between the two is still
refused by ``fstat`` on the descriptor).

A gzip file (by its magic bytes, whatever its name) is decompressed on the
fly; a corrupt or truncated one raises :class:`InputError` from ``read``
rather than ``EOFError`` or ``zlib.error``.

>>> import gzip, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.bib.gz").write_bytes(gzip.compress(b"@article{x,}"))
>>> with open_input(folder / "a.bib.gz") as stream:
...     stream.read()
b'@article{x,}'
>>> open_input(folder / "missing.bib")
Traceback (most recent call last):
...
graphkit.exceptions.InputError: ...missing.bib: no such file or directory
>>> read_head(folder / "a.bib.gz", size=8)
b'@article'
>>> decode_text(b"\\xff\\xfeh\\x00i\\x00")
'hi'
"""

from __future__ import annotations

import codecs
import errno
import gzip
import io
import os
import stat
import zlib
from typing import BinaryIO

from graphkit.exceptions import InputError

__all__ = [
    "HEAD_SIZE",
    "bom_encoding",
    "check_regular_file",
    "decode_text",
    "describe_mode",
    "json_line_error",
    "open_input",
    "read_head",
    "strip_gz",
]

HEAD_SIZE = 64 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_O_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def describe_mode(mode: int) -> str:
    """What a non-regular file is, in words, from its ``st_mode``.

    >>> import stat
    >>> describe_mode(stat.S_IFIFO)
    'a FIFO (named pipe)'
    """
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode):
        return "a regular file"
    return "not a regular file"


def _os_message(exc: OSError, path: str) -> str:
    if exc.errno == errno.ENOENT:
        # A dangling symlink exists (lstat works) but stat fails with ENOENT.
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return f"broken symlink (points to {os.readlink(path)!r}, which does not exist)"
        except OSError:
            pass
        return "no such file or directory"
    if exc.errno == errno.ELOOP:
        return "symlink loop (the link never reaches a file)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    if exc.errno == errno.ENOTDIR:
        return "no such file (a part of the path is not a folder)"
    return f"cannot read: {exc.strerror or exc}"


def check_regular_file(path: str | os.PathLike) -> os.stat_result:
    """``os.stat`` of ``path``, or :class:`InputError` saying why it cannot be read as a file.

    >>> check_regular_file("/dev/null")
    Traceback (most recent call last):
    ...
    graphkit.exceptions.InputError: /dev/null: a character device, not a regular file
    """
    name = os.fspath(path)
    try:
        st = os.stat(name)
    except OSError as exc:
        raise InputError(_os_message(exc, name), source=name) from None
    except ValueError:  # an embedded NUL byte in the name
        raise InputError("invalid file name", source=name) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{describe_mode(st.st_mode)}, not a regular file", source=name)
    return st


_GZIP_CHUNK = 64 * 1024


class _GzipInput(gzip.GzipFile):
    """A GzipFile whose read errors are :class:`InputError` naming the file."""

    def _fail(self, exc: Exception):
        what = "truncated gzip file" if isinstance(exc, EOFError) else f"corrupt gzip data ({exc})"
        raise InputError(what, source=self._source) from None

    def read(self, size=-1):
        try:
            return super().read(size)
        except (OSError, EOFError, zlib.error) as exc:
            self._fail(exc)

    def read1(self, size=-1):
        try:
            return super().read1(size)
        except (OSError, EOFError, zlib.error) as exc:
            self._fail(exc)

    def readline(self, size=-1):
        try:
            return super().readline(size)
        except (OSError, EOFError, zlib.error) as exc:
            self._fail(exc)

    def peek(self, n):
        try:
            return super().peek(n)
        except (OSError, EOFError, zlib.error) as exc:
            self._fail(exc)

    def readinto(self, b):
        # At most a chunk per call: a cut-off file fails on the call that reaches the cut, and the buffered
        # reader above has handed on everything before it (a larger call would fail with all of it unread).
        # One read of the decompressed data (read1): the data before a cut comes out, and only a read that
        # finds nothing more fails (GzipFile.readinto fills its whole size first, losing what it had).
        view = memoryview(b)
        try:
            data = super().read1(min(len(view), _GZIP_CHUNK))
        except (OSError, EOFError, zlib.error) as exc:
            self._fail(exc)
        view[:len(data)] = data
        return len(data)


class _UpToTheCut(io.BufferedReader):
    """The buffered reader over a gzip stream: a read that meets the cut of a cut-off file returns the data
    before it, and the next read raises the error (``io.BufferedReader.read`` fills its whole size before
    returning, so the complete records of up to a whole call before the cut were lost); a reader that read
    everything at once reads no more, so :func:`cut_off` gives the error it has not met."""

    _pending: Exception | None = None

    def _check(self) -> None:
        if self._pending is not None:
            raise self._pending

    def read(self, size=-1):
        self._check()
        out = bytearray()
        while size is None or size < 0 or len(out) < size:
            try:
                chunk = super().read1(_GZIP_CHUNK if size is None or size < 0 else size - len(out))
            except InputError as exc:
                if not out:
                    raise
                # the data before the cut now; the error on the next read, or from cut_off() once the reader is done
                self._pending = exc
                break
            if not chunk:
                break
            out += chunk
        return bytes(out)

    def read1(self, size=-1):
        self._check()
        return super().read1(size)

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def readline(self, size=-1):
        self._check()
        return super().readline(size)

    def peek(self, size=0):
        self._check()
        return super().peek(size)

    def seek(self, offset, whence=io.SEEK_SET):
        self._pending = None  # read again from elsewhere: the cut is met again when reached
        return super().seek(offset, whence)


def cut_off(stream) -> InputError | None:
    """The error of a cut-off gzip file that ``stream`` met and its reader has not (it read everything in one
    call and stopped), once: for the caller to report after the reader is done."""
    exc = getattr(stream, "_pending", None)
    if exc is not None:
        stream._pending = None
    return exc


def open_input(path: str | os.PathLike) -> BinaryIO:
    """Open ``path`` for reading as a binary stream (a context manager).

    Only regular files are opened; anything else raises
    :class:`~graphkit.exceptions.InputError` with a one-line reason (``no such
    file or directory``, ``symlink loop``, ``a FIFO (named pipe), not a regular
    file``, ``a folder``...). Gzip data is decompressed transparently.
    """
    name = os.fspath(path)
    check_regular_file(name)
    try:
        fd = os.open(name, _O_FLAGS)
    except OSError as exc:
        raise InputError(_os_message(exc, name), source=name) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{describe_mode(st.st_mode)}, not a regular file", source=name)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        raw = os.fdopen(fd, "rb", buffering=1024 * 1024)
    except BaseException:
        os.close(fd)
        raise
    try:
        magic = raw.peek(2)[:2]
    except OSError as exc:
        raw.close()
        raise InputError(_os_message(exc, name), source=name) from None
    if magic == _GZIP_MAGIC:
        stream = _GzipInput(fileobj=raw, mode="rb")
        stream._source = name
        # GzipFile does not close a fileobj it was given: close both together.
        _close = stream.close

        def close() -> None:
            try:
                _close()
            finally:
                raw.close()

        stream.close = close
        return _UpToTheCut(stream, buffer_size=1024 * 1024)
    return raw


def json_line_error(exc: ValueError, line: bytes | str) -> str:
    """Why ``line``, one line of a JSON Lines file, is no JSON: ``exc`` (orjson's or json's error) in the
    line's own terms. The parser counts lines and columns within the text it was given, the one line, so
    its "line 1 column 35" would contradict the file's line number beside it: only the column is kept;
    and a line that ends inside a string or an object is said to be cut short.

    >>> import orjson
    >>> def why(raw):
    ...     try:
    ...         orjson.loads(raw)
    ...     except orjson.JSONDecodeError as exc:
    ...         return json_line_error(exc, raw)
    >>> why(b'{"id": "2001.1", "title": "cut\\n')
    'the line ends inside a string (cut short?)'
    >>> why(b'{"id": "2001.1"'), why(b'{"id" 1}')
    ('the line ends before the JSON value does (cut short?)', "unexpected character, expected ':' after key at column 7")
    >>> import json
    >>> try:
    ...     json.loads('{"id": "cut')
    ... except json.JSONDecodeError as exc:
    ...     json_line_error(exc, '{"id": "cut')
    'the line ends inside a string (from column 8) (cut short?)'
    """
    message = getattr(exc, "msg", None) or str(exc)
    position, column = getattr(exc, "pos", None), getattr(exc, "colno", None)
    said = message.lower()
    at_end = position is not None and not line[position:].strip()  # the error is where the line ends
    if "unterminated string" in said or at_end and "control character" in said:
        return f"the line ends inside a string{f' (from column {column})' if not at_end else ''} (cut short?)"
    if at_end and ("end of data" in said or "expecting" in said):
        return "the line ends before the JSON value does (cut short?)"
    return f"{message} at column {column}" if column is not None else message


def read_head(path: str | os.PathLike, *, size: int = HEAD_SIZE) -> bytes:
    """The first ``size`` bytes of ``path`` (gunzipped), for sniffing; raises :class:`InputError`."""
    with open_input(path) as stream:
        chunks, left = [], size
        while left > 0:
            chunk = stream.read(left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)


def strip_gz(name: str) -> str:
    """``name`` without a trailing ``.gz`` (any case).

    >>> strip_gz("works.jsonl.GZ"), strip_gz("a.bib")
    ('works.jsonl', 'a.bib')
    """
    return name[:-3] if name.lower().endswith(".gz") else name


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def bom_encoding(head: bytes) -> tuple[str | None, int]:
    """The encoding a byte-order mark at the start of ``head`` declares, and the BOM's length.

    >>> bom_encoding(b"\\xef\\xbb\\xbfabc"), bom_encoding(b"abc")
    (('utf-8', 3), (None, 0))

    UTF-16 written without a mark (some Windows tools) is told by its NUL bytes, every other one, beside
    text: such a file is no binary one.

    >>> bom_encoding("TY  - JOUR\\nAU  - Müller, 李\\n".encode("utf-16-le")), bom_encoding("TY  - JOUR".encode("utf-16-be"))
    (('utf-16-le', 0), ('utf-16-be', 0))
    """
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    if b"\x00" in head[:64]:
        return _utf16_unmarked(head[:4096]), 0
    return None, 0


def _utf16_unmarked(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``head`` (no byte-order mark) is UTF-16 text: half of its
    characters or more ASCII (a NUL beside each), no NUL on the other side, and it decodes so."""
    even, odd = head[0:len(head) & ~1:2], head[1:len(head) & ~1:2]
    if len(even) < 4:
        return None
    for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) * 2 >= len(zeros) and other.count(0) * 50 <= len(other):
            try:
                text = head[: len(head) & ~1].decode(codec)
            except UnicodeDecodeError:
                text = head[: (len(head) & ~1) - 2].decode(codec, "strict") if len(head) > 4 else ""
            if text and all(c.isprintable() or c in "\t\r\n" for c in text[:-1]):
                return codec
    return None


def decode_text(data: bytes, *, default: str = "utf-8", errors: str = "strict") -> str:
    """Decode ``data``: by its byte-order mark (UTF-8, UTF-16, UTF-32) if it has one, else ``default``.

    The BOM itself is dropped. Raises ``UnicodeDecodeError`` like ``bytes.decode``.

    >>> decode_text(b"\\xef\\xbb\\xbfcaf\\xc3\\xa9")
    'café'
    """
    encoding, skip = bom_encoding(data)
    return data[skip:].decode(encoding or default, errors)

