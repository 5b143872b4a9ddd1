"""The ``graphkit`` command line: a thin layer over the library.

Each command parses its options, calls one library function, prints the
result, and turns a :class:`~graphkit.exceptions.GraphkitError` into a
one-line message and exit code 1.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import json
import math
import os
import re
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from graphkit.exceptions import GraphkitError, Interrupted

if TYPE_CHECKING:  # pydantic costs 0.1 s of start-up; commands import what they use
    from graphkit.models import Problem

app = typer.Typer(
    name="graphkit",
    help="Turn researcher profile pages into a co-authorship knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
class _Output(Console):
    """Standard output. A reader that stops reading (`graphkit query ... | head`) has all it wanted: exit 0, as
    csv and json do, where rich's own console exits 1 without a word."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
        raise SystemExit(0)


out = _Output(soft_wrap=True, emoji=False)  # data is printed as written: ":100:" is a line number, not an emoji
err = Console(stderr=True, soft_wrap=True, emoji=False)


# ------------------------------------------------------------ shared options


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class TableOrJson(str, Enum):
    table = "table"
    json = "json"


class InputFormat(str, Enum):
    """The --from names (graphkit.readers.registry.FORMATS)."""

    profile = "profile"
    bibtex = "bibtex"
    ris = "ris"
    csl_json = "csl-json"
    arxiv = "arxiv"
    dblp = "dblp"
    openalex = "openalex"
    scopus = "scopus"
    wos = "wos"
    medline = "medline"


FromFormat = Annotated[
    Optional[InputFormat],
    typer.Option("--from", help="Read every input with this reader instead of choosing by suffix and content."),
]
InputPaths = Annotated[
    list[Path],
    # readable=False: an unreadable input is graphkit's one-line problem (the others are read), not a usage error
    typer.Argument(metavar="INPUT", readable=False, help="Input files and folders, any mix: profile pages (.txt), BibTeX, RIS, CSL-JSON, arXiv, DBLP, "
                        "OpenAlex, Scopus, Web of Science (.gz too); folders are walked."),
]


def print_readers(readers: dict[str, dict[str, int]]) -> None:
    """One line on stderr saying which reader read how many files, and how it was chosen."""
    if readers:
        parts = [f"{fmt} {sum(how.values())} ({next(iter(how)) if len(how) == 1 else ', '.join(f'{n} {h}' for h, n in how.items())})"
                 for fmt, how in readers.items()]
        err.print("read: " + "; ".join(parts), markup=False, highlight=False)


def _parse_date(value: Optional[str]) -> Optional[_dt.date]:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD", param_hint="'--as-of'") from None


AsOf = Annotated[
    Optional[str],
    typer.Option("--as-of", help="Date the pages were captured (YYYY-MM-DD); year-less card dates resolve against it. Default: today."),
]
Strict = Annotated[bool, typer.Option("--strict", help="Exit 1 if any input problem was found.")]
DEFAULT_OUT = Path("graphkit-out")
DbDir = Annotated[
    Path, typer.Option("--db", readable=False, help="Output folder of `graphkit build` (or the database file inside it).")
]
Neo4jUri = Annotated[
    Optional[str],
    typer.Option("--neo4j", envvar="NEO4J_URI", show_envvar=True, help="Use a Neo4j server instead of the embedded store (bolt:// or neo4j:// URI)."),
]
Neo4jUser = Annotated[str, typer.Option("--neo4j-user", envvar="NEO4J_USER", show_envvar=True)]
Neo4jPassword = Annotated[str, typer.Option("--neo4j-password", envvar="NEO4J_PASSWORD", show_envvar=True)]
Neo4jDatabase = Annotated[str, typer.Option("--neo4j-database", envvar="NEO4J_DATABASE", show_envvar=True)]


_LONGEST_TIMEOUT = 30 * 24 * 3600.0  # beyond a month a limit means none; the drivers take milliseconds in 64 bits


def _timeout_seconds(value: float) -> float:
    """``--timeout`` in seconds: 0, ``inf`` or more than a month is no limit; negative or ``nan`` is refused.

    >>> _timeout_seconds(2.5), _timeout_seconds(float("inf")), _timeout_seconds(1e300)
    (2.5, 0.0, 0.0)
    """
    if math.isnan(value) or value < 0:
        raise typer.BadParameter(f"{value} is not a number of seconds (0 or inf: no limit)")
    return 0.0 if value > _LONGEST_TIMEOUT else value


Timeout = Annotated[
    float,
    typer.Option("--timeout", metavar="SECONDS", callback=_timeout_seconds,
                 help="Stop a database query or read that runs longer (0 or inf: no limit)."),
]
DEFAULT_TIMEOUT = 60.0

# What a terminal could take as an instruction: C0 and C1 controls, DEL, and the
# bidirectional overrides that reorder what is shown.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def safe_text(value: str) -> str:
    r"""``value`` with control characters shown as escapes, so data cannot drive the terminal.

    >>> safe_text("Ada\x1b[2J Lovelace\n")
    'Ada\\x1b[2J Lovelace\\n'
    """
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}"), value)


def print_error(message: str) -> None:
    """One line on stderr; the message is shown as it is, never read as rich markup."""
    err.print(Text.assemble(("error:", "red"), " ", safe_text(message)), highlight=False, soft_wrap=True)


def handle_errors(func):
    """Turn graphkit errors, Ctrl-C and refusals of the system (full disk, no permission)
    into one line on stderr and exit code 1 (130 for Ctrl-C)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except Interrupted as exc:
            print_error(str(exc))
            raise typer.Exit(130) from None
        except GraphkitError as exc:
            print_error(str(exc))
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            print_error("interrupted (Ctrl-C)")
            raise typer.Exit(130) from None
        except BrokenPipeError:  # `graphkit query ... | head`: the reader has all it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
            raise typer.Exit(0) from None
        except OSError as exc:  # the system refused: a full disk, a read-only place, a file in the way
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            print_error(f"{where}{exc.strerror or exc}")
            raise typer.Exit(1) from None

    return wrapper


def print_problems(problems: list[Problem], *, limit: int = 50, rest: str = "not shown") -> None:
    """Problems to stderr, one per line (the first ``limit``), then their count.

    ``rest`` says what became of the problems beyond ``limit``: only ``build``
    writes a report that has them all; the other commands say so.
    """
    for problem in problems[:limit]:
        err.print(f"problem: {safe_text(str(problem))}", markup=False, highlight=False)
    if len(problems) > limit:
        err.print(f"... and {len(problems) - limit} more ({rest})", markup=False, highlight=False)
    err.print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}", markup=False, highlight=False)


def _finish(problems: list[Problem], strict: bool) -> None:
    """Report input problems; exit 1 in strict mode when there were any."""
    if problems:
        print_problems(problems, rest="not shown; use --strict to fail on them")
        if strict:
            raise typer.Exit(1)


def print_rows(rows: list[dict[str, Any]], fmt: TableFormat, *, title: str | None = None,
               columns: list[str] | None = None) -> None:
    """Print a list of flat dicts as a table, a JSON array or CSV.

    ``columns`` names the columns when the caller knows them, so that a CSV or
    a table of zero rows still has its header (else they come from the first row).
    """
    columns = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    if fmt is TableFormat.json:
        sys.stdout.write(_json_text(rows) + "\n")
    elif fmt is TableFormat.csv:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_value(v) for k, v in row.items()})
    else:
        table = Table(title=title, show_lines=False)
        for column in columns:
            table.add_column(Text(safe_text(str(column))), overflow="fold")
        for row in rows:
            table.add_row(*(_table_value(row[c]) for c in columns))
        out.print(table)
        out.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", highlight=False)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _json_text(data: Any) -> str:
    """JSON with the characters a terminal could act on written as \\u escapes (json leaves DEL,
    C1 controls and bidi overrides as they are; they only occur inside strings)."""
    from graphkit.outputs import json_safe

    # NaN and infinities are not JSON (jq and JSON.parse reject them): null instead
    text = json.dumps(json_safe(data), ensure_ascii=False, default=_json_default, indent=1, allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _json_default(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, tuple)):
        return list(value)
    if hasattr(value, "item"):  # numpy scalars
        from graphkit.outputs import json_safe

        return json_safe(value.item())
    return str(value)


def _check_named_inputs(paths: list[Path]) -> None:
    """A named input that does not exist, or is neither a folder nor a regular file, is an error
    (one line naming it, exit 1), as for ``cat``; problems inside readable files are only counted."""
    from graphkit.readers._files import check_regular_file

    for path in paths:
        if not os.path.isdir(path):
            check_regular_file(path)  # InputError naming the file and why


def _json_line(data: Any) -> str:
    """One JSON Lines object: NaN and infinities as null, so every line is valid JSON."""
    from graphkit.outputs import json_safe

    return json.dumps(json_safe(data), ensure_ascii=False, allow_nan=False)


def _csv_value(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    return "" if value is None else value


def _table_value(value: Any) -> Text:
    """A table cell: plain text (never markup), control characters shown as escapes."""
    if value is None:
        return Text("")
    if isinstance(value, float):
        return Text(f"{value:.6g}")
    if isinstance(value, (list, tuple, dict)):
        return Text(safe_text(json.dumps(value, ensure_ascii=False, default=_json_default)))
    return Text(safe_text(str(value)))


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
    paths: InputPaths,
    as_of: AsOf = None,
    fmt: Annotated[TableOrJson, typer.Option("--format", help='table (the default, into a pipe too): one row per paper, for reading; json: JSON Lines, one object per profile and per paper ("type": "profile" or "paper"), for programs.')] = TableOrJson.table,
    strict: Strict = False,
    source_format: FromFormat = None,
) -> None:
    """Read input files and print the profiles and papers found (a problem for anything unreadable)."""
    from graphkit.models import PaperRecord, Problem
    from graphkit.readers.registry import iter_inputs, read_input

    _check_named_inputs(paths)
    paths = _read_once(paths, source_format)
    problems: list[Problem] = []
    n_profiles = n_papers = 0
    table = None
    if fmt is TableOrJson.table:
        table = Table("owner", "line", "date", "cat", "title", "authors", "inst")
    readers: dict[str, dict[str, int]] = {}
    as_of_date = _parse_date(as_of)
    for item in iter_inputs(paths, forced=source_format.value if source_format else None, choose=False):
        for paper in read_input(item, as_of=as_of_date):  # chooses the reader (item.format) as it opens the file
            if isinstance(paper, Problem):
                problems.append(paper)
                continue
            if not isinstance(paper, PaperRecord):  # a profile page's owner and metrics
                n_profiles += 1
                if fmt is TableOrJson.json:
                    sys.stdout.write(_json_line({"type": "profile", **paper.model_dump(mode="json")}) + "\n")
                continue
            n_papers += 1
            if fmt is TableOrJson.json:
                # "type" tells the objects apart: a paper's own "kind" (article, preprint...) is a record field
                sys.stdout.write(_json_line({"type": "paper", **paper.model_dump(mode="json")}) + "\n")
            else:
                authors = ", ".join(paper.author_names) + (" et al." if paper.authors_truncated else "")
                table.add_row(*map(_table_value, (  # data as plain text: no markup, control characters escaped
                    paper.owner or "", str(paper.line), str(paper.date or paper.year or ""), paper.category or "",
                    paper.title + (" (derived)" if paper.title_inferred else ""), authors,
                    ", ".join(i.name or i.ids[0] for i in paper.institutions if i.name or i.ids),
                )))
        if item.format is not None:
            counted = readers.setdefault(item.format, {})
            counted[item.how] = counted.get(item.how, 0) + 1
            if item.how == "sniffed":
                err.print(safe_text(item.describe()), markup=False, highlight=False)
    if table is not None:
        out.print(table)
        out.print(f"{n_profiles} profiles, {n_papers} papers", highlight=False)
    print_readers(readers)
    print_problems(problems)
    if strict and problems:
        raise typer.Exit(1)


def _parse_param(text: str) -> tuple[str, Any]:
    """``key=value`` into a query parameter. Integers, decimals, true/false/null and
    JSON lists are typed; everything else stays a string, exactly as given.
    ``key:=JSON`` takes the value as JSON, as written: ``id:='"007"'`` is the
    text 007, not the number 7.

    >>> _parse_param("id=007"), _parse_param('id:="007"'), _parse_param('v="quoted"')
    (('id', 7), ('id', '007'), ('v', '"quoted"'))
    """
    key, sep, value = text.partition("=")
    as_json = key.endswith(":")
    key = key.removesuffix(":").strip()
    if not sep or not key.isidentifier():
        raise typer.BadParameter(f"{text!r} is not of the form key=value or key:=JSON", param_hint="'--param'")
    if as_json:
        try:
            parsed = json.loads(value)
        except ValueError as exc:
            raise typer.BadParameter(f"{key}:= takes a JSON value ({exc}); a text is written in double quotes: "
                                     f"{key}:='\"{value}\"'", param_hint="'--param'") from None
        return key, _one_type_list(key, parsed) if isinstance(parsed, list) else parsed
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
        if not isinstance(parsed, list):
            return key, value
        return key, _one_type_list(key, parsed)
    return key, value


def _one_type_list(key: str, values: list) -> list:
    """``values`` when they are of one type (and null; integers and decimals are one), else :class:`InputError`."""
    kinds = sorted({type(v).__name__ for v in values if v is not None} - ({"float"} if all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in values if v is not None) else set()))
    if len(kinds) > 1:
        from graphkit.exceptions import InputError

        raise InputError(f"--param {key}: a list must hold values of one type (and null), not {' and '.join(kinds)}")
    return values


def open_store(db: Path, neo4j: Optional[str] = None, *, must_exist: bool = True, timeout: float = DEFAULT_TIMEOUT):
    """The store a command works on: Neo4j when a URI is given, else the embedded database.

    ``timeout`` (seconds, 0: no limit) bounds each query and read.
    """
    if neo4j:
        from graphkit.store.neo4j import Neo4jStore

        return Neo4jStore(neo4j, **NEO4J_SETTINGS, query_timeout=timeout or None)
    from graphkit.store import EmbeddedStore

    if must_exist and db.suffix != ".lbdb" and db.exists() and not db.is_dir():
        from graphkit.exceptions import StoreNotFoundError

        raise StoreNotFoundError(f"--db {db} is a file, not a graph database; give the folder `graphkit build --out` "
                                 "wrote (or its graph.lbdb)")
    store = EmbeddedStore(db, query_timeout=timeout or None)
    if must_exist and not store.exists():
        from graphkit.exceptions import StoreNotFoundError

        raise StoreNotFoundError(f"no graph database at {store.path}; build one with `graphkit build PAGES --out {store.path.parent}`")
    return store


class IdentityBias(str, Enum):
    precision = "precision"
    recall = "recall"


@app.command()
@handle_errors
def build(
    inputs: InputPaths,
    out_dir: Annotated[Path, typer.Option("--out", readable=False, help="Output folder: database, report, map, centrality.")] = DEFAULT_OUT,
    as_of: AsOf = None,
    strict: Strict = False,
    aliases: Annotated[Optional[Path], typer.Option("--aliases", readable=False, help="Institution alias table (CSV alias,canonical) to use instead of the packaged one.")] = None,
    neo4j: Neo4jUri = None,
    max_authors: Annotated[int, typer.Option("--max-authors", min=2, help="Papers with more authors keep their AUTHORED edges but add no co-author pairs.")] = 100,
    wait: Annotated[bool, typer.Option("--wait", help="If another build is writing --out, wait for it instead of stopping.")] = False,
    source_format: FromFormat = None,
    identities: Annotated[Optional[Path], typer.Option("--identities", readable=False, help="Your identities file (YAML or CSV): who is one person, who never is, which name at which affiliation is which ORCID. Applied before every other rule.")] = None,
    identity_bias: Annotated[IdentityBias, typer.Option("--identity-bias", help="precision: a very common name at different affiliations is split and weak name variants need strong evidence; recall: fewer splits.")] = IdentityBias.precision,
    no_homonym_split: Annotated[bool, typer.Option("--no-homonym-split", help="Keep every spelling one person unless identifiers say otherwise.")] = False,
) -> None:
    """Extract, resolve and store the co-authorship knowledge graph; write a report.

    --out is a folder graphkit creates (or an empty one, or an earlier build's);
    graphkit refuses to write into any other. All outputs are replaced together.
    """
    # Only light modules until the build's child is forked (graphkit.worker): what the parent has
    # imported by then, both processes share, and memory figures count it twice.
    from graphkit.outputs import check_output_folder, inputs_outside_outputs
    from graphkit.progress import StageProgress
    from graphkit.resolve.institutions import load_alias_table
    from graphkit.worker import BuildInChild, can_fork

    if neo4j:  # a dead server fails now, not after extraction and resolution
        open_store(out_dir, neo4j, must_exist=False).check()
    _check_named_inputs(inputs)
    check_output_folder(out_dir)  # a folder of the user's is refused now, not after a long build

    # graphkit's own outputs (--out, or any folder with the .graphkit-out marker) are never read as input:
    # a second `graphkit build .` would otherwise read ./graphkit-out
    named = [str(p) for p in inputs]
    inputs, own = inputs_outside_outputs(inputs, out_dir)
    if own:
        err.print(f"not read as input (graphkit output folders): {safe_text(', '.join(own))}", markup=False, highlight=False)
    left_out = [] if inputs else [_nothing_left(named)]  # only output folders named: a problem, as an empty folder is
    inputs = _read_once(inputs, source_format)
    table = load_alias_table(aliases) if aliases else None
    from graphkit.resolve.curation import load_curation
    from graphkit.resolve.identity import IdentityOptions

    identity = IdentityOptions(bias=identity_bias.value, split_homonyms=not no_homonym_split,
                               curation=load_curation(identities) if identities else None)
    forced = source_format.value if source_format else None
    options = dict(as_of=_parse_date(as_of), aliases=table, forced=forced, max_authors=max_authors, identity=identity)
    # extract, resolve and tables in a child process that hands back the tables and exits: the memory
    # resolution leaves fragmented goes with it; started before the progress display's thread
    # the folder's build lock from the start: a second build into it stops now, not after reading
    # (a folder this build creates is removed again if the build writes nothing)
    from graphkit.outputs import FolderBusy, build_lock, claim_output_folder

    created = claim_output_folder(out_dir)  # False also when another build created it a moment ago
    locked = contextlib.ExitStack()
    try:
        locked.enter_context(build_lock(out_dir, wait=wait))
    except FolderBusy:
        raise  # the folder is the other build's now: nothing of it removed
    except BaseException:
        _unclaim(out_dir, created)
        raise
    child = BuildInChild(inputs, **options) if can_fork() else None
    done = False
    try:  # from here on, Ctrl-C or an error stops the child and removes its folder (the imports below take a while)
        total, size = _count_inputs(inputs, forced)
        from graphkit.analyze.defaults import EARLY_WORKER_BYTES, start_worker_early
        from graphkit.outputs import write_build_outputs
        from graphkit.store.embedded import DB_FILENAME

        large = size >= EARLY_WORKER_BYTES
        # stage names on stderr once the build has run for two seconds, on a terminal only
        with StageProgress(console=err) as progress:
            progress.stage("read", total=total)

            def on_stage(name: str) -> None:
                if name == "resolve" and large:
                    # a large build: NetworKit's worker process imports on the core resolving leaves idle
                    # (reading a large BibTeX file uses both)
                    start_worker_early()
                progress.stage(name)

            if child is not None:
                from graphkit.worker import HELD

                # with the embedded store, the columns only the store needs stay in the worker's files
                result = child.result(on_files=progress.advance, on_stage=on_stage, held=None if neo4j else HELD)
            else:
                from graphkit.pipeline import build_knowledge_graph

                result = build_knowledge_graph(inputs, on_file=lambda _: progress.advance(), on_stage=on_stage, **options)
            result.problems[:0] = left_out
            if result.records == 0 and not result.profiles:
                _nothing_built(result, out_dir, total)
            store = open_store(out_dir / DB_FILENAME, neo4j, must_exist=False)  # --out is always a folder
            # nothing after the outputs reads the papers' texts: the store's load need not run on top of them
            written = write_build_outputs(result, out_dir, store, wait=wait, on_stage=progress.stage, release_text=True,
                                          locked=True)
            done = True
    finally:
        if child is not None:
            child.close()  # Ctrl-C or an error in the outputs: no child left running, no temporary folder left
        locked.close()
        if not done:
            _unclaim(out_dir, created)
    _print_build_summary(result, written)
    print_readers(result.readers)
    if result.problems:
        print_problems(result.problems, limit=20, rest="all are in the report")
    if strict and result.problems:
        err.print(f"strict: {len(result.problems)} input problem(s)", markup=False)
        raise typer.Exit(1)


def _read_once(paths, source_format: Optional[InputFormat]) -> list[str]:
    """The inputs with every file named once (see :func:`graphkit.outputs.distinct_inputs`); says what was named again."""
    from graphkit.outputs import distinct_inputs

    kept, again = distinct_inputs(paths, forced=source_format.value if source_format else None)
    if again:
        err.print(f"read once (named more than once): {safe_text(', '.join(again))}", markup=False, highlight=False)
    return kept


def _unclaim(out_dir: Path, created: bool) -> None:
    """Remove the output folder this build created when it wrote nothing into it (its marker and lock only)."""
    from graphkit.outputs import LOCK_NAME, MARKER_NAME

    if not created:
        return
    try:
        if {p.name for p in out_dir.iterdir()} <= {LOCK_NAME, MARKER_NAME}:
            for name in (LOCK_NAME, MARKER_NAME):
                (out_dir / name).unlink(missing_ok=True)
            out_dir.rmdir()
    except OSError:
        pass  # left as it is: graphkit's own marker, nothing of the user's


def _nothing_built(result, out_dir: Path, named: int | None = None) -> None:
    """No paper and no profile was read: say why and exit 1, writing nothing (an empty graph written over an
    earlier build's would lose it for nothing)."""
    if result.problems:
        print_problems(result.problems, limit=20)
    before = " (the earlier build there is as it was)" if (out_dir / "report.json").is_file() else ""
    files = result.files if named is None else max(named, result.files)
    err.print(f"nothing to build: no paper record or profile was read from {files} input file(s); "
              f"nothing written to {safe_text(str(out_dir))}{before}", markup=False, highlight=False)
    raise typer.Exit(1)


def _nothing_left(named: list[str]) -> Problem:
    from graphkit.models import Problem

    return Problem(source=", ".join(named), line=0,
                   message="nothing to read: only graphkit output folders (graphkit never reads its own outputs)")


def _count_inputs(inputs, forced: str | None) -> tuple[int, int]:
    """How many input files and their total size on disk (files that cannot be read count no bytes;
    their problem comes later), holding none of them: a corpus can be 300,000 pages."""
    from graphkit.readers.registry import iter_inputs

    count = size = 0
    for item in iter_inputs(inputs, forced=forced, choose=False):
        count += 1
        try:
            size += os.stat(item.path).st_size
        except OSError:
            pass
    return count, size


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
    ident = result.resolution.identities.get("counts") if result.resolution.identities else None
    if ident:
        out.print(f"  authors split {ident['identity_split']}, joined on evidence {ident['identity_merge']}, by id {ident['identity_identifier']}; "
                  f"ambiguous {ident['identity_ambiguous']} (graphkit identities --db ... lists them)", highlight=False)
    hyper = getattr(result, "hyperauthored", 0)
    if hyper:
        out.print(f"  {hyper:,} papers with more than {result.max_authors} authors: AUTHORED edges only, no co-author pairs (--max-authors)",
                  highlight=False)
    for what, where in written.items():
        out.print(f"  {what:<11}{safe_text(str(where))}", highlight=False, markup=False)


@app.command()
@handle_errors
def query(
    statement: Annotated[str, typer.Argument(metavar="CYPHER", help="A read-only Cypher query.")],
    db: DbDir = DEFAULT_OUT,
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="Query parameter key=value (repeatable); use $key in the query. "
                  "Numbers, true/false/null and JSON lists are typed; key:=JSON takes the value as JSON, "
                  "so --param 'id:=\"007\"' is the text 007, not the number 7.")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="table, json (array of objects; NaN and infinity as null) or csv.")] = TableFormat.table,
    neo4j: Neo4jUri = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> None:
    """Run a read-only Cypher query against the graph and print the rows.

    One statement that only reads: MATCH, OPTIONAL MATCH, WITH, UNWIND, WHERE,
    RETURN, ORDER BY, SKIP, LIMIT, UNION, listed functions and CALL of the
    catalogue functions (table_info, show_tables); anything else is refused.
    """
    from graphkit.exceptions import InputError
    from graphkit.store.guard import missing_parameters

    params = dict(_parse_param(p) for p in param or [])
    missing = missing_parameters(statement, params)
    if missing:  # the database would read a missing one as null (0 rows) or blame another --param
        raise InputError(f"the query uses {', '.join('$' + m for m in missing)}; give "
                         + " ".join(f"--param {m}=VALUE" for m in missing))
    store = open_store(db, neo4j, timeout=timeout)
    # the embedded store runs the query in a child process, killed at the timeout or at a memory limit:
    # LadybugDB cannot stop one huge step of a plan itself (a Neo4j server enforces its own)
    isolated = getattr(store, "query_isolated", None)
    rows = isolated(statement, params) if isolated is not None else store.query(statement, params)
    print_rows(rows, fmt, columns=getattr(rows, "columns", None))


