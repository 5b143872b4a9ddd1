"""Issue #12, replayed: careless and hostile use must lose nothing and let nothing in.

Each test names the case of the issue it replays. Everything runs for real: a
real embedded LadybugDB, real subprocesses killed with real signals, a real
full disk (a tiny tmpfs, when the tests may mount one).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.exceptions import ReadOnlyQueryError, RenderError, StoreError
from graphkit.outputs import LOCK_NAME, MARKER_NAME, build_lock
from graphkit.pipeline import build_knowledge_graph
from graphkit.render.export import export_graph
from graphkit.store import EmbeddedStore
from graphkit.store.guard import embedded_plan_refusal, embedded_refusal

from .conftest import AS_OF as AS_OF_DATE, EXAMPLES

runner = CliRunner()
PYTHON = sys.executable
EXPLODING = "MATCH p=(a:Author)-[:COAUTHORED*1..30]-(b:Author) RETURN count(p)"
AS_OF = ["--as-of", "2026-11-21"]


def build(out: Path, *inputs: Path, extra: tuple[str, ...] = ()):
    return runner.invoke(app, ["build", *map(str, inputs or [EXAMPLES]), "--out", str(out), *AS_OF, *extra])


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with a hash of its content."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def dead_pid() -> int:
    """The id of a process that ran and ended (a real dead PID, not a guessed number)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hardening") / "g"
    result = build(out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def graph_copy(built, tmp_path) -> Path:
    out = tmp_path / "g"
    shutil.copytree(built, out)
    return out


def cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    """The real `graphkit` command in a subprocess."""
    return subprocess.Popen([PYTHON, "-m", "graphkit.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})}, **kwargs)


# ------------------------------------------------------------- 1: never delete what is not ours

def test_1_out_on_a_users_folder_is_refused_and_kept(tmp_path):
    keep = tmp_path / "keep.lbdb"
    keep.mkdir()
    (keep / "thesis.tex").write_text("years of work")
    result = build(keep)
    assert result.exit_code == 1
    assert "not a graphkit output folder" in one_line(result.stderr) and "thesis.tex" in result.stderr
    assert snapshot(keep) == {"thesis.tex": hashlib.sha256(b"years of work").hexdigest()}


def test_1_out_on_a_file_and_an_impossible_place(tmp_path):
    afile = tmp_path / "notes.txt"
    afile.write_text("mine")
    result = build(afile)
    assert result.exit_code == 1 and "is a file" in one_line(result.stderr)
    assert afile.read_text() == "mine"
    result = build(Path("/proc/graphkit-cannot-be-here"))
    assert result.exit_code == 1 and "cannot" in one_line(result.stderr)


def test_1_store_replaces_only_a_ladybug_file(tmp_path):
    G = nx.MultiDiGraph()
    folder = tmp_path / "x.lbdb"
    folder.mkdir()
    (folder / "data").write_text("keep")
    with pytest.raises(StoreError, match="not a graphkit database"):
        EmbeddedStore(folder).write(G)
    text = tmp_path / "y.lbdb"
    text.write_text("a text file named like a database")
    with pytest.raises(StoreError, match="not a LadybugDB database"):
        EmbeddedStore(text).write(G)
    assert (folder / "data").read_text() == "keep" and text.read_text().startswith("a text file")


def test_1_marked_and_older_unmarked_output_folders_are_rebuilt(graph_copy, tmp_path):
    assert (graph_copy / MARKER_NAME).is_file()
    assert build(graph_copy).exit_code == 0
    older = tmp_path / "older"  # what a graphkit before the marker left: only its own names
    older.mkdir()
    shutil.copy(graph_copy / "report.json", older / "report.json")
    assert build(older).exit_code == 0 and (older / MARKER_NAME).is_file() and (older / "graph.lbdb").is_file()


# ------------------------------------------------------------- 2: one build at a time, outputs together

def test_2_second_build_refuses_while_one_holds_the_folder(graph_copy):
    before = snapshot(graph_copy)
    with build_lock(graph_copy):
        result = build(graph_copy)
    assert result.exit_code == 1 and "another graphkit build" in one_line(result.stderr)
    assert snapshot(graph_copy) == before


def test_2_wait_waits_for_the_other_build(graph_copy):
    held = threading.Event()
    release = threading.Event()

    def holder():
        with build_lock(graph_copy):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(5)
    child = cli("build", str(EXAMPLES), "--out", str(graph_copy), *AS_OF, "--wait")
    time.sleep(1.0)
    assert child.poll() is None  # still waiting for the lock
    release.set()
    thread.join()
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == 0, stderr


def _consistent(out: Path) -> int:
    """The number of authors, checked to be the same in graph, report, centrality and map."""
    report = json.loads((out / "report.json").read_text())
    stored = EmbeddedStore(out).counts()
    with (out / "centrality.csv").open() as handle:
        central = sum(1 for _ in csv.DictReader(handle))
    assert report["counts"] == report["stored_counts"] == stored
    assert central == stored["Author"]
    page = (out / "collaboration-map.html").read_text(encoding="utf-8")
    for row in EmbeddedStore(out).query("MATCH (a:Author) RETURN a.name AS n"):
        assert row["n"] in page
    return stored["Author"]


def test_2_a_folder_another_build_is_claiming_is_not_refused(tmp_path, monkeypatch):
    """The race behind the concurrent builds: the other build has made the folder but not yet marked it when this
    one looks, and has marked it when this one lists what it holds. Not "not a graphkit output folder": the
    build lock decides which build writes."""
    import graphkit.outputs as outputs

    out = tmp_path / "g"
    out.mkdir()
    real = outputs._foreign_entries

    def meanwhile(folder):
        (folder / outputs.MARKER_NAME).write_text("")  # the other build's marker, not yet written through
        return real(folder)

    monkeypatch.setattr(outputs, "_foreign_entries", meanwhile)
    outputs.check_output_folder(out)
    assert outputs.claim_output_folder(out) is False
    (out / outputs.MARKER_NAME).unlink()
    (out / "mine.txt").write_text("a user's file")
    with pytest.raises(outputs.OutputError, match="not a graphkit output folder"):
        monkeypatch.setattr(outputs, "_foreign_entries", real)
        outputs.check_output_folder(out)


def test_2_concurrent_builds_leave_one_consistent_folder(tmp_path):
    out = tmp_path / "g"
    small = tmp_path / "one-page"
    small.mkdir()
    shutil.copy(EXAMPLES / "omer-levy.txt", small)
    children = [cli("build", str(src), "--out", str(out), *AS_OF) for src in (EXAMPLES, small)]
    results = [(c.wait(timeout=180), c.stderr.read()) for c in children]
    for child in children:
        child.stdout.close()
        child.stderr.close()
    assert any(code == 0 for code, _ in results)
    for code, stderr in results:
        assert code == 0 or "another graphkit build" in one_line(stderr)
    _consistent(out)
    assert not [p.name for p in out.iterdir() if "staging" in p.name or "building" in p.name or p.name.endswith(".tmp")]


# ------------------------------------------------------------- 3: dead runs, full disk

def test_3_leftovers_of_dead_runs_are_removed_live_ones_kept(graph_copy):
    dead = dead_pid()
    alive = subprocess.Popen(["sleep", "60"])
    try:
        (graph_copy / f".staging-{dead}").mkdir()
        (graph_copy / f".staging-{dead}" / "graph.lbdb").write_bytes(b"x" * 1000)
        (graph_copy / f"graph.lbdb.building-{dead}").write_bytes(b"LBUG")
        (graph_copy / f"graph.lbdb.building-{dead}.wal").write_bytes(b"")
        (graph_copy / "collaboration-map.html.tmp").write_text("<html>trunc")
        (graph_copy / f".staging-{alive.pid}").mkdir()
        assert build(graph_copy).exit_code == 0
        names = {p.name for p in graph_copy.iterdir()}
        assert f".staging-{alive.pid}" in names  # another process's, still running: not ours to remove
        assert not {f".staging-{dead}", f"graph.lbdb.building-{dead}", f"graph.lbdb.building-{dead}.wal",
                    "collaboration-map.html.tmp"} & names
    finally:
        alive.kill()
        alive.wait()


def test_3_kill_9_mid_build_then_the_next_build_cleans_up(tmp_path):
    out = tmp_path / "g"
    # A build that kills itself with SIGKILL the moment its database file exists in staging.
    script = textwrap.dedent(f"""
        import os, signal, threading, time
        from pathlib import Path
        out = Path({str(out)!r})
        def killer():
            target = out / f".staging-{{os.getpid()}}"
            while not any(p.name.startswith("graph.lbdb") for p in (target.iterdir() if target.is_dir() else [])):
                time.sleep(0.001)
            os.kill(os.getpid(), signal.SIGKILL)
        threading.Thread(target=killer, daemon=True).start()
        from graphkit.cli import app
        app(["build", {str(EXAMPLES)!r}, "--out", str(out), "--as-of", "2026-11-21"])
    """)
    child = subprocess.run([PYTHON, "-c", script], capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL
    left = [p.name for p in out.iterdir() if p.name.startswith(".staging-")]
    assert left, "the killed build left nothing to clean up: the replay did not kill it mid-write"
    assert build(out).exit_code == 0
    assert not [p.name for p in out.iterdir() if "staging" in p.name or "building" in p.name]
    _consistent(out)


@contextlib.contextmanager
def tmpfs(mount: Path, size: int):
    """A tmpfs of ``size`` bytes mounted at ``mount`` (created), unmounted afterwards; skips without root."""
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={max(size // 1024, 64)}k", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root): " + done.stderr.decode(errors="replace").strip())
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.fixture
def tiny_disk(tmp_path, built):
    """A tmpfs where the example graph's database, report and centrality fit, and half its map."""
    size = sum((built / name).stat().st_size for name in ("graph.lbdb", "report.json", "centrality.csv"))
    size += (built / "collaboration-map.html").stat().st_size // 2 + 100_000
    with tmpfs(tmp_path / "tiny", size) as mount:
        yield mount


def test_3_full_disk_during_the_map_write(tiny_disk):
    out = tiny_disk / "g"
    result = build(out)
    assert result.exit_code == 1
    line = one_line(result.stderr)
    # the store is written beside the map: whichever of the two meets the full disk first is named
    assert f"{out / 'collaboration-map.html'}:" in line or f"{out / 'graph.lbdb'}:" in line, line
    assert "No space left on device" in line and ".staging" not in line
    assert not out.exists()  # the folder this build created goes again: no truncated .tmp, no half an output


def test_3_full_disk_during_the_database_write(tmp_path, built):
    """A disk too small for the database itself: LadybugDB's own long message becomes one line naming the file."""
    with tmpfs(tmp_path / "small", (built / "graph.lbdb").stat().st_size // 3) as mount:
        out = mount / "g"
        # the real command in its own process: had LadybugDB aborted on the full disk, only this test would fail
        child = cli("build", str(EXAMPLES), "--out", str(out), *AS_OF)
        _, stderr = child.communicate(timeout=300)
        assert child.returncode == 1, stderr
        line = one_line(stderr)
        assert line.startswith(f"error: cannot write {out / 'graph.lbdb'}: ") and ".staging" not in line, line
        assert "full" in line or "No space left on device" in line, line
        assert not out.exists()  # the folder this build created goes again


def test_3_store_on_a_full_disk_names_its_file_and_leaves_nothing(tmp_path):
    from graphkit.exceptions import StoreError
    from graphkit.store.embedded import EmbeddedStore

    with tmpfs(tmp_path / "tiny-store", 300 * 1024) as mount:
        tables = build_knowledge_graph([EXAMPLES], as_of=AS_OF_DATE).tables
        with pytest.raises(StoreError) as caught:
            EmbeddedStore(mount / "graph.lbdb").write(tables)
        message = str(caught.value)
        assert message.startswith(f"cannot write {mount / 'graph.lbdb'}: ") and "\n" not in message, message
        assert "full" in message or "No space left on device" in message
        assert list(mount.iterdir()) == []  # no half database, log, checkpoint or lock file


def test_3_read_only_place(tmp_path):
    place = tmp_path / "ro"
    place.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(place)], capture_output=True)
    if done.returncode != 0:
        if os.geteuid() == 0:
            pytest.skip("root ignores permissions and cannot mount here")
        place.chmod(0o555)
    try:
        result = build(place / "g")
        assert result.exit_code == 1
        assert "Read-only file system" in one_line(result.stderr) or "Permission denied" in result.stderr
    finally:
        if done.returncode == 0:
            subprocess.run(["umount", str(place)], check=True)


# ------------------------------------------------------------- 5: the embedded query path only reads

ATTACKS = {
    "copy-to": "COPY (MATCH (a:Author) RETURN a.name) TO '{out}/centrality.csv'",
    "load-from": "LOAD FROM '/etc/passwd' (file_format='csv', header=false, delim=':') RETURN *",
    "load-extension": "LOAD EXTENSION '/tmp/graphkit-no-such-lib.so'",
    "install": "INSTALL httpfs",
    "checkpoint": "CHECKPOINT",
    "create": "CREATE (a:Author {{id: 'x', name: 'x'}})",
    "merge": "MERGE (a:Author {{id: 'x'}})",
    "set": "MATCH (a:Author) SET a.name = 'x'",
    "delete": "MATCH (a:Author) DETACH DELETE a",
    "drop": "DROP TABLE Author",
    "alter": "ALTER TABLE Author ADD x STRING",
    "attach": "ATTACH '/tmp/x.lbdb' AS x (dbtype lbug)",
    "use": "USE x",
    "export": "EXPORT DATABASE '{out}/dump'",
    "import": "IMPORT DATABASE '{out}/dump'",
    "call-setting": "CALL threads=1",
    "call-project": "CALL project_graph('G', ['Author'], ['COAUTHORED'])",
    "hidden-clause": "MATCH (load:Author) LOAD FROM '/etc/passwd' (file_format='csv', header=false) RETURN *",
    "hidden-copy": "MATCH (copy:Author) COPY (MATCH (a) RETURN a) TO '{out}/x.csv'",
    "function": "MATCH (a:Author) RETURN read_csv('/etc/passwd')",
    "two-statements": "MATCH (a:Author) RETURN a.name; CHECKPOINT",
    "comment-trick": "MATCH (a:Author) RETURN a /* ; */; CHECKPOINT",
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_5_embedded_query_attacks_are_refused_and_change_nothing(graph_copy, name):
    before = snapshot(graph_copy)
    result = runner.invoke(app, ["query", "--db", str(graph_copy), ATTACKS[name].format(out=graph_copy)])
    assert result.exit_code == 1
    assert "refused" in one_line(result.stderr)
    assert "root:" not in result.stdout + result.stderr
    assert snapshot(graph_copy) == before
    # and the database is as readable as before (CHECKPOINT used to leave it unopenable)
    assert EmbeddedStore(graph_copy).query("MATCH (a:Author) RETURN count(a) AS n")[0]["n"] == 21


def test_5_the_plan_wall_refuses_on_ladybugs_own_plans(built):
    """The second wall alone: LadybugDB's EXPLAIN of file-reading and file-writing statements."""
    import ladybug

    db = ladybug.Database(str(built / "graph.lbdb"), read_only=True)
    conn = ladybug.Connection(db)
    try:
        def plan(statement):
            return conn.execute("EXPLAIN " + statement).get_next()[0]

        assert "COPY_TO" in embedded_plan_refusal(plan(f"COPY (MATCH (a:Author) RETURN a.name) TO '{built}/never.csv'"))
        assert "READ_CSV" in embedded_plan_refusal(plan("LOAD FROM '/etc/passwd' (file_format='csv', header=false) RETURN *"))
        assert embedded_plan_refusal(plan("CHECKPOINT")) is not None
        assert embedded_plan_refusal(plan(EXPLODING)) is None
        assert embedded_plan_refusal(plan("CALL table_info('Author') RETURN *")) is None
    finally:
        conn.close()
        db.close()
    assert not (built / "never.csv").exists()


@pytest.mark.parametrize("statement", [
    "MATCH (a:Author)-[c:COAUTHORED]-(b:Author) WHERE c.papers > 1 RETURN a.name AS x, b.name AS y ORDER BY x LIMIT 3",
    "MATCH (a:Author {name: $name}) OPTIONAL MATCH (a)-[:AUTHORED]->(p:Paper) WITH a, count(p) AS n RETURN a.name, n",
    "UNWIND [1, 2, 3] AS x RETURN x * 2 AS y",
    "MATCH (a:Author) WHERE a.name STARTS WITH 'O' AND NOT a.name CONTAINS 'x' RETURN DISTINCT lower(a.name) AS n SKIP 0",
    "MATCH (a:Author) RETURN a.name AS n UNION MATCH (i:Institution) RETURN i.name AS n",
    "MATCH (a:Author {name: $name}), (b:Author) WHERE a <> b MATCH p = (a)-[:COAUTHORED* SHORTEST 1..4]-(b) "
    "RETURN b.name AS b, length(p) AS hops, list_transform(nodes(p), x -> x.name) AS chain ORDER BY hops LIMIT 2",
    "CALL table_info('Author') RETURN *",
    "MATCH p = (a:Author)-[:COAUTHORED*1..2 (e, n | WHERE e.papers >= 1 AND n.name IS NOT NULL)]-(b:Author) RETURN count(*) AS c",
    "MATCH (p:Paper) WHERE p.title = 'COPY x TO y; LOAD FROM z' RETURN count(*) AS n  // CHECKPOINT",
    "MATCH (a:Author) RETURN CASE WHEN a.name IS NULL THEN 'none' ELSE a.name END AS n LIMIT 1;",
])
def test_5_read_queries_still_run(built, statement):
    assert embedded_refusal(statement) is None
    EmbeddedStore(built).query(statement, {"name": "Omer Levy"} if "$name" in statement else None)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_5_allow_list_reads_any_text_without_raising(text):
    reason = embedded_refusal(text)
    assert reason is None or isinstance(reason, str)
    # whatever a string literal holds, it is data: the same read query is accepted around it
    literal = "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    assert embedded_refusal(f"MATCH (p:Paper) WHERE p.title = {literal} RETURN p.title") is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["COPY", "LOAD", "FROM", "INSTALL", "CHECKPOINT", "CREATE", "SET", "DELETE", "DROP", "ATTACH",
                                 "MATCH", "(a)", "RETURN", "a", ";", "'x'", "TO", "CALL", "x", "=", "1", "EXTENSION", "WITH"]),
                min_size=1, max_size=8))
def test_5_no_word_soup_with_a_write_word_is_accepted(words):
    statement = " ".join(words)
    if embedded_refusal(statement) is None:
        # a write word gets through only where the query binds it as a name (`MATCH COPY = (a) RETURN COPY`:
        # a path variable); a statement that uses it as a clause is then the database's syntax error, not a write
        for word in {"COPY", "LOAD", "INSTALL", "CHECKPOINT", "CREATE", "SET", "DELETE", "DROP", "ATTACH", "EXTENSION"} & set(words):
            assert any(words[j:j + 2] == [word, "="] for j in range(len(words))), statement


def test_5_library_refuses_too(built):
    with pytest.raises(ReadOnlyQueryError, match="refused"):
        EmbeddedStore(built).query("CHECKPOINT")


# ------------------------------------------------------------- 6: timeout, memory, Ctrl-C

def test_6_timeout_stops_the_exploding_query_with_one_line(built):
    start = time.perf_counter()
    result = runner.invoke(app, ["query", "--db", str(built), "--timeout", "1", EXPLODING])
    assert result.exit_code == 1 and "timeout" in one_line(result.stderr)
    assert time.perf_counter() - start < 30


def test_6_memory_bound_ends_the_exploding_query_with_one_line(built):
    child = cli("query", "--db", str(built), "--timeout", "0", EXPLODING, env={"GRAPHKIT_QUERY_MEMORY_MB": "64"})
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == 1 and "more memory than the 64 MB" in one_line(stderr)


def test_6_ctrl_c_interrupts_the_query_cleanly(built):
    # a limit far above what the query reaches before the signal (it grows ~150 MB/s here), so that the
    # query is still running when Ctrl-C comes, however fast the machine
    # as from a terminal: a job started in the background (CI runners may do that) inherits SIGINT ignored
    child = cli("query", "--db", str(built), "--timeout", "0", EXPLODING, env={"GRAPHKIT_QUERY_MEMORY_MB": "4096"},
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    database = str(built / "graph.lbdb")
    deadline = time.monotonic() + 60

    def processes() -> list[int]:
        """The command and the process it runs the query in (graphkit's query child), if started."""
        try:
            with open(f"/proc/{child.pid}/task/{child.pid}/children") as children:
                return [child.pid, *map(int, children.read().split())]
        except OSError:
            return [child.pid]

    def resident_mb() -> float:
        total = 0.0
        for pid in processes():
            try:
                with open(f"/proc/{pid}/statm") as statm:
                    total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
            except OSError:
                pass
        return total

    def has_open(path: str) -> bool:
        found = False
        for pid in processes():
            try:
                entries = list(os.scandir(f"/proc/{pid}/fd"))
            except OSError:  # the query child ended meanwhile
                continue
            for fd in entries:
                try:
                    found = found or os.readlink(fd.path) == os.path.realpath(path)
                except OSError:  # closed between the listing and the look: not the database then
                    pass
        return found

    while not has_open(database):
        assert child.poll() is None and time.monotonic() < deadline, "the query never opened the database"
        time.sleep(0.05)
    opened = resident_mb()
    while resident_mb() < opened + 50:  # the database is open, the query is planned and deep in its paths
        assert child.poll() is None and time.monotonic() < deadline, "the query ended before Ctrl-C"
        time.sleep(0.02)
    assert child.poll() is None
    running = processes()[1:]
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=30)
    assert child.returncode == 130 and "interrupted" in one_line(stderr), (child.returncode, stderr[-2000:])
    assert not [pid for pid in running if os.path.exists(f"/proc/{pid}")], "the query's process outlived the command"
    assert EmbeddedStore(built).query("MATCH (a:Author) RETURN count(a) AS n")[0]["n"] == 21


def test_6_timeout_option_on_every_reading_command():
    for command in ("query", "centrality", "stats", "path", "growth", "map", "export"):
        assert "--timeout" in runner.invoke(app, [command, "--help"]).stdout, command


# ------------------------------------------------------------- 8: hyperauthorship

def test_8_hyperauthored_papers_keep_authored_edges_but_form_no_pairs(tmp_path):
    out = tmp_path / "g"
    assert build(out, extra=("--max-authors", "3")).exit_code == 0
    store = EmbeddedStore(out)
    sizes = {(r["p"], r["cut"]): r["n"] for r in store.query(
        "MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN p.id AS p, p.authors_truncated AS cut, count(a) AS n")}
    report = json.loads((out / "report.json").read_text())
    # over the limit: more authors shown, or as many shown from a list the source cut short ("and others")
    big = {p for (p, cut), n in sizes.items() if n > 3 or (n == 3 and cut)}
    assert {p for (p, _), n in sizes.items() if n > 3} < big
    assert big and report["hyperauthorship"] == {"max_authors": 3, "papers_without_coauthor_pairs": len(big)}
    # every remaining pair's papers and Newman weight come from the small papers alone
    authored = pd.DataFrame(store.query("MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN a.id AS a, p.id AS p"))
    small = authored[~authored["p"].isin(big)]
    expected: dict[tuple[str, str], float] = {}
    for _, group in small.groupby("p"):
        authors = sorted(group["a"])
        for i, a in enumerate(authors):
            for b in authors[i + 1:]:
                expected[(a, b)] = expected.get((a, b), 0.0) + 1 / (len(authors) - 1)
    pairs = store.query("MATCH (a:Author)-[c:COAUTHORED]->(b:Author) RETURN a.id AS a, b.id AS b, c.weight AS w")
    assert {(r["a"], r["b"]): pytest.approx(r["w"]) for r in pairs} == expected
    assert len(authored) == store.counts()["AUTHORED"]


# ------------------------------------------------------------- 10: exports

def test_10_graphml_and_gexf_with_control_characters_are_well_formed(built, tmp_path):
    G = EmbeddedStore(built).read()
    author = next(n for n, d in G.nodes(data=True) if d["label"] == "Author")
    G.nodes[author]["name"] = "Evil\x1b[31m\x01Name\x0b"
    for fmt in ("graphml", "gexf"):
        path = export_graph(G, fmt, tmp_path / f"g.{fmt}")[0]
        tree = etree.parse(str(path), etree.XMLParser(recover=False))  # raises on ill-formed XML
        assert "Evil\ufffd[31m\ufffdName\ufffd" in etree.tostring(tree, encoding="unicode")


def test_10_neo4j_admin_with_the_delimiter_in_a_value(built, tmp_path):
    G = EmbeddedStore(built).read()
    author = next(n for n, d in G.nodes(data=True) if d["label"] == "Author")
    G.nodes[author]["name_variants"] = ["A | B", "C"]
    files = export_graph(G, "neo4j-admin", tmp_path / "admin")
    command = (tmp_path / "admin" / "IMPORT.txt").read_text()
    assert '--array-delimiter=";"' in command
    rows = list(csv.reader((tmp_path / "admin" / "nodes-Author.csv").open(encoding="utf-8")))
    column = rows[0].index("name_variants:string[]")
    assert ["A | B", "C"] in [row[column].split(";") for row in rows[1:]]
    assert files and all(f.parent == tmp_path / "admin" for f in files)


def test_10_failed_neo4j_admin_export_leaves_no_partial_folder(built, tmp_path):
    G = EmbeddedStore(built).read()
    author = next(n for n, d in G.nodes(data=True) if d["label"] == "Author")
    G.nodes[author]["name_variants"] = ["|;¦¤§"]
    with pytest.raises(RenderError, match="every array delimiter"):
        export_graph(G, "neo4j-admin", tmp_path / "admin")
    assert list(tmp_path.iterdir()) == []


def test_10_and_12_export_into_a_folder_or_file_not_ours(built, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    result = runner.invoke(app, ["export", str(mine), "--db", str(built)])
    assert result.exit_code == 1 and "not a graphkit export folder" in one_line(result.stderr)
    assert snapshot(mine) == {"notes.txt": hashlib.sha256(b"mine").hexdigest()}
    again = tmp_path / "admin"
    assert runner.invoke(app, ["export", str(again), "--db", str(built)]).exit_code == 0
    assert runner.invoke(app, ["export", str(again), "--db", str(built)]).exit_code == 0  # our own: replaced
    target = tmp_path / "g.graphml"
    target.write_text("someone's file")
    result = runner.invoke(app, ["export", str(target), "--format", "graphml", "--db", str(built)])
    assert result.exit_code == 1 and "--overwrite" in one_line(result.stderr) and target.read_text() == "someone's file"
    assert runner.invoke(app, ["export", str(target), "--format", "graphml", "--db", str(built), "--overwrite"]).exit_code == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


# ------------------------------------------------------------- 11: terminal output

def test_11_table_output_shows_control_characters_and_no_markup(built):
    result = runner.invoke(app, ["query", "--db", str(built), "RETURN 'a\x1b[2Jb\x9b31m[bold]c[/bold]\u202e' AS `[red]x`"])
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x9b" not in result.stdout and "\u202e" not in result.stdout
    assert "a\\x1b[2Jb\\x9b31m[bold]c[/bold]\\u202e" in result.stdout and "[red]x" in result.stdout
    data = runner.invoke(app, ["query", "--db", str(built), "--format", "json", "RETURN 'a\x1b\x9b' AS x"])
    assert "\x1b" not in data.stdout and "\x9b" not in data.stdout and json.loads(data.stdout) == [{"x": "a\x1b\x9b"}]


def test_11_errors_are_never_read_as_markup(built):
    result = runner.invoke(app, ["path", "--db", str(built), "[/]", "Omer Levy"])
    assert result.exit_code == 1 and "'[/]'" in one_line(result.stderr)
    # (LadybugDB's syntax errors are cut to their first line, which shows the text it could not read)
    result = runner.invoke(app, ["query", "--db", str(built), "MATCH (a)-[r:COAUTHORED]->(b) RETURN [x IN [1] | ] AS y"])
    line = one_line(result.stderr)
    assert result.exit_code == 1 and "<[x IN [1] | ]>" in line and "EXPLAIN" not in line


# ------------------------------------------------------------- 12: one line, not a traceback

def test_12_multi_statement_and_mixed_type_parameters(built):
    result = runner.invoke(app, ["query", "--db", str(built), "MATCH (a) RETURN a; MATCH (b) RETURN b"])
    assert result.exit_code == 1 and "one statement at a time" in one_line(result.stderr)
    result = runner.invoke(app, ["query", "--db", str(built), "MATCH (a:Author) WHERE a.name IN $x RETURN a.name",
                                 "--param", 'x=[1,"a",null]'])
    assert result.exit_code == 1 and "one type" in one_line(result.stderr)
    result = runner.invoke(app, ["query", "--db", str(built), "MATCH (a:Author) WHERE a.name IN $x RETURN a.name AS n",
                                 "--param", 'x=["Omer Levy",null]'])
    assert result.exit_code == 0 and "Omer Levy" in result.stdout


def test_12_path_from_an_author_to_themselves(built):
    result = runner.invoke(app, ["path", "--db", str(built), "Omer Levy", "Omer Levy"])
    assert result.exit_code == 0 and "0 steps" in result.stdout and not result.stderr


def test_11_extract_table_prints_hostile_titles_as_text(tmp_path):
    page = (EXAMPLES / "omer-levy.txt").read_text(encoding="utf-8")
    evil = page.replace("We present SpanBERT", "[/][bold]We\x1b[2J present\x9b SpanBERT", 1)
    assert evil != page
    (tmp_path / "evil.txt").write_text(evil, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "evil.txt"), *AS_OF])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x9b" not in result.stdout
    assert "[/][bold]We\\x1b[2J" in "".join(result.stdout.split())  # shown, as text, in the (wrapped) table


def test_1_a_folder_in_place_of_an_output_stops_the_swap_before_it_starts(graph_copy):
    before = snapshot(graph_copy)
    (graph_copy / "graph.lbdb").unlink()
    (graph_copy / "graph.lbdb").mkdir()
    (graph_copy / "graph.lbdb" / "mine.txt").write_text("mine")
    result = build(graph_copy)
    assert result.exit_code == 1 and "will not replace it" in one_line(result.stderr)
    after = snapshot(graph_copy)
    assert after.pop("graph.lbdb/mine.txt") == hashlib.sha256(b"mine").hexdigest()
    before.pop("graph.lbdb")
    assert after == before  # report, centrality and map untouched: no half-done swap


def test_3_and_12_full_disk_during_graphkit_map(built, tmp_path):
    """A real write failure without root: the file-size limit (RLIMIT_FSIZE) of the process."""
    import resource

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    target = tmp_path / "m.html"
    child = subprocess.run([PYTHON, "-m", "graphkit.cli", "map", "--db", str(built), "--out", str(target)],
                           capture_output=True, text=True, preexec_fn=limit, timeout=120,
                           env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert child.returncode == 1 and "File too large" in one_line(child.stderr)
    assert list(tmp_path.iterdir()) == []


def test_12_output_piped_into_head_ends_quietly(built):
    child = cli("query", "--db", str(built), "--format", "csv", "UNWIND range(1, 200000) AS x RETURN x")
    assert child.stdout.readline().strip() == "x"
    child.stdout.close()  # what `| head -1` does
    stderr = child.stderr.read()
    child.stderr.close()
    assert child.wait(timeout=60) == 0 and stderr == ""
