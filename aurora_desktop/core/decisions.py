"""The ledger of routing decisions (SQLite): what ran where, and what left the machine.

Never the prompt or the answer: a sha256 of the prompt at most, the counts of masked
entities, and the exact number of bytes sent off the machine.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from aurora_desktop.core.sqlite_file import Report, SqliteFile
from aurora_desktop.core.text import Message, phrase

SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    id TEXT PRIMARY KEY,
    ts REAL NOT NULL,
    task TEXT NOT NULL,
    risk TEXT NOT NULL,
    target TEXT NOT NULL,
    model TEXT,
    rule INTEGER,
    why TEXT NOT NULL,
    masked TEXT NOT NULL,
    bytes_sent INTEGER NOT NULL,
    consent TEXT,
    outcome TEXT NOT NULL,
    fallbacks TEXT NOT NULL,
    prompt_sha256 TEXT NOT NULL,
    tokens_in INTEGER,
    tokens_out INTEGER,
    latency_ms REAL,
    app TEXT,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS decisions_ts ON decisions(ts);
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionRecord:
    id: str
    task: str
    risk: str
    target: str
    model: str | None
    rule: int | None
    why: str
    outcome: str
    prompt_sha256: str
    masked: Mapping[str, int] = field(default_factory=dict)
    bytes_sent: int = 0
    consent: str | None = None
    fallbacks: tuple[str, ...] = ()
    tokens_in: int | None = None
    tokens_out: int | None = None
    latency_ms: float | None = None
    app: str | None = None  # the API client that sent the request; None: Aurora's own windows
    reason: str = ""  # why it was refused or failed, as a message value (Message.to_json)
    ts: float = field(default_factory=time.time)


class DecisionLedger:
    def __init__(self, path: Path, report: Report | None = None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._db = SqliteFile(
            path,
            SCHEMA,
            what=phrase("the decision ledger"),
            pragmas=("PRAGMA synchronous=FULL",),
            report=report,
        )
        self._db.run(_add_columns)

    @property
    def path(self) -> Path:
        return self._path

    def record(self, entry: DecisionRecord) -> None:
        row = asdict(entry)
        row["masked"] = json.dumps(dict(entry.masked), sort_keys=True)
        row["fallbacks"] = json.dumps(list(entry.fallbacks))
        columns = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        with self._lock:
            self._db.run(
                lambda db: db.execute(
                    f"INSERT OR REPLACE INTO decisions ({columns}) VALUES ({marks})", row
                )
            )

    def entries(
        self, *, since: float | None = None, limit: int = 1000, app: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """The newest decisions first; with `app`, only the requests that app sent."""
        where = "ts >= ?" if app is None else "ts >= ? AND app = ?"
        query = f"SELECT * FROM decisions WHERE {where} ORDER BY ts DESC LIMIT ?"
        args = (since or 0.0, limit) if app is None else (since or 0.0, app, limit)

        def fetch(db: sqlite3.Connection) -> list[sqlite3.Row]:
            db.row_factory = sqlite3.Row
            return db.execute(query, args).fetchall()

        for row in self._db.run(fetch):
            item = dict(row)
            item["masked"] = json.loads(item["masked"])
            item["fallbacks"] = json.loads(item["fallbacks"])
            # the reason in the outcome ("refused: <reason>") as the message it was written
            # as, so a window can show it in the user's language; English if not recorded
            english = str(item["outcome"]).partition(": ")[2]
            item["reason"] = Message.from_json(item.get("reason") or "", english)
            yield item

    def bytes_sent_total(self) -> int:
        (total,) = self._db.run(
            lambda db: db.execute("SELECT COALESCE(SUM(bytes_sent), 0) FROM decisions").fetchone()
        )
        return int(total)


def _add_columns(db: sqlite3.Connection) -> None:
    """A ledger written by an older Aurora gets the columns added since (empty): `app`
    (API clients) and `reason` (the reason of a refusal or failure as a message value)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(decisions)")}
    for name in ("app", "reason"):
        if name in columns:
            continue
        try:
            db.execute(f"ALTER TABLE decisions ADD COLUMN {name} TEXT")
        except sqlite3.OperationalError as exc:  # another process added it first
            if "duplicate column" not in str(exc):
                raise
