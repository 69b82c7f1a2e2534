"""Each HTTP collector against its platform stand-in behind a proxy that spoils
the answers (values replaced or removed anywhere in the JSON, bodies cut short,
error statuses): a pass either completes, publishing only valid events and
quarantining the rest, or ends with the runtime's one-line `CollectorFailed`.
Any other exception is a crash that would stop `qulaq collect`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectors.runtime import Backoff, Collector, CollectorFailed, Runner, RunnerOptions
from qulaq.config import load_settings
from qulaq.events import parse_event
from qulaq.storage.database import Database
from stream.bus import RAW
from stream.embedded_bus import EmbeddedBus
from tests.collectors import graph_standin, vk_standin, x_standin, youtube_standin
from tests.fuzz.mutating_proxy import Proxy, plans, proxying
from tests.fuzz.strategies import bounded

NOW = time.time()
COLLECTOR_EXAMPLES = 100


def vk() -> tuple[Any, Callable[[str], Collector]]:
    from collectors.vk.api import VkApi
    from collectors.vk.collector import VkWall

    s = vk_standin.VkStandin(owner=-1)
    post = s.add_post(int(NOW) - 3600, "Ремонт дороги")
    first = s.add_comment(post, int(NOW) - 3000, "Когда закончат?")
    for i in range(12):
        s.add_comment(post, int(NOW) - 2900 + i, f"ответ {i}", root=first)
    s.add_comment(post, int(NOW) - 2000, "Спасибо", from_id=-1, root=first)
    s.add_post(int(NOW) - 1800, "Без комментариев")
    return s, lambda base: VkWall(VkApi(vk_standin.TOKEN, base=base), -1)


def facebook() -> tuple[Any, Callable[[str], Collector]]:
    from collectors.facebook.collector import FacebookPage
    from collectors.facebook.graph import GraphApi

    g = graph_standin.GraphStandin()
    post = g.add_post(NOW - 7200, "Отключение воды")
    first = g.add_comment(post, NOW - 7000, "Когда включат воду?")
    for i in range(6):
        g.add_comment(post, NOW - 6900 + i, f"комментарий {i}")
    g.add_comment(post, NOW - 6000, "Ответ акимата", author=(g.page, "Akimat"), parent=first)
    return g, lambda base: FacebookPage(GraphApi(graph_standin.TOKEN, base=base), g.page)


def instagram() -> tuple[Any, Callable[[str], Collector]]:
    from collectors.facebook.graph import GraphApi
    from collectors.instagram.collector import InstagramGraph

    g = graph_standin.GraphStandin()
    m = g.add_media(NOW - 7200, "Субботник в парке")
    first = g.add_ig_comment(m, NOW - 7000, "Во сколько начало?")
    for i in range(6):
        g.add_ig_comment(m, NOW - 6000 + i, f"приду {i}")
    g.add_ig_comment(m, NOW - 50, "спасибо", parent=first)
    return g, lambda base: InstagramGraph(GraphApi(graph_standin.TOKEN, base=base), g.ig_user)


def x() -> tuple[Any, Callable[[str], Collector]]:
    from collectors.x.api import make_client
    from collectors.x.collector import XAccount

    s = x_standin.XStandin()
    post = s.tweet(NOW - 7200, "Перекрытие улицы Абая до 20:00")
    s.tweet(
        NOW - 7000,
        "@akimat_kz а объезд где?",
        author="11",
        reply_to=post["id"],
        conversation=post["id"],
    )
    for i in range(6):
        s.tweet(NOW - 6000 + i, f"@akimat_kz пробка {i}", author=str(100 + i))
    return s, lambda base: XAccount(make_client(x_standin.BEARER, base), "akimat_kz")


def youtube() -> tuple[Any, Callable[[str], Collector]]:
    from collectors.youtube.api import YouTubeApi
    from collectors.youtube.collector import YouTubeChannel

    yt = youtube_standin.YouTubeStandin()
    v = yt.add_video(NOW - 86400, "Отчёт акима за год")
    first = yt.add_comment(v, NOW - 80000, "Где дороги?")
    for i in range(5):
        yt.add_comment(v, NOW - 70000 + i, f"согласен {i}", parent=first)
    yt.add_comment(v, NOW - 60000, "План в описании.", author=youtube_standin.CHANNEL, parent=first)
    return yt, lambda base: YouTubeChannel(
        YouTubeApi(youtube_standin.KEY, base=base), youtube_standin.CHANNEL
    )


SERVING: dict[str, Callable[[Any], AbstractContextManager[str]]] = {
    "vk": vk_standin.serving,
    "facebook": graph_standin.serving,
    "instagram": graph_standin.serving,
    "x": x_standin.serving,
    "youtube": youtube_standin.serving,
}
PLATFORMS = {"vk": vk, "facebook": facebook, "instagram": instagram, "x": x, "youtube": youtube}


@pytest.fixture(scope="module")
def shared_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Database]]:
    """One QULAQ_HOME for every example: seen-sets and checkpoints carry over, as
    they do between a collector's passes."""
    settings = load_settings({"QULAQ_HOME": str(tmp_path_factory.mktemp("fuzz") / "home")})
    db = Database.open(settings)
    yield settings, db
    db.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_spoiled_answers_end_a_pass_cleanly(
    platform: str, shared_home: tuple[Any, Database]
) -> None:
    settings, db = shared_home
    standin, make = PLATFORMS[platform]()
    bus = EmbeddedBus(settings)

    proxy = Proxy(upstream="")
    with SERVING[platform](standin) as base, proxying(base, proxy) as spoiled_base:

        @bounded(COLLECTOR_EXAMPLES)
        @given(plans)
        def one_pass(plan: list[Any]) -> None:
            proxy.start(plan)
            collector = make(spoiled_base)
            collector.throttle.set_rate(0)
            runner = Runner(
                settings,
                collector,
                options=RunnerOptions(
                    backoff=Backoff(base=0.001, cap=0.005), max_attempts=2, max_wait=0.05
                ),
                db=db,
                bus=bus,
            )
            try:
                runner.run_once()
            except CollectorFailed as exc:
                message = str(exc)
                assert message and "\n" not in message, repr(message)
            finally:
                runner.close()

        one_pass()

    raw = bus.topic(RAW)
    for message in bus.log(raw).read(raw, 0, 1_000_000):
        parse_event(message.value)  # only valid events reach the bus


