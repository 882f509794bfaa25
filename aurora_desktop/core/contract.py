"""The call contract: what a caller asks for and what Aurora answers (seed §7)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from aurora_desktop.core.errors import RequestError
from aurora_desktop.core.text import phrase
from aurora_desktop.core.userinput import clean_text

Role = Literal["system", "user", "assistant"]
Risk = Literal["low", "medium", "high"]
MAX_PROMPT_CHARS = 200_000
TASKS = (
    "chat",
    "intent",
    "classify",
    "extract",
    "summarize",
    "short_summarize",
    "generate_short",
    "generate_long",
    "plan",
)
REQUEST_TASKS = ("auto", *TASKS)  # "auto": the intent classifier picks the task
RISKS = ("low", "medium", "high")
MAX_LABELS = 50
MAX_KEEP_ALIVE_S = 7 * 86_400  # a week; the scheduler's idle timer takes any finite value below
ROLES = ("system", "user", "assistant")
MODEL_PATTERN = re.compile(
    r"^(auto|local://[a-z0-9][a-z0-9._-]{0,63}|cloud://[a-z0-9][a-z0-9._-]{0,39}(/[^\s/\ud800-\udfff][^\s\ud800-\udfff]{0,99})?)$"
)
FIELDS = (
    "model", "task", "prompt", "messages", "max_tokens", "temperature", "slo_ms", "risk",
    "keep_alive_s", "labels", "schema",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Message:
    role: Role
    content: str


@dataclass(frozen=True, slots=True)
class ModelRef:
    """A request's model, parsed once: `auto`, `local://NAME` or `cloud://PROVIDER[/MODEL]`.

    `name` is the local model's name or the cloud provider (with its model); empty for auto."""

    kind: Literal["auto", "local", "cloud"]
    name: str = ""

    @classmethod
    def parse(cls, text: str) -> ModelRef:
        if not MODEL_PATTERN.match(text):
            raise RequestError(
                phrase(
                    "model must be auto, local://NAME or cloud://PROVIDER/MODEL, not {text}.",
                    text=repr(text),
                )
            )
        if text == "auto":
            return cls("auto")
        kind, _, name = text.partition("://")
        return cls("local" if kind == "local" else "cloud", name)

    @property
    def pinned(self) -> Literal["local", "cloud"] | None:
        """Where the caller pinned the request, or None when routing decides."""
        return None if self.kind == "auto" else self.kind

    def __str__(self) -> str:
        return "auto" if self.kind == "auto" else f"{self.kind}://{self.name}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    """One request; `messages` is the conversation, the last message being the user's."""

    messages: tuple[Message, ...]
    task: str = "chat"
    model: str = "auto"
    max_tokens: int = 256
    temperature: float = 0.4
    slo_ms: int | None = None
    risk: Risk = "low"
    keep_alive_s: float | None = None  # how long the local model stays loaded once idle
    labels: tuple[str, ...] | None = None  # intent/classify: the answer must be one of these
    json_schema: Mapping[str, Any] | None = None  # extract: the answer must be valid JSON of it
    # the app that sent it through the local API (its key's name), for the consent dialog and
    # the decision ledger; None for Aurora's own windows and CLI. Not a field of `from_dict`:
    # a caller cannot name itself another app
    client: str | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    ref: ModelRef = field(init=False, repr=False, compare=False)  # `model`, parsed

    def __post_init__(self) -> None:
        _clean_surrogates(self)
        if not self.messages or not self.messages[-1].content.strip():
            raise RequestError(phrase("The prompt is empty; type something to ask."))
        if self.task not in REQUEST_TASKS:
            raise RequestError(
                phrase(
                    "task must be one of {join_REQUEST_TASKS}, not {task}.",
                    join_REQUEST_TASKS=", ".join(REQUEST_TASKS),
                    task=repr(self.task),
                )
            )
        if self.labels is not None:
            _check_labels(self.labels)
        if self.json_schema is not None and not isinstance(self.json_schema, Mapping):
            raise RequestError(phrase("schema must be a JSON object (a JSON Schema)."))
        if self.risk not in RISKS:
            raise RequestError(
                phrase("risk must be low, medium or high, not {risk}.", risk=repr(self.risk))
            )
        object.__setattr__(self, "ref", ModelRef.parse(self.model))
        if self.slo_ms is not None and not 1 <= self.slo_ms <= 3_600_000:
            raise RequestError(phrase("slo_ms must be between 1 and 3600000 milliseconds."))
        for message in self.messages:
            if message.role not in ROLES:
                raise RequestError(
                    phrase(
                        "a message role must be system, user or assistant, not {message_role}.",
                        message_role=repr(message.role),
                    )
                )
        if sum(len(m.content) for m in self.messages) > MAX_PROMPT_CHARS:
            raise RequestError(
                phrase(
                    "The prompt is longer than {MAX_PROMPT_CHARS} characters; shorten it.",
                    MAX_PROMPT_CHARS=format(MAX_PROMPT_CHARS, ","),
                )
            )
        if not 1 <= self.max_tokens <= 32_768:
            raise RequestError(phrase("max_tokens must be between 1 and 32768."))
        if not 0.0 <= self.temperature <= 2.0:
            raise RequestError(phrase("temperature must be between 0 and 2."))
        if self.keep_alive_s is not None and not 0.0 <= self.keep_alive_s <= MAX_KEEP_ALIVE_S:
            raise RequestError(
                phrase(
                    "keep_alive_s must be a number of seconds from 0 to "
                    "{MAX_KEEP_ALIVE_S} (a week).",
                    MAX_KEEP_ALIVE_S=format(MAX_KEEP_ALIVE_S, ","),
                )
            )

    @classmethod
    def from_prompt(cls, prompt: str, **kwargs: Any) -> Request:
        return cls(messages=(Message("user", prompt),), **kwargs)

    @classmethod
    def from_dict(cls, data: object) -> Request:
        """Build from the JSON call contract; every mistake names the field."""
        if not isinstance(data, Mapping):
            raise RequestError(phrase("A request must be a JSON object."))
        unknown = sorted(set(data) - set(FIELDS))
        if unknown:
            raise RequestError(
                phrase(
                    "Unknown request field {unknown_0}; known: {join_FIELDS}.",
                    unknown_0=repr(unknown[0]),
                    join_FIELDS=", ".join(FIELDS),
                )
            )
        if ("prompt" in data) == ("messages" in data):
            raise RequestError(phrase("A request needs exactly one of prompt or messages."))
        if "prompt" in data:
            if not isinstance(data["prompt"], str):
                raise RequestError(phrase("prompt must be a string."))
            messages: tuple[Message, ...] = (Message("user", data["prompt"]),)
        else:
            messages = _messages(data["messages"])
        options: dict[str, Any] = {}
        for name, kind in (
            ("model", str),
            ("task", str),
            ("risk", str),
            ("max_tokens", int),
            ("slo_ms", int),
            ("temperature", (int, float)),
            ("keep_alive_s", (int, float)),
        ):
            if name in data and data[name] is not None:
                value = data[name]
                if isinstance(value, bool) or not isinstance(value, kind):
                    raise RequestError(
                        phrase(
                            "{name} has the wrong type ({type_value___name}).",
                            name=name,
                            type_value___name=type(value).__name__,
                        )
                    )
                is_float = name in ("temperature", "keep_alive_s")
                options[name] = float(value) if is_float else value
        if data.get("labels") is not None:
            labels = data["labels"]
            if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                raise RequestError(phrase("labels must be a list of strings."))
            options["labels"] = tuple(labels)
        if data.get("schema") is not None:
            if not isinstance(data["schema"], Mapping):
                raise RequestError(phrase("schema must be a JSON object (a JSON Schema)."))
            options["json_schema"] = data["schema"]
        return cls(messages=messages, **options)

    @property
    def prompt(self) -> str:
        return self.messages[-1].content


