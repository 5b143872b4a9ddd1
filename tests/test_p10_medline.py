"""PubMed exports in MEDLINE ("PubMed") format: a Save ``pubmed-...-set.txt`` found by sniffing, a Cite ``.nbib``
by its suffix, per-author affiliations and ORCIDs, group authors, merges with other formats, problems with lines.

Every input is written here as PubMed writes it (public bibliographic facts); expectations are read off that
text. Real files, the real pipeline and embedded store, the real CLI.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.pipeline import build_knowledge_graph, extract_all
from graphkit.readers.registry import iter_inputs
from graphkit.store import EmbeddedStore

from .conftest import AS_OF, EXAMPLES

runner = CliRunner()

ZHOU = """PMID- 32015507
OWN - NLM
STAT- MEDLINE
DCOM- 20200320
IS  - 1476-4687 (Electronic)
IS  - 0028-0836 (Linking)
VI  - 579
IP  - 7798
DP  - 2020 Mar
TI  - A pneumonia outbreak associated with a new coronavirus of probable bat
      origin.
PG  - 270-273
LID - 10.1038/s41586-020-2012-7 [doi]
AB  - Since the outbreak of severe acute respiratory syndrome (SARS) 18 years ago, a
      large number of SARS-related coronaviruses (SARSr-CoVs) have been discovered in
      their natural reservoir host, bats.
FAU - Zhou, Peng
AU  - Zhou P
AD  - CAS Key Laboratory of Special Pathogens and Biosafety, Wuhan Institute of
      Virology, Center for Biosafety Mega-Science, Chinese Academy of Sciences, Wuhan,
      China.
FAU - Yang, Xing-Lou
AU  - Yang XL
AD  - CAS Key Laboratory of Special Pathogens and Biosafety, Wuhan Institute of
      Virology, Center for Biosafety Mega-Science, Chinese Academy of Sciences, Wuhan,
      China.
AD  - University of Chinese Academy of Sciences, Beijing, China.
FAU - Shi, Zheng-Li
AU  - Shi ZL
AUID- ORCID: 0000-0001-8089-163X
AD  - CAS Key Laboratory of Special Pathogens and Biosafety, Wuhan Institute of
      Virology, Center for Biosafety Mega-Science, Chinese Academy of Sciences, Wuhan,
      China. zlshi@wh.iov.cn.
LA  - eng
PT  - Journal Article
PT  - Research Support, Non-U.S. Gov't
DEP - 20200203
PL  - England
TA  - Nature
JT  - Nature
JID - 0410462
PMC - PMC7095418
AID - 10.1038/s41586-020-2012-7 [doi]
AID - 10.1038/s41586-020-2012-7 [pii]
SO  - Nature. 2020 Mar;579(7798):270-273. doi: 10.1038/s41586-020-2012-7. Epub 2020
      Feb 3.
"""

HARVEY = """PMID- 34075212
OWN - NLM
STAT- MEDLINE
VI  - 19
IP  - 7
DP  - 2021 Jul
TI  - SARS-CoV-2 variants, spike mutations and immune escape.
PG  - 409-424
LID - 10.1038/s41579-021-00573-0 [doi]
FAU - Harvey, William T
AU  - Harvey WT
AD  - MRC-University of Glasgow Centre for Virus Research, Glasgow, UK.
FAU - Rambaut, Andrew
AU  - Rambaut A
AUID- ORCID: https://orcid.org/0000-0003-4337-3707
AD  - Institute of Evolutionary Biology, University of Edinburgh, Edinburgh, UK.
CN  - COVID-19 Genomics UK (COG-UK) Consortium
FAU - Robertson, David L
AU  - Robertson DL
AUID- ORCID: 0000-0001-6338-0221
AD  - MRC-University of Glasgow Centre for Virus Research, Glasgow, UK.
      david.l.robertson@glasgow.ac.uk.
