"""The verifier's rules, each passing and failing, and specs that are refused when built."""

from __future__ import annotations

from typing import Any

import pytest

from aurora_desktop.core.cognition.repair import repair_messages
from aurora_desktop.core.cognition.verifier import VerifySpec, canonical_label, spec_for, verify
from aurora_desktop.core.contract import Message
from aurora_desktop.core.errors import RequestError

INTENTS = ("greeting", "question", "complaint")
KOREAN = ("인사", "질문", "불만")
INVOICE: dict[str, Any] = {
    "type": "object",
    "required": ["sender", "amount"],
    "properties": {
        "sender": {"type": "string"},
        "amount": {"type": "number", "minimum": 0},
        "currency": {"enum": ["EUR", "USD", "KRW"]},
        "items": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": False,
}

NO_REFUSAL = VerifySpec(no_refusal=True)
JSON = VerifySpec(json_schema=INVOICE)
CASES: list[tuple[str, VerifySpec, str, bool, str]] = [
    # (case, spec, output, ok, the check that decides it)
    ("non-empty passes", VerifySpec(), "hello", True, "non_empty"),
    ("empty fails", VerifySpec(), "  \n ", False, "non_empty"),
    ("empty allowed", VerifySpec(non_empty=False, max_chars=3), "", True, "chars"),
    ("regex found", VerifySpec(regex=r"\d{4}-\d{2}-\d{2}"), "due 2024-05-01.", True, "regex"),
    ("regex missing", VerifySpec(regex=r"^\d+$"), "twelve", False, "regex"),
    ("min chars met", VerifySpec(min_chars=5), "abcde", True, "chars"),
    ("min chars short", VerifySpec(min_chars=5), "abcd", False, "chars"),
    ("max chars met", VerifySpec(max_chars=5), " abcde ", True, "chars"),
    ("max chars over", VerifySpec(max_chars=5), "abcdef", False, "chars"),
    ("min words met", VerifySpec(min_words=2), "two words", True, "words"),
    ("min words short", VerifySpec(min_words=3), "two words", False, "words"),
    ("max words met", VerifySpec(max_words=3), "세 단어 요약", True, "words"),
    ("max words over", VerifySpec(max_words=3), "one two three four", False, "words"),
    ("label exact", VerifySpec(labels=INTENTS), "question", True, "label"),
    ("label quoted", VerifySpec(labels=INTENTS), ' "Question". ', True, "label"),
    ("label wrong", VerifySpec(labels=INTENTS), "praise", False, "label"),
    ("label in a sentence", VerifySpec(labels=INTENTS), "It is a question.", False, "label"),
    ("korean label", VerifySpec(labels=KOREAN), "질문", True, "label"),
    ("korean label quoted", VerifySpec(labels=KOREAN), "「불만」。", True, "label"),
    ("korean label wrong", VerifySpec(labels=KOREAN), "칭찬", False, "label"),
    ("refusal sorry", NO_REFUSAL, "I'm sorry, I can't help.", False, "no_refusal"),
    ("refusal curly", NO_REFUSAL, "I\u2019m unable to do that.", False, "no_refusal"),
    ("refusal as an AI", NO_REFUSAL, "As an AI, I have no view.", False, "no_refusal"),
    ("refusal cannot", NO_REFUSAL, "I cannot answer that.", False, "no_refusal"),
    ("refusal korean", NO_REFUSAL, "죄송합니다. 도와드릴 수 없습니다.", False, "no_refusal"),
    ("refusal korean cannot", NO_REFUSAL, "그건 답할 수 없어요", False, "no_refusal"),
    ("not a refusal", NO_REFUSAL, "The meeting is at noon.", True, "no_refusal"),
    ("json valid", JSON, '{"sender": "Ann", "amount": 12.5}', True, "json_schema"),
    ("json fenced", JSON, '```json\n{"sender": "Ann", "amount": 3}\n```', True, "json_schema"),
    ("json missing field", JSON, '{"sender": "Ann"}', False, "json_schema"),
    (
        "json bad enum",
        JSON,
        '{"sender": "A", "amount": 1, "currency": "GBP"}',
        False,
        "json_schema",
    ),
    ("json extra field", JSON, '{"sender": "A", "amount": 1, "x": 1}', False, "json_schema"),
    ("json nested wrong", JSON, '{"sender": "A", "amount": 1, "items": [1]}', False, "json_schema"),
    ("json negative", JSON, '{"sender": "A", "amount": -5}', False, "json_schema"),
    ("not json", JSON, "sender is Ann", False, "json_schema"),
    (
        "json quoting an apology is data",
        VerifySpec(json_schema=INVOICE, no_refusal=True),
        '{"sender": "I am sorry", "amount": 1}',
        True,
        "no_refusal",
    ),
    ("banned word list", VerifySpec(banned=("secret",)), "This is Secret.", False, "banned"),
    ("banned word absent", VerifySpec(banned=("secret",)), "secretary", True, "banned"),
    ("banned korean attached", VerifySpec(banned=("금지어",)), "금지어를 썼다", False, "banned"),
    ("banned by function", VerifySpec(banned=lambda t: ["x"] * ("x" in t)), "box", False, "banned"),
]


@pytest.mark.parametrize(
    ("spec", "output", "ok", "rule"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_rule(spec: VerifySpec, output: str, ok: bool, rule: str) -> None:
    verdict = verify(output, spec)
    decisive = [check for check in verdict.checks if check.name == rule]
    assert len(decisive) == 1, verdict.checks
    assert decisive[0].ok is ok, decisive[0]
    assert verdict.ok is all(check.ok for check in verdict.checks)
    if not ok:
        assert not verdict.ok
        assert decisive[0].detail.endswith(".") and len(decisive[0].detail) < 200
        assert rule in verdict.summary()


def test_label_value_is_the_canonical_spelling() -> None:
    assert verify("  'GREETING'.", VerifySpec(labels=INTENTS)).value == "greeting"
    assert verify("질문.", VerifySpec(labels=KOREAN)).value == "질문"
    assert verify("nope", VerifySpec(labels=INTENTS)).value is None
    assert canonical_label("Complaint", INTENTS) == "complaint"


def test_json_value_is_the_parsed_object() -> None:
    spec = spec_for("extract", json_schema=INVOICE)
    verdict = verify('{"sender": "Kim", "amount": 5000, "currency": "KRW"}', spec)
    assert verdict.ok and verdict.value == {"sender": "Kim", "amount": 5000, "currency": "KRW"}
    assert verdict.summary().startswith("passed")


def test_refusal_instead_of_a_label_fails_two_ways() -> None:
    verdict = verify("I'm sorry for your loss.", spec_for("intent", labels=INTENTS))
    assert not verdict.ok
    assert {c.name for c in verdict.failures} == {"no_refusal", "label"}


@pytest.mark.parametrize(
    ("task", "kwargs", "expect"),
    [
        ("intent", {"labels": INTENTS}, {"labels": INTENTS, "no_refusal": True}),
        ("classify", {"labels": KOREAN}, {"labels": KOREAN, "no_refusal": True}),
        ("extract", {"json_schema": INVOICE}, {"json_schema": INVOICE, "no_refusal": True}),
        ("extract", {}, {"json_schema": {"type": "object"}}),
        ("summarize", {"source": "x" * 500}, {"max_chars": 499, "non_empty": True}),
        ("short_summarize", {"source": "long text " * 50}, {"max_words": 60}),
        ("chat", {}, {"non_empty": True, "labels": None, "json_schema": None, "no_refusal": False}),
        ("generate_long", {}, {"non_empty": True, "max_words": None}),
    ],
)
def test_spec_for_each_task(task: str, kwargs: dict[str, Any], expect: dict[str, Any]) -> None:
    spec = spec_for(task, **kwargs)
    for name, value in expect.items():
        assert getattr(spec, name) == value, name


def test_summary_must_be_shorter_than_its_source() -> None:
    source = "The quarterly report shows revenue grew by ten percent while costs fell."
    spec = spec_for("summarize", source=source)
    assert verify("Revenue grew ten percent; costs fell.", spec).ok
    assert not verify(source + " Indeed.", spec).ok
    assert not verify("", spec).ok


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"regex": "(unclosed"}, "not a valid regex"),
        ({"json_schema": {"type": "strnig"}}, "JSON Schema is invalid"),
        ({"json_schema": {"required": "sender"}}, "JSON Schema is invalid"),
        ({"min_chars": 10, "max_chars": 5}, "above the maximum"),
        ({"min_words": -1}, "cannot be negative"),
        ({"labels": ()}, "at least one label"),
        ({"labels": ("yes", " ")}, "no label may be blank"),
        ({"labels": ("Yes", "yes")}, "same label twice"),
    ],
)
def test_invalid_specs_fail_when_built(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(RequestError, match=message):
        VerifySpec(**kwargs)


def test_repair_prompt_names_the_problem_and_stays_bounded() -> None:
    question = (Message("system", "Classify."), Message("user", "Where is my parcel?"))
    spec = spec_for("intent", labels=INTENTS)
    rambling = "I'm sorry to hear that. " * 200
    verdict = verify(rambling, spec)
    repaired = repair_messages(question, rambling, verdict, spec)
    assert repaired[:2] == question
    assert [m.role for m in repaired[2:]] == ["assistant", "user"]
    assert len(repaired[2].content) <= 400
    ask = repaired[3].content
    assert "refuses or apologises" in ask and "greeting, question, complaint" in ask
    assert len(ask) < 1200

    schema_spec = spec_for("extract", json_schema=INVOICE)
    broken = repair_messages(question, "", verify("", schema_spec), schema_spec)
    assert [m.role for m in broken[2:]] == ["user"]  # nothing to echo back
    assert "The output is empty." in broken[2].content and '"sender"' in broken[2].content

    summary_spec = spec_for("short_summarize", source="text " * 100)
    too_long = verify("word " * 80, summary_spec)
    again = repair_messages(question, "word " * 80, too_long, summary_spec)[-1].content
    assert "at most 60 words" in again and "80 words" in again


SOURCE = (
    "A car maker is recalling 12,000 electric scooters sold in Europe after reports that "
    "the battery can overheat while charging."
)


@pytest.mark.parametrize(
    ("summary", "ok"),
    [
        ("A car maker recalls 12,000 scooters because the battery can overheat.", True),
        ("I'm ready to help. What's your question?", False),
        ("Here is a poem about the ocean and the stars at night.", False),
    ],
)
def test_a_summary_must_be_grounded_in_its_source(summary: str, ok: bool) -> None:
    verdict = verify(summary, spec_for("summarize", source=SOURCE))
    grounded = next(c for c in verdict.checks if c.name == "grounded")
    assert grounded.ok is ok and verdict.ok is ok
