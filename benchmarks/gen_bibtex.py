"""Generate a BibTeX file whose true number of people is known, for the sources benchmark.

    python benchmarks/gen_bibtex.py --entries 100000 --out /work/bench-data/refs-100k.bib

Each entry has 1-20 authors (most 2-6) drawn from a pool of people, papers
per person following a power law. Every person has one name, unique under
graphkit's name key even with middle initials, spaces and hyphens ignored
(so no two people differ only by what a resolver may rightly call a
variant), and the file writes it the ways BibTeX files do: ``Last,
First`` or ``First Last``, accents as Unicode or as LaTeX in its several
spellings (``M{\\"u}ller``, ``M\\"{u}ller``, ``M\\"uller``), ``von`` particles
(``van der Berg, Anna`` / ``Anna van der Berg``), a ``Jr`` part, a braced
corporate author now and then. About 3% of author lists end in ``and others``
(the people behind it are not in the file). Editors (on a fifth of the
conference entries) come from a separate pool of people who never author,
so they must not become authors. Entries use braces or quotes, indented or
not, ``@string`` venue macros, DOIs on most entries; no two entries share a title,
so every entry is a different paper.

The last line printed is a JSON summary: ``people`` is the number of distinct
people who appear as authors (what a build should make Author nodes for),
``editors`` those who appear only as editors. Seeded.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphkit.keys import name_key  # noqa: E402

GIVEN = (
    "Wei Yu Jing Hao Lei Xin Jun Ming Yan Hui Ying Jian Feng Tao Anna Maria John David Sara Omar Priya Ravi "
    "Kenji Yuki Hiroshi Lena Jonas Ana Luis Carlos Dana Elif Farah Goran Hana Ivan Michael Thomas Peter Paul "
    "Andreas Stefan Martin Daniel Christian Alexander Robert James William Sarah Laura Julia Emma Sophie Marie "
    "Elena Olga Irina Marco Luca Pierre Nicolas Rahul Amit Mohammed Ahmed Hassan Seung Tuan Minh Akira Ilya "
    "Sergey Tomasz Lars Erik Nils Kenton Omer Luke Tim Noah Aisha Bongani Chiara Dmitri Esra Fatima Gustavo"
).split() + ["José", "René", "Jürgen", "Björn", "François", "Álvaro", "Søren", "João", "Inês", "Éric", "Łukasz",
             "Jiří", "Dušan", "Zoë", "Øystein", "Çağla", "Małgorzata", "Núria"]
FAMILY = (
    "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin Gao Luo Smith Johnson Williams Brown "
    "Jones Miller Davis Rodriguez Kim Lee Park Choi Sato Suzuki Tanaka Singh Kumar Sharma Gupta Patel Rossi Russo "
    "Ferrari Silva Santos Costa Novak Horvat Petrov Nguyen Tran Pham Cohen Levy Okafor Mensah Haddad Yilmaz "
    "Kowalski Nowak Andersen Hansen Schmidt Schneider Fischer Weber Meyer Wagner Becker Dubois Moreau Laurent"
).split() + ["Müller", "Schäfer", "Göbel", "García", "Martínez", "López", "Núñez", "Ibáñez", "Gonçalves",
             "Björklund", "Åberg", "Løvland", "Sjöström", "Petrović", "Kovačević", "Dąbrowski", "Wójcik",
             "Dvořák", "Çelik", "Öztürk", "Ødegård", "Şahin", "Fernández", "Pérez"]
SYLLABLES = "zhi hao xin yu jun ming wei lei tao fei an na ri ko ta ka mi ra sa le jo ha li mo ve de ro si el".split()
PARTICLES = ["van der", "von", "de", "van", "da", "di"]
CORPORATE = ["The ATLAS Collaboration", "The CMS Collaboration", "OpenAI Research", "BigScience Workshop",
             "LIGO Scientific Collaboration", "The Event Horizon Telescope Collaboration"]
VENUES = [("acl", "Proceedings of ACL"), ("emnlp", "Proceedings of EMNLP"), ("neurips", "Advances in NeurIPS"),
          ("icml", "Proceedings of ICML"), ("cvpr", "Proceedings of CVPR"), ("sigmod", "Proceedings of SIGMOD")]
JOURNALS = ["Journal of Machine Learning Research", "Transactions of the ACL", "Artificial Intelligence",
            "Communications of the ACM", "Nature Machine Intelligence"]
WORDS = (
    "learning graph neural model language robust efficient sparse attention transformer retrieval reasoning "
    "alignment scaling data synthetic quantized distillation evaluation benchmark agent policy causal "
    "contrastive diffusion multilingual dense federated private adaptive hierarchical networks systems"
).split()

# Three LaTeX spellings for each accented letter: braced, argument-braced, bare.
_ACCENT_OF = {"\u0301": "'", "\u0300": "`", "\u0308": '"', "\u0302": "^", "\u0303": "~", "\u030c": "v",
              "\u0327": "c", "\u030a": "r", "\u0306": "u", "\u0328": "k"}
_SPECIAL = {"ø": r"{\o}", "Ø": r"{\O}", "ł": r"{\l}", "Ł": r"{\L}", "å": r"{\aa}", "Å": r"{\AA}", "ß": r"{\ss}",
            "æ": r"{\ae}", "ı": r"{\i}"}


def latex(text: str, style: int) -> str:
    """``text`` with its accented letters written in LaTeX (style 0, 1 or 2)."""
    import unicodedata

    out = []
    for ch in text:
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        if len(decomposed) == 2 and decomposed[1] in _ACCENT_OF:
            base, cmd = decomposed[0], _ACCENT_OF[decomposed[1]]
            if base == "i" and cmd in "'`^\"":
                base = r"\i"
            letter_cmd = cmd.isalpha()
            if style == 0:
                out.append(f"{{\\{cmd}{' ' if letter_cmd else ''}{base}}}" if not letter_cmd else f"{{\\{cmd}{{{base}}}}}")
            elif style == 1 or letter_cmd:
                out.append(f"\\{cmd}{{{base}}}")
            else:
                out.append(f"\\{cmd}{base}" if not base.startswith("\\") else f"\\{cmd}{{{base}}}")
        else:
            out.append(ch)
    return "".join(out)


class Person:
    __slots__ = ("given", "particle", "family", "suffix", "corporate")

    def __init__(self, given, particle, family, suffix=None, corporate=False):
        self.given, self.particle, self.family, self.suffix, self.corporate = given, particle, family, suffix, corporate

    @property
    def display(self) -> str:
        if self.corporate:
            return self.family
        parts = [self.given, self.particle, self.family]
        name = " ".join(p for p in parts if p)
        return f"{name} {self.suffix}" if self.suffix else name

    def bibtex(self, rng: random.Random) -> str:
        if self.corporate:
            return "{" + self.family + "}"
        style = rng.random()
        encode = (lambda s: s) if style < 0.4 else (lambda s: latex(s, rng.randrange(3)))
        given, family = encode(self.given), encode(self.family)
        last = f"{self.particle} {family}" if self.particle else family
        if self.suffix:
            return f"{last}, {self.suffix}, {given}"
        if rng.random() < 0.5:
            return f"{last}, {given}"
        return f"{given} {last}"


def make_people(n: int, rng: random.Random, *, taken: set[str]) -> list[Person]:
    """``n`` people whose names are unique under graphkit's name key (and not in ``taken``)."""
    people: list[Person] = []
    while len(people) < n:
        r = rng.random()
        if r < 0.0005:
            base = rng.choice(CORPORATE)
            p = Person(None, None, f"{base} {len(people)}" if name_key(base) in taken else base, corporate=True)
        else:
            if rng.random() < 0.5:
                family = rng.choice(FAMILY)
            else:
                family = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize()
            given = rng.choice(GIVEN)
            if rng.random() < 0.15:
                given = f"{given} {chr(65 + rng.randrange(26))}."
            particle = rng.choice(PARTICLES) if rng.random() < 0.04 else None
            suffix = "Jr." if rng.random() < 0.01 else None
            p = Person(given, particle, family, suffix)
        # Unique even without middle initials, spaces and hyphens, which a resolver may rightly treat as
        # variants of one name: two people here never differ only by those.
        key = name_key(p.display if p.corporate else f"{p.given.split()[0]} {p.particle or ''} {p.family}")
        key = key.replace(" ", "")
        if key in taken:
            continue
        taken.add(key)
        people.append(p)
    return people


