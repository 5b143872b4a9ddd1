"""What ``graphkit build`` computes for every author: fast at every size, and saying what it did.

Cheap measures are exact at every size:

- ``degree`` (co-authors) and ``weighted_degree`` (sum of Newman weights),
- ``pagerank``: weighted by Newman weight, damping 0.85, networkx's definition
  (dangling authors spread their rank evenly) solved exactly by igraph's PRPACK,
- ``core_number`` (k-core) and ``community`` (Louvain on Newman weights,
  seeded; 0 is the largest community): NetworKit's PLM with refinement on one
  thread (6x faster than igraph's multilevel on a 48,000-author, 1.2M-edge
  graph, at equal or higher modularity: 0.866 against 0.864 on ca-GrQc),
  igraph's multilevel without NetworKit. It runs in the background thread
  that also runs KADABRA (below), after it.

Betweenness, closeness and harmonic centrality need one breadth-first search
per source author, ``n`` searches of ``m`` edges for the exact values. They are
exact while ``n * m <= SAMPLE_WORK`` (2e8: a few seconds on one core). Above that
they are *estimated*.

Betweenness is estimated by KADABRA (Borassi and Natale, 2016: adaptive
sampling of shortest paths), NetworKit's implementation on one thread (its
two-thread runs gave different values for one seed on a clean CI run, so the
seed would not fix the result), seeded and deterministic: every author's value is within
``KADABRA_EPSILON * n / (n - 2)`` on networkx's normalised scale of the exact
value, for all authors at once, with probability ``1 - DELTA`` (an earlier
statement of half that failed on five of ten seeds in
tests/test_centrality_defaults.py; this one held on all ten). Measured against the sampled-source estimator below at equal
accuracy it is about ten times faster (benchmarks/RESULTS.md). Without
NetworKit (or with ``sources=``) betweenness uses the sampled sources too.

Closeness and harmonic centrality are estimated from ``k = max(SAMPLE_WORK // m,
MIN_SOURCES)`` source authors drawn at random (seeded) in every connected
component of more than ``k`` authors; components of at most ``k`` authors are
small enough to be computed exactly (every author a source), so the whole
computation costs at most ``k * m`` edge visits. For an author ``v`` in a
component of ``r`` authors with sources ``S`` (``k_v`` of them other than ``v``):

- betweenness: ``(r - 1) / k_v * sum(dependency of s on v for s in S)``, the
  sampled-source estimator of Brandes and Pich (2007) with networkx's
  correction for sampled authors, normalised as networkx normalises;
- harmonic: ``(r - 1) / k_v * sum(1 / d(s, v) for s in S - {v})``;
- closeness: Wasserman-Faust, ``(r - 1) / (n - 1) * (r - 1) / D``, with the sum
  of distances ``D`` estimated as ``(r - 1) / k_v * sum(d(s, v) for s in S - {v})``
  (Eppstein and Wang, 2004).

Each sampled term lies in ``[0, 1]`` once divided by its largest possible value
(``r - 2`` for a dependency, 1 for an inverse distance, the component's
diameter for a distance), so by Hoeffding's inequality each author's average is
within ``epsilon = sqrt(ln(2 / delta) / (2 k))`` of the exact average with
probability ``1 - delta``; the report states ``k``, the seed and ``epsilon``
for ``delta = 0.05``. In practice the error is far smaller (benchmarks/RESULTS.md
compares the estimates with exact values). Estimated columns are named
``betweenness_estimated``, ``closeness_estimated`` and ``harmonic_estimated``;
``graphkit centrality`` computes exact values on request.

igraph computes everything else (its C core on one core is faster here than
NetworKit or rustworkx on two for exact values and breadth-first searches;
``python benchmarks/centrality.py --libraries``), but for the distances from
the sampled sources in large components: those come from SciPy's breadth-first
search as NumPy arrays (:class:`_Hops`; igraph hands them over as Python lists,
which cost most of the estimate on all of DBLP), the same numbers.

Graphs of more than ``LEAN_EDGES`` co-author edges (16M: all of DBLP has 62M)
take a lean path that keeps memory down: igraph's graph is made for the core
numbers and the small components and dropped, and PageRank is computed by
power iteration over the same SciPy adjacency as the searches, to a total
change below ``PAGERANK_TOLERANCE`` (1e-13; within 1e-12 of PRPACK's values in
tests/test_centrality_defaults.py), instead of PRPACK, whose exact solve takes
about 6 GB more there. The report's ``pagerank`` entry says which was used.

>>> import networkx as nx
>>> table = author_centrality(nx.path_graph(["a", "b", "c"]))
>>> table[["id", "degree", "betweenness", "harmonic"]].values.tolist()
[['b', 2, 1.0, 2.0], ['a', 1, 0.0, 1.5], ['c', 1, 0.0, 1.5]]
>>> table.attrs["centrality"]["estimated"]
{}
"""

