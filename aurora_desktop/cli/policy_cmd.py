"""`aurora route`, `aurora mask`, `aurora audit` and `aurora consent`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from typing import Any

from aurora_desktop.app.wiring import build_core
from aurora_desktop.core.contract import Request
from aurora_desktop.core.errors import ConfigError, RequestError
from aurora_desktop.core.policy.consent import MAX_DAYS, check_scope, expiry_after
from aurora_desktop.core.policy.pii import PiiMasker
from aurora_desktop.core.userinput import clean_text, load_json, read_stdin_text

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400}
MAX_AUDIT_ROWS = 1_000_000


def add_policy_parsers(commands: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    route = commands.add_parser("route", help="explain where a request would run (runs nothing)")
    route.add_argument("request", help="the request as JSON, or '-' to read it from stdin")
    route.add_argument("--json", action="store_true")

    mask = commands.add_parser("mask", help="show what masking does to a text")
    mask.add_argument("text", help="the text, or '-' to read it from stdin")
    mask.add_argument("--json", action="store_true")

    audit = commands.add_parser("audit", help="the ledger of decisions and what left the machine")
    audit.add_argument("--json", action="store_true")
    audit.add_argument("--since", help="e.g. 30m, 2h, 7d or 2026-11-24")
    audit.add_argument("--limit", type=_limit, default=50, help=f"1 to {MAX_AUDIT_ROWS:,}")

    consent = commands.add_parser("consent", help="consents you have given")
    sub = consent.add_subparsers(dest="consent_command", required=True, parser_class=parser_class)
    sub.add_parser("list")
    grant = sub.add_parser("grant")
    grant.add_argument("scope", help="e.g. cloud.send:PROVIDER or file.read:/path")
    grant.add_argument(
        "--days", type=float, help=f"expire after this many days (at most {MAX_DAYS:,})"
    )
    revoke = sub.add_parser("revoke")
    revoke.add_argument("scope")


def _limit(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_AUDIT_ROWS:
        raise argparse.ArgumentTypeError(
            f"must be a whole number from 1 to {MAX_AUDIT_ROWS:,}, not {raw[:40]!r}"
        )
    return value


def _read(raw: str, what: str) -> str:
    """The argument, or standard input for '-' (bounded); invalid UTF-8 becomes U+FFFD."""
    if raw == "-":
        return read_stdin_text(what=what, error=RequestError)
    return clean_text(raw)


def run_route(args: argparse.Namespace) -> int:
    data = load_json(_read(args.request, "The request"), what="The request", error=RequestError)
    request = Request.from_dict(data)
    core = build_core()
    try:
        decision = core.pipeline.decide(request)
        if core.policy.last_error:
            sys.stderr.write(f"aurora: {core.policy.last_error}\n")
    finally:
        core.close()
    if args.json:
        sys.stdout.write(json.dumps(decision.to_dict(), ensure_ascii=False) + "\n")
    else:
        rule = f"rule {decision.rule}" if decision.rule else "defaults"
        sys.stdout.write(
            f"{decision.target} ({rule}): {decision.why}\n"
            f"tokens_in={decision.tokens_in} by {decision.tokens_counted_by}\n"
        )
    return 0


def run_mask(args: argparse.Namespace) -> int:
    text = _read(args.text, "The text")
    result = PiiMasker().mask(text)
    if args.json:
        entities = [
            {"kind": e.kind, "start": e.start, "end": e.end, "placeholder": e.placeholder}
            for e in result.entities
        ]
        out = {"text": result.text, "entities": entities, "counts": result.counts()}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(result.text + ("" if result.text.endswith("\n") else "\n"))
        counts = result.counts()
        found = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "nothing"
        sys.stderr.write(f"masked: {found}\n")
    return 0


def parse_since(raw: str | None) -> float | None:
    if not raw:
        return None
    if raw[-1:] in UNITS and raw[:-1].replace(".", "", 1).isdigit():
        return time.time() - float(raw[:-1]) * UNITS[raw[-1]]
    try:
        return datetime.fromisoformat(raw).timestamp()
    except ValueError as exc:
        raise ConfigError(
            f"--since takes 30m, 2h, 7d or a date like 2026-11-24, not {raw!r}."
        ) from exc


def run_audit(args: argparse.Namespace) -> int:
    core = build_core()
    try:
        rows = list(core.decisions.entries(since=parse_since(args.since), limit=args.limit))
    finally:
        core.close()
    if args.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not rows:
        sys.stdout.write("No decisions recorded yet.\n")
    for row in rows:
        when = datetime.fromtimestamp(row["ts"]).strftime("%Y-%m-%d %H:%M:%S")
        masked = sum(row["masked"].values())
        rule = f"rule {row['rule']}" if row["rule"] else "defaults"
        sys.stdout.write(
            f"{when}  {row['id']}  {row['task']:<15} risk={row['risk']:<6} {row['target']:<5} "
            f"{rule:<8} sent={row['bytes_sent']:>7} B  masked={masked:<3} {row['outcome']}\n"
        )
    return 0


def run_consent(args: argparse.Namespace) -> int:
    core = build_core()
    store = core.consents
    try:
        if args.consent_command == "grant":
            scope = check_scope(args.scope)
            expires = None if args.days is None else expiry_after(args.days)
            core.audit.check_writable()  # a change the ledger cannot record is not made
            store.grant(scope, expires)
            core.audit.append("consent.grant", scope=scope, expires_at=expires)
            sys.stdout.write(f"Granted {scope}.\n")
        elif args.consent_command == "revoke":
            core.audit.check_writable()
            if not store.revoke(args.scope):
                raise ConfigError(f"No consent for {args.scope} was given; nothing to revoke.")
            core.audit.append("consent.revoke", scope=args.scope)
            sys.stdout.write(f"Revoked {args.scope}.\n")
        else:
            grants = store.grants()
            if store.skipped == 1:
                sys.stderr.write(
                    f"aurora: warning: 1 entry in {store.path} cannot be used and is ignored, "
                    "so it grants nothing.\n"
                )
            elif store.skipped:
                sys.stderr.write(
                    f"aurora: warning: {store.skipped} entries in {store.path} cannot be used "
                    "and are ignored, so they grant nothing.\n"
                )
            for grant in grants:
                until = (
                    datetime.fromtimestamp(grant.expires_at).strftime("until %Y-%m-%d %H:%M")
                    if grant.expires_at
                    else "until revoked"
                )
                sys.stdout.write(f"{grant.scope}  {until}\n")
    finally:
        core.close()
    return 0
