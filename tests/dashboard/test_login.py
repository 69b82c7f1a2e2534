"""Login, roles and agency scope, enforced on the server (AppTest), and `qulaq users`."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import qulaq
from tests.dashboard.conftest import (
    CRISIS_AGENCY,
    TWO_HOURS_IN,
    app,
    build_home,
    no_failures,
    ranking_keys,
)

pytestmark = pytest.mark.slow
PASSWORD = "heating-main-2026"


@pytest.fixture(scope="module")
def users_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Half a day of the demo, with a district-scoped press officer, a manager, an oblast's
    on-call officer, and a user for the throttle to lock out."""
    home = build_home(tmp_path_factory.mktemp("users"), until="2026-03-18T14:00:00+05:00")
    env = {"QULAQ_HOME": str(home), "QULAQ_USER_PASSWORD": PASSWORD}
    qulaq("users", "add", "aigerim", "--role", "press_officer", "--agency", CRISIS_AGENCY, env=env)
    qulaq("users", "add", "boss", "--role", "manager", "--agency", "*", env=env)
    qulaq("users", "add", "dana", "--role", "on_call", "--agency", "akimat-sko", env=env)
    qulaq("users", "add", "locked", "--role", "on_call", "--agency", CRISIS_AGENCY, env=env)
    return home


def _login(at, username: str, password: str):
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click()
    return at.run()


def test_login_is_required_once_a_user_exists(users_home: Path, use_home) -> None:
    use_home(users_home, host="0.0.0.0")
    at = app("overview")
    no_failures(at)
    assert at.title[0].value == "Qulaq — sign in"
    assert ranking_keys(at) == []
    _login(at, "aigerim", "")
    assert [e.value for e in at.error] == ["Enter your name and password."]
    _login(at, "aigerim", "wrong password!")
    assert any("Wrong user name or password" in e.value for e in at.error)
    assert ranking_keys(at) == []


def test_a_press_officer_sees_their_agency_only(users_home: Path, use_home) -> None:
    use_home(users_home)
    at = _login(app("overview"), "aigerim", PASSWORD)
    no_failures(at)
    assert at.title[0].value == "Reputation risk by agency"
    assert ranking_keys(at) == [CRISIS_AGENCY]
    # asking for another agency by address shows nothing of it
    at.switch_page("views/agency.py")
    at.query_params["agency"] = "akimat-astana"
    at.run()
    no_failures(at)
    assert at.header[0].value == "Akimat of Almaty"
    assert at.selectbox(key="agency_pick_en").options == ["Akimat of Almaty"]


def test_the_agency_page_opens_on_the_readers_own_agency(users_home: Path, use_home) -> None:
    use_home(users_home)
    # Petropavl, under the oblast, is the more at risk then; the oblast is dana's own.
    at = _login(app("overview", query={"at": "2026-03-18T12:00:00+05:00"}), "dana", PASSWORD)
    no_failures(at)
    assert ranking_keys(at)[0] == "akimat-petropavl"
    at.switch_page("views/agency.py").run()  # no ?agency=
    no_failures(at)
    assert at.header[0].value == "Akimat of North Kazakhstan Region"
    # an agency asked for by address still wins
    at.switch_page("views/overview.py").run()
    at.query_params["agency"] = "akimat-petropavl"
    at.switch_page("views/agency.py").run()
    no_failures(at)
    assert at.header[0].value == "Akimat of Petropavl"


def test_a_throttled_login_says_so_and_how_long(users_home: Path, use_home) -> None:
    use_home(users_home, host="0.0.0.0")
    at = app("overview")
    throttled = re.compile(r"Too many failed attempts for this user name; try again in (\d+) min\.")
    # A name no user has is held back like a real one: the message tells nobody which exists.
    for name in ("locked", "no-such-user"):
        for attempt in range(1, 11):
            _login(at, name, "wrong password!")
            errors = [e.value for e in at.error]
            if attempt < 10:
                assert errors == ["Wrong user name or password."], (name, attempt, errors)
            else:  # the tenth failure in 15 minutes holds the name back
                found = throttled.fullmatch(errors[0]) if len(errors) == 1 else None
                assert found and 14 <= int(found.group(1)) <= 15, (name, errors)
    _login(at, "locked", PASSWORD)  # the right password is refused too, and says the same
    assert len(at.error) == 1 and throttled.fullmatch(at.error[0].value)
    assert ranking_keys(at) == []
    _login(at, "boss", PASSWORD)  # another name is not held back
    no_failures(at)
    assert ranking_keys(at)


