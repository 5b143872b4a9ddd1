"""Reader defects from outside testing (session 15): a BibTeX or RIS file written in GBK/GB18030 by a
Chinese reference manager is read as GB18030, not as Windows-1252 mojibake, while Western 8-bit
files stay Windows-1252; a U+FFFD written in a UTF-8 file is a character, not a replaced byte; and
``author = {Jean Laidé, Ben Loaeb}`` is read as BibTeX reads it and reported as possibly two people,
while BibTeX's ``Last, First`` forms stay one, unreported. Each through ``graphkit extract`` or
``graphkit build`` on files written here."""

from __future__ import annotations

import json

from tests.cli import build_into, extract, query

AS_OF = "2026-11-21"
GB18030 = "not UTF-8: read as GB18030 (Chinese; GBK and GB2312 are part of it), the encoding Chinese tools write"
CP1252 = "not UTF-8: read as Windows-1252 (cp1252), the encoding Excel and older tools write"



def names(paper):
    return [(a["name"], a["given"], a["family"]) for a in paper["authors"]]


def test_8bit_files_are_read_in_the_encoding_their_bytes_fit_gbk_as_gb18030_western_as_windows_1252(tmp_path):
    """One-entry GBK BibTeX and RIS files are Chinese; a one-entry Western file and one full of accents,
    quotes and dashes stay Windows-1252 (the same files, the same reading, the same problem as before)."""
    bib = tmp_path / "cnki.bib"
    bib.write_bytes(
        "@article{zhang2019,\n  author = {张伟 and 李娜},\n  title = {基于深度学习的自然语言处理研究},\n  year = {2019}\n}\n".encode("gbk"))
    ris = tmp_path / "cnki.ris"
    ris.write_bytes("TY  - JOUR\r\nAU  - 刘洋\r\nAU  - 王喆\r\nTI  - 图神经网络综述（第二版）\r\nPY  - 2021\r\nER  - \r\n".encode("gbk"))
    short = tmp_path / "short.bib"
    short.write_bytes("@article{m, author = {Müller, Jürgen}, title = {Über Größe}, year = 2001}\n".encode("cp1252"))
    many = tmp_path / "many.bib"
    many.write_bytes((
        "@article{s1, author = {Schölkopf, Bernhard and Müller, Klaus-Robert and Gaël Varoquaux},\n"
        "  title = {Kernel “tricks” – ein Überblick}, year = 1998}\n"
        "@article{s2, author = {Hervé Jégou and Loïc Barrault and Ève Lefèvre}, title = {Étude des réseaux à Noël}, year = 2011}\n"
        "@article{s3, author = {José Núñez and Sofía Peña and João Conceição},\n"
        "  title = {Análisis de señales: ações e funções}, year = 2015}\n"
        "@article{s4, author = {Søren Kierkegaard and Åsa Ekström and Þórður Ægisson}, title = {Straße, Öl und Bücher}, year = 2020}\n"
    ).encode("cp1252"))
    result, papers, problems = extract(bib, ris, short, many)
    assert result.exit_code == 0
    assert [(p["title"], [a["name"] for a in p["authors"]]) for p in papers] == [
        ("基于深度学习的自然语言处理研究", ["张伟", "李娜"]),
        ("图神经网络综述（第二版）", ["刘洋", "王喆"]),  # 喆 is GBK's own, outside GB2312
        ("Über Größe", ["Jürgen Müller"]),
        ("Kernel “tricks” – ein Überblick", ["Bernhard Schölkopf", "Klaus-Robert Müller", "Gaël Varoquaux"]),
        ("Étude des réseaux à Noël", ["Hervé Jégou", "Loïc Barrault", "Ève Lefèvre"]),
        ("Análisis de señales: ações e funções", ["José Núñez", "Sofía Peña", "João Conceição"]),
        ("Straße, Öl und Bücher", ["Søren Kierkegaard", "Åsa Ekström", "Þórður Ægisson"]),
    ]
    assert problems == [f"{bib}:2: {GB18030}", f"{ris}:2: {GB18030}", f"{short}:1: {CP1252}", f"{many}:1: {CP1252}"]


def test_a_gbk_bibtex_export_builds_chinese_authors_into_the_database(tmp_path):
    data = tmp_path / "in"
    data.mkdir()
    entries = "".join(
        f"@article{{k{i},\n  author = {{张伟 and 李娜 and 陈{'明华'[i % 2]}}},\n  title = {{中文信息处理第{i}卷}},\n  year = {{{2000 + i}}}\n}}\n"
        for i in range(40)
    )
    (data / "refs.bib").write_bytes(entries.encode("gb18030"))
    out = build_into(tmp_path, data, as_of=AS_OF)
    report = json.loads((out / "report.json").read_text())
    assert [(p["line"], p["message"]) for p in report["problems"]] == [(2, GB18030)]
    rows = query(out, "MATCH (a:Author) RETURN a.name AS name ORDER BY name")
    assert sorted(row["name"] for row in rows) == sorted(["张伟", "李娜", "陈明", "陈华"])


