"""One request end to end, in one loop: route, policy, every try, checks, the one Response.

    Request → policy.pre (banned words) → router (first matching rule)
      → plan_attempts: every try and the targets of each (core/routing/plan.py)
      → for each try: local hop | cloud hop (mask PII → consent → send placeholders only
        → restore), the route's fallback after a failed hop
      → policy.post (banned words on the reply) → metrics + decision record
      → check the answer (when asked): passed → done; failed → the next try is told why
    → the Response, built once from the try that is shown

Every try re-enters policy: a high-risk request never reaches a cloud provider, not by
rule, not by fallback, not after a local failure; a masking failure makes it high risk.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from aurora_desktop.core.cloud_hop import CloudHop
from aurora_desktop.core.cognition.intent import find_label
from aurora_desktop.core.cognition.repair import repair_messages
from aurora_desktop.core.cognition.verifier import Verdict, VerifySpec, verify
from aurora_desktop.core.contract import Request, Response
from aurora_desktop.core.decisions import DecisionLedger, DecisionRecord
from aurora_desktop.core.engines.base import NO_CONSTRAINT, Constraint, TokenCallback
from aurora_desktop.core.errors import (
    AuroraError,
    CancelledError,
    ConsentDenied,
    EngineError,
    MaskingError,
    ModelError,
    PolicyDenied,
    ProviderUnavailableError,
    RequestError,
)
from aurora_desktop.core.hops import HopResult
from aurora_desktop.core.local_hop import LocalHop
from aurora_desktop.core.models.fetch import ProgressCallback
from aurora_desktop.core.models.progress import no_progress
from aurora_desktop.core.policy.banned import BannedWords
from aurora_desktop.core.routing.plan import Attempt, plan_attempts
from aurora_desktop.core.routing.policy_file import PolicyFile
from aurora_desktop.core.routing.router import RouteFeatures, RoutingDecision, route
from aurora_desktop.core.routing.tokens import TokenCounter
from aurora_desktop.core.telemetry import Telemetry
from aurora_desktop.core.text import Message, message_of, phrase

NoteCallback = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Watch:
    """Who follows a request while it runs, and how it is stopped."""

    on_token: TokenCallback | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    progress: ProgressCallback = no_progress
    on_note: NoteCallback = _quiet  # retries and escalations, as they happen


@dataclass(frozen=True, slots=True)
class Check:
    """How the loop checks answers: the verifier's spec, and how far a failed one escalates."""

    spec: VerifySpec
    repairs: int = 1
    local_models: Sequence[str] = ()  # the installed local models, the default first
    escalate: bool = True  # False: no cloud model takes over (a RAG answer stays here)


@dataclass(frozen=True, slots=True)
class Tried:
    """One try that produced an answer: the hop that answered, and the route it took."""

    hop: HopResult
    decision: RoutingDecision
    decision_id: str
    fallbacks: tuple[str, ...]

    @property
    def why(self) -> str:
        why = self.decision.why
        if self.fallbacks:
            return phrase(
                "{why} It ran on {hop_target} after: {join_fallbacks}.",
                why=why,
                hop_target=self.hop.target,
                join_fallbacks="; ".join(self.fallbacks),
            )
        return why


