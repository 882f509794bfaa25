"""Ollama-compatible generation: POST /api/chat, /api/generate, /api/embed (and /api/embeddings).

As Ollama does, answers stream by default as NDJSON (one JSON object a line, the last with
`done: true` and the counts); `stream: false` gives one object. `keep_alive` (a number of
seconds or a duration such as "5m", "1h30m"; negative: keep loaded) sets how long the local
model stays loaded once idle, per request. An empty prompt loads the model (or, with
keep_alive 0, unloads it), like Ollama. Every request takes Aurora's one road (gateway.py).
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.responses import Response as HttpResponse

from aurora_desktop.app.wiring import Core
from aurora_desktop.core.contract import MAX_KEEP_ALIVE_S, Message
from aurora_desktop.core.errors import AuroraError
from aurora_desktop.core.routing.tokens import estimate_tokens
from aurora_desktop.server.auth import ApiClient, require_scope
from aurora_desktop.server.errors import api_error
from aurora_desktop.server.gateway import (
    IMAGES_REFUSED,
    TOOLS_REFUSED,
    Ending,
    Finished,
    Generation,
    Sampling,
    aurora_facts,
    body_of,
    build_request,
    embed,
    error_response,
    in_thread,
    message_of,
    model_ref,
    number,
    refuse,
    route_headers,
    status_of,
    stops,
    stream_items,
    texts_of,
)

Kind = Literal["chat", "generate"]
DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
UNIT_S = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def router(core: Core) -> APIRouter:
    api = APIRouter()

    @api.post("/api/chat")
    async def chat(request: Request) -> HttpResponse:
        client = require_scope(request, "chat")
        body = body_of(request)
        if body.get("tools"):
            raise refuse(400, TOOLS_REFUSED)
        raw = body.get("messages")
        if raw in (None, []):  # Ollama: no messages loads (or unloads) the model
            return await _load(core, body, "chat")
        return await _answer(core, request, client, body, chat_messages(raw), "chat")

    @api.post("/api/generate")
    async def generate(request: Request) -> HttpResponse:
        client = require_scope(request, "chat")
        body = body_of(request)
        if body.get("images"):
            raise refuse(400, IMAGES_REFUSED)
        prompt = body.get("prompt")
        if prompt is None or prompt == "":
            return await _load(core, body, "generate")
        if not isinstance(prompt, str):
            raise refuse(400, "prompt must be a string.")
        system = body.get("system")
        if system is not None and not isinstance(system, str):
            raise refuse(400, "system must be a string.")
        messages = ((Message("system", system),) if system else ()) + (Message("user", prompt),)
        return await _answer(core, request, client, body, messages, "generate")

    @api.post("/api/embed")
    async def embed_texts(request: Request) -> dict[str, Any]:
        require_scope(request, "embeddings")
        body = body_of(request)
        texts = texts_of(body.get("input"))
        started = time.perf_counter()
        name, vectors = await embed(core, body.get("model"), texts)
        return {
            "model": name,
            "embeddings": vectors,
            "total_duration": _ns(started),
            "load_duration": 0,
            "prompt_eval_count": sum(estimate_tokens(t) for t in texts),
        }

    @api.post("/api/embeddings")  # the older endpoint: one prompt, one vector
    async def embedding(request: Request) -> dict[str, Any]:
        require_scope(request, "embeddings")
        body = body_of(request)
        _, vectors = await embed(core, body.get("model"), texts_of(body.get("prompt"), "prompt"))
        return {"embedding": vectors[0]}

    return api


def chat_messages(raw: object) -> tuple[Message, ...]:
    if not isinstance(raw, list):
        raise refuse(400, "messages must be a list of {role, content} objects.")
    out = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise refuse(400, f"messages[{index}] must be an object with role and content.")
        role = item.get("role")
        if role == "tool" or item.get("tool_calls"):
            raise refuse(400, TOOLS_REFUSED)
        if item.get("images"):
            raise refuse(400, IMAGES_REFUSED)
        if role not in ("system", "user", "assistant"):
            raise refuse(400, f"messages[{index}].role must be system, user or assistant.")
        content = item.get("content") or ""
        if not isinstance(content, str):
            raise refuse(400, f"messages[{index}].content must be a string.")
        out.append(Message(role, content))
    return tuple(out)


def keep_alive_seconds(value: object) -> float | None:
    """Ollama's keep_alive: seconds as a number, or a Go duration ("5m", "1h30m", "300ms");
    a bare number in a string counts as seconds; negative means keep it loaded (a week)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise refuse(400, "keep_alive must be a number of seconds or a duration such as 5m.")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        seconds = _duration(value.strip())
    else:
        raise refuse(400, "keep_alive must be a number of seconds or a duration such as 5m.")
    if not math.isfinite(seconds):
        raise refuse(400, "keep_alive must be a finite number of seconds.")
    return float(MAX_KEEP_ALIVE_S) if seconds < 0 else min(seconds, float(MAX_KEEP_ALIVE_S))


def _duration(text: str) -> float:
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-")
    try:
        return sign * float(body)
    except ValueError:
        pass
    total, at = 0.0, 0
    while at < len(body):
        found = DURATION.match(body, at)
        if found is None:
            raise refuse(400, f"keep_alive {text!r} is not a duration; use e.g. 30s, 5m or 1h.")
        total += float(found.group(1)) * UNIT_S[found.group(2)]
        at = found.end()
    if not body:
        raise refuse(400, "keep_alive is empty; use e.g. 30s, 5m or 1h.")
    return sign * total


