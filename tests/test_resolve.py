"""Entity resolution: name keys, what merges, what must not, what is reported."""

from __future__ import annotations

import pytest

from graphkit.build import build_graph, coauthor_graph, coauthor_table, institution_graph
from graphkit.models import PaperRecord, Profile
from graphkit.readers.profile import with_inferred_owner
from graphkit.resolve import author_id, resolve
from graphkit.resolve.institutions import load_alias_table
from graphkit.resolve.names import name_key


@pytest.mark.parametrize(
    "a, b",
    [
        ("Zhi-Hong Deng", "Zhihong Deng"),
        ("Zhi\u2010Hong Deng", "Zhi\u2013Hong Deng"),  # Unicode hyphen, en dash
        ("Ｚｈｉｈｏｎｇ　Ｄｅｎｇ", "Zhihong Deng"),  # fullwidth letters and space (NFKC)
        ("Zhihong\u00a0Deng", "Zhihong Deng"),  # non-breaking space
        ("Zhihong \u2009 Deng ", " zhihong deng"),  # thin space, case, padding
        ("José García", "Jose Garcia"),  # diacritics
        ("Jose\u0301 Garci\u0301a", "José García"),  # combining marks vs precomposed
        ("Matthew E. Peters", "Matthew E Peters"),  # periods
        ("Dan O’Brien", "Dan O'Brien"),
    ],
)
def test_name_key_merges_spelling_variants(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Zhihao Zhang", "Zhengxin Zhang"),
        ("Zheng-Xin Yong", "Zhengxin Zhang"),
        ("Zhengyan Zhang", "Zhengxin Zhang"),
        ("Yiming Wang", "Yiming Ai"),
    ],
)
def test_name_key_keeps_different_people_apart(a, b):
    assert name_key(a) != name_key(b)


def _card(title, authors, *, owner="Zhengxin Zhang", year=2024, truncated=False, source="a.txt", line=1, **kw):
    # as the profile reader makes them: the owner is an inferred author where the shown names omit them
    return PaperRecord(owner=owner, title=title, year=year, authors=with_inferred_owner(list(authors), owner),
                       authors_truncated=truncated, source=source, line=line, **kw)


def test_owner_inferred_and_near_variant_is_a_different_person():
    owner = Profile(name="Zhengxin Zhang", layout="listing", source="a.txt", h_index=13)
    res = resolve([owner], [_card("SpecInfer", ["Xupeng Miao", "Zhihao Zhang", "Zheng-Xin Yong"], truncated=True)])
    rows = {(a.author_id, a.inferred, a.position) for a in res.authorships}
    assert (author_id("zhengxin zhang"), True, None) in rows
    assert (author_id("zhihao zhang"), False, 1) in rows and (author_id("zheng xin yong".replace(" ", "")), False, 2) not in rows
    assert len(res.authors) == 4
    assert res.authors[author_id("zhengxin zhang")].is_profile_owner
    assert res.authors[author_id("zhengxin zhang")].h_index == 13
    assert not res.authors[author_id("zhihao zhang")].is_profile_owner


def test_spelling_variants_merge_with_most_frequent_name_and_a_logged_reason():
    cards = [
        _card("P1", ["Zhi-Hong Deng", "A B"]),
        _card("P2", ["Zhihong Deng", "A B"], line=5),
        _card("P3", ["Zhihong Deng"], line=9),
    ]
    res = resolve([], cards)
    deng = res.authors[author_id("zhihong deng")]
    assert deng.name == "Zhihong Deng" and deng.name_variants == ["Zhihong Deng", "Zhi-Hong Deng"]
    (merge,) = [m for m in res.merges if m["kind"] == "author"]
    assert "name key" in merge["reason"] and merge["merged"] == ["Zhihong Deng", "Zhi-Hong Deng"]


