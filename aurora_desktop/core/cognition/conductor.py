"""The cognition layer around the request pipeline (seed §5).

    Request(task=auto?) → IntentClassifier (task, and the intent's label)
      → plan/generate_long: Planner (each step is a full pipeline request)
      → intent/classify with labels: IntentClassifier (embedding, then grammar)
      → everything else: the prompt, the grammar and the checks its answer needs
    → RequestPipeline.run, the one loop: route → try → check → repair and retry → an
      alternate local model → the cloud (policy and consent permitting) → else the best
      effort, flagged as unverified

Here a request is shaped (prompt, grammar, checks); every try is run by the pipeline, so
routing, masking, consent and the "high risk never leaves" rule apply to each retry and
escalation as to the first try.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from aurora_desktop.core.cognition.grammar import labels_grammar, schema_grammar
from aurora_desktop.core.cognition.intent import Classification, IntentClassifier
from aurora_desktop.core.cognition.planner import PlanEvent, Planner
from aurora_desktop.core.cognition.verifier import VerifySpec, spec_for, verify
from aurora_desktop.core.contract import Message, Request, Response
from aurora_desktop.core.engines.base import NO_CONSTRAINT, Constraint, TokenCallback
from aurora_desktop.core.errors import AuroraError, CancelledError, PolicyDenied, RequestError
from aurora_desktop.core.hops import HopResult
from aurora_desktop.core.models.fetch import ProgressCallback
from aurora_desktop.core.models.progress import no_progress
from aurora_desktop.core.pipeline import (
    Check,
    NoteCallback,
    RequestPipeline,
    Watch,
    attempt_line,
    response_of,
)
from aurora_desktop.core.telemetry import Telemetry
from aurora_desktop.core.text import phrase

LABEL_TASKS = ("intent", "classify")
PLANNED_TASKS = ("plan", "generate_long")
EXTRACT_SYSTEM = (
    "You extract facts from the user's text. Answer with one JSON object that follows this "
    "JSON Schema, using only facts stated in the text:\n{schema}"
)
ENCODER_MODELS = {"latin": "all-MiniLM-L6-v2", "multilingual": "USE-multilingual-v3"}
LABEL_SYSTEM = "Answer with exactly one of these labels and nothing else: {labels}."
SUMMARY_SYSTEM = (
    "Summarize the text below in at most {sentences}. Keep names, numbers and dates. "
    "Do not add anything that is not in the text."
)
ENCODER_WHY = phrase("The nearest labelled examples decided it on this device.")


# answers that copy from their prompt (summaries, RAG answers): the engine may draft tokens
# by prompt lookup when it decodes greedily, with the same text as without
COPIES_PROMPT = Constraint(lookup=True)


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True, slots=True)
class _Call:
    """One call of `answer`: who follows it, when it began, the Response fields known early."""

    watch: Watch
    started: float
    facts: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Retrieval:
    """What RAG hands the conductor: the grounded prompt and the sources it cites."""

    messages: tuple[Message, ...]
    citations: tuple[dict[str, object], ...]


class Conductor:
    """Answers requests with cognition: auto task, constrained output, verify and escalate."""

    def __init__(
        self,
        *,
        pipeline: RequestPipeline,
        classifier: IntentClassifier,
        local_models: Callable[[], list[str]],
        metrics: Telemetry,
        max_repairs: int = 1,
        planner_steps: int = 4,
    ) -> None:
        self.pipeline = pipeline
        self.classifier = classifier
        self._local_models = local_models
        self._metrics = metrics
        self.max_repairs = max_repairs
        self.planner_steps = planner_steps

    def answer(
        self,
        request: Request,
        *,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        progress: ProgressCallback = no_progress,
        on_note: NoteCallback = _quiet,
        retrieval: Retrieval | None = None,
    ) -> Response:
        """The verified answer to `request`; `on_note` hears about retries and escalations."""
        self.pipeline.check_pinned(request)  # before any local work on its behalf
        watch = Watch(on_token, cancel or threading.Event(), progress, on_note)
        started = time.perf_counter()
        detected: Classification | None = None
        task = request.task
        if task == "auto" and retrieval is not None:
            task = "chat"  # a question about your documents: answered from them
        if task == "auto" and request.labels:
            task = "classify"  # labels to choose from say what is wanted
        if task == "auto":
            detected = self.classifier.detect_task(request.prompt, risk=request.risk)
            task = detected.label
            on_note(
                phrase(
                    "task: {task} ({detected_describe})",
                    task=task,
                    detected_describe=detected.describe(),
                )
            )
        # what is known before the answer: the task, and for an auto request how it was told
        facts: dict[str, Any] = {"task": task}
        if detected is not None:
            facts.update(self._intent_facts(request, detected))
        call = _Call(watch, started, facts)
        asked = replace(request, task=task)
        if retrieval is not None:
            return self._grounded(request, retrieval, call)
        if task in PLANNED_TASKS:
            return self._planned(asked, call)
        if task in LABEL_TASKS and (detected is None or request.labels):
            return self._labelled(asked, call)
        return self._generated(asked, call, auto=detected is not None)

    # -- the ways to answer --------------------------------------------------------------------

    def _generated(self, request: Request, call: _Call, *, auto: bool = False) -> Response:
        constraint = NO_CONSTRAINT
        source = request.prompt
        # an auto request that asks for extraction in passing ("pull out the dates…") has no
        # schema: it is answered in words
        if request.task == "extract" and not (auto and request.json_schema is None):
            if request.json_schema is None:
                raise RequestError(
                    phrase("extract needs a JSON Schema for its answer; pass --schema FILE.")
                )
            schema = dict(request.json_schema)
            constraint = Constraint(grammar=schema_grammar(schema), lookup=True)
            system = EXTRACT_SYSTEM.format(schema=json.dumps(schema, ensure_ascii=False))
            # facts are copied, not invented: extraction decodes greedily
            request = replace(_with_system(request, system), temperature=0.0)
        elif request.task in ("summarize", "short_summarize"):
            sentences = "one sentence" if request.task == "short_summarize" else "three sentences"
            request = _as_summary(request, SUMMARY_SYSTEM.format(sentences=sentences))
            constraint = COPIES_PROMPT
        # an auto request found to be an intent or classification is answered as a chat turn
        spec_task = "chat" if request.task in LABEL_TASKS else request.task
        if request.task == "extract" and request.json_schema is None:
            spec_task = "chat"
        spec = spec_for(
            spec_task,
            labels=request.labels,
            json_schema=request.json_schema,
            source=source if request.task in ("summarize", "short_summarize") else None,
        )
        return self._verified(request, spec, constraint, call)

    def _labelled(self, request: Request, call: _Call) -> Response:
        if request.task == "classify" and not request.labels:
            raise RequestError(
                phrase("classify needs the labels to choose from; pass --labels A,B,C.")
            )
        label_set = None if request.labels else "intent"
        labels = request.labels or self.classifier.labels_of(label_set or "intent")
        spec = spec_for(request.task, labels=labels)
        watch = call.watch
        quiet = replace(call, watch=Watch(None, watch.cancel, no_progress, watch.on_note))
        started = time.perf_counter()
        try:
            result = self.classifier.label(
                request.prompt, label_set=label_set, labels=request.labels, risk=request.risk
            )
        except (CancelledError, PolicyDenied):
            raise
        except AuroraError as exc:  # e.g. a cloud fallback that ignored the label grammar
            watch.on_note(
                phrase("classifier failed ({exc}); asking with the labels spelled out", exc=exc)
            )
            asked = _with_system(request, LABEL_SYSTEM.format(labels=", ".join(labels)))
            return self._verified(
                replace(asked, labels=labels, max_tokens=16), spec,
                Constraint(grammar=labels_grammar(labels)), quiet,
            )  # fmt: skip
        verdict = verify(result.label, spec)
        hop = HopResult(
            request_id=request.request_id, text=result.label, target="local",
            engine="onnxruntime", model=ENCODER_MODELS.get(result.encoder, result.encoder),
            tokens_in=0, tokens_out=0, ttft_ms=result.ms, latency_ms=_ms_since(started),
            tok_s=0.0, load_ms=0.0, finish_reason="stop",
        )  # fmt: skip
        if result.response is None:
            self._metrics.record(hop)
        self._metrics.record_verification(
            request_id=request.request_id, task=request.task, attempt=1,
            target=(result.response or hop).target, model=(result.response or hop).model,
            ok=verdict.ok, failed=[c.name for c in verdict.failures],
        )  # fmt: skip
        if not verdict.ok:
            return self._verified(replace(request, labels=labels), spec, NO_CONSTRAINT, quiet)
        checked = {
            "label": result.label,
            "classified_by": result.describe(),
            "confidence": round(result.confidence, 4),
            "verified": True,
            "checks": (verdict.summary(),),
            "attempts": (attempt_line(1, phrase("first try"), result.response or hop, verdict),),
            "latency_ms": _ms_since(call.started),
            **call.facts,
        }
        if result.response is not None:  # the LLM's vote decided: its answer, with the label
            return result.response.with_changes(
                request_id=request.request_id, text=result.label, **checked
            )
        return response_of(hop, why=ENCODER_WHY, **checked)

    def _planned(self, request: Request, call: _Call) -> Response:
        """Plan, then run each step; the steps' answers stream as they are written."""
        in_step = threading.Event()
        watch = call.watch
        on_token = watch.on_token

        def generate(step: Request, constraint: Constraint) -> Response:
            stream = on_token if in_step.is_set() else None
            return self.pipeline.run(
                step, on_token=stream, cancel=watch.cancel, constraint=constraint
            )

        def on_step(event: PlanEvent) -> None:
            watch.on_note(str(event))
            started = event.kind == "step_started"
            if started and on_token is not None and not event.plan.fallback:
                gap = "" if event.index == 1 else "\n\n"
                on_token(f"{gap}{event.index}. {event.plan.steps[event.index - 1]}\n")
            if started:
                in_step.set()
            else:
                in_step.clear()

        planner = Planner(generate, max_steps=self.planner_steps)
        planned = planner.run(request, on_step=on_step, cancel=watch.cancel)
        steps = tuple(
            {
                "number": s.index,
                "step": s.text,
                "answer": s.answer,
                "target": s.target,
                "model": s.model,
                "tokens_out": s.tokens_out,
                "ms": round(s.latency_ms, 1),
            }
            for s in planned.steps
        )
        latency = _ms_since(call.started)
        return planned.response().with_changes(plan=steps, latency_ms=latency, **call.facts)

    def _grounded(self, request: Request, retrieval: Retrieval, call: _Call) -> Response:
        """RAG: answer from the retrieved sources; post-processing stays on this device."""
        model = request.ref if request.ref.kind == "local" else None
        grounded = replace(
            request,
            task="chat",
            messages=retrieval.messages,
            model=str(model) if model else f"local://{self.pipeline.local.model_name}",
            temperature=0.0,  # an answer from documents copies facts: decoded greedily
        )
        # the answer must come from the sources, not be a remark about the question
        spec = VerifySpec(no_refusal=False, grounded_in=retrieval.messages[-1].content)
        facts = {**call.facts, "citations": retrieval.citations, "task": "rag"}
        cited = replace(call, facts=facts)
        return self._verified(grounded, spec, COPIES_PROMPT, cited, escalate=False)

    def _verified(
        self,
        request: Request,
        spec: VerifySpec,
        constraint: Constraint,
        call: _Call,
        *,
        escalate: bool = True,
    ) -> Response:
        """The pipeline's loop, with checks: repair, other local models, then the cloud."""
        check = Check(
            spec, repairs=self.max_repairs, local_models=self._local_models(), escalate=escalate
        )
        watch = call.watch
        return self.pipeline.run(
            request, on_token=watch.on_token, cancel=watch.cancel, progress=watch.progress,
            on_note=watch.on_note, constraint=constraint, check=check, facts=call.facts,
            started=call.started,
        )  # fmt: skip

    def _intent_facts(self, request: Request, detected: Classification) -> dict[str, Any]:
        """For auto requests: which task was picked, and the intent label of a chat turn."""
        facts: dict[str, Any] = {
            "classified_by": phrase(
                "task {detected_describe}", detected_describe=detected.describe()
            )
        }
        if detected.label != "intent":
            return facts
        # only when the encoder can tell at once: the answer is not held up for it
        intent = self.classifier.classify(
            request.prompt, label_set="intent", risk=request.risk, embedding_only=True
        )
        if intent is None:
            return facts
        return {
            "label": intent.label,
            "confidence": round(intent.confidence, 4),
            "classified_by": phrase(
                "task {detected_describe}; intent {intent_describe}",
                detected_describe=detected.describe(),
                intent_describe=intent.describe(),
            ),
        }


def _as_summary(request: Request, instruction: str) -> Request:
    """The instruction in the user's turn, then the text: a small model told only in the
    system prompt answers the text as if it were a question."""
    *history, last = request.messages
    asked = Message("user", f"{instruction}\n\nText:\n{last.content.strip()}")
    return replace(request, messages=(*history, asked))


def _with_system(request: Request, system: str) -> Request:
    rest = tuple(m for m in request.messages if m.role != "system")
    return replace(request, messages=(Message("system", system), *rest))


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000.0, 2)
