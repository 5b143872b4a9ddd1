"""Regression tests for what the outside check on unseen inputs found (fixtures in tests/fixtures/unseen/).

Each file there has the shape a real exporter or a careless hand gives (a
hand-edited BibTeX file, Mendeley's CSL-JSON quirks, Web of Science's
tab-delimited export, a non-RIS file forced through ``--from ris``), written
from public bibliographic facts. Expectations are read off those files, never
computed by the code under test.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.models import PaperRecord, Problem
from graphkit.pipeline import build_knowledge_graph
from graphkit.readers import bibtex, csljson, ris, scopus, wos
from graphkit.readers.registry import iter_inputs
from graphkit.store import EmbeddedStore

from .conftest import AS_OF

UNSEEN = Path(__file__).parent / "fixtures" / "unseen"
runner = CliRunner()


def _read(module, name: str):
    path = UNSEEN / name
    with path.open("rb") as stream:
        items = list(module.parse(stream, str(path)))
    return [i for i in items if isinstance(i, PaperRecord)], [str(i) for i in items if isinstance(i, Problem)]


def _people(record):
    return [(a.name, a.given, a.family, a.position) for a in record.authors]


def test_bibtex_dangling_and_is_no_person():
    # "Strogatz, Steven H. and }" once read as one author "Steven H. and Strogatz"
    records, problems = _read(bibtex, "hand-edited.bib")
    assert problems == []
    watts, newman, mos2 = records
    assert _people(watts) == [("Duncan J. Watts", "Duncan J.", "Watts", 0), ("Steven H. Strogatz", "Steven H.", "Strogatz", 1)]
    assert _people(newman) == [("M. E. J. Newman", "M. E. J.", "Newman", 0)]
    assert [a.name for a in mos2.authors] == ["B. Radisavljevic", "A. Radenovic", "J. Brivio", "V. Giacometti", "A. Kis"]


def test_titles_keep_math_scripts_roots_and_single_quotes():
    # H$_2$O was H_2O, $\sqrt{s}$ lost its root, `small-world' kept TeX's quote marks
    records, _ = _read(bibtex, "hand-edited.bib")
    assert records[0].title == "Collective dynamics of ‘small-world’ networks"
    assert records[2].title == "Two-dimensional MoS₂ and H₂O at √s=7 TeV with ¹³C"


def test_bibtex_file_without_entries_is_a_problem():
    records, problems = _read(bibtex, "notes.bib")
    assert records == [] and problems == [f"{UNSEEN / 'notes.bib'}:1: no BibTeX entries (@type{{key, ...}}) in the file"]
    strict = runner.invoke(app, ["extract", str(UNSEEN / "notes.bib"), "--strict"])
    assert strict.exit_code == 1


def test_csljson_author_strings_single_people_and_date_part_strings():
    # Hand-written and Mendeley CSL: "author" as a string or one object, "date-parts" as ISO strings, blanks, nulls
    records, problems = _read(csljson, "mendeley-quirks.json")
    said = ' (CSL-JSON writes {"family": ..., "given": ...} or {"literal": ...}); read as '
    assert problems == [  # read, and said: CSL-JSON's author is a list of name objects
        f"{UNSEEN / 'mendeley-quirks.json'}:2: author is a string, not a list of names{said}'Duncan J. Watts', 'Steven H. Strogatz'",
        f"{UNSEEN / 'mendeley-quirks.json'}:6: author is a string, not a list of names{said}'Albert-László Barabási', 'Réka Albert'"]
    watts, barabasi, newman = records
    assert _people(watts) == [("Duncan J. Watts", "Duncan J.", "Watts", 0), ("Steven H. Strogatz", "Steven H.", "Strogatz", 1)]
    assert (watts.year, watts.date.isoformat()) == (1998, "1998-06-04")
    assert _people(barabasi) == [("Albert-László Barabási", "Albert-László", "Barabási", 0), ("Réka Albert", "Réka", "Albert", 1)]
    assert (barabasi.year, barabasi.date) == (1999, None)
    assert _people(newman) == [("M. E. J. Newman", "M. E. J.", "Newman", 0)]
    assert (newman.year, newman.date) == (2001, None)


def test_ris_lines_outside_records_are_one_problem_per_run():
    # --from ris on a BibTeX file gave one problem per line of the file
    text = (UNSEEN / "hand-edited.bib").read_bytes() + b"\nTY  - JOUR\nTI  - Still read\nAU  - Kis, A.\nER  - \nstray\n"
    items = list(ris.parse(io.BytesIO(text), "refs.ris"))
    problems = [str(i) for i in items if isinstance(i, Problem)]
    assert problems == [
        "refs.ris:1: 21 lines outside a record (no TY before them), the first: '% A hand-edited bibliography: a dangling \"and\" where an auth'",
        "refs.ris:29: line outside a record (no TY before it): 'stray'",
    ]
    assert [(r.title, r.author_names) for r in items if isinstance(r, PaperRecord)] == [("Still read", ("A. Kis",))]


def _check_wos_tab(records, problems):
    assert problems == []
    watts, louvain = records
    assert (watts.title, watts.year, watts.date.isoformat(), watts.venue, watts.kind, watts.line) == (
        "Collective dynamics of 'small-world' networks", 1998, "1998-06-04", "NATURE", "article", 2)
    assert watts.ids == ("doi:10.1038/30918", "wos:000074020200056", "pmid:9623998")
    assert [(a.name, a.ids) for a in watts.authors] == [("Duncan J. Watts", ()), ("Steven H. Strogatz", ("orcid:0000-0003-2923-3118",))]
    assert {f.name for a in watts.authors for f in a.affiliations} == {"Cornell Univ, Dept Theoret & Appl Mech, Ithaca, NY 14853 USA"}
    got = [(a.name, [(f.name, f.country) for f in a.affiliations]) for a in louvain.authors]
    louvain_address = ("Catholic Univ Louvain, Dept Math Engn, B-1348 Louvain, Belgium", "BE")
    assert got == [
        ("Vincent D. Blondel", [louvain_address]),
        ("Jean-Loup Guillaume", [("Univ Paris 06, LIP6, F-75005 Paris, France", "FR")]),
        ("Renaud Lambiotte", [louvain_address]),
        ("Etienne Lefebvre", [louvain_address]),
    ]
    assert louvain.line == 3 and louvain.ids == ("doi:10.1088/1742-5468/2008/10/p10008", "wos:000260584000009")


def test_wos_tab_delimited_export_is_read_as_wos(tmp_path):
    # savedrecs.txt in the tab-delimited layout was read as a profile page named "PT\tAU\t..."
    [chosen] = iter_inputs([UNSEEN / "savedrecs-tab.txt"])
    assert (chosen.format, chosen.how, chosen.problem) == ("wos", "sniffed", None)
    _check_wos_tab(*_read(wos, "savedrecs-tab.txt"))
    # the "(Win)" variant of the same export is UTF-16 LE with a byte-order mark
    utf16 = tmp_path / "savedrecs.txt"
    utf16.write_bytes(b"\xff\xfe" + (UNSEEN / "savedrecs-tab.txt").read_text(encoding="utf-8").encode("utf-16-le"))
    [chosen] = iter_inputs([utf16])
    assert chosen.format == "wos"
    with utf16.open("rb") as stream:
        items = list(wos.parse(stream, str(utf16)))
    _check_wos_tab([i for i in items if isinstance(i, PaperRecord)], [str(i) for i in items if isinstance(i, Problem)])


@pytest.fixture(scope="module")
def unseen_store(tmp_path_factory):
    result = build_knowledge_graph([UNSEEN], as_of=AS_OF)
    store = EmbeddedStore(tmp_path_factory.mktemp("unseen") / "graph.lbdb")
    store.write(result.tables)
    return result, store


def test_same_paper_and_people_across_the_unseen_formats(unseen_store):
    # Watts & Strogatz 1998 arrives from BibTeX, CSL-JSON and WoS tab-delimited: one Paper, two Authors
    result, store = unseen_store
    [paper] = [dict(r) for r in store.query(
        "MATCH (p:Paper) WHERE p.doi = '10.1038/30918' RETURN p.title AS title, p.ids AS ids, p.sources AS sources", {})]
    assert sorted(paper["ids"]) == ["doi:10.1038/30918", "pmid:9623998", "wos:000074020200056"]
    assert len(paper["sources"]) == 3
    people = [dict(r) for r in store.query(
        "MATCH (a:Author)-[:AUTHORED]->(p:Paper) WHERE p.doi = '10.1038/30918' RETURN a.name AS name, a.orcid AS orcid ORDER BY name", {})]
    assert people == [{"name": "Duncan J. Watts", "orcid": None}, {"name": "Steven H. Strogatz", "orcid": "0000-0003-2923-3118"}]
    newman = [dict(r) for r in store.query("MATCH (a:Author) WHERE a.name CONTAINS 'Newman' RETURN a.name AS name", {})]
    assert newman == [{"name": "M. E. J. Newman"}]


def test_ris_web_exports_decode_character_references():
    # ScienceDirect's RIS wrote "Information Processing &amp; Management" into the venue as it was
    records, problems = _read(ris, "web-exports.ris")
    assert problems == []
    resnet, sokolova = records
    assert (resnet.title, resnet.year, resnet.kind, resnet.ids) == (
        "Deep Residual Learning for Image Recognition", 2016, "inproceedings", ("doi:10.1109/cvpr.2016.90",))
    assert _people(resnet) == [("K. He", "K.", "He", 0), ("X. Zhang", "X.", "Zhang", 1), ("S. Ren", "S.", "Ren", 2), ("J. Sun", "J.", "Sun", 3)]
    assert (sokolova.venue, sokolova.date.isoformat(), sokolova.ids) == (
        "Information Processing & Management", "2009-07-01", ("doi:10.1016/j.ipm.2009.03.002",))


def test_csljson_character_references_decoded():
    text = b'[{"type": "article-journal", "title": "Theory &amp; Practice of Graphs &#8211; 2nd ed.", "author": [{"literal": "AT&T Labs"}]}]'
    [rec] = list(csljson.parse(io.BytesIO(text), "items.json"))
    assert (rec.title, rec.author_names) == ("Theory & Practice of Graphs – 2nd ed.", ("AT&T Labs",))


def test_control_bytes_never_reach_titles_or_names():
    # A NUL or ESC byte from a corrupt export was stored in Paper.title as it was
    text = b"@article{k, title = {Null\x00 byte and\x1b escape}, author = {M\\\"{u}ller,\x07 J\\\"{o}rg}, year = 2021}\n"
    [problem, rec] = list(bibtex.parse(io.BytesIO(text), "r.bib"))
    assert (rec.title, rec.author_names) == ("Null byte and escape", ("Jörg Müller",))
    assert str(problem) == "r.bib:1: control characters dropped (NUL, U+001B, U+0007)"


def test_bibtex_scholar_and_biblatex_preprints_and_lettered_years():
    # "arXiv preprint hep-th/9711200" lost its id; biblatex's journaltitle was not a journal
    # (an article, not a preprint); "2019a" had no year
    records, problems = _read(bibtex, "scholar-and-biblatex.bib")
    assert problems == []
    got = [(r.title, r.ids, r.year, r.kind) for r in records]
    assert got == [
        ("Scaling laws for neural language models", ("arxiv:2001.08361",), 2020, "preprint"),
        ("The large N limit of superconformal field theories and supergravity", ("arxiv:hep-th/9711200",), 1997, "preprint"),
        ("Scaling Laws for Neural Language Models", ("arxiv:2001.08361",), 2020, "preprint"),
        ("BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", (), 2019, "inproceedings"),
    ]
    assert records[2].date.isoformat() == "2020-01-22"


def test_wos_forced_on_another_format_is_one_problem():
    # --from wos on a BibTeX file gave one problem per line of the file
    path = UNSEEN / "hand-edited.bib"
    with path.open("rb") as stream:
        items = [str(i) for i in wos.parse(stream, "refs.bib")]
    assert items == ["refs.bib:1: 21 lines outside a record (no PT before them), the first: "
                     "'% A hand-edited bibliography: a dangling \"and\" where an auth'"]


def test_8bit_exports_read_as_windows_1252():
    # A Scopus CSV re-saved by Excel (Windows-1252, ";" between cells) read "M\ufffdller" or nothing at all;
    # an EndNote RIS in Windows-1252 split Schölkopf from the Schölkopf of every UTF-8 file
    records, problems = _read(scopus, "excel-resaved.csv")
    assert problems == [f"{UNSEEN / 'excel-resaved.csv'}:1: not UTF-8: read as Windows-1252 (cp1252), the encoding Excel writes"]
    [kernel] = records
    assert [(a.name, a.ids) for a in kernel.authors] == [
        ("Klaus-Robert Müller", ("scopus:10000000101",)), ("Sebastian Mika", ("scopus:10000000102",)),
        ("Gunnar Rätsch", ("scopus:10000000103",)), ("Koji Tsuda", ("scopus:10000000104",)),
        ("Bernhard Schölkopf", ("scopus:10000000105",)),
    ]
    assert (kernel.title, kernel.year, kernel.venue, kernel.ids) == (
        "An introduction to kernel-based learning algorithms", 2001, "IEEE Transactions on Neural Networks",
        ("doi:10.1109/72.914517", "scopus:2-s2.0-00000000101"))
    records, problems = _read(ris, "endnote-cp1252.ris")
    assert problems == [f"{UNSEEN / 'endnote-cp1252.ris'}:2: not UTF-8: read as Windows-1252 (cp1252), "
                        "the encoding Excel and older tools write"]
    assert records[0].author_names == ("Bernhard Schölkopf", "Alexander J. Smola", "Klaus-Robert Müller")
    # a BibTeX file in Windows-1252 without JabRef's "% Encoding:" line
    text = "@article{s98, author = {Schölkopf, Bernhard}, title = {Kernel PCA}, year = 1998}".encode("cp1252")
    [problem, rec] = list(bibtex.parse(io.BytesIO(text), "r.bib"))
    assert rec.author_names == ("Bernhard Schölkopf",) and "Windows-1252" in str(problem)


def test_negative_durations_are_iso_8601(unseen_store):
    # A negative interval came back as "P-1DT23H58M30S" (timedelta's -1 day + 86310 s), not ISO 8601
    _, store = unseen_store
    [row] = [dict(r) for r in store.query(
        "RETURN timestamp('2020-01-01 00:00:00') - timestamp('2020-01-01 00:01:30') AS back, "
        "timestamp('2020-01-01 00:01:30') - timestamp('2020-01-01 00:00:00') AS forth", {})]
    assert row == {"back": "-PT1M30S", "forth": "PT1M30S"}


def test_ris_authors_keep_file_order_across_au_and_a1():
    # A record listing A1 lines before AU lines put the AU people first
    text = (b"TY  - JOUR\nA1  - O'Neil, Cathy\nA1  - d'Alembert, Jean le Rond\nAU  - van der Aalst, W.M.P.\n"
            b"AU  - O'Neil, Cathy\nTI  - Names with apostrophes\nPY  - 2016\nER  - \n")
    [rec] = list(ris.parse(io.BytesIO(text), "a.ris"))
    assert _people(rec) == [("Cathy O'Neil", "Cathy", "O'Neil", 0), ("Jean le Rond d'Alembert", "Jean le Rond", "d'Alembert", 1),
                            ("W.M.P. van der Aalst", "W.M.P.", "van der Aalst", 2)]


def test_csljson_one_item_per_line_is_read():
    # CSL items written one per line (JSON Lines) were sniffed as CSL-JSON, then read as nothing
    [chosen] = iter_inputs([UNSEEN / "knuth.jsonl"])
    assert (chosen.format, chosen.how) == ("csl-json", "sniffed")
    records, problems = _read(csljson, "knuth.jsonl")
    assert problems == []
    assert [(r.title, r.year, r.kind, r.ids, r.line, r.record) for r in records] == [
        ("The Art of Computer Programming, Volume 1: Fundamental Algorithms", 1968, "book", (), 1, 1),
        ("Literate Programming", 1984, "article", ("doi:10.1093/comjnl/27.2.97",), 2, 2),
    ]


@pytest.mark.parametrize(
    ("module", "text"),
    [
        (ris, b"TY  - JOUR\nAU  - Aad, G.\nAU  - Abajyan, T.\nAU  - et al.\nTI  - Observation of a new particle\nPY  - 2012\nER  - \n"),
        (csljson, b'[{"type": "article-journal", "title": "Observation of a new particle", "issued": {"date-parts": [[2012]]},'
                  b' "author": [{"family": "Aad", "given": "G."}, {"family": "Abajyan", "given": "T."}, {"literal": "et al."}]}]'),
        (scopus, b"Authors,Author(s) ID,Title,Year,Source title,EID\n"
                 b'"Aad G., Abajyan T., et al.","10000000201;10000000202;","Observation of a new particle",2012,"Physics Letters B",'
                 b'"2-s2.0-00000000201"\n'),
    ],
)
def test_et_al_is_a_truncated_list_never_an_author(module, text):
    # RIS, CSL-JSON and Scopus made an Author called "et al." (and Scopus then dropped every author id)
    [rec] = [r for r in module.parse(io.BytesIO(text), "x") if isinstance(r, PaperRecord)]
    assert rec.author_names == ("G. Aad", "T. Abajyan") and rec.authors_truncated is True
    if module is scopus:
        assert [a.ids for a in rec.authors] == [("scopus:10000000201",), ("scopus:10000000202",)]


def test_bibtex_missing_comma_between_fields():
    # title = {...}<newline> author = {...} without the comma: the title swallowed the authors silently
    text = b"@article{lecun2015,\n  title = {Deep learning}\n  author = {LeCun, Yann and Bengio, Yoshua and Hinton, Geoffrey}\n  year = 2015,\n  journal = {Nature}\n}\n"
    items = list(bibtex.parse(io.BytesIO(text), "r.bib"))
    assert [str(i) for i in items if isinstance(i, Problem)] == [
        "r.bib:1: entry lecun2015: no comma after field title (before author, year); read as separate fields"]
    [rec] = [i for i in items if isinstance(i, PaperRecord)]
    assert (rec.title, rec.author_names, rec.year, rec.venue) == (
        "Deep learning", ("Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"), 2015, "Nature")


def test_control_bytes_dropped_by_line_readers_and_csl():
    # RIS, WoS and CSL-JSON kept ESC, SOH and VT from a corrupt export in names and titles
    text = b"TY  - JOUR\nAU  - Evil\x1b[31m, Red\x01\x0b\nAU  - Plain, Paul\nTI  - Control \x1b[2J characters\x07\nPY  - 2020\nER  - \n"
    [rec, problem] = list(ris.parse(io.BytesIO(text), "c.ris"))
    assert (rec.title, rec.author_names) == ("Control [2J characters", ("Red Evil[31m", "Paul Plain"))
    assert str(problem) == "c.ris:2: control characters dropped (U+001B, U+0001, U+000B, U+0007); also in 1 more line (4)"
    text = b"PT J\nAF Evil\x1b, Red\nTI Control\x00 characters\nER\n"
    [rec, problem] = list(wos.parse(io.BytesIO(text), "c.txt"))
    assert (rec.title, rec.author_names) == ("Control characters", ("Red Evil",))
    assert str(problem) == "c.txt:2: control characters dropped (U+001B, NUL); also in 1 more line (3)"
    text = b'[{"type": "book", "title": "Control\\u001b characters", "author": [{"family": "Evil\\u0007", "given": "Red"}]}]'
    [problem, rec] = list(csljson.parse(io.BytesIO(text), "c.json"))
    assert (rec.title, rec.author_names) == ("Control characters", ("Red Evil",))
    assert str(problem) == "c.json:1: control characters dropped (U+001B, U+0007)"


def test_scopus_ris_names_the_record_by_its_eid():
    # Scopus's RIS export carries the EID only in its UR link: the Scopus CSV of the same paper shares it
    records, problems = _read(ris, "scopus-export.ris")
    assert problems == []
    [rec] = records
    assert rec.ids == ("doi:10.1088/1742-5468/2008/10/p10008", "scopus:2-s2.0-00000000301")
    assert (rec.venue, rec.year, rec.kind) == ("Journal of Statistical Mechanics: Theory and Experiment", 2008, "article")
    assert [i.country for i in rec.institutions] == ["BE", "FR"]


def test_placeholder_orcids_never_join_people(tmp_path):
    # Two people carrying the placeholder ORCID 0000-0000-0000-0000 (a check digit that fails) became one Author
    (tmp_path / "items.json").write_text(
        '[{"type": "article-journal", "title": "Paper one", "issued": {"date-parts": [[2020]]},'
        ' "author": [{"family": "Smith", "given": "Alice", "ORCID": "http://orcid.org/0000-0000-0000-0000"}]},'
        ' {"type": "article-journal", "title": "Paper two", "issued": {"date-parts": [[2021]]},'
        ' "author": [{"family": "Jones", "given": "Bob", "ORCID": "https://orcid.org/0000-0000-0000-0000"},'
        ' {"family": "Carberry", "given": "Josiah", "ORCID": "https://orcid.org/0000-0002-1825-0097"}]}]', encoding="utf-8")
    records = [r for r in csljson.read(tmp_path / "items.json") if isinstance(r, PaperRecord)]
    assert [(a.name, a.ids) for r in records for a in r.authors] == [
        ("Alice Smith", ()), ("Bob Jones", ()), ("Josiah Carberry", ("orcid:0000-0002-1825-0097",))]
    result = build_knowledge_graph([tmp_path], as_of=AS_OF)
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    store.write(result.tables)
    names = [dict(r) for r in store.query("MATCH (a:Author) RETURN a.name AS name ORDER BY name", {})]
    assert names == [{"name": "Alice Smith"}, {"name": "Bob Jones"}, {"name": "Josiah Carberry"}]


def test_csljson_plain_article_on_a_preprint_server_is_a_preprint():
    # Zotero writes a bioRxiv or arXiv preprint as CSL "article"; without an arXiv id it was read as a journal article
    text = (b'[{"type": "article", "title": "Evolutionary-scale prediction of atomic level protein structure with a language model",'
            b' "publisher": "bioRxiv", "author": [{"family": "Lin", "given": "Zeming"}], "issued": {"date-parts": [[2022]]}},'
            b' {"type": "article", "title": "A plain article", "author": [{"family": "Doe", "given": "Jane"}]}]')
    assert [r.kind for r in csljson.parse(io.BytesIO(text), "p.json")] == ["preprint", "article"]


@pytest.mark.parametrize(
    ("address_end", "code"),
    [("Macao", "MO"), ("Sri Lanka", "LK"), ("Bosnia & Herceg", "BA"), ("Papua N Guinea", "PG"), ("Dem Rep Congo", "CD"),
     ("Cote Ivoire", "CI"), ("Ecuador", "EC"), ("Kazakhstan", "KZ"), ("Georgia", None)],
)
def test_countries_of_every_export_address(address_end, code):
    # Web of Science C1 and Scopus affiliations from these countries had no country; "Georgia" stays unknown
    # (a US state in a free-text RIS address as often as the country)
    text = f"PT J\nAF Doe, Jane\nTI T\nC1 [Doe, Jane] Some Univ, Some City, {address_end}.\nER\n".encode()
    [rec] = list(wos.parse(io.BytesIO(text), "c.txt"))
    assert rec.authors[0].affiliations[0].country == code