from __future__ import annotations

import functools
import importlib.util
import math
import random
import threading
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from graphkit._procs import debug_mark

if TYPE_CHECKING:
    import networkx as nx

    from graphkit.tables import GraphTables

__all__ = ["MIN_SOURCES", "SAMPLE_WORK", "Background", "Prepared", "author_centrality", "coauthor_arrays", "prepare_centrality"]

#: Edge visits (sources x edges) the expensive measures may cost: about 3 s of
#: igraph's betweenness on this project's machine.
SAMPLE_WORK = 200_000_000
#: Fewest sampled sources per component when estimating.
MIN_SOURCES = 64
#: Confidence of the stated error bounds.
DELTA = 0.05
#: KADABRA's additive error on its own scale (twice networkx's normalised betweenness). Its
#: sample count grows with 1/epsilon^2: 0.01 takes 2.6 s on a 48,000-author, 1.2M-edge graph where
#: 0.005 takes 7.5 s, and the top values moved by less than 0.004 (benchmarks/RESULTS.md).
KADABRA_EPSILON = 0.01
#: NetworKit installed (a dependency; without it betweenness uses sampled sources and communities igraph).
HAVE_NETWORKIT = importlib.util.find_spec("networkit") is not None


def coauthor_arrays(graph: nx.Graph | GraphTables) -> tuple[list, list, np.ndarray, np.ndarray, np.ndarray]:
    """Authors and co-author edges as arrays: ``(ids, names, u, v, weight)``.

    ``u`` and ``v`` index ``ids``; ``weight`` is the Newman weight (1 where a
    graph has no weights). Takes the build's tables (no networkx graph needed)
    or a networkx co-author graph.

    >>> import networkx as nx
    >>> ids, names, u, v, w = coauthor_arrays(nx.Graph([("a", "b", {"weight": 0.5})]))
    >>> ids, u.tolist(), v.tolist(), w.tolist()
    (['a', 'b'], [0], [1], [0.5])
    """
    if hasattr(graph, "node_table"):  # GraphTables
        authors = graph.node_table("Author")
        co = graph.rel_table("COAUTHORED", "Author")
        ids, u, v = graph.coauthor_positions()
        names = list(authors.values("name"))
        weights = co.columns.get("weight")
        if weights is None:
            w = np.ones(len(u))
        elif isinstance(weights, pd.Series) and weights.dtype == np.float64 and not weights.isna().any():
            w = weights.to_numpy()  # the table's own array (all of DBLP: 61M weights, 0.5 GB not copied)
        else:
            w = pd.to_numeric(pd.Series(weights), errors="coerce").fillna(1.0).to_numpy(float)
        return list(ids), names, u, v, w
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    m = graph.number_of_edges()
    u = np.empty(m, np.int64)
    v = np.empty(m, np.int64)
    w = np.ones(m)
    for i, (a, b, data) in enumerate(graph.edges(data=True)):
        u[i], v[i] = index[a], index[b]
        weight = data.get("weight")
        if weight is not None:
            w[i] = weight
    names = [graph.nodes[node].get("name", node) for node in nodes]
    return nodes, names, u, v, w


class Prepared:
    """The co-author arrays of a graph and NetworKit's measures (communities and, when the build will
    estimate betweenness, KADABRA) already running in a thread: :func:`prepare_centrality`'s result for
    :func:`author_centrality`."""

    def __init__(self, graph, arrays, job, seed: int, without_loops=None):
        self.graph, self.arrays, self.job, self.seed = graph, arrays, job, seed
        self.without_loops = without_loops  # (u, v, w) of the edges that are not self-loops


