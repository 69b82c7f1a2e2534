"""What press officers do to comments from the queue: assign, close, correct labels.

Label corrections are kept in the database and appended to
`$QULAQ_HOME/corrections.jsonl`, the file `make train` folds into the models
(`sentiment/corrections.py`).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update

from dashboard.data import WORK_STATUSES
from qulaq.errors import Phrase, UserError
from qulaq.storage.schema import comment_work, label_corrections

HEAD_LABELS = {
    "sentiment": ("negative", "neutral", "positive"),
    "aggression": ("none", "aggression", "strong"),
    "urgency": ("urgent", "not_urgent"),
}


def _current(comment: dict[str, Any], head: str) -> str | None:
    """The label the model gave ``comment`` for ``head``, in the corrections' words."""
    if head == "urgency":
        urgent = comment.get("urgent")
        return None if urgent is None else ("urgent" if urgent else "not_urgent")
    value = comment.get(head)
    return None if value is None else str(value)


def _key(comment: dict[str, Any]) -> dict[str, str]:
    return {
        "platform": comment["platform"],
        "account": comment["account"],
        "comment_id": comment["comment_id"],
    }


def update_work(
    conn: Connection,
    comment: dict[str, Any],
    *,
    by: str,
    status: str | None = None,
    assignee: str | None = None,
    redirected_to: str | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> None:
    if status is not None and status not in WORK_STATUSES:
        raise UserError.t("work.bad_status", status=status, statuses=", ".join(WORK_STATUSES))
    if status == "redirected" and not redirected_to:
        raise UserError.t("work.redirect_needs_body")
    now = now or datetime.now(UTC)
    key = _key(comment)
    where = [getattr(comment_work.c, k) == v for k, v in key.items()]
    found = conn.execute(select(comment_work).where(*where)).mappings().first()
    values: dict[str, Any] = {"updated_by": by, "updated_at": now}
    if status is not None:
        values["status"] = status
        values["redirected_to"] = redirected_to if status == "redirected" else None
    if assignee is not None:
        values["assignee"] = assignee or None
    if note is not None:
        values["note"] = note
    if found is None:
        values.setdefault("status", "open")
        conn.execute(insert(comment_work).values(**key, agency=comment["agency"], **values))
    else:
        conn.execute(update(comment_work).where(*where).values(**values))


def correct_label(
    conn: Connection,
    home: Path,
    comment: dict[str, Any],
    *,
    head: str,
    label: str,
    by: str,
    now: datetime | None = None,
) -> None:
    if label not in HEAD_LABELS.get(head, ()):
        what = Phrase(f"work.head.{head}", head) if head in HEAD_LABELS else head
        raise UserError.t("work.bad_label", label=label, head=what)
    now = now or datetime.now(UTC)
    previous = _current(comment, head)
    conn.execute(
        insert(label_corrections).values(
            **_key(comment), head=head, label=label, previous=previous, by=by, at=now
        )
    )
    path = home / "corrections.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        row = {"text": comment["text"], "head": head, "label": label}
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def reply_templates() -> dict[str, dict[str, str]]:
    """Reply drafts by kind and language: the complaint-loop playbook's messages (one
    source of wording with the playbooks), and the redirection to the competent body."""
    drafts = dict(DRAFTS)
    try:
        from playbooks.model import Library, PlaybookError
    except ImportError:
        return drafts
    try:
        playbook = Library.load().playbooks.get(COMPLAINT_LOOP)
    except (PlaybookError, OSError):
        playbook = None
    if playbook is not None:
        for kind in ("holding_statement", "internal_brief", "reply_to_citizens"):
            texts = playbook.messages.get(kind)
            if texts and texts.get("ru") and texts.get("kk"):
                drafts[kind] = {"ru": texts["ru"], "kk": texts["kk"]}
        drafts.pop("received", None)
        drafts.pop("resolved", None)
        drafts["redirected"] = drafts.pop("redirected")
    return drafts


def fill(template: str, values: dict[str, object]) -> str:
    """Put known {placeholders} in; [bracketed blanks] stay for the press officer."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)


COMPLAINT_LOOP = "complaint-loop"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


# The complaint loop (002 Fig. 18) and the triage map (001 map 3.9): address the citizen,
# say what happens next and by when; never "принято к сведению".
DRAFTS: dict[str, dict[str, str]] = {
    "received": {
        "ru": "Уважаемый(ая) [имя], спасибо, мы приняли к рассмотрению вашу жалобу. "
        "Проверим информацию и в течение {days} дн. сообщим здесь или в личных сообщениях, "
        "что сделано и кто отвечает за решение.",
        "kk": "Құрметті [аты], рахмет, шағымыңызды қарауға алдық. Ақпаратты тексеріп, "
        "{days} күн ішінде не істелгенін және шешімге кім жауапты екенін осында немесе жеке "
        "хабарламада хабарлаймыз.",
    },
    "redirected": {
        "ru": "Уважаемый(ая) [имя], этот вопрос в компетенции: {body}. Мы передали ваше "
        "обращение туда; ответ поступит в установленный срок. Вы также можете обратиться "
        "напрямую через eOtinish.",
        "kk": "Құрметті [аты], бұл мәселе мына органның құзыретінде: {body}. Өтінішіңізді "
        "соларға жолдадық; жауап белгіленген мерзімде келеді. Сондай-ақ eOtinish арқылы "
        "тікелей жүгінуге болады.",
    },
    "resolved": {
        "ru": "Уважаемый(ая) [имя], по вашему обращению: [что сделано]. Спасибо, что сообщили. "
        "Если проблема повторится, напишите нам.",
        "kk": "Құрметті [аты], өтінішіңіз бойынша: [не жасалды]. Хабарлағаныңызға рахмет. "
        "Мәселе қайталанса, бізге жазыңыз.",
    },
}