def _field(rng: random.Random, name: str, value: str) -> str:
    indent = "  " if rng.random() < 0.7 else ""
    if rng.random() < 0.8:
        return f"{indent}{name} = {{{value}}}"
    return f'{indent}{name} = "{value}"'


def generate(out, *, entries: int, people: int, seed: int = 0) -> dict:
    """Write the BibTeX text to the open text stream ``out``; return the true counts."""
    rng = random.Random(seed)
    taken: set[str] = set()
    authors_pool = make_people(people, rng, taken=taken)
    editors_pool = make_people(max(50, people // 100), rng, taken=taken)
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(authors_pool))]  # a power law of papers per person
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    counts = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20]
    count_w = [10, 20, 20, 15, 10, 7, 5, 3, 2, 2, 2, 1.5, 1, 0.8, 0.7]
    out.write("% Generated by graphkit's benchmarks/gen_bibtex.py (synthetic, seeded).\n")
    for code, name in VENUES:
        out.write(f'@string{{{code} = "{name}"}}\n')
    titles: set[str] = set()
    seen_authors: set[int] = set()
    seen_editors: set[int] = set()
    slots = truncated = 0
    # Every person authors at least once: the first pass walks the pool in order.
    order = iter(range(len(authors_pool)))
    for i in range(entries):
        k = rng.choices(counts, count_w)[0]
        chosen: list[int] = []
        for _ in range(k):
            nxt = next(order, None)
            if nxt is not None and rng.random() < len(authors_pool) / (entries * 4.0) * 1.6:
                person = nxt
            else:
                person = min(len(cum) - 1, _bisect(cum, rng.random() * total))
            if person not in chosen:
                chosen.append(person)
        names = [authors_pool[p].bibtex(rng) for p in chosen]
        seen_authors.update(chosen)
        slots += len(chosen)
        if rng.random() < 0.03:
            names.append("others")
            truncated += 1
        year = rng.randrange(1990, 2026)
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(4, 11))).capitalize()
        while title in titles:  # every entry is a different paper: no two share a title
            title = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(5, 12))).capitalize()
        titles.add(title)
        if rng.random() < 0.2:
            title = "{" + title.split()[0].upper() + "}: " + title
        fields = [_field(rng, "title", title), _field(rng, "author", " and ".join(names)), f"  year = {year}"]
        if rng.random() < 0.5:
            kind = "inproceedings"
            code, _ = rng.choice(VENUES)
            fields.append(f"  booktitle = {code}")
            if rng.random() < 0.2:
                eds = rng.sample(range(len(editors_pool)), rng.randrange(1, 4))
                seen_editors.update(eds)
                fields.append(_field(rng, "editor", " and ".join(editors_pool[e].bibtex(rng) for e in eds)))
        else:
            kind = "article"
            fields.append(_field(rng, "journal", rng.choice(JOURNALS)))
        if rng.random() < 0.8:
            fields.append(_field(rng, "doi", f"10.{1000 + i % 9000}/gen.{seed}.{i}"))
        fields.append(_field(rng, "pages", f"{i % 900 + 1}--{i % 900 + 12}"))
        out.write(f"\n@{kind}{{gen{i},\n" + ",\n".join(fields) + "\n}\n")
    # Anyone the first pass did not reach is not in the file: count only who is.
    return {
        "entries": entries,
        "people": len(seen_authors),
        "editors": len(seen_editors),
        "author_slots": slots,
        "truncated_lists": truncated,
        "pool": len(authors_pool),
    }


def _bisect(cum: list[float], x: float) -> int:
    lo, hi = 0, len(cum)
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=None, help="pool of people (default entries / 2)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--force", action="store_true", help="replace an existing output file")
    args = parser.parse_args(argv)
    if args.out.exists() and not args.force:
        print(f"error: {args.out} exists (pass --force to replace it)", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with open(args.out, "w", encoding="utf-8") as out:
        stats = generate(out, entries=args.entries, people=args.people or max(1, args.entries // 2), seed=args.seed)
    stats.update(out=str(args.out), bytes=args.out.stat().st_size, seconds=round(time.perf_counter() - start, 1))
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
