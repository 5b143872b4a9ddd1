"""The bulk build of DBLP-only inputs (graphkit.bulk) builds the graph the general resolver builds.

Each test builds one input twice, through the general resolver and through the bulk path (the threshold set
by ``GRAPHKIT_DBLP_BULK_BYTES``), and compares every table row by row: nodes with all their properties,
AUTHORED with positions, AFFILIATED_WITH, COAUTHORED with papers, weights and years.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from graphkit import pipeline
from graphkit.bulk import bulk_inputs
from tests.cli import build_into, query
from tests.conftest import ROOT, shared_path

AS_OF = dt.date(2026, 11, 21)

# One file with what the bulk path must hand to the general resolver or settle itself the same way: homonyms
# (DBLP's numbers and an unnumbered one), a person record's other name, an ORCID on some papers, a CoRR
# preprint and its published version, two editorials of one journal and year (two issues), a thesis with its
# school (an institution), a collective name, a name written twice in one list, a paper without authors.
CASES = """<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE dblp SYSTEM "dblp.dtd">
<dblp>
<article key="journals/x/A1"><author>Wei Wang 0001</author><author>Jane Doe</author><title>Alpha study.</title><year>2019</year><journal>X</journal></article>
<article key="journals/x/A2"><author>Wei Wang 0002</author><author>John Roe</author><title>Beta study.</title><year>2019</year><journal>X</journal></article>
<article key="journals/x/A3"><author>Wei Wang 0002</author><author orcid="0000-0002-1825-0097">John Roe</author><title>Gamma study.</title><year>2020</year><journal>X</journal><ee>https://doi.org/10.1000/gamma</ee></article>
<article key="journals/x/A4"><author>Wei Wang</author><author>J. Roe</author><title>Delta study.</title><year>2020</year><journal>X</journal></article>
<article key="journals/corr/abs-2001-00001" publtype="informal"><author>Wei Wang 0002</author><author>John Roe</author><title>Gamma Study.</title><year>2019</year><journal>CoRR</journal><volume>abs/2001.00001</volume></article>
<article key="journals/x/E1"><author>Ann Lee</author><title>Editorial.</title><year>2020</year><journal>X</journal><volume>1</volume></article>
<article key="journals/x/E2"><author>Ann Lee</author><title>Editorial.</title><year>2020</year><journal>X</journal><volume>2</volume></article>
<www key="homepages/1/2"><author>John Roe</author><author>Johnny Roe</author><title>Home Page</title></www>
<article key="journals/x/A5"><author>Johnny Roe</author><author>Ann Lee</author><author>J&uuml;rgen M&uuml;ller</author><title>Epsilon.</title><year>2021</year><journal>X</journal></article>
<phdthesis key="phd/de/Mueller2018"><author>J&uuml;rgen M&uuml;ller</author><title>On Zeta.</title><year>2018</year><school>Karlsruhe Institute of Technology</school></phdthesis>
<article key="journals/x/C1"><author>Ann Lee</author><author>The ATLAS Collaboration</author><author>Jane Doe</author><title>Eta measured.</title><year>2022</year><journal>X</journal></article>
<inproceedings key="conf/y/Lee22"><author>Ann Lee</author><author>Jane Doe</author><author>Ann Lee</author><title>Theta written twice.</title><year>2022</year><booktitle>Y</booktitle></inproceedings>
<inproceedings key="conf/y/Lee23"><author>Ann Lee</author><author>Jane Doe</author><title>Iota.</title><booktitle>Y</booktitle></inproceedings>
<inproceedings key="conf/y/Nobody23"><title>Kappa without authors.</title><year>2023</year><booktitle>Y</booktitle></inproceedings>
</dblp>
"""


def _value(v):
    if hasattr(v, "tolist"):
        v = v.tolist()
    if isinstance(v, (list, tuple)):
        return tuple(_value(x) for x in v)
    if isinstance(v, float):
        return None if math.isnan(v) else round(v, 9)
    return v


def _rows(table) -> Counter:
    columns = [table.values(name) for name in table.types]
    return Counter(tuple(_value(column[i]) for column in columns) for i in range(len(table)))


def _build(path: Path, monkeypatch, *, bulk: bool):
    monkeypatch.setenv("GRAPHKIT_DBLP_BULK_BYTES", "0" if bulk else str(1 << 62))
    return pipeline.build_knowledge_graph([path], as_of=AS_OF)


def _assert_same_graph(path: Path, monkeypatch) -> tuple:
    general, bulk = _build(path, monkeypatch, bulk=False), _build(path, monkeypatch, bulk=True)
    assert bulk.resolution.identities["settings"]["path"].startswith("bulk")
    assert "path" not in general.resolution.identities["settings"]
    pairs = list(zip(general.tables.nodes + general.tables.rels, bulk.tables.nodes + bulk.tables.rels))
    assert len(pairs) == 7
    for g, b in pairs:
        assert (g.name, g.from_label, list(g.types)) == (b.name, b.from_label, list(b.types))
        rg, rb = _rows(g), _rows(b)
        assert rg == rb, (g.name, g.from_label, list((rg - rb).items())[:3], list((rb - rg).items())[:3])
    assert general.counts() == bulk.counts()
    assert general.records == bulk.records
    assert [p.message for p in general.problems] == [p.message for p in bulk.problems]
    # the pairs the bulk path reports as the resolver does: a name written twice in one list (its ids named as
    # the whole build names them), a record that fits two works; it leaves out name variants across DBLP persons
    def reported(result):
        return sorted((a.a, a.b, a.reason) for a in result.resolution.ambiguous if a.a == a.b or not a.a.startswith("author:"))

    assert reported(general) == reported(bulk)
    stats_g, stats_b = general.resolution.stats(), bulk.resolution.stats()
    for key in ("author_merges", "paper_merges", "institution_merges", "unknown_institutions"):
        assert stats_g[key] == stats_b[key], key
    return general, bulk


def test_read_in_this_process_the_same_graph(tmp_path, monkeypatch):
    """Where the reading cannot fork (one free core, no fork), the bulk path parses in this process, taking the
    records as the parser made them rather than unpickled from plain tuples: the same graph."""
    from graphkit.readers import _forked

    path = tmp_path / "dblp.xml"
    path.write_bytes(CASES.encode("latin-1"))
    monkeypatch.setattr(_forked, "_busy", True)
    assert not _forked.can_fork()
    general, bulk = _assert_same_graph(path, monkeypatch)
    assert bulk.records == 13


@pytest.mark.parametrize("neo4j_like", [False, True])
def test_the_explanations_reach_the_report_through_the_worker(tmp_path, monkeypatch, neo4j_like):
    """The build's child writes the identity decisions' explanations as JSON (all of DBLP: 760 MB) and the report
    takes them as written, indented as the rest of it: the same as the build in this process. ``neo4j_like``:
    the child's folder goes at the hand-over (nothing held), and the explanations are kept in memory first."""
    from graphkit import worker

    path = tmp_path / "dblp.xml"
    path.write_bytes(CASES.encode("latin-1"))
    monkeypatch.setenv("GRAPHKIT_DBLP_BULK_BYTES", "0")
    if neo4j_like:
        monkeypatch.setattr(worker, "HELD", None)
    kept = []
    real_keep = worker.SpilledJson.keep_in_memory

    def keep(self):
        kept.append(self.path)
        real_keep(self)

    monkeypatch.setattr(worker.SpilledJson, "keep_in_memory", keep)
    out = build_into(tmp_path, path)
    text = (out / "report.json").read_text(encoding="utf-8")
    api = pipeline.build_knowledge_graph([path], as_of=AS_OF).resolution.identities["authors"]
    assert json.loads(text)["identities"]["authors"] == api and len(api) >= 3
    assert '\n      "author:wei-wang~dblp-wei-wang-0001": "' in text  # one entry a line, at its depth
    assert len(kept) == neo4j_like


