"""Session 12 fixes: the query path's limits and messages, and files written beside a user's.

The limits are checked with `graphkit query` run as a user runs it, in a
subprocess, on a database built here from the bundled examples.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.outputs import write_json_atomic
from graphkit.store.guard import embedded_refusal

from .conftest import EXAMPLES

runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("p12") / "out"
    result = runner.invoke(app, ["build", str(EXAMPLES), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _query(db, statement, *args, env=None, limit=120):
    """`graphkit query` in its own process (as a user runs it); the completed process and its seconds."""
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "graphkit.cli", "query", statement, "--db", str(db), *args],
                          capture_output=True, text=True, timeout=limit, env={**os.environ, **(env or {})})
    return done, time.monotonic() - start


def test_one_huge_step_is_stopped_at_the_timeout(built):
    # LadybugDB checks its own timeout only between the steps of a plan: this one step runs ~25 s
    # (and grows by gigabytes) past a 1 s timeout unless the query's process is stopped
    done, seconds = _query(built, "UNWIND range(1, 300000000) AS x RETURN count(x)", "--timeout", "1",
                           env={"GRAPHKIT_QUERY_PROCESS_MB": "16000"})
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.startswith("error: the query was stopped at the timeout (1 s)"), done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert seconds < 20, seconds  # not the ~25 s the step takes to the end


def test_a_query_over_the_memory_limit_is_stopped(built):
    done, _ = _query(built, "UNWIND range(1, 300000000) AS x RETURN count(x)", "--timeout", "0",
                     env={"GRAPHKIT_QUERY_PROCESS_MB": "400"})
    assert done.returncode == 1
    assert "over the 400 MB limit (GRAPHKIT_QUERY_PROCESS_MB)" in done.stderr, done.stderr
    for value in ("lots", "0.5", "-5", "nan", "inf"):
        bad, _ = _query(built, "RETURN 1", env={"GRAPHKIT_QUERY_PROCESS_MB": value})
        assert bad.returncode == 1 and bad.stderr.startswith(f"error: GRAPHKIT_QUERY_PROCESS_MB={value!r}: give a number"), bad.stderr
    unbounded, _ = _query(built, "RETURN 1 AS x", "--format", "csv", env={"GRAPHKIT_QUERY_PROCESS_MB": "0"})
    assert unbounded.returncode == 0 and unbounded.stdout.split() == ["x", "1"]


def test_reading_a_large_result_is_not_cut_at_the_timeout(built):
    # the query itself runs in well under a second; turning a million rows into Python values and handing them
    # back takes several: the timeout bounds the query, as LadybugDB's own does
    done, _ = _query(built, "UNWIND range(1, 1000000) AS x RETURN x, [x] AS l", "--timeout", "1", "--format", "csv")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1_000_001 and lines[0] == "x,l" and lines[-1] == "1000000,[1000000]"


def test_the_query_process_dies_with_the_command(built):
    # killed by anything but Ctrl-C (SIGTERM here; the OOM killer alike), the command leaves no query running
    command = subprocess.Popen([sys.executable, "-m", "graphkit.cli", "query", "UNWIND range(1, 300000000) AS x RETURN count(x)",
                                "--db", str(built), "--timeout", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "GRAPHKIT_QUERY_PROCESS_MB": "3000"})
    deadline = time.monotonic() + 60
    children: list[int] = []
    while not children:
        assert command.poll() is None and time.monotonic() < deadline, "the query never started"
        try:
            with open(f"/proc/{command.pid}/task/{command.pid}/children") as listed:
                children = [int(pid) for pid in listed.read().split()]
        except OSError:
            pass
        time.sleep(0.05)
    time.sleep(0.5)  # the query is running
    command.terminate()
    command.wait(timeout=30)  # (not waiting for its output pipes: a query left running would hold them open)
    gone = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{pid}") for pid in children) and time.monotonic() < gone:
        time.sleep(0.05)
    alive = [pid for pid in children if os.path.exists(f"/proc/{pid}")]
    for pid in alive:  # never leave it behind, even when the test fails
        os.kill(pid, 9)
    assert not alive, "the query's process outlived the command"


def test_the_query_process_hands_back_rows_and_errors(built):
    done, _ = _query(built, "MATCH (a:Author) WHERE a.name = $name RETURN a.name AS name, size(a.ids) >= 0 AS has_ids",
                     "--param", "name=Mark Neumann", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [{"name": "Mark Neumann", "has_ids": True}]
    empty, _ = _query(built, "MATCH (a:Author) WHERE a.name = 'nobody' RETURN a.name AS name", "--format", "csv")
    assert empty.returncode == 0 and empty.stdout.strip() == "name"  # the header survives the pipe
    missing, _ = _query(built, "MATCH (a:Author) RETURN a.nme")
    assert missing.returncode == 1 and missing.stderr.strip() == "error: Binder exception: Cannot find property nme for a."


def test_a_syntax_error_is_one_line_with_its_position(built):
    done, _ = _query(built, "MATCH (a:Author RETURN a")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "error: Parser exception: Invalid input <MATCH (a:Author RETURN>: expected rule oC_SingleQuery (line: 1, offset: 16)"]
    # a query on several lines: LadybugDB's echo of it holds its newlines; the rule and the position stay
    done, _ = _query(built, "MATCH (a:Author\nRETURN a")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "error: Parser exception: Invalid input <MATCH (a:Author RETURN>: expected rule oC_SingleQuery (line: 2, offset: 0)"]


@pytest.mark.parametrize("statement, word", [
    ("MATCH (a:Author) MERGE (a)-[:KNOWS]->(a)", "MERGE"),  # was: "function 'MERGE' is not on the read-only list"
    ("MATCH (a:Author) WITH a MERGE (b:Author {id: a.id})", "MERGE"),  # was: "'a' is not allowed"
    ("MATCH (a:Author) SET a.name = 'x'", "SET"),
    ("MATCH (a) DETACH DELETE a", "DETACH"),
    ("MATCH (load:Author) LOAD FROM '/etc/passwd' RETURN *", "LOAD"),
    ("MATCH (x:Author), (set:Author) WITH set, x SET `x`.name = 'a'", "SET"),  # was let through by the words
])
def test_the_guard_names_the_writing_clause(statement, word):
    assert embedded_refusal(statement) == (f"{word!r} is not allowed on the query path: it writes to the database "
                                           "or reads files, and queries here only read the graph")


@pytest.mark.parametrize("statement", [
    "MATCH (set:Author) RETURN set.name",
    "UNWIND [1, 2, 3] AS set WITH set WHERE set > 1 RETURN set",
    "MATCH (a:Author) RETURN a.name AS use ORDER BY use DESC",
    "MATCH (a:Author) WITH collect(a.name) AS set RETURN size(set) AS n",
    "MATCH (set:Author) RETURN set AS s",
    "MATCH (a)-[use:AUTHORED]->(p) RETURN use LIMIT 1",
    "UNWIND [1, null] AS set RETURN set IS NULL",
    "UNWIND ['a'] AS load RETURN load STARTS WITH 'a'",
    "RETURN {set: 1, use: 2, copy: 3, load: 4, commit: 5, drop: 6} AS m",
])
def test_read_queries_with_names_like_clauses_pass(statement):
    assert embedded_refusal(statement) is None


def test_a_variable_may_be_named_like_a_clause(built):
    result = runner.invoke(app, ["query", "MATCH (set:Author) RETURN count(set) AS n", "--db", str(built), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["n"] > 0


def test_json_is_written_without_touching_a_users_tmp_file(tmp_path):
    mine = tmp_path / "report.json.tmp"
    mine.write_text("my notes")
    link = tmp_path / "elsewhere.txt"
    link.write_text("keep")
    write_json_atomic({"a": [1, 2]}, tmp_path / "report.json")
    assert json.loads((tmp_path / "report.json").read_text()) == {"a": [1, 2]}
    assert mine.read_text() == "my notes" and link.read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere.txt", "report.json", "report.json.tmp"]


def test_the_build_child_reports_files_read_in_counts(monkeypatch):
    # a message per file cost the reading processes CPU time on 300,000 pages: counts now, at most ten a second
    import datetime as dt

    from graphkit import worker
    from graphkit.readers.registry import iter_inputs

    monkeypatch.setattr(worker._FilesRead, "EVERY", 0.0)  # every file its own count: the order is visible
    examples = EXAMPLES.parent
    inputs = list(iter_inputs([str(examples)], choose=False))
    events: list = []
    result = worker.BuildInChild([str(examples)], as_of=dt.date(2026, 11, 21)).result(
        on_files=lambda n: events.append(("files", n)), on_stage=lambda name: events.append(("stage", name)))
    counted = [n for kind, n in events if kind == "files"]
    assert sum(counted) == len(inputs) > 10 and all(n >= 1 for n in counted)
    assert events.index(("stage", "resolve")) > max(i for i, (kind, _) in enumerate(events) if kind == "files")
    assert result.counts()["Paper"] > 0

    monkeypatch.setattr(worker._FilesRead, "EVERY", 3600.0)  # never due: one count, sent before the next stage
    events.clear()
    worker.BuildInChild([str(examples)], as_of=dt.date(2026, 11, 21)).result(
        on_files=lambda n: events.append(("files", n)), on_stage=lambda name: events.append(("stage", name)))
    assert events[0] == ("files", len(inputs)) and events[1] == ("stage", "resolve")


@pytest.mark.parametrize("variable, value", [("GRAPHKIT_QUERY_MEMORY_MB", "abc"), ("GRAPHKIT_QUERY_MEMORY_MB", "-5"),
                                             ("GRAPHKIT_BUFFER_POOL_MB", "lots")])
def test_a_bad_memory_setting_is_one_line(built, variable, value):
    done, _ = _query(built, "RETURN 1 AS x", env={variable: value})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [f"error: {variable}={value!r}: give a whole number of megabytes, at least "
                                                f"{16 if variable == 'GRAPHKIT_QUERY_MEMORY_MB' else 0}"]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_a_reader_that_stops_early_is_no_error(built, fmt):
    # `graphkit query ... | head`: the table used to end with exit 1 (rich's console) and no message
    command = subprocess.Popen([sys.executable, "-m", "graphkit.cli", "query", "UNWIND range(1, 200000) AS x RETURN x",
                                "--db", str(built), "--format", fmt], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    command.stdout.readline()
    command.stdout.close()  # the reader is gone
    stderr = command.stderr.read()
    assert command.wait(timeout=120) == 0 and stderr == b""
