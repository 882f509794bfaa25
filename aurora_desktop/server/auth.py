"""Who is calling: the API key in `Authorization: Bearer KEY` becomes `request.state.client`.

The `openai` SDK sends its `api_key` in that header; the `ollama` client sends it when given
`headers={"Authorization": "Bearer KEY"}`. A request without a valid key is refused (401)
before anything else reads it. When the user turned keys off (allowed only while the API
listens on loopback), a request without a valid key is the "local app", with every scope
but admin; a valid key still names its app.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from aurora_desktop.core.api_keys import SCOPES, ApiKeyStore
from aurora_desktop.server.errors import api_error

NO_KEY = (
    "This request has no API key; send one as 'Authorization: Bearer KEY' "
    "(make keys in Aurora's settings or with 'aurora api-keys create')."
)
BAD_KEY = (
    "The API key is not valid or was revoked; make a new key in Aurora's settings "
    "or with 'aurora api-keys create'."
)
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="aurora"'}


@dataclass(frozen=True, slots=True)
class ApiClient:
    """The app a request comes from: its key's id and name, and what it may do."""

    key_id: str
    name: str
    scopes: frozenset[str]
    risk: str = "low"  # what its requests that name no risk are treated as


LOCAL_APP = ApiClient(key_id="", name="local app", scopes=frozenset(SCOPES) - {"admin"})


def require_scope(request: Request, scope: str) -> ApiClient:
    """The caller, if its key has `scope`; else HTTPException 403 (rendered in its dialect)."""
    client = getattr(request.state, "client", None)
    if not isinstance(client, ApiClient):
        raise HTTPException(401, NO_KEY, headers=CHALLENGE)
    if scope not in client.scopes:
        raise HTTPException(
            403,
            f"The API key '{client.name}' does not have the {scope} scope; give it that "
            "scope in Aurora's settings or use another key.",
        )
    return client


def bearer_token(headers: Headers) -> str | None:
    """The token of an `Authorization: Bearer TOKEN` header (None without one)."""
    scheme, _, token = headers.get("authorization", "").strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


class KeyAuth:
    """Puts the caller on `request.state.client`, or refuses the request (401)."""

    def __init__(self, app: ASGIApp, *, keys: ApiKeyStore, require_key: bool) -> None:
        self.app = app
        self.keys = keys
        self.require_key = require_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = bearer_token(Headers(scope=scope))
        key = None if token is None else self.keys.verify(token)
        if key is not None:
            client = ApiClient(key_id=key.key_id, name=key.name, scopes=key.scopes, risk=key.risk)
        elif not self.require_key:
            client = LOCAL_APP
        else:
            refusal = api_error(scope["path"], 401, NO_KEY if token is None else BAD_KEY,
                                headers=CHALLENGE)  # fmt: skip
            await refusal(scope, receive, send)
            return
        scope.setdefault("state", {})["client"] = client
        await self.app(scope, receive, send)
