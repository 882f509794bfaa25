"""What every engine promises: load, stream a generation, cancel, unload."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Protocol

from aurora_desktop.core.contract import Message

TokenCallback = Callable[[str], bool | None]
"""Called with each new piece of text; returning False stops the generation."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Constraint:
    """Limits on what one generation may produce.

    `grammar` is GBNF text: engines that support it (llama.cpp in-process and server) only
    sample tokens the grammar accepts, so a label set or a JSON Schema is met by
    construction. Engines that cannot constrain ignore it; the verifier checks every output
    either way. `raw_prompt` joins the message contents as plain text with no chat
    template, for few-shot completions ("Message: …\nLabel:"); chat-only engines ignore it.
    """

    grammar: str | None = None
    raw_prompt: bool = False
    lookup: bool = False  # the answer copies from the prompt: draft by prompt lookup if greedy


NO_CONSTRAINT = Constraint()


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerationResult:
    text: str
    tokens_in: int
    tokens_out: int
    ttft_ms: float
    decode_ms: float
    finish_reason: str  # "stop" | "length" | "cancelled"
    bytes_sent: int = 0  # bytes that left the machine for this generation (cloud engines)
    bytes_received: int = 0
    threads: int = 0  # CPU threads that decoded the last tokens (0: not chosen by Aurora)
    drafted: int = 0  # tokens proposed by prompt lookup
    drafts_kept: int = 0  # of those, tokens the model itself sampled

    @property
    def decode_tok_s(self) -> float:
        """Decode speed after the first token, the figure llama.cpp itself reports."""
        if self.tokens_out < 2 or self.decode_ms <= 0:
            return 0.0
        return (self.tokens_out - 1) / (self.decode_ms / 1000.0)


@dataclass(frozen=True, slots=True)
class EngineHealth:
    """Whether an engine can take work now, and a sentence saying why not."""

    ok: bool
    detail: str = ""


class Engine(Protocol):
    engine_name: str
    model_name: str

    def health(self) -> EngineHealth: ...

    def memory_bytes(self) -> int:
        """Memory this engine holds for its model now (0 when unloaded or remote)."""
        ...

    @property
    def loaded(self) -> bool: ...

    def load(self) -> Future[float]: ...

    def generate(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int,
        temperature: float,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        constraint: Constraint = NO_CONSTRAINT,
    ) -> Future[GenerationResult]: ...

    def unload(self) -> Future[None]: ...

    def close(self, timeout: float = 10.0) -> bool: ...
