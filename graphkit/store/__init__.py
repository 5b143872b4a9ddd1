"""Store stage: the knowledge graph in a Cypher database, and back.

Two backends behind one small interface (:class:`GraphStore`):
:class:`~graphkit.store.embedded.EmbeddedStore` (LadybugDB, the default, no
server) and :class:`~graphkit.store.neo4j.Neo4jStore` (a Neo4j 5 server).
Every statement either sends is built in :mod:`graphkit.store.cypher`
(``statements(dialect)`` lists them); answers come back as plain Python,
typed the same by both (:func:`graphkit.store.values.plain`).
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

    def query(self, statement: str, params: dict[str, Any] | None = None, *, timeout: float | None = None) -> list[dict[str, Any]]:
        """Run a read-only Cypher query; rows as dicts keyed by column name, values plain Python.

        ``timeout`` (seconds) bounds the query where the store supports it.
        """

    def read(self) -> nx.MultiDiGraph:
        """The stored knowledge graph as networkx."""

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type."""

    def set_node_properties(self, label: str, values: dict[str, dict[str, Any]]) -> int:
        """Write analysis results as node properties."""
