"""One pass of the Telegram channel collector in a process of its own, over a fake
of the Telethon surface with a channel big enough that the pass takes seconds:
`python -m tests.faults.telegram_pass` (QULAQ_HOME from the environment)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from collectors.runtime import Runner
from collectors.telegram.collector import TelegramChannel
from qulaq.config import load_settings
from tests.collectors import test_telegram

POSTS = 20
PER_POST = 150


def big_channel() -> test_telegram.FakeTelegram:
    # the fake dates messages from T0; fixed, so every process sees the same channel
    test_telegram.T0 = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
    tg = test_telegram.FakeTelegram()
    for p in range(POSTS):
        post = tg.add_post(p * 30, f"Пост {p}")
        for c in range(PER_POST):
            tg.comment(post, p * 30 + 1 + c % 25, f"Свет дадут? {p}.{c}", sender=100 + c)
    return tg


def main() -> int:
    rps = float(sys.argv[1]) if len(sys.argv) > 1 else 0
    runner = Runner(load_settings(), TelegramChannel(big_channel(), "@akimat"))
    runner.throttle.set_rate(rps)
    result = runner.run_once()
    runner.close()
    print(result.as_dict())
    return 0


if __name__ == "__main__":
    sys.exit(main())
