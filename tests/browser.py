"""Driving Debian's Chromium through Playwright (the site is served by tests.servers)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str:
    """Debian's chromium; missing it skips browser tests locally but fails them in CI."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    message = "Debian chromium not found (apt-get install chromium); .ci/run installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def material_search(page, url: str, query: str) -> list[str]:
    """Open ``url``, wait until Material's search worker has its index, type ``query``; return
    the result paths, best first."""
    page.goto(url)
    page.wait_for_function(
        """() => {
            const meta = document.querySelector(".md-search-result__meta");
            const config = JSON.parse(document.getElementById("__config").textContent);
            return meta && meta.textContent.trim() === config.translations["search.result.placeholder"];
        }""",
        timeout=90_000,  # the worker indexes the whole edition first; slow on a busy machine
    )
    page.keyboard.press("/")  # Material's keyboard shortcut: focus search
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # Material searches on key events; fill alone types no key
    page.locator(".md-search-result__list > li a").first.wait_for(timeout=30_000)
    hrefs = page.locator(".md-search-result__list > li > a").evaluate_all("els => els.map(e => e.href)")
    return [urlsplit(href).path for href in hrefs]  # drop Material's ?h= highlight query
