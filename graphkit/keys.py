"""Normalisation keys for person names, titles, source ids and institution aliases.

Used by the readers and the resolver alike.

A key folds away what varies in how one name is typed (Unicode forms, case,
diacritics, dashes, periods, odd spaces) and keeps what tells people apart.

>>> name_key("Zhi-Hong Deng") == name_key("Zhihong Deng") == name_key("ZHIHONG  DENG")
True
>>> name_key("José\u00a0García") == name_key("Jose Garcia")
True
>>> name_key("Ｚｈｅｎｇｘｉｎ Ｚｈａｎｇ")
'zhengxin zhang'
>>> name_key("Zhihao Zhang") == name_key("Zhengxin Zhang")
False
>>> name_key("Matthew E. Peters")
'matthew e peters'
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

__all__ = [
    "alias_key",
    "compact_key",
    "institution_key",
    "name_key",
    "orcid_check_digit_holds",
    "paper_ids",
    "person_id",
    "slug",
    "source_id",
    "title_key",
]

# Every dash and hyphen Unicode knows (Pd) plus the minus signs: deleted, so
# "Zhi-Hong" and "Zhihong" agree.
_DASHES = {
    ord(c): None
    for c in "-\u00ad\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2e17\u2e1a\u2e3a\u2e3b"
    "\u2e40\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\u2212"
}
_APOSTROPHES = {ord(c): "'" for c in "\u2018\u2019\u02bc\u0060\u00b4\uff07"}
_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff,]+")
_NON_WORD = re.compile(r"[^\w]+")
_LATEX_COMMAND = re.compile(r"\\[a-z]+")


def _fold(text: str) -> str:
    if text.isascii():  # NFKC and NFKD leave ASCII as it is and casefold is lower: 10x faster on most text
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_key(name: str) -> str:
    """The key under which spellings of one person's name are merged."""
    text = _fold(name).translate(_DASHES).translate(_APOSTROPHES).replace(".", " ")
    return _SPACES.sub(" ", text).strip()


def compact_key(key: str) -> str:
    """A name key without spaces: ``zhi hong deng`` and ``zhihong deng`` agree.

    Used only to *report* possible matches, never to merge.
    """
    return key.replace(" ", "")


def title_key(title: str) -> str:
    """Key for matching paper titles: folded, punctuation and LaTeX markup ignored.

    >>> title_key("SpecInfer: Accelerating LLM Serving!") == title_key("specinfer accelerating llm serving")
    True
    """
    text = _fold(title).translate(_DASHES)
    if "\\" in text:
        text = _LATEX_COMMAND.sub(" ", text)  # \mathsf, \sim
    return _NON_WORD.sub(" ", text).replace("_", " ").strip()


