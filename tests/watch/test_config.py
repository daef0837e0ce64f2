from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.errors import ConfigError
from watchfloor.watch.config import AlertRules, load_config, parse_config


def test_example_config_from_the_docs_loads(tmp_path: Path) -> None:
    doc = (Path(__file__).parents[2] / "docs" / "watch.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "watch.yaml"
    path.write_text(example, encoding="utf-8")
    cfg = load_config(path)
    assert {s.kind for s in cfg.sources} == {"rss", "folder", "jsonl"}
    assert cfg.rules.branch_window_days == 30
    assert cfg.sinks.jsonl == str(tmp_path / "alerts.jsonl")


def test_defaults_and_relative_paths(tmp_path: Path) -> None:
    cfg = parse_config({"sources": [{"kind": "folder", "path": "drop"}]}, base=tmp_path)
    [source] = cfg.sources
    assert source.location == str(tmp_path / "drop")
    assert source.name == source.location
    assert source.interval == 900.0
    assert cfg.rules == AlertRules()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "'sources' must be a non-empty list"),
        ({"sources": [{"kind": "ftp", "url": "x"}]}, "kind must be one of"),
        ({"sources": [{"kind": "rss", "url": "feed.xml"}]}, "needs url"),
        ({"sources": [{"kind": "jsonl"}]}, "needs path"),
        ({"sources": [{"kind": "jsonl", "path": "a", "intervall": 3}]}, "unknown key"),
        ({"sources": [{"kind": "jsonl", "path": "a", "interval": -1}]}, "positive number"),
        (
            {"sources": [{"kind": "jsonl", "path": "a"}], "alerts": {"enabled": ["nope"]}},
            "unknown rule",
        ),
        (
            {"sources": [{"kind": "jsonl", "path": "a", "name": "x"}] * 2},
            "source names must be unique",
        ),
    ],
)
def test_bad_configs_say_what_to_fix(raw: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(raw)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "watch.yaml"
    path.write_text("sources:\n  - kind: rss\n    url: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.source == str(path)
    assert caught.value.line is not None
