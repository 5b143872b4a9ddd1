"""Kept for old imports: the normalisation keys live in :mod:`graphkit.keys`."""

from graphkit.keys import *  # noqa: F401,F403
from graphkit.keys import __all__  # noqa: F401
