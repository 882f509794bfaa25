"""`aurora ask`: answer a prompt on the terminal, with the task picked automatically."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path
from typing import Any

from aurora_desktop.app.file_warnings import file_warnings
from aurora_desktop.cli.consent_prompt import terminal_ask
from aurora_desktop.cli.numbers import number, whole
from aurora_desktop.cli.progress import TerminalProgress
from aurora_desktop.core.contract import MAX_KEEP_ALIVE_S, MAX_PROMPT_CHARS, Request, Response
from aurora_desktop.core.errors import CancelledError, RequestError
from aurora_desktop.core.userfile import read_named_bytes
from aurora_desktop.core.userinput import clean_text, load_json, read_stdin_text

MAX_SCHEMA_BYTES = 200_000
MAX_STDIN_BYTES = 4 * MAX_PROMPT_CHARS  # UTF-8 takes at most 4 bytes a character


def add_ask_parser(commands: Any) -> None:
    ask = commands.add_parser("ask", help="answer a prompt (the task is picked automatically)")
    ask.add_argument("prompt", help="the prompt; '-' reads it from standard input")
    ask.add_argument("--json", action="store_true", help="print one JSON object, no streaming")
    ask.add_argument("--max-tokens", type=whole(1, 32_768), default=256, metavar="N")
    ask.add_argument("--temperature", type=number(0.0, 2.0), default=0.4, metavar="T")
    ask.add_argument(
        "--task", default="auto", help="auto (default), chat, intent, classify, extract, "
        "summarize, short_summarize, generate_short, generate_long, plan",
    )  # fmt: skip
    ask.add_argument("--risk", default="low", help="low, medium or high (high never leaves)")
    ask.add_argument(
        "--slo-ms", type=whole(1, 3_600_000), metavar="MS", help="the latency you need"
    )
    ask.add_argument("--model", default="auto", help="auto, local://NAME or cloud://PROVIDER/MODEL")
    ask.add_argument(
        "--labels", metavar="A,B,C",
        help="intent/classify: the labels to choose from, or the name of a set in labels.json",
    )  # fmt: skip
    ask.add_argument("--schema", type=Path, metavar="FILE", help="extract: a JSON Schema file")
    ask.add_argument(
        "--rag", action="store_true", help="answer from your ingested documents, with citations"
    )
    ask.add_argument(
        "--k", type=whole(1, 20), default=4, metavar="N", help="--rag: sources to read"
    )
    ask.add_argument(
        "--keep-alive", type=number(0.0, MAX_KEEP_ALIVE_S), metavar="S",
        help="seconds the local model stays loaded when idle (0: unload now)",
    )  # fmt: skip


def read_prompt(raw: str) -> str:
    if raw == "-":
        text = read_stdin_text(what="The prompt", limit=MAX_STDIN_BYTES, error=RequestError)
    else:
        text = clean_text(raw)
    if not text.strip():
        raise RequestError("The prompt is empty; give some text to ask about.")
    return text


def read_schema(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    what = f"The schema file {path}"
    raw = read_named_bytes(path, limit=MAX_SCHEMA_BYTES, what=what, error=RequestError)
    data = load_json(raw, what=what, error=RequestError)
    if not isinstance(data, dict):
        raise RequestError(f"The schema file {path} must hold a JSON object (a JSON Schema).")
    return data


def run_ask(args: argparse.Namespace) -> int:
    from aurora_desktop.app.wiring import build_core

    if args.k < 1 or args.k > 20:
        raise RequestError("--k must be between 1 and 20.")
    schema = read_schema(args.schema)
    prompt = read_prompt(args.prompt)
    core = build_core(ask=terminal_ask)
    try:
        labels = _labels(core, args.labels)
        request = Request.from_prompt(
            prompt,
            max_tokens=args.max_tokens,
            temperature=args.temperature,
            task=args.task,
            risk=args.risk,
            slo_ms=args.slo_ms,
            model=args.model,
            keep_alive_s=args.keep_alive,
            labels=labels,
            json_schema=schema,
        )
        response = _answer(core, request, args)
        warnings = file_warnings(core)  # an invalid user file: what is used instead
    finally:
        core.close()
    if response.finish_reason == "cancelled":
        raise CancelledError("The answer was stopped before it finished.")
    if args.json:
        out = {**response.to_dict(), "warnings": warnings}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    else:
        _summary(response)
        for warning in warnings:
            sys.stderr.write(f"aurora: warning: {warning}\n")
    return 0


def _labels(core: Any, raw: str | None) -> tuple[str, ...] | None:
    if raw is None:
        return None
    names = tuple(part.strip() for part in raw.split(",") if part.strip())
    if len(names) == 1:
        return core.label_sets.current().get(names[0]).labels  # type: ignore[no-any-return]
    return names


def _answer(core: Any, request: Request, args: argparse.Namespace) -> Response:
    progress = TerminalProgress(quiet=True)
    cancel = threading.Event()
    streaming = not args.json and request.task not in ("intent", "classify", "extract")

    streamed: list[bool] = []

    def stream(piece: str) -> bool:
        streamed.append(True)
        sys.stdout.write(piece)
        sys.stdout.flush()
        return not cancel.is_set()

    def note(text: str) -> None:
        sys.stderr.write(f"[{text}]\n")

    try:
        retrieval = core.grounding.retrieve(request.prompt, args.k, progress) if args.rag else None
        response: Response = core.conductor.answer(
            request,
            on_token=stream if streaming else None,
            cancel=cancel,
            progress=progress,
            on_note=note if not args.json else (lambda _: None),
            retrieval=retrieval,
        )
    except KeyboardInterrupt:
        cancel.set()
        raise
    finally:
        progress.close()
    if not args.json and not streamed:  # labels, JSON and planned answers arrive whole
        sys.stdout.write(response.text)
    return response


def _summary(response: Response) -> None:
    sys.stdout.write("\n")
    rule = f"rule {response.rule}" if response.rule else "defaults"
    masked = sum(response.masked.values())
    sent = f" · sent {response.bytes_sent:,} B, {masked} masked" if response.bytes_sent else ""
    label = f" · label {response.label}" if response.label else ""
    checked = {True: " · verified", False: " · UNVERIFIED (best effort)", None: ""}
    sys.stderr.write(
        f"[{response.task} · {response.target} · {response.engine} · {response.model} · "
        f"{rule}{sent}{label}{checked[response.verified]} · {response.tokens_out} tokens · "
        f"{response.tok_s:.1f} tok/s · first token {response.ttft_ms:.0f} ms]\n"
    )
    if response.classified_by:
        sys.stderr.write(f"[classified by {response.classified_by}]\n")
    for hop in response.fallbacks:
        sys.stderr.write(f"[fallback: {hop}]\n")
    if response.verified is False:
        for line in response.attempts:
            sys.stderr.write(f"[try {line}]\n")
    for step in response.plan:
        sys.stderr.write(f"[plan step {step.get('number')}: {step.get('step')}]\n")
    for index, cite in enumerate(response.citations, start=1):
        sys.stderr.write(f"[{index}] {cite.get('path')} {cite.get('span', '')}\n")
