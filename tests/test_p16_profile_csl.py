"""Session 16: a Chinese (GB18030) profile page, cards under year headings, and CSL-JSON cut off or laid out oddly.

Every test runs the real CLI (``graphkit extract``) on files written here.
"""

from __future__ import annotations

import gzip
import json
import zlib
import subprocess
import sys
from pathlib import Path

GRAPHKIT = str(Path(sys.executable).with_name("graphkit"))


def extract(path: Path, *args: str) -> tuple[list[dict], list[str], int]:
    """The JSON lines of ``graphkit extract`` on ``path``, its problem lines and its exit code."""
    run = subprocess.run([GRAPHKIT, "extract", str(path), "--format", "json", *args], capture_output=True, text=True,
                         timeout=120)
    assert "Traceback" not in run.stderr, run.stderr
    records = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    problems = [line[len("problem: "):] for line in run.stderr.splitlines() if line.startswith("problem: ")]
    return records, problems, run.returncode


# ------------------------------------------------------------------ profile pages

CHINESE_PAGE = "张伟\n\nCL\nh-index10\n1papers\n\nCLMar 3, 2024\n深度学习研究\n\n张伟 et al.\n\n我们研究深度学习。"


def test_a_gbk_profile_page_is_read_as_gb18030(tmp_path):
    # was: "page.txt:1: not UTF-8 text (byte 0xd5 at offset 0); skipped": the profile and its card lost
    path = tmp_path / "page.txt"
    path.write_bytes(CHINESE_PAGE.encode("gbk"))
    records, problems, code = extract(path, "--strict")
    assert code == 1
    assert problems == [f"{path}:1: not UTF-8: read as GB18030 (Chinese; GBK and GB2312 are part of it), "
                        "the encoding Chinese tools write"]
    profile, paper = records
    assert (profile["name"], profile["h_index"], profile["paper_count"], profile["layout"]) == ("张伟", 10, 1, "listing")
    assert (paper["title"], paper["date"], paper["abstract"]) == ("深度学习研究", "2024-03-03", "我们研究深度学习。")
    assert [a["name"] for a in paper["authors"]] == ["张伟"] and paper["authors_truncated"] is True



def test_chinese_names_in_characters_are_no_family_given_pairs(tmp_path):
    # was: "may be written 'Family, Given'" for 张伟, 李娜, so --strict failed on an ordinary Chinese page
    path = tmp_path / "page.txt"
    path.write_text(CHINESE_PAGE.replace("张伟 et al.", "张伟, 李娜"), encoding="utf-8")
    records, problems, code = extract(path, "--strict")
    assert (problems, code) == ([], 0)
    assert [a["name"] for a in records[1]["authors"]] == ["张伟", "李娜"]
    path.write_text(CHINESE_PAGE.replace("张伟 et al.", "Smith, John, Doe, Jane"), encoding="utf-8")
    _, problems, code = extract(path, "--strict")  # Latin names in pairs are still asked about
    assert code == 1 and any("Family, Given" in p for p in problems), problems

YEAR_GROUPED = """Jane Roe

2024

CLMar 3, 2024
Paper One

Jane Roe, John Poe

Large language models have shown strong abilities in many reasoning tasks, yet they still struggle with planning
2023

CLDec 24
Paper Two

John Poe

An abstract.

2022

LGJan 5, 2021
Paper Three

Jane Roe

Another abstract."""


def test_cards_under_year_headings_are_a_listing(tmp_path):
    # was: read as the by-year layout: the authors lines became papers ("Jane Roe, John Poe"), the titles and card
    # headers were skipped, and a year-less date took the as-of year, not its heading's
    path = tmp_path / "roe.txt"
    path.write_text(YEAR_GROUPED, encoding="utf-8")
    records, problems, code = extract(path, "--as-of", "2026-11-21")
    assert code == 0
    profile, *papers = records
    assert profile["layout"] == "listing" and profile["name"] == "Jane Roe"
    assert [(p["title"], p["date"], p["year"]) for p in papers] == [
        ("Paper One", "2024-03-03", 2024), ("Paper Two", "2023-12-24", 2023), ("Paper Three", "2021-01-05", 2021)]
    # the heading ends the abstract above it: "2023" is no part of it
    assert papers[0]["abstract"].endswith("struggle with planning")
    assert [[a["name"] for a in p["authors"]] for p in papers] == [["Jane Roe", "John Poe"], ["John Poe", "Jane Roe"],
                                                                  ["Jane Roe"]]
    assert problems == [f"{path}:22: card dated 2021 under the year heading 2022 (line 20); its own date kept"]
    # year headings with no card under them: the by-year layout still
    path.write_text("Ada Lovelace\n\n2024\n\nWe propose the Engine, a machine that computes.\n\n2023\n\n"
                    "We study the numbers of Bernoulli.", encoding="utf-8")
    records, problems, code = extract(path)
    assert (code, problems, records[0]["layout"]) == (0, [], "by-year")
    assert [(p["year"], p["abstract"]) for p in records[1:]] == [
        (2024, "We propose the Engine, a machine that computes."), (2023, "We study the numbers of Bernoulli.")]


# ------------------------------------------------------------------ CSL-JSON


