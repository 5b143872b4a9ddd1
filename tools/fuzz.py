"""Coverage-guided fuzzing of every reader's parse function with atheris (libFuzzer).

    .venv/bin/python tools/fuzz.py --seconds 60            # every reader, 60 s each
    .venv/bin/python tools/fuzz.py --seconds 10 bibtex ris # some readers

Every module of ``graphkit/readers/`` that defines ``FORMAT`` and ``parse`` is
a target (the profile pages and each format as it lands). A target feeds the
fuzzer's bytes to ``sniff(head)`` and to ``parse(BytesIO(data), source)``, and
counts as crashed when either raises, when ``parse`` yields anything but a
record, profile or :class:`~graphkit.models.Problem`, when one input takes more
than ``--input-timeout`` seconds, or when the process exceeds ``--rss-mb``
(the readers' contract: bad input becomes a Problem, never an exception).

Each reader runs in its own process (libFuzzer ends the process when its time
is up), instrumented for coverage, starting from a small seed corpus: the
first 4 KiB of the shared sample, the examples and the test fixtures of the
format, and a few lines written here. Findings are written to ``--artifacts`` (default
``fuzz-artifacts/``) as libFuzzer's ``crash-*``/``timeout-*`` files, which
reproduce with ``tools/fuzz.py --replay FILE READER``. The script prints one
line per reader (executions, executions per second, coverage, crashes) and
exits 1 when any reader crashed.

Needs ``atheris`` (``pip install atheris``; wheels for CPython 3.11 on Linux).
"""

from __future__ import annotations

import argparse
import io
import os
import pkgutil
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GRAPHKIT_SHARED", ROOT.parent / "shared"))
SEED_BYTES = 4096

# Seeds: the shared sample where there is one, examples/FORMAT and tests/fixtures/FORMAT, and a few
# lines written here for the formats without a sample.
SAMPLES = {
    "profile": [ROOT / "examples" / "profiles"],
    "bibtex": [SHARED / "data" / "bibtex" / "anthology-sample.bib"],
    "arxiv": [SHARED / "data" / "arxiv" / "arxiv-metadata-sample.jsonl"],
    "dblp": [SHARED / "data" / "dblp" / "dblp-sample.xml"],
}
WRITTEN_SEEDS = {
    "ris": b"TY  - JOUR\nAU  - Lovelace, Ada\nAU  - Babbage, Charles\nTI  - Notes on the engine\nPY  - 1843\nDO  - 10.1000/x\nER  - \n",
    "csl-json": b'[{"id": "a", "type": "article-journal", "title": "T", "author": [{"family": "Lovelace", "given": "Ada"}],'
                b' "issued": {"date-parts": [[1843, 9]]}, "DOI": "10.1000/X"}]',
    "scopus": b'"Authors","Author full names","Author(s) ID","Title","Year","Source title","DOI","Affiliations",'
              b'"Authors with affiliations","EID"\n"Lovelace A.; Babbage C.","Lovelace, Ada (1); Babbage, Charles (2)",'
              b'"1;2","Notes","1843","Taylor","10.1000/x","Univ A, London, UK","Lovelace A., Univ A, London, UK","2-s2.0-1"\n',
    "wos": b"FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Lovelace, A\n   Babbage, C\nAF Lovelace, Ada\n"
           b"   Babbage, Charles\nTI Notes on the engine\nPY 1843\nDI 10.1000/x\nC1 [Lovelace, Ada] Univ A, London, England.\n"
           b"UT WOS:000000000000001\nER\n\nEF\n",
}


def readers() -> dict[str, str]:
    """``{FORMAT: module name}`` for every reader module that defines FORMAT and parse."""
    import graphkit.readers as package

    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        name = f"graphkit.readers.{info.name}"
        text = (Path(package.__path__[0]) / f"{info.name}.py").read_text(encoding="utf-8")
        fmt = re.search(r'^FORMAT\s*=\s*"([^"]+)"', text, re.M)
        if fmt and re.search(r"^parse\s*=", text, re.M):
            found[fmt.group(1)] = name
    return found


def write_seeds(fmt: str, folder: Path) -> int:
    """Seed files for one format: the shared sample, the examples and the test fixtures of the format."""
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    sources = [*SAMPLES.get(fmt, []), ROOT / "examples" / fmt, ROOT / "tests" / "fixtures" / fmt]
    for sample in dict.fromkeys(s for s in sources if s.exists()):
        files = sorted(sample.iterdir()) if sample.is_dir() else [sample]
        for path in files:
            if path.is_file():
                with path.open("rb") as handle:
                    data = handle.read(SEED_BYTES)
                (folder / f"seed-{n}").write_bytes(data)
                n += 1
    if fmt in WRITTEN_SEEDS:
        (folder / f"seed-{n}").write_bytes(WRITTEN_SEEDS[fmt])
        n += 1
    return n


