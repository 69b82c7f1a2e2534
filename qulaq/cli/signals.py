"""alerts, incidents and risk: what the signals found, and the incident lifecycle."""

from __future__ import annotations

import argparse
import getpass
import os
from datetime import UTC, datetime
from typing import Any

from qulaq.cli.output import Column, agency_shown, emit_json, person, table
from qulaq.errors import UserError
from qulaq.i18n import current_lang, t
from qulaq.i18n import register as register_messages
from qulaq.timefmt import TimeOutOfRange, iso, local_text, parse_user_time

register_messages(
    {
        "signals.no_alerts": {
            "en": "no alerts yet: replay or collect comments and run the pipeline first",
            "ru": "сигналов пока нет: сначала загрузите комментарии и запустите конвейер",
            "kk": "әзірге дабыл жоқ: алдымен пікірлерді жүктеп, конвейерді іске қосыңыз",
        },
        "signals.no_alerts_match": {
            "en": "no alerts match",
            "ru": "подходящих сигналов нет",
            "kk": "сәйкес дабыл жоқ",
        },
        "signals.no_map": {
            "en": "no comments in the 24 hours before {at} to map; see --at",
            "ru": "за 24 часа до {at} нет комментариев для карты; см. --at",
            "kk": "{at} дейінгі 24 сағатта картаға пікір жоқ; --at қараңыз",
        },
        "signals.no_incidents": {
            "en": "no incidents",
            "ru": "инцидентов нет",
            "kk": "инцидент жоқ",
        },
        "signals.no_risk": {
            "en": "no agency has comments before that time",
            "ru": "ни у одного ведомства нет комментариев до этого времени",
            "kk": "бұл уақытқа дейін ешбір мекемеде пікір жоқ",
        },
        # the columns of `alerts list`, each as wide as its longest entry
        "signals.alerts_columns": {
            "en": "raised (event time)|sev|status|kind|agency",
            "ru": "поднят (время события)|важ|статус|вид|ведомство",
            "kk": "көтерілді (оқиға уақыты)|маң|күйі|түрі|мекеме",
        },
        "signals.incidents_columns": {
            "en": "incident|status|sev|opened (event time)|due|owner|agency",
            "ru": "инцидент|статус|важ|открыт (время события)|срок|ответств.|ведомство",
            "kk": "инцидент|күйі|маң|ашылды (оқиға уақыты)|мерзімі|жауапты|мекеме",
        },
        "signals.risk_columns": {
            "en": "score|level|agency|main drivers",
            "ru": "балл|уровень|ведомство|основные факторы",
            "kk": "ұпай|деңгей|мекеме|негізгі факторлар",
        },
        "signals.map_columns": {
            "en": "score|level|region|topic|negative|usual/day",
            "ru": "балл|уровень|регион|тема|негатив|обычно/сут",
            "kk": "ұпай|деңгей|өңір|тақырып|теріс|әдетте/тәу",
        },
        "signals.region.national": {
            "en": "National (ministries)",
            "ru": "Республика (министерства)",
            "kk": "Республика (министрліктер)",
        },
        "signals.region.unknown": {
            "en": "Not in the registry",
            "ru": "Нет в реестре",
            "kk": "Тізілімде жоқ",
        },
        "signals.acknowledged": {
            "en": "incident {id} acknowledged by {by}",
            "ru": "инцидент {id} принят в работу: {by}",
            "kk": "{id} инциденті жұмысқа алынды: {by}",
        },
        "signals.resolved": {
            "en": "incident {id} resolved by {by}",
            "ru": "инцидент {id} закрыт: {by}",
            "kk": "{id} инциденті жабылды: {by}",
        },
        "signals.assigned": {
            "en": "incident {id} assigned to {owner}",
            "ru": "инцидент {id} назначен: {owner}",
            "kk": "{id} инциденті тағайындалды: {owner}",
        },
        "signals.level.low": {"en": "low", "ru": "низкий", "kk": "төмен"},
        "signals.level.elevated": {"en": "elevated", "ru": "повышен", "kk": "жоғарылаған"},
        "signals.level.high": {"en": "high", "ru": "высокий", "kk": "жоғары"},
        "signals.level.critical": {"en": "critical", "ru": "критич.", "kk": "сын"},
    }
)

