"""Nothing lost silently in the bibliographic readers (outside QA report, session 17: D3, D4, D6, D7, D8, D11).

- D3: a year that is none (``20x0``) is reported by Web of Science, DBLP and OpenAlex, as BibTeX, RIS, CSL-JSON
  and MEDLINE report it; the record is kept without a year.
- D4: a record whose author list cannot be read (OpenAlex ``authorships`` not a list, arXiv ``authors_parsed`` and
  ``authors`` of the wrong type, an OAI-PMH arXiv record without ``<authors>`` or an author without ``<keyname>``)
  is kept, as BibTeX and RIS keep a record that names nobody, and reported at its line.
- D6: control characters (NUL, ESC...) are dropped from every text reader's fields and reported once per file, at
  the first line that had one; no NUL is stored.
- D7: an untagged line after an RIS code tag (``TY``) is reported and skipped; the record stays an article. A
  wrapped abstract still runs on.
- D8: a binary file named ``.ris``/``.bib``/``.wos``/``.csv`` is refused as binary, as the profile reader refuses
  one, not read as Windows-1252.
- D11: a CSL-JSON author written as a string is read as names and reported; a JSON Lines line ``[1, 2, 3]`` is one
  problem, not three.
"""

from __future__ import annotations

from tests.cli import build_into, extract, query

BINARY = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x03\x00>\x00\x01\x00\x00\x00" + bytes(range(256)) * 4


def _problems(tmp_path, problems):
    """The problem lines with the folder left out: ``name:line: message``."""
    return [p.replace(f"{tmp_path}/", "") for p in problems]


def test_a_year_that_is_none_is_reported_by_wos_dblp_and_openalex(tmp_path):
    (tmp_path / "y.wos").write_text(
        "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, A\nAF Smith, Ann\nTI Year garbage\nPY 20x0\nER\n"
        "PT J\nAU Lee, K\nTI Year fine\nPY 2019\nER\nEF\n", encoding="utf-8")
    (tmp_path / "y.dblp.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<dblp>\n'
        '<article key="journals/x/A">\n<author>Ann Smith</author>\n<title>Year garbage.</title>\n'
        "<journal>J</journal>\n<year>20x0</year>\n</article>\n"
        '<article key="journals/x/B"><author>Kenton Lee</author><title>Year fine.</title><year>2019</year></article>\n'
        "</dblp>\n", encoding="utf-8")
    (tmp_path / "y.openalex.jsonl").write_text(
        '{"id": "https://openalex.org/W1", "title": "Year garbage", "publication_year": "20x0", "authorships": []}\n'
        '{"id": "https://openalex.org/W2", "title": "Year from date", "publication_year": "2019x", '
        '"publication_date": "2018-05-01", "authorships": []}\n'
        '{"id": "https://openalex.org/W3", "title": "Year fine", "publication_year": 2019, "authorships": []}\n',
        encoding="utf-8")
    result, papers, problems = extract(tmp_path / "y.wos", tmp_path / "y.dblp.xml", tmp_path / "y.openalex.jsonl")
    assert result.exit_code == 0, result.output
    assert [(p["title"], p["year"]) for p in papers] == [
        ("Year garbage", None), ("Year fine", 2019), ("Year garbage", None), ("Year fine", 2019),
        ("Year garbage", None), ("Year from date", 2018), ("Year fine", 2019)]
    assert _problems(tmp_path, problems) == [
        "y.wos:7: year '20x0' in PY is not a year; read without a year",
        "y.dblp.xml:7: DBLP article journals/x/A: year '20x0' is not a year; read without a year",
        "y.openalex.jsonl:1: publication_year '20x0' is not a year; read without a year",
        "y.openalex.jsonl:2: publication_year '2019x' is not a year; read the year of publication_date",
    ]


