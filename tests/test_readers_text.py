"""Readers for the text formats: BibTeX, RIS, CSL-JSON, Scopus CSV, Web of Science; LaTeX and names.

Expectations are read off the fixture files (tests/fixtures/<format>/, real
bibliographic facts), the examples and the ACL Anthology sample in
../shared, never computed by the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.keys import name_key, source_id
from graphkit.models import PaperRecord, Problem
from graphkit.readers import bibtex, csljson, ris, scopus, wos
from graphkit.readers._latex import decode_latex
from graphkit.readers._names import split_and, split_name
from tests.conftest import ROOT, shared_path

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = ROOT / "examples"
READERS = (bibtex, ris, csljson, scopus, wos)


def _split(items):
    items = list(items)
    return [i for i in items if isinstance(i, PaperRecord)], [i for i in items if isinstance(i, Problem)]


def _people(record):
    return [(a.name, a.given, a.family, a.position) for a in record.authors]


# --- LaTeX and names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{\"u}ber", "über"),
        (r"\'{\i}", "í"),
        (r"Garc\'\i a", "García"),
        (r"{\O}ion", "Øion"),
        (r"Petrovi{\'c} and {\O}ion", "Petrović and Øion"),
        (r"\v{S}\v{c}ukanec", "Ščukanec"),
        (r"\c{C}a\u{g}r{\i}", "Çağrı"),
        (r"Ku{\v{c}}era", "Kučera"),
        (r"{\.I}lhan", "İlhan"),
        (r"Ant{\^o}nio", "Antônio"),
        (r"Jo{\~a}o", "João"),
        (r"Erd\H{o}s", "Erdős"),
        (r"{\ss}", "ß"),
        (r"\AA{}ngstr\"om", "Ångström"),
        (r"Zhifeng~Chen", "Zhifeng Chen"),
        ("1--10", "1–10"),
        ("a---b", "a—b"),
        (r"AT\&T \% \$5 \#1 a\_b", "AT&T % $5 #1 a_b"),
        (r"{BERT}: {P}re-training", "BERT: Pre-training"),
        (r"\emph{Deep} \textbf{nets}", "Deep nets"),
        (r"$\alpha$-divergence", "α-divergence"),
        ("``quoted''", "“quoted”"),
        (r"d\textquotesingle Alch\'{e}-Buc", "d'Alché-Buc"),
        ("  spread \n over\tlines ", "spread over lines"),
        (r"\unknowncommand and \LaTeX", "unknowncommand and LaTeX"),
        (r"St{'{e}}fan", "Stéfan"),
        (r"unbalanced {brace and \ stray\\", "unbalanced brace and stray"),
    ],
)
def test_decode_latex(latex, text):
    assert decode_latex(latex) == text


@pytest.mark.parametrize(
    ("raw", "name", "given", "family"),
    [
        ("Lee, Kenton", "Kenton Lee", "Kenton", "Lee"),
        ("Kenton Lee", "Kenton Lee", "Kenton", "Lee"),
        ("Zettlemoyer, L. S.", "L. S. Zettlemoyer", "L. S.", "Zettlemoyer"),
        ("J. R. R. Tolkien", "J. R. R. Tolkien", "J. R. R.", "Tolkien"),
        ("van Merri{\\\"e}nboer, Bart", "Bart van Merriënboer", "Bart", "van Merriënboer"),
        ("Bart van Merriënboer", "Bart van Merriënboer", "Bart", "van Merriënboer"),
        ("Jean de la Fontaine", "Jean de la Fontaine", "Jean", "de la Fontaine"),
        ("de la Fontaine, Jean", "Jean de la Fontaine", "Jean", "de la Fontaine"),
        ("Steele, Jr., Guy L.", "Guy L. Steele Jr.", "Guy L.", "Steele"),
        ("von Neumann, Jr., John", "John von Neumann Jr.", "John", "von Neumann"),
        ("{World Health Organization}", "World Health Organization", None, "World Health Organization"),
        ("{van der Walt}, St{\\'e}fan J.", "Stéfan J. van der Walt", "Stéfan J.", "van der Walt"),
        ("C. E. {Shannon}", "C. E. Shannon", "C. E.", "Shannon"),
        ("Hajic jr., Jan", "Jan Hajic jr.", "Jan", "Hajic"),  # the suffix is no part of the family name,
        ("{\\O}ion, Mikkel", "Mikkel Øion", "Mikkel", "Øion"),
        ("\\c{C}\\\"{o}ltekin, \\c{C}a\\u{g}r{\\i}", "Çağrı Çöltekin", "Çağrı", "Çöltekin"),
        ("Zhifeng~Chen", "Zhifeng Chen", "Zhifeng", "Chen"),
        ("Jo\\~{a}o van~Miller", "João van Miller", "João", "van Miller"),  # \~ is an accent, ~ a tie
        ("N\\'{u}\\~{n}ez, Erik V.", "Erik V. Núñez", "Erik V.", "Núñez"),
        ("Aristotle", "Aristotle", None, "Aristotle"),
        ("Ludwig van Beethoven", "Ludwig van Beethoven", "Ludwig", "van Beethoven"),
        ("{\\'E}mile Durkheim", "Émile Durkheim", "Émile", "Durkheim"),
    ],
)
def test_split_name(raw, name, given, family):
    assert tuple(split_name(raw)) == (name, given, family)


def test_split_name_of_nothing_is_empty():
    assert split_name("  ").name == "" and split_name(", ").name == ""


def test_split_and_respects_braces_and_case():
    assert split_and("A, B and {C and D} AND E F\n and others") == ["A, B", "{C and D}", "E F", "others"]
    assert split_and("Anderson, Sandra and Andrews, Kim") == ["Anderson, Sandra", "Andrews, Kim"]


def test_one_person_written_four_ways_gives_one_name():
    # litstudy made up to 7 nodes of one person: the forms must agree exactly
    forms = ["Chen, Zhifeng", "Zhifeng Chen", "Zhifeng~Chen", "{Chen}, Zhifeng"]
    assert {split_name(f).name for f in forms} == {"Zhifeng Chen"}


# --- BibTeX ------------------------------------------------------------------------------------


def test_bibtex_fixture_records_exactly():
    records, problems = _split(bibtex.read_bibtex(FIXTURES / "bibtex" / "forms.bib"))
    by_line = {r.line: r for r in records}
    assert sorted(by_line) == [8, 17, 38, 46, 54, 62, 71, 88, 110]

    lstm = by_line[8]
    assert lstm.title == "Long Short-Term Memory"
    assert lstm.venue == "Neural Computation"  # from the @string macro
    assert lstm.ids == ("doi:10.1162/neco.1997.9.8.1735",)
    assert (lstm.year, lstm.kind, lstm.source_format) == (1997, "article", "bibtex")
    assert _people(lstm) == [("Sepp Hochreiter", "Sepp", "Hochreiter", 0), ("Jürgen Schmidhuber", "Jürgen", "Schmidhuber", 1)]

    cho = by_line[17]
    assert cho.title == "Learning Phrase Representations using RNN Encoder–Decoder for Statistical Machine Translation"
    assert cho.ids == ("doi:10.3115/v1/d14-1179", "arxiv:1406.1078")
    assert cho.venue == "Proceedings of the 2014 Conference on Empirical Methods in Natural Language Processing (EMNLP)"
    assert cho.author_names == (
        "Kyunghyun Cho", "Bart van Merriënboer", "Çağlar Gülçehre", "Dzmitry Bahdanau",
        "Fethi Bougares", "Holger Schwenk", "Yoshua Bengio",
    )  # fmt: skip
    assert cho.authors[1].family == "van Merriënboer"
    assert "Alessandro Moschitti" not in cho.author_names  # editors never authors

    vaswani = by_line[38]
    assert vaswani.author_names == ("Ashish Vaswani", "Noam Shazeer") and vaswani.authors_truncated
    assert vaswani.ids == ("arxiv:1706.03762", "dblp:conf/nips/VaswaniSPUJGKP17")

    steele = by_line[46]
    assert _people(steele) == [("Guy L. Steele Jr.", "Guy L.", "Steele", 0)]
    assert (steele.title, steele.kind, steele.year) == ("Common Lisp: The Language", "book", 1990)

    osc = by_line[54]  # @article( ... ) with a braced corporate author and a DOI URL
    assert osc.author_names == ("Open Science Collaboration",)
    assert osc.ids == ("doi:10.1126/science.aac4716",)

    marquez = by_line[62]  # an indented entry
    assert marquez.author_names[:2] == ("Lluís Màrquez", "Xavier Carreras")

    bert = by_line[71]  # crossref: year and booktitle from the proceedings, its editors not authors
    assert bert.year == 2019 and bert.kind == "inproceedings"
    assert bert.venue == (
        "Proceedings of the 2019 Conference of the North American Chapter of the "
        "Association for Computational Linguistics: Human Language Technologies"
    )
    assert bert.author_names == ("Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova")

    emnlp = by_line[88]  # a proceedings nothing cites: a book with editors and no authors
    assert emnlp.authors == () and emnlp.kind == "book"

    thesis = by_line[110]
    assert (thesis.kind, thesis.venue) == ("thesis", "University of Washington")

    assert [(p.line, p.message) for p in problems] == [
        (95, "duplicate key hochreiter1997long (first at line 8); keeping the first"),
        (100, "cannot parse '@article{broken-entry': Expected comma after entry key, but found ="),
        (104, "entry untitled-entry: undefined macro springer"),
        (104, "entry untitled-entry has no title"),
    ]
    assert all(p.source.endswith("forms.bib") for p in problems)
    # no record for the naacl-2019 proceedings: it only lends its fields to BERT
    assert not any(r.title.startswith("Proceedings of the 2019") for r in records)


def test_bibtex_anthology_sample():
    path = shared_path("data", "bibtex", "anthology-sample.bib")
    records, problems = _split(bibtex.read_bibtex(path))
    # 233 entries in the file, 5 of them reuse a key
    assert len(records) == 228
    assert [(p.line, p.message.split(" (")[0]) for p in problems] == [
        (1350, "duplicate key isozaki-etal-2010-autoeval"),
        (1367, "duplicate key dreyer-marcu-2012-hyter"),
        (1436, "duplicate key clssts-2020"),
        (1763, "duplicate key 2020SciPy-NMeth"),
        (2702, "duplicate key cho2014GRU"),
    ]
    by_line = {r.line: r for r in records}
    first = by_line[2]
    assert first.title == "Finding the Optimal Vocabulary Size for Neural Machine Translation"
    assert first.author_names == ("Thamme Gowda", "Jonathan May")
    assert first.ids == ("doi:10.18653/v1/2020.findings-emnlp.352",)
    assert first.venue == "Findings of the Association for Computational Linguistics: EMNLP 2020"

    multinli = by_line[266]  # "and" at line starts, a title and booktitle over several lines
    assert multinli.title == "A Broad-Coverage Challenge Corpus for Sentence Understanding through Inference"
    assert multinli.author_names == ("Adina Williams", "Nikita Nangia", "Samuel Bowman")

    shannon = by_line[973]
    assert shannon.author_names == ("C. E. Shannon",) and shannon.year == 1948
    assert shannon.ids == ("doi:10.1002/j.1538-7305.1948.tb01338.x",)

    numpy = by_line[2616]  # "@Article{         key", St{'{e}}fan written without its backslash
    assert len(numpy.authors) == 26
    assert numpy.authors[2].name == "Stéfan J. van der Walt" and numpy.authors[2].family == "van der Walt"
    assert numpy.authors[16].name == "Jaime Fernández del Río"
    assert numpy.authors[19].name == "Pierre Gérard-Marchant"

    scipy = by_line[1032]
    assert scipy.title == "SciPy 1.0: Fundamental Algorithms for Scientific Computing in Python"
    assert scipy.author_names[20] == "İlhan Polat" and scipy.author_names[-1] == "SciPy 1.0 Contributors"
    assert len(scipy.authors) == 35

    conll = by_line[643]
    assert "Jan Hajic jr." in conll.author_names and "Çağrı Çöltekin" in conll.author_names
    assert "Valeria dePaiva" in conll.author_names and "Marie-Catherine de Marneffe" in conll.author_names

    assert by_line[297].kind == "report" and by_line[78].kind == "chapter"
    clssts = by_line[1334]  # editors only: no authors, and never an author named Elizabeth
    assert clssts.authors == ()
    assert not any(a.name in ("others", "Others") for r in records for a in r.authors)


@pytest.mark.parametrize(
    ("entry", "ids", "kind"),
    [
        # Google Scholar
        (b"@article{devlin2018bert, title={Bert: Pre-training of deep bidirectional transformers for language understanding},"
         b" author={Devlin, Jacob and Chang, Ming-Wei and Lee, Kenton and Toutanova, Kristina},"
         b" journal={arXiv preprint arXiv:1810.04805}, year={2018}}", ("arxiv:1810.04805",), "preprint"),
        # Semantic Scholar / DBLP: a CoRR volume
        (b"@Article{Devlin2019BERTPO, author = {Jacob Devlin and Ming-Wei Chang and Kenton Lee and Kristina Toutanova},"
         b" journal = {ArXiv}, title = {BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding},"
         b" volume = {abs/1810.04805}, year = {2019}}", ("arxiv:1810.04805",), "preprint"),
        # Mendeley: arxivId; Zotero: arXiv's DataCite DOI
        (b"@misc{Dettmers2023, title = {{QLoRA}: Efficient Finetuning of Quantized {LLMs}}, author = {Dettmers, Tim and Pagnoni,"
         b" Artidoro and Holtzman, Ari and Zettlemoyer, Luke}, arxivId = {2305.14314}, year = {2023}}", ("arxiv:2305.14314",), "preprint"),
        (b"@misc{dettmers_qlora_2023, title = {{QLoRA}: Efficient Finetuning of Quantized {LLMs}}, doi = {10.48550/arXiv.2305.14314},"
         b" url = {http://arxiv.org/abs/2305.14314}, author = {Dettmers, Tim}, year = {2023}}",
         ("doi:10.48550/arxiv.2305.14314", "arxiv:2305.14314"), "preprint"),
        # ACM Digital Library: a DOI as the key, bookTitle in camel case
        (b"@inproceedings{10.1145/2939672.2939754, author = {Grover, Aditya and Leskovec, Jure}, title = {node2vec: Scalable"
         b" Feature Learning for Networks}, year = {2016}, url = {https://doi.org/10.1145/2939672.2939754},"
         b" doi = {10.1145/2939672.2939754}, bookTitle = {Proceedings of the 22nd ACM SIGKDD International Conference on"
         b" Knowledge Discovery and Data Mining}}", ("doi:10.1145/2939672.2939754",), "inproceedings"),
    ],
)
def test_bibtex_exporter_variants(entry, ids, kind):
    [record] = bibtex.parse_bibtex(io.BytesIO(entry), "x.bib")
    assert (record.ids, record.kind) == (ids, kind)
    assert record.authors and all(a.family and a.given for a in record.authors)


def test_bibtex_dblp_homonym_number_is_an_id():
    text = b"@inproceedings{k, title = {T}, author = {Wei Wang 0001 and Kenton Lee}, year = 2020}"
    [record] = bibtex.parse_bibtex(io.BytesIO(text), "x.bib")
    assert [(a.name, a.family, a.ids) for a in record.authors] == [("Wei Wang", "Wang", ("dblp:Wei Wang 0001",)), ("Kenton Lee", "Lee", ())]


def test_bibtex_latin1_file_is_read_as_windows_1252_and_reported():
    text = b"@article{a,\n title = {Caf\xe9},\n author = {Lee, Kenton}}\n"
    records, problems = _split(bibtex.parse_bibtex(io.BytesIO(text), "l.bib"))
    assert [str(p) for p in problems] == ["l.bib:2: not UTF-8: read as Windows-1252 (cp1252), the encoding Excel and older tools write"]
    assert records[0].title == "Caf\u00e9" and records[0].author_names == ("Kenton Lee",)


def test_bibtex_stray_bytes_in_utf8_are_reported_and_replaced():
    text = "@article{a,\n title = {Caf\u00e9 \u00e0 la},\n author = {Lee, Kenton}}\n".encode() + b"% \xe9\n"
    records, problems = _split(bibtex.parse_bibtex(io.BytesIO(text), "l.bib"))
    assert [str(p) for p in problems] == ["l.bib:4: bytes that are not UTF-8 replaced (first at byte 63)"]
    assert records[0].title == "Caf\u00e9 \u00e0 la" and records[0].author_names == ("Kenton Lee",)


def test_bibtex_reads_the_encoding_jabref_declares():
    text = "% Encoding: windows-1252\n@article{s, title = {Caf\u00e9}, author = {Schmidhuber, J\u00fcrgen}}\n".encode("cp1252")
    records, problems = _split(bibtex.parse_bibtex(io.BytesIO(text), "j.bib"))
    assert problems == [] and (records[0].title, records[0].author_names) == ("Caf\u00e9", ("J\u00fcrgen Schmidhuber",))


def test_bibtex_reads_gzip(tmp_path):
    source = (FIXTURES / "bibtex" / "forms.bib").read_bytes()
    path = tmp_path / "forms.bib.gz"
    path.write_bytes(gzip.compress(source))
    plain = [r.title for r in bibtex.read_bibtex(FIXTURES / "bibtex" / "forms.bib") if isinstance(r, PaperRecord)]
    assert [r.title for r in bibtex.read_bibtex(path) if isinstance(r, PaperRecord)] == plain


# --- RIS ---------------------------------------------------------------------------------------


def test_ris_fixture_records_exactly():
    records, problems = _split(ris.read_ris(FIXTURES / "ris" / "mixed.ris"))
    assert [r.line for r in records] == [1, 16, 40, 58]
    lstm, cho, steele, cifar = records
    assert lstm.title == "Long Short-Term Memory" and lstm.venue == "Neural Computation"
    assert lstm.ids == ("doi:10.1162/neco.1997.9.8.1735",)
    assert (lstm.year, lstm.date, lstm.kind) == (1997, dt.date(1997, 11, 15), "article")
    assert lstm.author_names == ("Sepp Hochreiter", "Jürgen Schmidhuber")  # the BOM did not stick to TY
    assert [(i.name, i.country) for i in lstm.institutions] == [
        ("Fakultät für Informatik, Technische Universität München, 80290 München, Germany", "DE"),
        ("IDSIA, Corso Elvezia 36, 6900 Lugano, Switzerland", "CH"),
    ]
    # T1 over two lines; A1 authors; A2 editors left out; ids from both UR lines
    assert cho.title == "Learning Phrase Representations using RNN Encoder-Decoder for Statistical Machine Translation"
    assert cho.author_names[2] == "Çağlar Gülçehre" and len(cho.authors) == 7
    assert not {"Alessandro Moschitti", "Bo Pang", "Walter Daelemans"} & set(cho.author_names)
    assert cho.ids == ("arxiv:1406.1078",) and cho.urls == ("https://aclanthology.org/D14-1179", "https://arxiv.org/abs/1406.1078")
    assert (cho.year, cho.date, cho.kind) == (2014, None, "inproceedings")
    assert _people(steele) == [("Guy L. Steele Jr.", "Guy L.", "Steele", 0)]  # RIS order: Last, First, Suffix
    assert (cifar.kind, cifar.year) == ("report", 2009)
    assert [(p.line, p.message) for p in problems] == [
        (48, "line outside a record (no TY before it): 'AU  - Levy, Omer'"),
        (49, "record has no title (TI or T1)"),
        (58, "record has no ER line at the end of the file; read up to there"),
    ]


def test_ris_from_web_of_science_keeps_its_accession_number():
    text = b"TY  - JOUR\nAU  - Levy, Omer\nTI  - T\nAN  - WOS:000000000000003\nER  - \n"
    [record] = ris.parse_ris(io.BytesIO(text), "w.ris")
    assert record.ids == ("wos:000000000000003",)


def test_ris_tag_spacing_variants():
    text = b"TY  - JOUR\nTI  - Spaced\nAU - Levy, Omer\nER  -\n\nTY  - JOUR\r\nTI  - Second\r\nER  - \r\n"
    records, problems = _split(ris.parse_ris(io.BytesIO(text), "s.ris"))
    assert [r.title for r in records] == ["Spaced", "Second"] and problems == []
    assert records[0].author_names == ("Omer Levy",)


# --- CSL-JSON ----------------------------------------------------------------------------------


def test_csljson_fixture_records_exactly():
    records, problems = _split(csljson.read_csljson(FIXTURES / "csl-json" / "zotero.json"))
    assert [r.record for r in records] == [1, 2, 3, 6]
    cho, steele, osc, roberta = records
    assert cho.title == "Learning Phrase Representations using RNN Encoder–Decoder for Statistical Machine Translation"
    assert _people(cho)[1] == ("Bart van Merriënboer", "Bart", "van Merriënboer", 1)
    assert len(cho.authors) == 7 and "Alessandro Moschitti" not in cho.author_names
    assert (cho.year, cho.date, cho.kind, cho.ids) == (2014, None, "inproceedings", ("doi:10.3115/v1/d14-1179",))
    assert _people(steele) == [("Guy L. Steele Jr.", "Guy L.", "Steele", 0)] and steele.year == 1990
    assert osc.author_names == ("Open Science Collaboration",) and osc.venue == "Science"
    assert (osc.date, osc.ids) == (dt.date(2015, 8, 28), ("doi:10.1126/science.aac4716",))
    assert (roberta.kind, roberta.ids) == ("preprint", ("arxiv:1907.11692",))
    assert roberta.author_names[6] == "Omer Levy"
    assert [str(p) for p in problems] == [
        f"{FIXTURES / 'csl-json' / 'zotero.json'}:48: item no-title has no title",
        f"{FIXTURES / 'csl-json' / 'zotero.json'}:53: item is a JSON str, not an object",
    ]


def test_csljson_event_title_is_the_venue_when_no_container():
    item = b'[{"type": "paper-conference", "title": "T", "event-title": "NAACL-HLT 2019"}]'
    [record] = csljson.parse_csljson(io.BytesIO(item), "e.json")
    assert (record.venue, record.kind) == ("NAACL-HLT 2019", "inproceedings")


def test_csljson_single_object_and_orcid():
    item = {"type": "article-journal", "title": "T", "author": [{"family": "Carberry", "given": "Josiah", "ORCID": "https://orcid.org/0000-0002-1825-0097"}]}
    [record] = csljson.parse_csljson(io.BytesIO(json.dumps(item).encode()), "one.json")
    assert record.authors[0].ids == ("orcid:0000-0002-1825-0097",)


def test_csljson_bad_json_is_one_problem_with_its_line():
    [problem] = csljson.parse_csljson(io.BytesIO(b'[\n{"title": "a",\n "type": }\n]'), "bad.json")
    assert problem.line == 3 and problem.message.startswith("not valid JSON")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'[{"id": "x", "type": "paper-conference", "title": "T"}]', True),
        (b'\xef\xbb\xbf[\n  {"type": "book", "author": [{"literal": "WHO"}]}', True),
        (b'{"id": "https://openalex.org/W2963403868", "type": "article", "title": "BERT"}', False),
        (b'{"meta": {"count": 1}, "results": [{"id": "https://openalex.org/W1", "type": "article"}]}', False),
        (b'{"id": "0704.0001", "submitter": "P", "authors": "A", "title": "T", "versions": []}', False),
        (b"@article{x, title={T}}", False),
    ],
)
def test_csljson_sniff(head, expected):
    assert csljson.sniff(head) is expected


# --- Scopus ------------------------------------------------------------------------------------


def test_scopus_fixture_records_exactly():
    records, problems = _split(scopus.read_scopus(FIXTURES / "scopus" / "export.csv"))
    assert [r.line for r in records] == [2, 4, 6]
    lstm, cho, short = records
    # old "Authors" form (Hochreiter, S., Schmidhuber, J.) with ids in the same order
    assert [(a.name, a.ids) for a in lstm.authors] == [("S. Hochreiter", ("scopus:10000000001",)), ("J. Schmidhuber", ("scopus:10000000002",))]
    assert [(x.name, x.country) for x in lstm.authors[1].affiliations] == [("IDSIA, Lugano, Switzerland", "CH")]
    assert lstm.ids == ("doi:10.1162/neco.1997.9.8.1735", "scopus:2-s2.0-00000000001")
    # a quoted abstract with quotes, a comma and a line break inside
    assert lstm.abstract == 'Gradient-based "constant error carousels" keep errors flowing back over long time lags, so a recurrent net learns them.'
    assert len(lstm.institutions) == 2
    # new form (Cho K.; ...); one author with two addresses; no abstract; conference paper
    assert cho.author_names[1] == "B. Van Merriënboer" and cho.authors[6].ids == ("scopus:10000000009",)
    assert [(x.name, x.country) for x in cho.authors[3].affiliations] == [
        ("Jacobs University, Bremen, Germany", "DE"),
        ("Université de Montréal, Montréal, Canada", "CA"),
    ]
    assert (cho.kind, cho.abstract, cho.urls) == ("inproceedings", None, ())
    assert short.title == "Too short"
    assert [(p.line, p.message) for p in problems] == [
        (5, "row has no Title"),
        (6, "row has 2 fields, the header 17; read by position"),
    ]


def test_scopus_example_full_names_and_affiliations():
    records, problems = _split(scopus.read_scopus(EXAMPLES / "scopus" / "scopus-tacl.csv"))
    assert problems == [] and len(records) == 2
    spanbert = records[0]
    assert spanbert.author_names == ("Mandar Joshi", "Danqi Chen", "Yinhan Liu", "Daniel S. Weld", "Luke Zettlemoyer", "Omer Levy")
    assert [x.name for x in spanbert.authors[1].affiliations] == [
        "Computer Science Department, Princeton University, Princeton, NJ, United States",
        "Facebook AI Research, Seattle, WA, United States",
    ]
    assert [x.name for x in spanbert.authors[5].affiliations] == ["Facebook AI Research, Seattle, WA, United States"]
    assert records[1].abstract is None  # [No abstract available]


def test_scopus_header_without_title_reads_nothing():
    [problem] = scopus.parse_scopus(io.BytesIO(b"name,year\nx,2019\n"), "other.csv")
    assert str(problem) == "other.csv:1: not a Scopus export: the header has no Title column"


# --- Web of Science ----------------------------------------------------------------------------


def test_wos_fixture_records_exactly():
    records, problems = _split(wos.read_wos(FIXTURES / "wos" / "savedrecs.txt"))
    assert [r.line for r in records] == [3, 24, 62]
    lstm, cho, levy = records
    # an old record: addresses without author groups belong to the paper
    assert [(i.name, i.country) for i in lstm.institutions] == [
        ("TECH UNIV MUNICH,FAK INFORMAT,D-80290 MUNICH,GERMANY", "DE"),
        ("IDSIA,CH-6900 LUGANO,SWITZERLAND", "CH"),
    ]
    assert all(a.affiliations == () for a in lstm.authors)
    assert (lstm.date, lstm.ids) == (dt.date(1997, 11, 15), ("doi:10.1162/neco.1997.9.8.1735", "wos:000000000000001"))
    # AF names, a title over two lines, C1 groups per author, BE editors left out
    assert cho.title == "Learning Phrase Representations using RNN Encoder-Decoder for Statistical Machine Translation"
    assert cho.venue == "2014 CONFERENCE ON EMPIRICAL METHODS IN NATURAL LANGUAGE PROCESSING (EMNLP 2014)"
    assert cho.author_names == ("Kyunghyun Cho", "Bart van Merrienboer", "Caglar Gulcehre", "Dzmitry Bahdanau", "Fethi Bougares", "Holger Schwenk", "Yoshua Bengio")
    assert [a.affiliations[0].name for a in cho.authors] == [
        "Univ Montreal, Montreal, PQ, Canada", "Univ Montreal, Montreal, PQ, Canada", "Univ Montreal, Montreal, PQ, Canada",
        "Jacobs Univ, Bremen, Germany", "Univ Maine, Le Mans, France", "Univ Maine, Le Mans, France",
        "Univ Montreal, Montreal, PQ, Canada",
    ]  # fmt: skip
    assert cho.kind == "inproceedings" and cho.institutions == ()
    assert levy.author_names == ("O Levy", "Y Goldberg", "I Dagan")  # AU only
    assert [(p.line, p.message) for p in problems] == [
        (57, "line outside a record (no PT before it): 'stray text between records'"),
        (58, "record has no ER line before the next PT; read up to there"),
        (58, "record has no title (TI)"),
    ]


def test_wos_book_authors_and_ris_preprint_type():
    [book] = wos.parse_wos(io.BytesIO(b"PT B\nBA Steele, GL\nBF Steele, Guy L., Jr.\nTI Common Lisp: The Language\nPY 1990\nER\n"), "b.txt")
    assert book.author_names == ("Guy L. Steele Jr.",) and book.kind == "book"
    [pre] = ris.parse_ris(io.BytesIO(b"TY  - PREP\nTI  - QLoRA\nDO  - 10.48550/arXiv.2305.14314\nER  - \n"), "p.ris")
    assert (pre.kind, pre.ids) == ("preprint", ("doi:10.48550/arxiv.2305.14314", "arxiv:2305.14314"))


def test_wos_address_groups_in_full_names_meet_abbreviated_authors():
    text = b"PT J\nAU Lee, K\n   Lewis, M\nTI T\nC1 [Lee, Kenton] Univ Washington, Seattle, WA 98195 USA.\n   [Lewis, Mike] Facebook AI Res, Seattle, WA USA.\nER\n"
    [record] = wos.parse_wos(io.BytesIO(text), "w.txt")
    assert [[x.name for x in a.affiliations] for a in record.authors] == [
        ["Univ Washington, Seattle, WA 98195 USA"], ["Facebook AI Res, Seattle, WA USA"],
    ]  # fmt: skip


def test_wos_orcids_from_oi_matched_by_name():
    # ORCID's own documented test identity (Josiah Carberry); the record is made up for the test
    text = (
        b"PT J\nAU Carberry, J\n   Lee, K\nAF Carberry, Josiah\n   Lee, Kenton\nTI Psychoceramics\n"
        b"OI Carberry, Josiah/0000-0002-1825-0097\nC1 [Carberry, Josiah] Brown Univ, Providence, RI 02912 USA.\nER\nEF\n"
    )
    [record] = wos.parse_wos(io.BytesIO(text), "oi.txt")
    assert [a.ids for a in record.authors] == [("orcid:0000-0002-1825-0097",), ()]
    assert record.authors[0].affiliations[0].country == "US" and record.authors[1].affiliations == ()


# --- examples: one small file per format, the same papers across formats ----------------------

EXAMPLE_FILES = {
    "bibtex": (bibtex, "bibtex/nlp-pretraining.bib", 5),
    "ris": (ris, "ris/quantization.ris", 3),
    "csl-json": (csljson, "csl-json/retrieval-and-embeddings.json", 4),
    "scopus": (scopus, "scopus/scopus-tacl.csv", 2),
    "wos": (wos, "wos/savedrecs.txt", 2),
}


@pytest.mark.parametrize("name", sorted(EXAMPLE_FILES))
def test_examples_read_cleanly_and_sniff_as_their_own_format(name):
    module, relative, count = EXAMPLE_FILES[name]
    path = EXAMPLES / relative
    records, problems = _split(module.read(path))
    assert problems == [] and len(records) == count
    assert all(r.source_format == module.FORMAT and r.source == str(path) for r in records)
    head = path.read_bytes()[:65536]
    assert [m.FORMAT for m in READERS if m.sniff(head)] == [module.FORMAT]


def test_examples_share_ids_across_formats():
    ids = {}
    for module, relative, _ in EXAMPLE_FILES.values():
        for record in module.read(EXAMPLES / relative):
            for raw in record.ids:
                ids.setdefault(source_id(raw), set()).add(module.FORMAT)
    assert ids["doi:10.1162/tacl_a_00300"] == {"bibtex", "scopus", "wos"}  # SpanBERT
    assert ids["doi:10.18653/v1/n18-1202"] == {"bibtex", "wos"}  # ELMo
    assert ids["doi:10.1162/tacl_a_00134"] == {"csl-json", "scopus"}  # Levy et al. 2015


def test_sniffers_refuse_each_others_fixtures_and_profile_pages():
    fixtures = {
        "bibtex": FIXTURES / "bibtex" / "forms.bib",
        "ris": FIXTURES / "ris" / "mixed.ris",
        "csl-json": FIXTURES / "csl-json" / "zotero.json",
        "scopus": FIXTURES / "scopus" / "export.csv",
        "wos": FIXTURES / "wos" / "savedrecs.txt",
    }
    for fmt, path in fixtures.items():
        assert [m.FORMAT for m in READERS if m.sniff(path.read_bytes()[:65536])] == [fmt], path
    for page in sorted((EXAMPLES / "profiles").glob("*.txt")):
        assert [m.FORMAT for m in READERS if m.sniff(page.read_bytes())] == [], page


def test_protocol_names():
    for module in READERS:
        assert module.parse is getattr(module, f"parse_{module.__name__.rsplit('.', 1)[1]}")
        assert module.read is getattr(module, f"read_{module.__name__.rsplit('.', 1)[1]}")
        assert all(s == s.lower() and s.startswith(".") for s in module.SUFFIXES)
        assert set(module.__all__) >= {"FORMAT", "SUFFIXES", "sniff", "parse", "read"}


# --- properties --------------------------------------------------------------------------------

_FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(st.binary(max_size=400))
def test_no_reader_raises_on_arbitrary_bytes(data):
    for module in READERS:
        assert module.sniff(data) in (True, False)
        for item in module.parse(io.BytesIO(data), "x"):
            assert isinstance(item, (PaperRecord, Problem))


_TAGGED = st.lists(
    st.sampled_from(
        ["TY  - JOUR", "ER  - ", "AU  - Lee, K.", "TI  - T", "PY  - 20x9", "DA  - 2019/13/40", "   cont", "PT J", "ER", "EF",
         "AF Lee, Kenton", "C1 [Lee, Kenton] Univ, USA.", "C1 [", "OI Lee, Kenton/0000", "PD FEB 30", "PY 2019", "TI x",
         "@article{k,", "title = {x}", "author = {A and others}", "crossref = {k}", "}", "@string{s = s # s}", "@comment{",
         '"Title","Authors"', '"T","Lee K."', "\"unclosed", "[", "{", '{"type": "book", "title": 1}', "]"]
    ),
    max_size=30,
)


@_FAST
@given(_TAGGED)
def test_no_reader_raises_on_near_miss_files(lines):
    data = "\n".join(lines).encode()
    for module in READERS:
        for item in module.parse(io.BytesIO(data), "x"):
            assert isinstance(item, (PaperRecord, Problem))


# A small renderer per format (test-only): records rendered then read back are equal.
_WORD = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll"), max_codepoint=0x17F), min_size=1, max_size=8)
# Names start upper case: a lower-case word is a von particle in BibTeX (ĸ has no capital); "And" in any
# case separates names in BibTeX (a person called And is written {And} there)
_NAME = _WORD.map(str.capitalize).filter(lambda w: w[0].isupper() and w.lower() != "and")
_PERSON = st.tuples(_NAME, _NAME)
_PAPER = st.fixed_dictionaries(
    {
        "title": st.lists(_WORD, min_size=1, max_size=6).map(" ".join),
        # one name once per paper: a name a list repeats is reported (two people, or one written twice)
        "authors": st.lists(_PERSON, min_size=0, max_size=6, unique_by=lambda p: name_key(f"{p[1]} {p[0]}")),
        "year": st.integers(1900, 2030),
        "doi": st.from_regex(r"10\.[0-9]{4,5}/[a-z0-9]([a-z0-9.]{0,8}[a-z0-9])?", fullmatch=True),
    }
)


def _render_bibtex(papers):
    out = []
    for i, p in enumerate(papers):
        people = " and ".join(f"{family}, {given}" if i % 2 else f"{given} {family}" for given, family in p["authors"])
        out.append(f"@article{{k{i},\n  title = {{{p['title']}}},\n  author = \"{people}\",\n  year = {p['year']},\n  doi = {{{p['doi']}}}\n}}\n")
    return "\n".join(out).encode()


def _render_ris(papers):
    out = []
    for p in papers:
        out += ["TY  - JOUR", f"TI  - {p['title']}", *[f"AU  - {f}, {g}" for g, f in p["authors"]], f"PY  - {p['year']}", f"DO  - {p['doi']}", "ER  - ", ""]
    return "\n".join(out).encode()


def _render_csljson(papers):
    items = [
        {"type": "article-journal", "title": p["title"], "author": [{"family": f, "given": g} for g, f in p["authors"]],
         "issued": {"date-parts": [[p["year"]]]}, "DOI": p["doi"]}
        for p in papers
    ]  # fmt: skip
    return json.dumps(items, ensure_ascii=False).encode()


def _render_scopus(papers):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Author full names", "Title", "Year", "DOI", "Authors"])
    for p in papers:
        writer.writerow(["; ".join(f"{f}, {g} ({1000 + i})" for i, (g, f) in enumerate(p["authors"])), p["title"], p["year"], p["doi"], ""])
    return ("\ufeff" + buffer.getvalue()).encode()


def _render_wos(papers):
    out = ["FN Clarivate Analytics Web of Science", "VR 1.0"]
    for p in papers:
        people = [f"{f}, {g}" for g, f in p["authors"]]
        out += ["PT J", *([f"AF {people[0]}"] + [f"   {x}" for x in people[1:]] if people else []), f"TI {p['title']}", f"PY {p['year']}", f"DI {p['doi']}", "ER", ""]
    return "\n".join(out + ["EF"]).encode()


@_FAST
@given(st.lists(_PAPER, min_size=1, max_size=4))
def test_rendered_records_read_back_equal(papers):
    for module, render in ((bibtex, _render_bibtex), (ris, _render_ris), (csljson, _render_csljson), (scopus, _render_scopus), (wos, _render_wos)):
        records, problems = _split(module.parse(io.BytesIO(render(papers)), "r"))
        assert problems == [], (module.FORMAT, problems)
        assert [r.title for r in records] == [p["title"] for p in papers]
        assert [r.year for r in records] == [p["year"] for p in papers]
        assert [r.ids[0] for r in records] == ["doi:" + p["doi"] for p in papers]
        assert [[(a.given, a.family) for a in r.authors] for r in records] == [p["authors"] for p in papers], module.FORMAT
