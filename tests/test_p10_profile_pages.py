"""Profile pages as sites really save them: authors lines joined by "and", "&" or ";", footnote marks and
"+3 more"; year headings with counts or colons and page buttons on by-year pages; the owner under initials;
Windows-1252 pages; two paper-count headings.

Every page is a real file read by the real ``graphkit extract`` (typer's runner) or by
:func:`graphkit.readers.profile.read_profile`; ``graphkit build`` where the graph is the point.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.models import PaperRecord, Problem, Profile
from graphkit.readers.profile import read_profile
from graphkit.store import EmbeddedStore

from .conftest import AS_OF

runner = CliRunner()


def extract(folder: Path, *extra: str):
    """``graphkit extract --format json`` on ``folder``: (papers, profiles, problem lines of stderr, exit code)."""
    result = runner.invoke(app, ["extract", str(folder), "--format", "json", "--as-of", AS_OF.isoformat(), *extra])
    assert "Traceback" not in result.output
    objects = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    papers = [o for o in objects if o["type"] == "paper"]
    profiles = [o for o in objects if o["type"] == "profile"]
    problems = [line.removeprefix("problem: ") for line in result.stderr.splitlines() if line.startswith("problem: ")]
    return papers, profiles, problems, result.exit_code


def read(path: Path):
    items = list(read_profile(path, as_of=AS_OF))
    return ([i for i in items if isinstance(i, PaperRecord)], [i for i in items if isinstance(i, Profile)],
            [str(i) for i in items if isinstance(i, Problem)])


def shown(paper: dict) -> list[str]:
    return [a["name"] for a in paper["authors"] if not a["inferred"]]


def inferred(paper: dict) -> list[str]:
    return [a["name"] for a in paper["authors"] if a["inferred"]]


GU = """Albert Gu

LG
h-index38
6papers

6 Papers

LGJun 24, 2022
On the Parameterization and Initialization of Diagonal State Space Models

Albert Gu and Ankit Gupta and Christopher R\u00e9

State space models have recently been shown to be very effective as a deep learning model.

LGOct 31, 2021Code
Efficiently Modeling Long Sequences with Structured State Spaces

Albert Gu, Karan Goel, and Christopher R\u00e9

A central goal of sequence modeling is designing a single principled model for many modalities.

LGMay 31, 2024
Transformers are SSMs: Generalized Models and Efficient Algorithms

Tri Dao; Albert Gu

State-space models have been shown to match Transformers at small to medium scale.

LGJan 10, 2023
Hungry Hungry Hippos: Towards Language Modeling with State Space Models

Daniel Y. Fu, Tri Dao & Khaled K. Saab \u00b7 stanford

State space models have demonstrated state-of-the-art sequence modeling performance.

LGDec 1, 2023Code
Mamba: Linear-Time Sequence Modeling with Selective State Spaces

Albert Gu*, Tri Dao\u2020\u2021

Foundation models are almost universally based on the Transformer architecture.

LGJul 17, 2023
FlashAttention-2: Faster Attention with Better Parallelism and Work Partitioning

Tri Dao\u00b9, Albert Gu\u00b2\u00b3, Christopher R\u00e9\u00a7

Scaling Transformers to longer sequence lengths has been a major problem."""


def test_authors_joined_by_and_ampersand_semicolon_and_with_footnote_marks_are_people(tmp_path):
    # was: one author "Albert Gu and Ankit Gupta and Christopher Ré", one called "and Christopher Ré",
    # "Tri Dao; Albert Gu", "Albert Gu*" beside an inferred "Albert Gu", all with 0 problems
    (tmp_path / "albert-gu.txt").write_text(GU, encoding="utf-8")
    papers, profiles, problems, code = extract(tmp_path, "--strict")
    assert code == 0 and problems == []
    assert [shown(p) for p in papers] == [
        ["Albert Gu", "Ankit Gupta", "Christopher R\u00e9"],
        ["Albert Gu", "Karan Goel", "Christopher R\u00e9"],
        ["Tri Dao", "Albert Gu"],
        ["Daniel Y. Fu", "Tri Dao", "Khaled K. Saab"],
        ["Albert Gu", "Tri Dao"],
        ["Tri Dao", "Albert Gu", "Christopher R\u00e9"],
    ]
    # the owner is inferred only where the shown names omit them
    assert [inferred(p) for p in papers] == [[], [], [], ["Albert Gu"], [], []]
    assert [p["authors_truncated"] for p in papers] == [False] * 6
    assert papers[3]["institutions"][0]["name"] == "stanford"


def test_and_inside_a_name_is_not_a_separator(tmp_path):
    page = ("Anand Kumar\n\n1 Papers\n\nCLMar 3, 2021\nRetrieval for Everyone\n\n"
            "Anand Kumar, Ferdinand Sandberg and Andrea Anderson\n\nWe retrieve.")
    (tmp_path / "anand.txt").write_text(page, encoding="utf-8")
    papers, _, problems = read(tmp_path / "anand.txt")
    assert problems == []
    assert papers[0].author_names == ("Anand Kumar", "Ferdinand Sandberg", "Andrea Anderson")


def test_more_and_ellipsis_mark_a_truncated_list_not_an_author(tmp_path):
    page = """Albert Gu

