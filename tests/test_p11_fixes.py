"""Session 11 fixes, each through the CLI a user runs on a file written here."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from graphkit.cli import app

runner = CliRunner()


def extract(path, *options):
    """The papers `graphkit extract` writes for ``path``, and its problem lines."""
    result = runner.invoke(app, ["extract", str(path), "--format", "json", *options])
    papers = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    problems = [line.removeprefix("problem: ") for line in result.stderr.splitlines() if line.startswith("problem: ")]
    return result, papers, problems


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
