"""Settings: precedence, validation messages, and the README documents every setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from watchfloor.errors import ConfigError
from watchfloor.settings import Settings, load_settings

README = Path(__file__).parent.parent / "README.md"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("WATCHFLOOR_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("WATCHFLOOR_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def test_defaults_put_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = load_settings()
    assert (
        settings.resolved_database_url
        == f"sqlite:///{tmp_path / 'data' / 'watchfloor' / 'watchfloor.db'}"
    )


def test_environment_then_file_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[watchfloor]\nport = 9001\nbatch_size = 7\n", encoding="utf-8")
    monkeypatch.setenv("WATCHFLOOR_CONFIG", str(config))
    monkeypatch.setenv("WATCHFLOOR_PORT", "9002")
    settings = load_settings()
    assert settings.port == 9002  # environment beats file
    assert settings.batch_size == 7  # file beats default
    assert load_settings(port=9003).port == 9003  # explicit option beats environment


def test_invalid_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHFLOOR_BATCH_SIZE", "zero")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert "WATCHFLOOR_BATCH_SIZE" in info.value.one_line()


def test_bad_database_url_says_how_to_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHFLOOR_DATABASE_URL", "events.db")
    with pytest.raises(ConfigError, match="sqlite:///"):
        load_settings()


def test_unknown_key_in_config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("prot = 1\n", encoding="utf-8")
    monkeypatch.setenv("WATCHFLOOR_CONFIG", str(config))
    with pytest.raises(ConfigError, match="prot"):
        load_settings()


def test_broken_config_file_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("port = = 1\n", encoding="utf-8")
    monkeypatch.setenv("WATCHFLOOR_CONFIG", str(config))
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(config) in info.value.one_line()


def test_readme_documents_every_setting() -> None:
    text = README.read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert re.search(rf"`{name}`.*`WATCHFLOOR_{name.upper()}`", text), name
