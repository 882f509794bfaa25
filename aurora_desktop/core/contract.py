"""The call contract: what a caller asks for and what Aurora answers (seed §7)."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from aurora_desktop.core.errors import RequestError

Role = Literal["system", "user", "assistant"]
MAX_PROMPT_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class Message:
    role: Role
    content: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    """One request; `messages` is the conversation, the last message being the user's."""

    messages: tuple[Message, ...]
    task: str = "chat"
    model: str = "auto"
    max_tokens: int = 256
    temperature: float = 0.4
    slo_ms: int | None = None
    risk: Literal["low", "medium", "high"] = "low"
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    def __post_init__(self) -> None:
        if not self.messages or not self.messages[-1].content.strip():
            raise RequestError("The prompt is empty; type something to ask.")
        if sum(len(m.content) for m in self.messages) > MAX_PROMPT_CHARS:
            raise RequestError(
                f"The prompt is longer than {MAX_PROMPT_CHARS:,} characters; shorten it."
            )
        if not 1 <= self.max_tokens <= 32_768:
            raise RequestError("max_tokens must be between 1 and 32768.")
        if not 0.0 <= self.temperature <= 2.0:
            raise RequestError("temperature must be between 0 and 2.")

    @classmethod
    def from_prompt(cls, prompt: str, **kwargs: Any) -> Request:
        return cls(messages=(Message("user", prompt),), **kwargs)

    @property
    def prompt(self) -> str:
        return self.messages[-1].content


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    """The answer and everything a user may want to know about how it was made."""

    request_id: str
    text: str
    target: Literal["local", "cloud"]
    engine: str
    model: str
    rule: int | None
    why: str
    tokens_in: int
    tokens_out: int
    ttft_ms: float
    latency_ms: float
    tok_s: float
    load_ms: float
    finish_reason: str
    fallbacks: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["fallbacks"] = list(self.fallbacks)
        return data