def _without_loops(u: np.ndarray, v: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The edges that are not self-loops; the arrays themselves (no copy) when there are none."""
    loops = u == v
    if not loops.any():
        return u, v, w
    keep = ~loops
    return u[keep], v[keep], w[keep]


def _pagerank(g, weights: np.ndarray, *, damping: float = 0.85) -> np.ndarray:
    """igraph's PRPACK PageRank on one OpenMP thread: on two its sums come out in a varying order, and the
    same graph gave values differing in the 16th digit from one run to the next (a centrality.csv that
    changes when nothing did). One thread costs little: on a graph the size of the 1M-paper build's
    (169,491 authors, 4.0M edges) PRPACK takes about 2.1 s on one thread against 1.6-1.9 s on two.
    ``graphkit centrality``'s PageRank (:func:`graphkit.analyze.centrality.pagerank`) is this one too."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, user_api="openmp"):
        return np.asarray(g.pagerank(weights=weights.tolist(), damping=damping), float)


#: Co-author edges above which the build's centrality takes the lean path (graphs this large are estimated,
#: with KADABRA): igraph's graph is made for the core numbers and the small components and dropped, and
#: PageRank and the distances from sampled sources come from one SciPy adjacency. PRPACK's exact PageRank
#: needs about 6 GB beside igraph's graph of all of DBLP (62M edges); this one 1.5 GB.
LEAN_EDGES = 16_000_000
#: The lean path's PageRank iterates until the sum of the changes is below this (the values sum to 1).
PAGERANK_TOLERANCE = 1e-13


def _pagerank_iterated(adjacency, *, damping: float = 0.85, tolerance: float = PAGERANK_TOLERANCE,
                       limit: int = 1000) -> tuple[np.ndarray, int]:
    """Weighted PageRank by power iteration over a symmetric weighted adjacency (SciPy CSR), as PRPACK and
    networkx define it (an author without co-authors spreads its rank evenly): ``(values, iterations)``.

    >>> import networkx as nx
    >>> G = nx.Graph([(0, 1, {"weight": 2.0}), (1, 2, {"weight": 1.0}), (2, 0, {"weight": 0.5}), (3, 4, {"weight": 1.0})])
    >>> G.add_node(5)
    >>> values, _ = _pagerank_iterated(nx.to_scipy_sparse_array(G, nodelist=range(6), format="csr"))
    >>> expected = nx.pagerank(G, tol=1e-15, max_iter=1000)
    >>> bool(max(abs(values[i] - expected[i]) for i in range(6)) < 1e-12)
    True
    """
    n = adjacency.shape[0]
    strength = np.asarray(adjacency.sum(axis=1)).ravel()
    dangling = strength == 0
    inverse = np.divide(1.0, strength, out=np.zeros(n), where=~dangling)
    x = np.full(n, 1.0 / n)
    for step in range(1, limit + 1):
        following = damping * (adjacency @ (x * inverse) + x[dangling].sum() / n) + (1 - damping) / n
        change = np.abs(following - x).sum()
        x = following
        if change < tolerance:
            break
    return x / x.sum(), step


def _plan(n: int, m: int, *, exact: bool, sources: int | None) -> tuple[int, bool, bool]:
    """``(k, estimate, use_kadabra)`` for ``n`` authors and ``m`` co-author edges (self-loops left out)."""
    if sources:
        k, estimate = sources, n > sources
    else:
        k, estimate = max(MIN_SOURCES, SAMPLE_WORK // max(m, 1)), n * m > SAMPLE_WORK
    estimate = estimate and not exact
    use_kadabra = estimate and sources is None and n >= 3 and HAVE_NETWORKIT
    return k, estimate, use_kadabra


def prepare_centrality(graph: nx.Graph | GraphTables, *, seed: int = 0) -> Prepared:
    """Start the slowest part of :func:`author_centrality` early, in the background.

    KADABRA (NetworKit, one thread, the GIL released) is what takes longest on
    large graphs; ``graphkit build`` starts it here as soon as the tables exist,
    so that it runs while the store is written, and hands the result to
    ``author_centrality(graph, prepared=...)``. The values are the same as
    without (one thread, the same seed).

    >>> import networkx as nx
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> author_centrality(G, prepared=prepare_centrality(G)).equals(author_centrality(G))
    True
    """
    ids, names, u, v, w = arrays = coauthor_arrays(graph)
    n = len(ids)
    edges = _without_loops(u, v, w)
    _, _, use_kadabra = _plan(n, len(edges[0]), exact=False, sources=None)
    job = _start_job(*edges, n, seed, use_kadabra) if HAVE_NETWORKIT else None
    return Prepared(graph, arrays, job, seed, edges)


def author_centrality(
    graph: nx.Graph | GraphTables, *, exact: bool = False, sources: int | None = None, seed: int = 0,
    prepared: Prepared | None = None,
) -> pd.DataFrame:
    return centrality_in_parts(graph, exact=exact, sources=sources, seed=seed, prepared=prepared).finish()


class PendingCentrality:
    """:func:`author_centrality`'s table while KADABRA may still run: ``frame`` has every column (in the
    final row order) but estimated betweenness, which is NaN until :meth:`finish` fills it in."""

    def __init__(self, frame: pd.DataFrame, rows: np.ndarray, job, column: str | None):
        self.frame, self._rows, self._job, self._column = frame, rows, job, column

    def finish(self) -> pd.DataFrame:
        """The complete table (waits for KADABRA when it is still running)."""
        if self._column is not None:
            self.frame[self._column] = np.asarray(self._job.betweenness(), float)[self._rows]
            self._column = None
            debug_mark("betweenness")
        return self.frame


def centrality_in_parts(
    graph: nx.Graph | GraphTables, *, exact: bool = False, sources: int | None = None, seed: int = 0,
    prepared: Prepared | None = None,
) -> PendingCentrality:
    """The centrality table of ``graphkit build``: one row per author, highest PageRank first.

    Columns ``id``, ``name``, ``degree``, ``weighted_degree``, ``pagerank``,
    ``core_number``, ``community``, then ``betweenness``, ``closeness`` and
    ``harmonic`` (suffixed ``_estimated`` when estimated; see the module).
    ``table.attrs["centrality"]`` says what was computed and how, for the
    report. ``exact=True`` computes every measure exactly at any size.

    Parameters
    ----------
    graph : networkx.Graph or GraphTables
        The co-author graph, or the build's tables (read without networkx).
    exact : bool
        Exact betweenness, closeness and harmonic centrality however large the graph.
    sources : int, optional
        Sampled sources per component instead of the size-based ``k``; graphs of
        at most this many authors are computed exactly.
    seed : int
        Seed of the sampled sources and of Louvain.
    prepared : Prepared, optional
        :func:`prepare_centrality` of the same graph and seed (its arrays and its KADABRA run are used).
    """
    import igraph as ig

    if prepared is not None and (prepared.graph is not graph or prepared.seed != seed):
        raise ValueError("prepared= must come from prepare_centrality() of the same graph and seed")
    ids, names, u, v, w = prepared.arrays if prepared is not None else coauthor_arrays(graph)
    n = len(ids)
    # networkx counts a self-loop twice in a degree; no other measure counts it
    degree = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    weighted_degree = np.bincount(u, weights=w, minlength=n) + np.bincount(v, weights=w, minlength=n)
    u, v, w = prepared.without_loops if prepared is not None else _without_loops(u, v, w)
    m = len(u)
    k, estimate, use_kadabra = _plan(n, m, exact=exact, sources=sources)
    # NetworKit's communities and KADABRA (one thread, GIL released) run beside igraph's measures on the other core
    job = prepared.job if prepared is not None else None
    if HAVE_NETWORKIT and (job is None or (use_kadabra and not job.kadabra)):
        job = _start_job(u, v, w, n, seed, use_kadabra)
    # add_edges reads an (m, 2) array about three times faster than the constructor does, and
    # without the list of pairs (400 MB at 3.5M edges) that the constructor would be fast with
    g = ig.Graph(n=n, directed=False)
    pairs = np.column_stack([u, v])
    g.add_edges(pairs)
    del pairs  # igraph holds its own copy (all of DBLP: 1 GB less while PageRank runs)
    debug_mark("igraph's graph")
    lean = estimate and use_kadabra and job is not None and m > LEAN_EDGES
    pagerank_method = "weighted by Newman weight, damping 0.85, solved exactly (igraph PRPACK)"
    if lean:  # see LEAN_EDGES: igraph's graph only for what needs it, then one SciPy adjacency
        core_number = np.asarray(g.coreness(), np.int64)
        small_part = _sampled_small(g, k, seed, betweenness=False)
        del g
        hops = _Hops(u, v, n, weights=w)
        pagerank, steps = _pagerank_iterated(hops.graph)
        pagerank_method = (f"weighted by Newman weight, damping 0.85, power iteration (SciPy) to a total change below "
                           f"{PAGERANK_TOLERANCE:g} ({steps} iterations; above {LEAN_EDGES:,} co-author edges, where "
                           "PRPACK's exact solve needs several GB)")
        debug_mark("pagerank and cores")
        sampled_values = _sampled_large(small_part, hops)
        del hops, small_part
    else:
        pagerank = _pagerank(g, w) if n else np.zeros(0)
        core_number = np.asarray(g.coreness(), np.int64)
        debug_mark("pagerank and cores")
    columns: dict[str, np.ndarray] = {
        "degree": degree,
        "weighted_degree": weighted_degree,
        "pagerank": pagerank,
        "core_number": core_number,
        "community": None,  # below, when the background job has it
    }
    info = {
        "authors": n,
        "coauthor_edges": m,
        "exact": ["degree", "weighted_degree", "pagerank", "core_number", "community"],
        "estimated": {},
        "seed": seed,
        "pagerank": pagerank_method,
        "community": ("Louvain on Newman weights (NetworKit PLM with refinement, one thread), seeded; 0 is the largest"
                      if job is not None else "Louvain on Newman weights (igraph multilevel), seeded; 0 is the largest"),
    }
    kadabra = job if job is not None and use_kadabra else None
    if estimate:
        if lean:
            between, close, harm, sampled = sampled_values
        else:
            between, close, harm, sampled = _sampled(g, k, seed, betweenness=kadabra is None, hops=_Hops(u, v, n))
        debug_mark("sampled closeness")
        eps = math.sqrt(math.log(2 / DELTA) / (2 * k))
        method = {
            "sources_per_component": k,
            "components_sampled": sampled,
            "seed": seed,
            "components_exact": "components of at most sources_per_component authors",
            "error_bound": {"delta": DELTA, "epsilon": round(eps, 4)},
        }
        if kadabra is not None:
            between = np.full(n, np.nan)  # filled in by PendingCentrality.finish()
            betweenness_method = {
                "estimator": "KADABRA adaptive sampling of shortest paths (Borassi-Natale 2016; NetworKit, one thread), "
                             "rescaled to networkx's normalisation",
                "seed": seed,
                "error_bound": {"delta": DELTA, "epsilon": KADABRA_EPSILON,
                                "epsilon_networkx_scale": round(KADABRA_EPSILON * n / (n - 2), 5),
                                "holds_for": "every author at once"},
            }
        else:
            betweenness_method = {"estimator": "sampled sources (Brandes-Pich), normalised as networkx", **method}
        info["estimated"] = {
            "betweenness": betweenness_method,
            "closeness": {"estimator": "Wasserman-Faust closeness, distance sums from sampled sources (Eppstein-Wang)", **method},
            "harmonic": {"estimator": "inverse distances from sampled sources (Eppstein-Wang)", **method},
        }
        columns |= {"betweenness_estimated": between, "closeness_estimated": close, "harmonic_estimated": harm}
    else:
        info["exact"] += ["betweenness", "closeness", "harmonic"]
        columns |= {"betweenness": _exact_betweenness(g), "closeness": _exact_closeness(g), "harmonic": _exact_harmonic(g)}
    columns["community"] = job.community() if job is not None else _communities(g, w, seed)
    debug_mark("communities")
    frame = pd.DataFrame({"id": ids, "name": names, **columns})
    frame = frame.sort_values(["pagerank", "id"], ascending=[False, True], kind="stable")
    rows = frame.index.to_numpy()
    frame = frame.reset_index(drop=True)
    frame.attrs["centrality"] = info
    return PendingCentrality(frame, rows, job, "betweenness_estimated" if estimate and kadabra is not None else None)


#: Co-author edges from which NetworKit's job runs in a process of its own rather than a thread.
#: NetworKit holds Python's lock for much of a run, so in a thread it and the map's Python work
#: slow each other down (a 3.1 s job took 7.4 s beside the map and the store on a 48,000-author
#: graph); a process costs about half a second to start and nothing while it runs.
PROCESS_EDGES = 500_000


class _InProcess:
    """:func:`_networkit_measures` in a child process (``python -m graphkit._nkworker``, see
    :data:`PROCESS_EDGES`): the same values (one thread, the same seed). The child is a plain
    subprocess, not multiprocessing's spawn, which would run the caller's own script again.
    Should the child fail to start or die, the job runs in this process instead."""

    def __init__(self, *args):
        import pickle

        self.kadabra = bool(args[-1])
        self._args = args
        self._writer = None
        self.where = "starting"
        self._proc = _worker()
        if self._proc is None:
            return
        payload = (*args, KADABRA_EPSILON, DELTA)

        def send():  # in a thread: the pipe takes the arrays as fast as the child reads them
            try:
                with self._proc.stdin:
                    # pickled straight into the pipe: the arrays' bytes are written from the arrays
                    # themselves, never gathered into one bytes object (1.5 GB for all of DBLP's edges)
                    pickle.dump(payload, self._proc.stdin, protocol=5)
            except OSError:  # the child died; result() says so
                pass

        self._writer = threading.Thread(target=send, daemon=True)
        self._writer.start()

    def _next(self, what: str):
        """The child's next result (``what`` names it), or None when the child has failed."""
        import pickle

        if self._proc is None:
            return None
        try:
            name, value = pickle.load(self._proc.stdout)
            if name == what:
                if what == "betweenness" or not self.kadabra:  # the child's last result: it has ended
                    self._close()
                    self._args = None  # no fallback can need the arrays now (all of DBLP's edges: 1.5 GB)
                return value
        except (pickle.UnpicklingError, EOFError, ValueError, OSError):
            pass
        self._close()
        import signal

        from graphkit._nkworker import INTERRUPTED

        interrupted = self._proc.returncode in (INTERRUPTED, -signal.SIGINT)
        self._proc = None
        if interrupted:  # Ctrl-C stopped the child: this build stops too, it does not run the job again here
            raise KeyboardInterrupt
        return None

    def cancel(self) -> None:
        """Stop the child (its results are not wanted)."""
        if self._proc is not None:
            self._proc.kill()
            self._close()
            self._proc = None

    def _close(self) -> None:
        self._proc.stdout.close()
        self._writer.join()
        self._proc.wait()
        self.where = "child" if self._proc.returncode == 0 else self.where

    def community(self):
        if not hasattr(self, "_community"):
            value = self._next("community")
            if value is None:
                self._fallback()
            else:
                self._community = value
        return self._community

    def betweenness(self):
        self.community()
        if not hasattr(self, "_betweenness"):
            value = self._next("betweenness") if self.kadabra else None
            if value is None and self.kadabra:
                self._fallback()
            else:
                self._betweenness = value
        return self._betweenness

    def _fallback(self) -> None:
        """No child to be had (or it died): compute here, the same values."""
        if self._proc is not None:
            self._proc.kill()
            self._close()
            self._proc = None
        self.where = "here"
        self._betweenness, self._community = _networkit_measures(*self._args)

    def result(self):
        return self.betweenness(), self.community()


#: ``graphkit build`` starts NetworKit's worker as resolving begins when its inputs add up to at least
#: this many bytes (:func:`start_worker_early`); 8 MB of BibTeX is about 30,000 entries.
EARLY_WORKER_BYTES = 8 * 2**20

_spare: list = []  # a worker process started ahead of its job (start_worker_early)


def _spawn():
    import os
    import subprocess
    import sys

    try:
        return subprocess.Popen([sys.executable, "-m", "graphkit._nkworker"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE,
                                stderr=None if os.environ.get("GRAPHKIT_BULK_DEBUG") else subprocess.DEVNULL)
    except OSError:
        return None


def _worker():
    """A worker process for a job: the one started early if it is still alive, else a new one (None if none starts)."""
    while _spare:
        proc = _spare.pop()
        if proc.poll() is None:
            return proc
    return _spawn()


def start_worker_early() -> None:
    """Start NetworKit's worker process now, before it has a job (``graphkit build`` on large inputs).

    The worker imports NetworKit as it starts (about a second of CPU); started
    as the build begins to resolve, which uses one core, it does so on the
    other, and the build's first graph of :data:`PROCESS_EDGES` edges or more
    takes it. A worker left without a job ends when this process does (its
    input closes).
    """
    if HAVE_NETWORKIT and not _spare:
        proc = _spawn()
        if proc is not None:
            _spare.append(proc)


def _start_job(u: np.ndarray, v: np.ndarray, w: np.ndarray, n: int, seed: int, kadabra: bool):
    """NetworKit's measures started in the background: a process for large graphs, a thread otherwise."""
    if len(u) >= PROCESS_EDGES:
        return _InProcess(u, v, w, n, seed, kadabra)
    return _InThread(u, v, w, n, seed, kadabra)


class Background:
    """``function(*args)`` in a thread; :meth:`result` waits for it and returns its value or raises its error.

    >>> job = Background(sum, [1, 2, 3])
    >>> job.result()
    6
    >>> Background(int, "x").result()
    Traceback (most recent call last):
    ...
    ValueError: invalid literal for int() with base 10: 'x'
    """

    def __init__(self, function, *args):
        self._outcome: list = []
        self._thread = threading.Thread(target=self._run, args=(function, args), daemon=True)
        self._thread.start()

    def join(self) -> None:
        """Wait for the function to end (its result or error stays for :meth:`result`)."""
        self._thread.join()

    def done(self) -> bool:
        return not self._thread.is_alive()

    def _run(self, function, args) -> None:
        try:
            self._outcome.append((True, function(*args)))
        except BaseException as exc:  # handed to the caller of result()
            self._outcome.append((False, exc))

    def result(self):
        self._thread.join()
        ok, value = self._outcome[0]
        if not ok:
            raise value
        return value


class _InThread(Background):
    """:func:`_networkit_measures` in a thread (graphs below :data:`PROCESS_EDGES`), read as :class:`_InProcess` is."""

    def __init__(self, *args):
        self.kadabra = bool(args[-1])
        super().__init__(_networkit_measures, *args)

    def community(self):
        return self.result()[1]

    def betweenness(self):
        return self.result()[0]


def _communities(g, w: np.ndarray, seed: int) -> np.ndarray:
    """Louvain membership (igraph's multilevel: the path without NetworKit), renumbered largest first."""
    n = g.vcount()
    if n == 0:
        return np.zeros(0, np.int64)
    state = random.getstate()
    random.seed(seed)  # python-igraph draws from Python's random module
    try:
        membership = np.asarray(g.community_multilevel(weights=w.tolist() if len(w) else None).membership)
    finally:
        random.setstate(state)
    from graphkit._nkworker import largest_first

    return largest_first(membership)


def _exact_betweenness(g) -> np.ndarray:
    n = g.vcount()
    if n < 3:
        return np.zeros(n)
    # igraph counts each unordered pair once; networkx normalises ordered pairs by (n-1)(n-2)
    return np.asarray(g.betweenness(directed=False), float) * (2 / ((n - 1) * (n - 2)))


def _exact_closeness(g) -> np.ndarray:
    n = g.vcount()
    if n < 2:
        return np.zeros(n)
    raw = np.asarray(g.closeness(mode="all", normalized=True), float)  # (r-1)/D over the reachable r
    r = np.bincount(g.connected_components().membership)[g.connected_components().membership]
    return np.where((r > 1) & ~np.isnan(raw), np.nan_to_num(raw) * (r - 1) / (n - 1), 0.0)


def _exact_harmonic(g) -> np.ndarray:
    return np.asarray(g.harmonic_centrality(mode="all", normalized=False), float)


def _networkit_measures(u: np.ndarray, v: np.ndarray, w: np.ndarray, n: int, seed: int,
                        kadabra: bool) -> tuple[np.ndarray | None, np.ndarray]:
    """:func:`graphkit._nkworker.networkit_measures` with this module's error bounds (in this process)."""
    from graphkit._nkworker import networkit_measures

    return networkit_measures(u, v, w, n, seed, kadabra, KADABRA_EPSILON, DELTA)


def _edge_arrays(g) -> tuple[np.ndarray, np.ndarray]:
    """An igraph graph's edges as two arrays of end points."""
    pairs = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


class _Hops:
    """Hop distances from one author at a time, as NumPy arrays: SciPy's breadth-first search over the
    co-author graph's adjacency (both directions), each author's distance then read off the search tree by
    pointer jumping. igraph's ``distances`` gives the same numbers as Python lists, whose making cost most of
    the sampled estimates on large graphs (all of DBLP: 64 sources x 3.6M authors, about 3 minutes).

    >>> hops = _Hops(np.array([0, 1, 2]), np.array([1, 2, 3]), 5)
    >>> hops.from_(1).tolist()
    [1, 0, 1, 2, -1]
    """

    def __init__(self, u: np.ndarray, v: np.ndarray, n: int, weights: np.ndarray | None = None):
        self.n = n
        self._edges = (u, v, weights)

    @functools.cached_property
    def graph(self):
        """The adjacency, made at first use (a graph whose components are all small needs no search);
        with ``weights`` the weighted one, which :func:`_pagerank_iterated` reads."""
        from scipy.sparse import csr_matrix

        u, v, weights = self._edges
        self._edges = None
        index = np.int32 if self.n < 2**31 else np.int64
        m = len(u)
        rows, cols = np.empty(2 * m, index), np.empty(2 * m, index)  # both directions, narrowed as they are copied
        rows[:m], rows[m:], cols[:m], cols[m:] = u, v, v, u
        data = np.ones(2 * m, np.int8) if weights is None else np.concatenate([weights, weights])
        return csr_matrix((data, (rows, cols)), shape=(self.n, self.n))

    def from_(self, source: int) -> np.ndarray:
        """Each author's number of hops from ``source`` (-1 where it cannot be reached)."""
        from scipy.sparse.csgraph import breadth_first_order

        order, parent = breadth_first_order(self.graph, source, directed=True, return_predecessors=True)
        up = np.arange(self.n)
        up[order[1:]] = parent[order[1:]]  # each reached author's parent; the source and the unreached stay put
        hops = np.zeros(self.n, np.int64)
        hops[order[1:]] = 1
        while True:  # pointer jumping: hops to up[x], which doubles its reach each round
            above = up[up]
            if np.array_equal(above, up):
                break
            hops += hops[up]
            up = above
        reached = np.zeros(self.n, bool)
        reached[order] = True
        hops[~reached] = -1
        return hops


def _sampled(g, k: int, seed: int, *, betweenness: bool = True, hops: _Hops | None = None
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Estimates from ``k`` sampled sources per component larger than ``k``; exact elsewhere. ``hops``: the
    graph's :class:`_Hops` (made here when not given)."""
    part = _sampled_small(g, k, seed, betweenness=betweenness)
    return _sampled_large(part, hops if hops is not None else _Hops(*_edge_arrays(g), g.vcount()))


class _Sample:
    """What :func:`_sampled_small` leaves :func:`_sampled_large`: the components, the sources drawn in the
    large ones, the scale of each author's sums, and the values so far."""

    def __init__(self, **values):
        self.__dict__.update(values)


def _sampled_small(g, k: int, seed: int, *, betweenness: bool = True) -> _Sample:
    """The part of :func:`_sampled` that needs igraph's graph: the components, the sources, betweenness from
    them (when ``betweenness``) and the exact values of the components of at most ``k`` authors."""
    n = g.vcount()
    membership = np.asarray(g.connected_components().membership)
    sizes = np.bincount(membership)
    r = sizes[membership]
    small = np.flatnonzero(r <= k)
    rng = np.random.default_rng(seed)
    order = np.argsort(membership, kind="stable")
    bounds = np.r_[0, np.cumsum(sizes)]
    big = [c for c in np.flatnonzero(sizes > k)]
    sources = {c: np.sort(rng.choice(order[bounds[c]:bounds[c + 1]], size=k, replace=False)) for c in big}
    all_sources = np.concatenate([small, *sources.values()]).tolist()

    is_source = np.zeros(n, bool)
    is_source[all_sources] = True
    # sources other than the author itself: every other author of a small component, k (or k-1) elsewhere
    k_v = np.where(r <= k, r - 1, np.where(is_source, k - 1, k)).astype(float)
    scale = np.divide(r - 1, k_v, out=np.zeros(n), where=k_v > 0)

    raw = np.asarray(g.betweenness(directed=False, sources=all_sources, targets=None), float) if n >= 3 and betweenness else np.zeros(n)
    # igraph sums both directions of each (source, target) pair on undirected graphs: half an unordered pair each
    between = raw * scale * (2 / ((n - 1) * (n - 2))) if n >= 3 else raw

    harm = np.zeros(n)
    close = np.zeros(n)
    if len(small):
        harm[small] = g.harmonic_centrality(vertices=small.tolist(), mode="all", normalized=False)
        raw_close = np.asarray(g.closeness(vertices=small.tolist(), mode="all", normalized=True), float)
        rs = r[small]
        close[small] = np.where((rs > 1) & ~np.isnan(raw_close), np.nan_to_num(raw_close) * (rs - 1) / max(n - 1, 1), 0.0)
    return _Sample(n=n, sizes=sizes, order=order, bounds=bounds, sources=sources, scale=scale, between=between,
                   harm=harm, close=close)


def _sampled_large(part: _Sample, hops: _Hops) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The estimates in the components of more than ``k`` authors, from breadth-first searches: with
    :func:`_sampled_small`'s part, :func:`_sampled`'s result."""
    n, order, bounds, scale, harm, close = part.n, part.order, part.bounds, part.scale, part.harm, part.close
    for c, chosen in part.sources.items():
        members = order[bounds[c]:bounds[c + 1]]
        inv = np.zeros(len(members))
        dist = np.zeros(len(members))
        step = max(1, 20_000_000 // n)  # rows of distances held at once
        for start in range(0, len(chosen), step):
            block = np.vstack([hops.from_(s)[members] for s in chosen[start:start + step].tolist()]).astype(float)
            with np.errstate(divide="ignore"):
                inv += np.where(block > 0, 1.0 / block, 0.0).sum(axis=0)
            dist += block.sum(axis=0)
        harm[members] = inv * scale[members]
        total = dist * scale[members]
        rc = part.sizes[c]
        close[members] = np.divide((rc - 1) * (rc - 1), total * (n - 1), out=np.zeros(len(members)), where=total > 0)
    return part.between, close, harm, len(part.sources)
