"""Profile-page extraction on the seed pages, on odd input, and by property."""

from __future__ import annotations

import collections
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.extract import iter_pages, read_page
from graphkit.readers.profile import (
    _is_institution,
    derive_title,
    format_by_year_page,
    format_listing_page,
    parse_card_header,
    parse_profile_text,
    with_inferred_owner,
)
from graphkit.models import AuthorRef, PaperRecord, Profile

from .conftest import AS_OF, EXAMPLES


def _seed(seeds_dir: Path, prefix: str):
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    return read_page(str(path), as_of=AS_OF)


def _by_title(result, start: str) -> PaperRecord:
    (paper,) = [p for p in result.papers if p.title.startswith(start)]
    return paper


# ------------------------------------------------------------------ seeds


def test_seed_counts(seeds_dir):
    pages = list(iter_pages([seeds_dir], as_of=AS_OF))
    assert [len(p.papers) for p in pages] == [10, 35, 12, 14]
    assert sum(len(p.papers) for p in pages) == 71
    assert [p.problems for p in pages] == [(), (), (), ()]
    assert [p.profile.layout for p in pages] == ["listing", "listing", "listing", "by-year"]
    assert [p.profile.name for p in pages] == ["Zhengxin Zhang", "Zhiyuan Zeng", "Wenhong Zhu", "Hengyuan Zhang"]


def test_seed_metrics(seeds_dir):
    profile = _seed(seeds_dir, "000").profile
    assert (profile.primary_category, profile.h_index, profile.paper_count, profile.citations) == ("CL", 13, 10, 3126)
    assert (profile.novelty, profile.ai_score) == (54.0, 57.0)
    assert _seed(seeds_dir, "001").profile.citations == 4383
    by_year = _seed(seeds_dir, "003").profile
    assert by_year.h_index is None and by_year.citations is None and by_year.primary_category is None


def test_seed_card_headers(seeds_dir):
    zeng = _seed(seeds_dir, "001")
    card = _by_title(zeng, "Understanding by Reconstruction")
    assert (card.score, card.category, card.date) == (99.5, "SE", dt.date(2026, 3, 11))
    assert card.year == 2026 and card.line == 82
    sheared = _by_title(zeng, "Sheared LLaMA")
    assert sheared.has_code and sheared.date == dt.date(2023, 10, 10) and sheared.score is None
    assert not _by_title(zeng, "Evaluating Large Language Models at Evaluating").has_code
    assert sum(p.has_code for p in zeng.papers) == 12  # `grep -c "Code$"` on the page
    zhang = _seed(seeds_dir, "000")
    first = zhang.papers[0]
    assert (first.score, first.category, first.date) == (48.1, "CL", dt.date(2026, 4, 21))
    assert _by_title(zhang, "Road Extraction").date == dt.date(2017, 11, 29)


def test_seed_authors_and_institutions(seeds_dir):
    zeng = _seed(seeds_dir, "001")
    sheared = _by_title(zeng, "Sheared LLaMA")
    assert sheared.author_names == ("Mengzhou Xia", "Tianyu Gao", "Zhiyuan Zeng")
    assert [(a.position, a.inferred) for a in sheared.authors] == [(0, False), (1, False), (2, False)]  # owner shown
    assert sheared.authors_truncated and _slugs(sheared) == ("princeton", "uw")
    assert _slugs(_by_title(zeng, "KNIFE")) == ("meta-ai",)
    assert _slugs(_by_title(zeng, "UI-TARS-2")) == ("pku",)
    olmo = _by_title(zeng, "Olmo 3")
    assert olmo.authors[0].name == "Team Olmo" and _slugs(olmo) == ("uw",)
    assert olmo.authors[-1] == AuthorRef(name="Zhiyuan Zeng", inferred=True)  # the owner, hidden in "et al."
    parsing = _by_title(zeng, "Unsupervised and Few-shot Parsing")
    assert parsing.author_names == ("Zhiyuan Zeng", "Deyi Xiong") and not parsing.authors_truncated
    slugs = collections.Counter(s for p in zeng.papers for s in _slugs(p))
    assert slugs == {"uw": 5, "princeton": 2, "meta-ai": 1, "pku": 1}
    for page in iter_pages([zeng.source], as_of=AS_OF):
        for paper in page.papers:
            assert all("et al" not in a.name for a in paper.authors)
    spec = _by_title(_seed(seeds_dir, "000"), "SpecInfer")
    assert spec.author_names == ("Xupeng Miao", "Gabriele Oliaro", "Zhihao Zhang") and spec.authors_truncated
    assert spec.authors[-1] == AuthorRef(name="Zhengxin Zhang", inferred=True)  # a near-variant is someone else


