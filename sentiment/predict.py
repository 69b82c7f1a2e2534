"""Score a CSV file of comments: ``qulaq sentiment predict --input IN.csv --text-column COL
--output OUT.csv``.

The file is streamed in batches, so its size does not matter; it may be a pipe
(``--input <(zcat in.csv.gz)``) or /dev/stdin. Every input row and column is
kept, and the analysis columns are appended. A row shorter than the header is
padded with empty fields so that the analysis lines up under the header; a row
with more values than the header is an error naming its line. The output
replaces an existing file only once everything is written (`qulaq.outfile`).

Column names: the analysis columns always carry their own names (``label`` is
the prediction). An input column already called like one of them (a gold
``label``, say) is kept under a new name, ``label_input``, and a line on stderr
says so; a header that names a column twice is an error, since the output
could not tell the two apart.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from qulaq.errors import UserError, os_reason, say
from qulaq.outfile import replace_on_success
from qulaq.textfile import NotText, decoded_lines, open_input
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


def output_header(header: list[str], name: str) -> tuple[list[str], dict[str, str]]:
    """The output's header for input ``header`` (from file ``name``), and the input
    columns renamed in it (old name: new name). An input column named like an
    analysis column is renamed ``<name>_input`` (``_input2``, ... if that is taken
    too); a name given twice in ``header`` is an error. Unnamed (empty) columns are
    left as they are."""
    seen: set[str] = set()
    for column in header:
        if column and column in seen:
            raise CsvInputError.t("csv.duplicate_column", file=name, column=column)
        seen.add(column)
    taken = seen | set(OUTPUT_COLUMNS)
    renamed: dict[str, str] = {}
    for column in header:
        if column in OUTPUT_COLUMNS:
            new, k = f"{column}_input", 1
            while new in taken:
                k += 1
                new = f"{column}_input{k}"
            taken.add(new)
            renamed[column] = new
    return [renamed.get(c, c) for c in header] + list(OUTPUT_COLUMNS), renamed


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
    raw = open_input(src, CsvInputError, "csv.not_found")
    # messages name a file by its name, a pipe (/dev/fd/63) by its whole path
    name = src.name if src.is_file() else str(src)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    analyzer = analyzer or Analyzer.default()
    rows = 0
    with raw:
        reader = csv.reader(decoded_lines(raw))
        try:
            header = next(reader, None)
            if header is None:
                raise CsvInputError.t("csv.empty", path=src)
            if text_column not in header:
                raise CsvInputError.t(
                    "csv.no_column", column=text_column, file=name, columns=", ".join(header)
                )
            col = header.index(text_column)
            out_header, renamed = output_header(header, name)
            body = _fitted(reader, lambda: reader.line_num, len(header), name)
            with replace_on_success(output_path) as fout:
                writer = csv.writer(fout)
                writer.writerow(out_header)
                for batch in _batches(body, BATCH):
                    texts = [row[col] for row in batch]
                    for row, result in zip(batch, analyzer.analyze(texts), strict=True):
                        writer.writerow(row + _fields(result))
                    rows += len(batch)
        except NotText as exc:
            expected = "UTF-16" if exc.encoding == "utf-16" else "UTF-8"
            raise CsvInputError.t(
                "csv.not_text", file=name, encoding=expected, line=exc.line
            ) from None
        except csv.Error as exc:
            raise CsvInputError.t(
                "csv.unreadable", file=name, line=reader.line_num, reason=exc
            ) from None
        except OSError as exc:  # reading: the output's errors are UserErrors already
            raise CsvInputError.t("file.unreadable", path=src, reason=os_reason(exc)) from None
    for old, new in renamed.items():  # once written: an error stays the only line
        note = say("csv.column_renamed", file=name, column=old, renamed=new)
        print(f"qulaq: {note}", file=sys.stderr)
    return rows
