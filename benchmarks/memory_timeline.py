"""Where a command's memory goes over time: the resident memory of it and its children, every second.

    python benchmarks/memory_timeline.py [--every 1.0] -- graphkit build INPUT --out DIR

Prints one line per interval (seconds since start, the main process, each child, the total, in MB =
2^20 bytes) and, at the end, the peak of the total and when it happened. Read beside report.json's
stage times to see which stage holds what.
"""

from __future__ import annotations

import argparse
import subprocess
import time

import psutil


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--every", type=float, default=1.0, help="seconds between printed lines")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = psutil.Process(process.pid)
    peak, peak_at, next_line = 0, 0.0, 0.0
    while process.poll() is None:
        try:
            main_rss = root.memory_info().rss
            children = [child.memory_info().rss for child in root.children(recursive=True)]
        except psutil.Error:
            time.sleep(0.02)
            continue
        total = main_rss + sum(children)
        now = time.perf_counter() - start
        if total > peak:
            peak, peak_at = total, now
        if now >= next_line:
            kids = ", ".join(f"{rss / 2**20:,.0f}" for rss in children) or "-"
            print(f"{now:7.1f} s  main {main_rss / 2**20:7,.0f}  children [{kids}]  total {total / 2**20:7,.0f} MB", flush=True)
            next_line += args.every
        time.sleep(0.02)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    print(f"exit {process.returncode} after {time.perf_counter() - start:.1f} s; peak {peak / 2**20:,.0f} MB at {peak_at:.1f} s")
    if process.returncode:
        print(stderr[-2000:])


if __name__ == "__main__":
    main()
