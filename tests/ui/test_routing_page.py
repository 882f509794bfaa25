"""Settings, Routing page: rule table, raw JSON with in-place errors, live save, Try a request."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from aurora_desktop.core.contract import Request
from aurora_desktop.core.routing.policy import DEFAULT_POLICY, default_policy_text
from aurora_desktop.core.routing.policy_file import PolicyFile
from aurora_desktop.core.routing.router import RouteFeatures, RoutingDecision, route
from aurora_desktop.core.routing.tokens import TokenCounter
from aurora_desktop.ui.i18n import LanguageManager
from aurora_desktop.ui.settings.routing_page import RoutingPage


@pytest.fixture
def policy_file(tmp_path: Path) -> PolicyFile:
    policy = PolicyFile(tmp_path / "model_router.json")
    policy.current()  # writes the built-in policy
    return policy


@pytest.fixture
def page(qtbot, policy_file: PolicyFile) -> Iterator[RoutingPage]:
    tokens = TokenCounter(lambda: None)

    def decide(request: Request) -> RoutingDecision:
        count, counted_by = tokens.count(request.prompt)
        features = RouteFeatures(
            task=request.task,
            risk=request.risk,
            tokens_in=count,
            slo_ms=request.slo_ms,
            tokens_counted_by=counted_by,
        )
        return route(policy_file.current(), features)

    widget = RoutingPage(policy_file, decide)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.shutdown()


def editor_json(page: RoutingPage) -> dict:
    return json.loads(page.json_edit.toPlainText())


def disk_json(policy_file: PolicyFile) -> dict:
    return json.loads(policy_file.path.read_text(encoding="utf-8"))


def test_shows_the_file_as_table_and_json(page: RoutingPage, policy_file: PolicyFile) -> None:
    assert page.json_edit.toPlainText() == default_policy_text()
    assert page.rule_table.table.rowCount() == 3
    assert page.rule_table.row(1).name.text() == "high risk stays on this device"
    assert page.rule_table.row(1).risk.value() == "high"
    assert page.rule_table.row(2).task.value() == DEFAULT_POLICY["rules"][1]["if"]["task"]
    assert page.rule_table.row(2).tokens_in.value() == {"lt": 1500}
    assert page.rule_table.default_target.currentData() == "cloud"
    assert page.rule_table.default_slo.value() == 1500
    assert not page.save_button.isEnabled()
    assert page.title() == "Routing"


def test_editing_a_target_updates_the_json_and_save_applies_it(
    qtbot, page: RoutingPage, policy_file: PolicyFile
) -> None:
    target = page.rule_table.row(2).target
    target.setCurrentIndex(target.findData("cloud"))

    assert editor_json(page)["rules"][1]["then"] == {"target": "cloud", "fallback": "cloud"}
    assert page.has_unsaved_changes() and page.save_button.isEnabled()
    assert disk_json(policy_file)["rules"][1]["then"]["target"] == "local"  # not saved yet
    assert policy_file.current().rules[1].target == "local"

    with qtbot.waitSignal(page.policy_saved):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    assert disk_json(policy_file)["rules"][1]["then"]["target"] == "cloud"
    assert policy_file.current().rules[1].target == "cloud"
    assert not page.has_unsaved_changes() and not page.save_button.isEnabled()
    assert "in force" in page.status.text()


def test_ctrl_s_saves(qtbot, page: RoutingPage, policy_file: PolicyFile) -> None:
    page.rule_table.row(1).name.setFocus()
    qtbot.keyClicks(page.rule_table.row(1).name, " (kept)")
    assert editor_json(page)["rules"][0]["name"] == "high risk stays on this device (kept)"
    qtbot.keyClick(page.rule_table.row(1).name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert policy_file.current().rules[0].name == "high risk stays on this device (kept)"


def test_conditions_and_defaults_edit_the_json(page: RoutingPage) -> None:
    row = page.rule_table.row(3)
    row.task.set_checked("chat", True)
    row.risk.set_checked("low", True)
    row.risk.set_checked("medium", True)
    row.tokens_in.set_operator("gte", 200)
    row.slo_ms.set_operator(None)
    row.model.setText("local://smollm2")
    row.model.textEdited.emit(row.model.text())
    row.fallback.setCurrentIndex(row.fallback.findData(None))
    table = page.rule_table
    table.default_fallback.setCurrentIndex(table.default_fallback.findData("none"))
    table.default_slo.setValue(0)

    data = editor_json(page)
    assert data["rules"][2] == {
        "name": "tight latency target is local",
        "if": {"task": "chat", "risk": ["low", "medium"], "tokens_in": {"gte": 200}},
        "then": {"target": "local", "model": "local://smollm2"},
    }
    assert data["defaults"] == {"target": "cloud", "fallback": "none"}
    assert page.save_button.isEnabled()


def test_add_remove_and_reorder_rules(qtbot, page: RoutingPage, policy_file: PolicyFile) -> None:
    table = page.rule_table
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    names = [r.get("name") for r in editor_json(page)["rules"]]
    assert names[-1] == "New rule" and len(names) == 4
    assert editor_json(page)["rules"][3] == {
        "name": "New rule",
        "if": {},
        "then": {"target": "local"},
    }

    assert table.table.currentRow() == 3
    qtbot.mouseClick(table.up_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(table.up_button, Qt.MouseButton.LeftButton)
    names = [r.get("name") for r in editor_json(page)["rules"]]
    assert names[1] == "New rule"
    assert table.table.currentRow() == 1

    qtbot.mouseClick(table.down_button, Qt.MouseButton.LeftButton)
    assert [r.get("name") for r in editor_json(page)["rules"]][2] == "New rule"

    table.table.selectRow(0)
    qtbot.mouseClick(table.remove_button, Qt.MouseButton.LeftButton)
    names = [r.get("name") for r in editor_json(page)["rules"]]
    assert names == [
        "short classification work is local",
        "New rule",
        "tight latency target is local",
    ]
    assert table.table.rowCount() == 3
    assert len(policy_file.current().rules) == 3  # nothing saved yet
    assert policy_file.current().rules[0].name == "high risk stays on this device"

    assert page.save()
    assert [r.name for r in policy_file.current().rules] == names


def test_invalid_json_shows_the_error_in_place_and_keeps_the_old_policy(
    qtbot, page: RoutingPage, policy_file: PolicyFile
) -> None:
    before = policy_file.path.read_text(encoding="utf-8")
    page.tabs.setCurrentIndex(1)
    page.json_edit.setFocus()
    text = page.json_edit.toPlainText()

    page.json_edit.setPlainText(text.replace('"rules": [', '"rules": [,', 1))
    assert page.json_error.isVisible()
    assert "not valid JSON" in page.json_error.text()
    assert page.json_error.parentWidget() is page.json_edit.parentWidget()
    assert page.json_error.geometry().top() >= page.json_edit.geometry().bottom()
    assert page.json_edit.extraSelections()  # the spot is underlined
    assert not page.save_button.isEnabled()
    assert not page.rule_table.isEnabled()
    qtbot.keyClick(page.json_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not page.save()
    assert policy_file.path.read_text(encoding="utf-8") == before
    assert policy_file.current().rules[0].target == "local"

    page.json_edit.setPlainText(text.replace('"target": "local"', '"target": "remote"', 1))
    assert page.json_error.isVisible()
    assert "rules/0/then/target" in page.json_error.text()
    assert "remote" in page.json_error.text()
    assert not page.save_button.isEnabled()
    assert not page.save()
    assert policy_file.path.read_text(encoding="utf-8") == before
    assert policy_file.current().rules[0].target == "local"

    page.json_edit.setPlainText(text.replace('"target": "local"', '"target": "cloud"', 1))
    assert not page.json_error.isVisible()
    assert page.rule_table.isEnabled()
    assert page.rule_table.row(1).target.currentData() == "cloud"  # the table follows
    assert page.save_button.isEnabled()


def test_revert_discards_edits(page: RoutingPage) -> None:
    page.rule_table.row(1).target.setCurrentIndex(1)
    assert page.has_unsaved_changes()
    page.revert()
    assert page.json_edit.toPlainText() == default_policy_text()
    assert page.rule_table.row(1).target.currentData() == "local"
    assert not page.has_unsaved_changes()


def _write_outside(policy_file: PolicyFile, data: dict) -> str:
    text = json.dumps(data, indent=2) + "\n"
    policy_file.path.write_text(text, encoding="utf-8")
    stat = policy_file.path.stat()
    os.utime(policy_file.path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    return text


def test_an_outside_edit_appears_in_the_editor(
    qtbot, page: RoutingPage, policy_file: PolicyFile
) -> None:
    data = json.loads(default_policy_text())
    data["rules"] = data["rules"][:1]
    text = _write_outside(policy_file, data)

    qtbot.waitUntil(lambda: page.json_edit.toPlainText() == text, timeout=4000)
    assert page.rule_table.table.rowCount() == 1
    assert not page.notice.isVisible()
    assert not page.has_unsaved_changes()
    assert "outside" in page.status.text()


def test_an_outside_edit_with_unsaved_edits_asks_first(
    qtbot, page: RoutingPage, policy_file: PolicyFile
) -> None:
    page.rule_table.row(1).target.setCurrentIndex(1)
    mine = page.json_edit.toPlainText()
    data = json.loads(default_policy_text())
    data["defaults"]["target"] = "local"
    text = _write_outside(policy_file, data)

    qtbot.waitUntil(page.notice.isVisible, timeout=4000)
    assert page.json_edit.toPlainText() == mine
    assert policy_file.current().default_target == "local"  # the core follows the file
    qtbot.mouseClick(page.keep_button, Qt.MouseButton.LeftButton)
    assert not page.notice.isVisible()
    assert page.json_edit.toPlainText() == mine
    assert page.has_unsaved_changes()
    qtbot.wait(1300)
    assert not page.notice.isVisible()  # not asked again for the same change

    data["defaults"]["slo_ms"] = 900
    text = _write_outside(policy_file, data)
    qtbot.waitUntil(page.notice.isVisible, timeout=4000)
    qtbot.mouseClick(page.reload_button, Qt.MouseButton.LeftButton)
    assert page.json_edit.toPlainText() == text
    assert page.rule_table.default_slo.value() == 900
    assert not page.has_unsaved_changes()


def test_try_a_request_shows_the_rule_that_fires(qtbot, page: RoutingPage) -> None:
    box = page.try_box
    box.risk.setCurrentIndex(box.risk.findData("high"))
    box.prompt.setText("what is on my calendar")
    qtbot.mouseClick(box.try_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Rule 1" in box.result.text(), timeout=4000)
    assert "high risk stays on this device" in box.result.text()
    assert "→ local" in box.result.text()
    assert "risk=high" in box.result.text()  # the core's why
    assert page.rule_table.table.currentRow() == 0

    box.risk.setCurrentIndex(box.risk.findData("low"))
    box.task.setCurrentIndex(box.task.findData("generate_long"))
    qtbot.mouseClick(box.try_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "No rule matched" in box.result.text(), timeout=4000)
    assert "→ cloud" in box.result.text()

    box.slo.setValue(800)
    qtbot.mouseClick(box.try_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Rule 3" in box.result.text(), timeout=4000)


def test_try_with_an_empty_prompt_says_what_to_do(qtbot, page: RoutingPage) -> None:
    page.try_box.prompt.clear()
    qtbot.mouseClick(page.try_box.try_button, Qt.MouseButton.LeftButton)
    assert "prompt is empty" in page.try_box.result.text()


def test_switches_between_korean_and_english(qtbot, page: RoutingPage) -> None:
    manager = LanguageManager(QApplication.instance())
    try:
        manager.apply("ko")
        qtbot.waitUntil(lambda: page.save_button.text() == "저장(&S)", timeout=3000)
        assert page.title() == "라우팅"
        assert page.tabs.tabText(0) == "규칙"
        assert page.rule_table.add_button.text() == "규칙 추가(&A)"
        assert page.try_box.title() == "요청 시험"
        assert page.rule_table.row(3).task.text() == "모두"
    finally:
        manager.apply("en")
    qtbot.waitUntil(lambda: page.save_button.text() == "&Save", timeout=3000)
    assert page.tabs.tabText(0) == "Rules"
    assert page.rule_table.row(3).task.text() == "any"


def next_tab_stop(widget: QWidget) -> QWidget:
    """The widget Tab moves to from `widget`."""
    candidate = widget.nextInFocusChain()
    while not (
        candidate.isVisible()
        and candidate.isEnabled()
        and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus
    ):
        candidate = candidate.nextInFocusChain()
    return candidate


def test_rule_editors_follow_the_table_in_tab_order(page: RoutingPage) -> None:
    table = page.rule_table
    assert next_tab_stop(table.table) is table.row(1).name
    assert next_tab_stop(table.row(1).name) is table.row(1).task
    assert next_tab_stop(table.row(2).tokens_in.op) is table.row(2).tokens_in.spin
    assert next_tab_stop(table.row(3).fallback) is table.add_button
    assert table.row(2).task.accessibleName() == "Rule 2: task condition"


def test_a_range_the_table_cannot_show_is_kept_as_written(
    qtbot, page: RoutingPage, policy_file: PolicyFile
) -> None:
    data = json.loads(default_policy_text())
    data["rules"][1]["if"]["tokens_in"] = {"gt": 100, "lt": 2000}
    page.json_edit.setPlainText(json.dumps(data, indent=2))
    editor = page.rule_table.row(2).tokens_in
    assert editor.value() == {"gt": 100, "lt": 2000}
    assert "edit in JSON" in editor.op.currentText()
    assert not editor.spin.isEnabled()

    page.rule_table.row(1).target.setCurrentIndex(1)  # an edit elsewhere keeps the range
    assert editor_json(page)["rules"][1]["if"]["tokens_in"] == {"gt": 100, "lt": 2000}
    editor.set_operator("lte", 300)
    assert editor_json(page)["rules"][1]["if"]["tokens_in"] == {"lte": 300}


def test_a_broken_file_opens_with_the_error_and_the_last_good_policy(qtbot, tmp_path: Path) -> None:
    policy_file = PolicyFile(tmp_path / "model_router.json")
    policy_file.current()
    policy_file.path.write_text('{"router_version": "1.0",', encoding="utf-8")
    page = RoutingPage(policy_file, lambda request: pytest.fail("not called"))
    qtbot.addWidget(page)
    try:
        assert "not valid JSON" in page.json_error.text()
        assert "stays in force" in page.status.text()
        assert not page.save_button.isEnabled()
        assert policy_file.current().rules[0].name == "high risk stays on this device"
    finally:
        page.shutdown()


@pytest.mark.timeout(30)
def test_a_named_pipe_in_place_of_the_file_opens_at_once_with_a_sentence(
    qtbot, tmp_path: Path
) -> None:
    policy_file = PolicyFile(tmp_path / "model_router.json")
    policy_file.current()
    policy_file.path.unlink()
    os.mkfifo(policy_file.path)
    page = RoutingPage(policy_file, lambda request: pytest.fail("not called"))
    qtbot.addWidget(page)
    try:
        assert "not a regular file" in page.status.text()
        assert policy_file.current().rules[0].name == "high risk stays on this device"
    finally:
        page.shutdown()


def test_a_pasted_policy_nested_too_deeply_is_one_sentence(
    page: RoutingPage, policy_file: PolicyFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paste of 100,000 nested brackets: the error line, no exception out of the slot."""
    import sys

    raised: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _t, exc, _tb: raised.append(exc))
    page.tabs.setCurrentIndex(1)
    page.json_edit.setPlainText("[" * 100_000 + "]" * 100_000)
    assert page.json_error.isVisible()
    assert "nested" in page.json_error.text() or "deep" in page.json_error.text()
    assert not page.save_button.isEnabled()
    assert not raised