def _clean_surrogates(request: Request) -> None:
    """Lone surrogates (invalid UTF-8 from the command line) become U+FFFD in the text fields."""
    messages = tuple(
        Message(m.role, clean_text(m.content)) if isinstance(m.content, str) else m
        for m in request.messages
    )
    if messages != request.messages:
        object.__setattr__(request, "messages", messages)
    if request.labels is not None:
        labels = tuple(clean_text(x) if isinstance(x, str) else x for x in request.labels)
        if labels != request.labels:
            object.__setattr__(request, "labels", labels)


def _check_labels(labels: tuple[str, ...]) -> None:
    if not 2 <= len(labels) <= MAX_LABELS:
        raise RequestError(
            phrase("labels must list between 2 and {MAX_LABELS} choices.", MAX_LABELS=MAX_LABELS)
        )
    for label in labels:
        if not isinstance(label, str) or not label.strip() or len(label) > 60:
            raise RequestError(
                phrase("each label must be 1 to 60 characters, not {label}.", label=repr(label))
            )
    if len({label.strip().casefold() for label in labels}) != len(labels):
        raise RequestError(phrase("labels must all be different."))


def _messages(raw: object) -> tuple[Message, ...]:
    if not isinstance(raw, list) or not raw:
        raise RequestError(
            phrase("messages must be a non-empty list of {{role, content}} objects.")
        )
    out = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping) or not isinstance(item.get("content"), str):
            raise RequestError(phrase("messages[{index}] needs a string content.", index=index))
        out.append(Message(item.get("role", "user"), item["content"]))
    return tuple(out)


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
    masked: Mapping[str, int] = field(default_factory=dict)  # entities replaced before sending
    bytes_sent: int = 0  # bytes that left the machine
    consent: str | None = None  # how consent was given for a cloud hop
    tokens_counted_by: str = ""
    decision_id: str = ""
    task: str = ""  # the task that ran (what "auto" was resolved to)
    label: str | None = None  # intent/classify: the label chosen
    classified_by: str = ""  # how the task or label was decided, e.g. "embedding 0.81"
    confidence: float | None = None  # intent/classify: the label's probability, 0..1
    verified: bool | None = None  # None: not checked; False: best effort, checks failed
    checks: tuple[str, ...] = ()  # the verifier's findings on the final answer
    attempts: tuple[str, ...] = ()  # every try: "1 local SmolLM2: failed json_schema (…)"
    plan: tuple[Mapping[str, Any], ...] = ()  # plan/generate_long: the steps and their answers
    citations: tuple[Mapping[str, Any], ...] = ()  # RAG: the sources the answer cites

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["fallbacks"] = list(self.fallbacks)
        data["masked"] = dict(self.masked)
        for name in ("checks", "attempts"):
            data[name] = list(data[name])
        data["plan"] = [dict(step) for step in self.plan]
        data["citations"] = [dict(c) for c in self.citations]
        return data

    def with_changes(self, **changes: Any) -> Response:
        return replace(self, **changes)