def test_the_cases_build_the_same_graph_both_ways(tmp_path, monkeypatch):
    path = tmp_path / "dblp.xml"
    path.write_bytes(CASES.encode("latin-1"))
    general, bulk = _assert_same_graph(path, monkeypatch)
    counts = bulk.counts()
    # 13 records: the preprint joins its published version, the two editorials stay two papers
    assert bulk.records == 13 and counts["Paper"] == 12
    authors = {row["id"]: row for row in bulk.tables.node_table("Author").rows()}
    assert {"author:wei-wang~dblp-wei-wang-0001", "author:wei-wang~dblp-wei-wang-0002",
            "author:wei-wang~dblp-wei-wang"} <= set(authors)
    roe = authors["author:john-roe"]
    assert list(roe["name_variants"]) == ["John Roe", "Johnny Roe"] and roe["orcid"] == "0000-0002-1825-0097"
    assert "author:j-roe" in authors  # another DBLP person: never joined by the ids
    assert not any("atlas" in a for a in authors)  # a collective name is no person
    assert counts["Institution"] == 1 and counts["AFFILIATED_WITH"] >= 2  # the thesis's school
    [twice] = [a for a in bulk.resolution.ambiguous if a.a == a.b]
    assert twice.a == "author:ann-lee" and "Theta written twice" in twice.reason
    [merge] = [m for m in bulk.resolution.merges if m.kind == "paper"]
    assert merge.name == "Gamma study" and len(merge.merged) == 2


