"""Regressions for the bugs the outside QA check found (reproductions in the QA notes).

Real files through the real readers and the real CLI; builds write a real
embedded store, queried back through ``graphkit query``.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.outputs import MARKER_NAME
from graphkit.readers.arxiv import read_arxiv
from graphkit.readers.dblp import read_dblp
from graphkit.readers.openalex import read_openalex

runner = CliRunner()


def _strict_json(text: str):
    """Parse ``text`` as strict JSON: NaN / Infinity are an error, as in jq and JSON.parse."""

    def refuse(constant):
        raise ValueError(f"invalid JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


def _query(db, cypher: str) -> list[dict]:
    result = runner.invoke(app, ["query", cypher, "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    return _strict_json(result.stdout)


# 1. arXiv: "et al" / "others" entries in authors_parsed mark the list truncated, never an author


def test_arxiv_etal_entries_are_not_authors(tmp_path):
    path = tmp_path / "arxiv.jsonl"
    rows = [
        {"id": "1207.7214", "authors": "ATLAS Collaboration: G. Aad, et al", "title": "Observation of a new particle",
         "versions": [{"version": "v1", "created": "Tue, 31 Jul 2012 10:28:50 GMT"}],
         "authors_parsed": [["Aad", "G.", ""], ["al", "et", ""]]},
        {"id": "1234.5678", "authors": "G. Aad, B. Abbott, others", "title": "Others", "versions": [],
         "authors_parsed": [["Aad", "G.", ""], ["Abbott", "B.", ""], ["others", "", ""]]},
        {"id": "1234.5679", "authors": "G. Aad, B. Abbott", "title": "Complete", "versions": [],
         "authors_parsed": [["Aad", "G.", ""], ["Abbott", "B.", ""]]},
        {"id": "1234.5680", "authors": "A. Smith, B. Jones and others", "title": "No parsed list", "versions": []},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    recs = list(read_arxiv(path))
    assert [(r.title, r.author_names, r.authors_truncated) for r in recs] == [
        ("Observation of a new particle", ("ATLAS Collaboration", "G. Aad"), True),  # the group: no person (resolve)
        ("Others", ("G. Aad", "B. Abbott"), True),
        ("Complete", ("G. Aad", "B. Abbott"), False),
        ("No parsed list", ("A. Smith", "B. Jones"), True),
    ]
    assert [a.position for a in recs[1].authors] == [0, 1]


# 2. OpenAlex: HTML character references decoded; "Last, First" raw names split


def test_openalex_decodes_character_references(tmp_path):
    work = {
        "id": "https://openalex.org/W2100837269", "publication_year": 2015, "type": "article",
        "title": "Structure of <i>Escherichia coli</i> H<sub>2</sub>O &amp; CO<sub>2</sub> &#8211; the &lt;i&gt; tag",
        "primary_location": {"source": {"display_name": "Journal of Physics &amp; Chemistry"}},
        "authorships": [{"author": {"id": "https://openalex.org/A1", "display_name": "Ana O&#39;Neil"},
                         "institutions": [{"id": "https://openalex.org/I1", "display_name": "Texas A&amp;M University"}],
                         "raw_author_name": "Ana O&#39;Neil"},
                        {"author": {"id": "https://openalex.org/A2", "display_name": "Bo Li"},
                         "institutions": [], "raw_affiliation_strings": ["Dept. of Physics &amp; Astronomy"]}],
    }
    path = tmp_path / "w.json"
    path.write_text(json.dumps(work))
    [rec] = read_openalex(path)
    assert rec.title == "Structure of Escherichia coli H2O & CO2 – the <i> tag"
    assert rec.venue == "Journal of Physics & Chemistry"
    assert rec.author_names == ("Ana O'Neil", "Bo Li")
    assert [aff.name for a in rec.authors for aff in a.affiliations] == ["Texas A&M University", "Dept. of Physics & Astronomy"]


def test_openalex_raw_last_first_name_is_split(tmp_path):
    work = {"id": "https://openalex.org/W9000000003", "title": "Raw name only", "publication_year": 2020,
            "authorships": [{"author": {"id": "https://openalex.org/A9000000001", "display_name": None},
                             "raw_author_name": "Smith, John", "institutions": []},
                            {"author": {"id": None, "display_name": "Mary Major"}, "institutions": []}]}
    path = tmp_path / "w.json"
    path.write_text(json.dumps(work))
    [rec] = read_openalex(path)
    assert [(a.name, a.given, a.family) for a in rec.authors] == [("John Smith", "John", "Smith"), ("Mary Major", None, None)]


# 3. ORCIDs whose check digit fails are not ids


def test_openalex_and_dblp_drop_invalid_orcids(tmp_path):
    works = tmp_path / "works.jsonl"
    works.write_text("".join(json.dumps({
        "id": f"https://openalex.org/W900000000{i}", "title": f"Paper {i}", "publication_year": 2020,
        "authorships": [{"author": {"id": None, "display_name": name, "orcid": f"https://orcid.org/{orcid}"}, "institutions": []}],
    }) + "\n" for i, (name, orcid) in enumerate([("Alice Smith", "0000-0000-0000-0000"), ("Carol Ng", "0000-0002-1825-0097")])))
    found = list(read_openalex(works))
    assert [a.ids for r in found if hasattr(r, "authors") for a in r.authors] == [(), ("orcid:0000-0002-1825-0097",)]
    assert [str(p) for p in found if not hasattr(p, "authors")] == [  # dropped, and said
        f"{works}:1: ORCID 'https://orcid.org/0000-0000-0000-0000' of 'Alice Smith' fails its check digit; not used"]
    xml = tmp_path / "dblp.xml"
    xml.write_text('<?xml version="1.0"?>\n<dblp>\n'
                   '<article key="journals/x/A20"><author orcid="0000-0000-0000-0000">Alice Smith</author>'
                   '<author orcid="0000-0002-1825-0097">Carol Ng</author><title>A.</title><year>2020</year></article>\n'
                   '</dblp>\n')
    [rec] = [r for r in read_dblp(xml) if hasattr(r, "authors")]
    assert [a.ids for a in rec.authors] == [("dblp:Alice Smith",), ("dblp:Carol Ng", "orcid:0000-0002-1825-0097")]


def test_placeholder_orcid_never_joins_two_people(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "works.jsonl").write_text("".join(json.dumps({
        "id": f"https://openalex.org/W900000000{i}", "title": title, "publication_year": 2020 + i, "type": "article",
        "authorships": [{"author": {"id": None, "display_name": name, "orcid": "https://orcid.org/0000-0000-0000-0000"},
                         "institutions": []}],
    }) + "\n" for i, (name, title) in enumerate([("Alice Smith", "Paper one"), ("Bob Jones", "Paper two")])))
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(inputs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = _query(out, "MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN a.name AS name, p.title AS title ORDER BY name")
    assert rows == [{"name": "Alice Smith", "title": "Paper one"}, {"name": "Bob Jones", "title": "Paper two"}]


# 4. a named input that does not exist (or is not a regular file) is an error, like cat


def test_extract_and_build_missing_input_exit_1_naming_it(tmp_path):
    missing = tmp_path / "missing.bib"
    for args in (["extract", str(missing)], ["build", str(missing), "--out", str(tmp_path / "out")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.strip() == f"error: {missing}: no such file or directory"
    assert not (tmp_path / "out").exists()
    result = runner.invoke(app, ["extract", "/dev/null"])
    assert (result.exit_code, result.stderr.strip()) == (1, "error: /dev/null: a character device, not a regular file")


def test_problems_inside_readable_files_still_fail_only_under_strict(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{good, title={Fine}, author={Lee, Kenton}, year={2019}}\n@article{bad, author={X, Y}}\n")
    lenient = runner.invoke(app, ["extract", str(bib)])
    assert lenient.exit_code == 0 and "1 problem" in lenient.stderr
    assert runner.invoke(app, ["extract", str(bib), "--strict"]).exit_code == 1


# 5. centrality --top: negative is a usage error; 0 means all (as the help says)


@pytest.fixture(scope="module")
def small_build(tmp_path_factory):
    """A real build of the example profile pages."""
    root = tmp_path_factory.mktemp("qa-build")
    examples = os.path.join(os.path.dirname(os.path.dirname(__file__)), "examples", "profiles")
    result = runner.invoke(app, ["build", examples, "--out", str(root / "out")])
    assert result.exit_code == 0, result.output
    return root / "out"


def test_centrality_top_negative_is_a_usage_error(small_build):
    result = runner.invoke(app, ["centrality", "--db", str(small_build), "--top", "-3", "--format", "csv"])
    assert result.exit_code == 2
    assert "--top" in result.stderr
    everyone = runner.invoke(app, ["centrality", "--db", str(small_build), "--top", "0", "--format", "json"])
    two = runner.invoke(app, ["centrality", "--db", str(small_build), "--top", "2", "--format", "json"])
    authors = len((small_build / "centrality.csv").read_text().splitlines()) - 1  # every author, from the build
    assert len(_strict_json(two.stdout)) == 2
    assert len(_strict_json(everyone.stdout)) == authors > 2


# 6. --format json never prints NaN or Infinity


def test_json_output_has_null_for_nan_and_infinity(small_build):
    result = runner.invoke(app, ["query", "RETURN 0.0/0.0 AS x, 1.0/0.0 AS y, -1.0/0.0 AS z, 1.5 AS w",
                                 "--db", str(small_build), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert _strict_json(result.stdout) == [{"x": None, "y": None, "z": None, "w": 1.5}]
    help_text = runner.invoke(app, ["query", "--help"]).stdout
    assert "NaN" in help_text and "null" in help_text


# 7. a second `graphkit build .` does not read its own graphkit-out


def test_second_build_in_place_does_not_read_its_own_outputs(tmp_path, monkeypatch):
    work = tmp_path / "proj"
    (work / "sub").mkdir(parents=True)
    shutil.copy(os.path.join(os.path.dirname(os.path.dirname(__file__)), "examples", "profiles",
                             sorted(os.listdir(os.path.join(os.path.dirname(os.path.dirname(__file__)), "examples", "profiles")))[0]),
                work / "sub" / "page.txt")
    (work / "refs.bib").write_text("@article{a, title={Fine}, author={Lee, Kenton and Ng, Carol}, year={2019}}\n")
    # an older output folder elsewhere under the inputs, known by its marker
    (work / "old-run").mkdir()
    (work / "old-run" / MARKER_NAME).write_text("")
    (work / "old-run" / "centrality.csv").write_text("id,name\nx,y\n")
    monkeypatch.chdir(work)
    first = runner.invoke(app, ["build", ".", "--strict"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["build", ".", "--strict"])
    assert second.exit_code == 0, second.output
    said = [line for line in second.stderr.splitlines() if line.startswith("not read as input")]
    assert said == ["not read as input (graphkit output folders): ./graphkit-out, ./old-run"]
    report = _strict_json((work / "graphkit-out" / "report.json").read_text())
    # the page and the .bib only: no centrality.csv, report.json or map read as input
    assert (report["files"], report["problem_count"]) == (2, 0)
    # a named input inside the output folder is left out too
    inside = runner.invoke(app, ["build", "graphkit-out/report.json", "refs.bib", "--strict", "--out", "other"])
    assert inside.exit_code == 0, inside.output
    assert "not read as input (graphkit output folders): graphkit-out/report.json" in inside.stderr


# 8. the build's map shows exact average years from the papers


def test_build_map_uses_exact_average_years(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{a, title={Alone}, author={Lee, Kenton}, year={2000}}\n"
                   "@article{b, title={Together}, author={Lee, Kenton and Ng, Carol}, year={2003}}\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(bib), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "collaboration-map.html").read_text()
    # Kenton Lee: (2000 + 2003) / 2; Carol Ng: 2003 (an estimate from the collaboration alone would say 2003 for both)
    assert "Average year of papers: 2001.5" in page
    assert "Average year of papers: 2003.0" in page


def test_stats_on_a_file_that_is_no_edge_list_is_one_error(tmp_path):
    # A BibTeX file given to --edgelist by mistake: one line, exit 1, no table of zeros.
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{watts1998,\n  title = {Collective dynamics of small-world networks},\n"
                   "  author = {Watts, Duncan J. and Strogatz, Steven H.},\n  year = {1998}\n}\n", encoding="utf-8")
    result = runner.invoke(app, ["stats", "--edgelist", str(bib)])
    assert result.exit_code == 1
    assert "no edge could be read" in result.stderr and "refs.bib:1" in result.stderr
    assert "nodes" not in result.stdout


def test_a_run_of_bad_edge_lines_is_one_problem(tmp_path):
    from graphkit.extract.edgelist import read_edgelist

    edges = tmp_path / "edges.txt"
    edges.write_text("1 2\nx\ny\nz\n2 3\nw\n", encoding="utf-8")
    G, problems = read_edgelist(edges)
    assert G.number_of_edges() == 2
    assert [(p.line, p.message) for p in problems] == [
        (2, "expected two node ids, found 1 field (and 2 more unreadable line(s) up to line 4)"),
        (6, "expected two node ids, found 1 field"),
    ]
