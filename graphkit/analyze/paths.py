"""Collaboration distance: shortest co-author paths with the papers behind each step."""

from __future__ import annotations

import html
import re

import networkx as nx

from graphkit.exceptions import AnalysisError
from graphkit.keys import name_key, person_id

__all__ = ["author_ids", "collaboration_path", "ego_network", "find_author"]

# The forms of an author's id that users copy: ORCID and OpenAlex URLs (or bare), DBLP person pages.
_ORCID_FORM = re.compile(r"(?:(?:https?://)?(?:www\.|sandbox\.)?orcid\.org/|orcid:\s*)?\d{4}-?\d{4}-?\d{4}-?\d{3}[\dX]/?", re.I)
_OPENALEX_FORM = re.compile(r"(?:(?:https?://)?(?:api\.)?openalex\.org/(?:authors/|people/)?|openalex:\s*)?(A\d{4,})/?", re.I)
# dblp.org/pers/hd/k/Knuth:Donald_E= and dblp.uni-trier.de/pers/k/Knuth:Donald_E=.html: "Family:Given" ("_" a space,
# "=" a full stop, "=uuml=" an HTML entity, a homonym number after the family name: Liu_0003:Yang)
_DBLP_PERS = re.compile(r"(?:https?://)?(?:www\.)?dblp\.(?:org|uni-trier\.de|dagstuhl\.de)/pers/(?:hd/|h/|xx/)?"
                        r"[^/:]+/([^/:]+):([^/:]*?)(?:\.html)?/?", re.I)
_DBLP_PID = re.compile(r"(?:https?://)?(?:www\.)?dblp\.(?:org|uni-trier\.de|dagstuhl\.de)/pid/", re.I)
_HOMONYM = re.compile(r"(.+?)[ _](\d{4})")


def _dblp_name(text: str) -> str:
    """A name as a DBLP person URL writes it, decoded: ``Donald_E=`` is ``Donald E.``, ``M=uuml=ller`` is ``Müller``."""
    text = re.sub(r"=([A-Za-z]+[0-9]?)=", lambda m: html.unescape(f"&{m[1]};") if html.unescape(f"&{m[1]};") != f"&{m[1]};" else m[0], text)
    return " ".join(text.replace("=", ".").replace("_", " ").split())


def author_ids(text: str) -> set[str]:
    """The author ids (``scheme:value``, canonical) that ``text`` gives, if it is an id or a URL of one.

    ORCID iDs bare, as ``orcid:`` or as orcid.org URLs (check digit held);
    OpenAlex author ids bare, as ``openalex:`` or as openalex.org URLs; DBLP
    person pages (``dblp.org/pers/...``, which graphkit's DBLP ids name:
    ``dblp:Donald E. Knuth``); any other ``scheme:value`` as it is.

    >>> sorted(author_ids("https://orcid.org/0000-0002-1825-0097")), sorted(author_ids("https://openalex.org/a5010577007"))
    (['orcid:0000-0002-1825-0097'], ['openalex:A5010577007'])
    >>> sorted(author_ids("https://dblp.org/pers/hd/l/Liu_0003:Yang")), sorted(author_ids("dblp.org/pers/k/Knuth:Donald_E=.html"))
    (['dblp:Yang Liu 0003'], ['dblp:Donald E. Knuth'])
    >>> sorted(author_ids("dblp:Zhaopeng Tu")), author_ids("Donald E. Knuth"), author_ids("0000-0002-1825-0098")
    (['dblp:Zhaopeng Tu'], set(), set())
    """
    text = text.strip()
    if _ORCID_FORM.fullmatch(text):
        found = person_id("orcid:" + text)
        return {found} if found else set()
    if m := _OPENALEX_FORM.fullmatch(text):
        return {"openalex:" + m[1].upper()}
    if m := _DBLP_PERS.fullmatch(text):
        family, given = _dblp_name(m[1]), _dblp_name(m[2])
        homonym = _HOMONYM.fullmatch(family)
        family, number = (homonym[1], " " + homonym[2]) if homonym else (family, "")
        return {f"dblp:{' '.join(p for p in (given, family) if p)}{number}"}
    if re.fullmatch(r"[A-Za-z][\w.-]*:\S.*", text):
        found = person_id(text)
        return {found} if found else set()
    return set()


def _ids_of(data: dict) -> set[str]:
    ids = {person_id(i) or i for i in data.get("ids") or ()}
    if data.get("orcid"):
        ids.add(person_id("orcid:" + str(data["orcid"])) or str(data["orcid"]))
    return ids


def _name_keys(text: str) -> set[str]:
    """The name keys ``text`` may stand for: as written and, for ``Family, Given`` (BibTeX's form), given name first."""
    keys = {name_key(text)}
    if "," in text:
        from graphkit.readers._names import split_name

        person = split_name(text)
        if person.name:
            keys.add(name_key(person.name))
    return keys


