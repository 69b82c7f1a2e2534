"""Score a CSV file of comments: ``qulaq sentiment predict --input IN.csv --text-column COL
--output OUT.csv``.

The file is streamed in batches, so its size does not matter; every input row
and column is kept, and the analysis columns are appended. A row shorter than the
header is padded with empty fields so that the analysis lines up under the header;
a row with more values than the header is an error naming its line. The output
replaces an existing file only once everything is written (`qulaq.outfile`).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from qulaq.errors import UserError
from qulaq.outfile import replace_on_success
from qulaq.textfile import undecodable_line
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


class CsvInputError(UserError, ValueError):
    """The input CSV cannot be read as asked; the message is one line for the user."""


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


def _fitted(
    reader: Iterator[list[str]], line_num: Callable[[], int], width: int, name: str
) -> Iterator[list[str]]:
    """The rows, each exactly ``width`` fields so the analysis columns line up under
    the header: a short row is padded with empty fields, and empty fields past the
    header are dropped; a row with more values than the header is an error. A blank
    line holds no row and is skipped."""
    start = 1 + line_num()
    for row in reader:
        if not row:
            start = 1 + line_num()
            continue
        if len(row) > width:
            if any(row[width:]):
                raise CsvInputError.t(
                    "csv.too_many_fields", file=name, line=start, fields=len(row), width=width
                )
            row = row[:width]
        elif len(row) < width:
            row = row + [""] * (width - len(row))
        start = 1 + line_num()
        yield row


def predict_csv(
    input_path: str | Path,
    text_column: str,
    output_path: str | Path,
    *,
    analyzer: Analyzer | None = None,
) -> int:
    """Write ``input_path``'s rows with the analysis columns appended; returns the row count.

    Raises ``ValueError`` with a one-line reason for a user error (missing file or column,
    a file that is not UTF-8 CSV, a row with more fields than the header). The output is
    replaced only once the whole input is written: after an error an existing output
    file is exactly as it was.
    """
    src = Path(input_path)
    if not src.is_file():
        raise CsvInputError.t("csv.not_found", path=src)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with src.open("rb") as probe:
        head = probe.read(4)
    encoding = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    analyzer = analyzer or Analyzer.default()
    rows = 0
    with src.open(encoding=encoding, newline="") as fin:
        reader = csv.reader(fin)
        try:
            header = next(reader, None)
            if header is None:
                raise CsvInputError.t("csv.empty", path=src)
            if text_column not in header:
                raise CsvInputError.t(
                    "csv.no_column", column=text_column, file=src.name, columns=", ".join(header)
                )
            col = header.index(text_column)
            taken = set(header)
            extra = [c if c not in taken else f"{c}_pred" for c in OUTPUT_COLUMNS]
            body = _fitted(reader, lambda: reader.line_num, len(header), src.name)
            with replace_on_success(output_path) as fout:
                writer = csv.writer(fout)
                writer.writerow(header + extra)
                for batch in _batches(body, BATCH):
                    texts = [row[col] for row in batch]
                    for row, result in zip(batch, analyzer.analyze(texts), strict=True):
                        writer.writerow(row + _fields(result))
                    rows += len(batch)
        except UnicodeDecodeError:
            line = undecodable_line(src, encoding) or reader.line_num
            expected = "UTF-16" if encoding == "utf-16" else "UTF-8"
            raise CsvInputError.t(
                "csv.not_text", file=src.name, encoding=expected, line=line
            ) from None
        except csv.Error as exc:
            raise CsvInputError.t(
                "csv.unreadable", file=src.name, line=reader.line_num, reason=exc
            ) from None
    return rows
