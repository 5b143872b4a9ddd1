"""arXiv metadata as XML: the arXiv API's Atom feed and OAI-PMH responses (arXiv, arXivRaw, oai_dc).

Inputs are written here in the shape export.arxiv.org/api/query and export.arxiv.org/oai2 return them, from the
papers' public metadata (1706.03762 Attention Is All You Need, 1810.04805 BERT, hep-th/9711200 Maldacena).
Expectations are read off the inputs, never computed by the code under test.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.models import PaperRecord, Problem
from graphkit.pipeline import extract_all
from graphkit.readers import arxiv, dblp
from graphkit.readers.registry import iter_inputs

from .conftest import AS_OF, shared_path

runner = CliRunner()

VASWANI = [("Vaswani", "Ashish"), ("Shazeer", "Noam"), ("Parmar", "Niki"), ("Uszkoreit", "Jakob"), ("Jones", "Llion"),
           ("Gomez", "Aidan N."), ("Kaiser", "Lukasz"), ("Polosukhin", "Illia")]
ATTENTION_ABSTRACT = ("  The dominant sequence transduction models are based on complex recurrent or\n"
                      "convolutional neural networks in an encoder-decoder configuration.\n")
MALDACENA_ABSTRACT = ("  We show that the large $N$ limit of certain conformal field theories in\n"
                      "various dimensions include in their Hilbert space a sector describing\n"
                      "supergravity on the product of Anti-deSitter spacetimes.\n")
MALDACENA_TITLE = "The Large N Limit of Superconformal Field Theories and Supergravity"

# The Kaggle snapshot's lines for the same two papers (its key order).
SNAPSHOT = "\n".join(json.dumps(o) for o in [
    {"id": "1706.03762", "submitter": "Ashish Vaswani", "authors": ", ".join(f"{g} {f}" for f, g in VASWANI),
     "title": "Attention Is All You Need", "comments": "15 pages, 5 figures", "journal-ref": None, "doi": None,
     "report-no": None, "categories": "cs.CL cs.LG", "license": "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
     "abstract": ATTENTION_ABSTRACT,
     "versions": [{"version": "v1", "created": "Mon, 12 Jun 2017 17:57:34 GMT"},
                  {"version": "v7", "created": "Wed, 2 Aug 2023 00:41:18 GMT"}],
     "update_date": "2023-08-03", "authors_parsed": [[f, g, ""] for f, g in VASWANI]},
    {"id": "hep-th/9711200", "submitter": "Juan Maldacena", "authors": "Juan M. Maldacena (Harvard University)",
     "title": MALDACENA_TITLE, "comments": "20 pages, harvmac", "journal-ref": "Adv.Theor.Math.Phys.2:231-252,1998",
     "doi": "10.1023/A:1026654312961", "report-no": "HUTP-98/A097", "categories": "hep-th", "license": None,
     "abstract": MALDACENA_ABSTRACT,
     "versions": [{"version": "v1", "created": "Thu, 27 Nov 1997 20:39:54 GMT"},
                  {"version": "v3", "created": "Thu, 22 Jan 1998 18:22:42 GMT"}],
     "update_date": "2015-06-17", "authors_parsed": [["Maldacena", "Juan M.", "", "Harvard University"]]},
]) + "\n"

# The API's feed as export.arxiv.org/api/query returns it (the arxiv namespace declared on each element).
_A = 'xmlns:arxiv="http://arxiv.org/schemas/atom"'
ATOM = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?id_list%3D1706.03762,hep-th/9711200" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=&amp;id_list=1706.03762,hep-th/9711200</title>
  <id>http://arxiv.org/api/0Wp2ZyzxkQbJSkm2mKnmKTx3ckQ</id>
  <updated>2024-05-13T00:00:00-04:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">2</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/abs/1706.03762v7</id>
    <updated>2023-08-02T00:41:18Z</updated>
    <published>2017-06-12T17:57:34Z</published>
    <title>Attention Is All You Need</title>
    <summary>{ATTENTION_ABSTRACT}</summary>
{"".join(f'    <author><name>{g} {f}</name></author>{chr(10)}' for f, g in VASWANI)}    <arxiv:comment {_A}>15 pages, 5 figures</arxiv:comment>
    <link href="http://arxiv.org/abs/1706.03762v7" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/1706.03762v7" rel="related" type="application/pdf"/>
    <arxiv:primary_category {_A} term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/hep-th/9711200v3</id>
    <updated>1998-01-22T18:22:42Z</updated>
    <published>1997-11-27T20:39:54Z</published>
    <title>The Large N Limit of Superconformal Field Theories and
  Supergravity</title>
    <summary>{MALDACENA_ABSTRACT}</summary>
    <author>
      <name>Juan M. Maldacena</name>
      <arxiv:affiliation {_A}>Harvard University</arxiv:affiliation>
    </author>
    <arxiv:doi {_A}>10.1023/A:1026654312961</arxiv:doi>
    <link title="doi" href="http://dx.doi.org/10.1023/A:1026654312961" rel="related"/>
    <arxiv:comment {_A}>20 pages, harvmac</arxiv:comment>
    <arxiv:journal_ref {_A}>Adv.Theor.Math.Phys.2:231-252,1998</arxiv:journal_ref>
    <link href="http://arxiv.org/abs/hep-th/9711200v3" rel="alternate" type="text/html"/>
    <arxiv:primary_category {_A} term="hep-th" scheme="http://arxiv.org/schemas/atom"/>
    <category term="hep-th" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>
"""

