"""Acronyms of whole names and of names in their own language's order, and a town written after an institution.

Session 17: ``KIT`` found neither the ``Karlsruhe Institute of Technology`` nor the ``Karlsruher Institut für
Technologie``, and ``DTU`` not the ``Technical University of Denmark``. An acronym of all of a name's words needed
its last letter from a word that tells the institution apart, so no name ending in its kind (``... of Technology``,
``... University``) had one; and a technical university's acronym follows its own language's order (``Danmarks
Tekniske Universitet``), the other order of its English name. ``Technical University of Munich, Freising`` (a town
of its own, where a campus is) was an Institution apart from the ``Technical University of Munich``. Builds run
the real CLI on CSL-JSON files read by the real reader, into the real embedded database, queried through
``graphkit query``.
"""

from __future__ import annotations

import json

import pytest

from tests.cli import build_into, query

_FAMILIES = ["Arkwright", "Bellweather", "Cornwallis", "Dunsany", "Esterhazy", "Fitzwilliam", "Gainsborough",
             "Hathersage", "Ingleby", "Jardine", "Kilbride", "Lockhart", "Montrose", "Northcote", "Ormerod",
             "Pemberton"]


def _items(affiliations: list[str]) -> list[dict]:
    """One paper per affiliation, by two authors of that affiliation who appear nowhere else."""
    items = []
    for i, written in enumerate(affiliations):
        family = _FAMILIES[i % len(_FAMILIES)] + "abcdefghijklmnopqrstuvwxyz"[i // len(_FAMILIES)]
        items.append({"id": f"p{i}", "type": "article-journal", "title": f"Survey {i} of moraine number {i * 11 + 5}",
                      "issued": {"date-parts": [[1990 + i]]},
                      "author": [{"family": family, "given": "Clara", "affiliation": [{"name": written}]},
                                 {"family": family + "er", "given": "Dmitri", "affiliation": [{"name": written}]}]})
    return items


def _nodes(tmp_path, affiliations: list[str]) -> list[list[str]]:
    """Build the affiliations through ``graphkit build``; each Institution node's aliases, sorted."""
    (tmp_path / "items.json").write_text(json.dumps(_items(affiliations)), encoding="utf-8")
    out = build_into(tmp_path, tmp_path / "items.json")
    rows = query(out, "MATCH (i:Institution) RETURN i.aliases AS aliases")
    return sorted(sorted(r["aliases"]) for r in rows)


def _grouped(*groups: list[str]) -> list[list[str]]:
    return sorted(sorted(g) for g in groups)


# -- 1. an acronym of all of a name's words, its last letter a kind -------------------------------------------------

_WHOLE = ["KIT", "Karlsruhe Institute of Technology", "Karlsruher Institut für Technologie",
          "NTU", "Nanyang Technological University",
          # a State University's acronym stands for one in every US state: not read
          "OSU", "Ohio State University"]


@pytest.mark.parametrize("order", [1, -1], ids=["acronym first", "acronym last"])
def test_an_acronym_of_a_whole_name_ending_in_its_kind_is_one_node(tmp_path, order):
    # was: KIT and the German name one node, the English name another (the last letter, Technology, a kind);
    # NTU and Nanyang two nodes
    assert _nodes(tmp_path, _WHOLE[::order]) == _grouped(_WHOLE[0:3], _WHOLE[3:5], ["OSU"], ["Ohio State University"])


@pytest.mark.parametrize("order", [1, -1], ids=["acronym first", "acronym last"])
def test_an_acronym_two_long_names_of_the_input_spell_still_joins_neither(tmp_path, order):
    names = ["NTU", "Nanyang Technological University", "National Taiwan University"]
    # KIT beside them: the rule that reads NTU is the one that joins KIT, so this fails on the old code as well
    names += ["Karlsruhe Institute of Technology", "KIT"]
    assert _nodes(tmp_path, names[::order]) == _grouped(*([n] for n in names[:3]), names[3:5])


# -- 2. a technical university's acronym in its own language's order ------------------------------------------------

@pytest.mark.parametrize("order", [1, -1], ids=["acronym first", "acronym last"])
def test_an_acronym_in_the_order_of_the_names_own_language_is_one_node(tmp_path, order):
    # DTU is Danmarks Tekniske Universitet: the Technical University of Denmark in Danish order. The Danish name
    # and the English one are one name (Danmarks is Denmark, Tekniske technical), so DTU joins both.
    denmark = ["DTU", "Technical University of Denmark", "Danmarks Tekniske Universitet"]
    delft = ["TU Delft", "Delft University of Technology", "Technische Universiteit Delft"]
    # TUM spells the Technical University of Munich in its own order; the other order (MTU) is Michigan Tech's
    munich = ["TUM", "Technical University of Munich"]
    michigan = ["MTU", "Michigan Technological University"]
    names = denmark + delft + munich + michigan
    assert _nodes(tmp_path, names[::order]) == _grouped(denmark, delft, munich, michigan)


def test_the_english_name_alone_finds_its_acronym_in_the_other_order(tmp_path):
    # was: two nodes (only the English name, whose own order spells TUD)
    assert _nodes(tmp_path, ["Technical University of Denmark", "DTU"]) == [["DTU", "Technical University of Denmark"]]


def test_well_known_acronyms_and_the_names_they_stand_for_are_one_node_each(tmp_path):
    # NTNU spells only the Norwegian name (Norges teknisk-naturvitenskapelige universitet): the alias table gives
    # that name's English one, and the rule its acronym. Was: NTNU and the English name two nodes.
    groups = [["NTNU", "Norwegian University of Science and Technology", "Norges teknisk-naturvitenskapelige universitet"],
              ["ETH Zürich", "Eidgenössische Technische Hochschule Zürich"],
              ["UCL", "University College London"],
              ["KIT", "Karlsruhe Institute of Technology"]]
    names = [n for g in groups for n in g]
    assert _nodes(tmp_path, names) == _grouped(*groups)


# -- 3. a town after a known institution ----------------------------------------------------------------------------

def test_a_town_after_an_institution_the_input_names_alone_is_that_institution(tmp_path):
    # was: 'Technical University of Munich, Freising' (its Weihenstephan campus) an Institution of its own
    tum = ["Technical University of Munich", "Technical University of Munich, Freising",
           "Chair of Brewing, Technical University of Munich, Freising, Germany", "TU München"]
    # kept apart: a generic name its city tells apart; a University of a country and its college; the two
    # universities of Rome, written after a University of Rome the input also names alone
    generic = ["University of Applied Sciences, Cologne", "University of Applied Sciences, Munich",
               "University of Applied Sciences"]
    nui = ["National University of Ireland, Galway", "National University of Ireland"]
    rome = ["University of Rome, Tor Vergata", "University of Rome, La Sapienza", "University of Rome"]
    names = tum + generic + nui + rome
    assert _nodes(tmp_path, names) == _grouped(tum, *([n] for n in generic + nui + rome))


def test_two_towns_after_one_university_are_two_campuses_kept_apart(tmp_path):
    # a University of X the input writes with two places after it is a system naming its campuses: none joins
    # it (University of California, Berkeley / Santa Barbara); one place joins (the TUM case above)
    names = ["University of Wisconsin, Madison", "University of Wisconsin, Milwaukee", "University of Wisconsin",
             "University of Tokyo, Kashiwa", "University of Tokyo"]
    assert _nodes(tmp_path, names) == _grouped(*([n] for n in names[:3]), names[3:])


def test_a_town_after_a_system_of_universities_is_a_university_of_its_own(tmp_path):
    # one campus written after a US state's University of X, a State University or an Institute of Technology
    # is one university of a system (Santa Barbara of California), not the bare system name the input also has
    names = ["University of California, Santa Barbara", "University of California",
             "State University of New York, Buffalo", "State University of New York",
             "Indian Institute of Technology, Kanpur", "Indian Institute of Technology",
             "University of North Carolina, Chapel Hill", "University of North Carolina"]
    assert _nodes(tmp_path, names) == _grouped(*([n] for n in names))
