"""Author identity: each rule of the engine, the curation file, the explanations."""

from __future__ import annotations

import json

import pytest

from graphkit.exceptions import InputError
from graphkit.resolve.curation import apply_curation, load_curation, parse_curation
from graphkit.resolve.identity import (
    Occurrence,
    is_common_name,
    name_form,
    name_match,
    occurrences_from_records,
    resolve_identities,
)

ORCID_A = "orcid:0000-0002-1825-0097"
ORCID_B = "orcid:0000-0001-5109-3700"


def occ(name, *, aff=(), co=(), ids=(), given=None, family=None):
    return Occurrence(name, given, family, tuple(ids), tuple(aff), tuple(co))


def people(result) -> list[set[int]]:
    """The partition of occurrence indices the result makes, as a sorted list of sets."""
    groups: dict[str, set[int]] = {}
    for i, key in enumerate(result.keys):
        groups.setdefault(key, set()).add(i)
    return sorted(groups.values(), key=min)


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "a, b",
    [
        ("Zhi-Hong Deng", "Zhihong DENG"),  # hyphen, case (Chinese given name)
        ("Chen, Zhifeng", "Zhifeng Chen"),  # order, where the source says which part is the family name
        ("Min-Jun Kim", "Minjun Kim"),  # Korean hyphenated given name
        ("José García Márquez", "Jose Garcia Marquez"),  # Spanish double surname, accents
        ("Björk Guðmundsdóttir", "Bjork Gudmundsdottir"),  # Icelandic patronymic, eth
        ("Søren Kierkegaard", "Soren Kierkegaard"),
        ("Vincent van Gogh", "Vincent Van Gogh"),  # Dutch particle
        ("T. Mikolov", "T Mikolov"),  # periods
    ],
)
def test_spellings_of_one_name_share_the_exact_key(a, b):
    assert name_form(a).exact == name_form(b).exact


def test_structured_parts_keep_family_and_given_apart():
    # BibTeX "Last, First", CSL-JSON family/given, arXiv's authors_parsed
    assert name_form("Chen, Zhifeng").exact == name_form("Zhifeng Chen").exact
    assert name_form("x", given="Gabriel", family="García Márquez").family == ("garcia", "marquez")
    assert name_form("Vincent van Gogh").family == ("van", "gogh")
    assert name_form("Martin Luther King Jr.").family == ("king",)


@pytest.mark.parametrize(
    "a, b, tier",
    [
        ("Liu Chao", "Chao Liu", 1),  # name order (Chinese)
        ("Kim Min-Jun", "Min-Jun Kim", 1),  # name order (Korean)
        ("Zhi Hong Deng", "Zhihong Deng", 1),  # spacing
        ("Ajay K. Gupta", "Ajay Gupta", 2),  # middle initial missing
        ("Matthew E. Peters", "Matthew Peters", 2),
        ("Gabriel García", "García Márquez, Gabriel", 1),  # second family name dropped
        ("T. Mikolov", "Tomas Mikolov", 2),  # initials-only source
        ("J.-P. Sartre", "Jean-Paul Sartre", 2),  # J.-P. is two initials of one hyphenated given name
        ("J. P. Sartre", "Jean Paul Sartre", 2),
        ("J.-P. Sartre", "Jean Sartre", 2),
        ("Jean Paul Sartre", "Jean Sartre", 2),
        ("Lei Zhang", "Lin Zhang", None),  # different given names
        ("Jón Sigurðsson", "Jón Sigurdardóttir", None),  # different patronymics are different people
        ("Luis van der Becker", "Luis van Zhiweiro", None),  # a shared particle is no shared family name
        ("Dmitri da Silva", "Dmitri da Costa", None),
        ("Gabriel García López", "Gabriel García Márquez", None),  # two different second family names
        ("García, Gabriel", "García Márquez, Gabriel", 1),
        ("J. P. Morgan", "JP Morgan", 1),  # initials run together: spacing
        ("Thomas Z. Hu", "Thomas Zhu", None),  # an initial run into the family name is another name
        ("Hu, Thomas Z.", "Zhu, Thomas", None),
    ],
)
def test_name_match_tiers(a, b, tier):
    got = name_match(name_form(a), name_form(b))
    assert (got[0] if got else None) == tier


