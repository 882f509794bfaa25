"""The planner with a scripted `generate`: steps parsed, each run, answers assembled."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from aurora_desktop.core.cognition.planner import PlanEvent, Planner, parse_steps
from aurora_desktop.core.contract import Message, Request, Response
from aurora_desktop.core.engines.base import Constraint
from aurora_desktop.core.errors import CancelledError, PolicyDenied, RequestError

GOAL = "Write a short guide to brewing green tea."


class Scripted:
    """Answers the planning call with `plan_text` and step n with "answer n"; records calls."""

    def __init__(self, plan_text: str, *, target: str = "local") -> None:
        self.plan_text = plan_text
        self.target = target
        self.calls: list[tuple[Request, Constraint]] = []
        self.before_step: Callable[[int], None] = lambda n: None

    def __call__(self, request: Request, constraint: Constraint) -> Response:
        self.calls.append((request, constraint))
        if len(self.calls) == 1:
            text = self.plan_text
        else:
            self.before_step(len(self.calls) - 1)
            text = f" answer {len(self.calls) - 1} "
        return Response(
            request_id=request.request_id,
            text=text,
            target=self.target,  # type: ignore[arg-type]
            engine="scripted",
            model="tiny",
            rule=None,
            why="scripted.",
            tokens_in=10,
            tokens_out=5,
            ttft_ms=1.0,
            latency_ms=20.0,
            tok_s=250.0,
            load_ms=0.0,
            finish_reason="stop",
            fallbacks=("retry",) if len(self.calls) == 2 else (),
        )


def request(**changes: object) -> Request:
    options: dict[str, object] = {
        "task": "generate_long",
        "max_tokens": 600,
        "risk": "high",
        "model": "local://smollm2",
        "slo_ms": 9000,
    }
    options.update(changes)
    return Request(
        messages=(Message("system", "Be concise."), Message("user", GOAL)),
        **options,  # type: ignore[arg-type]
    )


def test_steps_are_planned_under_a_grammar_run_and_assembled() -> None:
    generate = Scripted("1. Pick the tea\n2. Heat water to 80 C\n3. Steep two minutes")
    events: list[PlanEvent] = []
    answer = Planner(generate, max_steps=5).run(request(), on_step=events.append)

    plan_request, plan_constraint = generate.calls[0]
    assert plan_constraint.grammar is not None and '"\\n5. " line' in plan_constraint.grammar
    assert plan_request.messages[-1].content == GOAL
    assert answer.plan.steps == ("Pick the tea", "Heat water to 80 C", "Steep two minutes")
    assert not answer.plan.fallback
    assert len(generate.calls) == 4
    for number, (step, constraint) in enumerate(generate.calls[1:], start=1):
        assert constraint.grammar is None
        assert f"step {number} only" in step.prompt and GOAL in step.prompt
        assert step.messages[0] == Message("system", "Be concise.")
        assert step.max_tokens == 200
    assert answer.text == (
        "## 1. Pick the tea\n\nanswer 1\n\n## 2. Heat water to 80 C\n\nanswer 2\n\n"
        "## 3. Steep two minutes\n\nanswer 3"
    )
    assert [(s.index, s.answer, s.target, s.model) for s in answer.steps] == [
        (1, "answer 1", "local", "tiny"),
        (2, "answer 2", "local", "tiny"),
        (3, "answer 3", "local", "tiny"),
    ]
    assert (answer.tokens_in, answer.tokens_out, answer.latency_ms) == (40, 20, 80.0)
    assert [e.kind for e in events] == ["planned"] + ["step_started", "step_done"] * 3
    assert str(events[0]).startswith("Plan: 1. Pick the tea; 2. Heat")
    assert str(events[2]) == "Step 1 of 3 done on local (tiny, 5 tokens, 20 ms)."

    whole = answer.response()
    assert whole.text == answer.text and whole.target == "local"
    assert (whole.tokens_out, whole.latency_ms, whole.fallbacks) == (20, 80.0, ("retry",))
    assert "3 planned steps" in whole.why


def test_every_call_keeps_the_requests_risk_model_and_slo() -> None:
    generate = Scripted("1. First part here\n2. Second part here")
    original = request()
    Planner(generate).run(original)
    for sent, _ in generate.calls:
        assert (sent.risk, sent.model, sent.slo_ms, sent.task) == (
            "high",
            "local://smollm2",
            9000,
            "generate_long",
        )
    ids = [sent.request_id for sent, _ in generate.calls]
    assert ids == [f"{original.request_id}-plan", *(f"{original.request_id}-s{n}" for n in (1, 2))]


@pytest.mark.parametrize(
    "plan_text",
    [
        "",
        "I'm sorry, I cannot plan this.",
        "1. Do it",
        "1. Same step\n2. same step!",
        "1. ok\n2. ab",
    ],
    ids=["empty", "prose", "one step", "duplicates", "too short"],
)
def test_an_unusable_list_falls_back_to_one_step(plan_text: str) -> None:
    generate = Scripted(plan_text)
    original = request()
    answer = Planner(generate).run(original)
    assert answer.plan.fallback and answer.plan.steps == (GOAL,)
    assert len(generate.calls) == 2
    assert generate.calls[1][0] is original  # the request itself, unchanged
    assert answer.text == "answer 1"
    assert "one step" in answer.response().why


def test_a_cloud_step_marks_the_whole_answer_as_cloud() -> None:
    answer = Planner(Scripted("1. One thing\n2. Two things", target="cloud")).run(request())
    assert answer.targets == ("cloud", "cloud", "cloud")
    assert answer.response().target == "cloud"


def test_cancel_between_steps_stops_the_plan() -> None:
    cancel = threading.Event()
    generate = Scripted("1. Alpha step\n2. Beta step\n3. Gamma step")
    generate.before_step = lambda n: cancel.set() if n == 2 else None
    answer = Planner(generate).run(request(), cancel=cancel)
    assert len(generate.calls) == 3  # the plan, step 1, step 2; never step 3
    assert answer.stopped and len(answer.steps) == 2  # what was written is kept
    assert answer.response().finish_reason == "cancelled"


def test_cancel_before_planning_runs_nothing() -> None:
    cancel = threading.Event()
    cancel.set()
    generate = Scripted("1. a b c\n2. d e f")
    with pytest.raises(CancelledError, match="before planning"):
        Planner(generate).run(request(), cancel=cancel)
    assert generate.calls == []


def test_a_policy_refusal_in_a_step_reaches_the_caller() -> None:
    def refuse(request: Request, constraint: Constraint) -> Response:
        raise PolicyDenied("High-risk requests stay on this device.")

    with pytest.raises(PolicyDenied, match="stay on this device"):
        Planner(refuse).run(request())


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        ("1. Alpha\n2) Beta\n3: Gamma", ("Alpha", "Beta", "Gamma")),
        ("Here is the plan:\n- Alpha\n* Beta\n• Gamma\nThanks", ("Alpha", "Beta", "Gamma")),
        ("1. One\n2. Two\n3. Three\n4. Four", ("One", "Two", "Three")),
        ("1. Alpha\n2. alpha.\n3. Beta", ("Alpha", "Beta")),
        ("no list at all", ()),
    ],
)
def test_parse_steps(text: str, steps: tuple[str, ...]) -> None:
    assert parse_steps(text, 3) == steps


def test_small_budgets_and_bad_settings() -> None:
    generate = Scripted("1. Alpha step\n2. Beta step\n3. Gamma step")
    Planner(generate).run(request(max_tokens=30))
    assert all(sent.max_tokens == 30 for sent, _ in generate.calls[1:])
    with pytest.raises(RequestError, match="between 2 and 12"):
        Planner(generate, max_steps=1)
