"""A replay file that mixes valid, odd, duplicate, edited, deleted and broken
lines, with what storing it must produce derived from how it was built."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

T0 = datetime(2026, 1, 5, 4, 0, tzinfo=UTC)


@dataclass
class Expected:
    identities: set[tuple[str, str, str]] = field(default_factory=set)
    broken: int = 0
    deleted: set[tuple[str, str, str]] = field(default_factory=set)
    final_text: dict[tuple[str, str, str], str] = field(default_factory=dict)
    edited: set[tuple[str, str, str]] = field(default_factory=set)
    blank: int = 0
    lines: list[bytes] = field(default_factory=list)


def _ts(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).astimezone().isoformat()


def build(path: Path, *, seed: int = 3, n_plain: int = 300) -> Expected:
    rnd = random.Random(seed)
    exp = Expected()
    lines: list[bytes] = []

    def add(obj: dict, *, final: bool = True) -> bytes:
        raw = orjson.dumps(obj)
        lines.append(raw)
        ident = (obj["platform"], obj["account"], obj["comment_id"])
        exp.identities.add(ident)
        if final:
            exp.final_text[ident] = obj["text"]
        return raw

    platforms = ["instagram", "facebook", "vk", "telegram", "x", "youtube"]
    accounts = {
        "instagram": "akimat_almaty",
        "facebook": "akimat.almaty",
        "vk": "-5551",
        "telegram": "astana_news",
        "x": "MinHealthKZ",
        "youtube": "UCdemo",
    }
    texts = [
        "Когда дадут отопление?",
        "Рахмет, жол жөнделді!",
        "Su joq 3 kün boldy",
        "Спасибо акимату",
        "Ужас, опять нет воды!!!",
        "Жарайсыңдар 👍",
    ]
    plain = []
    for i in range(n_plain):
        p = rnd.choice(platforms)
        obj = {
            "platform": p,
            "account": accounts[p],
            "comment_id": f"c{i}",
            "text": f"{rnd.choice(texts)} #{i}",
            "created_at": _ts(i),
            "author_id": f"user{rnd.randrange(50)}",
            "likes": rnd.randrange(5),
        }
        if i % 7 == 0:
            obj["kind"] = "reply"
            obj["parent_id"] = f"c{max(0, i - 3)}"
        if i % 11 == 0:
            obj["agency"] = "akimat-almaty"
        plain.append(add(obj))

    odd_texts = {
        "big": "ы" * 200_000,
        "nul": "before\x00after\x00",
        "rlo": "\u202eотопление нет\u202c",
        "html": "<script>alert('x')</script><b>bold</b>",
        "sql": "'); DROP TABLE comments; --",
        "ws": "  \t \n ",
        "emoji": "😡😡😡🔥",
        "empty": "",
    }
    for name, text in odd_texts.items():
        add(
            {
                "platform": "vk",
                "account": "-5551",
                "comment_id": f"odd-{name}",
                "text": text,
                "created_at": _ts(500),
            }
        )

    # exact duplicates: the same bytes again, later in the file
    lines.extend(rnd.sample(plain, 40))

    # edits of known comments (two edits on one, out of order in the file)
    for i in (1, 2, 3):
        obj = orjson.loads(plain[i])
        ident = (obj["platform"], obj["account"], obj["comment_id"])
        e1 = {**obj, "kind": "edit", "text": obj["text"] + " (edited)", "edited_at": _ts(600 + i)}
        e2 = {
            **obj,
            "kind": "edit",
            "text": obj["text"] + " (edited twice)",
            "edited_at": _ts(700 + i),
        }
        if i == 2:
            add(e2)
            add(e1, final=False)
        else:
            add(e1, final=False)
            add(e2)
        exp.edited.add(ident)
    # an edit of a comment never seen
    add(
        {
            "platform": "facebook",
            "account": "akimat.almaty",
            "comment_id": "only-edit",
            "text": "edited text",
            "created_at": _ts(10),
            "kind": "edit",
            "edited_at": _ts(20),
        }
    )
    exp.edited.add(("facebook", "akimat.almaty", "only-edit"))

    # deletes, one of a comment never seen
    for i in (4, 5):
        obj = orjson.loads(plain[i])
        add({**obj, "kind": "delete", "text": "", "edited_at": _ts(800)}, final=False)
        exp.deleted.add((obj["platform"], obj["account"], obj["comment_id"]))
    add(
        {
            "platform": "vk",
            "account": "-5551",
            "comment_id": "ghost",
            "text": "",
            "created_at": _ts(30),
            "kind": "delete",
        }
    )
    exp.deleted.add(("vk", "-5551", "ghost"))
    # a re-delivered original after the delete and the edits changes nothing
    lines.extend([plain[4], plain[1], plain[2]])

    broken = [
        b"\xff\xfe\x00not utf-8",
        b'{"platform": "vk", "account": "1", ',
        b"[1, 2, 3]",
        b'"a string"',
        b"null",
        orjson.dumps({"platform": "vk", "account": "1", "comment_id": "m1", "created_at": _ts(1)}),
        orjson.dumps(
            {
                "platform": "myspace",
                "account": "1",
                "comment_id": "m2",
                "text": "x",
                "created_at": _ts(1),
            }
        ),
        orjson.dumps(
            {
                "platform": "vk",
                "account": "1",
                "comment_id": "m3",
                "text": "x",
                "created_at": "2026-01-05T10:00:00",
            }
        ),
        orjson.dumps(
            {"platform": "vk", "account": "1", "comment_id": 77, "text": "x", "created_at": _ts(1)}
        ),
        orjson.dumps(
            {"platform": "vk", "account": "1", "comment_id": "m4", "text": 5, "created_at": _ts(1)}
        ),
        orjson.dumps(
            {
                "platform": "vk",
                "account": "1",
                "comment_id": "m5",
                "text": "x",
                "created_at": _ts(1),
                "likes": "many",
            }
        ),
        b"\xef\xbb\xbf{oops",
    ]
    exp.broken = len(broken)
    out: list[bytes] = []
    for raw in lines:
        out.append(raw)
        if broken and rnd.random() < 0.05:
            out.append(broken.pop())
    out.extend(broken)
    exp.blank = 3
    out.insert(10, b"")
    out.insert(20, b"   ")
    out.append(b"")
    exp.lines = out
    path.write_bytes(b"\n".join(out) + b"\r\n")
    return exp
