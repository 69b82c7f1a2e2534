"""Turn a published data set into the ``data.csv`` that ``python -m sentiment.external`` reads.

python -m sentiment.external_convert FORMAT SOURCE OUT_DIR

FORMAT    SOURCE (as published)                         what becomes of it
rusentitweet   rusentitweet_test.csv (text,label,id)    speech and skip rows dropped
sentirueval    banks_test_etalon.xml / tkk_test_etalon.xml (SentiRuEval-2016)
               sentiment toward each company named; a tweet keeps a label only when
               every company it names got the same one; repeated texts dropped
toxic-2ch      labeled.csv or labeled.csv.zip (comment,toxic; 2ch and Pikabu)
               toxic rows get level ``aggression``: the source has no levels
kaznlp-tone    data/training/tone/v1/test.csv (text,label,...)
kazakh-revs    kazakh_revs.csv (review,sentiment 1/0); repeated texts and texts also
               in the shared KazSAnDRA files dropped

The sets, their licences and our figures: sentiment/models/MODEL_CARD.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree import ElementTree

from sentiment import data

Row = tuple[str, ...]
SENTIMENT_HEADER = ("label", "text")
TOXICITY_HEADER = ("toxic", "level", "text")
POLARITY = {"-1": "negative", "0": "neutral", "1": "positive"}


class ConvertError(ValueError):
    pass


def _rows(path: Path) -> Iterator[dict[str, str]]:
    csv.field_size_limit(10_000_000)
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if n.endswith(".csv")]
            if len(names) != 1:
                raise ConvertError(f"{path}: wants one .csv inside, has {len(names)}")
            raw = z.read(names[0]).decode("utf-8-sig")
        yield from csv.DictReader(io.StringIO(raw, newline=""))
        return
    with path.open(encoding="utf-8-sig", newline="") as f:
        yield from csv.DictReader(f)


def _need(row: dict[str, str], *columns: str) -> list[str]:
    missing = [c for c in columns if c not in row]
    if missing:
        raise ConvertError(f"no column {', '.join(missing)}: is this the right file?")
    return [(row[c] or "").strip() for c in columns]


def _key(text: str) -> str:
    """Texts that differ only in case, spacing or punctuation are the same text."""
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", text).lower())


def rusentitweet(path: Path) -> list[Row]:
    out: list[Row] = []
    for row in _rows(path):
        text, label = _need(row, "text", "label")
        if label in ("positive", "neutral", "negative") and text:
            out.append((label, text))
    return out


def sentirueval(path: Path) -> list[Row]:
    out: list[Row] = []
    seen: set[str] = set()
    for table in ElementTree.parse(path).getroot().iter("table"):
        cols = {c.get("name"): (c.text or "").strip() for c in table.iter("column")}
        text = cols.pop("text", "")
        for meta in ("id", "twitid", "date"):
            cols.pop(meta, None)
        votes = {v for v in cols.values() if v and v != "NULL"}
        if len(votes) != 1 or not text or text in seen:
            continue  # no company named, companies judged differently, or a repeat
        (vote,) = votes
        if vote not in POLARITY:
            raise ConvertError(f"{path}: sentiment {vote!r} is not -1, 0 or 1")
        seen.add(text)
        out.append((POLARITY[vote], text))
    if not out:
        raise ConvertError(f"{path}: no labelled tweet found: is this a SentiRuEval-2016 XML dump?")
    return out


def toxic_2ch(path: Path) -> list[Row]:
    out: list[Row] = []
    for row in _rows(path):
        text, toxic = _need(row, "comment", "toxic")
        flag = "1" if float(toxic) >= 0.5 else "0"
        if text:
            out.append((flag, "aggression" if flag == "1" else "none", text))
    return out


def kaznlp_tone(path: Path) -> list[Row]:
    return [
        (label, text)
        for label, text in (_need(row, "label", "text") for row in _rows(path))
        if label in ("positive", "negative") and text
    ]


def kazakh_revs(path: Path) -> list[Row]:
    known = {_key(e.text) for split in ("pc_train", "pc_valid") for e in data.kazsandra(split)}
    known |= {_key(e.text) for split in ("sc_train", "sc_valid") for e in data.kazsandra(split)}
    out: list[Row] = []
    seen: set[str] = set()
    for row in _rows(path):
        text, score = _need(row, "review", "sentiment")
        key = _key(text)
        if not key or key in seen or key in known:
            continue
        seen.add(key)
        out.append(("positive" if score == "1" else "negative", text))
    return out


FORMATS: dict[str, tuple[Callable[[Path], list[Row]], Row]] = {
    "rusentitweet": (rusentitweet, SENTIMENT_HEADER),
    "sentirueval": (sentirueval, SENTIMENT_HEADER),
    "toxic-2ch": (toxic_2ch, TOXICITY_HEADER),
    "kaznlp-tone": (kaznlp_tone, SENTIMENT_HEADER),
    "kazakh-revs": (kazakh_revs, SENTIMENT_HEADER),
}


def convert(fmt: str, source: Path, out_dir: Path) -> Counter[str]:
    reader, header = FORMATS[fmt]
    if not source.is_file():
        raise ConvertError(f"{source}: no such file")
    try:
        rows = reader(source)
    except (KeyError, ValueError, ElementTree.ParseError, zipfile.BadZipFile) as exc:
        if isinstance(exc, ConvertError):
            raise ConvertError(f"{source}: {exc}") from exc
        raise ConvertError(f"{source}: not a {fmt} file ({type(exc).__name__}: {exc})") from exc
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "data.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return Counter(r[0] if header == SENTIMENT_HEADER else r[1] for r in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sentiment.external_convert",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("format", choices=sorted(FORMATS))
    parser.add_argument("source", type=Path)
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    try:
        counts = convert(args.format, args.source, args.out_dir)
    except ConvertError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    total = sum(counts.values())
    parts = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"{args.out_dir / 'data.csv'}: {total} rows ({parts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
