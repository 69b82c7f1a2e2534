"""A manager reading a run's log reads its details in their language: which playbook
and severity a run began with, whom a step went to, a person's note, why a notice was
not sent (the dashboard showed "kind: step_open; reason: replayed run; notify_replays
is off"; the command line showed nothing). Every log action and notice kind the code
records has a name."""

from __future__ import annotations

import re

import pytest

from playbooks.model import Library, pick
from playbooks.names import (
    AUDIT_ACTION_NAMES,
    NOTICE_NAMES,
    OUTBOX_STATUS_NAMES,
    REPLAY_REASON,
    RUN_STATUS_NAMES,
    detail_text,
)
from tests.conftest import REPO
from tests.test_cli_i18n import english_run

LIB = Library.load()
PLAYBOOK = LIB.playbooks["utility-outage"]


def said(action: str, detail: dict[str, object], lang: str) -> str:
    return detail_text(
        action,
        detail,
        lang,
        role=lambda r: PLAYBOOK.role_name(r, lang),
        playbook=lambda p: pick(LIB.playbooks[p].title, lang),
        alert_kind=lambda k: f"<{k}>",
    )


CASES: list[tuple[str, dict[str, object], list[str]]] = [
    (
        "started",
        {"playbook": "utility-outage", "severity": 3, "triage": "medium", "drill": True},
        ["3"],
    ),
    ("started_by_hand", {"reference": "letter 17-05/221"}, ["letter 17-05/221"]),
    ("escalated", {"to": "head_of_press", "level": 2}, ["2"]),
    ("done", {"late": True, "note": "ответили в директ"}, ["ответили в директ"]),
    ("skipped", {"note": "дубль"}, ["дубль"]),
    ("not_applicable", {"condition": "condition not met: observed > 100"}, ["observed > 100"]),
    ("alert", {"kind": "negativity_spike", "severity": 4, "change": "escalated"}, ["4"]),
    ("replanned", {"from": "reputational-crisis", "to": "utility-outage", "dropped": ["x"]}, []),
    ("suppressed", {"kind": "step_open", "reason": REPLAY_REASON}, ["notify_replays"]),
    ("delivery_failed", {"kind": "escalation", "error": "HTTP 502"}, ["HTTP 502"]),
]


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize(("action", "detail", "kept"), CASES)
def test_details_read_in_the_language(
    action: str, detail: dict[str, object], kept: list[str], lang: str
) -> None:
    text = said(action, detail, lang)
    assert text, action
    for value in kept:
        assert value in text, text
    left = text
    for value in (*kept, "notify_replays", "HTTP 502", "observed > 100"):
        left = left.replace(value, " ")
    assert english_run(left) is None, (english_run(left), text)
    assert "_" not in re.sub(r"<\w+>|notify_replays", "", text), text  # no ids
    if action == "escalated":
        assert PLAYBOOK.role_name("head_of_press", lang) in text
    if action == "replanned":
        assert pick(LIB.playbooks["utility-outage"].title, lang) in text


def test_english_details_are_sentences_too() -> None:
    assert said("escalated", {"to": "head_of_press", "level": 1}, "en").startswith(
        f"to {PLAYBOOK.role_name('head_of_press', 'en')}, level 1"
    )
    assert "_" not in said("suppressed", {"kind": "step_open", "reason": REPLAY_REASON}, "en")[:20]


def _recorded(pattern: str) -> set[str]:
    found: set[str] = set()
    for path in (REPO / "playbooks").glob("*.py"):
        found |= set(re.findall(pattern, path.read_text(encoding="utf-8")))
    return found


def test_every_recorded_action_and_notice_has_a_name() -> None:
    actions = _recorded(r'Audit\(\s*"(\w+)"') | _recorded(r'"action": "(\w+)"')
    assert actions and actions <= set(AUDIT_ACTION_NAMES), actions - set(AUDIT_ACTION_NAMES)
    notices = _recorded(r'Notify\(\s*"(\w+)"') | _recorded(r'\bkind="(\w+)"')
    notices -= {"manual"}  # a run started by hand: an alert kind, not a notice
    assert notices and notices <= set(NOTICE_NAMES), notices - set(NOTICE_NAMES)
    states = _recorded(r'status="(\w+)"') | _recorded(r'"status": "(\w+)"')
    states |= _recorded(r'"(\w+)" if final else "(?:\w+)"')
    states -= set(RUN_STATUS_NAMES)  # a run's own states are named with its steps'
    assert states and states <= set(OUTBOX_STATUS_NAMES), states - set(OUTBOX_STATUS_NAMES)
