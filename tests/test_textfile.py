"""`qulaq.textfile.decoded_lines`: the lines a CSV reader gets from a file or a pipe,
split as `open(..., newline="")` splits them, and the line that stops being text."""

from __future__ import annotations

import io
import random

import pytest

import qulaq.textfile
from qulaq.textfile import NotText, decoded_lines


def _as_open_reads(data: bytes, encoding: str) -> list[str]:
    return list(io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline=""))


@pytest.mark.parametrize("seed", range(20))
def test_lines_are_split_as_open_splits_them_across_blocks(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(qulaq.textfile, "_BLOCK", 7)  # line ends and characters cut in two
    rng = random.Random(seed)
    pieces = ["a", "бб", "қ", ",", '"', "\r", "\n", "\r\n", " ", "€"]
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 300)))
    for encoding, bom in (("utf-8-sig", b"\xef\xbb\xbf"), ("utf-16", b"")):
        data = (bom + text.encode(encoding)) if bom else text.encode(encoding)
        assert list(decoded_lines(io.BytesIO(data))) == _as_open_reads(data, encoding)


@pytest.mark.parametrize("block", [3, 64, 1 << 16])
@pytest.mark.parametrize("bad_line", [1, 2, 5, 40])
def test_bytes_that_do_not_decode_name_their_line(
    block: int, bad_line: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(qulaq.textfile, "_BLOCK", block)
    lines = [f"{i},строка {i}".encode() for i in range(50)]
    lines[bad_line - 1] += b"caf\xe9"
    stream = io.BytesIO(b"\r\n".join(lines) + b"\r\n")
    with pytest.raises(NotText) as info:
        list(decoded_lines(stream))
    assert (info.value.line, info.value.encoding) == (bad_line, "utf-8-sig")


def test_a_utf16_file_is_read_by_its_byte_order_mark() -> None:
    data = "text\nСпасибо\n".encode("utf-16")
    assert list(decoded_lines(io.BytesIO(data))) == ["text\n", "Спасибо\n"]
    with pytest.raises(NotText) as info:
        list(decoded_lines(io.BytesIO(data), "utf-8-sig"))
    assert info.value.line == 1
