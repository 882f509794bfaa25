"""`aurora` with no arguments starts the tray app; `aurora ask` answers on the terminal."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Sequence
from typing import NoReturn

from aurora_desktop import __version__
from aurora_desktop.cli.bench_cmd import add_bench_parser, run_bench
from aurora_desktop.cli.consent_prompt import terminal_ask
from aurora_desktop.cli.models_cmd import add_models_parser, run_models
from aurora_desktop.cli.policy_cmd import (
    add_policy_parsers,
    run_audit,
    run_consent,
    run_mask,
    run_route,
)
from aurora_desktop.cli.progress import TerminalProgress
from aurora_desktop.cli.providers_cmd import add_providers_parser, run_providers
from aurora_desktop.cli.stats_cmd import add_stats_parser, run_stats
from aurora_desktop.core.contract import Request
from aurora_desktop.core.errors import AuroraError, CancelledError, RequestError

POLICY_COMMANDS = {"route": run_route, "mask": run_mask, "audit": run_audit, "consent": run_consent}
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake in one sentence instead of a usage dump."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"aurora: {message}; run '{self.prog} --help' for usage.\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="aurora",
        description="Aurora, a local-first LLM assistant. With no command, starts the tray app.",
    )
    parser.add_argument("--version", action="version", version=f"aurora {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    ask = commands.add_parser("ask", help="answer a prompt with the local model")
    ask.add_argument("prompt", help="the prompt; '-' reads it from standard input")
    ask.add_argument("--json", action="store_true", help="print one JSON object, no streaming")
    ask.add_argument("--max-tokens", type=int, default=256, metavar="N")
    ask.add_argument("--temperature", type=float, default=0.4, metavar="T")
    ask.add_argument("--task", default="chat", help="chat, intent, classify, extract, summarize…")
    ask.add_argument("--risk", default="low", help="low, medium or high (high never leaves)")
    ask.add_argument("--slo-ms", type=int, metavar="MS", help="the latency you need")
    ask.add_argument("--model", default="auto", help="auto, local://NAME or cloud://PROVIDER/MODEL")
    ask.add_argument(
        "--keep-alive",
        type=float,
        metavar="S",
        help="seconds the local model stays loaded when idle (0: unload now)",
    )

    commands.add_parser("setup", help="install and verify the default local model")
    add_models_parser(commands, _Parser)
    add_policy_parsers(commands, _Parser)
    add_providers_parser(commands, _Parser)
    add_stats_parser(commands)
    add_bench_parser(commands)
    commands.add_parser("app", help="start the tray app (the same as no command)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command in (None, "app"):
            from aurora_desktop.app.main import run_app

            return run_app()
        if args.command == "setup":
            return _setup()
        if args.command == "models":
            return run_models(args)
        if args.command == "bench":
            return run_bench(args)
        if args.command == "stats":
            return run_stats(args)
        if args.command == "providers":
            return run_providers(args)
        if args.command in POLICY_COMMANDS:
            return POLICY_COMMANDS[args.command](args)
        return _ask(args)
    except KeyboardInterrupt:
        sys.stderr.write("\naurora: stopped.\n")
        return EXIT_INTERRUPTED
    except AuroraError as exc:
        sys.stderr.write(f"aurora: {exc}\n")
        return EXIT_ERROR


def _setup() -> int:
    from aurora_desktop.app.wiring import build_core

    core = build_core()
    progress = TerminalProgress()
    try:
        engine = core.assistant.prepare(progress)
    finally:
        progress.close()
        core.close()
    sys.stderr.write(f"{engine.model_name} is installed and verified in {core.home.models}.\n")
    return 0


def _read_prompt(raw: str) -> str:
    text = sys.stdin.read() if raw == "-" else raw
    if not text.strip():
        raise RequestError("The prompt is empty; give some text to ask about.")
    return text


def _ask(args: argparse.Namespace) -> int:
    from aurora_desktop.app.wiring import build_core

    request = Request.from_prompt(
        _read_prompt(args.prompt),
        max_tokens=args.max_tokens,
        temperature=args.temperature,
        task=args.task,
        risk=args.risk,
        slo_ms=args.slo_ms,
        model=args.model,
        keep_alive_s=args.keep_alive,
    )
    core = build_core()
    core.pipeline.consent.ask = terminal_ask
    progress = TerminalProgress(quiet=True)
    cancel = threading.Event()

    def stream(piece: str) -> bool:
        sys.stdout.write(piece)
        sys.stdout.flush()
        return not cancel.is_set()

    try:
        response = core.pipeline.run(
            request,
            on_token=None if args.json else stream,
            cancel=cancel,
            progress=progress,
        )
    except KeyboardInterrupt:
        cancel.set()
        raise
    finally:
        progress.close()
        core.close()
    if response.finish_reason == "cancelled":
        raise CancelledError("The answer was stopped before it finished.")
    if args.json:
        sys.stdout.write(json.dumps(response.to_dict(), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("\n")
        rule = f"rule {response.rule}" if response.rule else "defaults"
        masked = sum(response.masked.values())
        sent = f" · sent {response.bytes_sent:,} B, {masked} masked" if response.bytes_sent else ""
        sys.stderr.write(
            f"[{response.target} · {response.engine} · {response.model} · {rule}{sent} · "
            f"{response.tokens_out} tokens · {response.tok_s:.1f} tok/s · "
            f"first token {response.ttft_ms:.0f} ms]\n"
        )
        for hop in response.fallbacks:
            sys.stderr.write(f"[fallback: {hop}]\n")
    return 0
