"""From an API call to Aurora's one road and back: the Request, the worker thread, the stream.

    body + headers → `build_request` (model, task/risk/slo_ms, response_format → extract)
      → `Generation`: Conductor.answer on its own thread (never the event loop); the text
        comes back through a bounded asyncio queue, and a client that goes away sets the
        generation's cancel Event, which stops it at the next token
      → the dialect (openai_api.py, ollama_api.py) writes the pieces, then the end
    → headers that say where it ran and why: x-aurora-route, x-aurora-rule, x-aurora-masked

The caller's app (its key's name) travels on `Request.client`: the consent dialog names it
and the decision ledger records it. Stop sequences are cut here, on the text as it streams.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request as HttpRequest
from starlette.exceptions import HTTPException
from starlette.responses import Response as HttpResponse

from aurora_desktop.app.wiring import Core
from aurora_desktop.core.contract import RISKS, Message, Request, Response
from aurora_desktop.core.embedding.service import EmbeddingService
from aurora_desktop.core.errors import (
    AuroraError,
    CancelledError,
    PolicyDenied,
    ProviderUnavailableError,
    RequestError,
)
from aurora_desktop.server.auth import ApiClient
from aurora_desktop.server.errors import api_error
from aurora_desktop.server.meta import AUTO_MODEL

T = TypeVar("T")

QUEUE_PIECES = 256  # pieces of text waiting for a slow client before the engine waits
READER_GONE_S = 60.0  # a client that reads nothing for this long has its generation stopped
RETRY_NOTE = "retry "  # the pipeline's note before a later try (core/pipeline.py `_loop`)
DEFAULT_MAX_TOKENS = 1024  # Aurora's own windows ask 256; API clients expect longer answers
AURORA_OPTIONS = ("task", "risk", "slo_ms")  # header x-aurora-NAME or a body field NAME
CLIENT_GONE = 499  # nginx's "client closed request": the caller stopped it
TOOLS_REFUSED = (
    "This model cannot call tools; send the request without tools (and tool_choice), or "
    "describe the tool's result in a message."
)
IMAGES_REFUSED = "This model cannot read images; send text only."


@dataclass(frozen=True, slots=True, kw_only=True)
class Sampling:
    """The generation options each dialect spells its own way."""

    max_tokens: int | None = None
    temperature: float | None = None
    stop: tuple[str, ...] = ()
    seed: int | None = None  # accepted; local models sample with the seed they loaded with
    schema: Mapping[str, Any] | None = None  # response_format/format: the answer is JSON of it
    keep_alive_s: float | None = None


def refuse(status: int, message: str) -> HTTPException:
    """An HTTP error the app renders as one sentence in the caller's dialect."""
    return HTTPException(status, message)


def body_of(http: HttpRequest) -> dict[str, Any]:
    """The JSON object BodyCheck parsed already (it refused anything that is not JSON)."""
    body = getattr(http.state, "body_json", None)
    if not isinstance(body, dict):
        raise refuse(400, "The request body must be a JSON object.")
    return body


def model_ref(name: object, installed: Callable[[], Sequence[str]]) -> str:
    """Aurora's `model` for an API model name: aurora/auto (or none) routes by policy; an
    installed local model runs there; `local://` and `cloud://` names pass as they are.
    `installed` lists the local models (read only for a bare name: it reads the disk)."""
    if name is None or name in ("", AUTO_MODEL, "auto"):
        return "auto"
    if not isinstance(name, str):
        raise refuse(400, "model must be a string, e.g. aurora/auto.")
    if name.startswith(("local://", "cloud://")):
        return name
    bare = name.removesuffix(":latest")  # Ollama's clients add the default tag
    if bare in installed():
        return f"local://{bare}"
    raise refuse(
        404,
        f"The model {name!r} is not installed; use {AUTO_MODEL} or a model GET /v1/models lists.",
    )