def sampling(body: Mapping[str, Any]) -> Sampling:
    options = body.get("options") or {}
    if not isinstance(options, Mapping):
        raise refuse(400, "options must be an object.")
    limit = number(options.get("num_predict"), "options.num_predict", whole=True)
    return Sampling(
        max_tokens=None if limit is None or limit < 0 else int(limit),  # -1: no limit of its own
        temperature=number(options.get("temperature"), "options.temperature"),
        stop=stops(options.get("stop"), "options.stop"),
        seed=number(options.get("seed"), "options.seed", whole=True),  # type: ignore[arg-type]
        schema=_format(body.get("format")),
        keep_alive_s=keep_alive_seconds(body.get("keep_alive")),
    )


def _format(value: object) -> Mapping[str, Any] | None:
    """Ollama's `format`: "json" (any JSON object) or a JSON Schema."""
    if value is None or value == "":
        return None
    if value == "json":
        return {"type": "object"}
    if isinstance(value, Mapping):
        return value
    raise refuse(400, 'format must be "json" or a JSON Schema object.')


async def _load(core: Core, body: Mapping[str, Any], kind: Kind) -> HttpResponse:
    """No prompt: load the local model (keep_alive 0: unload it), as Ollama does."""
    ref = model_ref(body.get("model"), core.local.installed_llms)
    name = ref.removeprefix("local://") if ref.startswith("local://") else core.local.model_name
    if ref.startswith("cloud://"):
        raise refuse(400, "Only a local model can be loaded; name one GET /api/tags lists.")
    keep_alive = keep_alive_seconds(body.get("keep_alive"))

    def load() -> None:
        with core.scheduler.acquire(name, keep_alive_s=keep_alive):
            pass

    reason = "unload" if keep_alive == 0 else "load"
    try:
        if keep_alive == 0:
            await in_thread(lambda: core.scheduler.unload(name), name="api-unload")
        else:
            await in_thread(load, name="api-load")
    except AuroraError as exc:
        raise refuse(status_of(exc), message_of(exc)) from exc
    done: dict[str, Any] = {"model": str(body.get("model") or name), "created_at": _now(),
                            "done": True, "done_reason": reason}  # fmt: skip
    if kind == "chat":
        done["message"] = {"role": "assistant", "content": ""}
    else:
        done["response"] = ""
    return JSONResponse(done)


async def _answer(
    core: Core,
    http: Request,
    client: ApiClient,
    body: Mapping[str, Any],
    messages: tuple[Message, ...],
    kind: Kind,
) -> HttpResponse:
    options = sampling(body)
    request = build_request(
        core, http, client, messages=messages, model=body.get("model"), sampling=options
    )
    stream = body.get("stream") is not False  # Ollama streams unless told not to
    generation = Generation(core, request, stop=options.stop, stream=stream)
    shape = _Shape(kind, str(body.get("model") or "aurora/auto"))
    generation.start(http)
    if not stream:
        try:
            ending = await generation.result()
        except Exception as exc:
            return error_response(http, exc)
        finally:
            generation.close()
        return JSONResponse(shape.last(ending, whole=True), headers=route_headers(ending.response))
    first = await generation.next()
    if isinstance(first, Finished):
        if first.error is not None:
            generation.close()
            return error_response(http, first.error)
        assert first.response is not None
        headers = route_headers(first.response)
    else:
        route = generation.route()
        headers = {"x-aurora-route": route} if route else {}
    return StreamingResponse(
        _lines(http, generation, first, shape), media_type="application/x-ndjson", headers=headers
    )


async def _lines(
    http: Request, generation: Generation, first: str | Finished, shape: _Shape
) -> AsyncIterator[bytes]:
    try:
        async for item in stream_items(generation, first):
            if not isinstance(item, Ending):
                yield _line(shape.piece(item))
                continue
            if item.tail:
                yield _line(shape.piece(item.tail))
            yield _line(shape.last(item, whole=False))
    except Exception as exc:  # after the first piece: the error is the stream's last line
        yield bytes(api_error(http.url.path, status_of(exc), message_of(exc)).body) + b"\n"
    finally:
        generation.close()


def _line(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n"


class _Shape:
    """The lines of one answer, as /api/chat (`message`) or /api/generate (`response`)."""

    def __init__(self, kind: Kind, model: str) -> None:
        self.kind = kind
        self.model = model

    def _text(self, text: str) -> dict[str, Any]:
        if self.kind == "chat":
            return {"message": {"role": "assistant", "content": text}}
        return {"response": text}

    def piece(self, text: str) -> dict[str, Any]:
        return {"model": self.model, "created_at": _now(), **self._text(text), "done": False}

    def last(self, ending: Ending, *, whole: bool) -> dict[str, Any]:
        r = ending.response
        ms = 1_000_000  # Ollama counts nanoseconds
        return {
            "model": self.model,
            "created_at": _now(),
            **self._text(r.text if whole else ""),
            "done": True,
            "done_reason": ending.finish_reason,
            "total_duration": int(r.latency_ms * ms),
            "load_duration": int(r.load_ms * ms),
            "prompt_eval_count": r.tokens_in,
            "prompt_eval_duration": int(max(0.0, r.ttft_ms - r.load_ms) * ms),
            "eval_count": r.tokens_out,
            "eval_duration": int(max(0.0, r.latency_ms - r.ttft_ms) * ms),
            "aurora": aurora_facts(r),
        }


def _now() -> str:
    return datetime.now(tz=UTC).isoformat().replace("+00:00", "Z")


def _ns(started: float) -> int:
    return int((time.perf_counter() - started) * 1e9)
