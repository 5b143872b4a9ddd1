"""NetworKit's worker started as a build begins to resolve (``graphkit build`` on large inputs).

The worker process imports NetworKit while the build resolves; the
first large co-author graph's job takes it and gives the same table as a job in
this process. A worker never given a job ends once its parent closes its input.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from typer.testing import CliRunner

from graphkit.analyze import defaults
from graphkit.analyze.defaults import author_centrality, prepare_centrality
from graphkit.cli import app

from .conftest import EXAMPLES

pytestmark = pytest.mark.skipif(not defaults.HAVE_NETWORKIT, reason="NetworKit is not installed")


@pytest.fixture
def no_spare():
    """No worker left over from another test, and none left behind by this one."""
    for proc in defaults._spare:
        proc.kill()
    defaults._spare.clear()
    yield defaults._spare
    for proc in defaults._spare:
        proc.kill()
        proc.wait()
    defaults._spare.clear()


def test_the_early_worker_takes_the_first_large_job_and_gives_the_same_table(monkeypatch, no_spare):
    G = nx.gnm_random_graph(400, 6000, seed=5)
    expected = author_centrality(G)
    defaults.start_worker_early()
    [early] = no_spare
    monkeypatch.setattr(defaults, "PROCESS_EDGES", 1)
    prepared = prepare_centrality(G)
    assert prepared.job._proc is early and not no_spare  # taken, not a second process
    table = author_centrality(G, prepared=prepared)
    assert prepared.job.where == "child"
    assert early.returncode == 0
    a, b = table.set_index("id").sort_index(), expected.set_index("id").sort_index()
    assert a.drop(columns="pagerank").equals(b.drop(columns="pagerank"))
    np.testing.assert_allclose(a["pagerank"], b["pagerank"], rtol=0, atol=1e-12)


def test_a_dead_early_worker_is_replaced(monkeypatch, no_spare):
    defaults.start_worker_early()
    [early] = no_spare
    early.kill()
    early.wait()
    monkeypatch.setattr(defaults, "PROCESS_EDGES", 1)
    G = nx.path_graph(30)
    prepared = prepare_centrality(G)
    assert prepared.job._proc is not early
    author_centrality(G, prepared=prepared)
    assert prepared.job.where == "child"


def test_an_early_worker_without_a_job_ends_when_its_input_closes(no_spare):
    defaults.start_worker_early()
    defaults.start_worker_early()  # one at a time
    [early] = no_spare
    early.stdin.close()
    assert early.wait(timeout=60) == 0
    assert early.stdout.read() == b""


def test_the_cli_starts_the_worker_only_for_large_inputs(tmp_path, monkeypatch, no_spare):
    runner = CliRunner()
    result = runner.invoke(app, ["build", str(EXAMPLES), "--out", str(tmp_path / "small")])
    assert result.exit_code == 0, result.output
    assert not no_spare  # the bundled examples are far below EARLY_WORKER_BYTES
    monkeypatch.setattr(defaults, "EARLY_WORKER_BYTES", 1)
    result = runner.invoke(app, ["build", str(EXAMPLES), "--out", str(tmp_path / "large")])
    assert result.exit_code == 0, result.output
    # the examples' graph is too small for a process job: the worker waits unused, alive
    [early] = no_spare
    assert early.poll() is None


def test_the_command_imports_networkit_without_its_plotting_stack():
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from graphkit._nkworker import _networkit, networkit_measures\n"
        "import numpy as np\n"
        "nk = _networkit()\n"
        "print('matplotlib' in sys.modules)\n"
        "_, community = networkit_measures(np.array([0, 1]), np.array([1, 2]), np.ones(2), 3, 0, False, 0.01, 0.05)\n"
        "print(sorted(set(community.tolist())))\n"
        "import matplotlib\n"  # still importable afterwards (the static maps use it)
        "print(matplotlib.__name__)\n"
    )
    import os

    for flag, loaded in (("1", "False"), ("", None)):
        env = {**os.environ, "GRAPHKIT_IGRAPH_WITHOUT_PYPLOT": flag}
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.split()
        assert lines[1:] == ["[0]", "matplotlib"]
        if loaded is not None:
            assert lines[0] == loaded  # the command's import left matplotlib out