def _items(count: int) -> list[dict]:
    return [{"id": f"i{n}", "type": "article-journal", "title": f"Title {n}",
             "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2020, 1, 1 + n % 28]]}}
            for n in range(1, count + 1)]


def test_a_cut_off_csl_json_gz_keeps_its_complete_items(tmp_path):
    # was: no item kept ("not valid JSON: unexpected end of data"), and "truncated gzip file" a second time, at no line
    text = json.dumps(_items(10), indent=2).encode()
    compressed = gzip.compress(text, mtime=0)
    for size in range(len(compressed) - 1, 0, -1):  # the longest cut whose data ends inside item 8, before its title
        data = zlib.decompressobj(31).decompress(compressed[:size])
        if b'"id": "i8"' in data and b'"Title 8"' not in data:
            break
    path = tmp_path / "refs.json.gz"
    path.write_bytes(compressed[:size])
    records, problems, code = extract(path, "--from", "csl-json", "--strict")
    assert code == 1
    assert [(r["title"], r["line"]) for r in records] == [(f"Title {n}", 2 + 20 * (n - 1)) for n in range(1, 8)]
    assert problems == [f"{path}:142: truncated gzip file: the file ends inside item 8 (line 142): the 7 items before "
                        "it kept, item 8 lost, and the rest of the file not read"]
    # only the gzip trailer cut: every item kept, the cut still said, once, at the file's last line
    path.write_bytes(compressed[:-1])
    records, problems, code = extract(path, "--from", "csl-json", "--strict")
    assert (len(records), code) == (10, 1)
    assert problems == [f"{path}:202: truncated gzip file after the whole JSON: all 10 items read, the data unchecked "
                        "(the gzip checksum is missing)"]


def test_a_csl_json_file_cut_inside_its_array_keeps_the_items_before(tmp_path):
    text = json.dumps(_items(5), indent=2)
    path = tmp_path / "refs.json"
    path.write_text(text[: text.index('"Title 4"') + 3], encoding="utf-8")
    records, problems, code = extract(path, "--from", "csl-json", "--strict")
    assert code == 1
    assert [(r["title"], r["line"], r["record"]) for r in records] == [("Title 1", 2, 1), ("Title 2", 22, 2),
                                                                       ("Title 3", 42, 3)]
    assert problems == [f"{path}:62: the file ends inside item 4 (line 62): the 3 items before it kept, item 4 lost"]


def test_a_csl_json_syntax_error_keeps_the_items_before_it(tmp_path):
    path = tmp_path / "refs.json"
    path.write_text('[\n  {"title": "A"},\n  {"title": "B" "x": 1},\n  {"title": "C"}\n]', encoding="utf-8")
    records, problems, _ = extract(path, "--from", "csl-json")
    assert [r["title"] for r in records] == ["A"]
    assert problems == [f"{path}:3: not valid JSON at item 2 (line 3): unexpected character, expected ',' or '}}'; "
                        "the 1 item before it kept, the rest of the file not read"]


def _odd_layout(tmp_path: Path, name: str, text: str) -> list[str]:
    path = tmp_path / name
    path.write_bytes(text.encode())
    records, problems, _ = extract(path, "--from", "csl-json")
    assert [r["title"] for r in records] == ["Title 1", "Title 2", "Title 3", "Title 4"]
    return [p[len(str(path)):] for p in problems]


def test_csl_json_items_in_odd_layouts_are_named_by_their_line(tmp_path):
    # was: "record 3" in each layout, though item 3 starts a line of its own
    items = _items(4)
    items[2]["issued"] = {"date-parts": [[2020, 2, 30]]}
    one = [json.dumps(item) for item in items]
    impossible = ": impossible date '[2020, 2, 30]' in issued; read the year only"
    mixed = "[\n" + one[0] + ",\n\t" + one[1] + ",\n\t\t" + one[2] + ",\n" + one[3] + "\n]"
    assert _odd_layout(tmp_path, "mixed.json", mixed) == [":4" + impossible]
    leading = "[ " + one[0] + "\n, " + one[1] + "\n, " + one[2] + "\n, " + one[3] + "\n]\n"
    assert _odd_layout(tmp_path, "lead.json", leading) == [":3" + impossible]
    old_mac = json.dumps(items, indent=2).replace("\n", "\r")  # item 3 starts line 2 + 2 * 20
    assert _odd_layout(tmp_path, "cr.json", old_mac) == [":42" + impossible]
    two = "[\n" + one[0] + ", " + one[1] + ",\n" + one[2] + ",\n" + one[3] + "\n]"  # items 1 and 2 share line 2
    assert _odd_layout(tmp_path, "two.json", two) == [": record 3" + impossible]  # no line is sure: all by number
    assert _odd_layout(tmp_path, "oneline.json", json.dumps(items) + "\n") == [": record 3" + impossible]
    items[0]["issued"] = {"date-parts": [[2020, 2, 31]]}
    two = "[\n" + json.dumps(items[0]) + ", " + one[1] + ",\n" + one[2] + ",\n" + one[3] + "\n]"
    assert _odd_layout(tmp_path, "two.json", two) == [
        ": record 1: impossible date '[2020, 2, 31]' in issued; read the year only", ": record 3" + impossible]
