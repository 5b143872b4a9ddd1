"""graphkit: researcher profile pages and bibliographic records into a co-authorship knowledge graph.

The pipeline runs in one direction, each stage a plain function::

    files --extract--> records --resolve--> entities --build--> networkx graph
                                                          |--store--> LadybugDB / Neo4j
                                                          |--analyze--> centrality, communities, paths
                                                          `--render--> HTML map, CSV, GraphML
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from graphkit.exceptions import (
    AnalysisError,
    ConnectionFailed,
    GraphkitError,
    InputError,
    Interrupted,
    OutputError,
    QueryError,
    ReadOnlyQueryError,
    RenderError,
    ResolutionError,
    StoreError,
    StoreNotFoundError,
    StrictModeError,
)

# The stages import pandas, networkx, igraph, pydantic and LadybugDB; importing them
# here would make `import graphkit` and `graphkit --help` pay for all of them (about
# 0.7 s). Each name is imported on first use instead (PEP 562).
_LAZY = {
    "build_graph": "graphkit.build",
    "build_tables": "graphkit.build",
    "coauthor_graph": "graphkit.build",
    "institution_graph": "graphkit.build",
    "iter_pages": "graphkit.extract",
    "parse_profile_text": "graphkit.extract",
    "read_page": "graphkit.extract",
    "PageResult": "graphkit.models",
    "PaperRecord": "graphkit.models",
    "Problem": "graphkit.models",
    "Profile": "graphkit.models",
    "BuildResult": "graphkit.pipeline",
    "build_knowledge_graph": "graphkit.pipeline",
    "Resolution": "graphkit.resolve",
    "resolve": "graphkit.resolve",
    "EmbeddedStore": "graphkit.store",
    "GraphStore": "graphkit.store",
    "GraphTables": "graphkit.tables",
}

if TYPE_CHECKING:  # what static tools and IDEs see
    from graphkit.build import build_graph, build_tables, coauthor_graph, institution_graph
    from graphkit.extract import iter_pages, parse_profile_text, read_page
    from graphkit.models import PageResult, PaperRecord, Problem, Profile
    from graphkit.pipeline import BuildResult, build_knowledge_graph
    from graphkit.resolve import Resolution, resolve
    from graphkit.store import EmbeddedStore, GraphStore
    from graphkit.tables import GraphTables

__version__ = "0.1.0"

__all__ = [
    "AnalysisError",
    "BuildResult",
    "ConnectionFailed",
    "EmbeddedStore",
    "GraphStore",
    "GraphTables",
    "GraphkitError",
    "InputError",
    "Interrupted",
    "OutputError",
    "PageResult",
    "PaperRecord",
    "Problem",
    "Profile",
    "QueryError",
    "ReadOnlyQueryError",
    "RenderError",
    "Resolution",
    "ResolutionError",
    "StoreError",
    "StoreNotFoundError",
    "StrictModeError",
    "build_graph",
    "build_knowledge_graph",
    "build_tables",
    "coauthor_graph",
    "institution_graph",
    "iter_pages",
    "parse_profile_text",
    "read_page",
    "resolve",
]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'graphkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
