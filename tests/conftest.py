"""Shared fixtures: the ../shared folder, an isolated environment, one loaded extractor."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pgserver import pg_server, pg_url  # noqa: F401  (fixtures for the PostgreSQL runs)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "src" / "watchfloor" / "samples" / "articles.jsonl"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--raise-floors",
        action="store_true",
        help="let the evaluation gate lift its accuracy floors to the measured figures",
    )


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test saying what is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the shared benchmark/contract folder beside the checkout)")
    return path


@pytest.fixture(scope="session")
def cache_dir() -> Path:
    """The user cache dir, so the gazetteer index is built once per machine, not per run."""
    configured = os.environ.get("WATCHFLOOR_CACHE_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "watchfloor"


@pytest.fixture(scope="session")
def extractor(cache_dir: Path):
    from watchfloor.pipeline.extractor import Extractor
    from watchfloor.settings import Settings

    built = Extractor(Settings(cache_dir=cache_dir))
    built.warm_up()
    return built


@pytest.fixture
def cli_env(tmp_path: Path, cache_dir: Path) -> Iterator[dict[str, str]]:
    """Environment for running the CLI as a user would, with its own database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHFLOOR_")}
    env.update(
        WATCHFLOOR_DATABASE_URL=f"sqlite:///{tmp_path / 'wf.db'}",
        WATCHFLOOR_CACHE_DIR=str(cache_dir),
        WATCHFLOOR_CONFIG=str(tmp_path / "no-config.toml"),
        PYTHONPATH=str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", ""),
        COLUMNS="200",
    )
    yield env


def cli(*args: str) -> list[str]:
    """The command line that runs watchfloor from this checkout."""
    return [sys.executable, "-m", "watchfloor.cli", *args]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh empty database on each backend: the store and fusion tests run on both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'wf.db'}"
    return request.getfixturevalue("pg_url")
