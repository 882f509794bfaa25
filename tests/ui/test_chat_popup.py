"""The chat popup: task and risk, route badges, copy, history and keys over fake engines;
with the real model: a streamed reply, Stop, and a UI that stays alive."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from aurora_desktop.app.wiring import Core
from aurora_desktop.core.cognition.conductor import Conductor
from aurora_desktop.core.cognition.intent import IntentClassifier
from aurora_desktop.core.cognition.labelsets import LabelSetsFile
from aurora_desktop.core.contract import Request, Response
from aurora_desktop.core.engines.base import Constraint
from aurora_desktop.core.errors import CancelledError
from aurora_desktop.core.resources import resource_path
from aurora_desktop.core.telemetry import Telemetry
from aurora_desktop.ui.chat_choices import DEFAULT_RISK
from aurora_desktop.ui.chat_popup import ChatPopup
from aurora_desktop.ui.chat_session import ChatSession
from aurora_desktop.ui.i18n import LanguageManager
from tests.support.fake_engines import FakeCloud, FakeLocal
from tests.support.pipelines import build

REPLY_TIMEOUT_MS = 120_000


@pytest.fixture
def popup(qtbot: QtBot, core: Core) -> Iterator[ChatPopup]:
    session = ChatSession(core.conductor, core.local)
    widget = ChatPopup(session)
    qtbot.addWidget(widget)
    widget.show_near(None)
    with qtbot.waitSignal(session.model_ready, timeout=REPLY_TIMEOUT_MS):
        session.prepare()
    yield widget
    assert session.shutdown(timeout=30)


@pytest.mark.model
def test_send_shows_a_streamed_reply_with_its_route(qtbot: QtBot, popup: ChatPopup) -> None:
    batches: list[str] = []
    popup.session.reply_text.connect(batches.append)
    qtbot.keyClicks(popup.prompt, "Write two sentences about the moon.")
    with qtbot.waitSignal(popup.session.reply_finished, timeout=REPLY_TIMEOUT_MS) as finished:
        qtbot.mouseClick(popup.send_button, Qt.MouseButton.LeftButton)
    response: Response = finished.args[0]
    reply = popup.last_reply()
    assert reply is not None
    assert reply.text.text().strip()
    assert reply.text.text() == response.text
    assert response.tokens_out > 0
    assert "Local · llama.cpp · SmolLM2-135M-Instruct" in reply.meta.text()
    assert "tok/s" in reply.meta.text()
    assert len(batches) >= 2  # the reply arrived in pieces while it was written
    assert popup.prompt.toPlainText() == ""
    assert [m.role for m in popup.messages] == ["user", "assistant"]


@pytest.mark.model
def test_enter_sends_and_shift_enter_adds_a_newline(qtbot: QtBot, popup: ChatPopup) -> None:
    qtbot.keyClicks(popup.prompt, "Hello")
    qtbot.keyClick(popup.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert popup.prompt.toPlainText() == "Hello\n"
    with qtbot.waitSignal(popup.session.reply_finished, timeout=REPLY_TIMEOUT_MS):
        qtbot.keyClick(popup.prompt, Qt.Key.Key_Return)
    assert popup.messages[0].text.text() == "Hello"


@pytest.mark.model
def test_stop_ends_generation_early(qtbot: QtBot, popup: ChatPopup) -> None:
    session = popup.session
    qtbot.keyClicks(popup.prompt, "Write a very long story about a dragon and a knight.")
    with qtbot.waitSignal(session.reply_text, timeout=REPLY_TIMEOUT_MS):
        qtbot.mouseClick(popup.send_button, Qt.MouseButton.LeftButton)
    assert popup.stop_button.isEnabled() and not popup.send_button.isEnabled()
    with qtbot.waitSignal(session.reply_finished, timeout=REPLY_TIMEOUT_MS) as finished:
        qtbot.mouseClick(popup.stop_button, Qt.MouseButton.LeftButton)
    response: Response = finished.args[0]
    assert response.finish_reason == "cancelled"
    assert response.tokens_out < 256
    assert "stopped" in popup.last_reply().meta.text()
    assert popup.send_button.isEnabled() and not popup.stop_button.isEnabled()


@pytest.mark.model
def test_ui_thread_keeps_processing_events_while_tokens_stream(
    qtbot: QtBot, popup: ChatPopup
) -> None:
    session = popup.session
    ticks_during_reply: list[int] = [0]
    streaming = [False]
    session.reply_started.connect(lambda: streaming.__setitem__(0, True))
    session.reply_finished.connect(lambda _r: streaming.__setitem__(0, False))

    def tick() -> None:
        if streaming[0]:
            ticks_during_reply[0] += 1

    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.timeout.connect(tick)
    heartbeat.start()
    qtbot.keyClicks(popup.prompt, "List ten animals that live in the ocean, one per line.")
    with qtbot.waitSignal(session.reply_finished, timeout=REPLY_TIMEOUT_MS) as finished:
        qtbot.mouseClick(popup.send_button, Qt.MouseButton.LeftButton)
    heartbeat.stop()
    response: Response = finished.args[0]
    assert response.tokens_out > 10
    # The main thread ran its own timer again and again while the model generated.
    assert ticks_during_reply[0] >= 5


@pytest.mark.model
def test_empty_prompt_is_not_sent(qtbot: QtBot, popup: ChatPopup) -> None:
    qtbot.keyClicks(popup.prompt, "   ")
    qtbot.mouseClick(popup.send_button, Qt.MouseButton.LeftButton)
    assert popup.messages == []
    assert popup.status.text() == "Type a question first."
    assert not popup.session.busy


@pytest.mark.model
def test_escape_hides_the_popup(qtbot: QtBot, popup: ChatPopup) -> None:
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()


@pytest.mark.model
def test_follow_up_carries_the_conversation(qtbot: QtBot, popup: ChatPopup) -> None:
    for prompt in ("My name is Ada.", "What is my name?"):
        qtbot.keyClicks(popup.prompt, prompt)
        with qtbot.waitSignal(popup.session.reply_finished, timeout=REPLY_TIMEOUT_MS):
            qtbot.mouseClick(popup.send_button, Qt.MouseButton.LeftButton)
    history = popup.session.history
    assert [m.role for m in history] == ["user", "assistant", "user", "assistant"]
    assert history[0].content == "My name is Ada."


# -- over the fake engines (no model needed) -------------------------------------------------


@dataclass
class Fakes:
    popup: ChatPopup
    local: FakeLocal
    cloud: FakeCloud

    @property
    def session(self) -> ChatSession:
        return self.popup.session


def fake_conductor(tmp_path: Path, local: FakeLocal, cloud: FakeCloud) -> Conductor:
    pipeline, _, _ = build(tmp_path, local=local, cloud=cloud)
    labels = LabelSetsFile(tmp_path / "labels.json", resource_path("cognition/labels.json"))

    def generate(request: Request, constraint: Constraint) -> Response:
        return pipeline.run(request, constraint=constraint)

    classifier = IntentClassifier(label_sets=labels.current, embed=None, generate=generate)
    return Conductor(
        pipeline=pipeline,
        classifier=classifier,
        local_models=lambda: ["fake-local"],
        metrics=Telemetry(tmp_path / "cognition-metrics.db"),
    )


@pytest.fixture
def fakes(qtbot: QtBot, tmp_path: Path) -> Iterator[Fakes]:
    local, cloud = FakeLocal(), FakeCloud()
    session = ChatSession(fake_conductor(tmp_path, local, cloud), local)  # type: ignore[arg-type]
    widget = ChatPopup(session)
    qtbot.addWidget(widget)
    widget.show_near(None)
    yield Fakes(widget, local, cloud)
    assert session.shutdown(timeout=10)


def choose(popup: ChatPopup, *, task: str | None = None, risk: str | None = None) -> None:
    if task is not None:
        popup.task_combo.setCurrentIndex(popup.task_combo.findData(task))
    if risk is not None:
        popup.risk_combo.setCurrentIndex(popup.risk_combo.findData(risk))


def ask(qtbot: QtBot, popup: ChatPopup, prompt: str) -> Response:
    qtbot.keyClicks(popup.prompt, prompt)
    with qtbot.waitSignal(popup.session.reply_finished, timeout=10_000) as finished:
        qtbot.keyClick(popup.prompt, Qt.Key.Key_Return)
    response: Response = finished.args[0]
    return response


def test_selectors_start_at_auto_and_the_default_risk(fakes: Fakes) -> None:
    popup = fakes.popup
    assert popup.task() == "auto" and popup.task_combo.currentText() == "Auto"
    assert popup.risk() == DEFAULT_RISK == Request.from_prompt("x").risk
    names = [popup.task_combo.itemText(i) for i in range(popup.task_combo.count())]
    assert names[:3] == ["Auto", "Chat", "Intent"] and "Short summary" in names
    assert [popup.risk_combo.itemText(i) for i in range(3)] == [
        "Low risk",
        "Medium risk",
        "High risk",
    ]
    model = popup.task_combo.model()
    # classify needs labels and extract a JSON Schema: the popup cannot give them
    for task in ("classify", "extract"):
        item = model.item(popup.task_combo.findData(task))  # type: ignore[attr-defined]
        assert not item.isEnabled()
        assert "command line" in item.toolTip()


def test_task_and_risk_selectors_reach_the_request(qtbot: QtBot, fakes: Fakes) -> None:
    choose(fakes.popup, task="summarize", risk="high")
    response = ask(qtbot, fakes.popup, "A long text about the harbour and its boats.")
    assert fakes.local.calls, "a high-risk request runs on this device"
    assert fakes.local.calls[0].task == "summarize"
    assert {call.risk for call in fakes.local.calls} == {"high"}
    assert not fakes.cloud.sent
    assert response.rule == 1
    meta = fakes.popup.last_reply().meta.text()
    assert 'Local · llama.cpp · fake-local · rule 1 "high risk stays on this device"' in meta
    assert "Summarize" in meta and "tok/s" in meta


def test_auto_task_is_resolved_and_its_rule_shown(qtbot: QtBot, fakes: Fakes) -> None:
    fakes.local.answers["*"] = [" intent", "Hello! How can I help?"]
    response = ask(qtbot, fakes.popup, "Hi there!")
    assert fakes.local.calls[0].task == "intent"  # the task grammar ran first
    assert fakes.local.calls[0].risk == DEFAULT_RISK
    assert response.task == "intent"
    reply = fakes.popup.last_reply()
    assert reply.text.text() == "Hello! How can I help?"
    summary = reply.badge.summary()
    assert summary.startswith("Local · llama.cpp · fake-local")
    assert 'rule 2 "short classification work is local"' in summary
    assert "Intent" in summary


def test_badge_expands_to_masked_counts_never_the_values(qtbot: QtBot, fakes: Fakes) -> None:
    choose(fakes.popup, task="chat", risk="medium")
    ask(qtbot, fakes.popup, "Please write to anna@example.com about the invoice.")
    assert "anna@example.com" not in fakes.cloud.sent[0][-1].content
    reply = fakes.popup.last_reply()
    badge = reply.badge
    assert reply.text.text() == "You said: Please write to anna@example.com about the invoice."
    assert badge.summary().startswith("Cloud · cloud · fake/model · default route")
    assert not badge.expanded and badge.details.isHidden()
    qtbot.mouseClick(badge.header, Qt.MouseButton.LeftButton)
    assert badge.expanded and badge.details.isVisible()
    assert badge.header.text().startswith("▾")
    details = badge.details.text()
    assert "Masked before sending: email address (1)" in details
    assert "anna@example.com" not in details
    assert "No rule matched" in details
    assert "Verifier: passed" in details
    assert "consent: once" in details
    assert "Tokens: 5 in, 5 out" in details
    assert "first token 1 ms" in details and "tok/s" in details
    qtbot.mouseClick(badge.header, Qt.MouseButton.LeftButton)
    assert not badge.expanded


def test_badge_lists_each_fallback_and_opens_from_the_keyboard(qtbot: QtBot, fakes: Fakes) -> None:
    fakes.cloud.fail = True
    choose(fakes.popup, task="chat")
    response = ask(qtbot, fakes.popup, "What is a good name for a cat?")
    assert response.target == "local"
    badge = fakes.popup.last_reply().badge
    assert badge.header.focusPolicy() & Qt.FocusPolicy.TabFocus
    badge.header.setFocus()
    qtbot.keyClick(badge.header, Qt.Key.Key_Space)
    assert badge.expanded
    assert "Fallbacks:\n  1. cloud: the provider is unreachable" in badge.details.text()
    qtbot.keyClick(badge.header, Qt.Key.Key_Return)
    assert not badge.expanded


def test_copy_puts_the_reply_on_the_clipboard(qtbot: QtBot, fakes: Fakes) -> None:
    choose(fakes.popup, task="chat")
    ask(qtbot, fakes.popup, "Copy me")
    reply = fakes.popup.last_reply()
    assert reply.copy_button.isVisible()
    assert not fakes.popup.messages[0].copy_button.isVisible()  # the user's own message
    qtbot.mouseClick(reply.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "You said: Copy me"
    assert fakes.popup.status.text() == "The reply is on the clipboard."


def test_history_is_kept_and_new_chat_forgets_it(qtbot: QtBot, fakes: Fakes) -> None:
    choose(fakes.popup, task="chat")
    ask(qtbot, fakes.popup, "My name is Ada.")
    ask(qtbot, fakes.popup, "What is my name?")
    assert [m.role for m in fakes.session.history] == ["user", "assistant"] * 2
    assert len(fakes.cloud.sent[-1]) == 3  # the first turn went along as context
    assert len(fakes.popup.messages) == 4

    qtbot.mouseClick(fakes.popup.new_chat_button, Qt.MouseButton.LeftButton)
    assert fakes.popup.messages == [] and fakes.session.history == ()
    assert fakes.popup.status.text().startswith("New chat")
    ask(qtbot, fakes.popup, "Hello again")
    assert [m.content for m in fakes.cloud.sent[-1]] == ["Hello again"]
    assert [m.role for m in fakes.popup.messages] == ["user", "assistant"]


def test_escape_hides_and_reopening_keeps_the_conversation(qtbot: QtBot, fakes: Fakes) -> None:
    popup = fakes.popup
    choose(popup, task="chat")
    ask(qtbot, popup, "Remember this")
    qtbot.keyClick(popup.prompt, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    popup.show_near(None)
    assert popup.isVisible()
    assert [m.text.text() for m in popup.messages] == ["Remember this", "You said: Remember this"]
    assert len(fakes.session.history) == 2


def tab_chain(start: QWidget) -> list[QWidget]:
    """The widgets Tab visits from `start`, once round (disabled ones included)."""
    chain = [start]
    widget = start.nextInFocusChain()
    while widget is not start:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(start.window()):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def test_keys_and_tab_order(qtbot: QtBot, fakes: Fakes) -> None:
    popup = fakes.popup
    expected = [
        popup.prompt,
        popup.send_button,
        popup.stop_button,
        popup.task_combo,
        popup.risk_combo,
        popup.new_chat_button,
    ]
    chain = tab_chain(popup.prompt)
    assert chain[: len(expected)] == expected
    # Tab leaves the prompt instead of typing a tab into it
    assert popup.prompt.tabChangesFocus()

    choose(popup, task="chat")
    ask(qtbot, popup, "First")
    reply = popup.last_reply()
    after = tab_chain(popup.prompt)[len(expected) :]
    assert reply.meta in after and reply.copy_button in after  # the replies come after

    popup.send_button.setFocus()
    popup.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is popup, timeout=2000)
    qtbot.keyClick(popup.send_button, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert popup.prompt.hasFocus()


def test_korean_and_back_to_english(qtbot: QtBot, fakes: Fakes, qapp: QApplication) -> None:
    choose(fakes.popup, task="chat")
    ask(qtbot, fakes.popup, "Hello")
    languages = LanguageManager(qapp)
    try:
        assert languages.apply("ko") == "ko"
        qtbot.waitUntil(lambda: fakes.popup.send_button.text() != "&Send", timeout=2000)
        assert fakes.popup.send_button.text() == "보내기(&S)"
        assert fakes.popup.task_combo.itemText(0) == "자동"
        reply = fakes.popup.last_reply()
        assert reply.badge.summary().startswith("클라우드 · ")
        assert reply.copy_button.text() == "복사"
    finally:
        languages.apply("en")
    qtbot.waitUntil(lambda: fakes.popup.send_button.text() == "&Send", timeout=2000)
    assert fakes.popup.task_combo.itemText(0) == "Auto"
    assert fakes.popup.last_reply().badge.summary().startswith("Cloud · ")
    assert fakes.popup.windowTitle() == "Aurora chat"


def test_paused_session_starts_nothing(qtbot: QtBot, fakes: Fakes) -> None:
    popup, session = fakes.popup, fakes.session
    with qtbot.waitSignal(session.paused_changed):
        session.set_paused(True)
    assert not popup.send_button.isEnabled()
    assert popup.status.text().startswith("Paused")
    qtbot.keyClicks(popup.prompt, "Anyone there?")
    qtbot.keyClick(popup.prompt, Qt.Key.Key_Return)
    assert popup.messages == [] and not fakes.local.calls and not fakes.cloud.sent
    assert not session.send("Anyone there?")
    session.set_paused(False)
    assert popup.send_button.isEnabled() and popup.status.text() == "Ready"
    choose(popup, task="chat")
    popup.prompt.clear()
    assert ask(qtbot, popup, "Anyone there?").text == "You said: Anyone there?"


def test_new_chat_while_answering_drops_the_late_reply(qtbot: QtBot, fakes: Fakes) -> None:
    popup, session = fakes.popup, fakes.session
    choose(popup, task="chat")
    qtbot.keyClicks(popup.prompt, "Tell me a story")
    qtbot.keyClick(popup.prompt, Qt.Key.Key_Return)
    assert session.busy
    session.new_chat()  # before the worker's answer reaches the main thread
    qtbot.waitUntil(lambda: not session.busy, timeout=10_000)
    assert popup.messages == [] and session.history == ()
    assert popup.status.text().startswith("New chat")  # no word about the dropped reply
    assert not session.busy and popup.send_button.isEnabled()


class _StoppedBeforeAnswering:
    """A conductor stopped while it was still picking the task: nothing was written."""

    def __init__(self, conductor: Conductor) -> None:
        self.pipeline = conductor.pipeline

    def answer(self, request: Request, **_: object) -> Response:
        raise CancelledError("The request was stopped before it finished.")


def test_stop_before_any_answer_says_stopped_not_failed(qtbot: QtBot, tmp_path: Path) -> None:
    conductor = fake_conductor(tmp_path, FakeLocal(), FakeCloud())
    session = ChatSession(_StoppedBeforeAnswering(conductor), FakeLocal())  # type: ignore[arg-type]
    popup = ChatPopup(session)
    qtbot.addWidget(popup)
    with qtbot.waitSignal(session.reply_stopped, timeout=10_000):
        assert session.send("Write a long story.")
    reply = popup.last_reply()
    assert reply is not None
    assert "Stopped before an answer was written." in reply.meta.text()
    assert "Failed" not in reply.meta.text()
    assert popup.status.text() == "Stopped."
    assert not session.busy and popup.send_button.isEnabled()
    assert session.shutdown(timeout=10)
