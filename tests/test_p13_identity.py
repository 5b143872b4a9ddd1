"""Session 13: defects an outside tester found in the build (one paper from two sources that spell one
author differently; a build that reads nothing), each checked through the CLI and the stored graph."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.store.embedded import EmbeddedStore

runner = CliRunner()

BIB = """@article{m1, title={Semantic Parsing with Typed Lambda Calculus}, author={Zettlemoyer, Luke and Lowe, Ada and Pratt, Ben},
  year={2018}, journal={J}, doi={10.5555/c1}}
@article{m2, title={Another Paper on Parsing}, author={M{\\"u}ller, Karl-Heinz and Lowe, Ada and Pratt, Ben}, year={2019},
  journal={J}, doi={10.5555/c2}}
@article{m3, title={Zettlemoyer Alone}, author={Zettlemoyer, Luke and Quinn, Cara}, year={2020}, journal={J}}
"""
RIS = """TY  - JOUR
AU  - Zettlemoyre, Luke
AU  - Lowe, Ada
AU  - Pratt, Ben
TI  - Semantic parsing with typed lambda calculus
PY  - 2018
DO  - https://doi.org/10.5555/C1
ER  - 

TY  - JOUR
AU  - Mueller, Karl-Heinz
AU  - Lowe, Ada
AU  - Pratt, Ben
TI  - Another paper on parsing
PY  - 2019
DO  - 10.5555/c2
ER  - 
"""


def _build(inputs: Path, out: Path, *extra: str):
    result = runner.invoke(app, ["build", str(inputs), "--out", str(out), "--as-of", "2026-11-21", *extra])
    return result


def _rows(out: Path, cypher: str) -> list[dict]:
    return EmbeddedStore(out / "graph.lbdb").query(cypher)


def _inputs(tmp_path: Path, **files: str) -> Path:
    """A folder ``in`` holding the given files (name with its dots written as ``_``: ``a_bib``)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in files.items():
        (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return folder


def test_two_spellings_at_one_position_of_one_paper_stay_one_author_and_are_reported(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.bib").write_text(BIB, encoding="utf-8")
    (inputs / "b.ris").write_text(RIS, encoding="utf-8")
    out = tmp_path / "out"
    result = _build(inputs, out)
    assert result.exit_code == 0, result.output
    authored = _rows(out, "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) RETURN p.doi AS doi, r.position AS at, a.name AS name "
                          "ORDER BY doi, at")
    by_paper: dict = {}
    for row in authored:
        by_paper.setdefault(row["doi"], []).append((row["at"], row["name"]))
    # the BibTeX record is the more complete one (its spelling with the umlaut): each paper keeps three authors
    assert by_paper["10.5555/c1"] == [(0, "Luke Zettlemoyer"), (1, "Ada Lowe"), (2, "Ben Pratt")]
    assert [at for at, _ in by_paper["10.5555/c2"]] == [0, 1, 2]
    # no co-authorship between the two spellings, and Newman weights as for three authors
    pairs = _rows(out, "MATCH (a:Author)-[r:COAUTHORED]->(b:Author) RETURN a.name AS a, b.name AS b, r.weight AS w")
    names = {frozenset((p["a"], p["b"])): p["w"] for p in pairs}
    assert frozenset(("Luke Zettlemoyer", "Luke Zettlemoyre")) not in names
    assert names[frozenset(("Ada Lowe", "Ben Pratt"))] == 1.0
    # the spelling only the RIS record shows is no Author node of its own
    assert _rows(out, "MATCH (a:Author) WHERE a.name = 'Luke Zettlemoyre' RETURN a.id AS id") == []
    # and the disagreement is reported, with both records' places
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    found = [a for a in report["ambiguous"] if "Luke Zettlemoyre" in a["names"]]
    assert len(found) == 1 and "a.bib:1" in found[0]["reason"] and "b.ris:1" in found[0]["reason"]
    listed = runner.invoke(app, ["identities", "--db", str(out), "--kind", "ambiguous", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert any("Luke Zettlemoyre" in row["names"] for row in json.loads(listed.stdout))


def test_a_reordered_list_is_not_taken_for_a_respelled_one(tmp_path):
    inputs = _inputs(tmp_path, a_bib="@article{x, title={Order Matters Here}, author={Lowe, Ada and Pratt, Ben}, "
                     "year={2018}, journal={J}, doi={10.5555/o1}}\n",
                     b_ris="TY  - JOUR\nAU  - Pratt, Ben\nAU  - Lowe, Ada\nTI  - Order matters here\nPY  - 2018\n"
                     "DO  - 10.5555/o1\nER  - \n")
    out = tmp_path / "out"
    assert _build(inputs, out).exit_code == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert not [a for a in report["ambiguous"] if "show different authors at position" in a["reason"]]
    rows = _rows(out, "MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN a.name AS name ORDER BY name")
    assert [r["name"] for r in rows] == ["Ada Lowe", "Ben Pratt"]


def test_a_build_that_reads_nothing_leaves_the_earlier_build_alone(tmp_path):
    good = tmp_path / "good.bib"
    good.write_text(BIB, encoding="utf-8")
    out = tmp_path / "out"
    assert _build(good, out).exit_code == 0
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name != ".graphkit-lock"}  # the lock names its holder
    papers = _rows(out, "MATCH (p:Paper) RETURN count(p) AS n")[0]["n"]
    assert papers == 3
    (tmp_path / "empty").mkdir()
    for inputs in (tmp_path / "empty", tmp_path / "notes.bib"):
        if inputs.suffix:
            inputs.write_text("% only a comment, no entry\n", encoding="utf-8")
        result = _build(inputs, out)
        assert result.exit_code == 1, result.output
        last = result.output.strip().splitlines()[-1]
        assert last.startswith("nothing to build: no paper record or profile was read") and "as it was" in last
        assert "Traceback" not in result.output
        assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name != ".graphkit-lock"} == before
        assert _rows(out, "MATCH (p:Paper) RETURN count(p) AS n")[0]["n"] == papers
    # into a new folder: nothing is created either
    assert _build(tmp_path / "empty", tmp_path / "fresh").exit_code == 1
    assert not (tmp_path / "fresh").exists()


def test_a_percent_encoded_doi_is_the_doi_it_encodes(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.bib").write_text("@article{s1, author={Doe, John}, title={Relevance in the SICI era}, year=1998, "
                                  "doi={10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O}}\n", encoding="utf-8")
    (inputs / "b.ris").write_text("TY  - JOUR\nAU  - Doe, John\nTI  - Another title altogether\nPY  - 1998\nDO  - "
                                  "https://doi.org/10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO;2-O\nER  - \n",
                                  encoding="utf-8")
    (inputs / "c.json").write_text('{"results": [{"id": "https://openalex.org/W1", "display_name": "Third title", '
                                   '"publication_year": 1998, "doi": "https://doi.org/10.1002/(sici)1097-4571(199806)49:8%3c693::'
                                   'aid-asi4%3e3.0.co;2-o", "authorships": [{"author": {"display_name": "John Doe"}}]}]}',
                                   encoding="utf-8")
    out = tmp_path / "out"
    result = _build(inputs, out)
    assert result.exit_code == 0, result.output
    assert _rows(out, "MATCH (p:Paper) RETURN p.doi AS doi") == [
        {"doi": "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-o"}]


def test_a_same_rule_adds_a_join_and_undoes_none(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.bib").write_text("""@article{p1, title = {Sparse Tensor Sketches for Streaming Graphs},
  author = {M{\\"u}ller, Karl-Heinz and van der Berg, Anna and Okafor, Ines}, journal = {J}, year = {2019}}
@inproceedings{p3, title = {Low-Memory Triangle Counting},
  author = {Karl Heinz M\\"{u}ller and Anna van der Berg and Ines Okafor}, booktitle = {C}, year = {2021}}
""", encoding="utf-8")
    (inputs / "b.ris").write_text("TY  - JOUR\nAU  - Mueller, Karl-Heinz\nAU  - Tanaka, Yui\nTI  - Hashing temporal edge "
                                  "streams\nPY  - 2022\nER  - \n", encoding="utf-8")
    rules = tmp_path / "ids.csv"
    rules.write_text("rule,first,second\nsame,Karl-Heinz Mueller,Karl Heinz Müller\n", encoding="utf-8")

    def people(out: Path) -> dict:
        rows = _rows(out, "MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN a.id AS id, a.name AS name, "
                          "a.name_variants AS v, count(p) AS n")
        return {r["id"]: (r["name"], sorted(r["v"]), r["n"]) for r in rows if "ller" in r["name"]}

    plain = tmp_path / "plain"
    assert _build(inputs, plain).exit_code == 0
    ruled = tmp_path / "ruled"
    result = _build(inputs, ruled, "--identities", str(rules))
    assert result.exit_code == 0, result.output
    # without the file: the two spellings of Müller are one person (spacing; shared co-authors), Mueller another
    assert sorted(n for _, _, n in people(plain).values()) == [1, 2]
    # with it: the rule joins Mueller to them, and the join without it stays; named as the sources with the umlaut write it
    assert list(people(ruled).values()) == [
        ("Karl Heinz Müller", ["Karl Heinz Müller", "Karl-Heinz Mueller", "Karl-Heinz Müller"], 3)]


def test_a_city_in_an_address_is_not_the_university_named_after_it(tmp_path):
    from graphkit.resolve.institutions import load_alias_table

    table = load_alias_table()
    for address in ("George Washington University, Washington, DC", "Naval Research Laboratory, Washington, DC",
                    "Broad Institute of MIT and Harvard, Cambridge, MA", "Oxford Brookes University, Oxford",
                    "Lawrence Berkeley National Laboratory, Berkeley, CA", "Washington, USA"):
        assert table.canonical(address) is None, address
    assert table.canonical("Dept Comp Sci, Princeton Univ, Princeton, NJ 08544 USA") == "Princeton University"
    assert table.canonical("Dept EECS, MIT, Cambridge, MA") == "Massachusetts Institute of Technology"
    assert table.canonical("princeton") == "Princeton University"  # a profile page's short form
    # through a build: the author at the Naval Research Laboratory is not at the University of Washington
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "w.txt").write_text(
        "PT J\nAU Shabaev, A\nAU Efros, AL\nAF Shabaev, Andrew\nAF Efros, Alexander L.\nTI Robust manipulation of "
        "electron spin\nSO PHYS REV B\nPY 2007\nC1 [Shabaev, Andrew] George Mason Univ, Fairfax, VA 22030 USA.\n"
        "C1 [Efros, Alexander L.] Naval Res Lab, Washington, DC 20375 USA.\nER\nEF\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _build(inputs / "w.txt", out, "--from", "wos")
    assert result.exit_code == 0, result.output
    assert _rows(out, "MATCH (i:Institution) WHERE i.name = 'University of Washington' RETURN i.id AS id") == []


def test_one_abstract_reused_for_two_arxiv_papers_leaves_two_papers(tmp_path):
    abstract = ("We continue the study of placeholder substructures in weighted graphs begun in the first part of "
                "this series, and prove that every such substructure admits a canonical decomposition.")
    lines = [{"id": f"0704.{n:04d}", "title": f"Placeholder substructures {part}", "abstract": abstract,
              "authors": "A. Author", "authors_parsed": [["Author", "A.", ""]],
              "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}]}
             for n, part in ((26, "II"), (112, "III"))]
    path = tmp_path / "arxiv.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _build(path, out)
    assert result.exit_code == 0, result.output
    assert _rows(out, "MATCH (p:Paper) RETURN p.title AS t ORDER BY t") == [
        {"t": "Placeholder substructures II"}, {"t": "Placeholder substructures III"}]
    # the same abstract on two records of one work (no conflicting ids) still joins them
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "a.jsonl").write_text(json.dumps(lines[0]) + "\n", encoding="utf-8")
    (tmp_path / "two" / "b.bib").write_text("@article{x, title={A different title here}, author={Author, A.}, year={2007}, "
                                            f"abstract={{{abstract}}}}}\n", encoding="utf-8")
    assert _build(tmp_path / "two", tmp_path / "out2").exit_code == 0
    assert len(_rows(tmp_path / "out2", "MATCH (p:Paper) RETURN p.id AS id")) == 1


def test_coauthors_written_in_initials_on_one_side_are_evidence_unless_their_names_are_common(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "mt.bib").write_text("""
@inproceedings{brown88, title={A Statistical Approach to Language Translation}, year={1988}, booktitle={COLING},
  author={Brown, P. and Cocke, J. and Della Pietra, S. and Della Pietra, V. and Jelinek, F. and Mercer, R. and Roossin, P.}}
@article{brown93, title={The Mathematics of Statistical Machine Translation: Parameter Estimation}, year={1993},
  journal={Computational Linguistics},
  author={Brown, Peter F. and Della Pietra, Stephen A. and Della Pietra, Vincent J. and Mercer, Robert L.}}
@article{w1, title={Sparse Attention for Graphs}, year={2019}, journal={J}, author={Wang, X. and Li, J. and Zhang, Y.}}
@article{w2, title={Dense Retrieval at Scale}, year={2021}, journal={J}, author={Wang, Xin and Li, Jun and Zhang, Yue}}
""", encoding="utf-8")
    out = tmp_path / "out"
    result = _build(inputs, out)
    assert result.exit_code == 0, result.output
    names = {r["name"] for r in _rows(out, "MATCH (a:Author) RETURN a.name AS name")}
    # the four authors of both papers are one person each, named by their full spellings
    assert {"Peter F. Brown", "Stephen A. Della Pietra", "Vincent J. Della Pietra", "Robert L. Mercer"} <= names
    assert not {"P. Brown", "S. Della Pietra", "V. Della Pietra", "R. Mercer"} & names
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    brown = next(m for m in report["merges"] if m["kind"] == "author" and "P. Brown" in m["merged"])
    assert "co-author(s) under variants of one name" in brown["reason"] and "r mercer ~ robert l mercer" in brown["reason"]
    # common family names are no such evidence: X. Wang and Xin Wang stay apart (reported as ambiguous)
    assert {"X. Wang", "Xin Wang", "J. Li", "Jun Li"} <= names


def test_path_lists_the_linking_papers_oldest_first(tmp_path):
    bib = tmp_path / "p.bib"
    bib.write_text("".join(
        f"@article{{k{n}, title={{{title}}}, author={{Kowalski, Karl and Lindqvist, Lena}}, year={{{year}}}, journal={{J}}}}\n"
        for n, (title, year) in enumerate([("Zeta results", 2022), ("Alpha results", 2016), ("Mid results", 2019)])),
        encoding="utf-8")
    out = tmp_path / "out"
    assert _build(bib, out).exit_code == 0
    result = runner.invoke(app, ["path", "--db", str(out), "Karl Kowalski", "Lena Lindqvist", "--format", "json"])
    assert result.exit_code == 0, result.output
    (step,) = json.loads(result.stdout)
    assert [p["year"] for p in step["papers"]] == [2016, 2019, 2022]


def test_a_suffix_beside_the_same_name_in_one_list_is_another_person(tmp_path):
    bib = tmp_path / "h.bib"
    bib.write_text(r"""@inproceedings{c17, title={CoNLL 2017 Shared Task: Multilingual Parsing from Raw Text to Universal Dependencies},
  year={2017}, booktitle={CoNLL}, author={Zeman, Daniel and Popel, Martin and Haji{\v{c}}, Jan and Nivre, Joakim and Haji{\v{c}} jr., Jan}}
@article{a1, title={A senior paper}, year={2010}, journal={PBML}, author={Haji{\v{c}}, Jan and Zeman, Daniel}}
@article{a2, title={A junior paper}, year={2018}, journal={PBML}, author={Haji{\v{c}} jr., Jan and Popel, Martin}}
@article{s1, title={Common Lisp: The Language}, year={1990}, journal={X}, author={Steele, Jr., Guy L.}}
@article{s2, title={Scheme: An Interpreter}, year={1978}, journal={X}, author={Steele, Guy L.}}
""", encoding="utf-8")
    out = tmp_path / "out"
    assert _build(bib, out).exit_code == 0
    rows = _rows(out, "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) WHERE a.name CONTAINS 'Haji' OR a.name CONTAINS 'Steele' "
                      "RETURN a.name AS name, p.title AS title, r.position AS at ORDER BY name, title")
    by_name: dict = {}
    for r in rows:
        by_name.setdefault(r["name"], []).append((r["title"][:8], r["at"]))
    assert by_name["Jan Hajič"] == [("A senior", 0), ("CoNLL 20", 2)]
    assert by_name["Jan Hajič jr."] == [("A junior", 0), ("CoNLL 20", 4)]
    # a suffix with no list showing both stays out of the key: one Guy L. Steele
    assert [n for n in by_name if "Steele" in n] == ["Guy L. Steele Jr."] and len(by_name["Guy L. Steele Jr."]) == 2
    listed = runner.invoke(app, ["identities", "--db", str(out), "--kind", "split", "--format", "json"])
    (split,) = json.loads(listed.stdout)
    assert "names both 'Jan Hajič' and 'Jan Hajič jr.'" in split["evidence"]


def test_two_one_author_records_of_one_paper_keep_both_authors(tmp_path):
    # nothing else on the two lists agrees: no evidence that one name is the other misspelt
    inputs = _inputs(tmp_path, a_bib="@article{x, title={A Solitary Result}, author={Kaha, Sung}, year={2020}, "
                     "journal={J}, doi={10.5555/s1}}\n",
                     b_ris="TY  - JOUR\nAU  - Taoanzhi, Omar\nTI  - A solitary result\nPY  - 2020\nDO  - 10.5555/s1\n"
                     "ER  - \n")
    out = tmp_path / "out"
    assert _build(inputs, out).exit_code == 0
    rows = _rows(out, "MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN a.name AS name ORDER BY name")
    assert [r["name"] for r in rows] == ["Omar Taoanzhi", "Sung Kaha"]
