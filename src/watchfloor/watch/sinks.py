"""Where new alerts go: a text stream (stdout), a JSONL log, a local webhook.

Every sink takes the alerts the log has just accepted, so each alert is delivered once. A sink
that fails (a webhook that is down) reports the failure and the others still deliver.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, TextIO

import httpx
import orjson

from watchfloor.errors import WatchfloorError
from watchfloor.watch.alerts import Alert
from watchfloor.watch.config import SinkConfig


class SinkError(WatchfloorError):
    """An alert sink could not deliver (the alert stays in the database's alert log)."""

    code = "W601"


class Sink(Protocol):
    def deliver(self, alerts: Sequence[Alert], at: dt.datetime) -> None: ...


def alert_line(alert: Alert) -> str:
    """The one-line text form: day, rule, title and the events it cites."""
    cited = ", ".join(str(i) for i in alert.event_ids) or "-"
    day = alert.day.isoformat() if alert.day else "undated"
    return f"{day} [{alert.rule}] {alert.title} (events: {cited})"


def alert_record(alert: Alert, at: dt.datetime) -> dict[str, object]:
    return {**alert.to_json(), "raised_at": at.isoformat()}


class StreamSink:
    """One line per alert on a text stream the caller owns (the CLI passes stdout)."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def deliver(self, alerts: Sequence[Alert], at: dt.datetime) -> None:
        for alert in alerts:
            self.stream.write(alert_line(alert) + "\n")
        self.stream.flush()


class JsonlSink:
    """Appends one JSON object per alert; the file is created with its folder."""

    def __init__(self, path: Path):
        self.path = path

    def deliver(self, alerts: Sequence[Alert], at: dt.datetime) -> None:
        if not alerts:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("ab") as out:
                for alert in alerts:
                    out.write(orjson.dumps(alert_record(alert, at)) + b"\n")
        except OSError as exc:
            raise SinkError(f"cannot append alerts: {exc}", source=str(self.path)) from exc


class WebhookSink:
    """POSTs ``{"alerts": [...]}`` as JSON to a URL (meant for a local relay or chat bridge)."""

    def __init__(self, url: str, client: httpx.Client, timeout: float = 5.0):
        self.url = url
        self.client = client
        self.timeout = timeout

    def deliver(self, alerts: Sequence[Alert], at: dt.datetime) -> None:
        if not alerts:
            return
        body = {"alerts": [alert_record(a, at) for a in alerts]}
        try:
            response = self.client.post(
                self.url,
                content=orjson.dumps(body),
                headers={"Content-Type": "application/json"},
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            raise SinkError(f"webhook unreachable: {exc}", source=self.url) from exc
        if response.status_code >= 400:
            raise SinkError(f"webhook answered HTTP {response.status_code}", source=self.url)


def build_sinks(cfg: SinkConfig, client: httpx.Client, stdout: TextIO | None) -> list[Sink]:
    """The sinks a config asks for; ``stdout`` is the stream for ``stdout: true``."""
    sinks: list[Sink] = []
    if cfg.stdout and stdout is not None:
        sinks.append(StreamSink(stdout))
    if cfg.jsonl:
        sinks.append(JsonlSink(Path(cfg.jsonl).expanduser()))
    if cfg.webhook:
        sinks.append(WebhookSink(cfg.webhook, client, cfg.webhook_timeout))
    return sinks
