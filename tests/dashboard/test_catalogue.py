"""The dashboard's catalogue covers what other parts of Qulaq write for it to show."""

from __future__ import annotations

import pytest

import dashboard.messages  # noqa: F401 - registers the dashboard's words
from qulaq.i18n import LANGS, t


def _named(key: str, lang: str) -> bool:
    """Whether the catalogue has `key` (the page falls back to the key's last part)."""
    try:
        return bool(t(f"dash.{key}", lang))
    except KeyError:
        return False


@pytest.mark.parametrize("lang", LANGS)
def test_every_playbook_audit_action_has_a_name(lang: str) -> None:
    from playbooks.report import ACTION_NAMES

    missing = [a for a in ACTION_NAMES if not _named(f"auditaction.{a}", lang)]
    assert not missing, missing
