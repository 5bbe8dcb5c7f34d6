"""Lighthouse's accessibility score of every page type, both editions; exits 1 below the target.

    python benchmarks/lighthouse_a11y.py [--site DIR] [--target 95]

Builds the real site with `mkdocs build --strict` (or takes a built one with --site), serves it on
loopback and runs a pinned Lighthouse (``LIGHTHOUSE``, through npx, on Debian's Chromium:
CHROME_PATH) on one page of each type (tests/browser.py PAGE_TYPES) in each edition, with
Lighthouse's default mobile emulation. Prints a Markdown table of the scores and, for a page
below 100, the audits it failed. Needs Node 18.16 or later and the npm registry (npx fetches
Lighthouse on first use); CI does not run it, tests/test_accessibility.py's axe-core checks are
the gate there.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import EDITIONS, PAGE_TYPES  # noqa: E402
from tests.servers import serve_directory  # noqa: E402

# 12.x: the last Lighthouse line that runs on Node 20 (13.x needs Node 22.19).
LIGHTHOUSE = "lighthouse@12.8.2"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
# The page type a missing path gets: Lighthouse refuses to audit a page answered with status 404,
# so the 404 page is audited at its own address, where the host answers 200.
NOT_FOUND_TYPE = "no/such/page/"
NOT_FOUND_PAGE = "404.html"
RUN_TIMEOUT = 300  # seconds per page; the first run also downloads Lighthouse


@dataclass(frozen=True)
class Score:
    page: str
    score: int  # 0-100
    failed: list[str]  # the ids of the audits that did not pass


def lighthouse_command(url: str, report: Path) -> list[str]:
    return [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--only-categories=accessibility",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
    ]


def audit(url: str, page: str, workdir: Path, chrome: str) -> Score:
    report = workdir / "report.json"
    result = subprocess.run(
        lighthouse_command(url, report),
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": chrome},
        timeout=RUN_TIMEOUT,
    )
    if result.returncode != 0 or not report.is_file():
        sys.exit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    report.unlink()
    category = data["categories"]["accessibility"]
    failed = [
        ref["id"]
        for ref in category["auditRefs"]
        if ref["weight"] > 0 and data["audits"][ref["id"]]["score"] not in (None, 1)
    ]
    return Score(page, round(category["score"] * 100), failed)


def audited_path(page_type: str) -> str:
    return NOT_FOUND_PAGE if page_type == NOT_FOUND_TYPE else page_type


def page_label(page_type: str) -> str:
    return f"/{NOT_FOUND_PAGE} (any missing path)" if page_type == NOT_FOUND_TYPE else f"/{page_type}"


def build_real_site(site_dir: Path) -> None:
    print("building the site ...", file=sys.stderr, flush=True)
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site_dir)],
        check=True,
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def score_table(scores: dict[str, dict[str, Score]]) -> str:
    lines = ["| page | zh | en |", "| :-- | --: | --: |"]
    for page_type in PAGE_TYPES:
        row = [scores[edition][page_type].score for edition in EDITIONS]
        lines.append(f"| {page_label(page_type)} | " + " | ".join(map(str, row)) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build the real one)")
    parser.add_argument("--target", type=int, default=95, help="the lowest score that passes (default 95)")
    args = parser.parse_args()
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory(prefix="lighthouse-a11y-") as tmp:
        workdir = Path(tmp)
        site = args.site
        if site is None:
            site = workdir / "site"
            build_real_site(site)
        scores: dict[str, dict[str, Score]] = {edition: {} for edition in EDITIONS}
        with serve_directory(site, not_found_pages=True) as base_url:
            for edition in EDITIONS:
                for page_type in PAGE_TYPES:
                    url = base_url + edition + audited_path(page_type)
                    print(f"lighthouse {url}", file=sys.stderr, flush=True)
                    scores[edition][page_type] = audit(url, page_type, workdir, chrome)
    print(score_table(scores))
    every = [(edition, score) for edition in EDITIONS for score in scores[edition].values()]
    for edition, score in every:
        if score.failed:
            failed = ", ".join(score.failed)
            print(f"/{edition}{audited_path(score.page)}: {score.score}, failed: {failed}", file=sys.stderr)
    below = [score for _, score in every if score.score < args.target]
    if below:
        sys.exit(f"{len(below)} page(s) below {args.target}")


if __name__ == "__main__":
    main()
