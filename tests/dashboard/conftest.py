"""Homes with replayed data for the dashboard tests, built once per session, and a way
to run the app in Streamlit's AppTest against one of them."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import REPO, qulaq

DEMO = REPO / "qulaq" / "data" / "demo" / "demo.jsonl.gz"
APP = REPO / "dashboard" / "app.py"
CRISIS_AGENCY = "akimat-almaty"
# Two hours into the demo's heating outage (qulaq/data/demo/scenarios.json).
TWO_HOURS_IN = "2026-03-20T09:10:00+05:00"
SCRIPT = "<script>alert(1)</script>"
MD_LINK = "[x](javascript:alert(1))"

# Citizens' comments that try to inject markup; the most liked of the crisis agency,
# so the agency page shows them.
HOSTILE = [
    {
        "platform": "instagram",
        "account": "almaty.akimdik",
        "comment_id": "hostile-1",
        "text": f"Тепла нет {SCRIPT} помогите",
        "created_at": "2026-03-20T08:30:00+05:00",
        "author_name": "<img src=x onerror=alert(2)>",
        "likes": 900000,
        "url": "javascript:alert(3)",
        "kind": "comment",
    },
    {
        "platform": "instagram",
        "account": "almaty.akimdik",
        "comment_id": "hostile-2",
        "text": f"Когда дадут тепло? {MD_LINK} **жирный** <b>bold</b>",
        "created_at": "2026-03-20T08:31:00+05:00",
        "author_name": "[admin](https://evil.example)",
        "likes": 800000,
        "url": "https://www.instagram.com/p/x/c/hostile-2/",
        "kind": "comment",
    },
]


def _env(home: Path) -> dict[str, str]:
    return {"QULAQ_HOME": str(home), "QULAQ_BUS": "embedded", "QULAQ_LANG": "en"}


def _write_replay(path: Path, until: datetime | None) -> None:
    with gzip.open(DEMO, "rt", encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
        for line in src:
            if not line.strip():
                continue
            created = datetime.fromisoformat(json.loads(line)["created_at"])
            if until is not None and created >= until:
                continue
            dst.write(line)
        for event in HOSTILE:
            dst.write(json.dumps(event, ensure_ascii=False) + "\n")


def build_home(root: Path, *, until: str | None) -> Path:
    home = root / "home"
    replay = root / "replay.jsonl"
    _write_replay(replay, datetime.fromisoformat(until) if until else None)
    env = _env(home)
    for var in ("QULAQ_DATABASE_URL", "QULAQ_CONFIG", "QULAQ_KAFKA_PREFIX"):
        env[var] = ""
    qulaq("replay", str(replay), env=env)
    qulaq("run", "--until-idle", env=env, timeout=900)
    return home


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole demo stream (four days, a crisis and a greetings burst) plus hostile text."""
    return build_home(tmp_path_factory.mktemp("demo"), until=None)


@pytest.fixture(scope="session")
def crisis_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo stream up to two hours into the crisis: what a press office sees live."""
    return build_home(tmp_path_factory.mktemp("crisis"), until=TWO_HOURS_IN)


@pytest.fixture
def use_home(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Point the process (and so AppTest) at a home; Streamlit's caches start empty."""

    def use(home: Path, *, host: str = "127.0.0.1") -> None:
        import streamlit as st

        for key, value in _env(home).items():
            monkeypatch.setenv(key, value)
        for var in ("QULAQ_DATABASE_URL", "QULAQ_CONFIG", "QULAQ_KAFKA_PREFIX"):
            monkeypatch.delenv(var, raising=False)
        monkeypatch.setenv("QULAQ_DASHBOARD_HOST", host)
        st.cache_resource.clear()
        st.cache_data.clear()

    yield use
    import streamlit as st

    st.cache_resource.clear()


def app(page: str = "overview", *, query: dict[str, str] | None = None, state: dict | None = None):
    """The dashboard in AppTest, on `page`, after one run."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.query_params.update(query or {})
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py")
        at.run()
    return at


def ranking_keys(at) -> list[str]:
    """Agency ids of the overview's ranking table, in order."""
    import re

    for element in at.get("html"):
        body = element.proto.body
        if 'id="qulaq-ranking"' in body:
            return re.findall(r'<tr class="qulaq-row" data-key="([^"]+)"', body)
    return []


def choices(at) -> list:
    """The page's selectboxes and radios."""
    return [*at.selectbox, *at.radio]


def shown_choices(at, before: dict[str, str] | None = None) -> dict[str, str]:
    """What a browser shows chosen in each selectbox and radio, by widget id.

    The browser keeps the label it shows for a widget by the widget's id: it takes a new
    one only when the server sends a value (`set_value`), not when the option labels
    change, and a widget new to it starts at its default. `before`: what it showed after
    the run before (`chosen_labels`).
    """
    shown = {}
    for widget in choices(at):
        proto = widget.proto
        if proto.set_value:
            shown[proto.id] = proto.raw_value
        elif before is not None and proto.id in before:
            shown[proto.id] = before[proto.id]
        else:
            shown[proto.id] = proto.options[proto.default] if proto.HasField("default") else ""
    return shown


def chosen_labels(at) -> dict[str, str]:
    """The label of each selectbox's and radio's choice, by widget id (what a browser shows
    after a run in one language: the reader's own choices included)."""
    return {w.proto.id: w.options[w.index] for w in choices(at) if w.index is not None}


def no_failures(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def environ_home() -> Path:
    return Path(os.environ["QULAQ_HOME"])