LA  - eng
PT  - Journal Article
PT  - Review
DEP - 20210601
TA  - Nat Rev Microbiol
JT  - Nature reviews. Microbiology
AID - 10.1038/s41579-021-00573-0 [doi]
SO  - Nat Rev Microbiol. 2021 Jul;19(7):409-424. doi: 10.1038/s41579-021-00573-0. Epub
      2021 Jun 1.
"""

# A 1990 record: no FAU, one address for the whole paper before the authors, the day in DP.
BLAST = """PMID- 2231712
OWN - NLM
STAT- MEDLINE
DP  - 1990 Oct 5
TI  - Basic local alignment search tool.
PG  - 403-10
AB  - A new approach to rapid sequence comparison, basic local alignment search tool
      (BLAST), directly approximates alignments that optimize a measure of local
      similarity, the maximal segment pair (MSP) score.
AD  - National Center for Biotechnology Information, National Library of Medicine,
      Bethesda, MD 20894.
AU  - Altschul SF
AU  - Gish W
AU  - Miller W
AU  - Myers EW
AU  - Lipman DJ
LA  - eng
PT  - Journal Article
TA  - J Mol Biol
JT  - Journal of molecular biology
AID - 10.1016/S0022-2836(05)80360-2 [doi]
SO  - J Mol Biol. 1990 Oct 5;215(3):403-10.
"""

ZHOU_RIS = """TY  - JOUR
AU  - Zhou, Peng
AU  - Yang, Xing-Lou
AU  - Shi, Zheng-Li
TI  - A pneumonia outbreak associated with a new coronavirus of probable bat origin
T2  - Nature
PY  - 2020
VL  - 579
SP  - 270
EP  - 273
DO  - 10.1038/s41586-020-2012-7
ER  - 
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_pubmed_save_file_txt_is_sniffed_as_medline_with_per_author_affiliations_and_orcids(tmp_path):
    path = _write(tmp_path / "pubmed-coronavirus-set.txt", ZHOU + "\n" + HARVEY + "\n" + BLAST)
    readers: dict = {}
    profiles, records, problems, files = extract_all([path], as_of=AS_OF, readers=readers)
    assert readers == {"medline": {"sniffed": 1}} and problems == [] and profiles == [] and files == 1
    zhou, harvey, blast = records
    assert zhou.title == "A pneumonia outbreak associated with a new coronavirus of probable bat origin"
    assert zhou.ids == ("pmid:32015507", "doi:10.1038/s41586-020-2012-7")
    assert (zhou.year, zhou.date, zhou.venue, zhou.kind, zhou.line) == (2020, None, "Nature", "article", 1)
    assert zhou.abstract.startswith("Since the outbreak of severe acute respiratory syndrome (SARS) 18 years ago, a large")
    assert zhou.urls == ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7095418/",)
    wiv = "CAS Key Laboratory of Special Pathogens and Biosafety, Wuhan Institute of Virology, " \
          "Center for Biosafety Mega-Science, Chinese Academy of Sciences, Wuhan, China"
    assert [(a.given, a.family, a.position, a.ids, [(f.name, f.country) for f in a.affiliations]) for a in zhou.iter_authors()] == [
        ("Peng", "Zhou", 0, (), [(wiv, "CN")]),
        ("Xing-Lou", "Yang", 1, (), [(wiv, "CN"), ("University of Chinese Academy of Sciences, Beijing, China", "CN")]),
        ("Zheng-Li", "Shi", 2, ("orcid:0000-0001-8089-163X",), [(wiv, "CN")]),  # the e-mail is no part of the address
    ]
    assert zhou.institutions == ()
    # the group author in its place, the ORCID of the author above each AUID, the full journal title as venue
    assert [(a.name, a.given, a.ids) for a in harvey.iter_authors()] == [
        ("William T Harvey", "William T", ()),
        ("Andrew Rambaut", "Andrew", ("orcid:0000-0003-4337-3707",)),
        ("COVID-19 Genomics UK (COG-UK) Consortium", None, ()),
        ("David L Robertson", "David L", ("orcid:0000-0001-6338-0221",)),
    ]
    assert [f.name for f in list(harvey.iter_authors())[3].affiliations] == ["MRC-University of Glasgow Centre for Virus Research, Glasgow, UK"]
    assert list(harvey.iter_authors())[3].affiliations[0].country == "GB"
    assert (harvey.venue, harvey.kind, harvey.year, harvey.ids[0]) == ("Nature reviews. Microbiology", "article", 2021, "pmid:34075212")
    # an old record: initials only, one address for the paper, a full date
    assert blast.author_names == ("S. F. Altschul", "W. Gish", "W. Miller", "E. W. Myers", "D. J. Lipman")
    assert [(a.given, a.family, a.affiliations) for a in blast.iter_authors()][0] == ("S. F.", "Altschul", ())
    assert [i.name for i in blast.institutions] == [
        "National Center for Biotechnology Information, National Library of Medicine, Bethesda, MD 20894"]
    assert (blast.date, blast.ids) == (dt.date(1990, 10, 5), ("pmid:2231712", "doi:10.1016/s0022-2836(05)80360-2"))


