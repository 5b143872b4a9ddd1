"""Deciding whether a Cypher query only reads, before it reaches a server.

Access mode alone is not a security control, so a query sent with
``graphkit query --neo4j`` passes two checks:

1. :func:`lexical_refusal`: clauses that are never allowed on the query path,
   whatever a plan says (``LOAD CSV`` reads files or URLs from the server;
   administration commands; ``IN TRANSACTIONS`` batching).
2. :func:`plan_refusal`: the server's own ``EXPLAIN`` of the query must say it
   is a read query (``query_type == "r"``) and its plan must hold no
   ``LoadCSV`` and no procedure call outside a short list of read-only ones.

Only then does it run, in a read transaction with a timeout.

>>> lexical_refusal("MATCH (a:Author) RETURN a.name") is None
True
>>> lexical_refusal("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row")
'LOAD CSV is not allowed on the query path'
>>> plan_refusal("rw", ["ProduceResults", "Create"])
'the server plans this query as read-write (rw); only read queries run here'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["READ_PROCEDURES", "lexical_refusal", "plan_operators", "plan_refusal"]

READ_PROCEDURES = frozenset({
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "dbms.components",
})

_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`")
_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_FORBIDDEN = [
    (re.compile(r"\bLOAD\s+CSV\b", re.I), "LOAD CSV is not allowed on the query path"),
    (re.compile(r"\bIN\s+(?:\d+\s+)?(?:CONCURRENT\s+)?TRANSACTIONS\b", re.I), "CALL ... IN TRANSACTIONS is not allowed on the query path"),
    (re.compile(r"\bPERIODIC\s+COMMIT\b", re.I), "PERIODIC COMMIT is not allowed on the query path"),
    (re.compile(r"^\s*(?:CREATE|DROP|ALTER|START|STOP)\s+(?:OR\s+REPLACE\s+)?(?:COMPOSITE\s+)?(?:DATABASE|ALIAS|USER|ROLE|SERVER|CONSTRAINT|INDEX)\b", re.I),
     "administration commands are not allowed on the query path"),
    (re.compile(r"^\s*(?:GRANT|DENY|REVOKE|ENABLE|DEALLOCATE|REALLOCATE|RENAME)\b", re.I), "administration commands are not allowed on the query path"),
    (re.compile(r"^\s*:", re.I), "client commands (':...') are not Cypher"),
]


def _code_only(statement: str) -> str:
    """The statement with string literals, quoted names and comments blanked out."""
    return _COMMENTS.sub(" ", _STRINGS.sub("''", statement))


def lexical_refusal(statement: str) -> str | None:
    """A reason to refuse the statement outright, or None.

    String literals and comments are ignored, so a title containing the words
    "LOAD CSV" is not a reason.

    >>> lexical_refusal("MATCH (p:Paper) WHERE p.title = 'LOAD CSV tricks' RETURN p") is None
    True
    """
    code = _code_only(statement)
    if ";" in code.strip().rstrip(";"):
        return "one statement at a time"
    for pattern, reason in _FORBIDDEN:
        if pattern.search(code):
            return reason
    return None


def plan_operators(plan) -> list[tuple[str, dict]]:
    """Flatten a neo4j driver plan (``summary.plan``, a dict or object) into (operator, arguments)."""
    out: list[tuple[str, dict]] = []
    stack = [plan] if plan is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            name, args, children = node.get("operatorType", ""), node.get("args", {}), node.get("children", [])
        else:
            name, args, children = getattr(node, "operator_type", ""), getattr(node, "arguments", {}), getattr(node, "children", [])
        out.append((str(name).split("@")[0], dict(args or {})))
        stack.extend(children or [])
    return out


def plan_refusal(query_type: str | None, operators: Iterable[str | tuple[str, dict]]) -> str | None:
    """A reason to refuse a query from its EXPLAIN summary, or None.

    >>> plan_refusal("r", ["ProduceResults", "NodeByLabelScan"]) is None
    True
    >>> plan_refusal("r", ["ProduceResults", "LoadCSV"])
    'the plan loads CSV; not allowed on the query path'
    >>> plan_refusal("r", [("ProcedureCall", {"Details": "db.labels() :: (label :: STRING)"})]) is None
    True
    >>> plan_refusal("r", [("ProcedureCall", {"Details": "apoc.load.json($url)"})])
    "the plan calls procedure 'apoc.load.json', which is not on the read-only list"
    """
    if query_type != "r":
        kind = {"rw": "read-write", "w": "write-only", "s": "schema-changing"}.get(query_type or "", query_type or "unknown")
        return f"the server plans this query as {kind} ({query_type}); only read queries run here"
    for op in operators:
        name, args = (op, {}) if isinstance(op, str) else op
        if name.startswith("LoadCSV"):
            return "the plan loads CSV; not allowed on the query path"
        if "ProcedureCall" in name:
            detail = str(args.get("Details") or args.get("Signature") or args.get("procedure") or "")
            proc = re.match(r"\s*([\w.]+)", detail)
            proc_name = proc.group(1).lower() if proc else ""
            if proc_name not in READ_PROCEDURES:
                return f"the plan calls procedure {proc.group(1) if proc else '?'!r}, which is not on the read-only list"
    return None
