"""Cognition: rule checks on outputs, grammars for constrained decoding, repair, planning."""

from aurora_desktop.core.cognition.grammar import (
    check_grammar,
    gbnf_literal,
    labels_grammar,
    schema_grammar,
    steps_grammar,
)
from aurora_desktop.core.cognition.planner import (
    Plan,
    PlanEvent,
    PlannedAnswer,
    Planner,
    StepResult,
    assemble,
    parse_steps,
)
from aurora_desktop.core.cognition.repair import repair_messages
from aurora_desktop.core.cognition.verifier import (
    Check,
    Verdict,
    VerifySpec,
    canonical_label,
    check_json_schema,
    spec_for,
    verify,
)

__all__ = [
    "Check",
    "Plan",
    "PlanEvent",
    "PlannedAnswer",
    "Planner",
    "StepResult",
    "Verdict",
    "VerifySpec",
    "assemble",
    "canonical_label",
    "check_grammar",
    "check_json_schema",
    "gbnf_literal",
    "labels_grammar",
    "parse_steps",
    "repair_messages",
    "schema_grammar",
    "spec_for",
    "steps_grammar",
    "verify",
]
