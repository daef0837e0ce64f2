"""Command line: thin wrappers that build Settings, call the library and report.

Exit codes (also in README.md):
  0 success; 1 unexpected error; 2 bad setting or usage; 3 an input could not be read
  (for batch commands: at least one item failed, the others were processed);
  4 extraction failed; 5 database error; 6 no such event.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from watchfloor.commands.options import AsOfOption, DbOption, print_error
from watchfloor.commands.options import fail as _fail
from watchfloor.errors import ConfigError, InputError, WatchfloorError
from watchfloor.settings import Settings, load_settings

app = typer.Typer(
    name="watchfloor",
    help="Turn news about political violence into a geocoded, sourced event database.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console()

SAMPLES = Path(__file__).parent / "samples" / "articles.jsonl"


def _settings(database_url: str | None = None) -> Settings:
    return load_settings(database_url=database_url)


def _warm_extractor() -> Any:
    """An extractor with its models loaded, for commands that run it over many texts."""
    from watchfloor.pipeline.extractor import Extractor

    extractor = Extractor(_settings())
    extractor.warm_up()
    return extractor


def parse_as_of(value: str | None) -> dt.datetime | None:
    """``--as-of``: a timestamp (UTC unless it says otherwise) or a date meaning its end."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(
            f"--as-of: {value!r} is not a date (YYYY-MM-DD) or ISO timestamp"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def parse_near(value: str | None) -> tuple[float, float, float] | None:
    """``--near LAT,LON,KM``."""
    if value is None:
        return None
    try:
        lat, lon, km = (float(part) for part in value.split(","))
    except ValueError:
        raise ConfigError(f"--near: {value!r} is not LAT,LON,KM (e.g. 30.18,66.99,25)") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and km > 0):
        raise ConfigError(f"--near: {value!r} is out of range (lat ±90, lon ±180, km > 0)")
    return lat, lon, km


def _progress(disable: bool) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=err,
        disable=disable,
        transient=False,
    )


# -- extract --------------------------------------------------------------------------------


@app.command()
def extract(
    file: Annotated[str | None, typer.Argument(help="Article text file, or '-' for stdin.")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD.")] = None,
    article_id: Annotated[str | None, typer.Option("--id", help="Id echoed in the result.")] = None,
    input_path: Annotated[Path | None, typer.Option("--input", help="Batch input JSONL.")] = None,
    output_path: Annotated[
        Path | None, typer.Option("--output", help="Batch output JSONL.")
    ] = None,
    workers: Annotated[
        int,
        typer.Option(min=0, help="Batch mode: worker processes (0: one per core, at most 2)."),
    ] = 0,
) -> None:
    """Extract events and organisational news (the contract in shared/contract)."""
    from watchfloor.ingest.parse import article_from_text, decode_text, parse_published
    from watchfloor.pipeline.extractor import Extractor

    try:
        settings = _settings()
        if input_path is not None or output_path is not None:
            if input_path is None or output_path is None or file is not None:
                raise typer.BadParameter("batch mode takes both --input and --output and no FILE")
            failed = _extract_batch(Extractor(settings), input_path, output_path, workers)
            if failed:
                err.print(
                    f'{failed} line(s) could not be processed; see their "error" field',
                    markup=False,
                )
            return
        if file is None:
            raise typer.BadParameter("give FILE (or '-') or --input/--output")
        source = "<stdin>" if file == "-" else file
        try:
            data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror or exc}", source=source) from exc
        date = parse_published(published, source="--published")
        article = article_from_text(
            decode_text(data, source=source),
            article_id=article_id or (Path(file).stem if file != "-" else "stdin"),
            source=source,
            published=date,
        )
        result = Extractor(settings).extract(article)
        sys.stdout.write(orjson.dumps(result.to_contract(), option=orjson.OPT_INDENT_2).decode())
        sys.stdout.write("\n")
    except WatchfloorError as exc:
        raise _fail(exc) from None


#: Articles per ``Extractor.extract_many`` call in batch mode: spaCy batches across them,
#: and chunks this small still share the work evenly between worker processes.
BATCH_CHUNK = 16

_BATCH_EXTRACTOR: Any = None  # the warmed extractor a forked batch worker inherits


def _extract_chunk(articles: list[Any]) -> list[dict[str, Any] | WatchfloorError]:
    """Contract dicts (or the error) of a chunk of articles, with the inherited extractor."""
    return [
        r if isinstance(r, WatchfloorError) else r.to_contract()
        for r in _BATCH_EXTRACTOR.extract_many(articles)
    ]


