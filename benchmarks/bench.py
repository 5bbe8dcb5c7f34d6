"""Benchmark: our plugin against bare MkDocs on the same Markdown, for a synthetic catalog of N entries.

    python benchmarks/bench.py --entries 1000 [--runs 3]

Prints one JSON line. Every figure is the median of --runs runs, all measured in this process's
run on this machine, so `ratio` compares like with like:
  generator_s   load + validate + render to Markdown (no MkDocs)
  build_s       `mkdocs build` with the error-catalog plugin
  bare_build_s  `mkdocs build` of the same Markdown written to a plain docs folder, same theme,
                search settings, assets and nav, plugin off
  ratio         build_s / bare_build_s
  site_bytes_per_entry, search_index_bytes_per_entry, peak_rss_mb (largest build process)
  both_editions_build_s  `mkdocs build` of the same catalog with English listed in site.languages
                (both editions, English under en/); both_editions_ratio: that over build_s
The Chinese-only figures build a copy of the catalog whose site.languages lists zh alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_catalog  # noqa: E402

from generator.site import build_site_content  # noqa: E402
from generator.validate import check_catalog  # noqa: E402

SITE_KEYS = ("theme", "markdown_extensions", "extra_css", "extra_javascript")


def site_config(plugins: list, **extra: object) -> str:
    """mkdocs.yml for a benchmark site: the real site's theme, Markdown extensions, assets and
    search settings, with these plugins besides search."""
    real = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    search = next(p for p in real["plugins"] if p == "search" or (isinstance(p, dict) and "search" in p))
    config = {"site_name": "bench", "site_url": "https://example.org/", **{key: real[key] for key in SITE_KEYS}}
    config["plugins"] = [search, *plugins]
    return yaml.safe_dump({**config, **extra}, allow_unicode=True, sort_keys=False)


def bare_site_config(nav: list) -> str:
    """The benchmark site of plain Markdown files: no plugin, and the package's theme templates
    as a custom_dir (the entry pages' front matter names one of them)."""
    real = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    theme = {**real["theme"], "custom_dir": str(ROOT / "generator" / "theme_overrides")}
    return site_config([], nav=nav, theme=theme)


def catalog_site_config(catalog: Path) -> str:
    """The benchmark site built by the error-catalog plugin from ``catalog``."""
    return site_config([{"error-catalog": {"catalog": str(catalog)}}])


def _build(config: Path, site: Path) -> tuple[float, int]:
    """Seconds of one `mkdocs build`, and the peak RSS (KiB) of children so far."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
        check=True,
        env=env,
        cwd=config.parent,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run(entries: int, runs: int, workdir: Path) -> dict:
    catalog = write_catalog(workdir / "catalog", entries, languages=["zh"])
    both_catalog = write_catalog(workdir / "catalog-both", entries, languages=["zh", "en"])

    generator_times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = check_catalog(catalog)
        assert result.catalog is not None, [p.format() for p in result.errors]
        site = build_site_content(result.catalog, [], "https://example.org/")
        generator_times.append(time.perf_counter() - start)

    # Our site: the plugin renders from the catalog.
    ours = workdir / "ours"
    shutil.copytree(ROOT / "docs" / "assets", ours / "docs" / "assets")
    (ours / "mkdocs.yml").write_text(catalog_site_config(catalog), encoding="utf-8")
    # Both editions: the same catalog with English listed in site.languages.
    both = workdir / "both"
    shutil.copytree(ROOT / "docs" / "assets", both / "docs" / "assets")
    (both / "mkdocs.yml").write_text(catalog_site_config(both_catalog), encoding="utf-8")
    # Bare MkDocs: the very same Markdown and data files as files, the same nav, no plugin.
    bare = workdir / "bare"
    shutil.copytree(ROOT / "docs" / "assets", bare / "docs" / "assets")
    # A static *.md file (an entry's Markdown twin) has its entry page's source name and bare MkDocs
    # would convert it: it goes in under another name, for the same bytes to copy.
    data = {(f"{path}.verbatim" if path.endswith(".md") else path): text for path, text in site.static_files.items()}
    files = {uri: page.whole_markdown() for uri, page in site.pages.items()} | data
    for path, content in files.items():
        target = bare / "docs" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    (bare / "mkdocs.yml").write_text(bare_site_config(site.nav), encoding="utf-8")

    build_times, bare_times, both_times, peak = [], [], [], 0
    for _ in range(runs):  # interleaved, so machine noise hits all alike
        seconds, rss = _build(ours / "mkdocs.yml", ours / "site")
        build_times.append(seconds)
        peak = max(peak, rss)
        seconds, rss = _build(bare / "mkdocs.yml", bare / "site")
        bare_times.append(seconds)
        seconds, rss = _build(both / "mkdocs.yml", both / "site")
        both_times.append(seconds)
    build_s, bare_s = statistics.median(build_times), statistics.median(bare_times)
    both_s = statistics.median(both_times)
    return {
        "entries": entries,
        "runs": runs,
        "generator_s": round(statistics.median(generator_times), 3),
        "build_s": round(build_s, 3),
        "bare_build_s": round(bare_s, 3),
        "ratio": round(build_s / bare_s, 3),
        "generator_share_of_bare": round(statistics.median(generator_times) / bare_s, 3),
        "site_bytes_per_entry": _size(ours / "site") // entries,
        "search_index_bytes_per_entry": (ours / "site" / "search" / "search_index.json").stat().st_size // entries,
        "peak_rss_mb": round(peak / 1024, 1),
        "both_editions_build_s": round(both_s, 3),
        "both_editions_ratio": round(both_s / build_s, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="error-catalog-bench-") as workdir:
        print(json.dumps(run(args.entries, args.runs, Path(workdir))))


if __name__ == "__main__":
    main()
