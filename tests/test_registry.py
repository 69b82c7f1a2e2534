from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
import yaml

from qulaq.registry import (
    AGENCY_TYPES,
    PLATFORMS,
    TOPICS,
    Agency,
    Registry,
    RegistryError,
)

PACKAGE_YAML = Path(__file__).resolve().parents[1] / "qulaq" / "data" / "agencies.yaml"

# Facts about Kazakhstan, not about the file: ISO 3166-2:KZ after the 2022 reform.
ISO_CODES = {
    "KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39",
    "KZ-43", "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79",
}  # fmt: skip
CITIES_OF_REPUBLICAN_SIGNIFICANCE = {"KZ-71", "KZ-75", "KZ-79"}

# The 21 bodies of the 2022 study (seed 000, lines 233-255), as the report names them.
STUDIED_BODIES = [
    "Министерство информации и общественного развития",
    "Министерство здравоохранения",
    "Министерство образования и науки",
    "Министерство труда и социальной защиты населения",
    "Министерство экологии, геологии и природных ресурсов",
    "Министерство финансов",
    "Акимат города Астаны",
    "Акимат города Алматы",
    "Акимат города Шымкента",
    "Акимат Северо-Казахстанской области",
    "Акимат города Петропавловска",
    "Акимат Айыртауского района",
    "Акимат Мамлютского района",
    "Акимат Елецкого сельского округа",
    "Акимат Дубровинского сельского округа",
    "Акимат Западно-Казахстанской области",
    "Акимат города Уральска",
    "Акимат Таскалинского района",
    "Акимат Акжаикского района",
    "Акимат Мерейского сельского округа",
    "Акимат Аксуатского сельского округа",
]

# The only account handles the seeds print (000 L705, L1004).
HANDLES_IN_SEEDS = {"petropavl_109_bot", "bilim1450bot"}

KAZAKH_LETTERS = set("әғқңөұүһі")


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.default()


