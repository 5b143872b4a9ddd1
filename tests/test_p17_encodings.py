"""Legacy encodings, session 17: Central European (Windows-1250, ISO-8859-2) and Vietnamese (Windows-1258) exports
are read in their code page, not as Windows-1252; Scopus CSV reads every legacy encoding RIS reads; a UTF-8 export
joined to a legacy one in a small file keeps its UTF-8 lines. Each through ``graphkit extract`` on files written
here with Python's codecs."""

from __future__ import annotations

import unicodedata

from tests.cli import extract

CP1250 = ("not UTF-8: read as Windows-1250 (cp1250; Central European), the encoding Polish, Czech, Slovak and "
          "Hungarian Windows tools write")
CP1252 = "not UTF-8: read as Windows-1252 (cp1252), the encoding Excel and older tools write"


def people(papers):
    return [(p["title"], [a["name"] for a in p["authors"]]) for p in papers]


def _ris(title, *authors):
    return "TY  - JOUR\nTI  - " + title + "\n" + "".join(f"AU  - {a}\n" for a in authors) + "PY  - 2020\nER  - \n"


def test_polish_and_czech_windows_1250_files_are_read_as_windows_1250_and_western_ones_stay_windows_1252(tmp_path):
    polish = tmp_path / "pl.ris"
    polish.write_bytes((_ris("Uczenie maszynowe", "Wróbel, Łukasz", "Świątek, Paweł")).encode("cp1250"))
    czech = tmp_path / "cs.ris"
    czech.write_bytes((_ris("Strojové učení", "Dvořák, Jiří", "Černý, Tomáš")).encode("cp1250"))
    bib = tmp_path / "cs.bib"
    bib.write_bytes("@article{k,\n  author = {Dvořák, Jiří and Němec, Růžena},\n  title = {Příliš žluťoučký kůň},\n"
                    "  year = 2020\n}\n".encode("cp1250"))
    wos = tmp_path / "pl.txt"
    wos.write_bytes("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Wróbel, Ł\nAF Wróbel, Łukasz\n"
                    "TI Zażółć gęślą jaźń\nPY 2020\nUT WOS:000000000000001\nER\n\nEF\n".encode("cp1250"))
    western = tmp_path / "west.ris"
    western.write_bytes((_ris("Über die Änderung", "Müller, Jürgen", "Hérault, François", "Peña, José",
                              "Kierkegård, Søren", "Weiß, Åsa")).encode("cp1252"))
    result, papers, problems = extract(polish, czech, bib, wos, western)
    assert people(papers) == [
        ("Uczenie maszynowe", ["Łukasz Wróbel", "Paweł Świątek"]),
        ("Strojové učení", ["Jiří Dvořák", "Tomáš Černý"]),
        ("Příliš žluťoučký kůň", ["Jiří Dvořák", "Růžena Němec"]),
        ("Zażółć gęślą jaźń", ["Łukasz Wróbel"]),
        ("Über die Änderung", ["Jürgen Müller", "François Hérault", "José Peña", "Søren Kierkegård", "Åsa Weiß"]),
    ]
    assert problems == [f"{polish}:3: {CP1250}", f"{czech}:2: {CP1250}", f"{bib}:2: {CP1250}", f"{wos}:4: {CP1250}",
                        f"{western}:2: {CP1252}"]


