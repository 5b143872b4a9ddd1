"""Encodings in the line readers (session 16, from outside QA): a RIS, WoS or MEDLINE file whose first byte above
127 lies past the first 64 KiB is read in its legacy encoding, not as UTF-8 with every accent replaced; a legacy
part joined on after UTF-8 text is read in its encoding from its first line on; Big5, EUC-JP, Shift-JIS and
EUC-KR files are read in their encoding, not as GB18030 or Windows-1252 garbage; every line whose bytes were
replaced is named. Each through ``graphkit extract`` on files written here."""

from __future__ import annotations

from tests.cli import extract

CP1252 = "not UTF-8: read as Windows-1252 (cp1252), the encoding Excel and older tools write"



def people(papers):
    return [(p["title"], [a["name"] for a in p["authors"]]) for p in papers]


def _ascii_ris(n):
    return "".join(f"TY  - JOUR\nTI  - Plain title {i}\nAU  - Smith, John\nPY  - 2001\nER  - \n" for i in range(n))


def test_an_8bit_file_whose_first_accent_lies_past_64_kib_is_read_as_windows_1252(tmp_path):
    head = _ascii_ris(1500)  # 5 lines a record, about 80 KB
    assert len(head) > 1 << 16
    ris = tmp_path / "late.ris"
    ris.write_bytes((head + "TY  - JOUR\nTI  - Über die Änderung\nAU  - Müller, Jürgen\nAU  - García, José\nPY  - 2020\nER  - \n"
                     "TY  - JOUR\nTI  - Kernel méthodes\nAU  - Schölkopf, Bernhard\nPY  - 2020\nER  - \n").encode("cp1252"))
    wos_head = "FN Clarivate Analytics Web of Science\nVR 1.0\n" + "".join(
        f"PT J\nAU Smith, J\nAF Smith, John\nTI Plain title {i}\nPY 2001\nUT WOS:{i:015d}\nER\n\n" for i in range(1200))
    wos = tmp_path / "late.txt"
    wos.write_bytes((wos_head + "PT J\nAU Müller, J\nAF Müller, Jürgen\nTI Größe und Maß\nPY 2020\nUT WOS:999999999999999\nER\n\nEF\n").encode("cp1252"))
    result, papers, problems = extract(ris, wos)
    assert len(papers) == 1502 + 1201
    assert people(papers[1500:1502]) == [("Über die Änderung", ["Jürgen Müller", "José García"]),
                                         ("Kernel méthodes", ["Bernhard Schölkopf"])]
    assert people(papers[-1:]) == [("Größe und Maß", ["Jürgen Müller"])]
    wos_line = wos_head.count("\n") + 2
    assert problems == [f"{ris}:{1500 * 5 + 2}: {CP1252}", f"{wos}:{wos_line}: {CP1252}"]


def test_a_windows_1252_part_joined_on_after_utf8_text_is_read_as_windows_1252_from_its_first_line(tmp_path):
    utf8 = "TY  - JOUR\nTI  - Ação\nAU  - Erdős, Paul\nER  - \n" + _ascii_ris(1500)
    legacy = "TY  - JOUR\nTI  - Élève à l'école\nAU  - Hérault, François\nER  - \n"
    ris = tmp_path / "joined.ris"
    ris.write_bytes(utf8.encode() + legacy.encode("cp1252"))
    result, papers, problems = extract(ris)
    assert people(papers[:1]) + people(papers[-1:]) == [("Ação", ["Paul Erdős"]), ("Élève à l'école", ["François Hérault"])]
    assert problems == [f"{ris}:{utf8.count(chr(10)) + 2}: {CP1252}; the lines before it are UTF-8"]


