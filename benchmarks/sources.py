"""Sources benchmark: every reader's speed, a 100,000-entry BibTeX file built end to end, and a
DBLP dump of full size streamed in bounded memory.

    python benchmarks/sources.py                        # all three parts
    python benchmarks/sources.py --part readers --mb 30
    python benchmarks/sources.py --part bibtex --entries 100000
    python benchmarks/sources.py --part dblp --dblp /work/bench-data/dblp-full.xml

Part ``readers``: for each reader (profile pages, BibTeX, RIS, CSL-JSON,
Scopus CSV, Web of Science, arXiv JSON Lines, DBLP XML, OpenAlex JSON Lines)
a generated input of about ``--mb`` MB is read to the end; MB/s and
records/s are printed.

Part ``bibtex``: benchmarks/gen_bibtex.py writes ``--entries`` entries (its
true number of people known); in the same run, each in its own process
with its wall time and peak memory (resident set of the process tree,
sampled every 20 ms): bibtexparser 2's plain parse (``parse_file``, its
default stack) and ``graphkit build`` of the same file, every output
written. Targets: the build within 3x the plain parse and 2 GB, with as
many Author nodes as people in the file. The two run back to back
``--repeat`` times (default 3; this machine's speed drifts within minutes):
each pair gives a ratio, and the median pair is the figure.

Part ``bibtex`` also times graphkit's BibTeX reading alone (both routes: the
compact records a build reads, and the public PaperRecords) against the plain parse.

Part ``dblp``: the DBLP reader streams the file given with ``--dblp``
(generate one of the dump's size with ``python benchmarks/gen_dblp.py
--records 7500000 --out /work/bench-data/dblp-full.xml``) in its own process;
target: peak memory within 1 GB. ``--dblp-route compact`` (or ``both``) times
the compact records a build reads (each person's author made once per read).

Generated inputs go under ``--data`` (default /work/bench-data/sources), never
into the repository; they are removed at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import shutil
import subprocess
import sys
import time
import zlib
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import gen_bibtex  # noqa: E402
import gen_dblp  # noqa: E402

PYTHON = sys.executable


# -------------------------------------------------------------------------------- measuring processes


def run_measured(cmd: list[str], *, cwd: Path | None = None) -> dict:
    """Run ``cmd``; its wall time, exit code, output tail and peak RSS of its process tree (MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = 0
    ps = psutil.Process(proc.pid)
    out_chunks: list[bytes] = []
    import threading

    reader = threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True)
    reader.start()
    while proc.poll() is None:
        try:
            rss = ps.memory_info().rss + sum(c.memory_info().rss for c in ps.children(recursive=True))
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.02)
    reader.join()
    wall = time.perf_counter() - start
    output = b"".join(out_chunks).decode("utf-8", "replace")
    return {"seconds": round(wall, 2), "peak_mb": round(peak / 2**20), "rc": proc.returncode, "output": output}


# -------------------------------------------------------------------------------- synthetic papers


