"""Deciding whether a Cypher query only reads, before it reaches a database.

Embedded store (LadybugDB)
--------------------------
LadybugDB opened read-only still runs ``COPY ... TO`` (writes any file),
``LOAD FROM`` (reads any file), ``INSTALL``/``LOAD EXTENSION`` and
``CHECKPOINT`` (which leaves a read-only opened database unreadable), and it
has no setting that turns file access or extensions off. So a query on the
embedded path passes three walls, each an allow-list:

1. :func:`embedded_refusal`: a tokenizer (strings, comments, backticks) reads
   the statement; it must be one statement that starts with ``MATCH``,
   ``OPTIONAL MATCH``, ``UNWIND``, ``WITH``, ``RETURN`` or ``CALL`` of a
   catalogue function, and every bare word in it must be a keyword of the
   read clauses (:data:`EMBEDDED_KEYWORDS`), a function on
   :data:`EMBEDDED_FUNCTIONS`, or a variable the query itself binds. A word
   it does not know may be a typo (``RETRUN``, or ``a`` left unbound by a
   missing ``)``): unless the statement also holds a clause that writes or
   reads files (:func:`embedded_refusal_detail`), the store first asks
   LadybugDB's parser alone, and a statement it cannot parse is reported as
   the syntax error it is, not refused.
2. :func:`embedded_plan_refusal`: LadybugDB's own parser and planner
   (``EXPLAIN``) must produce only read operators
   (:data:`EMBEDDED_PLAN_OPERATORS`) calling only catalogue table functions.
3. The database is opened ``read_only=True``, with a query timeout and a
   bounded buffer pool.

>>> embedded_refusal("MATCH (a:Author)-[r:COAUTHORED]-(b) WHERE r.weight > 1 RETURN a.name, count(b) AS n ORDER BY n DESC") is None
True
>>> embedded_refusal("COPY (MATCH (a) RETURN a) TO 'g/centrality.csv'")
"'COPY' is not allowed on the query path: only MATCH, OPTIONAL MATCH, UNWIND, WITH, RETURN and CALL of catalogue functions start a query"

Neo4j
-----

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
from collections.abc import Iterable, Iterator

__all__ = [
    "EMBEDDED_FUNCTIONS", "EMBEDDED_KEYWORDS", "EMBEDDED_PLAN_OPERATORS", "EMBEDDED_TABLE_FUNCTIONS", "READ_PROCEDURES",
    "embedded_plan_refusal", "embedded_refusal", "embedded_refusal_detail", "lexical_refusal", "missing_parameters",
    "plan_operators", "plan_refusal", "query_parameters",
]

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


# ------------------------------------------------------------------ embedded

#: Words of the read clauses; everything else must be a function or a bound variable.
EMBEDDED_KEYWORDS = frozenset("""
    MATCH OPTIONAL WHERE WITH RETURN UNWIND ORDER BY SKIP LIMIT UNION ALL DISTINCT AS
    AND OR XOR NOT IN IS NULL CASE WHEN THEN ELSE END STARTS ENDS CONTAINS EXISTS COUNT
    ASC DESC ASCENDING DESCENDING TRUE FALSE SHORTEST WSHORTEST CALL YIELD
""".split())
_FIRST_WORDS = frozenset({"MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "CALL"})
#: Clauses that write, or reach outside the graph: named as such when a query holds one.
_WRITE_CLAUSES = frozenset("""
    CREATE MERGE SET DELETE DETACH REMOVE DROP ALTER COPY LOAD INSTALL ATTACH EXPORT IMPORT
    FOREACH USE CHECKPOINT BEGIN COMMIT ROLLBACK
""".split())

#: Scalar and aggregate functions a query may call (pure computations on values).
EMBEDDED_FUNCTIONS = frozenset(f.upper() for f in """
    count sum avg min max collect stddev_samp stddev_pop
    lower upper tolower toupper lcase ucase trim ltrim rtrim substring substr left right size length concat
    contains starts_with ends_with prefix suffix reverse string_split split_part lpad rpad repeat replace
    regexp_matches regexp_replace regexp_extract regexp_extract_all levenshtein initcap array_extract
    list_contains list_has list_extract list_element list_concat list_cat list_append list_prepend list_sort
    list_reverse_sort list_distinct list_unique list_slice list_sum list_product list_any_value list_position
    list_indexof list_reverse list_to_string list_filter list_transform list_reduce range head tail
    coalesce ifnull nullif
    abs ceil ceiling floor round sqrt cbrt log log2 log10 ln exp pow power sign pi degrees radians
    sin cos tan asin acos atan atan2 even factorial gamma lgamma negate
    to_string tostring string cast to_int64 to_int32 to_int16 to_int8 to_double to_float tointeger tofloat
    to_uint64 to_uint32 to_bool to_date to_timestamp date timestamp interval
    date_part datepart date_trunc datetrunc dayname monthname last_day greatest least century epoch_ms
    id label labels nodes rels properties is_trail is_acyclic offset cost start_node end_node
    any all none single struct_extract map_extract element_at
