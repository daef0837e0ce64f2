"""Python API frames: column types a notebook can count with, GeoDataFrame when available."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pandas as pd
import pytest

import watchfloor
from tests.test_api import _fill


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    _fill(url)
    return url


def test_counts_stay_integers_and_unknowns_stay_missing(url: str) -> None:
    with watchfloor.open(url) as db:
        frame = db.events()
    assert str(frame["fatalities"].dtype) == "Int64"
    assert str(frame["injuries"].dtype) == "Int64"
    assert str(frame["civilian_targeting"].dtype) == "boolean"
    assert int(frame["fatalities"].sum()) == sum(int(v) for v in frame["fatalities"].dropna())
    assert frame["injuries"].isna().any()  # unknown is missing, not 0


def test_events_become_a_geodataframe_when_geopandas_is_there(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """geopandas is optional and not in the test set-up: a stand-in records the call."""
    calls: dict[str, object] = {}
    fake = types.ModuleType("geopandas")

    def points_from_xy(x, y):  # type: ignore[no-untyped-def]
        calls["xy"] = (list(x), list(y))
        return list(zip(x, y, strict=True))

    class GeoDataFrame(pd.DataFrame):
        def __init__(self, frame, geometry, crs):  # type: ignore[no-untyped-def]
            super().__init__(frame)
            calls["crs"] = crs
            self["geometry"] = geometry

    fake.points_from_xy = points_from_xy  # type: ignore[attr-defined]
    fake.GeoDataFrame = GeoDataFrame  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "geopandas", fake)
    with watchfloor.open(url) as db:
        frame = db.events(country="PK")
    assert isinstance(frame, GeoDataFrame)
    assert calls["crs"] == "EPSG:4326"
    xs, ys = calls["xy"]  # type: ignore[misc]
    assert xs == frame["longitude"].tolist() and ys == frame["latitude"].tolist()
