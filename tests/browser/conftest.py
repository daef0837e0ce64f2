"""Browser tests: Debian's chromium driven by Playwright against a live in-process server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.server import (
    CHROMIUM,
    CHROMIUM_ARGS,
    HOSTILE,
    fill_database,
    running_server,
    sample_lines,
)
from watchfloor.settings import Settings
from watchfloor.store import Store
from watchfloor.store.tokens import TokenStore

#: A spread of sample articles: several countries and types, org news, claims.
ARTICLES = {
    "wf-001", "wf-002", "wf-003", "wf-007", "wf-011", "wf-013",
    "wf-016", "wf-018", "wf-022", "wf-025", "wf-026", "wf-036",
}  # fmt: skip


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch the system chromium (`playwright install` cannot download browsers here)."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        )
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@dataclass(frozen=True)
class Live:
    """The running dashboard: its URL, a write token and the hostile article's event ids."""

    url: str
    token: str
    hostile_events: tuple[int, ...]

    def api(self, path: str, **params: Any) -> Any:
        response = httpx.get(f"{self.url}{path}", params=params, timeout=30)
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory, extractor: Any) -> Iterator[Live]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        )
    folder: Path = tmp_path_factory.mktemp("dashboard")
    settings = Settings(database_url=f"sqlite:///{folder / 'wf.db'}")
    fill_database(settings, extractor, sample_lines(ARTICLES), folder)
    _token, secret = TokenStore(Store.open(settings.resolved_database_url).engine).create("tester")
    with running_server(settings, extractor=extractor) as url:
        posted = httpx.post(
            f"{url}/api/articles",
            json=HOSTILE,
            headers={"Authorization": f"Bearer {secret}"},
            timeout=120,
        )
        assert posted.status_code == 201, posted.text
        article_id = posted.json()["article_id"]
        events = httpx.get(f"{url}/api/events", params={"limit": 500}, timeout=30).json()["items"]
        hostile = tuple(
            e["id"] for e in events if any(s["article_id"] == article_id for s in e["sources"])
        )
        yield Live(url=url, token=secret, hostile_events=hostile)
