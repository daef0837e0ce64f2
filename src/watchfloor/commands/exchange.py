"""Exchange commands: `export` to other formats, `import` reference datasets, `compare`.

The commands are defined inside ``register`` so that they can use the main CLI's option
types and helpers without importing ``watchfloor.cli`` at module import (it imports us).
"""

import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from watchfloor.commands.options import print_error
from watchfloor.errors import ConfigError, InputError, WatchfloorError

Since = Annotated[str | None, typer.Option(help="Earliest event date YYYY-MM-DD.")]
Until = Annotated[str | None, typer.Option(help="Latest event date YYYY-MM-DD.")]
Country = Annotated[str | None, typer.Option(help="ISO2 country code, e.g. PK.")]
Admin1 = Annotated[str | None, typer.Option(help="Province/state name.")]
ActorOpt = Annotated[str | None, typer.Option(help="Perpetrator name (substring) or id.")]
TypeOpt = Annotated[str | None, typer.Option("--type", help="ACLED event type or sub-event type.")]


def _date(value: str | None, option: str) -> dt.date | None:
    from watchfloor.ingest.parse import parse_published

    return parse_published(value, source=option)


def _counted(items: Iterable[Any], advance: Callable[[], None]) -> Iterator[Any]:
    for item in items:
        yield item
        advance()


@contextlib.contextmanager
def _output(path: Path) -> Iterator[TextIO]:
    """Write to ``path`` through a temporary file renamed on success ('-' is stdout)."""
    if str(path) == "-":
        yield sys.stdout
        return
    partial = path.with_name(path.name + ".part")
    try:
        handle = partial.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"cannot write file: {exc.strerror or exc}", source=str(path)) from exc
    try:
        with handle:
            yield handle
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def _run_export(
    fmt: str, output: Path, flt: Any, database_url: str | None, as_of: dt.date | None
) -> None:
    from watchfloor.cli import _progress, _settings, err
    from watchfloor.export import get_format
    from watchfloor.export.geojson import GeoJsonTally, write_geojson
    from watchfloor.export.graphml import load_org_graph, write_graphml
    from watchfloor.export.plover import PloverTally, write_plover
    from watchfloor.store import Store

    spec = get_format(fmt)
    settings = _settings(database_url)
    store = Store.open(settings.resolved_database_url)
    if spec.graph:
        graph = load_org_graph(store, as_of)
        with _output(output) as out:
            nodes = write_graphml(graph, out)
        err.print(
            f"wrote {nodes} group(s) and {graph.number_of_edges()} relation(s) to {output}",
            markup=False,
        )
        return
    options: dict[str, Any] = {}
    extra = ""
    if spec.name == "stix":
        try:
            options["graph"] = load_org_graph(store, as_of)
        except WatchfloorError as exc:
            err.print(f"no organisation relationships in the bundle: {exc.message}", markup=False)
    with _output(output) as out, _progress(not err.is_terminal) as progress:
        task = progress.add_task(f"exporting {spec.name}", total=None, rate="")
        events = _counted(store.iter_events(flt), lambda: progress.advance(task))
        if spec.name == "geojson":
            tally = GeoJsonTally()
            written = write_geojson(events, out, tally)
            extra = f"; {tally.skipped_without_coordinates} without coordinates left out"
        elif spec.name == "plover":
            ptally = PloverTally()
            written = write_plover(events, out, ptally)
            extra = f"; {ptally.skipped_no_class} with no PLOVER class left out"
        else:
            assert spec.writer is not None  # only graph formats lack an event writer
            written = spec.writer(events, out, **options)
    err.print(f"wrote {written} event(s) as {spec.name} to {output}{extra}", markup=False)


def _run_import(dataset: str, file: Path, database_url: str | None) -> int:
    """Import one reference file; returns the number of bad rows (each already reported)."""
    from watchfloor.cli import _progress, _settings, err
    from watchfloor.reference.acled import read_acled
    from watchfloor.reference.records import ReferenceEvent
    from watchfloor.reference.ucdp import read_ucdp
    from watchfloor.store import Store
    from watchfloor.store.reference import add_reference_events

    reader = {"ucdp": read_ucdp, "acled": read_acled}[dataset]
    settings = _settings(database_url)
    store = Store.open(settings.resolved_database_url)
    bad = 0

    def good(items: Iterable[ReferenceEvent | InputError]) -> Iterator[ReferenceEvent]:
        nonlocal bad
        for item in items:
            if isinstance(item, InputError):
                bad += 1
                print_error(item)
            else:
                yield item

    with _progress(not err.is_terminal) as progress:
        task = progress.add_task(f"importing {dataset}", total=None, rate="")
        rows = _counted(reader(file), lambda: progress.advance(task))
        added, present = add_reference_events(store, dataset, good(rows))
    err.print(
        f"{added} {dataset.upper()} event(s) added, {present} already present, {bad} bad row(s)",
        markup=False,
    )
    return bad


