"""A cloud provider behind the `Engine` protocol: the HTTP call runs on the engine's own thread.

There is nothing to load: `load` and `unload` finish at once and `loaded` is always True.
`available()` is False while the provider's circuit breaker is open (it failed repeatedly
and is cooling down), so a router can skip it without waiting for a request to fail.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import TypeVar

import httpx

from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.base import (
    NO_CONSTRAINT,
    Constraint,
    EngineHealth,
    GenerationResult,
    TokenCallback,
)
from aurora_desktop.core.engines.threaded import ThreadedEngine
from aurora_desktop.core.providers.breaker import CircuitBreaker
from aurora_desktop.core.providers.openai_compat import ChatResult, OpenAICompatClient
from aurora_desktop.core.providers.registry import ProviderConfig
from aurora_desktop.core.text import phrase

T = TypeVar("T")


class CloudEngine(ThreadedEngine):
    """One provider and model, answering through an OpenAI-compatible API."""

    engine_name = "cloud"

    def __init__(
        self,
        config: ProviderConfig,
        api_key: str | None,
        *,
        breaker: CircuitBreaker | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(
            model_name=f"{config.name}/{config.model}", thread_name=f"cloud-{config.name}"
        )
        self.config = config
        self.breaker = breaker or CircuitBreaker()
        self._client = OpenAICompatClient(
            config, api_key, breaker=self.breaker, transport=transport
        )

    @property
    def loaded(self) -> bool:
        return True

    def health(self) -> EngineHealth:
        """The breaker's view only: a cloud engine has no model on its thread to report on."""
        if self.available():
            return EngineHealth(True, phrase("reachable as far as Aurora knows"))
        return EngineHealth(
            False,
            phrase(
                "{model_name} is cooling down after repeated failures.", model_name=self.model_name
            ),
        )

    def memory_bytes(self) -> int:
        return 0

    def available(self) -> bool:
        """False while the provider is cooling down after repeated failures."""
        return self.breaker.state != "open"

    def load(self) -> Future[float]:
        """Done at once: nothing to load, and nothing to wait for behind a streaming call."""
        return _done(0.0)

    def unload(self) -> Future[None]:
        return _done(None)

    def _generate(
        self,
        messages: tuple[Message, ...],
        max_tokens: int,
        temperature: float,
        on_token: TokenCallback | None,
        cancel: threading.Event,
        constraint: Constraint = NO_CONSTRAINT,  # a cloud API takes no grammar: the verifier checks
    ) -> GenerationResult:
        result = self._client.stream_chat(
            messages, max_tokens=max_tokens, temperature=temperature,
            on_token=on_token, cancel=cancel,
        )  # fmt: skip
        return _generation(result)

    def _release(self) -> None:
        """Close the HTTP connections once the worker has ended (close() finishes queued calls
        first; a call still streaming after its timeout keeps them until close is called again)."""
        self._client.close()


def _generation(result: ChatResult) -> GenerationResult:
    return GenerationResult(
        text=result.text,
        tokens_in=result.tokens_in,
        tokens_out=result.tokens_out,
        ttft_ms=result.ttft_ms,
        decode_ms=result.decode_ms,
        finish_reason=result.finish_reason,
        bytes_sent=result.bytes_sent,
        bytes_received=result.bytes_received,
    )


def _done(value: T) -> Future[T]:
    future: Future[T] = Future()
    future.set_result(value)
    return future
