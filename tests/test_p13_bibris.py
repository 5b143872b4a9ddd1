"""BibTeX and RIS after outside testing: a year that is no year (``20x3``) or an implausible one (``2999``,
``0012``) is a problem naming its file and line, by one rule in both readers, the record kept without it;
control characters (NUL, ESC, C1) are dropped from every BibTeX field as the RIS reader drops them; a
BibTeX author list ending ``Smith, J. et al.`` is cut there, as ``and others`` is. Each through the public
readers, ``graphkit extract`` or ``graphkit build --strict`` on files written here."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.models import PaperRecord, Problem
from graphkit.pipeline import build_knowledge_graph
from graphkit.readers.bibtex import parse_compact, read_bibtex
from graphkit.readers.ris import read_ris
from graphkit.resolve.records import compact
from tests.cli import extract

runner = CliRunner()
AS_OF = "2026-11-21"


def split(items):
    """A reader's records and its problems as text."""
    items = list(items)
    return [i for i in items if isinstance(i, PaperRecord)], [str(i) for i in items if isinstance(i, Problem)]


def same_compact(path):
    """The build's route (parse_compact) gives the records of the public reader."""
    with open(path, "rb") as stream:
        fast = [r for r in parse_compact(stream, str(path), shared={}) if not isinstance(r, Problem)]
    assert fast == [compact(r, {}) for r in read_bibtex(path) if isinstance(r, PaperRecord)]


BIB_YEARS = (
    "@article{bad, author = {Lee, Kenton}, title = {Bad Digit}, year = {20x3}}\n"
    "@article{far, author = {Lee, Kenton}, title = {Far Future}, year = {2999}}\n"
    "@article{old, author = {Lee, Kenton}, title = {Leading Zeros}, year = 0012}\n"
    "@article{low, author = {Lee, Kenton}, title = {Just Before}, year = 1499}\n"
    "@article{edges, author = {Lee, Kenton}, title = {Last Readable}, year = 2199}\n"
    "@article{first, author = {Lee, Kenton}, title = {First Readable}, year = {1500}}\n"
    "@article{second, author = {Lee, Kenton}, title = {Second That Year}, year = {2019a}}\n"
    "@article{press, author = {Lee, Kenton}, title = {In Press}, year = {in press}}\n"
    "@article{dated,\n  author = {Lee, Kenton}, title = {Year From Date},\n  year = {20x3}, date = {2019-06-02}\n}\n"
    "@article{baddate,\n  author = {Lee, Kenton}, title = {Date Out Of Range},\n  year = {2018}, date = {0012-01-01}\n}\n"
    "@article{notitle, author = {Lee, Kenton}, year = {20x3}}\n"
)


def test_bibtex_years_that_are_no_years_or_implausible_are_problems_with_lines_and_the_entries_kept(tmp_path):
    path = tmp_path / "years.bib"
    path.write_text(BIB_YEARS, encoding="utf-8")
    result, papers, problems = extract(path)
    assert result.exit_code == 0
    assert [(p["title"], p["year"], p["date"], p["line"]) for p in papers] == [
        ("Bad Digit", None, None, 1),
        ("Far Future", None, None, 2),
        ("Leading Zeros", None, None, 3),
        ("Just Before", None, None, 4),
        ("Last Readable", 2199, None, 5),
        ("First Readable", 1500, None, 6),
        ("Second That Year", 2019, None, 7),
        ("In Press", None, None, 8),
        ("Year From Date", 2019, "2019-06-02", 9),
        ("Date Out Of Range", 2018, None, 13),
    ]
    assert all(p["authors"][0]["name"] == "Kenton Lee" for p in papers)
    assert problems == [
        f"{path}:1: entry bad: year '20x3' is not a year; read without a year",
        f"{path}:2: entry far: year '2999' is not between 1500 and 2199; read without a year",
        f"{path}:3: entry old: year '0012' is not between 1500 and 2199; read without a year",
        f"{path}:4: entry low: year '1499' is not between 1500 and 2199; read without a year",
        f"{path}:9: entry dated: year '20x3' is not a year; read the year from the date field",
        f"{path}:13: entry baddate: year '0012-01-01' in date is not between 1500 and 2199; read the year from the year field",
        f"{path}:17: entry notitle has no title",
    ]
    assert extract(path, strict=True)[0].exit_code == 1
    records, listed = split(read_bibtex(path))
    assert [r.year for r in records] == [p["year"] for p in papers] and listed == problems
    same_compact(path)


RIS_YEARS = """TY  - JOUR
AU  - Lee, Kenton
TI  - Bad Digit
PY  - 20x3
ER  - 
TY  - JOUR
TI  - Far Future
PY  - 2999
ER  - 
TY  - JOUR
TI  - Leading Zeros
PY  - 0012
ER  - 
TY  - JOUR
TI  - Another Tag
PY  - 2999
DA  - 2021/05/30
ER  - 
TY  - JOUR
TI  - Impossible Day
PY  - 2020/13/45/
ER  - 
TY  - JOUR
TI  - Undated
PY  - n.d.
ER  - 
TY  - JOUR
TI  - Fine
PY  - 2019///
ER  - 
"""


