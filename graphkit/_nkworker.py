"""NetworKit's part of the build's centrality, importable without the rest of graphkit.

:func:`graphkit.analyze.defaults.author_centrality` runs it in a thread, or on
large graphs in a process of its own (spawned: it imports only NumPy and
NetworKit, not pandas or networkx, so it starts in a fraction of a second).
"""

from __future__ import annotations

import threading

import numpy as np

from graphkit._procs import debug_mark, trim_heap

_LOCK = threading.Lock()  # NetworKit's seed and thread count are global: one job at a time per process


def _run(algorithm) -> None:
    """``algorithm.run()``; NetworKit's own Ctrl-C as :class:`KeyboardInterrupt`.

    While it runs, NetworKit catches SIGINT itself, even where the process ignores it (a job started in
    the background of a script), and raises ``RuntimeError: Received CTRL+C/SIGINT``: the build then
    stops as any interrupted command does (one line, exit 130), not with that error's traceback.
    """
    try:
        algorithm.run()
    except RuntimeError as exc:
        if "SIGINT" in str(exc) or "CTRL+C" in str(exc):
            raise KeyboardInterrupt from None
        raise


def largest_first(membership: np.ndarray) -> np.ndarray:
    """``membership`` renumbered so that 0 is the largest community (ties: the one seen first).

    >>> largest_first(np.array([5, 2, 2, 7, 5, 2])).tolist()
    [1, 0, 0, 2, 1, 0]
    """
    n = len(membership)
    if n == 0:
        return np.zeros(0, np.int64)
    _, membership = np.unique(membership, return_inverse=True)
    membership = membership.ravel()
    sizes = np.bincount(membership)
    first = np.full(len(sizes), n)
    np.minimum.at(first, membership, np.arange(n))
    order = np.lexsort((first, -sizes))  # largest first, then by first member
    rank = np.empty(len(sizes), np.int64)
    rank[order] = np.arange(len(sizes))
    return rank[membership]


def _node_ids(a: np.ndarray) -> np.ndarray:
    """Node ids as NetworKit's ``addEdges`` takes them (contiguous uint64): non-negative int64 ids are viewed
    as such, not copied (all of DBLP: 1 GB less in this process)."""
    if a.dtype == np.int64 and a.flags.c_contiguous:
        return a.view(np.uint64)
    return np.ascontiguousarray(a, dtype=np.uint64)


def networkit_steps(u: np.ndarray, v: np.ndarray, w: np.ndarray, n: int, seed: int, kadabra: bool,
                    epsilon: float, delta: float):
    """``("community", membership)``, then (when ``kadabra``) ``("betweenness", values)`` of the graph of
    ``n`` authors and edges ``u``-``v`` (weights ``w``), each as soon as it is computed:

    - community: Louvain (PLM with refinement) on the weights, renumbered largest first; first,
      because the map waits for it and not for betweenness;
    - betweenness: KADABRA, within ``epsilon`` on its own scale of the exact value for every author
      at once with probability ``1 - delta``, rescaled to networkx's normalisation.

    One NetworKit thread, each algorithm seeded just before it runs, one job at a time: the same
    seed gives the same values whatever the scheduling (NetworKit's two-thread KADABRA did not).
    """
    nk = _networkit()

    with _LOCK:
        threads = nk.getMaxNumberOfThreads()
        nk.setNumberOfThreads(1)
        try:
            if n == 0:
                community = np.zeros(0, np.int64)
            else:
                g = nk.Graph(n, weighted=True)
                g.addEdges((np.ascontiguousarray(w, dtype=np.float64), (_node_ids(u), _node_ids(v))))
                debug_mark("NetworKit's weighted graph")
                nk.engineering.setSeed(seed, False)
                plm = nk.community.PLM(g, refine=True)
                _run(plm)
                community = largest_first(np.asarray(plm.getPartition().getVector(), np.int64))
                del g, plm
                trim_heap()  # the freed graph's memory back to the system before the next is built
                debug_mark("Louvain")
            yield "community", community
            if kadabra:
                between = None
                if n >= 3:
                    g = nk.Graph(n)
                    g.addEdges((_node_ids(u), _node_ids(v)))
                    debug_mark("NetworKit's graph")
                    nk.engineering.setSeed(seed, False)
                    algo = nk.centrality.KadabraBetweenness(g, epsilon, delta, True)
                    _run(algo)
                    debug_mark("KADABRA")
                    # KADABRA's score is twice networkx's unordered-pair count over n(n-1)
                    between = np.asarray(algo.scores(), float) * (n / (2 * (n - 2)))
                yield "betweenness", between
        finally:
            nk.setNumberOfThreads(threads)


def networkit_measures(u: np.ndarray, v: np.ndarray, w: np.ndarray, n: int, seed: int, kadabra: bool,
                       epsilon: float, delta: float) -> tuple[np.ndarray | None, np.ndarray]:
    """``(betweenness or None, community)``: :func:`networkit_steps` at once."""
    found = dict(networkit_steps(u, v, w, n, seed, kadabra, epsilon, delta))
    return found.get("betweenness"), found["community"]


def _networkit():
    """``import networkit``; for the ``graphkit`` command (``GRAPHKIT_IGRAPH_WITHOUT_PYPLOT=1``, see
    :mod:`graphkit.analyze._compiled`) without the plotting packages it would pull in (:data:`_UNUSED`
    not yet imported are hidden from that one import: half a second of a small build's start)."""
    import os
    import sys

    if "networkit" in sys.modules or os.environ.get("GRAPHKIT_IGRAPH_WITHOUT_PYPLOT") != "1":
        import networkit

        return networkit
    hidden = [name for name in _UNUSED if name not in sys.modules and name != "pandas"]
    for name in hidden:
        sys.modules[name] = None  # an import of it raises ImportError
    try:
        import networkit
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return networkit


#: Packages ``import networkit`` pulls in for its plotting and profiling modules, which the worker never
#: uses: 0.7 s of CPU and 115 MB of the child's 1.6 s and 200 MB. The child marks them absent (NetworKit
#: 11 imports without them); should a NetworKit need one, the child fails and the job runs in the caller.
_UNUSED = ("matplotlib", "pandas", "seaborn", "fontTools", "IPython")


def _main() -> None:
    """``python -m graphkit._nkworker``: the pickled arguments on stdin, the pickled result on stdout."""
    import pickle
    import sys

    for name in _UNUSED:
        sys.modules.setdefault(name, None)  # an import of it raises ImportError
    import networkit  # noqa: F401  before the job arrives: a worker started early imports while its parent resolves

    try:
        source = sys.stdin.buffer
        if not source.peek(1):  # started early and never given a job: the parent has ended
            return
        args = pickle.load(source)  # read as it is unpickled: the arrays once, not also the bytes they came in
        for step in networkit_steps(*args):  # each result as soon as it is there
            sys.stdout.buffer.write(pickle.dumps(step, protocol=5))
            sys.stdout.buffer.flush()
    except KeyboardInterrupt:  # Ctrl-C: the parent hears of it by the exit code (it stops too, not redoing the job)
        sys.exit(INTERRUPTED)


#: The worker's exit code when Ctrl-C stopped it (a shell's 128 + SIGINT).
INTERRUPTED = 130


if __name__ == "__main__":
    _main()
