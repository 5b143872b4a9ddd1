"""Neo4j pieces that need no server: dialect, read-only guard, fast failure, exports."""

from __future__ import annotations

import csv
import json
import time

import networkx as nx
import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.exceptions import ConnectionFailed
from graphkit.pipeline import build_knowledge_graph
from graphkit.render.export import export_graph
from graphkit.schema import NODE_PROPERTIES
from graphkit.store import dialect
from graphkit.store.guard import lexical_refusal, plan_operators, plan_refusal

from .conftest import AS_OF, EXAMPLES

runner = CliRunner()


def test_dialect_schema_statements():
    neo = dialect.schema_statements("neo4j")
    assert neo == [f"CREATE CONSTRAINT {l.lower()}_id IF NOT EXISTS FOR (n:{l}) REQUIRE n.id IS UNIQUE" for l in NODE_PROPERTIES]
    embedded = dialect.schema_statements("embedded")
    assert any(s.startswith("CREATE REL TABLE IF NOT EXISTS AFFILIATED_WITH(FROM Paper TO Institution, FROM Author TO Institution") for s in embedded)
    assert dialect.add_property_statements("neo4j", "Author", "pagerank", "DOUBLE") == []
    assert dialect.add_property_statements("embedded", "Author", "pagerank", "DOUBLE") == ["ALTER TABLE Author ADD IF NOT EXISTS `pagerank` DOUBLE"]
    assert dialect.typed("embedded", "row.x", "STRING") == "row.x"
    with pytest.raises(ValueError):
        dialect.identifier("bad name")
    with pytest.raises(ValueError):
        dialect.shortest_path_match("neo4j", "a", "COAUTHORED`]-() DETACH DELETE a //", "b", 3)


@pytest.mark.parametrize(
    "query, refused",
    [
        ("MATCH (a:Author) RETURN a.name", False),
        ("MATCH (p:Paper) WHERE p.title CONTAINS 'LOAD CSV' RETURN p", False),
        ("MATCH (p:Paper) // LOAD CSV in a comment\nRETURN p", False),
        ("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", True),
        ("load  csv with headers from 'https://example.org/x.csv' as r return r", True),
        ("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS", True),
        ("CREATE USER eve SET PASSWORD 'x'", True),
        ("DROP DATABASE neo4j", True),
        ("GRANT ALL ON DATABASE * TO eve", True),
        ("MATCH (n) RETURN n; MATCH (m) DETACH DELETE m", True),
        (":play movies", True),
        ("CREATE (n:Author {id: 'x'})", False),  # lexically plain Cypher: the plan check refuses it
    ],
)
def test_guard_lexical_decisions(query, refused):
    assert (lexical_refusal(query) is not None) is refused


@pytest.mark.parametrize(
    "query_type, operators, refused",
    [
        ("r", ["ProduceResults", "Projection", "NodeByLabelScan"], False),
        ("rw", ["ProduceResults", "Create"], True),
        ("w", ["EmptyResult", "Create"], True),
        ("s", ["CreateIndex"], True),
        (None, [], True),
        ("r", ["ProduceResults", "LoadCSV"], True),
        ("r", [("ProcedureCall", {"Details": "db.labels() :: (label :: STRING)"})], False),
        ("r", [("ProcedureCall", {"Details": "apoc.load.jsonParams('http://x', {}, null)"})], True),
        ("r", [("ProcedureCall@neo4j", {"Details": "dbms.listConfig()"})], True),
    ],
)
def test_guard_plan_decisions(query_type, operators, refused):
    assert (plan_refusal(query_type, operators) is not None) is refused


def test_plan_operators_flattens_driver_plans():
    plan = {"operatorType": "ProduceResults@neo4j", "args": {}, "children": [
        {"operatorType": "ProcedureCall@neo4j", "args": {"Details": "apoc.cypher.runWrite('x')"}, "children": []}]}
    ops = plan_operators(plan)
    assert [name for name, _ in ops] == ["ProduceResults", "ProcedureCall"]
    assert plan_refusal("r", ops) is not None


