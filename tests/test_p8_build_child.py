"""`graphkit build` resolves in a forked child (graphkit.worker) and gives exactly what an in-process build gives.

The same inputs are built twice: with the command (extract, resolve and tables in
a child, the tables handed back as Arrow files) and with the Python API in this
process. The reports (but for times), the centrality tables, the maps' networks
and what the two databases answer must be equal. The Arrow round trip is checked
column type by column type, missing values included; an error in the child comes
back with its message, a child that is killed is reported in one line, and the
temporary folder never stays behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from graphkit import worker
from graphkit.cli import app
from graphkit.exceptions import GraphkitError, InputError
from graphkit.outputs import write_build_outputs
from graphkit.pipeline import build_knowledge_graph
from graphkit.store import EmbeddedStore
from graphkit.tables import GraphTables, Table
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not worker.can_fork(), reason="the build's child process needs fork (Linux, macOS)")

AS_OF = dt.date(2026, 11, 21)
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The system's temporary folder, here: what the build leaves in it can be listed."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _cli_build(inputs: list[Path], out: Path, *extra: str):
    return CliRunner().invoke(app, ["build", *map(str, inputs), "--out", str(out), "--as-of", AS_OF.isoformat(), *extra])


def _api_build(inputs: list[Path], out: Path) -> None:
    result = build_knowledge_graph(inputs, as_of=AS_OF)
    write_build_outputs(result, out, EmbeddedStore(out / "graph.lbdb"), release_text=True)


def _report(out: Path) -> dict:
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    report.pop("timings_s")
    report["inputs"] = sorted(report["inputs"])
    return report


def _answers(out: Path) -> dict:
    store = EmbeddedStore(out / "graph.lbdb")
    return {
        "authors": store.query("MATCH (a:Author) RETURN a.id AS id, a.name AS name, a.orcid AS orcid ORDER BY id"),
        "papers": store.query("MATCH (p:Paper) RETURN p.id AS id, p.title AS title, p.year AS year, p.doi AS doi ORDER BY id"),
        "authored": store.query("MATCH (a:Author)-[r:AUTHORED]->(p:Paper) RETURN a.id AS author, p.id AS paper, "
                                "r.position AS position, r.affiliations AS affiliations ORDER BY author, paper"),
        "coauthored": store.query("MATCH (a:Author)-[r:COAUTHORED]->(b:Author) RETURN a.id AS one, b.id AS other, r.weight AS w, "
                                  "r.papers AS n, r.first_year AS y0, r.last_year AS y1 ORDER BY one, other"),
        "affiliated": store.query("MATCH (a)-[r:AFFILIATED_WITH]->(i:Institution) RETURN a.id AS member, i.id AS institution "
                                  "ORDER BY member, institution"),
        # every property of every node and relationship: the command stages the store from the worker's
        # files (Table.stored), the API from the tables in memory
        **{label: store.query(f"MATCH (n:{label}) RETURN n ORDER BY n.id") for label in ("Author", "Paper", "Institution")},
        **{kind: store.query(f"MATCH (a)-[r:{kind}]->(b) RETURN a.id AS one, b.id AS other, r ORDER BY one, other")
           for kind in ("AUTHORED", "AFFILIATED_WITH", "COAUTHORED")},
    }


INPUT_SETS = {
    "profiles": [ROOT / "examples" / "profiles"],
    "formats": [FIXTURES / "bibtex", FIXTURES / "ris", FIXTURES / "csl-json", FIXTURES / "dblp", FIXTURES / "openalex",
                FIXTURES / "scopus", FIXTURES / "wos", FIXTURES / "arxiv"],
    "examples": [ROOT / "examples"],
}


@pytest.mark.parametrize("name", sorted(INPUT_SETS))
def test_child_build_equals_in_process_build(name, tmp_path, private_tmp):
    inputs = INPUT_SETS[name]
    done = _cli_build(inputs, tmp_path / "cli")
    assert done.exit_code == 0, done.output
    _api_build(inputs, tmp_path / "api")
    timings = json.loads((tmp_path / "cli" / "report.json").read_text(encoding="utf-8"))["timings_s"]
    assert timings["handover"] >= 0 and {"extract", "resolve", "build", "store"} <= set(timings)
    cli, api = _report(tmp_path / "cli"), _report(tmp_path / "api")
    assert cli["counts"]["Paper"] > 0 and cli["counts"]["COAUTHORED"] > 0
    assert cli == api
    assert (tmp_path / "cli" / "centrality.csv").read_text() == (tmp_path / "api" / "centrality.csv").read_text()
    assert _answers(tmp_path / "cli") == _answers(tmp_path / "api")
    assert list(private_tmp.iterdir()) == []  # the child's folder is gone


def test_problems_cross_over_and_strict_still_fails(tmp_path, private_tmp):
    bad = tmp_path / "bad.ris"
    bad.write_text("TY  - JOUR\nTI  - No end tag\nAU  - Doe, Jane\n\nnot a tag line\n", encoding="utf-8")
    done = _cli_build([FIXTURES / "ris", bad], tmp_path / "out", "--strict")
    assert done.exit_code == 1
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["problem_count"] >= 1
    assert any("bad.ris" in p["source"] for p in report["problems"])
    assert list(private_tmp.iterdir()) == []


def _every_type() -> GraphTables:
    types = {"id": "STRING", "name": "STRING", "tags": "STRING[]", "flag": "BOOLEAN", "n": "INT64", "x": "DOUBLE", "day": "DATE"}
    columns = {
        "id": ["a", "b", "c", "d"],
        "name": ["Ana", None, "", "Zoë Ünal"],
        "tags": [["x", "y"], [], None, ["z"]],
        "flag": [True, None, False, True],
        "n": [1, None, -3, 2**40],
        "x": [0.5, None, float("inf"), -1.25],
        "day": ["2020-01-02", None, "1999-12-31", "2026-11-21"],
    }
    nodes = [Table("node", "Author", None, None, types, columns), Table("node", "Paper", None, None, {"id": "STRING"}, {"id": []})]
    import pandas as pd

    rel = Table("rel", "COAUTHORED", "Author", "Author", {"source": "STRING", "target": "STRING", "weight": "DOUBLE"},
                {"source": pd.Series(["a", "b"]), "target": pd.Series(["b", "c"]), "weight": pd.Series([0.5, float("nan")])})
    return GraphTables(nodes, [rel])


def test_tables_round_trip_every_column_type(tmp_path, monkeypatch):
    monkeypatch.setattr(worker, "CHUNK_ROWS", 3)  # several record batches per table
    tables = _every_type()
    back = worker.read_tables(tmp_path, worker.write_tables(tables, tmp_path))
    assert [(t.kind, t.name, t.from_label, t.to_label, t.types) for t in (*back.nodes, *back.rels)] == \
           [(t.kind, t.name, t.from_label, t.to_label, t.types) for t in (*tables.nodes, *tables.rels)]
    for old, new in zip((*tables.nodes, *tables.rels), (*back.nodes, *back.rels)):
        assert len(new) == len(old)
        for name in old.types:
            want = [[] if v is None and old.types[name] == "STRING[]" else v for v in old.values(name)]
            assert [list(v) if isinstance(v, (list, tuple)) else v for v in new.values(name)] == want, name
    assert back.counts() == tables.counts()


def _failing(monkeypatch, action):
    import graphkit.pipeline as pipeline

    def fail(*args, **kwargs):
        action()

    monkeypatch.setattr(pipeline, "_build", fail)  # the child is forked from this process: it runs this


def test_an_error_in_the_child_comes_back_with_its_message(monkeypatch, private_tmp):
    def raise_input_error():
        raise InputError("a record cannot be used", source="x.bib", line=7)

    _failing(monkeypatch, raise_input_error)
    with pytest.raises(InputError, match=r"^x\.bib:7: a record cannot be used$"):
        worker.BuildInChild([str(FIXTURES / "ris")], as_of=AS_OF).result()
    assert list(private_tmp.iterdir()) == []


def test_a_bug_in_the_child_comes_back_with_its_traceback(monkeypatch, private_tmp):
    _failing(monkeypatch, lambda: {}["missing"])
    with pytest.raises(RuntimeError, match="KeyError") as caught:
        worker.BuildInChild([str(FIXTURES / "ris")], as_of=AS_OF).result()
    assert "Traceback" in str(caught.value) and "fail" in str(caught.value)
    assert list(private_tmp.iterdir()) == []


def test_a_killed_child_is_one_line_and_leaves_nothing(monkeypatch, tmp_path, private_tmp):
    _failing(monkeypatch, lambda: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(GraphkitError, match="stopped by SIGKILL .*out of memory"):
        worker.BuildInChild([str(FIXTURES / "ris")], as_of=AS_OF).result()
    done = _cli_build([FIXTURES / "ris"], tmp_path / "out")
    assert done.exit_code == 1
    lines = done.output.strip().splitlines()
    assert len(lines) == 1 and "SIGKILL" in lines[0] and "Traceback" not in done.output
    assert not (tmp_path / "out" / "report.json").exists()
    assert list(private_tmp.iterdir()) == []


def test_a_full_temporary_folder_is_one_line_naming_it_and_tmpdir(monkeypatch, tmp_path, private_tmp):
    import errno

    def full(tables, folder, **options):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(worker, "write_tables", full)  # runs in the forked child
    done = _cli_build([FIXTURES / "ris"], tmp_path / "out")
    assert done.exit_code == 1
    lines = done.output.strip().splitlines()
    assert len(lines) == 1, done.output
    assert str(private_tmp) in lines[0] and "No space left on device" in lines[0] and "TMPDIR" in lines[0]
    assert list(private_tmp.iterdir()) == []


def test_the_parent_reads_each_table_while_the_child_writes_the_next(monkeypatch, tmp_path, private_tmp):
    """After each table the child waits (up to 10 s) for the parent to have read its file (the parent
    removes a file once read): a parent that read only at the end would leave every file in place."""
    marks = tmp_path / "seen.txt"
    real = worker.write_tables

    def watching(tables, folder, *, on_written=None, **options):
        def written(n, spec):
            on_written(n, spec)
            deadline = time.monotonic() + 10
            while (folder / f"{n}.arrow").exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            with marks.open("a") as handle:
                handle.write(f"{n} {'read' if not (folder / f'{n}.arrow').exists() else 'waiting'}\n")

        return real(tables, folder, on_written=written, **options)

    monkeypatch.setattr(worker, "write_tables", watching)  # runs in the forked child
    done = _cli_build([ROOT / "examples" / "profiles"], tmp_path / "out")
    assert done.exit_code == 0, done.output
    seen = marks.read_text().splitlines()
    tables = build_knowledge_graph([ROOT / "examples" / "profiles"], as_of=AS_OF).tables
    assert seen == [f"{n} read" for n in range(len(tables.nodes) + len(tables.rels))]
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["counts"]["Paper"] == 12 and report["timings_s"]["handover"] > 0
    assert list(private_tmp.iterdir()) == []


GRAPHKIT = Path(sys.executable).with_name("graphkit")


def _build_under_way(tmp_path: Path, **popen) -> tuple[subprocess.Popen, psutil.Process, Path, dict]:
    """`graphkit build` of 60,000 generated BibTeX entries as a subprocess, a second into reading:
    ``(process, its child, the TMPDIR it was given, that environment)``."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import gen_bibtex

    data = tmp_path / "big.bib"
    with data.open("w", encoding="utf-8") as handle:
        gen_bibtex.generate(handle, entries=60_000, people=20_000)
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(system_tmp)}
    process = subprocess.Popen([str(GRAPHKIT), "build", str(data), "--out", str(tmp_path / "out")], env=env, **popen)
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + 120
    while not parent.children():  # the build's child is forked before anything is read
        assert process.poll() is None and time.monotonic() < deadline, "the build ended before its child was seen"
        time.sleep(0.05)
    child = parent.children()[0]  # the first: nothing else starts before it
    time.sleep(1.0)  # well into reading: without its parent the child would go on for several seconds more
    assert process.poll() is None, "the build finished too soon: give it a larger input"
    return process, child, system_tmp, env


