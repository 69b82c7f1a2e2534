from __future__ import annotations

import gzip
import json
import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from qulaq import demo
from qulaq.registry import Registry

PLATFORMS = {"instagram", "facebook", "vk", "telegram", "x", "youtube", "tiktok", "web"}
REQUIRED = {"platform": str, "account": str, "comment_id": str, "text": str, "created_at": str}
OPTIONAL = {
    "agency": str,
    "post_id": str,
    "parent_id": str,
    "author_id": str,
    "author_name": str,
    "lang": str,
    "likes": int,
    "url": str,
    "kind": str,
    "is_official_reply": bool,
    "edited_at": str,
}
KINDS = {"comment", "reply", "edit", "delete"}
KAZAKH_LETTERS = re.compile(r"[әғқңөұүһі]", re.IGNORECASE)
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
LATIN_WORD = re.compile(r"[a-z]{3,}", re.IGNORECASE)
RUSSIAN_WORDS = re.compile(r"\b(когда|уже|спасибо|дети|нет|очередь|почему|опять|где)\b", re.I)
HEATING = re.compile(r"отоплен|тепл|жылу|батаре|heating|горяч|ыстық", re.IGNORECASE)
NEGATIVE_MARKERS = re.compile(
    r"нет\b|жоқ|холод|мёрзн|мерзн|суық|тоң|позор|безобраз|авари|апат|говорят|дейді|бездел|"
    r"клоун|ответите|аукнется|масқара|ұят|сколько можно|где отоплен|қашан|когда|плевать|"
    r"уволить|сидите|без тепла|без отоплен|ледян|стыдно|отключ|некомпетент|бездар|ворова|"
    r"с ума|мұздай|жылусыз|ешкім|занято|лопнул|диверс|шубах|ужас|zhoq|joq|tonyp|broke down|"
    r"freezing|no heating|😡|🤬|🥶",
    re.IGNORECASE,
)


def parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.utcoffset() is not None, value
    return parsed


def contract_problem(event: Any) -> str | None:
    """A small independent check of CONTRACT §2; the reason, or None if valid."""
    if not isinstance(event, dict):
        return "not an object"
    for name, kind in REQUIRED.items():
        if not isinstance(event.get(name), kind):
            return f"{name} missing or not {kind.__name__}"
    for name, value in event.items():
        if name in REQUIRED:
            continue
        if name not in OPTIONAL:
            return f"unknown field {name}"
        expected = OPTIONAL[name]
        if expected is int and (type(value) is not int or value < 0):
            return f"{name} not a non-negative integer"
        if not isinstance(value, expected):
            return f"{name} not {expected.__name__}"
    if event["platform"] not in PLATFORMS:
        return "unknown platform"
    if not event["account"].strip() or not event["comment_id"].strip():
        return "empty identity"
    timestamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+05:00")
    for name in ("created_at", "edited_at"):
        if name in event and not timestamp.fullmatch(event[name]):
            return f"{name} not ISO 8601 with +05:00"
    if event.get("kind", "comment") not in KINDS:
        return "unknown kind"
    if event.get("kind") == "edit" and "edited_at" not in event:
        return "edit without edited_at"
    if event.get("kind") == "delete" and event["text"] != "":
        return "delete with text"
    if event.get("kind") == "reply" and "parent_id" not in event:
        return "reply without parent"
    return None


@pytest.fixture(scope="module")
def labelled() -> list[tuple[dict[str, Any], demo.Truth]]:
    return list(demo.generate_labelled())


@pytest.fixture(scope="module")
def events(labelled: list[tuple[dict[str, Any], demo.Truth]]) -> list[dict[str, Any]]:
    return [event for event, _ in labelled]


@pytest.fixture(scope="module")
def truth() -> dict[str, dict[str, Any]]:
    return {s["kind"]: s for s in demo.scenarios()}


def citizen(event: dict[str, Any]) -> bool:
    return event.get("kind", "comment") in ("comment", "reply") and not event.get(
        "is_official_reply"
    )


