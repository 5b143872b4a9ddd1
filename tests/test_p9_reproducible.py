"""The build's centrality table is the same, to the last digit, every time it is computed.

igraph's PRPACK PageRank runs on OpenMP threads and, on two, summed in a varying
order: five computations on one graph gave five PageRank vectors differing in
the 16th digit, so a rebuild's centrality.csv changed when nothing had. It now
runs on one thread (graphkit.analyze.defaults._pagerank). The graph here is large
enough for OpenMP to split the work (1,500 authors, 8,000 weighted edges), and
two builds of one input through the CLI must write byte-identical CSVs.
"""

from __future__ import annotations

import random

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

from graphkit.analyze.defaults import author_centrality
from graphkit.cli import app
from tests.conftest import ROOT


def _graph(seed: int = 1) -> nx.Graph:
    rng = random.Random(seed)
    g = nx.Graph()
    while g.number_of_edges() < 8000:
        a, b = rng.randrange(1500), rng.randrange(1500)
        if a != b:
            g.add_edge(f"author:{a}", f"author:{b}", weight=rng.random())
    return g


def test_pagerank_and_every_column_are_the_same_each_time():
    g = _graph()
    first = author_centrality(g)
    for _ in range(4):
        pd.testing.assert_frame_equal(author_centrality(g), first, check_exact=True)
    # the values are PageRank's (networkx's definition), not merely stable
    expected = nx.pagerank(g, alpha=0.85, weight="weight", tol=1e-13)
    got = dict(zip(first["id"], first["pagerank"]))
    assert max(abs(got[k] - expected[k]) for k in expected) < 1e-10


@pytest.mark.parametrize("inputs", [["tests/fixtures/dblp", "tests/fixtures/bibtex", "examples"]])
def test_two_builds_write_the_same_centrality_csv(inputs, tmp_path):
    written = []
    for run in ("one", "two"):
        out = tmp_path / run
        done = CliRunner().invoke(app, ["build", *(str(ROOT / i) for i in inputs), "--out", str(out), "--as-of", "2026-11-21"])
        assert done.exit_code == 0, done.output
        written.append((out / "centrality.csv").read_bytes())
    assert written[0] == written[1] and written[0].count(b"\n") > 50