def _batch_workers(requested: int, chunks: int) -> int:
    """Worker processes for batch mode: 0 means one per core, at most 2 (the target
    machine); never more than there are chunks, and 1 (in-process) without fork."""
    import multiprocessing
    import os

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    wanted = requested or min(2, os.cpu_count() or 1)
    return max(1, min(wanted, chunks))


def _extract_batch(extractor: Any, input_path: Path, output_path: Path, workers: int = 0) -> int:
    """One output line per input line, in order; bad lines become {"id", "error"} lines.

    Articles go to ``extractor.extract_many`` in chunks of ``BATCH_CHUNK``; with more than
    one worker, processes forked after the models load (sharing their memory) take the
    chunks, and the results are written in input order."""
    import multiprocessing
    from contextlib import nullcontext

    from watchfloor.ingest.parse import article_from_json_line, decode_text

    global _BATCH_EXTRACTOR
    try:
        raw_lines = input_path.read_bytes().split(b"\n")
    except OSError as exc:
        raise InputError(
            f"cannot read file: {exc.strerror or exc}", source=str(input_path)
        ) from exc
    if raw_lines and raw_lines[-1].strip() == b"":
        raw_lines = raw_lines[:-1]
    source = str(input_path)
    # each line: (number, id to report, the article or the error reading it)
    parsed: list[tuple[int, str, Any]] = []
    for number, raw in enumerate(raw_lines, start=1):
        fallback_id = _line_id(raw) or f"line-{number}"
        try:
            item: Any = article_from_json_line(
                decode_text(raw, source=source), source=source, line=number, default_id=fallback_id
            )
        except WatchfloorError as exc:
            item = exc
        parsed.append((number, fallback_id, item))
    good = [p for p in parsed if not isinstance(p[2], WatchfloorError)]
    chunks = [good[k : k + BATCH_CHUNK] for k in range(0, len(good), BATCH_CHUNK)]
    workers = _batch_workers(workers, len(chunks))
    extractor.warm_up()
    _BATCH_EXTRACTOR = extractor
    # the pool forks before the progress bar starts its refresh thread
    pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else nullcontext(None)
    failed = 0
    with pool as procs, output_path.open("wb") as sink, _progress(not err.is_terminal) as progress:
        task = progress.add_task("extracting", total=len(raw_lines), rate="")
        started = time.monotonic()
        articles = ([item for _, _, item in chunk] for chunk in chunks)
        done_chunks = (
            procs.imap(_extract_chunk, articles) if procs else map(_extract_chunk, articles)
        )
        results: dict[int, dict[str, Any] | WatchfloorError] = {}
        waiting = iter(zip(chunks, done_chunks, strict=True))
        for number, fallback_id, item in parsed:
            while not isinstance(item, WatchfloorError) and number not in results:
                chunk, got = next(waiting)
                results.update((n, r) for (n, _, _), r in zip(chunk, got, strict=True))
            result = item if isinstance(item, WatchfloorError) else results.pop(number)
            if isinstance(result, WatchfloorError):
                result.source, result.line = result.source or source, result.line or number
                result = {"id": fallback_id, "error": result.one_line()}
                failed += 1
            sink.write(orjson.dumps(result) + b"\n")
            rate = number / max(time.monotonic() - started, 1e-9)
            progress.update(task, advance=1, rate=f"{rate:.1f} articles/s")
    _BATCH_EXTRACTOR = None
    return failed


def _line_id(raw: bytes) -> str | None:
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    value = obj.get("id") if isinstance(obj, dict) else None
    return str(value) if value not in (None, "") else None


