"""The console channel: a line on stderr and in QULAQ_HOME/logs/notifications.log.

The channel of last resort: a role nobody holds, or a message every other
channel failed to deliver, still reaches someone who watches the process.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from playbooks.channels import Outgoing
from qulaq.config import Settings


class ConsoleChannel:
    kind = "console"

    def __init__(self, settings: Settings) -> None:
        self.path = settings.path("logs", "notifications.log")

    def send(self, message: Outgoing) -> str | None:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        text = f"{stamp} [{message.kind}] {message.subject}\n{message.body}\n"
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")
        sys.stderr.write(f"qulaq: {message.subject}\n")
        return None
