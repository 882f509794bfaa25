"""OpenAI-compatible generation: POST /v1/chat/completions, /v1/completions, /v1/embeddings.

Each request takes Aurora's one road (gateway.py): routing, risk, masking with placeholders
restored in the reply, consent naming the calling app, banned words, the verifier. A stream
is Server-Sent Events (`data: {chunk}` … `data: [DONE]`); its last chunk carries `aurora`
(where it ran and why) and, when `stream_options.include_usage` asks, a usage chunk
follows. `response_format` json_object / json_schema is the extract task: a local model
writes under the schema's grammar.
"""

from __future__ import annotations

import base64
import json
import struct
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any, Literal

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.responses import Response as HttpResponse

from aurora_desktop.app.wiring import Core
from aurora_desktop.core.contract import Message
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
    message_of,
    number,
    refuse,
    route_headers,
    status_of,
    stops,
    stream_items,
    texts_of,
)
from aurora_desktop.server.meta import AUTO_MODEL

Kind = Literal["chat", "text"]
ROLES = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant"}
TOOL_FIELDS = ("tools", "functions", "tool_choice", "function_call")


def router(core: Core) -> APIRouter:
    api = APIRouter()

    @api.post("/v1/chat/completions")
    async def chat_completions(request: Request) -> HttpResponse:
        client = require_scope(request, "chat")
        body = body_of(request)
        for name in TOOL_FIELDS:
            if body.get(name) not in (None, [], "none"):
                raise refuse(400, TOOLS_REFUSED)
        messages = chat_messages(body.get("messages"))
        return await _complete(core, request, client, body, messages, "chat")

    @api.post("/v1/completions")
    async def completions(request: Request) -> HttpResponse:
        client = require_scope(request, "chat")
        body = body_of(request)
        prompt = body.get("prompt")
        if isinstance(prompt, list) and len(prompt) == 1:
            prompt = prompt[0]
        if not isinstance(prompt, str):
            raise refuse(400, "prompt must be one string (Aurora answers one prompt at a time).")
        return await _complete(core, request, client, body, (Message("user", prompt),), "text")

    @api.post("/v1/embeddings")
    async def embeddings(request: Request) -> dict[str, Any]:
        require_scope(request, "embeddings")
        body = body_of(request)
        texts = texts_of(body.get("input"))
        encoding = body.get("encoding_format") or "float"
        if encoding not in ("float", "base64"):
            raise refuse(400, "encoding_format must be float or base64.")
        name, vectors = await embed(core, body.get("model"), texts)
        used = sum(estimate_tokens(t) for t in texts)
        return {
            "object": "list",
            "data": [
                {"object": "embedding", "index": i, "embedding": _encoded(v, encoding)}
                for i, v in enumerate(vectors)
            ],
            "model": name,
            "usage": {"prompt_tokens": used, "total_tokens": used},
        }

    return api


def chat_messages(raw: object) -> tuple[Message, ...]:
    """OpenAI's messages as Aurora's: text content (a string or text parts); `developer` is
    a system message; tool results and images are refused with a sentence."""
    if not isinstance(raw, list) or not raw:
        raise refuse(400, "messages must be a non-empty list of {role, content} objects.")
    out = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise refuse(400, f"messages[{index}] must be an object with role and content.")
        role = item.get("role")
        if role in ("tool", "function") or item.get("tool_calls"):
            raise refuse(400, TOOLS_REFUSED)
        if role not in ROLES:
            raise refuse(400, f"messages[{index}].role must be system, user or assistant.")
        out.append(Message(ROLES[role], _text(item.get("content"), index)))  # type: ignore[arg-type]
    return tuple(out)


def _text(content: object, index: int) -> str:
    if isinstance(content, str):
        return content
    if content is None:
        return ""
    if isinstance(content, list):
        pieces = []
        for part in content:
            kind = part.get("type") if isinstance(part, Mapping) else None
            if kind == "text" and isinstance(part.get("text"), str):
                pieces.append(part["text"])
            elif kind in ("image_url", "input_image", "image", "input_audio", "file"):
                raise refuse(400, IMAGES_REFUSED)
            else:
                raise refuse(400, f"messages[{index}].content holds a part Aurora cannot read.")
        return "\n".join(pieces)
    raise refuse(400, f"messages[{index}].content must be a string or a list of text parts.")


def sampling(body: Mapping[str, Any]) -> Sampling:
    if body.get("n") not in (None, 1):
        raise refuse(400, "n must be 1; Aurora writes one answer per request.")
    limit = body.get("max_completion_tokens", body.get("max_tokens"))
    return Sampling(
        max_tokens=number(limit, "max_tokens", whole=True),  # type: ignore[arg-type]
        temperature=number(body.get("temperature"), "temperature"),
        stop=stops(body.get("stop")),
        seed=number(body.get("seed"), "seed", whole=True),  # type: ignore[arg-type]
        schema=response_schema(body.get("response_format")),
    )


