"""Neo4j pieces that need no server: dialect, read-only guard, fast failure, exports."""

from __future__ import annotations

import csv
import json
import re
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


# ------------------------------------------------- neo4j-admin import headers
# The header rules of `neo4j-admin database import` (Neo4j 5 Operations Manual, "CSV header
# format"): a node file has one `[name]:ID[(idspace)]` field and may have `:LABEL`; a
# relationship file has `:START_ID[(idspace)]`, `:END_ID[(idspace)]` and `:TYPE`; every
# other field is `name[:type]` with a type from the list below, `type[]` for an array whose
# items are split on --array-delimiter (one character, not the field delimiter ",").
ADMIN_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point",
               "date", "localtime", "time", "localdatetime", "datetime", "duration"}
ID_FIELD = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)?:ID(?:\((?P<space>[A-Za-z_][A-Za-z0-9_]*)\))?$")
END_FIELD = re.compile(r"^:(?P<end>START_ID|END_ID)\((?P<space>[A-Za-z_][A-Za-z0-9_]*)\)$")
PROPERTY_FIELD = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?P<type>[a-z]+)(?P<array>\[\])?)?$")


def _property_fields(fields: list[str], where: str) -> dict[str, str]:
    props = {}
    for field in fields:
        match = PROPERTY_FIELD.match(field)
        assert match, f"{where}: {field!r} is not name:type"
        kind = match["type"] or "string"
        assert kind in ADMIN_TYPES, f"{where}: {field!r} has no neo4j-admin type"
        assert match["name"] not in props, f"{where}: {match['name']} twice"
        props[match["name"]] = kind + (match["array"] or "")
    return props


def test_neo4j_admin_headers_follow_import_rules(tmp_path, examples_graph):
    from graphkit.schema import REL_ENDPOINTS

    files = export_graph(examples_graph, "neo4j-admin", tmp_path / "admin")
    command = (tmp_path / "admin" / "IMPORT.txt").read_text().splitlines()[-1]
    assert command.startswith("neo4j-admin database import full ")
    delimiter = re.search(r'--array-delimiter="(.)"', command)[1]
    assert delimiter not in ',"\n'
    spaces = set()
    for path in files:
        with path.open(newline="", encoding="utf-8") as handle:
            header, *body = list(csv.reader(handle))
        where = path.name
        if path.name.startswith("nodes-"):
            ids = [f for f in header if ID_FIELD.match(f)]
            assert len(ids) == 1 and header.count(":LABEL") == 1, where
            space = ID_FIELD.match(ids[0])["space"]
            assert space in NODE_PROPERTIES and all(row[header.index(":LABEL")] == space for row in body), where
            spaces.add(space)
            props = _property_fields([f for f in header if f not in (ids[0], ":LABEL")], where)
            assert f"--nodes={path.name}" in command.split()
        else:
            ends = {END_FIELD.match(f)["end"]: END_FIELD.match(f)["space"] for f in header if END_FIELD.match(f)}
            assert set(ends) == {"START_ID", "END_ID"} and header.count(":TYPE") == 1, where
            types = {row[header.index(":TYPE")] for row in body}
            assert all((ends["START_ID"], ends["END_ID"]) in REL_ENDPOINTS[t] for t in types), where
            props = _property_fields([f for f in header if not END_FIELD.match(f) and f != ":TYPE"], where)
            assert f"--relationships={path.name}" in command.split()
        for row in body:
            assert len(row) == len(header), where
            for field, cell in zip(header, row):
                name = field.split(":")[0]
                if props.get(name, "").endswith("[]"):
                    continue  # arrays may hold the delimiter between items
                assert delimiter not in cell or props.get(name) == "string", f"{where}: {field} = {cell!r}"
    assert spaces == set(NODE_PROPERTIES)
    # every relationship file points into id spaces that node files define
    for path in files:
        if path.name.startswith("rels-"):
            header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
            assert {END_FIELD.match(f)["space"] for f in header if END_FIELD.match(f)} <= spaces


# ----------------------------------------------------------- error hygiene (#12 item 13)

def test_password_in_uri_is_never_printed():
    from graphkit.store.neo4j import Neo4jStore

    for uri in ("bolt://neo4j:hunter2-secret@127.0.0.1:9", "neo4j://neo4j:hunter2-secret@127.0.0.1:9",
                "bolt://neo4j:hunter2-secret@[::1"):
        result = runner.invoke(app, ["query", "--neo4j", uri, "RETURN 1"])
        assert result.exit_code == 1
        assert "hunter2" not in result.output + result.stderr
        assert "***" in result.stderr or "127.0.0.1:9" in result.stderr
        store = Neo4jStore(uri)
        assert "hunter2" not in repr(store) + store.path
        with pytest.raises(ConnectionFailed) as caught:
            store.check()
        assert "hunter2" not in str(caught.value)
    # the URI's credentials are used as the login
    store = Neo4jStore("bolt://alice:pw%40x@127.0.0.1:9")
    assert (store.user, store._password, store.uri) == ("alice", "pw@x", "bolt://127.0.0.1:9")


def test_build_to_a_dead_server_fails_before_reading_pages(tmp_path):
    # the input folder does not exist: reading it first would report that instead
    start = time.monotonic()
    result = runner.invoke(app, ["build", str(tmp_path / "no-such-pages"), "--neo4j", "bolt://127.0.0.1:9", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot reach Neo4j at bolt://127.0.0.1:9")
    assert "no-such-pages" not in result.stderr and not (tmp_path / "out").exists()
    assert time.monotonic() - start < 10


def test_routing_failure_says_what_to_try():
    result = runner.invoke(app, ["query", "--neo4j", "neo4j://127.0.0.1:9", "RETURN 1"])
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert "\n" not in line and "bolt://" in line and "cluster" in line


def test_gds_engine_needs_a_server(tmp_path):
    result = runner.invoke(app, ["centrality", "--engine", "gds", "--db", str(tmp_path)])
    assert result.exit_code == 2 and "--neo4j" in result.output
    dead = runner.invoke(app, ["centrality", "--engine", "gds", "--neo4j", "bolt://127.0.0.1:9", "--measure", "pagerank"])
    assert dead.exit_code == 1 and dead.stderr.startswith("error: cannot reach Neo4j")
    unknown = runner.invoke(app, ["centrality", "--engine", "gds", "--neo4j", "bolt://127.0.0.1:9", "--measure", "closeness"])
    assert unknown.exit_code == 2 and "no GDS engine" in unknown.output


def test_compose_starts_neo4j_5_with_gds():
    import yaml

    from .conftest import ROOT

    service = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["neo4j"]
    assert re.match(r"neo4j:5\.\d+", service["image"])
    assert json.loads(service["environment"]["NEO4J_PLUGINS"]) == ["graph-data-science"]
    assert "gds.*" in service["environment"]["NEO4J_dbms_security_procedures_unrestricted"]
    assert "7687:7687" in service["ports"] and "healthcheck" in service
