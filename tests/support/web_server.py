"""A small real web server on 127.0.0.1 for the link checker: pages that answer, move, vanish,
refuse robots, loop, stall, and servers that answer HEAD wrongly. It records every request."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16

# path -> (status, headers, body); "{base}" in a header is this server's address.
ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/ok": (200, {"Content-Type": "text/html; charset=utf-8"}, b"<p>fine</p>"),
    "/logo.png": (200, {"Content-Type": "image/png"}, PNG),
    "/gone": (404, {"Content-Type": "text/html"}, b"not found"),
    "/error": (500, {"Content-Type": "text/html"}, b"boom"),
    "/robots-not-welcome": (403, {"Content-Type": "text/html"}, b"no bots"),
    "/moved": (301, {"Location": "/ok"}, b""),
    "/moved-twice": (302, {"Location": "{base}/moved"}, b""),
    "/loop-a": (302, {"Location": "/loop-b"}, b""),
    "/loop-b": (302, {"Location": "/loop-a"}, b""),
    "/to-mail": (302, {"Location": "mailto:someone@example.com"}, b""),
    "/moved-to-gone": (307, {"Location": "/gone"}, b""),
}


class WebServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, str]] = []  # (method, path)
        self.stall_seconds = 3.0
        self.release = threading.Event()  # set: stalled requests answer at once (on shutdown)
        self._lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def record(self, method: str, path: str) -> None:
        with self._lock:
            self.requests.append((method, path))

    def paths(self, method: str | None = None) -> list[str]:
        with self._lock:
            return [p for m, p in self.requests if method is None or m == method]


class _Handler(BaseHTTPRequestHandler):
    server: WebServer

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_HEAD(self) -> None:
        self._answer("HEAD")

    def do_GET(self) -> None:
        self._answer("GET")

    def _answer(self, method: str) -> None:
        self.server.record(method, self.path)
        path = self.path.split("?", 1)[0]
        if path == "/stall":
            self.server.release.wait(self.server.stall_seconds)
        if path == "/head-not-allowed" and method == "HEAD":
            self._send(405, {"Allow": "GET"}, b"", method)
        elif path == "/head-not-allowed":
            self._send(200, {"Content-Type": "text/html"}, b"<p>fine for GET</p>", method)
        elif path in ROUTES:
            status, headers, body = ROUTES[path]
            headers = {k: v.replace("{base}", self.server.base) for k, v in headers.items()}
            self._send(status, headers, body, method)
        else:
            self._send(404, {"Content-Type": "text/plain"}, b"no such page", method)

    def _send(self, status: int, headers: dict[str, str], body: bytes, method: str) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the checker closed early (a GET it won't read)
            pass


@contextmanager
def web_server() -> Iterator[WebServer]:
    server = WebServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
