"""Every Cypher statement graphkit sends, checked by Neo4j's own front end.

No Neo4j server runs here, but Neo4j publishes its Cypher parser and semantic
analysis (with Neo4j 5's functions and procedures, GDS and APOC) as the npm
package @neo4j-cypher/language-support; tools/cypher-lint/lint.mjs runs
``lintCypherQuery`` over a batch of statements. ``make test`` installs the
pinned package (``npm ci --prefix tools/cypher-lint``).

- every statement of ``graphkit.store.cypher.statements("neo4j")`` and every
  Neo4j-runnable query of docs/cypher.md must have no error diagnostic and
  no "not present in the database" warning for a label, type or key (the
  schema handed to the front end is the whole contract);
- where the embedded dialect spells a statement differently, its form is
  shown beside the Neo4j one (``path-shortest[embedded]``) and run on a real
  LadybugDB database instead;
- the front end is shown to reject what it should, so these tests can fail.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from graphkit.schema import NODE_PROPERTIES, REL_ENDPOINTS, REL_PROPERTIES
from graphkit.store.cypher import GDS_ALGORITHMS, WRITE_BACK_KINDS, statements

from .test_cookbook import entries

LINT_DIR = Path(__file__).resolve().parents[1] / "tools" / "cypher-lint"
PACKAGE = LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support" / "package.json"
NEO4J = {s.name: s for s in statements("neo4j")}
EMBEDDED = {s.name: s for s in statements("embedded")}
# keys of the parameter maps (row.source, p.s, ...) read as property keys by the front end
ROW_KEYS = {"source", "target", "s", "t", "value"}
PROPERTY_KEYS = sorted(
    {p for props in NODE_PROPERTIES.values() for p in props}
    | {p for props in REL_PROPERTIES.values() for p in props}
    | set(WRITE_BACK_KINDS) | ROW_KEYS
)
SCHEMA = {"labels": list(NODE_PROPERTIES), "relationshipTypes": list(REL_ENDPOINTS), "propertyKeys": PROPERTY_KEYS}

# Statements the front end must reject (the lint would pass anything otherwise).
REJECTED = {
    "neo4j4-exists": "MATCH (a:Author) WHERE exists(a.name) RETURN a.id",
    "unknown-procedure": "CALL gds.nope.stream('g') YIELD nodeId RETURN nodeId",
    "embedded-shortest": EMBEDDED["path-shortest"].text,
    "wrong-yield": "CALL gds.pageRank.stream('g', {}) YIELD nodeId, centrality RETURN nodeId",
    "undeclared-parameter": "UNWIND $rows AS row MERGE (n:Author {id: row.id})",
}

# Configuration keys of the GDS 2.x procedures graphkit calls (GDS manual, "Syntax" tables):
# the front end checks procedure names, argument counts and types and YIELD fields; the
# keys inside the configuration map are checked against this table.
GDS_COMMON = {"concurrency", "jobId", "logProgress", "nodeLabels", "relationshipTypes", "sudo",
              "writeProperty", "writeConcurrency"}
GDS_CONFIG_KEYS = {
    "gds.pageRank": {"dampingFactor", "maxIterations", "tolerance", "relationshipWeightProperty", "sourceNodes", "scaler"},
    "gds.betweenness": {"samplingSize", "samplingSeed", "relationshipWeightProperty"},
    "gds.degree": {"orientation", "relationshipWeightProperty"},
    "gds.louvain": {"relationshipWeightProperty", "seedProperty", "maxLevels", "maxIterations", "tolerance",
                    "includeIntermediateCommunities", "consecutiveIds"},
    "gds.leiden": {"relationshipWeightProperty", "maxLevels", "gamma", "theta", "tolerance", "includeIntermediateCommunities",
                   "seedProperty", "randomSeed", "consecutiveIds", "minCommunitySize"},
    "gds.kcore": set(),
}


def _cookbook():
    """(id, dialect, query, params, write-back) for every block of docs/cypher.md."""
    out = []
    for title, params, _, blocks in entries():
        number = title.split(".")[0]
        for dialect, query in blocks:
            out.append((f"cookbook-{number}[{dialect or 'both'}]", dialect, query, params))
    return out


COOKBOOK = _cookbook()


@pytest.fixture(scope="session")
def lint():
    """Diagnostics per statement id, from one run of the Node script over everything."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH: Neo4j's Cypher front end runs on Node (make test installs the package)")
    if not PACKAGE.exists():
        pytest.skip(f"{PACKAGE.parent} is absent: run `npm ci --prefix tools/cypher-lint` (make test does)")
    batch = [{"name": f"{name}[neo4j]", "query": s.text, "parameters": s.parameters} for name, s in NEO4J.items()]
    batch += [{"name": f"{name}[embedded]", "query": s.text, "parameters": s.parameters} for name, s in EMBEDDED.items()]
    batch += [{"name": key, "query": query, "parameters": params} for key, _, query, params in COOKBOOK]
    batch += [{"name": f"rejected-{key}", "query": query, "parameters": {}} for key, query in REJECTED.items()]
    # two Node processes, one per core: the front end costs ~0.14 s of CPU a statement
    halves = [batch[0::2], batch[1::2]]
    procs = [subprocess.Popen([node, str(LINT_DIR / "lint.mjs")], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in halves]
    for proc, half in zip(procs, halves):  # the script reads all its input before it starts
        proc.stdin.write(json.dumps({"schema": SCHEMA, "statements": half}, default=str))
        proc.stdin.close()
    out = {}
    for proc in procs:
        stdout, stderr = proc.stdout.read(), proc.stderr.read()  # stderr stays small: warnings only
        proc.wait(timeout=600)
        assert proc.returncode == 0, stderr[-2000:]
        out.update({item["name"]: item["diagnostics"] for item in json.loads(stdout)})
    assert len(out) == len(batch)
    return out


def _problems(diagnostics: list[dict]) -> list[str]:
    """Errors, and warnings that a label, type, key or procedure is unknown (the schema is complete)."""
    return [
        f"{d['line']}:{d['column']} {d['severity']}: {d['message'].splitlines()[0]}"
        for d in diagnostics
        if d["severity"] == "error" or "is not present in the database" in d["message"]
    ]


@pytest.mark.parametrize("name", sorted(NEO4J), ids=[f"{n}[neo4j]" for n in sorted(NEO4J)])
def test_catalogue_passes_neo4j_front_end(lint, name):
    assert _problems(lint[f"{name}[neo4j]"]) == [], NEO4J[name].text


SIDE_BY_SIDE = sorted(set(NEO4J) & set(EMBEDDED))


@pytest.mark.parametrize("name", SIDE_BY_SIDE, ids=[f"{n}[embedded]" for n in SIDE_BY_SIDE])
def test_embedded_form_beside_neo4j_form(lint, name):
    """Where both dialects send a statement: the same text passes Neo4j's front end too; a
    different text is the embedded spelling (run on LadybugDB by test_embedded_catalogue_runs)."""
    embedded, neo4j = EMBEDDED[name].text, NEO4J[name].text
    if embedded == neo4j:
        assert _problems(lint[f"{name}[embedded]"]) == []
    else:
        assert EMBEDDED[name].parameters.keys() == NEO4J[name].parameters.keys()


def test_embedded_dialect_is_not_neo4j_cypher(lint):
    """The embedded spellings that differ for a reason are ones Neo4j rejects."""
    for name in ("path-shortest", "load-node-Paper", "write-back-pagerank", "schema-1"):
        assert EMBEDDED[name].text != NEO4J[name].text
        assert any(d["severity"] == "error" for d in lint[f"{name}[embedded]"]), EMBEDDED[name].text


@pytest.mark.parametrize("key", [c[0] for c in COOKBOOK if c[1] != "embedded"])
def test_cookbook_passes_neo4j_front_end(lint, key):
    query = next(c[2] for c in COOKBOOK if c[0] == key)
    assert _problems(lint[key]) == [], query


@pytest.mark.parametrize("key", [c[0] for c in COOKBOOK if c[1] == "embedded"])
def test_cookbook_embedded_forms_are_marked(lint, key):
    """A block marked `cypher embedded` is one Neo4j would reject (else it needs no mark)."""
    assert any(d["severity"] == "error" for d in lint[key])


@pytest.mark.parametrize("key", sorted(REJECTED))
def test_front_end_rejects(lint, key):
    assert any(d["severity"] == "error" for d in lint[f"rejected-{key}"]), REJECTED[key]


def test_catalogue_covers_every_label_type_and_gds_call():
    names = set(NEO4J)
    for label in NODE_PROPERTIES:
        assert {f"load-node-{label}", f"prune-node-{label}", f"read-node-{label}"} <= names
    for rel_type, pairs in REL_ENDPOINTS.items():
        for a, b in pairs:
            assert {f"load-rel-{rel_type}-{a}-{b}", f"prune-rel-{rel_type}-{a}-{b}", f"read-rel-{rel_type}-{a}-{b}"} <= names
    assert {"gds-project", "gds-drop", "guard-explain", "path-shortest"} <= names
    for measure in GDS_ALGORITHMS:
        assert {f"gds-{measure}-stream", f"gds-{measure}-write"} <= names
    for dialect in (NEO4J, EMBEDDED):
        for s in dialect.values():
            used = {part.split()[0].strip(",.)}[") for part in s.text.split("$")[1:]}
            assert used == set(s.parameters), f"{s.name}: parameters {sorted(used)} declared {sorted(s.parameters)}"


def test_catalogue_follows_the_contract(monkeypatch):
    """A property added to graphkit.schema appears in the loads and reads without an edit."""
    from graphkit.store import cypher

    monkeypatch.setitem(NODE_PROPERTIES, "Author", {**NODE_PROPERTIES["Author"], "orcid_probe": "STRING"})
    monkeypatch.setitem(REL_PROPERTIES, "AUTHORED", {**REL_PROPERTIES["AUTHORED"], "affiliations_probe": "STRING[]"})
    texts = {s.name: s.text for s in cypher.statements("neo4j")}
    assert "n.`orcid_probe` = row.`orcid_probe`" in texts["load-node-Author"]
    assert "r.`affiliations_probe` AS `affiliations_probe`" in texts["read-rel-AUTHORED-Author-Paper"]
    embedded = {s.name: s.text for s in cypher.statements("embedded")}
    assert "orcid_probe STRING" in embedded["schema-1"]


@pytest.mark.parametrize("measure", sorted(GDS_ALGORITHMS))
def test_gds_configuration_keys(measure):
    algo = GDS_ALGORITHMS[measure]
    assert set(algo["config"]) <= GDS_CONFIG_KEYS[algo["procedure"]] | GDS_COMMON


def test_cookbook_quotes_the_catalogue():
    from .test_cookbook import COOKBOOK

    assert NEO4J["gds-pagerank-stream"].text in COOKBOOK.read_text(encoding="utf-8")


def test_gds_engine_passes_every_parameter_its_statements_take():
    """What graphkit.analyze.gds sends with each GDS statement is exactly what the statement takes."""
    from graphkit.analyze.gds import _params

    settings = {"damping_factor": 0.85, "max_iterations": 100, "tolerance": 1e-7, "sampling_size": 10, "seed": 0}
    for name, statement in NEO4J.items():
        if name.startswith("gds-") and name.endswith(("-stream", "-write")):
            sent = _params(statement.text, "g", settings, prop="x" if name.endswith("-write") else None)
            assert set(sent) == set(statement.parameters), name
            assert all(v is not None for v in sent.values()), name
