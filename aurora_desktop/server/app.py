"""`build_api`: the FastAPI app of Aurora's local API, its safety layers and every router.

A request passes, in this order (each layer may refuse it, in the caller's dialect, before
anything behind it runs):

    LoopbackGuard      Host must be loopback (DNS rebinding); Origin allowed or absent  403
    CORSMiddleware     preflights answered for the allowed origins only, never '*'
    KeyAuth            a valid API key -> request.state.client                          401
    ConcurrencyLimit   requests at once, per key and in total                           429
    BodyCheck          size, arrival time, UTF-8, JSON, depth -> request.state.body_json
                                                                          413 / 408 / 400
    routes             meta.py here; openai_api.py and ollama_api.py (generation)
                       each asks require_scope(request, scope)                          403
"""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from aurora_desktop import __version__
from aurora_desktop.app.wiring import Core
from aurora_desktop.core.api_keys import ApiKeyStore
from aurora_desktop.server import meta, ollama_api, openai_api
from aurora_desktop.server.auth import KeyAuth
from aurora_desktop.server.errors import api_error
from aurora_desktop.server.guards import LoopbackGuard, allowed_hosts, interface_addresses
from aurora_desktop.server.limits import BodyCheck, ConcurrencyLimit
from aurora_desktop.server.options import ApiOptions

# response headers a page from an allowed origin may read (where the request ran, and why)
EXPOSED_HEADERS = ["x-aurora-route", "x-aurora-rule", "x-aurora-masked", "retry-after"]
UNSPECIFIED = ("0.0.0.0", "::")  # listening on every interface


def build_api(core: Core, *, keys: ApiKeyStore, options: ApiOptions) -> FastAPI:
    """The app the server runs; it has no docs pages and no schema endpoint."""
    extra = interface_addresses() if options.bind in UNSPECIFIED else []
    middleware = [
        Middleware(
            LoopbackGuard, hosts=allowed_hosts(options.bind, extra), origins=options.origins
        ),
        Middleware(
            CORSMiddleware,
            allow_origins=list(options.origins),
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["*"],  # only ever answered to the allowed origins (LoopbackGuard)
            allow_credentials=False,
            allow_private_network=True,  # Chrome asks this of a public page calling loopback
            expose_headers=EXPOSED_HEADERS,
            max_age=600,
        ),
        Middleware(KeyAuth, keys=keys, require_key=options.require_key),
        Middleware(
            ConcurrencyLimit, total=options.max_concurrent, per_key=options.max_concurrent_per_key
        ),
        Middleware(BodyCheck, max_bytes=options.max_body_bytes, timeout_s=options.body_timeout_s),
    ]
    api = FastAPI(
        title="Aurora",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        middleware=middleware,
    )
    api.add_exception_handler(HTTPException, _http_error)
    api.add_exception_handler(RequestValidationError, _invalid_request)
    api.add_exception_handler(Exception, _failure)
    api.include_router(meta.router(core))
    api.include_router(openai_api.router(core))
    api.include_router(ollama_api.router(core))
    return api


_PLAIN = {
    404: "Aurora's API has no such endpoint; the OpenAI ones are under /v1 and the Ollama "
    "ones under /api.",
    405: "This endpoint does not take that method; see the API's endpoints in the README.",
}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = exc.detail if isinstance(exc.detail, str) else ""
    if message in ("", HTTPStatus(exc.status_code).phrase):  # Starlette's own, not a sentence
        message = _PLAIN.get(exc.status_code, "The request was refused.")
    return api_error(request.url.path, exc.status_code, message, headers=exc.headers)


async def _invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "the body"
    reason = str(first.get("msg", "invalid")).rstrip(".")
    return api_error(request.url.path, 400, f"The request field {where} is invalid ({reason}).")


async def _failure(request: Request, exc: Exception) -> Response:
    return api_error(
        request.url.path,
        500,
        "Aurora failed while answering this request; the error is in its log, please report it.",
    )