def _load_coauthors(db: Path, neo4j: Optional[str], edgelist: Optional[Path], *, timeout: float = DEFAULT_TIMEOUT,
                    weight_column: Optional[int] = None):
    """The co-author graph from an edge list, Neo4j or the embedded store, and any input problems.

    An edge list's columns left unread (or a ``--weight-column`` no line has) are said on stderr."""
    if edgelist is not None:
        from graphkit.extract.edgelist import read_edgelist

        G, problems = read_edgelist(edgelist, weight_column=weight_column)
        for note in G.graph.pop("notes", ()):
            err.print(safe_text(note), markup=False, highlight=False)
        return G, problems
    from graphkit.analyze import load_coauthor_graph

    return load_coauthor_graph(open_store(db, neo4j, timeout=timeout)), []


class CentralityEngine(str, Enum):
    local = "local"
    gds = "gds"


def _centrality_gds(neo4j: Optional[str], edgelist: Optional[Path], measure: Optional[list[str]], *, k, seed, write_back: bool,
                    timeout: float = DEFAULT_TIMEOUT):
    """`centrality --engine gds`: the measures computed on the Neo4j server by GDS."""
    from graphkit.analyze.gds import gds_centrality_table

    if not neo4j or edgelist is not None:
        raise typer.BadParameter("the GDS engine runs on a Neo4j server: pass --neo4j URI (not --db or --edgelist)", param_hint="--engine")
    measures = measure or ["degree", "betweenness", "pagerank"]
    try:
        table = gds_centrality_table(open_store(Path("."), neo4j, timeout=timeout), measures, k=k, seed=seed, write_back=write_back)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--measure") from None
    if write_back:
        err.print(f"wrote {len(table) * len(measures):,} values to Author properties: {', '.join(measures)}", markup=False, highlight=False)
    return table