def test_weak_evidence_is_reported_not_merged():
    cards = [
        _card("P1", ["Matthew E. Peters", "Mark Neumann"], owner=None),
        _card("P2", ["Matthew Peters", "Mark Neumann"], owner=None, source="b.txt"),
        _card("P3", ["J. Smith", "Zhi Hong Deng"], owner=None, source="c.txt"),
        _card("P4", ["John Smith", "Zhihong Deng"], owner=None, source="d.txt"),
    ]
    res = resolve([], cards)
    assert author_id("matthew e peters") in res.authors and author_id("matthew peters") in res.authors
    reasons = {tuple(sorted(p["names"])): p for p in res.ambiguous}
    assert reasons[("Matthew E. Peters", "Matthew Peters")]["shared_coauthors"] == 1
    assert "middle" in reasons[("Matthew E. Peters", "Matthew Peters")]["reason"]
    assert "initials" in reasons[("J. Smith", "John Smith")]["reason"]
    assert "spacing" in reasons[("Zhi Hong Deng", "Zhihong Deng")]["reason"]
    assert ("Mark Neumann", "Matthew Peters") not in reasons



def test_same_position_on_one_paper_merges_weak_variants():
    luke = _card("Deep contextualized word representations", ["Matthew E. Peters", "Mark Neumann", "Mohit Iyyer"],
                 owner="Luke Zettlemoyer", truncated=True, year=2018, source="luke.txt", line=34)
    kenton = _card("Deep contextualized word representations", ["Matthew Peters", "Mark Neumann", "Mohit Iyyer"],
                   owner="Kenton Lee", truncated=True, year=2018, source="kenton.txt", line=22)
    other = _card("Another paper", ["Matthew Peters"], owner=None, year=2020, source="c.txt")
    res = resolve([], [luke, kenton, other])
    assert author_id("matthew peters") not in res.authors
    peters = res.authors[author_id("matthew e peters")]
    assert sorted(peters.name_variants) == ["Matthew E. Peters", "Matthew Peters"]
    assert {a.paper_id for a in res.authorships if a.author_id == peters.id} == set(res.papers)  # both papers
    (merge,) = [m for m in res.merges if m["kind"] == "author" and m["id"] == peters.id]
    assert "position 0" in merge["reason"] and "luke.txt:34" in merge["reason"] and "kenton.txt:22" in merge["reason"]
    assert res.ambiguous == []


@pytest.mark.parametrize(
    "first, second",
    [
        (["Matthew E. Peters", "Mark Neumann"], ["Matthew Peters", "Someone Else"]),  # lists disagree elsewhere
        (["Wei Wang", "W. Wang"], ["W. Wang", "Wei Wang"]),  # both names in one list: two people
        (["Mark Neumann", "Matthew Peters"], ["Matthew E. Peters", "Mark Neumann"]),  # another order
    ],
)
def test_same_position_needs_lists_that_otherwise_agree(first, second):
    a = _card("One paper", first, owner=None, year=2018, source="a.txt")
    b = _card("One paper", second, owner=None, year=2018, source="b.txt")
    res = resolve([], [a, b])
    assert len(res.papers) == 1
    names = {n for r in (a, b) for n in r.author_names}
    assert len(res.authors) == len({name_key(n) for n in names})  # nothing merged beyond the name keys
    assert not [m for m in res.merges if m["kind"] == "author"]


def test_same_position_never_merges_different_people_or_conflicting_groups():
    cards = [
        _card("P", ["Zhihao Zhang", "A B"], owner=None, year=2024, source="a.txt"),
        _card("P", ["Zhengxin Zhang", "A B"], owner=None, year=2024, source="b.txt"),
        # Matthew Peters would join Matthew E. Peters on Q and Matthew J. Peters on R: E and J are two people.
        _card("Q", ["Matthew E. Peters"], owner=None, year=2018, source="a.txt"),
        _card("Q", ["Matthew Peters"], owner=None, year=2018, source="b.txt"),
        _card("R", ["Matthew J. Peters"], owner=None, year=2019, source="a.txt"),
        _card("R", ["Matthew Peters"], owner=None, year=2019, source="b.txt"),
    ]
    res = resolve([], cards)
    assert len(res.papers) == 3
    for name in ("Zhihao Zhang", "Matthew E. Peters", "Matthew Peters", "Matthew J. Peters"):
        assert author_id(name_key(name)) in res.authors
    # the second source's name at a position the first source fills otherwise, in lists that otherwise agree (A B),
    # is not merged, and not made a second author of the paper either (session 13): reported, and no Author of its
    # own without a paper; one-author lists have nothing else to agree on, and keep both
    assert author_id(name_key("Zhengxin Zhang")) not in res.authors
    assert len(res.authorships) == 2 + 2 + 2
    pairs = {tuple(sorted(p["names"])) for p in res.ambiguous}
    assert {("Matthew E. Peters", "Matthew Peters"), ("Matthew J. Peters", "Matthew Peters"),
            ("Zhengxin Zhang", "Zhihao Zhang")} <= pairs

