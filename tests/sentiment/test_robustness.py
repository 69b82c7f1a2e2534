from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from sentiment import Analyzer, reply_quality
from sentiment.normalize import normalise

_analyzer = Analyzer.default()


@settings(max_examples=60, deadline=None, database=None)
@given(st.lists(st.text(max_size=300), min_size=1, max_size=8))
def test_any_text_is_analysed(texts: list[str]) -> None:
    results = _analyzer.analyze(texts)
    assert len(results) == len(texts)
    for r in results:
        assert math.isclose(r.p_positive + r.p_neutral + r.p_negative, 1.0, abs_tol=1e-6)
        assert r.lang in {"kk", "ru", "en", "mixed", "other"}
        assert r.aggression in {"none", "aggression", "strong"}
        assert (r.severity is None) == (r.answer_days is None)


@settings(max_examples=60, deadline=None, database=None)
@given(st.text(max_size=500))
def test_normalise_and_reply_quality_never_fail(text: str) -> None:
    norm = normalise(text)
    assert norm.n_cyr + norm.n_lat <= len(norm.clean)
    assert 0.0 <= reply_quality(text, text).score <= 1.0
