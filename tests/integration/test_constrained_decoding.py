"""Grammar-constrained decoding with the real SmolLM2 through `LlamaCppEngine`.

A 135M model ignores "answer with one label" and writes loose JSON; under a grammar it can
only produce a label of the set, or JSON that the schema accepts.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aurora_desktop.core.cognition.grammar import labels_grammar, schema_grammar
from aurora_desktop.core.cognition.verifier import VerifySpec, spec_for, verify
from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.base import Constraint
from aurora_desktop.core.engines.llama_inproc import LlamaCppEngine
from tests.support.extract_corpus import CORPUS, INVOICE_SCHEMA, field_matches

pytestmark = [pytest.mark.integration, pytest.mark.model]
LABELS = ("greeting", "question", "complaint", "request")
KOREAN_LABELS = ("인사", "질문", "불만", "요청")
UTTERANCES = (
    ("Hi there, good morning!", LABELS),
    ("What time does the store open on Sunday?", LABELS),
    ("My parcel arrived broken and nobody answers the phone.", LABELS),
    ("Please send me a copy of last month's invoice.", LABELS),
    ("안녕하세요, 반갑습니다!", KOREAN_LABELS),
    ("환불은 언제 처리되나요?", KOREAN_LABELS),
    ("배송이 너무 늦어서 정말 화가 납니다.", KOREAN_LABELS),
    ("회의실 예약 좀 부탁드립니다.", KOREAN_LABELS),
)
EXTRACT_SYSTEM = (
    "Copy the facts from the message into JSON: sender is the name after From:, date is the "
    "Date: line, amount is the total price, currency is its code, items are the things bought."
)
MAX_JSON_TOKENS = 480  # above the longest output the schema's grammar admits, so none is cut
FIELD_FLOOR = 0.5  # share of fields right over the corpus (observed here: see the print)


@pytest.fixture
def engine(default_llm_file: Path) -> Iterator[LlamaCppEngine]:
    # One thread: no spinning barrier between threads, so other busy processes slow it
    # down in proportion instead of stalling it.
    engine = LlamaCppEngine(
        default_llm_file, model_name="SmolLM2-135M-Instruct", n_threads=1, n_ctx=1024
    )
    engine.load().result(timeout=240)
    yield engine
    assert engine.close(timeout=30)


def test_label_grammar_always_yields_one_of_the_labels(engine: LlamaCppEngine) -> None:
    timings: list[float] = []
    for text, labels in UTTERANCES:
        ask = (
            Message("system", f"Classify the message. Labels: {', '.join(labels)}."),
            Message("user", text),
        )
        started = time.perf_counter()
        result = engine.generate(
            ask,
            max_tokens=16,
            temperature=0.0,
            constraint=Constraint(grammar=labels_grammar(labels)),
        ).result(timeout=240)
        timings.append((time.perf_counter() - started) * 1000.0)
        verdict = verify(result.text, spec_for("classify", labels=labels))
        assert verdict.ok, (text, result.text, verdict.summary())
        assert verdict.value == result.text
        assert result.finish_reason == "stop"
    print(
        f"\nlabel grammar: {len(UTTERANCES)}/{len(UTTERANCES)} valid; "
        f"median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms per label"
    )


def test_json_extraction_is_schema_valid_on_every_case(engine: LlamaCppEngine) -> None:
    grammar = schema_grammar(INVOICE_SCHEMA)
    spec = VerifySpec(json_schema=INVOICE_SCHEMA, no_refusal=True)
    valid = 0
    right = 0
    per_field: dict[str, int] = {}
    timings: list[float] = []
    for case in CORPUS:
        ask = (Message("system", EXTRACT_SYSTEM), Message("user", case.text))
        started = time.perf_counter()
        result = engine.generate(
            ask, max_tokens=MAX_JSON_TOKENS, temperature=0.0, constraint=Constraint(grammar=grammar)
        ).result(timeout=240)
        timings.append((time.perf_counter() - started) * 1000.0)
        verdict = verify(result.text, spec)
        assert verdict.ok, (case.text, result.text, verdict.summary())
        assert result.finish_reason == "stop", result.text  # finished, not cut off
        assert verdict.value == json.loads(result.text)
        valid += 1
        matches = field_matches(case, verdict.value)
        right += sum(matches.values())
        for name, ok in matches.items():
            per_field[name] = per_field.get(name, 0) + ok
    total = len(CORPUS) * 5
    print(
        f"\nextraction: {valid}/{len(CORPUS)} schema-valid; fields right {right}/{total} "
        f"({right / total:.0%}); by field {per_field}; "
        f"median {statistics.median(timings):.0f} ms per message"
    )
    assert valid == len(CORPUS) >= 10
    assert right / total >= FIELD_FLOOR
