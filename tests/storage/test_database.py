"""The database engines: the SQLite writer's larger cache and rarer checkpoints (a batch
touches pages all over the indexes), the readers' SQLite defaults, how times are
stored, and whether PostgreSQL lowers Kazakh and Russian letters for search."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from qulaq.errors import UserError
from qulaq.storage import database
from qulaq.storage.database import Database
from qulaq.storage.types import SqliteTimes, sqlite_text


def _pragmas(conn: object) -> tuple[int, int, str]:
    run = conn.exec_driver_sql  # type: ignore[attr-defined]
    return (
        run("PRAGMA cache_size").scalar(),
        run("PRAGMA wal_autocheckpoint").scalar(),
        run("PRAGMA journal_mode").scalar(),
    )


def test_the_writer_caches_more_and_checkpoints_less_than_readers(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'q.db'}", home=tmp_path)
    try:
        with db.write() as conn:
            writer = _pragmas(conn)
        with db.read() as conn:
            reader = _pragmas(conn)
    finally:
        db.dispose()
    assert writer == (-database._WRITER_CACHE_KIB, database._WRITER_CHECKPOINT_PAGES, "wal")
    # SQLite's own defaults, not the writer's: every dashboard session holds a reader
    assert reader[2] == "wal"
    assert reader[0] != writer[0] and reader[1] != writer[1]
    assert -reader[0] < database._WRITER_CACHE_KIB


# a full garbage collection late in a long run can take longer than hypothesis's 200 ms
NO_DEADLINE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=5)), timezone(-timedelta(hours=3))])


@NO_DEADLINE
@given(
    st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=ZONES,
    )
)
def test_times_are_stored_as_utc_text_whatever_their_zone(value: datetime) -> None:
    """The fast path for UTC times writes what SQLAlchemy's type would."""
    stored = sqlite_text(value)
    utc = value.astimezone(UTC)
    assert stored is not None and len(stored) == 26
    assert datetime.fromisoformat(stored).replace(tzinfo=UTC) == utc


@NO_DEADLINE
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.datetimes(
                min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=ZONES
            ),
        ),
        max_size=30,
    ),
    ZONES,
)
def test_a_batch_formats_each_time_as_sqlite_text_does(
    values: list[datetime | None], zone: timezone
) -> None:
    """The batch cache answers by instant: the same instant in another zone (equal,
    with the same hash) must give the same UTC text, never a stale one."""
    same_instants = [v.astimezone(zone) if v is not None else None for v in values]
    as_text = SqliteTimes()
    got = [as_text(v) for v in values + same_instants + values]
    assert got == [sqlite_text(v) for v in values + same_instants + values]


@pytest.mark.postgres
def test_a_postgres_database_that_cannot_lower_kazakh_is_named(
    postgres: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The test database (UTF-8 locale) lowers Kazakh letters quietly; one created with
    the C locale lowers ASCII only, and opening it warns that search tells case apart."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    assert Database(postgres).check_case_folding()
    assert "does not lower" not in caplog.text

    name = f"qulaq_c_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"))
    c_locale = Database(make_url(postgres).set(database=name, query={}).render_as_string(False))
    try:
        assert not c_locale.check_case_folding()
        assert "does not lower Cyrillic letters" in caplog.text
        assert "qulaq:qulaq@" not in caplog.text  # the password is not in the warning
    finally:
        c_locale.dispose()
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name}"))
        admin.dispose()


def _opened(url: str) -> str:
    with pytest.raises(UserError) as caught:
        Database(url).migrate()
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_database_that_cannot_be_used_is_named_in_one_line(tmp_path: Path) -> None:
    assert "does not support" in _opened("mysql://someone@127.0.0.1/db")
    assert "port is not a number" in _opened("postgresql+psycopg://x:y@127.0.0.1:notaport/db")
    text_file = tmp_path / "notes.db"
    text_file.write_text("not a database, just notes\n" * 200, encoding="utf-8")
    assert "not a database" in _opened(f"sqlite:///{text_file}")


def test_a_database_from_a_newer_version_is_left_alone(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'qulaq.db'}"
    db = Database(url)
    db.migrate()
    with db.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
    db.dispose()
    assert "f00dfeed" in _opened(url) and "newer version" in _opened(url)
    with Database(url).read() as conn:  # and it was not touched
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "f00dfeed"