EdgeList = Annotated[Optional[Path], typer.Option("--edgelist", readable=False, help="Analyse a whitespace-separated edge list (SNAP format: two node ids a line, # comments) instead of a database. Further columns are not read (said on stderr) unless --weight-column names one.")]
WeightColumn = Annotated[Optional[int], typer.Option("--weight-column", min=3, help="Read this column of the --edgelist (counted from 1: 3 is the one after the two node ids) as the edge weights, a number >= 0; a line without it weighs 1. Default: no weights (a third column is often a timestamp).")]


def _one_graph(ctx: typer.Context, edgelist: Optional[Path], weight_column: Optional[int] = None) -> None:
    """A usage error when ``--edgelist`` comes with a ``--db`` or ``--neo4j`` given on the command line:
    only one graph is analysed, and the database would be ignored without a word. (``--db`` has a
    default and ``--neo4j`` an environment variable: only an option the user typed is refused.)
    ``--weight-column`` without ``--edgelist`` is one too: a database's weights are its own."""
    if edgelist is None:
        if weight_column is not None:
            raise typer.BadParameter("--weight-column reads a column of an --edgelist; a database has its own weights",
                                     param_hint="--weight-column")
        return
    for name in ("db", "neo4j"):
        source = ctx.get_parameter_source(name)  # click's ParameterSource (typer vendors click: compared by name)
        if source is not None and source.name == "COMMANDLINE":
            raise typer.BadParameter(f"--edgelist and --{name} name two graphs; give one of them", param_hint="--edgelist")


