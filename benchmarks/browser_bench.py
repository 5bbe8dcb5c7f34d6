"""Browser benchmark: the all-errors table and the lookup page at N synthetic entries, in Chromium.

    python benchmarks/browser_bench.py --entries 10000 [--runs 5] [--site DIR]

Builds the site for a synthetic catalog (``synthetic.py``) with the error-catalog plugin, or
takes an already built one with --site, serves it on loopback and drives Debian's Chromium
through Playwright. Prints one JSON line; every figure is a median over --runs page loads:
  table_data_ms            fetching and parsing all-errors.json (not rendering; for context)
  table_first_render_ms    from the rows' arrival to the first page of rows in the DOM: sorting,
                           filtering, drawing
  table_keystroke_ms       one character typed into the filter: filter, redraw and layout
  lookup_prepare_ms        each entry's word set, computed once at load
  lookup_first_paste_ms    the first body pasted after the page is ready: match, draw and layout
  lookup_paste_ms          further pastes (message match, type only, words only)
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import catalog_site_config  # noqa: E402
from synthetic import write_catalog  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# A reader types into a page that is already on screen: fonts loaded, first frames painted.
SETTLED = """() => document.fonts.ready.then(
  () => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve))))"""
FILTER_TEXT = "synthetic"

TYPE_ONE_KEY = """(key) => {
  const table = document.querySelector("[data-ec-table]");
  const input = table.querySelector("input[name=keyword]");
  const start = performance.now();
  input.value += key;
  input.dispatchEvent(new Event("input", {bubbles: true}));
  table.querySelector("tbody").getBoundingClientRect();  // include layout
  return performance.now() - start;
}"""

PASTE = """(body) => {
  const box = document.querySelector("[data-ec-lookup]");
  const input = box.querySelector("textarea");
  const start = performance.now();
  input.value = body;
  input.dispatchEvent(new Event("input", {bubbles: true}));
  box.querySelector("[data-ec-lookup-results]").getBoundingClientRect();  // include layout
  return performance.now() - start;
}"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def build_site(entries: int, workdir: Path) -> Path:
    catalog = write_catalog(workdir / "catalog", entries)
    shutil.copytree(ROOT / "docs" / "assets", workdir / "docs" / "assets")
    (workdir / "mkdocs.yml").write_text(catalog_site_config(catalog), encoding="utf-8")
    print(f"building the site for {entries} entries ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(workdir / "mkdocs.yml"), "-d", str(workdir / "site")],
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        cwd=workdir,
        stdout=subprocess.DEVNULL,
    )
    print(f"built in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return workdir / "site"


def sample_bodies(site: Path) -> list[str]:
    """Pastes a reader would make: a full body with status line, a type alone, loose words."""
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    entry = next(e for e in catalog["entries"] if e["status"] and e["error"] and e["message"])
    body = json.dumps({"error": entry["error"], "error_description": entry["message"]})
    return [
        f"HTTP/1.1 {entry['status']} Error\n\n{body}",
        entry["error"],
        "token expired please retry",
        f'{{"error": "{entry["error"]}", "error_description": "something else entirely"}}',
    ]


def chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    sys.exit("Debian chromium not found: apt-get install -y chromium")


def measure(site: Path, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    bodies = sample_bodies(site)
    data, first_render, keystrokes, prepare, first_paste, pastes = [], [], [], [], [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            for run in range(runs):
                print(f"run {run + 1}/{runs}", file=sys.stderr, flush=True)
                page.goto(base + "errors/")
                page.locator("[data-ec-table][data-ec-ready='2']").wait_for(timeout=120_000)
                table = page.locator("[data-ec-table]")
                data.append(float(table.get_attribute("data-ec-data-ms")))
                first_render.append(float(table.get_attribute("data-ec-first-render-ms")))
                page.evaluate(SETTLED)
                keystrokes.extend(page.evaluate(TYPE_ONE_KEY, key) for key in FILTER_TEXT)
                page.goto(base + "lookup/")
                page.locator("[data-ec-lookup][data-ec-ready='2']").wait_for(timeout=120_000)
                prepare.append(float(page.locator("[data-ec-lookup]").get_attribute("data-ec-prepare-ms")))
                page.evaluate(SETTLED)
                first_paste.append(page.evaluate(PASTE, bodies[0]))
                pastes.extend(page.evaluate(PASTE, body) for body in bodies[1:])
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {
        "table_data_ms": round(statistics.median(data), 1),
        "table_first_render_ms": round(statistics.median(first_render), 1),
        "table_keystroke_ms": round(statistics.median(keystrokes), 1),
        "table_keystroke_max_ms": round(max(keystrokes), 1),
        "lookup_prepare_ms": round(statistics.median(prepare), 1),
        "lookup_first_paste_ms": round(statistics.median(first_paste), 1),
        "lookup_paste_ms": round(statistics.median(pastes), 1),
        "lookup_paste_max_ms": round(max(pastes), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site", type=Path, help="an already built site for the same --entries")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="error-catalog-browser-bench-") as workdir:
        site = args.site or build_site(args.entries, Path(workdir))
        rows = len(json.loads((site / "all-errors.json").read_text(encoding="utf-8"))["rows"])
        if rows != args.entries:
            sys.exit(f"{site} has {rows} entries, not {args.entries}")
        print(json.dumps({"entries": args.entries, "runs": args.runs, **measure(site, args.runs)}))


if __name__ == "__main__":
    main()
