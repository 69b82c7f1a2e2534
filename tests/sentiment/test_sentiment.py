from __future__ import annotations

import math

import pytest

from sentiment import Analyzer


@pytest.mark.parametrize(
    "text",
    [
        "Спасибо огромное, всё сделали быстро и качественно!",
        "Молодцы, отличная работа, так держать 👍",
        "Өте жақсы, рахмет сіздерге!",
        "Керемет жұмыс, жарайсыңдар!",
        "ote jaqsy, rahmet",
        "Great job, thank you so much!",
        "😍😍😍",
    ],
)
def test_positive(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyze([text])[0].label == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "Ужасно, опять нет воды третий день, никому нет дела",
        "Позор, ничего не работает, только обещания",
        "Өте нашар, ешқандай көмек жоқ, ұят",
        "Жаман, жол әлі жөнделмеді, масқара",
        "This is terrible, nobody answers",
        # complaints the English polarity lexicon has no word for
        "This is unacceptable",
        "The water has been off for three days",
        "Уж@сн0 раб0тает акимат, ничего не сделали 😡",
    ],
)
def test_negative(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyze([text])[0].label == "negative"


_STILL_NEGATIVE = pytest.mark.xfail(
    strict=True, reason="school words still lean negative: the dev gold's complaints about schools"
)
_STILL_POSITIVE = pytest.mark.xfail(
    strict=True, reason="'болады' reads as praise to a head trained on reviews"
)


@pytest.mark.parametrize(
    "text",
    [
        # plain statements and questions about public services: the words of complaints
        # ("школа", "автобус", "вода") without a complaint
        "Троллейбус 5 с завтрашнего дня ходит до вокзала",
        "Во вторник в 15:00 в акимате будет приём по вопросам земли",
        "Жексенбі күні су құбырын жөндеу жоспарланған",
        "Ертең емхана сағат сегізде ашылады",
        # still misread (the model card's limits): strict, so a fix is noticed
        pytest.param("Дети ушли в школу", marks=_STILL_NEGATIVE),
        pytest.param("Бүгін балалар мектепке барды", marks=_STILL_NEGATIVE),
        pytest.param("Erteng jinalys bolady, saghat altyda", marks=_STILL_POSITIVE),
    ],
)
def test_neutral(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyze([text])[0].label == "neutral"


def test_probabilities_are_calibrated_shape(analyzer: Analyzer) -> None:
    texts = ["Норм", "Когда будет свет?", "Рахмет", "", "\x00", "😡" * 50, "а" * 200_000]
    for r in analyzer.analyze(texts):
        total = r.p_positive + r.p_neutral + r.p_negative
        assert math.isclose(total, 1.0, abs_tol=1e-6)
        assert all(0.0 <= p <= 1.0 for p in (r.p_positive, r.p_neutral, r.p_negative))
        assert (
            r.label
            == max(
                ("positive", r.p_positive),
                ("neutral", r.p_neutral),
                ("negative", r.p_negative),
                key=lambda kv: kv[1],
            )[0]
        )


def test_batch_equals_single(analyzer: Analyzer) -> None:
    texts = ["Спасибо!", "Жол жоқ, ұят", "ote jaqsy", "Когда дадут воду?"]
    batch = analyzer.analyze(texts)
    single = [analyzer.analyze([t])[0] for t in texts]
    for a, b in zip(batch, single, strict=True):
        assert a.label == b.label
        assert math.isclose(a.p_positive, b.p_positive, abs_tol=1e-9)


def test_odd_inputs(analyzer: Analyzer) -> None:
    huge = "плохо " * 40_000
    results = analyzer.analyze(["", "\x00\x00", "🙂", huge, "<script>alert(1)</script>", "‮тест"])
    assert len(results) == 6
    assert results[0].lang == "other"
    assert analyzer.analyze([]) == []


def test_emoji_only_is_read(analyzer: Analyzer) -> None:
    good, bad = analyzer.analyze(["👍👍❤️", "😡👎"])
    assert good.label == "positive"
    assert bad.label == "negative"
