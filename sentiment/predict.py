"""Score a CSV file of comments: ``qulaq sentiment predict --input IN.csv --text-column COL
--output OUT.csv``.

The file is streamed in batches, so its size does not matter; every input row
and column is kept, and the analysis columns are appended.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from sentiment import Analysis, Analyzer

OUTPUT_COLUMNS = (
    "label",
    "p_positive",
    "p_neutral",
    "p_negative",
    "lang",
    "aggression",
    "topics",
    "needs_answer",
    "urgent",
    "severity",
)
BATCH = 2000


def _fields(a: Analysis) -> list[str]:
    return [
        a.label,
        f"{a.p_positive:.4f}",
        f"{a.p_neutral:.4f}",
        f"{a.p_negative:.4f}",
        a.lang,
        a.aggression,
        ";".join(a.topics),
        "1" if a.needs_answer else "0",
        "1" if a.urgent else "0",
        a.severity or "",
    ]


def _batches(reader: Iterator[list[str]], size: int) -> Iterator[list[list[str]]]:
    batch: list[list[str]] = []
    for row in reader:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def predict_csv(
    input_path: str | Path,
    text_column: str,
    output_path: str | Path,
    *,
    analyzer: Analyzer | None = None,
) -> int:
    """Write ``input_path``'s rows with the analysis columns appended; returns the row count.

    Raises ``ValueError`` with a one-line reason for a user error (missing file or column,
    a file that is not UTF-8 CSV).
    """
    src = Path(input_path)
    if not src.is_file():
        raise ValueError(f"input file not found: {src}")
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with src.open("rb") as probe:
        head = probe.read(4)
    encoding = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    analyzer = analyzer or Analyzer.default()
    rows = 0
    try:
        with (
            src.open(encoding=encoding, newline="") as fin,
            Path(output_path).open("w", encoding="utf-8", newline="") as fout,
        ):
            reader = csv.reader(fin)
            header = next(reader, None)
            if header is None:
                raise ValueError(f"input file is empty: {src}")
            if text_column not in header:
                raise ValueError(
                    f"column {text_column!r} not in {src.name} (columns: {', '.join(header)})"
                )
            col = header.index(text_column)
            taken = set(header)
            extra = [c if c not in taken else f"{c}_pred" for c in OUTPUT_COLUMNS]
            writer = csv.writer(fout)
            writer.writerow(header + extra)
            for batch in _batches(reader, BATCH):
                texts = [row[col] if col < len(row) else "" for row in batch]
                for row, result in zip(batch, analyzer.analyze(texts), strict=True):
                    writer.writerow(row + _fields(result))
                rows += len(batch)
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{src.name} is not {encoding.upper()} text (byte {exc.start}): save it as UTF-8 CSV"
        ) from None
    except csv.Error as exc:
        raise ValueError(f"{src.name} is not a readable CSV file: {exc}") from None
    return rows