_OAI_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
<responseDate>2024-05-13T09:12:44Z</responseDate>
<request verb="ListRecords" metadataPrefix="{prefix}">http://export.arxiv.org/oai2</request>
<ListRecords>
"""
_OAI_TAIL = """<resumptionToken cursor="0" completeListSize="2146">6960524|1001</resumptionToken>
</ListRecords>
</OAI-PMH>
"""
_ARXIV_NS = 'xmlns="http://arxiv.org/OAI/arXiv/" xsi:schemaLocation="http://arxiv.org/OAI/arXiv/ http://arxiv.org/OAI/arXiv.xsd"'
DELETED = """<record>
<header status="deleted">
 <identifier>oai:arXiv.org:0704.0050</identifier>
 <datestamp>2007-05-23</datestamp>
</header>
</record>
"""
OAI_ARXIV = _OAI_HEAD.format(prefix="arXiv") + f"""<record>
<header>
 <identifier>oai:arXiv.org:1706.03762</identifier>
 <datestamp>2023-08-03</datestamp>
 <setSpec>cs</setSpec>
</header>
<metadata>
 <arXiv {_ARXIV_NS}>
 <id>1706.03762</id><created>2017-06-12</created><updated>2023-08-02</updated><authors>{"".join(
    f"<author><keyname>{f}</keyname><forenames>{g}</forenames></author>" for f, g in VASWANI)}</authors><title>Attention Is All You Need</title><categories>cs.CL cs.LG</categories><comments>15 pages, 5 figures</comments><license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license><abstract>{ATTENTION_ABSTRACT}</abstract></arXiv>
</metadata>
</record>
{DELETED}<record>
<header>
 <identifier>oai:arXiv.org:hep-th/9711200</identifier>
 <datestamp>2015-06-17</datestamp>
 <setSpec>physics:hep-th</setSpec>
</header>
<metadata>
 <arXiv {_ARXIV_NS}>
 <id>hep-th/9711200</id><created>1997-11-27</created><updated>1998-01-22</updated><authors><author><keyname>Maldacena</keyname><forenames>Juan M.</forenames><affiliation>Harvard University</affiliation></author></authors><title>{MALDACENA_TITLE}</title><categories>hep-th</categories><comments>20 pages, harvmac</comments><report-no>HUTP-98/A097</report-no><journal-ref>Adv.Theor.Math.Phys.2:231-252,1998</journal-ref><doi>10.1023/A:1026654312961</doi><abstract>{MALDACENA_ABSTRACT}</abstract></arXiv>
