"""A throwaway PostgreSQL + PostGIS server for tests: own data directory, own port, no traces.

The Debian packages ``postgresql`` and ``postgresql-15-postgis-3`` provide the binaries. The
server listens on 127.0.0.1 only, on a free port, trusts every local connection, and keeps
nothing: fsync is off and the data directory is deleted on :meth:`PgServer.stop`. ``initdb``
refuses to run as root, so when we are root the server runs as the ``postgres`` user.

Fixtures: ``pg_server`` (one server per test session; skips, saying how to install it, when
the binaries are missing, or fails instead when ``REQUIRE_POSTGRES_TESTS=1``) and ``pg_url``
(a fresh empty database with PostGIS for each test).
"""

from __future__ import annotations

import atexit
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest

PG_VERSION = "15"
DEFAULT_BIN = Path("/usr/lib/postgresql") / PG_VERSION / "bin"
DEFAULT_DATABASE = "watchfloor_test"
SUPERUSER = "postgres"
INSTALL_HINT = "apt-get install postgresql-15 postgresql-15-postgis-3"
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_STARTUP_SECONDS = 60

# Throwaway data: durability off, footprint small (the machine is shared).
_SERVER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "'32MB'",
    "max_connections": "40",
    "log_min_messages": "warning",
}


class PgUnavailable(RuntimeError):
    """The PostgreSQL binaries (or PostGIS) are not installed here."""


def find_bin_dir() -> Path:
    """The directory holding initdb and pg_ctl, or PgUnavailable saying what to install."""
    candidates = [DEFAULT_BIN]
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
    for directory in candidates:
        if (directory / "initdb").is_file() and (directory / "pg_ctl").is_file():
            return directory
    raise PgUnavailable(f"PostgreSQL {PG_VERSION} binaries not found ({INSTALL_HINT})")


@dataclass
class PgServer:
    """A running server; ``url`` is the SQLAlchemy URL of its ``watchfloor_test`` database."""

    bin_dir: Path
    root: Path
    port: int
    run_as: str | None
    url: str = ""
    _stopped: bool = field(default=False, repr=False)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def dsn_for(self, database: str) -> str:
        """A libpq connection string, for psycopg without SQLAlchemy."""
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={database}"

    def stop(self) -> None:
        """Stop the server and delete its files; safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        if (self.data_dir / "postmaster.pid").exists():
            # immediate: nothing here is worth a checkpoint
            data = str(self.data_dir)
            _run(self, "pg_ctl", "stop", "-D", data, "-m", "immediate", "-w", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def __enter__(self) -> PgServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(bin_dir: Path | None = None) -> PgServer:
    """initdb a temporary cluster, start it on a free port and create ``watchfloor_test``."""
    bin_dir = bin_dir or find_bin_dir()
    run_as = SUPERUSER if os.geteuid() == 0 else None
    if run_as is not None:
        try:
            owner = pwd.getpwnam(run_as)
        except KeyError as exc:
            raise PgUnavailable(
                f"no '{run_as}' user to run the server as ({INSTALL_HINT})"
            ) from exc
    root = Path(tempfile.mkdtemp(prefix="watchfloor-pg-"))
    if run_as is not None:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    server = PgServer(bin_dir=bin_dir, root=root, port=0, run_as=run_as)
    try:
        data = str(server.data_dir)
        _run(
            server,
            "initdb",
            "-D",
            data,
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        # a port found free can be taken before the server binds it: try a few
        for _ in range(3):
            server.port = _free_port()
            _write_settings(server)
            log, wait = str(server.log_file), str(_STARTUP_SECONDS)
            started = _run(
                server, "pg_ctl", "start", "-D", data, "-l", log, "-w", "-t", wait, check=False
            )
            if started.returncode == 0:
                break
        else:
            raise RuntimeError(f"PostgreSQL did not start:\n{server.log_tail()}")
        server.url = fresh_database(server, DEFAULT_DATABASE)
    except BaseException:
        server.stop()
        raise
    atexit.register(server.stop)  # in case the caller never reaches its own stop()
    return server


def fresh_database(server: PgServer, name: str) -> str:
    """Create an empty database with PostGIS on ``server`` and return its SQLAlchemy URL."""
    import psycopg
    from psycopg import sql

    if not _NAME.fullmatch(name):
        raise ValueError(f"database name {name!r} must match {_NAME.pattern}")
    with psycopg.connect(server.dsn_for("postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with psycopg.connect(server.dsn_for(name), autocommit=True) as conn:
        try:
            conn.execute("CREATE EXTENSION postgis")
        except (psycopg.errors.FeatureNotSupported, psycopg.errors.UndefinedFile) as exc:
            raise PgUnavailable(f"PostGIS is not installed ({INSTALL_HINT}): {exc}") from exc
    return server.url_for(name)


def drop_database(server: PgServer, name: str) -> None:
    """Drop a database even if a test left connections open to it."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(server.dsn_for("postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _write_settings(server: PgServer) -> None:
    settings = {
        **_SERVER_SETTINGS,
        "port": str(server.port),
        # the socket lives with the data, not in /var/run/postgresql (which may not exist)
        "unix_socket_directories": f"'{server.root}'",
    }
    text = "".join(f"{key} = {value}\n" for key, value in settings.items())
    auto = server.data_dir / "postgresql.auto.conf"
    auto.write_text("# written by tests/pgserver.py\n" + text)
    if server.run_as is not None:
        owner = pwd.getpwnam(server.run_as)
        os.chown(auto, owner.pw_uid, owner.pw_gid)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(
    server: PgServer, program: str, *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    argv = [str(server.bin_dir / program), *args]
    if server.run_as is not None:
        argv = ["runuser", "-u", server.run_as, "--", *argv]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(LC_ALL="C", LANG="C")
    done = subprocess.run(
        argv, cwd=server.root, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    if check and done.returncode != 0:
        raise RuntimeError(
            f"{program} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
        )
    return done


# -- pytest fixtures ----------------------------------------------------------------------


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("REQUIRE_POSTGRES_TESTS") == "1":
        pytest.fail(f"REQUIRE_POSTGRES_TESTS=1 but {reason}")
    pytest.skip(f"needs PostgreSQL: {reason}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One throwaway PostgreSQL + PostGIS server for the whole test session."""
    try:
        server = start_server()
    except PgUnavailable as exc:
        _unavailable(str(exc))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """The SQLAlchemy URL of a new, empty database (with PostGIS) for this test alone."""
    name = f"wf_{uuid.uuid4().hex[:16]}"
    yield fresh_database(pg_server, name)
    drop_database(pg_server, name)