def test_big5_euc_jp_shift_jis_and_euc_kr_files_are_read_in_their_encoding(tmp_path):
    files = []
    for name, codec, title, authors in (
        ("big5", "big5", "資料探勘研究", ["陳大文", "林志明"]),
        ("eucjp", "euc_jp", "機械学習の研究", ["山田太郎", "鈴木花子"]),
        ("sjis", "shift_jis", "自然言語処理のための深層学習", ["佐藤健", "田中さくら"]),
        ("euckr", "euc_kr", "기계 학습 연구의 새로운 방법", ["김철수", "이영희"]),
    ):
        ris = tmp_path / f"{name}.ris"
        ris.write_bytes(("TY  - JOUR\nTI  - " + title + "\n" + "".join(f"AU  - {a}\n" for a in authors) + "PY  - 2020\nER  - \n").encode(codec))
        bib = tmp_path / f"{name}.bib"
        bib.write_bytes(("@article{k,\n  author = {" + " and ".join(authors) + "},\n  title = {" + title + "},\n  year = 2020\n}\n").encode(codec))
        files += [ris, bib]
    result, papers, problems = extract(*files)
    assert people(papers) == [
        ("資料探勘研究", ["陳大文", "林志明"]), ("資料探勘研究", ["陳大文", "林志明"]),
        ("機械学習の研究", ["山田太郎", "鈴木花子"]), ("機械学習の研究", ["山田太郎", "鈴木花子"]),
        ("自然言語処理のための深層学習", ["佐藤健", "田中さくら"]), ("自然言語処理のための深層学習", ["佐藤健", "田中さくら"]),
        ("기계 학습 연구의 새로운 방법", ["김철수", "이영희"]), ("기계 학습 연구의 새로운 방법", ["김철수", "이영희"]),
    ]
    said = ["Big5 (Traditional Chinese; cp950), the encoding Taiwanese and Hong Kong tools write",
            "EUC-JP (Japanese), the encoding older Japanese Unix tools write",
            "Shift-JIS (Japanese; cp932), the encoding Japanese Windows tools write",
            "EUC-KR (Korean; cp949), the encoding Korean tools write"]
    assert problems == [f"{f}:2: not UTF-8: read as {s}" for s in said for f in files[2 * said.index(s): 2 * said.index(s) + 2]]


def test_a_reading_with_private_use_characters_is_not_presented_as_sure(tmp_path):
    # Byte pairs GB18030 maps to private-use code points (its user-defined rows FD and FE), which no other
    # encoding here reads as text: read as GB18030 (what the byte pairs say), but said to be doubtful.
    ris = tmp_path / "odd.ris"
    ris.write_bytes(b"TY  - JOUR\nTI  - \xfe\xa1\xfe\xa2\xfe\xa3\nAU  - \xfd\xa4\xfd\xa5\nER  - \n")
    result, papers, problems = extract(ris)
    assert people(papers) == [("\ue468\ue469\ue46a", ["\ue40d\ue40e"])]
    assert problems == [f"{ris}:2: not UTF-8: read as GB18030, but the reading holds characters no name or title has "
                        "(private-use or unassigned code points, kana among Chinese): the file may be Big5, EUC-JP, "
                        "Shift-JIS or EUC-KR and its names wrong; save it as UTF-8"]


def test_every_line_with_replaced_bytes_is_named(tmp_path):
    ris = tmp_path / "stray.ris"
    ris.write_bytes("TY  - JOUR\nTI  - Ação é\nAU  - Erdős, Paul\nER  - \n".encode()
                    + b"TY  - JOUR\nTI  - Bad \xff one\nAU  - M\xfcller, J.\nER  - \nTY  - JOUR\nTI  - Bad \xfe two\nER  - \n")
    result, papers, problems = extract(ris)
    assert people(papers) == [("Ação é", ["Paul Erdős"]), ("Bad \ufffd one", ["J. M\ufffdller"]), ("Bad \ufffd two", [])]
    assert problems[0] == f"{ris}:6: bytes that are not UTF-8 replaced"
    assert f"{ris}:7: bytes replaced in 2 more lines after line 6 (lines 7, 10)" in problems


def test_windows_1252_units_and_capital_names_are_not_read_as_big5(tmp_path):
    # the second QA round: '10 °C·min-1' read as '10 蚓搶in-1' and 'HÄMÄLÄINEN' as 'H鵡鶉鯧NEN' (Big5 takes an
    # ASCII letter as a character's second byte; Windows-1252's symbols stand alone between letters)
    ris = tmp_path / "units.ris"
    ris.write_bytes("TY  - JOUR\nAU  - HÄMÄLÄINEN, Päivi\nTI  - Thermal decomposition at 10 °C·min-1 and 0.5 µg·L-1\n"
                    "PY  - 2020\nER  - \n".encode("cp1252"))
    run, (record,), _ = extract(ris)
    assert record["title"] == "Thermal decomposition at 10 °C·min-1 and 0.5 µg·L-1"
    assert [a["name"] for a in record["authors"]] == ["Päivi HÄMÄLÄINEN"] or record["authors"][0]["family"] == "HÄMÄLÄINEN"
    assert "read as Windows-1252" in run.stderr
