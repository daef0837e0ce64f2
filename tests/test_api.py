"""Python API: watchfloor.open(url).events(...) as DataFrames."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

import watchfloor
from tests.reference.test_compare import OURS, REFERENCE, TEXT
from watchfloor.api import EVENT_COLUMNS
from watchfloor.model import Article, EvidenceSpan, ExtractResult, OrgDevelopment
from watchfloor.store import Store
from watchfloor.store.reference import add_reference_events


def _fill(url: str) -> None:
    store = Store.open(url)
    batch = []
    for i, event in enumerate(OURS, start=1):
        article = Article(id=f"a{i}", text=TEXT + f" ({i})", published=dt.date(2021, 3, 28))
        orgs = []
        if i == 1:
            orgs = [
                OrgDevelopment(
                    kind="pledge",
                    group="Jamaat-ul-Ahrar",
                    parent="TTP",
                    date=dt.date(2021, 3, 27),
                    evidence=[EvidenceSpan(field="org", start=0, end=5, text=TEXT[:5])],
                )
            ]
        batch.append(
            (article, ExtractResult(id=article.id, events=[event], org_developments=orgs), None)
        )
    store.add_batch(batch, "test")
    add_reference_events(store, "ucdp", REFERENCE)
    store.close()


def test_open_returns_dataframes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    _fill(url)
    with watchfloor.open(url) as db:
        frame = db.events(country="PK", since="2021-03-10")
        assert isinstance(frame, pd.DataFrame)
        assert tuple(frame.columns)[: len(EVENT_COLUMNS)] == EVENT_COLUMNS
        assert len(frame) == 3
        assert pd.api.types.is_datetime64_any_dtype(frame["date"])
        assert frame["date"].min() == pd.Timestamp("2021-03-11")
        assert db.events(actor="jamaat")["perpetrator"].tolist() == ["Jamaat-ul-Ahrar"]
        assert len(db.events(until=dt.date(2021, 3, 1))) == 1
        orgs = db.org_developments()
        assert orgs[["kind", "group", "parent"]].values.tolist() == [
            ["pledge", "Jamaat-ul-Ahrar", "TTP"]
        ]
        ref = db.reference_events("ucdp")
        assert len(ref) == 4 and "raw" not in ref.columns


def test_open_without_url_uses_the_configured_database(tmp_path: Path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'configured.db'}"
    _fill(url)
    monkeypatch.setenv("WATCHFLOOR_DATABASE_URL", url)
    monkeypatch.setenv("WATCHFLOOR_CONFIG", str(tmp_path / "none.toml"))
    with watchfloor.open() as db:
        assert len(db.events()) == 4
