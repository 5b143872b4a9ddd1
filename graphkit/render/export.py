"""Exports of the knowledge graph for other tools.

- ``neo4j-admin``: node and relationship CSV files with typed headers for
  ``neo4j-admin database import full``, the fast path for millions of nodes;
- ``graphml`` and ``gexf``: for Gephi, yEd, Cytoscape (lists as JSON text);
- ``json``: networkx node-link JSON.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx

from graphkit.exceptions import RenderError
from graphkit.tables import GraphTables

__all__ = ["ARRAY_DELIMITER", "EXPORT_FORMATS", "export_graph", "neo4j_admin_command"]

EXPORT_FORMATS = ("neo4j-admin", "graphml", "gexf", "json")
ARRAY_DELIMITER = "|"
_ADMIN_TYPES = {"STRING": "string", "STRING[]": "string[]", "BOOLEAN": "boolean", "INT64": "long", "DOUBLE": "double", "DATE": "date"}


def export_graph(G: nx.MultiDiGraph, fmt: str, out: str | Path) -> list[Path]:
    """Write ``G`` in one of :data:`EXPORT_FORMATS`; returns the files written.

    ``out`` is a folder for ``neo4j-admin`` and a file for the others.
    """
    out = Path(out)
    if fmt == "neo4j-admin":
        return _neo4j_admin(GraphTables.from_networkx(G), out)
    if fmt not in EXPORT_FORMATS:
        raise RenderError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        data = nx.node_link_data(G, edges="edges")
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
        return [out]
    flat = _flat(G)
    if fmt == "graphml":
        nx.write_graphml(flat, out)
    else:
        nx.write_gexf(flat, out)
    return [out]


def _flat(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Scalar attributes only: lists become JSON text, missing values are left out."""
    def scalar(data: dict) -> dict:
        return {k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, tuple)) else v) for k, v in data.items() if v is not None}

    H = nx.MultiDiGraph()
    H.add_nodes_from((n, scalar(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, k, scalar(d)) for u, v, k, d in G.edges(keys=True, data=True))
    return H


def _cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "STRING[]":
        items = list(value)
        bad = [s for s in items if ARRAY_DELIMITER in s]
        if bad:
            raise RenderError(f"list value {bad[0]!r} contains the array delimiter {ARRAY_DELIMITER!r}")
        return ARRAY_DELIMITER.join(items)
    if kind == "BOOLEAN":
        return "true" if value else "false"
    return str(value)


def _neo4j_admin(tables: GraphTables, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables.nodes:
        path = folder / f"nodes-{table.name}.csv"
        header = [f"id:ID({table.name})"] + [f"{n}:{_ADMIN_TYPES[k]}" for n, k in table.types.items() if n != "id"] + [":LABEL"]
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in table.rows():
                writer.writerow([row["id"]] + [_cell(row[n], k) for n, k in table.types.items() if n != "id"] + [table.name])
        written.append(path)
    for table in tables.rels:
        path = folder / f"rels-{table.name}-{table.from_label}-{table.to_label}.csv"
        props = {n: k for n, k in table.types.items() if n not in ("source", "target")}
        header = [f":START_ID({table.from_label})", f":END_ID({table.to_label})"] + [f"{n}:{_ADMIN_TYPES[k]}" for n, k in props.items()] + [":TYPE"]
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in table.rows():
                writer.writerow([row["source"], row["target"]] + [_cell(row[n], k) for n, k in props.items()] + [table.name])
        written.append(path)
    (folder / "IMPORT.txt").write_text(neo4j_admin_command(written) + "\n", encoding="utf-8")
    return written


def neo4j_admin_command(files: list[Path], database: str = "neo4j") -> str:
    """The ``neo4j-admin database import full`` command for the exported files (server stopped)."""
    args = [f"--nodes={p.name}" for p in files if p.name.startswith("nodes-")]
    args += [f"--relationships={p.name}" for p in files if p.name.startswith("rels-")]
    return (
        "# copy these files into the server's import folder, stop the database, then run:\n"
        "neo4j-admin database import full " + " ".join(args)
        + f' --array-delimiter="{ARRAY_DELIMITER}" --overwrite-destination {database}'
    )
