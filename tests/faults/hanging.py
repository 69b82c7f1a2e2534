"""A platform that stops answering: a loopback proxy that forwards the first
requests to a stand-in, then accepts every further request and never answers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import httpx


@contextmanager
def hanging_after(upstream_base: str, answered: int) -> Iterator[str]:
    """Yields `upstream_base` rewritten to pass through a proxy that answers
    `answered` requests and then hangs on every one (until the block ends)."""
    parts = urlsplit(upstream_base)
    upstream = f"{parts.scheme}://{parts.netloc}"
    release = threading.Event()
    lock = threading.Lock()
    count = [0]
    client = httpx.Client(timeout=30)

    class Handler(BaseHTTPRequestHandler):
        def _forward(self, method: str) -> None:
            with lock:
                count[0] += 1
                n = count[0]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if n > answered:
                release.wait(300)
                self.close_connection = True
                return
            headers = {
                k: v
                for k, v in self.headers.items()
                if k.lower() in ("authorization", "content-type")
            }
            resp = client.request(method, upstream + self.path, content=body, headers=headers)
            self.send_response(resp.status_code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(resp.content)))
            self.end_headers()
            self.wfile.write(resp.content)

        def do_GET(self) -> None:
            self._forward("GET")

        def do_POST(self) -> None:
            self._forward("POST")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{parts.path}"
    finally:
        release.set()
        server.shutdown()
        server.server_close()
        client.close()
