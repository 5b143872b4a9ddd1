"""The ``graphkit`` command line: a thin layer over the library.

Each command parses its options, calls one library function, prints the
result, and turns a :class:`~graphkit.exceptions.GraphkitError` into a
one-line message and exit code 1.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import re
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from graphkit.exceptions import GraphkitError

if TYPE_CHECKING:  # pydantic costs 0.1 s of start-up; commands import what they use
    from graphkit.models import Problem

app = typer.Typer(
    name="graphkit",
    help="Turn researcher profile pages into a co-authorship knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


# ------------------------------------------------------------ shared options


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class TableOrJson(str, Enum):
    table = "table"
    json = "json"


def _parse_date(value: Optional[str]) -> Optional[_dt.date]:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


AsOf = Annotated[
    Optional[str],
    typer.Option("--as-of", help="Date the pages were captured (YYYY-MM-DD); year-less card dates resolve against it. Default: today."),
]
Strict = Annotated[bool, typer.Option("--strict", help="Exit 1 if any input problem was found.")]
DEFAULT_OUT = Path("graphkit-out")
DbDir = Annotated[
    Path, typer.Option("--db", help="Output folder of `graphkit build` (or the database file inside it).")
]
Neo4jUri = Annotated[
    Optional[str],
    typer.Option("--neo4j", envvar="NEO4J_URI", show_envvar=True, help="Use a Neo4j server instead of the embedded store (bolt:// or neo4j:// URI)."),
]
Neo4jUser = Annotated[str, typer.Option("--neo4j-user", envvar="NEO4J_USER", show_envvar=True)]
Neo4jPassword = Annotated[str, typer.Option("--neo4j-password", envvar="NEO4J_PASSWORD", show_envvar=True)]
Neo4jDatabase = Annotated[str, typer.Option("--neo4j-database", envvar="NEO4J_DATABASE", show_envvar=True)]


def handle_errors(func):
    """Turn graphkit errors into one line on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except GraphkitError as exc:
            err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
            raise typer.Exit(1) from None

    return wrapper


def print_problems(problems: list[Problem], *, limit: int = 50) -> None:
    """Problems to stderr, one per line, then their count."""
    for problem in problems[:limit]:
        err.print(f"problem: {problem}", markup=False, highlight=False)
    if len(problems) > limit:
        err.print(f"... and {len(problems) - limit} more (all are in the report)", markup=False)
    err.print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}", markup=False, highlight=False)


def _finish(problems: list[Problem], strict: bool) -> None:
    """Report input problems; exit 1 in strict mode when there were any."""
    if problems:
        print_problems(problems)
        if strict:
            raise typer.Exit(1)


def print_rows(rows: list[dict[str, Any]], fmt: TableFormat, *, title: str | None = None) -> None:
    """Print a list of flat dicts as a table, a JSON array or CSV."""
    columns = list(rows[0]) if rows else []
    if fmt is TableFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, default=_json_default, indent=1) + "\n")
    elif fmt is TableFormat.csv:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_value(v) for k, v in row.items()})
    else:
        table = Table(title=title, show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(_table_value(row[c]) for c in columns))
        out.print(table)
        out.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", highlight=False)


