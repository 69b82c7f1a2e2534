"""One browser session: who is looking, in which language, at which moment, and what
they may see. Every page gets a `View` from `start()`; nothing is queried before the
login (or the local read-only check) has passed.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Collection
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from dashboard import auth, rollups
from dashboard.data import default_as_of
from dashboard.messages import tr
from dashboard.widgets import in_language, local_time
from qulaq.config import Settings, load_settings
from qulaq.i18n import LANGS, current_lang
from qulaq.registry import Registry
from qulaq.storage.database import Database
from qulaq.timefmt import parse_user_time

log = logging.getLogger(__name__)
LOOPBACK = ("127.0.0.1", "::1", "localhost")
REFRESH_CHOICES = (0, 30, 60, 300)
_VIEW = "qulaq_view"
_ROLLUP_EVERY = 15.0  # seconds between two rollup refreshes of one server process


@dataclass(frozen=True)
class View:
    settings: Settings
    db: Database
    registry: Registry
    principal: auth.Principal
    lang: str
    at: datetime
    pinned: bool  # `at` chosen by the user rather than "now"
    refresh_seconds: int

    def t(self, key: str, **params: Any) -> str:
        return tr(key, self.lang, **params)

    @property
    def as_of(self) -> datetime | None:
        """The moment under review, when one is chosen: figures as they stood then."""
        return self.at if self.pinned else None

    @property
    def scope(self) -> frozenset[str] | None:
        return self.principal.scope(self.registry)

    def visible(self, agency_ids: Collection[str]) -> list[str]:
        scope = self.scope
        return [a for a in agency_ids if scope is None or a in scope]

    def name(self, agency_id: str) -> str:
        agency = self.registry.agency(agency_id)
        if agency.known or not agency.accounts:
            return agency.name(self.lang)
        # An account no registered agency claims: say where it is, not "telegram:some_chat".
        account = agency.accounts[0]
        return self.t(
            "agency.unlisted",
            platform=self.t(f"platform.{account.platform}"),
            account=account.handle,
        )

    def platform(self, platform: object) -> str:
        """A platform by its name in the reader's language ("Сайт", not "web")."""
        return self.t(f"platform.{platform}") if platform else ""

    def can(self, permission: str) -> bool:
        return self.principal.can(permission)

    def audit(self, action: str, target: str | None = None, **detail: Any) -> None:
        with self.db.write() as conn:
            auth.audit(conn, self.principal.username, action, target, detail or None)

    def audit_view(self, page: str) -> None:
        """Record a page view without making the page wait for the database's write lock."""
        user = self.principal.username
        _background(self.db, lambda conn: auth.audit(conn, user, "view", page))


@st.cache_resource
def _resources() -> tuple[Settings, Database, Registry]:
    from stream.pipeline import load_registry

    settings = load_settings()
    return settings, Database.open(settings), load_registry(settings)


@st.cache_resource
def _rollup_clock() -> dict[str, Any]:
    return {"at": 0.0, "lock": threading.Lock(), "pending": None}


