"""The Spark jobs: extract (articles to Parquet), fuse (reports to events), both idempotent.

Both run the single-machine code unchanged inside ``mapPartitions``: the ``Extractor`` and the
MiniLM embedder are built once per Python worker process (Spark reuses its workers, so once
per executor core) and kept in ``_MODELS``; fusion runs ``InMemoryFuser`` over each
(country, family) block in arrival order.

Writes replace the job's whole output folder (``mode("overwrite")``), and each task's files go
through Spark's output committer, which publishes exactly one attempt per task: a retried or
speculative task, or the whole job run again, leaves the same files, never duplicates.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

import orjson

from watchfloor.errors import ConfigError, ExtractionError, InputError
from watchfloor.settings import Settings
from watchfloor.spark import readers, rows

log = logging.getLogger("watchfloor.spark")

#: Models of this Python worker, keyed by the settings they were built with: a per-process
#: cache (not configuration), so that a worker loads spaCy, the gazetteer and MiniLM once.
_MODELS: dict[str, tuple[Any, Any]] = {}
#: How many rejects the driver keeps in the summary for the CLI to show.
SHOWN_REJECTS = 20


@dataclass(slots=True)
class ExtractSummary:
    """What ``spark extract`` wrote."""

    output: str
    articles: int = 0
    reports: int = 0
    org_developments: int = 0
    rejects: int = 0
    seconds: float = 0.0
    first_rejects: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FuseSummary:
    """What ``spark fuse`` wrote."""

    output: str
    reports: int = 0
    events: int = 0
    merged: int = 0
    seconds: float = 0.0


def session(master: str | None = None, app_name: str = "watchfloor") -> Any:
    """A SparkSession; ``master`` None keeps what spark-submit or the environment chose."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    if (master or "local").startswith("local") and "PYSPARK_PYTHON" not in os.environ:
        # local workers must run this interpreter (the one with watchfloor and its models),
        # not whatever `python3` is first on PATH; SQL's Python runner reads only the variable
        os.environ["PYSPARK_PYTHON"] = sys.executable
    return (
        builder.config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .config("spark.python.worker.reuse", "true")
        .getOrCreate()
    )


def path_exists(spark: Any, path: str) -> bool:
    """Whether ``path`` exists on its Hadoop file system (local, hdfs://, s3a://...).

    Asked before reading a table, so that a wrong folder is one line from us rather than
    Spark's warning with a Java stack trace.
    """
    jvm = spark.sparkContext._jvm
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    fs = hadoop_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    return bool(fs.exists(hadoop_path))


def worker_models(settings_json: str) -> tuple[Any, Any]:
    """This process's (extractor, embedder or None), loaded on first use."""
    models = _MODELS.get(settings_json)
    if models is None:
        from watchfloor.pipeline.extractor import Extractor

        settings = Settings.model_validate_json(settings_json)
        extractor = Extractor(settings)
        extractor.warm_up()
        embedder = None
        if settings.fusion_embeddings:
            from watchfloor.fuse.embed import SentenceEmbedder

            embedder = SentenceEmbedder(threads=1)
        models = _MODELS[settings_json] = (extractor, embedder)
    return models


# -- extract ------------------------------------------------------------------------------


def _input_items(spark: Any, path: str, kind: str) -> Any:
    """An RDD of Arrival | Reject for a file, folder or glob of JSONL/WARC, or Parquet."""
    if kind == "parquet":
        frame = spark.read.parquet(path)
        missing = {"text"} - set(frame.columns)
        if missing:
            raise ConfigError(f"Parquet input has no {sorted(missing)} column", source=path)
        columns = ("id", "text", "published", "title", "url", "source")
        wanted = [c for c in columns if c in frame.columns]
        return (
            frame.select(*wanted)
            .rdd.zipWithIndex()
            .map(lambda pair: readers.read_row(pair[0].asDict(), path, pair[1]))
        )
    files = spark.sparkContext.binaryFiles(path)
    return files.filter(lambda f: not _hidden(f[0])).flatMap(
        lambda f: readers.read_file(f[0], f[1])
    )


def _hidden(path: str) -> bool:
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return name.startswith(("_", "."))