# -- ingest ---------------------------------------------------------------------------------


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or feed URLs.")],
    published: Annotated[
        str | None, typer.Option(help="Publication date for inputs that carry none (plain text).")
    ] = None,
    outlet_context: Annotated[
        bool,
        typer.Option(
            "--outlet-context",
            help="Read the input twice and place each article's names with its outlet's usual "
            "places, learnt from the outlet's other articles in the input.",
        ),
    ] = False,
    database_url: DbOption = None,
) -> None:
    """Read articles, extract their events and store them (re-ingesting adds nothing)."""
    from watchfloor.ingest.parse import parse_published
    from watchfloor.service import ingest_items

    try:
        settings = _settings(database_url)
        if outlet_context:
            settings = settings.model_copy(update={"outlet_context": True})
        date = parse_published(published, source="--published")
        report = ingest_items(
            settings,
            paths,
            date,
            progress=_progress(False),
            on_error=print_error,
        )
    except WatchfloorError as exc:
        raise _fail(exc) from None
    err.print(
        f"{report.articles_added} new article(s), {report.reports_added} report(s): "
        f"{report.events_added} new event(s), {report.merged} fused into known events; "
        f"{report.org_developments_added} organisational development(s); "
        f"{report.duplicates} already stored; {report.failed} failed "
        f"({report.rate:.1f} articles/s)",
        markup=False,
    )
    if report.failed:
        raise typer.Exit(InputError.exit_code)


# -- query ----------------------------------------------------------------------------------


@app.command()
def events(
    since: Annotated[str | None, typer.Option(help="Earliest event date YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Latest event date YYYY-MM-DD.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO2 country code, e.g. PK.")] = None,
    admin1: Annotated[str | None, typer.Option(help="Province/state name.")] = None,
    actor: Annotated[str | None, typer.Option(help="Perpetrator name (substring) or id.")] = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="ACLED event type or sub-event type.")
    ] = None,
    admin2: Annotated[str | None, typer.Option(help="District/county name.")] = None,
    near: Annotated[
        str | None, typer.Option(help="LAT,LON,KM: events within KM kilometres of a point.")
    ] = None,
    as_of: AsOfOption = None,
    limit: Annotated[int | None, typer.Option(min=1)] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    database_url: DbOption = None,
) -> None:
    """List stored events (each one fused from every report of it)."""
    from watchfloor.ingest.parse import parse_published
    from watchfloor.store import EventFilter, Store

    if fmt not in ("table", "json", "csv"):
        err.print(f"[W100] --format: {fmt!r} is not one of table, json, csv", markup=False)
        raise typer.Exit(2)
    try:
        settings = _settings(database_url)
        flt = EventFilter(
            since=parse_published(since, source="--since"),
            until=parse_published(until, source="--until"),
            country=country,
            admin1=admin1,
            actor=actor,
            event_type=event_type,
            admin2=admin2,
            near=parse_near(near),
            as_of=parse_as_of(as_of),
            limit=limit,
        )
        rows = Store.open(settings.resolved_database_url).events(flt)
    except WatchfloorError as exc:
        raise _fail(exc) from None
    if fmt == "json":
        sys.stdout.write(
            orjson.dumps([r.to_json() for r in rows], option=orjson.OPT_INDENT_2).decode() + "\n"
        )
    elif fmt == "csv":
        sys.stdout.write(_events_csv(rows))
    else:
        table = Table(title=f"{len(rows)} event(s)")
        for column in ("id", "date", "place", "type", "perpetrator", "killed", "wounded"):
            table.add_column(column)
        for row in rows:
            summary = row.summary()
            table.add_row(
                str(row.id),
                summary["date"],
                summary["place"],
                summary["type"],
                summary["perpetrator"],
                summary["killed"],
                summary["wounded"],
            )
        out.print(table)