@app.command()
@handle_errors
def centrality(
    ctx: typer.Context,
    db: DbDir = DEFAULT_OUT,
    edgelist: EdgeList = None,
    weight_column: WeightColumn = None,
    measure: Annotated[Optional[list[str]], typer.Option("--measure", "-m", help="Measure to compute (repeatable): degree, weighted_degree, betweenness, closeness, harmonic, eigenvector, pagerank, core_number, clustering, constraint, community (Louvain), leiden.")] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="Show the N highest by the first measure (0: all).")] = 20,
    k: Annotated[Optional[int], typer.Option("--k", min=2, help="Sample betweenness from K source authors, at least 2 (exact when omitted, or when K is at least the number of authors); the column is then betweenness_estimated.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed for sampling and communities.")] = 0,
    write_back_: Annotated[bool, typer.Option("--write-back", help="Store the measures as Author properties (not with --edgelist).")] = False,
    engine: Annotated[CentralityEngine, typer.Option("--engine", help="local: networkx/igraph here; gds: Neo4j Graph Data Science on the --neo4j server (degree, weighted_degree, betweenness, pagerank, core_number, community, leiden).")] = CentralityEngine.local,
    fmt: Annotated[TableFormat, typer.Option("--format", help="table, json (array of objects; NaN and infinity as null) or csv.")] = TableFormat.table,
    strict: Strict = False,
    neo4j: Neo4jUri = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> None:
    """Rank authors by centrality in the co-author graph."""
    from graphkit.analyze import ALL_MEASURES, DEFAULT_MEASURES, centrality_table, write_back

    _one_graph(ctx, edgelist, weight_column)
    if write_back_ and edgelist is not None:  # refused before anything is read or computed
        raise typer.BadParameter("--write-back needs a database (--db or --neo4j)", param_hint="--write-back")
    measures = measure or list(DEFAULT_MEASURES)
    if engine is CentralityEngine.gds:
        table = _centrality_gds(neo4j, edgelist, measure, k=k, seed=seed, write_back=write_back_, timeout=timeout)
        print_rows(table.head(top).to_dict("records") if top else table.to_dict("records"), fmt, columns=list(table.columns))
        return
    unknown = [m for m in measures if m not in ALL_MEASURES]
    if unknown:  # the one usage error here: any other error is the computation's own
        raise typer.BadParameter(f"unknown measure(s) {', '.join(unknown)}; choose from {', '.join(ALL_MEASURES)}",
                                 param_hint="--measure")
    G, problems = _load_coauthors(db, neo4j, edgelist, timeout=timeout, weight_column=weight_column)
    if k is not None and k >= G.number_of_nodes() and "betweenness" in measures:
        err.print(f"--k {k}: the graph has {G.number_of_nodes():,} authors; betweenness is computed exactly from all of them",
                  markup=False, highlight=False)
        k = None  # every author a source: the exact value
    table = centrality_table(G, measures, k=k, seed=seed)
    if write_back_:
        store = open_store(db, neo4j)
        n = write_back(store, table)
        err.print(f"wrote {n:,} values to Author properties: {', '.join(measures)}", markup=False, highlight=False)
    if k is not None and "betweenness" in table:  # sampled: named as the build's centrality.csv names an estimate
        table = table.rename(columns={"betweenness": "betweenness_estimated"})
    rows = table.head(top).to_dict("records") if top else table.to_dict("records")
    print_rows(rows, fmt, columns=list(table.columns))
    _finish(problems, strict)


