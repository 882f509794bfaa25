"""The ledger of what left the machine, filtered and written as CSV (pure functions, no Qt)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from aurora_desktop.core.atomic import atomic_write_text

COLUMNS = (
    "time", "id", "task", "risk", "target", "model", "rule", "why", "outcome", "bytes_sent",
    "masked", "consent", "fallbacks", "tokens_in", "tokens_out", "latency_ms", "app",
)  # fmt: skip
OWN = "\x00own"  # the app filter's value for Aurora's own windows (no API app)
OUTCOME_KINDS = ("ok", "refused", "failed", "cancelled")


@dataclass(frozen=True, slots=True)
class LedgerFilter:
    text: str = ""  # case-insensitive, anywhere in the row's words
    target: str = ""  # "" (any), "local" or "cloud"
    outcome: str = ""  # "" (any) or one of OUTCOME_KINDS
    app: str = ""  # "" (any), OWN (Aurora's own windows) or the name of an API app


def outcome_kind(outcome: str) -> str:
    """ "refused: …" -> "refused"; "ok" -> "ok"."""
    return outcome.split(":", 1)[0].strip()


def masked_text(masked: Mapping[str, int]) -> str:
    return "; ".join(f"{kind}={count}" for kind, count in sorted(masked.items()))


def matches(row: Mapping[str, Any], wanted: LedgerFilter) -> bool:
    if wanted.target and row.get("target") != wanted.target:
        return False
    if wanted.outcome and outcome_kind(str(row.get("outcome", ""))) != wanted.outcome:
        return False
    if wanted.app and (row.get("app") or OWN) != wanted.app:
        return False
    needle = wanted.text.strip().casefold()
    if not needle:
        return True
    haystack = " ".join(
        str(row.get(name) or "")
        for name in ("id", "task", "risk", "target", "model", "why", "outcome", "consent", "app")
    )
    return needle in (haystack + " " + masked_text(row.get("masked") or {})).casefold()


def filter_rows(rows: Iterable[Mapping[str, Any]], wanted: LedgerFilter) -> list[Mapping[str, Any]]:
    return [row for row in rows if matches(row, wanted)]


def csv_row(row: Mapping[str, Any]) -> list[str]:
    def text(value: Any) -> str:
        return "" if value is None else str(value)

    stamp = datetime.fromtimestamp(float(row["ts"])).astimezone().isoformat(timespec="seconds")
    return [
        stamp, text(row.get("id")), text(row.get("task")), text(row.get("risk")),
        text(row.get("target")), text(row.get("model")), text(row.get("rule")),
        text(row.get("why")), text(row.get("outcome")), text(row.get("bytes_sent", 0)),
        masked_text(row.get("masked") or {}), text(row.get("consent")),
        "; ".join(row.get("fallbacks") or ()), text(row.get("tokens_in")),
        text(row.get("tokens_out")), text(row.get("latency_ms")), text(row.get("app")),
    ]  # fmt: skip


def rows_to_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """A header and one line per row; never a prompt or an answer (the ledger holds none)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(csv_row(row))
    return out.getvalue()


def write_csv(path: Path, rows: Iterable[Mapping[str, Any]]) -> int:
    """Write `rows` to `path` atomically (UTF-8 with BOM, so spreadsheets read Hangul)."""
    listed = list(rows)
    atomic_write_text(path, "\ufeff" + rows_to_csv(listed))
    return len(listed)
