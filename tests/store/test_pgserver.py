"""The throwaway PostgreSQL server works, and the store migrates onto it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import OperationalError

from tests import pgserver
from tests.pgserver import PgServer, fresh_database, start_server


def test_server_is_local_trusting_and_has_postgis(pg_server: PgServer) -> None:
    engine = create_engine(pg_server.url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SHOW listen_addresses")) == "127.0.0.1"
            assert conn.scalar(text("SHOW server_version")).startswith("15")
            assert conn.scalar(text("SELECT current_database()")) == "watchfloor_test"
            assert conn.scalar(text("SELECT PostGIS_Version()")).startswith("3")
    finally:
        engine.dispose()


def test_each_test_gets_an_empty_database(pg_url: str, pg_server: PgServer) -> None:
    assert pg_url != pg_server.url
    engine = create_engine(pg_url)
    try:
        tables = set(inspect(engine).get_table_names())
        # PostGIS brings spatial_ref_sys; nothing else may be there
        assert tables == {"spatial_ref_sys"}
        with engine.connect() as conn:
            point = conn.scalar(
                text("SELECT ST_AsText(ST_SetSRID(ST_MakePoint(67.0, 30.2), 4326))")
            )
        assert point == "POINT(67 30.2)"
    finally:
        engine.dispose()


def test_bad_database_names_are_refused(pg_server: PgServer) -> None:
    with pytest.raises(ValueError):
        fresh_database(pg_server, 'x"; DROP DATABASE postgres; --')


def test_store_migrates_onto_postgres(pg_url: str) -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from watchfloor.store import Store
    from watchfloor.store.database import MIGRATIONS
    from watchfloor.store.schema import metadata

    store = Store.open(pg_url)
    try:
        tables = set(inspect(store.engine).get_table_names())
        assert set(metadata.tables) <= tables, sorted(set(metadata.tables) - tables)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        head = ScriptDirectory.from_config(config).get_current_head()
        with store.engine.connect() as conn:
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == head
            assert conn.scalar(text("SELECT PostGIS_Version()"))
        store.migrate()  # opening again is a no-op
    finally:
        store.close()


def test_stop_removes_everything(pg_server: PgServer) -> None:
    # pg_server only proves the binaries are there; this test runs a second server of its own
    server = start_server(pg_server.bin_dir)
    root = server.root
    assert (root / "data" / "postmaster.pid").exists()
    server.stop()
    server.stop()  # twice is fine
    assert not root.exists()
    engine = create_engine(server.url, connect_args={"connect_timeout": 2})
    try:
        with pytest.raises(OperationalError), engine.connect():
            pass
    finally:
        engine.dispose()


def test_missing_binaries_say_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pgserver, "DEFAULT_BIN", tmp_path / "nowhere")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pgserver.PgUnavailable, match="apt-get install postgresql-15"):
        pgserver.find_bin_dir()