def test_ctrl_c_stops_parent_and_child_and_leaves_nothing(tmp_path):
    """Ctrl-C from a terminal reaches the whole process group: exit 130, one line, no process or folder left."""
    process, child, system_tmp, _ = _build_under_way(
        tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    children = psutil.Process(process.pid).children(recursive=True)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip().splitlines()[-1].endswith("interrupted (Ctrl-C)") and "Traceback" not in err
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert alive == []
    assert list(system_tmp.iterdir()) == []
    assert not (tmp_path / "out" / "report.json").exists()


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_only_dead_builds_folders_are_removed(tmp_path, private_tmp):
    dead = _dead_pid()
    (private_tmp / f"graphkit-build-{dead}-abc").mkdir()
    (private_tmp / f"graphkit-build-{dead}-abc" / "0.arrow").write_bytes(b"x" * 10)
    (private_tmp / f"graphkit-build-{os.getpid()}-live").mkdir()  # a build that is running
    (private_tmp / f"graphkit-build-{dead}-file").write_text("not a folder")
    (private_tmp / f"other-{dead}-abc").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine")
    (private_tmp / f"graphkit-build-{dead}-link").symlink_to(elsewhere)
    assert worker.remove_dead_folders() == [f"graphkit-build-{dead}-abc"]
    assert sorted(p.name for p in private_tmp.iterdir()) == sorted(
        [f"graphkit-build-{os.getpid()}-live", f"graphkit-build-{dead}-file", f"other-{dead}-abc", f"graphkit-build-{dead}-link"])
    assert (elsewhere / "keep.txt").read_text() == "mine"


def test_a_killed_parent_takes_its_child_along_and_the_next_build_cleans_up(tmp_path):
    """SIGKILL leaves the parent no chance to clean: the child must not resolve on for nobody, and the
    next build removes the folder the dead one left."""
    process, child, system_tmp, env = _build_under_way(tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    process.kill()
    process.wait()
    try:
        child.wait(timeout=3)
    except psutil.TimeoutExpired:
        child.kill()
        pytest.fail("the build's child outlived its parent")
    left = [p.name for p in system_tmp.iterdir()]
    assert len(left) == 1 and left[0].startswith(f"graphkit-build-{process.pid}-")
    done = subprocess.run([str(GRAPHKIT), "build", str(FIXTURES / "ris"), "--out", str(tmp_path / "again")],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert list(system_tmp.iterdir()) == []


def test_closing_early_stops_the_child(private_tmp):
    child = worker.BuildInChild([str(ROOT / "examples")], as_of=AS_OF)
    process = child._process
    child.close()
    assert not process.is_alive()
    assert list(private_tmp.iterdir()) == []