def test_papers_merge_across_pages_keeping_the_most_complete_author_list():
    luke = _card("QLoRA: Efficient Finetuning of Quantized LLMs", ["Tim Dettmers", "Artidoro Pagnoni", "Ari Holtzman"],
                 owner="Luke Zettlemoyer", truncated=True, year=2023, source="luke.txt", urls=("https://x.org/a",))
    tim = _card("QLoRA - efficient finetuning of quantized LLMs!", ["Tim Dettmers", "Artidoro Pagnoni", "Ari Holtzman", "Luke Zettlemoyer"],
                owner="Tim Dettmers", year=2024, source="tim.txt", urls=("https://x.org/b",))
    far = _card("QLoRA: Efficient Finetuning of Quantized LLMs", ["Someone Else"], owner=None, year=2030, source="z.txt")
    res = resolve([], [luke, tim, far])
    assert len(res.papers) == 2
    merged = next(p for p in res.papers.values() if len(p.sources) == 2)
    assert merged.sources == ["luke.txt", "tim.txt"] and merged.urls == ["https://x.org/b", "https://x.org/a"]
    assert merged.authors_truncated is False
    authored = sorted((a.position, a.author_id, a.inferred) for a in res.authorships if a.paper_id == merged.id)
    assert authored == [(0, "author:tim-dettmers", False), (1, "author:artidoro-pagnoni", False),
                        (2, "author:ari-holtzman", False), (3, "author:luke-zettlemoyer", False)]
    (merge,) = [m for m in res.merges if m["kind"] == "paper"]
    assert "same title" in merge["reason"] and merge["merged"] == ["luke.txt:1", "tim.txt:1"]



def test_papers_merge_on_a_shared_source_id():
    short = _card("QLoRA", ["Tim Dettmers"], owner=None, year=2023, source="a.bib", ids=("arXiv:2305.14314v2",))
    full = _card("QLoRA: Efficient Finetuning of Quantized LLMs", ["Tim Dettmers", "Artidoro Pagnoni"], owner=None, year=2023,
                 source="b.json", ids=("https://arxiv.org/abs/2305.14314", "doi:10.5555/QLORA"))
    published = _card("QLoRA (NeurIPS version)", ["Tim Dettmers"], owner=None, year=2024, source="c.xml", ids=("https://doi.org/10.5555/qlora",))
    other = _card("QLoRA", ["Someone Else"], owner=None, year=2010, source="d.bib", ids=("arxiv:1001.00001",))
    res = resolve([], [short, full, published, other])
    assert len(res.papers) == 2
    (merge,) = [m for m in res.merges if m["kind"] == "paper"]
    assert merge["merged"] == ["a.bib:1", "b.json:1", "c.xml:1"]
    assert "same source id arxiv:2305.14314" in merge["reason"] and "same source id doi:10.5555/qlora" in merge["reason"]
    merged = res.papers[merge["id"]]
    assert merged.title == "QLoRA: Efficient Finetuning of Quantized LLMs" and merged.sources == ["a.bib", "b.json", "c.xml"]

def test_by_year_abstract_merges_with_the_titled_paper_it_names():
    titled = _card("RoBERTa: A Robustly Optimized BERT Pretraining Approach", ["Yinhan Liu", "Myle Ott"], owner="Luke Zettlemoyer",
                   truncated=True, year=2019, source="luke.txt")
    derived = PaperRecord(owner="Omer Levy", title="RoBERTa: a recipe that trains BERT longer", title_inferred=True, year=2019,
                          authors=with_inferred_owner((), "Omer Levy"),
                          abstract="We propose RoBERTa, a recipe that trains BERT longer.", source="omer.txt", line=6)
    res = resolve([], [titled, derived])
    (paper,) = res.papers.values()
    assert paper.title.startswith("RoBERTa: A Robustly") and not paper.title_inferred
    assert {a.author_id for a in res.authorships if a.inferred} == {"author:luke-zettlemoyer", "author:omer-levy"}


