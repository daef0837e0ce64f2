"""``watchfloor spark bench``: extraction articles/s under Spark against one plain process.

All figures come from one run on one machine: the single-process baseline (the ``Extractor``
and MiniLM embedder, as ``watchfloor ingest`` uses them) and the Spark extract job on
``local[k]`` for each k asked for. Model loading is timed apart (a warm-up job loads the
models into every worker), so the rates are steady-state throughput; the overhead ratio is
baseline articles/s divided by Spark articles/s per core.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from watchfloor.model import Article
from watchfloor.settings import Settings


def baseline(settings: Settings, articles: Sequence[Article]) -> dict[str, float]:
    """Articles/s of one process doing the job's work: extract, then embed the reports."""
    from watchfloor.fuse.embed import SentenceEmbedder
    from watchfloor.pipeline.extractor import Extractor
    from watchfloor.store.database import report_text

    started = time.perf_counter()
    extractor = Extractor(settings)
    extractor.warm_up()
    embedder = SentenceEmbedder(threads=1) if settings.fusion_embeddings else None
    if embedder is not None:
        embedder.embed(["warm up"])
    loaded = time.perf_counter()
    for article in articles:
        result = extractor.extract(article)
        if embedder is not None and result.events:
            embedder.embed([report_text(ev) for ev in result.events])
    seconds = time.perf_counter() - loaded
    return {
        "load_seconds": round(loaded - started, 2),
        "seconds": round(seconds, 2),
        "articles_per_second": round(len(articles) / seconds, 3),
    }


def spark_run(settings: Settings, input_path: str, cores: int, workdir: Path) -> dict[str, Any]:
    """One extract job on ``local[cores]``, models loaded by a warm-up job first."""
    from watchfloor.spark import jobs

    started = time.perf_counter()
    spark = jobs.session(f"local[{cores}]", app_name=f"watchfloor-bench-{cores}")
    try:
        ready = time.perf_counter()
        settings_json = settings.model_dump_json()
        spark.sparkContext.parallelize(range(cores), cores).map(
            lambda _: jobs.worker_models(settings_json) is not None
        ).count()
        warmed = time.perf_counter()
        summary = jobs.run_extract(
            spark, settings, input_path, str(workdir / f"out-{cores}"), partitions=cores * 4
        )
    finally:
        spark.stop()
    return {
        "cores": cores,
        "session_seconds": round(ready - started, 2),
        "model_load_seconds": round(warmed - ready, 2),
        "seconds": summary.seconds,
        "articles": summary.articles,
        "articles_per_second": round(summary.articles / summary.seconds, 3),
    }


def run_bench(
    settings: Settings, articles: Sequence[Article], cores: Sequence[int] = (1, 2)
) -> dict[str, Any]:
    """Baseline and Spark figures on the same articles, with overhead and scaling ratios."""
    figures: dict[str, Any] = {"articles": len(articles)}
    figures["baseline"] = baseline(settings, articles)
    with tempfile.TemporaryDirectory(prefix="watchfloor-bench-") as tmp:
        workdir = Path(tmp)
        input_path = workdir / "articles.jsonl"
        input_path.write_bytes(
            b"\n".join(orjson.dumps(a.model_dump(mode="json")) for a in articles) + b"\n"
        )
        figures["spark"] = [spark_run(settings, str(input_path), k, workdir) for k in cores]
    base = figures["baseline"]["articles_per_second"]
    for run in figures["spark"]:
        per_core = run["articles_per_second"] / run["cores"]
        run["overhead_ratio"] = round(base / per_core, 3) if per_core else None
        run["speedup_vs_baseline"] = round(run["articles_per_second"] / base, 3)
    return figures