def input_kind(path: str, kind: str = "auto") -> str:
    """ "parquet" or "files" (JSONL/WARC, told apart per file by name)."""
    if kind != "auto":
        if kind not in ("parquet", "jsonl", "warc"):
            raise ConfigError(f"--format must be auto, jsonl, warc or parquet, not {kind!r}")
        return "parquet" if kind == "parquet" else "files"
    local = Path(path.removeprefix("file://"))
    if path.rstrip("/").endswith(".parquet") or (local.is_dir() and any(local.glob("*.parquet"))):
        return "parquet"
    return "files"


def _extract_partition(
    items: Iterable[tuple[str, Any]], settings_json: str, version: str
) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Tagged output rows for one partition of (content hash, Arrival) pairs."""
    from watchfloor.fuse.embed import to_bytes
    from watchfloor.store.database import report_text

    extractor, embedder = worker_models(settings_json)
    for _, arrival in items:
        article = arrival.article
        try:
            result = extractor.extract(article)
        except ExtractionError as exc:
            log.warning("skipped %s:%s: %s", arrival.source, arrival.position, exc.one_line())
            yield "x", (arrival.source, arrival.position, exc.code, exc.one_line())
            continue
        blobs: list[bytes | None] = [None] * len(result.events)
        if embedder is not None and result.events:
            vectors = embedder.embed([report_text(ev) for ev in result.events])
            blobs = [to_bytes(v) for v in vectors]
        where = {"source": arrival.source, "position": arrival.position}
        yield "a", rows.article_row(article, result, blobs, extractor_version=version, **where)
        for row in rows.report_rows(article, result, blobs, **where):
            yield "r", row
        for row in rows.org_rows(article, result):
            yield "o", row


def _earliest(a: Any, b: Any) -> Any:
    """Of two arrivals of one article (same content hash), the first: ingest would keep it."""
    key_a = rows.arrival_key(a.article.published, a.source, a.position)
    key_b = rows.arrival_key(b.article.published, b.source, b.position)
    return a if key_a <= key_b else b


def _log_reject(reject: readers.Reject) -> readers.Reject:
    log.warning("skipped %s", reject.message)
    return reject


def run_extract(
    spark: Any,
    settings: Settings,
    input_path: str,
    output: str,
    *,
    kind: str = "auto",
    partitions: int | None = None,
) -> ExtractSummary:
    """Extract every article under ``input_path`` into Parquet tables under ``output``."""
    from watchfloor.pipeline.extractor import EXTRACTOR_VERSION

    started = time.perf_counter()
    sc = spark.sparkContext
    n = partitions or max(2, sc.defaultParallelism * 4)
    items = _input_items(spark, input_path, input_kind(input_path, kind))
    items = items.persist()
    read_rejects = items.filter(lambda i: isinstance(i, readers.Reject)).map(_log_reject)
    arrivals = (
        items.filter(lambda i: isinstance(i, readers.Arrival))
        .map(lambda a: (a.article.content_hash, a))
        .reduceByKey(_earliest, numPartitions=n)
    )
    settings_json = settings.model_dump_json()
    tagged = arrivals.mapPartitions(
        lambda part: _extract_partition(part, settings_json, EXTRACTOR_VERSION)
    ).persist()
    try:
        reject_rows = read_rejects.map(lambda r: (r.source, r.position, r.code, r.message)).union(
            tagged.filter(lambda t: t[0] == "x").map(lambda t: t[1])
        )
        tables = {
            "articles": (rows.ARTICLES_SCHEMA, "a", ["month"]),
            "reports": (rows.REPORTS_SCHEMA, "r", ["month", "country"]),
            "org_developments": (rows.ORGS_SCHEMA, "o", ["month"]),
        }
        summary = ExtractSummary(output)
        for name, (schema, tag, partition_by) in tables.items():
            frame = spark.createDataFrame(
                tagged.filter(lambda t, tag=tag: t[0] == tag).map(lambda t: t[1]), schema
            )
            _write(frame, f"{output}/{name}", partition_by)
        rejects = spark.createDataFrame(reject_rows, rows.REJECTS_SCHEMA).coalesce(1)
        _write(rejects, f"{output}/rejects", [])
        counts = dict(tagged.map(lambda t: (t[0], 1)).countByKey())
        summary.articles = counts.get("a", 0)
        summary.reports = counts.get("r", 0)
        summary.org_developments = counts.get("o", 0)
        written = spark.read.parquet(f"{output}/rejects")
        summary.rejects = written.count()
        summary.first_rejects = [
            r.message for r in written.orderBy("input", "position").limit(SHOWN_REJECTS).collect()
        ]
    finally:
        tagged.unpersist()
        items.unpersist()
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def _write(frame: Any, path: str, partition_by: list[str]) -> None:
    writer = frame.write.mode("overwrite")
    if partition_by:
        writer = writer.partitionBy(*partition_by)
    writer.parquet(path)


# -- fuse ---------------------------------------------------------------------------------


def block_partition(key: tuple[Any, ...], partitions: int) -> int:
    """The Spark partition of a (country, family, ...) key: stable across processes."""
    return zlib.crc32(f"{key[0]}\x00{key[1]}".encode()) % partitions


def fuse_sorted(keyed_rows: Iterable[tuple[tuple[Any, ...], Any]]) -> Iterator[tuple[str, Any]]:
    """Fuse report rows sorted by (country, family, arrival...): tagged event/membership rows.

    Each (country, family) block gets its own ``InMemoryFuser``: blocking never pairs
    reports of different countries or families, so this is exactly the single-machine result.
    """
    from watchfloor.fuse.across import InMemoryFuser
    from watchfloor.fuse.canonical import MemberReport, canonical_event

    for _, block in groupby(keyed_rows, key=lambda pair: pair[0][:2]):
        fuser = InMemoryFuser(keep_decisions=True)
        members: dict[int, list[tuple[Any, float | None]]] = {}
        for _, row in block:
            before = len(fuser.decisions)
            event_id = fuser.add(rows.signal_from_report(row))
            score = fuser.decisions[-1].score if len(fuser.decisions) > before else None
            members.setdefault(event_id, []).append((row, score))
        for event_id in sorted(members):
            group = members[event_id]
            event_key = group[0][0].report_key
            data = canonical_event(
                [
                    MemberReport(
                        report_id=r.report_id,
                        data=orjson.loads(r.data),
                        published=r.published,
                        source=r.outlet,
                    )
                    for r, _ in group
                ]
            )
            event = rows.event_row(event_key, data, len(group))
            yield "e", event
            month, country = event[-1], event[10]
            for r, score in group:
                yield (
                    "m",
                    (
                        r.report_key,
                        event_key,
                        score,
                        r.external_id,
                        r.outlet,
                        r.published,
                        r.fatalities,
                        r.injuries,
                        r.perpetrator,
                        r.perpetrator_status,
                        month,
                        country,
                    ),
                )


def run_fuse(
    spark: Any, events_dir: str, output: str, *, partitions: int | None = None
) -> FuseSummary:
    """Fuse the reports of a ``spark extract`` output into events under ``output``."""
    started = time.perf_counter()
    n = partitions or max(2, spark.sparkContext.defaultParallelism * 4)
    table = f"{events_dir.rstrip('/')}/reports"
    try:
        if not path_exists(spark, table):
            raise FileNotFoundError(table)
        reports = spark.read.parquet(table)
    except Exception as exc:  # pyspark raises AnalysisException; keep pyspark out of the API
        raise InputError(
            "no reports table here; give the OUTPUT folder of `watchfloor spark extract`",
            source=events_dir,
        ) from exc
    keyed = reports.rdd.map(
        lambda r: (
            (*rows.fusion_block(r), *rows.arrival_key(r.published, r.input, r.position), r.ordinal),
            r,
        )
    )
    tagged = (
        keyed.repartitionAndSortWithinPartitions(
            n, partitionFunc=lambda key: block_partition(key, n)
        )
        .mapPartitions(fuse_sorted)
        .persist()
    )
    try:
        events = spark.createDataFrame(
            tagged.filter(lambda t: t[0] == "e").map(lambda t: t[1]), rows.EVENTS_SCHEMA
        )
        members = spark.createDataFrame(
            tagged.filter(lambda t: t[0] == "m").map(lambda t: t[1]), rows.MEMBERSHIPS_SCHEMA
        )
        _write(events, f"{output}/events", ["month", "country"])
        _write(members, f"{output}/memberships", ["month", "country"])
        counts = dict(tagged.map(lambda t: (t[0], 1)).countByKey())
    finally:
        tagged.unpersist()
    summary = FuseSummary(output, reports=counts.get("m", 0), events=counts.get("e", 0))
    summary.merged = summary.reports - summary.events
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary
