"""Benchmark: the text-format readers (BibTeX, RIS, CSL-JSON, Scopus CSV, Web of Science).

Writes seeded synthetic files, then times each reader in a fresh process
(wall and CPU seconds, records/s and MB/s per CPU second, peak RSS; CPU
time because the machine may be shared) and, for BibTeX, bibtexparser 2's plain parse
(``bibtexparser.parse_string``: splitter, ``@string`` resolution, enclosing
removal) of the same file in the same run.

The people in the files come from a fixed pool and each occurrence is written
in one of BibTeX's forms (``Family, Given``, ``Given Family``, ``Given~Family``,
LaTeX accents such as ``M{\\"u}ller``); the script checks that the reader gives
exactly one name per person (``people read``), so a reader that splits or merges
people shows here, not only in speed.

    .venv/bin/python benchmarks/text_readers.py --entries 100000            # BibTeX, 100k
    .venv/bin/python benchmarks/text_readers.py --entries 20000 --formats all
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GIVEN = ["Wei", "Anna", "Jürgen", "José", "Çağlar", "Zoë", "Søren", "Łukasz", "Ming-Wei", "Kenton", "Omer", "Tim", "Ana", "Renée", "Ondřej", "Priya"]
FAMILY = ["Wang", "Müller", "García", "Gülçehre", "Petrović", "Øvrelid", "Kaiser", "Chang", "Lee", "Levy", "Dettmers", "Nguyễn", "Schmidhuber", "Bojar", "Sørensen", "Kumar"]
# LaTeX spellings of the accented letters above, as BibTeX exporters write them
LATEX = {
    "ü": r"{\"u}", "é": r"{\'e}", "ğ": r"{\u{g}}", "ç": r"{\c{c}}", "Ç": r"{\c{C}}", "ë": r"{\"e}", "ø": r"{\o}",
    "Ø": r"{\O}", "Ł": r"{\L}", "ć": r"{\'c}", "í": r"{\'\i}", "ř": r"{\v{r}}", "ễ": r"{\~{\^e}}", "è": r"{\`e}",
}  # fmt: skip
WORDS = "learning graph neural model language robust efficient sparse attention transformer retrieval scaling".split()


def _latex(text: str) -> str:
    return "".join(LATEX.get(c, c) for c in text)


def _people(rng: random.Random, count: int) -> list[tuple[str, str]]:
    # given + family + a number keeps every person's name distinct
    return [(rng.choice(GIVEN) + ("" if i < len(GIVEN) else str(i)), rng.choice(FAMILY)) for i in range(count)]


def _written(rng: random.Random, given: str, family: str) -> str:
    if rng.random() < 0.3:
        given, family = _latex(given), _latex(family)
    form = rng.random()
    if form < 0.45:
        return f"{family}, {given}"
    if form < 0.9:
        return f"{given} {family}"
    return f"{given}~{family}"


def _papers(n: int, seed: int):
    rng = random.Random(seed)
    pool = _people(rng, max(50, n // 2))
    for i in range(n):
        authors = [pool[min(int(rng.paretovariate(1.2)) - 1 + rng.randrange(len(pool)), len(pool) - 1)] for _ in range(rng.randint(1, 20))]
        authors = list(dict.fromkeys(authors))
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize() + f" {i}"
        yield {"title": title, "authors": authors, "year": rng.randint(1990, 2025), "doi": f"10.5555/bench.{i}", "others": rng.random() < 0.05, "editors": rng.random() < 0.3}


def write_bibtex(path: Path, n: int, seed: int) -> set[tuple[str, str]]:
    rng = random.Random(seed + 1)
    people: set[tuple[str, str]] = set()
    with path.open("w", encoding="utf-8") as out:
        for i, p in enumerate(_papers(n, seed)):
            people.update(p["authors"])
            names = " and ".join(_written(rng, g, f) for g, f in p["authors"]) + (" and others" if p["others"] else "")
            editors = "\n  editor = {Doe, Jane and Roe, Richard}," if p["editors"] else ""
            indent = "    " if i % 2 else "  "
            out.write(
                f"@inproceedings{{key{i},\n{indent}title = {{{{{p['title'].split()[0]}}} {' '.join(p['title'].split()[1:])}: a {{\\\"u}}ber study --- part {i % 7}}},\n"
                f"{indent}author = {{{names}}},{editors}\n{indent}booktitle = \"Proceedings of Something\",\n"
                f"{indent}year = {p['year']},\n{indent}doi = {{{p['doi']}}},\n}}\n\n"
            )
    return people


def write_ris(path: Path, n: int, seed: int) -> set[tuple[str, str]]:
    people: set[tuple[str, str]] = set()
    with path.open("w", encoding="utf-8") as out:
        for p in _papers(n, seed):
            people.update(p["authors"])
            out.write("TY  - JOUR\n" + "".join(f"AU  - {f}, {g}\n" for g, f in p["authors"]))
            out.write(f"TI  - {p['title']}\nJO  - Journal of Benchmarks\nPY  - {p['year']}\nDO  - {p['doi']}\nAD  - University of Somewhere, Sometown, Germany\nER  - \n\n")
    return people


def write_csljson(path: Path, n: int, seed: int) -> set[tuple[str, str]]:
    people: set[tuple[str, str]] = set()
    items = []
    for p in _papers(n, seed):
        people.update(p["authors"])
        items.append({"type": "article-journal", "title": p["title"], "author": [{"family": f, "given": g} for g, f in p["authors"]],
                      "issued": {"date-parts": [[p["year"]]]}, "DOI": p["doi"], "container-title": "Journal of Benchmarks"})  # fmt: skip
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return people


def write_scopus(path: Path, n: int, seed: int) -> set[tuple[str, str]]:
    people: set[tuple[str, str]] = set()
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(["Authors", "Author full names", "Title", "Year", "Source title", "DOI", "Authors with affiliations", "Document Type", "EID"])
    for i, p in enumerate(_papers(n, seed)):
        people.update(p["authors"])
        full = "; ".join(f"{f}, {g} ({10**10 + hash((g, f)) % 10**9})" for g, f in p["authors"])
        short = "; ".join(f"{f} {g[0]}." for g, f in p["authors"])
        affs = "; ".join(f"{f} {g[0]}., University of Somewhere, Sometown, Germany" for g, f in p["authors"])
        writer.writerow([short, full, p["title"], p["year"], "Journal of Benchmarks", p["doi"], affs, "Article", f"2-s2.0-{i:011d}"])
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    return people


def write_wos(path: Path, n: int, seed: int) -> set[tuple[str, str]]:
    people: set[tuple[str, str]] = set()
    with path.open("w", encoding="utf-8") as out:
        out.write("FN Clarivate Analytics Web of Science\nVR 1.0\n")
        for i, p in enumerate(_papers(n, seed)):
            people.update(p["authors"])
            names = [f"{f}, {g}" for g, f in p["authors"]]
            out.write("PT J\nAF " + "\n   ".join(names) + f"\nTI {p['title']}\nSO JOURNAL OF BENCHMARKS\n")
            out.write(f"C1 [{'; '.join(names)}] Univ Somewhere, Sometown, Germany.\nPY {p['year']}\nDI {p['doi']}\nUT WOS:{i:015d}\nER\n\n")
        out.write("EF\n")
    return people


WRITERS = {"bibtex": (write_bibtex, ".bib"), "ris": (write_ris, ".ris"), "csl-json": (write_csljson, ".json"), "scopus": (write_scopus, ".csv"), "wos": (write_wos, ".txt")}


def _peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries
    ru_maxrss over an exec, so a child would report its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(kind: str, fmt: str, path: str) -> None:
    """Runs in a fresh process: one measurement (imports excluded), printed as JSON."""
    if kind == "bibtexparser":
        import bibtexparser

        start, cpu = time.perf_counter(), time.process_time()
        with open(path, encoding="utf-8") as handle:
            library = bibtexparser.parse_string(handle.read())
        records, names = len(library.entries), None
    else:
        from graphkit.keys import name_key
        from graphkit.models import PaperRecord
        from graphkit.readers import bibtex, csljson, ris, scopus, wos

        module = {"bibtex": bibtex, "ris": ris, "csl-json": csljson, "scopus": scopus, "wos": wos}[fmt]
        start, cpu = time.perf_counter(), time.process_time()
        records, written = 0, set()
        for item in module.read(path):
            if isinstance(item, PaperRecord):
                records += 1
                written.update(a.name for a in item.authors)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        names = len({name_key(name) for name in written})  # the check is not timed
        print(json.dumps({"seconds": seconds, "cpu": cpu, "records": records, "names": names, "peak_mb": _peak_rss_mb()}))
        return
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_mb = _peak_rss_mb()
    print(json.dumps({"seconds": seconds, "cpu": cpu, "records": records, "names": names, "peak_mb": peak_mb}))


def _measure(kind: str, fmt: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, fmt, str(path)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--formats", default="bibtex", help="comma-separated, or 'all'")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    formats = list(WRITERS) if args.formats == "all" else args.formats.split(",")
    with tempfile.TemporaryDirectory(prefix="graphkit-bench-") as tmp:
        for fmt in formats:
            write, suffix = WRITERS[fmt]
            path = Path(tmp) / f"bench{suffix}"
            people = write(path, args.entries, args.seed)
            mb = path.stat().st_size / 1e6
            print(f"{fmt}: {args.entries:,} entries, {mb:.1f} MB, {len(people):,} people")
            if fmt == "bibtex":
                plain = _measure("bibtexparser", fmt, path)
                print(
                    f"  bibtexparser 2 plain parse: {plain['seconds']:.1f} s wall, {plain['cpu']:.1f} s CPU "
                    f"({plain['records'] / plain['cpu']:,.0f} entries/s, {mb / plain['cpu']:.2f} MB/s of CPU), peak {plain['peak_mb']:,.0f} MB"
                )
            ours = _measure("graphkit", fmt, path)
            print(
                f"  graphkit {fmt} reader: {ours['seconds']:.1f} s wall, {ours['cpu']:.1f} s CPU ({ours['records'] / ours['cpu']:,.0f} records/s, {mb / ours['cpu']:.2f} MB/s of CPU), "
                f"peak {ours['peak_mb']:,.0f} MB; {ours['records']:,} records, people read {ours['names']:,} of {len(people):,}"
            )
            if fmt == "bibtex":
                print(f"  reader / plain parse: {ours['cpu'] / plain['cpu']:.2f}x CPU, {ours['seconds'] / plain['seconds']:.2f}x wall")


if __name__ == "__main__":
    main()
