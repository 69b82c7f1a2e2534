"""The Streamlit entry point, started by `qulaq dashboard`: check who is looking, then
show the pages their role allows."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Qulaq", page_icon="👂", layout="wide")

from dashboard import session  # noqa: E402 - set_page_config must run first
from dashboard.pages import accounts, agency, alerts, overview, playbooks, queue  # noqa: E402


def main() -> None:
    view = session.start()
    if view is None:
        st.stop()
        return

    def page_overview() -> None:
        overview.render(view)

    def page_agency() -> None:
        agency.render(view)

    def page_alerts() -> None:
        alerts.render(view)

    def page_queue() -> None:
        queue.render(view)

    def page_playbooks() -> None:
        playbooks.render(view)

    def page_accounts() -> None:
        accounts.render(view)

    pages = {
        "overview": st.Page(
            page_overview, title=view.t("nav.overview"), url_path="overview", default=True
        ),
        "agency": st.Page(page_agency, title=view.t("nav.agency"), url_path="agency"),
        "alerts": st.Page(page_alerts, title=view.t("nav.alerts"), url_path="alerts"),
        "queue": st.Page(page_queue, title=view.t("nav.queue"), url_path="queue"),
        "playbooks": st.Page(page_playbooks, title=view.t("nav.playbooks"), url_path="playbooks"),
        "accounts": st.Page(page_accounts, title=view.t("nav.accounts"), url_path="accounts"),
    }
    view.links.update(pages)
    st.navigation(list(pages.values())).run()


main()
