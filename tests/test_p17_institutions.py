"""Institutions, session 17: names in their own language join their English names by curated rows (Karlsruher
Institut für Technologie, Danmarks Tekniske Universitet), and the rules that a regression tester found joining two
different universities are gone: an acronym spelt from a name in the other word order (TU Dortmund is no DTU), from
the packaged table's names (NUST is no NTNU, RIT no KTH), or a bare acronym guessing the input's one long name
ending in its kind (KIT and Kyoto Institute of Technology), and a town after a University of X (Tor Vergata).
Builds run the real CLI on CSL-JSON files read by the real reader, into the real embedded database, queried through
``graphkit query``.
"""

from __future__ import annotations

from tests.test_p16_institutions import _nodes


def _grouped(*groups: list[str]) -> list[list[str]]:
    return sorted(sorted(g) for g in groups)


def test_a_name_in_its_own_language_joins_its_english_name(tmp_path):
    karlsruhe = ["Karlsruhe Institute of Technology", "Karlsruher Institut für Technologie"]
    denmark = ["Technical University of Denmark", "Danmarks Tekniske Universitet"]
    norway = ["Norwegian University of Science and Technology", "Norges teknisk-naturvitenskapelige universitet"]
    assert _nodes(tmp_path, karlsruhe + denmark + norway) == _grouped(karlsruhe, denmark, norway)


def test_acronyms_and_towns_that_name_another_university_join_nothing(tmp_path):
    names = ["NUST", "PUST", "RIT",  # Pakistan's NUST, not NTNU; not POSTECH; Rochester, not KTH
             "DTU", "Technische Universität Dortmund",  # Delhi or Denmark, not Dortmund
             "KIT", "Kyoto Institute of Technology",  # Karlsruhe's, as often as Kyoto's: not guessed
             "University of Rome", "University of Rome, Tor Vergata",  # two universities of Rome
             "University of Milan", "University of Milan, Bicocca"]
    assert _nodes(tmp_path, names) == _grouped(*([n] for n in names))