</metadata>
</record>
""" + _OAI_TAIL

OAI_RAW = _OAI_HEAD.format(prefix="arXivRaw") + f"""<record>
<header>
 <identifier>oai:arXiv.org:hep-th/9711200</identifier>
 <datestamp>2015-06-17</datestamp>
</header>
<metadata>
<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/" xsi:schemaLocation="http://arxiv.org/OAI/arXivRaw/ http://arxiv.org/OAI/arXivRaw.xsd">
<id>hep-th/9711200</id><submitter>Juan Maldacena</submitter><version version="v1"><date>Thu, 27 Nov 1997 20:39:54 GMT</date><size>34kb</size><source_type>D</source_type></version><version version="v3"><date>Thu, 22 Jan 1998 18:22:42 GMT</date><size>35kb</size><source_type>D</source_type></version><title>{MALDACENA_TITLE}</title><authors>Juan M. Maldacena (Harvard University)</authors><categories>hep-th</categories><comments>20 pages, harvmac</comments><journal-ref>Adv.Theor.Math.Phys.2:231-252,1998</journal-ref><doi>10.1023/A:1026654312961</doi><abstract>{MALDACENA_ABSTRACT}</abstract></arXivRaw>
</metadata>
</record>
""" + _OAI_TAIL

OAI_DC = _OAI_HEAD.format(prefix="oai_dc") + f"""<record>
<header>
 <identifier>oai:arXiv.org:1810.04805</identifier>
 <datestamp>2019-05-28</datestamp>
 <setSpec>cs</setSpec>
</header>
<metadata>
<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">
<dc:title>BERT: Pre-training of Deep Bidirectional Transformers for Language
  Understanding</dc:title>
<dc:creator>Devlin, Jacob</dc:creator>
<dc:creator>Chang, Ming-Wei</dc:creator>
<dc:creator>Lee, Kenton</dc:creator>
<dc:creator>Toutanova, Kristina</dc:creator>
<dc:subject>Computer Science - Computation and Language</dc:subject>
<dc:description>Comment: 13 pages</dc:description>
<dc:description>  We introduce a new language representation model called BERT.
</dc:description>
<dc:date>2019-05-24</dc:date>
<dc:date>2018-10-11</dc:date>
<dc:type>text</dc:type>
<dc:identifier>http://arxiv.org/abs/1810.04805</dc:identifier>
</oai_dc:dc>
</metadata>
</record>
""" + _OAI_TAIL

DBLP = """<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE dblp SYSTEM "dblp.dtd">
<dblp>
<article key="journals/corr/VaswaniSPUJGKP17" mdate="2018-08-13" publtype="informal">
<author>Ashish Vaswani</author><author>Noam Shazeer</author><author>Niki Parmar</author><author>Jakob Uszkoreit</author>
<author>Llion Jones</author><author>Aidan N. Gomez</author><author>Lukasz Kaiser</author><author>Illia Polosukhin</author>
<title>Attention Is All You Need.</title><journal>CoRR</journal><volume>abs/1706.03762</volume><year>2017</year>
<ee type="oa">http://arxiv.org/abs/1706.03762</ee></article>
</dblp>
"""


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _papers(path: Path) -> list[PaperRecord]:
    items = list(arxiv.read(path))
    assert all(isinstance(i, PaperRecord) for i in items), [str(i) for i in items if isinstance(i, Problem)]
    return items


def _without(rec: PaperRecord, *author_fields: str) -> dict:
    """The record's fields but where it came from, and its authors without ``author_fields``."""
    out = rec.model_dump(exclude={"source", "line"})
    out["authors"] = [{k: v for k, v in a.items() if k not in author_fields} for a in out["authors"]]
    return out


# ------------------------------------------------------------------ one paper, the same record


