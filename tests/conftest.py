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
# `--neo4j` reads NEO4J_URI: keep it away from the CLI tests, which use the embedded
# store; the store contract suite gets it through NEO4J_URI below.
NEO4J_URI = os.environ.pop("NEO4J_URI", None)


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


# ------------------------------------------------------------ store backends

def _neo4j_reason() -> str | None:
    """Why the Neo4j half of the contract suite cannot run here, or None."""
    uri = NEO4J_URI
    if not uri:
        return "NEO4J_URI is not set; start a server with `docker compose up -d --wait` and export NEO4J_URI=bolt://localhost:7687"
    try:
        from graphkit.store.neo4j import Neo4jStore

        Neo4jStore(uri, user=os.environ.get("NEO4J_USER", "neo4j"), password=os.environ.get("NEO4J_PASSWORD", "graphkit-dev"),
                   database=os.environ.get("NEO4J_DATABASE", "neo4j")).driver()
    except Exception as exc:  # noqa: BLE001 - any failure means: skip, saying why
        return f"Neo4j at {uri} is not reachable: {exc}"
    return None


@pytest.fixture(params=["embedded", "neo4j"])
def store_backend(request, tmp_path):
    """A factory: write a graph (or its tables) to a fresh store of each backend and return the store."""
    if request.param == "neo4j":
        reason = _neo4j_reason()
        if reason:
            pytest.skip(reason)
        from graphkit.store.neo4j import Neo4jStore

        store = Neo4jStore(NEO4J_URI, user=os.environ.get("NEO4J_USER", "neo4j"),
                           password=os.environ.get("NEO4J_PASSWORD", "graphkit-dev"),
                           database=os.environ.get("NEO4J_DATABASE", "neo4j"), batch_size=7)
        request.addfinalizer(store.close)
    else:
        from graphkit.store import EmbeddedStore

        store = EmbeddedStore(tmp_path / "contract")

    def make(graph):
        store.write(graph)
        return store

    make.store = store
    return make