def test_the_throttle_names_the_real_wait(home: Path) -> None:
    from dashboard import auth
    from qulaq.config import load_settings
    from qulaq.storage.database import Database

    db = Database.open(load_settings())
    t0 = datetime(2026, 3, 18, 9, 0, tzinfo=UTC)
    with db.write() as conn:
        for i in range(9):
            assert auth.authenticate(conn, "someone", "wrong", t0 + timedelta(minutes=i)) is None
            assert auth.throttled_until(conn, "someone", t0 + timedelta(minutes=i)) is None
        auth.authenticate(conn, "Someone ", "wrong", t0 + timedelta(minutes=9))
        # Ten failures from 09:00 to 09:09: free again when the first leaves the 15 minutes.
        assert auth.throttled_until(conn, "someone", t0 + timedelta(minutes=9)) == t0 + timedelta(
            minutes=15
        )
        # A try while held back is refused and does not move the wait it was told.
        assert auth.authenticate(conn, "someone", "wrong", t0 + timedelta(minutes=12)) is None
        assert auth.throttled_until(conn, "someone", t0 + timedelta(minutes=12)) == t0 + timedelta(
            minutes=15
        )
        assert auth.throttled_until(conn, "someone", t0 + timedelta(minutes=15, seconds=1)) is None
        assert auth.throttled_until(conn, "someone-else", t0 + timedelta(minutes=12)) is None


def test_a_name_longer_than_the_log_keeps_is_throttled_too(home: Path) -> None:
    """Failed logins are kept under 64 characters of the name; a longer name is counted
    as it is kept, and is held back like any other, while its 64-character prefix, a
    real user's name, signs in once the window has passed."""
    from dashboard import auth
    from qulaq.config import load_settings
    from qulaq.registry import Registry
    from qulaq.storage.database import Database

    db = Database.open(load_settings())
    real = "a" * 64
    t0 = datetime(2026, 3, 18, 9, 0, tzinfo=UTC)
    with db.write() as conn:
        auth.add_user(
            conn,
            Registry.default(),
            username=real,
            password="a long enough password",
            role="manager",
            agencies=["*"],
        )
        for i in range(10):
            assert auth.authenticate(conn, real + "x", "wrong", t0 + timedelta(minutes=i)) is None
        held = auth.throttled_until(conn, real + "x", t0 + timedelta(minutes=10))
        assert held == t0 + timedelta(minutes=15)
        # the prefix shares the count: held back too, the right password notwithstanding
        late = t0 + timedelta(minutes=10)
        assert auth.authenticate(conn, real, "a long enough password", late) is None
        later = t0 + timedelta(minutes=40)
        assert auth.authenticate(conn, real, "a long enough password", later) is not None


def test_a_manager_sees_every_agency(users_home: Path, use_home) -> None:
    use_home(users_home)
    at = _login(app("overview"), "boss", PASSWORD)
    no_failures(at)
    keys = ranking_keys(at)
    assert CRISIS_AGENCY in keys and "akimat-astana" in keys and len(keys) >= 5


