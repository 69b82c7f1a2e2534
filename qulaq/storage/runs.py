"""Ingest runs: which replay or collector pass brought each comment (provenance)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from qulaq.storage.schema import ingest_runs


def new_run_id(source: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{source.replace(':', '-')}-{stamp}-{uuid.uuid4().hex[:8]}"


def start_run(conn: Connection, source: str, target: str | None, detail: str | None = None) -> str:
    run_id = new_run_id(source)
    conn.execute(
        ingest_runs.insert().values(
            id=run_id,
            source=source,
            target=target,
            started_at=datetime.now(UTC),
            status="running",
            detail=detail,
        )
    )
    return run_id


def finish_run(conn: Connection, run_id: str, status: str, counts: dict[str, Any]) -> None:
    conn.execute(
        ingest_runs.update()
        .where(ingest_runs.c.id == run_id)
        .values(finished_at=datetime.now(UTC), status=status, counts=json.dumps(counts))
    )


def recent_runs(conn: Connection, limit: int = 50) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(ingest_runs).order_by(ingest_runs.c.started_at.desc()).limit(limit)
    ).mappings()
    out = []
    for r in rows:
        d = dict(r)
        d["counts"] = json.loads(d["counts"]) if d["counts"] else {}
        out.append(d)
    return out
