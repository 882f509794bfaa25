"""The route badge: the one-line route, the full decision it expands to, keys and languages."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from aurora_desktop.core.contract import Response
from aurora_desktop.core.text import phrase
from aurora_desktop.ui.chat_popup import describe_route as popup_describe_route
from aurora_desktop.ui.i18n import LanguageManager
from aurora_desktop.ui.route_badge import RouteBadge
from aurora_desktop.ui.route_text import describe_route, route_details


def response(**changes: Any) -> Response:
    base = Response(
        request_id="abc",
        text="Hello!",
        target="local",
        engine="llama.cpp",
        model="SmolLM2-135M-Instruct",
        rule=2,
        why=phrase(  # as the router writes it (core/routing/router.py)
            'Rule {rule_index} "{rule_name}" matched ({facts__matched_rule_features_slo}).',
            rule_index=2,
            rule_name="short classification work is local",
            facts__matched_rule_features_slo="task=intent, tokens_in=4",
        ),
        tokens_in=4,
        tokens_out=12,
        ttft_ms=84.4,
        latency_ms=412.0,
        tok_s=31.25,
        load_ms=0.0,
        finish_reason="stop",
        task="intent",
        label="greeting",
        classified_by="embedding 0.81",
        verified=True,
        checks=("passed 1 check",),
        attempts=(  # as the pipeline writes it (core/pipeline.py attempt_line)
            phrase(
                "{number} {what} ({hop_target} · {hop_model}): {result}",
                number=1,
                what=phrase("first try"),
                hop_target="local",
                hop_model="SmolLM2-135M-Instruct",
                result=phrase("passed"),
            ),
        ),
    )
    return base.with_changes(**changes)


@pytest.fixture
def badge(qtbot: QtBot) -> RouteBadge:
    widget = RouteBadge()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_summary_names_route_rule_task_and_speed() -> None:
    line = describe_route(response())
    assert line == (
        'Local · llama.cpp · SmolLM2-135M-Instruct · rule 2 "short classification work is local"'
        " · Intent: greeting · 12 tokens · 31.2 tok/s · first token 84 ms"
    )
    assert popup_describe_route is describe_route


@pytest.mark.parametrize(
    ("changes", "expected", "absent"),
    [
        (
            {"target": "cloud", "engine": "cloud", "model": "acme/big", "rule": None,
             "why": "No rule matched (task=chat), so the default target cloud applies."},
            ["Cloud · cloud · acme/big · default route"], ["rule "],
        ),
        ({"rule": 3, "why": ""}, ["· rule 3 ·"], []),
        ({"rule": None, "why": "The nearest labelled examples decided it."}, [], ["rule", "route"]),
        ({"verified": False}, ["unverified (best effort)"], []),
        ({"finish_reason": "cancelled"}, ["· stopped"], []),
        ({"finish_reason": "length"}, ["cut at the token limit"], []),
        ({"citations": ({"n": 1}, {"n": 2})}, ["2 sources"], []),
        ({"task": "", "label": None}, [], ["Intent"]),
    ],
)  # fmt: skip
def test_summary_variants(changes: dict[str, Any], expected: list[str], absent: list[str]) -> None:
    line = describe_route(response(**changes))
    for text in expected:
        assert text in line
    for text in absent:
        assert text not in line


def test_details_hold_the_whole_decision() -> None:
    details = route_details(
        response(
            target="cloud",
            engine="cloud",
            model="acme/big",
            masked={"EMAIL": 2, "PHONE": 1, "CARD": 0},
            fallbacks=("local: the local model crashed while loading", "cloud: timed out"),
            bytes_sent=512,
            consent="once",
            verified=False,
            checks=("Only 10% of its words come from the text it was given.",),
            attempts=("1 first try: failed", "2 retry: failed"),
            plan=(
                {
                    "number": 1,
                    "step": "Outline",
                    "answer": "…",
                    "target": "local",
                    "model": "SmolLM2",
                    "tokens_out": 40,
                    "ms": 800.0,
                },
            ),
            citations=({"n": 1, "path": "notes/a.md", "start": 0, "end": 120, "score": 0.8},),
        )
    )
    lines = details.splitlines()
    assert lines[0] == "Route: Cloud · cloud · acme/big"
    assert lines[1] == 'Rule 2: "short classification work is local"'
    assert lines[2].startswith("Why: Rule 2")
    assert "Task: Intent · label: greeting" in lines
    assert "Decided by: embedding 0.81" in lines
    assert "Masked before sending: email address (2), phone number (1)" in lines
    assert "card number" not in details  # kinds with nothing masked are left out
    assert "Verifier: failed; this is the best effort" in lines
    assert "  Only 10% of its words come from the text it was given." in lines
    assert "  2 retry: failed" in lines
    assert "Fallbacks:" in lines
    assert "  1. local: the local model crashed while loading" in lines
    assert "  2. cloud: timed out" in lines
    assert "  1. Outline (Local · SmolLM2 · 40 tokens · 800.0 ms)" in lines
    assert "  [1] notes/a.md, characters 0-120 (score 0.8)" in lines
    assert "Tokens: 4 in, 12 out" in lines
    assert "Speed: first token 84 ms · total 412 ms · 31.2 tok/s" in lines
    assert "Sent off this device: 512 bytes · consent: once" in lines


def test_details_say_none_where_there_is_nothing() -> None:
    details = route_details(response(rule=None, why="", checks=(), attempts=(), verified=None))
    assert "Rule: none" in details
    assert "Masked before sending: nothing was masked" in details
    assert "Verifier: not checked" in details
    assert "Fallbacks: none" in details and "Checks: none" in details
    assert "Sent off this device" not in details  # a local answer sent nothing
    assert "Plan" not in details and "Sources" not in details


def test_click_and_keys_expand_and_collapse(qtbot: QtBot, badge: RouteBadge) -> None:
    badge.set_response(response())
    assert badge.header.objectName() == "replyMeta"
    assert badge.header.text().startswith("▸ Local · llama.cpp")
    assert badge.header.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert badge.header.accessibleName() == "How this reply was made"
    seen: list[bool] = []
    badge.toggled.connect(seen.append)
    qtbot.mouseClick(badge.header, Qt.MouseButton.LeftButton)
    assert badge.expanded and badge.details.isVisible()
    assert badge.header.text().startswith("▾ ")
    assert badge.details.text() == route_details(response())
    qtbot.keyClick(badge.header, Qt.Key.Key_Return)
    assert not badge.expanded
    qtbot.keyClick(badge.header, Qt.Key.Key_Space)
    assert badge.expanded
    qtbot.keyClick(badge.header, Qt.Key.Key_Enter)
    assert not badge.expanded
    assert seen == [True, False, True, False]


def test_a_note_has_no_details(qtbot: QtBot, badge: RouteBadge) -> None:
    badge.set_response(response())
    badge.set_expanded(True)
    badge.set_note("Thinking…")
    assert badge.header.text() == "Thinking…" and not badge.expanded
    qtbot.mouseClick(badge.header, Qt.MouseButton.LeftButton)
    assert not badge.expanded and badge.details.text() == ""
    assert badge.response is None


def test_korean_and_back_to_english(qtbot: QtBot, badge: RouteBadge, qapp: QApplication) -> None:
    badge.set_response(response(masked={"EMAIL": 1}))
    badge.set_expanded(True)
    languages = LanguageManager(qapp)
    try:
        languages.apply("ko")
        qtbot.waitUntil(lambda: "로컬" in badge.header.text(), timeout=2000)
        assert badge.summary().startswith('로컬 · llama.cpp · SmolLM2-135M-Instruct · 규칙 2 "')
        assert "보내기 전에 가린 항목: 이메일 주소 (1)" in badge.details.text()
        assert badge.header.accessibleName() == "이 답변이 만들어진 방식"
        assert "의도 파악: greeting" in badge.summary()
        # the core's own sentences too: the reason, the checks and the attempts
        details = badge.details.text()
        assert '규칙 2 "short classification work is local"이(가) 일치했습니다' in details
        assert "검사 1개 통과" in details and "1 첫 시도 (local · " in details
        assert "matched" not in details and "first try" not in details
    finally:
        languages.apply("en")
    qtbot.waitUntil(lambda: badge.header.text().startswith("▾ Local"), timeout=2000)
    assert "Masked before sending: email address (1)" in badge.details.text()
