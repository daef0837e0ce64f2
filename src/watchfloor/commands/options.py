"""Options shared by commands in several modules, so each is spelt and documented once."""

from __future__ import annotations

from typing import Annotated

import typer

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