def find_author(G: nx.Graph, name_or_id: str) -> str:
    """The node id of an author given by id, one of its ids, display name or any spelling variant.

    An id may be the node's own, or one of the author's ``ids`` or ``orcid``
    in any form :func:`author_ids` reads (an orcid.org or openalex.org URL, a
    DBLP person page); a name may be written given name first or as BibTeX's
    ``Family, Given``. Raises :class:`AnalysisError` naming the candidates
    when a name or id fits several authors, and when none fits.

    >>> G = nx.Graph()
    >>> G.add_node("author:donald-e-knuth", name="Donald E. Knuth", ids=["openalex:A5010577007"], orcid="0000-0002-1825-0097")
    >>> G.add_node("author:yang-liu", name="Yang Liu", ids=["dblp:Yang Liu 0003"])
    >>> {find_author(G, given) for given in ("Knuth, Donald E.", "donald e knuth", "https://openalex.org/A5010577007",
    ...                                      "https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097")}
    {'author:donald-e-knuth'}
    >>> find_author(G, "https://dblp.org/pers/hd/l/Liu_0003:Yang")
    'author:yang-liu'
    >>> find_author(G, "Knuth, Ada")
    Traceback (most recent call last):
    ...
    graphkit.exceptions.AnalysisError: no author called 'Knuth, Ada' in the graph
    """
    if name_or_id in G and G.nodes[name_or_id].get("label", "Author") == "Author":
        return name_or_id
    authors = [(n, d) for n, d in G.nodes(data=True) if d.get("label", "Author") == "Author"]
    wanted = author_ids(name_or_id)
    if wanted:
        owners = sorted((n for n, d in authors if wanted & _ids_of(d)), key=str)
        if len(owners) > 1:
            raise AnalysisError(f"{name_or_id!r} is an id of several authors: {', '.join(map(str, owners))}; give one of these")
        if owners:
            return owners[0]
    keys = _name_keys(name_or_id)
    matches = [
        n for n, d in authors
        if name_key(str(d.get("name", n))) in keys or any(name_key(v) in keys for v in d.get("name_variants") or ())
    ]
    if not matches:
        if _DBLP_PID.match(name_or_id.strip()):
            raise AnalysisError(f"no author with the DBLP page {name_or_id!r} in the graph: graphkit knows DBLP authors by "
                                "the name DBLP gives them; give that name (or dblp:NAME)")
        known = sorted(w for w in wanted if w.partition(":")[0] in ("orcid", "openalex", "dblp") and w != name_or_id)
        also = f" (nor any with the id {known[0]!r})" if known else ""
        raise AnalysisError(f"no author called {name_or_id!r} in the graph{also}")
    if len(matches) > 1:
        raise AnalysisError(f"{name_or_id!r} matches several authors: {', '.join(sorted(map(str, matches)))}; give an id")
    return matches[0]


def _coauthors_view(G: nx.Graph) -> nx.Graph:
    if G.is_multigraph():
        from graphkit.build import coauthor_graph

        return coauthor_graph(G)
    return G


def collaboration_path(G: nx.Graph, source: str, target: str) -> list[dict]:
    """The shortest chain of co-authorships from ``source`` to ``target``.

    ``G`` is a knowledge graph (then each step lists the papers behind its
    COAUTHORED edge, and under ``hyperauthored_papers`` any shared paper with
    too many authors to form co-author pairs) or a co-author graph (steps
    without papers). Authors may
    be given by id or name. Raises :class:`AnalysisError` when they are not
    connected.

    >>> H = nx.Graph([("a", "b"), ("b", "c")])
    >>> [(s["from"], s["to"]) for s in collaboration_path(H, "a", "c")]
    [('a', 'b'), ('b', 'c')]
    """
    H = _coauthors_view(G)
    a, b = find_author(H, source), find_author(H, target)
    try:
        path = nx.shortest_path(H, a, b)
    except nx.NetworkXNoPath:
        raise AnalysisError(f"{source!r} and {target!r} are not connected by co-authorship") from None
    steps = []
    for u, v in zip(path, path[1:]):
        papers, beyond = [], []
        if G.is_multigraph():
            papers, beyond = _step_papers(G, u, v)
        step = {
            "from": u, "from_name": H.nodes[u].get("name", u),
            "to": v, "to_name": H.nodes[v].get("name", v),
            "papers": papers,
        }
        if beyond:
            step["hyperauthored_papers"] = beyond
        steps.append(step)
    return steps


def _step_papers(G: nx.MultiDiGraph, u, v) -> tuple[list[dict], list[dict]]:
    """The papers behind the COAUTHORED edge ``u``-``v``, oldest first, and the shared papers it leaves out.

    A build adds no co-author pairs for a paper with more than ``--max-authors`` authors; the edge's
    ``papers`` count says how many of the shared papers it stands on, and those are the ones with the
    fewest authors (a list cut short counts as longer than its shown length).
    """
    mine = {p for _, p, key in G.out_edges(u, keys=True) if key == "AUTHORED"}
    shared = [p for _, p, key in G.out_edges(v, keys=True) if key == "AUTHORED" and p in mine]
    counted = None
    for a, b in ((u, v), (v, u)):
        data = G.get_edge_data(a, b, key="COAUTHORED")
        if data is not None and data.get("papers") is not None:
            counted = int(data["papers"])
    if counted is not None and counted < len(shared):
        def size(p):
            authors = sum(1 for _, _, key in G.in_edges(p, keys=True) if key == "AUTHORED")
            return authors, bool(G.nodes[p].get("authors_truncated")), str(p)

        shared.sort(key=size)
        shared, left = shared[:counted], shared[counted:]
    else:
        left = []

    def listed(ids):
        rows = [{"id": p, "title": G.nodes[p].get("title"), "year": G.nodes[p].get("year")} for p in ids]
        # oldest first, then by title (undated last): the order a reader expects
        rows.sort(key=lambda paper: (paper["year"] is None, paper["year"] or 0, paper["title"] or "", paper["id"]))
        return rows

    return listed(shared), listed(left)


def ego_network(G: nx.Graph, author: str, radius: int = 1) -> nx.Graph:
    """Everyone within ``radius`` co-authorship steps of an author (given by id or name)."""
    H = _coauthors_view(G)
    return nx.ego_graph(H, find_author(H, author), radius=radius)
