"""graphkit: researcher profile pages and bibliographic records into a co-authorship knowledge graph.

The pipeline runs in one direction, each stage a plain function::

    files --extract--> records --resolve--> entities --build--> networkx graph
                                                          |--store--> LadybugDB / Neo4j
                                                          |--analyze--> centrality, communities, paths
                                                          `--render--> HTML map, CSV, GraphML
"""

from graphkit.exceptions import (
    AnalysisError,
    ConnectionFailed,
    GraphkitError,
    InputError,
    QueryError,
    ReadOnlyQueryError,
    RenderError,
    ResolutionError,
    StoreError,
    StoreNotFoundError,
    StrictModeError,
)
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