def _slugs(paper):
    return tuple(i.name for i in paper.institutions)


def test_seed_abstract_urls(seeds_dir):
    zhu = _seed(seeds_dir, "002")
    hybrid = _by_title(zhu, "Hybrid Policy Distillation")
    assert hybrid.urls == ("https://github.com/zwhong714/Hybrid-Policy-Distillation",)
    nonasym = _by_title(_seed(seeds_dir, "000"), "Non-Asymptotic")
    assert "$\\mathsf{f}$" in nonasym.title


def test_seed_by_year(seeds_dir):
    page = _seed(seeds_dir, "003")
    assert collections.Counter(p.year for p in page.papers) == {2026: 3, 2025: 5, 2024: 1, 2023: 2, 2022: 3}
    assert all(p.title_inferred and p.date is None and p.author_names == () for p in page.papers)
    assert all(p.authors == (AuthorRef(name=page.profile.name, inferred=True),) for p in page.papers)
    assert page.papers[0].title == "PerSyn: Personalized data Synthesis"
    assert all(0 < len(p.title) <= 100 for p in page.papers)
    assert page.papers[1].urls == ("https://github.com/MasterVito/DAC-RL",)


def test_examples_parse_cleanly():
    pages = list(iter_pages([EXAMPLES], as_of=AS_OF))
    layouts = collections.Counter(p.profile.layout for p in pages)
    assert layouts["listing"] >= 3 and layouts["by-year"] >= 1
    assert all(p.problems == () for p in pages)


# ------------------------------------------------------------- odd input

PAGE = "Ada Lovelace\n\nCL\nh-index3\n\n2 Papers\n\n12.5LGJan 5, 2024Code\nA Title\n\nAda Lovelace, Charles Babbage et al. · cmu, uw\n\nAn abstract https://example.org/x.\n\nCLFeb 2\nSecond\n\nCharles Babbage\n\nText."


def test_crlf_bom_trailing_spaces_equal_plain():
    plain = parse_profile_text(PAGE, "p.txt", as_of=AS_OF)
    messy = "\ufeff" + "\r\n".join(line + "  " for line in PAGE.split("\n"))
    assert parse_profile_text(messy, "p.txt", as_of=AS_OF) == plain
    assert plain.problems == ()
    assert plain.papers[0].urls == ("https://example.org/x",)
    assert plain.papers[1].date == dt.date(2026, 2, 2)


def test_missing_blank_lines_and_metrics():
    squeezed = "\n".join(line for line in PAGE.split("\n") if line and line not in ("h-index3", "CL"))
    result = parse_profile_text(squeezed, "p.txt", as_of=AS_OF)
    assert [p.title for p in result.papers] == ["A Title", "Second"]
    assert result.profile.h_index is None and result.profile.primary_category is None
    assert result.problems == ()


def test_card_without_abstract_and_zero_cards():
    page = "Ada Lovelace\n\nLGJan 5, 2024\nOnly a title\n\nAda Lovelace\n\nLGJan 6, 2024\nNext\n\nX Y"
    result = parse_profile_text(page, "p.txt", as_of=AS_OF)
    assert [(p.title, p.abstract) for p in result.papers] == [("Only a title", None), ("Next", None)]
    empty = parse_profile_text("Ada Lovelace\n\nCL\nh-index3", "p.txt", as_of=AS_OF)
    assert empty.papers == () and empty.problems == () and empty.profile.h_index == 3


