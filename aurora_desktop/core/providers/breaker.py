"""A circuit breaker: after repeated failures a provider rests, then gets one trial request.

Pure state-machine logic; the clock is passed in so tests can drive time by hand.

    closed ──(failure_threshold failures in a row)──▶ open
    open ──(cooldown_s passed)──▶ half_open: exactly one trial request is let through
    half_open ──success──▶ closed        half_open ──failure──▶ open (a new cooldown)

A trial that never reports back (its caller vanished) is treated as abandoned after another
`cooldown_s`, so a lost trial cannot block the provider forever.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Literal

BreakerState = Literal["closed", "open", "half_open"]


class CircuitBreaker:
    """Counts consecutive failures of one provider and decides whether to try it now."""

    def __init__(
        self,
        failure_threshold: int = 3,
        cooldown_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if cooldown_s < 0:
            raise ValueError("cooldown_s must not be negative")
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None  # set while open or half-open
        self._trial_started: float | None = None  # set while a half-open trial is out

    @property
    def state(self) -> BreakerState:
        with self._lock:
            return self._state(self._clock())

    @property
    def failures(self) -> int:
        """Consecutive failures so far (reset by a success)."""
        with self._lock:
            return self._failures

    @property
    def retry_at(self) -> float | None:
        """Clock time when a request will next be let through; None when one is allowed now."""
        with self._lock:
            now = self._clock()
            state = self._state(now)
            if state == "closed":
                return None
            if state == "open":
                assert self._opened_at is not None
                return self._opened_at + self.cooldown_s
            if self._trial_started is None:
                return None
            return self._trial_started + self.cooldown_s

    def seconds_until_retry(self) -> float:
        """How long until a request is let through again (0.0 when one is allowed now)."""
        at = self.retry_at
        return 0.0 if at is None else max(0.0, at - self._clock())

    def allow(self) -> bool:
        """May a request go now? In half-open state this hands out the single trial."""
        with self._lock:
            now = self._clock()
            state = self._state(now)
            if state == "closed":
                return True
            if state == "open":
                return False
            if self._trial_started is not None and now < self._trial_started + self.cooldown_s:
                return False  # a trial is already out
            self._trial_started = now
            return True

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_started = None

    def record_failure(self) -> None:
        with self._lock:
            now = self._clock()
            self._failures += 1
            if self._trial_started is not None or self._failures >= self.failure_threshold:
                self._opened_at = now
                self._trial_started = None

    def _state(self, now: float) -> BreakerState:
        if self._opened_at is None:
            return "closed"
        if self._trial_started is None and now < self._opened_at + self.cooldown_s:
            return "open"
        return "half_open"
