"""The cognition layer around the request pipeline (seed §5).

    Request(task=auto?) → IntentClassifier (task, and the intent's label)
      → plan/generate_long: Planner (each step is a full pipeline request)
      → intent/classify with labels: IntentClassifier (embedding, then grammar)
      → everything else: pipeline.run under a grammar when the output has a shape
      → Verifier → repair and retry → an alternate local model → the cloud (policy and
        consent permitting) → else the best effort, flagged as unverified

Every try goes through `RequestPipeline.run`, so routing, masking, consent and the
"high risk never leaves" rule apply to each retry and escalation as to the first try.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from aurora_desktop.core.cognition.attempts import Attempt, escalation_ladder
from aurora_desktop.core.cognition.grammar import labels_grammar, schema_grammar
from aurora_desktop.core.cognition.intent import Classification, IntentClassifier, find_label
from aurora_desktop.core.cognition.planner import PlanEvent, Planner
from aurora_desktop.core.cognition.repair import repair_messages
from aurora_desktop.core.cognition.verifier import Verdict, VerifySpec, spec_for, verify
from aurora_desktop.core.contract import Message, Request, Response
from aurora_desktop.core.engines.base import NO_CONSTRAINT, Constraint, TokenCallback
from aurora_desktop.core.errors import (
    AuroraError,
    CancelledError,
    ConsentDenied,
    PolicyDenied,
    RequestError,
)
from aurora_desktop.core.models.fetch import FetchProgress, ProgressCallback
from aurora_desktop.core.pipeline import RequestPipeline
from aurora_desktop.core.telemetry import Telemetry
from aurora_desktop.core.text import phrase

NoteCallback = Callable[[str], None]
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


# answers that copy from their prompt (summaries, RAG answers): the engine may draft tokens
# by prompt lookup when it decodes greedily, with the same text as without
COPIES_PROMPT = Constraint(lookup=True)


def _silent(_: FetchProgress) -> None:
    return None


def _quiet(_: str) -> None:
    return None


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
        progress: ProgressCallback = _silent,
        on_note: NoteCallback = _quiet,
        retrieval: Retrieval | None = None,
    ) -> Response:
        """The verified answer to `request`; `on_note` hears about retries and escalations."""
        self.pipeline.check_pinned_cloud(request)  # before any local work on its behalf
        cancel = cancel or threading.Event()
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
            on_note(phrase(f"task: {task} ({detected.describe()})"))
        if retrieval is not None:
            response = self._grounded(request, retrieval, on_token, cancel, progress, on_note)
        elif task in PLANNED_TASKS:
            response = self._planned(replace(request, task=task), on_token, cancel, on_note)
        elif task in LABEL_TASKS and (detected is None or request.labels):
            response = self._labelled(replace(request, task=task), cancel, on_note)
        else:
            response = self._generated(
                replace(request, task=task),
                on_token,
                cancel,
                progress,
                on_note,
                auto=detected is not None,
            )
        if detected is not None:
            response = self._with_intent(request, response, detected)
        return response.with_changes(task=response.task or task, latency_ms=_ms_since(started))

    # -- the ways to answer --------------------------------------------------------------------

    def _generated(
        self,
        request: Request,
        on_token: TokenCallback | None,
        cancel: threading.Event,
        progress: ProgressCallback,
        on_note: NoteCallback,
        *,
        auto: bool = False,
    ) -> Response:
        constraint = NO_CONSTRAINT
        source = request.prompt
        # an auto request that asks for extraction in passing ("pull out the dates…") has no
        # schema: it is answered in words
        if request.task == "extract" and not (auto and request.json_schema is None):
            if request.json_schema is None:
                raise RequestError(
                    "extract needs a JSON Schema for its answer; pass --schema FILE."
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
        return self._verified(request, spec, constraint, on_token, cancel, progress, on_note)

    def _labelled(
        self, request: Request, cancel: threading.Event, on_note: NoteCallback
    ) -> Response:
        if request.task == "classify" and not request.labels:
            raise RequestError("classify needs the labels to choose from; pass --labels A,B,C.")
        label_set = None if request.labels else "intent"
        labels = request.labels or self.classifier.labels_of(label_set or "intent")
        spec = spec_for(request.task, labels=labels)
        try:
            first = self._classify_response(request, label_set)
        except (CancelledError, PolicyDenied):
            raise
        except AuroraError as exc:  # e.g. a cloud fallback that ignored the label grammar
            on_note(phrase(f"classifier failed ({exc}); asking with the labels spelled out"))
            asked = _with_system(request, LABEL_SYSTEM.format(labels=", ".join(labels)))
            return self._verified(
                replace(asked, labels=labels, max_tokens=16), spec,
                Constraint(grammar=labels_grammar(labels)), None, cancel, _silent, on_note,
            )  # fmt: skip
        verdict = verify(first.text, spec)
        self._note_verdict(request, 1, first, verdict)
        if verdict.ok:
            return first.with_changes(
                verified=True,
                checks=(verdict.summary(),),
                attempts=(_attempt_line(1, phrase("first try"), first, verdict),),
            )
        return self._verified(
            replace(request, labels=labels), spec, NO_CONSTRAINT, None, cancel, _silent, on_note
        )

    def _classify_response(self, request: Request, label_set: str | None) -> Response:
        started = time.perf_counter()
        result = self.classifier.label(
            request.prompt, label_set=label_set, labels=request.labels, risk=request.risk
        )
        by_grammar = result.response is not None
        base = result.response or Response(
            request_id=request.request_id,
            text=result.label,
            target="local",
            engine="onnxruntime",
            model=ENCODER_MODELS.get(result.encoder, result.encoder),
            rule=None,
            why=phrase("The nearest labelled examples decided it on this device."),
            tokens_in=0,
            tokens_out=0,
            ttft_ms=result.ms,
            latency_ms=result.ms,
            tok_s=0.0,
            load_ms=0.0,
            finish_reason="stop",
        )
        response = base.with_changes(
            request_id=request.request_id,
            text=result.label,
            label=result.label,
            classified_by=result.describe(),
            confidence=round(result.confidence, 4),
            task=request.task,
            latency_ms=_ms_since(started),
        )
        if not by_grammar:
            self._metrics.record(response)
        return response

    def _planned(
        self,
        request: Request,
        on_token: TokenCallback | None,
        cancel: threading.Event,
        on_note: NoteCallback,
    ) -> Response:
        """Plan, then run each step; the steps' answers stream as they are written."""
        in_step = threading.Event()

        def generate(step: Request, constraint: Constraint) -> Response:
            stream = on_token if in_step.is_set() else None
            return self.pipeline.run(step, on_token=stream, cancel=cancel, constraint=constraint)

        def on_step(event: PlanEvent) -> None:
            on_note(str(event))
            started = event.kind == "step_started"
            if started and on_token is not None and not event.plan.fallback:
                gap = "" if event.index == 1 else "\n\n"
                on_token(f"{gap}{event.index}. {event.plan.steps[event.index - 1]}\n")
            if started:
                in_step.set()
            else:
                in_step.clear()

        planner = Planner(generate, max_steps=self.planner_steps)
        planned = planner.run(request, on_step=on_step, cancel=cancel)
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
        return planned.response().with_changes(plan=steps, task=request.task)

    def _grounded(
        self,
        request: Request,
        retrieval: Retrieval,
        on_token: TokenCallback | None,
        cancel: threading.Event,
        progress: ProgressCallback,
        on_note: NoteCallback,
    ) -> Response:
        """RAG: answer from the retrieved sources; post-processing stays on this device."""
        local = request.model if request.model.startswith("local://") else None
        grounded = replace(
            request,
            task="chat",
            messages=retrieval.messages,
            model=local or f"local://{self.pipeline.local.model_name}",
            temperature=0.0,  # an answer from documents copies facts: decoded greedily
        )
        # the answer must come from the sources, not be a remark about the question
        spec = VerifySpec(no_refusal=False, grounded_in=retrieval.messages[-1].content)
        response = self._verified(
            grounded, spec, COPIES_PROMPT, on_token, cancel, progress, on_note, cloud=False
        )
        return response.with_changes(citations=retrieval.citations, task="rag")

    # -- verify, repair, escalate --------------------------------------------------------------

    def _verified(
        self,
        request: Request,
        spec: VerifySpec,
        constraint: Constraint,
        on_token: TokenCallback | None,
        cancel: threading.Event,
        progress: ProgressCallback,
        on_note: NoteCallback,
        *,
        cloud: bool = True,
    ) -> Response:
        ladder = escalation_ladder(
            request,
            repairs=self.max_repairs,
            local_models=self._local_models(),
            cloud=self._cloud_name() if cloud else None,
            local_only=self.pipeline.local_only.is_set(),
        )
        lines: list[str] = []
        best: tuple[Response, Verdict] | None = None
        last_error: AuroraError | None = None
        previous: tuple[Response, Verdict] | None = None
        number = 0
        for attempt in ladder:
            if attempt.kind == "repair" and previous is None and last_error is not None:
                continue  # the route itself failed: the same route again will not help
            number += 1
            if cancel.is_set():
                raise CancelledError("The request was stopped before it finished.")
            if previous is not None and attempt.kind == "repair":
                tried = _attempt_request(request, attempt, previous, spec)
            else:
                tried = _attempt_request(request, attempt, None, spec)
            if number > 1:
                on_note(phrase(f"retry {number}: {attempt.describe()}"))
            # a repair copies most of the answer it is shown: drafts from the prompt pay off
            asked = replace(constraint, lookup=True) if attempt.kind == "repair" else constraint
            try:
                response = self.pipeline.run(
                    tried, on_token=on_token, cancel=cancel, progress=progress,
                    constraint=asked,
                )  # fmt: skip
            except (CancelledError, RequestError):
                raise
            except (ConsentDenied, PolicyDenied, AuroraError) as exc:
                last_error = exc
                lines.append(phrase(f"{number} {attempt.describe()}: {exc}"))
                continue
            if response.finish_reason == "cancelled" or cancel.is_set():
                # Stop keeps what was written: no check, no retry of an answer cut short
                lines.append(phrase(f"{number} {attempt.describe()}: stopped"))
                return response.with_changes(
                    verified=False,
                    checks=(phrase("stopped before it finished; not checked"),),
                    attempts=tuple(lines),
                    why=phrase(f"{response.why} Stopped before it finished; not checked.").strip(),
                )
            if spec.labels:  # "This message is a greeting." names one label: take it
                found = find_label(response.text, spec.labels)
                response = response.with_changes(text=found) if found else response
            verdict = verify(response.text, spec)
            self._note_verdict(request, number, response, verdict)
            lines.append(_attempt_line(number, attempt.describe(), response, verdict))
            if verdict.ok:
                return self._final(response, verdict, lines, verified=True)
            previous = (response, verdict)
            if best is None or _badness(response, verdict, spec) < _badness(*best, spec):
                best = (response, verdict)
        if best is None:
            assert last_error is not None
            raise last_error
        response, verdict = best
        on_note(phrase("no try passed every check; showing the best effort"))
        final = self._final(response, verdict, lines, verified=False)
        return final.with_changes(
            why=phrase(
                f"{final.why} Unverified: {verdict.summary()} (best effort after "
                f"{len(lines)} tries)."
            )
        )

    def _final(
        self, response: Response, verdict: Verdict, lines: list[str], *, verified: bool
    ) -> Response:
        label = verdict.value if isinstance(verdict.value, str) else response.label
        return response.with_changes(
            verified=verified,
            checks=tuple(c.detail for c in verdict.checks if not c.ok) or (verdict.summary(),),
            attempts=tuple(lines),
            label=label,
        )

    def _note_verdict(
        self, request: Request, number: int, response: Response, verdict: Verdict
    ) -> None:
        self._metrics.record_verification(
            request_id=request.request_id,
            task=request.task,
            attempt=number,
            target=response.target,
            model=response.model,
            ok=verdict.ok,
            failed=[c.name for c in verdict.failures],
        )

    def _cloud_name(self) -> str | None:
        configs = self.pipeline.clouds.registry.list()
        return configs[0].name if configs else None

    def _with_intent(
        self, request: Request, response: Response, detected: Classification
    ) -> Response:
        """For auto requests: which task was picked, and the intent label of a chat turn."""
        changes: dict[str, object] = {"classified_by": phrase(f"task {detected.describe()}")}
        if detected.label == "intent" and response.label is None:
            # only when the encoder can tell at once: the answer is already written
            intent = self.classifier.classify(
                request.prompt, label_set="intent", risk=request.risk, embedding_only=True
            )
            if intent is None:
                return response.with_changes(**changes)
            changes["label"] = intent.label
            changes["confidence"] = round(intent.confidence, 4)
            changes["classified_by"] = phrase(
                f"task {detected.describe()}; intent {intent.describe()}"
            )
        return response.with_changes(**changes)