def _json_default(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, tuple)):
        return list(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def _csv_value(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    return "" if value is None else value


def _table_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    return str(value)


# ------------------------------------------------------------------ commands


def _version(value: bool) -> None:
    if value:
        from graphkit import __version__

        out.print(f"graphkit {__version__}")
        raise typer.Exit()


NEO4J_SETTINGS: dict[str, str] = {"user": "neo4j", "password": "graphkit-dev", "database": "neo4j"}


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
    neo4j_user: Neo4jUser = "neo4j",
    neo4j_password: Neo4jPassword = "graphkit-dev",
    neo4j_database: Neo4jDatabase = "neo4j",
) -> None:
    """Turn researcher profile pages into a co-authorship knowledge graph.

    Neo4j credentials (for any command's --neo4j) come from these options or
    NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE; the password defaults to the
    one docker-compose.yml sets up.
    """
    NEO4J_SETTINGS.update(user=neo4j_user, password=neo4j_password, database=neo4j_database)


@app.command()
@handle_errors
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Profile pages, or folders walked for *.txt.")],
    as_of: AsOf = None,
    fmt: Annotated[TableOrJson, typer.Option("--format", help="json: JSON Lines, one object per profile and per paper.")] = TableOrJson.table,
    strict: Strict = False,
) -> None:
    """Read profile pages and print the profiles and papers found."""
    from graphkit.extract import iter_pages

    problems: list[Problem] = []
    n_profiles = n_papers = 0
    table = None
    if fmt is TableOrJson.table:
        table = Table("owner", "line", "date", "cat", "title", "authors", "inst")
    for page in iter_pages(paths, as_of=_parse_date(as_of)):
        problems.extend(page.problems)
        if page.profile is not None:
            n_profiles += 1
            if fmt is TableOrJson.json:
                sys.stdout.write(json.dumps({"kind": "profile", **page.profile.model_dump(mode="json")}, ensure_ascii=False) + "\n")
        for paper in page.papers:
            n_papers += 1
            if fmt is TableOrJson.json:
                sys.stdout.write(json.dumps({"kind": "paper", **paper.model_dump(mode="json")}, ensure_ascii=False) + "\n")
            else:
                authors = ", ".join(paper.authors) + (" et al." if paper.authors_truncated else "")
                table.add_row(
                    paper.owner or "", str(paper.line), str(paper.date or paper.year or ""), paper.category or "",
                    paper.title + (" (derived)" if paper.title_inferred else ""), authors, ", ".join(paper.institutions),
                )
    if table is not None:
        out.print(table)
        out.print(f"{n_profiles} profiles, {n_papers} papers", highlight=False)
    print_problems(problems)
    if strict and problems:
        raise typer.Exit(1)


