"""The agency registry: Kazakhstan's regions and the government bodies Qulaq listens to.

The registry ships as package data (``qulaq/data/agencies.yaml``). A deployment
adds its own agencies and confirmed accounts in extra YAML files of the same
shape; an entry in a later file whose id already exists updates only the fields
it gives, so a file may hold nothing but ``{id: akimat-almaty, accounts: [...]}``.

Comments on an account that no agency claims belong to a synthetic agency whose
id is made from platform and account (CONTRACT §2); :meth:`Registry.agency`
returns such an agency with ``known=False`` so every output can show it.

Agencies are reorganised: an agency that ended has ``valid_to`` and names its
``successors``; :meth:`Registry.resolve` says which body was responsible for an
id at a given date.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from qulaq.errors import UserError, os_reason
from qulaq.i18n import name, register_names

PLATFORMS: frozenset[str] = frozenset(
    {"instagram", "facebook", "vk", "telegram", "x", "youtube", "tiktok", "web"}
)
AGENCY_TYPES: frozenset[str] = frozenset(
    {"ministry", "oblast_akimat", "city_akimat", "district_akimat", "rural_akimat"}
)
UNKNOWN_TYPE = "unknown"
# key: (en, ru, kk); for the dashboard and `qulaq agencies list`
AGENCY_TYPE_NAMES: dict[str, tuple[str, str, str]] = {
    "ministry": ("Ministry", "Министерство", "Министрлік"),
    "oblast_akimat": ("Oblast akimat", "Акимат области", "Облыс әкімдігі"),
    "city_akimat": ("City akimat", "Акимат города", "Қала әкімдігі"),
    "district_akimat": ("District akimat", "Акимат района", "Аудан әкімдігі"),
    "rural_akimat": ("Rural akimat", "Сельский акимат", "Ауыл әкімдігі"),
    UNKNOWN_TYPE: ("Not in the registry", "Нет в реестре", "Тізілімде жоқ"),
}
register_names("registry", {"type": AGENCY_TYPE_NAMES})


def agency_type_name(agency_type: str, lang: str | None = None) -> str:
    """An agency type named in `lang`; an unknown one as it is."""
    return name("registry", "type", agency_type, lang)


TOPICS: tuple[str, ...] = (
    "housing_utilities",
    "roads_transport",
    "land",
    "social_payments",
    "health",
    "education",
    "employment",
    "taxes",
    "ecology",
    "emergencies",
    "corruption",
    "public_services",
)
LANGS: tuple[str, ...] = ("kk", "ru", "en")

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_AGENCY_KEYS = frozenset(
    {
        "id",
        "name",
        "type",
        "region",
        "parent",
        "competence",
        "keywords",
        "accounts",
        "valid_from",
        "valid_to",
        "predecessors",
        "successors",
        "former_names",
        "note",
    }
)
_REQUIRED_AGENCY_KEYS = ("name", "type", "competence")
_ACCOUNT_KEYS = frozenset({"platform", "handle", "id", "url", "verified", "followers", "note"})
_REGION_KEYS = frozenset({"id", "iso", "name", "centroid", "former_names"})
_FORMER_NAME_DATES = frozenset({"from", "to", "approximate"})


class RegistryError(UserError, ValueError):
    """An invalid registry file; the message is one line naming file, entry and field."""


@dataclass(frozen=True, slots=True)
class Account:
    platform: str
    handle: str
    id: str | None = None
    url: str | None = None
    verified: bool = False
    followers: int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class FormerName:
    name_kk: str
    name_ru: str
    name_en: str
    valid_from: date | None = None
    valid_to: date | None = None
    approximate: bool = False


def _pick_name(names: Mapping[str, str], lang: str, fallback: str) -> str:
    # Russian is the language every body has a name in; Kazakh next.
    for candidate in (lang, "ru", "kk", "en"):
        value = names.get(candidate)
        if value:
            return value
    return fallback


@dataclass(frozen=True, slots=True)
class Agency:
    id: str
    name_kk: str
    name_ru: str
    name_en: str
    type: str
    region: str | None
    parent: str | None
    competence: tuple[str, ...]
    keywords: tuple[str, ...]
    accounts: tuple[Account, ...]
    valid_from: date | None
    valid_to: date | None
    predecessors: tuple[str, ...]
    successors: tuple[str, ...]
    known: bool = True
    former_names: tuple[FormerName, ...] = ()
    note: str | None = None

    def name(self, lang: str) -> str:
        """The name in ``lang`` ('kk', 'ru' or 'en'), else Russian, Kazakh, English."""
        names = {"kk": self.name_kk, "ru": self.name_ru, "en": self.name_en}
        return _pick_name(names, lang, self.id)

    def active(self, at: date) -> bool:
        """Whether the body existed on ``at`` (both bounds inclusive)."""
        if self.valid_from is not None and at < self.valid_from:
            return False
        return self.valid_to is None or at <= self.valid_to

    def name_at(self, lang: str, at: date) -> str:
        """The name the body bore on ``at``, following ``former_names``."""
        for former in self.former_names:
            after_start = former.valid_from is None or at >= former.valid_from
            before_end = former.valid_to is None or at <= former.valid_to
            if after_start and before_end:
                names = {"kk": former.name_kk, "ru": former.name_ru, "en": former.name_en}
                return _pick_name(names, lang, self.id)
        return self.name(lang)


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    iso: str | None
    name_kk: str
    name_ru: str
    name_en: str
    lat: float
    lon: float
    former_names: tuple[FormerName, ...] = ()

    def name(self, lang: str) -> str:
        names = {"kk": self.name_kk, "ru": self.name_ru, "en": self.name_en}
        return _pick_name(names, lang, self.id)


def normalise_account(account: str) -> str:
    """An account handle or id as compared: trimmed, lower-case, without a leading '@'."""
    return account.strip().lstrip("@").lower()


def _package_file() -> Path:
    return Path(str(resources.files("qulaq").joinpath("data", "agencies.yaml")))


def _yaml_load(path: Path) -> Any:
    import yaml  # deferred: commands that never touch the registry skip the import

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with path.open("rb") as handle:
            return yaml.load(handle, Loader=loader)
    except OSError as exc:
        raise RegistryError.t("file.unreadable", path=path, reason=os_reason(exc)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if mark is None:
            raise RegistryError.t("registry.bad_yaml", path=path, problem=problem) from None
        raise RegistryError.t(
            "registry.bad_yaml_line", path=path, line=mark.line + 1, problem=problem
        ) from None


def _agency(agency_id: object) -> UserError:
    """'agency …', for `_Checker.fail`."""
    return UserError.t("registry.entry.agency", id=agency_id)


def _region(region_id: object) -> UserError:
    """'region …', for `_Checker.fail`."""
    return UserError.t("registry.entry.region", id=region_id)


class _Checker:
    """Builds typed objects from parsed YAML, raising one-line errors."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, entry: UserError, field_name: str, problem: UserError) -> RegistryError:
        """The error for `field_name` of `entry` (`_agency(id)`, `_region(id)`): `problem`
        says what is wrong with it."""
        return RegistryError.t(
            "registry.field", file=self.file, entry=entry, field=field_name, problem=problem
        )

    def text(self, value: Any, entry: UserError, field_name: str, *, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(entry, field_name, UserError.t("registry.non_empty_string"))
        return value.strip()

    def optional_text(self, value: Any, entry: UserError, field_name: str) -> str | None:
        if value is None:
            return None
        return self.text(value, entry, field_name)

    def day(self, value: Any, entry: UserError, field_name: str) -> date | None:
        if value is None:
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(entry, field_name, UserError.t("registry.not_date", value=value))

    def id_list(self, value: Any, entry: UserError, field_name: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(entry, field_name, UserError.t("registry.not_list"))
        return tuple(self.text(item, entry, field_name) for item in value)

    def names(
        self,
        value: Any,
        entry: UserError,
        field_name: str = "name",
        also: frozenset[str] = frozenset(),
    ) -> tuple[str, str, str]:
        if not isinstance(value, dict):
            raise self.fail(entry, field_name, UserError.t("registry.not_names"))
        extra = set(value) - set(LANGS) - also
        if extra:
            raise self.fail(
                entry, field_name, UserError.t("registry.unknown_key_named", name=sorted(extra)[0])
            )
        kk, ru, en = (self.text(value.get(lang), entry, f"{field_name}.{lang}") for lang in LANGS)
        return kk, ru, en

    def former_names(self, value: Any, entry: UserError) -> tuple[FormerName, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(entry, "former_names", UserError.t("registry.not_list"))
        result = []
        for item in value:
            if not isinstance(item, dict):
                raise self.fail(entry, "former_names", UserError.t("registry.items_not_mappings"))
            kk, ru, en = self.names(item, entry, "former_names", _FORMER_NAME_DATES)
            start = self.day(item.get("from"), entry, "former_names.from")
            end = self.day(item.get("to"), entry, "former_names.to")
            if start and end and end < start:
                raise self.fail(entry, "former_names", UserError.t("registry.to_before_from"))
            result.append(FormerName(kk, ru, en, start, end, bool(item.get("approximate", False))))
        return tuple(result)

    def account(self, value: Any, entry: UserError, index: int) -> Account:
        label = f"accounts[{index}]"
        if not isinstance(value, dict):
            raise self.fail(entry, label, UserError.t("registry.not_mapping"))
        unknown = set(value) - _ACCOUNT_KEYS
        if unknown:
            raise self.fail(
                entry, f"{label}.{sorted(unknown)[0]}", UserError.t("registry.unknown_key")
            )
        platform = self.text(value.get("platform"), entry, f"{label}.platform")
        if platform not in PLATFORMS:
            raise self.fail(
                entry,
                f"{label}.platform",
                UserError.t("registry.not_one_of", value=platform, choices=sorted(PLATFORMS)),
            )
        handle = self.text(value.get("handle"), entry, f"{label}.handle").lstrip("@")
        verified = value.get("verified", False)
        if not isinstance(verified, bool):
            raise self.fail(entry, f"{label}.verified", UserError.t("registry.not_bool"))
        followers = value.get("followers")
        if followers is not None and (
            not isinstance(followers, int) or isinstance(followers, bool) or followers < 0
        ):
            raise self.fail(entry, f"{label}.followers", UserError.t("registry.not_count"))
        return Account(
            platform=platform,
            handle=handle,
            id=self.optional_text(value.get("id"), entry, f"{label}.id"),
            url=self.optional_text(value.get("url"), entry, f"{label}.url"),
            verified=verified,
            followers=followers,
            note=self.optional_text(value.get("note"), entry, f"{label}.note"),
        )

    def region(self, value: Any, index: int) -> Region:
        if not isinstance(value, dict):
            raise RegistryError.t("registry.region_not_mapping", file=self.file, index=index)
        entry = _region(value.get("id", f"#{index}"))
        unknown = set(value) - _REGION_KEYS
        if unknown:
            raise self.fail(entry, sorted(unknown)[0], UserError.t("registry.unknown_key"))
        region_id = self.text(value.get("id"), entry, "id")
        if not _ID_RE.match(region_id):
            raise self.fail(entry, "id", UserError.t("registry.not_kebab"))
        kk, ru, en = self.names(value.get("name"), entry)
        centroid = value.get("centroid")
        if (
            not isinstance(centroid, list)
            or len(centroid) != 2
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in centroid)
        ):
            raise self.fail(entry, "centroid", UserError.t("registry.not_centroid"))
        lat, lon = float(centroid[0]), float(centroid[1])
        # Kazakhstan lies within roughly 40-56 N, 46-88 E.
        if not (40.0 <= lat <= 56.0 and 46.0 <= lon <= 88.0):
            raise self.fail(entry, "centroid", UserError.t("registry.outside_kz", lat=lat, lon=lon))
        iso = self.optional_text(value.get("iso"), entry, "iso")
        if iso is not None and not re.fullmatch(r"KZ-\d{2}", iso):
            raise self.fail(entry, "iso", UserError.t("registry.not_iso", value=iso))
        former = self.former_names(value.get("former_names"), entry)
        return Region(region_id, iso, kk, ru, en, lat, lon, former)

    def agency(self, value: dict[str, Any]) -> Agency:
        agency_id = value["id"]
        entry = _agency(agency_id)
        kk, ru, en = self.names(value.get("name"), entry)
        agency_type = self.text(value.get("type"), entry, "type")
        if agency_type not in AGENCY_TYPES:
            raise self.fail(
                entry,
                "type",
                UserError.t("registry.not_one_of", value=agency_type, choices=sorted(AGENCY_TYPES)),
            )
        competence = self.id_list(value.get("competence"), entry, "competence")
        for topic in competence:
            if topic not in TOPICS:
                raise self.fail(
                    entry, "competence", UserError.t("registry.unknown_topic", value=topic)
                )
        keywords = self.id_list(value.get("keywords"), entry, "keywords")
        raw_accounts = value.get("accounts") or []
        if not isinstance(raw_accounts, list):
            raise self.fail(entry, "accounts", UserError.t("registry.not_list"))
        accounts = tuple(self.account(a, entry, i) for i, a in enumerate(raw_accounts))
        valid_from = self.day(value.get("valid_from"), entry, "valid_from")
        valid_to = self.day(value.get("valid_to"), entry, "valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            raise self.fail(entry, "valid_to", UserError.t("registry.before_valid_from"))
        return Agency(
            id=agency_id,
            name_kk=kk,
            name_ru=ru,
            name_en=en,
            type=agency_type,
            region=self.optional_text(value.get("region"), entry, "region"),
            parent=self.optional_text(value.get("parent"), entry, "parent"),
            competence=competence,
            keywords=keywords,
            accounts=accounts,
            valid_from=valid_from,
            valid_to=valid_to,
            predecessors=self.id_list(value.get("predecessors"), entry, "predecessors"),
            successors=self.id_list(value.get("successors"), entry, "successors"),
            former_names=self.former_names(value.get("former_names"), entry),
            note=self.optional_text(value.get("note"), entry, "note"),
        )


def _read_document(path: Path) -> tuple[list[Any], list[Any]]:
    data = _yaml_load(path)
    if data is None:
        return [], []
    if not isinstance(data, dict):
        raise RegistryError.t("registry.not_document", path=path)
    unknown = set(data) - {"version", "regions", "agencies"}
    if unknown:
        raise RegistryError.t("registry.unknown_top_key", path=path, name=sorted(unknown)[0])
    regions = data.get("regions") or []
    agencies = data.get("agencies") or []
    if not isinstance(regions, list):
        raise RegistryError.t("registry.top_not_list", path=path, name="regions")
    if not isinstance(agencies, list):
        raise RegistryError.t("registry.top_not_list", path=path, name="agencies")
    return regions, agencies


def _overlaps(a: Agency, b: Agency) -> bool:
    a_start, b_start = a.valid_from or date.min, b.valid_from or date.min
    a_end, b_end = a.valid_to or date.max, b.valid_to or date.max
    return a_start <= b_end and b_start <= a_end


class Registry:
    """Regions and agencies, with account lookup and reorganisation history."""

    def __init__(self, regions: Iterable[Region], agencies: Iterable[Agency]) -> None:
        self._regions: dict[str, Region] = {r.id: r for r in regions}
        self._agencies: dict[str, Agency] = {a.id: a for a in agencies}
        # (platform, normalised handle or id) -> owners, latest first
        self._by_account: dict[tuple[str, str], list[Agency]] = {}
        for agency in self._agencies.values():
            for account in agency.accounts:
                keys = {normalise_account(account.handle)}
                if account.id:
                    keys.add(normalise_account(account.id))
                for key in keys:
                    self._by_account.setdefault((account.platform, key), []).append(agency)
        for owners in self._by_account.values():
            owners.sort(key=lambda a: a.valid_from or date.min, reverse=True)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, extra: Iterable[str | Path] = ()) -> Registry:
        """The package registry plus ``extra`` YAML files, later files overriding by id."""
        return cls._load_files([_package_file(), *(Path(p) for p in extra)])

    @classmethod
    def default(cls) -> Registry:
        """The package registry alone, loaded once per process."""
        return _default_registry()

    @classmethod
    def _load_files(cls, paths: list[Path]) -> Registry:
        regions: dict[str, Region] = {}
        raw_agencies: dict[str, dict[str, Any]] = {}
        origin: dict[str, str] = {}
        for path in paths:
            checker = _Checker(str(path))
            raw_regions, raw_list = _read_document(path)
            for index, raw in enumerate(raw_regions):
                region = checker.region(raw, index)
                regions[region.id] = region
            seen_here: set[str] = set()
            for index, raw in enumerate(raw_list):
                if not isinstance(raw, dict):
                    raise RegistryError.t("registry.agency_not_mapping", file=path, index=index)
                agency_id = raw.get("id")
                if not isinstance(agency_id, str) or not _ID_RE.match(agency_id):
                    raise RegistryError.t(
                        "registry.agency_bad_id", file=path, index=index, id=agency_id
                    )
                if agency_id in seen_here:
                    raise RegistryError.t("registry.duplicate_id", file=path, id=agency_id)
                seen_here.add(agency_id)
                unknown = set(raw) - _AGENCY_KEYS
                if unknown:
                    raise checker.fail(
                        _agency(agency_id), sorted(unknown)[0], UserError.t("registry.unknown_key")
                    )
                if agency_id in raw_agencies:
                    raw_agencies[agency_id] = {**raw_agencies[agency_id], **raw}
                else:
                    missing = [k for k in _REQUIRED_AGENCY_KEYS if k not in raw]
                    if missing:
                        raise checker.fail(
                            _agency(agency_id), missing[0], UserError.t("registry.missing")
                        )
                    raw_agencies[agency_id] = dict(raw)
                origin[agency_id] = str(path)
        agencies = [_Checker(origin[aid]).agency(raw) for aid, raw in raw_agencies.items()]
        registry = cls(regions.values(), agencies)
        registry._check_references(origin)
        return registry

    def _check_references(self, origin: Mapping[str, str]) -> None:
        for agency in self._agencies.values():
            checker = _Checker(origin.get(agency.id, "registry"))
            entry = _agency(agency.id)
            if agency.region is not None and agency.region not in self._regions:
                raise checker.fail(
                    entry, "region", UserError.t("registry.unknown_region", id=agency.region)
                )
            if agency.type == "ministry" and agency.region is not None:
                raise checker.fail(entry, "region", UserError.t("registry.ministry_region"))
            if agency.type != "ministry" and agency.region is None:
                raise checker.fail(entry, "region", UserError.t("registry.local_needs_region"))
            if agency.parent is not None:
                if agency.parent not in self._agencies:
                    raise checker.fail(
                        entry, "parent", UserError.t("registry.unknown_agency", id=agency.parent)
                    )
                if agency.parent == agency.id:
                    raise checker.fail(entry, "parent", UserError.t("registry.own_parent"))
            for field_name, ids in (
                ("predecessors", agency.predecessors),
                ("successors", agency.successors),
            ):
                for other in ids:
                    if other not in self._agencies:
                        raise checker.fail(
                            entry, field_name, UserError.t("registry.unknown_agency", id=other)
                        )
            if agency.successors and agency.valid_to is None:
                raise checker.fail(entry, "valid_to", UserError.t("registry.successors_ended"))
            for successor_id in agency.successors:
                successor = self._agencies[successor_id]
                if agency.id not in successor.predecessors:
                    raise checker.fail(
                        entry,
                        "successors",
                        UserError.t(
                            "registry.not_predecessor", successor=successor_id, agency=agency.id
                        ),
                    )
        self._check_parent_cycles(origin)
        self._check_account_owners(origin)

    def _check_parent_cycles(self, origin: Mapping[str, str]) -> None:
        for agency in self._agencies.values():
            seen = {agency.id}
            parent = agency.parent
            while parent is not None:
                if parent in seen:
                    raise _Checker(origin.get(agency.id, "registry")).fail(
                        _agency(agency.id), "parent", UserError.t("registry.parent_cycle")
                    )
                seen.add(parent)
                parent = self._agencies[parent].parent

    def _check_account_owners(self, origin: Mapping[str, str]) -> None:
        for (platform, key), owners in self._by_account.items():
            for i, first in enumerate(owners):
                for second in owners[i + 1 :]:
                    if first.id != second.id and _overlaps(first, second):
                        raise _Checker(origin.get(second.id, "registry")).fail(
                            _agency(second.id),
                            "accounts",
                            UserError.t(
                                "registry.account_claimed",
                                platform=platform,
                                account=key,
                                other=first.id,
                            ),
                        )

    # ------------------------------------------------------------------ queries
    def get(self, agency_id: str) -> Agency | None:
        return self._agencies.get(agency_id)

    def agency(self, agency_id: str) -> Agency:
        """The registered agency, or a synthetic one (``known=False``) named by its id."""
        found = self._agencies.get(agency_id)
        if found is not None:
            return found
        return self.unknown_agency(agency_id)

    @staticmethod
    def unknown_agency(agency_id: str) -> Agency:
        platform, sep, account = agency_id.partition(":")
        accounts: tuple[Account, ...] = ()
        if sep and platform in PLATFORMS and account:
            accounts = (Account(platform=platform, handle=account),)
        return Agency(
            id=agency_id,
            name_kk=agency_id,
            name_ru=agency_id,
            name_en=agency_id,
            type=UNKNOWN_TYPE,
            region=None,
            parent=None,
            competence=(),
            keywords=(),
            accounts=accounts,
            valid_from=None,
            valid_to=None,
            predecessors=(),
            successors=(),
            known=False,
        )

    def agency_for_account(self, platform: str, account: str, at: date | None = None) -> str | None:
        """The agency owning a handle or account id on ``platform``.

        With ``at``, the owner on that date; without, the current owner or, if
        none is active today, the latest one.
        """
        owners = self._by_account.get((platform.strip().lower(), normalise_account(account)))
        if not owners:
            return None
        when = at or date.today()
        for owner in owners:
            if owner.active(when):
                return owner.id
        if at is not None:
            return None
        return owners[0].id

    @staticmethod
    def fallback_id(platform: str, account: str) -> str:
        """The id of an agency not in the registry: ``platform:account``, normalised."""
        return f"{platform.strip().lower()}:{normalise_account(account)}"

    def resolve(self, agency_id: str, at: date) -> tuple[str, ...]:
        """The body or bodies responsible for ``agency_id`` on ``at``.

        An agency active on that date is responsible for itself. After it ended,
        responsibility passes to its successors (followed transitively); before
        it began, to the predecessors that were active then. Unknown ids resolve
        to themselves.
        """
        result: list[str] = []
        self._resolve_into(agency_id, at, result, set())
        return tuple(result) if result else (agency_id,)

    def _resolve_into(self, agency_id: str, at: date, out: list[str], seen: set[str]) -> None:
        if agency_id in seen:
            return
        seen.add(agency_id)
        agency = self._agencies.get(agency_id)
        if agency is None or agency.active(at):
            if agency_id not in out:
                out.append(agency_id)
            return
        if agency.valid_to is not None and at > agency.valid_to:
            following = agency.successors
        else:
            following = agency.predecessors
        if not following:
            # Nobody took over (or nobody came before): the body answers for itself.
            if agency_id not in out:
                out.append(agency_id)
            return
        for other in following:
            self._resolve_into(other, at, out, seen)

    def agencies(self, types: Iterable[str] | None = None) -> list[Agency]:
        """Every agency, optionally only those of the given types, in registry order."""
        if types is None:
            return list(self._agencies.values())
        wanted = set(types)
        return [a for a in self._agencies.values() if a.type in wanted]

    def children(self, agency_id: str) -> list[Agency]:
        """Agencies whose parent is ``agency_id``."""
        return [a for a in self._agencies.values() if a.parent == agency_id]

    def regions(self) -> list[Region]:
        return list(self._regions.values())

    def region(self, region_id: str) -> Region | None:
        return self._regions.get(region_id)

    def __len__(self) -> int:
        return len(self._agencies)

    def __contains__(self, agency_id: object) -> bool:
        return agency_id in self._agencies


@functools.cache
def _default_registry() -> Registry:
    return Registry.load()
