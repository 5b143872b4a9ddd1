// Lint Cypher with Neo4j's own front end (@neo4j-cypher/language-support).
// stdin:  {"schema": {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...]},
//          "statements": [{"name": "...", "query": "...", "parameters": {"rows": []}}]}
// stdout: [{"name": "...", "diagnostics": [{"severity": "error"|"warning"|..., "message": "...", "line": 1, "column": 1}]}]
// The schema is Neo4j's test schema (Neo4j 5's functions and procedures, GDS and APOC
// included) plus graphkit's labels, types and keys and each statement's own parameters.
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

const input = JSON.parse(await readStdin());
const base = testData.mockSchema;
const extra = input.schema ?? {};
const union = (a, b) => [...new Set([...(a ?? []), ...(b ?? [])])];
const out = input.statements.map(({ name, query, parameters }) => {
  const schema = {
    ...base,
    labels: union(base.labels, extra.labels),
    relationshipTypes: union(base.relationshipTypes, extra.relationshipTypes),
    propertyKeys: union(base.propertyKeys, extra.propertyKeys),
    parameters: { ...(parameters ?? {}) },
  };
  const { diagnostics } = lintCypherQuery(query, schema);
  return {
    name,
    diagnostics: diagnostics.map((d) => ({
      severity: SEVERITY[d.severity] ?? String(d.severity),
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
    })),
  };
});
process.stdout.write(JSON.stringify(out) + '\n');
