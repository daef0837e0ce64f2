"""`watchfloor token create|list|revoke`: the bearer tokens the HTTP API asks for on writes."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from watchfloor.commands.options import fail as _fail
from watchfloor.errors import WatchfloorError
from watchfloor.settings import load_settings

err = Console(stderr=True)
out = Console()

DbOption = Annotated[
    str | None,
    typer.Option(
        "--database-url", help="SQLAlchemy URL; default WATCHFLOOR_DATABASE_URL or SQLite."
    ),
]


def _tokens(database_url: str | None):  # type: ignore[no-untyped-def]
    from watchfloor.store import Store
    from watchfloor.store.tokens import TokenStore

    settings = load_settings(database_url=database_url)
    return TokenStore(Store.open(settings.resolved_database_url).engine)


def register(app: typer.Typer) -> None:
    """Add the `token` command group to the main application."""
    token_app = typer.Typer(
        help="API tokens for writes (ingest, review) over HTTP.", no_args_is_help=True
    )
    app.add_typer(token_app, name="token")

    @token_app.command("create")
    def create(
        name: Annotated[str, typer.Argument(help="Who or what uses the token, e.g. alice.")],
        database_url: DbOption = None,
    ) -> None:
        """Create a token and print it once; only its SHA-256 is stored."""
        try:
            token, secret = _tokens(database_url).create(name)
        except WatchfloorError as exc:
            raise _fail(exc) from None
        # The secret goes to stdout alone so scripts can capture it; the advice to stderr.
        out.print(secret, markup=False, highlight=False, soft_wrap=True)
        err.print(
            f"token {token.name!r} created; it is shown only now. Send it as "
            "'Authorization: Bearer TOKEN' or paste it into the dashboard.",
            markup=False,
        )

    @token_app.command("list")
    def list_tokens(database_url: DbOption = None) -> None:
        """Token names with their creation and revocation times (never the secrets)."""
        try:
            tokens = _tokens(database_url).list()
        except WatchfloorError as exc:
            raise _fail(exc) from None
        table = Table(title=f"{len(tokens)} token(s)")
        for column in ("id", "name", "created", "revoked"):
            table.add_column(column)
        for token in tokens:
            table.add_row(
                str(token.id),
                token.name,
                token.created_at.isoformat(timespec="seconds"),
                token.revoked_at.isoformat(timespec="seconds") if token.revoked_at else "",
            )
        out.print(table)

    @token_app.command("revoke")
    def revoke(
        name: Annotated[str, typer.Argument(help="Name given to `watchfloor token create`.")],
        database_url: DbOption = None,
    ) -> None:
        """Revoke a token: requests that carry it get 401 from then on."""
        try:
            token = _tokens(database_url).revoke(name)
        except WatchfloorError as exc:
            raise _fail(exc) from None
        when = token.revoked_at.isoformat(timespec="seconds") if token.revoked_at else "?"
        err.print(f"token {token.name!r} revoked at {when}", markup=False)
