from pathlib import Path

import pytest
import yaml

from playbooks.model import Library, PlaybookError, load_file, parse

BUILTIN = Library.builtin_dir()

GOOD = {
    "id": "sample",
    "title": {"kk": "Үлгі", "ru": "Образец"},
    "scct": "accidental",
    "trigger": {"kinds": ["negativity_spike"], "min_severity": 3},
    "steps": [
        {
            "id": "acknowledge",
            "title": {"kk": "Растау", "ru": "Подтвердить"},
            "role": "duty_officer",
            "action": {"kk": "Растаңыз.", "ru": "Подтвердите."},
            "due": "15m",
            "message": "reply_to_citizens",
        }
    ],
    "messages": {
        "reply_to_citizens": {
            "kk": "Құрметті [аты], {agency} жауап береді.",
            "ru": "Уважаемый(ая) [имя], {agency} отвечает.",
        }
    },
}


def variant(**changes: object) -> dict:
    data = yaml.safe_load(yaml.safe_dump(GOOD, allow_unicode=True))
    for dotted, value in changes.items():
        node = data
        parts = dotted.split("__")
        for p in parts[:-1]:
            node = node[int(p)] if p.isdigit() else node[p]
        node[parts[-1]] = value
    return data


def test_builtin_playbooks_cover_the_issue() -> None:
    lib = Library.load()
    assert set(lib.playbooks) == {
        "reputational-crisis",
        "utility-outage",
        "rumour-disinformation",
        "data-breach",
        "mass-complaint",
        "draft-law-consultation",
        "complaint-loop",
    }
    assert set(lib.plans) == {"anti-crisis-plan"}
    for p in lib.playbooks.values():
        assert len(p.steps) >= 3, p.id
        for s in p.steps:
            assert s.role and s.due
        for kind, texts in p.messages.items():
            assert texts["kk"] and texts["ru"], (p.id, kind)
    crisis = lib.get("reputational-crisis")
    first = crisis.steps[0]
    assert first.due["*"].amount == 15 * 60
    assert crisis.step("holding-statement").due["*"].amount <= 3600
    assert crisis.step("official-statement").due["*"].amount == 24 * 3600
    plan = lib.plans["anti-crisis-plan"]
    assert [p.id for p in plan.phases] == [
        "introduction",
        "risk-analysis",
        "prevention",
        "response",
        "recovery",
    ]
    assert all(r.playbook in lib.playbooks for r in plan.risks)


@pytest.mark.parametrize(
    ("data", "where", "says"),
    [
        (variant(steps__0__role="janitor"), "steps[0] (acknowledge).role", "not a known role"),
        (variant(steps__0__due="soonish"), "steps[0] (acknowledge).due", "15m"),
        (variant(scct="unlucky"), "scct", "victim"),
        (variant(trigger__kinds=["earthquake"]), "trigger.kinds", "not one of"),
        (
            variant(messages__reply_to_citizens__ru="Уважаемый житель, ВНИМАНИЕ всем!"),
            "messages.reply_to_citizens.ru",
            "exclamation",
        ),
        (
            variant(messages__reply_to_citizens__ru="Здравствуйте, ответим позже."),
            "messages.reply_to_citizens.ru",
            "Уважаемый",
        ),
        (
            variant(messages__reply_to_citizens__kk="Сәлем, жауап береміз."),
            "messages.reply_to_citizens.kk",
            "Құрметті",
        ),
        (
            variant(messages__reply_to_citizens__ru="Уважаемый житель, принято к сведению."),
            "messages.reply_to_citizens.ru",
            "non-answer",
        ),
        (
            variant(messages__reply_to_citizens__ru="Уважаемый {citizen}, ответ."),
            "messages.reply_to_citizens.ru",
            "unknown placeholder",
        ),
        (variant(messages__reply_to_citizens={"ru": "Уважаемый житель."}), "kk", "missing"),
        (variant(steps__0__message="press_release"), "message", "not among"),
        (variant(steps__0__when="mood > 3"), "when", "not one of"),
        (variant(steps__0__escalate=[{"after": "15m"}]), "escalate[0]", "after"),
    ],
)
def test_invalid_playbooks_fail_with_one_clear_line(data: dict, where: str, says: str) -> None:
    with pytest.raises(PlaybookError) as info:
        parse(data, "mine.yaml")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("mine.yaml: ")
    assert where in message
    assert says in message


def test_shouting_is_refused_but_abbreviations_pass() -> None:
    ok = variant(messages__reply_to_citizens__ru="Уважаемый житель, обратитесь в ЦОН или АППК.")
    parse(ok, "x.yaml")
    bad = variant(messages__reply_to_citizens__ru="Уважаемый житель, СРОЧНО обратитесь.")
    with pytest.raises(PlaybookError, match="capitals"):
        parse(bad, "x.yaml")


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    f = tmp_path / "broken.yaml"
    f.write_text("id: x\ntitle: {kk: a, ru: b\nsteps: []\n", encoding="utf-8")
    with pytest.raises(PlaybookError, match=r"broken\.yaml: line \d+: not valid YAML"):
        load_file(f)


def test_a_deployment_file_replaces_a_builtin(tmp_path: Path) -> None:
    data = variant(id="utility-outage")
    (tmp_path / "mine.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    lib = Library.load([tmp_path])
    assert len(lib.get("utility-outage").steps) == 1
    with pytest.raises(PlaybookError, match="no playbook 'nope'"):
        lib.get("nope")