LG

5 Papers

LGOct 26, 2021
Combining Recurrent, Convolutional, and Continuous-time Models with Linear State-Space Layers

Albert Gu, Isys Johnson, Karan Goel, +3 more

Recurrent neural networks are popular families of deep learning models for time-series data.

LGAug 17, 2020
HiPPO: Recurrent Memory with Optimal Polynomial Projections

Albert Gu, Tri Dao, Stefano Ermon, \u2026

A central problem in learning from sequential data is representing cumulative history.

LGAug 18, 2020
A Third Card

Tri Dao, Stefano Ermon, ...

Some abstract.

LGAug 19, 2020
A Fourth Card

Tri Dao, \u2026, Christopher R\u00e9 \u00b7 stanford

Some abstract.

LGAug 20, 2020
A Fifth Card

Tri Dao and 4 others

Some abstract."""
    (tmp_path / "gu.txt").write_text(page, encoding="utf-8")
    papers, _, problems, code = extract(tmp_path, "--strict")
    assert code == 0 and problems == []
    assert [shown(p) for p in papers] == [
        ["Albert Gu", "Isys Johnson", "Karan Goel"],
        ["Albert Gu", "Tri Dao", "Stefano Ermon"],
        ["Tri Dao", "Stefano Ermon"],
        ["Tri Dao", "Christopher R\u00e9"],
        ["Tri Dao"],
    ]
    assert all(p["authors_truncated"] for p in papers)
    assert [inferred(p) for p in papers] == [[], [], ["Albert Gu"], ["Albert Gu"], ["Albert Gu"]]


def test_parts_that_are_not_names_are_reported_with_file_and_line(tmp_path):
    page = """Yoshua Bengio

2 Papers

LGMay 27, 2015
Deep learning

LeCun, Y., Bengio, Y., Hinton, G.

Deep learning allows computational models to learn representations of data.

LGJun 10, 2014
Generative Adversarial Nets

Ian Goodfellow, (equal contribution), 2, Yoshua Bengio

We propose a new framework for estimating generative models via an adversarial process."""
    path = tmp_path / "bengio.txt"
    path.write_text(page, encoding="utf-8")
    papers, _, problems, code = extract(tmp_path)
    assert code == 0
    assert problems == [  # "LeCun, Y., Bengio, Y., Hinton, G." is "Family, Initials" pairs (session 13)
        f"{path}:15: authors line: '(equal contribution)' is not a name (starts with '('); left out",
        f"{path}:15: authors line: '2' is not a name (no letters); left out",
    ]
    assert [shown(p) for p in papers] == [["Y. LeCun", "Yoshua Bengio", "G. Hinton"], ["Ian Goodfellow", "Yoshua Bengio"]]
    assert extract(tmp_path, "--strict")[3] == 1


PERCY = """Percy Liang


2023

We present Holistic Evaluation of Language Models (HELM) to improve the transparency of language models.
Alpaca is a language model fine-tuned from a LLaMA 7B model on 52K instruction-following demonstrations.

2022 (2)

Large language models have recently been shown to attain reasonable zero-shot generalization.
We introduce prefix-tuning, a lightweight alternative to fine-tuning for natural language generation tasks.

2021:

We present the Stanford Question Answering Dataset (SQuAD), a reading comprehension dataset.

2019 -

