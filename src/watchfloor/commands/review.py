"""Review commands: explain a fused event, and let a person merge, split or correct it.

Every change goes through the store's audit trail (`watchfloor merges` shows it), so a
decision can be traced and undone.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from watchfloor.commands.options import DbOption

ByOption = Annotated[
    str, typer.Option("--by", help="Who makes this change (kept in the audit trail).")
]
NoteOption = Annotated[str | None, typer.Option("--note", help="Why (kept in the audit trail).")]


def _store(database_url: str | None) -> Any:
    from watchfloor.cli import _settings
    from watchfloor.store import Store

    return Store.open(_settings(database_url).resolved_database_url)


def _features(features: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in features.items() if v not in (None, False))


def merges(
    event_id: Annotated[int, typer.Argument(help="Event id.")],
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    database_url: DbOption = None,
) -> None:
    """Why an event is what it is: every fusion decision and review action, with its reasons."""
    from watchfloor.cli import _fail, out
    from watchfloor.errors import WatchfloorError

    try:
        trail = _store(database_url).changes(event_id)
    except WatchfloorError as exc:
        raise _fail(exc) from None
    if fmt == "json":
        out.print_json(json.dumps([c.to_json() for c in trail]))
        return
    table = Table(title=f"Audit trail of event {event_id}", title_justify="left")
    for name in ("change", "at", "kind", "report", "other event", "score", "by", "why"):
        table.add_column(name)
    for c in trail:
        table.add_row(
            str(c.id),
            c.at.isoformat(timespec="seconds"),
            c.kind,
            "" if c.report_id is None else str(c.report_id),
            "" if c.other_event_id is None else str(c.other_event_id),
            "" if c.score is None else f"{c.score:.3f}",
            c.by,
            c.note or _features(c.features),
        )
    out.print(table)


def merge(
    keep: Annotated[int, typer.Argument(help="Event that stays.")],
    other: Annotated[int, typer.Argument(help="Event folded into it (it retires).")],
    by: ByOption = "reviewer",
    note: NoteOption = None,
    database_url: DbOption = None,
) -> None:
    """Merge two events that are one incident."""
    from watchfloor.cli import _fail, out
    from watchfloor.errors import WatchfloorError

    try:
        change = _store(database_url).merge_events(keep, other, by=by, note=note)
    except WatchfloorError as exc:
        raise _fail(exc) from None
    out.print(f"event {other} merged into event {keep} (change {change})", markup=False)


def unmerge(
    event_id: Annotated[int, typer.Argument(help="Event that holds the report.")],
    report_id: Annotated[int, typer.Argument(help="Report to split off (see `show`).")],
    by: ByOption = "reviewer",
    note: NoteOption = None,
    database_url: DbOption = None,
) -> None:
    """Take one report out of an event; it becomes an event of its own."""
    from watchfloor.cli import _fail, out
    from watchfloor.errors import WatchfloorError

    try:
        new_id = _store(database_url).unmerge(event_id, report_id, by=by, note=note)
    except WatchfloorError as exc:
        raise _fail(exc) from None
    out.print(f"report {report_id} now forms event {new_id}", markup=False)


def correct(
    event_id: Annotated[int, typer.Argument(help="Event id.")],
    field: Annotated[str, typer.Argument(help="Dotted field, e.g. location.admin1.")],
    value: Annotated[str, typer.Argument(help="New value (JSON, or plain text for strings).")],
    by: ByOption = "reviewer",
    note: NoteOption = None,
    database_url: DbOption = None,
) -> None:
    """Correct one field of an event; the correction survives later reports."""
    from watchfloor.cli import _fail, out
    from watchfloor.errors import WatchfloorError

    try:
        parsed: Any = json.loads(value)
    except json.JSONDecodeError:
        parsed = value
    try:
        change = _store(database_url).correct_field(event_id, field, parsed, by=by, note=note)
    except WatchfloorError as exc:
        raise _fail(exc) from None
    out.print(f"event {event_id}: {field} set to {parsed!r} (change {change})", markup=False)


def register(app: typer.Typer) -> None:
    """Add the review commands to the main application."""
    app.command()(merges)
    app.command()(merge)
    app.command()(unmerge)
    app.command()(correct)
