"""BibTeX and RIS as exporters really write them: biblatex names, JabRef 2 headers, crossref books,
LaTeX line breaks, Mendeley's escaped URLs, old Mac line ends, Web of Science and Scopus extras,
impossible RIS dates. Each through `graphkit extract` on a file written here."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.readers.bibtex import parse_compact, read_bibtex
from graphkit.resolve.records import compact

runner = CliRunner()


def extract(path, *options):
    """The papers `graphkit extract` writes for ``path``, and its problem lines."""
    result = runner.invoke(app, ["extract", str(path), "--format", "json", *options])
    papers = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    problems = [line.removeprefix("problem: ") for line in result.stderr.splitlines() if line.startswith("problem: ")]
    return result, papers, problems


def by_title(papers, start):
    return next(p for p in papers if p["title"].startswith(start))


def test_biblatex_extended_names_are_people_not_key_value_soup(tmp_path):
    path = tmp_path / "zotero-bbt.bib"
    path.write_text(
        "@article{harris2020,\n"
        "  title = {Array Programming with {{NumPy}}},\n"
        "  author = {Harris, Charles R. and family=Walt, given=Stéfan J., prefix=van der, useprefix=true and "
        "family=Kerkwijk, given=Marten H., prefix=van, useprefix=true and "
        "family=Río, given=Jaime Fernández, prefix=del, useprefix=false and "
        "family=King, given=\"Martin Luther\", suffix=Jr. and family=G{\\\"o}del, given=Kurt, given-i=K},\n"
        "  date = {2020-09},\n  journaltitle = {Nature},\n  doi = {10.1038/s41586-020-2649-2}\n}\n",
        encoding="utf-8",
    )
    result, [paper], problems = extract(path)
    assert result.exit_code == 0 and problems == []
    assert [(a["name"], a["given"], a["family"]) for a in paper["authors"]] == [
        ("Charles R. Harris", "Charles R.", "Harris"),
        ("Stéfan J. van der Walt", "Stéfan J.", "van der Walt"),
        ("Marten H. van Kerkwijk", "Marten H.", "van Kerkwijk"),
        ("Jaime Fernández del Río", "Jaime Fernández", "del Río"),
        ("Martin Luther King Jr.", "Martin Luther", "King"),
        ("Kurt Gödel", "Kurt", "Gödel"),
    ]


def test_jabref_2_encoding_line_below_the_created_with_line_is_honoured(tmp_path):
    body = (
        "% This file was created with JabRef 2.10.\n% Encoding: ENCODING\n\n"
        "@ARTICLE{Pawlak1982,\n  author = {Zdzisław Pawlak},\n  title = {Rough sets},\n  year = {1982}\n}\n\n"
        "@BOOK{Hajek1992,\n  author = {Hájek, Petr and Havránek, Tomáš and Jiroušek, Radim},\n"
        "  title = {Uncertain Information Processing in Expert Systems},\n  year = {1992}\n}\n"
    )
    for java, codec in (("ISO8859_2", "iso8859_2"), ("Cp1250", "cp1250")):
        path = tmp_path / f"jabref-{java}.bib"
        path.write_bytes(body.replace("ENCODING", java).encode(codec).replace(b"\n", b"\r\n"))
        result, papers, problems = extract(path)
        assert problems == [], java
        assert [p["line"] for p in papers] == [4, 10]
        assert papers[0]["authors"][0]["name"] == "Zdzisław Pawlak"
        assert [a["name"] for a in papers[1]["authors"]] == ["Petr Hájek", "Tomáš Havránek", "Radim Jiroušek"]


def test_a_book_with_authors_that_a_chapter_crossrefs_stays_a_paper_and_a_missing_parent_is_reported(tmp_path):
    path = tmp_path / "iir.bib"
    path.write_text(
        "@incollection{manning2008ch6,\n  author = {Manning, Christopher D. and Raghavan, Prabhakar and Sch{\\\"u}tze, Hinrich},\n"
        "  title = {Scoring, term weighting, and the vector space model},\n  crossref = {iirbook},\n  pages = {100--123}\n}\n"
        "@book{iirbook,\n  author = {Manning, Christopher D. and Raghavan, Prabhakar and Sch{\\\"u}tze, Hinrich},\n"
        "  title = {Introduction to Information Retrieval},\n  publisher = {Cambridge University Press},\n  year = {2008}\n}\n"
        "@inproceedings{lample2019,\n  author = {Lample, Guillaume and Conneau, Alexis},\n"
        "  title = {Cross-lingual Language Model Pretraining},\n  crossref = {neurips2019}\n}\n"
        "@inproceedings{orphan,\n  author = {Radford, Alec},\n  title = {A Paper Whose Volume Is Elsewhere},\n"
        "  crossref = {icml2099},\n  year = 2099\n}\n"
        "@proceedings{neurips2019,\n  editor = {Wallach, Hanna M. and Larochelle, Hugo},\n"
        "  title = {Advances in Neural Information Processing Systems 32},\n  year = {2019}\n}\n",
        encoding="utf-8",
    )
    result, papers, problems = extract(path)
    assert [(p["title"], p["line"]) for p in papers] == [
        ("Scoring, term weighting, and the vector space model", 1),
        ("Introduction to Information Retrieval", 7),
        ("Cross-lingual Language Model Pretraining", 13),
        ("A Paper Whose Volume Is Elsewhere", 18),
    ]  # the editors-only proceedings volume is a container, not a paper
    book = by_title(papers, "Introduction to")
    assert book["kind"] == "book" and [a["family"] for a in book["authors"]] == ["Manning", "Raghavan", "Schütze"]
    assert by_title(papers, "Scoring")["venue"] == "Introduction to Information Retrieval"
    assert by_title(papers, "Cross-lingual")["year"] == 2019
    assert problems == [f"{path}:18: entry orphan: crossref to unknown entry icml2099; read without it"]
    assert runner.invoke(app, ["extract", str(path), "--strict"]).exit_code == 1


def test_lines_after_a_latex_line_break_at_the_end_of_a_line_are_the_real_lines(tmp_path):
    path = tmp_path / "theses.bib"
    path.write_text(
        "@phdthesis{bengio1991,\n  author = {Bengio, Yoshua},\n  title = {Artificial Neural Networks},\n"
        "  school = {McGill University},\n  year = {1991},\n"
        "  note = {Supervised by Renato De Mori.\\\\\n            Department of Computer Science\\\\\n            Montr{\\'e}al}\n}\n"
        "\n@article{lecun1998,\n  author = {LeCun, Yann},\n  title = {Gradient-based learning},\n  year = {1998}\n}\n"
        "\n@article{broken,\n  author = {Hinton, Geoffrey E.},\n  title = {A fast learning algorithm},\n  year = {2006},\n"
        "\n@article{bengio2003,\n  author = {Bengio, Yoshua},\n  title = {A Neural Probabilistic Language Model},\n"
        "  note = {first line\\\\\n  second line}, year = 2003\n} junk @misc{sameline, title = {On the Same Line}}\n"
        "@misc{last, title = {Last}}\n",
        encoding="utf-8",
    )
    text = path.read_text(encoding="utf-8").splitlines()
    result, papers, problems = extract(path)
    lines = {p["title"]: p["line"] for p in papers}
    assert lines == {
        "Artificial Neural Networks": 1, "Gradient-based learning": 11, "A Neural Probabilistic Language Model": 22,
        "On the Same Line": 27, "Last": 28,
    }  # fmt: skip
    for title, line in lines.items():
        assert text[line - 1].lstrip().startswith("@") or "@misc{sameline" in text[line - 1], title
    assert problems == [f"{path}:17: cannot parse '@article{{broken,': Expected a `=` after entry key, but found `@article`."]


def test_mendeley_brace_escapes_leave_urls_and_dois(tmp_path):
    path = tmp_path / "mendeley.bib"
    path.write_text(
        "@article{Joshi2020,\narchivePrefix = {arXiv},\narxivId = {1907.10529},\n"
        "author = {Joshi, Mandar and Levy, Omer},\ndoi = {10.1162/tacl{\\_}a{\\_}00300},\n"
        "title = {{SpanBERT: Improving Pre-training by Representing and Predicting Spans}},\n"
        "url = {https://doi.org/10.1162/tacl{\\_}a{\\_}00300},\nyear = {2020}\n}\n"
        "@misc{home,\ntitle = {{A Home Page}},\nauthor = {Doe, Jane},\n"
        "url = {http://www.example.edu/{~}jdoe/a{\\&}b{\\%}20c{\\#}top https://doi.org/10.1000/X{\\_}Y},\nyear = {2001}\n}\n",
        encoding="utf-8",
    )
    result, papers, problems = extract(path)
    assert problems == []
    spanbert = by_title(papers, "SpanBERT")
    assert spanbert["ids"] == ["doi:10.1162/tacl_a_00300", "arxiv:1907.10529"]
    assert spanbert["urls"] == ["https://doi.org/10.1162/tacl_a_00300"]
    home = by_title(papers, "A Home Page")
    assert home["urls"] == ["http://www.example.edu/~jdoe/a&b%20c#top", "https://doi.org/10.1000/X_Y"]
    assert home["ids"] == ["doi:10.1000/x_y"]


def test_old_mac_line_ends_in_bibtex_and_ris(tmp_path):
    bib = (
        "% exported on a Mac\n@article{watts1998,\n  title={Collective dynamics of small-world networks},\n"
        "  author={Watts, Duncan J and Strogatz, Steven H},\n  year={1998}\n}\n\n"
        "@article{barabasi1999,\n  title={Emergence of scaling in random networks},\n  author={Barab{\\'a}si, Albert-L{\\'a}szl{\\'o}},\n"
        "  year={1999}\n\n"
        "@article{newman2003,\n  title={The structure and function of complex networks},\n  author={Newman, Mark EJ},\n  year={2003}\n}\n"
    )
    path = tmp_path / "mac.bib"
    path.write_bytes(bib.replace("\n", "\r").encode("utf-8"))
    result, papers, problems = extract(path)
    assert [(p["title"], p["line"]) for p in papers] == [
        ("Collective dynamics of small-world networks", 2), ("The structure and function of complex networks", 13)]
    assert [a["name"] for a in papers[1]["authors"]] == ["Mark E. J. Newman"]
    assert problems == [f"{path}:8: cannot parse '@article{{barabasi1999,': "
                        "Unexpected block start: `@article`. Was still looking for field-value closing `,` or `}`"]
    # the same file without a suffix is still found to be BibTeX
    (tmp_path / "nosuffix").mkdir()
    plain = tmp_path / "nosuffix" / "refs"
    plain.write_bytes(path.read_bytes())
    assert [p["line"] for p in extract(plain)[1]] == [2, 13]

    ris = tmp_path / "mac.ris"
    ris.write_bytes(
        "TY  - JOUR\rAU  - Erdős, Pál\rAU  - Rényi, Alfréd\rTI  - On random graphs I\rPY  - 1959\rER  - \r\r"
        "TY  - JOUR\rAU  - Watts, Duncan J.\rTI  - Collective dynamics of 'small-world'\r      networks\rDO  - 10.1038/30918\rER  - \r"
        .encode("utf-8")
    )
    result, papers, problems = extract(ris)
    assert problems == []
    assert [(p["title"], p["line"]) for p in papers] == [("On random graphs I", 1), ("Collective dynamics of 'small-world' networks", 8)]


def test_web_of_science_bibtex_orcids_and_addresses_go_to_their_authors(tmp_path):
    path = tmp_path / "savedrecs.bib"
    path.write_text(
        "\n\n@article{ WOS:000528422200005,\n"
        "Author = {Joshi, Mandar and Chen, Danqi and Liu, Yinhan and Weld, Daniel S. and\n   Zettlemoyer, Luke and Levy, Omer and Levy, Ruth},\n"
        "Title = {SpanBERT: Improving Pre-training by Representing and Predicting Spans},\n"
        "Journal = {TRANSACTIONS OF THE ASSOCIATION FOR COMPUTATIONAL LINGUISTICS},\nYear = {2020},\n"
        "Affiliation = {Joshi, M (Corresponding Author), Univ Washington, Paul G Allen Sch Comp Sci \\& Engn, Seattle, WA 98195 USA.\n"
        "   Joshi, Mandar; Weld, Daniel S.; Zettlemoyer, Luke, Univ Washington, Paul G Allen Sch Comp\n"
        "   Sci \\& Engn, Seattle, WA 98195 USA.\n"
        "   Chen, Danqi, Princeton Univ, Princeton, NJ 08544 USA.\n"
        "   Liu, Yinhan; Levy, Omer, Facebook AI Res, Seattle, WA USA.\n"
        "   Allen Inst Artificial Intelligence, Seattle, WA USA.},\n"
        "DOI = {10.1162/tacl\\_a\\_00300},\n"
        "ORCID-Numbers = {Levy, Omer/0000-0002-1825-0097\n   Weld, Daniel/0000-0001-5109-3700; Levy, R/0000-0002-1694-233X;\n"
        "   Zettlemoyer, Luke/0000-0002-1825-0098},\n"
        "Unique-ID = {WOS:000528422200005},\n}\n",
        encoding="utf-8",
    )
    result, [paper], problems = extract(path)
    assert problems == [f"{path}:3: entry WOS:000528422200005: ORCID-Numbers iD '0000-0002-1825-0098' of "
                        "'Zettlemoyer, Luke' fails its check digit; not used"]
    assert paper["ids"] == ["doi:10.1162/tacl_a_00300", "wos:000528422200005"]
    authors = {a["name"]: a for a in paper["authors"]}
    assert authors["Omer Levy"]["ids"] == ["orcid:0000-0002-1825-0097"]
    assert authors["Daniel S. Weld"]["ids"] == ["orcid:0000-0001-5109-3700"]  # "Weld, Daniel" fits only him
    assert authors["Ruth Levy"]["ids"] == ["orcid:0000-0002-1694-233X"]  # "Levy, R": the one Levy whose name starts with R
    assert authors["Luke Zettlemoyer"]["ids"] == []  # a bad check digit is no ORCID
    uw = {"name": "Univ Washington, Paul G Allen Sch Comp Sci & Engn, Seattle, WA 98195 USA", "ids": [], "country": "US"}
    assert authors["Mandar Joshi"]["affiliations"] == [uw]
    assert authors["Luke Zettlemoyer"]["affiliations"] == [uw]
    assert [f["name"] for f in authors["Danqi Chen"]["affiliations"]] == ["Princeton Univ, Princeton, NJ 08544 USA"]
    assert [f["name"] for f in authors["Omer Levy"]["affiliations"]] == ["Facebook AI Res, Seattle, WA USA"]
    assert authors["Ruth Levy"]["affiliations"] == []
    assert paper["institutions"] == [{"name": "Allen Inst Artificial Intelligence, Seattle, WA USA", "ids": [], "country": "US"}]
    # the build's compact records hold the same
    [direct] = [r for r in read_bibtex(path) if hasattr(r, "authors")]
    with open(path, "rb") as stream:
        [built] = [r for r in parse_compact(stream, str(path), shared={}) if hasattr(r, "authors")]
    assert built == compact(direct)


def test_scopus_bibtex_gives_the_eid_and_the_affiliations_as_its_ris_does(tmp_path):
    path = tmp_path / "scopus.bib"
    path.write_text(
        "@ARTICLE{Joshi202064,\n\tauthor = {Joshi, Mandar and Chen, Danqi},\n"
        "\ttitle = {SpanBERT: Improving pre-training by representing and predicting spans},\n\tyear = {2020},\n"
        "\tjournal = {Transactions of the Association for Computational Linguistics},\n\tdoi = {10.1162/tacl_a_00300},\n"
        "\turl = {https://www.scopus.com/inward/record.uri?eid=2-s2.0-85085579466&doi=10.1162%2ftacl_a_00300&partnerID=40},\n"
        "\taffiliations = {Allen School of Computer Science \\& Engineering, University of Washington, Seattle, WA, United States; "
        "Computer Science Department, Princeton University, Princeton, NJ, United States},\n\tsource = {Scopus}\n}\n",
        encoding="utf-8",
    )
    ris = tmp_path / "scopus.ris"
    ris.write_text(
        "TY  - JOUR\nAU  - Joshi, M.\nAU  - Chen, D.\nTI  - SpanBERT: Improving pre-training by representing and predicting spans\n"
        "PY  - 2020\nT2  - Transactions of the Association for Computational Linguistics\nDO  - 10.1162/tacl_a_00300\n"
        "UR  - https://www.scopus.com/inward/record.uri?eid=2-s2.0-85085579466&doi=10.1162%2ftacl_a_00300&partnerID=40\n"
        "AD  - Allen School of Computer Science & Engineering, University of Washington, Seattle, WA, United States\n"
        "AD  - Computer Science Department, Princeton University, Princeton, NJ, United States\nER  - \n",
        encoding="utf-8",
    )
    _, [from_bib], problems = extract(path)
    _, [from_ris], _ = extract(ris)
    assert problems == []
    assert from_bib["ids"] == from_ris["ids"] == ["doi:10.1162/tacl_a_00300", "scopus:2-s2.0-85085579466"]
    assert from_bib["institutions"] == from_ris["institutions"]
    assert [(f["name"].split(",")[1].strip(), f["country"]) for f in from_bib["institutions"]] == [
        ("University of Washington", "US"), ("Princeton University", "US")]


def test_an_impossible_date_keeps_its_year_and_is_reported_in_ris_and_bibtex(tmp_path):
    path = tmp_path / "dates.ris"
    path.write_text(
        "TY  - JOUR\nAU  - Lee, Kenton\nTI  - A Paper on a Day That Never Was\nPY  - 2021\nDA  - 2021/02/30\nER  - \n\n"
        "TY  - JOUR\nTI  - A Paper With Only a Year\nPY  - 2020/00/00/\nER  - \n\n"
        "TY  - CONF\nTI  - A Paper on a Real Day\nPY  - 2019\nDA  - 2019/06/02/\nER  - \n",
        encoding="utf-8",
    )
    result, papers, problems = extract(path)
    assert [(p["title"], p["year"], p["date"]) for p in papers] == [
        ("A Paper on a Day That Never Was", 2021, None), ("A Paper With Only a Year", 2020, None), ("A Paper on a Real Day", 2019, "2019-06-02")]
    assert problems == [f"{path}:5: impossible date '2021/02/30' in DA; read the year only"]
    assert runner.invoke(app, ["extract", str(path), "--strict"]).exit_code == 1
    bib = tmp_path / "dates.bib"
    bib.write_text("@article{leap,\n  title = {Not a Leap Year},\n  author = {Lee, Kenton},\n  date = {2021-02-29}\n}\n"
                   "@article{fine,\n  title = {A Leap Year},\n  date = {2020-02-29}\n}\n", encoding="utf-8")
    result, papers, problems = extract(bib)
    assert [(p["year"], p["date"]) for p in papers] == [(2021, None), (2020, "2020-02-29")]
    assert problems == [f"{bib}:1: entry leap: impossible date '2021-02-29'; read the year only"]
