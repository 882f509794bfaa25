"""The sentences the core writes are shown in the UI language: ui/core_text.py recognises
them by the templates installer/core_phrases.py collects from the core's source."""

from __future__ import annotations

import importlib.util
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.routing.policy import default_policy_text, parse_policy
from aurora_desktop.core.routing.router import RouteFeatures, route
from aurora_desktop.core.settings import SettingsFile
from aurora_desktop.ui.core_phrases import TEMPLATES
from aurora_desktop.ui.core_text import compile_template, core_text, patterns
from aurora_desktop.ui.i18n import LanguageManager

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("core_phrases", REPO / "installer/core_phrases.py")
assert _spec is not None and _spec.loader is not None
core_phrases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(core_phrases)

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


def test_the_collected_templates_are_current() -> None:
    generated = core_phrases.TARGET.read_text(encoding="utf-8")
    assert generated == core_phrases.render(core_phrases.collect()), (
        "aurora_desktop/ui/core_phrases.py is out of date: run installer/translations.py update"
    )


def test_the_core_sentences_are_collected() -> None:
    """Errors are collected by themselves; reasons, checks and events through phrase()."""
    assert len(TEMPLATES) > 300
    for template in (
        "No rule matched ({facts_values}), so the default target {policy_default_target} applies.",
        "{slot_name} is loaded.",
        "The output is not valid JSON.",
        "There is no setting called {join_unknown}; known settings: {join_sorted_FIELDS}.",
    ):
        assert template in TEMPLATES


def test_every_template_compiles_to_a_pattern() -> None:
    assert len(patterns()) == len(set(TEMPLATES))


def test_a_template_matches_only_its_own_sentences() -> None:
    pattern = compile_template("{name} was unloaded after {name} failed ({cause}).")
    found = pattern.regex.fullmatch("gemma was unloaded after gemma failed (out of memory).")
    assert found is not None and found.groupdict() == {"name": "gemma", "cause": "out of memory"}
    assert pattern.regex.fullmatch("gemma was unloaded after smol failed (x).") is None
    assert pattern.regex.fullmatch("gemma was unloaded.") is None


def test_english_is_shown_as_the_core_wrote_it(qapp: QApplication) -> None:
    why = _no_rule_why()
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
    message = str(caught.value)
    shown = core_text(message)
    assert HANGUL.search(shown) and "colour" in shown, shown
    assert "There is no setting" not in shown


def test_a_sentence_inside_a_sentence_is_translated_too(korean: None) -> None:
    why = _no_rule_why()
    composed = f"{why} Stopped before it finished; not checked."
    shown = core_text(composed)
    assert shown.startswith(core_text(why))  # the inner reason, translated on its own
    assert "Stopped before" not in shown and "No rule matched" not in shown


def test_text_that_fits_no_template_is_left_alone(korean: None) -> None:
    for text in ("", "   ", "HTTP 500 Internal Server Error", "C:\\models\\smol.gguf"):
        assert core_text(text) == text


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


def test_the_reading_that_explains_most_of_the_text_wins(korean: None) -> None:
    """A fallback hop "local: <reason>" also fits a provider's "{name} {what}; {advice}.";
    the reading whose parts are core sentences too is chosen."""
    reason = (
        "Loading gemma needs 3.2 GB but only 1.0 GB is free, and every loaded model is in use "
        "or pinned; close other programs or unpin a model."
    )
    shown = core_text(f"local: {reason}")
    assert shown == f"local: {core_text(reason)}"
    assert HANGUL.search(shown) and "Loading gemma" not in shown
