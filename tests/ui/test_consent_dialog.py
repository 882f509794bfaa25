"""The consent dialog over a real pipeline: Allow once / Always / Deny / timeout end to end."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from aurora_desktop.core.contract import Message, Request
from aurora_desktop.core.errors import ConsentDenied
from aurora_desktop.core.pipeline import RequestPipeline
from aurora_desktop.core.policy.consent import (
    ConsentAnswer,
    ConsentReply,
    ConsentRequest,
    ConsentStore,
)
from aurora_desktop.core.providers.pool import CloudPool
from aurora_desktop.core.providers.registry import ProviderConfig, ProviderRegistry
from aurora_desktop.core.text import phrase
from aurora_desktop.ui.consent_asker import ConsentAsker
from aurora_desktop.ui.consent_dialog import ConsentDialog
from aurora_desktop.ui.i18n import LanguageManager
from tests.support.fake_engines import FakeCloud, FakeLocal
from tests.support.openai_stub import serve_openai_stub
from tests.support.pipelines import build

PII_PROMPT = "Mail kim.minsu@example.com about the plan."
CLOUD_ONLY = {
    "router_version": "1.0",
    "defaults": {"target": "cloud", "fallback": "none"},
    "rules": [],
}


class Worker:
    """Runs one call on a named thread, as the app's request worker does."""

    def __init__(self, call: Callable[[], Any]) -> None:
        self.result: Any = None
        self.error: BaseException | None = None
        self._call = call
        self.thread = threading.Thread(target=self._run, name="consent-test-request", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.result = self._call()
        except BaseException as exc:
            self.error = exc

    def done(self) -> bool:
        return not self.thread.is_alive()


@pytest.fixture
def asker(qtbot: Any) -> Iterator[ConsentAsker]:
    made = ConsentAsker(timeout_s=30)
    yield made
    made.shutdown()
    qtbot.waitUntil(lambda: not made.dialogs(), timeout=3000)
    made.deleteLater()


@pytest.fixture
def workers(qtbot: Any) -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for worker in started:
        qtbot.waitUntil(worker.done, timeout=10_000)


def make_pipeline(
    tmp_path: Path, asker: ConsentAsker, **kwargs: Any
) -> tuple[RequestPipeline, FakeLocal, FakeCloud]:
    return build(tmp_path, ask=asker, **kwargs)


@pytest.fixture
def cloud_pipeline(
    tmp_path: Path, asker: ConsentAsker
) -> Iterator[tuple[RequestPipeline, FakeLocal, FakeCloud]]:
    made = make_pipeline(tmp_path, asker)
    yield made
    made[0].close()


def long_request() -> Request:
    # the default policy sends long generation to the cloud, with a local fallback
    return Request(messages=(Message("user", PII_PROMPT),), task="generate_long")


def start(workers: list[Worker], call: Callable[[], Any]) -> Worker:
    worker = Worker(call)
    workers.append(worker)
    return worker


def wait_dialog(qtbot: Any, asker: ConsentAsker, count: int = 1) -> ConsentDialog:
    qtbot.waitUntil(lambda: len(asker.dialogs()) >= count, timeout=5000)
    dialog = asker.dialogs()[-1]
    qtbot.waitExposed(dialog)
    return dialog


def finish(qtbot: Any, worker: Worker) -> Any:
    qtbot.waitUntil(worker.done, timeout=10_000)
    if worker.error is not None:
        raise worker.error
    return worker.result


def sample_request(scope: str = "cloud.send:acme") -> ConsentRequest:
    return ConsentRequest(
        scope=scope, recipient="acme (http://127.0.0.1:9/v1)", why="long text", preview="hi"
    )


def test_allow_once_sends_the_masked_preview_once(
    qtbot: Any, tmp_path: Path, asker: ConsentAsker, workers: list[Worker], cloud_pipeline: Any
) -> None:
    pipeline, local, cloud = cloud_pipeline
    worker = start(workers, lambda: pipeline.run(long_request()))
    dialog = wait_dialog(qtbot, asker)
    assert dialog.isWindow() and not dialog.isModal()
    assert dialog.windowTitle() == "Aurora — consent"
    assert dialog.header.text() == "Send this to acme (http://127.0.0.1:9/v1)?"
    assert dialog.scope.text() == "cloud.send:acme"
    shown = dialog.preview.toPlainText()
    assert "<EMAIL_1>" in shown and "kim.minsu@example.com" not in shown
    assert dialog.preview.isReadOnly()
    assert dialog.size_label.text() == f"{len(shown.encode()):,} bytes"
    assert dialog.focusWidget() is dialog.deny_button and dialog.deny_button.isDefault()
    assert cloud.sent == []  # nothing leaves before the answer

    qtbot.mouseClick(dialog.once_button, Qt.MouseButton.LeftButton)
    response = finish(qtbot, worker)
    assert response.target == "cloud" and response.consent == "once" and not local.calls
    assert len(cloud.sent) == 1
    assert cloud.sent[0][-1].content == "Mail <EMAIL_1> about the plan."
    assert shown == "[user] Mail <EMAIL_1> about the plan."  # what was shown is what was sent
    assert "kim.minsu@example.com" in response.text  # restored for the local user only
    assert ConsentStore(tmp_path / "consents.json").grants() == []
    (row,) = pipeline.decisions.entries()
    assert row["consent"] == "once" and row["target"] == "cloud"
    qtbot.waitUntil(lambda: not asker.dialogs(), timeout=3000)


def test_deny_then_allow_once_over_real_http(
    qtbot: Any, tmp_path: Path, asker: ConsentAsker, workers: list[Worker]
) -> None:
    with serve_openai_stub() as stub:
        pipeline, _local, _ = make_pipeline(tmp_path, asker, provider=False)
        registry = ProviderRegistry(tmp_path / "providers.json")
        registry.add(ProviderConfig(name="acme", base_url=stub.base_url, model="big"), None)
        pipeline.cloud.clouds = CloudPool(registry)
        try:
            denied = start(workers, lambda: pipeline.run(long_request()))
            qtbot.mouseClick(wait_dialog(qtbot, asker).deny_button, Qt.MouseButton.LeftButton)
            assert finish(qtbot, denied).target == "local" and stub.chat_count == 0
            qtbot.waitUntil(lambda: not asker.dialogs(), timeout=3000)

            allowed = start(workers, lambda: pipeline.run(long_request()))
            qtbot.mouseClick(wait_dialog(qtbot, asker).once_button, Qt.MouseButton.LeftButton)
            response = finish(qtbot, allowed)
            assert response.target == "cloud" and response.consent == "once"
            assert stub.chat_count == 1
            wire = stub.chat_requests[0].text
            assert "<EMAIL_1>" in wire and "kim.minsu@example.com" not in wire
            assert [row["consent"] for row in pipeline.decisions.entries()] == ["once", None]
        finally:
            pipeline.close()


def test_always_allow_for_a_day_is_remembered(
    qtbot: Any, tmp_path: Path, asker: ConsentAsker, workers: list[Worker], cloud_pipeline: Any
) -> None:
    pipeline, _local, cloud = cloud_pipeline
    shown: list[ConsentDialog] = []
    asker.dialog_shown.connect(shown.append)
    worker = start(workers, lambda: pipeline.run(long_request()))
    dialog = wait_dialog(qtbot, asker)
    dialog.set_expiry(86_400)
    assert dialog.expiry.currentText() == "1 day"
    with qtbot.waitSignal(asker.answered) as answered:
        qtbot.mouseClick(dialog.always_button, Qt.MouseButton.LeftButton)
    assert answered.args == ["cloud.send:acme", "always"]
    response = finish(qtbot, worker)
    assert response.target == "cloud" and response.consent == "always"
    grant = ConsentStore(tmp_path / "consents.json").allowed("cloud.send:acme")
    assert grant is not None and grant.expires_at is not None
    assert abs(grant.expires_at - (time.time() + 86_400)) < 60

    again = finish(qtbot, start(workers, lambda: pipeline.run(long_request())))
    assert again.consent == "stored" and len(cloud.sent) == 2
    assert len(shown) == 1 and not asker.dialogs()  # the second request asked nobody
    assert [row["consent"] for row in pipeline.decisions.entries()] == ["stored", "always"]


def test_always_allow_until_revoked_has_no_expiry(
    qtbot: Any, tmp_path: Path, asker: ConsentAsker, workers: list[Worker]
) -> None:
    worker = start(workers, lambda: asker(sample_request()))
    dialog = wait_dialog(qtbot, asker)
    assert dialog.expiry.currentText() == "Until I revoke it"
    qtbot.mouseClick(dialog.always_button, Qt.MouseButton.LeftButton)
    assert finish(qtbot, worker) == ConsentReply(ConsentAnswer.ALLOW_ALWAYS, None)


def test_deny_sends_nothing_and_answers_locally(
    qtbot: Any, asker: ConsentAsker, workers: list[Worker], cloud_pipeline: Any
) -> None:
    pipeline, local, cloud = cloud_pipeline
    worker = start(workers, lambda: pipeline.run(long_request()))
    dialog = wait_dialog(qtbot, asker)
    qtbot.mouseClick(dialog.deny_button, Qt.MouseButton.LeftButton)
    response = finish(qtbot, worker)
    assert cloud.sent == [] and len(local.calls) == 1
    assert response.target == "local" and response.consent is None
    (row,) = pipeline.decisions.entries()
    assert row["consent"] is None and row["bytes_sent"] == 0
    assert "Consent for cloud.send:acme was not given" in row["fallbacks"][0]


def test_deny_without_a_local_route_is_refused_with_a_sentence(
    qtbot: Any, tmp_path: Path, asker: ConsentAsker, workers: list[Worker]
) -> None:
    pipeline, local, cloud = make_pipeline(tmp_path, asker, policy=CLOUD_ONLY)
    try:
        worker = start(workers, lambda: pipeline.run(long_request()))
        dialog = wait_dialog(qtbot, asker)
        qtbot.mouseClick(dialog.deny_button, Qt.MouseButton.LeftButton)
        with pytest.raises(ConsentDenied, match="nothing was sent to acme"):
            finish(qtbot, worker)
        assert cloud.sent == [] and local.calls == []
        (row,) = pipeline.decisions.entries()
        assert row["consent"] is None and row["outcome"].startswith("refused: Consent for")
    finally:
        pipeline.close()


@pytest.mark.parametrize("how", ["escape", "close", "enter"])
def test_escape_closing_and_enter_all_deny(
    qtbot: Any, how: str, asker: ConsentAsker, workers: list[Worker], cloud_pipeline: Any
) -> None:
    pipeline, _local, cloud = cloud_pipeline
    worker = start(workers, lambda: pipeline.run(long_request()))
    dialog = wait_dialog(qtbot, asker)
    if how == "escape":
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    elif how == "close":
        dialog.close()
    else:  # focus starts on Deny, the default button
        qtbot.keyClick(dialog.deny_button, Qt.Key.Key_Return)
    response = finish(qtbot, worker)
    assert response.target == "local" and cloud.sent == []
    qtbot.waitUntil(lambda: not asker.dialogs(), timeout=3000)


def test_timeout_denies_closes_the_dialog_and_the_ui_stays_responsive(
    qtbot: Any, asker: ConsentAsker, workers: list[Worker], cloud_pipeline: Any
) -> None:
    pipeline, _local, cloud = cloud_pipeline
    asker.set_timeout(1)
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setObjectName("test-heartbeat")
    heartbeat.setInterval(20)
    heartbeat.timeout.connect(lambda: ticks.append(time.monotonic()))
    heartbeat.start()
    answers: list[tuple[str, str]] = []
    asker.answered.connect(lambda scope, answer: answers.append((scope, answer)))
    started = time.monotonic()
    worker = start(workers, lambda: pipeline.run(long_request()))
    dialog = wait_dialog(qtbot, asker)
    assert dialog.countdown.text() == "Answers Deny in 1 s"
    response = finish(qtbot, worker)
    heartbeat.stop()
    elapsed = time.monotonic() - started
    assert response.target == "local" and cloud.sent == []
    assert 0.9 < elapsed < 3.0
    assert answers == [("cloud.send:acme", "deny")]
    qtbot.waitUntil(lambda: not asker.dialogs(), timeout=3000)
    assert len([t for t in ticks if t < started + 0.9]) >= 20  # the main thread kept running


def test_countdown_counts_down_each_second(qtbot: Any) -> None:
    dialog = ConsentDialog(sample_request(), time.monotonic() + 3)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.countdown.text() == "Answers Deny in 3 s"
    assert dialog.timer.objectName() == "consent-countdown-timer" and dialog.timer.isActive()
    qtbot.waitUntil(lambda: dialog.countdown.text() == "Answers Deny in 2 s", timeout=2000)
    qtbot.waitUntil(lambda: dialog.countdown.text() == "Answers Deny in 1 s", timeout=2000)
    with qtbot.waitSignal(dialog.answered, timeout=2000) as answered:
        pass
    assert answered.args == [ConsentReply(ConsentAnswer.DENY)]
    assert not dialog.isVisible()


def test_a_stuck_ui_still_answers_deny_and_shows_nothing_late(
    qtbot: Any, asker: ConsentAsker
) -> None:
    asker.set_timeout(1)
    shown: list[ConsentDialog] = []
    asker.dialog_shown.connect(shown.append)
    worker = Worker(lambda: asker(sample_request()))
    worker.thread.join(timeout=10)  # the main thread is busy: no event is processed
    assert worker.done() and worker.result == ConsentReply(ConsentAnswer.DENY)
    QCoreApplication.processEvents()
    qtbot.wait(50)
    assert shown == [] and not asker.dialogs()


def test_shutdown_releases_a_pending_wait_as_deny(
    qtbot: Any, asker: ConsentAsker, workers: list[Worker]
) -> None:
    worker = start(workers, lambda: asker(sample_request()))
    wait_dialog(qtbot, asker)
    assert asker.pending_count() == 1
    asker.shutdown()
    assert finish(qtbot, worker) == ConsentReply(ConsentAnswer.DENY)
    qtbot.waitUntil(lambda: not asker.dialogs(), timeout=3000)
    late = finish(qtbot, start(workers, lambda: asker(sample_request())))
    assert late == ConsentReply(ConsentAnswer.DENY) and not asker.dialogs()


def test_asking_on_the_main_thread_denies_at_once(asker: ConsentAsker) -> None:
    started = time.monotonic()
    assert asker(sample_request()) == ConsentReply(ConsentAnswer.DENY)
    assert time.monotonic() - started < 0.5 and not asker.dialogs()


def test_several_requests_each_get_their_own_dialog(
    qtbot: Any, asker: ConsentAsker, workers: list[Worker]
) -> None:
    # the app parents dialogs to the active window, which may be another consent window
    asker._parent_widget = lambda: asker.dialogs()[-1] if asker.dialogs() else None
    first = start(workers, lambda: asker(sample_request("cloud.send:acme")))
    wait_dialog(qtbot, asker, 1)
    second = start(workers, lambda: asker(sample_request("file.read:/docs")))
    wait_dialog(qtbot, asker, 2)
    by_scope = {d.request.scope: d for d in asker.dialogs()}
    assert by_scope["file.read:/docs"].parentWidget() is None  # not a child of the first
    qtbot.mouseClick(by_scope["cloud.send:acme"].once_button, Qt.MouseButton.LeftButton)
    assert finish(qtbot, first) == ConsentReply(ConsentAnswer.ALLOW_ONCE)
    qtbot.wait(100)  # the first window is deleted by now
    assert not second.done()  # the other request still waits for its own answer
    assert asker.dialogs() == [by_scope["file.read:/docs"]]
    assert by_scope["file.read:/docs"].isVisible()
    qtbot.mouseClick(by_scope["file.read:/docs"].deny_button, Qt.MouseButton.LeftButton)
    assert finish(qtbot, second) == ConsentReply(ConsentAnswer.DENY)


def test_keyboard_order_and_mnemonics(qtbot: Any) -> None:
    dialog = ConsentDialog(sample_request(), time.monotonic() + 60)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.deny_button
    chain: list[QWidget] = [dialog.preview]
    widget = dialog.preview.nextInFocusChain()
    while widget is not None and widget is not dialog.preview:  # the Tab order
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible():
            chain.append(widget)
        widget = widget.nextInFocusChain()
    assert chain == [
        dialog.preview,
        dialog.always_button,
        dialog.expiry,
        dialog.once_button,
        dialog.deny_button,
    ]
    assert [b.text() for b in (dialog.once_button, dialog.always_button, dialog.deny_button)] == [
        "Allow &once",
        "&Always allow",
        "&Deny",
    ]
    for name in ("consentAllowOnce", "consentAlways", "consentDeny", "consentExpiry"):
        named = dialog.findChild(QWidget, name)
        assert named is not None and named.accessibleName()
    dialog.reject()


def test_korean_and_back_to_english(qtbot: Any, qapp: QApplication) -> None:
    # the reason as the router writes it (core/routing/router.py)
    why = phrase(
        "No rule matched ({facts_values}), so the default target {policy_default_target} applies.",
        facts_values="task=chat, risk=low, tokens_in=12, slo_ms=1500",
        policy_default_target="cloud",
    )
    dialog = ConsentDialog(
        ConsentRequest(scope="cloud.send:acme", recipient="acme", why=why, preview="hi"),
        time.monotonic() + 60,
    )
    qtbot.addWidget(dialog)
    manager = LanguageManager(qapp)
    try:
        manager.apply("ko")
        qtbot.waitUntil(lambda: dialog.once_button.text() == "이번만 허용(&O)", timeout=2000)
        assert dialog.deny_button.text() == "거부(&D)"
        assert dialog.windowTitle() == "Aurora — 동의"
        assert dialog.expiry.itemText(2) == "1일"
        assert dialog.why.text().startswith("일치하는 규칙이 없어(task=chat, risk=low")  # core's
        manager.apply("en")
        qtbot.waitUntil(lambda: dialog.once_button.text() == "Allow &once", timeout=2000)
        assert dialog.windowTitle() == "Aurora — consent"
        assert dialog.why.text() == why
    finally:
        manager.apply("en")
        dialog.reject()


def test_an_app_asking_through_the_api_is_named(qtbot: Any) -> None:
    asked = ConsentRequest(
        scope="cloud.send:acme for Obsidian", recipient="acme", why="Rule 1", preview="hi",
        app="Obsidian",
    )  # fmt: skip
    dialog = ConsentDialog(asked, time.monotonic() + 60)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Obsidian" in dialog.header.text() and "acme" in dialog.header.text()
    assert dialog.app.isVisible() and dialog.app.text() == "Obsidian"
    own = ConsentDialog(
        ConsentRequest(scope="cloud.send:acme", recipient="acme", why="Rule 1", preview="hi"),
        time.monotonic() + 60,
    )
    qtbot.addWidget(own)
    own.show()
    assert not own.app.isVisible() and own.header.text() == "Send this to acme?"
    dialog.reject()
    own.reject()
