"""The build's outputs written with the store loading beside centrality and the map (issue #13), NetworKit's
job in a child process, and the text columns released once staged."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pytest

from graphkit.analyze import defaults
from graphkit.analyze.defaults import author_centrality, prepare_centrality
from graphkit.outputs import write_build_outputs
from graphkit.pipeline import build_knowledge_graph
from graphkit.store.embedded import EmbeddedStore

from .conftest import AS_OF, EXAMPLES


def _outputs(tmp_path, name, *, release_text):
    result = build_knowledge_graph([EXAMPLES], as_of=AS_OF)
    out = tmp_path / name
    write_build_outputs(result, out, EmbeddedStore(out / "graph.lbdb"), release_text=release_text)
    return result, out


def test_released_text_is_in_the_database_and_changes_no_output(tmp_path):
    kept, out_kept = _outputs(tmp_path, "kept", release_text=False)
    released, out_released = _outputs(tmp_path, "released", release_text=True)
    paper = released.tables.node_table("Paper")
    assert "abstract" not in paper.columns and "title" not in paper.columns and "id" in paper.columns
    assert "abstract" in kept.tables.node_table("Paper").columns
    assert released.counts() == kept.counts()
    # the database has every text the tables had before they were released
    query = "MATCH (p:Paper) RETURN p.id, p.title, p.abstract ORDER BY p.id"
    rows_kept = EmbeddedStore(out_kept / "graph.lbdb").query(query)
    rows_released = EmbeddedStore(out_released / "graph.lbdb").query(query)
    assert rows_released == rows_kept and any(r["p.abstract"] for r in rows_kept)
    for name in ("centrality.csv", "collaboration-map.html"):
        assert (out_released / name).read_bytes() == (out_kept / name).read_bytes(), name
    report = json.loads((out_released / "report.json").read_text())
    assert report["stored_counts"] == report["counts"]
    assert {"store", "centrality", "map", "outputs"} <= set(report["timings_s"])


def _dense(n: int, m: int, seed: int) -> nx.Graph:
    rng = np.random.default_rng(seed)
    G = nx.Graph()
    G.add_nodes_from(range(n))
    while G.number_of_edges() < m:
        a, b = rng.integers(0, n, 2)
        if a != b:
            G.add_edge(int(a), int(b), weight=float(rng.choice([0.25, 0.5, 1.0])))
    return G


def test_networkit_job_gives_the_same_table_in_a_child_process(monkeypatch):
    G = _dense(2500, 100_000, 1)  # n * m above SAMPLE_WORK: KADABRA runs too
    in_thread = author_centrality(G)
    assert "betweenness_estimated" in in_thread
    monkeypatch.setattr(defaults, "PROCESS_EDGES", 1)  # every job in a child process
    prepared = prepare_centrality(G)
    assert isinstance(prepared.job, defaults._InProcess)
    in_child = author_centrality(G, prepared=prepared)
    assert prepared.job.where == "child"  # computed there, not by the fallback
    _same_table(in_child, in_thread)
    assert in_child["community"].nunique() > 1


def _same_table(a, b):
    """Equal tables; PageRank to 1e-12 (PRPACK's last bits differ between runs in one process too)."""
    a, b = a.set_index("id").sort_index(), b.set_index("id").sort_index()
    assert list(a.columns) == list(b.columns)
    assert a.drop(columns="pagerank").equals(b.drop(columns="pagerank"))
    np.testing.assert_allclose(a["pagerank"], b["pagerank"], rtol=0, atol=1e-12)


@pytest.mark.parametrize("python", ["/nonexistent/python", "/bin/false"])  # cannot start; starts and dies
def test_networkit_job_falls_back_when_the_child_cannot_run(monkeypatch, python):
    G = _dense(300, 3000, 2)
    expected = author_centrality(G)
    monkeypatch.setattr(defaults, "PROCESS_EDGES", 1)
    monkeypatch.setattr("sys.executable", python)
    prepared = prepare_centrality(G)
    _same_table(author_centrality(G, prepared=prepared), expected)
    assert prepared.job.where == "here"


@pytest.mark.parametrize("seed", [0, 3])
def test_communities_are_seeded_and_numbered_largest_first(seed):
    G = nx.disjoint_union_all([nx.complete_graph(k) for k in (4, 9, 6)])
    G.add_edge(0, 4)
    table = author_centrality(G, seed=seed).set_index("id")
    sizes = table["community"].value_counts().sort_index().tolist()
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == 9
    _same_table(author_centrality(G, seed=seed), author_centrality(G, seed=seed))


def test_a_failed_staging_of_a_huge_graph_stops_networkits_process(monkeypatch, tmp_path):
    """Above HUGE_COAUTHORSHIPS NetworKit's job starts before the store is staged: should the staging fail, the
    build's error comes out as ever and the job's process is stopped, not left computing for nobody."""
    import datetime as dt

    import psutil

    import graphkit.outputs as outputs
    from graphkit.exceptions import StoreError
    from graphkit.outputs import OutputError
    from tests.conftest import ROOT

    result = build_knowledge_graph([ROOT / "examples"], as_of=dt.date(2026, 11, 21))
    monkeypatch.setattr(outputs, "HUGE_COAUTHORSHIPS", 0)
    monkeypatch.setattr(defaults, "PROCESS_EDGES", 1)  # the job in a child process...
    slow = tmp_path / "python"
    slow.write_text("#!/bin/sh\nexec sleep 120\n")  # ...that would run for two minutes
    slow.chmod(0o755)
    monkeypatch.setattr("sys.executable", str(slow))
    started = []
    real_prepare = defaults.prepare_centrality

    def watched(tables, **options):
        prepared = real_prepare(tables, **options)
        started.append(prepared.job._proc.pid)
        return prepared

    def refused(self, tables, **options):
        assert started, "NetworKit's job should have started before the staging"
        raise StoreError(f"cannot write {self.path}: No space left on device")

    monkeypatch.setattr(defaults, "prepare_centrality", watched)
    monkeypatch.setattr(EmbeddedStore, "stage", refused)
    out = tmp_path / "out"
    with pytest.raises(OutputError, match="No space left on device"):
        write_build_outputs(result, out, EmbeddedStore(out / "graph.lbdb"))
    assert not psutil.pid_exists(started[0]) or psutil.Process(started[0]).status() == psutil.STATUS_ZOMBIE


def test_a_spilled_section_is_written_as_the_same_bytes(tmp_path):
    """A report section the build's child wrote as JSON (:class:`graphkit.worker.SpilledJson`) comes out of
    write_json_atomic byte for byte as the section given as Python objects would, read from its file or kept in
    memory; and it reads back as the same objects."""
    from graphkit.outputs import write_json_atomic
    from graphkit.worker import SpilledJson

    section = {"author:a": "one of 2 people named 'Ana Müller'", "author:b": "李娜 \"quoted\"\nand a new line", "author:c": ""}
    report = {"graphkit": "x", "identities": {"settings": {"bias": "precision"}, "authors": section, "after": [1, {}]},
              "empty": {}, "last": None}
    write_json_atomic(report, tmp_path / "plain.json")
    spilled = SpilledJson.write(section, tmp_path / "section.json", 2)
    write_json_atomic({**report, "identities": {**report["identities"], "authors": spilled}}, tmp_path / "spilled.json")
    assert (tmp_path / "spilled.json").read_bytes() == (tmp_path / "plain.json").read_bytes()
    spilled.keep_in_memory()
    (tmp_path / "section.json").unlink()
    write_json_atomic({**report, "identities": {**report["identities"], "authors": spilled}}, tmp_path / "memory.json")
    assert (tmp_path / "memory.json").read_bytes() == (tmp_path / "plain.json").read_bytes()
    assert spilled.load() == section
