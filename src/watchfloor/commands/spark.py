"""`watchfloor spark extract|fuse|bench` and `watchfloor load`: the pipeline on Apache Spark.

pyspark runs in the current interpreter (use .venv-spark/bin/watchfloor, or spark-submit);
without it every command stops with one line saying how to install it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from watchfloor.commands.options import DbOption
from watchfloor.commands.options import fail as _fail
from watchfloor.errors import WatchfloorError
from watchfloor.settings import load_settings

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

MasterOption = Annotated[
    str | None,
    typer.Option(
        "--master",
        help="Spark master URL (local[2], spark://host:7077, yarn); default: spark-submit's "
        "or SPARK_MASTER, else local[*].",
    ),
]
PartitionsOption = Annotated[
    int | None,
    typer.Option("--partitions", min=1, help="Tasks per stage; default 4 per executor core."),
]


def _session(master: str | None) -> Any:
    from watchfloor.spark import jobs, require_pyspark

    require_pyspark()
    chosen = master or os.environ.get("SPARK_MASTER")
    if chosen is None and "SPARK_ENV_LOADED" not in os.environ:
        chosen = "local[*]"  # a plain `watchfloor spark ...`, not under spark-submit
    return jobs.session(chosen)


def spark_extract(
    input_path: Annotated[
        str, typer.Argument(metavar="INPUT", help="JSONL/WARC file, folder or glob, or Parquet.")
    ],
    output: Annotated[str, typer.Argument(metavar="OUTPUT", help="Folder for the Parquet tables.")],
    input_format: Annotated[
        str, typer.Option("--format", help="auto, jsonl, warc or parquet.")
    ] = "auto",
    master: MasterOption = None,
    partitions: PartitionsOption = None,
) -> None:
    """Extract every article into Parquet: articles, reports (events), org developments."""
    from watchfloor.spark import jobs

    try:
        settings = load_settings()
        spark = _session(master)
        try:
            summary = jobs.run_extract(
                spark, settings, input_path, output, kind=input_format, partitions=partitions
            )
        finally:
            spark.stop()
    except WatchfloorError as exc:
        raise _fail(exc) from None
    for message in summary.first_rejects:
        err.print(message, markup=False, highlight=False)
    out.print(
        f"{summary.articles} articles -> {summary.reports} reports, "
        f"{summary.org_developments} org developments; {summary.rejects} input items skipped; "
        f"{summary.seconds} s; written to {summary.output}",
        markup=False,
    )
    if summary.rejects:
        raise typer.Exit(3)


def spark_fuse(
    events: Annotated[
        str, typer.Argument(metavar="EVENTS", help="OUTPUT folder of `watchfloor spark extract`.")
    ],
    output: Annotated[str, typer.Argument(metavar="OUTPUT", help="Folder for the Parquet tables.")],
    master: MasterOption = None,
    partitions: PartitionsOption = None,
) -> None:
    """Fuse reports into events, partitioned on (country, family): events and memberships."""
    from watchfloor.spark import jobs

    try:
        spark = _session(master)
        try:
            summary = jobs.run_fuse(spark, events, output, partitions=partitions)
        finally:
            spark.stop()
    except WatchfloorError as exc:
        raise _fail(exc) from None
    out.print(
        f"{summary.reports} reports -> {summary.events} events ({summary.merged} merged); "
        f"{summary.seconds} s; written to {summary.output}",
        markup=False,
    )


def spark_bench(
    articles: Annotated[
        Path | None, typer.Option("--articles", help="JSONL of articles; default the samples.")
    ] = None,
    repeat: Annotated[int, typer.Option(min=1, help="Use the articles this many times.")] = 1,
    cores: Annotated[str, typer.Option(help="Comma-separated local[k] runs.")] = "1,2",
    json_out: Annotated[
        Path | None, typer.Option("--json-out", help="Also write every figure here.")
    ] = None,
) -> None:
    """Articles/s of the Spark extract job on local[k] against one plain process."""
    import orjson

    from watchfloor.ingest.readers import read_paths
    from watchfloor.model import Article
    from watchfloor.spark import bench, require_pyspark

    source = articles or Path(__file__).parent.parent / "samples" / "articles.jsonl"
    try:
        require_pyspark()
        items = [i for i in read_paths([str(source)]) if isinstance(i, Article)]
        # distinct copies (new ids and text) so the job cannot drop them as duplicates
        copies = [
            a.model_copy(update={"id": f"{a.id}#{n}", "text": f"{a.text}\n\n({n})"}) if n else a
            for n in range(repeat)
            for a in items
        ]
        figures = bench.run_bench(
            load_settings(), copies, [int(k) for k in cores.split(",") if k.strip()]
        )
    except WatchfloorError as exc:
        raise _fail(exc) from None
    base = figures["baseline"]
    out.print(
        f"{figures['articles']} articles; single process: {base['articles_per_second']} "
        f"articles/s (models load {base['load_seconds']} s)",
        markup=False,
    )
    for run in figures["spark"]:
        out.print(
            f"local[{run['cores']}]: {run['articles_per_second']} articles/s, overhead ratio "
            f"{run['overhead_ratio']} (session {run['session_seconds']} s, models "
            f"{run['model_load_seconds']} s)",
            markup=False,
        )
    if json_out is not None:
        json_out.write_bytes(orjson.dumps(figures, option=orjson.OPT_INDENT_2) + b"\n")


def load(
    parquet_dir: Annotated[
        str, typer.Argument(metavar="PARQUET_DIR", help="OUTPUT folder of `spark extract`.")
    ],
    database_url: DbOption = None,
    master: MasterOption = None,
) -> None:
    """Store Spark extract outputs in the database; loading twice adds nothing."""
    from watchfloor.spark.load import load_outputs

    try:
        settings = load_settings(database_url=database_url)
        fallback = None
        if settings.fusion_embeddings:
            from watchfloor.fuse.embed import SentenceEmbedder

            fallback = SentenceEmbedder(threads=1)
        spark = _session(master or "local[1]")
        try:
            outcome = load_outputs(
                spark,
                parquet_dir,
                settings.resolved_database_url,
                batch_size=settings.batch_size,
                fallback_embedder=fallback,
            )
        finally:
            spark.stop()
    except WatchfloorError as exc:
        raise _fail(exc) from None
    out.print(
        f"{outcome.articles_added} articles added ({outcome.duplicates} already stored), "
        f"{outcome.reports_added} reports -> {outcome.events_added} new events, "
        f"{outcome.merged} merged, {outcome.org_developments_added} org developments",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    """Add `spark extract|fuse|bench` and `load` to the main application."""
    spark_app = typer.Typer(
        help="Run extraction and fusion on Apache Spark (needs pyspark: make spark).",
        no_args_is_help=True,
    )
    spark_app.command("extract")(spark_extract)
    spark_app.command("fuse")(spark_fuse)
    spark_app.command("bench")(spark_bench)
    app.add_typer(spark_app, name="spark")
    app.command("load")(load)