def _events_csv(rows: list[Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = [
        "id",
        "date",
        "date_precision",
        "event_type",
        "sub_event_type",
        "location",
        "admin1",
        "admin2",
        "country",
        "latitude",
        "longitude",
        "geo_precision",
        "perpetrator",
        "perpetrator_status",
        "fatalities",
        "injuries",
        "civilian_targeting",
        "confidence",
        "article_title",
        "article_url",
    ]
    writer.writerow(header)
    for row in rows:
        d = row.data
        loc = d.get("location") or {}
        perp = d.get("perpetrator") or {}
        writer.writerow(
            [
                row.id,
                d.get("date"),
                d.get("date_precision"),
                d.get("event_type"),
                d.get("sub_event_type"),
                loc.get("name"),
                loc.get("admin1"),
                loc.get("admin2"),
                loc.get("country"),
                loc.get("lat"),
                loc.get("lon"),
                loc.get("geo_precision"),
                perp.get("name"),
                perp.get("status"),
                (d.get("fatalities") or {}).get("best"),
                (d.get("injuries") or {}).get("best"),
                d.get("civilian_targeting"),
                d.get("confidence"),
                row.article_title,
                row.article_url,
            ]
        )
    return buffer.getvalue()


@app.command()
def show(
    event_id: Annotated[int, typer.Argument(help="Event id from `watchfloor events`.")],
    as_of: AsOfOption = None,
    database_url: DbOption = None,
) -> None:
    """One event with every field, its evidence, its sources with their tolls and its claims."""
    from watchfloor.store import Store

    try:
        settings = _settings(database_url)
        store = Store.open(settings.resolved_database_url)
        stored, article = store.event(event_id, as_of=parse_as_of(as_of))
        history = store.history(event_id)
    except WatchfloorError as exc:
        raise _fail(exc) from None
    data = stored.data
    summary = stored.summary()
    out.print(f"[bold]Event {stored.id}[/bold]  {summary['type']}")
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    for key in ("date", "place", "perpetrator", "killed", "wounded"):
        table.add_row(key, summary[key])
    for key in (
        "date_earliest",
        "date_latest",
        "date_precision",
        "attack_type",
        "civilian_targeting",
        "confidence",
    ):
        table.add_row(key, str(data.get(key)))
    loc = data.get("location") or {}
    table.add_row(
        "coordinates",
        f"{loc.get('lat')}, {loc.get('lon')} "
        f"(precision {loc.get('geo_precision')}, GeoNames {loc.get('geonames_id')})",
    )
    table.add_row(
        "targets",
        "; ".join(f"{t['name']} ({t.get('category')})" for t in data.get("targets") or []),
    )
    table.add_row(
        "claims",
        "; ".join(
            f"{c['by']}: {c['stance']}" + (f" via {c['channel']}" if c.get("channel") else "")
            for c in data.get("claims") or []
        ),
    )
    out.print(table)
    out.print("[bold]Evidence[/bold]")
    for span in data.get("evidence") or []:
        out.print(
            f"  {span.get('field', '')}: “{span['text']}” [{span['start']}:{span['end']}]",
            markup=False,
            highlight=False,
        )
    out.print(
        f"[bold]Evidence from[/bold] {article.title or article.external_id} "
        f"({article.source or 'unknown outlet'}, published {article.published}) "
        f"{article.url or ''}",
        highlight=False,
    )
    out.print(_sources_table(stored))
    if stored.ledger:
        out.print(_ledger_table(stored))
    if len(history) > 1:
        out.print(_history_table(history))


def _sources_table(stored: Any) -> Table:
    table = Table(title="Reports fused into this event", title_justify="left")
    for name in ("report", "outlet", "published", "title", "killed", "wounded"):
        table.add_column(name)
    for ref in stored.sources:
        table.add_row(
            str(ref.report_id),
            ref.source or "",
            str(ref.published or ""),
            ref.title or "",
            "" if ref.fatalities is None else str(ref.fatalities),
            "" if ref.injuries is None else str(ref.injuries),
        )
    return table


def _ledger_table(stored: Any) -> Table:
    table = Table(title="Claim ledger", title_justify="left")
    for name in ("who", "stance", "channel", "reported by", "published"):
        table.add_column(name)
    for entry in stored.ledger:
        table.add_row(
            entry.by, entry.stance, entry.channel or "", entry.source or "", str(entry.published)
        )
    return table


def _history_table(history: list[Any]) -> Table:
    table = Table(title="Revisions", title_justify="left")
    for name in ("version", "from", "change", "reports", "killed low/best/high", "wounded"):
        table.add_column(name)
    for v in history:
        low, best, high = v.fatalities
        table.add_row(
            str(v.version),
            v.valid_from.isoformat(timespec="seconds"),
            v.change or "",
            str(v.report_count),
            "/".join("" if x is None else str(x) for x in (low, best, high)),
            "" if v.injuries is None else str(v.injuries),
        )
    return table


@app.command()
def status(database_url: DbOption = None) -> None:
    """Row counts of the database and where it is."""
    from watchfloor.store import Store

    try:
        settings = _settings(database_url)
        counts = Store.open(settings.resolved_database_url).counts()
    except WatchfloorError as exc:
        raise _fail(exc) from None
    out.print(f"database: {settings.resolved_database_url}", markup=False)
    for table, count in counts.items():
        out.print(f"  {table}: {count}", markup=False)


# -- serve ----------------------------------------------------------------------------------


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    database_url: DbOption = None,
) -> None:
    """Serve the event page and JSON API over the database."""
    import uvicorn

    from watchfloor.serve.app import create_app

    try:
        settings = load_settings(database_url=database_url, host=host, port=port)
        application = create_app(settings)
    except WatchfloorError as exc:
        raise _fail(exc) from None
    err.print(
        f"serving {settings.resolved_database_url} at http://{settings.host}:{settings.port}",
        markup=False,
    )
    uvicorn.run(application, host=settings.host, port=settings.port, log_level="warning")


@app.command()
def demo(
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
    database_url: DbOption = None,
) -> None:
    """Ingest the bundled sample corpus, then serve it (what `make demo` runs)."""
    ingest([str(SAMPLES)], None, database_url)
    if serve_after:
        serve(None, None, database_url)


gazetteer_app = typer.Typer(help="The offline gazetteer index.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("build")
def gazetteer_build(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Rebuild even if current.")] = False,
) -> None:
    """Build the gazetteer index in the cache directory if missing or outdated; report it."""
    from watchfloor.resolve.gazetteer import Gazetteer

    try:
        settings = _settings()
        started = time.monotonic()
        gazetteer = Gazetteer.open(settings.gazetteer_dir, rebuild=rebuild)
    except WatchfloorError as exc:
        raise _fail(exc) from None
    info = gazetteer.info()
    out.print(
        f"gazetteer ready in {time.monotonic() - started:.1f} s: {info['entries']} entries, "
        f"{info.get('bytes', 0) / 2**20:.0f} MiB at {info['path']} "
        f"(built in {info['build_seconds']:.1f} s, version {info['version']})",
        markup=False,
    )


eval_app = typer.Typer(help="Score watchfloor on public benchmarks.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

JsonOut = Annotated[Path | None, typer.Option("--json-out", help="Also write every figure here.")]


def _write_json(path: Path | None, figures: dict[str, Any]) -> None:
    if path is not None:
        path.write_bytes(orjson.dumps(figures, option=orjson.OPT_INDENT_2) + b"\n")
        err.print(f"figures written to {path}", markup=False)


@eval_app.command("case")
def eval_case(
    data: Annotated[
        Path, typer.Option("--data", help="CASE-2021 task 2 TSV (id, snippet, label).")
    ],
    limit: Annotated[
        int | None, typer.Option(min=1, help="Score only the first N snippets.")
    ] = None,
    json_out: JsonOut = None,
) -> None:
    """Event classification on CASE-2021 task 2 snippets: weighted/macro F1, ATTRIB F1."""
    from watchfloor.eval.case2021 import evaluate, load_snippets, path_rows, report_dict
    from watchfloor.model import Article

    try:
        snippets = load_snippets(data)[:limit]
        extractor = _warm_extractor()
        report = evaluate(
            snippets, lambda s: extractor.extract(Article(id=s.snippet_id, text=s.text))
        )
    except WatchfloorError as exc:
        raise _fail(exc) from None
    figures = report_dict(report)
    table = Table(title=f"CASE-2021 task 2 ({len(snippets)} snippets)")
    for column in ("path", "labels", "snippets", "accuracy", "weighted F1", "macro F1"):
        table.add_column(column, justify="right")
    for row in path_rows(figures):
        table.add_row(*row)
    out.print(table)
    if figures.get("seen_in_training"):
        err.print(
            f"note: {figures['seen_in_training']} snippet(s) were in the classifier's training "
            "data; its figures on them are not held-out (see docs/benchmarks.md for the "
            "cross-validated ones)",
            markup=False,
        )
    attrib = figures["attrib"]
    out.print(
        f"claims of responsibility (ATTRIB): P {attrib['precision']:.2f} "
        f"R {attrib['recall']:.2f} F1 {attrib['f1']:.2f} ({attrib['support']} gold); "
        f"snippets with no event: {figures['no_event']}",
        markup=False,
    )
    _write_json(json_out, {"benchmark": "case2021-task2", "data": str(data), **figures})


@eval_app.command("muc4")
def eval_muc4(
    gold: Annotated[Path, typer.Option("--gold", help="MUC-4 gold templates (GTT JSON Lines).")],
    pred: Annotated[
        Path | None,
        typer.Option("--pred", help="Predicted templates (GTT format); omit to run our extractor."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Only the first N gold documents.")
    ] = None,
    full_slots: Annotated[
        Path | None,
        typer.Option("--full-slots", help="Key slots file (date, place, claim, casualties)."),
    ] = None,
    raw_texts: Annotated[
        Path | None,
        typer.Option(
            "--raw-texts", help="Original messages (default: raw_texts/ beside the gold folder)."
        ),
    ] = None,
    pred_out: Annotated[
        Path | None, typer.Option("--pred-out", help="Write our predictions (GTT format) here.")
    ] = None,
    roles: Annotated[
        str,
        typer.Option(
            "--roles",
            help="Who fills perpetrators, targets, victims and weapons: the trained 'model' "
            "(shipped package data) or the head-word 'rules'.",
        ),
    ] = "model",
    json_out: JsonOut = None,
) -> None:
    """The MUC-4 GTT template metric (shared/eval/GTT_METRIC.md): on a predictions file, or end
    to end with our extractor over the gold documents' texts."""
    from watchfloor.eval import gtt

    if pred is not None:
        try:
            report = gtt.score(gtt.load_gold(gold), gtt.load_predictions(pred))
        except WatchfloorError as exc:
            raise _fail(exc) from None
        out.print(gtt.render(report), markup=False, highlight=False, soft_wrap=True)
        _write_json(
            json_out,
            {
                "benchmark": "muc4-gtt",
                "gold": str(gold),
                "pred": str(pred),
                **gtt.report_dict(report),
            },
        )
        return

    from watchfloor.eval import muc4

    data_dir = gold.resolve().parent.parent.parent
    raw_dir = raw_texts or gold.resolve().parent.parent / "raw_texts"
    try:
        extractor = _warm_extractor()
        with _progress(not err.is_terminal) as progress:
            task = progress.add_task("extracting", total=None, rate="")
            result = muc4.run(
                gold,
                extractor,
                raw_dir=raw_dir if raw_dir.is_dir() else None,
                limit=limit,
                full_slots=full_slots,
                case_texts=muc4.default_case_texts(data_dir),
                lowered_texts=muc4.default_lowered_texts(gold.resolve()),
                progress=lambda n, total: progress.update(task, completed=n, total=total),
                roles=roles,
            )
    except WatchfloorError as exc:
        raise _fail(exc) from None
    out.print(gtt.render(result.report), markup=False, highlight=False, soft_wrap=True)
    if result.full_slots is not None:
        table = Table(title="Extra slots over the template pairs the metric chose")
        for column in ("slot", "pairs", "accuracy", "P", "R", "F1"):
            table.add_column(column, justify="right")
        for slot, row in muc4.slots_dict(result.full_slots).items():
            table.add_row(
                slot,
                str(row["pairs"]),
                f"{row['accuracy']:.2f}",
                f"{row['precision']:.2f}",
                f"{row['recall']:.2f}",
                f"{row['f1']:.2f}",
            )
        out.print(table)
    out.print(
        f"{result.documents} documents ({result.from_raw} from raw texts, truecased: "
        f"{result.truecased}, roles: {result.roles}), "
        f"{result.documents / max(result.seconds, 1e-9):.1f} docs/s",
        markup=False,
    )
    if pred_out is not None:
        pred_out.write_bytes(orjson.dumps(muc4.predictions_file(result.predictions)) + b"\n")
    figures: dict[str, Any] = {
        "benchmark": "muc4-e2e",
        "gold": str(gold),
        "documents": result.documents,
        "from_raw": result.from_raw,
        "truecased": result.truecased,
        "roles": result.roles,
        "seconds": round(result.seconds, 2),
        "reference_test_f1": 53.01,
        **gtt.report_dict(result.report),
    }
    if result.full_slots is not None:
        figures["full_slots"] = muc4.slots_dict(result.full_slots)
    _write_json(json_out, figures)


@eval_app.command("newsroom")
def eval_newsroom(
    cases: Annotated[Path, typer.Option("--cases", help="Folder of <id>.txt + <id>.json cases.")],
    json_out: JsonOut = None,
) -> None:
    """The newsroom figures of shared/eval/score_newsroom.py, extracting in-process."""
    from watchfloor.eval import newsroom

    try:
        extractor = _warm_extractor()
        result = newsroom.run(cases, extractor.extract)
    except WatchfloorError as exc:
        raise _fail(exc) from None
    figures = newsroom.report_dict(result, cases)
    table = Table(title=f"Newsroom cases ({result.cases})")
    for column in ("field", "P", "R", "F1", "TP", "FP", "FN"):
        table.add_column(column, justify="right")
    metrics = result.figures
    rows = {
        **metrics["slots"],
        "ALL SLOTS (micro)": metrics["slots_micro"],
        "event detection": metrics["event"],
        "org (kind+group)": metrics["org"],
        "org (+parent)": metrics["org_with_parent"],
    }
    for name, row in rows.items():
        table.add_row(
            name,
            f"{row['precision']:.1f}",
            f"{row['recall']:.1f}",
            f"{row['f1']:.1f}",
            str(row["tp"]),
            str(row["fp"]),
            str(row["fn"]),
        )
    out.print(table)
    head = figures["headline"]
    out.print(
        f"non-event hits: {metrics['non_event_hits']}\n"
        f"event F1 = {head['event_f1']:.1f}\norg F1 = {head['org_f1']:.1f}\n"
        f"newsroom slot F1 = {head['newsroom_slot_f1']:.1f}",
        markup=False,
        highlight=False,
    )
    _write_json(json_out, figures)


@eval_app.command("render")
def eval_render(
    results: Annotated[Path, typer.Option("--results", help="Folder of figures files.")] = Path(
        "build/eval"
    ),
    out_file: Annotated[Path, typer.Option("--out", help="Markdown page to write.")] = Path(
        "docs/benchmarks.md"
    ),
) -> None:
    """Write docs/benchmarks.md from the figures `make eval` collected."""
    import datetime as dt
    import subprocess

    from watchfloor.eval.report import load_results, render

    try:
        figures = load_results(results)
    except WatchfloorError as exc:
        raise _fail(exc) from None
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    out_file.write_text(render(figures, commit, dt.date.today()), encoding="utf-8")
    err.print(f"wrote {out_file} from {len(figures)} figures file(s)", markup=False)


def _prf_table(title: str, rows: dict[str, dict[str, Any]]) -> Table:
    table = Table(title=title)
    for column in ("", "P", "R", "F1"):
        table.add_column(column, justify="right")
    for name, row in rows.items():
        table.add_row(name, f"{row['precision']:.3f}", f"{row['recall']:.3f}", f"{row['f1']:.3f}")
    return table


@eval_app.command("wikievents")
def eval_wikievents(
    data: Annotated[Path, typer.Option("--data", help="WikiEvents split (e.g. dev.jsonl).")],
    json_out: JsonOut = None,
) -> None:
    """End to end on WikiEvents: attack/die/injure events and their arguments (head, coref)."""
    from watchfloor.eval.wikievents import default_coref_path, evaluate, load_documents, report_dict
    from watchfloor.model import Article

    try:
        docs = load_documents(data, default_coref_path(data))
        extractor = _warm_extractor()
        report = evaluate(
            docs,
            lambda doc_id, text: extractor.extract(Article(id=doc_id, text=text)).to_contract()[
                "events"
            ],
        )
    except WatchfloorError as exc:
        raise _fail(exc) from None
    figures = report_dict(report)
    out.print(
        _prf_table(
            f"WikiEvents ({len(docs)} documents): detection and arguments (head)",
            {"event detection": figures["event_detection"], **figures["arguments"]["head"]},
        )
    )
    out.print(_prf_table("arguments (coreference-aware)", figures["arguments"]["coref"]))
    _write_json(json_out, {"benchmark": "wikievents", "data": str(data), **figures})


@eval_app.command("relations")
def eval_relations(
    data: Annotated[Path, typer.Option("--data", help="MMP relations CSV, or its folder.")],
    json_out: JsonOut = None,
) -> None:
    """Relation type and group pair from Mapping Militant Organizations description sentences."""
    from watchfloor.eval.relations import evaluate, load_relations, report_dict
    from watchfloor.resolve.actors import ActorKB

    path = data / "Militant-Group-Relationships-clean.csv" if data.is_dir() else data
    try:
        report = evaluate(load_relations(path), ActorKB.load())
    except WatchfloorError as exc:
        raise _fail(exc) from None
    figures = report_dict(report)
    out.print(
        _prf_table(
            f"MMP relations ({figures['examples']} sentences)",
            {**figures["per_kind"], "micro": figures["micro"]},
        )
    )
    _write_json(json_out, {"benchmark": "relations", "data": str(path), **figures})


@eval_app.command("geo")
def eval_geo(
    data: Annotated[Path, typer.Option("--data", help="LGL, GeoVirus, TR-News or GeoWebNews XML.")],
    limit: Annotated[
        int | None, typer.Option(min=1, help="Score only the first N articles.")
    ] = None,
    json_out: JsonOut = None,
) -> None:
    """Toponym recognition and resolution: P/R/F1, Acc@161 km, error AUC, admin accuracy."""
    from watchfloor.eval.geo import evaluate, load_corpus, report_dict
    from watchfloor.resolve.gazetteer import Gazetteer

    try:
        settings = _settings()
        docs = load_corpus(data)[:limit]
        report = evaluate(docs, Gazetteer.open(settings.gazetteer_dir))
    except WatchfloorError as exc:
        raise _fail(exc) from None
    figures = report_dict(report)
    table = Table(title=f"geoparsing: {data.name} ({len(docs)} articles)", show_header=False)
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in figures.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        table.add_row(key, shown)
    out.print(table)
    _write_json(json_out, {"benchmark": "geoparsing", "data": str(data), **figures})


@app.command()
def bench(
    articles: Annotated[
        int, typer.Option(min=1, help="Corpus size (samples and MUC-4 train texts, alternating).")
    ] = 100,
    muc4_train: Annotated[
        Path | None,
        typer.Option(
            "--muc4-train",
            help="MUC-4 train.json (GTT); default: the shared data beside the checkout, if any.",
        ),
    ] = None,
    fusion_reports: Annotated[
        int, typer.Option(min=0, help="Synthetic reports for the in-memory fusion run (0: skip).")
    ] = 100_000,
    min_words: Annotated[
        int,
        typer.Option(
            min=0, help="Lengthen shorter articles with the texts after them to this many words."
        ),
    ] = 0,
    json_out: JsonOut = None,
) -> None:
    """Throughput, latency and memory of extract (1 and 2 workers), ingest, fusion and queries;
    extraction speed as a ratio of spaCy's own pipeline."""
    from watchfloor.errors import UnreadableInput
    from watchfloor.eval.bench import DEFAULT_MUC4_TRAIN, report_dict, run_bench
    from watchfloor.eval.report import bench_lines
    from watchfloor.ingest import read_paths
    from watchfloor.model import Article

    train = muc4_train or DEFAULT_MUC4_TRAIN
    if muc4_train is not None and not muc4_train.is_file():
        raise _fail(UnreadableInput("no such MUC-4 train file", source=str(muc4_train)))
    try:
        samples = [a for a in read_paths([str(SAMPLES)]) if isinstance(a, Article)]
        report = run_bench(
            _settings(),
            samples,
            articles,
            muc4_train=train,
            fusion_reports=fusion_reports,
            min_words=min_words,
        )
    except WatchfloorError as exc:
        raise _fail(exc) from None
    table = Table(
        title=f"watchfloor bench: {report.articles} articles ({report.sample_articles} samples, "
        f"{report.muc4_articles} MUC-4), {report.words} words "
        f"({report.words_per_article:.0f} words/article)"
    )
    for column in ("stage", "items", "unit", "seconds", "items/s", "words/s", "p50 ms", "p95 ms"):
        table.add_column(column, justify="left" if column in ("stage", "unit") else "right")
    for t in report.timings:
        table.add_row(
            t.name,
            str(t.items),
            t.unit,
            f"{t.seconds:.2f}",
            f"{t.items_per_second:.1f}",
            f"{t.words_per_second:.0f}" if t.words_per_second else "",
            f"{t.p50_ms:.1f}" if t.p50_ms else "",
            f"{t.p95_ms:.1f}" if t.p95_ms else "",
        )
    out.print(table)
    out.print(bench_lines(report_dict(report))[-1], markup=False)
    _write_json(json_out, {"benchmark": "bench", **report_dict(report)})


from watchfloor.commands import actors as _actors_commands  # noqa: E402
from watchfloor.commands import exchange as _exchange_commands  # noqa: E402
from watchfloor.commands import fusion as _fusion_commands  # noqa: E402
from watchfloor.commands import review as _review_commands  # noqa: E402
from watchfloor.commands import spark as _spark_commands  # noqa: E402
from watchfloor.commands import tokens as _token_commands  # noqa: E402
from watchfloor.commands import watch as _watch_commands  # noqa: E402

_actors_commands.register(app)
_exchange_commands.register(app)
_review_commands.register(app)
_spark_commands.register(app)
_token_commands.register(app)
_watch_commands.register(app)
_fusion_commands.register_eval(eval_app)


def main() -> None:
    try:
        app()
    except WatchfloorError as exc:  # anything a command did not catch itself
        print_error(exc)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
