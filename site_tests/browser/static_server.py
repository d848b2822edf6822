"""A small static file server for browser tests: it can be stopped to simulate airplane mode,
served under a path prefix, made to stall mid-file, and it records every path a browser asks
for and every full (200) response it sends."""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

from macros.browser.security import HEADERS_FILE, headers_for, read_headers_file

MIME_TYPES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
    ".json": "application/json",
    ".zip": "application/zip",
    ".svg": "image/svg+xml",
}


class _Handler(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        **MIME_TYPES,
    }

    def __init__(
        self, *args, prefix: str, log: list[str], server_state: StaticServer, **kwargs
    ) -> None:  # type: ignore[no-untyped-def]
        self._prefix = prefix
        self._log = log
        self._state = server_state
        super().__init__(*args, **kwargs)

    def send_response(self, code: int, message: str | None = None) -> None:
        if code == 200:
            self._state.full_responses.append(self.path)
        super().send_response(code, message)

    def copyfile(self, source, outputfile) -> None:  # type: ignore[no-untyped-def]
        if not any(self.path.endswith(suffix) for suffix in self._state.stalled):
            shutil.copyfileobj(source, outputfile)
            return
        # A server that stops sending part-way through a file and never finishes it.
        outputfile.write(source.read(STALL_AFTER_BYTES))
        outputfile.flush()
        self._state.released.wait()

    def translate_path(self, path: str) -> str:
        if self._prefix and path.startswith(self._prefix):
            path = "/" + path[len(self._prefix) :].lstrip("/")
        return super().translate_path(path)

    def send_head(self):  # type: ignore[no-untyped-def]
        self._log.append(self.path)
        if self._prefix and not self.path.startswith(self._prefix):
            self.send_error(404)
            return None
        return super().send_head()

    def end_headers(self) -> None:
        # Like a static host: the service worker script is always revalidated.
        self.send_header("Cache-Control", "no-cache")
        # Like Netlify or Cloudflare Pages: the site's `_headers` (its security policy) is
        # sent with every file, workers and the service worker included.
        for name, value in self._site_headers():
            self.send_header(name, value)
        super().end_headers()

    def _site_headers(self) -> list[tuple[str, str]]:
        rules = Path(self.directory) / HEADERS_FILE
        if not rules.is_file():
            return []
        path = self.path.split("?", 1)[0]
        if self._prefix and path.startswith(self._prefix):
            path = "/" + path[len(self._prefix) :].lstrip("/")
        return headers_for(read_headers_file(rules.read_text(encoding="utf-8")), path)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the request log is kept in `self._log` instead."""


STALL_AFTER_BYTES = 256 * 1024


class StaticServer:
    """Serve `root` at http://127.0.0.1:<port><prefix>; stop() and start() keep the same port."""

    def __init__(self, root: Path, prefix: str = "/") -> None:
        self.root = root
        self.prefix = prefix if prefix.endswith("/") else prefix + "/"
        self.requests: list[str] = []
        self.full_responses: list[str] = []
        self.stalled: set[str] = set()
        self.released = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.prefix}"

    def start(self) -> StaticServer:
        handler = functools.partial(
            _Handler,
            directory=str(self.root),
            prefix="" if self.prefix == "/" else self.prefix,
            log=self.requests,
            server_state=self,
        )
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stall(self, path_suffix: str) -> None:
        """From now on, files whose path ends with `path_suffix` stop part-way until release()."""
        self.released.clear()
        self.stalled.add(path_suffix)

    def release(self) -> None:
        """Serve every file in full again; stalled responses end (truncated) at once."""
        self.stalled.clear()
        self.released.set()

    def stop(self) -> None:
        self.release()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
