"""The chat popup with the real model: a streamed reply, Stop, and a UI that stays alive."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from aurora_desktop.app.wiring import Core
from aurora_desktop.core.contract import Response
from aurora_desktop.ui.chat_popup import ChatPopup
from aurora_desktop.ui.chat_session import ChatSession

pytestmark = pytest.mark.model
REPLY_TIMEOUT_MS = 120_000


@pytest.fixture
def popup(qtbot: QtBot, core: Core) -> Iterator[ChatPopup]:
    session = ChatSession(core.conductor)
    widget = ChatPopup(session)
    qtbot.addWidget(widget)
    widget.show_near(None)
    with qtbot.waitSignal(session.model_ready, timeout=REPLY_TIMEOUT_MS):
        session.prepare()
    yield widget
    assert session.shutdown(timeout=30)


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


def test_enter_sends_and_shift_enter_adds_a_newline(qtbot: QtBot, popup: ChatPopup) -> None:
    qtbot.keyClicks(popup.prompt, "Hello")
    qtbot.keyClick(popup.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert popup.prompt.toPlainText() == "Hello\n"
    with qtbot.waitSignal(popup.session.reply_finished, timeout=REPLY_TIMEOUT_MS):
        qtbot.keyClick(popup.prompt, Qt.Key.Key_Return)
    assert popup.messages[0].text.text() == "Hello"


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


def test_empty_prompt_is_not_sent(qtbot: QtBot, popup: ChatPopup) -> None:
    qtbot.keyClicks(popup.prompt, "   ")
    qtbot.mouseClick(popup.send_button, Qt.MouseButton.LeftButton)
    assert popup.messages == []
    assert popup.status.text() == "Type a question first."
    assert not popup.session.busy


def test_escape_hides_the_popup(qtbot: QtBot, popup: ChatPopup) -> None:
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()


def test_follow_up_carries_the_conversation(qtbot: QtBot, popup: ChatPopup) -> None:
    for prompt in ("My name is Ada.", "What is my name?"):
        qtbot.keyClicks(popup.prompt, prompt)
        with qtbot.waitSignal(popup.session.reply_finished, timeout=REPLY_TIMEOUT_MS):
            qtbot.mouseClick(popup.send_button, Qt.MouseButton.LeftButton)
    history = popup.session.history
    assert [m.role for m in history] == ["user", "assistant", "user", "assistant"]
    assert history[0].content == "My name is Ada."
