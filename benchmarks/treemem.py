"""Run a command and measure its wall time and the peak memory of its whole process tree.

``graphkit build`` runs NetworKit's betweenness and communities in a child
process on large graphs, so the build's own maximum resident set is not its
footprint: the peak here is the largest sum of the resident sets of the
command and all its descendants, sampled every 20 ms (psutil). The
operating system's figure for the largest single process (``ru_maxrss``) is
given beside it.
"""

from __future__ import annotations

import resource
import subprocess
import threading
import time

import psutil


def run_tree(command: list[str], *, timeout: float | None = None) -> dict:
    """``{"returncode", "stdout", "stderr", "seconds", "tree_peak_mb", "largest_process_mb", "timed_out"}``."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out: dict[str, str] = {}
    readers = [threading.Thread(target=lambda name=name, stream=stream: out.__setitem__(name, stream.read()), daemon=True)
               for name, stream in (("stdout", proc.stdout), ("stderr", proc.stderr))]
    for reader in readers:
        reader.start()
    root = psutil.Process(proc.pid)
    peak = 0
    timed_out = False
    while proc.poll() is None:
        try:
            total = root.memory_info().rss
            for child in root.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, total)
        except psutil.Error:
            pass
        if timeout is not None and time.perf_counter() - start > timeout:
            proc.kill()
            timed_out = True
        time.sleep(0.02)
    for reader in readers:
        reader.join()
    seconds = time.perf_counter() - start
    return {
        "returncode": proc.returncode, "stdout": out.get("stdout", ""), "stderr": out.get("stderr", ""),
        "seconds": seconds, "tree_peak_mb": peak / 2**20, "timed_out": timed_out,
        "largest_process_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
