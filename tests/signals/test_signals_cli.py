"""The alerts, incidents and risk commands: JSON for scripts, a readable view for
people, one-line errors for mistakes."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from qulaq.config import load_settings
from qulaq.registry import Registry
from qulaq.storage.database import Database
from signals.messages import kind_name
from signals.stage import SignalsStage
from stream.bus import SCORED
from tests.conftest import qulaq
from tests.signals.test_signals_stage import crisis_stream


@pytest.fixture
def crisis(home: Path) -> str:
    """A stored crisis at the Almaty akimat; returns the onset (ISO 8601)."""
    items, onset = crisis_stream()
    db = Database.open(load_settings())
    stage = SignalsStage(Registry.default(), "en")
    for i in range(0, len(items), 1000):
        with db.write() as conn:
            stage.process(conn, SCORED, items[i : i + 1000])
    db.dispose()
    return onset.isoformat()


def test_empty_outputs(home: Path) -> None:
    assert json.loads(qulaq("alerts", "list", "--json").stdout) == []
    assert json.loads(qulaq("incidents", "list", "--json").stdout) == []
    assert json.loads(qulaq("risk", "--json").stdout) == []
    assert "no alerts" in qulaq("alerts", "list", env={"QULAQ_LANG": "en"}).stdout


def test_alerts_list_and_show(crisis: str) -> None:
    alerts = json.loads(qulaq("alerts", "list", "--json").stdout)
    assert alerts and all(a["raised_at"].endswith("+05:00") for a in alerts)
    severe = json.loads(qulaq("alerts", "list", "--json", "--min-severity", "3").stdout)
    assert severe and all(a["severity"] >= 3 for a in severe)
    human = qulaq("alerts", "list", env={"QULAQ_LANG": "en"}).stdout
    # kinds by their names, agencies by theirs with the id that --agency takes
    assert kind_name("volume_spike", "en") in human and "[akimat-almaty]" in human
    shown = json.loads(qulaq("alerts", "show", severe[0]["id"]).stdout)
    assert shown["id"] == severe[0]["id"] and shown["top_comments"]
    bad = qulaq("alerts", "show", "al-nope", check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_incident_lifecycle_on_the_command_line(crisis: str) -> None:
    incidents = json.loads(qulaq("incidents", "list", "--json").stdout)
    inc = next(i for i in incidents if i["family"] == "crisis")
    assert inc["status"] == "open" and inc["due_at"].endswith("+05:00")
    qulaq("incidents", "assign", inc["id"], "aigerim", "--by", "lead")
    acked = json.loads(qulaq("incidents", "ack", inc["id"], "--by", "aigerim", "--json").stdout)
    assert acked["status"] == "acknowledged" and acked["owner"] == "aigerim"
    done = qulaq("incidents", "resolve", inc["id"], "--note", "answered", env={"QULAQ_LANG": "ru"})
    assert inc["id"] in done.stdout
    again = qulaq("incidents", "resolve", inc["id"], check=False)
    assert again.returncode == 2 and "already resolved" in again.stderr
    assert "Traceback" not in again.stderr
    listed = qulaq("incidents", "list", "--status", "resolved", env={"QULAQ_LANG": "kk"}).stdout
    assert inc["id"] in listed


def test_risk_at_a_past_moment(crisis: str) -> None:
    from datetime import datetime

    during = (datetime.fromisoformat(crisis) + timedelta(hours=2)).isoformat()
    risks = json.loads(qulaq("risk", "--json", "--at", during).stdout)
    assert risks[0]["agency"] == "akimat-almaty"
    assert risks[0]["level"] in ("high", "critical")
    before = json.loads(qulaq("risk", "--json", "--at", "2025-01-01T00:00:00+05:00").stdout)
    assert before == []  # nobody had comments yet
    human = qulaq("risk", "--at", during, env={"QULAQ_LANG": "en"}).stdout
    assert "Akimat of Almaty" in human
    cells = json.loads(qulaq("risk", "--map", "--json", "--at", during).stdout)
    assert cells[0]["topic"] == "housing_utilities"
    bad = qulaq("risk", "--at", "yesterday", check=False)
    assert bad.returncode == 2 and "--at" in bad.stderr and "Traceback" not in bad.stderr


def test_an_empty_answer_says_why(crisis: str) -> None:
    """With alerts stored, a filter that matches none, or a map of a quiet day, says so
    instead of telling the reader to load comments first."""
    en = {"QULAQ_LANG": "en"}
    quiet_kind = ("--kind", "sla_breach")
    assert qulaq("alerts", "list", *quiet_kind, env=en).stdout.strip() == "no alerts match"
    long_after = "2027-01-01T00:00:00+05:00"
    quiet = qulaq("risk", "--map", "--at", long_after, env=en).stdout
    assert quiet.startswith("no comments in the 24 hours before 2027-01-01 00:00")
    assert "no agency" not in quiet
    assert "Akimat of Almaty" in qulaq("risk", "--at", long_after, env=en).stdout
    # a period without comments is not an empty database; a reversed one is a mistake
    onset = crisis[:10]
    period = qulaq("summary", "--since", "2024-01-01", "--until", "2024-01-02", env=en).stdout
    assert period.strip() == "no comments in that period"
    reversed_ = qulaq("summary", "--since", onset, "--until", "2024-01-02", check=False)
    assert reversed_.returncode == 2 and "--until" in reversed_.stderr
    assert len(reversed_.stderr.strip().splitlines()) == 1


def test_an_incident_record_names_a_person(crisis: str) -> None:
    incidents = json.loads(qulaq("incidents", "list", "--json").stdout)
    inc = incidents[0]["id"]
    for args in (
        ("assign", inc, ""),
        ("assign", inc, "aigerim", "--by", " "),
        ("ack", inc, "--by", ""),
    ):
        proc = qulaq("incidents", *args, check=False)
        assert proc.returncode == 2 and "a name is needed" in proc.stderr, args
    after = {i["id"]: i for i in json.loads(qulaq("incidents", "list", "--json").stdout)}
    assert after[inc]["status"] == "open" and not after[inc]["owner"]


def test_a_misspelt_filter_is_refused_not_answered_with_nothing(crisis: str) -> None:
    """`--kind volume-spike` (the kind is volume_spike) and an agency id that is in
    neither the registry nor the alerts are mistakes, not a quiet day; an account no
    agency claims (`platform:account`) stays a filter like any agency."""
    en = {"QULAQ_LANG": "en"}
    kind = qulaq("alerts", "list", "--kind", "volume-spike", env=en, check=False)
    assert kind.returncode == 2 and kind.stdout == "", kind
    assert kind.stderr.startswith("qulaq: error: no alert kind 'volume-spike'; known: ")
    assert "volume_spike" in kind.stderr and len(kind.stderr.strip().splitlines()) == 1
    agency = qulaq("alerts", "list", "--agency", "nope", "--json", env=en, check=False)
    assert (agency.returncode, agency.stdout) == (2, "")
    assert agency.stderr.strip() == (
        "qulaq: error: agency 'nope' is not in the registry; see 'qulaq agencies list'"
    )
    account = qulaq("alerts", "list", "--agency", "vk:12345", env=en)
    assert account.stdout.strip() == "no alerts match"
    assert json.loads(qulaq("alerts", "list", "--agency", "vk:12345", "--json").stdout) == []
    spikes = json.loads(qulaq("alerts", "list", "--kind", "volume_spike", "--json").stdout)
    assert spikes and {a["kind"] for a in spikes} == {"volume_spike"}
    # an agency with alerts, with a status none of them has, is still an agency
    closed = qulaq("alerts", "list", "--agency", "akimat-almaty", "--status", "acknowledged")
    assert closed.returncode == 0


def test_show_writes_times_as_list_does(crisis: str) -> None:
    """`alerts show` and `alerts list --json` give the same instant in the same form:
    Kazakhstan time with its offset, not UTC in one and +05:00 in the other."""
    listed = json.loads(qulaq("alerts", "list", "--json").stdout)
    for alert in listed[:3]:
        shown = json.loads(qulaq("alerts", "show", alert["id"]).stdout)
        for key in ("raised_at", "window_start", "window_end"):
            assert shown[key] == alert[key], (key, shown[key], alert[key])
        assert shown["updated_at"].endswith("+05:00")
        for comment in shown["top_comments"]:
            assert comment["created_at"].endswith("+05:00"), comment


def test_summary_shows_a_long_agency_name_whole(home: Path, tmp_path: Path) -> None:
    """The name column is as wide as the longest name, not cut at 44 letters."""
    event = {
        "platform": "instagram",
        "account": "enbek.gov.kz",
        "comment_id": "1",
        "text": "Когда придёт пособие?",
        "created_at": "2026-03-20T10:00:00+05:00",
    }
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(event, ensure_ascii=False) + "\n", encoding="utf-8")
    qulaq("replay", str(path))
    qulaq("run", "--until-idle")
    from sentiment.topics import name

    registry = Registry.default()
    for lang in ("en", "ru", "kk"):
        agency = registry.agency("min-labour").name(lang)
        lines = qulaq("summary", env={"QULAQ_LANG": lang}).stdout.splitlines()
        assert lines[1].startswith(f"{agency} "), lines
        # topics by the names a reader uses ("соцвыплаты"), not their ids
        topics = json.loads(qulaq("summary", "--json").stdout)[0]["topics"]
        assert topics, "the comment about a benefit has a topic"
        for topic in topics:
            assert name(topic, lang) in lines[1] and (topic not in lines[1] or lang == "en")
        # the count of comments stays under its header, right-aligned
        label = lines[0].split()[1]
        end = lines[0].index(f" {label}") + 1 + len(label)
        assert lines[1][end - 2 : end + 1] == " 1 ", (lines[0], lines[1])


def test_the_map_names_regions_and_topics_in_the_readers_language(crisis: str) -> None:
    """A Kazakh or Russian reader sees "ТКШ" or "ЖКХ" and "Алматы", not
    "housing_utilities"; the JSON keeps the ids for scripts."""
    from datetime import datetime

    from sentiment.topics import name

    during = (datetime.fromisoformat(crisis) + timedelta(hours=2)).isoformat()
    cells = json.loads(qulaq("risk", "--map", "--json", "--at", during).stdout)
    top = cells[0]
    registry = Registry.default()
    region = registry.region(top["region"])
    assert region is not None
    for lang in ("kk", "ru", "en"):
        lines = qulaq("risk", "--map", "--at", during, env={"QULAQ_LANG": lang}).stdout
        first = lines.splitlines()[1]
        assert str(region.name(lang)) in first and name(top["topic"], lang) in first, first
        assert top["topic"] not in lines  # "housing_utilities" is for scripts
        # every row's count of negative comments ends under its header, whatever the
        # length of the names before it ("жоғарылаған", "мектептер мен балабақшалар")
        header, *rows = lines.splitlines()
        label = header.split()[-2]
        end = header.index(f" {label} ") + 1 + len(label)
        negatives = [str(c["negative"]) for c in cells]
        assert [row[end - len(n) : end] for row, n in zip(rows, negatives, strict=True)] == [
            *negatives
        ]
