"""Stand-ins at the engine seam for the pipeline's decision tests (real engines are tested
in tests/integration); they record every call so a test can prove what was never sent."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass, field

from aurora_desktop.core.contract import Message, Request
from aurora_desktop.core.engines.base import (
    NO_CONSTRAINT,
    Constraint,
    GenerationResult,
    TokenCallback,
)
from aurora_desktop.core.errors import EngineLoadError, ProviderUnavailableError
from aurora_desktop.core.hops import HopResult


@dataclass
class FakeLocal:
    """Answers "local answer", or the next of `answers` (per model name, "*" for any)."""

    fail: bool = False
    calls: list[Request] = field(default_factory=list)
    answers: dict[str, list[str]] = field(default_factory=dict)
    model_name: str = "fake-local"
    constraints: list[Constraint] = field(default_factory=list)

    def name_for(self, request: Request) -> str:
        return request.ref.name if request.ref.kind == "local" else self.model_name

    def run(
        self,
        request: Request,
        *,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        progress: object = None,
        constraint: Constraint = NO_CONSTRAINT,
    ) -> HopResult:
        self.calls.append(request)
        self.constraints.append(constraint)
        if self.fail:
            raise EngineLoadError("the local model crashed while loading")
        model = request.model.removeprefix("local://") if request.model != "auto" else "fake-local"
        script = self.answers.get(model) or self.answers.get("*")
        text = script.pop(0) if script else "local answer"
        if on_token is not None:
            on_token(text)
        return HopResult(
            request_id=request.request_id,
            text=text,
            target="local",
            engine="llama.cpp",
            model=model,
            tokens_in=3,
            tokens_out=2,
            ttft_ms=1.0,
            latency_ms=2.0,
            tok_s=100.0,
            load_ms=0.0,
            finish_reason="stop",
        )

    def close(self, timeout: float = 10.0) -> bool:
        return True


@dataclass
class FakeCloud:
    """Echoes the last user message back, so a test can see placeholders round-trip."""

    fail: bool = False
    sent: list[tuple[Message, ...]] = field(default_factory=list)
    engine_name: str = "cloud"
    reply: str | None = None  # a fixed answer instead of the echo
    model_name: str = "fake/model"

    def available(self) -> bool:
        return True

    def generate(
        self,
        messages: tuple[Message, ...],
        *,
        max_tokens: int,
        temperature: float,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        constraint: Constraint = NO_CONSTRAINT,
    ) -> Future[GenerationResult]:
        self.sent.append(tuple(messages))
        future: Future[GenerationResult] = Future()
        if self.fail:
            future.set_exception(ProviderUnavailableError("the provider is unreachable"))
            return future
        text = self.reply if self.reply is not None else f"You said: {messages[-1].content}"
        if on_token is not None:
            for piece in (text[: len(text) // 2], text[len(text) // 2 :]):
                on_token(piece)
        body = sum(len(m.content.encode()) for m in messages)
        future.set_result(
            GenerationResult(
                text=text,
                tokens_in=5,
                tokens_out=5,
                ttft_ms=1.0,
                decode_ms=1.0,
                finish_reason="stop",
                bytes_sent=body,
            )
        )
        return future

    def close(self, timeout: float = 10.0) -> bool:
        return True