def test_ris_years_that_are_no_years_or_implausible_are_problems_with_their_lines(tmp_path):
    path = tmp_path / "years.ris"
    path.write_text(RIS_YEARS, encoding="utf-8")
    result, papers, problems = extract(path)
    assert result.exit_code == 0
    assert [(p["title"], p["year"], p["date"], p["line"]) for p in papers] == [
        ("Bad Digit", None, None, 1),
        ("Far Future", None, None, 6),
        ("Leading Zeros", None, None, 10),
        ("Another Tag", 2021, "2021-05-30", 14),
        ("Impossible Day", 2020, None, 19),
        ("Undated", None, None, 23),
        ("Fine", 2019, None, 27),
    ]
    assert papers[0]["authors"][0]["name"] == "Kenton Lee"
    assert problems == [
        f"{path}:4: year '20x3' in PY is not a year; read without a year",
        f"{path}:8: year '2999' in PY is not between 1500 and 2199; read without a year",
        f"{path}:12: year '0012' in PY is not between 1500 and 2199; read without a year",
        f"{path}:16: year '2999' in PY is not between 1500 and 2199; read the year from DA",
        f"{path}:21: impossible date '2020/13/45/' in PY; read the year only",
    ]
    assert extract(path, strict=True)[0].exit_code == 1
    assert split(read_ris(path))[1] == problems


def test_both_readers_apply_one_year_rule(tmp_path):
    values = ["20x3", "2999", "0012", "1499", "1500", "2199", "2200", "2019a", "19", "in press", "forthcoming", "n.d.", ""]
    bib = tmp_path / "rule.bib"
    bib.write_text("".join(f"@misc{{k{i}, title = {{Paper {i}}}, year = {{{v}}}}}\n" for i, v in enumerate(values)), encoding="utf-8")
    ris = tmp_path / "rule.ris"
    ris.write_text("".join(f"TY  - GEN\nTI  - Paper {i}\nPY  - {v}\nER  - \n" for i, v in enumerate(values)), encoding="utf-8")
    bib_records, bib_problems = split(read_bibtex(bib))
    ris_records, ris_problems = split(read_ris(ris))
    years = [None, None, None, None, 1500, 2199, None, 2019, None, None, None, None, None]
    assert [r.year for r in bib_records] == [r.year for r in ris_records] == years
    why = ["is not a year", "is not between 1500 and 2199", "is not between 1500 and 2199", "is not between 1500 and 2199",
           "is not between 1500 and 2199", "is not a year"]
    reported = ["20x3", "2999", "0012", "1499", "2200", "19"]
    assert bib_problems == [f"{bib}:{values.index(v) + 1}: entry k{values.index(v)}: year {v!r} {w}; read without a year"
                            for v, w in zip(reported, why)]
    assert ris_problems == [f"{ris}:{4 * values.index(v) + 3}: year {v!r} in PY {w}; read without a year"
                            for v, w in zip(reported, why)]


