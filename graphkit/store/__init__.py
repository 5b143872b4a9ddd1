"""Store stage: the knowledge graph in a Cypher database, and back.

Two backends behind one small interface (:class:`GraphStore`):
:class:`~graphkit.store.embedded.EmbeddedStore` (LadybugDB, the default, no
server) and :class:`~graphkit.store.neo4j.Neo4jStore` (a Neo4j 5 server).
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import networkx as nx

from graphkit.store.embedded import DB_FILENAME, EmbeddedStore

__all__ = ["DB_FILENAME", "EmbeddedStore", "GraphStore"]


@runtime_checkable
class GraphStore(Protocol):
    """What every store does."""

    dialect: str

    def write(self, G: nx.MultiDiGraph) -> dict[str, int]:
        """Write the knowledge graph; return counts per label and relationship type."""

    def query(self, statement: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only Cypher query; rows as dicts keyed by column name."""

    def read(self) -> nx.MultiDiGraph:
        """The stored knowledge graph as networkx."""

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type."""

    def set_node_properties(self, label: str, values: dict[str, dict[str, Any]]) -> int:
        """Write analysis results as node properties."""