def agency_of(event: dict[str, Any], registry: Registry) -> str:
    return (
        event.get("agency")
        or registry.agency_for_account(event["platform"], event["account"])
        or Registry.fallback_id(event["platform"], event["account"])
    )


def count_in(
    events: list[dict[str, Any]], agency: str, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    registry = Registry.default()
    return [
        e
        for e in events
        if citizen(e)
        and agency_of(e, registry) == agency
        and start <= parse_time(e["created_at"]) < end
    ]


# ------------------------------------------------------------------ the stream


def test_deterministic_for_a_seed() -> None:
    first = list(demo.generate(days=2, seed=3))
    second = list(demo.generate(days=2, seed=3))
    other = list(demo.generate(days=2, seed=4))
    assert first == second
    assert [e["text"] for e in first] != [e["text"] for e in other]


def test_every_event_is_valid(events: list[dict[str, Any]]) -> None:
    problems = [(contract_problem(e), e) for e in events]
    assert [p for p in problems if p[0] is not None][:3] == []


def test_events_are_in_created_at_order(events: list[dict[str, Any]]) -> None:
    times = [parse_time(e["created_at"]) for e in events]
    assert times == sorted(times)


def test_size_of_the_default_stream(events: list[dict[str, Any]]) -> None:
    assert 15_000 <= len(events) <= 40_000
    first, last = parse_time(events[0]["created_at"]), parse_time(events[-1]["created_at"])
    assert timedelta(days=3, hours=12) < last - first <= timedelta(days=4)


def test_identities_and_references(events: list[dict[str, Any]]) -> None:
    comments: dict[tuple[str, str, str], dict[str, Any]] = {}
    for event in events:
        identity = (event["platform"], event["account"], event["comment_id"])
        kind = event.get("kind", "comment")
        if kind in ("comment", "reply"):
            assert identity not in comments, identity
            comments[identity] = event
            if kind == "reply":
                parent = (event["platform"], event["account"], event["parent_id"])
                assert parent in comments, parent
        else:
            original = comments.get(identity)
            assert original is not None, identity
            assert event["created_at"] == original["created_at"]
            if kind == "edit":
                assert event["text"] != original["text"]
                assert parse_time(event["edited_at"]) > parse_time(original["created_at"])
    kinds = Counter(e.get("kind", "comment") for e in events)
    assert kinds["edit"] > 20 and kinds["delete"] > 20
    assert kinds["reply"] > kinds["edit"]


def test_accounts_are_the_registrys(events: list[dict[str, Any]]) -> None:
    registry = Registry.default()
    unknown_accounts = set()
    for event in events:
        owner = registry.agency_for_account(event["platform"], event["account"])
        if "agency" in event:
            assert owner == event["agency"], event
            assert registry.get(event["agency"]) is not None
        if owner is None:
            unknown_accounts.add((event["platform"], event["account"]))
        if event.get("is_official_reply"):
            assert event["author_name"] == event["account"]
    # One unofficial chat no agency owns shows the fallback path (CONTRACT §2).
    assert len(unknown_accounts) == 1


def test_agencies_mix_types_platforms_and_rates(events: list[dict[str, Any]]) -> None:
    registry = Registry.default()
    platforms: dict[str, set[str]] = defaultdict(set)
    per_day: Counter[str] = Counter()
    quiet_day = parse_time(events[0]["created_at"]).date()
    for event in events:
        agency = agency_of(event, registry)
        if registry.get(agency) is None:
            continue
        platforms[agency].add(event["platform"])
        if citizen(event) and parse_time(event["created_at"]).date() == quiet_day:
            per_day[agency] += 1
    assert 6 <= len(platforms) <= 8
    types = {registry.agency(a).type for a in platforms}
    assert {"ministry", "city_akimat", "oblast_akimat", "district_akimat"} <= types
    assert all(len(p) >= 2 for p in platforms.values())
    assert max(len(p) for p in platforms.values()) >= 5
    assert max(per_day.values()) >= 10 * min(per_day.values())


def test_daily_rhythm(events: list[dict[str, Any]]) -> None:
    hours: Counter[int] = Counter()
    for event in events:
        if citizen(event):
            hours[parse_time(event["created_at"]).hour] += 1
    night = sum(hours[h] for h in (2, 3, 4))
    evening = sum(hours[h] for h in (19, 20, 21))
    assert night * 5 < evening


def test_weekend_is_calmer(labelled: list[tuple[dict[str, Any], demo.Truth]]) -> None:
    by_day: Counter[int] = Counter()
    for event, truth in labelled:
        if citizen(event) and truth.scenario is None:
            by_day[parse_time(event["created_at"]).weekday()] += 1
    weekdays = [by_day[d] for d in range(5) if by_day[d]]
    assert by_day[5] < 0.9 * min(weekdays)


def test_threads_and_official_replies(events: list[dict[str, Any]]) -> None:
    top = [e for e in events if e.get("kind") == "comment" and not e.get("is_official_reply")]
    official = [e for e in events if e.get("is_official_reply")]
    threads = [e for e in events if e.get("kind") == "reply" and not e.get("is_official_reply")]
    assert threads and official
    assert all(e.get("kind") == "reply" and e.get("parent_id") for e in official)
    answered = {(e["platform"], e["account"], e["parent_id"]) for e in official}
    assert len(answered) < 0.15 * len(top)  # most citizens get no answer
    texts = [e["text"] for e in official]
    proper = [t for t in texts if t.startswith(("Уважаем", "Құрметті", "Dear"))]
    formal = [t for t in texts if t in ("Принято к сведению.", "Учтено.", "Назарға алынды.")]
    assert len(proper) > 0.2 * len(texts)
    assert formal


def test_likes_and_urls(events: list[dict[str, Any]]) -> None:
    liked = [e["likes"] for e in events if "likes" in e]
    assert len(liked) > 0.3 * len(events)
    assert max(liked) > 50
    urls = [e["url"] for e in events if "url" in e]
    assert len(urls) > 0.1 * len(events)
    assert all(u.startswith("https://") for u in urls)


def test_texts_rarely_repeat(labelled: list[tuple[dict[str, Any], demo.Truth]]) -> None:
    texts = [
        e["text"]
        for e, t in labelled
        if e.get("kind") == "comment" and t.scenario is None and len(e["text"]) > 25
    ]
    assert len(set(texts)) > 0.9 * len(texts)
    assert len(set(texts)) > 3000


def test_languages_are_mixed(events: list[dict[str, Any]]) -> None:
    texts = [e["text"] for e in events if citizen(e)]
    kazakh = [t for t in texts if KAZAKH_LETTERS.search(t)]
    latin_only = [t for t in texts if LATIN_WORD.search(t) and not CYRILLIC.search(t)]
    mixed = [t for t in kazakh if RUSSIAN_WORDS.search(t)]
    english = [
        t for t in latin_only if re.search(r"\b(the|thank|when|is|for|you)\b", t, re.IGNORECASE)
    ]
    latin_kazakh = [
        t
        for t in latin_only
        if re.search(r"(rahmet|joq|zhoq|bolsyn|qashan|kerek|jol|zhol|mektep)", t, re.I)
    ]
    total = len(texts)
    assert len(kazakh) > 0.12 * total
    assert len(mixed) > 0.01 * total
    assert len(latin_kazakh) > 0.01 * total
    assert len(english) > 0.005 * total
    assert sum(1 for t in texts if CYRILLIC.search(t) and not KAZAKH_LETTERS.search(t)) > (
        0.4 * total
    )


def test_truth_labels_cover_the_languages(
    labelled: list[tuple[dict[str, Any], demo.Truth]],
) -> None:
    langs = Counter(t.lang for e, t in labelled if citizen(e))
    total = sum(langs.values())
    for lang in ("ru", "kk", "mixed", "kk_latin", "en"):
        assert langs[lang] > 0.02 * total, lang


def test_roughened_like_real_comments(events: list[dict[str, Any]]) -> None:
    texts = [e["text"] for e in events if citizen(e)]
    assert sum(1 for t in texts if re.search(r"[\U0001F300-\U0001FAFF]", t)) > 0.1 * len(texts)
    assert sum(1 for t in texts if len(t) > 12 and t == t.upper() and CYRILLIC.search(t)) > 20
    assert any(re.search(r"([аоуыэ])\1{3,}", t, re.IGNORECASE) for t in texts)


# ------------------------------------------------------------------ scenarios


def test_scenarios_describe_the_stream(truth: dict[str, dict[str, Any]]) -> None:
    assert set(truth) == {"crisis", "positive_burst"}
    crisis = truth["crisis"]
    assert crisis["agency"] != truth["positive_burst"]["agency"]
    onset = parse_time(crisis["onset"])
    assert onset.date() == (demo.DEFAULT_START + timedelta(days=2)).date()
    assert parse_time(crisis["onset"]) < parse_time(crisis["peak"]) < parse_time(crisis["end"])
    registry = Registry.default()
    for scenario in truth.values():
        assert registry.get(scenario["agency"]) is not None
    assert demo.scenarios(seed=1) == demo.scenarios(seed=2)


def test_crisis_volume_jumps(events: list[dict[str, Any]], truth: dict[str, Any]) -> None:
    crisis = truth["crisis"]
    agency, onset = crisis["agency"], parse_time(crisis["onset"])
    half = timedelta(minutes=30)

    def ratio(start: datetime, length: timedelta) -> float:
        now = len(count_in(events, agency, start, start + length))
        before = [
            len(
                count_in(
                    events, agency, start - timedelta(days=d), start - timedelta(days=d) + length
                )
            )
            for d in (1, 2)
        ]
        return now / max(1.0, sum(before) / len(before))

    assert ratio(onset - timedelta(hours=2), timedelta(hours=2)) < 2
    assert 8 <= ratio(onset + half, half) <= 20  # within 30 minutes
    assert ratio(onset, timedelta(hours=3)) >= 8
    peak_hour = len(count_in(events, agency, onset + half, onset + 3 * half))
    end = parse_time(crisis["end"])
    last_hour = len(count_in(events, agency, end - timedelta(hours=1), end))
    assert last_hour < peak_hour / 3  # decays
    assert ratio(end + timedelta(hours=2), timedelta(hours=3)) < 2


def test_crisis_is_negative_and_about_heating(
    events: list[dict[str, Any]], truth: dict[str, Any]
) -> None:
    crisis = truth["crisis"]
    onset = parse_time(crisis["onset"])
    window = count_in(events, crisis["agency"], onset, onset + timedelta(hours=4))
    before = count_in(
        events, crisis["agency"], onset - timedelta(days=1), onset - timedelta(days=1, hours=-4)
    )

    def share(pattern: re.Pattern[str], items: list[dict[str, Any]]) -> float:
        return sum(1 for e in items if pattern.search(e["text"])) / len(items)

    assert share(NEGATIVE_MARKERS, window) > 0.6
    assert share(NEGATIVE_MARKERS, window) > share(NEGATIVE_MARKERS, before) + 0.2
    assert share(HEATING, window) > 0.35
    assert share(HEATING, before) < 0.15
    assert sum(1 for e in window if re.search(r"говорят|дейді|пишут|слышал", e["text"], re.I)) > 20
    platforms = Counter(e["platform"] for e in window)
    assert sum(1 for count in platforms.values() if count > 0.05 * len(window)) >= 3


def test_crisis_truth_is_mostly_negative(
    labelled: list[tuple[dict[str, Any], demo.Truth]], truth: dict[str, Any]
) -> None:
    crisis_id = truth["crisis"]["id"]
    labels = Counter(t.sentiment for e, t in labelled if t.scenario == crisis_id and citizen(e))
    assert labels["negative"] > 0.8 * sum(labels.values())
    aggression = Counter(t.aggression for e, t in labelled if t.scenario == crisis_id)
    assert aggression["aggression"] > 50 and 5 < aggression["strong"] < aggression["aggression"]


def test_positive_burst(events: list[dict[str, Any]], truth: dict[str, Any]) -> None:
    burst = truth["positive_burst"]
    onset = parse_time(burst["onset"])
    window = count_in(events, burst["agency"], onset, onset + timedelta(hours=1, minutes=30))
    before = count_in(
        events,
        burst["agency"],
        onset - timedelta(days=1),
        onset - timedelta(days=1) + timedelta(hours=1, minutes=30),
    )
    assert len(window) > 4 * max(1, len(before))
    authors = {e["author_id"] for e in window}
    assert len(authors) > 0.9 * len(window)

    def core(text: str) -> str:
        return re.sub(r"[^\w ]", "", text.lower()).strip()

    common = Counter(core(e["text"]) for e in window).most_common(15)
    assert sum(count for _, count in common) > 0.6 * len(window)  # near-identical texts


def test_coordinated_spam(events: list[dict[str, Any]]) -> None:
    campaign = demo.coordinated_campaigns()[0]
    spam = [e for e in events if e["text"] in campaign["texts"] and e.get("kind") == "comment"]
    assert len({e["author_name"] for e in spam}) >= 4
    assert len({e["account"] for e in spam}) >= 3
    times = [parse_time(e["created_at"]) for e in spam]
    assert max(times) - min(times) <= timedelta(minutes=20)


def test_start_and_days_move_the_scenarios() -> None:
    start = datetime(2026, 1, 12, tzinfo=demo.TZ)
    found = {s["kind"]: s for s in demo.scenarios(days=3, start=start)}
    assert parse_time(found["crisis"]["onset"]).date().isoformat() == "2026-01-14"
    assert found["positive_burst"]["id"] == "road-thanks-astana"
    events = list(demo.generate(days=1, seed=5, start=start))
    assert events and all(e["created_at"].startswith("2026-01-12") for e in events)


def test_days_must_be_positive() -> None:
    with pytest.raises(ValueError):
        list(demo.generate(days=0))


# --------------------------------------------------------------- bundled file


def test_bundled_file_equals_the_generator(events: list[dict[str, Any]]) -> None:
    path = demo.bundled_path()
    assert path.stat().st_size < 2_500_000
    assert list(demo.bundled_events()) == events
    shipped = json.loads((path.parent / "scenarios.json").read_text(encoding="utf-8"))
    assert shipped == demo.scenarios()


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "out.jsonl"
    scenarios_file = tmp_path / "scenarios.json"
    code = demo.main(
        ["--output", str(output), "--days", "1", "--seed", "2", "--scenarios", str(scenarios_file)]
    )
    assert code == 0
    lines = output.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == list(demo.generate(days=1, seed=2))
    printed = capsys.readouterr().out
    assert f"wrote {len(lines)} events" in printed
    assert json.loads(scenarios_file.read_text(encoding="utf-8")) == demo.scenarios(days=1, seed=2)

    gz = tmp_path / "out.jsonl.gz"
    demo.main(["--output", str(gz), "--days", "1", "--seed", "2"])
    with gzip.open(gz, "rt", encoding="utf-8") as handle:
        assert handle.read().splitlines() == lines


@pytest.mark.parametrize("args", [["--days", "0"], ["--start", "yesterday"], []])
def test_command_line_rejects_bad_arguments(tmp_path: Path, args: list[str]) -> None:
    output = ["--output", str(tmp_path / "x.jsonl")] if args else []
    with pytest.raises(SystemExit) as caught:
        demo.main(output + args)
    assert caught.value.code != 0
