"""The UI's task runner: results on the main thread, one error path, one bounded shutdown, and
nothing delivered to a receiver that is gone."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from aurora_desktop.core.errors import AuroraError, CancelledError
from aurora_desktop.ui.tasks import TaskRunner, error_detail, error_sentence

WAIT_MS = 5000


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    made = TaskRunner("test-tasks")
    yield made
    assert made.shutdown(timeout=5)


class Receiver(QObject):
    """A page stand-in: remembers what reached it and on which thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.results: list[object] = []
        self.errors: list[Exception] = []
        self.threads: list[str] = []

    def on_done(self, result: object) -> None:
        self.threads.append(threading.current_thread().name)
        self.results.append(result)

    def on_error(self, error: Exception) -> None:
        self.threads.append(threading.current_thread().name)
        self.errors.append(error)


def test_the_result_arrives_on_the_main_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    worker: list[str] = []

    def work() -> list[int]:
        worker.append(threading.current_thread().name)
        return [1, 2, 3]

    receiver = Receiver()
    task = runner.run(work, receiver.on_done, receiver.on_error)
    qtbot.waitUntil(lambda: bool(receiver.results), timeout=WAIT_MS)
    assert receiver.results == [[1, 2, 3]] and receiver.errors == []
    assert worker == ["test-tasks"]
    assert receiver.threads == [threading.main_thread().name]
    assert task.done() and not task.cancelled


def test_tasks_run_one_at_a_time_in_order(qtbot: QtBot, runner: TaskRunner) -> None:
    seen: list[int] = []
    for number in range(5):
        runner.run(lambda n=number: n, seen.append)
    qtbot.waitUntil(lambda: len(seen) == 5, timeout=WAIT_MS)
    assert seen == [0, 1, 2, 3, 4]


def test_an_exception_reaches_on_error_on_the_main_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    def work() -> int:
        raise KeyError("model")

    receiver = Receiver()
    runner.run(work, receiver.on_done, receiver.on_error)
    qtbot.waitUntil(lambda: bool(receiver.errors), timeout=WAIT_MS)
    assert receiver.results == []
    assert isinstance(receiver.errors[0], KeyError)
    assert receiver.threads == [threading.main_thread().name]


def test_a_failure_without_on_error_is_logged(
    qtbot: QtBot, runner: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    done = threading.Event()

    def work() -> None:
        done.set()
        raise RuntimeError("disk on fire")

    with caplog.at_level(logging.ERROR, logger="aurora_desktop.ui.tasks"):
        runner.run(work)
        qtbot.waitUntil(lambda: "test-tasks task failed" in caplog.text, timeout=WAIT_MS)
    assert "disk on fire" in caplog.text


def test_error_sentence_keeps_the_core_sentence_and_fills_the_unexpected_one() -> None:
    unexpected = "The ledger could not be read ({error}); try Refresh again."
    core = AuroraError("metrics.db is damaged; Aurora moved it aside and started a new one.")
    assert error_sentence(core, unexpected) == str(core)
    assert error_sentence(core, unexpected, render=lambda text: f"<{text}>") == f"<{core}>"
    assert (
        error_sentence(KeyError("ts"), unexpected)
        == "The ledger could not be read (KeyError: 'ts'); try Refresh again."
    )
    assert error_sentence(ValueError(), "{what} failed ({error}).", what="Verify") == (
        "Verify failed (ValueError)."
    )
    assert error_detail(OSError("no space left")) == "OSError: no space left"
    assert isinstance(CancelledError("stopped"), AuroraError)  # pages test for it first


def test_shutdown_cancels_pending_tasks_and_waits_a_bounded_time(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    started, release = threading.Event(), threading.Event()
    ran: list[str] = []

    def blocking() -> str:
        started.set()
        release.wait(10)
        ran.append("first")
        return "first"

    receiver = Receiver()
    first = runner.run(blocking, receiver.on_done, receiver.on_error)
    second = runner.run(lambda: ran.append("second"), receiver.on_done)
    third = runner.run(lambda: ran.append("third"), receiver.on_done)
    assert started.wait(5)
    assert runner.shutdown(timeout=0.1) is False  # the first task is still running
    assert second.cancelled and third.cancelled and second.done()
    with pytest.raises(RuntimeError, match="shut down"):
        runner.run(lambda: None)
    release.set()
    assert first.wait(5)
    assert runner.shutdown(timeout=5) is True  # again: now the worker has ended
    assert runner.shutdown(timeout=5) is True
    qtbot.wait(50)  # a result that was on its way would have arrived by now
    assert ran == ["first"]
    assert receiver.results == [] and receiver.errors == []


def test_a_task_cancelled_before_it_starts_never_runs(qtbot: QtBot, runner: TaskRunner) -> None:
    started, release = threading.Event(), threading.Event()
    ran: list[str] = []
    runner.run(lambda: (started.set(), release.wait(5)))
    waiting = runner.run(lambda: ran.append("waiting"), ran.append)
    assert started.wait(5)
    assert waiting.cancel() and waiting.cancel()
    last = runner.run(lambda: "last", ran.append)
    release.set()
    qtbot.waitUntil(lambda: ran == ["last"], timeout=WAIT_MS)
    assert last.done() and not last.cancel()


def test_a_destroyed_receiver_gets_nothing(qtbot: QtBot, runner: TaskRunner) -> None:
    started, release = threading.Event(), threading.Event()
    receiver = Receiver()
    watcher: list[object] = []

    def work() -> str:
        started.set()
        release.wait(5)
        return "late"

    task = runner.run(work, receiver.on_done, receiver.on_error)
    runner.run(lambda: "for the watcher", watcher.append)
    assert started.wait(5)
    shiboken6.delete(receiver)  # the page closed while its task ran
    release.set()
    qtbot.waitUntil(lambda: bool(watcher), timeout=WAIT_MS)
    assert task.done()
    assert watcher == ["for the watcher"]  # the runner itself still delivers


def test_a_runner_destroyed_with_its_parent_drops_results_and_ends_its_thread(
    qtbot: QtBot,
) -> None:
    started, release = threading.Event(), threading.Event()
    page = Receiver()
    runner = TaskRunner("test-tasks-child", page)
    ran: list[str] = []

    def work() -> str:
        started.set()
        release.wait(5)
        ran.append("work")
        return "late"

    runner.run(work, page.on_done, page.on_error)
    runner.run(lambda: ran.append("pending"), page.on_done)
    thread = next(t for t in threading.enumerate() if t.name == "test-tasks-child")
    assert started.wait(5)
    shiboken6.delete(page)  # deletes the runner with it
    assert not shiboken6.isValid(runner)
    release.set()
    thread.join(5)
    assert not thread.is_alive()
    qtbot.wait(50)
    assert ran == ["work"]  # the pending task was cancelled
