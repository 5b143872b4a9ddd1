"""Profile pages from the QA-5 report: lines a card or a page holds besides the documented ones.

- A line right under a card's title (a venue, the title's second line) is not the authors line when the
  authors line follows it; it is read as the venue or the title and reported.
- An affiliation in brackets beside a name is the author's affiliation, an ORCID their id, an email left
  out (reported); an institution in the list of names is the paper's, never a person.
- The owner line may carry a title, a degree, a badge, an affiliation, ``Family, Given`` order or a name
  in two scripts; the owner is found in the cards all the same (``van der Berg A`` too), never twice.
- Site text (skip links, cookie notices, breadcrumbs, footers) is skipped and counted, never an owner or a paper.
- A page cut inside its last authors line is reported; a cut name is not an author.
- By-year headings with decoration (``\u2014 2020 \u2014``, ``2019 \u00b7 1 paper``); a stray line before the first heading
  does not make the page a listing.
- Card dates in other forms (``March 3, 2024``, ``21 Apr 2025``, ``CL2024``, ``2 days ago``, ``cs.CL``); dates
  after the as-of date are problems, years after the as-of year too.
- No-break spaces and tabs in titles, names and metrics are spaces.

Every page is a real file read by the real ``graphkit extract`` or ``graphkit build`` (typer's runner).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.models import PaperRecord
from graphkit.readers.profile import parse_compact, parse_profile
from graphkit.resolve.records import compact
from graphkit.store import EmbeddedStore

AS_OF = dt.date(2026, 11, 22)
runner = CliRunner()


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def extract(target: Path, *, as_of: dt.date = AS_OF):
    """``graphkit extract --format json``: (profiles, papers, problem lines of stderr without the file name)."""
    result = runner.invoke(app, ["extract", str(target), "--format", "json", "--as-of", as_of.isoformat()])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    problems = [line.removeprefix(f"problem: {target}") for line in result.stderr.splitlines() if line.startswith("problem: ")]
    return ([o for o in objects if o["type"] == "profile"], [o for o in objects if o["type"] == "paper"], problems)


def authors(paper: dict) -> list[tuple[str, int | None, bool]]:
    return [(a["name"], a["position"], a["inferred"]) for a in paper["authors"]]


def build(folder: Path, out: Path) -> EmbeddedStore:
    result = runner.invoke(app, ["build", str(folder), "--out", str(out), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return EmbeddedStore(out)


def author_papers(store: EmbeddedStore) -> dict[str, int]:
    rows = store.query("MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN a.name AS a, count(p) AS n")
    return {r["a"]: r["n"] for r in rows}


def same_through_the_compact_path(text: str) -> None:
    """What a build reads (compact records) equals the extracted records, compacted."""
    data = text.encode()
    slow = list(parse_profile(io.BytesIO(data), "p.txt", as_of=AS_OF))
    fast = list(parse_compact(io.BytesIO(data), "p.txt", as_of=AS_OF, shared={}))
    assert [compact(x) if isinstance(x, PaperRecord) else x for x in slow] == fast


# ------------------------------------------------------- D1: the line under the title

UNDER_TITLE = """Omar Al-Farsi

CL

3 Papers

CLJun 2, 2023
Attention Is Not All You Need, Again
Proceedings of ACL 2023, Toronto, Canada, pp. 1-10

Omar Al-Farsi, Lin Chen

Abstract one.

CLJun 4, 2025
A Very Long Title That Wraps
Onto a Second Line

Lin Chen, Omar Said

Abstract two.

CLJun 5, 2025
Title Without A Blank
Lin Chen, Omar Al-Farsi

Abstract three."""


def test_a_line_under_the_title_is_the_venue_or_the_title_and_the_authors_stay_authors(tmp_path):
    _, papers, problems = extract(write(tmp_path, "omar.txt", UNDER_TITLE))
    assert [(p["title"], p["venue"], p["abstract"]) for p in papers] == [
        ("Attention Is Not All You Need, Again", "Proceedings of ACL 2023, Toronto, Canada, pp. 1-10", "Abstract one."),
        ("A Very Long Title That Wraps Onto a Second Line", None, "Abstract two."),
        ("Title Without A Blank", None, "Abstract three."),  # authors right under the title still read as before
    ]
    assert [authors(p) for p in papers] == [
        [("Omar Al-Farsi", 0, False), ("Lin Chen", 1, False)],
        [("Lin Chen", 0, False), ("Omar Said", 1, False), ("Omar Al-Farsi", None, True)],
        [("Lin Chen", 0, False), ("Omar Al-Farsi", 1, False)],
    ]
    assert problems == [
        ":9: line under the title read as the venue (the authors line follows): "
        "'Proceedings of ACL 2023, Toronto, Canada, pp. 1-10'",
        ":17: line under the title read as the title's second line (the authors line follows): 'Onto a Second Line'",
    ]
    same_through_the_compact_path(UNDER_TITLE)


def test_no_author_is_made_of_a_venue_or_a_title_line(tmp_path):
    write(tmp_path / "in", "omar.txt", UNDER_TITLE)
    counts = author_papers(build(tmp_path / "in", tmp_path / "g"))
    assert counts == {"Omar Al-Farsi": 3, "Lin Chen": 3, "Omar Said": 1}


# ------------------------------------------------ D2: what is written beside a name

BESIDE_NAMES = """Wei Zhang

