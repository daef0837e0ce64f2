"""`watchfloor watch`, `watchfloor coverage`, `watchfloor alerts`: live monitoring commands."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import threading
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from watchfloor.commands.options import DbOption
from watchfloor.commands.options import fail as _fail
from watchfloor.errors import ConfigError, WatchfloorError

err = Console(stderr=True)
out = Console()

SinceOption = Annotated[str | None, typer.Option("--since", help="First day, YYYY-MM-DD.")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Last day, YYYY-MM-DD.")]


def default_watch_config() -> Path:
    from watchfloor.settings import default_config_path

    return default_config_path().parent / "watch.yaml"


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def _store(database_url: str | None) -> Any:
    from watchfloor.settings import load_settings
    from watchfloor.store import Store

    return Store.open(load_settings(database_url=database_url).resolved_database_url)


def _health_table(states: list[Any]) -> Table:
    table = Table("source", "kind", "status", "failures", "new items", "articles", "next poll")
    for s in states:
        table.add_row(
            s.name,
            s.kind,
            s.status,
            str(s.failures),
            str(s.items_seen),
            str(s.articles_added),
            s.next_due.strftime("%Y-%m-%d %H:%M:%S") if s.next_due else "-",
        )
    return table


def register(app: typer.Typer) -> None:
    """Add `watch`, `coverage` and `alerts` to the main application."""

    @app.command("watch")
    def watch(
        config: Annotated[
            Path | None,
            typer.Option("--config", help="Watch YAML (default ~/.config/watchfloor/watch.yaml)."),
        ] = None,
        once: Annotated[
            bool, typer.Option("--once", help="Poll every source once, alert, and exit.")
        ] = False,
        backfill: Annotated[
            bool,
            typer.Option(
                "--backfill", help="Also raise alerts over events stored before this run."
            ),
        ] = False,
        database_url: DbOption = None,
    ) -> None:
        """Poll feeds, folders and JSONL drops; ingest what is new; print novelty alerts.

        Runs until SIGTERM or Ctrl-C (the cycle in progress finishes first).
        """
        from watchfloor.settings import load_settings
        from watchfloor.watch.config import load_config
        from watchfloor.watch.runner import Watcher, stop_on_signals

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
        path = config or default_watch_config()
        try:
            cfg = load_config(path)
            watcher = Watcher(load_settings(database_url=database_url), cfg, stdout=sys.stdout)
        except WatchfloorError as exc:
            raise _fail(exc) from None
        stop = threading.Event()
        stop_on_signals(stop)
        try:
            if backfill:
                watcher.backfill()
            watcher.run(stop, once=once)
        except WatchfloorError as exc:
            raise _fail(exc) from None
        finally:
            states = watcher.health()
            watcher.close()
        err.print(_health_table(states))
        if once and any(s.status != "ok" for s in states):
            raise typer.Exit(7)

    @app.command("coverage")
    def coverage(
        since: SinceOption = None,
        until: UntilOption = None,
        country: Annotated[str | None, typer.Option("--country", help="ISO2 country code.")] = None,
        fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
        database_url: DbOption = None,
    ) -> None:
        """Articles, events, single-source share and reporting gaps per region and source.

        Quiet days had articles but no events; silent days had no articles at all.
        """
        from watchfloor.watch.coverage import from_store

        try:
            if fmt not in ("table", "json"):
                raise ConfigError(f"--format must be table or json, not {fmt!r}")
            report = from_store(
                _store(database_url),
                since=_day(since, "--since"),
                until=_day(until, "--until"),
                country=country,
            )
        except WatchfloorError as exc:
            raise _fail(exc) from None
        if fmt == "json":
            typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
            return
        for title, rows in (("region", report.regions), ("source", report.sources)):
            table = Table(
                title,
                "country",
                "articles",
                "events",
                "single-source",
                "event days",
                "quiet days",
                "silent days",
                title=f"{report.since} .. {report.until} ({title}s)",
            )
            for r in rows:
                share = "-" if r.single_source_share is None else f"{r.single_source_share:.0%}"
                table.add_row(
                    r.name,
                    r.country or "",
                    str(r.articles),
                    str(r.events),
                    share,
                    str(r.days_with_events),
                    str(r.quiet_days),
                    str(r.silent_days),
                )
            out.print(table)

    @app.command("alerts")
    def alerts(
        since: SinceOption = None,
        rule: Annotated[str | None, typer.Option("--rule", help="Only this rule.")] = None,
        fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
        limit: Annotated[int, typer.Option("--limit", min=1)] = 200,
        database_url: DbOption = None,
    ) -> None:
        """The alert log, newest first, with the events each alert cites."""
        from watchfloor.store.watch import WatchStore

        try:
            if fmt not in ("table", "json"):
                raise ConfigError(f"--format must be table or json, not {fmt!r}")
            found = WatchStore(_store(database_url)).alerts(
                since=_day(since, "--since"), rule=rule, limit=limit
            )
        except WatchfloorError as exc:
            raise _fail(exc) from None
        if fmt == "json":
            typer.echo(json.dumps([a.to_json() for a in found], indent=2, ensure_ascii=False))
            return
        table = Table("day", "rule", "alert", "events")
        for a in found:
            table.add_row(
                a.day.isoformat() if a.day else "",
                a.rule,
                a.title,
                ", ".join(str(i) for i in a.data.get("event_ids", [])),
            )
        out.print(table)
