"""A real watchfloor server for browser tests: uvicorn in a thread on a free local port."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from watchfloor.serve.app import create_app
from watchfloor.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SAMPLES = Path(__file__).resolve().parents[2] / "src" / "watchfloor" / "samples" / "articles.jsonl"

#: An article built to attack the dashboard: every payload would set window.__pwned or open
#: a dialog if it ever ran; its event text still reads as a real incident to the extractor.
HOSTILE = {
    "id": "hostile-1",
    "published": "2022-01-05",
    "title": (
        "<script>window.__pwned=1;alert('title')</script>Bomb "
        '<img src=x onerror="window.__pwned=2">'
    ),
    "url": "javascript:window.__pwned=3",
    "source": '<svg onload="window.__pwned=4">Evil Wire</svg>',
    "text": (
        "<script>window.__pwned=5;alert('x')</script> Bombing in Quetta\n\n"
        'QUETTA, Pakistan — A bomb <img src=x onerror="window.__pwned=6;alert(6)"> exploded '
        "near a police checkpoint in Quetta on Tuesday, killing three policemen and wounding "
        'five others, officials said. <a href="javascript:window.__pwned=7">Tehreek-e-Taliban '
        "Pakistan</a> claimed responsibility for the attack in a statement. "
        '<iframe src="javascript:alert(8)"></iframe>\n'
    ),
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sample_lines(ids: set[str] | None = None) -> list[str]:
    """Lines of the bundled sample corpus (all, or those with the given ids)."""
    lines = [line for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [line for line in lines if ids is None or json.loads(line)["id"] in ids]


def fill_database(settings: Settings, extractor: Any, lines: list[str], folder: Path) -> None:
    """Ingest articles (JSONL lines) through the real pipeline into the settings' database."""
    from watchfloor.service import ingest_items

    corpus = folder / "corpus.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_items(settings, [str(corpus)], extractor=extractor)


@contextmanager
def running_server(settings: Settings, **app_options: Any) -> Iterator[str]:
    """Serve the dashboard until the block ends; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, **app_options),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"{base}/api/status", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the test server did not start on {base}")
        time.sleep(0.1)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
