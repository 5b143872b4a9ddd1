"""DBLP XML: entities no DTD declares, and XML errors, each reported with what they cost.

libxml2 reads past an entity that is declared nowhere, leaving it out of the text:
``Bob &bogus; Smith`` would be read as ``Bob Smith``, with the DBLP person id
``dblp:Bob Smith``. The reader skips such a record with a problem naming its key
and the entity's line; HTML5's entities (``&Lstrok;``) are known; an XML error
says whether reading stopped and what was lost there.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.models import PaperRecord, Problem
from graphkit.readers import dblp
from tests.conftest import shared_path

runner = CliRunner()

SKIPPED = "; record skipped rather than read without it (a name read wrong would get a wrong person id)"
DECL = '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
DOCTYPE = '<!DOCTYPE dblp SYSTEM "dblp.dtd">\n'

# The tester's file: lines 4 and 6 hold undefined entities, line 7 an HTML5 one (not in dblp.dtd).
TESTER = (
    DECL + DOCTYPE + "<dblp>\n"
    '<article key="journals/x/A"><author>Bob &bogus; Smith</author><author>Ann Lee</author><title>A.</title><year>2020</year></article>\n'
    '<article key="journals/x/B"><author>Ann Lee</author><author>Carl Jones</author><title>B.</title><year>2020</year></article>\n'
    '<article key="journals/x/C"><author>Carl &alsobogus;Jones</author><author>Ann Lee</author><title>C.</title><year>2020</year></article>\n'
    '<article key="journals/x/L"><author>&Lstrok;ukasz Kaiser</author><author>Ann Lee</author><title>L.</title><year>2020</year></article>\n'
)
TESTER_END = (
    '<article key="journals/x/E"><author>Eve Fox</author><author>Ann Lee</author><title>E.</title><year>2020</year></article>\n'
    "</dblp>\n"
)
# An unclosed record (line 8) before E: the end tag </dblp> (line 10) does not match it.
UNCLOSED = '<article key="journals/x/D"><author>Dan Roe</author><title>D.</title><year>2020</year>\n'

TESTER_PROBLEMS = [
    (4, f"DBLP article journals/x/A: undefined entity &bogus; at line 4{SKIPPED}"),
    (6, f"DBLP article journals/x/C: undefined entity &alsobogus; at line 6{SKIPPED}"),
]
MISMATCH = (10, "XML not well-formed, reading stopped at line 10: Opening and ending tag mismatch: article line 8 and dblp; "
                "the article journals/x/D (line 8) open there is not read")
TESTER_PAPERS = [
    ("dblp:journals/x/B", [("Ann Lee", ("dblp:Ann Lee",)), ("Carl Jones", ("dblp:Carl Jones",))]),
    ("dblp:journals/x/L", [("Łukasz Kaiser", ("dblp:Łukasz Kaiser",)), ("Ann Lee", ("dblp:Ann Lee",))]),
    ("dblp:journals/x/E", [("Eve Fox", ("dblp:Eve Fox",)), ("Ann Lee", ("dblp:Ann Lee",))]),
]


def write(folder: Path, text: str, name: str = "dblp.xml", encoding: str = "latin-1") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def split(items):
    """(line, message) of the problems; (first id, [(name, ids) of each author]) of the papers (full or compact)."""
    problems = [(p.line, p.message) for p in items if isinstance(p, Problem)]
    papers = [(r.ids[0], [(a.name, a.ids) for a in r.authors]) for r in items if not isinstance(r, Problem)]
    return problems, papers


# -- undefined entities ----------------------------------------------------------------------------


def test_undefined_entities_skip_their_records_one_problem_each(tmp_path):
    path = write(tmp_path, TESTER + TESTER_END)  # no dblp.dtd beside it: the built-in entities
    problems, papers = split(list(dblp.read(path)))
    assert problems == TESTER_PROBLEMS  # reading went on: no "reading stopped"
    assert papers == TESTER_PAPERS
    assert all(p.source == str(path) for p in dblp.read(path) if isinstance(p, Problem))


def test_the_compact_reader_skips_the_same_records(tmp_path):
    path = write(tmp_path, TESTER + TESTER_END)
    with open(path, "rb") as stream:
        problems, papers = split(list(dblp.parse_compact(stream, str(path), shared={})))
    assert problems == TESTER_PROBLEMS
    assert papers == TESTER_PAPERS


def test_a_tag_mismatch_names_the_record_it_loses(tmp_path):
    path = write(tmp_path, TESTER + UNCLOSED + TESTER_END)
    problems, papers = split(list(dblp.read(path)))
    assert problems == [*TESTER_PROBLEMS, MISMATCH]
    assert papers == TESTER_PAPERS  # E is read: it ends before the mismatch


def test_with_a_dtd_beside_the_file_written_inline(tmp_path):
    # A DTD of its own: &uuml; and a name of its own; &Lstrok; is not in it (HTML5 stands in), &eacute; is its own.
    (tmp_path / "dblp.dtd").write_text('<!ENTITY uuml "&#252;">\n<!ENTITY mine "M">\n<!ENTITY eacute "E-ACUTE">\n')
    path = write(tmp_path, (TESTER + TESTER_END).replace("Ann Lee", "Ann L&uuml;&mine;").replace("Eve Fox", "Ev&eacute;"))
    problems, papers = split(list(dblp.read(path)))
    assert problems == TESTER_PROBLEMS
    ann = ("Ann LüM", ("dblp:Ann LüM",))
    assert papers == [
        ("dblp:journals/x/B", [ann, ("Carl Jones", ("dblp:Carl Jones",))]),
        ("dblp:journals/x/L", [("Łukasz Kaiser", ("dblp:Łukasz Kaiser",)), ann]),
        ("dblp:journals/x/E", [("EvE-ACUTE", ("dblp:EvE-ACUTE",)), ann]),
    ]


def test_with_the_repository_dblp_dtd(tmp_path):
    shutil.copy(shared_path("data", "dblp", "dblp.dtd"), tmp_path / "dblp.dtd")  # skips, saying why, when absent
    path = write(tmp_path, TESTER.replace("Bob &bogus;", "Bob &uuml;") + UNCLOSED + TESTER_END)
    problems, papers = split(list(dblp.read(path)))
    assert problems == [TESTER_PROBLEMS[1], MISMATCH]
    assert papers[0] == ("dblp:journals/x/A", [("Bob ü Smith", ("dblp:Bob ü Smith",)), ("Ann Lee", ("dblp:Ann Lee",))])
    assert papers[1:] == TESTER_PAPERS


def test_html5_entities_resolve_without_a_problem(tmp_path):
    path = write(tmp_path, DECL + "<dblp>\n"  # no DOCTYPE: one is given
                 '<article key="journals/x/K"><author>&Lstrok;ukasz Kaiser</author><author>&Ccaron;ech &AMP; &LT;</author>'
                 "<title>On &NotEqualTilde; and &fjlig;ord.</title></article>\n</dblp>\n")
    [rec] = list(dblp.read(path))
    assert [a.name for a in rec.authors] == ["Łukasz Kaiser", "Čech & <"]
    assert rec.title == "On \u2242\u0338 and fjord"


def test_records_on_one_line_each_placed_by_column(tmp_path):
    records = "".join(
        f'<article key="x/{i}"><author>{name}</author><title>T{i}.</title></article>'
        for i, name in enumerate(["Ann One", "Bob &bogus; Two", "C&uuml; Three", "Dan Four", "Eve &bogus;", "Fay Six"])
    )
    path = write(tmp_path, DECL + "<dblp>" + records.replace("Dan Four</author><title>T3.", "Dan Four</author><title>T3 &zzz;.")
                 + "</dblp>")
    problems, papers = split(list(dblp.read(path)))
    assert problems == [(2, f"DBLP article x/1: undefined entity &bogus; at line 2{SKIPPED}"),
                        (2, f"DBLP article x/3: undefined entity &zzz; at line 2{SKIPPED}"),
                        (2, f"DBLP article x/4: undefined entity &bogus; at line 2{SKIPPED}")]
    assert [p[0] for p in papers] == ["dblp:x/0", "dblp:x/2", "dblp:x/5"]
    assert papers[1][1] == [("Cü Three", ("dblp:Cü Three",))]


def test_utf8_and_several_errors_in_one_record(tmp_path):
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<dblp>\n'
            '<article key="x/1"><author>中文 Jürgen &bogus;</author><title>T.</title></article>'
            '<article key="x/2"><author>中文 Jörg &ouml;</author><title>T.</title></article>'
            '<article key="x/3"><author>中 &bogus;</author><x:author>Y</x:author>\n<title>T &other;.</title></article>\n'
            '<article key="x/4"><author>Zoë</author><title>T.</title></article>\n</dblp>\n')
    problems, papers = split(list(dblp.read(write(tmp_path, text, encoding="utf-8"))))
    assert problems == [
        (3, f"DBLP article x/1: undefined entity &bogus; at line 3{SKIPPED}"),
        (3, "DBLP article x/3: undefined entity &bogus; at line 3; XML error at line 3 (Namespace prefix x on author is not "
            f"defined); undefined entity &other; at line 4{SKIPPED}"),
    ]
    assert papers == [("dblp:x/2", [("中文 Jörg ö", ("dblp:中文 Jörg ö",))]), ("dblp:x/4", [("Zoë", ("dblp:Zoë",))])]


def test_entity_in_a_key_and_between_records(tmp_path):
    path = write(tmp_path, DECL + "<dblp>\n"
                 '<article key="x/a&bogus;b"><author>Ann</author><title>T.</title></article>\n'
                 "&outside;\n"
                 '<article key="x/c"><author>Cy</author><title>T.</title></article>\n</dblp>\n')
    problems, papers = split(list(dblp.read(path)))
    assert problems == [(3, f"DBLP article x/ab: undefined entity &bogus; at line 3{SKIPPED}"),
                        (4, "Undefined entity &outside; at line 4 outside any record, reading went on")]
    assert papers == [("dblp:x/c", [("Cy", ("dblp:Cy",))])]


def test_a_person_record_with_an_undefined_entity_gives_no_alias(tmp_path):
    path = write(tmp_path, DECL + "<dblp>\n"
                 '<www key="homepages/x/AnnA"><author>Ann &bogus;A</author><author>Ann B</author><title>Home Page</title></www>\n'
                 '<www key="homepages/x/Cy"><author>Cy C</author><author>Cy D</author><title>Home Page</title></www>\n'
                 '<article key="x/1"><author>Ann B</author><author>Cy D</author><title>T.</title></article>\n</dblp>\n')
    problem = (3, f"DBLP www homepages/x/AnnA: undefined entity &bogus; at line 3{SKIPPED}")
    problems, papers = split(list(dblp.read(path)))
    assert problems == [problem]
    assert papers == [("dblp:x/1", [("Ann B", ("dblp:Ann B",)), ("Cy D", ("dblp:Cy C",))])]
    items = list(dblp.person_aliases(path))
    assert [(p.line, p.message) for p in items if isinstance(p, Problem)] == [problem]
    assert [p.names for p in items if not isinstance(p, Problem)] == [("Cy C", "Cy D")]


# -- XML errors: where reading stopped, and what it lost ---------------------------------------------


def test_a_fatal_error_mid_file_says_reading_stopped_and_which_record_is_lost(tmp_path):
    path = write(tmp_path, DECL + "<dblp>\n"
                 '<article key="x/1"><author>Ann</author><title>T.</title></article>\n'
                 '<article key="x/2"><author>Bob &amp Co</author><title>T.</title></article>\n'
                 '<article key="x/3"><author>Cy</author><title>T.</title></article>\n</dblp>\n')
    problems, papers = split(list(dblp.read(path)))
    assert problems == [(4, "XML not well-formed, reading stopped at line 4: EntityRef: expecting ';'; "
                            "the article x/2 (line 4) open there is not read")]
    assert [p[0] for p in papers] == ["dblp:x/1"]


def test_more_errors_than_the_parser_reports_stop_the_read(tmp_path):
    # 250 records, one a line from line 3; the even ones hold an undefined entity: 125 errors, of which libxml2
    # reports 100 (the 100th in x/198, line 201). What follows could hold an error nobody sees: not read.
    records = "".join(
        f'<article key="x/{i}"><author>{"Ann &e%d;" % i if i % 2 == 0 else "Bob %d" % i}</author><title>T.</title></article>\n'
        for i in range(250)
    )
    problems, papers = split(list(dblp.read(write(tmp_path, DECL + "<dblp>\n" + records + "</dblp>\n"))))
    assert [p[0] for p in papers] == [f"dblp:x/{i}" for i in range(1, 198, 2)]
    assert problems == [
        *[(3 + i, f"DBLP article x/{i}: undefined entity &e{i}; at line {3 + i}{SKIPPED}") for i in range(0, 199, 2)],
        (201, "reading stopped at line 201: the XML parser reports only the first 100 errors (the last at line 201); "
              "the records from line 201 on are not read, as an error in them would go unseen"),
    ]


def test_errors_across_chunks_and_in_a_record_over_a_megabyte(tmp_path):
    # Multi-line records as in the dump (``</article><article`` on one line, as DBLP writes them), 4 MB in all,
    # read 32 KB at a time; one record holds 40,000 authors (1.3 MB) and an undefined entity near its end.
    parts, bad = [DECL, DOCTYPE, "<dblp>\n"], set()
    for i in range(12000):
        big = i == 6000
        authors = [f"Author {j} M&uuml;ller" for j in range(40000 if big else 3)]
        if i % 997 == 5 or big:
            authors[-2] = authors[-2].replace("M&uuml;", "M&bogus;")
            bad.add(i)
        title = f"Title {i} &zzz;." if i % 1999 == 7 else f"Title {i}."
        bad |= {i} if "&zzz;" in title else set()
        parts.append(f'<inproceedings mdate="2020-01-01" key="conf/x/{i}">\n'
                     + "".join(f"<author>{a}</author>\n" for a in authors)
                     + f"<title>{title}</title>\n<year>2020</year>\n</inproceedings>")
    parts.append("\n</dblp>\n")
    path = write(tmp_path, "".join(parts))
    assert path.stat().st_size > 4_000_000
    items = list(dblp.read(path))
    problems = [p.message for p in items if isinstance(p, Problem)]
    assert len(problems) == len(bad) == 20
    assert all(m.startswith(f"DBLP inproceedings conf/x/{i}: undefined entity") and m.endswith(SKIPPED)
               for m, i in zip(problems, sorted(bad)))
    papers = [r for r in items if isinstance(r, PaperRecord)]
    assert [r.ids[0] for r in papers] == [f"dblp:conf/x/{i}" for i in range(12000) if i not in bad]
    assert {a.name for r in papers for a in r.authors} == {f"Author {j} Müller" for j in range(3)}


# -- the command line --------------------------------------------------------------------------------


def test_extract_strict_reports_each_problem_and_fails(tmp_path):
    path = write(tmp_path, TESTER + UNCLOSED + TESTER_END)
    result = runner.invoke(app, ["extract", str(path), "--format", "json", "--strict"])
    assert result.exit_code == 1
    papers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(p["ids"][0], [(a["name"], tuple(a["ids"])) for a in p["authors"]]) for p in papers] == TESTER_PAPERS
    lines = [f"problem: {path}:{line}: {message}" for line, message in [*TESTER_PROBLEMS, MISMATCH]]
    assert [line for line in result.stderr.splitlines() if line.startswith("problem:")] == lines
    assert "3 problems" in result.stderr


def test_build_strict_fails_with_the_problems_in_the_report(tmp_path):
    (tmp_path / "in").mkdir()
    path = write(tmp_path / "in", TESTER + UNCLOSED + TESTER_END)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(path), "--out", str(out), "--strict"])
    assert result.exit_code == 1
    assert "strict: 3 input problem(s)" in result.stderr
    report = json.loads((out / "report.json").read_text())
    assert [(p["source"], p["line"], p["message"]) for p in report["problems"]] == [
        (str(path), line, message) for line, message in [*TESTER_PROBLEMS, MISMATCH]]
    assert report["paper_records"] == 3
