"""Crossref works in the CSL-JSON reader after an outside tester's report (session 14).

- A Crossref work whose ``issued`` has no date (``{"date-parts": [[null]]}``,
  or no ``issued`` at all) takes its year from Crossref's other publication
  dates: the earlier of ``published-print`` and ``published-online`` (as
  Crossref makes ``issued`` of them), else ``published``, else ``posted``.
- A Crossref work with none of them is read without a year and reported with
  its file and record; its ``created`` (when its DOI was registered) is named
  in the problem but never taken for the year. Plain CSL-JSON (Zotero,
  citation.js) without a date is read as before, with nothing to report.
- A Crossref affiliation's ROR id (``"id": [{"id": "https://ror.org/...",
  "id-type": "ROR"}]``) is kept as the affiliation's ``ror:`` id, as the
  OpenAlex reader gives it; a ROR id that is none is a problem.

Every input is written here as Crossref writes it; expectations are read off
that text, not computed by the reader.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.store import EmbeddedStore

AS_OF = ["--as-of", "2026-11-21"]
NO_DATE = "no publication date (issued, published-print, published-online, published, posted); read without a year"


def _write(path: Path, document) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _work_list(*items: dict) -> dict:
    return {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
            "message": {"facets": {}, "total-results": len(items), "items": list(items), "items-per-page": 20}}


def _work(doi: str, kind: str, title: str, **dates) -> dict:
    """A Crossref work as its REST API gives it, with only the dates given (``published_print=[2020, 3]``)."""
    return {
        "indexed": {"date-parts": [[2024, 1, 5]], "date-time": "2024-01-05T10:00:00Z"}, "publisher": "Crossref Test",
        "DOI": doi, "type": kind, "title": [title], "container-title": [], "URL": f"http://dx.doi.org/{doi}",
        "author": [{"given": "Kenton", "family": "Lee", "sequence": "first", "affiliation": []}],
        **{key.replace("_", "-"): value if isinstance(value, dict) else {"date-parts": [value]} for key, value in dates.items()},
    }  # fmt: skip


def _extract(*args: str):
    """``graphkit extract ... --format json``: the papers printed, the problems printed and the exit code."""
    done = CliRunner().invoke(app, ["extract", *args, "--format", "json"])
    papers = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    problems = [line.removeprefix("problem: ") for line in done.stderr.splitlines() if line.startswith("problem: ")]
    return papers, problems, done.exit_code


def _build(tmp_path: Path, *inputs: Path):
    """``graphkit build --strict``: the exit code, the problems of report.json and the output folder."""
    out = tmp_path / "out"
    done = CliRunner().invoke(app, ["build", *map(str, inputs), "--out", str(out), "--strict", *AS_OF])
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return done.exit_code, [(p["record"], p["message"]) for p in report["problems"]], out


# --- D4: the year of a Crossref work whose issued has no date ------------------------------------


def test_crossref_work_without_an_issued_date_takes_the_year_of_its_other_publication_dates(tmp_path):
    path = _write(tmp_path / "works.json", _work_list(
        # a preprint: issued [[null]], Crossref's "posted" (and its DOI registered the day after)
        _work("10.1101/2021.05.05.000001", "posted-content", "Posted only", issued=[None], posted=[2021, 5, 5],
              created=[2021, 5, 6], subtype="preprint"),
        _work("10.1000/pubonline", "journal-article", "Published online only", published_online=[2020, 2, 2]),
        # online in November 2019, in print in March 2020: Crossref's issued is the earlier, 2019
        _work("10.1000/printonline", "journal-article", "Online before print", published_print=[2020, 3],
              published_online=[2019, 11, 2]),
        _work("10.1000/printonly", "journal-article", "Print only", issued={"date-parts": [[None]]}, published_print=[2018]),
        # issued stays first where it has a date
        _work("10.1000/issued", "journal-article", "Issued and printed", issued=[2017, 6], published_print=[2018, 1, 9]),
    ))
    papers, problems, code = _extract(str(path), "--strict")
    assert (code, problems) == (0, [])
    assert [(p["record"], p["title"], p["year"], p["date"]) for p in papers] == [
        (1, "Posted only", 2021, "2021-05-05"),
        (2, "Published online only", 2020, "2020-02-02"),
        (3, "Online before print", 2019, "2019-11-02"),
        (4, "Print only", 2018, None),
        (5, "Issued and printed", 2017, None),
    ]


def test_crossref_work_with_no_publication_date_is_reported_and_not_dated_by_its_doi_registration(tmp_path):
    works = _write(tmp_path / "works.json", _work_list(
        _work("10.5555/backfile.1950", "journal-article", "A backfile article", issued=[None], created=[2002, 7, 25]),
        {"DOI": "10.5555/nodates", "type": "journal-article", "title": ["No dates at all"]},
    ))
    # Crossref's CSL of DOI content negotiation is a plain item, known by Crossref's own fields
    negotiated = _write(tmp_path / "negotiated.json", {
        "indexed": {"date-parts": [[2024, 1, 5]]}, "created": {"date-parts": [[2009, 3, 1]]}, "DOI": "10.5555/csl",
        "type": "article-journal", "title": "Negotiated without a date", "issued": {"date-parts": [[None]]}})
    papers, problems, code = _extract(str(works), str(negotiated))
    assert code == 0
    assert [(p["title"], p["year"], p["date"], p["record"]) for p in papers] == [
        ("A backfile article", None, None, 1), ("No dates at all", None, None, 2), ("Negotiated without a date", None, None, 1)]
    assert problems == [
        f"{works}: record 1: {NO_DATE}, not the year its DOI was registered (2002, created)",
        f"{works}: record 2: {NO_DATE}",
        f"{negotiated}: record 1: {NO_DATE}, not the year its DOI was registered (2009, created)",
    ]
    code, found, _ = _build(tmp_path, works)
    assert (code, found) == (1, [(1, f"{NO_DATE}, not the year its DOI was registered (2002, created)"), (2, NO_DATE)])


def test_plain_csl_json_without_a_date_is_read_as_before(tmp_path):
    """Zotero and citation.js write no Crossref fields: an item without a date is no problem, nor is a plain issued."""
    path = _write(tmp_path / "zotero.json", [
        {"id": "web", "type": "webpage", "title": "A web page", "author": [{"family": "Lee", "given": "Kenton"}]},
        {"id": "blank", "type": "article-journal", "title": "A blank date", "issued": {"date-parts": [[None]]},
         # a field Crossref also has, but no Crossref date field: still not taken for a Crossref work
         "publisher": "Crossref Test"},
        {"id": "dated", "type": "article-journal", "title": "A dated article", "issued": {"date-parts": [[2016, 8, 13]]},
         "published-print": {"date-parts": [[2017]]}},
    ])
    papers, problems, code = _extract(str(path), "--strict")
    assert (code, problems) == (0, [])
    assert [(p["title"], p["year"], p["date"]) for p in papers] == [
        ("A web page", None, None), ("A blank date", None, None), ("A dated article", 2016, "2016-08-13")]


# --- D5: the ROR ids of Crossref's affiliations -------------------------------------------------

PRINCETON = "https://ror.org/00hx57361"
BAD_ROR = "author entry 1: affiliation ROR id 'https://ror.org/princeton' is no ROR id; not used"


def _affiliated(doi: str, title: str, affiliation: list[dict]) -> dict:
    work = _work(doi, "journal-article", title, issued=[2023, 1, 1])
    work["author"] = [{"given": "Danqi", "family": "Chen", "sequence": "first", "affiliation": affiliation}]
    return work


def test_crossref_affiliation_keeps_its_ror_id_as_the_openalex_reader_gives_it(tmp_path):
    crossref = _write(tmp_path / "crossref.json", _work_list(
        _affiliated("10.1000/rorid", "ROR in affiliation", [
            {"name": "Princeton University", "id": [{"id": PRINCETON, "id-type": "ROR", "asserted-by": "publisher"},
                                                    {"id": "0000 0001 2097 5006", "id-type": "ISNI"}]}]),
        _affiliated("10.1000/badror", "A ROR id that is none", [
            {"name": "Computer Science Building, Princeton",
             "id": [{"id": "https://ror.org/princeton", "id-type": "ROR", "asserted-by": "publisher"}]}]),
        # a name no alias table knows: only its ROR id makes it Princeton
        _affiliated("10.1000/department", "A department's address", [
            {"name": "Department of Computer Science, 35 Olden Street", "id": [{"id": PRINCETON, "id-type": "ROR"}]}]),
    ))
    openalex = _write(tmp_path / "openalex.json", {"results": [{
        "id": "https://openalex.org/W4", "display_name": "An OpenAlex work", "publication_year": 2022, "type": "article",
        "authorships": [{"author": {"id": "https://openalex.org/A5", "display_name": "Danqi Chen"},
                         "institutions": [{"id": "https://openalex.org/I20089843", "display_name": "Princeton University",
                                           "ror": PRINCETON, "country_code": "US"}]}]}]})
    papers, problems, code = _extract(str(crossref), str(openalex))
    assert code == 0
    assert [[(a["name"], a["ids"]) for a in p["authors"][0]["affiliations"]] for p in papers] == [
        [("Princeton University", ["ror:00hx57361"])],
        [("Computer Science Building, Princeton", [])],
        [("Department of Computer Science, 35 Olden Street", ["ror:00hx57361"])],
        [("Princeton University", ["ror:00hx57361", "openalex:I20089843"])],
    ]
    assert problems == [f"{crossref}: record 2: {BAD_ROR}"]
    # both readers' Princeton is one institution, the department's address in it by its ROR id
    code, found, out = _build(tmp_path, crossref, openalex)
    assert (code, found) == (1, [(2, BAD_ROR)])
    [row] = EmbeddedStore(out / "graph.lbdb").query(
        "MATCH (a:Author)-[r:AFFILIATED_WITH]->(i:Institution) WHERE i.ror = '00hx57361' "
        "RETURN r.papers AS papers, i.aliases AS aliases")
    assert row["papers"] == 3
    assert {"Princeton University", "Department of Computer Science, 35 Olden Street"} <= set(row["aliases"])