def test_common_names():
    assert is_common_name(name_form("Wei Wang")) and is_common_name(name_form("Ji-hoon Park"))
    assert is_common_name(name_form("Nguyen Van An", family="Nguyen", given="Van An"))
    assert not is_common_name(name_form("Tomas Mikolov")) and not is_common_name(name_form("Björk Guðmundsdóttir"))


# --------------------------------------------------------------------------- identifiers


def test_same_id_is_one_person_whatever_the_names():
    result = resolve_identities([occ("Tomas Mikolov", ids=[ORCID_A]), occ("Mikolov, T.", ids=[ORCID_A]), occ("Tomáš Mikolov")])
    assert people(result) == [{0, 1, 2}]
    assert any(d.kind == "identifier" and ORCID_A.split(":")[1] in d.reason for d in result.decisions)


def test_different_ids_of_one_scheme_are_never_one_person():
    result = resolve_identities([occ("Wei Wang", ids=[ORCID_A], co=["lei zhang"]), occ("Wei Wang", ids=[ORCID_B], co=["lei zhang"])])
    assert people(result) == [{0}, {1}]
    split = [d for d in result.decisions if d.kind == "split"]
    assert split and "ids" in split[0].reason


def test_dblp_homonym_numbers_are_ids():
    result = resolve_identities([occ("Wei Wang", ids=["dblp:Wei Wang 0001"]), occ("Wei Wang", ids=["dblp:Wei Wang 0002"]),
                                 occ("Wei Wang", ids=["dblp:Wei Wang 0001"])])
    assert people(result) == [{0, 2}, {1}]


def test_an_id_on_one_occurrence_only_is_evidence_not_proof():
    # The id-less occurrence of a rare name joins the person with the id ...
    assert people(resolve_identities([occ("Tomas Mikolov", ids=[ORCID_A]), occ("Tomas Mikolov")])) == [{0, 1}]
    # ... but an id never outweighs an id of the same scheme, and ids of other schemes do not clash.
    result = resolve_identities([occ("Tomas Mikolov", ids=[ORCID_A, "openalex:A1"]), occ("Tomas Mikolov", ids=["openalex:A1"])])
    assert people(result) == [{0, 1}]


# --------------------------------------------------------------------------- name variants on evidence


def test_order_swap_merges_with_one_piece_of_evidence_only():
    with_aff = resolve_identities([occ("Chao Liu", aff=["Beihang University"]), occ("Liu Chao", aff=["Beihang University"])])
    assert people(with_aff) == [{0, 1}]
    alone = resolve_identities([occ("Chao Liu"), occ("Liu Chao")])
    assert people(alone) == [{0}, {1}]
    assert any(d.kind == "ambiguous" and "another order" in d.reason for d in alone.decisions)


def test_an_initial_glued_to_a_family_name_is_another_person_even_with_shared_coauthors():
    # found on a generated 100k-entry BibTeX file: two people who share three co-authors
    result = resolve_identities([occ("Thomas Z. Hu", co=["cagla silva", "ivan mohaora"]),
                                 occ("Thomas Zhu", co=["cagla silva", "ivan mohaora"])])
    assert people(result) == [{0}, {1}]


def test_initials_need_two_pieces_of_evidence_or_the_same_paper_position():
    one = [occ("Tomas Mikolov", co=["kai chen"]), occ("T. Mikolov", co=["kai chen"])]
    assert people(resolve_identities(one)) == [{0}, {1}]
    assert people(resolve_identities(one, bias="recall")) == [{0, 1}]  # the knob: fewer splits
    two = [occ("Tomas Mikolov", co=["kai chen", "greg corrado"]), occ("T. Mikolov", co=["kai chen", "greg corrado"])]
    assert people(resolve_identities(two)) == [{0, 1}]
    same_spot = [occ("Matthew E. Peters"), occ("Matthew Peters")]
    assert people(resolve_identities(same_spot)) == [{0}, {1}]
    result = resolve_identities(same_spot, links=[(0, 1, "first on ELMo in luke.txt:34 and kenton.txt:22")])
    assert people(result) == [{0, 1}]
    assert "luke.txt:34" in result.explain(result.keys[0])


def test_two_names_of_one_author_list_are_two_people():
    occs = [Occurrence("Wei Wang", coauthors=("w wang", "li deng", "xiaodong he"), where="a.bib:1"),
            Occurrence("W. Wang", coauthors=("wei wang", "li deng", "xiaodong he"), where="a.bib:1")]
    assert people(resolve_identities(occs, bias="recall")) == [{0}, {1}]


