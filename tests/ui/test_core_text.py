"""The sentences the core writes are shown in the UI language: each is a message value
(core/text.py) whose template lupdate collected from the core's source; nothing is parsed."""

from __future__ import annotations

import ast
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from aurora_desktop.core.errors import ConfigError, EngineError
from aurora_desktop.core.routing.policy import default_policy_text, parse_policy
from aurora_desktop.core.routing.router import RouteFeatures, route
from aurora_desktop.core.settings import SettingsFile
from aurora_desktop.core.text import Message, phrase
from aurora_desktop.ui.core_text import core_text
from aurora_desktop.ui.i18n import LanguageManager

REPO = Path(__file__).resolve().parents[2]
CORE_TS = REPO / "aurora_desktop" / "resources" / "i18n" / "core_phrases.ko.ts"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


@pytest.fixture
def korean(qapp: QApplication) -> Iterator[None]:
    manager = LanguageManager(qapp)
    assert manager.apply("ko") == "ko"
    try:
        yield
    finally:
        manager.apply("en")


def _no_rule_why() -> str:
    policy = parse_policy(json.loads(default_policy_text()))
    decision = route(policy, RouteFeatures(task="chat", risk="low", tokens_in=12, slo_ms=1500))
    assert decision.rule is None, "the shipped policy is expected to send plain chat to default"
    return decision.why


def _core_templates() -> set[str]:
    """Every phrase("template", ...) in the core's source, as lupdate reads them."""
    found = set()
    for source in (REPO / "aurora_desktop" / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "phrase"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_no_core_sentence_is_an_fstring_the_ui_cannot_take_apart() -> None:
    """A phrase() or a raised error's message built with an f-string has no template."""
    offenders = []
    tree = ast.parse((REPO / "aurora_desktop" / "core" / "errors.py").read_text(encoding="utf-8"))
    errors = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    for source in (REPO / "aurora_desktop" / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if (name == "phrase" or name in errors) and isinstance(node.args[0], ast.JoinedStr):
                offenders.append(f"{source.name}:{node.lineno}")
    assert not offenders, offenders


def test_every_core_template_is_in_the_translation_file() -> None:
    sources = {m.findtext("source", "") for m in ET.parse(CORE_TS).getroot().iter("message")}
    templates = _core_templates()
    assert len(templates) > 300
    assert templates <= sources, sorted(templates - sources)[:10]
    for template in (
        "No rule matched ({facts_values}), so the default target {policy_default_target} applies.",
        "{slot_name} is loaded.",
        "The output is not valid JSON.",
        "There is no setting called {join_unknown}; known settings: {join_sorted_FIELDS}.",
    ):
        assert template in templates


def test_a_message_is_its_english_and_keeps_its_parts() -> None:
    cause = phrase("{name} is not installed.", name="gemma")
    message = phrase("Loading failed: {cause}", cause=cause)
    assert message == "Loading failed: gemma is not installed."
    assert isinstance(message, Message) and message.args["cause"] is cause
    error = EngineError(message)
    assert str(error) is message  # str() of the error keeps the message value
    assert phrase("{{literal}} braces and {n}", n=1) == "{literal} braces and 1"
    stored = message.to_json()
    assert Message.from_json(stored, str.__str__(message)) == message
    assert isinstance(Message.from_json(stored, str.__str__(message)), Message)
    assert Message.from_json(stored, "something else") == "something else"
    assert Message.from_json("not json", "as stored") == "as stored"


def test_english_is_shown_as_the_core_wrote_it(qapp: QApplication) -> None:
    why = _no_rule_why()
    assert isinstance(why, Message)
    assert core_text(why) == why
    assert core_text("A provider's own words.") == "A provider's own words."


def test_a_routing_reason_is_shown_in_korean(korean: None) -> None:
    why = _no_rule_why()
    shown = core_text(why)
    assert shown != why and HANGUL.search(shown)
    assert "task=chat" in shown and "cloud" in shown  # the facts are kept as they are


def test_a_core_error_is_shown_in_korean(korean: None, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        SettingsFile(tmp_path / "settings.json").update(colour="blue")
    for shown in (core_text(str(caught.value)), core_text(caught.value)):
        assert HANGUL.search(shown) and "colour" in shown, shown
        assert "There is no setting" not in shown


def test_a_sentence_inside_a_sentence_is_translated_too(korean: None) -> None:
    why = _no_rule_why()
    composed = phrase("{tried_why} Stopped before it finished; not checked.", tried_why=why)
    shown = core_text(composed)
    assert shown.startswith(core_text(why))  # the inner reason, translated on its own
    assert "Stopped before" not in shown and "No rule matched" not in shown


def test_an_error_inside_a_sentence_is_translated_too(korean: None) -> None:
    reason = EngineError(
        phrase(
            "Loading {name} needs {need} but only {free} is free, and every loaded model is in "
            "use or pinned; close other programs or unpin a model.",
            name="gemma",
            need="3.2 GB",
            free="1.0 GB",
        )
    )
    shown = core_text(phrase("{target}: {exc}", target="local", exc=reason))
    assert shown == f"local: {core_text(reason)}"
    assert HANGUL.search(shown) and "Loading gemma" not in shown and "gemma" in shown


def test_text_that_is_no_message_is_left_alone(korean: None) -> None:
    for text in ("", "   ", "HTTP 500 Internal Server Error", "C:\\models\\smol.gguf", "{x}"):
        assert core_text(text) == text


def test_a_sentence_without_arguments_is_found_even_as_plain_text(korean: None) -> None:
    """A message that lost its type (a Qt signal carries plain text) is still looked up."""
    shown = core_text(str.__str__(phrase("The output is not valid JSON.")))
    assert HANGUL.search(shown)


def test_every_korean_translation_keeps_its_placeholders() -> None:
    """A translation that drops or renames a placeholder would show a wrong sentence."""
    broken = []
    for ts in sorted((REPO / "aurora_desktop" / "resources" / "i18n").glob("*.ko.ts")):
        for message in ET.parse(ts).getroot().iter("message"):
            source = message.findtext("source", "")
            translation = message.findtext("translation", "") or ""
            if not translation:
                continue
            if set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(translation)):
                broken.append(f"{ts.name}: {source!r} → {translation!r}")
    assert not broken, "\n".join(broken)