def test_unreachable_server_fails_fast_with_one_line():
    start = time.monotonic()
    result = runner.invoke(app, ["query", "--neo4j", "bolt://127.0.0.1:9", "RETURN 1"])
    elapsed = time.monotonic() - start
    assert result.exit_code == 1
    assert elapsed < 10
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach Neo4j at bolt://127.0.0.1:9")
    assert "Traceback" not in result.output
    bad = runner.invoke(app, ["build", str(EXAMPLES), "--neo4j", "http://127.0.0.1:9"])
    assert bad.exit_code == 1 and "not a Neo4j Bolt URI" in bad.stderr


def test_library_raises_connection_failed():
    from graphkit.store.neo4j import Neo4jStore

    with pytest.raises(ConnectionFailed, match="cannot reach"):
        Neo4jStore("neo4j://127.0.0.1:9").query("RETURN 1")


@pytest.fixture(scope="module")
def examples_graph():
    return build_knowledge_graph([EXAMPLES], as_of=AS_OF).graph


def test_neo4j_admin_export_reads_back(tmp_path, examples_graph):
    files = export_graph(examples_graph, "neo4j-admin", tmp_path)
    G = nx.MultiDiGraph()
    for path in files:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        if path.name.startswith("nodes-"):
            label = path.name[len("nodes-"):-4]
            assert header[0] == f"id:ID({label})" and header[-1] == ":LABEL"
            for row in body:
                assert row[-1] == label
                data = {}
                for spec, cell in zip(header[1:-1], row[1:-1]):
                    name, kind = spec.split(":")
                    data[name] = _parse(cell, kind)
                G.add_node(row[0], label=label, id=row[0], **data)
        else:
            assert header[0].startswith(":START_ID(") and header[1].startswith(":END_ID(") and header[-1] == ":TYPE"
            for row in body:
                data = {spec.split(":")[0]: _parse(cell, spec.split(":")[1]) for spec, cell in zip(header[2:-1], row[2:-1])}
                G.add_edge(row[0], row[1], row[-1], type=row[-1], **data)
    assert dict(G.nodes(data=True)) == dict(examples_graph.nodes(data=True))
    assert {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True)} == {
        (u, v, k): d for u, v, k, d in examples_graph.edges(keys=True, data=True)}
    command = (tmp_path / "IMPORT.txt").read_text()
    assert "neo4j-admin database import full" in command and "--nodes=nodes-Author.csv" in command


def _parse(cell: str, kind: str):
    if cell == "":
        return [] if kind == "string[]" else None
    return {"long": int, "double": float, "boolean": lambda c: c == "true", "string[]": lambda c: c.split("|")}.get(kind, str)(cell)


def test_graphml_gexf_json_exports(tmp_path, examples_graph):
    graphml = export_graph(examples_graph, "graphml", tmp_path / "g.graphml")[0]
    back = nx.read_graphml(graphml)
    assert back.number_of_nodes() == examples_graph.number_of_nodes()
    assert back.number_of_edges() == examples_graph.number_of_edges()
    assert json.loads(back.nodes["author:kenton-lee"]["name_variants"]) == ["Kenton Lee"]
    gexf = export_graph(examples_graph, "gexf", tmp_path / "g.gexf")[0]
    assert nx.read_gexf(gexf).number_of_nodes() == examples_graph.number_of_nodes()
    data = json.loads(export_graph(examples_graph, "json", tmp_path / "g.json")[0].read_text())
    assert len(data["nodes"]) == examples_graph.number_of_nodes() and len(data["edges"]) == examples_graph.number_of_edges()


def test_export_cli(tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(EXAMPLES), "--out", str(out)]).exit_code == 0
    result = runner.invoke(app, ["export", str(tmp_path / "admin"), "--db", str(out)])
    assert result.exit_code == 0 and "neo4j-admin database import full" in result.stdout
    assert (tmp_path / "admin" / "nodes-Paper.csv").exists()