LG

3 Papers

AIFeb 28, 2021
Email and ORCID Paper

Ludwig van Beethoven, Wei Zhang (wzhang@example.org), Maria Curie https://orcid.org/0000-0002-1825-0097

Abstract one.

AIFeb 2, 2021
Affiliation inline

Wei Zhang (Tsinghua University, Beijing), Tom Li [MIT], Sara Khan, University of Toronto

Abstract two.

AIFeb 3, 2021
Emails after

Wei Zhang, Tom Li \u00b7 tsinghua, mit \u00b7 wzhang@tsinghua.edu.cn

Abstract three."""


def test_affiliations_orcids_and_emails_are_no_part_of_a_name(tmp_path):
    _, papers, problems = extract(write(tmp_path, "wei.txt", BESIDE_NAMES))
    assert [authors(p) for p in papers] == [
        [("Ludwig van Beethoven", 0, False), ("Wei Zhang", 1, False), ("Maria Curie", 2, False)],
        [("Wei Zhang", 0, False), ("Tom Li", 1, False), ("Sara Khan", 2, False)],
        [("Wei Zhang", 0, False), ("Tom Li", 1, False)],
    ]
    assert papers[0]["authors"][2]["ids"] == ["orcid:0000-0002-1825-0097"]
    assert [[a["name"] for a in author["affiliations"]] for author in papers[1]["authors"]] == [
        ["Tsinghua University, Beijing"], ["MIT"], []]
    assert [[i["name"] for i in p["institutions"]] for p in papers] == [[], ["University of Toronto"], ["tsinghua", "mit"]]
    assert problems == [
        ":10: authors line: the address 'wzhang@example.org' beside 'Wei Zhang' left out",
        ":17: authors line: 'University of Toronto' is an institution, not a person; kept as the paper's institution",
        ":24: authors line: 'wzhang@tsinghua.edu.cn' after ' \u00b7 ' is not an institution (an address); left out",
    ]
    same_through_the_compact_path(BESIDE_NAMES)


def test_the_owner_with_an_affiliation_is_one_author_and_no_institution_is_a_person(tmp_path):
    write(tmp_path / "in", "wei.txt", BESIDE_NAMES)
    store = build(tmp_path / "in", tmp_path / "g")
    counts = author_papers(store)
    assert counts["Wei Zhang"] == 3 and counts["Maria Curie"] == 1 and counts["Tom Li"] == 2
    assert not [name for name in counts if "(" in name or "[" in name or "University" in name]
    rows = store.query("MATCH (a:Author) WHERE a.name = 'Maria Curie' RETURN a.orcid AS orcid")
    assert [r["orcid"] for r in rows] == ["0000-0002-1825-0097"]


# --------------------------------------------------------------- D3, D4, D14: the owner


def owner_page(owner_line: str, authors_line: str = "Jane Smith, Bob Stone") -> str:
    return f"{owner_line}\n\nCL\n\n1 Papers\n\nCLJun 2, 2025\nOwner Test\n\n{authors_line}\n\nAn abstract."


def test_the_owner_line_may_carry_a_title_a_degree_a_badge_or_family_given_order(tmp_path):
    for i, line in enumerate(["Dr. Jane Smith", "Prof. Jane Smith", "Jane Smith, PhD", "Smith, Jane", "Jane Smith \u2713"]):
        profiles, papers, problems = extract(write(tmp_path, f"jane{i}.txt", owner_page(line)))
        assert [p["name"] for p in profiles] == ["Jane Smith"], line
        assert [authors(p) for p in papers] == [[("Jane Smith", 0, False), ("Bob Stone", 1, False)]], line
        assert problems == [], line


def test_what_the_owner_line_holds_besides_the_name_is_reported(tmp_path):
    profiles, papers, problems = extract(write(tmp_path, "jane.txt", owner_page("Jane Smith \u00b7 MIT")))
    assert [p["name"] for p in profiles] == ["Jane Smith"]
    assert [authors(p) for p in papers] == [[("Jane Smith", 0, False), ("Bob Stone", 1, False)]]
    assert problems == [":1: owner line: 'MIT' after the name is not kept (a profile holds no affiliation)"]

    page = "\u5f20\u4f1f (Wei Zhang)\n\n2025\n\nWe propose FooNet (Fast object ordering Network), a method for sorting."
    profiles, papers, problems = extract(write(tmp_path, "wei.txt", page))
    assert [p["name"] for p in profiles] == ["Wei Zhang"]
    assert [authors(p) for p in papers] == [[("Wei Zhang", None, True)]]
    assert problems == [":1: owner line: read as 'Wei Zhang', the form in Latin letters the cards use; "
                        "'\u5f20\u4f1f' is not kept"]


def test_the_owner_is_never_a_coauthor_of_themself(tmp_path):
    write(tmp_path / "in", "jane.txt", owner_page("Dr. Jane Smith"))
    store = build(tmp_path / "in", tmp_path / "g")
    assert author_papers(store) == {"Jane Smith": 1, "Bob Stone": 1}
    rows = store.query("MATCH (a:Author)-[:COAUTHORED]-(b:Author) RETURN a.name AS a, b.name AS b")
    assert sorted((r["a"], r["b"]) for r in rows) == [("Bob Stone", "Jane Smith"), ("Jane Smith", "Bob Stone")]


def test_the_owner_written_family_then_initials_is_the_owner(tmp_path):
    page = owner_page("Alexander van der Berg", "Smith B, van der Berg A")
    _, papers, problems = extract(write(tmp_path, "alex.txt", page))
    assert [authors(p) for p in papers] == [[("Smith B", 0, False), ("Alexander van der Berg", 1, False)]]
    page = owner_page("Alexander van der Berg", "Smith B, van der Berg C")  # another initial: someone else
    _, papers, _ = extract(write(tmp_path, "other.txt", page))
    assert authors(papers[0])[-1] == ("Alexander van der Berg", None, True)


NAVIGATION = """Skip to main content
Accept all cookies  Reject  Manage preferences
Home > Authors > Madonna

