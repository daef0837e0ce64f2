"""Schemathesis against the OpenAPI schema: generated requests never cause a server error.

Writes are exercised with and without a valid token (the token fixture is sent on every
request), so both the 401 path and the real handlers see generated bodies.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.serve.conftest import Served

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class _NoExtraction:
    """POST /api/articles would load spaCy per example; a stub keeps this test under a minute."""

    def extract(self, article: Any) -> Any:
        from watchfloor.model import ExtractResult

        return ExtractResult(id=article.id)


def test_no_server_errors(served: Served) -> None:
    app = served.client.app
    app.state.watchfloor.extractor_factory = _NoExtraction  # type: ignore[attr-defined]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = {"Authorization": f"Bearer {served.token}"}
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()
        tested.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        no_server_error()
    assert {"GET /api/events", "POST /api/articles", "POST /api/review"} <= set(tested)