""".split())

#: Table functions ``CALL f(...)`` may run: catalogue look-ups, no files.
EMBEDDED_TABLE_FUNCTIONS = frozenset({"TABLE_INFO", "SHOW_TABLES", "SHOW_CONNECTION", "DB_VERSION"})

#: Physical operators of read plans (LadybugDB ``EXPLAIN``); ``READ_FTABLE`` is
#: the table function that feeds ``RETURN``/``UNWIND`` without a ``MATCH``.
EMBEDDED_PLAN_OPERATORS = frozenset("""
    RESULT_COLLECTOR PROJECTION FILTER FLATTEN LIMIT SKIP TOP_K TOP_K_SCAN ORDER_BY ORDER_BY_MERGE ORDER_BY_SCAN
    AGGREGATE AGGREGATE_FINALIZE AGGREGATE_SCAN MULTIPLICITY_REDUCER UNWIND UNION_ALL_SCAN CROSS_PRODUCT
    HASH_JOIN_BUILD HASH_JOIN_PROBE INTERSECT INTERSECT_BUILD INDEX_LOOKUP SEMI_MASKER DUMMY_SINK DUMMY_SIMPLE_SINK
    SCAN_NODE_TABLE SCAN_REL_TABLE PRIMARY_KEY_SCAN_NODE_TABLE QUERY_PRIMARY_KEY_LOOKUP COUNT_REL_TABLE RECURSIVE_EXTEND PATH_PROPERTY_PROBE
    EMPTY_RESULT TABLE_FUNCTION_CALL
""".split())
_PLAN_FUNCTIONS = EMBEDDED_TABLE_FUNCTIONS | {"READ_FTABLE"}
#: The columns those functions yield (``CALL show_tables() RETURN name, type``); the rest have spaces in
#: their names and are written quoted (`` `primary key` ``).
_CATALOGUE_COLUMNS = frozenset({"ID", "NAME", "TYPE", "COMMENT", "VERSION"})

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<quoted>`(?:[^`]|``)*`)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<param>\$\w+)
  | (?P<punct>\.\.|<>|<=|>=|=~|->|<-|/(?!\*)|[^\s\w'"`/])
""", re.VERBOSE | re.DOTALL)


def _tokens(statement: str) -> list[tuple[str, str]]:
    """(kind, text) of every token that is not space or a comment; raises ValueError on what cannot be read.

    A quote or ``/*`` that nothing closes is not read as punctuation (the words after it would be
    taken for code):

    >>> _tokens("RETURN 'a' / 2 // half")
    [('word', 'RETURN'), ('string', "'a'"), ('punct', '/'), ('number', '2')]
    >>> _tokens("MATCH (a) RETURN 'Ada")
    Traceback (most recent call last):
    ValueError: an unterminated string (line: 1, offset: 17)
    >>> _tokens("MATCH (a)\\nRETURN a /* the name")
    Traceback (most recent call last):
    ValueError: an unterminated comment (line: 2, offset: 9)
    """
    tokens, pos = [], 0
    while pos < len(statement):
        match = _TOKEN.match(statement, pos)
        if match is None or match.end() == pos:
            line, line_start = statement.count("\n", 0, pos) + 1, statement.rfind("\n", 0, pos) + 1
            where = f"(line: {line}, offset: {pos - line_start})"  # as LadybugDB says where
            what = {"'": "string", '"': "string", "`": "quoted name", "/": "comment"}.get(statement[pos])
            if what:
                raise ValueError(f"an unterminated {what} {where}")
            raise ValueError(f"unexpected character {statement[pos]!r} {where}")
        if match.lastgroup not in ("space", "comment"):
            tokens.append((match.lastgroup, match.group()))
        pos = match.end()
    return tokens


def query_parameters(statement: str) -> list[str]:
    """The ``$parameters`` a statement uses, in order of first use; strings, quoted names and comments are not code.

    >>> query_parameters("MATCH (a:Author {name: $name}) WHERE a.h > $min // $not_this\\nRETURN '$nor_this', $name")
    ['name', 'min']

    A statement that cannot be read gives none (the guard says what is wrong with it).
    """
    try:
        tokens = _tokens(statement)
    except ValueError:
        return []
    return list(dict.fromkeys(text[1:] for kind, text in tokens if kind == "param"))