def test_the_shared_dblp_sample_builds_the_same_graph_both_ways(monkeypatch):
    _assert_same_graph(shared_path("data", "dblp", "dblp-sample.xml"), monkeypatch)


def test_a_generated_dump_builds_the_same_graph_both_ways(tmp_path, monkeypatch):
    """20,000 records of the benchmark's generator: homonyms, person records, CoRR versions, theses. Its records
    that may be one paper go to the general resolver in blocks of about 25 (all of DBLP: 100,000), which this
    process and a forked child take in turn: the graph is the one a single resolution of them all gives."""
    import graphkit.bulk as bulk_module

    path = tmp_path / "dblp-20000.xml"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_dblp.py"), "--records", "20000", "--out", str(path),
                    "--seed", "7"], check=True, capture_output=True)
    monkeypatch.setattr(bulk_module, "BLOCK", 25)
    made = []
    real_blocks = bulk_module._blocks
    monkeypatch.setattr(bulk_module, "_blocks", lambda group: made.append(real_blocks(group)) or made[-1])
    general, bulk = _assert_same_graph(path, monkeypatch)
    assert len(made) == 1 and len(made[0]) >= 3
    assert bulk.counts()["COAUTHORED"] > 10_000
    assert sum(m.kind == "paper" for m in bulk.resolution.merges) == sum(m.kind == "paper" for m in general.resolution.merges)


def test_the_command_line_stores_the_bulk_graph_and_says_which_path_built_it(tmp_path, monkeypatch):
    path = tmp_path / "dblp.xml"
    path.write_bytes(CASES.encode("latin-1"))
    monkeypatch.setenv("GRAPHKIT_DBLP_BULK_BYTES", "0")
    out = build_into(tmp_path, path)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["identities"]["settings"]["path"].startswith("bulk")
    assert report["stored_counts"] == report["counts"]
    rows = query(out, "MATCH (a:Author)-[c:COAUTHORED]->(b:Author) WHERE a.name = 'Ann Lee' OR b.name = 'Ann Lee' "
                      "RETURN a.id AS x, b.id AS y, c.papers AS papers ORDER BY x, y")
    pairs = {(r["x"], r["y"]): r["papers"] for r in rows}
    # C1, Theta (Ann Lee written twice counts once) and Iota: three papers with Jane Doe
    assert pairs[("author:ann-lee", "author:jane-doe")] == 3
    assert ("author:ann-lee", "author:jurgen-muller") in pairs
    # the command stages the store from the worker's Arrow files (ids dictionary-encoded, years as float32):
    # the database holds what the general path's build stores, every property of every node and relationship
    monkeypatch.setenv("GRAPHKIT_DBLP_BULK_BYTES", str(1 << 40))
    general = build_into(tmp_path / "general", path)
    assert "path" not in json.loads((general / "report.json").read_text(encoding="utf-8"))["identities"]["settings"]

    def dump(folder):
        nodes = {label: query(folder, f"MATCH (n:{label}) RETURN n ORDER BY n.id") for label in ("Author", "Paper", "Institution")}
        rels = {kind: query(folder, f"MATCH (a)-[r:{kind}]->(b) RETURN a.id AS one, b.id AS other, r ORDER BY one, other")
                for kind in ("AUTHORED", "AFFILIATED_WITH", "COAUTHORED")}
        return nodes | rels

    stored, expected = dump(out), dump(general)
    assert len(stored["Paper"]) == 12 and len(stored["COAUTHORED"]) > 5 and any(r["r"]["affiliations"] for r in stored["AUTHORED"])
    assert stored == expected