class RequestPipeline:
    """Runs requests through routing, policy, hops and checks; every front end calls `run`."""

    def __init__(
        self,
        *,
        local: LocalHop,
        cloud: CloudHop,
        policy: PolicyFile,
        tokens: TokenCounter,
        banned: Callable[[], BannedWords],
        decisions: DecisionLedger,
        metrics: Telemetry,
        local_only: threading.Event,
    ) -> None:
        self.local = local
        self.cloud = cloud
        self.policy = policy
        self._tokens = tokens
        self._banned = banned
        self.decisions = decisions
        self.metrics = metrics
        self.local_only = local_only  # the tray's "Local only (no cloud)" switch

    def check_pinned(self, request: Request) -> None:
        """Refuses a request pinned to a cloud provider that is not configured."""
        self.cloud.check_pinned(request)

    def decide(self, request: Request) -> RoutingDecision:
        """The routing decision for `request`, without running anything."""
        self.cloud.check_pinned(request)
        text = "\n".join(m.content for m in request.messages)
        tokens_in, counted_by = self._tokens.count(text)
        features = RouteFeatures(
            task="chat" if request.task == "auto" else request.task,
            risk=request.risk,
            tokens_in=tokens_in,
            slo_ms=request.slo_ms,
            tokens_counted_by=counted_by,
        )
        return route(self.policy.current(), features)

    def run(
        self,
        request: Request,
        *,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        progress: ProgressCallback = no_progress,
        constraint: Constraint = NO_CONSTRAINT,
        on_note: NoteCallback = _quiet,
        check: Check | None = None,
        facts: dict[str, Any] | None = None,
        started: float | None = None,
    ) -> Response:
        """Route and run `request`, trying again as planned until an answer passes `check`.

        `constraint` shapes local output (grammar, prompt lookup); `facts` are fields of the
        Response the caller already knows (the task, citations); latency counts from
        `started` when the caller began work on the request before."""
        watch = Watch(on_token, cancel or threading.Event(), progress, on_note)
        started = time.perf_counter() if started is None else started
        decision = self.decide(request)
        attempts = plan_attempts(
            decision,
            request,
            repairs=check.repairs if check else 0,
            local_models=check.local_models if check else (),
            cloud=self.cloud.default_name() if check and check.escalate else None,
            local_only=self.local_only.is_set(),
        )
        return self._loop(request, attempts, decision, constraint, check, watch, started, facts)

    # -- the loop over tries ---------------------------------------------------------------------

    def _loop(
        self,
        request: Request,
        attempts: tuple[Attempt, ...],
        decision: RoutingDecision,
        constraint: Constraint,
        check: Check | None,
        watch: Watch,
        started: float,
        facts: dict[str, Any] | None,
    ) -> Response:
        """Runs the tries in order until one answers (and passes `check`, when given)."""
        lines: list[str] = []
        best: tuple[Tried, Verdict] | None = None
        previous: tuple[Tried, Verdict] | None = None
        last_error: AuroraError | None = None
        number = 0
        for attempt in attempts:
            if attempt.kind == "repair" and previous is None and last_error is not None:
                continue  # the route itself failed: the same route again will not help
            number += 1
            if watch.cancel.is_set():
                raise CancelledError(phrase("The request was stopped before it finished."))
            if number > 1:
                watch.on_note(
                    phrase("retry {number}: {attempt_describe}", **_named(number, attempt))
                )
            try:
                tried = self._try(request, attempt, previous, decision, constraint, check, watch)
            except (CancelledError, RequestError):
                raise
            except AuroraError as exc:
                if check is None:
                    raise
                last_error = exc
                lines.append(
                    phrase("{number} {attempt_describe}: {exc}", **_named(number, attempt), exc=exc)
                )
                continue
            if check is None:  # nothing to check: the answer as it came
                return _response(tried, tried.why, started, facts)
            if tried.hop.finish_reason == "cancelled" or watch.cancel.is_set():
                # Stop keeps what was written: no check, no retry of an answer cut short
                lines.append(
                    phrase("{number} {attempt_describe}: stopped", **_named(number, attempt))
                )
                return _stopped(tried, started, facts, lines)
            tried, verdict = self._judge(request, number, tried, check.spec)
            lines.append(attempt_line(number, attempt.describe(), tried.hop, verdict))
            if verdict.ok:
                return _verdict_response(tried, verdict, tried.why, started, facts, lines, True)
            previous = (tried, verdict)
            if best is None or _badness(previous, check.spec) < _badness(best, check.spec):
                best = previous
        if best is None:
            assert last_error is not None
            raise last_error
        watch.on_note(phrase("no try passed every check; showing the best effort"))
        return _best_effort(best, started, facts, lines)

    def _judge(
        self, request: Request, number: int, tried: Tried, spec: VerifySpec
    ) -> tuple[Tried, Verdict]:
        """The verifier's verdict on one try's answer, recorded for the dashboard."""
        if spec.labels:  # "This message is a greeting." names one label: take it
            found = find_label(tried.hop.text, spec.labels)
            tried = replace(tried, hop=replace(tried.hop, text=found)) if found else tried
        verdict = verify(tried.hop.text, spec)
        self.metrics.record_verification(
            request_id=request.request_id,
            task=request.task,
            attempt=number,
            target=tried.hop.target,
            model=tried.hop.model,
            ok=verdict.ok,
            failed=[c.name for c in verdict.failures],
        )
        return tried, verdict

    # -- one try: its route's hops, with fallbacks ------------------------------------------------

    def _try(
        self,
        request: Request,
        attempt: Attempt,
        previous: tuple[Tried, Verdict] | None,
        decision: RoutingDecision,
        constraint: Constraint,
        check: Check | None,
        watch: Watch,
    ) -> Tried:
        """One try: its request (a repair is told what was wrong), then its route's hops."""
        if check is not None:
            request = _attempt_request(request, attempt, previous, check.spec)
        if attempt.kind == "repair":  # a repair copies most of the answer it is shown:
            constraint = replace(constraint, lookup=True)  # drafts from the prompt pay off
        started = time.perf_counter()
        decision_id = uuid.uuid4().hex[:16]
        plan = attempt.route
        fallbacks: list[str] = []
        errors: list[AuroraError] = []
        for index, target in enumerate(plan):
            live = self.metrics.live.begin(request.request_id, target=target)
            try:
                if target == "cloud":
                    hop = self.cloud.run(
                        request, routed_model=decision.model, why=decision.why,
                        on_token=watch.on_token, cancel=watch.cancel, live=live,
                    )  # fmt: skip
                else:
                    live.describe(engine="", model=self._local_name(request))
                    hop = self._local(request, live.relay(watch.on_token), watch, constraint)
            except (ConsentDenied, MaskingError) as exc:
                if "local" in plan[index + 1 :]:  # masking failed: high risk, stays here
                    fallbacks.append(phrase("{target}: {exc}", target=target, exc=exc))
                    errors.append(exc)
                    continue
                self._record(
                    request, decision, decision_id, target, "refused", fallbacks, reason=exc
                )
                raise
            except (CancelledError, PolicyDenied) as exc:
                self._record(
                    request, decision, decision_id, target, "refused", fallbacks, reason=exc
                )
                raise
            except (EngineError, ModelError) as exc:  # a broken or missing model is a failed hop
                fallbacks.append(phrase("{target}: {exc}", target=target, exc=exc))
                errors.append(exc)
                continue
            finally:
                live.end()
            text = self._banned().enforce(hop.text, where=phrase("the reply"))
            hop = replace(hop, text=text, latency_ms=(time.perf_counter() - started) * 1000.0)
            self.metrics.record(hop)
            outcome = "cancelled" if hop.finish_reason == "cancelled" else "ok"
            self._record(request, decision, decision_id, hop.target, outcome, fallbacks, hop)
            return Tried(hop, decision, decision_id, tuple(fallbacks))
        self._record(
            request, decision, decision_id, plan[-1], "failed", fallbacks, reason=errors[-1]
        )
        raise _final_error(request, plan, errors)

    def _local(
        self, request: Request, on_token: TokenCallback | None, watch: Watch, constraint: Constraint
    ) -> HopResult:
        banned = self._banned()
        for message in request.messages:
            if message.role == "user":
                banned.enforce(message.content, where=phrase("your prompt"))
        return self.local.run(
            request,
            on_token=on_token,
            cancel=watch.cancel,
            progress=watch.progress,
            constraint=constraint,
        )

    def _local_name(self, request: Request) -> str:
        """The local model a request will run on, for the live dashboard."""
        try:
            return self.local.name_for(request)
        except AuroraError:
            return ""

    def _record(
        self,
        request: Request,
        decision: RoutingDecision,
        decision_id: str,
        target: str,
        outcome: str,
        fallbacks: Sequence[str],
        hop: HopResult | None = None,
        *,
        reason: AuroraError | None = None,
    ) -> None:
        """One row of the decision ledger; `outcome` is ok, cancelled, refused or failed
        (these two stored as "refused: <reason>" with the reason as a message value)."""
        prompt = "\n".join(m.content for m in request.messages).encode("utf-8")
        said = message_of(reason) if reason is not None else ""
        if reason is not None:
            outcome = f"{outcome}: {said}"
        self.decisions.record(
            DecisionRecord(
                id=decision_id,
                task=request.task,
                risk=request.risk,
                target=target,
                model=hop.model if hop else decision.model,
                rule=decision.rule,
                why=decision.why,
                outcome=outcome[:500],
                prompt_sha256=hashlib.sha256(prompt).hexdigest(),
                masked=dict(hop.masked) if hop else {},
                bytes_sent=hop.bytes_sent if hop else 0,
                consent=hop.consent if hop else None,
                fallbacks=tuple(fallbacks),
                tokens_in=hop.tokens_in if hop else decision.tokens_in,
                tokens_out=hop.tokens_out if hop else None,
                latency_ms=hop.latency_ms if hop else None,
                app=request.client,
                reason=said.to_json() if isinstance(said, Message) else "",
            )
        )

    def close(self, timeout: float = 10.0) -> bool:
        self._tokens.close()
        clouds = self.cloud.close(timeout)
        return self.local.close(timeout) and clouds