def test_atom_feed_and_oai_give_the_records_of_the_snapshot(tmp_path):
    snapshot = _papers(_write(tmp_path / "arxiv-metadata-oai-snapshot.json", SNAPSHOT))
    atom = _papers(_write(tmp_path / "query.xml", ATOM))
    oai = _papers(_write(tmp_path / "listrecords.xml", OAI_ARXIV))
    assert [r.ids for r in atom] == [("arxiv:1706.03762",), ("arxiv:hep-th/9711200", "doi:10.1023/a:1026654312961")]
    # the feed does not split names: everything else is the snapshot's record
    assert [_without(r, "given", "family") for r in atom] == [_without(r, "given", "family") for r in snapshot]
    assert [a.given for r in atom for a in r.authors] == [None] * 9
    # the OAI arXiv format splits them as the snapshot's authors_parsed does: the very same records
    assert [_without(r) for r in oai] == [_without(r) for r in snapshot]
    maldacena = oai[1]
    assert (maldacena.date.isoformat(), maldacena.venue, maldacena.kind, maldacena.category) == (
        "1997-11-27", "Adv.Theor.Math.Phys.2:231-252,1998", "article", "hep-th")
    assert [(a.name, a.given, a.family, [f.name for f in a.affiliations]) for a in maldacena.authors] == [
        ("Juan M. Maldacena", "Juan M.", "Maldacena", ["Harvard University"])]
    assert atom[0].title == "Attention Is All You Need" and atom[1].title == MALDACENA_TITLE
    # each record's line is where its element starts (the deleted record between them is skipped, no problem)
    lines = ATOM.splitlines()
    assert [lines[r.line - 1].strip() for r in atom] == ["<entry>", "<entry>"]
    assert [OAI_ARXIV.splitlines()[r.line - 1] for r in oai] == ["<record>", "<record>"]
    assert atom[0].line < atom[1].line and oai[0].line < oai[1].line


def test_arxivraw_and_oai_dc(tmp_path):
    raw = _papers(_write(tmp_path / "raw.xml", OAI_RAW))
    snapshot = _papers(_write(tmp_path / "snap.jsonl", SNAPSHOT))[1]
    # arXivRaw writes authors as one string, like the snapshot's "authors": read as the snapshot's string is
    assert [r.model_dump(exclude={"source", "line", "authors"}) for r in raw] == [
        snapshot.model_dump(exclude={"source", "line", "authors"})]
    assert [(a.name, a.given, a.position) for a in raw[0].authors] == [("Juan M. Maldacena", None, 0)]
    assert raw[0].date.isoformat() == "1997-11-27"  # version v1's date, not v3's
    [bert] = _papers(_write(tmp_path / "dc.xml", OAI_DC))
    assert bert.title == "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    assert (bert.ids, bert.date.isoformat(), bert.year, bert.kind, bert.category, bert.venue) == (
        ("arxiv:1810.04805",), "2018-10-11", 2018, "preprint", None, None)
    assert bert.abstract == "We introduce a new language representation model called BERT."
    assert bert.urls == ("https://arxiv.org/abs/1810.04805",)
    assert [(a.name, a.given, a.family) for a in bert.authors] == [
        ("Jacob Devlin", "Jacob", "Devlin"), ("Ming-Wei Chang", "Ming-Wei", "Chang"), ("Kenton Lee", "Kenton", "Lee"),
        ("Kristina Toutanova", "Kristina", "Toutanova")]


# ------------------------------------------------------------------ through the registry and the CLI


