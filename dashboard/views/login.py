"""The login form, shown instead of every page until a user has signed in."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import streamlit as st

from dashboard import auth
from dashboard.messages import tr
from qulaq.storage.database import Database


def render(db: Database, lang: str) -> None:
    st.title(tr("auth.title", lang))
    with st.form("login"):
        username = st.text_input(tr("auth.username", lang), autocomplete="username")
        password = st.text_input(
            tr("auth.password", lang), type="password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(tr("auth.login", lang))
    if not submitted:
        return
    if not username.strip() or not password:
        st.error(tr("auth.empty", lang))
        return
    now = datetime.now(UTC)
    with db.write() as conn:
        principal = auth.authenticate(conn, username, password, now)
        token = auth.open_session(conn, principal) if principal is not None else None
        # Counted after this attempt: the wait holds for the next one.
        until = auth.throttled_until(conn, username, now) if token is None else None
    if until is not None:
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        st.error(tr("auth.throttled", lang, minutes=minutes))
        return
    if token is None:
        st.error(tr("auth.failed", lang))
        return
    st.session_state["token"] = token
    st.rerun()
