"""Exports of the knowledge graph for other tools.

- ``neo4j-admin``: node and relationship CSV files with typed headers for
  ``neo4j-admin database import full``, the fast path for millions of nodes;
- ``graphml`` and ``gexf``: for Gephi, yEd, Cytoscape (lists as JSON text);
- ``json``: networkx node-link JSON.

Exports never overwrite what graphkit did not write: a ``neo4j-admin``
folder must be new, empty or an earlier export (marked by ``.graphkit-export``,
which lists the files graphkit wrote there: only those are replaced or removed),
and an existing file is replaced only with ``overwrite=True``. Everything is
written beside the target first and renamed into place when complete, so a
failure leaves no partial folder or file.

XML 1.0 cannot hold most control characters (``\x00``-``\x08``, ``\x0b``,
``\x0c``, ``\x0e``-``\x1f``), lone surrogates, U+FFFE and U+FFFF, even
escaped; GraphML and GEXF exports replace each with U+FFFD (the replacement
character), in ids, attribute names and values alike.

``neo4j-admin`` lists are joined with ``|`` (:data:`ARRAY_DELIMITER`); when a
list value holds ``|`` the first of :data:`ARRAY_DELIMITERS` that no value
holds is used instead, and the import command in ``IMPORT.txt`` says which.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import networkx as nx

from graphkit.exceptions import RenderError
from graphkit.render._files import replace_file
from graphkit.tables import GraphTables

__all__ = ["ARRAY_DELIMITER", "ARRAY_DELIMITERS", "EXPORT_FORMATS", "EXPORT_MARKER", "export_graph", "neo4j_admin_command",
           "xml_safe"]

EXPORT_FORMATS = ("neo4j-admin", "graphml", "gexf", "json")
ARRAY_DELIMITER = "|"
ARRAY_DELIMITERS = ("|", ";", "¦", "¤", "§")
EXPORT_MARKER = ".graphkit-export"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ADMIN_TYPES = {"STRING": "string", "STRING[]": "string[]", "BOOLEAN": "boolean", "INT64": "long", "DOUBLE": "double", "DATE": "date"}


def export_graph(G: nx.MultiDiGraph, fmt: str, out: str | Path, *, overwrite: bool = False) -> list[Path]:
    """Write ``G`` in one of :data:`EXPORT_FORMATS`; returns the files written.

    ``out`` is a folder for ``neo4j-admin`` and a file for the others; see the
    module for what may be replaced. :class:`RenderError` (one line) otherwise.
    """
    out = Path(out)
    if fmt not in EXPORT_FORMATS:
        raise RenderError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    try:
        if fmt == "neo4j-admin":
            return _neo4j_admin(GraphTables.from_networkx(G), out)
        return [_export_file(G, fmt, out, overwrite=overwrite)]
    except OSError as exc:
        raise RenderError(f"cannot write {out}: {exc.strerror or exc}") from None


def _export_file(G: nx.MultiDiGraph, fmt: str, out: Path, *, overwrite: bool) -> Path:
    if out.is_dir():
        raise RenderError(f"{out} is a folder; give a file name for the {fmt} export")
    if out.exists() and not overwrite:
        raise RenderError(f"{out} exists; graphkit does not overwrite files it may not have written (use --overwrite)")
    out.parent.mkdir(parents=True, exist_ok=True)

    def write(handle) -> None:
        if fmt == "json":
            data = nx.node_link_data(G, edges="edges")
            handle.write((json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n").encode("utf-8"))
        elif fmt == "graphml":
            nx.write_graphml(_flat(G), handle)
        else:
            _write_gexf(_flat(G), handle)

    return replace_file(out, write)  # a new hidden file beside out, renamed over it: no other file is touched


def _write_gexf(H: nx.MultiDiGraph, handle) -> None:
    """``H`` as GEXF 1.2, as :func:`networkx.write_gexf` writes it but without the edge attribute
    ``networkx_key``: networkx writes each edge's multigraph key there (here ``e0``, ``e1``, ...), which
    means nothing in Gephi; an edge's identity is its ``id`` and its relationship type is in ``label``
    and ``rel_type``.

    >>> import io
    >>> H = _flat(nx.MultiDiGraph([("a", "b", {"type": "KNOWS"}), ("a", "b", {"type": "CITES"})]))
    >>> buffer = io.BytesIO()
    >>> _write_gexf(H, buffer)
    >>> text = buffer.getvalue().decode()
    >>> "networkx_key" in text, text.count("<edge "), 'label="CITES"' in text
    (False, 2, True)
    """
    from networkx.readwrite.gexf import GEXFWriter  # the writer write_gexf uses; its tree is edited before writing

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(H)
    graph = writer.xml.find("graph")
    for declared in graph.findall("attributes"):
        if declared.get("class") != "edge":
            continue
        for attribute in declared.findall("attribute"):
            if attribute.get("title") == "networkx_key":
                declared.remove(attribute)
                for values in graph.iterfind("edges/edge/attvalues"):
                    for value in values.findall("attvalue"):
                        if value.get("for") == attribute.get("id"):
                            values.remove(value)
        if not len(declared):
            graph.remove(declared)
    for edge in graph.iterfind("edges/edge"):  # GEXF's attvalues holds one attvalue or more
        values = edge.find("attvalues")
        if values is not None and not len(values):
            edge.remove(values)
    writer.write(handle)


def xml_safe(value):
    """``value`` with what XML 1.0 cannot hold replaced by U+FFFD (strings only).

    >>> xml_safe("Ada\x1b[31m Lovelace\x0b")
    'Ada\ufffd[31m Lovelace\ufffd'
    >>> xml_safe(3)
    3
    """
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _flat(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph as Gephi, yEd and Cytoscape read GraphML and GEXF: scalar, XML-safe attributes only (lists
    become JSON text, missing values are left out); each node's ``label`` its name (an author's,
    an institution's) or title (a paper's), its node label in ``node_label`` (a paper's ``kind`` stays its
    own: article, preprint, ...); each edge an id of its own
    (``e0``, ``e1``, ...: Gephi keeps one edge per id), its relationship type in ``label`` and ``rel_type``
    (GEXF's ``type`` is the edge's direction, not a free attribute). A node's ``id`` property is its
    element's id, not a data key as well.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("author:a", id="author:a", label="Author", name="Ada Lovelace", name_variants=["Ada Lovelace"])
    >>> G.add_node("paper:p", label="Paper", title="Notes", kind="article")
    >>> G.add_edge("author:a", "paper:p", key="AUTHORED", type="AUTHORED", position=0)
    'AUTHORED'
    >>> H = _flat(G)
    >>> H.nodes["author:a"]["label"], H.nodes["author:a"]["node_label"], H.nodes["paper:p"]["label"], "id" in H.nodes["author:a"]
    ('Ada Lovelace', 'Author', 'Notes', False)
    >>> H.nodes["paper:p"]["node_label"], H.nodes["paper:p"]["kind"]
    ('Paper', 'article')
    >>> list(H.edges(keys=True, data=True))
    [('author:a', 'paper:p', 'e0', {'position': 0, 'label': 'AUTHORED', 'rel_type': 'AUTHORED'})]
    """
    def scalar(data: dict) -> dict:
        return {xml_safe(k): xml_safe(json.dumps(v, ensure_ascii=False) if isinstance(v, (list, tuple)) else v)
                for k, v in data.items() if v is not None}

    def node(n, d: dict) -> dict:
        kind = d.get("label")
        shown = d.get("name") or d.get("title") or n
        # the node's own id is the element's id: a data key of that name too would be read twice (igraph warns
        # and drops one)
        kept = {k: v for k, v in d.items() if k != "label" and not (k == "id" and v == n)}
        return scalar({**kept, "label": shown, "node_label": kind})

    def edge(k, d: dict) -> dict:
        rel = d.get("type") or k
        return scalar({**{a: v for a, v in d.items() if a != "type"}, "label": rel, "rel_type": rel})

    H = nx.MultiDiGraph()
    H.add_nodes_from((xml_safe(n), node(n, d)) for n, d in G.nodes(data=True))
    H.add_edges_from((xml_safe(u), xml_safe(v), f"e{i}", edge(k, d))
                     for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True)))
    return H