We study robustness of reading comprehension systems to adversarial sentences.
Read more

2016 (3)

We present a semantic parser that learns from question-answer pairs.

Show more
Load 25 more papers"""


def test_by_year_headings_with_counts_colons_and_dashes_and_page_controls(tmp_path):
    # was: "2022 (2)" and "2021:" became papers of the year before, "Show more" and "Load 25 more papers" papers
    path = tmp_path / "percy-liang.txt"
    path.write_text(PERCY, encoding="utf-8")
    papers, profiles, problems, code = extract(tmp_path)
    assert code == 0 and profiles[0]["layout"] == "by-year"
    assert [p["year"] for p in papers] == [2023, 2023, 2022, 2022, 2021, 2019, 2016]
    assert papers[4]["title"].startswith("SQuAD") and papers[5]["abstract"].startswith("We study robustness")
    assert not any(p["abstract"] in ("Show more", "Read more", "Load 25 more papers", "2022 (2)") for p in papers)
    assert problems == [
        f"{path}:23: year heading '2016 (3)' announces 3 papers but has 1",
        f"{path}:21: 3 lines of page controls skipped ('Read more', 'Show more', 'Load 25 more papers')",
    ]
    assert extract(tmp_path, "--strict")[3] == 1


def test_year_heading_with_a_count_starts_a_by_year_page(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("Percy Liang\n\n2022 (1)\n\nWe introduce prefix-tuning, a lightweight alternative to fine-tuning.",
                    encoding="utf-8")
    papers, profiles, problems = read(path)
    assert problems == [] and profiles[0].layout == "by-year"
    assert [(p.year, p.title_inferred) for p in papers] == [(2022, True)]


def test_short_lines_that_are_not_sentences_do_not_become_papers_silently(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("Percy Liang\n\n2023\n\nWe present HELM, a holistic evaluation of language models.\nFilter by venue\n"
                    "Alpaca.\n\n2022\n\nSee all", encoding="utf-8")
    papers, _, problems = read(path)
    assert [p.abstract for p in papers] == ["We present HELM, a holistic evaluation of language models.", "Alpaca."]
    assert problems == [f"{path}:6: entry is no abstract (a few words, no sentence): 'Filter by venue'; skipped",
                        f"{path}:11: 1 line of page controls skipped ('See all')"]


def test_listing_page_controls_are_no_abstract(tmp_path):
    path = tmp_path / "lecun.txt"
    path.write_text("Yann LeCun\n\nCV\n\n1 Papers\n\nCVDec 12, 2013\nOverFeat: Integrated Recognition\n\n"
                    "Pierre Sermanet, David Eigen, Xiang Zhang et al. \u00b7 nyu\n\nShow more", encoding="utf-8")
    papers, _, problems = read(path)
    assert [p.abstract for p in papers] == [None]
    assert problems == [f"{path}:12: 1 line of page controls skipped ('Show more')"]


LECUN = """Yann LeCun

CV
h-index154
3papers

3 Papers

CVNov 1, 1998
Gradient-Based Learning Applied to Document Recognition

Y. LeCun, L. Bottou, Y. Bengio, P. Haffner

Multilayer neural networks trained with the back-propagation algorithm are the best example of gradient learning.

LGMay 27, 2015
Deep learning

Yann LeCun, Yoshua Bengio, Geoffrey Hinton

Deep learning allows computational models to learn representations of data.

CVJan 1, 2010
Convolutional Networks and Applications in Vision

Y. A. Bengio, Yann LeCun\u00b9, C. Farabet

