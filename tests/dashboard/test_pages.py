"""Every page in Streamlit's AppTest, on the replayed demo (read-only local mode)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.conftest import (
    CRISIS_AGENCY,
    MD_LINK,
    SCRIPT,
    TWO_HOURS_IN,
    app,
    choices,
    chosen_labels,
    no_failures,
    ranking_keys,
    shown_choices,
)

pytestmark = pytest.mark.slow


def test_overview_puts_the_agency_in_crisis_first(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    at = app("overview", query={"at": TWO_HOURS_IN})
    no_failures(at)
    assert at.title[0].value == "Reputation risk by agency"
    keys = ranking_keys(at)
    assert keys[0] == CRISIS_AGENCY, keys
    assert "telegram:almaty_aksai_chat" in keys  # an account no agency claims is listed too
    # ... under where it is, not its internal id
    ranking = next(h.proto.body for h in at.get("html") if 'id="qulaq-ranking"' in h.proto.body)
    assert "Telegram · almaty_aksai_chat (not in the registry)" in ranking
    assert any("Read-only mode" in i.value for i in at.info)
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert 'id="qulaq-matrix"' in bodies and 'id="qulaq-regions"' in bodies
    assert "critical" in bodies


def test_overview_filters_by_agency_type(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    at = app("overview", query={"at": TWO_HOURS_IN})
    at.get("button_group")[0].set_value(["ministry"]).run()
    no_failures(at)
    keys = ranking_keys(at)
    assert keys and all(k.startswith("min-") for k in keys), keys


def test_overview_in_kazakh_and_russian(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    for lang, title in (("kk", "Мекемелер бойынша беделге қатер"), ("ru", "Репутационный риск")):
        at = app("overview", state={"lang": lang})
        no_failures(at)
        assert at.title[0].value.startswith(title)


def test_agency_page(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    at = app("agency", query={"agency": CRISIS_AGENCY, "at": "2026-03-20T12:00:00+05:00"})
    no_failures(at)
    assert at.header[0].value == "Akimat of Almaty"
    subheaders = [s.value for s in at.subheader]
    for expected in ("Topics", "Language mix", "Most negative", "Most liked"):
        assert expected in subheaders
    labels = {m.label: m.value for m in at.metric}
    assert int(labels["Comments"]) > 1000
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert 'id="qulaq-accounts"' in bodies and "almaty.akimdik" in bodies
    assert 'id="qulaq-backlog"' in bodies


def test_hostile_comment_text_is_shown_as_text(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    at = app("agency", query={"agency": CRISIS_AGENCY, "at": "2026-03-20T12:00:00+05:00"})
    no_failures(at)
    texts = [t.value for t in at.text]
    assert any(SCRIPT in t for t in texts), texts[:10]
    assert any(MD_LINK in t for t in texts)
    assert "<img src=x onerror=alert(2)>" in texts  # the author's name, as text too
    markup = [m.value for m in at.markdown] + [c.value for c in at.caption]
    markup += [h.proto.body for h in at.get("html")]
    assert not any(SCRIPT in m or "javascript:" in m or "onerror" in m for m in markup)
    # the link to the original is offered only for an http(s) address
    links = [b.proto.url for b in at.get("link_button")]
    assert links and not any(u.startswith("javascript") for u in links)


def test_alerts_page(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    at = app("alerts")
    no_failures(at)
    assert at.title[0].value == "Alerts and incidents"
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert "Akimat of Almaty" in bodies  # the crisis raised alerts
    ack = [b for b in at.button if b.label == "Acknowledge"]
    assert ack and all(b.disabled for b in ack)  # read-only mode: no actions


def test_queue_page(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    at = app("queue", query={"agency": CRISIS_AGENCY})
    no_failures(at)
    assert at.title[0].value == "Comments to answer"
    assert any("overdue" in c.value for c in at.caption)
    urgent = [c.value for c in at.caption if "Urgent" in c.value]
    assert urgent, [c.value for c in at.caption]
    # An urgent comment's deadline is the urgent one: no severity's days beside it.
    assert all("Urgent: answer within 4 h" in c and "days)" not in c for c in urgent), urgent
    assert len(at.text) >= 10
    at.button(key="queue_open_0").click().run()
    no_failures(at)
    assert "Selected comment" in [s.value for s in at.subheader]
    draft = at.text_area(key="queue_draft").value
    assert draft.startswith("Уважаемый")
    # The first comments are long overdue: the reply promises a date still ahead of the
    # page's moment (the demo's last data, 2026-03-22), not the deadline gone by.
    promised = re.findall(r"(\d\d)\.(\d\d)\.(\d{4})", draft)
    assert promised, draft
    assert all((y, m, d) >= ("2026", "03", "22") for d, m, y in promised), draft
    save = [b for b in at.get("form_submit_button") if b.label == "Save"]
    assert save and save[0].disabled


def test_playbooks_page(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    at = app("playbooks")
    no_failures(at)
    assert at.title[0].value == "Playbook runs"
    bodies = " ".join(h.proto.body for h in at.get("html"))
    if 'id="qulaq-runs"' in bodies:
        assert "Akimat of Almaty" in bodies
        assert any("managers" in c.value for c in at.caption)  # no export for the viewer
    else:
        assert any("No data yet" in i.value for i in at.info)


def test_playbooks_page_reads_in_russian(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    at = app("playbooks", state={"lang": "ru"})
    no_failures(at)
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert 'id="qulaq-runs"' in bodies, "the demo starts playbook runs"
    # Playbooks, steps, roles and statuses by their names, not their identifiers.
    assert "Коммунальная авария" in bodies and "utility-outage" not in bodies
    assert "Дежурный пресс-службы" in bodies and "duty_officer" not in bodies
    assert "pending" not in bodies and "active" not in bodies
    log = at.dataframe[0].value
    assert list(log.columns)[:3] == ["Когда", "Кто", "Действие"]
    assert "run_id" not in log.columns and not log["Подробности"].str.contains("{").any()


def test_accounts_page(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    at = app("accounts")
    no_failures(at)
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert 'id="qulaq-presence"' in bodies and "VK" in bodies
    assert any(i.value.startswith("VK:") for i in at.info)


def test_remote_host_without_users_is_refused(demo_home: Path, use_home) -> None:
    use_home(demo_home, host="0.0.0.0")
    at = app("overview")
    assert any("127.0.0.1" in e.value for e in at.error)
    assert not at.title


def test_a_chosen_time_stays_on_every_page_until_back_to_live(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    at = app("overview", query={"at": TWO_HOURS_IN})
    no_failures(at)
    # Moving to another page drops the address's parameters; the chosen time must stay.
    at.query_params.clear()
    at.query_params["agency"] = CRISIS_AGENCY
    at.switch_page("views/agency.py")
    at.run()
    no_failures(at)
    captions = " ".join(c.value for c in at.caption)
    assert "as of 2026-03-20 09:10" in captions, captions
    assert "Showing 2026-03-20 09:10 (Almaty time), not live" in captions
    assert at.query_params["at"] == TWO_HOURS_IN
    back = next(b for b in at.button if b.label == "Back to live")
    back.click().run()
    no_failures(at)
    captions = " ".join(c.value for c in at.caption)
    assert "as of 2026-03-20 09:10" not in captions, captions
    assert "not live" not in captions
    assert "at" not in at.query_params


def test_alerts_speak_the_readers_language_at_the_chosen_moment(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    at = app("alerts", query={"at": TWO_HOURS_IN}, state={"lang": "ru"})
    no_failures(at)
    texts = [t.value for t in at.text]
    # Two hours into the crisis its alerts are open, even though they have closed since.
    assert texts and any("комментариев" in t for t in texts), texts
    assert not any(" comments " in t for t in texts), texts  # written in English by the stage
    incidents = next(h.proto.body for h in at.get("html") if 'id="qulaq-incidents"' in h.proto.body)
    rows = incidents.split("<tr")[2:]  # after the header row
    assert "S4" in rows[0], rows[0]  # the most severe incident first
    assert "всплеск объёма" in incidents and "volume_spike" not in incidents
    # What raised the crisis alerts: their loudest comments, with platform, time and likes.
    assert any("♥" in c.value for c in at.caption)
    assert not at.dataframe  # no table of blank headers


def test_agency_page_units_in_russian(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    at = app(
        "agency",
        query={"agency": CRISIS_AGENCY, "at": "2026-03-20T12:00:00+05:00"},
        state={"lang": "ru"},
    )
    no_failures(at)
    values = [m.value for m in at.metric]
    hours = [v for v in values if v.endswith(" ч")]
    assert hours and all("," in v and "." not in v for v in hours), values
    periods = at.get("button_group")[0].proto.options
    assert [o.content for o in periods] == ["24 ч", "72 ч", "7 дней", "30 дней"]


def test_queue_search_urgent_only_and_more(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    at = app("queue", query={"agency": CRISIS_AGENCY})
    no_failures(at)
    first_page = len(at.text)
    assert first_page == 30
    at.button(key="queue_show_more").click().run()
    no_failures(at)
    assert len(at.text) == 60  # the next thirty, not a dead end
    # Search folds case in Cyrillic too ("ОТОПЛЕНИЕ" is found by "отоплен").
    at.text_input(key="queue_search").input("отоплен").run()
    no_failures(at)
    texts = [t.value for t in at.text]
    assert texts and all("отоплен" in t.casefold() for t in texts), texts[:5]
    assert any("ОТОПЛЕН" in t for t in texts) or any("Отоплен" in t for t in texts)
    at.text_input(key="queue_search").input("").run()
    at.toggle(key="queue_urgent").set_value(True).run()
    no_failures(at)
    metas = [c.value for c in at.caption if " · " in c.value and "overdue by" in c.value]
    assert metas and all("Urgent: answer within" in m for m in metas), metas[:3]


def _picker(at, key: str, lang: str):
    """The selectbox or radio labelled with the message `key` in `lang`."""
    from dashboard.messages import tr

    return next(w for w in choices(at) if w.label == tr(key, lang))


def _switch_language(at, lang: str) -> dict[str, str]:
    """Switch the interface language; what the browser then shows in each picker."""
    from qulaq.i18n import LANGS

    before = chosen_labels(at)
    switch = at.selectbox(key="lang")
    before[switch.id] = switch.options[LANGS.index(lang)]  # the reader's own choice
    switch.set_value(lang).run()
    no_failures(at)
    return shown_choices(at, before)


def test_the_overview_pickers_follow_a_language_switch(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    at = app("overview", query={"at": TWO_HOURS_IN})
    _picker(at, "overview.open_agency", "en").set_value("akimat-sko").run()
    _picker(at, "view.auto_refresh", "en").set_value(300).run()
    no_failures(at)
    shown = _switch_language(at, "ru")
    picker = _picker(at, "overview.open_agency", "ru")
    assert picker.value == "akimat-sko"  # the choice stays ...
    assert shown[picker.id] == "Акимат Северо-Казахстанской области"  # ... in the new language
    assert _picker(at, "view.auto_refresh", "ru").value == 300
    for widget in choices(at):  # every picker shows its choice in Russian, not in English
        assert shown[widget.id] == widget.options[widget.index], (widget.label, widget.options)


def test_the_queue_pickers_follow_a_language_switch(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    at = app("queue", query={"agency": CRISIS_AGENCY})
    _picker(at, "queue.since", "en").set_value(90).run()
    at.button(key="queue_open_0").click().run()
    _picker(at, "queue.draft_kind", "en").select_index(1).run()
    no_failures(at)
    assert "Selected comment" in [s.value for s in at.subheader]
    kind = _picker(at, "queue.draft_kind", "en").value
    shown = _switch_language(at, "kk")
    assert _picker(at, "queue.since", "kk").value == 90
    assert _picker(at, "queue.draft_kind", "kk").value == kind
    assert _picker(at, "col.agency", "kk").value == CRISIS_AGENCY
    for widget in choices(at):  # the filters and the selected comment's forms
        assert shown[widget.id] == widget.options[widget.index], (widget.label, widget.options)


def test_the_agency_page_opens_on_the_agency_most_at_risk(demo_home: Path, use_home) -> None:
    use_home(demo_home)
    # A day before the crisis Petropavl leads the ranking; by name it would come late.
    at = app("overview", query={"at": "2026-03-19T09:00:00+05:00"})
    assert ranking_keys(at)[0] == "akimat-petropavl"
    at.switch_page("views/agency.py").run()  # no ?agency=
    no_failures(at)
    assert at.header[0].value == "Akimat of Petropavl"
    assert _picker(at, "col.agency", "en").value == "akimat-petropavl"
    assert at.query_params["agency"] == "akimat-petropavl"


def test_platforms_are_named_in_the_readers_language(demo_home: Path, use_home) -> None:
    from dashboard.messages import tr

    use_home(demo_home)
    at = app(
        "agency",
        query={"agency": CRISIS_AGENCY, "at": "2026-03-20T12:00:00+05:00"},
        state={"lang": "ru"},
    )
    no_failures(at)
    accounts = next(h.proto.body for h in at.get("html") if 'id="qulaq-accounts"' in h.proto.body)
    cells = re.findall(r"<tr class=\"qulaq-row\"><td>([^<]*)</td>", accounts)
    assert cells and set(cells) <= {
        tr(f"platform.{p}", "ru") for p in ("instagram", "facebook", "web")
    }
    assert tr("platform.web", "ru") in cells, cells  # the agency's website, not "web"
    cards = [c.value for c in at.caption if " · ♥ " in c.value]
    assert cards and all(c.split(" · ")[0] in ("Instagram", "Facebook", "Сайт") for c in cards), (
        cards
    )

    at = app("queue", query={"agency": CRISIS_AGENCY}, state={"lang": "kk"})
    no_failures(at)
    metas = [c.value for c in at.caption if tr("status.open", "kk") in c.value and " · " in c.value]
    assert metas and not any(" · instagram · " in m or " · web · " in m for m in metas), metas[:3]
    assert any(" · Instagram · " in m for m in metas), metas[:3]


def test_no_picker_offers_a_blank_choice(demo_home: Path, use_home) -> None:
    """A blank label makes the browser show Streamlit's own English "Choose an option"."""
    use_home(demo_home)
    at = app("queue", query={"agency": CRISIS_AGENCY}, state={"lang": "kk"})
    at.button(key="queue_open_0").click().run()
    no_failures(at)
    blank = {w.label: w.options for w in choices(at) if any(not o.strip() for o in w.options)}
    assert not blank, blank


def test_the_playbook_timeline_keeps_whole_step_names(demo_home: Path, use_home) -> None:
    import json

    use_home(demo_home)
    at = app("playbooks", state={"lang": "kk"})
    no_failures(at)
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    axes = [layer["encoding"]["y"].get("axis") or {} for layer in spec["layer"]]
    # Vega cuts an axis label at 180 px by default ("Acknowledge the …"); 0 is no limit.
    assert axes and all(axis.get("labelLimit") == 0 for axis in axes), axes


def test_the_alerts_page_reads_evidence_once_not_per_card(
    demo_home: Path, use_home: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each card's "why" section used to read its alert's wire form again, expanded or
    not: some 25 extra queries on the admin's page (up to 5.6 s cold)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    use_home(demo_home)
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        at = app("alerts", state={"alerts_closed": True})
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    no_failures(at)
    cards = at.expander
    assert len(cards) >= 10, len(cards)
    bodies = [s for s in statements if re.search(r"SELECT\s[^;]*alerts\.body", s)]
    assert 0 < len(bodies) <= 2, len(bodies)
    # and the evidence is shown all the same: the crisis alerts' loudest comments
    assert any("♥" in c.value for c in at.caption)