def test_unreadable_lines_become_problems_and_rest_parses():
    page = "Ada Lovelace\n\nh-index3\n???\n\nLGJan 5, 2024\nT\n\nA B\n\nAbstract.\nstray line\n\nLGFeb 30, 2024\nBad date\n\nLGJan 6, 2024\nT2\n\nC D"
    result = parse_profile_text(page, "p.txt", as_of=AS_OF)
    # an impossible date costs the card its day, not the card (session 15): the year is kept
    assert [(p.title, p.year, p.date) for p in result.papers] == [
        ("T", 2024, dt.date(2024, 1, 5)), ("Bad date", 2024, None), ("T2", 2024, dt.date(2024, 1, 6))]
    lines = {p.line: p.message for p in result.problems}
    assert 4 in lines and "unrecognised" in lines[4]
    assert 12 in lines and "unexpected line" in lines[12]
    assert [p.message for p in result.problems if p.line == 14] == [
        "card header with an impossible date (no day 30 in February 2024); read the year 2024 only: 'LGFeb 30, 2024'",
        "card has no authors line"]


def test_announced_count_mismatch_is_reported():
    page = "Ada Lovelace\n\n3 Papers\n\nLGJan 5, 2024\nT\n\nA B"
    (problem,) = parse_profile_text(page, "p.txt", as_of=AS_OF).problems
    assert problem.line == 3 and "announces 3 papers but has 1" in problem.message


def test_card_header_greedy_trap():
    header = parse_card_header("99.5SEMar 11", AS_OF)
    assert header == {"score": 99.5, "category": "SE", "date": dt.date(2026, 3, 11), "has_code": False}
    assert parse_card_header("CSEMar 11, 2020Code", AS_OF)["category"] == "CSE"
    assert parse_card_header("Dec 24", AS_OF) is None  # no category
    assert parse_card_header("CLDec 24", AS_OF)["date"] == dt.date(2025, 12, 24)  # not in the future


def test_binary_empty_non_utf8_and_mixed_directory(tmp_path):
    (tmp_path / "good.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin1.txt").write_bytes("Ada\n\nJos\xe9".encode("latin-1"))
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "more.txt").write_text(PAGE, encoding="utf-8")
    pages = list(iter_pages([tmp_path, tmp_path / "missing.txt"], as_of=AS_OF))
    problems = {Path(p.source).name: p.problems for p in pages if p.problems}
    assert set(problems) == {"binary.txt", "empty.txt", "latin1.txt", "notes.pdf", "missing.txt"}
    assert "binary" in problems["binary.txt"][0].message and problems["binary.txt"][0].line == 3
    assert "UTF-8" in problems["latin1.txt"][0].message and problems["latin1.txt"][0].line == 3
    assert sum(len(p.papers) for p in pages) == 4



def test_folder_without_pages_is_reported(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "only-pdfs").mkdir()
    (tmp_path / "only-pdfs" / "cv.pdf").write_bytes(b"%PDF-1.4")
    pages = list(iter_pages([tmp_path / "empty", tmp_path / "only-pdfs"], as_of=AS_OF))
    messages = {Path(p.source).name: [x.message for x in p.problems] for p in pages}
    assert messages["empty"] == messages["only-pdfs"]
    assert messages["empty"][0].startswith("no input files in this folder") and ".bib" in messages["empty"][0]
    assert messages["cv.pdf"] == ["no reader for .pdf files; skipped (use --from FORMAT to force one)"]
    result = CliRunner().invoke(app, ["build", str(tmp_path / "empty"), "--out", str(tmp_path / "out"), "--strict"])
    assert result.exit_code == 1 and "no input files in this folder" in result.output

def test_derive_title_shapes():
    assert derive_title("We introduce Chain-of-Reasoning (CoR), a unified framework for reasoning.") == (
        "Chain-of-Reasoning (CoR): a unified framework for reasoning"
    )
    assert derive_title("In this work, we propose a novel task of Trans-Lingual Definition Generation (TLDG), which x.") == (
        "TLDG: Trans-Lingual Definition Generation"
    )
    assert derive_title("we propose an end-to-end reinforcement learning (RL) framework to do it.").startswith("we propose an end")
    long = derive_title("word " * 80)
    assert len(long) <= 100


# -------------------------------------------------------------- properties


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_never_raises_on_text(text):
    result = parse_profile_text(text, "fuzz.txt", as_of=AS_OF)
    assert all(p.source == "fuzz.txt" for p in result.problems)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_never_raises_on_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "page.txt"
    path.write_bytes(data)
    result = read_page(str(path), as_of=AS_OF)
    assert result.source == str(path)


