"""qulaq playbooks plan | digest | weekly | health: documents and digests for press offices and managers."""

from __future__ import annotations

from typing import Any


def register(ps: Any) -> None:
    return None
