"""Synthetic corpora for the benchmarks: profile pages of both layouts.

Papers per author follow a power law, papers have 1-20 authors, and names are
drawn from a limited pool of given and family names so that different people
share names, as in real bibliographies. Everything is seeded.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from graphkit.extract.profile import format_by_year_page, format_listing_page
from graphkit.models import PaperRecord, Profile

GIVEN = [
    "Wei", "Yu", "Jing", "Hao", "Lei", "Xin", "Jun", "Ming", "Anna", "Maria", "John", "David", "Sara", "Omar",
    "Priya", "Ravi", "Kenji", "Yuki", "Lena", "Jonas", "Ana", "Luis", "Chen", "Tao", "Fei", "Min-Jun", "Ji-Woo",
    "Zhi-Hong", "Sheng-Yen", "Aaron", "Beth", "Carlos", "Dana", "Elif", "Farah", "Goran", "Hana", "Ivan", "Jae",
]
FAMILY = [
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Smith", "Garcia", "Müller",
    "Kim", "Park", "Sato", "Suzuki", "Singh", "Kumar", "Rossi", "Silva", "Novak", "Ivanova", "Nguyen", "Tran",
    "Cohen", "Levy", "Brown", "Davis", "Okafor", "Mensah", "Haddad", "Yilmaz", "Kowalski", "Andersen",
]
WORDS = (
    "learning graph neural model language robust efficient sparse attention transformer retrieval reasoning "
    "alignment scaling data synthetic quantized distillation evaluation benchmark agent policy reward causal "
    "contrastive diffusion multilingual dense federated private adaptive hierarchical"
).split()
CATEGORIES = ["CL", "LG", "AI", "CV", "IR", "SE", "ST"]
SLUGS = ["cmu", "uw", "pku", "princeton", "berkeley", "meta-ai", "allen-ai", "openai", "tsinghua", "mit"]


SYLLABLES = (
    "zhi hao xin yu jun ming wei lei tao fei an na ri ko ta ka mi ra sa le jo ha li mo ve de ro si el ya "
    "ke ni lu ma so ju bo ga pe fa"
).split()


def _given(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(GIVEN)
    parts = [rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))]
    name = "".join(parts)
    if rng.random() < 0.1:  # some people hyphenate: Zhi-Hong
        name = parts[0] + "-" + "".join(parts[1:])
    return name.capitalize() if "-" not in name else "-".join(p.capitalize() for p in name.split("-"))


def _people(rng: random.Random, n: int) -> list[str]:
    # About n distinct people over a finite name space: some share a name, as in real data.
    return [f"{_given(rng)} {rng.choice(FAMILY)}" for _ in range(n)]


def synthetic_pages(n_papers: int, *, seed: int = 0, by_year_share: float = 0.2) -> Iterator[tuple[str, str]]:
    """Yield ``(file name, page text)`` pairs holding about ``n_papers`` cards in all."""
    rng = random.Random(seed)
    n_people = max(10, n_papers // 2)
    people = _people(rng, n_people)
    papers_left = n_papers
    page = 0
    while papers_left > 0:
        owner = people[rng.randrange(n_people)]
        k = min(papers_left, max(1, int(rng.paretovariate(1.3))), 200)
        papers_left -= k
        layout = "by-year" if rng.random() < by_year_share else "listing"
        records = []
        for _ in range(k):
            date = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9400))
            n_authors = min(20, 1 + int(2 * rng.paretovariate(1.5)))
            authors = rng.sample(people, min(n_authors, 3))
            if owner not in authors and rng.random() < 0.3:
                authors[rng.randrange(len(authors))] = owner
            title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))).capitalize()
            abstract = (
                f"We propose {title.split()[0].capitalize()}Net, a method for {' '.join(rng.choice(WORDS) for _ in range(12))}. "
                + " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 160)))
                + "."
            )
            records.append(
                PaperRecord(
                    owner=owner, title=title, date=date, year=date.year, category=rng.choice(CATEGORIES),
                    score=round(rng.uniform(10, 99), 1) if rng.random() < 0.1 else None, has_code=rng.random() < 0.3,
                    abstract=abstract, authors=tuple(authors), authors_truncated=n_authors > 3,
                    institutions=tuple(rng.sample(SLUGS, rng.randint(0, 2))), source="synthetic", line=0,
                )
            )
        profile = Profile(name=owner, primary_category=rng.choice(CATEGORIES), h_index=rng.randint(1, 80),
                          paper_count=k, citations=rng.randint(0, 50000), layout=layout, source="synthetic")
        text = format_by_year_page(profile, records) if layout == "by-year" else format_listing_page(profile, records)
        yield f"page-{page:07d}.txt", text
        page += 1


def write_corpus(directory: Path, n_papers: int, *, seed: int = 0) -> tuple[int, int]:
    """Write a synthetic corpus; returns (pages, bytes)."""
    directory.mkdir(parents=True, exist_ok=True)
    pages = size = 0
    for name, text in synthetic_pages(n_papers, seed=seed):
        data = text.encode("utf-8")
        (directory / name).write_bytes(data)
        pages += 1
        size += len(data)
    return pages, size
