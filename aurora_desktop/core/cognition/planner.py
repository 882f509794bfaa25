"""The planner for `plan` and `generate_long`: ask for steps, run each, assemble the answer.

Every call (the plan and each step) goes through the caller's `generate`, the full policy
pipeline, with the original request's risk, model and slo, so a high-risk plan never leaves
the machine. `generate` must run one generation and never plan again itself. The step list
is grammar-constrained on local models, so even a 135M model gives a usable list; when it
does not, the whole request becomes the single step.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from aurora_desktop.core.cognition.grammar import STEP_CHARS, steps_grammar
from aurora_desktop.core.contract import Message, Request, Response
from aurora_desktop.core.engines.base import NO_CONSTRAINT, Constraint
from aurora_desktop.core.errors import CancelledError, RequestError
from aurora_desktop.core.text import phrase

Generate = Callable[[Request, Constraint], Response]
PLAN_TOKENS_PER_STEP = 28
MIN_STEP_TOKENS = 48
PLAN_TEMPERATURE = 0.2
NUMBERED = re.compile(r"^\s*(?:\d{1,2}\s*[.):]|[-*•])\s*(.+?)\s*$")
PLAN_SYSTEM = (
    "Split the user's task into {low} to {high} short steps that together complete it. "
    "Reply with a numbered list, one step per line, and nothing else."
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    goal: str
    steps: tuple[str, ...]
    fallback: bool = False  # the model's list was unusable: the whole request is one step
    response: Response | None = None  # the planning call, when there was one


@dataclass(frozen=True, slots=True, kw_only=True)
class StepResult:
    index: int  # from 1
    text: str  # the step as planned
    answer: str
    target: str
    model: str
    tokens_in: int
    tokens_out: int
    latency_ms: float
    response: Response = field(repr=False, compare=False)

    @classmethod
    def of(cls, index: int, text: str, response: Response) -> StepResult:
        return cls(
            index=index,
            text=text,
            answer=response.text.strip(),
            target=response.target,
            model=response.model,
            tokens_in=response.tokens_in,
            tokens_out=response.tokens_out,
            latency_ms=response.latency_ms,
            response=response,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanEvent:
    kind: Literal["planned", "step_started", "step_done"]
    plan: Plan
    index: int = 0  # the step, from 1; 0 for "planned"
    step: StepResult | None = None  # set on "step_done"

    def __str__(self) -> str:
        total = len(self.plan.steps)
        if self.kind == "planned":
            if self.plan.fallback:
                return phrase("Plan: no usable step list, so the request runs as one step.")
            listed = "; ".join(f"{n}. {s}" for n, s in enumerate(self.plan.steps, 1))
            return phrase("Plan: {listed}", listed=listed)
        if self.step is None:
            return phrase(
                "Step {index} of {total}: {plan_steps_index_1}",
                index=self.index,
                total=total,
                plan_steps_index_1=self.plan.steps[self.index - 1],
            )
        step = self.step
        return phrase(
            "Step {index} of {total} done on {step_target} ({step_model}, "
            "{step_tokens_out} tokens, {step_latency_ms} ms).",
            index=self.index,
            total=total,
            step_target=step.target,
            step_model=step.model,
            step_tokens_out=step.tokens_out,
            step_latency_ms=format(step.latency_ms, ".0f"),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedAnswer:
    text: str
    plan: Plan
    steps: tuple[StepResult, ...]
    tokens_in: int  # totals over the planning call and every step
    tokens_out: int
    latency_ms: float
    stopped: bool = False  # the user stopped it; `steps` holds what was written until then

    @property
    def targets(self) -> tuple[str, ...]:
        """Where each call ran, the planning call first."""
        first = (self.plan.response.target,) if self.plan.response is not None else ()
        return first + tuple(step.target for step in self.steps)

    def response(self) -> Response:
        """One Response for the whole answer: totals, and "cloud" if any call left the machine."""
        last = self.steps[-1].response
        seconds = self.latency_ms / 1000.0
        fallbacks = tuple(dict.fromkeys(f for s in self.steps for f in s.response.fallbacks))
        shown = (
            phrase("one step")
            if self.plan.fallback
            else phrase("{len_steps} planned steps", len_steps=len(self.steps))
        )
        return last.with_changes(
            text=self.text,
            target="cloud" if "cloud" in self.targets else "local",
            why=phrase("{last_why} Answered in {shown}.", last_why=last.why, shown=shown)
            if last.why
            else phrase("Answered in {shown}.", shown=shown),
            tokens_in=self.tokens_in,
            tokens_out=self.tokens_out,
            latency_ms=self.latency_ms,
            tok_s=self.tokens_out / seconds if seconds > 0 else 0.0,
            fallbacks=fallbacks,
            finish_reason="cancelled" if self.stopped else last.finish_reason,
            bytes_sent=sum(s.response.bytes_sent for s in self.steps)
            + (self.plan.response.bytes_sent if self.plan.response is not None else 0),
        )


class Planner:
    """Plans and runs a request in steps through `generate`."""

    def __init__(self, generate: Generate, *, max_steps: int = 5) -> None:
        if not 2 <= max_steps <= 12:
            raise RequestError(phrase("A planner runs between 2 and 12 steps."))
        self._generate = generate
        self.max_steps = max_steps

    def plan(self, request: Request) -> Plan:
        goal = request.prompt.strip()
        system = PLAN_SYSTEM.format(low=2, high=self.max_steps)
        asking = replace(
            request,
            messages=(Message("system", system), Message("user", goal)),
            max_tokens=PLAN_TOKENS_PER_STEP * self.max_steps,
            temperature=min(request.temperature, PLAN_TEMPERATURE),
            request_id=f"{request.request_id}-plan",
        )
        response = self._generate(asking, Constraint(grammar=steps_grammar(self.max_steps)))
        steps = parse_steps(response.text, self.max_steps)
        if len(steps) < 2:
            return Plan(goal=goal, steps=(goal,), fallback=True, response=response)
        return Plan(goal=goal, steps=steps, response=response)

    def run(
        self,
        request: Request,
        *,
        on_step: Callable[[PlanEvent], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> PlannedAnswer:
        emit = on_step or (lambda event: None)
        _stop_if(cancel, phrase("before planning"))
        plan = self.plan(request)
        emit(PlanEvent(kind="planned", plan=plan))
        results: list[StepResult] = []
        stopped = False
        for index, step in enumerate(plan.steps, start=1):
            if results and cancel is not None and cancel.is_set():
                stopped = True  # keep what was written so far
                break
            _stop_if(
                cancel,
                phrase(
                    "after {index_1} of {len_plan_steps} planned steps",
                    index_1=index - 1,
                    len_plan_steps=len(plan.steps),
                ),
            )
            emit(PlanEvent(kind="step_started", plan=plan, index=index))
            asking = request if plan.fallback else _step_request(request, plan, index)
            response = self._generate(asking, NO_CONSTRAINT)
            result = StepResult.of(index, step, response)
            results.append(result)
            emit(PlanEvent(kind="step_done", plan=plan, index=index, step=result))
            if response.finish_reason == "cancelled":
                stopped = True
                break
        calls = [plan.response] if plan.response is not None else []
        return PlannedAnswer(
            text=assemble(plan, tuple(results)),
            plan=plan,
            steps=tuple(results),
            stopped=stopped,
            tokens_in=sum(r.tokens_in for r in calls) + sum(s.tokens_in for s in results),
            tokens_out=sum(r.tokens_out for r in calls) + sum(s.tokens_out for s in results),
            latency_ms=sum(r.latency_ms for r in calls) + sum(s.latency_ms for s in results),
        )


def parse_steps(text: str, max_steps: int) -> tuple[str, ...]:
    """The steps of a numbered or bulleted list: unique, non-trivial, at most `max_steps`."""
    steps: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        found = NUMBERED.match(line)
        if found is None:
            continue
        step = found.group(1).strip()[:STEP_CHARS]
        key = re.sub(r"\W+", " ", step).strip().casefold()
        if len(key) < 3 or key in seen:
            continue
        seen.add(key)
        steps.append(step)
        if len(steps) == max_steps:
            break
    return tuple(steps)


def assemble(plan: Plan, results: tuple[StepResult, ...]) -> str:
    """The steps' answers under their headings; a single-step fallback is just its answer."""
    if plan.fallback:
        return results[0].answer if results else ""
    return "\n\n".join(f"## {r.index}. {r.text}\n\n{r.answer}" for r in results)


def _step_request(request: Request, plan: Plan, index: int) -> Request:
    outline = "\n".join(f"{n}. {step}" for n, step in enumerate(plan.steps, start=1))
    prompt = (
        f"Overall task: {plan.goal}\n\nPlan:\n{outline}\n\n"
        f"Now write step {index} only: {plan.steps[index - 1]}"
    )
    systems = tuple(m for m in request.messages if m.role == "system")
    budget = max(MIN_STEP_TOKENS, request.max_tokens // len(plan.steps))
    return replace(
        request,
        messages=(*systems, Message("user", prompt)),
        max_tokens=min(request.max_tokens, budget),
        request_id=f"{request.request_id}-s{index}",
    )


def _stop_if(cancel: threading.Event | None, when: str) -> None:
    if cancel is not None and cancel.is_set():
        raise CancelledError(phrase("The planned answer was stopped {when}.", when=when))
