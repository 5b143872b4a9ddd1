"""Mojibake in arXiv metadata, and the line of each record of a JSON array (session 15).

- arXiv's metadata snapshot carries some text that went through UTF-8 read as
  Windows-1252 or Latin-1 upstream (``BalÃ¡zs`` for ``Balázs``, ``$Ï\\x89$``
  for ``$ω$``). The reader reads it back, in the JSON Lines and in the XML
  forms, and reports it once for the file (at the first record's line, with
  the number of records repaired). Text that only looks like it (an accented
  capital ending a word before a sign, ``São``, ``João``) is never touched.
- A CSL-JSON array (Zotero's, a pretty-printed Crossref response) gives each
  item the line where it starts, in its record, its problems and the merges of
  ``report.json``; an array written on one line names the item by its number.

The garbled text is made here from the correct text the way it happens (its
UTF-8 bytes read as Windows-1252 or Latin-1), and a garbled file must read as
the same file written correctly. Item lines are read off the text written.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.models import PaperRecord, Problem
from graphkit.readers import arxiv, csljson
from graphkit.store import EmbeddedStore

from .conftest import shared_path

runner = CliRunner()
AS_OF = ["--as-of", "2026-11-21"]
MOJIBAKE = "mojibake (UTF-8 text read as Windows-1252 or Latin-1 upstream) repaired in"


def _garbled(text: str, encoding: str = "cp1252") -> str:
    """``text`` as it reads when its UTF-8 bytes are decoded as ``encoding`` (bytes it leaves undefined as Latin-1)."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode(encoding))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


def _split(items):
    items = list(items)
    assert all(isinstance(i, (PaperRecord, Problem)) for i in items)
    return [i for i in items if isinstance(i, PaperRecord)], [str(i) for i in items if isinstance(i, Problem)]