ALERT_FIELDS = (
    "id",
    "agency",
    "kind",
    "severity",
    "raised_at",
    "window_start",
    "window_end",
    "observed",
    "expected",
    "negative_share",
    "status",
    "summary",
)


def register(sub: Any) -> None:
    p = sub.add_parser("alerts", help="alerts raised by the signals, open or closed")
    asub = p.add_subparsers(dest="alerts_command", metavar="COMMAND", required=True)
    q = asub.add_parser("list", help="every alert, open or closed")
    q.add_argument("--agency", help="only this agency")
    q.add_argument("--status", choices=("open", "acknowledged", "closed"))
    q.add_argument("--kind", help="only this kind (volume_spike, negativity_spike, …)")
    q.add_argument("--min-severity", type=int, default=1, choices=(1, 2, 3, 4))
    q.add_argument("--json", action="store_true", help="print a JSON array")
    q.set_defaults(handler=cmd_alerts_list)
    q = asub.add_parser("show", help="one alert in full: top comments, terms, evidence")
    q.add_argument("id")
    q.set_defaults(handler=cmd_alerts_show)

    p = sub.add_parser("incidents", help="incidents: related alerts grouped, with a 24-hour clock")
    isub = p.add_subparsers(dest="incidents_command", metavar="COMMAND", required=True)
    q = isub.add_parser("list", help="incidents, newest last")
    q.add_argument("--agency")
    q.add_argument("--status", choices=("open", "acknowledged", "resolved"))
    q.add_argument("--json", action="store_true", help="print a JSON array")
    q.set_defaults(handler=cmd_incidents_list)
    for name, helptext in (
        ("ack", "acknowledge: someone is handling it"),
        ("resolve", "resolve: handled"),
    ):
        q = isub.add_parser(name, help=helptext)
        q.add_argument("id")
        q.add_argument("--by", type=person, help="who (default: the current user)")
        if name == "resolve":
            q.add_argument("--note", help="how it was resolved")
        q.add_argument("--json", action="store_true")
        q.set_defaults(handler=cmd_incident_ack if name == "ack" else cmd_incident_resolve)
    q = isub.add_parser("assign", help="give the incident an owner")
    q.add_argument("id")
    q.add_argument("owner", type=person)
    q.add_argument("--by", type=person, help="who assigns (default: the current user)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_incident_assign)

    p = sub.add_parser("risk", help="reputation risk per agency (0-100) and the regional map")
    p.add_argument("--at", metavar="TIME", help="evaluate at this past event time (ISO 8601)")
    p.add_argument("--map", action="store_true", help="the regional map: territory × topic")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(handler=cmd_risk)


def _db() -> Any:
    from qulaq.config import load_settings
    from qulaq.storage.database import Database

    return Database.open(load_settings())


def _who(value: str | None) -> str:
    if value:
        return value
    try:
        return os.environ.get("QULAQ_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _when(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        return parse_user_time(value)
    except TimeOutOfRange:
        raise UserError.t("time.out_of_range", flag="--at", value=value) from None
    except ValueError:
        raise UserError.t("time.not_iso", flag="--at", value=value) from None


def cmd_alerts_list(args: argparse.Namespace) -> int:
    from signals.store import alert_bodies, list_alerts

    with _db().read() as conn:
        every = list_alerts(conn, agency=args.agency, status=args.status)
        if args.kind is not None:
            _check_kind(conn, args.kind)
        if args.agency and not every:
            _check_agency(conn, args.agency)
        rows = [
            r
            for r in every
            if r.severity >= args.min_severity and (args.kind is None or r.kind == args.kind)
        ]
        # the stored summary is in the stage's language: the reader's is rebuilt from the body
        bodies = alert_bodies(conn, [r.id for r in rows]) if rows and not args.json else {}
    if args.json:
        emit_json([{k: getattr(r, k) for k in (*ALERT_FIELDS, "incident_id")} for r in rows])
        return 0
    if not rows:
        filtered = every or args.agency or args.status
        print(t("signals.no_alerts_match" if filtered else "signals.no_alerts"))
        return 0
    from qulaq.config import load_settings
    from signals.messages import alert_status_name, alert_summary_in, kind_name
    from stream.pipeline import load_registry

    registry = load_registry(load_settings())
    lang = current_lang()
    lines = []
    for r in rows:
        name, named = agency_shown(registry, r.agency, lang)
        summary = alert_summary_in(bodies.get(r.id), name, lang, r.summary)
        lines.append(
            (r, alert_status_name(r.status, lang), kind_name(r.kind, lang), named, summary)
        )
    header = t("signals.alerts_columns").split("|")
    columns = [Column("<", 27), Column(">", 3), Column("<", 13, gap=2), Column("<", 17), Column()]
    cells = [
        [iso(r.raised_at) or "", f"{r.severity:d}", status, kind, named]
        for r, status, kind, named, _ in lines
    ]
    head, *shown = table(columns, [header, *cells])
    print(head)
    for line, (*_, summary) in zip(shown, lines, strict=True):
        print(f"{line}\n    {summary}")
    return 0


def _check_kind(conn: Any, kind: str) -> None:
    """Refuse a kind no detector raises and no stored alert has (`volume-spike` for
    `volume_spike`): it would match nothing and look like a quiet day."""
    from sqlalchemy import select

    from qulaq.storage.schema import alerts
    from signals.monitor import DAILY_KINDS, STREAM_KINDS

    known = {*STREAM_KINDS, *DAILY_KINDS}
    if kind in known:
        return
    known.update(conn.execute(select(alerts.c.kind).distinct()).scalars())
    if kind not in known:
        raise UserError.t("alert.unknown_kind", kind=kind, known=", ".join(sorted(known)))


def _check_agency(conn: Any, agency: str) -> None:
    """Refuse an agency with no alerts that is neither in the registry nor an account
    no agency claims (`platform:account`), as `playbooks start` does: a misspelt id
    would print "no alerts match". Agencies with stored alerts are always accepted."""
    from playbooks.actions import require_agency_or_stored
    from qulaq.config import load_settings
    from qulaq.storage.schema import alerts
    from stream.pipeline import load_registry

    require_agency_or_stored(conn, load_registry(load_settings()), agency, alerts.c.agency)


# the times of an alert's stored form, written as `alerts list` writes them (in
# Kazakhstan time, with its offset), wherever they are in it
_TIME_KEYS = frozenset({"window_start", "window_end"})


def _local_times(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _local_times(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_local_times(v, key) for v in value]
    if isinstance(value, str) and (key.endswith("_at") or key in _TIME_KEYS):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return value
        return iso(when) if when.tzinfo is not None else value
    return value


def cmd_alerts_show(args: argparse.Namespace) -> int:
    from signals.store import alert_body

    with _db().read() as conn:
        body = alert_body(conn, args.id)
    if body is None:
        raise UserError.t("alert.unknown", id=args.id)
    emit_json(_local_times(body))
    return 0


def cmd_incidents_list(args: argparse.Namespace) -> int:
    from signals.store import list_incidents

    now = datetime.now(UTC)
    with _db().read() as conn:
        rows = list_incidents(conn, agency=args.agency, status=args.status, at=now)
    for r in rows:
        r["overdue"] = r["status"] != "resolved" and r["due_at"] < now
    if args.json:
        emit_json(rows)
        return 0
    if not rows:
        print(t("signals.no_incidents"))
        return 0
    from qulaq.config import load_settings
    from signals.messages import incident_status_name, incident_summary
    from stream.pipeline import load_registry

    registry = load_registry(load_settings())
    lang = current_lang()
    lines = []
    for r in rows:
        name, named = agency_shown(registry, r["agency"], lang)
        status = incident_status_name(r["status"], lang)
        lines.append((r, status, named, incident_summary(r, name, lang)))
    header = t("signals.incidents_columns").split("|")
    columns = [
        Column("<", 21),
        Column("<", 13),
        Column(">", 3),
        Column("<", 27, gap=2),
        Column("<", 27),
        Column("<", 11),
        Column(),
    ]
    cells = [
        [
            r["id"],
            status,
            f"{r['severity']:d}",
            iso(r["opened_at"]) or "",
            iso(r["due_at"]) or "",
            r["owner"] or "-",
            named,
        ]
        for r, status, named, _ in lines
    ]
    head, *shown = table(columns, [header, *cells])
    print(head)
    for line, (*_, summary) in zip(shown, lines, strict=True):
        print(f"{line}\n    {summary}")
    return 0


def _lifecycle(args: argparse.Namespace, action: str) -> int:
    from signals import store

    by = _who(getattr(args, "by", None))
    with _db().write() as conn:
        if action == "ack":
            inc = store.acknowledge_incident(conn, args.id, by=by)
            message = t("signals.acknowledged", id=args.id, by=by)
        elif action == "resolve":
            inc = store.resolve_incident(conn, args.id, by=by, note=args.note)
            message = t("signals.resolved", id=args.id, by=by)
        else:
            inc = store.assign_incident(conn, args.id, owner=args.owner, by=by)
            message = t("signals.assigned", id=args.id, owner=args.owner)
    if args.json:
        inc["kinds"] = store.incident_kinds(inc)
        emit_json(inc)
    else:
        print(message)
    return 0


def cmd_incident_ack(args: argparse.Namespace) -> int:
    return _lifecycle(args, "ack")


def cmd_incident_resolve(args: argparse.Namespace) -> int:
    return _lifecycle(args, "resolve")


def cmd_incident_assign(args: argparse.Namespace) -> int:
    return _lifecycle(args, "assign")


def _region_name(registry: Any, region: str, lang: str) -> str:
    """A region of the map as the reader calls it; the ministries' row and agencies
    outside the registry by what they are."""
    from signals.risk import NATIONAL, UNKNOWN

    if region in (NATIONAL, UNKNOWN):
        return t(f"signals.region.{region}")
    reg = registry.region(region)
    return str(reg.name(lang)) if reg else region


def cmd_risk(args: argparse.Namespace) -> int:
    from signals.risk import agency_risk, region_matrix, risk_as_dict
    from stream.pipeline import load_registry

    at = _when(args.at)
    if args.map:
        from qulaq.config import load_settings

        registry = load_registry(load_settings())
        with _db().read() as conn:
            cells = region_matrix(conn, at, registry)
        if args.json:
            emit_json(cells)
            return 0
        if not cells:
            print(t("signals.no_map", at=local_text(at)))
            return 0
        from sentiment.topics import name as topic_name

        lang = current_lang()
        rows = [
            (
                c["score"],
                t(f"signals.level.{c['level']}"),
                _region_name(registry, c["region"], lang),
                topic_name(c["topic"], lang),
                c["negative"],
                c["usual_negative"],
            )
            for c in cells
        ]
        header = t("signals.map_columns").split("|")
        columns = [Column(">", 5), Column(gap=2), Column(), Column(), Column(">", 8)]
        columns.append(Column(">", 9, gap=2))
        grid = [
            [f"{score:d}", level, region, topic, f"{negative:d}", f"{usual:.1f}"]
            for score, level, region, topic, negative, usual in rows
        ]
        for line in table(columns, [header, *grid]):
            print(line)
        return 0
    with _db().read() as conn:
        risks = agency_risk(conn, at)
    if args.json:
        emit_json([risk_as_dict(r) for r in risks])
        return 0
    if not risks:
        print(t("signals.no_risk"))
        return 0
    from qulaq.config import load_settings
    from signals.messages import component_name

    registry = load_registry(load_settings())
    lang = current_lang()
    lines = []
    for r in risks:
        drivers = sorted(r.components.items(), key=lambda kv: -kv[1]["points"])
        top = ", ".join(
            f"{component_name(k, lang)} {v['points']:.0f}"
            for k, v in drivers[:3]
            if v["points"] >= 1
        )
        name = registry.agency(r.agency).name(lang)
        lines.append((r.score, t(f"signals.level.{r.level}"), name, top))
    header = t("signals.risk_columns").split("|")
    # the longest name sets the column, as in `summary`: no name loses its end
    columns = [Column(">", 5), Column("<", 9, gap=2), Column("<", 41), Column()]
    grid = [[f"{score:d}", level, name, top] for score, level, name, top in lines]
    for line in table(columns, [header, *grid]):
        print(line)
    return 0