def write(tmp_path: Path, text: str, name: str = "extra.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the shipped data


def test_raw_file_has_unique_ids() -> None:
    data = yaml.safe_load(PACKAGE_YAML.read_text(encoding="utf-8"))
    agency_ids = [a["id"] for a in data["agencies"]]
    region_ids = [r["id"] for r in data["regions"]]
    assert len(agency_ids) == len(set(agency_ids))
    assert len(region_ids) == len(set(region_ids))


def test_ids_are_kebab_case(registry: Registry) -> None:
    pattern = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
    for agency in registry.agencies():
        assert pattern.match(agency.id), agency.id
    for region in registry.regions():
        assert pattern.match(region.id), region.id


def test_regions_are_the_oblasts_and_cities_of_kazakhstan(registry: Registry) -> None:
    regions = registry.regions()
    assert {r.iso for r in regions} == ISO_CODES
    assert len(regions) == len(ISO_CODES)
    for region in regions:
        assert region.name_kk and region.name_ru and region.name_en
        assert 40.5 < region.lat < 55.5 and 46.5 < region.lon < 87.5, region.id
    new_regions = {r.name_en for r in regions}
    assert {"Abai Region", "Jetisu Region", "Ulytau Region"} <= new_regions


def test_every_region_has_its_top_akimat(registry: Registry) -> None:
    for region in registry.regions():
        expected = (
            "city_akimat" if region.iso in CITIES_OF_REPUBLICAN_SIGNIFICANCE else "oblast_akimat"
        )
        tops = [
            a for a in registry.agencies([expected]) if a.region == region.id and a.parent is None
        ]
        assert len(tops) == 1, (region.id, [a.id for a in tops])


def test_names_in_three_languages(registry: Registry) -> None:
    for agency in registry.agencies():
        for lang in ("kk", "ru", "en"):
            assert agency.name(lang).strip(), (agency.id, lang)
        assert not re.search(r"[A-Za-z]", agency.name_ru), agency.id
        assert not re.search(r"[A-Za-z]", agency.name_kk), agency.id
        assert not re.search(r"[А-Яа-яЁё]", agency.name_en), agency.id
        if agency.type == "ministry":
            assert agency.name_kk.endswith("министрлігі"), agency.name_kk
            assert agency.name_ru.startswith("Министерство"), agency.name_ru
        else:
            assert "әкім" in agency.name_kk, agency.name_kk
            assert agency.name_ru.startswith(("Акимат", "Аппарат акима")), agency.name_ru


def test_kazakh_names_use_kazakh_letters(registry: Registry) -> None:
    # Kazakh spelling with ә ғ қ ң ө ұ ү һ і, not Russian look-alikes: every
    # akimat's Kazakh name contains "әкім", every ministry's "министрлігі" (і).
    for agency in registry.agencies():
        assert set(agency.name_kk.lower()) & KAZAKH_LETTERS, agency.name_kk


def test_types_topics_and_platforms(registry: Registry) -> None:
    for agency in registry.agencies():
        assert agency.type in AGENCY_TYPES
        assert set(agency.competence) <= set(TOPICS), agency.id
        assert len(agency.competence) == len(set(agency.competence)), agency.id
        for account in agency.accounts:
            assert account.platform in PLATFORMS
            assert account.handle and not account.handle.startswith("@")


def test_references_exist(registry: Registry) -> None:
    region_ids = {r.id for r in registry.regions()}
    for agency in registry.agencies():
        if agency.type == "ministry":
            assert agency.region is None, agency.id
        else:
            assert agency.region in region_ids, agency.id
        if agency.parent is not None:
            parent = registry.get(agency.parent)
            assert parent is not None, agency.id
            assert parent.region == agency.region, agency.id
        for other in agency.predecessors + agency.successors:
            assert registry.get(other) is not None, (agency.id, other)


def test_local_hierarchy(registry: Registry) -> None:
    allowed_parents = {
        "district_akimat": {"oblast_akimat", "city_akimat"},
        "rural_akimat": {"district_akimat"},
    }
    for agency in registry.agencies():
        if agency.type in allowed_parents:
            parent = registry.get(agency.parent or "")
            assert parent is not None and parent.type in allowed_parents[agency.type], agency.id
        if agency.type in ("ministry", "oblast_akimat"):
            assert agency.parent is None, agency.id


def test_history_is_consistent(registry: Registry) -> None:
    for agency in registry.agencies():
        if agency.successors:
            assert agency.valid_to is not None, agency.id
        for successor_id in agency.successors:
            successor = registry.agency(successor_id)
            assert agency.id in successor.predecessors
            assert successor.valid_from is not None and agency.valid_to is not None
            assert successor.valid_from > agency.valid_to, (agency.id, successor_id)


def test_no_account_claimed_twice_at_once(registry: Registry) -> None:
    owners: dict[tuple[str, str], list[Agency]] = defaultdict(list)
    for agency in registry.agencies():
        for account in agency.accounts:
            owners[(account.platform, account.handle.lower())].append(agency)
    for key, claimants in owners.items():
        for i, first in enumerate(claimants):
            for second in claimants[i + 1 :]:
                first_end = first.valid_to or date.max
                second_end = second.valid_to or date.max
                apart = first_end < (second.valid_from or date.min) or second_end < (
                    first.valid_from or date.min
                )
                assert apart, (key, first.id, second.id)


def test_only_handles_from_the_seeds_are_verified(registry: Registry) -> None:
    for agency in registry.agencies():
        for account in agency.accounts:
            if account.verified:
                assert account.handle.lower() in HANDLES_IN_SEEDS, (agency.id, account.handle)


def test_seed_bodies_are_present(registry: Registry) -> None:
    known = set()
    for agency in registry.agencies():
        known.add(agency.name_ru.lower())
        known.update(f.name_ru.lower() for f in agency.former_names)
        known.update(k.lower() for k in agency.keywords)
    assert [body for body in STUDIED_BODIES if body.lower() not in known] == []


def test_seed_named_ministries_are_present(registry: Registry) -> None:
    names = {a.name_ru for a in registry.agencies(["ministry"])}
    for name in (
        "Министерство просвещения",
        "Министерство науки и высшего образования",
        "Министерство внутренних дел",
        "Министерство по чрезвычайным ситуациям",
        "Министерство энергетики",
        "Министерство сельского хозяйства",
        "Министерство юстиции",
        "Министерство индустрии и инфраструктурного развития",
    ):
        assert name in names


def test_rural_akimats_have_no_social_accounts(registry: Registry) -> None:
    # 000 L825: none of the rural akimats has a social-media account.
    for agency in registry.agencies(["rural_akimat"]):
        assert all(a.platform == "web" for a in agency.accounts), agency.id


# ------------------------------------------------------------------- history


def test_education_split_resolves_by_date(registry: Registry) -> None:
    old = registry.agency("min-education-science")
    assert set(old.successors) == {"min-enlightenment", "min-science-higher-education"}
    assert registry.resolve("min-education-science", date(2021, 9, 1)) == ("min-education-science",)
    assert registry.resolve("min-education-science", date(2022, 6, 10)) == (
        "min-education-science",
    )
    after = registry.resolve("min-education-science", date(2022, 6, 11))
    assert set(after) == {"min-enlightenment", "min-science-higher-education"}
    assert registry.resolve("min-enlightenment", date(2021, 1, 1)) == ("min-education-science",)
    assert registry.resolve("min-enlightenment", date(2024, 1, 1)) == ("min-enlightenment",)


def test_resolution_is_transitive_and_total(registry: Registry) -> None:
    today = date(2030, 1, 1)
    for agency in registry.agencies():
        for responsible in registry.resolve(agency.id, today):
            assert registry.agency(responsible).active(today), (agency.id, responsible)
    assert registry.resolve("vk:12345", today) == ("vk:12345",)


def test_renamed_body_keeps_its_id_and_old_name(registry: Registry) -> None:
    astana = registry.agency("akimat-astana")
    assert astana.name_at("ru", date(2020, 5, 1)) == "Акимат города Нур-Султана"
    assert astana.name_at("ru", date(2023, 5, 1)) == astana.name_ru
    assert registry.resolve("akimat-astana", date(2020, 5, 1)) == ("akimat-astana",)


# ------------------------------------------------------------------ accounts


def test_account_lookup(registry: Registry) -> None:
    assert registry.agency_for_account("instagram", "almaty.akimdik") == "akimat-almaty"
    assert registry.agency_for_account("instagram", "@Almaty.Akimdik") == "akimat-almaty"
    assert registry.agency_for_account("INSTAGRAM", " almaty.akimdik ") == "akimat-almaty"
    assert registry.agency_for_account("facebook", "no-such-page") is None
    assert registry.agency_for_account("vk", "almaty.akimdik") is None


def test_account_lookup_follows_owner_by_date(registry: Registry) -> None:
    handle = "edu.gov.kz"
    assert registry.agency_for_account("instagram", handle) == "min-enlightenment"
    assert registry.agency_for_account("instagram", handle, date(2021, 1, 1)) == (
        "min-education-science"
    )
    assert registry.agency_for_account("instagram", handle, date(2023, 1, 1)) == (
        "min-enlightenment"
    )


def test_account_lookup_by_platform_id(tmp_path: Path) -> None:
    extra = write(
        tmp_path,
        """
agencies:
  - id: akimat-almaty
    accounts:
      - {platform: vk, handle: almaty_akimat, id: "-123456", verified: true}
""",
    )
    registry = Registry.load([extra])
    assert registry.agency_for_account("vk", "-123456") == "akimat-almaty"
    assert registry.agency_for_account("vk", "ALMATY_AKIMAT") == "akimat-almaty"


def test_unknown_agency(registry: Registry) -> None:
    assert registry.get("vk:12345") is None
    unknown = registry.agency("vk:12345")
    assert unknown.known is False
    assert unknown.type == "unknown"
    assert unknown.name("kk") == unknown.name("ru") == unknown.name("en") == "vk:12345"
    assert registry.agency("akimat-almaty").known is True


def test_fallback_id() -> None:
    assert Registry.fallback_id("vk", "12345") == "vk:12345"
    assert Registry.fallback_id("Instagram", "@Some.Page") == "instagram:some.page"
    assert Registry.fallback_id("telegram", "  @Chan ") == "telegram:chan"


# ---------------------------------------------------------------- extra files


def test_extra_file_adds_and_overrides(tmp_path: Path) -> None:
    extra = write(
        tmp_path,
        """
agencies:
  - id: akimat-almaty
    accounts:
      - {platform: telegram, handle: almaty_akimat_official, verified: true}
  - id: akimat-karaganda-city
    name: {kk: Қарағанды қаласының әкімдігі, ru: Акимат города Караганды, en: Akimat of Karaganda}
    type: city_akimat
    region: karaganda
    parent: akimat-karaganda
    competence: [housing_utilities, roads_transport]
    accounts:
      - {platform: instagram, handle: karaganda_city, verified: true}
""",
    )
    registry = Registry.load([extra])
    almaty = registry.agency("akimat-almaty")
    assert almaty.name_ru == "Акимат города Алматы"
    assert [a.handle for a in almaty.accounts] == ["almaty_akimat_official"]
    assert registry.agency_for_account("instagram", "almaty.akimdik") is None
    assert registry.agency_for_account("instagram", "karaganda_city") == "akimat-karaganda-city"
    assert Registry.default().agency_for_account("instagram", "almaty.akimdik") == "akimat-almaty"


def test_later_extra_files_win(tmp_path: Path) -> None:
    first = write(tmp_path, "agencies:\n  - {id: min-health, keywords: [first]}\n", "a.yaml")
    second = write(tmp_path, "agencies:\n  - {id: min-health, keywords: [second]}\n", "b.yaml")
    assert Registry.load([first, second]).agency("min-health").keywords == ("second",)
    assert Registry.load([second, first]).agency("min-health").keywords == ("first",)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("  - {id: akimat-x, name: {kk: X әкімдігі, ru: Акимат X, en: X}, type: bank, "
         "region: astana, competence: []}", "'type'"),
        ("  - {id: akimat-x, name: {kk: X әкімдігі, ru: Акимат X, en: X}, type: city_akimat, "
         "region: atlantis, competence: []}", "'region'"),
        ("  - {id: akimat-x, name: {kk: X әкімдігі, ru: Акимат X, en: ''}, type: city_akimat, "
         "region: astana, competence: []}", "'name.en'"),
        ("  - {id: akimat-x, name: {kk: X әкімдігі, ru: Акимат X, en: X}, type: city_akimat, "
         "region: astana, parent: akimat-nowhere, competence: []}", "'parent'"),
        ("  - {id: akimat-x, name: {kk: X әкімдігі, ru: Акимат X, en: X}, type: city_akimat, "
         "region: astana, competence: [weather]}", "'competence'"),
        ("  - {id: akimat-x, name: {kk: X әкімдігі, ru: Акимат X, en: X}, type: city_akimat, "
         "region: astana, competence: [], accounts: [{platform: myspace, handle: x}]}",
         "'accounts[0].platform'"),
        ("  - {id: akimat-x, name: {kk: X әкімдігі, ru: Акимат X, en: X}, type: city_akimat, "
         "region: astana, competence: [], "
         "accounts: [{platform: instagram, handle: almaty.akimdik}]}",
         "'accounts'"),
        ("  - {id: akimat-x, name: {kk: X әкімдігі, ru: Акимат X, en: X}, type: city_akimat, "
         "region: astana, competence: [], valid_to: 2020-01-01, successors: [akimat-astana]}",
         "'successors'"),
        ("  - {id: akimat-x, name: {kk: X әкімдігі, ru: Акимат X, en: X}, type: city_akimat, "
         "region: astana, competence: [], valid_from: someday}", "'valid_from'"),
        ("  - {id: akimat-x, name: {kk: X әкімдігі, ru: Акимат X, en: X}, type: city_akimat, "
         "region: astana, competence: [], colour: red}", "'colour'"),
        ("  - {id: akimat-x, name: {kk: X әкімдігі, ru: Акимат X, en: X}, region: astana, "
         "competence: []}", "'type'"),
        ("  - {id: Akimat X, name: {kk: X, ru: X, en: X}, type: city_akimat, region: astana, "
         "competence: []}", "'id'"),
        ("  - {id: min-health, type: oblast_akimat}", "'region'"),
    ],
)  # fmt: skip
def test_invalid_extra_file_gives_a_clear_error(tmp_path: Path, body: str, field: str) -> None:
    extra = write(tmp_path, "agencies:\n" + body + "\n")
    with pytest.raises(RegistryError) as caught:
        Registry.load([extra])
    message = str(caught.value)
    assert "\n" not in message
    assert str(extra) in message
    assert field in message
    if "Akimat X" not in body:
        agency_id = re.search(r"id: ([\w-]+)", body)
        assert agency_id is not None and agency_id.group(1) in message


