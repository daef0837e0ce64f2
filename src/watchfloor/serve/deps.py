"""What every route shares: the application state, the bearer-token check, HTTP errors.

One ``AppState`` is built by ``create_app`` and hung on ``app.state``; routes reach it through
the ``State`` dependency. Writes go through one lock, so SQLite sees one writer at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from watchfloor.resolve.actors import ActorKB
from watchfloor.serve.assets import Assets
from watchfloor.settings import Settings
from watchfloor.store import Store
from watchfloor.store.tokens import ApiToken, TokenStore


class ApiError(Exception):
    """An HTTP-level refusal (auth, size, unsupported) answered in the one JSON error shape."""

    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    @property
    def code(self) -> str:
        return f"HTTP{self.status}"


@dataclass
class AppState:
    """The server's long-lived objects; the extractor and actor KB load on first use."""

    settings: Settings
    store: Store
    tokens: TokenStore
    assets: Assets
    extractor_factory: Callable[[], Any]
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    _load_lock: threading.Lock = field(default_factory=threading.Lock)
    _extractor: Any = None
    _kb: ActorKB | None = None

    def extractor(self) -> Any:
        with self._load_lock:
            if self._extractor is None:
                self._extractor = self.extractor_factory()
            return self._extractor

    def kb(self) -> ActorKB:
        with self._load_lock:
            if self._kb is None:
                self._kb = ActorKB.load()
            return self._kb


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.watchfloor
    return state


State = Annotated[AppState, Depends(get_state)]

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A token from `watchfloor token create NAME`, sent as 'Bearer TOKEN'.",
)


def require_token(
    state: State,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiToken:
    """The token of a write request; 401 when it is missing, unknown or revoked."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise ApiError(
            401,
            "this request writes and needs 'Authorization: Bearer TOKEN'; "
            "create a token with `watchfloor token create NAME`",
            headers=challenge,
        )
    token = state.tokens.verify(credentials.credentials)
    if token is None:
        raise ApiError(
            401,
            "the bearer token is unknown or revoked; `watchfloor token list` shows the valid ones",
            headers=challenge,
        )
    return token


Writer = Annotated[ApiToken, Depends(require_token)]
