"""How many threads llama.cpp may use, chosen for the machine as it is right now.

On a quiet machine one thread per physical core is fastest. When other programs keep cores
busy, a thread that waits at llama.cpp's per-token barrier for a sibling that has no core
to run on wastes its time slice, and decode collapses (measured here with two CPU-bound
processes beside it: SmolLM2 6.6 tok/s with 2 threads against 32 with 1). So the engine
asks `ThreadPolicy.choose()` before a prompt and again every half second while it decodes,
and uses only the cores other programs leave free.

`choose_threads` is the decision, a pure function; `CpuGauge` measures how many cores' worth
of CPU time other processes used since its last reading (system busy time minus Aurora's
own: the app's process and its model processes, `OwnProcesses`); `ThreadPolicy` joins them
with the user's setting and some hysteresis.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import psutil

from aurora_desktop.core.hardware import physical_cores

AUTOMATIC = 0  # the `threads` setting that means "choose by the load"
MIN_WINDOW_S = 0.2  # a gauge reading over a shorter window is too noisy to act on
STEADY_WINDOW_S = 2.0  # a reading over this long is an average, not a spike: act on it at once
RECHECK_S = 0.5  # how often a running generation re-reads the gauge
SLACK = 0.5  # cores' worth of other work tolerated before a thread is given up


@dataclass(frozen=True, slots=True)
class ThreadChoice:
    """Threads for decoding one token at a time and for evaluating a prompt in batches."""

    decode: int
    batch: int
    busy_elsewhere: float | None  # cores' worth of CPU other programs used (None: unknown)
    fixed: bool = False  # the user set the count in Settings


def choose_threads(
    cores: int, busy_elsewhere: float | None, fixed: int = AUTOMATIC
) -> ThreadChoice:
    """The thread counts for `cores` physical cores while other programs use `busy_elsewhere`.

    A fixed count (the user's setting) wins. Otherwise every core that other programs leave
    free gets a thread (a core more than half busy counts as taken), and at least one.
    Prompt evaluation waits at the same barriers, so it gets the same count.
    """
    cores = max(1, cores)
    if fixed > 0:
        return ThreadChoice(fixed, fixed, busy_elsewhere, fixed=True)
    if busy_elsewhere is None:
        return ThreadChoice(cores, cores, None)
    taken = max(0, math.ceil(busy_elsewhere - SLACK))
    free = min(cores, max(1, cores - taken))
    return ThreadChoice(free, free, busy_elsewhere)


Sample = tuple[float, float, float]


class OwnProcesses:
    """The other processes whose CPU time is Aurora's own: the model processes it runs.

    A process is added when it starts and removed when it stops; the CPU time it had used
    by then stays counted, so its end does not look like other programs going quiet.
    """

    def __init__(self) -> None:
        self._live: dict[int, psutil.Process] = {}
        self._ended_s = 0.0
        self._lock = threading.Lock()

    def add(self, pid: int) -> None:
        with contextlib.suppress(psutil.Error), self._lock:
            self._live[pid] = psutil.Process(pid)

    def remove(self, pid: int) -> None:
        """Before the process is stopped: its CPU time so far stays counted."""
        with self._lock:
            process = self._live.pop(pid, None)
            if process is not None:
                self._ended_s += _cpu_seconds(process)

    def cpu_seconds(self) -> float:
        with self._lock:
            return self._ended_s + sum(_cpu_seconds(p) for p in self._live.values())


MODEL_PROCESSES = OwnProcesses()  # the app's model processes (engines/llama_process.py)


def _cpu_seconds(process: psutil.Process) -> float:
    try:
        times = process.cpu_times()
    except psutil.Error:
        return 0.0
    return float(times.user + times.system)


class CpuGauge:
    """CPU time other processes used, in cores, between one reading and the next.

    Aurora's own time is this process's plus that of `own` (in the app, its model
    processes; in a model process, the app), so they do not count each other as others.
    """

    def __init__(
        self, sample: Callable[[], Sample] | None = None, own: OwnProcesses | None = None
    ) -> None:
        self._me = psutil.Process()
        self._own = MODEL_PROCESSES if own is None else own
        self._sample = sample or self._system_sample
        self._last: Sample | None = None
        self._lock = threading.Lock()

    def _system_sample(self) -> Sample:
        """(monotonic seconds, CPU seconds all processes spent busy, Aurora's own)."""
        system = psutil.cpu_times()
        idle = system.idle + getattr(system, "iowait", 0.0)
        busy = (
            sum(system) - idle - getattr(system, "guest", 0.0) - getattr(system, "guest_nice", 0.0)
        )
        return time.monotonic(), busy, _cpu_seconds(self._me) + self._own.cpu_seconds()

    def read(self) -> Reading | None:
        """Other processes' CPU use since the last reading; None on the first reading or when
        the last one is too recent to tell."""
        with self._lock:
            now = self._sample()
            last = self._last
            if last is not None and now[0] - last[0] < MIN_WINDOW_S:
                return None
            self._last = now
        if last is None:
            return None
        wall = now[0] - last[0]
        other = (now[1] - last[1]) - (now[2] - last[2])
        return Reading(max(0.0, other / wall), wall)


@dataclass(frozen=True, slots=True)
class Reading:
    busy_elsewhere: float  # cores' worth of CPU time other processes used
    window_s: float  # over how long


class ThreadPolicy:
    """The thread counts engines use: the user's fixed count, or chosen by the load.

    A new automatic choice takes effect when two short readings in a row agree, or at once
    when one reading spans `STEADY_WINDOW_S` or more, so a brief spike of other work does not
    make a generation flip its thread count back and forth.
    """

    def __init__(
        self,
        *,
        cores: int | None = None,
        fixed: Callable[[], int] = lambda: AUTOMATIC,
        gauge: CpuGauge | None = None,
    ) -> None:
        self.cores = cores or physical_cores()
        self._fixed = fixed
        self._gauge = gauge or CpuGauge()
        self._lock = threading.Lock()
        self._current = choose_threads(self.cores, None)
        self._pending: ThreadChoice | None = None

    def fixed_count(self) -> int:
        """The user's fixed thread count, or `AUTOMATIC`."""
        return self._fixed()

    @property
    def last(self) -> ThreadChoice:
        """The choice in force (what Settings shows)."""
        return self._current

    def choose(self) -> ThreadChoice:
        """The counts to use now (re-reads the load at most every `MIN_WINDOW_S`)."""
        fixed = self._fixed()
        reading = self._gauge.read()
        busy = None if reading is None else reading.busy_elsewhere
        with self._lock:
            if fixed > 0:
                self._current, self._pending = choose_threads(self.cores, busy, fixed), None
            elif self._current.fixed:  # the setting went back to automatic
                self._current, self._pending = choose_threads(self.cores, busy), None
            elif reading is not None:
                proposal = choose_threads(self.cores, busy)
                agreed = self._pending is not None and self._pending.decode == proposal.decode
                if (
                    proposal.decode == self._current.decode
                    or agreed
                    or reading.window_s >= STEADY_WINDOW_S
                ):
                    self._current, self._pending = proposal, None
                else:
                    self._pending = proposal
            return self._current
