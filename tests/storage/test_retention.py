"""`qulaq retention run`: raw personal data older than retention.raw_days is blanked,
counts, rollups and alerts stay; off by default; SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from qulaq.config import load_settings
from qulaq.storage.database import Database
from qulaq.storage.retention import apply
from qulaq.storage.schema import (
    alert_changes,
    alerts,
    comment_versions,
    comments,
    quarantine,
    rollup_hourly,
)
from tests.conftest import qulaq

NOW = datetime.now(UTC)
OLD = datetime(2025, 1, 5, 10, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=400)


def event(comment_id: str, created: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "platform": "vk",
        "account": "-1",
        "comment_id": comment_id,
        "post_id": "5",
        "text": f"Когда починят дорогу? {comment_id}",
        "created_at": created.isoformat(),
        "author_id": f"user-{comment_id}",
        "author_name": f"Citizen {comment_id}",
        "url": f"https://vk.com/wall-1_5?reply={comment_id}",
        **extra,
    }


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def stored(request: pytest.FixtureRequest, home: Path) -> Iterator[Database]:
    """A database with old and new comments, an edit, an official reply, a quarantined
    line and an alert quoting a comment; everything old was stored a year ago."""
    if request.param == "postgres":
        request.getfixturevalue("postgres")
    lines = [
        event("1", OLD),
        event(
            "1",
            OLD,
            kind="edit",
            text="Когда починят дорогу?? (правка)",
            edited_at="2025-01-05T11:00:00+00:00",
        ),
        event(
            "2",
            OLD,
            text="Работаем над этим",
            is_official_reply=True,
            kind="reply",
            parent_id="1",
            author_id="agency",
            author_name="Akimat",
        ),
        event("3", NOW - timedelta(hours=2)),
    ]
    path = home.parent / "events.jsonl"
    path.write_text(
        "\n".join(json.dumps(e, ensure_ascii=False) for e in lines) + "\n{broken\n",
        encoding="utf-8",
    )
    qulaq("replay", str(path))
    qulaq("run", "--until-idle")
    db = Database.open(load_settings())
    quote = {
        "comment_id": "1",
        "text": "Когда починят дорогу?",
        "url": "https://vk.com/x",
        "likes": 3,
        "platform": "vk",
    }
    body = json.dumps({"id": "al-1", "top_comments": [quote], "summary": "spike"})
    with db.write() as conn:
        conn.execute(
            update(comments).where(comments.c.comment_id != "3").values(stored_at=LONG_AGO)
        )
        conn.execute(
            update(comment_versions)
            .where(comment_versions.c.comment_id != "3")
            .values(stored_at=LONG_AGO)
        )
        conn.execute(update(quarantine).values(received_at=LONG_AGO))
        alert = {
            "agency": "vk:-1",
            "kind": "volume_spike",
            "severity": 2,
            "status": "closed",
            "raised_at": OLD,
            "updated_at": OLD,
            "window_start": OLD,
            "window_end": OLD,
            "observed": 10.0,
            "expected": 2.0,
            "summary": "spike",
            "incident_id": "inc-1",
            "body": body,
            "stored_at": LONG_AGO,
        }
        conn.execute(insert(alerts).values(id="al-1", **alert))
        conn.execute(insert(alerts).values(id="al-2", **{**alert, "raised_at": NOW}))
        # an old month replayed today: raised long ago in event time, stored now
        conn.execute(insert(alerts).values(id="al-3", **{**alert, "stored_at": NOW}))
        for alert_id in ("al-1", "al-3"):
            conn.execute(
                insert(alert_changes).values(
                    alert_id=alert_id, change="raised", at=OLD, severity=2, body=body
                )
            )
    yield db
    db.dispose()


def snapshot(db: Database) -> dict[str, Any]:
    with db.read() as conn:
        return {
            "comments": {
                r.comment_id: r._asdict()
                for r in conn.execute(select(comments).order_by(comments.c.comment_id))
            },
            "versions": [r._asdict() for r in conn.execute(select(comment_versions))],
            "quarantine": [r._asdict() for r in conn.execute(select(quarantine))],
            "alerts": {r.id: json.loads(r.body) for r in conn.execute(select(alerts))},
            "changes": {
                r.alert_id: json.loads(r.body) for r in conn.execute(select(alert_changes))
            },
            "rollups": sorted(tuple(r) for r in conn.execute(select(rollup_hourly))),
        }


def figures() -> tuple[Any, Any]:
    stats = json.loads(qulaq("stats", "--json").stdout)
    summary = json.loads(qulaq("summary", "--json").stdout)
    return stats, summary


def write_config(home: Path, text: str) -> None:
    (home / "qulaq.toml").write_text(text, encoding="utf-8")


def test_off_by_default_changes_nothing(stored: Database, home: Path) -> None:
    before = snapshot(stored)
    proc = qulaq("retention", "run")
    assert "retention is off" in proc.stdout
    assert json.loads(qulaq("retention", "run", "--json").stdout)["enabled"] is False
    assert snapshot(stored) == before


def test_dry_run_counts_and_run_blanks_only_old_personal_data(stored: Database, home: Path) -> None:
    write_config(home, "[retention]\nraw_days = 30\n")
    before = snapshot(stored)
    figures_before = figures()

    dry = json.loads(qulaq("retention", "run", "--dry-run", "--json").stdout)
    counts = {t["table"]: t["rows"] for t in dry["tables"]}
    assert dry["dry_run"] is True and dry["days"] == 30
    assert counts == {
        "comments": 1,  # the old citizen's comment; not the official reply, not the new one
        "comment_versions": 2,  # its original and its edit
        "alerts": 1,
        "alert_changes": 1,
        "quarantine": 1,
    }
    assert snapshot(stored) == before
    text = qulaq("retention", "run", "--dry-run").stdout
    assert "would be blanked" in text and "comment texts, authors and links: 1" in text

    done = json.loads(qulaq("retention", "run", "--json").stdout)
    assert {t["table"]: t["rows"] for t in done["tables"]} == counts
    after = snapshot(stored)

    old = after["comments"]["1"]
    assert (old["text"], old["author_hash"], old["author_name"], old["url"]) == (
        "",
        None,
        None,
        None,
    )
    kept = {k: v for k, v in old.items() if k not in ("text", "author_hash", "author_name", "url")}
    assert kept == {
        k: v
        for k, v in before["comments"]["1"].items()
        if k not in ("text", "author_hash", "author_name", "url")
    }  # identity, times, text hash, analysis, tombstone
    assert after["comments"]["2"] == before["comments"]["2"]  # the agency's reply
    assert after["comments"]["3"] == before["comments"]["3"]  # two hours old
    assert before["comments"]["3"]["author_hash"] and before["comments"]["3"]["text"]
    assert sorted(v["text"] for v in after["versions"] if v["comment_id"] == "1") == ["", ""]
    assert all(v["text"] for v in after["versions"] if v["comment_id"] != "1")
    assert [q["raw"] for q in after["quarantine"]] == [b""]
    assert after["quarantine"][0]["reason"] == before["quarantine"][0]["reason"]
    assert after["alerts"]["al-1"]["top_comments"] == [
        {"comment_id": "1", "text": "", "url": None, "likes": 3, "platform": "vk"}
    ]
    assert after["alerts"]["al-2"] == before["alerts"]["al-2"]  # raised today
    assert after["changes"]["al-1"]["top_comments"][0]["text"] == ""
    # stored today: kept as long as a comment replayed today keeps its text
    assert after["alerts"]["al-3"] == before["alerts"]["al-3"]
    assert after["changes"]["al-3"] == before["changes"]["al-3"]
    assert after["rollups"] == before["rollups"]
    assert figures() == figures_before  # counts, tone, replies: the same

    again = json.loads(qulaq("retention", "run", "--json").stdout)
    assert all(t["rows"] == 0 for t in again["tables"])
    assert snapshot(stored) == after
    log = (home / "logs" / "qulaq.log").read_text()
    assert "retention: blanked" in log and "Когда" not in log


def test_days_override_and_a_time_in_the_future(stored: Database) -> None:
    _, outcomes = apply(stored, 1, now=NOW + timedelta(days=3))
    rows = {o.table: o.rows for o in outcomes}
    assert rows["comments"] == 2  # now the two-hour-old comment is old enough too
    with stored.read() as conn:
        texts = dict(conn.execute(select(comments.c.comment_id, comments.c.text)).all())
    assert texts["1"] == texts["3"] == "" and texts["2"] == "Работаем над этим"


def test_a_bad_setting_is_one_line(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    write_config(home, '[retention]\nraw_days = "soon"\n')
    proc = qulaq("retention", "run", check=False)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "retention.raw_days" in proc.stderr and "Traceback" not in proc.stderr
    proc = qulaq("retention", "run", "--days", "-3", check=False)
    assert proc.returncode == 2 and "positive" in proc.stderr


@pytest.mark.parametrize(
    ("text", "named"),
    [("[retention]\nraw_day = 30\n", "raw_day"), ("retention = 30\n", "retention")],
    ids=["misspelt-key", "not-a-table"],
)
def test_a_retention_setting_that_would_be_ignored_is_refused(
    home: Path, text: str, named: str
) -> None:
    """A typo must not leave retention of personal data silently off."""
    home.mkdir(parents=True, exist_ok=True)
    write_config(home, text)
    proc = qulaq("retention", "run", "--dry-run", check=False)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert named in proc.stderr and "raw_days" in proc.stderr
