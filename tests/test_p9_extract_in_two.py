"""Many input files are read on both cores and give exactly what one process gives.

graphkit.pipeline.extract_all splits the inputs into blocks of about
BLOCK_BYTES; a forked child reads every other block and sends each block's
records back as soon as it is done (graphkit.readers._forked.map_in_two).
Here the split is forced on small inputs (the thresholds lowered) and
everything extract_all returns and reports (records, profiles, problems and
their order, the files counted, how each reader was chosen, the on_file calls)
must equal the one-process read; a child that dies leaves its blocks to the
parent; the parent works ahead while the child's block is on its way; no
third process is forked; a graphkit build through the CLI (whose build child
does the splitting) gives the same graph, and a killed build leaves no reader behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from graphkit import pipeline
from graphkit.cli import app
from graphkit.readers import _forked
from graphkit.readers.registry import iter_inputs
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not _forked.can_fork(), reason="reading on both cores is used on Linux with two CPUs only")

AS_OF = dt.date(2026, 11, 21)
FIXTURES = ROOT / "tests" / "fixtures"
GRAPHKIT = Path(sys.executable).with_name("graphkit")


def _corpus(folder: Path, papers: int = 3000, seed: int = 7) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synthetic

    synthetic.write_corpus(folder, papers, seed=seed)
    return folder


@pytest.fixture
def mixed(tmp_path) -> Path:
    """Generated profile pages, a file of every format (with their broken fixtures), a file no reader
    claims and an empty file, in one folder tree."""
    top = _corpus(tmp_path / "mixed" / "pages")
    for fmt in ["bibtex", "ris", "csl-json", "dblp", "openalex", "scopus", "wos", "arxiv"]:
        shutil.copytree(FIXTURES / fmt, tmp_path / "mixed" / fmt)
    (tmp_path / "mixed" / "notes.xyz").write_text("nothing a reader claims")
    (tmp_path / "mixed" / "empty.bib").write_bytes(b"")
    return top.parent


@pytest.fixture
def split_small(monkeypatch) -> list[int]:
    """Split from the first byte, in blocks of 64 kB; the children started are counted."""
    started: list[int] = []
    real = _forked._Child.__init__

    def counting(self, *args):
        real(self, *args)
        started.append(self.pid)

    monkeypatch.setattr(pipeline, "SPLIT_BYTES", 0)
    monkeypatch.setattr(pipeline, "BLOCK_BYTES", 64 << 10)
    monkeypatch.setattr(_forked._Child, "__init__", counting)
    return started


def _extract(inputs, *, alone: bool, monkeypatch) -> dict:
    calls: list[tuple] = []
    readers: dict = {}
    monkeypatch.setattr(_forked, "_busy", alone)  # alone: can_fork() says no, one block, one process
    profiles, records, problems, files = pipeline.extract_all(
        inputs, as_of=AS_OF, readers=readers, on_file=lambda item: calls.append((item.path, item.format, item.how, str(item.problem))))
    monkeypatch.setattr(_forked, "_busy", False)
    return {"profiles": [p.model_dump() for p in profiles], "records": records, "problems": [p.model_dump() for p in problems],
            "files": files, "readers": readers, "on_file": calls}


def test_a_folder_of_every_format_reads_the_same_on_both_cores(mixed, split_small, monkeypatch):
    alone = _extract([mixed], alone=True, monkeypatch=monkeypatch)
    assert not split_small
    two = _extract([mixed], alone=False, monkeypatch=monkeypatch)
    assert len(split_small) == 1
    assert len(pipeline.split_blocks(list(iter_inputs([mixed], choose=False)))) > 10
    assert two == alone
    # the comparison has teeth: many records, profiles, problems of several files, every reader
    assert len(alone["records"]) > 3000 and len(alone["profiles"]) > 100
    assert len({p["source"] for p in alone["problems"]}) >= 3
    assert {"profile", "bibtex", "ris", "csl-json", "dblp", "openalex", "scopus", "wos", "arxiv"} <= set(alone["readers"])


def test_blocks_keep_the_order_and_a_large_file_is_a_block_of_its_own(mixed, monkeypatch):
    monkeypatch.setattr(pipeline, "SPLIT_BYTES", 0)
    monkeypatch.setattr(pipeline, "BLOCK_BYTES", 64 << 10)
    items = list(iter_inputs([mixed], choose=False))
    blocks = pipeline.split_blocks(items)
    assert [item for block in blocks for item in block] == items
    for block in blocks:
        sizes = [os.stat(item.path).st_size if item.problem is None else 0 for item in block]
        assert len(block) == 1 or sum(sizes) <= 64 << 10
    monkeypatch.setattr(pipeline, "SPLIT_BYTES", 8 << 20)  # the default: these few MB are read in one process
    assert pipeline.split_blocks(items) == [items]
    assert pipeline.split_blocks(items[:1]) == [items[:1]]


def test_a_child_that_dies_midway_leaves_its_blocks_to_the_parent(mixed, split_small, monkeypatch, tmp_path):
    alone = _extract([mixed], alone=True, monkeypatch=monkeypatch)
    parent = os.getpid()
    real = pipeline.read_input
    read_there: list[str] = []
    died = tmp_path / "died"

    def dying(item, **kwargs):
        if os.getpid() != parent:
            read_there.append(item.path)
            if len(read_there) == 120:  # well into its third block of about 50 pages: it has sent two
                died.write_text(item.path)
                os._exit(9)
        return real(item, **kwargs)

    monkeypatch.setattr(pipeline, "read_input", dying)
    assert _extract([mixed], alone=False, monkeypatch=monkeypatch) == alone
    assert len(split_small) == 1 and died.exists()


def test_the_parent_takes_more_blocks_while_the_child_is_slow():
    parent = os.getpid()
    done_here: list[int] = []

    def work(x):
        if os.getpid() != parent:
            time.sleep(1.0)  # the child's core is slow
            return (x, "child")
        time.sleep(0.05)
        done_here.append(x)
        return (x, "parent")

    blocks = [[x] for x in range(0, 200, 10)]
    start = time.monotonic()
    out = list(_forked.map_in_two(blocks, work))
    assert [x for x, _ in out] == list(range(0, 200, 10))
    by_child = [x for x, who in out if who == "child"]
    assert 1 <= len(by_child) <= 3, by_child  # it took a block (or two) while this process did the rest
    assert len(done_here) == len(blocks) - len(by_child)
    assert time.monotonic() - start < 4.0


def test_a_queue_that_does_not_fit_its_pipe_reads_in_one_process(monkeypatch):
    """A pipe smaller than the queue of block numbers (a user over the system's pipe quota gets one page)
    must not hang: the blocks are then done here, in order, without a child."""
    started = []
    monkeypatch.setattr(_forked, "_Child", lambda *a: started.append(a) or pytest.fail("forked"))
    real_pipe = os.pipe

    def small_pipe():
        read_end, write_end = real_pipe()
        import fcntl

        fcntl.fcntl(write_end, 1031, 4096)  # F_SETPIPE_SZ: one page, 1,024 block numbers
        return read_end, write_end

    monkeypatch.setattr(_forked.os, "pipe", small_pipe)
    blocks = [[n] for n in range(5000)]
    assert list(_forked.map_in_two(blocks, lambda x: x * 3)) == [n * 3 for n in range(5000)]
    assert not started


def test_no_third_process_is_forked_while_two_share_the_work():
    def work(_):
        time.sleep(0.2)  # long enough for the child to take a block too
        return _forked.can_fork(), os.getpid()

    inside = list(_forked.map_in_two([[1, 2], [3, 4], [5], [6]], work))
    assert [can for can, _ in inside] == [False] * 6
    assert len({pid for _, pid in inside}) == 2
    assert _forked.can_fork()  # and afterwards this process may fork again


def test_reading_stopped_early_leaves_no_child():
    started = []
    real = _forked._Child.__init__

    def counting(self, *args):
        real(self, *args)
        started.append(self.pid)

    _forked._Child.__init__ = counting
    try:
        items = _forked.map_in_two([range(1000)] * 20, lambda x: x)
        assert next(items) == 0
        items.close()
    finally:
        _forked._Child.__init__ = real
    [pid] = started
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie


def test_the_cli_build_reads_on_both_cores_and_gives_the_same_graph(mixed, tmp_path, monkeypatch):
    """`graphkit build` resolves in a forked child, which splits the reading with a grandchild."""
    marks = tmp_path / "forks.txt"
    real = _forked._Child.__init__

    def marking(self, *args):
        real(self, *args)
        with marks.open("a") as handle:  # written in the build's child: the test process never forks here
            handle.write(f"{os.getpid()} {self.pid}\n")

    monkeypatch.setattr(pipeline, "SPLIT_BYTES", 0)
    monkeypatch.setattr(pipeline, "BLOCK_BYTES", 64 << 10)
    monkeypatch.setattr(_forked._Child, "__init__", marking)
    done = CliRunner().invoke(app, ["build", str(mixed), "--out", str(tmp_path / "two"), "--as-of", AS_OF.isoformat()])
    assert done.exit_code == 0, done.output
    [(builder, reader)] = [tuple(map(int, line.split())) for line in marks.read_text().splitlines()]
    assert builder != os.getpid() and reader not in (builder, os.getpid())
    monkeypatch.setattr(_forked, "_busy", True)  # the same build with no second reader
    done = CliRunner().invoke(app, ["build", str(mixed), "--out", str(tmp_path / "one"), "--as-of", AS_OF.isoformat()])
    assert done.exit_code == 0, done.output
    assert len(marks.read_text().splitlines()) == 1
    one, two = (json.loads((tmp_path / d / "report.json").read_text()) for d in ("one", "two"))
    one.pop("timings_s"), two.pop("timings_s")
    assert two == one and one["counts"]["Paper"] > 3000 and one["problem_count"] > 0
    assert (tmp_path / "two" / "centrality.csv").read_text() == (tmp_path / "one" / "centrality.csv").read_text()


def test_a_killed_build_leaves_no_reader_behind(tmp_path):
    """SIGKILL to `graphkit build` while it reads 12 MB of pages on both cores: its child and the
    child's second reader die with it."""
    corpus = _corpus(tmp_path / "pages", papers=10_000, seed=3)
    assert sum(p.stat().st_size for p in corpus.iterdir()) > pipeline.SPLIT_BYTES  # split at the default threshold
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen([str(GRAPHKIT), "build", str(corpus), "--out", str(tmp_path / "out")], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + 60
    family: list[psutil.Process] = []
    while len(family) < 2:  # the build's child and, once it has listed the pages, its second reader
        assert process.poll() is None and time.monotonic() < deadline, "the build ended before it read on both cores"
        time.sleep(0.02)
        try:
            family = parent.children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
    process.kill()
    process.wait()
    gone, alive = psutil.wait_procs(family, timeout=3)
    for p in alive:
        p.kill()
    assert alive == [], "a reader outlived the build"
    assert not (tmp_path / "out" / "report.json").exists()
