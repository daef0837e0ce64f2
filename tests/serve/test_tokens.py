"""API tokens: shown once, stored as SHA-256, revocable; the `watchfloor token` commands."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from typer.testing import CliRunner

from watchfloor.commands.tokens import register
from watchfloor.errors import ConfigError, NotFound, StoreError
from watchfloor.store import Store
from watchfloor.store.schema import api_tokens
from watchfloor.store.tokens import TokenStore


@pytest.fixture
def tokens(tmp_path: Path) -> TokenStore:
    return TokenStore(Store.open(f"sqlite:///{tmp_path / 'wf.db'}").engine)


def test_only_the_hash_is_stored(tokens: TokenStore) -> None:
    token, secret = tokens.create("alice")
    assert secret.startswith("wf_") and len(secret) > 40
    with tokens.engine.connect() as conn:
        [row] = conn.execute(select(api_tokens)).all()
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (row.name, row.token_hash)
    assert tokens.verify(secret) == token
    _other, second = tokens.create("bob")
    assert second != secret


def test_revoke_and_list(tokens: TokenStore) -> None:
    _token, secret = tokens.create("alice")
    revoked = tokens.revoke("alice")
    assert revoked.revoked_at is not None and not revoked.active
    assert tokens.verify(secret) is None
    assert tokens.revoke("alice").revoked_at == revoked.revoked_at  # idempotent
    assert [t.name for t in tokens.list()] == ["alice"]
    with pytest.raises(NotFound):
        tokens.revoke("nobody")


def test_names_are_unique_and_checked(tokens: TokenStore) -> None:
    tokens.create("alice")
    with pytest.raises(StoreError, match="exists already"):
        tokens.create("alice")
    for bad in ("", " alice", "a/b", "x" * 129):
        with pytest.raises(ConfigError):
            tokens.create(bad)


@functools.cache
def _issued() -> tuple[TokenStore, str]:
    tokens = TokenStore(Store.open("sqlite:///:memory:").engine)
    return tokens, tokens.create("real")[1]


@given(st.text(max_size=300) | st.text(max_size=60).map(lambda s: "wf_" + s))
def test_verify_rejects_anything_not_issued(guess: str) -> None:
    tokens, secret = _issued()
    assert tokens.verify(guess) is None or guess == secret
    assert tokens.verify(secret) is not None


def test_token_commands(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(lambda: None)  # a second command keeps `token` a sub-command group
    register(app)
    runner = CliRunner()
    db = ["--database-url", f"sqlite:///{tmp_path / 'wf.db'}"]
    created = runner.invoke(app, ["token", "create", "alice", *db])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[0]
    assert secret.startswith("wf_")
    listed = runner.invoke(app, ["token", "list", *db])
    assert "alice" in listed.stdout and secret not in listed.stdout
    again = runner.invoke(app, ["token", "create", "alice", *db])
    assert again.exit_code == StoreError.exit_code
    revoked = runner.invoke(app, ["token", "revoke", "alice", *db])
    assert revoked.exit_code == 0
    missing = runner.invoke(app, ["token", "revoke", "nobody", *db])
    assert missing.exit_code == NotFound.exit_code
    store = Store.open(f"sqlite:///{tmp_path / 'wf.db'}")
    assert TokenStore(store.engine).verify(secret) is None
