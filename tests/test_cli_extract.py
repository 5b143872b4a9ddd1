"""`graphkit extract` through typer's runner."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from graphkit.cli import app

runner = CliRunner()


def test_extract_json_on_seeds(seeds_dir):
    result = runner.invoke(app, ["extract", str(seeds_dir), "--format", "json", "--as-of", "2026-11-21"])
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    types = [o["type"] for o in objects]
    assert types.count("profile") == 4 and types.count("paper") == 71
    paper = next(o for o in objects if o["type"] == "paper" and o["title"].startswith("Understanding by Reconstruction"))
    assert paper["date"] == "2026-03-11" and paper["score"] == 99.5 and paper["category"] == "SE"
    assert set(paper) == {
        "type", "owner", "title", "title_inferred", "date", "year", "venue", "kind", "category", "score", "has_code",
        "abstract", "urls", "authors", "authors_truncated", "institutions", "ids", "source", "source_format", "line", "record",
        "volume", "issue", "pages",
    }
    assert paper["source_format"] == "profile" and paper["kind"] is None
    assert paper["authors"][0] == {"name": "Zhiyuan Zeng", "given": None, "family": None, "position": 0, "ids": [],
                                   "affiliations": [], "inferred": False}
    assert paper["institutions"] == [] and len(paper["authors"]) == 3  # the owner (Zhiyuan Zeng) is shown
    sheared = next(o for o in objects if o["type"] == "paper" and o["title"].startswith("Sheared LLaMA"))
    assert sheared["institutions"] == [{"name": "princeton", "ids": [], "country": None}, {"name": "uw", "ids": [], "country": None}]
    profile = next(o for o in objects if o["type"] == "profile")
    assert set(profile) == {"type", "name", "primary_category", "h_index", "paper_count", "citations", "novelty", "ai_score", "layout", "source"}
    assert "0 problems" in result.stderr


def test_strict_and_binary_file(tmp_path):
    (tmp_path / "page.txt").write_text("Ada Lovelace\n\nLGJan 5, 2024\nT\n\nAda Lovelace", encoding="utf-8")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    lenient = runner.invoke(app, ["extract", str(tmp_path), "--format", "json"])
    assert lenient.exit_code == 0
    assert "blob.txt:1: binary file" in lenient.stderr and "1 problem" in lenient.stderr
    assert sum(1 for line in lenient.stdout.splitlines() if '"type": "paper"' in line) == 1
    strict = runner.invoke(app, ["extract", str(tmp_path), "--strict"])
    assert strict.exit_code == 1


def test_bad_as_of_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["extract", str(tmp_path), "--as-of", "21/11/2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_every_command_has_help():
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert command.help, f"command {name} has no help"
        assert runner.invoke(app, [name, "--help"]).exit_code == 0


def test_missing_file_is_an_error_like_cat(tmp_path):
    # a named input that does not exist is an error (exit 1, one line), not a counted problem (H10, QA repro)
    result = runner.invoke(app, ["extract", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {tmp_path / 'missing.txt'}: no such file or directory"


def test_extract_mixed_formats_says_which_reader_it_chose(tmp_path):
    (tmp_path / "refs.bib").write_text("@inproceedings{k,\n  title={Deep Contextualized Word Representations},\n"
                                       "  author={Peters, Matthew E. and Neumann, Mark},\n  year={2018}\n}\n")
    (tmp_path / "w.json").write_text('{"id": "https://openalex.org/W2962739339", "title": "Deep contextualized word representations",'
                                     ' "publication_year": 2018, "authorships": [{"author_position": "first",'
                                     ' "author": {"id": "https://openalex.org/A5008036330", "display_name": "Matthew E. Peters"}}]}')
    result = runner.invoke(app, ["extract", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    papers = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted((p["source_format"], p["title"]) for p in papers) == [
        ("bibtex", "Deep Contextualized Word Representations"), ("openalex", "Deep contextualized word representations")]
    bib = next(p for p in papers if p["source_format"] == "bibtex")
    assert [(a["name"], a["family"], a["position"]) for a in bib["authors"]] == [("Matthew E. Peters", "Peters", 0), ("Mark Neumann", "Neumann", 1)]
    assert "w.json: read as openalex (sniffed)" in result.stderr
    assert "read: bibtex 1 (suffix); openalex 1 (sniffed)" in result.stderr
    forced = runner.invoke(app, ["extract", str(tmp_path / "refs.bib"), "--from", "ris", "--strict"])
    assert forced.exit_code == 1 and "read: ris 1 (--from)" in forced.stderr