def test_broken_yaml_gives_a_clear_error(tmp_path: Path) -> None:
    extra = write(tmp_path, "agencies:\n  - {id: akimat-x, name: [unclosed\n")
    with pytest.raises(RegistryError) as caught:
        Registry.load([extra])
    assert str(extra) in str(caught.value) and "\n" not in str(caught.value)


def test_missing_extra_file_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="cannot read"):
        Registry.load([tmp_path / "nope.yaml"])


def test_duplicate_id_in_one_file(tmp_path: Path) -> None:
    extra = write(
        tmp_path,
        "agencies:\n  - {id: min-health, keywords: [a]}\n  - {id: min-health, keywords: [b]}\n",
    )
    with pytest.raises(RegistryError, match="duplicate id"):
        Registry.load([extra])


# ------------------------------------------------------------------- loading


def test_default_is_cached() -> None:
    # how fast a load is belongs to the benchmarks, not to a test on a shared machine
    assert Registry.default() is Registry.default()
    assert Registry.load() is not Registry.default()


def test_agencies_filter_by_type(registry: Registry) -> None:
    ministries = registry.agencies(["ministry"])
    assert ministries and all(a.type == "ministry" for a in ministries)
    assert len(registry.agencies()) == len(registry)
    assert registry.agencies([]) == []
    assert {a.id for a in registry.children("akimat-sko")} >= {
        "akimat-petropavl",
        "akimat-sko-aiyrtau",
        "akimat-sko-mamlyut",
    }


def test_region_lookup(registry: Registry) -> None:
    almaty = registry.region("almaty-city")
    assert almaty is not None and almaty.iso == "KZ-75"
    assert almaty.name("kk") == "Алматы"
    assert registry.region("atlantis") is None


def test_name_fallback() -> None:
    agency = Registry.unknown_agency("x")
    assert agency.name("de") == "x"
    real = Registry.default().agency("min-health")
    assert real.name("de") == real.name_ru
