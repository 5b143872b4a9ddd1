"""Generate a DBLP-format XML file, up to the full dump's size, for the benchmarks.

    python benchmarks/gen_dblp.py --records 7500000 --out /work/bench-data/dblp-full.xml

writes about 5 GB: ``--records`` publication records (articles, inproceedings,
proceedings, incollections, books, theses) written by ``--authors`` distinct
people (default 0.48 per record: 3.6 million for 7.5 million records), plus a
``www`` person record (``homepages/...``) for ``--www-share`` of the people,
some with a second name (an alias). The file looks like the real dump: an
ISO-8859-1 declaration, ``<!DOCTYPE dblp SYSTEM "dblp.dtd">``, accented names
written as the DTD's entities (``J&uuml;rgen``), others as character
references, homonym numbers (``Wei Wang 0001``) on every person whose name
another person already has, ``orcid`` attributes on about 12% of people, ``ee``
links (doi.org, arxiv.org for CoRR records keyed ``journals/corr/abs-YYMM-NNNNN``),
editors on proceedings, ``crossref``, titles with ``<i>``/``<sub>`` markup.
Authors per paper follow the dump's shape (mostly 1-6, a tail to 500);
papers per person a power law.

Pass ``--dtd /work/shared/data/dblp/dblp.dtd`` to place a copy of the DTD next
to the output (the DBLP reader also resolves the standard entities without it).
A ``.gz`` output is gzipped (slower). The last line printed is a JSON summary
with the true counts (``distinct_authors`` is the number of people who author
at least one paper: what a build should make Author nodes for).

Everything is seeded; the generator writes with plain file writes and keeps
only the people's names in memory (about 0.5 GB for 3.6 million people).
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np

GIVEN = (
    "Wei Yu Jing Hao Lei Xin Jun Ming Yan Li Hui Ying Jian Feng Tao Bo Lin Qiang Anna Maria John David Sara Omar "
    "Priya Ravi Kenji Yuki Hiroshi Takashi Lena Jonas Ana Luis Carlos Dana Elif Farah Goran Hana Ivan Jae Min-Jun "
    "Ji-Woo Zhi-Hong Sheng-Yen Aaron Beth Michael Thomas Peter Paul Andreas Stefan Martin Daniel Christian Markus "
    "Alexander Robert James William Richard Joseph Charles Christopher Matthew Anthony Mark Steven Kevin Brian "
    "Sarah Laura Julia Emma Sophie Marie Elena Olga Irina Natalia Giuseppe Marco Luca Francesco Andrea Pierre "
    "Jean Philippe Nicolas Antoine Rahul Amit Sanjay Vijay Arjun Deepak Mohammed Ahmed Ali Hassan Yusuf Mehmet "
    "Seung Hyun Sung Young Dong Tuan Minh Thanh Kazuo Akira Satoshi Naoki Yoshua Ilya Sergey Dmitry Andrei "
    "Mikhail Pavel Tomasz Piotr Krzysztof Jan Lars Erik Nils Anders Johan Kenton Omer Luke Tim Noah Kyunghyun"
).split() + [
    # Written as the DTD writes them: named entities for Latin-1, character references beyond.
    "Jos&eacute;", "Ren&eacute;", "J&uuml;rgen", "Bj&ouml;rn", "Fran&ccedil;ois", "&Aacute;lvaro", "S&oslash;ren",
    "Se&aacute;n", "Ana&iuml;s", "Jo&atilde;o", "In&ecirc;s", "&Eacute;ric", "G&uuml;nter", "Ma&#322;gorzata",
    "&#321;ukasz", "Ji&#345;&iacute;", "Du&#353;an", "&#350;ebnem", "&#272;or&#273;e", "Ant&oacute;nio",
]
FAMILY = (
    "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Smith Johnson Williams "
    "Brown Jones Garcia Miller Davis Rodriguez Martinez Kim Lee Park Choi Jung Kang Cho Yoon Sato Suzuki Takahashi "
    "Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Singh Kumar Sharma Gupta Patel Shah Reddy Rao Iyer Rossi "
    "Russo Ferrari Esposito Bianchi Romano Silva Santos Oliveira Souza Pereira Costa Novak Horvat Ivanova Petrov "
    "Smirnov Popov Nguyen Tran Le Pham Hoang Cohen Levy Mizrahi Peretz Okafor Mensah Haddad Yilmaz Kaya Demir "
    "Kowalski Nowak Andersen Hansen Nielsen Jensen Larsen Johansson Karlsson Schmidt Schneider Fischer Weber "
    "Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein Wolf Neumann Schwarz Zimmermann Dubois Durand Moreau "
    "Laurent Simon Michel Lefebvre Leroy Roux Zettlemoyer Dettmers Devlin Chang Toutanova Joshi Stoyanov Ott "
    "Goyal Du Lewis Ghazvininejad Mohamed Holtzman Pagnoni Peters Neumann Iyyer Gardner Clark"
).split() + [
    "M&uuml;ller", "Sch&auml;fer", "G&ouml;bel", "Krau&szlig;", "Garc&iacute;a", "Mart&iacute;nez", "L&oacute;pez",
    "G&oacute;mez", "Fern&aacute;ndez", "N&uacute;&ntilde;ez", "Ib&aacute;&ntilde;ez", "Jo&atilde;o", "Gon&ccedil;alves",
    "Bj&ouml;rklund", "&Aring;berg", "L&oslash;vland", "Sj&ouml;str&ouml;m", "Petrovi&#263;", "Kova&#269;evi&#263;",
    "D&#261;browski", "W&#243;jcik", "&#346;wi&#261;tek", "Dvo&#345;&aacute;k", "&Ccedil;elik", "&Ouml;zt&uuml;rk",
    "Yıldız".replace("ı", "&#305;"), "Nguy&#7877;n", "Tr&#7847;n",
]
SYLLABLES = (
    "zhi hao xin yu jun ming wei lei tao fei an na ri ko ta ka mi ra sa le jo ha li mo ve de ro si el ya ke ni "
    "lu ma so ju bo ga pe fa ber ton sen dor ran vik mar lin"
).split()
WORDS = (
    "learning graph neural model language robust efficient sparse attention transformer retrieval reasoning "
    "alignment scaling data synthetic quantized distillation evaluation benchmark agent policy reward causal "
    "contrastive diffusion multilingual dense federated private adaptive hierarchical networks systems "
    "optimization verification protocols databases queries compilers scheduling wireless sensor image video "
    "segmentation detection recognition parsing translation embeddings kernels bounds approximation online"
).split()
JOURNALS = [
    ("tacl", "Trans. Assoc. Comput. Linguistics"), ("jmlr", "J. Mach. Learn. Res."), ("cacm", "Commun. ACM"),
    ("tods", "ACM Trans. Database Syst."), ("pami", "IEEE Trans. Pattern Anal. Mach. Intell."),
    ("ai", "Artif. Intell."), ("tcs", "Theor. Comput. Sci."), ("jacm", "J. ACM"), ("tkde", "IEEE Trans. Knowl. Data Eng."),
    ("access", "IEEE Access"), ("sensors", "Sensors"), ("ijcv", "Int. J. Comput. Vis."),
]
CONFS = ["acl", "emnlp", "naacl", "nips", "icml", "iclr", "cvpr", "iccv", "sigmod", "vldb", "kdd", "www", "aaai",
         "ijcai", "stoc", "focs", "soda", "popl", "pldi", "icse", "chi", "sigir", "cikm", "icde", "infocom"]

# Shape of the dump: kinds of publication record and authors per paper.
KINDS = ["article", "corr", "inproceedings", "incollection", "proceedings", "book", "phdthesis", "mastersthesis"]
KIND_P = [0.345, 0.085, 0.52, 0.02, 0.015, 0.007, 0.007, 0.001]
N_AUTHORS = np.arange(1, 21)
N_AUTHORS_P = np.array([13, 22, 22, 16, 10, 6, 4, 2.5, 1.5, 1.0, 0.5, 0.35, 0.25, 0.2, 0.15, 0.12, 0.1, 0.08, 0.07, 0.06])
N_AUTHORS_P = N_AUTHORS_P / N_AUTHORS_P.sum()
ORCID_SHARE = 0.12
CHUNK = 50_000


def _group(sixteen: str) -> str:
    return "-".join(sixteen[i:i + 4] for i in range(0, 16, 4))


def orcid_for(person: int) -> str:
    """A valid, unique ORCID for a generated person (``0000-0001-...``)."""
    body = f"00000001{person % 10_000_000:07d}"  # 15 digits
    total = 0
    for d in body:
        total = (total + int(d)) * 2
    check = (12 - total % 11) % 11
    return _group(body + ("X" if check == 10 else str(check)))


def _syllable_family(rng: np.random.Generator) -> str:
    parts = rng.choice(SYLLABLES, size=int(rng.integers(2, 4)))
    return "".join(parts).capitalize()


def make_people(n: int, rng: np.random.Generator) -> tuple[list[str], list[str | None]]:
    """Names (DBLP name strings, XML-escaped, homonym numbers added) and ORCIDs of ``n`` people."""
    family_pool = FAMILY + [_syllable_family(rng) for _ in range(4000)]
    given_idx = rng.integers(0, len(GIVEN), size=n)
    family_idx = rng.integers(0, len(family_pool), size=n)
    initials = rng.integers(0, 26 * 3, size=n)  # a middle initial for a third of people
    seen: dict[str, int] = {}
    names: list[str] = []
    for g, f, m in zip(given_idx.tolist(), family_idx.tolist(), initials.tolist()):
        middle = f" {chr(65 + m)}." if m < 26 else ""
        name = f"{GIVEN[g]}{middle} {family_pool[f]}"
        k = seen.get(name, 0)
        seen[name] = k + 1
        # A second person with a name already taken gets DBLP's homonym number.
        names.append(name if k == 0 else f"{name} {k:04d}")
    has_orcid = rng.random(n) < ORCID_SHARE
    orcids = [orcid_for(i) if h else None for i, h in enumerate(has_orcid.tolist())]
    return names, orcids


def _title(rng_words: list[str], markup: int) -> str:
    title = " ".join(rng_words).capitalize()
    if markup == 1:
        title = f"On <i>{rng_words[0]}</i> {' '.join(rng_words[1:])}"
    elif markup == 2:
        title = f"{title} in O(n<sup>2</sup>) &amp; beyond"
    elif markup == 3:
        title = f"{title} for H<sub>2</sub> sensing"
    return title + "."


def generate(out, *, records: int, authors: int, seed: int = 0, www_share: float = 0.25) -> dict:
    """Write the file to the open binary stream ``out``; return the true counts."""
    rng = np.random.default_rng(seed)
    names, orcids = make_people(authors, rng)
    out.write(b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE dblp SYSTEM "dblp.dtd">\n<dblp>\n')
    mean_k = float((N_AUTHORS * N_AUTHORS_P).sum())
    used = 0  # people 0..used-1 have authored something
    counts = dict.fromkeys(KINDS, 0)
    counts["www"] = 0
    slots = 0
    n_orcid_attr = 0
    done = 0
    while done < records:
        n = min(CHUNK, records - done)
        kinds = rng.choice(len(KINDS), size=n, p=KIND_P)
        ks = rng.choice(N_AUTHORS, size=n, p=N_AUTHORS_P)
        # A long tail: a few hundred-author papers.
        big = rng.random(n) < 0.0015
        ks[big] = rng.integers(21, 500, size=int(big.sum()))
        years = rng.integers(1970, 2026, size=n)
        words = rng.integers(0, len(WORDS), size=(n, 12))
        nwords = rng.integers(4, 13, size=n)
        markup = rng.choice(4, size=n, p=[0.97, 0.01, 0.01, 0.01])
        venue = rng.integers(0, 1_000_000, size=n)
        uniform = rng.random(int(ks.sum()) + 1024)
        newp = rng.random(int(ks.sum()) + 1024)
        ui = 0
        remaining_slots = max((records - done) * mean_k, 1.0)
        p_new = min(1.0, (authors - used) / remaining_slots)
        parts: list[str] = []
        first_new = used
        for i in range(n):
            kind = KINDS[kinds[i]]
            rec = done + i
            year = int(years[i])
            title = _title([WORDS[w] for w in words[i, : nwords[i]]], int(markup[i]))
            v = int(venue[i])
            people: list[int] = []
            if kind != "proceedings":
                k = 1 if kind in ("phdthesis", "mastersthesis") else int(ks[i])
                chosen: set[int] = set()
                for _ in range(k):
                    u, r = uniform[ui % len(uniform)], newp[ui % len(newp)]
                    ui += 1
                    person = -1
                    if used and not (r < p_new and used < authors):
                        # Earlier people are more prolific (a power law of papers per person).
                        person = int(used * u**1.5)
                        if person in chosen:
                            person = (person + 1 + ui) % used
                    if person < 0 or person in chosen:
                        if used >= authors:
                            continue  # everyone exists and this draw repeated a co-author: one author fewer
                        person = used
                        used += 1
                    chosen.add(person)
                    people.append(person)
            slots += len(people)
            author_xml = []
            for p in people:
                o = orcids[p]
                if o:
                    n_orcid_attr += 1
                    author_xml.append(f'<author orcid="{o}">{names[p]}</author>\n')
                else:
                    author_xml.append(f"<author>{names[p]}</author>\n")
            authors_s = "".join(author_xml)
            mdate = f"{2015 + v % 10}-{1 + v % 12:02d}-{1 + v % 28:02d}"
            counts[kind] += 1
            if kind == "article":
                code, journal = JOURNALS[v % len(JOURNALS)]
                key = f"journals/{code}/R{rec}"
                parts.append(
                    f'<article mdate="{mdate}" key="{key}">\n{authors_s}<title>{title}</title>\n'
                    f"<pages>{v % 900 + 1}-{v % 900 + 12}</pages>\n<year>{year}</year>\n"
                    f"<volume>{year - 1965}</volume>\n<number>{v % 12 + 1}</number>\n<journal>{journal}</journal>\n"
                    f"<ee>https://doi.org/10.{1000 + v % 9000}/{code}.{year}.{rec}</ee>\n"
                    f"<url>db/journals/{code}/{code}{year - 1965}.html#R{rec}</url>\n</article>\n"
                )
            elif kind == "corr":
                yymm = f"{year % 100:02d}{v % 12 + 1:02d}" if year >= 2007 else f"{(2007 + v % 18) % 100:02d}{v % 12 + 1:02d}"
                num = f"{rec % 100000:05d}"
                key = f"journals/corr/abs-{yymm}-{num}"
                parts.append(
                    f'<article mdate="{mdate}" key="{key}" publtype="informal">\n{authors_s}<title>{title}</title>\n'
                    f"<year>{2000 + int(yymm[:2])}</year>\n<volume>abs/{yymm}.{num}</volume>\n<journal>CoRR</journal>\n"
                    f"<ee type=\"oa\">https://arxiv.org/abs/{yymm}.{num}</ee>\n"
                    f"<url>db/journals/corr/corr{yymm}.html#abs-{yymm}-{num}</url>\n</article>\n"
                )
            elif kind == "inproceedings":
                conf = CONFS[v % len(CONFS)]
                key = f"conf/{conf}/P{rec}"
                ee = f"<ee>https://doi.org/10.{1000 + v % 9000}/{conf}.{year}.{rec}</ee>\n" if v % 5 else ""
                if v % 7 == 0:
                    ee += f"<ee>https://openreview.net/forum?id=X{rec}</ee>\n"
                parts.append(
                    f'<inproceedings mdate="{mdate}" key="{key}">\n{authors_s}<title>{title}</title>\n'
                    f"<pages>{v % 900 + 1}-{v % 900 + 10}</pages>\n<year>{year}</year>\n"
                    f"<booktitle>{conf.upper()}</booktitle>\n{ee}<crossref>conf/{conf}/{year}</crossref>\n"
                    f"<url>db/conf/{conf}/{conf}{year}.html#P{rec}</url>\n</inproceedings>\n"
                )
            elif kind == "incollection":
                key = f"reference/ref/C{rec}"
                parts.append(
                    f'<incollection mdate="{mdate}" key="{key}" publtype="encyclopedia">\n{authors_s}'
                    f"<title>{title}</title>\n<pages>{v % 900 + 1}</pages>\n<year>{year}</year>\n"
                    f"<booktitle>Encyclopedia of Things</booktitle>\n"
                    f"<ee>https://doi.org/10.1007/978-3-{v % 1000:03d}-{rec}</ee>\n"
                    f"<url>db/reference/ref/ref{year}.html#C{rec}</url>\n</incollection>\n"
                )
            elif kind == "proceedings":
                conf = CONFS[v % len(CONFS)]
                eds = "".join(f"<editor>{names[int(used * x) if used else 0]}</editor>\n" for x in (0.1, 0.5, 0.9))
                parts.append(
                    f'<proceedings mdate="{mdate}" key="conf/{conf}/{year}-{rec}">\n{eds}'
                    f"<title>Proceedings of {conf.upper()} {year}</title>\n<booktitle>{conf.upper()}</booktitle>\n"
                    f"<publisher>ACM</publisher>\n<year>{year}</year>\n<isbn>978-1-{rec % 100000:05d}-000-0</isbn>\n"
                    f"<url>db/conf/{conf}/{conf}{year}.html</url>\n</proceedings>\n"
                )
            elif kind == "book":
                parts.append(
                    f'<book mdate="{mdate}" key="books/sp/B{rec}">\n{authors_s}<title>{title}</title>\n'
                    f"<publisher>Springer</publisher>\n<year>{year}</year>\n<isbn>978-3-{rec % 100000:05d}-1</isbn>\n"
                    f"<ee>https://doi.org/10.1007/978-3-{rec}</ee>\n</book>\n"
                )
            else:
                school = "University of Washington" if v % 2 else "Universit&auml;t Stuttgart"
                parts.append(
                    f'<{kind} mdate="{mdate}" key="phd/T{rec}">\n{authors_s}<title>{title}</title>\n'
                    f"<school>{school}</school>\n<year>{year}</year>\n</{kind}>\n"
                )
        # Person records for some of the people this chunk introduced, as the dump interleaves them.
        fresh = np.arange(first_new, used)
        pick = fresh[rng.random(len(fresh)) < www_share]
        for p in pick.tolist():
            name = names[p]
            alias = ""
            if p % 7 == 0:  # an alias: the name with the middle initial spelt differently, or initial only
                given, _, rest = name.partition(" ")
                first = html.unescape(given)[0]
                initial = first if first.isascii() else f"&#{ord(first)};"
                alias = f"<author>{initial}. {rest}</author>\n"
            orcid = f'<url>https://orcid.org/{orcids[p]}</url>\n' if orcids[p] else ""
            parts.append(
                f'<www mdate="2024-01-01" key="homepages/{p % 997}/{p}">\n<author>{name}</author>\n{alias}'
                f"<title>Home Page</title>\n<url>https://example.org/~p{p}</url>\n{orcid}</www>\n"
            )
            counts["www"] += 1
        out.write("".join(parts).encode("ascii"))
        done += n
    out.write(b"</dblp>\n")
    papers = records - counts["proceedings"]
    return {
        "records": records + counts["www"],
        "publication_records": records,
        "papers": papers,
        "kinds": counts,
        "distinct_authors": used,
        "author_slots": slots,
        "orcid_attributes": n_orcid_attr,
        "people_generated": authors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=7_500_000, help="publication records (www records extra)")
    parser.add_argument("--authors", type=int, default=None, help="distinct people (default 0.48 x records)")
    parser.add_argument("--out", type=Path, required=True, help="output file (.xml or .xml.gz)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--www-share", type=float, default=0.25, help="share of people with a www person record")
    parser.add_argument("--dtd", type=Path, default=None, help="copy this dblp.dtd next to the output")
    parser.add_argument("--force", action="store_true", help="replace an existing output file")
    args = parser.parse_args(argv)
    if args.records < 1:
        parser.error("--records must be at least 1")
    authors = args.authors or max(1, round(args.records * 0.48))
    if args.out.exists() and not args.force:
        print(f"error: {args.out} exists (pass --force to replace it)", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    opener = gzip.open if args.out.suffix == ".gz" else open
    with opener(args.out, "wb") as out:
        stats = generate(out, records=args.records, authors=authors, seed=args.seed, www_share=args.www_share)
    if args.dtd is not None:
        target = args.out.parent / "dblp.dtd"
        if not target.exists():
            shutil.copyfile(args.dtd, target)
    stats.update(
        out=str(args.out), bytes=args.out.stat().st_size, seconds=round(time.perf_counter() - start, 1), seed=args.seed
    )
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
