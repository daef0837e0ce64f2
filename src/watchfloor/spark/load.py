"""``watchfloor load``: Spark extract outputs into the SQLite or PostgreSQL store.

Articles go through ``Store.add_batch`` in arrival order, exactly as ``watchfloor ingest``
stores them, so the store fuses them with the same rules (and gets the same clusters as
``spark fuse``). ``add_batch`` skips articles whose content hash is already stored, which makes
loading idempotent: loading a folder twice, or after a crash half-way, adds nothing twice.
The MiniLM vectors computed by the Spark job are reused instead of being computed again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from watchfloor.errors import InputError
from watchfloor.model import Article, ExtractResult
from watchfloor.store.database import IngestOutcome, Store, report_text


class PrecomputedEmbedder:
    """Serves the vectors the Spark job stored; texts it has none for go to ``fallback``."""

    def __init__(self, fallback: Any | None = None) -> None:
        self.fallback = fallback
        self.vectors: dict[str, np.ndarray] = {}

    def remember(self, result: ExtractResult, blobs: Sequence[bytes | None]) -> None:
        from watchfloor.fuse.embed import from_bytes

        for ev, blob in zip(result.events, blobs, strict=False):
            if blob:
                self.vectors[report_text(ev)] = from_bytes(bytes(blob))

    def forget(self) -> None:
        self.vectors.clear()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        from watchfloor.fuse.embed import DIMENSION

        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        missing = [i for i, text in enumerate(texts) if text not in self.vectors]
        for i, text in enumerate(texts):
            if text in self.vectors:
                out[i] = self.vectors[text]
        if missing and self.fallback is not None:
            out[missing] = self.fallback.embed([texts[i] for i in missing])
        return out


def stored_articles(spark: Any, parquet_dir: str) -> Iterator[tuple[Article, ExtractResult, Any]]:
    """(article, result, row) from an extract output, in arrival order."""
    from pyspark.sql import functions as F

    path = f"{parquet_dir.rstrip('/')}/articles"
    from watchfloor.spark.jobs import path_exists

    try:
        if not path_exists(spark, path):
            raise FileNotFoundError(path)
        frame = spark.read.parquet(path)
    except Exception as exc:  # pyspark's AnalysisException: the folder has no articles table
        raise InputError(
            "no articles table here; give the OUTPUT folder of `watchfloor spark extract` "
            "(a `spark fuse` output is rebuilt by the store itself)",
            source=parquet_dir,
        ) from exc
    ordered = frame.orderBy(F.col("published").asc_nulls_last(), "input", "position")
    for row in ordered.toLocalIterator():
        article = Article(
            id=row.external_id,
            text=row.text,
            published=row.published,
            title=row.title,
            url=row.url,
            source=row.outlet,
        )
        if article.content_hash != row.article_key:
            raise InputError(
                f"article {row.external_id!r} does not match its stored content hash; "
                "the Parquet files were changed after extraction",
                source=parquet_dir,
            )
        yield article, ExtractResult.model_validate_json(row.result), row


def load_outputs(
    spark: Any, parquet_dir: str, url: str, *, batch_size: int, fallback_embedder: Any = None
) -> IngestOutcome:
    """Store every article of an extract output; returns the summed batch outcomes."""
    embedder = PrecomputedEmbedder(fallback_embedder)
    store = Store.open(url, embedder=embedder)
    total = IngestOutcome()
    batch: list[tuple[Article, ExtractResult, str | None]] = []
    version: str | None = None

    def flush() -> None:
        if batch:
            outcome = store.add_batch(batch, version or "unknown")
            for name in (
                "articles_added",
                "reports_added",
                "events_added",
                "merged",
                "org_developments_added",
                "duplicates",
            ):
                setattr(total, name, getattr(total, name) + getattr(outcome, name))
            total.added_ids.extend(outcome.added_ids)
            batch.clear()
            embedder.forget()

    try:
        for article, result, row in stored_articles(spark, parquet_dir):
            if row.extractor_version != version or len(batch) >= batch_size:
                flush()
                version = row.extractor_version
            embedder.remember(result, list(row.embeddings or []))
            batch.append((article, result, row.input))
        flush()
    finally:
        store.close()
    return total
