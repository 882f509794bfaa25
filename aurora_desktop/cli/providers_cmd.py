"""`aurora providers …`: add, list, remove and test the cloud providers Aurora may use.

An API key is never taken as a command-line argument (it would land in the shell history):
it is read from standard input with `--key-stdin`, or asked for without echo on a terminal.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from aurora_desktop.app.wiring import build_core
from aurora_desktop.core.errors import ConfigError, KeyringError
from aurora_desktop.core.providers.probe import TEST_PROMPT, probe_provider
from aurora_desktop.core.providers.registry import ProviderConfig, ProviderRegistry


def add_providers_parser(commands: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    providers = commands.add_parser("providers", help="cloud providers (keys live in the keyring)")
    sub = providers.add_subparsers(
        dest="providers_command", required=True, parser_class=parser_class
    )

    add = sub.add_parser("add", help="add or replace an OpenAI-compatible provider")
    add.add_argument("name", help="a short name: lower-case letters, digits, '.', '_' or '-'")
    add.add_argument("--base-url", required=True, help="e.g. https://api.openai.com/v1")
    add.add_argument("--model", required=True, help="the model name to ask for")
    add.add_argument("--timeout", type=float, default=60.0, metavar="S", help="seconds")
    add.add_argument("--max-retries", type=int, default=2, metavar="N")
    key = add.add_mutually_exclusive_group()
    key.add_argument("--key-stdin", action="store_true", help="read the API key from stdin")
    key.add_argument("--no-key", action="store_true", help="the server needs no API key")

    listing = sub.add_parser("list", help="configured providers, with their keys masked")
    listing.add_argument("--json", action="store_true")

    remove = sub.add_parser("remove", help="forget a provider and delete its key")
    remove.add_argument("name")

    test = sub.add_parser("test", help=f"send {TEST_PROMPT!r} and show the reply and latency")
    test.add_argument("name")


def run_providers(args: argparse.Namespace) -> int:
    core = build_core()
    handler = {"add": _add, "list": _list, "remove": _remove, "test": _test}[args.providers_command]
    try:
        return handler(core.providers, args)
    finally:
        core.close()


def _add(registry: ProviderRegistry, args: argparse.Namespace) -> int:
    config = ProviderConfig(
        name=args.name, base_url=args.base_url, model=args.model,
        timeout_s=args.timeout, max_retries=args.max_retries,
    )  # fmt: skip
    api_key = _read_key(args)
    existed = registry.add(config, api_key)
    key_note = (
        f"its API key ({registry.masked_key(api_key)}) is in the OS keyring"
        if api_key
        else "it needs no API key"
    )
    verb = "Updated" if existed else "Added"
    sys.stdout.write(f"{verb} {config.name}: {config.model} at {config.base_url}; {key_note}.\n")
    return 0


def _read_key(args: argparse.Namespace) -> str | None:
    if args.no_key:
        return None
    if args.key_stdin:
        key = sys.stdin.readline().strip()
        if not key:
            raise ConfigError(
                "--key-stdin was given but standard input held no key; pipe the key in, "
                "or use --no-key for a server that needs none."
            )
        return key
    if not sys.stdin.isatty():
        raise ConfigError(
            "No API key was given; use --key-stdin to read it from standard input, or "
            "--no-key for a server that needs none."
        )
    typed = getpass.getpass(f"API key for {args.name} (empty if it needs none): ", sys.stderr)
    return typed.strip() or None


def _list(registry: ProviderRegistry, args: argparse.Namespace) -> int:
    rows = []
    configs = registry.configured()
    for config in configs:
        try:
            key = registry.key_for(config)
            shown = registry.masked_key(key) if key else None
        except KeyringError:
            shown = "keyring unreadable"
        rows.append({
            "name": config.name, "base_url": config.base_url, "model": config.model,
            "timeout_s": config.timeout_s, "max_retries": config.max_retries,
            "key": shown,
        })  # fmt: skip
    if args.json:
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return 0
    if not rows:
        sys.stdout.write("No cloud providers; add one with 'aurora providers add'.\n")
    for row in rows:
        sys.stdout.write(
            f"{row['name']:<16} {row['model']:<24} {row['base_url']:<40} {row['key'] or 'no key'}\n"
        )
    return 0


def _remove(registry: ProviderRegistry, args: argparse.Namespace) -> int:
    registry.remove(args.name)
    sys.stdout.write(f"Removed {args.name} and its API key.\n")
    return 0


def _test(registry: ProviderRegistry, args: argparse.Namespace) -> int:
    result = probe_provider(registry, args.name)
    sys.stdout.write(
        f"{result.model} answered in {result.total_ms:.0f} ms (first token "
        f"{result.ttft_ms:.0f} ms, {result.bytes_sent:,} B sent): {result.reply or '(empty)'}\n"
    )
    return 0
