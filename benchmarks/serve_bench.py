"""Serve benchmark: how long a one-entry edit of the real catalog takes to show under `mkdocs serve`.

    python benchmarks/serve_bench.py [--edits 5]

Copies the repository's catalog, docs and mkdocs.yml to a temp folder, starts `mkdocs serve` on a
free loopback port, and edits one entry --edits times in each of two ways: a typical edit (one
entry's cause, shown on its own page) and the widest one (the remedy of an error every API can
return, shown in the tables of 18 pages). Prints one JSON line of medians:
  full_build_s       the initial build (every page)
  typical_rebuild_s  `mkdocs serve`'s own "Documentation built in" figure after a typical edit
  typical_visible_s  from saving the file to the new text in the served page (polled every 0.1 s)
  widest_rebuild_s, widest_visible_s   the same for the widest edit
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")
# (file, text to prefix a marker to, page that shows it)
EDITS = {
    "typical": ("group.yaml", "当前 App 没有开通子区", "errors/thread-not-open/"),
    "widest": ("common.yaml", "如果 Token 本身已损坏", "modules/group/"),
}


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait(predicate, output: list[str], timeout: float = 120) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if predicate():
            return time.perf_counter() - start
        time.sleep(0.1)  # each poll is a request the server answers while it rebuilds: not too often
    sys.exit("timed out waiting for `mkdocs serve`; its last output:\n" + "".join(output[-30:]))


def run(edits: int, workdir: Path) -> dict:
    for name in ("catalog", "docs"):
        shutil.copytree(ROOT / name, workdir / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("  - generator/templates\n", "")
    (workdir / "mkdocs.yml").write_text(config, encoding="utf-8")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=workdir,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    threading.Thread(target=lambda: output.extend(iter(process.stdout.readline, "")), daemon=True).start()
    base = f"http://127.0.0.1:{port}/"
    figures: dict[str, list[float]] = {}
    try:
        _wait(lambda: "corrupt access token" in _fetch(base + "errors/token-corrupt/"), output)
        figures["full_build_s"] = [float(BUILT.findall("".join(output))[0])]
        for edit in range(edits):
            for kind, (file_name, anchor, page) in EDITS.items():
                path = workdir / "catalog" / "errors" / file_name
                text = path.read_text(encoding="utf-8")
                marker = f"BENCH-{kind}-{edit}"
                builds = len(BUILT.findall("".join(output)))
                path.write_text(re.sub(rf"(BENCH-{kind}-\d+ )?{anchor}", f"{marker} {anchor}", text, count=1), "utf-8")
                visible = _wait(lambda marker=marker, page=page: marker in _fetch(base + page), output)
                _wait(lambda builds=builds: len(BUILT.findall("".join(output))) > builds, output)
                figures.setdefault(f"{kind}_visible_s", []).append(visible)
                figures.setdefault(f"{kind}_rebuild_s", []).append(float(BUILT.findall("".join(output))[-1]))
                print(f"{kind} edit {edit + 1}/{edits}: visible after {visible:.2f} s", file=sys.stderr, flush=True)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"edits": edits, **{name: round(statistics.median(values), 2) for name, values in figures.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="error-catalog-serve-bench-") as workdir:
        print(json.dumps(run(args.edits, Path(workdir))))


if __name__ == "__main__":
    main()
