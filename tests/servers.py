"""Local servers for tests: a static folder on loopback, and a live `mkdocs serve`."""

from __future__ import annotations

import functools
import io
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.conftest import quiet_env

WAIT_TIMEOUT = 120  # seconds; generous for a 2-core CI machine building the real site


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _NotFoundPageHandler(_QuietHandler):
    """Answers a missing path with the nearest ``404.html`` above it and status 404, as static
    hosts do (``/en/x/`` gets ``/en/404.html``; GitHub Pages uses only the root one)."""

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_file() or (path.is_dir() and (path / "index.html").is_file()):
            return super().send_head()
        root = Path(self.directory).resolve()
        folder = path if path.is_dir() else path.parent
        while folder != root and root in folder.parents and not (folder / "404.html").is_file():
            folder = folder.parent
        page = folder / "404.html" if (folder / "404.html").is_file() else root / "404.html"
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve_directory(root: Path, not_found_pages: bool = False) -> Iterator[str]:
    """Serve ``root`` on a free loopback port; yields the base URL and always stops the server.
    With ``not_found_pages``, a missing path gets the site's 404 page."""
    handler = functools.partial(_NotFoundPageHandler if not_found_pages else _QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    """The body at ``url``, or None while the server does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate: Callable[[], bool], timeout: float = WAIT_TIMEOUT) -> float:
    """Poll until predicate() is true; returns the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"condition not met within {timeout} s")


@dataclass
class MkDocsServe:
    """A running `mkdocs serve` and everything it has printed so far."""

    url: str
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)

    def log_since(self, start: int) -> str:
        return "".join(self.output[start:])


@contextmanager
def mkdocs_serve(cwd: Path, *extra: str) -> Iterator[MkDocsServe]:
    """Start `mkdocs serve` in ``cwd`` on a free loopback port; always stops it."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *extra],
        cwd=cwd,
        env=quiet_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = MkDocsServe(f"http://127.0.0.1:{port}/", process)
    threading.Thread(target=lambda: server.output.extend(iter(process.stdout.readline, "")), daemon=True).start()
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
