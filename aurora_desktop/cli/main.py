"""`aurora` with no arguments starts the tray app; `aurora ask` answers on the terminal."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from aurora_desktop import __version__
from aurora_desktop.core import notices
from aurora_desktop.core.errors import AuroraError

# command: (module in aurora_desktop.cli, function); a command's module is imported when the
# command runs, so `aurora` alone (the tray app) starts without them and what they import
COMMANDS = {
    "models": ("models_cmd", "run_models"),
    "bench": ("bench_cmd", "run_bench"),
    "rag": ("rag_cmd", "run_rag"),
    "league": ("league_cmd", "run_league_cmd"),
    "eval": ("eval_cmd", "run_eval"),
    "stats": ("stats_cmd", "run_stats"),
    "providers": ("providers_cmd", "run_providers"),
    "route": ("policy_cmd", "run_route"),
    "mask": ("policy_cmd", "run_mask"),
    "audit": ("policy_cmd", "run_audit"),
    "consent": ("policy_cmd", "run_consent"),
    "serve": ("serve_cmd", "run_serve"),
    "api-keys": ("serve_cmd", "run_api_keys"),
}
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool its reader left


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake in one sentence instead of a usage dump."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"aurora: {message}; run '{self.prog} --help' for usage.\n")
        raise SystemExit(EXIT_USAGE)

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        # Python 3.11 drops a lone "--" given as `--flag=--` and hands the flag an empty list
        # without calling its type check; a flag that takes one value must get one.
        if action.option_strings and action.nargs is None and arg_strings == ["--"]:
            self.error(f"argument {'/'.join(action.option_strings)}: expected a value, not '--'")
        return super()._get_values(action, arg_strings)


def build_parser() -> argparse.ArgumentParser:
    from aurora_desktop.cli.ask_cmd import add_ask_parser
    from aurora_desktop.cli.bench_cmd import add_bench_parser
    from aurora_desktop.cli.eval_cmd import add_eval_parser
    from aurora_desktop.cli.league_cmd import add_league_parser
    from aurora_desktop.cli.models_cmd import add_models_parser
    from aurora_desktop.cli.policy_cmd import add_policy_parsers
    from aurora_desktop.cli.providers_cmd import add_providers_parser
    from aurora_desktop.cli.rag_cmd import add_rag_parser
    from aurora_desktop.cli.serve_cmd import add_serve_parsers
    from aurora_desktop.cli.stats_cmd import add_stats_parser

    parser = _Parser(
        prog="aurora",
        description="Aurora, a local-first LLM assistant. With no command, starts the tray app.",
    )
    parser.add_argument("--version", action="version", version=f"aurora {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    add_ask_parser(commands)
    commands.add_parser("setup", help="install and verify the default chat and embedding models")
    add_models_parser(commands, _Parser)
    add_policy_parsers(commands, _Parser)
    add_providers_parser(commands, _Parser)
    add_stats_parser(commands)
    add_bench_parser(commands)
    add_league_parser(commands)
    add_eval_parser(commands)
    add_rag_parser(commands, _Parser)
    add_serve_parsers(commands, _Parser)
    commands.add_parser("app", help="start the tray app (the same as no command)")
    commands.add_parser("quit", help="ask the running tray app to quit and wait until it has")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_output()
    try:
        try:
            args = _app_only(argv) or build_parser().parse_args(argv)
            with notices.listening(_warn):
                return _run(args)
        finally:
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
    except BrokenPipeError:  # `aurora … | head`: the reader left; stop quietly, as Unix tools do
        _discard_output()
        return EXIT_BROKEN_PIPE


def _app_only(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """`aurora` and `aurora app` start the tray app without building the parser (the same
    outcome, without importing every command's modules first)."""
    given = sys.argv[1:] if argv is None else list(argv)
    return argparse.Namespace(command=None) if given in ([], ["app"]) else None


def _warn(sentence: str) -> None:
    sys.stderr.write(f"aurora: warning: {sentence}\n")


def _tolerant_output() -> None:
    """Lone surrogates (a file name in no encoding) are printed escaped, never crash a print."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")


def _discard_output() -> None:
    with contextlib.suppress(
        OSError, ValueError
    ):  # no real stdout (an embedding host, a test capture)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command in (None, "app"):
            from aurora_desktop.app.main import run_app

            return run_app()
        if args.command == "quit":
            from aurora_desktop.app.main import quit_app

            print(quit_app())
            return 0
        if args.command == "setup":
            return _setup()
        return _command(args.command)(args)
    except KeyboardInterrupt:
        sys.stderr.write("\naurora: stopped.\n")
        return EXIT_INTERRUPTED
    except AuroraError as exc:
        sys.stderr.write(f"aurora: {_one_line(str(exc))}\n")
        return EXIT_ERROR
    except BrokenPipeError:
        raise
    except OSError as exc:  # the system refused a path the user named (too long, a loop, ...)
        name = f"{exc.filename}" if exc.filename is not None else "a file"
        reason = exc.strerror or str(exc)
        sys.stderr.write(f"aurora: {_one_line(f'{name} cannot be used ({reason}).')}\n")
        return EXIT_ERROR
    except UnicodeEncodeError:  # a name with bytes no file name in this system can hold
        sys.stderr.write(
            "aurora: a file name or value given is not valid text for this system; "
            "rename the file or retype the value.\n"
        )
        return EXIT_ERROR


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    """The function that runs command `name`, imported now with only that command's modules."""
    module, function = COMMANDS.get(name, ("ask_cmd", "run_ask"))
    run: Callable[[argparse.Namespace], int] = getattr(
        importlib.import_module(f"aurora_desktop.cli.{module}"), function
    )
    return run


def _one_line(text: str) -> str:
    """`text` with line breaks and other control characters shown as escapes: an echoed
    value can never split the one-sentence error over several lines."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _setup() -> int:
    from aurora_desktop.app.wiring import build_core
    from aurora_desktop.cli.progress import TerminalProgress

    core = build_core()
    progress = TerminalProgress()
    try:
        engine = core.local.prepare(progress)
        core.embedder.ensure(progress)  # the intent classifier's first stage and RAG
        core.multilingual.ensure(progress)  # the same, for Korean and other non-Latin text
    finally:
        progress.close()
        core.close()
    sys.stderr.write(f"{engine.model_name} is installed and verified in {core.home.models}.\n")
    return 0