def test_iso_8859_2_and_windows_1258_files_are_read_in_their_encoding(tmp_path):
    latin2 = tmp_path / "latin2.ris"
    latin2.write_bytes(_ris("Zażółć gęślą jaźń", "Świątek, Paweł", "Šťastný, Luboš").encode("iso8859_2"))
    vietnamese = "TY  - JOUR\nTI  - Học máy cho xử lý ngôn ngữ\nAU  - Nguyễn, Văn An\nAU  - Trần, Thị Hương\nER  - \n"
    # Windows-1258 writes a tone as a combining mark after the letter (what Windows' converter does)
    encoded = b""
    for ch in vietnamese:
        try:
            encoded += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            encoded += unicodedata.normalize("NFC", parts[:-1]).encode("cp1258") + parts[-1].encode("cp1258")
    vi = tmp_path / "vi.ris"
    vi.write_bytes(encoded)
    result, papers, problems = extract(latin2, vi)
    assert people(papers) == [("Zażółć gęślą jaźń", ["Paweł Świątek", "Luboš Šťastný"]),
                              ("Học máy cho xử lý ngôn ngữ", ["Văn An Nguyễn", "Thị Hương Trần"])]
    assert problems == [
        f"{latin2}:2: not UTF-8: read as ISO-8859-2 (Latin-2; Central European), the encoding older Polish and Czech "
        "Unix tools write",
        f"{vi}:2: not UTF-8: read as Windows-1258 (cp1258; Vietnamese), the encoding Vietnamese Windows tools write",
    ]


def test_scopus_csv_in_windows_1250_and_big5_is_read_in_its_encoding(tmp_path):
    header = "Authors,Author full names,Title,Year,Source title,EID\n"
    polish = tmp_path / "pl.csv"
    polish.write_bytes((header + '"Wróbel Ł.; Świątek P.","Wróbel, Łukasz (1); Świątek, Paweł (2)",Uczenie maszynowe,'
                        "2020,Acta Łódź,2-s2.0-1\n").encode("cp1250"))
    big5 = tmp_path / "tw.csv"
    big5.write_bytes((header + '"陳大文; 林志明","陳大文 (3); 林志明 (4)",資料探勘研究,2020,資訊科學,2-s2.0-2\n').encode("big5"))
    result, papers, problems = extract(polish, big5)
    assert people(papers) == [("Uczenie maszynowe", ["Łukasz Wróbel", "Paweł Świątek"]),
                              ("資料探勘研究", ["陳大文", "林志明"])]
    assert papers[0]["venue"] == "Acta Łódź"
    assert problems == [f"{polish}:1: {CP1250}",
                        f"{big5}:1: not UTF-8: read as Big5 (Traditional Chinese; cp950), the encoding Taiwanese and "
                        "Hong Kong tools write"]


def test_a_utf8_export_joined_before_or_after_a_legacy_one_keeps_its_utf8_lines(tmp_path):
    utf8 = _ris("Ação", "Erdős, Paul")
    legacy = _ris("Élève à l'école", "Hérault, François", "Müller, Jürgen", "Schölkopf, Bernhard")
    before = tmp_path / "before.ris"
    before.write_bytes(utf8.encode() + legacy.encode("cp1252"))
    after = tmp_path / "after.ris"
    after.write_bytes(legacy.encode("cp1252") + utf8.encode())
    bib = tmp_path / "joined.bib"
    bib.write_bytes("@article{a, author = {Erdős, Paul}, title = {Ação}, year = 2020}\n".encode()
                    + "@article{b, author = {Hérault, François and Müller, Jürgen}, title = {Élève à l'école}, year = 2020}\n".encode("cp1252"))
    chinese = tmp_path / "zh.ris"
    # in an East Asian file only East Asian UTF-8 lines are told apart (GBK byte pairs read as UTF-8 Latin letters)
    chinese_utf8 = _ris("机器学习方法", "陈大文", "林志明")
    chinese.write_bytes(_ris("资料探勘研究", "张伟", "李娜", "王晓明").encode("gbk") + chinese_utf8.encode())
    result, papers, problems = extract(before, after, bib, chinese)
    good_utf8 = ("Ação", ["Paul Erdős"])
    good_legacy = ("Élève à l'école", ["François Hérault", "Jürgen Müller", "Bernhard Schölkopf"])
    assert people(papers) == [good_utf8, good_legacy, good_legacy, good_utf8, good_utf8,
                              ("Élève à l'école", ["François Hérault", "Jürgen Müller"]),
                              ("资料探勘研究", ["张伟", "李娜", "王晓明"]), ("机器学习方法", ["陈大文", "林志明"])]
    first_legacy = utf8.count("\n") + 2
    assert problems == [
        f"{before}:{first_legacy}: {CP1252}; the lines before it are UTF-8",
        f"{after}:2: {CP1252}",
        f"{bib}:2: {CP1252}; the lines before it are UTF-8",
        f"{chinese}:2: not UTF-8: read as GB18030 (Chinese; GBK and GB2312 are part of it), the encoding "
        "Chinese tools write",
    ]


