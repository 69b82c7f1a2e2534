"""Replay files of random valid, odd, broken, blank and repeated lines through the
whole embedded pipeline, on SQLite and on PostgreSQL: the counts add up, every
accepted comment is stored once, every rejected line is quarantined, no stage
crashes (a crash here is a message that would stall the pipeline on every restart)."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qulaq.config import load_settings
from qulaq.events import InvalidEvent, ahead_of_clock, parse_event
from qulaq.storage.database import Database
from qulaq.storage.stats import storage_stats
from stream.embedded_runtime import EmbeddedRuntime
from stream.pipeline import build_pipeline
from stream.replay import replay_file
from tests.conftest import PG_URL, _unavailable
from tests.fuzz.strategies import (
    FIELD_EDGES,
    as_line,
    bounded,
    broken_lines,
    edge_events,
    mutated_events,
    valid_events,
)

pytestmark = pytest.mark.slow

lines = st.lists(
    st.one_of(
        valid_events().map(as_line),
        mutated_events().map(as_line),
        edge_events().map(as_line),
        broken_lines(),
        st.sampled_from([b"", b"   ", b"\t"]),
    ),
    min_size=1,
    max_size=40,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated QULAQ_HOME copied for each example (migrating takes longer than a run)."""
    home = tmp_path_factory.mktemp("template") / "home"
    Database.open(load_settings({"QULAQ_HOME": str(home)})).dispose()
    return home


@contextmanager
def sqlite_home(template: Path) -> Iterator[dict[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        shutil.copytree(template, home)
        yield {"QULAQ_HOME": str(home)}


@contextmanager
def postgres_home() -> Iterator[dict[str, str]]:
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            yield {
                "QULAQ_HOME": str(Path(tmp) / "home"),
                "QULAQ_DATABASE_URL": f"{PG_URL}{sep}options=-csearch_path%3D{schema}",
            }
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def check_replay(env: dict[str, str], raws: list[bytes], workdir: Path) -> None:
    path = workdir / "mix.jsonl"
    path.write_bytes(b"\n".join(raws) + b"\n")
    settings = load_settings(env)
    pipeline = build_pipeline(settings)
    before = datetime.now(UTC)  # replay's clock is this or later
    try:
        counts = replay_file(settings, path, db=pipeline.db, registry=pipeline.registry)
        EmbeddedRuntime(pipeline).run(until_idle=True)
        with pipeline.db.read() as conn:
            stats = storage_stats(conn)
    finally:
        pipeline.db.dispose()

    identities = set()
    accepted = rejected = blank = 0
    for raw in raws:
        if not raw.strip():
            blank += 1
            continue
        try:
            event = parse_event(raw)
        except InvalidEvent:
            rejected += 1
            continue
        if ahead_of_clock(event, before) is not None:  # dated days ahead: quarantined too
            rejected += 1
            continue
        identities.add(event.identity)
        accepted += 1
    assert (counts.published, counts.quarantined, counts.blank) == (accepted, rejected, blank)
    assert stats["comments"] == len(identities)
    assert stats["quarantined"] == rejected


def with_repeats(raws: list[bytes], data: Any) -> list[bytes]:
    """Some lines again, later: a duplicate is stored once, a repeated broken line
    is quarantined once per line it sits on."""
    for _ in range(data.draw(st.integers(0, 5))):
        raws.append(data.draw(st.sampled_from(raws)))
    return raws


@bounded(30)
@given(lines, st.data())
def test_replayed_mixes_add_up(template: Path, raws: list[bytes], data: Any) -> None:
    raws = with_repeats(raws, data)
    with sqlite_home(template) as env:
        check_replay(env, raws, Path(env["QULAQ_HOME"]).parent)


def edge_file() -> list[bytes]:
    """Every edge value of every field once, on an otherwise valid comment."""
    base = {
        "platform": "vk",
        "account": "-5551",
        "text": "Суық, жылу жоқ",
        "created_at": "2026-01-05T10:15:00+05:00",
    }
    out = []
    for name, values in sorted(FIELD_EDGES.items()):
        for i, value in enumerate(values):
            out.append(as_line({**base, "comment_id": f"{name}-{i}", name: value}))
    return out


def test_every_edge_value(template: Path) -> None:
    with sqlite_home(template) as env:
        check_replay(env, edge_file(), Path(env["QULAQ_HOME"]).parent)


@pytest.mark.postgres
def test_every_edge_value_on_postgres() -> None:
    if not PG_URL:
        _unavailable("PostgreSQL (QULAQ_TEST_DATABASE_URL)")
    with postgres_home() as env:
        check_replay(env, edge_file(), Path(env["QULAQ_HOME"]).parent)


@pytest.mark.postgres
def test_replayed_mixes_add_up_on_postgres() -> None:
    if not PG_URL:
        _unavailable("PostgreSQL (QULAQ_TEST_DATABASE_URL)")

    @bounded(12)
    @given(lines, st.data())
    def run(raws: list[bytes], data: Any) -> None:
        raws = with_repeats(raws, data)
        with postgres_home() as env:
            check_replay(env, raws, Path(env["QULAQ_HOME"]).parent)

    run()
