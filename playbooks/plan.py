"""The anti-crisis plan (004 Table 8) filled in for one agency: the five
phases, who holds each role (from the roster), the risk register ranked by
probability × impact, and for each risk its scenario card and playbook."""

from __future__ import annotations

from datetime import datetime

from playbooks.model import Library, Plan, pick
from playbooks.oncall import CONSOLE, Roster
from qulaq.i18n import register, t

register(
    {
        "plan.for": {
            "kk": "{title}: {agency}",
            "ru": "{title}: {agency}",
            "en": "{title}: {agency}",
        },
        "plan.roles": {"kk": "Рөлдер", "ru": "Роли", "en": "Roles"},
        "plan.nobody": {"kk": "тағайындалмаған", "ru": "не назначен", "en": "not assigned"},
        "plan.register": {
            "kk": "Тәуекелдер тізілімі",
            "ru": "Реестр рисков",
            "en": "Risk register",
        },
        "plan.cols": {
            "kk": "| Тәуекел | Ықтималдық | Әсер | Балл | Алдын алу | Жоспар |",
            "ru": "| Риск | Вероятность | Влияние | Балл | Предотвращение | План действий |",
            "en": "| Risk | Probability | Impact | Score | Prevention | Playbook |",
        },
        "plan.cards": {"kk": "Сценарийлер", "ru": "Сценарии", "en": "Scenario cards"},
        "plan.cause": {"kk": "Себебі", "ru": "Причина", "en": "Cause"},
        "plan.consequences": {"kk": "Салдары", "ru": "Последствия", "en": "Consequences"},
        "plan.response": {"kk": "Ден қою", "ru": "Реакция", "en": "Response"},
        "plan.steps": {"kk": "Қадамдар", "ru": "Шаги", "en": "Steps"},
    }
)


def render(
    plan: Plan, library: Library, roster: Roster, *, agency: str, agency_name: str, lang: str
) -> str:
    now = datetime.now().astimezone()
    out = [f"# {t('plan.for', lang, title=pick(plan.title, lang), agency=agency_name)}", ""]
    for i, phase in enumerate(plan.phases, 1):
        out.append(f"## {i}. {pick(phase.title, lang)}")
        out.append("")
        out.extend(f"- {pick(item, lang)}" for item in phase.items)
        out.append("")
        if phase.id == "introduction":
            out.append(f"### {t('plan.roles', lang)}")
            out.append("")
            for role, duties in plan.roles.items():
                people = [p for p in roster.holders(role, agency, now) if p is not CONSOLE]
                who = ", ".join(p.name for p in people) or t("plan.nobody", lang)
                name = next(iter(library.playbooks.values())).role_name(role, lang)
                out.append(f"- **{name}** ({who}): {pick(duties, lang)}")
            out.append("")
        if phase.id == "risk-analysis":
            out.append(f"### {t('plan.register', lang)}")
            out.append("")
            out.append(t("plan.cols", lang))
            out.append("|---|---|---|---|---|---|")
            for r in sorted(plan.risks, key=lambda r: (-r.score, r.id)):
                pb = library.playbooks.get(r.playbook or "")
                link = f"{pick(pb.title, lang)} (`{pb.id}`)" if pb else "—"
                out.append(
                    f"| {pick(r.title, lang)} | {r.probability} | {r.impact} | {r.score} "
                    f"| {pick(r.prevention, lang)} | {link} |"
                )
            out.append("")
        if phase.id == "response":
            out.append(f"### {t('plan.cards', lang)}")
            out.append("")
            for r in sorted(plan.risks, key=lambda r: (-r.score, r.id)):
                pb = library.playbooks.get(r.playbook or "")
                if pb is None:
                    continue
                out.append(f"#### {pick(pb.title, lang)}")
                out.append("")
                for key in ("cause", "consequences", "response"):
                    if key in pb.scenario:
                        out.append(f"- {t('plan.' + key, lang)}: {pick(pb.scenario[key], lang)}")
                steps = "; ".join(
                    f"{pick(s.title, lang)} ({pb.role_name(s.role, lang)}, {s.due_for('medium')})"
                    for s in pb.steps
                )
                out.append(f"- {t('plan.steps', lang)}: {steps}")
                out.append("")
    return "\n".join(out) + "\n"
