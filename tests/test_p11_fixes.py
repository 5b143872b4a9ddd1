"""Session 11 fixes, each through the CLI a user runs on a file written here."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from graphkit.cli import app

from .test_p10_bibtex_ris import extract

runner = CliRunner()


def test_wos_bibtex_orcids_that_cannot_be_used_are_reported(tmp_path):
    path = tmp_path / "savedrecs.bib"
    path.write_text(
        "@article{ WOS:000123456700001,\n"
        "Author = {Levy, Omer and Weld, Daniel S. and Lee, Kenton and Lee, Kathy},\n"
        "Title = {Zero-Shot Relation Extraction via Reading Comprehension},\n"
        "Journal = {Proceedings of CoNLL},\nYear = {2017},\n"
        "ORCID-Numbers = {Levy, Omer/0000-0001-2345-6788; Weld, Daniel/0000-0002-1825-0097;\n"
        "   Lee, K/0000-0002-1694-233X; Smith, John/0000-0003-1527-0030},\n}\n",
        encoding="utf-8",
    )
    result, [paper], problems = extract(path)
    assert result.exit_code == 0
    ids = {a["name"]: a.get("ids", []) for a in paper["authors"]}
    assert ids["Daniel S. Weld"] == ["orcid:0000-0002-1825-0097"]
    assert ids["Omer Levy"] == [] and ids["Kenton Lee"] == [] and ids["Kathy Lee"] == []
    assert len(problems) == 3, problems
    assert all(p.startswith(f"{path}:1: entry WOS:000123456700001: ORCID-Numbers") for p in problems)
    assert "'0000-0001-2345-6788' of 'Levy, Omer' fails its check digit" in problems[0]
    assert "'Lee, K' fits 2 authors" in problems[1] and "'Smith, John' fits no author" in problems[2]
    strict = runner.invoke(app, ["extract", str(path), "--format", "json", "--strict"])
    assert strict.exit_code != 0


def test_map_ego_takes_an_orcid_or_a_spelling_variant(tmp_path):
    (tmp_path / "a.bib").write_text(
        "@article{a1, author={Deng, Zhi-Hong and Zhang, Zhihao}, title={First}, year=2020}\n"
        "@article{a2, author={Deng, Zhihong and Li, Wei}, title={Second}, year=2021}\n"
        "@article{a3, author={Li, Wei and Chen, Yu}, title={Third}, year=2022}\n", encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps([{
        "id": "x1", "type": "article-journal", "title": "Fourth", "issued": {"date-parts": [[2023]]},
        "author": [{"family": "Chen", "given": "Yu", "ORCID": "https://orcid.org/0000-0002-1825-0097"},
                   {"family": "Wu", "given": "Tao"}]}]), encoding="utf-8")
    out = tmp_path / "out"
    built = runner.invoke(app, ["build", str(tmp_path / "a.bib"), str(tmp_path / "b.json"), "--out", str(out)])
    assert built.exit_code == 0, built.output
    for given in ("orcid:0000-0002-1825-0097", "0000-0002-1825-0097", "Yu Chen"):
        result = runner.invoke(app, ["map", "--db", str(out), "--ego", given, "--out", str(tmp_path / "m.html")])
        assert result.exit_code == 0, (given, result.output)
        assert "within 1 step of Yu Chen: 3 of 5 authors" in result.stdout
    result = runner.invoke(app, ["map", "--db", str(out), "--ego", "Zhihong Deng", "--out", str(tmp_path / "m.html")])
    assert "within 1 step of Zhi-Hong Deng: 3 of 5 authors" in result.stdout
    result = runner.invoke(app, ["map", "--db", str(out), "--ego", "orcid:0000-0001-5109-3700", "--out", str(tmp_path / "n.html")])
    assert result.exit_code != 0 and "no author called 'orcid:0000-0001-5109-3700'" in result.output
    assert not (tmp_path / "n.html").exists()


def build(tmp_path, *inputs):
    """`graphkit build` of ``inputs`` into a fresh folder; its report.json."""
    out = tmp_path / f"out{len(list(tmp_path.glob('out*')))}"
    result = runner.invoke(app, ["build", *map(str, inputs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def decisions(report, kind):
    return [d for d in report["identities"]["decisions"] if d["kind"] == kind]


def test_variants_in_one_json_file_are_weighed_like_variants_in_two(tmp_path):
    # CSL-JSON and OpenAlex records have no line numbers: every record of the file once counted as one author
    # list, so "T. Mikolov" and "Tomas Mikolov" were "two names of one list" and never weighed.
    def work(title, year, names):
        return {"id": title[:8], "type": "article-journal", "title": title, "issued": {"date-parts": [[year]]},
                "author": [{"family": f, "given": g} for g, f in names]}
    path = tmp_path / "My Library.json"
    path.write_text(json.dumps([
        work("Recurrent neural network based language model", 2010,
             [("Tomas", "Mikolov"), ("Lukas", "Burget"), ("Jan", "Cernocky"), ("Sanjeev", "Khudanpur")]),
        work("Extensions of recurrent neural network language model", 2011,
             [("T.", "Mikolov"), ("L.", "Burget"), ("Jan", "Cernocky"), ("Sanjeev", "Khudanpur")]),
    ]), encoding="utf-8")
    report = build(tmp_path, path)
    merges = {tuple(sorted(d["names"])): d["reason"] for d in decisions(report, "merge")}
    assert set(merges) == {("T. Mikolov", "Tomas Mikolov"), ("L. Burget", "Lukas Burget")}
    assert "jan cernocky" in merges[("T. Mikolov", "Tomas Mikolov")] and "sanjeev khudanpur" in merges[("T. Mikolov", "Tomas Mikolov")]


def test_namesake_coauthors_the_build_split_are_no_evidence(tmp_path):
    # Each paper's Yang Liu and Wei Wang carry different ORCIDs: four people, so J. Smithson and
    # John Smithson share no co-author and are not merged on them.
    report = build(tmp_path, "tests/fixtures/wos-namesake-coauthors.bib")
    assert not decisions(report, "merge")
    assert {tuple(sorted(d["names"])) for d in decisions(report, "split")} == {("Yang Liu",), ("Wei Wang",)}
    [pair] = [a for a in report["ambiguous"] if "Smithson" in " ".join(a["names"])]
    assert "no shared affiliation, co-author or id" in pair["reason"] and pair["shared_coauthors"] == 0


def test_a_coauthor_joined_by_orcid_is_one_shared_coauthor_in_reason_and_count(tmp_path):
    report = build(tmp_path, "tests/fixtures/wos-coauthor-by-orcid.bib")
    [joined] = decisions(report, "identifier")
    assert set(joined["names"]) == {"P. Zweigenbaum", "Pierre Zweigenbaum"}
    [pair] = [a for a in report["ambiguous"] if "Neveol" in " ".join(a["names"])]
    assert pair["shared_coauthors"] == 1
    assert "but only shared co-author(s) p zweigenbaum" in pair["reason"], pair["reason"]


def test_a_split_says_how_many_coauthors_the_people_share(tmp_path):
    def work(wid, title, year, names, inst):
        return {"id": f"https://openalex.org/{wid}", "title": title, "publication_year": year,
                "authorships": [{"author": {"display_name": n}, "raw_author_name": n,
                                 "institutions": [{"display_name": inst}]} for n in names]}
    path = tmp_path / "works.json"
    path.write_text(json.dumps({"results": [
        work("W1", "Neural machine translation with syntax", 2017, ["Yang Liu", "Ivan Titov", "Diego Marcheggiani"], "University of Edinburgh"),
        work("W2", "Semantic role labeling for translation", 2018, ["Yang Liu", "Ivan Titov", "Diego Marcheggiani"], "University of Edinburgh"),
        work("W3", "Contrastive learning of sentence embeddings", 2021, ["Yang Liu", "Ivan Titov", "Maosong Sun"], "Tsinghua University"),
        work("W4", "Pretrained language models survey", 2022, ["Yang Liu", "Zhiyuan Liu", "Maosong Sun"], "Tsinghua University"),
    ]}), encoding="utf-8")
    report = build(tmp_path, path)
    [split] = [d for d in decisions(report, "split") if d["names"] == ["Yang Liu"]]
    assert "only one distinctive co-author in common (ivan titov)" in split["reason"], split["reason"]
    assert "no shared co-author" not in split["reason"]


def test_json_orcids_failing_their_check_digit_are_reported(tmp_path):
    crossref = tmp_path / "crossref.json"
    crossref.write_text(json.dumps([{
        "id": "k1", "type": "article-journal", "title": "The Art of Computer Programming revisited", "issued": {"date-parts": [[2011]]},
        "author": [{"family": "Knuth", "given": "Donald E.", "ORCID": "http://orcid.org/0000-0002-1846-9145"},
                   {"family": "Graham", "given": "Ronald", "ORCID": "http://orcid.org/0000-0002-1825-0097"}]}]), encoding="utf-8")
    result, [paper], problems = extract(crossref)
    assert [a.get("ids", []) for a in paper["authors"]] == [[], ["orcid:0000-0002-1825-0097"]]
    assert problems == [f"{crossref}: record 1: author entry 1: ORCID 'http://orcid.org/0000-0002-1846-9145' fails its check digit; not used"]
    openalex = tmp_path / "works.json"
    openalex.write_text(json.dumps({"meta": {"count": 1}, "results": [{
        "id": "https://openalex.org/W2963600002", "title": "Encoding sentences with graph convolutional networks",
        "publication_year": 2017, "authorships": [
            {"author": {"id": "https://openalex.org/A1", "display_name": "Michael Roth", "orcid": "https://orcid.org/0000-0002-1234-5678"}},
            {"author": {"id": "https://openalex.org/A2", "display_name": "Ivan Titov", "orcid": None}}]}]}), encoding="utf-8")
    result, [paper], problems = extract(openalex)
    assert paper["authors"][0]["ids"] == ["openalex:A1"]
    assert problems == [f"{openalex}:1: record 1: ORCID 'https://orcid.org/0000-0002-1234-5678' of 'Michael Roth' fails its check digit; not used"]
    assert runner.invoke(app, ["extract", str(openalex), "--strict"]).exit_code != 0


def identities(out, *options):
    result = runner.invoke(app, ["identities", "--db", str(out), "--format", "json", *options])
    return result, (json.loads(result.stdout) if result.exit_code == 0 else None)


def test_identities_by_any_spelling_explains_every_author_it_names(tmp_path):
    bib = tmp_path / "mikolov.bib"
    bib.write_text(
        "@inproceedings{m2010, author = {Mikolov, Tomas and Burget, Lukas and Cernocky, Jan and Khudanpur, Sanjeev},\n"
        "  title = {Recurrent neural network based language model}, booktitle = {Interspeech}, year = 2010}\n"
        "@inproceedings{m2011, author = {Mikolov, T. and Kombrink, Stefan and Cernocky, Jan and Khudanpur, Sanjeev},\n"
        "  title = {Extensions of recurrent neural network language model}, booktitle = {ICASSP}, year = 2011}\n"
        "@article{l2008, author = {Lapata, Mirella and Barzilay, Regina}, title = {Modeling local coherence}, journal = {CL}, year = 2008}\n",
        encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(bib), "--out", str(out)]).exit_code == 0
    # the weaker spelling finds the merge and the author's explanation
    result, rows = identities(out, "--name", "T. Mikolov")
    assert [r["kind"] for r in rows] == ["merge", "author"] and rows[1]["authors"] == ["author:tomas-mikolov"]
    # an author nothing was decided about is explained, also when written as the BibTeX has it
    for given in ("Mirella Lapata", "Lapata, Mirella"):
        result, rows = identities(out, "--name", given)
        assert rows == [{"kind": "author", "names": [], "authors": ["author:mirella-lapata"], "occurrences": None,
                         "evidence": "all its occurrences share one spelling key, with no contrary evidence"}], (given, rows)
    # --kind author alone lists every explanation the build wrote
    result, rows = identities(out, "--kind", "author")
    assert [r["authors"] for r in rows] == [["author:tomas-mikolov"]]
    result, _ = identities(out, "--name", "Nobody Here")
    assert result.exit_code == 1 and "no author called 'Nobody Here'" in result.output


def test_a_merged_paper_date_agrees_with_its_year(tmp_path):
    # The preprint (arXiv, dated 2018-10-11) and the NAACL 2019 paper are one paper of 2019: the
    # preprint's date does not date it.
    (tmp_path / "refs.bib").write_text(
        "@misc{devlin2018bert, title = {BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding},\n"
        "  author = {Devlin, Jacob and Chang, Ming-Wei and Lee, Kenton and Toutanova, Kristina}, year = {2018},\n"
        "  date = {2018-10-11}, eprint = {1810.04805}, archivePrefix = {arXiv}}\n"
        "@inproceedings{devlin2019bert, title = {{BERT}: Pre-training of Deep Bidirectional Transformers for Language Understanding},\n"
        "  author = {Devlin, Jacob and Chang, Ming-Wei and Lee, Kenton and Toutanova, Kristina}, booktitle = {Proceedings of NAACL-HLT},\n"
        "  year = {2019}, doi = {10.18653/v1/N19-1423}}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(tmp_path / "refs.bib"), "--out", str(out)]).exit_code == 0
    result = runner.invoke(app, ["query", "MATCH (p:Paper) RETURN p.year AS year, p.date AS date, p.doi AS doi",
                                 "--db", str(out), "--format", "json"])
    assert json.loads(result.stdout) == [{"year": 2019, "date": None, "doi": "10.18653/v1/n19-1423"}]


def test_catalogue_calls_name_their_columns(tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", "examples/profiles", "--out", str(out)]).exit_code == 0
    result = runner.invoke(app, ["query", "CALL table_info('Author') WHERE type = 'STRING[]' RETURN name ORDER BY name",
                                 "--db", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"name": "ids"}, {"name": "name_variants"}]
    result = runner.invoke(app, ["query", "CALL show_tables() RETURN name, type ORDER BY name", "--db", str(out), "--format", "json"])
    assert {"name": "Author", "type": "NODE"} in json.loads(result.stdout)
    # the columns are names only after a CALL: elsewhere a bare word is still refused
    result = runner.invoke(app, ["query", "MATCH (a:Author) RETURN name", "--db", str(out)])
    assert result.exit_code != 0 and "'name' is not allowed on the query path" in result.output


def test_a_query_of_zero_rows_keeps_its_csv_header(tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", "examples/profiles", "--out", str(out)]).exit_code == 0
    result = runner.invoke(app, ["query", "MATCH (a:Author) WHERE a.name = 'Nobody' RETURN a.name, a.orcid AS orcid",
                                 "--db", str(out), "--format", "csv"])
    assert result.exit_code == 0 and result.stdout.splitlines() == ["a.name,orcid"]


def test_exporting_again_keeps_what_the_user_put_in_the_export_folder(tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", "examples/profiles", "--out", str(out)]).exit_code == 0
    folder = tmp_path / "import"
    assert runner.invoke(app, ["export", str(folder), "--db", str(out)]).exit_code == 0
    (folder / "my-notes.txt").write_text("import on Monday\n", encoding="utf-8")
    (folder / "extra").mkdir()
    (folder / "extra" / "nodes-Extra.csv").write_text("id:ID(Extra)\nx\n", encoding="utf-8")
    (folder / "rels-OLD-Author-Paper.csv").write_text("left by an earlier graphkit\n", encoding="utf-8")
    marker = folder / ".graphkit-export"
    marker.write_text(marker.read_text(encoding="utf-8") + "- rels-OLD-Author-Paper.csv\n", encoding="utf-8")
    before = (folder / "nodes-Author.csv").read_bytes()
    result = runner.invoke(app, ["export", str(folder), "--db", str(out)])
    assert result.exit_code == 0, result.output
    assert (folder / "my-notes.txt").read_text(encoding="utf-8") == "import on Monday\n"
    assert (folder / "extra" / "nodes-Extra.csv").read_text(encoding="utf-8") == "id:ID(Extra)\nx\n"
    assert not (folder / "rels-OLD-Author-Paper.csv").exists()  # graphkit's own, listed, no longer written
    assert (folder / "nodes-Author.csv").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".import.building-")]


def test_graphml_and_gexf_edges_have_their_own_ids_and_names_show(tmp_path):
    from lxml import etree

    out = tmp_path / "out"
    assert runner.invoke(app, ["build", "examples/profiles", "--out", str(out)]).exit_code == 0
    counts = json.loads((out / "report.json").read_text(encoding="utf-8"))["counts"]
    relationships = sum(counts[k] for k in ("AUTHORED", "AFFILIATED_WITH", "COAUTHORED"))
    for fmt in ("graphml", "gexf"):
        path = tmp_path / f"g.{fmt}"
        assert runner.invoke(app, ["export", str(path), "--format", fmt, "--db", str(out)]).exit_code == 0
        edges = [e for e in etree.parse(str(path)).iter() if etree.QName(e).localname == "edge"]
        assert len(edges) == relationships and len({e.get("id") for e in edges}) == relationships  # Gephi keeps one per id
        assert all(e.get("type") in (None, "directed", "undirected", "mutual") for e in edges)  # GEXF's edge type
    import networkx as nx

    G = nx.read_graphml(tmp_path / "g.graphml")
    assert G.nodes["author:kenton-lee"]["label"] == "Kenton Lee" and G.nodes["author:kenton-lee"]["node_label"] == "Author"
    assert {d["rel_type"] for *_, d in G.edges(data=True)} == {"AUTHORED", "AFFILIATED_WITH", "COAUTHORED"}
    X = nx.read_gexf(tmp_path / "g.gexf")
    assert X.nodes["author:kenton-lee"]["label"] == "Kenton Lee"
    assert {d["label"] for *_, d in X.edges(data=True)} == {"AUTHORED", "AFFILIATED_WITH", "COAUTHORED"}
