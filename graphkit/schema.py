"""The graph contract: labels, properties and relationship types.

Cypher queries, notebooks, both stores and the exports rely on these names;
everything that writes or reads the graph takes them from here.
"""

from __future__ import annotations

__all__ = ["NODE_LABELS", "NODE_PROPERTIES", "REL_ENDPOINTS", "REL_PROPERTIES", "REL_TYPES", "rel_properties"]

# property -> type: STRING, STRING[], BOOLEAN, INT64, DOUBLE, DATE
NODE_PROPERTIES: dict[str, dict[str, str]] = {
    "Author": {
        "id": "STRING",
        "name": "STRING",
        "name_variants": "STRING[]",
        "orcid": "STRING",
        "ids": "STRING[]",
        "is_profile_owner": "BOOLEAN",
        "h_index": "INT64",
        "citations": "INT64",
        "paper_count": "INT64",
        "novelty": "DOUBLE",
        "ai_score": "DOUBLE",
        "primary_category": "STRING",
    },
    "Paper": {
        "id": "STRING",
        "title": "STRING",
        "title_inferred": "BOOLEAN",
        "year": "INT64",
        "date": "DATE",
        "doi": "STRING",
        "venue": "STRING",
        "kind": "STRING",
        "ids": "STRING[]",
        "category": "STRING",
        "score": "DOUBLE",
        "has_code": "BOOLEAN",
        "abstract": "STRING",
        "urls": "STRING[]",
        "authors_truncated": "BOOLEAN",
        "sources": "STRING[]",
    },
    "Institution": {
        "id": "STRING",
        "name": "STRING",
        "aliases": "STRING[]",
        "ror": "STRING",
        "ids": "STRING[]",
        "country": "STRING",
    },
}
NODE_LABELS = tuple(NODE_PROPERTIES)

# One relationship type may join several pairs of labels (AFFILIATED_WITH).
REL_ENDPOINTS: dict[str, tuple[tuple[str, str], ...]] = {
    "AUTHORED": (("Author", "Paper"),),
    "AFFILIATED_WITH": (("Paper", "Institution"), ("Author", "Institution")),
    "COAUTHORED": (("Author", "Author"),),
}
REL_PROPERTIES: dict[str, dict[str, str]] = {
    "AUTHORED": {"position": "INT64", "inferred": "BOOLEAN", "affiliations": "STRING[]"},
    "AFFILIATED_WITH": {"papers": "INT64", "first_year": "INT64", "last_year": "INT64"},
    "COAUTHORED": {"papers": "INT64", "weight": "DOUBLE", "first_year": "INT64", "last_year": "INT64"},
}
REL_TYPES = tuple(REL_ENDPOINTS)


def rel_properties(rel_type: str, from_label: str) -> dict[str, str]:
    """The contract properties of one relationship type for one source label.

    ``AFFILIATED_WITH`` from a Paper carries none; from an Author it carries
    ``papers``, ``first_year`` and ``last_year``.

    >>> rel_properties("AFFILIATED_WITH", "Paper")
    {}
    >>> list(rel_properties("AUTHORED", "Author"))
    ['position', 'inferred', 'affiliations']
    """
    if rel_type == "AFFILIATED_WITH" and from_label == "Paper":
        return {}
    return REL_PROPERTIES[rel_type]