def build_request(
    core: Core,
    http: HttpRequest,
    client: ApiClient,
    *,
    messages: Sequence[Message],
    model: object,
    sampling: Sampling,
) -> Request:
    """The Request for one API call; every mistake is a 400 naming the field."""
    body = body_of(http)
    options = {name: _aurora_option(http, body, name) for name in AURORA_OPTIONS}
    task = options["task"] or "auto"
    if sampling.schema is not None:
        if task not in ("auto", "extract"):
            raise refuse(400, f"A JSON answer (response_format) is the extract task, not {task}.")
        task = "extract"
    slo_ms = options["slo_ms"]
    fields: dict[str, Any] = {
        "messages": tuple(messages),
        "model": model_ref(model, core.local.installed_llms),
        "task": task,
        "risk": options["risk"] or client.risk,  # none named: the app's own default
        "slo_ms": _integer(slo_ms, "slo_ms") if slo_ms is not None else None,
        "max_tokens": DEFAULT_MAX_TOKENS if sampling.max_tokens is None else sampling.max_tokens,
        "json_schema": sampling.schema,
        "keep_alive_s": sampling.keep_alive_s,
        "client": client.name,
    }
    if sampling.temperature is not None:
        fields["temperature"] = sampling.temperature
    try:
        return Request(**fields)
    except RequestError as exc:
        raise refuse(400, str(exc)) from exc


def _aurora_option(http: HttpRequest, body: Mapping[str, Any], name: str) -> Any:
    value = http.headers.get(f"x-aurora-{name.replace('_', '-')}")
    if value is None:
        value = body.get(name)
    if value is None:
        return None
    if name == "risk" and value not in RISKS:
        raise refuse(400, f"risk must be low, medium or high, not {value!r}.")
    if name == "task" and not isinstance(value, str):
        raise refuse(400, "task must be a string, e.g. chat or extract.")
    return value


def _integer(value: object, name: str) -> int:
    if isinstance(value, bool):
        raise refuse(400, f"{name} must be a whole number.")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise refuse(400, f"{name} must be a whole number.")


