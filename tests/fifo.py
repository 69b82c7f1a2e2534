"""Feeding a named pipe from a thread while the code under test reads it."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def fed(fifo: Path, data: bytes) -> Iterator[None]:
    """`data` is written into the named pipe `fifo` while the block runs; afterwards the
    writer is let finish even if nothing opened the pipe to read (or read it all)."""
    writer = threading.Thread(target=fifo.write_bytes, args=(data,), daemon=True)
    writer.start()
    try:
        yield
    finally:
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # never waits; frees a waiting writer
        try:
            while writer.is_alive():
                with contextlib.suppress(BlockingIOError):
                    os.read(fd, 1 << 16)
                writer.join(0.01)
        finally:
            os.close(fd)
