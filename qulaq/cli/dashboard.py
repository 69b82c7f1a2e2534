"""dashboard: serve the Streamlit dashboard; users: who may log in to it (CONTRACT §3)."""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import os
import socket
import sys
from pathlib import Path
from typing import Any

from qulaq.cli.output import emit_json
from qulaq.errors import UserError, os_reason
from qulaq.i18n import register as register_messages
from qulaq.i18n import t

LOOPBACK = ("127.0.0.1", "::1", "localhost")
PASSWORD_ENV = "QULAQ_USER_PASSWORD"

register_messages(
    {
        "dashboard.read_only": {
            "en": "no dashboard user is configured: serving read-only on {url} "
            "(add one with `qulaq users add` to require a login)",
            "ru": "пользователи панели не заданы: только просмотр на {url} "
            "(добавьте пользователя командой `qulaq users add`, чтобы включить вход)",
            "kk": "панель пайдаланушылары жоқ: тек қарау режимі, {url} "
            "(кіруді қосу үшін `qulaq users add` арқылы пайдаланушы қосыңыз)",
        },
        "dashboard.serving": {
            "en": "dashboard on {url} (login required)",
            "ru": "панель на {url} (требуется вход)",
            "kk": "панель {url} мекенжайында (кіру қажет)",
        },
        "users.added": {
            "en": "user {name} added ({role}; agencies: {agencies})",
            "ru": "пользователь {name} добавлен ({role}; ведомства: {agencies})",
            "kk": "{name} пайдаланушысы қосылды ({role}; мекемелер: {agencies})",
        },
        "users.removed": {
            "en": "user {name} removed; their sessions are closed",
            "ru": "пользователь {name} удалён; его сеансы закрыты",
            "kk": "{name} пайдаланушысы жойылды; оның сеанстары жабылды",
        },
        "users.password_set": {
            "en": "password of {name} changed; their sessions are closed",
            "ru": "пароль {name} изменён; его сеансы закрыты",
            "kk": "{name} құпиясөзі өзгертілді; оның сеанстары жабылды",
        },
        "users.none": {
            "en": "no users: the dashboard serves read-only on 127.0.0.1",
            "ru": "пользователей нет: панель работает только на просмотр на 127.0.0.1",
            "kk": "пайдаланушылар жоқ: панель 127.0.0.1 мекенжайында тек қарау режимінде",
        },
    }
)


def register(sub: Any) -> None:
    p = sub.add_parser("dashboard", help="serve the Streamlit dashboard")
    p.add_argument("--port", type=int, default=8501, help="TCP port (default 8501)")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; others need a configured user)",
    )
    p.set_defaults(handler=cmd_dashboard)

    users = sub.add_parser("users", help="dashboard users: add, list, remove, passwd")
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = users_sub.add_parser(
        "add",
        help=f"add a user; the password is asked for, or read from ${PASSWORD_ENV} "
        "or (with --password-stdin) from standard input",
    )
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=_roles())
    add.add_argument(
        "--agency",
        action="append",
        default=[],
        metavar="ID",
        help="an agency the user works for (repeat; '*' for all); bodies below it come along",
    )
    add.add_argument("--display-name", metavar="TEXT")
    add.add_argument("--password-stdin", action="store_true")
    add.set_defaults(handler=cmd_users_add)
    lst = users_sub.add_parser("list", help="list users")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=cmd_users_list)
    rm = users_sub.add_parser("remove", help="remove a user and close their sessions")
    rm.add_argument("name")
    rm.set_defaults(handler=cmd_users_remove)
    pw = users_sub.add_parser("passwd", help="set a user's password")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true")
    pw.set_defaults(handler=cmd_users_passwd)


def _roles() -> tuple[str, ...]:
    from dashboard.roles import ROLES

    return ROLES


def is_loopback(host: str) -> bool:
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_path() -> Path:
    import dashboard

    return Path(dashboard.__file__).with_name("app.py")


def streamlit_command(host: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_path()),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--client.showErrorDetails",
        "none",
        "--theme.base",
        "light",
    ]


def check_can_listen(host: str, port: int, shown: str) -> None:
    """Bind the address Streamlit will listen on, and let go: a port in use is the
    user's to fix, said in one line (Streamlit itself logs a line and exits 1).

    Binds as Streamlit does (`_bind_socket` in streamlit.web.server.starlette):
    one socket, IPv6 when the address has a colon (dual-stack), SO_REUSEADDR."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            s.bind((host, port))
    except OSError as exc:
        raise UserError.t(
            "dashboard.cannot_listen", host=shown, port=port, reason=os_reason(exc)
        ) from None


def cmd_dashboard(args: argparse.Namespace) -> int:
    from dashboard.auth import any_users
    from qulaq.config import load_settings
    from qulaq.storage.database import Database

    if not 0 < args.port < 65536:
        raise UserError.t("dashboard.bad_port", port=args.port)
    settings = load_settings()
    db = Database.open(settings)
    with db.read() as conn:
        has_users = any_users(conn)
    db.dispose()
    host = args.host
    if not has_users and not is_loopback(host):
        raise UserError.t("dashboard.no_users_loopback_only", host=host)
    shown = f"[{host}]" if ":" in host else host
    check_can_listen(host, args.port, shown)
    url = f"http://{shown}:{args.port}"
    message = "dashboard.serving" if has_users else "dashboard.read_only"
    print(t(message, url=url), file=sys.stderr, flush=True)
    env = {
        **os.environ,
        "QULAQ_HOME": str(settings.home),
        "QULAQ_DASHBOARD_HOST": host,
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    if settings.config_file:
        env["QULAQ_CONFIG"] = str(settings.config_file)
    cmd = streamlit_command(host, args.port)
    os.execve(cmd[0], cmd, env)
    return 0  # pragma: no cover - execve does not return


def _read_password(args: argparse.Namespace) -> str:
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if getattr(args, "password_stdin", False):
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise UserError.t("user.no_password_stdin")
        return line
    if not sys.stdin.isatty():
        raise UserError.t("user.password_how", env=PASSWORD_ENV)
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise UserError.t("user.passwords_differ")
    return first


def _open() -> Any:
    from qulaq.config import load_settings
    from qulaq.storage.database import Database

    settings = load_settings()
    return settings, Database.open(settings)


def cmd_users_add(args: argparse.Namespace) -> int:
    from dashboard.auth import add_user
    from stream.pipeline import load_registry

    settings, db = _open()
    password = _read_password(args)
    with db.write() as conn:
        name = add_user(
            conn,
            load_registry(settings),
            username=args.name,
            password=password,
            role=args.role,
            agencies=args.agency,
            display_name=args.display_name,
        )
    print(t("users.added", name=name, role=args.role, agencies=", ".join(args.agency)))
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    from dashboard.auth import list_users

    _, db = _open()
    with db.read() as conn:
        users = list_users(conn)
    if args.json:
        emit_json(users)
        return 0
    if not users:
        print(t("users.none"))
    for u in users:
        state = " (disabled)" if u["disabled"] else ""
        print(f"{u['username']:<24} {u['role']:<14} {', '.join(u['agencies'])}{state}")
    return 0


def cmd_users_remove(args: argparse.Namespace) -> int:
    from dashboard.auth import remove_user

    _, db = _open()
    with db.write() as conn:
        remove_user(conn, args.name)
    print(t("users.removed", name=args.name))
    return 0


def cmd_users_passwd(args: argparse.Namespace) -> int:
    from dashboard.auth import set_password

    _, db = _open()
    password = _read_password(args)
    with db.write() as conn:
        set_password(conn, args.name, password)
    print(t("users.password_set", name=args.name))
    return 0
