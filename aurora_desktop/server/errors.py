"""One-sentence API errors in the caller's dialect: OpenAI's for /v1/*, Ollama's for /api/*.

    OpenAI:  {"error": {"message": "...", "type": "...", "param": null, "code": "..."}}
    Ollama:  {"error": "..."}

The official clients read these: the `openai` SDK turns the status into its error class
(AuthenticationError for 401, RateLimitError for 429, ...) and shows `message`; the `ollama`
client raises ResponseError with the `error` string. Endpoints raise Starlette's
`HTTPException(status, sentence)`; `build_api` renders it here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from starlette.responses import JSONResponse

Dialect = Literal["openai", "ollama"]

# status: (OpenAI's error type, code)
_OPENAI_KINDS = {
    400: ("invalid_request_error", "invalid_request"),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("permission_error", "permission_denied"),
    404: ("invalid_request_error", "not_found"),
    405: ("invalid_request_error", "method_not_allowed"),
    408: ("invalid_request_error", "request_timeout"),
    409: ("invalid_request_error", "conflict"),
    413: ("invalid_request_error", "request_too_large"),
    415: ("invalid_request_error", "unsupported_media_type"),
    429: ("rate_limit_error", "rate_limit_exceeded"),
    503: ("server_error", "service_unavailable"),
    504: ("server_error", "timeout"),
}


def dialect(path: str) -> Dialect:
    """Ollama's paths start with /api/; everything else answers as OpenAI does."""
    return "ollama" if path == "/api" or path.startswith("/api/") else "openai"


def api_error(
    path: str, status: int, message: str, *, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """The error response for a request to `path`; `message` is one sentence."""
    if dialect(path) == "ollama":
        body: dict[str, object] = {"error": message}
    else:
        kind, code = _OPENAI_KINDS.get(
            status,
            ("server_error", "internal_error")
            if status >= 500
            else ("invalid_request_error", "invalid_request"),
        )
        body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))
