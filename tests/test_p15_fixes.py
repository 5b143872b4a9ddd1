"""Session 15 fixes made by the lead, each through the command line on files written here."""

from __future__ import annotations

from tests.cli import extract, query

SCOPUS_HEADER = "Authors,Title,Year,Source title,EID\n"


def test_scopus_u_fffd_written_in_a_utf8_file_is_a_character_and_a_bad_byte_is_reported_at_its_line(tmp_path):
    clean = tmp_path / "clean.csv"
    clean.write_bytes((SCOPUS_HEADER + "Lee K.,Caf\ufffd society,2019,J. Food,2-s2.0-1\n").encode())
    result, papers, problems = extract(clean, strict=True)
    assert result.exit_code == 0, result.output
    assert [p["title"] for p in papers] == ["Caf\ufffd society"] and problems == []

    damaged = tmp_path / "damaged.csv"
    damaged.write_bytes((SCOPUS_HEADER + "Lee K.,Caf\ufffd society,2019,J. Food,2-s2.0-1\n").encode()
                        + b"Roe R.,Br\xff\xfeve,2020,J. Food,2-s2.0-2\nPoe E.,Third,2021,J. Food,2-s2.0-3\n")
    result, papers, problems = extract(damaged)
    assert result.exit_code == 0, result.output
    assert [p["title"] for p in papers] == ["Caf\ufffd society", "Br\ufffd\ufffdve", "Third"]
    assert problems == [f"{damaged}:3: bytes that are not UTF-8 replaced"]
    assert extract(damaged, strict=True)[0].exit_code != 0


def test_two_works_of_a_one_line_json_array_are_named_by_record_not_line_0(tmp_path):
    import json

    from tests.cli import runner
    from graphkit.cli import app

    def item(cid, doi, kind="paper-conference"):
        return {"id": cid, "type": kind, "title": "Graph neural networks for molecule property prediction",
                "issued": {"date-parts": [[2021]]}, "author": [{"family": "Okafor", "given": "Ngozi"}],
                **({"DOI": doi} if doi else {})}

    path = tmp_path / "crossref.json"  # what an API sends: the array on one line, so no item has a line
    path.write_text(json.dumps([item("a", "10.1000/conf.1"), item("c", None), item("b", "10.2000/jour.2", "article-journal")]))
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    two = [a["reason"] for a in report["ambiguous"] if "two works" in a["reason"]]
    assert two and all(":0" not in reason for reason in two)
    assert all(f"{path}: record " in reason for reason in two), two


def _centrality(*args):
    import json

    from graphkit.cli import app
    from tests.cli import runner

    result = runner.invoke(app, ["centrality", *map(str, args)])
    return result, (json.loads(result.stdout) if result.exit_code == 0 and "--format" in args else None)


