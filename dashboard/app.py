"""The Streamlit entry point, started by `qulaq dashboard`: check who is looking, then
show the pages. Each page file draws itself with the `View` this script prepared."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Qulaq", page_icon="👂", layout="wide")
# Streamlit's own "Press Enter to submit form" hint is English only; Enter still works.
st.html("<style>[data-testid='InputInstructions']{display:none}</style>")

from dashboard import session  # noqa: E402 - set_page_config must run first

PAGES = (
    ("overview", "views/overview.py"),
    ("agency", "views/agency.py"),
    ("alerts", "views/alerts.py"),
    ("queue", "views/queue.py"),
    ("playbooks", "views/playbooks.py"),
    ("accounts", "views/accounts.py"),
)


def main() -> None:
    view = session.start()
    if view is None:
        st.stop()
        return
    pages = [
        st.Page(path, title=view.t(f"nav.{name}"), url_path=name, default=name == "overview")
        for name, path in PAGES
    ]
    st.navigation(pages).run()


main()
