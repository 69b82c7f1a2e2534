"""Reading a user's text file, or a pipe, line by line, knowing where it stops being text.

`decoded_lines` hands a CSV reader the lines of a binary stream — a file, a pipe
(`<(zcat x.csv.gz)`), /dev/stdin — decoded as it goes, split as `open(...,
newline="")` splits them. When bytes do not decode it raises `NotText` with the
line that holds them: a text reader decodes a chunk ahead of the line it hands
out, so its own position (a CSV reader's `line_num`) would name a line before the
bad bytes, and a pipe cannot be read a second time to find them.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from qulaq.errors import UserError, os_reason

_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
_EOL = re.compile(r"\r\n|\r|\n")
_BLOCK = 1 << 16


class NotText(ValueError):
    """Bytes that do not decode as `encoding`; `line` (1-based) holds them."""

    def __init__(self, line: int, encoding: str) -> None:
        super().__init__(f"line {line} is not {encoding} text")
        self.line = line
        self.encoding = encoding


def open_input(path: Path, error: type[UserError], not_found: str) -> BinaryIO:
    """`path` opened to be read once, as a stream: a regular file, a pipe, /dev/stdin.
    A missing file (catalogue key `not_found`), a directory or an unreadable file is
    raised as `error`."""
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise error.t(not_found, path=path) from None
    except IsADirectoryError:
        raise error.t("file.is_dir_csv", path=path) from None
    except OSError as exc:
        raise error.t("file.unreadable", path=path, reason=os_reason(exc)) from None


def sniff_encoding(head: bytes) -> str:
    """The encoding of a CSV file that starts with `head`: UTF-16 with its byte-order
    mark, otherwise UTF-8 (its BOM, if any, dropped)."""
    return "utf-16" if head[:2] in _BOMS else "utf-8-sig"


def decoded_lines(raw: BinaryIO, encoding: str | None = None) -> Iterator[str]:
    """The lines of `raw` decoded as `encoding` (None: `sniff_encoding` of its first
    bytes), each with its line end (`\\r\\n`, `\\r` or `\\n`, as in the file), for
    `csv.reader`. Raises `NotText` at bytes that do not decode."""
    first = raw.read(_BLOCK)
    encoding = encoding or sniff_encoding(first)
    plain = _BOMS.get(first[:2], "utf-8")  # to count the line ends before bad bytes
    decoder = codecs.getincrementaldecoder(encoding)()
    done = 0  # lines handed out
    pending = ""
    block = first
    while True:
        final = not block
        try:
            text = decoder.decode(block, final=final)
        except UnicodeDecodeError as exc:
            good = bytes(exc.object[: exc.start]).decode(plain, errors="replace")
            ends = len(_EOL.findall(pending + good))
            raise NotText(done + ends + 1, encoding) from None
        pending += text
        start = 0
        for m in _EOL.finditer(pending):
            if m.end() == len(pending) and m.group() == "\r" and not final:
                break  # a "\r\n" may be split between two blocks
            yield pending[start : m.end()]
            done += 1
            start = m.end()
        pending = pending[start:]
        if final:
            if pending:
                yield pending
            return
        block = raw.read(_BLOCK)
