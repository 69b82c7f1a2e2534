from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from sentiment import Analyzer, external, external_convert

POSITIVE = [
    "Спасибо большое акимату, двор сделали очень красиво!",
    "Рахмет, жол керемет болды, жарайсыңдар!",
    "Молодцы, быстро починили свет, благодарю",
]
NEGATIVE = [
    "Третий день нет отопления, дети мёрзнут, позор!",
    "Жол өте нашар, шұңқырлар толы, ұят!",
    "Ужасная работа, никто не отвечает, бардак",
]


def _write(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True)
    (directory / "data.csv").write_text(text, encoding="utf-8")
    return directory


def _sentiment_csv(rows: list[tuple[str, str]]) -> str:
    body = "".join(f'{label},"{text}"\n' for label, text in rows)
    return "label,text\n" + body


def test_polarity_set_is_scored_as_polarity(tmp_path: Path, analyzer: Analyzer) -> None:
    rows = [("positive", t) for t in POSITIVE] + [("negative", t) for t in NEGATIVE]
    ds = external.load(_write(tmp_path / "kk_polar", _sentiment_csv(rows)))
    assert ds.kind == "sentiment" and len(ds.texts) == 6
    scores = external.score_sentiment(analyzer, ds)
    assert scores["task"] == "polarity"
    assert scores["macro_f1"] == 1.0


def test_swapped_labels_score_low(tmp_path: Path, analyzer: Analyzer) -> None:
    # The same texts with every label swapped: the figure must follow the labels.
    rows = [("negative", t) for t in POSITIVE] + [("positive", t) for t in NEGATIVE]
    ds = external.load(_write(tmp_path / "swapped", _sentiment_csv(rows)))
    assert external.score_sentiment(analyzer, ds)["macro_f1"] == 0.0


def test_neutral_rows_make_it_three_classes(tmp_path: Path, analyzer: Analyzer) -> None:
    rows = [("positive", POSITIVE[0]), ("negative", NEGATIVE[0])]
    rows.append(("neutral", "Подскажите, во сколько открывается ЦОН в субботу?"))
    ds = external.load(_write(tmp_path / "three", _sentiment_csv(rows)))
    scores = external.score_sentiment(analyzer, ds)
    assert scores["task"] == "3 classes"
    assert set(scores) >= {"f1_negative", "f1_neutral", "f1_positive"}


def test_toxicity_set(tmp_path: Path, analyzer: Analyzer) -> None:
    text = (
        "toxic,level,text\n"
        "1,strong,я тебя убью урод\n"
        "1,aggression,ты тупой идиот\n"
        "0,none,спасибо за ответ\n"
        "0,none,когда откроют дорогу?\n"
    )
    ds = external.load(_write(tmp_path / "tox", text))
    scores = external.score_toxicity(analyzer, ds)
    assert scores["toxic_rows"] == 2
    assert scores["f1_toxic"] == 1.0
    assert scores["strong_rows"] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("label,body\npositive,ok\n", "wants columns"),
        ("label,text\nhappy,ok\n", "data.csv:2: label 'happy'"),
        ("toxic,level,text\n2,none,ok\n", "data.csv:2: toxic '2'"),
        ("label,text\npositive,\n", "no rows with text"),
    ],
)
def test_bad_files_name_file_and_row(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(external.ExternalDataError, match=message):
        external.load(_write(tmp_path / "bad", content))


def test_cli_error_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert external.main([str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "no such file" in err and "\n" not in err


def _sentirueval_xml(tweets: list[tuple[str, dict[str, str]]]) -> str:
    tables = []
    for i, (text, votes) in enumerate(tweets, start=1):
        cols = "".join(f'<column name="{k}">{v}</column>' for k, v in votes.items())
        tables.append(
            f'<table name="test_banks_etalon"><column name="id">{i}</column>'
            f'<column name="twitid">{1000 + i}</column><column name="date">1435636925</column>'
            f'<column name="text">{text}</column>{cols}</table>'
        )
    body = "".join(tables)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<pma_xml_export><database name="x">{body}</database></pma_xml_export>'
    )


def test_sentirueval_keeps_a_tweet_only_when_its_companies_agree(tmp_path: Path) -> None:
    source = tmp_path / "banks_test_etalon.xml"
    source.write_text(
        _sentirueval_xml(
            [
                ("Сбер опять завис", {"sberbank": "-1", "vtb": "NULL"}),
                ("ВТБ и Сбер оба хороши", {"sberbank": "1", "vtb": "1"}),
                ("Сбер лучше ВТБ", {"sberbank": "1", "vtb": "-1"}),
                ("Курс доллара", {"sberbank": "NULL", "vtb": "NULL"}),
                ("Сбер опять завис", {"sberbank": "-1", "vtb": "NULL"}),
                ("Открыли отделение", {"sberbank": "0", "vtb": "NULL"}),
            ]
        ),
        encoding="utf-8",
    )
    counts = external_convert.convert("sentirueval", source, tmp_path / "out")
    assert counts == {"negative": 1, "positive": 1, "neutral": 1}
    ds = external.load(tmp_path / "out")
    assert ds.texts == ["Сбер опять завис", "ВТБ и Сбер оба хороши", "Открыли отделение"]


def test_toxic_2ch_reads_the_published_zip(tmp_path: Path) -> None:
    source = tmp_path / "labeled.csv.zip"
    with zipfile.ZipFile(source, "w") as z:
        z.writestr("labeled.csv", 'comment,toxic\n"ты дурак\n",1.0\n"спасибо, полезно\n",0.0\n')
    external_convert.convert("toxic-2ch", source, tmp_path / "out")
    ds = external.load(tmp_path / "out")
    assert ds.kind == "toxicity"
    assert list(zip(ds.labels, ds.levels, ds.texts, strict=True)) == [
        ("1", "aggression", "ты дурак"),
        ("0", "none", "спасибо, полезно"),
    ]


def test_convert_names_a_wrong_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "reviews.csv"
    source.write_text("review,stars\nok,5\n", encoding="utf-8")
    assert external_convert.main(["kaznlp-tone", str(source), str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "no column label, text" in err and "\n" not in err