_ARXIV_ID = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/|arxiv:\s*)([a-z-]+(?:\.[a-z]{2})?/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?", re.I)
_DOI = re.compile(r"(?:doi\.org/|doi:\s*|^)(10\.\d{4,9}/\S+)", re.I)


def doi_text(doi: str) -> str:
    """A DOI as written, in the one form graphkit compares: percent-escapes decoded (a DOI copied from a URL,
    ``49:8%3C693::AID-ASI4%3E3.0.CO;2-O``, is ``49:8<693::AID-ASI4>3.0.CO;2-O``), lower case (DOIs are
    case-insensitive).

    >>> doi_text("10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO;2-O")
    '10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-o'
    >>> doi_text("10.1000/100%25-pure"), doi_text("10.1000/50%off")
    ('10.1000/100%-pure', '10.1000/50%off')
    """
    if "%" in doi:
        doi = unquote(doi)
    return doi.lower()


def unslashed(text: str) -> str:
    """``text`` with a percent-encoded slash (``%2F``, as URL encoders write a DOI) decoded.

    >>> unslashed("https://doi.org/10.1021%2Facs.jcim.3c00123")
    'https://doi.org/10.1021/acs.jcim.3c00123'
    """
    return re.sub("%2f", "/", text, flags=re.I)


def source_id(raw: str) -> str | None:
    """A paper identifier in one canonical form, or None when there is none to read.

    arXiv ids lose their version and any URL around them; DOIs are case-insensitive.
    DBLP keys are case-sensitive (``Smith20a`` and ``smith20a`` are two
    papers), so they keep their case; other schemes are folded.

    >>> source_id("https://arxiv.org/pdf/2305.14314v2"), source_id("arXiv:2305.14314")
    ('arxiv:2305.14314', 'arxiv:2305.14314')
    >>> source_id("https://doi.org/10.18653/v1/N18-1202"), source_id("doi:10.18653/V1/n18-1202")
    ('doi:10.18653/v1/n18-1202', 'doi:10.18653/v1/n18-1202')
    >>> source_id("doi:10.18653%2Fv1%2FN18-1202")
    'doi:10.18653/v1/n18-1202'
    >>> source_id("dblp:conf/naacl/PetersNIGCLZ18"), source_id("DBLP:conf/acl/smith20a"), source_id("no id here")
    ('dblp:conf/naacl/PetersNIGCLZ18', 'dblp:conf/acl/smith20a', None)
    >>> source_id("openalex:https://openalex.org/w2962739339")
    'openalex:W2962739339'
    """
    text = raw.strip()
    if m := _ARXIV_ID.search(text):
        return "arxiv:" + m[1].lower()
    if (m := _DOI.search(text)) or ("%2" in text and (m := _DOI.search(unslashed(text)))):
        return "doi:" + doi_text(m[1].rstrip(".,;"))
    kind, sep, value = text.partition(":")
    if sep and kind.strip() and value.strip() and " " not in kind.strip() and "/" not in kind:
        kind, value = kind.strip().lower(), value.strip()
        if kind == "openalex":  # W2962739339, whatever URL or case it came in
            m = re.search(r"([WAISCPF]\d+)\s*$", value, re.I)
            return f"openalex:{m[1].upper()}" if m else None
        return f"{kind}:{value if kind == 'dblp' else value.lower()}"
    return None


_CORR_VOLUME = re.compile(r"^(?:corr\s*)?abs/([a-z-]+(?:\.[a-z]{2})?/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?$", re.I)
_CORR_KEY = re.compile(r"^dblp:journals/corr/abs-(\d{4})-(\d{4,5})$", re.I)


def paper_ids(raw: str) -> tuple[str, ...]:
    """Every canonical identifier one raw paper id stands for (see :func:`source_id`).

    A DBLP key of a CoRR paper also names its arXiv id, and a CoRR volume
    (``abs/1312.6168``) is an arXiv id.

    >>> paper_ids("dblp:journals/corr/abs-1810-04805")
    ('dblp:journals/corr/abs-1810-04805', 'arxiv:1810.04805')
    >>> paper_ids("abs/1312.6168"), paper_ids("CoRR abs/1312.6168v3"), paper_ids("x")
    (('arxiv:1312.6168',), ('arxiv:1312.6168',), ())
    """
    text = raw.strip()
    if m := _CORR_VOLUME.match(text):
        return ("arxiv:" + m[1].lower(),)
    sid = source_id(text)
    if sid is None:
        return ()
    if m := _CORR_KEY.match(sid):
        return sid, f"arxiv:{m[1]}.{m[2]}"
    return (sid,)


_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dxX])\s*$")
_OPENALEX = re.compile(r"(?:openalex\.org/)?([AWISCP]\d+)\s*$", re.I)


def person_id(raw: str) -> str | None:
    """An author identifier as ``scheme:value`` in one canonical form, or None.

    ORCIDs lose any URL and are upper-cased (``X`` check digit); one whose
    check digit does not hold (a typo, a placeholder such as
    ``0000-0000-0000-0000``) is no id at all, so it can join no one. OpenAlex
    ids lose their URL; DBLP person names (``dblp:Wei Wang 0001``) keep their
    case, spaces folded; other schemes are kept as given.

    >>> person_id("orcid:https://orcid.org/0000-0002-1825-0097"), person_id("openalex:https://openalex.org/a5023888391")
    ('orcid:0000-0002-1825-0097', 'openalex:A5023888391')
    >>> person_id("orcid:0000-0002-1694-233x"), person_id("orcid:0000-0000-0000-0000")
    ('orcid:0000-0002-1694-233X', None)
    >>> person_id("dblp:Wei  Wang 0001"), person_id("scopus:7004212771"), person_id("nothing")
    ('dblp:Wei Wang 0001', 'scopus:7004212771', None)
    """
    scheme, sep, value = raw.strip().partition(":")
    scheme, value = scheme.strip().lower(), value.strip()
    if not sep or not scheme or not value:
        return None
    if scheme == "orcid":
        m = _ORCID.search(value)
        if m is None or not orcid_check_digit_holds(m[1] + m[2] + m[3] + m[4]):
            return None
        return f"orcid:{m[1]}-{m[2]}-{m[3]}-{m[4].upper()}"
    if scheme == "openalex":
        m = _OPENALEX.search(value)
        return f"openalex:{m[1].upper()}" if m else None
    return f"{scheme}:{' '.join(value.split())}"


