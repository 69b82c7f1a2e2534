from __future__ import annotations

from bench.understanding import run, sample


def test_sample_is_short_mixed_comments() -> None:
    texts = sample(200)
    assert len(texts) == 200
    assert sum(map(len, texts)) / len(texts) < 80
    assert any("ү" in t or "қ" in t for t in texts)


def test_run_reports_rates() -> None:
    result = run(400, batch=200, repeats=1)
    assert result["texts"] == 400
    assert result["texts_per_second"] > 0
    assert result["texts_per_cpu_second"] > 0