def _parse_param(text: str) -> tuple[str, Any]:
    """``key=value`` into a query parameter. Integers, decimals, true/false/null and
    JSON lists are typed; everything else stays a string, exactly as given."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip().isidentifier():
        raise typer.BadParameter(f"{text!r} is not of the form key=value")
    key = key.strip()
    if value in ("true", "false", "null"):
        return key, {"true": True, "false": False, "null": None}[value]
    if re.fullmatch(r"-?\d{1,18}", value):
        return key, int(value)
    if re.fullmatch(r"-?\d+\.\d*(e-?\d+)?|-?\d+e-?\d+", value, re.IGNORECASE):
        return key, float(value)
    if value.startswith("["):
        try:
            parsed = json.loads(value)
        except ValueError:
            return key, value
        return key, parsed if isinstance(parsed, list) else value
    return key, value


def open_store(db: Path, neo4j: Optional[str] = None, *, must_exist: bool = True):
    """The store a command works on: Neo4j when a URI is given, else the embedded database."""
    if neo4j:
        from graphkit.store.neo4j import Neo4jStore

        return Neo4jStore(neo4j, **NEO4J_SETTINGS)
    from graphkit.store import EmbeddedStore

    store = EmbeddedStore(db)
    if must_exist and not store.exists():
        from graphkit.exceptions import StoreNotFoundError

        raise StoreNotFoundError(f"no graph database at {store.path}; build one with `graphkit build PAGES --out {store.path.parent}`")
    return store


@app.command()
@handle_errors
def build(
    inputs: Annotated[list[Path], typer.Argument(help="Profile pages, or folders walked for *.txt.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder: database, report, map, centrality.")] = DEFAULT_OUT,
    as_of: AsOf = None,
    strict: Strict = False,
    aliases: Annotated[Optional[Path], typer.Option("--aliases", help="Institution alias table (CSV alias,canonical) to use instead of the packaged one.")] = None,
    neo4j: Neo4jUri = None,
) -> None:
    """Extract, resolve and store the co-authorship knowledge graph; write a report."""
    from rich.progress import Progress

    from graphkit.extract import iter_input_files
    from graphkit.outputs import write_build_outputs
    from graphkit.pipeline import build_knowledge_graph
    from graphkit.resolve.institutions import load_alias_table

    if neo4j:  # a dead server fails now, not after extraction and resolution
        open_store(out_dir, neo4j, must_exist=False).check()
    table = load_alias_table(aliases) if aliases else None
    total = sum(1 for _ in iter_input_files(inputs))
    show = total >= 200 and err.is_terminal
    with Progress(console=err, transient=True, disable=not show) as progress:
        task = progress.add_task("reading pages", total=total)
        result = build_knowledge_graph(inputs, as_of=_parse_date(as_of), aliases=table, on_page=lambda _: progress.advance(task))
    store = open_store(out_dir, neo4j, must_exist=False)
    written = write_build_outputs(result, out_dir, store)
    _print_build_summary(result, written)
    if result.problems:
        print_problems(result.problems, limit=20)
    if strict and result.problems:
        err.print(f"strict: {len(result.problems)} input problem(s)", markup=False)
        raise typer.Exit(1)


def _print_build_summary(result, written: dict[str, Path | str]) -> None:
    counts = result.counts()
    stats = result.resolution.stats()
    out.print(f"graphkit build: {result.files} files, {len(result.profiles)} profiles, {result.records} paper records, {len(result.problems)} problems", highlight=False)
    out.print("  nodes   " + "  ".join(f"{k} {counts.get(k, 0):,}" for k in ("Author", "Paper", "Institution")), highlight=False)
    out.print("  edges   " + "  ".join(f"{k} {counts.get(k, 0):,}" for k in ("AUTHORED", "AFFILIATED_WITH", "COAUTHORED")), highlight=False)
    out.print(
        f"  merges  authors {stats['author_merges']}, papers {stats['paper_merges']}, institutions {stats['institution_merges']}; "
        f"ambiguous pairs {stats['ambiguous_pairs']}; flagged profiles {stats['flagged_profiles']}; unknown institutions {stats['unknown_institutions']}",
        highlight=False,
    )
    for what, where in written.items():
        out.print(f"  {what:<11}{where}", highlight=False)


@app.command()
@handle_errors
def query(
    statement: Annotated[str, typer.Argument(metavar="CYPHER", help="A read-only Cypher query.")],
    db: DbDir = DEFAULT_OUT,
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="Query parameter key=value (repeatable); use $key in the query.")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="table, json (array of objects) or csv.")] = TableFormat.table,
    neo4j: Neo4jUri = None,
) -> None:
    """Run a read-only Cypher query against the graph and print the rows."""
    params = dict(_parse_param(p) for p in param or [])
    store = open_store(db, neo4j)
    rows = store.query(statement, params)
    print_rows(rows, fmt)


def _load_coauthors(db: Path, neo4j: Optional[str], edgelist: Optional[Path]):
    """The co-author graph from an edge list, Neo4j or the embedded store, and any input problems."""
    if edgelist is not None:
        from graphkit.extract.edgelist import read_edgelist

        return read_edgelist(edgelist)
    from graphkit.analyze import load_coauthor_graph

    return load_coauthor_graph(open_store(db, neo4j)), []


class CentralityEngine(str, Enum):
    local = "local"
    gds = "gds"


def _centrality_gds(neo4j: Optional[str], edgelist: Optional[Path], measure: Optional[list[str]], *, k, seed, write_back: bool):
    """`centrality --engine gds`: the measures computed on the Neo4j server by GDS."""
    from graphkit.analyze.gds import gds_centrality_table

    if not neo4j or edgelist is not None:
        raise typer.BadParameter("the GDS engine runs on a Neo4j server: pass --neo4j URI (not --db or --edgelist)", param_hint="--engine")
    measures = measure or ["degree", "betweenness", "pagerank"]
    try:
        table = gds_centrality_table(open_store(Path("."), neo4j), measures, k=k, seed=seed, write_back=write_back)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--measure") from None
    if write_back:
        err.print(f"wrote {len(table) * len(measures):,} values to Author properties: {', '.join(measures)}", markup=False, highlight=False)
    return table


EdgeList = Annotated[Optional[Path], typer.Option("--edgelist", help="Analyse a whitespace-separated edge list (SNAP format, # comments) instead of a database.")]


@app.command()
@handle_errors
def centrality(
    db: DbDir = DEFAULT_OUT,
    edgelist: EdgeList = None,
    measure: Annotated[Optional[list[str]], typer.Option("--measure", "-m", help="Measure to compute (repeatable): degree, weighted_degree, betweenness, closeness, harmonic, eigenvector, pagerank, core_number, clustering, constraint, community.")] = None,
    top: Annotated[int, typer.Option("--top", help="Show the N highest by the first measure (0: all).")] = 20,
    k: Annotated[Optional[int], typer.Option("--k", help="Sample betweenness from K source authors (exact when omitted).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed for sampling and communities.")] = 0,
    write_back_: Annotated[bool, typer.Option("--write-back", help="Store the measures as Author properties (not with --edgelist).")] = False,
    engine: Annotated[CentralityEngine, typer.Option("--engine", help="local: networkx/igraph here; gds: Neo4j Graph Data Science on the --neo4j server (degree, weighted_degree, betweenness, pagerank, core_number, community, leiden).")] = CentralityEngine.local,
    fmt: Annotated[TableFormat, typer.Option("--format", help="table, json (array of objects) or csv.")] = TableFormat.table,
    strict: Strict = False,
    neo4j: Neo4jUri = None,
) -> None:
    """Rank authors by centrality in the co-author graph."""
    from graphkit.analyze import DEFAULT_MEASURES, centrality_table, write_back

    measures = measure or list(DEFAULT_MEASURES)
    if engine is CentralityEngine.gds:
        table = _centrality_gds(neo4j, edgelist, measure, k=k, seed=seed, write_back=write_back_)
        print_rows(table.head(top).to_dict("records") if top else table.to_dict("records"), fmt)
        return
    G, problems = _load_coauthors(db, neo4j, edgelist)
    try:
        table = centrality_table(G, measures, k=k, seed=seed)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--measure") from None
    if write_back_:
        if edgelist is not None:
            raise typer.BadParameter("--write-back needs a database (--db or --neo4j)", param_hint="--write-back")
        store = open_store(db, neo4j)
        n = write_back(store, table)
        err.print(f"wrote {n:,} values to Author properties: {', '.join(measures)}", markup=False, highlight=False)
    rows = table.head(top).to_dict("records") if top else table.to_dict("records")
    print_rows(rows, fmt)
    _finish(problems, strict)


@app.command()
@handle_errors
def stats(
    db: DbDir = DEFAULT_OUT,
    edgelist: EdgeList = None,
    fmt: Annotated[TableOrJson, typer.Option("--format", help="table or json.")] = TableOrJson.table,
    strict: Strict = False,
    neo4j: Neo4jUri = None,
) -> None:
    """Summary of the co-author graph: size, components, clustering, triangles, diameter."""
    from graphkit.analyze import graph_stats

    G, problems = _load_coauthors(db, neo4j, edgelist)
    result = graph_stats(G)
    if fmt is TableOrJson.json:
        sys.stdout.write(json.dumps(result, indent=1) + "\n")
    else:
        print_rows([{"statistic": k, "value": v} for k, v in result.items()], TableFormat.table)
    _finish(problems, strict)


@app.command()
@handle_errors
def path(
    source: Annotated[str, typer.Argument(help="Author name, spelling variant or id.")],
    target: Annotated[str, typer.Argument(help="Author name, spelling variant or id.")],
    db: DbDir = DEFAULT_OUT,
    fmt: Annotated[TableOrJson, typer.Option("--format", help="table or json.")] = TableOrJson.table,
    neo4j: Neo4jUri = None,
) -> None:
    """Shortest chain of co-authorships between two authors, with the papers behind each step."""
    from graphkit.analyze import collaboration_path

    store = open_store(db, neo4j)
    steps = collaboration_path(store.read(), source, target)
    if fmt is TableOrJson.json:
        sys.stdout.write(json.dumps(steps, indent=1, ensure_ascii=False) + "\n")
        return
    out.print(f"{len(steps)} step{'s' if len(steps) != 1 else ''} from {steps[0]['from_name']} to {steps[-1]['to_name']}", highlight=False)
    for step in steps:
        out.print(f"  {step['from_name']} -- {step['to_name']}", highlight=False)
        for paper in step["papers"]:
            out.print(f"      {paper['year']}  {paper['title']}", highlight=False)


@app.command()
@handle_errors
def growth(
    db: DbDir = DEFAULT_OUT,
    fmt: Annotated[TableFormat, typer.Option("--format", help="table, json (array of objects) or csv.")] = TableFormat.table,
    neo4j: Neo4jUri = None,
) -> None:
    """Collaboration over time: papers, new authors, new collaborations and the largest group, per year."""
    from graphkit.analyze import yearly_growth

    table = yearly_growth(open_store(db, neo4j).read())
    print_rows(table.to_dict("records"), fmt)


class Colouring(str, Enum):
    community = "community"
    institution = "institution"


@app.command("map")
@handle_errors
def map_(
    db: DbDir = DEFAULT_OUT,
    edgelist: EdgeList = None,
    out_file: Annotated[Optional[Path], typer.Option("--out", help="HTML file to write. Default: collaboration-map.html in the database folder (or here, for --edgelist).")] = None,
    ego: Annotated[Optional[str], typer.Option("--ego", help="Map only this author's neighbourhood (name, variant or id).")] = None,
    radius: Annotated[int, typer.Option("--radius", min=1, help="Steps from --ego.")] = 1,
    top: Annotated[Optional[int], typer.Option("--top", min=1, help="Map only the N highest authors by --by.")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Measure for --top (default: --size-by).")] = None,
    size_by: Annotated[str, typer.Option("--size-by", help="Measure for node size.")] = "pagerank",
    color_by: Annotated[Colouring, typer.Option("--color-by", help="Colour authors by community or by main institution.")] = Colouring.community,
    institutions: Annotated[bool, typer.Option("--institutions", help="Map institutions instead of authors (edge width = co-authored papers).")] = False,
    max_nodes: Annotated[int, typer.Option("--max-nodes", min=1, help="Larger graphs are cut to the top authors by --size-by; the page says so.")] = 20_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed for the layout and communities.")] = 0,
    neo4j: Neo4jUri = None,
) -> None:
    """Draw an interactive HTML collaboration map that works offline."""
    from graphkit.analyze import ALL_MEASURES
    from graphkit.render import collaboration_network, institution_network, write_map

    for option, value in (("--size-by", size_by), ("--by", by)):
        if value is not None and value not in ALL_MEASURES:
            raise typer.BadParameter(f"unknown measure {value!r}; choose from {', '.join(ALL_MEASURES)}", param_hint=option)
    if institutions:
        if edgelist is not None:
            raise typer.BadParameter("an edge list has no institutions; use --db or --neo4j", param_hint="--institutions")
        G = open_store(db, neo4j).read()
        net = institution_network(G, seed=seed)
    else:
        G, problems = _load_coauthors(db, neo4j, edgelist)
        if problems:
            print_problems(problems)
        net = collaboration_network(G, size_by=size_by, color_by=color_by.value, ego=ego, radius=radius, top=top, by=by,
                                    max_nodes=max_nodes, seed=seed)
    target = out_file or (Path("collaboration-map.html") if edgelist is not None or neo4j else open_store(db).path.parent / "collaboration-map.html")
    path = write_map(net, target)
    out.print(f"{net.graphkit['note']}", highlight=False)
    out.print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB); open it in any browser, no network needed", highlight=False)


class ExportFormat(str, Enum):
    neo4j_admin = "neo4j-admin"
    graphml = "graphml"
    gexf = "gexf"
    json = "json"


@app.command()
@handle_errors
def export(
    target: Annotated[Path, typer.Argument(metavar="OUT", help="Folder (neo4j-admin) or file (graphml, gexf, json).")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="neo4j-admin CSV files, GraphML, GEXF or node-link JSON.")] = ExportFormat.neo4j_admin,
    db: DbDir = DEFAULT_OUT,
    neo4j: Neo4jUri = None,
) -> None:
    """Export the knowledge graph for neo4j-admin import, Gephi or other tools."""
    from graphkit.render.export import export_graph, neo4j_admin_command

    G = open_store(db, neo4j).read()
    files = export_graph(G, fmt.value, target)
    for path in files:
        out.print(f"wrote {path} ({path.stat().st_size:,} bytes)", highlight=False)
    if fmt is ExportFormat.neo4j_admin:
        out.print(neo4j_admin_command(files), highlight=False, markup=False)


def main() -> None:  # console-script entry point
    app()


if __name__ == "__main__":
    main()
