"""Generate the README's map pictures with headless Chromium (Debian's /usr/bin/chromium).

    python tools/screenshots.py [--out docs/images]

- ca-grqc-map.png: `graphkit map --edgelist ca-GrQc.txt` (needs ../shared), as opened;
- time-control.png: the example profiles' map with the year control moved back
  and the average-year overlay on;
- ca-grqc-static.png: what `graphkit map --png` draws for ca-GrQc (matplotlib, no browser), at 100 dpi.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
GRQC = ROOT.parent / "shared" / "data" / "snap" / "ca-GrQc.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    from typer.testing import CliRunner

    from graphkit.cli import app

    args.out.mkdir(parents=True, exist_ok=True)
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp_name, sync_playwright() as p:
        tmp = Path(tmp_name)
        browser = p.chromium.launch(executable_path=os.environ.get("GRAPHKIT_CHROMIUM", "/usr/bin/chromium"), args=ARGS)
        context = browser.new_context(offline=True, viewport={"width": 1280, "height": 800})
        page = context.new_page()

        def run(*argv: str) -> None:
            result = runner.invoke(app, list(argv))
            if result.exit_code != 0:
                raise SystemExit(f"graphkit {' '.join(argv)} failed:\n{result.output}")

        def shoot(html: Path, png: Path, script: str | None = None) -> None:
            page.goto(html.as_uri())
            page.wait_for_selector("html[data-graphkit-ready]", state="attached", timeout=60000)
            if script:
                page.evaluate(script)
            page.wait_for_timeout(300)
            page.screenshot(path=str(png))
            print(f"wrote {png}")

        if GRQC.exists():
            run("map", "--edgelist", str(GRQC), "--out", str(tmp / "grqc.html"))
            # what `graphkit map --png` draws, at a screen resolution to keep the repository small
            from graphkit.extract.edgelist import read_edgelist
            from graphkit.render import collaboration_network, write_image

            print(f"wrote {write_image(collaboration_network(read_edgelist(GRQC)[0]), args.out / 'ca-grqc-static.png', dpi=100)}")
            shoot(tmp / "grqc.html", args.out / "ca-grqc-map.png")
        else:
            print(f"{GRQC} is absent: the ca-GrQc pictures are skipped")
        run("build", str(ROOT / "examples" / "profiles"), "--out", str(tmp / "examples"), "--as-of", "2026-11-21")
        years = """() => { const s = document.getElementById('year');
            const y = Math.round((+s.min + +s.max) / 2) + 1;
            s.value = y; s.dispatchEvent(new Event('input'));
            const c = document.getElementById('colour'); c.value = 'year'; c.dispatchEvent(new Event('change')); }"""
        shoot(tmp / "examples" / "collaboration-map.html", args.out / "time-control.png", years)
        browser.close()


if __name__ == "__main__":
    main()