def missing_parameters(statement: str, params: dict | None) -> list[str]:
    """The ``$parameters`` the statement uses that ``params`` does not give (a value of None is given).

    The one rule both ways in share (``graphkit query --param`` and ``store.query(statement, params)``):
    LadybugDB reads a parameter it was not given as null, so a typo'd or forgotten name would quietly
    match nothing instead of failing.

    >>> missing_parameters("MATCH (a:Author) WHERE a.name = $name AND a.h_index > $min RETURN a", {"name": "Ada"})
    ['min']
    >>> missing_parameters("MATCH (a:Author) WHERE a.orcid = $orcid RETURN a", {"orcid": None})
    []
    """
    given = params or {}
    return [name for name in query_parameters(statement) if name not in given]


def _bound_names(tokens: list[tuple[str, str]]) -> set[str]:
    """Variables the statement binds: ``(a:...)``, ``[r]``, ``p = (...)``, ``AS x``, ``x IN`` in comprehensions."""
    bound = set()
    for i, (kind, text) in enumerate(tokens):
        if kind not in ("word", "quoted"):
            continue
        before = tokens[i - 1][1] if i else ""
        after = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        after2 = tokens[i + 2][1] if i + 2 < len(tokens) else ""
        if (before in ("(", "[") and after in (":", ")", "]", "{", "*", ",", "|")) \
                or before.upper() == "AS" \
                or (before in ("(", "[", ",") and after.upper() == "IN") \
                or (after == "=" and after2 == "(") \
                or (before == "," and after == "|") \
                or (after == "->" and before in ("(", ",", "")):  # a lambda: list_transform(l, x -> x.name)
            bound.add(text.upper())
    return bound


def _starts_clause(tokens: list[tuple[str, str]], i: int) -> bool:
    """Whether the word at ``i`` (a write clause's name, also bound as a variable) begins a clause: a
    variable is followed by punctuation or a keyword (``set.name``, ``set AS s``, ``set IS NULL``), a
    clause by what it acts on (``SET x.name``, ``SET `x`.name``, ``MERGE (``, ``LOAD FROM``)."""
    if i + 1 >= len(tokens):
        return False
    kind, text = tokens[i + 1]
    return (kind == "word" and text.upper() not in EMBEDDED_KEYWORDS) or kind in ("quoted", "string", "param") or text == "("


def embedded_refusal(statement: str) -> str | None:
    """A reason to refuse a statement on the embedded query path, or None (allow-list; see the module).

    >>> embedded_refusal("MATCH (p:Paper) WHERE p.title = 'COPY x TO y; LOAD FROM z' RETURN p.title") is None
    True
    >>> embedded_refusal("MATCH (a) RETURN a; MATCH (b) RETURN b")
    'one statement at a time'
    >>> embedded_refusal("MATCH (a:Author) RETURN a.name;") is None
    True
    >>> embedded_refusal("CALL show_tables() RETURN *") is None
    True
    >>> embedded_refusal("CALL table_info('Author') WHERE type = 'STRING' RETURN name, `primary key`") is None
    True
    >>> embedded_refusal("CALL threads=1")
    "CALL runs only catalogue functions here (DB_VERSION, SHOW_CONNECTION, SHOW_TABLES, TABLE_INFO), not 'threads'"
    >>> embedded_refusal("MATCH (a:Author) RETURN read_csv(a.name)")
    "function 'read_csv' is not on the read-only list"
    >>> embedded_refusal("MATCH (load:Author) LOAD FROM '/etc/passwd' RETURN *")
    "'LOAD' is not allowed on the query path: it writes to the database or reads files, and queries here only read the graph"
    >>> embedded_refusal("MATCH (a:Author) WITH a MERGE (b:Author {id: a.id})")[:8]
    "'MERGE' "
    >>> embedded_refusal("MATCH (set:Author) RETURN set.name") is None
    True
    >>> embedded_refusal("UNWIND [1, 2] AS set WITH set WHERE set > 1 RETURN set AS use, {set: 1} AS m ORDER BY use DESC") is None
    True
    >>> embedded_refusal("MATCH (x:Author), (set:Author) WITH set, x SET `x`.name = 'a'")[:6]
    "'SET' "
    """
    found = embedded_refusal_detail(statement)
    return found[0] if found else None


def embedded_refusal_detail(statement: str) -> tuple[str, bool] | None:
    """:func:`embedded_refusal`'s reason and whether it stands whether or not the statement parses.

    A refusal for what the statement would do stands: a clause that writes or reads files, a CALL of
    anything but a catalogue function, more than one statement (or none). The others may be a typo
    (a misspelt keyword reads as an unknown word, ``MACTH (`` as a function, a quote nothing closes
    as code): the store asks the database's parser first, and a statement it cannot parse is a syntax
    error rather than a refusal. A reason that stands is given before one that may not.

    >>> embedded_refusal_detail("MATCH (a:Author) RETRUN a")
    ("'RETRUN' is not allowed on the query path: not a read clause, a listed function or a variable the query binds", False)
    >>> embedded_refusal_detail("MATCH (a RETURN a.name CREATE (b:Author {id: 'x'})")[1]
    True
    """
    first = None
    for reason, stands in _embedded_refusals(statement):
        if stands:
            return reason, True
        first = first or (reason, False)
    return first


