"""The build's fast path for profile pages: compact records made straight from the page.

``parse_compact`` must give exactly what ``compact(parse_profile(...))`` gives (records,
profiles, problems, in order) on every kind of page; a build must come out the same.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from graphkit.models import PaperRecord, Problem, Profile
from graphkit.pipeline import build_knowledge_graph, extract_all
from graphkit.readers import profile
from graphkit.readers.registry import iter_inputs, read_input
from graphkit.resolve.records import CompactRecord, compact
from tests.conftest import shared_path

AS_OF = dt.date(2026, 11, 21)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Every branch a card can take: metrics, institutions, et al., Jr., an owner the shown names omit,
# a spelling variant of the owner, a card without authors line or abstract, bad dates, stray lines.
PAGES = {
    "listing.txt": (
        "Ada Lovelace\n\nCL\nh-index3\n12papers\n1,234citations\nNovelty54%\nAI Score7.5\n\n5 Papers\n\n"
        "12.5LGJan 5, 2024Code\nA Title\n\nAda Lovelace, Charles Babbage et al. \u00b7 cmu, uw\n\nAn abstract https://example.org/x.\n\n"
        "CLFeb 2\nSecond\n\nJohn Smith, Jr., Ana Silva\n\nText.\n\n"
        "SEMar 3, 2023\nThird\n\nAda  LOVELACE \u00b7 cmu, uw\n\n"
        "CVApr 4, 2022\nFourth\n\nThis is prose and not an authors line because it ends like a sentence.\n\n"
        "LGFeb 30, 2024\nBad date\n\nX Y\n\n"
        "LGMay 6, 2021\nSixth\n\nEt Al\n\nstray\nmore stray"
    ),
    "by-year.txt": (
        "Zhengxin Zhang\n\n2025\n\nWe propose PerSyn (Personalized data Synthesis), a router. See https://a.org/b.\n\n"
        "2024\nRobustness has become a critical attribute. We study it.\n\n3025\nfuture entry"
    ),
    "ownerless.txt": "h-index3\n\nLGJan 5, 2024\nT\n\nA B\n\nAbs.",
    "name-only.txt": "Ada Lovelace\n\n",
    "empty.txt": "",
    "binary.txt": b"Ada\nx\x00y",
}


def _both(data: bytes | str, source: str) -> tuple[list, list]:
    data = data.encode() if isinstance(data, str) else data
    shared: dict = {}
    slow = [compact(x, shared) if type(x) is PaperRecord else x
            for x in profile.parse_profile(io.BytesIO(data), source, as_of=AS_OF)]
    fast = list(profile.parse_compact(io.BytesIO(data), source, as_of=AS_OF, shared={}))
    return slow, fast


@pytest.mark.parametrize("name", sorted(PAGES))
def test_compact_path_equals_compacted_records(name):
    slow, fast = _both(PAGES[name], name)
    assert fast == slow
    assert [type(x) for x in fast] == [type(x) for x in slow]  # same order of profiles, records, problems
    assert all(type(x) in (CompactRecord, Profile, Problem) for x in fast)


def test_the_varied_page_exercises_what_it_claims():
    slow, _ = _both(PAGES["listing.txt"], "p.txt")
    records = [x for x in slow if type(x) is CompactRecord]
    # the card with an impossible date (Feb 30) is kept with its year (session 15; it was skipped)
    assert [(r.title, r.year) for r in records] == [
        ("A Title", 2024), ("Second", 2026), ("Third", 2023), ("Fourth", 2022), ("Bad date", 2024), ("Sixth", 2021)]
    assert [a.name for a in records[1].iter_authors()] == ["John Smith, Jr.", "Ana Silva", "Ada Lovelace"]
    assert records[1].iter_authors().__next__().position == 0 and list(records[1].iter_authors())[-1].inferred
    assert records[0].institutions[0].name == "cmu" and records[0].authors_truncated
    assert [a.name for a in records[2].iter_authors()] == ["Ada  LOVELACE"]  # the owner's variant: not inferred again
    assert sum(type(x) is Problem for x in slow) >= 4


def test_compact_path_shares_equal_tuples():
    shared: dict = {}
    page = PAGES["listing.txt"].encode()
    first = [x for x in profile.parse_compact(io.BytesIO(page), "a.txt", as_of=AS_OF, shared=shared) if type(x) is CompactRecord]
    again = [x for x in profile.parse_compact(io.BytesIO(page), "b.txt", as_of=AS_OF, shared=shared) if type(x) is CompactRecord]
    assert first[0].institutions is again[0].institutions is first[2].institutions
    assert first[1].authors[-1] is again[1].authors[-1]  # the inferred owner, one tuple


def test_registry_uses_the_compact_path_only_when_asked():
    item = next(iter(iter_inputs([EXAMPLES / "profiles"], choose=False)))
    assert {type(x) for x in read_input(item, as_of=AS_OF)} <= {PaperRecord, Profile, Problem}
    item = next(iter(iter_inputs([EXAMPLES / "profiles"], choose=False)))
    assert CompactRecord in {type(x) for x in read_input(item, as_of=AS_OF, shared={})}


def _slow_extract(paths):
    records, others = [], []
    shared: dict = {}
    for item in iter_inputs(paths, choose=False):
        for thing in read_input(item, as_of=AS_OF):
            (records.append(compact(thing, shared)) if type(thing) is PaperRecord else others.append(thing))
    return records, others


@pytest.mark.parametrize("where", ["examples", "seeds"])
def test_extract_all_equals_the_slow_path(where):
    paths = [EXAMPLES] if where == "examples" else [shared_path("seeds")]
    profiles, records, problems, _ = extract_all(paths, as_of=AS_OF)
    slow_records, others = _slow_extract(paths)
    assert records == slow_records and len(records) > 0
    assert problems == [x for x in others if type(x) is Problem]
    assert profiles == [x for x in others if isinstance(x, Profile)]


def test_build_of_the_examples_unchanged():
    """The counts the examples have always built to (the pipeline's doctest says 12 papers)."""
    result = build_knowledge_graph([EXAMPLES / "profiles"], as_of=AS_OF)
    assert result.counts()["Paper"] == 12 and result.problems == []
    assert result.records == 18  # six records merge into other papers


def test_build_pauses_the_collector_and_restores_it(tmp_path):
    import gc

    from graphkit.pipeline import gc_paused as _gc_paused

    seen = []
    build_knowledge_graph([EXAMPLES / "profiles"], as_of=AS_OF, on_stage=lambda stage: seen.append(gc.isenabled()))
    assert seen == [False, False] and gc.isenabled()
    with pytest.raises(RuntimeError), _gc_paused():
        raise RuntimeError("a failing build")
    assert gc.isenabled()
    gc.disable()
    try:
        with _gc_paused():
            pass
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
