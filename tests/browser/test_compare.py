"""The compare page in a real browser: figures, monthly SVG bars and the reference map."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.server import CHROMIUM, fill_database, running_server, sample_lines
from tests.browser.test_dashboard import watched  # noqa: F401  (the CSP/error watcher fixture)
from watchfloor.reference import ReferenceEvent
from watchfloor.settings import Settings
from watchfloor.store import EventFilter, Store
from watchfloor.store.reference import add_reference_events

pytestmark = pytest.mark.slow

#: Sample articles about attacks in Pakistan.
ARTICLES = {"wf-001", "wf-003", "wf-004"}
HOSTILE_ACTOR = '<img src=x onerror="window.__pwned=1">Gunmen'


def reference_for(store: Store) -> list[ReferenceEvent]:
    """A UCDP-like twin, a few km off, of each of our located events, and three we lack."""
    twins = []
    for event in store.iter_events(EventFilter(country="PK")):
        loc = event.data.get("location") or {}
        if not event.data.get("date") or loc.get("lat") is None:
            continue
        day = dt.date.fromisoformat(event.data["date"])
        twins.append(
            ReferenceEvent(
                dataset="ucdp",
                external_id=f"twin-{event.id}",
                date_start=day,
                date_end=day,
                country="PK",
                admin1=f"{loc.get('admin1')} province",
                location=f"<b>{loc.get('name')}</b> town",
                latitude=loc["lat"] + 0.03,
                longitude=loc["lon"] - 0.03,
                actor1=HOSTILE_ACTOR,
                actor2="Civilians",
                deaths_low=0,
                deaths_best=1,
                deaths_high=500,
            )
        )
    missed = [
        ReferenceEvent(
            dataset="ucdp",
            external_id=f"missed-{i}",
            date_start=dt.date(2010, i, 10),
            date_end=dt.date(2010, i, 10),
            country="PK",
            admin1="Sindh province",
            latitude=24.8 + i / 10,
            longitude=67.0,
            actor1="Government of Pakistan",
            actor2="MQM",
            deaths_low=2,
            deaths_best=2,
            deaths_high=2,
        )
        for i in (1, 2, 3)
    ]
    return twins + missed


@pytest.fixture(scope="module")
def compare_url(tmp_path_factory: pytest.TempPathFactory, extractor: Any) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        )
    folder: Path = tmp_path_factory.mktemp("compare")
    settings = Settings(database_url=f"sqlite:///{folder / 'wf.db'}")
    fill_database(settings, extractor, sample_lines(ARTICLES), folder)
    store = Store.open(settings.resolved_database_url)
    reference = reference_for(store)
    assert len(reference) >= 5, "the Pakistan samples should give at least two located events"
    add_reference_events(store, "ucdp", reference)
    store.close()
    with running_server(settings, extractor=extractor) as url:
        yield url


def _api(url: str, **params: str) -> dict[str, Any]:
    response = httpx.get(f"{url}/api/compare", params=params, timeout=60)
    response.raise_for_status()
    return dict(response.json())


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{100 * share:.1f} %"


def test_compare_page_shows_figures_bars_and_map(
    compare_url: str,
    page: Page,
    watched: dict[str, list[str]],  # noqa: F811
) -> None:
    expected = _api(compare_url, reference="ucdp", country="PK")
    assert expected["matched"] >= 2 and expected["reference_events"] == expected["matched"] + 3
    page.goto(compare_url + "/compare?reference=ucdp&country=PK")
    expect(page.locator("#figures")).to_have_attribute("data-state", "ready", timeout=30_000)

    def cells(name: str) -> list[str]:
        return page.locator(f'#figures tr[data-figure="{name}"] td').all_inner_texts()

    assert cells("reference_events")[1] == str(expected["reference_events"])
    assert cells("matched")[1:] == [str(expected["matched"]), str(expected["reference_events"])]
    assert cells("coverage")[1] == _percent(expected["coverage"])
    toll = expected["toll"]
    assert cells("toll")[1:] == [_percent(toll["share"]), str(toll["compared"])]
    assert toll["share"] == 1.0  # every twin's range 0-500 holds our toll
    assert cells("admin1_same_unit")[1] == _percent(expected["admin1_same_unit"]["share"])

    chart = page.locator("#monthly")
    expect(chart).to_have_attribute("data-state", "ready")
    busy = [m for m in expected["monthly"] if m["reference"] or m["ours"]]
    assert chart.get_attribute("data-bars") == str(len(busy))
    groups = chart.locator("svg g.month")
    assert groups.count() == len(busy)
    first = groups.first
    assert first.get_attribute("data-month") == busy[0]["month"]
    assert first.locator("rect").count() == 3
    assert float(first.locator("rect.cmp-reference").get_attribute("height") or "0") > 0
    matched_bars = chart.locator("svg g.month rect.cmp-matched")
    heights = [
        float(h or 0)
        for h in matched_bars.evaluate_all("rs => rs.map(r => r.getAttribute('height'))")
    ]
    assert sum(h > 0 for h in heights) == sum(m["matched"] > 0 for m in busy)

    map_el = page.locator("#compare-map")
    expect(map_el).to_have_attribute("data-state", "ready", timeout=30_000)
    assert map_el.get_attribute("data-matched") == str(expected["matched"])
    assert map_el.get_attribute("data-unmatched") == "3"
    expect(map_el).to_have_attribute("data-borders", re.compile(r"^[1-9]\d+$"), timeout=30_000)
    # The dots are drawn in a pane above the opaque country borders, never under them.
    assert page.locator("#compare-map .leaflet-reference-pane canvas").count() == 1
    assert page.locator(".leaflet-control-layers-overlays label").count() == 2
    expect(page.locator("#compare-status")).to_contain_text(f"{expected['matched']} of ")
    assert page.evaluate("window.__pwned") is None
    assert not watched["csp"] and not watched["errors"], watched


def test_compare_form_changes_the_comparison(
    compare_url: str,
    page: Page,
    watched: dict[str, list[str]],  # noqa: F811
) -> None:
    page.goto(compare_url + "/compare")
    expect(page.locator("#figures")).to_have_attribute("data-state", "ready", timeout=30_000)
    page.fill("input[name=until]", "2015-12-31")
    page.click("#compare-filters button[type=submit]")
    page.wait_for_url(re.compile(r"until=2015-12-31"))
    expect(page.locator("#figures")).to_have_attribute("data-state", "ready", timeout=30_000)
    # Before 2016 only the three missed events remain: nothing matched, nothing of ours.
    row = page.locator('#figures tr[data-figure="coverage"] td').all_inner_texts()
    assert row[1:] == ["0.0 %", "3"]
    assert page.locator('#figures tr[data-figure="toll"] td').all_inner_texts()[1] == "n/a"
    expect(page.locator("#monthly")).to_have_attribute("data-bars", "3")
    expect(page.locator("#compare-map")).to_have_attribute("data-matched", "0", timeout=30_000)
    json_link = page.locator("#compare-json").get_attribute("href")
    assert json_link == "/api/compare?reference=ucdp&until=2015-12-31"

    page.select_option("select[name=reference]", "acled")
    page.click("#compare-filters button[type=submit]")
    expect(page.locator("#compare-empty")).to_be_visible()
    expect(page.locator("#compare-status")).to_contain_text("watchfloor import acled FILE")
    expect(page.locator("#monthly")).to_have_attribute("data-bars", "0")
    assert not watched["csp"] and not watched["errors"], watched
