"""`watchfloor eval fusion`: the cross-report fusion benchmark and the synthetic scale run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from watchfloor.eval.fusion import CORPUS


def eval_fusion(
    data: Annotated[
        Path, typer.Option("--data", help="Folder of *.jsonl reports with gold incidents.")
    ] = CORPUS,
    scale: Annotated[
        int | None,
        typer.Option(help="Instead: block and fuse this many synthetic reports in memory."),
    ] = None,
    embeddings: Annotated[
        bool, typer.Option(help="Compare wording with MiniLM embeddings as ingest does.")
    ] = True,
    keep_db: Annotated[
        str | None, typer.Option("--keep-db", help="SQLAlchemy URL of an empty database to keep.")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json-out", help="Also write every figure here.")
    ] = None,
) -> None:
    """Pairwise and B-cubed precision/recall/F1 of fusion; or the scale run (--scale N)."""
    from watchfloor.cli import _fail, _warm_extractor, _write_json, out
    from watchfloor.errors import WatchfloorError
    from watchfloor.eval import fusion

    try:
        if scale is not None:
            figures = {"benchmark": "fusion-scale", **fusion.run_scale(scale)}
        else:
            embedder = None
            if embeddings:
                from watchfloor.fuse.embed import SentenceEmbedder

                embedder = SentenceEmbedder(threads=1)
            figures = {
                "benchmark": "fusion",
                "data": str(data),
                **fusion.run_benchmark(
                    _warm_extractor(),
                    fusion.load_corpus(data),
                    embedder=embedder,
                    database_url=keep_db,
                ),
            }
    except WatchfloorError as exc:
        raise _fail(exc) from None
    out.print(_table(figures))
    if scale is not None:
        out.print(
            f"{figures['reports']} reports -> {figures['events']} events in "
            f"{figures['seconds']} s ({figures['reports_per_second']} reports/s), "
            f"peak RSS {figures['peak_rss_mib']} MiB",
            markup=False,
        )
    else:
        out.print(
            f"{figures['reports']} reports of {figures['incidents']} incidents -> "
            f"{figures['predicted_events']} events; extraction missed "
            f"{len(figures['extraction_missed'])}",
            markup=False,
        )
    from watchfloor.eval.report import stamp

    _write_json(json_out, stamp(figures))


def _table(figures: dict[str, Any]) -> Table:
    table = Table(title=f"Fusion ({figures['benchmark']})", title_justify="left")
    for name in ("measure", "precision", "recall", "F1"):
        table.add_column(name)
    for name in ("pairwise", "bcubed"):
        row = figures[name]
        table.add_row(name, f"{row['precision']:.3f}", f"{row['recall']:.3f}", f"{row['f1']:.3f}")
    return table


def register_eval(eval_app: typer.Typer) -> None:
    """Add `eval fusion` (and `eval actors`, which cli.py registers through here) to the
    evaluation commands."""
    from watchfloor.commands import actors

    eval_app.command("fusion")(eval_fusion)
    actors.register_eval(eval_app)
