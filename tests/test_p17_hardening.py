"""An outside tester's hardening findings (D1, D2, D5, D10, D11), through the real `graphkit` command.

- D1: a ``.txt`` with none of a profile page's structure (a shopping list, a README, a log) is one
  problem, "not a profile page", and no Author: its first line is nobody. Odd real pages still read.
- D2: a FIFO given where a file is read (``--identities``, the report ``identities`` reads) is refused
  at once, as the inputs refuse one, instead of waiting for a writer forever.
- D5: an edge list's third column (SNAP's temporal networks: a timestamp) is never silently a weight:
  only the node ids are read and stderr says so; ``--weight-column 3`` reads weights.
- D10: a build whose SIGINT is ignored (a background job of a script) and that gets ``kill -INT`` while
  NetworKit computes stops with one line and exit 130, the earlier outputs untouched.
- D11: a file that cannot be opened is not said to be read in part.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import shared_path

GRAPHKIT = str(Path(sys.executable).with_name("graphkit"))
AS_OF = ["--as-of", "2026-06-01"]


def _run(*args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([GRAPHKIT, *args], capture_output=True, text=True, timeout=timeout, **kwargs)


def _problems(stderr: str) -> list[str]:
    return [line.removeprefix("problem: ") for line in stderr.splitlines() if line.startswith("problem: ")]


def _authors(out: Path) -> list[str]:
    done = _run("query", "MATCH (a:Author) RETURN a.name AS name ORDER BY name", "--db", str(out), "--format", "json")
    assert done.returncode == 0, done.stderr
    return [row["name"] for row in json.loads(done.stdout)]


# ---------------------------------------------------------------- D1: a .txt that is no profile page

NOT_PAGES = {
    "notes.txt": "Shopping list\nmilk\neggs\nbread\n",
    "README.txt": "# graphkit\n\nReads researcher profile pages.\n\n## Install\n\npip install graphkit\nOK\n",
    "build.log.txt": ("c.openalex.json: read as openalex (sniffed)\nread: openalex 1 (sniffed)\n"
                      "problem: c.openalex.json: record 2: no title\n1 problem\n"),
}


# Odd but real pages, read as before: (text, papers read)
ODD_PAGES = {
    "metrics.txt": ("Ada Metrics\n\nCL\nh-index3\n2papers\n", 0),  # metrics, no cards yet
    "heading.txt": ("Bea Heading\n\n0 Papers\n", 0),  # a paper count heading alone
    "category.txt": ("Cy Category\n\nCL\n", 0),  # the primary category where the format puts it
    "by-year.txt": ("Di Byyear\n\n2025\n\nWe propose a new engine for computing Bernoulli numbers.\n", 1),
    "site-text.txt": ("Ed Sitetext\nSome site text\n\nCLMar 3, 2025\nNotes on the Engine\n\nEd Sitetext, Charles "
                      "Babbage\n\nAn abstract.\n", 1),  # an unrecognised header line, then a card
    "future.txt": ("Flo Future\n\nCLMar 3, 2027\nA paper from the future\n\nFlo Future\n\nAn abstract.\n", 0),
}


def test_a_text_file_with_no_profile_structure_is_skipped_and_makes_no_author(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    seed = sorted(shared_path("seeds").glob("000_*.txt"))[0]
    (folder / "zhang.txt").write_bytes(seed.read_bytes())
    for name, (text, _) in ODD_PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    for name, text in NOT_PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    done = _run("build", str(folder), "--out", str(out), *AS_OF)
    assert done.returncode == 0, done.stderr
    problems = _problems(done.stderr)
    for name, text in NOT_PAGES.items():
        first = text.split("\n", 1)[0]
        assert f"{folder / name}: not a profile page (after its first line, {first!r}, no metric, paper card or " \
               "year heading); skipped" in problems, problems
    # one problem per such file, no "unrecognised line in the profile header" for each of its lines
    assert not any(p.startswith(str(folder / n)) and "not a profile page" not in p for n in NOT_PAGES for p in problems)
    authors = _authors(out)
    assert "Zhengxin Zhang" in authors
    for text in NOT_PAGES.values():
        assert text.split("\n", 1)[0] not in authors
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["problem_count"] == len(problems)
    # the odd real pages: each still a profile (its owner an Author), with the papers it has
    extracted = _run("extract", str(folder), "--format", "json", *AS_OF)
    rows = [json.loads(line) for line in extracted.stdout.splitlines()]
    for name, (text, papers) in ODD_PAGES.items():
        owner = text.split("\n", 1)[0]
        assert owner in authors
        assert [r["name"] for r in rows if r["type"] == "profile" and r["source"].endswith(name)] == [owner]
        assert sum(r["type"] == "paper" and r["source"].endswith(name) for r in rows) == papers
    assert any(p.startswith(f"{folder / 'future.txt'}:3: card dated after the as-of date") for p in problems)


# ---------------------------------------------------------------- D2: a FIFO where a file is read


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


def test_identities_given_a_fifo_is_refused_at_once(tmp_path, fifo):
    bib = tmp_path / "a.bib"
    bib.write_text("@article{a, title={T}, author={Lee, Ann and Kim, Bo}, year={2020}}\n", encoding="utf-8")
    out = tmp_path / "out"
    done = _run("build", str(bib), "--out", str(out), "--identities", str(fifo), timeout=60)  # hung forever before
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == f"error: {fifo}: cannot read the identities file: a FIFO (named pipe), not a regular file"
    assert not out.exists()


def test_the_identities_command_refuses_a_fifo_for_its_report(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    os.mkfifo(folder / "report.json")
    done = _run("identities", "--db", str(folder), timeout=60)
    assert done.returncode == 1, done.stderr
    assert "a FIFO (named pipe), not a regular file" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------- D5: a third edge-list column

TEMPORAL = "# SRC DST UNIXTS\n1 2 1082040961\n1 3 1082155839\n2 3 1082414391\n3 4 1082439619\n"


def _centrality_csv(*args: str) -> tuple[dict[str, float], str]:
    done = _run("centrality", *args, "--measure", "weighted_degree", "--top", "0", "--format", "csv")
    assert done.returncode == 0, done.stderr
    return {row["id"]: float(row["weighted_degree"]) for row in csv.DictReader(io.StringIO(done.stdout))}, done.stderr


def test_a_third_column_is_not_read_as_weights_unless_asked_and_says_so(tmp_path):
    path = tmp_path / "temporal.txt"
    path.write_text(TEMPORAL, encoding="utf-8")
    values, stderr = _centrality_csv("--edgelist", str(path))
    assert values == {"1": 2.0, "2": 2.0, "3": 3.0, "4": 1.0}  # degrees: the timestamps are no weights
    note = (f"{path}: 3 columns (line 2): only the first two, the node ids, are read; "
            "--weight-column 3 reads the third as edge weights")
    assert stderr.splitlines() == [note]  # said once, and no problem (a clean file is not bad input)
    weighted, stderr = _centrality_csv("--edgelist", str(path), "--weight-column", "3")
    assert weighted["4"] == 1082439619.0 and weighted["3"] == 1082155839.0 + 1082414391.0 + 1082439619.0
    assert stderr == ""


def test_map_reads_an_edge_list_as_centrality_does(tmp_path):
    path = tmp_path / "temporal.txt"
    path.write_text(TEMPORAL, encoding="utf-8")
    done = _run("map", "--edgelist", str(path), "--out", str(tmp_path / "m.html"))
    assert done.returncode == 0, done.stderr
    assert "3 columns (line 2): only the first two, the node ids, are read" in done.stderr
    asked = _run("map", "--edgelist", str(path), "--weight-column", "4", "--out", str(tmp_path / "m2.html"))
    assert asked.returncode == 0, asked.stderr
    assert f"{path}: --weight-column 4: no line has a fourth column (at most 3, line 2); every edge weighs 1" in asked.stderr


@pytest.mark.parametrize("command", ["centrality", "stats", "map"])
def test_weight_column_without_an_edge_list_is_a_usage_error(tmp_path, command):
    done = _run(command, "--db", str(tmp_path / "none"), "--weight-column", "3")
    assert done.returncode == 2
    said = " ".join(done.stderr.translate({ord(c): " " for c in "│╭╮╰╯─"}).split())  # out of click's box
    assert "--weight-column reads a column of an --edgelist" in said


# ---------------------------------------------------------------- D10: SIGINT ignored, then kill -INT


def _tree_md5(folder: Path) -> dict[str, str]:
    """The outputs' checksums (not the build lock, which names the last build's process)."""
    return {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file() and p.name != ".graphkit-lock"}


def test_an_ignored_sigint_that_networkit_catches_ends_the_build_in_one_line(tmp_path):
    pytest.importorskip("networkit")
    rng = random.Random(1)
    big = tmp_path / "big.bib"
    with big.open("w", encoding="utf-8") as handle:  # a graph large enough for KADABRA to run for seconds
        for i in range(12_000):
            names = " and ".join(f"G{rng.randint(1, 40)} Fam{rng.randint(1, 2500)}" for _ in range(rng.randint(2, 5)))
            handle.write(f"@article{{k{i},\n  title={{Paper {i} on topic {rng.randint(1, 99_999)}}},\n"
                         f"  author={{{names}}},\n  year={{{2000 + i % 20}}},\n  journal={{J}}\n}}\n\n")
    small = tmp_path / "small.bib"
    small.write_text("@article{a, title={Earlier}, author={Lee, Ann and Kim, Bo}, year={2020}}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert _run("build", str(small), "--out", str(out)).returncode == 0
    before = _tree_md5(out)

    def ignore_sigint():  # what bash does for a background job of a non-interactive script
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    proc = subprocess.Popen([GRAPHKIT, "build", str(big), "--out", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=ignore_sigint)
    deadline = time.monotonic() + 240
    while proc.poll() is None and time.monotonic() < deadline:
        proc.send_signal(signal.SIGINT)  # ignored by Python; NetworKit's own handler takes it while it runs
        time.sleep(0.02)
    if proc.poll() is None:
        proc.kill()
    stdout, stderr = proc.communicate(timeout=60)
    assert "Traceback" not in stderr, stderr
    assert proc.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == "error: interrupted (Ctrl-C)"
    assert _tree_md5(out) == before  # the earlier build's outputs, byte for byte


# ---------------------------------------------------------------- D11: a file that cannot be opened


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_file_that_cannot_be_opened_is_not_said_to_be_read_in_part(tmp_path):
    tmp_path.chmod(0o755)
    secret = tmp_path / "secret.ris"
    secret.write_text("TY  - JOUR\nTI  - Hidden\nAU  - Lee, Ann\nER  - \n", encoding="utf-8")
    secret.chmod(0)
    command = [GRAPHKIT, "extract", str(secret)]
    if os.getuid() == 0:  # root reads any file: without the capabilities that let it
        if shutil.which("setpriv") is None:
            pytest.skip("root, and no setpriv to drop CAP_DAC_OVERRIDE")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert _problems(done.stderr) == [f"{secret}: permission denied"]  # not "; the rest of the file was not read"