def test_a_variant_that_fits_two_people_joins_neither():
    occs = [occ("Amit Kumar", aff=["IIT Delhi"], co=["r sharma"]), occ("Anand Kumar", aff=["IIT Delhi"], co=["r sharma"]),
            occ("A. Kumar", aff=["IIT Delhi"], co=["r sharma"])]
    result = resolve_identities(occs)
    assert people(result) == [{0}, {1}, {2}]
    assert any(d.kind == "ambiguous" and "A. Kumar" in d.names for d in result.decisions)


def test_initial_cannot_chain_two_different_middle_names():
    occs = [occ("Matthew E. Peters"), occ("M. Peters"), occ("M. Peters"), occ("Matthew J. Peters")]
    keys = resolve_identities(occs, links=[(0, 1, "same spot on p1"), (2, 3, "same spot on p2")]).keys
    assert keys[0] != keys[3]


# --------------------------------------------------------------------------- homonyms


def test_common_name_at_two_institutions_is_two_people():
    occs = [occ("Lei Zhang", aff=["IBM Research"]), occ("Lei Zhang", aff=["IBM"]),
            occ("Lei Zhang", aff=["Shanghai Jiao Tong University"]), occ("Lei Zhang", aff=["Shanghai Jiao Tong Univ."])]
    result = resolve_identities(occs)
    assert people(result) == [{0, 1}, {2, 3}]
    assert "split from 1 other person" in result.explain(result.keys[2])
    assert not resolve_identities(occs, split_homonyms=False).keys.count(result.keys[2]) == 2 or True
    assert people(resolve_identities(occs, split_homonyms=False)) == [{0, 1, 2, 3}]


def test_shared_coauthors_join_a_person_who_moved():
    occs = [occ("Wei Wang", aff=["Peking University"], co=["aaron courville", "yoshua bengio"]),
            occ("Wei Wang", aff=["Mila"], co=["aaron courville", "yoshua bengio"])]
    assert people(resolve_identities(occs)) == [{0, 1}]
    # co-authors with very common names are weak evidence: two of them do not join two institutions
    common = [occ("Wei Wang", aff=["Peking University"], co=["zhifeng chen", "lei zhang"]),
              occ("Wei Wang", aff=["Mila"], co=["zhifeng chen", "lei zhang"])]
    assert people(resolve_identities(common)) == [{0}, {1}]


def test_one_shared_common_coauthor_name_does_not_join_two_institutions():
    occs = [occ("Wei Wang", aff=["Peking University"], co=["lei zhang"]), occ("Wei Wang", aff=["Zhejiang University"], co=["lei zhang"])]
    assert people(resolve_identities(occs)) == [{0}, {1}]


def test_rare_name_at_two_institutions_stays_one_person():
    occs = [occ("Albrecht Schmidt", aff=["Aalborg University"]), occ("Albrecht Schmidt", aff=["Technische Universität München"])]
    result = resolve_identities(occs)
    assert people(result) == [{0, 1}]
    assert "2 affiliations" in result.explain(result.keys[0])


def test_rare_name_with_disjoint_known_circles_splits():
    occs = [occ("Maria Silva", aff=["University of Porto"], co=["joao costa", "rui pereira"]),
            occ("Maria Silva", aff=["University of Porto"], co=["joao costa"]),
            occ("Maria Silva", aff=["Universidade de São Paulo"], co=["ana souza", "pedro lima"])]
    assert people(resolve_identities(occs)) == [{0, 1}, {2}]
    assert people(resolve_identities(occs, split_homonyms=False)) == [{0, 1, 2}]


def test_unplaced_occurrences_join_a_dominant_person_or_stay_apart():
    dominant = [occ("Jian Zhang", aff=["Chinese Academy of Sciences"])] * 9 + [occ("Jian Zhang", aff=["Purdue University"]), occ("Jian Zhang")]
    assert people(resolve_identities(dominant))[0] == set(range(9)) | {10}
    balanced = [occ("Jian Zhang", aff=["Chinese Academy of Sciences"])] * 3 + [occ("Jian Zhang", aff=["Purdue University"])] * 3 + [occ("Jian Zhang")]
    result = resolve_identities(balanced)
    assert people(result) == [{0, 1, 2}, {3, 4, 5}, {6}]
    assert any(d.kind == "ambiguous" and "could belong to any of 2 people" in d.reason for d in result.decisions)
    assert people(resolve_identities(balanced, bias="recall"))[0] == {0, 1, 2, 6}


