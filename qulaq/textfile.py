"""Where a user's text file stops being text.

A text reader decodes a chunk ahead of the line it hands out, so when decoding
fails its own position (a CSV reader's `line_num`) names a line before the bad
bytes. `undecodable_line` reads the file again, as bytes, up to the first bytes
that do not decode, and counts the lines before them.
"""

from __future__ import annotations

import codecs
from pathlib import Path

_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}


def undecodable_line(path: Path, encoding: str) -> int | None:
    """The 1-based line of `path` holding the first bytes that `encoding` cannot
    decode; None when the whole file decodes."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    with path.open("rb") as fin:
        plain = _BOMS.get(fin.read(2), "utf-8")  # to count the newlines in a good prefix
        fin.seek(0)
        while True:
            block = fin.read(1 << 16)
            try:
                lines += decoder.decode(block, final=not block).count("\n")
            except UnicodeDecodeError as exc:
                good = bytes(exc.object[: exc.start])
                return lines + good.decode(plain, errors="replace").count("\n")
            if not block:
                return None