Madonna

h-index: 12
1\u00a0234citations

1 Papers

CLJan 5, 2024
Paper One: A Study

Madonna, Prince et al.

Abstract one.

\u00a9 2026 ProfileSite \u00b7 Privacy \u00b7 Terms"""


def test_site_text_above_the_name_is_not_the_owner(tmp_path):
    profiles, papers, problems = extract(write(tmp_path, "madonna.txt", NAVIGATION))
    assert [(p["name"], p["h_index"], p["citations"]) for p in profiles] == [("Madonna", 12, 1234)]
    assert [authors(p) for p in papers] == [[("Madonna", 0, False), ("Prince", 1, False)]]
    assert ":1: 4 lines of site text (navigation, cookie notice, footer) skipped ('Skip to main content', " \
           "'Accept all cookies  Reject  Manage preferences', 'Home > Authors > Madonna', ...)" in problems
    assert not [p for p in problems if "unrecognised" in p or "unexpected" in p]


# ----------------------------------------------------------------- D6: a page cut short

CUT = """Lena Schmidt

CV

2 Papers

CVJan 3, 2025
Complete Card

Lena Schmidt, Paul Roth

Abstract.

CVFeb 4, 2024
Truncated Card Title

Paul Roth, Lena Sch"""


def test_a_page_cut_inside_an_authors_line_is_reported_and_the_cut_name_is_no_author(tmp_path):
    _, papers, problems = extract(write(tmp_path, "lena.txt", CUT))
    assert authors(papers[1]) == [("Paul Roth", 0, False), ("Lena Schmidt", None, True)]
    assert problems == [":17: page ends inside the authors line of the card at line 14: the page is cut there; "
                        "the last name 'Lena Sch' is the start of a longer name on the page, left out"]
    other = CUT.replace("Paul Roth, Lena Sch", "Paul Roth, Lena Schmidt")  # a whole name at the end is no cut
    _, papers, problems = extract(write(tmp_path, "whole.txt", other))
    assert authors(papers[1]) == [("Paul Roth", 0, False), ("Lena Schmidt", 1, False)] and problems == []


# ------------------------------------------------------------------ D7, D8, D9: by year

BY_YEAR = """Nguyen Van An

An abstract before any year heading, we propose X.

2022 (1)

We propose ZipLM (Zipped Language Models), a compression method.

\u2014 2020 \u2014

