"""What the detectors see of a comment: markers, words, near-duplicate sketches."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qulaq.events import CommentEvent
from qulaq.models import Scored
from signals.features import GREETING, RUMOUR, identity_key, observe, text_features, words_of


def scored(text: str, kind: str = "comment", **analysis: object) -> Scored:
    event = CommentEvent(
        platform="instagram",
        account="almaty.akimdik",
        comment_id="c1",
        text=text,
        created_at=datetime(2025, 1, 5, 10, 0, tzinfo=UTC),
        kind=kind,
        parent_id="p0" if kind == "reply" else None,
    )
    base = {"label": "neutral", "aggression": "none", "topics": ["health"]}
    return Scored(event, "akimat-almaty", True, "author", {**base, **analysis}, "m1", None, "")


@pytest.mark.parametrize(
    ("text", "rumour", "promo", "greeting"),
    [
        ("Говорят, авария на ТЭЦ и тепла не будет неделю", True, False, False),
        ("Знакомый из теплосетей сказал, что всё надолго", True, False, False),
        ("Жылу бір апта болмайды дейді", True, False, False),
        ("Is it true the plant broke down?", True, False, False),
        ("Я не услышала ответа на свой вопрос", False, False, False),
        ("Когда заработает новая развязка?", False, False, False),
        ("Заработок от 50 000 тг в день без вложений! Пишите в директ", False, True, False),
        ("Күніне 50 000 теңге табыс! Директке жазыңыз", False, True, False),
        ("Подробнее тут https://example.com/offer", False, True, False),
        ("Наурыз мейрамы құтты болсын!", False, False, True),
        ("С праздником весны! Спасибо акимату", False, False, True),
        ("Дорогу так и не отремонтировали", False, False, False),
    ],
)
def test_markers(text: str, rumour: bool, promo: bool, greeting: bool) -> None:
    low = text.lower()
    words = words_of(text)
    assert RUMOUR.found(words, low) is rumour
    assert GREETING.found(words, low) is greeting
    o = observe(scored(text))
    assert o is not None
    assert (o.rumour, o.promo, o.greeting) == (rumour, promo, greeting)


def test_only_comments_and_replies_count() -> None:
    for kind in ("edit", "delete", "restore", "post"):
        assert observe(scored("текст", kind=kind)) is None
    reply = observe(scored("текст ответа", kind="reply"))
    assert reply is not None
    assert reply.parent_key == identity_key("instagram", "almaty.akimdik", "p0")


def test_analysis_fields_are_carried() -> None:
    o = observe(
        scored(
            "Нет отопления, ребёнок болеет",
            label="negative",
            aggression="strong",
            urgent=True,
            needs_answer=True,
            answer_days=1,
        )
    )
    assert o is not None
    assert (o.neg, o.pos, o.aggr, o.urgent, o.needs, o.answer_days) == (
        True,
        False,
        2,
        True,
        True,
        1,
    )
    assert o.topics == ("health",)
    assert o.key == identity_key("instagram", "almaty.akimdik", "c1")


def test_near_identical_texts_share_a_sketch() -> None:
    a = text_features(words_of("Наурыз мейрамы құтты болсын! ❤️"))
    b = text_features(words_of("наурыз мейрамы құтты болсын!!!"))
    c = text_features(words_of("Когда дадут отопление в Тастак?"))
    assert a[2] == b[2] and a[3] == b[3]
    assert a[3] != c[3]
    assert text_features([])[3] is None
    assert text_features(words_of("ок"))[3] is None  # too short to compare


def test_stems_drop_stop_words_and_keep_a_surface_form() -> None:
    stems, words, _exact, _bands = text_features(
        words_of("Отопление где? Нет отопления и горячей воды")
    )
    assert "отопле" in stems
    assert words["отопле"] == "отопление"
    assert "где" not in stems and "нет" not in stems
