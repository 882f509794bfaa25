"""Grammars for constrained decoding: they parse in llama.cpp, and force exactly what they say."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from llama_cpp import LlamaGrammar

from aurora_desktop.core.cognition.grammar import (
    check_grammar,
    gbnf_literal,
    labels_grammar,
    schema_grammar,
    steps_grammar,
)
from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.base import Constraint
from aurora_desktop.core.engines.llama_inproc import LlamaCppEngine
from aurora_desktop.core.errors import RequestError

ODD_LABELS = ('say "hi"', "back\\slash", "tab\there", "질문", "불만 사항", "😀 happy", "naïve")
ORDER: dict[str, Any] = {
    "type": "object",
    "required": ["customer", "lines", "status"],
    "properties": {
        "customer": {
            "type": "object",
            "required": ["name"],
            "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
        },
        "lines": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["sku", "qty"],
                "properties": {
                    "sku": {"type": "string", "maxLength": 12},
                    "qty": {"type": "integer"},
                },
            },
        },
        "status": {"enum": ["open", "paid", "shipped"]},
        "placed": {"type": "string", "format": "date"},
        "note": {"type": ["string", "null"]},
    },
}


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("plain", '"plain"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("a\\b", '"a\\\\b"'),
        ("line\nbreak\r\t", '"line\\nbreak\\r\\t"'),
        ("\x01", '"\\u0001"'),
        ("질문", '"\\uC9C8\\uBB38"'),
        ("😀", '"\\U0001F600"'),
    ],
)
def test_literals_escape_quotes_backslashes_and_non_ascii(text: str, literal: str) -> None:
    assert gbnf_literal(text) == literal


@pytest.mark.parametrize(
    "labels",
    [("greeting", "question", "complaint"), ("인사", "질문", "불만"), ODD_LABELS, ("only",)],
    ids=["english", "korean", "odd", "single"],
)
def test_label_grammars_parse_in_llama_cpp(labels: tuple[str, ...]) -> None:
    grammar = labels_grammar(labels)
    check_grammar(grammar)
    assert LlamaGrammar.from_string(grammar, verbose=False)._grammar == grammar
    assert grammar.startswith("root ::= ") and grammar.count(" | ") == len(labels) - 1


def test_label_grammar_normalises_and_deduplicates() -> None:
    decomposed = "\u1100\u1161"  # 가 typed as two jamo
    assert labels_grammar([decomposed, "가", " 가 "]) == f"root ::= {gbnf_literal('가')}\n"


@pytest.mark.parametrize("labels", [(), ("ok", "  ")])
def test_label_grammar_refuses_empty_or_blank_labels(labels: tuple[str, ...]) -> None:
    with pytest.raises(RequestError, match="label"):
        labels_grammar(labels)


@pytest.mark.parametrize("steps", [2, 3, 5, 12])
def test_step_grammars_parse(steps: int) -> None:
    grammar = steps_grammar(steps)
    check_grammar(grammar)
    assert f'"\\n{steps}. " line' in grammar
    assert f'"\\n{steps + 1}. "' not in grammar


@pytest.mark.parametrize(("low", "high"), [(3, 2), (0, 4), (2, 21)])
def test_step_grammar_refuses_bad_bounds(low: int, high: int) -> None:
    with pytest.raises(RequestError, match="steps"):
        steps_grammar(high, min_steps=low)


def test_schema_grammar_covers_nested_objects_arrays_enums_and_required() -> None:
    grammar = schema_grammar(ORDER)
    check_grammar(grammar)
    for piece in ('"\\"customer\\""', '"\\"lines\\""', '"\\"open\\""', '"\\"shipped\\""'):
        assert piece in grammar
    assert "char*" not in grammar  # every free string got a length cap
    assert "date-string" in grammar


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"not": {"type": "string"}}, "cannot be turned into an output grammar"),
        ({"$ref": "https://example.com/schema.json"}, "cannot be turned into an output grammar"),
        ({"type": "string", "pattern": "abc"}, "cannot be turned into an output grammar"),
        ({"type": "strnig"}, "JSON Schema is invalid"),
    ],
)
def test_schema_that_cannot_be_converted_is_a_request_error(
    schema: dict[str, Any], message: str
) -> None:
    with pytest.raises(RequestError, match=message):
        schema_grammar(schema)


def test_broken_gbnf_is_refused() -> None:
    with pytest.raises(RequestError, match="does not parse"):
        check_grammar('root ::= "unterminated')
    with pytest.raises(RequestError, match="does not parse"):
        check_grammar('start ::= "no root rule"')


# -- the real model, forced through each grammar ------------------------------------------


@pytest.fixture
def engine(default_llm_file: Path) -> Iterator[LlamaCppEngine]:
    # One thread: no spinning barrier between threads, so other busy processes slow it
    # down in proportion instead of stalling it.
    engine = LlamaCppEngine(
        default_llm_file, model_name="SmolLM2-135M-Instruct", n_threads=1, n_ctx=512
    )
    engine.load().result(timeout=240)
    yield engine
    assert engine.close(timeout=30)


@pytest.mark.model
def test_a_single_label_grammar_forces_that_exact_text(engine: LlamaCppEngine) -> None:
    """Escapes decode to the very characters: quotes, backslash, tab, Hangul, emoji."""
    ask = (Message("user", "Answer with a label."),)
    for label in ODD_LABELS:
        constraint = Constraint(grammar=labels_grammar([label]))
        result = engine.generate(ask, max_tokens=24, temperature=0.0, constraint=constraint)
        assert result.result(timeout=240).text == label


@pytest.mark.model
def test_schema_grammar_output_validates(engine: LlamaCppEngine) -> None:
    ask = (Message("user", "Order from Ann Lee: two of SKU A-100, paid on 2024-03-05. As JSON."),)
    constraint = Constraint(grammar=schema_grammar(ORDER))
    result = engine.generate(ask, max_tokens=400, temperature=0.0, constraint=constraint)
    jsonschema.validate(json.loads(result.result(timeout=240).text), ORDER)
