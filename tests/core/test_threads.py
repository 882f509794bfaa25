"""Thread counts chosen by the load: the pure decision, the gauge, the policy's hysteresis."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from aurora_desktop.core.threads import (
    STEADY_WINDOW_S,
    CpuGauge,
    OwnProcesses,
    ThreadChoice,
    ThreadPolicy,
    choose_threads,
)


@pytest.mark.parametrize(
    ("cores", "busy", "fixed", "decode"),
    [
        (2, None, 0, 2),  # nothing measured yet: one thread per core
        (2, 0.0, 0, 2),  # quiet
        (2, 0.4, 0, 2),  # a little background work is tolerated
        (2, 0.6, 0, 1),  # one core mostly taken
        (2, 2.0, 0, 1),  # two CPU-bound processes: one thread, never zero
        (2, 7.5, 0, 1),
        (8, 2.0, 0, 6),
        (8, 1.2, 0, 7),
        (1, 0.0, 0, 1),
        (2, 2.0, 2, 2),  # the user's fixed count wins over the load
        (4, None, 3, 3),
        (0, 0.0, 0, 1),  # a machine that reports no cores still gets one thread
    ],
)
def test_choose_threads(cores: int, busy: float | None, fixed: int, decode: int) -> None:
    choice = choose_threads(cores, busy, fixed)
    assert choice.decode == decode and choice.batch == decode
    assert choice.fixed == (fixed > 0)


class FakeSamples:
    """Scripted (time, all busy CPU s, own CPU s) readings: `advance` other processes' load."""

    def __init__(self) -> None:
        self.now, self.busy, self.mine = 100.0, 0.0, 0.0

    def __call__(self) -> tuple[float, float, float]:
        return self.now, self.busy, self.mine

    def advance(self, seconds: float, other_cores: float, own_cores: float = 1.0) -> None:
        self.now += seconds
        self.mine += own_cores * seconds
        self.busy += (other_cores + own_cores) * seconds


def test_gauge_counts_other_processes_only() -> None:
    samples = FakeSamples()
    gauge = CpuGauge(sample=samples)
    assert gauge.read() is None  # the first reading has nothing to compare with
    samples.advance(1.0, other_cores=1.5, own_cores=2.0)
    reading = gauge.read()
    assert reading is not None
    assert reading.busy_elsewhere == pytest.approx(1.5) and reading.window_s == pytest.approx(1.0)
    samples.advance(0.05, other_cores=2.0)
    assert gauge.read() is None  # too short a window to act on


def policy_with(samples: FakeSamples, fixed: list[int]) -> ThreadPolicy:
    return ThreadPolicy(cores=2, fixed=lambda: fixed[0], gauge=CpuGauge(sample=samples))


def test_policy_needs_two_short_readings_to_change() -> None:
    samples, fixed = FakeSamples(), [0]
    policy = policy_with(samples, fixed)
    assert policy.choose().decode == 2  # first reading: nothing known
    samples.advance(0.5, other_cores=2.0)
    assert policy.choose().decode == 2  # one short busy reading is a spike so far
    samples.advance(0.5, other_cores=2.0)
    assert policy.choose().decode == 1  # confirmed
    samples.advance(0.5, other_cores=0.0)
    assert policy.choose().decode == 1
    samples.advance(0.5, other_cores=0.0)
    assert policy.choose().decode == 2  # the other work ended
    assert policy.last == ThreadChoice(2, 2, pytest.approx(0.0))


def test_policy_acts_at_once_on_a_long_reading() -> None:
    samples, fixed = FakeSamples(), [0]
    policy = policy_with(samples, fixed)
    policy.choose()
    samples.advance(STEADY_WINDOW_S + 1.0, other_cores=2.0)  # busy since the last request
    assert policy.choose().decode == 1


def test_policy_follows_the_setting() -> None:
    samples, fixed = FakeSamples(), [3]
    policy = policy_with(samples, fixed)
    assert policy.choose() == ThreadChoice(3, 3, None, fixed=True)
    fixed[0] = 0
    samples.advance(0.5, other_cores=2.0)
    assert policy.choose().decode == 1  # back to automatic: the current load decides at once
    assert not policy.last.fixed


def test_gauge_sees_real_busy_processes() -> None:
    """Two CPU-bound child processes show up as about two cores' worth of other work."""
    gauge = CpuGauge()
    spin = "import time\nend = time.monotonic() + 20\nwhile time.monotonic() < end: pass\n"
    children = [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(2)]
    try:
        time.sleep(0.5)  # the children are running
        gauge.read()
        time.sleep(1.5)
        reading = gauge.read()
    finally:
        for child in children:
            child.kill()
            child.wait(timeout=10)
    assert reading is not None
    # two spinning processes keep up to two cores busy; the machine's other tenants add more
    assert reading.busy_elsewhere >= 1.0


def test_own_processes_are_not_other_programs() -> None:
    """A spinning process registered as Aurora's own (a model process) is left out of the
    reading; a gauge that does not own it sees it, and after the own one is
    removed, the time it used stays counted as Aurora's."""
    own = OwnProcesses()
    gauge = CpuGauge(own=own)
    spin = "import time\nend = time.monotonic() + 20\nwhile time.monotonic() < end: pass\n"
    child = subprocess.Popen([sys.executable, "-c", spin])
    try:
        own.add(child.pid)
        other = CpuGauge(own=OwnProcesses())
        time.sleep(0.5)
        gauge.read(), other.read()
        time.sleep(1.5)
        ours, theirs = gauge.read(), other.read()  # the same window for both
        own.remove(child.pid)
        assert own.cpu_seconds() > 1.0  # kept after removal
    finally:
        child.kill()
        child.wait(timeout=10)
    assert ours is not None and theirs is not None
    # the spinner keeps one core busy: counted only by the gauge that does not own it
    assert theirs.busy_elsewhere - ours.busy_elsewhere >= 0.5


def test_the_app_policy_follows_the_threads_setting(aurora_home) -> None:  # type: ignore[no-untyped-def]
    from aurora_desktop.app.wiring import build_core

    core = build_core(
        {"AURORA_HOME": str(aurora_home.root), "AURORA_CACHE": str(aurora_home.cache)}
    )
    try:
        assert not core.threads.choose().fixed  # automatic by default
        core.settings.update(threads=3)
        assert core.threads.choose() == ThreadChoice(3, 3, core.threads.last.busy_elsewhere, True)
        core.settings.update(threads=0)
        assert not core.threads.choose().fixed
    finally:
        core.close()
