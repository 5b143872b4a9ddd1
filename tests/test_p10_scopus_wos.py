"""Scopus and Web of Science readers after the scowos review: joined exports, shared names, old layouts, line ends.

Every input is written here as the exports write it; expectations are read
off that text, not computed by the readers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.models import PaperRecord, Problem
from graphkit.readers import ris, scopus, wos

BOM = "\ufeff"

WOS_TSN = """FN Clarivate Analytics Web of Science
VR 1.0
PT S
AU Wang, LM
   Xiong, YJ
AF Wang, Limin
   Xiong, Yuanjun
TI Temporal Segment Networks: Towards Good Practices for Deep Action
   Recognition
SO LECTURE NOTES IN COMPUTER SCIENCE
DT Proceedings Paper
C1 [Wang, Limin] ETH, Comp Vis Lab, Zurich, Switzerland.
   [Xiong, Yuanjun] Chinese Univ Hong Kong, Dept Informat Engn, Hong Kong, Peoples R China.
PY 2016
DI 10.1007/978-3-319-46484-8_2
UT WOS:000389384800002
ER

EF
"""

WOS_RESNET = """FN Clarivate Analytics Web of Science
VR 1.0
PT C
AU He, KM
   Zhang, XY
AF He, Kaiming
   Zhang, Xiangyu
TI Deep Residual Learning for Image Recognition
SO 2016 IEEE CONFERENCE ON COMPUTER VISION AND PATTERN RECOGNITION (CVPR)
DT Proceedings Paper
C1 [He, Kaiming; Zhang, Xiangyu] Microsoft Res, Beijing, Peoples R China.
PY 2016
DI 10.1109/CVPR.2016.90
UT WOS:000400012300083
ER

EF
"""

WOS_HOMONYMS = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Zhang, W
   Li, M
   Zhang, W
   Chen, H
AF Zhang, Wei
   Li, Ming
   Zhang, Wei
   Chen, Hao
TI Spatio-temporal graph attention networks for short-term traffic flow
   forecasting
SO NEUROCOMPUTING
DT Article
C1 [Zhang, Wei; Li, Ming] Tsinghua Univ, Dept Automat, Beijing 100084, Peoples R China.
   [Zhang, Wei; Chen, Hao] Zhejiang Univ, Coll Comp Sci & Technol, Hangzhou 310027, Peoples R China.
OI Zhang, Wei/0000-0002-1736-2118; Chen, Hao/0000-0001-6534-0194
PY 2021
DI 10.1016/j.neucom.2020.11.068
UT WOS:000645543200012
ER

EF
"""

WOS_ANONYMOUS = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU [Anonymous]
AF [Anonymous]
TI Retraction Note: Mastering the game of Go with deep neural networks and tree search
SO NATURE
DT Correction
PY 2016
UT WOS:000372326600033
ER

PT J
AU [Anonymous]
TI Artificial intelligence: Google's AlphaGo beats Go master Lee Se-dol
SO NATURE
DT News Item
PY 2016
UT WOS:000371665900011
ER