def orcid_check_digit_holds(digits: str) -> bool:
    """Whether the 16 characters of an ORCID iD end in their ISO 7064 MOD 11-2 check digit.

    >>> orcid_check_digit_holds("0000000218250097"), orcid_check_digit_holds("0000000000000000")
    (True, False)
    """
    total = 0
    for d in digits[:15]:
        total = (total + int(d)) * 2
    check = (12 - total % 11) % 11
    return digits[15:16].upper() == ("X" if check == 10 else str(check))


def alias_key(alias: str) -> str:
    """Key for institution slugs and names: ``meta-ai``, ``Meta AI`` and ``meta_ai`` agree."""
    return " ".join(_NON_WORD.sub(" ", _fold(alias).replace("_", " ")).split())


# Web of Science and Scopus abbreviate institution words; expanded so that
# "Univ Washington" and "University of Washington" meet in the alias table.
_INSTITUTION_WORDS = {
    "univ": "university", "inst": "institute", "res": "research", "lab": "laboratory", "labs": "laboratories",
    "natl": "national", "technol": "technology", "tech": "technology", "sci": "science", "engn": "engineering",
    "ctr": "center", "centre": "center", "coll": "college", "acad": "academy", "sch": "school", "dept": "department",
    "int": "international", "hosp": "hospital", "med": "medical", "fdn": "foundation", "assoc": "association",
    # more of Web of Science's abbreviations (Korea Adv Inst Sci & Technol, China Agr Univ, Beijing Normal Univ)
    "adv": "advanced", "appl": "applied", "agr": "agricultural", "environm": "environmental", "polytech": "polytechnic",
    "publ": "public", "hlth": "health", "fac": "faculty", "grad": "graduate", "syst": "systems", "mol": "molecular",
    "neurosci": "neuroscience", "genet": "genetics", "aeronaut": "aeronautics", "astronaut": "astronautics",
    "petr": "petroleum", "pharmaceut": "pharmaceutical", "meteorol": "meteorological", "oceanog": "oceanography",
    "geol": "geological", "zool": "zoological", "bot": "botanical", "cent": "central", "sou": "southern",
    "mil": "military", "tradit": "traditional", "sciences": "science",
    # (Chem, Phys, Math, Biol stand for two words each, chemistry and chemical: left as written, since reading
    # them as one would join the Institute of Physical Chemistry and the Institute of Physics and Chemistry)
}
_INSTITUTION_STOP = {"of", "for", "the", "at", "and", "de", "da", "di"}


def institution_key(text: str) -> str:
    """Key for looking an institution name up in the alias table.

    Folds like :func:`alias_key`, expands the abbreviations bibliographic
    exports use, and ignores small words:

    >>> institution_key("Univ Washington") == institution_key("University of Washington")
    True
    >>> institution_key("Allen Inst Artificial Intelligence") == institution_key("Allen Institute for Artificial Intelligence")
    True
    >>> institution_key("Korea Adv Inst Sci & Technol") == institution_key("Korea Advanced Institute of Science and Technology")
    True
    >>> institution_key("Chinese Acad Sci") == institution_key("Chinese Academy of Sciences")
    True
    """
    words = [_INSTITUTION_WORDS.get(w, w) for w in alias_key(text).split()]
    return " ".join(w for w in words if w not in _INSTITUTION_STOP) or alias_key(text)


def slug(text: str) -> str:
    """A readable id fragment: ``University of California, Berkeley`` -> ``university-of-california-berkeley``."""
    return "-".join(alias_key(text).split()) or "unnamed"