def test_a_name_with_no_contrary_evidence_stays_one_person():
    occs = [occ("Zhengxin Zhang", co=["zhihao zhang"]), occ("Zhengxin Zhang", co=["zhi-hong deng"]), occ("Zhengxin Zhang")]
    result = resolve_identities(occs)
    assert people(result) == [{0, 1, 2}]
    assert result.decisions == []
    assert "no contrary evidence" in result.explain("zhengxin zhang")


def test_keys_are_stable_and_readable():
    occs = [occ("Lei Zhang", aff=["IBM"])] * 2 + [occ("Lei Zhang", aff=["Fudan University"])]
    first, second = resolve_identities(occs).keys, resolve_identities(list(occs)).keys
    assert first == second == ["lei zhang", "lei zhang", "lei zhang~fudan"]


def test_blocks_above_the_cap_are_skipped_and_counted():
    occs = [occ(f"{g} Smith", co=["x y"]) for g in ("Adam", "Alan", "Alex", "Amy", "Ann")] + [occ("A. Smith", co=["x y"])]
    result = resolve_identities(occs, max_block=3)
    assert result.skipped_blocks >= 1
    assert len(set(result.keys)) == 6


# --------------------------------------------------------------------------- curation


def test_curation_yaml_rules(tmp_path):
    path = tmp_path / "ids.yaml"
    path.write_text(
        "same:\n  - [Tomas Mikolov, T. Mikolov]\n"
        "never:\n  - [Albrecht Schmidt @ Aalborg, Albrecht Schmidt @ München]\n"
        "id:\n  - {name: Lei Zhang, affiliation: IBM, id: 'orcid:0000-0002-1825-0097'}\n",
        encoding="utf-8",
    )
    cur = load_curation(path)
    assert [(r.kind, r.line) for r in cur.rules] == [("same", 2), ("never", 4), ("id", 6)]
    occs = [occ("Tomas Mikolov"), occ("T. Mikolov"), occ("Albrecht Schmidt", aff=["Aalborg University"]),
            occ("Albrecht Schmidt", aff=["Technische Universität München"]), occ("Lei Zhang", aff=["IBM Research"]),
            occ("Lei Zhang", aff=["IBM"]), occ("Lei Zhang", aff=["Fudan University"], ids=[ORCID_B])]
    result = resolve_identities(occs, curation=cur)
    assert people(result) == [{0, 1}, {2}, {3}, {4, 5}, {6}]
    log = [d.reason for d in result.decisions if d.kind == "curation"]
    assert log[0].endswith("same: 'Tomas Mikolov' (1) / 'T. Mikolov' (1)") and "ids.yaml:2" in log[0]
    assert "is orcid:0000-0002-1825-0097" in log[2]
    assert result.problems == []


def test_curation_csv_with_a_group_of_three(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text("rule,first,second\nsame,Zhifeng Chen,Z. Chen\nsame,Zhifeng Chen,Chen Zhi-Feng\n", encoding="utf-8")
    cur = load_curation(path)
    assert cur.rules[0].selectors == ("Zhifeng Chen", "Z. Chen", "Chen Zhi-Feng")
    result = resolve_identities([occ("Zhifeng Chen"), occ("Z. Chen"), occ("Chen Zhi-Feng")], curation=cur)
    assert len(set(result.keys)) == 1


def test_curation_rule_matching_nothing_is_a_problem(tmp_path):
    cur = parse_curation("same:\n  - [Tomas Mikolov, Tomas Mikolv]\n", source="ids.yaml")
    _, _, problems = apply_curation([occ("Tomas Mikolov")], cur)
    assert [str(p) for p in problems] == ["ids.yaml:2: identities rule 'same': 'Tomas Mikolv' matches no author"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("same:\n  - [Only One]\n", "ids.yaml:2: a 'same' rule needs at least two names"),
        ("never:\n  - [A, B, C]\n", "ids.yaml:2: a 'never' rule names exactly two people"),
        ("id:\n  - [Lei Zhang, 0000-0002]\n", "ids.yaml:2: an 'id' rule is [name (@ affiliation), scheme:value]"),
        ("same: [\n", "ids.yaml:2: not valid YAML"),
        ("- a\n", "ids.yaml:1: expected a mapping"),
        ("rule,first,second\nsame,a\n", "ids.yaml:2: expected 3 columns"),
        ("rule,first,second\nalias,a,b\n", "ids.yaml:2: unknown rule 'alias'"),
    ],
)
def test_bad_curation_files_name_the_line(text, message):
    with pytest.raises(InputError) as err:
        parse_curation(text, source="ids.yaml")
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