# -- the Response, built in one place -----------------------------------------------------------


def response_of(hop: HopResult, **fields: Any) -> Response:
    """The Response for the answer `hop` produced; `fields` are the rest the caller knows."""
    return Response(
        request_id=hop.request_id,
        text=hop.text,
        target=hop.target,
        engine=hop.engine,
        model=hop.model,
        tokens_in=hop.tokens_in,
        tokens_out=hop.tokens_out,
        ttft_ms=hop.ttft_ms,
        tok_s=hop.tok_s,
        load_ms=hop.load_ms,
        finish_reason=hop.finish_reason,
        masked=hop.masked,
        bytes_sent=hop.bytes_sent,
        consent=hop.consent,
        **{"rule": None, "why": "", "latency_ms": hop.latency_ms, **fields},
    )


def _response(
    tried: Tried, why: str, started: float, facts: dict[str, Any] | None, **fields: Any
) -> Response:
    return response_of(
        tried.hop,
        rule=tried.decision.rule,
        why=why,
        fallbacks=tried.fallbacks,
        tokens_counted_by=tried.decision.tokens_counted_by,
        decision_id=tried.decision_id,
        latency_ms=_ms_since(started),
        **{**fields, **(facts or {})},
    )


def _verdict_response(
    tried: Tried,
    verdict: Verdict,
    why: str,
    started: float,
    facts: dict[str, Any] | None,
    lines: list[str],
    verified: bool,
) -> Response:
    label = verdict.value if isinstance(verdict.value, str) else None
    return _response(
        tried, why, started, facts, verified=verified, attempts=tuple(lines), label=label,
        checks=tuple(c.detail for c in verdict.checks if not c.ok) or (verdict.summary(),),
    )  # fmt: skip