def number(value: object, name: str, *, whole: bool = False) -> float | int | None:
    """A JSON number field (None when absent); anything else is a 400 naming it."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise refuse(400, f"{name} must be a number.")
    if whole and not float(value).is_integer():
        raise refuse(400, f"{name} must be a whole number.")
    return int(value) if whole else float(value)


def stops(value: object, name: str = "stop") -> tuple[str, ...]:
    """`stop` as a string or a list of up to 4 strings (OpenAI's limit; Ollama has none)."""
    if value is None:
        return ()
    found = [value] if isinstance(value, str) else value
    if not isinstance(found, list) or not all(isinstance(s, str) and s for s in found):
        raise refuse(400, f"{name} must be a string or a list of non-empty strings.")
    if len(found) > 16:
        raise refuse(400, f"{name} may list at most 16 sequences.")
    return tuple(found)


# -- errors ----------------------------------------------------------------------------------


def status_of(exc: BaseException) -> int:
    """The HTTP status of an error of Aurora's road (the error's own sentence is the body)."""
    if isinstance(exc, RequestError):
        return 400
    if isinstance(exc, PolicyDenied):  # consent denied, masking failed, high risk, banned
        return 403
    if isinstance(exc, CancelledError):
        return CLIENT_GONE
    if isinstance(exc, ProviderUnavailableError):
        return 503
    return 500


def message_of(exc: BaseException) -> str:
    if isinstance(exc, AuroraError):
        return str(exc)
    return "Aurora failed while answering this request; the error is in its log, please report it."


def error_response(http: HttpRequest, exc: BaseException) -> HttpResponse:
    if not isinstance(exc, AuroraError):
        raise exc  # the app's last-resort handler logs it and answers 500
    return api_error(http.url.path, status_of(exc), message_of(exc))


# -- where it ran ----------------------------------------------------------------------------


def route_headers(response: Response) -> dict[str, str]:
    """x-aurora-route (local/cloud), x-aurora-rule (the rule's number, or none) and
    x-aurora-masked (KIND=count, comma separated, or none)."""
    return {
        "x-aurora-route": response.target,
        "x-aurora-rule": "none" if response.rule is None else str(response.rule),
        "x-aurora-masked": masked_text(response.masked),
    }


def masked_text(masked: Mapping[str, int]) -> str:
    return ",".join(f"{kind}={count}" for kind, count in sorted(masked.items())) or "none"


def aurora_facts(response: Response) -> dict[str, Any]:
    """Where it ran and why, in a stream's last event (its headers left before the end)."""
    return {
        "route": response.target,
        "rule": response.rule,
        "masked": dict(response.masked),
        "task": response.task,
        "model": response.model,
        "verified": response.verified,
        "decision_id": response.decision_id,
    }


# -- stop sequences --------------------------------------------------------------------------


class StopFilter:
    """Passes streamed text through until a stop sequence; holds back a possible beginning."""

    def __init__(self, sequences: Sequence[str]) -> None:
        self._stops = tuple(sequences)
        self._held = ""
        self.hit = False

    def feed(self, piece: str) -> str:
        if self.hit:
            return ""
        text = self._held + piece
        if not self._stops:
            self._held = ""
            return text
        cut = min((i for i in (text.find(s) for s in self._stops) if i >= 0), default=-1)
        if cut >= 0:
            self.hit, self._held = True, ""
            return text[:cut]
        keep = max((_overlap(text, s) for s in self._stops), default=0)
        self._held = text[len(text) - keep :] if keep else ""
        return text[: len(text) - keep]  # what is held back comes with the Ending's tail


def _overlap(text: str, stop: str) -> int:
    """The length of the longest end of `text` that begins `stop`."""
    for size in range(min(len(text), len(stop) - 1), 0, -1):
        if stop.startswith(text[-size:]):
            return size
    return 0


def cut_at_stop(text: str, sequences: Sequence[str]) -> str:
    cut = min((i for i in (text.find(s) for s in sequences) if i >= 0), default=-1)
    return text if cut < 0 else text[:cut]


# -- the generation --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finished:
    """The last item of a generation: its Response, or the error that ended it."""

    response: Response | None
    error: BaseException | None


@dataclass(frozen=True, slots=True)
class Ending:
    """What a dialect writes at the end: the text not streamed yet, the Response and why it
    stopped (`stop` also when a stop sequence cut it)."""

    tail: str
    response: Response
    finish_reason: str  # "stop" | "length"


class Generation:
    """`Conductor.answer` for one request on its own thread; its text arrives on a bounded
    queue that the event loop reads. `cancel` stops it (set when the client goes away)."""

    def __init__(
        self, core: Core, request: Request, *, stop: Sequence[str] = (), stream: bool = False
    ) -> None:
        self.core = core
        self.request = request
        self.cancel = threading.Event()
        self.stops = tuple(stop)
        self._filter = StopFilter(self.stops)
        self._live = stream  # decided again on the worker thread (`_run`)
        self._wants_tokens = stream or bool(self.stops)
        self._sent: list[str] = []
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[str | Finished] = asyncio.Queue()
        self._room = threading.Semaphore(QUEUE_PIECES)
        self._thread = threading.Thread(
            target=self._run, name=f"api-request-{request.request_id}", daemon=True
        )
        self._watcher: asyncio.Task[None] | None = None
        self.finished: Finished | None = None

    def start(self, http: HttpRequest) -> None:
        """Start the work, and watch for the client going away."""
        self._watcher = asyncio.create_task(_watch_disconnect(http, self.cancel))
        self._thread.start()

    def close(self) -> None:
        """The caller is done with it: an unfinished generation is stopped."""
        if self.finished is None:
            self.cancel.set()
        if self._watcher is not None:
            self._watcher.cancel()

    async def next(self) -> str | Finished:
        item = await self._queue.get()
        if isinstance(item, Finished):
            self.finished = item
        else:
            self._room.release()
        return item

    async def result(self) -> Ending:
        """The whole answer (its text cut at a stop sequence); raises the error that ended it."""
        for _ in range(10_000_000):  # a bound far beyond any answer; the queue ends it first
            item = await self.next()
            if isinstance(item, Finished):
                return self.ending(item)
        raise CancelledError("The request was stopped before it finished.")

    def ending(self, finished: Finished) -> Ending:
        if finished.error is not None:
            raise finished.error
        assert finished.response is not None
        response = finished.response
        text = cut_at_stop(response.text, self.stops) if self.stops else response.text
        sent = "".join(self._sent)
        tail = text[len(sent) :] if text.startswith(sent) else ""
        reason = "length" if response.finish_reason == "length" else "stop"
        return Ending(tail, response.with_changes(text=text), reason)

    def route(self) -> str | None:
        """Where the text being written now comes from (local or cloud), while it runs."""
        for live in self.core.metrics.live.snapshot():
            if live.request_id == self.request.request_id:
                return live.target
        return None

    # -- on the worker thread ------------------------------------------------------------

    def _run(self) -> None:
        try:
            # pieces go out as written, unless the answer is only good once whole: JSON,
            # labels, or a reply that banned words may still change (reading them reads a file)
            self._live = self._live and not _checked_whole(self.core, self.request)
            response = self.core.conductor.answer(
                self.request,
                on_token=self._on_token if self._wants_tokens else None,
                cancel=self.cancel,
                on_note=self._on_note,
            )
            finished = Finished(response, None)
        except BaseException as exc:  # handed to the endpoint, which answers with it
            finished = Finished(None, exc)
        self._post(finished)

    def _on_token(self, piece: str) -> bool | None:
        if self.cancel.is_set():
            return False
        shown = self._filter.feed(piece)
        if shown and self._live:
            self._put(shown)
        return False if self._filter.hit else None

    def _on_note(self, note: str) -> None:
        if note.startswith(RETRY_NOTE):  # a later try: its text is sent at the end, if at all
            self._live = False

    def _put(self, piece: str) -> None:
        waited = 0.0
        while not self._room.acquire(timeout=0.25):
            waited += 0.25
            if self.cancel.is_set():
                return
            if waited >= READER_GONE_S:  # connected, but reading nothing: stop
                self.cancel.set()
                return
        self._sent.append(piece)
        self._post(piece)

    def _post(self, item: str | Finished) -> None:
        try:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, item)
        except RuntimeError:  # the event loop has closed: nobody will read
            self.cancel.set()