def test_registry_and_cli_read_the_xml_forms_as_arxiv_and_dblp_stays_dblp(tmp_path):
    query = _write(tmp_path / "query.xml", ATOM)
    export = _write(tmp_path / "export.atom", ATOM)
    listrecords = _write(tmp_path / "listrecords.xml", OAI_ARXIV)
    zipped = _write(tmp_path / "listrecords-oai_dc.xml.gz", gzip.compress(OAI_DC.encode()))
    dblp_file = _write(tmp_path / "dblp.xml", DBLP)
    chosen = {Path(i.path).name: (i.format, i.how) for i in iter_inputs([tmp_path])}
    assert chosen == {"query.xml": ("arxiv", "sniffed"), "export.atom": ("arxiv", "suffix"),
                      "listrecords.xml": ("arxiv", "sniffed"), "listrecords-oai_dc.xml.gz": ("arxiv", "sniffed"),
                      "dblp.xml": ("dblp", "sniffed")}
    readers: dict = {}
    _, records, problems, files = extract_all([tmp_path], as_of=AS_OF, readers=readers)
    assert problems == [] and files == 5
    assert readers == {"arxiv": {"sniffed": 3, "suffix": 1}, "dblp": {"sniffed": 1}}
    by_source = {}
    for r in records:
        by_source.setdefault(Path(r.source).name, []).append((r.source_format, r.ids[0]))
    assert by_source == {
        "query.xml": [("arxiv", "arxiv:1706.03762"), ("arxiv", "arxiv:hep-th/9711200")],
        "export.atom": [("arxiv", "arxiv:1706.03762"), ("arxiv", "arxiv:hep-th/9711200")],
        "listrecords.xml": [("arxiv", "arxiv:1706.03762"), ("arxiv", "arxiv:hep-th/9711200")],
        "listrecords-oai_dc.xml.gz": [("arxiv", "arxiv:1810.04805")],
        "dblp.xml": [("dblp", "dblp:journals/corr/VaswaniSPUJGKP17")],
    }
    for path, fmt, how, first_id in [(query, "arxiv", "sniffed", "arxiv:1706.03762"),
                                     (export, "arxiv", "suffix", "arxiv:1706.03762"),
                                     (listrecords, "arxiv", "sniffed", "arxiv:1706.03762"),
                                     (zipped, "arxiv", "sniffed", "arxiv:1810.04805"),
                                     (dblp_file, "dblp", "sniffed", "dblp:journals/corr/VaswaniSPUJGKP17")]:
        result = runner.invoke(app, ["extract", str(path), "--format", "json", "--strict"])
        assert result.exit_code == 0, result.output
        assert f"read: {fmt} 1 ({how})" in result.stderr
        papers = [json.loads(line) for line in result.stdout.splitlines()]
        assert papers[0]["source_format"] == fmt and papers[0]["ids"][0] == first_id


def test_sniffers_keep_arxiv_xml_and_dblp_xml_apart(tmp_path):
    for text in (ATOM, OAI_ARXIV, OAI_RAW, OAI_DC):
        head = text.encode()
        assert arxiv.sniff(head) and not dblp.sniff(head)
    assert dblp.sniff(DBLP.encode()) and not arxiv.sniff(DBLP.encode())
    # an Atom feed of a blog and another repository's OAI-PMH are not arXiv's
    blog = ('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:uuid:60a76c80</id>'
            '<entry><id>https://example.org/posts/graphs</id><title>On graphs</title></entry></feed>')
    zenodo = OAI_DC.replace("oai:arXiv.org:1810.04805", "oai:zenodo.org:1234567").replace(
        "http://export.arxiv.org/oai2", "https://zenodo.org/oai2d").replace("http://arxiv.org/abs/1810.04805",
                                                                             "https://zenodo.org/record/1234567")
    assert not arxiv.sniff(blog.encode()) and not arxiv.sniff(zenodo.encode())
    chosen = {Path(i.path).name: (i.format, i.problem is not None)
              for i in iter_inputs([_write(tmp_path / "blog.xml", blog), _write(tmp_path / "zenodo.xml", zenodo)])}
    assert chosen == {"blog.xml": (None, True), "zenodo.xml": (None, True)}


def test_shared_samples_still_read_by_their_readers():
    arxiv_sample = shared_path("data", "arxiv", "arxiv-metadata-sample.jsonl")
    dblp_sample = shared_path("data", "dblp", "dblp-sample.xml")
    chosen = [(i.format, i.how) for i in iter_inputs([arxiv_sample, dblp_sample])]
    assert chosen == [("arxiv", "sniffed"), ("dblp", "sniffed")]