def _attempt_request(
    request: Request,
    attempt: Attempt,
    previous: tuple[Tried, Verdict] | None,
    spec: VerifySpec,
) -> Request:
    messages = request.messages
    if previous is not None and attempt.kind == "repair":
        messages = repair_messages(messages, previous[0].hop.text, previous[1], spec)
    return replace(
        request,
        messages=messages,
        model=attempt.model or request.model,
        temperature=attempt.temperature if attempt.temperature is not None else request.temperature,
    )


def _named(number: int, attempt: Attempt) -> dict[str, object]:
    """The arguments a line about one try names it by."""
    return {"number": number, "attempt_describe": attempt.describe()}


def _stopped(
    tried: Tried, started: float, facts: dict[str, Any] | None, lines: list[str]
) -> Response:
    """Stop keeps what was written, unchecked, and says so."""
    why = (
        phrase("{tried_why} Stopped before it finished; not checked.", tried_why=tried.why)
        if tried.why
        else phrase("Stopped before it finished; not checked.")
    )
    return _response(
        tried, why, started, facts, verified=False, attempts=tuple(lines),
        checks=(phrase("stopped before it finished; not checked"),),
    )  # fmt: skip


def _best_effort(
    best: tuple[Tried, Verdict], started: float, facts: dict[str, Any] | None, lines: list[str]
) -> Response:
    """No try passed every check: the one that failed least, flagged as unverified."""
    tried, verdict = best
    why = phrase(
        "{tried_why} Unverified: {verdict_summary} (best effort after {len_lines} tries).",
        tried_why=tried.why,
        verdict_summary=verdict.summary(),
        len_lines=len(lines),
    )
    return _verdict_response(tried, verdict, why, started, facts, lines, False)


def _badness(judged: tuple[Tried, Verdict], spec: VerifySpec) -> tuple[int, int]:
    """Ranks failed tries for the best effort: fewer failed checks, then JSON that parses."""
    tried, verdict = judged
    unparsed = 0
    if spec.json_schema is not None:
        try:
            json.loads(tried.hop.text)
        except ValueError:
            unparsed = 1
    return len(verdict.failures), unparsed


def attempt_line(number: int, what: str, hop: HopResult | Response, verdict: Verdict) -> str:
    result = phrase("passed") if verdict.ok else verdict.summary()
    return phrase(
        "{number} {what} ({hop_target} · {hop_model}): {result}",
        number=number,
        what=what,
        hop_target=hop.target,
        hop_model=hop.model,
        result=result,
    )


def _final_error(request: Request, plan: tuple[str, ...], errors: list[AuroraError]) -> AuroraError:
    # "no provider is configured" explains nothing when a local model also failed
    last = next(
        (e for e in reversed(errors) if not isinstance(e, ProviderUnavailableError)),
        errors[-1],
    )
    if request.risk == "high":
        return type(last)(
            phrase(
                "This request is high risk, so it may only run on this device, "
                "and the local model failed: {last}",
                last=last,
            )
        )
    if len(errors) > 1:
        return type(last)(
            phrase(
                "Every route failed ({then_join_plan}): {last}",
                then_join_plan=" then ".join(plan),
                last=last,
            )
        )
    return last


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000.0, 2)
