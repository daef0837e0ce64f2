"""The watch configuration: one YAML file with sources, alert rules and sinks.

Kept apart from ``Settings`` on purpose: Settings says where the database is and how the
pipeline runs; this file says what to watch and what counts as news. Every key has a default
except the sources themselves; unknown keys are errors so a typo never silently disables a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from watchfloor.errors import ConfigError

SOURCE_KINDS = ("rss", "folder", "jsonl")


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """One thing to poll: an RSS/Atom URL, a folder that receives files, or a JSONL drop."""

    name: str
    kind: str
    location: str
    interval: float = 900.0
    timeout: float = 20.0
    max_backoff: float = 6 * 3600.0


@dataclass(frozen=True, slots=True)
class AlertRules:
    """Which novelty rules run and their thresholds (defaults suit daily news volumes)."""

    enabled: tuple[str, ...] = (
        "branch_first_event",
        "first_in_admin2",
        "first_clash",
        "first_claim_in_country",
        "fatality_spike",
        "org_development",
        "claim_contradicts_attribution",
    )
    #: A branch's first event counts when it comes within this many days of its announcement.
    branch_window_days: int = 30
    #: Novelty by place or country needs the group to have this many earlier events.
    min_prior_events: int = 1
    #: Days of history the admin1 fatality baseline averages over.
    baseline_days: int = 30
    #: The baseline needs the admin1 unit to have been reported this many days already.
    baseline_min_days: int = 3
    #: A day's toll must reach this and exceed ``spike_factor`` times the daily baseline.
    spike_min_fatalities: int = 10
    spike_factor: float = 3.0


@dataclass(frozen=True, slots=True)
class SinkConfig:
    """Where alerts go besides the database: stdout, a JSONL log, a local webhook."""

    stdout: bool = True
    jsonl: str | None = None
    webhook: str | None = None
    webhook_timeout: float = 5.0


@dataclass(frozen=True, slots=True)
class WatchConfig:
    sources: tuple[SourceConfig, ...]
    rules: AlertRules = field(default_factory=AlertRules)
    sinks: SinkConfig = field(default_factory=SinkConfig)
    #: Seconds between cycles when every source is waiting for its interval.
    tick: float = 30.0


def load_config(path: Path) -> WatchConfig:
    """Read and check a watch YAML file; every problem is a ConfigError naming the file."""
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(
            f"cannot read watch config: {exc.strerror or exc}", source=str(path)
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(f"not valid YAML: {exc}", source=str(path), line=line) from exc
    return parse_config(raw if raw is not None else {}, source=str(path), base=path.parent)


def parse_config(raw: Any, *, source: str = "<config>", base: Path | None = None) -> WatchConfig:
    """Build a WatchConfig from parsed YAML; relative paths resolve against ``base``."""
    if not isinstance(raw, dict):
        raise ConfigError("the watch config must be a mapping with a 'sources' list", source=source)
    _known(raw, {"sources", "alerts", "sinks", "tick"}, "top level", source)
    items = raw.get("sources")
    if not isinstance(items, list) or not items:
        raise ConfigError("'sources' must be a non-empty list", source=source)
    sources = tuple(_source(item, i, source, base) for i, item in enumerate(items, start=1))
    names = [s.name for s in sources]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"source names must be unique; repeated: {dupes}", source=source)
    rules = _dataclass(AlertRules, raw.get("alerts") or {}, "alerts", source)
    unknown_rules = set(rules.enabled) - set(AlertRules().enabled)
    if unknown_rules:
        raise ConfigError(
            f"alerts.enabled: unknown rule(s) {sorted(unknown_rules)}; "
            f"known: {list(AlertRules().enabled)}",
            source=source,
        )
    sinks = _dataclass(SinkConfig, raw.get("sinks") or {}, "sinks", source)
    if sinks.jsonl and base is not None and not Path(sinks.jsonl).is_absolute():
        sinks = SinkConfig(**{**_as_dict(sinks), "jsonl": str(base / sinks.jsonl)})
    tick = _number(raw.get("tick", 30.0), "tick", source)
    return WatchConfig(sources=sources, rules=rules, sinks=sinks, tick=tick)


def _as_dict(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _known(raw: dict[str, Any], allowed: set[str], where: str, source: str) -> None:
    unknown = set(raw) - allowed
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {sorted(unknown)}; known: {sorted(allowed)}", source=source
        )


def _number(value: Any, where: str, source: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigError(
            f"{where} must be a positive number of seconds, got {value!r}", source=source
        )
    return float(value)


def _source(item: Any, index: int, source: str, base: Path | None) -> SourceConfig:
    where = f"sources[{index}]"
    if not isinstance(item, dict):
        raise ConfigError(f"{where} must be a mapping", source=source)
    _known(
        item, {"name", "kind", "url", "path", "interval", "timeout", "max_backoff"}, where, source
    )
    kind = item.get("kind")
    if kind not in SOURCE_KINDS:
        raise ConfigError(
            f"{where}.kind must be one of {SOURCE_KINDS}, got {kind!r}", source=source
        )
    if kind == "rss":
        location = item.get("url")
        if not isinstance(location, str) or not location.startswith(("http://", "https://")):
            raise ConfigError(f"{where}: an rss source needs url: http(s)://...", source=source)
    else:
        path = item.get("path")
        if not isinstance(path, str) or not path:
            raise ConfigError(f"{where}: a {kind} source needs path: ...", source=source)
        resolved = Path(path).expanduser()
        if base is not None and not resolved.is_absolute():
            resolved = base / resolved
        location = str(resolved)
    name = item.get("name") or location
    if not isinstance(name, str) or len(name) > 128:
        raise ConfigError(f"{where}.name must be a string of at most 128 characters", source=source)
    values: dict[str, float] = {}
    for key in ("interval", "timeout", "max_backoff"):
        if key in item:
            values[key] = _number(item[key], f"{where}.{key}", source)
    return SourceConfig(name=name, kind=kind, location=location, **values)


def _dataclass(cls: Any, raw: Any, where: str, source: str) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"'{where}' must be a mapping", source=source)
    defaults = cls()
    _known(raw, {f.name for f in fields(cls)}, where, source)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        expected = getattr(defaults, key)
        if isinstance(expected, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}.{key} must be a list of names", source=source)
            value = tuple(value)
        elif isinstance(expected, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{where}.{key} must be true or false", source=source)
        elif isinstance(expected, int | float):
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ConfigError(f"{where}.{key} must be a number >= 0", source=source)
            value = type(expected)(value) if isinstance(expected, float) else int(value)
        elif value is not None and not isinstance(value, str):
            raise ConfigError(f"{where}.{key} must be a string", source=source)
        values[key] = value
    return cls(**values)