def test_nbib_from_cite_is_read_by_suffix_and_books_and_preprints_get_their_kind(tmp_path):
    book = ("PMID- 20301295\nSTAT- Publisher\nDP  - 1993\nBTI - GeneReviews(R)\nFED - Adam, Margaret P\nED  - Adam MP\n"
            "AD  - University of Washington, Seattle, Washington, USA\nPT  - Book\nPL  - Seattle (WA)\n")
    preprint = ("PMID- 32511511\nDP  - 2020 Jun 2\nTI  - A comparison of COVID-19 testing strategies.\n"
                "FAU - Lee, Ann\nAU  - Lee A\nPT  - Preprint\nTA  - medRxiv\n"
                "JT  - medRxiv : the preprint server for health sciences\n")
    path = tmp_path / "citation.nbib"
    path.write_bytes(("\ufeff" + ZHOU + "\n" + book + "\n" + preprint).replace("\n", "\r\n").encode("utf-8"))
    readers: dict = {}
    _, records, problems, _ = extract_all([path], as_of=AS_OF, readers=readers)
    assert readers == {"medline": {"suffix": 1}} and problems == []
    zhou, genereviews, medrxiv = records
    assert zhou.ids == ("pmid:32015507", "doi:10.1038/s41586-020-2012-7") and zhou.author_names[-1] == "Zheng-Li Shi"
    # editors are never authors, and their addresses are not the paper's
    assert (genereviews.title, genereviews.kind, genereviews.authors, genereviews.institutions) == ("GeneReviews(R)", "book", (), ())
    assert (medrxiv.kind, medrxiv.date, medrxiv.venue) == ("preprint", dt.date(2020, 6, 2), "medRxiv : the preprint server for health sciences")


def test_pubmed_paper_merges_with_the_same_doi_from_ris(tmp_path):
    _write(tmp_path / "pubmed-zhou-set.txt", ZHOU)
    _write(tmp_path / "zotero.ris", ZHOU_RIS)
    result = build_knowledge_graph([tmp_path], as_of=AS_OF)
    assert result.problems == [] and result.readers == {"medline": {"sniffed": 1}, "ris": {"suffix": 1}}
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    store.write(result.tables)
    [paper] = store.query("MATCH (p:Paper) RETURN p.doi AS doi, p.sources AS sources, p.ids AS ids", {})
    assert paper["doi"] == "10.1038/s41586-020-2012-7" and len(paper["sources"]) == 2
    assert "pmid:32015507" in paper["ids"]
    names = store.query("MATCH (a:Author)-[:AUTHORED]->(:Paper) RETURN a.name AS name ORDER BY name", {})
    assert [r["name"] for r in names] == ["Peng Zhou", "Xing-Lou Yang", "Zheng-Li Shi"]
    assert store.query("MATCH (i:Institution) RETURN count(i) AS n", {})[0]["n"] >= 1


