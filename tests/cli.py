"""What the reader tests ask of the command line, in one place: ``graphkit extract --format json`` and
``graphkit query --format json`` run through typer's runner, their output parsed."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from graphkit.cli import app

runner = CliRunner()


def extract(*paths, strict: bool = False, as_of: str | None = None):
    """``graphkit extract PATHS --format json``: the result, the papers it prints and its problem lines
    (without the ``problem: `` prefix)."""
    args = ["extract", *map(str, paths), "--format", "json", *(["--strict"] if strict else []),
            *(["--as-of", as_of] if as_of else [])]
    result = runner.invoke(app, args)
    papers = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    problems = [line.removeprefix("problem: ") for line in result.stderr.splitlines() if line.startswith("problem: ")]
    return result, papers, problems


def extracted(*paths, as_of: str = "2026-11-21"):
    """:func:`extract` that must succeed: the papers, the problem lines as printed (``problem: ...``), stderr."""
    result, papers, _ = extract(*paths, as_of=as_of)
    assert result.exit_code == 0, result.output
    return papers, [line for line in result.stderr.splitlines() if line.startswith("problem:")], result.stderr


def query(out, cypher: str):
    """``graphkit query CYPHER --db OUT --format json``'s rows; the query must succeed."""
    result = runner.invoke(app, ["query", cypher, "--db", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def build_into(tmp_path, *inputs, as_of: str = "2026-11-21"):
    """``graphkit build INPUTS --out TMP/out``, which must succeed; the output folder."""
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", *map(str, inputs), "--out", str(out), "--as-of", as_of])
    assert result.exit_code == 0, result.output
    return out


def identities(out, kind: str | None = None) -> list[dict]:
    """``graphkit identities --db OUT --format json``'s rows (of one kind when given); it must succeed."""
    result = runner.invoke(app, ["identities", "--db", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    return [row for row in json.loads(result.output) if kind is None or row["kind"] == kind]
