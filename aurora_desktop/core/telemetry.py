"""Per-request figures and engine memory: ring buffers for the live dashboard, SQLite for
history. Never the prompt or the answer."""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from aurora_desktop.core.contract import Response
from aurora_desktop.core.hops import HopResult
from aurora_desktop.core.live import LiveMeter
from aurora_desktop.core.sqlite_file import Report, SqliteFile
from aurora_desktop.core.text import phrase

RING_SIZE = 512
SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    ts REAL NOT NULL, request_id TEXT NOT NULL, outcome TEXT NOT NULL, target TEXT NOT NULL,
    engine TEXT NOT NULL, model TEXT NOT NULL, tokens_in INTEGER NOT NULL,
    tokens_out INTEGER NOT NULL, ttft_ms REAL NOT NULL, latency_ms REAL NOT NULL,
    decode_tok_s REAL NOT NULL, prompt_tok_s REAL NOT NULL, finish_reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_ts ON requests(ts);
CREATE TABLE IF NOT EXISTS verifications (
    ts REAL NOT NULL, request_id TEXT NOT NULL, task TEXT NOT NULL, attempt INTEGER NOT NULL,
    target TEXT NOT NULL, model TEXT NOT NULL, ok INTEGER NOT NULL, failed TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestSample:
    ts: float
    request_id: str
    outcome: str
    target: str
    engine: str
    model: str
    tokens_in: int
    tokens_out: int
    ttft_ms: float
    latency_ms: float
    decode_tok_s: float
    prompt_tok_s: float
    finish_reason: str

    @classmethod
    def of(cls, response: Response | HopResult, outcome: str = "ok") -> RequestSample:
        prompt_s = response.ttft_ms / 1000.0
        return cls(
            ts=time.time(), request_id=response.request_id, outcome=outcome,
            target=response.target, engine=response.engine, model=response.model,
            tokens_in=response.tokens_in, tokens_out=response.tokens_out,
            ttft_ms=round(response.ttft_ms, 2), latency_ms=round(response.latency_ms, 2),
            decode_tok_s=round(response.tok_s, 2),
            prompt_tok_s=round(response.tokens_in / prompt_s, 1) if prompt_s > 0 else 0.0,
            finish_reason=response.finish_reason,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class MemorySample:
    ts: float
    model: str
    engine: str
    bytes: int


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100.0 * len(ordered)))
    return float(ordered[min(rank, len(ordered)) - 1])


def summarize(samples: Iterable[RequestSample]) -> dict[str, Any]:
    rows = list(samples)
    out: dict[str, Any] = {"requests": len(rows)}
    for name in ("ttft_ms", "latency_ms", "decode_tok_s", "prompt_tok_s"):
        values = [float(getattr(r, name)) for r in rows if getattr(r, name) > 0]
        out[name] = {f"p{q}": round(percentile(values, q), 2) for q in (50, 90, 99)}
    out["by_target"] = {
        t: sum(r.target == t for r in rows) for t in sorted({r.target for r in rows})
    }
    out["tokens_out"] = sum(r.tokens_out for r in rows)
    return out


@dataclass
class Telemetry:
    """Where every finished request and engine-memory reading goes."""

    path: Path
    requests: deque[RequestSample] = field(default_factory=lambda: deque(maxlen=RING_SIZE))
    memory: deque[MemorySample] = field(default_factory=lambda: deque(maxlen=RING_SIZE))
    listeners: list[Callable[[RequestSample], None]] = field(default_factory=list)
    live: LiveMeter = field(default_factory=LiveMeter)  # generations in flight, per token
    report: Report | None = None  # told once when a damaged file was moved aside
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _db: SqliteFile = field(init=False)

    def __post_init__(self) -> None:
        self._db = SqliteFile(
            self.path, SCHEMA, what=phrase("the usage history"), report=self.report
        )

    def record(self, response: Response | HopResult, *, outcome: str = "ok") -> RequestSample:
        sample = RequestSample.of(response, outcome)
        row = asdict(sample)
        with self._lock:
            self.requests.append(sample)
            columns = ", ".join(row)
            marks = ", ".join(f":{k}" for k in row)
            self._db.run(
                lambda db: db.execute(f"INSERT INTO requests ({columns}) VALUES ({marks})", row)
            )
            listeners = list(self.listeners)
        for listener in listeners:
            listener(sample)
        return sample

    def record_verification(
        self,
        *,
        request_id: str,
        task: str,
        attempt: int,
        target: str,
        model: str,
        ok: bool,
        failed: Sequence[str],
    ) -> None:
        """One verifier verdict on one try (the names of the failed checks, never the text)."""
        row = (time.time(), request_id, task, attempt, target, model, int(ok), ",".join(failed))
        with self._lock:
            self._db.run(
                lambda db: db.execute(
                    "INSERT INTO verifications VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row
                )
            )

    def verification_counts(self, *, since: float | None = None) -> dict[str, int]:
        """Tries checked, passed, and retried requests since `since` (for `aurora stats`)."""
        with self._lock:
            tries, passed, retried = self._db.run(
                lambda db: db.execute(
                    "SELECT COUNT(*), COALESCE(SUM(ok), 0), COUNT(DISTINCT CASE WHEN attempt > 1 "
                    "THEN request_id END) FROM verifications WHERE ts >= ?",
                    (since or 0.0,),
                ).fetchone()
            )
        return {"checked": int(tries), "passed": int(passed), "retried_requests": int(retried)}

    def record_memory(self, model: str, engine: str, size: int) -> None:
        with self._lock:
            self.memory.append(MemorySample(time.time(), model, engine, size))

    def recent(self) -> list[RequestSample]:
        with self._lock:
            return list(self.requests)

    def history(self, *, since: float | None = None, limit: int = 10_000) -> list[RequestSample]:
        query = "SELECT * FROM requests WHERE ts >= ? ORDER BY ts DESC LIMIT ?"

        def fetch(db: sqlite3.Connection) -> list[sqlite3.Row]:
            db.row_factory = sqlite3.Row
            return db.execute(query, (since or 0.0, limit)).fetchall()

        return [RequestSample(**dict(row)) for row in self._db.run(fetch)]