OAI = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<ListRecords>
<record><header><identifier>oai:arXiv.org:2001.00001</identifier></header>
<metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>2001.00001</id><created>2020-01-06</created>
<authors><author><keyname>Good</keyname><forenames>Ann</forenames></author></authors>
<title>Good paper</title></arXiv></metadata></record>
<record><header><identifier>oai:arXiv.org:2001.00002</identifier></header><metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>2001.00002</id><title>No authors</title></arXiv></metadata></record>
<record><header><identifier>oai:arXiv.org:2001.00003</identifier></header>
<metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>2001.00003</id><created>2020-01-06</created>
<authors><author><keyname>Good</keyname><forenames>Bob</forenames></author>
<author><forenames>Zed</forenames></author></authors>
<title>Author with no keyname</title></arXiv></metadata></record>
</ListRecords>
</OAI-PMH>
"""


def test_author_lists_that_cannot_be_read_are_reported_and_their_records_kept(tmp_path):
    (tmp_path / "w.openalex.jsonl").write_text(
        '{"id": "https://openalex.org/W1", "title": "Good", "publication_year": 2020, '
        '"authorships": [{"author": {"display_name": "Ann Good"}}]}\n'
        '{"id": "https://openalex.org/W2", "title": "Authorships a string", "publication_year": 2020, '
        '"authorships": "Zed Broken"}\n', encoding="utf-8")
    (tmp_path / "a.arxiv.jsonl").write_text(
        '{"id": "2001.00001", "authors": "Ann Good and Bob Good", "title": "Good", "versions": []}\n'
        '{"id": "2001.00002", "title": "Parsed wrong", "authors": 5, "authors_parsed": "nope", "versions": []}\n',
        encoding="utf-8")
    (tmp_path / "o.xml").write_text(OAI, encoding="utf-8")
    result, papers, problems = extract(tmp_path / "w.openalex.jsonl", tmp_path / "a.arxiv.jsonl", tmp_path / "o.xml")
    assert result.exit_code == 0, result.output
    assert [(p["title"], [a["name"] for a in p["authors"]]) for p in papers] == [
        ("Good", ["Ann Good"]), ("Authorships a string", []),
        ("Good", ["Ann Good", "Bob Good"]), ("Parsed wrong", []),
        ("Good paper", ["Ann Good"]), ("No authors", []), ("Author with no keyname", ["Bob Good", "Zed"])]
    assert _problems(tmp_path, problems) == [
        "w.openalex.jsonl:2: authorships is 'Zed Broken', not a list; no authors read, the work kept without them",
        "a.arxiv.jsonl:2: arXiv 2001.00002: no authors read: authors_parsed is a string, not a list, and authors a "
        "number, not a string; kept without authors",
        "o.xml:8: arXiv 2001.00002: no authors (no <authors>); kept without authors",
        "o.xml:12: arXiv 2001.00003: author 2 has no <keyname> (family name); read as 'Zed'",
    ]


SCOPUS = ('\ufeffAuthors,Author full names,Title,Year,Source title,EID\n'
          '"Joshi M.","Joshi, Mandar","Span\x00BERT: Improving Pre-training",2020,"TACL","2-s2.0-1"\n'
          '"Lee K.","Lee, Kenton","Clean title",2020,"TACL","2-s2.0-2"\n'
          '"Levy O.","Levy, Omer","Esc\x1bape",2020,"TACL","2-s2.0-3"\n')


def test_control_characters_are_dropped_and_reported_once_per_file_by_every_text_reader(tmp_path):
    (tmp_path / "n.bib").write_bytes(
        b"@article{a,\n  title = {Deep\x00Learning of Things},\n  author = {Bob\x00 Jones},\n  year = 2020}\n"
        b"@article{b, title = {Clean}, author = {Lee, Kenton}, year = 2020}\n")
    (tmp_path / "n.ris").write_bytes(b"TY  - JOUR\nTI  - Nul\x00title\nAU  - Smith, Ann\nPY  - 2020\nER  - \n")
    (tmp_path / "n.wos").write_bytes(b"PT J\nAF Evil\x1b, Red\nTI Control\x00 characters\nPY 2020\nER\nEF\n")
    (tmp_path / "n.csv").write_bytes(SCOPUS.encode("utf-8"))
    result, papers, problems = extract(*(tmp_path / f"n.{s}" for s in ("bib", "ris", "wos", "csv")))
    assert result.exit_code == 0, result.output
    assert [(p["title"], [a["name"] for a in p["authors"]]) for p in papers] == [
        ("DeepLearning of Things", ["Bob Jones"]), ("Clean", ["Kenton Lee"]),
        ("Nultitle", ["Ann Smith"]),
        ("Control characters", ["Red Evil"]),
        ("SpanBERT: Improving Pre-training", ["Mandar Joshi"]), ("Clean title", ["Kenton Lee"]),
        ("Escape", ["Omer Levy"])]
    assert _problems(tmp_path, problems) == [
        "n.bib:2: control character dropped (NUL); also in 1 more line (3)",
        "n.ris:2: control character dropped (NUL)",
        "n.wos:2: control characters dropped (U+001B, NUL); also in 1 more line (3)",
        "n.csv:2: control characters dropped (NUL, U+001B); also in 1 more line (4)",
    ]
    # and no NUL reaches the database
    data = tmp_path / "in"
    data.mkdir()
    (data / "n.csv").write_bytes(SCOPUS.encode("utf-8"))
    out = build_into(tmp_path, data)
    titles = sorted(row["p.title"] for row in query(out, "MATCH (p:Paper) RETURN p.title"))
    assert titles == ["Clean title", "Escape", "SpanBERT: Improving Pre-training"]


def test_control_characters_escaped_in_json_are_dropped_and_reported_once_per_file(tmp_path):
    # "\u0000" in a JSON string is valid JSON: OpenAlex and arXiv stored it in the title; CSL-JSON dropped it silently
    (tmp_path / "n.openalex.jsonl").write_text(
        '{"id": "https://openalex.org/W1", "title": "Clean", "publication_year": 2020, "authorships": []}\n'
        '{"id": "https://openalex.org/W2", "title": "Nul\\u0000title", "publication_year": 2020, '
        '"authorships": [{"author": {"display_name": "Ann\\u001b Good"}}]}\n', encoding="utf-8")
    (tmp_path / "n.arxiv.jsonl").write_text(
        '{"id": "2001.00001", "authors": "Ann Go\\u0000od", "title": "Nul\\u0000title", "versions": []}\n', encoding="utf-8")
    (tmp_path / "n.csl.json").write_text(
        '[{"type": "book", "title": "Control\\u001b characters",\n "author": [{"family": "Evil\\u0007", "given": "Red"}]}]\n',
        encoding="utf-8")
    (tmp_path / "n.nbib").write_bytes(b"PMID- 1\nTI  - Nul\x00title here\nFAU - Smith, Ann\nDP  - 2020 Jan\n\n")
    result, papers, problems = extract(*(tmp_path / f"n.{s}" for s in ("openalex.jsonl", "arxiv.jsonl", "csl.json", "nbib")))
    assert result.exit_code == 0, result.output
    assert [(p["title"], [a["name"] for a in p["authors"]]) for p in papers] == [
        ("Clean", []), ("Nultitle", ["Ann Good"]), ("Nultitle", ["Ann Good"]), ("Control characters", ["Red Evil"]),
        ("Nultitle here", ["Ann Smith"])]
    assert _problems(tmp_path, problems) == [
        "n.openalex.jsonl:2: control characters dropped (NUL, U+001B)",
        "n.arxiv.jsonl:1: control character dropped (NUL)",
        "n.csl.json:1: control characters dropped (U+001B, U+0007); also in 1 more line (2)",
        "n.nbib:2: control character dropped (NUL)",
    ]


def test_an_untagged_ris_line_after_a_code_is_reported_and_never_changes_the_record(tmp_path):
    path = tmp_path / "j.ris"
    path.write_text(
        "TY  - JOUR\nthis is not a tag line at all\nTI  - Record with a junk line\nAU  - Smith, Ann\nPY  - 2020\n"
        "DO  - 10.1000/x1\nmore junk\nAB  - An abstract that an export\nwrapped over two lines\nER  - \n",
        encoding="utf-8")
    result, papers, problems = extract(path)
    assert result.exit_code == 0, result.output
    [paper] = papers
    assert (paper["kind"], paper["title"], paper["year"], paper["abstract"], paper["ids"]) == (
        "article", "Record with a junk line", 2020, "An abstract that an export wrapped over two lines", ["doi:10.1000/x1"])
    assert _problems(tmp_path, problems) == [
        "j.ris:2: line without a tag after TY, which does not run over lines; skipped: 'this is not a tag line at all'",
        "j.ris:7: line without a tag after DO, which does not run over lines; skipped: 'more junk'",
    ]


def test_a_binary_file_named_as_a_text_format_is_refused_as_binary(tmp_path):
    names = ["b.ris", "b.bib", "b.wos", "b.csv", "b.nbib"]
    for name in names:
        (tmp_path / name).write_bytes(BINARY)
    result, papers, problems = extract(*(tmp_path / n for n in names))
    assert result.exit_code == 0, result.output
    assert papers == []
    assert _problems(tmp_path, problems) == [f"{n}:1: binary file (NUL byte); skipped" for n in names]


def test_a_csl_author_string_is_read_and_reported_and_a_jsonl_line_without_a_work_is_one_problem(tmp_path):
    csl = tmp_path / "c.json"
    csl.write_text('[{"id": "b2", "type": "article-journal", "title": "Author is a string", "author": "Broken2, Zed",'
                   ' "issued": {"date-parts": [[2020]]}},\n'
                   ' {"id": "b3", "type": "article-journal", "title": "Entries are strings",'
                   ' "author": [{"family": "Lee", "given": "Kenton"}, "Levy, Omer"], "issued": {"date-parts": [[2020]]}}]\n',
                   encoding="utf-8")
    jsonl = tmp_path / "w.openalex.jsonl"
    jsonl.write_text('{"id": "https://openalex.org/W1", "title": "Good", "publication_year": 2020, "authorships": []}\n'
                     "[1, 2, 3]\n", encoding="utf-8")
    result, papers, problems = extract(csl, jsonl)
    assert result.exit_code == 0, result.output
    assert [(p["title"], [a["name"] for a in p["authors"]]) for p in papers] == [
        ("Author is a string", ["Zed Broken2"]), ("Entries are strings", ["Kenton Lee", "Omer Levy"]), ("Good", [])]
    assert _problems(tmp_path, problems) == [
        "c.json:1: author is a string, not a list of names (CSL-JSON writes {\"family\": ..., \"given\": ...} or "
        "{\"literal\": ...}); read as 'Zed Broken2'",
        "c.json:2: author entry 2 is a string, not a name object (CSL-JSON writes {\"family\": ..., \"given\": ...} or "
        "{\"literal\": ...}); read as 'Kenton Lee', 'Omer Levy'",
        "w.openalex.jsonl:2: not an OpenAlex work, page of results or list of works",
    ]


def test_utf16_without_a_byte_order_mark_is_text_not_binary(tmp_path):
    # some Windows tools write UTF-16 with no mark: its NUL bytes, every other one, made it "binary"
    ris = "TY  - JOUR\nTI  - Über die Müller-Zahl\nAU  - Müller, Jürgen\nAU  - 李, 娜\nPY  - 2020\nER  - \n"
    bib = "@article{m, author = {Müller, Jürgen and 李, 娜}, title = {Über die Müller-Zahl}, year = 2020}\n"
    paths = []
    for name, text, codec in (("le.ris", ris, "utf-16-le"), ("be.ris", ris, "utf-16-be"), ("le.bib", bib, "utf-16-le")):
        path = tmp_path / name
        path.write_bytes(text.encode(codec))
        paths.append(path)
    result, papers, problems = extract(*paths)
    assert problems == []
    assert [(p["title"], [a["name"] for a in p["authors"]]) for p in papers] == [
        ("Über die Müller-Zahl", ["Jürgen Müller", "娜 李"])] * 3