def test_eigenvector_gives_structurally_equal_authors_one_value_and_orders_them_by_id(tmp_path):
    import itertools

    edges = tmp_path / "edges.txt"
    clique_a = [f"a{i}" for i in range(6)]
    clique_b = [f"b{i}" for i in range(6)]
    lines = [f"{u} {v}" for clique in (clique_a, clique_b) for u, v in itertools.combinations(clique, 2)]
    edges.write_text("\n".join(lines + ["a0 hub", "hub b0"]) + "\n")
    runs = [_centrality("--edgelist", edges, "-m", "eigenvector", "--format", "json")[1] for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
    value = {row["id"]: row["eigenvector"] for row in runs[0]}
    # a1..a5 and b1..b5 are one position in the graph: one value, and the id breaks the tie
    assert len({value[n] for n in clique_a[1:] + clique_b[1:]}) == 1
    tied = [row["id"] for row in runs[0] if row["id"] in clique_a[1:] + clique_b[1:]]
    assert tied == sorted(tied)


def test_sampled_betweenness_needs_two_sources_and_says_it_is_an_estimate(tmp_path):
    edges = tmp_path / "path.txt"
    edges.write_text("1 2\n2 3\n3 4\n4 5\n")
    result, _ = _centrality("--edgelist", edges, "-m", "betweenness", "--k", "1")
    assert result.exit_code == 2 and "--k" in result.output
    result, rows = _centrality("--edgelist", edges, "-m", "betweenness", "--k", "2", "--seed", "3", "--format", "json")
    assert result.exit_code == 0, result.output
    assert all("betweenness_estimated" in row and "betweenness" not in row for row in rows)
    assert all(row["betweenness_estimated"] == row["betweenness_estimated"] for row in rows)  # no NaN


def _cut_gzip(text: str, path):
    """``text`` gzipped and cut at half its compressed bytes; the text that survives the cut."""
    import gzip
    import zlib

    data = gzip.compress(text.encode(), mtime=0)
    cut = data[: len(data) // 2]
    path.write_bytes(cut)
    return zlib.decompressobj(31).decompress(cut).decode("utf-8", "replace")


def test_a_cut_off_gzip_keeps_every_complete_record_before_the_cut(tmp_path):
    import json
    import random

    rng = random.Random(7)
    words = "graph neural parsing retrieval sparse dense learning network model data".split()

    def title():
        return " ".join(rng.choice(words) for _ in range(8)).capitalize()

    dblp = ['<?xml version="1.0" encoding="UTF-8"?>\n<dblp>\n'] + [
        f'<article key="journals/x/R{i}"><author>Person P{i}</author><author>Person Q{i % 97}</author>'
        f"<title>{title()} {i}.</title><year>2020</year><journal>J. X</journal></article>\n" for i in range(3000)]
    seen = _cut_gzip("".join(dblp), tmp_path / "cut.xml.gz")
    arxiv = "".join(json.dumps({"id": f"2101.{i:05d}", "title": f"{title()} {i}", "authors": f"A. Person{i} and B. Other",
                                "abstract": "x", "versions": [{"version": "v1", "created": "Mon, 4 Jan 2021 00:00:00 GMT"}]})
                    + "\n" for i in range(3000))
    seen_arxiv = _cut_gzip(arxiv, tmp_path / "cut.jsonl.gz")

    result, papers, problems = extract(tmp_path / "cut.xml.gz")
    assert len(papers) == seen.count("</article>") > 1000
    assert any("truncated gzip file" in p for p in problems)
    result, papers, problems = extract(tmp_path / "cut.jsonl.gz", strict=True)
    assert len(papers) == seen_arxiv.count("\n") > 1000
    assert any("truncated gzip file" in p for p in problems) and result.exit_code != 0


LUONG_BIB = """@inproceedings{luong2015,
  title = {Effective Approaches to Attention-based Neural Machine Translation},
  author = {Luong, Thang and Pham, Hieu and Manning, Christopher D.},
  booktitle = {Proceedings of EMNLP 2015}, year = {2015}, doi = {10.18653/v1/D15-1166}
}
"""
LUONG_SCOPUS = (
    '"Authors","Author(s) ID","Title","Year","Source title","DOI","Document Type","Source","EID"\n'
    '"Luong M.-T.; Pham H.; Manning C.D.","35000229651;35000308841;35000245489;","Effective Approaches to Attention-based'
    ' Neural Machine Translation","2015","EMNLP 2015 - Proceedings","10.18653/v1/D15-1166","Conference Paper","Scopus",'
    '"2-s2.0-84900000001"\n')
LUONG_CSL = ('[{"id":"luong","type":"paper-conference","title":"Effective Approaches to Attention-based Neural Machine '
             'Translation","author":[{"family":"Luong","given":"Minh-Thang"},{"family":"Pham","given":"Hieu"},'
             '{"family":"Manning","given":"Christopher D."}],"issued":{"date-parts":[[2015]]},"DOI":"10.18653/v1/D15-1166"}]')


def _first_author(tmp_path, names, out):
    import json

    from graphkit.cli import app
    from tests.cli import runner

    result = runner.invoke(app, ["build", *[str(tmp_path / n) for n in names], "--out", str(tmp_path / out)])
    assert result.exit_code == 0, result.output
    rows = query(tmp_path / out, "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) RETURN r.position AS at, a.id AS id ORDER BY at")
    report = json.loads((tmp_path / out / "report.json").read_text())
    return [r["id"] for r in rows], report


def test_the_author_a_paper_keeps_at_a_contested_position_does_not_depend_on_the_order_of_the_files(tmp_path):
    (tmp_path / "a.bib").write_text(LUONG_BIB)
    (tmp_path / "b.csv").write_text(LUONG_SCOPUS)
    (tmp_path / "c.json").write_text(LUONG_CSL)
    seen = []
    for k, names in enumerate((["a.bib", "b.csv", "c.json"], ["b.csv", "a.bib", "c.json"], ["c.json", "a.bib", "b.csv"])):
        authors, report = _first_author(tmp_path, names, f"out{k}")
        seen.append(authors)
        # Minh-Thang Luong (two records, one with a Scopus id) over Thang Luong (one record): one author there
        assert len(authors) == 3 and authors[0].startswith("author:minhthang-luong")
        assert any("the paper keeps 'Minh-Thang Luong'" in a["reason"] or "the paper keeps 'M.-T. Luong'" in a["reason"]
                   or "the paper keeps 'Luong M.-T.'" in a["reason"] for a in report["ambiguous"]), report["ambiguous"]
    assert seen[0] == seen[1] == seen[2]


def test_a_list_cut_short_with_et_al_gains_no_second_author_at_a_position_the_full_list_fills(tmp_path):
    (tmp_path / "electra.bib").write_text(
        "@inproceedings{clark2020, title = {ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators},"
        " author = {Clark, Kevin and Luong, Minh-Thang and Le, Quoc V. and Manning, Christopher D.}, year = {2020},"
        " booktitle = {ICLR}}\n")
    (tmp_path / "page.txt").write_text(
        "Christopher D. Manning\n\nCL\n\n1 Papers\n\nCLApr 23, 2020\nELECTRA: Pre-training Text Encoders as Discriminators"
        " Rather Than Generators\n\nKevin Clark, Thang Luong, Quoc V. Le et al.\n\nWe pre-train text encoders as"
        " discriminators.\n")
    authors, report = _first_author(tmp_path, ["electra.bib", "page.txt"], "out")
    assert len(authors) == 4 and authors[1] == "author:minhthang-luong"
    assert report["counts"]["COAUTHORED"] == 6
    assert any("Thang Luong" in a["names"] for a in report["ambiguous"])


def test_a_companys_legal_form_or_country_and_wos_abbreviations_reach_the_institution(tmp_path):
    from graphkit.resolve.institutions import load_alias_table

    table = load_alias_table()
    assert table.canonical("Google Inc, Mountain View, CA 94043 USA") == "Google"
    assert table.canonical("Baidu (United States)") == table.canonical("Baidu Research") == "Baidu"
    assert table.canonical("Univ Penn, Dept Comp & Informat Sci, Philadelphia, PA 19104 USA") == "University of Pennsylvania"
    # another institution stays another: Penn State is not Penn
    assert table.canonical("Penn State Univ, University Park, PA 16802 USA") is None


def test_a_same_rule_does_not_undo_a_merge_the_evidence_makes(tmp_path):
    (tmp_path / "a.bib").write_text(LUONG_BIB)
    (tmp_path / "b.csv").write_text(LUONG_SCOPUS)
    (tmp_path / "c.json").write_text(LUONG_CSL)
    (tmp_path / "ids.yaml").write_text("same:\n  - [Thang Luong, Minh-Thang Luong]\n")
    from graphkit.cli import app
    from tests.cli import runner

    out = tmp_path / "out"
    result = runner.invoke(app, ["build", *(str(tmp_path / n) for n in ("a.bib", "b.csv", "c.json")), "--out", str(out),
                                 "--identities", str(tmp_path / "ids.yaml")])
    assert result.exit_code == 0, result.output
    rows = query(out, "MATCH (a:Author) WHERE a.name CONTAINS 'Luong' RETURN a.id AS id, a.ids AS ids, a.name_variants AS v")
    # the rule joins Thang Luong to Minh-Thang Luong; M.-T. Luong (Scopus, same position) still joins them, with its id
    assert len(rows) == 1 and rows[0]["ids"] == ["scopus:35000229651"]
    assert {"Thang Luong", "Minh-Thang Luong", "M.-T. Luong"} <= set(rows[0]["v"])


def _csl_people(tmp_path, name, items):
    """A CSL-JSON file of ``items``: (id, title, year, [(family, given, affiliation)])."""
    import json

    path = tmp_path / name
    path.write_text(json.dumps([{"id": i, "type": "article-journal", "title": t, "issued": {"date-parts": [[y]]},
                                 "author": [{"family": f, "given": g, "affiliation": [{"name": a}] if a else []}
                                            for f, g, a in people]} for i, t, y, people in items]))
    return path


def test_a_start_of_a_name_or_a_short_form_does_not_merge_on_one_coauthor_and_one_place(tmp_path):
    import json

    from graphkit.cli import app
    from tests.cli import runner

    place = "Stanford University"
    items = [("a", "Graph Kernels Revisited", 2019, [("Chen", "Alex", place), ("Okafor", "Ngozi", place)]),
             ("b", "Sparse Attention at Scale", 2021, [("Chen", "Alexandra", place), ("Okafor", "Ngozi", place)]),
             ("c", "Tensor Methods", 2019, [("Novak", "Emma", place), ("Okafor", "Ngozi", place), ("Berg", "Lars", place)]),
             ("d", "Tensor Methods Two", 2020, [("Novak", "Emmanuel", place), ("Okafor", "Ngozi", place), ("Berg", "Lars", place)])]
    path = _csl_people(tmp_path, "people.json", items)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = {r["name"] for r in query(out, "MATCH (a:Author) RETURN a.name AS name")}
    # Alex / Alexandra: one co-author and one large place are no evidence enough; Emma is no short form of Emmanuel
    assert {"Alex Chen", "Alexandra Chen", "Emma Novak", "Emmanuel Novak"} <= names
    report = json.loads((out / "report.json").read_text())
    assert any({"Alex Chen", "Alexandra Chen"} <= set(a["names"]) for a in report["ambiguous"])


def test_campuses_of_one_university_system_written_as_addresses_are_two_institutions(tmp_path):
    addresses = ["Department of EECS, University of California, Berkeley, CA 94720, USA",
                 "Department of Computer Science, University of California, Los Angeles, CA 90095, USA",
                 "University at Buffalo, State University of New York, Buffalo, NY 14260, USA",
                 "Stony Brook University, State University of New York, Stony Brook, NY 11794, USA",
                 "Leiden University, Leiden, The Netherlands"]
    items = [(f"p{k}", f"Paper number {k}", 2020, [(f"Family{k}", "Given", a)]) for k, a in enumerate(addresses)]
    path = _csl_people(tmp_path, "campus.json", items)
    from graphkit.cli import app
    from tests.cli import runner

    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(r["name"] for r in query(out, "MATCH (i:Institution) RETURN i.name AS name"))
    assert len(names) == 5 and "Leiden University" in names, names
    assert "University of California, Berkeley" in names and "University of California, Los Angeles" in names


def test_a_cut_off_gzip_read_whole_keeps_the_records_before_the_cut_and_reports_it(tmp_path):
    entries = "".join(f"@article{{k{i},\n  author = {{Person, Ann{i} and Other, Bob}},\n  title = {{Title number {i}}},\n"
                      f"  journal = {{J}},\n  year = {{2020}}\n}}\n\n" for i in range(400))
    seen = _cut_gzip(entries, tmp_path / "cut.bib.gz")
    result, papers, problems = extract(tmp_path / "cut.bib.gz")
    complete = seen.count("\n}\n")
    assert complete > 100 and len(papers) == complete
    assert any("truncated gzip file" in p for p in problems)
    assert extract(tmp_path / "cut.bib.gz", strict=True)[0].exit_code != 0


def test_a_folder_another_build_created_a_moment_ago_is_claimed_not_refused(tmp_path):
    import pytest

    from graphkit.exceptions import OutputError
    from graphkit.outputs import MARKER_NAME, claim_output_folder

    out = tmp_path / "g"
    assert claim_output_folder(out) is True and (out / MARKER_NAME).is_file()
    # the second of two builds racing to create it: its mkdir finds the folder made (it was "File exists")
    assert claim_output_folder(out) is False
    (tmp_path / "file").write_text("mine")
    with pytest.raises(OutputError):
        claim_output_folder(tmp_path / "file")
