"""Benchmark helpers: a distinct corpus of any size, and percentiles worked out by hand."""

from __future__ import annotations

import datetime as dt

from watchfloor.eval.bench import _timing, build_corpus
from watchfloor.model import Article


def test_corpus_cycles_samples_with_distinct_texts() -> None:
    samples = [
        Article(id=f"s{i}", text=f"Text {i}.", published=dt.date(2020, 1, 1)) for i in range(3)
    ]
    corpus = build_corpus(samples, 7)
    assert [a.id for a in corpus] == ["s0-0", "s1-0", "s2-0", "s0-1", "s1-1", "s2-1", "s0-2"]
    assert len({a.content_hash for a in corpus}) == 7


def test_timing_figures() -> None:
    durations = [0.01 * n for n in range(1, 21)]  # 10 ms .. 200 ms, total 2.1 s
    t = _timing("x", durations, words=420)
    assert t.items == 20 and t.seconds == 2.1
    assert t.items_per_second == round(20 / 2.1, 2)
    assert t.words_per_second == 200.0
    assert t.p50_ms == 105.0  # median of 10..200 ms
    assert t.p95_ms == 190.0  # the 19th of 20 sorted values