def test_missing_curation_file_is_one_line(tmp_path):
    with pytest.raises(InputError, match=r"nope\.yaml: cannot read the identities file"):
        load_curation(tmp_path / "nope.yaml")


# --------------------------------------------------------------------------- records in, report out


def test_occurrences_from_records_carry_affiliations_ids_and_coauthors():
    from graphkit.models import AffiliationRef, AuthorRef, PaperRecord

    rec = PaperRecord(
        title="Efficient Estimation of Word Representations in Vector Space", ids=("arxiv:1301.3781",), year=2013,
        authors=(AuthorRef(name="Tomas Mikolov", position=0, ids=("openalex:A5077101330",),
                           affiliations=(AffiliationRef(name="Google", ids=("ror:00njsd438",)),)),
                 AuthorRef(name="Kai Chen", position=1)),
        source="w.jsonl", line=1)
    first, second = occurrences_from_records([rec])
    assert first.affiliations == ("ror:00njsd438",) and first.ids == ("openalex:A5077101330",)
    assert first.coauthors == ("kai chen",) and first.paper == "arxiv:1301.3781" and second.position == 1


def test_every_decision_serialises():
    occs = [occ("Lei Zhang", aff=["IBM"]), occ("Lei Zhang", aff=["Fudan"]), occ("Chao Liu"), occ("Liu Chao"),
            occ("Wei Wang", ids=[ORCID_A]), occ("W. Wang", ids=[ORCID_A])]
    result = resolve_identities(occs)
    kinds = {d.kind for d in result.decisions}
    assert {"split", "ambiguous", "identifier"} <= kinds
    json.dumps([d.as_dict() for d in result.decisions])
    assert result.stats()["identity_split"] == 1


# --------------------------------------------------------------------------- the command


@pytest.fixture(scope="module")
def examples_build(tmp_path_factory):
    from typer.testing import CliRunner

    from graphkit.cli import app

    from .conftest import EXAMPLES

    out = tmp_path_factory.mktemp("identities")
    result = CliRunner().invoke(app, ["build", str(EXAMPLES), "--out", str(out), "--as-of", "2026-11-21"])
    assert result.exit_code == 0, result.output
    return out


def _identities(*args):
    from typer.testing import CliRunner

    from graphkit.cli import app

    return CliRunner().invoke(app, ["identities", *args])


def test_identities_command_lists_merges_with_their_evidence(examples_build):
    result = _identities("--db", str(examples_build), "--name", "matthew peters", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    (merge,) = [r for r in rows if r["kind"] == "merge"]
    assert sorted(merge["names"]) == ["Matthew E. Peters", "Matthew Peters"]
    assert "position 0" in merge["evidence"] and "kenton-lee.txt:22" in merge["evidence"]
    csv_out = _identities("--db", str(examples_build / "graph.lbdb"), "--kind", "merge", "--format", "csv")
    assert csv_out.exit_code == 0 and csv_out.stdout.startswith("kind,names,authors,occurrences,evidence\n")
    assert "Ming-Wei Chang" in csv_out.stdout


def test_identities_command_errors_are_one_line(tmp_path, examples_build):
    missing = _identities("--db", str(tmp_path / "nowhere"))
    assert missing.exit_code == 1 and "no report.json in" in missing.output and "Traceback" not in missing.output
    bad = _identities("--db", str(examples_build), "--kind", "marriage")
    assert bad.exit_code != 0 and "'marriage' is not one of" in bad.output


def test_a_family_name_the_corpus_shows_with_many_given_names_counts_as_common():
    others = [occ(f"{g} Müller") for g in ("Martin", "Jürgen", "Jens", "Sascha")]
    stefan = [occ("Stefan Müller", aff=["University of Koblenz"]), occ("Stefan Müller", aff=["Fraunhofer Society"])]
    assert people(resolve_identities(stefan + others))[:2] == [{0}, {1}]  # five given names: Müller is common here
    assert people(resolve_identities(stefan + others[:2]))[0] == {0, 1}  # three: a rarer name, one person who moved
    assert people(resolve_identities(stefan + others, bias="recall"))[0] == {0, 1}


# --------------------------------------------------------------------------- graphkit build with identities

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures" / "identity"


def _build(tmp_path, *options):
    from typer.testing import CliRunner

    from graphkit.cli import app

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(FIXTURES / "works.jsonl"), "--out", str(out), *options])
    return out, result


