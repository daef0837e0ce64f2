"""Alert sinks: what the webhook receives, what the JSONL log holds, and failures that say so."""

from __future__ import annotations

import datetime as dt
import io
import json

import httpx
import pytest

from watchfloor.watch.alerts import Alert
from watchfloor.watch.config import SinkConfig
from watchfloor.watch.sinks import (
    JsonlSink,
    SinkError,
    StreamSink,
    WebhookSink,
    build_sinks,
)

AT = dt.datetime(2024, 3, 2, 8, 30, tzinfo=dt.UTC)
ALERTS = [
    Alert(
        rule="branch_first_event",
        key="branch_first_event:is-pakistan",
        title="First event claimed by Islamic State Pakistan Province",
        day=dt.date(2019, 5, 15),
        country="PK",
        event_ids=(4, 9),
        evidence=({"event_id": 4, "quote": "IS claimed the attack in Mastung"},),
    ),
    Alert(rule="fatality_spike", key="spike:PK-BA:2019-05", title="Spike", day=None),
]


class Recorder:
    """An httpx transport that answers every request with ``status`` and keeps the requests."""

    def __init__(self, status: int = 204) -> None:
        self.status = status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status)


def test_webhook_posts_every_new_alert_in_one_json_body() -> None:
    recorder = Recorder()
    with httpx.Client(transport=httpx.MockTransport(recorder)) as client:
        sink = WebhookSink("http://127.0.0.1:9/hook", client)
        sink.deliver(ALERTS, AT)
        sink.deliver([], AT)  # nothing new: no request at all
    assert len(recorder.requests) == 1
    request = recorder.requests[0]
    assert request.method == "POST" and str(request.url) == "http://127.0.0.1:9/hook"
    assert request.headers["content-type"] == "application/json"
    body = json.loads(request.content)
    assert [a["key"] for a in body["alerts"]] == [a.key for a in ALERTS]
    first = body["alerts"][0]
    assert first["event_ids"] == [4, 9] and first["day"] == "2019-05-15"
    assert first["evidence"][0]["quote"] == "IS claimed the attack in Mastung"
    assert first["raised_at"] == AT.isoformat()
    assert body["alerts"][1]["day"] is None


def test_webhook_failures_name_the_url() -> None:
    refusing = httpx.Client(transport=httpx.MockTransport(Recorder(status=502)))
    with refusing, pytest.raises(SinkError, match="HTTP 502") as refused:
        WebhookSink("http://127.0.0.1:9/hook", refusing).deliver(ALERTS, AT)
    assert "http://127.0.0.1:9/hook" in refused.value.one_line()

    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    down = httpx.Client(transport=httpx.MockTransport(unreachable))
    with down, pytest.raises(SinkError, match="webhook unreachable"):
        WebhookSink("http://127.0.0.1:9/hook", down).deliver(ALERTS, AT)


def test_jsonl_log_appends_one_record_per_alert(tmp_path) -> None:
    path = tmp_path / "logs" / "alerts.jsonl"
    sink = JsonlSink(path)
    sink.deliver(ALERTS[:1], AT)
    sink.deliver(ALERTS[1:], AT)
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["rule"] for r in records] == ["branch_first_event", "fatality_spike"]
    blocked = tmp_path / "file"
    blocked.write_text("")
    with pytest.raises(SinkError, match="cannot append alerts"):
        JsonlSink(blocked / "alerts.jsonl").deliver(ALERTS, AT)


def test_stream_lines_and_the_sinks_a_config_asks_for(tmp_path) -> None:
    stream = io.StringIO()
    StreamSink(stream).deliver(ALERTS, AT)
    assert stream.getvalue().splitlines() == [
        "2019-05-15 [branch_first_event] First event claimed by Islamic State Pakistan "
        "Province (events: 4, 9)",
        "undated [fatality_spike] Spike (events: -)",
    ]
    cfg = SinkConfig(stdout=True, jsonl=str(tmp_path / "a.jsonl"), webhook="http://x/h")
    with httpx.Client() as client:
        kinds = [type(s) for s in build_sinks(cfg, client, stream)]
        assert kinds == [StreamSink, JsonlSink, WebhookSink]
        assert build_sinks(SinkConfig(stdout=True), client, None) == []