def _array_delimiter(tables: GraphTables) -> str:
    """The first of :data:`ARRAY_DELIMITERS` that no list value holds."""
    used = set()
    for table in [*tables.nodes, *tables.rels]:
        for name, kind in table.types.items():
            if kind == "STRING[]":
                for items in table.columns[name]:
                    for item in items or ():
                        used.update(d for d in ARRAY_DELIMITERS if d in item)
    for delimiter in ARRAY_DELIMITERS:
        if delimiter not in used:
            return delimiter
    raise RenderError(f"list values hold every array delimiter neo4j-admin could use ({' '.join(ARRAY_DELIMITERS)}); "
                      "export as graphml, gexf or json instead")


def _cell(value, kind: str, delimiter: str = ARRAY_DELIMITER) -> str:
    if value is None:
        return ""
    if kind == "STRING[]":
        return delimiter.join(value)
    if kind == "BOOLEAN":
        return "true" if value else "false"
    return str(value)


def _neo4j_admin(tables: GraphTables, folder: Path) -> list[Path]:
    """Write into a fresh hidden folder beside ``folder``, then move it in: a new folder is renamed into
    place whole; into an earlier export, graphkit's files are moved in one by one and the files of the
    earlier export that this one does not write (listed in its marker) removed. Anything else in the
    folder (a user's notes, a subfolder) stays as it was; a failure leaves no partial file."""
    if folder.exists() and not folder.is_dir():
        raise RenderError(f"{folder} is a file; neo4j-admin export writes a folder")
    earlier = folder.is_dir() and (folder / EXPORT_MARKER).is_file()
    if folder.is_dir() and not earlier and any(folder.iterdir()):
        raise RenderError(f"{folder} exists and is not a graphkit export folder; graphkit will not write into it: "
                          "choose a new or empty folder")
    delimiter = _array_delimiter(tables)
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{folder.name}.building-", dir=folder.parent))
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(building, 0o777 & ~mask)  # a folder as mkdir makes it (mkdtemp's is private): a server's import reads it
        names = _write_neo4j_admin(tables, building, delimiter)
        if not folder.exists() or not any(folder.iterdir()):
            if folder.exists():
                folder.rmdir()
            os.replace(building, folder)
        else:
            before = _exported_names(folder / EXPORT_MARKER) if earlier else set()
            for name in [*names, "IMPORT.txt", EXPORT_MARKER]:
                target = folder / name
                if target.is_dir() or (target.exists() and not earlier):
                    raise RenderError(f"{target} is in the way of the export and graphkit did not write it")
                os.replace(building / name, target)
            for name in before - {*names, "IMPORT.txt", EXPORT_MARKER}:
                if "/" not in name and name.endswith(".csv"):
                    (folder / name).unlink(missing_ok=True)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return [folder / name for name in names]