def response_schema(value: object) -> Mapping[str, Any] | None:
    """The JSON Schema a `response_format` asks for (json_object: any object), or None."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise refuse(400, "response_format must be an object with a type.")
    kind = value.get("type")
    if kind == "text":
        return None
    if kind == "json_object":
        return {"type": "object"}
    if kind == "json_schema":
        spec = value.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, Mapping) else None
        if not isinstance(schema, Mapping):
            raise refuse(400, "response_format.json_schema.schema must be a JSON Schema object.")
        return schema
    raise refuse(400, "response_format.type must be text, json_object or json_schema.")


async def _complete(
    core: Core,
    http: Request,
    client: ApiClient,
    body: Mapping[str, Any],
    messages: tuple[Message, ...],
    kind: Kind,
) -> HttpResponse:
    options = sampling(body)
    model = body.get("model") or AUTO_MODEL
    request = build_request(
        core, http, client, messages=messages, model=body.get("model"), sampling=options
    )
    stream = body.get("stream") is True
    generation = Generation(core, request, stop=options.stop, stream=stream)
    shape = _Shape(kind, str(model), request.request_id)
    generation.start(http)
    if not stream:
        try:
            ending = await generation.result()
        except Exception as exc:
            return error_response(http, exc)
        finally:
            generation.close()
        return JSONResponse(shape.whole(ending), headers=route_headers(ending.response))
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
    usage = isinstance(body.get("stream_options"), Mapping) and bool(
        body["stream_options"].get("include_usage")
    )
    return StreamingResponse(
        _events(http, generation, first, shape, usage),
        media_type="text/event-stream",
        headers={**headers, "Cache-Control": "no-cache"},
    )


async def _events(
    http: Request, generation: Generation, first: str | Finished, shape: _Shape, usage: bool
) -> AsyncIterator[bytes]:
    try:
        yield _sse(shape.opening())
        async for item in stream_items(generation, first):
            if not isinstance(item, Ending):
                yield _sse(shape.piece(item))
                continue
            if item.tail:
                yield _sse(shape.piece(item.tail))
            yield _sse(shape.last(item))
            if usage:
                yield _sse(shape.usage(item))
        yield b"data: [DONE]\n\n"
    except Exception as exc:  # after the first piece: the error is the stream's last event
        error = api_error(http.url.path, status_of(exc), message_of(exc))
        yield b"data: " + bytes(error.body) + b"\n\n"
    finally:
        generation.close()


def _sse(data: Mapping[str, Any]) -> bytes:
    return b"data: " + json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n\n"


class _Shape:
    """The chunks and bodies of one answer, as chat.completion or text_completion."""

    def __init__(self, kind: Kind, model: str, request_id: str) -> None:
        self.kind = kind
        self.model = model
        self.created = int(time.time())
        prefix = "chatcmpl" if kind == "chat" else "cmpl"
        self.id = f"{prefix}-{request_id}"

    def _frame(self, choice: dict[str, Any], chunk: bool) -> dict[str, Any]:
        if self.kind == "chat":
            kind = "chat.completion.chunk" if chunk else "chat.completion"
        else:
            kind = "text_completion"
        return {"id": self.id, "object": kind, "created": self.created, "model": self.model,
                "system_fingerprint": None, "choices": [choice]}  # fmt: skip

    def _choice(self, text: str | None, finish: str | None, chunk: bool) -> dict[str, Any]:
        choice: dict[str, Any] = {"index": 0, "logprobs": None, "finish_reason": finish}
        if self.kind == "text":
            choice["text"] = text or ""
        elif chunk:
            choice["delta"] = {} if text is None else {"content": text}
        else:
            choice["message"] = {"role": "assistant", "content": text, "refusal": None}
        return choice

    def opening(self) -> dict[str, Any]:
        if self.kind == "text":
            return self.piece("")
        choice = self._choice("", None, True)
        choice["delta"]["role"] = "assistant"
        return self._frame(choice, True)

    def piece(self, text: str) -> dict[str, Any]:
        return self._frame(self._choice(text, None, True), True)

    def last(self, ending: Ending) -> dict[str, Any]:
        frame = self._frame(self._choice(None, ending.finish_reason, True), True)
        frame["aurora"] = aurora_facts(ending.response)
        return frame

    def usage(self, ending: Ending) -> dict[str, Any]:
        frame = self._frame(self._choice(None, None, True), True)
        frame["choices"] = []
        frame["usage"] = _usage(ending)
        return frame

    def whole(self, ending: Ending) -> dict[str, Any]:
        text = ending.response.text
        frame = self._frame(self._choice(text, ending.finish_reason, False), False)
        frame["usage"] = _usage(ending)
        frame["aurora"] = aurora_facts(ending.response)
        return frame


def _usage(ending: Ending) -> dict[str, int]:
    response = ending.response
    return {
        "prompt_tokens": response.tokens_in,
        "completion_tokens": response.tokens_out,
        "total_tokens": response.tokens_in + response.tokens_out,
    }


def _encoded(vector: list[float], encoding: str) -> list[float] | str:
    if encoding == "float":
        return vector
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")