def test_institutions_canonical_aliases_and_unknown_slugs():
    res = resolve([], [_card("P1", ["A B"], institutions=("cmu", "uw", "skunkworks")),
                       _card("P2", ["A B"], institutions=("Carnegie Mellon University",), line=3)])
    names = {i.name: i.aliases for i in res.institutions.values()}
    assert names["Carnegie Mellon University"] == ["Carnegie Mellon University", "cmu"]
    assert names["University of Washington"] == ["uw"]
    assert names["skunkworks"] == ["skunkworks"] and res.unknown_institutions == {"skunkworks": 1}
    table = load_alias_table()
    expected = {"cmu": "Carnegie Mellon University", "uw": "University of Washington", "pku": "Peking University",
                "berkeley": "University of California, Berkeley", "princeton": "Princeton University",
                "meta-ai": "Meta AI", "allen-ai": "Allen Institute for AI", "openai": "OpenAI"}
    assert {k: table.canonical(k) for k in expected} == expected


def test_alias_table_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "aliases.csv"
    bad.write_text("alias,canonical\ncmu,Carnegie Mellon\nonly-one-column\n", encoding="utf-8")
    from graphkit.exceptions import InputError

    with pytest.raises(InputError, match=r"aliases.csv:3: expected two columns"):
        load_alias_table(bad)


def test_flags_profile_that_looks_like_two_people(seeds_dir):
    from graphkit.pipeline import build_knowledge_graph

    from .conftest import AS_OF

    result = build_knowledge_graph([seeds_dir], as_of=AS_OF)
    flagged = result.resolution.flagged_profiles
    assert [f["profile"] for f in flagged] == ["Zhengxin Zhang"]
    assert flagged[0]["groups"][0]["papers"] == ["Road Extraction by Deep Residual U-Net"]
    assert flagged[0]["suspect_papers"][0].endswith(":75")


def test_coauthor_weights_equal_networkx_projection(seeds_dir):
    import networkx as nx

    from graphkit.pipeline import build_knowledge_graph

    from .conftest import AS_OF

    G = build_knowledge_graph([seeds_dir], as_of=AS_OF).graph
    B = nx.Graph((u, v) for u, v, k in G.edges(keys=True) if k == "AUTHORED")
    authors = [n for n, d in G.nodes(data=True) if d["label"] == "Author"]
    expected = nx.bipartite.collaboration_weighted_projected_graph(B, authors)
    H = coauthor_graph(G)
    assert H.number_of_edges() == expected.number_of_edges()
    for u, v, d in expected.edges(data=True):
        assert H[u][v]["weight"] == pytest.approx(d["weight"], abs=1e-12)
    assert all(u < v for u, v, k in G.edges(keys=True) if k == "COAUTHORED")
    assert not G.has_edge("author:zhengxin-zhang", "author:zhengxin-zhang")


def test_coauthor_table_counts_papers_and_years():
    import pandas as pd

    authorship = pd.DataFrame({"author": ["a", "b", "c", "a", "b", "d"], "paper": ["p1", "p1", "p1", "p2", "p2", "p3"]})
    years = pd.Series({"p1": 2020.0, "p2": 2023.0, "p3": 2021.0})
    table = coauthor_table(authorship, years).set_index(["a", "b"])
    assert table.loc[("a", "b")].tolist() == [2, 1.5, 2020.0, 2023.0]
    assert table.loc[("a", "c")].tolist() == [1, 0.5, 2020.0, 2020.0]
    assert len(table) == 3


def test_institution_graph_from_examples():
    from graphkit.pipeline import build_knowledge_graph

    from .conftest import AS_OF, EXAMPLES

    G = build_knowledge_graph([EXAMPLES], as_of=AS_OF).graph
    H = institution_graph(G)
    assert H.has_edge("institution:university-of-washington", "institution:meta-ai")
    assert H["institution:university-of-washington"]["institution:meta-ai"]["papers"] >= 3


def test_resolution_scales_without_pairwise_comparisons():
    # 20,000 authors sharing 40 family names: blocks are capped, so this stays quick.
    import random

    rng = random.Random(1)
    names = [f"{rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}{rng.randrange(10**6)} Fam{rng.randrange(40)}" for _ in range(20000)]
    cards = [_card(f"T{i}", names[i * 4:(i + 1) * 4], owner=None, line=i) for i in range(5000)]
    res = resolve([], cards)
    assert len(res.papers) == 5000
    assert len(res.authors) == len({name_key(n) for n in names})
