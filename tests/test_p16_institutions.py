"""One institution under its well-known names is one Institution node; different institutions stay apart.

Three causes (session 16): other languages' generic words that translate one to one (``Freie Universität`` is
``Free University``, ``Institut für`` is ``Institute for``), an acronym spelling the long name's first words
(``KIT``, ``FU Berlin``, ``LMU Munich``), and alias-table rows for names no rule can know (``ETH Zurich`` is the
``Swiss Federal Institute of Technology Zurich``). Builds run the real CLI on CSL-JSON files read by the real
reader, into the real embedded database, queried through ``graphkit query``.
"""

from __future__ import annotations

import json

import pytest

from graphkit.resolve.institutions import load_alias_table
from tests.cli import build_into, query

_FAMILIES = ["Quartz", "Brimble", "Castellano", "Drogheda", "Ebbesen", "Fairweather", "Gorshkov", "Halloran",
             "Ibarguen", "Jurczyk", "Kvaran", "Lindqvist", "Mbeki", "Oyelaran", "Przybylski", "Quaresma"]


def _items(affiliations: list[str]) -> list[dict]:
    """One paper per affiliation, by two authors of that affiliation who appear nowhere else."""
    items = []
    for i, written in enumerate(affiliations):
        family = _FAMILIES[i % len(_FAMILIES)] + "abcdefghijklmnopqrstuvwxyz"[i // len(_FAMILIES)]
        items.append({"id": f"p{i}", "type": "article-journal", "title": f"Study {i} of glacier number {i * 7 + 3}",
                      "issued": {"date-parts": [[2000 + i]]},
                      "author": [{"family": family, "given": "Anna", "affiliation": [{"name": written}]},
                                 {"family": family + "son", "given": "Boris", "affiliation": [{"name": written}]}]})
    return items


def _nodes(tmp_path, affiliations: list[str]) -> list[list[str]]:
    """Build the affiliations through ``graphkit build``; each Institution node's aliases, sorted."""
    (tmp_path / "items.json").write_text(json.dumps(_items(affiliations)), encoding="utf-8")
    out = build_into(tmp_path, tmp_path / "items.json")
    rows = query(out, "MATCH (i:Institution) RETURN i.aliases AS aliases")
    return sorted(sorted(r["aliases"]) for r in rows)


# -- 1. generic words translated one to one ------------------------------------------------------------------------

_TRANSLATED = ["Freie Universität Berlin", "Free University of Berlin",
               "Max-Planck-Institut für Informatik", "Max Planck Institute for Informatics",
               "Medizinische Universität Wien", "Medical University of Vienna",
               "Katholische Universität Eichstätt-Ingolstadt", "Catholic University of Eichstätt-Ingolstadt",
               "Universidad Católica de Chile", "Pontificia Universidad Católica de Chile",
               # others of the same places and kinds
               "Max Planck Institute for Software Systems", "Humboldt-Universität zu Berlin", "Universität Wien",
               "Universidad de Chile"]


@pytest.mark.parametrize("order", [1, -1], ids=["as listed", "reversed"])
def test_a_name_whose_generic_words_translate_one_to_one_is_one_node(tmp_path, order):
    nodes = _nodes(tmp_path, _TRANSLATED[::order])
    assert nodes == sorted([sorted(_TRANSLATED[0:2]), sorted(_TRANSLATED[2:4]), sorted(_TRANSLATED[4:6]),
                            sorted(_TRANSLATED[6:8]), sorted(_TRANSLATED[8:10]), *([n] for n in _TRANSLATED[10:])])


def test_a_romance_adjective_after_its_noun_is_not_read_in_english_order():
    # the Université libre de Bruxelles and the Vrije Universiteit Brussel are two universities, each the
    # "Free University of Brussels" in English: reading "libre" before its noun would make them one
    table = load_alias_table()
    assert table.canonical("Université libre de Bruxelles") is None
    assert table.canonical("Universidad Católica de Chile") == "Pontificia Universidad Católica de Chile"


def test_the_two_brussels_universities_stay_two_nodes(tmp_path):
    nodes = _nodes(tmp_path, ["Vrije Universiteit Brussel", "Université libre de Bruxelles", "VUB", "ULB"])
    assert nodes == [["ULB", "Université libre de Bruxelles"], ["VUB", "Vrije Universiteit Brussel"]]


# -- 2. an acronym of the long name's first words ------------------------------------------------------------------

_ACRONYMS = ["Karlsruher Institut für Technologie", "KIT",
             "Freie Universität Berlin", "FU Berlin",
             "University of Wisconsin-Madison", "UW Madison",
             "Ruhr-Universität Bochum", "RUB",
             # another campus, another kind, generic names: not joined
             "UW Milwaukee", "Humboldt-Universität zu Berlin", "TU Berlin",
             "Ohio State University", "OSU", "Computer Science Department", "CS Department"]


@pytest.mark.parametrize("order", [1, -1], ids=["long first", "acronym first"])
def test_an_acronym_of_the_long_names_first_words_and_the_same_rest_is_one_node(tmp_path, order):
    nodes = _nodes(tmp_path, _ACRONYMS[::order])
    assert nodes == sorted([sorted(_ACRONYMS[0:2]), sorted(_ACRONYMS[2:4]), sorted(_ACRONYMS[4:6]),
                            sorted(_ACRONYMS[6:8]), *([n] for n in _ACRONYMS[8:])])


def test_an_acronym_another_long_name_spells_is_not_taken():
    table = load_alias_table()
    # UCL is University College London in the table: the Université catholique de Louvain does not take it
    assert table.canonical("UCL") == "University College London"
    assert table.canonical("Université catholique de Louvain") is None
    assert table.canonical("UCLouvain") is None


# -- 3. the well-known names of the tester's institutions, and the pairs that must stay apart ----------------------

_KNOWN = {
    "Vrije Universiteit Amsterdam": ["Vrije Universiteit Amsterdam", "VU Amsterdam", "VU University Amsterdam",
                                     "Free University of Amsterdam"],
    "Pontificia Universidad Católica de Chile": ["Pontificia Universidad Católica de Chile", "PUC Chile",
                                                 "Catholic University of Chile", "Pontifical Catholic University of Chile"],
    "Ludwig-Maximilians-Universität München": ["Ludwig-Maximilians-Universität München", "LMU Munich",
                                               "University of Munich"],
    "KU Leuven": ["Katholieke Universiteit Leuven", "KU Leuven", "Catholic University of Leuven"],
    "ETH Zurich": ["ETH Zurich", "Eidgenössische Technische Hochschule Zürich",
                   "Swiss Federal Institute of Technology Zurich"],
    "École Polytechnique Fédérale de Lausanne": ["EPFL", "École Polytechnique Fédérale de Lausanne",
                                                 "Swiss Federal Institute of Technology Lausanne"],
    "Freie Universität Berlin": ["Freie Universität Berlin", "Free University of Berlin"],
    "Max-Planck-Institut für Informatik": ["Max-Planck-Institut für Informatik", "Max Planck Institute for Informatics"],
}
_OTHERS = ["Technische Universität München", "TU Munich", "University of Amsterdam", "Universiteit van Amsterdam",
           "Universidad de Chile", "Université catholique de Louvain", "UCLouvain",
           "Max Planck Institute for Software Systems", "University of Zurich"]


def test_the_well_known_names_of_one_institution_are_one_node_and_the_neighbours_stay_apart(tmp_path):
    written = [name for names in _KNOWN.values() for name in names] + _OTHERS
    nodes = _nodes(tmp_path, written)
    for names in _KNOWN.values():
        assert sorted(names) in nodes, names
    assert sorted(["Technische Universität München", "TU Munich"]) in nodes
    assert sorted(["University of Amsterdam", "Universiteit van Amsterdam"]) in nodes
    for alone in ["Universidad de Chile", "Université catholique de Louvain", "UCLouvain",
                  "Max Planck Institute for Software Systems", "University of Zurich"]:
        assert [alone] in nodes, alone
    assert len(nodes) == len(_KNOWN) + 7
    # the table's rows name the node: the canonical name, whichever spelling came first
    out = tmp_path / "out"
    names = {r["name"] for r in query(out, "MATCH (i:Institution) RETURN i.name AS name")}
    assert set(_KNOWN) - {"Freie Universität Berlin", "Max-Planck-Institut für Informatik"} <= names


@pytest.mark.parametrize("one, other", [
    (["Technische Universität München", "TU Munich"], ["Ludwig-Maximilians-Universität München", "LMU Munich"]),
    (["TUM", "Technical University of Munich"], ["University of Munich", "Ludwig Maximilian University of Munich"]),
    (["ETH Zurich", "Swiss Federal Institute of Technology Zurich"], ["EPFL", "Swiss Federal Institute of Technology Lausanne"]),
    (["University of Amsterdam", "Universiteit van Amsterdam"], ["VU Amsterdam", "Free University of Amsterdam"]),
    (["Universidad de Chile", "University of Chile"], ["PUC Chile", "Catholic University of Chile"]),
    (["UCLouvain"], ["KU Leuven", "Catholic University of Leuven"]),
    (["Université catholique de Louvain"], ["Katholieke Universiteit Leuven", "KU Leuven"]),
    (["Max Planck Institute for Software Systems", "MPI for Software Systems"],
     ["Max Planck Institute for Informatics", "Max-Planck-Institut für Informatik"]),
], ids=["TUM-LMU", "TUM-University of Munich", "ETH-EPFL", "UvA-VU", "Chile-PUC", "UCLouvain-KU Leuven",
        "Louvain-Leuven", "MPI-SWS-MPI-INF"])
def test_two_institutions_each_under_two_names_are_two_nodes(tmp_path, one, other):
    assert _nodes(tmp_path, one + other) == sorted([sorted(one), sorted(other)])


def test_the_university_of_munich_is_lmu_in_the_table_and_the_technical_university_is_not():
    table = load_alias_table()
    lmu = "Ludwig-Maximilians-Universität München"
    assert table.canonical("University of Munich") == lmu
    assert table.canonical("Universität München") == lmu  # the German of the same name
    assert table.canonical("Technische Universität München") is None
    assert table.canonical("Universität der Bundeswehr München") is None


# -- 4. Web of Science's abbreviations, and an address's city after a one-campus university (the names QA's H5) -----

def test_web_of_science_abbreviations_and_well_known_acronyms_are_one_node(tmp_path):
    # was: Korea Adv Inst Sci & Technol, KAIST and the long name three nodes (Adv unread, KAIST in no table),
    # which split two Korean authors of one lab; Chinese Acad Sci apart from the Academy of Sciences
    names = ["Korea Adv Inst Sci & Technol", "KAIST", "Korea Advanced Institute of Science and Technology",
             "Chinese Acad Sci", "Chinese Academy of Sciences", "China Agr Univ", "China Agricultural University",
             "Pohang University of Science and Technology"]
    assert _nodes(tmp_path, names) == sorted([sorted(names[0:3]), sorted(names[3:5]), sorted(names[5:7]), [names[7]]])


def test_an_address_place_after_a_university_of_that_place_is_no_campus_and_other_places_are(tmp_path):
    # was: 'University of Vienna, Vienna' an institution of its own; and the second QA round found the first
    # version of this rule joining Rome's Tor Vergata and La Sapienza, NUI Galway and Maynooth
    names = ["Department of Botany, University of Vienna, Vienna, Austria", "University of Vienna",
             "Dept of EECS, University of California, Berkeley, CA 94720, USA",
             "Dept of Physics, University of California, Santa Barbara, CA 93106, USA",
             "Dipartimento di Fisica, University of Rome, Tor Vergata, Rome, Italy",
             "Dipartimento di Fisica, University of Rome, La Sapienza, Rome, Italy",
             "School of Physics, National University of Ireland, Galway, Ireland",
             "Department of Physics, National University of Ireland, Maynooth, Ireland"]
    nodes = _nodes(tmp_path, names)
    assert nodes == sorted([sorted(names[0:2]), *([n] for n in names[2:])]), nodes


def test_words_standing_for_two_subjects_keep_institutes_apart(tmp_path):
    # the second QA round: reading Chem/chemical/chemistry as one word joined these
    names = ["Institute of Physical Chemistry", "Institute of Physics and Chemistry",
             "Institute of Mathematical Statistics", "Institute of Mathematics and Statistics"]
    assert _nodes(tmp_path, names) == sorted([n] for n in names)


@pytest.mark.parametrize("order", [1, -1], ids=["acronym first", "acronym last"])
def test_an_acronym_several_long_names_of_the_input_spell_joins_none_in_any_order(tmp_path, order):
    # the second QA round: UNC joined the Universidad Nacional de Colombia when it came before the other two
    names = ["UNC", "Universidad Nacional de Colombia", "Universidad Nacional de Córdoba",
             "University of North Carolina"]
    assert _nodes(tmp_path, names[::order]) == sorted([n] for n in names)
