"""`qulaq detect`: online spike detection over a `timestamp,value` CSV file.

Each output row is the input row's timestamp and value, copied as written,
then `anomaly_score` (0..1) and `is_anomaly` (1 where an alert is raised).
The file is processed as a stream, one decision per row using only earlier
rows, exactly as a live feed would be; the output appears only once the
whole input has been read, so a bad line never leaves a half-written file.
The input may be a pipe (``--input <(zcat series.csv.gz)``) or /dev/stdin.

A value must be a finite number: ``inf`` or ``nan`` in a series is an error
naming its line, like any other bad value. An empty value is a missing reading,
reported and not judged.
"""

from __future__ import annotations

import csv
import math
import os
from datetime import datetime
from pathlib import Path

from qulaq.errors import Phrase, UserError, os_reason
from qulaq.outfile import output_error, replace_on_success
from qulaq.textfile import NotText, decoded_lines, open_input
from signals.volume import DetectorConfig, VolumeDetector

OUTPUT_COLUMNS = ("timestamp", "value", "anomaly_score", "is_anomaly")


class SeriesInputError(UserError, ValueError):
    """The input series cannot be read; the message is one line for the user."""


def parse_timestamp(text: str) -> datetime:
    """ISO 8601 with or without an offset ('T' or a space between date and time, 'Z' for UTC)."""
    return datetime.fromisoformat(text.strip())


def _parse_value(text: str) -> float:
    """The reading in `text`: NaN for an empty field (a missing reading: reported,
    not judged). Raises `ValueError` for text that is not a number and
    `ArithmeticError` for one that is not finite (inf, nan)."""
    stripped = text.strip()
    if not stripped:
        return math.nan
    value = float(stripped)
    if not math.isfinite(value):
        raise ArithmeticError(stripped)
    return value


def detect_csv(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    config: DetectorConfig | None = None,
) -> int:
    """Run the detector over INPUT and write OUTPUT; returns the number of alerts raised."""
    src = Path(input_path)
    dst = Path(output_path)
    fh = open_input(src, SeriesInputError, "file.not_found")
    detector = VolumeDetector(config)
    alerts = 0
    with fh:
        reader = csv.reader(decoded_lines(fh, "utf-8-sig"))
        try:
            header = next(reader, None)
        except NotText as exc:
            raise _not_utf8(src, exc.line) from None
        except csv.Error as exc:
            raise SeriesInputError.t("series.not_csv", path=src, reason=exc) from None
        except OSError as exc:
            raise SeriesInputError.t("file.unreadable", path=src, reason=os_reason(exc)) from None
        if header is None:
            raise SeriesInputError.t("series.empty", path=src)
        names = [h.strip().lower() for h in header]
        missing = [col for col in ("timestamp", "value") if col not in names]
        if missing:
            shown: object = ", ".join(header) or Phrase("series.empty_header", "nothing")
            if len(missing) == 1:
                raise SeriesInputError.t(
                    "series.missing_column", path=src, column=missing[0], header=shown
                )
            raise SeriesInputError.t("series.missing_columns", path=src, header=shown)
        i_ts, i_val = names.index("timestamp"), names.index("value")
        width = max(i_ts, i_val) + 1
        if not dst.parent.exists():
            try:
                dst.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise output_error(str(dst), exc) from None
        with replace_on_success(dst) as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(OUTPUT_COLUMNS)
            try:
                for row in reader:
                    if not row or (len(row) == 1 and not row[0].strip()):
                        continue
                    line = reader.line_num
                    if len(row) < width:
                        raise SeriesInputError.t(
                            "series.short_row", path=src, line=line, width=width, found=len(row)
                        )
                    stamp, raw_value = row[i_ts], row[i_val]
                    try:
                        when = parse_timestamp(stamp)
                    except ValueError:
                        raise SeriesInputError.t(
                            "series.bad_timestamp", path=src, line=line, stamp=stamp
                        ) from None
                    try:
                        value = _parse_value(raw_value)
                    except ValueError:
                        raise SeriesInputError.t(
                            "series.bad_value", path=src, line=line, value=raw_value
                        ) from None
                    except ArithmeticError:
                        raise SeriesInputError.t(
                            "series.not_finite", path=src, line=line, value=raw_value
                        ) from None
                    decision = detector.update(when, value)
                    alerts += decision.is_anomaly
                    writer.writerow(
                        (stamp, raw_value, f"{decision.score:.6f}", 1 if decision.is_anomaly else 0)
                    )
            except NotText as exc:
                raise _not_utf8(src, exc.line) from None
            except csv.Error as exc:
                raise SeriesInputError.t(
                    "series.unreadable_line", path=src, line=reader.line_num, reason=exc
                ) from None
            except OSError as exc:  # reading: the output's errors are UserErrors already
                raise SeriesInputError.t(
                    "file.unreadable", path=src, reason=os_reason(exc)
                ) from None
    return alerts


def _not_utf8(src: Path, line: int) -> SeriesInputError:
    """The error for a file that is not UTF-8, naming the line with the bad bytes."""
    return SeriesInputError.t("csv.not_text", file=src, encoding="UTF-8", line=line)
