"""`qulaq stats` in the reader's language: each count named, platforms, tones and
languages by their names, times in Kazakhstan time (they were UTC, "+00:00"); --json
keeps its keys and values whatever the language."""

from __future__ import annotations

import json
from pathlib import Path

from qulaq.cli.pipeline import STATS_LABELS
from sentiment.names import lang_name, sentiment_name
from tests.conftest import qulaq
from tests.test_cli_i18n import english_run

EVENTS = [
    {
        "platform": "vk",
        "account": "club1",
        "comment_id": str(i),
        "text": text,
        "created_at": f"2026-01-05T23:{10 + i}:00+00:00",  # 6 January in Almaty
    }
    for i, text in enumerate(["Нет воды третий день!", "Рахмет, жақсы жұмыс", "Когда ремонт?"])
]


def test_stats_read_in_the_language(home: Path, tmp_path: Path) -> None:
    stream = tmp_path / "day.jsonl"
    stream.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in EVENTS) + "\n")
    env = {"QULAQ_BUS": "embedded"}
    qulaq("replay", str(stream), env=env)
    qulaq("run", "--until-idle", env=env)
    said = {
        lang: qulaq("stats", env={**env, "QULAQ_LANG": lang}).stdout for lang in ("kk", "ru", "en")
    }
    as_json = {
        lang: qulaq("stats", "--json", env={**env, "QULAQ_LANG": lang}).stdout
        for lang in ("kk", "ru", "en")
    }
    assert as_json["kk"] == as_json["ru"] == as_json["en"]
    stats = json.loads(as_json["en"])
    for lang in ("kk", "ru"):
        lines = said[lang].splitlines()
        assert len(lines) == len(STATS_LABELS)
        labels = {en: (ru if lang == "ru" else kk) for en, ru, kk in STATS_LABELS.values()}
        for line, key in zip(lines, stats, strict=True):
            assert line.startswith(labels[STATS_LABELS[key][0]] + " "), line
            assert english_run(line.replace("club1", " ")) is None, line
        by_lang = next(x for x in lines if x.startswith(labels["by_lang"]))
        assert all(lang_name(code, lang) in by_lang for code in stats["by_lang"])
        by_tone = next(x for x in lines if x.startswith(labels["by_sentiment"]))
        assert all(sentiment_name(label, lang) in by_tone for label in stats["by_sentiment"])
    first = next(x for x in said["en"].splitlines() if x.startswith("first_comment_at"))
    assert first.split()[-1] == "2026-01-06T04:10:00+05:00"
    assert stats["first_comment_at"] == "2026-01-06T04:10:00+05:00"
