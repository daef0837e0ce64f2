"""Benchmark helpers: the mixed corpus, percentiles worked out by hand, the rendered table,
and one small end-to-end run of `watchfloor bench` (structure only, no timing assertions)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import cli
from watchfloor.errors import MalformedLine
from watchfloor.eval.bench import MUC4_PUBLISHED, _timing, build_corpus, load_muc4_texts
from watchfloor.eval.report import bench_lines
from watchfloor.model import Article

SAMPLES = [Article(id=f"s{i}", text=f"Text {i}.", published=dt.date(2020, 1, 1)) for i in range(3)]


def test_corpus_cycles_samples_with_distinct_texts() -> None:
    corpus = build_corpus(SAMPLES, 7)
    assert [a.id for a in corpus] == ["s0-0", "s1-0", "s2-0", "s0-1", "s1-1", "s2-1", "s0-2"]
    assert len({a.content_hash for a in corpus}) == 7


def test_corpus_alternates_samples_and_muc4_and_recases_only_what_it_uses() -> None:
    muc4 = [(f"DEV-{i}", f"the fmln attacked post {i}.") for i in range(5)]
    recased: list[str] = []

    def recase(text: str) -> str:
        recased.append(text)
        return text.upper()

    corpus = build_corpus(SAMPLES, 6, muc4, recase)
    assert [a.id for a in corpus] == ["s0-0", "DEV-0-0", "s1-0", "DEV-1-0", "s2-0", "DEV-2-0"]
    assert len(recased) == 3  # DEV-3 and DEV-4 are not in the corpus
    muc = [a for a in corpus if a.source == "MUC-4"]
    assert [a.text for a in muc] == [f"THE FMLN ATTACKED POST {i}." for i in range(3)]
    assert all(a.published == MUC4_PUBLISHED for a in muc)
    longer = build_corpus(SAMPLES[:1], 5, muc4[:1], recase)
    assert [a.id for a in longer] == ["s0-0", "DEV-0-0", "s0-1", "DEV-0-1", "s0-2"]
    assert len({a.content_hash for a in longer}) == 5
    assert build_corpus([], 3) == []


def test_corpus_lengthens_short_articles_to_the_minimum() -> None:
    samples = [
        Article(id=f"s{i}", text=f"Story {i} " + "word " * 30, published=MUC4_PUBLISHED)
        for i in range(3)
    ]
    corpus = build_corpus(samples, 4, min_words=100)
    assert all(len(a.text.split()) >= 100 for a in corpus)
    assert len({a.text for a in corpus}) == 4
    assert corpus[0].text.startswith("Story 0") and "Story 1" in corpus[0].text
    assert build_corpus(samples, 4) == build_corpus(samples, 4, min_words=0)


def test_muc4_texts_read_absent_and_malformed(tmp_path: Path) -> None:
    assert load_muc4_texts(tmp_path / "absent.json") == []
    good = tmp_path / "train.json"
    good.write_text(
        json.dumps({"docid": "A", "doctext": "one", "templates": []})
        + "\n\n"
        + json.dumps({"docid": "B", "doctext": "two"})
        + "\n"
    )
    assert load_muc4_texts(good) == [("A", "one"), ("B", "two")]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"docid": "A", "doctext": "x"}) + "\n" + '{"docid": "B"}\n')
    with pytest.raises(MalformedLine) as caught:
        load_muc4_texts(bad)
    assert caught.value.line == 2


def test_timing_figures() -> None:
    durations = [0.01 * n for n in range(1, 21)]  # 10 ms .. 200 ms, total 2.1 s
    t = _timing("x", durations, words=420)
    assert t.items == 20 and t.seconds == 2.1
    assert t.items_per_second == round(20 / 2.1, 2)
    assert t.words_per_second == 200.0
    assert t.p50_ms == 105.0  # median of 10..200 ms
    assert t.p95_ms == 190.0  # the 19th of 20 sorted values
    # in parallel: throughput from the elapsed time, latency still per item
    par = _timing("y", durations, words=420, wall=1.05, unit="reports")
    assert par.items_per_second == round(20 / 1.05, 2) and par.words_per_second == 400.0
    assert par.p50_ms == 105.0 and par.unit == "reports"


def test_bench_lines_render_new_and_old_figures() -> None:
    timing = {
        "name": "extract (2 workers)",
        "items": 10,
        "unit": "articles",
        "seconds": 1.0,
        "items_per_second": 10.0,
        "words_per_second": 2500.0,
        "p50_ms": 95.0,
        "p95_ms": 140.0,
    }
    query = {**timing, "name": "query: count_events", "unit": "queries", "words_per_second": 0}
    figures = {
        "articles": 10,
        "words": 2500,
        "sample_articles": 5,
        "muc4_articles": 5,
        "timings": [timing, query],
        "ceiling_ratio": 0.8,
        "speedup_2_workers": 1.6,
        "peak_rss_mib": 300.0,
        "worker_peak_rss_mib": 420.0,
    }
    lines = bench_lines(figures)
    assert "| extract (2 workers) | 10 | articles | 10.0 | 2500.0 | 95.0 | 140.0 |" in lines
    assert "| query: count_events | 10 | queries | 10.0 | – | 95.0 | 140.0 |" in lines
    assert "2 workers / 1 worker: 1.6" in lines[-1]
    assert "(5 samples, 5 MUC-4 train)" in lines[-1]
    with_geo = bench_lines({**figures, "gazetteer_rss_mib": 90.5, "gazetteer_load_s": 0.05})
    assert "Geoparsing alone: peak RSS 90.5 MiB" in with_geo[-1]
    assert "Geoparsing alone" not in lines[-1]
    index = {"gazetteer_entries": 287778, "gazetteer_mib": 59.0, "gazetteer_build_s": 21.8}
    assert (
        "index: 287,778 entries, 59.0 MiB on disk, built in 21.8 s"
        in (bench_lines({**figures, **index})[-1])
    )
    old = {k: figures[k] for k in ("articles", "words", "timings", "ceiling_ratio")}
    old["peak_rss_mib"] = 200.0
    assert "2 workers / 1 worker: –" in bench_lines(old)[-1]


def test_bench_command_end_to_end(cli_env: dict[str, str], tmp_path: Path) -> None:
    train = tmp_path / "train.json"
    train.write_text(
        json.dumps(
            {
                "docid": "DEV-MUC3-9001",
                "doctext": "terrorists of the farabundo marti national liberation front "
                "attacked a police post in san miguel department, killing two policemen.",
            }
        )
        + "\n"
    )
    out = tmp_path / "bench.json"
    done = subprocess.run(
        cli(
            "bench",
            "--articles",
            "4",
            "--muc4-train",
            str(train),
            "--fusion-reports",
            "300",
            "--json-out",
            str(out),
        ),
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    assert "spaCy pipeline speed" in done.stdout
    figures = json.loads(out.read_text())
    assert (figures["articles"], figures["sample_articles"], figures["muc4_articles"]) == (4, 2, 2)
    names = [t["name"] for t in figures["timings"]]
    assert names[:2] == ["extract (1 worker)", "extract (2 workers)"]
    for wanted in (
        "spaCy ceiling: tokenizer + NER (1 process)",
        "ingest (extract+store+fuse)",
        "geoparse: gazetteer toponyms (1 process)",
        "fusion, store path",
        "fusion, in memory (synthetic)",
        "query: events list, filtered",
        "query: event detail",
        "query: radius 100 km",
        "query: as-of list",
        "query: count_events",
    ):
        assert wanted in names
    by_name = {t["name"]: t for t in figures["timings"]}
    assert by_name["extract (2 workers)"]["items"] == 4
    assert by_name["fusion, in memory (synthetic)"]["items"] == 300
    assert by_name["query: radius 100 km"]["items"] == 20
    assert figures["ceiling_ratio"] > 0 and figures["speedup_2_workers"] > 0
    assert figures["fusion_scale"]["bcubed"]["f1"] > 0
    assert by_name["geoparse: gazetteer toponyms (1 process)"]["items"] == 4
    assert 0 < figures["gazetteer_rss_mib"] < figures["worker_peak_rss_mib"] * 4
    assert figures["gazetteer_load_s"] > 0
    assert figures["gazetteer_entries"] > 100_000 and figures["gazetteer_mib"] > 1
    assert "Geoparsing alone: peak RSS" in " ".join(done.stdout.split())
    missing = subprocess.run(
        cli("bench", "--articles", "1", "--muc4-train", str(tmp_path / "none.json")),
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode != 0 and "none.json" in missing.stderr
