"""Options and error reporting shared by commands in several modules, so each is spelt and
documented once."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from watchfloor.errors import WatchfloorError

DbOption = Annotated[
    str | None,
    typer.Option(
        "--database-url", help="SQLAlchemy URL; default WATCHFLOOR_DATABASE_URL or SQLite."
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="What the database knew then: ISO timestamp, or a date (= the end of that day, UTC).",
    ),
]


_stderr = Console(stderr=True)


def print_error(exc: WatchfloorError) -> None:
    """The error's one line on stderr, unwrapped even when stderr is a pipe or a log file."""
    _stderr.print(exc.one_line(), markup=False, highlight=False, soft_wrap=True)


def fail(exc: WatchfloorError) -> typer.Exit:
    """Print the error's line and return the exit a command raises (``raise fail(exc)``)."""
    print_error(exc)
    return typer.Exit(exc.exit_code)
