"""Revision 0006 rewrites the keys of counted comments from the old hash of the whole
identity to the account-prefixed key, so a database written by an older release keeps
counting each comment once and still matches official replies to their parents."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, func, select, text

from qulaq.config import load_settings
from qulaq.models import Scored
from qulaq.registry import Registry
from qulaq.storage.comments import write_scored
from qulaq.storage.database import Database, _alembic_config
from qulaq.storage.schema import signal_buckets, signal_comments
from signals.features import identity_key
from signals.stage import SignalsStage
from tests.signals.test_signals_stage import comment, process

T0 = datetime(2025, 1, 6, tzinfo=UTC)


def _old_key(platform: str, account: str, comment_id: str) -> str:
    raw = f"{platform}\x1f{account}\x1f{comment_id}".encode()
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _count_under_old_key(conn: Connection, it: Scored) -> None:
    """What the signals stage of revision 0003 wrote for a counted comment."""
    ev = it.event
    conn.execute(
        text(
            "INSERT INTO signal_comments (comment_key, agency, platform, created_at, "
            "official, parent_key, needs_answer, urgent) "
            "VALUES (:k, :a, :p, :c, :o, :pk, :n, false)"
        ),
        {
            "k": _old_key(ev.platform, ev.account, ev.comment_id),
            "a": it.agency,
            "p": ev.platform,
            "c": ev.created_at.strftime("%Y-%m-%d %H:%M:%S.%f"),
            "o": ev.is_official_reply,
            "pk": _old_key(ev.platform, ev.account, ev.parent_id) if ev.parent_id else None,
            "n": bool(it.analysis and it.analysis["needs_answer"]),
        },
    )


@pytest.fixture(params=["sqlite", "postgres"])
def old_db(request: pytest.FixtureRequest, home: Path) -> Iterator[Database]:
    """A database at revision 0003 (before the new keys), holding two comments, an
    official reply to the first, and their counted rows under the old keys."""
    if request.param == "postgres":
        request.getfixturevalue("postgres")
    db = Database(load_settings().database_url, home=home)
    cfg = _alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    items = [
        comment(1, T0, needs=True),
        comment(2, T0 + timedelta(minutes=5)),
        comment(3, T0 + timedelta(hours=1), official=True, parent="c1"),
    ]
    with db.write() as conn:
        write_scored(conn, items)
        for it in items:
            _count_under_old_key(conn, it)
    yield db
    db.dispose()


def test_old_keys_are_rewritten_and_comments_still_count_once(old_db: Database) -> None:
    old_db.migrate()
    with old_db.read() as conn:
        found = conn.execute(select(signal_comments.c.comment_key, signal_comments.c.parent_key))
        keys = {key: parent for key, parent in found}
    new = {n: identity_key("instagram", "acc", f"c{n}") for n in (1, 2, 3)}
    assert keys == {new[1]: None, new[2]: None, new[3]: new[1]}

    # the same comments delivered again after the upgrade are not counted again
    stage = SignalsStage(Registry.default(), "en")
    again = [comment(1, T0, needs=True), comment(2, T0 + timedelta(minutes=5))]
    process(old_db, stage, again)
    with old_db.read() as conn:
        rows = conn.execute(select(func.count()).select_from(signal_comments)).scalar_one()
        counted = conn.execute(select(func.sum(signal_buckets.c.comments))).scalar()
    assert rows == 3 and not counted


def test_a_late_question_finds_its_reply_counted_before_the_upgrade(old_db: Database) -> None:
    # the reply to c4 was counted under the old keys; c4 itself arrives after the upgrade
    reply = comment(5, T0 + timedelta(hours=3), official=True, parent="c4")
    with old_db.write() as conn:
        write_scored(conn, [reply])
        _count_under_old_key(conn, reply)
    old_db.migrate()
    stage = SignalsStage(Registry.default(), "en")
    process(old_db, stage, [comment(4, T0 + timedelta(hours=2), needs=True)])
    with old_db.read() as conn:
        answered = conn.execute(
            select(signal_comments.c.answered_at).where(
                signal_comments.c.comment_key == identity_key("instagram", "acc", "c4")
            )
        ).scalar_one()
    assert answered == T0 + timedelta(hours=3)
