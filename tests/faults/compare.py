"""What a fault test compares: the stored state of a QULAQ_HOME, without the
columns that name runs or wall-clock times, so a home that went through a fault
can be compared with one that did not."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Table, select

from qulaq.config import load_settings
from qulaq.storage.database import Database
from qulaq.storage.schema import (
    alerts,
    collector_checkpoints,
    collector_seen,
    comment_versions,
    comments,
    incidents,
    playbook_runs,
    posts,
    quarantine,
)

VOLATILE = {
    "id",
    "stored_at",
    "updated_at",
    "first_run",
    "last_run",
    "row_version",
    "run",
    "received_at",
    "seen_at",
}
# columns that hold wall-clock times of a table whose other times are event times
WALL_CLOCK = {"incidents": {"created_at"}, "playbook_runs": {"created_at"}}
STORED = (comments, comment_versions, posts, quarantine)
COLLECTED = (collector_seen, collector_checkpoints)
RAISED = (alerts, incidents)


def rows(table: Table, env: dict[str, str] | None = None, *, skip: set[str] = VOLATILE) -> list:
    db = Database.open(load_settings({**os.environ, **(env or {})}))
    try:
        with db.read() as conn:
            found = conn.execute(select(table)).mappings().all()
    finally:
        db.dispose()
    return sorted(
        (tuple((k, v) for k, v in sorted(r.items()) if k not in skip) for r in found), key=repr
    )


def snapshot(
    env: dict[str, str] | None = None, tables: tuple[Table, ...] = STORED
) -> dict[str, Any]:
    return {t.name: rows(t, env, skip=VOLATILE | WALL_CLOCK.get(t.name, set())) for t in tables}


def differences(got: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """One line per table that differs: how many rows are missing and how many extra."""
    out = []
    for name in expected:
        g, e = got.get(name, []), expected[name]
        if g != e:
            missing, extra = set(e) - set(g), set(g) - set(e)
            columns = sorted(
                {k for row in missing for k, v in row} - {k for row in extra for k, v in row}
                | {
                    k
                    for k in {k for row in missing for k, _ in row}
                    if {dict(r).get(k) for r in missing} != {dict(r).get(k) for r in extra}
                }
            )
            out.append(
                f"{name}: {len(g)} rows, expected {len(e)} ({len(missing)} missing, "
                f"{len(extra)} extra{', same rows repeated' if not missing and not extra else ''}"
                f"{'; differing in ' + ', '.join(columns) if columns else ''})"
            )
    return out


def same_secret(*homes: str | os.PathLike[str]) -> None:
    """Share the pseudonymisation key, so author hashes compare equal across homes."""
    from pathlib import Path

    for home in homes:
        Path(home).mkdir(parents=True, exist_ok=True)
        (Path(home) / "secrets.toml").write_text('pseudonym_key = "' + "cd" * 32 + '"\n')


def playbook_runs_of(env: dict[str, str] | None = None) -> list:
    return rows(playbook_runs, env, skip=VOLATILE | {"started_at", "created_at"})
