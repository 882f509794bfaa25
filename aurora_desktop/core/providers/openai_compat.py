"""An OpenAI-compatible chat-completions client: streamed over SSE, retried with care.

Retry rules: only connection failures and timeouts before any text arrived, 408, 429 and
5xx are retried, at most `max_retries` times, waiting as `Retry-After` asks (capped at
30 s and never past the call's deadline) or a short exponential backoff. Once text has
streamed to the caller a lost connection is never retried, because a second answer would
duplicate the first. Every call reports to a `CircuitBreaker`; while it is open, calls
fail at once without touching the network.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from aurora_desktop import __version__
from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.base import TokenCallback
from aurora_desktop.core.errors import ProviderError, ProviderUnavailableError
from aurora_desktop.core.providers.breaker import CircuitBreaker
from aurora_desktop.core.providers.registry import ProviderConfig
from aurora_desktop.core.text import phrase

MAX_RETRY_AFTER_S = 30.0
BACKOFF_BASE_S = 0.25
BACKOFF_MAX_S = 4.0
MAX_ERROR_BODY = 16 * 1024
MAX_LINE = 1024 * 1024
MAX_JSON_REPLY = 4 * 1024 * 1024
RETRYABLE_STATUS = frozenset({408, 429})
TRY_LATER = phrase("try again later")


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatResult:
    text: str
    tokens_in: int  # from the server's usage report, else an estimate (chars / 4)
    tokens_out: int  # from the usage report, else the number of content chunks
    usage_reported: bool
    ttft_ms: float  # call start (retries included) to the first piece of text
    decode_ms: float  # first piece of text to the end
    finish_reason: str  # "stop" | "length" | "cancelled" | whatever the provider said
    bytes_sent: int  # request body bytes that left the machine, summed over attempts
    bytes_received: int  # response body bytes, summed over attempts
    attempts: int


@dataclass(slots=True)
class _Tally:
    """What one call did on the wire, over all its attempts."""

    attempts: int = 0
    failures: int = 0  # attempts that failed in a retryable way
    answered: bool = False  # a 200 arrived
    sent: int = 0
    received: int = 0


class _Retryable(Exception):
    """One attempt failed in a way that a later attempt may not."""

    def __init__(self, what: str, cause: str = "", *, advice: str = TRY_LATER,
                 retry_after: float | None = None) -> None:  # fmt: skip
        super().__init__(what)
        self.what, self.cause, self.advice, self.retry_after = what, cause, advice, retry_after

    def sentence(self, name: str, attempts: int) -> str:
        """What the user reads when Aurora gives up."""
        what, cause, advice = self.what, self.cause, self.advice
        if attempts > 1 and cause:
            return phrase(
                "{name} {what} ({cause}; {attempts} attempts); {advice}.",
                name=name,
                what=what,
                cause=cause,
                attempts=attempts,
                advice=advice,
            )
        if attempts > 1:
            return phrase(
                "{name} {what} ({attempts} attempts); {advice}.",
                name=name,
                what=what,
                attempts=attempts,
                advice=advice,
            )
        if cause:
            return phrase(
                "{name} {what} ({cause}); {advice}.",
                name=name,
                what=what,
                cause=cause,
                advice=advice,
            )
        return phrase("{name} {what}; {advice}.", name=name, what=what, advice=advice)


class OpenAICompatClient:
    """Talks to one provider's `/chat/completions`; use from one thread at a time."""

    def __init__(
        self,
        config: ProviderConfig,
        api_key: str | None,
        *,
        breaker: CircuitBreaker | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.breaker = breaker or CircuitBreaker()
        self._clock = clock
        headers = {
            "Accept": "text/event-stream",
            "Accept-Encoding": "identity",  # byte counts are what crossed the wire
            "Content-Type": "application/json",
            "User-Agent": f"Aurora/{__version__}",
        }
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._client = httpx.Client(
            headers=headers,
            transport=transport,
            follow_redirects=False,  # a redirect must never carry the key elsewhere
            trust_env=not config.is_loopback,  # a proxy must not see traffic to this machine
        )
        self.url = f"{config.base_url}/chat/completions"

    def request_body(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int,
        temperature: float,
        grammar: str | None = None,
    ) -> bytes:
        """The exact bytes sent as the request body; `grammar` (GBNF) is a llama.cpp server
        extension, sent only to the local server engine."""
        payload: dict[str, object] = {
            "model": self.config.model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if grammar:
            payload["grammar"] = grammar
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def stream_chat(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int,
        temperature: float,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        deadline_s: float | None = None,
        grammar: str | None = None,
    ) -> ChatResult:
        """Stream one answer; `deadline_s` bounds the time spent before the first byte
        (retries and waits included) and defaults to timeout_s x (1 + max_retries)."""
        name = self.config.name
        if not self.breaker.allow():
            wait = math.ceil(self.breaker.seconds_until_retry())
            raise ProviderUnavailableError(
                phrase(
                    "{name} is resting after {breaker_failures} failed requests in a "
                    "row; Aurora will try it again in {wait} s.",
                    name=name,
                    breaker_failures=self.breaker.failures,
                    wait=wait,
                )
            )
        cancel = cancel or threading.Event()
        body = self.request_body(
            messages, max_tokens=max_tokens, temperature=temperature, grammar=grammar
        )
        started = self._clock()
        budget = deadline_s if deadline_s is not None else (
            self.config.timeout_s * (1 + self.config.max_retries)
        )  # fmt: skip
        deadline = started + budget
        answer = _Answer(name, on_token, cancel, self._clock)
        tally = _Tally()
        try:
            finish = self._with_retries(body, answer, tally, deadline)
        except ProviderUnavailableError:
            self.breaker.record_failure()
            raise
        except ProviderError:
            self.breaker.record_success()  # the provider is up; it just refused this request
            raise
        if tally.answered:
            self.breaker.record_success()
        elif tally.failures:
            self.breaker.record_failure()  # cancelled while waiting to retry
        return answer.result(
            started=started, prompt_chars=sum(len(m.content) for m in messages),
            finish_reason=finish, bytes_sent=tally.sent, bytes_received=tally.received,
            attempts=tally.attempts,
        )  # fmt: skip

    def close(self) -> None:
        self._client.close()

    # -- attempts -------------------------------------------------------------------------

    def _with_retries(self, body: bytes, answer: _Answer, tally: _Tally, deadline: float) -> str:
        while True:
            if answer.cancel.is_set():
                return "cancelled"
            tally.attempts += 1
            try:
                return self._attempt(body, answer, tally, deadline)
            except _Retryable as failure:
                tally.failures += 1
                wait = self._retry_wait(failure, tally.attempts, deadline)
                if wait is None:
                    raise ProviderUnavailableError(
                        failure.sentence(self.config.name, tally.attempts)
                    ) from failure
                if answer.cancel.wait(wait):
                    return "cancelled"

    def _retry_wait(self, failure: _Retryable, attempts: int, deadline: float) -> float | None:
        """Seconds to wait before the next attempt, or None to give up now."""
        if attempts > self.config.max_retries:
            return None
        remaining = deadline - self._clock()
        if failure.retry_after is not None:
            wait = min(failure.retry_after, MAX_RETRY_AFTER_S)
        else:
            wait = min(BACKOFF_BASE_S * 2 ** (attempts - 1), BACKOFF_MAX_S)
        return wait if wait < remaining else None

    def _attempt(self, body: bytes, answer: _Answer, tally: _Tally, deadline: float) -> str:
        timeout = self.config.timeout_s
        first_wait = max(0.05, min(timeout, deadline - self._clock()))
        request = self._client.build_request(
            "POST", self.url, content=body,
            timeout=httpx.Timeout(timeout, connect=first_wait, pool=first_wait),
        )  # fmt: skip
        try:
            response = self._client.send(request, stream=True)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise _Retryable(
                phrase(
                    "could not be reached at {config_base_url}",
                    config_base_url=self.config.base_url,
                ),
                _why(exc),
                advice=phrase(
                    "check that it is running and the address is right, or try again later"
                ),
            ) from exc
        except httpx.TimeoutException as exc:
            tally.sent += len(body)
            raise _timed_out(timeout) from exc
        except httpx.TransportError as exc:
            tally.sent += len(body)
            raise _Retryable(phrase("dropped the connection before answering"), _why(exc)) from exc
        tally.sent += len(body)
        try:
            if response.status_code != 200:
                self._refuse(response, tally)
            tally.answered = True
            return self._read(response, answer, tally)
        finally:
            response.close()

    def _read(self, response: httpx.Response, answer: _Answer, tally: _Tally) -> str:
        name = self.config.name
        kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
        answer.start_attempt(whole_json=kind == "application/json")
        try:
            for chunk in response.iter_raw():
                tally.received += len(chunk)
                if answer.feed(chunk):
                    return answer.finish_reason or "stop"
            finish = answer.end()
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            if answer.delivered:
                raise ProviderUnavailableError(
                    phrase(
                        "{name} stopped mid-answer because the connection was interrupted "
                        "({why_exc}); the reply is incomplete, so ask again.",
                        name=name,
                        why_exc=_why(exc),
                    )
                ) from exc
            if isinstance(exc, httpx.TimeoutException):
                raise _timed_out(self.config.timeout_s) from exc
            raise _Retryable(phrase("dropped the connection before answering"), _why(exc)) from exc
        if finish is not None:
            return finish
        if answer.delivered:
            raise ProviderUnavailableError(
                phrase(
                    "{name} stopped mid-answer because the connection was interrupted "
                    "(the stream ended early); the reply is incomplete, so ask again.",
                    name=name,
                )
            )
        raise _Retryable(phrase("closed the connection before answering"))

    def _refuse(self, response: httpx.Response, tally: _Tally) -> None:
        """Turn an error status into `_Retryable` or `ProviderError`; always raises."""
        raw = b""
        try:
            for chunk in response.iter_raw():
                tally.received += len(chunk)
                raw += chunk
                if len(raw) >= MAX_ERROR_BODY:
                    break
        except (httpx.TimeoutException, httpx.TransportError):
            pass  # the status is what matters
        status, name, said = response.status_code, self.config.name, _server_message(raw)
        detail = f"{status}: {said}" if said else str(status)
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        if status == 429:
            advice = (phrase("it asks Aurora to wait {math_ceil_retry_after} s, so try again "
"after that", math_ceil_retry_after=math.ceil(retry_after))
                      if retry_after else phrase("wait a minute and try again"))  # fmt: skip
            raise _Retryable(
                phrase("is limiting requests"), detail, advice=advice, retry_after=retry_after
            )
        if status >= 500 or status in RETRYABLE_STATUS:
            raise _Retryable(phrase("failed with a server error"), detail, retry_after=retry_after)
        if status in (401, 403):
            raise ProviderError(
                phrase(
                    "{name} refused the API key ({detail}); store the right key with "
                    "'aurora providers add {name} … --key-stdin'.",
                    name=name,
                    detail=detail,
                )
            )
        if status == 404:
            raise ProviderError(
                phrase(
                    "{name} has no chat endpoint or model {config_model} at {url} "
                    "({detail}); check the base URL and the model name.",
                    name=name,
                    config_model=repr(self.config.model),
                    url=self.url,
                    detail=detail,
                )
            )
        raise ProviderError(
            phrase(
                "{name} rejected the request ({detail}); check the model and the request settings.",
                name=name,
                detail=detail,
            )
        )


class _Answer:
    """The answer streamed so far, and the server-sent-events reader that fills it."""

    def __init__(self, name: str, on_token: TokenCallback | None, cancel: threading.Event,
                 clock: Callable[[], float]) -> None:  # fmt: skip
        self.name = name
        self.cancel = cancel
        self._on_token = on_token
        self._clock = clock
        self.pieces: list[str] = []
        self.first_at: float | None = None
        self.usage: tuple[int, int] | None = None
        self.finish_reason: str | None = None
        self._buffer = b""
        self._data: list[str] = []
        self._whole: bytearray | None = None  # a plain JSON reply from a server ignoring "stream"

    @property
    def delivered(self) -> bool:
        return bool(self.pieces)

    def start_attempt(self, *, whole_json: bool) -> None:
        self._buffer, self._data, self.finish_reason, self.usage = b"", [], None, None
        self._whole = bytearray() if whole_json else None

    def feed(self, chunk: bytes) -> bool:
        """Take some body bytes; True once the answer is complete or the caller stopped it."""
        if self._whole is not None:
            self._whole += chunk
            if len(self._whole) > MAX_JSON_REPLY:
                raise self._malformed(phrase("the reply is larger than 4 MiB"))
            return False
        self._buffer += chunk
        while (cut := self._buffer.find(b"\n")) >= 0:
            line, self._buffer = self._buffer[:cut].rstrip(b"\r"), self._buffer[cut + 1 :]
            if self._line(line.decode("utf-8", errors="replace")):
                return True
        if len(self._buffer) > MAX_LINE:
            raise self._malformed(phrase("an event line is longer than 1 MiB"))
        return self._stopped()

    def end(self) -> str | None:
        """The body ended: the finish reason, or None if the answer was cut off."""
        if self._whole is not None:
            return self._whole_reply(bytes(self._whole))
        if self._buffer.strip():
            self._line(self._buffer.rstrip(b"\r").decode("utf-8", errors="replace"))
        self._dispatch()
        return self.finish_reason

    def result(self, *, started: float, prompt_chars: int, finish_reason: str, bytes_sent: int,
               bytes_received: int, attempts: int) -> ChatResult:  # fmt: skip
        ended = self._clock()
        first = self.first_at if self.first_at is not None else ended
        tokens_in, tokens_out = self.usage or (max(1, round(prompt_chars / 4)), len(self.pieces))
        return ChatResult(
            text="".join(self.pieces), tokens_in=tokens_in, tokens_out=tokens_out,
            usage_reported=self.usage is not None, ttft_ms=(first - started) * 1000.0,
            decode_ms=(ended - first) * 1000.0, finish_reason=finish_reason,
            bytes_sent=bytes_sent, bytes_received=bytes_received, attempts=attempts,
        )  # fmt: skip

    def _line(self, line: str) -> bool:
        if not line:
            return self._dispatch()
        field, _, value = line.partition(":")
        if field == "data":
            self._data.append(value.removeprefix(" "))
        return False  # comments (": ping"), event:, id: and retry: lines carry nothing here

    def _dispatch(self) -> bool:
        if not self._data:
            return False
        data, self._data = "\n".join(self._data), []
        if data.strip() == "[DONE]":
            self.finish_reason = self.finish_reason or "stop"
            return True
        try:
            event = json.loads(data)
        except ValueError as exc:
            raise self._malformed(
                phrase("an event is not JSON: {data_60}", data_60=repr(data[:60]))
            ) from exc
        return self._event(event)

    def _event(self, event: Any) -> bool:
        if not isinstance(event, dict):
            raise self._malformed(phrase("an event is not a JSON object"))
        if "error" in event:
            said = _server_message(json.dumps(event).encode())
            if self.delivered:
                raise ProviderUnavailableError(
                    phrase(
                        "{name} stopped mid-answer with an error ({said}); ask again.",
                        name=self.name,
                        said=said,
                    )
                )
            raise ProviderError(
                phrase(
                    "{name} reported an error ({said}); check the request.",
                    name=self.name,
                    said=said,
                )
            )
        usage = event.get("usage")
        if isinstance(usage, dict):
            prompt, completion = usage.get("prompt_tokens"), usage.get("completion_tokens")
            if isinstance(prompt, int) and isinstance(completion, int):
                self.usage = (prompt, completion)
        choices = event.get("choices") or []
        if not isinstance(choices, list) or not all(isinstance(c, dict) for c in choices):
            raise self._malformed(phrase("choices is not a list of objects"))
        for choice in choices[:1]:
            delta = choice.get("delta") or choice.get("message") or {}
            content = delta.get("content") if isinstance(delta, dict) else None
            if isinstance(choice.get("finish_reason"), str):
                self.finish_reason = choice["finish_reason"]
            if isinstance(content, str) and content and not self._emit(content):
                self.finish_reason = "cancelled"
                return True
        return self._stopped()

    def _emit(self, piece: str) -> bool:
        if self.first_at is None:
            self.first_at = self._clock()
        self.pieces.append(piece)
        wanted = self._on_token(piece) if self._on_token is not None else None
        return wanted is not False and not self.cancel.is_set()

    def _stopped(self) -> bool:
        if self.cancel.is_set():
            self.finish_reason = "cancelled"
            return True
        return False

    def _whole_reply(self, raw: bytes) -> str:
        try:
            event = json.loads(raw)
        except ValueError as exc:
            raise self._malformed(phrase("the reply is not JSON")) from exc
        if not isinstance(event, dict) or not event.get("choices"):
            raise self._malformed(phrase("the reply has no choices"))
        self._event(event)
        return self.finish_reason or "stop"

    def _malformed(self, detail: str) -> ProviderError:
        return ProviderError(
            phrase(
                "{name} sent a reply Aurora cannot read ({detail}); check that "
                "its base URL points to an OpenAI-compatible API.",
                name=self.name,
                detail=detail,
            )
        )


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds asked for by a `Retry-After` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _server_message(raw: bytes) -> str:
    """The human part of an error body ({"error": {"message": …}} and the like), shortened."""
    text = raw.decode("utf-8", errors="replace").strip()
    try:
        data: Any = json.loads(text)
    except ValueError:
        data = text
    if isinstance(data, dict):
        data = data.get("error", data)
    if isinstance(data, dict):
        data = data.get("message") or data.get("detail") or data
    text = data if isinstance(data, str) else json.dumps(data)
    text = " ".join(text.split()).rstrip(".")
    return text[:200] + ("…" if len(text) > 200 else "")


def _why(exc: Exception) -> str:
    text = " ".join(str(exc).split()).rstrip(".")
    return text[:120] if text else type(exc).__name__


def _timed_out(timeout: float) -> _Retryable:
    return _Retryable(phrase("did not answer within {timeout} s", timeout=format(timeout, "g")),
                      advice=phrase("try again later or give it a longer timeout"))  # fmt: skip
