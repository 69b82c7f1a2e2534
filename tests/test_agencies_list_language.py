"""`qulaq agencies list` names each agency's type in the reader's language (it showed
the id: "city_akimat"), beside the agency's id and name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qulaq.registry import agency_type_name
from tests.conftest import qulaq


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_types_by_name(home: Path, lang: str) -> None:
    env = {"QULAQ_BUS": "embedded", "QULAQ_LANG": lang}
    listed = json.loads(qulaq("agencies", "list", "--json", env=env).stdout)
    lines = qulaq("agencies", "list", env=env).stdout.splitlines()
    assert len(lines) == len(listed)
    for agency, line in zip(listed, lines, strict=True):
        assert line.split()[0] == agency["id"]
        assert f" {agency_type_name(agency['type'], lang)} " in line, line
        assert agency["name"][lang] in line
        if lang != "en":
            assert f" {agency['type']} " not in line, line
    starts = {
        line.index(agency_type_name(a["type"], lang)) for a, line in zip(listed, lines, strict=True)
    }
    assert len(starts) == 1  # one column
