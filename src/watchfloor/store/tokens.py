"""API tokens: the SQL behind `watchfloor token` and the server's bearer-token check.

A token is shown once, when it is created; only its SHA-256 is stored, so a copy of the
database does not hand out write access. Revoked tokens stay listed with their revocation time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from watchfloor.errors import ConfigError, NotFound, StoreError
from watchfloor.store.schema import api_tokens

TOKEN_PREFIX = "wf_"
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,127}")


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A token as listed: never the secret itself."""

    id: int
    name: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def token_hash(secret: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands datetimes back without their zone; they were written in UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def _row(row: Any) -> ApiToken:
    revoked = _utc(row.revoked_at) if row.revoked_at is not None else None
    return ApiToken(id=row.id, name=row.name, created_at=_utc(row.created_at), revoked_at=revoked)


class TokenStore:
    """Create, list, revoke and check API tokens in the event database."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def create(self, name: str) -> tuple[ApiToken, str]:
        """A new token named ``name``; returns it with the secret, which is not stored."""
        if not NAME_PATTERN.fullmatch(name):
            raise ConfigError(
                f"token name {name!r} must be 1-128 letters, digits or . _ @ - "
                "and start with a letter or digit",
                source="NAME",
            )
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = dt.datetime.now(dt.UTC)
        try:
            with self.engine.begin() as conn:
                token_id = conn.execute(
                    insert(api_tokens).values(
                        name=name, token_hash=token_hash(secret), created_at=now
                    )
                ).inserted_primary_key[0]
        except IntegrityError as exc:
            raise StoreError(
                f"a token named {name!r} exists already; choose another name or revoke it",
                source="NAME",
            ) from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot store the token: {exc}") from exc
        return ApiToken(id=token_id, name=name, created_at=now, revoked_at=None), secret

    def list(self) -> list[ApiToken]:
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(select(api_tokens).order_by(api_tokens.c.id)).all()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read tokens: {exc}") from exc
        return [_row(r) for r in rows]

    def revoke(self, name: str) -> ApiToken:
        """Mark the token revoked (idempotent); NotFound when no token has that name."""
        now = dt.datetime.now(dt.UTC)
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    update(api_tokens)
                    .where(api_tokens.c.name == name, api_tokens.c.revoked_at.is_(None))
                    .values(revoked_at=now)
                )
                row = conn.execute(select(api_tokens).where(api_tokens.c.name == name)).first()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot revoke the token: {exc}") from exc
        if row is None:
            raise NotFound(f"no token named {name!r}; `watchfloor token list` shows them")
        return _row(row)

    def verify(self, secret: str) -> ApiToken | None:
        """The active token with this secret, or None (unknown, malformed or revoked)."""
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 256:
            return None
        digest = token_hash(secret)
        try:
            with self.engine.connect() as conn:
                row = conn.execute(
                    select(api_tokens).where(
                        api_tokens.c.token_hash == digest, api_tokens.c.revoked_at.is_(None)
                    )
                ).first()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot check the token: {exc}") from exc
        if row is None or not secrets.compare_digest(row.token_hash, digest):
            return None
        return _row(row)
