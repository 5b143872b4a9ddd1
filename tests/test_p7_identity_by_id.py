"""A spelling whose ids alone decide it is one person without building its rows (``_one_by_id``).

The shortcut must give exactly what the full comparison gives. Each case runs the
engine twice on the same occurrences: once through a view that offers ``evidence(i)``
(the shortcut may apply) and once through one that does not (every group takes the
full path), and compares keys, decisions, explanations and merges.
"""

from __future__ import annotations

import random

import pytest

from graphkit.resolve.identity import Occurrence, OccurrenceRows, resolve_identities

ORCID_A = "orcid:0000-0002-1825-0097"
ORCID_B = "orcid:0000-0001-5109-3700"


class _Counted(OccurrenceRows):
    """Occurrence rows that count how often the shortcut's accessor and full rows are asked for."""

    __slots__ = ("light", "full")

    def __init__(self, rows):
        super().__init__(rows)
        self.light = 0
        self.full = 0

    def evidence(self, i):
        self.light += 1
        return super().evidence(i)

    def __getitem__(self, i):
        self.full += 1
        return super().__getitem__(i)


class _RowsOnly:
    """The same occurrences without ``evidence``: the engine must take its full path for every group."""

    __slots__ = ("rows", "name", "given", "family")

    def __init__(self, rows):
        self.rows = rows
        self.name = [o.name for o in rows]
        self.given = [o.given for o in rows]
        self.family = [o.family for o in rows]

    def has_evidence(self, i):
        o = self.rows[i]
        return bool(o.ids or o.affiliations)

    def __getitem__(self, i):
        return self.rows[i]

    def __len__(self):
        return len(self.rows)


def both(rows, **options):
    fast_view = _Counted(rows)
    fast = resolve_identities(fast_view, **options)
    full = resolve_identities(_RowsOnly(rows), **options)
    assert fast.keys == full.keys
    assert [d.as_dict() for d in fast.decisions] == [d.as_dict() for d in full.decisions]
    assert fast.explanations == full.explanations
    assert fast.merged_on == full.merged_on
    return fast, fast_view


def o(name, *ids, aff=(), co=(), paper=None, where=""):
    return Occurrence(name, None, None, tuple(ids), tuple(aff), tuple(co), paper, None, where)


def test_one_dblp_person_on_every_paper_takes_the_shortcut():
    rows = [o("Kenton Lee", "dblp:Kenton Lee", co=(f"co {k}",), where=f"d.xml:{k}") for k in range(6)]
    result, view = both(rows)
    assert len(set(result.keys)) == 1
    assert view.light == 6 and view.full == 0  # no row built for a spelling its ids decide


def test_an_orcid_on_some_papers_only_still_one_person():
    rows = [o("Wei Wang", "dblp:Wei Wang 0001", *([ORCID_A] if k % 2 else []), where=f"d.xml:{k}") for k in range(5)]
    result, view = both(rows)
    assert len(set(result.keys)) == 1
    assert view.full == 0


def test_two_dblp_homonyms_are_compared_in_full():
    rows = [o("Wei Wang", "dblp:Wei Wang 0001", where="d.xml:1"), o("Wei Wang", "dblp:Wei Wang 0002", where="d.xml:2"),
            o("Wei Wang", "dblp:Wei Wang 0001", where="d.xml:3")]
    result, view = both(rows)
    assert result.keys[0] == result.keys[2] != result.keys[1]
    assert view.full > 0
    assert any(d.kind == "split" for d in result.decisions)


def test_a_shared_dblp_id_with_two_orcids_is_not_shortcut():
    rows = [o("Ana Silva", "dblp:Ana Silva", ORCID_A, where="a:1"), o("Ana Silva", "dblp:Ana Silva", ORCID_B, where="a:2")]
    result, view = both(rows)
    assert result.keys[0] != result.keys[1]  # different ORCIDs: two people, whatever DBLP says
    assert view.full > 0


def test_an_occurrence_without_any_id_is_compared_in_full():
    rows = [o("Jun Zhu", "dblp:Jun Zhu", where="a:1"), o("Jun Zhu", where="a:2"), o("Jun Zhu", "dblp:Jun Zhu", where="a:3")]
    _, view = both(rows)
    assert view.full > 0


@pytest.mark.parametrize("name", ["Maria Kowalczyk-Brandt", "Wei Zhang"])  # a rare name (note) and a common one
def test_one_id_at_several_affiliations_gives_the_same_person_and_note(name):
    rows = [o(name, ORCID_A, aff=(place,), where=f"s:{k}")
            for k, place in enumerate(["University of Oslo", "Dept. of Physics, University of Oslo", "ETH Zurich", "ETH Zurich"])]
    result, view = both(rows)
    assert len(set(result.keys)) == 1 and view.full == 0


def test_ids_and_variants_across_spellings_match_the_full_path():
    rows = [o("Matthew E. Peters", "dblp:Matthew E. Peters", co=("mark neumann",), where="x:1"),
            o("Matthew E. Peters", "dblp:Matthew E. Peters", co=("mohit iyyer",), where="x:2"),
            o("Matthew Peters", co=("mark neumann", "mohit iyyer"), where="y:1"),
            o("M. Peters", ORCID_B, where="z:1"), o("M. Peters", ORCID_B, where="z:2")]
    for bias in ("precision", "recall"):
        both(rows, bias=bias)
    both(rows, split_homonyms=False)


def test_random_id_mixtures_match_the_full_path():
    rng = random.Random(7)
    names = ["Li Chen", "Wei Wang", "Yann Dupont", "J. Smith", "John Smith", "Akira Sato"]
    schemes = ["dblp", "orcid", "openalex", "scopus"]
    places = ["MIT", "Stanford University", "University of Tokyo", "", "ETH Zurich"]
    rows = []
    for k in range(600):
        name = rng.choice(names)
        person = rng.randrange(3)
        ids = tuple(f"{s}:{name.replace(' ', '')}-{person if rng.random() > 0.1 else rng.randrange(3)}"
                    for s in schemes if rng.random() < 0.5)
        aff = (rng.choice(places),) if rng.random() < 0.4 else ()
        co = tuple(rng.sample(["ann lee", "bo li", "carl weber", "dana ito", "eve kim"], rng.randrange(3)))
        rows.append(o(name, *ids, aff=tuple(a for a in aff if a), co=co, where=f"r:{k // 3}"))
    for bias in ("precision", "recall"):
        both(rows, bias=bias)
    both(rows, split_homonyms=False)