def test_a_gbk_file_of_two_character_names_reads_every_name_in_gbk(tmp_path):
    # GBK byte pairs can spell UTF-8 (about 1 in 60 two-character names reads as UTF-8 Latin letters):
    # in a file that is Chinese, no line of Chinese names may be taken for a joined UTF-8 line
    common = [bytes([row, cell]).decode("gb2312") for row in range(0xB0, 0xD8) for cell in range(0xA1, 0xFF)
              if (row, cell) < (0xD7, 0xFA)]
    names = [common[(i * 7919) % len(common)] + common[(i * 104729 + 13) % len(common)] for i in range(600)]
    gbk = tmp_path / "names.ris"
    gbk.write_bytes("".join(_ris(f"研究 {i}", name) for i, name in enumerate(names)).encode("gbk"))
    result, papers, problems = extract(gbk)
    assert [p["authors"][0]["name"] for p in papers] == names
    assert problems == [f"{gbk}:2: not UTF-8: read as GB18030 (Chinese; GBK and GB2312 are part of it), the encoding "
                        "Chinese tools write"]


def test_a_utf8_bibtex_file_with_stray_bytes_names_every_line_they_are_on(tmp_path):
    good = "@article{g%d, author = {Erdős, Paul and Ørsted, Hans}, title = {Ação %d}, year = 2020}\n"
    bib = tmp_path / "stray.bib"
    bib.write_bytes("".join(good % (i, i) for i in range(4)).encode()
                    + b"@article{s1, author = {M\xfcller, J}, title = {One}, year = 2020}\n"
                    + (good % (8, 8)).encode()
                    + b"@article{s2, author = {Sch\xf6lkopf, B}, title = {Two}, year = 2020}\n"
                    + b"@article{s3, author = {Wei\xdf, A}, title = {Three}, year = 2020}\n")
    result, papers, problems = extract(bib)
    assert len(papers) == 8 and papers[0]["authors"][0]["name"] == "Paul Erdős"
    first_byte = len("".join(good % (i, i) for i in range(4)).encode()) + len(b"@article{s1, author = {M")
    assert problems == [f"{bib}:5: bytes that are not UTF-8 replaced (first at byte {first_byte}); bytes replaced in 2 "
                        "more lines after line 5 (lines 7, 8)"]


def test_signs_western_text_writes_beside_words_keep_a_western_file_windows_1252(tmp_path):
    # one R³, µM, ±SD or MATLAB® read a whole Windows-1252 file as Windows-1250 or ISO-8859-2 (Søren as Sřren)
    titles = ["Minimal surfaces in R³", "Effects of 10 µM ouabain on 5 µm layers", "Pressure fell 7 ±SD 3 mmHg",
              "A MATLAB® toolbox for gait analysis", "The ³He superfluid at 2 °C"]
    files = []
    for i, title in enumerate(titles):
        path = tmp_path / f"w{i}.ris"
        path.write_bytes(_ris(title, "Bjørnsson, Søren", "Lefèvre, Hélène", "Brännström, Åke").encode("cp1252"))
        files.append(path)
    result, papers, problems = extract(*files)
    assert people(papers) == [(t, ["Søren Bjørnsson", "Hélène Lefèvre", "Åke Brännström"]) for t in titles]
    assert problems == [f"{path}:2: {CP1252}" for path in files]