# ------------------------------------------------------------------ problems


def test_api_error_feed_oai_error_and_deleted_records(tmp_path):
    error_feed = _write(tmp_path / "error.xml", """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?search_query%3D%26id_list%3D1706.0376" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=&amp;id_list=1706.0376</title>
  <id>http://arxiv.org/api/KLw5CjW4LCfWYd6BP2N6ny7TRsI</id>
  <updated>2024-05-13T00:00:00-04:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1706.0376</id>
    <title>Error</title>
    <summary>incorrect id format for 1706.0376</summary>
    <updated>2024-05-13T00:00:00-04:00</updated>
    <link href="http://arxiv.org/api/errors#incorrect_id_format_for_1706.0376" rel="alternate" type="text/html"/>
    <author><name>arXiv api core</name></author>
  </entry>
</feed>
""")
    assert [str(p) for p in arxiv.read(error_feed)] == [f"{error_feed}:8: arXiv API error: incorrect id format for 1706.0376"]
    strict = runner.invoke(app, ["extract", str(error_feed), "--strict"])
    assert strict.exit_code == 1 and "arXiv API error" in strict.stderr
    oai_error = _write(tmp_path / "getrecord.xml", """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2024-05-13T09:20:01Z</responseDate>
<request verb="GetRecord" identifier="oai:arXiv.org:1706.99999" metadataPrefix="arXiv">http://export.arxiv.org/oai2</request>
<error code="idDoesNotExist">Value of the identifier argument is unknown or illegal in this repository.</error>
</OAI-PMH>
""")
    assert [str(p) for p in arxiv.read(oai_error)] == [
        f"{oai_error}:5: OAI-PMH error idDoesNotExist: Value of the identifier argument is unknown or illegal in this repository."]
    only_deleted = _write(tmp_path / "deleted.xml", _OAI_HEAD.format(prefix="arXiv") + DELETED + _OAI_TAIL)
    _, records, problems, _ = extract_all([only_deleted], as_of=AS_OF)
    assert records == [] and problems == []  # a deleted record is no paper, and nothing is wrong


def test_malformed_xml_keeps_the_records_before_it_and_loads_no_entity(tmp_path):
    cut = ATOM[: ATOM.index("<title>The Large N")]
    path = _write(tmp_path / "query.xml", cut)
    items = list(arxiv.read(path))
    assert [type(i).__name__ for i in items] == ["PaperRecord", "Problem"]
    assert items[0].ids == ("arxiv:1706.03762",)
    problem = items[1]
    assert str(problem).startswith(f"{path}:") and "XML not well-formed, reading stopped" in problem.message
    assert problem.line == cut.count("\n") + 1 and "\n" not in problem.message
    _, records, problems, _ = extract_all([path], as_of=AS_OF)
    assert len(records) == 1 and [p.line for p in problems] == [problem.line]
    secret = _write(tmp_path / "secret.txt", "TOP-SECRET-VALUE")
    xxe = ATOM.replace('<?xml version="1.0" encoding="UTF-8"?>\n',
                       f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE feed [<!ENTITY s SYSTEM "file://{secret}">]>\n')
    xxe = xxe.replace("<title>Attention Is All You Need</title>", "<title>Attention &s; Is All You Need</title>")
    items = list(arxiv.read(_write(tmp_path / "xxe.xml", xxe)))
    assert items and all(isinstance(i, Problem) for i in items)
    assert "TOP-SECRET-VALUE" not in " ".join(str(i) for i in items)


def test_not_arxiv_xml_with_from_arxiv_says_so(tmp_path):
    path = _write(tmp_path / "dblp.xml", DBLP)
    result = runner.invoke(app, ["extract", str(path), "--from", "arxiv", "--format", "json"])
    assert result.exit_code == 0 and result.stdout == ""
    assert (f"{path}: not arXiv XML (its root element is <dblp>, not the API's <feed> or an OAI-PMH response); "
            "nothing read") in result.stderr