_word = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=2, max_size=8).map(str.title)
_name = st.builds(lambda a, b: f"{a} {b}", _word, _word).filter(lambda n: not _is_institution(n))  # "Aa Hospital" is no person
_title = st.lists(_word, min_size=1, max_size=8).map(" ".join)
_date = st.dates(min_value=dt.date(1990, 1, 1), max_value=AS_OF)
_slug = st.sampled_from(["cmu", "uw", "pku", "meta-ai", "allen-ai", "openai"])


@st.composite
def listing_records(draw):
    owner = draw(_name)
    n_papers = draw(st.integers(0, 6))
    profile = Profile(
        name=owner,
        primary_category=draw(st.none() | st.sampled_from(["CL", "LG", "CV"])),
        h_index=draw(st.none() | st.integers(0, 300)),
        # the owner's total, never below the cards the page lists (a lower one is reported since session 15)
        paper_count=draw(st.none() | st.integers(n_papers, 5000)),
        citations=draw(st.none() | st.integers(0, 10**7)),
        novelty=draw(st.none() | st.integers(0, 100).map(float)),
        ai_score=draw(st.none() | st.floats(0, 100).map(lambda x: round(x, 1))),
        layout="listing",
        source="gen.txt",
    )
    papers = []
    for _ in range(n_papers):
        date = draw(_date)
        abstract = draw(st.none() | _title.map(lambda t: t + " https://example.org/code"))
        papers.append(
            dict(
                owner=owner,
                title=draw(_title),
                date=date,
                year=date.year,
                category=draw(st.sampled_from(["CL", "LG", "SE", "AI", "STAT"])),
                score=draw(st.none() | st.integers(10, 999).map(lambda x: x / 10)),
                has_code=draw(st.booleans()),
                abstract=abstract,
                urls=("https://example.org/code",) if abstract else (),
                authors=tuple(draw(st.lists(_name, min_size=1, max_size=4))),
                authors_truncated=draw(st.booleans()),
                institutions=tuple(draw(st.lists(_slug, max_size=3, unique=True))),
                source="gen.txt",
            )
        )
    return profile, papers


@settings(max_examples=150, deadline=None)
@given(listing_records())
def test_listing_round_trip(records):
    profile, papers = records
    page = format_listing_page(profile, [PaperRecord(line=0, **p) for p in papers], as_of=AS_OF)
    result = parse_profile_text(page, "gen.txt", as_of=AS_OF)
    assert result.problems == ()
    assert result.profile == profile
    expected = [PaperRecord(line=0, source_format="profile", **{**p, "authors": with_inferred_owner(p["authors"], p["owner"])})
                for p in papers]
    assert [p.model_dump(exclude={"line"}) for p in result.papers] == [p.model_dump(exclude={"line"}) for p in expected]


@settings(max_examples=100, deadline=None)
@given(_name, st.lists(st.tuples(st.integers(1990, 2026), _title), min_size=1, max_size=8))  # an empty by-year page looks like an empty listing
def test_by_year_round_trip(owner, entries):
    profile = Profile(name=owner, layout="by-year", source="gen.txt")
    papers = [
        PaperRecord(owner=owner, title=derive_title(text + "."), title_inferred=True, year=year, abstract=text + ".", source="gen.txt", line=0)
        for year, text in entries
    ]
    result = parse_profile_text(format_by_year_page(profile, papers), "gen.txt", as_of=AS_OF)
    assert result.problems == ()
    assert result.profile == profile
    expected = sorted((p.year, p.abstract, p.title) for p in papers)
    assert sorted((p.year, p.abstract, p.title) for p in result.papers) == expected


# ------------------------------------------ the registry and file access (#10, #12 items 4, 7, 12)

import gzip  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402

from graphkit.readers.registry import iter_inputs, read_input  # noqa: E402


@pytest.fixture
def no_hang():
    """Fail instead of hanging forever if something opens a FIFO for reading."""
    def alarm(*_):
        raise TimeoutError("reading blocked: a FIFO was opened")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _messages(paths, **kw):
    return {Path(p.source).name: [x.message for x in p.problems] for p in iter_pages(paths, as_of=AS_OF, **kw)}


