"""`alerts list` and `risk` read in the reader's language to the end of the line, as the
dashboard does: kinds, statuses, risk components and agencies by their names, and each
alert's summary said again in that language (it is stored in the stage's). Their JSON
is for scripts and does not change with the language."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

import pytest

from dashboard.messages import tr
from qulaq.alerts import Alert
from qulaq.config import load_settings
from qulaq.registry import Registry
from qulaq.storage.database import Database
from sentiment.topics import name as topic_name
from signals.messages import ALERT_STATUS_NAMES, COMPONENT_NAMES, KIND_NAMES, alert_summary
from signals.store import AlertRow, alert_bodies, list_alerts
from tests.conftest import qulaq
from tests.signals.test_signals_cli import crisis  # noqa: F401 - the stored crisis

LANGS = ("kk", "ru", "en")


def _stored() -> tuple[list[AlertRow], dict[str, Any]]:
    db = Database.open(load_settings())
    with db.read() as conn:
        rows = list_alerts(conn)
        bodies = alert_bodies(conn, [r.id for r in rows])
    db.dispose()
    return rows, bodies


def _said(body: dict[str, Any], agency: str, lang: str) -> str:
    """The alert's sentence in `lang`: topics and platform by the names a reader in
    `lang` knows them by (the dashboard's words), the agency by its registered name."""
    named = dict(body)
    if body.get("topic"):
        named["topic"] = topic_name(str(body["topic"]), lang)
    named["topics"] = [topic_name(str(x), lang) for x in body.get("topics") or []]
    if body.get("platform"):
        named["platform"] = tr(f"platform.{body['platform']}", lang)
    return alert_summary(Alert.from_dict(named), Registry.default().agency(agency).name(lang), lang)


def _ids_in(text: str, ids: set[str]) -> set[str]:
    return {i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)}


def _during(onset: str) -> str:
    return (datetime.fromisoformat(onset) + timedelta(hours=2)).isoformat()


@pytest.mark.parametrize("lang", LANGS)
def test_alerts_list_reads_in_the_readers_language(crisis: str, lang: str) -> None:  # noqa: F811
    rows, bodies = _stored()
    assert rows and all(r.id in bodies for r in rows)
    out = qulaq("alerts", "list", env={"QULAQ_LANG": lang}).stdout.splitlines()
    header, table = out[0], out[1:]
    assert len(table) == 2 * len(rows)
    registry = Registry.default()
    agency_column = header.rindex(header.split()[-1])
    for r, line, summary in zip(rows, table[::2], table[1::2], strict=True):
        name = registry.agency(r.agency).name(lang)
        # the agency by its name in this language, where the header says
        assert line.find(name) == agency_column, (header, line)
        # the summary said again in this language, whatever language the stage wrote it in
        assert summary == "    " + _said(bodies[r.id], r.agency, lang)
        if lang != "en":
            words = line[: line.index(name)] + summary
            assert not _ids_in(words, set(KIND_NAMES) | set(ALERT_STATUS_NAMES)), line
            assert tr(f"kind.{r.kind}", lang) in line
            assert tr(f"alertstatus.{r.status}", lang) in line


@pytest.mark.parametrize("lang", ("kk", "ru"))
def test_risk_names_its_drivers_in_the_readers_language(crisis: str, lang: str) -> None:  # noqa: F811
    during = _during(crisis)
    risks = json.loads(qulaq("risk", "--json", "--at", during).stdout)
    out = qulaq("risk", "--at", during, env={"QULAQ_LANG": lang}).stdout.splitlines()
    header, table = out[0], out[1:]
    assert len(table) == len(risks)
    assert not _ids_in("\n".join(table), set(COMPONENT_NAMES)), table
    registry = Registry.default()
    for risk, line in zip(risks, table, strict=True):
        name = registry.agency(risk["agency"]).name(lang)
        assert name in line
        drivers = sorted(risk["components"].items(), key=lambda kv: -kv[1]["points"])
        named = [tr(f"component.{k}", lang) for k, v in drivers[:3] if v["points"] >= 1]
        assert named and all(n in line for n in named), line
        # the drivers begin where their heading does, however long the names before them
        first = min(line.index(n, line.index(name) + len(name)) for n in named)
        assert first == len(header) - len(header.split("  ")[-1].strip())


def test_json_is_the_same_in_every_language(crisis: str) -> None:  # noqa: F811
    during = _during(crisis)
    for command in (("alerts", "list", "--json"), ("risk", "--json", "--at", during)):
        said = {lang: qulaq(*command, env={"QULAQ_LANG": lang}).stdout for lang in LANGS}
        assert said["kk"] == said["ru"] == said["en"], command


@pytest.mark.parametrize("lang", ("kk", "ru"))
def test_incidents_list_reads_in_the_readers_language(crisis: str, lang: str) -> None:  # noqa: F811
    """Status and the incident's sentence in the reader's language, not "resolved" and
    "2 alerts (volume_spike, …)" as the stage stored them."""
    incidents = json.loads(qulaq("incidents", "list", "--json").stdout)
    assert incidents
    out = qulaq("incidents", "list", env={"QULAQ_LANG": lang}).stdout.splitlines()
    registry = Registry.default()
    for inc in incidents:
        at = next(i for i, line in enumerate(out) if line.startswith(inc["id"]))
        line, said = out[at], out[at + 1].strip()
        name = registry.agency(inc["agency"]).name(lang)
        assert f" {name} [{inc['agency']}]" in line
        assert (
            f" {inc['status']} " not in line and tr(f"incidentstatus.{inc['status']}", lang) in line
        )
        assert said.startswith(f"{name}: ") and not _ids_in(said, set(KIND_NAMES))
        assert all(tr(f"kind.{k}", lang) in said for k in inc["kinds"]), said