@st.cache_resource
def _writer() -> ThreadPoolExecutor:
    """One thread per server for writes a page need not wait for (on SQLite a writer may
    hold the lock for a while: `qulaq run` storing a batch)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="qulaq-dashboard-writes")


def _background(db: Database, work: Callable[[Any], object]) -> Future[None]:
    def run() -> None:
        try:
            with db.write() as conn:
                work(conn)
        except Exception:
            log.exception("dashboard background write failed")

    return _writer().submit(run)


def refresh_rollups(db: Database, *, force: bool = False) -> None:
    """Fold new comments into the rollups, at most every few seconds per server.

    The very first build runs while the page waits; later refreshes run in the background
    and the page shows the rollups as they are (at most a refresh behind).
    """
    clock = _rollup_clock()
    with clock["lock"]:
        pending = clock["pending"]
        if pending is not None and not pending.done():
            return
        if not force and time.monotonic() - clock["at"] < _ROLLUP_EVERY:
            return
        clock["at"] = time.monotonic()
        with db.read() as conn:
            built = rollups.watermark(conn) is not None
        if built and not force:
            clock["pending"] = _background(db, lambda conn: rollups.refresh(conn))
            return
        with db.write() as conn:
            rollups.refresh(conn)


def _language() -> str:
    if "lang" not in st.session_state:
        st.session_state["lang"] = current_lang()
    labels = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
    return str(
        st.sidebar.selectbox(
            "Тіл / Язык / Language",
            LANGS,
            key="lang",
            format_func=lambda code: labels[code],
        )
    )


def _local_only() -> bool:
    host = os.environ.get("QULAQ_DASHBOARD_HOST", "127.0.0.1")
    return host in LOOPBACK or host.startswith("127.")


def _principal(db: Database, lang: str) -> auth.Principal | None:
    """The logged-in user, the local viewer, or None when a login form is shown."""
    with db.read() as conn:
        has_users = auth.any_users(conn)
    if not has_users:
        if not _local_only():
            st.error(tr("auth.refused_remote", lang))
            return None
        st.info(tr("auth.read_only_notice", lang), icon="🔒")
        return auth.LOCAL_VIEWER
    token = st.session_state.get("token")
    if token:
        with db.read() as conn:
            found = auth.session_principal(conn, token)
        if found is not None:
            return found
        st.session_state.pop("token", None)
    from dashboard.views import login

    login.render(db, lang)
    return None


_PINNED = "pinned_at"


def _as_of(db: Database, lang: str) -> tuple[datetime, bool]:
    """The moment every page shows: `?at=` once given stays for the whole session (moving
    to another page drops the address's parameters) until the user goes back to live."""
    raw = st.query_params.get("at") or st.session_state.get(_PINNED)
    if raw:
        try:
            at = parse_user_time(str(raw))
        except ValueError:
            st.session_state.pop(_PINNED, None)
            st.warning(tr("view.bad_time", lang))
        else:
            st.session_state[_PINNED] = str(raw)
            st.query_params["at"] = str(raw)  # in the address too: a link or reload keeps it
            return at, True
    with db.read() as conn:
        return default_as_of(conn), False


def _back_to_live() -> None:
    st.session_state.pop(_PINNED, None)
    st.query_params.pop("at", None)


def start() -> View | None:
    lang = _language()
    settings, db, registry = _resources()
    principal = _principal(db, lang)
    if principal is None:
        return None
    refresh_rollups(db)
    at, pinned = _as_of(db, lang)
    with st.sidebar:
        who = principal.display_name or principal.username or tr("auth.local_viewer", lang)
        st.caption(tr("auth.signed_in_as", lang, who=who))
        if principal.role:
            st.caption(tr(f"role.{principal.role}", lang))
        key, index = in_language("refresh_seconds", lang, REFRESH_CHOICES, 2)
        seconds = st.selectbox(
            tr("view.auto_refresh", lang),
            REFRESH_CHOICES,
            index=index,
            key=key,
            format_func=lambda s: (
                tr("view.refresh_off", lang)
                if s == 0
                else tr("view.refresh_every", lang, seconds=s)
            ),
        )
        if pinned:
            st.caption(tr("view.pinned", lang, at=local_time(at)))
            st.button(tr("view.back_to_live", lang), on_click=_back_to_live)
        if principal.username and st.button(tr("auth.logout", lang)):
            token = st.session_state.pop("token", None)
            if token:
                with db.write() as conn:
                    auth.close_session(conn, token)
            st.rerun()
    view = View(settings, db, registry, principal, lang, at, pinned, int(seconds or 0))
    st.session_state[_VIEW] = view
    return view


def current_view() -> View:
    """The view `start()` prepared in this script run (page files call this)."""
    view = st.session_state.get(_VIEW)
    if not isinstance(view, View):
        st.stop()
    return view


def live(view: View, body: Callable[[View], None]) -> None:
    """Draw `body`, and again every `refresh_seconds` with fresh data and a fresh clock."""
    if not view.refresh_seconds or view.pinned:
        body(view)
        return

    @st.fragment(run_every=view.refresh_seconds)
    def _fragment() -> None:
        refresh_rollups(view.db)
        with view.db.read() as conn:
            at = default_as_of(conn, datetime.now(UTC))
        body(replace(view, at=at))

    _fragment()
