"""Writing a file whole or not at all, without touching any file graphkit did not create.

:func:`replace_file` writes into a new temporary file beside the target and
renames it over the target when complete. The temporary file is created
exclusively (``tempfile.mkstemp``: never an existing file, never through a
link) under a hidden graphkit name, and on failure only that file is removed,
so a user's ``map.html.tmp`` (or a link of that name) is never written or
deleted.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["replace_file"]

PREFIX = ".graphkit-"


def _umask() -> int:
    """The process's umask (read without changing it where Linux says it)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def replace_file(path: str | Path, write: Callable[[BinaryIO], object]) -> Path:
    """Have ``write`` fill a fresh temporary file (open for binary writing) beside ``path``, then rename it to ``path``.

    The new file gets the permissions a newly created file would (``0o666``
    less the umask), not ``mkstemp``'s private ``0o600``. Whatever ``write``
    raises leaves ``path`` as it was and no temporary file behind; ``path``
    itself, when a link, is replaced by the file, its target left alone.

    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "map.html.tmp").write_text("precious")
    >>> replace_file(folder / "map.html", lambda f: f.write(b"<html>")).read_text()
    '<html>'
    >>> sorted(p.name for p in folder.iterdir()), (folder / "map.html.tmp").read_text()
    (['map.html', 'map.html.tmp'], 'precious')
    >>> import shutil; shutil.rmtree(folder)
    """
    path = Path(path)
    try:
        fd, name = tempfile.mkstemp(prefix=f"{PREFIX}{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # named by the file the user asked for, not by graphkit's temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            with contextlib.suppress(OSError, AttributeError):  # os.fchmod: POSIX only before Python 3.13
                os.fchmod(handle.fileno(), 0o666 & ~_umask())
            write(handle)
        os.replace(name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(name)
        if isinstance(exc, OSError) and name in (exc.filename, exc.filename2):
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise
    return path
