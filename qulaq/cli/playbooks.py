"""qulaq playbooks …: runs, actions on steps, playbook files, reports, drills, delivery."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qulaq.cli.output import (
    ArgumentValueError,
    Column,
    agency_shown,
    emit_json,
    person,
    positive_int,
    table,
)
from qulaq.config import load_settings
from qulaq.errors import Phrase, UserError, os_reason
from qulaq.i18n import current_lang, t
from qulaq.timefmt import TimeOutOfRange, parse_user_time


def register(sub: Any) -> None:
    p = sub.add_parser("playbooks", help="anti-crisis playbooks: runs, steps, reports, drills")
    ps = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    q = ps.add_parser("runs", help="playbook runs and their steps")
    q.add_argument("--json", action="store_true", help="print a JSON array")
    q.add_argument("--agency")
    q.add_argument("--status", choices=("active", "completed", "cancelled"))
    q.set_defaults(handler=cmd_runs)

    q = ps.add_parser("show", help="one run with its audit log")
    q.add_argument("run")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_show)

    for action, text in (
        ("ack", "acknowledge a step"),
        ("done", "mark a step done"),
        ("skip", "skip a step (say why with --note)"),
        ("escalate", "escalate a step to the next role"),
    ):
        q = ps.add_parser(action, help=text)
        q.add_argument("run")
        q.add_argument("step")
        q.add_argument(
            "--by",
            required=True,
            type=person,
            metavar="NAME",
            help="who does it (roster id or name)",
        )
        q.add_argument("--note")
        q.add_argument("--at", type=_time, help="when it happened, if not now (ISO 8601)")
        q.set_defaults(handler=cmd_act, act=action)

    q = ps.add_parser("cancel", help="cancel a run (a false alarm)")
    q.add_argument("run")
    q.add_argument("--by", required=True, type=person, metavar="NAME")
    q.add_argument("--note")
    q.set_defaults(handler=cmd_cancel)

    q = ps.add_parser("start", help="start a run by hand (a complaint taken up)")
    q.add_argument("playbook")
    q.add_argument("--agency", required=True)
    q.add_argument("--by", required=True, type=person, metavar="NAME")
    q.add_argument("--class", dest="triage", choices=("light", "medium", "heavy"), default="medium")
    q.add_argument("--severity", type=int, choices=(1, 2, 3, 4), default=2)
    q.add_argument("--ref", help="what it is about: a comment id, a letter number")
    q.add_argument("--summary", default="")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_start, drill=False, scenario=None)

    q = ps.add_parser(
        "drill", help="start a drill: a run marked as an exercise, notifications included"
    )
    q.add_argument("playbook", nargs="?", help="default: the one the scenario's alert would start")
    q.add_argument("--agency")
    q.add_argument("--scenario", help="a scenario id: its agency, topic and description")
    q.add_argument(
        "--scenarios",
        type=Path,
        metavar="FILE",
        help='a JSON list of scenarios with an "id" each (default: the bundled demo scenarios)',
    )
    q.add_argument("--by", required=True, type=person, metavar="NAME")
    q.add_argument("--severity", type=int, choices=(1, 2, 3, 4), default=3)
    q.add_argument("--summary", default="")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_start, drill=True, triage="medium", ref=None)

    q = ps.add_parser("list", help="the playbooks this deployment runs")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_list)

    q = ps.add_parser("validate", help="check playbook files (default: every loaded one)")
    q.add_argument("files", nargs="*", type=Path, metavar="FILE")
    q.set_defaults(handler=cmd_validate)

    q = ps.add_parser("report", help="the manager's report: timeline, late steps, answer times")
    q.add_argument("--agency", required=True)
    q.add_argument("--since", required=True, type=_time, metavar="DATE")
    q.add_argument("--until", type=_time, metavar="DATE")
    q.add_argument("--format", choices=("md", "csv"), default="md")
    q.add_argument("--lang", choices=("kk", "ru", "en"))
    q.add_argument("--output", type=Path, metavar="FILE")
    q.add_argument("--include-drills", action="store_true")
    q.set_defaults(handler=cmd_report)

    q = ps.add_parser("serve", help="deliver notifications, read Telegram commands, run timers")
    q.add_argument("--once", action="store_true", help="one round, then exit")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_serve)

    q = ps.add_parser("outbox", help="queued and sent notifications")
    q.add_argument("--json", action="store_true")
    q.add_argument("--status")
    q.add_argument(
        "--limit", type=positive_int, default=50, help="at most N (default 50)", metavar="N"
    )
    q.set_defaults(handler=cmd_outbox)

    _register_more(ps)


def _register_more(ps: Any) -> None:
    from qulaq.cli import playbooks_reports

    playbooks_reports.register(ps)


def _time(value: str) -> datetime:
    try:
        return parse_user_time(value)
    except TimeOutOfRange:
        raise ArgumentValueError(
            UserError.t("time.value_out_of_range", value=value.strip())
        ) from None
    except ValueError:
        raise ArgumentValueError(UserError.t("time.not_date_or_time", value=value)) from None


def _user_error(exc: Exception) -> UserError:
    """A playbook library's error as the command line says it: as it is when it is
    a user error already (in the user's language), else its English sentence."""
    return exc if isinstance(exc, UserError) else UserError(str(exc))


def _service() -> Any:
    from playbooks.actions import PlaybookService
    from playbooks.model import PlaybookError

    try:
        return PlaybookService(load_settings())
    except PlaybookError as exc:
        raise _user_error(exc) from None


def run_json(run: Any, library: Any = None) -> dict[str, Any]:
    playbook = library.playbooks.get(run.playbook) if library else None
    return {
        "id": run.id,
        "playbook": run.playbook,
        "agency": run.agency,
        "alert_id": run.alert_id,
        "incident_id": run.incident_id,
        "status": run.status,
        "severity": run.severity,
        "drill": run.drill,
        "started_at": run.started_at,
        "closed_at": run.closed_at,
        "clock": run.clock,
        "clock_mode": run.clock_mode,
        "summary": run.summary,
        "alerts": run.alerts,
        "steps": [
            {
                "name": s.id,
                "title": (playbook.step(s.id).title.get("en") if playbook else None) or s.id,
                "role": s.role,
                "opens_at": s.opens_at,
                "due_at": s.due_at,
                "status": s.status,
                "overdue": s.overdue,
                "escalation_level": s.escalation_level,
                "acknowledged_at": s.acknowledged_at,
                "acknowledged_by": s.acknowledged_by,
                "done_at": s.done_at,
                "done_by": s.done_by,
                "note": s.note,
            }
            for s in run.steps
        ],
    }


def cmd_runs(args: argparse.Namespace) -> int:
    from playbooks import messages as _messages  # noqa: F401  (registers the words)
    from playbooks import store

    svc = _service()
    with svc.db.read() as conn:
        runs = store.list_runs(conn, agency=args.agency, status=args.status)
        if args.agency and not runs:
            # a misspelt id would print "no playbook runs", like a quiet agency's
            from playbooks.actions import require_agency_or_stored
            from qulaq.storage.schema import playbook_runs

            require_agency_or_stored(conn, svc.stage.registry, args.agency, playbook_runs.c.agency)
    if args.json:
        emit_json([run_json(r, svc.stage.library) for r in runs])
        return 0
    if not runs:
        print(t("pb.cli.no_runs"))
        return 0
    shown = RunsShown(svc.stage)
    for r in runs:
        shown.print(r)
    return 0


class RunsShown:
    """Playbook runs as a reader sees them: the playbook's title, the agency's name,
    states, roles and steps in the reader's language, beside the ids the commands take
    (`playbooks ack RUN STEP`, `--agency`)."""

    def __init__(self, stage: Any) -> None:
        self.library = stage.library
        self.registry = stage.registry
        self.lang = current_lang()

    def title(self, playbook_id: str) -> str:
        """A playbook's title in the reader's language, by its id."""
        from playbooks.model import pick

        found = self.library.playbooks.get(playbook_id)
        return (pick(found.title, self.lang) if found else "") or playbook_id

    def print(self, run: Any) -> None:
        from playbooks.messages import local_time
        from playbooks.model import pick
        from playbooks.names import run_status_name, step_status_name

        lang = self.lang
        playbook = self.library.playbooks.get(run.playbook)
        title = self.title(run.playbook)
        named = f"{title} [{run.playbook}]" if title != run.playbook else run.playbook
        _, agency = agency_shown(self.registry, run.agency, lang)
        drill = f" {t('pb.cli.drill')}" if run.drill else ""
        started = t("pb.cli.started", time=local_time(run.started_at))
        print(f"{run.id}  {named}  {agency}  {run_status_name(run.status, lang)}{drill}  {started}")
        rows: list[list[str]] = []
        for s in run.steps:
            role = playbook.role_name(s.role, lang) if playbook else s.role
            step_title = ""
            if playbook is not None:
                try:
                    step_title = pick(playbook.step(s.id).title, lang)
                except KeyError:  # a step of an older version of the playbook
                    step_title = ""
            status = step_status_name(s.status, lang)
            if s.overdue and not s.terminal:
                status += f", {t('pb.cli.overdue')}"
            due = t("pb.cli.due", time=local_time(s.due_at))
            rows.append([s.id, role, due, status, step_title])
        # a Kazakh role name does not push the next column out of line
        columns = [Column(), *(Column(gap=2) for _ in range(4))]
        for line in table(columns, rows):
            print(f"    {line}")


def cmd_show(args: argparse.Namespace) -> int:
    from playbooks import store
    from playbooks.messages import local_time
    from playbooks.names import actor_name, audit_action_name, detail_text
    from signals.messages import kind_name

    svc = _service()
    with svc.db.read() as conn:
        run = store.load_run(conn, args.run)
        if run is None:
            raise UserError.t("playbook_run.unknown", id=args.run)
        log = store.audit_log(conn, [run.id])
    if args.json:
        emit_json({**run_json(run, svc.stage.library), "audit": log})
        return 0
    shown = RunsShown(svc.stage)
    shown.print(run)
    lang = current_lang()
    playbook = svc.stage.library.playbooks.get(run.playbook)
    actors = [actor_name(str(e["actor"]), lang) for e in log]
    width = max((len(a) for a in actors), default=0)
    for e, actor in zip(log, actors, strict=True):
        where = f" {e['step']}" if e["step"] else ""
        via = ""
        if e["channel"]:
            via = " " + t("pb.cli.via", channel=e["channel"], recipient=e["recipient"])
        action = audit_action_name(str(e["action"]), lang)
        said = detail_text(
            str(e["action"]),
            e["detail"],
            lang,
            role=lambda r: playbook.role_name(r, lang) if playbook else r,
            playbook=shown.title,
            alert_kind=lambda k: kind_name(k, lang),
        )
        extra = f" — {said}" if said else ""
        print(f"  {local_time(e['at'])}  {actor:<{width}}  {action}{where}{via}{extra}")
    return 0


def cmd_act(args: argparse.Namespace) -> int:
    from playbooks.names import step_status_name

    svc = _service()
    run = svc.act(args.run, args.step, args.act, actor=args.by, note=args.note, at=args.at)
    st = run.step(args.step)
    print(f"{run.id} {st.id}: {step_status_name(st.status)}")
    return 0


def cmd_cancel(args: argparse.Namespace) -> int:
    from playbooks.names import run_status_name

    run = _service().cancel(args.run, actor=args.by, note=args.note)
    print(f"{run.id}: {run_status_name(run.status)}")
    return 0


def _scenario(args: argparse.Namespace, svc: Any) -> None:
    """Fill a drill's agency, summary and playbook from a scenario card."""
    from playbooks import engine
    from playbooks.stage import alert_facts
    from qulaq.alerts import Alert

    default = Path(__file__).resolve().parents[1] / "data" / "demo" / "scenarios.json"
    scenarios = _read_scenarios(args.scenarios or default)
    found = scenarios.get(args.scenario)
    if found is None:
        known = ", ".join(sorted(scenarios))
        raise UserError.t("drill.unknown_scenario", id=args.scenario, known=known)
    if not args.agency:
        agency = found.get("agency")
        if not isinstance(agency, str) or not agency.strip():
            raise UserError.t("drill.scenario_no_agency", id=args.scenario)
        args.agency = agency
    args.summary = args.summary or found.get("description", "")
    if args.playbook:
        return
    now = datetime.now(UTC)
    probe = Alert(
        id="probe",
        agency=args.agency,
        kind="negativity_spike" if found.get("kind") == "crisis" else "positive_burst",
        severity=args.severity,
        status="open",
        raised_at=now,
        updated_at=now,
        window_start=now,
        window_end=now,
        observed=0,
        expected=0,
        negative_share=None,
        summary=args.summary,
        topics=[found["topic"]] if found.get("topic") else [],
    )
    facts = alert_facts(probe, svc.stage.registry)
    match = engine.match(svc.stage.library.playbooks.values(), facts)
    if match is None:
        raise UserError.t("drill.scenario_no_playbook", id=args.scenario)
    args.playbook = match.id


# the fields of a scenario card a drill reads, each a string when it is there
_SCENARIO_TEXT_FIELDS = ("agency", "kind", "topic", "description")


def _read_scenarios(path: Path) -> dict[str, dict[str, Any]]:
    """The scenario cards of `path` by id; a file that is not a JSON list of objects
    with an "id" each is refused in one line that says what is wrong where."""
    import json

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UserError.t("drill.scenarios_not_utf8", path=path, byte=exc.start) from None
    except OSError as exc:
        raise UserError.t("drill.scenarios_unreadable", path=path, reason=os_reason(exc)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError.t(
            "drill.scenarios_not_json",
            path=path,
            problem=exc.msg,
            line=exc.lineno,
            column=exc.colno,
        ) from None
    if not isinstance(data, list):
        raise UserError.t("drill.scenarios_not_list", path=path, kind=_json_kind(data))
    scenarios: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(data, 1):
        if not isinstance(entry, dict):
            raise UserError.t("drill.scenario_not_object", path=path, i=i, kind=_json_kind(entry))
        sid = entry.get("id")
        if sid is None:
            raise UserError.t("drill.scenario_no_id", path=path, i=i)
        if not isinstance(sid, str) or not sid.strip():
            raise UserError.t("drill.scenario_bad_id", path=path, i=i, id=sid)
        for field in _SCENARIO_TEXT_FIELDS:
            value = entry.get(field)
            if value is not None and not isinstance(value, str):
                raise UserError.t(
                    "drill.scenario_bad_field",
                    path=path,
                    i=i,
                    id=sid,
                    field=field,
                    kind=_json_kind(value),
                )
        scenarios[sid] = entry
    return scenarios


def _json_kind(value: Any) -> Phrase:
    """What a JSON value is, as a message says it ("not a JSON object")."""
    if isinstance(value, dict):
        kind = "object"
    elif isinstance(value, list):
        kind = "list"
    elif isinstance(value, str):
        kind = "string"
    elif isinstance(value, bool):
        kind = "boolean"
    else:
        kind = "null" if value is None else "number"
    return Phrase(f"json.{kind}", kind)


def cmd_start(args: argparse.Namespace) -> int:
    from playbooks.model import PlaybookError

    svc = _service()
    if args.drill and args.scenario:
        _scenario(args, svc)
    if not args.playbook or not args.agency:
        raise UserError.t("playbook.start_needs")
    try:
        run = svc.start(
            args.playbook,
            args.agency,
            actor=args.by,
            severity=args.severity,
            triage=args.triage,
            summary=args.summary,
            drill=args.drill,
            reference=args.ref,
        )
    except PlaybookError as exc:
        raise _user_error(exc) from None
    if args.json:
        emit_json(run_json(run, svc.stage.library))
    else:
        RunsShown(svc.stage).print(run)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from playbooks.model import SCCT_CLUSTERS, PlaybookError
    from playbooks.stage import load_library

    try:
        lib = load_library(load_settings())
    except PlaybookError as exc:
        raise _user_error(exc) from None
    items: list[dict[str, Any]] = [
        {
            "id": p.id,
            "title": dict(p.title),
            "scct": p.scct,
            "kinds": list(p.trigger.kinds),
            "min_severity": p.trigger.min_severity,
            "agency_types": list(p.trigger.agency_types),
            "topics": list(p.trigger.topics),
            "priority": p.trigger.priority,
            "steps": len(p.steps),
            "source": p.source,
        }
        for p in sorted(lib.playbooks.values(), key=lambda p: -p.trigger.priority)
    ]
    if args.json:
        emit_json(items)
        return 0
    import playbooks.messages  # noqa: F401 - registers the playbooks' phrases

    lang = current_lang()

    def title(names: Mapping[str, str]) -> str:
        return names.get(lang) or names["ru"]

    from signals.messages import kind_name

    for it in items:
        kinds = ", ".join(kind_name(k, lang) for k in it["kinds"]) or t("pb.list.by_hand")
        scct = it["scct"]
        cluster = t(f"pb.list.scct.{scct}") if scct in SCCT_CLUSTERS else scct
        trigger = f"{cluster}; {kinds}; {t('pb.list.severity', n=it['min_severity'])}"
        print(f"{it['id']:<24} {title(it['title'])}  [{trigger}]")
    for plan in lib.plans.values():
        print(f"{plan.id:<24} {title(plan.title)}  [{t('pb.list.plan')}]")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from playbooks import messages as _messages  # noqa: F401  (registers the words)
    from playbooks.model import Library, PlaybookError, load_file
    from playbooks.stage import load_library

    try:
        if args.files:
            for path in args.files:
                item = load_file(path)
                print(t("pb.cli.valid", path=path, id=item.id))
            Library.load(list(args.files))
        else:
            lib = load_library(load_settings())
            for pb in lib.playbooks.values():
                print(t("pb.cli.valid", path=pb.source, id=pb.id))
            for plan in lib.plans.values():
                print(t("pb.cli.valid", path=plan.source, id=plan.id))
    except PlaybookError as exc:
        raise _user_error(exc) from None
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from playbooks import report, store
    from playbooks.actions import require_agency
    from qulaq.i18n import current_lang
    from qulaq.timefmt import iso

    svc = _service()
    lang = args.lang or (current_lang() if current_lang() != "en" else "ru")
    known = require_agency(svc.stage.registry, args.agency)
    now = datetime.now(UTC)
    if args.until is None and args.since >= now:
        raise UserError.t(
            "playbook.report_since_future",
            since=iso(args.since),
            now=iso(now.replace(microsecond=0)),
        )
    if args.until is not None and args.until <= args.since:
        raise UserError.t("playbook.report_until_before_since")
    with svc.db.read() as conn:
        runs = store.list_runs(
            conn,
            agency=args.agency,
            since=args.since,
            until=args.until,
            drills=None if args.include_drills else False,
        )
        built = report.build(conn, runs, svc.stage.library, svc.stage.registry, lang=lang, now=now)
    # without --until the period ends now, or with the last run when comments dated
    # ahead of this clock (in event time) started one later: none is left out
    until = args.until or max([now, *(r.started_at for r in runs)])
    name = known.name(lang) if known else args.agency
    if args.format == "csv":
        text = report.to_csv(built)
    else:
        text = report.to_markdown(built, agency=name, since=args.since, until=until, lang=lang)
    write_document(text, args.output)
    return 0


def write_document(document: str | bytes, output: Path | None) -> None:
    """A report, plan or PDF to `output`, or text to stdout without one. The file is
    written through `replace_on_success`: a directory, a missing one or a full disk
    is one line naming the file, and the old file stays as it was."""
    from playbooks import messages as _messages  # noqa: F401  (registers the words)
    from qulaq.outfile import output_error, replace_on_success

    if output is None:
        if isinstance(document, bytes):
            sys.stdout.buffer.write(document)
        else:
            sys.stdout.write(document)
        return
    with replace_on_success(output) as fh:
        if isinstance(document, str):
            fh.write(document)
        else:
            try:
                fh.buffer.write(document)
            except OSError as exc:
                raise output_error(str(output), exc) from None
    print(t("pb.cli.wrote", path=output), file=sys.stderr)


def cmd_serve(args: argparse.Namespace) -> int:
    import signal

    from playbooks.delivery import DeliveryLoop

    svc = _service()
    loop = DeliveryLoop(svc.settings, svc.db, svc.stage)

    def timers() -> None:
        with svc.db.write() as conn:
            svc.stage.tick_timers(conn, datetime.now(UTC))

    if args.once:
        timers()
        counts = loop.run_once()
        if args.json:
            emit_json(counts.as_dict())
        else:
            print(
                t(
                    "pb.cli.delivered",
                    sent=counts.sent,
                    retried=counts.retried,
                    failed=counts.failed,
                ),
                file=sys.stderr,
            )
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.is_set():
        timers()
        loop.run_once()
        stop.wait(loop.interval)
    return 0


def cmd_outbox(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from playbooks.names import notice_name, outbox_status_name
    from qulaq.storage.schema import playbook_outbox

    svc = _service()
    o = playbook_outbox.c
    q = (
        select(
            o.id,
            o.key,
            o.run_id,
            o.step,
            o.kind,
            o.person,
            o.channel,
            o.status,
            o.attempts,
            o.created_at,
            o.not_before,
            o.sent_at,
            o.last_error,
        )
        .order_by(o.id.desc())
        .limit(args.limit)
    )
    if args.status:
        q = q.where(o.status == args.status)
    with svc.db.read() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
    if args.json:
        emit_json(rows)
    else:
        lang = current_lang()
        grid = [
            [
                str(r["id"]),
                outbox_status_name(str(r["status"]), lang),
                str(r["channel"]),
                str(r["person"]),
                notice_name(str(r["kind"]), lang),
                f"{r['run_id'] or ''} {r['step'] or ''}".strip(),
            ]
            for r in rows
        ]
        columns = [Column(">", 6), Column("<", 10), Column("<", 9), Column("<", 14)]
        for line in table([*columns, Column("<", 16), Column()], grid):
            print(line)
    return 0