@app.command()
@handle_errors
def stats(
    ctx: typer.Context,
    db: DbDir = DEFAULT_OUT,
    edgelist: EdgeList = None,
    weight_column: WeightColumn = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="table, json (one object; NaN and infinity as null) or csv (statistic,value rows).")] = TableFormat.table,
    strict: Strict = False,
    neo4j: Neo4jUri = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> None:
    """Summary of the co-author graph: size, components, clustering, triangles, diameter.

    Edges include self-loops (as SNAP counts them); density leaves them out.
    """
    from graphkit.analyze import graph_stats

    _one_graph(ctx, edgelist, weight_column)
    G, problems = _load_coauthors(db, neo4j, edgelist, timeout=timeout, weight_column=weight_column)
    result = graph_stats(G)
    if fmt is TableFormat.json:
        sys.stdout.write(_json_text(result) + "\n")
    else:
        print_rows([{"statistic": k, "value": v} for k, v in result.items()], fmt, columns=["statistic", "value"])
    _finish(problems, strict)


def _by_source_id(G, given: str) -> str:
    """The author's node id when ``given`` is one of its ids in any form (``openalex:A5100365434``, an ORCID,
    an orcid.org or openalex.org URL, a DBLP person page: :func:`graphkit.analyze.paths.author_ids`), else
    ``given`` as it is (a node id, or a name or spelling, ``Family, Given`` too, which the analysis looks up)."""
    from graphkit.analyze.paths import author_ids, find_author

    if given in G or not author_ids(given):
        return given
    return find_author(G, given)


def _author_in_store(store, given: str) -> str:
    """The id of the one author of the store ``given`` names: an id, a source id or ORCID, a name or a spelling
    variant (an error naming the candidates when several fit, or none)."""
    import networkx as nx

    from graphkit.analyze.paths import find_author
    from graphkit.store import cypher

    H = nx.Graph()
    for row in store.query(cypher.author_names()):
        H.add_node(row["id"], label="Author", name=row["name"], name_variants=row["name_variants"] or (),
                   orcid=row["orcid"], ids=row["ids"] or ())
    return find_author(H, given)  # by id, any id or URL of one, name, Family, Given or variant