def test_a_utf8_file_may_hold_u_fffd_and_a_real_bad_byte_is_still_reported_with_its_line(tmp_path):
    clean = tmp_path / "clean.bib"
    clean.write_bytes("@article{c, author = {Lee, Kenton}, title = {Caf\ufffd society}, year = 2019}\n".encode())
    bib = tmp_path / "stray.bib"
    bib.write_bytes("@article{a, author = {Lee, Kenton}, title = {Caf\ufffd society}, year = 2019}\n".encode()
                    + b"@article{b, author = {M\xfcller, J.}, title = {Stray}, year = 2019}\n")
    ris = tmp_path / "stray.ris"
    ris.write_bytes("TY  - JOUR\nAU  - Lee, Kenton\nTI  - Caf\ufffd society\nER  - \n".encode()
                    + b"TY  - JOUR\nAU  - M\xfcller, J.\nTI  - Stray\nER  - \n")
    result, papers, problems = extract(clean, bib, ris)
    assert result.exit_code == 0
    assert [(p["title"], [a["name"] for a in p["authors"]]) for p in papers] == [
        ("Caf\ufffd society", ["Kenton Lee"]),
        ("Caf\ufffd society", ["Kenton Lee"]), ("Stray", ["J. M\ufffdller"]),
        ("Caf\ufffd society", ["Kenton Lee"]), ("Stray", ["J. M\ufffdller"]),
    ]
    start = len("@article{a, author = {Lee, Kenton}, title = {Caf\ufffd society}, year = 2019}\n".encode()) + len("@article{b, author = {M")
    assert problems == [f"{bib}:2: bytes that are not UTF-8 replaced (first at byte {start})",
                        f"{ris}:6: bytes that are not UTF-8 replaced"]


def test_two_names_separated_by_a_comma_are_reported_and_last_first_forms_stay_one(tmp_path):
    path = tmp_path / "names.bib"
    path.write_text(
        "@article{two, author = {Jean Laidé, Ben Loaeb}, title = {Two People}, year = 2020}\n"
        "@article{forms, author = {van der Berg, Jan and García Márquez, Gabriel and {Smith Jones}, Anna and Smith, Jr., John"
        " and Smith, J. R. and {Smith Jones}, Anna Maria and van der Berg, Jan Piet}, title = {Forms}, year = 2020}\n"
        "@article{listed, author = {García Márquez, Gabriel José and Vargas Llosa, Mario}, title = {Listed}, year = 2020}\n"
        "@article{noox, author = {Jean Laidé, Ben Loaeb and Carl Dorr}, title = {No Oxford Comma}, year = 2020}\n"
        "@article{alone, author = {García Márquez, Gabriel José}, title = {Alone}, year = 2020}\n"
        "@article{init, author = {J. Smith, A. Jones and Lee, Kenton}, title = {Initials}, year = 2020}\n"
        "@article{semi, author = {Jean Laidé, Ben Loaeb; Carl Dorr}, title = {Semicolons}, year = 2020}\n",
        encoding="utf-8",
    )
    result, papers, problems = extract(path)
    assert result.exit_code == 0
    one, dorr = ("Ben Loaeb Jean Laidé", "Ben Loaeb", "Jean Laidé"), ("Carl Dorr", "Carl", "Dorr")
    assert [names(p) for p in papers] == [
        [one],
        [("Jan van der Berg", "Jan", "van der Berg"), ("Gabriel García Márquez", "Gabriel", "García Márquez"),
         ("Anna Smith Jones", "Anna", "Smith Jones"), ("John Smith Jr.", "John", "Smith"), ("J. R. Smith", "J. R.", "Smith"),
         ("Anna Maria Smith Jones", "Anna Maria", "Smith Jones"), ("Jan Piet van der Berg", "Jan Piet", "van der Berg")],
        [("Gabriel José García Márquez", "Gabriel José", "García Márquez"), ("Mario Vargas Llosa", "Mario", "Vargas Llosa")],
        [one, dorr],  # read as BibTeX reads it, and reported: splitting would be a guess either way
        [("Gabriel José García Márquez", "Gabriel José", "García Márquez")],
        [("J. Smith", "J.", "Smith"), ("A. Jones", "A.", "Jones"), ("Kenton Lee", "Kenton", "Lee")],
        [one, dorr],
    ]
    assert problems == [
        f"{path}:1: entry two: 'Jean Laidé, Ben Loaeb' read as BibTeX reads it, one person 'Ben Loaeb Jean Laidé' with the"
        " family name 'Jean Laidé'; if it is two people ('Jean Laidé', 'Ben Loaeb'), separate them with 'and', and if it is"
        " one, brace the family name: '{Jean Laidé}, Ben Loaeb'",
        f"{path}:4: entry noox: 'Jean Laidé, Ben Loaeb' read as BibTeX reads it, one person 'Ben Loaeb Jean Laidé' with the"
        " family name 'Jean Laidé'; if it is two people ('Jean Laidé', 'Ben Loaeb'), separate them with 'and', and if it is"
        " one, brace the family name: '{Jean Laidé}, Ben Loaeb'",
        f"{path}:5: entry alone: 'García Márquez, Gabriel José' read as BibTeX reads it, one person 'Gabriel José García"
        " Márquez' with the family name 'García Márquez'; if it is two people ('García Márquez', 'Gabriel José'), separate"
        " them with 'and', and if it is one, brace the family name: '{García Márquez}, Gabriel José'",
        f"{path}:6: entry init: authors separated by ',' rather than 'and' in 'J. Smith, A. Jones'; read as 2 names",
        f"{path}:7: entry semi: authors separated by ';' rather than 'and'; read as 2 names",
        f"{path}:7: entry semi: 'Jean Laidé, Ben Loaeb' read as BibTeX reads it, one person 'Ben Loaeb Jean Laidé' with the"
        " family name 'Jean Laidé'; if it is two people ('Jean Laidé', 'Ben Loaeb'), separate them with 'and', and if it is"
        " one, brace the family name: '{Jean Laidé}, Ben Loaeb'",
    ]