def _target(module_name: str):
    """The function libFuzzer calls with each input, for one reader module."""
    import importlib

    from graphkit.models import PaperRecord, Problem, Profile

    module = importlib.import_module(module_name)
    parse, sniff = module.parse, getattr(module, "sniff", None)
    allowed = (PaperRecord, Problem, Profile)

    def one_input(data: bytes) -> None:
        if sniff is not None:
            sniff(data[:65536])
        for item in parse(io.BytesIO(data), "fuzz-input"):
            if not isinstance(item, allowed):
                raise TypeError(f"parse yielded {type(item).__name__}, not a record or a Problem")

    return one_input


def child(fmt: str, module_name: str, args: list[str]) -> None:
    """Fuzz one reader until libFuzzer's time is up (this process then ends)."""
    import atheris

    with atheris.instrument_imports(include=["graphkit"]):
        import graphkit.models  # noqa: F401 - instrumented with the reader
        target = _target(module_name)
    atheris.Setup([sys.argv[0], *args], target)
    atheris.Fuzz()


def run_one(fmt: str, module_name: str, seconds: int, artifacts: Path, rss_mb: int, input_timeout: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"fuzz-{fmt}-") as tmp:
        corpus = Path(tmp) / "corpus"
        seeds = write_seeds(fmt, corpus)
        artifacts.mkdir(parents=True, exist_ok=True)
        libfuzzer = [f"-max_total_time={seconds}", f"-rss_limit_mb={rss_mb}", f"-timeout={input_timeout}",
                     "-max_len=65536", f"-artifact_prefix={artifacts}/{fmt}-", "-print_final_stats=1", str(corpus)]
        start = time.perf_counter()
        done = subprocess.run([sys.executable, __file__, "--child", fmt, module_name, "--", *libfuzzer],
                              capture_output=True, text=True, cwd=tmp)
        elapsed = time.perf_counter() - start
    log = done.stderr
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", log) or re.findall(r"Done (\d+) runs", log)
    cov = re.findall(r"\bcov: (\d+)", log)
    crashed = done.returncode != 0 or "ERROR: libFuzzer" in log or "Uncaught Python exception" in log
    detail = ""
    if crashed:
        found = re.search(r"(Uncaught Python exception:.*?)(?:\n\n|$)", log, re.S) or re.search(r"(==\d+== ERROR:.*)", log)
        detail = (found.group(1) if found else log[-2000:]).strip()
    return {"reader": fmt, "seeds": seeds, "executions": int(runs[-1]) if runs else 0, "seconds": elapsed,
            "coverage": int(cov[-1]) if cov else 0, "crashes": int(crashed), "detail": detail, "returncode": done.returncode}


def replay(path: Path, fmt: str) -> None:
    target = _target(readers()[fmt])
    target(path.read_bytes())
    print(f"{path}: no exception")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        fmt, module_name = argv[1], argv[2]
        child(fmt, module_name, argv[4:] if argv[3:4] == ["--"] else argv[3:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("readers", nargs="*", help="formats to fuzz (default: every reader)")
    parser.add_argument("--seconds", type=int, default=60, help="fuzzing time per reader")
    parser.add_argument("--rss-mb", type=int, default=2048, help="memory limit of a reader's process")
    parser.add_argument("--input-timeout", type=int, default=10, help="seconds one input may take")
    parser.add_argument("--artifacts", type=Path, default=Path("fuzz-artifacts"), help="where crashing inputs go")
    parser.add_argument("--replay", type=Path, help="run one saved input through the reader and raise what it raises")
    args = parser.parse_args(argv)
    available = readers()
    if args.replay:
        replay(args.replay, args.readers[0])
        return 0
    chosen = args.readers or sorted(available)
    unknown = [r for r in chosen if r not in available]
    if unknown:
        parser.error(f"no reader for {', '.join(unknown)}; readers: {', '.join(sorted(available))}")
    try:
        import atheris  # noqa: F401
    except ImportError:
        parser.error("atheris is not installed: pip install atheris")
    print(f"{'reader':<10} {'seeds':>5} {'executions':>11} {'exec/s':>8} {'coverage':>8} {'crashes':>7}")
    results = []
    for fmt in chosen:
        result = run_one(fmt, available[fmt], args.seconds, args.artifacts.resolve(), args.rss_mb, args.input_timeout)
        results.append(result)
        rate = result["executions"] / result["seconds"] if result["seconds"] else 0
        print(f"{fmt:<10} {result['seeds']:>5} {result['executions']:>11,} {rate:>8,.0f} {result['coverage']:>8} {result['crashes']:>7}",
              flush=True)
        if result["crashes"]:
            print(textwrap_indent(result["detail"]), flush=True)
    if args.artifacts.is_dir() and not any(args.artifacts.iterdir()):
        args.artifacts.rmdir()  # nothing found: leave no empty folder behind
    total = sum(r["executions"] for r in results)
    crashes = sum(r["crashes"] for r in results)
    print(f"{len(results)} readers, {total:,} executions, {crashes} crashes")
    return 1 if crashes else 0


def textwrap_indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines()[:40])


if __name__ == "__main__":
    sys.exit(main())
