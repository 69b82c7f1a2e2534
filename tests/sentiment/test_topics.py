from __future__ import annotations

import pytest

from sentiment import Analyzer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Когда починят дорогу на улице Абая? Сплошные ямы", {"roads_transport"}),
        ("Третий день нет горячей воды и отопления в доме", {"housing_utilities"}),
        ("Жолды қашан жөндейсіздер? Шұңқыр толы", {"roads_transport"}),
        ("Пәтерде жылу жоқ, балалар тоңып отыр", {"housing_utilities"}),
        ("Зейнетақы әлі түскен жоқ, неге?", {"social_payments"}),
        ("Пенсию задерживают второй месяц", {"social_payments"}),
        ("В поликлинике нет лекарств и врачей", {"health"}),
        ("Емханада дәрігер жоқ, кезек ұзын", {"health"}),
        ("Балабақшаға кезек қашан келеді?", {"education"}),
        ("В школе опять буллинг, учителя молчат", {"education"}),
        ("Аким берёт взятки, это коррупция", {"corruption"}),
        ("Мусор не вывозят, свалка прямо у дома, воздух ужасный", {"ecology"}),
        ("Пожар на складе, дым до сих пор", {"emergencies"}),
        ("Жер телімін 5 жыл күтіп жүрмін", {"land"}),
        ("Земельный участок под ИЖС так и не дали", {"land"}),
        ("Налог на машину посчитали неправильно", {"taxes"}),
        ("Жумыссыз отырмын, жумыс жок ауылда", {"employment"}),
        ("В ЦОНе очередь на паспорт с утра", {"public_services"}),
        ("zheke kualik alu ushin cherez egov tirkeu kerek pe", {"public_services"}),
        ("Біздің ауылда су жоқ, үш күн болды", {"housing_utilities"}),
        ("Ищу работу уже полгода", {"employment"}),
        # thanks for the work done are not about jobs
        ("Спасибо большое за оперативную работу", set()),
        ("Спасибо, всё отлично!", set()),
        ("Рахмет!", set()),
    ],
)
def test_topics(analyzer: Analyzer, text: str, expected: set[str]) -> None:
    assert set(analyzer.analyze([text])[0].topics) == expected


def test_several_topics(analyzer: Analyzer) -> None:
    r = analyzer.analyze(["Дорогу к школе не чистят, дети идут по проезжей части"])[0]
    assert {"roads_transport", "education"} <= set(r.topics)
