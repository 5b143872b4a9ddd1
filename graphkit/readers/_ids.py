"""Paper and person identifiers as the text formats write them, in graphkit's ``scheme:value`` form.

>>> doi_id("https://doi.org/10.18653/v1/N18-1202"), doi_id("DOI: 10.1162/TACL_A_00300."), doi_id("n/a")
('doi:10.18653/v1/n18-1202', 'doi:10.1162/tacl_a_00300', None)
>>> arxiv_id("http://arxiv.org/abs/1907.11692v1"), arxiv_id("arXiv:2305.14314"), arxiv_id("hep-th/9901001v2")
('arxiv:1907.11692', 'arxiv:2305.14314', 'arxiv:hep-th/9901001')
>>> orcid_id("https://orcid.org/0000-0002-1694-233x"), orcid_id("0000-0002-1825"), orcid_id("0000000218250097")
('orcid:0000-0002-1694-233X', None, 'orcid:0000-0002-1825-0097')
"""

from __future__ import annotations

import re

from graphkit.keys import doi_text, orcid_check_digit_holds, unslashed

__all__ = ["arxiv_id", "doi_id", "orcid_id", "with_arxiv_dois"]

_DOI = re.compile(r"(10\.\d{4,9}/[^\s\"]+)")  # SICI-style DOIs hold "<" and ">": 10.1175/1520-0469(1963)020<0130:DNF>2.0.CO;2
_ARXIV = re.compile(
    r"(?:^|arxiv\.org/(?:abs|pdf)/|arxiv:\s*|\s)(\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?(?:$|[\s,;)\]])",
    re.I,
)
_ARXIV_DOI = re.compile(r"^doi:10\.48550/arxiv\.(.+)$")
_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dXx])(?!\d)")


def doi_id(text: str) -> str | None:
    """``doi:`` and the DOI in ``text`` (bare, ``doi:`` or a doi.org URL, its slash percent-encoded or not), lower
    case; None without one.

    >>> doi_id("https://doi.org/10.1021%2Facs.jcim.3c00123"), doi_id("doi:10.1021/ACS.JCIM.3C00123.")
    ('doi:10.1021/acs.jcim.3c00123', 'doi:10.1021/acs.jcim.3c00123')
    """
    m = _DOI.search(text)
    if m is None and "%2" in text:  # the form a URL encoder writes: 10.1021%2Facs...
        m = _DOI.search(unslashed(text))
    if m is None:
        return None
    doi = m[1].rstrip(".,;)]")
    if doi.endswith(">") and "<" not in doi:  # written in angle brackets: <https://doi.org/10.1/x>
        doi = doi[:-1].rstrip(".,;)]")
    return "doi:" + doi_text(doi)


def arxiv_id(text: str) -> str | None:
    """``arxiv:`` and the arXiv id in ``text`` (bare, ``arXiv:``, an abs or pdf URL), version dropped."""
    m = _ARXIV.search(text.strip())
    if m is None:
        return None
    return "arxiv:" + m[1].lower()


def orcid_id(text: str) -> str | None:
    """``orcid:`` and the ORCID iD in ``text`` (bare, with or without hyphens, or a URL); None unless its check digit holds.

    The check digit (ISO 7064 MOD 11-2) keeps out typos and placeholders such
    as ``0000-0000-0000-0000``, which would otherwise make one Author of
    everyone who carries them.

    >>> orcid_id("https://orcid.org/0000-0002-1825-0097"), orcid_id("0000-0002-1825-0098"), orcid_id("0000-0000-0000-0000")
    ('orcid:0000-0002-1825-0097', None, None)
    """
    m = _ORCID.search(text)
    if m is None:
        return None
    if not orcid_check_digit_holds("".join(m.groups())):
        return None
    return "orcid:" + "-".join(m.groups()).upper()


def with_arxiv_dois(ids: list[str]) -> tuple[str, ...]:
    """``ids`` with the arXiv id added for every DataCite arXiv DOI (``10.48550/arXiv.1810.04805``).

    arXiv has minted these DOIs since 2022 and Zotero, Scopus and Crossref
    exports carry them: the arXiv id lets the record meet other sources.

    >>> with_arxiv_dois(["doi:10.48550/arxiv.1810.04805"])
    ('doi:10.48550/arxiv.1810.04805', 'arxiv:1810.04805')
    """
    out = list(ids)
    for value in ids:
        if (m := _ARXIV_DOI.match(value)) and (found := arxiv_id(m[1])) and found not in out:
            out.append(found)
    return tuple(out)