@app.command()
@handle_errors
def path(
    source: Annotated[str, typer.Argument(help="Author name, spelling variant or id.")],
    target: Annotated[str, typer.Argument(help="Author name, spelling variant or id.")],
    db: DbDir = DEFAULT_OUT,
    fmt: Annotated[TableOrJson, typer.Option("--format", help="table or json (NaN and infinity as null).")] = TableOrJson.table,
    neo4j: Neo4jUri = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> None:
    """Shortest chain of co-authorships between two authors, with the papers behind each step."""
    from graphkit.analyze import collaboration_path

    G = open_store(db, neo4j, timeout=timeout).read()
    steps = collaboration_path(G, _by_source_id(G, source), _by_source_id(G, target))
    if fmt is TableOrJson.json:
        sys.stdout.write(_json_text(steps) + "\n")
        return
    if not steps:
        out.print(f"0 steps: {safe_text(source)!r} and {safe_text(target)!r} are the same author", highlight=False, markup=False)
        return
    out.print(f"{len(steps)} step{'s' if len(steps) != 1 else ''} from {safe_text(str(steps[0]['from_name']))} to "
              f"{safe_text(str(steps[-1]['to_name']))}", highlight=False, markup=False)
    for step in steps:
        out.print(f"  {safe_text(str(step['from_name']))} -- {safe_text(str(step['to_name']))}", highlight=False, markup=False)
        for paper in step["papers"]:
            year = "n.d." if paper.get("year") is None else paper["year"]  # no date: "n.d." as in a reference list
            out.print(f"      {year}  {safe_text(str(paper['title']))}", highlight=False, markup=False)
        beyond = step.get("hyperauthored_papers") or ()
        if beyond:
            out.print(f"      (also {len(beyond):,} shared paper{'s' if len(beyond) != 1 else ''} with more authors than "
                      "--max-authors: no co-author pair)", highlight=False, markup=False)


@app.command()
@handle_errors
def growth(
    db: DbDir = DEFAULT_OUT,
    fmt: Annotated[TableFormat, typer.Option("--format", help="table, json (array of objects; NaN and infinity as null) or csv.")] = TableFormat.table,
    neo4j: Neo4jUri = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> None:
    """Collaboration over time: papers, new authors, new collaborations and the largest group, per year.

    Every year from the first to the last is a row (zeros in a year without
    papers). Papers without a year are not counted, and papers dated after
    today are counted in their year; a line on stderr says how many of each.
    """
    from graphkit.analyze import yearly_growth

    table = yearly_growth(open_store(db, neo4j, timeout=timeout).read())
    print_rows(table.to_dict("records"), fmt, columns=list(table.columns))
    undated, future = table.attrs.get("undated_papers", 0), table.attrs.get("future_papers", 0)
    if undated:  # stderr: the JSON and CSV on stdout stay machine-readable
        err.print(f"{undated:,} paper{'s' if undated != 1 else ''} without a year {'are' if undated != 1 else 'is'} not counted",
                  markup=False, highlight=False)
    if future:
        err.print(f"{future:,} paper{'s' if future != 1 else ''} dated after today (counted in {'their' if future != 1 else 'its'} year)",
                  markup=False, highlight=False)


class Colouring(str, Enum):
    community = "community"
    institution = "institution"
    year = "year"


def _map_options_apply(ctx: typer.Context, *, institutions: bool, ego: Optional[str], top: Optional[int],
                       color_by: "Colouring") -> None:
    """`map`: a usage error (exit 2) for an option the map asked for would ignore: ``--radius`` without
    ``--ego``, ``--by`` without ``--top``, and the author-map options with ``--institutions`` (which maps
    every institution, sized by papers and coloured by community)."""

    def given(name: str) -> bool:
        source = ctx.get_parameter_source(name)  # click's ParameterSource (compared by name, as _one_graph does)
        return source is not None and source.name != "DEFAULT"

    if institutions:
        unused = [flag for flag, name in (("--ego", "ego"), ("--radius", "radius"), ("--top", "top"), ("--by", "by"),
                                          ("--size-by", "size_by"), ("--max-nodes", "max_nodes"),
                                          ("--max-edges", "max_edges")) if given(name)]
        if given("color_by") and color_by != Colouring.community:
            unused.append(f"--color-by {color_by.value}")
        if unused:
            raise typer.BadParameter(f"the institution map shows every institution, sized by papers and coloured by "
                                     f"community; {', '.join(unused)} {'are' if len(unused) > 1 else 'is'} for author "
                                     f"maps: leave out --institutions or {'them' if len(unused) > 1 else 'it'}",
                                     param_hint=unused[0].split()[0])
    if ego is None and given("radius"):
        raise typer.BadParameter("--radius counts steps from the --ego author; give --ego NAME too", param_hint="--radius")
    if top is None and given("by"):
        raise typer.BadParameter("--by ranks the authors --top keeps; give --top N too (node size follows --size-by)",
                                 param_hint="--by")


@app.command("map")
@handle_errors
def map_(
    ctx: typer.Context,
    db: DbDir = DEFAULT_OUT,
    edgelist: EdgeList = None,
    weight_column: WeightColumn = None,
    out_file: Annotated[Optional[Path], typer.Option("--out", readable=False, help="HTML file to write. Default: collaboration-map.html in the database folder (or here, for --edgelist); not written when only --png/--svg are given.")] = None,
    png: Annotated[Optional[Path], typer.Option("--png", readable=False, help="Also draw the same layout as a PNG picture (A4 width; needs matplotlib).")] = None,
    svg: Annotated[Optional[Path], typer.Option("--svg", readable=False, help="Also draw the same layout as an SVG picture (A4 width; needs matplotlib).")] = None,
    ego: Annotated[Optional[str], typer.Option("--ego", help="Map only this author's neighbourhood (name, variant or id).")] = None,
    radius: Annotated[int, typer.Option("--radius", min=1, help="Steps from --ego.")] = 1,
    top: Annotated[Optional[int], typer.Option("--top", min=1, help="Map only the N highest authors by --by.")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Measure for --top (default: --size-by).")] = None,
    size_by: Annotated[str, typer.Option("--size-by", help="Measure for node size.")] = "pagerank",
    color_by: Annotated[Colouring, typer.Option("--color-by", help="First colouring of the authors: community, main institution or the average year of their papers (the page switches between them).")] = Colouring.community,
    institutions: Annotated[bool, typer.Option("--institutions", help="Map institutions instead of authors (edge width = co-authored papers).")] = False,
    max_nodes: Annotated[int, typer.Option("--max-nodes", min=1, help="Larger graphs are cut to the top authors by --size-by; the page says so.")] = 20_000,
    max_edges: Annotated[int, typer.Option("--max-edges", min=1, help="Draw at most this many co-authorships, each author's strongest first (communities and tooltips still count all); the page says so.")] = 60_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed for the layout and communities.")] = 0,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing --out, --png or --svg file that graphkit did not write (its own are always replaced).")] = False,
    neo4j: Neo4jUri = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> None:
    """Draw an interactive HTML collaboration map that works offline."""
    from graphkit.analyze import ALL_MEASURES
    from graphkit.render import (UNRANKED, collaboration_network, institution_network, store_author_figures,
                                 write_image, write_map)

    _map_options_apply(ctx, institutions=institutions, ego=ego, top=top, color_by=color_by)
    if edgelist is None and weight_column is not None:
        _one_graph(ctx, edgelist, weight_column)  # the usage error: --weight-column reads an --edgelist

    for picture, flag in ((png, "--png"), (svg, "--svg")):
        if picture is not None and picture.suffix.lower() == {"--png": ".svg", "--svg": ".png"}[flag]:  # the other one
            raise typer.BadParameter(f"{picture} does not end in {flag.replace('--', '.')}: {flag} writes that format",
                                     param_hint=flag)
    ranks = [m for m in ALL_MEASURES if m not in UNRANKED]
    for option, value in (("--size-by", size_by), ("--by", by)):
        if value in UNRANKED:  # a community's number names a group: it is no more than another's
            raise typer.BadParameter(f"{value!r} numbers groups of authors, it does not rank them: choose a centrality "
                                     "such as pagerank or degree", param_hint=option)
        if value is not None and value not in ALL_MEASURES:
            raise typer.BadParameter(f"unknown measure {value!r}; choose from {', '.join(ranks)}", param_hint=option)
    if institutions:
        if edgelist is not None:
            raise typer.BadParameter("an edge list has no institutions; use --db or --neo4j", param_hint="--institutions")
        G = open_store(db, neo4j, timeout=timeout).read()
        net = institution_network(G, seed=seed)
    else:
        G, problems = _load_coauthors(db, neo4j, edgelist, timeout=timeout, weight_column=weight_column)
        if problems:
            print_problems(problems)
        if ego is not None and edgelist is None:  # by any name, spelling, ORCID or source id the store knows
            ego = _author_in_store(open_store(db, neo4j, timeout=timeout), ego)
        years, papers = (None, None) if edgelist is not None else store_author_figures(open_store(db, neo4j, timeout=timeout))
        net = collaboration_network(G, size_by=size_by, color_by=color_by.value, ego=ego, radius=radius, top=top, by=by,
                                    max_nodes=max_nodes, max_edges=max_edges, seed=seed, mean_years=years, papers=papers)
    wrote: list[str] = []  # said once everything is written: a refused --out prints only its error
    try:
        for picture in (png, svg):
            if picture is not None:
                wrote.append(f"wrote {safe_text(str(write_image(net, picture, overwrite=overwrite)))}")
        if out_file is not None or not (png or svg):
            target = out_file or (Path("collaboration-map.html") if edgelist is not None or neo4j
                                  else open_store(db).path.parent / "collaboration-map.html")
            # a full disk: one line (handle_errors); write_map removes its own temporary file, and no other
            path = write_map(net, target, overwrite=overwrite)
            wrote.append(f"wrote {safe_text(str(path))} ({path.stat().st_size / 1e6:.1f} MB); open it in any browser, no network needed")
    except BaseException:
        for line in wrote:  # the pictures written before the failure are not left unmentioned
            out.print(line, highlight=False, markup=False)
        raise
    out.print(safe_text(str(net.graphkit["note"])), highlight=False, markup=False)
    for line in wrote:
        out.print(line, highlight=False, markup=False)


class ExportFormat(str, Enum):
    neo4j_admin = "neo4j-admin"
    graphml = "graphml"
    gexf = "gexf"
    json = "json"


@app.command()
@handle_errors
def export(
    target: Annotated[Path, typer.Argument(metavar="OUT", readable=False, help="Folder (neo4j-admin) or file (graphml, gexf, json).")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="neo4j-admin CSV files, GraphML, GEXF or node-link JSON.")] = ExportFormat.neo4j_admin,
    db: DbDir = DEFAULT_OUT,
    neo4j: Neo4jUri = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing export file (graphml, gexf, json).")] = False,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> None:
    """Export the knowledge graph for neo4j-admin import, Gephi or other tools.

    A neo4j-admin folder must be new, empty or an earlier graphkit export; an
    existing file is replaced only with --overwrite.
    """
    from graphkit.render.export import export_graph

    G = open_store(db, neo4j, timeout=timeout).read()
    files = export_graph(G, fmt.value, target, overwrite=overwrite)
    for path in files:
        out.print(f"wrote {safe_text(str(path))} ({path.stat().st_size:,} bytes)", highlight=False, markup=False)
    if fmt is ExportFormat.neo4j_admin:
        out.print((target / "IMPORT.txt").read_text(encoding="utf-8").rstrip("\n"), highlight=False, markup=False)


def _report_shape(report: dict) -> str | None:
    """What in a build report's identity parts is not as this graphkit writes them (None: all is).

    >>> _report_shape({"graphkit": "0.1", "merges": [], "identities": {"decisions": [], "authors": {}}}) is None
    True
    >>> _report_shape({"graphkit": "0.0.9", "merges": {"authors": 3}})
    '"merges" is not a list of entries'
    """
    def entries(value) -> bool:
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)

    for key in ("merges", "ambiguous"):
        if key in report and not entries(report[key]):
            return f'"{key}" is not a list of entries'
    section = report.get("identities")
    if section is not None:
        if not isinstance(section, dict):
            return '"identities" is not a section'
        if "decisions" in section and not entries(section["decisions"]):
            return '"identities.decisions" is not a list of entries'
        if "authors" in section and not isinstance(section["authors"], dict):
            return '"identities.authors" is not a table of authors'
        for d in section.get("decisions", []):
            if not all(isinstance(d.get(k, []), list) for k in ("keys", "names")):
                return "an identity decision without lists of keys and names"
    return None


@app.command()
@handle_errors
def identities(
    db: DbDir = DEFAULT_OUT,
    name: Annotated[Optional[str], typer.Option("--name", help="Only entries about this name (any spelling) or author id, with each such author's explanation.")] = None,
    kind: Annotated[Optional[list[str]], typer.Option("--kind", help="Only these kinds (repeatable): merge, split, ambiguous, identifier, conflict, curation, author.")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="table, json (array of objects; NaN and infinity as null) or csv.")] = TableFormat.table,
) -> None:
    """List how a build decided who is who: merges, splits and ambiguous pairs of authors, with their evidence.

    Read from the build's report.json (in --db, the output folder).
    """
    from graphkit.exceptions import AnalysisError, InputError
    from graphkit.resolve.identity import identity_rows

    folder = db.parent if db.suffix == ".lbdb" or db.name == "report.json" else db
    report_path = folder / "report.json"
    from graphkit.readers._files import open_input

    if not os.path.lexists(report_path):
        raise InputError(f"no report.json in {folder}; build one with `graphkit build INPUT... --out {folder}`") from None
    try:
        with open_input(report_path) as stream:  # regular files only: a FIFO in its place is refused, not waited on
            report = json.loads(stream.read().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"cannot read the build report: {getattr(exc, 'strerror', None) or exc}", source=str(report_path)) from None
    if not isinstance(report, dict) or "graphkit" not in report:
        raise InputError('not a graphkit build report (no "graphkit" key); give the folder `graphkit build --out` wrote',
                         source=str(report_path))
    if (why := _report_shape(report)) is not None:
        raise InputError(f"a build report this graphkit cannot read ({why}): from another version? rebuild with "
                         f"`graphkit build INPUT... --out {folder}`", source=str(report_path))
    known = {"merge", "split", "ambiguous", "identifier", "conflict", "curation", "author"}
    for k in kind or ():
        if k not in known:
            raise typer.BadParameter(f"{k!r} is not one of: {', '.join(sorted(known))}", param_hint="--kind")
    rows = identity_rows(report, name=name, kinds=kind or ())
    if name is not None:  # the authors the name stands for in the graph, by any spelling or id, each with its explanation
        explained = report.get("identities", {}).get("authors", {})
        seen = {(r["kind"], tuple(r["authors"]), r["evidence"]) for r in rows}
        try:
            authors = _authors_in_build(folder, name) or ()
        except AnalysisError:
            if not rows:
                raise
            authors = ()  # decisions name it, the graph does not (a curation rule, an older database)
        for author in authors:
            more = identity_rows(report, name=author, kinds=kind or ())
            if author not in explained and (not kind or "author" in kind):
                from graphkit.resolve.identity import IdentityResult

                more.append({"kind": "author", "names": [], "authors": [author], "occurrences": None,
                             "evidence": IdentityResult(keys=[], decisions=[]).explain(author)})
            for row in more:
                if (row["kind"], tuple(row["authors"]), row["evidence"]) not in seen:
                    seen.add((row["kind"], tuple(row["authors"]), row["evidence"]))
                    rows.append(row)
    print_rows(rows, fmt)


