"""Every query in docs/cypher.md runs and answers, typed as it declares, so the cookbook never rots.

The type check is the contract for answers from both stores: int, float, str,
bool, list (of str), None, datetime.date (graphkit.store.values.plain); in
``--format json`` dates are ISO strings.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from typer.testing import CliRunner

from graphkit.analyze import centrality_table, load_coauthor_graph, write_back
from graphkit.cli import app
from graphkit.pipeline import build_knowledge_graph

from .conftest import AS_OF, EXAMPLES

COOKBOOK = Path(__file__).resolve().parents[1] / "docs" / "cypher.md"
ENTRY = re.compile(r"^## (?P<title>.+?)\n(?P<body>.*?)(?=^## |\Z)", re.S | re.M)
BLOCK = re.compile(r"```cypher(?: (?P<dialect>embedded|neo4j))?\n(?P<query>.*?)```", re.S)


def entries():
    out = []
    for match in ENTRY.finditer(COOKBOOK.read_text(encoding="utf-8")):
        body = match["body"]
        params = json.loads(re.search(r"<!-- params: (.*?) -->", body)[1])
        needs_write_back = "<!-- needs: write-back -->" in body
        blocks = [(b["dialect"], b["query"].strip()) for b in BLOCK.finditer(body)]
        out.append((match["title"], params, needs_write_back, blocks))
    return out


def declared_types() -> dict[str, dict[str, str]]:
    """Entry title -> {column: contract type}, from each entry's ``<!-- types: ... -->``."""
    text = COOKBOOK.read_text(encoding="utf-8")
    return {m["title"]: json.loads(re.search(r"<!-- types: (.*?) -->", m["body"])[1]) for m in ENTRY.finditer(text)}


def _is_iso_date(value) -> bool:
    try:
        return isinstance(value, str) and dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


CHECKS = {
    "STRING": lambda v: isinstance(v, str),
    "INT64": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "DOUBLE": lambda v: isinstance(v, float),
    "BOOLEAN": lambda v: isinstance(v, bool),
    "DATE": lambda v: type(v) is dt.date,
    "STRING[]": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
}


def assert_typed(title: str, rows: list[dict], types: dict[str, str]) -> None:
    for row in rows:
        assert list(row) == list(types), f"{title}: columns {list(row)} declared {list(types)}"
        for column, value in row.items():
            assert value is None or CHECKS[types[column]](value), (
                f"{title}: {column} = {value!r} ({type(value).__name__}) is not {types[column]}")


def test_cookbook_has_at_least_twelve_queries():
    assert len(entries()) >= 12
    types = declared_types()
    for title, _, _, blocks in entries():
        assert blocks, f"{title}: no cypher block"
        assert set(types[title].values()) <= set(CHECKS), f"{title}: unknown type in {types[title]}"


@pytest.fixture(scope="module")
def example_tables():
    return build_knowledge_graph([EXAMPLES], as_of=AS_OF).tables


@pytest.mark.parametrize("entry", entries(), ids=[e[0].split(".")[0] for e in entries()])
def test_cookbook_query_answers(entry, store_backend, example_tables):
    title, params, needs_write_back, blocks = entry
    store = store_backend(example_tables)
    if needs_write_back:
        write_back(store, centrality_table(load_coauthor_graph(store), ["betweenness", "pagerank"]))
    runnable = [q for dialect, q in blocks if dialect in (None, store.dialect)]
    assert runnable, f"{title}: nothing for {store.dialect}"
    for query in runnable:
        rows = store.query(query, params)
        assert rows, f"{title}: no rows on the examples"
        assert_typed(title, rows, declared_types()[title])


def test_json_answers_are_typed(tmp_path):
    """`query --format json` prints a 128-bit sum as a number and a date as an ISO string."""
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["build", str(EXAMPLES), "--out", str(out)]).exit_code == 0
    result = CliRunner().invoke(app, ["query", "--db", str(out), "--format", "json",
                                      "MATCH (p:Paper) WHERE p.date IS NOT NULL "
                                      "RETURN sum(p.year) AS s, min(p.date) AS first, count(p) AS n"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)[0]
    assert isinstance(row["s"], int) and row["s"] > 2000 * row["n"]
    assert _is_iso_date(row["first"])


def test_declared_types_follow_the_contract():
    """A column that returns a property directly (``x.prop AS col`` after RETURN) declares the contract's type for it."""
    from graphkit.schema import NODE_PROPERTIES, REL_PROPERTIES

    types = declared_types()
    checked = 0
    for title, _, _, blocks in entries():
        for _, query in blocks:
            kinds = {m[1]: NODE_PROPERTIES[m[2]] for m in re.finditer(r"\((\w+):(\w+)", query) if m[2] in NODE_PROPERTIES}
            kinds |= {m[1]: REL_PROPERTIES[m[2]] for m in re.finditer(r"\[(\w+):(\w+)", query) if m[2] in REL_PROPERTIES}
            returned = query[query.rfind("RETURN"):]  # a WITH's aliases are not columns of the answer
            for var, prop, column in re.findall(r"(?<![\w(])(\w+)\.(\w+) AS (\w+)", returned):
                if var in kinds and prop in kinds[var]:
                    assert types[title][column] == kinds[var][prop], f"{title}: {column} is {kinds[var][prop]} in the contract"
                    checked += 1
    assert checked >= 30, checked
