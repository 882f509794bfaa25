"""The circuit breaker's state machine, driven step by step with a fake clock."""

from __future__ import annotations

import pytest

from aurora_desktop.core.providers.breaker import CircuitBreaker


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# Each step is "op" or "op:arg": fail, ok, tick:SECONDS, allow:yes|no, state:NAME,
# retry_in:SECONDS|none (retry_at relative to the clock's start), failures:N.
CASES: list[tuple[str, int, float, list[str]]] = [
    ("starts closed and lets requests through", 3, 60.0,
     ["state:closed", "allow:yes", "allow:yes", "retry_in:none", "failures:0"]),
    ("failures below the threshold keep it closed", 3, 60.0,
     ["fail", "fail", "state:closed", "allow:yes", "failures:2"]),
    ("the threshold opens it", 3, 60.0,
     ["fail", "fail", "fail", "state:open", "allow:no", "retry_in:60"]),
    ("a success resets the count", 3, 60.0,
     ["fail", "fail", "ok", "fail", "fail", "state:closed", "allow:yes", "failures:2"]),
    ("it stays open until the cooldown ends", 3, 60.0,
     ["fail", "fail", "fail", "tick:59.9", "state:open", "allow:no", "tick:0.1",
      "state:half_open", "retry_in:none"]),
    ("half-open lets exactly one trial through", 3, 60.0,
     ["fail", "fail", "fail", "tick:60", "allow:yes", "state:half_open", "allow:no",
      "allow:no", "retry_in:120"]),
    ("a successful trial closes it", 3, 60.0,
     ["fail", "fail", "fail", "tick:60", "allow:yes", "ok", "state:closed", "allow:yes",
      "failures:0"]),
    ("a failed trial re-opens it for a new cooldown", 3, 60.0,
     ["fail", "fail", "fail", "tick:60", "allow:yes", "tick:5", "fail", "state:open",
      "allow:no", "retry_in:125", "tick:59", "allow:no", "tick:1", "allow:yes"]),
    ("after a failed trial one more failure is not needed to stay open", 3, 60.0,
     ["fail", "fail", "fail", "tick:60", "allow:yes", "fail", "tick:60", "allow:yes", "ok",
      "fail", "state:closed"]),
    ("a trial that never reports back is abandoned after a cooldown", 3, 60.0,
     ["fail", "fail", "fail", "tick:60", "allow:yes", "tick:59", "allow:no", "tick:1",
      "allow:yes", "allow:no"]),
    ("a threshold of one opens on the first failure", 1, 10.0,
     ["fail", "state:open", "allow:no", "tick:10", "allow:yes"]),
    ("a zero cooldown goes straight to half-open", 2, 0.0,
     ["fail", "fail", "state:half_open", "allow:yes", "fail", "state:half_open", "allow:yes",
      "ok", "state:closed"]),
    ("failures while open push the retry time back", 2, 30.0,
     ["fail", "fail", "tick:20", "fail", "retry_in:50", "tick:10", "allow:no", "tick:20",
      "allow:yes"]),
]  # fmt: skip


@pytest.mark.parametrize(("threshold", "cooldown", "steps"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_state_machine(threshold: int, cooldown: float, steps: list[str]) -> None:
    clock = FakeClock()
    start = clock.now
    breaker = CircuitBreaker(failure_threshold=threshold, cooldown_s=cooldown, clock=clock)
    for index, step in enumerate(steps):
        op, _, arg = step.partition(":")
        where = f"step {index} ({step})"
        if op == "fail":
            breaker.record_failure()
        elif op == "ok":
            breaker.record_success()
        elif op == "tick":
            clock.now += float(arg)
        elif op == "allow":
            assert breaker.allow() is (arg == "yes"), where
        elif op == "state":
            assert breaker.state == arg, where
        elif op == "failures":
            assert breaker.failures == int(arg), where
        elif op == "retry_in":
            expected = None if arg == "none" else start + float(arg)
            assert breaker.retry_at == (pytest.approx(expected) if expected else None), where
        else:
            raise AssertionError(f"unknown step {step!r}")


def test_seconds_until_retry_counts_down() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, cooldown_s=30.0, clock=clock)
    assert breaker.seconds_until_retry() == 0.0
    breaker.record_failure()
    assert breaker.seconds_until_retry() == pytest.approx(30.0)
    clock.now += 12.5
    assert breaker.seconds_until_retry() == pytest.approx(17.5)
    clock.now += 17.5
    assert breaker.seconds_until_retry() == 0.0


@pytest.mark.parametrize(("threshold", "cooldown"), [(0, 1.0), (-1, 1.0), (1, -0.1)])
def test_rejects_nonsense_settings(threshold: int, cooldown: float) -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(failure_threshold=threshold, cooldown_s=cooldown)
