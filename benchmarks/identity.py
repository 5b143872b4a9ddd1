"""Author identity: B-cubed (and pairwise) precision, recall and F1 against truth.

Every set goes through one of graphkit's readers and then graphkit's whole
resolve stage (papers, institutions, authors), so the pipeline is what is
measured (records -> resolve -> the author id of every shown author):

- QIAN-dev (S2AND's format; ../shared/data/identity/qian-dev): each signature
  becomes an OpenAlex work with one author, no author id, the signature's
  affiliations as that author's institutions. QIAN has no co-author lists:
  this set measures what names and affiliations alone can do.
- variants: generated BibTeX where each person's name is written in other
  orders, cases, with or without diacritics, LaTeX accents, hyphens and
  spacing (target F1 1.0).
- homonyms: generated OpenAlex works where several people share a name and
  only co-authors and affiliations tell them apart.
- ids: the id-bearing samples (the DBLP sample and the DBLP, Scopus, Web of
  Science and OpenAlex fixtures and examples) with each author's person id
  (DBLP homonym number, ORCID, Scopus author id) taken as truth and hidden
  from the resolver: how often names alone would split or merge what the
  ids say.

Beside graphkit's resolution the table shows the full-name-key baseline
(graphkit's old rule: one author per normalised full name).

    .venv/bin/python benchmarks/identity.py [--bias precision|recall] [--no-split] [--sets qian,variants,...] [--qian DIR]
        [--halves N]
    .venv/bin/python benchmarks/identity.py --cost 1000000   # resolution time: full-name key vs the engine
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from graphkit.keys import name_key
from graphkit.models import AffiliationRef, AuthorRef, PaperRecord
from graphkit.resolve import resolve
from graphkit.resolve.identity import IdentityOptions, occurrences_from_records, resolve_identities

sys.path.insert(0, str(Path(__file__).resolve().parent))
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
QIAN = SHARED / "data" / "identity" / "qian-dev"
DBLP = SHARED / "data" / "dblp" / "dblp-sample.xml"


# ----------------------------------------------------------------------------- scores


def bcubed(pred: list, truth: list) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 of a clustering (labels per item) against truth."""
    pc, tc = defaultdict(set), defaultdict(set)
    for i, (p, t) in enumerate(zip(pred, truth)):
        pc[p].add(i)
        tc[t].add(i)
    prec = rec = 0.0
    for i, (p, t) in enumerate(zip(pred, truth)):
        inter = len(pc[p] & tc[t])
        prec += inter / len(pc[p])
        rec += inter / len(tc[t])
    prec, rec = prec / len(pred), rec / len(pred)
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def pairwise(pred: list, truth: list) -> tuple[float, float, float]:
    """Pairwise precision, recall, F1 (pairs of items put together)."""
    def pairs(labels):
        groups = defaultdict(int)
        for lab in labels:
            groups[lab] += 1
        return groups

    both = pairs(list(zip(pred, truth)))
    tp = sum(n * (n - 1) // 2 for n in both.values())
    pp = sum(n * (n - 1) // 2 for n in pairs(pred).values())
    tt = sum(n * (n - 1) // 2 for n in pairs(truth).values())
    p = tp / pp if pp else 1.0
    r = tp / tt if tt else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def per_scheme(score, pred: list, truth: list) -> tuple[float, float, float]:
    """A score within each id scheme's authors, averaged by their number.

    One person may carry a DBLP id in one file and a Scopus id in another: ids
    of two schemes cannot say whether two authors are one person, so each
    scheme's authors are scored among themselves.
    """
    groups = defaultdict(list)
    for i, t in enumerate(truth):
        groups[t.split(":", 1)[0]].append(i)
    total = [0.0, 0.0, 0.0]
    for idx in groups.values():
        got = score([pred[i] for i in idx], [truth[i] for i in idx])
        total = [t + g * len(idx) for t, g in zip(total, got)]
    return tuple(t / len(truth) for t in total)


# ----------------------------------------------------------------------------- readers


def _read(path: Path, fmt: str) -> list[PaperRecord]:
    """Read a file with graphkit's reader for ``fmt``; fail loudly when it is missing."""
    import importlib

    module = importlib.import_module(f"graphkit.readers.{fmt}")
    reader = getattr(module, "read", None) or getattr(module, f"read_{fmt}")
    out = []
    for item in reader(path):
        if isinstance(item, PaperRecord):
            out.append(item)
    return out


def _have_reader(fmt: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(f"graphkit.readers.{fmt}") is not None


def _openalex_work(wid: str, authors: list[tuple[str, list[str]]]) -> dict:
    return {
        "id": f"https://openalex.org/{wid}",
        "title": f"Work {wid}",
        "publication_year": 2020,
        "type": "article",
        "authorships": [
            {"author_position": "first" if n == 0 else "middle",
             "author": {"id": None, "display_name": name, "orcid": None},
             "raw_author_name": name,
             "institutions": [{"id": None, "display_name": a, "ror": None} for a in affs],
             "raw_affiliation_strings": affs}
            for n, (name, affs) in enumerate(authors)
        ],
    }


def _through_openalex(works: list[dict], tmp: Path, name: str) -> tuple[list[PaperRecord], str]:
    """OpenAlex works through graphkit's OpenAlex reader (or, until it exists, the records it would emit)."""
    if _have_reader("openalex"):
        path = tmp / f"{name}.jsonl"
        path.write_text("\n".join(json.dumps(w) for w in works) + "\n", encoding="utf-8")
        return _read(path, "openalex"), "openalex reader"
    records = []
    for n, w in enumerate(works, 1):
        authors = [AuthorRef(name=a["raw_author_name"], position=k,
                             affiliations=tuple(AffiliationRef(name=i["display_name"]) for i in a["institutions"]))
                   for k, a in enumerate(w["authorships"])]
        records.append(PaperRecord(title=w["title"], ids=("openalex:" + w["id"].rsplit("/", 1)[1],),
                                   year=w["publication_year"], authors=tuple(authors), source=f"{name}.jsonl", line=n))
    return records, "records built directly (no OpenAlex reader yet)"


# ----------------------------------------------------------------------------- sets


def qian_set(tmp: Path, folder: Path = QIAN):
    sigs = json.loads((folder / "signatures.json").read_text())
    clusters = json.loads((folder / "clusters.json").read_text())
    truth_of = {sid: cid for cid, c in clusters.items() for sid in c["signature_ids"]}
    works, truth = [], []
    for sid, sig in sigs.items():
        a = sig["author_info"]
        name = " ".join(p for p in (a["first"], a["middle"], a["last"], a["suffix"]) if p)
        works.append(_openalex_work(f"W{len(works) + 1}", [(name, list(a["affiliations"] or []))]))  # one work each
        truth.append(truth_of[sid])
    records, how = _through_openalex(works, tmp, "qian")
    return records, truth, how


_PEOPLE = [  # given, family (with their accented and LaTeX forms) across naming traditions
    ("Zhifeng", "Chen", None), ("Min-Jun", "Kim", None), ("Ji-woo", "Park", None), ("José", "García Márquez", "Jos{\\'e}"),
    ("Vincent", "van Gogh", None), ("Björk", "Guðmundsdóttir", "Bj{\\\"o}rk"), ("Jón", "Sigurðsson", "J{\\'o}n"),
    ("Nguyen", "Van An", None), ("Priya", "Raghunathan", None), ("Søren", "Kierkegaard", "S{\\o}ren"),
    ("François", "Lefèvre", "Fran{\\c{c}}ois"), ("Zhi-Hong", "Deng", None), ("Łukasz", "Kaiser", "{\\L}ukasz"),
    ("Yoshua", "Bengio", None), ("Hanna", "Wallach", None), ("Jürgen", "Schmidhuber", "J{\\\"u}rgen"),
    ("Marta", "Kwiatkowska", None), ("Ahmed", "El-Sayed", None), ("Chen", "Wang", None), ("Ana", "de la Cruz", None),
]


def _ascii(text: str) -> str:
    import unicodedata

    text = text.translate(str.maketrans({"ð": "d", "ø": "o", "Ł": "L", "ł": "l"}))
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _variant(rng: random.Random, given: str, family: str, latex: str | None) -> str:
    """One BibTeX spelling of a person: order, case, diacritics, LaTeX, hyphen and spacing vary."""
    g, f = given, family
    roll = rng.random()
    if roll < 0.2 and latex:
        g = latex
    elif roll < 0.4:
        g, f = _ascii(g), _ascii(f)
    if "-" in g and rng.random() < 0.5:
        g = g.replace("-", rng.choice(["", " "])) if rng.random() < 0.5 else g.replace("-", "")
    if rng.random() < 0.15:
        g, f = g.upper(), f.upper()
    if " " in f or rng.random() < 0.5:
        return f"{{{f}}}, {g}" if " " in f and not f.startswith(("van", "de")) else f"{f}, {g}"
    return f"{g} {f}"


def variants_set(tmp: Path, n_papers: int = 400, seed: int = 1):
    rng = random.Random(seed)
    entries, truth = [], []
    for p in range(n_papers):
        people = rng.sample(range(len(_PEOPLE)), rng.randint(1, 5))
        names = [_variant(rng, *_PEOPLE[i]) for i in people]
        entries.append(f"@article{{p{p},\n  title = {{Paper {p}}},\n  author = {{{' and '.join(names)}}},\n  year = {{2020}},\n}}\n")
        truth.extend(people)
    path = tmp / "variants.bib"
    path.write_text("\n".join(entries), encoding="utf-8")
    records = _read(path, "bibtex")
    return records, truth, "bibtex reader"


def homonyms_set(tmp: Path, n_labs: int = 24, seed: int = 2):
    """Labs at different institutions; some members share a name with people in other labs.

    One author in five has no institution on a paper (as in OpenAlex), and a
    member of every third lab moves to another lab's institution for their
    last papers (same co-authors): only co-authors and affiliations tell
    people apart.
    """
    rng = random.Random(seed)
    shared = ["Wei Wang", "Lei Zhang", "Jing Li", "Min-jun Kim", "Maria Silva", "David Smith", "Ji-ho Lee", "Anh Nguyen"]
    family = ["Okafor", "Haddad", "Novak", "Yilmaz", "Kowalski", "Andersen", "Ivanova", "Mensah", "Rossi", "Sato",
              "Berger", "Castillo", "Dubois", "Eriksen", "Fontaine", "Horvath", "Jansen", "Kovacs", "Lindqvist",
              "Moreau", "Nakamura", "Oyelaran", "Petrov", "Quintero", "Rasmussen", "Szabo", "Takahashi", "Varga"]
    given = ["Aaron", "Beth", "Carlos", "Dana", "Elif", "Farah", "Goran", "Hana", "Ivan", "Jae", "Lena", "Omar",
             "Pablo", "Rosa", "Sven", "Tomasz", "Ugo", "Vera", "Wanjiru", "Ximena", "Yusuf", "Zofia", "Amara", "Bruno"]
    insts = [f"University of {c}" for c in ("Toronto", "Leeds", "Osaka", "Lyon", "Porto", "Graz", "Bergen", "Perth",
                                            "Kyoto", "Utrecht", "Turin", "Ghent", "Aarhus", "Basel", "Cork", "Malmo",
                                            "Tartu", "Krakow", "Bilbao", "Bonn", "Nantes", "Padua", "Seville", "Tampere")]
    works, truth = [], []
    person = 0
    for lab in range(n_labs):
        members = []
        for _ in range(rng.randint(4, 7)):
            members.append((f"{rng.choice(given)} {rng.choice(family)}", person))
            person += 1
        for name in rng.sample(shared, 2):  # two homonyms per lab
            members.append((name, person))
            person += 1
        # keep names unique inside a lab
        seen, uniq = set(), []
        for m in members:
            if m[0] not in seen:
                seen.add(m[0])
                uniq.append(m)
        # A member of every third lab moves on: their last papers carry the next lab's institution.
        mover = uniq[0][1] if lab % 3 == 0 else None
        n_papers = rng.randint(6, 12)
        for p in range(n_papers):
            team = rng.sample(uniq, rng.randint(2, min(5, len(uniq))))
            authors = []
            for n, pid in team:
                inst = insts[(lab + 1) % n_labs] if pid == mover and p >= n_papers - 2 else insts[lab]
                # OpenAlex often has no institution for an author: one in five here
                authors.append((n, [] if rng.random() < 0.2 else [inst]))
            works.append(_openalex_work(f"W{lab * 100 + p + 1}", authors))
            truth.extend(pid for _, pid in team)
    records, how = _through_openalex(works, tmp, "homonyms")
    return records, truth, how


ROOT = Path(__file__).resolve().parents[1]
# Files whose authors carry person ids (DBLP homonym numbers and ORCIDs, Scopus author ids, WoS ORCIDs):
# (reader, path). Missing files are skipped.
ID_FILES = [
    ("dblp", DBLP),
    ("dblp", ROOT / "tests" / "fixtures" / "dblp" / "mixed.xml"),
    ("scopus", ROOT / "tests" / "fixtures" / "scopus" / "export.csv"),
    ("wos", ROOT / "tests" / "fixtures" / "wos" / "savedrecs.txt"),
    ("dblp", ROOT / "examples" / "dblp" / "lm-pretraining.xml"),
    ("openalex", ROOT / "examples" / "openalex" / "lm-pretraining.json"),
    ("openalex", ROOT / "tests" / "fixtures" / "openalex" / "works.jsonl"),
]
_SCHEMES = ("orcid", "scopus", "dblp", "openalex")


def ids_set(tmp: Path):
    """Id-bearing samples: each author's person id is the truth, hidden from the resolver.

    Only occurrences with an id are scored (truth None for the others), each
    id scheme's among themselves (:func:`per_scheme`); all are resolved
    together, as one build would.
    """
    records, used = [], []
    for fmt, path in ID_FILES:
        if path.exists() and _have_reader(fmt):
            records.extend(_read(path, fmt))
            used.append(f"{fmt}:{path.name}")
    truth, hidden = [], []
    for rec in records:
        for a in rec.authors:
            if a.inferred:
                continue
            ids = sorted(a.ids, key=lambda i: _SCHEMES.index(i.split(":")[0]) if i.split(":")[0] in _SCHEMES else 9)
            truth.append(ids[0] if ids and ids[0].split(":")[0] in _SCHEMES else None)
        hidden.append(rec.model_copy(update={"authors": tuple(a.model_copy(update={"ids": ()}) for a in rec.authors)}))
    return hidden, truth, f"{', '.join(dict.fromkeys(u.split(':')[0] for u in used))} readers ({len(used)} files)"


SETS = {"qian": qian_set, "variants": variants_set, "homonyms": homonyms_set, "ids": ids_set}


def resolved_authors(records: list[PaperRecord], identity: IdentityOptions) -> list[str]:
    """The author id graphkit's resolver gives each shown author of each record, in order.

    The whole resolve stage runs (papers, institutions, authors); each
    record's author at position k is the author of its paper at position k.
    """
    res = resolve([], records, identity=identity)
    paper_of_id = {i: p.id for p in res.papers.values() for i in p.ids}
    paper_of_title = {p.title: p.id for p in res.papers.values()}
    at = {(a.paper_id, a.position): a.author_id for a in res.authorships if not a.inferred}
    out = []
    for rec in records:
        pid = next((paper_of_id[i] for i in rec.ids if i in paper_of_id), None) or paper_of_title[rec.title]
        shown = [a for a in rec.authors if not a.inferred]
        out.extend(at.get((pid, a.position if a.position is not None else k), f"missing:{pid}:{k}") for k, a in enumerate(shown))
    return out


def _halves(args, tmp: Path) -> None:
    """QIAN's name blocks split at random into two halves, N times: the spread of each half's scores."""
    from statistics import mean

    from graphkit.resolve.identity import name_form

    records, truth, _ = qian_set(tmp, args.qian)
    occs = occurrences_from_records(records)
    blocks = defaultdict(list)
    for i, o in enumerate(occs):
        f = name_form(o.name, o.given, o.family)
        blocks[(f.family[-1] if f.family else "", f.given[0][:1] if f.given else "")].append(i)
    keys = sorted(blocks)
    scores = []
    for seed in range(args.halves):
        random.Random(seed).shuffle(keys)
        for half in (keys[: len(keys) // 2], keys[len(keys) // 2:]):
            idx = [i for k in half for i in blocks[k]]
            got = resolve_identities([occs[i] for i in idx], bias=args.bias, split_homonyms=not args.no_split).keys
            scores.append(bcubed(got, [truth[i] for i in idx]))
    print(f"QIAN halves ({2 * args.halves} halves of its name blocks): B-cubed min / mean / max")
    for n, label in enumerate(("precision", "recall", "F1")):
        vals = [s[n] for s in scores]
        print(f"  {label:9} {min(vals):.3f} / {mean(vals):.3f} / {max(vals):.3f}")
    print(f"  halves meeting both targets (P >= 0.95, F1 >= 0.80): {sum(p >= 0.95 and f >= 0.80 for p, _, f in scores)} of {len(scores)}")


def cost(papers: int, seed: int = 0) -> None:
    """Resolution time on the synthetic profile-page corpus: full-name keys against the identity engine.

    One extraction, then graphkit's resolve stage twice on the same records,
    first with the full-name key only (the rule before issue #11), then with
    the identity engine (the default). Prints both times and the peak memory.
    """
    import datetime as dt
    import resource

    from synthetic import write_corpus

    from graphkit.pipeline import extract_all

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "pages"
        pages, size = write_corpus(corpus, papers, seed=seed)
        t = time.perf_counter()
        profiles, records, problems, _ = extract_all([corpus], as_of=dt.date(2026, 11, 21))
        print(f"corpus           {pages:,} pages, {size / 1e6:,.1f} MB, {len(records):,} records, extracted in {time.perf_counter() - t:.1f} s")
    for label, options in (("full-name key", IdentityOptions(engine=False)), ("identity engine", IdentityOptions())):
        t, cpu = time.perf_counter(), time.process_time()
        res = resolve(profiles, records, identity=options)
        secs, cpu = time.perf_counter() - t, time.process_time() - cpu
        print(f"resolve, {label:<16} {secs:7.1f} s ({cpu:.1f} s CPU)   {len(res.authors):,} authors, {len(res.authorships):,} authorships, "
              f"{len(res.ambiguous):,} ambiguous pairs")
        del res
    print(f"peak memory      {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bias", choices=("precision", "recall"), default="precision")
    ap.add_argument("--no-split", action="store_true", help="turn homonym splitting off")
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--qian", type=Path, default=QIAN, help="a QIAN-format folder (signatures.json, clusters.json), e.g. the held-out half")
    ap.add_argument("--halves", type=int, default=0, metavar="N",
                    help="also score QIAN on N random splits into two halves of its name blocks (how much a held-out half may vary)")
    ap.add_argument("--cost", type=int, default=0, metavar="PAPERS",
                    help="instead: resolution time on a synthetic corpus of PAPERS papers, full-name key vs the engine")
    args = ap.parse_args(argv)
    if args.cost:
        cost(args.cost)
        return 0
    missing = [] if (args.qian / "signatures.json").exists() else ["qian"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets.split(","):
            if name in missing:
                print(f"{name}: skipped ({args.qian} not found)", file=sys.stderr)
                continue
            records, truth, how = qian_set(Path(tmp), args.qian) if name == "qian" else SETS[name](Path(tmp))
            occs = occurrences_from_records(records)
            if len(occs) != len(truth):
                raise SystemExit(f"{name}: {len(occs)} occurrences read for {len(truth)} truth labels")
            base = [name_key(o.name) for o in occs]
            t0 = time.perf_counter()
            keys = resolved_authors(records, IdentityOptions(bias=args.bias, split_homonyms=not args.no_split))
            secs = time.perf_counter() - t0
            scored = [i for i, t in enumerate(truth) if t is not None]  # the ids set scores id-bearing authors only
            truth = [truth[i] for i in scored]
            for label, pred in (("baseline (full-name key)", [base[i] for i in scored]),
                                ("graphkit", [keys[i] for i in scored])):
                bp, br, bf = per_scheme(bcubed, pred, truth) if name == "ids" else bcubed(pred, truth)
                pp, pr, pf = per_scheme(pairwise, pred, truth) if name == "ids" else pairwise(pred, truth)
                rows.append((name, label, len(truth), len(set(truth)), len(set(pred)), bp, br, bf, pp, pr, pf,
                             secs if label == "graphkit" else None, how))
    if args.halves and not missing:
        with tempfile.TemporaryDirectory() as tmp:
            _halves(args, Path(tmp))
    print(f"author identity: bias={args.bias} split_homonyms={not args.no_split}")
    head = f"{'set':9} {'method':25} {'occs':>6} {'people':>6} {'authors':>7} {'B3-P':>6} {'B3-R':>6} {'B3-F1':>6} {'pw-P':>6} {'pw-R':>6} {'pw-F1':>6} {'secs':>6}  read via"
    print(head)
    print("-" * len(head))
    for r in rows:
        secs = f"{r[11]:6.2f}" if r[11] is not None else " " * 6
        print(f"{r[0]:9} {r[1]:25} {r[2]:6d} {r[3]:6d} {r[4]:7d} {r[5]:6.3f} {r[6]:6.3f} {r[7]:6.3f} {r[8]:6.3f} {r[9]:6.3f} {r[10]:6.3f} {secs}  {r[12]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