def _authors(out) -> dict[str, tuple]:
    from graphkit.store.embedded import EmbeddedStore

    rows = EmbeddedStore(out / "graph.lbdb").query(
        "MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN a.id AS id, a.name AS name, a.orcid AS orcid, count(p) AS papers")
    return {r["id"]: (r["name"], r["orcid"], r["papers"]) for r in rows}


def test_build_splits_homonyms_and_joins_variants_in_the_store(tmp_path):
    out, result = _build(tmp_path)
    assert result.exit_code == 0, result.output
    authors = _authors(out)
    lei = {aid: v for aid, v in authors.items() if v[0] == "Lei Zhang"}
    assert sorted(v[2] for v in lei.values()) == [2, 2] and len(lei) == 2  # two people, two papers each
    assert authors["author:tomas-mikolov"] == ("Tomas Mikolov", None, 2)  # T. Mikolov joined on affiliation + co-author
    assert authors["author:liu-chao"][2] == 2  # Chao Liu / Liu Chao joined on the affiliation
    report = json.loads((out / "report.json").read_text())
    section = report["identities"]
    assert section["settings"] == {"bias": "precision", "split_homonyms": True, "identities_file": None}
    (split,) = [d for d in section["decisions"] if d["kind"] == "split"]
    assert sorted(split["keys"]) == sorted(lei) and "different affiliations" in split["reason"]
    assert all(aid in section["authors"] for aid in lei)  # each of them explained
    assert "authors split 1" in result.stdout


def test_build_without_homonym_splitting(tmp_path):
    out, result = _build(tmp_path, "--no-homonym-split")
    assert result.exit_code == 0, result.output
    assert _authors(out)["author:lei-zhang"] == ("Lei Zhang", None, 4)


def test_build_applies_the_identities_file_first(tmp_path):
    out, result = _build(tmp_path, "--identities", str(FIXTURES / "ids.yaml"))
    assert result.exit_code == 0, result.output
    authors = _authors(out)
    assert authors["author:lei-zhang~orcid-0000-0002-1825-0097"] == ("Lei Zhang", "0000-0002-1825-0097", 2)
    assert "ids.yaml:5: identities rule 'never': 'Hao Chen @ Fudan' matches no author" in result.output
    report = json.loads((out / "report.json").read_text())
    assert report["problem_count"] == 1 and report["identities"]["settings"]["identities_file"].endswith("ids.yaml")
    strict_out, strict = _build(tmp_path / "strict", "--identities", str(FIXTURES / "ids.yaml"), "--strict")
    assert strict.exit_code == 1
    # a CSV "same" rule joins what the affiliations split
    out, result = _build(tmp_path / "csv", "--identities", str(FIXTURES / "ids.csv"))
    assert result.exit_code == 0, result.output
    assert _authors(out)["author:lei-zhang"][2] == 4


def test_build_with_a_bad_identities_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("same:\n  - [Only One]\n", encoding="utf-8")
    out, result = _build(tmp_path, "--identities", str(bad))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].endswith("bad.yaml:2: a 'same' rule needs at least two names")
    assert "Traceback" not in result.output and not (out / "graph.lbdb").exists()


def test_profile_pages_without_contrary_evidence_keep_one_person_per_name(seeds_dir, as_of):
    from graphkit.pipeline import build_knowledge_graph

    result = build_knowledge_graph([seeds_dir], as_of=as_of)
    counts = result.resolution.identities["counts"]
    assert result.counts()["Author"] == 95 and counts["identity_split"] == 0 and counts["identity_ambiguous"] == 0
    assert result.resolution.ambiguous == []
