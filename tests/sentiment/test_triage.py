from __future__ import annotations

import pytest

from sentiment import Analyzer, within_competence


@pytest.mark.parametrize(
    "text",
    [
        "Когда починят дорогу на улице Абая?",
        "Прошу разобраться: третий день нет воды в доме 15",
        "Балабақшаға кезек қашан келеді?",
        "Жарық жоқ 3 күн болды, көмектесіңіздер",
        "kashan jol jondeledi?",
        # English: a complaint or a request without a question mark
        "The water has been off for three days",
        "Please fix the street lights on Dostyk avenue",
    ],
)
def test_needs_answer(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyze([text])[0]
    assert r.needs_answer
    assert r.severity in {"light", "medium", "heavy"}
    assert r.answer_days == {"light": 1, "medium": 3, "heavy": 15}[r.severity]


@pytest.mark.parametrize(
    "text", ["Спасибо, молодцы!", "Рахмет, керемет!", "👍👍", "", "Красивое фото", "Әдемі сурет"]
)
def test_no_answer_needed(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyze([text])[0]
    assert not r.needs_answer
    assert r.severity is None and r.answer_days is None


@pytest.mark.parametrize(
    "text",
    [
        "Срочно! В подъезде запах газа, никто не приезжает",
        "Дом затопило, вода поднимается, помогите",
        "Үйде жылу жоқ, балалар тоңып жатыр",
        "Көршінің үйінде өрт шықты, өрт сөндірушілер жоқ",
        "Нас незаконно выселяют из квартиры",
    ],
)
def test_urgent(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyze([text])[0]
    assert r.urgent and r.needs_answer
    assert r.severity == "heavy"


def test_question_is_lighter_than_complaint(analyzer: Analyzer) -> None:
    question, complaint = analyzer.analyze(
        [
            "Подскажите, где получить справку?",
            "Безобразие, прошу принять меры: мусор не вывозят месяц, всё воняет",
        ]
    )
    order = {"light": 0, "medium": 1, "heavy": 2}
    assert question.severity is not None and complaint.severity is not None
    assert order[question.severity] < order[complaint.severity]


def test_within_competence() -> None:
    assert within_competence(["roads_transport"], ["roads_transport", "housing_utilities"])
    assert not within_competence(["health"], ["roads_transport"])
    assert within_competence(["health", "roads_transport"], ["roads_transport"])
    assert within_competence([], ["roads_transport"])
