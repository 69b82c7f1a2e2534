"""Who may see and do what on the dashboard: users, roles, agency scope, sessions, audit.

Passwords are hashed with argon2id. A session token lives only in the browser
session's server-side state; the database keeps its hash, so a removed or
disabled user is logged out on their next page load. Every check runs on the
server, before a page queries anything.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, func, insert, select, update

from dashboard.roles import ALL_AGENCIES, PERMISSIONS, ROLES
from qulaq.errors import UserError
from qulaq.registry import Registry
from qulaq.storage.schema import dashboard_audit, dashboard_sessions, dashboard_users

SESSION_HOURS = 12
MIN_PASSWORD = 10
_USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-@")
_MAX_FAILURES = 10
_FAILURE_WINDOW = timedelta(minutes=15)
_hasher = PasswordHasher()
# Verified when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("qulaq-no-such-user")


@dataclass(frozen=True, slots=True)
class Principal:
    """The person behind a page load; `username` None is the local read-only viewer."""

    username: str | None
    role: str | None
    agencies: tuple[str, ...]
    display_name: str | None = None

    @property
    def read_only(self) -> bool:
        return self.username is None

    def can(self, permission: str) -> bool:
        return self.role is not None and permission in PERMISSIONS.get(self.role, frozenset())

    def scope(self, registry: Registry) -> frozenset[str] | None:
        """The agency ids this person may see, or None for all of them.

        An agency in scope brings the bodies below it: an oblast akimat's press office
        sees its cities and districts.
        """
        if ALL_AGENCIES in self.agencies:
            return None
        seen: set[str] = set()
        todo = list(self.agencies)
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            todo.extend(child.id for child in registry.children(current))
        return frozenset(seen)

    def sees(self, agency_id: str, registry: Registry) -> bool:
        scope = self.scope(registry)
        return scope is None or agency_id in scope


LOCAL_VIEWER = Principal(None, None, (ALL_AGENCIES,))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_username(username: str) -> str:
    name = username.strip().lower()
    if not name or len(name) > 64 or any(c not in _USERNAME_CHARS for c in name):
        raise UserError.t("user.bad_name", name=username)
    return name


def check_password(password: str) -> None:
    if not password.strip():
        raise UserError.t("user.blank_password")
    if len(password) < MIN_PASSWORD:
        raise UserError.t("user.short_password", n=MIN_PASSWORD)


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError.t("user.bad_role", role=role, roles=", ".join(ROLES))
    return role


def _check_agencies(agencies: Iterable[str], registry: Registry) -> list[str]:
    out = []
    for agency in agencies:
        agency = agency.strip()
        if not agency:
            continue
        if agency != ALL_AGENCIES and registry.get(agency) is None and ":" not in agency:
            raise UserError.t("user.unknown_agency", agency=agency)
        out.append(agency)
    if not out:
        raise UserError.t("user.no_agency")
    return out


def any_users(conn: Connection) -> bool:
    return conn.execute(select(func.count()).select_from(dashboard_users)).scalar_one() > 0


def add_user(
    conn: Connection,
    registry: Registry,
    *,
    username: str,
    password: str,
    role: str,
    agencies: Iterable[str],
    display_name: str | None = None,
    now: datetime | None = None,
) -> str:
    name = _check_username(username)
    _check_role(role)
    scope = _check_agencies(agencies, registry)
    check_password(password)
    if get_user(conn, name) is not None:
        raise UserError.t("user.exists", name=name)
    now = now or datetime.now(UTC)
    conn.execute(
        insert(dashboard_users).values(
            username=name,
            display_name=display_name,
            role=role,
            agencies=json.dumps(scope),
            password_hash=hash_password(password),
            disabled=False,
            created_at=now,
            updated_at=now,
        )
    )
    audit(conn, None, "user_added", name, {"role": role, "agencies": scope}, now=now)
    return name


def get_user(conn: Connection, username: str) -> dict[str, Any] | None:
    row = (
        conn.execute(select(dashboard_users).where(dashboard_users.c.username == username))
        .mappings()
        .first()
    )
    return dict(row) if row else None


def list_users(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(
            dashboard_users.c.username,
            dashboard_users.c.display_name,
            dashboard_users.c.role,
            dashboard_users.c.agencies,
            dashboard_users.c.disabled,
            dashboard_users.c.created_at,
        ).order_by(dashboard_users.c.username)
    ).mappings()
    return [{**dict(r), "agencies": json.loads(r["agencies"])} for r in rows]


def assignees(
    users: Iterable[Mapping[str, Any]], registry: Registry, agency_id: str, permission: str
) -> dict[str, str]:
    """Who work on `agency_id` can go to: of `users` (`list_users`), the enabled ones who
    see it and hold `permission`, by login, with the name to show."""
    out = {}
    for row in users:
        person = Principal(row["username"], row["role"], tuple(row["agencies"]))
        if row["disabled"] or not person.can(permission):
            continue
        if person.sees(agency_id, registry):
            out[str(row["username"])] = str(row["display_name"] or row["username"])
    return out


def remove_user(conn: Connection, username: str) -> None:
    name = _check_username(username)
    if conn.execute(delete(dashboard_users).where(dashboard_users.c.username == name)).rowcount:
        revoke_sessions(conn, name)
        audit(conn, None, "user_removed", name)
        return
    raise UserError.t("user.unknown", name=name)


def set_password(conn: Connection, username: str, password: str) -> None:
    name = _check_username(username)
    check_password(password)
    now = datetime.now(UTC)
    done = conn.execute(
        update(dashboard_users)
        .where(dashboard_users.c.username == name)
        .values(password_hash=hash_password(password), updated_at=now)
    ).rowcount
    if not done:
        raise UserError.t("user.unknown", name=name)
    revoke_sessions(conn, name)
    audit(conn, None, "password_changed", name, now=now)


def _principal(row: dict[str, Any]) -> Principal:
    return Principal(
        username=row["username"],
        role=row["role"],
        agencies=tuple(json.loads(row["agencies"])),
        display_name=row.get("display_name"),
    )


def _throttle_key(username: str) -> str:
    """The name failed logins are recorded and counted under: the audit log keeps 64
    characters, and a longer name (no user has one) must be counted as it is kept."""
    return username.strip().lower()[:64]


def _recent_failures(name: str, now: datetime) -> Any:
    """The condition on `dashboard_audit` for `name`'s failed logins the throttle counts."""
    a = dashboard_audit.c
    return (a.action == "login_failed") & (a.target == name) & (a.at >= now - _FAILURE_WINDOW)


