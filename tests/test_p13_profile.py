"""Profile pages whose authors line writes names "Family, Given": separated by ``;``, or by ``and``/``&``
(BibTeX, APA). Each name is one person, given names first; the owner written so is the owner, at their
position, not added again as an inferred author. Comma lists of "Given Family" names read as before; a
comma list that may be "Family, Given" pairs keeps that reading and is reported, never silently.

Every page is a real file, read by :func:`graphkit.readers.profile.read_profile` and by the real
``graphkit extract`` (typer's runner); ``graphkit build`` where the graph is the point. The seed pages
(``../shared/seeds``) are checked for properties, not against stored answers.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.keys import name_key
from graphkit.models import PaperRecord, Problem, Profile
from graphkit.readers.profile import (
    looks_like_authors,
    parse_authors_line,
    parse_card_header,
    parse_compact,
    parse_profile,
    read_profile,
)
from graphkit.resolve.records import compact
from graphkit.store import EmbeddedStore

AS_OF = dt.date(2026, 11, 21)
SHARED = Path(__file__).resolve().parents[2] / "shared"
runner = CliRunner()


def page(owner: str, *authors_lines: str) -> str:
    """A listing page of ``owner`` with one card per authors line."""
    cards = [f"DSFeb {i + 1}, 2021\nTitle {i + 1}\n\n{line}\n\nAbstract {i + 1}." for i, line in enumerate(authors_lines)]
    return f"{owner}\n\n{len(cards)} Papers\n\n" + "\n\n".join(cards)


def read(path: Path):
    """(papers, problems as text) of a page read by the public reader."""
    items = list(read_profile(path, as_of=AS_OF))
    assert sum(isinstance(i, Profile) for i in items) == 1
    return [i for i in items if isinstance(i, PaperRecord)], [str(i) for i in items if isinstance(i, Problem)]


def extract(target: Path, *extra: str):
    """``graphkit extract --format json``: (papers, problem lines of stderr, exit code)."""
    result = runner.invoke(app, ["extract", str(target), "--format", "json", "--as-of", AS_OF.isoformat(), *extra])
    assert "Traceback" not in result.output
    objects = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    problems = [line.removeprefix("problem: ") for line in result.stderr.splitlines() if line.startswith("problem: ")]
    return [o for o in objects if o["type"] == "paper"], problems, result.exit_code


def authors(paper) -> list[tuple[str, int | None, bool]]:
    """(name, position, inferred) of each author of a record or of an extracted JSON paper."""
    if isinstance(paper, dict):
        return [(a["name"], a["position"], a["inferred"]) for a in paper["authors"]]
    return [(a.name, a.position, a.inferred) for a in paper.authors]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------- the defect as reported


@pytest.mark.parametrize(("line", "second"), [
    ("Garcia Lopez, Jose; Muller, Karl-Heinz", "Karl-Heinz Muller"),
    ("Garcia Lopez, J. and Muller, K.-H.", "K.-H. Muller"),
])
def test_family_given_list_is_two_people_and_the_owner_at_position_0(tmp_path, line, second):
    # was: "Garcia Lopez", "Jose", "Muller", "Karl-Heinz" and the owner again as inferred (5 authors,
    # 0 problems); with " and ": family-name-only "Garcia Lopez", "Muller" and the owner inferred
    path = write(tmp_path, "prof1.txt", page("Jose Garcia Lopez", line))
    expected = [("Jose Garcia Lopez", 0, False), (second, 1, False)]
    papers, problems = read(path)
    assert [authors(p) for p in papers] == [expected] and problems == []
    extracted, problems, code = extract(path, "--strict")
    assert code == 0 and problems == []
    assert [authors(p) for p in extracted] == [expected]


def test_the_build_holds_two_authors_and_the_owner_once(tmp_path):
    (tmp_path / "in").mkdir()
    write(tmp_path / "in", "garcia.txt", page("Jose Garcia Lopez", "Garcia Lopez, Jose; Muller, Karl-Heinz",
                                              "Garcia Lopez, J. and Muller, K.-H. et al."))
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "g"), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    rows = EmbeddedStore(tmp_path / "g").query("MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN a.name AS a, count(p) AS n")
    counts = {r["a"]: r["n"] for r in rows}
    assert counts["Jose Garcia Lopez"] == 2
    assert not {"Garcia Lopez", "Jose", "Muller", "Karl-Heinz", "J. Garcia Lopez"} & set(counts)
    assert set(counts) - {"Jose Garcia Lopez"} <= {"Karl-Heinz Muller", "K.-H. Muller"}


# ---------------------------------------------------------- the forms, line by line


@pytest.mark.parametrize(("line", "names", "truncated", "institutions"), [
    # ";" separates; a part with one comma is "Family, Given"; a closing "and" before the last part
    ("Garcia Lopez, Jose; Muller, Karl-Heinz; and de la Cruz, Ana Sofia",
     ("Jose Garcia Lopez", "Karl-Heinz Muller", "Ana Sofia de la Cruz"), False, ()),
    # a part without a comma is a name given first
    ("Garcia Lopez, Jose; Karl-Heinz Muller", ("Jose Garcia Lopez", "Karl-Heinz Muller"), False, ()),
    # suffixes, written as RIS and BibTeX write them
    ("King, Martin Luther, Jr.; Doe, Jane", ("Martin Luther King Jr.", "Jane Doe"), False, ()),
    ("Steele, Jr., Guy L. and Knuth, Donald E.", ("Guy L. Steele Jr.", "Donald E. Knuth"), False, ()),
    # BibTeX's "and", APA's "&" (with its comma), a truncated list, footnote marks, institutions
    ("Lee, K. and Chang, M.-W. and others", ("K. Lee", "M.-W. Chang"), True, ()),
    ("Garcia Lopez, J., & Muller, K.-H.", ("J. Garcia Lopez", "K.-H. Muller"), False, ()),
    ("Garcia Lopez\u00b9, Jose*; Muller, Karl-Heinz\u2020 et al. \u00b7 mit, cmu",
     ("Jose Garcia Lopez", "Karl-Heinz Muller"), True, ("mit", "cmu")),
    ("Gu, Albert & Dao, Tri; Goel, Karan", ("Albert Gu", "Tri Dao", "Karan Goel"), False, ()),
])
def test_family_given_forms(line, names, truncated, institutions):
    assert looks_like_authors(line)
    assert parse_authors_line(line) == (names, truncated, institutions)


@pytest.mark.parametrize(("line", "names", "truncated"), [
    ("Chengyu Huang, Sheng-Yen Chou, Zhengxin Zhang et al.", ("Chengyu Huang", "Sheng-Yen Chou", "Zhengxin Zhang"), True),
    ("Albert Gu, Karan Goel, and Christopher R\u00e9 & Tri Dao; Ana Silva", ("Albert Gu", "Karan Goel", "Christopher Ré", "Tri Dao", "Ana Silva"), False),
    ("Tri Dao; Albert Gu", ("Tri Dao", "Albert Gu"), False),
    ("Albert Gu, Tri Dao and Karan Goel", ("Albert Gu", "Tri Dao", "Karan Goel"), False),
    ("John Smith, Jr., Ana Silva", ("John Smith, Jr.", "Ana Silva"), False),
    ("Alexander Rush, Sandeep Subramanian", ("Alexander Rush", "Sandeep Subramanian"), False),
])
def test_given_family_lists_read_as_before(line, names, truncated):
    assert parse_authors_line(line) == (names, truncated, ())


# ----------------------------------------------------- ambiguous forms are reported


def test_a_comma_list_that_may_be_family_given_pairs_keeps_its_reading_and_is_reported(tmp_path):
    # was: the same four, three and two names with 0 problems
    path = write(tmp_path, "smith.txt", page("Ann Lee", "Smith, John, Doe, Jane", "Albert Gu, Karan Goel; Tri Dao",
                                             "Garcia Lopez, Jose"))
    papers, problems = read(path)
    assert [[a for a in authors(p) if not a[2]] for p in papers] == [
        [("Smith", 0, False), ("John", 1, False), ("Doe", 2, False), ("Jane", 3, False)],
        [("Albert Gu", 0, False), ("Karan Goel", 1, False), ("Tri Dao", 2, False)],
        [("Garcia Lopez", 0, False), ("Jose", 1, False)],
    ]
    assert [authors(p)[-1] for p in papers] == [("Ann Lee", None, True)] * 3
    suffix = "may be written 'Family, Given'; read with each comma between two names"
    assert problems == [
        f"{path}:8: authors line: 'Smith, John, Doe, Jane' {suffix}",
        f"{path}:15: authors line: 'Albert Gu, Karan Goel' {suffix}",
        f"{path}:22: authors line: 'Garcia Lopez, Jose' {suffix}",
    ]
    extracted, cli_problems, code = extract(path)
    assert code == 0 and cli_problems == problems
    assert [authors(p) for p in extracted] == [authors(p) for p in papers]
    assert extract(path, "--strict")[2] == 1


def test_and_parts_that_may_each_be_two_people_are_reported(tmp_path):
    # "Albert Gu, Karan Goel and Tri Dao, Ana Silva": four people, or two written "Family, Given"
    path = write(tmp_path, "gu.txt", page("Ann Lee", "Albert Gu, Karan Goel and Tri Dao, Ana Silva"))
    papers, problems = read(path)
    assert [a[0] for a in authors(papers[0])] == ["Albert Gu", "Karan Goel", "Tri Dao", "Ana Silva", "Ann Lee"]
    assert problems == [f"{path}:8: authors line: 'Albert Gu, Karan Goel and Tri Dao, Ana Silva' may be written "
                        "'Family, Given'; read with each comma between two names"]


def test_family_initials_pairs_after_commas_are_one_name_each(tmp_path):
    # "LeCun, Y., Bengio, Y., Hinton, G.": initials alone are no name, so the pairs are certain; the owner is
    # recognised under initials at position 1 and not added again
    path = write(tmp_path, "bengio.txt", page("Yoshua Bengio", "LeCun, Y., Bengio, Y., Hinton, G. E."))
    papers, problems = read(path)
    assert authors(papers[0]) == [("Y. LeCun", 0, False), ("Yoshua Bengio", 1, False), ("G. E. Hinton", 2, False)]
    assert problems == []
    # an odd list is no list of pairs: the initials stay reported as no names
    path = write(tmp_path, "odd.txt", page("Yoshua Bengio", "Yann LeCun, Y., Bengio"))
    papers, problems = read(path)
    assert [a[0] for a in authors(papers[0])][:2] == ["Yann LeCun", "Bengio"]
    assert len(problems) == 1 and "initials without a family name" in problems[0]


def test_the_compact_path_reads_the_same_authors(tmp_path):
    data = page("Jose Garcia Lopez", "Garcia Lopez, Jose; Muller, Karl-Heinz", "Garcia Lopez, J. and Muller, K.-H.",
                "Smith, John, Doe, Jane").encode()
    slow = list(parse_profile(io.BytesIO(data), "p.txt", as_of=AS_OF))
    fast = list(parse_compact(io.BytesIO(data), "p.txt", as_of=AS_OF, shared={}))
    assert [compact(x) if isinstance(x, PaperRecord) else x for x in slow] == fast
    assert [[a.name for a in r.iter_authors()] for r in fast if hasattr(r, "iter_authors")][:2] == [
        ["Jose Garcia Lopez", "Karl-Heinz Muller"], ["Jose Garcia Lopez", "K.-H. Muller"]]


# ---------------------------------------------------------------------- the seed pages


def seed_pages() -> list[Path]:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"{seeds} is absent: the shared seed pages ship beside the repository, not in it")
    pages = sorted(seeds.glob("*.txt"))
    if not pages:
        pytest.skip(f"{seeds} holds no seed pages (*.txt)")
    return pages


def check_authors(papers: list[PaperRecord]) -> None:
    """No author is a lone word (a given or family name alone); the owner is at most once on a paper, and
    inferred only where no shown name is theirs."""
    for paper in papers:
        for author in paper.authors:
            assert len(author.name.split()) >= 2, (paper.title, author.name)
        owner = name_key(paper.owner)
        mine = [a for a in paper.authors if name_key(a.name) == owner]
        assert len(mine) == 1, (paper.title, authors(paper))
        assert mine[0].inferred == (mine[0].position is None)


def test_seed_pages_have_no_lone_names_and_the_owner_once():
    for path in seed_pages():
        papers, problems = read(path)
        check_authors(papers)
        assert not [p for p in problems if "authors line" in p], path


def rewritten(text: str, form) -> str:
    """``text`` with each card's authors line rewritten by ``form`` (a function of the names read)."""
    lines = text.split("\n")
    index, out = 0, list(lines)
    while index < len(lines):
        if lines[index].strip() and parse_card_header(lines[index].strip(), AS_OF):
            following = [i for i in range(index + 1, len(lines)) if lines[i].strip()][:2]
            if len(following) == 2 and looks_like_authors(lines[following[1]]):
                names, truncated, institutions = parse_authors_line(lines[following[1]])
                line = form(names) + (" et al." if truncated else "")
                out[following[1]] = line + (" \u00b7 " + ", ".join(institutions) if institutions else "")
        index += 1
    return "\n".join(out)


def inverted(name: str) -> str:
    given, _, family = name.rpartition(" ")
    return f"{family}, {given}"


@pytest.mark.parametrize("form", [
    lambda names: "; ".join(map(inverted, names)),
    lambda names: " and ".join(map(inverted, names)),
], ids=["semicolons", "bibtex-and"])
def test_seed_pages_written_family_given_read_the_same_people(tmp_path, form):
    # every seed page with its authors lines written "Family, Given" reads as the page itself
    for path in seed_pages():
        original, _ = read(path)
        copy = write(tmp_path, path.name, rewritten(path.read_text(encoding="utf-8"), form))
        if copy.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"):
            continue  # a page without authors lines (the by-year layout)
        papers, problems = read(copy)
        assert problems == [p.replace(str(path), str(copy)) for p in read(path)[1]]
        assert [authors(p) for p in papers] == [authors(p) for p in original], path
        check_authors(papers)