EF
"""

TAB_HEADER = "PT\tAU\tAF\tTI\tSO\tAB\tC1\tOI\tPY\tDI\tUT"
TAB_ROWS = [
    "J\tDong, C; Loy, CC\tDong, Chao; Loy, Chen Change\tImage Super-Resolution Using Deep Convolutional Networks"
    "\tIEEE TRANSACTIONS ON PATTERN ANALYSIS AND MACHINE INTELLIGENCE\tWe propose a deep learning method\u2028for single image"
    " super-resolution.\t[Dong, Chao; Loy, Chen Change] Chinese Univ Hong Kong, Dept Informat Engn, Hong Kong, Peoples R China"
    "\tLoy, Chen Change/0000-0001-5345-1591\t2016\t10.1109/TPAMI.2015.2439281\tWOS:000367916600006",
    "J\tScholkopf, B; Smola, A; Muller, KR\tScholkopf, Bernhard; Smola, Alexander; Muller, Klaus-Robert"
    "\tNonlinear component analysis as a kernel eigenvalue problem\tNEURAL COMPUTATION\tA new method for nonlinear PCA."
    "\t[Scholkopf, Bernhard] Max Planck Inst Biol Cybernet, Tubingen, Germany\t\t1998\t10.1162/089976698300017467"
    "\tWOS:000073781300015",
]

SCOPUS_CURRENT = ["Authors", "Author full names", "Author(s) ID", "Title", "Year", "Source title", "DOI", "Affiliations",
                  "Authors with affiliations", "Document Type", "EID"]
SCOPUS_OLD = ["Authors", "Author(s) ID", "Title", "Year", "Source title", "DOI", "Affiliations", "Authors with affiliations",
              "Document Type", "EID"]


def _split(items):
    items = list(items)
    return [i for i in items if isinstance(i, PaperRecord)], [i for i in items if isinstance(i, Problem)]


def _read(module, path: Path):
    return _split(module.read(path))


def _csv(header: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return BOM + buffer.getvalue()


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- S1: WoS exports joined with cat -----------------------------------------------------------


def test_wos_exports_joined_with_cat_keep_every_record(tmp_path):
    # the usual way round the per-export record limit: cat savedrecs.txt savedrecs(1).txt > all.txt;
    # the second file starts with its own byte-order mark
    joined = _write(tmp_path / "all.txt", BOM + WOS_TSN + BOM + WOS_RESNET)
    records, problems = _read(wos, joined)
    assert [r.ids[-1] for r in records] == ["wos:000389384800002", "wos:000400012300083"]
    assert problems == []
    assert records[1].line == WOS_TSN.count("\n") + 3  # the ResNet PT line in the joined file
    # saved without a byte-order mark, the next file still opens with FN
    plain = _write(tmp_path / "plain.txt", WOS_TSN + WOS_RESNET)
    records, problems = _read(wos, plain)
    assert [r.title for r in records][1] == "Deep Residual Learning for Image Recognition" and problems == []


def test_wos_lines_after_ef_are_counted_and_reported(tmp_path):
    resnet_records = WOS_RESNET.split("VR 1.0\n", 1)[1]  # PT ... ER, EF: pasted on without the FN/VR opening
    path = _write(tmp_path / "pasted.txt", WOS_TSN + resnet_records)
    records, problems = _read(wos, path)
    assert [r.title for r in records] == ["Temporal Segment Networks: Towards Good Practices for Deep Action Recognition"]
    first = WOS_TSN.count("\n") + 1
    count = sum(1 for line in resnet_records.splitlines() if line.strip())
    assert [str(p) for p in problems] == [f"{path}:{first}: {count} lines after EF (the end of the export) not read, the first: 'PT C'"]
    # --strict turns it into a failure
    done = CliRunner().invoke(app, ["extract", str(path), "--from", "wos", "--strict"])
    assert done.exit_code == 1 and "lines after EF" in done.stderr


# --- S3: two authors with one name -------------------------------------------------------------


def test_wos_name_shared_by_two_authors_gets_no_orcid_or_address_and_is_reported(tmp_path):
    path = _write(tmp_path / "savedrecs.txt", WOS_HOMONYMS)
    [record], problems = _read(wos, path)
    got = [(a.name, a.ids, [x.name for x in a.affiliations]) for a in record.authors]
    assert got == [
        ("Wei Zhang", (), []),
        ("Ming Li", (), ["Tsinghua Univ, Dept Automat, Beijing 100084, Peoples R China"]),
        ("Wei Zhang", (), []),
        ("Hao Chen", ("orcid:0000-0001-6534-0194",), ["Zhejiang Univ, Coll Comp Sci & Technol, Hangzhou 310027, Peoples R China"]),
    ]
    assert [str(p) for p in problems] == [
        f"{path}:3: C1 and OI name 'Zhang, Wei', which matches 2 authors of the record (numbers 1 and 3): "
        "its addresses and ORCID not given to any of them"
    ]


def test_wos_abbreviated_name_fitting_two_authors_is_reported_too(tmp_path):
    # AU only (no AF): C1's full name "Zhang, Wei" meets "Zhang, W" and "Zhang, WJ" by family and initial
    text = WOS_HOMONYMS.replace("AF Zhang, Wei\n   Li, Ming\n   Zhang, Wei\n   Chen, Hao\n", "").replace(
        "   Zhang, W\n   Chen, H\n", "   Zhang, WJ\n   Chen, H\n").replace("OI Zhang, Wei/0000-0002-1736-2118; ", "OI ")
    [record], problems = _read(wos, _write(tmp_path / "savedrecs.txt", text))
    assert [a.affiliations for a in record.authors][0::2] == [(), ()]
    assert [p.message for p in problems] == [
        "C1 name 'Zhang, Wei', which matches 2 authors of the record (numbers 1 and 3): its addresses not given to any of them"
    ]


# --- S4: [Anonymous] ---------------------------------------------------------------------------


def test_wos_anonymous_is_no_author(tmp_path):
    records, problems = _read(wos, _write(tmp_path / "savedrecs.txt", WOS_ANONYMOUS))
    assert [(r.title[:17], r.authors) for r in records] == [("Retraction Note: ", ()), ("Artificial intell", ())]
    assert problems == []
    # in the tab-delimited export too
    tab = "\r\n".join([TAB_HEADER, "J\t[Anonymous]\t[Anonymous]\tEditorial\tNATURE\t\t\t\t2016\t\tWOS:000371665900011", ""])
    [record], problems = _read(wos, _write(tmp_path / "tab.txt", tab))
    assert record.authors == () and problems == []


# --- S7 and S8: tab-delimited header again, rows cut off -----------------------------------------


def test_wos_tab_delimited_exports_joined_with_cat(tmp_path):
    part = "\r\n".join([TAB_HEADER, *TAB_ROWS, ""])
    path = _write(tmp_path / "savedrecs-all.txt", BOM + part + BOM + part)
    records, problems = _read(wos, path)
    assert [r.ids[-1] for r in records] == ["wos:000367916600006", "wos:000073781300015"] * 2
    assert [r.line for r in records] == [2, 3, 5, 6] and problems == []
    # an export with other columns joined on: a one-line note, its rows read by its own header
    other = "PT\tAF\tTI\tPY\tUT\r\nJ\tHe, Kaiming\tDeep Residual Learning for Image Recognition\t2016\tWOS:000400012300083\r\n"
    path = _write(tmp_path / "mixed.txt", BOM + part + BOM + other)
    records, problems = _read(wos, path)
    assert [(r.title[:10], r.year, r.author_names) for r in records][2] == ("Deep Resid", 2016, ("Kaiming He",))
    assert [str(p) for p in problems] == [f"{path}:4: another header row, with other columns: the rows after it are read by it"]


def test_wos_tab_delimited_row_cut_off_is_reported(tmp_path):
    cut = TAB_ROWS[1].split("\t")[:5]  # the download stopped after the source title
    path = _write(tmp_path / "savedrecs.txt", "\r\n".join([TAB_HEADER, TAB_ROWS[0], "\t".join(cut)]))
    records, problems = _read(wos, path)
    assert [str(p) for p in problems] == [f"{path}:3: row has 5 fields, the header 11 (cut off?); read by position"]
    assert (records[1].title, records[1].year, records[1].ids) == ("Nonlinear component analysis as a kernel eigenvalue problem", None, ())
    # cut before the title: reported, and no record
    path = _write(tmp_path / "early.txt", "\r\n".join([TAB_HEADER, TAB_ROWS[0], "J\tScholkopf, B"]))
    records, problems = _read(wos, path)
    assert len(records) == 1
    assert [p.message for p in problems] == ["row has 2 fields, the header 11 (cut off?); read by position", "record has no title (TI)"]


# --- S9 and CR: line ends ----------------------------------------------------------------------


def test_wos_utf16_export_keeps_a_line_separator_inside_an_abstract(tmp_path):
    # the "(Win)" tab-delimited export is UTF-16 LE; U+2028 inside an abstract is no line end
    text = "\r\n".join([TAB_HEADER, *TAB_ROWS, ""])
    path = tmp_path / "savedrecs-win.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    records, problems = _read(wos, path)
    assert problems == []
    assert [r.ids for r in records] == [
        ("doi:10.1109/tpami.2015.2439281", "wos:000367916600006"), ("doi:10.1162/089976698300017467", "wos:000073781300015")]
    assert records[0].abstract == "We propose a deep learning method for single image super-resolution."  # one value, spaces normalised
    assert [r.line for r in records] == [2, 3]


def test_lone_cr_line_ends_are_read_in_every_encoding(tmp_path):
    # old Mac exports end lines with CR alone
    lines = ["TY  - BOOK", "AU  - Brooks, Frederick P., Jr.", "PY  - 1995///",
             "TI  - The Mythical Man-Month: Essays on Software Engineering", "PB  - Addison-Wesley", "ER  - ",
             "TY  - JOUR", "AU  - Müller, Klaus-Robert", "TI  - An introduction to kernel-based learning algorithms", "ER  - "]
    text = "\r".join(lines) + "\r"
    for name, data in [("utf8.ris", text.encode("utf-8")), ("bom.ris", b"\xef\xbb\xbf" + text.encode("utf-8")),
                       ("cp1252.ris", text.encode("cp1252")), ("utf16.ris", b"\xff\xfe" + text.encode("utf-16-le"))]:
        (tmp_path / name).write_bytes(data)
        records, problems = _read(ris, tmp_path / name)
        assert [(r.line, r.author_names) for r in records] == [(1, ("Frederick P. Brooks Jr.",)), (7, ("Klaus-Robert Müller",))], name
        assert [p.message for p in problems if "Windows-1252" not in p.message] == [], name
    # a WoS export with CR line ends
    path = tmp_path / "savedrecs-mac.txt"
    path.write_bytes(WOS_RESNET.replace("\n", "\r").encode("utf-8"))
    [record], problems = _read(wos, path)
    assert record.author_names == ("Kaiming He", "Xiangyu Zhang") and problems == []


# --- S5: Scopus older layout -------------------------------------------------------------------


def _old_row(**fields) -> dict[str, str]:
    row = dict.fromkeys(SCOPUS_OLD, "")
    row.update(fields)
    return row


BINUS = "Computer Science Department, BINUS Graduate Program – Master of Computer Science, Bina Nusantara University, Jakarta, 11480, Indonesia"


def test_scopus_old_layout_one_word_name_keeps_its_id(tmp_path):
    row = _old_row(**{
        "Authors": "Suharjito, Anderson R., Wiryana F., Ariesta M.C., Kusuma G.P.",
        "Author(s) ID": "56826478300;57197835014;57197838434;57197835869;56095398400;",
        "Title": "Sign Language Recognition Application Systems for Deaf-Mute People", "Year": "2017",
        "Affiliations": BINUS,
        "Authors with affiliations": "; ".join(f"{n}, {BINUS}" for n in ("Suharjito", "Anderson, R.", "Wiryana, F.", "Ariesta, M.C.", "Kusuma, G.P.")),
        "Document Type": "Conference Paper", "EID": "2-s2.0-85037345612",
    })  # fmt: skip
    [record], problems = _read(scopus, _write(tmp_path / "scopus.csv", _csv(SCOPUS_OLD, [row])))
    assert problems == []
    assert [(a.name, a.ids) for a in record.authors] == [
        ("Suharjito", ("scopus:56826478300",)), ("R. Anderson", ("scopus:57197835014",)), ("F. Wiryana", ("scopus:57197838434",)),
        ("M.C. Ariesta", ("scopus:57197835869",)), ("G.P. Kusuma", ("scopus:56095398400",)),
    ]
    assert {x.name for a in record.authors for x in a.affiliations} == {BINUS}


def test_scopus_names_and_ids_that_disagree_are_reported(tmp_path):
    row = _old_row(**{"Authors": "He K., Zhang X., Ren S., Sun J.", "Author(s) ID": "57209410365;55716722500;56494768400;",
                      "Title": "Deep residual learning for image recognition", "Year": "2016", "EID": "2-s2.0-84986274465"})
    path = _write(tmp_path / "scopus.csv", _csv(SCOPUS_OLD, [row]))
    [record], problems = _read(scopus, path)
    assert [(a.name, a.ids) for a in record.authors] == [("K. He", ()), ("X. Zhang", ()), ("S. Ren", ()), ("J. Sun", ())]
    assert [str(p) for p in problems] == [
        f"{path}:2: Authors has 4 names, Author(s) ID 3 ids: the ids are not used (no way to tell whose is whose)"]


# --- S6: Scopus affiliations per author --------------------------------------------------------


CUHK = "Department of Information Engineering, The Chinese University of Hong Kong, Hong Kong, Hong Kong"
NUS = "School of Computing, National University of Singapore, Singapore, 117583, Singapore"
ILIA = "Ilia State University, Tbilisi, Georgia"
MPI = "Max Planck Institute for Intelligent Systems, Tübingen, Germany"


def test_scopus_author_affiliations_are_the_rows_own_affiliations(tmp_path):
    row = dict.fromkeys(SCOPUS_CURRENT, "")
    row.update({
        "Authors": "Loy C.C.; Tan R.T.; Kandelaki N.",
        "Author full names": "Loy, Chen Change (23111325800); Tan, Robby T. (57201234501); Kandelaki, Nino (57201234502)",
        "Author(s) ID": "23111325800; 57201234501; 57201234502",
        "Title": "Learning to see in the dark across three labs", "Year": "2020",
        "Affiliations": "; ".join([CUHK, NUS, ILIA, MPI]),
        "Authors with affiliations": f"Loy C.C., {CUHK}; Tan R.T., {NUS}, {CUHK}; Kandelaki N., {ILIA}, {MPI}",
        "Document Type": "Article", "EID": "2-s2.0-85000000001",
    })  # fmt: skip
    [record], problems = _read(scopus, _write(tmp_path / "scopus.csv", _csv(SCOPUS_CURRENT, [row])))
    assert problems == []
    assert [[(x.name, x.country) for x in a.affiliations] for a in record.authors] == [
        [(CUHK, "HK")],
        [(NUS, "SG"), (CUHK, "HK")],
        [(ILIA, None), (MPI, "DE")],
    ]
    # the author's entries are the paper's own: one institution each, not a "Hong Kong" or "117583, Singapore" of their own
    assert [x.name for x in record.institutions] == [CUHK, NUS, ILIA, MPI]


def test_scopus_author_affiliations_without_the_affiliations_column(tmp_path):
    header = [h for h in SCOPUS_CURRENT if h != "Affiliations"]
    row = dict.fromkeys(header, "")
    row.update({
        "Authors": "Loy C.C.; Tan R.T.", "Author full names": "Loy, Chen Change (23111325800); Tan, Robby T. (57201234501)",
        "Author(s) ID": "23111325800; 57201234501", "Title": "Learning to see in the dark", "Year": "2020",
        "Authors with affiliations": f"Loy C.C., {CUHK}; Tan R.T., {NUS}, {CUHK}", "EID": "2-s2.0-85000000002",
    })  # fmt: skip
    [record], problems = _read(scopus, _write(tmp_path / "scopus.csv", _csv(header, [row])))
    assert problems == []
    assert [[x.name for x in a.affiliations] for a in record.authors] == [[CUHK], [NUS, CUHK]]


# --- S7: Scopus header rows again --------------------------------------------------------------


def _current_row(title: str, eid: str) -> dict[str, str]:
    row = dict.fromkeys(SCOPUS_CURRENT, "")
    row.update({"Authors": "Dong C.; Loy C.C.", "Author full names": "Dong, Chao (56464387700); Loy, Chen Change (23111325800)",
                "Author(s) ID": "56464387700; 23111325800", "Title": title, "Year": "2016", "EID": eid})
    return row


def test_scopus_exports_joined_with_cat(tmp_path):
    first = _csv(SCOPUS_CURRENT, [_current_row("Image super-resolution using deep convolutional networks", "2-s2.0-84962072906")])
    second = _csv(SCOPUS_CURRENT, [_current_row("Accelerating the super-resolution convolutional neural network", "2-s2.0-84990032745")])
    path = _write(tmp_path / "scopus-all.csv", first + second)
    records, problems = _read(scopus, path)
    assert [r.ids[-1] for r in records] == ["scopus:2-s2.0-84962072906", "scopus:2-s2.0-84990032745"]
    assert problems == [] and [r.line for r in records] == [2, 4]
    # an older layout joined after a current one: its rows are read by its own header
    old = _csv(SCOPUS_OLD, [_old_row(**{"Authors": "Tan M., Le Q.V.", "Author(s) ID": "57209246403;35195406500;",
                                        "Title": "EfficientNet: Rethinking model scaling", "Year": "2019", "EID": "2-s2.0-85078003914"})])
    path = _write(tmp_path / "scopus-mixed.csv", first + old)
    records, problems = _read(scopus, path)
    assert [(r.title, r.year) for r in records][1] == ("EfficientNet: Rethinking model scaling", 2019)
    assert [(a.name, a.ids) for a in records[1].authors] == [("M. Tan", ("scopus:57209246403",)), ("Q.V. Le", ("scopus:35195406500",))]
    assert [str(p) for p in problems] == [f"{path}:3: another header row, with other columns: the rows after it are read by it"]


def test_wos_record_cut_off_by_ef_is_kept_and_the_next_export_read(tmp_path):
    cut = WOS_TSN.replace("UT WOS:000389384800002\nER\n", "UT WOS:000389384800002\n")  # the ER line lost
    path = _write(tmp_path / "all.txt", cut + BOM + WOS_RESNET)
    records, problems = _read(wos, path)
    assert [r.ids[-1] for r in records] == ["wos:000389384800002", "wos:000400012300083"]
    assert [str(p) for p in problems] == [f"{path}:3: record has no ER line before EF; read up to there"]


def test_wos_c1_name_of_no_author_and_a_bad_orcid_are_reported_and_the_address_kept(tmp_path):
    text = (
        "FN Clarivate Analytics Web of Science\nVR 1.0\n"
        "PT J\nAU Lee, K\n   Zettlemoyer, L\nAF Lee, Kenton\n   Zettlemoyer, Luke\n"
        "TI End-to-end Neural Coreference Resolution\n"
        "C1 [Lee, Kenton] Univ Washington, Paul G Allen Sch Comp Sci & Engn, Seattle, WA 98195 USA.\n"
        "   [He, Luheng] Google Res, Mountain View, CA 94043 USA.\n"
        "OI Zettlemoyer, Luke/0000-0002-1234-5670\n"
        "PY 2017\nDI 10.18653/v1/D17-1018\nUT WOS:000000000000001\nER\nEF\n"
    )
    records, problems = _read(wos, _write(tmp_path / "savedrecs.txt", text))
    [record] = records
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        "C1 name 'He, Luheng' matches no author of the record: the address kept as the paper's",
        "OI ORCID '0000-0002-1234-5670' of 'Zettlemoyer, Luke' fails its check digit; not used",
    ]
    assert [a.ids for a in record.authors] == [(), ()]
    assert any("Google Res" in (i.name or "") for i in record.institutions)