def _run_compare(
    dataset: str,
    flt: Any,
    database_url: str | None,
    out_dir: Path | None,
    json_out: Path | None,
) -> None:
    from rich.table import Table

    from watchfloor.cli import _settings, _write_json, err, out
    from watchfloor.reference.compare import OurEvent, compare, kb_actor_keys
    from watchfloor.resolve.actors import ActorKB
    from watchfloor.store import Store
    from watchfloor.store.reference import iter_reference_events

    settings = _settings(database_url)
    store = Store.open(settings.resolved_database_url)
    reference = list(iter_reference_events(store, dataset, flt.since, flt.until, flt.country))
    if not reference:
        raise ConfigError(
            f"no {dataset.upper()} events stored for these filters; "
            f"import them first with `watchfloor import {dataset} FILE`"
        )
    one_day = dt.timedelta(days=1)
    widened = type(flt)(
        since=flt.since - one_day if flt.since else None,
        until=flt.until + one_day if flt.until else None,
        country=flt.country,
        admin1=flt.admin1,
        actor=flt.actor,
        event_type=flt.event_type,
    )
    ours = [OurEvent.from_stored(e) for e in store.iter_events(widened)]
    report = compare(dataset, reference, ours, kb_actor_keys(ActorKB.load()))
    figures = report.figures()

    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{100 * value:.1f} %"

    table = Table(title=f"coverage of {dataset.upper()} by watchfloor")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("of", justify="right")
    table.add_row("reference events", str(report.reference_total), "")
    table.add_row("our events", str(report.our_total), "")
    table.add_row("coverage (reference events matched)", pct(figures["coverage"]), "")
    table.add_row("our events matched", pct(figures["our_events_matched_share"]), "")
    for label, key in (
        ("toll within reference low-high", "toll"),
        ("admin1: same unit", "admin1_same_unit"),
        ("admin1: same spelling", "admin1_same_spelling"),
        ("admin2: same unit", "admin2_same_unit"),
    ):
        table.add_row(label, pct(figures[key]["share"]), str(figures[key]["compared"]))
    out.print(table)
    _write_json(json_out, {"command": "compare", **figures})
    if out_dir is not None:
        from watchfloor.reference.plots import plot_map, plot_monthly

        out_dir.mkdir(parents=True, exist_ok=True)
        for path in (
            plot_map(report, reference, out_dir / f"coverage_{dataset}_map.png"),
            plot_monthly(report, out_dir / f"coverage_{dataset}_monthly.png"),
        ):
            err.print(f"plot written to {path}", markup=False)


def register(app: typer.Typer) -> None:
    """Add `export`, `import ucdp|acled` and `compare` to the main application."""
    from watchfloor.cli import DbOption, JsonOut, _fail

    def event_filter(
        since: str | None,
        until: str | None,
        country: str | None,
        admin1: str | None,
        actor: str | None,
        event_type: str | None,
    ) -> Any:
        from watchfloor.store import EventFilter

        return EventFilter(
            since=_date(since, "--since"),
            until=_date(until, "--until"),
            country=country,
            admin1=admin1,
            actor=actor,
            event_type=event_type,
        )

    @app.command("export")
    def export(
        fmt: Annotated[
            str,
            typer.Option("--format", help="acled, gtd, geojson, jsonl, stix, plover or graphml."),
        ],
        output: Annotated[
            Path, typer.Option("--output", "-o", help="File to write ('-' for stdout).")
        ],
        since: Since = None,
        until: Until = None,
        country: Country = None,
        admin1: Admin1 = None,
        actor: ActorOpt = None,
        event_type: TypeOpt = None,
        database_url: DbOption = None,
    ) -> None:
        """Export stored events (or, for graphml, the organisation graph) to a file."""
        try:
            flt = event_filter(since, until, country, admin1, actor, event_type)
            _run_export(fmt, output, flt, database_url, flt.until)
        except WatchfloorError as exc:
            raise _fail(exc) from None

    import_app = typer.Typer(
        help="Import reference datasets (UCDP GED, ACLED) for `watchfloor compare`.",
        no_args_is_help=True,
    )
    app.add_typer(import_app, name="import")

    def _import(dataset: str, file: Path, database_url: str | None) -> None:
        try:
            bad = _run_import(dataset, file, database_url)
        except WatchfloorError as exc:
            raise _fail(exc) from None
        if bad:
            raise typer.Exit(InputError.exit_code)

    @import_app.command("ucdp")
    def import_ucdp(
        file: Annotated[Path, typer.Argument(help="UCDP GED CSV file.")],
        database_url: DbOption = None,
    ) -> None:
        """Import a UCDP GED CSV (re-importing adds nothing); bad rows are reported and skipped."""
        _import("ucdp", file, database_url)

    @import_app.command("acled")
    def import_acled(
        file: Annotated[Path, typer.Argument(help="ACLED CSV export.")],
        database_url: DbOption = None,
    ) -> None:
        """Import an ACLED CSV export (re-importing adds nothing); bad rows are reported."""
        _import("acled", file, database_url)

    @app.command("compare")
    def compare_command(
        reference: Annotated[
            str, typer.Option("--reference", help="Reference dataset: ucdp or acled.")
        ] = "ucdp",
        since: Since = None,
        until: Until = None,
        country: Country = None,
        admin1: Admin1 = None,
        actor: ActorOpt = None,
        event_type: TypeOpt = None,
        out_dir: Annotated[
            Path | None, typer.Option("--out-dir", help="Write the map and monthly PNGs here.")
        ] = None,
        json_out: JsonOut = None,
        database_url: DbOption = None,
    ) -> None:
        """Coverage of a reference dataset by our events, toll and admin-name agreement."""
        try:
            if reference not in ("ucdp", "acled"):
                raise ConfigError(f"--reference: {reference!r} is not one of ucdp, acled")
            flt = event_filter(since, until, country, admin1, actor, event_type)
            _run_compare(reference, flt, database_url, out_dir, json_out)
        except WatchfloorError as exc:
            raise _fail(exc) from None
