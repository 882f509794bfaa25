"""The follow-up prompt after a failed verification: what was wrong, in plain words, and ask again.

The conversation grows by at most two bounded messages (the rejected answer, cut short,
and the request to fix it), so a retry never overflows a small model's context.
"""

from __future__ import annotations

import json

from aurora_desktop.core.cognition.verifier import Verdict, VerifySpec
from aurora_desktop.core.contract import Message

ECHO_CHARS = 400  # how much of the rejected answer is shown back
SCHEMA_CHARS = 600  # how much of the JSON Schema is quoted
MAX_PROBLEMS = 4


def repair_messages(
    messages: tuple[Message, ...], output: str, verdict: Verdict, spec: VerifySpec
) -> tuple[Message, ...]:
    """The conversation plus the rejected answer and a request to answer again, correctly."""
    said = output.strip()
    if len(said) > ECHO_CHARS:
        said = said[: ECHO_CHARS - 1] + "…"
    problems = [check.detail for check in verdict.failures[:MAX_PROBLEMS]]
    if not problems:
        problems = ["The answer did not pass the checks."]
    lines = ["Your previous answer cannot be used:"]
    lines += [f"- {problem}" for problem in problems]
    lines.append(_instruction(spec))
    follow_up = Message("user", "\n".join(lines))
    if not said:
        return (*messages, follow_up)
    return (*messages, Message("assistant", said), follow_up)


def _instruction(spec: VerifySpec) -> str:
    if spec.labels is not None:
        return (
            "Answer again with exactly one of these labels and nothing else: "
            + ", ".join(spec.labels)
            + "."
        )
    if spec.json_schema is not None:
        schema = json.dumps(spec.json_schema, ensure_ascii=False, separators=(",", ":"))
        if len(schema) > SCHEMA_CHARS:
            schema = schema[: SCHEMA_CHARS - 1] + "…"
        return (
            "Answer again with only one JSON value, no explanation and no code fence, "
            f"that matches this JSON Schema: {schema}"
        )
    asks = ["Answer the original request again"]
    if spec.no_refusal:
        asks.append("directly, without apologising or refusing")
    bounds = _bounds(spec)
    if bounds:
        asks.append(bounds)
    return ", ".join(asks) + "."


def _bounds(spec: VerifySpec) -> str:
    parts = []
    if spec.max_words is not None:
        parts.append(f"at most {spec.max_words} words")
    if spec.min_words:
        parts.append(f"at least {spec.min_words} words")
    if spec.max_chars is not None:
        parts.append(f"at most {spec.max_chars} characters")
    if spec.min_chars:
        parts.append(f"at least {spec.min_chars} characters")
    return ("in " + ", ".join(parts)) if parts else ""
