"""Author-name resolution at a million names (issue: "a million author names resolve in seconds").

    python benchmarks/names.py [--names 1000000] [--per-paper 4] [--seed 0]

Draws ``--names`` author-name occurrences from a pool of about a third as
many people (syllable given names, common family names, so people share
names), and writes 5% of them as variants: hyphenated or not, upper case,
with diacritics, with a middle initial, or as initials. It times

1. the name key of every occurrence (``graphkit.resolve.names.name_key``);
2. ``graphkit.resolve.resolve`` on cards carrying those names, ``--per-paper``
   to a card: authors keyed and merged, papers clustered, authorships built
   and the ambiguity report made by blocking;

and prints both with the counts they produced. Building the input records
is not timed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import FAMILY, _given  # noqa: E402

from graphkit.models import PaperRecord  # noqa: E402
from graphkit.resolve import resolve  # noqa: E402
from graphkit.resolve.names import name_key  # noqa: E402

ACCENTS = str.maketrans("aeiou", "áéíóú")


def variant(name: str, rng: random.Random) -> str:
    given, family = name.rsplit(" ", 1)
    kind = rng.randrange(5)
    if kind == 0:
        return f"{given.replace('-', '')} {family}" if "-" in given else f"{given[:2]}-{given[2:].lower()} {family}"
    if kind == 1:
        return name.upper()
    if kind == 2:
        return f"{given.translate(ACCENTS)} {family}"
    if kind == 3:
        return f"{given} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {family}"
    return f"{given[0]}. {family}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--names", type=int, default=1_000_000)
    parser.add_argument("--per-paper", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    people = [f"{_given(rng)} {rng.choice(FAMILY)}" for _ in range(args.names // 3)]
    names = [rng.choice(people) for _ in range(args.names)]
    names = [variant(n, rng) if rng.random() < 0.05 else n for n in names]
    cards = [
        PaperRecord(owner=None, title=f"Paper {i}", year=2000 + i % 25, authors=tuple(names[s:s + args.per_paper]),
                    source=f"page-{i // 50}.txt", line=1 + 8 * (i % 50))
        for i, s in enumerate(range(0, len(names), args.per_paper))
    ]
    print(f"input            {len(names):,} name occurrences, {len(set(names)):,} distinct spellings, {len(cards):,} cards")

    start = time.perf_counter()
    keys = {name_key(n) for n in names}
    print(f"name keys        {time.perf_counter() - start:6.2f} s   {len(keys):,} distinct keys")

    start = time.perf_counter()
    res = resolve([], cards)
    seconds = time.perf_counter() - start
    stats = res.stats()
    print(f"resolve          {seconds:6.2f} s   {len(res.authors):,} authors, {len(res.papers):,} papers, "
          f"{len(res.authorships):,} authorships, {stats['author_merges']:,} author merges, "
          f"{stats['ambiguous_pairs']:,} ambiguous pairs")


if __name__ == "__main__":
    main()
