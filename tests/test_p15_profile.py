"""Profile pages, session 15: what a page says that the reader lost or did not check.

- A card header with an impossible date (``Feb 30, 2021``, month 13 in ``2021-13-01``, a year after the
  as-of year) keeps its card, with its co-authors: the year where the year is plausible, no year where it
  is not; each is a problem naming the file and line.
- A paper count metric (``10papers``, the owner's total) that the cards contradict is a problem: more
  cards than the total always; fewer only where nothing on the page (a paper count heading, a ``Show
  more`` control) says it lists a selection. The shared seeds are consistent and give none.
- An abstract wrapped onto the next line (a sentence carried on from a line as long as a wrapped one, or a
  deeper indent) is joined into the abstract, in both layouts; a labelled line (``Keywords:``), a line
  after a finished sentence and a line under a short one are still reported.

Every page is a real file read by the real ``graphkit extract`` or ``graphkit build`` (typer's runner).
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from graphkit.cli import app
from graphkit.store import EmbeddedStore
from tests.test_p14_profile import AS_OF, extract, runner, same_through_the_compact_path, write


# ------------------------------------------------------------------ 1: impossible card dates

IMPOSSIBLE = """Lea Brandt

CL
h-index4
5papers

5 Papers

LGFeb 30, 2021
Sparse Probes for Dense Retrievers

Lea Brandt, Omar Haddad, Ines Costa

We probe dense retrievers with sparse features.

CL2021-13-01Code
Counting Tokens Twice

Lea Brandt, Jonas Weber

Token counts disagree between tokenizers.

CLFeb 30
Leap Days in Corpora

Lea Brandt, Ines Costa

Dates in corpora are often wrong.

CLMar 3, 2031
A Paper From the Future

Omar Haddad, Lea Brandt

Nothing here can be dated.

CL2024-02-29
Leap Year Retrieval

Lea Brandt, Jonas Weber

A valid leap day."""


def test_cards_with_impossible_dates_are_kept_with_what_the_date_allows(tmp_path):
    path = write(tmp_path, "lea.txt", IMPOSSIBLE)
    _, papers, problems = extract(path)
    assert [(p["title"], p["year"], p["date"]) for p in papers] == [
        ("Sparse Probes for Dense Retrievers", 2021, None),
        ("Counting Tokens Twice", 2021, None),
        ("Leap Days in Corpora", 2026, None),  # no year written: the newest February not after the as-of date
        ("Leap Year Retrieval", 2024, "2024-02-29"),  # the card dated 2031, after the as-of year, is skipped
    ]
    assert [[a["name"] for a in p["authors"]] for p in papers][:3] == [
        ["Lea Brandt", "Omar Haddad", "Ines Costa"], ["Lea Brandt", "Jonas Weber"], ["Lea Brandt", "Ines Costa"]]
    assert papers[1]["has_code"] is True and papers[0]["abstract"] == "We probe dense retrievers with sparse features."
    assert problems == [
        ":9: card header with an impossible date (no day 30 in February 2021); read the year 2021 only: 'LGFeb 30, 2021'",
        ":16: card header with an impossible date (no month 13); read the year 2021 only: 'CL2021-13-01Code'",
        ":23: card header with an impossible date (no day 30 in February); read the year 2026 only (the newest at which "
        "February is not after the as-of date 2026-11-22): 'CLFeb 30'",
        ":30: card dated after the as-of date (year 2031 is after the as-of year 2026); the card is skipped: "
        "'CLMar 3, 2031'",
    ]
    same_through_the_compact_path(IMPOSSIBLE)


def test_a_build_keeps_the_coauthors_of_a_card_with_an_impossible_date(tmp_path):
    write(tmp_path / "pages", "lea.txt", IMPOSSIBLE)
    result = runner.invoke(app, ["build", str(tmp_path / "pages"), "--out", str(tmp_path / "out"),
                                 "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    store = EmbeddedStore(tmp_path / "out")
    rows = store.query("MATCH (p:Paper) RETURN p.title AS title, p.year AS year, p.date AS date")
    assert {r["title"]: (r["year"], r["date"]) for r in rows} == {
        "Sparse Probes for Dense Retrievers": (2021, None), "Counting Tokens Twice": (2021, None),
        "Leap Days in Corpora": (2026, None),
        "Leap Year Retrieval": (2024, dt.date(2024, 2, 29)),
    }
    pairs = store.query("MATCH (a:Author)-[c:COAUTHORED]-(b:Author) WHERE a.name < b.name "
                        "RETURN a.name AS a, b.name AS b, c.papers AS n")
    # Omar Haddad and Ines Costa are known only from cards whose dates are impossible
    assert {(r["a"], r["b"], r["n"]) for r in pairs} == {
        ("Lea Brandt", "Omar Haddad", 1), ("Ines Costa", "Lea Brandt", 2), ("Jonas Weber", "Lea Brandt", 2),
        ("Ines Costa", "Omar Haddad", 1),
    }
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert sum("impossible date" in p["message"] for p in report["problems"]) == 3
    assert sum("the card is skipped" in p["message"] for p in report["problems"]) == 1


# ------------------------------------------------------------------ 2: the paper count metric


def card(i: int) -> str:
    return f"CLApr {i + 1}, 2025\nTitle {i}\n\nNoor Rahman, Aiko Sato\n\nAbstract {i}."


def counted_page(metric: str | None, heading: str | None, cards: int, *, control: str | None = None) -> str:
    head = ["Noor Rahman", "", "CL", "h-index7"] + ([metric] if metric else []) + [""]
    head += [heading, ""] if heading else []
    body = "\n\n".join(card(i) for i in range(cards))
    return "\n".join(head) + "\n" + body + (f"\n\n{control}" if control else "")


@pytest.mark.parametrize("metric, heading, cards, control, expected", [
    # more cards than the owner's total: always a problem
    ("3papers", None, 5, None, [":5: the paper count metric says 3 papers in all but the page has 5 cards"]),
    ("3papers", "5 Papers", 5, None, [":5: the paper count metric says 3 papers in all but the page has 5 cards"]),
    # fewer cards and nothing saying the page lists a selection: cards are missing
    ("12papers", None, 4, None, [":5: the paper count metric says 12 papers but the page has 4 cards, and no paper "
                                 "count heading or 'Show more' control says that it lists only some"]),
    ("1,204papers", None, 2, None, [":5: the paper count metric says 1,204 papers but the page has 2 cards, and no "
                                    "paper count heading or 'Show more' control says that it lists only some"]),
])
def test_a_paper_count_metric_the_cards_contradict_is_a_problem(tmp_path, metric, heading, cards, control, expected):
    path = write(tmp_path, "noor.txt", counted_page(metric, heading, cards, control=control))
    profiles, papers, problems = extract(path)
    assert len(papers) == cards and profiles[0]["paper_count"] == int(metric[:-6].replace(",", ""))
    assert problems == expected


def test_a_page_listing_a_selection_or_all_its_papers_is_no_problem_and_the_seeds_are_consistent(tmp_path, seeds_dir):
    # a heading or a control says the page shows part of the total; a page showing exactly its total is consistent
    for metric, heading, cards, control in [("40papers", "4 Papers", 4, None), ("40papers", None, 4, "Show more"),
                                            ("4papers", None, 4, None), ("4papers", "4 Papers", 4, None)]:
        path = write(tmp_path, "noor.txt", counted_page(metric, heading, cards, control=control))
        problems = extract(path)[2]
        assert problems == ([":35: 1 line of page controls skipped ('Show more')"] if control else []), (metric, heading)
    # the shared seeds give their totals and list them all
    assert extract(seeds_dir)[2] == []
    # a seed whose metric is below its cards, or above them with its heading gone, is reported on the metric's line
    seed = (seeds_dir / "000_36e949c0f2d42f90.txt").read_text(encoding="utf-8")
    assert "\n10papers\n" in seed and "\n10 Papers\n" in seed
    lower = write(tmp_path / "lower", "000.txt", seed.replace("\n10papers\n", "\n8papers\n"))
    assert extract(lower)[2] == [":5: the paper count metric says 8 papers in all but the page has 10 cards"]
    no_heading = write(tmp_path / "no_heading", "000.txt",
                       seed.replace("\n10papers\n", "\n12papers\n").replace("\n10 Papers\n", "\n"))
    assert extract(no_heading)[2] == [":5: the paper count metric says 12 papers but the page has 10 cards, and no "
                                      "paper count heading or 'Show more' control says that it lists only some"]


# ------------------------------------------------------------------ 3: wrapped abstracts

WRAPPED = """Tomas Novak