Intelligent tasks such as visual perception require learning internal representations."""


def test_owner_under_initials_is_the_owner_not_a_second_author(tmp_path):
    # was: "Y. LeCun" at position 0 and "Yann LeCun" added again as an inferred author
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "yann-lecun.txt").write_text(LECUN, encoding="utf-8")
    papers, _, problems, code = extract(tmp_path / "in", "--strict")
    assert code == 0 and problems == []
    assert [inferred(p) for p in papers] == [[], [], []]
    assert [(a["name"], a["position"]) for a in papers[0]["authors"]] == [
        ("Yann LeCun", 0), ("L. Bottou", 1), ("Y. Bengio", 2), ("P. Haffner", 3)]
    assert shown(papers[2]) == ["Y. A. Bengio", "Yann LeCun", "C. Farabet"]
    # in the graph: one Yann LeCun, author of all three papers, and no "Y. LeCun"
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "g"), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    store = EmbeddedStore(tmp_path / "g")
    rows = store.query("MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN a.name AS a, count(p) AS n")
    counts = {r["a"]: r["n"] for r in rows}
    assert counts["Yann LeCun"] == 3 and "Y. LeCun" not in counts


def test_an_initials_form_of_someone_else_does_not_stand_for_the_owner(tmp_path):
    path = tmp_path / "zz.txt"
    path.write_text("Zhengxin Zhang\n\n2 Papers\n\nCLApr 2, 2024\nA\n\nZhihao Zhang, Y. Zhang\n\nAn abstract.\n\n"
                    "CLApr 3, 2024\nB\n\nZ. Zhang, Wei Li\n\nAn abstract.", encoding="utf-8")
    papers, _, problems = read(path)
    assert problems == []
    assert [[(a.name, a.inferred) for a in p.authors] for p in papers] == [
        [("Zhihao Zhang", False), ("Y. Zhang", False), ("Zhengxin Zhang", True)],
        [("Zhengxin Zhang", False), ("Wei Li", False)],
    ]


SCHMIDHUBER = """J\u00fcrgen Schmidhuber\r
\r
LG\r
h-index99\r
2papers\r
250,112citations\r
\r
2 Papers\r
\r
LGNov 15, 1997\r
Long Short-Term Memory\r
\r
Sepp Hochreiter, J\u00fcrgen Schmidhuber\r
\r
Learning to store information over extended time intervals by recurrent backpropagation takes a very long time.\r
\r
LGMay 3, 2015\r
Highway Networks \u2013 Training Very Deep Networks\r
\r
Rupesh Kumar Srivastava, Klaus Greff, J\u00fcrgen Schmidhuber\r
\r
There is plenty of theoretical and empirical evidence that depth of neural networks is crucial for their success."""


def test_windows_1252_page_is_read_and_reported(tmp_path):
    # was: "not UTF-8 text (byte 0xfc at offset 1); skipped" while .bib, .ris and .csv files in cp1252 are read
    path = tmp_path / "schmidhuber.txt"
    path.write_bytes(SCHMIDHUBER.encode("cp1252"))
    papers, profiles, problems, code = extract(tmp_path)
    assert code == 0
    assert problems == [f"{path}:1: not UTF-8: read as Windows-1252 (cp1252), the encoding older Windows tools write"]
    assert profiles[0]["name"] == "J\u00fcrgen Schmidhuber" and profiles[0]["citations"] == 250112
    assert [p["title"] for p in papers] == ["Long Short-Term Memory", "Highway Networks \u2013 Training Very Deep Networks"]
    assert [inferred(p) for p in papers] == [[], []]
    assert extract(tmp_path, "--strict")[3] == 1
    # a UTF-8 page with one stray byte is still refused, not misread as Windows-1252
    path.write_bytes(SCHMIDHUBER.encode("utf-8") + b"\xfc")
    assert read(path)[2] == [f"{path}:22: not UTF-8 text (byte 0xfc at offset {len(SCHMIDHUBER.encode())}); skipped"]


def test_a_metric_written_like_the_heading_is_the_metric(tmp_path):
    # "3,210 Papers" (the site's total) then "5 Papers" (the heading): the first was lost silently
    path = tmp_path / "re.txt"
    path.write_text("Christopher R\u00e9\n\nLG\n3,210 Papers\n\n2 Papers\n\nLGMay 27, 2022\nFlashAttention\n\nTri Dao\n\n"
                    "Transformers are slow.\n\nDBJun 9, 2017\nSnorkel\n\nAlexander Ratner\n\nLabeling is slow.", encoding="utf-8")
    papers, profiles, problems = read(path)
    assert problems == [] and len(papers) == 2 and profiles[0].paper_count == 3210
    # three headings: the third is checked, and the doubt is reported
    path.write_text(path.read_text(encoding="utf-8").replace("2 Papers\n", "2 Papers\n3 Papers\n"), encoding="utf-8")
    assert read(path)[2] == [
        f"{path}:7: a second paper count heading (the first at line 6); the cards are checked against this one",
        f"{path}:7: page announces 3 papers but has 2 cards",
    ]