def _as_summary(request: Request, instruction: str) -> Request:
    """The instruction in the user's turn, then the text: a small model told only in the
    system prompt answers the text as if it were a question."""
    *history, last = request.messages
    asked = Message("user", f"{instruction}\n\nText:\n{last.content.strip()}")
    return replace(request, messages=(*history, asked))


def _with_system(request: Request, system: str) -> Request:
    rest = tuple(m for m in request.messages if m.role != "system")
    return replace(request, messages=(Message("system", system), *rest))


def _attempt_request(
    request: Request,
    attempt: Attempt,
    previous: tuple[Response, Verdict] | None,
    spec: VerifySpec,
) -> Request:
    messages = request.messages
    if previous is not None:
        messages = repair_messages(messages, previous[0].text, previous[1], spec)
    return replace(
        request,
        messages=messages,
        model=attempt.model or request.model,
        temperature=attempt.temperature if attempt.temperature is not None else request.temperature,
    )


def _badness(response: Response, verdict: Verdict, spec: VerifySpec) -> tuple[int, int]:
    """Ranks failed tries for the best effort: fewer failed checks, then JSON that parses."""
    unparsed = 0
    if spec.json_schema is not None:
        try:
            json.loads(response.text)
        except ValueError:
            unparsed = 1
    return len(verdict.failures), unparsed


def _attempt_line(number: int, what: str, response: Response, verdict: Verdict) -> str:
    result = phrase("passed") if verdict.ok else verdict.summary()
    return phrase(f"{number} {what} ({response.target} · {response.model}): {result}")


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000.0, 2)