def _embedded_refusals(statement: str) -> Iterator[tuple[str, bool]]:
    """Every reason to refuse the statement, in order, each with whether it stands (see above)."""
    try:
        tokens = _tokens(statement)
    except ValueError as exc:
        yield f"cannot read the query: {exc}", False
        return
    while tokens and tokens[-1] == ("punct", ";"):
        tokens.pop()
    if not tokens:
        yield "the query is empty", True
        return
    if ("punct", ";") in tokens:
        yield "one statement at a time", True
        return
    first = tokens[0][1].upper() if tokens[0][0] == "word" else tokens[0][1]
    if first not in _FIRST_WORDS:
        yield (f"{tokens[0][1]!r} is not allowed on the query path: only MATCH, OPTIONAL MATCH, UNWIND, WITH, RETURN "
               "and CALL of catalogue functions start a query"), first in _WRITE_CLAUSES
    bound = _bound_names(tokens)
    if any(text.upper() == "CALL" for kind, text in tokens if kind == "word"):
        bound |= _CATALOGUE_COLUMNS  # a CALL of anything else is refused below
    for i, (kind, text) in enumerate(tokens):
        if kind != "word":
            continue
        word = text.upper()
        before = tokens[i - 1][1] if i else ""
        after = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        if before in (".", ":") or (before == "|" and i >= 3 and tokens[i - 3][1] == ":"):
            continue  # a property, label or relationship type
        if word == "CALL":
            name = tokens[i + 1][1] if i + 1 < len(tokens) else ""
            if name.upper() not in EMBEDDED_TABLE_FUNCTIONS or (tokens[i + 2][1] if i + 2 < len(tokens) else "") != "(":
                yield (f"CALL runs only catalogue functions here ({', '.join(sorted(EMBEDDED_TABLE_FUNCTIONS))}), "
                       f"not {name!r}"), True
            continue
        if before.upper() == "CALL" and word in EMBEDDED_TABLE_FUNCTIONS:
            continue
        if word in EMBEDDED_KEYWORDS:
            continue
        if after == ":" and before in ("{", ","):
            continue  # a key in a map literal or property pattern
        if word in _WRITE_CLAUSES and (word not in bound or _starts_clause(tokens, i)):
            yield (f"{text!r} is not allowed on the query path: it writes to the database or reads files, "
                   "and queries here only read the graph"), True
            continue
        if after == "(":
            if word not in EMBEDDED_FUNCTIONS:
                yield f"function {text!r} is not on the read-only list", False
            continue
        if word in bound:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is None or nxt[0] not in ("word", "string") or nxt[1].upper() in EMBEDDED_KEYWORDS \
                    or (nxt[1].upper() in _WRITE_CLAUSES and _starts_clause(tokens, i + 1)):
                continue  # (a write clause after a variable: the clause is named, on the next word)
        yield (f"{text!r} is not allowed on the query path: not a read clause, a listed function "
               "or a variable the query binds"), False


_PLAN_OPERATOR = re.compile(r"([A-Z][A-Z_]+)\[\d+\]")
_PLAN_FUNCTION = re.compile(r"Function:\s*([A-Z_]+)")


def embedded_plan_refusal(plan: str) -> str | None:
    """A reason to refuse from the text of LadybugDB's ``EXPLAIN`` plan, or None.

    >>> embedded_plan_refusal("RESULT_COLLECTOR[2] PROJECTION[1] TABLE_FUNCTION_CALL[0] Function: READ_FTABLE") is None
    True
    >>> embedded_plan_refusal("RESULT_COLLECTOR[2] COPY_TO[1] SCAN_NODE_TABLE[0]")
    "the plan holds 'COPY_TO', which is not a read operator"
    >>> embedded_plan_refusal("RESULT_COLLECTOR[1] TABLE_FUNCTION_CALL[0] Function: READ_CSV_PARALLEL")
    "the plan calls 'READ_CSV_PARALLEL', which is not on the read-only list"
    """
    operators = _PLAN_OPERATOR.findall(plan)
    if not operators:
        return "LadybugDB gave no plan for this statement"
    for name in operators:
        if name not in EMBEDDED_PLAN_OPERATORS:
            return f"the plan holds {name!r}, which is not a read operator"
    for name in _PLAN_FUNCTION.findall(plan):
        if name not in _PLAN_FUNCTIONS:
            return f"the plan calls {name!r}, which is not on the read-only list"
    return None