def test_fifo_in_a_folder_and_named_directly_is_reported_never_opened(tmp_path, no_hang):
    (tmp_path / "good.txt").write_text(PAGE, encoding="utf-8")
    os.mkfifo(tmp_path / "x.txt")
    messages = _messages([tmp_path, tmp_path / "x.txt"])
    assert messages["x.txt"] == ["a FIFO (named pipe), not a regular file"]  # named directly: precise
    pages = list(iter_pages([tmp_path], as_of=AS_OF))
    assert [p.problems[0].message for p in pages if p.source.endswith("x.txt")] == ["a FIFO (named pipe), not a regular file; skipped"]
    assert sum(len(p.papers) for p in pages) == 2


def test_symlink_loop_missing_file_and_folder_named_directly(tmp_path):
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "dangling.bib").symlink_to(tmp_path / "nowhere.bib")
    messages = _messages([tmp_path / "loop.txt", tmp_path / "dangling.bib", tmp_path / "missing.txt"])
    assert messages["loop.txt"] == ["symlink loop (the link never reaches a file)"]
    assert messages["dangling.bib"][0].startswith("broken symlink")
    assert messages["missing.txt"] == ["no such file or directory"]
    walked = _messages([tmp_path])  # inside a folder too
    assert walked["loop.txt"] == ["symlink loop (the link never reaches a file)"]


def test_deeply_nested_folder_has_no_recursion_limit(tmp_path):
    deep = tmp_path
    for _ in range(990):  # os.makedirs itself recurses: one level at a time
        deep = deep / "d"
        deep.mkdir()
    (deep / "page.txt").write_text(PAGE, encoding="utf-8")
    try:
        pages = list(iter_pages([tmp_path], as_of=AS_OF))
        assert [len(p.papers) for p in pages] == [2] and pages[0].problems == ()
    finally:  # pytest's own clean-up (shutil.rmtree) recurses: take the tree down level by level
        (deep / "page.txt").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


def test_utf16_and_gzip_pages_are_read(tmp_path):
    (tmp_path / "le.txt").write_bytes(PAGE.encode("utf-16"))  # with a byte-order mark
    (tmp_path / "be.txt").write_bytes(b"\xfe\xff" + PAGE.encode("utf-16-be"))
    (tmp_path / "zipped.txt.gz").write_bytes(gzip.compress(PAGE.encode("utf-8")))
    (tmp_path / "cut.txt.gz").write_bytes(gzip.compress(PAGE.encode("utf-8") * 50)[:60])
    pages = {Path(p.source).name: p for p in iter_pages([tmp_path], as_of=AS_OF)}
    for name in ("le.txt", "be.txt", "zipped.txt.gz"):
        assert pages[name].problems == () and len(pages[name].papers) == 2 and pages[name].profile.name == "Ada Lovelace"
    assert any("truncated gzip" in p.message for p in pages["cut.txt.gz"].problems)


def test_registry_chooses_by_from_suffix_and_sniffing(tmp_path):
    (tmp_path / "refs.bib").write_text("@inproceedings{k,\n  title={A Paper},\n  author={Lee, Kenton},\n  year={2018}\n}\n")
    (tmp_path / "refs.txt").write_text("@article{j,\n  title={Another},\n  author={Levy, Omer},\n  year={2019}\n}\n")
    (tmp_path / "works.json").write_text('{"id": "https://openalex.org/W1", "title": "T", "authorships": []}')
    (tmp_path / "items.json").write_text('[{"type": "article-journal", "title": "C", "author": [{"family": "Lee", "given": "K"}]}]')
    (tmp_path / "mystery.json").write_text('{"hello": "world"}')
    chosen = {Path(i.path).name: (i.format, i.how) for i in iter_inputs([tmp_path])}
    assert chosen == {"refs.bib": ("bibtex", "suffix"), "refs.txt": ("bibtex", "sniffed"),
                      "works.json": ("openalex", "sniffed"), "items.json": ("csl-json", "sniffed"),
                      "mystery.json": (None, "")}
    (mystery,) = [i for i in iter_inputs([tmp_path / "mystery.json"])]
    assert mystery.problem.message.startswith("no reader recognises this .json file (tried")
    # refs.bib is never read as a profile page called "@inproceedings{..."
    things = list(read_input(next(iter_inputs([tmp_path / "refs.bib"]))))
    assert [type(t).__name__ for t in things] == ["PaperRecord"] and things[0].source_format == "bibtex"
    forced = {Path(i.path).name: (i.format, i.how) for i in iter_inputs([tmp_path / "refs.bib"], forced="ris")}
    assert forced == {"refs.bib": ("ris", "--from")}


