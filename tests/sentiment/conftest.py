from __future__ import annotations

import pytest

from sentiment import Analyzer


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer.default()
