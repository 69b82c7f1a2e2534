"""System health that on-call staff must hear about, through the same
channels as crises: a stuck collector, an expiring or rejected token, a
pipeline falling behind, a Kafka broker that does not answer, a disk filling
up, notifications that fail.

```toml
[health]
collector_stale_minutes = 90
min_free_disk_gb = 2
max_lag_mb = 50
tokens = [{name = "VK token", expires = "2026-12-01"}]   # warned 14 days ahead
```
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from qulaq.config import Settings
from qulaq.i18n import register, t
from qulaq.storage.schema import collector_health, playbook_outbox

register(
    {
        "hl.stuck": {
            "kk": "{platform}/{account} коллекторы {minutes} минут бойы "
            "деректер әкелмеді ({status}).",
            "ru": "Коллектор {platform}/{account} не приносит данных {minutes} мин ({status}).",
            "en": "Collector {platform}/{account} has brought nothing "
            "for {minutes} min ({status}).",
        },
        "hl.auth": {
            "kk": "{platform}/{account} токені қабылданбады: {error}",
            "ru": "Токен {platform}/{account} отклонён: {error}",
            "en": "The token of {platform}/{account} is refused: {error}",
        },
        "hl.token": {
            "kk": "{name} токенінің мерзімі {expires} аяқталады.",
            "ru": "Срок токена {name} истекает {expires}.",
            "en": "The token {name} expires on {expires}.",
        },
        "hl.disk": {
            "kk": "Дискіде {free} ГБ бос орын қалды ({path}).",
            "ru": "На диске осталось {free} ГБ ({path}).",
            "en": "{free} GB left on the disk ({path}).",
        },
        "hl.lag": {
            "kk": "Өңдеу артта қалды: {mb} МБ күтуде.",
            "ru": "Обработка отстаёт: в очереди {mb} МБ.",
            "en": "Processing is behind: {mb} MB waiting.",
        },
        "hl.kafka": {
            "kk": "Kafka ({servers}) жауап бермейді: пікірлер өңделмейді.",
            "ru": "Kafka ({servers}) не отвечает: комментарии не обрабатываются.",
            "en": "Kafka ({servers}) does not answer: comments are not being processed.",
        },
        "hl.delivery": {
            "kk": "Соңғы тәулікте {n} хабарлама жеткізілмеді.",
            "ru": "За сутки не доставлено уведомлений: {n}.",
            "en": "{n} notifications failed in the last day.",
        },
        "hl.subject": {
            "kk": "Qulaq: жүйе күйі — {n} мәселе",
            "ru": "Qulaq: состояние системы — проблем: {n}",
            "en": "Qulaq: system health — {n} problems",
        },
    }
)


@dataclass(frozen=True)
class Finding:
    key: str  # stable: the same problem is reported once a day
    message: str  # i18n key
    params: dict[str, Any]
    urgent: bool = False

    def text(self, lang: str) -> str:
        return t(self.message, lang, **self.params)


def check(settings: Settings, conn: Connection, now: datetime | None = None) -> list[Finding]:
    now = now or datetime.now(UTC)
    opt = settings.option("health", {}) or {}
    found: list[Finding] = []
    stale = timedelta(minutes=float(opt.get("collector_stale_minutes", 90)))
    for row in conn.execute(select(collector_health)).mappings():
        where = {"platform": row["platform"], "account": row["account"]}
        if row["status"] == "auth":
            found.append(
                Finding(
                    f"auth:{row['platform']}:{row['account']}",
                    "hl.auth",
                    {**where, "error": (row["last_error"] or "")[:120]},
                    urgent=True,
                )
            )
            continue
        last = row["last_success_at"] or row["updated_at"]
        if last is not None and now - last > stale:
            minutes = int((now - last).total_seconds() // 60)
            found.append(
                Finding(
                    f"stuck:{row['platform']}:{row['account']}",
                    "hl.stuck",
                    {**where, "minutes": minutes, "status": row["status"]},
                )
            )
    for token in opt.get("tokens") or []:
        try:
            expires = date.fromisoformat(str(token["expires"]))
        except (KeyError, ValueError):
            continue
        if expires - now.date() <= timedelta(days=int(token.get("warn_days", 14))):
            found.append(
                Finding(
                    f"token:{token.get('name')}",
                    "hl.token",
                    {"name": token.get("name", "?"), "expires": expires.isoformat()},
                    urgent=expires <= now.date(),
                )
            )
    usage = shutil.disk_usage(settings.home)
    free_gb = usage.free / 1e9
    if free_gb < float(opt.get("min_free_disk_gb", 2)) or usage.free / usage.total < 0.05:
        found.append(
            Finding(
                "disk",
                "hl.disk",
                {"free": f"{free_gb:.1f}", "path": str(settings.home)},
                urgent=free_gb < 0.5,
            )
        )
    if settings.uses_kafka and not _kafka_answers(settings):
        servers = ",".join(settings.kafka_servers)
        found.append(Finding("kafka", "hl.kafka", {"servers": servers}, urgent=True))
    lag = _embedded_lag(settings)
    if lag is not None and lag > float(opt.get("max_lag_mb", 50)) * 1e6:
        found.append(Finding("lag", "hl.lag", {"mb": f"{lag / 1e6:.0f}"}))
    o = playbook_outbox.c
    failed = conn.execute(
        select(func.count()).where(o.status == "failed", o.created_at >= now - timedelta(days=1))
    ).scalar_one()
    if failed:
        found.append(Finding("delivery", "hl.delivery", {"n": int(failed)}))
    return found


def _kafka_answers(settings: Settings) -> bool:
    """Whether the broker answers an admin request (within the bus's bootstrap time)."""
    try:
        from stream.kafka_bus import KafkaBus

        admin = KafkaBus(settings).admin()
        try:
            admin.list_topics()
        finally:
            admin.close()
        return True
    except Exception:  # unreachable, refused, timed out: the finding says so
        return False


def _embedded_lag(settings: Settings) -> int | None:
    if settings.uses_kafka:
        return None  # the Kafka runtime's parent measures group lag itself
    try:
        from sqlalchemy import create_engine

        from stream.bus import RAW
        from stream.embedded_bus import EmbeddedBus

        bus = EmbeddedBus(settings)
        consumer = bus.consumer(bus.group("pipeline"), bus.topic(RAW))
        engine = create_engine(settings.database_url)
        try:
            with engine.connect() as conn:
                consumer.load_position(conn)
        finally:
            engine.dispose()
        return int(consumer.lag())
    except Exception:  # health checks never break the caller
        return None
