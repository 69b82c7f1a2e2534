"""A loopback HTTP proxy in front of a platform stand-in that spoils its answers
on a plan drawn beforehand: a value replaced or removed somewhere in the JSON,
the body cut short or replaced, an error status, a body that is not JSON."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import httpx
from hypothesis import strategies as st

from tests.fuzz.strategies import json_values

PASS, REPLACE, DELETE, TRUNCATE, BODY, STATUS = range(6)
STATUSES = (200, 400, 404, 429, 500, 503)


@dataclass(frozen=True)
class Spoil:
    op: int
    picks: tuple[int, ...] = ()
    value: Any = None


spoils = st.builds(
    Spoil,
    op=st.sampled_from([PASS, PASS, REPLACE, REPLACE, DELETE, TRUNCATE, BODY, STATUS]),
    picks=st.lists(st.integers(0, 1000), min_size=1, max_size=8).map(tuple),
    value=json_values,
)
plans = st.lists(spoils, max_size=12)


def _spoil_json(node: Any, spoil: Spoil) -> tuple[Any, bool]:
    """Walk down `node` along `spoil.picks`; replace or delete where the walk stops."""
    path: list[tuple[Any, Any]] = []
    current = node
    for pick in spoil.picks:
        if isinstance(current, dict) and current:
            key = sorted(current)[pick % len(current)]
        elif isinstance(current, list) and current:
            key = pick % len(current)
        else:
            break
        path.append((current, key))
        current = current[key]
    if not path:
        return (spoil.value, True) if spoil.op == REPLACE else (node, False)
    parent, key = path[-1]
    if spoil.op == REPLACE:
        parent[key] = spoil.value
    else:
        del parent[key]
    return node, True


def spoiled(status: int, body: bytes, spoil: Spoil) -> tuple[int, bytes]:
    if spoil.op == PASS:
        return status, body
    if spoil.op == STATUS:
        return STATUSES[spoil.picks[0] % len(STATUSES)], b"<html>upstream trouble</html>"
    if spoil.op == TRUNCATE:
        return status, body[: spoil.picks[0] % max(1, len(body))]
    if spoil.op == BODY:
        return status, json.dumps(spoil.value).encode()
    try:
        doc = json.loads(body)
    except ValueError:
        return status, body
    doc, _ = _spoil_json(doc, spoil)
    return status, json.dumps(doc).encode()


@dataclass
class Proxy:
    upstream: str  # scheme://host:port
    plan: list[Spoil] = field(default_factory=list)
    served: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, plan: list[Spoil]) -> None:
        with self.lock:
            self.plan = plan
            self.served = 0

    def next_spoil(self) -> Spoil:
        with self.lock:
            n = self.served
            self.served += 1
        return self.plan[n] if n < len(self.plan) else Spoil(PASS)


@contextmanager
def proxying(upstream_base: str, proxy: Proxy) -> Iterator[str]:
    """Serve `proxy` on loopback; yields `upstream_base` rewritten to go through it."""
    parts = urlsplit(upstream_base)
    upstream = f"{parts.scheme}://{parts.netloc}"
    proxy.upstream = upstream
    client = httpx.Client(timeout=10)

    class Handler(BaseHTTPRequestHandler):
        def _forward(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {
                k: v
                for k, v in self.headers.items()
                if k.lower() in ("authorization", "content-type", "user-agent")
            }
            resp = client.request(method, upstream + self.path, content=body, headers=headers)
            status, data = spoiled(resp.status_code, resp.content, proxy.next_spoil())
            self.send_response(status)
            for k, v in resp.headers.items():
                if k.lower() in ("retry-after", "x-rate-limit-reset", "x-app-usage"):
                    self.send_header(k, v)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._forward("GET")

        def do_POST(self) -> None:
            self._forward("POST")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{parts.path}"
    finally:
        server.shutdown()
        server.server_close()
        client.close()
