"""`aurora serve`: the local API without the tray app; `aurora api-keys`: its keys."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from datetime import datetime
from typing import Any

from aurora_desktop.app.wiring import build_core
from aurora_desktop.cli.consent_prompt import terminal_ask
from aurora_desktop.cli.numbers import whole
from aurora_desktop.core.api_keys import SCOPES
from aurora_desktop.core.contract import RISKS
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.settings import API_PORT_RANGE, api_bind_warning

DEFAULT_SCOPES = ("chat", "embeddings", "models")
WATCH_S = 0.5  # how often the waiting terminal looks whether the server still runs


def add_serve_parsers(commands: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser(
        "serve", help="serve the local OpenAI- and Ollama-compatible API until Ctrl+C"
    )
    serve.add_argument(
        "--port", type=whole(*API_PORT_RANGE), help="the port (default: the API port setting)"
    )

    keys = commands.add_parser("api-keys", help="the keys apps use to call the local API")
    sub = keys.add_subparsers(dest="keys_command", required=True, parser_class=parser_class)
    sub.add_parser("list")
    create = sub.add_parser("create", help="make a key for an app (shown once)")
    create.add_argument("name", help="the app that will use it, e.g. 'Obsidian'")
    create.add_argument(
        "--scope",
        action="append",
        choices=SCOPES,
        help=f"what it may do; repeat for more (default: {', '.join(DEFAULT_SCOPES)})",
    )
    create.add_argument(
        "--risk",
        choices=RISKS,
        default="low",
        help="the risk of its requests that name none (high: they never leave this computer)",
    )
    revoke = sub.add_parser("revoke", help="stop a key from working")
    revoke.add_argument("key_id")


def run_serve(args: argparse.Namespace) -> int:
    from aurora_desktop.server.options import ApiOptions
    from aurora_desktop.server.runner import ApiServer

    core = build_core(ask=terminal_ask)
    try:
        settings = core.settings.current()
        keys = core.api_keys
        if settings.api_require_key and not any(not k.revoked for k in keys.list()):
            raise ConfigError(
                "No API key exists yet, so the API would refuse every request; make one with "
                "'aurora api-keys create NAME' and start it again."
            )
        server = ApiServer(core, keys, ApiOptions.from_settings(settings, port=args.port))
        warning = api_bind_warning(settings)
        if warning:
            sys.stderr.write(f"aurora: warning: {warning}\n")
        if not settings.api_require_key:
            sys.stderr.write(
                "aurora: warning: API keys are turned off, so any program on this computer "
                "can use the API as 'local app'.\n"
            )
        # Ctrl+C stops it even when started from a script that ignores SIGINT for background
        # commands (a shell does, and the ignoring is inherited): Python then keeps SIG_IGN
        signal.signal(signal.SIGINT, signal.default_int_handler)
        url = server.start()
        sys.stderr.write(f"Aurora's API is listening on {url} (Ctrl+C stops it).\n")
        sys.stderr.flush()
        try:
            while server.state.kind == "listening":
                time.sleep(WATCH_S)
        finally:
            stopped = server.stop()
        state = server.state
        if state.kind == "failed":
            sys.stderr.write(f"aurora: the API {state}.\n")
            return 1
        return 0 if stopped else 1
    finally:
        core.close()


def run_api_keys(args: argparse.Namespace) -> int:
    core = build_core()
    try:
        keys = core.api_keys
        if args.keys_command == "create":
            key, token = keys.create(args.name, args.scope or DEFAULT_SCOPES, args.risk)
            sys.stderr.write(
                f"Key {key.key_id} for {key.name} ({', '.join(sorted(key.scopes))}, risk "
                f"{key.risk}); "
                "it is shown only now, so copy it into the app:\n"
            )
            sys.stdout.write(token + "\n")
        elif args.keys_command == "revoke":
            key = keys.revoke(args.key_id)
            sys.stdout.write(f"Key {key.key_id} ({key.name}) is revoked.\n")
        else:
            listed = keys.list()
            if not listed:
                sys.stdout.write("No API keys yet; make one with 'aurora api-keys create NAME'.\n")
            for key in listed:
                made = datetime.fromtimestamp(key.created_at).strftime("%Y-%m-%d %H:%M")
                status = "revoked" if key.revoked else "active"
                scopes = ",".join(s for s in SCOPES if s in key.scopes)
                sys.stdout.write(
                    f"{key.key_id}  {status:<7}  {made}  {scopes:<28}  {key.risk:<6}  {key.name}\n"
                )
        return 0
    finally:
        core.close()