def _exported_names(marker: Path) -> set[str]:
    """The files an earlier export listed in its marker (none for a marker of an older graphkit)."""
    lines = marker.read_text(encoding="utf-8", errors="replace").splitlines()
    return {line[2:] for line in lines[1:] if line.startswith("- ")}


def _write_neo4j_admin(tables: GraphTables, folder: Path, delimiter: str) -> list[str]:
    written = []
    for table in tables.nodes:
        path = folder / f"nodes-{table.name}.csv"
        header = [f"id:ID({table.name})"] + [f"{n}:{_ADMIN_TYPES[k]}" for n, k in table.types.items() if n != "id"] + [":LABEL"]
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in table.rows():
                writer.writerow([row["id"]] + [_cell(row[n], k, delimiter) for n, k in table.types.items() if n != "id"] + [table.name])
        written.append(path)
    for table in tables.rels:
        path = folder / f"rels-{table.name}-{table.from_label}-{table.to_label}.csv"
        props = {n: k for n, k in table.types.items() if n not in ("source", "target")}
        header = [f":START_ID({table.from_label})", f":END_ID({table.to_label})"] + [f"{n}:{_ADMIN_TYPES[k]}" for n, k in props.items()] + [":TYPE"]
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in table.rows():
                writer.writerow([row["source"], row["target"]] + [_cell(row[n], k, delimiter) for n, k in props.items()] + [table.name])
        written.append(path)
    (folder / "IMPORT.txt").write_text(neo4j_admin_command(written, delimiter=delimiter) + "\n", encoding="utf-8")
    (folder / EXPORT_MARKER).write_text(  # what the next export into this folder may replace or remove
        "graphkit neo4j-admin export: graphkit replaces these files, and only these, when it exports here again\n"
        + "".join(f"- {p.name}\n" for p in written), encoding="utf-8")
    return [p.name for p in written]


def neo4j_admin_command(files: list[Path], database: str = "neo4j", *, delimiter: str = ARRAY_DELIMITER) -> str:
    """The ``neo4j-admin database import full`` command for the exported files (server stopped)."""
    args = [f"--nodes={p.name}" for p in files if p.name.startswith("nodes-")]
    args += [f"--relationships={p.name}" for p in files if p.name.startswith("rels-")]
    return (
        "# copy these files into the server's import folder, stop the database, then run:\n"
        "neo4j-admin database import full " + " ".join(args)
        + f' --array-delimiter="{delimiter}" --overwrite-destination {database}'
    )