def _authors_in_build(folder: Path, name: str) -> Optional[list[str]]:
    """The ids of the authors ``name`` stands for in the build's database: by author id, source id or ORCID,
    else by name or spelling variant, also written ``Family, Given`` (several when a split left several
    people with that name); :class:`AnalysisError` when no author answers to it, ``None`` when the folder
    has no database to ask."""
    from graphkit.exceptions import AnalysisError
    from graphkit.keys import name_key
    from graphkit.readers._ids import orcid_id
    from graphkit.readers._names import split_name
    from graphkit.store import cypher
    from graphkit.store.embedded import DB_FILENAME, EmbeddedStore

    store = EmbeddedStore(folder / DB_FILENAME)
    if not store.exists():
        return None
    authors = store.query(cypher.author_names(), {})
    given = name.strip()
    orcid = orcid_id(given) if any(c.isdigit() for c in given) else None
    by_id = [a["id"] for a in authors if given == a["id"] or given in (a["ids"] or ()) or (orcid and orcid in (a["ids"] or ()))]
    if by_id:
        return by_id
    keys = {name_key(given)}
    if "," in given and (person := split_name(given)).name:
        keys.add(name_key(person.name))
    found = [a["id"] for a in authors
             if name_key(str(a["name"] or "")) in keys or any(name_key(v) in keys for v in a["name_variants"] or ())]
    if not found:
        raise AnalysisError(f"no author called {name!r} in the graph")
    return sorted(found)


def main() -> None:  # console-script entry point
    # igraph's import would pull in matplotlib.pyplot for plotting graphkit never does (graphkit.analyze._compiled)
    os.environ.setdefault("GRAPHKIT_IGRAPH_WITHOUT_PYPLOT", "1")
    try:
        app()
    except SystemExit as exc:
        _exit_now(exc.code)
    _exit_now(0)


def _exit_now(code) -> None:
    """Exit without tearing the heap down object by object.

    Every file and database a command writes is complete and closed before
    it returns; what is left is freeing what it holds, one object at a time:
    about a second after a 100,000-entry build. As mypy does, flush the
    streams and leave with ``os._exit``.
    """
    if code is not None and not isinstance(code, int):  # SystemExit("message"): printed, exit 1
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`graphkit ... | head`) has nothing left to take
            pass
    os._exit(code or 0)


if __name__ == "__main__":
    main()