Abstract in a fancy heading year, with a sentence.

2019 \u00b7 1 paper

Abstract in a dotted heading year, with a sentence.

We use cookies to improve your experience. By continuing to browse this site, you agree to our use of cookies.
Accept all
\u00a9 2026 ProfileSite, Inc. All rights reserved. Privacy Policy \u00b7 Terms of Service"""


def test_by_year_headings_with_decoration_and_no_site_text_as_papers(tmp_path):
    profiles, papers, problems = extract(write(tmp_path, "an.txt", BY_YEAR))
    assert [p["layout"] for p in profiles] == ["by-year"]
    assert [(p["line"], p["year"]) for p in papers] == [(7, 2022), (11, 2020), (15, 2019)]
    assert problems == [
        ":3: text before the first year heading: 'An abstract before any year heading, we propose X.'",
        ":17: 3 lines of site text (navigation, cookie notice, footer) skipped ('We use cookies to improve your "
        "experience. By continuing to ', 'Accept all', '\u00a9 2026 ProfileSite, Inc. All rights reserved. Privacy Policy')",
    ]


def test_a_by_year_heading_after_the_as_of_year_is_a_problem(tmp_path):
    page = "Ada Lovelace\n\n2027\n\nWe propose the Engine, a machine.\n\n2026\n\nWe propose the Mill, a machine."
    _, papers, problems = extract(write(tmp_path, "ada.txt", page), as_of=dt.date(2026, 3, 1))
    assert [p["year"] for p in papers] == [2026]
    assert problems[0] == ":3: year heading 2027 is after the as-of year 2026; its entries are skipped"


# ---------------------------------------------------------------- D10, D12: card dates


def dated_page(*headers: str) -> str:
    cards = [f"{h}\nTitle {i}\n\nKim Min-jun\n\nAbstract {i}." for i, h in enumerate(headers)]
    return f"Kim Min-jun\n\nCL\n\n{len(cards)} Papers\n\n" + "\n\n".join(cards)


def test_card_headers_with_other_date_forms_keep_their_cards(tmp_path):
    page = dated_page("CLMarch 3, 2024", "CLApr 23 2025", "CL21 Apr 2025", "cs.CLApr 22, 2025", "CL2024",
                      "CL2 days ago", "48.1LGyesterdayCode", "CL3 months ago")
    _, papers, problems = extract(write(tmp_path, "kim.txt", page))
    assert [(p["category"], p["date"], p["year"]) for p in papers] == [
        ("CL", "2024-03-03", 2024), ("CL", "2025-04-23", 2025), ("CL", "2025-04-21", 2025), ("CL", "2025-04-22", 2025),
        ("CL", None, 2024), ("CL", "2026-11-20", 2026), ("LG", "2026-11-21", 2026), ("CL", None, 2026),
    ]
    assert papers[6]["score"] == 48.1 and papers[6]["has_code"] is True
    assert problems == []


def test_card_dates_after_the_as_of_date_or_year_are_problems(tmp_path):
    page = dated_page("CLDec 1, 2026", "CLJan 1, 2027", "CLFeb 1, 2026")
    _, papers, problems = extract(write(tmp_path, "kim.txt", page), as_of=dt.date(2026, 3, 1))
    # a card dated after the as-of year is skipped: the graph as of a date holds no later paper
    assert [(p["date"], p["year"], p["title"]) for p in papers] == [
        ("2026-12-01", 2026, "Title 0"), ("2026-02-01", 2026, "Title 2")]
    assert problems == [
        ":7: card date 2026-12-01 is after the as-of date 2026-03-01: 'CLDec 1, 2026'",
        ":14: card dated after the as-of date (year 2027 is after the as-of year 2026); the card is skipped: "
        "'CLJan 1, 2027'",
    ]


# -------------------------------------------------------------- D15: no-break spaces, tabs


def test_no_break_spaces_and_tabs_are_spaces_in_titles_and_names(tmp_path):
    page = ("Ren\u00e9e Dupont-Moreau\n\nCL\n\n1 Papers\n\nCLApr 21, 2025\nQuestion\u00a0Answering:\tWhy Matters\n\n"
            "Ren\u00e9e Dupont-Moreau,\u00a0Fran\u00e7ois\tL\u00e9ger et\u00a0al.\n\nAbstract one.")
    _, papers, problems = extract(write(tmp_path, "renee.txt", page))
    assert papers[0]["title"] == "Question Answering: Why Matters"
    assert authors(papers[0]) == [("Ren\u00e9e Dupont-Moreau", 0, False), ("Fran\u00e7ois L\u00e9ger", 1, False)]
    assert problems == []
