"""The dashboard in a real browser: map and filters, event evidence, graph, review, safety."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Dialog, Page, expect

from tests.browser.conftest import Live

pytestmark = pytest.mark.slow


@pytest.fixture
def watched(page: Page) -> dict[str, list[str]]:
    """Collect CSP violations, script errors and dialogs while a test drives the page."""
    seen: dict[str, list[str]] = {"csp": [], "errors": [], "dialogs": []}

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            seen["csp"].append(message.text)

    def on_dialog(dialog: Dialog) -> None:
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
    page.on("dialog", on_dialog)
    return seen


def _markers(page: Page) -> int:
    expect(page.locator("#map")).to_have_attribute("data-state", "ready", timeout=20_000)
    return int(page.locator("#map").get_attribute("data-markers") or "0")


def test_map_draws_borders_events_and_timeline_then_filters(
    live: Live, page: Page, watched: dict[str, list[str]]
) -> None:
    page.goto(live.url + "/")
    everything = _markers(page)
    assert everything >= 5
    expect(page.locator("#map")).to_have_attribute("data-borders", re.compile(r"^[1-9]\d+$"))
    assert page.locator(".leaflet-overlay-pane path").count() > 0  # country borders drawn
    assert page.locator(
        ".leaflet-marker-pane .marker-cluster, .leaflet-marker-pane .ev-dot"
    ).count()
    expect(page.locator("#timeline")).to_have_attribute("data-bars", re.compile(r"^[1-9]"))
    assert page.locator("#timeline-legend .legend-item").count() >= 2

    page.fill("input[name=country]", "PK")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(r"country=PK"))
    in_pakistan = _markers(page)
    expected = live.api("/api/events", country="PK")["total"]
    assert 0 < in_pakistan <= expected < everything
    places = page.locator("#events tbody tr td:nth-child(2)").all_inner_texts()
    assert places and all(p.endswith("PK") for p in places)
    assert not watched["csp"] and not watched["errors"], watched


def test_event_page_highlights_the_evidence(
    live: Live, page: Page, watched: dict[str, list[str]]
) -> None:
    page.goto(live.url + "/?country=PK")
    page.locator("#events tbody tr a").first.click()
    page.wait_for_url(re.compile(r"/events/\d+$"))
    event_id = int(page.url.rsplit("/", 1)[1])
    detail = live.api(f"/api/events/{event_id}")
    marks = page.locator("#article-text mark")
    assert marks.count() >= 2
    quotes = {(s["field"], s["text"]) for s in detail["evidence"]}
    for field, text in zip(
        marks.evaluate_all("ms => ms.map(m => m.dataset.field)"),
        marks.all_text_contents(),
        strict=True,
    ):
        assert (field, text) in quotes
    # The article around the marks is the stored text, untouched.
    assert page.locator("#article-text").text_content() == detail["article"]["text"]
    assert page.locator("#sources tbody tr").count() == len(detail["sources"]) >= 1
    if detail["ledger"]:
        assert page.locator("#ledger tbody tr").count() == len(detail["ledger"])
    assert not watched["csp"] and not watched["errors"], watched


def test_hostile_article_runs_nothing(
    live: Live, page: Page, watched: dict[str, list[str]]
) -> None:
    assert live.hostile_events, "the hostile article should have produced an event"
    event_id = live.hostile_events[0]
    for path in (f"/events/{event_id}", "/", "/?country=PK", "/review"):
        page.goto(live.url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__pwned") is None, path
        assert page.locator("script:not([src])").count() == 0, path
        assert page.locator("a[href^='javascript:' i], iframe, img[src=x]").count() == 0, path
    # Open the hostile event's popup on the map: the popup is built with textContent.
    page.goto(live.url + "/?country=PK&since=2022-01-01&until=2022-01-31")
    assert _markers(page) >= 1
    page.locator(".leaflet-marker-pane .ev-dot, .leaflet-marker-pane .marker-cluster").first.click()
    page.wait_for_timeout(300)
    page.goto(live.url + f"/events/{event_id}")
    assert "<script>window.__pwned=5" in (page.locator("#article-text").text_content() or "")
    assert page.evaluate("window.__pwned") is None
    assert watched["dialogs"] == []
    assert not watched["errors"], watched


def test_graph_moves_through_time(live: Live, page: Page, watched: dict[str, list[str]]) -> None:
    page.goto(live.url + "/graph")
    cy = page.locator("#cy")
    expect(cy).to_have_attribute("data-state", "ready", timeout=30_000)
    now_nodes = int(cy.get_attribute("data-nodes") or "0")
    assert now_nodes > 10
    page.eval_on_selector(
        "#as-of",
        "s => { s.value = String(Math.round(Number(s.max) / 4));"
        " s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); }",
    )
    as_of = page.locator("#as-of-label").text_content() or ""
    expect(cy).to_have_attribute("data-as-of", as_of, timeout=20_000)
    earlier = int(cy.get_attribute("data-nodes") or "0")
    assert 0 < earlier < now_nodes
    relations = [
        e for e in live.api("/api/graph", as_of=as_of)["edges"] if e["source"] != e["target"]
    ]
    assert int(cy.get_attribute("data-edges") or "0") == len(relations)
    assert page.locator("#cy canvas").count() > 0
    # One theatre: Pakistan's actors and their neighbours only.
    page.select_option("#graph-country", "PK")
    expect(page.locator("#graph-status")).to_contain_text(as_of)
    expect(cy).not_to_have_attribute("data-nodes", str(earlier), timeout=20_000)
    assert 0 < int(cy.get_attribute("data-nodes") or "0") < earlier
    assert not watched["csp"] and not watched["errors"], watched


def test_review_needs_a_token_and_records_a_decision(
    live: Live, page: Page, watched: dict[str, list[str]]
) -> None:
    page.goto(live.url + "/review")
    rows = page.locator("#queue tbody tr")
    assert rows.count() >= 3
    confidences = [float(t) for t in page.locator("#queue tbody td:nth-child(2)").all_inner_texts()]
    assert confidences == sorted(confidences)
    rows.first.locator("button.pick").click()
    page.select_option("#decision-action", "accept")
    page.select_option("select[name=field]", "event_type")
    page.click("#decision-form button[type=submit]")
    expect(page.locator("#decision-result")).to_contain_text("token")
    page.fill("#token-input", live.token)
    page.click("#token-form button[type=submit]")
    expect(page.locator("#token-state")).to_have_text("a token is set for this tab")
    assert page.context.cookies() == []  # the token never becomes a cookie
    page.click("#decision-form button[type=submit]")
    expect(page.locator("#decision-result")).to_contain_text("Recorded: accept on event")
    assert not watched["csp"] and not watched["errors"], watched


def test_actor_page_shows_aliases_and_branches(
    live: Live, page: Page, watched: dict[str, list[str]]
) -> None:
    page.goto(live.url + "/actors?q=daesh")
    page.locator("#actors a", has_text="Islamic State").first.click()
    expect(page.locator("#aliases")).to_contain_text("Daesh")
    assert page.locator("#branches tbody tr").count() >= 3
    assert page.locator("#relations li").count() >= 3
    assert not watched["csp"] and not watched["errors"], watched
