"""`aurora models …`: list, fetch, verify, switch, remove, import, and trusted keys."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from aurora_desktop.app.wiring import Core, build_core
from aurora_desktop.cli.progress import TerminalProgress
from aurora_desktop.core.errors import AuroraError, ModelError
from aurora_desktop.core.models.importer import import_model
from aurora_desktop.core.models.progress import human_bytes


def add_models_parser(commands: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    models = commands.add_parser("models", help="install, verify and switch local models")
    sub = models.add_subparsers(dest="models_command", required=True, parser_class=parser_class)

    listing = sub.add_parser("list", help="installed versions and catalog models")
    listing.add_argument("--json", action="store_true")

    fetch = sub.add_parser("fetch", help="install a catalog model (verified before it is placed)")
    fetch.add_argument("name")
    fetch.add_argument("--version")

    verify = sub.add_parser("verify", help="re-hash installed files and check signatures")
    verify.add_argument("name", nargs="?")
    verify.add_argument("--version")

    switch = sub.add_parser("switch", help="activate another installed version (or roll back)")
    switch.add_argument("name")
    switch.add_argument("--version", required=True)

    remove = sub.add_parser("remove", help="delete an installed version that is not active")
    remove.add_argument("name")
    remove.add_argument("--version", required=True)

    imp = sub.add_parser("import", help="add a model file you trust, signed by your local key")
    imp.add_argument("file", type=Path)
    imp.add_argument("--name", required=True)
    imp.add_argument("--version", required=True)
    imp.add_argument("--kind", default="llm", choices=["llm", "embedding", "tts", "asr"])
    imp.add_argument("--format")
    imp.add_argument("--yes", action="store_true", help="confirm without asking")

    trust = sub.add_parser("trust", help="keys whose signatures Aurora accepts")
    trust_sub = trust.add_subparsers(dest="trust_command", required=True, parser_class=parser_class)
    trust_sub.add_parser("list")
    add = trust_sub.add_parser("add")
    add.add_argument("file", type=Path)
    rm = trust_sub.add_parser("remove")
    rm.add_argument("key_id")


def run_models(args: argparse.Namespace) -> int:
    core = build_core()
    handler = {
        "list": _list,
        "fetch": _fetch,
        "verify": _verify,
        "switch": _switch,
        "remove": _remove,
        "import": _import,
        "trust": _trust,
    }[args.models_command]
    try:
        return handler(core, args)
    finally:
        core.close()


def _list(core: Core, args: argparse.Namespace) -> int:
    rows: list[dict[str, Any]] = []
    for iv in core.store.all_versions():
        rows.append(
            {
                "name": iv.entry.name,
                "version": iv.entry.version,
                "active": iv.active,
                "kind": iv.entry.kind,
                "format": iv.entry.format,
                "size": iv.entry.size,
                "origin": iv.origin,
                "installed": True,
                "verified_at": iv.verified_at,
                "key_id": iv.entry.record["key_id"],
            }
        )
    try:
        catalog = core.catalog()
        installed = {(r["name"], r["version"]) for r in rows}
        for entry in catalog.entries:
            if (entry.name, entry.version) not in installed:
                rows.append(
                    {
                        "name": entry.name,
                        "version": entry.version,
                        "active": False,
                        "kind": entry.kind,
                        "format": entry.format,
                        "size": entry.size,
                        "origin": "catalog",
                        "installed": False,
                        "verified_at": None,
                        "key_id": entry.record["key_id"],
                    }
                )
    except AuroraError as exc:
        sys.stderr.write(f"aurora: the catalog is unavailable ({exc})\n")
    if args.json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    if not rows:
        sys.stdout.write("No models installed and none in the catalog.\n")
    for row in rows:
        state = "active" if row["active"] else ("installed" if row["installed"] else "available")
        when = row["verified_at"]
        checked = f"verified {datetime.fromtimestamp(when):%Y-%m-%d %H:%M}" if when else "-"
        sys.stdout.write(
            f"{row['name']:<28} {row['version']:<10} {state:<10} {human_bytes(row['size']):>9}"
            f"  {checked}\n"
        )
    return 0


def _fetch(core: Core, args: argparse.Namespace) -> int:
    entry = core.catalog().get(args.name, args.version)
    progress = TerminalProgress()
    try:
        result = core.store.install(entry, progress=progress)
    finally:
        progress.close()
    sys.stderr.write(f"{entry.display_name} {entry.version}: {result.note}\n")
    return 0


def _verify(core: Core, args: argparse.Namespace) -> int:
    names = [args.name] if args.name else sorted(core.store.read_manifest()["models"])
    if not names:
        raise ModelError("No models are installed; run 'aurora models fetch NAME' first.")
    progress = TerminalProgress(quiet=True)
    try:
        for name in names:
            versions: list[str | None] = (
                [args.version] if args.version else [iv.version for iv in core.store.versions(name)]
            )
            for version in versions or [None]:
                iv = core.store.verify(name, version, progress)
                sys.stdout.write(f"{iv.entry.label}: OK (signature and sha256)\n")
    finally:
        progress.close()
    return 0


def _switch(core: Core, args: argparse.Namespace) -> int:
    previous = core.store.active(args.name)
    iv = core.store.switch(args.name, args.version)
    was = previous.entry.version if previous else "none"
    sys.stdout.write(f"{args.name}: active version is now {iv.entry.version} (was {was}).\n")
    return 0


def _remove(core: Core, args: argparse.Namespace) -> int:
    iv = core.store.remove(args.name, args.version)
    sys.stdout.write(f"Removed {iv.entry.label}.\n")
    return 0


def _import(core: Core, args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise ModelError(f"{args.file} is not a file that can be imported.")
    question = (
        f"{args.file.name} is not signed by a publisher Aurora knows. Importing it means you "
        "vouch for it: Aurora will sign it with this computer's key and run it. Import? [y/N] "
    )
    if not args.yes:
        if not sys.stdin.isatty():
            raise ModelError("Importing needs your confirmation; run again with --yes to confirm.")
        if input(question).strip().lower() not in ("y", "yes"):
            raise ModelError("Import cancelled; nothing was changed.")
    progress = TerminalProgress()
    try:
        result = import_model(
            core.store,
            core.local_signer(),
            args.file,
            name=args.name,
            version=args.version,
            kind=args.kind,
            fmt=args.format,
            progress=progress,
        )
    finally:
        progress.close()
    key_id = result.installed.entry.record["key_id"]
    core.audit.append(
        "model.import", model=args.name, version=args.version, file=args.file.name, key_id=key_id
    )
    sys.stderr.write(f"Imported {result.installed.entry.label}: {result.note}\n")
    return 0


def _trust(core: Core, args: argparse.Namespace) -> int:
    if args.trust_command == "add":
        added = core.trust.add(args.file)
        core.audit.append("trust.add", key_id=added.key_id, owner=added.key.owner)
        sys.stdout.write(f"Trusted key {added.key_id} ({added.key.owner or 'no owner given'}).\n")
    elif args.trust_command == "remove":
        removed = core.trust.remove(args.key_id)
        core.audit.append("trust.remove", key_id=removed.key_id, origin=removed.origin)
        sys.stdout.write(f"No longer trusting key {removed.key_id} ({removed.origin}).\n")
    else:
        for key_id, trusted in sorted(core.trust.keys().items()):
            sys.stdout.write(f"{key_id}  {trusted.origin:<9}  {trusted.key.owner}\n")
        for path, reason in sorted(core.trust.refused().items()):
            sys.stdout.write(f"refused  {path.name}: {reason}\n")
        if not core.trust.sealed_in_keyring:
            sys.stderr.write(
                "aurora: warning: no OS keyring is usable, so the record of trusted keys and "
                "active versions is sealed with a key kept in the data folder; hand edits are "
                "caught, but anyone who can read that folder could forge them.\n"
            )
    return 0
