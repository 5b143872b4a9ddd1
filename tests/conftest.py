"""Shared fixtures.

Tests that read ``../shared/`` (seed pages and public data sets) skip with a
reason when it is absent, as in a user's clone; CI always has it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GRAPHKIT_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
EXAMPLES = ROOT / "examples" / "profiles"
AS_OF = dt.date(2026, 11, 21)


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip naming what is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared data sets ship beside the repository, not in it")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return shared_path("seeds")


@pytest.fixture(scope="session")
def as_of() -> dt.date:
    return AS_OF
