from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.playbooks import standins
from tests.playbooks.standins import Standins


@pytest.fixture
def outside(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Standins]:
    """SMTP, Telegram and webhook stand-ins, and a config that uses them."""
    with standins.running() as s:
        home.mkdir(parents=True, exist_ok=True)
        (home / "qulaq.toml").write_text(standins.config_toml(s), encoding="utf-8")
        monkeypatch.setenv("QULAQ_TELEGRAM_BOT_TOKEN", standins.TOKEN)
        monkeypatch.setenv("QULAQ_WEBHOOK_SECRET", standins.SECRET)
        yield s
