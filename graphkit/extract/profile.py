"""Kept for old imports: the profile-page reader lives in :mod:`graphkit.readers.profile`."""

from graphkit.readers.profile import *  # noqa: F401,F403
from graphkit.readers.profile import __all__  # noqa: F401
