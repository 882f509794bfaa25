"""The intent classifier's pure parts and the label file: table-driven, no model."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from aurora_desktop.core.cognition.intent import (
    bigram_similarity,
    embedding_verdict,
    few_shot_prompt,
    instruction_head,
    reads_latin,
)
from aurora_desktop.core.cognition.labelsets import LabelSet, LabelSetsFile, parse_label_sets
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.resources import resource_path

SHIPPED = resource_path("cognition/labels.json")


@pytest.mark.parametrize(
    ("scores", "label", "why"),
    [
        ({"a": 0.80, "b": 0.30}, "a", ""),
        ({"a": 0.21, "b": 0.01}, None, "best similarity 0.21 < 0.22"),
        ({"a": 0.70, "b": 0.63}, None, "a and b are within 0.08"),
        ({"a": 0.30, "b": 0.21}, "a", ""),
        ({"a": 0.50}, "a", ""),
        ({}, None, "no label has examples"),
        ({"b": 0.60, "a": 0.90, "c": 0.20}, "a", ""),
    ],
)
def test_embedding_verdict(scores: dict[str, float], label: str | None, why: str) -> None:
    assert embedding_verdict(scores) == (label, why)


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("Hi there!", True),
        ("안녕하세요", False),
        ("Hello 안녕하세요 반가워요", False),
        ("My order 주문 is late again today", True),
        ("1234 !!", True),
    ],
)
def test_reads_latin(text: str, latin: bool) -> None:
    assert reads_latin(text) is latin


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("Summarize this for me: The library will close in March.", "Summarize this for me:"),
        ("Plan a trip to Jeju. We are two people.", "Plan a trip to Jeju."),
        ("Translate\nhello world", "Translate"),
        ("word " * 30, " ".join(["word"] * 20)),
    ],
)
def test_instruction_head(text: str, head: str) -> None:
    assert instruction_head(text) == head


def test_bigram_similarity() -> None:
    assert bigram_similarity("카드 결제가 두 번 됐어요", "카드가 두 번 결제됐어요") > 0.5
    assert bigram_similarity("카드 결제가 두 번 됐어요", "택배가 아직 안 왔어요") < 0.2
    assert bigram_similarity("abc", "abc") == pytest.approx(1.0)
    assert bigram_similarity("", "abc") == 0.0


def test_few_shot_prompt_puts_every_label_and_the_nearest_example_last() -> None:
    labels = LabelSet(
        "support",
        "",
        {
            "billing": ("I was charged twice", "카드가 두 번 결제됐어요", "환불 받을 수 있나요?"),
            "shipping": (
                "Where is my parcel?",
                "택배가 아직 안 왔어요",
                "배송 주소를 바꾸고 싶어요",
            ),
        },
    )
    prompt = few_shot_prompt(labels, "택배가 아직 도착하지 않았어요")
    lines = prompt.splitlines()
    assert lines[0] == "Classify each message as one of: billing, shipping."
    assert lines[-2:] == ["Message: 택배가 아직 도착하지 않았어요", "Label:"]
    assert lines[-5:-3] == ["Message: 택배가 아직 안 왔어요", "Label: shipping"]
    shown = [line for line in lines if line.startswith("Message: ")][:-1]
    assert len(shown) == 4 and all(not reads_latin(line) for line in shown)  # same script first
    assert prompt.count("Label: billing") == 2 and prompt.count("Label: shipping") == 2


def test_shipped_label_file_is_valid_and_covers_korean() -> None:
    sets = parse_label_sets(json.loads(SHIPPED.read_text(encoding="utf-8")))
    assert set(sets.sets) >= {"task", "intent", "support", "sentiment"}
    for label_set in sets.sets.values():
        for label, examples in label_set.examples.items():
            assert any(not reads_latin(e) for e in examples), (label_set.name, label)


def test_adhoc_labels_borrow_examples_from_every_set() -> None:
    sets = parse_label_sets(json.loads(SHIPPED.read_text(encoding="utf-8")))
    adhoc = sets.adhoc(("Billing", "made-up"))
    assert "I was charged twice this month" in adhoc.examples["Billing"]
    assert adhoc.examples["made-up"] == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": 1, "sets": {}}, "sets"),
        ({"version": 1, "sets": {"task": {"labels": {"intent": ["hi"]}}}}, "sets/task/labels"),
        (
            {"version": 1, "sets": {"task": {"labels": {"intent": ["hi"], "dance": ["x"]}}}},
            "only use task names",
        ),
        ({"version": 2, "sets": {"task": {"labels": {}}}}, "version"),
    ],
)
def test_invalid_label_files_are_refused(data: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_label_sets(data)


def test_a_bad_edit_keeps_the_last_good_sets(tmp_path: Path) -> None:
    path = tmp_path / "labels.json"
    live = LabelSetsFile(path, SHIPPED)
    assert "greeting" in live.current().get("intent").labels  # created from the shipped file
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sets"]["mood"] = {"labels": {"happy": ["yay"], "sad": ["meh"]}}
    path.write_text(json.dumps(data), encoding="utf-8")
    assert live.current().get("mood").labels == ("happy", "sad") and live.last_error is None
    path.write_text("{broken", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a new stamp even within the same clock tick
    assert live.current().get("mood").labels == ("happy", "sad")
    assert live.last_error and "last valid label sets stay in force" in live.last_error
    with pytest.raises(ConfigError, match="no label set 'nope'"):
        live.current().get("nope")
