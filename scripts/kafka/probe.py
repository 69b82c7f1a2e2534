"""Is a Kafka broker serving requests at HOST:PORT? Exit 0 if it answers a Metadata request
listing at least one live broker, 1 otherwise. Standard library only, so that it runs before
the project's virtual environment exists.

    python3 scripts/kafka/probe.py 127.0.0.1:9092 [--timeout SECONDS]
"""

from __future__ import annotations

import argparse
import socket
import struct
import sys

METADATA_API_KEY = 3
METADATA_VERSION = 4  # the oldest version Kafka 4.x still serves; not a "flexible" one
CLIENT_ID = b"qulaq-probe"
CORRELATION_ID = 7


def metadata_request() -> bytes:
    header = struct.pack(
        ">hhih", METADATA_API_KEY, METADATA_VERSION, CORRELATION_ID, len(CLIENT_ID)
    )
    # topics = null (all topics), allow_auto_topic_creation = false
    body = struct.pack(">i?", -1, False)
    payload = header + CLIENT_ID + body
    return struct.pack(">i", len(payload)) + payload


def read_exactly(sock: socket.socket, n: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < n:
        chunk = sock.recv(n - len(chunks))
        if not chunk:
            raise ConnectionError("connection closed by the broker")
        chunks.extend(chunk)
    return bytes(chunks)


class Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> int:
        (value,) = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return int(value)

    def string(self) -> str | None:
        length = self.take(">h")
        if length < 0:
            return None
        value = self.data[self.pos : self.pos + length].decode("utf-8")
        self.pos += length
        return value


def live_brokers(host: str, port: int, timeout: float) -> list[str]:
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        sock.sendall(metadata_request())
        (size,) = struct.unpack(">i", read_exactly(sock, 4))
        response = Reader(read_exactly(sock, size))
    if response.take(">i") != CORRELATION_ID:
        raise ValueError("unexpected correlation id")
    response.take(">i")  # throttle_time_ms
    brokers = []
    for _ in range(response.take(">i")):
        node_id = response.take(">i")
        broker_host = response.string()
        broker_port = response.take(">i")
        response.string()  # rack
        brokers.append(f"{node_id}@{broker_host}:{broker_port}")
    return brokers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("address", help="HOST:PORT")
    parser.add_argument("--timeout", type=float, default=3.0)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    host, _, port = args.address.rpartition(":")
    try:
        brokers = live_brokers(host, int(port), args.timeout)
    except (OSError, ValueError, struct.error, UnicodeDecodeError) as exc:
        if not args.quiet:
            print(f"no Kafka broker answering at {args.address}: {exc}", file=sys.stderr)
        return 1
    if not brokers:
        if not args.quiet:
            print(f"{args.address} answers but lists no live broker yet", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"{args.address}: brokers {', '.join(brokers)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