def test_out_of_range_metrics_dates_and_headings_are_problems(tmp_path):
    page = ("Ada Lovelace\n\nh-index" + "9" * 30 + "\n" + "1" * 30 + "citations\nNovelty" + "1" * 27 + "%\nAI Score101\n\n"
            "2 Papers\n\nCLMar 1, 0001\nOld\n\nA B\n\nx\n\nCLMar 1, 9999\nFuture\n\nA B\n\nx\n\nCLMar 1, 2020\nGood\n\nA B\n\nx")
    result = parse_profile_text(page, "m.txt", as_of=AS_OF)
    assert (result.profile.h_index, result.profile.citations, result.profile.novelty, result.profile.ai_score) == (None,) * 4
    lines = {p.line: p.message for p in result.problems}
    assert "h index out of range" in lines[3] and "citations out of range" in lines[4]
    assert "novelty out of range" in lines[5] and "ai score out of range" in lines[6]
    assert "year 1 is before 1800" in lines[10] and "year 9999 is after the as-of year" in lines[17]
    # a card with an impossible year is kept without one (session 15); one after the as-of year is skipped
    assert [(p.title, p.year, p.date) for p in result.papers] == [("Old", None, None), ("Good", 2020, dt.date(2020, 3, 1))]
    by_year = parse_profile_text("Ada Lovelace\n\n2024\n\nWe propose X.\n\n0000\n\nY.\n\n9999\n\nZ.", "b.txt", as_of=AS_OF)
    assert [(p.year, p.abstract) for p in by_year.papers] == [(2024, "We propose X.")]
    assert [p.line for p in by_year.problems] == [7, 9, 11, 13]
    # and a build of it neither overflows the store's integers nor hides the problems
    (tmp_path / "m.txt").write_text(page, encoding="utf-8")
    strict = CliRunner().invoke(app, ["build", str(tmp_path / "m.txt"), "--out", str(tmp_path / "out"), "--strict",
                                      "--as-of", "2026-11-21"])
    assert strict.exit_code == 1 and "h index out of range" in strict.output and "Traceback" not in strict.output


def test_alias_file_with_bom_is_accepted_and_non_utf8_is_one_line(tmp_path):
    from graphkit.exceptions import InputError
    from graphkit.resolve.institutions import load_alias_table

    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffalias,canonical\nskunk,Skunk Works\n".encode("utf-8"))
    assert load_alias_table(bom).canonical("skunk") == "Skunk Works"
    latin = tmp_path / "latin.csv"
    latin.write_bytes("alias,canonical\nzurich,Universit\xe4t Z\xfcrich\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin.csv:2: alias table is not UTF-8 text"):
        load_alias_table(latin)
    (tmp_path / "p.txt").write_text(PAGE, encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(tmp_path / "p.txt"), "--out", str(tmp_path / "out"), "--aliases", str(latin)])
    assert result.exit_code != 0 and "not UTF-8" in result.output and "Traceback" not in result.output


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), gz=st.booleans())
def test_registry_never_raises_on_bytes_whatever_the_reader(tmp_path_factory, data, gz):
    from graphkit.models import PaperRecord, Problem, Profile
    from graphkit.readers.registry import available_formats

    folder = tmp_path_factory.mktemp("anybytes")
    path = folder / ("input.json.gz" if gz else "input.json")
    path.write_bytes(gzip.compress(data) if gz else data)
    for fmt in [None, *available_formats()]:
        for item in iter_inputs([path], forced=fmt, choose=False):
            things = list(read_input(item, as_of=AS_OF))
            assert all(isinstance(t, (PaperRecord, Problem, Profile)) for t in things)
            failed = [t for t in things if isinstance(t, Problem) and "reader failed" in t.message]
            assert failed == [], failed  # a reader bug, caught by the registry's last wall