def test_work_queue_actions_and_label_corrections(users_home: Path, use_home) -> None:
    use_home(users_home)
    at = _login(app("overview"), "aigerim", PASSWORD)
    at.switch_page("views/queue.py").run()
    no_failures(at)
    first_text = at.text[0].value
    at.button(key="queue_open_0").click().run()
    # Redirected without saying where: one line in the reader's language, nothing saved.
    at.radio(key="work_status_en").set_value("redirected")
    at.get("form_submit_button")[0].click().run()
    assert [e.value for e in at.error] == ["Choose the body the comment was redirected to."]
    at.selectbox(key="work_assignee").set_value("aigerim")
    at.radio(key="work_status_en").set_value("redirected")
    at.selectbox(key="work_redirect_en").set_value("min-energy")
    at.get("form_submit_button")[0].click().run()
    no_failures(at)
    from qulaq.config import load_settings
    from qulaq.storage.database import Database
    from qulaq.storage.schema import comment_work, dashboard_audit

    db = Database.open(load_settings())
    with db.read() as conn:
        rows = [dict(r) for r in conn.execute(comment_work.select()).mappings()]
        actions = [r.action for r in conn.execute(dashboard_audit.select())]
    assert rows and rows[0]["status"] == "redirected" and rows[0]["redirected_to"] == "min-energy"
    assert rows[0]["assignee"] == "aigerim" and rows[0]["updated_by"] == "aigerim"
    assert "comment_redirected" in actions and "login" in actions
    # it left the open queue
    assert first_text not in [t.value for t in at.text[:1]]

    at.button(key="queue_open_0").click().run()
    at.radio(key="label_head_en").set_value("aggression").run()
    # Only the chosen head's labels are offered.
    assert at.selectbox(key="label_value_aggression_en").options == [
        "no aggression",
        "aggressive",
        "threats or obscenity",
    ]
    at.selectbox(key="label_value_aggression_en").set_value("strong")
    at.get("form_submit_button")[1].click().run()
    no_failures(at)
    lines = (users_home / "corrections.jsonl").read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[-1])
    assert row["head"] == "aggression" and row["label"] == "strong" and row["text"]

    # Urgency too: the learned urgency head trains on these.
    at.radio(key="label_head_en").set_value("urgency").run()
    at.selectbox(key="label_value_urgency_en").set_value("urgent")
    at.get("form_submit_button")[1].click().run()
    no_failures(at)
    lines = (users_home / "corrections.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1]) == {"text": row["text"], "head": "urgency", "label": "urgent"}


def test_removing_a_user_ends_their_session(users_home: Path, use_home) -> None:
    use_home(users_home)
    env = {"QULAQ_HOME": str(users_home), "QULAQ_USER_PASSWORD": PASSWORD}
    qulaq("users", "add", "temp", "--role", "on_call", "--agency", "*", env=env)
    at = _login(app("overview"), "temp", PASSWORD)
    assert ranking_keys(at)
    qulaq("users", "remove", "temp", env=env)
    at.run()
    assert at.title[0].value == "Qulaq — sign in"


def test_users_command(home: Path) -> None:
    env = {"QULAQ_USER_PASSWORD": PASSWORD}
    listed = qulaq("users", "list", "--json")
    assert json.loads(listed.stdout) == []
    refused = qulaq("dashboard", "--host", "0.0.0.0", "--port", "8599", check=False)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "127.0.0.1" in refused.stderr
    short = qulaq(
        "users",
        "add",
        "x",
        "--role",
        "admin",
        "--agency",
        "*",
        env={"QULAQ_USER_PASSWORD": "short"},
        check=False,
    )
    assert short.returncode == 2 and "at least" in short.stderr
    unknown = qulaq(
        "users", "add", "y", "--role", "admin", "--agency", "nowhere", env=env, check=False
    )
    assert unknown.returncode == 2 and "not in the registry" in unknown.stderr
    qulaq("users", "add", "Dana", "--role", "admin", "--agency", "*", env=env)
    users = json.loads(qulaq("users", "list", "--json").stdout)
    assert [(u["username"], u["role"], u["agencies"]) for u in users] == [("dana", "admin", ["*"])]
    stored = (home / "qulaq.db").read_bytes()
    assert PASSWORD.encode() not in stored  # only the argon2 hash is kept
    import subprocess
    import sys

    changed = subprocess.run(
        [sys.executable, "-m", "qulaq", "users", "passwd", "dana", "--password-stdin"],
        input="another-long-password\n",
        capture_output=True,
        text=True,
    )
    assert changed.returncode == 0, changed.stderr
    qulaq("users", "remove", "dana")
    assert json.loads(qulaq("users", "list", "--json").stdout) == []


@pytest.fixture(scope="module")
def crisis_manager_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two hours into the crisis, with its playbook runs, and a manager who may export."""
    home = build_home(tmp_path_factory.mktemp("manager"), until=TWO_HOURS_IN)
    env = {"QULAQ_HOME": str(home), "QULAQ_USER_PASSWORD": PASSWORD}
    qulaq("users", "add", "boss", "--role", "manager", "--agency", "*", env=env)
    return home


def test_a_manager_exports_a_run_in_their_language(crisis_manager_home: Path, use_home) -> None:
    use_home(crisis_manager_home)
    at = _login(app("overview", state={"lang": "ru"}), "boss", PASSWORD)
    at.switch_page("views/playbooks.py").run()
    no_failures(at)
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Все запуски в CSV", "Этот запуск в PDF"]


def test_alert_actions_say_what_happened(crisis_manager_home: Path, use_home) -> None:
    use_home(crisis_manager_home)
    at = _login(app("overview", state={"lang": "ru"}), "boss", PASSWORD)
    at.switch_page("views/alerts.py").run()
    no_failures(at)
    # Assign with nobody chosen: one line saying so, nothing recorded.
    at.button(key="assign_0").click().run()
    assert [w.value for w in at.warning] == ["Выберите, кому назначить."]
    # Acknowledging one alert acknowledges its incident: its sibling cards say why.
    at.button(key="ack_0").click().run()
    no_failures(at)
    captions = [c.value.replace("\\", "") for c in at.caption]  # as shown, unescaped
    assert any(c.startswith("подтвердил") and c.endswith("boss") for c in captions), captions
    assert any("подтверждено: инцидент уже в работе" in c for c in captions), captions


def test_only_people_who_see_the_agency_are_offered_as_assignees(
    users_home: Path, crisis_manager_home: Path, use_home
) -> None:
    """dana is on call for North Kazakhstan: she can neither see nor work Almaty's comments
    and alerts, so she is not offered for them (nor named to Almaty's press office)."""
    use_home(users_home)
    at = _login(app("overview"), "aigerim", PASSWORD)
    at.switch_page("views/queue.py").run()
    at.button(key="queue_open_0").click().run()
    no_failures(at)
    offered = at.selectbox(key="work_assignee").options
    assert "aigerim" in offered and "locked" in offered and "boss" in offered, offered
    assert "dana" not in offered, offered

    env = {"QULAQ_HOME": str(crisis_manager_home), "QULAQ_USER_PASSWORD": PASSWORD}
    qulaq("users", "add", "dana", "--role", "on_call", "--agency", "akimat-sko", env=env)
    use_home(crisis_manager_home)
    at = _login(app("overview"), "boss", PASSWORD)
    at.switch_page("views/alerts.py").run()
    no_failures(at)
    cards = [h.proto.body for h in at.get("html") if "qulaq-alert-kind" in h.proto.body]
    assert "Akimat of Almaty" in cards[0], cards[:1]
    offered = at.selectbox(key="assignee_0").options
    assert "boss" in offered and "dana" not in offered, offered