def _checked_whole(core: Core, request: Request) -> bool:
    return request.task in ("intent", "classify", "extract") or bool(core.banned().words)


async def _watch_disconnect(http: HttpRequest, cancel: threading.Event) -> None:
    """Sets `cancel` when the client closes the connection."""
    while True:
        message = await http.receive()
        if message["type"] == "http.disconnect":
            cancel.set()
            return


async def stream_items(
    generation: Generation, first: str | Finished
) -> AsyncIterator[str | Ending]:
    """The pieces of text, then the Ending; an error after the first piece is raised."""
    item = first
    for _ in range(10_000_000):  # a bound far beyond any answer; the queue ends it first
        if isinstance(item, Finished):
            yield generation.ending(item)
            return
        yield item
        item = await generation.next()


# -- embeddings ------------------------------------------------------------------------------

MAX_INPUTS = 2048  # texts in one embedding request (OpenAI's limit)


def texts_of(value: object, name: str = "input") -> list[str]:
    """An embedding input: one string or a list of strings, none of them empty."""
    texts = [value] if isinstance(value, str) else value
    if not isinstance(texts, list) or not texts:
        raise refuse(400, f"{name} must be a string or a non-empty list of strings.")
    if len(texts) > MAX_INPUTS:
        raise refuse(400, f"{name} may hold at most {MAX_INPUTS} texts; send them in parts.")
    for text in texts:
        if not isinstance(text, str):
            raise refuse(400, f"{name} must hold text, not token numbers; send strings.")
        if not text.strip():
            raise refuse(400, f"{name} must not hold an empty string.")
    return texts


def encoder(core: Core, name: object) -> EmbeddingService:
    """The local encoder a request names (MiniLM when it names none)."""
    choices = (core.embedder, core.multilingual)
    if name is None or name in ("", AUTO_MODEL, "auto"):
        chosen = core.embedder
    elif isinstance(name, str):
        bare = name.removesuffix(":latest")
        found = [e for e in choices if e.model_name == bare]
        if not found:
            known = " or ".join(e.model_name for e in choices)
            raise refuse(404, f"The embedding model {name!r} is not Aurora's; use {known}.")
        chosen = found[0]
    else:
        raise refuse(400, "model must be a string, e.g. all-minilm-l6-v2-int8.")
    return chosen


async def embed(core: Core, name: object, texts: list[str]) -> tuple[str, list[list[float]]]:
    """The model's name and one unit-length vector per text, computed off the event loop."""
    chosen = encoder(core, name)

    def work() -> list[list[float]] | None:
        if core.store.active(chosen.model_name) is None:
            return None  # not installed: an API call never starts a download
        return [[float(x) for x in row] for row in chosen.embed(texts).tolist()]

    try:
        vectors = await in_thread(work, name="api-embed")
    except AuroraError as exc:
        raise refuse(status_of(exc), message_of(exc)) from exc
    if vectors is None:
        raise refuse(
            404,
            f"The embedding model {chosen.model_name} is not installed; install it with "
            "'aurora setup'.",
        )
    return chosen.model_name, vectors


async def in_thread(work: Callable[[], T], name: str) -> T:
    """`work()` on its own named thread, awaited without blocking the event loop."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def settle(value: T | None, error: BaseException | None) -> None:
        if done.cancelled():
            return
        if error is not None:
            done.set_exception(error)
        else:
            done.set_result(value)  # type: ignore[arg-type]

    def run() -> None:
        try:
            value: T | None = work()
            error: BaseException | None = None
        except BaseException as exc:
            value, error = None, exc
        with contextlib.suppress(RuntimeError):  # the loop closed: nobody waits any more
            loop.call_soon_threadsafe(settle, value, error)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return await done
