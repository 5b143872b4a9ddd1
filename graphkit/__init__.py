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
from graphkit.extract import iter_pages, parse_profile_text, read_page
from graphkit.models import PageResult, PaperRecord, Problem, Profile

__version__ = "0.1.0"

__all__ = [
    "AnalysisError",
    "ConnectionFailed",
    "GraphkitError",
    "InputError",
    "PageResult",
    "PaperRecord",
    "Problem",
    "Profile",
    "QueryError",
    "ReadOnlyQueryError",
    "RenderError",
    "ResolutionError",
    "StoreError",
    "StoreNotFoundError",
    "StrictModeError",
    "iter_pages",
    "parse_profile_text",
    "read_page",
]