def _sample() -> list[dict]:
    path = shared_path("data", "arxiv", "arxiv-metadata-sample.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# Real text that only looks like mojibake: an accented capital ending a word in capitals, then a sign; footnote
# marks after an accented letter; Portuguese; a German ß before a dash.
LOOKALIKES = "CAFÉ» and RÉSUMÉ’s by José¹² (São Paulo, João, Conceição) on Gauß–Bonnet for NESTLÉ®"


def _snapshot_files(tmp_path: Path) -> tuple[Path, Path, list[dict]]:
    """The sample written correctly and with three records garbled (as the snapshot writes them: ASCII, escaped)."""
    records = _sample()[:30]
    clean = [json.loads(json.dumps(r)) for r in records]
    assert clean[0]["authors_parsed"][0][0] == "Balázs" and clean[27]["authors_parsed"][0][1] == "Péter E."
    clean[4]["title"] += " and the $ω$ meson"
    clean[9]["title"] += " " + LOOKALIKES
    garbled = json.loads(json.dumps(clean))
    garbled[0]["authors_parsed"][0][0] = _garbled("Balázs")
    garbled[4]["title"] = _garbled(clean[4]["title"], "latin-1")  # "$Ï\x89$": Latin-1 leaves 0x89 a C1 control
    garbled[27]["authors_parsed"][0][1] = _garbled("Péter E.")
    garbled[27]["title"] = _garbled("Itâ€™s ") + garbled[27]["title"]  # garbled twice
    clean[27]["title"] = "It’s " + clean[27]["title"]
    assert "BalÃ¡zs" in json.dumps(garbled[0], ensure_ascii=False)
    good, bad = tmp_path / "clean.jsonl", tmp_path / "garbled.jsonl"
    good.write_text("".join(json.dumps(r) + "\n" for r in clean), encoding="utf-8")
    bad.write_text("".join(json.dumps(r) + "\n" for r in garbled), encoding="utf-8")
    return good, bad, clean


def test_garbled_snapshot_reads_as_the_correct_one_and_is_reported_once(tmp_path):
    good, bad, clean = _snapshot_files(tmp_path)
    expected, problems = _split(arxiv.read(good))
    assert problems == []  # the lookalikes are text
    assert LOOKALIKES in expected[9].title
    got, problems = _split(arxiv.read(bad))
    assert [r.model_dump(exclude={"source"}) for r in got] == [r.model_dump(exclude={"source"}) for r in expected]
    assert got[0].authors[0].name == "C. Balázs" and got[27].authors[0].given == "Péter E."
    assert got[4].title.endswith(" and the ω meson") and got[27].title.startswith("It’s ")
    assert problems == [f'{bad}:1: {MOJIBAKE} 3 records, the first here: "BalÃ¡zs" read as "Balázs"']
    # the real sample has nothing to repair
    records, problems = _split(arxiv.read(shared_path("data", "arxiv", "arxiv-metadata-sample.jsonl")))
    assert len(records) == 200 and problems == []


def test_cli_and_graph_have_the_repaired_names(tmp_path):
    _, bad, _ = _snapshot_files(tmp_path)
    done = runner.invoke(app, ["extract", str(bad), "--format", "json"])
    assert done.exit_code == 0
    printed = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert printed[0]["authors"][0]["name"] == "C. Balázs"
    assert [line for line in done.stderr.splitlines() if line.startswith("problem: ")] == [
        f'problem: {bad}:1: {MOJIBAKE} 3 records, the first here: "BalÃ¡zs" read as "Balázs"']
    out = tmp_path / "out"
    built = runner.invoke(app, ["build", str(bad), "--out", str(out), *AS_OF])
    assert built.exit_code == 0, built.output
    names = [row["name"] for row in EmbeddedStore(out / "graph.lbdb").query("MATCH (a:Author) RETURN a.name AS name")]
    assert "C. Balázs" in names and "Péter E. Frenkel" in names
    assert not [n for n in names if "Ã" in n]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [(p["line"], p["record"], p["message"].startswith(f"{MOJIBAKE} 3 records")) for p in report["problems"]] == [
        (1, None, True)]


def _oai_arxiv(keyname: str, forenames: str, title: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2024-05-13T09:12:44Z</responseDate>
<request verb="ListRecords" metadataPrefix="arXiv">http://export.arxiv.org/oai2</request>
<ListRecords>
<record>
<header><identifier>oai:arXiv.org:0704.0001</identifier><datestamp>2008-11-26</datestamp></header>
<metadata>
<arXiv xmlns="http://arxiv.org/OAI/arXiv/">
<id>0704.0001</id><created>2007-04-02</created><title>{title}</title>
<authors><author><keyname>{keyname}</keyname><forenames>{forenames}</forenames></author></authors>
<categories>hep-ph</categories>
</arXiv>
</metadata>
</record>
<record>
<header><identifier>oai:arXiv.org:0704.0002</identifier><datestamp>2008-11-26</datestamp></header>
<metadata>
<arXiv xmlns="http://arxiv.org/OAI/arXiv/">
<id>0704.0002</id><created>2007-04-02</created><title>Clean: {LOOKALIKES}</title>
<authors><author><keyname>Conceição</keyname><forenames>João</forenames></author></authors>
</arXiv>
</metadata>
</record>
</ListRecords>
</OAI-PMH>
"""


def test_oai_pmh_xml_is_repaired_as_the_json_lines_are(tmp_path):
    path = tmp_path / "oai.xml"
    path.write_text(_oai_arxiv(_garbled("Müller"), "J.", _garbled("Gödel’s theorem")), encoding="utf-8")
    (first, second), problems = _split(arxiv.read(path))
    assert (first.title, first.author_names) == ("Gödel’s theorem", ("J. Müller",))
    assert (second.title, second.author_names) == (f"Clean: {LOOKALIKES}", ("João Conceição",))
    assert problems == [f'{path}:6: {MOJIBAKE} 1 record, the first here: "GÃ¶delâ€™s" read as "Gödel’s"']


# --- the line of each item of a JSON array -----------------------------------------------------

ITEMS = [
    {"id": "cho2014", "type": "paper-conference", "title": "Learning Phrase Representations", "DOI": "10.3115/v1/D14-1179",
     "author": [{"family": "Cho", "given": "Kyunghyun"}, {"family": "Bengio", "given": "Yoshua"}],
     "issued": {"date-parts": [[2014, 10]]}},
    {"id": "no-title", "type": "article-journal", "author": [{"family": "Levy", "given": "Omer"}]},
    "not an item",
    {"id": "cho2014-again", "type": "paper-conference", "title": "Learning phrase representations",
     "DOI": "https://doi.org/10.3115/v1/d14-1179", "author": [{"family": "Cho", "given": "Kyunghyun"}],
     "issued": {"date-parts": [[2019, 2, 30]]}},
]


def _starts(text: str) -> list[int]:
    """The line of each item of ``ITEMS`` in ``text`` (pretty-printed): the line before its ``"id"``, the string's own."""
    lines = text.splitlines()
    found = []
    for item in ITEMS:
        if isinstance(item, dict):
            at = next(i for i, line in enumerate(lines) if line.strip() == f'"id": "{item["id"]}",')
            assert lines[at - 1].strip() == "{"
            found.append(at)  # 1-based: the line before
        else:
            found.append(next(i for i, line in enumerate(lines) if line.strip() == f'"{item}",') + 1)
    return found


def test_pretty_printed_items_are_named_by_their_line_and_one_line_arrays_by_number(tmp_path):
    for name, text in (("spaces.json", json.dumps(ITEMS, indent=2)),
                       ("tabs-crlf.json", json.dumps(ITEMS, indent="\t").replace("\n", "\r\n"))):
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8"))
        lines = _starts(text)
        records, problems = _split(csljson.read(path))
        assert [(r.record, r.line) for r in records] == [(1, lines[0]), (4, lines[3])]
        assert problems == [
            f"{path}:{lines[1]}: item no-title has no title",
            f"{path}:{lines[2]}: item is a JSON str, not an object",
            f"{path}:{lines[3]}: impossible date '[2019, 2, 30]' in issued; read the year only",
        ]
    # an array on one line names its items by number
    path = tmp_path / "compact.json"
    path.write_text(json.dumps(ITEMS), encoding="utf-8")
    records, problems = _split(csljson.read(path))
    assert [(r.record, r.line) for r in records] == [(1, 0), (4, 0)]
    assert problems == [
        f"{path}: record 2: item no-title has no title",
        f"{path}: record 3: item is a JSON str, not an object",
        f"{path}: record 4: impossible date '[2019, 2, 30]' in issued; read the year only",
    ]
    # two items on one line of a pretty-printed array: no line is sure, the numbers name them all
    text = json.dumps(ITEMS, indent=2).replace('},\n  "not an item"', '}, "not an item"')
    path.write_text(text, encoding="utf-8")
    records, problems = _split(csljson.read(path))
    assert [(r.record, r.line) for r in records] == [(1, 0), (4, 0)] and problems[0] == f"{path}: record 2: item no-title has no title"


def test_crossref_work_list_items_have_their_lines(tmp_path):
    work = {"DOI": "10.5555/nodates", "type": "journal-article", "title": ["No dates at all"],
            "indexed": {"date-parts": [[2024, 1, 5]]}}
    response = {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                "message": {"facets": {}, "total-results": 2,
                            "items": [{**work, "title": ["Dated"], "issued": {"date-parts": [[2020]]}}, work],
                            "items-per-page": 20, "query": {"start-index": 0, "search-terms": None}}}
    text = json.dumps(response, indent=2)
    path = tmp_path / "crossref.json"
    path.write_text(text, encoding="utf-8")
    item_lines = [i + 1 for i, line in enumerate(text.splitlines()) if line == "      {"]  # the items' indentation
    assert len(item_lines) == 2
    records, problems = _split(csljson.read(path))
    assert [(r.title, r.record, r.line) for r in records] == [("Dated", 1, item_lines[0]), ("No dates at all", 2, item_lines[1])]
    assert [p.split(": ")[0] for p in problems] == [f"{path}:{item_lines[1]}"]
    compact = tmp_path / "crossref-api.json"  # as the API sends it: one line
    compact.write_text(json.dumps(response), encoding="utf-8")
    records, problems = _split(csljson.read(compact))
    assert [(r.record, r.line) for r in records] == [(1, 0), (2, 0)] and problems[0].startswith(f"{compact}: record 2: ")


def test_report_names_items_by_line_in_problems_and_merges(tmp_path):
    text = json.dumps(ITEMS, indent=2)
    path = tmp_path / "zotero.json"
    path.write_text(text, encoding="utf-8")
    lines = _starts(text)
    out = tmp_path / "out"
    done = runner.invoke(app, ["build", str(path), "--out", str(out), *AS_OF])
    assert done.exit_code == 0, done.output
    assert f"problem: {path}:{lines[1]}: item no-title has no title" in done.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [(p["line"], p["record"]) for p in report["problems"]] == [(lines[1], None), (lines[2], None), (lines[3], None)]
    [merge] = [m for m in report["merges"] if m["kind"] == "paper"]
    assert merge["merged"] == [f"{path}:{lines[0]}", f"{path}:{lines[3]}"]
    [row] = EmbeddedStore(out / "graph.lbdb").query("MATCH (p:Paper) RETURN p.doi AS doi")
    assert row["doi"] == "10.3115/v1/d14-1179"