def authenticate(
    conn: Connection, username: str, password: str, now: datetime | None = None
) -> Principal | None:
    """The user if the password is right, the account enabled and not throttled."""
    now = now or datetime.now(UTC)
    name = username.strip().lower()
    key = _throttle_key(username)
    failures = conn.execute(
        select(func.count()).select_from(dashboard_audit).where(_recent_failures(key, now))
    ).scalar_one()
    if failures >= _MAX_FAILURES:
        # Refused whatever the password, so no password check is spent on it; logged, but
        # not counted, so that the wait the sign-in page names is the wait there is.
        audit(conn, None, "login_throttled", key, now=now)
        return None
    row = get_user(conn, name) if name else None
    ok = False
    try:
        ok = _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None or row["disabled"]:
        audit(conn, None, "login_failed", key, now=now)
        return None
    audit(conn, name, "login", name, now=now)
    return _principal(row)


def throttled_until(
    conn: Connection, username: str, now: datetime | None = None
) -> datetime | None:
    """When `username` may try to sign in again, while too many failed logins hold it
    back; None when it is not held back.

    Failures are counted per name whether or not a user has it, and an attempt while
    held back is refused whatever its password, so this says nothing about who exists
    or whether a password was right. Such an attempt does not extend the wait.
    """
    now = now or datetime.now(UTC)
    times = list(
        conn.execute(
            select(dashboard_audit.c.at)
            .where(_recent_failures(_throttle_key(username), now))
            .order_by(dashboard_audit.c.at)
        ).scalars()
    )
    if len(times) < _MAX_FAILURES:
        return None
    # Free again once fewer than the limit remain in the window: when this one leaves it.
    return times[len(times) - _MAX_FAILURES] + _FAILURE_WINDOW


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def open_session(conn: Connection, principal: Principal, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(dashboard_sessions).values(
            token_hash=_token_hash(token),
            username=principal.username,
            created_at=now,
            expires_at=now + timedelta(hours=SESSION_HOURS),
            last_seen_at=now,
        )
    )
    return token


def session_principal(
    conn: Connection, token: str, now: datetime | None = None
) -> Principal | None:
    """The user of a live session, or None if it expired, was revoked or the user is gone."""
    now = now or datetime.now(UTC)
    s, u = dashboard_sessions.c, dashboard_users.c
    row = (
        conn.execute(
            select(dashboard_users)
            .join(dashboard_sessions, s.username == u.username)
            .where(
                s.token_hash == _token_hash(token),
                s.revoked_at.is_(None),
                s.expires_at > now,
                u.disabled.is_(False),
            )
        )
        .mappings()
        .first()
    )
    return _principal(dict(row)) if row else None


def touch_session(conn: Connection, token: str, now: datetime | None = None) -> None:
    conn.execute(
        update(dashboard_sessions)
        .where(dashboard_sessions.c.token_hash == _token_hash(token))
        .values(last_seen_at=now or datetime.now(UTC))
    )


def close_session(conn: Connection, token: str) -> None:
    conn.execute(
        update(dashboard_sessions)
        .where(dashboard_sessions.c.token_hash == _token_hash(token))
        .values(revoked_at=datetime.now(UTC))
    )


def revoke_sessions(conn: Connection, username: str) -> None:
    conn.execute(
        update(dashboard_sessions)
        .where(dashboard_sessions.c.username == username, dashboard_sessions.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


def audit(
    conn: Connection,
    username: str | None,
    action: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    *,
    now: datetime | None = None,
) -> None:
    conn.execute(
        insert(dashboard_audit).values(
            at=now or datetime.now(UTC),
            username=username,
            action=action,
            target=target,
            detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
        )
    )


def recent_audit(conn: Connection, limit: int = 200) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(dashboard_audit).order_by(dashboard_audit.c.id.desc()).limit(limit)
    ).mappings()
    return [dict(r) for r in rows]
