"""signal comment keys that keep an account's comments together

Revision ID: 0006
Revises: 0003

`signal_comments.comment_key` was a hash of the whole identity, so every new comment
landed on a random page of its index. It is now an account prefix followed by the
comment id (signals.features.identity_key). Existing keys are rewritten from the
identities in `comments`; a counted comment the store has not written yet (the Kafka
store stage behind the signals stage) keeps its old key.
"""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0003"
branch_labels = None
depends_on = None

_CHUNK = 5000


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for column in ("comment_key", "parent_key"):
            op.alter_column(
                "signal_comments",
                column,
                type_=sa.String(length=528),
                existing_type=sa.String(length=32),
            )
    _rewrite_keys()


def downgrade() -> None:
    raise NotImplementedError("signal comment keys are not rewritten back")


def _rewrite_keys() -> None:
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT count(*) FROM signal_comments")).scalar() == 0:
        return
    rows = conn.execute(
        sa.text("SELECT platform, account, comment_id, parent_id FROM comments")
    ).yield_per(_CHUNK)
    keys: list[dict[str, Any]] = []
    parents: list[dict[str, Any]] = []
    for platform, account, comment_id, parent_id in rows:
        new = identity_key(platform, account, comment_id)
        keys.append({"old": legacy_identity_key(platform, account, comment_id), "new": new})
        if parent_id:
            parents.append(
                {
                    "old": legacy_identity_key(platform, account, parent_id),
                    "new": identity_key(platform, account, parent_id),
                }
            )
        if len(keys) >= _CHUNK:
            _apply(keys, parents)
            keys, parents = [], []
    _apply(keys, parents)


# the two keys, as of this revision (signals.features.identity_key computes the new one)
def identity_key(platform: str, account: str, comment_id: str) -> str:
    prefix = hashlib.blake2b(f"{platform}\x1f{account}".encode(), digest_size=8).hexdigest()
    return prefix + comment_id


def legacy_identity_key(platform: str, account: str, comment_id: str) -> str:
    raw = f"{platform}\x1f{account}\x1f{comment_id}".encode()
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _apply(keys: list[dict[str, Any]], parents: list[dict[str, Any]]) -> None:
    conn = op.get_bind()
    if keys:
        conn.execute(
            sa.text("UPDATE signal_comments SET comment_key = :new WHERE comment_key = :old"),
            keys,
        )
    if parents:
        conn.execute(
            sa.text("UPDATE signal_comments SET parent_key = :new WHERE parent_key = :old"),
            parents,
        )
