"""Re-take the dashboard screenshots in docs/screenshots: map, event, graph, review, actor,
coverage.

    PYTHONPATH=src .venv/bin/python -m tests.browser.screenshots

Ingests the whole sample corpus into a temporary database, serves it, and photographs the
main views with Debian's chromium at 1400x900.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from tests.browser.server import (
    CHROMIUM,
    CHROMIUM_ARGS,
    fill_database,
    running_server,
    sample_lines,
)
from watchfloor.settings import Settings

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shoot(page: Page, base: str) -> list[Path]:
    """Visit each view, wait until its scripts have drawn, and save a PNG."""
    saved = []

    def save(name: str) -> None:
        path = OUT / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        saved.append(path)

    page.goto(base + "/")
    expect(page.locator("#map")).to_have_attribute("data-state", "ready", timeout=30_000)
    expect(page.locator("#map")).to_have_attribute("data-borders", "241", timeout=30_000)
    page.wait_for_timeout(500)
    save("map")
    page.goto(base + "/?country=PK")
    page.locator("#events tbody tr a").first.click()
    page.wait_for_load_state("networkidle")
    save("event")
    page.goto(base + "/graph")
    expect(page.locator("#cy")).to_have_attribute("data-state", "ready", timeout=60_000)
    page.wait_for_timeout(500)
    save("graph")
    page.goto(base + "/review")
    page.wait_for_load_state("networkidle")
    save("review")
    page.goto(base + "/actors/islamic-state")
    page.wait_for_load_state("networkidle")
    save("actor")
    page.goto(base + "/coverage")
    page.wait_for_load_state("networkidle")
    save("coverage")
    return saved


def main() -> int:
    from watchfloor.pipeline.extractor import Extractor

    if not CHROMIUM.exists():
        print(f"needs Debian's chromium at {CHROMIUM}", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = Settings(database_url=f"sqlite:///{folder / 'wf.db'}")
        extractor = Extractor(Settings())
        extractor.warm_up()
        fill_database(settings, extractor, sample_lines(), folder)
        with running_server(settings) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            for path in shoot(page, base):
                print(f"wrote {path}")
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
