"""The database: an engine per process, migrated to the newest schema on first use.

SQLite (the default, in QULAQ_HOME) runs in WAL mode with a busy timeout so a
collector, `qulaq run` and the dashboard can share it; writers take the lock
up front (BEGIN IMMEDIATE) so two writers never deadlock on a lock upgrade.
PostgreSQL is used when QULAQ_DATABASE_URL says so.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError

from qulaq.config import Settings
from qulaq.errors import Phrase, UserError

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
_BUSY_MS = 60_000
_WRITER_CACHE_KIB = 128 * 1024  # allocated as it fills, so a small database costs little
_WRITER_CHECKPOINT_PAGES = 40_000  # about 160 MB of write-ahead log between checkpoints
# 64-bit key for pg_advisory_lock while migrating: crc32("qulaq-migrate")
_PG_MIGRATE_LOCK = 0x2F1D6B35
_FOLD_PROBE = "әжқөүұ"  # Kazakh letters outside Russian's alphabet


class Database:
    """Engines for one database URL: `write()` for transactions that write,
    `read()` for read-only work that never blocks writers."""

    def __init__(self, url: str, *, home: Path | None = None) -> None:
        self.url = url
        self.home = home
        self.dialect = url.split(":", 1)[0].split("+", 1)[0]
        self.engine = _make_engine(url, immediate=True)
        self._reader: Engine | None = None

    @classmethod
    def open(cls, settings: Settings, *, migrate: bool = True) -> Database:
        db = cls(settings.database_url, home=settings.home)
        if migrate:
            db.migrate()
            db.check_case_folding()
        return db

    @property
    def reader(self) -> Engine:
        if self._reader is None:
            self._reader = (
                _make_engine(self.url, immediate=False) if self.dialect == "sqlite" else self.engine
            )
        return self._reader

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.reader.connect() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()
        if self._reader is not None and self._reader is not self.engine:
            self._reader.dispose()

    # -- migrations -------------------------------------------------------

    def migrate(self) -> None:
        """Bring the schema to the newest revision; cheap when already there."""
        from alembic.runtime.migration import MigrationContext

        head = _head_revision()
        try:
            with self.engine.connect() as conn:
                current = MigrationContext.configure(conn).get_current_heads()
        except (DatabaseError, ValueError) as exc:  # unreachable, not a database, a bad port
            raise UserError.t("db.cannot_open", url=self.safe_url, reason=_first_line(exc)) from exc
        if set(current) == {head}:
            return
        known = _known_revisions()
        newer = [r for r in current if r not in known]
        if newer:
            raise UserError.t("db.newer_schema", url=self.safe_url, revisions=", ".join(newer))
        with self._migration_lock():
            from alembic import command

            cfg = _alembic_config(self.url)
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
            log.info("database %s migrated to %s", self.safe_url, head)

    def check_case_folding(self) -> bool:
        """Whether the database lowers Kazakh and Russian letters, which searching
        comments in any case relies on; a PostgreSQL database created with the C
        locale lowers ASCII only, and says so in a warning."""
        if self.dialect != "postgresql":
            return True  # SQLite gets a Python `casefold` function per connection
        with self.engine.connect() as conn:
            lowered = conn.execute(text("SELECT lower(:s)"), {"s": _FOLD_PROBE.upper()}).scalar()
        if lowered == _FOLD_PROBE:
            return True
        log.warning(
            "database %s does not lower Cyrillic letters (its locale is C?): searching "
            "comments will tell upper from lower case; create it with a UTF-8 locale "
            "such as C.UTF-8",
            self.safe_url,
        )
        return False

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        if self.dialect == "postgresql":
            with self.engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_MIGRATE_LOCK})
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_MIGRATE_LOCK})
                    conn.commit()
        elif self.dialect == "sqlite" and self.home is not None:
            lock_path = self.home / "migrate.lock"
            with lock_path.open("a") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                yield
        else:
            yield

    @property
    def safe_url(self) -> str:
        """The URL without its password, for messages."""
        from sqlalchemy.engine import make_url

        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except ArgumentError:
            return "<unparsable URL>"


def _make_engine(url: str, *, immediate: bool) -> Engine:
    try:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(
                url,
                connect_args={"timeout": _BUSY_MS / 1000, "check_same_thread": False},
            )
            _configure_sqlite(engine, immediate=immediate)
            return engine
        kwargs: dict[str, Any] = {"pool_pre_ping": True}
        if url.startswith("postgresql"):
            kwargs["connect_args"] = {"connect_timeout": 10}
        return create_engine(url, **kwargs)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        reason: object = _first_line(exc)
        if "invalid literal for int()" in str(reason):
            reason = Phrase("db.port_not_number", "its port is not a number")
        raise UserError.t("db.bad_url", reason=reason) from exc
    except ImportError as exc:  # a dialect whose driver is not installed (mysql://…)
        raise UserError.t("db.unsupported", name=exc.name or exc) from exc


def _casefold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _configure_sqlite(engine: Engine, *, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        # SQLite's lower() folds ASCII only: searching Kazakh and Russian text needs this.
        dbapi_conn.create_function("casefold", 1, _casefold, deterministic=True)
        if immediate:
            # the writing engine: a batch touches pages all over the comments' indexes;
            # with SQLite's default 2 MB cache it reads most of them again, and with the
            # default checkpoint every 1,000 pages every batch is copied into the
            # database file on its own. A million-comment run: writer 175 → 155 CPU-s;
            # a checkpoint every 40,000 pages instead of 10,000 copies an index page
            # that several batches rewrote once, not each time: 154 → 132 CPU-s
            cur.execute(f"PRAGMA cache_size = -{_WRITER_CACHE_KIB}")
            cur.execute(f"PRAGMA wal_autocheckpoint = {_WRITER_CHECKPOINT_PAGES}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _alembic_config(url: str) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


_HEAD: str | None = None


def _head_revision() -> str:
    global _HEAD
    if _HEAD is None:
        from alembic.script import ScriptDirectory

        heads = ScriptDirectory.from_config(_alembic_config("sqlite://")).get_heads()
        if len(heads) != 1:
            raise RuntimeError(f"migrations have {len(heads)} heads; merge them")
        _HEAD = heads[0]
    return _HEAD


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config("sqlite://"))
    return {rev.revision for rev in script.walk_revisions()}


def _first_line(exc: BaseException) -> str:
    msg = str(getattr(exc, "orig", None) or exc).strip()
    return msg.splitlines()[0] if msg else type(exc).__name__
