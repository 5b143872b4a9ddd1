"""The fast BibTeX block splitter gives exactly bibtexparser's blocks.

graphkit.readers._bibsplit reads plain entries itself and hands every other
piece of the file to bibtexparser's splitter; whatever the input, the blocks
(their lines, keys, fields, duplicate decisions and failure reasons) must be
the ones bibtexparser's splitter gives for the whole file in one go.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock, String
from bibtexparser.splitter import Splitter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.readers import _bibsplit
from graphkit.readers._bibsplit import split_blocks
from tests.conftest import ROOT, shared_path


def reference(text: str) -> list[tuple]:
    """bibtexparser's splitter over the whole text, as split_blocks' tuples, with the file's real lines
    (the splitter does not count a newline right after a backslash: each block is found by its text)."""
    out, lines, at = [], {}, 0
    for block in Splitter(text).split().blocks:
        found = text.find(block.raw, at) if block.raw else -1
        line = text.count("\n", 0, found) + 1 if found >= 0 else (block.start_line or 0) + 1
        if found >= 0:
            at = found + len(block.raw)
            if isinstance(block, ParsingFailedBlock) and (head := re.search(r"@\w*[ \t]*$", block.raw)):
                at -= len(head[0])  # a failed block's text runs into the start of the block that ended it
        lines[id(block)] = lines[id(getattr(block, "ignore_error_block", block))] = line
        if isinstance(block, String):
            out.append(("string", line, block.key, block.value))
        elif isinstance(block, DuplicateBlockKeyBlock):
            what = "@string" if isinstance(block.ignore_error_block, String) else "key"
            out.append(("duplicate", line, what, block.key, lines[id(block.previous_block)]))
        elif isinstance(block, DuplicateFieldKeyBlock):
            e = block.ignore_error_block
            out.append(("entry", line, e.entry_type, e.key, [(f.key, f.value) for f in e.fields], set(block.duplicate_keys)))
        elif isinstance(block, ParsingFailedBlock):
            reason = str(getattr(block.error, "abort_reason", "") or block.error or "").strip()
            out.append(("failed", line, block.raw or "", reason))
        elif isinstance(block, Entry):
            out.append(("entry", line, block.entry_type, block.key, [(f.key, f.value) for f in block.fields], None))
    return out


def fast(text: str) -> list[tuple]:
    """split_blocks with field names and values stripped (the splitter strips them)."""
    return [b[:4] + ([(k.strip(), v.strip()) for k, v in b[4]], b[5]) if b[0] == "entry" else b for b in split_blocks(text)]


TRICKY = [
    # plain entries, every value form
    '@article{a,\n  title = {A {Nested {deep {deeper}}} title},\n author="M\\"uller, J. and {\\O}ien, K.",\n year=2019,\n'
    ' journal = acl # " 2019",}\n',
    # five levels of braces (the splitter's path), trailing comma or not
    "@misc{b, title = {1{2{3{4{5}}}}}}\n@misc{c, title = {x},\n}\n",
    # escaped braces and quotes, a backslash before a newline (the splitter does not count that line)
    '@misc{d, title = {a \\} b \\{ c}, note = "q \\" r"}\n@misc{e, title = {x \\\\\n y}}\n@misc{f, title={g}}\n',
    # the {"} escape inside quotes
    '@misc{g, title = "say {"} hi", year = 2020}\n',
    # unclosed entry followed by a good one; an unclosed quote
    "@misc{h, title = {never closed\n@misc{i, title = {fine}}\n@misc{j, title = \"open\n@misc{k, title={ok}}\n",
    # duplicate keys across plain and special pieces, @string duplicates, repeated fields
    '@string{s = "S"}\n@string{s = "T"}\n@misc{k1, title={a}}\n@misc(k1, title={b})\n@misc{k1, title={c}, title={d}}\n'
    "@misc{k1, title={e}}\n",
    # comments, preamble, a block started mid-line in a comment, text between entries
    '% a comment @misc{m, title={in comment}}\n@comment{ignore me}\n@preamble{"\\newcommand{\\x}{y}"}\n'
    "junk text\n@misc{n, title={after junk}} trailing @misc{o, title={same line}}\n",
    # no comma after key, key only, missing "=", missing comma between fields, entry without fields
    "@misc{p title={x}}\n@misc{q}\n@misc{r, title}\n@misc{s, title={A}\n  author={B} year=2019}\n@misc{t,}\n",
    # indentation, CRLF, parenthesised entries, "@" inside values, odd types
    "  @Article{u,\r\n\ttitle = {LeQua @ {CLEF}},\r\n}\r\n@INPROCEEDINGS (v, title = \"w\")\n@{w, title={x}}\n"
    "@misc{x, title={a}, @misc{y, title={b}}\n",
    # an entry at the very end without a closing brace, and stray closing braces
    "}}\n@misc{z, title={t}}}\n@misc{zz, title={t}",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_texts_split_as_bibtexparser_splits_them(text):
    assert fast(text) == reference(text)


def test_every_bibtex_file_in_the_repository_splits_as_bibtexparser_splits_it():
    paths = [*ROOT.joinpath("examples").rglob("*.bib"), *ROOT.joinpath("tests", "fixtures").rglob("*.bib")]
    assert len(paths) >= 4
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert fast(text) == reference(text), path


def test_the_anthology_sample_splits_as_bibtexparser_splits_it_and_mostly_on_the_fast_path(monkeypatch):
    text = shared_path("data", "bibtex", "anthology-sample.bib").read_text(encoding="utf-8")
    slow = []
    real = _bibsplit._slow_blocks
    monkeypatch.setattr(_bibsplit, "_slow_blocks", lambda *a, **k: slow.append(a[1]) or real(*a, **k))
    blocks = fast(text)
    assert blocks == reference(text)
    entries = sum(b[0] == "entry" for b in blocks)
    assert entries > 50 and len(slow) < entries / 10  # plain entries do not pay for bibtexparser's splitter


_TOKENS = st.sampled_from([
    "@misc{", "@article{", "@string{", "@comment{", "@preamble{", "@misc(", "@x{", "@", "\n", "\n@misc{", "\n  @book{",
    "{", "}", '"', ",", "=", "#", "\\", "\\\n", '{"}', "\\{", "\\}", '\\"', " ", "\t", "\r\n", "%", "title", "author",
    "key", "k1", "2019", "Müller", "and", ")", "(", "title = {", "}, ", "year = 2020", " = ",
])  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TOKENS, max_size=60).map("".join))
def test_any_text_splits_as_bibtexparser_splits_it(text):
    assert fast(text) == reference(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_splits_as_bibtexparser_splits_it(text):
    assert fast(text) == reference(text)


def test_a_file_of_plain_entries_never_calls_bibtexparser(monkeypatch):
    monkeypatch.setattr(_bibsplit, "_slow_blocks", lambda *a, **k: pytest.fail("took the splitter's path"))
    text = "".join(f"@article{{k{i},\n  title = {{Title {i}}},\n  author = {{A and B}},\n  year = {2000 + i}\n}}\n\n" for i in range(50))
    blocks = split_blocks(text)
    assert [b[1] for b in blocks] == [1 + 6 * i for i in range(50)]
    assert fast(text) == reference(text)


def test_the_generated_benchmark_file_splits_as_bibtexparser_splits_it(tmp_path):
    import sys

    sys.path.insert(0, str(Path(ROOT, "benchmarks")))
    import gen_bibtex

    path = tmp_path / "refs.bib"
    with open(path, "w", encoding="utf-8") as out:
        gen_bibtex.generate(out, entries=2000, people=1000)
    text = path.read_text(encoding="utf-8")
    assert fast(text) == reference(text)


def test_plain_strings_take_the_fast_path_and_closed_comments_are_split_once(monkeypatch):
    text = "".join(f'@string{{s{i} = "Proceedings {{of}} {i}"}}\n@comment{{note {i}}}\n@misc{{k{i}, title = s{i}}}\n' for i in range(30))
    text += '@STRING{s0 = {again}}\n@string{q = "a}b"}\n'
    splits = []
    real = _bibsplit.Splitter
    monkeypatch.setattr(_bibsplit, "Splitter", lambda piece: splits.append(piece) or real(piece))
    blocks = fast(text)
    assert blocks == reference(text)
    assert [b[2] for b in blocks if b[0] == "duplicate"] == ["@string"]
    assert len(splits) == 30 and all(p.startswith("@comment") for p in splits)  # one splitter run per comment, none per string
