"""`mkdocs serve` for maintainers: a catalog edit shows up live; a bad edit is reported and the
server keeps serving the last good site; fixing the file brings the new site back."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from tests.conftest import ROOT, quiet_env

REBUILD_TIMEOUT = 120  # seconds; a rebuild of the real catalog takes a fraction of that


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(predicate, timeout: float = REBUILD_TIMEOUT) -> float:
    """Poll until predicate() is true; returns the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"condition not met within {timeout} s")


def test_live_edit_bad_edit_and_recovery(tmp_path: Path, capsys) -> None:
    site = tmp_path / "repo"
    site.mkdir()
    for name in ("catalog", "docs"):
        shutil.copytree(ROOT / name, site / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("  - generator/templates\n", "")
    (site / "mkdocs.yml").write_text(config, encoding="utf-8")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site,
        env=quiet_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()
    page_url = f"http://127.0.0.1:{port}/errors/token-corrupt/"
    errors_file = site / "catalog" / "errors" / "common.yaml"
    original = errors_file.read_text(encoding="utf-8")
    try:
        _wait_for(lambda: "corrupt access token" in (_fetch(page_url) or ""))

        # 1. A good edit shows up.
        edited = original.replace("如果 Token 本身已损坏", "LIVE-EDIT-MARKER 如果 Token 本身已损坏", 1)
        assert edited != original
        errors_file.write_text(edited, encoding="utf-8")
        latency = _wait_for(lambda: "LIVE-EDIT-MARKER" in (_fetch(page_url) or ""))

        # 2. A bad edit: problems in the terminal, no traceback, the last good site still served.
        errors_file.write_text(edited.replace("    status: 401\n", "    status: 401\n    status: 402\n", 1), "utf-8")
        _wait_for(lambda: any("problem(s)" in line for line in output))
        log = "".join(output)
        assert "common.yaml:" in log and "duplicate key 'status'" in log
        assert "Still serving the last good build" in log
        assert "Traceback" not in log
        _wait_for(lambda: "LIVE-EDIT-MARKER" in (_fetch(page_url) or ""))  # answers, with the last good page
        assert process.poll() is None

        # 3. Fixing the file brings the site back with the newest text.
        errors_file.write_text(edited.replace("LIVE-EDIT-MARKER", "LIVE-EDIT-FIXED"), encoding="utf-8")
        _wait_for(lambda: "LIVE-EDIT-FIXED" in (_fetch(page_url) or ""))
        with capsys.disabled():
            print(f"\n[serve] catalog edit visible after {latency:.1f} s")
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_serve_keeps_the_last_good_site_through_every_invalid_case(tmp_path: Path) -> None:
    """Each case of tests/fixtures/invalid, applied to a live server's catalog: its messages are
    printed, the last good page is still served, and restoring the files brings the server back."""
    import yaml

    from tests.conftest import MINIMAL_CATALOG
    from tests.test_validate import INVALID_CASES, file_bytes

    shutil.copytree(MINIMAL_CATALOG, tmp_path / "catalog")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - error-catalog:\n      catalog: catalog\nwatch:\n  - catalog\n",
        encoding="utf-8",
    )
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        env=quiet_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    threading.Thread(target=lambda: output.extend(iter(process.stdout.readline, "")), daemon=True).start()
    page_url = f"http://127.0.0.1:{port}/errors/group-not-found/"
    try:
        _wait_for(lambda: "grpID XX does not exist" in (_fetch(page_url) or ""))
        for case_path in INVALID_CASES:
            case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
            saved = {}
            for name in case["files"]:
                target = tmp_path / "catalog" / name
                saved[name] = target.read_bytes() if target.exists() else None
            start = len(output)
            for name, content in case["files"].items():
                target = tmp_path / "catalog" / name
                target.parent.mkdir(parents=True, exist_ok=True)
                if content is None:
                    target.unlink()
                else:
                    target.write_bytes(file_bytes(content))
            expected = [line.replace("catalog/", "", 1) for line in case["expected"].splitlines()]
            _wait_for(lambda start=start: "Still serving the last good build" in "".join(output[start:]))
            log = "".join(output[start:])
            for line in expected:
                assert line in log, (case_path.stem, line)
            assert "Traceback" not in log, case_path.stem
            _wait_for(lambda: "grpID XX does not exist" in (_fetch(page_url) or ""))
            assert process.poll() is None, case_path.stem
            for name, content in saved.items():
                target = tmp_path / "catalog" / name
                if content is None:
                    target.unlink()
                else:
                    target.write_bytes(content)
            _wait_for(lambda start=start: "Reloading browsers" in "".join(output[start:]).split("Still serving")[-1])
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
