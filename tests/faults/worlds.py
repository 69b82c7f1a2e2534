"""Platform stand-ins with enough posts and comments that a collector's pass
takes seconds, for killing or hanging it part-way, and how `qulaq collect`
reaches each of them."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from collectors.runtime import Collector
from tests.collectors import graph_standin, vk_standin, x_standin, youtube_standin

NOW = time.time()


@dataclass
class World:
    platform: str
    standin: Any
    serving: Callable[[Any], AbstractContextManager[str]]
    args: list[str]  # after `qulaq collect PLATFORM`
    env: dict[str, str]  # the token
    rps: float  # slow enough that a pass lasts seconds
    make: Callable[[str, float], Collector]  # in-process: the collector at a base, a timeout

    def expected_comments(self) -> int:
        return _COUNTS[self.platform](self.standin)


def vk_world(posts: int = 30, per_post: int = 40) -> World:
    s = vk_standin.VkStandin(owner=-1)
    for p in range(posts):
        post = s.add_post(int(NOW) - 86400 + p * 600, f"Пост {p}")
        for c in range(per_post):
            s.add_comment(post, int(NOW) - 80000 + p * 600 + c, f"Когда? {p}.{c}", from_id=100 + c)
    return World(
        "vk",
        s,
        vk_standin.serving,
        ["--owner", "-1"],
        {"QULAQ_VK_TOKEN": vk_standin.TOKEN},
        rps=8,
        make=_vk,
    )


def facebook_world(posts: int = 20, per_post: int = 60) -> World:
    g = graph_standin.GraphStandin()
    for p in range(posts):
        post = g.add_post(NOW - 86400 + p * 600, f"Пост {p}")
        for c in range(per_post):
            g.add_comment(post, NOW - 80000 + p * 600 + c, f"Вода? {p}.{c}", author=(str(c), "C"))
    return World(
        "facebook",
        g,
        graph_standin.serving,
        ["--page", g.page],
        {"QULAQ_FB_TOKEN": graph_standin.TOKEN},
        rps=8,
        make=lambda base, timeout: _facebook(base, timeout, g.page),
    )


def instagram_world(media: int = 12, per_media: int = 50) -> World:
    g = graph_standin.GraphStandin()
    for m in range(media):
        node = g.add_media(NOW - 86400 + m * 600, f"Медиа {m}")
        for c in range(per_media):
            g.add_ig_comment(
                node, NOW - 80000 + m * 600 + c, f"Свет? {m}.{c}", author=(str(c), "c")
            )
    return World(
        "instagram",
        g,
        graph_standin.serving,
        ["--user", g.ig_user],
        {"QULAQ_IG_TOKEN": graph_standin.TOKEN},
        rps=40,  # a request for each comment's replies
        make=lambda base, timeout: _instagram(base, timeout, g.ig_user),
    )


def x_world(mentions: int = 1500) -> World:
    s = x_standin.XStandin()
    s.tweet(NOW - 86400, "Перекрытие улицы Абая")
    for i in range(mentions):
        s.tweet(NOW - 80000 + i, f"@akimat_kz пробка {i}", author=str(100 + i % 300))
    return World(
        "x",
        s,
        x_standin.serving,
        ["--user", "akimat_kz"],
        {"QULAQ_X_BEARER_TOKEN": x_standin.BEARER},
        rps=2,
        make=_x,
    )


def youtube_world(videos: int = 20, per_video: int = 60) -> World:
    yt = youtube_standin.YouTubeStandin()
    for v in range(videos):
        vid = yt.add_video(NOW - 86400 + v * 600, f"Видео {v}")
        for c in range(per_video):
            yt.add_comment(vid, NOW - 80000 + v * 600 + c, f"Дороги? {v}.{c}")
    return World(
        "youtube",
        yt,
        youtube_standin.serving,
        ["--channel", youtube_standin.CHANNEL],
        {"QULAQ_YOUTUBE_KEY": youtube_standin.KEY},
        rps=8,
        make=_youtube,
    )


def _vk(base: str, timeout: float) -> Collector:
    from collectors.vk.api import VkApi
    from collectors.vk.collector import VkWall

    return VkWall(VkApi(vk_standin.TOKEN, base=base, timeout=timeout), -1)


def _facebook(base: str, timeout: float, page: str) -> Collector:
    from collectors.facebook.collector import FacebookPage
    from collectors.facebook.graph import GraphApi

    return FacebookPage(GraphApi(graph_standin.TOKEN, base=base, timeout=timeout), page)


def _instagram(base: str, timeout: float, user: str) -> Collector:
    from collectors.facebook.graph import GraphApi
    from collectors.instagram.collector import InstagramGraph

    return InstagramGraph(GraphApi(graph_standin.TOKEN, base=base, timeout=timeout), user)


def _x(base: str, timeout: float) -> Collector:
    from collectors.x.api import make_client
    from collectors.x.collector import XAccount

    return XAccount(make_client(x_standin.BEARER, base, timeout=timeout), "akimat_kz")


def _youtube(base: str, timeout: float) -> Collector:
    from collectors.youtube.api import YouTubeApi
    from collectors.youtube.collector import YouTubeChannel

    api = YouTubeApi(youtube_standin.KEY, base=base, timeout=timeout)
    return YouTubeChannel(api, youtube_standin.CHANNEL)


_COUNTS: dict[str, Callable[[Any], int]] = {
    "vk": lambda s: len(s.visible()),
    "facebook": lambda g: len(g.visible_fb()),
    "instagram": lambda g: len(g.visible_ig()),
    "x": lambda s: len(s.mentions),
    "youtube": lambda yt: len(yt.visible()),
}

WORLDS: dict[str, Callable[[], World]] = {
    "vk": vk_world,
    "facebook": facebook_world,
    "instagram": instagram_world,
    "x": x_world,
    "youtube": youtube_world,
}
