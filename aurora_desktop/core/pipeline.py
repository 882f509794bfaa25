"""One request end to end: route, policy, the hop (local or cloud), fallbacks, ledger.

    Request → policy.pre (banned words) → router (first matching rule) → attempt plan
      → local hop | cloud hop (mask PII → consent → send placeholders only → restore)
      → policy.post (banned words on the reply) → metrics + decision ledger

Every fallback re-enters policy: a high-risk request never reaches a cloud provider, not by
rule, not by fallback, not after a local failure; a masking failure makes it high risk.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from aurora_desktop.core.assistant import Assistant
from aurora_desktop.core.contract import Message, Request, Response
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
from aurora_desktop.core.live import LiveTicket
from aurora_desktop.core.models.fetch import FetchProgress, ProgressCallback
from aurora_desktop.core.policy.banned import BannedWords
from aurora_desktop.core.policy.consent import ConsentBroker, ConsentRequest
from aurora_desktop.core.policy.pii import PiiMasker, PlaceholderVault
from aurora_desktop.core.policy.restore import StreamRestorer, restore_placeholders
from aurora_desktop.core.providers.pool import CloudPool
from aurora_desktop.core.routing.plan import attempt_plan, local_only
from aurora_desktop.core.routing.policy_file import PolicyFile
from aurora_desktop.core.routing.router import RouteFeatures, RoutingDecision, route
from aurora_desktop.core.routing.tokens import TokenCounter
from aurora_desktop.core.telemetry import Telemetry
from aurora_desktop.core.text import phrase


def _silent(_: FetchProgress) -> None:
    return None


@dataclass(frozen=True, slots=True)
class MaskedRequest:
    messages: tuple[Message, ...]
    vault: PlaceholderVault
    counts: dict[str, int]


class RequestPipeline:
    """Runs requests through routing and policy; the CLI and the GUI both call `run`."""

    def __init__(
        self,
        *,
        local: Assistant,
        policy: PolicyFile,
        tokens: TokenCounter,
        masker: PiiMasker,
        banned: Callable[[], BannedWords],
        consent: ConsentBroker,
        clouds: CloudPool,
        ledger: DecisionLedger,
        metrics: Telemetry,
    ) -> None:
        self.local = local
        self.policy = policy
        self._tokens = tokens
        self._masker = masker
        self._banned = banned
        self.consent = consent
        self.clouds = clouds
        self.ledger = ledger
        self._metrics = metrics
        self.local_only = threading.Event()  # the tray's "Local only (no cloud)" switch

    def decide(self, request: Request) -> RoutingDecision:
        """The routing decision for `request`, without running anything."""
        self.check_pinned_cloud(request)
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
        progress: ProgressCallback = _silent,
        constraint: Constraint = NO_CONSTRAINT,
    ) -> Response:
        """Route and run one request; `constraint` shapes local output (grammar, raw prompt)."""
        cancel = cancel or threading.Event()
        started = time.perf_counter()
        decision_id = uuid.uuid4().hex[:16]
        decision = self.decide(request)
        pinned = request.model.split("://")[0] if request.model != "auto" else None
        if pinned == "cloud" and request.risk == "high":
            raise PolicyDenied(
                "A high-risk request cannot be sent to a cloud model; "
                "choose a local model or lower the risk."
            )
        plan = attempt_plan(decision, risk=request.risk, pinned=pinned)
        if self.local_only.is_set():
            plan = local_only(plan)
        fallbacks: list[str] = []
        errors: list[AuroraError] = []
        for target in plan:
            live = self._metrics.live.begin(request.request_id, target=target)
            try:
                if target == "cloud":
                    response = self._cloud_hop(request, decision, on_token, cancel, live)
                else:
                    live.describe(engine="", model=self._local_name(request))
                    relay = live.relay(on_token)
                    response = self._local_hop(request, relay, cancel, progress, constraint)
            except (ConsentDenied, MaskingError) as exc:
                if "local" in plan[plan.index(target) + 1 :]:
                    fallbacks.append(phrase(f"{target}: {exc}"))
                    errors.append(exc)
                    continue
                self._record(
                    request, decision, decision_id, target, f"refused: {exc}", fallbacks=fallbacks
                )
                raise
            except (CancelledError, PolicyDenied) as exc:
                self._record(
                    request, decision, decision_id, target, f"refused: {exc}", fallbacks=fallbacks
                )
                raise
            except (EngineError, ModelError) as exc:  # a broken or missing model is a failed hop
                fallbacks.append(phrase(f"{target}: {exc}"))
                errors.append(exc)
                continue
            finally:
                live.end()
            response = self._post(response, request, decision, decision_id, fallbacks, started)
            return response
        self._record(
            request, decision, decision_id, plan[-1], f"failed: {errors[-1]}", fallbacks=fallbacks
        )
        raise self._final_error(request, plan, errors)

    def check_pinned_cloud(self, request: Request) -> None:
        """A request pinned to cloud://PROVIDER[/MODEL] must name a configured provider; it is
        refused like an unknown local:// model, never quietly answered on this device."""
        if not request.model.startswith("cloud://"):
            return
        try:
            self.clouds.choose(request.model[len("cloud://") :])
        except ProviderUnavailableError as exc:
            raise RequestError(str(exc)) from exc

    def _local_name(self, request: Request) -> str:
        """The local model a request will run on, for the live dashboard."""
        if request.model.startswith("local://"):
            return request.model[len("local://") :]
        try:
            return self.local.model_name
        except AuroraError:
            return ""

    # -- hops --------------------------------------------------------------------------------

    def _local_hop(
        self,
        request: Request,
        on_token: TokenCallback | None,
        cancel: threading.Event,
        progress: ProgressCallback,
        constraint: Constraint,
    ) -> Response:
        banned = self._banned()
        for message in request.messages:
            if message.role == "user":
                banned.enforce(message.content, where=phrase("your prompt"))
        return self.local.run_local(
            request, on_token=on_token, cancel=cancel, progress=progress, constraint=constraint
        )

    def _cloud_hop(
        self,
        request: Request,
        decision: RoutingDecision,
        on_token: TokenCallback | None,
        cancel: threading.Event,
        live: LiveTicket,
    ) -> Response:
        wanted = request.model[len("cloud://") :] if request.model.startswith("cloud://") else None
        engine, config = self.clouds.engine_for(wanted or decision.model)
        live.describe(engine=engine.engine_name, model=engine.model_name)
        if not engine.available():
            raise ProviderUnavailableError(
                f"{config.name} is cooling down after repeated failures; it will be tried again "
                "shortly."
            )
        masked = self._mask(request)
        banned = self._banned()
        messages = tuple(
            Message(m.role, banned.enforce(m.content, where=phrase("your prompt")))
            if m.role == "user"
            else m
            for m in masked.messages
        )
        preview = "\n\n".join(f"[{m.role}] {m.content}" for m in messages)
        consent = self.consent.require(
            ConsentRequest(
                scope=f"cloud.send:{config.name}",
                recipient=f"{config.name} ({config.base_url})",
                why=decision.why,
                preview=preview,
                bytes_out=len(preview.encode("utf-8")),
            )
        )
        restorer = StreamRestorer(masked.vault.mapping)

        def relay(piece: str) -> bool | None:
            live.tick()
            shown = restorer.feed(piece)
            return on_token(shown) if on_token is not None and shown else None

        started = time.perf_counter()
        result = engine.generate(
            messages,
            max_tokens=request.max_tokens,
            temperature=request.temperature,
            on_token=relay if on_token is not None else None,
            cancel=cancel,
        ).result()
        tail = restorer.flush()
        if tail and on_token is not None:
            on_token(tail)
        return Response(
            request_id=request.request_id,
            text=restore_placeholders(result.text, masked.vault.mapping),
            target="cloud",
            engine=engine.engine_name,
            model=engine.model_name,
            rule=None,
            why="",
            tokens_in=result.tokens_in,
            tokens_out=result.tokens_out,
            ttft_ms=result.ttft_ms,
            latency_ms=(time.perf_counter() - started) * 1000.0,
            tok_s=result.decode_tok_s,
            load_ms=0.0,
            finish_reason=result.finish_reason,
            masked=masked.counts,
            bytes_sent=result.bytes_sent,
            consent=consent,
        )

    def _mask(self, request: Request) -> MaskedRequest:
        vault = PlaceholderVault()
        counts: Counter[str] = Counter()
        out = []
        try:
            for message in request.messages:
                result = self._masker.mask(message.content, vault)
                counts.update(result.counts())
                out.append(Message(message.role, result.text))
        except Exception as exc:  # any masking defect fails closed
            raise MaskingError(
                f"Personal data could not be masked ({exc}), so the request is treated as high "
                "risk and was not sent off this device."
            ) from exc
        return MaskedRequest(tuple(out), vault, dict(counts))

    # -- after the hop -------------------------------------------------------------------------

    def _post(
        self,
        response: Response,
        request: Request,
        decision: RoutingDecision,
        decision_id: str,
        fallbacks: list[str],
        started: float,
    ) -> Response:
        text = self._banned().enforce(response.text, where=phrase("the reply"))
        why = decision.why
        if fallbacks:
            why = phrase(f"{why} It ran on {response.target} after: {'; '.join(fallbacks)}.")
        final = response.with_changes(
            text=text,
            rule=decision.rule,
            why=why,
            fallbacks=tuple(fallbacks),
            tokens_counted_by=decision.tokens_counted_by,
            decision_id=decision_id,
            latency_ms=(time.perf_counter() - started) * 1000.0,
        )
        self._metrics.record(final)
        outcome = "cancelled" if final.finish_reason == "cancelled" else "ok"
        self._record(
            request,
            decision,
            decision_id,
            final.target,
            outcome,
            response=final,
            fallbacks=fallbacks,
        )
        return final

    def _record(
        self,
        request: Request,
        decision: RoutingDecision,
        decision_id: str,
        target: str,
        outcome: str,
        *,
        fallbacks: list[str],
        response: Response | None = None,
    ) -> None:
        prompt = "\n".join(m.content for m in request.messages).encode("utf-8")
        self.ledger.record(
            DecisionRecord(
                id=decision_id,
                task=request.task,
                risk=request.risk,
                target=target,
                model=response.model if response else decision.model,
                rule=decision.rule,
                why=decision.why,
                outcome=outcome[:500],
                prompt_sha256=hashlib.sha256(prompt).hexdigest(),
                masked=dict(response.masked) if response else {},
                bytes_sent=response.bytes_sent if response else 0,
                consent=response.consent if response else None,
                fallbacks=tuple(fallbacks),
                tokens_in=response.tokens_in if response else decision.tokens_in,
                tokens_out=response.tokens_out if response else None,
                latency_ms=response.latency_ms if response else None,
            )
        )

    def _final_error(
        self, request: Request, plan: tuple[str, ...], errors: list[AuroraError]
    ) -> AuroraError:
        # "no provider is configured" explains nothing when a local model also failed
        last = next(
            (e for e in reversed(errors) if not isinstance(e, ProviderUnavailableError)),
            errors[-1],
        )
        if request.risk == "high":
            return type(last)(
                phrase(
                    f"This request is high risk, so it may only run on this device, and the local "
                    f"model failed: {last}"
                )
            )
        if len(errors) > 1:
            return type(last)(phrase(f"Every route failed ({' then '.join(plan)}): {last}"))
        return last

    def close(self, timeout: float = 10.0) -> bool:
        self._tokens.close()
        clouds = self.clouds.close(timeout)
        return self.local.close(timeout) and clouds
