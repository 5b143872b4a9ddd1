"""BibTeX read on both cores gives exactly what one process gives.

A large BibTeX file's records are built in two processes (graphkit.readers._forked):
the second half of the entries in a forked child. Here every
file is read both ways, the fork forced with a threshold of two items, and the
blocks, records and problems must be identical and in the same order; a child
that fails leaves the parent to build its half, and one stopped early is reaped.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from graphkit.readers import _forked, bibtex
from tests.conftest import ROOT, shared_path
from tests.test_p4_bibsplit import TRICKY

pytestmark = pytest.mark.skipif(not _forked.can_fork(), reason="forking is used on Linux with two CPUs only")


@pytest.fixture
def forks(monkeypatch):
    """Force the fork from two items on, and count the children started."""
    started = []
    real = _forked._Child.__init__

    def counting(self, *args):
        real(self, *args)
        started.append(self.pid)

    monkeypatch.setattr(_forked, "FORK_ENTRIES", 2)
    monkeypatch.setattr(_forked._Child, "__init__", counting)
    return started


def _generated(tmp_path: Path, entries: int = 3000) -> bytes:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import gen_bibtex

    out = io.StringIO()
    gen_bibtex.generate(out, entries=entries, people=entries // 2)
    return out.getvalue().encode("utf-8")


def _texts(tmp_path: Path) -> dict[str, bytes]:
    texts = {"tricky": "".join(TRICKY).encode("utf-8"), "generated": _generated(tmp_path)}
    for path in [*ROOT.joinpath("examples").rglob("*.bib"), *ROOT.joinpath("tests", "fixtures").rglob("*.bib")]:
        texts[path.name] = path.read_bytes()
    return texts


def _read_all(data: bytes) -> dict[str, list]:
    return {
        "records": [r.model_dump() if hasattr(r, "model_dump") else r for r in bibtex.parse_bibtex(io.BytesIO(data), "x.bib")],
        "compact": [str(r) if isinstance(r, bibtex.Problem) else r for r in bibtex.parse_compact(io.BytesIO(data), "x.bib", shared={})],
    }


def test_every_file_reads_the_same_in_two_processes(tmp_path, forks, monkeypatch):
    texts = _texts(tmp_path)
    monkeypatch.setattr(_forked, "FORK_ENTRIES", 10**9)  # first in one process
    alone = {name: _read_all(data) for name, data in texts.items()}
    assert not forks
    monkeypatch.setattr(_forked, "FORK_ENTRIES", 2)
    for name, data in texts.items():
        before = len(forks)
        assert _read_all(data) == alone[name], name
        if len(alone[name]["records"]) >= 2:  # its PaperRecords and its compact records built in two processes
            assert len(forks) - before == 2, name
    assert any(len(read["records"]) > 1000 for read in alone.values())
    assert any(isinstance(r, str) for r in alone["tricky"]["compact"])  # problems too, in their places


def test_the_anthology_sample_reads_the_same_in_two_processes(forks, monkeypatch):
    data = shared_path("data", "bibtex", "anthology-sample.bib").read_bytes()
    forked = _read_all(data)
    monkeypatch.setattr(_forked, "FORK_ENTRIES", 10**9)
    assert forked == _read_all(data)
    assert forks and len(forked["records"]) > 50


def test_a_child_that_fails_leaves_its_half_to_the_parent(monkeypatch):
    monkeypatch.setattr(_forked, "FORK_ENTRIES", 2)
    parent = os.getpid()

    def build(x):
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return x * 2

    assert list(_forked.build_in_two(range(10), build)) == [x * 2 for x in range(10)]

    def dies(x):
        if os.getpid() != parent:
            os._exit(3)
        return -x

    assert list(_forked.build_in_two(list(range(7)), dies)) == [-x for x in range(7)]


def test_a_child_whose_results_do_not_pickle_leaves_them_to_the_parent(monkeypatch):
    monkeypatch.setattr(_forked, "FORK_ENTRIES", 2)
    assert [f() for f in _forked.build_in_two(range(6), lambda x: (lambda: x))] == list(range(6))


def test_a_read_stopped_early_leaves_no_child(forks):
    items = _forked.build_in_two(range(100_000), lambda x: x)
    assert next(items) == 0
    items.close()
    [pid] = forks
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left behind


def test_small_inputs_are_not_forked(monkeypatch):
    started = []
    monkeypatch.setattr(_forked, "_Child", lambda *a: started.append(a) or pytest.fail("forked"))
    assert list(_forked.build_in_two(range(100), lambda x: x + 1)) == list(range(1, 101))
    assert not started
