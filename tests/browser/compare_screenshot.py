"""Re-take docs/screenshots/compare.png: the sample corpus against UCDP GED for Pakistan.

    PYTHONPATH=src .venv/bin/python -m tests.browser.compare_screenshot

Works as ``tests.browser.screenshots`` does (temporary database, the whole sample corpus,
Debian's chromium at 1400x900), and also imports ../shared/data/ucdp_ged_pakistan. The page
is taller than the window, so the whole page is photographed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.browser.screenshots import OUT
from tests.browser.server import (
    CHROMIUM,
    CHROMIUM_ARGS,
    fill_database,
    running_server,
    sample_lines,
)
from tests.conftest import SHARED
from watchfloor.errors import InputError
from watchfloor.settings import Settings

UCDP = SHARED / "data" / "ucdp_ged_pakistan" / "conflict_data_pak.csv"
#: Pakistan from 2018: UCDP's last years beside the months our sample articles cover.
VIEW = "/compare?reference=ucdp&country=PK&since=2018-01-01"


def import_ucdp(settings: Settings, path: Path) -> int:
    """Store the UCDP file's events (bad rows skipped); returns how many were added."""
    from watchfloor.reference.ucdp import read_ucdp
    from watchfloor.store import Store
    from watchfloor.store.reference import add_reference_events

    store = Store.open(settings.resolved_database_url)
    good = (row for row in read_ucdp(path) if not isinstance(row, InputError))
    added, _present = add_reference_events(store, "ucdp", good)
    store.close()
    return added


def main() -> int:
    from watchfloor.pipeline.extractor import Extractor

    if not CHROMIUM.exists():
        print(f"needs Debian's chromium at {CHROMIUM}", file=sys.stderr)
        return 1
    if not UCDP.exists():
        print(f"needs the UCDP Pakistan file at {UCDP}", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = Settings(database_url=f"sqlite:///{folder / 'wf.db'}")
        extractor = Extractor(Settings())
        extractor.warm_up()
        fill_database(settings, extractor, sample_lines(), folder)
        import_ucdp(settings, UCDP)
        with running_server(settings) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(base + VIEW)
            map_el = page.locator("#compare-map")
            expect(map_el).to_have_attribute("data-state", "ready", timeout=60_000)
            expect(map_el).to_have_attribute("data-borders", "241", timeout=30_000)
            page.wait_for_timeout(500)
            path = OUT / "compare.png"
            page.screenshot(path=str(path), full_page=True)
            print(f"wrote {path}")
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