def test_the_proxy_passes_answers_through(tmp_path: Path) -> None:
    """Without a plan the proxy changes nothing: a pass through it publishes what
    a pass straight to the stand-in does."""
    settings = load_settings({"QULAQ_HOME": str(tmp_path / "home")})
    standin, make = vk()
    with vk_standin.serving(standin) as base, proxying(base, Proxy("")) as through:
        collector = make(through)
        collector.throttle.set_rate(0)
        runner = Runner(settings, collector)
        result = runner.run_once()
        runner.close()
    assert result.status == "done"
    assert result.counts["new"] == len(standin.comments) + len(standin.posts)


odd_attributes = st.sampled_from(["message", "date", "sender_id", "reply_to", "replies", "id"])
odd_values = st.one_of(
    st.none(),
    st.integers(-(2**40), 2**40),
    st.text(max_size=10),
    st.datetimes(),
    st.datetimes(timezones=st.just(UTC)),
    st.builds(object),
)


@pytest.mark.slow
def test_odd_telegram_messages_end_a_pass_cleanly(shared_home: tuple[Any, Database]) -> None:
    """Telethon hands over typed objects, not JSON: here their attributes are
    missing or of other types than documented."""
    from collectors.telegram.collector import TelegramChannel
    from tests.collectors.test_telegram import channel

    settings, db = shared_home
    bus = EmbeddedBus(settings)

    @bounded(COLLECTOR_EXAMPLES)
    @given(st.lists(st.tuples(st.integers(0, 10_000), odd_attributes, odd_values), max_size=6))
    def one_pass(spoils: list[tuple[int, str, Any]]) -> None:
        tg = channel()
        messages = tg.posts + [m for ms in tg.comments.values() for m in ms]
        for pick, name, value in spoils:
            setattr(messages[pick % len(messages)], name, value)
        runner = Runner(
            settings,
            TelegramChannel(tg, "@akimat"),
            options=RunnerOptions(backoff=Backoff(base=0.001, cap=0.005), max_attempts=2),
            db=db,
            bus=bus,
        )
        runner.throttle.set_rate(0)
        try:
            runner.run_once()
        except CollectorFailed as exc:
            assert str(exc) and "\n" not in str(exc)
        finally:
            runner.close()

    one_pass()