def test_only_dblp_inputs_of_the_threshold_take_the_bulk_path(tmp_path, monkeypatch):
    dblp = tmp_path / "dblp.xml"
    dblp.write_bytes(CASES.encode("latin-1"))
    bib = tmp_path / "more.bib"
    bib.write_text("@article{a, title={Lambda}, author={Ann Lee}, year={2020}, journal={X}}\n", encoding="utf-8")
    monkeypatch.delenv("GRAPHKIT_DBLP_BULK_BYTES", raising=False)
    assert not bulk_inputs([str(dblp)], None)  # far below 256 MB
    monkeypatch.setenv("GRAPHKIT_DBLP_BULK_BYTES", "0")
    assert bulk_inputs([str(dblp)], None)
    assert bulk_inputs([str(tmp_path / "dblp.xml")], "dblp")
    assert not bulk_inputs([str(dblp), str(bib)], None)  # mixed inputs: the general resolver
    assert not bulk_inputs([str(bib)], None)
    assert not bulk_inputs([str(dblp)], "bibtex")
    # a curation file asks for the general resolver whatever the inputs
    rules = tmp_path / "identities.yaml"
    rules.write_text("never:\n  - [Jane Doe, Ann Lee]\n", encoding="utf-8")
    out = tmp_path / "out"
    from tests.cli import runner
    from graphkit.cli import app

    result = runner.invoke(app, ["build", str(dblp), "--out", str(out), "--as-of", "2026-11-21", "--identities", str(rules)])
    if result.exit_code == 0:
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        assert "path" not in report["identities"]["settings"]
    else:
        pytest.fail(result.output)


def test_a_huge_graph_is_loaded_in_parts_after_centrality_and_map(tmp_path, monkeypatch):
    """All of DBLP's co-authorships (62M) go to the database after centrality and the map (the COPY of a large
    part once KADABRA has ended), with the co-authorship columns dropped from memory (the counts kept): the
    thresholds lowered so that a small file takes the same path, whose graph must be the same."""
    import graphkit.outputs as outputs
    import graphkit.store.embedded as embedded

    path = tmp_path / "dblp.xml"
    path.write_bytes(CASES.encode("latin-1"))
    monkeypatch.setenv("GRAPHKIT_DBLP_BULK_BYTES", "0")
    whole = build_into(tmp_path / "whole", path)
    monkeypatch.setattr(outputs, "HUGE_COAUTHORSHIPS", 0)
    monkeypatch.setattr(embedded, "LARGE_REL_ROWS", 2)
    monkeypatch.setattr(embedded, "STAGE_CHUNK_ROWS", 3)
    monkeypatch.setattr(embedded, "LARGE_NODE_PART_BYTES", 1)  # every 3 rows a part
    copies = []
    real_stage = embedded.EmbeddedStore._stage

    def counted(self, nodes, rels, **options):
        staged = real_stage(self, nodes, rels, **options)
        copies.append((options.get("large"), {t.name + (t.from_label or ""): len(paths) for t, _, paths in staged.tables}))
        return staged

    monkeypatch.setattr(embedded.EmbeddedStore, "_stage", counted)
    monkeypatch.setattr(embedded, "WHOLE_REL_ROWS", 1)
    # the COPYs of more than GATED_ROWS rows wait for KADABRA (here: a finish() that takes 2 s) to have ended
    import graphkit.analyze.defaults as defaults

    monkeypatch.setattr(embedded, "GATED_ROWS", 1)
    events = []
    real_finish, real_run = defaults.PendingCentrality.finish, embedded.EmbeddedStore._run

    def slow_finish(self):
        time.sleep(2)
        frame = real_finish(self)
        events.append("centrality done")
        return frame

    def run(conn, statement, *args, **kwargs):
        if statement.startswith("COPY COAUTHORED"):
            events.append("COPY COAUTHORED")
        return real_run(conn, statement, *args, **kwargs)

    monkeypatch.setattr(defaults.PendingCentrality, "finish", slow_finish)
    monkeypatch.setattr(embedded.EmbeddedStore, "_run", staticmethod(run))
    parts = build_into(tmp_path / "parts", path)
    assert events[0] == "centrality done" and events.count("COPY COAUTHORED") > 2
    reports = [json.loads((out / "report.json").read_text(encoding="utf-8")) for out in (whole, parts)]
    assert reports[0]["stored_counts"] == reports[1]["stored_counts"] == reports[1]["counts"]
    cypher = ("MATCH (a:Author)-[c:COAUTHORED]->(b:Author) RETURN a.id AS x, b.id AS y, c.papers AS n, c.weight AS w, "
              "c.first_year AS f, c.last_year AS l ORDER BY x, y")
    assert query(whole, cypher) == query(parts, cypher)
    assert (parts / "centrality.csv").read_text() == (whole / "centrality.csv").read_text()
    [(large, parts_of)] = copies
    assert large and parts_of["Paper"] == 4 and parts_of["COAUTHOREDAuthor"] > 2  # 12 papers in parts of 3
