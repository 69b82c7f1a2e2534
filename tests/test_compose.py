"""compose.yaml and the Dockerfile: the production stack must at least be coherent.

There is no container engine in the test environment, so these tests check what can be
checked statically: every service has something to run, each Qulaq service's command is one
the `qulaq` command line accepts, settings point at the stack's own Kafka and PostgreSQL, and
no secret is written into the file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
COMPOSE = REPO / "compose.yaml"
DOCKERFILE = REPO / "Dockerfile"
STAGES = ("score", "store", "signals", "playbooks")
DUMMY = "1"

# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message}, ${VAR?message}, $VAR; "$$" is a "$".
PLACEHOLDER = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)
SECRET_KEY = re.compile(r"(TOKEN|PASSWORD|SECRET|API_KEY|PRIVATE_KEY)$")


def substitute(value: str, unset: str = DUMMY) -> str:
    """Resolve placeholders as Compose would with the variable unset: the default if there is
    one, else `unset` (standing in for what the operator must provide)."""

    def resolve(m: re.Match[str]) -> str:
        if m.group("op") in (":-", "-"):
            return m.group("arg")
        return unset

    parts = value.split("$$")
    return "$".join(PLACEHOLDER.sub(resolve, part) for part in parts)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    doc = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(doc, dict) and isinstance(doc.get("services"), dict)
    return doc


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def qulaq_services(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The services that run the Qulaq image (built from this repository)."""
    return {
        name: svc
        for name, svc in services.items()
        if "build" in svc or str(svc.get("image", "")).startswith("qulaq")
    }


def environment(svc: dict[str, Any]) -> dict[str, str]:
    env = svc.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): str(v) for k, v in env.items()}


def command(svc: dict[str, Any]) -> list[str]:
    cmd = svc.get("command")
    assert isinstance(cmd, list), "a Qulaq service's command must be a list of arguments"
    return [substitute(str(arg)) for arg in cmd]


def test_substitute() -> None:
    assert substitute("${A:-x}/${B-y}/${C}/${D:?set D}/$E/$$F") == "x/y/1/1/1/$F"
    assert substitute("u${A:-x}:${B:?}@h", unset="") == "ux:@h"


def test_every_service_has_an_image_or_a_build(services: dict[str, dict[str, Any]]) -> None:
    for name, svc in services.items():
        assert svc.get("image") or svc.get("build"), f"service {name} has no image and no build"


def test_the_stack_has_its_services(services: dict[str, dict[str, Any]]) -> None:
    expected = {"kafka", "postgres", "collector-vk", "dashboard"} | {f"qulaq-{s}" for s in STAGES}
    assert expected <= set(services)
    assert str(services["kafka"]["image"]).startswith("apache/kafka:4.")
    assert str(services["postgres"]["image"]).startswith("postgres:16")
    assert "healthcheck" in services["postgres"]
    assert set(qulaq_services(services)) == expected - {"kafka", "postgres"}


def test_qulaq_commands_parse(services: dict[str, dict[str, Any]]) -> None:
    from qulaq.cli import build_parser

    for name, svc in qulaq_services(services).items():
        args = command(svc)
        try:
            build_parser().parse_args(args)
        except SystemExit as exc:
            pytest.fail(f"service {name}: `qulaq {' '.join(args)}` is rejected (exit {exc.code})")


def test_each_stage_runs_on_its_own(services: dict[str, dict[str, Any]]) -> None:
    from qulaq.cli import build_parser

    for stage in STAGES:
        args = command(services[f"qulaq-{stage}"])
        assert args[:1] == ["run"]
        assert build_parser().parse_args(args).stage == stage
    for stage in ("score", "store"):
        assert "replicas" in services[f"qulaq-{stage}"].get("deploy", {}), stage


def test_collector_and_dashboard(services: dict[str, dict[str, Any]]) -> None:
    collector = services["collector-vk"]
    assert command(collector)[:2] == ["collect", "vk"]
    assert "--owner" in command(collector)
    assert environment(collector)["QULAQ_VK_TOKEN"].startswith("${QULAQ_VK_TOKEN")
    dashboard = command(services["dashboard"])
    assert dashboard[0] == "dashboard"
    assert dashboard[dashboard.index("--host") + 1] == "0.0.0.0"
    assert dashboard[dashboard.index("--port") + 1] == "8501"


def test_qulaq_services_use_the_stack(services: dict[str, dict[str, Any]]) -> None:
    for name, svc in qulaq_services(services).items():
        env = environment(svc)
        assert env.get("QULAQ_BUS") == "kafka://kafka:9092", name
        assert env.get("QULAQ_HOME") == "/data", name
        url = substitute(env.get("QULAQ_DATABASE_URL", ""))
        assert url.startswith("postgresql+psycopg://") and "@postgres:5432/" in url, name
        depends = svc.get("depends_on") or {}
        assert {"kafka", "postgres"} <= set(depends), name


def test_no_literal_secrets(services: dict[str, dict[str, Any]]) -> None:
    for name, svc in services.items():
        for key, value in environment(svc).items():
            if SECRET_KEY.search(key):
                assert value.startswith("${"), f"{name}: {key} must come from the environment"
        url = environment(svc).get("QULAQ_DATABASE_URL", "")
        if url:
            userinfo = substitute(url, unset="").split("://", 1)[1].rpartition("@")[0]
            password = userinfo.partition(":")[2]
            assert password == "", f"{name}: the database password is written out"


def test_named_volumes_are_declared(compose: dict[str, Any]) -> None:
    declared = set(compose.get("volumes") or {})
    for name, svc in compose["services"].items():
        for volume in svc.get("volumes") or []:
            source = str(volume).split(":", 1)[0]
            if not source.startswith((".", "/", "~")):
                assert source in declared, f"{name}: volume {source} is not declared"


def test_dockerfile() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim", text, re.M)
    assert "pip install -r requirements.txt" in text
    assert re.search(r'^ENTRYPOINT \["qulaq"\]', text, re.M)
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1] not in ("root", "0"), "the image must not run as root"