def synthetic_papers(n: int, *, seed: int = 0):
    """``n`` papers as plain dicts (title, year, doi, venue, authors as (given, family), abstract)."""
    rng = random.Random(seed)
    people = gen_bibtex.make_people(max(10, n // 2), rng, taken=set())
    people = [p for p in people if not p.corporate]
    words = gen_bibtex.WORDS
    for i in range(n):
        k = rng.choices(range(1, 11), [10, 20, 20, 15, 10, 7, 5, 3, 2, 2])[0]
        authors = []
        for p in rng.sample(people[: max(k, int(len(people) * rng.random() ** 2) + k)], k):
            given = f"{p.given} {p.particle}" if p.particle else p.given
            authors.append((given, p.family))
        yield {
            "n": i,
            "title": " ".join(rng.choice(words) for _ in range(rng.randrange(5, 12))).capitalize(),
            "year": rng.randrange(1990, 2026),
            "doi": f"10.{1000 + i % 9000}/syn.{seed}.{i}",
            "venue": rng.choice(gen_bibtex.JOURNALS),
            "authors": authors,
            "abstract": " ".join(rng.choice(words) for _ in range(rng.randrange(30, 80))).capitalize() + ".",
        }


def _num(given: str, family: str) -> int:
    """A stable number for a person (Python's hash() changes between runs)."""
    return zlib.crc32(f"{given} {family}".encode()) % 1_000_000_000


def _initials(given: str) -> str:
    return " ".join(part[0] + "." for part in given.split() if part and part[0].isalpha())


def write_ris(out, papers) -> None:
    for p in papers:
        out.write("TY  - JOUR\n")
        for given, family in p["authors"]:
            out.write(f"AU  - {family}, {given}\n")
        out.write(f"TI  - {p['title']}\nPY  - {p['year']}\nJO  - {p['venue']}\nDO  - {p['doi']}\n")
        out.write(f"AB  - {p['abstract']}\nER  - \n\n")


def write_csljson(out, papers) -> None:
    out.write("[\n")
    for i, p in enumerate(papers):
        item = {
            "id": f"item{p['n']}", "type": "article-journal", "title": p["title"],
            "author": [{"family": f, "given": g} for g, f in p["authors"]],
            "issued": {"date-parts": [[p["year"]]]}, "DOI": p["doi"], "container-title": p["venue"],
            "abstract": p["abstract"],
        }
        out.write(("," if i else "") + json.dumps(item, ensure_ascii=False) + "\n")
    out.write("]\n")


def write_scopus(out, papers) -> None:
    w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(["Authors", "Author full names", "Author(s) ID", "Title", "Year", "Source title", "DOI",
                "Affiliations", "Authors with affiliations", "Abstract", "Document Type", "EID"])
    for p in papers:
        short = "; ".join(f"{f}, {_initials(g)}" for g, f in p["authors"])
        ids = [str(7_000_000_000 + _num(g, f)) for g, f in p["authors"]]
        full = "; ".join(f"{f}, {g} ({i})" for (g, f), i in zip(p["authors"], ids))
        w.writerow([short, full, ";".join(ids) + ";", p["title"], p["year"], p["venue"], p["doi"],
                    "University of Somewhere, City, Country",
                    "; ".join(f"{f}, {_initials(g)}, University of Somewhere, City, Country" for g, f in p["authors"]),
                    p["abstract"], "Article", f"2-s2.0-{p['n']:011d}"])


def write_wos(out, papers) -> None:
    out.write("FN Clarivate Analytics Web of Science\nVR 1.0\n")
    for p in papers:
        short = [f"{f}, {_initials(g).replace('. ', '').replace('.', '')}" for g, f in p["authors"]]
        full = [f"{f}, {g}" for g, f in p["authors"]]
        out.write("PT J\nAU " + "\n   ".join(short) + "\nAF " + "\n   ".join(full) + "\n")
        out.write(f"TI {p['title']}\nSO {p['venue'].upper()}\nAB {p['abstract']}\nPY {p['year']}\nDI {p['doi']}\n")
        out.write(f"UT WOS:{p['n']:015d}\nER\n\n")
    out.write("EF\n")


def write_arxiv(out, papers) -> None:
    for p in papers:
        yymm = f"{p['year'] % 100:02d}{1 + p['n'] % 12:02d}"
        obj = {
            "id": f"{yymm}.{p['n'] % 100000:05d}", "submitter": None,
            "authors": ", ".join(f"{g} {f}" for g, f in p["authors"]), "title": p["title"], "comments": None,
            "journal-ref": None, "doi": None, "report-no": None, "categories": "cs.CL cs.LG", "license": None,
            "abstract": "  " + p["abstract"] + "\n",
            "versions": [{"version": "v1", "created": f"Mon, 1 Jan {p['year']} 00:00:00 GMT"}],
            "update_date": f"{p['year']}-01-02", "authors_parsed": [[f, g, ""] for g, f in p["authors"]],
        }
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")


def write_openalex(out, papers) -> None:
    for p in papers:
        words: dict[str, list[int]] = {}
        for i, w in enumerate(p["abstract"].split()):
            words.setdefault(w, []).append(i)
        obj = {
            "id": f"https://openalex.org/W{4_000_000_000 + p['n']}", "doi": f"https://doi.org/{p['doi']}",
            "title": p["title"], "display_name": p["title"], "publication_year": p["year"],
            "publication_date": f"{p['year']}-01-01", "type": "article",
            "ids": {"openalex": f"https://openalex.org/W{4_000_000_000 + p['n']}", "doi": f"https://doi.org/{p['doi']}"},
            "primary_location": {"source": {"display_name": p["venue"], "type": "journal"}},
            "authorships": [
                {"author_position": "middle",
                 "author": {"id": f"https://openalex.org/A{5_000_000_000 + _num(g, f)}", "display_name": f"{g} {f}", "orcid": None},
                 "institutions": [{"id": "https://openalex.org/I201448701", "display_name": "University of Washington",
                                   "ror": "https://ror.org/00cvxb145", "country_code": "US", "type": "education"}],
                 "countries": ["US"], "raw_author_name": f"{g} {f}", "raw_affiliation_strings": ["University of Washington"]}
                for g, f in p["authors"]
            ],
            "abstract_inverted_index": words, "is_retracted": False,
        }
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _fill(path: Path, writer, mb: float, *, seed: int = 0) -> Path:
    """Write papers with ``writer`` until the file is about ``mb`` MB (sized on a probe)."""
    probe = io.StringIO()
    writer(probe, synthetic_papers(500, seed=seed))
    per_paper = len(probe.getvalue().encode("utf-8")) / 500
    n = max(100, int(mb * 2**20 / per_paper))
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer(out, synthetic_papers(n, seed=seed))
    return path


def make_inputs(folder: Path, mb: float) -> dict[str, list[Path]]:
    """One generated input (or folder of pages) of about ``mb`` MB per reader."""
    folder.mkdir(parents=True, exist_ok=True)
    inputs: dict[str, list[Path]] = {}
    from synthetic import write_corpus

    pages = folder / "profiles"
    write_corpus(pages, int(mb * 2**20 / 1000))  # about a kilobyte per card
    inputs["profile"] = sorted(pages.iterdir())
    bib = folder / "refs.bib"
    with open(bib, "w", encoding="utf-8") as out:
        gen_bibtex.generate(out, entries=int(mb * 2**20 / 300), people=int(mb * 2**20 / 600))
    inputs["bibtex"] = [bib]
    inputs["ris"] = [_fill(folder / "refs.ris", write_ris, mb)]
    inputs["csl-json"] = [_fill(folder / "refs.json", write_csljson, mb)]
    inputs["scopus"] = [_fill(folder / "scopus.csv", write_scopus, mb)]
    inputs["wos"] = [_fill(folder / "savedrecs.wos", write_wos, mb)]
    inputs["arxiv"] = [_fill(folder / "arxiv.jsonl", write_arxiv, mb)]
    xml = folder / "dblp.xml"
    with open(xml, "wb") as out:
        gen_dblp.generate(out, records=int(mb * 2**20 / 520), authors=int(mb * 2**20 / 520 * 0.48))
    inputs["dblp"] = [xml]
    inputs["openalex"] = [_fill(folder / "works.jsonl", write_openalex, mb)]
    return inputs


# -------------------------------------------------------------------------------- the parts


def part_readers(data: Path, mb: float) -> list[dict]:
    from graphkit.models import PaperRecord, Problem
    from graphkit.readers import arxiv, bibtex, csljson, dblp, openalex, profile, ris, scopus, wos

    modules = {"profile": profile, "bibtex": bibtex, "ris": ris, "csl-json": csljson, "scopus": scopus,
               "wos": wos, "arxiv": arxiv, "dblp": dblp, "openalex": openalex}
    print(f"generating inputs of about {mb:g} MB each under {data} ...", flush=True)
    inputs = make_inputs(data / "readers", mb)
    rows = []
    print(f"{'reader':<10} {'MB':>7} {'records':>9} {'problems':>8} {'seconds':>8} {'MB/s':>7} {'records/s':>10}")
    for name, paths in inputs.items():
        module = modules[name]
        size = sum(p.stat().st_size for p in paths)
        records = problems = 0
        start = time.perf_counter()
        for path in paths:
            for item in module.read(path):
                if isinstance(item, PaperRecord):
                    records += 1
                elif isinstance(item, Problem):
                    problems += 1
        seconds = time.perf_counter() - start
        row = {"reader": name, "mb": round(size / 2**20, 1), "records": records, "problems": problems,
               "seconds": round(seconds, 2), "mb_per_s": round(size / 2**20 / seconds, 1),
               "records_per_s": round(records / seconds)}
        rows.append(row)
        print(f"{name:<10} {row['mb']:>7} {records:>9} {problems:>8} {row['seconds']:>8} {row['mb_per_s']:>7} {row['records_per_s']:>10}",
              flush=True)
    return rows


_BIBTEXPARSER = """
import sys, bibtexparser
library = bibtexparser.parse_file(sys.argv[1])
print(len(library.entries), "entries", len(library.failed_blocks), "failed blocks")
"""


_GRAPHKIT_READ = """
import sys
from graphkit.readers import bibtex
route = sys.argv[2]
with open(sys.argv[1], "rb") as stream:
    items = list(bibtex.parse_compact(stream, sys.argv[1], shared={}) if route == "compact" else bibtex.parse(stream, sys.argv[1]))
print(sum(hasattr(i, "authors") for i in items), "records,", sum(not hasattr(i, "authors") for i in items), "problems")
"""


def part_bibtex(data: Path, entries: int, repeat: int = 1) -> dict:
    data.mkdir(parents=True, exist_ok=True)
    bib = data / f"refs-{entries}.bib"
    with open(bib, "w", encoding="utf-8") as out:
        truth = gen_bibtex.generate(out, entries=entries, people=entries // 2)
    print(f"generated {bib} ({bib.stat().st_size / 2**20:.1f} MB): {json.dumps(truth)}", flush=True)
    # graphkit's reading alone (LaTeX decoded, names split, records made), each route in its own process:
    # "compact" is what a build reads through, "records" the public PaperRecord API.
    plain = run_measured([PYTHON, "-c", _BIBTEXPARSER, str(bib)])
    print(f"bibtexparser plain parse: {plain['seconds']} s, peak {plain['peak_mb']} MB; {plain['output'].strip()}",
          flush=True)
    for route in ("compact", "records"):
        read = run_measured([PYTHON, "-c", _GRAPHKIT_READ, str(bib), route])
        ratio = read["seconds"] / plain["seconds"] if plain["seconds"] else float("nan")
        print(f"graphkit reading ({route}): {read['seconds']} s ({ratio:.2f}x the plain parse), peak {read['peak_mb']} MB; "
              f"{read['output'].strip()}", flush=True)
    out_dir = data / f"build-{entries}"
    graphkit = str(Path(PYTHON).with_name("graphkit"))
    # The plain parse and the build, one after the other ``repeat`` times: this machine's speed drifts
    # by a fifth within minutes, so each ratio is taken from a pair run back to back, and the median
    # pair is the figure.
    pairs = []
    for i in range(repeat):
        plain = run_measured([PYTHON, "-c", _BIBTEXPARSER, str(bib)])
        if out_dir.exists():
            shutil.rmtree(out_dir)
        build = run_measured([graphkit, "build", str(bib), "--out", str(out_dir)])
        ratio = build["seconds"] / plain["seconds"] if plain["seconds"] else float("nan")
        pairs.append((ratio, plain, build))
        print(f"run {i + 1}: plain parse {plain['seconds']} s, graphkit build {build['seconds']} s, peak {build['peak_mb']} MB, "
              f"exit {build['rc']}: {ratio:.2f}x", flush=True)
        if build["rc"] != 0:
            print("\n".join("    " + line for line in build["output"].strip().splitlines()[-12:]), flush=True)
            break
    print("\n".join("    " + line for line in build["output"].strip().splitlines()[-12:]), flush=True)
    authors = None
    report = out_dir / "report.json"
    if build["rc"] == 0 and report.exists():
        counts = json.loads(report.read_text()).get("counts", {})
        authors = counts.get("Author")
        outputs = sorted(p.name for p in out_dir.iterdir())
        print(f"outputs: {', '.join(outputs)}")
    ratio, plain, build = sorted(pairs, key=lambda p: p[0])[len(pairs) // 2]
    peak = max(p[2]["peak_mb"] for p in pairs)
    print(f"build / plain parse: {ratio:.2f}x (median of {len(pairs)}: {', '.join(f'{p[0]:.2f}x' for p in pairs)}; target <= 3x); "
          f"peak {peak} MB (target <= 2048); Author nodes {authors} for {truth['people']} people in the file")
    return {"truth": truth, "plain": {k: plain[k] for k in ("seconds", "peak_mb", "rc")},
            "build": {k: build[k] for k in ("seconds", "peak_mb", "rc")}, "ratio": ratio, "authors": authors,
            "ratios": [p[0] for p in pairs]}


_DBLP_STREAM = """
import sys, time
from graphkit.readers import dblp
start = time.perf_counter()
records = problems = authors = 0
if sys.argv[2] == "compact":  # what a build reads through: compact records, each person's author made once
    stream = open(sys.argv[1], "rb")
    items = dblp.parse_compact(stream, sys.argv[1], shared={})
else:
    items = dblp.read(sys.argv[1])
for item in items:
    if hasattr(item, "authors"):
        records += 1
        authors += len(item.authors)
    else:
        problems += 1
        if problems <= 3:
            print(item)
import resource
usage = resource.getrusage(resource.RUSAGE_SELF)
print(records, "records", authors, "authorships", problems, "problems", round(time.perf_counter() - start, 1), "s wall",
      round(usage.ru_utime + usage.ru_stime, 1), "s CPU")
"""


def part_dblp(path: Path, routes: tuple[str, ...] = ("records",)) -> dict | None:
    if not path.exists():
        print(f"{path} does not exist: generate it with\n  {PYTHON} benchmarks/gen_dblp.py --records 7500000 --out {path}")
        return None
    size = path.stat().st_size
    out = {}
    for route in routes:
        result = run_measured([PYTHON, "-c", _DBLP_STREAM, str(path), route])
        print(f"DBLP reader ({route}) over {path} ({size / 2**30:.2f} GB): {result['seconds']} s, "
              f"{size / 2**20 / result['seconds']:.1f} MB/s, peak {result['peak_mb']} MB (target <= 1024 streaming records), exit {result['rc']}")
        print("    " + result["output"].strip().replace("\n", "\n    "), flush=True)
        out[route] = {k: result[k] for k in ("seconds", "peak_mb", "rc")} | {"bytes": size}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("all", "readers", "bibtex", "dblp"), default="all")
    parser.add_argument("--data", type=Path, default=Path("/work/bench-data/sources"))
    parser.add_argument("--mb", type=float, default=30.0, help="size of each reader's input")
    parser.add_argument("--entries", type=int, default=100_000, help="BibTeX entries for the build")
    parser.add_argument("--dblp", type=Path, default=Path("/work/bench-data/dblp-full.xml"))
    parser.add_argument("--keep", action="store_true", help="keep the generated inputs")
    parser.add_argument("--repeat", type=int, default=3, help="BibTeX part: plain parse and build pairs (the median is the figure)")
    parser.add_argument("--dblp-route", choices=("records", "compact", "both"), default="records",
                        help="DBLP part: stream PaperRecords (the public reader), compact records (what a build reads), or both")
    args = parser.parse_args(argv)
    print(f"sources benchmark, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, python {sys.version.split()[0]}, "
          f"{psutil.cpu_count()} cores, load {psutil.getloadavg()[0]:.1f}", flush=True)
    created = not args.data.exists()
    try:
        if args.part in ("all", "readers"):
            part_readers(args.data, args.mb)
        if args.part in ("all", "bibtex"):
            part_bibtex(args.data, args.entries, args.repeat)
        if args.part in ("all", "dblp"):
            part_dblp(args.dblp, ("records", "compact") if args.dblp_route == "both" else (args.dblp_route,))
    finally:
        if created and not args.keep and args.data.exists():
            shutil.rmtree(args.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