def test_profile_pages_and_wos_txt_are_still_chosen_as_before(tmp_path):
    for page in sorted(EXAMPLES.glob("*.txt")):
        shutil.copy(page, tmp_path / page.name)
    shutil.copy(EXAMPLES.parent / "wos" / "savedrecs.txt", tmp_path / "savedrecs.txt")
    _write(tmp_path / "pubmed-zhou-set.txt", ZHOU)
    chosen = {Path(f.path).name: (f.format, f.how) for f in iter_inputs([tmp_path])}
    assert chosen.pop("pubmed-zhou-set.txt") == ("medline", "sniffed")
    assert chosen.pop("savedrecs.txt") == ("wos", "sniffed")
    assert chosen and set(chosen.values()) == {("profile", "suffix")}
    profiles, records, problems, _ = extract_all([tmp_path], as_of=AS_OF)
    assert problems == [] and len(profiles) == len(chosen)
    assert not any("PMID" in name for r in records for name in r.author_names)


def test_malformed_lines_and_records_are_reported_with_their_line_and_the_rest_is_read(tmp_path):
    text = ("Search results from PubMed\n"  # 1: before any record
            "\n"
            + ZHOU  # 3..
            + "\n"
            "PMID- 99999999\n"
            "OWN - NLM\n"
            "FAU - Nobody, Known\n"
            "AU  - Nobody K\n"
            "\n"
            "PMID- 34075212\n"
            "DP  - 2021 Feb 30\n"
            "TI  - SARS-CoV-2 variants, spike mutations and immune escape.\n"
            "this line lost its tag\n"
            "AUID- ORCID: 0000-0003-4337-3707\n"
            "FAU - Harvey, William T\n"
            "AU  - Harvey WT\n"
            "AUID- ORCID: 0000-0003-4337-3708\n")
    path = _write(tmp_path / "edited-by-hand.nbib", text)
    lines = text.splitlines()
    _, records, problems, _ = extract_all([path], as_of=AS_OF)
    at = {p.line: p.message for p in problems}
    assert at.pop(1) == "line outside a record (no PMID before it): 'Search results from PubMed'"
    no_title = lines.index("PMID- 99999999") + 1
    assert at.pop(no_title) == "record (PMID 99999999) has no title (TI or BTI); skipped"
    assert at.pop(lines.index("DP  - 2021 Feb 30") + 1) == "impossible date '2021 Feb 30' in DP; read the year only"
    assert at.pop(lines.index("this line lost its tag") + 1) == (
        "line is neither 'TAG - value' nor an indented continuation; skipped: 'this line lost its tag'")
    assert at.pop(lines.index("AUID- ORCID: 0000-0003-4337-3707") + 1) == "AUID 'ORCID: 0000-0003-4337-3707' before any author; not used"
    assert at.pop(lines.index("AUID- ORCID: 0000-0003-4337-3708") + 1) == (
        "AUID 'ORCID: 0000-0003-4337-3708' is not a valid ORCID iD; not used")
    assert at == {} and all(p.source == str(path) for p in problems)
    assert [(r.title, r.year, r.date, r.author_names) for r in records] == [
        ("A pneumonia outbreak associated with a new coronavirus of probable bat origin", 2020, None,
         ("Peng Zhou", "Xing-Lou Yang", "Zheng-Li Shi")),
        ("SARS-CoV-2 variants, spike mutations and immune escape", 2021, None, ("William T Harvey",)),
    ]
    assert records[1].line == lines.index("PMID- 34075212") + 1


def test_build_strict_exits_1_on_a_medline_problem(tmp_path):
    good = _write(tmp_path / "pubmed-good-set.txt", ZHOU)
    bad = _write(tmp_path / "pubmed-bad-set.txt", ZHOU.replace("DP  - 2020 Mar\n", "DP  - 2020 Feb 30\n"))
    ok = runner.invoke(app, ["build", str(good), "--out", str(tmp_path / "out1"), "--strict"])
    assert ok.exit_code == 0, ok.output
    strict = runner.invoke(app, ["build", str(bad), "--out", str(tmp_path / "out2"), "--strict"])
    assert strict.exit_code == 1 and "impossible date '2020 Feb 30' in DP" in strict.output
    assert "Traceback" not in strict.output
