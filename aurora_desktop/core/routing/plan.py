"""Every try a request gets, in order: a pure function of the decision, the request and what
is installed and configured.

    first try → repairs (same route, told what was wrong) → each other installed local model
      → the cloud, only when the request may leave this device

Each try has a route: the targets its hops take, the decision's target first and its
fallback after a failed hop. The fail-closed rule is stated once, in `may_leave`: a
high-risk request never gets a cloud hop, whatever the rules, fallbacks or escalations say;
the loop (core/pipeline.py) treats a request whose masking failed as high risk, and the
tray's "Local only" switch keeps every request here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aurora_desktop.core.contract import ModelRef, Request
from aurora_desktop.core.errors import PolicyDenied
from aurora_desktop.core.routing.router import RoutingDecision
from aurora_desktop.core.text import phrase

Targets = tuple[str, ...]
REPAIR_TEMPERATURE = 0.2


def may_leave(risk: str, *, local_only: bool = False) -> bool:
    """Whether a request may be sent off this device at all."""
    return risk != "high" and not local_only


def attempt_plan(decision: RoutingDecision, *, risk: str, pinned: str | None = None) -> Targets:
    """Ordered targets: the decision's, then its fallback; `pinned` ("local"/"cloud") if the
    request named a model explicitly."""
    primary = pinned or decision.target
    fallback = decision.fallback
    if fallback is None:
        fallback = "local" if primary == "cloud" else "none"
    plan = [primary] if fallback in ("none", primary) else [primary, fallback]
    if not may_leave(risk):
        plan = [t for t in plan if t != "cloud"] or ["local"]
    return tuple(plan)


def local_only(plan: Targets) -> Targets:
    """The same plan with every cloud hop removed (masking failed, or the user chose local only)."""
    return tuple(t for t in plan if t != "cloud") or ("local",)


@dataclass(frozen=True, slots=True)
class Attempt:
    kind: str  # "first" | "repair" | "alternate" | "cloud"
    model: str | None = None  # None: the request's own model (routed by policy)
    temperature: float | None = None
    route: Targets = ()  # the targets its hops take, in order (see `plan_attempts`)

    def describe(self) -> str:
        if self.kind == "first":
            return phrase("first try")
        if self.kind == "repair":
            return phrase("retry with the problem pointed out")
        if self.kind == "alternate":
            return phrase("alternate local model {model}", model=self.model)
        return phrase("escalated to {model}", model=self.model)

    def ref(self, request: Request) -> ModelRef:
        """The model this try asks for."""
        return ModelRef.parse(self.model) if self.model else request.ref


def escalation_ladder(
    request: Request,
    *,
    repairs: int,
    local_models: Sequence[str],
    cloud: str | None,
    local_only: bool,
) -> tuple[Attempt, ...]:
    """Every try for `request`, in order; `local_models` lists the default model first.

    A request pinned to a model (local://NAME or cloud://…) is only retried on that model."""
    ladder = [Attempt("first")]
    ladder += [Attempt("repair", temperature=REPAIR_TEMPERATURE) for _ in range(max(0, repairs))]
    if request.ref.pinned:
        return tuple(ladder)
    current = local_models[0] if local_models else None
    ladder += [
        Attempt("alternate", model=f"local://{name}") for name in local_models if name != current
    ]
    if cloud is not None and may_leave(request.risk, local_only=local_only):
        ladder.append(Attempt("cloud", model=f"cloud://{cloud}"))
    return tuple(ladder)


def plan_attempts(
    decision: RoutingDecision,
    request: Request,
    *,
    repairs: int = 0,
    local_models: Sequence[str] = (),
    cloud: str | None = None,
    local_only: bool = False,
) -> tuple[Attempt, ...]:
    """Every try for `request` with the route of each: the one list the loop runs.

    Without repairs, local models and a cloud to escalate to, that is one try on the routed
    targets. A request pinned to a cloud model that may not leave is refused here."""
    if request.ref.pinned == "cloud" and not may_leave(request.risk):
        raise PolicyDenied(
            phrase(
                "A high-risk request cannot be sent to a cloud model; choose a "
                "local model or lower the risk."
            )
        )
    ladder = escalation_ladder(
        request, repairs=repairs, local_models=local_models, cloud=cloud, local_only=local_only
    )
    out = []
    for attempt in ladder:
        route = attempt_plan(decision, risk=request.risk, pinned=attempt.ref(request).pinned)
        if local_only:
            route = _local_only(route)
        out.append(
            Attempt(attempt.kind, model=attempt.model, temperature=attempt.temperature, route=route)
        )
    return tuple(out)


_local_only = local_only  # the parameter of plan_attempts shadows the function's name
