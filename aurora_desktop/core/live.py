"""Generations in flight, counted token by token, for the live dashboard.

The pipeline opens a `LiveTicket` per hop and its token relay calls `tick()` for every streamed
piece (one lock and three assignments, no allocation), so the dashboard can show decode tok/s
while a reply is still being written, not only once it is recorded.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from aurora_desktop.core.engines.base import TokenCallback


@dataclass(frozen=True, slots=True)
class LiveGeneration:
    """One generation in flight as the dashboard polls it."""

    request_id: str
    target: str
    engine: str
    model: str
    started: float  # wall clock (time.time)
    elapsed_s: float
    ttft_ms: float | None  # None until the first token
    tokens: int
    tok_s: float  # decode rate so far: tokens after the first ÷ time since the first


class LiveTicket:
    """One hop of one request; the engine's token relay calls `tick` for every piece."""

    __slots__ = (
        "_lock", "_meter", "engine", "first", "last", "model", "request_id", "started",
        "started_wall", "target", "tokens",
    )  # fmt: skip

    def __init__(
        self, meter: LiveMeter, request_id: str, *, target: str, engine: str, model: str
    ) -> None:
        self._meter = meter
        self._lock = meter.lock
        self.request_id = request_id
        self.target = target
        self.engine = engine
        self.model = model
        self.started_wall = time.time()
        self.started = time.perf_counter()
        self.first = 0.0
        self.last = 0.0
        self.tokens = 0

    def tick(self) -> None:
        """One more piece streamed (called on the engine thread; keep it tiny)."""
        now = time.perf_counter()
        with self._lock:
            if not self.tokens:
                self.first = now
            self.tokens += 1
            self.last = now

    def describe(self, *, engine: str, model: str) -> None:
        """Name the engine and model once the hop knows them."""
        with self._lock:
            self.engine, self.model = engine, model

    def relay(self, on_token: TokenCallback | None) -> TokenCallback:
        """A token callback that counts each piece, then hands it to `on_token`."""
        tick = self.tick
        if on_token is None:

            def count(_piece: str) -> None:
                tick()

            return count

        def forward(piece: str) -> bool | None:
            tick()
            return on_token(piece)

        return forward

    def end(self) -> None:
        self._meter.end(self)

    def view(self, now: float) -> LiveGeneration:
        """A snapshot; the caller holds the meter's lock."""
        decoding = self.last - self.first
        rate = (self.tokens - 1) / decoding if self.tokens > 1 and decoding > 0 else 0.0
        ttft = (self.first - self.started) * 1000.0 if self.tokens else None
        return LiveGeneration(
            request_id=self.request_id, target=self.target, engine=self.engine,
            model=self.model, started=self.started_wall, elapsed_s=now - self.started,
            ttft_ms=ttft, tokens=self.tokens, tok_s=rate,
        )  # fmt: skip


class LiveMeter:
    """Thread-safe set of the generations in flight (the pipeline writes, the UI polls)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._open: dict[int, LiveTicket] = {}

    def begin(
        self, request_id: str, *, target: str, engine: str = "", model: str = ""
    ) -> LiveTicket:
        ticket = LiveTicket(self, request_id, target=target, engine=engine, model=model)
        with self.lock:
            self._open[id(ticket)] = ticket
        return ticket

    def end(self, ticket: LiveTicket) -> None:
        with self.lock:
            self._open.pop(id(ticket), None)

    def snapshot(self) -> list[LiveGeneration]:
        """The generations in flight, oldest first."""
        now = time.perf_counter()
        with self.lock:
            return sorted((t.view(now) for t in self._open.values()), key=lambda g: g.started)