CL

3 Papers

LGMay 2, 2025
Self-Play Without Data

Tomas Novak, Mei Lin

Self-play has recently emerged as a promising paradigm for training language
models without human data, for example on games and puzzles with rules, e.g.
synthetic games. We study when it helps.
    Gains are largest for small models.

CLJun 9, 2024
Second Card

Tomas Novak

A finished abstract.
Keywords: retrieval, ranking

CLJul 1, 2023
Third Card

Tomas Novak

Another abstract, short
stray line"""


def test_a_wrapped_abstract_is_joined_and_unknown_lines_are_still_reported(tmp_path):
    path = write(tmp_path, "tomas.txt", WRAPPED)
    _, papers, problems = extract(path)
    assert [p["abstract"] for p in papers] == [
        "Self-play has recently emerged as a promising paradigm for training language models without human data, "
        "for example on games and puzzles with rules, e.g. synthetic games. We study when it helps. Gains are largest "
        "for small models.",
        "A finished abstract.",
        "Another abstract, short",
    ]
    assert problems == [
        ":23: unexpected line after the abstract of the card at line 17: 'Keywords: retrieval, ranking'",
        ":31: unexpected line after the abstract of the card at line 25: 'stray line'",
    ]
    same_through_the_compact_path(WRAPPED)


BY_YEAR = """Sofia Reyes

2025

We propose LoomNet, a retriever for long documents that reads them in
overlapping windows and merges the scores.
Large language models forget what they read early in a context
Distillation from several teachers is studied here.
  It helps the student most when the teachers disagree.

2024

We introduce a benchmark of table questions."""


def test_a_wrapped_by_year_entry_is_one_paper(tmp_path):
    path = write(tmp_path, "sofia.txt", BY_YEAR)
    _, papers, problems = extract(path)
    assert [(p["year"], p["abstract"]) for p in papers] == [
        (2025, "We propose LoomNet, a retriever for long documents that reads them in overlapping windows and merges "
               "the scores."),
        # an entry without a full stop is followed by another entry (a capital), not by its own next line
        (2025, "Large language models forget what they read early in a context"),
        (2025, "Distillation from several teachers is studied here. It helps the student most when the teachers disagree."),
        (2024, "We introduce a benchmark of table questions."),
    ]
    assert papers[0]["title"] == "LoomNet: a retriever for long documents that reads them in overlapping windows and merges the scores"
    assert problems == []
    same_through_the_compact_path(BY_YEAR)
    assert not any(re.search(r"\s{2}", p["abstract"]) for p in papers)