def test_build_strict_fails_on_bad_years_in_either_format_and_keeps_the_papers(tmp_path):
    data = tmp_path / "in"
    data.mkdir()
    (data / "a.bib").write_text(
        "@article{far, author = {Lee, Kenton}, title = {Far Future Paper}, year = {2999}}\n"
        "@article{good, author = {Lee, Kenton and Levy, Omer}, title = {A Good Paper}, year = {2019}}\n", encoding="utf-8")
    (data / "b.ris").write_text("TY  - JOUR\nAU  - Levy, Omer\nTI  - A Typo Year\nPY  - 20x3\nER  - \n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(data), "--out", str(out), "--strict", "--as-of", AS_OF])
    assert result.exit_code == 1
    report = json.loads((out / "report.json").read_text())
    assert [(p["source"].rsplit("/", 1)[-1], p["line"], p["message"]) for p in report["problems"]] == [
        ("a.bib", 1, "entry far: year '2999' is not between 1500 and 2199; read without a year"),
        ("b.ris", 4, "year '20x3' in PY is not a year; read without a year"),
    ]
    assert report["counts"]["Paper"] == 3
    lenient = runner.invoke(app, ["build", str(data), "--out", str(tmp_path / "out2"), "--as-of", AS_OF])
    assert lenient.exit_code == 0 and "2 problems" in lenient.stderr


# The same corrupt bytes in both formats: NUL, ESC, SOH, vertical tab, and C1 controls (U+0085, U+009B).
_BIB_CONTROLS = (
    b"@article{n,\r\n  author = {Nul\x00l, Byte and Esc\x1bape, Ann},\r\n  title = {Has\x01 NUL},\r\n"
    b"  journal = {J\xc2\x85our\x0bnal}, year = 2020, note = {x\xc2\x9by}\r\n}\r\n"
    b"@misc{after, title = {Second\x7f Entry}, author = {Lee, Kenton}, year = {2021}}\r\n"
)
_RIS_CONTROLS = (
    b"TY  - JOUR\r\nAU  - Nul\x00l, Byte\r\nAU  - Esc\x1bape, Ann\r\nTI  - Has\x01 NUL\r\n"
    b"JO  - J\xc2\x85our\x0bnal\r\nPY  - 2020\r\nER  - \r\n"
)


def test_bibtex_drops_control_characters_from_every_field_as_ris_does(tmp_path):
    bib, ris = tmp_path / "nul.bib", tmp_path / "nul.ris"
    bib.write_bytes(_BIB_CONTROLS)
    ris.write_bytes(_RIS_CONTROLS)
    result, papers, problems = extract(bib, ris)
    assert result.exit_code == 0 and problems == [
        f"{bib}:2: control characters dropped (NUL, U+001B, U+0001, U+0085); also in 3 more lines (3, 4, 6)",
        f"{ris}:2: control characters dropped (NUL, U+001B, U+0001, U+0085); also in 3 more lines (3, 4, 5)"]
    expected = [("Byte Null", "Byte", "Null"), ("Ann Escape", "Ann", "Escape")]
    assert [(a["name"], a["given"], a["family"]) for a in papers[0]["authors"]] == expected
    assert [(a["name"], a["given"], a["family"]) for a in papers[2]["authors"]] == expected  # the RIS record
    assert [(p["title"], p["venue"], p["line"], p["source_format"]) for p in papers] == [
        ("Has NUL", "Journal", 1, "bibtex"), ("Second Entry", None, 6, "bibtex"), ("Has NUL", "Journal", 1, "ris")]
    [first, second] = [r for r in read_bibtex(bib) if isinstance(r, PaperRecord)]
    assert first.author_names == ("Byte Null", "Ann Escape") and second.author_names == ("Kenton Lee",)
    same_compact(bib)
    # a declared 8-bit encoding: its bytes 0x80-0x9f are C1 controls too
    latin = tmp_path / "jabref.bib"
    latin.write_bytes("% Encoding: ISO8859_1\n@article{m, author = {Müller, Hans\x85}, title = {T\x9bitle}, year = 2020}\n".encode("latin-1"))
    [problem, record] = list(read_bibtex(latin))
    assert str(problem) == f"{latin}:2: control characters dropped (U+0085, U+009B)"
    assert (record.title, record.author_names, record.line) == ("Title", ("Hans Müller",), 2)


def test_build_strict_makes_the_same_clean_author_ids_from_bibtex_and_ris(tmp_path):
    data = tmp_path / "in"
    data.mkdir()
    (data / "nul.bib").write_bytes(_BIB_CONTROLS)
    (data / "nul.ris").write_bytes(_RIS_CONTROLS)
    result = runner.invoke(app, ["build", str(data), "--out", str(tmp_path / "out"), "--strict", "--as-of", AS_OF])
    assert result.exit_code == 1 and "strict: 2 input problem(s)" in result.output  # the dropped controls are said
    built = build_knowledge_graph([data], as_of=dt.date(2026, 11, 21))
    authors = built.tables.node_table("Author").columns
    assert sorted(zip(authors["id"], authors["name"])) == [
        ("author:ann-escape", "Ann Escape"), ("author:byte-null", "Byte Null"), ("author:kenton-lee", "Kenton Lee")]
    assert built.tables.node_table("Paper").columns["title"] == ["Has NUL", "Second Entry"]
    assert sorted(p.message.split(";")[0] for p in built.problems) == ["control characters dropped (NUL, U+001B, U+0001, U+0085)"] * 2


def test_bibtex_et_al_after_the_last_name_cuts_the_list_as_and_others_does(tmp_path):
    path = tmp_path / "etal.bib"
    path.write_text(
        "@article{a, author = {Smith, J. et al.}, title = {Glued}, year = 2020}\n"
        "@article{b, author = {Smith, J., et al}, title = {With A Comma}, year = 2020}\n"
        "@article{c, author = {John Smith et al.}, title = {Given First}, year = 2020}\n"
        "@article{d, author = {Lee, Kenton and Smith, J. {et al.}}, title = {After Others}, year = 2020}\n"
        "@article{e, author = {Lee, Kenton and et al}, title = {Alone}, year = 2020}\n"
        "@article{f, author = {Lee, Kenton and others}, title = {And Others}, year = 2020}\n"
        "@article{g, author = {Vidal, Ana and Ahmet Al and Nadal, Rafael}, title = {Names Ending In Al}, year = 2020}\n",
        encoding="utf-8",
    )
    result, papers, problems = extract(path)
    assert result.exit_code == 0 and problems == []
    assert [([(a["name"], a["given"], a["family"]) for a in p["authors"]], p["authors_truncated"]) for p in papers] == [
        ([("J. Smith", "J.", "Smith")], True),
        ([("J. Smith", "J.", "Smith")], True),
        ([("John Smith", "John", "Smith")], True),
        ([("Kenton Lee", "Kenton", "Lee"), ("J. Smith", "J.", "Smith")], True),
        ([("Kenton Lee", "Kenton", "Lee")], True),
        ([("Kenton Lee", "Kenton", "Lee")], True),
        ([("Ana Vidal", "Ana", "Vidal"), ("Ahmet Al", "Ahmet", "Al"), ("Rafael Nadal", "Rafael", "Nadal")], False),
    ]
    same_compact(path)
